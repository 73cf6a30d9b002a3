/* tool-demo.c: prefectctx demo
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs the demo flow (prefectctx-demo.c) on the run store of the current
 * settings, which it creates if needed, then prints what the store recorded.
 */
#include "prefectctx-tool.h"
#include "prefectctx-demo.h"

static int
demo_run (int argc, char **argv, GError **error)
{
  g_autoptr(PrefectCtxClient) client = NULL;
  g_autoptr(GError) run_error = NULL;
  g_autofree char *store = NULL;
  g_autofree char *store_location = NULL;
  g_auto(PrefectCtxDemoRun) run = { 0 };
  gboolean json = tool_get_json ();
  gboolean ok;

  if (argc > 1)
    {
      g_set_error_literal (error, TOOL_USAGE_ERROR, 0, "Too many arguments");
      return TOOL_EXIT_USAGE;
    }

  /* Before anything is logged: g_info () inside the runs becomes run logs. */
  prefect_ctx_install_log_writer ();

  store = tool_describe_store ();
  store_location = tool_get_store_location ();
  client = prefect_ctx_client_get_default (error);
  if (client == NULL)
    return TOOL_EXIT_FAILURE;

  if (!json)
    {
      g_print ("Running the demo flow 'etl-demo' on %s\n\n", store);
      g_print ("Each run body prints what it sees through prefect.runtime and the current contexts:\n");
    }

  ok = prefect_ctx_demo_run (client, !json, &run, &run_error);

  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_node_take_object (root, object);
      json_object_set_string_member (object, "store", store_location);
      if (run.result != NULL)
        json_object_set_member (object, "result", json_gvariant_serialize (run.result));
      else
        json_object_set_null_member (object, "result");
      if (run_error != NULL)
        json_object_set_string_member (object, "error", run_error->message);
      if (run.flow_run_id != NULL)
        {
          JsonNode *node = tool_flow_run_to_json (client, run.flow_run_id, TRUE, error);

          if (node == NULL)
            return TOOL_EXIT_FAILURE;
          json_object_set_member (object, "flow_run", node);
        }
      if (run.subflow_run_id != NULL)
        {
          JsonNode *node = tool_flow_run_to_json (client, run.subflow_run_id, TRUE, error);

          if (node == NULL)
            return TOOL_EXIT_FAILURE;
          json_object_set_member (object, "subflow_run", node);
        }
      tool_print_json (root);
    }
  else
    {
      g_autofree char *result = tool_format_variant (run.result);

      if (ok)
        g_print ("\nThe flow run returned %s.\n", result);
      if (run.flow_run_id != NULL)
        {
          g_print ("\nWhat the run store recorded:\n\n");
          if (!tool_print_flow_run (client, run.flow_run_id, TRUE, TRUE, error))
            return TOOL_EXIT_FAILURE;
        }
      if (run.subflow_run_id != NULL)
        {
          g_autoptr(PrefectCtxFlowRun) subflow = prefect_ctx_client_read_flow_run (client, run.subflow_run_id,
                                                                                   NULL, error);
          g_autoptr(PrefectCtxTaskRun) parent = NULL;

          if (subflow != NULL)
            parent = prefect_ctx_client_read_task_run (client, prefect_ctx_flow_run_get_parent_task_run_id (subflow),
                                                       NULL, error);
          if (parent == NULL)
            return TOOL_EXIT_FAILURE;
          g_print ("\nThe subflow (the task run '%s' above):\n\n", prefect_ctx_task_run_get_name (parent));
          if (!tool_print_flow_run (client, run.subflow_run_id, TRUE, TRUE, error))
            return TOOL_EXIT_FAILURE;
        }
      if (run.flow_run_id != NULL)
        g_print ("\nSee it again with:\n"
                 "  prefectctx flow-run ls\n"
                 "  prefectctx flow-run inspect %s\n"
                 "  prefectctx flow-run logs %s\n",
                 run.flow_run_id, run.flow_run_id);
    }

  if (run_error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&run_error), "The demo flow run failed: ");
      return TOOL_EXIT_FAILURE;
    }

  return TOOL_EXIT_OK;
}

const ToolCommand tool_demo_command = {
  .name = "demo",
  .summary = "Run the demo flow on the run store and show what was recorded",
  .description =
    "Runs the flow 'etl-demo' on the run store of the current settings\n"
    "($PREFECT_HOME/prefectctx.db, created if needed, or the Prefect server at\n"
    "PREFECT_API_URL when that is set): parameters, a run-level custom\n"
    "context, nested tags, a task called on the flow's thread, tasks submitted to worker\n"
    "threads, a task that fails once and succeeds on retry, a subflow, and log lines\n"
    "written inside the tasks. Each run body prints what it sees; then the flow run and\n"
    "its subflow are printed as the store recorded them: states, task runs with their\n"
    "states and durations, and logs.",
  .run = demo_run,
};
