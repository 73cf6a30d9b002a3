/* tool-profile.c: prefectctx profile ls | inspect | use | create | delete
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The profiles file is PREFECT_PROFILES_PATH ($PREFECT_HOME/profiles.toml),
 * read and written through PrefectCtxProfiles. The profile in effect is the
 * root settings context's: --profile, else PREFECT_PROFILE, else the file's
 * `active` key.
 */
#include "prefectctx-tool.h"

/* The name of the profile in effect for this process. */
static const char *
current_profile_name (void)
{
  PrefectCtxSettingsContext *root = prefect_ctx_root_settings_context ();
  PrefectCtxProfile *profile = root != NULL ? prefect_ctx_settings_context_get_profile (root) : NULL;

  return profile != NULL ? prefect_ctx_profile_get_name (profile) : PREFECT_CTX_DEFAULT_PROFILE;
}

static gboolean
check_args (int          argc,
            int          min,
            int          max,
            const char  *what,
            GError     **error)
{
  if (argc - 1 < min)
    {
      g_set_error (error, TOOL_USAGE_ERROR, 0, "Missing argument %s", what);
      return FALSE;
    }
  if (argc - 1 > max)
    {
      g_set_error_literal (error, TOOL_USAGE_ERROR, 0, "Too many arguments");
      return FALSE;
    }
  return TRUE;
}

/* Prints what a command changed in the profiles file, as JSON:
 * {"<what>": "NAME", "path": "PATH"}, without "path" when @path is NULL. */
static void
print_change_json (const char *what,
                   const char *name,
                   const char *path)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, what);
  json_builder_add_string_value (builder, name);
  if (path != NULL)
    {
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, path);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  tool_print_json (root);
}

/* ---- ls ---------------------------------------------------------------- */

static int
profile_ls (int argc, char **argv, GError **error)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  const char *current;
  const char * const *names;

  if (!check_args (argc, 0, 0, NULL, error))
    return TOOL_EXIT_USAGE;

  profiles = prefect_ctx_profiles_load (error);
  if (profiles == NULL)
    return TOOL_EXIT_FAILURE;

  current = current_profile_name ();
  names = prefect_ctx_profiles_get_names (profiles);

  if (tool_get_json ())
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, prefect_ctx_profiles_get_path (profiles));
      json_builder_set_member_name (builder, "active");
      json_builder_add_string_value (builder, current);
      json_builder_set_member_name (builder, "profiles");
      json_builder_begin_array (builder);
      for (guint i = 0; names[i] != NULL; i++)
        json_builder_add_string_value (builder, names[i]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      tool_print_json (root);
      return TOOL_EXIT_OK;
    }

  for (guint i = 0; names[i] != NULL; i++)
    g_print ("%s %s\n", g_str_equal (names[i], current) ? "*" : " ", names[i]);

  return TOOL_EXIT_OK;
}

/* ---- inspect ----------------------------------------------------------- */

static int
profile_inspect (int argc, char **argv, GError **error)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  PrefectCtxProfile *profile;
  const char *name;
  g_autoptr(GHashTable) settings = NULL;
  g_autoptr(GList) keys = NULL;

  if (!check_args (argc, 0, 1, NULL, error))
    return TOOL_EXIT_USAGE;

  profiles = prefect_ctx_profiles_load (error);
  if (profiles == NULL)
    return TOOL_EXIT_FAILURE;

  name = argc > 1 ? argv[1] : current_profile_name ();
  profile = prefect_ctx_profiles_lookup (profiles, name);
  if (profile == NULL)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND,
                   "Profile '%s' not found.", name);
      return TOOL_EXIT_FAILURE;
    }

  settings = prefect_ctx_profile_dup_settings (profile);
  keys = g_list_sort (g_hash_table_get_keys (settings), (GCompareFunc) g_strcmp0);

  if (tool_get_json ())
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "active");
      json_builder_add_boolean_value (builder, g_str_equal (name, current_profile_name ()));
      json_builder_set_member_name (builder, "settings");
      json_builder_begin_object (builder);
      for (GList *l = keys; l != NULL; l = l->next)
        {
          json_builder_set_member_name (builder, l->data);
          json_builder_add_string_value (builder,
                                         prefect_ctx_settings_name_is_secret (l->data)
                                           ? PREFECT_CTX_SECRET_PLACEHOLDER
                                           : g_hash_table_lookup (settings, l->data));
        }
      json_builder_end_object (builder);
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      tool_print_json (root);
      return TOOL_EXIT_OK;
    }

  if (keys == NULL)
    g_print ("Profile '%s' is empty.\n", name);
  for (GList *l = keys; l != NULL; l = l->next)
    g_print ("%s='%s'\n", (const char *) l->data,
             prefect_ctx_settings_name_is_secret (l->data)
               ? PREFECT_CTX_SECRET_PLACEHOLDER
               : (const char *) g_hash_table_lookup (settings, l->data));

  return TOOL_EXIT_OK;
}

/* ---- use --------------------------------------------------------------- */

static int
profile_use (int argc, char **argv, GError **error)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  const char *name;
  const char *environment;

  if (!check_args (argc, 1, 1, "NAME", error))
    return TOOL_EXIT_USAGE;
  name = argv[1];

  profiles = prefect_ctx_profiles_load (error);
  if (profiles == NULL)
    return TOOL_EXIT_FAILURE;

  if (!prefect_ctx_profiles_set_active (profiles, name, error)
      || !prefect_ctx_profiles_save (profiles, NULL, error))
    return TOOL_EXIT_FAILURE;

  if (tool_get_json ())
    print_change_json ("active", name, prefect_ctx_profiles_get_path (profiles));
  else
    g_print ("Profile '%s' is now active (%s).\n", name, prefect_ctx_profiles_get_path (profiles));

  environment = g_getenv ("PREFECT_PROFILE");
  if (environment != NULL && g_strcmp0 (environment, name) != 0)
    g_printerr ("Note: PREFECT_PROFILE='%s' is set in the environment and takes precedence "
                "over the active profile.\n", environment);

  return TOOL_EXIT_OK;
}

/* ---- create ------------------------------------------------------------ */

static char *create_from;

static const GOptionEntry create_entries[] = {
  { "from", 0, 0, G_OPTION_ARG_STRING, &create_from,
    "Copy the settings of profile OTHER", "OTHER" },
  { NULL }
};

static int
profile_create (int argc, char **argv, GError **error)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(PrefectCtxProfile) profile = NULL;
  g_autoptr(GHashTable) settings = NULL;
  g_autofree char *from_name = g_steal_pointer (&create_from);  /* freed on every path */
  const char *name;

  if (!check_args (argc, 1, 1, "NAME", error))
    return TOOL_EXIT_USAGE;
  name = argv[1];

  profiles = prefect_ctx_profiles_load (error);
  if (profiles == NULL)
    return TOOL_EXIT_FAILURE;

  if (prefect_ctx_profiles_lookup (profiles, name) != NULL)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Profile '%s' already exists.", name);
      return TOOL_EXIT_FAILURE;
    }

  if (from_name != NULL)
    {
      PrefectCtxProfile *from = prefect_ctx_profiles_lookup (profiles, from_name);

      if (from == NULL)
        {
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND,
                       "Profile '%s' not found.", from_name);
          return TOOL_EXIT_FAILURE;
        }
      settings = prefect_ctx_profile_dup_settings (from);
    }

  profile = prefect_ctx_profile_new (name, settings, prefect_ctx_profiles_get_path (profiles), error);
  if (profile == NULL)
    return TOOL_EXIT_FAILURE;

  prefect_ctx_profiles_add_profile (profiles, profile);
  if (!prefect_ctx_profiles_save (profiles, NULL, error))
    return TOOL_EXIT_FAILURE;

  if (tool_get_json ())
    {
      print_change_json ("created", name, prefect_ctx_profiles_get_path (profiles));
    }
  else
    {
      g_print ("Created profile '%s'%s%s%s.\n", name,
               from_name != NULL ? " from '" : "",
               from_name != NULL ? from_name : "",
               from_name != NULL ? "'" : "");
      g_print ("Switch to it with: prefectctx profile use '%s'\n", name);
    }

  return TOOL_EXIT_OK;
}

/* ---- delete ------------------------------------------------------------ */

static int
profile_delete (int argc, char **argv, GError **error)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  const char *name;

  if (!check_args (argc, 1, 1, "NAME", error))
    return TOOL_EXIT_USAGE;
  name = argv[1];

  profiles = prefect_ctx_profiles_load (error);
  if (profiles == NULL)
    return TOOL_EXIT_FAILURE;

  /* The profile in effect (chosen by --profile or PREFECT_PROFILE) is as
   * much in use as the file's active one. */
  if (g_str_equal (name, current_profile_name ())
      && prefect_ctx_profiles_lookup (profiles, name) != NULL
      && g_strcmp0 (name, prefect_ctx_profiles_get_active_name (profiles)) != 0)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Profile '%s' is the profile in use. You must switch profiles "
                   "before it can be deleted.", name);
      return TOOL_EXIT_FAILURE;
    }

  if (!prefect_ctx_profiles_remove_profile (profiles, name, error)
      || !prefect_ctx_profiles_save (profiles, NULL, error))
    return TOOL_EXIT_FAILURE;

  if (tool_get_json ())
    print_change_json ("removed", name, NULL);
  else
    g_print ("Removed profile '%s'.\n", name);

  return TOOL_EXIT_OK;
}

static const ToolCommand profile_subcommands[] = {
  { .name = "ls", .summary = "List the profiles; '*' marks the one in use",
    .run = profile_ls },
  { .name = "inspect", .parameter_string = "[NAME]",
    .summary = "Show the settings of a profile (the one in use by default); secrets are redacted",
    .run = profile_inspect },
  { .name = "use", .parameter_string = "NAME",
    .summary = "Make a profile the active one in the profiles file",
    .run = profile_use },
  { .name = "create", .parameter_string = "NAME",
    .summary = "Create an empty profile, or a copy of another with --from",
    .entries = create_entries, .run = profile_create },
  { .name = "delete", .parameter_string = "NAME",
    .summary = "Delete a profile (not the one in use)",
    .run = profile_delete },
  { NULL }
};

const ToolCommand tool_profile_command = {
  .name = "profile",
  .summary = "List, inspect, select, create and delete settings profiles",
  .description =
    "The profiles file is PREFECT_PROFILES_PATH (default $PREFECT_HOME/profiles.toml).\n"
    "The profile in use is --profile NAME, else PREFECT_PROFILE, else the file's 'active' key.",
  .subcommands = profile_subcommands,
};
