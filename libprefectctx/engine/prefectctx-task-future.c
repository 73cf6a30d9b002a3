/* prefectctx-task-future.c: the future of a submitted task run
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

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
 * [method@PrefectCtx.TaskFuture.get_result] waits and returns the result or
 * the error of the run, [method@PrefectCtx.TaskFuture.get_state] tells the
 * latest state of the run without waiting. Every method is thread-safe.
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
  prefect_ctx_mutex_lock (&self->lock);
  g_assert (!self->done);
  self->result = result;
  self->error = error;
  if (state != NULL)
    g_set_object (&self->state, state);
  self->done = TRUE;
  g_cond_broadcast (&self->cond);
  prefect_ctx_mutex_unlock (&self->lock);
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
