/* prefectctx-task-run.c: a task run as the Prefect server describes it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-task-run.h"
#include "prefectctx-json-private.h"
#include "prefectctx-state-private.h"

/**
 * PrefectCtxTaskRun:
 *
 * One run of a task, as the Prefect REST API describes it (`POST
 * /task_runs/filter`).
 *
 * A task run is immutable: its properties are set when it is constructed,
 * with g_object_new() or from the server's JSON with
 * [ctor@PrefectCtx.TaskRun.new_from_json].
 */

struct _PrefectCtxTaskRun
{
  GObject parent_instance;

  GVariant        *empirical_policy;
  GVariant        *task_inputs;
  char            *id;
  char            *name;
  char            *flow_run_id;
  char            *task_key;
  char            *dynamic_key;
  GStrv            tags;
  PrefectCtxState *state;
  int              run_count;
  int              map_index;
  GDateTime       *start_time;
  GDateTime       *end_time;
};

G_DEFINE_FINAL_TYPE (PrefectCtxTaskRun, prefect_ctx_task_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_FLOW_RUN_ID,
  PROP_TASK_KEY,
  PROP_DYNAMIC_KEY,
  PROP_TAGS,
  PROP_STATE,
  PROP_RUN_COUNT,
  PROP_MAP_INDEX,
  PROP_EMPIRICAL_POLICY,
  PROP_TASK_INPUTS,
  PROP_START_TIME,
  PROP_END_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The JSON members, named as the server names them. */
static const PrefectCtxJsonField json_fields[] = {
  { "id",          "id",          PREFECT_CTX_JSON_STRING,   PREFECT_CTX_JSON_FIELD_NONE },
  { "name",        "name",        PREFECT_CTX_JSON_STRING,   PREFECT_CTX_JSON_FIELD_NONE },
  { "flow_run_id", "flow-run-id", PREFECT_CTX_JSON_STRING,   PREFECT_CTX_JSON_FIELD_NONE },
  { "task_key",    "task-key",    PREFECT_CTX_JSON_STRING,   PREFECT_CTX_JSON_FIELD_NONE },
  { "dynamic_key", "dynamic-key", PREFECT_CTX_JSON_STRING,   PREFECT_CTX_JSON_FIELD_NONE },
  { "tags",        "tags",        PREFECT_CTX_JSON_STRV,     PREFECT_CTX_JSON_FIELD_NONE },
  { "state",       "state",       PREFECT_CTX_JSON_CUSTOM,   PREFECT_CTX_JSON_FIELD_NONE,
    _prefect_ctx_state_json_read, _prefect_ctx_state_json_write },
  { "run_count",   "run-count",   PREFECT_CTX_JSON_INT,      PREFECT_CTX_JSON_FIELD_NONE },
  { "map_index",   "map-index",   PREFECT_CTX_JSON_INT,      PREFECT_CTX_JSON_FIELD_OMIT_DEFAULT },
  { "start_time",  "start-time",  PREFECT_CTX_JSON_DATETIME, PREFECT_CTX_JSON_FIELD_NONE },
  { "end_time",    "end-time",    PREFECT_CTX_JSON_DATETIME, PREFECT_CTX_JSON_FIELD_NONE },
  { "empirical_policy", "empirical-policy", PREFECT_CTX_JSON_VARDICT, PREFECT_CTX_JSON_FIELD_OMIT_DEFAULT },
  { "task_inputs", "task-inputs", PREFECT_CTX_JSON_VARDICT, PREFECT_CTX_JSON_FIELD_OMIT_DEFAULT },
};

static void
prefect_ctx_task_run_finalize (GObject *object)
{
  PrefectCtxTaskRun *self = PREFECT_CTX_TASK_RUN (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->flow_run_id, g_free);
  g_clear_pointer (&self->task_key, g_free);
  g_clear_pointer (&self->dynamic_key, g_free);
  g_clear_pointer (&self->tags, g_strfreev);
  g_clear_pointer (&self->empirical_policy, g_variant_unref);
  g_clear_pointer (&self->task_inputs, g_variant_unref);
  g_clear_object (&self->state);
  g_clear_pointer (&self->start_time, g_date_time_unref);
  g_clear_pointer (&self->end_time, g_date_time_unref);

  G_OBJECT_CLASS (prefect_ctx_task_run_parent_class)->finalize (object);
}

static void
prefect_ctx_task_run_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PrefectCtxTaskRun *self = PREFECT_CTX_TASK_RUN (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_FLOW_RUN_ID:
      g_value_set_string (value, self->flow_run_id);
      break;

    case PROP_TASK_KEY:
      g_value_set_string (value, self->task_key);
      break;

    case PROP_DYNAMIC_KEY:
      g_value_set_string (value, self->dynamic_key);
      break;

    case PROP_EMPIRICAL_POLICY:
      g_value_set_variant (value, self->empirical_policy);
      break;

    case PROP_TASK_INPUTS:
      g_value_set_variant (value, self->task_inputs);
      break;

    case PROP_TAGS:
      g_value_set_boxed (value, self->tags);
      break;

    case PROP_STATE:
      g_value_set_object (value, self->state);
      break;

    case PROP_RUN_COUNT:
      g_value_set_int (value, self->run_count);
      break;

    case PROP_MAP_INDEX:
      g_value_set_int (value, self->map_index);
      break;

    case PROP_START_TIME:
      g_value_set_boxed (value, self->start_time);
      break;

    case PROP_END_TIME:
      g_value_set_boxed (value, self->end_time);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_task_run_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  PrefectCtxTaskRun *self = PREFECT_CTX_TASK_RUN (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_FLOW_RUN_ID:
      self->flow_run_id = g_value_dup_string (value);
      break;

    case PROP_TASK_KEY:
      self->task_key = g_value_dup_string (value);
      break;

    case PROP_DYNAMIC_KEY:
      self->dynamic_key = g_value_dup_string (value);
      break;

    case PROP_EMPIRICAL_POLICY:
      self->empirical_policy = _prefect_ctx_model_normalize_vardict (g_value_get_variant (value));
      break;

    case PROP_TASK_INPUTS:
      self->task_inputs = _prefect_ctx_model_normalize_vardict (g_value_get_variant (value));
      break;

    case PROP_TAGS:
      self->tags = _prefect_ctx_model_normalize_tags (g_value_get_boxed (value));
      break;

    case PROP_STATE:
      self->state = g_value_dup_object (value);
      break;

    case PROP_RUN_COUNT:
      self->run_count = g_value_get_int (value);
      break;

    case PROP_MAP_INDEX:
      self->map_index = g_value_get_int (value);
      break;

    case PROP_START_TIME:
      self->start_time = _prefect_ctx_model_normalize_datetime (g_value_get_boxed (value));
      break;

    case PROP_END_TIME:
      self->end_time = _prefect_ctx_model_normalize_datetime (g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_task_run_class_init (PrefectCtxTaskRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = prefect_ctx_task_run_finalize;
  object_class->get_property = prefect_ctx_task_run_get_property;
  object_class->set_property = prefect_ctx_task_run_set_property;

  /**
   * PrefectCtxTaskRun:id:
   *
   * The server-assigned ID of the task run (a UUID), or %NULL when it is not
   * known. JSON member `id`.
   */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRun:name:
   *
   * The name of the task run (such as `add-0`), or %NULL. JSON member `name`.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRun:flow-run-id:
   *
   * The ID of the flow run the task run belongs to, or %NULL for a task run
   * outside a flow run. JSON member `flow_run_id`.
   */
  properties[PROP_FLOW_RUN_ID] =
    g_param_spec_string ("flow-run-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRun:task-key:
   *
   * The key of the task that ran, such as `__main__.add`, or %NULL. JSON
   * member `task_key`.
   */
  properties[PROP_TASK_KEY] =
    g_param_spec_string ("task-key", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRun:dynamic-key:
   *
   * The key that tells apart the runs of one task in one flow run (`0`,
   * `1`...), or %NULL. JSON member `dynamic_key`.
   */
  properties[PROP_DYNAMIC_KEY] =
    g_param_spec_string ("dynamic-key", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRun:empirical-policy:
   *
   * The retry settings of the run, as Prefect's `empirical_policy`: an
   * `a{sv}` dictionary with `retries` and `retry_delay` (seconds), which the
   * engine fills from the task's retries and retry delay. Never %NULL:
   * setting %NULL gives an empty dictionary. JSON member `empirical_policy`
   * (not written when empty), sent to the server; the local store keeps the retry bookkeeping in its
   * states and does not keep this dictionary (a run read from it has an
   * empty one).
   */
  properties[PROP_EMPIRICAL_POLICY] =
    g_param_spec_variant ("empirical-policy", NULL, NULL,
                          G_VARIANT_TYPE_VARDICT, NULL,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRun:task-inputs:
   *
   * What the run's parameters came from, as Prefect's `task_inputs`: an
   * `a{sv}` dictionary with one key per parameter of the call, each an
   * array (`av`) of references such as `{"input_type": "task_run", "id":
   * ID}` for a value that is another task run's result. The engine takes
   * the task's [property@PrefectCtx.Task:task-inputs] when it has them
   * (the Python binding links results as Prefect does), else fills a key
   * for each parameter of the call, each with no reference.
   * Never %NULL: setting %NULL gives an empty dictionary. JSON member
   * `task_inputs` (not written when empty), sent to the server; the local
   * store does not keep it (a run read from it has an empty one).
   */
  properties[PROP_TASK_INPUTS] =
    g_param_spec_variant ("task-inputs", NULL, NULL,
                          G_VARIANT_TYPE_VARDICT, NULL,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRun:tags:
   *
   * The tags of the task run, sorted, without duplicates. Never %NULL: no
   * tags is an empty array. JSON member `tags`.
   */
  properties[PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRun:state:
   *
   * The current state of the task run, or %NULL when it has none. JSON member
   * `state`, a nested state object.
   */
  properties[PROP_STATE] =
    g_param_spec_object ("state", NULL, NULL,
                         PREFECT_CTX_TYPE_STATE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRun:run-count:
   *
   * How many times the task run has run (0 before its first run). JSON member
   * `run_count`.
   */
  properties[PROP_RUN_COUNT] =
    g_param_spec_int ("run-count", NULL, NULL,
                      0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRun:map-index:
   *
   * The index of the run in a mapped task, or -1 when the task is not mapped.
   * The server does not keep it: JSON member `map_index`, written only when
   * it is not -1.
   */
  properties[PROP_MAP_INDEX] =
    g_param_spec_int ("map-index", NULL, NULL,
                      -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRun:start-time:
   *
   * The time the task run started, in UTC, or %NULL when it is not known.
   * JSON member `start_time`.
   */
  properties[PROP_START_TIME] =
    g_param_spec_boxed ("start-time", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxTaskRun:end-time:
   *
   * The time the task run ended, in UTC, or %NULL when it is not known. JSON
   * member `end_time`.
   */
  properties[PROP_END_TIME] =
    g_param_spec_boxed ("end-time", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_task_run_init (PrefectCtxTaskRun *self)
{
}

/**
 * prefect_ctx_task_run_new_from_json:
 * @json: a JSON document
 * @error: return location for a #GError
 *
 * Creates a task run from its JSON representation, as the Prefect REST API
 * returns it. See [ctor@PrefectCtx.TaskRun.new_from_json_node].
 *
 * Returns: (transfer full): a new task run, or %NULL with @error set
 */
PrefectCtxTaskRun *
prefect_ctx_task_run_new_from_json (const char  *json,
                                    GError     **error)
{
  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _prefect_ctx_json_deserialize_string (PREFECT_CTX_TYPE_TASK_RUN, "TaskRun",
                                               json_fields, G_N_ELEMENTS (json_fields),
                                               json, error);
}

/**
 * prefect_ctx_task_run_new_from_json_node:
 * @node: a JSON node holding an object
 * @error: return location for a #GError
 *
 * Creates a task run from a JSON object with the members of the server's task
 * run: `id`, `name`, `flow_run_id`, `task_key`, `dynamic_key`, `tags`,
 * `state` (a nested state object), `run_count`, `start_time` and `end_time`,
 * and `map_index`, which the server does not send. Members the model does not
 * keep are ignored; a member that is absent or null leaves its property at
 * its default. Malformed JSON, a value that is not an object, or a member of
 * the wrong JSON type (or out of range) is a
 * %PREFECT_CTX_ERROR_INVALID_ARGUMENT error whose message names the member,
 * such as `Field 'run_count' of FlowRun: expected an integer, got a string`.
 *
 * Returns: (transfer full): a new task run, or %NULL with @error set
 */
PrefectCtxTaskRun *
prefect_ctx_task_run_new_from_json_node (JsonNode  *node,
                                         GError   **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _prefect_ctx_json_deserialize (PREFECT_CTX_TYPE_TASK_RUN, "TaskRun",
                                        json_fields, G_N_ELEMENTS (json_fields),
                                        node, error);
}

/**
 * prefect_ctx_task_run_to_json:
 * @self: a task run
 *
 * Serializes @self to compact JSON text, with the members described in
 * [method@PrefectCtx.TaskRun.to_json_node].
 *
 * Returns: (transfer full): the JSON text
 */
char *
prefect_ctx_task_run_to_json (PrefectCtxTaskRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN (self), NULL);

  return _prefect_ctx_json_serialize_string (self, json_fields, G_N_ELEMENTS (json_fields));
}

/**
 * prefect_ctx_task_run_to_json_node:
 * @self: a task run
 *
 * Serializes @self to a JSON object with the server's member names (see
 * [ctor@PrefectCtx.TaskRun.new_from_json_node]); `map_index` is only written
 * when it is not -1. Timestamps are written in UTC with microseconds, as the
 * server writes them (`2026-11-21T05:01:49.197991+00:00`); members whose
 * value is %NULL are left out.
 *
 * Returns: (transfer full): a JSON node holding an object
 */
JsonNode *
prefect_ctx_task_run_to_json_node (PrefectCtxTaskRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN (self), NULL);

  return _prefect_ctx_json_serialize (self, json_fields, G_N_ELEMENTS (json_fields));
}

/**
 * prefect_ctx_task_run_get_id:
 * @self: a task run
 *
 * Gets the [property@PrefectCtx.TaskRun:id] property of @self.
 *
 * Returns: (transfer none) (nullable): the ID of the task run, or %NULL
 */
const char *
prefect_ctx_task_run_get_id (PrefectCtxTaskRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN (self), NULL);

  return self->id;
}

/**
 * prefect_ctx_task_run_get_name:
 * @self: a task run
 *
 * Gets the [property@PrefectCtx.TaskRun:name] property of @self.
 *
 * Returns: (transfer none) (nullable): the name, or %NULL
 */
const char *
prefect_ctx_task_run_get_name (PrefectCtxTaskRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN (self), NULL);

  return self->name;
}

/**
 * prefect_ctx_task_run_get_flow_run_id:
 * @self: a task run
 *
 * Gets the [property@PrefectCtx.TaskRun:flow-run-id] property of @self.
 *
 * Returns: (transfer none) (nullable): the ID of the flow run, or %NULL
 */
const char *
prefect_ctx_task_run_get_flow_run_id (PrefectCtxTaskRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN (self), NULL);

  return self->flow_run_id;
}

/**
 * prefect_ctx_task_run_get_task_key:
 * @self: a task run
 *
 * Gets the [property@PrefectCtx.TaskRun:task-key] property of @self.
 *
 * Returns: (transfer none) (nullable): the task key, or %NULL
 */
const char *
prefect_ctx_task_run_get_task_key (PrefectCtxTaskRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN (self), NULL);

  return self->task_key;
}

/**
 * prefect_ctx_task_run_get_dynamic_key:
 * @self: a task run
 *
 * Gets the [property@PrefectCtx.TaskRun:dynamic-key] property of @self.
 *
 * Returns: (transfer none) (nullable): the dynamic key, or %NULL
 */
const char *
prefect_ctx_task_run_get_dynamic_key (PrefectCtxTaskRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN (self), NULL);

  return self->dynamic_key;
}

/**
 * prefect_ctx_task_run_get_tags:
 * @self: a task run
 *
 * Gets the [property@PrefectCtx.TaskRun:tags] property of @self.
 *
 * Returns: (transfer none) (array zero-terminated=1): the tags, sorted (never
 *   %NULL)
 */
const char * const *
prefect_ctx_task_run_get_tags (PrefectCtxTaskRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN (self), NULL);

  return (const char * const *) self->tags;
}

/**
 * prefect_ctx_task_run_get_state:
 * @self: a task run
 *
 * Gets the [property@PrefectCtx.TaskRun:state] property of @self.
 *
 * Returns: (transfer none) (nullable): the state, or %NULL
 */
PrefectCtxState *
prefect_ctx_task_run_get_state (PrefectCtxTaskRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN (self), NULL);

  return self->state;
}

/**
 * prefect_ctx_task_run_get_run_count:
 * @self: a task run
 *
 * Gets the [property@PrefectCtx.TaskRun:run-count] property of @self.
 *
 * Returns: the run count
 */
int
prefect_ctx_task_run_get_run_count (PrefectCtxTaskRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN (self), 0);

  return self->run_count;
}

/**
 * prefect_ctx_task_run_get_map_index:
 * @self: a task run
 *
 * Gets the [property@PrefectCtx.TaskRun:map-index] property of @self.
 *
 * Returns: the map index, or -1
 */
int
prefect_ctx_task_run_get_map_index (PrefectCtxTaskRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN (self), 0);

  return self->map_index;
}

/**
 * prefect_ctx_task_run_get_start_time:
 * @self: a task run
 *
 * Gets the [property@PrefectCtx.TaskRun:start-time] property of @self.
 *
 * Returns: (transfer none) (nullable): the time the task run started (UTC),
 *   or %NULL
 */
GDateTime *
prefect_ctx_task_run_get_start_time (PrefectCtxTaskRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN (self), NULL);

  return self->start_time;
}

/**
 * prefect_ctx_task_run_get_end_time:
 * @self: a task run
 *
 * Gets the [property@PrefectCtx.TaskRun:end-time] property of @self.
 *
 * Returns: (transfer none) (nullable): the time the task run ended (UTC), or
 *   %NULL
 */
GDateTime *
prefect_ctx_task_run_get_end_time (PrefectCtxTaskRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN (self), NULL);

  return self->end_time;
}

/**
 * prefect_ctx_task_run_get_task_inputs:
 * @self: a task run
 *
 * Gets the [property@PrefectCtx.TaskRun:task-inputs] property of @self.
 *
 * Returns: (transfer none): where the parameters came from, an `a{sv}`
 *   dictionary (never %NULL)
 */
GVariant *
prefect_ctx_task_run_get_task_inputs (PrefectCtxTaskRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN (self), NULL);

  return self->task_inputs;
}

/**
 * prefect_ctx_task_run_get_empirical_policy:
 * @self: a task run
 *
 * Gets the [property@PrefectCtx.TaskRun:empirical-policy] property of @self.
 *
 * Returns: (transfer none): the retry settings, an `a{sv}` dictionary
 *   (never %NULL)
 */
GVariant *
prefect_ctx_task_run_get_empirical_policy (PrefectCtxTaskRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TASK_RUN (self), NULL);

  return self->empirical_policy;
}
