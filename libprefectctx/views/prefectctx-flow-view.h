/* prefectctx-flow-view.h: a view of a flow (Prefect 1's FlowView)
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
#include "models/prefectctx-flow.h"

G_BEGIN_DECLS

#define PREFECT_CTX_TYPE_FLOW_VIEW (prefect_ctx_flow_view_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxFlowView, prefect_ctx_flow_view, PREFECT_CTX, FLOW_VIEW, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowView  *prefect_ctx_flow_view_new_from_flow       (PrefectCtxFlow      *flow);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowView  *prefect_ctx_flow_view_new_from_id         (PrefectCtxClient    *client,
                                                                const char          *flow_id,
                                                                GCancellable        *cancellable,
                                                                GError             **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                 prefect_ctx_flow_view_new_from_id_async   (PrefectCtxClient    *client,
                                                                const char          *flow_id,
                                                                GCancellable        *cancellable,
                                                                GAsyncReadyCallback  callback,
                                                                gpointer             user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowView  *prefect_ctx_flow_view_new_from_id_finish  (GAsyncResult        *result,
                                                                GError             **error);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlow      *prefect_ctx_flow_view_get_flow            (PrefectCtxFlowView  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_flow_view_get_flow_id         (PrefectCtxFlowView  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_flow_view_get_name            (PrefectCtxFlowView  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_flow_view_get_version         (PrefectCtxFlowView  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_flow_view_get_description     (PrefectCtxFlowView  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char * const  *prefect_ctx_flow_view_get_tags            (PrefectCtxFlowView  *self);

G_END_DECLS
