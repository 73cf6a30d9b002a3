/* bench-engine.c: task-run throughput of the engine on the embedded store,
 * beside baselines measured in the same run.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: build/bench/bench-engine [--tasks N] [--rounds N] [--only file|memory]
 *
 * The workload is the issue's: one flow run of N trivial tasks called one
 * after the other, each recording its task run (created Pending), its
 * states (Running, Completed) and one log line (`Finished in state
 * Completed()`, written in batches). It runs on a file store (WAL, in a
 * temporary directory) and on an in-memory store, with synchronous bodies
 * (flow_run_sync and task_call), and in memory with asynchronous ones too
 * (flow_run_async and task_call_async, each task called from the
 * continuation of the one before, on a main loop). The baselines, on a
 * store of the same kind:
 *
 * - store: the same records written straight through the client the way
 *   the engine writes them (create_task_run_and_set_state: created Pending
 *   and set Running in one call; set Completed; one log line per task, logs
 *   in batches of 500), without the engine: what the store costs;
 * - insert: create_task_run alone (Pending), the raw insert rate of the
 *   store.
 *
 * Each figure is the best of several rounds, each on a fresh store.
 */
#include <prefectctx.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <time.h>

static int n_tasks = 10000;
static int rounds = 3;
static char *only;
static char *tmp_dir;
static int store_counter;

static double
now_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static PrefectCtxClient *
new_store (gboolean on_file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  PrefectCtxLocalClient *client;

  if (on_file)
    path = g_strdup_printf ("%s/bench-%d.db", tmp_dir, store_counter++);
  client = prefect_ctx_local_client_new (on_file ? path : PREFECT_CTX_LOCAL_CLIENT_MEMORY, &error);
  if (client == NULL)
    g_error ("cannot open the store: %s", error->message);
  return PREFECT_CTX_CLIENT (client);
}

/* --- the engine ---------------------------------------------------------- */

static GVariant *
trivial_task (PrefectCtxRunContext  *context,
              GVariant              *parameters,
              gpointer               user_data,
              GError               **error)
{
  return NULL;
}

static GVariant *
many_tasks_flow (PrefectCtxRunContext  *context,
                 GVariant              *parameters,
                 gpointer               user_data,
                 GError               **error)
{
  PrefectCtxTask *task = user_data;

  for (int i = 0; i < n_tasks; i++)
    {
      g_autoptr(GVariant) result = prefect_ctx_task_call (task, NULL, trivial_task, NULL, error);

      if (result == NULL && *error != NULL)
        return NULL;
    }
  return NULL;
}

static double
run_engine (PrefectCtxClient *client)
{
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("bench-flow");
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("trivial");
  g_autoptr(PrefectCtxRunOptions) options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", client, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  double start = now_s ();

  result = prefect_ctx_flow_run_sync (flow, NULL, options, many_tasks_flow, task, &error);
  if (error != NULL)
    g_error ("flow run failed: %s", error->message);
  return now_s () - start;
}

/* --- the engine, tasks submitted to 8 workers ---------------------------- */

static GVariant *
many_submitted_flow (PrefectCtxRunContext  *context,
                     GVariant              *parameters,
                     gpointer               user_data,
                     GError               **error)
{
  PrefectCtxTask *task = user_data;
  g_autoptr(GPtrArray) futures = g_ptr_array_new_with_free_func (g_object_unref);

  for (int i = 0; i < n_tasks; i++)
    {
      PrefectCtxTaskFuture *future = prefect_ctx_task_submit (task, NULL, trivial_task, NULL, NULL, error);

      if (future == NULL)
        return NULL;
      g_ptr_array_add (futures, future);
    }
  for (guint i = 0; i < futures->len; i++)
    prefect_ctx_task_future_wait (g_ptr_array_index (futures, i));
  return NULL;
}

static double
run_engine_submitted (PrefectCtxClient *client)
{
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("bench-flow");
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("trivial");
  g_autoptr(PrefectCtxRunOptions) options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", client,
                                                          "max-workers", 8, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  double start = now_s ();

  result = prefect_ctx_flow_run_sync (flow, NULL, options, many_submitted_flow, task, &error);
  if (error != NULL)
    g_error ("flow run failed: %s", error->message);
  return now_s () - start;
}

/* --- the engine, asynchronous bodies ------------------------------------ */

typedef struct
{
  PrefectCtxTask *task;
  GTask          *body;
  GMainLoop      *loop;
  int             called;
  GError         *error;
} AsyncLoop;

static void
async_trivial_task (PrefectCtxRunContext *context,
                    GVariant             *parameters,
                    GCancellable         *cancellable,
                    GTask                *task,
                    gpointer              user_data)
{
  prefect_ctx_run_return (task, NULL);
}

static void async_next_task (AsyncLoop *run);

static void
async_task_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AsyncLoop *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = prefect_ctx_task_call_finish (PREFECT_CTX_TASK (source), result, &error);

  if (error != NULL)
    g_error ("task run failed: %s", error->message);
  async_next_task (run);
}

static void
async_next_task (AsyncLoop *run)
{
  if (run->called++ == n_tasks)
    {
      prefect_ctx_run_return (run->body, NULL);
      g_clear_object (&run->body);
      return;
    }
  /* Bound, so that the next call sees the flow run. */
  prefect_ctx_task_call_async (run->task, NULL, async_trivial_task, NULL, NULL, NULL,
                               PREFECT_CTX_BIND_ASYNC_READY (async_task_done, run));
}

static void
many_tasks_async_flow (PrefectCtxRunContext *context,
                       GVariant             *parameters,
                       GCancellable         *cancellable,
                       GTask                *task,
                       gpointer              user_data)
{
  AsyncLoop *run = user_data;

  run->body = g_object_ref (task);
  async_next_task (run);
}

static void
async_flow_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AsyncLoop *run = user_data;
  g_autoptr(GVariant) value = prefect_ctx_flow_run_finish (PREFECT_CTX_FLOW (source), result, &run->error);

  g_main_loop_quit (run->loop);
}

static double
run_engine_async (PrefectCtxClient *client)
{
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("bench-flow");
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("trivial");
  g_autoptr(PrefectCtxRunOptions) options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", client, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncLoop run = { task, NULL, loop, 0, NULL };
  double start = now_s ();

  prefect_ctx_flow_run_async (flow, NULL, options, many_tasks_async_flow, &run, NULL, NULL,
                              async_flow_done, &run);
  g_main_loop_run (loop);
  if (run.error != NULL)
    g_error ("flow run failed: %s", run.error->message);
  return now_s () - start;
}

/* --- the store alone ----------------------------------------------------- */

static PrefectCtxFlowRun *
make_flow_run (PrefectCtxClient *client)
{
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_client_create_flow (client, prefect_ctx_flow_new ("bench-flow"), NULL, NULL);
  g_autoptr(PrefectCtxFlowRun) draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN,
                                                     "flow-id", prefect_ctx_flow_get_id (flow),
                                                     "name", "bench-run", NULL);

  return prefect_ctx_client_create_flow_run (client, draft, NULL, NULL);
}

static double
run_store (PrefectCtxClient *client,
           gboolean          full)
{
  g_autoptr(PrefectCtxFlowRun) flow_run = make_flow_run (client);
  const char *flow_run_id = prefect_ctx_flow_run_get_id (flow_run);
  g_autoptr(GPtrArray) logs = g_ptr_array_new_with_free_func (g_object_unref);
  double start = now_s ();

  for (int i = 0; i < n_tasks; i++)
    {
      g_autofree char *key = g_strdup_printf ("%d", i);
      g_autofree char *name = g_strdup_printf ("trivial-%d", i);
      g_autoptr(PrefectCtxState) pending = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_PENDING, NULL, NULL);
      g_autoptr(PrefectCtxTaskRun) draft = g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                                                         "flow-run-id", flow_run_id, "task-key", "trivial",
                                                         "dynamic-key", key, "name", name, "state", pending,
                                                         NULL);
      g_autoptr(PrefectCtxState) running = NULL;
      g_autoptr(PrefectCtxState) completed = NULL;
      g_autoptr(PrefectCtxState) stored = NULL;
      g_autoptr(PrefectCtxTaskRun) run = NULL;
      g_autoptr(GDateTime) now = NULL;

      if (!full)
        {
          run = prefect_ctx_client_create_task_run (client, draft, NULL, NULL);
          if (run == NULL)
            g_error ("create_task_run failed");
          continue;
        }

      /* As the engine's task_call records it: Pending and Running in one
       * call, then Completed. */
      running = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL);
      run = prefect_ctx_client_create_task_run_and_set_state (client, draft, running, NULL, NULL);
      if (run == NULL)
        g_error ("create_task_run_and_set_state failed");
      completed = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_COMPLETED, NULL, NULL);
      stored = prefect_ctx_client_set_task_run_state (client, prefect_ctx_task_run_get_id (run),
                                                      completed, FALSE, NULL, NULL);
      if (stored == NULL)
        g_error ("set_task_run_state failed");

      now = g_date_time_new_now_utc ();
      g_ptr_array_add (logs, g_object_new (PREFECT_CTX_TYPE_LOG_ENTRY, "name", "prefect.task_runs",
                                           "level", 20, "message", "Finished in state Completed()",
                                           "timestamp", now, "flow-run-id", flow_run_id,
                                           "task-run-id", prefect_ctx_task_run_get_id (run), NULL));
      if (logs->len == 500)
        {
          prefect_ctx_client_create_logs (client, logs, NULL, NULL);
          g_ptr_array_set_size (logs, 0);
        }
    }
  if (logs->len > 0)
    prefect_ctx_client_create_logs (client, logs, NULL, NULL);
  return now_s () - start;
}

typedef enum { ENGINE, ENGINE_ASYNC, ENGINE_SUBMITTED, STORE, INSERT } Workload;

static double
best_rate (Workload workload,
           gboolean on_file)
{
  double best = G_MAXDOUBLE;

  for (int r = 0; r < rounds; r++)
    {
      g_autoptr(PrefectCtxClient) client = new_store (on_file);
      double seconds;

      switch (workload)
        {
        case ENGINE: seconds = run_engine (client); break;
        case ENGINE_ASYNC: seconds = run_engine_async (client); break;
        case ENGINE_SUBMITTED: seconds = run_engine_submitted (client); break;
        case STORE: seconds = run_store (client, TRUE); break;
        default: seconds = run_store (client, FALSE); break;
        }
      best = MIN (best, seconds);
    }
  return n_tasks / best;
}

static void
report (const char *store,
        double      goal)
{
  gboolean on_file = g_str_equal (store, "file");
  double engine = best_rate (ENGINE, on_file);
  double direct = best_rate (STORE, on_file);
  double insert = best_rate (INSERT, on_file);

  printf ("%-6s engine %9.0f task runs/s (goal %6.0f: %s)\n", store, engine, goal,
          engine >= goal ? "met" : "NOT met");
  {
    double submitted = best_rate (ENGINE_SUBMITTED, on_file);

    printf ("%-6s engine, submitted to 8 workers %9.0f task runs/s   submitted/called ratio %.2f\n", store,
            submitted, submitted / engine);
  }
  printf ("%-6s store alone, same records %9.0f/s   engine/store ratio %.2f\n", store, direct, engine / direct);
  printf ("%-6s store insert only         %9.0f/s   engine/insert ratio %.2f\n", store, insert, engine / insert);
  if (!on_file)
    {
      double async = best_rate (ENGINE_ASYNC, on_file);

      printf ("%-6s async engine %9.0f task runs/s (goal %6.0f: %s)   async/sync ratio %.2f\n", store,
              async, 20000.0, async >= 20000 ? "met" : "NOT met", async / engine);
    }
  printf ("\n");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_remove (child);
    }
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  GOptionEntry entries[] = {
    { "tasks", 't', 0, G_OPTION_ARG_INT, &n_tasks, "Task runs per flow run", "N" },
    { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds, "Rounds per figure (best is kept)", "N" },
    { "only", 'o', 0, G_OPTION_ARG_STRING, &only, "Measure one store only", "file|memory" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- engine throughput");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  tmp_dir = g_dir_make_tmp ("prefectctx-bench-XXXXXX", NULL);
  g_setenv ("PREFECT_HOME", tmp_dir, TRUE);

  printf ("libprefectctx %s; %d trivial task runs in one flow run, best of %d rounds\n"
          "each task run: created Pending and set Running in one call, Completed, one log line\n\n",
          PREFECT_CTX_VERSION_S, n_tasks, rounds);
  if (only == NULL || g_str_equal (only, "file"))
    report ("file", 5000);
  if (only == NULL || g_str_equal (only, "memory"))
    report ("memory", 50000);

  remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (only);
  return 0;
}
