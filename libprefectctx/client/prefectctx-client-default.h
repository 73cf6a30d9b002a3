/* prefectctx-client-default.h: the client the current settings choose
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__PREFECT_CTX_INSIDE__) && !defined(PREFECT_CTX_COMPILATION)
# error "Only <prefectctx.h> can be included directly."
#endif

#include "models/prefectctx-client.h"

G_BEGIN_DECLS

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxClient *prefect_ctx_client_get_default (GError **error);

G_END_DECLS
