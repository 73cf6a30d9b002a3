/* prefectctx-flow-run-watcher.c: watching a flow run (Prefect 1's watch_flow_run)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "prefectctx-flow-run-watcher.h"

#include "prefectctx-error.h"

/**
 * PrefectCtxFlowRunWatcher:
 *
 * Watches a flow run until it finishes, giving its state changes and log
 * lines as they happen: Prefect 1's `watch_flow_run ()` as an object of the
 * main loop.
 *
 * [method@PrefectCtx.FlowRunWatcher.watch_async] starts watching on the
 * thread-default main context of the caller; every signal is emitted, and
 * the callback called, on that context, so a watcher works in a GLib, gjs
 * or Python main loop. C programs without a main loop have the blocking
 * [func@PrefectCtx.watch_flow_run].
 *
 * While it watches, the watcher polls the store through the asynchronous
 * calls of its client (which never block the main context): first every
 * [property@PrefectCtx.FlowRunWatcher:poll-interval] seconds (2), backing
 * off by a factor of 1.3 at each poll that brings nothing new up to
 * [property@PrefectCtx.FlowRunWatcher:max-poll-interval] seconds (10), and
 * back to the shortest interval as soon as something new comes. At each
 * poll it makes a new [class@PrefectCtx.FlowRunView] of the run
 * ([signal@PrefectCtx.FlowRunWatcher::updated]) and emits
 * [signal@PrefectCtx.FlowRunWatcher::entry] for:
 *
 * - each new state of the run, if
 *   [property@PrefectCtx.FlowRunWatcher:stream-states] is set: an `INFO`
 *   entry (level 20) `Entered state <Running>: message`, with the timestamp
 *   of the state (`Entered state <Running>` when the state has no message);
 * - each new log line of the run and its task runs, if
 *   [property@PrefectCtx.FlowRunWatcher:stream-logs] is set: the
 *   [class@PrefectCtx.LogEntry] as stored;
 *
 * all merged and sorted by timestamp (a state before a log line of the
 * same time). An entry stamped after the poll began waits for the next
 * poll, so a state and a line written in the middle of a poll still come
 * in order. Log lines stored late with an earlier timestamp than entries
 * already given (the engine writes logs in batches, another process may
 * write them later) are still given, once, when they appear; they are the
 * only entries that can come out of order.
 *
 * Where the client reads logs by position
 * ([method@PrefectCtx.Client.read_logs_since]: the local store), each poll
 * reads only the lines stored since the last, however late their
 * timestamps, and costs what is new. Over the REST API, which has no such
 * filter, each poll reads again the lines from 10 seconds before the newest
 * seen and leaves out those already given: a line stored more than
 * 10 seconds behind the newest is then missed, and a poll costs the lines
 * of those 10 seconds.
 *
 * When the run is finished the watcher waits one more
 * [property@PrefectCtx.FlowRunWatcher:poll-interval] for the last log lines
 * (the engine writes them just after the final state), gives them, emits
 * [signal@PrefectCtx.FlowRunWatcher::finished] and completes with the last
 * view. A run already finished when watching starts gives a single `INFO`
 * entry `Your flow run finished 5 minutes ago` (when states are streamed)
 * and completes at once.
 *
 * The watch fails with a %G_IO_ERROR_TIMED_OUT error when the run is not
 * finished [property@PrefectCtx.FlowRunWatcher:max-duration] seconds after
 * watching started, with Prefect's message `watch_flow_run timed out after
 * 12 hours of waiting for completion. Your flow run is still in state:
 * Running`. The hours are printed with at most six decimals, without
 * trailing zeros: `12` for the default, `0.000139` for half a second; the
 * state is given by its name. It fails with %G_IO_ERROR_CANCELLED when its
 * #GCancellable is cancelled, and with the error of the store when a read
 * fails (such as the %PREFECT_CTX_ERROR_NOT_FOUND error `Flow run not
 * found`).
 */

#define LOG_LEVEL_INFO 20
#define BACKOFF_FACTOR 1.3
#define LOG_LOOKBACK_US (10 * G_USEC_PER_SEC)

struct _PrefectCtxFlowRunWatcher
{
  GObject parent_instance;

  PrefectCtxClient      *client;
  char                  *flow_run_id;
  gboolean               stream_states;
  gboolean               stream_logs;
  double                 max_duration;
  double                 poll_interval;
  double                 max_poll_interval;

  /* The watch under way, touched only on its main context. */
  GTask                 *task;
  GMainContext          *context;
  GSource               *wait_source;
  GSource               *cancel_source;
  PrefectCtxFlowRunView *view;
  GPtrArray             *pending;       /* entries not given yet */
  gint64                 horizon;       /* the poll's start, in Unix µs */
  guint                  seen_states;
  gint64                 started;       /* monotonic */
  double                 interval;
  gboolean               finishing;     /* the final read of the logs */
  GHashTable            *seen_logs;     /* key -> SeenLog */
  gint64                 log_watermark; /* the newest log seen, in Unix µs, or G_MININT64 */
  gboolean               by_timestamp;  /* the client cannot read logs by position */
  guint64                log_cursor;    /* the position of the last log read */
};

G_DEFINE_FINAL_TYPE (PrefectCtxFlowRunWatcher, prefect_ctx_flow_run_watcher, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_FLOW_RUN_ID,
  PROP_STREAM_STATES,
  PROP_STREAM_LOGS,
  PROP_MAX_DURATION,
  PROP_POLL_INTERVAL,
  PROP_MAX_POLL_INTERVAL,
  PROP_VIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ENTRY,
  SIGNAL_UPDATED,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  gint64 timestamp;
  guint  count;
} SeenLog;

static void poll_view (PrefectCtxFlowRunWatcher *self,
                       PrefectCtxFlowRunView    *view);
static void read_logs (PrefectCtxFlowRunWatcher *self);
static gint64 datetime_to_unix_usec (GDateTime *datetime);
static void latest_view_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data);

/* Entries */

static PrefectCtxLogEntry *
entry_new (GDateTime  *timestamp,
           const char *message,
           const char *flow_run_id)
{
  g_autoptr(GDateTime) now = NULL;

  if (timestamp == NULL)
    timestamp = now = g_date_time_new_now_utc ();

  return g_object_new (PREFECT_CTX_TYPE_LOG_ENTRY,
                       "level", LOG_LEVEL_INFO,
                       "message", message,
                       "timestamp", timestamp,
                       "flow-run-id", flow_run_id,
                       NULL);
}

static PrefectCtxLogEntry *
state_entry_new (PrefectCtxState *state,
                 const char      *flow_run_id)
{
  const char *message = prefect_ctx_state_get_message (state);
  g_autofree char *line = NULL;

  if (message != NULL && *message != '\0')
    line = g_strdup_printf ("Entered state <%s>: %s", prefect_ctx_state_get_name (state), message);
  else
    line = g_strdup_printf ("Entered state <%s>", prefect_ctx_state_get_name (state));

  return entry_new (prefect_ctx_state_get_timestamp (state), line, flow_run_id);
}

/* "5 minutes ago", as pendulum's diff_for_humans () says it. */
static char *
time_ago (GDateTime *when)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 seconds = MAX (g_date_time_difference (now, when) / G_USEC_PER_SEC, 0);
  gint64 count;
  const char *unit;

  if (seconds < 10)
    return g_strdup ("a few seconds ago");

  if (seconds >= 365 * 86400)
    count = seconds / (365 * 86400), unit = "year";
  else if (seconds >= 30 * 86400)
    count = seconds / (30 * 86400), unit = "month";
  else if (seconds >= 7 * 86400)
    count = seconds / (7 * 86400), unit = "week";
  else if (seconds >= 86400)
    count = seconds / 86400, unit = "day";
  else if (seconds >= 3600)
    count = seconds / 3600, unit = "hour";
  else if (seconds >= 60)
    count = seconds / 60, unit = "minute";
  else
    count = seconds, unit = "second";

  return g_strdup_printf ("%" G_GINT64_FORMAT " %s%s ago", count, unit, count == 1 ? "" : "s");
}

/* The hours of the timeout message: at most six decimals, no trailing
 * zeros. */
static char *
format_hours (double seconds)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  char *dot;
  char *end;

  g_ascii_formatd (buffer, sizeof buffer, "%.6f", seconds / 3600.0);
  dot = strchr (buffer, '.');
  if (dot != NULL)
    {
      end = buffer + strlen (buffer) - 1;
      while (end > dot && *end == '0')
        *end-- = '\0';
      if (end == dot)
        *end = '\0';
    }

  return g_strdup (buffer);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  GDateTime *ta = prefect_ctx_log_entry_get_timestamp (*(PrefectCtxLogEntry **) a);
  GDateTime *tb = prefect_ctx_log_entry_get_timestamp (*(PrefectCtxLogEntry **) b);

  if (ta == NULL || tb == NULL)
    return (ta != NULL) - (tb != NULL);

  return g_date_time_compare (ta, tb);
}

/* The watch */

static void
watch_clear (PrefectCtxFlowRunWatcher *self)
{
  if (self->wait_source != NULL)
    {
      g_source_destroy (self->wait_source);
      g_clear_pointer (&self->wait_source, g_source_unref);
    }
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }
  g_clear_pointer (&self->context, g_main_context_unref);
  g_ptr_array_set_size (self->pending, 0);
  g_hash_table_remove_all (self->seen_logs);
}

static void
watch_fail (PrefectCtxFlowRunWatcher *self,
            GError                   *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  watch_clear (self);
  g_task_return_error (task, error);
}

static void
watch_succeed (PrefectCtxFlowRunWatcher *self)
{
  g_autoptr(GTask) task = NULL;

  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, self->view);

  task = g_steal_pointer (&self->task);
  watch_clear (self);
  g_task_return_pointer (task, g_object_ref (self->view), g_object_unref);
}

/* Whether the watch is still the one of @task (it may have failed, been
 * cancelled... while an asynchronous read was under way). */
static gboolean
watch_is_current (PrefectCtxFlowRunWatcher *self,
                  GTask                    *task)
{
  return self->task != NULL && self->task == task;
}

/* Gives @entries in timestamp order, but those stamped after the start of
 * this poll, which wait in the pending entries for the next one: a state or
 * line written after the poll's read of the run but stamped before it would
 * otherwise come after them. The final read of the logs gives everything. */
static void
emit_entries (PrefectCtxFlowRunWatcher *self,
              GPtrArray                *entries)
{
  gboolean hold_back = self->stream_logs && !self->finishing;
  guint n;

  g_ptr_array_sort (entries, compare_entries);  /* stable: states first */
  for (n = 0; n < entries->len && hold_back; n++)
    {
      GDateTime *timestamp = prefect_ctx_log_entry_get_timestamp (entries->pdata[n]);

      if (timestamp != NULL && datetime_to_unix_usec (timestamp) > self->horizon)
        break;
    }
  if (!hold_back)
    n = entries->len;

  for (guint i = n; i < entries->len; i++)
    g_ptr_array_add (self->pending, g_object_ref (entries->pdata[i]));
  for (guint i = 0; i < n && self->task != NULL; i++)
    g_signal_emit (self, signals[SIGNAL_ENTRY], 0, entries->pdata[i]);
}

static gboolean
wait_done_cb (gpointer user_data)
{
  PrefectCtxFlowRunWatcher *self = user_data;
  GTask *task = self->task;

  g_clear_pointer (&self->wait_source, g_source_unref);
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }

  g_main_context_push_thread_default (self->context);
  self->horizon = g_get_real_time ();
  if (self->finishing)
    read_logs (self);
  else
    prefect_ctx_flow_run_view_get_latest_async (self->view, FALSE, g_task_get_cancellable (task),
                                                latest_view_cb, g_object_ref (task));
  g_main_context_pop_thread_default (self->context);

  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  PrefectCtxFlowRunWatcher *self = user_data;
  GError *error = NULL;

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  watch_fail (self, error);

  return G_SOURCE_REMOVE;
}

static void
wait_then (PrefectCtxFlowRunWatcher *self,
           double                    seconds)
{
  GCancellable *cancellable = g_task_get_cancellable (self->task);
  guint ms = (guint) MIN (ceil (MAX (seconds, 0.0) * 1000.0), (double) G_MAXUINT);

  self->wait_source = g_timeout_source_new (ms);
  g_source_set_static_name (self->wait_source, "[prefectctx] flow run watcher poll");
  g_source_set_callback (self->wait_source, wait_done_cb, self, NULL);
  g_source_attach (self->wait_source, self->context);

  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_static_name (self->cancel_source, "[prefectctx] flow run watcher cancel");
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (wait_cancelled_cb), self, NULL);
      g_source_attach (self->cancel_source, self->context);
    }
}

/* After the entries of a poll: finish, time out or poll again. */
static void
poll_done (PrefectCtxFlowRunWatcher *self,
           gboolean                  had_entries)
{
  double elapsed;
  double delay;

  if (prefect_ctx_flow_run_view_is_finished (self->view))
    {
      if (self->stream_logs && !self->finishing)
        {
          /* The engine writes the last log lines just after the final
           * state: give them a moment. */
          self->finishing = TRUE;
          wait_then (self, self->poll_interval);
        }
      else
        watch_succeed (self);
      return;
    }

  elapsed = (double) (g_get_monotonic_time () - self->started) / G_USEC_PER_SEC;
  if (self->max_duration > 0 && elapsed >= self->max_duration)
    {
      g_autofree char *hours = format_hours (self->max_duration);
      PrefectCtxState *state = prefect_ctx_flow_run_view_get_state (self->view);

      watch_fail (self, g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                     "watch_flow_run timed out after %s hours of waiting for "
                                     "completion. Your flow run is still in state: %s",
                                     hours, prefect_ctx_state_get_name (state)));
      return;
    }

  if (had_entries)
    self->interval = self->poll_interval;
  else
    self->interval = MIN (self->interval * BACKOFF_FACTOR, MAX (self->max_poll_interval, self->poll_interval));

  delay = self->interval;
  if (self->max_duration > 0)
    delay = MIN (delay, self->max_duration - elapsed);
  wait_then (self, delay);
}

/* GLib 2.74 has no g_date_time_to_unix_usec () */
static gint64
datetime_to_unix_usec (GDateTime *datetime)
{
  return g_date_time_to_unix (datetime) * G_USEC_PER_SEC + g_date_time_get_microsecond (datetime);
}

static GDateTime *
datetime_new_from_unix_usec (gint64 usec)
{
  gint64 seconds = usec / G_USEC_PER_SEC;
  gint64 rest = usec % G_USEC_PER_SEC;
  g_autoptr(GDateTime) whole = NULL;

  if (rest < 0)
    {
      seconds--;
      rest += G_USEC_PER_SEC;
    }
  whole = g_date_time_new_from_unix_utc (seconds);

  return g_date_time_add (whole, rest);
}

static const char *
or_empty (const char *string)
{
  return string != NULL ? string : "";
}

static char *
log_key (PrefectCtxLogEntry *entry,
         gint64              timestamp)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "|%d|%s|%s|%s", timestamp,
                          prefect_ctx_log_entry_get_level (entry),
                          or_empty (prefect_ctx_log_entry_get_name (entry)),
                          or_empty (prefect_ctx_log_entry_get_task_run_id (entry)),
                          or_empty (prefect_ctx_log_entry_get_message (entry)));
}

static gboolean
seen_log_is_old (gpointer key,
                 gpointer value,
                 gpointer user_data)
{
  SeenLog *seen = value;

  return seen->timestamp <= *(gint64 *) user_data;
}

/* Adds the log entries of @logs not given yet to @entries. */
static void
take_new_logs (PrefectCtxFlowRunWatcher *self,
               GListModel               *logs,
               GPtrArray                *entries)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = g_list_model_get_n_items (logs);
  gint64 cutoff;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PrefectCtxLogEntry) entry = g_list_model_get_item (logs, i);
      GDateTime *timestamp = prefect_ctx_log_entry_get_timestamp (entry);
      gint64 ts = timestamp != NULL ? datetime_to_unix_usec (timestamp) : 0;
      g_autofree char *key = log_key (entry, ts);
      guint occurrence = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));
      SeenLog *seen = g_hash_table_lookup (self->seen_logs, key);

      g_hash_table_replace (counts, g_strdup (key), GUINT_TO_POINTER (occurrence + 1));
      if (seen != NULL && occurrence < seen->count)
        continue;

      if (seen == NULL)
        {
          seen = g_new0 (SeenLog, 1);
          seen->timestamp = ts;
          g_hash_table_insert (self->seen_logs, g_steal_pointer (&key), seen);
        }
      seen->count++;
      self->log_watermark = MAX (self->log_watermark, ts);
      g_ptr_array_add (entries, g_steal_pointer (&entry));
    }

  /* What is older than the next read's window cannot come again. */
  if (self->log_watermark != G_MININT64)
    {
      cutoff = self->log_watermark - LOG_LOOKBACK_US;
      g_hash_table_foreach_remove (self->seen_logs, seen_log_is_old, &cutoff);
    }
}

/* Gives the entries of a poll: the pending state entries and the new lines
 * of @logs (when the logs are streamed), then finishes, times out or polls
 * again. The caller holds a reference on the watch's task. */
static void
give_entries (PrefectCtxFlowRunWatcher *self,
              GListModel               *logs)
{
  g_autoptr(GPtrArray) entries = g_steal_pointer (&self->pending);
  GTask *task = self->task;

  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  if (logs != NULL && self->by_timestamp)
    take_new_logs (self, logs, entries);
  else if (logs != NULL)
    {
      guint n = g_list_model_get_n_items (logs);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (entries, g_list_model_get_item (logs, i));
    }

  emit_entries (self, entries);
  if (self->task == task)
    poll_done (self, entries->len > 0);
}

/* The end of a read of the logs, by position or by timestamps. */
static void
read_logs_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PrefectCtxFlowRunWatcher *self = g_task_get_source_object (task);
  g_autoptr(GListModel) logs = NULL;
  GError *error = NULL;
  guint64 cursor = 0;

  if (self->by_timestamp)
    logs = prefect_ctx_client_read_logs_finish (PREFECT_CTX_CLIENT (source), result, &error);
  else
    logs = prefect_ctx_client_read_logs_since_finish (PREFECT_CTX_CLIENT (source), result, &cursor, &error);
  if (!watch_is_current (self, task))
    {
      g_clear_error (&error);
      return;
    }
  if (!self->by_timestamp && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      /* A store without positions (the REST API): read by timestamps. */
      g_clear_error (&error);
      self->by_timestamp = TRUE;
      read_logs (self);
      return;
    }
  if (logs == NULL)
    {
      watch_fail (self, error);
      return;
    }

  if (!self->by_timestamp)
    self->log_cursor = cursor;
  give_entries (self, logs);
}

/* Reads the logs stored since the last read: by position where the client
 * can (each entry once, at a cost that grows with the new entries only),
 * otherwise again from LOG_LOOKBACK_US before the newest entry seen, since
 * an entry may be stored later than newer ones (batched, or from another
 * process), and take_new_logs () leaves out those already given. */
static void
read_logs (PrefectCtxFlowRunWatcher *self)
{
  g_autoptr(GDateTime) after = NULL;

  if (!self->by_timestamp)
    {
      prefect_ctx_client_read_logs_since_async (self->client, self->flow_run_id, self->log_cursor,
                                                g_task_get_cancellable (self->task),
                                                read_logs_cb, g_object_ref (self->task));
      return;
    }

  if (self->log_watermark != G_MININT64)
    after = datetime_new_from_unix_usec (self->log_watermark - LOG_LOOKBACK_US);

  prefect_ctx_client_read_logs_async (self->client, self->flow_run_id, after, NULL, 0, 0,
                                      g_task_get_cancellable (self->task),
                                      read_logs_cb, g_object_ref (self->task));
}

/* Takes in a new view of the run: its new states, then its new logs. */
static void
poll_view (PrefectCtxFlowRunWatcher *self,
           PrefectCtxFlowRunView    *view)
{
  GListModel *states = prefect_ctx_flow_run_view_get_states (view);
  guint n_states = g_list_model_get_n_items (states);

  g_set_object (&self->view, view);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
  g_signal_emit (self, signals[SIGNAL_UPDATED], 0, view);
  if (self->task == NULL)
    return;

  for (guint i = self->seen_states; i < n_states && self->stream_states; i++)
    {
      g_autoptr(PrefectCtxState) state = g_list_model_get_item (states, i);

      g_ptr_array_add (self->pending, state_entry_new (state, self->flow_run_id));
    }
  self->seen_states = MAX (self->seen_states, n_states);

  if (self->stream_logs)
    read_logs (self);
  else
    give_entries (self, NULL);
}

static void
latest_view_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PrefectCtxFlowRunWatcher *self = g_task_get_source_object (task);
  g_autoptr(PrefectCtxFlowRunView) view = NULL;
  GError *error = NULL;

  view = prefect_ctx_flow_run_view_get_latest_finish (PREFECT_CTX_FLOW_RUN_VIEW (source), result, &error);
  if (!watch_is_current (self, task))
    {
      g_clear_error (&error);
      return;
    }
  if (view == NULL)
    watch_fail (self, error);
  else
    poll_view (self, view);
}

static void
first_view_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PrefectCtxFlowRunWatcher *self = g_task_get_source_object (task);
  g_autoptr(PrefectCtxFlowRunView) view = NULL;
  GError *error = NULL;

  view = prefect_ctx_flow_run_view_new_from_id_finish (result, &error);
  if (!watch_is_current (self, task))
    {
      g_clear_error (&error);
      return;
    }
  if (view == NULL)
    {
      watch_fail (self, error);
      return;
    }

  if (prefect_ctx_flow_run_view_is_finished (view))
    {
      g_set_object (&self->view, view);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
      g_signal_emit (self, signals[SIGNAL_UPDATED], 0, view);
      if (self->task != task)
        return;

      if (self->stream_states)
        {
          g_autofree char *ago = time_ago (prefect_ctx_flow_run_view_get_updated_at (view));
          g_autofree char *line = g_strdup_printf ("Your flow run finished %s", ago);
          g_autoptr(PrefectCtxLogEntry) entry = entry_new (NULL, line, self->flow_run_id);

          g_signal_emit (self, signals[SIGNAL_ENTRY], 0, entry);
          if (self->task != task)
            return;
        }
      watch_succeed (self);
      return;
    }

  poll_view (self, view);
}

/* GObject */

static void
prefect_ctx_flow_run_watcher_finalize (GObject *object)
{
  PrefectCtxFlowRunWatcher *self = PREFECT_CTX_FLOW_RUN_WATCHER (object);

  g_assert (self->task == NULL);
  watch_clear (self);
  g_clear_object (&self->client);
  g_clear_pointer (&self->flow_run_id, g_free);
  g_clear_object (&self->view);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->seen_logs, g_hash_table_unref);

  G_OBJECT_CLASS (prefect_ctx_flow_run_watcher_parent_class)->finalize (object);
}

static void
prefect_ctx_flow_run_watcher_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  PrefectCtxFlowRunWatcher *self = PREFECT_CTX_FLOW_RUN_WATCHER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_FLOW_RUN_ID:
      g_value_set_string (value, self->flow_run_id);
      break;

    case PROP_STREAM_STATES:
      g_value_set_boolean (value, self->stream_states);
      break;

    case PROP_STREAM_LOGS:
      g_value_set_boolean (value, self->stream_logs);
      break;

    case PROP_MAX_DURATION:
      g_value_set_double (value, self->max_duration);
      break;

    case PROP_POLL_INTERVAL:
      g_value_set_double (value, self->poll_interval);
      break;

    case PROP_MAX_POLL_INTERVAL:
      g_value_set_double (value, self->max_poll_interval);
      break;

    case PROP_VIEW:
      g_value_set_object (value, self->view);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_flow_run_watcher_set_property (GObject      *object,
                                           guint         prop_id,
                                           const GValue *value,
                                           GParamSpec   *pspec)
{
  PrefectCtxFlowRunWatcher *self = PREFECT_CTX_FLOW_RUN_WATCHER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    case PROP_FLOW_RUN_ID:
      self->flow_run_id = g_value_dup_string (value);
      break;

    case PROP_STREAM_STATES:
      self->stream_states = g_value_get_boolean (value);
      break;

    case PROP_STREAM_LOGS:
      self->stream_logs = g_value_get_boolean (value);
      break;

    case PROP_MAX_DURATION:
      self->max_duration = g_value_get_double (value);
      break;

    case PROP_POLL_INTERVAL:
      self->poll_interval = g_value_get_double (value);
      break;

    case PROP_MAX_POLL_INTERVAL:
      self->max_poll_interval = g_value_get_double (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_flow_run_watcher_class_init (PrefectCtxFlowRunWatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = prefect_ctx_flow_run_watcher_finalize;
  object_class->get_property = prefect_ctx_flow_run_watcher_get_property;
  object_class->set_property = prefect_ctx_flow_run_watcher_set_property;

  /**
   * PrefectCtxFlowRunWatcher:client:
   *
   * The store the watcher polls.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         PREFECT_CTX_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunWatcher:flow-run-id:
   *
   * The ID of the flow run watched.
   */
  properties[PROP_FLOW_RUN_ID] =
    g_param_spec_string ("flow-run-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunWatcher:stream-states:
   *
   * Whether the state changes of the run are given as entries.
   */
  properties[PROP_STREAM_STATES] =
    g_param_spec_boolean ("stream-states", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunWatcher:stream-logs:
   *
   * Whether the log lines of the run are given as entries. With neither
   * states nor logs streamed, the watcher just waits for the run to finish.
   */
  properties[PROP_STREAM_LOGS] =
    g_param_spec_boolean ("stream-logs", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunWatcher:max-duration:
   *
   * How long to wait for the run to finish, in seconds, before the watch
   * fails with a %G_IO_ERROR_TIMED_OUT error; 0 to wait as long as it takes.
   * The default is %PREFECT_CTX_FLOW_RUN_WATCHER_DEFAULT_MAX_DURATION (12
   * hours).
   */
  properties[PROP_MAX_DURATION] =
    g_param_spec_double ("max-duration", NULL, NULL,
                         0.0, G_MAXDOUBLE, PREFECT_CTX_FLOW_RUN_WATCHER_DEFAULT_MAX_DURATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunWatcher:poll-interval:
   *
   * The shortest time between two polls of the store, in seconds (2 by
   * default, as in Prefect); also how long the watcher waits for the last
   * log lines once the run is finished.
   */
  properties[PROP_POLL_INTERVAL] =
    g_param_spec_double ("poll-interval", NULL, NULL,
                         0.0, G_MAXDOUBLE, 2.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunWatcher:max-poll-interval:
   *
   * The longest time between two polls of the store, in seconds (10 by
   * default, as in Prefect), reached by backing off while polls bring
   * nothing new.
   */
  properties[PROP_MAX_POLL_INTERVAL] =
    g_param_spec_double ("max-poll-interval", NULL, NULL,
                         0.0, G_MAXDOUBLE, 10.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunWatcher:view:
   *
   * The latest view of the run the watcher made, or %NULL before the first
   * poll. Notified on the main context of the watch at each poll.
   */
  properties[PROP_VIEW] =
    g_param_spec_object ("view", NULL, NULL,
                         PREFECT_CTX_TYPE_FLOW_RUN_VIEW,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PrefectCtxFlowRunWatcher::entry:
   * @self: the watcher
   * @entry: the entry: a state change (`Entered state <Running>: message`)
   *   or a log line of the run, or the single `Your flow run finished ...`
   *   line of a run already finished
   *
   * Emitted on the main context of the watch for each new entry, in
   * timestamp order.
   */
  signals[SIGNAL_ENTRY] =
    g_signal_new ("entry",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PREFECT_CTX_TYPE_LOG_ENTRY);

  /**
   * PrefectCtxFlowRunWatcher::updated:
   * @self: the watcher
   * @view: the new view of the flow run
   *
   * Emitted on the main context of the watch at each poll, with the view
   * made from the store, before the entries of that poll (a progress
   * display may count the task runs of @view here).
   */
  signals[SIGNAL_UPDATED] =
    g_signal_new ("updated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PREFECT_CTX_TYPE_FLOW_RUN_VIEW);

  /**
   * PrefectCtxFlowRunWatcher::finished:
   * @self: the watcher
   * @view: the last view of the flow run, in a finished state
   *
   * Emitted on the main context of the watch once the run is finished and
   * its entries given, just before the watch completes.
   */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PREFECT_CTX_TYPE_FLOW_RUN_VIEW);
}

static void
prefect_ctx_flow_run_watcher_init (PrefectCtxFlowRunWatcher *self)
{
  self->stream_states = TRUE;
  self->stream_logs = TRUE;
  self->max_duration = PREFECT_CTX_FLOW_RUN_WATCHER_DEFAULT_MAX_DURATION;
  self->poll_interval = 2.0;
  self->max_poll_interval = 10.0;
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  self->seen_logs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * prefect_ctx_flow_run_watcher_new:
 * @client: the store to poll
 * @flow_run_id: the ID of the flow run to watch
 *
 * Makes a watcher of a flow run with the default settings: states and logs
 * streamed, polls every 2 to 10 seconds, 12 hours at most. Other settings
 * are construct properties (g_object_new()).
 *
 * Returns: (transfer full): a new watcher
 */
PrefectCtxFlowRunWatcher *
prefect_ctx_flow_run_watcher_new (PrefectCtxClient *client,
                                  const char       *flow_run_id)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (client), NULL);
  g_return_val_if_fail (flow_run_id != NULL, NULL);

  return g_object_new (PREFECT_CTX_TYPE_FLOW_RUN_WATCHER,
                       "client", client,
                       "flow-run-id", flow_run_id,
                       NULL);
}

/**
 * prefect_ctx_flow_run_watcher_watch_async:
 * @self: a flow run watcher
 * @cancellable: (nullable): a #GCancellable to stop watching
 * @callback: (scope async): called when the run is finished or the watch
 *   failed
 * @user_data: data for @callback
 *
 * Starts watching the flow run on the thread-default main context of the
 * caller, where the signals are emitted and @callback is called; finish it
 * with [method@PrefectCtx.FlowRunWatcher.watch_finish]. The main context
 * must run meanwhile.
 *
 * The watch fails with a %G_IO_ERROR_TIMED_OUT error (in the `G_IO_ERROR`
 * domain, not %PREFECT_CTX_ERROR) when the run is not finished
 * [property@PrefectCtx.FlowRunWatcher:max-duration] seconds after it
 * started, with %G_IO_ERROR_CANCELLED when @cancellable is cancelled, and
 * with the error of the store when a read fails.
 *
 * A watcher watches once at a time: calling this while it watches makes
 * the new watch fail at once with a %PREFECT_CTX_ERROR_FAILED error; once
 * the watch is over, the watcher may watch again.
 */
void
prefect_ctx_flow_run_watcher_watch_async (PrefectCtxFlowRunWatcher *self,
                                          GCancellable             *cancellable,
                                          GAsyncReadyCallback       callback,
                                          gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PREFECT_CTX_IS_FLOW_RUN_WATCHER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prefect_ctx_flow_run_watcher_watch_async);

  if (self->client == NULL || self->flow_run_id == NULL)
    {
      g_task_return_new_error (task, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                               "A flow run watcher needs a client and a flow run ID");
      return;
    }
  if (self->task != NULL)
    {
      g_task_return_new_error (task, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                               "The watcher is already watching flow run %s", self->flow_run_id);
      return;
    }

  self->task = g_object_ref (task);
  self->context = g_main_context_ref_thread_default ();
  self->started = g_get_monotonic_time ();
  self->interval = self->poll_interval;
  self->seen_states = 0;
  self->finishing = FALSE;
  self->log_watermark = G_MININT64;
  self->by_timestamp = FALSE;
  self->log_cursor = 0;
  g_clear_object (&self->view);

  self->horizon = g_get_real_time ();
  prefect_ctx_flow_run_view_new_from_id_async (self->client, self->flow_run_id, FALSE, cancellable,
                                               first_view_cb, g_steal_pointer (&task));
}

/**
 * prefect_ctx_flow_run_watcher_watch_finish:
 * @self: a flow run watcher
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.FlowRunWatcher.watch_async].
 *
 * Returns: (transfer full): the last view of the flow run, in a finished
 *   state, or %NULL with @error set (%G_IO_ERROR_TIMED_OUT past
 *   [property@PrefectCtx.FlowRunWatcher:max-duration],
 *   %G_IO_ERROR_CANCELLED, or the error of the store)
 */
PrefectCtxFlowRunView *
prefect_ctx_flow_run_watcher_watch_finish (PrefectCtxFlowRunWatcher  *self,
                                           GAsyncResult              *result,
                                           GError                   **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_flow_run_watcher_watch_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_flow_run_watcher_get_client:
 * @self: a flow run watcher
 *
 * Gets [property@PrefectCtx.FlowRunWatcher:client].
 *
 * Returns: (transfer none) (nullable): the store polled
 */
PrefectCtxClient *
prefect_ctx_flow_run_watcher_get_client (PrefectCtxFlowRunWatcher *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_WATCHER (self), NULL);

  return self->client;
}

/**
 * prefect_ctx_flow_run_watcher_get_flow_run_id:
 * @self: a flow run watcher
 *
 * Gets [property@PrefectCtx.FlowRunWatcher:flow-run-id].
 *
 * Returns: (transfer none) (nullable): the ID of the flow run watched
 */
const char *
prefect_ctx_flow_run_watcher_get_flow_run_id (PrefectCtxFlowRunWatcher *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_WATCHER (self), NULL);

  return self->flow_run_id;
}

/**
 * prefect_ctx_flow_run_watcher_get_stream_states:
 * @self: a flow run watcher
 *
 * Gets [property@PrefectCtx.FlowRunWatcher:stream-states].
 *
 * Returns: whether state changes are given as entries
 */
gboolean
prefect_ctx_flow_run_watcher_get_stream_states (PrefectCtxFlowRunWatcher *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_WATCHER (self), FALSE);

  return self->stream_states;
}

/**
 * prefect_ctx_flow_run_watcher_get_stream_logs:
 * @self: a flow run watcher
 *
 * Gets [property@PrefectCtx.FlowRunWatcher:stream-logs].
 *
 * Returns: whether log lines are given as entries
 */
gboolean
prefect_ctx_flow_run_watcher_get_stream_logs (PrefectCtxFlowRunWatcher *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_WATCHER (self), FALSE);

  return self->stream_logs;
}

/**
 * prefect_ctx_flow_run_watcher_get_max_duration:
 * @self: a flow run watcher
 *
 * Gets [property@PrefectCtx.FlowRunWatcher:max-duration].
 *
 * Returns: the longest wait, in seconds (0: no limit)
 */
double
prefect_ctx_flow_run_watcher_get_max_duration (PrefectCtxFlowRunWatcher *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_WATCHER (self), 0.0);

  return self->max_duration;
}

/**
 * prefect_ctx_flow_run_watcher_get_poll_interval:
 * @self: a flow run watcher
 *
 * Gets [property@PrefectCtx.FlowRunWatcher:poll-interval].
 *
 * Returns: the shortest time between polls, in seconds
 */
double
prefect_ctx_flow_run_watcher_get_poll_interval (PrefectCtxFlowRunWatcher *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_WATCHER (self), 0.0);

  return self->poll_interval;
}

/**
 * prefect_ctx_flow_run_watcher_get_max_poll_interval:
 * @self: a flow run watcher
 *
 * Gets [property@PrefectCtx.FlowRunWatcher:max-poll-interval].
 *
 * Returns: the longest time between polls, in seconds
 */
double
prefect_ctx_flow_run_watcher_get_max_poll_interval (PrefectCtxFlowRunWatcher *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_WATCHER (self), 0.0);

  return self->max_poll_interval;
}

/**
 * prefect_ctx_flow_run_watcher_get_view:
 * @self: a flow run watcher
 *
 * Gets [property@PrefectCtx.FlowRunWatcher:view], the latest view of the
 * run.
 *
 * Returns: (transfer none) (nullable): the latest view, or %NULL before the
 *   first poll
 */
PrefectCtxFlowRunView *
prefect_ctx_flow_run_watcher_get_view (PrefectCtxFlowRunWatcher *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_WATCHER (self), NULL);

  return self->view;
}

/**
 * prefect_ctx_flow_run_watcher_is_watching:
 * @self: a flow run watcher
 *
 * Checks whether a watch started with
 * [method@PrefectCtx.FlowRunWatcher.watch_async] is under way.
 *
 * Returns: whether the watcher is watching
 */
gboolean
prefect_ctx_flow_run_watcher_is_watching (PrefectCtxFlowRunWatcher *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_WATCHER (self), FALSE);

  return self->task != NULL;
}
