/* test-local-store.c: the SQLite file behind PrefectCtxLocalClient
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Opening (default path, get_default), the schema and its version, files
 * that are not ours, several processes on one file, and a writer killed
 * with SIGKILL. Other processes are this same program run as a writer:
 *
 *   test-local-store --writer PATH COUNT
 *
 * creates a flow run, prints `flow-run ID`, then COUNT task runs (0: until
 * killed), each with its Pending, Running and Completed states and a log
 * line, printing the ID of each once everything about it is stored.
 *
 * Run with -m perf for raw throughput figures.
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <prefectctx.h>

static char *tmp_root;

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

/* A fresh directory under the test's temporary root. */
static char *
make_dir (void)
{
  g_autofree char *template = g_build_filename (tmp_root, "case-XXXXXX", NULL);
  char *dir = g_mkdtemp (g_steal_pointer (&template));

  g_assert_nonnull (dir);
  return dir;
}

/* Opens @path with SQLite directly, for looking at what the store wrote. */
static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  return db;
}

static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
raw_int (sqlite3    *db,
         const char *sql,
         const char *text_param)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (text_param != NULL)
    sqlite3_bind_text (stmt, 1, text_param, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
raw_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static PrefectCtxClient *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  PrefectCtxLocalClient *client = prefect_ctx_local_client_new (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  return PREFECT_CTX_CLIENT (client);
}

static PrefectCtxFlowRun *
create_flow_run (PrefectCtxClient *client,
                 const char       *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlowRun) draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "name", name, NULL);
  PrefectCtxFlowRun *run = prefect_ctx_client_create_flow_run (client, draft, NULL, &error);

  g_assert_no_error (error);
  return run;
}

/* A task run as the engine records one: Pending, Running, a log line,
 * Completed. Returns its ID. */
static char *
record_task_run (PrefectCtxClient *client,
                 const char       *flow_run_id,
                 const char       *dynamic_key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("work-%s", dynamic_key);
  g_autoptr(PrefectCtxState) pending = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_PENDING, NULL, NULL);
  g_autoptr(PrefectCtxState) running = NULL;
  g_autoptr(PrefectCtxState) completed = NULL;
  g_autoptr(PrefectCtxState) s1 = NULL;
  g_autoptr(PrefectCtxState) s2 = NULL;
  g_autoptr(PrefectCtxTaskRun) draft = g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                                                     "flow-run-id", flow_run_id,
                                                     "task-key", "work-5e1f",
                                                     "dynamic-key", dynamic_key,
                                                     "name", name,
                                                     "state", pending,
                                                     NULL);
  g_autoptr(PrefectCtxTaskRun) run = prefect_ctx_client_create_task_run (client, draft, NULL, &error);
  g_autoptr(GPtrArray) logs = g_ptr_array_new_with_free_func (g_object_unref);
  const char *id;

  g_assert_no_error (error);
  id = prefect_ctx_task_run_get_id (run);

  running = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL);
  s1 = prefect_ctx_client_set_task_run_state (client, id, running, FALSE, NULL, &error);
  g_assert_no_error (error);

  g_ptr_array_add (logs, g_object_new (PREFECT_CTX_TYPE_LOG_ENTRY,
                                       "name", "prefect.task_runs",
                                       "level", 20,
                                       "message", "Finished in state Completed()",
                                       "flow-run-id", flow_run_id,
                                       "task-run-id", id,
                                       NULL));
  g_assert_true (prefect_ctx_client_create_logs (client, logs, NULL, &error));
  g_assert_no_error (error);

  completed = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_COMPLETED, NULL, NULL);
  s2 = prefect_ctx_client_set_task_run_state (client, id, completed, FALSE, NULL, &error);
  g_assert_no_error (error);

  return g_strdup (id);
}

/* Checks that the task run @id has everything record_task_run () stores. */
static void
assert_recorded (PrefectCtxClient *client,
                 const char       *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxTaskRun) run = prefect_ctx_client_read_task_run (client, id, NULL, &error);
  g_autoptr(GListModel) states = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_task_run_get_state (run)), ==,
                   PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_assert_cmpint (prefect_ctx_task_run_get_run_count (run), ==, 1);
  states = prefect_ctx_client_read_task_run_states (client, id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (states), ==, 3);
}

/* ------------------------------------------------------------------------ */
/* The writer process */

static int
writer_main (const char *path,
             guint       count)
{
  g_autoptr(PrefectCtxClient) client = open_store (path);
  g_autoptr(PrefectCtxFlowRun) flow_run = create_flow_run (client, "writer");
  const char *flow_run_id = prefect_ctx_flow_run_get_id (flow_run);

  printf ("flow-run %s\n", flow_run_id);
  fflush (stdout);

  for (guint i = 0; count == 0 || i < count; i++)
    {
      g_autofree char *key = g_strdup_printf ("%u", i);
      g_autofree char *id = record_task_run (client, flow_run_id, key);

      /* Reported only once stored: the parent checks every one it sees. */
      printf ("%s\n", id);
      fflush (stdout);
    }

  return 0;
}

/* Records a flow run on @path and exits with the client still open, as a
 * program keeping get_default ()'s client does. */
static int
leave_open_main (const char *path)
{
  PrefectCtxClient *client = open_store (path);
  g_autoptr(PrefectCtxFlowRun) flow_run = create_flow_run (client, "left-open");

  (void) client;   /* never freed */
  return 0;
}

/* A writer process; its standard output is read through *out. Plain
 * g_spawn and stdio rather than GSubprocess, whose helper threads inside
 * GLib ThreadSanitizer cannot follow. */
typedef struct {
  GPid  pid;
  FILE *out;
} Writer;

static void
spawn_writer (Writer     *writer,
              const char *path,
              guint       count)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", &error);
  g_autofree char *count_string = g_strdup_printf ("%u", count);
  const char *argv[] = { self_exe, "--writer", path, count_string, NULL };
  int out_fd = -1;

  g_assert_no_error (error);
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &writer->pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  writer->out = fdopen (out_fd, "r");
  g_assert_nonnull (writer->out);
}

/* The next line the writer printed, without its newline; NULL at the end. */
static char *
writer_read_line (Writer *writer)
{
  char buffer[256];
  gsize length;

  if (fgets (buffer, sizeof buffer, writer->out) == NULL)
    return NULL;

  length = strlen (buffer);
  g_assert_cmpuint (length, >, 0);
  g_assert_cmpint (buffer[length - 1], ==, '\n');
  return g_strndup (buffer, length - 1);
}

/* Waits for the writer to end; returns its wait status. */
static int
writer_wait (Writer *writer)
{
  int status = 0;

  g_assert_cmpint (waitpid (writer->pid, &status, 0), ==, writer->pid);
  g_spawn_close_pid (writer->pid);
  fclose (writer->out);
  writer->out = NULL;
  return status;
}

/* ------------------------------------------------------------------------ */
/* Opening */

static PrefectCtxSettingsContext *
settings_context_with_home (const char *home)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *assignment = g_strconcat ("PREFECT_HOME=", home, NULL);
  const char *envp[] = { assignment, NULL };
  g_autoptr(PrefectCtxSettings) settings = prefect_ctx_settings_new_from_environ (envp, &error);
  g_autoptr(PrefectCtxProfile) profile = NULL;

  g_assert_no_error (error);
  profile = prefect_ctx_profile_new ("test", NULL, NULL, &error);
  g_assert_no_error (error);
  return prefect_ctx_settings_context_new (profile, settings);
}

static void
test_paths (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *home = g_build_filename (dir, "home", "nested", NULL);
  g_autofree char *expected = g_build_filename (home, "prefectctx.db", NULL);
  g_autofree char *explicit_path = g_build_filename (dir, "explicit.db", NULL);
  g_autoptr(PrefectCtxSettingsContext) context = settings_context_with_home (home);
  g_autoptr(PrefectCtxLocalClient) memory = NULL;
  g_autoptr(PrefectCtxLocalClient) explicit_client = NULL;
  g_autoptr(PrefectCtxLocalClient) default_client = NULL;
  g_autofree char *path_property = NULL;

  memory = prefect_ctx_local_client_new (PREFECT_CTX_LOCAL_CLIENT_MEMORY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_local_client_get_path (memory), ==, ":memory:");

  explicit_client = prefect_ctx_local_client_new (explicit_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_local_client_get_path (explicit_client), ==, explicit_path);
  g_assert_true (g_file_test (explicit_path, G_FILE_TEST_IS_REGULAR));
  g_object_get (explicit_client, "path", &path_property, NULL);
  g_assert_cmpstr (path_property, ==, explicit_path);

  /* NULL: $PREFECT_HOME/prefectctx.db of the current settings, the
   * directory made if needed. */
  g_assert_true (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (context), &error));
  default_client = prefect_ctx_local_client_new (NULL, &error);
  g_assert_no_error (error);
  g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (context), &error));
  g_assert_cmpstr (prefect_ctx_local_client_get_path (default_client), ==, expected);
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));

  /* A path that cannot be opened. */
  {
    g_autofree char *bad = g_build_filename (dir, "missing-dir", "x.db", NULL);
    g_autoptr(PrefectCtxLocalClient) none = prefect_ctx_local_client_new (bad, &error);
    g_autofree char *prefix = g_strdup_printf ("Run store '%s': opening: ", bad);

    g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
    g_assert_true (g_str_has_prefix (error->message, prefix));
    g_assert_null (none);
  }

  g_clear_object (&explicit_client);
  g_clear_object (&default_client);
  remove_tree (dir);
}

static void
test_get_default (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *home_a = g_build_filename (dir, "a", NULL);
  g_autofree char *home_b = g_build_filename (dir, "b", NULL);
  g_autofree char *path_a = g_build_filename (home_a, "prefectctx.db", NULL);
  g_autoptr(PrefectCtxSettingsContext) context_a = settings_context_with_home (home_a);
  g_autoptr(PrefectCtxSettingsContext) context_b = settings_context_with_home (home_b);
  g_autoptr(PrefectCtxClient) first = NULL;
  g_autoptr(PrefectCtxClient) second = NULL;
  g_autoptr(PrefectCtxClient) other = NULL;

  g_assert_true (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (context_a), &error));
  first = prefect_ctx_client_get_default (&error);
  g_assert_no_error (error);
  second = prefect_ctx_client_get_default (&error);
  g_assert_no_error (error);
  g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (context_a), &error));

  g_assert_true (PREFECT_CTX_IS_LOCAL_CLIENT (first));
  g_assert_true (first == second);
  g_assert_cmpstr (prefect_ctx_local_client_get_path (PREFECT_CTX_LOCAL_CLIENT (first)), ==, path_a);

  g_assert_true (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (context_b), &error));
  other = prefect_ctx_client_get_default (&error);
  g_assert_no_error (error);
  g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (context_b), &error));
  g_assert_true (other != first);

  /* Writes through one are read through the same object later. */
  {
    g_autoptr(PrefectCtxFlowRun) run = create_flow_run (first, "shared");
    g_autoptr(PrefectCtxFlowRun) read = NULL;

    g_assert_true (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (context_a), &error));
    g_clear_object (&second);
    second = prefect_ctx_client_get_default (&error);
    g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (context_a), &error));
    read = prefect_ctx_client_read_flow_run (second, prefect_ctx_flow_run_get_id (run), NULL, &error);
    g_assert_no_error (error);
  }
  /* The default clients live as long as the process: the directory stays. */
}

static void
test_reopen (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(PrefectCtxClient) client = open_store (path);
  g_autoptr(PrefectCtxFlowRun) run = create_flow_run (client, "persistent");
  g_autofree char *task_run_id = record_task_run (client, prefect_ctx_flow_run_get_id (run), "0");
  g_autofree char *journal_mode = NULL;
  sqlite3 *db;

  g_assert_cmpint (prefect_ctx_local_client_get_schema_version (), ==, 4);

  /* While open: a WAL database, ours, at the library's version. */
  db = raw_open (path);
  journal_mode = raw_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "wal");
  g_assert_cmpint (raw_int (db, "PRAGMA user_version", NULL), ==, prefect_ctx_local_client_get_schema_version ());
  g_assert_cmpint (raw_int (db, "PRAGMA application_id", NULL), ==, 0x50435458);
  /* Seen by another connection once committed: the task run's writes wait
   * for their group commit (at most 20 ms). */
  for (int i = 0; i < 200 && raw_int (db, "SELECT count(*) FROM task_run WHERE id = ?", task_run_id) == 0; i++)
    g_usleep (G_USEC_PER_SEC / 100);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM task_run WHERE id = ?", task_run_id), ==, 1);
  sqlite3_close (db);

  g_clear_object (&client);

  client = open_store (path);
  assert_recorded (client, task_run_id);
  {
    g_autoptr(PrefectCtxFlowRun) read = prefect_ctx_client_read_flow_run (client, prefect_ctx_flow_run_get_id (run),
                                                                          NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (prefect_ctx_flow_run_get_name (read), ==, "persistent");
  }

  /* Two clients on one file in one process. */
  {
    g_autoptr(PrefectCtxClient) second = open_store (path);
    g_autofree char *other = record_task_run (second, prefect_ctx_flow_run_get_id (run), "1");

    /* Task-run writes reach another connection once committed. */
    g_assert_true (prefect_ctx_client_flush (PREFECT_CTX_CLIENT (second), NULL, NULL));
    assert_recorded (client, other);
  }

  g_clear_object (&client);
  remove_tree (dir);
}

static void
test_empty_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "empty.db", NULL);
  g_autoptr(PrefectCtxClient) client = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;

  g_assert_true (g_file_set_contents (path, "", 0, &error));
  client = open_store (path);
  run = create_flow_run (client, "in an empty file");
  g_assert_nonnull (run);

  g_clear_object (&client);
  remove_tree (dir);
}

/* A process that exits with its client open leaves everything in the .db
 * file (the WAL checkpointed into it at exit), and the file is the user's
 * alone. */
static void
test_store_at_exit (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "left.db", NULL);
  g_autofree char *copy = g_build_filename (dir, "copy.db", NULL);
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", &error);
  g_autofree char *contents = NULL;
  const char *argv[] = { self_exe, "--leave-open", path, NULL };
  gsize length = 0;
  int status = -1;
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The .db file alone, copied without its -wal, holds the run. */
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_true (g_file_set_contents (copy, contents, (gssize) length, &error));
  {
    g_autoptr(PrefectCtxClient) client = open_store (copy);
    g_autoptr(GListModel) runs = prefect_ctx_client_read_flow_runs (client, PREFECT_CTX_CLIENT_ANY_STATE, 0, 0,
                                                                    NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 1);
  }
  remove_tree (dir);
}

/* Opened read-only, a store is never created, migrated nor written. */
static void
test_read_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.db", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.db", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(PrefectCtxLocalClient) reader = NULL;
  g_autoptr(GListModel) runs = NULL;
  g_autoptr(PrefectCtxFlowRun) refused = NULL;
  g_autoptr(PrefectCtxFlowRun) draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "name", "refused", NULL);
  gsize length = 1;

  g_assert_null (prefect_ctx_local_client_open_read_only (missing, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_null (prefect_ctx_local_client_open_read_only (empty, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (empty, &contents, &length, NULL));
  g_assert_cmpuint (length, ==, 0);

  g_assert_null (prefect_ctx_local_client_open_read_only (PREFECT_CTX_LOCAL_CLIENT_MEMORY, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  {
    g_autoptr(PrefectCtxClient) writer = open_store (path);
    g_autoptr(PrefectCtxFlowRun) run = create_flow_run (writer, "written");
  }
  reader = prefect_ctx_local_client_open_read_only (path, &error);
  g_assert_no_error (error);
  runs = prefect_ctx_client_read_flow_runs (PREFECT_CTX_CLIENT (reader), PREFECT_CTX_CLIENT_ANY_STATE, 0, 0,
                                            NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 1);
  refused = prefect_ctx_client_create_flow_run (PREFECT_CTX_CLIENT (reader), draft, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  g_test_message ("%s", error->message);

  g_clear_object (&reader);
  remove_tree (dir);
}

/* ------------------------------------------------------------------------ */
/* Files that are not ours */

static void
test_future_schema (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "future.db", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(PrefectCtxClient) client = open_store (path);
  g_autoptr(PrefectCtxLocalClient) refused = NULL;
  sqlite3 *db;

  g_clear_object (&client);
  db = raw_open (path);
  raw_exec (db, "PRAGMA user_version = 999");
  sqlite3_close (db);

  refused = prefect_ctx_local_client_new (path, &error);
  expected = g_strdup_printf ("Run store '%s' has schema version 999, newer than this version of "
                              "libprefectctx supports (%d)", path,
                              prefect_ctx_local_client_get_schema_version ());
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_null (refused);

  /* Left as it was. */
  db = raw_open (path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version", NULL), ==, 999);
  sqlite3_close (db);

  remove_tree (dir);
}

static void
test_text_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "notes.txt", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(PrefectCtxLocalClient) client = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *after = NULL;

  for (int i = 0; i < 200; i++)
    g_string_append (text, "This is a text file, not a database.\n");
  g_assert_true (g_file_set_contents (path, text->str, text->len, &error));

  client = prefect_ctx_local_client_new (path, &error);
  prefix = g_strdup_printf ("Run store '%s' is not a valid database: ", path);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_null (client);
  g_clear_error (&error);

  /* Untouched. */
  g_assert_true (g_file_get_contents (path, &after, NULL, &error));
  g_assert_cmpstr (after, ==, text->str);

  remove_tree (dir);
}

static void
test_corrupt_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "corrupt.db", NULL);
  g_autoptr(PrefectCtxClient) client = open_store (path);
  g_autoptr(PrefectCtxFlowRun) run = create_flow_run (client, "doomed");
  g_autofree char *flow_run_id = g_strdup (prefect_ctx_flow_run_get_id (run));
  g_autofree char *contents = NULL;
  gsize length;

  for (int i = 0; i < 200; i++)
    {
      g_autofree char *key = g_strdup_printf ("%d", i);
      g_autofree char *id = record_task_run (client, flow_run_id, key);
    }
  g_clear_object (&client);  /* the last connection: the WAL goes into the file */

  /* Every page but the first (the header and the schema) garbled. */
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_cmpuint (length, >, 3 * 4096);
  for (gsize i = 4096; i < length; i++)
    contents[i] = (char) (0xA5 ^ (i * 31));
  g_assert_true (g_file_set_contents (path, contents, length, &error));

  /* Either the store does not open, or reading it fails: an error, never a
   * crash nor made-up data. */
  {
    g_autoptr(PrefectCtxLocalClient) damaged = prefect_ctx_local_client_new (path, &error);
    g_autofree char *prefix = g_strdup_printf ("Run store '%s' is not a valid database: ", path);

    if (damaged != NULL)
      {
        g_autoptr(GListModel) runs = NULL;

        g_assert_no_error (error);
        runs = prefect_ctx_client_read_task_runs (PREFECT_CTX_CLIENT (damaged), flow_run_id, 0, 0, NULL, &error);
        g_assert_null (runs);
      }
    g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
    g_assert_true (g_str_has_prefix (error->message, prefix));
    g_clear_error (&error);
  }

  /* The header garbled too: not a database at all. */
  memset (contents, 0x5A, 4096);
  g_assert_true (g_file_set_contents (path, contents, length, &error));
  {
    g_autoptr(PrefectCtxLocalClient) damaged = prefect_ctx_local_client_new (path, &error);
    g_autofree char *prefix = g_strdup_printf ("Run store '%s' is not a valid database: ", path);

    g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
    g_assert_true (g_str_has_prefix (error->message, prefix));
    g_assert_null (damaged);
  }

  remove_tree (dir);
}

/* Sets @column of the row @id of @table to @value with SQLite directly. */
static void
raw_set (sqlite3    *db,
         const char *table,
         const char *column,
         const char *value,
         const char *id)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE %s SET %s = ? WHERE id = ?", table, column);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_finalize (stmt);
}

/* Asserts that @error says the store at @path is damaged, with @what (a
 * prefix of what follows when @prefix_only). */
static void
assert_damaged (GError     **error,
                const char  *path,
                const char  *what,
                gboolean     prefix_only)
{
  g_autofree char *expected = g_strdup_printf ("Run store '%s' is damaged: %s", path, what);

  g_assert_error (*error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  if (prefix_only)
    g_assert_true (g_str_has_prefix ((*error)->message, expected));
  else
    g_assert_cmpstr ((*error)->message, ==, expected);
  g_clear_error (error);
}

/* Expects the warning that a damaged column of @path was read as empty. */
static void
expect_damaged_column (const char *path,
                       const char *column,
                       const char *what)
{
  g_autofree char *pattern = g_strdup_printf ("Run store '%s' is damaged: %s (%s): read as empty",
                                              path, column, what);

  g_test_expect_message ("PrefectCtx", G_LOG_LEVEL_WARNING, pattern);
}

/* Rows whose JSON columns or state type another program garbled: a
 * damaged JSON column is read as empty, with a warning; a row that cannot
 * be read at all is an error naming the store, and a list leaves it out
 * (with a warning) so that the other rows stay readable. Never a crash nor
 * a half-built model. */
static void
test_damaged_rows (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "damaged.db", NULL);
  g_autoptr(PrefectCtxClient) client = open_store (path);
  g_autoptr(PrefectCtxFlow) flow_draft = prefect_ctx_flow_new ("garbled");
  g_autoptr(PrefectCtxFlow) flow = NULL;
  g_autoptr(PrefectCtxFlowRun) run = create_flow_run (client, "garbled-run");
  g_autoptr(PrefectCtxFlowRun) healthy = create_flow_run (client, "healthy-run");
  g_autoptr(PrefectCtxDeployment) deployment_draft = g_object_new (PREFECT_CTX_TYPE_DEPLOYMENT,
                                                                   "name", "garbled-deployment",
                                                                   NULL);
  g_autoptr(PrefectCtxDeployment) deployment = NULL;
  g_autofree char *task_run_id = NULL;
  g_autofree char *healthy_task_run_id = NULL;
  const char *flow_run_id = prefect_ctx_flow_run_get_id (run);
  const char *deployment_id;
  sqlite3 *db;

  flow = prefect_ctx_client_create_flow (client, flow_draft, NULL, &error);
  g_assert_no_error (error);
  deployment = prefect_ctx_client_create_deployment (client, deployment_draft, NULL, &error);
  g_assert_no_error (error);
  deployment_id = prefect_ctx_deployment_get_id (deployment);
  task_run_id = record_task_run (client, flow_run_id, "0");
  healthy_task_run_id = record_task_run (client, flow_run_id, "1");
  db = raw_open (path);

  /* Flows */
  raw_set (db, "flow", "tags", "{", prefect_ctx_flow_get_id (flow));
  expect_damaged_column (path, "tags", "Invalid JSON for tags: *");
  {
    g_autoptr(PrefectCtxFlow) read = prefect_ctx_client_read_flow (client, prefect_ctx_flow_get_id (flow),
                                                                   NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (prefect_ctx_flow_get_name (read), ==, "garbled");
    g_assert_cmpuint (g_strv_length ((char **) prefect_ctx_flow_get_tags (read)), ==, 0);
  }
  g_test_assert_expected_messages ();

  /* Flow runs: tags, then parameters, also in a list with another run */
  raw_set (db, "flow_run", "tags", "[1]", flow_run_id);
  raw_set (db, "flow_run", "parameters", "[]", flow_run_id);
  expect_damaged_column (path, "tags", "a tag is not a string");
  expect_damaged_column (path, "parameters", "Parameters must be a JSON object");
  {
    g_autoptr(PrefectCtxFlowRun) read = prefect_ctx_client_read_flow_run (client, flow_run_id, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (prefect_ctx_flow_run_get_name (read), ==, "garbled-run");
  }
  g_test_assert_expected_messages ();
  raw_set (db, "flow_run", "parameters", "{\"x\": nan}", flow_run_id);
  expect_damaged_column (path, "tags", "a tag is not a string");
  expect_damaged_column (path, "parameters", "Invalid JSON for parameters: *");
  {
    g_autoptr(GListModel) runs = prefect_ctx_client_read_flow_runs (client, PREFECT_CTX_CLIENT_ANY_STATE, 0, 0,
                                                                    NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 2);
  }
  g_test_assert_expected_messages ();

  /* Task runs: an unknown state type makes the row unreadable: an error
   * alone, left out of a list */
  raw_set (db, "task_run", "state_type", "SLEEPING", task_run_id);
  g_assert_null (prefect_ctx_client_read_task_run (client, task_run_id, NULL, &error));
  assert_damaged (&error, path, "unknown state type", FALSE);
  {
    g_autofree char *pattern = g_strdup_printf ("Run store '%s' is damaged: unknown state type; "
                                                "the row was left out of the list", path);
    g_autoptr(GListModel) runs = NULL;
    g_autoptr(PrefectCtxTaskRun) left = NULL;

    g_test_expect_message ("PrefectCtx", G_LOG_LEVEL_WARNING, pattern);
    runs = prefect_ctx_client_read_task_runs (client, flow_run_id, 0, 0, NULL, &error);
    g_test_assert_expected_messages ();
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 1);
    left = g_list_model_get_item (runs, 0);
    g_assert_cmpstr (prefect_ctx_task_run_get_id (left), ==, healthy_task_run_id);
  }
  raw_set (db, "task_run", "state_type", "COMPLETED", task_run_id);
  raw_set (db, "task_run", "tags", "not json", task_run_id);
  expect_damaged_column (path, "tags", "Invalid JSON for tags: *");
  {
    g_autoptr(PrefectCtxTaskRun) read = prefect_ctx_client_read_task_run (client, task_run_id, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_task_run_get_state (read)), ==,
                     PREFECT_CTX_STATE_TYPE_COMPLETED);
  }
  g_test_assert_expected_messages ();

  /* Deployments: parameters and tags */
  raw_set (db, "deployment", "parameters", "3", deployment_id);
  raw_set (db, "deployment", "tags", "{}", deployment_id);
  expect_damaged_column (path, "tags", "not a JSON array");
  expect_damaged_column (path, "parameters", "Parameters must be a JSON object");
  {
    g_autoptr(PrefectCtxDeployment) read = prefect_ctx_client_read_deployment (client, deployment_id,
                                                                               NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (prefect_ctx_deployment_get_name (read), ==, "garbled-deployment");
  }
  g_test_assert_expected_messages ();

  sqlite3_close (db);
  g_clear_object (&client);
  remove_tree (dir);
}

static void
test_foreign_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "people.db", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *journal_mode = NULL;
  g_autoptr(PrefectCtxLocalClient) client = NULL;
  sqlite3 *db = raw_open (path);

  raw_exec (db, "CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('Ada')");
  sqlite3_close (db);

  client = prefect_ctx_local_client_new (path, &error);
  expected = g_strdup_printf ("Run store '%s' is an SQLite database of another application", path);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_null (client);
  g_clear_error (&error);

  /* Left alone: same tables, same journal mode, nothing added. */
  db = raw_open (path);
  journal_mode = raw_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "delete");
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_master", NULL), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM people", NULL), ==, 1);
  g_assert_cmpint (raw_int (db, "PRAGMA application_id", NULL), ==, 0);

  /* Marked as another application's, even without tables. */
  raw_exec (db, "DROP TABLE people; PRAGMA application_id = 1234");
  sqlite3_close (db);
  client = prefect_ctx_local_client_new (path, &error);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_null (client);

  remove_tree (dir);
}

/* ------------------------------------------------------------------------ */
/* What is stored */

static void
test_total_run_time (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(PrefectCtxClient) client = open_store (path);
  g_autoptr(PrefectCtxFlowRun) flow_run = create_flow_run (client, "timed");
  g_autoptr(GDateTime) base = g_date_time_new_utc (2026, 11, 21, 5, 0, 0);
  g_autofree char *task_run_id = NULL;
  struct {
    PrefectCtxStateType type;
    const char *name;
    int at;
  } steps[] = {
    { PREFECT_CTX_STATE_TYPE_RUNNING, NULL, 1 },
    { PREFECT_CTX_STATE_TYPE_SCHEDULED, "AwaitingRetry", 3 },   /* 2 s running */
    { PREFECT_CTX_STATE_TYPE_RUNNING, "Retrying", 5 },
    { PREFECT_CTX_STATE_TYPE_COMPLETED, NULL, 9 },              /* 4 s running */
  };
  sqlite3 *db;

  {
    g_autoptr(PrefectCtxState) pending = g_object_new (PREFECT_CTX_TYPE_STATE,
                                                       "state-type", PREFECT_CTX_STATE_TYPE_PENDING,
                                                       "timestamp", base, NULL);
    g_autoptr(PrefectCtxTaskRun) draft = g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                                                       "flow-run-id", prefect_ctx_flow_run_get_id (flow_run),
                                                       "task-key", "t", "dynamic-key", "0",
                                                       "state", pending, NULL);
    g_autoptr(PrefectCtxTaskRun) run = prefect_ctx_client_create_task_run (client, draft, NULL, &error);

    g_assert_no_error (error);
    task_run_id = g_strdup (prefect_ctx_task_run_get_id (run));
  }

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(GDateTime) at = g_date_time_add_seconds (base, steps[i].at);
      g_autoptr(PrefectCtxState) state = g_object_new (PREFECT_CTX_TYPE_STATE,
                                                       "state-type", steps[i].type,
                                                       "name", steps[i].name,
                                                       "timestamp", at, NULL);
      g_autoptr(PrefectCtxState) s1 = NULL;
      g_autoptr(PrefectCtxState) s2 = NULL;

      s1 = prefect_ctx_client_set_task_run_state (client, task_run_id, state, FALSE, NULL, &error);
      g_assert_no_error (error);
      s2 = prefect_ctx_client_set_flow_run_state (client, prefect_ctx_flow_run_get_id (flow_run), state,
                                                  FALSE, NULL, &error);
      g_assert_no_error (error);
    }

  /* Time spent in RUNNING states, in microseconds. */
  db = raw_open (path);
  g_assert_cmpint (raw_int (db, "SELECT total_run_time FROM task_run WHERE id = ?", task_run_id), ==,
                   6 * G_USEC_PER_SEC);
  g_assert_cmpint (raw_int (db, "SELECT total_run_time FROM flow_run WHERE id = ?",
                            prefect_ctx_flow_run_get_id (flow_run)), ==, 6 * G_USEC_PER_SEC);
  g_assert_cmpint (raw_int (db, "SELECT run_count FROM task_run WHERE id = ?", task_run_id), ==, 2);
  g_assert_cmpint (raw_int (db, "SELECT json_array_length(states) FROM task_run WHERE id = ?", task_run_id), ==, 5);
  sqlite3_close (db);

  g_clear_object (&client);
  remove_tree (dir);
}

static void
test_checkpoints (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(PrefectCtxClient) client = open_store (path);
  g_autoptr(PrefectCtxFlowRun) flow_run = create_flow_run (client, "many");
  GStatBuf before, after;
  gint64 deadline;

  g_assert_cmpint (g_stat (path, &before), ==, 0);

  /* Writers never checkpoint themselves below the hard limit: the database
   * file grows only through the checkpoint thread. A commit every 10 task
   * runs, so that the WAL grows past the checkpoint threshold. */
  for (int i = 0; i < 1500; i++)
    {
      g_autofree char *key = g_strdup_printf ("%d", i);
      g_autofree char *id = record_task_run (client, prefect_ctx_flow_run_get_id (flow_run), key);

      if (i % 10 == 9)
        g_assert_true (prefect_ctx_client_flush (PREFECT_CTX_CLIENT (client), NULL, NULL));
    }

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  do
    {
      g_usleep (10000);
      g_assert_cmpint (g_stat (path, &after), ==, 0);
    }
  while (after.st_size <= before.st_size && g_get_monotonic_time () < deadline);
  g_assert_cmpint (after.st_size, >, before.st_size);

  g_clear_object (&client);
  remove_tree (dir);
}

/* ------------------------------------------------------------------------ */
/* Several processes */

#define WRITER_RUNS 300

static void
test_two_processes (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "shared.db", NULL);
  g_autoptr(PrefectCtxClient) client = open_store (path);
  g_autoptr(PrefectCtxFlowRun) flow_run = create_flow_run (client, "parent");
  Writer writers[2];
  g_autoptr(GPtrArray) mine = g_ptr_array_new_with_free_func (g_free);
  guint total = 0;

  for (guint w = 0; w < G_N_ELEMENTS (writers); w++)
    spawn_writer (&writers[w], path, WRITER_RUNS);

  /* The parent writes at the same time. */
  for (guint i = 0; i < WRITER_RUNS; i++)
    {
      g_autofree char *key = g_strdup_printf ("%u", i);

      g_ptr_array_add (mine, record_task_run (client, prefect_ctx_flow_run_get_id (flow_run), key));
    }

  for (guint w = 0; w < G_N_ELEMENTS (writers); w++)
    {
      g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *flow_run_id = NULL;
      char *line;
      int status;

      while ((line = writer_read_line (&writers[w])) != NULL)
        g_ptr_array_add (lines, line);
      status = writer_wait (&writers[w]);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);

      g_assert_cmpuint (lines->len, ==, WRITER_RUNS + 1);
      g_assert_true (g_str_has_prefix (g_ptr_array_index (lines, 0), "flow-run "));
      flow_run_id = g_strdup ((char *) g_ptr_array_index (lines, 0) + strlen ("flow-run "));

      for (guint i = 1; i < lines->len; i++)
        assert_recorded (client, g_ptr_array_index (lines, i));
      g_assert_cmpuint (prefect_ctx_client_count_task_runs (client, flow_run_id, TRUE, NULL, &error), ==,
                        WRITER_RUNS);
      g_assert_no_error (error);
      total += lines->len - 1;
    }

  for (guint i = 0; i < mine->len; i++)
    assert_recorded (client, g_ptr_array_index (mine, i));
  total += mine->len;

  g_assert_cmpuint (prefect_ctx_client_count_task_runs (client, NULL, TRUE, NULL, &error), ==, total);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 3 * WRITER_RUNS);

  g_clear_object (&client);
  remove_tree (dir);
}

/* Processes opening the same new file at once: one creates and migrates the
 * schema, the others wait for it (the schema check reads one snapshot; the
 * switch to WAL is retried while another process holds the lock). */
static void
test_concurrent_create (void)
{
  g_autofree char *dir = make_dir ();

  for (guint round = 0; round < 10; round++)
    {
      g_autofree char *name = g_strdup_printf ("new-%u.db", round);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      Writer writers[6];

      for (guint w = 0; w < G_N_ELEMENTS (writers); w++)
        spawn_writer (&writers[w], path, 1);

      for (guint w = 0; w < G_N_ELEMENTS (writers); w++)
        {
          guint n_lines = 0;
          char *line;
          int status;

          while ((line = writer_read_line (&writers[w])) != NULL)
            {
              n_lines++;
              g_free (line);
            }
          status = writer_wait (&writers[w]);
          g_assert_true (WIFEXITED (status));
          g_assert_cmpint (WEXITSTATUS (status), ==, 0);
          g_assert_cmpuint (n_lines, ==, 2);
        }
    }

  remove_tree (dir);
}

static void
test_killed_writer (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "killed.db", NULL);
  Writer writer;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *flow_run_id = NULL;
  g_autoptr(PrefectCtxClient) client = NULL;
  char *line;
  int status;

  spawn_writer (&writer, path, 0);
  line = writer_read_line (&writer);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "flow-run "));
  flow_run_id = g_strdup (line + strlen ("flow-run "));
  g_free (line);

  /* Killed in the middle of writing, at an arbitrary point, but more than
   * the store's durability window (20 ms) after the first 250 writes it
   * reported. */
  while (ids->len < 250)
    {
      line = writer_read_line (&writer);
      g_assert_nonnull (line);
      g_ptr_array_add (ids, line);
    }
  g_usleep (G_USEC_PER_SEC * 3 / 10);
  g_assert_cmpint (kill (writer.pid, SIGKILL), ==, 0);

  /* Whatever it reported before dying is in the pipe still. */
  while ((line = writer_read_line (&writer)) != NULL)
    g_ptr_array_add (ids, line);
  status = writer_wait (&writer);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  /* The database opens; every write the writer saw completed before the
   * window is there, and what is there of the later ones is a prefix of
   * them, never a run without the runs before it. */
  client = open_store (path);
  for (guint i = 0; i < 250; i++)
    assert_recorded (client, g_ptr_array_index (ids, i));
  {
    guint present = 250;

    while (present < ids->len)
      {
        g_autoptr(PrefectCtxTaskRun) run = prefect_ctx_client_read_task_run (client, g_ptr_array_index (ids, present),
                                                                             NULL, NULL);
        if (run == NULL)
          break;
        present++;
      }
    for (guint i = present; i < ids->len; i++)
      {
        g_autoptr(PrefectCtxTaskRun) run = prefect_ctx_client_read_task_run (client, g_ptr_array_index (ids, i),
                                                                             NULL, NULL);
        g_assert_null (run);
      }
    /* A prefix of the writes may end between the last present run's
     * creation and its final state (a group commit's boundary falls there):
     * every run before it is finished. */
    g_assert_cmpuint (prefect_ctx_client_count_task_runs (client, flow_run_id, TRUE, NULL, &error), >=, present - 1);
    g_assert_no_error (error);
  }
  {
    g_autoptr(GListModel) logs = prefect_ctx_client_read_logs (client, flow_run_id, NULL, NULL, 0, 0, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (logs), >=, 250);
  }

  /* And it takes more writes. */
  {
    g_autofree char *more = record_task_run (client, flow_run_id, "after-the-crash");

    assert_recorded (client, more);
  }

  g_clear_object (&client);
  remove_tree (dir);
}

/* ------------------------------------------------------------------------ */
/* Throughput (-m perf) */

static void
measure (const char *path,
         guint       n)
{
  g_autoptr(PrefectCtxClient) client = open_store (path);
  g_autoptr(PrefectCtxFlowRun) flow_run = create_flow_run (client, "perf");
  gint64 start = g_get_monotonic_time ();
  double seconds;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = g_strdup_printf ("%u", i);
      g_autofree char *id = record_task_run (client, prefect_ctx_flow_run_get_id (flow_run), key);
    }
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  g_test_minimized_result (seconds, "%s: %u task runs (create Pending, Running, 1 log, Completed) "
                           "in %.3f s: %.0f task runs/s, %.1f us each",
                           strcmp (path, ":memory:") == 0 ? "memory" : "file", n, seconds,
                           n / seconds, seconds * G_USEC_PER_SEC / n);
}

static void
test_perf (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "perf.db", NULL);

  if (!g_test_perf ())
    {
      g_test_skip ("throughput figures only with -m perf");
      remove_tree (dir);
      return;
    }

  measure (PREFECT_CTX_LOCAL_CLIENT_MEMORY, 50000);
  measure (path, 20000);
  remove_tree (dir);
}


/* ------------------------------------------------------------------------ */
/* create_task_run_and_set_state: the same row as create_task_run followed
 * by set_task_run_state, from the local store's one statement and from the
 * interface's default implementation (through a client that forwards only
 * the three methods it uses). */

#define TEST_TYPE_FORWARDING_CLIENT (test_forwarding_client_get_type ())
G_DECLARE_FINAL_TYPE (TestForwardingClient, test_forwarding_client, TEST, FORWARDING_CLIENT, GObject)

struct _TestForwardingClient
{
  GObject           parent_instance;
  PrefectCtxClient *inner;
};

static PrefectCtxTaskRun *
forwarding_create_task_run (PrefectCtxClient   *client,
                            PrefectCtxTaskRun  *task_run,
                            GCancellable       *cancellable,
                            GError            **error)
{
  return prefect_ctx_client_create_task_run (TEST_FORWARDING_CLIENT (client)->inner, task_run,
                                             cancellable, error);
}

static PrefectCtxState *
forwarding_set_task_run_state (PrefectCtxClient  *client,
                               const char        *id,
                               PrefectCtxState   *state,
                               gboolean           force,
                               GCancellable      *cancellable,
                               GError           **error)
{
  return prefect_ctx_client_set_task_run_state (TEST_FORWARDING_CLIENT (client)->inner, id, state, force,
                                                cancellable, error);
}

static PrefectCtxTaskRun *
forwarding_read_task_run (PrefectCtxClient  *client,
                          const char        *id,
                          GCancellable      *cancellable,
                          GError           **error)
{
  return prefect_ctx_client_read_task_run (TEST_FORWARDING_CLIENT (client)->inner, id, cancellable, error);
}

static void
test_forwarding_client_iface_init (PrefectCtxClientInterface *iface)
{
  iface->create_task_run = forwarding_create_task_run;
  iface->set_task_run_state = forwarding_set_task_run_state;
  iface->read_task_run = forwarding_read_task_run;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestForwardingClient, test_forwarding_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PREFECT_CTX_TYPE_CLIENT, test_forwarding_client_iface_init))

static void
test_forwarding_client_finalize (GObject *object)
{
  g_clear_object (&TEST_FORWARDING_CLIENT (object)->inner);
  G_OBJECT_CLASS (test_forwarding_client_parent_class)->finalize (object);
}

static void
test_forwarding_client_class_init (TestForwardingClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_forwarding_client_finalize;
}

static void
test_forwarding_client_init (TestForwardingClient *self)
{
}

static PrefectCtxState *
state_at (PrefectCtxStateType  type,
          const char          *message,
          GDateTime           *base,
          int                  seconds)
{
  g_autoptr(GDateTime) at = base != NULL ? g_date_time_add_seconds (base, seconds) : NULL;

  return g_object_new (PREFECT_CTX_TYPE_STATE, "state-type", type, "message", message,
                       "timestamp", at, NULL);
}

static PrefectCtxTaskRun *
task_run_draft (PrefectCtxFlowRun *flow_run,
                const char        *dynamic_key,
                PrefectCtxState   *state)
{
  return g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                       "flow-run-id", prefect_ctx_flow_run_get_id (flow_run),
                       "task-key", "t", "dynamic-key", dynamic_key,
                       "name", "t-run", "state", state, NULL);
}

/* Everything stored about a task run but its identity and row times (and
 * its expected start time, the time of creation, without @with_expected). */
static char *
raw_task_run (sqlite3    *db,
              const char *id,
              gboolean    with_expected)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT printf('%%s|%%s|%%s|%%s|%%s|%%s|%%s|%%s|%%s|%%s|%%s|%%s|%%s', task_key, name, tags, map_index,"
    " state_type, state_name, quote(state_message), state_timestamp, run_count, %s,"
    " quote(start_time), quote(end_time), total_run_time) || '|' || states FROM task_run WHERE id = '%s'",
    with_expected ? "expected_start_time" : "0", id);

  return raw_text (db, sql);
}

static void
check_created_with_state (PrefectCtxClient  *client,
                          PrefectCtxClient  *store,
                          sqlite3           *db,
                          PrefectCtxFlowRun *flow_run,
                          const char        *key,
                          PrefectCtxState   *first,
                          PrefectCtxState   *then)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key_a = g_strdup_printf ("%s-a", key);
  g_autofree char *key_b = g_strdup_printf ("%s-b", key);
  g_autoptr(PrefectCtxTaskRun) draft_a = task_run_draft (flow_run, key_a, first);
  g_autoptr(PrefectCtxTaskRun) draft_b = task_run_draft (flow_run, key_b, first);
  g_autoptr(PrefectCtxTaskRun) created_a = NULL;
  g_autoptr(PrefectCtxState) stored_a = NULL;
  g_autoptr(PrefectCtxTaskRun) b = NULL;
  g_autoptr(PrefectCtxTaskRun) read_b = NULL;
  g_autoptr(GListModel) states = NULL;
  g_autofree char *row_a = NULL;
  g_autofree char *row_b = NULL;

  created_a = prefect_ctx_client_create_task_run (store, draft_a, NULL, &error);
  g_assert_no_error (error);
  stored_a = prefect_ctx_client_set_task_run_state (store, prefect_ctx_task_run_get_id (created_a), then,
                                                    FALSE, NULL, &error);
  g_assert_no_error (error);

  b = prefect_ctx_client_create_task_run_and_set_state (client, draft_b, then, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (b);

  /* The same row, the same history (once committed). */
  g_assert_true (prefect_ctx_client_flush (PREFECT_CTX_CLIENT (store), NULL, NULL));
  row_a = raw_task_run (db, prefect_ctx_task_run_get_id (created_a), first != NULL);
  row_b = raw_task_run (db, prefect_ctx_task_run_get_id (b), first != NULL);
  g_assert_cmpstr (row_b, ==, row_a);

  /* What it returns is what is stored. */
  read_b = prefect_ctx_client_read_task_run (store, prefect_ctx_task_run_get_id (b), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_task_run_get_dynamic_key (b), ==, key_b);
  g_assert_cmpstr (prefect_ctx_task_run_get_flow_run_id (b), ==, prefect_ctx_flow_run_get_id (flow_run));
  g_assert_cmpint (prefect_ctx_task_run_get_run_count (b), ==, prefect_ctx_task_run_get_run_count (read_b));
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_task_run_get_state (b)), ==,
                   prefect_ctx_state_get_state_type (then));
  g_assert_true (g_date_time_equal (prefect_ctx_state_get_timestamp (prefect_ctx_task_run_get_state (b)),
                                    prefect_ctx_state_get_timestamp (prefect_ctx_task_run_get_state (read_b))));
  g_assert_true ((prefect_ctx_task_run_get_start_time (b) == NULL) ==
                 (prefect_ctx_task_run_get_start_time (read_b) == NULL));
  if (prefect_ctx_task_run_get_start_time (b) != NULL)
    g_assert_true (g_date_time_equal (prefect_ctx_task_run_get_start_time (b),
                                      prefect_ctx_task_run_get_start_time (read_b)));
  g_assert_true ((prefect_ctx_task_run_get_end_time (b) == NULL) ==
                 (prefect_ctx_task_run_get_end_time (read_b) == NULL));

  states = prefect_ctx_client_read_task_run_states (store, prefect_ctx_task_run_get_id (b), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (states), ==, first != NULL ? 2 : 1);
}

static void
test_create_with_state_for (PrefectCtxClient *client,
                            PrefectCtxClient *store,
                            const char       *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlowRun) flow_run = create_flow_run (store, "two-states");
  g_autoptr(GDateTime) base = g_date_time_new_utc (2026, 11, 21, 5, 0, 0);
  sqlite3 *db = raw_open (path);
  struct {
    const char *key;
    PrefectCtxStateType first;
    int first_at;
    PrefectCtxStateType then;
    int then_at;
    const char *message;
  } cases[] = {
    { "pending-running", PREFECT_CTX_STATE_TYPE_PENDING, 0, PREFECT_CTX_STATE_TYPE_RUNNING, 1, NULL },
    { "running-completed", PREFECT_CTX_STATE_TYPE_RUNNING, 0, PREFECT_CTX_STATE_TYPE_COMPLETED, 3, NULL },
    { "running-failed", PREFECT_CTX_STATE_TYPE_RUNNING, 0, PREFECT_CTX_STATE_TYPE_FAILED, 2, "it's \"broken\"" },
    { "completed-running", PREFECT_CTX_STATE_TYPE_COMPLETED, 0, PREFECT_CTX_STATE_TYPE_RUNNING, 4, NULL },
    { "running-running", PREFECT_CTX_STATE_TYPE_RUNNING, 0, PREFECT_CTX_STATE_TYPE_RUNNING, 5, NULL },
    { "later-earlier", PREFECT_CTX_STATE_TYPE_RUNNING, 5, PREFECT_CTX_STATE_TYPE_PENDING, 1, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PrefectCtxState) first = state_at (cases[i].first, NULL, base, cases[i].first_at);
      g_autoptr(PrefectCtxState) then = state_at (cases[i].then, cases[i].message, base, cases[i].then_at);

      check_created_with_state (client, store, db, flow_run, cases[i].key, first, then);
    }

  /* No first state: the run gets the one state. */
  {
    g_autoptr(PrefectCtxState) then = state_at (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, base, 1);

    check_created_with_state (client, store, db, flow_run, "none-running", NULL, then);
  }

  /* States as the engine makes them, stamped now one after the other: the
   * history in order, each with its own timestamp. */
  {
    g_autoptr(PrefectCtxState) pending = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_PENDING, NULL, NULL);
    g_autoptr(PrefectCtxState) running = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL);
    g_autoptr(PrefectCtxTaskRun) draft = task_run_draft (flow_run, "stamped", pending);
    g_autoptr(PrefectCtxTaskRun) run = NULL;
    g_autoptr(GListModel) states = NULL;
    g_autoptr(PrefectCtxState) s0 = NULL;
    g_autoptr(PrefectCtxState) s1 = NULL;

    run = prefect_ctx_client_create_task_run_and_set_state (client, draft, running, NULL, &error);
    g_assert_no_error (error);
    states = prefect_ctx_client_read_task_run_states (store, prefect_ctx_task_run_get_id (run), NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (states), ==, 2);
    s0 = g_list_model_get_item (states, 0);
    s1 = g_list_model_get_item (states, 1);
    g_assert_cmpint (prefect_ctx_state_get_state_type (s0), ==, PREFECT_CTX_STATE_TYPE_PENDING);
    g_assert_cmpint (prefect_ctx_state_get_state_type (s1), ==, PREFECT_CTX_STATE_TYPE_RUNNING);
    g_assert_true (g_date_time_equal (prefect_ctx_state_get_timestamp (s0), prefect_ctx_state_get_timestamp (pending)));
    g_assert_true (g_date_time_equal (prefect_ctx_state_get_timestamp (s1), prefect_ctx_state_get_timestamp (running)));
    g_assert_true (g_date_time_equal (prefect_ctx_task_run_get_start_time (run),
                                      prefect_ctx_state_get_timestamp (running)));
    g_assert_cmpint (prefect_ctx_task_run_get_run_count (run), ==, 1);
  }

  /* A duplicate (flow run, task key, dynamic key): the state goes to the
   * existing run, which is returned. */
  {
    g_autoptr(PrefectCtxState) pending = state_at (PREFECT_CTX_STATE_TYPE_PENDING, NULL, base, 0);
    g_autoptr(PrefectCtxState) running = state_at (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, base, 1);
    g_autoptr(PrefectCtxState) again_running = state_at (PREFECT_CTX_STATE_TYPE_RUNNING, "again", base, 7);
    g_autoptr(PrefectCtxTaskRun) draft = task_run_draft (flow_run, "dup", pending);
    g_autoptr(PrefectCtxTaskRun) first = NULL;
    g_autoptr(PrefectCtxTaskRun) again = NULL;
    g_autoptr(GListModel) states = NULL;

    first = prefect_ctx_client_create_task_run_and_set_state (client, draft, running, NULL, &error);
    g_assert_no_error (error);
    again = prefect_ctx_client_create_task_run_and_set_state (client, draft, again_running, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (prefect_ctx_task_run_get_id (again), ==, prefect_ctx_task_run_get_id (first));
    g_assert_cmpint (prefect_ctx_task_run_get_run_count (again), ==, 2);
    g_assert_cmpstr (prefect_ctx_state_get_message (prefect_ctx_task_run_get_state (again)), ==, "again");
    states = prefect_ctx_client_read_task_run_states (store, prefect_ctx_task_run_get_id (first), NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (states), ==, 3);
  }

  /* Bad input is the same error as create_task_run's. */
  {
    g_autoptr(PrefectCtxState) running = state_at (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, base, 1);
    g_autoptr(PrefectCtxTaskRun) draft = g_object_new (PREFECT_CTX_TYPE_TASK_RUN, "name", "no-key", NULL);
    g_autoptr(PrefectCtxTaskRun) run = NULL;

    run = prefect_ctx_client_create_task_run_and_set_state (client, draft, running, NULL, &error);
    g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
    g_assert_cmpstr (error->message, ==, "A task run needs a task key");
    g_assert_null (run);
    g_clear_error (&error);
  }

  sqlite3_close (db);
}

static void
test_create_with_state (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autofree char *path2 = g_build_filename (dir, "store2.db", NULL);
  g_autoptr(PrefectCtxClient) store = open_store (path);
  g_autoptr(PrefectCtxClient) store2 = open_store (path2);
  g_autoptr(TestForwardingClient) forwarding = g_object_new (TEST_TYPE_FORWARDING_CLIENT, NULL);

  /* The local store's own implementation, then the default one. */
  test_create_with_state_for (store, store, path);
  forwarding->inner = g_object_ref (store2);
  test_create_with_state_for (PREFECT_CTX_CLIENT (forwarding), store2, path2);
}

/* Fields 22 (start time) of /proc/@pid/stat, as the store records it. */
static char *
process_start (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  fields = g_strsplit (strrchr (contents, ')') + 2, " ", 0);
  return g_strdup (fields[19]);
}

static char *
boot_id (void)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents ("/proc/sys/kernel/random/boot_id", &contents, NULL, NULL));
  return g_strstrip (contents);
}

/* A pid that no process has: a child that has exited and been reaped. */
static pid_t
dead_pid (void)
{
  pid_t pid = fork ();

  if (pid == 0)
    _exit (0);
  g_assert_cmpint (waitpid (pid, NULL, 0), ==, pid);
  return pid;
}

/* A flow run recorded Running by this process, then given @process as its
 * process in the file; returns its ID. */
static char *
running_flow_run (PrefectCtxClient *client,
                  sqlite3          *db,
                  const char       *process)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxState) running = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL);
  g_autoptr(PrefectCtxFlowRun) draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "name", "victim", "state", running, NULL);
  g_autoptr(PrefectCtxFlowRun) run = prefect_ctx_client_create_flow_run (client, draft, NULL, &error);
  char *sql;

  g_assert_no_error (error);
  sql = sqlite3_mprintf ("UPDATE flow_run SET process = %Q WHERE id = %Q", process, prefect_ctx_flow_run_get_id (run));
  raw_exec (db, sql);
  sqlite3_free (sql);
  return g_strdup (prefect_ctx_flow_run_get_id (run));
}

static PrefectCtxStateType
read_state_type (PrefectCtxClient *client,
                 const char       *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlowRun) run = prefect_ctx_client_read_flow_run (client, id, NULL, &error);

  g_assert_no_error (error);
  return prefect_ctx_state_get_state_type (prefect_ctx_flow_run_get_state (run));
}

/* A Running run records its process (pid, start time, boot, host); a reader
 * that finds that process gone reports the run Crashed and records it so,
 * with the bookkeeping of a state change. What cannot be told stays
 * Running. */
static void
test_crashed_process (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(PrefectCtxClient) client = open_store (path);
  g_autofree char *boot = boot_id ();
  g_autofree char *parent_start = process_start (getppid ());
  const char *host = g_get_host_name ();
  sqlite3 *db = raw_open (path);
  g_autofree char *alive = g_strdup_printf ("%d %s %s %s", (int) getppid (), parent_start, boot, host);
  pid_t gone = dead_pid ();
  g_autofree char *dead = g_strdup_printf ("%d 12345 %s %s", (int) gone, boot, host);
  g_autofree char *own_start = process_start (getpid ());
  g_autofree char *reused = g_strdup_printf ("%d 1%s %s %s", (int) getppid (), parent_start, boot, host);
  g_autofree char *rebooted = g_strdup_printf ("%d %s 00000000-0000-0000-0000-000000000000 %s",
                                               (int) getppid (), parent_start, host);
  g_autofree char *elsewhere = g_strdup_printf ("%d 12345 %s another host", (int) dead_pid (), boot);
  g_autofree char *alive_id = NULL, *dead_id = NULL, *reused_id = NULL, *rebooted_id = NULL;
  g_autofree char *elsewhere_id = NULL, *garbage_id = NULL, *own_id = NULL;
  g_autoptr(PrefectCtxFlowRun) crashed = NULL;
  g_autoptr(GListModel) states = NULL;
  g_autoptr(PrefectCtxState) last = NULL;
  g_autofree char *expected = NULL;

  /* What this process records: its own pid, start time, boot and host. */
  own_id = running_flow_run (client, db, "unchanged");
  raw_exec (db, "UPDATE flow_run SET process = NULL");
  {
    g_autoptr(PrefectCtxState) running = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL);
    g_autoptr(PrefectCtxState) stored = prefect_ctx_client_set_flow_run_state (client, own_id, running, FALSE, NULL, &error);
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM flow_run WHERE process = '%d %s %s %s'",
                                            (int) getpid (), own_start, boot, host);

    g_assert_no_error (error);
    g_assert_cmpint (raw_int (db, sql, NULL), ==, 1);
  }
  g_assert_cmpint (read_state_type (client, own_id), ==, PREFECT_CTX_STATE_TYPE_RUNNING);

  alive_id = running_flow_run (client, db, alive);
  dead_id = running_flow_run (client, db, dead);
  reused_id = running_flow_run (client, db, reused);
  rebooted_id = running_flow_run (client, db, rebooted);
  elsewhere_id = running_flow_run (client, db, elsewhere);
  garbage_id = running_flow_run (client, db, "not a process");

  g_assert_cmpint (read_state_type (client, alive_id), ==, PREFECT_CTX_STATE_TYPE_RUNNING);
  g_assert_cmpint (read_state_type (client, elsewhere_id), ==, PREFECT_CTX_STATE_TYPE_RUNNING);
  g_assert_cmpint (read_state_type (client, garbage_id), ==, PREFECT_CTX_STATE_TYPE_RUNNING);
  g_assert_cmpint (read_state_type (client, reused_id), ==, PREFECT_CTX_STATE_TYPE_CRASHED);
  g_assert_cmpint (read_state_type (client, rebooted_id), ==, PREFECT_CTX_STATE_TYPE_CRASHED);

  /* A read-only client reports it, and writes nothing. */
  {
    g_autoptr(PrefectCtxLocalClient) reader = prefect_ctx_local_client_open_read_only (path, &error);
    g_autoptr(PrefectCtxFlowRun) seen = NULL;
    g_autoptr(GListModel) seen_states = NULL;
    g_autoptr(PrefectCtxState) seen_last = NULL;

    g_assert_no_error (error);
    seen = prefect_ctx_client_read_flow_run (PREFECT_CTX_CLIENT (reader), dead_id, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_flow_run_get_state (seen)), ==,
                     PREFECT_CTX_STATE_TYPE_CRASHED);
    g_assert_nonnull (prefect_ctx_flow_run_get_end_time (seen));
    seen_states = prefect_ctx_client_read_flow_run_states (PREFECT_CTX_CLIENT (reader), dead_id, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (seen_states), ==, 2);
    seen_last = g_list_model_get_item (seen_states, 1);
    g_assert_cmpint (prefect_ctx_state_get_state_type (seen_last), ==, PREFECT_CTX_STATE_TYPE_CRASHED);
    g_assert_cmpint (raw_int (db, "SELECT count(*) FROM flow_run WHERE id = ? AND state_type = 'RUNNING'", dead_id), ==, 1);
  }

  /* Read in a list by a client that writes: recorded, once. */
  {
    g_autoptr(GListModel) runs = prefect_ctx_client_read_flow_runs (client, PREFECT_CTX_CLIENT_ANY_STATE, 0, 0, NULL, &error);
    guint n_crashed = 0;

    g_assert_no_error (error);
    for (guint i = 0; i < g_list_model_get_n_items (runs); i++)
      {
        g_autoptr(PrefectCtxFlowRun) run = g_list_model_get_item (runs, i);

        n_crashed += prefect_ctx_state_get_state_type (prefect_ctx_flow_run_get_state (run)) == PREFECT_CTX_STATE_TYPE_CRASHED;
      }
    g_assert_cmpuint (n_crashed, ==, 3);
  }
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM flow_run WHERE id = ? AND state_type = 'CRASHED'"
                                " AND process IS NULL AND end_time IS NOT NULL", dead_id), ==, 1);

  crashed = prefect_ctx_client_read_flow_run (client, dead_id, NULL, &error);
  g_assert_no_error (error);
  expected = g_strdup_printf ("Execution was aborted: its process (pid %d on %s) ended during the run, "
                              "killed or crashed.", (int) gone, host);
  g_assert_cmpstr (prefect_ctx_state_get_message (prefect_ctx_flow_run_get_state (crashed)), ==, expected);
  states = prefect_ctx_client_read_flow_run_states (client, dead_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (states), ==, 2);
  last = g_list_model_get_item (states, 1);
  g_assert_cmpint (prefect_ctx_state_get_state_type (last), ==, PREFECT_CTX_STATE_TYPE_CRASHED);
  g_assert_cmpstr (prefect_ctx_state_get_message (last), ==,
                   prefect_ctx_state_get_message (prefect_ctx_flow_run_get_state (crashed)));
  g_assert_true (g_date_time_equal (prefect_ctx_state_get_timestamp (last),
                                    prefect_ctx_state_get_timestamp (prefect_ctx_flow_run_get_state (crashed))));

  sqlite3_close (db);
}

/* A store of schema version 1 (no process column, no task run order
 * indexes) is migrated; its Running runs, of no known process, stay
 * Running. */
static void
test_migrate_v1 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(PrefectCtxClient) client = open_store (path);
  g_autoptr(PrefectCtxState) running = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL);
  g_autoptr(PrefectCtxFlowRun) draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "name", "old", "state", running, NULL);
  g_autoptr(PrefectCtxFlowRun) run = prefect_ctx_client_create_flow_run (client, draft, NULL, &error);
  g_autofree char *id = g_strdup (prefect_ctx_flow_run_get_id (run));
  sqlite3 *db;

  g_assert_no_error (error);
  g_clear_object (&client);
  db = raw_open (path);
  raw_exec (db, "ALTER TABLE flow_run DROP COLUMN process; ALTER TABLE task_run DROP COLUMN process;"
                "DROP INDEX task_run_flow_run_order; DROP INDEX task_run_order;"
                "DROP INDEX task_run_finished; DROP INDEX flow_created; DROP INDEX deployment_created;"
                "PRAGMA user_version = 1");
  sqlite3_close (db);

  client = open_store (path);
  g_assert_cmpint (read_state_type (client, id), ==, PREFECT_CTX_STATE_TYPE_RUNNING);
  db = raw_open (path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version", NULL), ==, 4);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM flow_run WHERE process IS NULL", NULL), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                                "('task_run_flow_run_order', 'task_run_order', 'task_run_finished',"
                                " 'flow_created', 'deployment_created')", NULL), ==, 5);
  sqlite3_close (db);
}

/* Task-run and log writes of a file store are committed in groups: they
 * reach other connections within the durability window, at once with the
 * next flow-run write or prefect_ctx_client_flush (), and when the
 * client goes away. */
static void
test_group_commit (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  PrefectCtxClient *client = open_store (path);
  g_autoptr(PrefectCtxFlowRun) run = create_flow_run (client, "grouped");
  const char *flow_run_id = prefect_ctx_flow_run_get_id (run);
  sqlite3 *db = raw_open (path);
  g_autofree char *first = NULL, *second = NULL, *third = NULL;
  g_autoptr(PrefectCtxState) running = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL);
  g_autoptr(PrefectCtxState) stored = NULL;
  gint64 start;
  int waited = 0;

  /* A flow run is committed before the call returns. */
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM flow_run WHERE id = ?", flow_run_id), ==, 1);

  /* Task runs: within the window (20 ms), by the commit thread. */
  start = g_get_monotonic_time ();
  first = record_task_run (client, flow_run_id, "0");
  while (raw_int (db, "SELECT count(*) FROM task_run WHERE id = ?", first) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
      g_usleep (1000);
      waited++;
    }
  g_assert_cmpint (waited, >, 0);

  /* With the next flow-run write. */
  second = record_task_run (client, flow_run_id, "1");
  stored = prefect_ctx_client_set_flow_run_state (client, flow_run_id, running, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM task_run WHERE id = ?", second), ==, 1);

  /* By flush. */
  third = record_task_run (client, flow_run_id, "2");
  g_assert_true (prefect_ctx_client_flush (PREFECT_CTX_CLIENT (client), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM task_run WHERE id = ?", third), ==, 1);

  /* When the client goes away. */
  g_free (third);
  third = record_task_run (client, flow_run_id, "3");
  g_object_unref (client);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM task_run WHERE id = ?", third), ==, 1);
  sqlite3_close (db);
}

/* Every statement finds its rows through an index (the suite runs with
 * PREFECT_CTX_CHECK_QUERY_PLANS set, so any store it opens checks this); a
 * store missing an index is reported, naming the statement's plan. */
static void
test_query_plans (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = make_dir ();
      g_autofree char *path = g_build_filename (dir, "plans.db", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(PrefectCtxLocalClient) first = prefect_ctx_local_client_new (path, &error);
      g_autoptr(PrefectCtxLocalClient) again = NULL;
      sqlite3 *db;

      g_assert_no_error (error);
      g_clear_object (&first);
      db = raw_open (path);
      g_assert_cmpint (sqlite3_exec (db, "DROP INDEX task_run_flow_run_order", NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);

      g_setenv ("PREFECT_CTX_CHECK_QUERY_PLANS", "1", TRUE);
      again = prefect_ctx_local_client_new (path, &error);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*reads the store without an index (USE TEMP B-TREE FOR ORDER BY)*"
                             "WHERE flow_run_id = ?3 ORDER BY expected_start_time, seq*");

  /* The schema as created has none of them. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PrefectCtxLocalClient) memory = NULL;

    g_setenv ("PREFECT_CTX_CHECK_QUERY_PLANS", "1", TRUE);
    memory = prefect_ctx_local_client_new (PREFECT_CTX_LOCAL_CLIENT_MEMORY, &error);
    g_assert_no_error (error);
  }
}

int
main (int    argc,
      char **argv)
{
  int status;

  if (argc == 4 && strcmp (argv[1], "--writer") == 0)
    return writer_main (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));
  if (argc == 3 && strcmp (argv[1], "--leave-open") == 0)
    return leave_open_main (argv[2]);

  g_test_init (&argc, &argv, NULL);

  tmp_root = g_dir_make_tmp ("test-local-store-XXXXXX", NULL);
  g_assert_nonnull (tmp_root);
  g_setenv ("PREFECT_HOME", tmp_root, TRUE);
  g_unsetenv ("PREFECT_API_URL");
  g_unsetenv ("PREFECT_PROFILES_PATH");

  g_test_add_func ("/local-store/paths", test_paths);
  g_test_add_func ("/local-store/query-plans", test_query_plans);
  g_test_add_func ("/local-store/get-default", test_get_default);
  g_test_add_func ("/local-store/reopen", test_reopen);
  g_test_add_func ("/local-store/empty-file", test_empty_file);
  g_test_add_func ("/local-store/at-exit", test_store_at_exit);
  g_test_add_func ("/local-store/read-only", test_read_only);
  g_test_add_func ("/local-store/future-schema", test_future_schema);
  g_test_add_func ("/local-store/text-file", test_text_file);
  g_test_add_func ("/local-store/corrupt-file", test_corrupt_file);
  g_test_add_func ("/local-store/damaged-rows", test_damaged_rows);
  g_test_add_func ("/local-store/crashed-process", test_crashed_process);
  g_test_add_func ("/local-store/migrate-v1", test_migrate_v1);
  g_test_add_func ("/local-store/group-commit", test_group_commit);
  g_test_add_func ("/local-store/foreign-database", test_foreign_database);
  g_test_add_func ("/local-store/total-run-time", test_total_run_time);
  g_test_add_func ("/local-store/create-with-state", test_create_with_state);
  g_test_add_func ("/local-store/checkpoints", test_checkpoints);
  g_test_add_func ("/local-store/two-processes", test_two_processes);
  g_test_add_func ("/local-store/concurrent-create", test_concurrent_create);
  g_test_add_func ("/local-store/killed-writer", test_killed_writer);
  g_test_add_func ("/local-store/perf", test_perf);

  status = g_test_run ();
  remove_tree (tmp_root);
  g_free (tmp_root);
  return status;
}
