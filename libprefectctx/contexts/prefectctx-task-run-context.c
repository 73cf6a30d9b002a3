/* prefectctx-task-run-context.c: the context of a running task
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-task-run-context.h"
#include "prefectctx-context-private.h"
#include "models/prefectctx-json-private.h"

/* This kind's slot, set once the class is initialized. */
static int kind_slot = -1;

/**
 * PrefectCtxTaskRunContext:
 *
 * The context of a running task (Prefect's `TaskRunContext`): the task, its
 * task run, the parameters it was called with and whether `print` output is
 * logged.
 *
 * It declares the context kind `task_run`; subclasses share it.
 * [func@PrefectCtx.TaskRunContext.get_current] returns the current one.
 */

typedef struct
{
  PrefectCtxTask    *task;
  PrefectCtxTaskRun *task_run;
  GVariant          *parameters;
  gboolean           log_prints;
} PrefectCtxTaskRunContextPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (PrefectCtxTaskRunContext, prefect_ctx_task_run_context, PREFECT_CTX_TYPE_RUN_CONTEXT)

enum {
  PROP_0,
  PROP_TASK,
  PROP_TASK_RUN,
  PROP_PARAMETERS,
  PROP_LOG_PRINTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * prefect_ctx_task_run_context_new:
 * @task: (nullable): the task that runs
 * @task_run: (nullable): its task run
 * @parameters: (nullable): the parameters the task was called with, an
 *   `a{sv}` dictionary; %NULL means none. A floating reference is sunk.
 *
 * Makes a new, unentered task run context. Its other properties take their
 * defaults; use g_object_new() to set them.
 *
 * Returns: (transfer full): the new context
 */
PrefectCtxTaskRunContext *
prefect_ctx_task_run_context_new (PrefectCtxTask    *task,
                                  PrefectCtxTaskRun *task_run,
                                  GVariant          *parameters)
{
  g_return_val_if_fail (task == NULL || PREFECT_CTX_IS_TASK (task), NULL);
  g_return_val_if_fail (task_run == NULL || PREFECT_CTX_IS_TASK_RUN (task_run), NULL);
  g_return_val_if_fail (parameters == NULL ||
                        g_variant_is_of_type (parameters, G_VARIANT_TYPE_VARDICT), NULL);

  return g_object_new (PREFECT_CTX_TYPE_TASK_RUN_CONTEXT,
                       "task", task,
                       "task-run", task_run,
                       "parameters", parameters,
                       NULL);
}

/**
 * prefect_ctx_task_run_context_get_current:
 *
 * Gets the innermost task run context entered on the calling thread (or
 * installed by [method@PrefectCtx.Snapshot.run]).
 *
 * Returns: (transfer none) (nullable): the current task run context, or
 *   %NULL outside any task run
 */
PrefectCtxTaskRunContext *
prefect_ctx_task_run_context_get_current (void)
{
  return (PrefectCtxTaskRunContext *) _prefect_ctx_context_get_current_in_slot (g_atomic_int_get (&kind_slot));
}

/**
 * prefect_ctx_task_run_context_get_task:
 * @self: a task run context
 *
 * Gets the task that runs.
 *
 * Returns: (transfer none) (nullable): the task
 */
PrefectCtxTask *
prefect_ctx_task_run_context_get_task (PrefectCtxTaskRunContext *self)
{
  PrefectCtxTaskRunContextPrivate *priv = prefect_ctx_task_run_context_get_instance_private (self);

  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN_CONTEXT (self), NULL);

  return priv->task;
}

/**
 * prefect_ctx_task_run_context_get_task_run:
 * @self: a task run context
 *
 * Gets the task run.
 *
 * Returns: (transfer none) (nullable): the task run
 */
PrefectCtxTaskRun *
prefect_ctx_task_run_context_get_task_run (PrefectCtxTaskRunContext *self)
{
  PrefectCtxTaskRunContextPrivate *priv = prefect_ctx_task_run_context_get_instance_private (self);

  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN_CONTEXT (self), NULL);

  return priv->task_run;
}

/**
 * prefect_ctx_task_run_context_get_parameters:
 * @self: a task run context
 *
 * Gets the parameters the task was called with.
 *
 * Returns: (transfer none): the parameters, an `a{sv}` dictionary, empty if
 *   there are none
 */
GVariant *
prefect_ctx_task_run_context_get_parameters (PrefectCtxTaskRunContext *self)
{
  PrefectCtxTaskRunContextPrivate *priv = prefect_ctx_task_run_context_get_instance_private (self);

  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN_CONTEXT (self), NULL);

  return priv->parameters;
}

/**
 * prefect_ctx_task_run_context_get_log_prints:
 * @self: a task run context
 *
 * Tells whether what the task prints is sent to its run logger.
 *
 * Returns: %TRUE if prints are logged
 */
gboolean
prefect_ctx_task_run_context_get_log_prints (PrefectCtxTaskRunContext *self)
{
  PrefectCtxTaskRunContextPrivate *priv = prefect_ctx_task_run_context_get_instance_private (self);

  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN_CONTEXT (self), FALSE);

  return priv->log_prints;
}

static void
prefect_ctx_task_run_context_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  PrefectCtxTaskRunContext *self = PREFECT_CTX_TASK_RUN_CONTEXT (object);
  PrefectCtxTaskRunContextPrivate *priv = prefect_ctx_task_run_context_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_TASK:
      g_value_set_object (value, priv->task);
      break;

    case PROP_TASK_RUN:
      g_value_set_object (value, priv->task_run);
      break;

    case PROP_PARAMETERS:
      g_value_set_variant (value, priv->parameters);
      break;

    case PROP_LOG_PRINTS:
      g_value_set_boolean (value, priv->log_prints);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_task_run_context_set_property (GObject      *object,
                                           guint         prop_id,
                                           const GValue *value,
                                           GParamSpec   *pspec)
{
  PrefectCtxTaskRunContext *self = PREFECT_CTX_TASK_RUN_CONTEXT (object);
  PrefectCtxTaskRunContextPrivate *priv = prefect_ctx_task_run_context_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_TASK:
      g_set_object (&priv->task, g_value_get_object (value));
      break;

    case PROP_TASK_RUN:
      g_set_object (&priv->task_run, g_value_get_object (value));
      break;

    case PROP_PARAMETERS:
      g_clear_pointer (&priv->parameters, g_variant_unref);
      priv->parameters = _prefect_ctx_model_normalize_vardict (g_value_get_variant (value));
      break;

    case PROP_LOG_PRINTS:
      priv->log_prints = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_task_run_context_finalize (GObject *object)
{
  PrefectCtxTaskRunContext *self = PREFECT_CTX_TASK_RUN_CONTEXT (object);
  PrefectCtxTaskRunContextPrivate *priv = prefect_ctx_task_run_context_get_instance_private (self);

  g_clear_object (&priv->task);
  g_clear_object (&priv->task_run);
  g_clear_pointer (&priv->parameters, g_variant_unref);

  G_OBJECT_CLASS (prefect_ctx_task_run_context_parent_class)->finalize (object);
}

static void
prefect_ctx_task_run_context_class_init (PrefectCtxTaskRunContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PrefectCtxContextClass *context_class = PREFECT_CTX_CONTEXT_CLASS (klass);

  object_class->get_property = prefect_ctx_task_run_context_get_property;
  object_class->set_property = prefect_ctx_task_run_context_set_property;
  object_class->finalize = prefect_ctx_task_run_context_finalize;

  prefect_ctx_context_class_declare_kind (context_class, "task_run");
  g_atomic_int_set (&kind_slot, _prefect_ctx_context_class_get_slot (context_class));

  /**
   * PrefectCtxTaskRunContext:task: (getter get_task)
   *
   * The task that runs.
   */
  properties[PROP_TASK] =
    g_param_spec_object ("task", NULL, NULL,
                         PREFECT_CTX_TYPE_TASK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRunContext:task-run: (getter get_task_run)
   *
   * The task run.
   */
  properties[PROP_TASK_RUN] =
    g_param_spec_object ("task-run", NULL, NULL,
                         PREFECT_CTX_TYPE_TASK_RUN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRunContext:parameters: (getter get_parameters)
   *
   * The parameters the task was called with, an `a{sv}` dictionary. %NULL
   * when constructing means none: the property then reads as an empty
   * dictionary.
   */
  properties[PROP_PARAMETERS] =
    g_param_spec_variant ("parameters", NULL, NULL,
                          G_VARIANT_TYPE_VARDICT, NULL,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRunContext:log-prints: (getter get_log_prints)
   *
   * Whether what the task prints is sent to its run logger.
   */
  properties[PROP_LOG_PRINTS] =
    g_param_spec_boolean ("log-prints", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_task_run_context_init (PrefectCtxTaskRunContext *self)
{
}
