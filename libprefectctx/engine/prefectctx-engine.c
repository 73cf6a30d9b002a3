/* prefectctx-engine.c: running flows, tasks and subflows (layer 6)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-engine.h"
#include "prefectctx-engine-private.h"
#include "prefectctx-tsan-private.h"

#include "core/prefectctx-error.h"
#include "core/prefectctx-snapshot.h"
#include "contexts/prefectctx-custom-context.h"
#include "contexts/prefectctx-flow-run-context.h"
#include "contexts/prefectctx-object-registry.h"
#include "contexts/prefectctx-tags-context.h"
#include "contexts/prefectctx-task-run-context.h"
#include "runtime/prefectctx-runtime-private.h"
#include "models/prefectctx-json-private.h"

/* The logger names Prefect's engine logs under. */
#define FLOW_RUN_LOGGER "prefect.flow_runs"
#define TASK_RUN_LOGGER "prefect.task_runs"

/* ---------------------------------------------------------------------------
 * Run names
 */

static const char * const adjectives[] = {
  "able", "agile", "amber", "ancient", "arctic", "bold", "brave", "bright",
  "brisk", "calm", "candid", "cheerful", "clever", "cosmic", "crimson",
  "curious", "daring", "dashing", "eager", "electric", "elegant", "emerald",
  "fancy", "fearless", "fiery", "flawless", "fluffy", "gentle", "glossy",
  "golden", "graceful", "happy", "hidden", "humble", "icy", "jolly", "keen",
  "lively", "lucky", "magic", "mellow", "merry", "mighty", "modest", "nimble",
  "noble", "olive", "outgoing", "patient", "placid", "polite", "proud",
  "quick", "quiet", "rapid", "resilient", "robust", "rustic", "sage",
  "shiny", "silent", "silver", "smart", "snowy", "solid", "sparkling",
  "spirited", "steady", "stellar", "sturdy", "sunny", "swift", "tidy",
  "tranquil", "true", "upbeat", "valiant", "vivid", "warm", "wise", "witty",
  "zealous",
};

static const char * const animals[] = {
  "albatross", "alligator", "alpaca", "antelope", "armadillo", "badger",
  "beaver", "bison", "bobcat", "buffalo", "camel", "caracal", "caribou",
  "cheetah", "chipmunk", "cobra", "condor", "cougar", "coyote", "crane",
  "dingo", "dolphin", "donkey", "eagle", "falcon", "ferret", "flamingo",
  "fox", "gazelle", "gecko", "gibbon", "giraffe", "gopher", "grouse",
  "hedgehog", "heron", "hippo", "hyena", "ibex", "iguana", "impala",
  "jackal", "jaguar", "kangaroo", "kingfisher", "koala", "lemur", "leopard",
  "lion", "llama", "lynx", "macaw", "marmot", "meerkat", "mink", "mongoose",
  "moose", "narwhal", "ocelot", "octopus", "okapi", "orca", "otter", "owl",
  "panda", "panther", "parrot", "pelican", "penguin", "puffin", "puma",
  "quail", "rabbit", "raccoon", "raven", "reindeer", "salamander", "seal",
  "sloth", "sparrow", "squid", "stork", "swan", "tapir", "tiger", "toucan",
  "turtle", "vulture", "walrus", "weasel", "wolf", "wombat", "yak", "zebra",
};

/**
 * prefect_ctx_generate_run_name:
 *
 * Makes a flow run name the way Prefect does: an adjective and an animal
 * joined by a dash, such as `tidy-jaguar`. The engine names every flow run
 * it makes so, unless [property@PrefectCtx.RunOptions:run-name] is set.
 *
 * Returns: (transfer full): a new name
 */
char *
prefect_ctx_generate_run_name (void)
{
  return g_strconcat (adjectives[g_random_int_range (0, G_N_ELEMENTS (adjectives))], "-",
                      animals[g_random_int_range (0, G_N_ELEMENTS (animals))], NULL);
}

/* ---------------------------------------------------------------------------
 * Small helpers
 */

/* @parameters as a sunk a{sv}, or an error naming @what. */
static GVariant *
check_parameters (GVariant    *parameters,
                  const char  *what,
                  GError     **error)
{
  if (parameters == NULL)
    return _prefect_ctx_model_normalize_vardict (NULL);
  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE_VARDICT))
    {
      g_variant_ref_sink (parameters);
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "The parameters of %s must be an a{sv} dictionary, not '%s'",
                   what, g_variant_get_type_string (parameters));
      g_variant_unref (parameters);
      return NULL;
    }
  return g_variant_ref_sink (parameters);
}

/* The union of tag lists, sorted by the models that take it. */
static GStrv
union_tags (const char * const *a,
            const char * const *b,
            const char * const *c)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv result;

  if (a != NULL)
    g_strv_builder_addv (builder, (const char **) a);
  if (b != NULL)
    g_strv_builder_addv (builder, (const char **) b);
  if (c != NULL)
    g_strv_builder_addv (builder, (const char **) c);
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return result;
}

static const char * const *
current_tags (void)
{
  PrefectCtxTagsContext *tags = prefect_ctx_tags_context_get_current ();

  return tags != NULL ? prefect_ctx_tags_context_get_current_tags (tags) : NULL;
}

/* The client of the calling thread's run context, or NULL. */
static PrefectCtxClient *
current_client (void)
{
  PrefectCtxTaskRunContext *task_ctx = prefect_ctx_task_run_context_get_current ();
  PrefectCtxFlowRunContext *flow_ctx = prefect_ctx_flow_run_context_get_current ();
  PrefectCtxClient *client = NULL;

  if (task_ctx != NULL)
    client = prefect_ctx_run_context_get_client (PREFECT_CTX_RUN_CONTEXT (task_ctx));
  if (client == NULL && flow_ctx != NULL)
    client = prefect_ctx_run_context_get_client (PREFECT_CTX_RUN_CONTEXT (flow_ctx));
  return client;
}

/* The client a new run reports to: @preferred, the current run context's,
 * else the default one. */
static PrefectCtxClient *
choose_client (PrefectCtxClient  *preferred,
               GError           **error)
{
  PrefectCtxClient *client = preferred != NULL ? preferred : current_client ();

  if (client != NULL)
    return g_object_ref (client);
  return prefect_ctx_client_get_default (error);
}

static PrefectCtxState *
new_state (PrefectCtxStateType  type,
           const char          *name,
           const char          *message)
{
  return prefect_ctx_state_new (type, name, message);
}

/* "Finished in state Completed()" or "Finished in state Failed('message')",
 * as Prefect prints a final state. */
static char *
finished_line (PrefectCtxState *state)
{
  const char *message = prefect_ctx_state_get_message (state);

  if (message == NULL)
    return g_strdup_printf ("Finished in state %s()", prefect_ctx_state_get_name (state));
  return g_strdup_printf ("Finished in state %s('%s')", prefect_ctx_state_get_name (state), message);
}

static void
sleep_seconds (double seconds)
{
  if (seconds > 0)
    g_usleep ((gulong) (seconds * G_USEC_PER_SEC));
}

/* ---------------------------------------------------------------------------
 * The states of a run's attempts, which flow runs and task runs share:
 * Running (Retrying after the first attempt); then Completed, or while
 * retries remain AwaitingRetry with a log line and the retry delay, else
 * Failed; with a `Finished in state ...` log line.
 */

/* Where a run's states and log lines go: the task run @task_run_id when it
 * is set, else the flow run @flow_run_id. */
typedef struct
{
  PrefectCtxClient     *client;
  const char           *flow_run_id;
  const char           *task_run_id;
  PrefectCtxTaskFuture *future;     /* told every state, or NULL */
} RunRecorder;

static PrefectCtxState *
recorder_set_state (const RunRecorder    *rec,
                    PrefectCtxStateType   type,
                    const char           *name,
                    const char           *message,
                    GError              **error)
{
  g_autoptr(PrefectCtxState) state = new_state (type, name, message);
  PrefectCtxState *stored;

  if (rec->task_run_id != NULL)
    stored = prefect_ctx_client_set_task_run_state (rec->client, rec->task_run_id, state, FALSE, NULL, error);
  else
    stored = prefect_ctx_client_set_flow_run_state (rec->client, rec->flow_run_id, state, FALSE, NULL, error);
  if (stored != NULL && rec->future != NULL)
    _prefect_ctx_task_future_set_state (rec->future, stored);
  return stored;
}

static void
recorder_log (const RunRecorder *rec,
              int                level,
              const char        *message)
{
  _prefect_ctx_log_record (rec->client, rec->task_run_id != NULL ? TASK_RUN_LOGGER : FLOW_RUN_LOGGER,
                           level, message, rec->flow_run_id, rec->task_run_id);
}

/* The state an attempt starts in. */
static PrefectCtxState *
recorder_start_attempt (const RunRecorder  *rec,
                        int                 attempt,
                        GError            **error)
{
  return recorder_set_state (rec, PREFECT_CTX_STATE_TYPE_RUNNING,
                             attempt == 0 ? NULL : "Retrying", NULL, error);
}

typedef enum
{
  ATTEMPT_FINISHED,     /* the final state is recorded */
  ATTEMPT_RETRY,        /* AwaitingRetry is recorded and the delay waited */
  ATTEMPT_STORE_FAILED, /* @error is set */
} AttemptEnd;

/* Records the end of attempt @attempt (from 0), whose body failed with
 * @body_error or succeeded (%NULL). With ATTEMPT_FINISHED, *final_state
 * gets the final state as stored. */
static AttemptEnd
recorder_end_attempt (const RunRecorder  *rec,
                      const GError       *body_error,
                      int                 attempt,
                      int                 retries,
                      double              delay,
                      PrefectCtxState   **final_state,
                      GError            **error)
{
  g_autoptr(PrefectCtxState) stored = NULL;
  g_autofree char *line = NULL;

  if (body_error != NULL && attempt < retries)
    {
      stored = recorder_set_state (rec, PREFECT_CTX_STATE_TYPE_SCHEDULED, "AwaitingRetry",
                                   body_error->message, error);
      if (stored == NULL)
        return ATTEMPT_STORE_FAILED;
      line = g_strdup_printf ("%s failed with exception: %s - Retry %d/%d will start %g second(s) from now",
                              rec->task_run_id != NULL ? "Task run" : "Flow run",
                              body_error->message, attempt + 1, retries, delay);
      recorder_log (rec, PREFECT_CTX_LOG_ERROR, line);
      sleep_seconds (delay);
      return ATTEMPT_RETRY;
    }

  stored = recorder_set_state (rec,
                               body_error == NULL ? PREFECT_CTX_STATE_TYPE_COMPLETED : PREFECT_CTX_STATE_TYPE_FAILED,
                               NULL, body_error != NULL ? body_error->message : NULL, error);
  if (stored == NULL)
    return ATTEMPT_STORE_FAILED;
  line = finished_line (stored);
  recorder_log (rec, body_error == NULL ? PREFECT_CTX_LOG_INFO : PREFECT_CTX_LOG_ERROR, line);
  *final_state = g_steal_pointer (&stored);
  return ATTEMPT_FINISHED;
}

/* ---------------------------------------------------------------------------
 * The engine's part of a flow run: its worker pool and the count of the task
 * runs it submitted that are not finished. Attached to each FlowRunContext
 * the flow run makes, so that submissions find it through the context.
 */

typedef struct
{
  gatomicrefcount  ref;
  GMutex           lock;
  GCond            cond;
  guint            outstanding;
  GThreadPool     *pool;
  int              max_workers;
  gboolean         closed;        /* the flow run is over */
} EngineRun;

static GQuark
engine_run_quark (void)
{
  return g_quark_from_static_string ("prefect-ctx-engine-run");
}

static int
default_max_workers (void)
{
  return MAX (4, (int) g_get_num_processors ());
}

static EngineRun *
engine_run_new (int max_workers)
{
  EngineRun *run = g_new0 (EngineRun, 1);

  g_atomic_ref_count_init (&run->ref);
  g_mutex_init (&run->lock);
  g_cond_init (&run->cond);
  run->max_workers = max_workers > 0 ? max_workers : default_max_workers ();

  return run;
}

static EngineRun *
engine_run_ref (EngineRun *run)
{
  g_atomic_ref_count_inc (&run->ref);
  return run;
}

static void
engine_run_unref (gpointer data)
{
  EngineRun *run = data;

  if (!g_atomic_ref_count_dec (&run->ref))
    return;

  /* Ordered after every use under the lock, on whichever thread. */
  prefect_ctx_mutex_lock (&run->lock);
  prefect_ctx_mutex_unlock (&run->lock);

  /* engine_run_close () freed the pool, on the flow run's thread: the last
   * reference may go on a worker, which must not free its own pool. */
  g_assert (run->pool == NULL);
  g_mutex_clear (&run->lock);
  g_cond_clear (&run->cond);
  g_free (run);
}

static EngineRun *
engine_run_for_context (PrefectCtxFlowRunContext *flow_ctx)
{
  return flow_ctx != NULL ? g_object_get_qdata (G_OBJECT (flow_ctx), engine_run_quark ()) : NULL;
}

static void
engine_run_wait_idle (EngineRun *run)
{
  prefect_ctx_mutex_lock (&run->lock);
  while (run->outstanding > 0)
    prefect_ctx_cond_wait (&run->cond, &run->lock);
  prefect_ctx_mutex_unlock (&run->lock);
}

/* Ends the flow run's pool once its submissions are done: called by the
 * flow run's thread. Later submissions with its context (from a snapshot
 * that outlived the run) go to the process's pool. */
static void
engine_run_close (EngineRun *run)
{
  GThreadPool *pool;

  engine_run_wait_idle (run);
  prefect_ctx_mutex_lock (&run->lock);
  pool = g_steal_pointer (&run->pool);
  run->closed = TRUE;
  prefect_ctx_mutex_unlock (&run->lock);

  if (pool != NULL)
    g_thread_pool_free (pool, FALSE, TRUE);
}

/* The pool of submissions made outside any flow run. */
static GThreadPool *
default_pool (GError **error)
{
  static GThreadPool *pool;
  static GMutex lock;
  GThreadPool *result;

  prefect_ctx_mutex_lock (&lock);
  if (pool == NULL)
    pool = prefect_ctx_thread_pool_new (default_max_workers (), FALSE, error);
  result = pool;
  prefect_ctx_mutex_unlock (&lock);

  return result;
}

/* ---------------------------------------------------------------------------
 * Task runs
 */

typedef struct
{
  PrefectCtxTask       *task;
  GVariant             *parameters;     /* a{sv}, sunk */
  PrefectCtxRunFunc     body;
  gpointer              user_data;
  GDestroyNotify        destroy;
  PrefectCtxClient     *client;
  PrefectCtxTaskRun    *task_run;       /* as created */
  PrefectCtxState      *running;        /* the first Running state, when recorded
                                         * with the task run, until used */
  gboolean              log_prints;

  /* submitted runs only */
  PrefectCtxTaskFuture *future;
  EngineRun            *engine_run;     /* counts it as outstanding, or NULL */
} TaskInvocation;

static void
task_invocation_free (TaskInvocation *inv)
{
  if (inv->destroy != NULL)
    inv->destroy (inv->user_data);
  g_clear_object (&inv->task);
  g_clear_pointer (&inv->parameters, g_variant_unref);
  g_clear_object (&inv->client);
  g_clear_object (&inv->task_run);
  g_clear_object (&inv->running);
  g_clear_object (&inv->future);
  if (inv->engine_run != NULL)
    {
      EngineRun *run = inv->engine_run;

      prefect_ctx_mutex_lock (&run->lock);
      run->outstanding--;
      g_cond_broadcast (&run->cond);
      prefect_ctx_mutex_unlock (&run->lock);
      engine_run_unref (run);
    }
  g_free (inv);
}

/* Creates a Pending task run for @name / @task_key in the current flow run
 * (with the next dynamic key of @task_key), or, outside any flow run, a task
 * run of no flow run whose dynamic key is a new UUID, as Prefect 3 does.
 * With @start_running, sets it Running next in the same call (one write;
 * the Running state is made after the Pending one, so its timestamp is not
 * before it). */
static PrefectCtxTaskRun *
create_task_run (PrefectCtxClient    *client,
                 const char          *name,
                 const char          *task_key,
                 const char * const  *tags,
                 gboolean             start_running,
                 GError             **error)
{
  PrefectCtxFlowRunContext *flow_ctx = prefect_ctx_flow_run_context_get_current ();
  PrefectCtxFlowRun *flow_run = flow_ctx != NULL ? prefect_ctx_flow_run_context_get_flow_run (flow_ctx) : NULL;
  g_autofree char *dynamic_key = NULL;
  g_autofree char *run_name = NULL;
  g_autoptr(PrefectCtxState) pending = new_state (PREFECT_CTX_STATE_TYPE_PENDING, NULL, NULL);
  g_autoptr(PrefectCtxTaskRun) draft = NULL;

  if (flow_ctx != NULL)
    {
      dynamic_key = prefect_ctx_flow_run_context_next_dynamic_key (flow_ctx, task_key);
      run_name = g_strdup_printf ("%s-%s", name, dynamic_key);
    }
  else
    {
      dynamic_key = g_uuid_string_random ();
      run_name = g_strdup_printf ("%s-%.3s", name, dynamic_key);
    }

  draft = g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                        "name", run_name,
                        "flow-run-id", flow_run != NULL ? prefect_ctx_flow_run_get_id (flow_run) : NULL,
                        "task-key", task_key,
                        "dynamic-key", dynamic_key,
                        "tags", tags,
                        "state", pending,
                        NULL);

  if (start_running)
    {
      g_autoptr(PrefectCtxState) running = new_state (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL);

      return prefect_ctx_client_create_task_run_and_set_state (client, draft, running, NULL, error);
    }
  return prefect_ctx_client_create_task_run (client, draft, NULL, error);
}

/* The task run @created as the context shows it during one attempt. */
static PrefectCtxTaskRun *
task_run_for_attempt (PrefectCtxTaskRun *created,
                      PrefectCtxState   *state,
                      int                run_count)
{
  return g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                       "id", prefect_ctx_task_run_get_id (created),
                       "name", prefect_ctx_task_run_get_name (created),
                       "flow-run-id", prefect_ctx_task_run_get_flow_run_id (created),
                       "task-key", prefect_ctx_task_run_get_task_key (created),
                       "dynamic-key", prefect_ctx_task_run_get_dynamic_key (created),
                       "tags", prefect_ctx_task_run_get_tags (created),
                       "map-index", prefect_ctx_task_run_get_map_index (created),
                       "state", state,
                       "run-count", run_count,
                       NULL);
}

/* Everything of a task run that happens in the caller: the client, the
 * task run (Pending) and the body. With @start_running (a task run that
 * starts at once on the calling thread), the task run is created Pending
 * and set Running in one call to the client. */
static TaskInvocation *
task_invocation_prepare (PrefectCtxTask     *task,
                         GVariant           *parameters,
                         PrefectCtxRunFunc   body,
                         gpointer            user_data,
                         GDestroyNotify      destroy,
                         gboolean            start_running,
                         GError            **error)
{
  g_autoptr(GVariant) params = NULL;
  g_autoptr(PrefectCtxClient) client = NULL;
  g_auto(GStrv) tags = NULL;
  PrefectCtxTaskRunContext *task_ctx;
  PrefectCtxFlowRunContext *flow_ctx;
  TaskInvocation *inv;
  PrefectCtxTaskRun *task_run;

  params = check_parameters (parameters, "a task", error);
  if (params == NULL)
    goto fail;

  client = choose_client (NULL, error);
  if (client == NULL)
    goto fail;

  tags = union_tags (prefect_ctx_task_get_tags (task), current_tags (), NULL);
  task_run = create_task_run (client, prefect_ctx_task_get_name (task),
                              prefect_ctx_task_get_task_key (task),
                              (const char * const *) tags, start_running, error);
  if (task_run == NULL)
    goto fail;

  inv = g_new0 (TaskInvocation, 1);
  inv->task = g_object_ref (task);
  inv->parameters = g_steal_pointer (&params);
  inv->body = body;
  inv->user_data = user_data;
  inv->destroy = destroy;
  inv->client = g_steal_pointer (&client);
  inv->task_run = task_run;
  if (start_running)
    inv->running = g_object_ref (prefect_ctx_task_run_get_state (task_run));

  /* A task logs its prints if it says so, or if the run it is called in
   * does (Prefect's log_prints=None inherits). */
  task_ctx = prefect_ctx_task_run_context_get_current ();
  flow_ctx = prefect_ctx_flow_run_context_get_current ();
  inv->log_prints = prefect_ctx_task_get_log_prints (task) ||
                    (task_ctx != NULL && prefect_ctx_task_run_context_get_log_prints (task_ctx)) ||
                    (flow_ctx != NULL && prefect_ctx_flow_run_context_get_log_prints (flow_ctx));

  return inv;

fail:
  if (destroy != NULL)
    destroy (user_data);
  return NULL;
}

/* Runs the attempts of a task run on the calling thread, whose contexts are
 * the caller's. Returns the result (full reference, not floating) or NULL;
 * *final_state gets the last state recorded. */
static GVariant *
task_invocation_execute (TaskInvocation   *inv,
                         PrefectCtxState **final_state,
                         GError          **error)
{
  RunRecorder rec = {
    inv->client,
    prefect_ctx_task_run_get_flow_run_id (inv->task_run),
    prefect_ctx_task_run_get_id (inv->task_run),
    inv->future,
  };
  int retries = prefect_ctx_task_get_retries (inv->task);
  double delay = prefect_ctx_task_get_retry_delay_seconds (inv->task);
  /* Not counting the Running state recorded with the task run, if any. */
  int run_count = prefect_ctx_task_run_get_run_count (inv->task_run) - (inv->running != NULL ? 1 : 0);

  for (int attempt = 0; ; attempt++)
    {
      g_autoptr(PrefectCtxState) running = NULL;
      g_autoptr(PrefectCtxTaskRun) shown = NULL;
      g_autoptr(PrefectCtxTaskRunContext) ctx = NULL;
      g_autoptr(GError) body_error = NULL;
      g_autoptr(GError) exit_error = NULL;
      g_autoptr(GVariant) result = NULL;

      if (attempt == 0 && inv->running != NULL)
        running = g_steal_pointer (&inv->running);
      else
        running = recorder_start_attempt (&rec, attempt, error);
      if (running == NULL)
        return NULL;
      run_count++;

      shown = task_run_for_attempt (inv->task_run, running, run_count);
      ctx = g_object_new (PREFECT_CTX_TYPE_TASK_RUN_CONTEXT,
                          "task", inv->task,
                          "task-run", shown,
                          "parameters", inv->parameters,
                          "log-prints", inv->log_prints,
                          "client", inv->client,
                          NULL);

      if (!prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (ctx), error))
        return NULL;
      result = inv->body (PREFECT_CTX_RUN_CONTEXT (ctx), inv->parameters, inv->user_data, &body_error);
      if (result != NULL)
        g_variant_take_ref (result);
      if (!prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (ctx), &exit_error) && body_error == NULL)
        body_error = g_steal_pointer (&exit_error);

      switch (recorder_end_attempt (&rec, body_error, attempt, retries, delay, final_state, error))
        {
        case ATTEMPT_RETRY:
          continue;

        case ATTEMPT_FINISHED:
          if (body_error == NULL)
            return g_steal_pointer (&result);
          g_propagate_error (error, g_steal_pointer (&body_error));
          return NULL;

        case ATTEMPT_STORE_FAILED:
        default:
          return NULL;
        }
    }
}

/**
 * prefect_ctx_task_call:
 * @task: the task
 * @parameters: (nullable): the parameters, an `a{sv}` dictionary; %NULL
 *   means none. A floating reference is sunk.
 * @body: (scope call): the body of the task
 * @user_data: (closure body): data for @body
 * @error: return location for a #GError
 *
 * Runs @body as a run of @task on the calling thread and returns its result
 * (calling a Prefect `@task` function).
 *
 * Inside a flow run, the task run belongs to the current flow run: its
 * dynamic key is the next of the task's [property@PrefectCtx.Task:task-key]
 * in the flow run ([method@PrefectCtx.FlowRunContext.next_dynamic_key]) and
 * its name is `{task name}-{dynamic key}` (`add-0`, `add-1`...). Outside any
 * flow run the task still runs, as Prefect 3 allows, and is recorded as a
 * task run of no flow run, whose dynamic key is a new UUID and whose name is
 * `{task name}-{first three characters of the key}`. The task run's tags
 * are the task's tags and the current tags.
 *
 * The run is recorded through the current run context's client (else
 * [func@PrefectCtx.Client.get_default]): created `Pending`, then `Running`,
 * then `Completed`, or `Failed` with the body's error message as the state
 * message. While [property@PrefectCtx.Task:retries] remain, a failure
 * records `AwaitingRetry` (a `SCHEDULED` state) with the message, waits
 * [property@PrefectCtx.Task:retry-delay-seconds] and runs the body again as
 * `Retrying` (a `RUNNING` state); the run count goes up with every attempt.
 * The body runs in a new [class@PrefectCtx.TaskRunContext] holding the task,
 * the task run, the parameters and the client. The run's last record is a
 * log line `Finished in state Completed()` (or `Failed('message')`).
 *
 * Returns: (transfer full) (nullable): the result of the body, %NULL if it
 *   returned none, or %NULL with @error set: the body's last error, or the
 *   run store's
 */
GVariant *
prefect_ctx_task_call (PrefectCtxTask     *task,
                       GVariant           *parameters,
                       PrefectCtxRunFunc   body,
                       gpointer            user_data,
                       GError            **error)
{
  g_autoptr(PrefectCtxState) final_state = NULL;
  TaskInvocation *inv;
  GVariant *result;
  gboolean in_flow_run;

  g_return_val_if_fail (PREFECT_CTX_IS_TASK (task), NULL);
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  inv = task_invocation_prepare (task, parameters, body, user_data, NULL, TRUE, error);
  if (inv == NULL)
    return NULL;

  in_flow_run = prefect_ctx_task_run_get_flow_run_id (inv->task_run) != NULL;
  result = task_invocation_execute (inv, &final_state, error);
  if (!in_flow_run)
    _prefect_ctx_log_flush_client (inv->client);
  task_invocation_free (inv);

  return result;
}

static void
task_invocation_run_submitted (gpointer data)
{
  TaskInvocation *inv = data;
  g_autoptr(PrefectCtxState) final_state = NULL;
  GError *error = NULL;
  GVariant *result;

  result = task_invocation_execute (inv, &final_state, &error);
  if (prefect_ctx_task_run_get_flow_run_id (inv->task_run) == NULL)
    _prefect_ctx_log_flush_client (inv->client);
  /* The body's data goes before the future says it is done. */
  if (inv->destroy != NULL)
    {
      inv->destroy (inv->user_data);
      inv->destroy = NULL;
    }
  _prefect_ctx_task_future_finish (inv->future, result, error, final_state);
}

/**
 * prefect_ctx_task_submit:
 * @task: the task
 * @parameters: (nullable): the parameters, an `a{sv}` dictionary; %NULL
 *   means none. A floating reference is sunk.
 * @body: (scope notified) (closure user_data) (destroy destroy): the body of
 *   the task
 * @user_data: data for @body
 * @destroy: (nullable): frees @user_data once the body has run for the last
 *   time (or if the task could not be submitted)
 * @error: return location for a #GError
 *
 * Submits @body as a run of @task to a worker thread (Prefect's
 * `task.submit()`) and returns its future at once.
 *
 * The task run is created now, on the calling thread, exactly as
 * [method@PrefectCtx.Task.call] creates it (dynamic keys follow the order of
 * submission), and shows `Pending` until a worker takes it. The worker runs
 * the body with the contexts of the caller at the time of submission (a
 * [struct@PrefectCtx.Snapshot]): [func@PrefectCtx.get_run_context], the
 * tags and the custom context inside are exactly the caller's, plus the
 * task run context. States, retries and logs are those of
 * [method@PrefectCtx.Task.call].
 *
 * Inside a flow run the workers are the flow run's pool, of
 * [property@PrefectCtx.RunOptions:max-workers] threads; the flow run does
 * not finish before every task it submitted has. Outside any flow run they
 * are a pool of the process, of as many threads as processors (at least 4).
 *
 * Bindings that cannot run their functions on other threads (gjs) must use
 * [method@PrefectCtx.Task.call] instead.
 *
 * Returns: (transfer full): the future of the task run, or %NULL with @error
 *   set if the task run could not be created
 */
PrefectCtxTaskFuture *
prefect_ctx_task_submit (PrefectCtxTask     *task,
                         GVariant           *parameters,
                         PrefectCtxRunFunc   body,
                         gpointer            user_data,
                         GDestroyNotify      destroy,
                         GError            **error)
{
  TaskInvocation *inv;
  EngineRun *run;
  GThreadPool *pool;
  PrefectCtxTaskFuture *future;

  g_return_val_if_fail (PREFECT_CTX_IS_TASK (task), NULL);
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  inv = task_invocation_prepare (task, parameters, body, user_data, destroy, FALSE, error);
  if (inv == NULL)
    return NULL;

  inv->future = _prefect_ctx_task_future_new (prefect_ctx_task_run_get_id (inv->task_run),
                                              prefect_ctx_task_run_get_state (inv->task_run));
  future = g_object_ref (inv->future);

  pool = NULL;
  run = engine_run_for_context (prefect_ctx_flow_run_context_get_current ());
  if (run != NULL)
    {
      gboolean closed;

      prefect_ctx_mutex_lock (&run->lock);
      closed = run->closed;
      if (!closed)
        {
          if (run->pool == NULL)
            run->pool = prefect_ctx_thread_pool_new (run->max_workers, FALSE, error);
          pool = run->pool;
          if (pool != NULL)
            {
              run->outstanding++;
              inv->engine_run = engine_run_ref (run);
            }
        }
      prefect_ctx_mutex_unlock (&run->lock);
      if (pool == NULL && !closed)
        {
          task_invocation_free (inv);
          g_object_unref (future);
          return NULL;
        }
    }
  if (pool == NULL)
    {
      pool = default_pool (error);
      if (pool == NULL)
        {
          task_invocation_free (inv);
          g_object_unref (future);
          return NULL;
        }
    }

  /* On failure GLib keeps the item and runs it once it can make a thread. */
  prefect_ctx_thread_pool_push (pool, task_invocation_run_submitted, inv,
                                (GDestroyNotify) task_invocation_free, NULL);

  return future;
}

/* ---------------------------------------------------------------------------
 * Flow runs
 */

static gboolean
set_parent_state (PrefectCtxClient     *client,
                  PrefectCtxTaskRun    *parent,
                  PrefectCtxStateType   type,
                  const char           *message,
                  GError              **error)
{
  g_autoptr(PrefectCtxState) state = NULL;
  g_autoptr(PrefectCtxState) stored = NULL;

  if (parent == NULL)
    return TRUE;
  state = new_state (type, NULL, message);
  stored = prefect_ctx_client_set_task_run_state (client, prefect_ctx_task_run_get_id (parent),
                                                  state, FALSE, NULL, error);
  return stored != NULL;
}

/* Whether every tag of @tags is a current tag already. */
static gboolean
tags_are_current (const char * const *tags)
{
  PrefectCtxTagsContext *current = prefect_ctx_tags_context_get_current ();

  for (guint i = 0; tags[i] != NULL; i++)
    if (current == NULL || !prefect_ctx_tags_context_has_tag (current, tags[i]))
      return FALSE;
  return TRUE;
}

/* The contexts a flow run enters around all its attempts. */
typedef struct
{
  PrefectCtxContext *tags;
  PrefectCtxContext *custom;
} RunScopes;

static gboolean
run_scopes_enter (RunScopes            *scopes,
                  const char * const   *run_tags,
                  PrefectCtxRunOptions *options,
                  GError              **error)
{
  GVariant *custom = options != NULL ? prefect_ctx_run_options_get_custom_context (options) : NULL;

  if (custom != NULL && g_variant_n_children (custom) > 0)
    {
      g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
      GVariantIter iter;
      const char *key, *value;

      g_variant_iter_init (&iter, custom);
      while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
        g_hash_table_insert (values, (gpointer) key, (gpointer) value);
      scopes->custom = (PrefectCtxContext *) prefect_ctx_custom_context_new_merged (values, error);
      if (scopes->custom == NULL)
        return FALSE;
    }

  /* The run's tags become the current tags of its body, so its task runs
   * carry them. */
  if (!tags_are_current (run_tags))
    scopes->tags = (PrefectCtxContext *) prefect_ctx_tags (run_tags);

  if (scopes->tags != NULL && !prefect_ctx_context_enter (scopes->tags, error))
    {
      g_clear_object (&scopes->tags);
      g_clear_object (&scopes->custom);
      return FALSE;
    }
  if (scopes->custom != NULL && !prefect_ctx_context_enter (scopes->custom, error))
    {
      if (scopes->tags != NULL)
        prefect_ctx_context_exit (scopes->tags, NULL);
      g_clear_object (&scopes->tags);
      g_clear_object (&scopes->custom);
      return FALSE;
    }
  return TRUE;
}

static void
run_scopes_exit (RunScopes *scopes)
{
  if (scopes->custom != NULL)
    prefect_ctx_context_exit (scopes->custom, NULL);
  if (scopes->tags != NULL)
    prefect_ctx_context_exit (scopes->tags, NULL);
  g_clear_object (&scopes->custom);
  g_clear_object (&scopes->tags);
}

/* One attempt of a flow run: Running (or Retrying), the body in a new flow
 * run context, then the wait for its submitted tasks. Returns FALSE with
 * @error set when the store fails; otherwise the body's outcome is in
 * *result / *body_error. */
static gboolean
flow_attempt (const RunRecorder     *rec,
              PrefectCtxFlow        *flow,
              GVariant              *params,
              EngineRun             *engine_run,
              int                    attempt,
              PrefectCtxRunFunc      body,
              gpointer               user_data,
              GVariant             **result,
              GError               **body_error,
              GError               **error)
{
  g_autoptr(PrefectCtxState) running = NULL;
  g_autoptr(PrefectCtxFlowRun) current = NULL;
  g_autoptr(PrefectCtxFlowRunContext) ctx = NULL;
  g_autoptr(GError) exit_error = NULL;

  running = recorder_start_attempt (rec, attempt, error);
  if (running == NULL)
    return FALSE;

  /* The context holds the run as stored now: state, run count, times. */
  current = prefect_ctx_client_read_flow_run (rec->client, rec->flow_run_id, NULL, error);
  if (current == NULL)
    return FALSE;

  ctx = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN_CONTEXT,
                      "flow", flow,
                      "flow-run", current,
                      "parameters", params,
                      "log-prints", prefect_ctx_flow_get_log_prints (flow),
                      "client", rec->client,
                      NULL);
  g_object_set_qdata_full (G_OBJECT (ctx), engine_run_quark (), engine_run_ref (engine_run), engine_run_unref);

  if (!prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (ctx), error))
    return FALSE;
  *result = body (PREFECT_CTX_RUN_CONTEXT (ctx), params, user_data, body_error);
  if (*result != NULL)
    g_variant_take_ref (*result);
  if (!prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (ctx), &exit_error) && *body_error == NULL)
    *body_error = g_steal_pointer (&exit_error);

  /* A flow run is not over before the tasks it submitted are. */
  engine_run_wait_idle (engine_run);
  return TRUE;
}

static GVariant *
flow_run_internal (PrefectCtxFlow        *flow,
                   GVariant              *parameters,
                   PrefectCtxRunOptions  *options,
                   PrefectCtxRunFunc      body,
                   gpointer               user_data,
                   GError               **error)
{
  PrefectCtxObjectRegistry *registry = prefect_ctx_object_registry_get_current ();
  g_autoptr(GVariant) params = NULL;
  g_autoptr(PrefectCtxClient) client = NULL;
  g_autoptr(PrefectCtxFlow) stored_flow = NULL;
  g_autoptr(PrefectCtxTaskRun) parent = NULL;
  g_autoptr(PrefectCtxFlowRun) draft = NULL;
  g_autoptr(PrefectCtxFlowRun) flow_run = NULL;
  g_autoptr(PrefectCtxState) pending = NULL;
  g_autoptr(PrefectCtxState) final_state = NULL;
  g_autoptr(GError) body_error = NULL;
  g_auto(GStrv) run_tags = NULL;
  g_autofree char *run_name = NULL;
  g_autofree char *line = NULL;
  RunScopes scopes = { NULL, NULL };
  RunRecorder rec = { NULL, };
  EngineRun *engine_run;
  GVariant *result = NULL;
  gboolean store_ok = TRUE;
  int retries = prefect_ctx_flow_get_retries (flow);
  double delay = prefect_ctx_flow_get_retry_delay_seconds (flow);

  /* A registry that blocks code execution (loading flows from a script)
   * makes flow calls return at once, as Prefect's return None. */
  if (registry != NULL && prefect_ctx_object_registry_get_block_code_execution (registry))
    return NULL;

  params = check_parameters (parameters, "a flow", error);
  if (params == NULL)
    return NULL;

  client = choose_client (options != NULL ? prefect_ctx_run_options_get_client (options) : NULL, error);
  if (client == NULL)
    return NULL;

  run_tags = union_tags (prefect_ctx_flow_get_tags (flow), current_tags (),
                         options != NULL ? prefect_ctx_run_options_get_tags (options) : NULL);

  stored_flow = prefect_ctx_client_create_flow (client, flow, NULL, error);
  if (stored_flow == NULL)
    return NULL;

  /* A flow called inside a flow run or a task run is a subflow: the parent
   * records a task run for it, in the current flow run. */
  if (prefect_ctx_flow_run_context_get_current () != NULL ||
      prefect_ctx_task_run_context_get_current () != NULL)
    {
      parent = create_task_run (client, prefect_ctx_flow_get_name (flow), prefect_ctx_flow_get_name (flow),
                                current_tags (), FALSE, error);
      if (parent == NULL)
        return NULL;
    }

  if (options != NULL && prefect_ctx_run_options_get_run_name (options) != NULL)
    run_name = g_strdup (prefect_ctx_run_options_get_run_name (options));
  else
    run_name = prefect_ctx_generate_run_name ();

  pending = new_state (PREFECT_CTX_STATE_TYPE_PENDING, NULL, NULL);
  draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN,
                        "flow-id", prefect_ctx_flow_get_id (stored_flow),
                        "flow-version", prefect_ctx_flow_get_version (flow),
                        "name", run_name,
                        "parameters", params,
                        "tags", run_tags,
                        "parent-task-run-id", parent != NULL ? prefect_ctx_task_run_get_id (parent) : NULL,
                        "state", pending,
                        NULL);
  flow_run = prefect_ctx_client_create_flow_run (client, draft, NULL, error);
  if (flow_run == NULL)
    return NULL;
  rec.client = client;
  rec.flow_run_id = prefect_ctx_flow_run_get_id (flow_run);

  line = g_strdup_printf ("Beginning flow run '%s' for flow '%s'", run_name, prefect_ctx_flow_get_name (flow));
  recorder_log (&rec, PREFECT_CTX_LOG_INFO, line);

  if (!set_parent_state (client, parent, PREFECT_CTX_STATE_TYPE_RUNNING, NULL, error))
    return NULL;

  if (!run_scopes_enter (&scopes, (const char * const *) run_tags, options, &body_error))
    {
      /* A custom context that breaks the rules fails the run. */
      final_state = recorder_set_state (&rec, PREFECT_CTX_STATE_TYPE_FAILED, NULL, body_error->message, NULL);
      set_parent_state (client, parent, PREFECT_CTX_STATE_TYPE_FAILED, body_error->message, NULL);
      _prefect_ctx_log_flush_client (client);
      g_propagate_error (error, g_steal_pointer (&body_error));
      return NULL;
    }

  engine_run = engine_run_new (options != NULL ? prefect_ctx_run_options_get_max_workers (options) : 0);

  for (int attempt = 0; ; attempt++)
    {
      AttemptEnd end;

      g_clear_pointer (&result, g_variant_unref);
      g_clear_error (&body_error);

      store_ok = flow_attempt (&rec, flow, params, engine_run, attempt,
                               body, user_data, &result, &body_error, error);
      if (!store_ok)
        break;

      end = recorder_end_attempt (&rec, body_error, attempt, retries, delay, &final_state, error);
      if (end != ATTEMPT_RETRY)
        {
          store_ok = end == ATTEMPT_FINISHED;
          break;
        }
    }

  run_scopes_exit (&scopes);
  engine_run_close (engine_run);
  engine_run_unref (engine_run);

  if (store_ok)
    store_ok = set_parent_state (client, parent, prefect_ctx_state_get_state_type (final_state),
                                 prefect_ctx_state_get_message (final_state), error);
  _prefect_ctx_log_flush_client (client);

  if (!store_ok)
    {
      g_clear_pointer (&result, g_variant_unref);
      return NULL;
    }
  if (body_error != NULL)
    {
      g_clear_pointer (&result, g_variant_unref);
      g_propagate_error (error, g_steal_pointer (&body_error));
      return NULL;
    }
  return result;
}

/**
 * prefect_ctx_flow_run_sync:
 * @flow: the flow
 * @parameters: (nullable): the parameters, an `a{sv}` dictionary; %NULL
 *   means none. A floating reference is sunk.
 * @options: (nullable): how to run it, or %NULL for the defaults
 * @body: (scope call): the body of the flow
 * @user_data: (closure body): data for @body
 * @error: return location for a #GError
 *
 * Runs @body as a run of @flow on the calling thread and returns its result
 * (calling a Prefect `@flow` function).
 *
 * The flow is created in the run store (or found by name) and a flow run is
 * made: named by [property@PrefectCtx.RunOptions:run-name] or a generated
 * two-word name like `tidy-jaguar`, with the parameters, and with the tags
 * of the flow, the current tags and those of @options. It is recorded
 * `Pending`, then `Running`, then `Completed`, or `Failed` with the body's
 * error message as the state message. While [property@PrefectCtx.Flow:retries]
 * remain, a failure records `AwaitingRetry` (a `SCHEDULED` state) with the
 * message, waits [property@PrefectCtx.Flow:retry-delay-seconds] and runs the
 * body again as `Retrying` (a `RUNNING` state); the run count goes up with
 * every attempt. Each attempt makes new task runs' dynamic keys from 0
 * again, so a task called again in a retry is recorded in the task run of
 * the attempt before, one run count higher.
 *
 * The body runs in a new [class@PrefectCtx.FlowRunContext] holding the
 * flow, the flow run as stored when the attempt started, the parameters,
 * the flow's `log-prints` and the client, inside a
 * [class@PrefectCtx.TagsContext] of the run's tags (so its task runs carry
 * them) and, when @options has a custom context, a
 * [class@PrefectCtx.CustomContext] merging it over the current one. The run
 * is not finished before every task it submitted
 * ([method@PrefectCtx.Task.submit]) is. Its logs are written when it ends.
 *
 * The client is that of @options, else the current run context's, else
 * [func@PrefectCtx.Client.get_default].
 *
 * Called inside a flow run or a task run, the flow run is a subflow: the
 * current flow run first records a task run for it (task key and name from
 * the flow's name, `{flow}-{dynamic key}`), which goes `Pending`,
 * `Running`, and ends in the subflow's final state; the subflow's
 * [property@PrefectCtx.FlowRun:parent-task-run-id] names it, so the runtime
 * `flow_run.parent_flow_run_id` and `root_flow_run_id` resolve through the
 * store.
 *
 * When an [class@PrefectCtx.ObjectRegistry] with
 * [property@PrefectCtx.ObjectRegistry:block-code-execution] is current,
 * nothing runs and nothing is recorded: this returns %NULL without an error
 * (Prefect's flow calls return `None` while flows are being loaded from a
 * script).
 *
 * Returns: (transfer full) (nullable): the result of the body, %NULL if it
 *   returned none (or nothing ran), or %NULL with @error set: the body's
 *   last error, or the run store's
 */
GVariant *
prefect_ctx_flow_run_sync (PrefectCtxFlow        *flow,
                           GVariant              *parameters,
                           PrefectCtxRunOptions  *options,
                           PrefectCtxRunFunc      body,
                           gpointer               user_data,
                           GError               **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (flow), NULL);
  g_return_val_if_fail (options == NULL || PREFECT_CTX_IS_RUN_OPTIONS (options), NULL);
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return flow_run_internal (flow, parameters, options, body, user_data, error);
}

typedef struct
{
  PrefectCtxFlow       *flow;
  GVariant             *parameters;
  PrefectCtxRunOptions *options;
  PrefectCtxRunFunc     body;
  gpointer              body_data;
  GDestroyNotify        body_destroy;
  PrefectCtxSnapshot   *snapshot;
} AsyncFlowRun;

static void
async_flow_run_free (gpointer data)
{
  AsyncFlowRun *run = data;

  if (run->body_destroy != NULL)
    run->body_destroy (run->body_data);
  g_clear_object (&run->flow);
  g_clear_pointer (&run->parameters, g_variant_unref);
  g_clear_object (&run->options);
  g_clear_pointer (&run->snapshot, prefect_ctx_snapshot_unref);
  g_free (run);
}

typedef struct
{
  GTask    *task;
  GVariant *result;
  GError   *error;
} AsyncOutcome;

static void
async_flow_run_in_snapshot (gpointer data)
{
  AsyncOutcome *outcome = data;
  AsyncFlowRun *run = g_task_get_task_data (outcome->task);

  outcome->result = flow_run_internal (run->flow, run->parameters, run->options,
                                       run->body, run->body_data, &outcome->error);
}

static gboolean
async_flow_run_idle (gpointer data)
{
  GTask *task = data;
  AsyncFlowRun *run = g_task_get_task_data (task);
  AsyncOutcome outcome = { task, NULL, NULL };
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;

  /* The run happens with the contexts of the caller of _async (). */
  prefect_ctx_snapshot_run (run->snapshot, async_flow_run_in_snapshot, &outcome);
  error = outcome.error;

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, outcome.result, (GDestroyNotify) g_variant_unref);

  return G_SOURCE_REMOVE;
}

/**
 * prefect_ctx_flow_run_async:
 * @flow: the flow
 * @parameters: (nullable): the parameters, an `a{sv}` dictionary; %NULL
 *   means none. A floating reference is sunk.
 * @options: (nullable): how to run it, or %NULL for the defaults
 * @body: (scope notified) (closure body_data) (destroy body_destroy): the
 *   body of the flow
 * @body_data: data for @body
 * @body_destroy: (nullable): frees @body_data when the run is over
 * @cancellable: (nullable): a #GCancellable, or %NULL
 * @callback: (scope async) (closure user_data): called when the run is over
 * @user_data: data for @callback
 *
 * Starts a flow run like [method@PrefectCtx.Flow.run_sync], and returns at
 * once; @callback gets the outcome from [method@PrefectCtx.Flow.run_finish].
 *
 * The run happens on the calling thread, from an idle callback of its
 * thread-default main context ([method@GLib.MainContext.push_thread_default]),
 * with the contexts that were current when this was called. So the body
 * runs where the caller's language can run it (gjs refuses callbacks on
 * other threads) and the caller's main loop keeps its other sources; but
 * while the body and the store calls run, that main loop waits for them. To
 * run a flow on another thread, call [method@PrefectCtx.Flow.run_sync] there
 * (with a [struct@PrefectCtx.Snapshot] to carry the contexts).
 *
 * If @cancellable is cancelled before the run starts, nothing runs and the
 * outcome is %G_IO_ERROR_CANCELLED.
 */
void
prefect_ctx_flow_run_async (PrefectCtxFlow        *flow,
                            GVariant              *parameters,
                            PrefectCtxRunOptions  *options,
                            PrefectCtxRunFunc      body,
                            gpointer               body_data,
                            GDestroyNotify         body_destroy,
                            GCancellable          *cancellable,
                            GAsyncReadyCallback    callback,
                            gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSource) source = NULL;
  AsyncFlowRun *run;

  g_return_if_fail (PREFECT_CTX_IS_FLOW (flow));
  g_return_if_fail (options == NULL || PREFECT_CTX_IS_RUN_OPTIONS (options));
  g_return_if_fail (body != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run = g_new0 (AsyncFlowRun, 1);
  run->flow = g_object_ref (flow);
  run->parameters = parameters != NULL ? g_variant_ref_sink (parameters) : NULL;
  run->options = options != NULL ? g_object_ref (options) : NULL;
  run->body = body;
  run->body_data = body_data;
  run->body_destroy = body_destroy;
  run->snapshot = prefect_ctx_snapshot_capture ();

  task = g_task_new (flow, cancellable, callback, user_data);
  g_task_set_source_tag (task, prefect_ctx_flow_run_async);
  g_task_set_task_data (task, run, async_flow_run_free);

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_task_attach_source (task, source, async_flow_run_idle);
}

/**
 * prefect_ctx_flow_run_finish:
 * @flow: the flow given to [method@PrefectCtx.Flow.run_async]
 * @result: the #GAsyncResult given to the callback of
 *   [method@PrefectCtx.Flow.run_async]
 * @error: return location for a #GError
 *
 * Gets the outcome of a flow run started with
 * [method@PrefectCtx.Flow.run_async].
 *
 * Returns: (transfer full) (nullable): the result of the body, %NULL if it
 *   returned none, or %NULL with @error set
 */
GVariant *
prefect_ctx_flow_run_finish (PrefectCtxFlow  *flow,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (flow), NULL);
  g_return_val_if_fail (g_task_is_valid (result, flow), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, prefect_ctx_flow_run_async), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------
 * The runtime module's readers: the current run's client, else the default
 * one. Registered when the library is loaded, so that prefect.runtime finds
 * the store even in a process that never runs a flow (a worker given only
 * PREFECT__FLOW_RUN_ID).
 */

static PrefectCtxClient *
reader_client (void)
{
  PrefectCtxClient *client = current_client ();

  if (client != NULL)
    return g_object_ref (client);
  return prefect_ctx_client_get_default (NULL);
}

static PrefectCtxFlowRun *
runtime_read_flow_run (const char *id)
{
  g_autoptr(PrefectCtxClient) client = reader_client ();

  return client != NULL ? prefect_ctx_client_read_flow_run (client, id, NULL, NULL) : NULL;
}

static PrefectCtxTaskRun *
runtime_read_task_run (const char *id)
{
  g_autoptr(PrefectCtxClient) client = reader_client ();

  return client != NULL ? prefect_ctx_client_read_task_run (client, id, NULL, NULL) : NULL;
}

static PrefectCtxFlow *
runtime_read_flow (const char *id)
{
  g_autoptr(PrefectCtxClient) client = reader_client ();

  return client != NULL ? prefect_ctx_client_read_flow (client, id, NULL, NULL) : NULL;
}

/* Deployments are read once per id and process, as Prefect caches them. */
static PrefectCtxDeployment *
runtime_read_deployment (const char *id)
{
  static GMutex lock;
  static GHashTable *cache;
  g_autoptr(PrefectCtxClient) client = NULL;
  PrefectCtxDeployment *deployment;

  prefect_ctx_mutex_lock (&lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  deployment = g_hash_table_lookup (cache, id);
  if (deployment != NULL)
    g_object_ref (deployment);
  prefect_ctx_mutex_unlock (&lock);
  if (deployment != NULL)
    return deployment;

  client = reader_client ();
  deployment = client != NULL ? prefect_ctx_client_read_deployment (client, id, NULL, NULL) : NULL;
  if (deployment == NULL)
    return NULL;

  prefect_ctx_mutex_lock (&lock);
  g_hash_table_replace (cache, g_strdup (id), g_object_ref (deployment));
  prefect_ctx_mutex_unlock (&lock);

  return deployment;
}

static const PrefectCtxRuntimeReaders runtime_readers = {
  runtime_read_flow_run,
  runtime_read_task_run,
  runtime_read_flow,
  runtime_read_deployment,
};

static void register_runtime_readers (void) __attribute__ ((constructor));

static void
register_runtime_readers (void)
{
  _prefect_ctx_runtime_set_readers (&runtime_readers);
}
