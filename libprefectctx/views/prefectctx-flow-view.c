/* prefectctx-flow-view.c: a view of a flow (Prefect 1's FlowView)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-flow-view.h"

/**
 * PrefectCtxFlowView:
 *
 * A view of the metadata of a flow as the store held it when the view was
 * made: Prefect 1's `FlowView`, as returned by
 * [method@PrefectCtx.FlowRunView.get_flow_metadata].
 *
 * A view is immutable. It shows the ID, name, version, description and tags
 * of the flow; [property@PrefectCtx.FlowView:flow] is the whole
 * [class@PrefectCtx.Flow] the store returned (retries, retry delay...).
 */

struct _PrefectCtxFlowView
{
  GObject parent_instance;

  PrefectCtxFlow *flow;
};

G_DEFINE_FINAL_TYPE (PrefectCtxFlowView, prefect_ctx_flow_view, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FLOW,
  PROP_FLOW_ID,
  PROP_NAME,
  PROP_VERSION,
  PROP_DESCRIPTION,
  PROP_TAGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
prefect_ctx_flow_view_constructed (GObject *object)
{
  PrefectCtxFlowView *self = PREFECT_CTX_FLOW_VIEW (object);

  G_OBJECT_CLASS (prefect_ctx_flow_view_parent_class)->constructed (object);

  if (self->flow == NULL)
    self->flow = g_object_new (PREFECT_CTX_TYPE_FLOW, NULL);
}

static void
prefect_ctx_flow_view_finalize (GObject *object)
{
  PrefectCtxFlowView *self = PREFECT_CTX_FLOW_VIEW (object);

  g_clear_object (&self->flow);

  G_OBJECT_CLASS (prefect_ctx_flow_view_parent_class)->finalize (object);
}

static void
prefect_ctx_flow_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PrefectCtxFlowView *self = PREFECT_CTX_FLOW_VIEW (object);

  switch (prop_id)
    {
    case PROP_FLOW:
      g_value_set_object (value, self->flow);
      break;

    case PROP_FLOW_ID:
      g_value_set_string (value, prefect_ctx_flow_get_id (self->flow));
      break;

    case PROP_NAME:
      g_value_set_string (value, prefect_ctx_flow_get_name (self->flow));
      break;

    case PROP_VERSION:
      g_value_set_string (value, prefect_ctx_flow_get_version (self->flow));
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, prefect_ctx_flow_get_description (self->flow));
      break;

    case PROP_TAGS:
      g_value_set_boxed (value, prefect_ctx_flow_get_tags (self->flow));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_flow_view_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  PrefectCtxFlowView *self = PREFECT_CTX_FLOW_VIEW (object);

  switch (prop_id)
    {
    case PROP_FLOW:
      self->flow = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_flow_view_class_init (PrefectCtxFlowViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = prefect_ctx_flow_view_constructed;
  object_class->finalize = prefect_ctx_flow_view_finalize;
  object_class->get_property = prefect_ctx_flow_view_get_property;
  object_class->set_property = prefect_ctx_flow_view_set_property;

  /**
   * PrefectCtxFlowView:flow:
   *
   * The flow the view shows, as the store returned it. Never %NULL once
   * constructed: a view made without one shows an empty flow.
   */
  properties[PROP_FLOW] =
    g_param_spec_object ("flow", NULL, NULL,
                         PREFECT_CTX_TYPE_FLOW,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowView:flow-id:
   *
   * The ID of the flow.
   */
  properties[PROP_FLOW_ID] =
    g_param_spec_string ("flow-id", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowView:name:
   *
   * The name of the flow.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowView:version:
   *
   * The version of the flow, or %NULL.
   */
  properties[PROP_VERSION] =
    g_param_spec_string ("version", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowView:description:
   *
   * The description of the flow, or %NULL.
   */
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowView:tags:
   *
   * The tags of the flow, sorted, without duplicates (Prefect 1's flow group
   * labels).
   */
  properties[PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_flow_view_init (PrefectCtxFlowView *self)
{
}

/**
 * prefect_ctx_flow_view_new_from_flow:
 * @flow: a flow read from a store
 *
 * Makes a view of @flow.
 *
 * Returns: (transfer full): a new view
 */
PrefectCtxFlowView *
prefect_ctx_flow_view_new_from_flow (PrefectCtxFlow *flow)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (flow), NULL);

  return g_object_new (PREFECT_CTX_TYPE_FLOW_VIEW, "flow", flow, NULL);
}

/**
 * prefect_ctx_flow_view_new_from_id:
 * @client: the store to read
 * @flow_id: the ID of the flow
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads a flow from @client and makes a view of it, as Prefect 1's
 * `FlowView.from_flow_id ()` does. An unknown ID is the
 * %PREFECT_CTX_ERROR_NOT_FOUND error of the store (`Flow not found`).
 *
 * Returns: (transfer full): a new view, or %NULL with @error set
 */
PrefectCtxFlowView *
prefect_ctx_flow_view_new_from_id (PrefectCtxClient  *client,
                                   const char        *flow_id,
                                   GCancellable      *cancellable,
                                   GError           **error)
{
  g_autoptr(PrefectCtxFlow) flow = NULL;

  g_return_val_if_fail (PREFECT_CTX_IS_CLIENT (client), NULL);
  g_return_val_if_fail (flow_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  flow = prefect_ctx_client_read_flow (client, flow_id, cancellable, error);
  if (flow == NULL)
    return NULL;

  return prefect_ctx_flow_view_new_from_flow (flow);
}

static void
new_from_id_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(PrefectCtxFlow) flow = NULL;
  GError *error = NULL;

  flow = prefect_ctx_client_read_flow_finish (PREFECT_CTX_CLIENT (source), result, &error);
  if (flow == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, prefect_ctx_flow_view_new_from_flow (flow), g_object_unref);
}

/**
 * prefect_ctx_flow_view_new_from_id_async:
 * @client: the store to read
 * @flow_id: the ID of the flow
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the view is ready
 * @user_data: data for @callback
 *
 * Starts [ctor@PrefectCtx.FlowView.new_from_id] with the asynchronous read
 * of @client; finish it with [ctor@PrefectCtx.FlowView.new_from_id_finish]
 * in @callback.
 */
void
prefect_ctx_flow_view_new_from_id_async (PrefectCtxClient    *client,
                                         const char          *flow_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PREFECT_CTX_IS_CLIENT (client));
  g_return_if_fail (flow_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, prefect_ctx_flow_view_new_from_id_async);
  prefect_ctx_client_read_flow_async (client, flow_id, cancellable, new_from_id_cb, task);
}

/**
 * prefect_ctx_flow_view_new_from_id_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [func@PrefectCtx.FlowView.new_from_id_async].
 *
 * Returns: (transfer full): a new view, or %NULL with @error set
 */
PrefectCtxFlowView *
prefect_ctx_flow_view_new_from_id_finish (GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prefect_ctx_flow_view_new_from_id_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * prefect_ctx_flow_view_get_flow:
 * @self: a flow view
 *
 * Gets the flow the view shows, as the store returned it.
 *
 * Returns: (transfer none): the flow
 */
PrefectCtxFlow *
prefect_ctx_flow_view_get_flow (PrefectCtxFlowView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_VIEW (self), NULL);

  return self->flow;
}

/**
 * prefect_ctx_flow_view_get_flow_id:
 * @self: a flow view
 *
 * Gets [property@PrefectCtx.FlowView:flow-id].
 *
 * Returns: (transfer none) (nullable): the ID of the flow
 */
const char *
prefect_ctx_flow_view_get_flow_id (PrefectCtxFlowView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_VIEW (self), NULL);

  return prefect_ctx_flow_get_id (self->flow);
}

/**
 * prefect_ctx_flow_view_get_name:
 * @self: a flow view
 *
 * Gets [property@PrefectCtx.FlowView:name].
 *
 * Returns: (transfer none) (nullable): the name of the flow
 */
const char *
prefect_ctx_flow_view_get_name (PrefectCtxFlowView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_VIEW (self), NULL);

  return prefect_ctx_flow_get_name (self->flow);
}

/**
 * prefect_ctx_flow_view_get_version:
 * @self: a flow view
 *
 * Gets [property@PrefectCtx.FlowView:version].
 *
 * Returns: (transfer none) (nullable): the version of the flow
 */
const char *
prefect_ctx_flow_view_get_version (PrefectCtxFlowView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_VIEW (self), NULL);

  return prefect_ctx_flow_get_version (self->flow);
}

/**
 * prefect_ctx_flow_view_get_description:
 * @self: a flow view
 *
 * Gets [property@PrefectCtx.FlowView:description].
 *
 * Returns: (transfer none) (nullable): the description of the flow
 */
const char *
prefect_ctx_flow_view_get_description (PrefectCtxFlowView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_VIEW (self), NULL);

  return prefect_ctx_flow_get_description (self->flow);
}

/**
 * prefect_ctx_flow_view_get_tags:
 * @self: a flow view
 *
 * Gets [property@PrefectCtx.FlowView:tags].
 *
 * Returns: (transfer none) (array zero-terminated=1): the tags, sorted;
 *   never %NULL
 */
const char * const *
prefect_ctx_flow_view_get_tags (PrefectCtxFlowView *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_VIEW (self), NULL);

  return prefect_ctx_flow_get_tags (self->flow);
}
