/* prefectctx-runtime-private.h: how the run store reaches the runtime module
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The runtime module (layer 4) reads what the contexts do not hold from the
 * run store (layer 5), which it must not depend on. A later layer registers
 * readers here instead: the engine does, when the library is loaded. Each
 * reader returns a new reference, or NULL when the record cannot be read.
 */
#pragma once

#include "models/prefectctx-deployment.h"
#include "models/prefectctx-flow.h"
#include "models/prefectctx-flow-run.h"
#include "models/prefectctx-task-run.h"

G_BEGIN_DECLS

typedef struct
{
  PrefectCtxFlowRun    *(*read_flow_run)   (const char *id);
  PrefectCtxTaskRun    *(*read_task_run)   (const char *id);
  PrefectCtxFlow       *(*read_flow)       (const char *id);
  PrefectCtxDeployment *(*read_deployment) (const char *id);
} PrefectCtxRuntimeReaders;

/* @readers must stay valid for the life of the process; NULL removes them. */
void _prefect_ctx_runtime_set_readers (const PrefectCtxRuntimeReaders *readers);

G_END_DECLS
