/* prefectctx-engine-private.h: what the engine's files share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "models/prefectctx-client.h"
#include "engine/prefectctx-task-future.h"
#include "models/prefectctx-log-entry.h"
#include "prefectctx-tsan-private.h"
#include "engine/prefectctx-engine.h"
#include "contexts/prefectctx-run-context.h"
#include "contexts/prefectctx-flow-run-context.h"
#include "models/prefectctx-task.h"
#include "models/prefectctx-task-run.h"

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


/* ---------------------------------------------------------------------------
 * How runs are recorded (prefectctx-engine-records.c): run names, the
 * states of attempts, the worker pool of a flow run, task runs, the parent
 * task run and scopes of a flow run. prefectctx-engine.c drives them. */

#define FLOW_RUN_LOGGER "prefect.flow_runs"
#define TASK_RUN_LOGGER "prefect.task_runs"

/* Where a run's states and log lines go: the task run @task_run_id when it
 * is set, else the flow run @flow_run_id. */
typedef struct
{
  PrefectCtxClient     *client;
  const char           *flow_run_id;
  const char           *task_run_id;
  PrefectCtxTaskFuture *future;     /* told every state, or NULL */
} RunRecorder;

typedef enum
{
  ATTEMPT_FINISHED,     /* the final state is recorded */
  ATTEMPT_RETRY,        /* AwaitingRetry is recorded; the delay is to wait */
  ATTEMPT_STORE_FAILED, /* @error is set */
  ATTEMPT_CANCELLED,    /* the run was cancelled from outside (see
                         * recorder_settle_cancelled ()): it is recorded
                         * Cancelled, and *final_state has that state */
} AttemptEnd;

typedef struct
{
  gatomicrefcount  ref;
  GMutex           lock;
  GCond            cond;
  guint            outstanding;
  GThreadPool     *pool;
  int              max_workers;
  gboolean         closed;        /* the flow run is over */
  GHashTable      *futures;       /* task run ID -> PrefectCtxTaskFuture of
                                   * each submission, until closed */
} EngineRun;

typedef struct
{
  PrefectCtxTask       *task;
  GVariant             *parameters;     /* a{sv}, sunk */
  PrefectCtxRunFunc     body;
  gpointer              user_data;
  GDestroyNotify        destroy;
  PrefectCtxClient     *client;
  PrefectCtxTaskRun    *task_run;       /* as created */
  PrefectCtxState      *running;        /* the first Running state, when recorded
                                         * with the task run, until used */
  gboolean              log_prints;

  /* submitted runs only */
  PrefectCtxTaskFuture *future;
  EngineRun            *engine_run;     /* counts it as outstanding, or NULL */
} TaskInvocation;

GVariant *engine_check_parameters (GVariant    *parameters,
                                   const char  *what,
                                   GError     **error);
GStrv engine_union_tags (const char * const *a,
                         const char * const *b,
                         const char * const *c);
PrefectCtxClient *engine_choose_client (PrefectCtxClient  *preferred,
                                        GError           **error);
PrefectCtxState *engine_new_state (PrefectCtxStateType  type,
                                   const char          *name,
                                   const char          *message);
char *engine_finished_line (PrefectCtxState *state);
void engine_sleep_seconds (double seconds);
PrefectCtxState *recorder_set_state (const RunRecorder    *rec,
                                     PrefectCtxStateType   type,
                                     const char           *name,
                                     const char           *message,
                                     GError              **error);
void recorder_log (const RunRecorder *rec,
                   int                level,
                   const char        *message);
PrefectCtxState *recorder_force_state (const RunRecorder    *rec,
                                       PrefectCtxStateType   type,
                                       const char           *name,
                                       const char           *message,
                                       GError              **error);
PrefectCtxState *recorder_start_attempt (const RunRecorder  *rec,
                                         int                 attempt,
                                         GError            **error);
char *engine_python_float (double value);
gboolean recorder_settle_cancelled (const RunRecorder    *rec,
                                    PrefectCtxStateType   proposed,
                                    PrefectCtxState     **stored,
                                    GError              **error);
AttemptEnd recorder_end_attempt (const RunRecorder  *rec,
                                 const GError       *body_error,
                                 gboolean            timed_out,
                                 int                 attempt,
                                 int                 retries,
                                 double              delay,
                                 PrefectCtxState   **final_state,
                                 GError            **error);
GQuark engine_run_quark (void);
EngineRun *engine_run_new (int max_workers);
EngineRun *engine_run_ref (EngineRun *run);
void engine_run_unref (gpointer data);
EngineRun *engine_run_for_context (PrefectCtxFlowRunContext *flow_ctx);
void engine_run_wait_idle (EngineRun *run);
void engine_run_close (EngineRun *run);
char *engine_run_wait_upstreams (EngineRun          *run,
                                 GVariant           *task_inputs,
                                 const char * const *allow_failure);
GThreadPool *engine_default_pool (GError **error);
void task_invocation_free (TaskInvocation *inv);
GVariant *engine_task_inputs (GVariant *parameters);
PrefectCtxTaskRun *engine_create_task_run (PrefectCtxClient    *client,
                                           const char          *name,
                                           const char          *run_name,
                                           const char          *task_key,
                                           GVariant            *task_inputs,
                                           const char * const  *tags,
                                           int                  retries,
                                           double               retry_delay,
                                           gboolean             start_running,
                                           GError             **error);
GVariant *engine_empirical_policy (int    retries,
                                   double retry_delay);
PrefectCtxTaskRun *engine_task_run_for_attempt (PrefectCtxTaskRun *created,
                                                PrefectCtxState   *state,
                                                int                run_count);
TaskInvocation *task_invocation_prepare (PrefectCtxTask     *task,
                                         GVariant           *parameters,
                                         PrefectCtxRunFunc   body,
                                         gpointer            user_data,
                                         GDestroyNotify      destroy,
                                         gboolean            start_running,
                                         GError            **error);
gboolean engine_tags_are_current (const char * const *tags);

const char * const *engine_current_tags (void);
EngineRun *engine_run_for_context (PrefectCtxFlowRunContext *flow_ctx);

G_END_DECLS
