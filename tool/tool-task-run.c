/* tool-task-run.c: prefectctx task-run ls|inspect
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The latest task runs of the run store, as `prefect task-run ls` lists
 * them; a task run read by its ID: its fields and its state history, as
 * `prefect task-run inspect` shows one.
 */
#include "prefectctx-tool.h"

static void
print_field (const char *name,
             const char *value)
{
  g_print ("  %-13s%s\n", name, value != NULL && *value != '\0' ? value : "-");
}

/* ---- ls ----------------------------------------------------------------- */

static int ls_limit = 15;
static char *ls_flow_run;

static const GOptionEntry ls_entries[] = {
  { "limit", 'n', 0, G_OPTION_ARG_INT, &ls_limit, "Show at most N task runs (default 15)", "N" },
  { "flow-run", 'f', 0, G_OPTION_ARG_STRING, &ls_flow_run, "Only the task runs of flow run ID", "ID" },
  { NULL }
};

static int
task_run_ls (int argc, char **argv, GError **error)
{
  g_autoptr(PrefectCtxClient) client = NULL;
  g_autoptr(GListModel) runs = NULL;
  g_autofree char *flow_run_id = g_steal_pointer (&ls_flow_run);  /* freed on every path */
  guint n;

  if (!tool_check_ls_args (argc, ls_limit, error))
    return TOOL_EXIT_USAGE;

  client = tool_open_store (error);
  if (client == NULL)
    return TOOL_EXIT_FAILURE;

  /* A flow run that is not there is an error, not an empty list. */
  if (flow_run_id != NULL)
    {
      char *whole = tool_expand_id (client, FALSE, flow_run_id, error);

      if (whole == NULL)
        return TOOL_EXIT_FAILURE;
      g_free (flow_run_id);
      flow_run_id = whole;
    }
  if (flow_run_id != NULL)
    {
      g_autoptr(PrefectCtxFlowRun) flow_run = prefect_ctx_client_read_flow_run (client, flow_run_id, NULL, error);

      if (flow_run == NULL)
        {
          tool_name_missing (error, "Flow run", flow_run_id);
          return TOOL_EXIT_FAILURE;
        }
    }

  runs = prefect_ctx_client_read_latest_task_runs (client, flow_run_id, (guint) ls_limit, 0, NULL, error);
  if (runs == NULL)
    return TOOL_EXIT_FAILURE;

  if (tool_print_ls_json_or_empty (runs, (JsonNode *(*) (gpointer)) prefect_ctx_task_run_to_json_node, "No task runs found."))
    return TOOL_EXIT_OK;

  n = g_list_model_get_n_items (runs);

  g_print ("%-36s  %-36s  %-24s  %-10s  %s\n", "ID", "FLOW RUN", "NAME", "STATE", "WHEN");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PrefectCtxTaskRun) run = g_list_model_get_item (runs, i);
      PrefectCtxState *state = prefect_ctx_task_run_get_state (run);
      GDateTime *when = prefect_ctx_task_run_get_start_time (run);
      const char *flow_run = prefect_ctx_task_run_get_flow_run_id (run);
      g_autofree char *when_text = NULL;

      /* Not started: when it got its state, as Prefect's list shows. */
      if (when == NULL && state != NULL)
        when = prefect_ctx_state_get_timestamp (state);
      when_text = tool_format_time (when);

      g_print ("%-36s  %-36s  %-24s  %-10s  %s\n",
               prefect_ctx_task_run_get_id (run),
               flow_run != NULL ? flow_run : "-",
               prefect_ctx_task_run_get_name (run),
               state != NULL ? prefect_ctx_state_get_name (state) : "-",
               when_text);
    }
  return TOOL_EXIT_OK;
}

/* ---- inspect ------------------------------------------------------------ */

static int
task_run_inspect (int argc, char **argv, GError **error)
{
  g_autofree char *whole_id = NULL;
  int open_status;
  g_autoptr(PrefectCtxClient) client = NULL;
  g_autoptr(PrefectCtxTaskRun) run = NULL;
  g_autoptr(GListModel) states = NULL;
  PrefectCtxState *state;

  client = tool_open_store_for_id (argc, argv, TRUE, FALSE, &whole_id, &open_status, error);
  if (client == NULL)
    return open_status;

  run = prefect_ctx_client_read_task_run (client, argv[1], NULL, error);
  if (run != NULL)
    states = prefect_ctx_client_read_task_run_states (client, argv[1], NULL, error);
  if (states == NULL)
    {
      tool_name_missing (error, "Task run", argv[1]);
      return TOOL_EXIT_FAILURE;
    }

  if (tool_get_json ())
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();
      JsonArray *history = json_array_new ();

      json_object_set_member (object, "task_run", prefect_ctx_task_run_to_json_node (run));
      for (guint i = 0; i < g_list_model_get_n_items (states); i++)
        {
          g_autoptr(PrefectCtxState) item = g_list_model_get_item (states, i);

          json_array_add_element (history, prefect_ctx_state_to_json_node (item));
        }
      json_object_set_array_member (object, "states", history);
      json_node_take_object (root, object);
      tool_print_json (root);
      return TOOL_EXIT_OK;
    }

  state = prefect_ctx_task_run_get_state (run);
  g_print ("Task run '%s'\n", prefect_ctx_task_run_get_name (run));
  print_field ("id", prefect_ctx_task_run_get_id (run));
  print_field ("flow run", prefect_ctx_task_run_get_flow_run_id (run));
  print_field ("task key", prefect_ctx_task_run_get_task_key (run));
  print_field ("dynamic key", prefect_ctx_task_run_get_dynamic_key (run));
  print_field ("state", state != NULL ? prefect_ctx_state_get_name (state) : NULL);
  {
    g_autofree char *tags = g_strjoinv (", ", (char **) prefect_ctx_task_run_get_tags (run));
    g_autofree char *run_count = g_strdup_printf ("%d", prefect_ctx_task_run_get_run_count (run));
    g_autofree char *start = tool_format_time (prefect_ctx_task_run_get_start_time (run));
    g_autofree char *end = tool_format_time (prefect_ctx_task_run_get_end_time (run));
    g_autofree char *duration = tool_format_duration (prefect_ctx_task_run_get_start_time (run),
                                                      prefect_ctx_task_run_get_end_time (run));

    print_field ("tags", tags);
    print_field ("run count", run_count);
    print_field ("start", start);
    print_field ("end", end);
    print_field ("duration", duration);
  }

  g_print ("\nStates (%u):\n", g_list_model_get_n_items (states));
  for (guint i = 0; i < g_list_model_get_n_items (states); i++)
    {
      g_autoptr(PrefectCtxState) item = g_list_model_get_item (states, i);
      g_autofree char *when = tool_format_time (prefect_ctx_state_get_timestamp (item));
      const char *message = prefect_ctx_state_get_message (item);

      g_print ("  %s  %s%s%s\n", when, prefect_ctx_state_get_name (item),
               message != NULL && *message != '\0' ? ": " : "", message != NULL ? message : "");
    }
  return TOOL_EXIT_OK;
}

static const ToolCommand task_run_subcommands[] = {
  { .name = "ls",
    .summary = "List task runs, newest first",
    .entries = ls_entries, .run = task_run_ls },
  { .name = "inspect", .parameter_string = "ID",
    .summary = "Show a task run: its fields and its state history",
    .run = task_run_inspect },
  { NULL }
};

const ToolCommand tool_task_run_command = {
  .name = "task-run",
  .summary = "List and inspect the task runs of the run store",
  .description =
    "The run store is $PREFECT_HOME/prefectctx.db, or the Prefect server at PREFECT_API_URL\n"
    "when that is set; it is only read.",
  .subcommands = task_run_subcommands,
};
