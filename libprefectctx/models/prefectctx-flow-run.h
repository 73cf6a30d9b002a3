/* prefectctx-flow-run.h: flow runs as the Prefect server describes them
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

#define PREFECT_CTX_TYPE_FLOW_RUN (prefect_ctx_flow_run_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxFlowRun, prefect_ctx_flow_run, PREFECT_CTX, FLOW_RUN, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowRun   *prefect_ctx_flow_run_new_from_json           (const char         *json,
                                                                   GError            **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowRun   *prefect_ctx_flow_run_new_from_json_node      (JsonNode           *node,
                                                                   GError            **error);
PREFECT_CTX_AVAILABLE_IN_1_0
char                *prefect_ctx_flow_run_to_json                 (PrefectCtxFlowRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
JsonNode            *prefect_ctx_flow_run_to_json_node            (PrefectCtxFlowRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_flow_run_get_id                  (PrefectCtxFlowRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_flow_run_get_name                (PrefectCtxFlowRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_flow_run_get_flow_id             (PrefectCtxFlowRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_flow_run_get_flow_version        (PrefectCtxFlowRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant            *prefect_ctx_flow_run_get_parameters          (PrefectCtxFlowRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char * const  *prefect_ctx_flow_run_get_tags                (PrefectCtxFlowRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxState     *prefect_ctx_flow_run_get_state               (PrefectCtxFlowRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_flow_run_get_parent_task_run_id  (PrefectCtxFlowRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_flow_run_get_deployment_id       (PrefectCtxFlowRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
int                  prefect_ctx_flow_run_get_run_count           (PrefectCtxFlowRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GDateTime           *prefect_ctx_flow_run_get_expected_start_time (PrefectCtxFlowRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GDateTime           *prefect_ctx_flow_run_get_start_time          (PrefectCtxFlowRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GDateTime           *prefect_ctx_flow_run_get_end_time            (PrefectCtxFlowRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GDateTime           *prefect_ctx_flow_run_get_created             (PrefectCtxFlowRun  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GDateTime           *prefect_ctx_flow_run_get_updated             (PrefectCtxFlowRun  *self);

PREFECT_CTX_AVAILABLE_IN_1_0
GVariant            *prefect_ctx_flow_run_get_empirical_policy   (PrefectCtxFlowRun  *self);

G_END_DECLS
