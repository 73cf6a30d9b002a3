/* tool-config.c: prefectctx config view | set | unset
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Prefect 2.10's `prefect config`: the settings in effect, and changes to
 * the profile in use, written to the profiles file (PREFECT_PROFILES_PATH).
 * The messages are Prefect's.
 */
#include "prefectctx-tool.h"

/* The settings context of this process (the root one) and its profile. */
static PrefectCtxSettingsContext *
current_context (void)
{
  return prefect_ctx_root_settings_context ();
}

static const char *
current_profile_name (void)
{
  PrefectCtxProfile *profile = prefect_ctx_settings_context_get_profile (current_context ());

  return profile != NULL ? prefect_ctx_profile_get_name (profile) : PREFECT_CTX_DEFAULT_PROFILE;
}

static gboolean
check_known (const char  *name,
             GError     **error)
{
  if (!prefect_ctx_settings_name_is_known (name))
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Unknown setting name '%s'.", name);
      return FALSE;
    }
  return TRUE;
}

/* ---- view -------------------------------------------------------------- */

static gboolean view_show_defaults;
static gboolean view_hide_sources;
static gboolean view_show_secrets;

static const GOptionEntry view_entries[] = {
  { "show-defaults", 0, 0, G_OPTION_ARG_NONE, &view_show_defaults,
    "Show every setting, the ones left at their defaults too", NULL },
  { "hide-sources", 0, 0, G_OPTION_ARG_NONE, &view_hide_sources,
    "Do not say where each value comes from (env, profile or defaults)", NULL },
  { "show-secrets", 0, 0, G_OPTION_ARG_NONE, &view_show_secrets,
    "Show the values of secret settings", NULL },
  { NULL }
};

typedef struct
{
  const char *name;
  const char *value;    /* as shown: redacted, or NULL for None */
  const char *source;   /* "env", "profile" or "defaults" */
} ShownSetting;

static int
config_view (int argc, char **argv, GError **error)
{
  PrefectCtxSettings *settings = prefect_ctx_settings_context_get_settings (current_context ());
  g_autoptr(PrefectCtxSettings) defaults = prefect_ctx_settings_new ();
  g_autoptr(GArray) shown = g_array_new (FALSE, FALSE, sizeof (ShownSetting));
  gboolean show_defaults = view_show_defaults, show_sources = !view_hide_sources;
  gboolean show_secrets = view_show_secrets;
  const char * const *names = prefect_ctx_settings_list_names ();

  view_show_defaults = view_hide_sources = view_show_secrets = FALSE;
  if (argc > 1)
    {
      g_set_error_literal (error, TOOL_USAGE_ERROR, 0, "Too many arguments");
      return TOOL_EXIT_USAGE;
    }

  for (guint i = 0; names[i] != NULL; i++)
    {
      ShownSetting setting = { names[i], NULL, NULL };
      gboolean set = prefect_ctx_settings_is_set (settings, names[i]);

      if (!set && !show_defaults)
        continue;
      setting.value = prefect_ctx_settings_get_value (set ? settings : defaults, names[i], NULL);
      if (setting.value != NULL && prefect_ctx_settings_name_is_secret (names[i]) && !show_secrets)
        setting.value = PREFECT_CTX_SECRET_PLACEHOLDER;
      setting.source = !set ? "defaults" : g_getenv (names[i]) != NULL ? "env" : "profile";
      g_array_append_val (shown, setting);
    }

  if (tool_get_json ())
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "profile");
      json_builder_add_string_value (builder, current_profile_name ());
      json_builder_set_member_name (builder, "settings");
      json_builder_begin_object (builder);
      for (guint i = 0; i < shown->len; i++)
        {
          ShownSetting *setting = &g_array_index (shown, ShownSetting, i);

          json_builder_set_member_name (builder, setting->name);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "value");
          if (setting->value != NULL)
            json_builder_add_string_value (builder, setting->value);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "source");
          json_builder_add_string_value (builder, setting->source);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      tool_print_json (root);
      return TOOL_EXIT_OK;
    }

  /* The names come sorted, as Prefect sorts its lines. */
  g_print ("PREFECT_PROFILE='%s'\n", current_profile_name ());
  for (guint i = 0; i < shown->len; i++)
    {
      ShownSetting *setting = &g_array_index (shown, ShownSetting, i);

      g_print ("%s='%s'", setting->name, setting->value != NULL ? setting->value : "None");
      if (show_sources)
        g_print (" (from %s)", setting->source);
      g_print ("\n");
    }
  return TOOL_EXIT_OK;
}

/* ---- set and unset ----------------------------------------------------- */

/* The profiles file, and the settings of the profile in use there (the
 * profile's own, when the file does not have it yet). */
static PrefectCtxProfiles *
load_profile_settings (GHashTable **settings,
                       GError     **error)
{
  PrefectCtxProfiles *profiles = prefect_ctx_profiles_load (error);
  PrefectCtxProfile *stored;

  if (profiles == NULL)
    return NULL;
  stored = prefect_ctx_profiles_lookup (profiles, current_profile_name ());
  if (stored == NULL)
    stored = prefect_ctx_settings_context_get_profile (current_context ());
  *settings = stored != NULL ? prefect_ctx_profile_dup_settings (stored)
                             : g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return profiles;
}

/* Replaces the profile in use in @profiles with @settings, and saves. */
static gboolean
save_profile_settings (PrefectCtxProfiles  *profiles,
                       GHashTable          *settings,
                       GError             **error)
{
  g_autoptr(PrefectCtxProfile) profile = NULL;

  profile = prefect_ctx_profile_new (current_profile_name (), settings, prefect_ctx_profiles_get_path (profiles),
                                     error);
  if (profile == NULL || !prefect_ctx_profile_validate (profile, error))
    return FALSE;
  prefect_ctx_profiles_add_profile (profiles, profile);
  return prefect_ctx_profiles_save (profiles, NULL, error);
}

static void
print_updated (const char *changed,
               GPtrArray  *names)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "profile");
  json_builder_add_string_value (builder, current_profile_name ());
  json_builder_set_member_name (builder, changed);
  json_builder_begin_array (builder);
  for (guint i = 0; i < names->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (names, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  tool_print_json (root);
}

static int
config_set (int argc, char **argv, GError **error)
{
  g_autoptr(GHashTable) settings = NULL;
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

  if (argc < 2)
    {
      g_set_error_literal (error, TOOL_USAGE_ERROR, 0, "Missing argument NAME=VALUE");
      return TOOL_EXIT_USAGE;
    }
  for (int i = 1; i < argc; i++)
    {
      const char *equals = strchr (argv[i], '=');
      g_autofree char *name = NULL;

      if (equals == NULL)
        {
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                       "Failed to parse argument '%s'. Use the format 'VAR=VAL'.", argv[i]);
          return TOOL_EXIT_FAILURE;
        }
      name = g_strndup (argv[i], equals - argv[i]);
      if (!check_known (name, error))
        return TOOL_EXIT_FAILURE;
      if (g_str_equal (name, "PREFECT_HOME") || g_str_equal (name, "PREFECT_PROFILES_PATH"))
        {
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                       "Setting '%s' cannot be changed with this command. "
                       "Use an environment variable instead.", name);
          return TOOL_EXIT_FAILURE;
        }
      g_ptr_array_add (names, g_steal_pointer (&name));
      g_ptr_array_add (values, g_strdup (equals + 1));
    }

  profiles = load_profile_settings (&settings, error);
  if (profiles == NULL)
    return TOOL_EXIT_FAILURE;
  for (guint i = 0; i < names->len; i++)
    g_hash_table_insert (settings, g_strdup (g_ptr_array_index (names, i)), g_strdup (g_ptr_array_index (values, i)));
  if (!save_profile_settings (profiles, settings, error))
    return TOOL_EXIT_FAILURE;

  if (tool_get_json ())
    {
      print_updated ("set", names);
      return TOOL_EXIT_OK;
    }
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      g_print ("Set '%s' to '%s'.\n", name, (const char *) g_ptr_array_index (values, i));
      if (g_getenv (name) != NULL)
        g_print ("%s is also set by an environment variable which will override your config value. "
                 "Run `unset %s` to clear it.\n", name, name);
    }
  g_print ("Updated profile '%s'.\n", current_profile_name ());
  return TOOL_EXIT_OK;
}

static int
config_unset (int argc, char **argv, GError **error)
{
  g_autoptr(GHashTable) settings = NULL;
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  if (argc < 2)
    {
      g_set_error_literal (error, TOOL_USAGE_ERROR, 0, "Missing argument NAME");
      return TOOL_EXIT_USAGE;
    }
  for (int i = 1; i < argc; i++)
    if (!check_known (argv[i], error))
      return TOOL_EXIT_FAILURE;

  profiles = load_profile_settings (&settings, error);
  if (profiles == NULL)
    return TOOL_EXIT_FAILURE;
  for (int i = 1; i < argc; i++)
    {
      if (!g_hash_table_contains (settings, argv[i]))
        {
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND,
                       "'%s' is not set in profile '%s'.", argv[i], current_profile_name ());
          return TOOL_EXIT_FAILURE;
        }
      g_hash_table_remove (settings, argv[i]);
      g_ptr_array_add (names, g_strdup (argv[i]));
    }
  if (!save_profile_settings (profiles, settings, error))
    return TOOL_EXIT_FAILURE;

  if (tool_get_json ())
    {
      print_updated ("unset", names);
      return TOOL_EXIT_OK;
    }
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      g_print ("Unset '%s'.\n", name);
      if (g_getenv (name) != NULL)
        g_print ("'%s' is also set by an environment variable. Use `unset %s` to clear it.\n", name, name);
    }
  g_print ("Updated profile '%s'.\n", current_profile_name ());
  return TOOL_EXIT_OK;
}

static const ToolCommand config_subcommands[] = {
  { .name = "view",
    .summary = "Show the settings in effect, and where each comes from; secrets are redacted",
    .entries = view_entries, .run = config_view },
  { .name = "set", .parameter_string = "NAME=VALUE…",
    .summary = "Set settings in the profile in use",
    .run = config_set },
  { .name = "unset", .parameter_string = "NAME…",
    .summary = "Remove settings from the profile in use, so that their defaults apply",
    .run = config_unset },
  { NULL }
};

const ToolCommand tool_config_command = {
  .name = "config",
  .summary = "View the settings, and change those of the profile in use",
  .description =
    "As `prefect config`: set and unset write the profile in use (--profile NAME, else\n"
    "PREFECT_PROFILE, else the profiles file's 'active' key) to PREFECT_PROFILES_PATH.\n"
    "A PREFECT_* environment variable still wins over the profile, except over a\n"
    "profile named with --profile.",
  .subcommands = config_subcommands,
};
