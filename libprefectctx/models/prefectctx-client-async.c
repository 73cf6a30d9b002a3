/* prefectctx-client-async.c: the _async/_finish functions of
 * PrefectCtxClient, each running the blocking method in a worker thread
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-client.h"
#include "core/prefectctx-blocking-private.h"

typedef enum {
  OP_CREATE_FLOW,
  OP_READ_FLOW,
  OP_CREATE_FLOW_RUN,
  OP_READ_FLOW_RUN,
  OP_READ_FLOW_RUNS,
  OP_SET_FLOW_RUN_STATE,
  OP_READ_FLOW_RUN_STATES,
  OP_CREATE_TASK_RUN,
  OP_READ_TASK_RUN,
  OP_READ_TASK_RUNS,
  OP_READ_LATEST_TASK_RUNS,
  OP_SET_TASK_RUN_STATE,
  OP_READ_TASK_RUN_STATES,
  OP_COUNT_TASK_RUNS,
  OP_CREATE_LOGS,
  OP_READ_LOGS,
  OP_CREATE_DEPLOYMENT,
  OP_READ_DEPLOYMENT,
  OP_READ_FLOWS,
  OP_READ_DEPLOYMENTS,
  OP_DELETE_FLOW_RUN,
} ClientOp;

/* The arguments of one call, kept for the worker thread that runs its
 * blocking method. */
typedef struct {
  ClientOp         op;
  char            *id;
  gpointer         object;   /* the model given (flow, run, state, deployment) */
  GPtrArray       *logs;
  GDateTime       *after;
  GDateTime       *before;
  int              state_type;
  guint            limit;
  guint            offset;
  gboolean         flag;     /* force, finished_only */
} ClientCall;

static void
client_call_free (gpointer data)
{
  ClientCall *call = data;

  g_free (call->id);
  g_clear_object (&call->object);
  g_clear_pointer (&call->logs, g_ptr_array_unref);
  g_clear_pointer (&call->after, g_date_time_unref);
  g_clear_pointer (&call->before, g_date_time_unref);
  g_free (call);
}

/* The blocking call of @data (a ClientCall): an object, a count (as a
 * pointer), or NULL for create_logs and delete_flow_run. */
static gpointer
client_call_run (gpointer       source_object,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  PrefectCtxClient *self = source_object;
  ClientCall *call = data;
  gpointer object = NULL;

  switch (call->op)
    {
    case OP_CREATE_FLOW:
      object = prefect_ctx_client_create_flow (self, call->object, cancellable, error);
      break;

    case OP_READ_FLOW:
      object = prefect_ctx_client_read_flow (self, call->id, cancellable, error);
      break;

    case OP_CREATE_FLOW_RUN:
      object = prefect_ctx_client_create_flow_run (self, call->object, cancellable, error);
      break;

    case OP_READ_FLOW_RUN:
      object = prefect_ctx_client_read_flow_run (self, call->id, cancellable, error);
      break;

    case OP_READ_FLOW_RUNS:
      object = prefect_ctx_client_read_flow_runs (self, call->state_type, call->limit, call->offset, cancellable, error);
      break;

    case OP_SET_FLOW_RUN_STATE:
      object = prefect_ctx_client_set_flow_run_state (self, call->id, call->object, call->flag, cancellable, error);
      break;

    case OP_READ_FLOW_RUN_STATES:
      object = prefect_ctx_client_read_flow_run_states (self, call->id, cancellable, error);
      break;

    case OP_CREATE_TASK_RUN:
      object = prefect_ctx_client_create_task_run (self, call->object, cancellable, error);
      break;

    case OP_READ_TASK_RUN:
      object = prefect_ctx_client_read_task_run (self, call->id, cancellable, error);
      break;

    case OP_READ_TASK_RUNS:
      object = prefect_ctx_client_read_task_runs (self, call->id, call->limit, call->offset, cancellable, error);
      break;

    case OP_READ_LATEST_TASK_RUNS:
      object = prefect_ctx_client_read_latest_task_runs (self, call->id, call->limit, call->offset,
                                                         cancellable, error);
      break;

    case OP_SET_TASK_RUN_STATE:
      object = prefect_ctx_client_set_task_run_state (self, call->id, call->object, call->flag, cancellable, error);
      break;

    case OP_READ_TASK_RUN_STATES:
      object = prefect_ctx_client_read_task_run_states (self, call->id, cancellable, error);
      break;

    case OP_COUNT_TASK_RUNS:
      object = GUINT_TO_POINTER (prefect_ctx_client_count_task_runs (self, call->id, call->flag, cancellable, error));
      break;

    case OP_CREATE_LOGS:
      prefect_ctx_client_create_logs (self, call->logs, cancellable, error);
      break;

    case OP_READ_LOGS:
      object = prefect_ctx_client_read_logs (self, call->id, call->after, call->before, call->limit, call->offset, cancellable, error);
      break;

    case OP_CREATE_DEPLOYMENT:
      object = prefect_ctx_client_create_deployment (self, call->object, cancellable, error);
      break;

    case OP_READ_DEPLOYMENT:
      object = prefect_ctx_client_read_deployment (self, call->id, cancellable, error);
      break;

    case OP_READ_FLOWS:
      object = prefect_ctx_client_read_flows (self, call->limit, call->offset, cancellable, error);
      break;

    case OP_READ_DEPLOYMENTS:
      object = prefect_ctx_client_read_deployments (self, call->limit, call->offset, cancellable, error);
      break;

    case OP_DELETE_FLOW_RUN:
      prefect_ctx_client_delete_flow_run (self, call->id, cancellable, error);
      break;

    default:
      g_assert_not_reached ();
    }

  return object;
}

static void
client_call_start (PrefectCtxClient    *self,
                   ClientCall          *call,
                   gpointer             source_tag,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  _prefect_ctx_blocking_async (self, source_tag, client_call_run, call, client_call_free,
                               call->op == OP_COUNT_TASK_RUNS || call->op == OP_CREATE_LOGS
                               || call->op == OP_DELETE_FLOW_RUN ? NULL : g_object_unref,
                               cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_create_flow_async:
 * @self: a client
 * @flow: the flow to create
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.create_flow] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.create_flow_finish].
 */
void
prefect_ctx_client_create_flow_async (PrefectCtxClient    *self,
                                      PrefectCtxFlow      *flow,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (PREFECT_CTX_IS_FLOW (flow));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_CREATE_FLOW;
  call->object = g_object_ref (flow);
  client_call_start (self, call, prefect_ctx_client_create_flow_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_create_flow_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.create_flow_async].
 *
 * Returns: (transfer full): the result, as
 *   [method@PrefectCtx.Client.create_flow] returns it, or %NULL with @error
 *   set
 */
PrefectCtxFlow *
prefect_ctx_client_create_flow_finish (PrefectCtxClient  *self,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_create_flow_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_client_read_flow_async:
 * @self: a client
 * @id: the ID of the flow
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.read_flow] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.read_flow_finish].
 */
void
prefect_ctx_client_read_flow_async (PrefectCtxClient    *self,
                                    const char          *id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_READ_FLOW;
  call->id = g_strdup (id);
  client_call_start (self, call, prefect_ctx_client_read_flow_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_read_flow_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.read_flow_async].
 *
 * Returns: (transfer full): the result, as
 *   [method@PrefectCtx.Client.read_flow] returns it, or %NULL with @error
 *   set
 */
PrefectCtxFlow *
prefect_ctx_client_read_flow_finish (PrefectCtxClient  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_read_flow_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_client_create_flow_run_async:
 * @self: a client
 * @flow_run: the flow run to create
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.create_flow_run] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.create_flow_run_finish].
 */
void
prefect_ctx_client_create_flow_run_async (PrefectCtxClient    *self,
                                          PrefectCtxFlowRun   *flow_run,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (PREFECT_CTX_IS_FLOW_RUN (flow_run));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_CREATE_FLOW_RUN;
  call->object = g_object_ref (flow_run);
  client_call_start (self, call, prefect_ctx_client_create_flow_run_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_create_flow_run_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.create_flow_run_async].
 *
 * Returns: (transfer full): the result, as
 *   [method@PrefectCtx.Client.create_flow_run] returns it, or %NULL with
 *   @error set
 */
PrefectCtxFlowRun *
prefect_ctx_client_create_flow_run_finish (PrefectCtxClient  *self,
                                           GAsyncResult      *result,
                                           GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_create_flow_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_client_read_flow_run_async:
 * @self: a client
 * @id: the ID of the flow run
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.read_flow_run] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.read_flow_run_finish].
 */
void
prefect_ctx_client_read_flow_run_async (PrefectCtxClient    *self,
                                        const char          *id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_READ_FLOW_RUN;
  call->id = g_strdup (id);
  client_call_start (self, call, prefect_ctx_client_read_flow_run_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_read_flow_run_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.read_flow_run_async].
 *
 * Returns: (transfer full): the result, as
 *   [method@PrefectCtx.Client.read_flow_run] returns it, or %NULL with
 *   @error set
 */
PrefectCtxFlowRun *
prefect_ctx_client_read_flow_run_finish (PrefectCtxClient  *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_read_flow_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_client_read_flow_runs_async:
 * @self: a client
 * @state_type: a #PrefectCtxStateType to match, or
 *   %PREFECT_CTX_CLIENT_ANY_STATE
 * @limit: the largest number of runs to return, 0 for all
 * @offset: how many matching runs to skip
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.read_flow_runs] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.read_flow_runs_finish].
 */
void
prefect_ctx_client_read_flow_runs_async (PrefectCtxClient    *self,
                                         int                  state_type,
                                         guint                limit,
                                         guint                offset,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_READ_FLOW_RUNS;
  call->state_type = state_type;
  call->limit = limit;
  call->offset = offset;
  client_call_start (self, call, prefect_ctx_client_read_flow_runs_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_read_flow_runs_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.read_flow_runs_async].
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.FlowRun], as
 *   [method@PrefectCtx.Client.read_flow_runs] returns it, or %NULL with
 *   @error set
 */
GListModel *
prefect_ctx_client_read_flow_runs_finish (PrefectCtxClient  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_read_flow_runs_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_client_set_flow_run_state_async:
 * @self: a client
 * @id: the ID of the flow run
 * @state: the proposed state
 * @force: whether to skip orchestration rules
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.set_flow_run_state] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.set_flow_run_state_finish].
 */
void
prefect_ctx_client_set_flow_run_state_async (PrefectCtxClient    *self,
                                             const char          *id,
                                             PrefectCtxState     *state,
                                             gboolean             force,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (PREFECT_CTX_IS_STATE (state));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_SET_FLOW_RUN_STATE;
  call->id = g_strdup (id);
  call->object = g_object_ref (state);
  call->flag = force;
  client_call_start (self, call, prefect_ctx_client_set_flow_run_state_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_set_flow_run_state_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.set_flow_run_state_async].
 *
 * Returns: (transfer full): the result, as
 *   [method@PrefectCtx.Client.set_flow_run_state] returns it, or %NULL with
 *   @error set
 */
PrefectCtxState *
prefect_ctx_client_set_flow_run_state_finish (PrefectCtxClient  *self,
                                              GAsyncResult      *result,
                                              GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_set_flow_run_state_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_client_read_flow_run_states_async:
 * @self: a client
 * @id: the ID of the flow run
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.read_flow_run_states] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.read_flow_run_states_finish].
 */
void
prefect_ctx_client_read_flow_run_states_async (PrefectCtxClient    *self,
                                               const char          *id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_READ_FLOW_RUN_STATES;
  call->id = g_strdup (id);
  client_call_start (self, call, prefect_ctx_client_read_flow_run_states_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_read_flow_run_states_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.read_flow_run_states_async].
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.State], as
 *   [method@PrefectCtx.Client.read_flow_run_states] returns it, or %NULL
 *   with @error set
 */
GListModel *
prefect_ctx_client_read_flow_run_states_finish (PrefectCtxClient  *self,
                                                GAsyncResult      *result,
                                                GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_read_flow_run_states_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_client_create_task_run_async:
 * @self: a client
 * @task_run: the task run to create
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.create_task_run] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.create_task_run_finish].
 */
void
prefect_ctx_client_create_task_run_async (PrefectCtxClient    *self,
                                          PrefectCtxTaskRun   *task_run,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (PREFECT_CTX_IS_TASK_RUN (task_run));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_CREATE_TASK_RUN;
  call->object = g_object_ref (task_run);
  client_call_start (self, call, prefect_ctx_client_create_task_run_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_create_task_run_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.create_task_run_async].
 *
 * Returns: (transfer full): the result, as
 *   [method@PrefectCtx.Client.create_task_run] returns it, or %NULL with
 *   @error set
 */
PrefectCtxTaskRun *
prefect_ctx_client_create_task_run_finish (PrefectCtxClient  *self,
                                           GAsyncResult      *result,
                                           GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_create_task_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_client_read_task_run_async:
 * @self: a client
 * @id: the ID of the task run
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.read_task_run] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.read_task_run_finish].
 */
void
prefect_ctx_client_read_task_run_async (PrefectCtxClient    *self,
                                        const char          *id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_READ_TASK_RUN;
  call->id = g_strdup (id);
  client_call_start (self, call, prefect_ctx_client_read_task_run_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_read_task_run_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.read_task_run_async].
 *
 * Returns: (transfer full): the result, as
 *   [method@PrefectCtx.Client.read_task_run] returns it, or %NULL with
 *   @error set
 */
PrefectCtxTaskRun *
prefect_ctx_client_read_task_run_finish (PrefectCtxClient  *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_read_task_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_client_read_task_runs_async:
 * @self: a client
 * @flow_run_id: (nullable): the ID of the flow run, or %NULL for the task
 *   runs of every flow run
 * @limit: the largest number of task runs to return, 0 for all
 * @offset: how many task runs to skip
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.read_task_runs] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.read_task_runs_finish].
 */
void
prefect_ctx_client_read_task_runs_async (PrefectCtxClient    *self,
                                         const char          *flow_run_id,
                                         guint                limit,
                                         guint                offset,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_READ_TASK_RUNS;
  call->id = g_strdup (flow_run_id);
  call->limit = limit;
  call->offset = offset;
  client_call_start (self, call, prefect_ctx_client_read_task_runs_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_read_task_runs_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.read_task_runs_async].
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.TaskRun], as
 *   [method@PrefectCtx.Client.read_task_runs] returns it, or %NULL with
 *   @error set
 */
GListModel *
prefect_ctx_client_read_task_runs_finish (PrefectCtxClient  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_read_task_runs_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_client_read_latest_task_runs_async:
 * @self: a client
 * @flow_run_id: (nullable): the ID of the flow run, or %NULL for the task
 *   runs of every flow run
 * @limit: the largest number of task runs to return, 0 for all
 * @offset: how many task runs to skip
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.read_latest_task_runs] without blocking;
 * @callback is called in the thread-default main context of the calling
 * thread. Get the result with
 * [method@PrefectCtx.Client.read_latest_task_runs_finish].
 */
void
prefect_ctx_client_read_latest_task_runs_async (PrefectCtxClient    *self,
                                                const char          *flow_run_id,
                                                guint                limit,
                                                guint                offset,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_READ_LATEST_TASK_RUNS;
  call->id = g_strdup (flow_run_id);
  call->limit = limit;
  call->offset = offset;
  client_call_start (self, call, prefect_ctx_client_read_latest_task_runs_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_read_latest_task_runs_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.read_latest_task_runs_async].
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.TaskRun], as
 *   [method@PrefectCtx.Client.read_latest_task_runs] returns it, or %NULL
 *   with @error set
 */
GListModel *
prefect_ctx_client_read_latest_task_runs_finish (PrefectCtxClient  *self,
                                                 GAsyncResult      *result,
                                                 GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_read_latest_task_runs_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_client_set_task_run_state_async:
 * @self: a client
 * @id: the ID of the task run
 * @state: the proposed state
 * @force: whether to skip orchestration rules
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.set_task_run_state] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.set_task_run_state_finish].
 */
void
prefect_ctx_client_set_task_run_state_async (PrefectCtxClient    *self,
                                             const char          *id,
                                             PrefectCtxState     *state,
                                             gboolean             force,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (PREFECT_CTX_IS_STATE (state));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_SET_TASK_RUN_STATE;
  call->id = g_strdup (id);
  call->object = g_object_ref (state);
  call->flag = force;
  client_call_start (self, call, prefect_ctx_client_set_task_run_state_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_set_task_run_state_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.set_task_run_state_async].
 *
 * Returns: (transfer full): the result, as
 *   [method@PrefectCtx.Client.set_task_run_state] returns it, or %NULL with
 *   @error set
 */
PrefectCtxState *
prefect_ctx_client_set_task_run_state_finish (PrefectCtxClient  *self,
                                              GAsyncResult      *result,
                                              GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_set_task_run_state_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_client_read_task_run_states_async:
 * @self: a client
 * @id: the ID of the task run
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.read_task_run_states] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.read_task_run_states_finish].
 */
void
prefect_ctx_client_read_task_run_states_async (PrefectCtxClient    *self,
                                               const char          *id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_READ_TASK_RUN_STATES;
  call->id = g_strdup (id);
  client_call_start (self, call, prefect_ctx_client_read_task_run_states_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_read_task_run_states_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.read_task_run_states_async].
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.State], as
 *   [method@PrefectCtx.Client.read_task_run_states] returns it, or %NULL
 *   with @error set
 */
GListModel *
prefect_ctx_client_read_task_run_states_finish (PrefectCtxClient  *self,
                                                GAsyncResult      *result,
                                                GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_read_task_run_states_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_client_count_task_runs_async:
 * @self: a client
 * @flow_run_id: (nullable): the ID of the flow run, or %NULL for every flow
 *   run
 * @finished_only: whether to count only the task runs in a finished state
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.count_task_runs] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.count_task_runs_finish].
 */
void
prefect_ctx_client_count_task_runs_async (PrefectCtxClient    *self,
                                          const char          *flow_run_id,
                                          gboolean             finished_only,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_COUNT_TASK_RUNS;
  call->id = g_strdup (flow_run_id);
  call->flag = finished_only;
  client_call_start (self, call, prefect_ctx_client_count_task_runs_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_count_task_runs_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.count_task_runs_async].
 *
 * Returns: the count, or 0 with @error set
 */
guint
prefect_ctx_client_count_task_runs_finish (PrefectCtxClient  *self,
                                           GAsyncResult      *result,
                                           GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), 0);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_count_task_runs_async, 0);

  return GPOINTER_TO_UINT (g_task_propagate_pointer (G_TASK (result), error));
}

/**
 * prefect_ctx_client_create_logs_async:
 * @self: a client
 * @logs: (element-type PrefectCtxLogEntry): the log entries
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.create_logs] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.create_logs_finish].
 */
void
prefect_ctx_client_create_logs_async (PrefectCtxClient    *self,
                                      GPtrArray           *logs,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (logs != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_CREATE_LOGS;
  call->logs = g_ptr_array_ref (logs);
  client_call_start (self, call, prefect_ctx_client_create_logs_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_create_logs_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.create_logs_async].
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
prefect_ctx_client_create_logs_finish (PrefectCtxClient  *self,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_create_logs_async, FALSE);

  g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/**
 * prefect_ctx_client_read_logs_async:
 * @self: a client
 * @flow_run_id: (nullable): the ID of the flow run, or %NULL for the logs of
 *   every run
 * @after: (nullable): only logs strictly after this time, or %NULL
 * @before: (nullable): only logs at or before this time, or %NULL
 * @limit: the largest number of entries to return, 0 for all
 * @offset: how many entries to skip
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.read_logs] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.read_logs_finish].
 */
void
prefect_ctx_client_read_logs_async (PrefectCtxClient    *self,
                                    const char          *flow_run_id,
                                    GDateTime           *after,
                                    GDateTime           *before,
                                    guint                limit,
                                    guint                offset,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_READ_LOGS;
  call->id = g_strdup (flow_run_id);
  call->after = after != NULL ? g_date_time_ref (after) : NULL;
  call->before = before != NULL ? g_date_time_ref (before) : NULL;
  call->limit = limit;
  call->offset = offset;
  client_call_start (self, call, prefect_ctx_client_read_logs_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_read_logs_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.read_logs_async].
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.LogEntry], as
 *   [method@PrefectCtx.Client.read_logs] returns it, or %NULL with @error
 *   set
 */
GListModel *
prefect_ctx_client_read_logs_finish (PrefectCtxClient  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_read_logs_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_client_create_deployment_async:
 * @self: a client
 * @deployment: the deployment to create
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.create_deployment] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.create_deployment_finish].
 */
void
prefect_ctx_client_create_deployment_async (PrefectCtxClient     *self,
                                            PrefectCtxDeployment *deployment,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (PREFECT_CTX_IS_DEPLOYMENT (deployment));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_CREATE_DEPLOYMENT;
  call->object = g_object_ref (deployment);
  client_call_start (self, call, prefect_ctx_client_create_deployment_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_create_deployment_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.create_deployment_async].
 *
 * Returns: (transfer full): the result, as
 *   [method@PrefectCtx.Client.create_deployment] returns it, or %NULL with
 *   @error set
 */
PrefectCtxDeployment *
prefect_ctx_client_create_deployment_finish (PrefectCtxClient  *self,
                                             GAsyncResult      *result,
                                             GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_create_deployment_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_client_read_deployment_async:
 * @self: a client
 * @id: the ID of the deployment
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.read_deployment] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.read_deployment_finish].
 */
void
prefect_ctx_client_read_deployment_async (PrefectCtxClient    *self,
                                          const char          *id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_READ_DEPLOYMENT;
  call->id = g_strdup (id);
  client_call_start (self, call, prefect_ctx_client_read_deployment_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_read_deployment_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.read_deployment_async].
 *
 * Returns: (transfer full): the result, as
 *   [method@PrefectCtx.Client.read_deployment] returns it, or %NULL with
 *   @error set
 */
PrefectCtxDeployment *
prefect_ctx_client_read_deployment_finish (PrefectCtxClient  *self,
                                           GAsyncResult      *result,
                                           GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_read_deployment_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* read_logs_since returns two values, so it has a call of its own. */
typedef struct {
  char    *flow_run_id;
  guint64  cursor;
} LogsSinceCall;

typedef struct {
  GListModel *logs;
  guint64     cursor;
} LogsSince;

static void
logs_since_call_free (gpointer data)
{
  LogsSinceCall *call = data;

  g_free (call->flow_run_id);
  g_free (call);
}

static void
logs_since_free (gpointer data)
{
  LogsSince *since = data;

  g_clear_object (&since->logs);
  g_free (since);
}

static gpointer
logs_since_run (gpointer       source_object,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  LogsSinceCall *call = data;
  guint64 cursor = call->cursor;
  GListModel *logs;
  LogsSince *since;

  logs = prefect_ctx_client_read_logs_since (source_object, call->flow_run_id, &cursor, cancellable, error);
  if (logs == NULL)
    return NULL;

  since = g_new0 (LogsSince, 1);
  since->logs = logs;
  since->cursor = cursor;
  return since;
}

/**
 * prefect_ctx_client_read_logs_since_async:
 * @self: a client
 * @flow_run_id: the ID of the flow run
 * @cursor: the position to read after: 0 for the first read, then the value
 *   the last read gave
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.read_logs_since] without blocking;
 * @callback is called in the thread-default main context of the calling
 * thread. Get the result and the next position with
 * [method@PrefectCtx.Client.read_logs_since_finish].
 */
void
prefect_ctx_client_read_logs_since_async (PrefectCtxClient    *self,
                                          const char          *flow_run_id,
                                          guint64              cursor,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  LogsSinceCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (flow_run_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (LogsSinceCall, 1);
  call->flow_run_id = g_strdup (flow_run_id);
  call->cursor = cursor;
  _prefect_ctx_blocking_async (self, prefect_ctx_client_read_logs_since_async, logs_since_run,
                               call, logs_since_call_free, logs_since_free,
                               cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_read_logs_since_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @cursor: (out) (optional): return location for the position after the
 *   entries read, to give to the next read
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.read_logs_since_async].
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.LogEntry], as
 *   [method@PrefectCtx.Client.read_logs_since] returns it, or %NULL with
 *   @error set (*@cursor is then left alone)
 */
GListModel *
prefect_ctx_client_read_logs_since_finish (PrefectCtxClient  *self,
                                           GAsyncResult      *result,
                                           guint64           *cursor,
                                           GError           **error)
{
  LogsSince *since;
  GListModel *logs;

  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  since = _prefect_ctx_blocking_finish (self, result, prefect_ctx_client_read_logs_since_async, error);
  if (since == NULL)
    return NULL;

  if (cursor != NULL)
    *cursor = since->cursor;
  logs = g_steal_pointer (&since->logs);
  logs_since_free (since);
  return logs;
}

static gpointer
flush_run (gpointer       source_object,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  return prefect_ctx_client_flush (source_object, cancellable, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * prefect_ctx_client_flush_async:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.flush] without blocking; @callback is
 * called in the thread-default main context of the calling thread. Get
 * the result with [method@PrefectCtx.Client.flush_finish].
 */
void
prefect_ctx_client_flush_async (PrefectCtxClient    *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  _prefect_ctx_blocking_async (self, prefect_ctx_client_flush_async, flush_run,
                               NULL, NULL, NULL, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_flush_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.flush_async].
 *
 * Returns: %TRUE if every queued write was stored, else %FALSE with @error
 *   set
 */
gboolean
prefect_ctx_client_flush_finish (PrefectCtxClient  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _prefect_ctx_blocking_finish (self, result, prefect_ctx_client_flush_async, error) != NULL;
}

/**
 * prefect_ctx_client_read_flows_async:
 * @self: a client
 * @limit: the largest number of flows to return, 0 for all
 * @offset: how many flows to skip
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.read_flows] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.read_flows_finish].
 */
void
prefect_ctx_client_read_flows_async (PrefectCtxClient    *self,
                                     guint                limit,
                                     guint                offset,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_READ_FLOWS;
  call->limit = limit;
  call->offset = offset;
  client_call_start (self, call, prefect_ctx_client_read_flows_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_read_flows_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.read_flows_async].
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.Flow], as
 *   [method@PrefectCtx.Client.read_flows] returns it, or %NULL with @error
 *   set
 */
GListModel *
prefect_ctx_client_read_flows_finish (PrefectCtxClient  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_read_flows_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_client_read_deployments_async:
 * @self: a client
 * @limit: the largest number of deployments to return, 0 for all
 * @offset: how many deployments to skip
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.read_deployments] without blocking; @callback
 * is called in the thread-default main context of the calling thread. Get the
 * result with [method@PrefectCtx.Client.read_deployments_finish].
 */
void
prefect_ctx_client_read_deployments_async (PrefectCtxClient    *self,
                                           guint                limit,
                                           guint                offset,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_READ_DEPLOYMENTS;
  call->limit = limit;
  call->offset = offset;
  client_call_start (self, call, prefect_ctx_client_read_deployments_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_read_deployments_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.read_deployments_async].
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.Deployment], as
 *   [method@PrefectCtx.Client.read_deployments] returns it, or %NULL with @error
 *   set
 */
GListModel *
prefect_ctx_client_read_deployments_finish (PrefectCtxClient  *self,
                                            GAsyncResult      *result,
                                            GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_read_deployments_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_client_delete_flow_run_async:
 * @self: a client
 * @id: the ID of the flow run
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): the function to call when the operation is done
 * @user_data: the data to pass to @callback
 *
 * Starts [method@PrefectCtx.Client.delete_flow_run] without blocking;
 * @callback is called in the thread-default main context of the calling
 * thread. Get the result with
 * [method@PrefectCtx.Client.delete_flow_run_finish].
 */
void
prefect_ctx_client_delete_flow_run_async (PrefectCtxClient    *self,
                                          const char          *id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  ClientCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = g_new0 (ClientCall, 1);
  call->op = OP_DELETE_FLOW_RUN;
  call->id = g_strdup (id);
  client_call_start (self, call, prefect_ctx_client_delete_flow_run_async, cancellable, callback, user_data);
}

/**
 * prefect_ctx_client_delete_flow_run_finish:
 * @self: a client
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.Client.delete_flow_run_async].
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
prefect_ctx_client_delete_flow_run_finish (PrefectCtxClient  *self,
                                           GAsyncResult      *result,
                                           GError           **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_client_delete_flow_run_async, FALSE);

  g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}
