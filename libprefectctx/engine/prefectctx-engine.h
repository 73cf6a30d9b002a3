/* prefectctx-engine.h: running flows, tasks and subflows (layer 6)
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
#include "contexts/prefectctx-run-context.h"
#include "models/prefectctx-flow.h"
#include "models/prefectctx-task.h"
#include "engine/prefectctx-run-options.h"
#include "engine/prefectctx-task-future.h"

G_BEGIN_DECLS

/**
 * PrefectCtxRunFunc:
 * @context: the run context the body runs in: the
 *   [class@PrefectCtx.FlowRunContext] of a flow run, or the
 *   [class@PrefectCtx.TaskRunContext] of a task run
 * @parameters: the parameters of the run, an `a{sv}` dictionary (never
 *   %NULL: empty when the run has none)
 * @user_data: the data given with the body
 * @error: return location for a #GError: set it to make the run fail
 *
 * The body of a flow or a task: the code that runs inside the run.
 *
 * A body returns its result, any #GVariant (a floating one is taken), or
 * %NULL for no result. It fails by setting @error and returning %NULL: the
 * error's message becomes the message of the run's `Failed` state (or of its
 * `AwaitingRetry` state while retries remain), and the caller of the run gets
 * the error.
 *
 * Functions of every introspected language can be bodies: a Python function
 * raising `GLib.Error` or a gjs function throwing, a Vala delegate that
 * `throws`. The Python override also turns any other exception into a
 * failure (see `PrefectCtx.flow`).
 *
 * Returns: (transfer full) (nullable): the result of the run, or %NULL
 */
typedef GVariant *(*PrefectCtxRunFunc) (PrefectCtxRunContext  *context,
                                        GVariant              *parameters,
                                        gpointer               user_data,
                                        GError               **error);

/**
 * PrefectCtxAsyncRunFunc:
 * @context: the run context of the attempt, as for [callback@PrefectCtx.RunFunc]
 * @parameters: the parameters of the run, an `a{sv}` dictionary
 * @cancellable: (nullable): the cancellable of the run, or %NULL
 * @task: the task to complete with the outcome of the body
 * @user_data: the data given with the body
 *
 * The asynchronous body of a flow or a task
 * ([method@PrefectCtx.Flow.run_async], [method@PrefectCtx.Task.call_async]):
 * it starts its work and returns; the attempt is over once it completes
 * @task, now or later, on the same thread:
 *
 * - with a result: prefect_ctx_run_return() (the same as
 *   g_task_return_value() with a #GValue holding a #GVariant), or
 *   `prefect_ctx_run_return (task, NULL)` for none;
 * - with a failure: g_task_return_error() or g_task_return_new_error(),
 *   whose message becomes the state message as for a synchronous body;
 *   %G_IO_ERROR_CANCELLED records the run `Cancelled`.
 *
 * @task belongs to the engine: take a reference to complete it later. Once
 * @cancellable is cancelled, the task reports %G_IO_ERROR_CANCELLED
 * whatever it was completed with. A task completed with
 * g_task_return_pointer() fails the run.
 *
 * The body is called with the attempt's contexts current, but callbacks it
 * leaves to the main loop run with whatever is current then: bind them to
 * the run with [func@PrefectCtx.source_set_callback],
 * `PREFECT_CTX_BIND_ASYNC_READY()` or [method@PrefectCtx.Snapshot.wrap_closure]
 * (with a snapshot captured in the body) to see the run's contexts.
 */
typedef void (*PrefectCtxAsyncRunFunc) (PrefectCtxRunContext  *context,
                                        GVariant              *parameters,
                                        GCancellable          *cancellable,
                                        GTask                 *task,
                                        gpointer               user_data);

#define PREFECT_CTX_TYPE_RUN_ENGINE (prefect_ctx_run_engine_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxRunEngine, prefect_ctx_run_engine, PREFECT_CTX, RUN_ENGINE, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxRunEngine  *prefect_ctx_run_engine_new_for_flow   (PrefectCtxFlow        *flow,
                                                             GVariant              *parameters,
                                                             PrefectCtxRunOptions  *options,
                                                             GError               **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxRunEngine  *prefect_ctx_run_engine_new_for_task   (PrefectCtxTask        *task,
                                                             GVariant              *parameters,
                                                             GError               **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxSnapshot   *prefect_ctx_run_engine_begin_attempt  (PrefectCtxRunEngine   *self);
PREFECT_CTX_AVAILABLE_IN_1_0
double                prefect_ctx_run_engine_end_attempt    (PrefectCtxRunEngine   *self,
                                                             GVariant              *result,
                                                             const GError          *body_error);
PREFECT_CTX_AVAILABLE_IN_1_0
double                prefect_ctx_run_engine_end_attempt_ok (PrefectCtxRunEngine   *self,
                                                             GVariant              *result);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_run_engine_cancel         (PrefectCtxRunEngine   *self,
                                                             const char            *message);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant             *prefect_ctx_run_engine_finish         (PrefectCtxRunEngine   *self,
                                                             GError               **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxRunContext *prefect_ctx_run_engine_get_context    (PrefectCtxRunEngine   *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant             *prefect_ctx_run_engine_get_parameters (PrefectCtxRunEngine   *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char           *prefect_ctx_run_engine_get_run_id     (PrefectCtxRunEngine   *self);
PREFECT_CTX_AVAILABLE_IN_1_0
double                prefect_ctx_run_engine_get_timeout_seconds (PrefectCtxRunEngine *self);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxState      *prefect_ctx_run_engine_dup_final_state (PrefectCtxRunEngine  *self);

PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_run_return      (GTask                 *task,
                                                   GVariant              *result);

PREFECT_CTX_AVAILABLE_IN_1_0
GVariant             *prefect_ctx_flow_run_sync   (PrefectCtxFlow        *flow,
                                                   GVariant              *parameters,
                                                   PrefectCtxRunOptions  *options,
                                                   PrefectCtxRunFunc      body,
                                                   gpointer               user_data,
                                                   GError               **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_flow_run_async  (PrefectCtxFlow        *flow,
                                                   GVariant              *parameters,
                                                   PrefectCtxRunOptions  *options,
                                                   PrefectCtxAsyncRunFunc body,
                                                   gpointer               body_data,
                                                   GDestroyNotify         body_destroy,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant             *prefect_ctx_flow_run_finish (PrefectCtxFlow        *flow,
                                                   GAsyncResult          *result,
                                                   GError               **error);

PREFECT_CTX_AVAILABLE_IN_1_0
GVariant             *prefect_ctx_task_call       (PrefectCtxTask        *task,
                                                   GVariant              *parameters,
                                                   PrefectCtxRunFunc      body,
                                                   gpointer               user_data,
                                                   GError               **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_task_call_async (PrefectCtxTask        *task,
                                                   GVariant              *parameters,
                                                   PrefectCtxAsyncRunFunc body,
                                                   gpointer               body_data,
                                                   GDestroyNotify         body_destroy,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant             *prefect_ctx_task_call_finish (PrefectCtxTask       *task,
                                                   GAsyncResult          *result,
                                                   GError               **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTaskFuture *prefect_ctx_task_submit     (PrefectCtxTask        *task,
                                                   GVariant              *parameters,
                                                   PrefectCtxRunFunc      body,
                                                   gpointer               user_data,
                                                   GDestroyNotify         destroy,
                                                   GError               **error);

PREFECT_CTX_AVAILABLE_IN_1_0
char                 *prefect_ctx_generate_run_name (void);

PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_install_log_writer (void);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean              prefect_ctx_flush_logs        (GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_install_signal_handlers (void);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean              prefect_ctx_run_log           (int                   level,
                                                     const char           *message,
                                                     GError              **error);

G_END_DECLS
