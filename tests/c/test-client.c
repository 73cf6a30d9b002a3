/* test-client.c: the PrefectCtxClient operations, on the local store
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every test runs twice: on an in-memory store and on a database file in a
 * temporary directory. The process runs with PREFECT_HOME in a temporary
 * directory too, so nothing touches ~/.prefect.
 */
#include <glib/gstdio.h>
#include <string.h>

#include <prefectctx.h>

#include "fake-prefect.h"

typedef struct {
  char             *dir;
  PrefectCtxClient *client;
  FakeServer       *fake;   /* the "http" kind */
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *kind = data;

  fixture->dir = g_dir_make_tmp ("test-client-XXXXXX", &error);
  g_assert_no_error (error);

  if (strcmp (kind, "http") == 0)
    {
      fixture->fake = fake_server_new ();
      fixture->client = g_initable_new (PREFECT_CTX_TYPE_HTTP_CLIENT, NULL, &error,
                                        "api-url", fixture->fake->api_url, NULL);
      g_assert_no_error (error);
      return;
    }

  if (strcmp (kind, "memory") == 0)
    path = g_strdup (PREFECT_CTX_LOCAL_CLIENT_MEMORY);
  else
    path = g_build_filename (fixture->dir, "store.db", NULL);

  fixture->client = PREFECT_CTX_CLIENT (prefect_ctx_local_client_new (path, &error));
  g_assert_no_error (error);
  g_assert_nonnull (fixture->client);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_pointer (&fixture->fake, fake_server_free);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* A UTC time @seconds after a fixed instant, with microseconds. */
static GDateTime *
time_at (double seconds)
{
  g_autoptr(GDateTime) base = g_date_time_new_utc (2026, 11, 21, 5, 0, 0.25);

  return g_date_time_add (base, (GTimeSpan) (seconds * G_USEC_PER_SEC));
}

static PrefectCtxState *
state_at (PrefectCtxStateType  type,
          const char          *name,
          const char          *message,
          double               seconds)
{
  g_autoptr(GDateTime) timestamp = time_at (seconds);

  return g_object_new (PREFECT_CTX_TYPE_STATE,
                       "state-type", type,
                       "name", name,
                       "message", message,
                       "timestamp", timestamp,
                       NULL);
}

static void
assert_same_time (GDateTime *a,
                  GDateTime *b)
{
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  if (!g_date_time_equal (a, b))
    {
      g_autofree char *sa = g_date_time_format_iso8601 (a);
      g_autofree char *sb = g_date_time_format_iso8601 (b);

      g_error ("times differ: %s != %s", sa, sb);
    }
}

/* The ID of a flow named "runs" of @client (created the first time). */
static char *
runs_flow_id (PrefectCtxClient *client)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlow) draft = prefect_ctx_flow_new ("runs");
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_client_create_flow (client, draft, NULL, &error);

  g_assert_no_error (error);
  return g_strdup (prefect_ctx_flow_get_id (flow));
}

/* Whether the fixture's store is the fake server, which, as the real one,
 * checks that IDs are UUIDs and keeps only what the REST API has fields for. */
static gboolean
is_http (Fixture *fixture)
{
  return fixture->fake != NULL;
}

/* A time a store stamped from a state: the state's own timestamp in the
 * local store; over the REST API the server's clock when it took the state
 * (Prefect ignores a client's state timestamp), so only set. */
static void
assert_stamped (Fixture   *fixture,
                GDateTime *actual,
                GDateTime *expected)
{
  g_assert_nonnull (actual);
  if (!is_http (fixture))
    assert_same_time (actual, expected);
}

static PrefectCtxFlowRun *
create_flow_run (PrefectCtxClient *client,
                 const char       *name,
                 PrefectCtxState  *state)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *flow_id = runs_flow_id (client);
  g_autoptr(PrefectCtxFlowRun) draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN,
                                                     "name", name,
                                                     "flow-id", flow_id,
                                                     "state", state,
                                                     NULL);
  PrefectCtxFlowRun *run = prefect_ctx_client_create_flow_run (client, draft, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (run);
  return run;
}

static PrefectCtxTaskRun *
create_task_run (PrefectCtxClient *client,
                 const char       *flow_run_id,
                 const char       *task_key,
                 const char       *dynamic_key,
                 PrefectCtxState  *state)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("%s-%s", task_key, dynamic_key);
  g_autoptr(PrefectCtxTaskRun) draft = g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                                                     "flow-run-id", flow_run_id,
                                                     "task-key", task_key,
                                                     "dynamic-key", dynamic_key,
                                                     "name", name,
                                                     "state", state,
                                                     NULL);
  PrefectCtxTaskRun *run = prefect_ctx_client_create_task_run (client, draft, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (run);
  return run;
}

static PrefectCtxLogEntry *
log_at (const char *flow_run_id,
        const char *task_run_id,
        const char *message,
        double      seconds)
{
  g_autoptr(GDateTime) timestamp = time_at (seconds);

  return g_object_new (PREFECT_CTX_TYPE_LOG_ENTRY,
                       "name", "prefect.flow_runs",
                       "level", 20,
                       "message", message,
                       "timestamp", timestamp,
                       "flow-run-id", flow_run_id,
                       "task-run-id", task_run_id,
                       NULL);
}

/* ------------------------------------------------------------------------ */

static void
test_flow (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *tags[] = { "b", "a", NULL };
  g_autoptr(PrefectCtxFlow) draft = g_object_new (PREFECT_CTX_TYPE_FLOW,
                                                  "name", "etl",
                                                  "version", "1.2",
                                                  "description", "Extract, transform, load",
                                                  "tags", tags,
                                                  NULL);
  g_autoptr(PrefectCtxFlow) flow = NULL;
  g_autoptr(PrefectCtxFlow) again = NULL;
  g_autoptr(PrefectCtxFlow) read = NULL;
  g_autoptr(PrefectCtxFlow) missing = NULL;
  g_autoptr(PrefectCtxFlow) nameless = NULL;
  g_autoptr(PrefectCtxFlow) other = NULL;

  flow = prefect_ctx_client_create_flow (fixture->client, draft, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (prefect_ctx_flow_get_id (flow));
  g_assert_true (g_uuid_string_is_valid (prefect_ctx_flow_get_id (flow)));
  g_assert_cmpstr (prefect_ctx_flow_get_name (flow), ==, "etl");
  if (!is_http (fixture))
    {
      /* The local store keeps them; a flow of the REST API has no field for
       * either (a flow run has the version). */
      g_assert_cmpstr (prefect_ctx_flow_get_version (flow), ==, "1.2");
      g_assert_cmpstr (prefect_ctx_flow_get_description (flow), ==, "Extract, transform, load");
    }
  g_assert_cmpstrv (prefect_ctx_flow_get_tags (flow), ((const char *[]) { "a", "b", NULL }));

  /* A flow of the same name: the existing one, unchanged (POST /flows/). */
  other = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "etl", "version", "2.0", NULL);
  again = prefect_ctx_client_create_flow (fixture->client, other, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_flow_get_id (again), ==, prefect_ctx_flow_get_id (flow));
  g_assert_cmpstr (prefect_ctx_flow_get_version (again), ==, is_http (fixture) ? NULL : "1.2");

  read = prefect_ctx_client_read_flow (fixture->client, prefect_ctx_flow_get_id (flow), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_flow_get_name (read), ==, "etl");
  g_assert_cmpstrv (prefect_ctx_flow_get_tags (read), ((const char *[]) { "a", "b", NULL }));

  missing = prefect_ctx_client_read_flow (fixture->client, "no-such-flow", NULL, &error);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Flow not found");
  g_assert_null (missing);
  g_clear_error (&error);

  nameless = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "", NULL);
  g_clear_object (&other);
  other = prefect_ctx_client_create_flow (fixture->client, nameless, NULL, &error);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "A flow needs a name");
  g_assert_null (other);
}

static void
test_flow_run (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariantDict) dict = g_variant_dict_new (NULL);
  g_autoptr(GVariant) parameters = NULL;
  g_autoptr(GVariant) nested = NULL;
  const char *tags[] = { "nightly", "etl", "nightly", NULL };
  g_autoptr(GDateTime) expected = time_at (60);
  g_autoptr(PrefectCtxFlowRun) draft = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  g_autoptr(PrefectCtxFlowRun) read = NULL;
  g_autoptr(PrefectCtxFlowRun) bare = NULL;
  g_autoptr(PrefectCtxFlowRun) duplicate = NULL;
  g_autoptr(PrefectCtxFlowRun) missing = NULL;
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(GVariant) x = NULL;
  g_autoptr(GVariant) name = NULL;
  g_autoptr(GVariant) inner = NULL;
  g_autoptr(GVariant) list = NULL;
  g_autofree char *flow_id = NULL;
  g_autoptr(PrefectCtxFlowRun) parent_run = NULL;
  g_autoptr(PrefectCtxTaskRun) parent_task = NULL;
  g_autoptr(PrefectCtxDeployment) deployment_draft = NULL;
  g_autoptr(PrefectCtxDeployment) deployment = NULL;

  g_variant_dict_insert (dict, "x", "x", (gint64) 42);
  g_variant_dict_insert (dict, "name", "s", "Zoë \"quoted\"\n");
  g_variant_dict_insert (dict, "ratio", "d", 0.5);
  g_variant_dict_insert (dict, "flag", "b", TRUE);
  nested = g_variant_ref_sink (g_variant_new_parsed ("{'inner': <int64 7>}"));
  g_variant_dict_insert_value (dict, "nested", nested);
  g_variant_dict_insert_value (dict, "list", g_variant_new_parsed ("[<int64 1>, <'two'>]"));
  parameters = g_variant_ref_sink (g_variant_dict_end (dict));

  /* What the run names exists, as the server's foreign keys want. */
  flow_id = runs_flow_id (fixture->client);
  parent_run = create_flow_run (fixture->client, "parent", NULL);
  parent_task = create_task_run (fixture->client, prefect_ctx_flow_run_get_id (parent_run), "sub", "0", NULL);
  deployment_draft = g_object_new (PREFECT_CTX_TYPE_DEPLOYMENT, "name", "d", "flow-id", flow_id, NULL);
  deployment = prefect_ctx_client_create_deployment (fixture->client, deployment_draft, NULL, &error);
  g_assert_no_error (error);

  /* The local store keeps the ID of the draft; the server makes its own. */
  draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN,
                        "id", is_http (fixture) ? NULL : "2d7d2f3a-0000-4000-8000-000000000001",
                        "name", "tidy-jaguar",
                        "flow-id", flow_id,
                        "flow-version", "abc",
                        "parameters", parameters,
                        "tags", tags,
                        "parent-task-run-id", prefect_ctx_task_run_get_id (parent_task),
                        "deployment-id", prefect_ctx_deployment_get_id (deployment),
                        "expected-start-time", expected,
                        NULL);
  run = prefect_ctx_client_create_flow_run (fixture->client, draft, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (prefect_ctx_flow_run_get_id (run)));
  if (!is_http (fixture))
    g_assert_cmpstr (prefect_ctx_flow_run_get_id (run), ==, "2d7d2f3a-0000-4000-8000-000000000001");

  read = prefect_ctx_client_read_flow_run (fixture->client, prefect_ctx_flow_run_get_id (run), NULL, &error);
  g_assert_no_error (error);

  for (PrefectCtxFlowRun **r = (PrefectCtxFlowRun *[]) { run, read, NULL }; *r != NULL; r++)
    {
      GVariant *p = prefect_ctx_flow_run_get_parameters (*r);

      g_assert_cmpstr (prefect_ctx_flow_run_get_id (*r), ==, prefect_ctx_flow_run_get_id (run));
      g_assert_cmpstr (prefect_ctx_flow_run_get_name (*r), ==, "tidy-jaguar");
      g_assert_cmpstr (prefect_ctx_flow_run_get_flow_id (*r), ==, flow_id);
      g_assert_cmpstr (prefect_ctx_flow_run_get_flow_version (*r), ==, "abc");
      g_assert_cmpstr (prefect_ctx_flow_run_get_parent_task_run_id (*r), ==, prefect_ctx_task_run_get_id (parent_task));
      g_assert_cmpstr (prefect_ctx_flow_run_get_deployment_id (*r), ==, prefect_ctx_deployment_get_id (deployment));
      g_assert_cmpstrv (prefect_ctx_flow_run_get_tags (*r), ((const char *[]) { "etl", "nightly", NULL }));
      /* The server makes a run created without a state Pending; the local
       * store keeps none. */
      if (is_http (fixture))
        g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_flow_run_get_state (*r)), ==,
                         PREFECT_CTX_STATE_TYPE_PENDING);
      else
        g_assert_null (prefect_ctx_flow_run_get_state (*r));
      g_assert_cmpint (prefect_ctx_flow_run_get_run_count (*r), ==, 0);
      g_assert_null (prefect_ctx_flow_run_get_start_time (*r));
      g_assert_null (prefect_ctx_flow_run_get_end_time (*r));
      /* The server sets it itself, from the first state it orchestrates. */
      if (is_http (fixture))
        g_assert_cmpint (g_date_time_compare (prefect_ctx_flow_run_get_expected_start_time (*r), before), >=, 0);
      else
        assert_same_time (prefect_ctx_flow_run_get_expected_start_time (*r), expected);
      g_assert_nonnull (prefect_ctx_flow_run_get_created (*r));
      g_assert_nonnull (prefect_ctx_flow_run_get_updated (*r));
      g_assert_cmpint (g_date_time_compare (prefect_ctx_flow_run_get_created (*r), before), >=, 0);

      /* Parameters round-trip through JSON, as through the server. */
      g_assert_cmpuint (g_variant_n_children (p), ==, 6);
      x = g_variant_lookup_value (p, "x", G_VARIANT_TYPE_INT64);
      g_assert_nonnull (x);
      g_assert_cmpint (g_variant_get_int64 (x), ==, 42);
      name = g_variant_lookup_value (p, "name", G_VARIANT_TYPE_STRING);
      g_assert_cmpstr (g_variant_get_string (name, NULL), ==, "Zoë \"quoted\"\n");
      inner = g_variant_lookup_value (p, "nested", G_VARIANT_TYPE_VARDICT);
      g_assert_nonnull (inner);
      list = g_variant_lookup_value (p, "list", NULL);
      g_assert_nonnull (list);
      g_assert_cmpuint (g_variant_n_children (list), ==, 2);
      g_clear_pointer (&x, g_variant_unref);
      g_clear_pointer (&name, g_variant_unref);
      g_clear_pointer (&inner, g_variant_unref);
      g_clear_pointer (&list, g_variant_unref);
    }

  /* No ID: one is made; no name: none is made (that is the engine's job). */
  bare = create_flow_run (fixture->client, NULL, NULL);
  g_assert_true (g_uuid_string_is_valid (prefect_ctx_flow_run_get_id (bare)));
  g_assert_null (prefect_ctx_flow_run_get_name (bare));
  g_assert_cmpuint (g_variant_n_children (prefect_ctx_flow_run_get_parameters (bare)), ==, 0);
  g_assert_cmpstrv (prefect_ctx_flow_run_get_tags (bare), ((const char *[]) { NULL }));
  /* Without a state or an expected start time, it is expected now (on the
   * server: when its first state is set, just after its creation). */
  if (is_http (fixture))
    g_assert_cmpint (g_date_time_compare (prefect_ctx_flow_run_get_expected_start_time (bare),
                                          prefect_ctx_flow_run_get_created (bare)), >=, 0);
  else
    assert_same_time (prefect_ctx_flow_run_get_expected_start_time (bare),
                      prefect_ctx_flow_run_get_created (bare));

  if (!is_http (fixture))
    {
      duplicate = prefect_ctx_client_create_flow_run (fixture->client, draft, NULL, &error);
      g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (error->message, ==,
                       "A flow run with ID 2d7d2f3a-0000-4000-8000-000000000001 already exists");
      g_assert_null (duplicate);
      g_clear_error (&error);
    }

  missing = prefect_ctx_client_read_flow_run (fixture->client, "nope", NULL, &error);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Flow run not found");
  g_assert_null (missing);
}

static void
assert_states (GListModel  *states,
               const char **expected_names)
{
  guint n = g_list_model_get_n_items (states);

  g_assert_cmpuint (n, ==, g_strv_length ((char **) expected_names));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PrefectCtxState) state = g_list_model_get_item (states, i);

      g_assert_cmpstr (prefect_ctx_state_get_name (state), ==, expected_names[i]);
      if (i > 0)
        {
          g_autoptr(PrefectCtxState) previous = g_list_model_get_item (states, i - 1);

          g_assert_cmpint (g_date_time_compare (prefect_ctx_state_get_timestamp (previous),
                                                prefect_ctx_state_get_timestamp (state)), <=, 0);
        }
    }
}

static void
test_flow_run_states (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxState) pending = state_at (PREFECT_CTX_STATE_TYPE_PENDING, NULL, NULL, 0);
  g_autoptr(PrefectCtxFlowRun) run = create_flow_run (fixture->client, "states", pending);
  const char *id = prefect_ctx_flow_run_get_id (run);
  g_autoptr(PrefectCtxFlowRun) read = NULL;
  g_autoptr(GListModel) states = NULL;
  g_autoptr(GDateTime) t0 = time_at (0);
  g_autoptr(GDateTime) t1 = time_at (1);
  g_autoptr(GDateTime) t5 = time_at (5);
  g_autoptr(GDateTime) t9 = time_at (9);
  struct {
    PrefectCtxStateType type;
    const char *name;
    double at;
  } steps[] = {
    { PREFECT_CTX_STATE_TYPE_RUNNING, NULL, 1 },
    { PREFECT_CTX_STATE_TYPE_SCHEDULED, "AwaitingRetry", 3 },
    { PREFECT_CTX_STATE_TYPE_RUNNING, "Retrying", 5 },
    { PREFECT_CTX_STATE_TYPE_FAILED, NULL, 6 },
    { PREFECT_CTX_STATE_TYPE_RUNNING, "Retrying", 7 },
    { PREFECT_CTX_STATE_TYPE_COMPLETED, NULL, 9 },
  };

  /* Created with a state: that state, its bookkeeping and its history. */
  g_assert_nonnull (prefect_ctx_flow_run_get_state (run));
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_flow_run_get_state (run)), ==,
                   PREFECT_CTX_STATE_TYPE_PENDING);
  assert_stamped (fixture, prefect_ctx_state_get_timestamp (prefect_ctx_flow_run_get_state (run)), t0);
  assert_stamped (fixture, prefect_ctx_flow_run_get_expected_start_time (run), t0);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(PrefectCtxState) state = state_at (steps[i].type, steps[i].name, "why", steps[i].at);
      g_autoptr(PrefectCtxState) stored = NULL;

      stored = prefect_ctx_client_set_flow_run_state (fixture->client, id, state, FALSE, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (prefect_ctx_state_get_state_type (stored), ==, steps[i].type);
      assert_stamped (fixture, prefect_ctx_state_get_timestamp (stored), prefect_ctx_state_get_timestamp (state));

      g_clear_object (&read);
      read = prefect_ctx_client_read_flow_run (fixture->client, id, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_flow_run_get_state (read)), ==,
                       steps[i].type);
      g_assert_cmpstr (prefect_ctx_state_get_name (prefect_ctx_flow_run_get_state (read)), ==,
                       prefect_ctx_state_get_name (state));
      g_assert_cmpstr (prefect_ctx_state_get_message (prefect_ctx_flow_run_get_state (read)), ==, "why");

      /* A finished state sets the end time; leaving it clears it. */
      if (steps[i].type == PREFECT_CTX_STATE_TYPE_FAILED)
        assert_stamped (fixture, prefect_ctx_flow_run_get_end_time (read), prefect_ctx_state_get_timestamp (state));
      else if (steps[i].type != PREFECT_CTX_STATE_TYPE_COMPLETED)
        g_assert_null (prefect_ctx_flow_run_get_end_time (read));
    }

  /* Three transitions into RUNNING; the first set the start time. */
  g_assert_cmpint (prefect_ctx_flow_run_get_run_count (read), ==, 3);
  assert_stamped (fixture, prefect_ctx_flow_run_get_start_time (read), t1);
  assert_stamped (fixture, prefect_ctx_flow_run_get_end_time (read), t9);
  g_assert_cmpint (g_date_time_compare (prefect_ctx_flow_run_get_updated (read),
                                        prefect_ctx_flow_run_get_created (read)), >=, 0);

  states = prefect_ctx_client_read_flow_run_states (fixture->client, id, NULL, &error);
  g_assert_no_error (error);
  assert_states (states, (const char *[]) { "Pending", "Running", "AwaitingRetry", "Retrying",
                                            "Failed", "Retrying", "Completed", NULL });
  {
    g_autoptr(PrefectCtxState) third = g_list_model_get_item (states, 3);

    assert_stamped (fixture, prefect_ctx_state_get_timestamp (third), t5);
    g_assert_cmpstr (prefect_ctx_state_get_message (third), ==, "why");
  }

  /* The history is sorted by timestamp, whatever order states were set in. */
  {
    g_autoptr(PrefectCtxFlowRun) other = create_flow_run (fixture->client, "unordered", NULL);
    g_autoptr(GListModel) sorted = NULL;
    double at[] = { 5, 1, 3 };
    const char *names[] = { "C", "A", "B" };

    for (guint i = 0; i < G_N_ELEMENTS (at); i++)
      {
        g_autoptr(PrefectCtxState) state = state_at (PREFECT_CTX_STATE_TYPE_RUNNING, names[i], NULL, at[i]);
        g_autoptr(PrefectCtxState) stored = NULL;

        stored = prefect_ctx_client_set_flow_run_state (fixture->client, prefect_ctx_flow_run_get_id (other),
                                                        state, TRUE, NULL, &error);
        g_assert_no_error (error);
      }
    sorted = prefect_ctx_client_read_flow_run_states (fixture->client, prefect_ctx_flow_run_get_id (other),
                                                      NULL, &error);
    g_assert_no_error (error);
    /* The server stamps each state as it takes it: the order set, after
     * the Pending it makes a run created without a state. */
    if (is_http (fixture))
      assert_states (sorted, (const char *[]) { "Pending", "C", "A", "B", NULL });
    else
      assert_states (sorted, (const char *[]) { "A", "B", "C", NULL });
  }

  /* A run without states has an empty history (on a server, its Pending). */
  {
    g_autoptr(PrefectCtxFlowRun) plain = create_flow_run (fixture->client, "plain", NULL);
    g_autoptr(GListModel) none = prefect_ctx_client_read_flow_run_states (fixture->client,
                                                                          prefect_ctx_flow_run_get_id (plain),
                                                                          NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (none), ==, is_http (fixture) ? 1 : 0);
    g_assert_true (g_list_model_get_item_type (none) == PREFECT_CTX_TYPE_STATE);
  }

  /* Unknown runs. */
  {
    g_autoptr(PrefectCtxState) state = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL);
    g_autoptr(PrefectCtxState) stored = NULL;
    g_autoptr(GListModel) none = NULL;

    stored = prefect_ctx_client_set_flow_run_state (fixture->client, "nope", state, FALSE, NULL, &error);
    g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
    g_assert_cmpstr (error->message, ==, "Flow run not found");
    g_assert_null (stored);
    g_clear_error (&error);

    none = prefect_ctx_client_read_flow_run_states (fixture->client, "nope", NULL, &error);
    g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
    g_assert_cmpstr (error->message, ==, "Flow run not found");
    g_assert_null (none);
  }
}

static void
test_flow_runs (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListModel) page = NULL;
  g_autoptr(GListModel) completed = NULL;
  g_autoptr(GListModel) bad = NULL;

  /* Expected start times: run-0 at 0 s ... run-4 at 40 s; run-1 and run-3
   * completed. */
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("run-%d", i);
      g_autoptr(PrefectCtxState) state = state_at (PREFECT_CTX_STATE_TYPE_PENDING, NULL, NULL, 10 * i);
      g_autoptr(PrefectCtxFlowRun) run = create_flow_run (fixture->client, name, state);

      if (i % 2 == 1)
        {
          g_autoptr(PrefectCtxState) done = state_at (PREFECT_CTX_STATE_TYPE_COMPLETED, NULL, NULL, 10 * i + 1);
          g_autoptr(PrefectCtxState) stored = NULL;

          stored = prefect_ctx_client_set_flow_run_state (fixture->client, prefect_ctx_flow_run_get_id (run),
                                                          done, FALSE, NULL, &error);
          g_assert_no_error (error);
        }
    }

  all = prefect_ctx_client_read_flow_runs (fixture->client, PREFECT_CTX_CLIENT_ANY_STATE, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_list_model_get_item_type (all) == PREFECT_CTX_TYPE_FLOW_RUN);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(PrefectCtxFlowRun) run = g_list_model_get_item (all, i);
      g_autofree char *name = g_strdup_printf ("run-%u", 4 - i);

      g_assert_cmpstr (prefect_ctx_flow_run_get_name (run), ==, name);
    }

  page = prefect_ctx_client_read_flow_runs (fixture->client, PREFECT_CTX_CLIENT_ANY_STATE, 2, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (page), ==, 2);
  {
    g_autoptr(PrefectCtxFlowRun) first = g_list_model_get_item (page, 0);
    g_autoptr(PrefectCtxFlowRun) second = g_list_model_get_item (page, 1);

    g_assert_cmpstr (prefect_ctx_flow_run_get_name (first), ==, "run-3");
    g_assert_cmpstr (prefect_ctx_flow_run_get_name (second), ==, "run-2");
  }

  completed = prefect_ctx_client_read_flow_runs (fixture->client, PREFECT_CTX_STATE_TYPE_COMPLETED,
                                                 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (completed), ==, 2);
  {
    g_autoptr(PrefectCtxFlowRun) first = g_list_model_get_item (completed, 0);

    g_assert_cmpstr (prefect_ctx_flow_run_get_name (first), ==, "run-3");
  }

  bad = prefect_ctx_client_read_flow_runs (fixture->client, 42, 0, 0, NULL, &error);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Unknown state type 42");
  g_assert_null (bad);
}

static void
test_task_run (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlowRun) flow_run = create_flow_run (fixture->client, "parent", NULL);
  const char *flow_run_id = prefect_ctx_flow_run_get_id (flow_run);
  g_autoptr(PrefectCtxState) pending = state_at (PREFECT_CTX_STATE_TYPE_PENDING, NULL, NULL, 0);
  const char *tags[] = { "y", "x", NULL };
  g_autoptr(PrefectCtxTaskRun) draft = g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                                                     "flow-run-id", flow_run_id,
                                                     "task-key", "add-1a2b",
                                                     "dynamic-key", "0",
                                                     "name", "add-0",
                                                     "tags", tags,
                                                     "map-index", 3,
                                                     "state", pending,
                                                     NULL);
  g_autoptr(PrefectCtxTaskRun) run = NULL;
  g_autoptr(PrefectCtxTaskRun) read = NULL;
  g_autoptr(PrefectCtxTaskRun) again = NULL;
  g_autoptr(PrefectCtxTaskRun) missing = NULL;
  g_autoptr(GListModel) states = NULL;
  g_autoptr(GDateTime) t2 = time_at (2);
  g_autoptr(GDateTime) t3 = time_at (3);

  run = prefect_ctx_client_create_task_run (fixture->client, draft, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (prefect_ctx_task_run_get_id (run)));

  read = prefect_ctx_client_read_task_run (fixture->client, prefect_ctx_task_run_get_id (run), NULL, &error);
  g_assert_no_error (error);
  for (PrefectCtxTaskRun **r = (PrefectCtxTaskRun *[]) { run, read, NULL }; *r != NULL; r++)
    {
      g_assert_cmpstr (prefect_ctx_task_run_get_id (*r), ==, prefect_ctx_task_run_get_id (run));
      g_assert_cmpstr (prefect_ctx_task_run_get_flow_run_id (*r), ==, flow_run_id);
      g_assert_cmpstr (prefect_ctx_task_run_get_task_key (*r), ==, "add-1a2b");
      g_assert_cmpstr (prefect_ctx_task_run_get_dynamic_key (*r), ==, "0");
      g_assert_cmpstr (prefect_ctx_task_run_get_name (*r), ==, "add-0");
      g_assert_cmpstrv (prefect_ctx_task_run_get_tags (*r), ((const char *[]) { "x", "y", NULL }));
      /* Prefect 2.10's REST API has no map_index (-1: not mapped). */
      g_assert_cmpint (prefect_ctx_task_run_get_map_index (*r), ==, is_http (fixture) ? -1 : 3);
      g_assert_cmpint (prefect_ctx_task_run_get_run_count (*r), ==, 0);
      g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_task_run_get_state (*r)), ==,
                       PREFECT_CTX_STATE_TYPE_PENDING);
      g_assert_null (prefect_ctx_task_run_get_start_time (*r));
      g_assert_null (prefect_ctx_task_run_get_end_time (*r));
    }

  /* (flow run, task key, dynamic key) is unique: the existing run. */
  {
    g_autoptr(PrefectCtxTaskRun) same_key = g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                                                          "flow-run-id", flow_run_id,
                                                          "task-key", "add-1a2b",
                                                          "dynamic-key", "0",
                                                          "name", "another-name",
                                                          NULL);

    again = prefect_ctx_client_create_task_run (fixture->client, same_key, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (prefect_ctx_task_run_get_id (again), ==, prefect_ctx_task_run_get_id (run));
    g_assert_cmpstr (prefect_ctx_task_run_get_name (again), ==, "add-0");
    g_assert_cmpuint (prefect_ctx_client_count_task_runs (fixture->client, flow_run_id, FALSE, NULL, &error), ==, 1);
    g_assert_no_error (error);
  }

  /* Another dynamic key, another task key, or no flow run: new runs; task
   * runs outside flow runs are never merged. */
  {
    g_autoptr(PrefectCtxTaskRun) a = create_task_run (fixture->client, flow_run_id, "add-1a2b", "1", NULL);
    g_autoptr(PrefectCtxTaskRun) b = create_task_run (fixture->client, flow_run_id, "mul-3c4d", "0", NULL);
    g_autoptr(PrefectCtxTaskRun) c = create_task_run (fixture->client, NULL, "add-1a2b", "0", NULL);
    g_autoptr(PrefectCtxTaskRun) d = create_task_run (fixture->client, NULL, "add-1a2b", "0", NULL);

    g_assert_cmpstr (prefect_ctx_task_run_get_id (a), !=, prefect_ctx_task_run_get_id (run));
    g_assert_cmpstr (prefect_ctx_task_run_get_id (b), !=, prefect_ctx_task_run_get_id (run));
    g_assert_cmpstr (prefect_ctx_task_run_get_id (c), !=, prefect_ctx_task_run_get_id (d));
    g_assert_null (prefect_ctx_task_run_get_flow_run_id (c));
    if (is_http (fixture))
      g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_task_run_get_state (a)), ==,
                       PREFECT_CTX_STATE_TYPE_PENDING);
    else
      g_assert_null (prefect_ctx_task_run_get_state (a));
    g_assert_cmpuint (prefect_ctx_client_count_task_runs (fixture->client, flow_run_id, FALSE, NULL, &error), ==, 3);
    g_assert_cmpuint (prefect_ctx_client_count_task_runs (fixture->client, NULL, FALSE, NULL, &error), ==, 5);
    g_assert_no_error (error);
  }

  /* States and bookkeeping. */
  {
    g_autoptr(PrefectCtxState) running = state_at (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL, 2);
    g_autoptr(PrefectCtxState) completed = state_at (PREFECT_CTX_STATE_TYPE_COMPLETED, NULL, "done", 3);
    g_autoptr(PrefectCtxState) s1 = NULL;
    g_autoptr(PrefectCtxState) s2 = NULL;

    s1 = prefect_ctx_client_set_task_run_state (fixture->client, prefect_ctx_task_run_get_id (run),
                                                running, FALSE, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (prefect_ctx_client_count_task_runs (fixture->client, flow_run_id, TRUE, NULL, &error), ==, 0);
    s2 = prefect_ctx_client_set_task_run_state (fixture->client, prefect_ctx_task_run_get_id (run),
                                                completed, FALSE, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (prefect_ctx_state_get_message (s2), ==, "done");
    g_assert_cmpuint (prefect_ctx_client_count_task_runs (fixture->client, flow_run_id, TRUE, NULL, &error), ==, 1);
    g_assert_cmpuint (prefect_ctx_client_count_task_runs (fixture->client, NULL, TRUE, NULL, &error), ==, 1);
    g_assert_no_error (error);
  }

  g_clear_object (&read);
  read = prefect_ctx_client_read_task_run (fixture->client, prefect_ctx_task_run_get_id (run), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (prefect_ctx_task_run_get_run_count (read), ==, 1);
  assert_stamped (fixture, prefect_ctx_task_run_get_start_time (read), t2);
  assert_stamped (fixture, prefect_ctx_task_run_get_end_time (read), t3);
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_task_run_get_state (read)), ==,
                   PREFECT_CTX_STATE_TYPE_COMPLETED);

  states = prefect_ctx_client_read_task_run_states (fixture->client, prefect_ctx_task_run_get_id (run),
                                                    NULL, &error);
  g_assert_no_error (error);
  assert_states (states, (const char *[]) { "Pending", "Running", "Completed", NULL });

  /* A run created Running starts right away; one created finished ends. */
  {
    g_autoptr(PrefectCtxState) running = state_at (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL, 2);
    g_autoptr(PrefectCtxState) failed = state_at (PREFECT_CTX_STATE_TYPE_FAILED, NULL, NULL, 3);
    g_autoptr(PrefectCtxTaskRun) r = create_task_run (fixture->client, flow_run_id, "r", "0", running);
    g_autoptr(PrefectCtxTaskRun) f = create_task_run (fixture->client, flow_run_id, "f", "0", failed);
    g_autoptr(PrefectCtxTaskRun) r2 = NULL;

    g_assert_cmpint (prefect_ctx_task_run_get_run_count (r), ==, 1);
    assert_stamped (fixture, prefect_ctx_task_run_get_start_time (r), t2);
    assert_stamped (fixture, prefect_ctx_task_run_get_end_time (f), t3);
    r2 = prefect_ctx_client_read_task_run (fixture->client, prefect_ctx_task_run_get_id (r), NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (prefect_ctx_task_run_get_run_count (r2), ==, 1);
    assert_stamped (fixture, prefect_ctx_task_run_get_start_time (r2), t2);
  }

  /* Errors. */
  missing = prefect_ctx_client_read_task_run (fixture->client, "nope", NULL, &error);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Task run not found");
  g_assert_null (missing);
  g_clear_error (&error);

  {
    g_autoptr(PrefectCtxState) state = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL);
    g_autoptr(PrefectCtxState) stored = NULL;
    g_autoptr(GListModel) none = NULL;
    g_autoptr(PrefectCtxTaskRun) keyless = g_object_new (PREFECT_CTX_TYPE_TASK_RUN, "name", "x", NULL);
    g_autoptr(PrefectCtxTaskRun) created = NULL;
    g_autoptr(PrefectCtxTaskRun) same_id = g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                                                         "id", prefect_ctx_task_run_get_id (run),
                                                         "flow-run-id", flow_run_id,
                                                         "task-key", "other",
                                                         "dynamic-key", "0",
                                                         NULL);
    g_autofree char *message = g_strdup_printf ("A task run with ID %s already exists",
                                                prefect_ctx_task_run_get_id (run));

    stored = prefect_ctx_client_set_task_run_state (fixture->client, "nope", state, FALSE, NULL, &error);
    g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
    g_assert_cmpstr (error->message, ==, "Task run not found");
    g_assert_null (stored);
    g_clear_error (&error);

    none = prefect_ctx_client_read_task_run_states (fixture->client, "nope", NULL, &error);
    g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
    g_assert_cmpstr (error->message, ==, "Task run not found");
    g_assert_null (none);
    g_clear_error (&error);

    created = prefect_ctx_client_create_task_run (fixture->client, keyless, NULL, &error);
    g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
    g_assert_cmpstr (error->message, ==, "A task run needs a task key");
    g_assert_null (created);
    g_clear_error (&error);

    /* The local store keeps a draft's ID, so two may clash; the server
     * makes every ID itself. */
    if (!is_http (fixture))
      {
        created = prefect_ctx_client_create_task_run (fixture->client, same_id, NULL, &error);
        g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
        g_assert_cmpstr (error->message, ==, message);
        g_assert_null (created);
      }
  }
}

/* read_latest_task_runs (@flow_run_id, @limit, @offset) is @oldest_first
 * (every task run of @flow_run_id, oldest first) reversed, then paged. */
static void
assert_latest_reverse (PrefectCtxClient *client,
                       const char       *flow_run_id,
                       GListModel       *oldest_first,
                       guint             limit,
                       guint             offset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) latest = prefect_ctx_client_read_latest_task_runs (client, flow_run_id, limit, offset,
                                                                           NULL, &error);
  guint n = g_list_model_get_n_items (oldest_first);
  guint expected = offset >= n ? 0 : limit == 0 ? n - offset : MIN (limit, n - offset);

  g_assert_no_error (error);
  g_assert_true (g_list_model_get_item_type (latest) == PREFECT_CTX_TYPE_TASK_RUN);
  g_assert_cmpuint (g_list_model_get_n_items (latest), ==, expected);
  for (guint i = 0; i < expected; i++)
    {
      g_autoptr(PrefectCtxTaskRun) got = g_list_model_get_item (latest, i);
      g_autoptr(PrefectCtxTaskRun) want = g_list_model_get_item (oldest_first, n - 1 - offset - i);

      g_assert_cmpstr (prefect_ctx_task_run_get_id (got), ==, prefect_ctx_task_run_get_id (want));
    }
}

static void
test_task_runs (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlowRun) flow_run = create_flow_run (fixture->client, "parent", NULL);
  g_autoptr(PrefectCtxFlowRun) other = create_flow_run (fixture->client, "other", NULL);
  const char *flow_run_id = prefect_ctx_flow_run_get_id (flow_run);
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListModel) page = NULL;
  g_autoptr(GListModel) tail = NULL;
  g_autoptr(GListModel) everything = NULL;
  g_autoptr(GListModel) none = NULL;
  /* Created out of time order: expected start times (the state's
   * timestamps) decide the order, then creation order. The server stamps
   * states itself, in creation order. */
  double at[] = { 30, 10, 20, 10, 40 };

  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    {
      g_autofree char *key = g_strdup_printf ("%u", i);
      g_autoptr(PrefectCtxState) state = state_at (PREFECT_CTX_STATE_TYPE_PENDING, NULL, NULL, at[i]);
      g_autoptr(PrefectCtxTaskRun) run = create_task_run (fixture->client, flow_run_id, "t", key, state);
      g_autoptr(PrefectCtxTaskRun) elsewhere = create_task_run (fixture->client,
                                                               prefect_ctx_flow_run_get_id (other),
                                                               "t", key, NULL);
    }

  all = prefect_ctx_client_read_task_runs (fixture->client, flow_run_id, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_list_model_get_item_type (all) == PREFECT_CTX_TYPE_TASK_RUN);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 5);
  {
    const char *local_order[] = { "1", "3", "2", "0", "4" };
    const char *server_order[] = { "0", "1", "2", "3", "4" };
    const char **order = is_http (fixture) ? server_order : local_order;

    for (guint i = 0; i < 5; i++)
      {
        g_autoptr(PrefectCtxTaskRun) run = g_list_model_get_item (all, i);

        g_assert_cmpstr (prefect_ctx_task_run_get_dynamic_key (run), ==, order[i]);
        g_assert_cmpstr (prefect_ctx_task_run_get_flow_run_id (run), ==, flow_run_id);
      }
  }

  page = prefect_ctx_client_read_task_runs (fixture->client, flow_run_id, 2, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (page), ==, 2);
  {
    g_autoptr(PrefectCtxTaskRun) first = g_list_model_get_item (page, 0);
    g_autoptr(PrefectCtxTaskRun) second = g_list_model_get_item (page, 1);

    g_assert_cmpstr (prefect_ctx_task_run_get_dynamic_key (first), ==, is_http (fixture) ? "1" : "3");
    g_assert_cmpstr (prefect_ctx_task_run_get_dynamic_key (second), ==, "2");
  }

  tail = prefect_ctx_client_read_task_runs (fixture->client, flow_run_id, 10, 4, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tail), ==, 1);

  everything = prefect_ctx_client_read_task_runs (fixture->client, NULL, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (everything), ==, 10);

  none = prefect_ctx_client_read_task_runs (fixture->client, "no-such-run", 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (none), ==, 0);

  /* Newest first: the same order reversed, paged from the newest. */
  assert_latest_reverse (fixture->client, flow_run_id, all, 0, 0);
  assert_latest_reverse (fixture->client, flow_run_id, all, 2, 1);
  assert_latest_reverse (fixture->client, flow_run_id, all, 10, 4);
  assert_latest_reverse (fixture->client, NULL, everything, 0, 0);
  assert_latest_reverse (fixture->client, NULL, everything, 3, 0);
  g_clear_object (&none);
  none = prefect_ctx_client_read_latest_task_runs (fixture->client, "no-such-run", 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (none), ==, 0);
}

static void
test_logs (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) logs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListModel) window = NULL;
  g_autoptr(GListModel) page = NULL;
  g_autoptr(GListModel) other = NULL;
  g_autoptr(GListModel) everything = NULL;
  g_autoptr(GDateTime) t1 = time_at (1);
  g_autoptr(GDateTime) t3 = time_at (3);

  /* Out of order, with two at the same time (kept in the order given). */
  g_ptr_array_add (logs, log_at ("run-a", "task-1", "third", 3));
  g_ptr_array_add (logs, log_at ("run-a", NULL, "first", 1));
  g_ptr_array_add (logs, log_at ("run-a", "task-2", "second", 2));
  g_ptr_array_add (logs, log_at ("run-a", NULL, "third, later", 3));
  g_ptr_array_add (logs, log_at ("run-a", NULL, "last", 4));
  g_ptr_array_add (logs, log_at ("run-b", NULL, "elsewhere", 2));

  g_assert_true (prefect_ctx_client_create_logs (fixture->client, logs, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (prefect_ctx_client_create_logs (fixture->client, empty, NULL, &error));
  g_assert_no_error (error);

  all = prefect_ctx_client_read_logs (fixture->client, "run-a", NULL, NULL, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_list_model_get_item_type (all) == PREFECT_CTX_TYPE_LOG_ENTRY);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 5);
  {
    const char *order[] = { "first", "second", "third", "third, later", "last" };

    for (guint i = 0; i < 5; i++)
      {
        g_autoptr(PrefectCtxLogEntry) entry = g_list_model_get_item (all, i);

        g_assert_cmpstr (prefect_ctx_log_entry_get_message (entry), ==, order[i]);
        g_assert_cmpstr (prefect_ctx_log_entry_get_flow_run_id (entry), ==, "run-a");
        g_assert_cmpstr (prefect_ctx_log_entry_get_name (entry), ==, "prefect.flow_runs");
        g_assert_cmpint (prefect_ctx_log_entry_get_level (entry), ==, 20);
      }
  }
  {
    g_autoptr(PrefectCtxLogEntry) entry = g_list_model_get_item (all, 1);
    g_autoptr(GDateTime) t2 = time_at (2);

    g_assert_cmpstr (prefect_ctx_log_entry_get_task_run_id (entry), ==, "task-2");
    assert_same_time (prefect_ctx_log_entry_get_timestamp (entry), t2);
  }

  /* After is exclusive, before inclusive: (1, 3] */
  window = prefect_ctx_client_read_logs (fixture->client, "run-a", t1, t3, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (window), ==, 3);
  {
    g_autoptr(PrefectCtxLogEntry) first = g_list_model_get_item (window, 0);
    g_autoptr(PrefectCtxLogEntry) last = g_list_model_get_item (window, 2);

    g_assert_cmpstr (prefect_ctx_log_entry_get_message (first), ==, "second");
    g_assert_cmpstr (prefect_ctx_log_entry_get_message (last), ==, "third, later");
  }

  page = prefect_ctx_client_read_logs (fixture->client, "run-a", NULL, NULL, 2, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (page), ==, 2);
  {
    g_autoptr(PrefectCtxLogEntry) first = g_list_model_get_item (page, 0);

    g_assert_cmpstr (prefect_ctx_log_entry_get_message (first), ==, "third");
  }

  other = prefect_ctx_client_read_logs (fixture->client, "run-b", NULL, NULL, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (other), ==, 1);

  everything = prefect_ctx_client_read_logs (fixture->client, NULL, NULL, t3, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (everything), ==, 5);

  /* A batch with something that is not a log entry: nothing is stored. */
  {
    g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr(GListModel) after = NULL;

    g_ptr_array_add (bad, log_at ("run-c", NULL, "ok", 1));
    g_ptr_array_add (bad, prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL));
    g_assert_false (prefect_ctx_client_create_logs (fixture->client, bad, NULL, &error));
    g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
    g_assert_cmpstr (error->message, ==, "Element 1 of the logs is not a PrefectCtxLogEntry");
    g_clear_error (&error);

    after = prefect_ctx_client_read_logs (fixture->client, "run-c", NULL, NULL, 0, 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (after), ==, 0);
  }
}

/* The types of the state history of the flow run @id, joined by ' '. */
static char *
describe_flow_run_states (PrefectCtxClient *client,
                          const char       *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) states = prefect_ctx_client_read_flow_run_states (client, id, NULL, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (states); i++)
    {
      g_autoptr(PrefectCtxState) state = g_list_model_get_item (states, i);

      g_string_append_printf (out, "%s%s", i > 0 ? " " : "",
                              prefect_ctx_state_type_to_string (prefect_ctx_state_get_state_type (state)));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* @type proposed (not forced) to @run: the state type the run is in after. */
static int
propose (PrefectCtxClient     *client,
         PrefectCtxFlowRun    *run,
         PrefectCtxStateType   type,
         GError              **error)
{
  g_autoptr(PrefectCtxState) state = prefect_ctx_state_new (type, NULL, NULL);
  g_autoptr(PrefectCtxState) stored = prefect_ctx_client_set_flow_run_state (client, prefect_ctx_flow_run_get_id (run),
                                                                             state, FALSE, NULL, error);

  return stored != NULL ? (int) prefect_ctx_state_get_state_type (stored) : -1;
}

/* The local store applies a Prefect server's rules on cancellation to
 * flow-run states proposed without force; forced ones go through. */
static void
test_cancel_rules (Fixture       *fixture,
                   gconstpointer  data)
{
  PrefectCtxClient *client = fixture->client;
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxState) scheduled = state_at (PREFECT_CTX_STATE_TYPE_SCHEDULED, NULL, NULL, 0);
  g_autoptr(PrefectCtxState) running = state_at (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL, 0);
  g_autoptr(PrefectCtxState) completed = state_at (PREFECT_CTX_STATE_TYPE_COMPLETED, NULL, NULL, 1);
  g_autoptr(PrefectCtxFlowRun) waiting = create_flow_run (client, "waiting", scheduled);
  g_autoptr(PrefectCtxFlowRun) busy = create_flow_run (client, "busy", running);
  g_autoptr(PrefectCtxFlowRun) done = create_flow_run (client, "done", completed);
  g_autoptr(PrefectCtxFlowRun) stateless = create_flow_run (client, "stateless", NULL);
  g_autofree char *history = NULL;

  /* Scheduled has nothing to stop: Cancelled at once. */
  g_assert_cmpint (propose (client, waiting, PREFECT_CTX_STATE_TYPE_CANCELLING, &error), ==,
                   PREFECT_CTX_STATE_TYPE_CANCELLED);
  g_assert_no_error (error);

  /* Finished: aborted, with the server's reason. */
  for (PrefectCtxStateType type = PREFECT_CTX_STATE_TYPE_CANCELLING; ; type = PREFECT_CTX_STATE_TYPE_CRASHED)
    {
      g_assert_cmpint (propose (client, done, type, &error), ==, -1);
      g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_ABORTED);
      g_assert_cmpstr (error->message, ==,
                       "Flow run state change aborted: Run is already in terminal state COMPLETED.");
      g_clear_error (&error);
      if (type == PREFECT_CTX_STATE_TYPE_CRASHED)
        break;
    }
  g_assert_cmpint (propose (client, done, PREFECT_CTX_STATE_TYPE_FAILED, &error), ==, PREFECT_CTX_STATE_TYPE_FAILED);
  g_assert_no_error (error);

  /* Running: Cancelling; then only Cancelled is taken, the rest rejected
   * (the state the run is in comes back, nothing is recorded). */
  g_assert_cmpint (propose (client, busy, PREFECT_CTX_STATE_TYPE_CANCELLING, &error), ==,
                   PREFECT_CTX_STATE_TYPE_CANCELLING);
  g_assert_cmpint (propose (client, busy, PREFECT_CTX_STATE_TYPE_COMPLETED, &error), ==,
                   PREFECT_CTX_STATE_TYPE_CANCELLING);
  g_assert_cmpint (propose (client, busy, PREFECT_CTX_STATE_TYPE_CANCELLING, &error), ==,
                   PREFECT_CTX_STATE_TYPE_CANCELLING);
  g_assert_cmpint (propose (client, busy, PREFECT_CTX_STATE_TYPE_CANCELLED, &error), ==,
                   PREFECT_CTX_STATE_TYPE_CANCELLED);
  g_assert_cmpint (propose (client, busy, PREFECT_CTX_STATE_TYPE_RUNNING, &error), ==,
                   PREFECT_CTX_STATE_TYPE_CANCELLED);
  g_assert_no_error (error);
  history = describe_flow_run_states (client, prefect_ctx_flow_run_get_id (busy));
  g_assert_cmpstr (history, ==, "RUNNING CANCELLING CANCELLED");

  /* A run with no state yet can be cancelled; a forced state goes through
   * every rule. */
  g_assert_cmpint (propose (client, stateless, PREFECT_CTX_STATE_TYPE_CANCELLING, &error), ==,
                   PREFECT_CTX_STATE_TYPE_CANCELLING);
  g_assert_no_error (error);
  {
    g_autoptr(PrefectCtxState) forced = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL);
    g_autoptr(PrefectCtxState) stored = prefect_ctx_client_set_flow_run_state (client,
                                                                               prefect_ctx_flow_run_get_id (busy),
                                                                               forced, TRUE, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (prefect_ctx_state_get_state_type (stored), ==, PREFECT_CTX_STATE_TYPE_RUNNING);
  }

  /* An unknown run is not found. */
  {
    g_autoptr(PrefectCtxState) cancelling = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_CANCELLING, NULL, NULL);

    g_assert_null (prefect_ctx_client_set_flow_run_state (client, "no-such-run", cancelling, FALSE, NULL, &error));
    g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  }
}

/* expand_flow_run_id / expand_task_run_id: a unique prefix gives the whole
 * ID; none, or more than one, is an error naming it. */
static void
test_expand_ids (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char * const ids[] = {
    "ab000000-0000-4000-8000-000000000001", "ab000000-0000-4000-8000-000000000002",
    "cd000000-0000-4000-8000-000000000003",
  };
  PrefectCtxLocalClient *local = PREFECT_CTX_LOCAL_CLIENT (fixture->client);
  g_autoptr(GError) error = NULL;
  g_autofree char *flow_id = runs_flow_id (fixture->client);
  char *id;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(PrefectCtxFlowRun) draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "id", ids[i], "flow-id", flow_id,
                                                         NULL);
      g_autoptr(PrefectCtxFlowRun) run = prefect_ctx_client_create_flow_run (fixture->client, draft, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (prefect_ctx_flow_run_get_id (run), ==, ids[i]);
    }
  {
    g_autoptr(PrefectCtxTaskRun) draft = g_object_new (PREFECT_CTX_TYPE_TASK_RUN, "id", "ef000000-0000-4000-8000-000000000009",
                                                       "flow-run-id", ids[0], "task-key", "t", "dynamic-key", "0",
                                                       NULL);
    g_autoptr(PrefectCtxTaskRun) task_run = prefect_ctx_client_create_task_run (fixture->client, draft, NULL, &error);

    g_assert_no_error (error);
  }

  id = prefect_ctx_local_client_expand_flow_run_id (local, "cd", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, ids[2]);
  g_free (id);
  id = prefect_ctx_local_client_expand_flow_run_id (local, "ab000000-0000-4000-8000-000000000002", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, ids[1]);
  g_free (id);
  id = prefect_ctx_local_client_expand_task_run_id (local, "ef0", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "ef000000-0000-4000-8000-000000000009");
  g_free (id);

  g_assert_null (prefect_ctx_local_client_expand_flow_run_id (local, "ab", &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "The flow run ID prefix 'ab' is ambiguous: "
                                       "ab000000-0000-4000-8000-000000000001 and "
                                       "ab000000-0000-4000-8000-000000000002 (at least) start with it");
  g_clear_error (&error);
  /* A prefix is the start of an ID, not any part of it. */
  g_assert_null (prefect_ctx_local_client_expand_flow_run_id (local, "000000", &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "No flow run ID starts with '000000'");
  g_clear_error (&error);
  g_assert_null (prefect_ctx_local_client_expand_task_run_id (local, "cd", &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (prefect_ctx_local_client_expand_flow_run_id (local, "", &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (prefect_ctx_local_client_expand_flow_run_id (local, "\xff", &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
}

/* The names of @list's flows (or deployments: @deployments), joined by ' '. */
static char *
names_of (GListModel *list,
          gboolean    deployments)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (list, i);

      if (i > 0)
        g_string_append_c (names, ' ');
      g_string_append (names, deployments ? prefect_ctx_deployment_get_name (PREFECT_CTX_DEPLOYMENT (item))
                                          : prefect_ctx_flow_get_name (PREFECT_CTX_FLOW (item)));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* read_flows and read_deployments: newest first, paged by limit and
 * offset; a flow or deployment made again keeps its place. */
static void
test_flows_and_deployments (Fixture       *fixture,
                            gconstpointer  data)
{
  static const struct { guint limit, offset; const char *flows, *deployments; } pages[] = {
    { 0, 0, "c b a", "z y x" },
    { 2, 0, "c b", "z y" },
    { 2, 1, "b a", "y x" },
    { 1, 2, "a", "x" },
    { 0, 3, "", "" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *flow_a = NULL;
  g_autoptr(GListModel) none = NULL;

  none = prefect_ctx_client_read_flows (fixture->client, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (none), ==, 0);
  g_clear_object (&none);
  none = prefect_ctx_client_read_deployments (fixture->client, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (none), ==, 0);

  for (guint i = 0; i < 3; i++)
    {
      const char name[] = { (char) ('a' + i), '\0' };
      const char deployment_name[] = { (char) ('x' + i), '\0' };
      g_autoptr(PrefectCtxFlow) draft = prefect_ctx_flow_new (name);
      g_autoptr(PrefectCtxFlow) flow = prefect_ctx_client_create_flow (fixture->client, draft, NULL, &error);
      g_autoptr(PrefectCtxDeployment) deployment_draft = NULL;
      g_autoptr(PrefectCtxDeployment) deployment = NULL;

      g_assert_no_error (error);
      if (i == 0)
        flow_a = g_strdup (prefect_ctx_flow_get_id (flow));
      deployment_draft = g_object_new (PREFECT_CTX_TYPE_DEPLOYMENT, "name", deployment_name,
                                       "flow-id", prefect_ctx_flow_get_id (flow), NULL);
      deployment = prefect_ctx_client_create_deployment (fixture->client, deployment_draft, NULL, &error);
      g_assert_no_error (error);
      /* Created times are the store's clock: keep them apart. */
      g_usleep (2000);
    }

  /* Made again: the same flow, the same deployment updated in place. */
  {
    g_autoptr(PrefectCtxFlow) draft = prefect_ctx_flow_new ("a");
    g_autoptr(PrefectCtxFlow) again = prefect_ctx_client_create_flow (fixture->client, draft, NULL, &error);
    g_autoptr(PrefectCtxDeployment) deployment_draft = g_object_new (PREFECT_CTX_TYPE_DEPLOYMENT, "name", "x",
                                                                     "flow-id", flow_a, "version", "2", NULL);
    g_autoptr(PrefectCtxDeployment) updated = prefect_ctx_client_create_deployment (fixture->client,
                                                                                    deployment_draft, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (prefect_ctx_flow_get_id (again), ==, flow_a);
    g_assert_cmpstr (prefect_ctx_deployment_get_version (updated), ==, "2");
  }

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr(GListModel) flows = prefect_ctx_client_read_flows (fixture->client, pages[i].limit,
                                                                   pages[i].offset, NULL, &error);
      g_autoptr(GListModel) deployments = NULL;
      g_autofree char *flow_names = NULL;
      g_autofree char *deployment_names = NULL;

      g_assert_no_error (error);
      g_assert_true (g_list_model_get_item_type (flows) == PREFECT_CTX_TYPE_FLOW);
      flow_names = names_of (flows, FALSE);
      g_assert_cmpstr (flow_names, ==, pages[i].flows);

      deployments = prefect_ctx_client_read_deployments (fixture->client, pages[i].limit, pages[i].offset,
                                                         NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_list_model_get_item_type (deployments) == PREFECT_CTX_TYPE_DEPLOYMENT);
      deployment_names = names_of (deployments, TRUE);
      g_assert_cmpstr (deployment_names, ==, pages[i].deployments);

      /* Each has its creation time, newest first. */
      for (guint j = 0; j < g_list_model_get_n_items (flows); j++)
        {
          g_autoptr(PrefectCtxFlow) flow = g_list_model_get_item (flows, j);
          g_autoptr(PrefectCtxDeployment) deployment = g_list_model_get_item (deployments, j);

          g_assert_nonnull (prefect_ctx_flow_get_created (flow));
          g_assert_nonnull (prefect_ctx_deployment_get_created (deployment));
          if (j > 0)
            {
              g_autoptr(PrefectCtxFlow) newer = g_list_model_get_item (flows, j - 1);

              g_assert_cmpint (g_date_time_compare (prefect_ctx_flow_get_created (newer),
                                                    prefect_ctx_flow_get_created (flow)), >, 0);
            }
        }
    }
}

/* delete_flow_run: the run and its task runs go; a subflow run of one of
 * them stays, with no parent task run; logs stay; NOT_FOUND after. */
static void
test_delete_flow_run (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxState) running = state_at (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL, 0);
  g_autoptr(PrefectCtxFlowRun) run = create_flow_run (fixture->client, "doomed", running);
  g_autoptr(PrefectCtxFlowRun) other = create_flow_run (fixture->client, "kept", running);
  const char *id = prefect_ctx_flow_run_get_id (run);
  g_autoptr(PrefectCtxTaskRun) task = create_task_run (fixture->client, id, "t", "0", running);
  g_autoptr(PrefectCtxTaskRun) parent = create_task_run (fixture->client, id, "t", "1", running);
  g_autoptr(PrefectCtxTaskRun) other_task = create_task_run (fixture->client, prefect_ctx_flow_run_get_id (other),
                                                             "t", "0", running);
  g_autofree char *flow_id = runs_flow_id (fixture->client);
  g_autoptr(PrefectCtxFlowRun) sub_draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "name", "child",
                                                         "flow-id", flow_id,
                                                         "parent-task-run-id", prefect_ctx_task_run_get_id (parent),
                                                         NULL);
  g_autoptr(PrefectCtxFlowRun) sub = prefect_ctx_client_create_flow_run (fixture->client, sub_draft, NULL, &error);
  g_autoptr(GPtrArray) logs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PrefectCtxFlowRun) gone = NULL;
  g_autoptr(PrefectCtxTaskRun) gone_task = NULL;
  g_autoptr(PrefectCtxFlowRun) orphan = NULL;
  g_autoptr(PrefectCtxTaskRun) kept_task = NULL;
  g_autoptr(GListModel) task_runs = NULL;
  g_autoptr(GListModel) kept_logs = NULL;

  g_assert_no_error (error);
  g_ptr_array_add (logs, log_at (id, NULL, "last words", 0));
  g_assert_true (prefect_ctx_client_create_logs (fixture->client, logs, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (prefect_ctx_client_delete_flow_run (fixture->client, id, NULL, &error));
  g_assert_no_error (error);

  gone = prefect_ctx_client_read_flow_run (fixture->client, id, NULL, &error);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_null (gone);
  g_clear_error (&error);
  gone_task = prefect_ctx_client_read_task_run (fixture->client, prefect_ctx_task_run_get_id (task), NULL, &error);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_null (gone_task);
  g_clear_error (&error);
  task_runs = prefect_ctx_client_read_task_runs (fixture->client, id, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (task_runs), ==, 0);
  g_clear_object (&task_runs);
  task_runs = prefect_ctx_client_read_latest_task_runs (fixture->client, NULL, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (task_runs), ==, 1);

  /* The other run, its task run and the subflow run are still there. */
  kept_task = prefect_ctx_client_read_task_run (fixture->client, prefect_ctx_task_run_get_id (other_task),
                                                NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kept_task);
  orphan = prefect_ctx_client_read_flow_run (fixture->client, prefect_ctx_flow_run_get_id (sub), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_flow_run_get_name (orphan), ==, "child");
  g_assert_null (prefect_ctx_flow_run_get_parent_task_run_id (orphan));
  kept_logs = prefect_ctx_client_read_logs (fixture->client, id, NULL, NULL, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (kept_logs), ==, 1);

  /* Its states can no longer be set (over HTTP, a request: the server's
   * own 404 for it has no "detail"). */
  {
    g_autoptr(PrefectCtxState) stored = prefect_ctx_client_set_flow_run_state (fixture->client, id, running, TRUE,
                                                                               NULL, &error);

    g_assert_null (stored);
    g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
    g_assert_cmpstr (error->message, ==, "Flow run not found");
    g_clear_error (&error);
  }

  /* Once only; an unknown ID, or one that is no UUID, is not found. */
  g_assert_false (prefect_ctx_client_delete_flow_run (fixture->client, id, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Flow run not found");
  g_clear_error (&error);
  g_assert_false (prefect_ctx_client_delete_flow_run (fixture->client, "nope", NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Flow run not found");
}

static void
test_deployment (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) parameters = g_variant_ref_sink (g_variant_new_parsed ("{'n': <int64 3>}"));
  const char *tags[] = { "prod", NULL };
  g_autoptr(PrefectCtxDeployment) draft = g_object_new (PREFECT_CTX_TYPE_DEPLOYMENT,
                                                        "name", "nightly",
                                                        "version", "1",
                                                        "flow-id", "flow-1",
                                                        "parameters", parameters,
                                                        "tags", tags,
                                                        NULL);
  g_autoptr(PrefectCtxDeployment) created = NULL;
  g_autoptr(PrefectCtxDeployment) read = NULL;
  g_autoptr(PrefectCtxDeployment) updated = NULL;
  g_autoptr(PrefectCtxDeployment) missing = NULL;
  g_autoptr(PrefectCtxDeployment) v2 = g_object_new (PREFECT_CTX_TYPE_DEPLOYMENT,
                                                     "name", "nightly",
                                                     "version", "2",
                                                     "flow-id", "flow-1",
                                                     NULL);
  g_autoptr(GVariant) n = NULL;

  created = prefect_ctx_client_create_deployment (fixture->client, draft, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (prefect_ctx_deployment_get_id (created)));

  read = prefect_ctx_client_read_deployment (fixture->client, prefect_ctx_deployment_get_id (created),
                                             NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_deployment_get_name (read), ==, "nightly");
  g_assert_cmpstr (prefect_ctx_deployment_get_version (read), ==, "1");
  g_assert_cmpstr (prefect_ctx_deployment_get_flow_id (read), ==, "flow-1");
  g_assert_cmpstrv (prefect_ctx_deployment_get_tags (read), tags);
  n = g_variant_lookup_value (prefect_ctx_deployment_get_parameters (read), "n", G_VARIANT_TYPE_INT64);
  g_assert_nonnull (n);
  g_assert_cmpint (g_variant_get_int64 (n), ==, 3);

  /* Same flow and name: updated in place, as the server upserts. */
  updated = prefect_ctx_client_create_deployment (fixture->client, v2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_deployment_get_id (updated), ==, prefect_ctx_deployment_get_id (created));
  g_assert_cmpstr (prefect_ctx_deployment_get_version (updated), ==, "2");
  g_assert_cmpuint (g_variant_n_children (prefect_ctx_deployment_get_parameters (updated)), ==, 0);

  missing = prefect_ctx_client_read_deployment (fixture->client, "nope", NULL, &error);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Deployment not found");
  g_assert_null (missing);
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PrefectCtxFlowRun) draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, NULL);
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  g_autoptr(GListModel) runs = NULL;

  g_cancellable_cancel (cancellable);
  run = prefect_ctx_client_create_flow_run (fixture->client, draft, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (run);
  g_clear_error (&error);

  runs = prefect_ctx_client_read_flow_runs (fixture->client, PREFECT_CTX_CLIENT_ANY_STATE, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 0);
}

/* ------------------------------------------------------------------------ */
/* Threads */

#define N_THREADS 4
#define RUNS_PER_THREAD 500

typedef struct {
  PrefectCtxClient *client;
  const char       *flow_run_id;
  guint             index;
} Worker;

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;

  for (guint i = 0; i < RUNS_PER_THREAD; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *key = g_strdup_printf ("%u-%u", worker->index, i);
      g_autoptr(PrefectCtxState) pending = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_PENDING, NULL, NULL);
      g_autoptr(PrefectCtxState) running = NULL;
      g_autoptr(PrefectCtxState) completed = NULL;
      g_autoptr(PrefectCtxState) s1 = NULL;
      g_autoptr(PrefectCtxState) s2 = NULL;
      g_autoptr(PrefectCtxTaskRun) run = create_task_run (worker->client, worker->flow_run_id, "work", key, pending);
      g_autoptr(GPtrArray) logs = g_ptr_array_new_with_free_func (g_object_unref);
      const char *id = prefect_ctx_task_run_get_id (run);

      running = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL);
      s1 = prefect_ctx_client_set_task_run_state (worker->client, id, running, FALSE, NULL, &error);
      g_assert_no_error (error);
      g_ptr_array_add (logs, g_object_new (PREFECT_CTX_TYPE_LOG_ENTRY,
                                           "message", key,
                                           "flow-run-id", worker->flow_run_id,
                                           "task-run-id", id,
                                           NULL));
      g_assert_true (prefect_ctx_client_create_logs (worker->client, logs, NULL, &error));
      g_assert_no_error (error);
      completed = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_COMPLETED, NULL, NULL);
      s2 = prefect_ctx_client_set_task_run_state (worker->client, id, completed, FALSE, NULL, &error);
      g_assert_no_error (error);
    }

  return NULL;
}

static void
test_threads (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlowRun) flow_run = create_flow_run (fixture->client, "threads", NULL);
  Worker workers[N_THREADS];
  GThread *threads[N_THREADS];
  g_autoptr(GListModel) runs = NULL;
  g_autoptr(GListModel) logs = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint t = 0; t < N_THREADS; t++)
    {
      workers[t] = (Worker) { fixture->client, prefect_ctx_flow_run_get_id (flow_run), t };
      threads[t] = g_thread_new ("writer", worker_thread, &workers[t]);
    }
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);

  g_assert_cmpuint (prefect_ctx_client_count_task_runs (fixture->client, prefect_ctx_flow_run_get_id (flow_run),
                                                        TRUE, NULL, &error), ==, N_THREADS * RUNS_PER_THREAD);
  g_assert_no_error (error);

  runs = prefect_ctx_client_read_task_runs (fixture->client, prefect_ctx_flow_run_get_id (flow_run),
                                            0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, N_THREADS * RUNS_PER_THREAD);
  for (guint i = 0; i < g_list_model_get_n_items (runs); i++)
    {
      g_autoptr(PrefectCtxTaskRun) run = g_list_model_get_item (runs, i);

      g_assert_cmpint (prefect_ctx_task_run_get_run_count (run), ==, 1);
      g_assert_nonnull (prefect_ctx_task_run_get_end_time (run));
      g_assert_true (g_hash_table_add (keys, (gpointer) prefect_ctx_task_run_get_dynamic_key (run)));
      if (i % 97 == 0)
        {
          g_autoptr(GListModel) states = prefect_ctx_client_read_task_run_states (fixture->client,
                                                                                  prefect_ctx_task_run_get_id (run),
                                                                                  NULL, &error);

          g_assert_no_error (error);
          assert_states (states, (const char *[]) { "Pending", "Running", "Completed", NULL });
        }
    }

  logs = prefect_ctx_client_read_logs (fixture->client, prefect_ctx_flow_run_get_id (flow_run),
                                       NULL, NULL, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (logs), ==, N_THREADS * RUNS_PER_THREAD);
}

/* ------------------------------------------------------------------------ */
/* Asynchronous variants */

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
} AsyncWait;

static void
async_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

/* Runs the main loop until the callback has run; returns its result. */
static GAsyncResult *
async_wait (AsyncWait *wait)
{
  GAsyncResult *result;

  g_main_loop_run (wait->loop);
  result = g_steal_pointer (&wait->result);
  g_assert_nonnull (result);
  return result;
}

/* Messages of @logs, joined with ",". */
static char *
messages_of (GListModel *logs)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (logs); i++)
    {
      g_autoptr(PrefectCtxLogEntry) entry = g_list_model_get_item (logs, i);

      g_string_append_printf (joined, "%s%s", i > 0 ? "," : "", prefect_ctx_log_entry_get_message (entry));
    }
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static void
append_logs (PrefectCtxClient *client,
             ...)
{
  g_autoptr(GPtrArray) logs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  va_list args;
  const char *run;

  va_start (args, client);
  while ((run = va_arg (args, const char *)) != NULL)
    {
      const char *message = va_arg (args, const char *);
      int seconds = va_arg (args, int);

      g_ptr_array_add (logs, log_at (run, NULL, message, seconds));
    }
  va_end (args);

  g_assert_true (prefect_ctx_client_create_logs (client, logs, NULL, &error));
  g_assert_no_error (error);
}

/* read_logs_since: each entry once, in the order stored, however late its
 * timestamp; only the run asked for; the cursor left alone on failure. */
static void
test_logs_since (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) first = NULL;
  g_autoptr(GListModel) none = NULL;
  g_autoptr(GListModel) late = NULL;
  g_autoptr(GListModel) other = NULL;
  g_autofree char *first_messages = NULL;
  g_autofree char *late_messages = NULL;
  guint64 cursor = 0;
  guint64 other_cursor = 0;
  guint64 kept;

  append_logs (fixture->client, "run-a", "a1", 5, "run-b", "b1", 6, "run-a", "a2", 7, NULL);

  first = prefect_ctx_client_read_logs_since (fixture->client, "run-a", &cursor, NULL, &error);
  g_assert_no_error (error);
  first_messages = messages_of (first);
  g_assert_cmpstr (first_messages, ==, "a1,a2");
  g_assert_cmpuint (cursor, >, 0);

  kept = cursor;
  none = prefect_ctx_client_read_logs_since (fixture->client, "run-a", &cursor, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (none), ==, 0);
  g_assert_cmpuint (cursor, ==, kept);

  /* Stored later with an older timestamp (a batch from another process):
   * read by position, it still comes, once. */
  append_logs (fixture->client, "run-a", "a0, late", 1, "run-b", "b2", 8, "run-a", "a3", 9, NULL);
  late = prefect_ctx_client_read_logs_since (fixture->client, "run-a", &cursor, NULL, &error);
  g_assert_no_error (error);
  late_messages = messages_of (late);
  g_assert_cmpstr (late_messages, ==, "a0, late,a3");

  other = prefect_ctx_client_read_logs_since (fixture->client, "run-b", &other_cursor, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (other), ==, 2);

  /* A cancelled read fails and leaves the cursor as it was. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    kept = cursor;
    g_cancellable_cancel (cancellable);
    g_assert_null (prefect_ctx_client_read_logs_since (fixture->client, "run-a", &cursor, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_assert_cmpuint (cursor, ==, kept);
  }

  /* The async pair gives the same entries and the next position. */
  {
    g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
    AsyncWait wait = { loop, NULL };
    g_autoptr(GListModel) again = NULL;
    g_autofree char *again_messages = NULL;
    guint64 next = 0;

    prefect_ctx_client_read_logs_since_async (fixture->client, "run-a", 0, NULL, async_done, &wait);
    g_autoptr(GAsyncResult) result = async_wait (&wait);

    again = prefect_ctx_client_read_logs_since_finish (fixture->client, result, &next, &error);
    g_assert_no_error (error);
    again_messages = messages_of (again);
    g_assert_cmpstr (again_messages, ==, "a1,a2,a0, late,a3");
    g_assert_cmpuint (next, ==, cursor);
  }
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncWait wait = { loop, NULL };
  PrefectCtxClient *client = fixture->client;
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlow) flow_draft = prefect_ctx_flow_new ("async-flow");
  g_autoptr(PrefectCtxFlow) flow = NULL;
  g_autoptr(PrefectCtxFlow) flow_read = NULL;
  g_autoptr(PrefectCtxFlowRun) run_draft = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  g_autoptr(PrefectCtxFlowRun) run_read = NULL;
  g_autoptr(PrefectCtxFlowRun) missing = NULL;
  g_autoptr(GListModel) runs = NULL;
  g_autoptr(PrefectCtxState) running = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL);
  g_autoptr(PrefectCtxState) stored = NULL;
  g_autoptr(GListModel) states = NULL;
  g_autoptr(PrefectCtxTaskRun) task_draft = NULL;
  g_autoptr(PrefectCtxTaskRun) task_run = NULL;
  g_autoptr(PrefectCtxTaskRun) task_read = NULL;
  g_autoptr(PrefectCtxState) task_stored = NULL;
  g_autoptr(GListModel) task_states = NULL;
  g_autoptr(GListModel) task_runs = NULL;
  g_autoptr(GPtrArray) logs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListModel) logs_read = NULL;
  g_autoptr(PrefectCtxDeployment) deployment_draft = NULL;
  g_autoptr(PrefectCtxDeployment) deployment = NULL;
  g_autoptr(PrefectCtxDeployment) deployment_read = NULL;
  g_autoptr(GDateTime) t0 = time_at (0);
  GAsyncResult *result;
  guint count;

  prefect_ctx_client_create_flow_async (client, flow_draft, NULL, async_done, &wait);
  result = async_wait (&wait);
  flow = prefect_ctx_client_create_flow_finish (client, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_flow_get_name (flow), ==, "async-flow");

  prefect_ctx_client_read_flow_async (client, prefect_ctx_flow_get_id (flow), NULL, async_done, &wait);
  result = async_wait (&wait);
  flow_read = prefect_ctx_client_read_flow_finish (client, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_flow_get_id (flow_read), ==, prefect_ctx_flow_get_id (flow));

  run_draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "name", "async-run",
                            "flow-id", prefect_ctx_flow_get_id (flow), NULL);
  prefect_ctx_client_create_flow_run_async (client, run_draft, NULL, async_done, &wait);
  result = async_wait (&wait);
  run = prefect_ctx_client_create_flow_run_finish (client, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);

  prefect_ctx_client_read_flow_run_async (client, prefect_ctx_flow_run_get_id (run), NULL, async_done, &wait);
  result = async_wait (&wait);
  run_read = prefect_ctx_client_read_flow_run_finish (client, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_flow_run_get_name (run_read), ==, "async-run");

  /* Errors come back through _finish. */
  prefect_ctx_client_read_flow_run_async (client, "nope", NULL, async_done, &wait);
  result = async_wait (&wait);
  missing = prefect_ctx_client_read_flow_run_finish (client, result, &error);
  g_object_unref (result);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Flow run not found");
  g_assert_null (missing);
  g_clear_error (&error);

  prefect_ctx_client_set_flow_run_state_async (client, prefect_ctx_flow_run_get_id (run), running, FALSE,
                                               NULL, async_done, &wait);
  result = async_wait (&wait);
  stored = prefect_ctx_client_set_flow_run_state_finish (client, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_cmpint (prefect_ctx_state_get_state_type (stored), ==, PREFECT_CTX_STATE_TYPE_RUNNING);

  prefect_ctx_client_read_flow_run_states_async (client, prefect_ctx_flow_run_get_id (run), NULL,
                                                 async_done, &wait);
  result = async_wait (&wait);
  states = prefect_ctx_client_read_flow_run_states_finish (client, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  /* On a server, after the Pending of a run created without a state. */
  g_assert_cmpuint (g_list_model_get_n_items (states), ==, is_http (fixture) ? 2 : 1);

  prefect_ctx_client_read_flow_runs_async (client, PREFECT_CTX_STATE_TYPE_RUNNING, 0, 0, NULL, async_done, &wait);
  result = async_wait (&wait);
  runs = prefect_ctx_client_read_flow_runs_finish (client, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 1);

  task_draft = g_object_new (PREFECT_CTX_TYPE_TASK_RUN, "flow-run-id", prefect_ctx_flow_run_get_id (run),
                             "task-key", "k", "dynamic-key", "0", "name", "k-0", NULL);
  prefect_ctx_client_create_task_run_async (client, task_draft, NULL, async_done, &wait);
  result = async_wait (&wait);
  task_run = prefect_ctx_client_create_task_run_finish (client, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);

  prefect_ctx_client_read_task_run_async (client, prefect_ctx_task_run_get_id (task_run), NULL, async_done, &wait);
  result = async_wait (&wait);
  task_read = prefect_ctx_client_read_task_run_finish (client, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_task_run_get_name (task_read), ==, "k-0");

  prefect_ctx_client_set_task_run_state_async (client, prefect_ctx_task_run_get_id (task_run), running, FALSE,
                                               NULL, async_done, &wait);
  result = async_wait (&wait);
  task_stored = prefect_ctx_client_set_task_run_state_finish (client, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);

  prefect_ctx_client_read_task_run_states_async (client, prefect_ctx_task_run_get_id (task_run), NULL,
                                                 async_done, &wait);
  result = async_wait (&wait);
  task_states = prefect_ctx_client_read_task_run_states_finish (client, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  /* On a server, after the Pending of a run created without a state; the
   * Running queued by the client is read back, as reads wait for it. */
  g_assert_cmpuint (g_list_model_get_n_items (task_states), ==, is_http (fixture) ? 2 : 1);

  prefect_ctx_client_flush_async (client, NULL, async_done, &wait);
  result = async_wait (&wait);
  g_assert_true (prefect_ctx_client_flush_finish (client, result, &error));
  g_object_unref (result);
  g_assert_no_error (error);

  prefect_ctx_client_read_task_runs_async (client, prefect_ctx_flow_run_get_id (run), 0, 0, NULL,
                                           async_done, &wait);
  result = async_wait (&wait);
  task_runs = prefect_ctx_client_read_task_runs_finish (client, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (task_runs), ==, 1);
  g_clear_object (&task_runs);

  prefect_ctx_client_read_latest_task_runs_async (client, NULL, 5, 0, NULL, async_done, &wait);
  result = async_wait (&wait);
  task_runs = prefect_ctx_client_read_latest_task_runs_finish (client, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (task_runs), ==, 1);

  prefect_ctx_client_count_task_runs_async (client, prefect_ctx_flow_run_get_id (run), FALSE, NULL,
                                            async_done, &wait);
  result = async_wait (&wait);
  count = prefect_ctx_client_count_task_runs_finish (client, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);

  g_ptr_array_add (logs, log_at (prefect_ctx_flow_run_get_id (run), NULL, "one", 0));
  g_ptr_array_add (logs, log_at (prefect_ctx_flow_run_get_id (run), NULL, "two", 1));
  prefect_ctx_client_create_logs_async (client, logs, NULL, async_done, &wait);
  result = async_wait (&wait);
  g_assert_true (prefect_ctx_client_create_logs_finish (client, result, &error));
  g_object_unref (result);
  g_assert_no_error (error);

  prefect_ctx_client_read_logs_async (client, prefect_ctx_flow_run_get_id (run), t0, NULL, 0, 0, NULL,
                                      async_done, &wait);
  result = async_wait (&wait);
  logs_read = prefect_ctx_client_read_logs_finish (client, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (logs_read), ==, 1);

  deployment_draft = g_object_new (PREFECT_CTX_TYPE_DEPLOYMENT, "name", "d", NULL);
  prefect_ctx_client_create_deployment_async (client, deployment_draft, NULL, async_done, &wait);
  result = async_wait (&wait);
  deployment = prefect_ctx_client_create_deployment_finish (client, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);

  prefect_ctx_client_read_deployment_async (client, prefect_ctx_deployment_get_id (deployment), NULL,
                                            async_done, &wait);
  result = async_wait (&wait);
  deployment_read = prefect_ctx_client_read_deployment_finish (client, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_deployment_get_name (deployment_read), ==, "d");

  {
    g_autoptr(GListModel) flows = NULL;
    g_autoptr(GListModel) deployments = NULL;

    prefect_ctx_client_read_flows_async (client, 0, 0, NULL, async_done, &wait);
    result = async_wait (&wait);
    flows = prefect_ctx_client_read_flows_finish (client, result, &error);
    g_object_unref (result);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (flows), >=, 1);

    prefect_ctx_client_read_deployments_async (client, 1, 0, NULL, async_done, &wait);
    result = async_wait (&wait);
    deployments = prefect_ctx_client_read_deployments_finish (client, result, &error);
    g_object_unref (result);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (deployments), ==, 1);

    prefect_ctx_client_delete_flow_run_async (client, prefect_ctx_flow_run_get_id (run), NULL, async_done, &wait);
    result = async_wait (&wait);
    g_assert_true (prefect_ctx_client_delete_flow_run_finish (client, result, &error));
    g_object_unref (result);
    g_assert_no_error (error);

    prefect_ctx_client_delete_flow_run_async (client, prefect_ctx_flow_run_get_id (run), NULL, async_done, &wait);
    result = async_wait (&wait);
    g_assert_false (prefect_ctx_client_delete_flow_run_finish (client, result, &error));
    g_object_unref (result);
    g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* A cancelled call reports G_IO_ERROR_CANCELLED. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(PrefectCtxFlow) cancelled = NULL;

    g_cancellable_cancel (cancellable);
    prefect_ctx_client_read_flow_async (client, prefect_ctx_flow_get_id (flow), cancellable, async_done, &wait);
    result = async_wait (&wait);
    cancelled = prefect_ctx_client_read_flow_finish (client, result, &error);
    g_object_unref (result);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (cancelled);
  }
}

/* ------------------------------------------------------------------------ */

/* Adds @func over each store: in memory, in a file, and the fake Prefect
 * server through PrefectCtxHttpClient (unless @local_only). Where the REST
 * API differs from the local store (the server makes IDs and state times,
 * has no flow version or map index), the tests say so with is_http (). */
static void
add_test_for (const char *name,
              void      (*func) (Fixture *, gconstpointer),
              gboolean    local_only)
{
  const char *kinds[] = { "memory", "file", "http" };

  for (guint i = 0; i < G_N_ELEMENTS (kinds) - (local_only ? 1 : 0); i++)
    {
      g_autofree char *path = g_strdup_printf ("/client/%s/%s", kinds[i], name);

      g_test_add (path, Fixture, kinds[i], fixture_set_up, func, fixture_tear_down);
    }
}

static void
add_test (const char *name,
          void      (*func) (Fixture *, gconstpointer))
{
  add_test_for (name, func, FALSE);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  home = g_dir_make_tmp ("test-client-home-XXXXXX", NULL);
  g_assert_nonnull (home);
  g_setenv ("PREFECT_HOME", home, TRUE);
  g_unsetenv ("PREFECT_API_URL");
  g_unsetenv ("PREFECT_PROFILES_PATH");

  add_test ("flow", test_flow);
  add_test ("flow-run", test_flow_run);
  add_test ("flow-run-states", test_flow_run_states);
  add_test ("flow-runs", test_flow_runs);
  add_test ("task-run", test_task_run);
  add_test ("task-runs", test_task_runs);
  add_test ("logs", test_logs);
  /* The REST API has no positions: test-http-client checks the error. */
  add_test_for ("logs-since", test_logs_since, TRUE);
  add_test ("deployment", test_deployment);
  add_test ("flows-and-deployments", test_flows_and_deployments);
  add_test ("delete-flow-run", test_delete_flow_run);
  /* The fake server has no orchestration rules: the real one's were
   * checked by hand against a Prefect 2.10.21 server. */
  add_test_for ("cancel-rules", test_cancel_rules, TRUE);
  /* The REST API has no lookup by prefix. */
  add_test_for ("expand-ids", test_expand_ids, TRUE);
  add_test ("cancelled", test_cancelled);
  add_test ("threads", test_threads);
  add_test ("async", test_async);

  status = g_test_run ();
  remove_tree (home);
  return status;
}
