/* prefectctx-log-entry.c: a log line as the Prefect server stores it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-log-entry.h"
#include "prefectctx-json-private.h"

/**
 * PrefectCtxLogEntry:
 *
 * One log line of a flow run or task run, as the Prefect REST API stores it
 * (`POST /logs/` and `POST /logs/filter`).
 *
 * A log entry is immutable: its properties are set when it is constructed,
 * with g_object_new() or from the server's JSON with
 * [ctor@PrefectCtx.LogEntry.new_from_json].
 */

struct _PrefectCtxLogEntry
{
  GObject parent_instance;

  char      *name;
  int        level;
  char      *message;
  GDateTime *timestamp;
  char      *flow_run_id;
  char      *task_run_id;
};

G_DEFINE_FINAL_TYPE (PrefectCtxLogEntry, prefect_ctx_log_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_LEVEL,
  PROP_MESSAGE,
  PROP_TIMESTAMP,
  PROP_FLOW_RUN_ID,
  PROP_TASK_RUN_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The JSON members, named as the server names them. */
static const PrefectCtxJsonField json_fields[] = {
  { "name",        "name",        PREFECT_CTX_JSON_STRING,   PREFECT_CTX_JSON_FIELD_NONE },
  { "level",       "level",       PREFECT_CTX_JSON_INT,      PREFECT_CTX_JSON_FIELD_NONE },
  { "message",     "message",     PREFECT_CTX_JSON_STRING,   PREFECT_CTX_JSON_FIELD_NONE },
  { "timestamp",   "timestamp",   PREFECT_CTX_JSON_DATETIME, PREFECT_CTX_JSON_FIELD_NONE },
  { "flow_run_id", "flow-run-id", PREFECT_CTX_JSON_STRING,   PREFECT_CTX_JSON_FIELD_NONE },
  { "task_run_id", "task-run-id", PREFECT_CTX_JSON_STRING,   PREFECT_CTX_JSON_FIELD_NONE },
};

static void
prefect_ctx_log_entry_finalize (GObject *object)
{
  PrefectCtxLogEntry *self = PREFECT_CTX_LOG_ENTRY (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->timestamp, g_date_time_unref);
  g_clear_pointer (&self->flow_run_id, g_free);
  g_clear_pointer (&self->task_run_id, g_free);

  G_OBJECT_CLASS (prefect_ctx_log_entry_parent_class)->finalize (object);
}

static void
prefect_ctx_log_entry_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PrefectCtxLogEntry *self = PREFECT_CTX_LOG_ENTRY (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_LEVEL:
      g_value_set_int (value, self->level);
      break;

    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    case PROP_TIMESTAMP:
      g_value_set_boxed (value, self->timestamp);
      break;

    case PROP_FLOW_RUN_ID:
      g_value_set_string (value, self->flow_run_id);
      break;

    case PROP_TASK_RUN_ID:
      g_value_set_string (value, self->task_run_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_log_entry_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  PrefectCtxLogEntry *self = PREFECT_CTX_LOG_ENTRY (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_LEVEL:
      self->level = g_value_get_int (value);
      break;

    case PROP_MESSAGE:
      self->message = g_value_dup_string (value);
      break;

    case PROP_TIMESTAMP:
      self->timestamp = _prefect_ctx_model_normalize_datetime (g_value_get_boxed (value));
      break;

    case PROP_FLOW_RUN_ID:
      self->flow_run_id = g_value_dup_string (value);
      break;

    case PROP_TASK_RUN_ID:
      self->task_run_id = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_log_entry_constructed (GObject *object)
{
  PrefectCtxLogEntry *self = PREFECT_CTX_LOG_ENTRY (object);

  G_OBJECT_CLASS (prefect_ctx_log_entry_parent_class)->constructed (object);

  if (self->timestamp == NULL)
    self->timestamp = g_date_time_new_now_utc ();
}

static void
prefect_ctx_log_entry_class_init (PrefectCtxLogEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = prefect_ctx_log_entry_constructed;
  object_class->finalize = prefect_ctx_log_entry_finalize;
  object_class->get_property = prefect_ctx_log_entry_get_property;
  object_class->set_property = prefect_ctx_log_entry_set_property;

  /**
   * PrefectCtxLogEntry:name:
   *
   * The name of the logger, such as `prefect.flow_runs`, or %NULL. JSON
   * member `name`.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxLogEntry:level:
   *
   * The level of the line, as Python `logging` numbers them: 10 DEBUG, 20
   * INFO (the default), 30 WARNING, 40 ERROR, 50 CRITICAL. JSON member
   * `level`.
   */
  properties[PROP_LEVEL] =
    g_param_spec_int ("level", NULL, NULL,
                      0, G_MAXINT, 20,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxLogEntry:message:
   *
   * The text of the line, or %NULL. JSON member `message`.
   */
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxLogEntry:timestamp:
   *
   * The time of the line, in UTC. Never %NULL: it defaults to the time of
   * construction. JSON member `timestamp`.
   */
  properties[PROP_TIMESTAMP] =
    g_param_spec_boxed ("timestamp", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxLogEntry:flow-run-id:
   *
   * The ID of the flow run the line belongs to, or %NULL. JSON member
   * `flow_run_id`.
   */
  properties[PROP_FLOW_RUN_ID] =
    g_param_spec_string ("flow-run-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxLogEntry:task-run-id:
   *
   * The ID of the task run the line belongs to, or %NULL. JSON member
   * `task_run_id`.
   */
  properties[PROP_TASK_RUN_ID] =
    g_param_spec_string ("task-run-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_log_entry_init (PrefectCtxLogEntry *self)
{
}

/**
 * prefect_ctx_log_entry_new_from_json:
 * @json: a JSON document
 * @error: return location for a #GError
 *
 * Creates a log entry from its JSON representation, as the Prefect REST API
 * returns it. See [ctor@PrefectCtx.LogEntry.new_from_json_node].
 *
 * Returns: (transfer full): a new log entry, or %NULL with @error set
 */
PrefectCtxLogEntry *
prefect_ctx_log_entry_new_from_json (const char  *json,
                                     GError     **error)
{
  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _prefect_ctx_json_deserialize_string (PREFECT_CTX_TYPE_LOG_ENTRY, "LogEntry",
                                               json_fields, G_N_ELEMENTS (json_fields),
                                               json, error);
}

/**
 * prefect_ctx_log_entry_new_from_json_node:
 * @node: a JSON node holding an object
 * @error: return location for a #GError
 *
 * Creates a log entry from a JSON object with the members of the server's
 * log: `timestamp`, `level`, `message`, `name`, `flow_run_id` and
 * `task_run_id`. Members the model does not keep are ignored; a member that
 * is absent or null leaves its property at its default. Malformed JSON, a
 * value that is not an object, or a member of the wrong JSON type (or out of
 * range) is a %PREFECT_CTX_ERROR_INVALID_ARGUMENT error whose message names
 * the member, such as `Field 'run_count' of FlowRun: expected an integer, got
 * a string`.
 *
 * Returns: (transfer full): a new log entry, or %NULL with @error set
 */
PrefectCtxLogEntry *
prefect_ctx_log_entry_new_from_json_node (JsonNode  *node,
                                          GError   **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _prefect_ctx_json_deserialize (PREFECT_CTX_TYPE_LOG_ENTRY, "LogEntry",
                                        json_fields, G_N_ELEMENTS (json_fields),
                                        node, error);
}

/**
 * prefect_ctx_log_entry_to_json:
 * @self: a log entry
 *
 * Serializes @self to compact JSON text, with the members described in
 * [method@PrefectCtx.LogEntry.to_json_node].
 *
 * Returns: (transfer full): the JSON text
 */
char *
prefect_ctx_log_entry_to_json (PrefectCtxLogEntry *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_LOG_ENTRY (self), NULL);

  return _prefect_ctx_json_serialize_string (self, json_fields, G_N_ELEMENTS (json_fields));
}

/**
 * prefect_ctx_log_entry_to_json_node:
 * @self: a log entry
 *
 * Serializes @self to a JSON object with the members `name`, `level`,
 * `message`, `timestamp`, `flow_run_id` and `task_run_id`, the body `POST
 * /logs/` expects for one entry. Timestamps are written in UTC with
 * microseconds, as the server writes them
 * (`2026-11-21T05:01:49.197991+00:00`); members whose value is %NULL are left
 * out.
 *
 * Returns: (transfer full): a JSON node holding an object
 */
JsonNode *
prefect_ctx_log_entry_to_json_node (PrefectCtxLogEntry *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_LOG_ENTRY (self), NULL);

  return _prefect_ctx_json_serialize (self, json_fields, G_N_ELEMENTS (json_fields));
}

/**
 * prefect_ctx_log_entry_get_name:
 * @self: a log entry
 *
 * Gets the [property@PrefectCtx.LogEntry:name] property of @self.
 *
 * Returns: (transfer none) (nullable): the logger name, or %NULL
 */
const char *
prefect_ctx_log_entry_get_name (PrefectCtxLogEntry *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_LOG_ENTRY (self), NULL);

  return self->name;
}

/**
 * prefect_ctx_log_entry_get_level:
 * @self: a log entry
 *
 * Gets the [property@PrefectCtx.LogEntry:level] property of @self.
 *
 * Returns: the level
 */
int
prefect_ctx_log_entry_get_level (PrefectCtxLogEntry *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_LOG_ENTRY (self), 0);

  return self->level;
}

/**
 * prefect_ctx_log_entry_get_message:
 * @self: a log entry
 *
 * Gets the [property@PrefectCtx.LogEntry:message] property of @self.
 *
 * Returns: (transfer none) (nullable): the message, or %NULL
 */
const char *
prefect_ctx_log_entry_get_message (PrefectCtxLogEntry *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_LOG_ENTRY (self), NULL);

  return self->message;
}

/**
 * prefect_ctx_log_entry_get_timestamp:
 * @self: a log entry
 *
 * Gets the [property@PrefectCtx.LogEntry:timestamp] property of @self.
 *
 * Returns: (transfer none): the time of the line (UTC)
 */
GDateTime *
prefect_ctx_log_entry_get_timestamp (PrefectCtxLogEntry *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_LOG_ENTRY (self), NULL);

  return self->timestamp;
}

/**
 * prefect_ctx_log_entry_get_flow_run_id:
 * @self: a log entry
 *
 * Gets the [property@PrefectCtx.LogEntry:flow-run-id] property of @self.
 *
 * Returns: (transfer none) (nullable): the ID of the flow run, or %NULL
 */
const char *
prefect_ctx_log_entry_get_flow_run_id (PrefectCtxLogEntry *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_LOG_ENTRY (self), NULL);

  return self->flow_run_id;
}

/**
 * prefect_ctx_log_entry_get_task_run_id:
 * @self: a log entry
 *
 * Gets the [property@PrefectCtx.LogEntry:task-run-id] property of @self.
 *
 * Returns: (transfer none) (nullable): the ID of the task run, or %NULL
 */
const char *
prefect_ctx_log_entry_get_task_run_id (PrefectCtxLogEntry *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_LOG_ENTRY (self), NULL);

  return self->task_run_id;
}
