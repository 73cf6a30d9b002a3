/* prefectctx-object-registry.c: Prefect's object registry
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-object-registry.h"
#include "prefectctx-context-private.h"
#include "prefectctx-tsan-private.h"
#include "models/prefectctx-models-private.h"

/* This kind's slot, set once the class is initialized. */
static int kind_slot = -1;

/**
 * PrefectCtxInitFailure:
 *
 * The record of an object whose construction failed while a
 * [class@PrefectCtx.ObjectRegistry] captured failures: the type that was
 * being made, the object if there was one, and the error.
 *
 * It is immutable.
 */

struct _PrefectCtxInitFailure
{
  GObject parent_instance;

  GType    object_type;
  GObject *object;
  GError  *error;
};

G_DEFINE_FINAL_TYPE (PrefectCtxInitFailure, prefect_ctx_init_failure, G_TYPE_OBJECT)

enum {
  FAILURE_PROP_0,
  FAILURE_PROP_OBJECT_TYPE,
  FAILURE_PROP_OBJECT,
  FAILURE_PROP_ERROR,
  FAILURE_N_PROPS
};

static GParamSpec *failure_properties[FAILURE_N_PROPS];

/**
 * prefect_ctx_init_failure_new:
 * @object_type: the type of the object that failed to be made
 * @object: (nullable): the object, if it exists
 * @error: the error of the failure
 *
 * Makes a new failure record.
 *
 * Returns: (transfer full): the new record
 */
PrefectCtxInitFailure *
prefect_ctx_init_failure_new (GType         object_type,
                              GObject      *object,
                              const GError *error)
{
  g_return_val_if_fail (object == NULL || G_IS_OBJECT (object), NULL);
  g_return_val_if_fail (error != NULL, NULL);

  return g_object_new (PREFECT_CTX_TYPE_INIT_FAILURE,
                       "object-type", object_type,
                       "object", object,
                       "error", error,
                       NULL);
}

/**
 * prefect_ctx_init_failure_get_object_type:
 * @self: a failure record
 *
 * Gets the type of the object that failed to be made.
 *
 * Returns: the type
 */
GType
prefect_ctx_init_failure_get_object_type (PrefectCtxInitFailure *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_INIT_FAILURE (self), G_TYPE_INVALID);

  return self->object_type;
}

/**
 * prefect_ctx_init_failure_get_object:
 * @self: a failure record
 *
 * Gets the object that failed to be made, if there is one.
 *
 * Returns: (transfer none) (nullable): the object
 */
GObject *
prefect_ctx_init_failure_get_object (PrefectCtxInitFailure *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_INIT_FAILURE (self), NULL);

  return self->object;
}

/**
 * prefect_ctx_init_failure_get_error:
 * @self: a failure record
 *
 * Gets the error of the failure.
 *
 * Returns: (transfer none): the error
 */
const GError *
prefect_ctx_init_failure_get_error (PrefectCtxInitFailure *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_INIT_FAILURE (self), NULL);

  return self->error;
}

static void
prefect_ctx_init_failure_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  PrefectCtxInitFailure *self = PREFECT_CTX_INIT_FAILURE (object);

  switch (prop_id)
    {
    case FAILURE_PROP_OBJECT_TYPE:
      g_value_set_gtype (value, self->object_type);
      break;

    case FAILURE_PROP_OBJECT:
      g_value_set_object (value, self->object);
      break;

    case FAILURE_PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_init_failure_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  PrefectCtxInitFailure *self = PREFECT_CTX_INIT_FAILURE (object);

  switch (prop_id)
    {
    case FAILURE_PROP_OBJECT_TYPE:
      self->object_type = g_value_get_gtype (value);
      break;

    case FAILURE_PROP_OBJECT:
      g_set_object (&self->object, g_value_get_object (value));
      break;

    case FAILURE_PROP_ERROR:
      g_clear_error (&self->error);
      self->error = g_value_dup_boxed (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_init_failure_finalize (GObject *object)
{
  PrefectCtxInitFailure *self = PREFECT_CTX_INIT_FAILURE (object);

  g_clear_object (&self->object);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (prefect_ctx_init_failure_parent_class)->finalize (object);
}

static void
prefect_ctx_init_failure_class_init (PrefectCtxInitFailureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = prefect_ctx_init_failure_get_property;
  object_class->set_property = prefect_ctx_init_failure_set_property;
  object_class->finalize = prefect_ctx_init_failure_finalize;

  /**
   * PrefectCtxInitFailure:object-type: (getter get_object_type)
   *
   * The type of the object that failed to be made.
   */
  failure_properties[FAILURE_PROP_OBJECT_TYPE] =
    g_param_spec_gtype ("object-type", NULL, NULL,
                        G_TYPE_NONE,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxInitFailure:object: (getter get_object)
   *
   * The object that failed to be made, if there is one.
   */
  failure_properties[FAILURE_PROP_OBJECT] =
    g_param_spec_object ("object", NULL, NULL,
                         G_TYPE_OBJECT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxInitFailure:error: (getter get_error)
   *
   * The error of the failure.
   */
  failure_properties[FAILURE_PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL,
                        G_TYPE_ERROR,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, FAILURE_N_PROPS, failure_properties);
}

static void
prefect_ctx_init_failure_init (PrefectCtxInitFailure *self)
{
}

/**
 * PrefectCtxObjectRegistry:
 *
 * Prefect's object registry (`PrefectObjectRegistry`): while it is current,
 * the objects of classes that opt in register themselves in it, so that code
 * can find every flow, say, that a script defines.
 *
 * It declares the context kind `object_registry`. A class opts in by calling
 * [func@PrefectCtx.ObjectRegistry.track] once an instance is made, and
 * [func@PrefectCtx.ObjectRegistry.track_failure] when making one fails.
 *
 * [property@PrefectCtx.ObjectRegistry:block-code-execution] asks flow calls
 * to be skipped (used to load a script only to discover what it defines);
 * [property@PrefectCtx.ObjectRegistry:capture-failures] asks construction
 * failures to be recorded and swallowed instead of reported.
 *
 * Its properties are immutable; the lists of instances and failures are
 * run-scoped bookkeeping, and every method that reads or changes them is
 * thread-safe. The registry holds a reference on every registered object.
 */

struct _PrefectCtxObjectRegistry
{
  PrefectCtxContext parent_instance;

  gboolean   block_code_execution;
  gboolean   capture_failures;
  GDateTime *start_time;

  GMutex     lock;
  GPtrArray *instances;   /* GObject, in registration order */
  GPtrArray *failures;    /* PrefectCtxInitFailure, in registration order */
};

G_DEFINE_FINAL_TYPE (PrefectCtxObjectRegistry, prefect_ctx_object_registry, PREFECT_CTX_TYPE_CONTEXT)

enum {
  PROP_0,
  PROP_BLOCK_CODE_EXECUTION,
  PROP_CAPTURE_FAILURES,
  PROP_START_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * prefect_ctx_object_registry_new:
 * @block_code_execution: whether flow calls should be skipped
 * @capture_failures: whether construction failures should be recorded and
 *   swallowed
 *
 * Makes a new, unentered, empty registry that started now.
 *
 * Returns: (transfer full): the new registry
 */
PrefectCtxObjectRegistry *
prefect_ctx_object_registry_new (gboolean block_code_execution,
                                 gboolean capture_failures)
{
  return g_object_new (PREFECT_CTX_TYPE_OBJECT_REGISTRY,
                       "block-code-execution", block_code_execution,
                       "capture-failures", capture_failures,
                       NULL);
}

/**
 * prefect_ctx_object_registry_get_current:
 *
 * Gets the innermost registry entered on the calling thread (or installed
 * by [method@PrefectCtx.Snapshot.run]).
 *
 * Returns: (transfer none) (nullable): the current registry, or %NULL if
 *   none is entered
 */
PrefectCtxObjectRegistry *
prefect_ctx_object_registry_get_current (void)
{
  return (PrefectCtxObjectRegistry *) _prefect_ctx_context_get_current_in_slot (g_atomic_int_get (&kind_slot));
}

/**
 * prefect_ctx_object_registry_get_block_code_execution:
 * @self: a registry
 *
 * Tells whether flow calls should be skipped while @self is current.
 *
 * Returns: %TRUE if flow calls should be skipped
 */
gboolean
prefect_ctx_object_registry_get_block_code_execution (PrefectCtxObjectRegistry *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_OBJECT_REGISTRY (self), FALSE);

  return self->block_code_execution;
}

/**
 * prefect_ctx_object_registry_get_capture_failures:
 * @self: a registry
 *
 * Tells whether construction failures are recorded and swallowed while
 * @self is current.
 *
 * Returns: %TRUE if failures are captured
 */
gboolean
prefect_ctx_object_registry_get_capture_failures (PrefectCtxObjectRegistry *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_OBJECT_REGISTRY (self), FALSE);

  return self->capture_failures;
}

/**
 * prefect_ctx_object_registry_get_start_time:
 * @self: a registry
 *
 * Gets the time the registry started, in UTC.
 *
 * Returns: (transfer none): the start time
 */
GDateTime *
prefect_ctx_object_registry_get_start_time (PrefectCtxObjectRegistry *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_OBJECT_REGISTRY (self), NULL);

  return self->start_time;
}

/**
 * prefect_ctx_object_registry_register_instance:
 * @self: a registry
 * @object: an object
 *
 * Registers @object in @self, which keeps a reference on it. An object
 * registered twice is listed twice.
 *
 * This method is thread-safe.
 */
void
prefect_ctx_object_registry_register_instance (PrefectCtxObjectRegistry *self,
                                               GObject                  *object)
{
  g_return_if_fail (PREFECT_CTX_IS_OBJECT_REGISTRY (self));
  g_return_if_fail (G_IS_OBJECT (object));

  prefect_ctx_mutex_lock (&self->lock);
  g_ptr_array_add (self->instances, g_object_ref (object));
  prefect_ctx_mutex_unlock (&self->lock);
}

/**
 * prefect_ctx_object_registry_get_instances:
 * @self: a registry
 * @type: a type
 *
 * Lists the objects registered in @self that are instances of @type or of
 * its subtypes (or implement @type, an interface).
 *
 * This method is thread-safe.
 *
 * Returns: (transfer container) (element-type GObject): the objects, in
 *   registration order. @self holds a reference on each of them.
 */
GPtrArray *
prefect_ctx_object_registry_get_instances (PrefectCtxObjectRegistry *self,
                                           GType                     type)
{
  GPtrArray *result;

  g_return_val_if_fail (PREFECT_CTX_IS_OBJECT_REGISTRY (self), NULL);

  result = g_ptr_array_new ();

  prefect_ctx_mutex_lock (&self->lock);
  for (guint i = 0; i < self->instances->len; i++)
    {
      GObject *object = g_ptr_array_index (self->instances, i);

      if (g_type_is_a (G_OBJECT_TYPE (object), type))
        g_ptr_array_add (result, object);
    }
  prefect_ctx_mutex_unlock (&self->lock);

  return result;
}

/**
 * prefect_ctx_object_registry_register_init_failure:
 * @self: a registry
 * @object: (nullable): the object that failed to be made, if it exists
 * @type: the type of the object that failed to be made
 * @error: the error of the failure
 *
 * Records that making an object of @type failed with @error. This records
 * the failure whatever [property@PrefectCtx.ObjectRegistry:capture-failures]
 * says; [func@PrefectCtx.ObjectRegistry.track_failure] looks at it.
 *
 * This method is thread-safe.
 */
void
prefect_ctx_object_registry_register_init_failure (PrefectCtxObjectRegistry *self,
                                                   GObject                  *object,
                                                   GType                     type,
                                                   const GError             *error)
{
  PrefectCtxInitFailure *failure;

  g_return_if_fail (PREFECT_CTX_IS_OBJECT_REGISTRY (self));
  g_return_if_fail (object == NULL || G_IS_OBJECT (object));
  g_return_if_fail (error != NULL);

  failure = prefect_ctx_init_failure_new (type, object, error);

  prefect_ctx_mutex_lock (&self->lock);
  g_ptr_array_add (self->failures, failure);
  prefect_ctx_mutex_unlock (&self->lock);
}

/**
 * prefect_ctx_object_registry_get_instance_failures:
 * @self: a registry
 * @type: a type
 *
 * Lists the failures recorded in @self of making instances of @type or of
 * its subtypes.
 *
 * This method is thread-safe.
 *
 * Returns: (transfer container) (element-type PrefectCtxInitFailure): the
 *   failures, in the order they were recorded. @self holds a reference on
 *   each of them.
 */
GPtrArray *
prefect_ctx_object_registry_get_instance_failures (PrefectCtxObjectRegistry *self,
                                                   GType                     type)
{
  GPtrArray *result;

  g_return_val_if_fail (PREFECT_CTX_IS_OBJECT_REGISTRY (self), NULL);

  result = g_ptr_array_new ();

  prefect_ctx_mutex_lock (&self->lock);
  for (guint i = 0; i < self->failures->len; i++)
    {
      PrefectCtxInitFailure *failure = g_ptr_array_index (self->failures, i);

      if (g_type_is_a (failure->object_type, type))
        g_ptr_array_add (result, failure);
    }
  prefect_ctx_mutex_unlock (&self->lock);

  return result;
}

/**
 * prefect_ctx_object_registry_track:
 * @object: an object that was just made
 *
 * Registers @object in the current registry, if one is entered. Classes
 * that opt in to registration call this when an instance is made.
 *
 * Returns: %TRUE if @object was registered; %FALSE if no registry is
 *   current
 */
gboolean
prefect_ctx_object_registry_track (GObject *object)
{
  PrefectCtxObjectRegistry *registry;

  g_return_val_if_fail (G_IS_OBJECT (object), FALSE);

  registry = prefect_ctx_object_registry_get_current ();
  if (registry == NULL)
    return FALSE;

  prefect_ctx_object_registry_register_instance (registry, object);
  return TRUE;
}

/**
 * prefect_ctx_object_registry_track_failure:
 * @object: (nullable): the object that failed to be made, if it exists
 * @type: the type of the object that failed to be made
 * @error: the error of the failure
 *
 * Records a construction failure in the current registry if one is entered
 * and captures failures. Classes that opt in to registration call this when
 * making an instance fails: when it returns %TRUE the failure was captured
 * and should be swallowed; otherwise it should be reported as usual.
 *
 * Returns: %TRUE if the failure was recorded
 */
gboolean
prefect_ctx_object_registry_track_failure (GObject      *object,
                                           GType         type,
                                           const GError *error)
{
  PrefectCtxObjectRegistry *registry;

  g_return_val_if_fail (object == NULL || G_IS_OBJECT (object), FALSE);
  g_return_val_if_fail (error != NULL, FALSE);

  registry = prefect_ctx_object_registry_get_current ();
  if (registry == NULL || !registry->capture_failures)
    return FALSE;

  prefect_ctx_object_registry_register_init_failure (registry, object, type, error);
  return TRUE;
}

static void
prefect_ctx_object_registry_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  PrefectCtxObjectRegistry *self = PREFECT_CTX_OBJECT_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_BLOCK_CODE_EXECUTION:
      g_value_set_boolean (value, self->block_code_execution);
      break;

    case PROP_CAPTURE_FAILURES:
      g_value_set_boolean (value, self->capture_failures);
      break;

    case PROP_START_TIME:
      g_value_set_boxed (value, self->start_time);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_object_registry_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  PrefectCtxObjectRegistry *self = PREFECT_CTX_OBJECT_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_BLOCK_CODE_EXECUTION:
      self->block_code_execution = g_value_get_boolean (value);
      break;

    case PROP_CAPTURE_FAILURES:
      self->capture_failures = g_value_get_boolean (value);
      break;

    case PROP_START_TIME:
      {
        GDateTime *time = g_value_get_boxed (value);

        g_clear_pointer (&self->start_time, g_date_time_unref);
        self->start_time = time != NULL ? g_date_time_to_utc (time) : g_date_time_new_now_utc ();
      }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_object_registry_finalize (GObject *object)
{
  PrefectCtxObjectRegistry *self = PREFECT_CTX_OBJECT_REGISTRY (object);

  g_clear_pointer (&self->instances, g_ptr_array_unref);
  g_clear_pointer (&self->failures, g_ptr_array_unref);
  g_clear_pointer (&self->start_time, g_date_time_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (prefect_ctx_object_registry_parent_class)->finalize (object);
}

static void
prefect_ctx_object_registry_class_init (PrefectCtxObjectRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PrefectCtxContextClass *context_class = PREFECT_CTX_CONTEXT_CLASS (klass);

  object_class->get_property = prefect_ctx_object_registry_get_property;
  object_class->set_property = prefect_ctx_object_registry_set_property;
  object_class->finalize = prefect_ctx_object_registry_finalize;

  prefect_ctx_context_class_declare_kind (context_class, "object_registry");
  /* Flow definitions register in the current registry from now on. */
  _prefect_ctx_flow_set_constructed_hook (prefect_ctx_object_registry_track);
  g_atomic_int_set (&kind_slot, _prefect_ctx_context_class_get_slot (context_class));

  /**
   * PrefectCtxObjectRegistry:block-code-execution: (getter get_block_code_execution)
   *
   * Whether flow calls should be skipped while the registry is current.
   */
  properties[PROP_BLOCK_CODE_EXECUTION] =
    g_param_spec_boolean ("block-code-execution", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxObjectRegistry:capture-failures: (getter get_capture_failures)
   *
   * Whether construction failures are recorded and swallowed while the
   * registry is current.
   */
  properties[PROP_CAPTURE_FAILURES] =
    g_param_spec_boolean ("capture-failures", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxObjectRegistry:start-time: (getter get_start_time)
   *
   * The time the registry started, in UTC. When not given (or %NULL), the
   * time it was made.
   */
  properties[PROP_START_TIME] =
    g_param_spec_boxed ("start-time", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_object_registry_init (PrefectCtxObjectRegistry *self)
{
  g_mutex_init (&self->lock);
  self->instances = g_ptr_array_new_with_free_func (g_object_unref);
  self->failures = g_ptr_array_new_with_free_func (g_object_unref);
}
