/* prefectctx-state.c: the state of a flow run or task run
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "prefectctx-state.h"
#include "prefectctx-state-private.h"
#include "prefectctx-error.h"
#include "prefectctx-enums.h"
#include "prefectctx-json-private.h"

/**
 * PrefectCtxState:
 *
 * The state of a flow run or task run at one moment: a
 * [enum@PrefectCtx.StateType], a name, a timestamp and an optional message,
 * as the Prefect REST API describes it (the `state` object of a flow run, the
 * states of `GET /flow_runs/{id}/states`, the `state` of a `set_state`
 * request).
 *
 * A state is immutable: its properties are set when it is constructed. The
 * name defaults to the display name of the type (`Completed`) and the
 * timestamp to the time of construction.
 */

struct _PrefectCtxState
{
  GObject parent_instance;

  PrefectCtxStateType  state_type;
  char                *name;
  GDateTime           *timestamp;
  char                *message;
};

G_DEFINE_FINAL_TYPE (PrefectCtxState, prefect_ctx_state, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE_TYPE,
  PROP_NAME,
  PROP_TIMESTAMP,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean read_state_type  (JsonNode      *node,
                                  GValue        *value,
                                  GError       **error);
static JsonNode *write_state_type (const GValue  *value);

/* The JSON members, named as the server names them. */
static const PrefectCtxJsonField json_fields[] = {
  { "type",      "state-type", PREFECT_CTX_JSON_CUSTOM,     PREFECT_CTX_JSON_FIELD_REQUIRED,
    read_state_type, write_state_type },
  { "name",      "name",       PREFECT_CTX_JSON_STRING,     PREFECT_CTX_JSON_FIELD_NONE },
  { "timestamp", "timestamp",  PREFECT_CTX_JSON_DATETIME,   PREFECT_CTX_JSON_FIELD_NONE },
  { "message",   "message",    PREFECT_CTX_JSON_STRING,     PREFECT_CTX_JSON_FIELD_NONE },
};

typedef struct {
  const char *string;
  const char *display_name;
} StateTypeInfo;

/* Indexed by PrefectCtxStateType. */
static const StateTypeInfo state_types[] = {
  { "SCHEDULED",  "Scheduled" },
  { "PENDING",    "Pending" },
  { "RUNNING",    "Running" },
  { "COMPLETED",  "Completed" },
  { "FAILED",     "Failed" },
  { "CANCELLED",  "Cancelled" },
  { "CRASHED",    "Crashed" },
  { "PAUSED",     "Paused" },
  { "CANCELLING", "Cancelling" },
};

static gboolean
state_type_is_valid (PrefectCtxStateType type)
{
  return (guint) type < G_N_ELEMENTS (state_types);
}

static void
prefect_ctx_state_finalize (GObject *object)
{
  PrefectCtxState *self = PREFECT_CTX_STATE (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->timestamp, g_date_time_unref);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (prefect_ctx_state_parent_class)->finalize (object);
}

static void
prefect_ctx_state_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PrefectCtxState *self = PREFECT_CTX_STATE (object);

  switch (prop_id)
    {
    case PROP_STATE_TYPE:
      g_value_set_enum (value, self->state_type);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_TIMESTAMP:
      g_value_set_boxed (value, self->timestamp);
      break;

    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_state_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PrefectCtxState *self = PREFECT_CTX_STATE (object);

  switch (prop_id)
    {
    case PROP_STATE_TYPE:
      self->state_type = g_value_get_enum (value);
      break;

    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_TIMESTAMP:
      self->timestamp = _prefect_ctx_model_normalize_datetime (g_value_get_boxed (value));
      break;

    case PROP_MESSAGE:
      self->message = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_state_constructed (GObject *object)
{
  PrefectCtxState *self = PREFECT_CTX_STATE (object);

  G_OBJECT_CLASS (prefect_ctx_state_parent_class)->constructed (object);

  if (!state_type_is_valid (self->state_type))
    self->state_type = PREFECT_CTX_STATE_TYPE_SCHEDULED;
  if (self->name == NULL)
    self->name = g_strdup (state_types[self->state_type].display_name);
  if (self->timestamp == NULL)
    self->timestamp = g_date_time_new_now_utc ();
}

static void
prefect_ctx_state_class_init (PrefectCtxStateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = prefect_ctx_state_constructed;
  object_class->finalize = prefect_ctx_state_finalize;
  object_class->get_property = prefect_ctx_state_get_property;
  object_class->set_property = prefect_ctx_state_set_property;

  /**
   * PrefectCtxState:state-type:
   *
   * The type of the state. JSON member `type`, such as `COMPLETED`, required.
   */
  properties[PROP_STATE_TYPE] =
    g_param_spec_enum ("state-type", NULL, NULL,
                       PREFECT_CTX_TYPE_STATE_TYPE,
                       PREFECT_CTX_STATE_TYPE_SCHEDULED,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxState:name:
   *
   * The name of the state, such as `Completed` or `Retrying`. Never %NULL: it
   * defaults to the display name of the type. JSON member `name`.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxState:timestamp:
   *
   * The time the state was entered, in UTC. Never %NULL: it defaults to the
   * time of construction. JSON member `timestamp`.
   */
  properties[PROP_TIMESTAMP] =
    g_param_spec_boxed ("timestamp", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxState:message:
   *
   * A message that explains the state, or %NULL. JSON member `message`.
   */
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_state_init (PrefectCtxState *self)
{
}

/**
 * prefect_ctx_state_type_to_string:
 * @type: a state type
 *
 * Gets the name the Prefect server gives @type, such as `COMPLETED` for
 * %PREFECT_CTX_STATE_TYPE_COMPLETED.
 *
 * Returns: the name of @type
 */
const char *
prefect_ctx_state_type_to_string (PrefectCtxStateType type)
{
  g_return_val_if_fail (state_type_is_valid (type), NULL);

  return state_types[type].string;
}

/**
 * prefect_ctx_state_type_from_string:
 * @string: the name of a state type, such as `COMPLETED`
 * @out: (out) (optional): return location for the state type
 *
 * Looks up a state type by the name the Prefect server gives it. The name is
 * case-sensitive, as on the server.
 *
 * Returns: %TRUE if @string names a state type, %FALSE if not (and @out is
 *   left alone)
 */
gboolean
prefect_ctx_state_type_from_string (const char          *string,
                                    PrefectCtxStateType *out)
{
  g_return_val_if_fail (string != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (state_types); i++)
    {
      if (strcmp (state_types[i].string, string) == 0)
        {
          if (out != NULL)
            *out = (PrefectCtxStateType) i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * prefect_ctx_state_type_is_finished:
 * @type: a state type
 *
 * Tells whether @type is a finished (final) state type: COMPLETED, FAILED,
 * CANCELLED or CRASHED.
 *
 * Returns: %TRUE if a run in a state of type @type has finished
 */
gboolean
prefect_ctx_state_type_is_finished (PrefectCtxStateType type)
{
  switch (type)
    {
    case PREFECT_CTX_STATE_TYPE_COMPLETED:
    case PREFECT_CTX_STATE_TYPE_FAILED:
    case PREFECT_CTX_STATE_TYPE_CANCELLED:
    case PREFECT_CTX_STATE_TYPE_CRASHED:
      return TRUE;

    case PREFECT_CTX_STATE_TYPE_SCHEDULED:
    case PREFECT_CTX_STATE_TYPE_PENDING:
    case PREFECT_CTX_STATE_TYPE_RUNNING:
    case PREFECT_CTX_STATE_TYPE_PAUSED:
    case PREFECT_CTX_STATE_TYPE_CANCELLING:
    default:
      return FALSE;
    }
}

/**
 * prefect_ctx_state_new:
 * @type: the type of the state
 * @name: (nullable): the name of the state, or %NULL for the display name
 *   of @type (`Completed` for %PREFECT_CTX_STATE_TYPE_COMPLETED)
 * @message: (nullable): a message, or %NULL
 *
 * Creates a state of type @type, timestamped now.
 *
 * Returns: (transfer full): a new state
 */
PrefectCtxState *
prefect_ctx_state_new (PrefectCtxStateType  type,
                       const char          *name,
                       const char          *message)
{
  g_return_val_if_fail (state_type_is_valid (type), NULL);

  return g_object_new (PREFECT_CTX_TYPE_STATE,
                       "state-type", type,
                       "name", name,
                       "message", message,
                       NULL);
}

/**
 * prefect_ctx_state_new_from_json:
 * @json: a JSON document
 * @error: return location for a #GError
 *
 * Creates a state from its JSON representation, as the Prefect REST API
 * returns it. See [ctor@PrefectCtx.State.new_from_json_node].
 *
 * Returns: (transfer full): a new state, or %NULL with @error set
 */
PrefectCtxState *
prefect_ctx_state_new_from_json (const char  *json,
                                 GError     **error)
{
  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _prefect_ctx_json_deserialize_string (PREFECT_CTX_TYPE_STATE, "State",
                                               json_fields, G_N_ELEMENTS (json_fields),
                                               json, error);
}

/**
 * prefect_ctx_state_new_from_json_node:
 * @node: a JSON node holding an object
 * @error: return location for a #GError
 *
 * Creates a state from a JSON object with the members of the server's state:
 * `type` (required, such as `COMPLETED`; an unknown type is an error),
 * `name`, `timestamp` and `message`. Members the model does not keep are
 * ignored; a member that is absent or null leaves its property at its
 * default. Malformed JSON, a value that is not an object, or a member of the
 * wrong JSON type (or out of range) is a %PREFECT_CTX_ERROR_INVALID_ARGUMENT
 * error whose message names the member, such as `Field 'run_count' of
 * FlowRun: expected an integer, got a string`.
 *
 * Returns: (transfer full): a new state, or %NULL with @error set
 */
PrefectCtxState *
prefect_ctx_state_new_from_json_node (JsonNode  *node,
                                      GError   **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _prefect_ctx_json_deserialize (PREFECT_CTX_TYPE_STATE, "State",
                                        json_fields, G_N_ELEMENTS (json_fields),
                                        node, error);
}

/**
 * prefect_ctx_state_to_json:
 * @self: a state
 *
 * Serializes @self to compact JSON text, with the members described in
 * [method@PrefectCtx.State.to_json_node].
 *
 * Returns: (transfer full): the JSON text
 */
char *
prefect_ctx_state_to_json (PrefectCtxState *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_STATE (self), NULL);

  return _prefect_ctx_json_serialize_string (self, json_fields, G_N_ELEMENTS (json_fields));
}

/**
 * prefect_ctx_state_to_json_node:
 * @self: a state
 *
 * Serializes @self to a JSON object with the members `type`, `name`,
 * `timestamp` and `message`, as the server's state and the `state` of a
 * `set_state` request. Timestamps are written in UTC with microseconds, as
 * the server writes them (`2026-11-21T05:01:49.197991+00:00`); members whose
 * value is %NULL are left out.
 *
 * Returns: (transfer full): a JSON node holding an object
 */
JsonNode *
prefect_ctx_state_to_json_node (PrefectCtxState *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_STATE (self), NULL);

  return _prefect_ctx_json_serialize (self, json_fields, G_N_ELEMENTS (json_fields));
}

/**
 * prefect_ctx_state_get_state_type:
 * @self: a state
 *
 * Gets the [property@PrefectCtx.State:state-type] property of @self.
 *
 * Returns: the type of the state
 */
PrefectCtxStateType
prefect_ctx_state_get_state_type (PrefectCtxState *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_STATE (self), PREFECT_CTX_STATE_TYPE_SCHEDULED);

  return self->state_type;
}

/**
 * prefect_ctx_state_get_name:
 * @self: a state
 *
 * Gets the [property@PrefectCtx.State:name] property of @self.
 *
 * Returns: (transfer none): the name of the state
 */
const char *
prefect_ctx_state_get_name (PrefectCtxState *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_STATE (self), NULL);

  return self->name;
}

/**
 * prefect_ctx_state_get_timestamp:
 * @self: a state
 *
 * Gets the [property@PrefectCtx.State:timestamp] property of @self.
 *
 * Returns: (transfer none): the time of the state (UTC)
 */
GDateTime *
prefect_ctx_state_get_timestamp (PrefectCtxState *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_STATE (self), NULL);

  return self->timestamp;
}

/**
 * prefect_ctx_state_get_message:
 * @self: a state
 *
 * Gets the [property@PrefectCtx.State:message] property of @self.
 *
 * Returns: (transfer none) (nullable): the message, or %NULL
 */
const char *
prefect_ctx_state_get_message (PrefectCtxState *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_STATE (self), NULL);

  return self->message;
}

/**
 * prefect_ctx_state_is_finished:
 * @self: a state
 *
 * Tells whether @self is a finished state: its type is COMPLETED, FAILED,
 * CANCELLED or CRASHED. See [func@PrefectCtx.StateType.is_finished].
 *
 * Returns: %TRUE if a run in @self has finished
 */
gboolean
prefect_ctx_state_is_finished (PrefectCtxState *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_STATE (self), FALSE);

  return prefect_ctx_state_type_is_finished (self->state_type);
}

/* The JSON of the state type: "COMPLETED"... */
static gboolean
read_state_type (JsonNode  *node,
                 GValue    *value,
                 GError   **error)
{
  PrefectCtxStateType type;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "expected a string, got %s", _prefect_ctx_json_describe_node (node));
      return FALSE;
    }
  if (!prefect_ctx_state_type_from_string (json_node_get_string (node), &type))
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "unknown state type '%s'", json_node_get_string (node));
      return FALSE;
    }
  g_value_init (value, PREFECT_CTX_TYPE_STATE_TYPE);
  g_value_set_enum (value, type);
  return TRUE;
}

static JsonNode *
write_state_type (const GValue *value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, prefect_ctx_state_type_to_string (g_value_get_enum (value)));
  return node;
}

gboolean
_prefect_ctx_state_json_read (JsonNode  *node,
                              GValue    *value,
                              GError   **error)
{
  PrefectCtxState *state;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "expected a state object, got %s", _prefect_ctx_json_describe_node (node));
      return FALSE;
    }
  state = prefect_ctx_state_new_from_json_node (node, error);
  if (state == NULL)
    return FALSE;
  g_value_init (value, PREFECT_CTX_TYPE_STATE);
  g_value_take_object (value, state);
  return TRUE;
}

JsonNode *
_prefect_ctx_state_json_write (const GValue *value)
{
  PrefectCtxState *state = g_value_get_object (value);

  return state != NULL ? prefect_ctx_state_to_json_node (state) : NULL;
}
