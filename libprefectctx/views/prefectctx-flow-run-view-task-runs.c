/* prefectctx-flow-run-view-task-runs.c: the task runs of a FlowRunView:
 * get_task_run, get_all_task_runs, get_task_run_ids, with the view's cache
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-flow-run-view.h"
#include "views/prefectctx-flow-run-view-private.h"
#include "core/prefectctx-blocking-private.h"

#include "prefectctx-error.h"
#include "prefectctx-tsan-private.h"

static gpointer
get_task_run_blocking (gpointer       source_object,
                       gpointer       data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  ViewCall *call = data;

  return prefect_ctx_flow_run_view_get_task_run (call->self, call->id, call->task_run_id, call->map_index,
                                                 cancellable, error);
}

static gpointer
get_all_task_runs_blocking (gpointer       source_object,
                            gpointer       data,
                            GCancellable  *cancellable,
                            GError       **error)
{
  ViewCall *call = data;

  return prefect_ctx_flow_run_view_get_all_task_runs (call->self, cancellable, error);
}

static gpointer
get_task_run_ids_blocking (gpointer       source_object,
                           gpointer       data,
                           GCancellable  *cancellable,
                           GError       **error)
{
  ViewCall *call = data;

  return prefect_ctx_flow_run_view_get_task_run_ids (call->self, cancellable, error);
}

/* get_task_run () */

typedef struct {
  char *key_or_slug;
  char *task_run_id;
  int   map_index;
} Lookup;

static gboolean
lookup_check_arguments (const char  *key_or_slug,
                        const char  *task_run_id,
                        int          map_index,
                        GError     **error)
{
  if (key_or_slug == NULL && task_run_id == NULL)
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "One of `task_run_id`, `task`, or `task_slug` must be provided!");
      return FALSE;
    }

  if (map_index < PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Invalid `map_index` %d: expected -1 (not mapped), the index of a mapped "
                   "task run, or PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET", map_index);
      return FALSE;
    }

  return TRUE;
}

static int
lookup_slug_map_index (const Lookup *lookup)
{
  /* Looking up by slug loads the parent task (not mapped) by default. */
  return lookup->map_index == PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET ? -1 : lookup->map_index;
}

static const char *
repr_or_none (const char *string,
              char      **to_free)
{
  if (string == NULL)
    return "None";

  *to_free = g_strdup_printf ("'%s'", string);
  return *to_free;
}

/* Checks the task run found by ID against the other arguments, as Prefect
 * does, and that it belongs to the flow run of the view. */
static gboolean
lookup_check_found_by_id (PrefectCtxFlowRunView  *self,
                          const Lookup           *lookup,
                          PrefectCtxTaskRunView  *view,
                          GError                **error)
{
  const char *slug = prefect_ctx_task_run_view_get_task_slug (view);
  const char *task_key = prefect_ctx_task_run_view_get_task_id (view);
  const char *flow_run_id = prefect_ctx_task_run_view_get_flow_run_id (view);
  g_autofree char *to_free = NULL;

  if (lookup->key_or_slug != NULL &&
      g_strcmp0 (lookup->key_or_slug, slug) != 0 &&
      g_strcmp0 (lookup->key_or_slug, task_key) != 0)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Both `task_slug` and `task_run_id` were provided but the task found "
                   "using `task_run_id` has a different slug! `task_slug == '%s'` and "
                   "`result.task_slug == %s`",
                   lookup->key_or_slug, repr_or_none (slug, &to_free));
      return FALSE;
    }

  if (lookup->map_index != PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET &&
      lookup->map_index != prefect_ctx_task_run_view_get_map_index (view))
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Both `map_index` and `task_run_id` were provided but the task found "
                   "using `task_run_id` has a different map index! `map_index == %d` and "
                   "`result.map_index == %d`",
                   lookup->map_index, prefect_ctx_task_run_view_get_map_index (view));
      return FALSE;
    }

  if (g_strcmp0 (flow_run_id, prefect_ctx_flow_run_get_id (self->flow_run)) != 0)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "The task run found using `task_run_id` belongs to another flow run! "
                   "`flow_run_id == '%s'` and `result.flow_run_id == %s`",
                   prefect_ctx_flow_run_get_id (self->flow_run),
                   repr_or_none (flow_run_id, &to_free));
      return FALSE;
    }

  return TRUE;
}

static PrefectCtxTaskRunView *
lookup_finish_by_id (PrefectCtxFlowRunView  *self,
                     const Lookup           *lookup,
                     PrefectCtxTaskRunView  *view,
                     GError                **error)
{
  if (!lookup_check_found_by_id (self, lookup, view, error))
    return NULL;

  frv_cache_add (self, view);
  return g_object_ref (view);
}

/* Picks the task run of @lookup among @task_runs, the task runs of the flow
 * run: the one whose slug is the string given, else the only one whose task
 * key is, with the map index asked for. */
static PrefectCtxTaskRunView *
lookup_pick (PrefectCtxFlowRunView  *self,
             const Lookup           *lookup,
             GListModel             *task_runs,
             GError                **error)
{
  g_autoptr(PrefectCtxTaskRunView) by_slug = NULL;
  g_autoptr(PrefectCtxTaskRunView) by_key = NULL;
  guint n_slug = 0;
  guint n_key = 0;
  guint n = g_list_model_get_n_items (task_runs);
  int map_index = lookup_slug_map_index (lookup);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PrefectCtxTaskRun) task_run = g_list_model_get_item (task_runs, i);
      g_autoptr(PrefectCtxTaskRunView) view = NULL;

      if (prefect_ctx_task_run_get_map_index (task_run) != map_index)
        continue;

      view = prefect_ctx_task_run_view_new_from_task_run (task_run);
      if (g_strcmp0 (prefect_ctx_task_run_view_get_task_slug (view), lookup->key_or_slug) == 0)
        {
          if (n_slug++ == 0)
            by_slug = g_object_ref (view);
        }
      else if (g_strcmp0 (prefect_ctx_task_run_view_get_task_id (view), lookup->key_or_slug) == 0)
        {
          if (n_key++ == 0)
            by_key = g_object_ref (view);
        }
    }

  if (n_slug == 1 || (n_slug == 0 && n_key == 1))
    {
      PrefectCtxTaskRunView *found = n_slug == 1 ? by_slug : by_key;

      frv_cache_add (self, found);
      return g_object_ref (found);
    }

  if (n_slug == 0 && n_key == 0)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND,
                   "No task runs found with the task slug or task key '%s' and the map index "
                   "%d in flow run %s",
                   lookup->key_or_slug, map_index, prefect_ctx_flow_run_get_id (self->flow_run));
      return NULL;
    }

  g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
               "Found multiple (%u) task runs with the task %s '%s' and the map index %d in "
               "flow run %s: give the task slug of one of them, such as '%s'",
               n_slug > 0 ? n_slug : n_key, n_slug > 0 ? "slug" : "key",
               lookup->key_or_slug, map_index, prefect_ctx_flow_run_get_id (self->flow_run),
               prefect_ctx_task_run_view_get_task_slug (n_slug > 0 ? by_slug : by_key));
  return NULL;
}

/* The cached answer to @lookup, or %NULL (with @error unset) when it must be
 * read from the store. */
static PrefectCtxTaskRunView *
lookup_cached (PrefectCtxFlowRunView  *self,
               const Lookup           *lookup,
               GError                **error)
{
  g_autoptr(PrefectCtxTaskRunView) view = NULL;

  if (lookup->task_run_id != NULL)
    {
      view = frv_cache_lookup_id (self, lookup->task_run_id);
      if (view == NULL)
        return NULL;
      if (!lookup_check_found_by_id (self, lookup, view, error))
        return NULL;
      return g_steal_pointer (&view);
    }

  return frv_cache_lookup_slug (self, lookup->key_or_slug, lookup_slug_map_index (lookup));
}

/**
 * prefect_ctx_flow_run_view_get_task_run:
 * @self: a flow run view
 * @task_key_or_slug: (nullable): the slug of the task run (such as `add-0`)
 *   or its task key (such as `add`), or %NULL
 * @task_run_id: (nullable): the ID of the task run, or %NULL
 * @map_index: the map index of the task run, -1 for one that is not mapped,
 *   or %PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Gets a task run of the flow run, as Prefect 1's
 * `FlowRunView.get_task_run ()` does: from the cache when it holds it, else
 * from the store (and a finished task run is then cached).
 *
 * - With @task_run_id, the task run of that ID. If @task_key_or_slug is
 *   given as well and is neither the slug nor the task key of that task
 *   run, or @map_index is given and differs, it is a
 *   %PREFECT_CTX_ERROR_INVALID_ARGUMENT error with Prefect's message, such
 *   as ``Both `map_index` and `task_run_id` were provided but the task found
 *   using `task_run_id` has a different map index! `map_index == 1` and
 *   `result.map_index == -1` ``. So is a task run of another flow run. An
 *   unknown ID is the %PREFECT_CTX_ERROR_NOT_FOUND error of the store.
 * - Else, with @task_key_or_slug, the task run with that slug and
 *   @map_index (-1, not mapped, when unset); when no task run has that slug,
 *   the only one whose task key it is. None is a
 *   %PREFECT_CTX_ERROR_NOT_FOUND error; several task runs of that task key
 *   (a task called more than once) a %PREFECT_CTX_ERROR_INVALID_ARGUMENT
 *   error naming a slug to use instead. Only lookups by slug are answered
 *   from the cache.
 * - With neither, a %PREFECT_CTX_ERROR_INVALID_ARGUMENT error
 *   ``One of `task_run_id`, `task`, or `task_slug` must be provided!``.
 *
 * Returns: (transfer full): the view of the task run, or %NULL with @error
 *   set
 */
PrefectCtxTaskRunView *
prefect_ctx_flow_run_view_get_task_run (PrefectCtxFlowRunView  *self,
                                        const char             *task_key_or_slug,
                                        const char             *task_run_id,
                                        int                     map_index,
                                        GCancellable           *cancellable,
                                        GError                **error)
{
  Lookup lookup = { (char *) task_key_or_slug, (char *) task_run_id, map_index };
  PrefectCtxTaskRunView *cached;
  GError *local_error = NULL;

  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self), NULL);
  g_return_val_if_fail (self->client != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!lookup_check_arguments (task_key_or_slug, task_run_id, map_index, error))
    return NULL;

  cached = lookup_cached (self, &lookup, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (cached != NULL)
    return cached;

  if (task_run_id != NULL)
    {
      g_autoptr(PrefectCtxTaskRunView) view = NULL;

      view = prefect_ctx_task_run_view_new_from_id (self->client, task_run_id, cancellable, error);
      if (view == NULL)
        return NULL;
      return lookup_finish_by_id (self, &lookup, view, error);
    }
  else
    {
      g_autoptr(GListModel) task_runs = NULL;

      task_runs = prefect_ctx_client_read_task_runs (self->client,
                                                     prefect_ctx_flow_run_get_id (self->flow_run),
                                                     0, 0, cancellable, error);
      if (task_runs == NULL)
        return NULL;
      return lookup_pick (self, &lookup, task_runs, error);
    }
}

/**
 * prefect_ctx_flow_run_view_get_task_run_async:
 * @self: a flow run view
 * @task_key_or_slug: (nullable): the slug or task key of the task run, or
 *   %NULL
 * @task_run_id: (nullable): the ID of the task run, or %NULL
 * @map_index: the map index of the task run, -1 for one that is not mapped,
 *   or %PREFECT_CTX_FLOW_RUN_VIEW_MAP_INDEX_UNSET
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the task run is ready
 * @user_data: data for @callback
 *
 * Starts [method@PrefectCtx.FlowRunView.get_task_run] in a worker thread;
 * finish it with
 * [method@PrefectCtx.FlowRunView.get_task_run_finish] in @callback.
 */
void
prefect_ctx_flow_run_view_get_task_run_async (PrefectCtxFlowRunView *self,
                                              const char            *task_key_or_slug,
                                              const char            *task_run_id,
                                              int                    map_index,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data)
{
  ViewCall *call;

  g_return_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self));
  g_return_if_fail (self->client != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = view_call_new (self);
  call->id = g_strdup (task_key_or_slug);
  call->task_run_id = g_strdup (task_run_id);
  call->map_index = map_index;
  _prefect_ctx_blocking_async (self, prefect_ctx_flow_run_view_get_task_run_async, get_task_run_blocking, call, view_call_free,
                               g_object_unref, cancellable, callback, user_data);
}

/**
 * prefect_ctx_flow_run_view_get_task_run_finish:
 * @self: a flow run view
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.FlowRunView.get_task_run_async].
 *
 * Returns: (transfer full): the view of the task run, or %NULL with @error
 *   set
 */
PrefectCtxTaskRunView *
prefect_ctx_flow_run_view_get_task_run_finish (PrefectCtxFlowRunView  *self,
                                               GAsyncResult           *result,
                                               GError                **error)
{
  return _prefect_ctx_blocking_finish (self, result, prefect_ctx_flow_run_view_get_task_run_async, error);
}

/* get_all_task_runs () */

static gboolean
check_task_run_count (guint    count,
                      GError **error)
{
  if (count > PREFECT_CTX_FLOW_RUN_VIEW_MAX_TASK_RUNS)
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "Refusing to `get_all_task_runs` for a flow with more than 1000 tasks. "
                           "Please load the tasks you are interested in individually.");
      return FALSE;
    }

  return TRUE;
}

/* The number of task runs, when the cached IDs tell it. */
static gboolean
known_task_run_count (PrefectCtxFlowRunView *self,
                      guint                 *count)
{
  gboolean known;

  prefect_ctx_mutex_lock (&self->lock);
  known = self->task_run_ids != NULL;
  if (known)
    *count = g_strv_length (self->task_run_ids);
  prefect_ctx_mutex_unlock (&self->lock);

  return known;
}

/* The views of @task_runs, read with a limit of one more than the most
 * allowed: %NULL with @error set when there are more. */
static GListModel *
all_task_runs_from (PrefectCtxFlowRunView  *self,
                    GListModel             *task_runs,
                    GError                **error)
{
  GListStore *store;
  guint n = g_list_model_get_n_items (task_runs);

  if (!check_task_run_count (n, error))
    return NULL;

  store = g_list_store_new (PREFECT_CTX_TYPE_TASK_RUN_VIEW);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PrefectCtxTaskRun) task_run = g_list_model_get_item (task_runs, i);
      g_autoptr(PrefectCtxTaskRunView) view = view_for_task_run (self, task_run);

      g_list_store_append (store, view);
    }

  return G_LIST_MODEL (store);
}

/**
 * prefect_ctx_flow_run_view_get_all_task_runs:
 * @self: a flow run view
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Gets every task run of the flow run, in the order the store keeps them
 * (the order they were created), as Prefect 1's
 * `FlowRunView.get_all_task_runs ()` does: they are read in one query of
 * the store, of at most one more task run than allowed (no count first); a
 * task run the view has cached is given as its cached view, and the
 * finished ones not cached yet are cached.
 *
 * Like Prefect, it refuses a flow run with more than
 * %PREFECT_CTX_FLOW_RUN_VIEW_MAX_TASK_RUNS task runs: a
 * %PREFECT_CTX_ERROR_INVALID_ARGUMENT error ``Refusing to `get_all_task_runs`
 * for a flow with more than 1000 tasks. Please load the tasks you are
 * interested in individually.``
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.TaskRunView],
 *   or %NULL with @error set
 */
GListModel *
prefect_ctx_flow_run_view_get_all_task_runs (PrefectCtxFlowRunView  *self,
                                             GCancellable           *cancellable,
                                             GError                **error)
{
  g_autoptr(GListModel) task_runs = NULL;
  const char *flow_run_id;
  guint count = 0;

  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self), NULL);
  g_return_val_if_fail (self->client != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  flow_run_id = prefect_ctx_flow_run_get_id (self->flow_run);
  if (known_task_run_count (self, &count) && !check_task_run_count (count, error))
    return NULL;

  task_runs = prefect_ctx_client_read_task_runs (self->client, flow_run_id,
                                                 PREFECT_CTX_FLOW_RUN_VIEW_MAX_TASK_RUNS + 1, 0,
                                                 cancellable, error);
  if (task_runs == NULL)
    return NULL;

  return all_task_runs_from (self, task_runs, error);
}

/**
 * prefect_ctx_flow_run_view_get_all_task_runs_async:
 * @self: a flow run view
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the task runs are ready
 * @user_data: data for @callback
 *
 * Starts [method@PrefectCtx.FlowRunView.get_all_task_runs] in a
 * worker thread; finish it with
 * [method@PrefectCtx.FlowRunView.get_all_task_runs_finish] in @callback.
 */
void
prefect_ctx_flow_run_view_get_all_task_runs_async (PrefectCtxFlowRunView *self,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data)
{
  ViewCall *call;

  g_return_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self));
  g_return_if_fail (self->client != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = view_call_new (self);
  _prefect_ctx_blocking_async (self, prefect_ctx_flow_run_view_get_all_task_runs_async, get_all_task_runs_blocking, call, view_call_free,
                               g_object_unref, cancellable, callback, user_data);
}

/**
 * prefect_ctx_flow_run_view_get_all_task_runs_finish:
 * @self: a flow run view
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.FlowRunView.get_all_task_runs_async].
 *
 * Returns: (transfer full): a list model of [class@PrefectCtx.TaskRunView],
 *   or %NULL with @error set
 */
GListModel *
prefect_ctx_flow_run_view_get_all_task_runs_finish (PrefectCtxFlowRunView  *self,
                                                    GAsyncResult           *result,
                                                    GError                **error)
{
  return _prefect_ctx_blocking_finish (self, result, prefect_ctx_flow_run_view_get_all_task_runs_async, error);
}

/* get_task_run_ids () */

static GStrv
cached_task_run_ids (PrefectCtxFlowRunView *self)
{
  GStrv ids;

  prefect_ctx_mutex_lock (&self->lock);
  ids = g_strdupv (self->task_run_ids);
  prefect_ctx_mutex_unlock (&self->lock);

  return ids;
}

static GStrv
task_run_ids_from (PrefectCtxFlowRunView *self,
                   GListModel            *task_runs)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = g_list_model_get_n_items (task_runs);
  GStrv ids;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PrefectCtxTaskRun) task_run = g_list_model_get_item (task_runs, i);

      if (prefect_ctx_task_run_get_id (task_run) != NULL)
        g_strv_builder_add (builder, prefect_ctx_task_run_get_id (task_run));
    }
  ids = g_strv_builder_end (builder);

  /* A finished flow run has all its task runs: the list may be kept. */
  if (prefect_ctx_flow_run_view_is_finished (self))
    {
      prefect_ctx_mutex_lock (&self->lock);
      if (self->task_run_ids == NULL)
        self->task_run_ids = g_strdupv (ids);
      prefect_ctx_mutex_unlock (&self->lock);
    }

  return ids;
}

/**
 * prefect_ctx_flow_run_view_get_task_run_ids:
 * @self: a flow run view
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Gets the IDs of every task run of the flow run, in the order the store
 * keeps them, as Prefect 1's `FlowRunView.get_task_run_ids ()` does. The
 * list is read from the store at each call while the flow run (as the view
 * shows it) is not finished; once it is, the list is cached.
 *
 * Returns: (transfer full): the IDs, or %NULL with @error set
 */
GStrv
prefect_ctx_flow_run_view_get_task_run_ids (PrefectCtxFlowRunView  *self,
                                            GCancellable           *cancellable,
                                            GError                **error)
{
  g_autoptr(GListModel) task_runs = NULL;
  GStrv ids;

  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self), NULL);
  g_return_val_if_fail (self->client != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ids = cached_task_run_ids (self);
  if (ids != NULL)
    return ids;

  task_runs = prefect_ctx_client_read_task_runs (self->client, prefect_ctx_flow_run_get_id (self->flow_run),
                                                 0, 0, cancellable, error);
  if (task_runs == NULL)
    return NULL;

  return task_run_ids_from (self, task_runs);
}

/**
 * prefect_ctx_flow_run_view_get_task_run_ids_async:
 * @self: a flow run view
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the IDs are ready
 * @user_data: data for @callback
 *
 * Starts [method@PrefectCtx.FlowRunView.get_task_run_ids] in a
 * worker thread; finish it with
 * [method@PrefectCtx.FlowRunView.get_task_run_ids_finish] in @callback.
 */
void
prefect_ctx_flow_run_view_get_task_run_ids_async (PrefectCtxFlowRunView *self,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data)
{
  ViewCall *call;

  g_return_if_fail (PREFECT_CTX_IS_FLOW_RUN_VIEW (self));
  g_return_if_fail (self->client != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  call = view_call_new (self);
  _prefect_ctx_blocking_async (self, prefect_ctx_flow_run_view_get_task_run_ids_async, get_task_run_ids_blocking, call, view_call_free,
                               (GDestroyNotify) g_strfreev, cancellable, callback, user_data);
}

/**
 * prefect_ctx_flow_run_view_get_task_run_ids_finish:
 * @self: a flow run view
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@PrefectCtx.FlowRunView.get_task_run_ids_async].
 *
 * Returns: (transfer full): the IDs, or %NULL with @error set
 */
GStrv
prefect_ctx_flow_run_view_get_task_run_ids_finish (PrefectCtxFlowRunView  *self,
                                                   GAsyncResult           *result,
                                                   GError                **error)
{
  return _prefect_ctx_blocking_finish (self, result, prefect_ctx_flow_run_view_get_task_run_ids_async, error);
}

