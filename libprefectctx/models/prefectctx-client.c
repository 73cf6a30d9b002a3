/* prefectctx-client.c: the interface of a run store
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-client.h"

#include "prefectctx-error.h"
#include "prefectctx-snapshot.h"
#include "prefectctx-tsan-private.h"

/**
 * PrefectCtxClient:
 *
 * A store of flows, flow runs, task runs, their states, logs and
 * deployments: what the Prefect REST API offers a client (`/flows/`,
 * `/flow_runs/`, `/task_runs/`, `/logs/`, `/deployments/`).
 *
 * [class@PrefectCtx.LocalClient] is the embedded implementation, an SQLite
 * database; [class@PrefectCtx.HttpClient] keeps them on a Prefect server,
 * through its REST API. [func@PrefectCtx.Client.get_default] gives the client the
 * current settings choose.
 *
 * Every operation has a blocking form, which takes a #GCancellable and
 * reports failures as a #GError, and an `_async`/`_finish` pair. Inputs and
 * results are the models of the library ([class@PrefectCtx.Flow],
 * [class@PrefectCtx.FlowRun], [class@PrefectCtx.TaskRun],
 * [class@PrefectCtx.State], [class@PrefectCtx.LogEntry],
 * [class@PrefectCtx.Deployment]); lists are [iface@Gio.ListModel]s of them.
 * Reading something that does not exist is a %PREFECT_CTX_ERROR_NOT_FOUND
 * error whose message is the server's detail text, such as `Flow run not
 * found`.
 *
 * A client is thread-safe: its methods may be called from any number of
 * threads at once.
 */

G_DEFINE_INTERFACE (PrefectCtxClient, prefect_ctx_client, G_TYPE_OBJECT)

static PrefectCtxTaskRun *
default_create_task_run_and_set_state (PrefectCtxClient   *self,
                                       PrefectCtxTaskRun  *task_run,
                                       PrefectCtxState    *state,
                                       GCancellable       *cancellable,
                                       GError            **error)
{
  g_autoptr(PrefectCtxTaskRun) created = NULL;
  g_autoptr(PrefectCtxState) stored = NULL;

  created = prefect_ctx_client_create_task_run (self, task_run, cancellable, error);
  if (created == NULL)
    return NULL;
  stored = prefect_ctx_client_set_task_run_state (self, prefect_ctx_task_run_get_id (created), state,
                                                  FALSE, cancellable, error);
  if (stored == NULL)
    return NULL;
  return prefect_ctx_client_read_task_run (self, prefect_ctx_task_run_get_id (created), cancellable, error);
}

static void
prefect_ctx_client_default_init (PrefectCtxClientInterface *iface)
{
  iface->create_task_run_and_set_state = default_create_task_run_and_set_state;
}

/**
 * prefect_ctx_client_create_flow:
 * @self: a client
 * @flow: the flow to create: its name, version, description and tags
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Creates a flow, as `POST /flows/` does: when a flow of that name exists,
 * the existing flow is returned unchanged; otherwise a new one is stored,
 * with the ID of @flow if it has one (the local store; a Prefect server
 * always chooses its own) or a new UUID.
 *
 * Returns: (transfer full): the flow as stored (with its ID), or %NULL with
 *   @error set
 */
PrefectCtxFlow *
prefect_ctx_client_create_flow (PrefectCtxClient  *self,
                                PrefectCtxFlow    *flow,
                                GCancellable      *cancellable,
                                GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (flow), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PREFECT_CTX_CLIENT_GET_IFACE (self)->create_flow (self, flow, cancellable, error);
}

/**
 * prefect_ctx_client_read_flow:
 * @self: a client
 * @id: the ID of the flow
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads a flow, as `GET /flows/{id}` does. An unknown ID is a
 * %PREFECT_CTX_ERROR_NOT_FOUND error `Flow not found`.
 *
 * Returns: (transfer full): the flow, or %NULL with @error set
 */
PrefectCtxFlow *
prefect_ctx_client_read_flow (PrefectCtxClient  *self,
                              const char        *id,
                              GCancellable      *cancellable,
                              GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PREFECT_CTX_CLIENT_GET_IFACE (self)->read_flow (self, id, cancellable, error);
}

/**
 * prefect_ctx_client_create_flow_run:
 * @self: a client
 * @flow_run: the flow run to create
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Creates a flow run, as `POST /flow_runs/` does, from the
 * [property@PrefectCtx.FlowRun:flow-id], name, flow version, parameters,
 * tags, parent task run ID, deployment ID, expected start time and state of
 * @flow_run. Its ID is kept when it has one and the store allows it (the
 * local store does; a Prefect server chooses its own), otherwise a new UUID
 * is made;
 * the name is kept as given (%NULL stays %NULL: naming runs is the engine's
 * job). The store sets `created`, `updated`, and the expected start time
 * when @flow_run has none. A state, when given, is the run's first state
 * with the bookkeeping of [method@PrefectCtx.Client.set_flow_run_state].
 *
 * Creating a run whose ID exists already is a
 * %PREFECT_CTX_ERROR_INVALID_ARGUMENT error.
 *
 * Returns: (transfer full): the flow run as stored, or %NULL with @error set
 */
PrefectCtxFlowRun *
prefect_ctx_client_create_flow_run (PrefectCtxClient   *self,
                                    PrefectCtxFlowRun  *flow_run,
                                    GCancellable       *cancellable,
                                    GError            **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (flow_run), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PREFECT_CTX_CLIENT_GET_IFACE (self)->create_flow_run (self, flow_run, cancellable, error);
}

/**
 * prefect_ctx_client_read_flow_run:
 * @self: a client
 * @id: the ID of the flow run
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads a flow run, as `GET /flow_runs/{id}` does. An unknown ID is a
 * %PREFECT_CTX_ERROR_NOT_FOUND error `Flow run not found`.
 *
 * Returns: (transfer full): the flow run, or %NULL with @error set
 */
PrefectCtxFlowRun *
prefect_ctx_client_read_flow_run (PrefectCtxClient  *self,
                                  const char        *id,
                                  GCancellable      *cancellable,
                                  GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PREFECT_CTX_CLIENT_GET_IFACE (self)->read_flow_run (self, id, cancellable, error);
}

/**
 * prefect_ctx_client_read_flow_runs:
 * @self: a client
 * @state_type: a #PrefectCtxStateType: only runs whose current state has
 *   this type; or %PREFECT_CTX_CLIENT_ANY_STATE for every run
 * @limit: the largest number of runs to return, 0 for all
 * @offset: how many matching runs to skip
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads flow runs, as `POST /flow_runs/filter` does, newest first (by
 * expected start time, descending). A @state_type that is neither a
 * #PrefectCtxStateType nor %PREFECT_CTX_CLIENT_ANY_STATE is a
 * %PREFECT_CTX_ERROR_INVALID_ARGUMENT error.
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.FlowRun], or
 *   %NULL with @error set
 */
GListModel *
prefect_ctx_client_read_flow_runs (PrefectCtxClient  *self,
                                   int                state_type,
                                   guint              limit,
                                   guint              offset,
                                   GCancellable      *cancellable,
                                   GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PREFECT_CTX_CLIENT_GET_IFACE (self)->read_flow_runs (self, state_type, limit, offset,
                                                              cancellable, error);
}

/**
 * prefect_ctx_client_set_flow_run_state:
 * @self: a client
 * @id: the ID of the flow run
 * @state: the proposed state; without a timestamp, the store stamps it with
 *   the current time
 * @force: whether to skip the server's orchestration rules
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sets the state of a flow run, as `POST /flow_runs/{id}/set_state` does,
 * with the server's bookkeeping: the state becomes the run's current state
 * (`state`, `state_type`, `state_name`) and is added to its history; each
 * transition into a RUNNING state adds one to the run count, and the first
 * sets the start time; a finished state (see
 * [func@PrefectCtx.StateType.is_finished]) sets the end time; the time
 * spent in RUNNING states adds up to the total run time.
 *
 * An unknown ID is a %PREFECT_CTX_ERROR_NOT_FOUND error `Flow run not
 * found`. The local store accepts every transition; a client of a server
 * whose orchestration rules reject or delay the state returns the state the
 * run is in instead (compare its type with the proposed one).
 *
 * Returns: (transfer full): the state of the run afterwards, as stored (with
 *   its timestamp), or %NULL with @error set
 */
PrefectCtxState *
prefect_ctx_client_set_flow_run_state (PrefectCtxClient  *self,
                                       const char        *id,
                                       PrefectCtxState   *state,
                                       gboolean           force,
                                       GCancellable      *cancellable,
                                       GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (PREFECT_CTX_IS_STATE (state), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PREFECT_CTX_CLIENT_GET_IFACE (self)->set_flow_run_state (self, id, state, force,
                                                                  cancellable, error);
}

/**
 * prefect_ctx_client_read_flow_run_states:
 * @self: a client
 * @id: the ID of the flow run
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the state history of a flow run (`GET /flow_run_states/?flow_run_id=`),
 * oldest first (by timestamp, then in the order they were set). An unknown
 * ID is a %PREFECT_CTX_ERROR_NOT_FOUND error `Flow run not found`.
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.State], or
 *   %NULL with @error set
 */
GListModel *
prefect_ctx_client_read_flow_run_states (PrefectCtxClient  *self,
                                         const char        *id,
                                         GCancellable      *cancellable,
                                         GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PREFECT_CTX_CLIENT_GET_IFACE (self)->read_flow_run_states (self, id, cancellable, error);
}

/**
 * prefect_ctx_client_create_task_run:
 * @self: a client
 * @task_run: the task run to create
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Creates a task run, as `POST /task_runs/` does, from the flow run ID
 * (%NULL for a task run outside any flow run), task key, dynamic key, name,
 * tags, map index and state of @task_run. Its ID is kept when it has one
 * and the store allows it (the local store does; a Prefect server chooses
 * its own), otherwise a new UUID is made. A state, when given, is the run's first
 * state with the bookkeeping of [method@PrefectCtx.Client.set_task_run_state].
 *
 * (flow run ID, task key, dynamic key) is unique, as on the server: when a
 * task run with the same three exists, it is returned unchanged. A task run
 * without a task key is a %PREFECT_CTX_ERROR_INVALID_ARGUMENT error.
 *
 * Returns: (transfer full): the task run as stored, or %NULL with @error set
 */
PrefectCtxTaskRun *
prefect_ctx_client_create_task_run (PrefectCtxClient   *self,
                                    PrefectCtxTaskRun  *task_run,
                                    GCancellable       *cancellable,
                                    GError            **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN (task_run), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PREFECT_CTX_CLIENT_GET_IFACE (self)->create_task_run (self, task_run, cancellable, error);
}

/**
 * prefect_ctx_client_create_task_run_and_set_state:
 * @self: a client
 * @task_run: the task run to create
 * @state: the state to set next; without a timestamp, the store stamps it
 *   with the current time, after the first state's
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Creates @task_run as [method@PrefectCtx.Client.create_task_run] does,
 * then sets its state to @state as
 * [method@PrefectCtx.Client.set_task_run_state] does (without force), in
 * one call: the engine records a task run's first two states, `Pending`
 * and `Running`, this way. The history and the bookkeeping are those of
 * the two calls: both states, each with its own timestamp, the run count,
 * start time and end time that @state implies. When a task run with the
 * same (flow run ID, task key, dynamic key) exists, @state is set on that
 * one.
 *
 * A store may do it in one write ([class@PrefectCtx.LocalClient] does: one
 * statement, one commit); the default implementation makes the two calls
 * and reads the task run back. There is no `_async` form: call
 * [method@PrefectCtx.Client.create_task_run_async] and
 * [method@PrefectCtx.Client.set_task_run_state_async] instead.
 *
 * Returns: (transfer full): the task run as stored afterwards (its state is
 *   @state as stored), or %NULL with @error set
 */
PrefectCtxTaskRun *
prefect_ctx_client_create_task_run_and_set_state (PrefectCtxClient   *self,
                                                  PrefectCtxTaskRun  *task_run,
                                                  PrefectCtxState    *state,
                                                  GCancellable       *cancellable,
                                                  GError            **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN (task_run), NULL);
  g_return_val_if_fail (PREFECT_CTX_IS_STATE (state), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PREFECT_CTX_CLIENT_GET_IFACE (self)->create_task_run_and_set_state (self, task_run, state,
                                                                             cancellable, error);
}

/**
 * prefect_ctx_client_read_task_run:
 * @self: a client
 * @id: the ID of the task run
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads a task run, as `GET /task_runs/{id}` does. An unknown ID is a
 * %PREFECT_CTX_ERROR_NOT_FOUND error `Task run not found`.
 *
 * Returns: (transfer full): the task run, or %NULL with @error set
 */
PrefectCtxTaskRun *
prefect_ctx_client_read_task_run (PrefectCtxClient  *self,
                                  const char        *id,
                                  GCancellable      *cancellable,
                                  GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PREFECT_CTX_CLIENT_GET_IFACE (self)->read_task_run (self, id, cancellable, error);
}

/**
 * prefect_ctx_client_read_task_runs:
 * @self: a client
 * @flow_run_id: (nullable): the ID of the flow run, or %NULL for the task
 *   runs of every flow run (and those outside any)
 * @limit: the largest number of task runs to return, 0 for all
 * @offset: how many task runs to skip
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads task runs, as `POST /task_runs/filter` does, in the order they were
 * created (by expected start time, then creation order). A flow run without
 * task runs, or an unknown flow run ID, gives an empty list.
 *
 * A server returns at most 200 runs per call; a client of a server pages
 * with offsets itself, so that @limit 0 still means all.
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.TaskRun], or
 *   %NULL with @error set
 */
GListModel *
prefect_ctx_client_read_task_runs (PrefectCtxClient  *self,
                                   const char        *flow_run_id,
                                   guint              limit,
                                   guint              offset,
                                   GCancellable      *cancellable,
                                   GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PREFECT_CTX_CLIENT_GET_IFACE (self)->read_task_runs (self, flow_run_id, limit, offset,
                                                              cancellable, error);
}

/* For an optional method that @self's class leaves %NULL. */
static gboolean
client_not_supported (PrefectCtxClient  *self,
                      const char        *what,
                      GError           **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s cannot %s", G_OBJECT_TYPE_NAME (self), what);
  return FALSE;
}

/**
 * prefect_ctx_client_read_latest_task_runs:
 * @self: a client
 * @flow_run_id: (nullable): the ID of the flow run, or %NULL for the task
 *   runs of every flow run (and those outside any)
 * @limit: the largest number of task runs to return, 0 for all
 * @offset: how many task runs to skip
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads task runs newest first: the order of
 * [method@PrefectCtx.Client.read_task_runs] reversed, as `POST
 * /task_runs/filter` with the sort `EXPECTED_START_TIME_DESC` gives them
 * (what `prefect task-run ls` shows). The latest few cost the same however
 * many task runs the store holds.
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.TaskRun], or
 *   %NULL with @error set
 */
GListModel *
prefect_ctx_client_read_latest_task_runs (PrefectCtxClient  *self,
                                          const char        *flow_run_id,
                                          guint              limit,
                                          guint              offset,
                                          GCancellable      *cancellable,
                                          GError           **error)
{
  PrefectCtxClientInterface *iface;

  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = PREFECT_CTX_CLIENT_GET_IFACE (self);
  if (iface->read_latest_task_runs == NULL)
    {
      client_not_supported (self, "read task runs newest first", error);
      return NULL;
    }
  return iface->read_latest_task_runs (self, flow_run_id, limit, offset, cancellable, error);
}

/**
 * prefect_ctx_client_set_task_run_state:
 * @self: a client
 * @id: the ID of the task run
 * @state: the proposed state; without a timestamp, the store stamps it with
 *   the current time
 * @force: whether to skip the server's orchestration rules
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sets the state of a task run, as `POST /task_runs/{id}/set_state` does,
 * with the bookkeeping described in
 * [method@PrefectCtx.Client.set_flow_run_state]. An unknown ID is a
 * %PREFECT_CTX_ERROR_NOT_FOUND error `Task run not found`.
 *
 * Returns: (transfer full): the state of the task run afterwards, as stored,
 *   or %NULL with @error set
 */
PrefectCtxState *
prefect_ctx_client_set_task_run_state (PrefectCtxClient  *self,
                                       const char        *id,
                                       PrefectCtxState   *state,
                                       gboolean           force,
                                       GCancellable      *cancellable,
                                       GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (PREFECT_CTX_IS_STATE (state), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PREFECT_CTX_CLIENT_GET_IFACE (self)->set_task_run_state (self, id, state, force,
                                                                  cancellable, error);
}

/**
 * prefect_ctx_client_read_task_run_states:
 * @self: a client
 * @id: the ID of the task run
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the state history of a task run, oldest first. An unknown ID is a
 * %PREFECT_CTX_ERROR_NOT_FOUND error `Task run not found`.
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.State], or
 *   %NULL with @error set
 */
GListModel *
prefect_ctx_client_read_task_run_states (PrefectCtxClient  *self,
                                         const char        *id,
                                         GCancellable      *cancellable,
                                         GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PREFECT_CTX_CLIENT_GET_IFACE (self)->read_task_run_states (self, id, cancellable, error);
}

/**
 * prefect_ctx_client_count_task_runs:
 * @self: a client
 * @flow_run_id: (nullable): the ID of the flow run, or %NULL for every task
 *   run
 * @finished_only: whether to count only the task runs whose current state is
 *   finished
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Counts task runs, as `POST /task_runs/count` does.
 *
 * Returns: the number of task runs; 0 with @error set on failure (check
 *   @error to tell the two apart)
 */
guint
prefect_ctx_client_count_task_runs (PrefectCtxClient  *self,
                                    const char        *flow_run_id,
                                    gboolean           finished_only,
                                    GCancellable      *cancellable,
                                    GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), 0);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  return PREFECT_CTX_CLIENT_GET_IFACE (self)->count_task_runs (self, flow_run_id, finished_only,
                                                               cancellable, error);
}

/**
 * prefect_ctx_client_create_logs:
 * @self: a client
 * @logs: (element-type PrefectCtxLogEntry): the log entries
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Stores log entries, as `POST /logs/` does, all at once: either every
 * entry is stored or none is. An entry without a timestamp is stamped with
 * the current time. An element of @logs that is not a
 * [class@PrefectCtx.LogEntry] is a %PREFECT_CTX_ERROR_INVALID_ARGUMENT
 * error.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
prefect_ctx_client_create_logs (PrefectCtxClient  *self,
                                GPtrArray         *logs,
                                GCancellable      *cancellable,
                                GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (logs != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return PREFECT_CTX_CLIENT_GET_IFACE (self)->create_logs (self, logs, cancellable, error);
}

/**
 * prefect_ctx_client_read_logs:
 * @self: a client
 * @flow_run_id: (nullable): the ID of the flow run, or %NULL for the logs of
 *   every run
 * @after: (nullable): only the entries strictly after this time, or %NULL
 * @before: (nullable): only the entries at or before this time, or %NULL
 * @limit: the largest number of entries to return, 0 for all
 * @offset: how many matching entries to skip
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads log entries, as `POST /logs/filter` with `TIMESTAMP_ASC` does,
 * oldest first (entries with the same timestamp in the order they were
 * stored).
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.LogEntry], or
 *   %NULL with @error set
 */
GListModel *
prefect_ctx_client_read_logs (PrefectCtxClient  *self,
                              const char        *flow_run_id,
                              GDateTime         *after,
                              GDateTime         *before,
                              guint              limit,
                              guint              offset,
                              GCancellable      *cancellable,
                              GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PREFECT_CTX_CLIENT_GET_IFACE (self)->read_logs (self, flow_run_id, after, before,
                                                         limit, offset, cancellable, error);
}

/**
 * prefect_ctx_client_read_logs_since:
 * @self: a client
 * @flow_run_id: the ID of the flow run
 * @cursor: (inout): a position in the store's logs: 0 for the first read,
 *   then the value this function left
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the log entries of @flow_run_id stored after the position *@cursor,
 * in the order they were stored, and moves *@cursor past them. A reader
 * that follows a running flow run gets each entry once, however late it was
 * stored, at a cost that grows with the new entries only (where
 * [method@PrefectCtx.Client.read_logs] must read again a window of
 * timestamps to catch late entries).
 *
 * The position is opaque and belongs to @self's store. The local store
 * supports this; the Prefect REST API has no such filter, so
 * [class@PrefectCtx.HttpClient] fails with %G_IO_ERROR_NOT_SUPPORTED, as
 * does any client whose @read_logs_since is %NULL.
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.LogEntry], or
 *   %NULL with @error set (*@cursor is then unchanged)
 */
GListModel *
prefect_ctx_client_read_logs_since (PrefectCtxClient  *self,
                                    const char        *flow_run_id,
                                    guint64           *cursor,
                                    GCancellable      *cancellable,
                                    GError           **error)
{
  PrefectCtxClientInterface *iface;

  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (flow_run_id != NULL, NULL);
  g_return_val_if_fail (cursor != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = PREFECT_CTX_CLIENT_GET_IFACE (self);
  if (iface->read_logs_since == NULL)
    {
      client_not_supported (self, "read logs by position", error);
      return NULL;
    }

  return iface->read_logs_since (self, flow_run_id, cursor, cancellable, error);
}

/**
 * prefect_ctx_client_flush:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Waits until every write @self queued before this call is in the store,
 * and reports the writes that failed since the last flush.
 *
 * A client may accept a write before it is stored and ship it in the
 * background: [class@PrefectCtx.HttpClient] does so with task-run states
 * (see [property@PrefectCtx.HttpClient:queue-task-run-states]). The engine
 * flushes before it records the final state of a flow run, and after the
 * final state of a task run of no flow run, so that a run is never stored
 * finished before the records of its task runs are. A client with no
 * queue succeeds at once.
 *
 * Cancelling @cancellable stops the wait, not the writes.
 *
 * Returns: %TRUE if every queued write was stored, else %FALSE with @error
 *   set: the first failure, with the count of writes that were lost
 */
gboolean
prefect_ctx_client_flush (PrefectCtxClient  *self,
                          GCancellable      *cancellable,
                          GError           **error)
{
  PrefectCtxClientInterface *iface;

  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = PREFECT_CTX_CLIENT_GET_IFACE (self);
  if (iface->flush == NULL)
    return TRUE;
  return iface->flush (self, cancellable, error);
}

/**
 * prefect_ctx_client_create_deployment:
 * @self: a client
 * @deployment: the deployment to create
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Creates a deployment, as `POST /deployments/` does: a deployment with the
 * same flow ID and name is replaced (keeping its ID), as the server upserts
 * it; otherwise a new one is stored with the ID of @deployment if it has one
 * (the local store) or a new UUID. A deployment without a name is a
 * %PREFECT_CTX_ERROR_INVALID_ARGUMENT error.
 *
 * Returns: (transfer full): the deployment as stored, or %NULL with @error
 *   set
 */
PrefectCtxDeployment *
prefect_ctx_client_create_deployment (PrefectCtxClient      *self,
                                      PrefectCtxDeployment  *deployment,
                                      GCancellable          *cancellable,
                                      GError               **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (PREFECT_CTX_IS_DEPLOYMENT (deployment), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PREFECT_CTX_CLIENT_GET_IFACE (self)->create_deployment (self, deployment, cancellable, error);
}

/**
 * prefect_ctx_client_read_deployment:
 * @self: a client
 * @id: the ID of the deployment
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads a deployment, as `GET /deployments/{id}` does. An unknown ID is a
 * %PREFECT_CTX_ERROR_NOT_FOUND error `Deployment not found`.
 *
 * Returns: (transfer full): the deployment, or %NULL with @error set
 */
PrefectCtxDeployment *
prefect_ctx_client_read_deployment (PrefectCtxClient  *self,
                                    const char        *id,
                                    GCancellable      *cancellable,
                                    GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PREFECT_CTX_CLIENT_GET_IFACE (self)->read_deployment (self, id, cancellable, error);
}

/**
 * prefect_ctx_client_read_flows:
 * @self: a client
 * @limit: the largest number of flows to return, 0 for all
 * @offset: how many flows to skip
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads flows newest first, as `POST /flows/filter` with the sort
 * `CREATED_DESC` gives them (what `prefect flow ls` shows). The newest few
 * cost the same however many flows the store holds.
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.Flow], or
 *   %NULL with @error set
 */
GListModel *
prefect_ctx_client_read_flows (PrefectCtxClient  *self,
                               guint              limit,
                               guint              offset,
                               GCancellable      *cancellable,
                               GError           **error)
{
  PrefectCtxClientInterface *iface;

  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = PREFECT_CTX_CLIENT_GET_IFACE (self);
  if (iface->read_flows == NULL)
    {
      client_not_supported (self, "list flows", error);
      return NULL;
    }
  return iface->read_flows (self, limit, offset, cancellable, error);
}

/**
 * prefect_ctx_client_read_deployments:
 * @self: a client
 * @limit: the largest number of deployments to return, 0 for all
 * @offset: how many deployments to skip
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads deployments newest first, as `POST /deployments/filter` with the
 * sort `CREATED_DESC` gives them. `prefect deployment ls` sorts them by flow
 * name and deployment name, or with `--by-created` newest first, as
 * here. The newest few cost the same however many deployments the store
 * holds.
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.Deployment],
 *   or %NULL with @error set
 */
GListModel *
prefect_ctx_client_read_deployments (PrefectCtxClient  *self,
                                     guint              limit,
                                     guint              offset,
                                     GCancellable      *cancellable,
                                     GError           **error)
{
  PrefectCtxClientInterface *iface;

  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = PREFECT_CTX_CLIENT_GET_IFACE (self);
  if (iface->read_deployments == NULL)
    {
      client_not_supported (self, "list deployments", error);
      return NULL;
    }
  return iface->read_deployments (self, limit, offset, cancellable, error);
}

/**
 * prefect_ctx_client_delete_flow_run:
 * @self: a client
 * @id: the ID of the flow run
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes a flow run, as `DELETE /flow_runs/{id}` does: with it go its
 * state history and its task runs, and a subflow run whose parent task run
 * was one of them is kept, with no parent task run. Its logs are kept, as
 * a Prefect server keeps them. An unknown ID is a
 * %PREFECT_CTX_ERROR_NOT_FOUND error `Flow run not found`.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
prefect_ctx_client_delete_flow_run (PrefectCtxClient  *self,
                                    const char        *id,
                                    GCancellable      *cancellable,
                                    GError           **error)
{
  PrefectCtxClientInterface *iface;

  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = PREFECT_CTX_CLIENT_GET_IFACE (self);
  if (iface->delete_flow_run == NULL)
    return client_not_supported (self, "delete flow runs", error);
  return iface->delete_flow_run (self, id, cancellable, error);
}
