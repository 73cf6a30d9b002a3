/* prefectctx-serialize.c: contexts carried to other processes as JSON
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-serialize.h"

#include <json-glib/json-glib.h>

#include "core/prefectctx-error.h"
#include "models/prefectctx-flow.h"
#include "models/prefectctx-json-private.h"
#include "models/prefectctx-flow-run.h"
#include "models/prefectctx-profile.h"
#include "models/prefectctx-settings.h"
#include "models/prefectctx-task.h"
#include "models/prefectctx-task-run.h"
#include "prefectctx-context-private.h"
#include "prefectctx-custom-context.h"
#include "prefectctx-flow-run-context.h"
#include "prefectctx-settings-context.h"
#include "prefectctx-tags-context.h"
#include "prefectctx-task-run-context.h"


/**
 * prefect_ctx_serialize_context:
 * @include_secrets: whether secret settings go along
 *
 * Serializes the contexts current on the calling thread: the same as
 * [method@PrefectCtx.Snapshot.to_json] of a snapshot captured now (Prefect
 * 3's `serialize_context()`).
 *
 * Returns: (transfer full): the JSON text
 */
char *
prefect_ctx_serialize_context (gboolean include_secrets)
{
  g_autoptr(PrefectCtxSnapshot) snapshot = prefect_ctx_snapshot_capture ();

  return prefect_ctx_snapshot_to_json (snapshot, include_secrets);
}

/* ---------------------------------------------------------------------------
 * Writing
 */

static void
add_model (JsonObject *object,
           const char *member,
           JsonNode   *node)   /* (transfer full) (nullable) */
{
  json_object_set_member (object, member, node != NULL ? node : json_node_new (JSON_NODE_NULL));
}

static void
add_vardict (JsonObject *object,
             const char *member,
             GVariant   *vardict)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = vardict != NULL ? _prefect_ctx_variant_to_json (vardict, &error) : NULL;

  /* Only a value nested too deep fails; the engine refuses those before a
   * run starts. */
  if (error != NULL)
    g_warning ("'%s' written as {}: %s", member, error->message);
  if (node != NULL)
    json_object_set_member (object, member, node);
  else
    json_object_set_object_member (object, member, json_object_new ());
}

static void
add_datetime (JsonObject *object,
              const char *member,
              GDateTime  *datetime)
{
  g_autofree char *text = datetime != NULL ? g_date_time_format_iso8601 (datetime) : NULL;

  if (text != NULL)
    json_object_set_string_member (object, member, text);
  else
    json_object_set_null_member (object, member);
}

/* A string -> string table as a JSON object sorted by key, without the
 * secret settings if @drop_secrets. */
static JsonObject *
string_map_object (GHashTable *values,
                   gboolean    drop_secrets)
{
  JsonObject *object = json_object_new ();
  g_autoptr(GList) names = g_list_sort (g_hash_table_get_keys (values), (GCompareFunc) g_strcmp0);

  for (GList *l = names; l != NULL; l = l->next)
    if (!drop_secrets || !prefect_ctx_settings_name_is_secret (l->data))
      json_object_set_string_member (object, l->data, g_hash_table_lookup (values, l->data));
  return object;
}

typedef JsonNode *(*ToJsonNode)   (gpointer model);
typedef gpointer  (*FromJsonNode) (JsonNode *node, GError **error);

/* A flow run or task run context: its two models, stored in the properties
 * named as their members ("flow" and "flow_run", "task" and "task_run"),
 * and what both kinds have: parameters, log_prints, start_time. */
static JsonObject *
run_context_object (PrefectCtxRunContext *ctx,
                    const char           *model_member,
                    ToJsonNode            model_to_json,
                    const char           *run_member,
                    ToJsonNode            run_to_json)
{
  JsonObject *object = json_object_new ();
  g_autoptr(GObject) model = NULL;
  g_autoptr(GObject) run = NULL;
  g_autoptr(GVariant) parameters = NULL;
  gboolean log_prints;

  if (ctx == NULL)
    return object;

  g_object_get (ctx,
                model_member, &model,
                run_member, &run,
                "parameters", &parameters,
                "log-prints", &log_prints,
                NULL);
  add_model (object, model_member, model != NULL ? model_to_json (model) : NULL);
  add_model (object, run_member, run != NULL ? run_to_json (run) : NULL);
  add_vardict (object, "parameters", parameters);
  json_object_set_boolean_member (object, "log_prints", log_prints);
  add_datetime (object, "start_time", prefect_ctx_run_context_get_start_time (ctx));
  return object;
}

static JsonObject *
tags_context_object (PrefectCtxTagsContext *ctx)
{
  JsonObject *object = json_object_new ();
  JsonArray *tags;
  const char * const *current;

  if (ctx == NULL)
    return object;

  tags = json_array_new ();
  current = prefect_ctx_tags_context_get_current_tags (ctx);
  for (gsize i = 0; current != NULL && current[i] != NULL; i++)
    json_array_add_string_element (tags, current[i]);
  json_object_set_array_member (object, "current_tags", tags);
  return object;
}

static JsonObject *
settings_context_object (PrefectCtxSettingsContext *ctx,
                         gboolean                   include_secrets)
{
  JsonObject *object = json_object_new ();
  PrefectCtxProfile *profile;
  g_autoptr(GHashTable) profile_values = NULL;
  g_autoptr(GHashTable) values = NULL;
  JsonObject *profile_object;

  if (ctx == NULL)
    return object;

  profile = prefect_ctx_settings_context_get_profile (ctx);
  profile_values = prefect_ctx_profile_dup_settings (profile);
  profile_object = json_object_new ();
  json_object_set_string_member (profile_object, "name", prefect_ctx_profile_get_name (profile));
  json_object_set_object_member (profile_object, "settings", string_map_object (profile_values, !include_secrets));
  json_object_set_object_member (object, "profile", profile_object);

  values = prefect_ctx_settings_dup_values (prefect_ctx_settings_context_get_settings (ctx));
  json_object_set_object_member (object, "settings", string_map_object (values, !include_secrets));
  return object;
}

static JsonObject *
custom_context_object (PrefectCtxCustomContext *ctx)
{
  JsonObject *object = json_object_new ();
  g_autoptr(GHashTable) values = NULL;

  if (ctx == NULL)
    return object;

  values = prefect_ctx_custom_context_dup_table (ctx);
  json_object_set_object_member (object, "values", string_map_object (values, FALSE));
  return object;
}

#define SNAPSHOT_GET(snapshot, TYPE, Type) \
  ((Type *) prefect_ctx_snapshot_get ((snapshot), TYPE))

/**
 * prefect_ctx_snapshot_to_json:
 * @self: a snapshot
 * @include_secrets: whether secret settings (`PREFECT_API_KEY`) go along
 *
 * Serializes the portable part of @self to a JSON object, as Prefect 3's
 * `serialize_context()` does, so that a worker in another process, in any
 * language, can rebuild it with [func@PrefectCtx.hydrate_contexts] or
 * [ctor@PrefectCtx.Snapshot.new_from_json]. The members are:
 *
 * - `flow_run_context`: `flow`, `flow_run` (REST API JSON of the models),
 *   `parameters`, `log_prints` and `start_time` of the flow run context;
 * - `task_run_context`: `task`, `task_run`, `parameters`, `log_prints` and
 *   `start_time` of the task run context;
 * - `tags_context`: `current_tags`;
 * - `settings_context`: `profile` (`name` and `settings`) and `settings`
 *   (the values set, not the defaults) of a settings context entered in
 *   @self; the root settings context is not written, as the worker has its
 *   own;
 * - `custom_context`: `values`, the merged map of the custom context;
 * - `deployment_id` and `deployment_parameters`: the flow run's deployment
 *   and, when it has one, its parameters (for readers that want them; the
 *   flow run carries both when hydrated).
 *
 * A context @self does not hold is written as an empty object, a missing
 * deployment id and its parameters as `null`, as Prefect 3.6 writes them. Secret settings are left out unless
 * @include_secrets is %TRUE. The clients of the run contexts, the object
 * registry and contexts of kinds declared by applications are not written.
 *
 * Returns: (transfer full): the JSON text
 */
char *
prefect_ctx_snapshot_to_json (PrefectCtxSnapshot *self,
                              gboolean            include_secrets)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();
  PrefectCtxFlowRunContext *flow_ctx;
  PrefectCtxFlowRun *flow_run = NULL;
  const char *deployment_id = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  flow_ctx = SNAPSHOT_GET (self, PREFECT_CTX_TYPE_FLOW_RUN_CONTEXT, PrefectCtxFlowRunContext);
  if (flow_ctx != NULL)
    flow_run = prefect_ctx_flow_run_context_get_flow_run (flow_ctx);
  if (flow_run != NULL)
    deployment_id = prefect_ctx_flow_run_get_deployment_id (flow_run);

  json_object_set_object_member (object, "flow_run_context",
                                 run_context_object (PREFECT_CTX_RUN_CONTEXT (flow_ctx),
                                                     "flow", (ToJsonNode) prefect_ctx_flow_to_json_node,
                                                     "flow_run", (ToJsonNode) prefect_ctx_flow_run_to_json_node));
  json_object_set_object_member (object, "task_run_context",
                                 run_context_object (SNAPSHOT_GET (self, PREFECT_CTX_TYPE_TASK_RUN_CONTEXT,
                                                                   PrefectCtxRunContext),
                                                     "task", (ToJsonNode) prefect_ctx_task_to_json_node,
                                                     "task_run", (ToJsonNode) prefect_ctx_task_run_to_json_node));
  json_object_set_object_member (object, "tags_context",
                                 tags_context_object (SNAPSHOT_GET (self, PREFECT_CTX_TYPE_TAGS_CONTEXT,
                                                                    PrefectCtxTagsContext)));
  json_object_set_object_member (object, "settings_context",
                                 settings_context_object (SNAPSHOT_GET (self, PREFECT_CTX_TYPE_SETTINGS_CONTEXT,
                                                                        PrefectCtxSettingsContext),
                                                          include_secrets));
  json_object_set_object_member (object, "custom_context",
                                 custom_context_object (SNAPSHOT_GET (self, PREFECT_CTX_TYPE_CUSTOM_CONTEXT,
                                                                      PrefectCtxCustomContext)));
  if (deployment_id != NULL)
    json_object_set_string_member (object, "deployment_id", deployment_id);
  else
    json_object_set_null_member (object, "deployment_id");
  if (deployment_id != NULL)
    add_vardict (object, "deployment_parameters", prefect_ctx_flow_run_get_parameters (flow_run));
  else
    json_object_set_null_member (object, "deployment_parameters");

  json_node_take_object (root, object);
  return _prefect_ctx_json_to_string (root);
}

/* ---------------------------------------------------------------------------
 * Reading
 */

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
               "Serialized context: %s", message);
  return FALSE;
}

/* The object member @member of @object: NULL (no error) when it is absent,
 * null or empty, which all mean "no such context". */
static gboolean
read_section (JsonObject  *object,
              const char  *member,
              JsonObject **section,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *section = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "'%s' must be an object", member);
  if (json_object_get_size (json_node_get_object (node)) > 0)
    *section = json_node_get_object (node);
  return TRUE;
}

/* An optional object member of @section. */
static JsonNode *
object_member (JsonObject  *section,
               const char  *context_name,
               const char  *member,
               GError     **error)
{
  JsonNode *node = json_object_get_member (section, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, "'%s.%s' must be an object", context_name, member);
      return NULL;
    }
  return node;
}

static gboolean
read_boolean (JsonObject *section,
              const char *context_name,
              const char *member,
              gboolean   *out,
              GError    **error)
{
  JsonNode *node = json_object_get_member (section, member);

  *out = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return invalid (error, "'%s.%s' must be a boolean", context_name, member);
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_parameters (JsonObject  *section,
                 const char  *context_name,
                 GVariant   **out,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (section, "parameters");
  g_autoptr(GError) local_error = NULL;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "'%s.parameters' must be an object", context_name);
  *out = _prefect_ctx_json_to_variant (node, &local_error);
  if (*out == NULL)
    return invalid (error, "'%s.parameters': %s", context_name, local_error->message);
  return TRUE;
}

static gboolean
read_start_time (JsonObject  *section,
                 const char  *context_name,
                 GDateTime  **out,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (section, "start_time");
  const char *text;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  text = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
  if (text != NULL)
    *out = g_date_time_new_from_iso8601 (text, NULL);
  if (*out == NULL)
    return invalid (error, "'%s.start_time' must be an ISO 8601 time", context_name);
  return TRUE;
}

/* A string -> string table from a JSON object of strings. */
static GHashTable *
read_string_map (JsonObject  *object,
                 const char  *what,
                 GError     **error)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          invalid (error, "'%s' member '%s' must be a string", what, name);
          return NULL;
        }
      g_hash_table_insert (table, g_strdup (name), g_strdup (json_node_get_string (node)));
    }
  return g_steal_pointer (&table);
}

/* A model in the object member @member of @section, or NULL. */
static gboolean
read_model (JsonObject    *section,
            const char    *context_name,
            const char    *member,
            FromJsonNode   from_json,
            GObject      **out,
            GError       **error)
{
  GError *local_error = NULL;
  JsonNode *node = object_member (section, context_name, member, &local_error);

  *out = node != NULL ? from_json (node, &local_error) : NULL;
  if (local_error == NULL)
    return TRUE;
  g_propagate_error (error, local_error);
  return FALSE;
}

/* A flow run or task run context of @type (see run_context_object ()); a
 * flow run context is marked detached. */
static PrefectCtxContext *
hydrate_run_context (JsonObject        *section,
                     const char        *context_name,
                     GType              type,
                     const char        *model_member,
                     FromJsonNode       model_from_json,
                     const char        *run_member,
                     FromJsonNode       run_from_json,
                     PrefectCtxClient  *client,
                     GError           **error)
{
  g_autoptr(GObject) model = NULL;
  g_autoptr(GObject) run = NULL;
  g_autoptr(GVariant) parameters = NULL;
  g_autoptr(GDateTime) start_time = NULL;
  gboolean log_prints;

  if (!read_model (section, context_name, model_member, model_from_json, &model, error) ||
      !read_model (section, context_name, run_member, run_from_json, &run, error) ||
      !read_parameters (section, context_name, &parameters, error) ||
      !read_boolean (section, context_name, "log_prints", &log_prints, error) ||
      !read_start_time (section, context_name, &start_time, error))
    return NULL;

  /* The list ends before "detached" for a task run context. */
  return g_object_new (type,
                       model_member, model,
                       run_member, run,
                       "parameters", parameters,
                       "log-prints", log_prints,
                       "start-time", start_time,
                       "client", client,
                       type == PREFECT_CTX_TYPE_FLOW_RUN_CONTEXT ? "detached" : NULL, TRUE,
                       NULL);
}

static PrefectCtxContext *
hydrate_tags_context (JsonObject  *section,
                      GError     **error)
{
  JsonNode *node = json_object_get_member (section, "current_tags");
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();
  JsonArray *array;

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          invalid (error, "'tags_context.current_tags' must be an array of strings");
          return NULL;
        }
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
            {
              invalid (error, "'tags_context.current_tags' must be an array of strings");
              return NULL;
            }
          g_ptr_array_add (tags, (gpointer) json_node_get_string (element));
        }
    }
  g_ptr_array_add (tags, NULL);

  return PREFECT_CTX_CONTEXT (prefect_ctx_tags_context_new ((const char * const *) tags->pdata));
}

static PrefectCtxContext *
hydrate_settings_context (JsonObject  *section,
                          GError     **error)
{
  g_autoptr(GHashTable) profile_values = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(PrefectCtxProfile) profile = NULL;
  g_autoptr(PrefectCtxSettings) defaults = NULL;
  g_autoptr(PrefectCtxSettings) settings = NULL;
  JsonObject *profile_object = NULL;
  JsonNode *node;
  const char *name = "default";

  node = json_object_get_member (section, "profile");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          invalid (error, "'settings_context.profile' must be an object");
          return NULL;
        }
      profile_object = json_node_get_object (node);
      node = json_object_get_member (profile_object, "name");
      if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
        {
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            {
              invalid (error, "'settings_context.profile.name' must be a string");
              return NULL;
            }
          name = json_node_get_string (node);
        }
      node = json_object_get_member (profile_object, "settings");
      if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
        {
          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              invalid (error, "'settings_context.profile.settings' must be an object");
              return NULL;
            }
          profile_values = read_string_map (json_node_get_object (node), "settings_context.profile.settings", error);
          if (profile_values == NULL)
            return NULL;
        }
    }

  node = json_object_get_member (section, "settings");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          invalid (error, "'settings_context.settings' must be an object");
          return NULL;
        }
      values = read_string_map (json_node_get_object (node), "settings_context.settings", error);
      if (values == NULL)
        return NULL;
    }

  profile = prefect_ctx_profile_new (name, profile_values, NULL, error);
  if (profile == NULL)
    return NULL;
  defaults = prefect_ctx_settings_new ();
  settings = values != NULL ? prefect_ctx_settings_copy_with_update (defaults, values, error)
                            : g_object_ref (defaults);
  if (settings == NULL)
    return NULL;

  return PREFECT_CTX_CONTEXT (prefect_ctx_settings_context_new (profile, settings));
}

static PrefectCtxContext *
hydrate_custom_context (JsonObject  *section,
                        GError     **error)
{
  JsonNode *node = json_object_get_member (section, "values");
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  GHashTableIter iter;
  gpointer key, value;

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          invalid (error, "'custom_context.values' must be an object");
          return NULL;
        }
      values = read_string_map (json_node_get_object (node), "custom_context.values", error);
      if (values == NULL)
        return NULL;
      g_hash_table_iter_init (&iter, values);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_variant_builder_add (builder, "{ss}", key, value);
    }

  return g_object_new (PREFECT_CTX_TYPE_CUSTOM_CONTEXT,
                       "values", g_variant_builder_end (builder),
                       NULL);
}

/**
 * prefect_ctx_hydrate_contexts:
 * @json: what [method@PrefectCtx.Snapshot.to_json] wrote
 * @client: (nullable): the client the rebuilt run contexts report to (the
 *   worker's own, such as [func@PrefectCtx.Client.get_default]; %NULL for
 *   none)
 * @error: return location for a #GError
 *
 * Rebuilds the contexts a serialized snapshot holds, as Prefect 3's
 * `hydrated_context()` does, in the order they are to be entered: the flow
 * run context, the task run context, the tags context, the settings
 * context, the custom context; those the snapshot did not hold are left
 * out. The contexts are new and not entered: enter them in this order and
 * exit them in the reverse one, or use
 * [ctor@PrefectCtx.Snapshot.new_from_json].
 *
 * The flow run context is marked
 * [property@PrefectCtx.FlowRunContext:detached]: it runs in another process
 * than its flow run, so the dynamic keys it hands out to task runs are
 * random UUIDs rather than counters that would clash with the parent's.
 * Run contexts get @client as their
 * [property@PrefectCtx.RunContext:client].
 *
 * Members this version does not know are ignored. A missing member means
 * an empty one.
 *
 * Returns: (transfer full): a list of [class@PrefectCtx.Context], or %NULL with %PREFECT_CTX_ERROR_INVALID_ARGUMENT when @json is not
 *   such a JSON object or one of its parts is malformed (the message names
 *   the part)
 */
GListModel *
prefect_ctx_hydrate_contexts (const char        *json,
                              PrefectCtxClient  *client,
                              GError           **error)
{
  static const char * const sections[] = {
    "flow_run_context", "task_run_context", "tags_context", "settings_context", "custom_context",
  };
  g_autoptr(GListStore) contexts = g_list_store_new (PREFECT_CTX_TYPE_CONTEXT);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (client == NULL || PREFECT_CTX_IS_CLIENT (client), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = _prefect_ctx_json_parse (json, -1, "a serialized context", error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid (error, "not a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);

  for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      JsonObject *section;
      PrefectCtxContext *context = NULL;

      if (!read_section (object, sections[i], &section, error))
        return NULL;
      if (section == NULL)
        continue;

      switch (i)
        {
        case 0:
          context = hydrate_run_context (section, sections[i], PREFECT_CTX_TYPE_FLOW_RUN_CONTEXT,
                                         "flow", (FromJsonNode) prefect_ctx_flow_new_from_json_node,
                                         "flow_run", (FromJsonNode) prefect_ctx_flow_run_new_from_json_node,
                                         client, error);
          break;
        case 1:
          context = hydrate_run_context (section, sections[i], PREFECT_CTX_TYPE_TASK_RUN_CONTEXT,
                                         "task", (FromJsonNode) prefect_ctx_task_new_from_json_node,
                                         "task_run", (FromJsonNode) prefect_ctx_task_run_new_from_json_node,
                                         client, error);
          break;
        case 2: context = hydrate_tags_context (section, error); break;
        case 3: context = hydrate_settings_context (section, error); break;
        default: context = hydrate_custom_context (section, error); break;
        }
      if (context == NULL)
        return NULL;
      g_list_store_append (contexts, context);
      g_object_unref (context);
    }

  return G_LIST_MODEL (g_steal_pointer (&contexts));
}

typedef struct
{
  GListModel         *contexts;
  PrefectCtxSnapshot *snapshot;
  GError             *error;
} Hydration;

static void
hydrate_in_empty_state (gpointer data)
{
  Hydration *hydration = data;
  guint n = g_list_model_get_n_items (hydration->contexts);
  guint entered;

  for (entered = 0; entered < n; entered++)
    {
      g_autoptr(PrefectCtxContext) context = g_list_model_get_item (hydration->contexts, entered);

      if (!prefect_ctx_context_enter (context, &hydration->error))
        break;
    }
  if (hydration->error == NULL)
    hydration->snapshot = prefect_ctx_snapshot_capture ();
  while (entered > 0)
    {
      g_autoptr(PrefectCtxContext) context = g_list_model_get_item (hydration->contexts, --entered);

      prefect_ctx_context_exit (context, NULL);
    }
}

/**
 * prefect_ctx_snapshot_new_from_json:
 * @json: what [method@PrefectCtx.Snapshot.to_json] wrote
 * @client: (nullable): the client the rebuilt run contexts report to
 * @error: return location for a #GError
 *
 * Rebuilds a snapshot serialized in another process: the contexts of
 * [func@PrefectCtx.hydrate_contexts], as if entered in order on a thread
 * with nothing entered. Run code under it with
 * [method@PrefectCtx.Snapshot.run], or carry it into workers as any
 * snapshot.
 *
 * Returns: (transfer full): the snapshot, or %NULL with @error set as
 *   [func@PrefectCtx.hydrate_contexts] sets it, or as entering one of the
 *   contexts does (such as a custom context that breaks the rules)
 */
PrefectCtxSnapshot *
prefect_ctx_snapshot_new_from_json (const char        *json,
                                    PrefectCtxClient  *client,
                                    GError           **error)
{
  g_autoptr(GListModel) contexts = NULL;
  Hydration hydration = { NULL, NULL, NULL };

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (client == NULL || PREFECT_CTX_IS_CLIENT (client), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  contexts = prefect_ctx_hydrate_contexts (json, client, error);
  if (contexts == NULL)
    return NULL;

  hydration.contexts = contexts;
  _prefect_ctx_run_with_empty_state (hydrate_in_empty_state, &hydration);
  if (hydration.error != NULL)
    {
      g_propagate_error (error, hydration.error);
      return NULL;
    }
  return hydration.snapshot;
}
