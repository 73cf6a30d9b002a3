/* test-http-client.c: PrefectCtxHttpClient against an in-process fake
 * Prefect server (fake-prefect.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "PrefectCtx-test"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <prefectctx.h>

#include "fake-prefect.h"

/* ---------------------------------------------------------------------------
 * Helpers
 */

static PrefectCtxClient *
client_for (FakeServer *fake,
            const char *key,
            guint       max_retries)
{
  g_autoptr(GError) error = NULL;
  PrefectCtxHttpClient *client = g_initable_new (PREFECT_CTX_TYPE_HTTP_CLIENT, NULL, &error,
                                                 "api-url", fake->api_url,
                                                 "api-key", key,
                                                 "max-retries", max_retries,
                                                 "retry-base-delay", 0.001,
                                                 "retry-jitter-factor", 0.0,
                                                 NULL);

  g_assert_no_error (error);
  return PREFECT_CTX_CLIENT (client);
}

static PrefectCtxState *
state_of (PrefectCtxStateType type,
          const char         *message)
{
  return g_object_new (PREFECT_CTX_TYPE_STATE, "state-type", type, "message", message, NULL);
}

static PrefectCtxFlowRun *
new_flow_run (PrefectCtxClient *client,
              const char       *flow_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlow) draft = prefect_ctx_flow_new (flow_name);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_client_create_flow (client, draft, NULL, &error);
  g_autoptr(PrefectCtxState) pending = state_of (PREFECT_CTX_STATE_TYPE_PENDING, NULL);
  g_autoptr(PrefectCtxFlowRun) run_draft = NULL;
  PrefectCtxFlowRun *run;

  g_assert_no_error (error);
  run_draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "flow-id", prefect_ctx_flow_get_id (flow),
                            "name", "a-run", "state", pending, NULL);
  run = prefect_ctx_client_create_flow_run (client, run_draft, NULL, &error);
  g_assert_no_error (error);
  return run;
}

/* ---------------------------------------------------------------------------
 * Tests
 */

static void
test_construct (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxHttpClient) client = NULL;
  g_autoptr(PrefectCtxHttpClient) bad = NULL;
  g_autoptr(PrefectCtxSettings) settings = NULL;
  g_autoptr(PrefectCtxHttpClient) from_settings = NULL;
  const char *env[] = { "PREFECT_API_URL=https://example.com/api/", "PREFECT_API_KEY=s3cr3t",
                        "PREFECT_CLIENT_MAX_RETRIES=3", "PREFECT_CLIENT_RETRY_JITTER_FACTOR=0.5", NULL };
  const char *no_url[] = { NULL };

  client = prefect_ctx_http_client_new ("http://127.0.0.1:4200/api/", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_http_client_get_api_url (client), ==, "http://127.0.0.1:4200/api");
  g_assert_false (prefect_ctx_http_client_has_api_key (client));
  g_assert_cmpuint (prefect_ctx_http_client_get_max_retries (client), ==, 5);
  g_assert_cmpfloat (prefect_ctx_http_client_get_retry_jitter_factor (client), ==, 0.2);
  g_assert_cmpfloat (prefect_ctx_http_client_get_retry_base_delay (client), ==, 1.0);
  g_assert_true (PREFECT_CTX_IS_CLIENT (client));

  /* The key is write-only. */
  g_assert_false (g_object_class_find_property (G_OBJECT_GET_CLASS (client), "api-key")->flags & G_PARAM_READABLE);

  for (guint i = 0; i < 4; i++)
    {
      const char *urls[] = { "not a url", "ftp://example.com/api", "", "http:///api" };

      bad = prefect_ctx_http_client_new (urls[i], NULL, &error);
      g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
      g_assert_null (bad);
      g_clear_error (&error);
    }

  settings = prefect_ctx_settings_new_from_environ (env, &error);
  g_assert_no_error (error);
  from_settings = prefect_ctx_http_client_new_from_settings (settings, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_http_client_get_api_url (from_settings), ==, "https://example.com/api");
  g_assert_true (prefect_ctx_http_client_has_api_key (from_settings));
  g_assert_cmpuint (prefect_ctx_http_client_get_max_retries (from_settings), ==, 3);
  g_assert_cmpfloat (prefect_ctx_http_client_get_retry_jitter_factor (from_settings), ==, 0.5);
  g_clear_object (&settings);

  settings = prefect_ctx_settings_new_from_environ (no_url, &error);
  g_assert_no_error (error);
  g_assert_null (prefect_ctx_http_client_new_from_settings (settings, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "PREFECT_API_URL is not set");
}

static void
test_round_trip (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(PrefectCtxClient) client = client_for (fake, NULL, 0);
  g_autoptr(GError) error = NULL;
  const char *tags[] = { "b", "a", NULL };
  g_autoptr(PrefectCtxFlow) draft = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "etl", "tags", tags,
                                                  "id", "ignored-id", NULL);
  g_autoptr(PrefectCtxFlow) flow = NULL;
  g_autoptr(PrefectCtxFlow) again = NULL;
  g_autoptr(PrefectCtxFlow) read_flow = NULL;
  g_autoptr(GVariantDict) params = g_variant_dict_new (NULL);
  g_autoptr(PrefectCtxState) pending = state_of (PREFECT_CTX_STATE_TYPE_PENDING, NULL);
  g_autoptr(PrefectCtxState) running = state_of (PREFECT_CTX_STATE_TYPE_RUNNING, "go");
  g_autoptr(PrefectCtxState) completed = state_of (PREFECT_CTX_STATE_TYPE_COMPLETED, NULL);
  g_autoptr(PrefectCtxFlowRun) run_draft = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  g_autoptr(PrefectCtxFlowRun) read_run = NULL;
  g_autoptr(PrefectCtxState) stored = NULL;
  g_autoptr(GListModel) runs = NULL;
  g_autoptr(GListModel) states = NULL;
  g_autoptr(PrefectCtxTaskRun) task_draft = NULL;
  g_autoptr(PrefectCtxTaskRun) task_run = NULL;
  g_autoptr(PrefectCtxTaskRun) same_task_run = NULL;
  g_autoptr(PrefectCtxTaskRun) read_task = NULL;
  g_autoptr(PrefectCtxTaskRun) two = NULL;
  g_autoptr(GListModel) task_runs = NULL;
  g_autoptr(GPtrArray) logs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListModel) read_logs = NULL;
  g_autoptr(GDateTime) t0 = g_date_time_new_utc (2026, 1, 2, 3, 4, 5.0);
  g_autoptr(GDateTime) t1 = g_date_time_add_seconds (t0, 1);
  g_autoptr(GDateTime) t2 = g_date_time_add_seconds (t0, 2);
  g_autoptr(PrefectCtxDeployment) deployment_draft = NULL;
  g_autoptr(PrefectCtxDeployment) deployment = NULL;
  g_autoptr(PrefectCtxDeployment) read_deployment = NULL;
  g_autoptr(PrefectCtxTaskRun) lost_draft = NULL;
  g_autoptr(PrefectCtxTaskRun) lost = NULL;
  g_autoptr(GListModel) lost_states = NULL;

  /* health */
  g_assert_true (prefect_ctx_http_client_check_health (PREFECT_CTX_HTTP_CLIENT (client), NULL, &error));
  g_assert_no_error (error);

  /* flows: 201, then 200 with the existing one */
  flow = prefect_ctx_client_create_flow (client, draft, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (prefect_ctx_flow_get_id (flow)));
  g_assert_cmpstr (prefect_ctx_flow_get_name (flow), ==, "etl");
  g_assert_cmpstr (prefect_ctx_flow_get_tags (flow)[0], ==, "a");
  again = prefect_ctx_client_create_flow (client, draft, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_flow_get_id (again), ==, prefect_ctx_flow_get_id (flow));
  read_flow = prefect_ctx_client_read_flow (client, prefect_ctx_flow_get_id (flow), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_flow_get_name (read_flow), ==, "etl");
  g_assert_cmpuint (fake_requests (fake, "POST /flows/"), ==, 2);

  /* flow runs */
  g_variant_dict_insert (params, "n", "x", (gint64) 3);
  run_draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "flow-id", prefect_ctx_flow_get_id (flow),
                            "name", "brave-otter", "parameters", g_variant_dict_end (params),
                            "tags", tags, "state", pending, NULL);
  run = prefect_ctx_client_create_flow_run (client, run_draft, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_flow_run_get_name (run), ==, "brave-otter");
  g_assert_cmpstr (prefect_ctx_flow_run_get_flow_id (run), ==, prefect_ctx_flow_get_id (flow));
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_flow_run_get_state (run)), ==,
                   PREFECT_CTX_STATE_TYPE_PENDING);
  g_assert_nonnull (prefect_ctx_flow_run_get_expected_start_time (run));

  stored = prefect_ctx_client_set_flow_run_state (client, prefect_ctx_flow_run_get_id (run), running,
                                                  FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (prefect_ctx_state_get_state_type (stored), ==, PREFECT_CTX_STATE_TYPE_RUNNING);
  g_assert_cmpstr (prefect_ctx_state_get_message (stored), ==, "go");
  g_assert_nonnull (prefect_ctx_state_get_timestamp (stored));
  g_clear_object (&stored);

  read_run = prefect_ctx_client_read_flow_run (client, prefect_ctx_flow_run_get_id (run), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_flow_run_get_state (read_run)), ==,
                   PREFECT_CTX_STATE_TYPE_RUNNING);
  g_assert_cmpint (prefect_ctx_flow_run_get_run_count (read_run), ==, 1);
  g_assert_cmpint (g_variant_n_children (prefect_ctx_flow_run_get_parameters (read_run)), ==, 1);

  runs = prefect_ctx_client_read_flow_runs (client, PREFECT_CTX_CLIENT_ANY_STATE, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 1);
  g_clear_object (&runs);
  runs = prefect_ctx_client_read_flow_runs (client, PREFECT_CTX_STATE_TYPE_COMPLETED, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 0);
  g_clear_object (&runs);
  runs = prefect_ctx_client_read_flow_runs (client, PREFECT_CTX_STATE_TYPE_RUNNING, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 1);
  g_assert_null (prefect_ctx_client_read_flow_runs (client, 99, 0, 0, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* task runs */
  task_draft = g_object_new (PREFECT_CTX_TYPE_TASK_RUN, "flow-run-id", prefect_ctx_flow_run_get_id (run),
                             "task-key", "mod.add", "dynamic-key", "0", "name", "add-0",
                             "state", pending, NULL);
  task_run = prefect_ctx_client_create_task_run (client, task_draft, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_task_run_get_task_key (task_run), ==, "mod.add");
  g_assert_cmpstr (prefect_ctx_task_run_get_flow_run_id (task_run), ==, prefect_ctx_flow_run_get_id (run));
  same_task_run = prefect_ctx_client_create_task_run (client, task_draft, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_task_run_get_id (same_task_run), ==, prefect_ctx_task_run_get_id (task_run));

  stored = prefect_ctx_client_set_task_run_state (client, prefect_ctx_task_run_get_id (task_run), completed,
                                                  FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (prefect_ctx_state_get_state_type (stored), ==, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_clear_object (&stored);
  read_task = prefect_ctx_client_read_task_run (client, prefect_ctx_task_run_get_id (task_run), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_task_run_get_state (read_task)), ==,
                   PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_assert_nonnull (prefect_ctx_task_run_get_end_time (read_task));

  /* create_task_run_and_set_state: the interface's default over HTTP */
  g_clear_object (&task_draft);
  task_draft = g_object_new (PREFECT_CTX_TYPE_TASK_RUN, "flow-run-id", prefect_ctx_flow_run_get_id (run),
                             "task-key", "mod.add", "dynamic-key", "1", "name", "add-1",
                             "state", pending, NULL);
  two = prefect_ctx_client_create_task_run_and_set_state (client, task_draft, running, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_task_run_get_state (two)), ==,
                   PREFECT_CTX_STATE_TYPE_RUNNING);
  g_assert_cmpint (prefect_ctx_task_run_get_run_count (two), ==, 1);

  task_runs = prefect_ctx_client_read_task_runs (client, prefect_ctx_flow_run_get_id (run), 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (task_runs), ==, 2);
  g_clear_object (&task_runs);
  task_runs = prefect_ctx_client_read_task_runs (client, prefect_ctx_flow_run_get_id (run), 1, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (task_runs), ==, 1);
  {
    g_autoptr(PrefectCtxTaskRun) second = g_list_model_get_item (task_runs, 0);

    g_assert_cmpstr (prefect_ctx_task_run_get_id (second), ==, prefect_ctx_task_run_get_id (two));
  }
  g_clear_object (&task_runs);
  task_runs = prefect_ctx_client_read_task_runs (client, "00000000-0000-0000-0000-000000000000", 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (task_runs), ==, 0);

  g_assert_cmpuint (prefect_ctx_client_count_task_runs (client, prefect_ctx_flow_run_get_id (run), FALSE, NULL, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (prefect_ctx_client_count_task_runs (client, prefect_ctx_flow_run_get_id (run), TRUE, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (prefect_ctx_client_count_task_runs (client, NULL, FALSE, NULL, &error), ==, 2);
  g_assert_no_error (error);

  /* state histories */
  g_clear_object (&stored);
  stored = prefect_ctx_client_set_flow_run_state (client, prefect_ctx_flow_run_get_id (run), completed,
                                                  FALSE, NULL, &error);
  g_assert_no_error (error);
  states = prefect_ctx_client_read_flow_run_states (client, prefect_ctx_flow_run_get_id (run), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (states), ==, 3);
  {
    g_autoptr(PrefectCtxState) first = g_list_model_get_item (states, 0);
    g_autoptr(PrefectCtxState) last = g_list_model_get_item (states, 2);

    g_assert_cmpint (prefect_ctx_state_get_state_type (first), ==, PREFECT_CTX_STATE_TYPE_PENDING);
    g_assert_cmpint (prefect_ctx_state_get_state_type (last), ==, PREFECT_CTX_STATE_TYPE_COMPLETED);
  }
  g_clear_object (&states);
  states = prefect_ctx_client_read_task_run_states (client, prefect_ctx_task_run_get_id (two), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (states), ==, 2);
  g_clear_object (&states);

  /* An unknown run: the server says [], the client NOT_FOUND. */
  g_assert_null (prefect_ctx_client_read_flow_run_states (client, "00000000-0000-0000-0000-000000000000",
                                                          NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Flow run not found");
  g_clear_error (&error);

  /* A run created without a state: the server makes it Pending. */
  lost_draft = g_object_new (PREFECT_CTX_TYPE_TASK_RUN, "task-key", "solo", NULL);
  lost = prefect_ctx_client_create_task_run (client, lost_draft, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_task_run_get_dynamic_key (lost), ==, "0");
  lost_states = prefect_ctx_client_read_task_run_states (client, prefect_ctx_task_run_get_id (lost), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (lost_states), ==, 1);
  {
    g_autoptr(PrefectCtxState) only = g_list_model_get_item (lost_states, 0);

    g_assert_cmpint (prefect_ctx_state_get_state_type (only), ==, PREFECT_CTX_STATE_TYPE_PENDING);
  }

  /* logs, with the time window (after is exclusive) */
  for (guint i = 0; i < 3; i++)
    {
      GDateTime *times[] = { t0, t1, t2 };
      g_autofree char *message = g_strdup_printf ("line %u", i);

      g_ptr_array_add (logs, g_object_new (PREFECT_CTX_TYPE_LOG_ENTRY, "name", "prefect.flow_runs",
                                           "level", 20, "message", message, "timestamp", times[i],
                                           "flow-run-id", prefect_ctx_flow_run_get_id (run), NULL));
    }
  g_ptr_array_add (logs, g_object_new (PREFECT_CTX_TYPE_LOG_ENTRY, "name", "other", "level", 40,
                                       "message", "elsewhere", "timestamp", t2, NULL));
  g_assert_true (prefect_ctx_client_create_logs (client, logs, NULL, &error));
  g_assert_no_error (error);
  read_logs = prefect_ctx_client_read_logs (client, prefect_ctx_flow_run_get_id (run), NULL, NULL, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (read_logs), ==, 3);
  g_clear_object (&read_logs);
  read_logs = prefect_ctx_client_read_logs (client, prefect_ctx_flow_run_get_id (run), t0, t1, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (read_logs), ==, 1);
  {
    g_autoptr(PrefectCtxLogEntry) entry = g_list_model_get_item (read_logs, 0);

    g_assert_cmpstr (prefect_ctx_log_entry_get_message (entry), ==, "line 1");
    g_assert_cmpint (prefect_ctx_log_entry_get_level (entry), ==, 20);
  }
  g_clear_object (&read_logs);
  read_logs = prefect_ctx_client_read_logs (client, NULL, NULL, NULL, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (read_logs), ==, 4);

  /* deployments */
  deployment_draft = g_object_new (PREFECT_CTX_TYPE_DEPLOYMENT, "name", "nightly",
                                   "flow-id", prefect_ctx_flow_get_id (flow), "version", "1", NULL);
  deployment = prefect_ctx_client_create_deployment (client, deployment_draft, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (prefect_ctx_deployment_get_id (deployment)));
  read_deployment = prefect_ctx_client_read_deployment (client, prefect_ctx_deployment_get_id (deployment),
                                                        NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_deployment_get_name (read_deployment), ==, "nightly");
  g_assert_cmpstr (prefect_ctx_deployment_get_version (read_deployment), ==, "1");

  /* No Authorization header without a key. */
  g_assert_null (fake_last_authorization (fake));
}

static void
test_errors (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(PrefectCtxClient) client = client_for (fake, NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlowRun) draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "flow-id", "not-a-uuid", NULL);
  g_autoptr(PrefectCtxFlow) nameless = g_object_new (PREFECT_CTX_TYPE_FLOW, NULL);
  g_autoptr(PrefectCtxState) running = state_of (PREFECT_CTX_STATE_TYPE_RUNNING, NULL);
  g_autoptr(PrefectCtxHttpClient) closed = NULL;

  g_assert_null (prefect_ctx_client_read_flow_run (client, "00000000-0000-0000-0000-000000000000", NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Flow run not found");
  g_clear_error (&error);

  /* An API URL without /api: the server's own 404 names the URL and hints
   * at the missing /api, as Prefect's "Failed to reach API at ..." does. */
  {
    g_autofree char *root = g_strndup (fake->api_url, strlen (fake->api_url) - strlen ("/api"));
    g_autofree char *expected = g_strdup_printf ("Failed to reach API at %s: POST %s/flow_runs/filter answered "
                                                 "HTTP 404 Not Found (the API URL may lack '/api', as in "
                                                 "http://127.0.0.1:4200/api)", root, root);
    g_autoptr(PrefectCtxHttpClient) rootless = g_initable_new (PREFECT_CTX_TYPE_HTTP_CLIENT, NULL, &error,
                                                               "api-url", root, NULL);
    g_autoptr(GListModel) runs = NULL;

    g_assert_no_error (error);
    runs = prefect_ctx_client_read_flow_runs (PREFECT_CTX_CLIENT (rootless), PREFECT_CTX_CLIENT_ANY_STATE,
                                              0, 0, NULL, &error);
    g_assert_null (runs);
    g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
    g_assert_cmpstr (error->message, ==, expected);
    g_clear_error (&error);
  }

  /* The REST API has no positions in the logs. */
  {
    guint64 cursor = 7;

    g_assert_null (prefect_ctx_client_read_logs_since (client, "00000000-0000-0000-0000-000000000000",
                                                       &cursor, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
    g_assert_cmpstr (error->message, ==, "PrefectCtxHttpClient cannot read logs by position");
    g_clear_error (&error);
    g_assert_cmpuint (cursor, ==, 7);
  }

  g_assert_null (prefect_ctx_client_read_task_run (client, "x/y?z", NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (prefect_ctx_client_read_deployment (client, "00000000-0000-0000-0000-000000000000", NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Deployment not found");
  g_clear_error (&error);

  g_assert_null (prefect_ctx_client_set_flow_run_state (client, "00000000-0000-0000-0000-000000000000",
                                                        running, FALSE, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* 422: the validation messages */
  g_assert_null (prefect_ctx_client_create_flow_run (client, draft, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Invalid request POST /flow_runs/: body.flow_id: value is not a valid uuid");
  g_clear_error (&error);

  /* other failures: the status and detail */
  fake_fail (fake, 500, NULL, 1);
  g_assert_null (prefect_ctx_client_read_flow (client, "00000000-0000-0000-0000-000000000000", NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==,
                   "Prefect API request GET /flows/00000000-0000-0000-0000-000000000000 failed: "
                   "HTTP 500 Internal Server Error: Try again later");
  g_clear_error (&error);

  /* caller errors need no request */
  g_assert_null (prefect_ctx_client_create_flow (client, nameless, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* a server that is not there */
  closed = prefect_ctx_http_client_new ("http://127.0.0.1:1/api", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (prefect_ctx_http_client_check_health (closed, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "Prefect API request GET /health failed: "));
  g_clear_error (&error);
}

static void
test_orchestration (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(PrefectCtxClient) client = client_for (fake, NULL, 0);
  g_autoptr(PrefectCtxFlowRun) run = new_flow_run (client, "orchestrated");
  g_autoptr(PrefectCtxState) running = state_of (PREFECT_CTX_STATE_TYPE_RUNNING, NULL);
  g_autoptr(PrefectCtxState) stored = NULL;
  g_autoptr(GError) error = NULL;

  /* REJECT: the state the run is in */
  fake_set_next_status (fake, "REJECT");
  stored = prefect_ctx_client_set_flow_run_state (client, prefect_ctx_flow_run_get_id (run), running,
                                                  FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (prefect_ctx_state_get_state_type (stored), ==, PREFECT_CTX_STATE_TYPE_PENDING);
  g_clear_object (&stored);

  /* ABORT: an error with the reason */
  fake_set_next_status (fake, "ABORT");
  g_assert_null (prefect_ctx_client_set_flow_run_state (client, prefect_ctx_flow_run_get_id (run), running,
                                                        FALSE, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_ABORTED);
  g_assert_cmpstr (error->message, ==, "Flow run state change aborted: The run is already finished.");
  g_clear_error (&error);

  /* WAIT, with no retries allowed: an error */
  fake_set_next_status (fake, "WAIT");
  g_assert_null (prefect_ctx_client_set_flow_run_state (client, prefect_ctx_flow_run_get_id (run), running,
                                                        FALSE, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Flow run state change delayed too many times: The run is already finished.");
  g_clear_error (&error);

  /* ACCEPT afterwards */
  stored = prefect_ctx_client_set_flow_run_state (client, prefect_ctx_flow_run_get_id (run), running,
                                                  TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (prefect_ctx_state_get_state_type (stored), ==, PREFECT_CTX_STATE_TYPE_RUNNING);
}

static void
test_retries (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(PrefectCtxClient) client = client_for (fake, NULL, 3);
  g_autoptr(PrefectCtxClient) no_retry = client_for (fake, NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlow) draft = prefect_ctx_flow_new ("retried");
  g_autoptr(PrefectCtxFlow) flow = NULL;
  gint64 start;

  /* 503, 502, 408 then success */
  fake_fail (fake, 503, NULL, 1);
  fake_fail (fake, 502, NULL, 1);
  fake_fail (fake, 408, NULL, 1);
  flow = prefect_ctx_client_create_flow (client, draft, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (flow);
  g_assert_cmpuint (fake_requests (fake, "POST /flows/"), ==, 4);
  g_clear_object (&flow);

  /* Retry-After is honoured (in seconds, jitter 0 here) */
  fake_fail (fake, 429, "1", 1);
  start = g_get_monotonic_time ();
  flow = prefect_ctx_client_create_flow (client, draft, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
  g_assert_cmpuint (fake_requests (fake, "POST /flows/"), ==, 6);
  g_clear_object (&flow);

  /* giving up after max-retries, with the last status */
  fake_fail (fake, 503, NULL, 10);
  g_assert_null (prefect_ctx_client_create_flow (client, draft, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==,
                   "Prefect API request POST /flows/ failed after retries: "
                   "HTTP 503 Service Unavailable: Try again later");
  g_clear_error (&error);
  g_assert_cmpuint (fake_requests (fake, "POST /flows/"), ==, 10);

  /* 6 failures are left; without retries, the first fails the call */
  g_assert_null (prefect_ctx_client_create_flow (no_retry, draft, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==,
                   "Prefect API request POST /flows/ failed: HTTP 503 Service Unavailable: Try again later");
  g_clear_error (&error);
  g_assert_cmpuint (fake_requests (fake, "POST /flows/"), ==, 11);

  /* 500 is not retried */
  fake_lock (fake);
  g_queue_clear_full (&fake->failures, failure_free);
  fake_unlock (fake);
  fake_fail (fake, 500, NULL, 1);
  g_assert_null (prefect_ctx_client_create_flow (client, draft, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpuint (fake_requests (fake, "POST /flows/"), ==, 12);
}

/* Waits are bounded: a Retry-After of 100,000 s is cut to max-retry-wait,
 * and a call gives up when its waits would pass max-retry-time; a response
 * that never comes times out after request-timeout. */
static void
test_retry_bounds (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxHttpClient) capped = NULL;
  g_autoptr(PrefectCtxHttpClient) impatient = NULL;
  g_autoptr(PrefectCtxHttpClient) quick = NULL;
  gint64 start;

  capped = g_initable_new (PREFECT_CTX_TYPE_HTTP_CLIENT, NULL, &error, "api-url", fake->api_url,
                           "max-retries", 3, "retry-jitter-factor", 0.0, "max-retry-wait", 0.05, NULL);
  g_assert_no_error (error);
  fake_fail (fake, 429, "100000", 1);
  start = g_get_monotonic_time ();
  g_assert_true (prefect_ctx_http_client_check_health (capped, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (fake_requests (fake, "GET /health"), ==, 2);

  impatient = g_initable_new (PREFECT_CTX_TYPE_HTTP_CLIENT, NULL, &error, "api-url", fake->api_url,
                              "max-retries", 10, "retry-jitter-factor", 0.0, "max-retry-time", 0.5, NULL);
  g_assert_no_error (error);
  fake_fail (fake, 503, "1", 1);
  start = g_get_monotonic_time ();
  g_assert_false (prefect_ctx_http_client_check_health (impatient, NULL, &error));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Prefect API request GET /health failed after retries: "
                                       "HTTP 503 Service Unavailable: Try again later");
  g_clear_error (&error);
  g_assert_cmpuint (fake_requests (fake, "GET /health"), ==, 3);

  quick = g_initable_new (PREFECT_CTX_TYPE_HTTP_CLIENT, NULL, &error, "api-url", fake->api_url,
                          "max-retries", 1, "retry-base-delay", 0.001, "request-timeout", 0.3, NULL);
  g_assert_no_error (error);
  /* stalled, then answered on the retry */
  fake_fail (fake, 0, NULL, 1);
  start = g_get_monotonic_time ();
  g_assert_true (prefect_ctx_http_client_check_health (quick, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  g_assert_cmpuint (fake_requests (fake, "GET /health"), ==, 5);
  /* stalled twice: the timeout is the failure */
  fake_fail (fake, 0, NULL, 2);
  start = g_get_monotonic_time ();
  g_assert_false (prefect_ctx_http_client_check_health (quick, NULL, &error));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Prefect API request GET /health failed after retries: "
                                       "no complete response within 0.3 s (the request timeout)");
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static gpointer
cancel_thread (gpointer data)
{
  g_usleep (100 * 1000);
  cancel_later (data);
  return NULL;
}

static void
test_cancel_retry_wait (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(PrefectCtxClient) client = client_for (fake, NULL, 5);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GThread *thread;
  gint64 start = g_get_monotonic_time ();

  fake_fail (fake, 503, "30", 1);
  thread = g_thread_new ("canceller", cancel_thread, cancellable);
  g_assert_false (prefect_ctx_http_client_check_health (PREFECT_CTX_HTTP_CLIENT (client), cancellable, &error));
  g_thread_join (thread);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (fake_requests (fake, "GET /health"), ==, 1);
  g_clear_error (&error);

  /* already cancelled: no request */
  g_assert_null (prefect_ctx_client_read_flow (client, "x", cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fake_requests (fake, "GET /health"), ==, 1);
}

static void
test_authorization (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(PrefectCtxClient) with_key = client_for (fake, "pnu_s3cr3t", 0);
  g_autoptr(PrefectCtxClient) without_key = client_for (fake, NULL, 0);
  g_autoptr(PrefectCtxClient) empty_key = client_for (fake, "", 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *seen = NULL;

  g_assert_true (prefect_ctx_http_client_check_health (PREFECT_CTX_HTTP_CLIENT (with_key), NULL, &error));
  g_assert_no_error (error);
  seen = fake_last_authorization (fake);
  g_assert_cmpstr (seen, ==, "Bearer pnu_s3cr3t");
  g_clear_pointer (&seen, g_free);
  g_assert_true (prefect_ctx_http_client_has_api_key (PREFECT_CTX_HTTP_CLIENT (with_key)));

  g_assert_true (prefect_ctx_http_client_check_health (PREFECT_CTX_HTTP_CLIENT (without_key), NULL, &error));
  g_assert_no_error (error);
  seen = fake_last_authorization (fake);
  g_assert_null (seen);

  g_assert_true (prefect_ctx_http_client_check_health (PREFECT_CTX_HTTP_CLIENT (empty_key), NULL, &error));
  g_assert_no_error (error);
  seen = fake_last_authorization (fake);
  g_assert_null (seen);
  g_assert_false (prefect_ctx_http_client_has_api_key (PREFECT_CTX_HTTP_CLIENT (empty_key)));
}

static void
test_paging (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(PrefectCtxClient) client = client_for (fake, NULL, 0);
  g_autoptr(PrefectCtxFlowRun) run = new_flow_run (client, "big");
  const char *run_id = prefect_ctx_flow_run_get_id (run);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListModel) some = NULL;
  g_autoptr(GPtrArray) logs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) t0 = g_date_time_new_utc (2026, 1, 2, 3, 4, 5.0);
  const guint n = 450;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = g_strdup_printf ("%u", i);
      g_autoptr(PrefectCtxTaskRun) draft = g_object_new (PREFECT_CTX_TYPE_TASK_RUN, "flow-run-id", run_id,
                                                         "task-key", "t", "dynamic-key", key, NULL);
      g_autoptr(PrefectCtxTaskRun) task_run = prefect_ctx_client_create_task_run (client, draft, NULL, &error);

      g_assert_no_error (error);
      g_autoptr(GDateTime) time = g_date_time_add_seconds (t0, i);

      g_ptr_array_add (logs, g_object_new (PREFECT_CTX_TYPE_LOG_ENTRY, "name", "n", "level", 20, "message", key,
                                           "timestamp", time, "flow-run-id", run_id, NULL));
    }

  all = prefect_ctx_client_read_task_runs (client, run_id, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, n);
  g_assert_cmpuint (fake_requests (fake, "POST /task_runs/filter"), ==, 3);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PrefectCtxTaskRun) item = g_list_model_get_item (all, i);
      g_autofree char *key = g_strdup_printf ("%u", i);

      g_assert_cmpstr (prefect_ctx_task_run_get_dynamic_key (item), ==, key);
    }

  some = prefect_ctx_client_read_task_runs (client, run_id, 250, 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (some), ==, 250);
  {
    g_autoptr(PrefectCtxTaskRun) first = g_list_model_get_item (some, 0);
    g_autoptr(PrefectCtxTaskRun) last = g_list_model_get_item (some, 249);

    g_assert_cmpstr (prefect_ctx_task_run_get_dynamic_key (first), ==, "10");
    g_assert_cmpstr (prefect_ctx_task_run_get_dynamic_key (last), ==, "259");
  }
  g_clear_object (&some);

  /* 450 logs in one request, read back in 3 pages */
  g_assert_true (prefect_ctx_client_create_logs (client, logs, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&all);
  all = prefect_ctx_client_read_logs (client, run_id, NULL, NULL, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, n);
  g_assert_cmpuint (fake_requests (fake, "POST /logs/filter"), ==, 3);
  {
    g_autoptr(PrefectCtxLogEntry) last = g_list_model_get_item (all, n - 1);

    g_assert_cmpstr (prefect_ctx_log_entry_get_message (last), ==, "449");
  }
  some = prefect_ctx_client_read_logs (client, run_id, NULL, NULL, 200, 400, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (some), ==, 50);
}

typedef struct {
  PrefectCtxClient *client;
  const char       *flow_run_id;
  guint             index;
  guint             ok;
} Worker;

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *key = g_strdup_printf ("%u-%u", worker->index, i);
      g_autoptr(PrefectCtxTaskRun) draft = g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                                                         "flow-run-id", worker->flow_run_id,
                                                         "task-key", "w", "dynamic-key", key, NULL);
      g_autoptr(PrefectCtxTaskRun) created = prefect_ctx_client_create_task_run (worker->client, draft, NULL, &error);
      g_autoptr(PrefectCtxTaskRun) read = NULL;

      g_assert_no_error (error);
      read = prefect_ctx_client_read_task_run (worker->client, prefect_ctx_task_run_get_id (created), NULL, &error);
      g_assert_no_error (error);
      if (g_strcmp0 (prefect_ctx_task_run_get_dynamic_key (read), key) == 0)
        worker->ok++;
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(PrefectCtxClient) client = client_for (fake, NULL, 0);
  g_autoptr(PrefectCtxFlowRun) run = new_flow_run (client, "threads");
  g_autoptr(GError) error = NULL;
  Worker workers[8];
  GThread *threads[8];

  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    {
      workers[i] = (Worker) { client, prefect_ctx_flow_run_get_id (run), i, 0 };
      threads[i] = g_thread_new ("worker", worker_thread, &workers[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpuint (workers[i].ok, ==, 20);
    }
  g_assert_cmpuint (prefect_ctx_client_count_task_runs (client, prefect_ctx_flow_run_get_id (run), FALSE,
                                                        NULL, &error), ==, 160);
  g_assert_no_error (error);
}

static void
async_done (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  PrefectCtxFlow **out = data;
  g_autoptr(GError) error = NULL;

  *out = prefect_ctx_client_read_flow_finish (PREFECT_CTX_CLIENT (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(PrefectCtxClient) client = client_for (fake, NULL, 0);
  g_autoptr(PrefectCtxFlowRun) run = new_flow_run (client, "async");
  g_autoptr(PrefectCtxFlow) flow = NULL;

  prefect_ctx_client_read_flow_async (client, prefect_ctx_flow_run_get_flow_id (run), NULL, async_done, &flow);
  while (flow == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (prefect_ctx_flow_get_name (flow), ==, "async");
}

static PrefectCtxSettingsContext *
enter_settings (const char * const *env)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxSettings) settings = prefect_ctx_settings_new_from_environ (env, &error);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(PrefectCtxProfile) profile = NULL;
  PrefectCtxSettingsContext *ctx;

  g_assert_no_error (error);
  profile = prefect_ctx_profile_new ("test", values, NULL, &error);
  g_assert_no_error (error);
  ctx = prefect_ctx_settings_context_new (profile, settings);
  g_assert_true (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (ctx), &error));
  g_assert_no_error (error);
  return ctx;
}

static void
test_get_default (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_dir_make_tmp ("prefectctx-http-XXXXXX", &error);
  g_autofree char *home_env = g_strconcat ("PREFECT_HOME=", home, NULL);
  g_autofree char *db = g_build_filename (home, "prefectctx.db", NULL);
  const char *http_env[] = { "PREFECT_API_URL=http://127.0.0.1:4200/api", "PREFECT_API_KEY=k",
                             home_env, NULL };
  const char *local_env[] = { home_env, NULL };
  g_autoptr(PrefectCtxSettingsContext) http_ctx = NULL;
  g_autoptr(PrefectCtxSettingsContext) local_ctx = NULL;
  g_autoptr(PrefectCtxClient) client = NULL;
  g_autoptr(PrefectCtxClient) again = NULL;

  g_assert_no_error (error);

  http_ctx = enter_settings (http_env);
  client = prefect_ctx_client_get_default (&error);
  g_assert_no_error (error);
  g_assert_true (PREFECT_CTX_IS_HTTP_CLIENT (client));
  g_assert_cmpstr (prefect_ctx_http_client_get_api_url (PREFECT_CTX_HTTP_CLIENT (client)), ==,
                   "http://127.0.0.1:4200/api");
  g_assert_true (prefect_ctx_http_client_has_api_key (PREFECT_CTX_HTTP_CLIENT (client)));
  again = prefect_ctx_client_get_default (&error);
  g_assert_no_error (error);
  g_assert_true (again == client);
  g_clear_object (&client);
  g_clear_object (&again);
  g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (http_ctx), &error));
  g_assert_no_error (error);

  local_ctx = enter_settings (local_env);
  client = prefect_ctx_client_get_default (&error);
  g_assert_no_error (error);
  g_assert_true (PREFECT_CTX_IS_LOCAL_CLIENT (client));
  g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (local_ctx), &error));
  g_assert_no_error (error);
  g_clear_object (&client);

  /* The local client stays cached for the process; its files stay too. */
  g_remove (db);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_remove (wal);
    g_remove (shm);
  }
  g_rmdir (home);
}

static GVariant *
add_body (PrefectCtxRunContext  *context,
          GVariant              *parameters,
          gpointer               user_data,
          GError               **error)
{
  gint64 x = 0, y = 0;

  g_variant_lookup (parameters, "x", "x", &x);
  g_variant_lookup (parameters, "y", "x", &y);
  if (!prefect_ctx_run_log (20, "adding", error))
    return NULL;
  return g_variant_new_int64 (x + y);
}

static GVariant *
xy (gint64 x,
    gint64 y)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "x", "x", x);
  g_variant_dict_insert (&dict, "y", "x", y);
  return g_variant_dict_end (&dict);
}

typedef struct {
  PrefectCtxTask *task;
  char           *flow_run_id;
} FlowData;

static GVariant *
flow_body (PrefectCtxRunContext  *context,
           GVariant              *parameters,
           gpointer               user_data,
           GError               **error)
{
  FlowData *data = user_data;
  gint64 total = 1;

  data->flow_run_id = g_strdup (prefect_ctx_flow_run_get_id (
    prefect_ctx_flow_run_context_get_flow_run (PREFECT_CTX_FLOW_RUN_CONTEXT (context))));
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GVariant) sum = prefect_ctx_task_call (data->task, xy (total, 10), add_body, NULL, error);

      if (sum == NULL)
        return NULL;
      total = g_variant_get_int64 (sum);
    }
  return g_variant_new_int64 (total);
}

static void
test_engine (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(PrefectCtxClient) client = client_for (fake, NULL, 0);
  g_autoptr(PrefectCtxRunOptions) options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", client, NULL);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("remote");
  g_autoptr(PrefectCtxTask) task = g_object_new (PREFECT_CTX_TYPE_TASK, "name", "add", "task-key", "add",
                                                 "retries", 2, "retry-delay-seconds", 0.25, NULL);
  FlowData data = { task, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(PrefectCtxFlowRun) stored = NULL;
  g_autoptr(GListModel) task_runs = NULL;
  g_autoptr(GListModel) states = NULL;
  g_autoptr(GListModel) logs = NULL;
  guint n_adding = 0;

  result = prefect_ctx_flow_run_sync (flow, NULL, options, flow_body, &data, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_variant_get_int64 (result), ==, 21);

  stored = prefect_ctx_client_read_flow_run (client, data.flow_run_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_flow_run_get_state (stored)), ==,
                   PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_assert_cmpint (prefect_ctx_flow_run_get_run_count (stored), ==, 1);

  states = prefect_ctx_client_read_flow_run_states (client, data.flow_run_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (states), >=, 3);

  /* As Prefect's engine sends them: Pending and Running without data, the
   * final state with {"type": "unpersisted"}. */
  fake_lock (fake);
  {
    JsonArray *history = g_hash_table_lookup (fake->states, data.flow_run_id);
    guint n = json_array_get_length (history);

    for (guint i = 0; i < n; i++)
      {
        JsonObject *state = json_array_get_object_element (history, i);
        gboolean final = i == n - 1;

        g_assert_cmpstr (json_object_get_string_member (state, "type"), ==,
                         final ? "COMPLETED" : i == 0 ? "PENDING" : "RUNNING");
        if (final)
          g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (state, "data"), "type"),
                           ==, "unpersisted");
        else
          g_assert_true (json_object_get_null_member (state, "data"));
      }
  }
  fake_unlock (fake);

  /* The flow's and the task's retry settings, as Prefect's engine sends
   * them in empirical_policy. */
  {
    g_autofree char *policy = g_variant_print (prefect_ctx_flow_run_get_empirical_policy (stored), FALSE);

    g_assert_cmpstr (policy, ==, "{'retries': <int64 0>, 'retry_delay': <0.0>}");
  }

  task_runs = prefect_ctx_client_read_task_runs (client, data.flow_run_id, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (task_runs), ==, 2);
  {
    g_autoptr(PrefectCtxTaskRun) first = g_list_model_get_item (task_runs, 0);
    g_autofree char *policy = g_variant_print (prefect_ctx_task_run_get_empirical_policy (first), FALSE);

    g_assert_cmpstr (policy, ==, "{'retries': <int64 2>, 'retry_delay': <0.25>}");
  }
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(PrefectCtxTaskRun) task_run = g_list_model_get_item (task_runs, i);

      g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_task_run_get_state (task_run)), ==,
                       PREFECT_CTX_STATE_TYPE_COMPLETED);
      g_assert_cmpstr (prefect_ctx_task_run_get_flow_run_id (task_run), ==, data.flow_run_id);
    }

  /* The log writer may send the lines a little later. */
  for (guint tries = 0; tries < 100 && n_adding < 2; tries++)
    {
      g_clear_object (&logs);
      logs = prefect_ctx_client_read_logs (client, data.flow_run_id, NULL, NULL, 0, 0, NULL, &error);
      g_assert_no_error (error);
      n_adding = 0;
      for (guint i = 0; i < g_list_model_get_n_items (logs); i++)
        {
          g_autoptr(PrefectCtxLogEntry) entry = g_list_model_get_item (logs, i);

          if (g_strcmp0 (prefect_ctx_log_entry_get_message (entry), "adding") == 0)
            {
              n_adding++;
              g_assert_nonnull (prefect_ctx_log_entry_get_task_run_id (entry));
            }
        }
      if (n_adding < 2)
        g_usleep (50 * 1000);
    }
  g_assert_cmpuint (n_adding, ==, 2);
  g_free (data.flow_run_id);
}

static GVariant *
child_body (PrefectCtxRunContext  *context,
            GVariant              *parameters,
            gpointer               user_data,
            GError               **error)
{
  return g_variant_new_int64 (7);
}

static GVariant *
parent_body (PrefectCtxRunContext  *context,
             GVariant              *parameters,
             gpointer               user_data,
             GError               **error)
{
  g_autoptr(PrefectCtxFlow) child = prefect_ctx_flow_new ("child");

  *(char **) user_data = g_strdup (prefect_ctx_flow_run_get_id (
    prefect_ctx_flow_run_context_get_flow_run (PREFECT_CTX_FLOW_RUN_CONTEXT (context))));
  return prefect_ctx_flow_run_sync (child, NULL, NULL, child_body, NULL, error);
}

/* A subflow on a server: the engine sets no state on its parent task run;
 * the server's UpdateSubflowParentTask copies the subflow's, naming it as
 * child_flow_run_id, as for Prefect's engine: Pending, then Pending,
 * Running and Completed of the subflow, run_count 1. */
static void
test_subflow (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(PrefectCtxClient) client = client_for (fake, NULL, 0);
  g_autoptr(PrefectCtxRunOptions) options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", client, NULL);
  g_autoptr(PrefectCtxFlow) parent = prefect_ctx_flow_new ("parent");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GListModel) task_runs = NULL;
  g_autoptr(PrefectCtxTaskRun) parent_task = NULL;
  g_autofree char *flow_run_id = NULL;
  const char *expected[] = { "PENDING", "PENDING", "RUNNING", "COMPLETED" };

  result = prefect_ctx_flow_run_sync (parent, NULL, options, parent_body, &flow_run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_variant_get_int64 (result), ==, 7);

  task_runs = prefect_ctx_client_read_task_runs (client, flow_run_id, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (task_runs), ==, 1);
  parent_task = g_list_model_get_item (task_runs, 0);
  g_assert_cmpint (prefect_ctx_task_run_get_run_count (parent_task), ==, 1);

  fake_lock (fake);
  {
    JsonArray *history = g_hash_table_lookup (fake->states, prefect_ctx_task_run_get_id (parent_task));

    g_assert_cmpuint (json_array_get_length (history), ==, G_N_ELEMENTS (expected));
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        JsonObject *state = json_array_get_object_element (history, i);
        JsonObject *details = json_object_get_object_member (state, "state_details");

        g_assert_cmpstr (json_object_get_string_member (state, "type"), ==, expected[i]);
        g_assert_true (json_object_has_member (details, "child_flow_run_id") == (i > 0));
      }
  }
  fake_unlock (fake);
}

static GVariant *
failing_body (PrefectCtxRunContext  *context,
              GVariant              *parameters,
              gpointer               user_data,
              GError               **error)
{
  FakeServer *fake = user_data;

  /* The server goes away with the body's failure: its final state cannot
   * be recorded either. */
  fake_fail (fake, 500, NULL, 1000);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "Task run request failed: server gone");
  return NULL;
}

/* The error reported is the first failure, the body's, with the later one
 * (the final state that could not be recorded) after it. */
static void
test_first_failure (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(PrefectCtxClient) client = client_for (fake, NULL, 0);
  g_autoptr(PrefectCtxRunOptions) options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", client, NULL);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("doomed");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;

  /* The run's log lines cannot be shipped either: said, not dropped silently. */
  g_test_expect_message ("PrefectCtx", G_LOG_LEVEL_MESSAGE, "* could not be shipped to the run store and * lost: *");
  result = prefect_ctx_flow_run_sync (flow, NULL, options, failing_body, fake, &error);
  g_test_assert_expected_messages ();
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_true (g_str_has_prefix (error->message, "Task run request failed: server gone (recording the run's "
                                                   "final state failed too: Prefect API request POST /flow_runs/"));
}


/* ---------------------------------------------------------------------------
 * Queued task-run states
 */

typedef struct
{
  PrefectCtxTask *task;
  FakeServer     *fake;
  char           *flow_run_id;
} QueueData;

static GVariant *
noop_task (PrefectCtxRunContext  *context,
           GVariant              *parameters,
           gpointer               user_data,
           GError               **error)
{
  return g_variant_new_int32 (1);
}

static GVariant *
aborted_task (PrefectCtxRunContext  *context,
              GVariant              *parameters,
              gpointer               user_data,
              GError               **error)
{
  /* The server aborts the next state change: one of this task run's. */
  fake_set_next_status (user_data, "ABORT");
  return g_variant_new_int32 (1);
}

#define N_CALLED 10
#define N_SUBMITTED 10

static GVariant *
many_tasks_body (PrefectCtxRunContext  *context,
                 GVariant              *parameters,
                 gpointer               user_data,
                 GError               **error)
{
  QueueData *data = user_data;
  g_autoptr(GPtrArray) futures = g_ptr_array_new_with_free_func (g_object_unref);

  data->flow_run_id = g_strdup (prefect_ctx_flow_run_get_id (
    prefect_ctx_flow_run_context_get_flow_run (PREFECT_CTX_FLOW_RUN_CONTEXT (context))));
  for (int i = 0; i < N_CALLED; i++)
    {
      g_autoptr(GVariant) result = prefect_ctx_task_call (data->task, NULL, noop_task, NULL, error);

      if (result == NULL)
        return NULL;
    }
  for (int i = 0; i < N_SUBMITTED; i++)
    {
      PrefectCtxTaskFuture *future = prefect_ctx_task_submit (data->task, NULL, noop_task, NULL, NULL, error);

      if (future == NULL)
        return NULL;
      g_ptr_array_add (futures, future);
    }
  for (guint i = 0; i < futures->len; i++)
    prefect_ctx_task_future_wait (g_ptr_array_index (futures, i));
  return NULL;
}

static guint
count_task_run_set_states (FakeServer *fake)
{
  GHashTableIter iter;
  gpointer key, value;
  guint n = 0;

  fake_lock (fake);
  g_hash_table_iter_init (&iter, fake->requests);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, "POST /task_runs/") && g_str_has_suffix (key, "/set_state"))
      n += GPOINTER_TO_UINT (value);
  fake_unlock (fake);
  return n;
}

/* A flow run of task runs called and submitted: each task run is one POST
 * (created Pending) and two queued state changes, in order (Pending,
 * Running, Completed), all of them stored before the flow run's final
 * state, over a few kept-alive connections. */
static void
test_queued_states (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(PrefectCtxClient) client = client_for (fake, NULL, 0);
  g_autoptr(PrefectCtxRunOptions) options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", client,
                                                          "max-workers", 4, NULL);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("queued");
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("noop");
  QueueData data = { task, fake, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  const char *expected[] = { "PENDING", "RUNNING", "COMPLETED" };

  g_assert_true (prefect_ctx_http_client_get_queue_task_run_states (PREFECT_CTX_HTTP_CLIENT (client)));
  result = prefect_ctx_flow_run_sync (flow, NULL, options, many_tasks_body, &data, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (fake_requests (fake, "POST /task_runs/"), ==, N_CALLED + N_SUBMITTED);
  g_assert_cmpuint (count_task_run_set_states (fake), ==, 2 * (N_CALLED + N_SUBMITTED));
  /* The caller's thread, the lanes, the log writer and the 4 workers at
   * most, where a connection per request would be over 60. */
  g_assert_cmpuint (fake_connections (fake), <=, 2 + 4 + 4);

  fake_lock (fake);
  {
    JsonArray *flow_history = g_hash_table_lookup (fake->states, data.flow_run_id);
    JsonObject *flow_final = json_array_get_object_element (flow_history, json_array_get_length (flow_history) - 1);

    g_assert_cmpstr (json_object_get_string_member (flow_final, "type"), ==, "COMPLETED");
    g_assert_cmpuint (fake->task_run_order->len, ==, N_CALLED + N_SUBMITTED);
    for (guint i = 0; i < fake->task_run_order->len; i++)
      {
        JsonObject *run = g_ptr_array_index (fake->task_run_order, i);
        JsonArray *history = g_hash_table_lookup (fake->states, json_object_get_string_member (run, "id"));

        g_assert_cmpuint (json_array_get_length (history), ==, G_N_ELEMENTS (expected));
        for (guint j = 0; j < G_N_ELEMENTS (expected); j++)
          g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, j), "type"),
                           ==, expected[j]);
        g_assert_cmpint (json_object_get_int_member (run, "run_count"), ==, 1);
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 2), "timestamp"),
                         <=, json_object_get_string_member (flow_final, "timestamp"));
      }
  }
  fake_unlock (fake);
  g_free (data.flow_run_id);
}

/* Requests of one thread share one connection, POSTs too. */
static void
test_keep_alive (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(PrefectCtxClient) client = client_for (fake, NULL, 0);
  g_autoptr(PrefectCtxFlow) draft = prefect_ctx_flow_new ("kept");
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 10; i++)
    {
      g_autoptr(PrefectCtxFlow) flow = prefect_ctx_client_create_flow (client, draft, NULL, &error);

      g_assert_no_error (error);
    }
  g_assert_cmpuint (fake_requests (fake, "POST /flows/"), ==, 10);
  g_assert_cmpuint (fake_connections (fake), ==, 1);
}

/* The queue used directly: a queued state is read back at once (reads wait
 * for the queue); one the server does not take is an error of the next
 * flush, and of that flush only. Without the queue the same change is the
 * call's own error. */
static void
test_flush (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(PrefectCtxClient) client = client_for (fake, NULL, 0);
  g_autoptr(PrefectCtxFlowRun) flow_run = new_flow_run (client, "flushed");
  g_autoptr(PrefectCtxState) pending = state_of (PREFECT_CTX_STATE_TYPE_PENDING, NULL);
  g_autoptr(PrefectCtxState) running = state_of (PREFECT_CTX_STATE_TYPE_RUNNING, NULL);
  g_autoptr(PrefectCtxTaskRun) draft = g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                                                     "flow-run-id", prefect_ctx_flow_run_get_id (flow_run),
                                                     "name", "t-0", "task-key", "t", "dynamic-key", "0",
                                                     "state", pending, NULL);
  g_autoptr(PrefectCtxTaskRun) task_run = prefect_ctx_client_create_task_run (client, draft, NULL, NULL);
  g_autoptr(PrefectCtxTaskRun) read = NULL;
  g_autoptr(PrefectCtxState) stored = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = prefect_ctx_task_run_get_id (task_run);

  stored = prefect_ctx_client_set_task_run_state (client, id, running, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (stored == running);
  read = prefect_ctx_client_read_task_run (client, id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_task_run_get_state (read)), ==,
                   PREFECT_CTX_STATE_TYPE_RUNNING);
  g_assert_true (prefect_ctx_client_flush (client, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&stored);

  fake_set_next_status (fake, "ABORT");
  stored = prefect_ctx_client_set_task_run_state (client, id, running, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (prefect_ctx_client_flush (client, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_ABORTED);
  {
    g_autofree char *expected = g_strdup_printf ("1 task-run state could not be recorded on the Prefect server: "
                                                 "the RUNNING state of task run %s was not recorded: "
                                                 "Task run state change aborted: The run is already finished.", id);

    g_assert_cmpstr (error->message, ==, expected);
  }
  g_clear_error (&error);
  g_assert_true (prefect_ctx_client_flush (client, NULL, &error));
  g_clear_object (&stored);

  /* Not queued: the server's answer is the call's. */
  g_object_set (client, "queue-task-run-states", FALSE, NULL);
  fake_set_next_status (fake, "ABORT");
  g_assert_null (prefect_ctx_client_set_task_run_state (client, id, running, FALSE, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_ABORTED);
  g_assert_cmpstr (error->message, ==, "Task run state change aborted: The run is already finished.");
}

static GVariant *
aborted_task_body (PrefectCtxRunContext  *context,
                   GVariant              *parameters,
                   gpointer               user_data,
                   GError               **error)
{
  QueueData *data = user_data;

  data->flow_run_id = g_strdup (prefect_ctx_flow_run_get_id (
    prefect_ctx_flow_run_context_get_flow_run (PREFECT_CTX_FLOW_RUN_CONTEXT (context))));
  return prefect_ctx_task_call (data->task, NULL, aborted_task, data->fake, error);
}

/* A task-run state the server did not take fails the flow run, with the
 * reason, instead of a flow run stored Completed without its records. */
static GVariant *
cancel_own_run (PrefectCtxRunContext  *context,
                GVariant              *parameters,
                gpointer               user_data,
                GError               **error)
{
  PrefectCtxFlowRunContext *flow_ctx = PREFECT_CTX_FLOW_RUN_CONTEXT (context);
  const char *id = prefect_ctx_flow_run_get_id (prefect_ctx_flow_run_context_get_flow_run (flow_ctx));
  g_autoptr(PrefectCtxState) cancelling = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_CANCELLING, NULL, NULL);
  g_autoptr(PrefectCtxState) stored = NULL;

  *(char **) user_data = g_strdup (id);
  stored = prefect_ctx_client_set_flow_run_state (prefect_ctx_run_context_get_client (context), id, cancelling,
                                                  FALSE, NULL, error);
  g_assert_nonnull (stored);
  return g_variant_new_string ("done anyway");
}

/* A flow run cancelled on the server while it runs: the server rejects the
 * Completed the engine proposes, answering Cancelling; the engine records
 * Cancelled (forced, as Prefect's agent does) and fails the call. */
static void
test_cancelled_on_server (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(PrefectCtxClient) client = client_for (fake, NULL, 0);
  g_autoptr(PrefectCtxRunOptions) options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", client, NULL);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("cancelled");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GListModel) states = NULL;
  g_autofree char *id = NULL;
  const char *expected[] = { "PENDING", "RUNNING", "CANCELLING", "CANCELLED" };

  result = prefect_ctx_flow_run_sync (flow, NULL, options, cancel_own_run, &id, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  states = prefect_ctx_client_read_flow_run_states (client, id, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (states), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(PrefectCtxState) state = g_list_model_get_item (states, i);

      g_assert_cmpstr (prefect_ctx_state_type_to_string (prefect_ctx_state_get_state_type (state)), ==, expected[i]);
    }
}

static void
test_queued_state_refused (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(PrefectCtxClient) client = client_for (fake, NULL, 0);
  g_autoptr(PrefectCtxRunOptions) options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", client, NULL);
  g_autoptr(PrefectCtxFlow) flow = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "refused", "retries", 2, NULL);
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("noop");
  QueueData data = { task, fake, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(PrefectCtxFlowRun) stored = NULL;
  PrefectCtxState *state;

  result = prefect_ctx_flow_run_sync (flow, NULL, options, aborted_task_body, &data, &error);
  g_assert_null (result);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_ABORTED);
  g_assert_true (g_str_has_prefix (error->message, "1 task-run state could not be recorded on the Prefect server: "));
  g_assert_nonnull (strstr (error->message, "Task run state change aborted: The run is already finished."));
  g_clear_error (&error);

  /* Failed for good: the flow's retries do not bring a record back. */
  stored = prefect_ctx_client_read_flow_run (client, data.flow_run_id, NULL, &error);
  g_assert_no_error (error);
  state = prefect_ctx_flow_run_get_state (stored);
  g_assert_cmpint (prefect_ctx_state_get_state_type (state), ==, PREFECT_CTX_STATE_TYPE_FAILED);
  g_assert_cmpint (prefect_ctx_flow_run_get_run_count (stored), ==, 1);
  g_assert_true (g_str_has_prefix (prefect_ctx_state_get_message (state),
                                   "Flow run encountered an exception. 1 task-run state could not be recorded"));
  g_free (data.flow_run_id);
}

static GVariant *
count_task (PrefectCtxRunContext  *context,
            GVariant              *parameters,
            gpointer               user_data,
            GError               **error)
{
  g_autoptr(GVariant) rows = g_variant_lookup_value (parameters, "rows", NULL);

  return g_variant_new_int64 ((gint64) g_variant_n_children (rows));
}

static GVariant *
inputs_child (PrefectCtxRunContext  *context,
              GVariant              *parameters,
              gpointer               user_data,
              GError               **error)
{
  return g_variant_new_int64 (0);
}

static GVariant *
inputs_body (PrefectCtxRunContext  *context,
             GVariant              *parameters,
             gpointer               user_data,
             GError               **error)
{
  g_autoptr(PrefectCtxTask) count = prefect_ctx_task_new ("count");
  g_autoptr(PrefectCtxFlow) child = prefect_ctx_flow_new ("child");
  g_autoptr(GVariant) counted = NULL;
  g_auto(GVariantDict) with_rows = G_VARIANT_DICT_INIT (NULL);
  g_auto(GVariantDict) with_day = G_VARIANT_DICT_INIT (NULL);

  g_variant_dict_insert_value (&with_rows, "rows", g_variant_new_strv ((const char *[]) { "a", "b" }, 2));
  g_variant_dict_insert (&with_rows, "limit", "x", (gint64) 10);
  counted = prefect_ctx_task_call (count, g_variant_dict_end (&with_rows), count_task, NULL, error);
  if (counted == NULL)
    return NULL;
  /* A task that gives its own: taken as it is. */
  {
    g_autoptr(GVariant) inputs = g_variant_ref_sink (g_variant_new_parsed (
      "{'rows': <[<{'input_type': <'task_run'>, 'id': <'6e1b5c48-0000-4000-8000-000000000001'>}>]>}"));
    g_autoptr(PrefectCtxTask) linked = g_object_new (PREFECT_CTX_TYPE_TASK, "name", "linked",
                                                     "task-inputs", inputs, NULL);
    g_auto(GVariantDict) rows = G_VARIANT_DICT_INIT (NULL);
    g_autoptr(GVariant) again = NULL;

    g_assert_true (prefect_ctx_task_get_task_inputs (linked) == inputs);
    g_variant_dict_insert_value (&rows, "rows", g_variant_new_strv ((const char *[]) { "a" }, 1));
    again = prefect_ctx_task_call (linked, g_variant_dict_end (&rows), count_task, NULL, error);
    if (again == NULL)
      return NULL;
  }
  g_variant_dict_insert (&with_day, "day", "s", "monday");
  return prefect_ctx_flow_run_sync (child, g_variant_dict_end (&with_day), NULL, inputs_child, NULL, error);
}

/* task_inputs as Prefect's engine sends them: a key per parameter of a
 * task run (and of a subflow, for its parent task run), each a list of
 * upstream references, empty unless the task gives its own. */
static void
test_task_inputs (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(PrefectCtxClient) client = client_for (fake, NULL, 0);
  g_autoptr(PrefectCtxRunOptions) options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", client, NULL);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("inputs");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;

  result = prefect_ctx_flow_run_sync (flow, NULL, options, inputs_body, NULL, &error);
  g_assert_no_error (error);

  fake_lock (fake);
  g_assert_cmpuint (fake->task_run_order->len, ==, 3);
  for (guint i = 0; i < fake->task_run_order->len; i++)
    {
      JsonObject *run = g_ptr_array_index (fake->task_run_order, i);
      g_autoptr(JsonNode) inputs = json_node_init_object (json_node_alloc (),
                                                          json_object_get_object_member (run, "task_inputs"));
      g_autofree char *text = json_to_string (inputs, FALSE);

      if (g_str_equal (json_object_get_string_member (run, "task_key"), "count"))
        g_assert_true (g_str_equal (text, "{\"rows\":[],\"limit\":[]}") || g_str_equal (text, "{\"limit\":[],\"rows\":[]}"));
      else if (g_str_equal (json_object_get_string_member (run, "task_key"), "linked"))
        g_assert_cmpstr (text, ==, "{\"rows\":[{\"input_type\":\"task_run\","
                                   "\"id\":\"6e1b5c48-0000-4000-8000-000000000001\"}]}");
      else
        g_assert_cmpstr (text, ==, "{\"day\":[]}");
    }
  fake_unlock (fake);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http-client/construct", test_construct);
  g_test_add_func ("/http-client/round-trip", test_round_trip);
  g_test_add_func ("/http-client/errors", test_errors);
  g_test_add_func ("/http-client/orchestration", test_orchestration);
  g_test_add_func ("/http-client/retries", test_retries);
  g_test_add_func ("/http-client/cancel-retry-wait", test_cancel_retry_wait);
  g_test_add_func ("/http-client/retry-bounds", test_retry_bounds);
  g_test_add_func ("/http-client/authorization", test_authorization);
  g_test_add_func ("/http-client/paging", test_paging);
  g_test_add_func ("/http-client/threads", test_threads);
  g_test_add_func ("/http-client/async", test_async);
  g_test_add_func ("/http-client/get-default", test_get_default);
  g_test_add_func ("/http-client/engine", test_engine);
  g_test_add_func ("/http-client/subflow", test_subflow);
  g_test_add_func ("/http-client/first-failure", test_first_failure);
  g_test_add_func ("/http-client/queued-states", test_queued_states);
  g_test_add_func ("/http-client/keep-alive", test_keep_alive);
  g_test_add_func ("/http-client/flush", test_flush);
  g_test_add_func ("/http-client/queued-state-refused", test_queued_state_refused);
  g_test_add_func ("/http-client/cancelled-on-server", test_cancelled_on_server);
  g_test_add_func ("/http-client/task-inputs", test_task_inputs);

  return g_test_run ();
}
