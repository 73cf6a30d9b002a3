/* prefectctx-task-run-context.h: the context of a running task
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
#include "models/prefectctx-task.h"
#include "models/prefectctx-task-run.h"

G_BEGIN_DECLS

#define PREFECT_CTX_TYPE_TASK_RUN_CONTEXT (prefect_ctx_task_run_context_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_DERIVABLE_TYPE (PrefectCtxTaskRunContext, prefect_ctx_task_run_context, PREFECT_CTX, TASK_RUN_CONTEXT, PrefectCtxRunContext)

/**
 * PrefectCtxTaskRunContextClass:
 * @parent_class: the parent class
 *
 * The class structure of [class@PrefectCtx.TaskRunContext].
 */
struct _PrefectCtxTaskRunContextClass
{
  PrefectCtxRunContextClass parent_class;

  /*< private >*/
  gpointer padding[8];
};

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTaskRunContext *prefect_ctx_task_run_context_new            (PrefectCtxTask           *task,
                                                                       PrefectCtxTaskRun        *task_run,
                                                                       GVariant                 *parameters);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTaskRunContext *prefect_ctx_task_run_context_get_current    (void);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTask           *prefect_ctx_task_run_context_get_task       (PrefectCtxTaskRunContext *self);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTaskRun        *prefect_ctx_task_run_context_get_task_run   (PrefectCtxTaskRunContext *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant                 *prefect_ctx_task_run_context_get_parameters (PrefectCtxTaskRunContext *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean                  prefect_ctx_task_run_context_get_log_prints (PrefectCtxTaskRunContext *self);

G_END_DECLS
