/* prefectctx-flow-run.c: a flow run as the Prefect server describes it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-flow-run.h"
#include "prefectctx-json-private.h"
#include "prefectctx-state-private.h"

/**
 * PrefectCtxFlowRun:
 *
 * One run of a flow, as the Prefect REST API describes it (`GET
 * /flow_runs/{id}`).
 *
 * A flow run is immutable: its properties are set when it is constructed,
 * with g_object_new() or from the server's JSON with
 * [ctor@PrefectCtx.FlowRun.new_from_json]. Its state is a
 * [class@PrefectCtx.State], the server's nested `state` object.
 */

struct _PrefectCtxFlowRun
{
  GObject parent_instance;

  GVariant        *empirical_policy;
  char            *id;
  char            *name;
  char            *flow_id;
  char            *flow_version;
  GVariant        *parameters;
  GStrv            tags;
  PrefectCtxState *state;
  char            *parent_task_run_id;
  char            *deployment_id;
  int              run_count;
  GDateTime       *expected_start_time;
  GDateTime       *start_time;
  GDateTime       *end_time;
  GDateTime       *created;
  GDateTime       *updated;
};

G_DEFINE_FINAL_TYPE (PrefectCtxFlowRun, prefect_ctx_flow_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_FLOW_ID,
  PROP_FLOW_VERSION,
  PROP_PARAMETERS,
  PROP_EMPIRICAL_POLICY,
  PROP_TAGS,
  PROP_STATE,
  PROP_PARENT_TASK_RUN_ID,
  PROP_DEPLOYMENT_ID,
  PROP_RUN_COUNT,
  PROP_EXPECTED_START_TIME,
  PROP_START_TIME,
  PROP_END_TIME,
  PROP_CREATED,
  PROP_UPDATED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The JSON members, named as the server names them. */
static const PrefectCtxJsonField json_fields[] = {
  { "id",                  "id",                  PREFECT_CTX_JSON_STRING,   PREFECT_CTX_JSON_FIELD_NONE },
  { "name",                "name",                PREFECT_CTX_JSON_STRING,   PREFECT_CTX_JSON_FIELD_NONE },
  { "flow_id",             "flow-id",             PREFECT_CTX_JSON_STRING,   PREFECT_CTX_JSON_FIELD_NONE },
  { "flow_version",        "flow-version",        PREFECT_CTX_JSON_STRING,   PREFECT_CTX_JSON_FIELD_NONE },
  { "parameters",          "parameters",          PREFECT_CTX_JSON_VARDICT,  PREFECT_CTX_JSON_FIELD_NONE },
  { "tags",                "tags",                PREFECT_CTX_JSON_STRV,     PREFECT_CTX_JSON_FIELD_NONE },
  { "state",               "state",               PREFECT_CTX_JSON_CUSTOM,   PREFECT_CTX_JSON_FIELD_NONE,
    _prefect_ctx_state_json_read, _prefect_ctx_state_json_write },
  { "parent_task_run_id",  "parent-task-run-id",  PREFECT_CTX_JSON_STRING,   PREFECT_CTX_JSON_FIELD_NONE },
  { "deployment_id",       "deployment-id",       PREFECT_CTX_JSON_STRING,   PREFECT_CTX_JSON_FIELD_NONE },
  { "run_count",           "run-count",           PREFECT_CTX_JSON_INT,      PREFECT_CTX_JSON_FIELD_NONE },
  { "expected_start_time", "expected-start-time", PREFECT_CTX_JSON_DATETIME, PREFECT_CTX_JSON_FIELD_NONE },
  { "start_time",          "start-time",          PREFECT_CTX_JSON_DATETIME, PREFECT_CTX_JSON_FIELD_NONE },
  { "end_time",            "end-time",            PREFECT_CTX_JSON_DATETIME, PREFECT_CTX_JSON_FIELD_NONE },
  { "created",             "created",             PREFECT_CTX_JSON_DATETIME, PREFECT_CTX_JSON_FIELD_NONE },
  { "updated",             "updated",             PREFECT_CTX_JSON_DATETIME, PREFECT_CTX_JSON_FIELD_NONE },
  { "empirical_policy", "empirical-policy", PREFECT_CTX_JSON_VARDICT, PREFECT_CTX_JSON_FIELD_OMIT_DEFAULT },
};

static void
prefect_ctx_flow_run_finalize (GObject *object)
{
  PrefectCtxFlowRun *self = PREFECT_CTX_FLOW_RUN (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->flow_id, g_free);
  g_clear_pointer (&self->flow_version, g_free);
  g_clear_pointer (&self->parameters, g_variant_unref);
  g_clear_pointer (&self->tags, g_strfreev);
  g_clear_pointer (&self->empirical_policy, g_variant_unref);
  g_clear_object (&self->state);
  g_clear_pointer (&self->parent_task_run_id, g_free);
  g_clear_pointer (&self->deployment_id, g_free);
  g_clear_pointer (&self->expected_start_time, g_date_time_unref);
  g_clear_pointer (&self->start_time, g_date_time_unref);
  g_clear_pointer (&self->end_time, g_date_time_unref);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->updated, g_date_time_unref);

  G_OBJECT_CLASS (prefect_ctx_flow_run_parent_class)->finalize (object);
}

static void
prefect_ctx_flow_run_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PrefectCtxFlowRun *self = PREFECT_CTX_FLOW_RUN (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_FLOW_ID:
      g_value_set_string (value, self->flow_id);
      break;

    case PROP_FLOW_VERSION:
      g_value_set_string (value, self->flow_version);
      break;

    case PROP_PARAMETERS:
      g_value_set_variant (value, self->parameters);
      break;

    case PROP_EMPIRICAL_POLICY:
      g_value_set_variant (value, self->empirical_policy);
      break;

    case PROP_TAGS:
      g_value_set_boxed (value, self->tags);
      break;

    case PROP_STATE:
      g_value_set_object (value, self->state);
      break;

    case PROP_PARENT_TASK_RUN_ID:
      g_value_set_string (value, self->parent_task_run_id);
      break;

    case PROP_DEPLOYMENT_ID:
      g_value_set_string (value, self->deployment_id);
      break;

    case PROP_RUN_COUNT:
      g_value_set_int (value, self->run_count);
      break;

    case PROP_EXPECTED_START_TIME:
      g_value_set_boxed (value, self->expected_start_time);
      break;

    case PROP_START_TIME:
      g_value_set_boxed (value, self->start_time);
      break;

    case PROP_END_TIME:
      g_value_set_boxed (value, self->end_time);
      break;

    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;

    case PROP_UPDATED:
      g_value_set_boxed (value, self->updated);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_flow_run_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  PrefectCtxFlowRun *self = PREFECT_CTX_FLOW_RUN (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_FLOW_ID:
      self->flow_id = g_value_dup_string (value);
      break;

    case PROP_FLOW_VERSION:
      self->flow_version = g_value_dup_string (value);
      break;

    case PROP_PARAMETERS:
      self->parameters = _prefect_ctx_model_normalize_vardict (g_value_get_variant (value));
      break;

    case PROP_EMPIRICAL_POLICY:
      self->empirical_policy = _prefect_ctx_model_normalize_vardict (g_value_get_variant (value));
      break;

    case PROP_TAGS:
      self->tags = _prefect_ctx_model_normalize_tags (g_value_get_boxed (value));
      break;

    case PROP_STATE:
      self->state = g_value_dup_object (value);
      break;

    case PROP_PARENT_TASK_RUN_ID:
      self->parent_task_run_id = g_value_dup_string (value);
      break;

    case PROP_DEPLOYMENT_ID:
      self->deployment_id = g_value_dup_string (value);
      break;

    case PROP_RUN_COUNT:
      self->run_count = g_value_get_int (value);
      break;

    case PROP_EXPECTED_START_TIME:
      self->expected_start_time = _prefect_ctx_model_normalize_datetime (g_value_get_boxed (value));
      break;

    case PROP_START_TIME:
      self->start_time = _prefect_ctx_model_normalize_datetime (g_value_get_boxed (value));
      break;

    case PROP_END_TIME:
      self->end_time = _prefect_ctx_model_normalize_datetime (g_value_get_boxed (value));
      break;

    case PROP_CREATED:
      self->created = _prefect_ctx_model_normalize_datetime (g_value_get_boxed (value));
      break;

    case PROP_UPDATED:
      self->updated = _prefect_ctx_model_normalize_datetime (g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_flow_run_class_init (PrefectCtxFlowRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = prefect_ctx_flow_run_finalize;
  object_class->get_property = prefect_ctx_flow_run_get_property;
  object_class->set_property = prefect_ctx_flow_run_set_property;

  /**
   * PrefectCtxFlowRun:id:
   *
   * The server-assigned ID of the flow run (a UUID), or %NULL when it is not
   * known. JSON member `id`.
   */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRun:name:
   *
   * The name of the flow run (such as `zesty-jaguar`), or %NULL. JSON member
   * `name`.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRun:flow-id:
   *
   * The ID of the flow the run belongs to, or %NULL. JSON member `flow_id`.
   */
  properties[PROP_FLOW_ID] =
    g_param_spec_string ("flow-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRun:flow-version:
   *
   * The version of the flow that ran, or %NULL. JSON member `flow_version`.
   */
  properties[PROP_FLOW_VERSION] =
    g_param_spec_string ("flow-version", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRun:parameters:
   *
   * The parameters of the flow run, as an `a{sv}` dictionary. Never %NULL:
   * setting %NULL gives an empty dictionary. JSON member `parameters`, an
   * object: JSON numbers become `x` (integers) or `d`, strings `s`, booleans
   * `b`, objects `a{sv}`, arrays `av`, and null an empty maybe (`mv`), which
   * is written back as null.
   */
  properties[PROP_PARAMETERS] =
    g_param_spec_variant ("parameters", NULL, NULL,
                          G_VARIANT_TYPE_VARDICT, NULL,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRun:empirical-policy:
   *
   * The retry settings of the run, as Prefect's `empirical_policy`: an
   * `a{sv}` dictionary with `retries` and `retry_delay` (seconds), which the
   * engine fills from the flow's retries and retry delay. Never %NULL:
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
   * PrefectCtxFlowRun:tags:
   *
   * The tags of the flow run, sorted, without duplicates. Never %NULL: no
   * tags is an empty array. JSON member `tags`.
   */
  properties[PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRun:state:
   *
   * The current state of the flow run, or %NULL when it has none. JSON member
   * `state`, a nested state object.
   */
  properties[PROP_STATE] =
    g_param_spec_object ("state", NULL, NULL,
                         PREFECT_CTX_TYPE_STATE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRun:parent-task-run-id:
   *
   * The ID of the task run that started this flow run as a subflow, or %NULL.
   * JSON member `parent_task_run_id`.
   */
  properties[PROP_PARENT_TASK_RUN_ID] =
    g_param_spec_string ("parent-task-run-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRun:deployment-id:
   *
   * The ID of the deployment that created the flow run, or %NULL. JSON member
   * `deployment_id`.
   */
  properties[PROP_DEPLOYMENT_ID] =
    g_param_spec_string ("deployment-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRun:run-count:
   *
   * How many times the flow run has run (0 before its first run). JSON member
   * `run_count`.
   */
  properties[PROP_RUN_COUNT] =
    g_param_spec_int ("run-count", NULL, NULL,
                      0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRun:expected-start-time:
   *
   * The time the flow run was expected to start, in UTC, or %NULL when it is
   * not known. JSON member `expected_start_time`.
   */
  properties[PROP_EXPECTED_START_TIME] =
    g_param_spec_boxed ("expected-start-time", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRun:start-time:
   *
   * The time the flow run actually started, in UTC, or %NULL when it is not
   * known. JSON member `start_time`.
   */
  properties[PROP_START_TIME] =
    g_param_spec_boxed ("start-time", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRun:end-time:
   *
   * The time the flow run ended, in UTC, or %NULL when it is not known. JSON
   * member `end_time`.
   */
  properties[PROP_END_TIME] =
    g_param_spec_boxed ("end-time", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRun:created:
   *
   * The time the server created the flow run, in UTC, or %NULL when it is not
   * known. JSON member `created`.
   */
  properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlowRun:updated:
   *
   * The time the server last updated the flow run, in UTC, or %NULL when it
   * is not known. JSON member `updated`.
   */
  properties[PROP_UPDATED] =
    g_param_spec_boxed ("updated", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_flow_run_init (PrefectCtxFlowRun *self)
{
}

/**
 * prefect_ctx_flow_run_new_from_json:
 * @json: a JSON document
 * @error: return location for a #GError
 *
 * Creates a flow run from its JSON representation, as the Prefect REST API
 * returns it. See [ctor@PrefectCtx.FlowRun.new_from_json_node].
 *
 * Returns: (transfer full): a new flow run, or %NULL with @error set
 */
PrefectCtxFlowRun *
prefect_ctx_flow_run_new_from_json (const char  *json,
                                    GError     **error)
{
  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _prefect_ctx_json_deserialize_string (PREFECT_CTX_TYPE_FLOW_RUN, "FlowRun",
                                               json_fields, G_N_ELEMENTS (json_fields),
                                               json, error);
}

/**
 * prefect_ctx_flow_run_new_from_json_node:
 * @node: a JSON node holding an object
 * @error: return location for a #GError
 *
 * Creates a flow run from a JSON object with the members of the server's flow
 * run: `id`, `name`, `flow_id`, `flow_version`, `parameters`, `tags`, `state`
 * (a nested state object, see [ctor@PrefectCtx.State.new_from_json_node]),
 * `parent_task_run_id`, `deployment_id`, `run_count`, `expected_start_time`,
 * `start_time`, `end_time`, `created` and `updated`. Members the model does
 * not keep are ignored; a member that is absent or null leaves its property
 * at its default. Malformed JSON, a value that is not an object, or a member
 * of the wrong JSON type (or out of range) is a
 * %PREFECT_CTX_ERROR_INVALID_ARGUMENT error whose message names the member,
 * such as `Field 'run_count' of FlowRun: expected an integer, got a string`.
 *
 * Returns: (transfer full): a new flow run, or %NULL with @error set
 */
PrefectCtxFlowRun *
prefect_ctx_flow_run_new_from_json_node (JsonNode  *node,
                                         GError   **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _prefect_ctx_json_deserialize (PREFECT_CTX_TYPE_FLOW_RUN, "FlowRun",
                                        json_fields, G_N_ELEMENTS (json_fields),
                                        node, error);
}

/**
 * prefect_ctx_flow_run_to_json:
 * @self: a flow run
 *
 * Serializes @self to compact JSON text, with the members described in
 * [method@PrefectCtx.FlowRun.to_json_node].
 *
 * Returns: (transfer full): the JSON text
 */
char *
prefect_ctx_flow_run_to_json (PrefectCtxFlowRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (self), NULL);

  return _prefect_ctx_json_serialize_string (self, json_fields, G_N_ELEMENTS (json_fields));
}

/**
 * prefect_ctx_flow_run_to_json_node:
 * @self: a flow run
 *
 * Serializes @self to a JSON object with the server's member names (see
 * [ctor@PrefectCtx.FlowRun.new_from_json_node]); `parameters` and `tags` are
 * always written, the state as a nested object. Timestamps are written in UTC
 * with microseconds, as the server writes them
 * (`2026-11-21T05:01:49.197991+00:00`); members whose value is %NULL are left
 * out.
 *
 * Returns: (transfer full): a JSON node holding an object
 */
JsonNode *
prefect_ctx_flow_run_to_json_node (PrefectCtxFlowRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (self), NULL);

  return _prefect_ctx_json_serialize (self, json_fields, G_N_ELEMENTS (json_fields));
}

/**
 * prefect_ctx_flow_run_get_id:
 * @self: a flow run
 *
 * Gets the [property@PrefectCtx.FlowRun:id] property of @self.
 *
 * Returns: (transfer none) (nullable): the ID of the flow run, or %NULL
 */
const char *
prefect_ctx_flow_run_get_id (PrefectCtxFlowRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (self), NULL);

  return self->id;
}

/**
 * prefect_ctx_flow_run_get_name:
 * @self: a flow run
 *
 * Gets the [property@PrefectCtx.FlowRun:name] property of @self.
 *
 * Returns: (transfer none) (nullable): the name, or %NULL
 */
const char *
prefect_ctx_flow_run_get_name (PrefectCtxFlowRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (self), NULL);

  return self->name;
}

/**
 * prefect_ctx_flow_run_get_flow_id:
 * @self: a flow run
 *
 * Gets the [property@PrefectCtx.FlowRun:flow-id] property of @self.
 *
 * Returns: (transfer none) (nullable): the ID of the flow, or %NULL
 */
const char *
prefect_ctx_flow_run_get_flow_id (PrefectCtxFlowRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (self), NULL);

  return self->flow_id;
}

/**
 * prefect_ctx_flow_run_get_flow_version:
 * @self: a flow run
 *
 * Gets the [property@PrefectCtx.FlowRun:flow-version] property of @self.
 *
 * Returns: (transfer none) (nullable): the flow version, or %NULL
 */
const char *
prefect_ctx_flow_run_get_flow_version (PrefectCtxFlowRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (self), NULL);

  return self->flow_version;
}

/**
 * prefect_ctx_flow_run_get_parameters:
 * @self: a flow run
 *
 * Gets the [property@PrefectCtx.FlowRun:parameters] property of @self.
 *
 * Returns: (transfer none): the parameters, an `a{sv}` dictionary (never
 *   %NULL)
 */
GVariant *
prefect_ctx_flow_run_get_parameters (PrefectCtxFlowRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (self), NULL);

  return self->parameters;
}

/**
 * prefect_ctx_flow_run_get_tags:
 * @self: a flow run
 *
 * Gets the [property@PrefectCtx.FlowRun:tags] property of @self.
 *
 * Returns: (transfer none) (array zero-terminated=1): the tags, sorted (never
 *   %NULL)
 */
const char * const *
prefect_ctx_flow_run_get_tags (PrefectCtxFlowRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (self), NULL);

  return (const char * const *) self->tags;
}

/**
 * prefect_ctx_flow_run_get_state:
 * @self: a flow run
 *
 * Gets the [property@PrefectCtx.FlowRun:state] property of @self.
 *
 * Returns: (transfer none) (nullable): the state, or %NULL
 */
PrefectCtxState *
prefect_ctx_flow_run_get_state (PrefectCtxFlowRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (self), NULL);

  return self->state;
}

/**
 * prefect_ctx_flow_run_get_parent_task_run_id:
 * @self: a flow run
 *
 * Gets the [property@PrefectCtx.FlowRun:parent-task-run-id] property of
 * @self.
 *
 * Returns: (transfer none) (nullable): the ID of the parent task run, or
 *   %NULL
 */
const char *
prefect_ctx_flow_run_get_parent_task_run_id (PrefectCtxFlowRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (self), NULL);

  return self->parent_task_run_id;
}

/**
 * prefect_ctx_flow_run_get_deployment_id:
 * @self: a flow run
 *
 * Gets the [property@PrefectCtx.FlowRun:deployment-id] property of @self.
 *
 * Returns: (transfer none) (nullable): the ID of the deployment, or %NULL
 */
const char *
prefect_ctx_flow_run_get_deployment_id (PrefectCtxFlowRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (self), NULL);

  return self->deployment_id;
}

/**
 * prefect_ctx_flow_run_get_run_count:
 * @self: a flow run
 *
 * Gets the [property@PrefectCtx.FlowRun:run-count] property of @self.
 *
 * Returns: the run count
 */
int
prefect_ctx_flow_run_get_run_count (PrefectCtxFlowRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (self), 0);

  return self->run_count;
}

/**
 * prefect_ctx_flow_run_get_expected_start_time:
 * @self: a flow run
 *
 * Gets the [property@PrefectCtx.FlowRun:expected-start-time] property of
 * @self.
 *
 * Returns: (transfer none) (nullable): the time the flow run was expected to
 *   start (UTC), or %NULL
 */
GDateTime *
prefect_ctx_flow_run_get_expected_start_time (PrefectCtxFlowRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (self), NULL);

  return self->expected_start_time;
}

/**
 * prefect_ctx_flow_run_get_start_time:
 * @self: a flow run
 *
 * Gets the [property@PrefectCtx.FlowRun:start-time] property of @self.
 *
 * Returns: (transfer none) (nullable): the time the flow run actually started
 *   (UTC), or %NULL
 */
GDateTime *
prefect_ctx_flow_run_get_start_time (PrefectCtxFlowRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (self), NULL);

  return self->start_time;
}

/**
 * prefect_ctx_flow_run_get_end_time:
 * @self: a flow run
 *
 * Gets the [property@PrefectCtx.FlowRun:end-time] property of @self.
 *
 * Returns: (transfer none) (nullable): the time the flow run ended (UTC), or
 *   %NULL
 */
GDateTime *
prefect_ctx_flow_run_get_end_time (PrefectCtxFlowRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (self), NULL);

  return self->end_time;
}

/**
 * prefect_ctx_flow_run_get_created:
 * @self: a flow run
 *
 * Gets the [property@PrefectCtx.FlowRun:created] property of @self.
 *
 * Returns: (transfer none) (nullable): the time the server created the flow
 *   run (UTC), or %NULL
 */
GDateTime *
prefect_ctx_flow_run_get_created (PrefectCtxFlowRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (self), NULL);

  return self->created;
}

/**
 * prefect_ctx_flow_run_get_updated:
 * @self: a flow run
 *
 * Gets the [property@PrefectCtx.FlowRun:updated] property of @self.
 *
 * Returns: (transfer none) (nullable): the time the server last updated the
 *   flow run (UTC), or %NULL
 */
GDateTime *
prefect_ctx_flow_run_get_updated (PrefectCtxFlowRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (self), NULL);

  return self->updated;
}

/**
 * prefect_ctx_flow_run_get_empirical_policy:
 * @self: a flow run
 *
 * Gets the [property@PrefectCtx.FlowRun:empirical-policy] property of @self.
 *
 * Returns: (transfer none): the retry settings, an `a{sv}` dictionary
 *   (never %NULL)
 */
GVariant *
prefect_ctx_flow_run_get_empirical_policy (PrefectCtxFlowRun *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW_RUN (self), NULL);

  return self->empirical_policy;
}
