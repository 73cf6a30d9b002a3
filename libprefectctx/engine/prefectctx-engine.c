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
  double                timeout;       /* of each attempt, or 0 */
  gint64                attempt_start; /* monotonic, of the current attempt */
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

/* The error of a run cancelled from outside it, as its Cancelled state
 * (@cancelled) says. */
static GError *
engine_cancelled_error (PrefectCtxState *cancelled)
{
  const char *message = prefect_ctx_state_get_message (cancelled);

  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                              message != NULL && *message != '\0' ? message : "The run was cancelled while it ran");
}

/* Ends a task run before any attempt because an upstream task run did not
 * let it start (@message says which): it stays Pending, named NotReady, as
 * Prefect's engine leaves it, with no log line; finish () reports
 * Prefect's UnfinishedRun. */
static void
engine_stop_not_ready (PrefectCtxRunEngine *self,
                       const char          *message)
{
  GError *error = NULL;

  prefect_ctx_mutex_lock (&self->write_lock);
  if (!self->over)
    {
      g_clear_object (&self->final_state);
      self->final_state = recorder_force_state (&self->rec, PREFECT_CTX_STATE_TYPE_PENDING, "NotReady",
                                                message, &error);
      if (self->final_state != NULL)
        error = g_error_new_literal (PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_UNFINISHED_RUN,
                                     "Run is in PENDING state, its result is not available.");
      engine_fail (self, error);
    }
  prefect_ctx_mutex_unlock (&self->write_lock);
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

  if (!engine_tags_are_current (run_tags))
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

  self->parameters = engine_check_parameters (parameters, "a flow", error);
  if (self->parameters == NULL)
    return NULL;

  self->client = engine_choose_client (options != NULL ? prefect_ctx_run_options_get_client (options) : NULL, error);
  if (self->client == NULL)
    return NULL;
  self->retries = prefect_ctx_flow_get_retries (flow);
  self->retry_delay = prefect_ctx_flow_get_retry_delay_seconds (flow);
  self->timeout = prefect_ctx_flow_get_timeout_seconds (flow);

  run_tags = engine_union_tags (prefect_ctx_flow_get_tags (flow), engine_current_tags (),
                                options != NULL ? prefect_ctx_run_options_get_tags (options) : NULL);

  stored_flow = prefect_ctx_client_create_flow (self->client, flow, NULL, error);
  if (stored_flow == NULL)
    return NULL;

  /* A flow called inside a flow run or a task run is a subflow: the parent
   * records a task run for it, in the current flow run, as Prefect's
   * engine makes it: a task of the flow's name with no tags and no
   * retries, its run named as the server names one it is given no name
   * for (two random words), the subflow's parameters as its inputs. */
  if (prefect_ctx_flow_run_context_get_current () != NULL ||
      prefect_ctx_task_run_context_get_current () != NULL)
    {
      static const char * const no_tags[] = { NULL };
      g_autofree char *parent_name = prefect_ctx_generate_run_name ();

      self->parent = engine_create_task_run (self->client, prefect_ctx_flow_get_name (flow), parent_name,
                                             prefect_ctx_flow_get_name (flow), engine_task_inputs (self->parameters),
                                             no_tags, 0, 0.0, FALSE, error);
      if (self->parent == NULL)
        return NULL;
    }

  if (options != NULL && prefect_ctx_run_options_get_run_name (options) != NULL)
    run_name = g_strdup (prefect_ctx_run_options_get_run_name (options));
  else
    run_name = prefect_ctx_generate_run_name ();

  pending = engine_new_state (PREFECT_CTX_STATE_TYPE_PENDING, NULL, NULL);
  draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN,
                        "flow-id", prefect_ctx_flow_get_id (stored_flow),
                        "flow-version", prefect_ctx_flow_get_version (flow),
                        "name", run_name,
                        "parameters", self->parameters,
                        "tags", run_tags,
                        "parent-task-run-id", self->parent != NULL ? prefect_ctx_task_run_get_id (self->parent) : NULL,
                        "state", pending,
                        "empirical-policy", engine_empirical_policy (self->retries, self->retry_delay),
                        NULL);
  self->flow_run = prefect_ctx_client_create_flow_run (self->client, draft, NULL, error);
  if (self->flow_run == NULL)
    return NULL;
  self->rec.client = self->client;
  self->rec.flow_run_id = prefect_ctx_flow_run_get_id (self->flow_run);

  line = g_strdup_printf ("Beginning flow run '%s' for flow '%s'", run_name, prefect_ctx_flow_get_name (flow));
  recorder_log (&self->rec, PREFECT_CTX_LOG_INFO, line);

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
  g_autofree char *not_ready = NULL;

  /* A call runs at once: it waits for its upstream task runs first, and is
   * created Running only if they let it start. A submission waits on its
   * worker (engine_run_submitted). */
  if (start_running)
    {
      not_ready = engine_run_wait_upstreams (engine_run_for_context (prefect_ctx_flow_run_context_get_current ()),
                                             prefect_ctx_task_get_task_inputs (task),
                                             prefect_ctx_task_get_allow_failure (task));
      start_running = not_ready == NULL;
    }

  self->inv = task_invocation_prepare (task, parameters, body, user_data, destroy, start_running, error);
  if (self->inv == NULL)
    return NULL;

  self->client = g_object_ref (self->inv->client);
  self->parameters = g_variant_ref (self->inv->parameters);
  self->retries = prefect_ctx_task_get_retries (task);
  self->retry_delay = prefect_ctx_task_get_retry_delay_seconds (task);
  self->timeout = prefect_ctx_task_get_timeout_seconds (task);
  self->rec.client = self->client;
  self->rec.flow_run_id = prefect_ctx_task_run_get_flow_run_id (self->inv->task_run);
  self->rec.task_run_id = prefect_ctx_task_run_get_id (self->inv->task_run);
  /* Not counting the Running state recorded with the task run, if any. */
  self->run_count = prefect_ctx_task_run_get_run_count (self->inv->task_run) - (self->inv->running != NULL ? 1 : 0);

  live_engines_add (self);
  if (not_ready != NULL)
    engine_stop_not_ready (self, not_ready);
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

  shown = engine_task_run_for_attempt (inv->task_run, running, self->run_count);
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
  /* Cancelled before this attempt (during a retry's delay): no body runs. */
  if (recorder_settle_cancelled (&self->rec, PREFECT_CTX_STATE_TYPE_RUNNING, &running, error))
    {
      if (running != NULL)
        {
          g_set_object (&self->final_state, running);
          g_propagate_error (error, engine_cancelled_error (running));
        }
      return NULL;
    }

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
  self->attempt_start = g_get_monotonic_time ();
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
 * An attempt that ends once the run's timeout
 * ([method@PrefectCtx.RunEngine.get_timeout_seconds]) has passed since it
 * began is a failure named `TimedOut` (`Task run exceeded timeout of 1.0
 * seconds`), whatever @result and @body_error say, and the run's error is
 * %PREFECT_CTX_ERROR_TIMED_OUT. A driver that can interrupt its body ends
 * the attempt at the deadline; one that cannot still records the overrun.
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
  g_autoptr(GError) flush_error = NULL;
  g_autoptr(GError) timed_out = NULL;
  GError *error = NULL;
  int retries = self->retries;
  double delay;

  g_return_val_if_fail (PREFECT_CTX_IS_RUN_ENGINE (self), -1);
  g_return_val_if_fail (self->attempt != NULL, -1);

  /* The body's time, before the flow run waits for what it submitted. */
  if (self->timeout > 0
      && g_get_monotonic_time () - self->attempt_start >= (gint64) (self->timeout * G_USEC_PER_SEC))
    {
      g_autofree char *seconds = engine_python_float (self->timeout);

      timed_out = g_error_new (PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_TIMED_OUT,
                               "%s exceeded timeout of %s seconds",
                               self->rec.task_run_id != NULL ? "Task run" : "Flow run", seconds);
      body_error = timed_out;
      g_clear_pointer (&value, g_variant_unref);
    }

  if (result != NULL)
    value = g_variant_ref_sink (result);

  exited = prefect_ctx_snapshot_exit (self->attempt, NULL);
  g_clear_pointer (&self->attempt, prefect_ctx_snapshot_unref);
  self->n_attempts++;

  /* A flow run is not over before the tasks it submitted are. */
  if (self->engine_run != NULL)
    engine_run_wait_idle (self->engine_run);

  /* Nor stored finished before its task runs are: the writes the client
   * queued go first, and one that failed fails the flow run (for good: a
   * retry would not bring the record back). */
  if (self->rec.task_run_id == NULL
      && !prefect_ctx_client_flush (self->rec.client, NULL, &flush_error))
    {
      if (body_error == NULL)
        {
          body_error = flush_error;
          retries = self->n_attempts - 1;
        }
      else
        g_message ("%s", flush_error->message);
    }

  prefect_ctx_mutex_lock (&self->write_lock);
  if (self->over)
    {
      /* Recorded Crashed meanwhile, by another thread. */
      delay = -1;
    }
  else switch (recorder_end_attempt (&self->rec, body_error, body_error != NULL && body_error == timed_out,
                                     self->n_attempts - 1, retries, self->retry_delay,
                                     &self->final_state, &error))
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

    case ATTEMPT_CANCELLED:
      /* Whatever the body did, the run is over, and its caller is told. */
      engine_fail (self, engine_cancelled_error (self->final_state));
      delay = -1;
      break;

    case ATTEMPT_STORE_FAILED:
    default:
      /* The first failure is the one to report: a body that failed (say,
       * on a request to a server that went away) and whose end could not
       * be recorded either. */
      if (body_error != NULL)
        {
          GError *first = g_error_new (body_error->domain, body_error->code,
                                       "%s (recording the run's final state failed too: %s)",
                                       body_error->message, error->message);

          g_error_free (error);
          error = first;
        }
      engine_fail (self, error);
      delay = -1;
      break;
    }

  /* A task run of no flow run has no flow run to flush for it. */
  if (delay < 0 && self->rec.task_run_id != NULL && self->rec.flow_run_id == NULL
      && self->error == NULL && !prefect_ctx_client_flush (self->rec.client, NULL, &flush_error))
    {
      g_clear_pointer (&self->result, g_variant_unref);
      self->error = g_steal_pointer (&flush_error);
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
          g_autofree char *line = engine_finished_line (self->final_state);

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
 * prefect_ctx_run_engine_get_timeout_seconds:
 * @self: a run engine
 *
 * Gets the longest an attempt of the run may take: the
 * [property@PrefectCtx.Flow:timeout-seconds] or
 * [property@PrefectCtx.Task:timeout-seconds] of what runs. A binding that
 * drives attempts itself interrupts its body at this deadline.
 *
 * Returns: the timeout in seconds, or 0 for none
 */
double
prefect_ctx_run_engine_get_timeout_seconds (PrefectCtxRunEngine *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_RUN_ENGINE (self), 0);

  return self->timeout;
}

/**
 * prefect_ctx_run_engine_dup_final_state:
 * @self: a run engine
 *
 * Gets the state the run ended in, as recorded (`Completed`, `Failed`,
 * `Cancelled`, `Crashed`), once it is over: what Prefect's
 * `return_state=True` gives.
 *
 * Returns: (transfer full) (nullable): the final state, or %NULL while the
 *   run goes on, or when it was not recorded (the run store failed, or the
 *   run did not run)
 */
PrefectCtxState *
prefect_ctx_run_engine_dup_final_state (PrefectCtxRunEngine *self)
{
  PrefectCtxState *state;

  g_return_val_if_fail (PREFECT_CTX_IS_RUN_ENGINE (self), NULL);

  prefect_ctx_mutex_lock (&self->write_lock);
  state = self->over && self->final_state != NULL ? g_object_ref (self->final_state) : NULL;
  prefect_ctx_mutex_unlock (&self->write_lock);
  return state;
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
        engine_sleep_seconds (delay);
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
 * Inside a flow run, the call first waits for the task runs submitted in
 * that flow run which [property@PrefectCtx.Task:task-inputs] names (the
 * futures given as arguments, and Prefect's `wait_for`). When one did not
 * end `Completed` (nor `Failed` and named in
 * [property@PrefectCtx.Task:allow-failure]), the body does not run, as
 * Prefect's engine has it: the task run is created `Pending` and stays so,
 * named `NotReady`, with the message `Upstream task run 'ID' did not reach
 * a 'COMPLETED' state.`, and the call fails with
 * %PREFECT_CTX_ERROR_UNFINISHED_RUN (`Run is in PENDING state, its result
 * is not available.`).
 *
 * The run is recorded through the current run context's client (else
 * [func@PrefectCtx.Client.get_default]): created `Pending`, then `Running`,
 * then `Completed`, or `Failed` with Prefect's state message `Task run
 * encountered an exception <the body's error message>` (`Cancelled` for %G_IO_ERROR_CANCELLED, `Crashed` for
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
  g_autofree char *not_ready = NULL;
  GError *error = NULL;
  GVariant *result;

  not_ready = engine_run_wait_upstreams (inv->engine_run, prefect_ctx_task_get_task_inputs (inv->task),
                                         prefect_ctx_task_get_allow_failure (inv->task));
  if (not_ready != NULL)
    engine_stop_not_ready (engine, not_ready);
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
 * [method@PrefectCtx.Task.call], and so is the wait for upstream task
 * runs, which the worker does (a future given as an input is submitted
 * before, so it is ahead in the pool's queue).
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
              g_hash_table_insert (run->futures, (gpointer) prefect_ctx_task_future_get_task_run_id (future),
                                   g_object_ref (future));
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
      pool = engine_default_pool (error);
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
 * error message after Prefect's `Flow run encountered an exception. ` as
 * the state message (`Cancelled` for
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
 *   last error, or the run store's (when the body failed and its final
 *   state could not be recorded either, the body's error, the first,
 *   with the store's after it in the message)
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
