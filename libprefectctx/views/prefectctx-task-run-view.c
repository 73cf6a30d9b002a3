/* prefectctx-task-run-view.c: a view of one task run (Prefect 1's TaskRunView)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-task-run-view.h"

/**
 * PrefectCtxTaskRunView:
 *
 * A view of one task run as the store held it when the view was made:
 * Prefect 1's `TaskRunView`.
 *
 * A view is immutable. It gives the task run in the terms of Prefect 1:
 *
 * - [property@PrefectCtx.TaskRunView:task-run-id], the ID of the task run;
 * - [property@PrefectCtx.TaskRunView:task-id], the task the run is of: its
 *   task key (such as `add` or `__main__.add`);
 * - [property@PrefectCtx.TaskRunView:task-slug], which tells apart the calls
 *   of one task in a flow run: the task key and the dynamic key joined by a
 *   dash (`add-0`, `add-1`...), like the slugs of Prefect 1 and the default
 *   task run names of Prefect 2;
 * - [property@PrefectCtx.TaskRunView:map-index], -1 when the run is not the
 *   child of a mapped task;
 * - [property@PrefectCtx.TaskRunView:state], never %NULL: a task run without
 *   a state shows a `Scheduled` state.
 *
 * Views of task runs are usually obtained from a
 * [class@PrefectCtx.FlowRunView], which caches the finished ones.
 */

struct _PrefectCtxTaskRunView
{
  GObject parent_instance;

  PrefectCtxTaskRun *task_run;
  char              *task_slug;
  PrefectCtxState   *state;
};

G_DEFINE_FINAL_TYPE (PrefectCtxTaskRunView, prefect_ctx_task_run_view, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TASK_RUN,
  PROP_TASK_RUN_ID,
  PROP_TASK_ID,
  PROP_TASK_SLUG,
  PROP_NAME,
  PROP_STATE,
  PROP_MAP_INDEX,
  PROP_FLOW_RUN_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
prefect_ctx_task_run_view_constructed (GObject *object)
{
  PrefectCtxTaskRunView *self = PREFECT_CTX_TASK_RUN_VIEW (object);
  const char *task_key;
  const char *dynamic_key;

  G_OBJECT_CLASS (prefect_ctx_task_run_view_parent_class)->constructed (object);

  if (self->task_run == NULL)
    self->task_run = g_object_new (PREFECT_CTX_TYPE_TASK_RUN, NULL);

  task_key = prefect_ctx_task_run_get_task_key (self->task_run);
  dynamic_key = prefect_ctx_task_run_get_dynamic_key (self->task_run);
  if (task_key != NULL && dynamic_key != NULL)
    self->task_slug = g_strdup_printf ("%s-%s", task_key, dynamic_key);
  else
    self->task_slug = g_strdup (task_key);

  if (prefect_ctx_task_run_get_state (self->task_run) != NULL)
    self->state = g_object_ref (prefect_ctx_task_run_get_state (self->task_run));
  else
    self->state = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_SCHEDULED, NULL, NULL);
}

static void
prefect_ctx_task_run_view_finalize (GObject *object)
{
  PrefectCtxTaskRunView *self = PREFECT_CTX_TASK_RUN_VIEW (object);

  g_clear_object (&self->task_run);
  g_clear_pointer (&self->task_slug, g_free);
  g_clear_object (&self->state);

  G_OBJECT_CLASS (prefect_ctx_task_run_view_parent_class)->finalize (object);
}

static void
prefect_ctx_task_run_view_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  PrefectCtxTaskRunView *self = PREFECT_CTX_TASK_RUN_VIEW (object);

  switch (prop_id)
    {
    case PROP_TASK_RUN:
      g_value_set_object (value, self->task_run);
      break;

    case PROP_TASK_RUN_ID:
      g_value_set_string (value, prefect_ctx_task_run_view_get_task_run_id (self));
      break;

    case PROP_TASK_ID:
      g_value_set_string (value, prefect_ctx_task_run_view_get_task_id (self));
      break;

    case PROP_TASK_SLUG:
      g_value_set_string (value, self->task_slug);
      break;

    case PROP_NAME:
      g_value_set_string (value, prefect_ctx_task_run_view_get_name (self));
      break;

    case PROP_STATE:
      g_value_set_object (value, self->state);
      break;

    case PROP_MAP_INDEX:
      g_value_set_int (value, prefect_ctx_task_run_view_get_map_index (self));
      break;

    case PROP_FLOW_RUN_ID:
      g_value_set_string (value, prefect_ctx_task_run_view_get_flow_run_id (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_task_run_view_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  PrefectCtxTaskRunView *self = PREFECT_CTX_TASK_RUN_VIEW (object);

  switch (prop_id)
    {
    case PROP_TASK_RUN:
      self->task_run = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_task_run_view_class_init (PrefectCtxTaskRunViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = prefect_ctx_task_run_view_constructed;
  object_class->finalize = prefect_ctx_task_run_view_finalize;
  object_class->get_property = prefect_ctx_task_run_view_get_property;
  object_class->set_property = prefect_ctx_task_run_view_set_property;

  /**
   * PrefectCtxTaskRunView:task-run:
   *
   * The task run the view shows, as the store returned it. Never %NULL once
   * constructed: a view made without one shows an empty task run.
   */
  properties[PROP_TASK_RUN] =
    g_param_spec_object ("task-run", NULL, NULL,
                         PREFECT_CTX_TYPE_TASK_RUN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRunView:task-run-id:
   *
   * The ID of the task run.
   */
  properties[PROP_TASK_RUN_ID] =
    g_param_spec_string ("task-run-id", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRunView:task-id:
   *
   * The task the run is of: its task key, such as `add` (Prefect 1's
   * `task_id`), or %NULL when the store does not know it.
   */
  properties[PROP_TASK_ID] =
    g_param_spec_string ("task-id", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRunView:task-slug:
   *
   * The slug of the task run in its flow run: the task key and the dynamic
   * key joined by a dash, such as `add-0` for the first call of `add` (the
   * task key alone when the run has no dynamic key; %NULL without a task
   * key).
   */
  properties[PROP_TASK_SLUG] =
    g_param_spec_string ("task-slug", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRunView:name:
   *
   * The name of the task run, such as `add-0`.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRunView:state:
   *
   * The state of the task run. Never %NULL: a task run without a state shows
   * a `Scheduled` state without a message.
   */
  properties[PROP_STATE] =
    g_param_spec_object ("state", NULL, NULL,
                         PREFECT_CTX_TYPE_STATE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRunView:map-index:
   *
   * The index of the run among the children of a mapped task, or -1 when
   * the run is not a child of a mapped task.
   */
  properties[PROP_MAP_INDEX] =
    g_param_spec_int ("map-index", NULL, NULL,
                      -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRunView:flow-run-id:
   *
   * The ID of the flow run the task run belongs to, or %NULL.
   */
  properties[PROP_FLOW_RUN_ID] =
    g_param_spec_string ("flow-run-id", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_task_run_view_init (PrefectCtxTaskRunView *self)
{
}

/**
 * prefect_ctx_task_run_view_new_from_task_run:
 * @task_run: a task run read from a store
 *
 * Makes a view of @task_run.
 *
 * Returns: (transfer full): a new view
 */
PrefectCtxTaskRunView *
prefect_ctx_task_run_view_new_from_task_run (PrefectCtxTaskRun *task_run)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN (task_run), NULL);

  return g_object_new (PREFECT_CTX_TYPE_TASK_RUN_VIEW, "task-run", task_run, NULL);
}

/**
 * prefect_ctx_task_run_view_new_from_id:
 * @client: the store to read
 * @task_run_id: the ID of the task run
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads a task run from @client and makes a view of it, as Prefect 1's
 * `TaskRunView.from_task_run_id ()` does. An unknown ID is the
 * %PREFECT_CTX_ERROR_NOT_FOUND error of the store (`Task run not found`).
 *
 * Returns: (transfer full): a new view, or %NULL with @error set
 */
PrefectCtxTaskRunView *
prefect_ctx_task_run_view_new_from_id (PrefectCtxClient  *client,
                                       const char        *task_run_id,
                                       GCancellable      *cancellable,
                                       GError           **error)
{
  g_autoptr(PrefectCtxTaskRun) task_run = NULL;

  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (client), NULL);
  g_return_val_if_fail (task_run_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  task_run = prefect_ctx_client_read_task_run (client, task_run_id, cancellable, error);
  if (task_run == NULL)
    return NULL;

  return prefect_ctx_task_run_view_new_from_task_run (task_run);
}

static void
new_from_id_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(PrefectCtxTaskRun) task_run = NULL;
  GError *error = NULL;

  task_run = prefect_ctx_client_read_task_run_finish (PREFECT_CTX_CLIENT (source), result, &error);
  if (task_run == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, prefect_ctx_task_run_view_new_from_task_run (task_run),
                           g_object_unref);
}

/**
 * prefect_ctx_task_run_view_new_from_id_async:
 * @client: the store to read
 * @task_run_id: the ID of the task run
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the view is ready
 * @user_data: data for @callback
 *
 * Starts [ctor@PrefectCtx.TaskRunView.new_from_id] with the asynchronous
 * read of @client; finish it with
 * [ctor@PrefectCtx.TaskRunView.new_from_id_finish] in @callback.
 */
void
prefect_ctx_task_run_view_new_from_id_async (PrefectCtxClient    *client,
                                             const char          *task_run_id,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (client));
  g_return_if_fail (task_run_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, prefect_ctx_task_run_view_new_from_id_async);
  prefect_ctx_client_read_task_run_async (client, task_run_id, cancellable, new_from_id_cb, task);
}

/**
 * prefect_ctx_task_run_view_new_from_id_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [func@PrefectCtx.TaskRunView.new_from_id_async].
 *
 * Returns: (transfer full): a new view, or %NULL with @error set
 */
PrefectCtxTaskRunView *
prefect_ctx_task_run_view_new_from_id_finish (GAsyncResult  *result,
                                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_task_run_view_new_from_id_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_task_run_view_get_task_run:
 * @self: a task run view
 *
 * Gets the task run the view shows, as the store returned it.
 *
 * Returns: (transfer none): the task run
 */
PrefectCtxTaskRun *
prefect_ctx_task_run_view_get_task_run (PrefectCtxTaskRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN_VIEW (self), NULL);

  return self->task_run;
}

/**
 * prefect_ctx_task_run_view_get_task_run_id:
 * @self: a task run view
 *
 * Gets [property@PrefectCtx.TaskRunView:task-run-id].
 *
 * Returns: (transfer none) (nullable): the ID of the task run
 */
const char *
prefect_ctx_task_run_view_get_task_run_id (PrefectCtxTaskRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN_VIEW (self), NULL);

  return prefect_ctx_task_run_get_id (self->task_run);
}

/**
 * prefect_ctx_task_run_view_get_task_id:
 * @self: a task run view
 *
 * Gets [property@PrefectCtx.TaskRunView:task-id], the task key.
 *
 * Returns: (transfer none) (nullable): the task key
 */
const char *
prefect_ctx_task_run_view_get_task_id (PrefectCtxTaskRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN_VIEW (self), NULL);

  return prefect_ctx_task_run_get_task_key (self->task_run);
}

/**
 * prefect_ctx_task_run_view_get_task_slug:
 * @self: a task run view
 *
 * Gets [property@PrefectCtx.TaskRunView:task-slug], such as `add-0`.
 *
 * Returns: (transfer none) (nullable): the slug
 */
const char *
prefect_ctx_task_run_view_get_task_slug (PrefectCtxTaskRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN_VIEW (self), NULL);

  return self->task_slug;
}

/**
 * prefect_ctx_task_run_view_get_name:
 * @self: a task run view
 *
 * Gets [property@PrefectCtx.TaskRunView:name].
 *
 * Returns: (transfer none) (nullable): the name of the task run
 */
const char *
prefect_ctx_task_run_view_get_name (PrefectCtxTaskRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN_VIEW (self), NULL);

  return prefect_ctx_task_run_get_name (self->task_run);
}

/**
 * prefect_ctx_task_run_view_get_state:
 * @self: a task run view
 *
 * Gets [property@PrefectCtx.TaskRunView:state]: `Scheduled` when the task
 * run has no state.
 *
 * Returns: (transfer none): the state
 */
PrefectCtxState *
prefect_ctx_task_run_view_get_state (PrefectCtxTaskRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN_VIEW (self), NULL);

  return self->state;
}

/**
 * prefect_ctx_task_run_view_get_map_index:
 * @self: a task run view
 *
 * Gets [property@PrefectCtx.TaskRunView:map-index].
 *
 * Returns: the map index, -1 when the run is not mapped
 */
int
prefect_ctx_task_run_view_get_map_index (PrefectCtxTaskRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN_VIEW (self), -1);

  return prefect_ctx_task_run_get_map_index (self->task_run);
}

/**
 * prefect_ctx_task_run_view_get_flow_run_id:
 * @self: a task run view
 *
 * Gets [property@PrefectCtx.TaskRunView:flow-run-id].
 *
 * Returns: (transfer none) (nullable): the ID of the flow run
 */
const char *
prefect_ctx_task_run_view_get_flow_run_id (PrefectCtxTaskRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN_VIEW (self), NULL);

  return prefect_ctx_task_run_get_flow_run_id (self->task_run);
}

/**
 * prefect_ctx_task_run_view_is_finished:
 * @self: a task run view
 *
 * Checks whether the state of the task run is a finished one (`COMPLETED`,
 * `FAILED`, `CANCELLED` or `CRASHED`): only such views are cached by a
 * [class@PrefectCtx.FlowRunView].
 *
 * Returns: whether the task run is finished
 */
gboolean
prefect_ctx_task_run_view_is_finished (PrefectCtxTaskRunView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN_VIEW (self), FALSE);

  return prefect_ctx_state_is_finished (self->state);
}
