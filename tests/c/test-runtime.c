/* test-runtime.c: the prefect.runtime equivalent (layer 5)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every row of SEMANTICS.md section 2's table and every mock rule. The
 * process runs with PREFECT_HOME in a temporary directory and without any
 * PREFECT_* variable of the caller's environment.
 */
#include <string.h>

#include <glib/gstdio.h>
#include <prefectctx.h>

#define FLOW_RUN_ID "11111111-1111-4111-8111-111111111111"
#define FLOW_ID "22222222-2222-4222-8222-222222222222"
#define TASK_RUN_ID "33333333-3333-4333-8333-333333333333"
#define PARENT_TASK_RUN_ID "44444444-4444-4444-8444-444444444444"
#define PARENT_FLOW_RUN_ID "55555555-5555-4555-8555-555555555555"
#define DEPLOYMENT_ID "66666666-6666-4666-8666-666666666666"
#define ENV_FLOW_RUN_ID "77777777-7777-4777-8777-777777777777"

static const char * const flow_run_attributes[] = {
  "api_url", "flow_name", "flow_version", "id", "job_variables", "name", "parameters",
  "parent_deployment_id", "parent_flow_run_id", "root_flow_run_id", "run_count",
  "scheduled_start_time", "tags", "ui_url", NULL
};
static const char * const task_run_attributes[] = {
  "api_url", "id", "name", "parameters", "run_count", "tags", "task_name", "ui_url", NULL
};
static const char * const deployment_attributes[] = {
  "flow_run_id", "id", "name", "parameters", "version", NULL
};

/* ---------------------------------------------------------------------------
 * Helpers
 */

static GVariant *
params (const char *name,
        int         value)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, name, "i", value);
  return g_variant_dict_end (&dict);
}

static PrefectCtxFlowRun *
make_flow_run (const char *id,
               const char *parent_task_run_id,
               const char *deployment_id)
{
  const char *tags[] = { "b", "a", NULL };
  g_autoptr(GDateTime) expected = g_date_time_new_utc (2024, 5, 1, 12, 30, 0);

  return g_object_new (PREFECT_CTX_TYPE_FLOW_RUN,
                       "id", id,
                       "name", "crimson-fox",
                       "flow-id", FLOW_ID,
                       "flow-version", "run-version",
                       "tags", tags,
                       "parameters", params ("x", 1),
                       "parent-task-run-id", parent_task_run_id,
                       "deployment-id", deployment_id,
                       "run-count", 3,
                       "expected-start-time", expected,
                       NULL);
}

static PrefectCtxFlowRunContext *
enter_flow (PrefectCtxFlow    *flow,
            PrefectCtxFlowRun *flow_run,
            GVariant          *parameters)
{
  g_autoptr(GError) error = NULL;
  PrefectCtxFlowRunContext *ctx = prefect_ctx_flow_run_context_new (flow, flow_run, parameters);

  prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (ctx), &error);
  g_assert_no_error (error);
  return ctx;
}

static PrefectCtxTaskRunContext *
enter_task (const char *task_run_id,
            const char *flow_run_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("my-task");
  const char *tags[] = { "t2", "t1", NULL };
  g_autoptr(PrefectCtxTaskRun) task_run = g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                                                        "id", task_run_id,
                                                        "name", "my-task-0",
                                                        "flow-run-id", flow_run_id,
                                                        "tags", tags,
                                                        "run-count", 2,
                                                        NULL);
  PrefectCtxTaskRunContext *ctx = prefect_ctx_task_run_context_new (task, task_run, params ("y", 2));

  prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (ctx), &error);
  g_assert_no_error (error);
  return ctx;
}

static void
leave (gpointer ctx)
{
  g_autoptr(GError) error = NULL;

  prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (ctx), &error);
  g_assert_no_error (error);
  g_object_unref (ctx);
}

/* Enters a settings context whose API and UI URLs are given. */
static PrefectCtxSettingsContext *
enter_settings (const char *api_url,
                const char *ui_url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) updates = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(PrefectCtxSettings) base = prefect_ctx_settings_new_from_environment ();
  g_autoptr(PrefectCtxSettings) settings = NULL;
  g_autoptr(PrefectCtxProfile) profile = NULL;
  PrefectCtxSettingsContext *ctx;

  g_hash_table_insert (updates, "PREFECT_API_URL", (gpointer) api_url);
  g_hash_table_insert (updates, "PREFECT_UI_URL", (gpointer) ui_url);
  settings = prefect_ctx_settings_copy_with_update (base, updates, &error);
  g_assert_no_error (error);
  profile = prefect_ctx_profile_new ("test", NULL, NULL, &error);
  g_assert_no_error (error);

  ctx = prefect_ctx_settings_context_new (profile, settings);
  prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (ctx), &error);
  g_assert_no_error (error);
  return ctx;
}

static GVariant *
get_ok (const char *module,
        const char *attribute)
{
  g_autoptr(GError) error = NULL;
  GVariant *value = prefect_ctx_runtime_get (module, attribute, &error);

  g_assert_no_error (error);
  if (value != NULL)
    g_assert_false (g_variant_is_floating (value));
  return value;
}

static void
assert_none (const char *module,
             const char *attribute)
{
  g_autoptr(GVariant) value = get_ok (module, attribute);

  if (value != NULL)
    g_error ("%s.%s: expected None, got %s", module, attribute, g_variant_print (value, TRUE));
}

/* The attribute needs a record that the store cannot give: an error naming
 * it, as Prefect raises. */
static void
assert_read_error (const char *module,
                   const char *attribute,
                   const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = prefect_ctx_runtime_get (module, attribute, &error);

  g_assert_null (value);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, message);
}

static void
assert_str (const char *module,
            const char *attribute,
            const char *expected)
{
  g_autoptr(GVariant) value = get_ok (module, attribute);

  g_assert_nonnull (value);
  g_assert_cmpstr (g_variant_get_type_string (value), ==, "s");
  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, expected);
}

static void
assert_int (const char *module,
            const char *attribute,
            int         expected)
{
  g_autoptr(GVariant) value = get_ok (module, attribute);

  g_assert_nonnull (value);
  g_assert_cmpstr (g_variant_get_type_string (value), ==, "i");
  g_assert_cmpint (g_variant_get_int32 (value), ==, expected);
}

/* @expected: the printed list, such as "['a', 'b']" */
static void
assert_list (const char *module,
             const char *attribute,
             const char *expected)
{
  g_autoptr(GVariant) value = get_ok (module, attribute);
  g_autofree char *printed = NULL;

  g_assert_nonnull (value);
  g_assert_cmpstr (g_variant_get_type_string (value), ==, "as");
  printed = g_variant_print (value, FALSE);
  g_assert_cmpstr (printed, ==, expected);
}

/* @expected: the printed dictionary, such as "{'x': <1>}" */
static void
assert_dict (const char *module,
             const char *attribute,
             const char *expected)
{
  g_autoptr(GVariant) value = get_ok (module, attribute);
  g_autofree char *printed = NULL;

  g_assert_nonnull (value);
  g_assert_cmpstr (g_variant_get_type_string (value), ==, "a{sv}");
  printed = g_variant_print (value, FALSE);
  g_assert_cmpstr (printed, ==, expected);
}

/* A datetime attribute: an ISO 8601 string in UTC. */
static GDateTime *
get_datetime (const char *module,
              const char *attribute)
{
  g_autoptr(GVariant) value = get_ok (module, attribute);
  const char *text;

  g_assert_nonnull (value);
  g_assert_cmpstr (g_variant_get_type_string (value), ==, "s");
  text = g_variant_get_string (value, NULL);
  g_assert_true (g_str_has_suffix (text, "Z"));
  return g_date_time_new_from_iso8601 (text, NULL);
}

static void
assert_error (const char *module,
              const char *attribute,
              int         code,
              const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = prefect_ctx_runtime_get (module, attribute, &error);

  g_assert_null (value);
  g_assert_error (error, PREFECT_CTX_ERROR, code);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

static void
assert_now (GDateTime *datetime)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan diff = g_date_time_difference (now, datetime);

  g_assert_nonnull (datetime);
  g_assert_cmpint (g_date_time_get_utc_offset (datetime), ==, 0);
  g_assert_cmpint (diff, >=, 0);
  g_assert_cmpint (diff, <, 60 * G_TIME_SPAN_SECOND);
}

static const char mock_message[] =
  "This runtime context attribute cannot be mocked using an environment variable. "
  "Please use monkeypatch instead.";

/* ---------------------------------------------------------------------------
 * Tests
 */

static void
test_modules (void)
{
  const char * const *modules = prefect_ctx_runtime_list_modules ();
  const char * const expected_modules[] = { "deployment", "flow_run", "task_run", NULL };

  g_assert_true (g_strv_equal ((const char **) modules, (const char **) expected_modules));
  g_assert_true (g_strv_equal ((const char **) prefect_ctx_runtime_list_attributes ("flow_run"),
                               (const char **) flow_run_attributes));
  g_assert_true (g_strv_equal ((const char **) prefect_ctx_runtime_list_attributes ("task_run"),
                               (const char **) task_run_attributes));
  g_assert_true (g_strv_equal ((const char **) prefect_ctx_runtime_list_attributes ("deployment"),
                               (const char **) deployment_attributes));
  g_assert_null (prefect_ctx_runtime_list_attributes ("flow"));

  g_assert_cmpstr (prefect_ctx_runtime_get_attribute_type ("flow_run", "id"), ==, "str");
  g_assert_cmpstr (prefect_ctx_runtime_get_attribute_type ("flow_run", "tags"), ==, "list");
  g_assert_cmpstr (prefect_ctx_runtime_get_attribute_type ("flow_run", "parameters"), ==, "dict");
  g_assert_cmpstr (prefect_ctx_runtime_get_attribute_type ("flow_run", "job_variables"), ==, "dict");
  g_assert_cmpstr (prefect_ctx_runtime_get_attribute_type ("flow_run", "run_count"), ==, "int");
  g_assert_cmpstr (prefect_ctx_runtime_get_attribute_type ("flow_run", "scheduled_start_time"), ==, "datetime");
  g_assert_cmpstr (prefect_ctx_runtime_get_attribute_type ("task_run", "run_count"), ==, "int");
  g_assert_cmpstr (prefect_ctx_runtime_get_attribute_type ("deployment", "parameters"), ==, "dict");
  g_assert_null (prefect_ctx_runtime_get_attribute_type ("flow_run", "nope"));
  g_assert_null (prefect_ctx_runtime_get_attribute_type ("nope", "id"));

  /* Every listed attribute can be read and has a type. */
  for (guint m = 0; modules[m] != NULL; m++)
    {
      const char * const *names = prefect_ctx_runtime_list_attributes (modules[m]);

      for (guint i = 0; names[i] != NULL; i++)
        {
          g_autoptr(GVariant) value = get_ok (modules[m], names[i]);

          g_assert_nonnull (prefect_ctx_runtime_get_attribute_type (modules[m], names[i]));
        }
    }
}

static void
test_empty_values (void)
{
  g_autoptr(GDateTime) start = NULL;

  /* flow_run */
  assert_none ("flow_run", "id");
  assert_list ("flow_run", "tags", "[]");
  start = get_datetime ("flow_run", "scheduled_start_time");
  assert_now (start);
  assert_none ("flow_run", "name");
  assert_none ("flow_run", "flow_name");
  assert_none ("flow_run", "flow_version");
  assert_dict ("flow_run", "parameters", "{}");
  assert_none ("flow_run", "parent_flow_run_id");
  assert_none ("flow_run", "parent_deployment_id");
  assert_none ("flow_run", "root_flow_run_id");
  assert_int ("flow_run", "run_count", 0);
  assert_none ("flow_run", "api_url");
  assert_none ("flow_run", "ui_url");
  assert_none ("flow_run", "job_variables");

  /* task_run */
  assert_none ("task_run", "id");
  assert_none ("task_run", "name");
  assert_list ("task_run", "tags", "[]");
  assert_dict ("task_run", "parameters", "{}");
  assert_int ("task_run", "run_count", 0);
  assert_none ("task_run", "task_name");
  assert_none ("task_run", "api_url");
  assert_none ("task_run", "ui_url");

  /* deployment */
  assert_none ("deployment", "id");
  assert_none ("deployment", "flow_run_id");
  assert_none ("deployment", "name");
  assert_none ("deployment", "version");
  assert_dict ("deployment", "parameters", "{}");
}

static void
test_flow_run_from_context (void)
{
  g_autoptr(PrefectCtxFlow) flow = g_object_new (PREFECT_CTX_TYPE_FLOW,
                                                 "name", "my-flow",
                                                 "version", "flow-version",
                                                 NULL);
  g_autoptr(PrefectCtxFlowRun) flow_run = make_flow_run (FLOW_RUN_ID, NULL, DEPLOYMENT_ID);
  PrefectCtxFlowRunContext *ctx = enter_flow (flow, flow_run, params ("p", 7));
  PrefectCtxSettingsContext *settings = enter_settings ("http://api.test/api", "http://ui.test");
  g_autoptr(GDateTime) start = NULL;

  assert_str ("flow_run", "id", FLOW_RUN_ID);
  assert_list ("flow_run", "tags", "['a', 'b']");
  start = get_datetime ("flow_run", "scheduled_start_time");
  g_assert_cmpint (g_date_time_to_unix (start), ==, 1714566600);  /* 2024-05-01T12:30:00Z */
  assert_str ("flow_run", "name", "crimson-fox");
  assert_str ("flow_run", "flow_name", "my-flow");
  assert_str ("flow_run", "flow_version", "flow-version");
  /* The context's parameters, not the flow run record's. */
  assert_dict ("flow_run", "parameters", "{'p': <7>}");
  assert_none ("flow_run", "parent_flow_run_id");
  assert_none ("flow_run", "parent_deployment_id");
  assert_str ("flow_run", "root_flow_run_id", FLOW_RUN_ID);
  assert_int ("flow_run", "run_count", 3);
  assert_str ("flow_run", "api_url", "http://api.test/api/flow-runs/flow-run/" FLOW_RUN_ID);
  assert_str ("flow_run", "ui_url", "http://ui.test/flow-runs/flow-run/" FLOW_RUN_ID);
  assert_none ("flow_run", "job_variables");

  /* The task_run module sees no task run. */
  assert_none ("task_run", "id");

  leave (settings);
  leave (ctx);

  /* Nothing is left behind. */
  assert_none ("flow_run", "id");
  assert_none ("flow_run", "name");
}

static void
test_flow_run_partial_context (void)
{
  g_autoptr(PrefectCtxFlowRun) flow_run = make_flow_run (FLOW_RUN_ID, NULL, NULL);
  g_autoptr(PrefectCtxFlowRun) bare = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "id", FLOW_RUN_ID, NULL);
  PrefectCtxFlowRunContext *ctx;
  g_autoptr(GDateTime) start = NULL;

  /* Without a flow: the flow run's flow_version; the flow name needs the API. */
  ctx = enter_flow (NULL, flow_run, NULL);
  assert_none ("flow_run", "flow_name");
  assert_str ("flow_run", "flow_version", "run-version");
  assert_dict ("flow_run", "parameters", "{}");
  leave (ctx);

  /* A flow run without an expected start time: now. */
  ctx = enter_flow (NULL, bare, NULL);
  start = get_datetime ("flow_run", "scheduled_start_time");
  assert_now (start);
  assert_list ("flow_run", "tags", "[]");
  assert_none ("flow_run", "name");
  assert_int ("flow_run", "run_count", 0);
  leave (ctx);

  /* A flow context without a flow run: the id comes from the next source. */
  ctx = enter_flow (NULL, NULL, params ("q", 1));
  assert_none ("flow_run", "id");
  assert_dict ("flow_run", "parameters", "{'q': <1>}");
  g_setenv ("PREFECT__FLOW_RUN_ID", ENV_FLOW_RUN_ID, TRUE);
  assert_str ("flow_run", "id", ENV_FLOW_RUN_ID);
  g_unsetenv ("PREFECT__FLOW_RUN_ID");
  leave (ctx);
}

static void
test_flow_run_id_sources (void)
{
  g_autoptr(PrefectCtxFlowRun) flow_run = make_flow_run (FLOW_RUN_ID, NULL, NULL);
  PrefectCtxFlowRunContext *flow_ctx;
  PrefectCtxTaskRunContext *task_ctx;
  g_autoptr(GDateTime) start = NULL;

  /* The environment alone. */
  g_setenv ("PREFECT__FLOW_RUN_ID", ENV_FLOW_RUN_ID, TRUE);
  assert_str ("flow_run", "id", ENV_FLOW_RUN_ID);
  /* The rest needs the run from the store, which does not know this ID: a
   * misconfiguration, reported as Prefect raises it (None means no run). */
  assert_read_error ("flow_run", "root_flow_run_id", "Cannot read the flow run " ENV_FLOW_RUN_ID
                     " of prefect.runtime: Flow run not found");
  assert_read_error ("flow_run", "name", "Cannot read the flow run " ENV_FLOW_RUN_ID
                     " of prefect.runtime: Flow run not found");
  assert_read_error ("flow_run", "tags", "Cannot read the flow run " ENV_FLOW_RUN_ID
                     " of prefect.runtime: Flow run not found");
  /* The typed getters have no error to give: their defaults. */
  g_assert_null (prefect_ctx_runtime_flow_run_get_name ());
  g_assert_cmpint (prefect_ctx_runtime_flow_run_get_run_count (), ==, 0);
  (void) start;
  /* The task_run module does not read the environment. */
  assert_none ("task_run", "id");

  /* A task context wins over the environment. */
  task_ctx = enter_task (TASK_RUN_ID, PARENT_FLOW_RUN_ID);
  assert_str ("flow_run", "id", PARENT_FLOW_RUN_ID);

  /* A flow context wins over both. */
  flow_ctx = enter_flow (NULL, flow_run, NULL);
  assert_str ("flow_run", "id", FLOW_RUN_ID);
  leave (flow_ctx);

  assert_str ("flow_run", "id", PARENT_FLOW_RUN_ID);
  leave (task_ctx);

  assert_str ("flow_run", "id", ENV_FLOW_RUN_ID);
  g_setenv ("PREFECT__FLOW_RUN_ID", "", TRUE);
  assert_none ("flow_run", "id");
  g_unsetenv ("PREFECT__FLOW_RUN_ID");
  assert_none ("flow_run", "id");
}

static void
test_flow_run_parent (void)
{
  g_autoptr(PrefectCtxFlowRun) subflow_run = make_flow_run (FLOW_RUN_ID, PARENT_TASK_RUN_ID, NULL);
  PrefectCtxFlowRunContext *flow_ctx;
  PrefectCtxTaskRunContext *task_ctx;

  /* The parent task run is unknown without the API. */
  flow_ctx = enter_flow (NULL, subflow_run, NULL);
  assert_none ("flow_run", "parent_flow_run_id");
  assert_none ("flow_run", "parent_deployment_id");
  assert_str ("flow_run", "root_flow_run_id", FLOW_RUN_ID);
  leave (flow_ctx);

  /* A subflow running inside its parent task run: the task context tells
   * the parent flow run. */
  task_ctx = enter_task (PARENT_TASK_RUN_ID, PARENT_FLOW_RUN_ID);
  flow_ctx = enter_flow (NULL, subflow_run, NULL);
  assert_str ("flow_run", "id", FLOW_RUN_ID);
  assert_str ("flow_run", "parent_flow_run_id", PARENT_FLOW_RUN_ID);
  /* The parent's deployment and the walk further up need the API. */
  assert_none ("flow_run", "parent_deployment_id");
  assert_str ("flow_run", "root_flow_run_id", PARENT_FLOW_RUN_ID);
  leave (flow_ctx);
  leave (task_ctx);

  /* Another task run is not the parent. */
  task_ctx = enter_task (TASK_RUN_ID, PARENT_FLOW_RUN_ID);
  flow_ctx = enter_flow (NULL, subflow_run, NULL);
  assert_none ("flow_run", "parent_flow_run_id");
  leave (flow_ctx);
  leave (task_ctx);
}

static void
test_flow_run_urls (void)
{
  g_autoptr(PrefectCtxFlowRun) flow_run = make_flow_run (FLOW_RUN_ID, NULL, NULL);
  PrefectCtxSettingsContext *settings;
  PrefectCtxFlowRunContext *ctx;

  /* Without an id: None, even with the settings. */
  settings = enter_settings ("http://api.test/api", "http://ui.test");
  assert_none ("flow_run", "api_url");
  assert_none ("flow_run", "ui_url");
  /* The id from the environment is enough. */
  g_setenv ("PREFECT__FLOW_RUN_ID", ENV_FLOW_RUN_ID, TRUE);
  assert_str ("flow_run", "api_url", "http://api.test/api/flow-runs/flow-run/" ENV_FLOW_RUN_ID);
  assert_str ("flow_run", "ui_url", "http://ui.test/flow-runs/flow-run/" ENV_FLOW_RUN_ID);
  g_unsetenv ("PREFECT__FLOW_RUN_ID");
  leave (settings);

  /* Without the settings: None. */
  ctx = enter_flow (NULL, flow_run, NULL);
  settings = enter_settings (NULL, NULL);
  assert_none ("flow_run", "api_url");
  assert_none ("flow_run", "ui_url");
  leave (settings);

  /* Only the API URL. */
  settings = enter_settings ("http://127.0.0.1:4200/api", NULL);
  assert_str ("flow_run", "api_url", "http://127.0.0.1:4200/api/flow-runs/flow-run/" FLOW_RUN_ID);
  leave (settings);
  leave (ctx);
}

static void
test_task_run_from_context (void)
{
  PrefectCtxTaskRunContext *ctx = enter_task (TASK_RUN_ID, FLOW_RUN_ID);
  PrefectCtxSettingsContext *settings;

  assert_str ("task_run", "id", TASK_RUN_ID);
  assert_str ("task_run", "name", "my-task-0");
  assert_list ("task_run", "tags", "['t1', 't2']");
  assert_dict ("task_run", "parameters", "{'y': <2>}");
  assert_int ("task_run", "run_count", 2);
  assert_str ("task_run", "task_name", "my-task");
  assert_none ("task_run", "api_url");
  assert_none ("task_run", "ui_url");

  settings = enter_settings ("http://api.test/api", "http://ui.test");
  assert_str ("task_run", "api_url", "http://api.test/api/runs/task-run/" TASK_RUN_ID);
  assert_str ("task_run", "ui_url", "http://ui.test/runs/task-run/" TASK_RUN_ID);
  leave (settings);

  leave (ctx);
  assert_none ("task_run", "id");
  assert_int ("task_run", "run_count", 0);
}

static void
test_deployment (void)
{
  g_autoptr(PrefectCtxFlowRun) deployed = make_flow_run (FLOW_RUN_ID, NULL, DEPLOYMENT_ID);
  g_autoptr(PrefectCtxFlowRun) local = make_flow_run (FLOW_RUN_ID, NULL, NULL);
  PrefectCtxFlowRunContext *flow_ctx;
  PrefectCtxTaskRunContext *task_ctx;

  flow_ctx = enter_flow (NULL, deployed, params ("p", 7));
  assert_str ("deployment", "id", DEPLOYMENT_ID);
  assert_str ("deployment", "flow_run_id", FLOW_RUN_ID);
  /* Name and version are read from the API. */
  assert_none ("deployment", "name");
  assert_none ("deployment", "version");
  /* The flow run record's parameters, as the API has them. */
  assert_dict ("deployment", "parameters", "{'x': <1>}");
  leave (flow_ctx);

  /* A flow run without a deployment. */
  flow_ctx = enter_flow (NULL, local, NULL);
  assert_none ("deployment", "id");
  assert_str ("deployment", "flow_run_id", FLOW_RUN_ID);
  leave (flow_ctx);

  /* deployment.flow_run_id does not look at the task context... */
  task_ctx = enter_task (TASK_RUN_ID, PARENT_FLOW_RUN_ID);
  assert_none ("deployment", "flow_run_id");
  /* ...but reads PREFECT__FLOW_RUN_ID. */
  g_setenv ("PREFECT__FLOW_RUN_ID", ENV_FLOW_RUN_ID, TRUE);
  assert_str ("deployment", "flow_run_id", ENV_FLOW_RUN_ID);
  assert_none ("deployment", "id");
  assert_dict ("deployment", "parameters", "{}");
  g_unsetenv ("PREFECT__FLOW_RUN_ID");
  leave (task_ctx);
}

/* In a subflow of a deployment's flow run, deployment.id and
 * deployment.parameters are the root deployment run's, as Prefect 3.6
 * keeps them for nested flows; found through the store, from the
 * subflow's parent task run. */
static void
test_deployment_nested (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxClient) client = PREFECT_CTX_CLIENT (prefect_ctx_local_client_new (PREFECT_CTX_LOCAL_CLIENT_MEMORY,
                                                                                         &error));
  g_autoptr(PrefectCtxFlow) draft = prefect_ctx_flow_new ("root");
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_client_create_flow (client, draft, NULL, &error);
  g_autoptr(PrefectCtxFlowRun) root_draft = NULL;
  g_autoptr(PrefectCtxFlowRun) root = NULL;
  g_autoptr(PrefectCtxTaskRun) parent_draft = NULL;
  g_autoptr(PrefectCtxTaskRun) parent = NULL;
  g_autoptr(PrefectCtxFlowRun) sub_draft = NULL;
  g_autoptr(PrefectCtxFlowRun) sub = NULL;
  PrefectCtxFlowRunContext *ctx;

  g_assert_no_error (error);
  root_draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "flow-id", prefect_ctx_flow_get_id (flow),
                             "name", "root-run", "deployment-id", DEPLOYMENT_ID,
                             "parameters", params ("region", 4), NULL);
  root = prefect_ctx_client_create_flow_run (client, root_draft, NULL, &error);
  g_assert_no_error (error);
  parent_draft = g_object_new (PREFECT_CTX_TYPE_TASK_RUN, "flow-run-id", prefect_ctx_flow_run_get_id (root),
                               "task-key", "child", "dynamic-key", "0", "name", "odd-owl", NULL);
  parent = prefect_ctx_client_create_task_run (client, parent_draft, NULL, &error);
  g_assert_no_error (error);
  sub_draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "flow-id", prefect_ctx_flow_get_id (flow),
                            "name", "sub-run", "parent-task-run-id", prefect_ctx_task_run_get_id (parent),
                            "parameters", params ("day", 1), NULL);
  sub = prefect_ctx_client_create_flow_run (client, sub_draft, NULL, &error);
  g_assert_no_error (error);

  ctx = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN_CONTEXT, "flow-run", sub, "client", client, NULL);
  prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (ctx), &error);
  g_assert_no_error (error);
  assert_str ("deployment", "id", DEPLOYMENT_ID);
  assert_dict ("deployment", "parameters", "{'region': <int64 4>}");
  /* The flow run's own ID stays the subflow's. */
  assert_str ("deployment", "flow_run_id", prefect_ctx_flow_run_get_id (sub));
  leave (ctx);
}

static void
test_unknown (void)
{
  assert_error ("flow_run", "nope", PREFECT_CTX_ERROR_NOT_FOUND,
                "prefect.runtime.flow_run has no attribute 'nope'");
  assert_error ("task_run", "fake_key", PREFECT_CTX_ERROR_NOT_FOUND,
                "prefect.runtime.task_run has no attribute 'fake_key'");
  assert_error ("deployment", "flow_name", PREFECT_CTX_ERROR_NOT_FOUND,
                "prefect.runtime.deployment has no attribute 'flow_name'");
  /* Names are case-sensitive. */
  assert_error ("flow_run", "ID", PREFECT_CTX_ERROR_NOT_FOUND,
                "prefect.runtime.flow_run has no attribute 'ID'");
  assert_error ("flow", "id", PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                "No module named 'prefect.runtime.flow': the runtime modules are "
                "deployment, flow_run and task_run");
  assert_error ("flow_run", "\xff", PREFECT_CTX_ERROR_INVALID_ARGUMENT, NULL);
}

static void
test_mock_unknown_attribute (void)
{
  g_setenv ("PREFECT__RUNTIME__TASK_RUN__FAKE_KEY", "foo", TRUE);
  assert_str ("task_run", "fake_key", "foo");
  /* The key is upper-cased for the variable. */
  assert_str ("task_run", "Fake_Key", "foo");
  /* Per module. */
  assert_error ("flow_run", "fake_key", PREFECT_CTX_ERROR_NOT_FOUND, NULL);
  g_unsetenv ("PREFECT__RUNTIME__TASK_RUN__FAKE_KEY");
  assert_error ("task_run", "fake_key", PREFECT_CTX_ERROR_NOT_FOUND,
                "prefect.runtime.task_run has no attribute 'fake_key'");

  g_setenv ("PREFECT__RUNTIME__FLOW_RUN__NEW_THING", "", TRUE);
  assert_str ("flow_run", "new_thing", "");
  g_unsetenv ("PREFECT__RUNTIME__FLOW_RUN__NEW_THING");

  g_setenv ("PREFECT__RUNTIME__DEPLOYMENT__OWNER", "ops", TRUE);
  assert_str ("deployment", "owner", "ops");
  g_unsetenv ("PREFECT__RUNTIME__DEPLOYMENT__OWNER");
}

static void
test_mock_strings (void)
{
  g_autoptr(PrefectCtxFlowRun) flow_run = make_flow_run (FLOW_RUN_ID, NULL, NULL);
  PrefectCtxFlowRunContext *ctx;

  /* A None value: the string as it is. */
  g_setenv ("PREFECT__RUNTIME__FLOW_RUN__NAME", "mocked-name", TRUE);
  g_setenv ("PREFECT__RUNTIME__FLOW_RUN__ID", "mocked-id", TRUE);
  g_setenv ("PREFECT__RUNTIME__TASK_RUN__ID", "mocked-task-id", TRUE);
  g_setenv ("PREFECT__RUNTIME__DEPLOYMENT__NAME", "mocked-deployment", TRUE);
  g_setenv ("PREFECT__RUNTIME__DEPLOYMENT__VERSION", "v9", TRUE);
  assert_str ("flow_run", "name", "mocked-name");
  assert_str ("flow_run", "id", "mocked-id");
  assert_str ("task_run", "id", "mocked-task-id");
  assert_str ("deployment", "name", "mocked-deployment");
  assert_str ("deployment", "version", "v9");

  /* A str value: replaced. */
  ctx = enter_flow (NULL, flow_run, NULL);
  assert_str ("flow_run", "name", "mocked-name");
  assert_str ("flow_run", "id", "mocked-id");
  /* Other attributes use the real values, not the mocked id. */
  assert_str ("flow_run", "root_flow_run_id", FLOW_RUN_ID);
  leave (ctx);

  /* Read at each access. */
  g_unsetenv ("PREFECT__RUNTIME__FLOW_RUN__NAME");
  assert_none ("flow_run", "name");
  g_unsetenv ("PREFECT__RUNTIME__FLOW_RUN__ID");
  g_unsetenv ("PREFECT__RUNTIME__TASK_RUN__ID");
  g_unsetenv ("PREFECT__RUNTIME__DEPLOYMENT__NAME");
  g_unsetenv ("PREFECT__RUNTIME__DEPLOYMENT__VERSION");
  assert_none ("flow_run", "id");

  /* job_variables is None outside a flow run: a mock is a string, as in
   * Prefect, where the cast follows the type of the real value. */
  g_setenv ("PREFECT__RUNTIME__FLOW_RUN__JOB_VARIABLES", "{}", TRUE);
  assert_str ("flow_run", "job_variables", "{}");
  g_unsetenv ("PREFECT__RUNTIME__FLOW_RUN__JOB_VARIABLES");
}

static void
test_mock_int (void)
{
  PrefectCtxTaskRunContext *ctx;

  g_setenv ("PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT", "42", TRUE);
  assert_int ("flow_run", "run_count", 42);
  g_setenv ("PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT", " -7 ", TRUE);
  assert_int ("flow_run", "run_count", -7);
  g_setenv ("PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT", "+5", TRUE);
  assert_int ("flow_run", "run_count", 5);

  g_setenv ("PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT", "abc", TRUE);
  assert_error ("flow_run", "run_count", PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                "The environment variable PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT does not hold "
                "a valid int: 'abc'");
  g_setenv ("PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT", "1.5", TRUE);
  assert_error ("flow_run", "run_count", PREFECT_CTX_ERROR_INVALID_ARGUMENT, NULL);
  g_setenv ("PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT", "", TRUE);
  assert_error ("flow_run", "run_count", PREFECT_CTX_ERROR_INVALID_ARGUMENT, NULL);
  g_setenv ("PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT", "99999999999", TRUE);
  assert_error ("flow_run", "run_count", PREFECT_CTX_ERROR_INVALID_ARGUMENT, NULL);
  g_unsetenv ("PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT");
  assert_int ("flow_run", "run_count", 0);

  /* task_run.run_count, with a real value. */
  ctx = enter_task (TASK_RUN_ID, FLOW_RUN_ID);
  assert_int ("task_run", "run_count", 2);
  g_setenv ("PREFECT__RUNTIME__TASK_RUN__RUN_COUNT", "9", TRUE);
  assert_int ("task_run", "run_count", 9);
  g_setenv ("PREFECT__RUNTIME__TASK_RUN__RUN_COUNT", "nine", TRUE);
  assert_error ("task_run", "run_count", PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                "The environment variable PREFECT__RUNTIME__TASK_RUN__RUN_COUNT does not hold "
                "a valid int: 'nine'");
  g_unsetenv ("PREFECT__RUNTIME__TASK_RUN__RUN_COUNT");
  leave (ctx);
}

static void
test_mock_datetime (void)
{
  const char *key = "PREFECT__RUNTIME__FLOW_RUN__SCHEDULED_START_TIME";
  const struct { const char *mock; const char *expected; } cases[] = {
    /* naive: UTC */
    { "2024-01-02T03:04:05", "2024-01-02T03:04:05Z" },
    { "2024-01-02 03:04:05", "2024-01-02T03:04:05Z" },
    { "2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z" },
    { "2024-01-02T03:04:05.250000", "2024-01-02T03:04:05.250000Z" },
    /* with an offset: the same instant, in UTC */
    { "2024-01-02T03:04:05+02:00", "2024-01-02T01:04:05Z" },
    /* a date: midnight UTC */
    { "2024-01-02", "2024-01-02T00:00:00Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_setenv (key, cases[i].mock, TRUE);
      assert_str ("flow_run", "scheduled_start_time", cases[i].expected);
    }

  g_setenv (key, "yesterday", TRUE);
  assert_error ("flow_run", "scheduled_start_time", PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                "The environment variable PREFECT__RUNTIME__FLOW_RUN__SCHEDULED_START_TIME "
                "does not hold a valid datetime: 'yesterday'");
  g_setenv (key, "2024-13-40T00:00:00", TRUE);
  assert_error ("flow_run", "scheduled_start_time", PREFECT_CTX_ERROR_INVALID_ARGUMENT, NULL);
  g_unsetenv (key);
}

static void
test_mock_list_and_dict (void)
{
  const struct { const char *module; const char *attribute; const char *key; } cases[] = {
    { "flow_run", "tags", "PREFECT__RUNTIME__FLOW_RUN__TAGS" },
    { "flow_run", "parameters", "PREFECT__RUNTIME__FLOW_RUN__PARAMETERS" },
    { "task_run", "tags", "PREFECT__RUNTIME__TASK_RUN__TAGS" },
    { "task_run", "parameters", "PREFECT__RUNTIME__TASK_RUN__PARAMETERS" },
    { "deployment", "parameters", "PREFECT__RUNTIME__DEPLOYMENT__PARAMETERS" },
  };
  PrefectCtxTaskRunContext *ctx = enter_task (TASK_RUN_ID, FLOW_RUN_ID);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_setenv (cases[i].key, "a,b", TRUE);
      assert_error (cases[i].module, cases[i].attribute, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                    mock_message);
      g_unsetenv (cases[i].key);
      {
        g_autoptr(GVariant) real = get_ok (cases[i].module, cases[i].attribute);

        g_assert_nonnull (real);
      }
    }

  leave (ctx);

  /* Empty lists and dictionaries too. */
  g_setenv ("PREFECT__RUNTIME__FLOW_RUN__TAGS", "", TRUE);
  assert_error ("flow_run", "tags", PREFECT_CTX_ERROR_INVALID_ARGUMENT, mock_message);
  g_unsetenv ("PREFECT__RUNTIME__FLOW_RUN__TAGS");
}

static void
test_conveniences (void)
{
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("my-flow");
  g_autoptr(PrefectCtxFlowRun) flow_run = make_flow_run (FLOW_RUN_ID, NULL, DEPLOYMENT_ID);
  PrefectCtxFlowRunContext *flow_ctx;
  PrefectCtxTaskRunContext *task_ctx;
  PrefectCtxSettingsContext *settings;
  g_autofree char *s = NULL;
  g_auto(GStrv) tags = NULL;
  g_autoptr(GVariant) parameters = NULL;
  g_autoptr(GDateTime) start = NULL;

#define CHECK_STR(call, expected) \
  G_STMT_START { g_autofree char *got_ = (call); g_assert_cmpstr (got_, ==, (expected)); } G_STMT_END

  /* Outside any run. */
  CHECK_STR (prefect_ctx_runtime_flow_run_get_id (), NULL);
  tags = prefect_ctx_runtime_flow_run_get_tags ();
  g_assert_nonnull (tags);
  g_assert_cmpuint (g_strv_length (tags), ==, 0);
  g_clear_pointer (&tags, g_strfreev);
  parameters = prefect_ctx_runtime_flow_run_get_parameters ();
  g_assert_cmpuint (g_variant_n_children (parameters), ==, 0);
  g_clear_pointer (&parameters, g_variant_unref);
  start = prefect_ctx_runtime_flow_run_get_scheduled_start_time ();
  assert_now (start);
  g_clear_pointer (&start, g_date_time_unref);
  g_assert_cmpint (prefect_ctx_runtime_flow_run_get_run_count (), ==, 0);
  g_assert_null (prefect_ctx_runtime_flow_run_get_job_variables ());
  g_assert_cmpint (prefect_ctx_runtime_task_run_get_run_count (), ==, 0);
  tags = prefect_ctx_runtime_task_run_get_tags ();
  g_assert_cmpuint (g_strv_length (tags), ==, 0);
  g_clear_pointer (&tags, g_strfreev);
  parameters = prefect_ctx_runtime_deployment_get_parameters ();
  g_assert_cmpuint (g_variant_n_children (parameters), ==, 0);
  g_clear_pointer (&parameters, g_variant_unref);

  flow_ctx = enter_flow (flow, flow_run, params ("p", 7));
  task_ctx = enter_task (TASK_RUN_ID, FLOW_RUN_ID);
  settings = enter_settings ("http://api.test/api", "http://ui.test");

  CHECK_STR (prefect_ctx_runtime_flow_run_get_id (), FLOW_RUN_ID);
  CHECK_STR (prefect_ctx_runtime_flow_run_get_name (), "crimson-fox");
  CHECK_STR (prefect_ctx_runtime_flow_run_get_flow_name (), "my-flow");
  CHECK_STR (prefect_ctx_runtime_flow_run_get_flow_version (), NULL);
  CHECK_STR (prefect_ctx_runtime_flow_run_get_parent_flow_run_id (), NULL);
  CHECK_STR (prefect_ctx_runtime_flow_run_get_parent_deployment_id (), NULL);
  CHECK_STR (prefect_ctx_runtime_flow_run_get_root_flow_run_id (), FLOW_RUN_ID);
  CHECK_STR (prefect_ctx_runtime_flow_run_get_api_url (), "http://api.test/api/flow-runs/flow-run/" FLOW_RUN_ID);
  CHECK_STR (prefect_ctx_runtime_flow_run_get_ui_url (), "http://ui.test/flow-runs/flow-run/" FLOW_RUN_ID);
  g_assert_cmpint (prefect_ctx_runtime_flow_run_get_run_count (), ==, 3);
  tags = prefect_ctx_runtime_flow_run_get_tags ();
  g_assert_cmpstrv (tags, ((const char *[]) { "a", "b", NULL }));
  g_clear_pointer (&tags, g_strfreev);
  parameters = prefect_ctx_runtime_flow_run_get_parameters ();
  s = g_variant_print (parameters, FALSE);
  g_assert_cmpstr (s, ==, "{'p': <7>}");
  g_clear_pointer (&s, g_free);
  g_clear_pointer (&parameters, g_variant_unref);
  start = prefect_ctx_runtime_flow_run_get_scheduled_start_time ();
  g_assert_cmpint (g_date_time_to_unix (start), ==, 1714566600);
  g_clear_pointer (&start, g_date_time_unref);

  CHECK_STR (prefect_ctx_runtime_task_run_get_id (), TASK_RUN_ID);
  CHECK_STR (prefect_ctx_runtime_task_run_get_name (), "my-task-0");
  CHECK_STR (prefect_ctx_runtime_task_run_get_task_name (), "my-task");
  CHECK_STR (prefect_ctx_runtime_task_run_get_api_url (), "http://api.test/api/runs/task-run/" TASK_RUN_ID);
  CHECK_STR (prefect_ctx_runtime_task_run_get_ui_url (), "http://ui.test/runs/task-run/" TASK_RUN_ID);
  g_assert_cmpint (prefect_ctx_runtime_task_run_get_run_count (), ==, 2);
  tags = prefect_ctx_runtime_task_run_get_tags ();
  g_assert_cmpstrv (tags, ((const char *[]) { "t1", "t2", NULL }));
  g_clear_pointer (&tags, g_strfreev);
  parameters = prefect_ctx_runtime_task_run_get_parameters ();
  s = g_variant_print (parameters, FALSE);
  g_assert_cmpstr (s, ==, "{'y': <2>}");
  g_clear_pointer (&s, g_free);
  g_clear_pointer (&parameters, g_variant_unref);

  CHECK_STR (prefect_ctx_runtime_deployment_get_id (), DEPLOYMENT_ID);
  CHECK_STR (prefect_ctx_runtime_deployment_get_flow_run_id (), FLOW_RUN_ID);
  CHECK_STR (prefect_ctx_runtime_deployment_get_name (), NULL);
  CHECK_STR (prefect_ctx_runtime_deployment_get_version (), NULL);
  parameters = prefect_ctx_runtime_deployment_get_parameters ();
  s = g_variant_print (parameters, FALSE);
  g_assert_cmpstr (s, ==, "{'x': <1>}");
  g_clear_pointer (&s, g_free);
  g_clear_pointer (&parameters, g_variant_unref);

  /* Mocks apply to the conveniences... */
  g_setenv ("PREFECT__RUNTIME__FLOW_RUN__NAME", "mocked", TRUE);
  CHECK_STR (prefect_ctx_runtime_flow_run_get_name (), "mocked");
  g_unsetenv ("PREFECT__RUNTIME__FLOW_RUN__NAME");
  g_setenv ("PREFECT__RUNTIME__FLOW_RUN__SCHEDULED_START_TIME", "2030-01-01T00:00:00", TRUE);
  start = prefect_ctx_runtime_flow_run_get_scheduled_start_time ();
  g_assert_cmpint (g_date_time_get_year (start), ==, 2030);
  g_clear_pointer (&start, g_date_time_unref);
  g_unsetenv ("PREFECT__RUNTIME__FLOW_RUN__SCHEDULED_START_TIME");

  /* ...and one that cannot be used is a warning; the real value is kept. */
  g_setenv ("PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT", "abc", TRUE);
  g_test_expect_message ("PrefectCtx", G_LOG_LEVEL_WARNING,
                         "prefect.runtime.flow_run.run_count: The environment variable "
                         "PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT does not hold a valid int: 'abc'; "
                         "the mock is ignored");
  g_assert_cmpint (prefect_ctx_runtime_flow_run_get_run_count (), ==, 3);
  g_test_assert_expected_messages ();
  g_unsetenv ("PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT");

  g_setenv ("PREFECT__RUNTIME__TASK_RUN__TAGS", "x", TRUE);
  g_test_expect_message ("PrefectCtx", G_LOG_LEVEL_WARNING, "prefect.runtime.task_run.tags: This runtime*");
  tags = prefect_ctx_runtime_task_run_get_tags ();
  g_test_assert_expected_messages ();
  g_assert_cmpstrv (tags, ((const char *[]) { "t1", "t2", NULL }));
  g_clear_pointer (&tags, g_strfreev);
  g_unsetenv ("PREFECT__RUNTIME__TASK_RUN__TAGS");

  leave (settings);
  leave (task_ctx);
  leave (flow_ctx);
#undef CHECK_STR
}

static gpointer
read_flow_run_id (gpointer data)
{
  return prefect_ctx_runtime_flow_run_get_id ();
}

static void
snapshot_read (gpointer data)
{
  *(char **) data = prefect_ctx_runtime_flow_run_get_id ();
}

static gpointer
read_in_snapshot (gpointer data)
{
  char *id = NULL;

  prefect_ctx_snapshot_run (data, snapshot_read, &id);
  return id;
}

static void
test_threads (void)
{
  g_autoptr(PrefectCtxFlowRun) flow_run = make_flow_run (FLOW_RUN_ID, NULL, NULL);
  PrefectCtxFlowRunContext *ctx = enter_flow (NULL, flow_run, NULL);
  g_autoptr(PrefectCtxSnapshot) snapshot = prefect_ctx_snapshot_capture ();
  char *id;

  /* A new thread sees no run... */
  id = g_thread_join (g_thread_new ("runtime", read_flow_run_id, NULL));
  g_assert_null (id);

  /* ...unless the contexts are carried into it. */
  id = g_thread_join (g_thread_new ("runtime", read_in_snapshot, snapshot));
  g_assert_cmpstr (id, ==, FLOW_RUN_ID);
  g_free (id);

  leave (ctx);
}

/* ---------------------------------------------------------------------------
 * Main
 */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *tmp = NULL;
  g_autofree char *home = NULL;
  g_auto(GStrv) environ_names = NULL;
  int ret;

  /* A clean environment: no PREFECT_* of the caller's, and a temporary
   * PREFECT_HOME so the root settings context never touches the real one. */
  environ_names = g_listenv ();
  for (guint i = 0; environ_names[i] != NULL; i++)
    if (g_str_has_prefix (environ_names[i], "PREFECT_"))
      g_unsetenv (environ_names[i]);
  tmp = g_dir_make_tmp ("test-runtime-XXXXXX", NULL);
  g_assert_nonnull (tmp);
  home = g_build_filename (tmp, "home", NULL);
  g_setenv ("PREFECT_HOME", home, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/runtime/modules", test_modules);
  g_test_add_func ("/runtime/empty-values", test_empty_values);
  g_test_add_func ("/runtime/flow-run/context", test_flow_run_from_context);
  g_test_add_func ("/runtime/flow-run/partial-context", test_flow_run_partial_context);
  g_test_add_func ("/runtime/flow-run/id-sources", test_flow_run_id_sources);
  g_test_add_func ("/runtime/flow-run/parent", test_flow_run_parent);
  g_test_add_func ("/runtime/flow-run/urls", test_flow_run_urls);
  g_test_add_func ("/runtime/task-run/context", test_task_run_from_context);
  g_test_add_func ("/runtime/deployment", test_deployment);
  g_test_add_func ("/runtime/deployment/nested", test_deployment_nested);
  g_test_add_func ("/runtime/unknown", test_unknown);
  g_test_add_func ("/runtime/mock/unknown-attribute", test_mock_unknown_attribute);
  g_test_add_func ("/runtime/mock/strings", test_mock_strings);
  g_test_add_func ("/runtime/mock/int", test_mock_int);
  g_test_add_func ("/runtime/mock/datetime", test_mock_datetime);
  g_test_add_func ("/runtime/mock/list-and-dict", test_mock_list_and_dict);
  g_test_add_func ("/runtime/conveniences", test_conveniences);
  g_test_add_func ("/runtime/threads/snapshot", test_threads);

  ret = g_test_run ();

  remove_tree (tmp);
  return ret;
}
