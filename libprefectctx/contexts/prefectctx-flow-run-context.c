/* prefectctx-flow-run-context.c: the context of a running flow
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-flow-run-context.h"
#include "prefectctx-context-private.h"
#include "models/prefectctx-json-private.h"
#include "prefectctx-tsan-private.h"

/* This kind's slot, set once the class is initialized. */
static int kind_slot = -1;

/**
 * PrefectCtxFlowRunContext:
 *
 * The context of a running flow (Prefect's `FlowRunContext`, called
 * `EngineContext` in Prefect 3): the flow, its flow run, the parameters it
 * was called with and whether `print` output is logged.
 *
 * It declares the context kind `flow_run`; subclasses share it.
 * [func@PrefectCtx.FlowRunContext.get_current] returns the current one.
 *
 * Like every context it is immutable. The one piece of mutable, run-scoped
 * bookkeeping is the dynamic key counters behind
 * [method@PrefectCtx.FlowRunContext.next_dynamic_key], which are thread-safe.
 */

/* The next dynamic key of each task key of one flow run. */
typedef struct
{
  GMutex      lock;
  GHashTable *next;   /* task key (owned) -> GUINT_TO_POINTER (next key) */
} DynamicKeys;

typedef struct
{
  PrefectCtxFlow    *flow;
  PrefectCtxFlowRun *flow_run;
  GVariant          *parameters;
  gboolean           log_prints;
  gboolean           detached;

  DynamicKeys       *dynamic_keys;        /* owned by flow_run, or by us */
  DynamicKeys       *owned_dynamic_keys;  /* when there is no flow run */
} PrefectCtxFlowRunContextPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (PrefectCtxFlowRunContext, prefect_ctx_flow_run_context, PREFECT_CTX_TYPE_RUN_CONTEXT)

enum {
  PROP_0,
  PROP_FLOW,
  PROP_FLOW_RUN,
  PROP_PARAMETERS,
  PROP_LOG_PRINTS,
  PROP_DETACHED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GMutex dynamic_keys_attach_lock;

static DynamicKeys *
dynamic_keys_new (void)
{
  DynamicKeys *keys = g_new0 (DynamicKeys, 1);

  g_mutex_init (&keys->lock);
  keys->next = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  return keys;
}

static void
dynamic_keys_free (gpointer data)
{
  DynamicKeys *keys = data;

  g_hash_table_unref (keys->next);
  g_mutex_clear (&keys->lock);
  g_free (keys);
}

/* The counters of @flow_run, attached to it the first time they are needed,
 * so that every context of the same flow run object shares them. */
static DynamicKeys *
dynamic_keys_for_flow_run (PrefectCtxFlowRun *flow_run)
{
  GQuark quark;
  DynamicKeys *keys;

  prefect_ctx_mutex_lock (&dynamic_keys_attach_lock);
  quark = g_quark_from_static_string ("prefect-ctx-flow-run-dynamic-keys");
  keys = g_object_get_qdata (G_OBJECT (flow_run), quark);
  if (keys == NULL)
    {
      keys = dynamic_keys_new ();
      g_object_set_qdata_full (G_OBJECT (flow_run), quark, keys, dynamic_keys_free);
    }
  prefect_ctx_mutex_unlock (&dynamic_keys_attach_lock);

  return keys;
}

/**
 * prefect_ctx_flow_run_context_new:
 * @flow: (nullable): the flow that runs
 * @flow_run: (nullable): its flow run
 * @parameters: (nullable): the parameters the flow was called with, an
 *   `a{sv}` dictionary; %NULL means none. A floating reference is sunk.
 *
 * Makes a new, unentered flow run context. Its other properties take their
 * defaults; use g_object_new() to set them.
 *
 * Returns: (transfer full): the new context
 */
PrefectCtxFlowRunContext *
prefect_ctx_flow_run_context_new (PrefectCtxFlow    *flow,
                                  PrefectCtxFlowRun *flow_run,
                                  GVariant          *parameters)
{
  g_return_val_if_fail (flow == NULL || PREFECT_CTX_IS_FLOW (flow), NULL);
  g_return_val_if_fail (flow_run == NULL || PREFECT_CTX_IS_FLOW_RUN (flow_run), NULL);
  g_return_val_if_fail (parameters == NULL ||
                        g_variant_is_of_type (parameters, G_VARIANT_TYPE_VARDICT), NULL);

  return g_object_new (PREFECT_CTX_TYPE_FLOW_RUN_CONTEXT,
                       "flow", flow,
                       "flow-run", flow_run,
                       "parameters", parameters,
                       NULL);
}

/**
 * prefect_ctx_flow_run_context_get_current:
 *
 * Gets the innermost flow run context entered on the calling thread (or
 * installed by [method@PrefectCtx.Snapshot.run]).
 *
 * Returns: (transfer none) (nullable): the current flow run context, or
 *   %NULL outside any flow run
 */
PrefectCtxFlowRunContext *
prefect_ctx_flow_run_context_get_current (void)
{
  return (PrefectCtxFlowRunContext *) _prefect_ctx_context_get_current_in_slot (g_atomic_int_get (&kind_slot));
}

/**
 * prefect_ctx_flow_run_context_get_flow:
 * @self: a flow run context
 *
 * Gets the flow that runs.
 *
 * Returns: (transfer none) (nullable): the flow
 */
PrefectCtxFlow *
prefect_ctx_flow_run_context_get_flow (PrefectCtxFlowRunContext *self)
{
  PrefectCtxFlowRunContextPrivate *priv = prefect_ctx_flow_run_context_get_instance_private (self);

  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_CONTEXT (self), NULL);

  return priv->flow;
}

/**
 * prefect_ctx_flow_run_context_get_flow_run:
 * @self: a flow run context
 *
 * Gets the flow run.
 *
 * Returns: (transfer none) (nullable): the flow run
 */
PrefectCtxFlowRun *
prefect_ctx_flow_run_context_get_flow_run (PrefectCtxFlowRunContext *self)
{
  PrefectCtxFlowRunContextPrivate *priv = prefect_ctx_flow_run_context_get_instance_private (self);

  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_CONTEXT (self), NULL);

  return priv->flow_run;
}

/**
 * prefect_ctx_flow_run_context_get_parameters:
 * @self: a flow run context
 *
 * Gets the parameters the flow was called with.
 *
 * Returns: (transfer none): the parameters, an `a{sv}` dictionary, empty if
 *   there are none
 */
GVariant *
prefect_ctx_flow_run_context_get_parameters (PrefectCtxFlowRunContext *self)
{
  PrefectCtxFlowRunContextPrivate *priv = prefect_ctx_flow_run_context_get_instance_private (self);

  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_CONTEXT (self), NULL);

  return priv->parameters;
}

/**
 * prefect_ctx_flow_run_context_get_log_prints:
 * @self: a flow run context
 *
 * Tells whether what the flow prints is sent to its run logger.
 *
 * Returns: %TRUE if prints are logged
 */
gboolean
prefect_ctx_flow_run_context_get_log_prints (PrefectCtxFlowRunContext *self)
{
  PrefectCtxFlowRunContextPrivate *priv = prefect_ctx_flow_run_context_get_instance_private (self);

  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_CONTEXT (self), FALSE);

  return priv->log_prints;
}

/**
 * prefect_ctx_flow_run_context_get_detached:
 * @self: a flow run context
 *
 * Tells whether this context was rebuilt in another process from a
 * serialized one (Prefect 3's `detached`).
 *
 * Returns: %TRUE if the context is detached
 */
gboolean
prefect_ctx_flow_run_context_get_detached (PrefectCtxFlowRunContext *self)
{
  PrefectCtxFlowRunContextPrivate *priv = prefect_ctx_flow_run_context_get_instance_private (self);

  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_CONTEXT (self), FALSE);

  return priv->detached;
}

/**
 * prefect_ctx_flow_run_context_next_dynamic_key:
 * @self: a flow run context
 * @task_key: the key of a task
 *
 * Hands out the next dynamic key of @task_key in this flow run: `"0"` the
 * first time, then `"1"`, `"2"`, ... Each task key counts on its own. The
 * engine gives each task run of the flow run the next key of its task, so
 * that (flow run, task key, dynamic key) names one task run.
 *
 * The counters are run-scoped: they belong to the
 * [property@PrefectCtx.FlowRunContext:flow-run] object, so every context
 * made for the same flow run object, including copies made with
 * [method@PrefectCtx.Context.copy_with] (which, like Prefect's shallow model
 * copy, share the counters), hands out keys from the same sequence and never
 * the same key twice. A context without a flow run has counters of its own;
 * so does a context made for a different flow run object, even one with the
 * same id.
 *
 * A [property@PrefectCtx.FlowRunContext:detached] context (rebuilt in
 * another process from a serialized one) runs beside the process that owns
 * the counters, so, as in Prefect 3, it hands out a random UUID instead.
 *
 * This method is thread-safe.
 *
 * Returns: (transfer full): the dynamic key, a decimal number (a UUID for a
 *   detached context)
 */
char *
prefect_ctx_flow_run_context_next_dynamic_key (PrefectCtxFlowRunContext *self,
                                               const char               *task_key)
{
  PrefectCtxFlowRunContextPrivate *priv = prefect_ctx_flow_run_context_get_instance_private (self);
  DynamicKeys *keys;
  guint next;

  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN_CONTEXT (self), NULL);
  g_return_val_if_fail (task_key != NULL, NULL);

  if (priv->detached)
    return g_uuid_string_random ();

  keys = priv->dynamic_keys;

  prefect_ctx_mutex_lock (&keys->lock);
  next = GPOINTER_TO_UINT (g_hash_table_lookup (keys->next, task_key));
  /* An existing key is kept and the new copy freed. */
  g_hash_table_insert (keys->next, g_strdup (task_key), GUINT_TO_POINTER (next + 1));
  prefect_ctx_mutex_unlock (&keys->lock);

  return g_strdup_printf ("%u", next);
}

static void
prefect_ctx_flow_run_context_constructed (GObject *object)
{
  PrefectCtxFlowRunContext *self = PREFECT_CTX_FLOW_RUN_CONTEXT (object);
  PrefectCtxFlowRunContextPrivate *priv = prefect_ctx_flow_run_context_get_instance_private (self);

  G_OBJECT_CLASS (prefect_ctx_flow_run_context_parent_class)->constructed (object);

  if (priv->flow_run != NULL)
    priv->dynamic_keys = dynamic_keys_for_flow_run (priv->flow_run);
  else
    priv->dynamic_keys = priv->owned_dynamic_keys = dynamic_keys_new ();
}

static void
prefect_ctx_flow_run_context_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  PrefectCtxFlowRunContext *self = PREFECT_CTX_FLOW_RUN_CONTEXT (object);
  PrefectCtxFlowRunContextPrivate *priv = prefect_ctx_flow_run_context_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_FLOW:
      g_value_set_object (value, priv->flow);
      break;

    case PROP_FLOW_RUN:
      g_value_set_object (value, priv->flow_run);
      break;

    case PROP_PARAMETERS:
      g_value_set_variant (value, priv->parameters);
      break;

    case PROP_LOG_PRINTS:
      g_value_set_boolean (value, priv->log_prints);
      break;

    case PROP_DETACHED:
      g_value_set_boolean (value, priv->detached);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_flow_run_context_set_property (GObject      *object,
                                           guint         prop_id,
                                           const GValue *value,
                                           GParamSpec   *pspec)
{
  PrefectCtxFlowRunContext *self = PREFECT_CTX_FLOW_RUN_CONTEXT (object);
  PrefectCtxFlowRunContextPrivate *priv = prefect_ctx_flow_run_context_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_FLOW:
      g_set_object (&priv->flow, g_value_get_object (value));
      break;

    case PROP_FLOW_RUN:
      g_set_object (&priv->flow_run, g_value_get_object (value));
      break;

    case PROP_PARAMETERS:
      g_clear_pointer (&priv->parameters, g_variant_unref);
      priv->parameters = _prefect_ctx_model_normalize_vardict (g_value_get_variant (value));
      break;

    case PROP_LOG_PRINTS:
      priv->log_prints = g_value_get_boolean (value);
      break;

    case PROP_DETACHED:
      priv->detached = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_flow_run_context_finalize (GObject *object)
{
  PrefectCtxFlowRunContext *self = PREFECT_CTX_FLOW_RUN_CONTEXT (object);
  PrefectCtxFlowRunContextPrivate *priv = prefect_ctx_flow_run_context_get_instance_private (self);

  priv->dynamic_keys = NULL;
  g_clear_pointer (&priv->owned_dynamic_keys, dynamic_keys_free);
  g_clear_object (&priv->flow);
  g_clear_object (&priv->flow_run);
  g_clear_pointer (&priv->parameters, g_variant_unref);

  G_OBJECT_CLASS (prefect_ctx_flow_run_context_parent_class)->finalize (object);
}

static void
prefect_ctx_flow_run_context_class_init (PrefectCtxFlowRunContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PrefectCtxContextClass *context_class = PREFECT_CTX_CONTEXT_CLASS (klass);

  object_class->get_property = prefect_ctx_flow_run_context_get_property;
  object_class->set_property = prefect_ctx_flow_run_context_set_property;
  object_class->constructed = prefect_ctx_flow_run_context_constructed;
  object_class->finalize = prefect_ctx_flow_run_context_finalize;

  prefect_ctx_context_class_declare_kind (context_class, "flow_run");
  g_atomic_int_set (&kind_slot, _prefect_ctx_context_class_get_slot (context_class));

  /**
   * PrefectCtxFlowRunContext:flow: (getter get_flow)
   *
   * The flow that runs.
   */
  properties[PROP_FLOW] =
    g_param_spec_object ("flow", NULL, NULL,
                         PREFECT_CTX_TYPE_FLOW,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunContext:flow-run: (getter get_flow_run)
   *
   * The flow run.
   */
  properties[PROP_FLOW_RUN] =
    g_param_spec_object ("flow-run", NULL, NULL,
                         PREFECT_CTX_TYPE_FLOW_RUN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunContext:parameters: (getter get_parameters)
   *
   * The parameters the flow was called with, an `a{sv}` dictionary. %NULL
   * when constructing means none: the property then reads as an empty
   * dictionary.
   */
  properties[PROP_PARAMETERS] =
    g_param_spec_variant ("parameters", NULL, NULL,
                          G_VARIANT_TYPE_VARDICT, NULL,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunContext:log-prints: (getter get_log_prints)
   *
   * Whether what the flow prints is sent to its run logger.
   */
  properties[PROP_LOG_PRINTS] =
    g_param_spec_boolean ("log-prints", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRunContext:detached: (getter get_detached)
   *
   * Whether this context was rebuilt in another process from a serialized
   * one: the flow run is driven elsewhere.
   */
  properties[PROP_DETACHED] =
    g_param_spec_boolean ("detached", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_flow_run_context_init (PrefectCtxFlowRunContext *self)
{
}
