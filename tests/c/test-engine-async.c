/* test-engine-async.c: the engine's asynchronous driver (layer 6): flows
 * and tasks whose bodies complete a GTask, interleaving on one main
 * context; retry delays on timeout sources; cancellation; waiting for a
 * submitted task on a main loop.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every run uses an in-memory store given through the run options.
 */
#define G_LOG_DOMAIN "PrefectCtx-test"

#include "test-engine-helpers.h"

/* ---------------------------------------------------------------------------
 * Helpers
 */

typedef struct
{
  GMainLoop *loop;
  GVariant  *result;
  GError    *error;
} Outcome;

static void
flow_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->result = prefect_ctx_flow_run_finish (PREFECT_CTX_FLOW (source), result, &outcome->error);
  g_main_loop_quit (outcome->loop);
}

static void
task_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->result = prefect_ctx_task_call_finish (PREFECT_CTX_TASK (source), result, &outcome->error);
  g_main_loop_quit (outcome->loop);
}

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->result, g_variant_unref);
  g_clear_error (&outcome->error);
}

/* Runs @body as a flow on the default main context until it is over. */
static void
run_flow (PrefectCtxFlow         *flow,
          PrefectCtxRunOptions   *options,
          PrefectCtxAsyncRunFunc  body,
          gpointer                body_data,
          GCancellable           *cancellable,
          Outcome                *outcome)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  outcome->loop = loop;
  prefect_ctx_flow_run_async (flow, NULL, options, body, body_data, NULL, cancellable, flow_done, outcome);
  g_main_loop_run (loop);
  outcome->loop = NULL;
}

/* A timeout on the default main context whose callback is bound to the
 * current contexts. */
static void
bound_timeout (guint       ms,
               GSourceFunc func,
               gpointer    data)
{
  g_autoptr(GSource) source = g_timeout_source_new (ms);

  prefect_ctx_source_set_callback (source, func, data, NULL);
  g_source_attach (source, NULL);
}

/* flow_run_async runs on the caller's thread-default main context, with
 * the caller's contexts; a cancelled run does not start. */
typedef struct
{
  GMainLoop *loop;
  GVariant  *result;
  GError    *error;
  GThread   *thread;
  gboolean   body_on_caller;
  gint       destroyed;
} AsyncData;

static void
async_body (PrefectCtxRunContext  *context,
            GVariant              *parameters,
            GCancellable          *cancellable,
            GTask                 *task,
            gpointer               user_data)
{
  AsyncData *data = user_data;

  data->body_on_caller = g_thread_self () == data->thread;
  g_assert_cmpstr (prefect_ctx_custom_context_lookup ("carried"), ==, "yes");
  prefect_ctx_run_return (task, g_variant_new_string ("async done"));
}

static void
async_destroy (gpointer user_data)
{
  ((AsyncData *) user_data)->destroyed++;
}

static void
async_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncData *data = user_data;

  data->result = prefect_ctx_flow_run_finish (PREFECT_CTX_FLOW (source), result, &data->error);
  g_main_loop_quit (data->loop);
}

static void
test_async (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("later");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(PrefectCtxCustomContext) custom = NULL;
  AsyncData data = { loop, NULL, NULL, g_thread_self (), FALSE, 0 };

  g_hash_table_insert (values, "carried", "yes");
  custom = prefect_ctx_custom_context_new_merged (values, NULL);
  g_assert_true (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (custom), NULL));
  prefect_ctx_flow_run_async (flow, NULL, options, async_body, &data, async_destroy, NULL, async_done, &data);
  g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (custom), NULL));
  g_assert_null (data.result);
  g_main_loop_run (loop);
  g_assert_no_error (data.error);
  g_assert_cmpstr (g_variant_get_string (data.result, NULL), ==, "async done");
  g_assert_true (data.body_on_caller);
  g_assert_cmpint (data.destroyed, ==, 1);
  g_clear_pointer (&data.result, g_variant_unref);

  /* Cancelled before it starts: nothing runs. */
  data.body_on_caller = FALSE;
  g_cancellable_cancel (cancellable);
  prefect_ctx_flow_run_async (flow, NULL, options, async_body, &data, async_destroy, cancellable, async_done, &data);
  g_main_loop_run (loop);
  g_assert_error (data.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (data.body_on_caller);
  g_assert_cmpint (data.destroyed, ==, 2);
  g_clear_error (&data.error);
}

/* ---------------------------------------------------------------------------
 * Two flows interleaving on one main context
 */

typedef struct
{
  const char     *name;       /* also its tag and its custom "who" */
  guint           step_ms;
  GString        *events;     /* shared by both runs */
  PrefectCtxTask *task;
  char           *flow_run_id;
  GTask          *body_task;
  int             steps;
  int             checks;
} Interleaved;

/* What every continuation of @run must see: its flow run, its tags, its
 * custom context, and no task run unless @in_task. */
static void
check_contexts (Interleaved *run,
                gboolean     in_task)
{
  PrefectCtxFlowRunContext *flow_ctx = prefect_ctx_flow_run_context_get_current ();
  PrefectCtxTaskRunContext *task_ctx = prefect_ctx_task_run_context_get_current ();
  PrefectCtxTagsContext *tags = prefect_ctx_tags_context_get_current ();
  const char * const *current_tags;

  g_assert_nonnull (flow_ctx);
  g_assert_cmpstr (prefect_ctx_flow_run_get_id (prefect_ctx_flow_run_context_get_flow_run (flow_ctx)), ==,
                   run->flow_run_id);
  g_assert_cmpstr (prefect_ctx_custom_context_lookup ("who"), ==, run->name);
  g_assert_nonnull (tags);
  current_tags = prefect_ctx_tags_context_get_current_tags (tags);
  g_assert_cmpuint (g_strv_length ((char **) current_tags), ==, 1);
  g_assert_cmpstr (current_tags[0], ==, run->name);
  if (in_task)
    {
      g_assert_nonnull (task_ctx);
      g_assert_cmpstr (prefect_ctx_task_run_get_flow_run_id (prefect_ctx_task_run_context_get_task_run (task_ctx)), ==,
                       run->flow_run_id);
    }
  else
    g_assert_null (task_ctx);
  run->checks++;
}

static gboolean
task_step (gpointer data)
{
  GTask *task = data;
  Interleaved *run = g_task_get_task_data (task);

  check_contexts (run, TRUE);
  g_string_append_printf (run->events, "%s:task-done ", run->name);
  prefect_ctx_run_return (task, g_variant_new_string (run->name));
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
interleaved_task_body (PrefectCtxRunContext *context,
                       GVariant             *parameters,
                       GCancellable         *cancellable,
                       GTask                *task,
                       gpointer              user_data)
{
  Interleaved *run = user_data;

  check_contexts (run, TRUE);
  g_string_append_printf (run->events, "%s:task ", run->name);
  g_task_set_task_data (task, run, NULL);
  bound_timeout (run->step_ms, task_step, g_object_ref (task));
}

static void
interleaved_task_done (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Interleaved *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = prefect_ctx_task_call_finish (PREFECT_CTX_TASK (source), result, &error);
  g_autofree char *joined = NULL;

  g_assert_no_error (error);
  check_contexts (run, FALSE);
  joined = g_strdup_printf ("%s from its task", g_variant_get_string (value, NULL));
  prefect_ctx_run_return (run->body_task, g_variant_new_string (joined));
  g_clear_object (&run->body_task);
}

static gboolean
flow_step (gpointer data)
{
  Interleaved *run = data;

  check_contexts (run, FALSE);
  g_string_append_printf (run->events, "%s:%d ", run->name, ++run->steps);
  if (run->steps < 3)
    return G_SOURCE_CONTINUE;
  prefect_ctx_task_call_async (run->task, NULL, interleaved_task_body, run, NULL, NULL,
                               PREFECT_CTX_BIND_ASYNC_READY (interleaved_task_done, run));
  return G_SOURCE_REMOVE;
}

static void
interleaved_flow_body (PrefectCtxRunContext *context,
                       GVariant             *parameters,
                       GCancellable         *cancellable,
                       GTask                *task,
                       gpointer              user_data)
{
  Interleaved *run = user_data;

  run->flow_run_id = current_flow_run_id ();
  check_contexts (run, FALSE);
  g_string_append_printf (run->events, "%s:start ", run->name);
  run->body_task = g_object_ref (task);
  bound_timeout (run->step_ms, flow_step, run);
}

typedef struct
{
  GMainLoop *loop;
  int        unbound_ticks;
  Outcome    outcomes[2];
} Pair;

static void
pair_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->result = prefect_ctx_flow_run_finish (PREFECT_CTX_FLOW (source), result, &outcome->error);
  /* The caller's callback sees the caller's contexts: none. */
  g_assert_null (prefect_ctx_flow_run_context_get_current ());
  g_assert_null (prefect_ctx_tags_context_get_current_tags (prefect_ctx_tags_context_get_current ())[0]);
}

/* An unbound source between the runs' continuations sees no run. */
static gboolean
unbound_tick (gpointer data)
{
  Pair *pair = data;

  g_assert_null (prefect_ctx_flow_run_context_get_current ());
  g_assert_null (prefect_ctx_task_run_context_get_current ());
  g_assert_null (prefect_ctx_custom_context_get_current ());
  pair->unbound_ticks++;
  if (pair->outcomes[0].result != NULL && pair->outcomes[1].result != NULL)
    {
      g_main_loop_quit (pair->loop);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static PrefectCtxRunOptions *
options_named (PrefectCtxClient *client,
               const char       *name)
{
  const char *tags[] = { name, NULL };
  g_autofree char *text = g_strdup_printf ("{'who': '%s'}", name);
  g_autoptr(GVariant) custom = g_variant_ref_sink (g_variant_new_parsed (text));

  return g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", client, "tags", tags,
                       "custom-context", custom, NULL);
}

static void
test_interleave (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options_a = options_named (client, "a");
  g_autoptr(PrefectCtxRunOptions) options_b = options_named (client, "b");
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("interleaved");
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("step");
  g_autoptr(GString) events = g_string_new (NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Interleaved a = { "a", 7, events, task, NULL, NULL, 0, 0 };
  Interleaved b = { "b", 5, events, task, NULL, NULL, 0, 0 };
  Pair pair = { loop, 0, { { NULL } } };
  const char *pos_a_task, *pos_b_start, *pos_b_done, *pos_a_start;

  prefect_ctx_flow_run_async (flow, NULL, options_a, interleaved_flow_body, &a, NULL, NULL,
                              pair_done, &pair.outcomes[0]);
  prefect_ctx_flow_run_async (flow, NULL, options_b, interleaved_flow_body, &b, NULL, NULL,
                              pair_done, &pair.outcomes[1]);
  g_timeout_add (1, unbound_tick, &pair);
  g_main_loop_run (loop);

  g_test_message ("events: %s", events->str);
  for (int i = 0; i < 2; i++)
    g_assert_no_error (pair.outcomes[i].error);
  g_assert_cmpstr (g_variant_get_string (pair.outcomes[0].result, NULL), ==, "a from its task");
  g_assert_cmpstr (g_variant_get_string (pair.outcomes[1].result, NULL), ==, "b from its task");
  /* start, three steps, the task body, its step and its completion */
  g_assert_cmpint (a.checks, ==, 7);
  g_assert_cmpint (b.checks, ==, 7);
  g_assert_cmpint (pair.unbound_ticks, >, 0);

  /* The runs interleaved: each started before the other finished its
   * task, and their steps alternate. */
  pos_a_start = strstr (events->str, "a:start");
  pos_b_start = strstr (events->str, "b:start");
  pos_a_task = strstr (events->str, "a:task-done");
  pos_b_done = strstr (events->str, "b:task-done");
  g_assert_true (pos_a_start != NULL && pos_b_start != NULL && pos_a_task != NULL && pos_b_done != NULL);
  g_assert_true (pos_b_start < pos_a_task);
  g_assert_true (pos_a_start < pos_b_done);
  g_assert_true (strstr (events->str, "b:1 a:1") != NULL || strstr (events->str, "a:1 b:1") != NULL);

  /* Each run recorded one task run of its own, with its tags. */
  for (Interleaved *run = &a; run != NULL; run = run == &a ? &b : NULL)
    {
      g_autoptr(GListModel) runs = task_runs_of (client, run->flow_run_id);
      g_autoptr(PrefectCtxTaskRun) task_run = NULL;
      g_autofree char *states = flow_run_states (client, run->flow_run_id);

      g_assert_cmpstr (states, ==, "PENDING:Pending RUNNING:Running COMPLETED:Completed");
      g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 1);
      task_run = g_list_model_get_item (runs, 0);
      g_assert_true (g_strv_contains (prefect_ctx_task_run_get_tags (task_run), run->name));
      g_assert_cmpstr (prefect_ctx_task_run_get_dynamic_key (task_run), ==, "0");
      g_free (run->flow_run_id);
    }
  for (int i = 0; i < 2; i++)
    outcome_clear (&pair.outcomes[i]);
}

/* ---------------------------------------------------------------------------
 * Retries wait on a timeout, with the main context free
 */

typedef struct
{
  int     calls;
  int     ticks;
  int     ticks_at_first_failure;
  int     run_counts[2];
  gint64  failed_at;
  gint64  retried_at;
} Flaky;

static void
flaky_body (PrefectCtxRunContext *context,
            GVariant             *parameters,
            GCancellable         *cancellable,
            GTask                *task,
            gpointer              user_data)
{
  Flaky *flaky = user_data;
  PrefectCtxTaskRunContext *task_ctx = prefect_ctx_task_run_context_get_current ();
  PrefectCtxFlowRunContext *flow_ctx = prefect_ctx_flow_run_context_get_current ();

  if (task_ctx != NULL)
    flaky->run_counts[flaky->calls] =
      prefect_ctx_task_run_get_run_count (prefect_ctx_task_run_context_get_task_run (task_ctx));
  else
    flaky->run_counts[flaky->calls] =
      prefect_ctx_flow_run_get_run_count (prefect_ctx_flow_run_context_get_flow_run (flow_ctx));
  if (flaky->calls++ == 0)
    {
      flaky->failed_at = g_get_monotonic_time ();
      flaky->ticks_at_first_failure = flaky->ticks;
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "first try fails");
      return;
    }
  flaky->retried_at = g_get_monotonic_time ();
  prefect_ctx_run_return (task, g_variant_new_string ("second try"));
}

static gboolean
count_tick (gpointer data)
{
  ((Flaky *) data)->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
test_retry_delay (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxFlow) flow = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "flaky",
                                                 "retries", 1, "retry-delay-seconds", 0.2, NULL);
  g_autoptr(PrefectCtxTask) task = g_object_new (PREFECT_CTX_TYPE_TASK, "name", "flaky-task",
                                                 "retries", 1, "retry-delay-seconds", 0.1, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GListModel) runs = NULL;
  g_autoptr(PrefectCtxFlowRun) flow_run = NULL;
  g_autofree char *states = NULL;
  Flaky flaky = { 0 };
  Outcome outcome = { 0 };
  guint tick;

  tick = g_timeout_add (10, count_tick, &flaky);

  /* A flow. */
  run_flow (flow, options, flaky_body, &flaky, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpstr (g_variant_get_string (outcome.result, NULL), ==, "second try");
  g_assert_cmpint (flaky.calls, ==, 2);
  g_assert_cmpint (flaky.run_counts[0], ==, 1);
  g_assert_cmpint (flaky.run_counts[1], ==, 2);
  g_assert_cmpint (flaky.retried_at - flaky.failed_at, >=, 200 * 1000);
  /* The main context ran other sources during the delay. */
  g_assert_cmpint (flaky.ticks - flaky.ticks_at_first_failure, >=, 5);
  runs = prefect_ctx_client_read_flow_runs (client, PREFECT_CTX_CLIENT_ANY_STATE, 0, 0, NULL, NULL);
  flow_run = g_list_model_get_item (runs, 0);
  states = flow_run_states (client, prefect_ctx_flow_run_get_id (flow_run));
  g_assert_cmpstr (states, ==,
                   "PENDING:Pending RUNNING:Running SCHEDULED:AwaitingRetry:Flow run encountered an exception. first try fails "
                   "RUNNING:Retrying COMPLETED:Completed");
  outcome_clear (&outcome);
  g_clear_pointer (&states, g_free);
  g_clear_object (&runs);

  /* A task, outside any flow run. */
  memset (&flaky, 0, sizeof flaky);
  outcome.loop = loop;
  /* Outside a flow run, the task run goes to the default store, under
   * PREFECT_HOME. */
  prefect_ctx_task_call_async (task, NULL, flaky_body, &flaky, NULL, NULL, task_done, &outcome);
  g_main_loop_run (loop);
  g_assert_no_error (outcome.error);
  g_assert_cmpstr (g_variant_get_string (outcome.result, NULL), ==, "second try");
  g_assert_cmpint (flaky.run_counts[0], ==, 1);
  g_assert_cmpint (flaky.run_counts[1], ==, 2);
  g_assert_cmpint (flaky.retried_at - flaky.failed_at, >=, 100 * 1000);
  g_assert_cmpint (flaky.ticks - flaky.ticks_at_first_failure, >=, 3);
  outcome_clear (&outcome);

  g_source_remove (tick);
}

/* ---------------------------------------------------------------------------
 * Cancellation
 */

typedef struct
{
  GCancellable *cancellable;
  int           calls;
  gboolean      fail;
} Waiting;

static gboolean
complete_on_cancel (GCancellable *cancellable,
                    gpointer      data)
{
  GTask *task = data;

  /* Whatever the body completes its task with, it reports the
   * cancellation. */
  prefect_ctx_run_return (task, g_variant_new_string ("too late"));
  return G_SOURCE_REMOVE;
}

static gboolean
cancel_now (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
waiting_body (PrefectCtxRunContext *context,
              GVariant             *parameters,
              GCancellable         *cancellable,
              GTask                *task,
              gpointer              user_data)
{
  Waiting *waiting = user_data;
  g_autoptr(GSource) source = NULL;

  waiting->calls++;
  g_assert_true (cancellable == waiting->cancellable);
  if (waiting->fail)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "fails, to retry");
      return;
    }
  source = g_cancellable_source_new (cancellable);
  g_task_attach_source (task, source, (GSourceFunc) (void (*) (void)) complete_on_cancel);
}

static char *
only_flow_run_states (PrefectCtxClient *client)
{
  g_autoptr(GListModel) runs = prefect_ctx_client_read_flow_runs (client, PREFECT_CTX_CLIENT_ANY_STATE,
                                                                  0, 0, NULL, NULL);
  g_autoptr(PrefectCtxFlowRun) run = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 1);
  run = g_list_model_get_item (runs, 0);
  return flow_run_states (client, prefect_ctx_flow_run_get_id (run));
}

/* Cancelled while the body waits: the attempt ends Cancelled, retries or
 * not. */
static void
test_cancel_in_body (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxFlow) flow = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "waits",
                                                 "retries", 3, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *states = NULL;
  Waiting waiting = { cancellable, 0, FALSE };
  Outcome outcome = { 0 };

  g_timeout_add (20, cancel_now, cancellable);
  run_flow (flow, options, waiting_body, &waiting, cancellable, &outcome);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (outcome.result);
  g_assert_cmpint (waiting.calls, ==, 1);
  states = only_flow_run_states (client);
  g_assert_cmpstr (states, ==, "PENDING:Pending RUNNING:Running CANCELLED:Cancelled:Operation was cancelled");
  outcome_clear (&outcome);
}

/* Cancelled while waiting to retry: no further attempt, at once. */
static void
test_cancel_in_retry_wait (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxFlow) flow = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "retries-later",
                                                 "retries", 2, "retry-delay-seconds", 30.0, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *states = NULL;
  Waiting waiting = { cancellable, 0, TRUE };
  Outcome outcome = { 0 };
  gint64 start = g_get_monotonic_time ();

  g_timeout_add (20, cancel_now, cancellable);
  run_flow (flow, options, waiting_body, &waiting, cancellable, &outcome);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (waiting.calls, ==, 1);
  states = only_flow_run_states (client);
  g_assert_cmpstr (states, ==,
                   "PENDING:Pending RUNNING:Running SCHEDULED:AwaitingRetry:Flow run encountered an exception. fails, to retry "
                   "CANCELLED:Cancelled:Cancelled while waiting to retry");
  outcome_clear (&outcome);
}

/* A timeout: at the deadline the body's cancellable is cancelled (its own,
 * not the run's), and the attempt is TimedOut; retries apply. The run's
 * cancellation still reaches a body that has a timeout. */
typedef struct
{
  int           calls;
  int           slow_calls;
  GCancellable *run_cancellable;
} Overrunning;

static void
overrunning_body (PrefectCtxRunContext *context,
                  GVariant             *parameters,
                  GCancellable         *cancellable,
                  GTask                *task,
                  gpointer              user_data)
{
  Overrunning *over = user_data;
  g_autoptr(GSource) source = NULL;

  g_assert_nonnull (cancellable);
  g_assert_true (cancellable != over->run_cancellable);
  if (over->calls++ >= over->slow_calls)
    {
      prefect_ctx_run_return (task, g_variant_new_string ("in time"));
      return;
    }
  source = g_cancellable_source_new (cancellable);
  g_task_attach_source (task, source, (GSourceFunc) (void (*) (void)) complete_on_cancel);
}

static void
test_timeout (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxFlow) retried = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "overruns-once",
                                                    "retries", 1, "timeout-seconds", 0.03, NULL);
  g_autoptr(PrefectCtxFlow) failed = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "overruns",
                                                   "timeout-seconds", 0.03, NULL);
  g_autoptr(PrefectCtxFlow) patient = g_object_new (PREFECT_CTX_TYPE_FLOW, "name", "patient",
                                                    "timeout-seconds", 60.0, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *states = NULL;
  Overrunning once = { 0, 1, NULL };
  Overrunning always = { 0, 100, NULL };
  Overrunning cancelled = { 0, 100, cancellable };
  Outcome outcome = { 0 };
  gint64 start = g_get_monotonic_time ();

  run_flow (retried, options, overrunning_body, &once, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpstr (g_variant_get_string (outcome.result, NULL), ==, "in time");
  g_assert_cmpint (once.calls, ==, 2);
  states = only_flow_run_states (client);
  g_assert_cmpstr (states, ==,
                   "PENDING:Pending RUNNING:Running "
                   "SCHEDULED:AwaitingRetry:Flow run exceeded timeout of 0.03 seconds TimeoutError:  "
                   "RUNNING:Retrying COMPLETED:Completed");
  outcome_clear (&outcome);
  g_clear_pointer (&states, g_free);
  g_clear_object (&client);
  g_clear_object (&options);

  client = memory_client ();
  options = options_for (client);
  run_flow (failed, options, overrunning_body, &always, NULL, &outcome);
  g_assert_error (outcome.error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_TIMED_OUT);
  g_assert_cmpstr (outcome.error->message, ==, "Flow run exceeded timeout of 0.03 seconds");
  states = only_flow_run_states (client);
  g_assert_cmpstr (states, ==,
                   "PENDING:Pending RUNNING:Running "
                   "FAILED:TimedOut:Flow run exceeded timeout of 0.03 seconds TimeoutError: ");
  outcome_clear (&outcome);
  g_clear_pointer (&states, g_free);
  g_clear_object (&client);
  g_clear_object (&options);

  client = memory_client ();
  options = options_for (client);
  g_timeout_add (20, cancel_now, cancellable);
  run_flow (patient, options, overrunning_body, &cancelled, cancellable, &outcome);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  states = only_flow_run_states (client);
  g_assert_cmpstr (states, ==, "PENDING:Pending RUNNING:Running CANCELLED:Cancelled:Operation was cancelled");
  outcome_clear (&outcome);
  /* None of them waited for a deadline it did not need. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

/* ---------------------------------------------------------------------------
 * Tasks of an async flow: task_call_async, dynamic keys, task_submit and
 * TaskFuture.wait_async
 */

typedef struct
{
  PrefectCtxTask *task;
  GTask          *body_task;
  char           *flow_run_id;
  gint            release;
  int             pending;
  GVariant       *results[2];
  PrefectCtxTaskFuture *future;
  GCancellable   *wait_cancellable;
  gboolean        wait_cancelled;
} Tasks;

static void
double_body (PrefectCtxRunContext *context,
             GVariant             *parameters,
             GCancellable         *cancellable,
             GTask                *task,
             gpointer              user_data)
{
  prefect_ctx_run_return (task, g_variant_new_int64 (2 * lookup_int (parameters, "x")));
}

static GVariant *
held_body (PrefectCtxRunContext  *context,
           GVariant              *parameters,
           gpointer               user_data,
           GError               **error)
{
  Tasks *tasks = user_data;

  /* Polls an atomic, which ThreadSanitizer sees (not GLib's GCond). */
  while (!g_atomic_int_get (&tasks->release))
    g_usleep (1000);
  return g_variant_new_string ("released");
}

static void
release_held (Tasks *tasks)
{
  g_atomic_int_set (&tasks->release, TRUE);
}

static void
future_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Tasks *tasks = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(PrefectCtxState) state = NULL;

  g_assert_true (prefect_ctx_task_future_wait_finish (PREFECT_CTX_TASK_FUTURE (source), result, &error));
  g_assert_no_error (error);
  /* Bound: the flow's contexts, on the flow's thread. */
  g_assert_nonnull (prefect_ctx_flow_run_context_get_current ());
  g_assert_true (prefect_ctx_task_future_is_done (tasks->future));
  value = prefect_ctx_task_future_get_result (tasks->future, &error);
  g_assert_no_error (error);
  state = prefect_ctx_task_future_get_state (tasks->future);
  g_assert_cmpint (prefect_ctx_state_get_state_type (state), ==, PREFECT_CTX_STATE_TYPE_COMPLETED);
  prefect_ctx_run_return (tasks->body_task,
                          g_variant_new ("(xxs)",
                                         g_variant_get_int64 (tasks->results[0]),
                                         g_variant_get_int64 (tasks->results[1]),
                                         g_variant_get_string (value, NULL)));
  g_clear_object (&tasks->body_task);
}

static void
wait_cancelled_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Tasks *tasks = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_false (prefect_ctx_task_future_wait_finish (PREFECT_CTX_TASK_FUTURE (source), result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* The run goes on. */
  g_assert_false (prefect_ctx_task_future_is_done (tasks->future));
  tasks->wait_cancelled = TRUE;
  release_held (tasks);
  prefect_ctx_task_future_wait_async (tasks->future, NULL, PREFECT_CTX_BIND_ASYNC_READY (future_done, tasks));
}

static void
double_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Tasks *tasks = user_data;
  g_autoptr(GError) error = NULL;
  GVariant *value = prefect_ctx_task_call_finish (PREFECT_CTX_TASK (source), result, &error);

  g_assert_no_error (error);
  g_assert_nonnull (prefect_ctx_flow_run_context_get_current ());
  tasks->results[tasks->pending == 2 ? 0 : 1] = value;
  if (--tasks->pending > 0)
    return;
  /* Both called: wait for the submitted one, cancelling a first wait. */
  prefect_ctx_task_future_wait_async (tasks->future, tasks->wait_cancellable,
                                      PREFECT_CTX_BIND_ASYNC_READY (wait_cancelled_done, tasks));
  g_cancellable_cancel (tasks->wait_cancellable);
}

static void
done_already (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_assert_true (prefect_ctx_task_future_wait_finish (PREFECT_CTX_TASK_FUTURE (source), result, NULL));
  g_main_loop_quit (user_data);
}

static void
tasks_flow_body (PrefectCtxRunContext *context,
                 GVariant             *parameters,
                 GCancellable         *cancellable,
                 GTask                *task,
                 gpointer              user_data)
{
  Tasks *tasks = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxTask) held = prefect_ctx_task_new ("held");

  tasks->flow_run_id = current_flow_run_id ();
  tasks->body_task = g_object_ref (task);
  tasks->future = prefect_ctx_task_submit (held, NULL, held_body, tasks, NULL, &error);
  g_assert_no_error (error);
  tasks->pending = 2;
  prefect_ctx_task_call_async (tasks->task, xy (1, 0), double_body, NULL, NULL, NULL,
                               PREFECT_CTX_BIND_ASYNC_READY (double_done, tasks));
  prefect_ctx_task_call_async (tasks->task, xy (2, 0), double_body, NULL, NULL, NULL,
                               PREFECT_CTX_BIND_ASYNC_READY (double_done, tasks));
}

static void
test_tasks (void)
{
  g_autoptr(PrefectCtxClient) client = memory_client ();
  g_autoptr(PrefectCtxRunOptions) options = options_for (client);
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("async-tasks");
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("double");
  g_autoptr(GCancellable) wait_cancellable = g_cancellable_new ();
  g_autoptr(GListModel) runs = NULL;
  Tasks tasks = { task, NULL, NULL, FALSE, 0, { NULL, NULL }, NULL, wait_cancellable, FALSE };
  Outcome outcome = { 0 };
  gint64 first, second;
  const char *released;

  run_flow (flow, options, tasks_flow_body, &tasks, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_variant_get (outcome.result, "(xx&s)", &first, &second, &released);
  g_assert_cmpint (first, ==, 2);
  g_assert_cmpint (second, ==, 4);
  g_assert_cmpstr (released, ==, "released");
  g_assert_true (tasks.wait_cancelled);

  /* Two calls of one task take keys 0 and 1, in the order they started. */
  runs = task_runs_of (client, tasks.flow_run_id);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(PrefectCtxTaskRun) run = g_list_model_get_item (runs, i);
      g_autofree char *states = task_run_states (client, prefect_ctx_task_run_get_id (run));

      g_assert_cmpstr (states, ==, "PENDING:Pending RUNNING:Running COMPLETED:Completed");
      if (g_strcmp0 (prefect_ctx_task_run_get_task_key (run), "double") == 0)
        g_assert_true (g_strcmp0 (prefect_ctx_task_run_get_dynamic_key (run), "0") == 0 ||
                       g_strcmp0 (prefect_ctx_task_run_get_dynamic_key (run), "1") == 0);
    }

  /* A future that is done already: the wait ends from an idle. */
  {
    g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

    tasks.body_task = NULL;
    g_assert_true (prefect_ctx_task_future_is_done (tasks.future));
    prefect_ctx_task_future_wait_async (tasks.future, NULL, done_already, loop);
    g_main_loop_run (loop);
  }

  g_clear_pointer (&tasks.results[0], g_variant_unref);
  g_clear_pointer (&tasks.results[1], g_variant_unref);
  g_clear_object (&tasks.future);
  g_free (tasks.flow_run_id);
  outcome_clear (&outcome);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = g_dir_make_tmp ("prefectctx-engine-async-XXXXXX", NULL);
  int status;

  g_setenv ("PREFECT_HOME", home, TRUE);
  g_unsetenv ("PREFECT_API_URL");
  g_unsetenv ("PREFECT_PROFILE");
  g_unsetenv ("PREFECT_LOGGING_LEVEL");
  g_unsetenv ("PREFECT__FLOW_RUN_ID");

  g_test_init (&argc, &argv, NULL);
  g_set_print_handler (tap_print);

  g_test_add_func ("/engine-async/flow/basics", test_async);
  g_test_add_func ("/engine-async/flow/interleave", test_interleave);
  g_test_add_func ("/engine-async/retry-delay", test_retry_delay);
  g_test_add_func ("/engine-async/cancel/in-body", test_cancel_in_body);
  g_test_add_func ("/engine-async/cancel/in-retry-wait", test_cancel_in_retry_wait);
  g_test_add_func ("/engine-async/timeout", test_timeout);
  g_test_add_func ("/engine-async/tasks", test_tasks);

  status = g_test_run ();
  remove_tree (home);
  return status;
}
