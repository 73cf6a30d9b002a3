/* prefectctx-flow.c: a flow as the Prefect server describes it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-flow.h"
#include "prefectctx-json-private.h"
#include "prefectctx-models-private.h"

/**
 * PrefectCtxFlow:
 *
 * A flow: the definition of a workflow, as the Prefect REST API describes it
 * (`GET /flows/{id}`).
 *
 * A flow is immutable: its properties are set when it is constructed.
 * [method@PrefectCtx.Flow.to_json] and [ctor@PrefectCtx.Flow.new_from_json]
 * convert it to and from the server's JSON, with the server's member names
 * (`id`, `name`, `version`, `description`, `tags`, `created`).
 *
 * It also carries what running it needs (Prefect's `@flow` options):
 * [property@PrefectCtx.Flow:retries], [property@PrefectCtx.Flow:retry-delay-seconds]
 * [property@PrefectCtx.Flow:log-prints] and
 * [property@PrefectCtx.Flow:timeout-seconds]. The server does not keep these,
 * so they are not part of the JSON form.
 *
 * A flow made without an [property@PrefectCtx.Flow:id] is a definition: when
 * it is made while an [class@PrefectCtx.ObjectRegistry] is current, it
 * registers itself there (see [func@PrefectCtx.ObjectRegistry.track]), as a
 * Prefect `Flow` does. A flow with an id is a record read from a run store
 * or a server and is not registered.
 */

struct _PrefectCtxFlow
{
  GObject parent_instance;

  char      *id;
  char      *name;
  char      *version;
  char      *description;
  GStrv      tags;
  GDateTime *created;

  int      retries;
  double   retry_delay_seconds;
  gboolean log_prints;
  double   timeout_seconds;
};

G_DEFINE_FINAL_TYPE (PrefectCtxFlow, prefect_ctx_flow, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_VERSION,
  PROP_DESCRIPTION,
  PROP_TAGS,
  PROP_CREATED,
  PROP_RETRIES,
  PROP_RETRY_DELAY_SECONDS,
  PROP_LOG_PRINTS,
  PROP_TIMEOUT_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The JSON members, named as the server names them. */
static const PrefectCtxJsonField json_fields[] = {
  { "id",          "id",          PREFECT_CTX_JSON_STRING, PREFECT_CTX_JSON_FIELD_NONE },
  { "name",        "name",        PREFECT_CTX_JSON_STRING, PREFECT_CTX_JSON_FIELD_REQUIRED },
  { "version",     "version",     PREFECT_CTX_JSON_STRING, PREFECT_CTX_JSON_FIELD_NONE },
  { "description", "description", PREFECT_CTX_JSON_STRING, PREFECT_CTX_JSON_FIELD_NONE },
  { "tags",        "tags",        PREFECT_CTX_JSON_STRV,   PREFECT_CTX_JSON_FIELD_NONE },
  { "created",     "created",     PREFECT_CTX_JSON_DATETIME, PREFECT_CTX_JSON_FIELD_NONE },
};

static void
prefect_ctx_flow_finalize (GObject *object)
{
  PrefectCtxFlow *self = PREFECT_CTX_FLOW (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->version, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->tags, g_strfreev);
  g_clear_pointer (&self->created, g_date_time_unref);

  G_OBJECT_CLASS (prefect_ctx_flow_parent_class)->finalize (object);
}

static void
prefect_ctx_flow_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PrefectCtxFlow *self = PREFECT_CTX_FLOW (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_VERSION:
      g_value_set_string (value, self->version);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_TAGS:
      g_value_set_boxed (value, self->tags);
      break;

    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
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

    case PROP_TIMEOUT_SECONDS:
      g_value_set_double (value, self->timeout_seconds);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_flow_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PrefectCtxFlow *self = PREFECT_CTX_FLOW (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_VERSION:
      self->version = g_value_dup_string (value);
      break;

    case PROP_DESCRIPTION:
      self->description = g_value_dup_string (value);
      break;

    case PROP_TAGS:
      self->tags = _prefect_ctx_model_normalize_tags (g_value_get_boxed (value));
      break;

    case PROP_CREATED:
      self->created = _prefect_ctx_model_normalize_datetime (g_value_get_boxed (value));
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

    case PROP_TIMEOUT_SECONDS:
      self->timeout_seconds = g_value_get_double (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean (*constructed_hook) (GObject *object);

void
_prefect_ctx_flow_set_constructed_hook (gboolean (*hook) (GObject *object))
{
  __atomic_store_n (&constructed_hook, hook, __ATOMIC_RELEASE);
}

static void
prefect_ctx_flow_constructed (GObject *object)
{
  PrefectCtxFlow *self = PREFECT_CTX_FLOW (object);

  G_OBJECT_CLASS (prefect_ctx_flow_parent_class)->constructed (object);

  if (self->name == NULL)
    self->name = g_strdup ("");

  /* Definitions register themselves, as Prefect's flows do; records read
   * from a store (they have an id) do not. */
  if (self->id == NULL)
    {
      gboolean (*hook) (GObject *) = __atomic_load_n (&constructed_hook, __ATOMIC_ACQUIRE);

      if (hook != NULL)
        hook (object);
    }
}

static void
prefect_ctx_flow_class_init (PrefectCtxFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = prefect_ctx_flow_constructed;
  object_class->finalize = prefect_ctx_flow_finalize;
  object_class->get_property = prefect_ctx_flow_get_property;
  object_class->set_property = prefect_ctx_flow_set_property;

  /**
   * PrefectCtxFlow:id:
   *
   * The server-assigned ID of the flow (a UUID), or %NULL when it is not
   * known. JSON member `id`.
   */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlow:name:
   *
   * The name of the flow, unique on a server. Never %NULL (an empty string
   * when not given). JSON member `name`, required.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlow:version:
   *
   * The version of the flow, or %NULL. JSON member `version`.
   */
  properties[PROP_VERSION] =
    g_param_spec_string ("version", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlow:description:
   *
   * A description of the flow, or %NULL. JSON member `description`.
   */
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlow:tags:
   *
   * The tags of the flow, sorted, without duplicates. Never %NULL: no tags is
   * an empty array. JSON member `tags`.
   */
  properties[PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlow:created:
   *
   * The time the store created the flow, in UTC, or %NULL when it is not
   * known (a flow that is not a record). JSON member `created`.
   *
   * Since: 1.0
   */
  properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlow:retries: (getter get_retries)
   *
   * How many times a failed run of the flow is retried by
   * [method@PrefectCtx.Flow.run_sync]. Not part of the JSON form.
   */
  properties[PROP_RETRIES] =
    g_param_spec_int ("retries", NULL, NULL,
                      0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlow:retry-delay-seconds: (getter get_retry_delay_seconds)
   *
   * How long to wait before a retry of the flow, in seconds. Not part of the
   * JSON form.
   */
  properties[PROP_RETRY_DELAY_SECONDS] =
    g_param_spec_double ("retry-delay-seconds", NULL, NULL,
                         0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlow:log-prints: (getter get_log_prints)
   *
   * Whether what the flow's runs print with g_print() is stored as run logs
   * (Prefect's `log_prints`). The flow run context's
   * [property@PrefectCtx.FlowRunContext:log-prints] is set from it, and
   * tasks inside inherit it. Not part of the JSON form.
   */
  properties[PROP_LOG_PRINTS] =
    g_param_spec_boolean ("log-prints", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxFlow:timeout-seconds: (getter get_timeout_seconds)
   *
   * The longest an attempt of the flow's runs may take, in seconds
   * (Prefect's `timeout_seconds`), or 0 for no limit. An attempt whose body
   * returns past it fails as `TimedOut`, whatever the body returned, and
   * retries apply as for any failure (see [method@PrefectCtx.Flow.run_sync]).
   * Not part of the JSON form.
   */
  properties[PROP_TIMEOUT_SECONDS] =
    g_param_spec_double ("timeout-seconds", NULL, NULL,
                         0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_flow_init (PrefectCtxFlow *self)
{
}

/**
 * prefect_ctx_flow_new:
 * @name: the name of the flow
 *
 * Creates a flow with a name and nothing else.
 *
 * Returns: (transfer full): a new flow
 */
PrefectCtxFlow *
prefect_ctx_flow_new (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (PREFECT_CTX_TYPE_FLOW, "name", name, NULL);
}

/**
 * prefect_ctx_flow_new_from_json:
 * @json: a JSON document
 * @error: return location for a #GError
 *
 * Creates a flow from its JSON representation, as the Prefect REST API
 * returns it. See [ctor@PrefectCtx.Flow.new_from_json_node].
 *
 * Returns: (transfer full): a new flow, or %NULL with @error set
 */
PrefectCtxFlow *
prefect_ctx_flow_new_from_json (const char  *json,
                                GError     **error)
{
  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _prefect_ctx_json_deserialize_string (PREFECT_CTX_TYPE_FLOW, "Flow",
                                               json_fields, G_N_ELEMENTS (json_fields),
                                               json, error);
}

/**
 * prefect_ctx_flow_new_from_json_node:
 * @node: a JSON node holding an object
 * @error: return location for a #GError
 *
 * Creates a flow from a JSON object with the members of the server's flow:
 * `id`, `name` (required), `version`, `description` and `tags`. Members the
 * model does not keep are ignored; a member that is absent or null leaves its
 * property at its default. Malformed JSON, a value that is not an object, or
 * a member of the wrong JSON type (or out of range) is a
 * %PREFECT_CTX_ERROR_INVALID_ARGUMENT error whose message names the member,
 * such as `Field 'run_count' of FlowRun: expected an integer, got a string`.
 *
 * Returns: (transfer full): a new flow, or %NULL with @error set
 */
PrefectCtxFlow *
prefect_ctx_flow_new_from_json_node (JsonNode  *node,
                                     GError   **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _prefect_ctx_json_deserialize (PREFECT_CTX_TYPE_FLOW, "Flow",
                                        json_fields, G_N_ELEMENTS (json_fields),
                                        node, error);
}

/**
 * prefect_ctx_flow_to_json:
 * @self: a flow
 *
 * Serializes @self to compact JSON text, with the members described in
 * [method@PrefectCtx.Flow.to_json_node].
 *
 * Returns: (transfer full): the JSON text
 */
char *
prefect_ctx_flow_to_json (PrefectCtxFlow *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (self), NULL);

  return _prefect_ctx_json_serialize_string (self, json_fields, G_N_ELEMENTS (json_fields));
}

/**
 * prefect_ctx_flow_to_json_node:
 * @self: a flow
 *
 * Serializes @self to a JSON object with the server's member names: `id`,
 * `name`, `version`, `description` and `tags`. Members whose value is %NULL
 * are left out.
 *
 * Returns: (transfer full): a JSON node holding an object
 */
JsonNode *
prefect_ctx_flow_to_json_node (PrefectCtxFlow *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (self), NULL);

  return _prefect_ctx_json_serialize (self, json_fields, G_N_ELEMENTS (json_fields));
}

/**
 * prefect_ctx_flow_get_id:
 * @self: a flow
 *
 * Gets the [property@PrefectCtx.Flow:id] property of @self.
 *
 * Returns: (transfer none) (nullable): the ID of the flow, or %NULL
 */
const char *
prefect_ctx_flow_get_id (PrefectCtxFlow *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (self), NULL);

  return self->id;
}

/**
 * prefect_ctx_flow_get_name:
 * @self: a flow
 *
 * Gets the [property@PrefectCtx.Flow:name] property of @self.
 *
 * Returns: (transfer none): the name of the flow
 */
const char *
prefect_ctx_flow_get_name (PrefectCtxFlow *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (self), NULL);

  return self->name;
}

/**
 * prefect_ctx_flow_get_version:
 * @self: a flow
 *
 * Gets the [property@PrefectCtx.Flow:version] property of @self.
 *
 * Returns: (transfer none) (nullable): the version, or %NULL
 */
const char *
prefect_ctx_flow_get_version (PrefectCtxFlow *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (self), NULL);

  return self->version;
}

/**
 * prefect_ctx_flow_get_description:
 * @self: a flow
 *
 * Gets the [property@PrefectCtx.Flow:description] property of @self.
 *
 * Returns: (transfer none) (nullable): the description, or %NULL
 */
const char *
prefect_ctx_flow_get_description (PrefectCtxFlow *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (self), NULL);

  return self->description;
}

/**
 * prefect_ctx_flow_get_tags:
 * @self: a flow
 *
 * Gets the [property@PrefectCtx.Flow:tags] property of @self.
 *
 * Returns: (transfer none) (array zero-terminated=1): the tags, sorted (never
 *   %NULL)
 */
const char * const *
prefect_ctx_flow_get_tags (PrefectCtxFlow *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (self), NULL);

  return (const char * const *) self->tags;
}

/**
 * prefect_ctx_flow_get_retries:
 * @self: a flow
 *
 * Gets the [property@PrefectCtx.Flow:retries] property of @self.
 *
 * Returns: how many times a failed run is retried
 */
int
prefect_ctx_flow_get_retries (PrefectCtxFlow *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (self), 0);

  return self->retries;
}

/**
 * prefect_ctx_flow_get_retry_delay_seconds:
 * @self: a flow
 *
 * Gets the [property@PrefectCtx.Flow:retry-delay-seconds] property of @self.
 *
 * Returns: the delay before a retry, in seconds
 */
double
prefect_ctx_flow_get_retry_delay_seconds (PrefectCtxFlow *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (self), 0.0);

  return self->retry_delay_seconds;
}

/**
 * prefect_ctx_flow_get_log_prints:
 * @self: a flow
 *
 * Gets the [property@PrefectCtx.Flow:log-prints] property of @self.
 *
 * Returns: whether prints inside the flow's runs are stored as logs
 */
gboolean
prefect_ctx_flow_get_log_prints (PrefectCtxFlow *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (self), FALSE);

  return self->log_prints;
}

/**
 * prefect_ctx_flow_get_timeout_seconds:
 * @self: a flow
 *
 * Gets the [property@PrefectCtx.Flow:timeout-seconds] property of @self.
 *
 * Returns: the longest an attempt may take, in seconds, or 0 for no limit
 */
double
prefect_ctx_flow_get_timeout_seconds (PrefectCtxFlow *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (self), 0.0);

  return self->timeout_seconds;
}

/**
 * prefect_ctx_flow_get_created:
 * @self: a flow
 *
 * Gets the [property@PrefectCtx.Flow:created] property of @self.
 *
 * Returns: (transfer none) (nullable): the time the store created the
 *   flow, or %NULL
 *
 * Since: 1.0
 */
GDateTime *
prefect_ctx_flow_get_created (PrefectCtxFlow *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_FLOW (self), NULL);

  return self->created;
}
