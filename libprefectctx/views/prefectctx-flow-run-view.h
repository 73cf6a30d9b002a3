/* prefectctx-flow-run-view.h: a view of a flow run (Prefect 1's FlowRunView)
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
#include "models/prefectctx-flow-run.h"
#include "models/prefectctx-state.h"
#include "views/prefectctx-flow-view.h"
#include "views/prefectctx-task-run-view.h"

G_BEGIN_DECLS

/**
 * PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET:
 *
 * The map index given to [method@PrefectCtx.FlowRunView.get_task_run] when
 * there is none to give (Prefect's `map_index=None`): -2.
 */
#define PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET (-2)

/**
 * PREFECT_CTX_FLOW_RUN_VIEW_MAX_TASK_RUNS:
 *
 * The largest number of task runs a flow run may have for
 * [method@PrefectCtx.FlowRunView.get_all_task_runs] to load them all at
 * once: 1000, as in Prefect.
 */
#define PREFECT_CTX_FLOW_RUN_VIEW_MAX_TASK_RUNS 1000

#define PREFECT_CTX_TYPE_FLOW_RUN_VIEW (prefect_ctx_flow_run_view_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxFlowRunView, prefect_ctx_flow_run_view, PREFECT_CTX, FLOW_RUN_VIEW, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowRunView *prefect_ctx_flow_run_view_new_from_id          (PrefectCtxClient       *client,
                                                                       const char             *flow_run_id,
                                                                       gboolean                load_static_tasks,
                                                                       GCancellable           *cancellable,
                                                                       GError                **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                   prefect_ctx_flow_run_view_new_from_id_async    (PrefectCtxClient       *client,
                                                                       const char             *flow_run_id,
                                                                       gboolean                load_static_tasks,
                                                                       GCancellable           *cancellable,
                                                                       GAsyncReadyCallback     callback,
                                                                       gpointer                user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowRunView *prefect_ctx_flow_run_view_new_from_id_finish   (GAsyncResult           *result,
                                                                       GError                **error);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowRunView *prefect_ctx_flow_run_view_get_latest           (PrefectCtxFlowRunView  *self,
                                                                       gboolean                load_static_tasks,
                                                                       GCancellable           *cancellable,
                                                                       GError                **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                   prefect_ctx_flow_run_view_get_latest_async     (PrefectCtxFlowRunView  *self,
                                                                       gboolean                load_static_tasks,
                                                                       GCancellable           *cancellable,
                                                                       GAsyncReadyCallback     callback,
                                                                       gpointer                user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowRunView *prefect_ctx_flow_run_view_get_latest_finish    (PrefectCtxFlowRunView  *self,
                                                                       GAsyncResult           *result,
                                                                       GError                **error);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxClient      *prefect_ctx_flow_run_view_get_client           (PrefectCtxFlowRunView  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowRun     *prefect_ctx_flow_run_view_get_flow_run         (PrefectCtxFlowRunView  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char            *prefect_ctx_flow_run_view_get_flow_run_id      (PrefectCtxFlowRunView  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char            *prefect_ctx_flow_run_view_get_name             (PrefectCtxFlowRunView  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char            *prefect_ctx_flow_run_view_get_flow_id          (PrefectCtxFlowRunView  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char * const    *prefect_ctx_flow_run_view_get_tags             (PrefectCtxFlowRunView  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant              *prefect_ctx_flow_run_view_get_parameters       (PrefectCtxFlowRunView  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxState       *prefect_ctx_flow_run_view_get_state            (PrefectCtxFlowRunView  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GListModel            *prefect_ctx_flow_run_view_get_states           (PrefectCtxFlowRunView  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GDateTime             *prefect_ctx_flow_run_view_get_updated_at       (PrefectCtxFlowRunView  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean               prefect_ctx_flow_run_view_is_finished          (PrefectCtxFlowRunView  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GListModel            *prefect_ctx_flow_run_view_get_cached_task_runs (PrefectCtxFlowRunView  *self);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTaskRunView *prefect_ctx_flow_run_view_get_task_run         (PrefectCtxFlowRunView  *self,
                                                                       const char             *task_key_or_slug,
                                                                       const char             *task_run_id,
                                                                       int                     map_index,
                                                                       GCancellable           *cancellable,
                                                                       GError                **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                   prefect_ctx_flow_run_view_get_task_run_async   (PrefectCtxFlowRunView  *self,
                                                                       const char             *task_key_or_slug,
                                                                       const char             *task_run_id,
                                                                       int                     map_index,
                                                                       GCancellable           *cancellable,
                                                                       GAsyncReadyCallback     callback,
                                                                       gpointer                user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTaskRunView *prefect_ctx_flow_run_view_get_task_run_finish  (PrefectCtxFlowRunView  *self,
                                                                       GAsyncResult           *result,
                                                                       GError                **error);

PREFECT_CTX_AVAILABLE_IN_1_0
GListModel            *prefect_ctx_flow_run_view_get_all_task_runs    (PrefectCtxFlowRunView  *self,
                                                                       GCancellable           *cancellable,
                                                                       GError                **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                   prefect_ctx_flow_run_view_get_all_task_runs_async (PrefectCtxFlowRunView *self,
                                                                          GCancellable          *cancellable,
                                                                          GAsyncReadyCallback    callback,
                                                                          gpointer               user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
GListModel            *prefect_ctx_flow_run_view_get_all_task_runs_finish (PrefectCtxFlowRunView *self,
                                                                           GAsyncResult          *result,
                                                                           GError               **error);

PREFECT_CTX_AVAILABLE_IN_1_0
GStrv                  prefect_ctx_flow_run_view_get_task_run_ids     (PrefectCtxFlowRunView  *self,
                                                                       GCancellable           *cancellable,
                                                                       GError                **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                   prefect_ctx_flow_run_view_get_task_run_ids_async (PrefectCtxFlowRunView *self,
                                                                         GCancellable          *cancellable,
                                                                         GAsyncReadyCallback    callback,
                                                                         gpointer               user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
GStrv                  prefect_ctx_flow_run_view_get_task_run_ids_finish (PrefectCtxFlowRunView *self,
                                                                          GAsyncResult          *result,
                                                                          GError               **error);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowView    *prefect_ctx_flow_run_view_get_flow_metadata    (PrefectCtxFlowRunView  *self,
                                                                       gboolean                no_cache,
                                                                       GCancellable           *cancellable,
                                                                       GError                **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                   prefect_ctx_flow_run_view_get_flow_metadata_async (PrefectCtxFlowRunView *self,
                                                                          gboolean               no_cache,
                                                                          GCancellable          *cancellable,
                                                                          GAsyncReadyCallback    callback,
                                                                          gpointer               user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowView    *prefect_ctx_flow_run_view_get_flow_metadata_finish (PrefectCtxFlowRunView *self,
                                                                           GAsyncResult          *result,
                                                                           GError               **error);

PREFECT_CTX_AVAILABLE_IN_1_0
GListModel            *prefect_ctx_flow_run_view_get_logs             (PrefectCtxFlowRunView  *self,
                                                                       GDateTime              *start,
                                                                       GDateTime              *end,
                                                                       GCancellable           *cancellable,
                                                                       GError                **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                   prefect_ctx_flow_run_view_get_logs_async       (PrefectCtxFlowRunView  *self,
                                                                       GDateTime              *start,
                                                                       GDateTime              *end,
                                                                       GCancellable           *cancellable,
                                                                       GAsyncReadyCallback     callback,
                                                                       gpointer                user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
GListModel            *prefect_ctx_flow_run_view_get_logs_finish      (PrefectCtxFlowRunView  *self,
                                                                       GAsyncResult           *result,
                                                                       GError                **error);

G_END_DECLS
