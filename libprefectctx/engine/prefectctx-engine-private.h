/* prefectctx-engine-private.h: what the engine's files share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "models/prefectctx-client.h"
#include "engine/prefectctx-task-future.h"
#include "models/prefectctx-log-entry.h"
#include "prefectctx-tsan-private.h"

G_BEGIN_DECLS

/* Python log levels, which the run store keeps. */
#define PREFECT_CTX_LOG_DEBUG    10
#define PREFECT_CTX_LOG_INFO     20
#define PREFECT_CTX_LOG_WARNING  30
#define PREFECT_CTX_LOG_ERROR    40
#define PREFECT_CTX_LOG_CRITICAL 50

/* Task futures: made pending by the engine, finished once by the worker. */
PrefectCtxTaskFuture *_prefect_ctx_task_future_new      (const char            *task_run_id,
                                                         PrefectCtxState       *state);
void                  _prefect_ctx_task_future_set_state (PrefectCtxTaskFuture *self,
                                                         PrefectCtxState       *state);
void                  _prefect_ctx_task_future_finish   (PrefectCtxTaskFuture  *self,
                                                         GVariant              *result,
                                                         GError                *error,
                                                         PrefectCtxState       *state);

/* Run logs. The level threshold is PREFECT_LOGGING_LEVEL of the current
 * settings (INFO by default). Records are buffered per client and written
 * in batches: when a buffer holds enough records or its oldest is old, at
 * the end of every flow run and of every task run outside a flow run, and
 * by prefect_ctx_flush_logs (). */
int                   _prefect_ctx_log_threshold        (void);
void                  _prefect_ctx_log_record           (PrefectCtxClient      *client,
                                                         const char            *name,
                                                         int                    level,
                                                         const char            *message,
                                                         const char            *flow_run_id,
                                                         const char            *task_run_id);
void                  _prefect_ctx_log_flush_client     (PrefectCtxClient      *client);

/* Records every run of this process not over Crashed with @message
 * (engine.c); prefectctx-signals.c calls it. */
void                  _prefect_ctx_engine_crash_all     (const char            *message);

G_END_DECLS
