/* prefectctx-flow-run-watcher.h: watching a flow run (Prefect 1's watch_flow_run)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__PREFECT_CTX_INSIDE__) && !defined(PREFECT_CTX_COMPILATION)
# error "Only <prefectctx.h> can be included directly."
#endif

#include <gio/gio.h>

#include "prefectctx-version.h"
#include "models/prefectctx-client.h"
#include "models/prefectctx-log-entry.h"
#include "views/prefectctx-flow-run-view.h"

G_BEGIN_DECLS

/**
 * PREFECT_CTX_FLOW_RUN_WATCHER_DEFAULT_MAX_DURATION:
 *
 * How long a watcher waits for a flow run to finish by default, in seconds:
 * 12 hours (43200), as Prefect's `watch_flow_run ()`.
 */
#define PREFECT_CTX_FLOW_RUN_WATCHER_DEFAULT_MAX_DURATION 43200.0

/**
 * PrefectCtxWatchFunc:
 * @entry: the entry: a state change of the flow run or one of its log lines
 * @user_data: the data given with the function
 *
 * The function [func@PrefectCtx.watch_flow_run] calls for each entry, as
 * the [signal@PrefectCtx.FlowRunWatcher::entry] signal gives them.
 */
typedef void (*PrefectCtxWatchFunc) (PrefectCtxLogEntry *entry,
                                     gpointer            user_data);

#define PREFECT_CTX_TYPE_FLOW_RUN_WATCHER (prefect_ctx_flow_run_watcher_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxFlowRunWatcher, prefect_ctx_flow_run_watcher, PREFECT_CTX, FLOW_RUN_WATCHER, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowRunWatcher *prefect_ctx_flow_run_watcher_new                   (PrefectCtxClient          *client,
                                                                              const char                *flow_run_id);

PREFECT_CTX_AVAILABLE_IN_1_0
void                      prefect_ctx_flow_run_watcher_watch_async           (PrefectCtxFlowRunWatcher  *self,
                                                                              GCancellable              *cancellable,
                                                                              GAsyncReadyCallback        callback,
                                                                              gpointer                   user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowRunView    *prefect_ctx_flow_run_watcher_watch_finish          (PrefectCtxFlowRunWatcher  *self,
                                                                              GAsyncResult              *result,
                                                                              GError                   **error);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxClient         *prefect_ctx_flow_run_watcher_get_client            (PrefectCtxFlowRunWatcher  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char               *prefect_ctx_flow_run_watcher_get_flow_run_id       (PrefectCtxFlowRunWatcher  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean                  prefect_ctx_flow_run_watcher_get_stream_states     (PrefectCtxFlowRunWatcher  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean                  prefect_ctx_flow_run_watcher_get_stream_logs       (PrefectCtxFlowRunWatcher  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
double                    prefect_ctx_flow_run_watcher_get_max_duration      (PrefectCtxFlowRunWatcher  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
double                    prefect_ctx_flow_run_watcher_get_poll_interval     (PrefectCtxFlowRunWatcher  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
double                    prefect_ctx_flow_run_watcher_get_max_poll_interval (PrefectCtxFlowRunWatcher  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowRunView    *prefect_ctx_flow_run_watcher_get_view              (PrefectCtxFlowRunWatcher  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean                  prefect_ctx_flow_run_watcher_is_watching           (PrefectCtxFlowRunWatcher  *self);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowRunView    *prefect_ctx_watch_flow_run                         (PrefectCtxClient          *client,
                                                                              const char                *flow_run_id,
                                                                              gboolean                   stream_states,
                                                                              gboolean                   stream_logs,
                                                                              double                     max_duration,
                                                                              PrefectCtxWatchFunc        callback,
                                                                              gpointer                   user_data,
                                                                              GCancellable              *cancellable,
                                                                              GError                   **error);

G_END_DECLS
