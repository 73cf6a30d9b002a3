/* test-context.c: PrefectCtxContext, kinds, enter/exit rules, copy_with
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "test-types.h"

static void
test_context_enter_exit (void)
{
  g_autoptr(PrefectCtxContext) ctx = test_ctx_new (7);

  g_assert_null (prefect_ctx_context_get_current (TEST_TYPE_CTX));
  g_assert_false (prefect_ctx_context_is_entered (ctx));

  assert_enter (ctx);
  g_assert_true (prefect_ctx_context_is_entered (ctx));
  g_assert_true (prefect_ctx_context_get_current (TEST_TYPE_CTX) == ctx);
  g_assert_cmpint (test_current_value (), ==, 7);

  assert_exit (ctx);
  g_assert_false (prefect_ctx_context_is_entered (ctx));
  g_assert_null (prefect_ctx_context_get_current (TEST_TYPE_CTX));

  /* A context can be entered again once exited. */
  assert_enter (ctx);
  g_assert_true (prefect_ctx_context_get_current (TEST_TYPE_CTX) == ctx);
  assert_exit (ctx);
}

static void
test_context_nesting (void)
{
  g_autoptr(PrefectCtxContext) c1 = test_ctx_new (1);
  g_autoptr(PrefectCtxContext) c2 = test_ctx_new (2);
  g_autoptr(PrefectCtxContext) c3 = test_ctx_new (3);

  assert_enter (c1);
  assert_enter (c2);
  assert_enter (c3);
  g_assert_cmpint (test_current_value (), ==, 3);
  assert_exit (c3);
  g_assert_cmpint (test_current_value (), ==, 2);
  assert_exit (c2);
  g_assert_cmpint (test_current_value (), ==, 1);
  assert_exit (c1);
  g_assert_null (prefect_ctx_context_get_current (TEST_TYPE_CTX));
}

static void
test_context_already_entered (void)
{
  g_autoptr(PrefectCtxContext) ctx = test_ctx_new (1);
  g_autoptr(GError) error = NULL;

  assert_enter (ctx);
  g_assert_false (prefect_ctx_context_enter (ctx, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_ALREADY_ENTERED);
  g_assert_cmpstr (error->message, ==, "Context already entered. Context enter calls cannot be nested.");
  /* Nothing changed: one exit leaves the thread empty. */
  g_assert_true (prefect_ctx_context_get_current (TEST_TYPE_CTX) == ctx);
  assert_exit (ctx);
  g_assert_null (prefect_ctx_context_get_current (TEST_TYPE_CTX));
}

static void
test_context_not_entered (void)
{
  g_autoptr(PrefectCtxContext) ctx = test_ctx_new (1);
  g_autoptr(GError) error = NULL;

  g_assert_false (prefect_ctx_context_exit (ctx, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_ENTERED);
  g_assert_cmpstr (error->message, ==, "Asymmetric use of context. Context exit called without an enter.");

  /* Exiting twice is the same error. */
  g_clear_error (&error);
  assert_enter (ctx);
  assert_exit (ctx);
  g_assert_false (prefect_ctx_context_exit (ctx, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_ENTERED);
}

static void
test_context_out_of_order (void)
{
  g_autoptr(PrefectCtxContext) a = test_ctx_new (1);
  g_autoptr(PrefectCtxContext) b = g_object_new (TEST_TYPE_OTHER_CTX, NULL);
  g_autoptr(PrefectCtxContext) c = test_ctx_new (3);
  g_autoptr(GError) error = NULL;

  assert_enter (a);
  assert_enter (b);
  assert_enter (c);

  /* Neither a (same kind as c) nor b (another kind) is innermost. */
  g_assert_false (prefect_ctx_context_exit (a, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_OUT_OF_ORDER);
  g_clear_error (&error);
  g_assert_false (prefect_ctx_context_exit (b, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_OUT_OF_ORDER);
  g_clear_error (&error);

  /* The state is exactly as it was. */
  g_assert_true (prefect_ctx_context_is_entered (a));
  g_assert_true (prefect_ctx_context_is_entered (b));
  g_assert_cmpint (test_current_value (), ==, 3);
  g_assert_true (prefect_ctx_context_get_current (TEST_TYPE_OTHER_CTX) == b);

  assert_exit (c);
  g_assert_cmpint (test_current_value (), ==, 1);
  assert_exit (b);
  g_assert_null (prefect_ctx_context_get_current (TEST_TYPE_OTHER_CTX));
  assert_exit (a);
  g_assert_null (prefect_ctx_context_get_current (TEST_TYPE_CTX));
}

typedef struct
{
  PrefectCtxContext *ctx;
  GError *exit_error;
  GError *enter_error;
  gboolean saw_empty;
} ThreadData;

static gpointer
exit_from_other_thread (gpointer data)
{
  ThreadData *td = data;

  td->saw_empty = prefect_ctx_context_get_current (TEST_TYPE_CTX) == NULL;
  prefect_ctx_context_exit (td->ctx, &td->exit_error);
  prefect_ctx_context_enter (td->ctx, &td->enter_error);
  return NULL;
}

static void
test_context_wrong_thread (void)
{
  g_autoptr(PrefectCtxContext) ctx = test_ctx_new (5);
  ThreadData td = { ctx, NULL, NULL, FALSE };
  GThread *thread;

  assert_enter (ctx);
  thread = g_thread_new ("exit-elsewhere", exit_from_other_thread, &td);
  g_thread_join (thread);

  /* New threads start empty. */
  g_assert_true (td.saw_empty);
  g_assert_error (td.exit_error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_WRONG_THREAD);
  g_assert_error (td.enter_error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_ALREADY_ENTERED);
  g_clear_error (&td.exit_error);
  g_clear_error (&td.enter_error);

  /* Nothing changed here. */
  g_assert_true (prefect_ctx_context_get_current (TEST_TYPE_CTX) == ctx);
  assert_exit (ctx);
}

static void
test_context_subclass_shares_kind (void)
{
  g_autoptr(PrefectCtxContext) base = test_ctx_new (1);
  g_autoptr(PrefectCtxContext) sub = g_object_new (TEST_TYPE_SUB_CTX, "value", 2, NULL);
  g_autoptr(PrefectCtxContext) other = g_object_new (TEST_TYPE_OTHER_CTX, NULL);

  g_assert_cmpstr (prefect_ctx_context_kind_get_name (TEST_TYPE_CTX), ==, "test");
  g_assert_cmpstr (prefect_ctx_context_kind_get_name (TEST_TYPE_SUB_CTX), ==, "test");
  g_assert_cmpstr (prefect_ctx_context_kind_get_name (TEST_TYPE_OTHER_CTX), ==, "other");
  g_assert_null (prefect_ctx_context_kind_get_name (TEST_TYPE_NO_KIND));
  g_assert_null (prefect_ctx_context_kind_get_name (G_TYPE_OBJECT));

  assert_enter (base);
  assert_enter (other);
  assert_enter (sub);
  /* The subclass replaced the base in the shared slot... */
  g_assert_true (prefect_ctx_context_get_current (TEST_TYPE_CTX) == sub);
  g_assert_true (prefect_ctx_context_get_current (TEST_TYPE_SUB_CTX) == sub);
  /* ...and left the other kind alone. */
  g_assert_true (prefect_ctx_context_get_current (TEST_TYPE_OTHER_CTX) == other);
  assert_exit (sub);
  g_assert_true (prefect_ctx_context_get_current (TEST_TYPE_CTX) == base);
  /* The current context of the kind is not a TestSubCtx. */
  g_assert_null (prefect_ctx_context_get_current (TEST_TYPE_SUB_CTX));
  assert_exit (other);
  assert_exit (base);

  /* Types that are not contexts have no current context. */
  g_assert_null (prefect_ctx_context_get_current (G_TYPE_OBJECT));
  g_assert_null (prefect_ctx_context_get_current (PREFECT_CTX_TYPE_CONTEXT));
}

static void
test_context_no_kind (void)
{
  g_autoptr(PrefectCtxContext) ctx = g_object_new (TEST_TYPE_NO_KIND, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (prefect_ctx_context_enter (ctx, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "TestNoKind"));
  g_assert_false (prefect_ctx_context_is_entered (ctx));
}

/* A kind declared at run time, as bindings do. */
typedef struct { PrefectCtxContext parent; } TestLateCtx;
typedef struct { PrefectCtxContextClass parent_class; } TestLateCtxClass;
static GType test_late_ctx_get_type (void);
G_DEFINE_TYPE (TestLateCtx, test_late_ctx, PREFECT_CTX_TYPE_CONTEXT)
static void test_late_ctx_class_init (TestLateCtxClass *klass) { }
static void test_late_ctx_init (TestLateCtx *self) { }

static void
test_context_declare_kind (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxContext) ctx = NULL;
  g_autoptr(PrefectCtxContext) test = test_ctx_new (1);

  g_assert_false (prefect_ctx_context_declare_kind_for_type (G_TYPE_OBJECT, "nope", &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (prefect_ctx_context_declare_kind_for_type (PREFECT_CTX_TYPE_CONTEXT, "nope", &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_true (prefect_ctx_context_declare_kind_for_type (test_late_ctx_get_type (), "late", &error));
  g_assert_no_error (error);
  /* Declaring twice is harmless and keeps the slot. */
  g_assert_true (prefect_ctx_context_declare_kind_for_type (test_late_ctx_get_type (), "late", &error));
  g_assert_cmpstr (prefect_ctx_context_kind_get_name (test_late_ctx_get_type ()), ==, "late");

  ctx = g_object_new (test_late_ctx_get_type (), NULL);
  assert_enter (test);
  assert_enter (ctx);
  g_assert_true (prefect_ctx_context_get_current (test_late_ctx_get_type ()) == ctx);
  g_assert_true (prefect_ctx_context_get_current (TEST_TYPE_CTX) == test);
  assert_exit (ctx);
  assert_exit (test);
}

static void
test_context_copy_with (void)
{
  g_autoptr(PrefectCtxContext) ctx = test_ctx_new (1);
  g_autoptr(PrefectCtxContext) copy = NULL;
  g_autoptr(PrefectCtxContext) same = NULL;
  g_autoptr(GError) error = NULL;

  assert_enter (ctx);
  copy = prefect_ctx_context_copy_with (ctx, &error, "value", 2, NULL);
  g_assert_no_error (error);
  g_assert_true (G_OBJECT_TYPE (copy) == TEST_TYPE_CTX);
  g_assert_cmpint (TEST_CTX (copy)->value, ==, 2);
  g_assert_cmpint (TEST_CTX (ctx)->value, ==, 1);
  g_assert_false (prefect_ctx_context_is_entered (copy));

  /* The copy can be entered while the original is. */
  assert_enter (copy);
  g_assert_cmpint (test_current_value (), ==, 2);
  assert_exit (copy);
  assert_exit (ctx);

  /* No changes: an equal, distinct copy. */
  same = prefect_ctx_context_copy_with (ctx, &error, NULL, NULL);
  g_assert_no_error (error);
  g_assert_true (same != ctx);
  g_assert_cmpint (TEST_CTX (same)->value, ==, 1);

  /* Subclasses copy to their own type. */
  {
    g_autoptr(PrefectCtxContext) sub = g_object_new (TEST_TYPE_SUB_CTX, "value", 4, NULL);
    g_autoptr(PrefectCtxContext) sub_copy = prefect_ctx_context_copy_with (sub, &error, NULL, NULL);
    g_assert_no_error (error);
    g_assert_true (G_OBJECT_TYPE (sub_copy) == TEST_TYPE_SUB_CTX);
    g_assert_cmpint (TEST_CTX (sub_copy)->value, ==, 4);
  }
}

static void
test_context_copy_with_errors (void)
{
  g_autoptr(PrefectCtxContext) ctx = test_ctx_new (1);
  g_autoptr(GError) error = NULL;
  PrefectCtxContext *copy;

  copy = prefect_ctx_context_copy_with (ctx, &error, "nonexistent", 2, NULL);
  g_assert_null (copy);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "TestCtx has no property 'nonexistent'");
  g_clear_error (&error);

  copy = prefect_ctx_context_copy_with (ctx, &error, "doubled", 2, NULL);
  g_assert_null (copy);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Property 'doubled' of TestCtx is read-only");
  g_clear_error (&error);

  /* The class's validation applies to copies too. */
  copy = prefect_ctx_context_copy_with (ctx, &error, "value", -3, NULL);
  g_assert_null (copy);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "value must not be negative");
}

static void
test_context_copy_withv (void)
{
  g_autoptr(PrefectCtxContext) ctx = test_ctx_new (1);
  g_autoptr(PrefectCtxContext) copy = NULL;
  g_autoptr(GError) error = NULL;
  const char *names[2] = { "value", "value" };
  GValue values[2] = { G_VALUE_INIT, G_VALUE_INIT };

  /* A gint64 (as a binding may pass it) is transformed to the property's gint. */
  g_value_init (&values[0], G_TYPE_INT64);
  g_value_set_int64 (&values[0], 42);
  copy = prefect_ctx_context_copy_withv (ctx, 1, names, values, &error);
  g_assert_no_error (error);
  g_assert_cmpint (TEST_CTX (copy)->value, ==, 42);
  g_value_unset (&values[0]);

  /* A string cannot become an integer. */
  g_value_init (&values[0], G_TYPE_STRING);
  g_value_set_string (&values[0], "forty-two");
  g_assert_null (prefect_ctx_context_copy_withv (ctx, 1, names, values, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Cannot use a value of type gchararray for property 'value' of type gint");
  g_clear_error (&error);
  g_value_unset (&values[0]);

  /* Out of the property's range. */
  g_value_init (&values[0], G_TYPE_INT);
  g_value_set_int (&values[0], 2000000000);
  g_assert_null (prefect_ctx_context_copy_withv (ctx, 1, names, values, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* The same name twice. */
  g_value_set_int (&values[0], 1);
  g_value_init (&values[1], G_TYPE_INT);
  g_value_set_int (&values[1], 2);
  g_assert_null (prefect_ctx_context_copy_withv (ctx, 2, names, values, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_value_unset (&values[0]);
  g_value_unset (&values[1]);
}

static void
test_context_invalid (void)
{
  g_autoptr(PrefectCtxContext) ctx = test_ctx_new (-1);
  g_autoptr(GError) error = NULL;

  g_assert_false (prefect_ctx_context_check (ctx, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (prefect_ctx_context_enter (ctx, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "value must not be negative");
  g_assert_false (prefect_ctx_context_is_entered (ctx));
  g_assert_null (prefect_ctx_context_get_current (TEST_TYPE_CTX));
}

/* A validate vfunc that fails without saying why: reported, not fatal. */
typedef struct { TestCtx parent; } TestMuteCtx;
typedef struct { TestCtxClass parent_class; } TestMuteCtxClass;
static GType test_mute_ctx_get_type (void);
G_DEFINE_TYPE (TestMuteCtx, test_mute_ctx, TEST_TYPE_CTX)
static gboolean test_mute_ctx_validate (PrefectCtxContext *context, GError **error) { return FALSE; }
static void test_mute_ctx_class_init (TestMuteCtxClass *klass) { PREFECT_CTX_CONTEXT_CLASS (klass)->validate = test_mute_ctx_validate; }
static void test_mute_ctx_init (TestMuteCtx *self) { }

static void
test_context_validate_without_error (void)
{
  g_autoptr(PrefectCtxContext) ctx = NULL;
  g_autoptr(GError) error = NULL;

  g_test_expect_message ("PrefectCtx", G_LOG_LEVEL_CRITICAL,
                         "TestMuteCtx's validate vfunc returned FALSE without setting an error");
  ctx = g_object_new (test_mute_ctx_get_type (), NULL);
  g_test_assert_expected_messages ();

  g_assert_false (prefect_ctx_context_enter (ctx, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "TestMuteCtx refused its property values");
  g_assert_false (prefect_ctx_context_is_entered (ctx));
}

/* Unlink before unref: a finalizer that looks at the current context sees
 * the state after the exit. */
static int finalize_saw_value = -2;
static gboolean finalize_saw_self = FALSE;

typedef struct { TestCtx parent; } TestPeekCtx;
typedef struct { TestCtxClass parent_class; } TestPeekCtxClass;
static GType test_peek_ctx_get_type (void);
G_DEFINE_TYPE (TestPeekCtx, test_peek_ctx, TEST_TYPE_CTX)

static void
test_peek_ctx_finalize (GObject *object)
{
  finalize_saw_value = test_current_value ();
  finalize_saw_self = prefect_ctx_context_get_current (TEST_TYPE_CTX) == (gpointer) object;
  G_OBJECT_CLASS (test_peek_ctx_parent_class)->finalize (object);
}

static void test_peek_ctx_class_init (TestPeekCtxClass *klass) { G_OBJECT_CLASS (klass)->finalize = test_peek_ctx_finalize; }
static void test_peek_ctx_init (TestPeekCtx *self) { }

static void
test_context_unlink_before_unref (void)
{
  g_autoptr(PrefectCtxContext) outer = test_ctx_new (10);
  PrefectCtxContext *inner = g_object_new (test_peek_ctx_get_type (), "value", 11, NULL);
  GWeakRef weak;

  g_weak_ref_init (&weak, inner);
  assert_enter (outer);
  assert_enter (inner);
  g_object_unref (inner);   /* the thread's frame keeps it alive */
  g_assert_cmpint (test_current_value (), ==, 11);

  assert_exit (inner);      /* drops the last reference */
  g_assert_null (g_weak_ref_get (&weak));
  g_assert_cmpint (finalize_saw_value, ==, 10);
  g_assert_false (finalize_saw_self);
  g_weak_ref_clear (&weak);
  assert_exit (outer);
}

static gpointer
leave_entered (gpointer data)
{
  assert_enter (data);
  return NULL;
}

static void
test_context_thread_ends_entered (void)
{
  g_autoptr(PrefectCtxContext) ctx = test_ctx_new (1);
  GThread *thread;

  g_test_expect_message ("PrefectCtx", G_LOG_LEVEL_WARNING,
                         "A thread ended with 1 context(s) still entered; they were exited");
  thread = g_thread_new ("leaky", leave_entered, ctx);
  g_thread_join (thread);
  g_test_assert_expected_messages ();

  /* It was marked exited, so it can be entered again. */
  g_assert_false (prefect_ctx_context_is_entered (ctx));
  assert_enter (ctx);
  assert_exit (ctx);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/context/enter-exit", test_context_enter_exit);
  g_test_add_func ("/context/nesting", test_context_nesting);
  g_test_add_func ("/context/already-entered", test_context_already_entered);
  g_test_add_func ("/context/not-entered", test_context_not_entered);
  g_test_add_func ("/context/out-of-order", test_context_out_of_order);
  g_test_add_func ("/context/wrong-thread", test_context_wrong_thread);
  g_test_add_func ("/context/subclass-shares-kind", test_context_subclass_shares_kind);
  g_test_add_func ("/context/no-kind", test_context_no_kind);
  g_test_add_func ("/context/declare-kind", test_context_declare_kind);
  g_test_add_func ("/context/copy-with", test_context_copy_with);
  g_test_add_func ("/context/copy-with-errors", test_context_copy_with_errors);
  g_test_add_func ("/context/copy-withv", test_context_copy_withv);
  g_test_add_func ("/context/invalid", test_context_invalid);
  g_test_add_func ("/context/validate-without-error", test_context_validate_without_error);
  g_test_add_func ("/context/unlink-before-unref", test_context_unlink_before_unref);
  g_test_add_func ("/context/thread-ends-entered", test_context_thread_ends_entered);

  return g_test_run ();
}
