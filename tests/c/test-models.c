/* test-models.c: the model objects and their JSON form
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <prefectctx.h>

/* Helpers */

static char *
load_sample (const char *name)
{
  const char *dir = g_getenv ("PREFECT_CTX_SAMPLES_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  if (dir != NULL)
    path = g_build_filename (dir, name, NULL);
  else
    path = g_test_build_filename (G_TEST_DIST, "..", "samples", name, NULL);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static JsonNode *
load_sample_node (const char *name)
{
  g_autofree char *contents = load_sample (name);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = json_from_string (contents, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

#define assert_datetime(dt, expected) G_STMT_START { \
  GDateTime *_dt = (dt); \
  g_autofree char *_formatted = NULL; \
  g_assert_nonnull (_dt); \
  _formatted = g_date_time_format (_dt, "%Y-%m-%dT%H:%M:%S.%f%:z"); \
  g_assert_cmpstr (_formatted, ==, (expected)); \
  g_assert_cmpint (g_date_time_get_utc_offset (_dt), ==, 0); \
} G_STMT_END

static void
assert_strv (const char * const *strv,
             const char * const *expected)
{
  g_assert_nonnull (strv);
  g_assert_cmpstrv (strv, expected);
}

static void
assert_int_parameter (GVariant   *parameters,
                      const char *key,
                      gint64      expected)
{
  gint64 value = 0;

  g_assert_nonnull (parameters);
  g_assert_true (g_variant_is_of_type (parameters, G_VARIANT_TYPE_VARDICT));
  g_assert_true (g_variant_lookup (parameters, key, "x", &value));
  g_assert_cmpint (value, ==, expected);
}

/* Parses @json as a model of @type; the error message must match @message
 * exactly, or start with @message when it ends with '*'. */
static GObject *
parse_model (GType       type,
             const char *json,
             GError    **error)
{
  if (type == PREFECT_CTX_TYPE_STATE)
    return (GObject *) prefect_ctx_state_new_from_json (json, error);
  if (type == PREFECT_CTX_TYPE_FLOW)
    return (GObject *) prefect_ctx_flow_new_from_json (json, error);
  if (type == PREFECT_CTX_TYPE_FLOW_RUN)
    return (GObject *) prefect_ctx_flow_run_new_from_json (json, error);
  if (type == PREFECT_CTX_TYPE_TASK)
    return (GObject *) prefect_ctx_task_new_from_json (json, error);
  if (type == PREFECT_CTX_TYPE_TASK_RUN)
    return (GObject *) prefect_ctx_task_run_new_from_json (json, error);
  if (type == PREFECT_CTX_TYPE_DEPLOYMENT)
    return (GObject *) prefect_ctx_deployment_new_from_json (json, error);
  if (type == PREFECT_CTX_TYPE_LOG_ENTRY)
    return (GObject *) prefect_ctx_log_entry_new_from_json (json, error);
  g_assert_not_reached ();
}

static GObject *
parse_model_node (GType     type,
                  JsonNode *node,
                  GError  **error)
{
  if (type == PREFECT_CTX_TYPE_STATE)
    return (GObject *) prefect_ctx_state_new_from_json_node (node, error);
  if (type == PREFECT_CTX_TYPE_FLOW)
    return (GObject *) prefect_ctx_flow_new_from_json_node (node, error);
  if (type == PREFECT_CTX_TYPE_FLOW_RUN)
    return (GObject *) prefect_ctx_flow_run_new_from_json_node (node, error);
  if (type == PREFECT_CTX_TYPE_TASK)
    return (GObject *) prefect_ctx_task_new_from_json_node (node, error);
  if (type == PREFECT_CTX_TYPE_TASK_RUN)
    return (GObject *) prefect_ctx_task_run_new_from_json_node (node, error);
  if (type == PREFECT_CTX_TYPE_DEPLOYMENT)
    return (GObject *) prefect_ctx_deployment_new_from_json_node (node, error);
  if (type == PREFECT_CTX_TYPE_LOG_ENTRY)
    return (GObject *) prefect_ctx_log_entry_new_from_json_node (node, error);
  g_assert_not_reached ();
}

static char *
model_to_json (GObject *object)
{
  if (PREFECT_CTX_IS_STATE (object))
    return prefect_ctx_state_to_json (PREFECT_CTX_STATE (object));
  if (PREFECT_CTX_IS_FLOW (object))
    return prefect_ctx_flow_to_json (PREFECT_CTX_FLOW (object));
  if (PREFECT_CTX_IS_FLOW_RUN (object))
    return prefect_ctx_flow_run_to_json (PREFECT_CTX_FLOW_RUN (object));
  if (PREFECT_CTX_IS_TASK (object))
    return prefect_ctx_task_to_json (PREFECT_CTX_TASK (object));
  if (PREFECT_CTX_IS_TASK_RUN (object))
    return prefect_ctx_task_run_to_json (PREFECT_CTX_TASK_RUN (object));
  if (PREFECT_CTX_IS_DEPLOYMENT (object))
    return prefect_ctx_deployment_to_json (PREFECT_CTX_DEPLOYMENT (object));
  if (PREFECT_CTX_IS_LOG_ENTRY (object))
    return prefect_ctx_log_entry_to_json (PREFECT_CTX_LOG_ENTRY (object));
  g_assert_not_reached ();
}

static JsonNode *
model_to_json_node (GObject *object)
{
  if (PREFECT_CTX_IS_STATE (object))
    return prefect_ctx_state_to_json_node (PREFECT_CTX_STATE (object));
  if (PREFECT_CTX_IS_FLOW (object))
    return prefect_ctx_flow_to_json_node (PREFECT_CTX_FLOW (object));
  if (PREFECT_CTX_IS_FLOW_RUN (object))
    return prefect_ctx_flow_run_to_json_node (PREFECT_CTX_FLOW_RUN (object));
  if (PREFECT_CTX_IS_TASK (object))
    return prefect_ctx_task_to_json_node (PREFECT_CTX_TASK (object));
  if (PREFECT_CTX_IS_TASK_RUN (object))
    return prefect_ctx_task_run_to_json_node (PREFECT_CTX_TASK_RUN (object));
  if (PREFECT_CTX_IS_DEPLOYMENT (object))
    return prefect_ctx_deployment_to_json_node (PREFECT_CTX_DEPLOYMENT (object));
  if (PREFECT_CTX_IS_LOG_ENTRY (object))
    return prefect_ctx_log_entry_to_json_node (PREFECT_CTX_LOG_ENTRY (object));
  g_assert_not_reached ();
}

/* Serializes @object, parses the text back, and checks that the copy
 * serializes to the same text and has the same property values. */
static void
assert_round_trip (GObject *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GObject) copy_from_node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  g_autofree char *json_from_node = NULL;
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  json = model_to_json (object);
  g_assert_nonnull (json);

  copy = parse_model (G_OBJECT_TYPE (object), json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  g_assert_true (G_OBJECT_TYPE (copy) == G_OBJECT_TYPE (object));

  json_again = model_to_json (copy);
  g_assert_cmpstr (json_again, ==, json);

  node = model_to_json_node (object);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  copy_from_node = parse_model_node (G_OBJECT_TYPE (object), node, &error);
  g_assert_no_error (error);
  json_from_node = model_to_json (copy_from_node);
  g_assert_cmpstr (json_from_node, ==, json);

  /* Every property has the same value in the copy. */
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) a = G_VALUE_INIT;
      g_auto(GValue) b = G_VALUE_INIT;

      g_value_init (&a, pspecs[i]->value_type);
      g_value_init (&b, pspecs[i]->value_type);
      g_object_get_property (object, pspecs[i]->name, &a);
      g_object_get_property (copy, pspecs[i]->name, &b);

      if (pspecs[i]->value_type == G_TYPE_DATE_TIME)
        {
          GDateTime *da = g_value_get_boxed (&a);
          GDateTime *db = g_value_get_boxed (&b);

          g_assert_true ((da == NULL) == (db == NULL));
          if (da != NULL)
            g_assert_true (g_date_time_equal (da, db));
        }
      else if (pspecs[i]->value_type == G_TYPE_STRV)
        {
          g_assert_cmpstrv (g_value_get_boxed (&a), g_value_get_boxed (&b));
        }
      else if (pspecs[i]->value_type == G_TYPE_VARIANT)
        {
          GVariant *va = g_value_get_variant (&a);
          GVariant *vb = g_value_get_variant (&b);

          /* NULL for a property outside the JSON form (Task:task-inputs). */
          g_assert_true ((va == NULL) == (vb == NULL));
          if (va != NULL)
            g_assert_true (g_variant_equal (va, vb));
        }
      else if (pspecs[i]->value_type == PREFECT_CTX_TYPE_STATE)
        {
          GObject *sa = g_value_get_object (&a);
          GObject *sb = g_value_get_object (&b);

          g_assert_true ((sa == NULL) == (sb == NULL));
          if (sa != NULL)
            {
              g_autofree char *ja = model_to_json (sa);
              g_autofree char *jb = model_to_json (sb);

              g_assert_cmpstr (ja, ==, jb);
            }
        }
      else
        {
          g_assert_cmpint (g_param_values_cmp (pspecs[i], &a, &b), ==, 0);
        }
    }
}

/* State types */

static void
test_state_type_strings (void)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (PREFECT_CTX_TYPE_STATE_TYPE);
  static const char *names[] = {
    "SCHEDULED", "PENDING", "RUNNING", "COMPLETED", "FAILED",
    "CANCELLED", "CRASHED", "PAUSED", "CANCELLING",
  };
  PrefectCtxStateType type;

  g_assert_cmpuint (enum_class->n_values, ==, G_N_ELEMENTS (names));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_cmpstr (prefect_ctx_state_type_to_string (i), ==, names[i]);
      type = 100;
      g_assert_true (prefect_ctx_state_type_from_string (names[i], &type));
      g_assert_cmpint (type, ==, i);
      g_assert_true (prefect_ctx_state_type_from_string (names[i], NULL));
    }

  g_assert_cmpstr (prefect_ctx_state_type_to_string (PREFECT_CTX_STATE_TYPE_COMPLETED), ==, "COMPLETED");

  type = PREFECT_CTX_STATE_TYPE_PAUSED;
  g_assert_false (prefect_ctx_state_type_from_string ("completed", &type));
  g_assert_false (prefect_ctx_state_type_from_string ("", &type));
  g_assert_false (prefect_ctx_state_type_from_string ("DONE", &type));
  g_assert_cmpint (type, ==, PREFECT_CTX_STATE_TYPE_PAUSED);
}

static void
test_state_is_finished (void)
{
  static const struct {
    PrefectCtxStateType type;
    gboolean            finished;
  } cases[] = {
    { PREFECT_CTX_STATE_TYPE_SCHEDULED,  FALSE },
    { PREFECT_CTX_STATE_TYPE_PENDING,    FALSE },
    { PREFECT_CTX_STATE_TYPE_RUNNING,    FALSE },
    { PREFECT_CTX_STATE_TYPE_COMPLETED,  TRUE },
    { PREFECT_CTX_STATE_TYPE_FAILED,     TRUE },
    { PREFECT_CTX_STATE_TYPE_CANCELLED,  TRUE },
    { PREFECT_CTX_STATE_TYPE_CRASHED,    TRUE },
    { PREFECT_CTX_STATE_TYPE_PAUSED,     FALSE },
    { PREFECT_CTX_STATE_TYPE_CANCELLING, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PrefectCtxState) state = prefect_ctx_state_new (cases[i].type, NULL, NULL);

      g_assert_cmpint (prefect_ctx_state_type_is_finished (cases[i].type), ==, cases[i].finished);
      g_assert_cmpint (prefect_ctx_state_is_finished (state), ==, cases[i].finished);
    }
}

/* Defaults */

static void
test_state_defaults (void)
{
  static const char *display_names[] = {
    "Scheduled", "Pending", "Running", "Completed", "Failed",
    "Cancelled", "Crashed", "Paused", "Cancelling",
  };
  g_autoptr(PrefectCtxState) named = NULL;
  g_autoptr(PrefectCtxState) plain = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (display_names); i++)
    {
      g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
      g_autoptr(PrefectCtxState) state = prefect_ctx_state_new (i, NULL, NULL);
      g_autoptr(GDateTime) after = g_date_time_new_now_utc ();
      GDateTime *timestamp = prefect_ctx_state_get_timestamp (state);

      g_assert_cmpint (prefect_ctx_state_get_state_type (state), ==, i);
      g_assert_cmpstr (prefect_ctx_state_get_name (state), ==, display_names[i]);
      g_assert_null (prefect_ctx_state_get_message (state));
      g_assert_nonnull (timestamp);
      g_assert_cmpint (g_date_time_get_utc_offset (timestamp), ==, 0);
      g_assert_cmpint (g_date_time_compare (before, timestamp), <=, 0);
      g_assert_cmpint (g_date_time_compare (timestamp, after), <=, 0);
    }

  named = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_SCHEDULED, "AwaitingRetry", "retry 1");
  g_assert_cmpstr (prefect_ctx_state_get_name (named), ==, "AwaitingRetry");
  g_assert_cmpstr (prefect_ctx_state_get_message (named), ==, "retry 1");

  plain = g_object_new (PREFECT_CTX_TYPE_STATE, NULL);
  g_assert_cmpint (prefect_ctx_state_get_state_type (plain), ==, PREFECT_CTX_STATE_TYPE_SCHEDULED);
  g_assert_cmpstr (prefect_ctx_state_get_name (plain), ==, "Scheduled");
  g_assert_nonnull (prefect_ctx_state_get_timestamp (plain));
}

static void
test_flow_defaults (void)
{
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("my-flow");
  g_autoptr(PrefectCtxFlow) plain = g_object_new (PREFECT_CTX_TYPE_FLOW, NULL);
  const char *none[] = { NULL };

  g_assert_cmpstr (prefect_ctx_flow_get_name (flow), ==, "my-flow");
  g_assert_null (prefect_ctx_flow_get_id (flow));
  g_assert_null (prefect_ctx_flow_get_version (flow));
  g_assert_null (prefect_ctx_flow_get_description (flow));
  assert_strv (prefect_ctx_flow_get_tags (flow), none);

  g_assert_cmpstr (prefect_ctx_flow_get_name (plain), ==, "");
}

static void
test_flow_run_defaults (void)
{
  g_autoptr(PrefectCtxFlowRun) run = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, NULL);
  const char *none[] = { NULL };
  GVariant *parameters;

  g_assert_null (prefect_ctx_flow_run_get_id (run));
  g_assert_null (prefect_ctx_flow_run_get_name (run));
  g_assert_null (prefect_ctx_flow_run_get_flow_id (run));
  g_assert_null (prefect_ctx_flow_run_get_flow_version (run));
  parameters = prefect_ctx_flow_run_get_parameters (run);
  g_assert_nonnull (parameters);
  g_assert_true (g_variant_is_of_type (parameters, G_VARIANT_TYPE_VARDICT));
  g_assert_cmpuint (g_variant_n_children (parameters), ==, 0);
  g_assert_false (g_variant_is_floating (parameters));
  assert_strv (prefect_ctx_flow_run_get_tags (run), none);
  g_assert_null (prefect_ctx_flow_run_get_state (run));
  g_assert_null (prefect_ctx_flow_run_get_parent_task_run_id (run));
  g_assert_null (prefect_ctx_flow_run_get_deployment_id (run));
  g_assert_cmpint (prefect_ctx_flow_run_get_run_count (run), ==, 0);
  g_assert_null (prefect_ctx_flow_run_get_expected_start_time (run));
  g_assert_null (prefect_ctx_flow_run_get_start_time (run));
  g_assert_null (prefect_ctx_flow_run_get_end_time (run));
  g_assert_null (prefect_ctx_flow_run_get_created (run));
  g_assert_null (prefect_ctx_flow_run_get_updated (run));
}

static void
test_task_defaults (void)
{
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("add");
  g_autoptr(PrefectCtxTask) keyed = g_object_new (PREFECT_CTX_TYPE_TASK,
                                                  "name", "add",
                                                  "task-key", "__main__.add",
                                                  "retries", 3,
                                                  "retry-delay-seconds", 1.5,
                                                  NULL);
  const char *none[] = { NULL };

  g_assert_cmpstr (prefect_ctx_task_get_name (task), ==, "add");
  g_assert_cmpstr (prefect_ctx_task_get_task_key (task), ==, "add");
  g_assert_null (prefect_ctx_task_get_description (task));
  assert_strv (prefect_ctx_task_get_tags (task), none);
  g_assert_cmpint (prefect_ctx_task_get_retries (task), ==, 0);
  g_assert_cmpfloat (prefect_ctx_task_get_retry_delay_seconds (task), ==, 0.0);

  g_assert_cmpstr (prefect_ctx_task_get_task_key (keyed), ==, "__main__.add");
  g_assert_cmpint (prefect_ctx_task_get_retries (keyed), ==, 3);
  g_assert_cmpfloat (prefect_ctx_task_get_retry_delay_seconds (keyed), ==, 1.5);
}

static void
test_task_run_defaults (void)
{
  g_autoptr(PrefectCtxTaskRun) run = g_object_new (PREFECT_CTX_TYPE_TASK_RUN, NULL);
  const char *none[] = { NULL };

  g_assert_null (prefect_ctx_task_run_get_id (run));
  g_assert_null (prefect_ctx_task_run_get_name (run));
  g_assert_null (prefect_ctx_task_run_get_flow_run_id (run));
  g_assert_null (prefect_ctx_task_run_get_task_key (run));
  g_assert_null (prefect_ctx_task_run_get_dynamic_key (run));
  assert_strv (prefect_ctx_task_run_get_tags (run), none);
  g_assert_null (prefect_ctx_task_run_get_state (run));
  g_assert_cmpint (prefect_ctx_task_run_get_run_count (run), ==, 0);
  g_assert_cmpint (prefect_ctx_task_run_get_map_index (run), ==, -1);
  g_assert_null (prefect_ctx_task_run_get_start_time (run));
  g_assert_null (prefect_ctx_task_run_get_end_time (run));
}

static void
test_deployment_defaults (void)
{
  g_autoptr(PrefectCtxDeployment) deployment = g_object_new (PREFECT_CTX_TYPE_DEPLOYMENT, NULL);
  const char *none[] = { NULL };

  g_assert_null (prefect_ctx_deployment_get_id (deployment));
  g_assert_null (prefect_ctx_deployment_get_name (deployment));
  g_assert_null (prefect_ctx_deployment_get_version (deployment));
  g_assert_null (prefect_ctx_deployment_get_flow_id (deployment));
  g_assert_cmpuint (g_variant_n_children (prefect_ctx_deployment_get_parameters (deployment)), ==, 0);
  assert_strv (prefect_ctx_deployment_get_tags (deployment), none);
}

static void
test_log_entry_defaults (void)
{
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(PrefectCtxLogEntry) entry = g_object_new (PREFECT_CTX_TYPE_LOG_ENTRY, NULL);
  g_autoptr(GDateTime) after = g_date_time_new_now_utc ();
  GDateTime *timestamp = prefect_ctx_log_entry_get_timestamp (entry);

  g_assert_nonnull (timestamp);
  g_assert_cmpint (g_date_time_compare (before, timestamp), <=, 0);
  g_assert_cmpint (g_date_time_compare (timestamp, after), <=, 0);
  g_assert_cmpint (prefect_ctx_log_entry_get_level (entry), ==, 20);
  g_assert_null (prefect_ctx_log_entry_get_message (entry));
  g_assert_null (prefect_ctx_log_entry_get_name (entry));
  g_assert_null (prefect_ctx_log_entry_get_flow_run_id (entry));
  g_assert_null (prefect_ctx_log_entry_get_task_run_id (entry));
}

/* Every property of every model is construct-only: the models are
 * immutable. */
static void
test_properties_construct_only (void)
{
  GType types[] = {
    PREFECT_CTX_TYPE_STATE, PREFECT_CTX_TYPE_FLOW, PREFECT_CTX_TYPE_FLOW_RUN,
    PREFECT_CTX_TYPE_TASK, PREFECT_CTX_TYPE_TASK_RUN, PREFECT_CTX_TYPE_DEPLOYMENT,
    PREFECT_CTX_TYPE_LOG_ENTRY,
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(GTypeClass) klass = g_type_class_ref (types[i]);
      g_autofree GParamSpec **pspecs = NULL;
      guint n_pspecs;

      g_assert_true (G_TYPE_IS_FINAL (types[i]));

      pspecs = g_object_class_list_properties (G_OBJECT_CLASS (klass), &n_pspecs);
      g_assert_cmpuint (n_pspecs, >, 0);
      for (guint j = 0; j < n_pspecs; j++)
        {
          g_assert_true (pspecs[j]->flags & G_PARAM_READABLE);
          g_assert_true (pspecs[j]->flags & G_PARAM_CONSTRUCT_ONLY);
        }
    }
}

/* Normalisation of construct values */

static void
test_tags_sorted (void)
{
  const char *tags[] = { "b", "a", "c", "a", "b", NULL };
  const char *expected[] = { "a", "b", "c", NULL };
  g_autoptr(PrefectCtxFlowRun) run = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "tags", tags, NULL);
  g_autoptr(PrefectCtxFlow) flow = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;

  assert_strv (prefect_ctx_flow_run_get_tags (run), expected);

  json = prefect_ctx_flow_run_to_json (run);
  g_assert_nonnull (strstr (json, "\"tags\":[\"a\",\"b\",\"c\"]"));

  flow = prefect_ctx_flow_new_from_json ("{\"name\":\"f\",\"tags\":[\"z\",\"y\",\"z\"]}", &error);
  g_assert_no_error (error);
  {
    const char *flow_expected[] = { "y", "z", NULL };
    assert_strv (prefect_ctx_flow_get_tags (flow), flow_expected);
  }
}

static void
test_datetime_utc (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (2 * 3600);
  g_autoptr(GDateTime) local = g_date_time_new (tz, 2026, 11, 21, 7, 1, 49.5);
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  g_autoptr(PrefectCtxState) state = NULL;
  g_autoptr(PrefectCtxState) naive = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  run = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "start-time", local, NULL);
  assert_datetime (prefect_ctx_flow_run_get_start_time (run), "2026-11-21T05:01:49.500000+00:00");
  g_assert_true (g_date_time_equal (prefect_ctx_flow_run_get_start_time (run), local));

  json = prefect_ctx_flow_run_to_json (run);
  g_assert_nonnull (strstr (json, "\"start_time\":\"2026-11-21T05:01:49.500000+00:00\""));

  state = prefect_ctx_state_new_from_json ("{\"type\":\"RUNNING\",\"timestamp\":\"2026-11-21T10:31:49.197991+05:30\"}", &error);
  g_assert_no_error (error);
  assert_datetime (prefect_ctx_state_get_timestamp (state), "2026-11-21T05:01:49.197991+00:00");

  /* No offset: UTC. */
  naive = prefect_ctx_state_new_from_json ("{\"type\":\"RUNNING\",\"timestamp\":\"2026-11-21T05:01:49.000001\"}", &error);
  g_assert_no_error (error);
  assert_datetime (prefect_ctx_state_get_timestamp (naive), "2026-11-21T05:01:49.000001+00:00");
}

static void
test_state_json_exact (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxState) state = NULL;
  g_autoptr(PrefectCtxState) no_message = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_no_message = NULL;
  const char *input = "{\"type\":\"COMPLETED\",\"name\":\"Completed\","
                      "\"timestamp\":\"2026-11-21T05:01:49.197991+00:00\",\"message\":\"ok\"}";

  state = prefect_ctx_state_new_from_json (input, &error);
  g_assert_no_error (error);
  json = prefect_ctx_state_to_json (state);
  g_assert_cmpstr (json, ==, input);

  no_message = prefect_ctx_state_new_from_json ("{\"type\":\"FAILED\",\"timestamp\":\"2026-11-21T05:01:49+00:00\",\"message\":null}", &error);
  g_assert_no_error (error);
  g_assert_null (prefect_ctx_state_get_message (no_message));
  g_assert_cmpstr (prefect_ctx_state_get_name (no_message), ==, "Failed");
  json_no_message = prefect_ctx_state_to_json (no_message);
  g_assert_cmpstr (json_no_message, ==,
                   "{\"type\":\"FAILED\",\"name\":\"Failed\",\"timestamp\":\"2026-11-21T05:01:49.000000+00:00\"}");
}

static void
test_parameters (void)
{
  const char *input = "{\"parameters\":{\"n\":3,\"f\":1.5,\"s\":\"x\",\"b\":true,"
                      "\"o\":{\"a\":[1,\"x\",null]},\"z\":null,\"e\":[]}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  g_autoptr(PrefectCtxFlowRun) empty = NULL;
  g_autoptr(PrefectCtxDeployment) given = NULL;
  g_autoptr(GVariant) z = NULL;
  g_autoptr(GVariant) o = NULL;
  g_autoptr(GVariant) a = NULL;
  g_autoptr(GVariant) e = NULL;
  g_autoptr(GVariant) a2 = NULL;
  g_autoptr(GVariant) a2_inner = NULL;
  g_autofree char *json = NULL;
  g_autofree char *s = NULL;
  GVariant *parameters;
  GVariantBuilder builder;
  double f = 0;
  gboolean b = FALSE;

  run = prefect_ctx_flow_run_new_from_json (input, &error);
  g_assert_no_error (error);
  parameters = prefect_ctx_flow_run_get_parameters (run);
  g_assert_true (g_variant_is_of_type (parameters, G_VARIANT_TYPE_VARDICT));
  g_assert_cmpuint (g_variant_n_children (parameters), ==, 7);

  assert_int_parameter (parameters, "n", 3);
  g_assert_true (g_variant_lookup (parameters, "f", "d", &f));
  g_assert_cmpfloat (f, ==, 1.5);
  g_assert_true (g_variant_lookup (parameters, "s", "s", &s));
  g_assert_cmpstr (s, ==, "x");
  g_assert_true (g_variant_lookup (parameters, "b", "b", &b));
  g_assert_true (b);

  /* null: an empty maybe */
  z = g_variant_lookup_value (parameters, "z", NULL);
  g_assert_nonnull (z);
  g_assert_true (g_variant_is_of_type (z, G_VARIANT_TYPE ("mv")));
  g_assert_null (g_variant_get_maybe (z));

  /* objects: a{sv}; arrays: av */
  o = g_variant_lookup_value (parameters, "o", G_VARIANT_TYPE_VARDICT);
  g_assert_nonnull (o);
  a = g_variant_lookup_value (o, "a", G_VARIANT_TYPE ("av"));
  g_assert_nonnull (a);
  g_assert_cmpuint (g_variant_n_children (a), ==, 3);
  a2 = g_variant_get_child_value (a, 2);
  a2_inner = g_variant_get_variant (a2);
  g_assert_true (g_variant_is_of_type (a2_inner, G_VARIANT_TYPE ("mv")));
  e = g_variant_lookup_value (parameters, "e", G_VARIANT_TYPE ("av"));
  g_assert_nonnull (e);
  g_assert_cmpuint (g_variant_n_children (e), ==, 0);

  /* and back, null included */
  json = prefect_ctx_flow_run_to_json (run);
  g_assert_nonnull (strstr (json, "\"parameters\":{\"n\":3,\"f\":1.5,\"s\":\"x\",\"b\":true,"
                                  "\"o\":{\"a\":[1,\"x\",null]},\"z\":null,\"e\":[]}"));
  assert_round_trip (G_OBJECT (run));

  /* null parameters: empty */
  empty = prefect_ctx_flow_run_new_from_json ("{\"parameters\":null}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (prefect_ctx_flow_run_get_parameters (empty)), ==, 0);

  /* a floating a{sv} given as a property is sunk and kept */
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "n", g_variant_new_int64 (4));
  g_variant_builder_add (&builder, "{sv}", "name", g_variant_new_string ("x"));
  given = g_object_new (PREFECT_CTX_TYPE_DEPLOYMENT, "parameters", g_variant_builder_end (&builder), NULL);
  assert_int_parameter (prefect_ctx_deployment_get_parameters (given), "n", 4);
  g_assert_false (g_variant_is_floating (prefect_ctx_deployment_get_parameters (given)));
  assert_round_trip (G_OBJECT (given));
}

/* The samples */

static void
test_sample_flow_run (void)
{
  g_autofree char *json = load_sample ("flow_run_read.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  const char *tags[] = { "sample", NULL };
  PrefectCtxState *state;

  run = prefect_ctx_flow_run_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (run);

  g_assert_cmpstr (prefect_ctx_flow_run_get_id (run), ==, "8259f515-0dbd-4c2b-a561-e1db55fe1449");
  g_assert_cmpstr (prefect_ctx_flow_run_get_name (run), ==, "sample-flow-run");
  g_assert_cmpstr (prefect_ctx_flow_run_get_flow_id (run), ==, "dbad8680-d921-4f04-9a47-d750e17368c3");
  g_assert_null (prefect_ctx_flow_run_get_flow_version (run));
  assert_int_parameter (prefect_ctx_flow_run_get_parameters (run), "n", 3);
  g_assert_cmpuint (g_variant_n_children (prefect_ctx_flow_run_get_parameters (run)), ==, 1);
  assert_strv (prefect_ctx_flow_run_get_tags (run), tags);
  g_assert_null (prefect_ctx_flow_run_get_parent_task_run_id (run));
  g_assert_null (prefect_ctx_flow_run_get_deployment_id (run));
  g_assert_cmpint (prefect_ctx_flow_run_get_run_count (run), ==, 1);
  assert_datetime (prefect_ctx_flow_run_get_expected_start_time (run), "2026-11-21T05:01:49.197660+00:00");
  assert_datetime (prefect_ctx_flow_run_get_start_time (run), "2026-11-21T05:01:49.252186+00:00");
  assert_datetime (prefect_ctx_flow_run_get_end_time (run), "2026-11-21T05:01:49.581597+00:00");
  assert_datetime (prefect_ctx_flow_run_get_created (run), "2026-11-21T05:01:49.197991+00:00");
  assert_datetime (prefect_ctx_flow_run_get_updated (run), "2026-11-21T05:01:49.589000+00:00");

  state = prefect_ctx_flow_run_get_state (run);
  g_assert_nonnull (state);
  g_assert_cmpint (prefect_ctx_state_get_state_type (state), ==, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_assert_cmpstr (prefect_ctx_state_get_name (state), ==, "Completed");
  assert_datetime (prefect_ctx_state_get_timestamp (state), "2026-11-21T05:01:49.581597+00:00");
  g_assert_null (prefect_ctx_state_get_message (state));
  g_assert_true (prefect_ctx_state_is_finished (state));

  assert_round_trip (G_OBJECT (run));
}

static void
test_sample_python_flow_run (void)
{
  g_autofree char *json = load_sample ("python_flow_run_read.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  const char *none[] = { NULL };
  PrefectCtxState *state;

  run = prefect_ctx_flow_run_new_from_json (json, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (prefect_ctx_flow_run_get_id (run), ==, "65e04240-b522-4a10-b689-cfe35bd97c33");
  g_assert_cmpstr (prefect_ctx_flow_run_get_name (run), ==, "zesty-jaguar");
  g_assert_cmpstr (prefect_ctx_flow_run_get_flow_id (run), ==, "dbb5fe81-3691-4c0c-be18-7a9593a8b66e");
  g_assert_cmpstr (prefect_ctx_flow_run_get_flow_version (run), ==, "ab5b58d1006eb0f46439a5adca4c376a");
  assert_int_parameter (prefect_ctx_flow_run_get_parameters (run), "n", 3);
  assert_strv (prefect_ctx_flow_run_get_tags (run), none);
  g_assert_null (prefect_ctx_flow_run_get_deployment_id (run));
  g_assert_cmpint (prefect_ctx_flow_run_get_run_count (run), ==, 1);
  assert_datetime (prefect_ctx_flow_run_get_expected_start_time (run), "2026-11-21T05:01:51.677726+00:00");
  assert_datetime (prefect_ctx_flow_run_get_start_time (run), "2026-11-21T05:01:51.746262+00:00");
  assert_datetime (prefect_ctx_flow_run_get_end_time (run), "2026-11-21T05:01:52.155429+00:00");
  assert_datetime (prefect_ctx_flow_run_get_created (run), "2026-11-21T05:01:51.677940+00:00");
  assert_datetime (prefect_ctx_flow_run_get_updated (run), "2026-11-21T05:01:52.165000+00:00");

  state = prefect_ctx_flow_run_get_state (run);
  g_assert_cmpint (prefect_ctx_state_get_state_type (state), ==, PREFECT_CTX_STATE_TYPE_COMPLETED);
  assert_datetime (prefect_ctx_state_get_timestamp (state), "2026-11-21T05:01:52.155429+00:00");

  assert_round_trip (G_OBJECT (run));
}

static void
test_sample_flow (void)
{
  g_autofree char *json = load_sample ("flow_read.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlow) flow = NULL;
  const char *tags[] = { "c-client", "sample", NULL };

  flow = prefect_ctx_flow_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_flow_get_id (flow), ==, "dbad8680-d921-4f04-9a47-d750e17368c3");
  g_assert_cmpstr (prefect_ctx_flow_get_name (flow), ==, "c-client-sample-flow");
  g_assert_null (prefect_ctx_flow_get_version (flow));
  g_assert_null (prefect_ctx_flow_get_description (flow));
  assert_strv (prefect_ctx_flow_get_tags (flow), tags);

  assert_round_trip (G_OBJECT (flow));
}

static void
test_sample_task_run (void)
{
  g_autofree char *json = load_sample ("task_run_read.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxTaskRun) run = NULL;
  const char *tags[] = { "sample", NULL };
  PrefectCtxState *state;

  run = prefect_ctx_task_run_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_task_run_get_id (run), ==, "6df9b563-3016-4342-9c34-604be3f08f28");
  g_assert_cmpstr (prefect_ctx_task_run_get_name (run), ==, "sample-task-0");
  g_assert_cmpstr (prefect_ctx_task_run_get_flow_run_id (run), ==, "8259f515-0dbd-4c2b-a561-e1db55fe1449");
  g_assert_cmpstr (prefect_ctx_task_run_get_task_key (run), ==, "seed.sample_task");
  g_assert_cmpstr (prefect_ctx_task_run_get_dynamic_key (run), ==, "0");
  assert_strv (prefect_ctx_task_run_get_tags (run), tags);
  g_assert_cmpint (prefect_ctx_task_run_get_run_count (run), ==, 1);
  g_assert_cmpint (prefect_ctx_task_run_get_map_index (run), ==, -1);
  assert_datetime (prefect_ctx_task_run_get_start_time (run), "2026-11-21T05:01:49.351567+00:00");
  assert_datetime (prefect_ctx_task_run_get_end_time (run), "2026-11-21T05:01:49.401772+00:00");

  state = prefect_ctx_task_run_get_state (run);
  g_assert_nonnull (state);
  g_assert_cmpint (prefect_ctx_state_get_state_type (state), ==, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_assert_cmpstr (prefect_ctx_state_get_message (state), ==, "ok");
  assert_datetime (prefect_ctx_state_get_timestamp (state), "2026-11-21T05:01:49.401772+00:00");

  assert_round_trip (G_OBJECT (run));
}

static void
test_sample_task_runs_filter (void)
{
  static const struct {
    const char *file;
    guint       n_runs;
  } files[] = {
    { "task_runs_filter.json", 1 },
    { "python_task_runs_filter.json", 4 },
  };
  static const struct {
    const char *name;
    const char *dynamic_key;
    int         run_count;
    const char *end_time;
  } python_runs[] = {
    { "add-0", "0", 1, "2026-11-21T05:01:51.852937+00:00" },
    { "add-1", "1", 1, "2026-11-21T05:01:51.924267+00:00" },
    { "add-2", "2", 1, "2026-11-21T05:01:51.996588+00:00" },
    { "fail_once_then_ok-0", "0", 2, "2026-11-21T05:01:52.131805+00:00" },
  };

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autoptr(JsonNode) root = load_sample_node (files[f].file);
      JsonArray *array;

      g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
      array = json_node_get_array (root);
      g_assert_cmpuint (json_array_get_length (array), ==, files[f].n_runs);

      for (guint i = 0; i < files[f].n_runs; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(PrefectCtxTaskRun) run = NULL;

          run = prefect_ctx_task_run_new_from_json_node (json_array_get_element (array, i), &error);
          g_assert_no_error (error);
          g_assert_nonnull (prefect_ctx_task_run_get_id (run));
          g_assert_nonnull (prefect_ctx_task_run_get_state (run));
          g_assert_true (prefect_ctx_state_is_finished (prefect_ctx_task_run_get_state (run)));

          if (f == 1)
            {
              g_assert_cmpstr (prefect_ctx_task_run_get_name (run), ==, python_runs[i].name);
              g_assert_cmpstr (prefect_ctx_task_run_get_dynamic_key (run), ==, python_runs[i].dynamic_key);
              g_assert_cmpint (prefect_ctx_task_run_get_run_count (run), ==, python_runs[i].run_count);
              g_assert_cmpstr (prefect_ctx_task_run_get_flow_run_id (run), ==, "65e04240-b522-4a10-b689-cfe35bd97c33");
              assert_datetime (prefect_ctx_task_run_get_end_time (run), python_runs[i].end_time);
            }
          else
            {
              g_assert_cmpstr (prefect_ctx_task_run_get_name (run), ==, "sample-task-0");
            }

          assert_round_trip (G_OBJECT (run));
        }
    }
}

static void
test_sample_deployment (void)
{
  g_autofree char *json = load_sample ("deployment_read.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxDeployment) deployment = NULL;
  const char *tags[] = { "sample", NULL };

  deployment = prefect_ctx_deployment_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_deployment_get_id (deployment), ==, "6ecde042-0b17-4250-a0ff-3f1b4062a38c");
  g_assert_cmpstr (prefect_ctx_deployment_get_name (deployment), ==, "sample-deployment");
  g_assert_cmpstr (prefect_ctx_deployment_get_version (deployment), ==, "1");
  g_assert_cmpstr (prefect_ctx_deployment_get_flow_id (deployment), ==, "dbad8680-d921-4f04-9a47-d750e17368c3");
  assert_int_parameter (prefect_ctx_deployment_get_parameters (deployment), "n", 3);
  assert_strv (prefect_ctx_deployment_get_tags (deployment), tags);

  assert_round_trip (G_OBJECT (deployment));
}

static void
test_sample_logs (void)
{
  g_autoptr(JsonNode) root = load_sample_node ("logs_filter.json");
  g_autoptr(JsonNode) python_root = load_sample_node ("python_logs_filter.json");
  JsonArray *array = json_node_get_array (root);
  JsonArray *python_array = json_node_get_array (python_root);
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxLogEntry) first = NULL;
  g_autoptr(PrefectCtxLogEntry) second = NULL;
  guint n_errors = 0;

  g_assert_cmpuint (json_array_get_length (array), ==, 2);

  first = prefect_ctx_log_entry_new_from_json_node (json_array_get_element (array, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_log_entry_get_name (first), ==, "prefect.flow_runs");
  g_assert_cmpint (prefect_ctx_log_entry_get_level (first), ==, 20);
  g_assert_cmpstr (prefect_ctx_log_entry_get_message (first), ==, "hello from seed.sh (flow run)");
  assert_datetime (prefect_ctx_log_entry_get_timestamp (first), "2026-11-21T05:01:49.527462+00:00");
  g_assert_cmpstr (prefect_ctx_log_entry_get_flow_run_id (first), ==, "8259f515-0dbd-4c2b-a561-e1db55fe1449");
  g_assert_null (prefect_ctx_log_entry_get_task_run_id (first));
  assert_round_trip (G_OBJECT (first));

  second = prefect_ctx_log_entry_new_from_json_node (json_array_get_element (array, 1), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_log_entry_get_name (second), ==, "prefect.task_runs");
  g_assert_cmpint (prefect_ctx_log_entry_get_level (second), ==, 40);
  g_assert_cmpstr (prefect_ctx_log_entry_get_message (second), ==, "error-level line from task");
  g_assert_cmpstr (prefect_ctx_log_entry_get_task_run_id (second), ==, "6df9b563-3016-4342-9c34-604be3f08f28");
  assert_round_trip (G_OBJECT (second));

  g_assert_cmpuint (json_array_get_length (python_array), ==, 19);
  for (guint i = 0; i < json_array_get_length (python_array); i++)
    {
      JsonObject *expected = json_array_get_object_element (python_array, i);
      g_autoptr(PrefectCtxLogEntry) entry = NULL;
      g_autofree char *timestamp = NULL;

      entry = prefect_ctx_log_entry_new_from_json_node (json_array_get_element (python_array, i), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (prefect_ctx_log_entry_get_name (entry), ==, json_object_get_string_member (expected, "name"));
      g_assert_cmpint (prefect_ctx_log_entry_get_level (entry), ==, json_object_get_int_member (expected, "level"));
      g_assert_cmpstr (prefect_ctx_log_entry_get_message (entry), ==, json_object_get_string_member (expected, "message"));
      g_assert_cmpstr (prefect_ctx_log_entry_get_flow_run_id (entry), ==, "65e04240-b522-4a10-b689-cfe35bd97c33");
      g_assert_cmpstr (prefect_ctx_log_entry_get_task_run_id (entry), ==,
                       json_object_get_string_member_with_default (expected, "task_run_id", NULL));
      assert_datetime (prefect_ctx_log_entry_get_timestamp (entry),
                       json_object_get_string_member (expected, "timestamp"));
      if (prefect_ctx_log_entry_get_level (entry) == 40)
        n_errors++;
      assert_round_trip (G_OBJECT (entry));
    }
  g_assert_cmpuint (n_errors, ==, 1);
}

static void
test_sample_states (void)
{
  g_autoptr(JsonNode) set_state = load_sample_node ("flow_run_set_state_completed.json");
  g_autoptr(JsonNode) states = load_sample_node ("flow_run_states.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxState) accepted = NULL;
  JsonArray *array;
  static const struct {
    PrefectCtxStateType type;
    const char         *name;
    const char         *timestamp;
    const char         *message;
  } expected[] = {
    { PREFECT_CTX_STATE_TYPE_PENDING,   "Pending",   "2026-11-21T05:01:49.197660+00:00", NULL },
    { PREFECT_CTX_STATE_TYPE_RUNNING,   "Running",   "2026-11-21T05:01:49.252186+00:00", "started by seed.sh" },
    { PREFECT_CTX_STATE_TYPE_COMPLETED, "Completed", "2026-11-21T05:01:49.581597+00:00", NULL },
  };

  accepted = prefect_ctx_state_new_from_json_node (json_object_get_member (json_node_get_object (set_state), "state"),
                                                   &error);
  g_assert_no_error (error);
  g_assert_cmpint (prefect_ctx_state_get_state_type (accepted), ==, PREFECT_CTX_STATE_TYPE_COMPLETED);
  g_assert_cmpstr (prefect_ctx_state_get_name (accepted), ==, "Completed");
  assert_datetime (prefect_ctx_state_get_timestamp (accepted), "2026-11-21T05:01:49.581597+00:00");
  g_assert_null (prefect_ctx_state_get_message (accepted));
  assert_round_trip (G_OBJECT (accepted));

  array = json_node_get_array (states);
  g_assert_cmpuint (json_array_get_length (array), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(PrefectCtxState) state = NULL;

      state = prefect_ctx_state_new_from_json_node (json_array_get_element (array, i), &error);
      g_assert_no_error (error);
      g_assert_cmpint (prefect_ctx_state_get_state_type (state), ==, expected[i].type);
      g_assert_cmpstr (prefect_ctx_state_get_name (state), ==, expected[i].name);
      assert_datetime (prefect_ctx_state_get_timestamp (state), expected[i].timestamp);
      g_assert_cmpstr (prefect_ctx_state_get_message (state), ==, expected[i].message);
      assert_round_trip (G_OBJECT (state));
    }
}

/* Round trips of fully populated objects */

static void
test_round_trip_constructed (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (-5 * 3600);
  g_autoptr(GDateTime) t1 = g_date_time_new (tz, 2026, 1, 2, 3, 4, 5.000006);
  g_autoptr(GDateTime) t2 = g_date_time_new_utc (2026, 1, 2, 9, 0, 0.25);
  const char *tags[] = { "prod", "etl", NULL };
  g_autoptr(PrefectCtxState) state = NULL;
  g_autoptr(PrefectCtxFlowRun) flow_run = NULL;
  g_autoptr(PrefectCtxTaskRun) task_run = NULL;
  g_autoptr(PrefectCtxTaskRun) unmapped = NULL;
  g_autoptr(PrefectCtxTask) task = NULL;
  g_autoptr(PrefectCtxFlow) flow = NULL;
  g_autoptr(PrefectCtxDeployment) deployment = NULL;
  g_autoptr(PrefectCtxLogEntry) entry = NULL;
  g_autofree char *task_run_json = NULL;
  g_autofree char *unmapped_json = NULL;
  GVariantBuilder builder;

  state = g_object_new (PREFECT_CTX_TYPE_STATE,
                        "state-type", PREFECT_CTX_STATE_TYPE_FAILED,
                        "name", "Retrying",
                        "timestamp", t1,
                        "message", "boom \"quoted\" \xc3\xa9",
                        NULL);
  assert_round_trip (G_OBJECT (state));

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "n", g_variant_new_int64 (-7));
  g_variant_builder_add (&builder, "{sv}", "x", g_variant_new_double (0.5));
  g_variant_builder_add (&builder, "{sv}", "s", g_variant_new_string ("v"));
  flow_run = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN,
                           "id", "8259f515-0dbd-4c2b-a561-e1db55fe1449",
                           "name", "a-run",
                           "flow-id", "dbad8680-d921-4f04-9a47-d750e17368c3",
                           "flow-version", "1.0",
                           "parameters", g_variant_builder_end (&builder),
                           "tags", tags,
                           "state", state,
                           "parent-task-run-id", "6df9b563-3016-4342-9c34-604be3f08f28",
                           "deployment-id", "6ecde042-0b17-4250-a0ff-3f1b4062a38c",
                           "run-count", 3,
                           "expected-start-time", t1,
                           "start-time", t1,
                           "end-time", t2,
                           "created", t1,
                           "updated", t2,
                           NULL);
  g_assert_true (prefect_ctx_flow_run_get_state (flow_run) == state);
  assert_round_trip (G_OBJECT (flow_run));

  task_run = g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                           "id", "x", "name", "add-3", "flow-run-id", "y",
                           "task-key", "__main__.add", "dynamic-key", "3",
                           "tags", tags, "state", state, "run-count", 2,
                           "map-index", 3, "start-time", t1, "end-time", t2,
                           NULL);
  assert_round_trip (G_OBJECT (task_run));
  task_run_json = prefect_ctx_task_run_to_json (task_run);
  g_assert_nonnull (strstr (task_run_json, "\"map_index\":3"));

  /* map_index is not a server field: only written when set */
  unmapped = g_object_new (PREFECT_CTX_TYPE_TASK_RUN, "task-key", "k", NULL);
  unmapped_json = prefect_ctx_task_run_to_json (unmapped);
  g_assert_null (strstr (unmapped_json, "map_index"));
  g_assert_cmpstr (unmapped_json, ==, "{\"task_key\":\"k\",\"tags\":[],\"run_count\":0}");
  assert_round_trip (G_OBJECT (unmapped));

  task = g_object_new (PREFECT_CTX_TYPE_TASK,
                       "name", "add", "task-key", "m.add", "description", "adds",
                       "tags", tags, "retries", 2, "retry-delay-seconds", 0.25,
                       NULL);
  assert_round_trip (G_OBJECT (task));

  flow = g_object_new (PREFECT_CTX_TYPE_FLOW,
                       "id", "f", "name", "flow", "version", "2", "description", "d",
                       "tags", tags, "created", t2, NULL);
  assert_round_trip (G_OBJECT (flow));

  deployment = g_object_new (PREFECT_CTX_TYPE_DEPLOYMENT,
                             "id", "d", "name", "dep", "version", "3", "flow-id", "f",
                             "tags", tags, "created", t2, NULL);
  assert_round_trip (G_OBJECT (deployment));

  entry = g_object_new (PREFECT_CTX_TYPE_LOG_ENTRY,
                        "timestamp", t2, "level", 30, "message", "careful\nnow",
                        "name", "prefect.task_runs", "flow-run-id", "a", "task-run-id", "b",
                        NULL);
  assert_round_trip (G_OBJECT (entry));
}

static void
test_ignores_unknown_members (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlow) flow = NULL;
  g_autofree char *json = NULL;

  flow = prefect_ctx_flow_new_from_json ("{\"name\":\"f\",\"extra\":{\"deep\":[1,2]},\"updated\":\"not a date\","
                                         "\"is_schedule_active\":false}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_flow_get_name (flow), ==, "f");

  json = prefect_ctx_flow_to_json (flow);
  g_assert_cmpstr (json, ==, "{\"name\":\"f\",\"tags\":[]}");
}

/* Errors */

typedef struct {
  GType      (*get_type) (void);
  const char  *json;
  const char  *message;  /* exact, or a prefix when it ends with '*' */
} ErrorCase;

static const ErrorCase error_cases[] = {
  /* not JSON, not an object */
  { prefect_ctx_flow_run_get_type, "{\"name\":", "Invalid JSON for FlowRun: *" },
  { prefect_ctx_flow_run_get_type, "", "Invalid JSON for FlowRun: *" },
  { prefect_ctx_flow_run_get_type, "not json", "Invalid JSON for FlowRun: *" },
  { prefect_ctx_flow_run_get_type, "[1,2]", "Invalid JSON for FlowRun: expected an object, got an array" },
  { prefect_ctx_flow_run_get_type, "null", "Invalid JSON for FlowRun: expected an object, got null" },
  { prefect_ctx_flow_run_get_type, "42", "Invalid JSON for FlowRun: expected an object, got an integer" },
  { prefect_ctx_state_get_type, "\"COMPLETED\"", "Invalid JSON for State: expected an object, got a string" },
  { prefect_ctx_log_entry_get_type, "[{}]", "Invalid JSON for LogEntry: expected an object, got an array" },

  /* strings */
  { prefect_ctx_flow_run_get_type, "{\"name\":5}", "Field 'name' of FlowRun: expected a string, got an integer" },
  { prefect_ctx_flow_run_get_type, "{\"id\":{}}", "Field 'id' of FlowRun: expected a string, got an object" },
  { prefect_ctx_flow_run_get_type, "{\"flow_id\":true}", "Field 'flow_id' of FlowRun: expected a string, got a boolean" },
  { prefect_ctx_flow_run_get_type, "{\"deployment_id\":[]}", "Field 'deployment_id' of FlowRun: expected a string, got an array" },
  { prefect_ctx_task_run_get_type, "{\"flow_run_id\":1.5}", "Field 'flow_run_id' of TaskRun: expected a string, got a number" },
  { prefect_ctx_state_get_type, "{\"type\":\"COMPLETED\",\"message\":false}", "Field 'message' of State: expected a string, got a boolean" },
  { prefect_ctx_log_entry_get_type, "{\"message\":[\"a\"]}", "Field 'message' of LogEntry: expected a string, got an array" },
  { prefect_ctx_deployment_get_type, "{\"version\":1}", "Field 'version' of Deployment: expected a string, got an integer" },

  /* required members */
  { prefect_ctx_flow_get_type, "{}", "Field 'name' of Flow: missing" },
  { prefect_ctx_flow_get_type, "{\"name\":null}", "Field 'name' of Flow: missing" },
  { prefect_ctx_task_get_type, "{\"task_key\":\"k\"}", "Field 'name' of Task: missing" },
  { prefect_ctx_state_get_type, "{\"name\":\"Completed\"}", "Field 'type' of State: missing" },

  /* integers */
  { prefect_ctx_flow_run_get_type, "{\"run_count\":\"x\"}", "Field 'run_count' of FlowRun: expected an integer, got a string" },
  { prefect_ctx_flow_run_get_type, "{\"run_count\":1.5}", "Field 'run_count' of FlowRun: expected an integer, got a number" },
  { prefect_ctx_flow_run_get_type, "{\"run_count\":true}", "Field 'run_count' of FlowRun: expected an integer, got a boolean" },
  { prefect_ctx_flow_run_get_type, "{\"run_count\":-1}", "Field 'run_count' of FlowRun: -1 is out of range (0 to 2147483647)" },
  { prefect_ctx_flow_run_get_type, "{\"run_count\":2147483648}", "Field 'run_count' of FlowRun: 2147483648 is out of range (0 to 2147483647)" },
  { prefect_ctx_task_run_get_type, "{\"map_index\":-2}", "Field 'map_index' of TaskRun: -2 is out of range (-1 to 2147483647)" },
  { prefect_ctx_task_run_get_type, "{\"run_count\":{}}", "Field 'run_count' of TaskRun: expected an integer, got an object" },
  { prefect_ctx_task_get_type, "{\"name\":\"t\",\"retries\":-1}", "Field 'retries' of Task: -1 is out of range (0 to 2147483647)" },
  { prefect_ctx_log_entry_get_type, "{\"level\":\"INFO\"}", "Field 'level' of LogEntry: expected an integer, got a string" },

  /* numbers */
  { prefect_ctx_task_get_type, "{\"name\":\"t\",\"retry_delay_seconds\":\"5\"}", "Field 'retry_delay_seconds' of Task: expected a number, got a string" },
  { prefect_ctx_task_get_type, "{\"name\":\"t\",\"retry_delay_seconds\":-0.5}", "Field 'retry_delay_seconds' of Task: -0.5 is out of range*" },

  /* string arrays */
  { prefect_ctx_flow_run_get_type, "{\"tags\":\"a\"}", "Field 'tags' of FlowRun: expected an array of strings, got a string" },
  { prefect_ctx_flow_run_get_type, "{\"tags\":{}}", "Field 'tags' of FlowRun: expected an array of strings, got an object" },
  { prefect_ctx_flow_get_type, "{\"name\":\"f\",\"tags\":[\"a\",1]}", "Field 'tags' of Flow: expected an array of strings, element 1 is an integer" },
  { prefect_ctx_task_get_type, "{\"name\":\"t\",\"tags\":[null]}", "Field 'tags' of Task: expected an array of strings, element 0 is null" },
  { prefect_ctx_deployment_get_type, "{\"tags\":[[\"a\"]]}", "Field 'tags' of Deployment: expected an array of strings, element 0 is an array" },

  /* timestamps */
  { prefect_ctx_flow_run_get_type, "{\"start_time\":\"yesterday\"}", "Field 'start_time' of FlowRun: expected an ISO 8601 timestamp, got 'yesterday'" },
  { prefect_ctx_flow_run_get_type, "{\"created\":12}", "Field 'created' of FlowRun: expected an ISO 8601 timestamp, got an integer" },
  { prefect_ctx_flow_run_get_type, "{\"updated\":\"2026-13-45T00:00:00+00:00\"}", "Field 'updated' of FlowRun: expected an ISO 8601 timestamp, got '2026-13-45T00:00:00+00:00'" },
  { prefect_ctx_state_get_type, "{\"type\":\"RUNNING\",\"timestamp\":\"\"}", "Field 'timestamp' of State: expected an ISO 8601 timestamp, got ''" },
  { prefect_ctx_task_run_get_type, "{\"end_time\":\"2026-11-21\"}", "Field 'end_time' of TaskRun: expected an ISO 8601 timestamp, got '2026-11-21'" },
  { prefect_ctx_log_entry_get_type, "{\"timestamp\":{}}", "Field 'timestamp' of LogEntry: expected an ISO 8601 timestamp, got an object" },

  /* parameters */
  { prefect_ctx_flow_run_get_type, "{\"parameters\":[1]}", "Field 'parameters' of FlowRun: expected an object, got an array" },
  { prefect_ctx_deployment_get_type, "{\"parameters\":\"n=3\"}", "Field 'parameters' of Deployment: expected an object, got a string" },

  /* state types and nested states */
  { prefect_ctx_state_get_type, "{\"type\":\"DONE\"}", "Field 'type' of State: unknown state type 'DONE'" },
  { prefect_ctx_state_get_type, "{\"type\":\"completed\"}", "Field 'type' of State: unknown state type 'completed'" },
  { prefect_ctx_state_get_type, "{\"type\":3}", "Field 'type' of State: expected a string, got an integer" },
  { prefect_ctx_flow_run_get_type, "{\"state\":{\"type\":\"BOGUS\"}}", "Field 'state' of FlowRun: Field 'type' of State: unknown state type 'BOGUS'" },
  { prefect_ctx_flow_run_get_type, "{\"state\":{}}", "Field 'state' of FlowRun: Field 'type' of State: missing" },
  { prefect_ctx_flow_run_get_type, "{\"state\":\"COMPLETED\"}", "Field 'state' of FlowRun: expected a state object, got a string" },
  { prefect_ctx_task_run_get_type, "{\"state\":{\"type\":\"RUNNING\",\"timestamp\":\"x\"}}", "Field 'state' of TaskRun: Field 'timestamp' of State: expected an ISO 8601 timestamp, got 'x'" },
};

static void
test_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GObject) object = NULL;
      gsize len = strlen (c->message);

      g_test_message ("case %u: %s", i, c->json);
      object = parse_model (c->get_type (), c->json, &error);
      g_assert_null (object);
      g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
      if (len > 0 && c->message[len - 1] == '*')
        {
          g_autofree char *prefix = g_strndup (c->message, len - 1);

          g_assert_true (g_str_has_prefix (error->message, prefix));
          g_assert_cmpuint (strlen (error->message), >, len - 1);
        }
      else
        {
          g_assert_cmpstr (error->message, ==, c->message);
        }
    }
}

static void
test_errors_node (void)
{
  g_autoptr(JsonNode) array = json_from_string ("[1]", NULL);
  g_autoptr(JsonNode) object = json_from_string ("{\"run_count\":\"x\"}", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  g_autoptr(PrefectCtxTask) task = NULL;

  run = prefect_ctx_flow_run_new_from_json_node (array, &error);
  g_assert_null (run);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Invalid JSON for FlowRun: expected an object, got an array");
  g_clear_error (&error);

  run = prefect_ctx_flow_run_new_from_json_node (object, &error);
  g_assert_null (run);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Field 'run_count' of FlowRun: expected an integer, got a string");
  g_clear_error (&error);

  /* A NULL error location is fine. */
  task = prefect_ctx_task_new_from_json ("{\"retries\":\"x\"}", NULL);
  g_assert_null (task);
}

/* Absent and null members keep the defaults. */
static void
test_null_members (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  g_autoptr(PrefectCtxTaskRun) task_run = NULL;
  g_autoptr(PrefectCtxLogEntry) entry = NULL;
  g_autoptr(PrefectCtxTask) task = NULL;
  const char *none[] = { NULL };

  run = prefect_ctx_flow_run_new_from_json ("{\"id\":null,\"tags\":null,\"state\":null,\"run_count\":null,"
                                            "\"start_time\":null,\"parameters\":null}", &error);
  g_assert_no_error (error);
  g_assert_null (prefect_ctx_flow_run_get_id (run));
  assert_strv (prefect_ctx_flow_run_get_tags (run), none);
  g_assert_null (prefect_ctx_flow_run_get_state (run));
  g_assert_cmpint (prefect_ctx_flow_run_get_run_count (run), ==, 0);
  g_assert_null (prefect_ctx_flow_run_get_start_time (run));

  task_run = prefect_ctx_task_run_new_from_json ("{}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (prefect_ctx_task_run_get_map_index (task_run), ==, -1);

  entry = prefect_ctx_log_entry_new_from_json ("{\"timestamp\":null,\"level\":null}", &error);
  g_assert_no_error (error);
  g_assert_nonnull (prefect_ctx_log_entry_get_timestamp (entry));
  g_assert_cmpint (prefect_ctx_log_entry_get_level (entry), ==, 20);

  task = prefect_ctx_task_new_from_json ("{\"name\":\"t\",\"task_key\":null,\"retry_delay_seconds\":2}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_task_get_task_key (task), ==, "t");
  g_assert_cmpfloat (prefect_ctx_task_get_retry_delay_seconds (task), ==, 2.0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/models/state/type-strings", test_state_type_strings);
  g_test_add_func ("/models/state/is-finished", test_state_is_finished);
  g_test_add_func ("/models/state/defaults", test_state_defaults);
  g_test_add_func ("/models/state/json-exact", test_state_json_exact);
  g_test_add_func ("/models/flow/defaults", test_flow_defaults);
  g_test_add_func ("/models/flow-run/defaults", test_flow_run_defaults);
  g_test_add_func ("/models/task/defaults", test_task_defaults);
  g_test_add_func ("/models/task-run/defaults", test_task_run_defaults);
  g_test_add_func ("/models/deployment/defaults", test_deployment_defaults);
  g_test_add_func ("/models/log-entry/defaults", test_log_entry_defaults);
  g_test_add_func ("/models/properties/construct-only", test_properties_construct_only);
  g_test_add_func ("/models/properties/tags-sorted", test_tags_sorted);
  g_test_add_func ("/models/properties/datetime-utc", test_datetime_utc);
  g_test_add_func ("/models/json/parameters", test_parameters);
  g_test_add_func ("/models/json/null-members", test_null_members);
  g_test_add_func ("/models/json/unknown-members", test_ignores_unknown_members);
  g_test_add_func ("/models/json/round-trip", test_round_trip_constructed);
  g_test_add_func ("/models/json/errors", test_errors);
  g_test_add_func ("/models/json/errors-node", test_errors_node);
  g_test_add_func ("/models/samples/flow-run", test_sample_flow_run);
  g_test_add_func ("/models/samples/python-flow-run", test_sample_python_flow_run);
  g_test_add_func ("/models/samples/flow", test_sample_flow);
  g_test_add_func ("/models/samples/task-run", test_sample_task_run);
  g_test_add_func ("/models/samples/task-runs-filter", test_sample_task_runs_filter);
  g_test_add_func ("/models/samples/deployment", test_sample_deployment);
  g_test_add_func ("/models/samples/logs", test_sample_logs);
  g_test_add_func ("/models/samples/states", test_sample_states);

  return g_test_run ();
}
