/* engine.c: flows and tasks in C
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A flow run with parameters that calls a task three times, one of them
 * failing once and retried, and submits two more to worker threads, on a
 * run store in a temporary directory; then what the store recorded: the
 * flow run and its task runs, with their states.
 *
 * Run: build/examples/engine
 */
#include <prefectctx.h>
#include <glib/gstdio.h>

static int attempts;

static GVariant *
double_it (PrefectCtxRunContext  *context,
           GVariant              *parameters,
           gpointer               user_data,
           GError               **error)
{
  gint64 x = 0;

  g_variant_lookup (parameters, "x", "x", &x);
  /* The task run context says which run this is. */
  g_message ("doubling %" G_GINT64_FORMAT " in task run %s", x,
             prefect_ctx_task_run_get_name (prefect_ctx_task_run_context_get_task_run (
               PREFECT_CTX_TASK_RUN_CONTEXT (context))));
  if (x == 2 && attempts++ == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, "busy, try again");
      return NULL;
    }
  return g_variant_new_int64 (2 * x);
}

static GVariant *
with_x (gint64 x)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_variant_dict_insert (&dict, "x", "x", x);
  return g_variant_dict_end (&dict);
}

static GVariant *
pipeline (PrefectCtxRunContext  *context,
          GVariant              *parameters,
          gpointer               user_data,
          GError               **error)
{
  PrefectCtxTask *task = user_data;
  g_autoptr(PrefectCtxTaskFuture) a = NULL;
  g_autoptr(PrefectCtxTaskFuture) b = NULL;
  g_autoptr(GVariant) ra = NULL;
  g_autoptr(GVariant) rb = NULL;
  gint64 total = 0;

  for (gint64 x = 1; x <= 3; x++)
    {
      g_autoptr(GVariant) doubled = prefect_ctx_task_call (task, with_x (x), double_it, NULL, error);

      if (doubled == NULL)
        return NULL;
      total += g_variant_get_int64 (doubled);
    }
  /* Submitted: run on worker threads, with this flow run's contexts. */
  a = prefect_ctx_task_submit (task, with_x (10), double_it, NULL, NULL, error);
  b = a != NULL ? prefect_ctx_task_submit (task, with_x (20), double_it, NULL, NULL, error) : NULL;
  if (b == NULL || (ra = prefect_ctx_task_future_get_result (a, error)) == NULL
      || (rb = prefect_ctx_task_future_get_result (b, error)) == NULL)
    return NULL;
  return g_variant_new_int64 (total + g_variant_get_int64 (ra) + g_variant_get_int64 (rb));
}

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("prefectctx-engine-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(PrefectCtxLocalClient) store = NULL;
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("doubler");
  g_autoptr(PrefectCtxTask) task = g_object_new (PREFECT_CTX_TYPE_TASK, "name", "double",
                                                 "retries", 1, "retry-delay-seconds", 0.1, NULL);
  g_autoptr(PrefectCtxRunOptions) options = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GListModel) flow_runs = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  g_autoptr(GListModel) task_runs = NULL;

  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "runs.db", NULL);
  store = prefect_ctx_local_client_new (path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", store, NULL);

  /* GLib logging inside runs becomes run logs. */
  prefect_ctx_install_log_writer ();
  result = prefect_ctx_flow_run_sync (flow, NULL, options, pipeline, task, &error);
  if (result == NULL)
    g_error ("the flow run failed: %s", error->message);
  g_print ("The flow run returned %" G_GINT64_FORMAT ".\n", g_variant_get_int64 (result));

  flow_runs = prefect_ctx_client_read_flow_runs (PREFECT_CTX_CLIENT (store), PREFECT_CTX_CLIENT_ANY_STATE,
                                                 1, 0, NULL, &error);
  run = flow_runs != NULL ? g_list_model_get_item (flow_runs, 0) : NULL;
  if (run == NULL)
    g_error ("no flow run recorded: %s", error != NULL ? error->message : "empty store");
  g_print ("Flow run '%s': %s\n", prefect_ctx_flow_run_get_name (run),
           prefect_ctx_state_get_name (prefect_ctx_flow_run_get_state (run)));
  task_runs = prefect_ctx_client_read_task_runs (PREFECT_CTX_CLIENT (store), prefect_ctx_flow_run_get_id (run),
                                                 0, 0, NULL, &error);
  for (guint i = 0; task_runs != NULL && i < g_list_model_get_n_items (task_runs); i++)
    {
      g_autoptr(PrefectCtxTaskRun) task_run = g_list_model_get_item (task_runs, i);

      g_print ("  %s: %s after %d run(s)\n", prefect_ctx_task_run_get_name (task_run),
               prefect_ctx_state_get_name (prefect_ctx_task_run_get_state (task_run)),
               prefect_ctx_task_run_get_run_count (task_run));
    }

  g_clear_object (&store);
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    const char *name;

    while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);

        g_unlink (file);
      }
    g_rmdir (dir);
  }
  return 0;
}
