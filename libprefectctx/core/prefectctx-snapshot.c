/* prefectctx-snapshot.c: carrying a thread's contexts to other threads
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"


#include "prefectctx-error.h"
#include "prefectctx-frame-private.h"
#include "prefectctx-snapshot.h"
#include "prefectctx-tsan-private.h"

/**
 * PrefectCtxSnapshot:
 *
 * The whole context state of a thread at one moment: the current context of
 * every kind.
 *
 * New threads start with no context (as in GLib's #GTask and Python's
 * `contextvars`). To carry the caller's contexts into a worker, capture a
 * snapshot with [func@PrefectCtx.Snapshot.capture] on the calling thread and
 * run the work inside it with [method@PrefectCtx.Snapshot.run] on the
 * worker. `prefect_ctx_task_run_in_thread()` and
 * `prefect_ctx_thread_pool_push()` do both for #GTask and #GThreadPool.
 *
 * Capturing is O(1): a snapshot is a reference to the thread's current
 * immutable frame, and nothing is copied. A snapshot keeps every context in
 * it alive, and can be used on any number of threads at once.
 */

struct _PrefectCtxSnapshot
{
  PrefectCtxFrame frame;
};

G_DEFINE_BOXED_TYPE (PrefectCtxSnapshot, prefect_ctx_snapshot,
                     prefect_ctx_snapshot_ref, prefect_ctx_snapshot_unref)

#define FRAME(s) (&(s)->frame)

/**
 * prefect_ctx_snapshot_capture:
 *
 * Captures the context state of the calling thread. Contexts entered or
 * exited afterwards do not change the snapshot.
 *
 * Returns: (transfer full): a new snapshot
 */
PrefectCtxSnapshot *
prefect_ctx_snapshot_capture (void)
{
  return (PrefectCtxSnapshot *) _prefect_ctx_thread_capture ();
}

/**
 * prefect_ctx_snapshot_ref:
 * @self: a snapshot
 *
 * Acquires a reference on @self.
 *
 * Returns: (transfer full): @self
 */
PrefectCtxSnapshot *
prefect_ctx_snapshot_ref (PrefectCtxSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (PrefectCtxSnapshot *) _prefect_ctx_frame_ref (FRAME (self));
}

/**
 * prefect_ctx_snapshot_unref:
 * @self: (transfer full): a snapshot
 *
 * Releases a reference on @self. The last reference releases the contexts
 * the snapshot kept alive.
 */
void
prefect_ctx_snapshot_unref (PrefectCtxSnapshot *self)
{
  g_return_if_fail (self != NULL);

  _prefect_ctx_frame_unref (FRAME (self));
}

/**
 * prefect_ctx_snapshot_get:
 * @self: a snapshot
 * @kind: a context type
 *
 * Gets the context of @kind's kind that was current when @self was
 * captured, provided it is an instance of @kind, as
 * [func@PrefectCtx.Context.get_current] would have returned it.
 *
 * Returns: (transfer none) (nullable): the context, or %NULL
 */
PrefectCtxContext *
prefect_ctx_snapshot_get (PrefectCtxSnapshot *self,
                          GType               kind)
{
  PrefectCtxContext *context;
  int slot;

  g_return_val_if_fail (self != NULL, NULL);

  slot = _prefect_ctx_kind_slot (kind);
  if (slot < 0)
    return NULL;

  context = _prefect_ctx_frame_lookup (FRAME (self), (guint) slot);
  if (context == NULL || !G_TYPE_CHECK_INSTANCE_TYPE (context, kind))
    return NULL;

  return context;
}

/**
 * prefect_ctx_snapshot_is_empty:
 * @self: a snapshot
 *
 * Tells whether @self holds no context at all.
 *
 * Returns: %TRUE if no context was current when @self was captured
 */
gboolean
prefect_ctx_snapshot_is_empty (PrefectCtxSnapshot *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  for (guint i = 0; i < FRAME (self)->n_slots; i++)
    if (FRAME (self)->slots[i] != NULL)
      return FALSE;

  return TRUE;
}

/**
 * prefect_ctx_snapshot_run:
 * @self: a snapshot
 * @func: (scope call): the function to run
 * @user_data: (closure func): data for @func
 *
 * Runs @func on the calling thread with @self as the thread's context
 * state, then restores the state the thread had before.
 *
 * Inside @func, contexts can be entered and exited as usual on top of the
 * snapshot; the contexts of the snapshot itself cannot be exited there.
 * Contexts that @func entered and did not exit are exited when it returns,
 * with a critical warning, since that is a programming error.
 */
void
prefect_ctx_snapshot_run (PrefectCtxSnapshot     *self,
                          PrefectCtxSnapshotFunc  func,
                          gpointer                user_data)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (func != NULL);

  _prefect_ctx_run_with_frame (FRAME (self), func, user_data);
}

/* ---------------------------------------------------------------------------
 * GTask
 */

typedef struct
{
  PrefectCtxSnapshot *snapshot;
  GTaskThreadFunc     func;
} TaskCarry;

typedef struct
{
  GTask        *task;
  gpointer      source_object;
  gpointer      task_data;
  GCancellable *cancellable;
  GTaskThreadFunc func;
} TaskCall;

static G_DEFINE_QUARK (prefect-ctx-task-carry, task_carry)

static void
task_carry_free (gpointer data)
{
  TaskCarry *carry = data;

  g_clear_pointer (&carry->snapshot, prefect_ctx_snapshot_unref);
  g_free (carry);
}

static void
task_call_run (gpointer data)
{
  TaskCall *call = data;

  call->func (call->task, call->source_object, call->task_data, call->cancellable);
}

static void
task_carry_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  TaskCarry *carry;
  TaskCall call = { task, source_object, task_data, cancellable, NULL };

  /* The hand-off from task_carry_prepare () through GTask's pool, which
   * ThreadSanitizer cannot see (the quark included). */
  PREFECT_CTX_TSAN_ACQUIRE (task);
  carry = g_object_get_qdata (G_OBJECT (task), task_carry_quark ());
  call.func = carry->func;
  prefect_ctx_snapshot_run (carry->snapshot, task_call_run, &call);
  /* GTask completes the task once this returns, through GLib's own locks
   * that ThreadSanitizer cannot see: whatever reads the result may
   * acquire the task. */
  PREFECT_CTX_TSAN_RELEASE (task);
}

static void
task_carry_prepare (GTask           *task,
                    GTaskThreadFunc  task_func)
{
  TaskCarry *carry = g_new0 (TaskCarry, 1);

  carry->snapshot = prefect_ctx_snapshot_capture ();
  carry->func = task_func;
  g_object_set_qdata_full (G_OBJECT (task), task_carry_quark (), carry, task_carry_free);
  PREFECT_CTX_TSAN_RELEASE (task);
}

/**
 * prefect_ctx_task_run_in_thread: (skip)
 * @task: a #GTask
 * @task_func: the function to run in a worker thread
 *
 * Runs @task_func in a worker thread as g_task_run_in_thread() does, with
 * the calling thread's contexts current there: a
 * [struct@PrefectCtx.Snapshot] captured now is installed around @task_func.
 */
void
prefect_ctx_task_run_in_thread (GTask           *task,
                                GTaskThreadFunc  task_func)
{
  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (task_func != NULL);

  task_carry_prepare (task, task_func);
  g_task_run_in_thread (task, task_carry_thread);
}

/**
 * prefect_ctx_task_run_in_thread_sync: (skip)
 * @task: a #GTask
 * @task_func: the function to run in a worker thread
 *
 * Runs @task_func in a worker thread and waits for it, as
 * g_task_run_in_thread_sync() does, with the calling thread's contexts
 * current there.
 */
void
prefect_ctx_task_run_in_thread_sync (GTask           *task,
                                     GTaskThreadFunc  task_func)
{
  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (task_func != NULL);

  task_carry_prepare (task, task_func);
  g_task_run_in_thread_sync (task, task_carry_thread);
}

/* ---------------------------------------------------------------------------
 * GThreadPool
 */

typedef struct
{
  PrefectCtxSnapshot     *snapshot;
  PrefectCtxSnapshotFunc  func;
  gpointer                user_data;
  GDestroyNotify          destroy;
} PoolItem;

static void
pool_item_free (PoolItem *item)
{
  if (item->destroy != NULL)
    item->destroy (item->user_data);
  prefect_ctx_snapshot_unref (item->snapshot);
  g_free (item);
}

static void
pool_worker (gpointer data,
             gpointer pool_data)
{
  PoolItem *item = data;

  PREFECT_CTX_TSAN_ACQUIRE (item);
  prefect_ctx_snapshot_run (item->snapshot, item->func, item->user_data);
  pool_item_free (item);
}

/**
 * prefect_ctx_thread_pool_new: (skip)
 * @max_threads: the maximal number of threads, or -1 for no limit
 * @exclusive: whether the pool's threads are its own
 * @error: return location for a #GError
 *
 * Makes a #GThreadPool whose work items, pushed with
 * `prefect_ctx_thread_pool_push()`, run with the contexts that were
 * current where they were pushed. Free it with g_thread_pool_free().
 *
 * Returns: (transfer full): the pool, or %NULL with @error set
 */
GThreadPool *
prefect_ctx_thread_pool_new (int        max_threads,
                             gboolean   exclusive,
                             GError   **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_thread_pool_new_full (pool_worker, NULL, (GDestroyNotify) pool_item_free,
                                 max_threads, exclusive, error);
}

/**
 * prefect_ctx_thread_pool_push: (skip)
 * @pool: a pool made by `prefect_ctx_thread_pool_new()`
 * @func: the function to run on a worker
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data after @func ran, or when the pool
 *   is freed without running it
 * @error: return location for a #GError
 *
 * Captures the calling thread's contexts and queues @func to run with them
 * on one of @pool's threads.
 *
 * Returns: %TRUE if queued; %FALSE with @error set if no thread could be made
 */
gboolean
prefect_ctx_thread_pool_push (GThreadPool             *pool,
                              PrefectCtxSnapshotFunc   func,
                              gpointer                 user_data,
                              GDestroyNotify           destroy,
                              GError                 **error)
{
  PoolItem *item;

  g_return_val_if_fail (pool != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  item = g_new0 (PoolItem, 1);
  item->snapshot = prefect_ctx_snapshot_capture ();
  item->func = func;
  item->user_data = user_data;
  item->destroy = destroy;
  PREFECT_CTX_TSAN_RELEASE (item);

  /* On failure GLib keeps the item and runs it once a thread can be made. */
  return g_thread_pool_push (pool, item, error);
}
