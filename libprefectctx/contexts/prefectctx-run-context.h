/* prefectctx-run-context.h: the base of the flow run and task run contexts
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__PREFECT_CTX_INSIDE__) && !defined(PREFECT_CTX_COMPILATION)
# error "Only <prefectctx.h> can be included directly."
#endif

#include <glib-object.h>

#include "prefectctx-version.h"
#include "core/prefectctx-context.h"
#include "models/prefectctx-client.h"

G_BEGIN_DECLS

#define PREFECT_CTX_TYPE_RUN_CONTEXT (prefect_ctx_run_context_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_DERIVABLE_TYPE (PrefectCtxRunContext, prefect_ctx_run_context, PREFECT_CTX, RUN_CONTEXT, PrefectCtxContext)

/**
 * PrefectCtxRunContextClass:
 * @parent_class: the parent class
 *
 * The class structure of [class@PrefectCtx.RunContext].
 */
struct _PrefectCtxRunContextClass
{
  PrefectCtxContextClass parent_class;

  /*< private >*/
  gpointer padding[8];
};

PREFECT_CTX_AVAILABLE_IN_1_0
GDateTime            *prefect_ctx_run_context_get_start_time (PrefectCtxRunContext  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxClient     *prefect_ctx_run_context_get_client     (PrefectCtxRunContext  *self);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxRunContext *prefect_ctx_get_run_context            (GError               **error);

G_END_DECLS
