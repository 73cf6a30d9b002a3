/* bench-server.c: the cost of a flow run on a real Prefect server, beside
 * Prefect 2.10.21's own engine and beside the server's floor, measured
 * alternately in one run.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage (with a server started by ../shared/prefect-server/start.sh):
 *
 *   eval "$(../shared/prefect-server/start.sh --env)"
 *   build/bench/bench-server --tasks 200 --rounds 3 \
 *     --prefect-python /opt/prefect-2.10.21/bin/python \
 *     --anchor ../shared/prefect-server/prefect_engine_bench.py
 *
 * The workload is the anchor script's: one flow run of N trivial tasks
 * called one after the other. Three contenders, in turn in each round:
 *
 * - ours: the C engine on a PrefectCtxHttpClient for PREFECT_API_URL;
 * - prefect: the anchor script run by Prefect's Python (omitted without
 *   --prefect-python and --anchor); it prints its body's time per task;
 * - floor: the three writes a task run needs (created Pending, set
 *   Running, set Completed) sent one after the other over one keep-alive
 *   connection with no engine and no logs, on a client whose task-run
 *   states are not queued: what the server itself costs per task run.
 *
 * For each: "body/task", the flow body's time per task (the figure the
 * anchor script prints); "total/task", the whole flow run's, until every
 * record is on the server (for Prefect, the anchor's flow_total: the call
 * of the flow, without the interpreter's start-up); and, from the
 * server's access log (--server-log, by default
 * $PREFECT_SERVER_HOME/server.log or /tmp/prefect-server-anchor/server.log),
 * the requests and the connections (distinct client ports) per task run.
 */
#include <prefectctx.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int n_tasks = 200;
static int rounds = 3;
static char *prefect_python;
static char *anchor;
static char *server_log;

static double
now_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct
{
  double body_per_task_ms;
  double total_per_task_ms;
  double requests_per_task;
  double connections;
} Figures;

/* --- the server's access log ---------------------------------------------- */

static goffset
log_size (void)
{
  g_autoptr(GFile) file = server_log != NULL ? g_file_new_for_path (server_log) : NULL;
  g_autoptr(GFileInfo) info = file != NULL ? g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                                G_FILE_QUERY_INFO_NONE, NULL, NULL)
                                           : NULL;

  return info != NULL ? g_file_info_get_size (info) : -1;
}

/* Counts the access lines ("uvicorn.access - 127.0.0.1:PORT - ...") the
 * server wrote after byte @from, and the distinct client ports among them. */
static void
count_requests (goffset  from,
                Figures *figures)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr(GHashTable) ports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint requests = 0;
  g_auto(GStrv) lines = NULL;

  figures->requests_per_task = -1;
  figures->connections = -1;
  /* The server logs after it answers: let the last lines land. */
  g_usleep (300 * 1000);
  if (from < 0 || !g_file_get_contents (server_log, &text, &length, NULL) || (gsize) from > length)
    return;
  lines = g_strsplit (text + from, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *access = strstr (lines[i], "uvicorn.access - ");
      const char *end;

      if (access == NULL || strstr (access, "/health") != NULL)
        continue;
      access += strlen ("uvicorn.access - ");
      end = strstr (access, " - ");
      if (end == NULL)
        continue;
      requests++;
      g_hash_table_add (ports, g_strndup (access, end - access));
    }
  figures->requests_per_task = (double) requests / n_tasks;
  figures->connections = g_hash_table_size (ports);
}

/* --- ours ----------------------------------------------------------------- */

typedef struct
{
  PrefectCtxTask *task;
  double          body_s;
} BodyData;

static GVariant *
trivial_task (PrefectCtxRunContext  *context,
              GVariant              *parameters,
              gpointer               user_data,
              GError               **error)
{
  return g_variant_new_int32 (0);
}

static GVariant *
many_tasks_flow (PrefectCtxRunContext  *context,
                 GVariant              *parameters,
                 gpointer               user_data,
                 GError               **error)
{
  BodyData *data = user_data;
  double start = now_s ();

  for (int i = 0; i < n_tasks; i++)
    {
      g_autoptr(GVariant) result = prefect_ctx_task_call (data->task, NULL, trivial_task, NULL, error);

      if (result == NULL)
        return NULL;
    }
  data->body_s = now_s () - start;
  return NULL;
}

static PrefectCtxClient *
new_client (gboolean queued)
{
  g_autoptr(GError) error = NULL;
  PrefectCtxHttpClient *client = prefect_ctx_http_client_new (g_getenv ("PREFECT_API_URL"), NULL, &error);

  if (client == NULL)
    g_error ("no client for PREFECT_API_URL: %s", error->message);
  g_object_set (client, "queue-task-run-states", queued, NULL);
  return PREFECT_CTX_CLIENT (client);
}

static void
run_ours (Figures *figures)
{
  g_autoptr(PrefectCtxClient) client = new_client (TRUE);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("bench-server");
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("noop");
  g_autoptr(PrefectCtxRunOptions) options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", client, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  BodyData data = { task, 0.0 };
  goffset from = log_size ();
  double start = now_s ();

  result = prefect_ctx_flow_run_sync (flow, NULL, options, many_tasks_flow, &data, &error);
  if (error != NULL)
    g_error ("flow run failed: %s", error->message);
  figures->total_per_task_ms = (now_s () - start) * 1e3 / n_tasks;
  figures->body_per_task_ms = data.body_s * 1e3 / n_tasks;
  count_requests (from, figures);
}

/* --- the floor ------------------------------------------------------------ */

static PrefectCtxState *
new_state (PrefectCtxStateType type)
{
  return prefect_ctx_state_new (type, NULL, NULL);
}

static void
run_floor (Figures *figures)
{
  g_autoptr(PrefectCtxClient) client = new_client (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlow) flow = NULL;
  g_autoptr(PrefectCtxFlowRun) flow_run = NULL;
  g_autoptr(PrefectCtxState) running = new_state (PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autoptr(PrefectCtxState) completed = new_state (PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_autoptr(PrefectCtxState) stored = NULL;
  goffset from = log_size ();
  double start = now_s ();
  double body_start;

  {
    g_autoptr(PrefectCtxFlow) draft = prefect_ctx_flow_new ("bench-server-floor");

    flow = prefect_ctx_client_create_flow (client, draft, NULL, &error);
  }
  if (flow != NULL)
    {
      g_autoptr(PrefectCtxFlowRun) draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN,
                                                         "flow-id", prefect_ctx_flow_get_id (flow),
                                                         "name", "floor", "state", running, NULL);

      flow_run = prefect_ctx_client_create_flow_run (client, draft, NULL, &error);
    }
  if (flow_run == NULL)
    g_error ("cannot create the floor's flow run: %s", error->message);

  body_start = now_s ();
  for (int i = 0; i < n_tasks; i++)
    {
      g_autoptr(PrefectCtxState) pending = new_state (PREFECT_CTX_STATE_TYPE_PENDING);
      g_autofree char *key = g_strdup_printf ("%d", i);
      g_autofree char *name = g_strdup_printf ("noop-%d", i);
      g_autoptr(PrefectCtxTaskRun) draft = g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                                                         "flow-run-id", prefect_ctx_flow_run_get_id (flow_run),
                                                         "task-key", "floor.noop", "dynamic-key", key,
                                                         "name", name, "state", pending, NULL);
      g_autoptr(PrefectCtxTaskRun) task_run = prefect_ctx_client_create_task_run (client, draft, NULL, &error);
      g_autoptr(PrefectCtxState) ran = NULL;
      g_autoptr(PrefectCtxState) done = NULL;

      if (task_run != NULL
          && (ran = prefect_ctx_client_set_task_run_state (client, prefect_ctx_task_run_get_id (task_run),
                                                           running, FALSE, NULL, &error)) != NULL)
        done = prefect_ctx_client_set_task_run_state (client, prefect_ctx_task_run_get_id (task_run),
                                                      completed, FALSE, NULL, &error);
      if (done == NULL)
        g_error ("floor task run %d: %s", i, error->message);
    }
  figures->body_per_task_ms = (now_s () - body_start) * 1e3 / n_tasks;
  stored = prefect_ctx_client_set_flow_run_state (client, prefect_ctx_flow_run_get_id (flow_run),
                                                  completed, FALSE, NULL, &error);
  if (stored == NULL)
    g_error ("floor flow run: %s", error->message);
  figures->total_per_task_ms = (now_s () - start) * 1e3 / n_tasks;
  count_requests (from, figures);
}

/* --- Prefect's engine ----------------------------------------------------- */

static gboolean
run_prefect (Figures *figures)
{
  g_autofree char *tasks = g_strdup_printf ("%d", n_tasks);
  const char *argv[] = { prefect_python, anchor, tasks, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *per_task;
  const char *flow_total;
  int status = 0;
  goffset from = log_size ();

  if (prefect_python == NULL || anchor == NULL)
    return FALSE;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &out, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("%s %s failed: %s", prefect_python, anchor, error->message);
  per_task = strstr (out, "per_task=");
  flow_total = strstr (out, "flow_total=");
  if (per_task == NULL || flow_total == NULL)
    g_error ("no per_task= or flow_total= in the anchor's output: %s", out);
  figures->body_per_task_ms = g_ascii_strtod (per_task + strlen ("per_task="), NULL);
  figures->total_per_task_ms = g_ascii_strtod (flow_total + strlen ("flow_total="), NULL) * 1e3 / n_tasks;
  count_requests (from, figures);
  return TRUE;
}

/* --- main ----------------------------------------------------------------- */

static void
print_row (const char    *name,
           const Figures *f,
           const Figures *prefect)
{
  printf ("%-8s %10.2f %11.2f %13.2f %12.0f", name, f->body_per_task_ms, f->total_per_task_ms,
          f->requests_per_task, f->connections);
  if (prefect != NULL)
    printf ("   %6.1fx %7.1fx", prefect->body_per_task_ms / f->body_per_task_ms,
            prefect->total_per_task_ms / f->total_per_task_ms);
  printf ("\n");
}

int
main (int    argc,
      char **argv)
{
  GOptionEntry entries[] = {
    { "tasks", 0, 0, G_OPTION_ARG_INT, &n_tasks, "Task runs per flow run (200)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Rounds, each running every contender once (3)", "N" },
    { "prefect-python", 0, 0, G_OPTION_ARG_FILENAME, &prefect_python, "Python with Prefect 2.10.21", "PATH" },
    { "anchor", 0, 0, G_OPTION_ARG_FILENAME, &anchor, "prefect_engine_bench.py", "PATH" },
    { "server-log", 0, 0, G_OPTION_ARG_FILENAME, &server_log, "The server's log, for request counts", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- a flow run on a Prefect server");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_tasks < 1 || rounds < 1)
    {
      fprintf (stderr, "%s\n", error != NULL ? error->message : "--tasks and --rounds must be positive");
      return 2;
    }
  if (g_getenv ("PREFECT_API_URL") == NULL)
    {
      fprintf (stderr, "bench-server needs PREFECT_API_URL (see ../shared/prefect-server/README.md)\n");
      return 77;
    }
  if (server_log == NULL)
    server_log = g_build_filename (g_getenv ("PREFECT_SERVER_HOME") != NULL ? g_getenv ("PREFECT_SERVER_HOME")
                                   : "/tmp/prefect-server-anchor", "server.log", NULL);
  if (log_size () < 0)
    g_clear_pointer (&server_log, g_free);

  printf ("%d trivial tasks per flow run on %s; times in ms per task run\n", n_tasks, g_getenv ("PREFECT_API_URL"));
  printf ("%-8s %10s %11s %13s %12s   %s\n", "", "body/task", "total/task", "requests/task", "connections",
          "prefect/this (body, total)");
  for (int round = 0; round < rounds; round++)
    {
      Figures ours = { 0 }, floor = { 0 }, prefect = { 0 };
      gboolean with_prefect;

      /* Alternate the order, so that neither always runs on a warmer server. */
      if (round % 2 == 0)
        {
          run_ours (&ours);
          with_prefect = run_prefect (&prefect);
        }
      else
        {
          with_prefect = run_prefect (&prefect);
          run_ours (&ours);
        }
      run_floor (&floor);
      printf ("round %d\n", round + 1);
      print_row ("ours", &ours, with_prefect ? &prefect : NULL);
      if (with_prefect)
        print_row ("prefect", &prefect, &prefect);
      print_row ("floor", &floor, with_prefect ? &prefect : NULL);
      fflush (stdout);
    }
  return 0;
}
