/* prefectctx-engine.c: running flows, tasks and subflows (layer 6)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-engine.h"
#include "client/prefectctx-client-default.h"
#include "prefectctx-engine-private.h"
#include "prefectctx-tsan-private.h"

#include "core/prefectctx-error.h"
#include "core/prefectctx-snapshot.h"
#include "contexts/prefectctx-custom-context.h"
#include "contexts/prefectctx-flow-run-context.h"
#include "contexts/prefectctx-object-registry.h"
#include "contexts/prefectctx-tags-context.h"
#include "contexts/prefectctx-task-run-context.h"
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
  ATTEMPT_RETRY,        /* AwaitingRetry is recorded; the delay is to wait */
  ATTEMPT_STORE_FAILED, /* @error is set */
} AttemptEnd;

static gboolean
is_cancellation (const GError *error)
{
  return error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
is_crash (const GError *error)
{
  return error != NULL && g_error_matches (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_CRASHED);
}

/* Records the end of attempt @attempt (from 0), whose body failed with
 * @body_error or succeeded (%NULL). A cancellation (%G_IO_ERROR_CANCELLED)
 * is final: `Cancelled`, whatever retries remain; so is a crash
 * (%PREFECT_CTX_ERROR_CRASHED): `Crashed`. With ATTEMPT_FINISHED,
 * *final_state gets the final state as stored. */
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
  PrefectCtxStateType type;

  if (body_error != NULL && attempt < retries && !is_cancellation (body_error) && !is_crash (body_error))
    {
      stored = recorder_set_state (rec, PREFECT_CTX_STATE_TYPE_SCHEDULED, "AwaitingRetry",
                                   body_error->message, error);
      if (stored == NULL)
        return ATTEMPT_STORE_FAILED;
      line = g_strdup_printf ("%s failed with exception: %s - Retry %d/%d will start %g second(s) from now",
                              rec->task_run_id != NULL ? "Task run" : "Flow run",
                              body_error->message, attempt + 1, retries, delay);
      recorder_log (rec, PREFECT_CTX_LOG_ERROR, line);
      return ATTEMPT_RETRY;
    }

  if (body_error == NULL)
    type = PREFECT_CTX_STATE_TYPE_COMPLETED;
  else if (is_cancellation (body_error))
    type = PREFECT_CTX_STATE_TYPE_CANCELLED;
  else if (is_crash (body_error))
    type = PREFECT_CTX_STATE_TYPE_CRASHED;
  else
    type = PREFECT_CTX_STATE_TYPE_FAILED;
  stored = recorder_set_state (rec, type, NULL, body_error != NULL ? body_error->message : NULL, error);
  if (stored == NULL)
    return ATTEMPT_STORE_FAILED;
  /* Prefect's report_*_run_crashes log the crash instead. */
  if (type == PREFECT_CTX_STATE_TYPE_CRASHED)
    line = g_strdup_printf ("Crash detected! %s", body_error->message);
  else
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

/* ---------------------------------------------------------------------------
 * Flow runs: the parent task run of a subflow and the run's scopes
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

/* ---------------------------------------------------------------------------
 * PrefectCtxRunEngine: the rules of one run, for every way of running it
 */

/**
 * PrefectCtxRunEngine:
 *
 * One flow run or task run, step by step (Prefect 3's `FlowRunEngine` and
 * `TaskRunEngine`): what [method@PrefectCtx.Flow.run_sync],
 * [method@PrefectCtx.Flow.run_async], [method@PrefectCtx.Task.call],
 * [method@PrefectCtx.Task.call_async] and [method@PrefectCtx.Task.submit]
 * are made of, for drivers that run the body themselves, such as an event
 * loop of another language (the Python override drives `async def` flows
 * and tasks on asyncio with it).
 *
 * Making the engine records the run `Pending` (a subflow's parent task run
 * too). Then each attempt is
 * [method@PrefectCtx.RunEngine.begin_attempt], which records `Running` (or
 * `Retrying`) and gives the snapshot to run the body in (the caller's
 * contexts, the run's tags and custom context, and the run context of the
 * attempt), then the body, then [method@PrefectCtx.RunEngine.end_attempt]
 * with its outcome, which records the end of the attempt and tells whether
 * another one follows, and after which delay. Last,
 * [method@PrefectCtx.RunEngine.finish] ends the run and gives its result:
 *
 * |[<!-- language="C" -->
 * while ((snapshot = prefect_ctx_run_engine_begin_attempt (engine)) != NULL)
 *   {
 *     ... run the body with snapshot as the state (prefect_ctx_snapshot_run) ...
 *     delay = prefect_ctx_run_engine_end_attempt (engine, result, body_error);
 *     prefect_ctx_snapshot_unref (snapshot);
 *     if (delay > 0)
 *       ... wait delay seconds ...
 *   }
 * result = prefect_ctx_run_engine_finish (engine, &error);
 * ]|
 *
 * A body error %G_IO_ERROR_CANCELLED records `Cancelled` and ends the run
 * whatever retries remain; %PREFECT_CTX_ERROR_CRASHED records `Crashed`
 * the same way. Errors of the run store end the run too; they
 * are reported by finish, as are the body's.
 *
 * The engine is not thread-safe: drive it from one thread at a time.
 */

struct _PrefectCtxRunEngine
{
  GObject parent_instance;

  PrefectCtxClient     *client;
  RunRecorder           rec;
  PrefectCtxSnapshot   *base;          /* the caller's contexts, and the run's scopes */
  GPtrArray            *scopes;        /* snapshots that entered the run's scopes */
  PrefectCtxSnapshot   *attempt;       /* while an attempt runs */
  PrefectCtxRunContext *context;       /* of the current or last attempt */
  GVariant             *parameters;
  int                   n_attempts;
  int                   run_count;     /* task runs: as the context shows it */
  int                   retries;
  double                retry_delay;
  gboolean              over;          /* no attempt follows */
  gboolean              finished;
  GMutex                write_lock;    /* held to record a state, and to test
                                        * and set over against a crash that
                                        * another thread records */
  GVariant             *result;
  GError               *error;         /* the body's last error, or the store's */
  PrefectCtxState      *final_state;

  /* flow runs */
  PrefectCtxFlow       *flow;
  PrefectCtxFlowRun    *flow_run;
  PrefectCtxTaskRun    *parent;
  EngineRun            *engine_run;

  /* task runs */
  TaskInvocation       *inv;
};

G_DEFINE_FINAL_TYPE (PrefectCtxRunEngine, prefect_ctx_run_engine, G_TYPE_OBJECT)

/* Ends the run before any attempt, with @error (taken). */
static void
engine_fail (PrefectCtxRunEngine *self,
             GError              *error)
{
  self->over = TRUE;
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
}

/* Runs not over yet, for the Crashed state at process exit or on a
 * signal: a body that calls exit () (Python's sys.exit () too), or a
 * SIGTERM, would leave them Running for good. Not referenced: an engine
 * leaves the list when it is finalized. Lock order: live_lock, then an
 * engine's write_lock. */
static GMutex live_lock;
static GList *live_engines;

#define EXIT_MESSAGE "Execution was aborted by the process exiting during the run."

/* Records every run not over Crashed with @message, under each engine's
 * write_lock: a run that another thread is ending is recorded first, and
 * then left as it is; one ended here then records nothing more. */
static void
live_engines_crash (const char *message)
{
  prefect_ctx_mutex_lock (&live_lock);
  for (GList *l = live_engines; l != NULL; l = l->next)
    {
      PrefectCtxRunEngine *self = l->data;
      g_autoptr(PrefectCtxState) crashed = NULL;
      GError *error = NULL;

      prefect_ctx_mutex_lock (&self->write_lock);
      if (self->over || self->rec.client == NULL)
        {
          prefect_ctx_mutex_unlock (&self->write_lock);
          continue;
        }
      crashed = recorder_set_state (&self->rec, PREFECT_CTX_STATE_TYPE_CRASHED, NULL, message, &error);
      if (crashed == NULL)
        {
          g_warning ("The run %s could not be recorded Crashed: %s",
                     self->rec.task_run_id != NULL ? self->rec.task_run_id : self->rec.flow_run_id,
                     error->message);
        }
      else
        {
          g_autofree char *line = g_strdup_printf ("Crash detected! %s", message);

          recorder_log (&self->rec, PREFECT_CTX_LOG_ERROR, line);
          set_parent_state (self->client, self->parent, PREFECT_CTX_STATE_TYPE_CRASHED, message, NULL);
          g_set_object (&self->final_state, crashed);
          g_clear_error (&error);
          error = g_error_new_literal (PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_CRASHED, message);
        }
      engine_fail (self, error);
      prefect_ctx_mutex_unlock (&self->write_lock);
    }
  prefect_ctx_mutex_unlock (&live_lock);
  prefect_ctx_flush_logs (NULL);
}

static void
live_engines_crash_at_exit (void)
{
  live_engines_crash (EXIT_MESSAGE);
}

void
_prefect_ctx_engine_crash_all (const char *message)
{
  live_engines_crash (message);
}

/* Registered once a run is recorded, so after the store it writes to: the
 * store's own exit handler (its checkpoint) runs after this one. */
static void
live_engines_add (PrefectCtxRunEngine *self)
{
  static gsize registered;

  if (g_once_init_enter (&registered))
    {
      atexit (live_engines_crash_at_exit);
      g_once_init_leave (&registered, 1);
    }
  prefect_ctx_mutex_lock (&live_lock);
  live_engines = g_list_prepend (live_engines, self);
  prefect_ctx_mutex_unlock (&live_lock);
}

static void
prefect_ctx_run_engine_finalize (GObject *object)
{
  PrefectCtxRunEngine *self = PREFECT_CTX_RUN_ENGINE (object);

  prefect_ctx_mutex_lock (&live_lock);
  live_engines = g_list_remove (live_engines, self);
  prefect_ctx_mutex_unlock (&live_lock);

  if (!self->finished)
    {
      g_autoptr(GVariant) result = NULL;

      if (self->attempt != NULL)
        g_critical ("A PrefectCtxRunEngine was finalized during an attempt");
      else
        result = prefect_ctx_run_engine_finish (self, NULL);
    }

  g_mutex_clear (&self->write_lock);
  g_clear_object (&self->client);
  g_clear_pointer (&self->base, prefect_ctx_snapshot_unref);
  g_clear_pointer (&self->scopes, g_ptr_array_unref);
  g_clear_pointer (&self->attempt, prefect_ctx_snapshot_unref);
  g_clear_object (&self->context);
  g_clear_pointer (&self->parameters, g_variant_unref);
  g_clear_pointer (&self->result, g_variant_unref);
  g_clear_error (&self->error);
  g_clear_object (&self->final_state);
  g_clear_object (&self->flow);
  g_clear_object (&self->flow_run);
  g_clear_object (&self->parent);
  g_clear_pointer (&self->engine_run, engine_run_unref);
  g_clear_pointer (&self->inv, task_invocation_free);

  G_OBJECT_CLASS (prefect_ctx_run_engine_parent_class)->finalize (object);
}

static void
prefect_ctx_run_engine_class_init (PrefectCtxRunEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = prefect_ctx_run_engine_finalize;
}

static void
prefect_ctx_run_engine_init (PrefectCtxRunEngine *self)
{
  g_mutex_init (&self->write_lock);
}


/* Enters @context on top of the engine's base, which then includes it. */
static gboolean
engine_enter_scope (PrefectCtxRunEngine  *self,
                    PrefectCtxContext    *context,
                    GError              **error)
{
  PrefectCtxSnapshot *entered = prefect_ctx_snapshot_enter (self->base, context, error);

  if (entered == NULL)
    return FALSE;
  g_ptr_array_add (self->scopes, entered);
  prefect_ctx_snapshot_unref (self->base);
  self->base = prefect_ctx_snapshot_ref (entered);
  return TRUE;
}

/* The run's tags become the current tags of its body (so its task runs
 * carry them), and the run-level custom context is merged over the
 * current one. */
static gboolean
engine_enter_flow_scopes (PrefectCtxRunEngine   *self,
                          const char * const    *run_tags,
                          PrefectCtxRunOptions  *options,
                          GError               **error)
{
  GVariant *custom = options != NULL ? prefect_ctx_run_options_get_custom_context (options) : NULL;

  if (!tags_are_current (run_tags))
    {
      g_autoptr(PrefectCtxTagsContext) tags = prefect_ctx_tags (run_tags);

      if (!engine_enter_scope (self, PREFECT_CTX_CONTEXT (tags), error))
        return FALSE;
    }

  if (custom != NULL && g_variant_n_children (custom) > 0)
    {
      g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(PrefectCtxCustomContext) merged = NULL;
      GVariantIter iter;
      const char *key, *value;

      g_variant_iter_init (&iter, custom);
      while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
        g_hash_table_insert (values, (gpointer) key, (gpointer) value);
      /* Merged over the current custom context: the caller's. */
      prefect_ctx_snapshot_attach (self->base);
      merged = prefect_ctx_custom_context_new_merged (values, error);
      prefect_ctx_snapshot_detach (self->base, NULL);
      if (merged == NULL || !engine_enter_scope (self, PREFECT_CTX_CONTEXT (merged), error))
        return FALSE;
    }

  return TRUE;
}

static PrefectCtxRunEngine *
engine_new (void)
{
  PrefectCtxRunEngine *self = g_object_new (PREFECT_CTX_TYPE_RUN_ENGINE, NULL);

  self->base = prefect_ctx_snapshot_capture ();
  self->scopes = g_ptr_array_new_with_free_func ((GDestroyNotify) prefect_ctx_snapshot_unref);
  return self;
}

/**
 * prefect_ctx_run_engine_new_for_flow:
 * @flow: the flow
 * @parameters: (nullable): the parameters, an `a{sv}` dictionary; %NULL
 *   means none. A floating reference is sunk.
 * @options: (nullable): how to run it, or %NULL for the defaults
 * @error: return location for a #GError
 *
 * Starts a flow run of @flow as [method@PrefectCtx.Flow.run_sync] describes,
 * with the contexts current on the calling thread: the flow is created in
 * the run store, a subflow's parent task run is created, and the flow run
 * is created `Pending`. Its attempts are to be made with
 * [method@PrefectCtx.RunEngine.begin_attempt].
 *
 * When an [class@PrefectCtx.ObjectRegistry] blocks code execution, nothing
 * is recorded: the engine makes no attempt and its result is %NULL.
 *
 * Returns: (transfer full): the engine, or %NULL with @error set when the
 *   parameters are not a dictionary or the run could not be created
 */
PrefectCtxRunEngine *
prefect_ctx_run_engine_new_for_flow (PrefectCtxFlow        *flow,
                                     GVariant              *parameters,
                                     PrefectCtxRunOptions  *options,
                                     GError               **error)
{
  PrefectCtxObjectRegistry *registry;
  g_autoptr(PrefectCtxRunEngine) self = NULL;
  g_autoptr(PrefectCtxFlow) stored_flow = NULL;
  g_autoptr(PrefectCtxFlowRun) draft = NULL;
  g_autoptr(PrefectCtxState) pending = NULL;
  g_autoptr(GError) scope_error = NULL;
  g_auto(GStrv) run_tags = NULL;
  g_autofree char *run_name = NULL;
  g_autofree char *line = NULL;

  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (flow), NULL);
  g_return_val_if_fail (options == NULL || PREFECT_CTX_IS_RUN_OPTIONS (options), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = engine_new ();
  self->flow = g_object_ref (flow);

  /* A registry that blocks code execution (loading flows from a script)
   * makes flow calls return at once, as Prefect's return None. */
  registry = prefect_ctx_object_registry_get_current ();
  if (registry != NULL && prefect_ctx_object_registry_get_block_code_execution (registry))
    {
      if (parameters != NULL)
        g_variant_unref (g_variant_ref_sink (parameters));
      self->over = TRUE;
      self->finished = TRUE;
      return g_steal_pointer (&self);
    }

  self->parameters = check_parameters (parameters, "a flow", error);
  if (self->parameters == NULL)
    return NULL;

  self->client = choose_client (options != NULL ? prefect_ctx_run_options_get_client (options) : NULL, error);
  if (self->client == NULL)
    return NULL;
  self->retries = prefect_ctx_flow_get_retries (flow);
  self->retry_delay = prefect_ctx_flow_get_retry_delay_seconds (flow);

  run_tags = union_tags (prefect_ctx_flow_get_tags (flow), current_tags (),
                         options != NULL ? prefect_ctx_run_options_get_tags (options) : NULL);

  stored_flow = prefect_ctx_client_create_flow (self->client, flow, NULL, error);
  if (stored_flow == NULL)
    return NULL;

  /* A flow called inside a flow run or a task run is a subflow: the parent
   * records a task run for it, in the current flow run. */
  if (prefect_ctx_flow_run_context_get_current () != NULL ||
      prefect_ctx_task_run_context_get_current () != NULL)
    {
      self->parent = create_task_run (self->client, prefect_ctx_flow_get_name (flow), prefect_ctx_flow_get_name (flow),
                                      current_tags (), FALSE, error);
      if (self->parent == NULL)
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
                        "parameters", self->parameters,
                        "tags", run_tags,
                        "parent-task-run-id", self->parent != NULL ? prefect_ctx_task_run_get_id (self->parent) : NULL,
                        "state", pending,
                        NULL);
  self->flow_run = prefect_ctx_client_create_flow_run (self->client, draft, NULL, error);
  if (self->flow_run == NULL)
    return NULL;
  self->rec.client = self->client;
  self->rec.flow_run_id = prefect_ctx_flow_run_get_id (self->flow_run);

  line = g_strdup_printf ("Beginning flow run '%s' for flow '%s'", run_name, prefect_ctx_flow_get_name (flow));
  recorder_log (&self->rec, PREFECT_CTX_LOG_INFO, line);

  if (!set_parent_state (self->client, self->parent, PREFECT_CTX_STATE_TYPE_RUNNING, NULL, error))
    return NULL;

  self->engine_run = engine_run_new (options != NULL ? prefect_ctx_run_options_get_max_workers (options) : 0);

  if (!engine_enter_flow_scopes (self, (const char * const *) run_tags, options, &scope_error))
    {
      /* A custom context that breaks the rules fails the run. */
      self->final_state = recorder_set_state (&self->rec, PREFECT_CTX_STATE_TYPE_FAILED, NULL,
                                              scope_error->message, NULL);
      engine_fail (self, g_steal_pointer (&scope_error));
    }

  live_engines_add (self);
  return g_steal_pointer (&self);
}

/* Made on the calling thread, for a task run that starts at once there
 * (@start_running) or on a worker. */
static PrefectCtxRunEngine *
engine_new_for_task (PrefectCtxTask     *task,
                     GVariant           *parameters,
                     PrefectCtxRunFunc   body,
                     gpointer            user_data,
                     GDestroyNotify      destroy,
                     gboolean            start_running,
                     GError            **error)
{
  g_autoptr(PrefectCtxRunEngine) self = engine_new ();

  self->inv = task_invocation_prepare (task, parameters, body, user_data, destroy, start_running, error);
  if (self->inv == NULL)
    return NULL;

  self->client = g_object_ref (self->inv->client);
  self->parameters = g_variant_ref (self->inv->parameters);
  self->retries = prefect_ctx_task_get_retries (task);
  self->retry_delay = prefect_ctx_task_get_retry_delay_seconds (task);
  self->rec.client = self->client;
  self->rec.flow_run_id = prefect_ctx_task_run_get_flow_run_id (self->inv->task_run);
  self->rec.task_run_id = prefect_ctx_task_run_get_id (self->inv->task_run);
  /* Not counting the Running state recorded with the task run, if any. */
  self->run_count = prefect_ctx_task_run_get_run_count (self->inv->task_run) - (self->inv->running != NULL ? 1 : 0);

  live_engines_add (self);
  return g_steal_pointer (&self);
}

/**
 * prefect_ctx_run_engine_new_for_task:
 * @task: the task
 * @parameters: (nullable): the parameters, an `a{sv}` dictionary; %NULL
 *   means none. A floating reference is sunk.
 * @error: return location for a #GError
 *
 * Starts a task run of @task as [method@PrefectCtx.Task.call] describes,
 * with the contexts current on the calling thread: the task run is created
 * (`Pending`, then `Running` in the same call to the store) in the current
 * flow run, with its next dynamic key, or as a task run of no flow run.
 *
 * Returns: (transfer full): the engine, or %NULL with @error set when the
 *   parameters are not a dictionary or the task run could not be created
 */
PrefectCtxRunEngine *
prefect_ctx_run_engine_new_for_task (PrefectCtxTask  *task,
                                     GVariant        *parameters,
                                     GError         **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK (task), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return engine_new_for_task (task, parameters, NULL, NULL, NULL, TRUE, error);
}

static PrefectCtxContext *
task_attempt_context (PrefectCtxRunEngine  *self,
                      GError              **error)
{
  TaskInvocation *inv = self->inv;
  g_autoptr(PrefectCtxState) running = NULL;
  g_autoptr(PrefectCtxTaskRun) shown = NULL;

  if (self->n_attempts == 0 && inv->running != NULL)
    running = g_steal_pointer (&inv->running);
  else
    running = recorder_start_attempt (&self->rec, self->n_attempts, error);
  if (running == NULL)
    return NULL;
  self->run_count++;

  shown = task_run_for_attempt (inv->task_run, running, self->run_count);
  return g_object_new (PREFECT_CTX_TYPE_TASK_RUN_CONTEXT,
                       "task", inv->task,
                       "task-run", shown,
                       "parameters", inv->parameters,
                       "log-prints", inv->log_prints,
                       "client", inv->client,
                       NULL);
}

static PrefectCtxContext *
flow_attempt_context (PrefectCtxRunEngine  *self,
                      GError              **error)
{
  g_autoptr(PrefectCtxState) running = NULL;
  g_autoptr(PrefectCtxFlowRun) current = NULL;
  PrefectCtxContext *ctx;

  running = recorder_start_attempt (&self->rec, self->n_attempts, error);
  if (running == NULL)
    return NULL;

  /* The context holds the run as stored now: state, run count, times. */
  current = prefect_ctx_client_read_flow_run (self->client, self->rec.flow_run_id, NULL, error);
  if (current == NULL)
    return NULL;

  ctx = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN_CONTEXT,
                      "flow", self->flow,
                      "flow-run", current,
                      "parameters", self->parameters,
                      "log-prints", prefect_ctx_flow_get_log_prints (self->flow),
                      "client", self->client,
                      NULL);
  g_object_set_qdata_full (G_OBJECT (ctx), engine_run_quark (),
                           engine_run_ref (self->engine_run), engine_run_unref);
  return ctx;
}

/**
 * prefect_ctx_run_engine_begin_attempt:
 * @self: a run engine
 *
 * Begins the next attempt of the run: records `Running` (`Retrying` after
 * the first attempt) and makes the run context of the attempt
 * ([method@PrefectCtx.RunEngine.get_context]), entered into the snapshot
 * returned, in which the body is to run. End the attempt with
 * [method@PrefectCtx.RunEngine.end_attempt] before beginning another.
 *
 * Returns: (transfer full) (nullable): the snapshot to run the body in, or
 *   %NULL when the run is over (no attempt follows, or the run store failed:
 *   [method@PrefectCtx.RunEngine.finish] tells)
 */
PrefectCtxSnapshot *
prefect_ctx_run_engine_begin_attempt (PrefectCtxRunEngine *self)
{
  g_autoptr(PrefectCtxContext) ctx = NULL;
  GError *error = NULL;

  g_return_val_if_fail (PREFECT_CTX_IS_RUN_ENGINE (self), NULL);
  g_return_val_if_fail (self->attempt == NULL, NULL);

  prefect_ctx_mutex_lock (&self->write_lock);
  if (self->over)
    {
      prefect_ctx_mutex_unlock (&self->write_lock);
      return NULL;
    }

  ctx = self->inv != NULL ? task_attempt_context (self, &error) : flow_attempt_context (self, &error);
  if (ctx != NULL)
    self->attempt = prefect_ctx_snapshot_enter (self->base, ctx, &error);
  if (self->attempt == NULL)
    engine_fail (self, error);
  prefect_ctx_mutex_unlock (&self->write_lock);
  if (self->attempt == NULL)
    return NULL;

  g_set_object (&self->context, PREFECT_CTX_RUN_CONTEXT (ctx));
  return prefect_ctx_snapshot_ref (self->attempt);
}

/**
 * prefect_ctx_run_engine_end_attempt:
 * @self: a run engine
 * @result: (nullable): what the body returned, or %NULL. A floating
 *   reference is sunk.
 * @body_error: (nullable): the body's error, or %NULL if it succeeded
 *
 * Ends the attempt begun last: its run context is exited and its end
 * recorded. A flow run's attempt first waits for the task runs it
 * submitted. On success the run is `Completed`; on a failure, while
 * retries remain, `AwaitingRetry` and a log line, else `Failed`; on
 * %G_IO_ERROR_CANCELLED, `Cancelled`; on %PREFECT_CTX_ERROR_CRASHED,
 * `Crashed` with the line `Crash detected! <message>`, as Prefect's engine
 * logs it.
 *
 * Returns: the delay in seconds to wait before the next attempt (0 or
 *   more), or a negative number when the run is over
 */
double
prefect_ctx_run_engine_end_attempt (PrefectCtxRunEngine *self,
                                    GVariant            *result,
                                    const GError        *body_error)
{
  g_autoptr(PrefectCtxSnapshot) exited = NULL;
  g_autoptr(GVariant) value = NULL;
  GError *error = NULL;
  double delay;

  g_return_val_if_fail (PREFECT_CTX_IS_RUN_ENGINE (self), -1);
  g_return_val_if_fail (self->attempt != NULL, -1);

  if (result != NULL)
    value = g_variant_ref_sink (result);

  exited = prefect_ctx_snapshot_exit (self->attempt, NULL);
  g_clear_pointer (&self->attempt, prefect_ctx_snapshot_unref);
  self->n_attempts++;

  /* A flow run is not over before the tasks it submitted are. */
  if (self->engine_run != NULL)
    engine_run_wait_idle (self->engine_run);

  prefect_ctx_mutex_lock (&self->write_lock);
  if (self->over)
    {
      /* Recorded Crashed meanwhile, by another thread. */
      delay = -1;
    }
  else switch (recorder_end_attempt (&self->rec, body_error, self->n_attempts - 1, self->retries,
                                     self->retry_delay, &self->final_state, &error))
    {
    case ATTEMPT_RETRY:
      delay = MAX (self->retry_delay, 0);
      break;

    case ATTEMPT_FINISHED:
      self->over = TRUE;
      if (body_error != NULL)
        self->error = g_error_copy (body_error);
      else
        self->result = g_steal_pointer (&value);
      delay = -1;
      break;

    case ATTEMPT_STORE_FAILED:
    default:
      engine_fail (self, error);
      delay = -1;
      break;
    }
  prefect_ctx_mutex_unlock (&self->write_lock);
  return delay;
}

/**
 * prefect_ctx_run_engine_end_attempt_ok:
 * @self: a run engine
 * @result: (nullable): what the body returned, or %NULL. A floating
 *   reference is sunk.
 *
 * Ends the attempt begun last as a success: the same as
 * [method@PrefectCtx.RunEngine.end_attempt] with no error, for bindings
 * that cannot pass a %NULL error.
 *
 * Returns: a negative number: the run is over
 */
double
prefect_ctx_run_engine_end_attempt_ok (PrefectCtxRunEngine *self,
                                       GVariant            *result)
{
  return prefect_ctx_run_engine_end_attempt (self, result, NULL);
}

/**
 * prefect_ctx_run_engine_cancel:
 * @self: a run engine
 * @message: (nullable): the message of the `Cancelled` state
 *
 * Ends the run between attempts (while the delay before a retry is waited)
 * by recording it `Cancelled`. A run that is over already is left as it
 * is. During an attempt, end the attempt with a %G_IO_ERROR_CANCELLED error
 * instead.
 */
void
prefect_ctx_run_engine_cancel (PrefectCtxRunEngine *self,
                               const char          *message)
{
  GError *error = NULL;

  g_return_if_fail (PREFECT_CTX_IS_RUN_ENGINE (self));
  g_return_if_fail (self->attempt == NULL);

  prefect_ctx_mutex_lock (&self->write_lock);
  if (!self->over)
    {
      g_clear_object (&self->final_state);
      self->final_state = recorder_set_state (&self->rec, PREFECT_CTX_STATE_TYPE_CANCELLED, NULL, message, &error);
      if (self->final_state != NULL)
        {
          g_autofree char *line = finished_line (self->final_state);

          recorder_log (&self->rec, PREFECT_CTX_LOG_ERROR, line);
          error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                       message != NULL ? message : "Operation was cancelled");
        }
      engine_fail (self, error);
    }
  prefect_ctx_mutex_unlock (&self->write_lock);
}

/**
 * prefect_ctx_run_engine_finish:
 * @self: a run engine
 * @error: return location for a #GError
 *
 * Ends the run once no attempt follows: a flow run exits its scopes, waits
 * for what it submitted, ends its worker pool, records the final state on
 * a subflow's parent task run, and writes its logs. Calling it again only
 * gives the outcome again.
 *
 * Returns: (transfer full) (nullable): the result of the last attempt, %NULL
 *   if it returned none (or nothing ran), or %NULL with @error set: the
 *   body's last error, or the run store's
 */
GVariant *
prefect_ctx_run_engine_finish (PrefectCtxRunEngine  *self,
                               GError              **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_RUN_ENGINE (self), NULL);
  g_return_val_if_fail (self->attempt == NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!self->finished)
    {
      GError *parent_error = NULL;

      self->finished = TRUE;
      self->over = TRUE;

      while (self->scopes->len > 0)
        {
          g_autoptr(PrefectCtxSnapshot) below = NULL;

          below = prefect_ctx_snapshot_exit (g_ptr_array_index (self->scopes, self->scopes->len - 1), NULL);
          g_ptr_array_remove_index (self->scopes, self->scopes->len - 1);
        }

      if (self->engine_run != NULL)
        engine_run_close (self->engine_run);

      if (self->final_state != NULL &&
          !set_parent_state (self->client, self->parent, prefect_ctx_state_get_state_type (self->final_state),
                             prefect_ctx_state_get_message (self->final_state), &parent_error))
        {
          g_clear_error (&self->error);
          self->error = parent_error;
        }

      /* A flow run writes its logs when it ends, and so does a task run of
       * no flow run. */
      if (self->client != NULL && (self->flow != NULL || self->rec.flow_run_id == NULL))
        _prefect_ctx_log_flush_client (self->client);
    }

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return NULL;
    }
  return self->result != NULL ? g_variant_ref (self->result) : NULL;
}

/**
 * prefect_ctx_run_engine_get_context:
 * @self: a run engine
 *
 * Gets the run context of the current attempt, or of the last one once it
 * ended: a [class@PrefectCtx.FlowRunContext] or a
 * [class@PrefectCtx.TaskRunContext].
 *
 * Returns: (transfer none) (nullable): the run context, or %NULL before the
 *   first attempt
 */
PrefectCtxRunContext *
prefect_ctx_run_engine_get_context (PrefectCtxRunEngine *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_RUN_ENGINE (self), NULL);

  return self->context;
}

/**
 * prefect_ctx_run_engine_get_parameters:
 * @self: a run engine
 *
 * Gets the parameters of the run, as the body is given them.
 *
 * Returns: (transfer none) (nullable): the `a{sv}` parameters, or %NULL
 *   when nothing runs
 */
GVariant *
prefect_ctx_run_engine_get_parameters (PrefectCtxRunEngine *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_RUN_ENGINE (self), NULL);

  return self->parameters;
}

/**
 * prefect_ctx_run_engine_get_run_id:
 * @self: a run engine
 *
 * Gets the id of the flow run or task run.
 *
 * Returns: (transfer none) (nullable): the id, or %NULL when nothing was
 *   recorded
 */
const char *
prefect_ctx_run_engine_get_run_id (PrefectCtxRunEngine *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_RUN_ENGINE (self), NULL);

  return self->rec.task_run_id != NULL ? self->rec.task_run_id : self->rec.flow_run_id;
}

/* ---------------------------------------------------------------------------
 * Synchronous drivers
 */

typedef struct
{
  PrefectCtxRunEngine *engine;
  PrefectCtxRunFunc    body;
  gpointer             user_data;
  GVariant            *result;
  GError              *error;
} SyncCall;

static void
sync_call_run (gpointer data)
{
  SyncCall *call = data;

  call->result = call->body (call->engine->context, call->engine->parameters,
                             call->user_data, &call->error);
  if (call->result != NULL)
    g_variant_take_ref (call->result);
}

/* Runs every attempt of @engine on the calling thread, sleeping through the
 * retry delays. */
static GVariant *
engine_run_sync (PrefectCtxRunEngine  *engine,
                 PrefectCtxRunFunc     body,
                 gpointer              user_data,
                 GError              **error)
{
  PrefectCtxSnapshot *snapshot;

  while ((snapshot = prefect_ctx_run_engine_begin_attempt (engine)) != NULL)
    {
      SyncCall call = { engine, body, user_data, NULL, NULL };
      double delay;

      prefect_ctx_snapshot_run (snapshot, sync_call_run, &call);
      delay = prefect_ctx_run_engine_end_attempt (engine, call.result, call.error);
      g_clear_pointer (&call.result, g_variant_unref);
      g_clear_error (&call.error);
      prefect_ctx_snapshot_unref (snapshot);
      if (delay > 0)
        sleep_seconds (delay);
    }

  return prefect_ctx_run_engine_finish (engine, error);
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
 * message (`Cancelled` for %G_IO_ERROR_CANCELLED, `Crashed` for
 * %PREFECT_CTX_ERROR_CRASHED, neither retried). While
 * [property@PrefectCtx.Task:retries] remain, a failure
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
  g_autoptr(PrefectCtxRunEngine) engine = NULL;

  g_return_val_if_fail (PREFECT_CTX_IS_TASK (task), NULL);
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  engine = engine_new_for_task (task, parameters, NULL, NULL, NULL, TRUE, error);
  if (engine == NULL)
    return NULL;
  return engine_run_sync (engine, body, user_data, error);
}

static void
task_engine_run_submitted (gpointer data)
{
  PrefectCtxRunEngine *engine = data;
  TaskInvocation *inv = engine->inv;
  GError *error = NULL;
  GVariant *result;

  result = engine_run_sync (engine, inv->body, inv->user_data, &error);
  /* The body's data goes before the future says it is done. */
  if (inv->destroy != NULL)
    {
      inv->destroy (inv->user_data);
      inv->destroy = NULL;
    }
  _prefect_ctx_task_future_finish (inv->future, result, error, engine->final_state);
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
 * [method@PrefectCtx.Task.call] or [method@PrefectCtx.Task.call_async]
 * instead.
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
  PrefectCtxRunEngine *engine;
  TaskInvocation *inv;
  EngineRun *run;
  GThreadPool *pool;
  PrefectCtxTaskFuture *future;

  g_return_val_if_fail (PREFECT_CTX_IS_TASK (task), NULL);
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  engine = engine_new_for_task (task, parameters, body, user_data, destroy, FALSE, error);
  if (engine == NULL)
    return NULL;
  inv = engine->inv;

  inv->future = _prefect_ctx_task_future_new (prefect_ctx_task_run_get_id (inv->task_run),
                                              prefect_ctx_task_run_get_state (inv->task_run));
  engine->rec.future = inv->future;
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
          g_object_unref (engine);
          g_object_unref (future);
          return NULL;
        }
    }
  if (pool == NULL)
    {
      pool = default_pool (error);
      if (pool == NULL)
        {
          g_object_unref (engine);
          g_object_unref (future);
          return NULL;
        }
    }

  /* On failure GLib keeps the item and runs it once it can make a thread.
   * The engine was made on this thread and is handed over whole. */
  PREFECT_CTX_TSAN_RELEASE (engine);
  prefect_ctx_thread_pool_push (pool, task_engine_run_submitted, engine, g_object_unref, NULL);

  return future;
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
 * error message as the state message (`Cancelled` for
 * %G_IO_ERROR_CANCELLED, `Crashed` for %PREFECT_CTX_ERROR_CRASHED, neither
 * retried). While [property@PrefectCtx.Flow:retries]
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
 * [class@PrefectCtx.CustomContext] merging it over the current one. These
 * contexts are entered into a [struct@PrefectCtx.Snapshot] that is the
 * state of the thread while the body runs ([method@PrefectCtx.Snapshot.run]).
 * The run is not finished before every task it submitted
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
  g_autoptr(PrefectCtxRunEngine) engine = NULL;

  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (flow), NULL);
  g_return_val_if_fail (options == NULL || PREFECT_CTX_IS_RUN_OPTIONS (options), NULL);
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  engine = prefect_ctx_run_engine_new_for_flow (flow, parameters, options, error);
  if (engine == NULL)
    return NULL;
  return engine_run_sync (engine, body, user_data, error);
}
