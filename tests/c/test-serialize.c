/* test-serialize.c: contexts carried to other processes as JSON
 * (prefect_ctx_snapshot_to_json (), prefect_ctx_hydrate_contexts (),
 * prefect_ctx_snapshot_new_from_json ())
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The last test runs this program again as a worker process
 * (`--hydrate-worker STORE`): it reads a serialized context on its standard
 * input, hydrates it and calls a task under it, on the same file store.
 */
#include <string.h>

#include <glib/gstdio.h>

#include <json-glib/json-glib.h>
#include <prefectctx.h>

#define FLOW_RUN_ID "1c0e6f5e-0000-4000-8000-000000000001"
#define TASK_RUN_ID "1c0e6f5e-0000-4000-8000-000000000002"
#define DEPLOYMENT_ID "1c0e6f5e-0000-4000-8000-00000000000d"

static char *test_home;
static const char *program;

static GVariant *
parameters (gint64 x)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_variant_dict_insert (&dict, "x", "x", x);
  g_variant_dict_insert (&dict, "who", "s", "world");
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *json)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

/* Every context of the serialized kinds, entered on this thread. */
typedef struct
{
  PrefectCtxContext *contexts[5];
} Entered;

static void
enter_everything (Entered *entered)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlow) flow = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "etl", "version", "7", NULL);
  g_autoptr(GVariant) params = parameters (42);
  g_autoptr(PrefectCtxFlowRun) flow_run = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN,
                                                        "id", FLOW_RUN_ID,
                                                        "name", "tidy-jaguar",
                                                        "deployment-id", DEPLOYMENT_ID,
                                                        "parameters", params,
                                                        NULL);
  g_autoptr(PrefectCtxTask) task = g_object_new (PREFECT_CTX_TYPE_TASK, "name", "load", "retries", 2, NULL);
  g_autoptr(PrefectCtxTaskRun) task_run = g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                                                        "id", TASK_RUN_ID,
                                                        "name", "load-0",
                                                        "flow-run-id", FLOW_RUN_ID,
                                                        "task-key", "load",
                                                        NULL);
  g_autoptr(GHashTable) profile_values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) custom = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(PrefectCtxProfile) profile = NULL;
  g_autoptr(PrefectCtxSettings) defaults = prefect_ctx_settings_new ();
  g_autoptr(PrefectCtxSettings) settings = NULL;
  const char * const tags[] = { "nightly", "etl", NULL };

  g_hash_table_insert (profile_values, "PREFECT_API_KEY", "profile-secret");
  g_hash_table_insert (profile_values, "PREFECT_LOGGING_LEVEL", "DEBUG");
  profile = prefect_ctx_profile_new ("staging", profile_values, NULL, &error);
  g_assert_no_error (error);
  g_hash_table_insert (values, "PREFECT_HOME", test_home);
  g_hash_table_insert (values, "PREFECT_API_KEY", "very-secret");
  g_hash_table_insert (values, "PREFECT_UI_URL", "http://ui.test");
  settings = prefect_ctx_settings_copy_with_update (defaults, values, &error);
  g_assert_no_error (error);
  g_hash_table_insert (custom, "team", "data");
  g_hash_table_insert (custom, "request_id", "req-42");

  entered->contexts[0] = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN_CONTEXT,
                                       "flow", flow, "flow-run", flow_run, "parameters", params,
                                       "log-prints", TRUE, NULL);
  entered->contexts[1] = PREFECT_CTX_CONTEXT (prefect_ctx_task_run_context_new (task, task_run, NULL));
  entered->contexts[2] = PREFECT_CTX_CONTEXT (prefect_ctx_tags (tags));
  entered->contexts[3] = PREFECT_CTX_CONTEXT (prefect_ctx_settings_context_new (profile, settings));
  entered->contexts[4] = PREFECT_CTX_CONTEXT (prefect_ctx_custom_context_new_merged (custom, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (entered->contexts); i++)
    {
      g_assert_true (prefect_ctx_context_enter (entered->contexts[i], &error));
      g_assert_no_error (error);
    }
}

static void
exit_everything (Entered *entered)
{
  g_autoptr(GError) error = NULL;

  for (guint i = G_N_ELEMENTS (entered->contexts); i > 0; i--)
    {
      g_assert_true (prefect_ctx_context_exit (entered->contexts[i - 1], &error));
      g_assert_no_error (error);
      g_object_unref (entered->contexts[i - 1]);
    }
}

/* ---------------------------------------------------------------------------
 * Tests
 */

static void
test_to_json (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) secret_parser = json_parser_new ();
  g_autofree char *json = NULL;
  g_autofree char *with_secrets = NULL;
  g_autoptr(PrefectCtxSnapshot) snapshot = NULL;
  JsonObject *root, *section, *settings;
  JsonArray *tags;
  Entered entered;

  enter_everything (&entered);
  json = prefect_ctx_serialize_context (FALSE);
  snapshot = prefect_ctx_snapshot_capture ();
  exit_everything (&entered);

  /* The snapshot still serializes the same once its contexts are exited. */
  with_secrets = prefect_ctx_snapshot_to_json (snapshot, TRUE);

  root = parse_object (parser, json);
  section = json_object_get_object_member (root, "flow_run_context");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (section, "flow"), "name"), ==, "etl");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (section, "flow_run"), "id"), ==,
                   FLOW_RUN_ID);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (section, "parameters"), "x"), ==, 42);
  g_assert_true (json_object_get_boolean_member (section, "log_prints"));
  g_assert_nonnull (json_object_get_string_member (section, "start_time"));

  section = json_object_get_object_member (root, "task_run_context");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (section, "task_run"), "id"), ==,
                   TASK_RUN_ID);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (section, "task"), "retries"), ==, 2);
  g_assert_false (json_object_get_boolean_member (section, "log_prints"));

  tags = json_object_get_array_member (json_object_get_object_member (root, "tags_context"), "current_tags");
  g_assert_cmpuint (json_array_get_length (tags), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (tags, 0), ==, "etl");
  g_assert_cmpstr (json_array_get_string_element (tags, 1), ==, "nightly");

  section = json_object_get_object_member (root, "settings_context");
  settings = json_object_get_object_member (section, "settings");
  g_assert_cmpstr (json_object_get_string_member (settings, "PREFECT_UI_URL"), ==, "http://ui.test");
  g_assert_false (json_object_has_member (settings, "PREFECT_API_KEY"));
  g_assert_false (json_object_has_member (settings, "PREFECT_LOGGING_LEVEL"));  /* not set: a default */
  section = json_object_get_object_member (section, "profile");
  g_assert_cmpstr (json_object_get_string_member (section, "name"), ==, "staging");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (section, "settings"),
                                                  "PREFECT_LOGGING_LEVEL"), ==, "DEBUG");
  g_assert_false (json_object_has_member (json_object_get_object_member (section, "settings"), "PREFECT_API_KEY"));
  g_assert_null (strstr (json, "secret"));

  section = json_object_get_object_member (json_object_get_object_member (root, "custom_context"), "values");
  g_assert_cmpuint (json_object_get_size (section), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (section, "team"), ==, "data");

  g_assert_cmpstr (json_object_get_string_member (root, "deployment_id"), ==, DEPLOYMENT_ID);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "deployment_parameters"),
                                                  "who"), ==, "world");

  /* Secrets only on request. */
  root = parse_object (secret_parser, with_secrets);
  section = json_object_get_object_member (root, "settings_context");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (section, "settings"),
                                                  "PREFECT_API_KEY"), ==, "very-secret");
  section = json_object_get_object_member (json_object_get_object_member (section, "profile"), "settings");
  g_assert_cmpstr (json_object_get_string_member (section, "PREFECT_API_KEY"), ==, "profile-secret");
}

static void
test_empty (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = prefect_ctx_serialize_context (FALSE);
  g_autoptr(GListModel) contexts = NULL;
  g_autoptr(PrefectCtxSnapshot) snapshot = NULL;
  JsonObject *root = parse_object (parser, json);
  const char *sections[] = { "flow_run_context", "task_run_context", "tags_context", "settings_context",
                             "custom_context" };

  /* Nothing entered: every context empty, as Prefect writes absent ones,
   * and no deployment: null, not {}. */
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    g_assert_cmpuint (json_object_get_size (json_object_get_object_member (root, sections[i])), ==, 0);
  g_assert_true (json_object_get_null_member (root, "deployment_id"));
  g_assert_true (json_object_get_null_member (root, "deployment_parameters"));

  contexts = prefect_ctx_hydrate_contexts (json, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (contexts), ==, 0);
  snapshot = prefect_ctx_snapshot_new_from_json ("{}", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (prefect_ctx_snapshot_is_empty (snapshot));
}

static void
test_hydrate_contexts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxClient) client = NULL;
  g_autoptr(GListModel) contexts = NULL;
  g_autofree char *json = NULL;
  PrefectCtxFlowRunContext *flow_ctx;
  PrefectCtxTaskRunContext *task_ctx;
  PrefectCtxContext *items[5];
  Entered entered;
  g_autofree char *key = NULL;

  enter_everything (&entered);
  json = prefect_ctx_serialize_context (TRUE);
  exit_everything (&entered);

  client = PREFECT_CTX_CLIENT (prefect_ctx_local_client_new (PREFECT_CTX_LOCAL_CLIENT_MEMORY, &error));
  g_assert_no_error (error);
  contexts = prefect_ctx_hydrate_contexts (json, client, &error);
  g_assert_no_error (error);

  /* In the order to enter them, none entered. */
  g_assert_cmpuint (g_list_model_get_n_items (contexts), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      items[i] = g_list_model_get_item (contexts, i);
      g_assert_false (prefect_ctx_context_is_entered (items[i]));
    }
  g_assert_true (PREFECT_CTX_IS_FLOW_RUN_CONTEXT (items[0]));
  g_assert_true (PREFECT_CTX_IS_TASK_RUN_CONTEXT (items[1]));
  g_assert_true (PREFECT_CTX_IS_TAGS_CONTEXT (items[2]));
  g_assert_true (PREFECT_CTX_IS_SETTINGS_CONTEXT (items[3]));
  g_assert_true (PREFECT_CTX_IS_CUSTOM_CONTEXT (items[4]));

  flow_ctx = (PrefectCtxFlowRunContext *) items[0];
  g_assert_true (prefect_ctx_flow_run_context_get_detached (flow_ctx));
  g_assert_true (prefect_ctx_flow_run_context_get_log_prints (flow_ctx));
  g_assert_true (prefect_ctx_run_context_get_client (PREFECT_CTX_RUN_CONTEXT (flow_ctx)) == client);
  g_assert_cmpstr (prefect_ctx_flow_get_version (prefect_ctx_flow_run_context_get_flow (flow_ctx)), ==, "7");
  g_assert_cmpstr (prefect_ctx_flow_run_get_deployment_id (prefect_ctx_flow_run_context_get_flow_run (flow_ctx)), ==,
                   DEPLOYMENT_ID);
  g_assert_true (g_variant_equal (prefect_ctx_flow_run_context_get_parameters (flow_ctx),
                                  prefect_ctx_flow_run_get_parameters (prefect_ctx_flow_run_context_get_flow_run (flow_ctx))));
  /* A detached context hands out UUIDs, never the parent's "0", "1"... */
  key = prefect_ctx_flow_run_context_next_dynamic_key (flow_ctx, "load");
  g_assert_true (g_uuid_string_is_valid (key));

  task_ctx = (PrefectCtxTaskRunContext *) items[1];
  g_assert_cmpstr (prefect_ctx_task_run_get_id (prefect_ctx_task_run_context_get_task_run (task_ctx)), ==, TASK_RUN_ID);
  g_assert_cmpint (prefect_ctx_task_get_retries (prefect_ctx_task_run_context_get_task (task_ctx)), ==, 2);
  g_assert_true (prefect_ctx_run_context_get_client (PREFECT_CTX_RUN_CONTEXT (task_ctx)) == client);

  g_assert_cmpstr (prefect_ctx_profile_get_name (prefect_ctx_settings_context_get_profile ((PrefectCtxSettingsContext *) items[3])), ==,
                   "staging");
  g_assert_cmpstr (prefect_ctx_settings_get_api_key (prefect_ctx_settings_context_get_settings ((PrefectCtxSettingsContext *) items[3])),
                   ==, "very-secret");
  g_assert_cmpstr (prefect_ctx_custom_context_get_value ((PrefectCtxCustomContext *) items[4], "request_id"), ==,
                   "req-42");
  for (guint i = 0; i < 5; i++)
    g_object_unref (items[i]);
}

/* Hydrated on another thread: the worker sees what the caller entered. */
typedef struct
{
  char *json;
  char *seen;
} Worker;

static void
describe_current (gpointer data)
{
  Worker *worker = data;
  g_autoptr(GError) error = NULL;
  PrefectCtxRunContext *run = prefect_ctx_get_run_context (&error);
  g_autofree char *tags = NULL;

  g_assert_no_error (error);
  tags = g_strjoinv (",", (char **) prefect_ctx_tags_context_get_current_tags (prefect_ctx_tags_context_get_current ()));
  worker->seen = g_strdup_printf ("%s %s tags=%s team=%s ui=%s detached=%d",
                                  G_OBJECT_TYPE_NAME (run),
                                  prefect_ctx_task_run_get_id (prefect_ctx_task_run_context_get_task_run (PREFECT_CTX_TASK_RUN_CONTEXT (run))),
                                  tags,
                                  prefect_ctx_custom_context_lookup ("team"),
                                  prefect_ctx_settings_get_ui_url (prefect_ctx_settings_context_get_settings (
                                    prefect_ctx_settings_context_get_current ())),
                                  prefect_ctx_flow_run_context_get_detached (prefect_ctx_flow_run_context_get_current ()));
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxSnapshot) snapshot = prefect_ctx_snapshot_new_from_json (worker->json, NULL, &error);

  g_assert_no_error (error);
  /* Hydrating does not enter anything on the calling thread. */
  g_assert_null (prefect_ctx_flow_run_context_get_current ());
  prefect_ctx_snapshot_run (snapshot, describe_current, worker);
  g_assert_null (prefect_ctx_task_run_context_get_current ());
  return NULL;
}

static void
test_snapshot_new_from_json (void)
{
  Worker worker = { NULL, NULL };
  Entered entered;

  enter_everything (&entered);
  worker.json = prefect_ctx_serialize_context (FALSE);
  exit_everything (&entered);

  g_thread_join (g_thread_new ("worker", worker_thread, &worker));
  g_assert_cmpstr (worker.seen, ==,
                   "PrefectCtxTaskRunContext " TASK_RUN_ID " tags=etl,nightly team=data ui=http://ui.test detached=1");
  g_free (worker.json);
  g_free (worker.seen);
}

static void
assert_invalid (const char *json,
                const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) contexts = prefect_ctx_hydrate_contexts (json, NULL, &error);
  g_autoptr(PrefectCtxSnapshot) snapshot = NULL;

  g_assert_null (contexts);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  if (!g_pattern_match_simple (message, error->message))
    g_error ("%s: message %s does not match %s", json, error->message, message);
  g_clear_error (&error);
  snapshot = prefect_ctx_snapshot_new_from_json (json, NULL, &error);
  g_assert_null (snapshot);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
}

static void
test_malformed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxSnapshot) snapshot = NULL;

  assert_invalid ("not json", "Invalid JSON for a serialized context: *");
  assert_invalid ("[1, 2]", "Serialized context: not a JSON object");
  assert_invalid ("{\"flow_run_context\": 3}", "Serialized context: 'flow_run_context' must be an object");
  assert_invalid ("{\"flow_run_context\": {\"flow\": \"etl\"}}",
                  "Serialized context: 'flow_run_context.flow' must be an object");
  assert_invalid ("{\"flow_run_context\": {\"flow_run\": {\"run_count\": \"x\"}}}",
                  "Field 'run_count' of FlowRun: *");
  assert_invalid ("{\"task_run_context\": {\"log_prints\": \"yes\"}}",
                  "Serialized context: 'task_run_context.log_prints' must be a boolean");
  assert_invalid ("{\"task_run_context\": {\"start_time\": \"yesterday\"}}",
                  "Serialized context: 'task_run_context.start_time' must be an ISO 8601 time");
  assert_invalid ("{\"flow_run_context\": {\"parameters\": [1]}}",
                  "Serialized context: 'flow_run_context.parameters' must be an object");
  assert_invalid ("{\"tags_context\": {\"current_tags\": [\"a\", 1]}}",
                  "Serialized context: 'tags_context.current_tags' must be an array of strings");
  assert_invalid ("{\"settings_context\": {\"settings\": {\"PREFECT_NOPE\": \"1\"}}}", "*PREFECT_NOPE*");
  assert_invalid ("{\"settings_context\": {\"settings\": {\"PREFECT_UI_URL\": 1}}}",
                  "Serialized context: 'settings_context.settings' member 'PREFECT_UI_URL' must be a string");
  assert_invalid ("{\"custom_context\": {\"values\": {\"k\": true}}}",
                  "Serialized context: 'custom_context.values' member 'k' must be a string");

  /* Unknown members are ignored. */
  snapshot = prefect_ctx_snapshot_new_from_json ("{\"asset_context\": {\"x\": 1}, \"tags_context\": {}}", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (prefect_ctx_snapshot_is_empty (snapshot));
  g_clear_pointer (&snapshot, prefect_ctx_snapshot_unref);

  /* A custom map that breaks the rules fails when entered. */
  snapshot = prefect_ctx_snapshot_new_from_json ("{\"custom_context\": {\"values\": {\"a=b\": \"1\"}}}", NULL, &error);
  g_assert_null (snapshot);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  /* ...and nothing stays entered. */
  g_assert_null (prefect_ctx_custom_context_get_current ());
}

/* Across processes: a flow serializes its context; a worker process
 * hydrates it on the same file store and calls a task, which is recorded in
 * the flow run. */
static GVariant *
remote_task_body (PrefectCtxRunContext  *context,
                  GVariant              *params,
                  gpointer               user_data,
                  GError               **error)
{
  return g_variant_new_string (prefect_ctx_custom_context_lookup ("team"));
}

static int
hydrate_worker (const char *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) in = g_io_channel_unix_new (0);
  g_autofree char *json = NULL;
  gsize length;
  g_autoptr(PrefectCtxLocalClient) client = NULL;
  g_autoptr(GListModel) contexts = NULL;
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("remote");
  g_autoptr(GVariant) result = NULL;
  guint i;

  g_io_channel_read_to_end (in, &json, &length, &error);
  g_assert_no_error (error);
  client = prefect_ctx_local_client_new (store, &error);
  g_assert_no_error (error);
  contexts = prefect_ctx_hydrate_contexts (json, PREFECT_CTX_CLIENT (client), &error);
  g_assert_no_error (error);

  for (i = 0; i < g_list_model_get_n_items (contexts); i++)
    {
      g_autoptr(PrefectCtxContext) context = g_list_model_get_item (contexts, i);

      if (!prefect_ctx_context_enter (context, &error))
        g_error ("enter: %s", error->message);
    }
  result = prefect_ctx_task_call (task, NULL, remote_task_body, NULL, &error);
  g_assert_no_error (error);
  while (i > 0)
    {
      g_autoptr(PrefectCtxContext) context = g_list_model_get_item (contexts, --i);

      prefect_ctx_context_exit (context, NULL);
    }

  g_print ("%s\n", g_variant_get_string (result, NULL));
  return 0;
}

typedef struct
{
  char *store;
  char *flow_run_id;
  char *worker_out;
} CrossProcess;

static GVariant *
spawning_flow_body (PrefectCtxRunContext  *context,
                    GVariant              *params,
                    gpointer               user_data,
                    GError               **error)
{
  CrossProcess *cross = user_data;
  g_autofree char *json = prefect_ctx_serialize_context (FALSE);
  g_autoptr(GSubprocess) worker = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *err = NULL;

  cross->flow_run_id = g_strdup (prefect_ctx_flow_run_get_id (
    prefect_ctx_flow_run_context_get_flow_run (PREFECT_CTX_FLOW_RUN_CONTEXT (context))));
  worker = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                             G_SUBPROCESS_FLAGS_STDERR_PIPE, &local_error,
                             program, "--hydrate-worker", cross->store, NULL);
  g_assert_no_error (local_error);
  g_subprocess_communicate_utf8 (worker, json, NULL, &cross->worker_out, &err, &local_error);
  g_assert_no_error (local_error);
  if (!g_subprocess_get_successful (worker))
    g_error ("worker failed: %s", err);
  return NULL;
}

static void
test_across_processes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxLocalClient) client = NULL;
  g_autoptr(PrefectCtxRunOptions) options = NULL;
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("spawner");
  g_autoptr(GHashTable) custom = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GListModel) runs = NULL;
  g_autoptr(PrefectCtxTaskRun) run = NULL;
  g_autoptr(GListModel) states = NULL;
  const char * const tags[] = { "remote", NULL };
  CrossProcess cross = { NULL, NULL, NULL };

  cross.store = g_build_filename (test_home, "cross.db", NULL);
  client = prefect_ctx_local_client_new (cross.store, &error);
  g_assert_no_error (error);
  g_variant_builder_add (builder, "{ss}", "team", "data");
  options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS,
                          "client", client,
                          "tags", tags,
                          "custom-context", g_variant_builder_end (builder),
                          NULL);

  result = prefect_ctx_flow_run_sync (flow, NULL, options, spawning_flow_body, &cross, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cross.worker_out, ==, "data\n");

  /* The worker's task run belongs to the flow run, with the run's tags and
   * a UUID dynamic key. */
  runs = prefect_ctx_client_read_task_runs (PREFECT_CTX_CLIENT (client), cross.flow_run_id, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 1);
  run = g_list_model_get_item (runs, 0);
  g_assert_cmpstr (prefect_ctx_task_run_get_task_key (run), ==, "remote");
  g_assert_true (g_uuid_string_is_valid (prefect_ctx_task_run_get_dynamic_key (run)));
  g_assert_true (g_str_has_prefix (prefect_ctx_task_run_get_name (run), "remote-"));
  g_assert_true (g_strv_contains (prefect_ctx_task_run_get_tags (run), "remote"));
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_task_run_get_state (run)), ==,
                   PREFECT_CTX_STATE_TYPE_COMPLETED);

  g_free (cross.store);
  g_free (cross.flow_run_id);
  g_free (cross.worker_out);
}

/* The test home holds files only (stores and their WAL files). */
static void
remove_home (void)
{
  g_autoptr(GDir) dir = g_dir_open (test_home, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (test_home, name, NULL);

      g_remove (path);
    }
  g_rmdir (test_home);
}

int
main (int    argc,
      char **argv)
{
  int status;

  program = argv[0];
  if (argc == 3 && g_strcmp0 (argv[1], "--hydrate-worker") == 0)
    return hydrate_worker (argv[2]);

  test_home = g_dir_make_tmp ("prefectctx-serialize-XXXXXX", NULL);
  g_setenv ("PREFECT_HOME", test_home, TRUE);
  g_unsetenv ("PREFECT_API_URL");
  g_unsetenv ("PREFECT_PROFILE");

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/serialize/to-json", test_to_json);
  g_test_add_func ("/serialize/empty", test_empty);
  g_test_add_func ("/serialize/hydrate-contexts", test_hydrate_contexts);
  g_test_add_func ("/serialize/snapshot-new-from-json", test_snapshot_new_from_json);
  g_test_add_func ("/serialize/malformed", test_malformed);
  g_test_add_func ("/serialize/across-processes", test_across_processes);
  status = g_test_run ();

  remove_home ();
  g_free (test_home);
  return status;
}
