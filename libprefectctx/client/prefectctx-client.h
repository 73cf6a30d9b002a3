/* prefectctx-client.h: the interface of a run store (local SQLite or a Prefect server)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__PREFECT_CTX_INSIDE__) && !defined(PREFECT_CTX_COMPILATION)
# error "Only <prefectctx.h> can be included directly."
#endif

#include <gio/gio.h>

#include "prefectctx-version.h"
#include "models/prefectctx-state.h"
#include "models/prefectctx-flow.h"
#include "models/prefectctx-flow-run.h"
#include "models/prefectctx-task-run.h"
#include "models/prefectctx-deployment.h"
#include "models/prefectctx-log-entry.h"

G_BEGIN_DECLS

#define PREFECT_CTX_TYPE_CLIENT (prefect_ctx_client_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_INTERFACE (PrefectCtxClient, prefect_ctx_client, PREFECT_CTX, CLIENT, GObject)

/**
 * PREFECT_CTX_CLIENT_ANY_STATE:
 *
 * The state type filter of [method@PrefectCtx.Client.read_flow_runs] that
 * matches every run (-1).
 */
#define PREFECT_CTX_CLIENT_ANY_STATE (-1)

/**
 * PrefectCtxClientInterface:
 * @g_iface: the parent interface
 * @create_flow: the blocking implementation of
 *   [method@PrefectCtx.Client.create_flow]
 * @create_flow_async: starts [method@PrefectCtx.Client.create_flow_async];
 *   the default runs @create_flow in a worker thread
 * @create_flow_finish: finishes @create_flow_async
 * @read_flow: the blocking implementation of
 *   [method@PrefectCtx.Client.read_flow]
 * @read_flow_async: starts [method@PrefectCtx.Client.read_flow_async]
 * @read_flow_finish: finishes @read_flow_async
 * @create_flow_run: the blocking implementation of
 *   [method@PrefectCtx.Client.create_flow_run]
 * @create_flow_run_async: starts
 *   [method@PrefectCtx.Client.create_flow_run_async]
 * @create_flow_run_finish: finishes @create_flow_run_async
 * @read_flow_run: the blocking implementation of
 *   [method@PrefectCtx.Client.read_flow_run]
 * @read_flow_run_async: starts [method@PrefectCtx.Client.read_flow_run_async]
 * @read_flow_run_finish: finishes @read_flow_run_async
 * @read_flow_runs: the blocking implementation of
 *   [method@PrefectCtx.Client.read_flow_runs]
 * @read_flow_runs_async: starts
 *   [method@PrefectCtx.Client.read_flow_runs_async]
 * @read_flow_runs_finish: finishes @read_flow_runs_async
 * @set_flow_run_state: the blocking implementation of
 *   [method@PrefectCtx.Client.set_flow_run_state]
 * @set_flow_run_state_async: starts
 *   [method@PrefectCtx.Client.set_flow_run_state_async]
 * @set_flow_run_state_finish: finishes @set_flow_run_state_async
 * @read_flow_run_states: the blocking implementation of
 *   [method@PrefectCtx.Client.read_flow_run_states]
 * @read_flow_run_states_async: starts
 *   [method@PrefectCtx.Client.read_flow_run_states_async]
 * @read_flow_run_states_finish: finishes @read_flow_run_states_async
 * @create_task_run: the blocking implementation of
 *   [method@PrefectCtx.Client.create_task_run]
 * @create_task_run_async: starts
 *   [method@PrefectCtx.Client.create_task_run_async]
 * @create_task_run_finish: finishes @create_task_run_async
 * @read_task_run: the blocking implementation of
 *   [method@PrefectCtx.Client.read_task_run]
 * @read_task_run_async: starts [method@PrefectCtx.Client.read_task_run_async]
 * @read_task_run_finish: finishes @read_task_run_async
 * @read_task_runs: the blocking implementation of
 *   [method@PrefectCtx.Client.read_task_runs]
 * @read_task_runs_async: starts
 *   [method@PrefectCtx.Client.read_task_runs_async]
 * @read_task_runs_finish: finishes @read_task_runs_async
 * @set_task_run_state: the blocking implementation of
 *   [method@PrefectCtx.Client.set_task_run_state]
 * @set_task_run_state_async: starts
 *   [method@PrefectCtx.Client.set_task_run_state_async]
 * @set_task_run_state_finish: finishes @set_task_run_state_async
 * @read_task_run_states: the blocking implementation of
 *   [method@PrefectCtx.Client.read_task_run_states]
 * @read_task_run_states_async: starts
 *   [method@PrefectCtx.Client.read_task_run_states_async]
 * @read_task_run_states_finish: finishes @read_task_run_states_async
 * @count_task_runs: the blocking implementation of
 *   [method@PrefectCtx.Client.count_task_runs]
 * @count_task_runs_async: starts
 *   [method@PrefectCtx.Client.count_task_runs_async]
 * @count_task_runs_finish: finishes @count_task_runs_async
 * @create_logs: the blocking implementation of
 *   [method@PrefectCtx.Client.create_logs]
 * @create_logs_async: starts [method@PrefectCtx.Client.create_logs_async]
 * @create_logs_finish: finishes @create_logs_async
 * @read_logs: the blocking implementation of
 *   [method@PrefectCtx.Client.read_logs]
 * @read_logs_async: starts [method@PrefectCtx.Client.read_logs_async]
 * @read_logs_finish: finishes @read_logs_async
 * @create_deployment: the blocking implementation of
 *   [method@PrefectCtx.Client.create_deployment]
 * @create_deployment_async: starts
 *   [method@PrefectCtx.Client.create_deployment_async]
 * @create_deployment_finish: finishes @create_deployment_async
 * @read_deployment: the blocking implementation of
 *   [method@PrefectCtx.Client.read_deployment]
 * @read_deployment_async: starts
 *   [method@PrefectCtx.Client.read_deployment_async]
 * @read_deployment_finish: finishes @read_deployment_async
 * @create_task_run_and_set_state: the blocking implementation of
 *   [method@PrefectCtx.Client.create_task_run_and_set_state]; the default
 *   calls @create_task_run, @set_task_run_state and @read_task_run
 *
 * The virtual methods of [iface@PrefectCtx.Client].
 *
 * An implementation provides every blocking method; they are called from
 * many threads at once, so they must be thread-safe. The `_async` and
 * `_finish` pairs have default implementations that run the blocking method
 * in a worker thread with a [class@Gio.Task]; an implementation with a
 * native asynchronous transport (such as an HTTP client) overrides both
 * methods of a pair.
 */
struct _PrefectCtxClientInterface
{
  GTypeInterface g_iface;

  /* flows */
  PrefectCtxFlow       *(*create_flow)                (PrefectCtxClient     *self,
                                                       PrefectCtxFlow       *flow,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
  void                  (*create_flow_async)          (PrefectCtxClient     *self,
                                                       PrefectCtxFlow       *flow,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
  PrefectCtxFlow       *(*create_flow_finish)         (PrefectCtxClient     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

  PrefectCtxFlow       *(*read_flow)                  (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
  void                  (*read_flow_async)            (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
  PrefectCtxFlow       *(*read_flow_finish)           (PrefectCtxClient     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

  /* flow runs */
  PrefectCtxFlowRun    *(*create_flow_run)            (PrefectCtxClient     *self,
                                                       PrefectCtxFlowRun    *flow_run,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
  void                  (*create_flow_run_async)      (PrefectCtxClient     *self,
                                                       PrefectCtxFlowRun    *flow_run,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
  PrefectCtxFlowRun    *(*create_flow_run_finish)     (PrefectCtxClient     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

  PrefectCtxFlowRun    *(*read_flow_run)              (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
  void                  (*read_flow_run_async)        (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
  PrefectCtxFlowRun    *(*read_flow_run_finish)       (PrefectCtxClient     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

  GListModel           *(*read_flow_runs)             (PrefectCtxClient     *self,
                                                       int                   state_type,
                                                       guint                 limit,
                                                       guint                 offset,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
  void                  (*read_flow_runs_async)       (PrefectCtxClient     *self,
                                                       int                   state_type,
                                                       guint                 limit,
                                                       guint                 offset,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
  GListModel           *(*read_flow_runs_finish)      (PrefectCtxClient     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

  PrefectCtxState      *(*set_flow_run_state)         (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       PrefectCtxState      *state,
                                                       gboolean              force,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
  void                  (*set_flow_run_state_async)   (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       PrefectCtxState      *state,
                                                       gboolean              force,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
  PrefectCtxState      *(*set_flow_run_state_finish)  (PrefectCtxClient     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

  GListModel           *(*read_flow_run_states)       (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
  void                  (*read_flow_run_states_async) (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
  GListModel           *(*read_flow_run_states_finish) (PrefectCtxClient    *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

  /* task runs */
  PrefectCtxTaskRun    *(*create_task_run)            (PrefectCtxClient     *self,
                                                       PrefectCtxTaskRun    *task_run,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
  void                  (*create_task_run_async)      (PrefectCtxClient     *self,
                                                       PrefectCtxTaskRun    *task_run,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
  PrefectCtxTaskRun    *(*create_task_run_finish)     (PrefectCtxClient     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

  PrefectCtxTaskRun    *(*read_task_run)              (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
  void                  (*read_task_run_async)        (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
  PrefectCtxTaskRun    *(*read_task_run_finish)       (PrefectCtxClient     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

  GListModel           *(*read_task_runs)             (PrefectCtxClient     *self,
                                                       const char           *flow_run_id,
                                                       guint                 limit,
                                                       guint                 offset,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
  void                  (*read_task_runs_async)       (PrefectCtxClient     *self,
                                                       const char           *flow_run_id,
                                                       guint                 limit,
                                                       guint                 offset,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
  GListModel           *(*read_task_runs_finish)      (PrefectCtxClient     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

  PrefectCtxState      *(*set_task_run_state)         (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       PrefectCtxState      *state,
                                                       gboolean              force,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
  void                  (*set_task_run_state_async)   (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       PrefectCtxState      *state,
                                                       gboolean              force,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
  PrefectCtxState      *(*set_task_run_state_finish)  (PrefectCtxClient     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

  GListModel           *(*read_task_run_states)       (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
  void                  (*read_task_run_states_async) (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
  GListModel           *(*read_task_run_states_finish) (PrefectCtxClient    *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

  guint                 (*count_task_runs)            (PrefectCtxClient     *self,
                                                       const char           *flow_run_id,
                                                       gboolean              finished_only,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
  void                  (*count_task_runs_async)      (PrefectCtxClient     *self,
                                                       const char           *flow_run_id,
                                                       gboolean              finished_only,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
  guint                 (*count_task_runs_finish)     (PrefectCtxClient     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

  /* logs */
  gboolean              (*create_logs)                (PrefectCtxClient     *self,
                                                       GPtrArray            *logs,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
  void                  (*create_logs_async)          (PrefectCtxClient     *self,
                                                       GPtrArray            *logs,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
  gboolean              (*create_logs_finish)         (PrefectCtxClient     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

  GListModel           *(*read_logs)                  (PrefectCtxClient     *self,
                                                       const char           *flow_run_id,
                                                       GDateTime            *after,
                                                       GDateTime            *before,
                                                       guint                 limit,
                                                       guint                 offset,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
  void                  (*read_logs_async)            (PrefectCtxClient     *self,
                                                       const char           *flow_run_id,
                                                       GDateTime            *after,
                                                       GDateTime            *before,
                                                       guint                 limit,
                                                       guint                 offset,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
  GListModel           *(*read_logs_finish)           (PrefectCtxClient     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

  /* deployments */
  PrefectCtxDeployment *(*create_deployment)          (PrefectCtxClient     *self,
                                                       PrefectCtxDeployment *deployment,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
  void                  (*create_deployment_async)    (PrefectCtxClient     *self,
                                                       PrefectCtxDeployment *deployment,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
  PrefectCtxDeployment *(*create_deployment_finish)   (PrefectCtxClient     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

  PrefectCtxDeployment *(*read_deployment)            (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
  void                  (*read_deployment_async)      (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
  PrefectCtxDeployment *(*read_deployment_finish)     (PrefectCtxClient     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

  /* task runs, continued */
  PrefectCtxTaskRun    *(*create_task_run_and_set_state) (PrefectCtxClient  *self,
                                                          PrefectCtxTaskRun *task_run,
                                                          PrefectCtxState   *state,
                                                          GCancellable      *cancellable,
                                                          GError           **error);

  /*< private >*/
  gpointer padding[15];
};

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxClient     *prefect_ctx_client_get_default              (GError              **error);

/* flows */
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlow       *prefect_ctx_client_create_flow              (PrefectCtxClient     *self,
                                                                   PrefectCtxFlow       *flow,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_create_flow_async        (PrefectCtxClient     *self,
                                                                   PrefectCtxFlow       *flow,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlow       *prefect_ctx_client_create_flow_finish       (PrefectCtxClient     *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlow       *prefect_ctx_client_read_flow                (PrefectCtxClient     *self,
                                                                   const char           *id,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_read_flow_async          (PrefectCtxClient     *self,
                                                                   const char           *id,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlow       *prefect_ctx_client_read_flow_finish         (PrefectCtxClient     *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

/* flow runs */
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowRun    *prefect_ctx_client_create_flow_run          (PrefectCtxClient     *self,
                                                                   PrefectCtxFlowRun    *flow_run,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_create_flow_run_async    (PrefectCtxClient     *self,
                                                                   PrefectCtxFlowRun    *flow_run,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowRun    *prefect_ctx_client_create_flow_run_finish   (PrefectCtxClient     *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowRun    *prefect_ctx_client_read_flow_run            (PrefectCtxClient     *self,
                                                                   const char           *id,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_read_flow_run_async      (PrefectCtxClient     *self,
                                                                   const char           *id,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxFlowRun    *prefect_ctx_client_read_flow_run_finish     (PrefectCtxClient     *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

PREFECT_CTX_AVAILABLE_IN_1_0
GListModel           *prefect_ctx_client_read_flow_runs           (PrefectCtxClient     *self,
                                                                   int                   state_type,
                                                                   guint                 limit,
                                                                   guint                 offset,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_read_flow_runs_async     (PrefectCtxClient     *self,
                                                                   int                   state_type,
                                                                   guint                 limit,
                                                                   guint                 offset,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
GListModel           *prefect_ctx_client_read_flow_runs_finish    (PrefectCtxClient     *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxState      *prefect_ctx_client_set_flow_run_state       (PrefectCtxClient     *self,
                                                                   const char           *id,
                                                                   PrefectCtxState      *state,
                                                                   gboolean              force,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_set_flow_run_state_async (PrefectCtxClient     *self,
                                                                   const char           *id,
                                                                   PrefectCtxState      *state,
                                                                   gboolean              force,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxState      *prefect_ctx_client_set_flow_run_state_finish (PrefectCtxClient    *self,
                                                                    GAsyncResult        *result,
                                                                    GError             **error);

PREFECT_CTX_AVAILABLE_IN_1_0
GListModel           *prefect_ctx_client_read_flow_run_states     (PrefectCtxClient     *self,
                                                                   const char           *id,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_read_flow_run_states_async (PrefectCtxClient   *self,
                                                                     const char         *id,
                                                                     GCancellable       *cancellable,
                                                                     GAsyncReadyCallback callback,
                                                                     gpointer            user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
GListModel           *prefect_ctx_client_read_flow_run_states_finish (PrefectCtxClient  *self,
                                                                      GAsyncResult      *result,
                                                                      GError           **error);

/* task runs */
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTaskRun    *prefect_ctx_client_create_task_run          (PrefectCtxClient     *self,
                                                                   PrefectCtxTaskRun    *task_run,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_create_task_run_async    (PrefectCtxClient     *self,
                                                                   PrefectCtxTaskRun    *task_run,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTaskRun    *prefect_ctx_client_create_task_run_finish   (PrefectCtxClient     *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTaskRun    *prefect_ctx_client_create_task_run_and_set_state (PrefectCtxClient  *self,
                                                                        PrefectCtxTaskRun *task_run,
                                                                        PrefectCtxState   *state,
                                                                        GCancellable      *cancellable,
                                                                        GError           **error);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTaskRun    *prefect_ctx_client_read_task_run            (PrefectCtxClient     *self,
                                                                   const char           *id,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_read_task_run_async      (PrefectCtxClient     *self,
                                                                   const char           *id,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTaskRun    *prefect_ctx_client_read_task_run_finish     (PrefectCtxClient     *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

PREFECT_CTX_AVAILABLE_IN_1_0
GListModel           *prefect_ctx_client_read_task_runs           (PrefectCtxClient     *self,
                                                                   const char           *flow_run_id,
                                                                   guint                 limit,
                                                                   guint                 offset,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_read_task_runs_async     (PrefectCtxClient     *self,
                                                                   const char           *flow_run_id,
                                                                   guint                 limit,
                                                                   guint                 offset,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
GListModel           *prefect_ctx_client_read_task_runs_finish    (PrefectCtxClient     *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxState      *prefect_ctx_client_set_task_run_state       (PrefectCtxClient     *self,
                                                                   const char           *id,
                                                                   PrefectCtxState      *state,
                                                                   gboolean              force,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_set_task_run_state_async (PrefectCtxClient     *self,
                                                                   const char           *id,
                                                                   PrefectCtxState      *state,
                                                                   gboolean              force,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxState      *prefect_ctx_client_set_task_run_state_finish (PrefectCtxClient    *self,
                                                                    GAsyncResult        *result,
                                                                    GError             **error);

PREFECT_CTX_AVAILABLE_IN_1_0
GListModel           *prefect_ctx_client_read_task_run_states     (PrefectCtxClient     *self,
                                                                   const char           *id,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_read_task_run_states_async (PrefectCtxClient   *self,
                                                                     const char         *id,
                                                                     GCancellable       *cancellable,
                                                                     GAsyncReadyCallback callback,
                                                                     gpointer            user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
GListModel           *prefect_ctx_client_read_task_run_states_finish (PrefectCtxClient  *self,
                                                                      GAsyncResult      *result,
                                                                      GError           **error);

PREFECT_CTX_AVAILABLE_IN_1_0
guint                 prefect_ctx_client_count_task_runs          (PrefectCtxClient     *self,
                                                                   const char           *flow_run_id,
                                                                   gboolean              finished_only,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_count_task_runs_async    (PrefectCtxClient     *self,
                                                                   const char           *flow_run_id,
                                                                   gboolean              finished_only,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
guint                 prefect_ctx_client_count_task_runs_finish   (PrefectCtxClient     *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

/* logs */
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean              prefect_ctx_client_create_logs              (PrefectCtxClient     *self,
                                                                   GPtrArray            *logs,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_create_logs_async        (PrefectCtxClient     *self,
                                                                   GPtrArray            *logs,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean              prefect_ctx_client_create_logs_finish       (PrefectCtxClient     *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

PREFECT_CTX_AVAILABLE_IN_1_0
GListModel           *prefect_ctx_client_read_logs                (PrefectCtxClient     *self,
                                                                   const char           *flow_run_id,
                                                                   GDateTime            *after,
                                                                   GDateTime            *before,
                                                                   guint                 limit,
                                                                   guint                 offset,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_read_logs_async          (PrefectCtxClient     *self,
                                                                   const char           *flow_run_id,
                                                                   GDateTime            *after,
                                                                   GDateTime            *before,
                                                                   guint                 limit,
                                                                   guint                 offset,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
GListModel           *prefect_ctx_client_read_logs_finish         (PrefectCtxClient     *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

/* deployments */
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxDeployment *prefect_ctx_client_create_deployment        (PrefectCtxClient     *self,
                                                                   PrefectCtxDeployment *deployment,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_create_deployment_async  (PrefectCtxClient     *self,
                                                                   PrefectCtxDeployment *deployment,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxDeployment *prefect_ctx_client_create_deployment_finish (PrefectCtxClient     *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxDeployment *prefect_ctx_client_read_deployment          (PrefectCtxClient     *self,
                                                                   const char           *id,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_read_deployment_async    (PrefectCtxClient     *self,
                                                                   const char           *id,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxDeployment *prefect_ctx_client_read_deployment_finish   (PrefectCtxClient     *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

G_END_DECLS
