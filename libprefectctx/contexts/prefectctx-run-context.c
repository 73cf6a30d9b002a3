/* prefectctx-run-context.c: the base of the flow run and task run contexts
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-run-context.h"

#include "core/prefectctx-error.h"
#include "contexts/prefectctx-flow-run-context.h"
#include "contexts/prefectctx-task-run-context.h"
#include "models/prefectctx-flow-run.h"
#include "models/prefectctx-task-run.h"

/**
 * PrefectCtxRunContext:
 *
 * The abstract base of the contexts of a run: [class@PrefectCtx.FlowRunContext]
 * and [class@PrefectCtx.TaskRunContext].
 *
 * It declares no context kind of its own: each subclass does. It holds what
 * every run context has: the time the run started and the client of the run
 * store the run reports to.
 *
 * [func@PrefectCtx.get_run_context] returns the run context that code should
 * see: the task run context inside a task, else the flow run context.
 */

typedef struct
{
  GDateTime *start_time;
  GObject   *client;
} PrefectCtxRunContextPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (PrefectCtxRunContext, prefect_ctx_run_context, PREFECT_CTX_TYPE_CONTEXT)

enum {
  PROP_0,
  PROP_START_TIME,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * prefect_ctx_run_context_get_start_time:
 * @self: a run context
 *
 * Gets the time the run started, in UTC.
 *
 * Returns: (transfer none): the start time
 */
GDateTime *
prefect_ctx_run_context_get_start_time (PrefectCtxRunContext *self)
{
  PrefectCtxRunContextPrivate *priv = prefect_ctx_run_context_get_instance_private (self);

  g_return_val_if_fail (PREFECT_CTX_IS_RUN_CONTEXT (self), NULL);

  return priv->start_time;
}

/**
 * prefect_ctx_run_context_get_client:
 * @self: a run context
 *
 * Gets the client of the run store the run reports to (Prefect's
 * `FlowRunContext.client`): what the engine records the run's states, task
 * runs and logs through.
 *
 * Returns: (transfer none) (nullable): the client, or %NULL if the context
 *   was made without one
 */
PrefectCtxClient *
prefect_ctx_run_context_get_client (PrefectCtxRunContext *self)
{
  PrefectCtxRunContextPrivate *priv = prefect_ctx_run_context_get_instance_private (self);

  g_return_val_if_fail (PREFECT_CTX_IS_RUN_CONTEXT (self), NULL);

  return (PrefectCtxClient *) priv->client;
}

/**
 * prefect_ctx_get_run_context:
 * @error: return location for a #GError
 *
 * Gets the run context of the calling thread: the current
 * [class@PrefectCtx.TaskRunContext] if there is one, else the current
 * [class@PrefectCtx.FlowRunContext].
 *
 * As in Prefect 3.6.1 and later, when both are current but the task run
 * belongs to another flow run than the flow run context's (a subflow running
 * inside a task), the flow run context wins.
 *
 * With neither, this fails with %PREFECT_CTX_ERROR_MISSING_CONTEXT
 * (`No run context available. You are not in a flow or task run context.`).
 *
 * Returns: (transfer none): the run context, or %NULL with @error set
 */
PrefectCtxRunContext *
prefect_ctx_get_run_context (GError **error)
{
  PrefectCtxTaskRunContext *task_ctx;
  PrefectCtxFlowRunContext *flow_ctx;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  task_ctx = prefect_ctx_task_run_context_get_current ();
  flow_ctx = prefect_ctx_flow_run_context_get_current ();

  if (task_ctx != NULL && flow_ctx != NULL)
    {
      PrefectCtxTaskRun *task_run = prefect_ctx_task_run_context_get_task_run (task_ctx);
      PrefectCtxFlowRun *flow_run = prefect_ctx_flow_run_context_get_flow_run (flow_ctx);

      if (task_run != NULL && flow_run != NULL &&
          g_strcmp0 (prefect_ctx_task_run_get_flow_run_id (task_run),
                     prefect_ctx_flow_run_get_id (flow_run)) != 0)
        return PREFECT_CTX_RUN_CONTEXT (flow_ctx);
    }

  if (task_ctx != NULL)
    return PREFECT_CTX_RUN_CONTEXT (task_ctx);
  if (flow_ctx != NULL)
    return PREFECT_CTX_RUN_CONTEXT (flow_ctx);

  g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_MISSING_CONTEXT,
                       "No run context available. You are not in a flow or task run context.");
  return NULL;
}

static void
prefect_ctx_run_context_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  PrefectCtxRunContext *self = PREFECT_CTX_RUN_CONTEXT (object);
  PrefectCtxRunContextPrivate *priv = prefect_ctx_run_context_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_START_TIME:
      g_value_set_boxed (value, priv->start_time);
      break;

    case PROP_CLIENT:
      g_value_set_object (value, priv->client);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_run_context_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  PrefectCtxRunContext *self = PREFECT_CTX_RUN_CONTEXT (object);
  PrefectCtxRunContextPrivate *priv = prefect_ctx_run_context_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_START_TIME:
      {
        GDateTime *time = g_value_get_boxed (value);

        g_clear_pointer (&priv->start_time, g_date_time_unref);
        priv->start_time = time != NULL ? g_date_time_to_utc (time) : g_date_time_new_now_utc ();
      }
      break;

    case PROP_CLIENT:
      priv->client = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_run_context_finalize (GObject *object)
{
  PrefectCtxRunContext *self = PREFECT_CTX_RUN_CONTEXT (object);
  PrefectCtxRunContextPrivate *priv = prefect_ctx_run_context_get_instance_private (self);

  g_clear_pointer (&priv->start_time, g_date_time_unref);
  g_clear_object (&priv->client);

  G_OBJECT_CLASS (prefect_ctx_run_context_parent_class)->finalize (object);
}

static void
prefect_ctx_run_context_class_init (PrefectCtxRunContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = prefect_ctx_run_context_get_property;
  object_class->set_property = prefect_ctx_run_context_set_property;
  object_class->finalize = prefect_ctx_run_context_finalize;

  /**
   * PrefectCtxRunContext:start-time: (getter get_start_time)
   *
   * The time the run started, in UTC. When not given (or %NULL), the time
   * the context was made.
   */
  properties[PROP_START_TIME] =
    g_param_spec_boxed ("start-time", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxRunContext:client: (getter get_client)
   *
   * The client of the run store the run reports to, a
   * [iface@PrefectCtx.Client], or %NULL. The property's type is #GObject
   * because this layer comes before the client layer; an object that does
   * not implement [iface@PrefectCtx.Client] must not be given.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         G_TYPE_OBJECT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_run_context_init (PrefectCtxRunContext *self)
{
}
