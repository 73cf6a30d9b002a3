/* prefectctx-engine-async.c: the asynchronous driver of the run engine
 * (layer 6): bodies that complete a GTask, on the caller's thread-default
 * main context
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>

#include "prefectctx-engine.h"

#include "core/prefectctx-error.h"
#include "core/prefectctx-snapshot.h"

/**
 * prefect_ctx_run_return:
 * @task: the #GTask an [callback@PrefectCtx.AsyncRunFunc] was given
 * @result: (nullable): the result of the body, or %NULL for none. A
 *   floating reference is sunk.
 *
 * Completes the task of an asynchronous body with its result: the same as
 * g_task_return_value() with a #GValue holding @result.
 */
void
prefect_ctx_run_return (GTask    *task,
                        GVariant *result)
{
  GValue value = G_VALUE_INIT;

  g_return_if_fail (G_IS_TASK (task));

  if (result == NULL)
    {
      g_task_return_value (task, NULL);
      return;
    }
  g_value_init (&value, G_TYPE_VARIANT);
  g_value_set_variant (&value, result);
  g_task_return_value (task, &value);
  g_value_unset (&value);
}

typedef struct
{
  PrefectCtxRunEngine    *engine;
  PrefectCtxAsyncRunFunc  body;
  gpointer                body_data;
  GDestroyNotify          body_destroy;
  PrefectCtxSnapshot     *caller;
  /* what makes the engine, until it is made */
  PrefectCtxFlow         *flow;
  PrefectCtxTask         *task;
  GVariant               *parameters;
  PrefectCtxRunOptions   *options;
  /* the wait before a retry */
  GSource                *delay;
  GSource                *cancel;
  /* an attempt with a timeout: cancelled at the deadline, or with the run */
  GCancellable           *attempt;
  GSource                *deadline;
  gulong                  chained;
} AsyncDrive;

static void
async_drive_clear_deadline (AsyncDrive *drive,
                            GTask      *outer)
{
  if (drive->deadline != NULL)
    g_source_destroy (drive->deadline);
  g_clear_pointer (&drive->deadline, g_source_unref);
  if (drive->chained != 0)
    g_cancellable_disconnect (g_task_get_cancellable (outer), drive->chained);
  drive->chained = 0;
  g_clear_object (&drive->attempt);
}

static void
async_drive_clear_wait (AsyncDrive *drive)
{
  if (drive->delay != NULL)
    g_source_destroy (drive->delay);
  if (drive->cancel != NULL)
    g_source_destroy (drive->cancel);
  g_clear_pointer (&drive->delay, g_source_unref);
  g_clear_pointer (&drive->cancel, g_source_unref);
}

static void
async_drive_free (gpointer data)
{
  AsyncDrive *drive = data;

  async_drive_clear_wait (drive);
  g_clear_pointer (&drive->deadline, g_source_unref);
  g_clear_object (&drive->attempt);
  if (drive->body_destroy != NULL)
    drive->body_destroy (drive->body_data);
  g_clear_object (&drive->engine);
  g_clear_pointer (&drive->caller, prefect_ctx_snapshot_unref);
  g_clear_object (&drive->flow);
  g_clear_object (&drive->task);
  g_clear_pointer (&drive->parameters, g_variant_unref);
  g_clear_object (&drive->options);
  g_free (drive);
}

typedef struct
{
  AsyncDrive *drive;
  GError     *error;
} AsyncMake;

static void
async_drive_make_engine (gpointer data)
{
  AsyncMake *make = data;
  AsyncDrive *drive = make->drive;
  GVariant *parameters = g_steal_pointer (&drive->parameters);

  if (drive->flow != NULL)
    drive->engine = prefect_ctx_run_engine_new_for_flow (drive->flow, parameters, drive->options, &make->error);
  else
    drive->engine = prefect_ctx_run_engine_new_for_task (drive->task, parameters, &make->error);
  if (parameters != NULL)
    g_variant_unref (parameters);
}

static void async_drive_attempt (GTask *outer);

static void
async_drive_return (gpointer data)
{
  GTask *outer = data;
  AsyncDrive *drive = g_task_get_task_data (outer);
  GError *error = NULL;
  GVariant *result;

  result = prefect_ctx_run_engine_finish (drive->engine, &error);
  if (error != NULL)
    g_task_return_error (outer, error);
  else
    g_task_return_pointer (outer, result, (GDestroyNotify) g_variant_unref);
}

/* The run is over. GTask may call the caller's callback right here: it
 * does so with the caller's contexts, not the last attempt's. */
static void
async_drive_finish (GTask *outer)
{
  AsyncDrive *drive = g_task_get_task_data (outer);

  prefect_ctx_snapshot_run (drive->caller, async_drive_return, outer);
}

static gboolean
async_drive_delay_over (gpointer data)
{
  GTask *outer = data;
  AsyncDrive *drive = g_task_get_task_data (outer);

  async_drive_clear_wait (drive);
  async_drive_attempt (outer);
  return G_SOURCE_REMOVE;
}

static gboolean
async_drive_cancelled (GCancellable *cancellable,
                       gpointer      data)
{
  GTask *outer = data;
  AsyncDrive *drive = g_task_get_task_data (outer);

  async_drive_clear_wait (drive);
  prefect_ctx_run_engine_cancel (drive->engine, "Cancelled while waiting to retry");
  async_drive_finish (outer);
  return G_SOURCE_REMOVE;
}

/* The body completed its task: the outcome of the attempt. Runs with the
 * attempt's contexts (the callback is bound to them). */
static void
async_drive_body_done (GObject      *source,
                       GAsyncResult *res,
                       gpointer      data)
{
  g_autoptr(GTask) outer = data;
  AsyncDrive *drive = g_task_get_task_data (outer);
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GError) error = NULL;
  GValue value = G_VALUE_INIT;
  GCancellable *cancellable = g_task_get_cancellable (outer);
  double delay;

  async_drive_clear_deadline (drive, outer);

  if (!g_task_propagate_value (G_TASK (res), &value, &error))
    {
      if (error == NULL)
        error = g_error_new_literal (PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                                     "The asynchronous body completed its task without a value: "
                                     "use g_task_return_value () or prefect_ctx_run_return ()");
    }
  else if (G_VALUE_HOLDS (&value, G_TYPE_VARIANT))
    result = g_value_dup_variant (&value);
  else if (!G_VALUE_HOLDS (&value, G_TYPE_POINTER) || g_value_get_pointer (&value) != NULL)
    error = g_error_new (PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                         "The asynchronous body returned a %s, not a GVariant",
                         G_VALUE_TYPE_NAME (&value));
  if (G_IS_VALUE (&value))
    g_value_unset (&value);

  delay = prefect_ctx_run_engine_end_attempt (drive->engine, result, error);
  if (delay < 0)
    {
      async_drive_finish (outer);
      return;
    }

  /* The delay before a retry is a timeout, or the cancellation. */
  drive->delay = delay > 0 ? g_timeout_source_new ((guint) (delay * 1000)) : g_idle_source_new ();
  g_task_attach_source (outer, drive->delay, async_drive_delay_over);
  if (cancellable != NULL)
    {
      drive->cancel = g_cancellable_source_new (cancellable);
      g_task_attach_source (outer, drive->cancel, (GSourceFunc) (void (*) (void)) async_drive_cancelled);
    }
}

typedef struct
{
  GTask      *outer;
  AsyncDrive *drive;
} AsyncCall;

static gboolean
async_drive_deadline (gpointer data)
{
  GTask *outer = data;
  AsyncDrive *drive = g_task_get_task_data (outer);

  /* The body sees its cancellable cancelled and its task reports
   * G_IO_ERROR_CANCELLED; the engine records the attempt TimedOut. */
  g_clear_pointer (&drive->deadline, g_source_unref);
  g_cancellable_cancel (drive->attempt);
  return G_SOURCE_REMOVE;
}

static void
async_drive_cancel_attempt (GCancellable *cancellable,
                            GCancellable *attempt)
{
  g_cancellable_cancel (attempt);
}

static void
async_drive_call_body (gpointer data)
{
  AsyncCall *call = data;
  AsyncDrive *drive = call->drive;
  GCancellable *cancellable = g_task_get_cancellable (call->outer);
  double timeout = prefect_ctx_run_engine_get_timeout_seconds (drive->engine);
  GTask *body_task;

  /* With a timeout the body gets a cancellable of its own, cancelled at
   * the deadline or with the run's. */
  if (timeout > 0)
    {
      drive->attempt = g_cancellable_new ();
      if (cancellable != NULL)
        drive->chained = g_cancellable_connect (cancellable, G_CALLBACK (async_drive_cancel_attempt),
                                                g_object_ref (drive->attempt), g_object_unref);
      drive->deadline = g_timeout_source_new ((guint) MIN (ceil (timeout * 1000), G_MAXUINT));
      g_task_attach_source (call->outer, drive->deadline, async_drive_deadline);
      cancellable = drive->attempt;
    }

  /* Created here, so that its callback is bound to the attempt's
   * contexts and runs on the caller's main context. */
  body_task = g_task_new (NULL, cancellable,
                          PREFECT_CTX_BIND_ASYNC_READY (async_drive_body_done, g_object_ref (call->outer)));
  g_task_set_source_tag (body_task, async_drive_call_body);
  drive->body (prefect_ctx_run_engine_get_context (drive->engine),
               prefect_ctx_run_engine_get_parameters (drive->engine),
               cancellable, body_task, drive->body_data);
  g_object_unref (body_task);
}

static void
async_drive_attempt (GTask *outer)
{
  AsyncDrive *drive = g_task_get_task_data (outer);
  g_autoptr(PrefectCtxSnapshot) snapshot = prefect_ctx_run_engine_begin_attempt (drive->engine);
  AsyncCall call = { outer, drive };

  if (snapshot == NULL)
    {
      async_drive_finish (outer);
      return;
    }
  prefect_ctx_snapshot_run (snapshot, async_drive_call_body, &call);
}

static gboolean
async_drive_start (gpointer data)
{
  GTask *outer = data;
  AsyncDrive *drive = g_task_get_task_data (outer);
  AsyncMake make = { drive, NULL };

  if (g_task_return_error_if_cancelled (outer))
    return G_SOURCE_REMOVE;

  /* The run is made with the contexts of the caller of _async (). */
  prefect_ctx_snapshot_run (drive->caller, async_drive_make_engine, &make);
  if (drive->engine == NULL)
    {
      g_task_return_error (outer, make.error);
      return G_SOURCE_REMOVE;
    }
  async_drive_attempt (outer);
  return G_SOURCE_REMOVE;
}

static AsyncDrive *
async_drive_new (GVariant               *parameters,
                 PrefectCtxAsyncRunFunc  body,
                 gpointer                body_data,
                 GDestroyNotify          body_destroy)
{
  AsyncDrive *drive = g_new0 (AsyncDrive, 1);

  drive->parameters = parameters != NULL ? g_variant_ref_sink (parameters) : NULL;
  drive->body = body;
  drive->body_data = body_data;
  drive->body_destroy = body_destroy;
  return drive;
}

static void
async_drive_begin (gpointer                source,
                   gpointer                source_tag,
                   AsyncDrive             *drive,
                   GCancellable           *cancellable,
                   GAsyncReadyCallback     callback,
                   gpointer                user_data)
{
  g_autoptr(GTask) outer = g_task_new (source, cancellable, callback, user_data);
  g_autoptr(GSource) idle = g_idle_source_new ();

  drive->caller = prefect_ctx_snapshot_capture ();
  g_task_set_source_tag (outer, source_tag);
  g_task_set_task_data (outer, drive, async_drive_free);
  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_task_attach_source (outer, idle, async_drive_start);
}

/**
 * prefect_ctx_flow_run_async:
 * @flow: the flow
 * @parameters: (nullable): the parameters, an `a{sv}` dictionary; %NULL
 *   means none. A floating reference is sunk.
 * @options: (nullable): how to run it, or %NULL for the defaults
 * @body: (scope notified) (closure body_data) (destroy body_destroy): the
 *   asynchronous body of the flow
 * @body_data: data for @body
 * @body_destroy: (nullable): frees @body_data when the run is over
 * @cancellable: (nullable): a #GCancellable, or %NULL
 * @callback: (scope async) (closure user_data): called when the run is over
 * @user_data: data for @callback
 *
 * Starts a flow run like [method@PrefectCtx.Flow.run_sync] whose body is
 * asynchronous, and returns at once; @callback gets the outcome from
 * [method@PrefectCtx.Flow.run_finish].
 *
 * Everything happens on the calling thread's thread-default main context
 * ([method@GLib.MainContext.push_thread_default]), with the contexts that
 * were current when this was called: the run starts from an idle callback,
 * and each attempt calls @body with the attempt's run context current and
 * a #GTask to complete ([callback@PrefectCtx.AsyncRunFunc]). While the body
 * waits, the main context is free: several runs interleave on it, each with
 * its own contexts. The task's callback, which records the attempt's end,
 * runs with the attempt's contexts; a retry starts after
 * [property@PrefectCtx.Flow:retry-delay-seconds] on a timeout source.
 * The calls to the run store in between block the main context for their
 * duration.
 *
 * If @cancellable is cancelled before the run starts, nothing runs and the
 * outcome is %G_IO_ERROR_CANCELLED. The body is given @cancellable; an
 * attempt that ends with %G_IO_ERROR_CANCELLED (which the task reports by
 * itself once @cancellable is cancelled), or a cancellation during the
 * delay before a retry, records the run `Cancelled`.
 */
void
prefect_ctx_flow_run_async (PrefectCtxFlow         *flow,
                            GVariant               *parameters,
                            PrefectCtxRunOptions   *options,
                            PrefectCtxAsyncRunFunc  body,
                            gpointer                body_data,
                            GDestroyNotify          body_destroy,
                            GCancellable           *cancellable,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data)
{
  AsyncDrive *drive;

  g_return_if_fail (PREFECT_CTX_IS_FLOW (flow));
  g_return_if_fail (options == NULL || PREFECT_CTX_IS_RUN_OPTIONS (options));
  g_return_if_fail (body != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  drive = async_drive_new (parameters, body, body_data, body_destroy);
  drive->flow = g_object_ref (flow);
  drive->options = options != NULL ? g_object_ref (options) : NULL;
  async_drive_begin (flow, prefect_ctx_flow_run_async, drive, cancellable, callback, user_data);
}

/**
 * prefect_ctx_flow_run_finish:
 * @flow: the flow given to [method@PrefectCtx.Flow.run_async]
 * @result: the #GAsyncResult given to the callback of
 *   [method@PrefectCtx.Flow.run_async]
 * @error: return location for a #GError
 *
 * Gets the outcome of a flow run started with
 * [method@PrefectCtx.Flow.run_async].
 *
 * Returns: (transfer full) (nullable): the result of the body, %NULL if it
 *   returned none, or %NULL with @error set
 */
GVariant *
prefect_ctx_flow_run_finish (PrefectCtxFlow  *flow,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (flow), NULL);
  g_return_val_if_fail (g_task_is_valid (result, flow), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, prefect_ctx_flow_run_async), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_task_call_async:
 * @task: the task
 * @parameters: (nullable): the parameters, an `a{sv}` dictionary; %NULL
 *   means none. A floating reference is sunk.
 * @body: (scope notified) (closure body_data) (destroy body_destroy): the
 *   asynchronous body of the task
 * @body_data: data for @body
 * @body_destroy: (nullable): frees @body_data when the run is over
 * @cancellable: (nullable): a #GCancellable, or %NULL
 * @callback: (scope async) (closure user_data): called when the run is over
 * @user_data: data for @callback
 *
 * Starts a task run like [method@PrefectCtx.Task.call] whose body is
 * asynchronous, and returns at once; @callback gets the outcome from
 * [method@PrefectCtx.Task.call_finish]. The run happens on the calling
 * thread's thread-default main context, with the contexts current now
 * (so the task run belongs to the current flow run, and takes its dynamic
 * key when it starts), as [method@PrefectCtx.Flow.run_async] describes.
 */
void
prefect_ctx_task_call_async (PrefectCtxTask         *task,
                             GVariant               *parameters,
                             PrefectCtxAsyncRunFunc  body,
                             gpointer                body_data,
                             GDestroyNotify          body_destroy,
                             GCancellable           *cancellable,
                             GAsyncReadyCallback     callback,
                             gpointer                user_data)
{
  AsyncDrive *drive;

  g_return_if_fail (PREFECT_CTX_IS_TASK (task));
  g_return_if_fail (body != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  drive = async_drive_new (parameters, body, body_data, body_destroy);
  drive->task = g_object_ref (task);
  async_drive_begin (task, prefect_ctx_task_call_async, drive, cancellable, callback, user_data);
}

/**
 * prefect_ctx_task_call_finish:
 * @task: the task given to [method@PrefectCtx.Task.call_async]
 * @result: the #GAsyncResult given to its callback
 * @error: return location for a #GError
 *
 * Gets the outcome of a task run started with
 * [method@PrefectCtx.Task.call_async].
 *
 * Returns: (transfer full) (nullable): the result of the body, %NULL if it
 *   returned none, or %NULL with @error set
 */
GVariant *
prefect_ctx_task_call_finish (PrefectCtxTask  *task,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK (task), NULL);
  g_return_val_if_fail (g_task_is_valid (result, task), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, prefect_ctx_task_call_async), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

