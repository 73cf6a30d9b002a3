/* test-views.c: the views (layer 7): FlowRunView, TaskRunView, FlowView.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every fixture is written straight into an in-memory local store through
 * the client API: flows, flow runs, their states, task runs and logs.
 */
#define G_LOG_DOMAIN "PrefectCtx-test"

#include <string.h>

#include <prefectctx.h>

/* ---------------------------------------------------------------------------
 * Fixtures
 */

static PrefectCtxClient *
memory_client (void)
{
  g_autoptr(GError) error = NULL;
  PrefectCtxLocalClient *client = prefect_ctx_local_client_new (PREFECT_CTX_LOCAL_CLIENT_MEMORY, &error);

  g_assert_no_error (error);
  return PREFECT_CTX_CLIENT (client);
}

static char *
make_flow (PrefectCtxClient *client,
           const char       *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlow) flow = NULL;
  g_autoptr(PrefectCtxFlow) stored = NULL;
  const char *tags[] = { "etl", "nightly", NULL };

  flow = g_object_new (PREFECT_CTX_TYPE_FLOW,
                       "name", name,
                       "version", "1.2",
                       "description", "A flow of the tests",
                       "tags", tags,
                       NULL);
  stored = prefect_ctx_client_create_flow (client, flow, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (prefect_ctx_flow_get_id (stored));
}

static PrefectCtxState *
state_new (PrefectCtxStateType type,
           const char         *message)
{
  return prefect_ctx_state_new (type, NULL, message);
}

/* A flow run of @flow_id in @state_type, or without a state for -1. */
static char *
make_flow_run (PrefectCtxClient *client,
               const char       *flow_id,
               const char       *name,
               int               state_type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  g_autoptr(PrefectCtxFlowRun) stored = NULL;
  g_autoptr(PrefectCtxState) state = NULL;
  GVariantDict params;
  const char *tags[] = { "b-tag", "a-tag", "b-tag", NULL };

  g_variant_dict_init (&params, NULL);
  g_variant_dict_insert (&params, "x", "x", (gint64) 3);
  g_variant_dict_insert (&params, "who", "s", "world");
  if (state_type >= 0)
    state = state_new (state_type, NULL);

  run = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN,
                      "flow-id", flow_id,
                      "name", name,
                      "parameters", g_variant_dict_end (&params),
                      "tags", tags,
                      "state", state,
                      NULL);
  stored = prefect_ctx_client_create_flow_run (client, run, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (prefect_ctx_flow_run_get_id (stored));
}

static void
set_flow_state (PrefectCtxClient    *client,
                const char          *id,
                PrefectCtxStateType  type,
                const char          *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxState) state = state_new (type, message);
  g_autoptr(PrefectCtxState) stored = NULL;

  stored = prefect_ctx_client_set_flow_run_state (client, id, state, TRUE, NULL, &error);
  g_assert_no_error (error);
}

/* A task run of @flow_run_id in @state_type, or without a state for -1. */
static char *
make_task_run (PrefectCtxClient *client,
               const char       *flow_run_id,
               const char       *task_key,
               const char       *dynamic_key,
               int               map_index,
               int               state_type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxTaskRun) run = NULL;
  g_autoptr(PrefectCtxTaskRun) stored = NULL;
  g_autoptr(PrefectCtxState) state = NULL;
  g_autofree char *name = g_strdup_printf ("%s-%s", task_key, dynamic_key);

  if (state_type >= 0)
    state = state_new (state_type, NULL);

  run = g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                      "flow-run-id", flow_run_id,
                      "task-key", task_key,
                      "dynamic-key", dynamic_key,
                      "name", name,
                      "map-index", map_index,
                      "state", state,
                      NULL);
  stored = prefect_ctx_client_create_task_run (client, run, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (prefect_ctx_task_run_get_id (stored));
}

static void
set_task_state (PrefectCtxClient    *client,
                const char          *id,
                PrefectCtxStateType  type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxState) state = state_new (type, NULL);
  g_autoptr(PrefectCtxState) stored = NULL;

  stored = prefect_ctx_client_set_task_run_state (client, id, state, TRUE, NULL, &error);
  g_assert_no_error (error);
}

static void
add_log (PrefectCtxClient *client,
         const char       *flow_run_id,
         GDateTime        *timestamp,
         const char       *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) logs = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (logs, g_object_new (PREFECT_CTX_TYPE_LOG_ENTRY,
                                       "name", "prefect.flow_runs",
                                       "level", 20,
                                       "message", message,
                                       "timestamp", timestamp,
                                       "flow-run-id", flow_run_id,
                                       NULL));
  prefect_ctx_client_create_logs (client, logs, NULL, &error);
  g_assert_no_error (error);
}

static PrefectCtxFlowRunView *
view_of (PrefectCtxClient *client,
         const char       *flow_run_id)
{
  g_autoptr(GError) error = NULL;
  PrefectCtxFlowRunView *view;

  view = prefect_ctx_flow_run_view_new_from_id (client, flow_run_id, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (PREFECT_CTX_IS_FLOW_RUN_VIEW (view));
  return view;
}

static PrefectCtxTaskRunView *
task_run_of (PrefectCtxFlowRunView *view,
             const char            *key_or_slug,
             const char            *id,
             int                    map_index)
{
  g_autoptr(GError) error = NULL;
  PrefectCtxTaskRunView *task_run;

  task_run = prefect_ctx_flow_run_view_get_task_run (view, key_or_slug, id, map_index, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (PREFECT_CTX_IS_TASK_RUN_VIEW (task_run));
  return task_run;
}

static PrefectCtxStateType
task_state_type (PrefectCtxTaskRunView *task_run)
{
  return prefect_ctx_state_get_state_type (prefect_ctx_task_run_view_get_state (task_run));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* The IDs of the cached task runs of @view, sorted, joined by spaces. */
static char *
cached_ids (PrefectCtxFlowRunView *view)
{
  g_autoptr(GListModel) cached = prefect_ctx_flow_run_view_get_cached_task_runs (view);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (cached); i++)
    {
      g_autoptr(PrefectCtxTaskRunView) task_run = g_list_model_get_item (cached, i);

      g_ptr_array_add (ids, g_strdup (prefect_ctx_task_run_view_get_task_run_id (task_run)));
    }
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (" ", (char **) ids->pdata);
}

static char *
sorted_join (const char *a,
             const char *b)
{
  return g_strcmp0 (a, b) < 0 ? g_strdup_printf ("%s %s", a, b) : g_strdup_printf ("%s %s", b, a);
}

/* ---------------------------------------------------------------------------
 * TaskRunView and FlowView
 */

static void
test_task_run_view_basics (void)
{
  g_autoptr(PrefectCtxTaskRun) run = NULL;
  g_autoptr(PrefectCtxTaskRunView) view = NULL;
  g_autoptr(PrefectCtxTaskRun) bare = NULL;
  g_autoptr(PrefectCtxTaskRunView) bare_view = NULL;
  g_autoptr(PrefectCtxState) state = state_new (PREFECT_CTX_STATE_TYPE_COMPLETED, "done");
  g_autofree char *slug = NULL;
  int map_index = 0;

  run = g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                      "id", "11111111-1111-1111-1111-111111111111",
                      "flow-run-id", "22222222-2222-2222-2222-222222222222",
                      "task-key", "add",
                      "dynamic-key", "3",
                      "name", "add-3",
                      "map-index", 2,
                      "state", state,
                      NULL);
  view = prefect_ctx_task_run_view_new_from_task_run (run);

  g_assert_true (prefect_ctx_task_run_view_get_task_run (view) == run);
  g_assert_cmpstr (prefect_ctx_task_run_view_get_task_run_id (view), ==, "11111111-1111-1111-1111-111111111111");
  g_assert_cmpstr (prefect_ctx_task_run_view_get_flow_run_id (view), ==, "22222222-2222-2222-2222-222222222222");
  g_assert_cmpstr (prefect_ctx_task_run_view_get_task_id (view), ==, "add");
  g_assert_cmpstr (prefect_ctx_task_run_view_get_task_slug (view), ==, "add-3");
  g_assert_cmpstr (prefect_ctx_task_run_view_get_name (view), ==, "add-3");
  g_assert_cmpint (prefect_ctx_task_run_view_get_map_index (view), ==, 2);
  g_assert_true (prefect_ctx_task_run_view_get_state (view) == state);
  g_assert_true (prefect_ctx_task_run_view_is_finished (view));

  g_object_get (view, "task-slug", &slug, "map-index", &map_index, NULL);
  g_assert_cmpstr (slug, ==, "add-3");
  g_assert_cmpint (map_index, ==, 2);

  /* No state: Scheduled; not mapped: -1; no dynamic key: the key alone. */
  bare = g_object_new (PREFECT_CTX_TYPE_TASK_RUN, "task-key", "load", NULL);
  bare_view = prefect_ctx_task_run_view_new_from_task_run (bare);
  g_assert_cmpint (task_state_type (bare_view), ==, PREFECT_CTX_STATE_TYPE_SCHEDULED);
  g_assert_cmpstr (prefect_ctx_state_get_name (prefect_ctx_task_run_view_get_state (bare_view)), ==, "Scheduled");
  g_assert_false (prefect_ctx_task_run_view_is_finished (bare_view));
  g_assert_cmpint (prefect_ctx_task_run_view_get_map_index (bare_view), ==, -1);
  g_assert_cmpstr (prefect_ctx_task_run_view_get_task_slug (bare_view), ==, "load");
}

static void
test_task_run_view_from_id (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *flow_id = make_flow (client, "views");
  g_autofree char *run_id = make_flow_run (client, flow_id, "run", PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autofree char *task_id = make_task_run (client, run_id, "add", "0", -1, -1);
  g_autoptr(PrefectCtxTaskRunView) view = NULL;
  g_autoptr(GError) error = NULL;

  view = prefect_ctx_task_run_view_new_from_id (client, task_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_task_run_view_get_task_run_id (view), ==, task_id);
  g_assert_cmpstr (prefect_ctx_task_run_view_get_flow_run_id (view), ==, run_id);
  g_assert_cmpstr (prefect_ctx_task_run_view_get_task_slug (view), ==, "add-0");
  g_assert_cmpint (task_state_type (view), ==, PREFECT_CTX_STATE_TYPE_SCHEDULED);

  g_assert_null (prefect_ctx_task_run_view_new_from_id (client, "00000000-0000-0000-0000-000000000000",
                                                        NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Task run not found");
}

static void
test_flow_view (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *flow_id = make_flow (client, "etl-flow");
  g_autoptr(PrefectCtxFlowView) view = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) tags = NULL;
  g_autofree char *name = NULL;

  view = prefect_ctx_flow_view_new_from_id (client, flow_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_flow_view_get_flow_id (view), ==, flow_id);
  g_assert_cmpstr (prefect_ctx_flow_view_get_name (view), ==, "etl-flow");
  g_assert_cmpstr (prefect_ctx_flow_view_get_version (view), ==, "1.2");
  g_assert_cmpstr (prefect_ctx_flow_view_get_description (view), ==, "A flow of the tests");
  g_assert_cmpuint (g_strv_length ((GStrv) prefect_ctx_flow_view_get_tags (view)), ==, 2);
  g_assert_cmpstr (prefect_ctx_flow_view_get_tags (view)[0], ==, "etl");
  g_assert_cmpstr (prefect_ctx_flow_get_name (prefect_ctx_flow_view_get_flow (view)), ==, "etl-flow");

  g_object_get (view, "name", &name, "tags", &tags, NULL);
  g_assert_cmpstr (name, ==, "etl-flow");
  g_assert_cmpstr (tags[1], ==, "nightly");

  g_assert_null (prefect_ctx_flow_view_new_from_id (client, "00000000-0000-0000-0000-000000000000",
                                                    NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Flow not found");
}

/* ---------------------------------------------------------------------------
 * FlowRunView: the view itself
 */

static void
test_flow_run_view_basics (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *flow_id = make_flow (client, "views");
  g_autofree char *run_id = make_flow_run (client, flow_id, "brave-otter", PREFECT_CTX_STATE_TYPE_PENDING);
  g_autoptr(PrefectCtxFlowRunView) view = NULL;
  g_autoptr(PrefectCtxFlowRun) stored = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *states;
  GVariant *params;
  const char *who = NULL;
  g_autofree char *prop_id = NULL;
  g_autoptr(GDateTime) prop_updated = NULL;

  set_flow_state (client, run_id, PREFECT_CTX_STATE_TYPE_RUNNING, NULL);
  set_flow_state (client, run_id, PREFECT_CTX_STATE_TYPE_COMPLETED, "All states completed.");
  view = view_of (client, run_id);

  g_assert_true (prefect_ctx_flow_run_view_get_client (view) == client);
  g_assert_cmpstr (prefect_ctx_flow_run_view_get_flow_run_id (view), ==, run_id);
  g_assert_cmpstr (prefect_ctx_flow_run_view_get_name (view), ==, "brave-otter");
  g_assert_cmpstr (prefect_ctx_flow_run_view_get_flow_id (view), ==, flow_id);
  g_assert_cmpuint (g_strv_length ((GStrv) prefect_ctx_flow_run_view_get_tags (view)), ==, 2);
  g_assert_cmpstr (prefect_ctx_flow_run_view_get_tags (view)[0], ==, "a-tag");
  g_assert_cmpstr (prefect_ctx_flow_run_view_get_tags (view)[1], ==, "b-tag");

  params = prefect_ctx_flow_run_view_get_parameters (view);
  g_assert_true (g_variant_is_of_type (params, G_VARIANT_TYPE_VARDICT));
  g_assert_true (g_variant_lookup (params, "who", "&s", &who));
  g_assert_cmpstr (who, ==, "world");

  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_flow_run_view_get_state (view)), ==,
                   PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_assert_cmpstr (prefect_ctx_state_get_message (prefect_ctx_flow_run_view_get_state (view)), ==,
                   "All states completed.");
  g_assert_true (prefect_ctx_flow_run_view_is_finished (view));

  states = prefect_ctx_flow_run_view_get_states (view);
  g_assert_cmpuint (g_list_model_get_n_items (states), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      static const PrefectCtxStateType expected[] = {
        PREFECT_CTX_STATE_TYPE_PENDING, PREFECT_CTX_STATE_TYPE_RUNNING, PREFECT_CTX_STATE_TYPE_COMPLETED,
      };
      g_autoptr(PrefectCtxState) state = g_list_model_get_item (states, i);

      g_assert_cmpint (prefect_ctx_state_get_state_type (state), ==, expected[i]);
    }

  /* updated-at is the run's `updated` time. */
  stored = prefect_ctx_client_read_flow_run (client, run_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_date_time_equal (prefect_ctx_flow_run_view_get_updated_at (view),
                                    prefect_ctx_flow_run_get_updated (stored)));

  g_object_get (view, "flow-run-id", &prop_id, "updated-at", &prop_updated, NULL);
  g_assert_cmpstr (prop_id, ==, run_id);
  g_assert_true (g_date_time_equal (prop_updated, prefect_ctx_flow_run_view_get_updated_at (view)));
}

static void
test_flow_run_view_no_state (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *flow_id = make_flow (client, "views");
  g_autofree char *run_id = make_flow_run (client, flow_id, "stateless", -1);
  g_autoptr(PrefectCtxFlowRunView) view = view_of (client, run_id);
  PrefectCtxState *state = prefect_ctx_flow_run_view_get_state (view);

  g_assert_nonnull (state);
  g_assert_cmpint (prefect_ctx_state_get_state_type (state), ==, PREFECT_CTX_STATE_TYPE_PENDING);
  g_assert_cmpstr (prefect_ctx_state_get_name (state), ==, "Pending");
  g_assert_cmpstr (prefect_ctx_state_get_message (state), ==, "A state for this flow run is not yet available.");
  g_assert_false (prefect_ctx_flow_run_view_is_finished (view));
  g_assert_cmpuint (g_list_model_get_n_items (prefect_ctx_flow_run_view_get_states (view)), ==, 0);
  g_assert_nonnull (prefect_ctx_flow_run_view_get_updated_at (view));
}

static void
test_flow_run_view_not_found (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(GError) error = NULL;

  g_assert_null (prefect_ctx_flow_run_view_new_from_id (client, "00000000-0000-0000-0000-000000000000",
                                                        FALSE, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Flow run not found");
}

/* The states given at construction are sorted by timestamp, stably. */
static void
test_flow_run_view_states_sorted (void)
{
  g_autoptr(GListStore) states = g_list_store_new (PREFECT_CTX_TYPE_STATE);
  g_autoptr(GDateTime) t0 = g_date_time_new_utc (2026, 11, 21, 5, 0, 0);
  g_autoptr(GDateTime) t1 = g_date_time_add_seconds (t0, 1);
  g_autoptr(GDateTime) t2 = g_date_time_add_seconds (t0, 2);
  g_autoptr(PrefectCtxFlowRunView) view = NULL;
  struct { GDateTime *t; const char *name; } given[] = {
    { t2, "C" }, { t0, "A" }, { t1, "B1" }, { t1, "B2" },
  };
  const char *expected[] = { "A", "B1", "B2", "C" };
  GListModel *sorted;

  for (guint i = 0; i < G_N_ELEMENTS (given); i++)
    {
      g_autoptr(PrefectCtxState) state = g_object_new (PREFECT_CTX_TYPE_STATE,
                                                       "state-type", PREFECT_CTX_STATE_TYPE_RUNNING,
                                                       "name", given[i].name,
                                                       "timestamp", given[i].t,
                                                       NULL);
      g_list_store_append (states, state);
    }

  view = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN_VIEW, "states", states, NULL);
  sorted = prefect_ctx_flow_run_view_get_states (view);
  g_assert_cmpuint (g_list_model_get_n_items (sorted), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(PrefectCtxState) state = g_list_model_get_item (sorted, i);

      g_assert_cmpstr (prefect_ctx_state_get_name (state), ==, expected[i]);
    }
}

/* ---------------------------------------------------------------------------
 * FlowRunView: task runs and the cache
 */

/* Only finished task runs are cached: a cached one is not read again (the
 * store may change, the view still answers from its cache); an unfinished
 * one is read at every lookup. */
static void
test_flow_run_view_caches_finished_only (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *flow_id = make_flow (client, "views");
  g_autofree char *run_id = make_flow_run (client, flow_id, "run", PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autofree char *done_id = make_task_run (client, run_id, "extract", "0", -1, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_autofree char *busy_id = make_task_run (client, run_id, "load", "0", -1, PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autoptr(PrefectCtxFlowRunView) view = view_of (client, run_id);
  g_autoptr(PrefectCtxTaskRunView) done1 = NULL;
  g_autoptr(PrefectCtxTaskRunView) done2 = NULL;
  g_autoptr(PrefectCtxTaskRunView) done3 = NULL;
  g_autoptr(PrefectCtxTaskRunView) busy1 = NULL;
  g_autoptr(PrefectCtxTaskRunView) busy2 = NULL;
  g_autoptr(PrefectCtxTaskRunView) busy3 = NULL;
  g_autofree char *cached = NULL;
  g_autofree char *both = NULL;

  g_assert_cmpstr ((cached = cached_ids (view)), ==, "");
  g_clear_pointer (&cached, g_free);

  done1 = task_run_of (view, NULL, done_id, PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET);
  busy1 = task_run_of (view, NULL, busy_id, PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET);
  g_assert_cmpint (task_state_type (done1), ==, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_assert_cmpint (task_state_type (busy1), ==, PREFECT_CTX_STATE_TYPE_RUNNING);
  g_assert_cmpstr ((cached = cached_ids (view)), ==, done_id);
  g_clear_pointer (&cached, g_free);

  /* The store changes behind the view's back. */
  set_task_state (client, done_id, PREFECT_CTX_STATE_TYPE_FAILED);
  set_task_state (client, busy_id, PREFECT_CTX_STATE_TYPE_COMPLETED);

  /* By ID and by slug: the finished one comes from the cache... */
  done2 = task_run_of (view, NULL, done_id, PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET);
  done3 = task_run_of (view, "extract-0", NULL, PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET);
  g_assert_true (done2 == done1);
  g_assert_true (done3 == done1);
  g_assert_cmpint (task_state_type (done2), ==, PREFECT_CTX_STATE_TYPE_COMPLETED);

  /* ...the unfinished one is read again, and cached now that it is done. */
  busy2 = task_run_of (view, "load-0", NULL, PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET);
  g_assert_true (busy2 != busy1);
  g_assert_cmpint (task_state_type (busy2), ==, PREFECT_CTX_STATE_TYPE_COMPLETED);
  both = sorted_join (done_id, busy_id);
  g_assert_cmpstr ((cached = cached_ids (view)), ==, both);
  g_clear_pointer (&cached, g_free);

  set_task_state (client, busy_id, PREFECT_CTX_STATE_TYPE_CRASHED);
  busy3 = task_run_of (view, NULL, busy_id, PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET);
  g_assert_true (busy3 == busy2);
  g_assert_cmpint (task_state_type (busy3), ==, PREFECT_CTX_STATE_TYPE_COMPLETED);
}

/* get_latest () makes a new view with the cache handed over; the original
 * view does not change. */
static void
test_flow_run_view_get_latest (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *flow_id = make_flow (client, "views");
  g_autofree char *run_id = make_flow_run (client, flow_id, "run", PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autofree char *done_id = make_task_run (client, run_id, "extract", "0", -1, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_autofree char *late_id = make_task_run (client, run_id, "load", "0", -1, PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autoptr(PrefectCtxFlowRunView) view = view_of (client, run_id);
  g_autoptr(PrefectCtxFlowRunView) latest = NULL;
  g_autoptr(PrefectCtxTaskRunView) done = NULL;
  g_autoptr(PrefectCtxTaskRunView) handed = NULL;
  g_autoptr(PrefectCtxTaskRunView) late = NULL;
  g_autoptr(GDateTime) updated_before = g_date_time_ref (prefect_ctx_flow_run_view_get_updated_at (view));
  PrefectCtxState *state_before = prefect_ctx_flow_run_view_get_state (view);
  g_autoptr(GError) error = NULL;
  g_autofree char *cached = NULL;

  done = task_run_of (view, "extract", NULL, PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET);

  g_usleep (2000);
  set_task_state (client, done_id, PREFECT_CTX_STATE_TYPE_FAILED);
  set_task_state (client, late_id, PREFECT_CTX_STATE_TYPE_COMPLETED);
  set_flow_state (client, run_id, PREFECT_CTX_STATE_TYPE_COMPLETED, NULL);

  latest = prefect_ctx_flow_run_view_get_latest (view, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (latest != view);

  /* The new view has the new data... */
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_flow_run_view_get_state (latest)), ==,
                   PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_assert_cmpuint (g_list_model_get_n_items (prefect_ctx_flow_run_view_get_states (latest)), ==, 2);
  g_assert_cmpint (g_date_time_compare (prefect_ctx_flow_run_view_get_updated_at (latest), updated_before), >, 0);
  g_assert_cmpstr ((cached = cached_ids (latest)), ==, done_id);
  g_clear_pointer (&cached, g_free);

  /* ...and the cached task run, not read again. */
  handed = task_run_of (latest, NULL, done_id, PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET);
  g_assert_true (handed == done);
  g_assert_cmpint (task_state_type (handed), ==, PREFECT_CTX_STATE_TYPE_COMPLETED);

  /* What the new view caches is its own. */
  late = task_run_of (latest, "load-0", NULL, PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET);
  g_assert_cmpint (task_state_type (late), ==, PREFECT_CTX_STATE_TYPE_COMPLETED);

  /* The original has not changed. */
  g_assert_true (prefect_ctx_flow_run_view_get_state (view) == state_before);
  g_assert_cmpint (prefect_ctx_state_get_state_type (state_before), ==, PREFECT_CTX_STATE_TYPE_RUNNING);
  g_assert_cmpuint (g_list_model_get_n_items (prefect_ctx_flow_run_view_get_states (view)), ==, 1);
  g_assert_true (g_date_time_equal (prefect_ctx_flow_run_view_get_updated_at (view), updated_before));
  g_assert_cmpstr ((cached = cached_ids (view)), ==, done_id);
}

static void
test_flow_run_view_lookup_errors (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *flow_id = make_flow (client, "views");
  g_autofree char *run_id = make_flow_run (client, flow_id, "run", PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autofree char *other_run_id = make_flow_run (client, flow_id, "other", PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autofree char *add_id = make_task_run (client, run_id, "add", "0", -1, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_autofree char *busy_id = make_task_run (client, run_id, "sub", "0", -1, PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autofree char *other_id = make_task_run (client, other_run_id, "add", "0", -1, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_autoptr(PrefectCtxFlowRunView) view = view_of (client, run_id);
  g_autoptr(PrefectCtxTaskRunView) ok1 = NULL;
  g_autoptr(PrefectCtxTaskRunView) ok2 = NULL;
  g_autoptr(GError) error = NULL;

  /* Neither a slug nor an ID. */
  g_assert_null (prefect_ctx_flow_run_view_get_task_run (view, NULL, NULL, -1, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "One of `task_run_id`, `task`, or `task_slug` must be provided!");
  g_clear_error (&error);

  /* An ID and a slug that does not match (from the store, then from the
   * cache: the same check). */
  for (int round = 0; round < 2; round++)
    {
      const char *id = round == 0 ? busy_id : add_id;
      const char *slug = round == 0 ? "sub-0" : "add-0";
      g_autofree char *expected = g_strdup_printf ("Both `task_slug` and `task_run_id` were provided but the "
                                                   "task found using `task_run_id` has a different slug! "
                                                   "`task_slug == 'mul-0'` and `result.task_slug == '%s'`",
                                                   slug);

      g_assert_null (prefect_ctx_flow_run_view_get_task_run (view, "mul-0", id,
                                                             PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET,
                                                             NULL, &error));
      g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (error->message, ==, expected);
      g_clear_error (&error);

      /* An ID and a map index that does not match. */
      g_assert_null (prefect_ctx_flow_run_view_get_task_run (view, NULL, id, 1, NULL, &error));
      g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (error->message, ==,
                       "Both `map_index` and `task_run_id` were provided but the task found using "
                       "`task_run_id` has a different map index! `map_index == 1` and "
                       "`result.map_index == -1`");
      g_clear_error (&error);

      /* Consistent arguments: the slug or the task key, the map index. */
      g_clear_object (&ok1);
      g_clear_object (&ok2);
      ok1 = task_run_of (view, slug, id, -1);
      ok2 = task_run_of (view, round == 0 ? "sub" : "add", id, PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET);
      g_assert_cmpstr (prefect_ctx_task_run_view_get_task_run_id (ok1), ==, id);
      g_assert_cmpstr (prefect_ctx_task_run_view_get_task_run_id (ok2), ==, id);
    }

  /* A task run of another flow run. */
  g_assert_null (prefect_ctx_flow_run_view_get_task_run (view, NULL, other_id,
                                                         PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message,
                                   "The task run found using `task_run_id` belongs to another flow run!"));
  g_clear_error (&error);

  /* An unknown ID: the store's error. */
  g_assert_null (prefect_ctx_flow_run_view_get_task_run (view, NULL, "00000000-0000-0000-0000-000000000000",
                                                         PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Task run not found");
  g_clear_error (&error);

  /* An unknown slug. */
  g_assert_null (prefect_ctx_flow_run_view_get_task_run (view, "nope", NULL,
                                                         PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "No task runs found with the task slug or task key 'nope'"));
  g_clear_error (&error);

  /* A map index below -2. */
  g_assert_null (prefect_ctx_flow_run_view_get_task_run (view, "add", NULL, -3, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
}

/* By slug or task key, the map index defaults to -1 (not mapped). */
static void
test_flow_run_view_lookup_by_slug (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *flow_id = make_flow (client, "views");
  g_autofree char *run_id = make_flow_run (client, flow_id, "run", PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autofree char *parent_id = make_task_run (client, run_id, "double", "0", -1, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_autofree char *child0_id = make_task_run (client, run_id, "double", "1", 0, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_autofree char *child1_id = make_task_run (client, run_id, "double", "2", 1, PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autofree char *add0_id = make_task_run (client, run_id, "add", "0", -1, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_autofree char *add1_id = make_task_run (client, run_id, "add", "1", -1, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_autoptr(PrefectCtxFlowRunView) view = view_of (client, run_id);
  g_autoptr(PrefectCtxTaskRunView) parent = NULL;
  g_autoptr(PrefectCtxTaskRunView) child1 = NULL;
  g_autoptr(PrefectCtxTaskRunView) child0 = NULL;
  g_autoptr(PrefectCtxTaskRunView) add1 = NULL;
  g_autoptr(GError) error = NULL;

  /* The task key with no map index: the parent, not the children. */
  parent = task_run_of (view, "double", NULL, PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET);
  g_assert_cmpstr (prefect_ctx_task_run_view_get_task_run_id (parent), ==, parent_id);
  g_assert_cmpint (prefect_ctx_task_run_view_get_map_index (parent), ==, -1);

  child1 = task_run_of (view, "double", NULL, 1);
  g_assert_cmpstr (prefect_ctx_task_run_view_get_task_run_id (child1), ==, child1_id);
  child0 = task_run_of (view, "double-1", NULL, 0);
  g_assert_cmpstr (prefect_ctx_task_run_view_get_task_run_id (child0), ==, child0_id);

  /* A slug of a mapped child without its map index looks for -1. */
  g_assert_null (prefect_ctx_flow_run_view_get_task_run (view, "double-1", NULL,
                                                         PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A task called twice: its key is ambiguous, its slugs are not. */
  g_assert_null (prefect_ctx_flow_run_view_get_task_run (view, "add", NULL,
                                                         PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "Found multiple (2) task runs with the task key 'add'"));
  g_assert_nonnull (strstr (error->message, "such as 'add-0'"));
  g_clear_error (&error);

  add1 = task_run_of (view, "add-1", NULL, PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET);
  g_assert_cmpstr (prefect_ctx_task_run_view_get_task_run_id (add1), ==, add1_id);
  g_assert_cmpstr (prefect_ctx_task_run_view_get_task_id (add1), ==, "add");
  (void) add0_id;
}

static void
test_flow_run_view_all_task_runs (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *flow_id = make_flow (client, "views");
  g_autofree char *run_id = make_flow_run (client, flow_id, "run", PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autofree char *a_id = make_task_run (client, run_id, "a", "0", -1, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_autofree char *b_id = make_task_run (client, run_id, "b", "0", -1, PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autofree char *c_id = make_task_run (client, run_id, "c", "0", -1, PREFECT_CTX_STATE_TYPE_FAILED);
  g_autoptr(PrefectCtxFlowRunView) view = view_of (client, run_id);
  g_autoptr(PrefectCtxTaskRunView) a = NULL;
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListModel) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cached = NULL;
  g_autofree char *expected = NULL;
  const char *ids[3];

  ids[0] = a_id, ids[1] = b_id, ids[2] = c_id;
  a = task_run_of (view, "a-0", NULL, PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET);
  set_task_state (client, a_id, PREFECT_CTX_STATE_TYPE_CRASHED);

  all = prefect_ctx_flow_run_view_get_all_task_runs (view, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_list_model_get_item_type (all) == PREFECT_CTX_TYPE_TASK_RUN_VIEW);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(PrefectCtxTaskRunView) task_run = g_list_model_get_item (all, i);

      g_assert_cmpstr (prefect_ctx_task_run_view_get_task_run_id (task_run), ==, ids[i]);
    }

  /* The cached one is the cached view; the finished ones are cached now. */
  {
    g_autoptr(PrefectCtxTaskRunView) first = g_list_model_get_item (all, 0);

    g_assert_true (first == a);
    g_assert_cmpint (task_state_type (first), ==, PREFECT_CTX_STATE_TYPE_COMPLETED);
  }
  expected = sorted_join (a_id, c_id);
  g_assert_cmpstr ((cached = cached_ids (view)), ==, expected);

  /* The running one is read again. */
  set_task_state (client, b_id, PREFECT_CTX_STATE_TYPE_COMPLETED);
  again = prefect_ctx_flow_run_view_get_all_task_runs (view, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(PrefectCtxTaskRunView) b = g_list_model_get_item (again, 1);

    g_assert_cmpint (task_state_type (b), ==, PREFECT_CTX_STATE_TYPE_COMPLETED);
  }
}

static void
test_flow_run_view_all_task_runs_limit (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *flow_id = make_flow (client, "views");
  g_autofree char *run_id = make_flow_run (client, flow_id, "big", PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autoptr(PrefectCtxFlowRunView) view = NULL;
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < PREFECT_CTX_FLOW_RUN_VIEW_MAX_TASK_RUNS; i++)
    {
      g_autofree char *dynamic_key = g_strdup_printf ("%d", i);
      g_autofree char *id = make_task_run (client, run_id, "t", dynamic_key, -1, PREFECT_CTX_STATE_TYPE_COMPLETED);
    }

  /* 1000 is allowed... */
  view = view_of (client, run_id);
  all = prefect_ctx_flow_run_view_get_all_task_runs (view, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 1000);
  g_clear_object (&all);

  /* ...1001 is not. */
  g_free (make_task_run (client, run_id, "t", "1000", -1, PREFECT_CTX_STATE_TYPE_COMPLETED));
  all = prefect_ctx_flow_run_view_get_all_task_runs (view, NULL, &error);
  g_assert_null (all);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==,
                   "Refusing to `get_all_task_runs` for a flow with more than 1000 tasks. "
                   "Please load the tasks you are interested in individually.");
}

/* The list of task run IDs is cached only once the flow run is finished. */
static void
test_flow_run_view_task_run_ids (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *flow_id = make_flow (client, "views");
  g_autofree char *run_id = make_flow_run (client, flow_id, "run", PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autofree char *a_id = make_task_run (client, run_id, "a", "0", -1, PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autofree char *b_id = NULL;
  g_autofree char *c_id = NULL;
  g_autoptr(PrefectCtxFlowRunView) running = view_of (client, run_id);
  g_autoptr(PrefectCtxFlowRunView) finished = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids1 = NULL;
  g_auto(GStrv) ids2 = NULL;
  g_auto(GStrv) ids3 = NULL;
  g_auto(GStrv) ids4 = NULL;

  ids1 = prefect_ctx_flow_run_view_get_task_run_ids (running, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (ids1), ==, 1);
  g_assert_cmpstr (ids1[0], ==, a_id);

  b_id = make_task_run (client, run_id, "b", "0", -1, PREFECT_CTX_STATE_TYPE_RUNNING);
  ids2 = prefect_ctx_flow_run_view_get_task_run_ids (running, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (ids2), ==, 2);
  g_assert_cmpstr (ids2[1], ==, b_id);

  set_flow_state (client, run_id, PREFECT_CTX_STATE_TYPE_COMPLETED, NULL);
  finished = prefect_ctx_flow_run_view_get_latest (running, FALSE, NULL, &error);
  g_assert_no_error (error);
  ids3 = prefect_ctx_flow_run_view_get_task_run_ids (finished, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (ids3), ==, 2);

  c_id = make_task_run (client, run_id, "c", "0", -1, PREFECT_CTX_STATE_TYPE_RUNNING);
  ids4 = prefect_ctx_flow_run_view_get_task_run_ids (finished, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (ids4), ==, 2);
  g_assert_true (g_strv_equal ((const char * const *) ids3, (const char * const *) ids4));
}

static void
test_flow_run_view_load_static_tasks (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *flow_id = make_flow (client, "views");
  g_autofree char *run_id = make_flow_run (client, flow_id, "run", PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autofree char *a_id = make_task_run (client, run_id, "a", "0", -1, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_autofree char *b_id = make_task_run (client, run_id, "b", "0", -1, PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autofree char *m_id = make_task_run (client, run_id, "m", "0", 0, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_autoptr(PrefectCtxFlowRunView) lazy = view_of (client, run_id);
  g_autoptr(PrefectCtxFlowRunView) eager = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cached_lazy = NULL;
  g_autofree char *cached_eager = NULL;

  eager = prefect_ctx_flow_run_view_new_from_id (client, run_id, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr ((cached_lazy = cached_ids (lazy)), ==, "");
  /* Unmapped and finished only. */
  g_assert_cmpstr ((cached_eager = cached_ids (eager)), ==, a_id);
  (void) b_id;
  (void) m_id;
}

static void
test_flow_run_view_flow_metadata (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *flow_id = make_flow (client, "meta-flow");
  g_autofree char *run_id = make_flow_run (client, flow_id, "run", PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autoptr(PrefectCtxFlowRunView) view = view_of (client, run_id);
  g_autoptr(PrefectCtxFlowView) first = NULL;
  g_autoptr(PrefectCtxFlowView) second = NULL;
  g_autoptr(PrefectCtxFlowView) fresh = NULL;
  g_autoptr(PrefectCtxFlowView) after = NULL;
  g_autoptr(GError) error = NULL;

  first = prefect_ctx_flow_run_view_get_flow_metadata (view, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_flow_view_get_name (first), ==, "meta-flow");
  g_assert_cmpstr (prefect_ctx_flow_view_get_flow_id (first), ==, flow_id);

  second = prefect_ctx_flow_run_view_get_flow_metadata (view, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (second == first);

  fresh = prefect_ctx_flow_run_view_get_flow_metadata (view, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (fresh != first);
  g_assert_cmpstr (prefect_ctx_flow_view_get_name (fresh), ==, "meta-flow");

  /* The fresh one is cached in its place. */
  after = prefect_ctx_flow_run_view_get_flow_metadata (view, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (after == fresh);
}

/* Logs: after start (exclusive), up to end (inclusive, default updated-at),
 * oldest first. */
static void
test_flow_run_view_logs (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *flow_id = make_flow (client, "views");
  g_autofree char *run_id = make_flow_run (client, flow_id, "run", PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autofree char *other_id = make_flow_run (client, flow_id, "other", PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autoptr(PrefectCtxFlowRunView) view = view_of (client, run_id);
  GDateTime *updated = prefect_ctx_flow_run_view_get_updated_at (view);
  g_autoptr(GDateTime) minus3 = g_date_time_add_seconds (updated, -3);
  g_autoptr(GDateTime) minus2 = g_date_time_add_seconds (updated, -2);
  g_autoptr(GDateTime) minus1 = g_date_time_add_seconds (updated, -1);
  g_autoptr(GDateTime) plus5 = g_date_time_add_seconds (updated, 5);
  g_autoptr(GDateTime) plus10 = g_date_time_add_seconds (updated, 10);
  g_autoptr(GError) error = NULL;
  struct {
    GDateTime  *start;
    GDateTime  *end;
    const char *expected;
  } windows[] = {
    { NULL, NULL, "m3 m2 m1 at" },
    { minus2, NULL, "m1 at" },
    { NULL, plus10, "m3 m2 m1 at p5" },
    { minus1, plus5, "at p5" },
    { minus3, minus1, "m2 m1" },
    { plus5, NULL, "" },
  };

  /* Written out of order, and a log of another run. */
  add_log (client, run_id, plus5, "p5");
  add_log (client, run_id, minus1, "m1");
  add_log (client, run_id, updated, "at");
  add_log (client, run_id, minus3, "m3");
  add_log (client, other_id, minus2, "other");
  add_log (client, run_id, minus2, "m2");

  for (guint w = 0; w < G_N_ELEMENTS (windows); w++)
    {
      g_autoptr(GListModel) logs = NULL;
      g_autoptr(GString) got = g_string_new (NULL);

      logs = prefect_ctx_flow_run_view_get_logs (view, windows[w].start, windows[w].end, NULL, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < g_list_model_get_n_items (logs); i++)
        {
          g_autoptr(PrefectCtxLogEntry) entry = g_list_model_get_item (logs, i);

          g_assert_cmpint (prefect_ctx_log_entry_get_level (entry), ==, 20);
          g_string_append_printf (got, "%s%s", i > 0 ? " " : "", prefect_ctx_log_entry_get_message (entry));
        }
      g_assert_cmpstr (got->str, ==, windows[w].expected);
    }
}

/* ---------------------------------------------------------------------------
 * The asynchronous forms
 */

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
} AsyncWait;

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
async_wait (AsyncWait *wait)
{
  g_main_loop_run (wait->loop);
  return wait->result;
}

static void
async_reset (AsyncWait *wait)
{
  g_clear_object (&wait->result);
}

static void
test_flow_run_view_async (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *flow_id = make_flow (client, "async-flow");
  g_autofree char *run_id = make_flow_run (client, flow_id, "run", PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autofree char *a_id = make_task_run (client, run_id, "a", "0", -1, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_autofree char *b_id = make_task_run (client, run_id, "b", "0", -1, PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncWait wait = { loop, NULL };
  g_autoptr(PrefectCtxFlowRunView) view = NULL;
  g_autoptr(PrefectCtxFlowRunView) latest = NULL;
  g_autoptr(PrefectCtxTaskRunView) a = NULL;
  g_autoptr(PrefectCtxTaskRunView) a_again = NULL;
  g_autoptr(PrefectCtxTaskRunView) task_run = NULL;
  g_autoptr(PrefectCtxFlowView) flow = NULL;
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListModel) logs = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;

  prefect_ctx_flow_run_view_new_from_id_async (client, run_id, TRUE, NULL, async_done_cb, &wait);
  view = prefect_ctx_flow_run_view_new_from_id_finish (async_wait (&wait), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_flow_run_view_get_name (view), ==, "run");
  async_reset (&wait);

  /* Loaded with the static tasks: a is cached. */
  prefect_ctx_flow_run_view_get_task_run_async (view, NULL, a_id, -1, NULL, async_done_cb, &wait);
  a = prefect_ctx_flow_run_view_get_task_run_finish (view, async_wait (&wait), &error);
  g_assert_no_error (error);
  async_reset (&wait);
  set_task_state (client, a_id, PREFECT_CTX_STATE_TYPE_FAILED);
  prefect_ctx_flow_run_view_get_task_run_async (view, "a", NULL, PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET,
                                                NULL, async_done_cb, &wait);
  a_again = prefect_ctx_flow_run_view_get_task_run_finish (view, async_wait (&wait), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_task_run_view_get_task_run_id (a_again), ==, a_id);
  g_assert_cmpint (task_state_type (a), ==, PREFECT_CTX_STATE_TYPE_COMPLETED);
  async_reset (&wait);

  /* Errors come through the result. */
  prefect_ctx_flow_run_view_get_task_run_async (view, NULL, NULL, -1, NULL, async_done_cb, &wait);
  task_run = prefect_ctx_flow_run_view_get_task_run_finish (view, async_wait (&wait), &error);
  g_assert_null (task_run);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  async_reset (&wait);

  prefect_ctx_flow_run_view_get_task_run_async (view, "b-0", b_id, 3, NULL, async_done_cb, &wait);
  task_run = prefect_ctx_flow_run_view_get_task_run_finish (view, async_wait (&wait), &error);
  g_assert_null (task_run);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "Both `map_index` and `task_run_id` were provided"));
  g_clear_error (&error);
  async_reset (&wait);

  prefect_ctx_flow_run_view_get_all_task_runs_async (view, NULL, async_done_cb, &wait);
  all = prefect_ctx_flow_run_view_get_all_task_runs_finish (view, async_wait (&wait), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 2);
  async_reset (&wait);

  prefect_ctx_flow_run_view_get_task_run_ids_async (view, NULL, async_done_cb, &wait);
  ids = prefect_ctx_flow_run_view_get_task_run_ids_finish (view, async_wait (&wait), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  async_reset (&wait);

  prefect_ctx_flow_run_view_get_flow_metadata_async (view, FALSE, NULL, async_done_cb, &wait);
  flow = prefect_ctx_flow_run_view_get_flow_metadata_finish (view, async_wait (&wait), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_flow_view_get_name (flow), ==, "async-flow");
  async_reset (&wait);

  add_log (client, run_id, prefect_ctx_flow_run_view_get_updated_at (view), "hello");
  prefect_ctx_flow_run_view_get_logs_async (view, NULL, NULL, NULL, async_done_cb, &wait);
  logs = prefect_ctx_flow_run_view_get_logs_finish (view, async_wait (&wait), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (logs), ==, 1);
  async_reset (&wait);

  set_flow_state (client, run_id, PREFECT_CTX_STATE_TYPE_COMPLETED, NULL);
  prefect_ctx_flow_run_view_get_latest_async (view, FALSE, NULL, async_done_cb, &wait);
  latest = prefect_ctx_flow_run_view_get_latest_finish (view, async_wait (&wait), &error);
  g_assert_no_error (error);
  g_assert_true (prefect_ctx_flow_run_view_is_finished (latest));
  g_assert_false (prefect_ctx_flow_run_view_is_finished (view));
  async_reset (&wait);

  prefect_ctx_flow_run_view_new_from_id_async (client, "00000000-0000-0000-0000-000000000000", FALSE, NULL,
                                               async_done_cb, &wait);
  g_assert_null (prefect_ctx_flow_run_view_new_from_id_finish (async_wait (&wait), &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Flow run not found");
  async_reset (&wait);
}

/* Several threads share one view: each gets the same cached views. */
typedef struct {
  PrefectCtxFlowRunView *view;
  const char            *ids[4];
} ThreadsData;

static gpointer
lookup_thread (gpointer user_data)
{
  ThreadsData *data = user_data;

  for (int round = 0; round < 50; round++)
    for (guint i = 0; i < 4; i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(PrefectCtxTaskRunView) task_run = NULL;

        task_run = prefect_ctx_flow_run_view_get_task_run (data->view, NULL, data->ids[i],
                                                           PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET,
                                                           NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpstr (prefect_ctx_task_run_view_get_task_run_id (task_run), ==, data->ids[i]);
      }

  return NULL;
}

static void
test_flow_run_view_threads (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autofree char *flow_id = make_flow (client, "views");
  g_autofree char *run_id = make_flow_run (client, flow_id, "run", PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autofree char *id0 = make_task_run (client, run_id, "a", "0", -1, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_autofree char *id1 = make_task_run (client, run_id, "a", "1", -1, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_autofree char *id2 = make_task_run (client, run_id, "b", "0", -1, PREFECT_CTX_STATE_TYPE_RUNNING);
  g_autofree char *id3 = make_task_run (client, run_id, "c", "0", -1, PREFECT_CTX_STATE_TYPE_FAILED);
  g_autoptr(PrefectCtxFlowRunView) view = view_of (client, run_id);
  ThreadsData data = { view, { id0, id1, id2, id3 } };
  GThread *threads[4];
  g_autoptr(GListModel) cached = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("lookup", lookup_thread, &data);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  cached = prefect_ctx_flow_run_view_get_cached_task_runs (view);
  g_assert_cmpuint (g_list_model_get_n_items (cached), ==, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/views/task-run-view/basics", test_task_run_view_basics);
  g_test_add_func ("/views/task-run-view/from-id", test_task_run_view_from_id);
  g_test_add_func ("/views/flow-view/basics", test_flow_view);
  g_test_add_func ("/views/flow-run-view/basics", test_flow_run_view_basics);
  g_test_add_func ("/views/flow-run-view/no-state", test_flow_run_view_no_state);
  g_test_add_func ("/views/flow-run-view/not-found", test_flow_run_view_not_found);
  g_test_add_func ("/views/flow-run-view/states-sorted", test_flow_run_view_states_sorted);
  g_test_add_func ("/views/flow-run-view/caches-finished-only", test_flow_run_view_caches_finished_only);
  g_test_add_func ("/views/flow-run-view/get-latest", test_flow_run_view_get_latest);
  g_test_add_func ("/views/flow-run-view/lookup-errors", test_flow_run_view_lookup_errors);
  g_test_add_func ("/views/flow-run-view/lookup-by-slug", test_flow_run_view_lookup_by_slug);
  g_test_add_func ("/views/flow-run-view/all-task-runs", test_flow_run_view_all_task_runs);
  g_test_add_func ("/views/flow-run-view/all-task-runs-limit", test_flow_run_view_all_task_runs_limit);
  g_test_add_func ("/views/flow-run-view/task-run-ids", test_flow_run_view_task_run_ids);
  g_test_add_func ("/views/flow-run-view/load-static-tasks", test_flow_run_view_load_static_tasks);
  g_test_add_func ("/views/flow-run-view/flow-metadata", test_flow_run_view_flow_metadata);
  g_test_add_func ("/views/flow-run-view/logs", test_flow_run_view_logs);
  g_test_add_func ("/views/flow-run-view/async", test_flow_run_view_async);
  g_test_add_func ("/views/flow-run-view/threads", test_flow_run_view_threads);

  return g_test_run ();
}
