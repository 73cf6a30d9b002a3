/* prefectctx-profiles.c: the profiles file (profiles.toml)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "prefectctx-profiles.h"
#include "prefectctx-error.h"
#include "prefectctx-settings.h"
#include "prefectctx-toml-private.h"

/**
 * PrefectCtxProfiles:
 *
 * The profiles file of Prefect, `$PREFECT_HOME/profiles.toml`
 * (`PREFECT_PROFILES_PATH`), as a collection of [class@PrefectCtx.Profile]
 * and the name of the active one:
 *
 * ```toml
 * active = "dev"
 *
 * [profiles.default]
 *
 * [profiles.dev]
 * PREFECT_API_URL = "http://127.0.0.1:4200/api"
 * PREFECT_CLIENT_MAX_RETRIES = 3
 * ```
 *
 * Like Prefect, a loaded collection starts from the built-in `default`
 * profile (empty, active) and adds the profiles of the file over it; the
 * file's `active` key names the active profile, which is not checked to
 * exist (the root settings context warns about a missing one). A missing
 * file is not an error: it gives just the built-in `default` profile.
 *
 * The file is TOML; this library reads the subset Prefect writes and a bit
 * more: comments, basic strings with escapes (`\n`, `\"`, `\u00E9` ...),
 * literal strings, integers, floats, booleans, dotted keys and quoted
 * table names (`[profiles."my profile"]`). Integers, floats and booleans in
 * a profile are turned into the strings Python would show (`3`, `0.5`,
 * `True`). Arrays, inline tables, multi-line strings and dates are not
 * supported. A file that is not valid (or uses them) is a
 * %PREFECT_CTX_ERROR_INVALID_ARGUMENT error whose message gives the file,
 * line and column: `/home/me/.prefect/profiles.toml:3:7: expected '='`.
 *
 * What the file holds besides profiles is kept and written back by
 * [method@PrefectCtx.Profiles.save]: other top-level keys and tables, keys
 * of a profile that are not settings this library knows (such as settings
 * of newer Prefect versions), and tables nested in a profile table
 * (`[profiles.dev.extra]`, which is not a profile: Prefect ignores it too).
 * Comments and formatting are not kept. A file with a profile that is not a
 * table (`profiles.dev = 1`), a non-string `active`, or a setting this
 * library knows whose value is a table is refused.
 *
 * Names are kept in file order, after the built-in `default` profile when
 * the file does not define it; profiles added later go at the end.
 *
 * A collection is mutable and, like most objects, not thread-safe: use it
 * from one thread at a time. The profiles it holds are immutable.
 */

struct _PrefectCtxProfiles
{
  GObject parent_instance;

  char               *path;              /* nullable */
  char               *active;            /* nullable */
  GPtrArray          *profiles;          /* PrefectCtxProfile, in order */
  GPtrArray          *names;             /* borrowed names, NULL-terminated */
  PrefectCtxProfile  *builtin_default;   /* while it is still the one held */
  PrefectCtxTomlNode *doc;               /* the file without active and profiles */
  guint               profiles_position; /* where profiles goes among doc's children */
};

G_DEFINE_FINAL_TYPE (PrefectCtxProfiles, prefect_ctx_profiles, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_ACTIVE_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
prefect_ctx_profiles_finalize (GObject *object)
{
  PrefectCtxProfiles *self = PREFECT_CTX_PROFILES (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->active, g_free);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_clear_pointer (&self->doc, _prefect_ctx_toml_node_free);
  self->builtin_default = NULL;

  G_OBJECT_CLASS (prefect_ctx_profiles_parent_class)->finalize (object);
}

static void
prefect_ctx_profiles_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PrefectCtxProfiles *self = PREFECT_CTX_PROFILES (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_ACTIVE_NAME:
      g_value_set_string (value, self->active);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_profiles_class_init (PrefectCtxProfilesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = prefect_ctx_profiles_finalize;
  object_class->get_property = prefect_ctx_profiles_get_property;

  /**
   * PrefectCtxProfiles:path:
   *
   * The file the profiles were loaded from (or would have been, when it did
   * not exist), where [method@PrefectCtx.Profiles.save] writes by default;
   * %NULL for a collection made with [ctor@PrefectCtx.Profiles.new] or
   * loaded from data.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxProfiles:active-name:
   *
   * The name of the active profile, or %NULL when none is. It may name a
   * profile that the collection does not hold, when the file says so.
   */
  properties[PROP_ACTIVE_NAME] =
    g_param_spec_string ("active-name", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rebuild_names (PrefectCtxProfiles *self)
{
  g_ptr_array_set_size (self->names, 0);
  for (guint i = 0; i < self->profiles->len; i++)
    g_ptr_array_add (self->names, (gpointer) prefect_ctx_profile_get_name (self->profiles->pdata[i]));
  g_ptr_array_add (self->names, NULL);
}

static void
prefect_ctx_profiles_init (PrefectCtxProfiles *self)
{
  self->profiles = g_ptr_array_new_with_free_func (g_object_unref);
  self->names = g_ptr_array_new ();
  self->doc = _prefect_ctx_toml_table_new (NULL);

  /* Prefect's built-in profiles file: active = "default", [profiles.default] */
  self->builtin_default = prefect_ctx_profile_new (PREFECT_CTX_DEFAULT_PROFILE, NULL, NULL, NULL);
  g_ptr_array_add (self->profiles, self->builtin_default);
  self->active = g_strdup (PREFECT_CTX_DEFAULT_PROFILE);
  rebuild_names (self);
}

static int
find_profile (PrefectCtxProfiles *self,
              const char         *name)
{
  for (guint i = 0; i < self->profiles->len; i++)
    if (strcmp (prefect_ctx_profile_get_name (self->profiles->pdata[i]), name) == 0)
      return (int) i;

  return -1;
}

/**
 * prefect_ctx_profiles_new:
 *
 * Creates a collection that holds just the built-in `default` profile,
 * active, without reading any file and without a path.
 *
 * Returns: (transfer full): a new collection
 */
PrefectCtxProfiles *
prefect_ctx_profiles_new (void)
{
  return g_object_new (PREFECT_CTX_TYPE_PROFILES, NULL);
}

/* Removes @key from @table and returns it, or NULL. */
static PrefectCtxTomlNode *
table_steal (PrefectCtxTomlNode *table,
             const char         *key,
             guint              *position)
{
  PrefectCtxTomlNode *node = _prefect_ctx_toml_table_lookup (table, key);
  guint index;

  if (node == NULL)
    return NULL;

  g_hash_table_remove (table->index, key);
  g_ptr_array_find (table->children, node, &index);
  if (position != NULL)
    *position = index;
  return g_ptr_array_steal_index (table->children, index);
}

/* Reads one profile table of the file. */
static PrefectCtxProfile *
profile_from_table (const PrefectCtxTomlNode  *table,
                    const char                *source,
                    const char                *source_path,
                    GError                   **error)
{
  g_autoptr(GHashTable) settings = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GError) local_error = NULL;
  PrefectCtxTomlNode *extra = _prefect_ctx_toml_table_new (NULL);
  PrefectCtxProfile *profile;

  for (guint i = 0; i < _prefect_ctx_toml_table_size (table); i++)
    {
      const PrefectCtxTomlNode *child = _prefect_ctx_toml_table_nth (table, i);

      if (!prefect_ctx_settings_name_is_known (child->key))
        _prefect_ctx_toml_table_append (extra, _prefect_ctx_toml_node_copy (child));
      else if (child->type == PREFECT_CTX_TOML_TABLE)
        {
          _prefect_ctx_toml_node_free (extra);
          return _prefect_ctx_toml_node_error (error, source, child,
                                               "setting %s of profile '%s' must be a string, a number or a boolean, not a table",
                                               child->key, table->key), NULL;
        }
      else
        g_hash_table_insert (settings, child->key, _prefect_ctx_toml_scalar_to_string (child));
    }

  profile = _prefect_ctx_profile_new_full (table->key, settings, source_path, extra, &local_error);
  if (profile == NULL)
    _prefect_ctx_toml_node_error (error, source, table, "%s", local_error->message);

  return profile;
}

static gboolean
load_document (PrefectCtxProfiles  *self,
               const char          *data,
               gsize                length,
               const char          *source,
               const char          *source_path,
               GError             **error)
{
  g_autoptr(PrefectCtxTomlNode) root = NULL;
  g_autoptr(PrefectCtxTomlNode) active = NULL;
  g_autoptr(PrefectCtxTomlNode) profiles = NULL;
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (g_object_unref);
  guint position = 0;

  root = _prefect_ctx_toml_parse (data, length, source, error);
  if (root == NULL)
    return FALSE;

  active = table_steal (root, "active", NULL);
  if (active != NULL && active->type != PREFECT_CTX_TOML_STRING)
    return _prefect_ctx_toml_node_error (error, source, active, "'active' must be a string");

  profiles = table_steal (root, "profiles", &position);
  if (profiles != NULL && profiles->type != PREFECT_CTX_TOML_TABLE)
    return _prefect_ctx_toml_node_error (error, source, profiles, "'profiles' must be a table");

  if (profiles != NULL)
    {
      for (guint i = 0; i < _prefect_ctx_toml_table_size (profiles); i++)
        {
          const PrefectCtxTomlNode *table = _prefect_ctx_toml_table_nth (profiles, i);
          PrefectCtxProfile *profile;

          if (table->type != PREFECT_CTX_TOML_TABLE)
            return _prefect_ctx_toml_node_error (error, source, table,
                                                 "profile '%s' must be a table", table->key);

          profile = profile_from_table (table, source, source_path, error);
          if (profile == NULL)
            return FALSE;
          g_ptr_array_add (loaded, profile);
        }
    }

  /* Everything checked: now change self. */
  for (guint i = 0; i < loaded->len; i++)
    prefect_ctx_profiles_add_profile (self, loaded->pdata[i]);
  if (active != NULL)
    {
      g_free (self->active);
      self->active = g_strdup (active->value.string);
    }
  g_clear_pointer (&self->doc, _prefect_ctx_toml_node_free);
  self->doc = g_steal_pointer (&root);
  self->profiles_position = profiles != NULL ? position : 0;

  return TRUE;
}

static PrefectCtxProfiles *
load_from_file (const char  *path,
                GError     **error)
{
  g_autoptr(PrefectCtxProfiles) self = prefect_ctx_profiles_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  GStatBuf buf;
  gsize length = 0;

  self->path = g_strdup (path);

  if (g_stat (path, &buf) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        return g_steal_pointer (&self);

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot read the profiles file %s: %s", path, g_strerror (saved_errno));
      return NULL;
    }
  if (!S_ISREG (buf.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "Cannot read the profiles file %s: not a regular file", path);
      return NULL;
    }
  if (!_prefect_ctx_toml_check_size (path, (guint64) buf.st_size, error))
    return NULL;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      /* removed in between: as if it had never been there */
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!load_document (self, contents, length, path, path, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * prefect_ctx_profiles_load:
 * @error: return location for a #GError
 *
 * Loads the profiles file named by `PREFECT_PROFILES_PATH` in the
 * environment (see [ctor@PrefectCtx.Settings.new_from_environment]), by
 * default `~/.prefect/profiles.toml`, as
 * [func@PrefectCtx.Profiles.load_from_file] does.
 *
 * Returns: (transfer full): the profiles, or %NULL with @error set
 */
PrefectCtxProfiles *
prefect_ctx_profiles_load (GError **error)
{
  g_autoptr(PrefectCtxSettings) settings = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  settings = prefect_ctx_settings_new_from_environment ();
  path = prefect_ctx_settings_get_profiles_path (settings);

  return load_from_file (path, error);
}

/**
 * prefect_ctx_profiles_load_from_file:
 * @path: (type filename): the profiles file
 * @error: return location for a #GError
 *
 * Loads a profiles file. A file that does not exist gives just the built-in
 * `default` profile (with @path as [property@PrefectCtx.Profiles:path], so
 * that saving creates it). A file that cannot be read is an error of the
 * %G_FILE_ERROR domain; a file that is not valid is a
 * %PREFECT_CTX_ERROR_INVALID_ARGUMENT error whose message starts with
 * `PATH:LINE:COLUMN: `.
 *
 * Returns: (transfer full): the profiles, or %NULL with @error set
 */
PrefectCtxProfiles *
prefect_ctx_profiles_load_from_file (const char  *path,
                                     GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_from_file (path, error);
}

/**
 * prefect_ctx_profiles_load_from_data:
 * @data: (array length=length) (element-type guint8): the text of a
 *   profiles file
 * @length: the length of @data in bytes, or -1 if it is NUL-terminated
 * @source_name: (nullable): the name to give in error messages, or %NULL
 *   for `<input>`
 * @error: return location for a #GError
 *
 * Reads profiles from the text of a profiles file, as
 * [func@PrefectCtx.Profiles.load_from_file] does. The result has no path and
 * its profiles no source path. With a @length, @data need not be
 * NUL-terminated; a NUL byte in it is an error.
 *
 * Returns: (transfer full): the profiles, or %NULL with @error set
 */
PrefectCtxProfiles *
prefect_ctx_profiles_load_from_data (const char  *data,
                                     gssize       length,
                                     const char  *source_name,
                                     GError     **error)
{
  g_autoptr(PrefectCtxProfiles) self = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (data);

  self = prefect_ctx_profiles_new ();
  if (!load_document (self, data, (gsize) length,
                      source_name != NULL ? source_name : "<input>", NULL, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * prefect_ctx_profiles_get_path:
 * @self: profiles
 *
 * Gets the [property@PrefectCtx.Profiles:path] property of @self.
 *
 * Returns: (transfer none) (nullable) (type filename): the file of the
 *   profiles, or %NULL
 */
const char *
prefect_ctx_profiles_get_path (PrefectCtxProfiles *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_PROFILES (self), NULL);

  return self->path;
}

/**
 * prefect_ctx_profiles_get_active_name:
 * @self: profiles
 *
 * Gets the [property@PrefectCtx.Profiles:active-name] property of @self.
 *
 * Returns: (transfer none) (nullable): the name of the active profile, or
 *   %NULL
 */
const char *
prefect_ctx_profiles_get_active_name (PrefectCtxProfiles *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_PROFILES (self), NULL);

  return self->active;
}

/**
 * prefect_ctx_profiles_get_active:
 * @self: profiles
 *
 * Gets the active profile.
 *
 * Returns: (transfer none) (nullable): the active profile, or %NULL when no
 *   profile is active or the active name names no profile of @self
 */
PrefectCtxProfile *
prefect_ctx_profiles_get_active (PrefectCtxProfiles *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_PROFILES (self), NULL);

  if (self->active == NULL)
    return NULL;

  return prefect_ctx_profiles_lookup (self, self->active);
}

/**
 * prefect_ctx_profiles_get_names:
 * @self: profiles
 *
 * Gets the names of the profiles: `default` first (the built-in profile,
 * or the file's profile of that name, which takes its place), then the
 * other profiles of the file in file order, then the ones added since, in
 * the order they were added. The array is valid until @self changes.
 *
 * Returns: (transfer none) (array zero-terminated=1): the profile names
 */
const char * const *
prefect_ctx_profiles_get_names (PrefectCtxProfiles *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_PROFILES (self), NULL);

  return (const char * const *) self->names->pdata;
}

/**
 * prefect_ctx_profiles_lookup:
 * @self: profiles
 * @name: a profile name
 *
 * Finds a profile by name.
 *
 * Returns: (transfer none) (nullable): the profile, or %NULL if @self has
 *   none of that name
 */
PrefectCtxProfile *
prefect_ctx_profiles_lookup (PrefectCtxProfiles *self,
                             const char         *name)
{
  int index;

  g_return_val_if_fail (PREFECT_CTX_IS_PROFILES (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  index = find_profile (self, name);
  return index < 0 ? NULL : self->profiles->pdata[index];
}

/**
 * prefect_ctx_profiles_add_profile:
 * @self: profiles
 * @profile: a profile
 *
 * Adds @profile to @self. A profile of the same name is replaced, in its
 * place; otherwise @profile goes at the end. @profile must have a name (see
 * [ctor@PrefectCtx.Profile.new]).
 */
void
prefect_ctx_profiles_add_profile (PrefectCtxProfiles *self,
                                  PrefectCtxProfile  *profile)
{
  int index;

  g_return_if_fail (PREFECT_CTX_IS_PROFILES (self));
  g_return_if_fail (PREFECT_CTX_IS_PROFILE (profile));
  g_return_if_fail (*prefect_ctx_profile_get_name (profile) != '\0');

  index = find_profile (self, prefect_ctx_profile_get_name (profile));
  g_object_ref (profile);
  if (index < 0)
    g_ptr_array_add (self->profiles, profile);
  else
    {
      if (self->profiles->pdata[index] == (gpointer) self->builtin_default)
        self->builtin_default = NULL;
      g_object_unref (self->profiles->pdata[index]);
      self->profiles->pdata[index] = profile;
    }
  rebuild_names (self);
}

/**
 * prefect_ctx_profiles_remove_profile:
 * @self: profiles
 * @name: a profile name
 * @error: return location for a #GError
 *
 * Removes the profile @name. A name that @self does not hold is a
 * %PREFECT_CTX_ERROR_NOT_FOUND error (`Profile 'x' not found.`); the active
 * profile cannot be removed (%PREFECT_CTX_ERROR_INVALID_ARGUMENT, with
 * Prefect's message `Profile 'x' is the active profile. You must switch
 * profiles before it can be deleted.`).
 *
 * Returns: %TRUE if the profile was removed
 */
gboolean
prefect_ctx_profiles_remove_profile (PrefectCtxProfiles  *self,
                                     const char          *name,
                                     GError             **error)
{
  int index;

  g_return_val_if_fail (PREFECT_CTX_IS_PROFILES (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  index = find_profile (self, name);
  if (index < 0)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND,
                   "Profile '%s' not found.", name);
      return FALSE;
    }
  if (g_strcmp0 (self->active, name) == 0)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Profile '%s' is the active profile. You must switch profiles "
                   "before it can be deleted.", name);
      return FALSE;
    }

  if (self->profiles->pdata[index] == (gpointer) self->builtin_default)
    self->builtin_default = NULL;
  g_ptr_array_remove_index (self->profiles, (guint) index);
  rebuild_names (self);

  return TRUE;
}

/**
 * prefect_ctx_profiles_set_active:
 * @self: profiles
 * @name: (nullable): a profile name, or %NULL for none
 * @error: return location for a #GError
 *
 * Makes @name the active profile. A name that @self does not hold is a
 * %PREFECT_CTX_ERROR_NOT_FOUND error with Prefect's message
 * `Unknown profile name 'x'.`, and nothing changes.
 *
 * Returns: %TRUE if the active profile was set
 */
gboolean
prefect_ctx_profiles_set_active (PrefectCtxProfiles  *self,
                                 const char          *name,
                                 GError             **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_PROFILES (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (name != NULL && find_profile (self, name) < 0)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND,
                   "Unknown profile name '%s'.", name);
      return FALSE;
    }

  if (g_strcmp0 (self->active, name) != 0)
    {
      g_free (self->active);
      self->active = g_strdup (name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_NAME]);
    }

  return TRUE;
}

static PrefectCtxTomlNode *
profile_to_table (PrefectCtxProfile *profile)
{
  PrefectCtxTomlNode *table = _prefect_ctx_toml_table_new (prefect_ctx_profile_get_name (profile));
  const PrefectCtxTomlNode *extra = _prefect_ctx_profile_get_extra (profile);
  GVariantIter iter;
  const char *key, *value;

  table->flags = PREFECT_CTX_TOML_FLAG_HEADER;

  g_variant_iter_init (&iter, prefect_ctx_profile_get_settings (profile));
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    _prefect_ctx_toml_table_append (table, _prefect_ctx_toml_string_new (key, value));

  if (extra != NULL)
    for (guint i = 0; i < _prefect_ctx_toml_table_size (extra); i++)
      {
        const PrefectCtxTomlNode *child = _prefect_ctx_toml_table_nth (extra, i);

        if (_prefect_ctx_toml_table_lookup (table, child->key) == NULL)
          _prefect_ctx_toml_table_append (table, _prefect_ctx_toml_node_copy (child));
      }

  return table;
}

/**
 * prefect_ctx_profiles_to_toml:
 * @self: profiles
 *
 * Writes @self as the text of a profiles file, as
 * [method@PrefectCtx.Profiles.save] saves it: `active` first, then the
 * other top-level keys of the loaded file, then one `[profiles.NAME]` table
 * per profile (settings sorted by name, as strings, then the keys and tables
 * this library does not know), and the loaded file's other tables where they
 * were. The built-in `default` profile is written only once it was replaced,
 * as Prefect does. Secrets are written: this is the file that keeps them.
 *
 * Returns: (transfer full): the TOML text
 */
char *
prefect_ctx_profiles_to_toml (PrefectCtxProfiles *self)
{
  g_autoptr(PrefectCtxTomlNode) root = NULL;
  PrefectCtxTomlNode *profiles;
  guint n_doc;

  g_return_val_if_fail (PREFECT_CTX_IS_PROFILES (self), NULL);

  root = _prefect_ctx_toml_table_new (NULL);
  if (self->active != NULL)
    _prefect_ctx_toml_table_append (root, _prefect_ctx_toml_string_new ("active", self->active));

  profiles = _prefect_ctx_toml_table_new ("profiles");
  for (guint i = 0; i < self->profiles->len; i++)
    {
      PrefectCtxProfile *profile = self->profiles->pdata[i];

      if (profile != self->builtin_default)
        _prefect_ctx_toml_table_append (profiles, profile_to_table (profile));
    }

  n_doc = _prefect_ctx_toml_table_size (self->doc);
  for (guint i = 0; i <= n_doc; i++)
    {
      if (i == MIN (self->profiles_position, n_doc))
        _prefect_ctx_toml_table_append (root, g_steal_pointer (&profiles));
      if (i < n_doc)
        _prefect_ctx_toml_table_append (root, _prefect_ctx_toml_node_copy (_prefect_ctx_toml_table_nth (self->doc, i)));
    }

  return _prefect_ctx_toml_write (root);
}

/**
 * prefect_ctx_profiles_save:
 * @self: profiles
 * @path: (nullable) (type filename): where to save, or %NULL for
 *   [property@PrefectCtx.Profiles:path]
 * @error: return location for a #GError
 *
 * Saves @self as [method@PrefectCtx.Profiles.to_toml] writes it. The file is
 * replaced atomically: the text goes to a temporary file in the same
 * directory, created with mode 0600 (the file holds secrets) and flushed to
 * disk, which is then renamed over the old file; if anything fails, the old
 * file is left as it was. A missing directory is created with mode 0700. If
 * @path is a symbolic link, the file it points to is replaced.
 *
 * Without a path to save to, the error is
 * %PREFECT_CTX_ERROR_INVALID_ARGUMENT; failures to write are errors of the
 * %G_FILE_ERROR domain.
 *
 * Returns: %TRUE if the file was saved
 */
gboolean
prefect_ctx_profiles_save (PrefectCtxProfiles  *self,
                           const char          *path,
                           GError             **error)
{
  g_autofree char *text = NULL;
  g_autofree char *target = NULL;
  g_autofree char *directory = NULL;

  g_return_val_if_fail (PREFECT_CTX_IS_PROFILES (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (path == NULL)
    path = self->path;
  if (path == NULL)
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "No path to save the profiles to");
      return FALSE;
    }

  target = realpath (path, NULL);
  if (target == NULL)
    target = g_strdup (path);

  directory = g_path_get_dirname (target);
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot create the directory %s: %s", directory, g_strerror (saved_errno));
      return FALSE;
    }

  text = prefect_ctx_profiles_to_toml (self);
  return g_file_set_contents_full (target, text, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}
