/* prefectctx-flow.h: flows as the Prefect server describes them
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

G_BEGIN_DECLS

#define PREFECT_CTX_TYPE_FLOW (prefect_ctx_flow_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxFlow, prefect_ctx_flow, PREFECT_CTX, FLOW, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlow      *prefect_ctx_flow_new                (const char      *name);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlow      *prefect_ctx_flow_new_from_json      (const char      *json,
                                                          GError         **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlow      *prefect_ctx_flow_new_from_json_node (JsonNode        *node,
                                                          GError         **error);
PREFECT_CTX_AVAILABLE_IN_1_0
char                *prefect_ctx_flow_to_json            (PrefectCtxFlow  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
JsonNode            *prefect_ctx_flow_to_json_node       (PrefectCtxFlow  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_flow_get_id             (PrefectCtxFlow  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_flow_get_name           (PrefectCtxFlow  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_flow_get_version        (PrefectCtxFlow  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_flow_get_description    (PrefectCtxFlow  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char * const  *prefect_ctx_flow_get_tags           (PrefectCtxFlow  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
int                  prefect_ctx_flow_get_retries        (PrefectCtxFlow  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
double               prefect_ctx_flow_get_retry_delay_seconds (PrefectCtxFlow *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean             prefect_ctx_flow_get_log_prints     (PrefectCtxFlow  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
double               prefect_ctx_flow_get_timeout_seconds (PrefectCtxFlow *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GDateTime           *prefect_ctx_flow_get_created        (PrefectCtxFlow  *self);

G_END_DECLS
