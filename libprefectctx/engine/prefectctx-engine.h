/* prefectctx-engine.h: running flows, tasks and subflows (layer 6)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__PREFECT_CTX_INSIDE__) && !defined(PREFECT_CTX_COMPILATION)
# error "Only <prefectctx.h> can be included directly."
#endif

#include <gio/gio.h>

#include "prefectctx-version.h"
#include "contexts/prefectctx-run-context.h"
#include "models/prefectctx-flow.h"
#include "models/prefectctx-task.h"
#include "engine/prefectctx-run-options.h"
#include "engine/prefectctx-task-future.h"

G_BEGIN_DECLS

/**
 * PrefectCtxRunFunc:
 * @context: the run context the body runs in: the
 *   [class@PrefectCtx.FlowRunContext] of a flow run, or the
 *   [class@PrefectCtx.TaskRunContext] of a task run
 * @parameters: the parameters of the run, an `a{sv}` dictionary (never
 *   %NULL: empty when the run has none)
 * @user_data: the data given with the body
 * @error: return location for a #GError: set it to make the run fail
 *
 * The body of a flow or a task: the code that runs inside the run.
 *
 * A body returns its result, any #GVariant (a floating one is taken), or
 * %NULL for no result. It fails by setting @error and returning %NULL: the
 * error's message becomes the message of the run's `Failed` state (or of its
 * `AwaitingRetry` state while retries remain), and the caller of the run gets
 * the error.
 *
 * Functions of every introspected language can be bodies: a Python function
 * raising `GLib.Error` or a gjs function throwing, a Vala delegate that
 * `throws`. The Python override also turns any other exception into a
 * failure (see `PrefectCtx.flow`).
 *
 * Returns: (transfer full) (nullable): the result of the run, or %NULL
 */
typedef GVariant *(*PrefectCtxRunFunc) (PrefectCtxRunContext  *context,
                                        GVariant              *parameters,
                                        gpointer               user_data,
                                        GError               **error);

PREFECT_CTX_AVAILABLE_IN_1_0
GVariant             *prefect_ctx_flow_run_sync   (PrefectCtxFlow        *flow,
                                                   GVariant              *parameters,
                                                   PrefectCtxRunOptions  *options,
                                                   PrefectCtxRunFunc      body,
                                                   gpointer               user_data,
                                                   GError               **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_flow_run_async  (PrefectCtxFlow        *flow,
                                                   GVariant              *parameters,
                                                   PrefectCtxRunOptions  *options,
                                                   PrefectCtxRunFunc      body,
                                                   gpointer               body_data,
                                                   GDestroyNotify         body_destroy,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant             *prefect_ctx_flow_run_finish (PrefectCtxFlow        *flow,
                                                   GAsyncResult          *result,
                                                   GError               **error);

PREFECT_CTX_AVAILABLE_IN_1_0
GVariant             *prefect_ctx_task_call       (PrefectCtxTask        *task,
                                                   GVariant              *parameters,
                                                   PrefectCtxRunFunc      body,
                                                   gpointer               user_data,
                                                   GError               **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTaskFuture *prefect_ctx_task_submit     (PrefectCtxTask        *task,
                                                   GVariant              *parameters,
                                                   PrefectCtxRunFunc      body,
                                                   gpointer               user_data,
                                                   GDestroyNotify         destroy,
                                                   GError               **error);

PREFECT_CTX_AVAILABLE_IN_1_0
char                 *prefect_ctx_generate_run_name (void);

PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_install_log_writer (void);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean              prefect_ctx_flush_logs        (GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean              prefect_ctx_run_log           (int                   level,
                                                     const char           *message,
                                                     GError              **error);

G_END_DECLS
