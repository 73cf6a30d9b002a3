/* prefectctx.c: the prefectctx command-line tool
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   prefectctx [--profile NAME] [--json] COMMAND [SUBCOMMAND] [OPTION…] [ARG…]
 *
 * Each level of the command line is parsed by its own GOptionContext: the
 * tool's and each group's contexts stop at the first argument that is not an
 * option (strict POSIX), which names the next level; a command's context
 * takes its own options and the global ones anywhere among its arguments.
 * Nothing touches the settings before the whole command line is parsed, so
 * --profile is given to prefect_ctx_set_command_line_profile () first.
 *
 * Exit codes: 0 success, 1 the command failed, 2 the command line is wrong.
 */
#include <locale.h>
#include <stdio.h>

#include "prefectctx-tool.h"

G_DEFINE_QUARK (prefectctx-tool-usage-error-quark, tool_usage_error)

static gboolean opt_json;
static char *opt_profile;
static gboolean opt_help;
static gboolean opt_version;

static const GOptionEntry global_entries[] = {
  { "profile", 0, 0, G_OPTION_ARG_STRING, &opt_profile,
    "Use the settings of profile NAME (over PREFECT_PROFILE and the profiles file)", "NAME" },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
    "Print JSON rather than text", NULL },
  { NULL }
};

static const GOptionEntry help_entries[] = {
  { "help", 'h', 0, G_OPTION_ARG_NONE, &opt_help, "Show this help and exit", NULL },
  { NULL }
};

static const GOptionEntry version_entries[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, "Show the version and exit", NULL },
  { NULL }
};

gboolean
tool_get_json (void)
{
  return opt_json;
}

/* -------------------------------------------------------------------------
 * Output helpers
 * ------------------------------------------------------------------------- */

/* A JSON array of the items of @list (none for %NULL), each made by @to_node. */
JsonNode *
tool_list_to_json (GListModel *list,
                   JsonNode   *(*to_node) (gpointer item))
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  guint n = list != NULL ? g_list_model_get_n_items (list) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (list, i);

      json_array_add_element (array, to_node (item));
    }
  json_node_take_array (node, array);

  return node;
}

void
tool_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* A time for people: UTC, to the millisecond, "2024-05-01 12:30:00.123". */
char *
tool_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *seconds = NULL;

  if (time == NULL)
    return g_strdup ("-");

  utc = g_date_time_to_utc (time);
  seconds = g_date_time_format (utc, "%Y-%m-%d %H:%M:%S");
  return g_strdup_printf ("%s.%03d", seconds, g_date_time_get_microsecond (utc) / 1000);
}

char *
tool_format_duration (GDateTime *start,
                      GDateTime *end)
{
  GTimeSpan span;

  if (start == NULL || end == NULL)
    return g_strdup ("-");

  span = g_date_time_difference (end, start);
  return g_strdup_printf ("%.3fs", (double) span / G_TIME_SPAN_SECOND);
}

/* A value as compact JSON: parameters, runtime attributes. NULL is "null". */
char *
tool_format_variant (GVariant *value)
{
  g_autoptr(JsonNode) node = NULL;

  if (value == NULL)
    return g_strdup ("null");

  node = json_gvariant_serialize (value);
  return json_to_string (node, FALSE);
}

JsonNode *
tool_time_node (GDateTime *time)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  if (time == NULL)
    {
      json_node_init_null (node);
    }
  else
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
      g_autofree char *text = g_date_time_format_iso8601 (utc);

      json_node_set_string (node, text);
    }

  return node;
}

const char *
tool_log_level_name (int level)
{
  switch (level)
    {
    case 50: return "CRITICAL";
    case 40: return "ERROR";
    case 30: return "WARNING";
    case 20: return "INFO";
    case 10: return "DEBUG";
    case 0: return "NOTSET";
    default: return NULL;
    }
}

/* -------------------------------------------------------------------------
 * The run store
 * ------------------------------------------------------------------------- */

static PrefectCtxSettings *
current_settings (void)
{
  PrefectCtxSettingsContext *context = prefect_ctx_settings_context_get_current ();

  if (context != NULL && prefect_ctx_settings_context_get_settings (context) != NULL)
    return g_object_ref (prefect_ctx_settings_context_get_settings (context));

  return prefect_ctx_settings_new_from_environment ();
}

char *
tool_get_store_path (void)
{
  g_autoptr(PrefectCtxSettings) settings = current_settings ();
  g_autofree char *home = prefect_ctx_settings_get_home (settings);

  return g_build_filename (home, "prefectctx.db", NULL);
}

/* Where the current settings' store is: the API URL when PREFECT_API_URL
 * is set, else the path of the local store. */
char *
tool_get_store_location (void)
{
  g_autoptr(PrefectCtxSettings) settings = current_settings ();
  const char *api_url = prefect_ctx_settings_get_api_url (settings);

  return api_url != NULL ? g_strdup (api_url) : tool_get_store_path ();
}

/* What the current settings' store is, for people: "the Prefect server at
 * URL" when PREFECT_API_URL is set, else "the run store PATH". */
char *
tool_describe_store (void)
{
  g_autoptr(PrefectCtxSettings) settings = current_settings ();
  const char *api_url = prefect_ctx_settings_get_api_url (settings);
  g_autofree char *path = NULL;

  if (api_url != NULL)
    return g_strdup_printf ("the Prefect server at %s", api_url);
  path = tool_get_store_path ();
  return g_strdup_printf ("the run store %s", path);
}

gboolean
tool_check_id_arg (int      argc,
                   GError **error)
{
  if (argc == 2)
    return TRUE;
  g_set_error_literal (error, TOOL_USAGE_ERROR, 0, argc < 2 ? "Missing argument ID" : "Too many arguments");
  return FALSE;
}

void
tool_name_missing (GError     **error,
                   const char  *what,
                   const char  *id)
{
  if (error != NULL && *error != NULL && g_error_matches (*error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND))
    {
      g_free ((*error)->message);
      (*error)->message = g_strdup_printf ("%s '%s' not found", what, id);
    }
}

gboolean
tool_check_ls_args (int      argc,
                    int      limit,
                    GError **error)
{
  if (argc > 1)
    {
      g_set_error_literal (error, TOOL_USAGE_ERROR, 0, "Too many arguments");
      return FALSE;
    }
  if (limit < 1)
    {
      g_set_error (error, TOOL_USAGE_ERROR, 0, "--limit must be at least 1, not %d", limit);
      return FALSE;
    }
  return TRUE;
}

gboolean
tool_print_ls_json_or_empty (GListModel  *list,
                             JsonNode    *(*to_node) (gpointer item),
                             const char  *empty)
{
  if (tool_get_json ())
    {
      g_autoptr(JsonNode) node = tool_list_to_json (list, to_node);

      tool_print_json (node);
      return TRUE;
    }
  if (g_list_model_get_n_items (list) == 0)
    {
      g_print ("%s\n", empty);
      return TRUE;
    }
  return FALSE;
}

char *
tool_expand_id (PrefectCtxClient  *client,
                gboolean           task_run,
                const char        *arg,
                GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  char *id;

  if (*arg == '\0' || g_uuid_string_is_valid (arg) || !PREFECT_CTX_IS_LOCAL_CLIENT (client))
    return g_strdup (arg);

  id = task_run ? prefect_ctx_local_client_expand_task_run_id (PREFECT_CTX_LOCAL_CLIENT (client), arg, &local_error)
                : prefect_ctx_local_client_expand_flow_run_id (PREFECT_CTX_LOCAL_CLIENT (client), arg, &local_error);
  if (id != NULL)
    return id;
  /* None: the command's read says "'ARG' not found". */
  if (g_error_matches (local_error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND))
    return g_strdup (arg);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/* tool_expand_id () of a command's ID argument, argv[1], which then
 * points at the whole ID, kept in *@whole_id (to free). */
static gboolean
tool_expand_id_arg (PrefectCtxClient  *client,
                    gboolean           task_run,
                    char             **argv,
                    char             **whole_id,
                    GError           **error)
{
  *whole_id = tool_expand_id (client, task_run, argv[1], error);
  if (*whole_id == NULL)
    return FALSE;
  argv[1] = *whole_id;
  return TRUE;
}

/* A flow's name, read once per flow ID. */
const char *
tool_lookup_flow_name (PrefectCtxClient *client,
                       GHashTable       *cache,
                       const char       *flow_id)
{
  g_autoptr(PrefectCtxFlow) flow = NULL;
  const char *name;

  if (flow_id == NULL)
    return "-";

  name = g_hash_table_lookup (cache, flow_id);
  if (name != NULL)
    return name;

  flow = prefect_ctx_client_read_flow (client, flow_id, NULL, NULL);
  g_hash_table_insert (cache, g_strdup (flow_id),
                       g_strdup (flow != NULL ? prefect_ctx_flow_get_name (flow) : "?"));

  return g_hash_table_lookup (cache, flow_id);
}

/* Commands never create a store: a missing one is an error, so that a
 * wrong PREFECT_HOME or profile shows at once instead of as an empty list.
 * A read command opens the local store read-only; @to_write opens it to
 * change it. */
static PrefectCtxClient *
open_store (gboolean   to_write,
            GError   **error)
{
  g_autoptr(PrefectCtxSettings) settings = current_settings ();
  g_autofree char *path = tool_get_store_path ();

  if (prefect_ctx_settings_get_api_url (settings) != NULL)
    return prefect_ctx_client_get_default (error);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND,
                   "No run store at %s: nothing has run with these settings yet "
                   "(check PREFECT_HOME and the profile; `prefectctx demo` records a flow run)",
                   path);
      return NULL;
    }

  if (to_write)
    return PREFECT_CTX_CLIENT (prefect_ctx_local_client_new (path, error));
  /* Opened only to read: a read command never writes to the file. */
  return PREFECT_CTX_CLIENT (prefect_ctx_local_client_open_read_only (path, error));
}

PrefectCtxClient *
tool_open_store (GError **error)
{
  return open_store (FALSE, error);
}

PrefectCtxClient *
tool_open_store_to_write (GError **error)
{
  return open_store (TRUE, error);
}

PrefectCtxClient *
tool_open_store_for_id (int          argc,
                        char       **argv,
                        gboolean     task_run,
                        gboolean     to_write,
                        char       **whole_id,
                        int         *status,
                        GError     **error)
{
  g_autoptr(PrefectCtxClient) client = NULL;

  *status = TOOL_EXIT_USAGE;
  if (!tool_check_id_arg (argc, error))
    return NULL;
  *status = TOOL_EXIT_FAILURE;
  client = open_store (to_write, error);
  if (client == NULL || !tool_expand_id_arg (client, task_run, argv, whole_id, error))
    return NULL;
  *status = TOOL_EXIT_OK;
  return g_steal_pointer (&client);
}

/* -------------------------------------------------------------------------
 * Command-line parsing
 * ------------------------------------------------------------------------- */

static void
print_usage_error (const char *prgname,
                   const char *message)
{
  g_printerr ("%s: %s\n", prgname, message);
  g_printerr ("Try '%s --help' for more information.\n", prgname);
}

static char *
describe_subcommands (const ToolCommand *command)
{
  GString *out = g_string_new ("Commands:\n");
  int width = 0;

  for (const ToolCommand *sub = command->subcommands; sub->name != NULL; sub++)
    width = MAX (width, (int) strlen (sub->name));
  for (const ToolCommand *sub = command->subcommands; sub->name != NULL; sub++)
    g_string_append_printf (out, "  %-*s  %s\n", width, sub->name, sub->summary);
  g_string_append_printf (out, "\nRun '%s COMMAND --help' for the options of a command.",
                          g_get_prgname ());
  if (command->description != NULL)
    g_string_append_printf (out, "\n\n%s", command->description);

  return g_string_free (out, FALSE);
}

static GOptionContext *
make_context (const ToolCommand *command,
              gboolean           is_root)
{
  GOptionContext *context;
  const char *parameter;

  if (command->subcommands != NULL)
    parameter = "COMMAND";
  else
    parameter = command->parameter_string;

  context = g_option_context_new (parameter);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_summary (context, command->summary);

  if (command->entries != NULL)
    g_option_context_add_main_entries (context, command->entries, NULL);
  g_option_context_add_main_entries (context, global_entries, NULL);
  if (is_root)
    g_option_context_add_main_entries (context, version_entries, NULL);
  g_option_context_add_main_entries (context, help_entries, NULL);

  if (command->subcommands != NULL)
    {
      g_autofree char *description = describe_subcommands (command);

      /* Stop at the subcommand: its options are its own. */
      g_option_context_set_strict_posix (context, TRUE);
      g_option_context_set_description (context, description);
    }
  else if (command->description != NULL)
    {
      g_option_context_set_description (context, command->description);
    }

  return context;
}

static void
print_help (GOptionContext *context)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_print ("%s", help);
}

static int
run_command (const ToolCommand *command,
             const char        *prgname,
             int                argc,
             char             **argv,
             gboolean           is_root)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) remaining = NULL;
  const GOptionEntry remaining_entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &remaining, NULL, NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) args = NULL;
  int status;

  g_set_prgname (prgname);
  context = make_context (command, is_root);
  if (command->subcommands == NULL)
    g_option_context_add_main_entries (context, remaining_entries, NULL);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      print_usage_error (prgname, error->message);
      return TOOL_EXIT_USAGE;
    }

  if (opt_help)
    {
      print_help (context);
      return TOOL_EXIT_OK;
    }

  if (opt_version)
    {
      g_print ("prefectctx %s (libprefectctx %s)\n", PACKAGE_VERSION, PREFECT_CTX_VERSION_S);
      return TOOL_EXIT_OK;
    }

  if (command->subcommands != NULL)
    {
      g_autofree char *sub_prgname = NULL;
      const char *name;

      if (argc < 2)
        {
          print_usage_error (prgname, "Missing command");
          return TOOL_EXIT_USAGE;
        }

      name = argv[1];
      for (const ToolCommand *sub = command->subcommands; sub->name != NULL; sub++)
        {
          if (g_str_equal (sub->name, name))
            {
              sub_prgname = g_strdup_printf ("%s %s", prgname, sub->name);
              return run_command (sub, sub_prgname, argc - 1, argv + 1, FALSE);
            }
        }

      {
        g_autofree char *message = g_strdup_printf ("Unknown command '%s'", name);

        print_usage_error (prgname, message);
      }
      return TOOL_EXIT_USAGE;
    }

  /* The whole command line is parsed: now the settings may be made. */
  if (opt_profile != NULL)
    prefect_ctx_set_command_line_profile (opt_profile);

  args = g_ptr_array_new ();
  g_ptr_array_add (args, (char *) prgname);
  for (guint i = 0; remaining != NULL && remaining[i] != NULL; i++)
    g_ptr_array_add (args, remaining[i]);
  g_ptr_array_add (args, NULL);

  status = command->run ((int) args->len - 1, (char **) args->pdata, &error);
  if (error != NULL)
    {
      if (error->domain == TOOL_USAGE_ERROR)
        {
          print_usage_error (prgname, error->message);
          return TOOL_EXIT_USAGE;
        }

      g_printerr ("%s: %s\n", prgname, error->message);
      return status != TOOL_EXIT_OK ? status : TOOL_EXIT_FAILURE;
    }

  return status;
}

int
main (int    argc,
      char **argv)
{
  const ToolCommand root = {
    .name = "prefectctx",
    .summary = "Inspect the runs, profiles and runtime of libprefectctx, and run its demo.",
    .description =
      "Flow runs are read from the run store of the current settings:\n"
      "$PREFECT_HOME/prefectctx.db (PREFECT_HOME defaults to ~/.prefect), or the Prefect\n"
      "server at PREFECT_API_URL when that is set.\n"
      "Exit status: 0 on success, 1 when the command fails, 2 for a usage error.",
    .subcommands = (const ToolCommand[]) {
      tool_config_command,
      tool_demo_command,
      tool_deployment_command,
      tool_flow_command,
      tool_flow_run_command,
      tool_profile_command,
      tool_runtime_command,
      tool_task_run_command,
      { NULL },
    },
  };
  int status;

  setlocale (LC_ALL, "");

  status = run_command (&root, "prefectctx", argc, argv, TRUE);

  g_clear_pointer (&opt_profile, g_free);
  return status;
}
