/* prefectctx-serialize.h: contexts carried to other processes as JSON
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__PREFECT_CTX_INSIDE__) && !defined(PREFECT_CTX_COMPILATION)
# error "Only <prefectctx.h> can be included directly."
#endif

#include <gio/gio.h>

#include "prefectctx-version.h"
#include "core/prefectctx-snapshot.h"
#include "models/prefectctx-client.h"

G_BEGIN_DECLS

PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_snapshot_to_json       (PrefectCtxSnapshot  *self,
                                                        gboolean             include_secrets);
PREFECT_CTX_AVAILABLE_IN_1_0
char               *prefect_ctx_serialize_context      (gboolean             include_secrets);
PREFECT_CTX_AVAILABLE_IN_1_0
GListModel         *prefect_ctx_hydrate_contexts       (const char          *json,
                                                        PrefectCtxClient    *client,
                                                        GError             **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxSnapshot *prefect_ctx_snapshot_new_from_json (const char          *json,
                                                        PrefectCtxClient    *client,
                                                        GError             **error);

G_END_DECLS
