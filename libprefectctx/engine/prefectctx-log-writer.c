/* prefectctx-log-writer.c: run logs: the GLib log writer, g_print capture
 * and the batched buffers behind them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "prefectctx-engine.h"
#include "prefectctx-engine-private.h"
#include "prefectctx-tsan-private.h"

#include "core/prefectctx-error.h"
#include "contexts/prefectctx-flow-run-context.h"
#include "contexts/prefectctx-settings-context.h"
#include "contexts/prefectctx-task-run-context.h"
#include "models/prefectctx-settings.h"

/* A buffer is written when it holds this many records, or when its oldest
 * record is this old (checked when a record is added), like Prefect's
 * APILogHandler batches. */
#define LOG_BATCH_SIZE       500
#define LOG_BATCH_MAX_AGE_US (2 * G_USEC_PER_SEC)

typedef struct
{
  PrefectCtxClient *client;   /* owned */
  GPtrArray        *entries;  /* of PrefectCtxLogEntry */
  gint64            oldest;   /* monotonic time of entries[0] */
} LogBuffer;

static GMutex      buffers_lock;
static GHashTable *buffers;   /* PrefectCtxClient * -> LogBuffer * */

/* Set while this thread writes a batch or runs the log writer, so that what
 * the client logs meanwhile is not recorded again. */
static GPrivate in_log_machinery;

static GPrintFunc previous_print_handler;

static void
log_buffer_free (gpointer data)
{
  LogBuffer *buffer = data;

  g_ptr_array_unref (buffer->entries);
  g_object_unref (buffer->client);
  g_free (buffer);
}

static void
write_batch (PrefectCtxClient *client,
             GPtrArray        *entries)
{
  g_autoptr(GError) error = NULL;

  if (entries == NULL || entries->len == 0)
    return;

  g_private_set (&in_log_machinery, GINT_TO_POINTER (TRUE));
  /* A batch that cannot be written (after the client's own retries) is
   * lost: logging must not make a run fail. It is not lost silently: a
   * message on stderr (in the log machinery, so not recorded again) says
   * how many lines and why. */
  if (!prefect_ctx_client_create_logs (client, entries, NULL, &error))
    g_message ("%u log line%s could not be shipped to the run store and %s lost: %s",
               entries->len, entries->len == 1 ? "" : "s", entries->len == 1 ? "is" : "are", error->message);
  g_private_set (&in_log_machinery, NULL);
}

/* Removes @client's buffer from the table and returns it, to write and
 * free; call with the lock. A client is referenced only while records of
 * it wait: the table must not keep alive every client that ever logged. */
static LogBuffer *
steal_buffer_locked (PrefectCtxClient *client)
{
  LogBuffer *buffer = NULL;

  if (buffers != NULL)
    g_hash_table_steal_extended (buffers, client, NULL, (gpointer *) &buffer);
  return buffer;
}

static void
write_buffer (LogBuffer *buffer)
{
  if (buffer != NULL)
    {
      write_batch (buffer->client, buffer->entries);
      log_buffer_free (buffer);
    }
}

/* A batch that is due is written by one background thread, in the order
 * the batches fell due, so that a body never waits for the store (a
 * server's round trip) to take its log lines. The flushes wait for what
 * was handed over before they write the rest. */
static GThreadPool *shipper;      /* under buffers_lock */
static guint        n_shipping;   /* batches handed over, not yet written; under buffers_lock */
static GCond        shipped;

static void
ship_main (gpointer data,
           gpointer user_data)
{
  LogBuffer *buffer = data;

  PREFECT_CTX_TSAN_ACQUIRE (buffer);
  write_buffer (buffer);
  prefect_ctx_mutex_lock (&buffers_lock);
  n_shipping--;
  g_cond_broadcast (&shipped);
  prefect_ctx_mutex_unlock (&buffers_lock);
}

static void
ship_locked (LogBuffer *buffer)
{
  if (shipper == NULL)
    shipper = g_thread_pool_new (ship_main, NULL, 1, FALSE, NULL);
  n_shipping++;
  PREFECT_CTX_TSAN_RELEASE (buffer);
  g_thread_pool_push (shipper, buffer, NULL);
}

static void
wait_shipped_locked (void)
{
  while (n_shipping > 0)
    prefect_ctx_cond_wait (&shipped, &buffers_lock);
}

int
_prefect_ctx_log_threshold (void)
{
  PrefectCtxSettingsContext *ctx = prefect_ctx_settings_context_get_current ();
  PrefectCtxSettings *settings = ctx != NULL ? prefect_ctx_settings_context_get_settings (ctx) : NULL;
  const char *level = settings != NULL ? prefect_ctx_settings_get_logging_level (settings) : NULL;
  static const struct { const char *name; int level; } names[] = {
    { "DEBUG", PREFECT_CTX_LOG_DEBUG }, { "INFO", PREFECT_CTX_LOG_INFO },
    { "WARNING", PREFECT_CTX_LOG_WARNING }, { "ERROR", PREFECT_CTX_LOG_ERROR },
    { "CRITICAL", PREFECT_CTX_LOG_CRITICAL },
  };

  if (level == NULL)
    return PREFECT_CTX_LOG_INFO;
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (level, names[i].name) == 0)
      return names[i].level;
  if (g_ascii_isdigit (level[0]))
    return (int) g_ascii_strtoll (level, NULL, 10);
  return PREFECT_CTX_LOG_INFO;
}

void
_prefect_ctx_log_record (PrefectCtxClient *client,
                         const char       *name,
                         int               level,
                         const char       *message,
                         const char       *flow_run_id,
                         const char       *task_run_id)
{
  g_autoptr(GDateTime) now = NULL;
  PrefectCtxLogEntry *entry;
  LogBuffer *buffer;
  LogBuffer *full;
  gint64 monotonic;

  if (client == NULL || level < _prefect_ctx_log_threshold ())
    return;

  now = g_date_time_new_now_utc ();
  entry = g_object_new (PREFECT_CTX_TYPE_LOG_ENTRY,
                        "name", name,
                        "level", level,
                        "message", message,
                        "timestamp", now,
                        "flow-run-id", flow_run_id,
                        "task-run-id", task_run_id,
                        NULL);
  monotonic = g_get_monotonic_time ();

  prefect_ctx_mutex_lock (&buffers_lock);
  if (buffers == NULL)
    buffers = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, log_buffer_free);
  buffer = g_hash_table_lookup (buffers, client);
  if (buffer == NULL)
    {
      buffer = g_new0 (LogBuffer, 1);
      buffer->client = g_object_ref (client);
      buffer->entries = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (buffers, client, buffer);
    }
  if (buffer->entries->len == 0)
    buffer->oldest = monotonic;
  g_ptr_array_add (buffer->entries, entry);
  if (buffer->entries->len >= LOG_BATCH_SIZE || monotonic - buffer->oldest >= LOG_BATCH_MAX_AGE_US)
    {
      full = steal_buffer_locked (client);
      ship_locked (full);
    }
  prefect_ctx_mutex_unlock (&buffers_lock);
}

void
_prefect_ctx_log_flush_client (PrefectCtxClient *client)
{
  LogBuffer *buffer;

  prefect_ctx_mutex_lock (&buffers_lock);
  wait_shipped_locked ();
  buffer = steal_buffer_locked (client);
  prefect_ctx_mutex_unlock (&buffers_lock);

  write_buffer (buffer);
}

/**
 * prefect_ctx_flush_logs:
 * @error: return location for a #GError
 *
 * Writes every run log still buffered, for every client, now.
 *
 * Run logs are written in batches (one transaction each): when enough are
 * buffered, or when the oldest buffered one is two seconds old, by a
 * background thread (the run does not wait for it); at the end of every
 * flow run, and at the end of every task run made outside a flow run, by
 * the run, after the batches before. A background batch that cannot be
 * written is said on stderr with its count of lines.
 * Call this before a process exits in the middle of a flow run, to keep the
 * logs recorded so far.
 *
 * Returns: %TRUE if every batch was written; %FALSE with @error set for the
 *   first that could not be (the others are still written)
 */
gboolean
prefect_ctx_flush_logs (GError **error)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) log_buffer_free);
  GHashTableIter iter;
  gpointer value;
  gboolean ok = TRUE;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  prefect_ctx_mutex_lock (&buffers_lock);
  wait_shipped_locked ();
  if (buffers != NULL)
    {
      g_hash_table_iter_init (&iter, buffers);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          g_ptr_array_add (pending, value);
          g_hash_table_iter_steal (&iter);
        }
    }
  prefect_ctx_mutex_unlock (&buffers_lock);

  for (guint i = 0; i < pending->len; i++)
    {
      LogBuffer *batch = g_ptr_array_index (pending, i);
      g_autoptr(GError) local_error = NULL;

      g_private_set (&in_log_machinery, GINT_TO_POINTER (TRUE));
      if (!prefect_ctx_client_create_logs (batch->client, batch->entries, NULL, &local_error) && ok)
        {
          ok = FALSE;
          g_propagate_error (error, g_steal_pointer (&local_error));
        }
      g_private_set (&in_log_machinery, NULL);
    }

  return ok;
}

/* ---------------------------------------------------------------------------
 * Where a record belongs
 */

typedef struct
{
  PrefectCtxClient *client;       /* borrowed from the contexts */
  const char       *flow_run_id;
  const char       *task_run_id;
  gboolean          log_prints;
  gboolean          in_task;
} RunTarget;

/* The run the calling thread is in: the task run if there is one (unless a
 * subflow runs inside it: then the flow run, as get_run_context () says). */
static gboolean
current_run_target (RunTarget *target)
{
  PrefectCtxRunContext *ctx;

  memset (target, 0, sizeof *target);
  /* Cheap outside runs: no error is made for the missing context. */
  if (prefect_ctx_task_run_context_get_current () == NULL &&
      prefect_ctx_flow_run_context_get_current () == NULL)
    return FALSE;
  ctx = prefect_ctx_get_run_context (NULL);
  if (ctx == NULL)
    return FALSE;

  target->client = prefect_ctx_run_context_get_client (ctx);
  if (PREFECT_CTX_IS_TASK_RUN_CONTEXT (ctx))
    {
      PrefectCtxTaskRunContext *task_ctx = PREFECT_CTX_TASK_RUN_CONTEXT (ctx);
      PrefectCtxTaskRun *task_run = prefect_ctx_task_run_context_get_task_run (task_ctx);

      target->in_task = TRUE;
      target->log_prints = prefect_ctx_task_run_context_get_log_prints (task_ctx);
      if (task_run != NULL)
        {
          target->task_run_id = prefect_ctx_task_run_get_id (task_run);
          target->flow_run_id = prefect_ctx_task_run_get_flow_run_id (task_run);
        }
    }
  else
    {
      PrefectCtxFlowRunContext *flow_ctx = PREFECT_CTX_FLOW_RUN_CONTEXT (ctx);
      PrefectCtxFlowRun *flow_run = prefect_ctx_flow_run_context_get_flow_run (flow_ctx);

      target->log_prints = prefect_ctx_flow_run_context_get_log_prints (flow_ctx);
      if (flow_run != NULL)
        target->flow_run_id = prefect_ctx_flow_run_get_id (flow_run);
    }

  return TRUE;
}

/* A line of the run in @target, named as Prefect's run loggers are. */
static void
record_run_line (const RunTarget *target,
                 int              level,
                 const char      *message)
{
  _prefect_ctx_log_record (target->client, target->in_task ? "prefect.task_runs" : "prefect.flow_runs",
                           level, message, target->flow_run_id, target->task_run_id);
}

/**
 * prefect_ctx_run_log:
 * @level: the level, numbered as Python's logging does: 10 debug, 20 info,
 *   30 warning, 40 error, 50 critical (any number is kept as it is)
 * @message: the message
 * @error: return location for a #GError
 *
 * Stores @message as a log line of the run the calling thread is in, as a
 * logger from Prefect's `get_run_logger()` does: a line of the task run
 * when prefect_ctx_get_run_context() gives a task run context, named
 * `prefect.task_runs`, else of the flow run, named `prefect.flow_runs`.
 *
 * A line below `PREFECT_LOGGING_LEVEL` is dropped, and so is every line of
 * a run context that has no [property@PrefectCtx.RunContext:client] (one
 * entered by hand); neither is an error. Lines are written in batches, as
 * the engine's own are (see prefect_ctx_flush_logs()). Nothing is printed.
 *
 * This needs no log writer: it is what bindings use for their own loggers
 * (the Python override's `get_run_logger()` and the `print()` of runs with
 * `log_prints`), and what C code can call instead of g_message() when it
 * does not install prefect_ctx_install_log_writer().
 *
 * Returns: %TRUE if the line was taken (or dropped as above); %FALSE with
 *   %PREFECT_CTX_ERROR_MISSING_CONTEXT (`There is no active flow or task run
 *   context.`) outside any run
 */
gboolean
prefect_ctx_run_log (int          level,
                     const char  *message,
                     GError     **error)
{
  RunTarget target;

  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!current_run_target (&target))
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_MISSING_CONTEXT,
                           "There is no active flow or task run context.");
      return FALSE;
    }

  record_run_line (&target, level, message);
  return TRUE;
}

static int
python_level (GLogLevelFlags log_level)
{
  if (log_level & G_LOG_LEVEL_ERROR)
    return PREFECT_CTX_LOG_CRITICAL;
  if (log_level & G_LOG_LEVEL_CRITICAL)
    return PREFECT_CTX_LOG_ERROR;
  if (log_level & G_LOG_LEVEL_WARNING)
    return PREFECT_CTX_LOG_WARNING;
  if (log_level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO))
    return PREFECT_CTX_LOG_INFO;
  return PREFECT_CTX_LOG_DEBUG;
}

/* The value of a string field, or NULL. */
static char *
field_string (const GLogField *fields,
              gsize            n_fields,
              const char      *key)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, key) == 0 && fields[i].value != NULL)
      return fields[i].length < 0 ? g_strdup (fields[i].value)
                                  : g_strndup (fields[i].value, fields[i].length);
  return NULL;
}

static GLogWriterOutput
run_log_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  RunTarget target;
  g_autofree GLogField *extended = NULL;
  gsize n_extended = n_fields;
  GLogWriterOutput output;

  if (g_private_get (&in_log_machinery) != NULL || !current_run_target (&target))
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  g_private_set (&in_log_machinery, GINT_TO_POINTER (TRUE));

  if (target.client != NULL)
    {
      g_autofree char *message = field_string (fields, n_fields, "MESSAGE");
      g_autofree char *domain = field_string (fields, n_fields, "GLIB_DOMAIN");

      _prefect_ctx_log_record (target.client, domain != NULL ? domain : "glib",
                               python_level (log_level), message != NULL ? message : "",
                               target.flow_run_id, target.task_run_id);
    }

  /* The record goes on with the run's ids as fields of its own. */
  extended = g_new (GLogField, n_fields + 2);
  memcpy (extended, fields, n_fields * sizeof (GLogField));
  if (target.flow_run_id != NULL)
    extended[n_extended++] = (GLogField) { "PREFECT_FLOW_RUN_ID", target.flow_run_id, -1 };
  if (target.task_run_id != NULL)
    extended[n_extended++] = (GLogField) { "PREFECT_TASK_RUN_ID", target.task_run_id, -1 };

  output = g_log_writer_default (log_level, extended, n_extended, user_data);

  g_private_set (&in_log_machinery, NULL);
  return output;
}

static void
run_print_handler (const char *string)
{
  RunTarget target;

  if (g_private_get (&in_log_machinery) == NULL && current_run_target (&target) &&
      target.log_prints && target.client != NULL)
    {
      gsize length = strlen (string);
      g_autofree char *message = NULL;

      /* print() adds the newline; the record does not keep it. */
      if (length > 0 && string[length - 1] == '\n')
        length--;
      message = g_strndup (string, length);
      record_run_line (&target, PREFECT_CTX_LOG_INFO, message);
    }

  if (previous_print_handler != NULL)
    previous_print_handler (string);
  else
    {
      fputs (string, stdout);
      fflush (stdout);
    }
}

/**
 * prefect_ctx_install_log_writer:
 *
 * Makes GLib's logging and printing feed the run logs.
 *
 * It installs a structured log writer (g_log_set_writer_func()) that adds
 * the fields `PREFECT_FLOW_RUN_ID` and `PREFECT_TASK_RUN_ID` to every record
 * emitted inside a flow run or task run (so the journal keeps them), stores
 * the record as a log of the run when its level is at or above
 * `PREFECT_LOGGING_LEVEL` (levels map to Python's: g_error() 50, g_critical()
 * 40, g_warning() 30, g_message() and g_info() 20, g_debug() 10; the record's
 * name is its log domain), and hands the record on to
 * g_log_writer_default(). Records outside runs go straight to the default
 * writer.
 *
 * It also installs a print handler (g_set_print_handler()) that stores what
 * g_print() prints inside a run whose context has `log-prints` set as an
 * INFO log of the run (Prefect's `log_prints`), and passes it on to the
 * print handler that was set before (or to standard output).
 *
 * GLib lets a process set its log writer only once, and aborts on a second
 * g_log_set_writer_func(): call this early in main(), before anything else
 * sets a writer, and do not set one afterwards. Calling this again does
 * nothing. The engine's own records (`Finished in state Completed()`...) are
 * stored whether or not this was called.
 */
void
prefect_ctx_install_log_writer (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      g_log_set_writer_func (run_log_writer, NULL, NULL);
      previous_print_handler = g_set_print_handler (run_print_handler);
      g_once_init_leave (&installed, 1);
    }
}
