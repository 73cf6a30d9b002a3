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
 * worker. `prefect_ctx_gtask_run_in_thread()` and
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
 * prefect_ctx_snapshot_get_serial:
 *
 * Gets a number that changes each time the calling thread's current
 * contexts change: a context entered or exited on it, a snapshot attached
 * or detached (also by [method@PrefectCtx.Snapshot.run]). While it stays
 * the same, a snapshot captured on the thread
 * ([func@PrefectCtx.Snapshot.capture]) holds exactly its current contexts.
 *
 * This lets a binding keep a captured snapshot of each thread and reuse it
 * while the number is unchanged, rather than capture one for every read.
 * The numbers of different threads are unrelated.
 *
 * Returns: the calling thread's serial
 */
guint64
prefect_ctx_snapshot_get_serial (void)
{
  return _prefect_ctx_thread_serial ();
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

/**
 * prefect_ctx_snapshot_enter:
 * @self: a snapshot
 * @context: a context that is not entered
 * @error: return location for a #GError
 *
 * Enters @context into a snapshot rather than on a thread: returns a new
 * snapshot holding the contexts of @self with @context current of its kind,
 * and marks @context entered ([method@PrefectCtx.Context.is_entered]) until
 * [method@PrefectCtx.Snapshot.exit] is given the snapshot returned here.
 * No thread's state changes.
 *
 * This is for event loops that keep the current state themselves, one
 * state per logical task rather than per thread (the Python override keeps
 * it in a `contextvars.ContextVar`, so every asyncio task has its own):
 * each task's state is a snapshot, and code that reads the current context
 * runs with it installed ([method@PrefectCtx.Snapshot.run],
 * [method@PrefectCtx.Snapshot.attach]).
 *
 * The rules of [method@PrefectCtx.Context.enter] apply: a context entered
 * already (into a snapshot or on a thread) is
 * %PREFECT_CTX_ERROR_ALREADY_ENTERED. A context entered so cannot be exited
 * with [method@PrefectCtx.Context.exit].
 *
 * Returns: (transfer full): the new snapshot, or %NULL with @error set
 */
PrefectCtxSnapshot *
prefect_ctx_snapshot_enter (PrefectCtxSnapshot  *self,
                            PrefectCtxContext   *context,
                            GError             **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (PREFECT_CTX_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return (PrefectCtxSnapshot *) _prefect_ctx_frame_enter (FRAME (self), context, error);
}

/**
 * prefect_ctx_snapshot_exit:
 * @self: a snapshot returned by [method@PrefectCtx.Snapshot.enter]
 * @error: return location for a #GError
 *
 * Exits the context that [method@PrefectCtx.Snapshot.enter] entered to
 * make @self. The context is no longer entered (it can be entered again),
 * and the snapshot it was entered into is returned. @self itself does not change
 * and stays usable, as any snapshot is.
 *
 * A snapshot that enter did not return, or whose context was exited
 * already, is %PREFECT_CTX_ERROR_NOT_ENTERED (Prefect's `Asymmetric use of
 * context. Context exit called without an enter.`).
 *
 * Returns: (transfer full): the snapshot @self was made from, or %NULL with
 *   @error set
 */
PrefectCtxSnapshot *
prefect_ctx_snapshot_exit (PrefectCtxSnapshot  *self,
                           GError             **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return (PrefectCtxSnapshot *) _prefect_ctx_frame_exit (FRAME (self), error);
}

/**
 * prefect_ctx_snapshot_attach:
 * @self: a snapshot
 *
 * Makes @self the context state of the calling thread until
 * [method@PrefectCtx.Snapshot.detach], as [method@PrefectCtx.Snapshot.run]
 * does around a function: for callers that cannot pass a function, such as
 * a binding that installs a task's state around each call into the
 * library. Attachments nest; each must be detached, innermost first, on the
 * thread that attached it.
 */
void
prefect_ctx_snapshot_attach (PrefectCtxSnapshot *self)
{
  g_return_if_fail (self != NULL);

  _prefect_ctx_thread_attach (FRAME (self));
}

/**
 * prefect_ctx_snapshot_detach:
 * @self: the snapshot attached last on the calling thread
 * @error: return location for a #GError
 *
 * Ends the innermost [method@PrefectCtx.Snapshot.attach] of the calling
 * thread, restoring the state the thread had before it. Contexts entered
 * on top of @self and not exited are exited, with a critical warning.
 *
 * If @self is not the innermost snapshot attached to this thread, nothing
 * changes and this is %PREFECT_CTX_ERROR_OUT_OF_ORDER.
 *
 * Returns: %TRUE if @self was detached; %FALSE with @error set otherwise
 */
gboolean
prefect_ctx_snapshot_detach (PrefectCtxSnapshot  *self,
                             GError             **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _prefect_ctx_thread_detach (FRAME (self), error);
}

/* ---------------------------------------------------------------------------
 * Callbacks bound to a snapshot: continuations of asynchronous work that
 * run with the contexts of the code that started it.
 */

typedef struct
{
  GClosure            closure;
  GClosure           *inner;
  PrefectCtxSnapshot *snapshot;
} BoundClosure;

typedef struct
{
  GClosure     *inner;
  GValue       *return_value;
  guint         n_param_values;
  const GValue *param_values;
  gpointer      invocation_hint;
} ClosureCall;

static void
closure_call_run (gpointer data)
{
  ClosureCall *call = data;

  g_closure_invoke (call->inner, call->return_value, call->n_param_values,
                    call->param_values, call->invocation_hint);
}

static void
bound_closure_marshal (GClosure     *closure,
                       GValue       *return_value,
                       guint         n_param_values,
                       const GValue *param_values,
                       gpointer      invocation_hint,
                       gpointer      marshal_data)
{
  BoundClosure *bound = (BoundClosure *) closure;
  ClosureCall call = { bound->inner, return_value, n_param_values, param_values, invocation_hint };

  prefect_ctx_snapshot_run (bound->snapshot, closure_call_run, &call);
}

static void
bound_closure_finalize (gpointer  data,
                        GClosure *closure)
{
  BoundClosure *bound = (BoundClosure *) closure;

  g_closure_unref (bound->inner);
  prefect_ctx_snapshot_unref (bound->snapshot);
}

/**
 * prefect_ctx_snapshot_wrap_closure:
 * @self: a snapshot
 * @closure: a closure
 *
 * Makes a closure that invokes @closure with @self as the state of the
 * invoking thread, as [method@PrefectCtx.Snapshot.run] would: Prefect 3's
 * `with_context (fn)`, or OpenTelemetry's `Context.wrap`. Connect it to a
 * signal (g_signal_connect_closure()) or hand it to any API taking a
 * #GClosure, and it sees the contexts of @self wherever it is invoked.
 * A C closure without a marshaller gets g_cclosure_marshal_generic().
 *
 * Returns: (transfer none): the new closure, floating
 */
GClosure *
prefect_ctx_snapshot_wrap_closure (PrefectCtxSnapshot *self,
                                   GClosure           *closure)
{
  BoundClosure *bound;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (closure != NULL, NULL);

  bound = (BoundClosure *) g_closure_new_simple (sizeof (BoundClosure), NULL);
  bound->inner = g_closure_ref (closure);
  g_closure_sink (closure);
  /* A C closure gets its marshaller from the signal it is connected to;
   * this one is invoked by ours instead. */
  if (closure->marshal == NULL)
    g_closure_set_marshal (closure, g_cclosure_marshal_generic);
  bound->snapshot = prefect_ctx_snapshot_ref (self);
  g_closure_set_marshal (&bound->closure, bound_closure_marshal);
  g_closure_add_finalize_notifier (&bound->closure, NULL, bound_closure_finalize);

  return &bound->closure;
}

typedef struct
{
  PrefectCtxSnapshot *snapshot;
  GSourceFunc         func;
  gpointer            user_data;
  GDestroyNotify      notify;
  gboolean            again;
} BoundSourceFunc;

static void
bound_source_func_call (gpointer data)
{
  BoundSourceFunc *bound = data;

  bound->again = bound->func (bound->user_data);
}

static gboolean
bound_source_func (gpointer data)
{
  BoundSourceFunc *bound = data;

  prefect_ctx_snapshot_run (bound->snapshot, bound_source_func_call, bound);
  return bound->again;
}

static void
bound_source_func_free (gpointer data)
{
  BoundSourceFunc *bound = data;

  if (bound->notify != NULL)
    bound->notify (bound->user_data);
  prefect_ctx_snapshot_unref (bound->snapshot);
  g_free (bound);
}

/**
 * prefect_ctx_source_set_callback:
 * @source: a #GSource
 * @func: (scope notified) (closure user_data) (destroy notify): the callback
 * @user_data: data for @func
 * @notify: (nullable): frees @user_data when the source no longer needs it
 *
 * Sets the callback of @source as g_source_set_callback() does, bound to
 * the contexts current now: every time @source dispatches, @func runs with
 * them as the state of its thread ([struct@PrefectCtx.Snapshot]), whatever
 * is current in the main loop then. This is how a timeout or idle started
 * inside a run sees that run when it fires.
 */
void
prefect_ctx_source_set_callback (GSource        *source,
                                 GSourceFunc     func,
                                 gpointer        user_data,
                                 GDestroyNotify  notify)
{
  BoundSourceFunc *bound;

  g_return_if_fail (source != NULL);
  g_return_if_fail (func != NULL);

  bound = g_new0 (BoundSourceFunc, 1);
  bound->snapshot = prefect_ctx_snapshot_capture ();
  bound->func = func;
  bound->user_data = user_data;
  bound->notify = notify;
  g_source_set_callback (source, bound_source_func, bound, bound_source_func_free);
}

typedef struct
{
  PrefectCtxSnapshot  *snapshot;
  GAsyncReadyCallback  callback;
  gpointer             user_data;
  GObject             *source_object;
  GAsyncResult        *result;
} BoundAsyncReady;

static void
bound_async_ready_call (gpointer data)
{
  BoundAsyncReady *bound = data;

  bound->callback (bound->source_object, bound->result, bound->user_data);
}

/**
 * prefect_ctx_bind_async_ready_callback: (skip)
 * @callback: a #GAsyncReadyCallback
 * @user_data: data for @callback
 *
 * Binds @callback to the contexts current now. Give the returned pointer as
 * the user data of an `_async` call whose callback is
 * prefect_ctx_bound_async_ready_callback(), which calls @callback once, with
 * @user_data, with these contexts as the state of its thread, then frees
 * the binding. [func@PrefectCtx.BIND_ASYNC_READY] writes both arguments.
 *
 * Returns: the binding, for prefect_ctx_bound_async_ready_callback()
 */
gpointer
prefect_ctx_bind_async_ready_callback (GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  BoundAsyncReady *bound;

  g_return_val_if_fail (callback != NULL, NULL);

  bound = g_new0 (BoundAsyncReady, 1);
  bound->snapshot = prefect_ctx_snapshot_capture ();
  bound->callback = callback;
  bound->user_data = user_data;
  PREFECT_CTX_TSAN_RELEASE (bound);

  return bound;
}

/**
 * prefect_ctx_bound_async_ready_callback: (skip)
 * @source_object: (nullable): the source object of the operation
 * @result: its result
 * @bound: (transfer full): a binding from prefect_ctx_bind_async_ready_callback()
 *
 * The #GAsyncReadyCallback that runs a bound callback with its contexts;
 * see prefect_ctx_bind_async_ready_callback().
 */
void
prefect_ctx_bound_async_ready_callback (GObject      *source_object,
                                        GAsyncResult *result,
                                        gpointer      bound)
{
  BoundAsyncReady *b = bound;

  g_return_if_fail (b != NULL);

  PREFECT_CTX_TSAN_ACQUIRE (b);
  b->source_object = source_object;
  b->result = result;
  prefect_ctx_snapshot_run (b->snapshot, bound_async_ready_call, b);
  prefect_ctx_snapshot_unref (b->snapshot);
  g_free (b);
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
 * prefect_ctx_gtask_run_in_thread: (skip)
 * @task: a #GTask
 * @task_func: the function to run in a worker thread
 *
 * Runs @task_func in a worker thread as g_task_run_in_thread() does, with
 * the calling thread's contexts current there: a
 * [struct@PrefectCtx.Snapshot] captured now is installed around @task_func.
 */
void
prefect_ctx_gtask_run_in_thread (GTask           *task,
                                 GTaskThreadFunc  task_func)
{
  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (task_func != NULL);

  task_carry_prepare (task, task_func);
  g_task_run_in_thread (task, task_carry_thread);
}

/**
 * prefect_ctx_gtask_run_in_thread_sync: (skip)
 * @task: a #GTask
 * @task_func: the function to run in a worker thread
 *
 * Runs @task_func in a worker thread and waits for it, as
 * g_task_run_in_thread_sync() does, with the calling thread's contexts
 * current there.
 */
void
prefect_ctx_gtask_run_in_thread_sync (GTask           *task,
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
