/* prefectctx-http-client.c: the run store of a Prefect server (REST API)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One SoupSession per client, shared by every thread: since libsoup 3.2
 * the methods that send messages may be called from any thread at once (the
 * session is configured once, in the constructor, before any request). The
 * blocking vfuncs of PrefectCtxClient are the only ones implemented; the
 * interface's _async functions run them in worker threads.
 *
 * Everything in the object is immutable after construction but the queue
 * of task-run states (prefectctx-http-queue.c, with its own lock) and the
 * atomic flag that turns it on.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "prefectctx-http-client.h"
#include "client/prefectctx-http-private.h"

#include "prefectctx-error.h"
#include "models/prefectctx-json-private.h"
#include "prefectctx-tsan-private.h"

/**
 * PrefectCtxHttpClient:
 *
 * A [iface@PrefectCtx.Client] that keeps flows, runs, states, logs and
 * deployments on a Prefect server, through its REST API
 * (`PREFECT_API_URL`, such as `http://127.0.0.1:4200/api`).
 *
 * Requests carry `Authorization: Bearer <key>` when an API key is set; the
 * key is never printed nor logged. Requests that fail with HTTP 408, 429,
 * 502 or 503, or that time out, are retried up to
 * [property@PrefectCtx.HttpClient:max-retries] times, as Prefect's own
 * client does: each retry waits for the `Retry-After` header's delay when
 * the server gave one (up to [property@PrefectCtx.HttpClient:retry-jitter-factor]
 * longer), else [property@PrefectCtx.HttpClient:retry-base-delay] × 2^n
 * seconds for the n-th retry, give or take the jitter factor. Each wait is
 * at most [property@PrefectCtx.HttpClient:max-retry-wait] (60 s), and a
 * call stops retrying once its waits would pass
 * [property@PrefectCtx.HttpClient:max-retry-time] (300 s). A request whose
 * response is not complete within
 * [property@PrefectCtx.HttpClient:request-timeout] (60 s) has timed out.
 * Every wait ends early, with %G_IO_ERROR_CANCELLED, when the call's
 * #GCancellable is cancelled.
 *
 * Errors: HTTP 404 is %PREFECT_CTX_ERROR_NOT_FOUND with the server's detail
 * text (`Flow run not found`); HTTP 422 (a request the server finds
 * invalid) is %PREFECT_CTX_ERROR_INVALID_ARGUMENT with the server's
 * validation messages; any other failure, including a server that cannot be
 * reached and an HTTP error that remains after the retries, is
 * %PREFECT_CTX_ERROR_FAILED with the method, path, status and detail in the
 * message. A cancelled call fails with %G_IO_ERROR_CANCELLED.
 *
 * The server chooses the IDs of what is created: an ID set on a model given
 * to a create method is not sent (Prefect's create requests do not take
 * one), and the object returned has the server's ID. The server also stamps
 * states itself: the timestamp of a proposed state is not sent.
 *
 * State changes go through the server's orchestration rules unless forced.
 * When the server rejects a proposed state (`REJECT`), the set_state methods
 * return the state the run is in instead, as the [iface@PrefectCtx.Client]
 * documentation says; when it asks to wait (`WAIT`), the client waits the
 * delay it gives and proposes the state again (at most
 * [property@PrefectCtx.HttpClient:max-retries] times, then the call fails);
 * when it aborts the change (`ABORT`), the call fails with
 * %PREFECT_CTX_ERROR_ABORTED `Flow run state change aborted: <reason>`.
 * That is so for every flow-run state; task-run states are queued by
 * default and shipped in the background, where the same answers become
 * errors of the next [method@PrefectCtx.Client.flush] (see
 * [property@PrefectCtx.HttpClient:queue-task-run-states]).
 *
 * Connections are kept alive and reused for every method, POST included,
 * as Prefect's own client does.
 *
 * The server returns at most 200 objects per filter request; the read
 * methods page with offsets themselves, so that a limit of 0 still means
 * all. A client may be used from many threads at once.
 */

enum {
  PROP_0,
  PROP_API_URL,
  PROP_API_KEY,
  PROP_MAX_RETRIES,
  PROP_RETRY_JITTER_FACTOR,
  PROP_RETRY_BASE_DELAY,
  PROP_REQUEST_TIMEOUT,
  PROP_MAX_RETRY_WAIT,
  PROP_MAX_RETRY_TIME,
  PROP_QUEUE_TASK_RUN_STATES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void prefect_ctx_http_client_initable_iface_init (GInitableIface *iface);
static void prefect_ctx_http_client_client_iface_init (PrefectCtxClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PrefectCtxHttpClient, prefect_ctx_http_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      prefect_ctx_http_client_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (PREFECT_CTX_TYPE_CLIENT,
                                                      prefect_ctx_http_client_client_iface_init))

/* ------------------------------------------------------------------------ */
/* Flows */

static PrefectCtxFlow *
http_create_flow (PrefectCtxClient  *client,
                  PrefectCtxFlow    *flow,
                  GCancellable      *cancellable,
                  GError           **error)
{
  static const char * const allowed[] = { "name", "tags", NULL };
  const char *name = prefect_ctx_flow_get_name (flow);
  g_autoptr(JsonNode) body = NULL;

  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "A flow needs a name");
      return NULL;
    }

  body = http_transport_keep_members (prefect_ctx_flow_to_json_node (flow), allowed);
  return http_transport_post_object (PREFECT_CTX_HTTP_CLIENT (client), "/flows/", body,
                                     (FromJsonFunc) prefect_ctx_flow_new_from_json_node, "flow",
                                     cancellable, error);
}

/* Prefect's IDs are UUIDs: for any other the server answers 422 (or, with
 * a '/' in it, the 404 of an unknown route). Reads and writes by ID report
 * such an ID as not found, as the local store does, without a request
 * (a cancelled call is cancelled first). */
static gboolean
check_id (const char    *id,
          const char    *what,
          GCancellable  *cancellable,
          GError       **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (id != NULL && g_uuid_string_is_valid (id))
    return TRUE;
  g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND, "%s not found", what);
  return FALSE;
}

static PrefectCtxFlow *
http_read_flow (PrefectCtxClient  *client,
                const char        *id,
                GCancellable      *cancellable,
                GError           **error)
{
  if (!check_id (id, "Flow", cancellable, error))
    return NULL;

  g_autofree char *path = http_transport_id_path ("/flows/", id, NULL);

  return http_transport_get_object (PREFECT_CTX_HTTP_CLIENT (client), path,
                                    (FromJsonFunc) prefect_ctx_flow_new_from_json_node, "flow",
                                    cancellable, error);
}

/* POST @path {"sort": "CREATED_DESC"}, a page at a time. */
static GListModel *
read_newest_first (PrefectCtxClient  *client,
                   const char        *path,
                   GType              item_type,
                   FromJsonFunc       from_json,
                   const char        *what,
                   guint              limit,
                   guint              offset,
                   GCancellable      *cancellable,
                   GError           **error)
{
  g_autoptr(JsonNode) body = http_transport_filter_body (NULL, "CREATED_DESC");

  return http_transport_post_filter_paged (PREFECT_CTX_HTTP_CLIENT (client), path, body, limit, offset,
                                           item_type, from_json, what, cancellable, error);
}

static GListModel *
http_read_flows (PrefectCtxClient  *client,
                 guint              limit,
                 guint              offset,
                 GCancellable      *cancellable,
                 GError           **error)
{
  return read_newest_first (client, "/flows/filter", PREFECT_CTX_TYPE_FLOW,
                            (FromJsonFunc) prefect_ctx_flow_new_from_json_node, "flow",
                            limit, offset, cancellable, error);
}

/* ------------------------------------------------------------------------ */
/* Flow runs */

static PrefectCtxFlowRun *
http_create_flow_run (PrefectCtxClient   *client,
                      PrefectCtxFlowRun  *flow_run,
                      GCancellable       *cancellable,
                      GError            **error)
{
  static const char * const allowed[] = {
    "flow_id", "name", "flow_version", "parameters", "tags", "parent_task_run_id",
    "deployment_id", "empirical_policy", NULL
  };
  g_autoptr(JsonNode) body = http_transport_keep_members (prefect_ctx_flow_run_to_json_node (flow_run), allowed);

  http_transport_set_state_member (body, prefect_ctx_flow_run_get_state (flow_run));
  return http_transport_post_object (PREFECT_CTX_HTTP_CLIENT (client), "/flow_runs/", body,
                                     (FromJsonFunc) prefect_ctx_flow_run_new_from_json_node, "flow run",
                                     cancellable, error);
}

static PrefectCtxFlowRun *
http_read_flow_run (PrefectCtxClient  *client,
                    const char        *id,
                    GCancellable      *cancellable,
                    GError           **error)
{
  if (!check_id (id, "Flow run", cancellable, error))
    return NULL;

  g_autofree char *path = http_transport_id_path ("/flow_runs/", id, NULL);

  return http_transport_get_object (PREFECT_CTX_HTTP_CLIENT (client), path,
                                    (FromJsonFunc) prefect_ctx_flow_run_new_from_json_node, "flow run",
                                    cancellable, error);
}

static GListModel *
http_read_flow_runs (PrefectCtxClient  *client,
                     int                state_type,
                     guint              limit,
                     guint              offset,
                     GCancellable      *cancellable,
                     GError           **error)
{
  g_autoptr(JsonNode) body = NULL;

  if (state_type != PREFECT_CTX_CLIENT_ANY_STATE
      && (state_type < PREFECT_CTX_STATE_TYPE_SCHEDULED
          || state_type > PREFECT_CTX_STATE_TYPE_CANCELLING))
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Unknown state type %d", state_type);
      return NULL;
    }

  body = http_transport_filter_body (NULL, "EXPECTED_START_TIME_DESC");
  if (state_type != PREFECT_CTX_CLIENT_ANY_STATE)
    {
      JsonObject *object = json_node_get_object (body);
      JsonObject *state = json_object_new ();

      json_object_set_member (state, "type",
                              http_transport_any_of_string (prefect_ctx_state_type_to_string (state_type)));
      http_transport_set_nested (object, "flow_runs", "state", json_node_init_object (json_node_alloc (), state));
      json_object_unref (state);
    }

  return http_transport_post_filter_paged (PREFECT_CTX_HTTP_CLIENT (client), "/flow_runs/filter", body,
                                           limit, offset, PREFECT_CTX_TYPE_FLOW_RUN,
                                           (FromJsonFunc) prefect_ctx_flow_run_new_from_json_node, "flow run",
                                           cancellable, error);
}

/* POST /<kind>/{id}/set_state, with the orchestration result handled as the
 * class documentation says. @what: "Flow run" or "Task run". */
PrefectCtxState *
http_client_set_state (PrefectCtxHttpClient  *self,
                       const char            *prefix,
                       const char            *what,
                       const char            *id,
                       PrefectCtxState       *state,
                       gboolean               force,
                       GCancellable          *cancellable,
                       GError               **error)
{
  g_autofree char *path = http_transport_id_path (prefix, id, "/set_state");
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  json_object_set_member (object, "state", http_transport_state_body (state));
  json_object_set_boolean_member (object, "force", force);
  json_node_take_object (body, object);

  if (!check_id (id, what, cancellable, error))
    return NULL;

  for (guint waits = 0; ; waits++)
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *result;
      JsonObject *details = NULL;
      JsonNode *result_state;
      const char *status;
      const char *reason = NULL;

      if (!http_transport_call (self, "POST", path, body, NULL, &node, cancellable, error))
        {
          /* "Flow run with id ... not found": the message of every store. */
          if (error != NULL && g_error_matches (*error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND))
            {
              g_free ((*error)->message);
              (*error)->message = g_strdup_printf ("%s not found", what);
            }
          return NULL;
        }

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node)
          || (status = json_object_get_string_member_with_default (json_node_get_object (node),
                                                                   "status", NULL)) == NULL)
        {
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                       "Invalid orchestration result in the Prefect API response of POST %s", path);
          return NULL;
        }
      result = json_node_get_object (node);
      result_state = json_object_get_member (result, "state");
      if (json_object_has_member (result, "details")
          && JSON_NODE_HOLDS_OBJECT (json_object_get_member (result, "details")))
        {
          details = json_object_get_object_member (result, "details");
          reason = json_object_get_string_member_with_default (details, "reason", NULL);
        }

      if (g_str_equal (status, "ACCEPT") || g_str_equal (status, "REJECT"))
        {
          if (result_state != NULL && JSON_NODE_HOLDS_OBJECT (result_state))
            return http_transport_object_from_result (result_state,
                                                      (FromJsonFunc) prefect_ctx_state_new_from_json_node,
                                                      "state", error);
          if (g_str_equal (status, "REJECT"))
            {
              g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                           "%s state change rejected: %s", what,
                           reason != NULL ? reason : "no reason given");
              return NULL;
            }
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                       "Invalid orchestration result in the Prefect API response of POST %s: "
                       "no state", path);
          return NULL;
        }

      if (g_str_equal (status, "WAIT") && waits < self->max_retries)
        {
          double delay = details != NULL
                         ? json_object_get_double_member_with_default (details, "delay_seconds", 0.0)
                         : 0.0;

          delay = CLAMP (delay, 0.0, MAX_ORCHESTRATION_WAIT);
          g_debug ("POST %s: the server asks to wait %.3f s", path, delay);
          if (!http_transport_wait_cancellable ((gint64) (delay * G_USEC_PER_SEC), cancellable, error))
            return NULL;
          continue;
        }

      g_set_error (error, PREFECT_CTX_ERROR,
                   g_str_equal (status, "ABORT") ? PREFECT_CTX_ERROR_ABORTED : PREFECT_CTX_ERROR_FAILED,
                   "%s state change %s: %s", what,
                   g_str_equal (status, "ABORT") ? "aborted"
                   : g_str_equal (status, "WAIT") ? "delayed too many times" : status,
                   reason != NULL ? reason : "no reason given");
      return NULL;
    }
}

static PrefectCtxState *
http_set_flow_run_state (PrefectCtxClient  *client,
                         const char        *id,
                         PrefectCtxState   *state,
                         gboolean           force,
                         GCancellable      *cancellable,
                         GError           **error)
{
  PrefectCtxHttpClient *self = PREFECT_CTX_HTTP_CLIENT (client);

  /* A flow run's state follows the task-run states queued before it. */
  http_queue_wait (self->queue);
  return http_client_set_state (self, "/flow_runs/", "Flow run", id, state, force, cancellable, error);
}

/* GET /<kind>_states/?<kind>_id=ID; an empty history of an unknown run is
 * the NOT_FOUND error of reading the run (@run_prefix + ID). */
static GListModel *
read_states (PrefectCtxHttpClient  *self,
             const char            *states_prefix,
             const char            *run_prefix,
             const char            *id,
             GCancellable          *cancellable,
             GError               **error)
{
  g_autofree char *path = http_transport_id_path (states_prefix, id, NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  if (!check_id (id, g_str_equal (run_prefix, "/flow_runs/") ? "Flow run" : "Task run", cancellable, error))
    return NULL;

  if (!http_transport_call (self, "GET", path, NULL, NULL, &node, cancellable, error)
      || !http_transport_append_from_array (items, node, (FromJsonFunc) prefect_ctx_state_new_from_json_node,
                                            "state", error))
    return NULL;

  if (items->len == 0)
    {
      g_autofree char *run_path = http_transport_id_path (run_prefix, id, NULL);
      g_autoptr(JsonNode) run = NULL;

      if (!http_transport_call (self, "GET", run_path, NULL, NULL, &run, cancellable, error))
        return NULL;
    }

  /* Oldest first, as the server sorts them. */
  return http_transport_list_model_new (PREFECT_CTX_TYPE_STATE, items);
}

static GListModel *
http_read_flow_run_states (PrefectCtxClient  *client,
                           const char        *id,
                           GCancellable      *cancellable,
                           GError           **error)
{
  return read_states (PREFECT_CTX_HTTP_CLIENT (client), "/flow_run_states/?flow_run_id=",
                      "/flow_runs/", id, cancellable, error);
}

static gboolean
http_delete_flow_run (PrefectCtxClient  *client,
                      const char        *id,
                      GCancellable      *cancellable,
                      GError           **error)
{
  PrefectCtxHttpClient *self = PREFECT_CTX_HTTP_CLIENT (client);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *path = NULL;

  /* Queued task-run states of the run land first, not after it is gone. */
  http_queue_wait (self->queue);
  if (!check_id (id, "Flow run", cancellable, error))
    return FALSE;
  path = http_transport_id_path ("/flow_runs/", id, NULL);
  return http_transport_call (self, "DELETE", path, NULL, NULL, &node, cancellable, error);
}

/* ------------------------------------------------------------------------ */
/* Task runs */

static PrefectCtxTaskRun *
http_create_task_run (PrefectCtxClient   *client,
                      PrefectCtxTaskRun  *task_run,
                      GCancellable       *cancellable,
                      GError            **error)
{
  static const char * const allowed[] = {
    "flow_run_id", "task_key", "dynamic_key", "name", "tags", "empirical_policy", "task_inputs", NULL
  };
  PrefectCtxHttpClient *self = PREFECT_CTX_HTTP_CLIENT (client);
  const char *task_key = prefect_ctx_task_run_get_task_key (task_run);
  g_autoptr(JsonNode) body = NULL;
  PrefectCtxTaskRun *created;

  if (task_key == NULL || *task_key == '\0')
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "A task run needs a task key");
      return NULL;
    }

  body = http_transport_keep_members (prefect_ctx_task_run_to_json_node (task_run), allowed);
  if (!json_object_has_member (json_node_get_object (body), "dynamic_key"))
    json_object_set_string_member (json_node_get_object (body), "dynamic_key", "0");
  http_transport_set_state_member (body, prefect_ctx_task_run_get_state (task_run));
  http_queue_begin_create (self->queue);
  created = http_transport_post_object (self, "/task_runs/", body,
                                        (FromJsonFunc) prefect_ctx_task_run_new_from_json_node, "task run",
                                        cancellable, error);
  http_queue_end_create (self->queue);
  return created;
}

static PrefectCtxTaskRun *
http_read_task_run (PrefectCtxClient  *client,
                    const char        *id,
                    GCancellable      *cancellable,
                    GError           **error)
{
  http_queue_wait (PREFECT_CTX_HTTP_CLIENT (client)->queue);
  if (!check_id (id, "Task run", cancellable, error))
    return NULL;

  g_autofree char *path = http_transport_id_path ("/task_runs/", id, NULL);

  return http_transport_get_object (PREFECT_CTX_HTTP_CLIENT (client), path,
                                    (FromJsonFunc) prefect_ctx_task_run_new_from_json_node, "task run",
                                    cancellable, error);
}

static GListModel *
http_filter_task_runs (PrefectCtxClient  *client,
                       const char        *flow_run_id,
                       const char        *sort,
                       guint              limit,
                       guint              offset,
                       GCancellable      *cancellable,
                       GError           **error)
{
  http_queue_wait (PREFECT_CTX_HTTP_CLIENT (client)->queue);
  g_autoptr(JsonNode) body = http_transport_filter_body (flow_run_id, sort);

  return http_transport_post_filter_paged (PREFECT_CTX_HTTP_CLIENT (client), "/task_runs/filter", body,
                                           limit, offset, PREFECT_CTX_TYPE_TASK_RUN,
                                           (FromJsonFunc) prefect_ctx_task_run_new_from_json_node, "task run",
                                           cancellable, error);
}

static GListModel *
http_read_task_runs (PrefectCtxClient  *client,
                     const char        *flow_run_id,
                     guint              limit,
                     guint              offset,
                     GCancellable      *cancellable,
                     GError           **error)
{
  return http_filter_task_runs (client, flow_run_id, "EXPECTED_START_TIME_ASC", limit, offset, cancellable, error);
}

static GListModel *
http_read_latest_task_runs (PrefectCtxClient  *client,
                            const char        *flow_run_id,
                            guint              limit,
                            guint              offset,
                            GCancellable      *cancellable,
                            GError           **error)
{
  return http_filter_task_runs (client, flow_run_id, "EXPECTED_START_TIME_DESC", limit, offset, cancellable, error);
}

static PrefectCtxState *
http_set_task_run_state (PrefectCtxClient  *client,
                         const char        *id,
                         PrefectCtxState   *state,
                         gboolean           force,
                         GCancellable      *cancellable,
                         GError           **error)
{
  PrefectCtxHttpClient *self = PREFECT_CTX_HTTP_CLIENT (client);

  if (!g_atomic_int_get (&self->queue_task_run_states))
    return http_client_set_state (self, "/task_runs/", "Task run", id, state, force, cancellable, error);
  if (!check_id (id, "Task run", cancellable, error))
    return NULL;
  http_queue_push_state (self->queue, id, state, force);
  return g_object_ref (state);
}

/* Created Pending (the state in the POST), then @state queued: the body
 * starts after one round trip. */
static PrefectCtxTaskRun *
http_create_task_run_and_set_state (PrefectCtxClient   *client,
                                    PrefectCtxTaskRun  *task_run,
                                    PrefectCtxState    *state,
                                    GCancellable       *cancellable,
                                    GError            **error)
{
  PrefectCtxHttpClient *self = PREFECT_CTX_HTTP_CLIENT (client);
  g_autoptr(PrefectCtxTaskRun) created = NULL;
  g_autoptr(PrefectCtxState) stored = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  created = http_create_task_run (client, task_run, cancellable, error);
  if (created == NULL)
    return NULL;
  stored = http_set_task_run_state (client, prefect_ctx_task_run_get_id (created), state, FALSE,
                                    cancellable, error);
  if (stored == NULL)
    return NULL;
  if (!g_atomic_int_get (&self->queue_task_run_states))
    return http_read_task_run (client, prefect_ctx_task_run_get_id (created), cancellable, error);

  /* The run as the server will have it once the queued state is in. */
  node = prefect_ctx_task_run_to_json_node (created);
  object = json_node_get_object (node);
  json_object_set_member (object, "state", prefect_ctx_state_to_json_node (stored));
  json_object_set_int_member (object, "run_count",
                              json_object_get_int_member_with_default (object, "run_count", 0)
                              + (prefect_ctx_state_get_state_type (stored) == PREFECT_CTX_STATE_TYPE_RUNNING));
  return prefect_ctx_task_run_new_from_json_node (node, error);
}

static gboolean
http_flush (PrefectCtxClient  *client,
            GCancellable      *cancellable,
            GError           **error)
{
  return http_queue_flush (PREFECT_CTX_HTTP_CLIENT (client)->queue, cancellable, error);
}

static GListModel *
http_read_task_run_states (PrefectCtxClient  *client,
                           const char        *id,
                           GCancellable      *cancellable,
                           GError           **error)
{
  http_queue_wait (PREFECT_CTX_HTTP_CLIENT (client)->queue);
  return read_states (PREFECT_CTX_HTTP_CLIENT (client), "/task_run_states/?task_run_id=",
                      "/task_runs/", id, cancellable, error);
}

static guint
http_count_task_runs (PrefectCtxClient  *client,
                      const char        *flow_run_id,
                      gboolean           finished_only,
                      GCancellable      *cancellable,
                      GError           **error)
{
  g_autoptr(JsonNode) body = http_transport_filter_body (flow_run_id, NULL);
  g_autoptr(JsonNode) node = NULL;
  gint64 count;

  http_queue_wait (PREFECT_CTX_HTTP_CLIENT (client)->queue);

  if (finished_only)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) types = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "any_");
      json_builder_begin_array (builder);
      for (int type = PREFECT_CTX_STATE_TYPE_SCHEDULED; type <= PREFECT_CTX_STATE_TYPE_CANCELLING; type++)
        if (prefect_ctx_state_type_is_finished (type))
          json_builder_add_string_value (builder, prefect_ctx_state_type_to_string (type));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      types = json_builder_get_root (builder);
      http_transport_set_nested (json_node_get_object (body), "task_runs", "state", g_steal_pointer (&types));
    }

  if (!http_transport_call (PREFECT_CTX_HTTP_CLIENT (client), "POST", "/task_runs/count", body, NULL, &node,
                            cancellable, error))
    return 0;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64
      || (count = json_node_get_int (node)) < 0)
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                           "Invalid count in the Prefect API response of POST /task_runs/count");
      return 0;
    }
  return (guint) MIN (count, (gint64) G_MAXUINT);
}

/* ------------------------------------------------------------------------ */
/* Logs */

static gboolean
http_create_logs (PrefectCtxClient  *client,
                  GPtrArray         *logs,
                  GCancellable      *cancellable,
                  GError           **error)
{
  static const char * const allowed[] = {
    "name", "level", "message", "timestamp", "flow_run_id", "task_run_id", NULL
  };
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *now = NULL;
  JsonArray *array;

  for (guint i = 0; i < logs->len; i++)
    if (!PREFECT_CTX_IS_LOG_ENTRY (g_ptr_array_index (logs, i)))
      {
        g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                     "Element %u of the logs is not a PrefectCtxLogEntry", i);
        return FALSE;
      }

  if (logs->len == 0)
    return !g_cancellable_set_error_if_cancelled (cancellable, error);

  array = json_array_sized_new (logs->len);
  for (guint i = 0; i < logs->len; i++)
    {
      PrefectCtxLogEntry *entry = g_ptr_array_index (logs, i);
      JsonNode *item = http_transport_keep_members (prefect_ctx_log_entry_to_json_node (entry), allowed);
      JsonObject *object = json_node_get_object (item);

      if (!json_object_has_member (object, "timestamp"))
        {
          if (now == NULL)
            {
              g_autoptr(GDateTime) time = g_date_time_new_now_utc ();

              now = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S.%f+00:00");
            }
          json_object_set_string_member (object, "timestamp", now);
        }
      json_array_add_element (array, item);
    }
  body = json_node_init_array (json_node_alloc (), array);
  json_array_unref (array);

  return http_transport_call (PREFECT_CTX_HTTP_CLIENT (client), "POST", "/logs/", body, NULL, &node,
                              cancellable, error);
}

static JsonNode *
timestamp_node (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
  g_autofree char *text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.%f+00:00");

  return json_node_init_string (json_node_alloc (), text);
}

static GListModel *
http_read_logs (PrefectCtxClient  *client,
                const char        *flow_run_id,
                GDateTime         *after,
                GDateTime         *before,
                guint              limit,
                guint              offset,
                GCancellable      *cancellable,
                GError           **error)
{
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  json_node_take_object (body, object);
  json_object_set_string_member (object, "sort", "TIMESTAMP_ASC");
  if (flow_run_id != NULL)
    http_transport_set_nested (object, "logs", "flow_run_id", http_transport_any_of_string (flow_run_id));
  if (after != NULL || before != NULL)
    {
      JsonObject *timestamp = json_object_new ();

      /* The server's after_ is inclusive; timestamps have microseconds. */
      if (after != NULL)
        {
          g_autoptr(GDateTime) later = g_date_time_add (after, 1);

          json_object_set_member (timestamp, "after_", timestamp_node (later));
        }
      if (before != NULL)
        json_object_set_member (timestamp, "before_", timestamp_node (before));
      http_transport_set_nested (object, "logs", "timestamp", json_node_init_object (json_node_alloc (), timestamp));
      json_object_unref (timestamp);
    }

  return http_transport_post_filter_paged (PREFECT_CTX_HTTP_CLIENT (client), "/logs/filter", body,
                                           limit, offset, PREFECT_CTX_TYPE_LOG_ENTRY,
                                           (FromJsonFunc) prefect_ctx_log_entry_new_from_json_node, "log entry",
                                           cancellable, error);
}

/* ------------------------------------------------------------------------ */
/* Deployments */

static PrefectCtxDeployment *
http_create_deployment (PrefectCtxClient      *client,
                        PrefectCtxDeployment  *deployment,
                        GCancellable          *cancellable,
                        GError               **error)
{
  static const char * const allowed[] = {
    "name", "flow_id", "version", "parameters", "tags", NULL
  };
  const char *name = prefect_ctx_deployment_get_name (deployment);
  g_autoptr(JsonNode) body = NULL;

  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "A deployment needs a name");
      return NULL;
    }

  body = http_transport_keep_members (prefect_ctx_deployment_to_json_node (deployment), allowed);
  return http_transport_post_object (PREFECT_CTX_HTTP_CLIENT (client), "/deployments/", body,
                                     (FromJsonFunc) prefect_ctx_deployment_new_from_json_node, "deployment",
                                     cancellable, error);
}

static PrefectCtxDeployment *
http_read_deployment (PrefectCtxClient  *client,
                      const char        *id,
                      GCancellable      *cancellable,
                      GError           **error)
{
  if (!check_id (id, "Deployment", cancellable, error))
    return NULL;

  g_autofree char *path = http_transport_id_path ("/deployments/", id, NULL);

  return http_transport_get_object (PREFECT_CTX_HTTP_CLIENT (client), path,
                                    (FromJsonFunc) prefect_ctx_deployment_new_from_json_node, "deployment",
                                    cancellable, error);
}

static GListModel *
http_read_deployments (PrefectCtxClient  *client,
                       guint              limit,
                       guint              offset,
                       GCancellable      *cancellable,
                       GError           **error)
{
  return read_newest_first (client, "/deployments/filter", PREFECT_CTX_TYPE_DEPLOYMENT,
                            (FromJsonFunc) prefect_ctx_deployment_new_from_json_node, "deployment",
                            limit, offset, cancellable, error);
}

static void
prefect_ctx_http_client_client_iface_init (PrefectCtxClientInterface *iface)
{
  iface->create_flow = http_create_flow;
  iface->read_flow = http_read_flow;
  iface->create_flow_run = http_create_flow_run;
  iface->read_flow_run = http_read_flow_run;
  iface->read_flow_runs = http_read_flow_runs;
  iface->set_flow_run_state = http_set_flow_run_state;
  iface->read_flow_run_states = http_read_flow_run_states;
  iface->create_task_run = http_create_task_run;
  iface->read_task_run = http_read_task_run;
  iface->read_task_runs = http_read_task_runs;
  iface->read_latest_task_runs = http_read_latest_task_runs;
  iface->set_task_run_state = http_set_task_run_state;
  iface->read_task_run_states = http_read_task_run_states;
  iface->count_task_runs = http_count_task_runs;
  iface->create_logs = http_create_logs;
  iface->read_logs = http_read_logs;
  iface->create_deployment = http_create_deployment;
  iface->read_deployment = http_read_deployment;
  iface->read_flows = http_read_flows;
  iface->read_deployments = http_read_deployments;
  iface->delete_flow_run = http_delete_flow_run;
  iface->create_task_run_and_set_state = http_create_task_run_and_set_state;
  iface->flush = http_flush;
  /* create_task_run_and_set_state: the interface's default (two calls and
   * a read), as the server has no single call for it. */
}

/* ------------------------------------------------------------------------ */
/* The object */

static gboolean
prefect_ctx_http_client_initable_init (GInitable     *initable,
                                       GCancellable  *cancellable,
                                       GError       **error)
{
  PrefectCtxHttpClient *self = PREFECT_CTX_HTTP_CLIENT (initable);
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  gsize length;

  if (self->api_url == NULL || *self->api_url == '\0')
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "A Prefect API URL is needed");
      return FALSE;
    }

  uri = g_uri_parse (self->api_url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || scheme == NULL
      || (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Invalid Prefect API URL '%s': an http or https URL without query "
                   "nor fragment is needed", self->api_url);
      return FALSE;
    }

  /* Paths are appended: "http://host/api/" + "/flows/" would double the '/'. */
  length = strlen (self->api_url);
  while (length > 0 && self->api_url[length - 1] == '/')
    self->api_url[--length] = '\0';

  self->session = soup_session_new_with_options ("user-agent", "libprefectctx/" PACKAGE_VERSION,
                                                 "timeout", (guint) ceil (self->request_timeout),
                                                 "max-conns", 64,
                                                 "max-conns-per-host", 32,
                                                 NULL);
  return TRUE;
}

static void
prefect_ctx_http_client_initable_iface_init (GInitableIface *iface)
{
  iface->init = prefect_ctx_http_client_initable_init;
}

static void
prefect_ctx_http_client_finalize (GObject *object)
{
  PrefectCtxHttpClient *self = PREFECT_CTX_HTTP_CLIENT (object);

  /* Ships what is queued, with the session still there. */
  g_clear_pointer (&self->queue, http_queue_free);
  g_clear_object (&self->session);
  g_free (self->api_url);
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_free (self->api_key);

  G_OBJECT_CLASS (prefect_ctx_http_client_parent_class)->finalize (object);
}

static void
prefect_ctx_http_client_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  PrefectCtxHttpClient *self = PREFECT_CTX_HTTP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_API_URL:
      g_value_set_string (value, self->api_url);
      break;

    case PROP_MAX_RETRIES:
      g_value_set_uint (value, self->max_retries);
      break;

    case PROP_RETRY_JITTER_FACTOR:
      g_value_set_double (value, self->jitter_factor);
      break;

    case PROP_RETRY_BASE_DELAY:
      g_value_set_double (value, self->base_delay);
      break;

    case PROP_REQUEST_TIMEOUT:
      g_value_set_double (value, self->request_timeout);
      break;

    case PROP_MAX_RETRY_WAIT:
      g_value_set_double (value, self->max_retry_wait);
      break;

    case PROP_MAX_RETRY_TIME:
      g_value_set_double (value, self->max_retry_time);
      break;

    case PROP_QUEUE_TASK_RUN_STATES:
      g_value_set_boolean (value, g_atomic_int_get (&self->queue_task_run_states));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_http_client_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  PrefectCtxHttpClient *self = PREFECT_CTX_HTTP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_API_URL:
      self->api_url = g_value_dup_string (value);
      break;

    case PROP_API_KEY:
      {
        const char *key = g_value_get_string (value);

        self->api_key = key != NULL && *key != '\0' ? g_strdup (key) : NULL;
      }
      break;

    case PROP_MAX_RETRIES:
      self->max_retries = g_value_get_uint (value);
      break;

    case PROP_RETRY_JITTER_FACTOR:
      self->jitter_factor = g_value_get_double (value);
      break;

    case PROP_RETRY_BASE_DELAY:
      self->base_delay = g_value_get_double (value);
      break;

    case PROP_REQUEST_TIMEOUT:
      self->request_timeout = g_value_get_double (value);
      break;

    case PROP_MAX_RETRY_WAIT:
      self->max_retry_wait = g_value_get_double (value);
      break;

    case PROP_MAX_RETRY_TIME:
      self->max_retry_time = g_value_get_double (value);
      break;

    case PROP_QUEUE_TASK_RUN_STATES:
      prefect_ctx_http_client_set_queue_task_run_states (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_http_client_class_init (PrefectCtxHttpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = prefect_ctx_http_client_finalize;
  object_class->get_property = prefect_ctx_http_client_get_property;
  object_class->set_property = prefect_ctx_http_client_set_property;

  /**
   * PrefectCtxHttpClient:api-url:
   *
   * The base URL of the server's REST API (`PREFECT_API_URL`), such as
   * `http://127.0.0.1:4200/api`; an http or https URL. Trailing slashes are
   * removed.
   */
  properties[PROP_API_URL] =
    g_param_spec_string ("api-url", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxHttpClient:api-key:
   *
   * The API key (`PREFECT_API_KEY`) sent as `Authorization: Bearer <key>`,
   * or %NULL (or empty) for none. It is a secret: the property can be set
   * but not read (see [method@PrefectCtx.HttpClient.has_api_key]), and the
   * key is never logged.
   */
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL,
                         NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxHttpClient:max-retries:
   *
   * How many times a request that failed with HTTP 408, 429, 502 or 503, or
   * timed out, is retried (`PREFECT_CLIENT_MAX_RETRIES`, 5 by default); 0
   * for no retries.
   */
  properties[PROP_MAX_RETRIES] =
    g_param_spec_uint ("max-retries", NULL, NULL,
                       0, G_MAXUINT, 5,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxHttpClient:retry-jitter-factor:
   *
   * The random jitter of the waits between retries, as a fraction of the
   * wait (`PREFECT_CLIENT_RETRY_JITTER_FACTOR`, 0.2 by default): a wait of
   * d seconds becomes between d × (1 - factor) and d × (1 + factor), or
   * between d and d × (1 + factor) when the server gave d in `Retry-After`.
   */
  properties[PROP_RETRY_JITTER_FACTOR] =
    g_param_spec_double ("retry-jitter-factor", NULL, NULL,
                         0.0, G_MAXDOUBLE, 0.2,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxHttpClient:retry-base-delay:
   *
   * The unit of the waits between retries when the server gives no
   * `Retry-After`, in seconds: the n-th retry waits this × 2^n seconds
   * (before the jitter). 1 by default, so that the waits are 2, 4, 8...
   * seconds as with Prefect's client; tests set it small.
   */
  properties[PROP_RETRY_BASE_DELAY] =
    g_param_spec_double ("retry-base-delay", NULL, NULL,
                         0.0, G_MAXDOUBLE, 1.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxHttpClient:request-timeout:
   *
   * The longest one request may take, from sending it to the last byte of
   * the response, in seconds (60 by default, as Prefect's
   * `PREFECT_API_REQUEST_TIMEOUT`); 0 for no limit. A request that takes
   * longer is a timeout, retried as the others are. It bounds the waits
   * for each read of the connection as well.
   */
  properties[PROP_REQUEST_TIMEOUT] =
    g_param_spec_double ("request-timeout", NULL, NULL,
                         0.0, G_MAXDOUBLE, 60.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxHttpClient:max-retry-wait:
   *
   * The longest wait before one retry, in seconds (60 by default): a
   * `Retry-After` asking for more is cut to this.
   */
  properties[PROP_MAX_RETRY_WAIT] =
    g_param_spec_double ("max-retry-wait", NULL, NULL,
                         0.0, G_MAXDOUBLE, 60.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxHttpClient:max-retry-time:
   *
   * The most time one call spends waiting to retry, in seconds (300 by
   * default): when the next wait would go beyond it, the call fails at
   * once with the last failure (`... failed after retries: ...`).
   */
  properties[PROP_MAX_RETRY_TIME] =
    g_param_spec_double ("max-retry-time", NULL, NULL,
                         0.0, G_MAXDOUBLE, 300.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxHttpClient:queue-task-run-states:
   *
   * Whether [method@PrefectCtx.Client.set_task_run_state] queues the state
   * and returns at once (%TRUE, the default) or waits for the server's
   * answer (%FALSE).
   *
   * Queued states are shipped in the background, as Prefect 3's engine
   * ships task-run states: each task run's in the order they were set, the
   * task runs' in parallel over up to 4 connections. The call then returns
   * the state it was given, and a task's body starts after one round trip
   * (the POST that creates the task run with its `Pending` state) instead
   * of two. Reads of task runs, and every flow-run state change, first wait
   * for what was queued before; [method@PrefectCtx.Client.flush] waits too
   * and reports what failed, and the engine flushes before a flow run's
   * final state, so that a flow run is never stored finished before its
   * task runs are. A queued state the server does not accept (rejected,
   * aborted, or failed after the retries) is an error of that flush, and
   * the flow run fails with it.
   *
   * The server still orchestrates the queued states, but the task's body
   * does not wait for its decision: a task-run concurrency limit (a tag
   * limit) or a cached result known to the server does not delay or skip
   * the body. Set this to %FALSE where that matters. States still queued
   * when the process dies are lost; the client ships them when it is
   * finalized.
   */
  properties[PROP_QUEUE_TASK_RUN_STATES] =
    g_param_spec_boolean ("queue-task-run-states", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_http_client_init (PrefectCtxHttpClient *self)
{
  self->max_retries = 5;
  self->jitter_factor = 0.2;
  self->base_delay = 1.0;
  self->request_timeout = 60.0;
  self->max_retry_wait = 60.0;
  self->max_retry_time = 300.0;
  self->queue_task_run_states = TRUE;
  self->queue = http_queue_new (self);
}

/**
 * prefect_ctx_http_client_new:
 * @api_url: the base URL of the server's REST API, such as
 *   `http://127.0.0.1:4200/api`
 * @api_key: (nullable): the API key, or %NULL for none
 * @error: return location for a #GError
 *
 * Makes a client of the Prefect server at @api_url, with the default retry
 * policy (see [property@PrefectCtx.HttpClient:max-retries]). No request is
 * made: see [method@PrefectCtx.HttpClient.check_health] to check that the
 * server answers.
 *
 * A URL that is not an http or https URL is a
 * %PREFECT_CTX_ERROR_INVALID_ARGUMENT error.
 *
 * Returns: (transfer full): a new client, or %NULL with @error set
 */
PrefectCtxHttpClient *
prefect_ctx_http_client_new (const char  *api_url,
                             const char  *api_key,
                             GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (PREFECT_CTX_TYPE_HTTP_CLIENT, NULL, error,
                         "api-url", api_url,
                         "api-key", api_key,
                         NULL);
}

/**
 * prefect_ctx_http_client_new_from_settings:
 * @settings: settings
 * @error: return location for a #GError
 *
 * Makes a client of the server `PREFECT_API_URL` of @settings names, with
 * `PREFECT_API_KEY`, `PREFECT_CLIENT_MAX_RETRIES` and
 * `PREFECT_CLIENT_RETRY_JITTER_FACTOR` of @settings.
 *
 * Settings without `PREFECT_API_URL`, or with one that is not an http or
 * https URL, are a %PREFECT_CTX_ERROR_INVALID_ARGUMENT error.
 *
 * Returns: (transfer full): a new client, or %NULL with @error set
 */
PrefectCtxHttpClient *
prefect_ctx_http_client_new_from_settings (PrefectCtxSettings  *settings,
                                           GError             **error)
{
  const char *api_url;

  g_return_val_if_fail (PREFECT_CTX_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  api_url = prefect_ctx_settings_get_api_url (settings);
  if (api_url == NULL || *api_url == '\0')
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "PREFECT_API_URL is not set");
      return NULL;
    }

  return g_initable_new (PREFECT_CTX_TYPE_HTTP_CLIENT, NULL, error,
                         "api-url", api_url,
                         "api-key", prefect_ctx_settings_get_api_key (settings),
                         "max-retries", (guint) MAX (prefect_ctx_settings_get_client_max_retries (settings), 0),
                         "retry-jitter-factor",
                         MAX (prefect_ctx_settings_get_client_retry_jitter_factor (settings), 0.0),
                         NULL);
}

/**
 * prefect_ctx_http_client_get_api_url:
 * @self: an HTTP client
 *
 * Gets the [property@PrefectCtx.HttpClient:api-url] property of @self.
 *
 * Returns: (transfer none): the base URL of the server's REST API, without
 *   a trailing slash
 */
const char *
prefect_ctx_http_client_get_api_url (PrefectCtxHttpClient *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_HTTP_CLIENT (self), NULL);

  return self->api_url;
}

/**
 * prefect_ctx_http_client_has_api_key:
 * @self: an HTTP client
 *
 * Gets whether @self sends an API key (the key itself cannot be read back).
 *
 * Returns: %TRUE when [property@PrefectCtx.HttpClient:api-key] is set
 */
gboolean
prefect_ctx_http_client_has_api_key (PrefectCtxHttpClient *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_HTTP_CLIENT (self), FALSE);

  return self->api_key != NULL;
}

/**
 * prefect_ctx_http_client_get_max_retries:
 * @self: an HTTP client
 *
 * Gets the [property@PrefectCtx.HttpClient:max-retries] property of @self.
 *
 * Returns: how many times a failed request is retried
 */
guint
prefect_ctx_http_client_get_max_retries (PrefectCtxHttpClient *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_HTTP_CLIENT (self), 0);

  return self->max_retries;
}

/**
 * prefect_ctx_http_client_get_retry_jitter_factor:
 * @self: an HTTP client
 *
 * Gets the [property@PrefectCtx.HttpClient:retry-jitter-factor] property of
 * @self.
 *
 * Returns: the jitter of the waits between retries, as a fraction
 */
double
prefect_ctx_http_client_get_retry_jitter_factor (PrefectCtxHttpClient *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_HTTP_CLIENT (self), 0.0);

  return self->jitter_factor;
}

/**
 * prefect_ctx_http_client_get_retry_base_delay:
 * @self: an HTTP client
 *
 * Gets the [property@PrefectCtx.HttpClient:retry-base-delay] property of
 * @self.
 *
 * Returns: the unit of the waits between retries, in seconds
 */
double
prefect_ctx_http_client_get_retry_base_delay (PrefectCtxHttpClient *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_HTTP_CLIENT (self), 0.0);

  return self->base_delay;
}

/**
 * prefect_ctx_http_client_get_queue_task_run_states:
 * @self: a client
 *
 * Gets whether task-run states are queued and shipped in the background:
 * see [property@PrefectCtx.HttpClient:queue-task-run-states].
 *
 * Returns: %TRUE if they are queued (the default)
 */
gboolean
prefect_ctx_http_client_get_queue_task_run_states (PrefectCtxHttpClient *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_HTTP_CLIENT (self), FALSE);

  return g_atomic_int_get (&self->queue_task_run_states);
}

/**
 * prefect_ctx_http_client_set_queue_task_run_states:
 * @self: a client
 * @queue: whether to queue task-run states
 *
 * Sets whether task-run states are queued and shipped in the background
 * (%TRUE) or sent and waited for (%FALSE): see
 * [property@PrefectCtx.HttpClient:queue-task-run-states]. States queued
 * already are shipped either way.
 */
void
prefect_ctx_http_client_set_queue_task_run_states (PrefectCtxHttpClient *self,
                                                   gboolean              queue)
{
  g_return_if_fail (PREFECT_CTX_IS_HTTP_CLIENT (self));

  if (g_atomic_int_exchange (&self->queue_task_run_states, !!queue) != !!queue)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUE_TASK_RUN_STATES]);
}

/**
 * prefect_ctx_http_client_check_health:
 * @self: an HTTP client
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Checks that the server answers: `GET /health`, which a healthy server
 * answers with `true`. Retried as every request is.
 *
 * Returns: %TRUE when the server is healthy, or %FALSE with @error set
 */
gboolean
prefect_ctx_http_client_check_health (PrefectCtxHttpClient  *self,
                                      GCancellable          *cancellable,
                                      GError               **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (PREFECT_CTX_IS_HTTP_CLIENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!http_transport_call (self, "GET", "/health", NULL, NULL, &node, cancellable, error))
    return FALSE;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN || !json_node_get_boolean (node))
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                   "The Prefect server at %s is not healthy", self->api_url);
      return FALSE;
    }
  return TRUE;
}

