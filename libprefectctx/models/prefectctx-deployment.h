/* prefectctx-deployment.h: deployments as the Prefect server describes them
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

#define PREFECT_CTX_TYPE_DEPLOYMENT (prefect_ctx_deployment_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxDeployment, prefect_ctx_deployment, PREFECT_CTX, DEPLOYMENT, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxDeployment  *prefect_ctx_deployment_new_from_json      (const char            *json,
                                                                  GError               **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxDeployment  *prefect_ctx_deployment_new_from_json_node (JsonNode              *node,
                                                                  GError               **error);
PREFECT_CTX_AVAILABLE_IN_1_0
char                  *prefect_ctx_deployment_to_json            (PrefectCtxDeployment  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
JsonNode              *prefect_ctx_deployment_to_json_node       (PrefectCtxDeployment  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char            *prefect_ctx_deployment_get_id             (PrefectCtxDeployment  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char            *prefect_ctx_deployment_get_name           (PrefectCtxDeployment  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char            *prefect_ctx_deployment_get_version        (PrefectCtxDeployment  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char            *prefect_ctx_deployment_get_flow_id        (PrefectCtxDeployment  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant              *prefect_ctx_deployment_get_parameters     (PrefectCtxDeployment  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char * const    *prefect_ctx_deployment_get_tags           (PrefectCtxDeployment  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GDateTime             *prefect_ctx_deployment_get_created        (PrefectCtxDeployment  *self);

G_END_DECLS
