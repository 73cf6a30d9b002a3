/* prefectctx-blocking.c: a blocking call run in a worker thread as an
 * _async/_finish pair
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "core/prefectctx-blocking-private.h"
#include "prefectctx-snapshot.h"
#include "prefectctx-tsan-private.h"

typedef struct {
  PrefectCtxBlockingFunc  func;
  gpointer                data;
  GDestroyNotify          data_free;
  GDestroyNotify          result_free;
  GCancellable           *cancellable;
  GAsyncReadyCallback     callback;
  gpointer                user_data;
} BlockingCall;

static void
blocking_call_free (gpointer data)
{
  BlockingCall *call = data;

  if (call->data_free != NULL)
    call->data_free (call->data);
  g_clear_object (&call->cancellable);
  g_free (call);
}

static void
blocking_call_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *task_cancellable)
{
  BlockingCall *call = task_data;
  GError *error = NULL;
  gpointer result = call->func (source_object, call->data, call->cancellable, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, call->result_free);
}

/* The GTask's callback: the result was written on the worker thread, and
 * GTask hands it back through GLib's own locks, which ThreadSanitizer cannot
 * see; the worker released the task when it finished (see
 * prefect_ctx_gtask_run_in_thread ()). */
static void
blocking_call_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  BlockingCall *call = data;

  PREFECT_CTX_TSAN_ACQUIRE (result);
  if (call->callback != NULL)
    call->callback (source, result, call->user_data);
}

void
_prefect_ctx_blocking_async (gpointer                source_object,
                             gpointer                source_tag,
                             PrefectCtxBlockingFunc  func,
                             gpointer                data,
                             GDestroyNotify          data_free,
                             GDestroyNotify          result_free,
                             GCancellable           *cancellable,
                             GAsyncReadyCallback     callback,
                             gpointer                user_data)
{
  BlockingCall *call = g_new0 (BlockingCall, 1);
  /* The cancellable goes to the blocking call, not to the GTask: a GTask
   * with a cancellable connects to its "cancelled" signal and disconnects
   * in the worker thread, a hand-off inside GObject that ThreadSanitizer
   * cannot see. Cancelling still makes the call fail with
   * G_IO_ERROR_CANCELLED. */
  g_autoptr(GTask) task = g_task_new (source_object, NULL, blocking_call_done, call);

  call->func = func;
  call->data = data;
  call->data_free = data_free;
  call->result_free = result_free;
  call->callback = callback;
  call->user_data = user_data;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, blocking_call_free);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
      return;
    }

  call->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  prefect_ctx_gtask_run_in_thread (task, blocking_call_thread);
}

gpointer
_prefect_ctx_blocking_finish (gpointer       source_object,
                              GAsyncResult  *result,
                              gpointer       source_tag,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source_object), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
