/* prefectctx-task-future.c: the future of a submitted task run
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "prefectctx-task-future.h"
#include "prefectctx-engine-private.h"
#include "prefectctx-tsan-private.h"

/**
 * PrefectCtxTaskFuture:
 *
 * The future of a task run submitted with [method@PrefectCtx.Task.submit]
 * (Prefect's `PrefectFuture`): it names the task run at once and gives its
 * result once a worker has run it.
 *
 * [method@PrefectCtx.TaskFuture.wait] blocks until the run is finished,
 * [method@PrefectCtx.TaskFuture.wait_async] waits on a main context
 * instead, [method@PrefectCtx.TaskFuture.get_result] waits and returns the
 * result or the error of the run, [method@PrefectCtx.TaskFuture.get_state]
 * tells the latest state of the run without waiting. Every method is
 * thread-safe.
 */

struct _PrefectCtxTaskFuture
{
  GObject parent_instance;

  char            *task_run_id;

  GMutex           lock;
  GCond            cond;
  gboolean         done;
  PrefectCtxState *state;
  GVariant        *result;
  GError          *error;
  GPtrArray       *waiters;     /* of GTask, from wait_async () */
};

G_DEFINE_FINAL_TYPE (PrefectCtxTaskFuture, prefect_ctx_task_future, G_TYPE_OBJECT)

static void
prefect_ctx_task_future_finalize (GObject *object)
{
  PrefectCtxTaskFuture *self = PREFECT_CTX_TASK_FUTURE (object);

  /* The last reference may go on another thread than the one that last
   * used the future: taking the lock orders this after every use. */
  prefect_ctx_mutex_lock (&self->lock);
  prefect_ctx_mutex_unlock (&self->lock);

  g_clear_pointer (&self->task_run_id, g_free);
  g_clear_object (&self->state);
  g_clear_pointer (&self->result, g_variant_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (prefect_ctx_task_future_parent_class)->finalize (object);
}

static void
prefect_ctx_task_future_class_init (PrefectCtxTaskFutureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = prefect_ctx_task_future_finalize;
}

static void
prefect_ctx_task_future_init (PrefectCtxTaskFuture *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
}

PrefectCtxTaskFuture *
_prefect_ctx_task_future_new (const char      *task_run_id,
                              PrefectCtxState *state)
{
  PrefectCtxTaskFuture *self = g_object_new (PREFECT_CTX_TYPE_TASK_FUTURE, NULL);

  self->task_run_id = g_strdup (task_run_id);
  self->state = state != NULL ? g_object_ref (state) : NULL;

  return self;
}

void
_prefect_ctx_task_future_set_state (PrefectCtxTaskFuture *self,
                                    PrefectCtxState      *state)
{
  prefect_ctx_mutex_lock (&self->lock);
  g_set_object (&self->state, state);
  prefect_ctx_mutex_unlock (&self->lock);
}

/* Takes @result (a full, non-floating reference, or NULL) and @error. */
void
_prefect_ctx_task_future_finish (PrefectCtxTaskFuture *self,
                                 GVariant             *result,
                                 GError               *error,
                                 PrefectCtxState      *state)
{
  GPtrArray *waiters;

  prefect_ctx_mutex_lock (&self->lock);
  g_assert (!self->done);
  self->result = result;
  self->error = error;
  if (state != NULL)
    g_set_object (&self->state, state);
  self->done = TRUE;
  g_cond_broadcast (&self->cond);
  waiters = g_steal_pointer (&self->waiters);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  prefect_ctx_mutex_unlock (&self->lock);

  /* Each waiter's callback runs on its own main context (GTask sees to
   * that when this runs on a worker). */
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);
      GSource *cancel = g_task_get_task_data (task);

      if (cancel != NULL)
        g_source_destroy (cancel);
      g_task_return_boolean (task, TRUE);
    }
  g_ptr_array_unref (waiters);
}

/**
 * prefect_ctx_task_future_get_task_run_id:
 * @self: a task future
 *
 * Gets the id of the task run, which exists in the run store from the
 * moment the task was submitted.
 *
 * Returns: (transfer none) (nullable): the id of the task run
 */
const char *
prefect_ctx_task_future_get_task_run_id (PrefectCtxTaskFuture *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_FUTURE (self), NULL);

  return self->task_run_id;
}

/**
 * prefect_ctx_task_future_is_done:
 * @self: a task future
 *
 * Tells whether the task run is finished, without waiting.
 *
 * Returns: %TRUE once the run is finished
 */
gboolean
prefect_ctx_task_future_is_done (PrefectCtxTaskFuture *self)
{
  gboolean done;

  g_return_val_if_fail (PREFECT_CTX_IS_TASK_FUTURE (self), FALSE);

  prefect_ctx_mutex_lock (&self->lock);
  done = self->done;
  prefect_ctx_mutex_unlock (&self->lock);

  return done;
}

/**
 * prefect_ctx_task_future_wait:
 * @self: a task future
 *
 * Blocks until the task run is finished (Prefect's `future.wait()`),
 * retries included.
 *
 * Waiting on a worker of the pool the task runs in can deadlock when every
 * worker waits: wait in the flow's body instead.
 */
void
prefect_ctx_task_future_wait (PrefectCtxTaskFuture *self)
{
  g_return_if_fail (PREFECT_CTX_IS_TASK_FUTURE (self));

  prefect_ctx_mutex_lock (&self->lock);
  while (!self->done)
    prefect_ctx_cond_wait (&self->cond, &self->lock);
  prefect_ctx_mutex_unlock (&self->lock);
}

/**
 * prefect_ctx_task_future_wait_timeout:
 * @self: a task future
 * @timeout_seconds: the longest wait, in seconds (0 to look without
 *   waiting; a negative number waits as long as it takes)
 *
 * Blocks until the run of @self is over, or @timeout_seconds have passed,
 * as Prefect's `future.wait (timeout)`.
 *
 * Returns: %TRUE if the run is over, %FALSE if the time passed first
 */
gboolean
prefect_ctx_task_future_wait_timeout (PrefectCtxTaskFuture *self,
                                      double                timeout_seconds)
{
  gint64 end;
  gboolean done;

  g_return_val_if_fail (PREFECT_CTX_IS_TASK_FUTURE (self), FALSE);

  if (timeout_seconds < 0)
    {
      prefect_ctx_task_future_wait (self);
      return TRUE;
    }
  end = g_get_monotonic_time () + (gint64) (MIN (timeout_seconds, (double) (G_MAXINT64 / 2 / G_USEC_PER_SEC))
                                            * G_USEC_PER_SEC);
  prefect_ctx_mutex_lock (&self->lock);
  while (!self->done)
    if (!prefect_ctx_cond_wait_until (&self->cond, &self->lock, end) && g_get_monotonic_time () >= end)
      break;
  done = self->done;
  prefect_ctx_mutex_unlock (&self->lock);
  return done;
}

/* A waiter cancelled before the run finished: it is returned here, unless
 * the run finished meanwhile and returned it already. Runs on the waiter's
 * main context. */
static gboolean
wait_cancelled (GCancellable *cancellable,
                gpointer      data)
{
  GTask *task = data;
  PrefectCtxTaskFuture *self = g_task_get_source_object (task);
  gboolean waiting;

  prefect_ctx_mutex_lock (&self->lock);
  waiting = g_ptr_array_remove_fast (self->waiters, task);
  prefect_ctx_mutex_unlock (&self->lock);
  if (waiting)
    g_task_return_error_if_cancelled (task);

  return G_SOURCE_REMOVE;
}

/**
 * prefect_ctx_task_future_wait_async:
 * @self: a task future
 * @cancellable: (nullable): a #GCancellable, or %NULL
 * @callback: (scope async) (closure user_data): called once the task run
 *   is finished
 * @user_data: data for @callback
 *
 * Waits for the task run to finish without blocking: @callback runs on the
 * calling thread's thread-default main context once the run is finished
 * (retries included), or at once, from an idle, if it is finished already.
 * Then [method@PrefectCtx.TaskFuture.get_result] and
 * [method@PrefectCtx.TaskFuture.get_state] return without waiting.
 *
 * Cancelling @cancellable stops the wait, not the task run: the outcome is
 * then %G_IO_ERROR_CANCELLED.
 *
 * The callback runs with whatever contexts are current then: to see the
 * caller's, bind it with `PREFECT_CTX_BIND_ASYNC_READY()`.
 */
void
prefect_ctx_task_future_wait_async (PrefectCtxTaskFuture *self,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  gboolean done;

  g_return_if_fail (PREFECT_CTX_IS_TASK_FUTURE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prefect_ctx_task_future_wait_async);

  /* Under the lock, so that neither the end of the run nor the
   * cancellation can come between the check and the wait. */
  prefect_ctx_mutex_lock (&self->lock);
  done = self->done;
  if (!done)
    {
      if (cancellable != NULL)
        {
          GSource *source = g_cancellable_source_new (cancellable);

          /* The task keeps the source, to destroy it when the run ends. */
          g_source_set_callback (source, (GSourceFunc) (void (*) (void)) wait_cancelled,
                                 g_object_ref (task), g_object_unref);
          g_task_set_task_data (task, source, (GDestroyNotify) g_source_unref);
          g_source_attach (source, g_task_get_context (task));
        }
      g_ptr_array_add (self->waiters, g_object_ref (task));
    }
  prefect_ctx_mutex_unlock (&self->lock);

  if (done)
    g_task_return_boolean (task, TRUE);
}

/**
 * prefect_ctx_task_future_wait_finish:
 * @self: the task future given to [method@PrefectCtx.TaskFuture.wait_async]
 * @result: the #GAsyncResult given to its callback
 * @error: return location for a #GError
 *
 * Ends a wait started with [method@PrefectCtx.TaskFuture.wait_async]. It
 * fails only when the wait was cancelled; whether the task run succeeded
 * is for [method@PrefectCtx.TaskFuture.get_result] to tell.
 *
 * Returns: %TRUE once the task run is finished, %FALSE with @error set
 *   when the wait was cancelled
 */
gboolean
prefect_ctx_task_future_wait_finish (PrefectCtxTaskFuture  *self,
                                     GAsyncResult          *result,
                                     GError               **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_FUTURE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, prefect_ctx_task_future_wait_async), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * prefect_ctx_task_future_get_result:
 * @self: a task future
 * @error: return location for a #GError
 *
 * Waits for the task run to finish (see [method@PrefectCtx.TaskFuture.wait])
 * and returns its result (Prefect's `future.result()`). If the run failed,
 * this returns %NULL with the body's error, as often as it is called.
 *
 * Returns: (transfer full) (nullable): the result of the body, or %NULL
 *   when it returned none or with @error set
 */
GVariant *
prefect_ctx_task_future_get_result (PrefectCtxTaskFuture  *self,
                                    GError               **error)
{
  GVariant *result = NULL;

  g_return_val_if_fail (PREFECT_CTX_IS_TASK_FUTURE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  prefect_ctx_task_future_wait (self);

  prefect_ctx_mutex_lock (&self->lock);
  if (self->error != NULL)
    g_propagate_error (error, g_error_copy (self->error));
  else if (self->result != NULL)
    result = g_variant_ref (self->result);
  prefect_ctx_mutex_unlock (&self->lock);

  return result;
}

/**
 * prefect_ctx_task_future_get_state:
 * @self: a task future
 *
 * Gets the latest state of the task run, without waiting: `Pending` after
 * it was submitted, then `Running`, and its final state (`Completed` or
 * `Failed`) once it is done.
 *
 * Returns: (transfer full) (nullable): the latest state, or %NULL if it is
 *   not known
 */
PrefectCtxState *
prefect_ctx_task_future_get_state (PrefectCtxTaskFuture *self)
{
  PrefectCtxState *state;

  g_return_val_if_fail (PREFECT_CTX_IS_TASK_FUTURE (self), NULL);

  prefect_ctx_mutex_lock (&self->lock);
  state = self->state != NULL ? g_object_ref (self->state) : NULL;
  prefect_ctx_mutex_unlock (&self->lock);

  return state;
}
