/* test-engine.c: the engine (layer 6): flows, tasks, subflows, retries,
 * submitted tasks, logs, the object registry, the runtime's store fallback,
 * and what a file store keeps after the process is gone (also by SIGKILL).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The process runs with PREFECT_HOME in a temporary directory. Most tests
 * use an in-memory store given through the run options.
 */
#define G_LOG_DOMAIN "PrefectCtx-test"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <prefectctx.h>

#include "test-engine-helpers.h"

static char *test_home;

/* ---------------------------------------------------------------------------
 * Bodies
 */

static GVariant *
add_body (PrefectCtxRunContext  *context,
          GVariant              *parameters,
          gpointer               user_data,
          GError               **error)
{
  g_assert_true (PREFECT_CTX_IS_TASK_RUN_CONTEXT (context));
  g_assert_true (prefect_ctx_task_run_context_get_current () == PREFECT_CTX_TASK_RUN_CONTEXT (context));
  return g_variant_new_int64 (lookup_int (parameters, "x") + lookup_int (parameters, "y"));
}

typedef struct
{
  PrefectCtxTask *add;
  char           *flow_run_id;
  GPtrArray      *task_run_ids;
} SequentialData;

static GVariant *
sequential_flow_body (PrefectCtxRunContext  *context,
                      GVariant              *parameters,
                      gpointer               user_data,
                      GError               **error)
{
  SequentialData *data = user_data;
  gint64 total = lookup_int (parameters, "start");

  g_assert_true (PREFECT_CTX_IS_FLOW_RUN_CONTEXT (context));
  g_assert_true (prefect_ctx_get_run_context (NULL) == context);
  data->flow_run_id = current_flow_run_id ();

  for (int i = 0; i < 3; i++)
    {
      g_autoptr(GVariant) sum = prefect_ctx_task_call (data->add, xy (total, i + 1), add_body, NULL, error);

      if (sum == NULL)
        return NULL;
      total = g_variant_get_int64 (sum);
    }
  return g_variant_new_int64 (total);
}

/* ---------------------------------------------------------------------------
 * Tests
 */

static void
test_run_name (void)
{
  g_autoptr(GRegex) regex = g_regex_new ("^[a-z]+-[a-z]+$", 0, 0, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (int i = 0; i < 200; i++)
    {
      char *name = prefect_ctx_generate_run_name ();

      g_assert_true (g_regex_match (regex, name, 0, NULL));
      g_hash_table_add (seen, name);
    }
  /* Two small word lists still make many names. */
  g_assert_cmpuint (g_hash_table_size (seen), >, 100);
}

static void
test_models (void)
{
  g_autoptr(PrefectCtxFlow) flow = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "f", "retries", 2,
                                                 "retry-delay-seconds", 0.5, "log-prints", TRUE, NULL);
  g_autoptr(PrefectCtxTask) task = g_object_new (PREFECT_CTX_TYPE_TASK, "name", "t", "log-prints", TRUE, NULL);
  g_autoptr(PrefectCtxRunOptions) options = prefect_ctx_run_options_new ();
  g_autoptr(PrefectCtxFlow) copy = NULL;
  g_autofree char *json = NULL;

  g_assert_cmpint (prefect_ctx_flow_get_retries (flow), ==, 2);
  g_assert_cmpfloat (prefect_ctx_flow_get_retry_delay_seconds (flow), ==, 0.5);
  g_assert_true (prefect_ctx_flow_get_log_prints (flow));
  g_assert_true (prefect_ctx_task_get_log_prints (task));

  /* The server's JSON form is unchanged. */
  json = prefect_ctx_flow_to_json (flow);
  g_assert_null (strstr (json, "retries"));
  copy = prefect_ctx_flow_new_from_json (json, NULL);
  g_assert_cmpstr (prefect_ctx_flow_get_name (copy), ==, "f");

  g_assert_cmpuint (g_variant_n_children (prefect_ctx_run_options_get_custom_context (options)), ==, 0);
  g_assert_cmpstr (prefect_ctx_run_options_get_tags (options)[0], ==, NULL);
  g_assert_null (prefect_ctx_run_options_get_client (options));
  g_assert_null (prefect_ctx_run_options_get_run_name (options));
  g_assert_cmpint (prefect_ctx_run_options_get_max_workers (options), ==, 0);
}

static void
test_sequential_tasks (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  const char *flow_tags[] = { "etl", NULL };
  const char *task_tags[] = { "math", NULL };
  g_autoptr(PrefectCtxFlow) flow = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "adder", "tags", flow_tags, NULL);
  g_autoptr(PrefectCtxTask) add = g_object_new (PREFECT_CTX_TYPE_TASK, "name", "add", "tags", task_tags, NULL);
  SequentialData data = { add, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GVariantDict) params = g_variant_dict_new (NULL);
  g_autoptr(PrefectCtxFlowRun) stored = NULL;
  g_autoptr(PrefectCtxFlow) stored_flow = NULL;
  g_autoptr(GListModel) runs = NULL;
  g_autoptr(GListModel) logs = NULL;
  g_autofree char *states = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("^[a-z]+-[a-z]+$", 0, 0, NULL);

  g_variant_dict_insert (params, "start", "x", (gint64) 10);
  result = prefect_ctx_flow_run_sync (flow, g_variant_dict_end (params), options,
                                      sequential_flow_body, &data, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (g_variant_get_int64 (result), ==, 16);

  /* Nothing is left entered. */
  g_assert_null (prefect_ctx_flow_run_context_get_current ());
  g_assert_null (prefect_ctx_task_run_context_get_current ());
  g_assert_cmpstr (prefect_ctx_tags_context_get_current_tags (prefect_ctx_tags_context_get_current ())[0], ==, NULL);

  stored = prefect_ctx_client_read_flow_run (client, data.flow_run_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_regex_match (regex, prefect_ctx_flow_run_get_name (stored), 0, NULL));
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_flow_run_get_state (stored)), ==,
                   PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_assert_cmpint (prefect_ctx_flow_run_get_run_count (stored), ==, 1);
  g_assert_cmpstr (prefect_ctx_flow_run_get_tags (stored)[0], ==, "etl");
  g_assert_nonnull (prefect_ctx_flow_run_get_start_time (stored));
  g_assert_nonnull (prefect_ctx_flow_run_get_end_time (stored));
  g_assert_null (prefect_ctx_flow_run_get_parent_task_run_id (stored));
  g_assert_cmpint (lookup_int (prefect_ctx_flow_run_get_parameters (stored), "start"), ==, 10);
  stored_flow = prefect_ctx_client_read_flow (client, prefect_ctx_flow_run_get_flow_id (stored), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_flow_get_name (stored_flow), ==, "adder");

  states = flow_run_states (client, data.flow_run_id);
  g_assert_cmpstr (states, ==, "PENDING:Pending RUNNING:Running COMPLETED:Completed");

  runs = task_runs_of (client, data.flow_run_id);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 3);
  logs = logs_of (client, data.flow_run_id);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(PrefectCtxTaskRun) run = g_list_model_get_item (runs, i);
      g_autofree char *name = g_strdup_printf ("add-%u", i);
      g_autofree char *key = g_strdup_printf ("%u", i);
      g_autofree char *task_states = task_run_states (client, prefect_ctx_task_run_get_id (run));
      const char * const *tags = prefect_ctx_task_run_get_tags (run);

      g_assert_cmpstr (prefect_ctx_task_run_get_name (run), ==, name);
      g_assert_cmpstr (prefect_ctx_task_run_get_dynamic_key (run), ==, key);
      g_assert_cmpstr (prefect_ctx_task_run_get_task_key (run), ==, "add");
      g_assert_cmpstr (prefect_ctx_task_run_get_flow_run_id (run), ==, data.flow_run_id);
      /* task tags + current tags (the flow run's) */
      g_assert_cmpstr (tags[0], ==, "etl");
      g_assert_cmpstr (tags[1], ==, "math");
      g_assert_cmpstr (tags[2], ==, NULL);
      g_assert_cmpint (prefect_ctx_task_run_get_run_count (run), ==, 1);
      g_assert_cmpstr (task_states, ==, "PENDING:Pending RUNNING:Running COMPLETED:Completed");
      g_assert_true (has_log (logs, "Finished in state Completed()", prefect_ctx_task_run_get_id (run)));
    }
  g_assert_true (has_log (logs, "Finished in state Completed()", NULL));

  g_free (data.flow_run_id);
}

/* The engine driven by hand, as bindings drive it: the final state is
 * there once the run is over, and not before. */
static void
test_engine_final_state (void)
{
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("by-hand");
  g_autoptr(PrefectCtxRunEngine) engine = NULL;
  g_autoptr(PrefectCtxSnapshot) snapshot = NULL;
  g_autoptr(PrefectCtxState) state = NULL;
  g_autoptr(GError) body_error = g_error_new_literal (PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED, "no luck");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;

  engine = prefect_ctx_run_engine_new_for_task (task, NULL, &error);
  g_assert_no_error (error);
  snapshot = prefect_ctx_run_engine_begin_attempt (engine);
  g_assert_nonnull (snapshot);
  g_assert_null (prefect_ctx_run_engine_dup_final_state (engine));
  g_assert_cmpfloat (prefect_ctx_run_engine_end_attempt (engine, NULL, body_error), <, 0);
  result = prefect_ctx_run_engine_finish (engine, &error);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  state = prefect_ctx_run_engine_dup_final_state (engine);
  g_assert_nonnull (state);
  g_assert_cmpint (prefect_ctx_state_get_state_type (state), ==, PREFECT_CTX_STATE_TYPE_FAILED);
  g_assert_cmpstr (prefect_ctx_state_get_message (state), ==, "Task run encountered an exception no luck");
}

/* A task's task-run-name names its runs; the dynamic keys still count. */
static void
test_task_run_name (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("named");
  g_autoptr(PrefectCtxTask) add = g_object_new (PREFECT_CTX_TYPE_TASK, "name", "add",
                                                "task-run-name", "add-numbers", NULL);
  SequentialData data = { add, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GVariantDict) params = g_variant_dict_new (NULL);
  g_autoptr(GListModel) runs = NULL;

  g_assert_cmpstr (prefect_ctx_task_get_task_run_name (add), ==, "add-numbers");
  g_variant_dict_insert (params, "start", "x", (gint64) 0);
  result = prefect_ctx_flow_run_sync (flow, g_variant_dict_end (params), options,
                                      sequential_flow_body, &data, &error);
  g_assert_no_error (error);
  runs = task_runs_of (client, data.flow_run_id);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(PrefectCtxTaskRun) run = g_list_model_get_item (runs, i);
      g_autofree char *key = g_strdup_printf ("%u", i);

      g_assert_cmpstr (prefect_ctx_task_run_get_name (run), ==, "add-numbers");
      g_assert_cmpstr (prefect_ctx_task_run_get_dynamic_key (run), ==, key);
    }
  g_free (data.flow_run_id);
}

/* Parameters reach the body as they were given and the store as JSON (so
 * these use the types JSON keeps: int64, double, string, boolean, av and
 * a{sv}); results come back as they were returned. */
static GVariant *
echo_flow_body (PrefectCtxRunContext  *context,
                GVariant              *parameters,
                gpointer               user_data,
                GError               **error)
{
  PrefectCtxFlowRunContext *ctx = PREFECT_CTX_FLOW_RUN_CONTEXT (context);

  g_assert_true (g_variant_equal (parameters, prefect_ctx_flow_run_context_get_parameters (ctx)));
  g_assert_true (g_variant_equal (parameters,
                                  prefect_ctx_flow_run_get_parameters (prefect_ctx_flow_run_context_get_flow_run (ctx))));
  return g_variant_new ("(s@a{sv})", "echo", parameters);
}

static GVariant *
none_body (PrefectCtxRunContext  *context,
           GVariant              *parameters,
           gpointer               user_data,
           GError               **error)
{
  (*(int *) user_data)++;
  return NULL;
}

static void
test_parameters_and_results (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("echo");
  g_autoptr(GVariant) params = g_variant_ref_sink (g_variant_new_parsed (
      "{'n': <int64 3>, 's': <'text'>, 'f': <2.5>, 'b': <true>, 'l': <[<'a'>, <int64 2>]>,"
      " 'd': <{'inner': <int64 1>}>}"));
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GVariant) wrong = NULL;
  g_autoptr(GError) error = NULL;
  int calls = 0;

  result = prefect_ctx_flow_run_sync (flow, params, options, echo_flow_body, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_is_of_type (result, G_VARIANT_TYPE ("(sa{sv})")));
  {
    g_autoptr(GVariant) echoed = g_variant_get_child_value (result, 1);

    g_assert_true (g_variant_equal (echoed, params));
  }

  /* No parameters is an empty dictionary; no result is NULL without error. */
  g_clear_pointer (&result, g_variant_unref);
  result = prefect_ctx_flow_run_sync (flow, NULL, options, none_body, &calls, &error);
  g_assert_no_error (error);
  g_assert_null (result);
  g_assert_cmpint (calls, ==, 1);

  /* Parameters must be a dictionary. */
  wrong = g_variant_ref_sink (g_variant_new_int32 (1));
  result = prefect_ctx_flow_run_sync (flow, wrong, options, none_body, &calls, &error);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "The parameters of a flow must be an a{sv} dictionary, not 'i'");
  g_assert_null (result);
  g_assert_cmpint (calls, ==, 1);
}

/* A task that fails @fail_times times, then returns its attempt number. */
typedef struct
{
  int fail_times;
  int attempts;
  int seen_run_counts[8];
} FlakyData;

static GVariant *
flaky_body (PrefectCtxRunContext  *context,
            GVariant              *parameters,
            gpointer               user_data,
            GError               **error)
{
  FlakyData *data = user_data;

  data->seen_run_counts[data->attempts] = prefect_ctx_runtime_task_run_get_run_count ();
  data->attempts++;
  if (data->attempts <= data->fail_times)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "attempt %d timed out", data->attempts);
      return NULL;
    }
  return g_variant_new_int32 (data->attempts);
}

typedef struct
{
  PrefectCtxTask *task;
  FlakyData      *flaky;
  char           *flow_run_id;
  char           *task_run_id;
  GError         *task_error;
} RetryFlowData;

static GVariant *
retry_flow_body (PrefectCtxRunContext  *context,
                 GVariant              *parameters,
                 gpointer               user_data,
                 GError               **error)
{
  RetryFlowData *data = user_data;
  GVariant *result;

  data->flow_run_id = current_flow_run_id ();
  result = prefect_ctx_task_call (data->task, NULL, flaky_body, data->flaky, &data->task_error);
  if (result == NULL)
    g_propagate_error (error, g_error_copy (data->task_error));
  return result;
}

static void
test_task_retries (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("retrying");
  g_autoptr(PrefectCtxTask) task = g_object_new (PREFECT_CTX_TYPE_TASK, "name", "flaky", "retries", 3,
                                                 "retry-delay-seconds", 0.01, NULL);
  FlakyData flaky = { 2, 0, { 0 } };
  RetryFlowData data = { task, &flaky, NULL, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GListModel) runs = NULL;
  g_autoptr(PrefectCtxTaskRun) run = NULL;
  g_autofree char *states = NULL;
  g_autoptr(GListModel) logs = NULL;

  result = prefect_ctx_flow_run_sync (flow, NULL, options, retry_flow_body, &data, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_variant_get_int32 (result), ==, 3);
  g_assert_cmpint (flaky.attempts, ==, 3);
  /* The task run context shows the run count of each attempt. */
  g_assert_cmpint (flaky.seen_run_counts[0], ==, 1);
  g_assert_cmpint (flaky.seen_run_counts[1], ==, 2);
  g_assert_cmpint (flaky.seen_run_counts[2], ==, 3);

  runs = task_runs_of (client, data.flow_run_id);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 1);
  run = g_list_model_get_item (runs, 0);
  g_assert_cmpint (prefect_ctx_task_run_get_run_count (run), ==, 3);
  states = task_run_states (client, prefect_ctx_task_run_get_id (run));
  g_assert_cmpstr (states, ==,
                   "PENDING:Pending RUNNING:Running "
                   "SCHEDULED:AwaitingRetry:Task run encountered an exception attempt 1 timed out RUNNING:Retrying "
                   "SCHEDULED:AwaitingRetry:Task run encountered an exception attempt 2 timed out RUNNING:Retrying "
                   "COMPLETED:Completed");
  logs = logs_of (client, data.flow_run_id);
  g_assert_true (has_log (logs, "Task run failed with exception: attempt 1 timed out - Retry 1/3 will start 0.01 second(s) from now",
                          prefect_ctx_task_run_get_id (run)));
  g_free (data.flow_run_id);
}

static void
test_task_failure (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("failing");
  g_autoptr(PrefectCtxTask) task = g_object_new (PREFECT_CTX_TYPE_TASK, "name", "doomed", "retries", 1, NULL);
  FlakyData flaky = { 100, 0, { 0 } };
  RetryFlowData data = { task, &flaky, NULL, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GListModel) runs = NULL;
  g_autoptr(PrefectCtxTaskRun) run = NULL;
  g_autoptr(PrefectCtxFlowRun) stored = NULL;
  g_autofree char *states = NULL;
  g_autofree char *fstates = NULL;
  g_autoptr(GListModel) logs = NULL;

  result = prefect_ctx_flow_run_sync (flow, NULL, options, retry_flow_body, &data, &error);
  g_assert_null (result);
  /* The body's error reaches the caller unchanged. */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpstr (error->message, ==, "attempt 2 timed out");
  g_assert_error (data.task_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (flaky.attempts, ==, 2);

  runs = task_runs_of (client, data.flow_run_id);
  run = g_list_model_get_item (runs, 0);
  states = task_run_states (client, prefect_ctx_task_run_get_id (run));
  g_assert_cmpstr (states, ==,
                   "PENDING:Pending RUNNING:Running SCHEDULED:AwaitingRetry:Task run encountered an exception attempt 1 timed out "
                   "RUNNING:Retrying FAILED:Failed:Task run encountered an exception attempt 2 timed out");

  stored = prefect_ctx_client_read_flow_run (client, data.flow_run_id, NULL, NULL);
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_flow_run_get_state (stored)), ==,
                   PREFECT_CTX_STATE_TYPE_FAILED);
  g_assert_cmpstr (prefect_ctx_state_get_message (prefect_ctx_flow_run_get_state (stored)), ==, "Flow run encountered an exception. attempt 2 timed out");
  fstates = flow_run_states (client, data.flow_run_id);
  g_assert_cmpstr (fstates, ==, "PENDING:Pending RUNNING:Running FAILED:Failed:Flow run encountered an exception. attempt 2 timed out");

  logs = logs_of (client, data.flow_run_id);
  g_assert_true (has_log (logs, "Finished in state Failed('Task run encountered an exception attempt 2 timed out')", prefect_ctx_task_run_get_id (run)));
  g_assert_true (has_log (logs, "Finished in state Failed('Flow run encountered an exception. attempt 2 timed out')", NULL));

  g_clear_error (&data.task_error);
  g_free (data.flow_run_id);
}

/* The one flow run in @client. */
static PrefectCtxFlowRun *
only_flow_run (PrefectCtxClient *client)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) runs = prefect_ctx_client_read_flow_runs (client, PREFECT_CTX_CLIENT_ANY_STATE, 0, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 1);
  return g_list_model_get_item (runs, 0);
}

static GVariant *
crashing_body (PrefectCtxRunContext  *context,
               GVariant              *parameters,
               gpointer               user_data,
               GError               **error)
{
  (*(int *) user_data)++;
  g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_CRASHED, "aborted outside the body");
  return NULL;
}

static GVariant *
crashing_flow_body (PrefectCtxRunContext  *context,
                    GVariant              *parameters,
                    gpointer               user_data,
                    GError               **error)
{
  g_autoptr(PrefectCtxTask) task = g_object_new (PREFECT_CTX_TYPE_TASK, "name", "crashing", "retries", 2,
                                                 "retry-delay-seconds", 0.0, NULL);

  return prefect_ctx_task_call (task, NULL, crashing_body, user_data, error);
}

/* A body that fails with PREFECT_CTX_ERROR_CRASHED is recorded Crashed, with
 * Prefect's "Crash detected!" line, and not retried; so is the flow run that
 * fails with it. */
static void
test_task_crash (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxFlow) flow = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "crashing-flow", "retries", 1, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(PrefectCtxFlowRun) flow_run = NULL;
  g_autoptr(GListModel) runs = NULL;
  g_autoptr(PrefectCtxTaskRun) run = NULL;
  g_autoptr(GListModel) logs = NULL;
  g_autofree char *states = NULL;
  g_autofree char *fstates = NULL;
  int attempts = 0;

  result = prefect_ctx_flow_run_sync (flow, NULL, options, crashing_flow_body, &attempts, &error);
  g_assert_null (result);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_CRASHED);
  g_assert_cmpint (attempts, ==, 1);

  flow_run = only_flow_run (client);
  fstates = flow_run_states (client, prefect_ctx_flow_run_get_id (flow_run));
  g_assert_cmpstr (fstates, ==, "PENDING:Pending RUNNING:Running CRASHED:Crashed:aborted outside the body");
  runs = task_runs_of (client, prefect_ctx_flow_run_get_id (flow_run));
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 1);
  run = g_list_model_get_item (runs, 0);
  g_assert_cmpint (prefect_ctx_task_run_get_run_count (run), ==, 1);
  states = task_run_states (client, prefect_ctx_task_run_get_id (run));
  g_assert_cmpstr (states, ==, "PENDING:Pending RUNNING:Running CRASHED:Crashed:aborted outside the body");
  logs = logs_of (client, prefect_ctx_flow_run_get_id (flow_run));
  g_assert_true (has_log (logs, "Crash detected! aborted outside the body", prefect_ctx_task_run_get_id (run)));
  g_assert_true (has_log (logs, "Crash detected! aborted outside the body", NULL));
}

typedef struct
{
  int   attempts;
  char *flow_run_id;
  int   run_counts[4];
} FlowRetryData;

static GVariant *
flaky_flow_body (PrefectCtxRunContext  *context,
                 GVariant              *parameters,
                 gpointer               user_data,
                 GError               **error)
{
  FlowRetryData *data = user_data;

  g_free (data->flow_run_id);
  data->flow_run_id = current_flow_run_id ();
  data->run_counts[data->attempts] = prefect_ctx_runtime_flow_run_get_run_count ();
  if (data->attempts++ == 0)
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED, "first try fails");
      return NULL;
    }
  return g_variant_new_string ("second try");
}

static void
test_flow_retries (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxFlow) flow = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "flaky-flow", "retries", 1, NULL);
  FlowRetryData data = { 0, NULL, { 0 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(PrefectCtxFlowRun) stored = NULL;
  g_autofree char *states = NULL;

  result = prefect_ctx_flow_run_sync (flow, NULL, options, flaky_flow_body, &data, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_variant_get_string (result, NULL), ==, "second try");
  g_assert_cmpint (data.run_counts[0], ==, 1);
  g_assert_cmpint (data.run_counts[1], ==, 2);

  stored = prefect_ctx_client_read_flow_run (client, data.flow_run_id, NULL, NULL);
  g_assert_cmpint (prefect_ctx_flow_run_get_run_count (stored), ==, 2);
  states = flow_run_states (client, data.flow_run_id);
  g_assert_cmpstr (states, ==,
                   "PENDING:Pending RUNNING:Running SCHEDULED:AwaitingRetry:Flow run encountered an exception. first try fails "
                   "RUNNING:Retrying COMPLETED:Completed");
  g_free (data.flow_run_id);
}

/* A flow run cancelled from outside while it runs (as `prefectctx flow-run
 * cancel` does: Cancelling, not forced). */
typedef struct
{
  PrefectCtxClient *client;
  char             *flow_run_id;
  int               mode;       /* 0: cancel and return; 1: cancel and fail;
                                 * 2: fail, and a thread cancels during the
                                 * retry delay */
  int               attempts;
  GThread          *canceller;
} CancelData;

static void
propose_cancelling (PrefectCtxClient *client,
                    const char       *id,
                    const char       *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxState) cancelling = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_CANCELLING, NULL, message);
  g_autoptr(PrefectCtxState) stored = prefect_ctx_client_set_flow_run_state (client, id, cancelling, FALSE,
                                                                             NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (stored);
}

/* Waits for the run to be AwaitingRetry, then cancels it. */
static gpointer
cancel_during_delay (gpointer user_data)
{
  CancelData *data = user_data;

  for (;;)
    {
      g_autoptr(PrefectCtxFlowRun) run = prefect_ctx_client_read_flow_run (data->client, data->flow_run_id,
                                                                           NULL, NULL);
      PrefectCtxState *state = prefect_ctx_flow_run_get_state (run);

      if (g_strcmp0 (prefect_ctx_state_get_name (state), "AwaitingRetry") == 0)
        break;
      g_usleep (1000);
    }
  propose_cancelling (data->client, data->flow_run_id, NULL);
  return NULL;
}

static GVariant *
cancelled_flow_body (PrefectCtxRunContext  *context,
                     GVariant              *parameters,
                     gpointer               user_data,
                     GError               **error)
{
  CancelData *data = user_data;

  data->attempts++;
  g_free (data->flow_run_id);
  data->flow_run_id = current_flow_run_id ();
  if (data->mode == 2)
    {
      data->canceller = g_thread_new ("canceller", cancel_during_delay, data);
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED, "fails");
      return NULL;
    }
  propose_cancelling (data->client, data->flow_run_id, "stop, please");
  if (data->mode == 1)
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED, "fails");
      return NULL;
    }
  return g_variant_new_string ("done anyway");
}

/* The run ends Cancelled (forced over Cancelling, with its message, as
 * Prefect's agent does), and its caller gets G_IO_ERROR_CANCELLED rather
 * than the body's result; cancelled during a retry's delay, no further
 * attempt runs. */
static void
test_flow_cancelled_from_outside (void)
{
  static const char * const expected[] = {
    "PENDING:Pending RUNNING:Running CANCELLING:Cancelling:stop, please CANCELLED:Cancelled:stop, please",
    "PENDING:Pending RUNNING:Running CANCELLING:Cancelling:stop, please CANCELLED:Cancelled:stop, please",
    "PENDING:Pending RUNNING:Running SCHEDULED:AwaitingRetry:Flow run encountered an exception. fails "
    "CANCELLED:Cancelled",
  };

  for (int mode = 0; mode < 3; mode++)
    {
      g_autoptr(PrefectCtxClient) client = memory_client ();
      g_autoptr(PrefectCtxRunOptions) options = options_for (client);
      g_autoptr(PrefectCtxFlow) flow = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "cancelled", "retries", 1,
                                                     "retry-delay-seconds", mode == 2 ? 0.2 : 0.0, NULL);
      CancelData data = { client, NULL, mode, 0, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) result = NULL;
      g_autofree char *states = NULL;
      g_autoptr(GListModel) logs = NULL;

      result = prefect_ctx_flow_run_sync (flow, NULL, options, cancelled_flow_body, &data, &error);
      if (data.canceller != NULL)
        g_thread_join (data.canceller);
      g_assert_null (result);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpstr (error->message, ==, mode == 2 ? "The run was cancelled while it ran" : "stop, please");
      g_assert_cmpint (data.attempts, ==, 1);
      states = flow_run_states (client, data.flow_run_id);
      g_assert_cmpstr (states, ==, expected[mode]);
      logs = logs_of (client, data.flow_run_id);
      g_assert_true (has_log (logs, mode == 2 ? "Finished in state Cancelled()"
                                              : "Finished in state Cancelled('stop, please')", NULL));
      g_free (data.flow_run_id);
    }
}

/* Submitted tasks see the caller's contexts on worker threads. */
typedef struct
{
  GThread                  *main_thread;
  PrefectCtxFlowRunContext *flow_ctx;
  char                     *flow_run_id;
  gint                      running;
  gint                      max_running;
  PrefectCtxTask           *task;
} SubmitData;

static GVariant *
worker_body (PrefectCtxRunContext  *context,
             GVariant              *parameters,
             gpointer               user_data,
             GError               **error)
{
  SubmitData *data = user_data;
  PrefectCtxTaskRunContext *task_ctx = PREFECT_CTX_TASK_RUN_CONTEXT (context);
  PrefectCtxTaskRun *task_run = prefect_ctx_task_run_context_get_task_run (task_ctx);
  PrefectCtxTagsContext *tags = prefect_ctx_tags_context_get_current ();
  gint running, max;

  running = g_atomic_int_add (&data->running, 1) + 1;
  do
    max = g_atomic_int_get (&data->max_running);
  while (running > max && !g_atomic_int_compare_and_exchange (&data->max_running, max, running));

  g_assert_true (g_thread_self () != data->main_thread);
  g_assert_true (prefect_ctx_get_run_context (NULL) == context);
  g_assert_true (prefect_ctx_flow_run_context_get_current () == data->flow_ctx);
  g_assert_cmpstr (prefect_ctx_task_run_get_flow_run_id (task_run), ==, data->flow_run_id);
  g_assert_true (prefect_ctx_tags_context_has_tag (tags, "outer"));
  g_assert_true (prefect_ctx_tags_context_has_tag (tags, "inner"));
  g_assert_true (prefect_ctx_tags_context_has_tag (tags, "run-option"));
  g_assert_cmpstr (prefect_ctx_custom_context_lookup ("team"), ==, "ml");
  g_assert_cmpstr (prefect_ctx_custom_context_lookup ("scope"), ==, "block");
  g_assert_true (prefect_ctx_run_context_get_client (context) ==
                 prefect_ctx_run_context_get_client (PREFECT_CTX_RUN_CONTEXT (data->flow_ctx)));

  g_usleep (20000);
  g_atomic_int_add (&data->running, -1);
  return g_variant_new_int64 (lookup_int (parameters, "x") * 2);
}

static GVariant *
submit_flow_body (PrefectCtxRunContext  *context,
                  GVariant              *parameters,
                  gpointer               user_data,
                  GError               **error)
{
  SubmitData *data = user_data;
  const char *inner[] = { "inner", NULL };
  g_autoptr(PrefectCtxTagsContext) tags = prefect_ctx_tags (inner);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(PrefectCtxCustomContext) custom = NULL;
  g_autoptr(GPtrArray) futures = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 total = 0;

  data->flow_ctx = PREFECT_CTX_FLOW_RUN_CONTEXT (context);
  data->flow_run_id = current_flow_run_id ();

  g_hash_table_insert (values, "scope", "block");
  custom = prefect_ctx_custom_context_new_merged (values, NULL);
  g_assert_true (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (tags), NULL));
  g_assert_true (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (custom), NULL));
  for (int i = 0; i < 8; i++)
    {
      GVariantDict dict;
      PrefectCtxTaskFuture *future;
      g_autoptr(PrefectCtxState) state = NULL;

      g_variant_dict_init (&dict, NULL);
      g_variant_dict_insert (&dict, "x", "x", (gint64) i);
      future = prefect_ctx_task_submit (data->task, g_variant_dict_end (&dict), worker_body, data, NULL, error);
      g_assert_nonnull (future);
      g_assert_nonnull (prefect_ctx_task_future_get_task_run_id (future));
      state = prefect_ctx_task_future_get_state (future);
      g_assert_nonnull (state);
      g_ptr_array_add (futures, future);
    }
  g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (custom), NULL));
  g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (tags), NULL));

  for (guint i = 0; i < futures->len; i++)
    {
      PrefectCtxTaskFuture *future = futures->pdata[i];
      g_autoptr(GVariant) result = prefect_ctx_task_future_get_result (future, error);
      g_autoptr(PrefectCtxState) state = prefect_ctx_task_future_get_state (future);

      g_assert_nonnull (result);
      g_assert_true (prefect_ctx_task_future_is_done (future));
      g_assert_cmpint (prefect_ctx_state_get_state_type (state), ==, PREFECT_CTX_STATE_TYPE_COMPLETED);
      total += g_variant_get_int64 (result);
    }
  return g_variant_new_int64 (total);
}

static void
test_submitted_tasks (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  const char *option_tags[] = { "run-option", NULL };
  g_autoptr(GVariant) custom = g_variant_ref_sink (g_variant_new_parsed ("{'team': 'ml', 'scope': 'run'}"));
  g_autoptr(PrefectCtxRunOptions) options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS,
                                                          "client", client, "tags", option_tags,
                                                          "custom-context", custom, "max-workers", 2, NULL);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("fan-out");
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("double");
  const char *outer[] = { "outer", NULL };
  g_autoptr(PrefectCtxTagsContext) outer_tags = prefect_ctx_tags (outer);
  SubmitData data = { g_thread_self (), NULL, NULL, 0, 0, task };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GListModel) runs = NULL;

  g_assert_true (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (outer_tags), NULL));
  result = prefect_ctx_flow_run_sync (flow, NULL, options, submit_flow_body, &data, &error);
  g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (outer_tags), NULL));
  g_assert_no_error (error);
  g_assert_cmpint (g_variant_get_int64 (result), ==, 2 * (0 + 1 + 2 + 3 + 4 + 5 + 6 + 7));
  /* The pool is bounded by max-workers. */
  g_assert_cmpint (data.max_running, <=, 2);
  g_assert_cmpint (data.max_running, >=, 1);
  g_assert_null (prefect_ctx_custom_context_get_current ());

  runs = task_runs_of (client, data.flow_run_id);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 8);
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(PrefectCtxTaskRun) run = g_list_model_get_item (runs, i);
      const char * const *tags = prefect_ctx_task_run_get_tags (run);

      g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_task_run_get_state (run)), ==,
                       PREFECT_CTX_STATE_TYPE_COMPLETED);
      g_assert_true (g_strv_contains (tags, "outer"));
      g_assert_true (g_strv_contains (tags, "inner"));
      g_assert_true (g_strv_contains (tags, "run-option"));
    }
  g_free (data.flow_run_id);
}

/* A submitted task that fails hands its error to the future. */
static GVariant *
failing_body (PrefectCtxRunContext  *context,
              GVariant              *parameters,
              gpointer               user_data,
              GError               **error)
{
  g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED, "worker failed");
  return NULL;
}

static void
count_destroy (gpointer data)
{
  g_atomic_int_inc ((gint *) data);
}

static void
test_submit_outside_flow (void)
{
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("lonely");
  g_autoptr(PrefectCtxTaskFuture) future = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(PrefectCtxState) state = NULL;
  g_autoptr(PrefectCtxClient) client = NULL;
  g_autoptr(PrefectCtxTaskRun) run = NULL;
  gint destroyed = 0;

  /* Outside any run the default client is used: $PREFECT_HOME/prefectctx.db. */
  future = prefect_ctx_task_submit (task, NULL, failing_body, &destroyed, count_destroy, &error);
  g_assert_no_error (error);
  prefect_ctx_task_future_wait (future);
  result = prefect_ctx_task_future_get_result (future, &error);
  g_assert_null (result);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "worker failed");
  g_clear_error (&error);
  /* As often as it is asked. */
  result = prefect_ctx_task_future_get_result (future, &error);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED);
  state = prefect_ctx_task_future_get_state (future);
  g_assert_cmpint (prefect_ctx_state_get_state_type (state), ==, PREFECT_CTX_STATE_TYPE_FAILED);
  g_assert_cmpint (g_atomic_int_get (&destroyed), ==, 1);

  client = prefect_ctx_client_get_default (NULL);
  g_assert_nonnull (client);
  run = prefect_ctx_client_read_task_run (client, prefect_ctx_task_future_get_task_run_id (future), NULL, NULL);
  g_assert_nonnull (run);
  g_assert_null (prefect_ctx_task_run_get_flow_run_id (run));
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_task_run_get_state (run)), ==,
                   PREFECT_CTX_STATE_TYPE_FAILED);
}

/* Upstream task runs: a task run whose inputs name a submitted run that
 * did not complete stays Pending NotReady and does not run. */
static GVariant *
counting_body (PrefectCtxRunContext  *context,
               GVariant              *parameters,
               gpointer               user_data,
               GError               **error)
{
  g_atomic_int_inc ((gint *) user_data);
  return g_variant_new_int64 (1);
}

/* A task whose runs' inputs are `{key: [{"input_type": "task_run", "id":
 * ID}]}`, with @allowed as its allow-failure. */
static PrefectCtxTask *
task_after (const char         *name,
            const char         *key,
            const char         *id,
            const char * const *allowed)
{
  g_autofree char *text = g_strdup_printf ("{'%s': <[<{'input_type': <'task_run'>, 'id': <'%s'>}>]>}", key, id);
  GVariant *inputs = g_variant_new_parsed (text);

  return g_object_new (PREFECT_CTX_TYPE_TASK, "name", name, "task-inputs", inputs,
                       "allow-failure", allowed, NULL);
}

typedef struct
{
  PrefectCtxClient *client;
  gint              ran;
  char             *failed_id;
  char             *blocked_id;
  char             *allowed_id;
  char             *after_ok_id;
} UpstreamData;

static GVariant *
upstream_flow_body (PrefectCtxRunContext  *context,
                    GVariant              *parameters,
                    gpointer               user_data,
                    GError               **error)
{
  UpstreamData *data = user_data;
  const char *allowed[] = { NULL, NULL };
  g_autoptr(PrefectCtxTask) failing = prefect_ctx_task_new ("fails");
  g_autoptr(PrefectCtxTask) ok = prefect_ctx_task_new ("ok");
  g_autoptr(PrefectCtxTask) called = NULL;
  g_autoptr(PrefectCtxTask) blocked = NULL;
  g_autoptr(PrefectCtxTask) allowing = NULL;
  g_autoptr(PrefectCtxTask) after_ok = NULL;
  g_autoptr(PrefectCtxTaskFuture) failed_future = NULL;
  g_autoptr(PrefectCtxTaskFuture) ok_future = NULL;
  g_autoptr(PrefectCtxTaskFuture) blocked_future = NULL;
  g_autoptr(PrefectCtxTaskFuture) allowed_future = NULL;
  g_autoptr(PrefectCtxTaskFuture) after_ok_future = NULL;
  g_autoptr(PrefectCtxState) state = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GError) local_error = NULL;

  failed_future = prefect_ctx_task_submit (failing, NULL, failing_body, NULL, NULL, error);
  g_assert_nonnull (failed_future);
  data->failed_id = g_strdup (prefect_ctx_task_future_get_task_run_id (failed_future));

  /* Called: waits for the failed run, then does not run. */
  called = task_after ("called", "x", data->failed_id, NULL);
  result = prefect_ctx_task_call (called, NULL, counting_body, &data->ran, &local_error);
  g_assert_null (result);
  g_assert_error (local_error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_UNFINISHED_RUN);
  g_assert_cmpstr (local_error->message, ==, "Run is in PENDING state, its result is not available.");
  g_clear_error (&local_error);

  /* Submitted: the worker waits the same way. */
  blocked = task_after ("blocked", "wait_for", data->failed_id, NULL);
  blocked_future = prefect_ctx_task_submit (blocked, NULL, counting_body, &data->ran, NULL, error);
  data->blocked_id = g_strdup (prefect_ctx_task_future_get_task_run_id (blocked_future));
  result = prefect_ctx_task_future_get_result (blocked_future, &local_error);
  g_assert_error (local_error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_UNFINISHED_RUN);
  g_clear_error (&local_error);
  state = prefect_ctx_task_future_get_state (blocked_future);
  g_assert_cmpint (prefect_ctx_state_get_state_type (state), ==, PREFECT_CTX_STATE_TYPE_PENDING);
  g_assert_cmpstr (prefect_ctx_state_get_name (state), ==, "NotReady");
  g_clear_object (&state);

  /* allow-failure lets a Failed upstream through. */
  allowed[0] = data->failed_id;
  allowing = task_after ("allowing", "x", data->failed_id, allowed);
  allowed_future = prefect_ctx_task_submit (allowing, NULL, counting_body, &data->ran, NULL, error);
  data->allowed_id = g_strdup (prefect_ctx_task_future_get_task_run_id (allowed_future));
  result = prefect_ctx_task_future_get_result (allowed_future, error);
  g_assert_nonnull (result);
  g_clear_pointer (&result, g_variant_unref);

  /* A Completed upstream lets it run, after the upstream. */
  ok_future = prefect_ctx_task_submit (ok, NULL, counting_body, &data->ran, NULL, error);
  after_ok = task_after ("after-ok", "x", prefect_ctx_task_future_get_task_run_id (ok_future), NULL);
  result = prefect_ctx_task_call (after_ok, NULL, counting_body, &data->ran, error);
  g_assert_nonnull (result);
  g_assert_true (prefect_ctx_task_future_is_done (ok_future));
  g_clear_pointer (&result, g_variant_unref);
  after_ok_future = prefect_ctx_task_submit (after_ok, NULL, counting_body, &data->ran, NULL, error);
  data->after_ok_id = g_strdup (prefect_ctx_task_future_get_task_run_id (after_ok_future));
  return prefect_ctx_task_future_get_result (after_ok_future, error);
}

static void
test_upstream_not_ready (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("upstreams");
  g_autoptr(PrefectCtxTask) plain = prefect_ctx_task_new ("plain");
  UpstreamData data = { client, 0, NULL, NULL, NULL, NULL };
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *flow_run_id = NULL;
  g_autoptr(PrefectCtxTaskRun) blocked_run = NULL;
  g_autoptr(GListModel) runs = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *states = NULL;
  gboolean seen_called = FALSE;

  /* The default: nothing is allowed to fail. */
  g_assert_nonnull (prefect_ctx_task_get_allow_failure (plain));
  g_assert_null (prefect_ctx_task_get_allow_failure (plain)[0]);

  result = prefect_ctx_flow_run_sync (flow, NULL, options, upstream_flow_body, &data, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_variant_get_int64 (result), ==, 1);
  /* allowing, ok, after-ok (called and submitted): not called, not blocked. */
  g_assert_cmpint (g_atomic_int_get (&data.ran), ==, 4);

  expected = g_strdup_printf ("PENDING:Pending PENDING:NotReady:Upstream task run '%s' did not reach a "
                              "'COMPLETED' state.", data.failed_id);
  states = task_run_states (client, data.blocked_id);
  g_assert_cmpstr (states, ==, expected);
  g_clear_pointer (&states, g_free);

  /* The call made its task run Pending only, then NotReady, and logged no
   * `Finished in state` line. */
  blocked_run = prefect_ctx_client_read_task_run (client, data.blocked_id, NULL, &error);
  g_assert_no_error (error);
  flow_run_id = g_strdup (prefect_ctx_task_run_get_flow_run_id (blocked_run));
  g_assert_cmpint (prefect_ctx_task_run_get_run_count (blocked_run), ==, 0);
  runs = task_runs_of (client, flow_run_id);
  for (guint i = 0; i < g_list_model_get_n_items (runs); i++)
    {
      g_autoptr(PrefectCtxTaskRun) run = g_list_model_get_item (runs, i);

      if (g_strcmp0 (prefect_ctx_task_run_get_name (run), "called-0") != 0)
        continue;
      seen_called = TRUE;
      states = task_run_states (client, prefect_ctx_task_run_get_id (run));
      g_assert_cmpstr (states, ==, expected);
      g_clear_pointer (&states, g_free);
      g_assert_cmpint (prefect_ctx_task_run_get_run_count (run), ==, 0);
    }
  g_assert_true (seen_called);

  states = task_run_states (client, data.allowed_id);
  g_assert_cmpstr (states, ==, "PENDING:Pending RUNNING:Running COMPLETED:Completed");
  g_clear_pointer (&states, g_free);
  states = task_run_states (client, data.after_ok_id);
  g_assert_cmpstr (states, ==, "PENDING:Pending RUNNING:Running COMPLETED:Completed");

  g_free (data.failed_id);
  g_free (data.blocked_id);
  g_free (data.allowed_id);
  g_free (data.after_ok_id);
}

/* Atomics, which ThreadSanitizer sees (GLib's mutexes it does not). */
typedef struct
{
  gint released;
} Gate;

static GVariant *
gated_body (PrefectCtxRunContext  *context,
            GVariant              *parameters,
            gpointer               user_data,
            GError               **error)
{
  Gate *gate = user_data;

  while (!g_atomic_int_get (&gate->released))
    g_usleep (1000);
  return g_variant_new_int32 (9);
}

/* future.wait (timeout): FALSE while the run goes on, TRUE once it is
 * over; 0 looks without waiting, a negative timeout waits for good. */
static void
test_future_wait_timeout (void)
{
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("gated");
  g_autoptr(PrefectCtxTaskFuture) future = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  Gate gate = { 0 };
  gint64 start;

  future = prefect_ctx_task_submit (task, NULL, gated_body, &gate, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (prefect_ctx_task_future_wait_timeout (future, 0));
  start = g_get_monotonic_time ();
  g_assert_false (prefect_ctx_task_future_wait_timeout (future, 0.05));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 50 * 1000);

  g_atomic_int_set (&gate.released, TRUE);
  g_assert_true (prefect_ctx_task_future_wait_timeout (future, -1));
  g_assert_true (prefect_ctx_task_future_wait_timeout (future, 0));
  result = prefect_ctx_task_future_get_result (future, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_variant_get_int32 (result), ==, 9);
}

static void
test_task_outside_flow (void)
{
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("solo");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(PrefectCtxClient) client = prefect_ctx_client_get_default (NULL);
  g_autoptr(GRegex) uuid = g_regex_new ("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", 0, 0, NULL);
  char *task_run_id = NULL;
  g_autoptr(PrefectCtxTaskRun) run = NULL;
  g_autofree char *states = NULL;
  g_autofree char *expected_name = NULL;

  result = prefect_ctx_task_call (task, xy (2, 3), add_body, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_variant_get_int64 (result), ==, 5);

  /* Find it: the newest task run of no flow run named solo-... */
  {
    g_autoptr(GListModel) runs = task_runs_of (client, NULL);

    for (guint i = 0; i < g_list_model_get_n_items (runs); i++)
      {
        g_autoptr(PrefectCtxTaskRun) candidate = g_list_model_get_item (runs, i);

        if (g_str_has_prefix (prefect_ctx_task_run_get_name (candidate), "solo-"))
          {
            g_free (task_run_id);
            task_run_id = g_strdup (prefect_ctx_task_run_get_id (candidate));
          }
      }
  }
  g_assert_nonnull (task_run_id);
  run = prefect_ctx_client_read_task_run (client, task_run_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (prefect_ctx_task_run_get_flow_run_id (run));
  g_assert_true (g_regex_match (uuid, prefect_ctx_task_run_get_dynamic_key (run), 0, NULL));
  expected_name = g_strdup_printf ("solo-%.3s", prefect_ctx_task_run_get_dynamic_key (run));
  g_assert_cmpstr (prefect_ctx_task_run_get_name (run), ==, expected_name);
  states = task_run_states (client, task_run_id);
  g_assert_cmpstr (states, ==, "PENDING:Pending RUNNING:Running COMPLETED:Completed");
  g_free (task_run_id);
}

/* Subflows: a flow called in a flow (and in a task in a flow). */
typedef struct
{
  PrefectCtxFlow *child;
  PrefectCtxFlow *grandchild;
  PrefectCtxTask *task;
  char           *parent_id;
  char           *child_id;
  char           *grandchild_id;
  char           *child_parent_seen;
  char           *child_root_seen;
  char           *grandchild_parent_seen;
  char           *grandchild_root_seen;
} SubflowData;

static GVariant *
grandchild_body (PrefectCtxRunContext  *context,
                 GVariant              *parameters,
                 gpointer               user_data,
                 GError               **error)
{
  SubflowData *data = user_data;

  /* A subflow in a task: the flow context wins (Prefect >= 3.6.1). */
  g_assert_true (PREFECT_CTX_IS_FLOW_RUN_CONTEXT (prefect_ctx_get_run_context (NULL)));
  data->grandchild_id = current_flow_run_id ();
  data->grandchild_parent_seen = prefect_ctx_runtime_flow_run_get_parent_flow_run_id ();
  data->grandchild_root_seen = prefect_ctx_runtime_flow_run_get_root_flow_run_id ();
  return g_variant_new_string ("deep");
}

static GVariant *
task_calling_flow_body (PrefectCtxRunContext  *context,
                        GVariant              *parameters,
                        gpointer               user_data,
                        GError               **error)
{
  SubflowData *data = user_data;

  return prefect_ctx_flow_run_sync (data->grandchild, NULL, NULL, grandchild_body, data, error);
}

static GVariant *
child_body (PrefectCtxRunContext  *context,
            GVariant              *parameters,
            gpointer               user_data,
            GError               **error)
{
  SubflowData *data = user_data;

  data->child_id = current_flow_run_id ();
  data->child_parent_seen = prefect_ctx_runtime_flow_run_get_parent_flow_run_id ();
  data->child_root_seen = prefect_ctx_runtime_flow_run_get_root_flow_run_id ();
  return prefect_ctx_task_call (data->task, NULL, task_calling_flow_body, data, error);
}

static GVariant *
parent_body (PrefectCtxRunContext  *context,
             GVariant              *parameters,
             gpointer               user_data,
             GError               **error)
{
  SubflowData *data = user_data;

  data->parent_id = current_flow_run_id ();
  return prefect_ctx_flow_run_sync (data->child, NULL, NULL, child_body, data, error);
}

static void
test_subflow (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxFlow) parent = prefect_ctx_flow_new ("parent");
  g_autoptr(PrefectCtxFlow) child = prefect_ctx_flow_new ("child");
  g_autoptr(PrefectCtxFlow) grandchild = prefect_ctx_flow_new ("grandchild");
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("launcher");
  SubflowData data = { child, grandchild, task, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(PrefectCtxFlowRun) child_run = NULL;
  g_autoptr(PrefectCtxFlowRun) grandchild_run = NULL;
  g_autoptr(PrefectCtxTaskRun) parent_task = NULL;
  g_autoptr(PrefectCtxTaskRun) grandchild_parent_task = NULL;
  g_autofree char *states = NULL;

  result = prefect_ctx_flow_run_sync (parent, NULL, options, parent_body, &data, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_variant_get_string (result, NULL), ==, "deep");

  /* The subflow reports to the client of its parent. */
  child_run = prefect_ctx_client_read_flow_run (client, data.child_id, NULL, &error);
  g_assert_no_error (error);
  parent_task = prefect_ctx_client_read_task_run (client, prefect_ctx_flow_run_get_parent_task_run_id (child_run),
                                                  NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_task_run_get_flow_run_id (parent_task), ==, data.parent_id);
  /* Named as the server names a task run it is given no name for (two
   * random words), with no tags, and the subflow's parameters as inputs,
   * as Prefect's engine makes it. */
  g_assert_true (g_regex_match_simple ("^[a-z]+-[a-z]+$", prefect_ctx_task_run_get_name (parent_task), 0, 0));
  g_assert_cmpstr (prefect_ctx_task_run_get_task_key (parent_task), ==, "child");
  g_assert_cmpuint (g_strv_length ((char **) prefect_ctx_task_run_get_tags (parent_task)), ==, 0);
  states = task_run_states (client, prefect_ctx_task_run_get_id (parent_task));
  /* Its own Pending, then each state of the subflow, copied by the store
   * (Prefect's UpdateSubflowParentTask), once: run_count 1. */
  g_assert_cmpstr (states, ==, "PENDING:Pending PENDING:Pending RUNNING:Running COMPLETED:Completed");
  g_assert_cmpint (prefect_ctx_task_run_get_run_count (parent_task), ==, 1);

  grandchild_run = prefect_ctx_client_read_flow_run (client, data.grandchild_id, NULL, &error);
  g_assert_no_error (error);
  grandchild_parent_task = prefect_ctx_client_read_task_run (client,
                                                             prefect_ctx_flow_run_get_parent_task_run_id (grandchild_run),
                                                             NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_task_run_get_flow_run_id (grandchild_parent_task), ==, data.child_id);
  g_assert_cmpstr (prefect_ctx_task_run_get_task_key (grandchild_parent_task), ==, "grandchild");

  /* The runtime resolves parents through the store. */
  g_assert_cmpstr (data.child_parent_seen, ==, data.parent_id);
  g_assert_cmpstr (data.child_root_seen, ==, data.parent_id);
  g_assert_cmpstr (data.grandchild_parent_seen, ==, data.child_id);
  g_assert_cmpstr (data.grandchild_root_seen, ==, data.parent_id);

  g_free (data.parent_id);
  g_free (data.child_id);
  g_free (data.grandchild_id);
  g_free (data.child_parent_seen);
  g_free (data.child_root_seen);
  g_free (data.grandchild_parent_seen);
  g_free (data.grandchild_root_seen);
}

static void
test_registry_blocks (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxObjectRegistry) registry = prefect_ctx_object_registry_new (TRUE, TRUE);
  g_autoptr(PrefectCtxObjectRegistry) plain = prefect_ctx_object_registry_new (FALSE, FALSE);
  g_autoptr(PrefectCtxFlow) flow = NULL;
  g_autoptr(PrefectCtxFlow) record = NULL;
  g_autoptr(GPtrArray) flows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GListModel) runs = NULL;
  int calls = 0;

  g_assert_true (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (registry), NULL));
  flow = prefect_ctx_flow_new ("discovered");
  /* A record read from a store (it has an id) is not a definition. */
  record = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "record", "id", "0d4f7c1e-2b5a-4c1e-9f3a-1b2c3d4e5f60", NULL);
  result = prefect_ctx_flow_run_sync (flow, NULL, options, none_body, &calls, &error);
  g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (registry), NULL));

  g_assert_no_error (error);
  g_assert_null (result);
  g_assert_cmpint (calls, ==, 0);
  flows = prefect_ctx_object_registry_get_instances (registry, PREFECT_CTX_TYPE_FLOW);
  g_assert_cmpuint (flows->len, ==, 1);
  g_assert_true (flows->pdata[0] == (gpointer) flow);
  runs = prefect_ctx_client_read_flow_runs (client, PREFECT_CTX_CLIENT_ANY_STATE, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 0);

  /* A registry that does not block lets flows run. */
  g_assert_true (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (plain), NULL));
  result = prefect_ctx_flow_run_sync (flow, NULL, options, none_body, &calls, &error);
  g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (plain), NULL));
  g_assert_no_error (error);
  g_assert_cmpint (calls, ==, 1);
}

/* Logging: g_message inside runs becomes run logs; g_print with log-prints. */
static GVariant *
logging_task_body (PrefectCtxRunContext  *context,
                   GVariant              *parameters,
                   gpointer               user_data,
                   GError               **error)
{
  g_message ("hello from task %d", 7);
  g_debug ("below the threshold");
  g_print ("printed by the task\n");
  return NULL;
}

typedef struct
{
  PrefectCtxTask *quiet;
  PrefectCtxTask *loud;
  char           *flow_run_id;
  char           *quiet_id;
  char           *loud_id;
} LogData;

static GVariant *
logging_flow_body (PrefectCtxRunContext  *context,
                   GVariant              *parameters,
                   gpointer               user_data,
                   GError               **error)
{
  LogData *data = user_data;
  g_autoptr(PrefectCtxTaskFuture) future = NULL;

  data->flow_run_id = current_flow_run_id ();
  g_message ("hello from flow");
  g_print ("printed by the flow\n");
  prefect_ctx_task_call (data->quiet, NULL, logging_task_body, NULL, error);
  future = prefect_ctx_task_submit (data->loud, NULL, logging_task_body, NULL, NULL, error);
  prefect_ctx_task_future_wait (future);
  data->loud_id = g_strdup (prefect_ctx_task_future_get_task_run_id (future));
  return NULL;
}

static void
test_log_writer (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("chatty");
  g_autoptr(PrefectCtxTask) quiet = prefect_ctx_task_new ("quiet");
  g_autoptr(PrefectCtxTask) loud = g_object_new (PREFECT_CTX_TYPE_TASK, "name", "loud", "log-prints", TRUE, NULL);
  LogData data = { quiet, loud, NULL, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GListModel) logs = NULL;
  g_autoptr(GListModel) runs = NULL;
  gboolean found_task_message = FALSE;

  prefect_ctx_install_log_writer ();
  prefect_ctx_install_log_writer ();  /* twice is harmless */
  g_message ("outside any run");

  result = prefect_ctx_flow_run_sync (flow, NULL, options, logging_flow_body, &data, &error);
  g_assert_no_error (error);

  logs = logs_of (client, data.flow_run_id);
  g_assert_true (has_log (logs, "hello from flow", NULL));
  g_assert_false (has_log (logs, "outside any run", NULL));
  g_assert_false (has_log (logs, "below the threshold", NULL));
  /* The flow does not log prints, nor does the quiet task; the loud one does. */
  g_assert_false (has_log (logs, "printed by the flow", NULL));
  g_assert_true (has_log (logs, "printed by the task", data.loud_id));
  runs = task_runs_of (client, data.flow_run_id);
  for (guint i = 0; i < g_list_model_get_n_items (runs); i++)
    {
      g_autoptr(PrefectCtxTaskRun) run = g_list_model_get_item (runs, i);

      if (g_strcmp0 (prefect_ctx_task_run_get_name (run), "quiet-0") == 0)
        {
          g_assert_false (has_log (logs, "printed by the task", prefect_ctx_task_run_get_id (run)));
          found_task_message = has_log (logs, "hello from task 7", prefect_ctx_task_run_get_id (run));
        }
    }
  g_assert_true (found_task_message);
  g_assert_true (has_log (logs, "hello from task 7", data.loud_id));

  for (guint i = 0; i < g_list_model_get_n_items (logs); i++)
    {
      g_autoptr(PrefectCtxLogEntry) entry = g_list_model_get_item (logs, i);

      if (g_strcmp0 (prefect_ctx_log_entry_get_message (entry), "hello from flow") == 0)
        {
          g_assert_cmpint (prefect_ctx_log_entry_get_level (entry), ==, 20);
          g_assert_cmpstr (prefect_ctx_log_entry_get_name (entry), ==, "PrefectCtx-test");
          g_assert_null (prefect_ctx_log_entry_get_task_run_id (entry));
        }
    }

  g_free (data.flow_run_id);
  g_free (data.loud_id);
}

/* prefect_ctx_run_log (): the run logger, without the log writer. */
static GVariant *
run_log_task_body (PrefectCtxRunContext  *context,
                   GVariant              *parameters,
                   gpointer               user_data,
                   GError               **error)
{
  g_assert_true (prefect_ctx_run_log (30, "task line", error));
  return NULL;
}

static GVariant *
run_log_flow_body (PrefectCtxRunContext  *context,
                   GVariant              *parameters,
                   gpointer               user_data,
                   GError               **error)
{
  LogData *data = user_data;
  g_autoptr(GVariant) result = NULL;

  data->flow_run_id = current_flow_run_id ();
  g_assert_true (prefect_ctx_run_log (20, "flow line", error));
  g_assert_true (prefect_ctx_run_log (10, "debug line", error));   /* below the threshold */
  g_assert_true (prefect_ctx_run_log (40, "error line", error));
  result = prefect_ctx_task_call (data->quiet, NULL, run_log_task_body, NULL, error);
  return NULL;
}

static GVariant *
one_body (PrefectCtxRunContext  *context,
          GVariant              *parameters,
          gpointer               user_data,
          GError               **error)
{
  return g_variant_new_int32 (1);
}

static GVariant *
trivial_task_flow_body (PrefectCtxRunContext  *context,
                        GVariant              *parameters,
                        gpointer               user_data,
                        GError               **error)
{
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("trivial");

  return prefect_ctx_task_call (task, NULL, one_body, NULL, error);
}

/* Once its runs are over, nothing of the engine keeps a client: the log
 * buffers held every client that ever logged (with its database
 * connection) for good. */
static void
test_client_released (void)
{
  PrefectCtxClient *client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("releasing");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;

  g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &client);
  result = prefect_ctx_flow_run_sync (flow, NULL, options, trivial_task_flow_body, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&options);
  g_object_unref (client);
  g_assert_null (client);
}

static void
test_run_log (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("logger");
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("worker");
  g_autoptr(PrefectCtxFlowRun) bare_run = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "name", "by-hand", NULL);
  g_autoptr(PrefectCtxFlowRunContext) by_hand = prefect_ctx_flow_run_context_new (flow, bare_run, NULL);
  LogData data = { task, NULL, NULL, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GListModel) logs = NULL;
  g_autoptr(GListModel) runs = NULL;
  g_autoptr(PrefectCtxTaskRun) task_run = NULL;
  guint n_found = 0;

  /* Outside any run: Prefect's MissingContextError. */
  g_assert_false (prefect_ctx_run_log (20, "nowhere", &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_MISSING_CONTEXT);
  g_assert_cmpstr (error->message, ==, "There is no active flow or task run context.");
  g_clear_error (&error);

  /* A run context entered by hand has no client: the line is dropped. */
  g_assert_true (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (by_hand), &error));
  g_assert_true (prefect_ctx_run_log (20, "dropped", &error));
  g_assert_no_error (error);
  g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (by_hand), &error));

  result = prefect_ctx_flow_run_sync (flow, NULL, options, run_log_flow_body, &data, &error);
  g_assert_no_error (error);

  runs = task_runs_of (client, data.flow_run_id);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 1);
  task_run = g_list_model_get_item (runs, 0);
  logs = logs_of (client, data.flow_run_id);
  g_assert_false (has_log (logs, "debug line", NULL));
  g_assert_false (has_log (logs, "dropped", NULL));
  for (guint i = 0; i < g_list_model_get_n_items (logs); i++)
    {
      g_autoptr(PrefectCtxLogEntry) entry = g_list_model_get_item (logs, i);
      const char *message = prefect_ctx_log_entry_get_message (entry);
      const char *name = prefect_ctx_log_entry_get_name (entry);
      int level = prefect_ctx_log_entry_get_level (entry);

      g_assert_cmpstr (prefect_ctx_log_entry_get_flow_run_id (entry), ==, data.flow_run_id);
      if (g_strcmp0 (message, "flow line") == 0 || g_strcmp0 (message, "error line") == 0)
        {
          g_assert_cmpstr (name, ==, "prefect.flow_runs");
          g_assert_cmpint (level, ==, message[0] == 'f' ? 20 : 40);
          g_assert_null (prefect_ctx_log_entry_get_task_run_id (entry));
          n_found++;
        }
      else if (g_strcmp0 (message, "task line") == 0)
        {
          g_assert_cmpstr (name, ==, "prefect.task_runs");
          g_assert_cmpint (level, ==, 30);
          g_assert_cmpstr (prefect_ctx_log_entry_get_task_run_id (entry), ==,
                           prefect_ctx_task_run_get_id (task_run));
          n_found++;
        }
    }
  g_assert_cmpuint (n_found, ==, 3);
  g_free (data.flow_run_id);
}

/* A flow with log-prints logs the prints of its body and its tasks. */
static void
test_flow_log_prints (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxFlow) flow = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "printer", "log-prints", TRUE, NULL);
  g_autoptr(PrefectCtxTask) quiet = prefect_ctx_task_new ("inherits");
  LogData data = { quiet, quiet, NULL, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GListModel) logs = NULL;

  prefect_ctx_install_log_writer ();
  result = prefect_ctx_flow_run_sync (flow, NULL, options, logging_flow_body, &data, &error);
  g_assert_no_error (error);
  logs = logs_of (client, data.flow_run_id);
  g_assert_true (has_log (logs, "printed by the flow", NULL));
  g_assert_true (has_log (logs, "printed by the task", data.loud_id));
  g_free (data.flow_run_id);
  g_free (data.loud_id);
}

/* A bad run-level custom context fails the run before the body. */
static void
test_bad_custom_context (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(GVariant) custom = g_variant_ref_sink (g_variant_new_parsed ("{'bad=key': 'v'}"));
  g_autoptr(PrefectCtxRunOptions) options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", client,
                                                          "custom-context", custom, NULL);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("bad-custom");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GListModel) runs = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  int calls = 0;

  result = prefect_ctx_flow_run_sync (flow, NULL, options, none_body, &calls, &error);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (calls, ==, 0);
  runs = prefect_ctx_client_read_flow_runs (client, PREFECT_CTX_CLIENT_ANY_STATE, 0, 0, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 1);
  run = g_list_model_get_item (runs, 0);
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_flow_run_get_state (run)), ==,
                   PREFECT_CTX_STATE_TYPE_FAILED);
  g_assert_cmpstr (prefect_ctx_state_get_message (prefect_ctx_flow_run_get_state (run)), ==, error->message);
}

/* ---------------------------------------------------------------------------
 * File stores and other processes
 */

static char *
store_path (const char *name)
{
  return g_build_filename (test_home, name, NULL);
}

/* Child: runs a flow of n tasks on a file store of the test's home, with a
 * run name and parameters, then exits. (Paths are not passed in the
 * environment: setenv () is not safe once threads exist.) */
static GVariant *
many_tasks_body (PrefectCtxRunContext  *context,
                 GVariant              *parameters,
                 gpointer               user_data,
                 GError               **error)
{
  g_autoptr(PrefectCtxTask) add = prefect_ctx_task_new ("add");
  gint64 total = 0;
  gint64 n = lookup_int (parameters, "n");
  gint64 kill_after = lookup_int (parameters, "kill_after");

  for (gint64 i = 0; i < n; i++)
    {
      g_autoptr(GVariant) sum = NULL;

      if (i == kill_after)
        {
          /* Die in the middle of a flow run, with logs still buffered,
           * once the store's durability window (20 ms) has passed: what
           * was recorded before is committed (a kill within the window
           * loses the task-run writes of that window). */
          g_usleep (G_USEC_PER_SEC / 5);
          raise (SIGKILL);
        }
      sum = prefect_ctx_task_call (add, xy (total, i), add_body, NULL, error);
      if (sum == NULL)
        return NULL;
      total = g_variant_get_int64 (sum);
    }
  return g_variant_new_int64 (total);
}

static void
run_child_flow (const char *db,
                gint64      n,
                gint64      kill_after)
{
  g_autofree char *path = store_path (db);
  g_autoptr(PrefectCtxClient) client = file_client (path);
  g_autoptr(PrefectCtxRunOptions) options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", client,
                                                          "run-name", "child-run", NULL);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("child-process-flow");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "n", "x", n);
  g_variant_dict_insert (&dict, "kill_after", "x", kill_after);
  result = prefect_ctx_flow_run_sync (flow, g_variant_dict_end (&dict), options, many_tasks_body, NULL, &error);
  g_assert_no_error (error);
  g_print ("result %" G_GINT64_FORMAT "\n", g_variant_get_int64 (result));
}

static void
test_child_writer (void)
{
  if (!g_test_subprocess ())
    return;
  run_child_flow ("after-exit.db", 20, -1);
}

static void
test_child_concurrent (void)
{
  if (!g_test_subprocess ())
    return;
  run_child_flow ("shared.db", 30, -1);
}

static void
test_child_killed (void)
{
  if (!g_test_subprocess ())
    return;
  run_child_flow ("killed.db", 100, 40);
}

static PrefectCtxFlowRun *
find_run_named (PrefectCtxClient *client,
                const char       *name)
{
  g_autoptr(GListModel) runs = prefect_ctx_client_read_flow_runs (client, PREFECT_CTX_CLIENT_ANY_STATE, 0, 0, NULL, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (runs); i++)
    {
      PrefectCtxFlowRun *run = g_list_model_get_item (runs, i);

      if (g_strcmp0 (prefect_ctx_flow_run_get_name (run), name) == 0)
        return run;
      g_object_unref (run);
    }
  return NULL;
}

static void
test_store_after_exit (void)
{
  g_autofree char *path = store_path ("after-exit.db");
  g_autoptr(PrefectCtxClient) client = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  g_autoptr(GListModel) tasks = NULL;
  g_autoptr(GListModel) logs = NULL;

  g_test_trap_subprocess ("/engine/store/child-writer", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*result 190*");

  /* Another process, which is gone: everything is in the file. */
  client = file_client (path);
  run = find_run_named (client, "child-run");
  g_assert_nonnull (run);
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_flow_run_get_state (run)), ==,
                   PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_assert_cmpint (lookup_int (prefect_ctx_flow_run_get_parameters (run), "n"), ==, 20);
  tasks = task_runs_of (client, prefect_ctx_flow_run_get_id (run));
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 20);
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(PrefectCtxTaskRun) task_run = g_list_model_get_item (tasks, i);

      g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_task_run_get_state (task_run)), ==,
                       PREFECT_CTX_STATE_TYPE_COMPLETED);
    }
  logs = logs_of (client, prefect_ctx_flow_run_get_id (run));
  /* Beginning, 20 task lines, the flow's final line. */
  g_assert_cmpuint (g_list_model_get_n_items (logs), ==, 22);
}

/* Child: a task whose body calls exit () in the middle of a flow run, or
 * sends the process the signal in user_data and waits for it. */
static GVariant *
exiting_body (PrefectCtxRunContext  *context,
              GVariant              *parameters,
              gpointer               user_data,
              GError               **error)
{
  int signum = GPOINTER_TO_INT (user_data);

  if (signum == 0)
    exit (0);
  kill (getpid (), signum);
  for (int i = 0; i < 100; i++)
    g_usleep (G_USEC_PER_SEC / 10);
  g_assert_not_reached ();
}

static GVariant *
exiting_flow_body (PrefectCtxRunContext  *context,
                   GVariant              *parameters,
                   gpointer               user_data,
                   GError               **error)
{
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("exits");

  return prefect_ctx_task_call (task, NULL, exiting_body, user_data, error);
}

static void
run_exiting_flow (const char *db,
                  int         signum)
{
  g_autofree char *path = store_path (db);
  g_autoptr(PrefectCtxClient) client = file_client (path);
  g_autoptr(PrefectCtxRunOptions) options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", client,
                                                          "run-name", "exiting-run", NULL);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("exits");
  g_autoptr(GVariant) result = NULL;

  if (signum != 0)
    {
      prefect_ctx_install_signal_handlers ();
      prefect_ctx_install_signal_handlers ();  /* only once */
    }
  result = prefect_ctx_flow_run_sync (flow, NULL, options, exiting_flow_body, GINT_TO_POINTER (signum), NULL);
  g_assert_not_reached ();
}

static void
test_child_exits (void)
{
  if (!g_test_subprocess ())
    return;
  run_exiting_flow ("exits.db", 0);
}

static void
test_child_sigterm (void)
{
  if (!g_test_subprocess ())
    return;
  run_exiting_flow ("sigterm.db", SIGTERM);
}

static void
test_child_sigint (void)
{
  if (!g_test_subprocess ())
    return;
  run_exiting_flow ("sigint.db", SIGINT);
}

/* The flow run of run_exiting_flow () in @db and its task run ended
 * Crashed with @message, with Prefect's log lines. */
static void
assert_crashed_run (const char *db,
                    const char *message)
{
  g_autofree char *path = store_path (db);
  g_autoptr(PrefectCtxClient) client = file_client (path);
  g_autoptr(PrefectCtxFlowRun) run = find_run_named (client, "exiting-run");
  g_autoptr(GListModel) tasks = NULL;
  g_autoptr(PrefectCtxTaskRun) task_run = NULL;
  g_autoptr(GListModel) logs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *states = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *crash_line = g_strdup_printf ("Crash detected! %s", message);
  guint crash_lines = 0;

  g_assert_nonnull (run);
  states = flow_run_states (client, prefect_ctx_flow_run_get_id (run));
  expected = g_strdup_printf ("PENDING:Pending RUNNING:Running CRASHED:Crashed:%s", message);
  g_assert_cmpstr (states, ==, expected);
  tasks = task_runs_of (client, prefect_ctx_flow_run_get_id (run));
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 1);
  task_run = g_list_model_get_item (tasks, 0);
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_task_run_get_state (task_run)), ==,
                   PREFECT_CTX_STATE_TYPE_CRASHED);
  g_assert_cmpstr (prefect_ctx_state_get_message (prefect_ctx_task_run_get_state (task_run)), ==, message);

  /* One line for each run. */
  logs = prefect_ctx_client_read_logs (client, prefect_ctx_flow_run_get_id (run), NULL, NULL, 0, 0, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (logs); i++)
    {
      g_autoptr(PrefectCtxLogEntry) entry = g_list_model_get_item (logs, i);

      if (g_strcmp0 (prefect_ctx_log_entry_get_message (entry), crash_line) == 0)
        crash_lines++;
    }
  g_assert_cmpuint (crash_lines, ==, 2);
}

/* A process that exits during a run records it Crashed, its task run too,
 * rather than leave them Running for good. */
static void
test_exit_during_run (void)
{
  g_test_trap_subprocess ("/engine/store/child-exits", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  assert_crashed_run ("exits.db", "Execution was aborted by the process exiting during the run.");
}

/* With prefect_ctx_install_signal_handlers (), SIGTERM and SIGINT record the
 * runs Crashed with Prefect's messages, then end the process as the signal
 * does. */
static void
test_signal_during_run (void)
{
  g_test_trap_subprocess ("/engine/store/child-sigterm", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr_unmatched ("*Sanitizer*");
  assert_crashed_run ("sigterm.db", "Execution was aborted by a termination signal.");

  g_test_trap_subprocess ("/engine/store/child-sigint", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr_unmatched ("*Sanitizer*");
  assert_crashed_run ("sigint.db", "Execution was aborted by an interrupt signal.");
}

/* Two processes run flows on one file store at the same time. */
static void
test_two_processes (void)
{
  g_autofree char *path = store_path ("shared.db");
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  GPid children[2];
  g_autoptr(PrefectCtxClient) client = NULL;
  g_autoptr(GListModel) runs = NULL;
  guint completed = 0;

  /* The store exists before the children open it (two processes creating
   * one new file at the same moment is the store's own test). */
  client = file_client (path);
  /* Plain fork and waitpid: GSubprocess would hand work to GLib's worker
   * thread, which ThreadSanitizer cannot follow. */
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      char *child_argv[] = { self, "-q", "-p", "/engine/store/child-concurrent", "--GTestSubprocess", NULL };

      g_spawn_async (NULL, child_argv, NULL,
                     G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &children[i], &error);
      g_assert_no_error (error);
    }
  for (int i = 0; i < 2; i++)
    {
      int status = 0;

      g_assert_cmpint (waitpid (children[i], &status, 0), ==, children[i]);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
      g_spawn_close_pid (children[i]);
    }

  runs = prefect_ctx_client_read_flow_runs (client, PREFECT_CTX_CLIENT_ANY_STATE, 0, 0, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(PrefectCtxFlowRun) run = g_list_model_get_item (runs, i);
      g_autoptr(GListModel) tasks = task_runs_of (client, prefect_ctx_flow_run_get_id (run));

      g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 30);
      if (prefect_ctx_state_get_state_type (prefect_ctx_flow_run_get_state (run)) == PREFECT_CTX_STATE_TYPE_COMPLETED)
        completed++;
    }
  g_assert_cmpuint (completed, ==, 2);
}

static void
test_store_after_sigkill (void)
{
  g_autofree char *path = store_path ("killed.db");
  g_autoptr(PrefectCtxClient) client = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  g_autoptr(GListModel) tasks = NULL;

  g_test_trap_subprocess ("/engine/store/child-killed", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();

  client = file_client (path);
  run = find_run_named (client, "child-run");
  g_assert_nonnull (run);
  /* Killed while running: the reader finds the run's process gone and
   * records it Crashed; every task run recorded before is there. */
  g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_flow_run_get_state (run)), ==,
                   PREFECT_CTX_STATE_TYPE_CRASHED);
  g_assert_true (g_str_has_prefix (prefect_ctx_state_get_message (prefect_ctx_flow_run_get_state (run)),
                                   "Execution was aborted: its process (pid "));
  tasks = task_runs_of (client, prefect_ctx_flow_run_get_id (run));
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 40);
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(PrefectCtxTaskRun) task_run = g_list_model_get_item (tasks, i);

      g_assert_cmpint (prefect_ctx_state_get_state_type (prefect_ctx_task_run_get_state (task_run)), ==,
                       PREFECT_CTX_STATE_TYPE_COMPLETED);
    }
}

/* The runtime reads the flow run named by PREFECT__FLOW_RUN_ID from the
 * default store when no context holds it. */
static void
test_runtime_child (void)
{
  g_autofree char *name = NULL;
  g_autofree char *flow_name = NULL;
  g_auto(GStrv) tags = NULL;
  g_autoptr(GVariant) params = NULL;

  g_autofree char *id_file = NULL;
  g_autofree char *id = NULL;

  if (!g_test_subprocess ())
    return;

  /* Set here, in the new process, before any thread exists. */
  id_file = store_path ("flow-run-id");
  g_assert_true (g_file_get_contents (id_file, &id, NULL, NULL));
  g_setenv ("PREFECT__FLOW_RUN_ID", id, TRUE);

  g_assert_null (prefect_ctx_flow_run_context_get_current ());
  name = prefect_ctx_runtime_flow_run_get_name ();
  g_assert_cmpstr (name, ==, "stored-run");
  flow_name = prefect_ctx_runtime_flow_run_get_flow_name ();
  g_assert_cmpstr (flow_name, ==, "runtime-flow");
  tags = prefect_ctx_runtime_flow_run_get_tags ();
  g_assert_cmpstr (tags[0], ==, "stored-tag");
  params = prefect_ctx_runtime_flow_run_get_parameters ();
  g_assert_cmpint (lookup_int (params, "n"), ==, 5);
  g_assert_cmpint (prefect_ctx_runtime_flow_run_get_run_count (), ==, 1);
  g_print ("runtime ok\n");
}

static GVariant *
id_body (PrefectCtxRunContext  *context,
         GVariant              *parameters,
         gpointer               user_data,
         GError               **error)
{
  *(char **) user_data = current_flow_run_id ();
  return NULL;
}

static void
test_runtime_fallback (void)
{
  g_autoptr(PrefectCtxClient) client = prefect_ctx_client_get_default (NULL);
  const char *tags[] = { "stored-tag", NULL };
  g_autoptr(PrefectCtxRunOptions) options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "run-name", "stored-run",
                                                          "tags", tags, NULL);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("runtime-flow");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  GVariantDict dict;
  char *id = NULL;

  g_assert_nonnull (client);
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "n", "x", (gint64) 5);
  result = prefect_ctx_flow_run_sync (flow, g_variant_dict_end (&dict), options, id_body, &id, &error);
  g_assert_no_error (error);

  {
    g_autofree char *id_file = store_path ("flow-run-id");

    g_assert_true (g_file_set_contents (id_file, id, -1, NULL));
  }
  g_test_trap_subprocess ("/engine/runtime/child", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*runtime ok*");
  g_free (id);
}

/* ---------------------------------------------------------------------------
 * Timeouts: an attempt that ends past the timeout is TimedOut, whatever the
 * body returned; retries apply.
 */

typedef struct
{
  int   slow_attempts;   /* the first ones sleep past the timeout */
  int   attempts;
  char *task_run_id;
} SlowData;

static GVariant *
slow_body (PrefectCtxRunContext  *context,
           GVariant              *parameters,
           gpointer               user_data,
           GError               **error)
{
  SlowData *data = user_data;

  if (PREFECT_CTX_IS_TASK_RUN_CONTEXT (context) && data->task_run_id == NULL)
    data->task_run_id = g_strdup (prefect_ctx_task_run_get_id (
        prefect_ctx_task_run_context_get_task_run (PREFECT_CTX_TASK_RUN_CONTEXT (context))));
  if (data->attempts++ < data->slow_attempts)
    g_usleep (60 * 1000);
  return g_variant_new_string ("done");
}

typedef struct
{
  PrefectCtxTask *task;
  SlowData        first_slow, always_slow, fast;
  GError         *always_error;
} TimeoutFlowData;

static GVariant *
timeout_flow_body (PrefectCtxRunContext  *context,
                   GVariant              *parameters,
                   gpointer               user_data,
                   GError               **error)
{
  TimeoutFlowData *data = user_data;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) always = NULL;

  first = prefect_ctx_task_call (data->task, NULL, slow_body, &data->first_slow, error);
  if (first == NULL)
    return NULL;
  always = prefect_ctx_task_call (data->task, NULL, slow_body, &data->always_slow, &data->always_error);
  g_assert_null (always);
  return prefect_ctx_task_call (data->task, NULL, slow_body, &data->fast, error);
}

static void
test_timeout (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxTask) task = g_object_new (PREFECT_CTX_TYPE_TASK, "name", "slow", "retries", 1,
                                                 "timeout-seconds", 0.02, NULL);
  g_autoptr(PrefectCtxFlow) plain = prefect_ctx_flow_new ("calls-slow");
  g_autoptr(PrefectCtxFlow) flow = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "slow-flow",
                                                 "timeout-seconds", 0.025, NULL);
  TimeoutFlowData data = { task, { 1, 0, NULL }, { 100, 0, NULL }, { 0, 0, NULL }, NULL };
  SlowData slow_flow = { 100, 0, NULL };
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) runs = NULL;
  g_autofree char *states = NULL;

  g_assert_cmpfloat (prefect_ctx_task_get_timeout_seconds (task), ==, 0.02);
  g_assert_cmpfloat (prefect_ctx_flow_get_timeout_seconds (flow), ==, 0.025);
  g_assert_cmpfloat (prefect_ctx_flow_get_timeout_seconds (plain), ==, 0);

  result = prefect_ctx_flow_run_sync (plain, NULL, options, timeout_flow_body, &data, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_variant_get_string (result, NULL), ==, "done");
  g_clear_pointer (&result, g_variant_unref);

  /* The first attempt overran: the task run retried, its AwaitingRetry
   * state keeps Prefect's TimedOut message. */
  g_assert_cmpint (data.first_slow.attempts, ==, 2);
  states = task_run_states (client, data.first_slow.task_run_id);
  g_assert_cmpstr (states, ==,
                   "PENDING:Pending RUNNING:Running "
                   "SCHEDULED:AwaitingRetry:Task run exceeded timeout of 0.02 seconds TimeoutError:  "
                   "RUNNING:Retrying COMPLETED:Completed");
  g_clear_pointer (&states, g_free);

  /* Every attempt overran: Failed, named TimedOut, though the body
   * returned a value; the caller gets PREFECT_CTX_ERROR_TIMED_OUT. */
  g_assert_error (data.always_error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_TIMED_OUT);
  g_assert_cmpstr (data.always_error->message, ==, "Task run exceeded timeout of 0.02 seconds");
  g_assert_cmpint (data.always_slow.attempts, ==, 2);
  states = task_run_states (client, data.always_slow.task_run_id);
  g_assert_true (g_str_has_suffix (states, " RUNNING:Retrying "
                                   "FAILED:TimedOut:Task run exceeded timeout of 0.02 seconds TimeoutError: "));
  g_clear_pointer (&states, g_free);

  /* A fast attempt is not affected. */
  g_assert_cmpint (data.fast.attempts, ==, 1);
  states = task_run_states (client, data.fast.task_run_id);
  g_assert_cmpstr (states, ==, "PENDING:Pending RUNNING:Running COMPLETED:Completed");
  g_clear_pointer (&states, g_free);

  /* A flow run's timeout, with the message of a flow run. */
  result = prefect_ctx_flow_run_sync (flow, NULL, options, slow_body, &slow_flow, &error);
  g_assert_null (result);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_TIMED_OUT);
  g_assert_cmpstr (error->message, ==, "Flow run exceeded timeout of 0.025 seconds");
  runs = prefect_ctx_client_read_flow_runs (client, PREFECT_CTX_CLIENT_ANY_STATE, 0, 0, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(PrefectCtxFlowRun) run = g_list_model_get_item (runs, i);

      states = flow_run_states (client, prefect_ctx_flow_run_get_id (run));
      if (g_str_has_prefix (prefect_ctx_state_get_name (prefect_ctx_flow_run_get_state (run)), "TimedOut"))
        g_assert_cmpstr (states, ==,
                         "PENDING:Pending RUNNING:Running "
                         "FAILED:TimedOut:Flow run exceeded timeout of 0.025 seconds TimeoutError: ");
      else
        g_assert_cmpstr (states, ==, "PENDING:Pending RUNNING:Running COMPLETED:Completed");
      g_clear_pointer (&states, g_free);
    }
  g_free (data.first_slow.task_run_id);
  g_free (data.always_slow.task_run_id);
  g_free (data.fast.task_run_id);
  g_clear_error (&data.always_error);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* One home per test process and its subprocesses. */
  if (g_getenv ("PREFECT_CTX_TEST_HOME") == NULL)
    {
      test_home = g_dir_make_tmp ("prefectctx-engine-XXXXXX", NULL);
      g_setenv ("PREFECT_CTX_TEST_HOME", test_home, TRUE);
    }
  else
    test_home = g_strdup (g_getenv ("PREFECT_CTX_TEST_HOME"));
  g_setenv ("PREFECT_HOME", test_home, TRUE);
  g_unsetenv ("PREFECT_API_URL");
  g_unsetenv ("PREFECT_PROFILE");
  g_unsetenv ("PREFECT_LOGGING_LEVEL");
  g_unsetenv ("PREFECT__FLOW_RUN_ID");

  g_test_init (&argc, &argv, NULL);
  g_set_print_handler (tap_print);

  g_test_add_func ("/engine/run-name", test_run_name);
  g_test_add_func ("/engine/models", test_models);
  g_test_add_func ("/engine/flow/sequential-tasks", test_sequential_tasks);
  g_test_add_func ("/engine/flow/parameters-and-results", test_parameters_and_results);
  g_test_add_func ("/engine/flow/retries", test_flow_retries);
  g_test_add_func ("/engine/flow/cancelled-from-outside", test_flow_cancelled_from_outside);
  g_test_add_func ("/engine/flow/bad-custom-context", test_bad_custom_context);
  g_test_add_func ("/engine/task/retries", test_task_retries);
  g_test_add_func ("/engine/task/failure", test_task_failure);
  g_test_add_func ("/engine/task/crash", test_task_crash);
  g_test_add_func ("/engine/task/outside-flow", test_task_outside_flow);
  g_test_add_func ("/engine/task/submitted", test_submitted_tasks);
  g_test_add_func ("/engine/task/submitted-outside-flow", test_submit_outside_flow);
  g_test_add_func ("/engine/task/future-wait-timeout", test_future_wait_timeout);
  g_test_add_func ("/engine/task/upstream-not-ready", test_upstream_not_ready);
  g_test_add_func ("/engine/timeout", test_timeout);
  g_test_add_func ("/engine/task/run-name", test_task_run_name);
  g_test_add_func ("/engine/task/final-state", test_engine_final_state);
  g_test_add_func ("/engine/subflow", test_subflow);
  g_test_add_func ("/engine/registry", test_registry_blocks);
  g_test_add_func ("/engine/logs/writer", test_log_writer);
  g_test_add_func ("/engine/logs/run-log", test_run_log);
  g_test_add_func ("/engine/logs/client-released", test_client_released);
  g_test_add_func ("/engine/logs/flow-log-prints", test_flow_log_prints);
  g_test_add_func ("/engine/runtime/fallback", test_runtime_fallback);
  g_test_add_func ("/engine/runtime/child", test_runtime_child);
  g_test_add_func ("/engine/store/after-exit", test_store_after_exit);
  g_test_add_func ("/engine/store/child-writer", test_child_writer);
  g_test_add_func ("/engine/store/child-exits", test_child_exits);
  g_test_add_func ("/engine/store/exit-during-run", test_exit_during_run);
  g_test_add_func ("/engine/store/child-sigterm", test_child_sigterm);
  g_test_add_func ("/engine/store/child-sigint", test_child_sigint);
  g_test_add_func ("/engine/store/signal-during-run", test_signal_during_run);
  g_test_add_func ("/engine/store/two-processes", test_two_processes);
  g_test_add_func ("/engine/store/child-concurrent", test_child_concurrent);
  g_test_add_func ("/engine/store/after-sigkill", test_store_after_sigkill);
  g_test_add_func ("/engine/store/child-killed", test_child_killed);

  status = g_test_run ();

  if (!g_test_subprocess ())
    remove_tree (test_home);
  g_free (test_home);
  return status;
}
