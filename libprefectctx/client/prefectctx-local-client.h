/* prefectctx-local-client.h: the embedded run store (SQLite)
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

G_BEGIN_DECLS

/**
 * PREFECT_CTX_LOCAL_CLIENT_MEMORY:
 *
 * The path of [ctor@PrefectCtx.LocalClient.new] for a store kept in memory
 * (`":memory:"`), private to the client object and lost when it is freed.
 */
#define PREFECT_CTX_LOCAL_CLIENT_MEMORY ":memory:"

#define PREFECT_CTX_TYPE_LOCAL_CLIENT (prefect_ctx_local_client_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxLocalClient, prefect_ctx_local_client, PREFECT_CTX, LOCAL_CLIENT, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxLocalClient *prefect_ctx_local_client_new      (const char             *path,
                                                          GError                **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxLocalClient *prefect_ctx_local_client_open_read_only (const char     *path,
                                                              GError        **error);
PREFECT_CTX_AVAILABLE_IN_1_0
const char            *prefect_ctx_local_client_get_path (PrefectCtxLocalClient  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
int                    prefect_ctx_local_client_get_schema_version (void);
PREFECT_CTX_AVAILABLE_IN_1_0
char                  *prefect_ctx_local_client_expand_flow_run_id (PrefectCtxLocalClient  *self,
                                                                    const char             *prefix,
                                                                    GError                **error);
PREFECT_CTX_AVAILABLE_IN_1_0
char                  *prefect_ctx_local_client_expand_task_run_id (PrefectCtxLocalClient  *self,
                                                                    const char             *prefix,
                                                                    GError                **error);

G_END_DECLS
