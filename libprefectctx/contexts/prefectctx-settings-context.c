/* prefectctx-settings-context.c: the settings in effect, with their profile
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-settings-context.h"

#include "core/prefectctx-error.h"
#include "models/prefectctx-profiles.h"
#include "prefectctx-context-private.h"

/* This kind's slot, set once the class is initialized. */
static int kind_slot = -1;
#include "prefectctx-tsan-private.h"

/**
 * PrefectCtxSettingsContext:
 *
 * The settings in effect on a thread and the profile they came from
 * (Prefect's `SettingsContext`).
 *
 * It declares the context kind `settings`. Unlike the other kinds, a thread
 * with no settings context entered still has one:
 * [func@PrefectCtx.SettingsContext.get_current] falls back to the process's
 * root settings context ([func@PrefectCtx.root_settings_context]), so a
 * fresh thread sees the settings of the active profile.
 *
 * Entering a settings context creates the directory of its `PREFECT_HOME`
 * setting (and its parents) with mode 0700 if it does not exist. If that
 * fails, a warning `Failed to create the Prefect home directory at <path>`
 * is logged and the context is entered all the same.
 *
 * [func@PrefectCtx.use_profile] makes and enters one for a profile of the
 * profiles file.
 */

struct _PrefectCtxSettingsContext
{
  PrefectCtxContext parent_instance;

  PrefectCtxProfile  *profile;
  PrefectCtxSettings *settings;
};

G_DEFINE_FINAL_TYPE (PrefectCtxSettingsContext, prefect_ctx_settings_context, PREFECT_CTX_TYPE_CONTEXT)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The root context, made once by prefect_ctx_root_settings_context (). */
static GMutex root_create_lock;
static PrefectCtxSettingsContext *root_context;

/* Guards the command-line profile and root_started. */
static GMutex root_lock;
static char *command_line_profile;
static gboolean root_started;

/* Creates the PREFECT_HOME directory of @settings, warning on failure. */
static void
create_home (PrefectCtxSettings *settings)
{
  g_autofree char *home = prefect_ctx_settings_get_home (settings);

  if (home == NULL || *home == '\0')
    return;

  if (g_mkdir_with_parents (home, 0700) != 0)
    g_warning ("Failed to create the Prefect home directory at %s", home);
}

/**
 * prefect_ctx_settings_context_new:
 * @profile: the profile the settings come from
 * @settings: the settings in effect
 *
 * Makes a new, unentered settings context. To use a profile of the profiles
 * file, [func@PrefectCtx.use_profile] is usually what you want.
 *
 * Returns: (transfer full): the new context
 */
PrefectCtxSettingsContext *
prefect_ctx_settings_context_new (PrefectCtxProfile  *profile,
                                  PrefectCtxSettings *settings)
{
  g_return_val_if_fail (PREFECT_CTX_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (PREFECT_CTX_IS_SETTINGS (settings), NULL);

  return g_object_new (PREFECT_CTX_TYPE_SETTINGS_CONTEXT,
                       "profile", profile,
                       "settings", settings,
                       NULL);
}

/**
 * prefect_ctx_settings_context_get_current:
 *
 * Gets the innermost settings context entered on the calling thread (or
 * installed by [method@PrefectCtx.Snapshot.run]). With none, gets the root
 * settings context ([func@PrefectCtx.root_settings_context]), making it if
 * this is the first time it is needed.
 *
 * Returns: (transfer none) (nullable): the current settings context; %NULL
 *   only if the root settings context could not be made
 */
PrefectCtxSettingsContext *
prefect_ctx_settings_context_get_current (void)
{
  PrefectCtxContext *current = _prefect_ctx_context_get_current_in_slot (g_atomic_int_get (&kind_slot));

  if (current != NULL)
    return PREFECT_CTX_SETTINGS_CONTEXT (current);

  return prefect_ctx_root_settings_context ();
}

/**
 * prefect_ctx_settings_context_get_profile:
 * @self: a settings context
 *
 * Gets the profile the settings come from, as it was given: for a context
 * made by [func@PrefectCtx.use_profile], its settings may differ from the
 * profile's where the environment won.
 *
 * Returns: (transfer none): the profile
 */
PrefectCtxProfile *
prefect_ctx_settings_context_get_profile (PrefectCtxSettingsContext *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_SETTINGS_CONTEXT (self), NULL);

  return self->profile;
}

/**
 * prefect_ctx_settings_context_get_settings:
 * @self: a settings context
 *
 * Gets the settings in effect.
 *
 * Returns: (transfer none): the settings
 */
PrefectCtxSettings *
prefect_ctx_settings_context_get_settings (PrefectCtxSettingsContext *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_SETTINGS_CONTEXT (self), NULL);

  return self->settings;
}

/**
 * prefect_ctx_get_settings_context:
 * @error: return location for a #GError
 *
 * Gets the current settings context, like
 * [func@PrefectCtx.SettingsContext.get_current] (falling back to the root
 * settings context), but reports its absence as an error, as Prefect's
 * `get_settings_context()` does.
 *
 * Returns: (transfer none): the current settings context, or %NULL with
 *   %PREFECT_CTX_ERROR_MISSING_CONTEXT (`No settings context found.`) if
 *   even the root settings context is missing
 */
PrefectCtxSettingsContext *
prefect_ctx_get_settings_context (GError **error)
{
  PrefectCtxSettingsContext *current;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  current = prefect_ctx_settings_context_get_current ();
  if (current == NULL)
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_MISSING_CONTEXT,
                           "No settings context found.");
      return NULL;
    }

  return current;
}

/* The settings for @profile: the base (the current settings context's
 * settings, or the environment and the defaults) updated with the profile's
 * settings, less those the environment sets unless @override. */
static PrefectCtxSettingsContext *
make_for_profile (PrefectCtxProfile  *profile,
                  gboolean            override_environment_variables,
                  gboolean            include_current_context,
                  GError            **error)
{
  g_autoptr(GHashTable) updates = NULL;
  g_autoptr(PrefectCtxSettings) from_environment = NULL;
  g_autoptr(PrefectCtxSettings) settings = NULL;
  PrefectCtxSettings *base = NULL;

  if (!prefect_ctx_profile_validate (profile, error))
    return NULL;

  updates = prefect_ctx_profile_dup_settings (profile);

  if (!override_environment_variables)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, updates);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (g_getenv (key) != NULL)
          g_hash_table_iter_remove (&iter);
    }

  if (include_current_context)
    {
      PrefectCtxSettingsContext *current = prefect_ctx_settings_context_get_current ();

      if (current != NULL)
        base = current->settings;
    }
  if (base == NULL)
    base = from_environment = prefect_ctx_settings_new_from_environment ();

  settings = prefect_ctx_settings_copy_with_update (base, updates, error);
  if (settings == NULL)
    return NULL;

  return prefect_ctx_settings_context_new (profile, settings);
}

/* The profiles file named by the current settings. */
static PrefectCtxProfiles *
load_current_profiles (GError **error)
{
  PrefectCtxSettingsContext *current = prefect_ctx_settings_context_get_current ();
  g_autofree char *path = NULL;

  if (current == NULL)
    return prefect_ctx_profiles_load (error);

  path = prefect_ctx_settings_get_profiles_path (current->settings);
  if (path == NULL)
    return prefect_ctx_profiles_load (error);

  /* A missing file gives just the built-in default profile. */
  return prefect_ctx_profiles_load_from_file (path, error);
}

static PrefectCtxSettingsContext *
create_root (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(PrefectCtxProfile) builtin = NULL;
  g_autofree char *from_command_line = NULL;
  const char *from_environment = g_getenv ("PREFECT_PROFILE");
  const char *active_name = NULL;
  const char *source = "in the profiles file";
  PrefectCtxProfile *profile = NULL;
  PrefectCtxSettingsContext *root;

  prefect_ctx_mutex_lock (&root_lock);
  root_started = TRUE;
  from_command_line = g_strdup (command_line_profile);
  prefect_ctx_mutex_unlock (&root_lock);

  profiles = prefect_ctx_profiles_load (&error);
  if (profiles == NULL)
    {
      g_warning ("Failed to load the Prefect profiles: %s. The default profile will be used instead.",
                 error->message);
      g_clear_error (&error);
    }
  else
    active_name = prefect_ctx_profiles_get_active_name (profiles);

  if (from_environment != NULL)
    {
      active_name = from_environment;
      source = "by environment variable";
    }
  if (from_command_line != NULL)
    {
      active_name = from_command_line;
      source = "by command line argument";
    }

  if (profiles != NULL && active_name != NULL)
    {
      profile = prefect_ctx_profiles_lookup (profiles, active_name);
      if (profile == NULL)
        g_printerr ("WARNING: Active profile '%s' set %s not found. "
                    "The default profile will be used instead. \n",
                    active_name, source);
    }

  if (profile == NULL && profiles != NULL)
    profile = prefect_ctx_profiles_lookup (profiles, PREFECT_CTX_DEFAULT_PROFILE);
  if (profile == NULL)
    profile = builtin = prefect_ctx_profile_new (PREFECT_CTX_DEFAULT_PROFILE, NULL, NULL, NULL);

  /* "Override environment variables if the profile was set by the CLI." */
  root = make_for_profile (profile, from_command_line != NULL, FALSE, &error);
  if (root == NULL)
    {
      g_autoptr(PrefectCtxSettings) settings = prefect_ctx_settings_new_from_environment ();

      g_warning ("Failed to use the Prefect profile '%s': %s. The default settings will be used instead.",
                 prefect_ctx_profile_get_name (profile), error->message);
      if (builtin == NULL)
        builtin = prefect_ctx_profile_new (PREFECT_CTX_DEFAULT_PROFILE, NULL, NULL, NULL);
      root = prefect_ctx_settings_context_new (builtin, settings);
    }

  /* Prefect enters the root context once, as it makes it. */
  create_home (root->settings);

  return root;
}

/**
 * prefect_ctx_root_settings_context:
 *
 * Gets the process's root settings context, the settings of a thread on
 * which no settings context is entered. It is made the first time it is
 * needed, once, whichever thread asks first, from the profile chosen by,
 * highest first:
 *
 * 1. the command line's profile, given by [func@PrefectCtx.set_command_line_profile];
 * 2. the environment variable `PREFECT_PROFILE`;
 * 3. the `active` key of the profiles file (`PREFECT_PROFILES_PATH`).
 *
 * If no profile has the chosen name, Prefect's warning is printed to
 * standard error, `WARNING: Active profile 'NAME' set by environment
 * variable not found. The default profile will be used instead. ` (the
 * source being `in the profiles file`, `by environment variable` or `by
 * command line argument`), and the `default` profile is used.
 *
 * Its settings are the environment and the defaults, updated with the
 * profile's settings except those the environment sets; a profile named on
 * the command line wins over the environment too, as Prefect's root
 * settings context has it ("override environment variables if the profile
 * was set by the CLI"). Making it creates
 * the `PREFECT_HOME` directory, as entering a settings context does. A
 * profiles file that cannot be read, or a profile with invalid settings, is
 * reported with a warning and the defaults are used.
 *
 * The root context is never entered; it can be, like any context.
 *
 * Returns: (transfer none) (nullable): the root settings context
 */
PrefectCtxSettingsContext *
prefect_ctx_root_settings_context (void)
{
  PrefectCtxSettingsContext *root = __atomic_load_n (&root_context, __ATOMIC_ACQUIRE);

  /* Double-checked creation with C11 atomics rather than g_once, whose
   * release happens inside GLib where ThreadSanitizer cannot see it. */
  if G_UNLIKELY (root == NULL)
    {
      prefect_ctx_mutex_lock (&root_create_lock);
      root = __atomic_load_n (&root_context, __ATOMIC_RELAXED);
      if (root == NULL)
        {
          root = create_root ();
          __atomic_store_n (&root_context, root, __ATOMIC_RELEASE);
        }
      prefect_ctx_mutex_unlock (&root_create_lock);
    }

  return root;
}

/**
 * prefect_ctx_set_command_line_profile:
 * @name: (nullable): the profile named on the command line (`prefect
 *   --profile NAME`), or %NULL for none
 *
 * Sets the profile that the command line asks for: it takes precedence over
 * `PREFECT_PROFILE` and the profiles file when the root settings context is
 * made, and its settings over the `PREFECT_*` environment variables. Call it before anything needs settings; once the root settings
 * context exists, this has no effect but a warning.
 */
void
prefect_ctx_set_command_line_profile (const char *name)
{
  gboolean too_late;

  prefect_ctx_mutex_lock (&root_lock);
  too_late = root_started;
  if (!too_late)
    {
      g_free (command_line_profile);
      command_line_profile = g_strdup (name);
    }
  prefect_ctx_mutex_unlock (&root_lock);

  if (too_late)
    g_warning ("prefect_ctx_set_command_line_profile (\"%s\") has no effect: "
               "the root settings context exists already", name != NULL ? name : "(null)");
}

/**
 * prefect_ctx_use_profile_object:
 * @profile: a profile
 * @override_environment_variables: whether the profile's settings win over
 *   the environment's
 * @include_current_context: whether to start from the current settings
 *   rather than from the environment and the defaults
 * @error: return location for a #GError
 *
 * Prefect's `use_profile(profile)` for a profile object: makes a settings
 * context for @profile and enters it on the calling thread. Exit it with
 * [method@PrefectCtx.Context.exit] to go back to the previous settings.
 *
 * Its settings start from the current settings context's if
 * @include_current_context (the root one when none is entered), else from
 * the environment and the defaults; then the profile's settings are
 * applied. Unless @override_environment_variables, a setting that the
 * profile sets and the environment sets too is left out: the environment
 * wins.
 *
 * Returns: (transfer full): the entered settings context, or %NULL with
 *   @error set if the profile's settings are invalid
 *   (%PREFECT_CTX_ERROR_INVALID_ARGUMENT)
 */
PrefectCtxSettingsContext *
prefect_ctx_use_profile_object (PrefectCtxProfile  *profile,
                                gboolean            override_environment_variables,
                                gboolean            include_current_context,
                                GError            **error)
{
  g_autoptr(PrefectCtxSettingsContext) context = NULL;

  g_return_val_if_fail (PREFECT_CTX_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  context = make_for_profile (profile, override_environment_variables,
                              include_current_context, error);
  if (context == NULL)
    return NULL;

  if (!prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (context), error))
    return NULL;

  return g_steal_pointer (&context);
}

/**
 * prefect_ctx_use_profile:
 * @name: the name of a profile of the profiles file
 * @override_environment_variables: whether the profile's settings win over
 *   the environment's
 * @include_current_context: whether to start from the current settings
 *   rather than from the environment and the defaults
 * @error: return location for a #GError
 *
 * Prefect's `use_profile(name)`: loads the profiles file named by the
 * current settings (`PREFECT_PROFILES_PATH`), then does what
 * [func@PrefectCtx.use_profile_object] does with the profile called @name.
 * Exit the returned context with [method@PrefectCtx.Context.exit].
 *
 * Returns: (transfer full): the entered settings context, or %NULL with
 *   @error set: %PREFECT_CTX_ERROR_NOT_FOUND if there is no profile called
 *   @name, or the error of reading the profiles file
 */
PrefectCtxSettingsContext *
prefect_ctx_use_profile (const char  *name,
                         gboolean     override_environment_variables,
                         gboolean     include_current_context,
                         GError     **error)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  PrefectCtxProfile *profile;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  profiles = load_current_profiles (error);
  if (profiles == NULL)
    return NULL;

  profile = prefect_ctx_profiles_lookup (profiles, name);
  if (profile == NULL)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND,
                   "Profile '%s' not found.", name);
      return NULL;
    }

  return prefect_ctx_use_profile_object (profile, override_environment_variables,
                                         include_current_context, error);
}

static gboolean
prefect_ctx_settings_context_validate (PrefectCtxContext  *context,
                                       GError            **error)
{
  PrefectCtxSettingsContext *self = PREFECT_CTX_SETTINGS_CONTEXT (context);

  if (self->profile == NULL || self->settings == NULL)
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "A settings context needs both a profile and settings");
      return FALSE;
    }

  return TRUE;
}

static void
prefect_ctx_settings_context_entered (PrefectCtxContext *context)
{
  create_home (PREFECT_CTX_SETTINGS_CONTEXT (context)->settings);
}

static void
prefect_ctx_settings_context_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  PrefectCtxSettingsContext *self = PREFECT_CTX_SETTINGS_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_settings_context_set_property (GObject      *object,
                                           guint         prop_id,
                                           const GValue *value,
                                           GParamSpec   *pspec)
{
  PrefectCtxSettingsContext *self = PREFECT_CTX_SETTINGS_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_set_object (&self->profile, g_value_get_object (value));
      break;

    case PROP_SETTINGS:
      g_set_object (&self->settings, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_settings_context_finalize (GObject *object)
{
  PrefectCtxSettingsContext *self = PREFECT_CTX_SETTINGS_CONTEXT (object);

  g_clear_object (&self->profile);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (prefect_ctx_settings_context_parent_class)->finalize (object);
}

static void
prefect_ctx_settings_context_class_init (PrefectCtxSettingsContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PrefectCtxContextClass *context_class = PREFECT_CTX_CONTEXT_CLASS (klass);

  object_class->get_property = prefect_ctx_settings_context_get_property;
  object_class->set_property = prefect_ctx_settings_context_set_property;
  object_class->finalize = prefect_ctx_settings_context_finalize;

  context_class->validate = prefect_ctx_settings_context_validate;
  context_class->entered = prefect_ctx_settings_context_entered;

  prefect_ctx_context_class_declare_kind (context_class, "settings");
  g_atomic_int_set (&kind_slot, _prefect_ctx_context_class_get_slot (context_class));

  /**
   * PrefectCtxSettingsContext:profile: (getter get_profile)
   *
   * The profile the settings come from. Required.
   */
  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL,
                         PREFECT_CTX_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxSettingsContext:settings: (getter get_settings)
   *
   * The settings in effect. Required.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         PREFECT_CTX_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_settings_context_init (PrefectCtxSettingsContext *self)
{
}
