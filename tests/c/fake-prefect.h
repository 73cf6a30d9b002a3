/* fake-prefect.h: a fake Prefect server, in process: SoupServer on its own
 * thread and main context, keeping flows, runs, states, logs and
 * deployments in memory and answering with the server's JSON shapes (see
 * tests/samples). test-http-client.c uses it directly;
 * fake-prefect-server.c runs it as a program for the Python suite.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

/* ---------------------------------------------------------------------------
 * The fake server
 */

typedef struct {
  guint  status;        /* 0: no response at all (the request stalls) */
  char  *retry_after;   /* or NULL */
} Failure;

typedef struct {
  GMutex        lock;
  GCond         cond;
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  char         *api_url;

  /* guarded by lock */
  GHashTable   *flows;        /* id -> JsonObject */
  GHashTable   *flow_runs;    /* id -> JsonObject */
  GHashTable   *task_runs;    /* id -> JsonObject */
  GHashTable   *deployments;  /* id -> JsonObject */
  GHashTable   *states;       /* run id -> JsonArray */
  GPtrArray    *task_run_order; /* JsonObject, creation order */
  GPtrArray    *logs;         /* JsonObject */
  GQueue        failures;     /* Failure *, answered before anything else */
  char         *next_status;  /* set_state: "REJECT", "ABORT" or NULL */
  GHashTable   *requests;     /* "METHOD /path" -> count */
  GHashTable   *ports;        /* client ports seen: one per connection */
  guint         n_requests;
  char         *last_authorization;
  gint64        seq;
} FakeServer;

static gboolean
release_stalled (gpointer data)
{
  soup_server_message_set_status (data, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
  soup_server_message_unpause (data);
  return G_SOURCE_REMOVE;
}

/* The fake's lock, as ThreadSanitizer sees it: GLib is not built with TSan,
 * so its mutexes and conditions are invisible to it. */
#ifdef __SANITIZE_THREAD__
# include <sanitizer/tsan_interface.h>
# define TSAN_ACQUIRE(addr) __tsan_acquire ((void *) (addr))
# define TSAN_RELEASE(addr) __tsan_release ((void *) (addr))
#else
# define TSAN_ACQUIRE(addr) ((void) (addr))
# define TSAN_RELEASE(addr) ((void) (addr))
#endif

static void
fake_lock (FakeServer *fake)
{
  g_mutex_lock (&fake->lock);
  TSAN_ACQUIRE (&fake->lock);
}

static void
fake_unlock (FakeServer *fake)
{
  TSAN_RELEASE (&fake->lock);
  g_mutex_unlock (&fake->lock);
}

static void
fake_wait (FakeServer *fake)
{
  TSAN_RELEASE (&fake->lock);
  g_cond_wait (&fake->cond, &fake->lock);
  TSAN_ACQUIRE (&fake->lock);
}

static char *
now_string (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%f+00:00");
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         JsonNode          *node)
{
  g_autofree char *text = node != NULL ? json_to_string (node, FALSE) : g_strdup ("");

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
respond_object (SoupServerMessage *msg,
                guint              status,
                JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  respond (msg, status, node);
}

static void
respond_detail (SoupServerMessage *msg,
                guint              status,
                const char        *detail)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "detail", detail);
  respond_object (msg, status, object);
}

static void
respond_array (SoupServerMessage *msg,
               GPtrArray         *objects,
               guint              offset,
               guint              limit)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  for (guint i = offset; i < objects->len && i - offset < limit; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (objects, i)));
  node = json_node_init_array (json_node_alloc (), array);
  respond (msg, SOUP_STATUS_OK, node);
}

/* The first element of obj.outer.inner.any_ (obj.outer.any_ when @inner
 * is NULL), or NULL. */
static const char *
any_of (JsonObject *object,
        const char *outer,
        const char *inner)
{
  JsonObject *nested;
  JsonArray *any;

  if (object == NULL || !json_object_has_member (object, outer))
    return NULL;
  nested = json_object_get_object_member (object, outer);
  if (inner != NULL)
    {
      if (nested == NULL || !json_object_has_member (nested, inner))
        return NULL;
      nested = json_object_get_object_member (nested, inner);
    }
  if (nested == NULL || !json_object_has_member (nested, "any_"))
    return NULL;
  any = json_object_get_array_member (nested, "any_");
  return json_array_get_length (any) > 0 ? json_array_get_string_element (any, 0) : NULL;
}

static gboolean
is_finished (const char *type)
{
  return g_strv_contains ((const char * const[]) { "COMPLETED", "FAILED", "CANCELLED", "CRASHED", NULL },
                          type);
}

/* A stored state from a StateCreate; NULL when @create is NULL. */
static JsonObject *
make_state (JsonObject *create)
{
  JsonObject *state;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *now = now_string ();

  if (create == NULL)
    return NULL;
  state = json_object_new ();
  json_object_set_string_member (state, "id", id);
  json_object_set_string_member (state, "type", json_object_get_string_member (create, "type"));
  json_object_set_string_member (state, "name",
                                 json_object_get_string_member_with_default (create, "name", "Unnamed"));
  json_object_set_string_member (state, "timestamp", now);
  if (json_object_has_member (create, "message")
      && !json_object_get_null_member (create, "message"))
    json_object_set_string_member (state, "message", json_object_get_string_member (create, "message"));
  else
    json_object_set_null_member (state, "message");
  if (json_object_has_member (create, "data"))
    json_object_set_member (state, "data", json_node_copy (json_object_get_member (create, "data")));
  else
    json_object_set_null_member (state, "data");
  json_object_set_object_member (state, "state_details", json_object_new ());
  return state;
}

/* The server's bookkeeping of @run entering @state (transfer full). */
static void
apply_state (FakeServer *fake,
             JsonObject *run,
             JsonObject *state)
{
  const char *id = json_object_get_string_member (run, "id");
  const char *type = json_object_get_string_member (state, "type");
  JsonArray *history = g_hash_table_lookup (fake->states, id);
  gboolean was_final = json_object_has_member (run, "state_type")
                       && !json_object_get_null_member (run, "state_type")
                       && is_finished (json_object_get_string_member (run, "state_type"));

  if (history == NULL)
    {
      history = json_array_new ();
      g_hash_table_insert (fake->states, g_strdup (id), history);
    }
  json_array_add_object_element (history, json_object_ref (state));
  json_object_set_string_member (run, "state_type", type);
  json_object_set_string_member (run, "state_name", json_object_get_string_member (state, "name"));
  json_object_set_string_member (run, "state_id", json_object_get_string_member (state, "id"));
  if (g_str_equal (type, "RUNNING"))
    {
      json_object_set_int_member (run, "run_count", json_object_get_int_member (run, "run_count") + 1);
      if (json_object_get_null_member (run, "start_time"))
        json_object_set_string_member (run, "start_time", json_object_get_string_member (state, "timestamp"));
    }
  /* SetEndTime: entering a final state sets it, leaving one clears it. */
  if (is_finished (type))
    json_object_set_string_member (run, "end_time", json_object_get_string_member (state, "timestamp"));
  else if (was_final)
    json_object_set_null_member (run, "end_time");
  json_object_set_string_member (run, "updated", json_object_get_string_member (state, "timestamp"));
  json_object_set_object_member (run, "state", state);

  /* UpdateSubflowParentTask: a subflow run's state is copied, forced, onto
   * its parent task run, naming the subflow run as child_flow_run_id. */
  if (json_object_has_member (run, "flow_id")
      && json_object_has_member (run, "parent_task_run_id")
      && !json_object_get_null_member (run, "parent_task_run_id"))
    {
      JsonObject *parent = g_hash_table_lookup (fake->task_runs,
                                                json_object_get_string_member (run, "parent_task_run_id"));

      if (parent != NULL)
        {
          JsonObject *copy = make_state (state);

          json_object_set_string_member (json_object_get_object_member (copy, "state_details"),
                                         "child_flow_run_id", id);
          apply_state (fake, parent, copy);
        }
    }
}

static JsonObject *
new_record (FakeServer *fake)
{
  JsonObject *object = json_object_new ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *now = now_string ();

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "created", now);
  json_object_set_string_member (object, "updated", now);
  fake->seq++;
  return object;
}

static void
copy_member (JsonObject *to,
             JsonObject *from,
             const char *name,
             JsonNode   *fallback)   /* transfer full, or NULL: null */
{
  JsonNode *member = json_object_get_member (from, name);

  if (member != NULL)
    json_object_set_member (to, name, json_node_copy (member));
  else if (fallback != NULL)
    json_object_set_member (to, name, fallback);
  else
    json_object_set_null_member (to, name);
  if (member != NULL && fallback != NULL)
    json_node_unref (fallback);
}

static JsonNode *
empty_array (void)
{
  g_autoptr(JsonArray) array = json_array_new ();

  return json_node_init_array (json_node_alloc (), array);
}

static JsonNode *
empty_object (void)
{
  g_autoptr(JsonObject) object = json_object_new ();

  return json_node_init_object (json_node_alloc (), object);
}

/* Checks that @body has only the members in @allowed (Prefect's create
 * requests forbid extra members): a 422 otherwise. */
static gboolean
check_members (SoupServerMessage  *msg,
               JsonObject         *body,
               const char * const *allowed)
{
  g_autoptr(GList) names = json_object_get_members (body);

  for (GList *l = names; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_autofree char *detail = g_strdup_printf ("extra member %s", (char *) l->data);

        respond_detail (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, detail);
        return FALSE;
      }
  return TRUE;
}

static gint
compare_log_timestamps (gconstpointer a,
                        gconstpointer b)
{
  JsonObject *la = *(JsonObject **) a;
  JsonObject *lb = *(JsonObject **) b;
  g_autoptr(GDateTime) ta = g_date_time_new_from_iso8601 (json_object_get_string_member (la, "timestamp"), NULL);
  g_autoptr(GDateTime) tb = g_date_time_new_from_iso8601 (json_object_get_string_member (lb, "timestamp"), NULL);

  return g_date_time_compare (ta, tb);
}

/* @a after @b (JsonObject **) by the string @member, descending; ties by
 * _seq, last made first. */
static gint
compare_desc_by (gconstpointer  a,
                 gconstpointer  b,
                 const char    *member)
{
  JsonObject *x = *(JsonObject **) a;
  JsonObject *y = *(JsonObject **) b;
  int c = g_strcmp0 (json_object_get_string_member (y, member), json_object_get_string_member (x, member));

  return c != 0 ? c : (int) (json_object_get_int_member (y, "_seq") - json_object_get_int_member (x, "_seq"));
}

static gint
compare_expected_desc (gconstpointer a,
                       gconstpointer b)
{
  return compare_desc_by (a, b, "expected_start_time");
}

/* The request's limit, or a 422 past 200 (as the server). */
static gboolean
read_limit (SoupServerMessage *msg,
            JsonObject        *body,
            guint             *limit,
            guint             *offset)
{
  gint64 l = json_object_get_int_member_with_default (body, "limit", 200);

  if (l > 200)
    {
      respond_detail (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "limit: ensure this value is less than or equal to 200");
      return FALSE;
    }
  *limit = (guint) l;
  *offset = (guint) json_object_get_int_member_with_default (body, "offset", 0);
  return TRUE;
}

/* Newest first by creation, as the sort CREATED_DESC. */
static gint
compare_created_desc (gconstpointer a,
                      gconstpointer b)
{
  return compare_desc_by (a, b, "created");
}

/* POST /flows/filter, /deployments/filter: every object of @table, with
 * the sort CREATED_DESC (the only one the client sends). */
static void
handle_filter_created_desc (SoupServerMessage *msg,
                            JsonObject        *body,
                            GHashTable        *table)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new ();
  guint limit, offset;
  GHashTableIter iter;
  JsonObject *object;

  if (!read_limit (msg, body, &limit, &offset))
    return;
  g_assert_cmpstr (json_object_get_string_member (body, "sort"), ==, "CREATED_DESC");
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &object))
    g_ptr_array_add (objects, object);
  g_ptr_array_sort (objects, compare_created_desc);
  respond_array (msg, objects, offset, limit);
}

/* DELETE /flow_runs/{id}: the run, its states and its task runs (with
 * theirs) go; a subflow run of one of those task runs loses its
 * parent_task_run_id (the server's ON DELETE CASCADE and SET NULL). Logs
 * stay. */
static void
handle_flow_run_delete (FakeServer        *fake,
                        SoupServerMessage *msg,
                        const char        *id)
{
  g_autoptr(GHashTable) gone = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  const char *task_run_id;
  JsonObject *run;

  if (!g_hash_table_contains (fake->flow_runs, id))
    {
      respond_detail (msg, SOUP_STATUS_NOT_FOUND, "Flow run not found");
      return;
    }
  for (guint i = fake->task_run_order->len; i-- > 0;)
    {
      JsonObject *task_run = g_ptr_array_index (fake->task_run_order, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (task_run, "flow_run_id", NULL), id) == 0)
        {
          g_hash_table_add (gone, g_strdup (json_object_get_string_member (task_run, "id")));
          g_ptr_array_remove_index (fake->task_run_order, i);
        }
    }
  g_hash_table_iter_init (&iter, fake->flow_runs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &run))
    if (json_object_has_member (run, "parent_task_run_id") && !json_object_get_null_member (run, "parent_task_run_id")
        && g_hash_table_contains (gone, json_object_get_string_member (run, "parent_task_run_id")))
      json_object_set_null_member (run, "parent_task_run_id");
  g_hash_table_iter_init (&iter, gone);
  while (g_hash_table_iter_next (&iter, (gpointer *) &task_run_id, NULL))
    {
      g_hash_table_remove (fake->states, task_run_id);
      g_hash_table_remove (fake->task_runs, task_run_id);
    }
  g_hash_table_remove (fake->states, id);
  g_hash_table_remove (fake->flow_runs, id);
  respond (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

static void
handle_run_create (FakeServer        *fake,
                   SoupServerMessage *msg,
                   JsonObject        *body,
                   gboolean           task)
{
  static const char * const flow_run_members[] = {
    "flow_id", "name", "flow_version", "parameters", "tags", "parent_task_run_id",
    "deployment_id", "state", "context", "empirical_policy", "idempotency_key", NULL
  };
  static const char * const task_run_members[] = {
    "flow_run_id", "task_key", "dynamic_key", "name", "tags", "state", "cache_key",
    "task_inputs", "empirical_policy", "task_version", NULL
  };
  JsonObject *run;
  JsonObject *state_create = NULL;
  g_autofree char *now = now_string ();

  if (!check_members (msg, body, task ? task_run_members : flow_run_members))
    return;

  if (!task)
    {
      const char *flow_id = json_object_get_string_member_with_default (body, "flow_id", "");

      if (!g_uuid_string_is_valid (flow_id))
        {
          g_autofree char *path = g_build_filename (g_getenv ("PREFECT_CTX_SAMPLES_DIR"),
                                                    "error_422_flow_run.json", NULL);
          g_autofree char *text = NULL;
          g_autoptr(JsonNode) node = NULL;

          g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
          node = json_from_string (text, NULL);
          respond (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, node);
          return;
        }
    }
  else
    {
      /* (flow run, task key, dynamic key) is unique: 200 with the existing
       * (a unique index: task runs outside flow runs, NULL, never match). */
      for (guint i = 0; json_object_get_string_member_with_default (body, "flow_run_id", NULL) != NULL
                        && i < fake->task_run_order->len; i++)
        {
          JsonObject *existing = g_ptr_array_index (fake->task_run_order, i);

          if (g_strcmp0 (json_object_get_string_member_with_default (existing, "flow_run_id", NULL),
                         json_object_get_string_member_with_default (body, "flow_run_id", NULL)) == 0
              && g_str_equal (json_object_get_string_member (existing, "task_key"),
                              json_object_get_string_member (body, "task_key"))
              && g_str_equal (json_object_get_string_member (existing, "dynamic_key"),
                              json_object_get_string_member (body, "dynamic_key")))
            {
              respond_object (msg, SOUP_STATUS_OK, existing);
              return;
            }
        }
    }

  run = new_record (fake);
  json_object_set_int_member (run, "_seq", fake->seq);
  copy_member (run, body, "name", NULL);
  if (task)
    {
      copy_member (run, body, "flow_run_id", NULL);
      copy_member (run, body, "task_key", NULL);
      copy_member (run, body, "dynamic_key", NULL);
      copy_member (run, body, "task_inputs", empty_object ());
    }
  else
    {
      copy_member (run, body, "flow_id", NULL);
      copy_member (run, body, "flow_version", NULL);
      copy_member (run, body, "parameters", empty_object ());
      copy_member (run, body, "parent_task_run_id", NULL);
      copy_member (run, body, "deployment_id", NULL);
    }
  copy_member (run, body, "tags", empty_array ());
  copy_member (run, body, "empirical_policy", empty_object ());
  json_object_set_string_member (run, "expected_start_time", json_object_get_string_member (run, "created"));
  json_object_set_int_member (run, "run_count", 0);
  json_object_set_null_member (run, "start_time");
  json_object_set_null_member (run, "end_time");
  json_object_set_double_member (run, "total_run_time", 0.0);
  json_object_set_null_member (run, "state_type");
  json_object_set_null_member (run, "state_name");
  json_object_set_null_member (run, "state");

  if (json_object_has_member (body, "state") && !json_object_get_null_member (body, "state"))
    state_create = json_object_get_object_member (body, "state");
  if (state_create != NULL)
    {
      static const char * const state_members[] = { "type", "name", "message", "data", "state_details", NULL };

      if (!check_members (msg, state_create, state_members))
        {
          json_object_unref (run);
          return;
        }
      apply_state (fake, run, make_state (state_create));
    }
  else
    {
      /* "If no state is provided, the run will be created in a PENDING state." */
      g_autoptr(JsonObject) pending = json_object_new ();

      json_object_set_string_member (pending, "type", "PENDING");
      json_object_set_string_member (pending, "name", "Pending");
      apply_state (fake, run, make_state (pending));
    }

  if (task)
    {
      g_hash_table_insert (fake->task_runs, g_strdup (json_object_get_string_member (run, "id")), run);
      g_ptr_array_add (fake->task_run_order, json_object_ref (run));
    }
  else
    g_hash_table_insert (fake->flow_runs, g_strdup (json_object_get_string_member (run, "id")), run);

  respond_object (msg, SOUP_STATUS_CREATED, run);
}

static void
handle_set_state (FakeServer        *fake,
                  SoupServerMessage *msg,
                  JsonObject        *run,
                  JsonObject        *body)
{
  g_autoptr(JsonObject) result = json_object_new ();
  JsonObject *details = json_object_new ();
  JsonObject *state;

  if (fake->next_status != NULL)
    {
      json_object_set_string_member (result, "status", fake->next_status);
      json_object_set_string_member (details, "type", "reject_details");
      json_object_set_string_member (details, "reason", "The run is already finished.");
      if (g_str_equal (fake->next_status, "REJECT"))
        json_object_set_object_member (result, "state", json_object_ref (json_object_get_object_member (run, "state")));
      else
        json_object_set_null_member (result, "state");
      json_object_set_object_member (result, "details", details);
      g_clear_pointer (&fake->next_status, g_free);
      respond_object (msg, SOUP_STATUS_OK, result);
      return;
    }

  /* The server's EnforceCancellingToCancelledTransition, for flow runs
   * and task runs alike: a Cancelling or Cancelled run only goes to
   * Cancelled unless forced. */
  {
    JsonObject *current = json_object_has_member (run, "state") && !json_object_get_null_member (run, "state")
                          ? json_object_get_object_member (run, "state") : NULL;
    const char *from = current != NULL ? json_object_get_string_member (current, "type") : NULL;
    const char *to = json_object_get_string_member (json_object_get_object_member (body, "state"), "type");

    if (!json_object_get_boolean_member_with_default (body, "force", FALSE)
        && (g_strcmp0 (from, "CANCELLING") == 0 || g_strcmp0 (from, "CANCELLED") == 0)
        && g_strcmp0 (to, "CANCELLED") != 0)
      {
        json_object_set_string_member (result, "status", "REJECT");
        json_object_set_string_member (details, "type", "reject_details");
        json_object_set_string_member (details, "reason",
                                       "Cannot transition flows that are cancelling to a state other than Cancelled.");
        json_object_set_object_member (result, "state", json_object_ref (current));
        json_object_set_object_member (result, "details", details);
        respond_object (msg, SOUP_STATUS_OK, result);
        return;
      }
  }

  state = make_state (json_object_get_object_member (body, "state"));
  apply_state (fake, run, state);
  json_object_set_string_member (result, "status", "ACCEPT");
  json_object_set_object_member (result, "state", json_object_ref (state));
  json_object_set_string_member (details, "type", "accept_details");
  json_object_set_object_member (result, "details", details);
  respond_object (msg, SOUP_STATUS_CREATED, result);
}

/* The fake's own endpoints, for a test in another process (the Python
 * suite): GET /api/__fake__/dump gives everything the fake keeps and the
 * requests it counted; POST /api/__fake__/fail {"status": S, "times": N,
 * "retry_after": "..."} answers the next N requests with S. Called with
 * the lock held; not counted as requests. */
static void
fake_control (FakeServer        *fake,
              SoupServerMessage *msg,
              const char        *method,
              const char        *path,
              JsonObject        *body)
{
  if (g_str_equal (method, "GET") && g_str_equal (path, "/__fake__/dump"))
    {
      g_autoptr(JsonObject) dump = json_object_new ();
      const struct { const char *name; GHashTable *table; } tables[] = {
        { "flows", fake->flows }, { "flow_runs", fake->flow_runs },
        { "task_runs", fake->task_runs }, { "deployments", fake->deployments },
      };
      JsonObject *states = json_object_new ();
      JsonObject *requests = json_object_new ();
      JsonArray *logs = json_array_new ();
      GHashTableIter iter;
      gpointer key, value;

      for (gsize i = 0; i < G_N_ELEMENTS (tables); i++)
        {
          JsonObject *records = json_object_new ();

          g_hash_table_iter_init (&iter, tables[i].table);
          while (g_hash_table_iter_next (&iter, &key, &value))
            json_object_set_object_member (records, key, json_object_ref (value));
          json_object_set_object_member (dump, tables[i].name, records);
        }
      g_hash_table_iter_init (&iter, fake->states);
      while (g_hash_table_iter_next (&iter, &key, &value))
        json_object_set_array_member (states, key, json_array_ref (value));
      json_object_set_object_member (dump, "states", states);
      for (guint i = 0; i < fake->logs->len; i++)
        json_array_add_object_element (logs, json_object_ref (g_ptr_array_index (fake->logs, i)));
      json_object_set_array_member (dump, "logs", logs);
      g_hash_table_iter_init (&iter, fake->requests);
      while (g_hash_table_iter_next (&iter, &key, &value))
        json_object_set_int_member (requests, key, GPOINTER_TO_UINT (value));
      json_object_set_object_member (dump, "requests", requests);
      if (fake->last_authorization != NULL)
        json_object_set_string_member (dump, "last_authorization", fake->last_authorization);
      else
        json_object_set_null_member (dump, "last_authorization");
      respond_object (msg, SOUP_STATUS_OK, dump);
    }
  else if (g_str_equal (method, "POST") && g_str_equal (path, "/__fake__/fail") && body != NULL)
    {
      g_autoptr(JsonObject) done = json_object_new ();
      const char *retry_after = json_object_get_string_member_with_default (body, "retry_after", NULL);
      gint64 times = json_object_get_int_member_with_default (body, "times", 1);

      for (gint64 i = 0; i < times; i++)
        {
          Failure *failure = g_new0 (Failure, 1);

          failure->status = (guint) json_object_get_int_member (body, "status");
          failure->retry_after = g_strdup (retry_after);
          g_queue_push_tail (&fake->failures, failure);
        }
      respond_object (msg, SOUP_STATUS_OK, done);
    }
  else
    respond_detail (msg, SOUP_STATUS_NOT_FOUND, "No such fake endpoint");
}

static void
server_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *full_path,
                GHashTable        *query,
                gpointer           user_data)
{
  FakeServer *fake = user_data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                            "Authorization");
  g_autoptr(JsonNode) body_node = NULL;
  JsonObject *body = NULL;
  g_auto(GStrv) parts = NULL;
  const char *path;
  g_autofree char *key = NULL;
  guint n;

  /* Outside /api the server has no routes: FastAPI's 404. */
  if (!g_str_has_prefix (full_path, "/api/"))
    {
      respond_detail (msg, SOUP_STATUS_NOT_FOUND, "Not Found");
      return;
    }
  path = full_path + strlen ("/api");
  if (request->length > 0)
    {
      body_node = json_from_string (request->data, NULL);
      g_assert_nonnull (body_node);
      if (JSON_NODE_HOLDS_OBJECT (body_node))
        body = json_node_get_object (body_node);
    }
  parts = g_strsplit (path + 1, "/", -1);
  n = g_strv_length (parts);

  fake_lock (fake);

  if (!g_str_has_prefix (path, "/__fake__/"))
    {
      key = g_strdup_printf ("%s %s", method, path);
      g_hash_table_insert (fake->requests, g_strdup (key),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (fake->requests, key)) + 1));
      fake->n_requests++;
      g_hash_table_add (fake->ports,
                        GUINT_TO_POINTER (g_inet_socket_address_get_port (
                          G_INET_SOCKET_ADDRESS (soup_server_message_get_remote_address (msg)))));
      g_free (fake->last_authorization);
      fake->last_authorization = g_strdup (authorization);
    }

  if (g_str_has_prefix (path, "/__fake__/"))
    {
      fake_control (fake, msg, method, path, body);
      goto out;
    }

  if (!g_queue_is_empty (&fake->failures))
    {
      Failure *failure = g_queue_pop_head (&fake->failures);

      if (failure->status == 0)
        {
          /* Never answered while the client waits; let go later, so that
           * libsoup frees the message. */
          GSource *release = g_timeout_source_new (3000);

          soup_server_message_pause (msg);
          g_source_set_callback (release, release_stalled, g_object_ref (msg), g_object_unref);
          g_source_attach (release, fake->context);
          g_source_unref (release);
          g_free (failure);
          goto out;
        }
      if (failure->retry_after != NULL)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Retry-After", failure->retry_after);
      respond_detail (msg, failure->status, "Try again later");
      g_free (failure->retry_after);
      g_free (failure);
      goto out;
    }

  if (g_str_equal (method, "GET") && g_str_equal (path, "/health"))
    {
      g_autoptr(JsonNode) yes = json_node_init_boolean (json_node_alloc (), TRUE);

      respond (msg, SOUP_STATUS_OK, yes);
    }
  else if (g_str_equal (method, "POST") && g_str_equal (path, "/flows/"))
    {
      static const char * const members[] = { "name", "tags", NULL };
      const char *name;
      GHashTableIter iter;
      JsonObject *flow;

      if (!check_members (msg, body, members))
        goto out;
      name = json_object_get_string_member (body, "name");
      g_hash_table_iter_init (&iter, fake->flows);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &flow))
        if (g_str_equal (json_object_get_string_member (flow, "name"), name))
          {
            respond_object (msg, SOUP_STATUS_OK, flow);
            goto out;
          }
      flow = new_record (fake);
      json_object_set_int_member (flow, "_seq", fake->seq);
      json_object_set_string_member (flow, "name", name);
      copy_member (flow, body, "tags", empty_array ());
      g_hash_table_insert (fake->flows, g_strdup (json_object_get_string_member (flow, "id")), flow);
      respond_object (msg, SOUP_STATUS_CREATED, flow);
    }
  else if (g_str_equal (method, "GET") && n == 2 && g_str_equal (parts[0], "flows"))
    {
      JsonObject *flow = g_hash_table_lookup (fake->flows, parts[1]);

      if (flow != NULL)
        respond_object (msg, SOUP_STATUS_OK, flow);
      else
        respond_detail (msg, SOUP_STATUS_NOT_FOUND, "Flow not found");
    }
  else if (g_str_equal (method, "POST") && (g_str_equal (path, "/flows/filter")
                                            || g_str_equal (path, "/deployments/filter")))
    {
      handle_filter_created_desc (msg, body, g_str_equal (path, "/flows/filter") ? fake->flows : fake->deployments);
    }
  else if (g_str_equal (method, "DELETE") && n == 2 && g_str_equal (parts[0], "flow_runs"))
    {
      handle_flow_run_delete (fake, msg, parts[1]);
    }
  else if (g_str_equal (method, "POST") && (g_str_equal (path, "/flow_runs/") || g_str_equal (path, "/task_runs/")))
    {
      handle_run_create (fake, msg, body, g_str_equal (path, "/task_runs/"));
    }
  else if (n == 2 && (g_str_equal (parts[0], "flow_runs") || g_str_equal (parts[0], "task_runs"))
           && g_str_equal (method, "GET"))
    {
      gboolean task = g_str_equal (parts[0], "task_runs");
      JsonObject *run = g_hash_table_lookup (task ? fake->task_runs : fake->flow_runs, parts[1]);

      if (run != NULL)
        respond_object (msg, SOUP_STATUS_OK, run);
      else
        respond_detail (msg, SOUP_STATUS_NOT_FOUND, task ? "Task run not found" : "Flow run not found");
    }
  else if (n == 3 && g_str_equal (parts[2], "set_state") && g_str_equal (method, "POST"))
    {
      gboolean task = g_str_equal (parts[0], "task_runs");
      JsonObject *run = g_hash_table_lookup (task ? fake->task_runs : fake->flow_runs, parts[1]);

      if (run != NULL)
        handle_set_state (fake, msg, run, body);
      else
        {
          /* Not FastAPI's {"detail": ...}: the server's ObjectNotFoundError handler. */
          g_autoptr(JsonObject) answer = json_object_new ();
          g_autofree char *message = g_strdup_printf ("%s run with id %s not found", task ? "Task" : "Flow", parts[1]);

          json_object_set_string_member (answer, "exception_message", message);
          respond_object (msg, SOUP_STATUS_NOT_FOUND, answer);
        }
    }
  else if (g_str_equal (method, "GET") && (g_str_equal (path, "/flow_run_states/")
                                           || g_str_equal (path, "/task_run_states/")))
    {
      const char *id = query != NULL ? g_hash_table_lookup (query, g_str_equal (path, "/flow_run_states/")
                                                                   ? "flow_run_id" : "task_run_id") : NULL;
      JsonArray *history = id != NULL ? g_hash_table_lookup (fake->states, id) : NULL;
      g_autoptr(JsonArray) empty = json_array_new ();
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), history != NULL ? history : empty);

      respond (msg, SOUP_STATUS_OK, node);
    }
  else if (g_str_equal (method, "POST") && g_str_equal (path, "/flow_runs/filter"))
    {
      g_autoptr(GPtrArray) runs = g_ptr_array_new ();
      const char *type = NULL;
      guint limit, offset;
      GHashTableIter iter;
      JsonObject *run;

      if (!read_limit (msg, body, &limit, &offset))
        goto out;
      /* {"flow_runs": {"state": {"type": {"any_": [TYPE]}}}} */
      if (json_object_has_member (body, "flow_runs"))
        {
          JsonObject *flow_runs = json_object_get_object_member (body, "flow_runs");

          if (json_object_has_member (flow_runs, "state"))
            type = any_of (json_object_get_object_member (flow_runs, "state"), "type", NULL);
        }
      g_assert_cmpstr (json_object_get_string_member (body, "sort"), ==, "EXPECTED_START_TIME_DESC");
      g_hash_table_iter_init (&iter, fake->flow_runs);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &run))
        if (type == NULL || g_strcmp0 (json_object_get_string_member (run, "state_type"), type) == 0)
          g_ptr_array_add (runs, run);
      g_ptr_array_sort (runs, compare_expected_desc);
      respond_array (msg, runs, offset, limit);
    }
  else if (g_str_equal (method, "POST") && (g_str_equal (path, "/task_runs/filter")
                                            || g_str_equal (path, "/task_runs/count")))
    {
      g_autoptr(GPtrArray) runs = g_ptr_array_new ();
      const char *flow_run_id = any_of (body, "flow_runs", "id");
      gboolean finished_only = json_object_has_member (body, "task_runs");
      guint limit = 0, offset = 0;
      gboolean count = g_str_equal (path, "/task_runs/count");
      gboolean newest_first = FALSE;

      if (!count)
        {
          const char *sort = json_object_get_string_member (body, "sort");

          if (!read_limit (msg, body, &limit, &offset))
            goto out;
          newest_first = g_strcmp0 (sort, "EXPECTED_START_TIME_DESC") == 0;
          if (!newest_first)
            g_assert_cmpstr (sort, ==, "EXPECTED_START_TIME_ASC");
        }
      for (guint i = 0; i < fake->task_run_order->len; i++)
        {
          JsonObject *run = g_ptr_array_index (fake->task_run_order,
                                               newest_first ? fake->task_run_order->len - 1 - i : i);

          if (flow_run_id != NULL
              && g_strcmp0 (json_object_get_string_member_with_default (run, "flow_run_id", NULL), flow_run_id) != 0)
            continue;
          if (finished_only && (json_object_get_null_member (run, "state_type")
                                || !is_finished (json_object_get_string_member (run, "state_type"))))
            continue;
          g_ptr_array_add (runs, run);
        }
      if (count)
        {
          g_autoptr(JsonNode) node = json_node_init_int (json_node_alloc (), runs->len);

          respond (msg, SOUP_STATUS_OK, node);
        }
      else
        respond_array (msg, runs, offset, limit);
    }
  else if (g_str_equal (method, "POST") && g_str_equal (path, "/logs/"))
    {
      JsonArray *array = json_node_get_array (body_node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          static const char * const members[] = {
            "name", "level", "message", "timestamp", "flow_run_id", "task_run_id", NULL
          };
          JsonObject *entry = json_array_get_object_element (array, i);
          JsonObject *log;

          if (!check_members (msg, entry, members))
            goto out;
          log = new_record (fake);
          json_object_set_int_member (log, "_seq", fake->seq);
          copy_member (log, entry, "name", NULL);
          copy_member (log, entry, "level", NULL);
          copy_member (log, entry, "message", NULL);
          copy_member (log, entry, "timestamp", NULL);
          copy_member (log, entry, "flow_run_id", NULL);
          copy_member (log, entry, "task_run_id", NULL);
          g_ptr_array_add (fake->logs, log);
        }
      respond (msg, SOUP_STATUS_CREATED, NULL);
    }
  else if (g_str_equal (method, "POST") && g_str_equal (path, "/logs/filter"))
    {
      g_autoptr(GPtrArray) logs = g_ptr_array_new ();
      const char *flow_run_id = any_of (body, "logs", "flow_run_id");
      g_autoptr(GDateTime) after = NULL;
      g_autoptr(GDateTime) before = NULL;
      guint limit, offset;

      if (!read_limit (msg, body, &limit, &offset))
        goto out;
      g_assert_cmpstr (json_object_get_string_member (body, "sort"), ==, "TIMESTAMP_ASC");
      if (json_object_has_member (body, "logs")
          && json_object_has_member (json_object_get_object_member (body, "logs"), "timestamp"))
        {
          JsonObject *ts = json_object_get_object_member (json_object_get_object_member (body, "logs"), "timestamp");

          if (json_object_has_member (ts, "after_"))
            after = g_date_time_new_from_iso8601 (json_object_get_string_member (ts, "after_"), NULL);
          if (json_object_has_member (ts, "before_"))
            before = g_date_time_new_from_iso8601 (json_object_get_string_member (ts, "before_"), NULL);
        }
      /* In timestamp order (ties in the order stored: the sort is stable). */
      g_ptr_array_sort (fake->logs, compare_log_timestamps);
      for (guint i = 0; i < fake->logs->len; i++)
        {
          JsonObject *log = g_ptr_array_index (fake->logs, i);
          g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (json_object_get_string_member (log, "timestamp"), NULL);

          if (flow_run_id != NULL
              && g_strcmp0 (json_object_get_string_member_with_default (log, "flow_run_id", NULL), flow_run_id) != 0)
            continue;
          /* after_ and before_ are inclusive on the server */
          if ((after != NULL && g_date_time_compare (time, after) < 0)
              || (before != NULL && g_date_time_compare (time, before) > 0))
            continue;
          g_ptr_array_add (logs, log);
        }
      respond_array (msg, logs, offset, limit);
    }
  else if (g_str_equal (method, "POST") && g_str_equal (path, "/deployments/"))
    {
      static const char * const members[] = { "name", "flow_id", "version", "parameters", "tags", NULL };
      JsonObject *deployment;

      if (!check_members (msg, body, members))
        goto out;
      deployment = new_record (fake);
      json_object_set_int_member (deployment, "_seq", fake->seq);
      copy_member (deployment, body, "name", NULL);
      copy_member (deployment, body, "flow_id", NULL);
      copy_member (deployment, body, "version", NULL);
      copy_member (deployment, body, "parameters", empty_object ());
      copy_member (deployment, body, "tags", empty_array ());

      /* An upsert on (flow_id, name): the existing row keeps its ID and
       * creation time, and the answer is 200 rather than 201. */
      {
        GHashTableIter iter;
        JsonObject *existing;
        guint status = SOUP_STATUS_CREATED;

        g_hash_table_iter_init (&iter, fake->deployments);
        while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &existing))
          if (g_strcmp0 (json_object_get_string_member_with_default (existing, "flow_id", NULL),
                         json_object_get_string_member_with_default (deployment, "flow_id", NULL)) == 0
              && g_strcmp0 (json_object_get_string_member_with_default (existing, "name", NULL),
                            json_object_get_string_member_with_default (deployment, "name", NULL)) == 0)
            {
              json_object_set_string_member (deployment, "id", json_object_get_string_member (existing, "id"));
              json_object_set_string_member (deployment, "created", json_object_get_string_member (existing, "created"));
              json_object_set_int_member (deployment, "_seq", json_object_get_int_member (existing, "_seq"));
              status = SOUP_STATUS_OK;
              break;
            }
        g_hash_table_replace (fake->deployments, g_strdup (json_object_get_string_member (deployment, "id")),
                              deployment);
        respond_object (msg, status, deployment);
      }
    }
  else if (g_str_equal (method, "GET") && n == 2 && g_str_equal (parts[0], "deployments"))
    {
      JsonObject *deployment = g_hash_table_lookup (fake->deployments, parts[1]);

      if (deployment != NULL)
        respond_object (msg, SOUP_STATUS_OK, deployment);
      else
        respond_detail (msg, SOUP_STATUS_NOT_FOUND, "Deployment not found");
    }
  else
    {
      respond_detail (msg, SOUP_STATUS_NOT_FOUND, "Not Found");
    }

out:
  fake_unlock (fake);
}

static gpointer
server_thread (gpointer data)
{
  FakeServer *fake = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (fake->context);

  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake->server, NULL, server_handler, fake, NULL);
  soup_server_listen_local (fake->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake->server);
  g_assert_nonnull (uris);

  fake_lock (fake);
  fake->api_url = g_strdup_printf ("http://127.0.0.1:%d/api", g_uri_get_port (uris->data));
  g_cond_signal (&fake->cond);
  fake_unlock (fake);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (fake->loop);

  soup_server_disconnect (fake->server);
  g_clear_object (&fake->server);
  /* Let the server's closing sources run. */
  while (g_main_context_iteration (fake->context, FALSE))
    ;
  g_main_context_pop_thread_default (fake->context);
  return NULL;
}

static FakeServer *
fake_server_new (void)
{
  FakeServer *fake = g_new0 (FakeServer, 1);

  g_mutex_init (&fake->lock);
  g_cond_init (&fake->cond);
  fake->flows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  fake->flow_runs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  fake->task_runs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  fake->deployments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  fake->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_array_unref);
  fake->task_run_order = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  fake->logs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  fake->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fake->ports = g_hash_table_new (NULL, NULL);
  g_queue_init (&fake->failures);
  fake->context = g_main_context_new ();
  fake->loop = g_main_loop_new (fake->context, FALSE);

  fake_lock (fake);
  fake->thread = g_thread_new ("fake-prefect", server_thread, fake);
  while (fake->api_url == NULL)
    fake_wait (fake);
  fake_unlock (fake);
  return fake;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
failure_free (gpointer data)
{
  Failure *failure = data;

  g_free (failure->retry_after);
  g_free (failure);
}

static void
fake_server_free (FakeServer *fake)
{
  /* A moment for the server to see the clients' connections close (the
   * clients are freed first), so that it frees them. */
  GSource *source = g_timeout_source_new (50);

  g_source_set_callback (source, quit_loop, fake->loop, NULL);
  g_source_attach (source, fake->context);
  g_source_unref (source);
  g_thread_join (fake->thread);
  g_main_loop_unref (fake->loop);
  g_main_context_unref (fake->context);
  g_hash_table_unref (fake->flows);
  g_hash_table_unref (fake->flow_runs);
  g_hash_table_unref (fake->task_runs);
  g_hash_table_unref (fake->deployments);
  g_hash_table_unref (fake->states);
  g_ptr_array_unref (fake->task_run_order);
  g_ptr_array_unref (fake->logs);
  g_hash_table_unref (fake->requests);
  g_hash_table_unref (fake->ports);
  g_queue_clear_full (&fake->failures, failure_free);
  g_free (fake->next_status);
  g_free (fake->last_authorization);
  g_free (fake->api_url);
  g_mutex_clear (&fake->lock);
  g_cond_clear (&fake->cond);
  g_free (fake);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeServer, fake_server_free)

G_GNUC_UNUSED static void
fake_fail (FakeServer *fake,
           guint       status,
           const char *retry_after,
           guint       times)
{
  fake_lock (fake);
  for (guint i = 0; i < times; i++)
    {
      Failure *failure = g_new0 (Failure, 1);

      failure->status = status;
      failure->retry_after = g_strdup (retry_after);
      g_queue_push_tail (&fake->failures, failure);
    }
  fake_unlock (fake);
}

G_GNUC_UNUSED static guint
fake_requests (FakeServer *fake,
               const char *key)
{
  guint n;

  fake_lock (fake);
  n = key != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (fake->requests, key)) : fake->n_requests;
  fake_unlock (fake);
  return n;
}

/* How many connections the requests came over. */
G_GNUC_UNUSED static guint
fake_connections (FakeServer *fake)
{
  guint n;

  fake_lock (fake);
  n = g_hash_table_size (fake->ports);
  fake_unlock (fake);
  return n;
}

G_GNUC_UNUSED static char *
fake_last_authorization (FakeServer *fake)
{
  char *value;

  fake_lock (fake);
  value = g_strdup (fake->last_authorization);
  fake_unlock (fake);
  return value;
}

G_GNUC_UNUSED static void
fake_set_next_status (FakeServer *fake,
                      const char *status)
{
  fake_lock (fake);
  g_free (fake->next_status);
  fake->next_status = g_strdup (status);
  fake_unlock (fake);
}

