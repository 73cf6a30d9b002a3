/* prefectctx-flow-run-view.c: a view of a flow run (Prefect 1's FlowRunView)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-flow-run-view.h"
#include "core/prefectctx-blocking-private.h"
#include "views/prefectctx-flow-run-view-private.h"

#include "prefectctx-error.h"
#include "prefectctx-tsan-private.h"

/**
 * PrefectCtxFlowRunView:
 *
 * A view of a flow run as a [iface@PrefectCtx.Client] held it when the view
 * was made: Prefect 1's `FlowRunView`.
 *
 * A view is made from the ID of a flow run with
 * [ctor@PrefectCtx.FlowRunView.new_from_id] (or its asynchronous form). Its
 * properties never change: [property@PrefectCtx.FlowRunView:flow-run-id],
 * [property@PrefectCtx.FlowRunView:name],
 * [property@PrefectCtx.FlowRunView:flow-id],
 * [property@PrefectCtx.FlowRunView:tags],
 * [property@PrefectCtx.FlowRunView:parameters],
 * [property@PrefectCtx.FlowRunView:state] (a run without a state shows a
 * `Pending` state with the message `A state for this flow run is not yet
 * available.`), [property@PrefectCtx.FlowRunView:states] (the state history,
 * sorted by timestamp) and [property@PrefectCtx.FlowRunView:updated-at]. For
 * newer data, [method@PrefectCtx.FlowRunView.get_latest] makes a new view;
 * the original does not change.
 *
 * Task runs are loaded lazily, each time they are asked for, with
 * [method@PrefectCtx.FlowRunView.get_task_run] and
 * [method@PrefectCtx.FlowRunView.get_all_task_runs]. The view caches the
 * task runs it loaded that were *finished* (their state is `COMPLETED`,
 * `FAILED`, `CANCELLED` or `CRASHED`): they cannot change any more, so later
 * lookups do not read the store again, while unfinished task runs are read
 * anew every time. [method@PrefectCtx.FlowRunView.get_latest] hands the
 * cache over to the new view.
 *
 * The cache, the cached list of task run IDs
 * ([method@PrefectCtx.FlowRunView.get_task_run_ids]) and the cached flow
 * metadata ([method@PrefectCtx.FlowRunView.get_flow_metadata]) are guarded
 * by a lock: a view may be used from several threads at once.
 *
 * Every method that reads the store has an `_async`/`_finish` form, which
 * runs the blocking method in a worker thread with the caller's contexts
 * and never blocks the thread-default main context of the caller.
 */


G_DEFINE_FINAL_TYPE (PrefectCtxFlowRunView, prefect_ctx_flow_run_view, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_FLOW_RUN,
  PROP_STATES,
  PROP_FLOW_RUN_ID,
  PROP_NAME,
  PROP_FLOW_ID,
  PROP_TAGS,
  PROP_PARAMETERS,
  PROP_STATE,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define NO_STATE_MESSAGE "A state for this flow run is not yet available."

/* The cache */

static char *
slug_key (const char *slug,
          int         map_index)
{
  return g_strdup_printf ("%d:%s", map_index, slug);
}

/* Adds @view to the cache when its task run is finished. A task run already
 * cached stays as it is: finished task runs do not change. */
static void
cache_add_locked (PrefectCtxFlowRunView *self,
                  PrefectCtxTaskRunView *view)
{
  const char *id = prefect_ctx_task_run_view_get_task_run_id (view);
  const char *slug = prefect_ctx_task_run_view_get_task_slug (view);

  if (!prefect_ctx_task_run_view_is_finished (view) || id == NULL)
    return;
  if (g_hash_table_contains (self->cache_by_id, id))
    return;

  g_hash_table_insert (self->cache_by_id, g_strdup (id), g_object_ref (view));
  g_ptr_array_add (self->cache_order, g_object_ref (view));
  if (slug != NULL)
    g_hash_table_insert (self->cache_by_slug,
                         slug_key (slug, prefect_ctx_task_run_view_get_map_index (view)),
                         g_object_ref (view));
}

void
frv_cache_add (PrefectCtxFlowRunView *self,
               PrefectCtxTaskRunView *view)
{
  prefect_ctx_mutex_lock (&self->lock);
  cache_add_locked (self, view);
  prefect_ctx_mutex_unlock (&self->lock);
}

PrefectCtxTaskRunView *
frv_cache_lookup_id (PrefectCtxFlowRunView *self,
                     const char            *id)
{
  PrefectCtxTaskRunView *view;

  prefect_ctx_mutex_lock (&self->lock);
  view = g_hash_table_lookup (self->cache_by_id, id);
  if (view != NULL)
    g_object_ref (view);
  prefect_ctx_mutex_unlock (&self->lock);

  return view;
}

PrefectCtxTaskRunView *
frv_cache_lookup_slug (PrefectCtxFlowRunView *self,
                       const char            *slug,
                       int                    map_index)
{
  g_autofree char *key = slug_key (slug, map_index);
  PrefectCtxTaskRunView *view;

  prefect_ctx_mutex_lock (&self->lock);
  view = g_hash_table_lookup (self->cache_by_slug, key);
  if (view != NULL)
    g_object_ref (view);
  prefect_ctx_mutex_unlock (&self->lock);

  return view;
}

/* A view of @task_run: the cached one when it is cached, else a new one,
 * cached when it is finished. */
PrefectCtxTaskRunView *
view_for_task_run (PrefectCtxFlowRunView *self,
                   PrefectCtxTaskRun     *task_run)
{
  PrefectCtxTaskRunView *view = NULL;
  const char *id = prefect_ctx_task_run_get_id (task_run);

  if (id != NULL)
    view = frv_cache_lookup_id (self, id);
  if (view == NULL)
    {
      view = prefect_ctx_task_run_view_new_from_task_run (task_run);
      frv_cache_add (self, view);
    }

  return view;
}

/* GObject */

static int
compare_states (gconstpointer a,
                gconstpointer b)
{
  GDateTime *ta = prefect_ctx_state_get_timestamp (*(PrefectCtxState **) a);
  GDateTime *tb = prefect_ctx_state_get_timestamp (*(PrefectCtxState **) b);

  if (ta == NULL || tb == NULL)
    return (ta != NULL) - (tb != NULL);

  return g_date_time_compare (ta, tb);
}

static void
prefect_ctx_flow_run_view_set_states (PrefectCtxFlowRunView *self,
                                      GListModel            *states)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = states != NULL ? g_list_model_get_n_items (states) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (states, i);

      if (!PREFECT_CTX_IS_STATE (item))
        {
          g_critical ("PrefectCtxFlowRunView:states holds a %s, not a PrefectCtxState",
                      G_OBJECT_TYPE_NAME (item));
          continue;
        }
      g_ptr_array_add (sorted, g_steal_pointer (&item));
    }

  /* Stable: states with the same timestamp keep the store's order. */
  g_ptr_array_sort (sorted, compare_states);
  g_list_store_splice (self->states, 0, 0, sorted->pdata, sorted->len);
}

static void
prefect_ctx_flow_run_view_constructed (GObject *object)
{
  PrefectCtxFlowRunView *self = PREFECT_CTX_FLOW_RUN_VIEW (object);
  PrefectCtxState *state;
  GDateTime *updated;

  G_OBJECT_CLASS (prefect_ctx_flow_run_view_parent_class)->constructed (object);

  if (self->flow_run == NULL)
    self->flow_run = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, NULL);

  state = prefect_ctx_flow_run_get_state (self->flow_run);
  if (state != NULL)
    self->state = g_object_ref (state);
  else
    self->state = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_PENDING, NULL, NO_STATE_MESSAGE);

  updated = prefect_ctx_flow_run_get_updated (self->flow_run);
  if (updated == NULL)
    updated = prefect_ctx_flow_run_get_created (self->flow_run);
  self->updated_at = updated != NULL ? g_date_time_ref (updated) : g_date_time_new_now_utc ();
}

static void
prefect_ctx_flow_run_view_finalize (GObject *object)
{
  PrefectCtxFlowRunView *self = PREFECT_CTX_FLOW_RUN_VIEW (object);

  g_clear_object (&self->client);
  g_clear_object (&self->flow_run);
  g_clear_object (&self->states);
  g_clear_object (&self->state);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_clear_pointer (&self->cache_by_id, g_hash_table_unref);
  g_clear_pointer (&self->cache_by_slug, g_hash_table_unref);
  g_clear_pointer (&self->cache_order, g_ptr_array_unref);
  g_clear_pointer (&self->task_run_ids, g_strfreev);
  g_clear_object (&self->flow_view);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (prefect_ctx_flow_run_view_parent_class)->finalize (object);
}

static void
prefect_ctx_flow_run_view_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  PrefectCtxFlowRunView *self = PREFECT_CTX_FLOW_RUN_VIEW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_FLOW_RUN:
      g_value_set_object (value, self->flow_run);
      break;

    case PROP_STATES:
      g_value_set_object (value, self->states);
      break;

    case PROP_FLOW_RUN_ID:
      g_value_set_string (value, prefect_ctx_flow_run_get_id (self->flow_run));
      break;

    case PROP_NAME:
      g_value_set_string (value, prefect_ctx_flow_run_get_name (self->flow_run));
      break;

    case PROP_FLOW_ID:
      g_value_set_string (value, prefect_ctx_flow_run_get_flow_id (self->flow_run));
      break;

    case PROP_TAGS:
      g_value_set_boxed (value, prefect_ctx_flow_run_get_tags (self->flow_run));
      break;

    case PROP_PARAMETERS:
      g_value_set_variant (value, prefect_ctx_flow_run_get_parameters (self->flow_run));
      break;

    case PROP_STATE:
      g_value_set_object (value, self->state);
      break;

    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_flow_run_view_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  PrefectCtxFlowRunView *self = PREFECT_CTX_FLOW_RUN_VIEW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    case PROP_FLOW_RUN:
      self->flow_run = g_value_dup_object (value);
      break;

    case PROP_STATES:
      prefect_ctx_flow_run_view_set_states (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_flow_run_view_class_init (PrefectCtxFlowRunViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = prefect_ctx_flow_run_view_constructed;
  object_class->finalize = prefect_ctx_flow_run_view_finalize;
  object_class->get_property = prefect_ctx_flow_run_view_get_property;
  object_class->set_property = prefect_ctx_flow_run_view_set_property;

  /**
   * PrefectCtxFlowRunView:client:
   *
   * The store the view reads task runs, logs and flows from.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         PREFECT_CTX_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunView:flow-run:
   *
   * The flow run the view shows, as the store returned it. Never %NULL once
   * constructed: a view made without one shows an empty flow run.
   */
  properties[PROP_FLOW_RUN] =
    g_param_spec_object ("flow-run", NULL, NULL,
                         PREFECT_CTX_TYPE_FLOW_RUN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunView:states:
   *
   * The states the flow run has been in, a [iface@Gio.ListModel] of
   * [class@PrefectCtx.State] sorted by timestamp (states with the same
   * timestamp in the order the store gave them). Given at construction in
   * any order; never %NULL once constructed.
   */
  properties[PROP_STATES] =
    g_param_spec_object ("states", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunView:flow-run-id:
   *
   * The ID of the flow run.
   */
  properties[PROP_FLOW_RUN_ID] =
    g_param_spec_string ("flow-run-id", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunView:name:
   *
   * The name of the flow run.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunView:flow-id:
   *
   * The ID of the flow the run is of.
   */
  properties[PROP_FLOW_ID] =
    g_param_spec_string ("flow-id", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunView:tags:
   *
   * The tags of the flow run (Prefect 1's labels), sorted, without
   * duplicates; never %NULL.
   */
  properties[PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunView:parameters:
   *
   * The parameters of the flow run, an `a{sv}` dictionary.
   */
  properties[PROP_PARAMETERS] =
    g_param_spec_variant ("parameters", NULL, NULL,
                          G_VARIANT_TYPE_VARDICT, NULL,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunView:state:
   *
   * The state of the flow run when the view was made. Never %NULL: a flow
   * run without a state shows a `Pending` state with the message `A state
   * for this flow run is not yet available.`
   */
  properties[PROP_STATE] =
    g_param_spec_object ("state", NULL, NULL,
                         PREFECT_CTX_TYPE_STATE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunView:updated-at:
   *
   * When the store last updated the flow run before the view was made, in
   * UTC: its `updated` time (its `created` time, or the time the view was
   * made, when the store gives none). The default end of
   * [method@PrefectCtx.FlowRunView.get_logs].
   */
  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_flow_run_view_init (PrefectCtxFlowRunView *self)
{
  self->states = g_list_store_new (PREFECT_CTX_TYPE_STATE);
  g_mutex_init (&self->lock);
  self->cache_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->cache_by_slug = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->cache_order = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Making views */

/* Makes the view of @flow_run; @task_runs, when given, are the task runs
 * loaded with `load_static_tasks`: the unmapped ones that are finished are
 * cached, after those of @previous. */
static PrefectCtxFlowRunView *
view_build (PrefectCtxClient      *client,
            PrefectCtxFlowRun     *flow_run,
            GListModel            *states,
            GListModel            *task_runs,
            PrefectCtxFlowRunView *previous)
{
  PrefectCtxFlowRunView *self;

  self = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN_VIEW,
                       "client", client,
                       "flow-run", flow_run,
                       "states", states,
                       NULL);

  if (previous != NULL)
    {
      g_autoptr(GPtrArray) cached = g_ptr_array_new_with_free_func (g_object_unref);

      prefect_ctx_mutex_lock (&previous->lock);
      for (guint i = 0; i < previous->cache_order->len; i++)
        g_ptr_array_add (cached, g_object_ref (previous->cache_order->pdata[i]));
      prefect_ctx_mutex_unlock (&previous->lock);

      for (guint i = 0; i < cached->len; i++)
        frv_cache_add (self, cached->pdata[i]);
    }

  if (task_runs != NULL)
    {
      guint n = g_list_model_get_n_items (task_runs);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(PrefectCtxTaskRun) task_run = g_list_model_get_item (task_runs, i);
          g_autoptr(PrefectCtxTaskRunView) view = NULL;

          if (prefect_ctx_task_run_get_map_index (task_run) != -1)
            continue;
          view = prefect_ctx_task_run_view_new_from_task_run (task_run);
          frv_cache_add (self, view);
        }
    }

  return self;
}

static PrefectCtxFlowRunView *
view_new_sync (PrefectCtxClient       *client,
               const char             *flow_run_id,
               gboolean                load_static_tasks,
               PrefectCtxFlowRunView  *previous,
               GCancellable           *cancellable,
               GError                **error)
{
  g_autoptr(PrefectCtxFlowRun) flow_run = NULL;
  g_autoptr(GListModel) states = NULL;
  g_autoptr(GListModel) task_runs = NULL;

  /* The run before its states: a state set in between is then in the
   * history even if the run's own state is older, never the other way. */
  flow_run = prefect_ctx_client_read_flow_run (client, flow_run_id, cancellable, error);
  if (flow_run == NULL)
    return NULL;

  states = prefect_ctx_client_read_flow_run_states (client, flow_run_id, cancellable, error);
  if (states == NULL)
    return NULL;

  if (load_static_tasks)
    {
      task_runs = prefect_ctx_client_read_task_runs (client, flow_run_id, 0, 0, cancellable, error);
      if (task_runs == NULL)
        return NULL;
    }

  return view_build (client, flow_run, states, task_runs, previous);
}

/* ---------------------------------------------------------------------------
 * The asynchronous methods: each runs its blocking twin in a worker thread
 * (core/prefectctx-blocking.c), so that each rule exists once.
 */


ViewCall *
view_call_new (PrefectCtxFlowRunView *self)
{
  ViewCall *call = g_new0 (ViewCall, 1);

  call->self = self != NULL ? g_object_ref (self) : NULL;
  return call;
}

void
view_call_free (gpointer data)
{
  ViewCall *call = data;

  g_clear_object (&call->self);
  g_clear_object (&call->client);
  g_free (call->id);
  g_free (call->task_run_id);
  g_clear_pointer (&call->start, g_date_time_unref);
  g_clear_pointer (&call->end, g_date_time_unref);
  g_free (call);
}

static gpointer
new_from_id_blocking (gpointer       source_object,
                      gpointer       data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  ViewCall *call = data;

  return prefect_ctx_flow_run_view_new_from_id (call->client, call->id, call->flag, cancellable, error);
}

static gpointer
get_latest_blocking (gpointer       source_object,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  ViewCall *call = data;

  return prefect_ctx_flow_run_view_get_latest (call->self, call->flag, cancellable, error);
}

static gpointer
get_flow_metadata_blocking (gpointer       source_object,
                            gpointer       data,
                            GCancellable  *cancellable,
                            GError       **error)
{
  ViewCall *call = data;

  return prefect_ctx_flow_run_view_get_flow_metadata (call->self, call->flag, cancellable, error);
}

static gpointer
get_logs_blocking (gpointer       source_object,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  ViewCall *call = data;

  return prefect_ctx_flow_run_view_get_logs (call->self, call->start, call->end, cancellable, error);
}

/**
 * prefect_ctx_flow_run_view_new_from_id:
 * @client: the store to read
 * @flow_run_id: the ID of the flow run
 * @load_static_tasks: whether to load the task runs of the flow run that are
 *   not children of a mapped task at once (the finished ones are cached)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads a flow run, its state history and, if @load_static_tasks is set, its
 * unmapped task runs from @client, and makes a view of them, as Prefect 1's
 * `FlowRunView.from_flow_run_id ()` does. An unknown ID is the
 * %PREFECT_CTX_ERROR_NOT_FOUND error of the store (`Flow run not found`).
 *
 * Returns: (transfer full): a new view, or %NULL with @error set
 */
PrefectCtxFlowRunView *
prefect_ctx_flow_run_view_new_from_id (PrefectCtxClient  *client,
                                       const char        *flow_run_id,
                                       gboolean           load_static_tasks,
                                       GCancellable      *cancellable,
                                       GError           **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (client), NULL);
  g_return_val_if_fail (flow_run_id != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return view_new_sync (client, flow_run_id, load_static_tasks, NULL, cancellable, error);
}

/**
 * prefect_ctx_flow_run_view_new_from_id_async:
 * @client: the store to read
 * @flow_run_id: the ID of the flow run
 * @load_static_tasks: whether to load the unmapped task runs at once
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the view is ready
 * @user_data: data for @callback
 *
 * Starts [ctor@PrefectCtx.FlowRunView.new_from_id] in a worker thread;
 * finish it with
 * [ctor@PrefectCtx.FlowRunView.new_from_id_finish] in @callback, which is
 * called on the thread-default main context of the caller.
 */
void
prefect_ctx_flow_run_view_new_from_id_async (PrefectCtxClient    *client,
                                             const char          *flow_run_id,
                                             gboolean             load_static_tasks,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  ViewCall *call;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (client));
  g_return_if_fail (flow_run_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = view_call_new (NULL);
  call->client = g_object_ref (client);
  call->id = g_strdup (flow_run_id);
  call->flag = load_static_tasks;
  _prefect_ctx_blocking_async (NULL, prefect_ctx_flow_run_view_new_from_id_async, new_from_id_blocking, call, view_call_free,
                               g_object_unref, cancellable, callback, user_data);
}

/**
 * prefect_ctx_flow_run_view_new_from_id_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [func@PrefectCtx.FlowRunView.new_from_id_async].
 *
 * Returns: (transfer full): a new view, or %NULL with @error set
 */
PrefectCtxFlowRunView *
prefect_ctx_flow_run_view_new_from_id_finish (GAsyncResult  *result,
                                              GError       **error)
{
  return _prefect_ctx_blocking_finish (NULL, result, prefect_ctx_flow_run_view_new_from_id_async, error);
}

/**
 * prefect_ctx_flow_run_view_get_latest:
 * @self: a flow run view
 * @load_static_tasks: whether to load the unmapped task runs at once
 *   (usually not needed: the cached ones are handed over)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Makes a new view of the flow run with the latest data of the store, as
 * Prefect 1's `FlowRunView.get_latest ()` does. The task runs cached by
 * @self are handed over to the new view (they are finished, so they cannot
 * be stale). @self does not change.
 *
 * Returns: (transfer full): a new view, or %NULL with @error set
 */
PrefectCtxFlowRunView *
prefect_ctx_flow_run_view_get_latest (PrefectCtxFlowRunView  *self,
                                      gboolean                load_static_tasks,
                                      GCancellable           *cancellable,
                                      GError                **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self), NULL);
  g_return_val_if_fail (self->client != NULL, NULL);
  g_return_val_if_fail (prefect_ctx_flow_run_get_id (self->flow_run) != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return view_new_sync (self->client, prefect_ctx_flow_run_get_id (self->flow_run),
                        load_static_tasks, self, cancellable, error);
}

/**
 * prefect_ctx_flow_run_view_get_latest_async:
 * @self: a flow run view
 * @load_static_tasks: whether to load the unmapped task runs at once
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the new view is ready
 * @user_data: data for @callback
 *
 * Starts [method@PrefectCtx.FlowRunView.get_latest] in a worker thread;
 * finish it with
 * [method@PrefectCtx.FlowRunView.get_latest_finish] in @callback.
 */
void
prefect_ctx_flow_run_view_get_latest_async (PrefectCtxFlowRunView *self,
                                            gboolean               load_static_tasks,
                                            GCancellable          *cancellable,
                                            GAsyncReadyCallback    callback,
                                            gpointer               user_data)
{
  ViewCall *call;

  g_return_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self));
  g_return_if_fail (self->client != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = view_call_new (self);
  call->flag = load_static_tasks;
  _prefect_ctx_blocking_async (self, prefect_ctx_flow_run_view_get_latest_async, get_latest_blocking, call, view_call_free,
                               g_object_unref, cancellable, callback, user_data);
}

/**
 * prefect_ctx_flow_run_view_get_latest_finish:
 * @self: a flow run view
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.FlowRunView.get_latest_async].
 *
 * Returns: (transfer full): a new view, or %NULL with @error set
 */
PrefectCtxFlowRunView *
prefect_ctx_flow_run_view_get_latest_finish (PrefectCtxFlowRunView  *self,
                                             GAsyncResult           *result,
                                             GError                **error)
{
  return _prefect_ctx_blocking_finish (self, result, prefect_ctx_flow_run_view_get_latest_async, error);
}

/* Getters */

/**
 * prefect_ctx_flow_run_view_get_client:
 * @self: a flow run view
 *
 * Gets [property@PrefectCtx.FlowRunView:client].
 *
 * Returns: (transfer none) (nullable): the store the view reads
 */
PrefectCtxClient *
prefect_ctx_flow_run_view_get_client (PrefectCtxFlowRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self), NULL);

  return self->client;
}

/**
 * prefect_ctx_flow_run_view_get_flow_run:
 * @self: a flow run view
 *
 * Gets [property@PrefectCtx.FlowRunView:flow-run], the flow run as the
 * store returned it.
 *
 * Returns: (transfer none): the flow run
 */
PrefectCtxFlowRun *
prefect_ctx_flow_run_view_get_flow_run (PrefectCtxFlowRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self), NULL);

  return self->flow_run;
}

/**
 * prefect_ctx_flow_run_view_get_flow_run_id:
 * @self: a flow run view
 *
 * Gets [property@PrefectCtx.FlowRunView:flow-run-id].
 *
 * Returns: (transfer none) (nullable): the ID of the flow run
 */
const char *
prefect_ctx_flow_run_view_get_flow_run_id (PrefectCtxFlowRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self), NULL);

  return prefect_ctx_flow_run_get_id (self->flow_run);
}

/**
 * prefect_ctx_flow_run_view_get_name:
 * @self: a flow run view
 *
 * Gets [property@PrefectCtx.FlowRunView:name].
 *
 * Returns: (transfer none) (nullable): the name of the flow run
 */
const char *
prefect_ctx_flow_run_view_get_name (PrefectCtxFlowRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self), NULL);

  return prefect_ctx_flow_run_get_name (self->flow_run);
}

/**
 * prefect_ctx_flow_run_view_get_flow_id:
 * @self: a flow run view
 *
 * Gets [property@PrefectCtx.FlowRunView:flow-id].
 *
 * Returns: (transfer none) (nullable): the ID of the flow
 */
const char *
prefect_ctx_flow_run_view_get_flow_id (PrefectCtxFlowRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self), NULL);

  return prefect_ctx_flow_run_get_flow_id (self->flow_run);
}

/**
 * prefect_ctx_flow_run_view_get_tags:
 * @self: a flow run view
 *
 * Gets [property@PrefectCtx.FlowRunView:tags].
 *
 * Returns: (transfer none) (array zero-terminated=1): the tags, sorted;
 *   never %NULL
 */
const char * const *
prefect_ctx_flow_run_view_get_tags (PrefectCtxFlowRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self), NULL);

  return prefect_ctx_flow_run_get_tags (self->flow_run);
}

/**
 * prefect_ctx_flow_run_view_get_parameters:
 * @self: a flow run view
 *
 * Gets [property@PrefectCtx.FlowRunView:parameters].
 *
 * Returns: (transfer none): the parameters, an `a{sv}` dictionary
 */
GVariant *
prefect_ctx_flow_run_view_get_parameters (PrefectCtxFlowRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self), NULL);

  return prefect_ctx_flow_run_get_parameters (self->flow_run);
}

/**
 * prefect_ctx_flow_run_view_get_state:
 * @self: a flow run view
 *
 * Gets [property@PrefectCtx.FlowRunView:state].
 *
 * Returns: (transfer none): the state of the flow run
 */
PrefectCtxState *
prefect_ctx_flow_run_view_get_state (PrefectCtxFlowRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self), NULL);

  return self->state;
}

/**
 * prefect_ctx_flow_run_view_get_states:
 * @self: a flow run view
 *
 * Gets [property@PrefectCtx.FlowRunView:states], the state history sorted
 * by timestamp. The list does not change.
 *
 * Returns: (transfer none): a list model of [class@PrefectCtx.State]
 */
GListModel *
prefect_ctx_flow_run_view_get_states (PrefectCtxFlowRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self), NULL);

  return G_LIST_MODEL (self->states);
}

/**
 * prefect_ctx_flow_run_view_get_updated_at:
 * @self: a flow run view
 *
 * Gets [property@PrefectCtx.FlowRunView:updated-at].
 *
 * Returns: (transfer none): when the flow run was last updated, in UTC
 */
GDateTime *
prefect_ctx_flow_run_view_get_updated_at (PrefectCtxFlowRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self), NULL);

  return self->updated_at;
}

/**
 * prefect_ctx_flow_run_view_is_finished:
 * @self: a flow run view
 *
 * Checks whether [property@PrefectCtx.FlowRunView:state] is a finished
 * state (`COMPLETED`, `FAILED`, `CANCELLED` or `CRASHED`).
 *
 * Returns: whether the flow run was finished when the view was made
 */
gboolean
prefect_ctx_flow_run_view_is_finished (PrefectCtxFlowRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self), FALSE);

  return prefect_ctx_state_is_finished (self->state);
}

/**
 * prefect_ctx_flow_run_view_get_cached_task_runs:
 * @self: a flow run view
 *
 * Gets the task runs the view holds in its cache, in the order they were
 * cached: the finished task runs it has loaded, and those handed over by
 * [method@PrefectCtx.FlowRunView.get_latest]. Getting them does not read
 * the store.
 *
 * Returns: (transfer full): a new list model of
 *   [class@PrefectCtx.TaskRunView]
 */
GListModel *
prefect_ctx_flow_run_view_get_cached_task_runs (PrefectCtxFlowRunView *self)
{
  GListStore *store;

  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self), NULL);

  store = g_list_store_new (PREFECT_CTX_TYPE_TASK_RUN_VIEW);
  prefect_ctx_mutex_lock (&self->lock);
  g_list_store_splice (store, 0, 0, self->cache_order->pdata, self->cache_order->len);
  prefect_ctx_mutex_unlock (&self->lock);

  return G_LIST_MODEL (store);
}

/* get_flow_metadata () */

static PrefectCtxFlowView *
cached_flow_view (PrefectCtxFlowRunView *self)
{
  PrefectCtxFlowView *view;

  prefect_ctx_mutex_lock (&self->lock);
  view = self->flow_view != NULL ? g_object_ref (self->flow_view) : NULL;
  prefect_ctx_mutex_unlock (&self->lock);

  return view;
}

static void
set_flow_view (PrefectCtxFlowRunView *self,
               PrefectCtxFlowView    *view)
{
  prefect_ctx_mutex_lock (&self->lock);
  g_set_object (&self->flow_view, view);
  prefect_ctx_mutex_unlock (&self->lock);
}

static gboolean
check_flow_id (PrefectCtxFlowRunView  *self,
               GError                **error)
{
  if (prefect_ctx_flow_run_get_flow_id (self->flow_run) != NULL)
    return TRUE;

  g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND, "Flow not found");
  return FALSE;
}

/**
 * prefect_ctx_flow_run_view_get_flow_metadata:
 * @self: a flow run view
 * @no_cache: whether to read the flow again even when the view holds it
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Gets a view of the flow the run is of, as Prefect 1's
 * `FlowRunView.get_flow_metadata ()` does: read from the store at the first
 * call (or when @no_cache is set), then cached.
 *
 * Returns: (transfer full): the view of the flow, or %NULL with @error set
 *   (the %PREFECT_CTX_ERROR_NOT_FOUND error `Flow not found` when the flow
 *   is unknown)
 */
PrefectCtxFlowView *
prefect_ctx_flow_run_view_get_flow_metadata (PrefectCtxFlowRunView  *self,
                                             gboolean                no_cache,
                                             GCancellable           *cancellable,
                                             GError                **error)
{
  PrefectCtxFlowView *view;

  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self), NULL);
  g_return_val_if_fail (self->client != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!no_cache && (view = cached_flow_view (self)) != NULL)
    return view;
  if (!check_flow_id (self, error))
    return NULL;

  view = prefect_ctx_flow_view_new_from_id (self->client, prefect_ctx_flow_run_get_flow_id (self->flow_run),
                                            cancellable, error);
  if (view != NULL)
    set_flow_view (self, view);

  return view;
}

/**
 * prefect_ctx_flow_run_view_get_flow_metadata_async:
 * @self: a flow run view
 * @no_cache: whether to read the flow again even when the view holds it
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the view of the flow is ready
 * @user_data: data for @callback
 *
 * Starts [method@PrefectCtx.FlowRunView.get_flow_metadata] in a
 * worker thread; finish it with
 * [method@PrefectCtx.FlowRunView.get_flow_metadata_finish] in @callback.
 */
void
prefect_ctx_flow_run_view_get_flow_metadata_async (PrefectCtxFlowRunView *self,
                                                   gboolean               no_cache,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data)
{
  ViewCall *call;

  g_return_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self));
  g_return_if_fail (self->client != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = view_call_new (self);
  call->flag = no_cache;
  _prefect_ctx_blocking_async (self, prefect_ctx_flow_run_view_get_flow_metadata_async, get_flow_metadata_blocking, call, view_call_free,
                               g_object_unref, cancellable, callback, user_data);
}

/**
 * prefect_ctx_flow_run_view_get_flow_metadata_finish:
 * @self: a flow run view
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.FlowRunView.get_flow_metadata_async].
 *
 * Returns: (transfer full): the view of the flow, or %NULL with @error set
 */
PrefectCtxFlowView *
prefect_ctx_flow_run_view_get_flow_metadata_finish (PrefectCtxFlowRunView  *self,
                                                    GAsyncResult           *result,
                                                    GError                **error)
{
  return _prefect_ctx_blocking_finish (self, result, prefect_ctx_flow_run_view_get_flow_metadata_async, error);
}

/* get_logs () */

/**
 * prefect_ctx_flow_run_view_get_logs:
 * @self: a flow run view
 * @start: (nullable): only the log entries strictly after this time, or
 *   %NULL for all from the start
 * @end: (nullable): only the log entries at or before this time, or %NULL
 *   for [property@PrefectCtx.FlowRunView:updated-at]
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Gets the log entries of the flow run (its own and those of its task runs)
 * with a timestamp after @start and at or before @end, oldest first, as
 * Prefect 1's `FlowRunView.get_logs ()` does. By default the window ends at
 * the last update of the flow run the view shows, so that the logs match
 * the view. Each entry has a timestamp, a level (a Python logging level
 * such as 20 for `INFO`) and a message.
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.LogEntry], or
 *   %NULL with @error set
 */
GListModel *
prefect_ctx_flow_run_view_get_logs (PrefectCtxFlowRunView  *self,
                                    GDateTime              *start,
                                    GDateTime              *end,
                                    GCancellable           *cancellable,
                                    GError                **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self), NULL);
  g_return_val_if_fail (self->client != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return prefect_ctx_client_read_logs (self->client, prefect_ctx_flow_run_get_id (self->flow_run),
                                       start, end != NULL ? end : self->updated_at,
                                       0, 0, cancellable, error);
}

/**
 * prefect_ctx_flow_run_view_get_logs_async:
 * @self: a flow run view
 * @start: (nullable): only the log entries strictly after this time, or
 *   %NULL
 * @end: (nullable): only the log entries at or before this time, or %NULL
 *   for [property@PrefectCtx.FlowRunView:updated-at]
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the log entries are ready
 * @user_data: data for @callback
 *
 * Starts [method@PrefectCtx.FlowRunView.get_logs] in a worker thread;
 * finish it with
 * [method@PrefectCtx.FlowRunView.get_logs_finish] in @callback.
 */
void
prefect_ctx_flow_run_view_get_logs_async (PrefectCtxFlowRunView *self,
                                          GDateTime             *start,
                                          GDateTime             *end,
                                          GCancellable          *cancellable,
                                          GAsyncReadyCallback    callback,
                                          gpointer               user_data)
{
  ViewCall *call;

  g_return_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self));
  g_return_if_fail (self->client != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = view_call_new (self);
  call->start = start != NULL ? g_date_time_ref (start) : NULL;
  call->end = end != NULL ? g_date_time_ref (end) : NULL;
  _prefect_ctx_blocking_async (self, prefect_ctx_flow_run_view_get_logs_async, get_logs_blocking, call, view_call_free,
                               g_object_unref, cancellable, callback, user_data);
}

/**
 * prefect_ctx_flow_run_view_get_logs_finish:
 * @self: a flow run view
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.FlowRunView.get_logs_async].
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.LogEntry], or
 *   %NULL with @error set
 */
GListModel *
prefect_ctx_flow_run_view_get_logs_finish (PrefectCtxFlowRunView  *self,
                                           GAsyncResult           *result,
                                           GError                **error)
{
  return _prefect_ctx_blocking_finish (self, result, prefect_ctx_flow_run_view_get_logs_async, error);
}
