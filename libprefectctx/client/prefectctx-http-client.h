/* prefectctx-http-client.h: the run store of a Prefect server (REST API)
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
#include "models/prefectctx-settings.h"

G_BEGIN_DECLS

#define PREFECT_CTX_TYPE_HTTP_CLIENT (prefect_ctx_http_client_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxHttpClient, prefect_ctx_http_client, PREFECT_CTX, HTTP_CLIENT, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxHttpClient *prefect_ctx_http_client_new                   (const char            *api_url,
                                                                     const char            *api_key,
                                                                     GError               **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxHttpClient *prefect_ctx_http_client_new_from_settings     (PrefectCtxSettings    *settings,
                                                                     GError               **error);
PREFECT_CTX_AVAILABLE_IN_1_0
const char           *prefect_ctx_http_client_get_api_url           (PrefectCtxHttpClient  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean              prefect_ctx_http_client_has_api_key           (PrefectCtxHttpClient  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
guint                 prefect_ctx_http_client_get_max_retries       (PrefectCtxHttpClient  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
double                prefect_ctx_http_client_get_retry_jitter_factor (PrefectCtxHttpClient *self);
PREFECT_CTX_AVAILABLE_IN_1_0
double                prefect_ctx_http_client_get_retry_base_delay  (PrefectCtxHttpClient  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean              prefect_ctx_http_client_get_queue_task_run_states (PrefectCtxHttpClient *self);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_http_client_set_queue_task_run_states (PrefectCtxHttpClient *self,
                                                                         gboolean              queue);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean              prefect_ctx_http_client_check_health          (PrefectCtxHttpClient  *self,
                                                                     GCancellable          *cancellable,
                                                                     GError               **error);

G_END_DECLS
