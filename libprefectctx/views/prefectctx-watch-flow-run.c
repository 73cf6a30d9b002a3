/* prefectctx-watch-flow-run.c: the blocking form of a flow run watcher
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>

#include "prefectctx-flow-run-watcher.h"

#include "prefectctx-error.h"

typedef struct {
  PrefectCtxWatchFunc  callback;
  gpointer             user_data;
  GAsyncResult        *result;
} WatchSync;

static void
watch_sync_entry_cb (PrefectCtxFlowRunWatcher *watcher,
                     PrefectCtxLogEntry       *entry,
                     gpointer                  user_data)
{
  WatchSync *sync = user_data;

  sync->callback (entry, sync->user_data);
}

static void
watch_sync_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  WatchSync *sync = user_data;

  sync->result = g_object_ref (result);
}

/**
 * prefect_ctx_watch_flow_run:
 * @client: the store to poll
 * @flow_run_id: the ID of the flow run to watch
 * @stream_states: whether to give the state changes of the run
 * @stream_logs: whether to give the log lines of the run
 * @max_duration: how long to wait for the run to finish, in seconds
 *   (%PREFECT_CTX_FLOW_RUN_WATCHER_DEFAULT_MAX_DURATION in Prefect), or 0
 *   for no limit
 * @callback: (nullable) (scope call) (closure user_data): called for each
 *   entry, or %NULL
 * @user_data: data for @callback
 * @cancellable: (nullable): a #GCancellable to stop watching
 * @error: return location for a #GError
 *
 * Watches a flow run until it finishes, calling @callback for each entry,
 * as Prefect 1's `watch_flow_run ()` yields them: the blocking form of a
 * [class@PrefectCtx.FlowRunWatcher], for programs without a main loop. It
 * runs the watcher on a main context of its own, pushed as the
 * thread-default context of the calling thread while it waits; @callback
 * is called in the calling thread.
 *
 * Returns: (transfer full): the last view of the flow run, in a finished
 *   state, or %NULL with @error set (a %G_IO_ERROR_TIMED_OUT error with
 *   Prefect's message past @max_duration, %G_IO_ERROR_CANCELLED, the
 *   error of the store, or %PREFECT_CTX_ERROR_INVALID_ARGUMENT for a
 *   negative or NaN @max_duration)
 */
PrefectCtxFlowRunView *
prefect_ctx_watch_flow_run (PrefectCtxClient     *client,
                            const char           *flow_run_id,
                            gboolean              stream_states,
                            gboolean              stream_logs,
                            double                max_duration,
                            PrefectCtxWatchFunc   callback,
                            gpointer              user_data,
                            GCancellable         *cancellable,
                            GError              **error)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(PrefectCtxFlowRunWatcher) watcher = NULL;
  WatchSync sync = { callback, user_data, NULL };
  PrefectCtxFlowRunView *view;

  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (client), NULL);
  g_return_val_if_fail (flow_run_id != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(max_duration >= 0))
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Invalid max_duration %g: expected a number of seconds, at least 0",
                   max_duration);
      return NULL;
    }

  watcher = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN_WATCHER,
                          "client", client,
                          "flow-run-id", flow_run_id,
                          "stream-states", stream_states,
                          "stream-logs", stream_logs,
                          "max-duration", max_duration,
                          NULL);
  if (callback != NULL)
    g_signal_connect (watcher, "entry", G_CALLBACK (watch_sync_entry_cb), &sync);

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  prefect_ctx_flow_run_watcher_watch_async (watcher, cancellable, watch_sync_done_cb, &sync);
  while (sync.result == NULL)
    g_main_context_iteration (context, TRUE);
  view = prefect_ctx_flow_run_watcher_watch_finish (watcher, sync.result, error);
  g_main_context_pop_thread_default (context);

  g_signal_handlers_disconnect_by_data (watcher, &sync);
  g_object_unref (sync.result);

  return view;
}
