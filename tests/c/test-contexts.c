/* test-contexts.c: layer 3, the run, tags, custom and registry contexts
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <prefectctx.h>

/* ---------------------------------------------------------------------------
 * Helpers and test types
 */

#define ASSERT_ERROR(err, code, msg)                              \
  G_STMT_START {                                                  \
    g_assert_error ((err), PREFECT_CTX_ERROR, (code));            \
    g_assert_cmpstr ((err)->message, ==, (msg));                  \
  } G_STMT_END

static PrefectCtxFlowRun *
make_flow_run (const char *id)
{
  return g_object_new (PREFECT_CTX_TYPE_FLOW_RUN,
                       "id", id,
                       "name", "flow-run-name",
                       NULL);
}

static PrefectCtxTaskRun *
make_task_run (const char *id,
               const char *flow_run_id)
{
  return g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                       "id", id,
                       "name", "task-run-name",
                       "flow-run-id", flow_run_id,
                       "task-key", "my-task",
                       NULL);
}

static PrefectCtxFlowRunContext *
make_flow_context (const char *flow_run_id)
{
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("my-flow");
  g_autoptr(PrefectCtxFlowRun) flow_run = flow_run_id != NULL ? make_flow_run (flow_run_id) : NULL;

  return prefect_ctx_flow_run_context_new (flow, flow_run, NULL);
}

static PrefectCtxTaskRunContext *
make_task_context (const char *task_run_id,
                   const char *flow_run_id)
{
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("my-task");
  g_autoptr(PrefectCtxTaskRun) task_run = make_task_run (task_run_id, flow_run_id);

  return prefect_ctx_task_run_context_new (task, task_run, NULL);
}

static void
enter_ok (gpointer context)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (context), &error));
  g_assert_no_error (error);
}

static void
exit_ok (gpointer context)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (context), &error));
  g_assert_no_error (error);
}

static const char *
current_flow_run_id (void)
{
  PrefectCtxFlowRunContext *ctx = prefect_ctx_flow_run_context_get_current ();

  if (ctx == NULL)
    return NULL;
  return prefect_ctx_flow_run_get_id (prefect_ctx_flow_run_context_get_flow_run (ctx));
}

/* A user subclass of the flow run context: shares the flow_run kind, and has
 * a read-only property. */
typedef struct { PrefectCtxFlowRunContext parent; } TestFlowRunContext;
typedef struct { PrefectCtxFlowRunContextClass parent_class; } TestFlowRunContextClass;

static GType test_flow_run_context_get_type (void);
G_DEFINE_TYPE (TestFlowRunContext, test_flow_run_context, PREFECT_CTX_TYPE_FLOW_RUN_CONTEXT)
#define TEST_TYPE_FLOW_RUN_CONTEXT (test_flow_run_context_get_type ())

static void
test_flow_run_context_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == 1)
    g_value_set_int (value, 42);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
test_flow_run_context_class_init (TestFlowRunContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_flow_run_context_get_property;
  g_object_class_install_property (object_class, 1,
                                   g_param_spec_int ("answer", NULL, NULL, 0, 100, 42,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void
test_flow_run_context_init (TestFlowRunContext *self)
{
}

/* Plain objects for the registry: TestBase, TestDerived (a TestBase), TestOther. */
typedef struct { GObject parent; } TestBase;
typedef struct { GObjectClass parent_class; } TestBaseClass;
static GType test_base_get_type (void);
G_DEFINE_TYPE (TestBase, test_base, G_TYPE_OBJECT)
static void test_base_class_init (TestBaseClass *klass) { }
static void test_base_init (TestBase *self) { }

typedef struct { TestBase parent; } TestDerived;
typedef struct { TestBaseClass parent_class; } TestDerivedClass;
static GType test_derived_get_type (void);
G_DEFINE_TYPE (TestDerived, test_derived, test_base_get_type ())
static void test_derived_class_init (TestDerivedClass *klass) { }
static void test_derived_init (TestDerived *self) { }

typedef struct { GObject parent; } TestOther;
typedef struct { GObjectClass parent_class; } TestOtherClass;
static GType test_other_get_type (void);
G_DEFINE_TYPE (TestOther, test_other, G_TYPE_OBJECT)
static void test_other_class_init (TestOtherClass *klass) { }
static void test_other_init (TestOther *self) { }

/* ---------------------------------------------------------------------------
 * Every kind
 */

static PrefectCtxContext *
make_context_of_kind (GType type)
{
  if (type == PREFECT_CTX_TYPE_FLOW_RUN_CONTEXT)
    return PREFECT_CTX_CONTEXT (make_flow_context ("flow-run-1"));
  if (type == PREFECT_CTX_TYPE_TASK_RUN_CONTEXT)
    return PREFECT_CTX_CONTEXT (make_task_context ("task-run-1", "flow-run-1"));
  if (type == PREFECT_CTX_TYPE_TAGS_CONTEXT)
    return PREFECT_CTX_CONTEXT (prefect_ctx_tags_context_new (NULL));
  if (type == PREFECT_CTX_TYPE_CUSTOM_CONTEXT)
    return g_object_new (type, NULL);
  if (type == PREFECT_CTX_TYPE_OBJECT_REGISTRY)
    return PREFECT_CTX_CONTEXT (prefect_ctx_object_registry_new (FALSE, FALSE));
  g_assert_not_reached ();
}

static PrefectCtxContext *
specific_get_current (GType type)
{
  if (type == PREFECT_CTX_TYPE_FLOW_RUN_CONTEXT)
    return (PrefectCtxContext *) prefect_ctx_flow_run_context_get_current ();
  if (type == PREFECT_CTX_TYPE_TASK_RUN_CONTEXT)
    return (PrefectCtxContext *) prefect_ctx_task_run_context_get_current ();
  if (type == PREFECT_CTX_TYPE_CUSTOM_CONTEXT)
    return (PrefectCtxContext *) prefect_ctx_custom_context_get_current ();
  if (type == PREFECT_CTX_TYPE_OBJECT_REGISTRY)
    return (PrefectCtxContext *) prefect_ctx_object_registry_get_current ();
  g_assert_not_reached ();
}

static const struct { GType (*get_type) (void); const char *kind; } kinds[] = {
  { prefect_ctx_flow_run_context_get_type, "flow_run" },
  { prefect_ctx_task_run_context_get_type, "task_run" },
  { prefect_ctx_tags_context_get_type, "tags" },
  { prefect_ctx_custom_context_get_type, "custom" },
  { prefect_ctx_object_registry_get_type, "object_registry" },
};

static void
test_kinds (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      GType type = kinds[i].get_type ();

      g_type_class_unref (g_type_class_ref (type));
      g_assert_cmpstr (prefect_ctx_context_kind_get_name (type), ==, kinds[i].kind);
    }

  /* The abstract run context declares no kind; a user subclass shares its
   * parent's. */
  g_type_class_unref (g_type_class_ref (TEST_TYPE_FLOW_RUN_CONTEXT));
  g_assert_null (prefect_ctx_context_kind_get_name (PREFECT_CTX_TYPE_RUN_CONTEXT));
  g_assert_true (G_TYPE_IS_ABSTRACT (PREFECT_CTX_TYPE_RUN_CONTEXT));
  g_assert_cmpstr (prefect_ctx_context_kind_get_name (TEST_TYPE_FLOW_RUN_CONTEXT), ==, "flow_run");
}

static void
test_enter_exit_each_kind (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      GType type = kinds[i].get_type ();
      g_autoptr(PrefectCtxContext) ctx = make_context_of_kind (type);

      g_test_message ("kind %s", kinds[i].kind);
      g_assert_true (prefect_ctx_context_check (ctx, NULL));

      if (type == PREFECT_CTX_TYPE_TAGS_CONTEXT)
        g_assert_true ((PrefectCtxContext *) prefect_ctx_tags_context_get_current () != ctx);
      else
        g_assert_null (specific_get_current (type));
      g_assert_null (prefect_ctx_context_get_current (type));
      g_assert_false (prefect_ctx_context_is_entered (ctx));

      enter_ok (ctx);
      g_assert_true (prefect_ctx_context_is_entered (ctx));
      g_assert_true (prefect_ctx_context_get_current (type) == ctx);
      if (type == PREFECT_CTX_TYPE_TAGS_CONTEXT)
        g_assert_true ((PrefectCtxContext *) prefect_ctx_tags_context_get_current () == ctx);
      else
        g_assert_true (specific_get_current (type) == ctx);

      /* Kinds are separate slots. */
      for (guint j = 0; j < G_N_ELEMENTS (kinds); j++)
        if (j != i)
          g_assert_null (prefect_ctx_context_get_current (kinds[j].get_type ()));

      exit_ok (ctx);
      g_assert_false (prefect_ctx_context_is_entered (ctx));
      g_assert_null (prefect_ctx_context_get_current (type));
    }
}

static void
test_nesting_restores (void)
{
  g_autoptr(PrefectCtxFlowRunContext) one = make_flow_context ("1");
  g_autoptr(PrefectCtxFlowRunContext) two = make_flow_context ("2");
  g_autoptr(PrefectCtxFlowRunContext) three = make_flow_context ("3");

  g_assert_null (current_flow_run_id ());
  enter_ok (one);
  g_assert_cmpstr (current_flow_run_id (), ==, "1");
  enter_ok (two);
  g_assert_cmpstr (current_flow_run_id (), ==, "2");
  enter_ok (three);
  g_assert_cmpstr (current_flow_run_id (), ==, "3");

  exit_ok (three);
  g_assert_cmpstr (current_flow_run_id (), ==, "2");
  exit_ok (two);
  g_assert_cmpstr (current_flow_run_id (), ==, "1");
  exit_ok (one);
  g_assert_null (current_flow_run_id ());
  g_assert_null (prefect_ctx_flow_run_context_get_current ());
}

static void
test_enter_exit_errors (void)
{
  g_autoptr(PrefectCtxFlowRunContext) ctx = make_flow_context ("1");
  g_autoptr(PrefectCtxTagsContext) tags = prefect_ctx_tags_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (ctx), &error));
  ASSERT_ERROR (error, PREFECT_CTX_ERROR_NOT_ENTERED,
                "Asymmetric use of context. Context exit called without an enter.");
  g_clear_error (&error);

  enter_ok (ctx);
  g_assert_false (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (ctx), &error));
  ASSERT_ERROR (error, PREFECT_CTX_ERROR_ALREADY_ENTERED,
                "Context already entered. Context enter calls cannot be nested.");
  g_clear_error (&error);
  g_assert_true (prefect_ctx_flow_run_context_get_current () == ctx);

  /* Exiting out of order is refused and changes nothing. */
  enter_ok (tags);
  g_assert_false (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (ctx), &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_OUT_OF_ORDER);
  g_clear_error (&error);
  g_assert_true (prefect_ctx_flow_run_context_get_current () == ctx);
  g_assert_true (prefect_ctx_tags_context_get_current () == tags);
  exit_ok (tags);

  exit_ok (ctx);
  g_assert_false (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (ctx), &error));
  ASSERT_ERROR (error, PREFECT_CTX_ERROR_NOT_ENTERED,
                "Asymmetric use of context. Context exit called without an enter.");
}

/* ---------------------------------------------------------------------------
 * copy_with
 */

static void
test_copy_with (void)
{
  g_autoptr(PrefectCtxFlowRunContext) ctx = make_flow_context ("1");
  g_autoptr(PrefectCtxFlowRunContext) copy = NULL;
  g_autoptr(PrefectCtxContext) bad = NULL;
  g_autoptr(GError) error = NULL;

  enter_ok (ctx);

  copy = (PrefectCtxFlowRunContext *)
    prefect_ctx_context_copy_with (PREFECT_CTX_CONTEXT (ctx), &error,
                                   "log-prints", TRUE,
                                   NULL);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  g_assert_true (copy != ctx);
  g_assert_true (G_OBJECT_TYPE (copy) == PREFECT_CTX_TYPE_FLOW_RUN_CONTEXT);
  g_assert_false (prefect_ctx_context_is_entered (PREFECT_CTX_CONTEXT (copy)));
  g_assert_true (prefect_ctx_flow_run_context_get_log_prints (copy));
  g_assert_false (prefect_ctx_flow_run_context_get_log_prints (ctx));
  /* Everything else is carried over. */
  g_assert_true (prefect_ctx_flow_run_context_get_flow (copy) == prefect_ctx_flow_run_context_get_flow (ctx));
  g_assert_true (prefect_ctx_flow_run_context_get_flow_run (copy) == prefect_ctx_flow_run_context_get_flow_run (ctx));
  g_assert_true (g_date_time_equal (prefect_ctx_run_context_get_start_time (PREFECT_CTX_RUN_CONTEXT (copy)),
                                    prefect_ctx_run_context_get_start_time (PREFECT_CTX_RUN_CONTEXT (ctx))));

  /* The copy can be entered while the original is. */
  enter_ok (copy);
  g_assert_true (prefect_ctx_flow_run_context_get_current () == copy);
  exit_ok (copy);
  g_assert_true (prefect_ctx_flow_run_context_get_current () == ctx);

  bad = prefect_ctx_context_copy_with (PREFECT_CTX_CONTEXT (ctx), &error, "no-such-thing", 1, NULL);
  g_assert_null (bad);
  ASSERT_ERROR (error, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                "PrefectCtxFlowRunContext has no property 'no-such-thing'");
  g_clear_error (&error);

  exit_ok (ctx);
}

static void
test_copy_with_read_only (void)
{
  g_autoptr(PrefectCtxFlowRun) flow_run = make_flow_run ("sub-1");
  g_autoptr(PrefectCtxContext) ctx = g_object_new (TEST_TYPE_FLOW_RUN_CONTEXT,
                                                   "flow-run", flow_run,
                                                   NULL);
  g_autoptr(PrefectCtxContext) copy = NULL;
  g_autoptr(GError) error = NULL;
  GValue value = G_VALUE_INIT;
  const char *names[] = { "answer" };

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 7);
  copy = prefect_ctx_context_copy_withv (ctx, 1, names, &value, &error);
  g_value_unset (&value);
  g_assert_null (copy);
  ASSERT_ERROR (error, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                "Property 'answer' of TestFlowRunContext is read-only");
  g_clear_error (&error);

  /* A subclass shares the flow_run kind. */
  enter_ok (ctx);
  g_assert_true ((PrefectCtxContext *) prefect_ctx_flow_run_context_get_current () == ctx);
  g_assert_true ((PrefectCtxContext *) prefect_ctx_get_run_context (&error) == ctx);
  g_assert_no_error (error);

  copy = prefect_ctx_context_copy_with (ctx, &error, "detached", TRUE, NULL);
  g_assert_no_error (error);
  g_assert_true (G_OBJECT_TYPE (copy) == TEST_TYPE_FLOW_RUN_CONTEXT);
  g_assert_true (prefect_ctx_flow_run_context_get_detached (PREFECT_CTX_FLOW_RUN_CONTEXT (copy)));
  exit_ok (ctx);
}

/* ---------------------------------------------------------------------------
 * Run contexts
 */

static void
test_flow_run_context_properties (void)
{
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("my-flow");
  g_autoptr(PrefectCtxFlowRun) flow_run = make_flow_run ("fr-1");
  g_autoptr(PrefectCtxFlowRunContext) ctx = NULL;
  g_autoptr(PrefectCtxFlowRunContext) ctx2 = NULL;
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) after = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  GVariantDict dict;
  GVariant *params;
  GDateTime *start;
  gint64 answer = 0;

  ctx = prefect_ctx_flow_run_context_new (flow, flow_run, NULL);
  after = g_date_time_new_now_utc ();
  g_assert_true (prefect_ctx_flow_run_context_get_flow (ctx) == flow);
  g_assert_true (prefect_ctx_flow_run_context_get_flow_run (ctx) == flow_run);
  params = prefect_ctx_flow_run_context_get_parameters (ctx);
  g_assert_nonnull (params);
  g_assert_true (g_variant_is_of_type (params, G_VARIANT_TYPE_VARDICT));
  g_assert_cmpuint (g_variant_n_children (params), ==, 0);
  g_assert_false (prefect_ctx_flow_run_context_get_log_prints (ctx));
  g_assert_false (prefect_ctx_flow_run_context_get_detached (ctx));

  /* start-time defaults to now, in UTC. */
  start = prefect_ctx_run_context_get_start_time (PREFECT_CTX_RUN_CONTEXT (ctx));
  g_assert_nonnull (start);
  g_assert_cmpint (g_date_time_get_utc_offset (start), ==, 0);
  g_assert_cmpint (g_date_time_compare (before, start), <=, 0);
  g_assert_cmpint (g_date_time_compare (start, after), <=, 0);

  /* Given values, and a start time in another zone converted to UTC. */
  tz = g_time_zone_new_offset (2 * 3600);
  local = g_date_time_new (tz, 2026, 11, 21, 7, 1, 49);
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "x", "x", (gint64) 42);
  ctx2 = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN_CONTEXT,
                       "flow", flow,
                       "flow-run", flow_run,
                       "parameters", g_variant_dict_end (&dict),
                       "log-prints", TRUE,
                       "detached", TRUE,
                       "start-time", local,
                       NULL);
  g_assert_true (prefect_ctx_flow_run_context_get_log_prints (ctx2));
  g_assert_true (prefect_ctx_flow_run_context_get_detached (ctx2));
  params = prefect_ctx_flow_run_context_get_parameters (ctx2);
  g_assert_true (g_variant_lookup (params, "x", "x", &answer));
  g_assert_cmpint (answer, ==, 42);
  start = prefect_ctx_run_context_get_start_time (PREFECT_CTX_RUN_CONTEXT (ctx2));
  g_assert_cmpint (g_date_time_get_utc_offset (start), ==, 0);
  g_assert_cmpint (g_date_time_get_hour (start), ==, 5);
  g_assert_true (g_date_time_equal (start, local));
}

static void
test_task_run_context_properties (void)
{
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("my-task");
  g_autoptr(PrefectCtxTaskRun) task_run = make_task_run ("tr-1", "fr-1");
  g_autoptr(PrefectCtxTaskRunContext) ctx = NULL;
  g_autoptr(PrefectCtxTaskRunContext) ctx2 = NULL;
  GVariantDict dict;
  const char *s = NULL;

  ctx = prefect_ctx_task_run_context_new (task, task_run, NULL);
  g_assert_true (prefect_ctx_task_run_context_get_task (ctx) == task);
  g_assert_true (prefect_ctx_task_run_context_get_task_run (ctx) == task_run);
  g_assert_cmpuint (g_variant_n_children (prefect_ctx_task_run_context_get_parameters (ctx)), ==, 0);
  g_assert_false (prefect_ctx_task_run_context_get_log_prints (ctx));
  g_assert_cmpint (g_date_time_get_utc_offset (prefect_ctx_run_context_get_start_time (PREFECT_CTX_RUN_CONTEXT (ctx))), ==, 0);
  g_assert_true (PREFECT_CTX_IS_RUN_CONTEXT (ctx));

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "name", "s", "value");
  ctx2 = prefect_ctx_task_run_context_new (task, task_run, g_variant_dict_end (&dict));
  g_assert_true (g_variant_lookup (prefect_ctx_task_run_context_get_parameters (ctx2), "name", "&s", &s));
  g_assert_cmpstr (s, ==, "value");
}

static void
test_get_run_context (void)
{
  g_autoptr(PrefectCtxFlowRunContext) flow_ctx = make_flow_context ("fr-1");
  g_autoptr(PrefectCtxTaskRunContext) task_ctx = make_task_context ("tr-1", "fr-1");
  g_autoptr(PrefectCtxTaskRunContext) other_task_ctx = make_task_context ("tr-2", "fr-parent");
  g_autoptr(PrefectCtxFlowRunContext) subflow_ctx = make_flow_context ("fr-sub");
  g_autoptr(GError) error = NULL;

  /* Neither. */
  g_assert_null (prefect_ctx_get_run_context (&error));
  ASSERT_ERROR (error, PREFECT_CTX_ERROR_MISSING_CONTEXT,
                "No run context available. You are not in a flow or task run context.");
  g_clear_error (&error);

  /* A task run context alone. */
  enter_ok (task_ctx);
  g_assert_true (prefect_ctx_get_run_context (&error) == PREFECT_CTX_RUN_CONTEXT (task_ctx));
  g_assert_no_error (error);
  exit_ok (task_ctx);

  /* A flow run context alone. */
  enter_ok (flow_ctx);
  g_assert_true (prefect_ctx_get_run_context (&error) == PREFECT_CTX_RUN_CONTEXT (flow_ctx));
  g_assert_no_error (error);

  /* A task of this flow run: the task wins. */
  enter_ok (task_ctx);
  g_assert_true (prefect_ctx_get_run_context (&error) == PREFECT_CTX_RUN_CONTEXT (task_ctx));
  g_assert_no_error (error);
  exit_ok (task_ctx);
  exit_ok (flow_ctx);

  /* A subflow running inside a task of another flow run: the flow wins. */
  enter_ok (other_task_ctx);
  enter_ok (subflow_ctx);
  g_assert_true (prefect_ctx_get_run_context (&error) == PREFECT_CTX_RUN_CONTEXT (subflow_ctx));
  g_assert_no_error (error);
  exit_ok (subflow_ctx);
  g_assert_true (prefect_ctx_get_run_context (&error) == PREFECT_CTX_RUN_CONTEXT (other_task_ctx));
  g_assert_no_error (error);
  exit_ok (other_task_ctx);

  g_assert_null (prefect_ctx_get_run_context (NULL));
}

/* ---------------------------------------------------------------------------
 * Dynamic keys
 */

#define N_KEYS_PER_THREAD 2000

typedef struct
{
  PrefectCtxFlowRunContext *ctx;
  GPtrArray                *keys;
} KeyWorker;

static gpointer
dynamic_key_worker (gpointer data)
{
  KeyWorker *worker = data;

  for (guint i = 0; i < N_KEYS_PER_THREAD; i++)
    g_ptr_array_add (worker->keys,
                     prefect_ctx_flow_run_context_next_dynamic_key (worker->ctx, "shared-task"));

  return NULL;
}

static void
test_dynamic_keys (void)
{
  g_autoptr(PrefectCtxFlowRunContext) ctx = make_flow_context ("fr-1");
  g_autoptr(PrefectCtxFlowRunContext) other = make_flow_context ("fr-1");
  g_autoptr(PrefectCtxFlowRunContext) no_run = make_flow_context (NULL);
  g_autoptr(PrefectCtxFlowRunContext) copy = NULL;
  g_autoptr(GError) error = NULL;
  char *key;

#define ASSERT_NEXT(c, task_key, expected)                                  \
  key = prefect_ctx_flow_run_context_next_dynamic_key ((c), (task_key));    \
  g_assert_cmpstr (key, ==, (expected));                                    \
  g_free (key)

  ASSERT_NEXT (ctx, "a", "0");
  ASSERT_NEXT (ctx, "a", "1");
  ASSERT_NEXT (ctx, "b", "0");
  ASSERT_NEXT (ctx, "a", "2");
  ASSERT_NEXT (ctx, "b", "1");

  /* A copy has the same flow run: it shares the counters. */
  copy = (PrefectCtxFlowRunContext *)
    prefect_ctx_context_copy_with (PREFECT_CTX_CONTEXT (ctx), &error, "log-prints", TRUE, NULL);
  g_assert_no_error (error);
  ASSERT_NEXT (copy, "a", "3");
  ASSERT_NEXT (ctx, "a", "4");

  /* Another flow run object (even with the same id) and a context without a
   * flow run count on their own. */
  ASSERT_NEXT (other, "a", "0");
  ASSERT_NEXT (no_run, "a", "0");
  ASSERT_NEXT (no_run, "a", "1");
  ASSERT_NEXT (ctx, "a", "5");

#undef ASSERT_NEXT
}

static void
test_dynamic_keys_threads (void)
{
  g_autoptr(PrefectCtxFlowRunContext) ctx = make_flow_context ("fr-1");
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  KeyWorker workers[2];
  GThread *threads[2];

  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    {
      workers[i].ctx = ctx;
      workers[i].keys = g_ptr_array_new_with_free_func (g_free);
      threads[i] = g_thread_new ("dynamic-keys", dynamic_key_worker, &workers[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    g_thread_join (threads[i]);

  /* Every key from 0 to 2N-1 handed out exactly once. */
  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    {
      g_assert_cmpuint (workers[i].keys->len, ==, N_KEYS_PER_THREAD);
      for (guint j = 0; j < workers[i].keys->len; j++)
        {
          const char *k = g_ptr_array_index (workers[i].keys, j);

          g_assert_false (g_hash_table_contains (seen, k));
          g_hash_table_add (seen, (gpointer) k);
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 2 * N_KEYS_PER_THREAD);
  for (guint n = 0; n < 2 * N_KEYS_PER_THREAD; n++)
    {
      g_autofree char *k = g_strdup_printf ("%u", n);

      g_assert_true (g_hash_table_contains (seen, k));
    }

  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    g_ptr_array_unref (workers[i].keys);
}

/* ---------------------------------------------------------------------------
 * Tags
 */

static void
assert_tags (PrefectCtxTagsContext *ctx,
             const char            *expected)
{
  g_autofree char *joined = g_strjoinv (",", (char **) prefect_ctx_tags_context_get_current_tags (ctx));

  g_assert_cmpstr (joined, ==, expected);
}

static void
test_tags_accumulate (void)
{
  const char *ab[] = { "b", "a", NULL };
  const char *cd[] = { "d", "c", "a", NULL };
  g_autoptr(PrefectCtxTagsContext) outer = NULL;
  g_autoptr(PrefectCtxTagsContext) inner = NULL;
  PrefectCtxTagsContext *empty;

  empty = prefect_ctx_tags_context_get_current ();
  g_assert_nonnull (empty);
  assert_tags (empty, "");
  g_assert_false (prefect_ctx_context_is_entered (PREFECT_CTX_CONTEXT (empty)));
  g_assert_true (prefect_ctx_tags_context_get_current () == empty);

  outer = prefect_ctx_tags (ab);
  g_assert_false (prefect_ctx_context_is_entered (PREFECT_CTX_CONTEXT (outer)));
  assert_tags (outer, "a,b");
  enter_ok (outer);
  assert_tags (prefect_ctx_tags_context_get_current (), "a,b");

  inner = prefect_ctx_tags (cd);
  assert_tags (inner, "a,b,c,d");
  enter_ok (inner);
  assert_tags (prefect_ctx_tags_context_get_current (), "a,b,c,d");
  g_assert_true (prefect_ctx_tags_context_has_tag (prefect_ctx_tags_context_get_current (), "c"));
  g_assert_false (prefect_ctx_tags_context_has_tag (prefect_ctx_tags_context_get_current (), "e"));
  exit_ok (inner);

  assert_tags (prefect_ctx_tags_context_get_current (), "a,b");
  exit_ok (outer);

  g_assert_true (prefect_ctx_tags_context_get_current () == empty);
  assert_tags (prefect_ctx_tags_context_get_current (), "");
}

/* prefect_ctx_tags() merges its tags into the sorted current ones: added
 * tags unsorted, repeated among themselves and with the held ones, before,
 * between and after them. */
static void
test_tags_merge (void)
{
  const char *held[] = { "d", "b", NULL };
  const char *added[] = { "e", "a", "d", "a", "c", "b", "e", NULL };
  const char *bad[] = { "c", "bad\xff", NULL };
  const char *empty[] = { NULL };
  g_autoptr(PrefectCtxTagsContext) outer = prefect_ctx_tags_context_new (held);
  g_autoptr(PrefectCtxTagsContext) merged = NULL;
  g_autoptr(PrefectCtxTagsContext) same = NULL;
  g_autoptr(PrefectCtxTagsContext) invalid = NULL;
  g_autoptr(GError) error = NULL;

  enter_ok (outer);
  merged = prefect_ctx_tags (added);
  same = prefect_ctx_tags (empty);
  invalid = prefect_ctx_tags (bad);
  exit_ok (outer);

  assert_tags (merged, "a,b,c,d,e");
  assert_tags (same, "b,d");
  g_assert_true (prefect_ctx_tags_context_get_current_tags (same) !=
                 prefect_ctx_tags_context_get_current_tags (outer));
  g_assert_true (prefect_ctx_tags_context_has_tag (merged, "a"));
  g_assert_true (prefect_ctx_tags_context_has_tag (merged, "e"));

  g_assert_false (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (invalid), &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "Tag 'bad"));
}

static void
test_tags_properties (void)
{
  const char *dup[] = { "x", "x", "b", NULL };
  const char *bad[] = { "ok", "bad\xff", NULL };
  g_autoptr(PrefectCtxTagsContext) ctx = prefect_ctx_tags_context_new (dup);
  g_autoptr(PrefectCtxTagsContext) none = prefect_ctx_tags (NULL);
  g_autoptr(PrefectCtxTagsContext) invalid = prefect_ctx_tags_context_new (bad);
  g_autoptr(PrefectCtxContext) copy = NULL;
  g_auto(GStrv) read_back = NULL;
  g_autoptr(GError) error = NULL;
  const char *more[] = { "z", "a", NULL };

  assert_tags (ctx, "b,x");
  assert_tags (none, "");
  g_object_get (ctx, "current-tags", &read_back, NULL);
  g_assert_cmpuint (g_strv_length (read_back), ==, 2);

  copy = prefect_ctx_context_copy_with (PREFECT_CTX_CONTEXT (ctx), &error, "current-tags", more, NULL);
  g_assert_no_error (error);
  assert_tags (PREFECT_CTX_TAGS_CONTEXT (copy), "a,z");

  g_assert_false (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (invalid), &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "Tag 'bad"));
  g_assert_false (prefect_ctx_context_is_entered (PREFECT_CTX_CONTEXT (invalid)));
}

/* ---------------------------------------------------------------------------
 * Custom context
 */

static GHashTable *
string_map (const char *first_key,
            ...)
{
  GHashTable *map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;

  va_start (args, first_key);
  for (const char *k = first_key; k != NULL; k = va_arg (args, const char *))
    g_hash_table_insert (map, g_strdup (k), g_strdup (va_arg (args, const char *)));
  va_end (args);

  return map;
}

static PrefectCtxCustomContext *
merged_ok (GHashTable *values)
{
  g_autoptr(GError) error = NULL;
  PrefectCtxCustomContext *ctx = prefect_ctx_custom_context_new_merged (values, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ctx);
  return ctx;
}

static int
compare_str_ptrs (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
current_custom_string (void)
{
  g_autoptr(GHashTable) map = prefect_ctx_get_custom_context ();
  guint n = 0;
  g_autofree gpointer *keys = g_hash_table_get_keys_as_array (map, &n);
  GString *s = g_string_new (NULL);

  g_qsort_with_data (keys, n, sizeof (gpointer), compare_str_ptrs, NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s%s=%s", i > 0 ? "," : "", (const char *) keys[i],
                            (const char *) g_hash_table_lookup (map, keys[i]));

  return g_string_free (s, FALSE);
}

#define ASSERT_CUSTOM(expected)                              \
  G_STMT_START {                                             \
    g_autofree char *actual_ = current_custom_string ();     \
    g_assert_cmpstr (actual_, ==, (expected));               \
  } G_STMT_END

/* new_mergedv: the same merge from two arrays; a key given twice takes
 * its last value; a bad entry is refused as new_merged refuses it. */
static void
test_custom_mergedv (void)
{
  const char *base_keys[] = { "a", "b" };
  const char *base_values[] = { "1", "2" };
  const char *keys[] = { "b", "c", "b" };
  const char *values[] = { "3", "4", "5" };
  const char *bad_keys[] = { "ok", "no=pe" };
  g_autoptr(PrefectCtxCustomContext) base = NULL;
  g_autoptr(PrefectCtxCustomContext) merged = NULL;
  g_autoptr(PrefectCtxCustomContext) empty = NULL;
  g_autoptr(PrefectCtxCustomContext) bad = NULL;
  g_autoptr(GError) error = NULL;

  base = prefect_ctx_custom_context_new_mergedv (2, base_keys, base_values, &error);
  g_assert_no_error (error);
  enter_ok (base);
  merged = prefect_ctx_custom_context_new_mergedv (3, keys, values, &error);
  g_assert_no_error (error);
  enter_ok (merged);
  ASSERT_CUSTOM ("a=1,b=5,c=4");
  exit_ok (merged);

  empty = prefect_ctx_custom_context_new_mergedv (0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prefect_ctx_custom_context_get_size (empty), ==, 2);

  bad = prefect_ctx_custom_context_new_mergedv (2, bad_keys, base_values, &error);
  g_assert_null (bad);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Invalid custom context key 'no=pe': keys must not contain '='");
  exit_ok (base);
}

static void
test_custom_merge (void)
{
  g_autoptr(GHashTable) base_values = string_map ("a", "1", "b", "2", NULL);
  g_autoptr(GHashTable) override_values = string_map ("b", "3", "c", "4", NULL);
  g_autoptr(GHashTable) inner_values = string_map ("a", "x", NULL);
  g_autoptr(PrefectCtxCustomContext) base = NULL;
  g_autoptr(PrefectCtxCustomContext) override = NULL;
  g_autoptr(PrefectCtxCustomContext) inner = NULL;
  g_autoptr(PrefectCtxCustomContext) none = NULL;
  const char *v = NULL;

  /* Outside any: empty, no current. */
  ASSERT_CUSTOM ("");
  g_assert_null (prefect_ctx_custom_context_get_current ());
  g_assert_null (prefect_ctx_custom_context_lookup ("a"));

  /* The run-level base. */
  base = merged_ok (base_values);
  g_assert_false (prefect_ctx_context_is_entered (PREFECT_CTX_CONTEXT (base)));
  ASSERT_CUSTOM ("");
  enter_ok (base);
  ASSERT_CUSTOM ("a=1,b=2");
  g_assert_cmpstr (prefect_ctx_custom_context_lookup ("a"), ==, "1");
  g_assert_null (prefect_ctx_custom_context_lookup ("c"));

  /* A scoped override: added and overridden keys, nothing removed. */
  override = merged_ok (override_values);
  g_assert_cmpuint (prefect_ctx_custom_context_get_size (override), ==, 3);
  enter_ok (override);
  ASSERT_CUSTOM ("a=1,b=3,c=4");
  g_assert_cmpstr (prefect_ctx_custom_context_lookup ("b"), ==, "3");
  g_assert_cmpstr (prefect_ctx_custom_context_lookup ("c"), ==, "4");

  /* Innermost wins. */
  inner = merged_ok (inner_values);
  enter_ok (inner);
  ASSERT_CUSTOM ("a=x,b=3,c=4");
  g_assert_cmpstr (prefect_ctx_custom_context_lookup ("a"), ==, "x");
  g_assert_cmpstr (prefect_ctx_custom_context_get_value (inner, "b"), ==, "3");

  /* A merge with nothing new is the same map. */
  none = merged_ok (NULL);
  g_assert_cmpuint (prefect_ctx_custom_context_get_size (none), ==, 3);
  g_assert_true (g_variant_equal (prefect_ctx_custom_context_get_values (none),
                                  prefect_ctx_custom_context_get_values (inner)));

  /* get_values is the full map, sorted by key. */
  {
    GVariant *values = prefect_ctx_custom_context_get_values (inner);
    g_autofree char *printed = g_variant_print (values, FALSE);

    g_assert_true (g_variant_is_of_type (values, G_VARIANT_TYPE ("a{ss}")));
    g_assert_cmpstr (printed, ==, "{'a': 'x', 'b': '3', 'c': '4'}");
    g_assert_true (g_variant_lookup (values, "b", "&s", &v));
    g_assert_cmpstr (v, ==, "3");
  }

  /* Exits restore the previous maps. */
  exit_ok (inner);
  ASSERT_CUSTOM ("a=1,b=3,c=4");
  g_assert_cmpstr (prefect_ctx_custom_context_lookup ("a"), ==, "1");
  exit_ok (override);
  ASSERT_CUSTOM ("a=1,b=2");
  g_assert_null (prefect_ctx_custom_context_lookup ("c"));
  g_assert_cmpstr (prefect_ctx_custom_context_lookup ("b"), ==, "2");
  exit_ok (base);
  ASSERT_CUSTOM ("");
  g_assert_null (prefect_ctx_custom_context_lookup ("a"));

  /* The objects themselves never changed. */
  g_assert_cmpstr (prefect_ctx_custom_context_get_value (base, "b"), ==, "2");
  g_assert_null (prefect_ctx_custom_context_get_value (base, "c"));
}

static void
test_custom_deep_nesting (void)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *key = g_strdup_printf ("level%03u", i % 100);
      g_autofree char *value = g_strdup_printf ("%u", i);
      g_autoptr(GHashTable) values = string_map (key, value, "depth", value, NULL);
      PrefectCtxCustomContext *ctx = merged_ok (values);

      enter_ok (ctx);
      g_ptr_array_add (stack, ctx);
    }

  g_assert_cmpstr (prefect_ctx_custom_context_lookup ("depth"), ==, "199");
  g_assert_cmpstr (prefect_ctx_custom_context_lookup ("level000"), ==, "100");
  g_assert_cmpstr (prefect_ctx_custom_context_lookup ("level099"), ==, "199");
  g_assert_cmpuint (prefect_ctx_custom_context_get_size (prefect_ctx_custom_context_get_current ()), ==, 101);

  for (guint i = stack->len; i > 0; i--)
    {
      g_autofree char *expected = g_strdup_printf ("%u", i - 1);

      g_assert_cmpstr (prefect_ctx_custom_context_lookup ("depth"), ==, expected);
      exit_ok (g_ptr_array_index (stack, i - 1));
    }
  g_assert_null (prefect_ctx_custom_context_get_current ());
}

static void
assert_merge_fails (GHashTable *values,
                    const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxCustomContext) ctx = prefect_ctx_custom_context_new_merged (values, &error);

  g_assert_null (ctx);
  ASSERT_ERROR (error, PREFECT_CTX_ERROR_INVALID_ARGUMENT, message);
}

static void
test_custom_validation (void)
{
  static const struct { const char *key; const char *value; const char *message; } cases[] = {
    { "", "v", "Invalid custom context key '': keys must not be empty" },
    { "a=b", "v", "Invalid custom context key 'a=b': keys must not contain '='" },
    { "line\nbreak", "v", "Invalid custom context key 'line\\u000Abreak': keys must contain only printable characters" },
    { "tab\tkey", "v", "Invalid custom context key 'tab\\u0009key': keys must contain only printable characters" },
    { "zw\xe2\x80\x8bsp", "v", "Invalid custom context key 'zw\\u200Bsp': keys must contain only printable characters" },
    { "bad\xff", "v", "Invalid custom context key 'bad\xef\xbf\xbd': keys must be valid UTF-8" },
    { "k", "two\nlines", "Invalid value for custom context key 'k': values must not contain control characters other than tab" },
    { "k", "del\x7f", "Invalid value for custom context key 'k': values must not contain control characters other than tab" },
    { "k", "c1\xc2\x85", "Invalid value for custom context key 'k': values must not contain control characters other than tab" },
    { "k", "bad\xff", "Invalid value for custom context key 'k': values must be valid UTF-8" },
  };
  static const struct { const char *key; const char *value; } good[] = {
    { "with space", "v" },
    { "unicode-ключ-🔑", "значение 🎉" },
    { "k", "" },
    { "tabbed", "a\tb" },
    { "emoji", "👩\xe2\x80\x8d💻" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GHashTable) values = string_map (cases[i].key, cases[i].value, NULL);

      g_test_message ("case %u", i);
      assert_merge_fails (values, cases[i].message);
    }

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GHashTable) values = string_map (good[i].key, good[i].value, NULL);
      g_autoptr(PrefectCtxCustomContext) ctx = merged_ok (values);

      g_assert_cmpstr (prefect_ctx_custom_context_get_value (ctx, good[i].key), ==, good[i].value);
    }

  /* A NULL value. */
  {
    g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);

    g_hash_table_insert (values, (gpointer) "k", NULL);
    assert_merge_fails (values, "Invalid value for custom context key 'k': values must not be NULL");
  }
}

static void
test_custom_validation_other_paths (void)
{
  g_autoptr(PrefectCtxContext) made = NULL;
  g_autoptr(PrefectCtxContext) dup = NULL;
  g_autoptr(PrefectCtxContext) unsorted = NULL;
  g_autoptr(PrefectCtxContext) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *printed = NULL;

  /* g_object_new runs the same checks; enter and check report them. */
  made = g_object_new (PREFECT_CTX_TYPE_CUSTOM_CONTEXT,
                       "values", g_variant_new_parsed ("{'ok': 'v', 'a=b': 'v'}"),
                       NULL);
  g_assert_false (prefect_ctx_context_check (made, &error));
  ASSERT_ERROR (error, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                "Invalid custom context key 'a=b': keys must not contain '='");
  g_clear_error (&error);
  g_assert_false (prefect_ctx_context_enter (made, &error));
  ASSERT_ERROR (error, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                "Invalid custom context key 'a=b': keys must not contain '='");
  g_clear_error (&error);
  g_assert_false (prefect_ctx_context_is_entered (made));
  g_assert_null (prefect_ctx_custom_context_get_current ());

  /* A key given twice. */
  dup = g_object_new (PREFECT_CTX_TYPE_CUSTOM_CONTEXT,
                      "values", g_variant_new_parsed ("[{'k', 'v1'}, {'k', 'v2'}]"),
                      NULL);
  g_assert_false (prefect_ctx_context_check (dup, &error));
  ASSERT_ERROR (error, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                "Invalid custom context key 'k': the key is given more than once");
  g_clear_error (&error);

  /* An unsorted map is accepted and reads back sorted. */
  unsorted = g_object_new (PREFECT_CTX_TYPE_CUSTOM_CONTEXT,
                           "values", g_variant_new_parsed ("{'z': '1', 'a': '2'}"),
                           NULL);
  g_assert_true (prefect_ctx_context_check (unsorted, NULL));
  printed = g_variant_print (prefect_ctx_custom_context_get_values (PREFECT_CTX_CUSTOM_CONTEXT (unsorted)), FALSE);
  g_assert_cmpstr (printed, ==, "{'a': '2', 'z': '1'}");
  g_assert_cmpstr (prefect_ctx_custom_context_lookup ("a"), ==, NULL);
  enter_ok (unsorted);
  g_assert_cmpstr (prefect_ctx_custom_context_lookup ("a"), ==, "2");
  exit_ok (unsorted);

  /* copy_with checks too. */
  copy = prefect_ctx_context_copy_with (unsorted, &error,
                                        "values", g_variant_new_parsed ("{'bad\nkey': 'v'}"),
                                        NULL);
  g_assert_null (copy);
  ASSERT_ERROR (error, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                "Invalid custom context key 'bad\\u000Akey': keys must contain only printable characters");
  g_clear_error (&error);

  copy = prefect_ctx_context_copy_with (unsorted, &error,
                                        "values", g_variant_new_parsed ("{'x': 'y'}"),
                                        NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_custom_context_get_value (PREFECT_CTX_CUSTOM_CONTEXT (copy), "x"), ==, "y");
  g_assert_null (prefect_ctx_custom_context_get_value (PREFECT_CTX_CUSTOM_CONTEXT (copy), "a"));
}

static GHashTable *
numbered_map (guint       n,
              const char *key_prefix,
              int         digits,
              gsize       value_length)
{
  GHashTable *map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < n; i++)
    {
      char *value = g_malloc (value_length + 1);

      memset (value, 'v', value_length);
      value[value_length] = '\0';
      g_hash_table_insert (map, g_strdup_printf ("%s%0*u", key_prefix, digits, i), value);
    }

  return map;
}

static void
test_custom_limits (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (PREFECT_CTX_CUSTOM_CONTEXT_MAX_ENTRIES, >=, 64);
  g_assert_cmpint (PREFECT_CTX_CUSTOM_CONTEXT_MAX_BYTES, >=, 8192);

  /* W3C Baggage's minimum: 64 entries and 8192 bytes fit. */
  {
    g_autoptr(GHashTable) values = numbered_map (64, "k", 2, (8192 - 64 * 3) / 64);
    g_autoptr(PrefectCtxCustomContext) ctx = merged_ok (values);

    g_assert_cmpuint (prefect_ctx_custom_context_get_size (ctx), ==, 64);
  }

  /* Exactly the entry limit fits; one more does not. */
  {
    g_autoptr(GHashTable) values = numbered_map (PREFECT_CTX_CUSTOM_CONTEXT_MAX_ENTRIES, "k", 3, 1);
    g_autoptr(PrefectCtxCustomContext) ctx = merged_ok (values);
    g_autoptr(GHashTable) more = string_map ("k999", "v", NULL);
    g_autoptr(GHashTable) replace = string_map ("k000", "other", NULL);
    g_autoptr(PrefectCtxCustomContext) replaced = NULL;

    g_assert_cmpuint (prefect_ctx_custom_context_get_size (ctx), ==, PREFECT_CTX_CUSTOM_CONTEXT_MAX_ENTRIES);

    /* Merging one more key on top of a full map is over. */
    enter_ok (ctx);
    assert_merge_fails (more, "Cannot hold custom context key 'k999': a custom context holds at most 256 entries");
    /* Overriding a key of a full map is fine. */
    replaced = merged_ok (replace);
    g_assert_cmpstr (prefect_ctx_custom_context_get_value (replaced, "k000"), ==, "other");
    exit_ok (ctx);
  }
  {
    g_autoptr(GHashTable) values = numbered_map (PREFECT_CTX_CUSTOM_CONTEXT_MAX_ENTRIES + 1, "k", 3, 1);

    assert_merge_fails (values, "Cannot hold custom context key 'k256': a custom context holds at most 256 entries");
  }

  /* Exactly the byte limit fits; one byte more does not. */
  {
    g_autoptr(GHashTable) values = numbered_map (1, "big", 1, PREFECT_CTX_CUSTOM_CONTEXT_MAX_BYTES - 4);
    g_autoptr(PrefectCtxCustomContext) ctx = merged_ok (values);

    g_assert_cmpuint (prefect_ctx_custom_context_get_size (ctx), ==, 1);
  }
  {
    g_autoptr(GHashTable) values = numbered_map (1, "big", 1, PREFECT_CTX_CUSTOM_CONTEXT_MAX_BYTES - 3);

    assert_merge_fails (values, "Cannot hold custom context key 'big0': the keys and values of a custom context hold at most 65536 bytes");
  }
  {
    /* Spread over many entries: 16 entries "kNN" of 4093 bytes = 65536. */
    g_autoptr(GHashTable) values = numbered_map (16, "k", 2, 4093);
    g_autoptr(PrefectCtxCustomContext) ctx = merged_ok (values);
    g_autoptr(GHashTable) one_more = string_map ("k16", "", NULL);

    enter_ok (ctx);
    assert_merge_fails (one_more, "Cannot hold custom context key 'k16': the keys and values of a custom context hold at most 65536 bytes");
    exit_ok (ctx);
  }

  g_assert_no_error (error);
}

/* ---------------------------------------------------------------------------
 * Object registry
 */

static void
test_object_registry (void)
{
  g_autoptr(PrefectCtxObjectRegistry) registry = prefect_ctx_object_registry_new (TRUE, FALSE);
  g_autoptr(GObject) base1 = g_object_new (test_base_get_type (), NULL);
  g_autoptr(GObject) derived = g_object_new (test_derived_get_type (), NULL);
  g_autoptr(GObject) other = g_object_new (test_other_get_type (), NULL);
  g_autoptr(GObject) base2 = g_object_new (test_base_get_type (), NULL);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDateTime *start;

  g_assert_true (prefect_ctx_object_registry_get_block_code_execution (registry));
  g_assert_false (prefect_ctx_object_registry_get_capture_failures (registry));
  start = prefect_ctx_object_registry_get_start_time (registry);
  g_assert_cmpint (g_date_time_get_utc_offset (start), ==, 0);
  g_assert_cmpint (g_date_time_difference (now, start), <, 60 * G_TIME_SPAN_SECOND);

  prefect_ctx_object_registry_register_instance (registry, base1);
  prefect_ctx_object_registry_register_instance (registry, derived);
  prefect_ctx_object_registry_register_instance (registry, other);
  prefect_ctx_object_registry_register_instance (registry, base2);

  /* Instances of the type and its subtypes, in registration order. */
  found = prefect_ctx_object_registry_get_instances (registry, test_base_get_type ());
  g_assert_cmpuint (found->len, ==, 3);
  g_assert_true (g_ptr_array_index (found, 0) == base1);
  g_assert_true (g_ptr_array_index (found, 1) == derived);
  g_assert_true (g_ptr_array_index (found, 2) == base2);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = prefect_ctx_object_registry_get_instances (registry, test_derived_get_type ());
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_true (g_ptr_array_index (found, 0) == derived);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = prefect_ctx_object_registry_get_instances (registry, G_TYPE_OBJECT);
  g_assert_cmpuint (found->len, ==, 4);
  g_assert_true (g_ptr_array_index (found, 2) == other);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = prefect_ctx_object_registry_get_instances (registry, PREFECT_CTX_TYPE_FLOW);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* The registry keeps its objects alive. */
  {
    GObject *kept = g_object_new (test_other_get_type (), NULL);

    g_object_add_weak_pointer (kept, (gpointer *) &kept);
    prefect_ctx_object_registry_register_instance (registry, kept);
    g_object_unref (kept);
    g_assert_nonnull (kept);
    g_object_remove_weak_pointer (kept, (gpointer *) &kept);
  }
}

static void
test_object_registry_failures (void)
{
  g_autoptr(PrefectCtxObjectRegistry) registry = prefect_ctx_object_registry_new (FALSE, FALSE);
  g_autoptr(GObject) derived = g_object_new (test_derived_get_type (), NULL);
  g_autoptr(GError) error1 = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "first");
  g_autoptr(GError) error2 = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "second");
  g_autoptr(GPtrArray) failures = NULL;
  PrefectCtxInitFailure *failure;

  prefect_ctx_object_registry_register_init_failure (registry, NULL, test_base_get_type (), error1);
  prefect_ctx_object_registry_register_init_failure (registry, derived, test_derived_get_type (), error2);
  prefect_ctx_object_registry_register_init_failure (registry, NULL, test_other_get_type (), error1);

  failures = prefect_ctx_object_registry_get_instance_failures (registry, test_base_get_type ());
  g_assert_cmpuint (failures->len, ==, 2);
  failure = g_ptr_array_index (failures, 0);
  g_assert_true (prefect_ctx_init_failure_get_object_type (failure) == test_base_get_type ());
  g_assert_null (prefect_ctx_init_failure_get_object (failure));
  g_assert_error (prefect_ctx_init_failure_get_error (failure), G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (prefect_ctx_init_failure_get_error (failure)->message, ==, "first");
  g_assert_true (prefect_ctx_init_failure_get_error (failure) != error1);
  failure = g_ptr_array_index (failures, 1);
  g_assert_true (prefect_ctx_init_failure_get_object_type (failure) == test_derived_get_type ());
  g_assert_true (prefect_ctx_init_failure_get_object (failure) == derived);
  g_assert_error (prefect_ctx_init_failure_get_error (failure), G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_pointer (&failures, g_ptr_array_unref);

  failures = prefect_ctx_object_registry_get_instance_failures (registry, test_derived_get_type ());
  g_assert_cmpuint (failures->len, ==, 1);
  g_clear_pointer (&failures, g_ptr_array_unref);

  failures = prefect_ctx_object_registry_get_instance_failures (registry, test_other_get_type ());
  g_assert_cmpuint (failures->len, ==, 1);
  g_clear_pointer (&failures, g_ptr_array_unref);

  /* Failures are not instances. */
  failures = prefect_ctx_object_registry_get_instances (registry, G_TYPE_OBJECT);
  g_assert_cmpuint (failures->len, ==, 0);
}

static void
test_object_registry_track (void)
{
  g_autoptr(PrefectCtxObjectRegistry) registry = prefect_ctx_object_registry_new (FALSE, FALSE);
  g_autoptr(PrefectCtxObjectRegistry) capturing = prefect_ctx_object_registry_new (FALSE, TRUE);
  g_autoptr(GObject) a = g_object_new (test_base_get_type (), NULL);
  g_autoptr(GObject) b = g_object_new (test_base_get_type (), NULL);
  g_autoptr(GObject) c = g_object_new (test_base_get_type (), NULL);
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "boom");
  g_autoptr(GPtrArray) found = NULL;

  /* No registry: nothing happens. */
  g_assert_null (prefect_ctx_object_registry_get_current ());
  g_assert_false (prefect_ctx_object_registry_track (a));
  g_assert_false (prefect_ctx_object_registry_track_failure (NULL, test_base_get_type (), error));

  enter_ok (registry);
  g_assert_true (prefect_ctx_object_registry_get_current () == registry);
  g_assert_true (prefect_ctx_object_registry_track (b));
  /* This registry does not capture failures. */
  g_assert_false (prefect_ctx_object_registry_track_failure (NULL, test_base_get_type (), error));

  enter_ok (capturing);
  g_assert_true (prefect_ctx_object_registry_track (c));
  g_assert_true (prefect_ctx_object_registry_track_failure (NULL, test_base_get_type (), error));
  exit_ok (capturing);
  exit_ok (registry);

  g_assert_false (prefect_ctx_object_registry_track (a));

  found = prefect_ctx_object_registry_get_instances (registry, G_TYPE_OBJECT);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_true (g_ptr_array_index (found, 0) == b);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = prefect_ctx_object_registry_get_instance_failures (registry, G_TYPE_OBJECT);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = prefect_ctx_object_registry_get_instances (capturing, G_TYPE_OBJECT);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_true (g_ptr_array_index (found, 0) == c);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = prefect_ctx_object_registry_get_instance_failures (capturing, test_base_get_type ());
  g_assert_cmpuint (found->len, ==, 1);
}

#define N_REGISTER_THREADS 4
#define N_REGISTER_PER_THREAD 250

static gpointer
register_worker (gpointer data)
{
  PrefectCtxObjectRegistry *registry = data;

  for (guint i = 0; i < N_REGISTER_PER_THREAD; i++)
    {
      g_autoptr(GObject) object = g_object_new (test_derived_get_type (), NULL);

      prefect_ctx_object_registry_register_instance (registry, object);
    }

  return NULL;
}

static void
test_object_registry_threads (void)
{
  g_autoptr(PrefectCtxObjectRegistry) registry = prefect_ctx_object_registry_new (FALSE, FALSE);
  g_autoptr(GPtrArray) found = NULL;
  GThread *threads[N_REGISTER_THREADS];

  for (guint i = 0; i < N_REGISTER_THREADS; i++)
    threads[i] = g_thread_new ("register", register_worker, registry);
  for (guint i = 0; i < N_REGISTER_THREADS; i++)
    g_thread_join (threads[i]);

  found = prefect_ctx_object_registry_get_instances (registry, test_base_get_type ());
  g_assert_cmpuint (found->len, ==, N_REGISTER_THREADS * N_REGISTER_PER_THREAD);
}

/* ---------------------------------------------------------------------------
 * Threads start empty
 */

static gpointer
look_around (gpointer data)
{
  gboolean *all_empty = data;

  *all_empty = prefect_ctx_flow_run_context_get_current () == NULL &&
               prefect_ctx_custom_context_get_current () == NULL &&
               prefect_ctx_get_run_context (NULL) == NULL &&
               g_strv_length ((char **) prefect_ctx_tags_context_get_current_tags (prefect_ctx_tags_context_get_current ())) == 0;

  return NULL;
}

static void
test_new_thread_starts_empty (void)
{
  g_autoptr(PrefectCtxFlowRunContext) flow_ctx = make_flow_context ("fr-1");
  const char *t[] = { "t", NULL };
  g_autoptr(PrefectCtxTagsContext) tags = prefect_ctx_tags (t);
  gboolean all_empty = FALSE;

  enter_ok (flow_ctx);
  enter_ok (tags);
  g_thread_join (g_thread_new ("empty", look_around, &all_empty));
  g_assert_true (all_empty);
  exit_ok (tags);
  exit_ok (flow_ctx);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/contexts/kinds", test_kinds);
  g_test_add_func ("/contexts/enter-exit", test_enter_exit_each_kind);
  g_test_add_func ("/contexts/nesting", test_nesting_restores);
  g_test_add_func ("/contexts/errors", test_enter_exit_errors);
  g_test_add_func ("/contexts/copy-with", test_copy_with);
  g_test_add_func ("/contexts/copy-with/read-only-and-subclass", test_copy_with_read_only);
  g_test_add_func ("/contexts/new-thread-starts-empty", test_new_thread_starts_empty);
  g_test_add_func ("/contexts/flow-run/properties", test_flow_run_context_properties);
  g_test_add_func ("/contexts/flow-run/dynamic-keys", test_dynamic_keys);
  g_test_add_func ("/contexts/flow-run/dynamic-keys-threads", test_dynamic_keys_threads);
  g_test_add_func ("/contexts/task-run/properties", test_task_run_context_properties);
  g_test_add_func ("/contexts/run-context/get", test_get_run_context);
  g_test_add_func ("/contexts/tags/accumulate", test_tags_accumulate);
  g_test_add_func ("/contexts/tags/properties", test_tags_properties);
  g_test_add_func ("/contexts/tags/merge", test_tags_merge);
  g_test_add_func ("/contexts/custom/merge", test_custom_merge);
  g_test_add_func ("/contexts/custom/mergedv", test_custom_mergedv);
  g_test_add_func ("/contexts/custom/deep-nesting", test_custom_deep_nesting);
  g_test_add_func ("/contexts/custom/validation", test_custom_validation);
  g_test_add_func ("/contexts/custom/validation-other-paths", test_custom_validation_other_paths);
  g_test_add_func ("/contexts/custom/limits", test_custom_limits);
  g_test_add_func ("/contexts/object-registry/instances", test_object_registry);
  g_test_add_func ("/contexts/object-registry/failures", test_object_registry_failures);
  g_test_add_func ("/contexts/object-registry/track", test_object_registry_track);
  g_test_add_func ("/contexts/object-registry/threads", test_object_registry_threads);

  return g_test_run ();
}
