/* prefectctx-engine-records.c: how the engine records runs: run names, the
 * states of attempts, the worker pool of a flow run, task runs, the parent
 * task run and the scopes of a flow run (layer 6)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>

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
GVariant *
engine_check_parameters (GVariant    *parameters,
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
GStrv
engine_union_tags (const char * const *a,
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

const char * const *
engine_current_tags (void)
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
PrefectCtxClient *
engine_choose_client (PrefectCtxClient  *preferred,
                      GError           **error)
{
  PrefectCtxClient *client = preferred != NULL ? preferred : current_client ();

  if (client != NULL)
    return g_object_ref (client);
  return prefect_ctx_client_get_default (error);
}

PrefectCtxState *
engine_new_state (PrefectCtxStateType  type,
                  const char          *name,
                  const char          *message)
{
  return prefect_ctx_state_new (type, name, message);
}

/* "Finished in state Completed()" or "Finished in state Failed('message')",
 * as Prefect prints a final state. */
char *
engine_finished_line (PrefectCtxState *state)
{
  const char *message = prefect_ctx_state_get_message (state);

  if (message == NULL)
    return g_strdup_printf ("Finished in state %s()", prefect_ctx_state_get_name (state));
  return g_strdup_printf ("Finished in state %s('%s')", prefect_ctx_state_get_name (state), message);
}

/* @value as Python's repr () of a float writes it (`1.0`, `0.25`), as
 * Prefect's messages show a float option. */
char *
engine_python_float (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (value == floor (value) && fabs (value) < 1e16)
    return g_strdup_printf ("%.0f.0", value);
  for (int precision = 1; precision < 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        return g_strdup (buf);
    }
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.17g", value));
}

void
engine_sleep_seconds (double seconds)
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


static PrefectCtxState *
recorder_propose_state (const RunRecorder    *rec,
                        PrefectCtxStateType   type,
                        const char           *name,
                        const char           *message,
                        gboolean              force,
                        GError              **error)
{
  g_autoptr(PrefectCtxState) state = engine_new_state (type, name, message);
  PrefectCtxState *stored;

  if (rec->task_run_id != NULL)
    stored = prefect_ctx_client_set_task_run_state (rec->client, rec->task_run_id, state, force, NULL, error);
  else
    stored = prefect_ctx_client_set_flow_run_state (rec->client, rec->flow_run_id, state, force, NULL, error);
  if (stored != NULL && rec->future != NULL)
    _prefect_ctx_task_future_set_state (rec->future, stored);
  return stored;
}

PrefectCtxState *
recorder_set_state (const RunRecorder    *rec,
                    PrefectCtxStateType   type,
                    const char           *name,
                    const char           *message,
                    GError              **error)
{
  return recorder_propose_state (rec, type, name, message, FALSE, error);
}

/* Records a state past the orchestration rules: Pending `NotReady` over
 * Pending, as Prefect's engine forces it to change only the name. */
PrefectCtxState *
recorder_force_state (const RunRecorder    *rec,
                      PrefectCtxStateType   type,
                      const char           *name,
                      const char           *message,
                      GError              **error)
{
  return recorder_propose_state (rec, type, name, message, TRUE, error);
}

void
recorder_log (const RunRecorder *rec,
              int                level,
              const char        *message)
{
  _prefect_ctx_log_record (rec->client, rec->task_run_id != NULL ? TASK_RUN_LOGGER : FLOW_RUN_LOGGER,
                           level, message, rec->flow_run_id, rec->task_run_id);
}

/* The state an attempt starts in. */
PrefectCtxState *
recorder_start_attempt (const RunRecorder  *rec,
                        int                 attempt,
                        GError            **error)
{
  return recorder_set_state (rec, PREFECT_CTX_STATE_TYPE_RUNNING,
                             attempt == 0 ? NULL : "Retrying", NULL, error);
}


/* Whether the run was cancelled from outside it (`prefectctx flow-run
 * cancel`, a Prefect server's UI): @stored, what a proposal of @proposed
 * got, is Cancelling or Cancelled while something else was proposed (the
 * store's rules reject such changes). A Cancelling run is then recorded
 * Cancelled, forced and with its message, as Prefect's agent marks one
 * once the process running it is stopped; *stored is replaced by the state
 * as stored, or %NULL with @error set when recording it failed. */
gboolean
recorder_settle_cancelled (const RunRecorder    *rec,
                           PrefectCtxStateType   proposed,
                           PrefectCtxState     **stored,
                           GError              **error)
{
  PrefectCtxStateType type = prefect_ctx_state_get_state_type (*stored);
  g_autoptr(PrefectCtxState) cancelling = NULL;
  g_autofree char *line = NULL;

  if (proposed == PREFECT_CTX_STATE_TYPE_CANCELLED
      || (type != PREFECT_CTX_STATE_TYPE_CANCELLING && type != PREFECT_CTX_STATE_TYPE_CANCELLED))
    return FALSE;

  if (type == PREFECT_CTX_STATE_TYPE_CANCELLING)
    {
      cancelling = g_steal_pointer (stored);
      *stored = recorder_force_state (rec, PREFECT_CTX_STATE_TYPE_CANCELLED, NULL,
                                      prefect_ctx_state_get_message (cancelling), error);
      if (*stored == NULL)
        return TRUE;
    }
  line = engine_finished_line (*stored);
  recorder_log (rec, PREFECT_CTX_LOG_ERROR, line);
  return TRUE;
}

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
 * *final_state gets the final state as stored; with ATTEMPT_CANCELLED, the
 * run was found cancelled from outside, and *final_state gets its
 * Cancelled state. */
AttemptEnd
recorder_end_attempt (const RunRecorder  *rec,
                      const GError       *body_error,
                      gboolean            timed_out,
                      int                 attempt,
                      int                 retries,
                      double              delay,
                      PrefectCtxState   **final_state,
                      GError            **error)
{
  g_autoptr(PrefectCtxState) stored = NULL;
  g_autofree char *line = NULL;
  g_autofree char *failure = NULL;
  PrefectCtxStateType type;

  /* Prefect's exception_to_failed_state () message: "Task run encountered
   * an exception RuntimeError: ..." (the Python binding's error messages
   * start with the exception's type), "Flow run encountered an exception.
   * ..." for a flow run; AwaitingRetry takes the message of the Failed
   * state it replaces. A timeout is Prefect's TimedOut, whose message
   * ends with the TimeoutError it formats. */
  if (timed_out)
    failure = g_strdup_printf ("%s TimeoutError: ", body_error->message);
  else if (body_error != NULL && !is_cancellation (body_error) && !is_crash (body_error))
    failure = g_strdup_printf (rec->task_run_id != NULL ? "Task run encountered an exception %s"
                                                        : "Flow run encountered an exception. %s",
                               body_error->message);

  if (body_error != NULL && attempt < retries
      && (timed_out || (!is_cancellation (body_error) && !is_crash (body_error))))
    {
      stored = recorder_set_state (rec, PREFECT_CTX_STATE_TYPE_SCHEDULED, "AwaitingRetry", failure, error);
      if (stored == NULL)
        return ATTEMPT_STORE_FAILED;
      if (recorder_settle_cancelled (rec, PREFECT_CTX_STATE_TYPE_SCHEDULED, &stored, error))
        {
          if (stored == NULL)
            return ATTEMPT_STORE_FAILED;
          *final_state = g_steal_pointer (&stored);
          return ATTEMPT_CANCELLED;
        }
      line = g_strdup_printf ("%s failed with exception: %s - Retry %d/%d will start %g second(s) from now",
                              rec->task_run_id != NULL ? "Task run" : "Flow run",
                              body_error->message, attempt + 1, retries, delay);
      recorder_log (rec, PREFECT_CTX_LOG_ERROR, line);
      return ATTEMPT_RETRY;
    }

  if (body_error == NULL)
    type = PREFECT_CTX_STATE_TYPE_COMPLETED;
  else if (timed_out)
    type = PREFECT_CTX_STATE_TYPE_FAILED;
  else if (is_cancellation (body_error))
    type = PREFECT_CTX_STATE_TYPE_CANCELLED;
  else if (is_crash (body_error))
    type = PREFECT_CTX_STATE_TYPE_CRASHED;
  else
    type = PREFECT_CTX_STATE_TYPE_FAILED;
  stored = recorder_set_state (rec, type, timed_out ? "TimedOut" : NULL, failure != NULL ? failure : body_error != NULL ? body_error->message : NULL,
                               error);
  if (stored == NULL)
    return ATTEMPT_STORE_FAILED;
  if (recorder_settle_cancelled (rec, type, &stored, error))
    {
      if (stored == NULL)
        return ATTEMPT_STORE_FAILED;
      *final_state = g_steal_pointer (&stored);
      return ATTEMPT_CANCELLED;
    }
  /* Prefect's report_*_run_crashes log the crash instead. */
  if (type == PREFECT_CTX_STATE_TYPE_CRASHED)
    line = g_strdup_printf ("Crash detected! %s", body_error->message);
  else
    line = engine_finished_line (stored);
  recorder_log (rec, body_error == NULL ? PREFECT_CTX_LOG_INFO : PREFECT_CTX_LOG_ERROR, line);
  *final_state = g_steal_pointer (&stored);
  return ATTEMPT_FINISHED;
}

/* ---------------------------------------------------------------------------
 * The engine's part of a flow run: its worker pool and the count of the task
 * runs it submitted that are not finished. Attached to each FlowRunContext
 * the flow run makes, so that submissions find it through the context.
 */


GQuark
engine_run_quark (void)
{
  return g_quark_from_static_string ("prefect-ctx-engine-run");
}

static int
default_max_workers (void)
{
  return MAX (4, (int) g_get_num_processors ());
}

EngineRun *
engine_run_new (int max_workers)
{
  EngineRun *run = g_new0 (EngineRun, 1);

  g_atomic_ref_count_init (&run->ref);
  g_mutex_init (&run->lock);
  g_cond_init (&run->cond);
  run->max_workers = max_workers > 0 ? max_workers : default_max_workers ();
  run->futures = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);

  return run;
}

EngineRun *
engine_run_ref (EngineRun *run)
{
  g_atomic_ref_count_inc (&run->ref);
  return run;
}

void
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
  g_clear_pointer (&run->futures, g_hash_table_unref);
  g_mutex_clear (&run->lock);
  g_cond_clear (&run->cond);
  g_free (run);
}

EngineRun *
engine_run_for_context (PrefectCtxFlowRunContext *flow_ctx)
{
  return flow_ctx != NULL ? g_object_get_qdata (G_OBJECT (flow_ctx), engine_run_quark ()) : NULL;
}

void
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
void
engine_run_close (EngineRun *run)
{
  GThreadPool *pool;

  engine_run_wait_idle (run);
  prefect_ctx_mutex_lock (&run->lock);
  pool = g_steal_pointer (&run->pool);
  run->closed = TRUE;
  g_hash_table_remove_all (run->futures);
  prefect_ctx_mutex_unlock (&run->lock);

  if (pool != NULL)
    g_thread_pool_free (pool, FALSE, TRUE);
}

/* The future of the task run @id submitted in @run, or NULL. */
static PrefectCtxTaskFuture *
engine_run_lookup_future (EngineRun  *run,
                          const char *id)
{
  PrefectCtxTaskFuture *future;

  prefect_ctx_mutex_lock (&run->lock);
  future = g_hash_table_lookup (run->futures, id);
  if (future != NULL)
    g_object_ref (future);
  prefect_ctx_mutex_unlock (&run->lock);

  return future;
}

/* Whether a task run may start after the upstream task run @id ended in
 * @state: Prefect's resolve_inputs () lets it when the upstream is
 * Completed, or Failed under allow_failure. */
static gboolean
upstream_is_ready (PrefectCtxState    *state,
                   const char         *id,
                   const char * const *allow_failure)
{
  PrefectCtxStateType type = state != NULL ? prefect_ctx_state_get_state_type (state) : PREFECT_CTX_STATE_TYPE_PENDING;

  return type == PREFECT_CTX_STATE_TYPE_COMPLETED ||
         (type == PREFECT_CTX_STATE_TYPE_FAILED && allow_failure != NULL &&
          g_strv_contains (allow_failure, id));
}

/* Waits for each task run that @task_inputs (an a{sv} of arrays of
 * references) names and that was submitted in @run, in order. Returns
 * Prefect's NotReady message for the first that may not precede the run
 * (upstream_is_ready), or NULL when all may. References to task runs that
 * were not submitted in @run (a result of a task called, which completed)
 * are not waited for. */
char *
engine_run_wait_upstreams (EngineRun          *run,
                           GVariant           *task_inputs,
                           const char * const *allow_failure)
{
  GVariantIter params;
  GVariant *refs;

  if (run == NULL || task_inputs == NULL)
    return NULL;

  g_variant_iter_init (&params, task_inputs);
  while (g_variant_iter_next (&params, "{&sv}", NULL, &refs))
    {
      g_autoptr(GVariant) owned_refs = refs;
      GVariantIter iter;
      GVariant *ref;

      if (!g_variant_is_of_type (refs, G_VARIANT_TYPE ("av")))
        continue;
      g_variant_iter_init (&iter, refs);
      while (g_variant_iter_next (&iter, "v", &ref))
        {
          g_autoptr(GVariant) owned_ref = ref;
          g_autoptr(PrefectCtxTaskFuture) future = NULL;
          g_autoptr(PrefectCtxState) state = NULL;
          const char *input_type = NULL;
          const char *id = NULL;

          if (!g_variant_is_of_type (ref, G_VARIANT_TYPE_VARDICT) ||
              !g_variant_lookup (ref, "input_type", "&s", &input_type) ||
              g_strcmp0 (input_type, "task_run") != 0 ||
              !g_variant_lookup (ref, "id", "&s", &id))
            continue;
          future = engine_run_lookup_future (run, id);
          if (future == NULL)
            continue;
          prefect_ctx_task_future_wait (future);
          state = prefect_ctx_task_future_get_state (future);
          if (!upstream_is_ready (state, id, allow_failure))
            return g_strdup_printf ("Upstream task run '%s' did not reach a 'COMPLETED' state.", id);
        }
    }
  return NULL;
}

/* The pool of submissions made outside any flow run. */
GThreadPool *
engine_default_pool (GError **error)
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


void
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

/* Prefect's empirical_policy of a run: its retries and retry delay
 * (a floating a{sv}). */
GVariant *
engine_empirical_policy (int    retries,
                         double retry_delay)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_variant_dict_insert (&dict, "retries", "x", (gint64) retries);
  g_variant_dict_insert (&dict, "retry_delay", "d", retry_delay);
  return g_variant_dict_end (&dict);
}

/* Prefect's task_inputs of a call with @parameters (a{sv}): one key per
 * parameter, each an empty array of upstream references (a floating
 * a{sv}). Prefect links a value that is another task's result to that
 * task run, by the value's identity; a GVariant has none that lasts (GLib
 * serialises a container it builds, copying the values inside), so the
 * engine makes no such link: a binding that can gives them as the task's
 * task-inputs. */
GVariant *
engine_task_inputs (GVariant *parameters)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  GVariantIter iter;
  const char *key;

  if (parameters != NULL)
    {
      g_variant_iter_init (&iter, parameters);
      while (g_variant_iter_loop (&iter, "{&sv}", &key, NULL))
        g_variant_dict_insert_value (&dict, key, g_variant_new_array (G_VARIANT_TYPE_VARIANT, NULL, 0));
    }
  return g_variant_dict_end (&dict);
}

/* Creates a Pending task run for @name / @task_key in the current flow run
 * (with the next dynamic key of @task_key), or, outside any flow run, a task
 * run of no flow run whose dynamic key is a new UUID, as Prefect 3 does.
 * It is named @run_name, or by default `<name>-<dynamic key>`, with the
 * floating @task_inputs (or none).
 * With @start_running, sets it Running next in the same call (one write;
 * the Running state is made after the Pending one, so its timestamp is not
 * before it). */
PrefectCtxTaskRun *
engine_create_task_run (PrefectCtxClient    *client,
                        const char          *name,
                        const char          *run_name_or_null,
                        const char          *task_key,
                        GVariant            *task_inputs,
                        const char * const  *tags,
                        int                  retries,
                        double               retry_delay,
                        gboolean             start_running,
                        GError             **error)
{
  PrefectCtxFlowRunContext *flow_ctx = prefect_ctx_flow_run_context_get_current ();
  PrefectCtxFlowRun *flow_run = flow_ctx != NULL ? prefect_ctx_flow_run_context_get_flow_run (flow_ctx) : NULL;
  g_autofree char *dynamic_key = NULL;
  g_autofree char *run_name = NULL;
  g_autoptr(PrefectCtxState) pending = engine_new_state (PREFECT_CTX_STATE_TYPE_PENDING, NULL, NULL);
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
  if (run_name_or_null != NULL)
    {
      g_free (run_name);
      run_name = g_strdup (run_name_or_null);
    }

  draft = g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                        "name", run_name,
                        "flow-run-id", flow_run != NULL ? prefect_ctx_flow_run_get_id (flow_run) : NULL,
                        "task-key", task_key,
                        "dynamic-key", dynamic_key,
                        "tags", tags,
                        "state", pending,
                        "empirical-policy", engine_empirical_policy (retries, retry_delay),
                        "task-inputs", task_inputs,
                        NULL);

  if (start_running)
    {
      g_autoptr(PrefectCtxState) running = engine_new_state (PREFECT_CTX_STATE_TYPE_RUNNING, NULL, NULL);

      return prefect_ctx_client_create_task_run_and_set_state (client, draft, running, NULL, error);
    }
  return prefect_ctx_client_create_task_run (client, draft, NULL, error);
}

/* The task run @created as the context shows it during one attempt. */
PrefectCtxTaskRun *
engine_task_run_for_attempt (PrefectCtxTaskRun *created,
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
TaskInvocation *
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

  params = engine_check_parameters (parameters, "a task", error);
  if (params == NULL)
    goto fail;

  client = engine_choose_client (NULL, error);
  if (client == NULL)
    goto fail;

  tags = engine_union_tags (prefect_ctx_task_get_tags (task), engine_current_tags (), NULL);
  task_run = engine_create_task_run (client, prefect_ctx_task_get_name (task),
                                     prefect_ctx_task_get_task_run_name (task),
                                     prefect_ctx_task_get_task_key (task),
                                     prefect_ctx_task_get_task_inputs (task) != NULL
                                       ? prefect_ctx_task_get_task_inputs (task) : engine_task_inputs (params),
                                     (const char * const *) tags, prefect_ctx_task_get_retries (task),
                                     prefect_ctx_task_get_retry_delay_seconds (task), start_running, error);
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

/* Whether every tag of @tags is a current tag already. */
gboolean
engine_tags_are_current (const char * const *tags)
{
  PrefectCtxTagsContext *current = prefect_ctx_tags_context_get_current ();

  for (guint i = 0; tags[i] != NULL; i++)
    if (current == NULL || !prefect_ctx_tags_context_has_tag (current, tags[i]))
      return FALSE;
  return TRUE;
}

