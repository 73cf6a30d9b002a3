/* prefectctx-flow-run-context.h: the context of a running flow
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__PREFECT_CTX_INSIDE__) && !defined(PREFECT_CTX_COMPILATION)
# error "Only <prefectctx.h> can be included directly."
#endif

#include <glib-object.h>

#include "prefectctx-version.h"
#include "contexts/prefectctx-run-context.h"
#include "models/prefectctx-flow.h"
#include "models/prefectctx-flow-run.h"

G_BEGIN_DECLS

#define PREFECT_CTX_TYPE_FLOW_RUN_CONTEXT (prefect_ctx_flow_run_context_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_DERIVABLE_TYPE (PrefectCtxFlowRunContext, prefect_ctx_flow_run_context, PREFECT_CTX, FLOW_RUN_CONTEXT, PrefectCtxRunContext)

/**
 * PrefectCtxFlowRunContextClass:
 * @parent_class: the parent class
 *
 * The class structure of [class@PrefectCtx.FlowRunContext].
 */
struct _PrefectCtxFlowRunContextClass
{
  PrefectCtxRunContextClass parent_class;

  /*< private >*/
  gpointer padding[8];
};

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowRunContext *prefect_ctx_flow_run_context_new              (PrefectCtxFlow           *flow,
                                                                         PrefectCtxFlowRun        *flow_run,
                                                                         GVariant                 *parameters);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowRunContext *prefect_ctx_flow_run_context_get_current      (void);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlow           *prefect_ctx_flow_run_context_get_flow         (PrefectCtxFlowRunContext *self);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowRun        *prefect_ctx_flow_run_context_get_flow_run     (PrefectCtxFlowRunContext *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant                 *prefect_ctx_flow_run_context_get_parameters   (PrefectCtxFlowRunContext *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean                  prefect_ctx_flow_run_context_get_log_prints   (PrefectCtxFlowRunContext *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean                  prefect_ctx_flow_run_context_get_detached     (PrefectCtxFlowRunContext *self);

PREFECT_CTX_AVAILABLE_IN_1_0
char                     *prefect_ctx_flow_run_context_next_dynamic_key (PrefectCtxFlowRunContext *self,
                                                                         const char               *task_key);

G_END_DECLS
