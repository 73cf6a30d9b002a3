/* prefectctx-runtime.h: the prefect.runtime equivalent (layer 5)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__PREFECT_CTX_INSIDE__) && !defined(PREFECT_CTX_COMPILATION)
# error "Only <prefectctx.h> can be included directly."
#endif

#include <glib.h>

#include "prefectctx-version.h"

G_BEGIN_DECLS

PREFECT_CTX_AVAILABLE_IN_1_0
GVariant           *prefect_ctx_runtime_get                          (const char  *module,
                                                                      const char  *attribute,
                                                                      GError     **error);
PREFECT_CTX_AVAILABLE_IN_1_0
const char * const *prefect_ctx_runtime_list_modules                 (void);
PREFECT_CTX_AVAILABLE_IN_1_0
const char * const *prefect_ctx_runtime_list_attributes              (const char  *module);
PREFECT_CTX_AVAILABLE_IN_1_0
const char         *prefect_ctx_runtime_get_attribute_type           (const char  *module,
                                                                      const char  *attribute);

/* flow_run */
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_runtime_flow_run_get_id              (void);
PREFECT_CTX_AVAILABLE_IN_1_0
GStrv               prefect_ctx_runtime_flow_run_get_tags            (void);
PREFECT_CTX_AVAILABLE_IN_1_0
GDateTime          *prefect_ctx_runtime_flow_run_get_scheduled_start_time (void);
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_runtime_flow_run_get_name            (void);
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_runtime_flow_run_get_flow_name       (void);
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_runtime_flow_run_get_flow_version    (void);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant           *prefect_ctx_runtime_flow_run_get_parameters      (void);
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_runtime_flow_run_get_parent_flow_run_id   (void);
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_runtime_flow_run_get_parent_deployment_id (void);
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_runtime_flow_run_get_root_flow_run_id     (void);
PREFECT_CTX_AVAILABLE_IN_1_0
int                 prefect_ctx_runtime_flow_run_get_run_count       (void);
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_runtime_flow_run_get_api_url         (void);
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_runtime_flow_run_get_ui_url          (void);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant           *prefect_ctx_runtime_flow_run_get_job_variables   (void);

/* task_run */
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_runtime_task_run_get_id              (void);
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_runtime_task_run_get_name            (void);
PREFECT_CTX_AVAILABLE_IN_1_0
GStrv               prefect_ctx_runtime_task_run_get_tags            (void);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant           *prefect_ctx_runtime_task_run_get_parameters      (void);
PREFECT_CTX_AVAILABLE_IN_1_0
int                 prefect_ctx_runtime_task_run_get_run_count       (void);
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_runtime_task_run_get_task_name       (void);
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_runtime_task_run_get_api_url         (void);
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_runtime_task_run_get_ui_url          (void);

/* deployment */
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_runtime_deployment_get_id            (void);
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_runtime_deployment_get_flow_run_id   (void);
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_runtime_deployment_get_name          (void);
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_runtime_deployment_get_version       (void);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant           *prefect_ctx_runtime_deployment_get_parameters    (void);

G_END_DECLS
