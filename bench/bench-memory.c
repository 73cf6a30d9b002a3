/* bench-memory.c: whether memory grows with work that should leave nothing
 * behind.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: build/bench/bench-memory [--iterations N] [--store PATH]
 *
 * Two workloads, each run for a warm-up and then for two windows of N
 * iterations:
 *
 * - contexts: enter a TagsContext and a CustomContext, serialize the
 *   contexts to JSON, hydrate the JSON and enter and exit what it gives,
 *   exit (what the Python loop did);
 * - flow runs: a flow run of one task on a file store (a new file in a
 *   temporary directory unless --store is given).
 *
 * For each window it prints the growth of the heap in use (glibc's
 * mallinfo2 ()), of SQLite's own memory (sqlite3_memory_used ()) and of
 * the resident set, in bytes per iteration. A leak grows the same in both
 * windows; a cache fills in the first and stays flat in the second.
 * Run it under valgrind (`valgrind --leak-check=full build/bench/bench-memory
 * --iterations 200`) for the allocations themselves.
 */
#include <malloc.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <prefectctx.h>
#include <sqlite3.h>

static int iterations = 20000;
static char *store_path;

typedef struct {
  gint64 heap;
  gint64 sqlite;
  gint64 rss;
} Usage;

static Usage
usage_now (void)
{
  struct mallinfo2 info = mallinfo2 ();
  g_autofree char *statm = NULL;
  long size = 0, pages = 0;
  Usage usage;

  usage.heap = (gint64) (info.uordblks + info.hblkhd);
  usage.sqlite = sqlite3_memory_used ();
  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    sscanf (statm, "%ld %ld", &size, &pages);
  usage.rss = (gint64) pages * sysconf (_SC_PAGESIZE);
  return usage;
}

typedef void (*Workload) (gpointer data, int n);

static void
contexts_workload (gpointer data,
                   int      n)
{
  const char *tags[] = { "a", "b", "c", NULL };

  for (int i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(PrefectCtxTagsContext) tags_ctx = prefect_ctx_tags_context_new (tags);
      g_autoptr(PrefectCtxCustomContext) custom = NULL;
      g_autoptr(GListModel) hydrated = NULL;
      g_autofree char *json = NULL;
      guint n_hydrated;

      g_hash_table_insert (values, "team", "data");
      g_hash_table_insert (values, "run", "nightly");
      custom = prefect_ctx_custom_context_new_merged (values, &error);
      g_assert_no_error (error);
      g_assert_true (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (tags_ctx), &error));
      g_assert_true (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (custom), &error));

      json = prefect_ctx_serialize_context (FALSE);
      hydrated = prefect_ctx_hydrate_contexts (json, NULL, &error);
      g_assert_no_error (error);
      n_hydrated = g_list_model_get_n_items (hydrated);
      for (guint j = 0; j < n_hydrated; j++)
        {
          g_autoptr(PrefectCtxContext) ctx = g_list_model_get_item (hydrated, j);
          g_assert_true (prefect_ctx_context_enter (ctx, &error));
        }
      for (guint j = n_hydrated; j > 0; j--)
        {
          g_autoptr(PrefectCtxContext) ctx = g_list_model_get_item (hydrated, j - 1);
          g_assert_true (prefect_ctx_context_exit (ctx, &error));
        }

      g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (custom), &error));
      g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (tags_ctx), &error));
    }
}

static GVariant *
task_body (PrefectCtxRunContext  *context,
           GVariant              *parameters,
           gpointer               user_data,
           GError               **error)
{
  return g_variant_new_int32 (1);
}

static GVariant *
flow_body (PrefectCtxRunContext  *context,
           GVariant              *parameters,
           gpointer               user_data,
           GError               **error)
{
  return prefect_ctx_task_call (user_data, NULL, task_body, NULL, error);
}

typedef struct {
  PrefectCtxFlow       *flow;
  PrefectCtxTask       *task;
  PrefectCtxRunOptions *options;
} FlowData;

static void
flows_workload (gpointer data,
                int      n)
{
  FlowData *flows = data;

  for (int i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) result = prefect_ctx_flow_run_sync (flows->flow, NULL, flows->options,
                                                              flow_body, flows->task, &error);

      g_assert_no_error (error);
    }
}

static void
report (const char *name,
        Workload    workload,
        gpointer    data)
{
  Usage before, middle, after;

  workload (data, MAX (iterations / 10, 1));
  before = usage_now ();
  workload (data, iterations);
  middle = usage_now ();
  workload (data, iterations);
  after = usage_now ();

  printf ("%-10s %12.1f %12.1f %12.1f %12.1f %12.1f %12.1f\n", name,
          (middle.heap - before.heap) / (double) iterations,
          (after.heap - middle.heap) / (double) iterations,
          (middle.sqlite - before.sqlite) / (double) iterations,
          (after.sqlite - middle.sqlite) / (double) iterations,
          (middle.rss - before.rss) / (double) iterations,
          (after.rss - middle.rss) / (double) iterations);
  fflush (stdout);
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations, "Iterations per window", "N" },
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_path, "The file store of the flow runs", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) option_context = g_option_context_new ("- memory growth per iteration");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(PrefectCtxLocalClient) client = NULL;
  FlowData flows = { NULL, };

  g_option_context_add_main_entries (option_context, entries, NULL);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (store_path == NULL)
    {
      dir = g_dir_make_tmp ("bench-memory-XXXXXX", &error);
      g_assert_no_error (error);
      path = g_build_filename (dir, "store.db", NULL);
    }
  client = prefect_ctx_local_client_new (store_path != NULL ? store_path : path, &error);
  g_assert_no_error (error);
  flows.flow = prefect_ctx_flow_new ("memory");
  flows.task = prefect_ctx_task_new ("step");
  flows.options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", client, NULL);

  printf ("%d iterations per window; growth in bytes per iteration, first and second window\n", iterations);
  printf ("%-10s %12s %12s %12s %12s %12s %12s\n", "workload", "heap 1", "heap 2", "sqlite 1", "sqlite 2",
          "rss 1", "rss 2");
  report ("contexts", contexts_workload, NULL);
  report ("flow runs", flows_workload, &flows);

  g_clear_object (&flows.flow);
  g_clear_object (&flows.task);
  g_clear_object (&flows.options);
  g_clear_object (&client);
  if (path != NULL)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_unlink (wal);
      g_unlink (shm);
      g_unlink (path);
      g_rmdir (dir);
    }
  g_free (store_path);
  return 0;
}
