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
 * @read_flow: the blocking implementation of
 *   [method@PrefectCtx.Client.read_flow]
 * @create_flow_run: the blocking implementation of
 *   [method@PrefectCtx.Client.create_flow_run]
 * @read_flow_run: the blocking implementation of
 *   [method@PrefectCtx.Client.read_flow_run]
 * @read_flow_runs: the blocking implementation of
 *   [method@PrefectCtx.Client.read_flow_runs]
 * @set_flow_run_state: the blocking implementation of
 *   [method@PrefectCtx.Client.set_flow_run_state]
 * @read_flow_run_states: the blocking implementation of
 *   [method@PrefectCtx.Client.read_flow_run_states]
 * @create_task_run: the blocking implementation of
 *   [method@PrefectCtx.Client.create_task_run]
 * @read_task_run: the blocking implementation of
 *   [method@PrefectCtx.Client.read_task_run]
 * @read_task_runs: the blocking implementation of
 *   [method@PrefectCtx.Client.read_task_runs]
 * @set_task_run_state: the blocking implementation of
 *   [method@PrefectCtx.Client.set_task_run_state]
 * @read_task_run_states: the blocking implementation of
 *   [method@PrefectCtx.Client.read_task_run_states]
 * @count_task_runs: the blocking implementation of
 *   [method@PrefectCtx.Client.count_task_runs]
 * @create_logs: the blocking implementation of
 *   [method@PrefectCtx.Client.create_logs]
 * @read_logs: the blocking implementation of
 *   [method@PrefectCtx.Client.read_logs]
 * @create_deployment: the blocking implementation of
 *   [method@PrefectCtx.Client.create_deployment]
 * @read_deployment: the blocking implementation of
 *   [method@PrefectCtx.Client.read_deployment]
 * @create_task_run_and_set_state: the blocking implementation of
 *   [method@PrefectCtx.Client.create_task_run_and_set_state]; the default
 *   calls @create_task_run, @set_task_run_state and @read_task_run
 * @read_logs_since: the blocking implementation of
 *   [method@PrefectCtx.Client.read_logs_since], or %NULL for a store that
 *   cannot read its logs by position (the method then fails with
 *   %G_IO_ERROR_NOT_SUPPORTED)
 * @flush: the blocking implementation of [method@PrefectCtx.Client.flush],
 *   or %NULL for a client that queues no write (the method then succeeds at
 *   once)
 * @read_latest_task_runs: the blocking implementation of
 *   [method@PrefectCtx.Client.read_latest_task_runs], or %NULL (the method
 *   then fails with %G_IO_ERROR_NOT_SUPPORTED)
 * @read_flows: the blocking implementation of
 *   [method@PrefectCtx.Client.read_flows], or %NULL (the method then fails
 *   with %G_IO_ERROR_NOT_SUPPORTED)
 * @read_deployments: the blocking implementation of
 *   [method@PrefectCtx.Client.read_deployments], or %NULL (the method then
 *   fails with %G_IO_ERROR_NOT_SUPPORTED)
 * @delete_flow_run: the blocking implementation of
 *   [method@PrefectCtx.Client.delete_flow_run], or %NULL (the method then
 *   fails with %G_IO_ERROR_NOT_SUPPORTED)
 *
 * The virtual methods of [iface@PrefectCtx.Client].
 *
 * An implementation provides every blocking method; they are called from
 * many threads at once, so they must be thread-safe. The `_async` and
 * `_finish` functions of [iface@PrefectCtx.Client] are not virtual: each
 * runs its blocking method in a worker thread with a [class@Gio.Task],
 * with the caller's contexts (as GAsyncInitable's default runs
 * g_initable_init()), so that one operation is one method to implement.
 */
struct _PrefectCtxClientInterface
{
  GTypeInterface g_iface;

  /* flows */
  PrefectCtxFlow       *(*create_flow)                (PrefectCtxClient     *self,
                                                       PrefectCtxFlow       *flow,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  PrefectCtxFlow       *(*read_flow)                  (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  /* flow runs */
  PrefectCtxFlowRun    *(*create_flow_run)            (PrefectCtxClient     *self,
                                                       PrefectCtxFlowRun    *flow_run,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  PrefectCtxFlowRun    *(*read_flow_run)              (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  GListModel           *(*read_flow_runs)             (PrefectCtxClient     *self,
                                                       int                   state_type,
                                                       guint                 limit,
                                                       guint                 offset,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  PrefectCtxState      *(*set_flow_run_state)         (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       PrefectCtxState      *state,
                                                       gboolean              force,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  GListModel           *(*read_flow_run_states)       (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  /* task runs */
  PrefectCtxTaskRun    *(*create_task_run)            (PrefectCtxClient     *self,
                                                       PrefectCtxTaskRun    *task_run,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  PrefectCtxTaskRun    *(*read_task_run)              (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  GListModel           *(*read_task_runs)             (PrefectCtxClient     *self,
                                                       const char           *flow_run_id,
                                                       guint                 limit,
                                                       guint                 offset,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  PrefectCtxState      *(*set_task_run_state)         (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       PrefectCtxState      *state,
                                                       gboolean              force,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  GListModel           *(*read_task_run_states)       (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  guint                 (*count_task_runs)            (PrefectCtxClient     *self,
                                                       const char           *flow_run_id,
                                                       gboolean              finished_only,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  /* logs */
  gboolean              (*create_logs)                (PrefectCtxClient     *self,
                                                       GPtrArray            *logs,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  GListModel           *(*read_logs)                  (PrefectCtxClient     *self,
                                                       const char           *flow_run_id,
                                                       GDateTime            *after,
                                                       GDateTime            *before,
                                                       guint                 limit,
                                                       guint                 offset,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  /* deployments */
  PrefectCtxDeployment *(*create_deployment)          (PrefectCtxClient     *self,
                                                       PrefectCtxDeployment *deployment,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  PrefectCtxDeployment *(*read_deployment)            (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  /* task runs, continued */
  PrefectCtxTaskRun    *(*create_task_run_and_set_state) (PrefectCtxClient  *self,
                                                          PrefectCtxTaskRun *task_run,
                                                          PrefectCtxState   *state,
                                                          GCancellable      *cancellable,
                                                          GError           **error);

  /* logs, continued */
  GListModel           *(*read_logs_since)            (PrefectCtxClient     *self,
                                                       const char           *flow_run_id,
                                                       guint64              *cursor,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  gboolean              (*flush)                      (PrefectCtxClient     *self,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  GListModel           *(*read_latest_task_runs)      (PrefectCtxClient     *self,
                                                       const char           *flow_run_id,
                                                       guint                 limit,
                                                       guint                 offset,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  GListModel           *(*read_flows)                 (PrefectCtxClient     *self,
                                                       guint                 limit,
                                                       guint                 offset,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  GListModel           *(*read_deployments)           (PrefectCtxClient     *self,
                                                       guint                 limit,
                                                       guint                 offset,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  gboolean              (*delete_flow_run)            (PrefectCtxClient     *self,
                                                       const char           *id,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

  /*< private >*/
  gpointer padding[9];
};


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
GListModel           *prefect_ctx_client_read_latest_task_runs    (PrefectCtxClient     *self,
                                                                   const char           *flow_run_id,
                                                                   guint                 limit,
                                                                   guint                 offset,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_read_latest_task_runs_async (PrefectCtxClient  *self,
                                                                   const char           *flow_run_id,
                                                                   guint                 limit,
                                                                   guint                 offset,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
GListModel           *prefect_ctx_client_read_latest_task_runs_finish (PrefectCtxClient *self,
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
PREFECT_CTX_AVAILABLE_IN_1_0
GListModel           *prefect_ctx_client_read_logs_since          (PrefectCtxClient     *self,
                                                                   const char           *flow_run_id,
                                                                   guint64              *cursor,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_read_logs_since_async    (PrefectCtxClient     *self,
                                                                   const char           *flow_run_id,
                                                                   guint64               cursor,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
GListModel           *prefect_ctx_client_read_logs_since_finish   (PrefectCtxClient     *self,
                                                                   GAsyncResult         *result,
                                                                   guint64              *cursor,
                                                                   GError              **error);

/* queued writes */
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean              prefect_ctx_client_flush                    (PrefectCtxClient     *self,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_flush_async              (PrefectCtxClient     *self,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean              prefect_ctx_client_flush_finish             (PrefectCtxClient     *self,
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


PREFECT_CTX_AVAILABLE_IN_1_0
GListModel           *prefect_ctx_client_read_flows               (PrefectCtxClient     *self,
                                                                   guint                 limit,
                                                                   guint                 offset,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_read_flows_async         (PrefectCtxClient     *self,
                                                                   guint                 limit,
                                                                   guint                 offset,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
GListModel           *prefect_ctx_client_read_flows_finish        (PrefectCtxClient     *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

PREFECT_CTX_AVAILABLE_IN_1_0
GListModel           *prefect_ctx_client_read_deployments         (PrefectCtxClient     *self,
                                                                   guint                 limit,
                                                                   guint                 offset,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_read_deployments_async   (PrefectCtxClient     *self,
                                                                   guint                 limit,
                                                                   guint                 offset,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
GListModel           *prefect_ctx_client_read_deployments_finish  (PrefectCtxClient     *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

PREFECT_CTX_AVAILABLE_IN_1_0
gboolean              prefect_ctx_client_delete_flow_run          (PrefectCtxClient     *self,
                                                                   const char           *id,
                                                                   GCancellable         *cancellable,
                                                                   GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                  prefect_ctx_client_delete_flow_run_async    (PrefectCtxClient     *self,
                                                                   const char           *id,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean              prefect_ctx_client_delete_flow_run_finish   (PrefectCtxClient     *self,
                                                                   GAsyncResult         *result,
                                                                   GError              **error);

G_END_DECLS
