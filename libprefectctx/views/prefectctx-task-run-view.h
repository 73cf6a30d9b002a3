/* prefectctx-task-run-view.h: a view of one task run (Prefect 1's TaskRunView)
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
#include "models/prefectctx-state.h"
#include "models/prefectctx-task-run.h"

G_BEGIN_DECLS

#define PREFECT_CTX_TYPE_TASK_RUN_VIEW (prefect_ctx_task_run_view_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxTaskRunView, prefect_ctx_task_run_view, PREFECT_CTX, TASK_RUN_VIEW, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTaskRunView *prefect_ctx_task_run_view_new_from_task_run   (PrefectCtxTaskRun     *task_run);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTaskRunView *prefect_ctx_task_run_view_new_from_id         (PrefectCtxClient      *client,
                                                                      const char            *task_run_id,
                                                                      GCancellable          *cancellable,
                                                                      GError               **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                   prefect_ctx_task_run_view_new_from_id_async   (PrefectCtxClient      *client,
                                                                      const char            *task_run_id,
                                                                      GCancellable          *cancellable,
                                                                      GAsyncReadyCallback    callback,
                                                                      gpointer               user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTaskRunView *prefect_ctx_task_run_view_new_from_id_finish  (GAsyncResult          *result,
                                                                      GError               **error);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTaskRun     *prefect_ctx_task_run_view_get_task_run        (PrefectCtxTaskRunView *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char            *prefect_ctx_task_run_view_get_task_run_id     (PrefectCtxTaskRunView *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char            *prefect_ctx_task_run_view_get_task_id         (PrefectCtxTaskRunView *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char            *prefect_ctx_task_run_view_get_task_slug       (PrefectCtxTaskRunView *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char            *prefect_ctx_task_run_view_get_name            (PrefectCtxTaskRunView *self);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxState       *prefect_ctx_task_run_view_get_state           (PrefectCtxTaskRunView *self);
PREFECT_CTX_AVAILABLE_IN_1_0
int                    prefect_ctx_task_run_view_get_map_index       (PrefectCtxTaskRunView *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char            *prefect_ctx_task_run_view_get_flow_run_id     (PrefectCtxTaskRunView *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean               prefect_ctx_task_run_view_is_finished         (PrefectCtxTaskRunView *self);

G_END_DECLS
