/* prefectctx-http-transport.c: the requests of the HTTP client (retries,
 * cancellable waits, deadlines, the server's error detail) and its JSON
 * bodies
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
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

/* ------------------------------------------------------------------------ */
/* Waiting, cancellably */

typedef struct {
  GMutex   lock;
  GCond    cond;
  gboolean cancelled;
} Waiter;

static void
waiter_cancelled (GCancellable *cancellable,
                  gpointer      data)
{
  Waiter *waiter = data;

  prefect_ctx_mutex_lock (&waiter->lock);
  waiter->cancelled = TRUE;
  g_cond_signal (&waiter->cond);
  prefect_ctx_mutex_unlock (&waiter->lock);
}

/* Sleeps @usec microseconds, or until @cancellable is cancelled (FALSE with
 * G_IO_ERROR_CANCELLED). */
gboolean
http_transport_wait_cancellable (gint64         usec,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  Waiter waiter = { 0, };
  gint64 end = g_get_monotonic_time () + MAX (usec, 0);
  gulong handler = 0;

  g_mutex_init (&waiter.lock);
  g_cond_init (&waiter.cond);

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (waiter_cancelled), &waiter, NULL);

  prefect_ctx_mutex_lock (&waiter.lock);
  while (!waiter.cancelled)
    {
      gboolean signalled;

      PREFECT_CTX_TSAN_RELEASE (&waiter.lock);
      signalled = prefect_ctx_cond_wait_until (&waiter.cond, &waiter.lock, end);
      PREFECT_CTX_TSAN_ACQUIRE (&waiter.lock);
      if (!signalled)
        break;
    }
  prefect_ctx_mutex_unlock (&waiter.lock);

  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler);

  g_cond_clear (&waiter.cond);
  g_mutex_clear (&waiter.lock);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* Waits before retry number @retry, unless the call's waits would then
 * exceed max-retry-time: FALSE with *give_up set then (nothing waited), or
 * FALSE with @error set when cancelled. Each wait is at most
 * max-retry-wait. */
static gboolean
retry_wait (PrefectCtxHttpClient  *self,
            gint64                 delay,
            gint64                *waited,
            gboolean              *give_up,
            GCancellable          *cancellable,
            GError               **error)
{
  delay = MIN (delay, (gint64) (self->max_retry_wait * G_USEC_PER_SEC));
  if (*waited + delay > (gint64) (self->max_retry_time * G_USEC_PER_SEC))
    {
      *give_up = TRUE;
      return FALSE;
    }
  *waited += delay;
  return http_transport_wait_cancellable (delay, cancellable, error);
}

/* The deadline of one attempt: a cancellable that the caller's cancels,
 * and that a timer thread cancels once request-timeout has passed (libsoup's
 * own timeout is per socket read, so a server sending a byte now and then
 * would hold a call for ever). */
typedef struct {
  GCancellable *cancellable;
  GCancellable *caller;
  gulong        handler;
  GSource      *timer;
} Deadline;

static gpointer
timer_thread_main (gpointer data)
{
  GMainContext *context = data;

  for (;;)
    g_main_context_iteration (context, TRUE);
  return NULL;
}

static GMainContext *
timer_context (void)
{
  static GMainContext *context;

  if (g_once_init_enter (&context))
    {
      GMainContext *made = g_main_context_new ();

      g_thread_unref (g_thread_new ("prefectctx-timer", timer_thread_main, made));
      g_once_init_leave (&context, made);
    }
  return context;
}

static gboolean
deadline_passed (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled (GCancellable *caller,
                  gpointer      data)
{
  g_cancellable_cancel (data);
}

static void
deadline_begin (PrefectCtxHttpClient *self,
                Deadline             *deadline,
                GCancellable         *caller)
{
  deadline->cancellable = g_cancellable_new ();
  deadline->caller = caller;
  deadline->handler = 0;
  deadline->timer = NULL;
  if (caller != NULL)
    deadline->handler = g_cancellable_connect (caller, G_CALLBACK (caller_cancelled),
                                               g_object_ref (deadline->cancellable), g_object_unref);
  if (self->request_timeout > 0)
    {
      guint ms = (guint) MIN (self->request_timeout * 1000.0, (double) G_MAXUINT);

      deadline->timer = g_timeout_source_new (MAX (ms, 1));
      g_source_set_callback (deadline->timer, deadline_passed, g_object_ref (deadline->cancellable),
                             g_object_unref);
      g_source_attach (deadline->timer, timer_context ());
    }
}

/* TRUE when the attempt was stopped by its deadline, not by the caller. */
static gboolean
deadline_end (Deadline *deadline)
{
  gboolean passed;

  if (deadline->timer != NULL)
    {
      g_source_destroy (deadline->timer);
      g_source_unref (deadline->timer);
    }
  if (deadline->caller != NULL)
    g_cancellable_disconnect (deadline->caller, deadline->handler);
  passed = g_cancellable_is_cancelled (deadline->cancellable)
           && (deadline->caller == NULL || !g_cancellable_is_cancelled (deadline->caller));
  g_object_unref (deadline->cancellable);
  return passed;
}

/* ------------------------------------------------------------------------ */
/* Requests */

static gboolean
is_retryable_status (guint status)
{
  return status == SOUP_STATUS_REQUEST_TIMEOUT          /* 408 */
         || status == 429                               /* Too Many Requests */
         || status == SOUP_STATUS_BAD_GATEWAY           /* 502 */
         || status == SOUP_STATUS_SERVICE_UNAVAILABLE;  /* 503 */
}

/* How long to wait before retry number @retry (1 for the first), in
 * microseconds: Retry-After of @msg when it has one (up to the jitter
 * factor longer), else base × 2^retry, give or take the jitter factor. */
static gint64
retry_delay (PrefectCtxHttpClient *self,
             SoupMessage          *msg,
             guint                 retry)
{
  const char *retry_after = NULL;
  double low, high;

  if (msg != NULL && soup_message_get_status (msg) != SOUP_STATUS_NONE)
    retry_after = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                "Retry-After");
  if (retry_after != NULL)
    {
      char *end = NULL;
      double seconds = g_ascii_strtod (retry_after, &end);

      if (end == retry_after || *end != '\0' || !isfinite (seconds))
        {
          /* An HTTP date, or nothing usable. */
          g_autoptr(GDateTime) date = soup_date_time_new_from_http_string (retry_after);
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

          seconds = date != NULL ? g_date_time_difference (date, now) / (double) G_USEC_PER_SEC
                                 : -1.0;
        }
      if (seconds >= 0.0)
        {
          low = seconds;
          high = seconds * (1.0 + self->jitter_factor);
          goto pick;
        }
    }

  {
    double delay = self->base_delay * ldexp (1.0, (int) MIN (retry, 30));

    low = MAX (0.0, delay * (1.0 - self->jitter_factor));
    high = delay * (1.0 + self->jitter_factor);
  }

pick:
  return (gint64) ((low + g_random_double () * (high - low)) * G_USEC_PER_SEC);
}

/* The server's explanation in an error body: "detail" (a string, or
 * FastAPI's list of validation errors) or "exception_detail" (Prefect's
 * 422 body). NULL when there is none. */
static char *
error_detail (JsonNode *node)
{
  JsonObject *object;
  JsonNode *detail;
  JsonArray *list = NULL;
  g_autoptr(GString) text = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);

  if ((detail = json_object_get_member (object, "exception_detail")) != NULL
      && JSON_NODE_HOLDS_ARRAY (detail))
    list = json_node_get_array (detail);
  else if ((detail = json_object_get_member (object, "detail")) != NULL)
    {
      if (JSON_NODE_HOLDS_VALUE (detail) && json_node_get_value_type (detail) == G_TYPE_STRING)
        return g_strdup (json_node_get_string (detail));
      if (JSON_NODE_HOLDS_ARRAY (detail))
        list = json_node_get_array (detail);
    }

  /* The server's handler of its ObjectNotFoundError (set_state of an
   * unknown run): {"exception_message": "Flow run with id ... not found"}. */
  if (list == NULL && (detail = json_object_get_member (object, "exception_message")) != NULL
      && JSON_NODE_HOLDS_VALUE (detail) && json_node_get_value_type (detail) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (detail));

  if (list == NULL)
    return NULL;

  /* Validation errors: "body.flow_id: value is not a valid uuid; ..." */
  text = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *item = json_array_get_element (list, i);
      JsonObject *entry;
      JsonNode *loc;
      const char *msg;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      entry = json_node_get_object (item);
      msg = json_object_get_string_member_with_default (entry, "msg", NULL);
      if (msg == NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, "; ");
      loc = json_object_get_member (entry, "loc");
      if (loc != NULL && JSON_NODE_HOLDS_ARRAY (loc))
        {
          JsonArray *parts = json_node_get_array (loc);
          guint n = json_array_get_length (parts);

          for (guint j = 0; j < n; j++)
            {
              JsonNode *part = json_array_get_element (parts, j);

              if (j > 0)
                g_string_append_c (text, '.');
              if (JSON_NODE_HOLDS_VALUE (part) && json_node_get_value_type (part) == G_TYPE_STRING)
                g_string_append (text, json_node_get_string (part));
              else if (JSON_NODE_HOLDS_VALUE (part))
                g_string_append_printf (text, "%" G_GINT64_FORMAT, json_node_get_int (part));
            }
          if (n > 0)
            g_string_append (text, ": ");
        }
      g_string_append (text, msg);
    }

  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static JsonNode *
parse_json (GBytes  *bytes,
            GError **error)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size == 0)
    return NULL;
  return _prefect_ctx_json_parse (data, (gssize) size, "the response", error);
}

/* Sends one request, retrying as the class documentation says. @path
 * starts with '/' and is escaped already. On success (2xx) returns TRUE
 * with the parsed body in @result (NULL when empty) and the status in
 * @status_out; otherwise FALSE with @error set. */
gboolean
http_transport_call (PrefectCtxHttpClient  *self,
                     const char            *method,
                     const char            *path,
                     JsonNode              *body,
                     guint                 *status_out,
                     JsonNode             **result,
                     GCancellable          *cancellable,
                     GError               **error)
{
  g_autofree char *url = g_strconcat (self->api_url, path, NULL);
  g_autoptr(GBytes) request_body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *detail = NULL;
  guint status = SOUP_STATUS_NONE;
  Deadline deadline;
  gint64 waited = 0;
  gboolean give_up = FALSE;

  if (body != NULL)
    {
      gsize length = 0;
      char *text = _prefect_ctx_json_to_string (body);

      length = strlen (text);
      request_body = g_bytes_new_take (text, length);
    }

  for (guint attempt = 0; ; attempt++)
    {
      SoupMessageHeaders *headers;

      g_clear_object (&msg);
      g_clear_pointer (&response, g_bytes_unref);
      g_clear_error (&local_error);

      msg = soup_message_new (method, url);
      if (msg == NULL)
        {
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                       "Invalid Prefect API URL '%s'", url);
          return FALSE;
        }
      /* libsoup opens a new connection for each request of a method that is
       * not idempotent (POST) unless told otherwise; Prefect's client (httpx)
       * keeps its connections alive for every method, and so does this one.
       * libsoup then may send a request again on a new connection when a
       * kept-alive one turns out closed before any response; a POST is
       * otherwise repeated only by this loop's retries, as with Prefect's. */
      soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
      headers = soup_message_get_request_headers (msg);
      soup_message_headers_replace (headers, "Accept", "application/json");
      if (self->api_key != NULL)
        {
          g_autofree char *authorization = g_strconcat ("Bearer ", self->api_key, NULL);

          soup_message_headers_replace (headers, "Authorization", authorization);
        }
      if (request_body != NULL)
        soup_message_set_request_body_from_bytes (msg, "application/json", request_body);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      deadline_begin (self, &deadline, cancellable);
      response = soup_session_send_and_read (self->session, msg, deadline.cancellable, &local_error);
      if (deadline_end (&deadline) && response == NULL)
        {
          g_clear_error (&local_error);
          g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "no complete response within %g s (the request timeout)", self->request_timeout);
        }
      status = soup_message_get_status (msg);

      if (response == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
              && attempt < self->max_retries)
            {
              g_debug ("%s %s timed out: retrying", method, path);
              if (retry_wait (self, retry_delay (self, NULL, attempt + 1), &waited, &give_up,
                              cancellable, error))
                continue;
              if (!give_up)
                return FALSE;
            }
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                       "Prefect API request %s %s failed%s: %s", method, path,
                       attempt > 0 || give_up ? " after retries" : "", local_error->message);
          return FALSE;
        }

      g_debug ("%s %s: HTTP %u", method, path, status);

      if (is_retryable_status (status) && attempt < self->max_retries)
        {
          if (retry_wait (self, retry_delay (self, msg, attempt + 1), &waited, &give_up, cancellable, error))
            continue;
          if (!give_up)
            return FALSE;
        }

      break;
    }

  node = parse_json (response, &local_error);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      if (local_error != NULL)
        {
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                       "Prefect API request %s %s: %s",
                       method, path, local_error->message);
          return FALSE;
        }
      if (status_out != NULL)
        *status_out = status;
      *result = g_steal_pointer (&node);
      return TRUE;
    }

  detail = error_detail (node);

  /* FastAPI's own 404 ("Not Found", or no body) says the route is unknown,
   * not the object: most often an API URL without its /api. */
  if (status == SOUP_STATUS_NOT_FOUND && (detail == NULL || g_str_equal (detail, "Not Found")))
    g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                 "Failed to reach API at %s: %s %s answered HTTP 404 Not Found%s", self->api_url, method, url,
                 g_str_has_suffix (self->api_url, "/api") ? ""
                 : " (the API URL may lack '/api', as in http://127.0.0.1:4200/api)");
  else if (status == SOUP_STATUS_NOT_FOUND)
    g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND, detail);
  else if (status == SOUP_STATUS_UNPROCESSABLE_ENTITY)
    g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                 "Invalid request %s %s: %s", method, path,
                 detail != NULL ? detail : "the server refused it");
  else
    g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                 "Prefect API request %s %s failed%s: HTTP %u %s%s%s", method, path,
                 is_retryable_status (status) && self->max_retries > 0 ? " after retries" : "",
                 status, soup_status_get_phrase (status),
                 detail != NULL ? ": " : "", detail != NULL ? detail : "");
  return FALSE;
}

/* A path with one escaped ID: "<prefix><id><suffix>". */
char *
http_transport_id_path (const char *prefix,
                        const char *id,
                        const char *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

  return g_strconcat (prefix, escaped, suffix, NULL);
}

/* ------------------------------------------------------------------------ */
/* JSON bodies and results */

/* A copy of the object @node (transfer full) with only the members named
 * in @allowed (NULL-terminated). */
JsonNode *
http_transport_keep_members (JsonNode          *node,
                             const char * const *allowed)
{
  JsonObject *source = json_node_get_object (node);
  JsonObject *object = json_object_new ();
  JsonNode *result = json_node_new (JSON_NODE_OBJECT);

  for (guint i = 0; allowed[i] != NULL; i++)
    {
      JsonNode *member = json_object_get_member (source, allowed[i]);

      if (member != NULL)
        json_object_set_member (object, allowed[i], json_node_copy (member));
    }

  json_node_take_object (result, object);
  json_node_unref (node);
  return result;
}

/* The StateCreate of @state: type, name, message (the server stamps it). */
JsonNode *
http_transport_state_body (PrefectCtxState *state)
{
  static const char * const allowed[] = { "type", "name", "message", NULL };
  JsonNode *body = http_transport_keep_members (prefect_ctx_state_to_json_node (state), allowed);
  PrefectCtxStateType type = prefect_ctx_state_get_state_type (state);

  /* A state that ends an attempt carries its result, which the library
   * never persists: Prefect's engine sends {"type": "unpersisted"} as the
   * data of Completed, Failed, Crashed and AwaitingRetry states (their
   * result stays in the process). */
  if (type == PREFECT_CTX_STATE_TYPE_COMPLETED || type == PREFECT_CTX_STATE_TYPE_FAILED
      || type == PREFECT_CTX_STATE_TYPE_CRASHED
      || (type == PREFECT_CTX_STATE_TYPE_SCHEDULED && g_strcmp0 (prefect_ctx_state_get_name (state), "AwaitingRetry") == 0))
    {
      JsonObject *data = json_object_new ();

      json_object_set_string_member (data, "type", "unpersisted");
      json_object_set_object_member (json_node_get_object (body), "data", data);
    }
  return body;
}

/* Replaces the member "state" of the object @body with the StateCreate of
 * the model's state, if there is one. */
void
http_transport_set_state_member (JsonNode        *body,
                                 PrefectCtxState *state)
{
  JsonObject *object = json_node_get_object (body);

  json_object_remove_member (object, "state");
  if (state != NULL)
    json_object_set_member (object, "state", http_transport_state_body (state));
}


/* Checks that a result is an object of the expected kind. */
gpointer
http_transport_object_from_result (JsonNode     *node,
                                   FromJsonFunc  from_json,
                                   const char   *what,
                                   GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  gpointer result;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                   "Invalid %s in the Prefect API response: not a JSON object", what);
      return NULL;
    }
  result = from_json (node, &local_error);
  if (result == NULL)
    g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                 "Invalid %s in the Prefect API response: %s", what, local_error->message);
  return result;
}

/* Appends the objects of the array @node to @items. */
gboolean
http_transport_append_from_array (GPtrArray     *items,
                                  JsonNode      *node,
                                  FromJsonFunc   from_json,
                                  const char    *what,
                                  GError       **error)
{
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                   "Invalid list of %ss in the Prefect API response: not a JSON array", what);
      return FALSE;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gpointer item = http_transport_object_from_result (json_array_get_element (array, i), from_json, what, error);

      if (item == NULL)
        return FALSE;
      g_ptr_array_add (items, item);
    }
  return TRUE;
}

GListModel *
http_transport_list_model_new (GType      item_type,
                               GPtrArray *items)
{
  GListStore *store = g_list_store_new (item_type);

  g_list_store_splice (store, 0, 0, items->pdata, items->len);
  return G_LIST_MODEL (store);
}

/* GET @path and parse one object. */
gpointer
http_transport_get_object (PrefectCtxHttpClient  *self,
                           const char            *path,
                           FromJsonFunc           from_json,
                           const char            *what,
                           GCancellable          *cancellable,
                           GError               **error)
{
  g_autoptr(JsonNode) node = NULL;

  if (!http_transport_call (self, "GET", path, NULL, NULL, &node, cancellable, error))
    return NULL;
  return http_transport_object_from_result (node, from_json, what, error);
}

/* POST @body to @path and parse one object. */
gpointer
http_transport_post_object (PrefectCtxHttpClient  *self,
                            const char            *path,
                            JsonNode              *body,
                            FromJsonFunc           from_json,
                            const char            *what,
                            GCancellable          *cancellable,
                            GError               **error)
{
  g_autoptr(JsonNode) node = NULL;

  if (!http_transport_call (self, "POST", path, body, NULL, &node, cancellable, error))
    return NULL;
  return http_transport_object_from_result (node, from_json, what, error);
}

/* POSTs the filter @body (an object, modified: limit and offset are set)
 * to @path page after page, until @limit objects (0: all) are read. */
GListModel *
http_transport_post_filter_paged (PrefectCtxHttpClient  *self,
                                  const char            *path,
                                  JsonNode              *body,
                                  guint                  limit,
                                  guint                  offset,
                                  GType                  item_type,
                                  FromJsonFunc           from_json,
                                  const char            *what,
                                  GCancellable          *cancellable,
                                  GError               **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObject *object = json_node_get_object (body);

  for (;;)
    {
      g_autoptr(JsonNode) node = NULL;
      guint wanted = PAGE_SIZE;
      guint before = items->len;

      if (limit != 0)
        wanted = MIN (wanted, limit - items->len);
      json_object_set_int_member (object, "limit", wanted);
      json_object_set_int_member (object, "offset", (gint64) offset + items->len);

      if (!http_transport_call (self, "POST", path, body, NULL, &node, cancellable, error)
          || !http_transport_append_from_array (items, node, from_json, what, error))
        return NULL;

      if (items->len - before < wanted || (limit != 0 && items->len >= limit))
        break;
    }

  return http_transport_list_model_new (item_type, items);
}

/* {"any_": [value]} */
JsonNode *
http_transport_any_of_string (const char *value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "any_");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, value);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Sets @object.@outer.@inner to @value (transfer full). */
void
http_transport_set_nested (JsonObject *object,
                           const char *outer,
                           const char *inner,
                           JsonNode   *value)
{
  JsonObject *nested;

  if (!json_object_has_member (object, outer))
    json_object_set_object_member (object, outer, json_object_new ());
  nested = json_object_get_object_member (object, outer);
  json_object_set_member (nested, inner, value);
}

/* A filter body with @flow_run_id (if not NULL) as
 * "flow_runs": {"id": {"any_": [id]}}. */
JsonNode *
http_transport_filter_body (const char *flow_run_id,
                            const char *sort)
{
  JsonNode *body = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  if (flow_run_id != NULL)
    http_transport_set_nested (object, "flow_runs", "id", http_transport_any_of_string (flow_run_id));
  if (sort != NULL)
    json_object_set_string_member (object, "sort", sort);
  json_node_take_object (body, object);
  return body;
}

