/* prefectctx-task-run.h: task runs as the Prefect server describes them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__PREFECT_CTX_INSIDE__) && !defined(PREFECT_CTX_COMPILATION)
# error "Only <prefectctx.h> can be included directly."
#endif

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "prefectctx-version.h"
#include "models/prefectctx-state.h"

G_BEGIN_DECLS

#define PREFECT_CTX_TYPE_TASK_RUN (prefect_ctx_task_run_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxTaskRun, prefect_ctx_task_run, PREFECT_CTX, TASK_RUN, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTaskRun   *prefect_ctx_task_run_new_from_json      (const char         *json,
                                                              GError            **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTaskRun   *prefect_ctx_task_run_new_from_json_node (JsonNode           *node,
                                                              GError            **error);
PREFECT_CTX_AVAILABLE_IN_1_0
char                *prefect_ctx_task_run_to_json            (PrefectCtxTaskRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
JsonNode            *prefect_ctx_task_run_to_json_node       (PrefectCtxTaskRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_task_run_get_id             (PrefectCtxTaskRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_task_run_get_name           (PrefectCtxTaskRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_task_run_get_flow_run_id    (PrefectCtxTaskRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_task_run_get_task_key       (PrefectCtxTaskRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_task_run_get_dynamic_key    (PrefectCtxTaskRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char * const  *prefect_ctx_task_run_get_tags           (PrefectCtxTaskRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxState     *prefect_ctx_task_run_get_state          (PrefectCtxTaskRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
int                  prefect_ctx_task_run_get_run_count      (PrefectCtxTaskRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
int                  prefect_ctx_task_run_get_map_index      (PrefectCtxTaskRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GDateTime           *prefect_ctx_task_run_get_start_time     (PrefectCtxTaskRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GDateTime           *prefect_ctx_task_run_get_end_time       (PrefectCtxTaskRun  *self);

PREFECT_CTX_AVAILABLE_IN_1_0
GVariant            *prefect_ctx_task_run_get_empirical_policy   (PrefectCtxTaskRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant            *prefect_ctx_task_run_get_task_inputs        (PrefectCtxTaskRun  *self);

G_END_DECLS
