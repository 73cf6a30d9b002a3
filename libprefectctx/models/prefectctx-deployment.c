/* prefectctx-deployment.c: a deployment as the Prefect server describes it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-deployment.h"
#include "prefectctx-json-private.h"

/**
 * PrefectCtxDeployment:
 *
 * A deployment: a flow packaged to be run by the server, with default
 * parameters, as the Prefect REST API describes it (`GET /deployments/{id}`).
 *
 * A deployment is immutable: its properties are set when it is constructed,
 * with g_object_new() or from the server's JSON with
 * [ctor@PrefectCtx.Deployment.new_from_json].
 */

struct _PrefectCtxDeployment
{
  GObject parent_instance;

  char      *id;
  char      *name;
  char      *version;
  char      *flow_id;
  GVariant  *parameters;
  GStrv      tags;
  GDateTime *created;
};

G_DEFINE_FINAL_TYPE (PrefectCtxDeployment, prefect_ctx_deployment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_VERSION,
  PROP_FLOW_ID,
  PROP_PARAMETERS,
  PROP_TAGS,
  PROP_CREATED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The JSON members, named as the server names them. */
static const PrefectCtxJsonField json_fields[] = {
  { "id",         "id",         PREFECT_CTX_JSON_STRING,  PREFECT_CTX_JSON_FIELD_NONE },
  { "name",       "name",       PREFECT_CTX_JSON_STRING,  PREFECT_CTX_JSON_FIELD_NONE },
  { "version",    "version",    PREFECT_CTX_JSON_STRING,  PREFECT_CTX_JSON_FIELD_NONE },
  { "flow_id",    "flow-id",    PREFECT_CTX_JSON_STRING,  PREFECT_CTX_JSON_FIELD_NONE },
  { "parameters", "parameters", PREFECT_CTX_JSON_VARDICT, PREFECT_CTX_JSON_FIELD_NONE },
  { "tags",       "tags",       PREFECT_CTX_JSON_STRV,    PREFECT_CTX_JSON_FIELD_NONE },
  { "created",    "created",    PREFECT_CTX_JSON_DATETIME, PREFECT_CTX_JSON_FIELD_NONE },
};

static void
prefect_ctx_deployment_finalize (GObject *object)
{
  PrefectCtxDeployment *self = PREFECT_CTX_DEPLOYMENT (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->version, g_free);
  g_clear_pointer (&self->flow_id, g_free);
  g_clear_pointer (&self->parameters, g_variant_unref);
  g_clear_pointer (&self->tags, g_strfreev);
  g_clear_pointer (&self->created, g_date_time_unref);

  G_OBJECT_CLASS (prefect_ctx_deployment_parent_class)->finalize (object);
}

static void
prefect_ctx_deployment_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  PrefectCtxDeployment *self = PREFECT_CTX_DEPLOYMENT (object);

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

    case PROP_FLOW_ID:
      g_value_set_string (value, self->flow_id);
      break;

    case PROP_PARAMETERS:
      g_value_set_variant (value, self->parameters);
      break;

    case PROP_TAGS:
      g_value_set_boxed (value, self->tags);
      break;

    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_deployment_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  PrefectCtxDeployment *self = PREFECT_CTX_DEPLOYMENT (object);

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

    case PROP_FLOW_ID:
      self->flow_id = g_value_dup_string (value);
      break;

    case PROP_PARAMETERS:
      self->parameters = _prefect_ctx_model_normalize_vardict (g_value_get_variant (value));
      break;

    case PROP_TAGS:
      self->tags = _prefect_ctx_model_normalize_tags (g_value_get_boxed (value));
      break;

    case PROP_CREATED:
      self->created = _prefect_ctx_model_normalize_datetime (g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_deployment_class_init (PrefectCtxDeploymentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = prefect_ctx_deployment_finalize;
  object_class->get_property = prefect_ctx_deployment_get_property;
  object_class->set_property = prefect_ctx_deployment_set_property;

  /**
   * PrefectCtxDeployment:id:
   *
   * The server-assigned ID of the deployment (a UUID), or %NULL when it is
   * not known. JSON member `id`.
   */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxDeployment:name:
   *
   * The name of the deployment, or %NULL. JSON member `name`.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxDeployment:version:
   *
   * The version of the deployment, or %NULL. JSON member `version`.
   */
  properties[PROP_VERSION] =
    g_param_spec_string ("version", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxDeployment:flow-id:
   *
   * The ID of the flow the deployment runs, or %NULL. JSON member `flow_id`.
   */
  properties[PROP_FLOW_ID] =
    g_param_spec_string ("flow-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxDeployment:parameters:
   *
   * The parameters of the deployment, as an `a{sv}` dictionary. Never %NULL:
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
   * PrefectCtxDeployment:tags:
   *
   * The tags of the deployment, sorted, without duplicates. Never %NULL: no
   * tags is an empty array. JSON member `tags`.
   */
  properties[PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxDeployment:created:
   *
   * The time the store created the deployment, in UTC, or %NULL when it is not
   * known (a deployment that is not a record). JSON member `created`.
   *
   * Since: 1.0
   */
  properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_deployment_init (PrefectCtxDeployment *self)
{
}

/**
 * prefect_ctx_deployment_new_from_json:
 * @json: a JSON document
 * @error: return location for a #GError
 *
 * Creates a deployment from its JSON representation, as the Prefect REST API
 * returns it. See [ctor@PrefectCtx.Deployment.new_from_json_node].
 *
 * Returns: (transfer full): a new deployment, or %NULL with @error set
 */
PrefectCtxDeployment *
prefect_ctx_deployment_new_from_json (const char  *json,
                                      GError     **error)
{
  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _prefect_ctx_json_deserialize_string (PREFECT_CTX_TYPE_DEPLOYMENT, "Deployment",
                                               json_fields, G_N_ELEMENTS (json_fields),
                                               json, error);
}

/**
 * prefect_ctx_deployment_new_from_json_node:
 * @node: a JSON node holding an object
 * @error: return location for a #GError
 *
 * Creates a deployment from a JSON object with the members of the server's
 * deployment: `id`, `name`, `version`, `flow_id`, `parameters` and `tags`.
 * Members the model does not keep are ignored; a member that is absent or
 * null leaves its property at its default. Malformed JSON, a value that is
 * not an object, or a member of the wrong JSON type (or out of range) is a
 * %PREFECT_CTX_ERROR_INVALID_ARGUMENT error whose message names the member,
 * such as `Field 'run_count' of FlowRun: expected an integer, got a string`.
 *
 * Returns: (transfer full): a new deployment, or %NULL with @error set
 */
PrefectCtxDeployment *
prefect_ctx_deployment_new_from_json_node (JsonNode  *node,
                                           GError   **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _prefect_ctx_json_deserialize (PREFECT_CTX_TYPE_DEPLOYMENT, "Deployment",
                                        json_fields, G_N_ELEMENTS (json_fields),
                                        node, error);
}

/**
 * prefect_ctx_deployment_to_json:
 * @self: a deployment
 *
 * Serializes @self to compact JSON text, with the members described in
 * [method@PrefectCtx.Deployment.to_json_node].
 *
 * Returns: (transfer full): the JSON text
 */
char *
prefect_ctx_deployment_to_json (PrefectCtxDeployment *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_DEPLOYMENT (self), NULL);

  return _prefect_ctx_json_serialize_string (self, json_fields, G_N_ELEMENTS (json_fields));
}

/**
 * prefect_ctx_deployment_to_json_node:
 * @self: a deployment
 *
 * Serializes @self to a JSON object with the members `id`, `name`, `version`,
 * `flow_id`, `parameters` and `tags`. Members whose value is %NULL are left
 * out.
 *
 * Returns: (transfer full): a JSON node holding an object
 */
JsonNode *
prefect_ctx_deployment_to_json_node (PrefectCtxDeployment *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_DEPLOYMENT (self), NULL);

  return _prefect_ctx_json_serialize (self, json_fields, G_N_ELEMENTS (json_fields));
}

/**
 * prefect_ctx_deployment_get_id:
 * @self: a deployment
 *
 * Gets the [property@PrefectCtx.Deployment:id] property of @self.
 *
 * Returns: (transfer none) (nullable): the ID of the deployment, or %NULL
 */
const char *
prefect_ctx_deployment_get_id (PrefectCtxDeployment *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_DEPLOYMENT (self), NULL);

  return self->id;
}

/**
 * prefect_ctx_deployment_get_name:
 * @self: a deployment
 *
 * Gets the [property@PrefectCtx.Deployment:name] property of @self.
 *
 * Returns: (transfer none) (nullable): the name, or %NULL
 */
const char *
prefect_ctx_deployment_get_name (PrefectCtxDeployment *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_DEPLOYMENT (self), NULL);

  return self->name;
}

/**
 * prefect_ctx_deployment_get_version:
 * @self: a deployment
 *
 * Gets the [property@PrefectCtx.Deployment:version] property of @self.
 *
 * Returns: (transfer none) (nullable): the version, or %NULL
 */
const char *
prefect_ctx_deployment_get_version (PrefectCtxDeployment *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_DEPLOYMENT (self), NULL);

  return self->version;
}

/**
 * prefect_ctx_deployment_get_flow_id:
 * @self: a deployment
 *
 * Gets the [property@PrefectCtx.Deployment:flow-id] property of @self.
 *
 * Returns: (transfer none) (nullable): the ID of the flow, or %NULL
 */
const char *
prefect_ctx_deployment_get_flow_id (PrefectCtxDeployment *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_DEPLOYMENT (self), NULL);

  return self->flow_id;
}

/**
 * prefect_ctx_deployment_get_parameters:
 * @self: a deployment
 *
 * Gets the [property@PrefectCtx.Deployment:parameters] property of @self.
 *
 * Returns: (transfer none): the parameters, an `a{sv}` dictionary (never
 *   %NULL)
 */
GVariant *
prefect_ctx_deployment_get_parameters (PrefectCtxDeployment *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_DEPLOYMENT (self), NULL);

  return self->parameters;
}

/**
 * prefect_ctx_deployment_get_tags:
 * @self: a deployment
 *
 * Gets the [property@PrefectCtx.Deployment:tags] property of @self.
 *
 * Returns: (transfer none) (array zero-terminated=1): the tags, sorted (never
 *   %NULL)
 */
const char * const *
prefect_ctx_deployment_get_tags (PrefectCtxDeployment *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_DEPLOYMENT (self), NULL);

  return (const char * const *) self->tags;
}

/**
 * prefect_ctx_deployment_get_created:
 * @self: a deployment
 *
 * Gets the [property@PrefectCtx.Deployment:created] property of @self.
 *
 * Returns: (transfer none) (nullable): the time the store created the
 *   deployment, or %NULL
 *
 * Since: 1.0
 */
GDateTime *
prefect_ctx_deployment_get_created (PrefectCtxDeployment *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_DEPLOYMENT (self), NULL);

  return self->created;
}
