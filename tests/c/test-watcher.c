/* test-watcher.c: watching a flow run (PrefectCtxFlowRunWatcher and the
 * blocking prefect_ctx_watch_flow_run ()).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A writer thread moves a flow run of an in-memory store through its states
 * and writes its logs while the watcher polls with short intervals.
 */
#define G_LOG_DOMAIN "PrefectCtx-test"

#include <math.h>
#include <string.h>

#include <prefectctx.h>

#include "fake-prefect.h"

/* ---------------------------------------------------------------------------
 * Fixtures
 */

static PrefectCtxClient *
memory_client (void)
{
  g_autoptr(GError) error = NULL;
  PrefectCtxLocalClient *client = prefect_ctx_local_client_new (PREFECT_CTX_LOCAL_CLIENT_MEMORY, &error);

  g_assert_no_error (error);
  return PREFECT_CTX_CLIENT (client);
}

static char *
make_flow_run (PrefectCtxClient    *client,
               PrefectCtxStateType  state_type,
               const char          *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("watched");
  g_autoptr(PrefectCtxFlow) stored_flow = NULL;
  g_autoptr(PrefectCtxState) state = prefect_ctx_state_new (state_type, NULL, message);
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  g_autoptr(PrefectCtxFlowRun) stored = NULL;

  stored_flow = prefect_ctx_client_create_flow (client, flow, NULL, &error);
  g_assert_no_error (error);
  run = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN,
                      "flow-id", prefect_ctx_flow_get_id (stored_flow),
                      "name", "watched-run",
                      "state", state,
                      NULL);
  stored = prefect_ctx_client_create_flow_run (client, run, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (prefect_ctx_flow_run_get_id (stored));
}

static void
set_flow_state (PrefectCtxClient    *client,
                const char          *id,
                PrefectCtxStateType  type,
                const char          *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxState) state = prefect_ctx_state_new (type, NULL, message);
  g_autoptr(PrefectCtxState) stored = NULL;

  stored = prefect_ctx_client_set_flow_run_state (client, id, state, TRUE, NULL, &error);
  g_assert_no_error (error);
}

static void
add_log (PrefectCtxClient *client,
         const char       *flow_run_id,
         GDateTime        *timestamp,
         const char       *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) logs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = NULL;

  if (timestamp == NULL)
    timestamp = now = g_date_time_new_now_utc ();
  g_ptr_array_add (logs, g_object_new (PREFECT_CTX_TYPE_LOG_ENTRY,
                                       "name", "prefect.flow_runs",
                                       "level", 20,
                                       "message", message,
                                       "timestamp", timestamp,
                                       "flow-run-id", flow_run_id,
                                       NULL));
  prefect_ctx_client_create_logs (client, logs, NULL, &error);
  g_assert_no_error (error);
}

/* What a watch gave. */
typedef struct {
  GMainLoop             *loop;
  GPtrArray             *messages;   /* of char * */
  GPtrArray             *timestamps; /* of GDateTime */
  guint                  n_updated;
  guint                  n_finished;
  PrefectCtxFlowRunView *finished_view;
  PrefectCtxFlowRunView *result;
  GError                *error;
  gboolean               done;
  GThread               *thread;
} Watch;

static void
watch_init (Watch *watch)
{
  memset (watch, 0, sizeof *watch);
  watch->loop = g_main_loop_new (NULL, FALSE);
  watch->messages = g_ptr_array_new_with_free_func (g_free);
  watch->timestamps = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  watch->thread = g_thread_self ();
}

static void
watch_clear (Watch *watch)
{
  g_main_loop_unref (watch->loop);
  g_ptr_array_unref (watch->messages);
  g_ptr_array_unref (watch->timestamps);
  g_clear_object (&watch->finished_view);
  g_clear_object (&watch->result);
  g_clear_error (&watch->error);
}

static char *
watch_joined (Watch *watch)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < watch->messages->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", (char *) watch->messages->pdata[i]);
  return g_strdup (out->str);
}

static void
entry_cb (PrefectCtxFlowRunWatcher *watcher,
          PrefectCtxLogEntry       *entry,
          Watch                    *watch)
{
  g_assert_true (g_thread_self () == watch->thread);
  g_assert_cmpint (prefect_ctx_log_entry_get_level (entry), ==, 20);
  g_assert_nonnull (prefect_ctx_log_entry_get_timestamp (entry));
  g_ptr_array_add (watch->messages, g_strdup (prefect_ctx_log_entry_get_message (entry)));
  g_ptr_array_add (watch->timestamps, g_date_time_ref (prefect_ctx_log_entry_get_timestamp (entry)));
}

static void
updated_cb (PrefectCtxFlowRunWatcher *watcher,
            PrefectCtxFlowRunView    *view,
            Watch                    *watch)
{
  g_assert_true (g_thread_self () == watch->thread);
  g_assert_true (PREFECT_CTX_IS_FLOW_RUN_VIEW (view));
  g_assert_true (prefect_ctx_flow_run_watcher_get_view (watcher) == view);
  watch->n_updated++;
}

static void
finished_cb (PrefectCtxFlowRunWatcher *watcher,
             PrefectCtxFlowRunView    *view,
             Watch                    *watch)
{
  g_assert_true (g_thread_self () == watch->thread);
  g_assert_true (prefect_ctx_flow_run_view_is_finished (view));
  watch->n_finished++;
  g_set_object (&watch->finished_view, view);
}

static void
watch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Watch *watch = user_data;

  g_assert_true (g_thread_self () == watch->thread);
  watch->result = prefect_ctx_flow_run_watcher_watch_finish (PREFECT_CTX_FLOW_RUN_WATCHER (source), result,
                                                             &watch->error);
  watch->done = TRUE;
  g_main_loop_quit (watch->loop);
}

static PrefectCtxFlowRunWatcher *
watcher_new (PrefectCtxClient *client,
             const char       *flow_run_id,
             Watch            *watch,
             const char       *first_property,
             ...)
{
  PrefectCtxFlowRunWatcher *watcher;
  va_list args;

  va_start (args, first_property);
  watcher = PREFECT_CTX_FLOW_RUN_WATCHER (g_object_new_valist (PREFECT_CTX_TYPE_FLOW_RUN_WATCHER,
                                                               first_property, args));
  va_end (args);
  g_assert_cmpstr (prefect_ctx_flow_run_watcher_get_flow_run_id (watcher), ==, flow_run_id);
  g_assert_true (prefect_ctx_flow_run_watcher_get_client (watcher) == client);

  g_signal_connect (watcher, "entry", G_CALLBACK (entry_cb), watch);
  g_signal_connect (watcher, "updated", G_CALLBACK (updated_cb), watch);
  g_signal_connect (watcher, "finished", G_CALLBACK (finished_cb), watch);
  return watcher;
}

static void
run_watch (PrefectCtxFlowRunWatcher *watcher,
           GCancellable             *cancellable,
           Watch                    *watch)
{
  prefect_ctx_flow_run_watcher_watch_async (watcher, cancellable, watch_done_cb, watch);
  g_assert_true (prefect_ctx_flow_run_watcher_is_watching (watcher));
  g_main_loop_run (watch->loop);
  g_assert_true (watch->done);
  g_assert_false (prefect_ctx_flow_run_watcher_is_watching (watcher));
}

/* ---------------------------------------------------------------------------
 * Tests
 */

static void
test_watcher_defaults (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxFlowRunWatcher) watcher = prefect_ctx_flow_run_watcher_new (client, "some-id");

  g_assert_true (prefect_ctx_flow_run_watcher_get_stream_states (watcher));
  g_assert_true (prefect_ctx_flow_run_watcher_get_stream_logs (watcher));
  g_assert_cmpfloat (prefect_ctx_flow_run_watcher_get_max_duration (watcher), ==, 43200.0);
  g_assert_cmpfloat (prefect_ctx_flow_run_watcher_get_poll_interval (watcher), ==, 2.0);
  g_assert_cmpfloat (prefect_ctx_flow_run_watcher_get_max_poll_interval (watcher), ==, 10.0);
  g_assert_null (prefect_ctx_flow_run_watcher_get_view (watcher));
  g_assert_false (prefect_ctx_flow_run_watcher_is_watching (watcher));
}

/* A run finished already: one INFO entry, then done. */
static void
test_watcher_already_finished (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *run_id = make_flow_run (client, PREFECT_CTX_STATE_TYPE_COMPLETED, NULL);
  g_autoptr(PrefectCtxFlowRunWatcher) watcher = NULL;
  g_autoptr(PrefectCtxFlowRunWatcher) quiet = NULL;
  Watch watch;

  watch_init (&watch);
  watcher = watcher_new (client, run_id, &watch, "client", client, "flow-run-id", run_id, NULL);
  run_watch (watcher, NULL, &watch);
  g_assert_no_error (watch.error);
  g_assert_nonnull (watch.result);
  g_assert_true (prefect_ctx_flow_run_view_is_finished (watch.result));
  g_assert_cmpuint (watch.messages->len, ==, 1);
  g_assert_cmpstr (watch.messages->pdata[0], ==, "Your flow run finished a few seconds ago");
  g_assert_cmpuint (watch.n_finished, ==, 1);
  g_assert_true (watch.finished_view == watch.result);
  watch_clear (&watch);

  /* Without states streamed: nothing at all. */
  watch_init (&watch);
  quiet = watcher_new (client, run_id, &watch, "client", client, "flow-run-id", run_id,
                       "stream-states", FALSE, NULL);
  run_watch (quiet, NULL, &watch);
  g_assert_no_error (watch.error);
  g_assert_cmpuint (watch.messages->len, ==, 0);
  g_assert_cmpuint (watch.n_finished, ==, 1);

  /* A watcher may watch again once a watch is over. */
  g_clear_object (&watch.result);
  watch.done = FALSE;
  run_watch (quiet, NULL, &watch);
  g_assert_no_error (watch.error);
  g_assert_cmpuint (watch.n_finished, ==, 2);
  watch_clear (&watch);
}

/* The writer: moves the run through its states and writes logs while the
 * watcher polls. */
typedef struct {
  PrefectCtxClient *client;
  const char       *run_id;
  GDateTime        *early;   /* a timestamp before Running, for a late log */
} Writer;

static gpointer
writer_thread (gpointer user_data)
{
  Writer *writer = user_data;

  g_usleep (60 * 1000);
  set_flow_state (writer->client, writer->run_id, PREFECT_CTX_STATE_TYPE_RUNNING, "Starting the flow");
  add_log (writer->client, writer->run_id, NULL, "first log");
  g_usleep (60 * 1000);
  {
    /* Two identical lines at the same instant, then a line written late
     * with an earlier timestamp (as a batch of logs is). */
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    add_log (writer->client, writer->run_id, now, "twice");
    add_log (writer->client, writer->run_id, now, "twice");
  }
  g_usleep (60 * 1000);
  add_log (writer->client, writer->run_id, writer->early, "late line");
  g_usleep (60 * 1000);
  set_flow_state (writer->client, writer->run_id, PREFECT_CTX_STATE_TYPE_COMPLETED, NULL);
  /* The engine writes its last line just after the final state. */
  add_log (writer->client, writer->run_id, NULL, "Finished in state Completed()");

  return NULL;
}

static void
test_watcher_finishes_while_watched (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *run_id = make_flow_run (client, PREFECT_CTX_STATE_TYPE_PENDING, NULL);
  g_autoptr(GDateTime) early = g_date_time_new_now_utc ();
  g_autoptr(PrefectCtxFlowRunWatcher) watcher = NULL;
  g_autofree char *joined = NULL;
  Writer writer = { client, run_id, early };
  guint late_lines = 0;
  GThread *thread;
  Watch watch;

  watch_init (&watch);
  watcher = watcher_new (client, run_id, &watch, "client", client, "flow-run-id", run_id,
                         "poll-interval", 0.05, "max-poll-interval", 0.1, "max-duration", 30.0, NULL);
  g_usleep (2000);
  thread = g_thread_new ("writer", writer_thread, &writer);
  run_watch (watcher, NULL, &watch);
  g_thread_join (thread);

  g_assert_no_error (watch.error);
  g_assert_nonnull (watch.result);
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_flow_run_view_get_state (watch.result)), ==,
                   PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_assert_true (prefect_ctx_flow_run_watcher_get_view (watcher) == watch.result);
  g_assert_cmpuint (watch.n_finished, ==, 1);
  g_assert_cmpuint (watch.n_updated, >=, 3);

  /* Every state and every line once, in timestamp order; the line written
   * late with an earlier timestamp comes once too, when it was written
   * (after the lines already given at that time). */
  for (guint i = 0; i < watch.messages->len; i++)
    if (g_strcmp0 (watch.messages->pdata[i], "late line") == 0)
      {
        g_ptr_array_remove_index (watch.messages, i);
        g_ptr_array_remove_index (watch.timestamps, i);
        late_lines++;
        i--;
      }
  g_assert_cmpuint (late_lines, ==, 1);
  joined = watch_joined (&watch);
  g_assert_cmpstr (joined, ==,
                   "Entered state <Pending>|"
                   "Entered state <Running>: Starting the flow|first log|"
                   "twice|twice|"
                   "Entered state <Completed>|Finished in state Completed()");
  for (guint i = 1; i < watch.timestamps->len; i++)
    g_assert_cmpint (g_date_time_compare (watch.timestamps->pdata[i - 1], watch.timestamps->pdata[i]), <=, 0);
  watch_clear (&watch);
}

/* A state and a line written while a poll is under way, between its read
 * of the run and its read of the logs: the line, stamped after the poll
 * began, waits for the next poll, which gives the state before it. */
typedef struct {
  PrefectCtxClient *client;
  const char       *run_id;
  guint             polls;
} DuringPoll;

static void
write_during_poll_cb (PrefectCtxFlowRunWatcher *watcher,
                      PrefectCtxFlowRunView    *view,
                      DuringPoll               *during)
{
  during->polls++;
  if (during->polls == 1)
    {
      set_flow_state (during->client, during->run_id, PREFECT_CTX_STATE_TYPE_RUNNING, "go");
      add_log (during->client, during->run_id, NULL, "during the poll");
    }
  else if (during->polls == 2)
    set_flow_state (during->client, during->run_id, PREFECT_CTX_STATE_TYPE_COMPLETED, NULL);
}

/* The store as @kind names it: "memory" (read by position) or "http" (the
 * fake server: by timestamps, since the REST API has no positions). */
static PrefectCtxClient *
client_of_kind (const char  *kind,
                FakeServer **fake)
{
  g_autoptr(GError) error = NULL;
  PrefectCtxHttpClient *http;

  if (g_str_equal (kind, "memory"))
    return memory_client ();

  *fake = fake_server_new ();
  http = g_initable_new (PREFECT_CTX_TYPE_HTTP_CLIENT, NULL, &error, "api-url", (*fake)->api_url, NULL);
  g_assert_no_error (error);
  return PREFECT_CTX_CLIENT (http);
}

/* Watches a new Pending run of @client with short polls, @on_updated
 * writing at each poll. */
static void
watch_written (PrefectCtxClient *client,
               GCallback         on_updated,
               DuringPoll       *during,
               Watch            *watch)
{
  g_autoptr(PrefectCtxFlowRunWatcher) watcher = NULL;

  watch_init (watch);
  watcher = watcher_new (client, during->run_id, watch, "client", client, "flow-run-id", during->run_id,
                         "poll-interval", 0.02, "max-poll-interval", 0.05, "max-duration", 30.0, NULL);
  g_signal_connect (watcher, "updated", on_updated, during);
  run_watch (watcher, NULL, watch);
  g_assert_no_error (watch->error);
}

static void
test_watcher_written_during_poll (gconstpointer data)
{
  g_autoptr(FakeServer) fake = NULL;
  g_autoptr(PrefectCtxClient) client = client_of_kind (data, &fake);
  g_autofree char *run_id = make_flow_run (client, PREFECT_CTX_STATE_TYPE_PENDING, NULL);
  g_autofree char *joined = NULL;
  DuringPoll during = { client, run_id, 0 };
  Watch watch;

  watch_written (client, G_CALLBACK (write_during_poll_cb), &during, &watch);
  g_assert_cmpuint (during.polls, >=, 3);
  joined = watch_joined (&watch);
  g_assert_cmpstr (joined, ==,
                   "Entered state <Pending>|Entered state <Running>: go|during the poll|"
                   "Entered state <Completed>");
  for (guint i = 1; i < watch.timestamps->len; i++)
    g_assert_cmpint (g_date_time_compare (watch.timestamps->pdata[i - 1], watch.timestamps->pdata[i]), <=, 0);
  watch_clear (&watch);
}

/* A log stored late with a timestamp well before the newest one seen (a
 * batch from a slow process): the local store is read by position, so it
 * is given, once, however old its timestamp. */
static void
late_log_cb (PrefectCtxFlowRunWatcher *watcher,
             PrefectCtxFlowRunView    *view,
             DuringPoll               *during)
{
  during->polls++;
  if (during->polls == 1)
    {
      set_flow_state (during->client, during->run_id, PREFECT_CTX_STATE_TYPE_RUNNING, NULL);
      add_log (during->client, during->run_id, NULL, "on time");
    }
  else if (during->polls == 2)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) long_ago = g_date_time_add_minutes (now, -5);

      add_log (during->client, during->run_id, long_ago, "late");
    }
  else if (during->polls == 3)
    set_flow_state (during->client, during->run_id, PREFECT_CTX_STATE_TYPE_COMPLETED, NULL);
}

static void
test_watcher_late_log (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *run_id = make_flow_run (client, PREFECT_CTX_STATE_TYPE_PENDING, NULL);
  g_autofree char *joined = NULL;
  DuringPoll during = { client, run_id, 0 };
  Watch watch;

  watch_written (client, G_CALLBACK (late_log_cb), &during, &watch);
  joined = watch_joined (&watch);
  /* A poll's entries are given in timestamp order: "late" comes first in
   * the second poll's, with the Running state and "on time" (held back
   * from the first poll, written after its start). */
  g_assert_cmpstr (joined, ==,
                   "Entered state <Pending>|late|Entered state <Running>|on time|Entered state <Completed>");
  watch_clear (&watch);
}

/* Only the states, or only the logs. */
static gpointer
short_writer_thread (gpointer user_data)
{
  Writer *writer = user_data;

  g_usleep (40 * 1000);
  add_log (writer->client, writer->run_id, NULL, "a line");
  set_flow_state (writer->client, writer->run_id, PREFECT_CTX_STATE_TYPE_FAILED, "Boom");

  return NULL;
}

static void
test_watcher_stream_choice (void)
{
  for (int logs_only = 0; logs_only < 2; logs_only++)
    {
      g_autoptr(PrefectCtxClient) client = memory_client ();
      g_autofree char *run_id = make_flow_run (client, PREFECT_CTX_STATE_TYPE_RUNNING, NULL);
      g_autoptr(PrefectCtxFlowRunWatcher) watcher = NULL;
      g_autofree char *joined = NULL;
      Writer writer = { client, run_id, NULL };
      GThread *thread;
      Watch watch;

      watch_init (&watch);
      watcher = watcher_new (client, run_id, &watch, "client", client, "flow-run-id", run_id,
                             "poll-interval", 0.02, "max-poll-interval", 0.05,
                             "stream-states", !logs_only, "stream-logs", logs_only, NULL);
      thread = g_thread_new ("writer", short_writer_thread, &writer);
      run_watch (watcher, NULL, &watch);
      g_thread_join (thread);

      g_assert_no_error (watch.error);
      joined = watch_joined (&watch);
      g_assert_cmpstr (joined, ==, logs_only ? "a line" : "Entered state <Running>|Entered state <Failed>: Boom");
      watch_clear (&watch);
    }
}

/* Past max-duration: Prefect's message; the polls back off meanwhile. */
static void
test_watcher_times_out (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *run_id = make_flow_run (client, PREFECT_CTX_STATE_TYPE_RUNNING, NULL);
  g_autoptr(PrefectCtxFlowRunWatcher) watcher = NULL;
  gint64 start;
  double elapsed;
  Watch watch;

  watch_init (&watch);
  watcher = watcher_new (client, run_id, &watch, "client", client, "flow-run-id", run_id,
                         "poll-interval", 0.01, "max-poll-interval", 0.05, "max-duration", 0.5, NULL);
  start = g_get_monotonic_time ();
  run_watch (watcher, NULL, &watch);
  elapsed = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;

  g_assert_null (watch.result);
  g_assert_error (watch.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpstr (watch.error->message, ==,
                   "watch_flow_run timed out after 0.000139 hours of waiting for completion. "
                   "Your flow run is still in state: Running");
  g_assert_cmpfloat (elapsed, >=, 0.5);
  g_assert_cmpfloat (elapsed, <, 5.0);
  g_assert_cmpuint (watch.n_finished, ==, 0);
  g_assert_cmpuint (watch.messages->len, ==, 1);  /* Entered state <Running> */

  /* 0.01 s backing off to 0.05 s over half a second: about 14 polls, where
   * 0.01 s without backing off would make 50. */
  g_assert_cmpuint (watch.n_updated, >=, 3);
  g_assert_cmpuint (watch.n_updated, <=, 25);
  watch_clear (&watch);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_watcher_cancelled (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *run_id = make_flow_run (client, PREFECT_CTX_STATE_TYPE_RUNNING, NULL);
  g_autoptr(PrefectCtxFlowRunWatcher) watcher = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Watch watch;

  watch_init (&watch);
  watcher = watcher_new (client, run_id, &watch, "client", client, "flow-run-id", run_id,
                         "poll-interval", 0.05, NULL);
  g_timeout_add (120, cancel_cb, cancellable);
  run_watch (watcher, cancellable, &watch);
  g_assert_null (watch.result);
  g_assert_error (watch.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (watch.n_finished, ==, 0);
  watch_clear (&watch);
}

static void
second_watch_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GError **error = user_data;

  g_assert_null (prefect_ctx_flow_run_watcher_watch_finish (PREFECT_CTX_FLOW_RUN_WATCHER (source), result, error));
}

static void
test_watcher_errors (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *run_id = make_flow_run (client, PREFECT_CTX_STATE_TYPE_RUNNING, NULL);
  g_autoptr(PrefectCtxFlowRunWatcher) missing = NULL;
  g_autoptr(PrefectCtxFlowRunWatcher) busy = NULL;
  g_autoptr(GError) second_error = NULL;
  Watch watch;

  /* An unknown run: the store's error. */
  watch_init (&watch);
  missing = watcher_new (client, "00000000-0000-0000-0000-000000000000", &watch,
                         "client", client, "flow-run-id", "00000000-0000-0000-0000-000000000000", NULL);
  run_watch (missing, NULL, &watch);
  g_assert_error (watch.error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (watch.error->message, ==, "Flow run not found");
  watch_clear (&watch);

  /* Watching twice at once. */
  watch_init (&watch);
  busy = watcher_new (client, run_id, &watch, "client", client, "flow-run-id", run_id,
                      "poll-interval", 0.01, "max-duration", 0.1, NULL);
  prefect_ctx_flow_run_watcher_watch_async (busy, NULL, watch_done_cb, &watch);
  prefect_ctx_flow_run_watcher_watch_async (busy, NULL, second_watch_cb, &second_error);
  g_main_loop_run (watch.loop);
  g_assert_error (second_error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  g_assert_error (watch.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  watch_clear (&watch);
}

/* The blocking form */

typedef struct {
  GPtrArray *messages;
  GThread   *thread;
} Collected;

static void
collect_cb (PrefectCtxLogEntry *entry,
            gpointer            user_data)
{
  Collected *collected = user_data;

  g_assert_true (g_thread_self () == collected->thread);
  g_ptr_array_add (collected->messages, g_strdup (prefect_ctx_log_entry_get_message (entry)));
}

static gpointer
blocking_writer_thread (gpointer user_data)
{
  Writer *writer = user_data;

  g_usleep (100 * 1000);
  set_flow_state (writer->client, writer->run_id, PREFECT_CTX_STATE_TYPE_COMPLETED, "done");

  return NULL;
}

static void
test_watch_flow_run_blocking (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *finished_id = make_flow_run (client, PREFECT_CTX_STATE_TYPE_CANCELLED, NULL);
  g_autofree char *running_id = make_flow_run (client, PREFECT_CTX_STATE_TYPE_RUNNING, NULL);
  g_autoptr(PrefectCtxFlowRunView) view = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  Collected collected = { messages, g_thread_self () };
  Writer writer = { client, running_id, NULL };
  GThread *thread;

  /* Finished already. */
  view = prefect_ctx_watch_flow_run (client, finished_id, TRUE, TRUE,
                                     PREFECT_CTX_FLOW_RUN_WATCHER_DEFAULT_MAX_DURATION,
                                     collect_cb, &collected, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (prefect_ctx_flow_run_view_is_finished (view));
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpstr (messages->pdata[0], ==, "Your flow run finished a few seconds ago");
  g_clear_object (&view);
  g_ptr_array_set_size (messages, 0);

  /* Times out. */
  view = prefect_ctx_watch_flow_run (client, running_id, TRUE, TRUE, 0.2, collect_cb, &collected, NULL, &error);
  g_assert_null (view);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpstr (error->message, ==,
                   "watch_flow_run timed out after 0.000056 hours of waiting for completion. "
                   "Your flow run is still in state: Running");
  g_clear_error (&error);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpstr (messages->pdata[0], ==, "Entered state <Running>");
  g_ptr_array_set_size (messages, 0);

  /* Finishes while watched, with the default polling (2 s), no logs: no
   * wait for the last lines. */
  thread = g_thread_new ("writer", blocking_writer_thread, &writer);
  view = prefect_ctx_watch_flow_run (client, running_id, TRUE, FALSE, 60.0, collect_cb, &collected, NULL, &error);
  g_thread_join (thread);
  g_assert_no_error (error);
  g_assert_true (prefect_ctx_flow_run_view_is_finished (view));
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpstr (messages->pdata[0], ==, "Entered state <Running>");
  g_assert_cmpstr (messages->pdata[1], ==, "Entered state <Completed>: done");
  g_clear_object (&view);

  /* Nothing is left on the default main context. */
  g_assert_false (g_main_context_pending (NULL));

  /* Bad input. */
  g_assert_null (prefect_ctx_watch_flow_run (client, running_id, TRUE, TRUE, -1.0, NULL, NULL, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Invalid max_duration -1: expected a number of seconds, at least 0");
  g_clear_error (&error);
  g_assert_null (prefect_ctx_watch_flow_run (client, running_id, TRUE, TRUE, NAN, NULL, NULL, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/watcher/defaults", test_watcher_defaults);
  g_test_add_func ("/watcher/already-finished", test_watcher_already_finished);
  g_test_add_func ("/watcher/finishes-while-watched", test_watcher_finishes_while_watched);
  g_test_add_data_func ("/watcher/memory/written-during-poll", "memory", test_watcher_written_during_poll);
  g_test_add_data_func ("/watcher/http/written-during-poll", "http", test_watcher_written_during_poll);
  g_test_add_func ("/watcher/late-log", test_watcher_late_log);
  g_test_add_func ("/watcher/stream-choice", test_watcher_stream_choice);
  g_test_add_func ("/watcher/times-out", test_watcher_times_out);
  g_test_add_func ("/watcher/cancelled", test_watcher_cancelled);
  g_test_add_func ("/watcher/errors", test_watcher_errors);
  g_test_add_func ("/watcher/blocking", test_watch_flow_run_blocking);

  return g_test_run ();
}
