/* prefectctx-profile.c: one named profile of settings
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "prefectctx-profile.h"
#include "prefectctx-error.h"
#include "prefectctx-settings.h"
#include "prefectctx-toml-private.h"

/**
 * PrefectCtxProfile:
 *
 * A named set of settings, as one `[profiles.NAME]` table of Prefect's
 * profiles file holds it:
 *
 * ```toml
 * [profiles.dev]
 * PREFECT_API_URL = "http://127.0.0.1:4200/api"
 * ```
 *
 * A profile holds only settings this library knows (see
 * [class@PrefectCtx.Settings]): [ctor@PrefectCtx.Profile.new] refuses an
 * unknown name. Values are strings and are checked against their setting
 * only when the profile is used (or by [method@PrefectCtx.Profile.validate]),
 * as Prefect does, so that one bad value does not make a whole profiles file
 * unreadable. A profile read from a file also keeps the file's other keys and
 * tables of its section (settings of newer Prefect versions, nested tables
 * such as `[profiles.dev.extra]`): they are not settings, but
 * [method@PrefectCtx.Profiles.save] writes them back.
 *
 * Profiles are immutable.
 */

struct _PrefectCtxProfile
{
  GObject parent_instance;

  char               *name;
  GVariant           *settings;     /* a{ss}, sorted by key */
  char               *source_path;
  PrefectCtxTomlNode *extra;        /* nullable table */
};

G_DEFINE_FINAL_TYPE (PrefectCtxProfile, prefect_ctx_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_SETTINGS,
  PROP_SOURCE_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
prefect_ctx_profile_finalize (GObject *object)
{
  PrefectCtxProfile *self = PREFECT_CTX_PROFILE (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->settings, g_variant_unref);
  g_clear_pointer (&self->source_path, g_free);
  g_clear_pointer (&self->extra, _prefect_ctx_toml_node_free);

  G_OBJECT_CLASS (prefect_ctx_profile_parent_class)->finalize (object);
}

static void
prefect_ctx_profile_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PrefectCtxProfile *self = PREFECT_CTX_PROFILE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_SETTINGS:
      g_value_set_variant (value, self->settings);
      break;

    case PROP_SOURCE_PATH:
      g_value_set_string (value, self->source_path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_profile_class_init (PrefectCtxProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = prefect_ctx_profile_finalize;
  object_class->get_property = prefect_ctx_profile_get_property;

  /**
   * PrefectCtxProfile:name:
   *
   * The name of the profile, never empty (but for an object made with
   * g_object_new() instead of [ctor@PrefectCtx.Profile.new], which has no
   * name and no settings).
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxProfile:settings:
   *
   * The settings of the profile, an `a{ss}` dictionary of setting names to
   * values, sorted by name. Never %NULL: no settings is an empty dictionary.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_variant ("settings", NULL, NULL,
                          G_VARIANT_TYPE ("a{ss}"), NULL,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxProfile:source-path:
   *
   * The file the profile was read from, or %NULL for a profile made in code
   * or the built-in `default` profile.
   */
  properties[PROP_SOURCE_PATH] =
    g_param_spec_string ("source-path", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_profile_init (PrefectCtxProfile *self)
{
  /* what an object made with g_object_new () rather than
   * prefect_ctx_profile_new () holds: no name, no settings */
  self->name = g_strdup ("");
  self->settings = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{ss}"), NULL, 0));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

PrefectCtxProfile *
_prefect_ctx_profile_new_full (const char          *name,
                               GHashTable          *settings,
                               const char          *source_path,
                               PrefectCtxTomlNode  *extra,
                               GError             **error)
{
  g_autoptr(PrefectCtxTomlNode) owned_extra = extra;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(PrefectCtxProfile) self = NULL;
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (extra == NULL || extra->type == PREFECT_CTX_TOML_TABLE, NULL);

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "Profile name is not valid UTF-8");
      return NULL;
    }
  if (*name == '\0')
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "Profile name must not be empty");
      return NULL;
    }
  if (source_path != NULL && !g_utf8_validate (source_path, -1, NULL))
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Profile '%s': the source path is not valid UTF-8", name);
      return NULL;
    }

  if (settings != NULL)
    {
      g_hash_table_iter_init (&iter, settings);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          if (!prefect_ctx_settings_name_is_known (key))
            {
              if (key != NULL && g_utf8_validate (key, -1, NULL))
                g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                             "Profile '%s': Unknown setting '%s'", name, (const char *) key);
              else
                g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                             "Profile '%s': Unknown setting (the name is not valid UTF-8)", name);
              return NULL;
            }
          if (value == NULL)
            {
              g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "Profile '%s': setting %s has no value", name, (const char *) key);
              return NULL;
            }
          if (!g_utf8_validate (value, -1, NULL))
            {
              g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "Profile '%s': the value of %s is not valid UTF-8",
                           name, (const char *) key);
              return NULL;
            }
          g_ptr_array_add (keys, key);
        }
    }

  g_ptr_array_sort (keys, compare_strings);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; i < keys->len; i++)
    g_variant_builder_add (&builder, "{ss}", (const char *) keys->pdata[i],
                           (const char *) g_hash_table_lookup (settings, keys->pdata[i]));

  self = g_object_new (PREFECT_CTX_TYPE_PROFILE, NULL);
  g_free (self->name);
  self->name = g_strdup (name);
  g_variant_unref (self->settings);
  self->settings = g_variant_ref_sink (g_variant_builder_end (&builder));
  self->source_path = g_strdup (source_path);
  if (owned_extra != NULL && _prefect_ctx_toml_table_size (owned_extra) > 0)
    self->extra = g_steal_pointer (&owned_extra);

  return g_steal_pointer (&self);
}

const PrefectCtxTomlNode *
_prefect_ctx_profile_get_extra (PrefectCtxProfile *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_PROFILE (self), NULL);

  return self->extra;
}

/**
 * prefect_ctx_profile_new:
 * @name: the name of the profile
 * @settings: (nullable) (element-type utf8 utf8): setting names mapped to
 *   values, or %NULL for none
 * @source_path: (nullable): the file the profile comes from, or %NULL
 * @error: return location for a #GError
 *
 * Creates a profile. An empty @name, a name in @settings that is not a known
 * setting (`Profile 'dev': Unknown setting 'PREFECT_FOO'`), a %NULL value or
 * text that is not UTF-8 is a %PREFECT_CTX_ERROR_INVALID_ARGUMENT error. The
 * values are not checked against their settings here: see
 * [method@PrefectCtx.Profile.validate].
 *
 * Returns: (transfer full): a new profile, or %NULL with @error set
 */
PrefectCtxProfile *
prefect_ctx_profile_new (const char  *name,
                         GHashTable  *settings,
                         const char  *source_path,
                         GError     **error)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _prefect_ctx_profile_new_full (name, settings, source_path, NULL, error);
}

/**
 * prefect_ctx_profile_get_name:
 * @self: a profile
 *
 * Gets the [property@PrefectCtx.Profile:name] property of @self.
 *
 * Returns: (transfer none): the name of the profile
 */
const char *
prefect_ctx_profile_get_name (PrefectCtxProfile *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_PROFILE (self), NULL);

  return self->name;
}

/**
 * prefect_ctx_profile_get_settings:
 * @self: a profile
 *
 * Gets the [property@PrefectCtx.Profile:settings] property of @self.
 *
 * Returns: (transfer none): the settings, an `a{ss}` dictionary
 */
GVariant *
prefect_ctx_profile_get_settings (PrefectCtxProfile *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_PROFILE (self), NULL);

  return self->settings;
}

/**
 * prefect_ctx_profile_get_source_path:
 * @self: a profile
 *
 * Gets the [property@PrefectCtx.Profile:source-path] property of @self.
 *
 * Returns: (transfer none) (nullable): the file the profile was read from,
 *   or %NULL
 */
const char *
prefect_ctx_profile_get_source_path (PrefectCtxProfile *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_PROFILE (self), NULL);

  return self->source_path;
}

/**
 * prefect_ctx_profile_get_value:
 * @self: a profile
 * @name: a setting name
 *
 * Gets the value the profile gives to the setting @name.
 *
 * Returns: (transfer none) (nullable): the value, or %NULL when the profile
 *   does not set @name (or @name is not a known setting)
 */
const char *
prefect_ctx_profile_get_value (PrefectCtxProfile *self,
                               const char        *name)
{
  const char *value = NULL;

  g_return_val_if_fail (PREFECT_CTX_IS_PROFILE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!g_variant_lookup (self->settings, name, "&s", &value))
    return NULL;

  return value;
}

/**
 * prefect_ctx_profile_dup_settings:
 * @self: a profile
 *
 * Gets the settings of the profile as a new hash table, in the form
 * [method@PrefectCtx.Settings.copy_with_update] takes.
 *
 * Returns: (transfer full) (element-type utf8 utf8): setting names mapped to
 *   values
 */
GHashTable *
prefect_ctx_profile_dup_settings (PrefectCtxProfile *self)
{
  GHashTable *table;
  GVariantIter iter;
  const char *key, *value;

  g_return_val_if_fail (PREFECT_CTX_IS_PROFILE (self), NULL);

  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_variant_iter_init (&iter, self->settings);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    g_hash_table_insert (table, g_strdup (key), g_strdup (value));

  return table;
}

/**
 * prefect_ctx_profile_validate:
 * @self: a profile
 * @error: return location for a #GError
 *
 * Checks every value of the profile against its setting, as
 * [method@PrefectCtx.Settings.copy_with_update] would when the profile is
 * used. The first invalid one is a %PREFECT_CTX_ERROR_INVALID_ARGUMENT error
 * naming the profile and the setting (`Profile 'dev': Invalid value for
 * PREFECT_CLIENT_MAX_RETRIES: ...`).
 *
 * Returns: %TRUE if every value is valid
 */
gboolean
prefect_ctx_profile_validate (PrefectCtxProfile  *self,
                              GError            **error)
{
  GVariantIter iter;
  const char *key, *value;

  g_return_val_if_fail (PREFECT_CTX_IS_PROFILE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_variant_iter_init (&iter, self->settings);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    {
      g_autoptr(GError) local_error = NULL;

      if (!prefect_ctx_settings_validate_value (key, value, &local_error))
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "Profile '%s': ", self->name);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * prefect_ctx_profile_to_string:
 * @self: a profile
 *
 * Describes @self for people, as `prefect profile inspect` does: the name
 * in brackets on the first line, then one line `NAME='value'` for each
 * setting, each followed by a newline. Secret values are shown as
 * %PREFECT_CTX_SECRET_PLACEHOLDER.
 *
 * Returns: (transfer full): the description
 */
char *
prefect_ctx_profile_to_string (PrefectCtxProfile *self)
{
  GString *out;
  GVariantIter iter;
  const char *key, *value;

  g_return_val_if_fail (PREFECT_CTX_IS_PROFILE (self), NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, "[%s]\n", self->name);
  g_variant_iter_init (&iter, self->settings);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    g_string_append_printf (out, "%s='%s'\n", key,
                            prefect_ctx_settings_name_is_secret (key)
                              ? PREFECT_CTX_SECRET_PLACEHOLDER : value);

  return g_string_free (out, FALSE);
}
