/* prefectctx-task.c: a task definition
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-task.h"
#include "prefectctx-json-private.h"

/**
 * PrefectCtxTask:
 *
 * A task: the definition of one step of a flow (what Prefect's `@task`
 * decorator makes), with its retry policy.
 *
 * A task is immutable: its properties are set when it is constructed. The
 * server has no task object; the JSON form uses the members of Prefect's task
 * options (`name`, `task_key`, `description`, `tags`, `retries`,
 * `retry_delay_seconds`).
 */

struct _PrefectCtxTask
{
  GObject parent_instance;

  char   *name;
  char   *task_key;
  char   *description;
  GStrv   tags;
  int     retries;
  double  retry_delay_seconds;
  gboolean log_prints;
  char   *task_run_name;
  GVariant *task_inputs;
  char   **allow_failure;
  double  timeout_seconds;
};

G_DEFINE_FINAL_TYPE (PrefectCtxTask, prefect_ctx_task, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_TASK_KEY,
  PROP_DESCRIPTION,
  PROP_TAGS,
  PROP_RETRIES,
  PROP_RETRY_DELAY_SECONDS,
  PROP_LOG_PRINTS,
  PROP_TASK_RUN_NAME,
  PROP_TASK_INPUTS,
  PROP_ALLOW_FAILURE,
  PROP_TIMEOUT_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The JSON members, named as the server names them. */
static const PrefectCtxJsonField json_fields[] = {
  { "name",                "name",                PREFECT_CTX_JSON_STRING, PREFECT_CTX_JSON_FIELD_REQUIRED },
  { "task_key",            "task-key",            PREFECT_CTX_JSON_STRING, PREFECT_CTX_JSON_FIELD_NONE },
  { "description",         "description",         PREFECT_CTX_JSON_STRING, PREFECT_CTX_JSON_FIELD_NONE },
  { "tags",                "tags",                PREFECT_CTX_JSON_STRV,   PREFECT_CTX_JSON_FIELD_NONE },
  { "retries",             "retries",             PREFECT_CTX_JSON_INT,    PREFECT_CTX_JSON_FIELD_NONE },
  { "retry_delay_seconds", "retry-delay-seconds", PREFECT_CTX_JSON_DOUBLE, PREFECT_CTX_JSON_FIELD_NONE },
};

static void
prefect_ctx_task_finalize (GObject *object)
{
  PrefectCtxTask *self = PREFECT_CTX_TASK (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->task_key, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->tags, g_strfreev);
  g_clear_pointer (&self->task_run_name, g_free);
  g_clear_pointer (&self->task_inputs, g_variant_unref);
  g_clear_pointer (&self->allow_failure, g_strfreev);

  G_OBJECT_CLASS (prefect_ctx_task_parent_class)->finalize (object);
}

static void
prefect_ctx_task_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PrefectCtxTask *self = PREFECT_CTX_TASK (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_TASK_KEY:
      g_value_set_string (value, self->task_key);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_TAGS:
      g_value_set_boxed (value, self->tags);
      break;

    case PROP_RETRIES:
      g_value_set_int (value, self->retries);
      break;

    case PROP_RETRY_DELAY_SECONDS:
      g_value_set_double (value, self->retry_delay_seconds);
      break;

    case PROP_LOG_PRINTS:
      g_value_set_boolean (value, self->log_prints);
      break;

    case PROP_TASK_RUN_NAME:
      g_value_set_string (value, self->task_run_name);
      break;

    case PROP_TASK_INPUTS:
      g_value_set_variant (value, self->task_inputs);
      break;

    case PROP_ALLOW_FAILURE:
      g_value_set_boxed (value, self->allow_failure);
      break;

    case PROP_TIMEOUT_SECONDS:
      g_value_set_double (value, self->timeout_seconds);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_task_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PrefectCtxTask *self = PREFECT_CTX_TASK (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_TASK_KEY:
      self->task_key = g_value_dup_string (value);
      break;

    case PROP_DESCRIPTION:
      self->description = g_value_dup_string (value);
      break;

    case PROP_TAGS:
      self->tags = _prefect_ctx_model_normalize_tags (g_value_get_boxed (value));
      break;

    case PROP_RETRIES:
      self->retries = g_value_get_int (value);
      break;

    case PROP_RETRY_DELAY_SECONDS:
      self->retry_delay_seconds = g_value_get_double (value);
      break;

    case PROP_LOG_PRINTS:
      self->log_prints = g_value_get_boolean (value);
      break;

    case PROP_TASK_RUN_NAME:
      self->task_run_name = g_value_dup_string (value);
      break;

    case PROP_TASK_INPUTS:
      self->task_inputs = g_value_dup_variant (value);
      break;

    case PROP_ALLOW_FAILURE:
      self->allow_failure = g_value_dup_boxed (value);
      break;

    case PROP_TIMEOUT_SECONDS:
      self->timeout_seconds = g_value_get_double (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_task_constructed (GObject *object)
{
  PrefectCtxTask *self = PREFECT_CTX_TASK (object);

  G_OBJECT_CLASS (prefect_ctx_task_parent_class)->constructed (object);

  if (self->name == NULL)
    self->name = g_strdup ("");
  if (self->task_key == NULL)
    self->task_key = g_strdup (self->name);
  if (self->allow_failure == NULL)
    self->allow_failure = g_new0 (char *, 1);
}

static void
prefect_ctx_task_class_init (PrefectCtxTaskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = prefect_ctx_task_constructed;
  object_class->finalize = prefect_ctx_task_finalize;
  object_class->get_property = prefect_ctx_task_get_property;
  object_class->set_property = prefect_ctx_task_set_property;

  /**
   * PrefectCtxTask:name:
   *
   * The name of the task. Never %NULL (an empty string when not given). JSON
   * member `name`, required.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTask:task-key:
   *
   * The key that identifies the task within its flow, such as `__main__.add`.
   * Never %NULL: it defaults to the name. JSON member `task_key`.
   */
  properties[PROP_TASK_KEY] =
    g_param_spec_string ("task-key", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTask:description:
   *
   * A description of the task, or %NULL. JSON member `description`.
   */
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTask:tags:
   *
   * The tags of the task, sorted, without duplicates. Never %NULL: no tags is
   * an empty array. JSON member `tags`.
   */
  properties[PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTask:retries:
   *
   * How many times a failed run of the task is retried. JSON member
   * `retries`.
   */
  properties[PROP_RETRIES] =
    g_param_spec_int ("retries", NULL, NULL,
                      0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTask:retry-delay-seconds:
   *
   * How long to wait before a retry, in seconds. JSON member
   * `retry_delay_seconds`.
   */
  properties[PROP_RETRY_DELAY_SECONDS] =
    g_param_spec_double ("retry-delay-seconds", NULL, NULL,
                         0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTask:log-prints: (getter get_log_prints)
   *
   * Whether what the task's runs print with g_print() is stored as run logs
   * (Prefect's `log_prints`). A task run also logs its prints when the flow
   * run it belongs to does. Not part of the JSON form.
   */
  properties[PROP_LOG_PRINTS] =
    g_param_spec_boolean ("log-prints", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTask:task-run-name:
   *
   * The name of the task's runs (Prefect's `task_run_name`, once its
   * template is filled in), or %NULL for the engine's `{name}-{dynamic key}`.
   * Not part of the JSON form.
   */
  properties[PROP_TASK_RUN_NAME] =
    g_param_spec_string ("task-run-name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTask:task-inputs:
   *
   * The `task_inputs` of the task's runs (Prefect's upstream references: an
   * `a{sv}` of parameter names to arrays of `{"input_type": "task_run",
   * "id": ID}` dictionaries), or %NULL for the engine's: a key for each
   * parameter of the call, with no reference. A binding that knows which
   * values came from which task runs (Python tracks results as Prefect
   * does) makes a task for the call with this set. Not part of the JSON
   * form.
   */
  properties[PROP_TASK_INPUTS] =
    g_param_spec_variant ("task-inputs", NULL, NULL,
                          G_VARIANT_TYPE_VARDICT, NULL,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTask:allow-failure:
   *
   * The IDs of upstream task runs, among those
   * [property@PrefectCtx.Task:task-inputs] names, whose failure does not
   * stop the task's runs (Prefect's `allow_failure` annotation). Inside a
   * flow run, a task run waits for every task run its task inputs name
   * that was submitted in the flow run, and runs only if each one is
   * `Completed`, or `Failed` and named here; otherwise it stays `Pending`,
   * named `NotReady` (see [method@PrefectCtx.Task.call]). Never %NULL: none
   * is an empty array. Not part of the JSON form.
   */
  properties[PROP_ALLOW_FAILURE] =
    g_param_spec_boxed ("allow-failure", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTask:timeout-seconds: (getter get_timeout_seconds)
   *
   * The longest an attempt of the task's runs may take, in seconds
   * (Prefect's `timeout_seconds`), or 0 for no limit. An attempt that ends
   * past it fails as `TimedOut`, whatever its body returned, and retries
   * apply as for any failure (see [method@PrefectCtx.Task.call]). Not part
   * of the JSON form.
   */
  properties[PROP_TIMEOUT_SECONDS] =
    g_param_spec_double ("timeout-seconds", NULL, NULL,
                         0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_task_init (PrefectCtxTask *self)
{
}

/**
 * prefect_ctx_task_new:
 * @name: the name of the task
 *
 * Creates a task with a name, whose task key is the name, with no retries.
 *
 * Returns: (transfer full): a new task
 */
PrefectCtxTask *
prefect_ctx_task_new (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (PREFECT_CTX_TYPE_TASK, "name", name, NULL);
}

/**
 * prefect_ctx_task_new_from_json:
 * @json: a JSON document
 * @error: return location for a #GError
 *
 * Creates a task from its JSON representation, as the Prefect REST API
 * returns it. See [ctor@PrefectCtx.Task.new_from_json_node].
 *
 * Returns: (transfer full): a new task, or %NULL with @error set
 */
PrefectCtxTask *
prefect_ctx_task_new_from_json (const char  *json,
                                GError     **error)
{
  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _prefect_ctx_json_deserialize_string (PREFECT_CTX_TYPE_TASK, "Task",
                                               json_fields, G_N_ELEMENTS (json_fields),
                                               json, error);
}

/**
 * prefect_ctx_task_new_from_json_node:
 * @node: a JSON node holding an object
 * @error: return location for a #GError
 *
 * Creates a task from a JSON object with the members `name` (required),
 * `task_key`, `description`, `tags`, `retries` (an integer, at least 0) and
 * `retry_delay_seconds` (a number, at least 0). Members the model does not
 * keep are ignored; a member that is absent or null leaves its property at
 * its default. Malformed JSON, a value that is not an object, or a member of
 * the wrong JSON type (or out of range) is a
 * %PREFECT_CTX_ERROR_INVALID_ARGUMENT error whose message names the member,
 * such as `Field 'run_count' of FlowRun: expected an integer, got a string`.
 *
 * Returns: (transfer full): a new task, or %NULL with @error set
 */
PrefectCtxTask *
prefect_ctx_task_new_from_json_node (JsonNode  *node,
                                     GError   **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _prefect_ctx_json_deserialize (PREFECT_CTX_TYPE_TASK, "Task",
                                        json_fields, G_N_ELEMENTS (json_fields),
                                        node, error);
}

/**
 * prefect_ctx_task_to_json:
 * @self: a task
 *
 * Serializes @self to compact JSON text, with the members described in
 * [method@PrefectCtx.Task.to_json_node].
 *
 * Returns: (transfer full): the JSON text
 */
char *
prefect_ctx_task_to_json (PrefectCtxTask *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK (self), NULL);

  return _prefect_ctx_json_serialize_string (self, json_fields, G_N_ELEMENTS (json_fields));
}

/**
 * prefect_ctx_task_to_json_node:
 * @self: a task
 *
 * Serializes @self to a JSON object with the members `name`, `task_key`,
 * `description`, `tags`, `retries` and `retry_delay_seconds`. Members whose
 * value is %NULL are left out.
 *
 * Returns: (transfer full): a JSON node holding an object
 */
JsonNode *
prefect_ctx_task_to_json_node (PrefectCtxTask *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK (self), NULL);

  return _prefect_ctx_json_serialize (self, json_fields, G_N_ELEMENTS (json_fields));
}

/**
 * prefect_ctx_task_get_name:
 * @self: a task
 *
 * Gets the [property@PrefectCtx.Task:name] property of @self.
 *
 * Returns: (transfer none): the name of the task
 */
const char *
prefect_ctx_task_get_name (PrefectCtxTask *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK (self), NULL);

  return self->name;
}

/**
 * prefect_ctx_task_get_task_key:
 * @self: a task
 *
 * Gets the [property@PrefectCtx.Task:task-key] property of @self.
 *
 * Returns: (transfer none): the task key
 */
const char *
prefect_ctx_task_get_task_key (PrefectCtxTask *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK (self), NULL);

  return self->task_key;
}

/**
 * prefect_ctx_task_get_description:
 * @self: a task
 *
 * Gets the [property@PrefectCtx.Task:description] property of @self.
 *
 * Returns: (transfer none) (nullable): the description, or %NULL
 */
const char *
prefect_ctx_task_get_description (PrefectCtxTask *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK (self), NULL);

  return self->description;
}

/**
 * prefect_ctx_task_get_tags:
 * @self: a task
 *
 * Gets the [property@PrefectCtx.Task:tags] property of @self.
 *
 * Returns: (transfer none) (array zero-terminated=1): the tags, sorted (never
 *   %NULL)
 */
const char * const *
prefect_ctx_task_get_tags (PrefectCtxTask *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK (self), NULL);

  return (const char * const *) self->tags;
}

/**
 * prefect_ctx_task_get_retries:
 * @self: a task
 *
 * Gets the [property@PrefectCtx.Task:retries] property of @self.
 *
 * Returns: the number of retries
 */
int
prefect_ctx_task_get_retries (PrefectCtxTask *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK (self), 0);

  return self->retries;
}

/**
 * prefect_ctx_task_get_retry_delay_seconds:
 * @self: a task
 *
 * Gets the [property@PrefectCtx.Task:retry-delay-seconds] property of @self.
 *
 * Returns: the delay before a retry, in seconds
 */
double
prefect_ctx_task_get_retry_delay_seconds (PrefectCtxTask *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK (self), 0.0);

  return self->retry_delay_seconds;
}

/**
 * prefect_ctx_task_get_log_prints:
 * @self: a task
 *
 * Gets the [property@PrefectCtx.Task:log-prints] property of @self.
 *
 * Returns: whether prints inside the task's runs are stored as logs
 */
gboolean
prefect_ctx_task_get_log_prints (PrefectCtxTask *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK (self), FALSE);

  return self->log_prints;
}

/**
 * prefect_ctx_task_get_task_run_name:
 * @self: a task
 *
 * Gets the [property@PrefectCtx.Task:task-run-name] property of @self.
 *
 * Returns: (transfer none) (nullable): the name of the task's runs, or %NULL
 */
const char *
prefect_ctx_task_get_task_run_name (PrefectCtxTask *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK (self), NULL);

  return self->task_run_name;
}

/**
 * prefect_ctx_task_get_task_inputs:
 * @self: a task
 *
 * Gets the [property@PrefectCtx.Task:task-inputs] property of @self.
 *
 * Returns: (transfer none) (nullable): the `task_inputs` of the task's
 *   runs, or %NULL for the engine's
 */
GVariant *
prefect_ctx_task_get_task_inputs (PrefectCtxTask *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK (self), NULL);

  return self->task_inputs;
}

/**
 * prefect_ctx_task_get_allow_failure:
 * @self: a task
 *
 * Gets the [property@PrefectCtx.Task:allow-failure] property of @self.
 *
 * Returns: (transfer none): the IDs of the upstream task runs whose failure
 *   does not stop the task's runs
 */
const char * const *
prefect_ctx_task_get_allow_failure (PrefectCtxTask *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK (self), NULL);

  return (const char * const *) self->allow_failure;
}

/**
 * prefect_ctx_task_get_timeout_seconds:
 * @self: a task
 *
 * Gets the [property@PrefectCtx.Task:timeout-seconds] property of @self.
 *
 * Returns: the longest an attempt may take, in seconds, or 0 for no limit
 */
double
prefect_ctx_task_get_timeout_seconds (PrefectCtxTask *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK (self), 0);

  return self->timeout_seconds;
}
