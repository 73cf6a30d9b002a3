/* prefectctx-task-future.h: the future of a submitted task run
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__PREFECT_CTX_INSIDE__) && !defined(PREFECT_CTX_COMPILATION)
# error "Only <prefectctx.h> can be included directly."
#endif

#include <gio/gio.h>

#include "prefectctx-version.h"
#include "models/prefectctx-state.h"

G_BEGIN_DECLS

#define PREFECT_CTX_TYPE_TASK_FUTURE (prefect_ctx_task_future_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxTaskFuture, prefect_ctx_task_future, PREFECT_CTX, TASK_FUTURE, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
const char      *prefect_ctx_task_future_get_task_run_id (PrefectCtxTaskFuture  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean         prefect_ctx_task_future_is_done         (PrefectCtxTaskFuture  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
void             prefect_ctx_task_future_wait            (PrefectCtxTaskFuture  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean         prefect_ctx_task_future_wait_timeout (PrefectCtxTaskFuture  *self,
                                                       double                 timeout_seconds);
PREFECT_CTX_AVAILABLE_IN_1_0
void             prefect_ctx_task_future_wait_async      (PrefectCtxTaskFuture  *self,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean         prefect_ctx_task_future_wait_finish     (PrefectCtxTaskFuture  *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant        *prefect_ctx_task_future_get_result      (PrefectCtxTaskFuture  *self,
                                                          GError               **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxState *prefect_ctx_task_future_get_state       (PrefectCtxTaskFuture  *self);

G_END_DECLS
