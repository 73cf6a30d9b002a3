/* prefectctx-task.h: tasks as the Prefect server describes them
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

#define PREFECT_CTX_TYPE_TASK (prefect_ctx_task_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxTask, prefect_ctx_task, PREFECT_CTX, TASK, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTask      *prefect_ctx_task_new                     (const char      *name);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTask      *prefect_ctx_task_new_from_json           (const char      *json,
                                                               GError         **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTask      *prefect_ctx_task_new_from_json_node      (JsonNode        *node,
                                                               GError         **error);
PREFECT_CTX_AVAILABLE_IN_1_0
char                *prefect_ctx_task_to_json                 (PrefectCtxTask  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
JsonNode            *prefect_ctx_task_to_json_node            (PrefectCtxTask  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_task_get_name                (PrefectCtxTask  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_task_get_task_key            (PrefectCtxTask  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_task_get_description         (PrefectCtxTask  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char * const  *prefect_ctx_task_get_tags                (PrefectCtxTask  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
int                  prefect_ctx_task_get_retries             (PrefectCtxTask  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
double               prefect_ctx_task_get_retry_delay_seconds (PrefectCtxTask  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean             prefect_ctx_task_get_log_prints          (PrefectCtxTask  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_task_get_task_run_name       (PrefectCtxTask  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant            *prefect_ctx_task_get_task_inputs         (PrefectCtxTask  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char * const  *prefect_ctx_task_get_allow_failure       (PrefectCtxTask  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
double               prefect_ctx_task_get_timeout_seconds     (PrefectCtxTask  *self);

G_END_DECLS
