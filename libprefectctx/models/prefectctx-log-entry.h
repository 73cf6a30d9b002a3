/* prefectctx-log-entry.h: log entries as the Prefect server describes them
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

#define PREFECT_CTX_TYPE_LOG_ENTRY (prefect_ctx_log_entry_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxLogEntry, prefect_ctx_log_entry, PREFECT_CTX, LOG_ENTRY, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxLogEntry  *prefect_ctx_log_entry_new_from_json      (const char          *json,
                                                               GError             **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxLogEntry  *prefect_ctx_log_entry_new_from_json_node (JsonNode            *node,
                                                               GError             **error);
PREFECT_CTX_AVAILABLE_IN_1_0
char                *prefect_ctx_log_entry_to_json            (PrefectCtxLogEntry  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
JsonNode            *prefect_ctx_log_entry_to_json_node       (PrefectCtxLogEntry  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GDateTime           *prefect_ctx_log_entry_get_timestamp      (PrefectCtxLogEntry  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
int                  prefect_ctx_log_entry_get_level          (PrefectCtxLogEntry  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_log_entry_get_message        (PrefectCtxLogEntry  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_log_entry_get_name           (PrefectCtxLogEntry  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_log_entry_get_flow_run_id    (PrefectCtxLogEntry  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_log_entry_get_task_run_id    (PrefectCtxLogEntry  *self);

G_END_DECLS
