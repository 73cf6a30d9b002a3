/* bench-growth.c: how reads of the file store grow with the store.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: build/bench/bench-growth [--sizes 1000,10000,100000] [--tool PATH]
 *
 * For each size N it fills a new file store with one flow run of N task
 * runs (through the engine: each task run Pending, Running, Completed, and
 * its log line), then times, best of three:
 *
 * - page: the last 200 task runs of the flow run (read_task_runs with an
 *   offset of N - 200);
 * - latest: the 15 newest task runs of the store (read_latest_task_runs,
 *   what `prefectctx task-run ls` shows);
 * - count: the finished task runs of the flow run (count_task_runs);
 * - all: FlowRunView.get_all_task_runs, which refuses past 1,000;
 * - logs: `prefectctx flow-run logs ID --head 10`;
 * - inspect: `prefectctx flow-run inspect ID`, with its peak memory.
 *
 * A read that is constant in Prefect should stay flat down a column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include <glib/gstdio.h>
#include <prefectctx.h>

static char *sizes_text = NULL;
static char *tool_path = NULL;

static double
now_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

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
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("step");
  gint64 n = GPOINTER_TO_SIZE (user_data);

  for (gint64 i = 0; i < n; i++)
    {
      g_autoptr(GVariant) result = prefect_ctx_task_call (task, NULL, trivial_task, NULL, error);

      if (result == NULL && *error != NULL)
        return NULL;
    }
  return NULL;
}

/* Fills @client with one flow run of @n task runs; returns its ID. */
static char *
fill (PrefectCtxClient *client,
      gint64            n)
{
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("growth");
  g_autoptr(PrefectCtxRunOptions) options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", client,
                                                          "run-name", "growth-run", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GListModel) runs = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;

  result = prefect_ctx_flow_run_sync (flow, NULL, options, many_tasks_flow, GSIZE_TO_POINTER (n), &error);
  if (error != NULL)
    g_error ("filling the store: %s", error->message);
  runs = prefect_ctx_client_read_flow_runs (client, PREFECT_CTX_CLIENT_ANY_STATE, 1, 0, NULL, &error);
  g_assert_no_error (error);
  run = g_list_model_get_item (runs, 0);
  return g_strdup (prefect_ctx_flow_run_get_id (run));
}

typedef struct {
  PrefectCtxClient *client;
  const char       *id;
  gint64            n;
  const char       *home;
  const char       *command;   /* CLI: "logs" or "inspect" */
  long              max_rss_kb;
  GDateTime        *filled;    /* when the fill ended */
  guint64           cursor;    /* the end of the run's logs */
} Op;

static void
op_page (Op *op)
{
  g_autoptr(GError) error = NULL;
  guint offset = op->n > 200 ? (guint) (op->n - 200) : 0;
  g_autoptr(GListModel) page = prefect_ctx_client_read_task_runs (op->client, op->id, 200, offset, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (page), ==, MIN (op->n, 200));
}

static void
op_latest (Op *op)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) latest = prefect_ctx_client_read_latest_task_runs (op->client, NULL, 15, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (latest), ==, MIN (op->n, 15));
}

static void
op_count (Op *op)
{
  g_autoptr(GError) error = NULL;
  guint count = prefect_ctx_client_count_task_runs (op->client, op->id, TRUE, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, op->n);
}

static void
op_all (Op *op)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlowRunView) view = prefect_ctx_flow_run_view_new_from_id (op->client, op->id, FALSE,
                                                                                 NULL, &error);
  g_autoptr(GListModel) all = NULL;

  g_assert_no_error (error);
  all = prefect_ctx_flow_run_view_get_all_task_runs (view, NULL, &error);
  g_assert_true (op->n > 1000 ? all == NULL : all != NULL);
}

/* A watcher's poll with nothing new, as it was: the logs of the last 10 s
 * before the newest seen (here: the end of the fill), read again. */
static void
op_poll_lookback (Op *op)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) after = g_date_time_add_seconds (op->filled, -10);
  g_autoptr(GListModel) logs = prefect_ctx_client_read_logs (op->client, op->id, after, NULL, 0, 0, NULL, &error);

  g_assert_no_error (error);
}

/* The same poll as it is: the logs stored since the last read. */
static void
op_poll_since (Op *op)
{
  g_autoptr(GError) error = NULL;
  guint64 cursor = op->cursor;
  g_autoptr(GListModel) logs = prefect_ctx_client_read_logs_since (op->client, op->id, &cursor, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (logs), ==, 0);
}

static void
op_cli (Op *op)
{
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "PREFECT_HOME", op->home, TRUE);
  const char *argv_logs[] = { tool_path, "flow-run", "logs", op->id, "--head", "10", NULL };
  const char *argv_inspect[] = { tool_path, "flow-run", "inspect", op->id, NULL };
  g_autoptr(GError) error = NULL;
  struct rusage usage;
  int status = 0;
  GPid pid;

  g_spawn_async (NULL, (char **) (g_str_equal (op->command, "logs") ? argv_logs : argv_inspect), envp,
                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wait4 (pid, &status, 0, &usage), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  op->max_rss_kb = MAX (op->max_rss_kb, usage.ru_maxrss);
}

/* Best of three, in milliseconds. */
static double
best_ms (void (*func) (Op *), Op *op)
{
  double best = G_MAXDOUBLE;

  for (int i = 0; i < 3; i++)
    {
      double start = now_s ();

      func (op);
      best = MIN (best, (now_s () - start) * 1e3);
    }
  return best;
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes_text, "Task runs per store, comma-separated", "N,N,..." },
    { "tool", 0, 0, G_OPTION_ARG_FILENAME, &tool_path, "The prefectctx program", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) option_context = g_option_context_new ("- read costs as the file store grows");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sizes = NULL;

  g_option_context_add_main_entries (option_context, entries, NULL);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (tool_path == NULL)
    {
      g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *dir = g_path_get_dirname (self);

      tool_path = g_build_filename (dir, "..", "tool", "prefectctx", NULL);
    }
  sizes = g_strsplit (sizes_text != NULL ? sizes_text : "1000,10000,100000", ",", 0);

  printf ("file store, one flow run of N task runs; best of 3, in ms (inspect: and its peak RSS)\n");
  printf ("%9s %9s %9s %9s %9s %9s %12s %14s %9s %9s\n", "N", "fill s", "page", "latest", "count", "all",
          "logs --head", "inspect",
          "poll 10s", "poll new");
  for (guint i = 0; sizes[i] != NULL; i++)
    {
      gint64 n = g_ascii_strtoll (sizes[i], NULL, 10);
      g_autofree char *home = g_dir_make_tmp ("bench-growth-XXXXXX", &error);
      g_autofree char *path = NULL;
      g_autoptr(PrefectCtxLocalClient) client = NULL;
      g_autofree char *id = NULL;
      Op op = { 0, };
      double fill_s, page, latest, count, all, logs, inspect, lookback, since;

      g_assert_no_error (error);
      path = g_build_filename (home, "prefectctx.db", NULL);
      client = prefect_ctx_local_client_new (path, &error);
      g_assert_no_error (error);
      fill_s = now_s ();
      id = fill (PREFECT_CTX_CLIENT (client), n);
      fill_s = now_s () - fill_s;

      op = (Op) { PREFECT_CTX_CLIENT (client), id, n, home, NULL, 0, g_date_time_new_now_utc (), 0 };
      page = best_ms (op_page, &op);
      latest = best_ms (op_latest, &op);
      count = best_ms (op_count, &op);
      all = best_ms (op_all, &op);
      op.command = "logs";
      logs = best_ms (op_cli, &op);
      op.command = "inspect";
      op.max_rss_kb = 0;
      inspect = best_ms (op_cli, &op);
      /* After the CLI runs: a child's peak RSS counts its parent's pages
       * until exec, and this read holds every log of the run. */
      {
        g_autoptr(GListModel) first = prefect_ctx_client_read_logs_since (op.client, id, &op.cursor, NULL, &error);

        g_assert_no_error (error);
      }
      lookback = best_ms (op_poll_lookback, &op);
      since = best_ms (op_poll_since, &op);
      printf ("%9" G_GINT64_FORMAT " %9.1f %9.2f %9.2f %9.2f %9.2f %12.1f %7.1f %4ld MB %9.2f %9.3f\n", n, fill_s,
              page, latest, count, all, logs, inspect, op.max_rss_kb / 1024, lookback, since);
      g_date_time_unref (op.filled);
      fflush (stdout);

      g_clear_object (&client);
      {
        g_autofree char *wal = g_strconcat (path, "-wal", NULL);
        g_autofree char *shm = g_strconcat (path, "-shm", NULL);

        g_unlink (wal);
        g_unlink (shm);
        g_unlink (path);
        g_rmdir (home);
      }
    }

  g_free (sizes_text);
  g_free (tool_path);
  return 0;
}
