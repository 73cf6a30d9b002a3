/* test-snapshot.c: PrefectCtxSnapshot and carrying contexts into threads
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "test-types.h"

static void
test_snapshot_empty (void)
{
  g_autoptr(PrefectCtxSnapshot) snap = prefect_ctx_snapshot_capture ();

  g_assert_nonnull (snap);
  g_assert_true (prefect_ctx_snapshot_is_empty (snap));
  g_assert_null (prefect_ctx_snapshot_get (snap, TEST_TYPE_CTX));
  g_assert_null (prefect_ctx_snapshot_get (snap, G_TYPE_OBJECT));
}

static void
test_snapshot_is_frozen (void)
{
  g_autoptr(PrefectCtxContext) a = test_ctx_new (1);
  g_autoptr(PrefectCtxContext) b = test_ctx_new (2);
  g_autoptr(PrefectCtxContext) other = g_object_new (TEST_TYPE_OTHER_CTX, NULL);
  g_autoptr(PrefectCtxSnapshot) snap = NULL;
  g_autoptr(PrefectCtxSnapshot) copy = NULL;

  assert_enter (a);
  snap = prefect_ctx_snapshot_capture ();
  g_assert_false (prefect_ctx_snapshot_is_empty (snap));
  assert_enter (b);
  assert_enter (other);

  /* Later enters do not change it... */
  g_assert_true (prefect_ctx_snapshot_get (snap, TEST_TYPE_CTX) == a);
  g_assert_null (prefect_ctx_snapshot_get (snap, TEST_TYPE_OTHER_CTX));
  assert_exit (other);
  assert_exit (b);
  assert_exit (a);
  /* ...nor exits. */
  g_assert_true (prefect_ctx_snapshot_get (snap, TEST_TYPE_CTX) == a);
  /* The subclass filter applies as in get_current. */
  g_assert_null (prefect_ctx_snapshot_get (snap, TEST_TYPE_SUB_CTX));

  copy = g_boxed_copy (PREFECT_CTX_TYPE_SNAPSHOT, snap);
  g_assert_true (copy == snap);   /* a reference, not a copy */
  g_boxed_free (PREFECT_CTX_TYPE_SNAPSHOT, g_steal_pointer (&copy));
}

static void
test_snapshot_keeps_alive (void)
{
  PrefectCtxContext *ctx = test_ctx_new (1);
  PrefectCtxSnapshot *snap;
  GWeakRef weak;

  g_weak_ref_init (&weak, ctx);
  assert_enter (ctx);
  snap = prefect_ctx_snapshot_capture ();
  assert_exit (ctx);
  g_object_unref (ctx);

  ctx = g_weak_ref_get (&weak);
  g_assert_nonnull (ctx);
  g_object_unref (ctx);

  prefect_ctx_snapshot_unref (snap);
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
}

static void
test_snapshot_reenter_while_held (void)
{
  g_autoptr(PrefectCtxContext) ctx = test_ctx_new (1);
  g_autoptr(PrefectCtxContext) other = g_object_new (TEST_TYPE_OTHER_CTX, NULL);
  g_autoptr(PrefectCtxSnapshot) first = NULL;
  g_autoptr(PrefectCtxSnapshot) second = NULL;

  /* The snapshot holds the frame of the first enter; the second enter
   * must not reuse it. */
  assert_enter (ctx);
  first = prefect_ctx_snapshot_capture ();
  assert_exit (ctx);

  assert_enter (other);
  assert_enter (ctx);
  second = prefect_ctx_snapshot_capture ();
  g_assert_true (prefect_ctx_snapshot_get (first, TEST_TYPE_CTX) == ctx);
  g_assert_null (prefect_ctx_snapshot_get (first, TEST_TYPE_OTHER_CTX));
  g_assert_true (prefect_ctx_snapshot_get (second, TEST_TYPE_OTHER_CTX) == other);
  assert_exit (ctx);
  assert_exit (other);
  g_assert_null (prefect_ctx_snapshot_get (first, TEST_TYPE_OTHER_CTX));
}

typedef struct
{
  PrefectCtxSnapshot *snap;
  int seen_before;
  int seen_inside;
  int seen_nested;
  int seen_after;
  GError *error;
} RunData;

static void
run_inside (gpointer data)
{
  RunData *rd = data;
  g_autoptr(PrefectCtxContext) nested = test_ctx_new (99);

  rd->seen_inside = test_current_value ();
  prefect_ctx_context_enter (nested, NULL);
  rd->seen_nested = test_current_value ();
  prefect_ctx_context_exit (nested, NULL);
}

static gpointer
worker (gpointer data)
{
  RunData *rd = data;

  rd->seen_before = test_current_value ();
  prefect_ctx_snapshot_run (rd->snap, run_inside, rd);
  rd->seen_after = test_current_value ();
  return NULL;
}

static void
test_snapshot_run_in_thread (void)
{
  g_autoptr(PrefectCtxContext) ctx = test_ctx_new (5);
  RunData rd = { 0 };

  assert_enter (ctx);
  rd.snap = prefect_ctx_snapshot_capture ();
  g_thread_join (g_thread_new ("worker", worker, &rd));
  assert_exit (ctx);
  prefect_ctx_snapshot_unref (rd.snap);

  g_assert_cmpint (rd.seen_before, ==, -1);   /* new threads start empty */
  g_assert_cmpint (rd.seen_inside, ==, 5);
  g_assert_cmpint (rd.seen_nested, ==, 99);
  g_assert_cmpint (rd.seen_after, ==, -1);    /* restored */
}

static void
exit_snapshot_context (gpointer data)
{
  RunData *rd = data;
  PrefectCtxContext *ctx = prefect_ctx_context_get_current (TEST_TYPE_CTX);

  prefect_ctx_context_exit (ctx, &rd->error);
  rd->seen_inside = test_current_value ();
}

static void
test_snapshot_run_same_thread (void)
{
  g_autoptr(PrefectCtxContext) outer = test_ctx_new (1);
  g_autoptr(PrefectCtxContext) ctx = test_ctx_new (2);
  g_autoptr(PrefectCtxContext) later = test_ctx_new (3);
  RunData rd = { 0 };

  assert_enter (outer);
  assert_enter (ctx);
  rd.snap = prefect_ctx_snapshot_capture ();
  assert_exit (ctx);
  assert_enter (later);

  /* Inside run the snapshot's contexts cannot be exited, even on the
   * thread that entered them. */
  prefect_ctx_snapshot_run (rd.snap, exit_snapshot_context, &rd);
  g_assert_error (rd.error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_ENTERED);
  g_clear_error (&rd.error);
  g_assert_cmpint (rd.seen_inside, ==, 2);
  g_assert_cmpint (test_current_value (), ==, 3);
  assert_exit (later);

  /* With the context still entered, exiting it inside run is refused too. */
  assert_enter (ctx);
  g_clear_pointer (&rd.snap, prefect_ctx_snapshot_unref);
  rd.snap = prefect_ctx_snapshot_capture ();
  prefect_ctx_snapshot_run (rd.snap, exit_snapshot_context, &rd);
  g_assert_error (rd.error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_OUT_OF_ORDER);
  g_clear_error (&rd.error);
  g_assert_cmpint (rd.seen_inside, ==, 2);
  g_assert_true (prefect_ctx_context_is_entered (ctx));
  assert_exit (ctx);
  assert_exit (outer);
  prefect_ctx_snapshot_unref (rd.snap);
}

static void
enter_and_forget (gpointer data)
{
  assert_enter (data);
}

static void
test_snapshot_run_repairs (void)
{
  g_autoptr(PrefectCtxContext) leaked = test_ctx_new (8);
  g_autoptr(PrefectCtxSnapshot) snap = prefect_ctx_snapshot_capture ();

  g_test_expect_message ("PrefectCtx", G_LOG_LEVEL_CRITICAL,
                         "1 context(s) entered inside prefect_ctx_snapshot_run() were not exited*");
  prefect_ctx_snapshot_run (snap, enter_and_forget, leaked);
  g_test_assert_expected_messages ();

  g_assert_false (prefect_ctx_context_is_entered (leaked));
  g_assert_null (prefect_ctx_context_get_current (TEST_TYPE_CTX));
}

/* GTask */

static void
task_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  g_task_return_int (task, test_current_value ());
}

static void
task_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gssize *out = user_data;
  *out = g_task_propagate_int (G_TASK (result), NULL);
}

static void
test_snapshot_gtask (void)
{
  g_autoptr(PrefectCtxContext) ctx = test_ctx_new (12);
  g_autoptr(GTask) sync_task = NULL;
  GTask *task;
  gssize result = -100;

  assert_enter (ctx);
  task = g_task_new (NULL, NULL, task_done, &result);
  prefect_ctx_gtask_run_in_thread (task, task_thread);
  g_object_unref (task);
  assert_exit (ctx);   /* the worker still sees the snapshot taken above */
  while (result == -100)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (result, ==, 12);

  /* Without the helper, the worker sees nothing. */
  result = -100;
  assert_enter (ctx);
  task = g_task_new (NULL, NULL, task_done, &result);
  g_task_run_in_thread (task, task_thread);
  g_object_unref (task);
  assert_exit (ctx);
  while (result == -100)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (result, ==, -1);

  assert_enter (ctx);
  sync_task = g_task_new (NULL, NULL, NULL, NULL);
  prefect_ctx_gtask_run_in_thread_sync (sync_task, task_thread);
  g_assert_cmpint (g_task_propagate_int (sync_task, NULL), ==, 12);
  assert_exit (ctx);
}

/* GThreadPool */

typedef struct
{
  int expected;
  gint *mismatches;
  gint *done;
} PoolJob;

static void
pool_job (gpointer data)
{
  PoolJob *job = data;

  if (test_current_value () != job->expected)
    g_atomic_int_inc (job->mismatches);
  g_atomic_int_inc (job->done);
}

static void
test_snapshot_thread_pool (void)
{
  g_autoptr(GError) error = NULL;
  GThreadPool *pool;
  gint mismatches = 0;
  gint done = 0;
  int n = 200;

  pool = prefect_ctx_thread_pool_new (4, TRUE, &error);
  g_assert_no_error (error);

  for (int i = 0; i < n; i++)
    {
      g_autoptr(PrefectCtxContext) ctx = test_ctx_new (i);
      PoolJob *job = g_new0 (PoolJob, 1);

      job->expected = i % 3 == 0 ? -1 : i;
      job->mismatches = &mismatches;
      job->done = &done;
      if (i % 3 != 0)
        assert_enter (ctx);
      g_assert_true (prefect_ctx_thread_pool_push (pool, pool_job, job, g_free, &error));
      g_assert_no_error (error);
      if (i % 3 != 0)
        assert_exit (ctx);
    }

  g_thread_pool_free (pool, FALSE, TRUE);
  g_assert_cmpint (g_atomic_int_get (&done), ==, n);
  g_assert_cmpint (g_atomic_int_get (&mismatches), ==, 0);
}


/* Entering into a snapshot: no thread changes, the context is entered
 * until the snapshot enter made is exited, and the rules of enter hold. */
static void
test_snapshot_enter_exit (void)
{
  g_autoptr(PrefectCtxContext) a = test_ctx_new (1);
  g_autoptr(PrefectCtxContext) b = test_ctx_new (2);
  g_autoptr(PrefectCtxSnapshot) base = prefect_ctx_snapshot_capture ();
  g_autoptr(PrefectCtxSnapshot) with_a = NULL;
  g_autoptr(PrefectCtxSnapshot) with_b = NULL;
  g_autoptr(PrefectCtxSnapshot) back = NULL;
  g_autoptr(PrefectCtxSnapshot) none = NULL;
  g_autoptr(GError) error = NULL;

  with_a = prefect_ctx_snapshot_enter (base, a, &error);
  g_assert_no_error (error);
  with_b = prefect_ctx_snapshot_enter (with_a, b, &error);
  g_assert_no_error (error);

  /* The thread's state is untouched. */
  g_assert_null (prefect_ctx_context_get_current (TEST_TYPE_CTX));
  g_assert_true (prefect_ctx_snapshot_get (with_a, TEST_TYPE_CTX) == a);
  g_assert_true (prefect_ctx_snapshot_get (with_b, TEST_TYPE_CTX) == b);
  g_assert_true (prefect_ctx_context_is_entered (a));

  /* Entered already: into a snapshot or on a thread. */
  g_assert_null (prefect_ctx_snapshot_enter (base, a, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_ALREADY_ENTERED);
  g_clear_error (&error);
  g_assert_false (prefect_ctx_context_enter (a, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_ALREADY_ENTERED);
  g_clear_error (&error);

  /* Not exitable on a thread. */
  g_assert_false (prefect_ctx_context_exit (b, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_OUT_OF_ORDER);
  g_clear_error (&error);

  back = prefect_ctx_snapshot_exit (with_b, &error);
  g_assert_no_error (error);
  g_assert_true (prefect_ctx_snapshot_get (back, TEST_TYPE_CTX) == a);
  g_assert_false (prefect_ctx_context_is_entered (b));
  /* Exited already; and a snapshot enter did not make. */
  g_assert_null (prefect_ctx_snapshot_exit (with_b, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_ENTERED);
  g_clear_error (&error);
  g_assert_null (prefect_ctx_snapshot_exit (base, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_ENTERED);
  g_clear_error (&error);

  none = prefect_ctx_snapshot_exit (with_a, &error);
  g_assert_no_error (error);
  g_assert_true (prefect_ctx_snapshot_is_empty (none));

  /* Once exited, a context can be entered on a thread again. */
  assert_enter (a);
  assert_exit (a);
}

/* Attach installs a snapshot until detach, innermost first. */
static void
test_snapshot_attach_detach (void)
{
  g_autoptr(PrefectCtxContext) a = test_ctx_new (1);
  g_autoptr(PrefectCtxContext) b = test_ctx_new (2);
  g_autoptr(PrefectCtxContext) c = test_ctx_new (3);
  g_autoptr(PrefectCtxSnapshot) snap_a = NULL;
  g_autoptr(PrefectCtxSnapshot) snap_b = NULL;
  g_autoptr(GError) error = NULL;

  assert_enter (a);
  snap_a = prefect_ctx_snapshot_capture ();
  assert_exit (a);
  assert_enter (b);
  snap_b = prefect_ctx_snapshot_capture ();

  prefect_ctx_snapshot_attach (snap_a);
  g_assert_true (prefect_ctx_context_get_current (TEST_TYPE_CTX) == a);
  prefect_ctx_snapshot_attach (snap_b);
  g_assert_true (prefect_ctx_context_get_current (TEST_TYPE_CTX) == b);

  /* Not the innermost: refused, nothing changes. */
  g_assert_false (prefect_ctx_snapshot_detach (snap_a, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_OUT_OF_ORDER);
  g_clear_error (&error);
  g_assert_true (prefect_ctx_context_get_current (TEST_TYPE_CTX) == b);

  /* Contexts entered on top are entered and exited as usual. */
  assert_enter (c);
  g_assert_true (prefect_ctx_context_get_current (TEST_TYPE_CTX) == c);
  assert_exit (c);

  g_assert_true (prefect_ctx_snapshot_detach (snap_b, &error));
  g_assert_no_error (error);
  g_assert_true (prefect_ctx_context_get_current (TEST_TYPE_CTX) == a);
  g_assert_true (prefect_ctx_snapshot_detach (snap_a, &error));
  g_assert_true (prefect_ctx_context_get_current (TEST_TYPE_CTX) == b);

  g_assert_false (prefect_ctx_snapshot_detach (snap_a, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_OUT_OF_ORDER);
  assert_exit (b);
}

/* Callbacks bound to the contexts current where they were made: a source
 * callback, an async-ready callback and a closure. */
typedef struct
{
  PrefectCtxContext *seen[4];
  guint              n_seen;
} BoundSeen;

static gboolean
bound_source_cb (gpointer data)
{
  BoundSeen *seen = data;

  seen->seen[seen->n_seen++] = prefect_ctx_context_get_current (TEST_TYPE_CTX);
  return G_SOURCE_REMOVE;
}

static void
bound_ready_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  BoundSeen *seen = data;

  g_assert_true (g_task_propagate_boolean (G_TASK (result), NULL));
  seen->seen[seen->n_seen++] = prefect_ctx_context_get_current (TEST_TYPE_CTX);
}

static void
bound_closure_cb (gpointer instance,
                  gpointer data)
{
  BoundSeen *seen = data;

  seen->seen[seen->n_seen++] = prefect_ctx_context_get_current (TEST_TYPE_CTX);
}

static void
test_snapshot_bound_callbacks (void)
{
  g_autoptr(PrefectCtxContext) a = test_ctx_new (1);
  g_autoptr(PrefectCtxContext) b = test_ctx_new (2);
  g_autoptr(GSource) source = g_idle_source_new ();
  g_autoptr(PrefectCtxSnapshot) snap = NULL;
  GClosure *closure;
  GTask *task;
  BoundSeen seen = { { NULL }, 0 };

  assert_enter (a);
  prefect_ctx_source_set_callback (source, bound_source_cb, &seen, NULL);
  g_source_attach (source, NULL);
  task = g_task_new (NULL, NULL, PREFECT_CTX_BIND_ASYNC_READY (bound_ready_cb, &seen));
  snap = prefect_ctx_snapshot_capture ();
  closure = g_closure_ref (prefect_ctx_snapshot_wrap_closure (snap, g_cclosure_new (G_CALLBACK (bound_closure_cb), &seen, NULL)));
  g_closure_sink (closure);
  assert_exit (a);

  /* Something else is current where they run. */
  assert_enter (b);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
  while (seen.n_seen < 2)
    g_main_context_iteration (NULL, TRUE);
  {
    GValue param = G_VALUE_INIT;

    /* As a signal invokes it: the instance first. */
    g_value_init (&param, G_TYPE_POINTER);
    g_value_set_pointer (&param, &seen);
    g_closure_invoke (closure, NULL, 1, &param, NULL);
  }
  g_assert_true (prefect_ctx_context_get_current (TEST_TYPE_CTX) == b);
  assert_exit (b);

  g_assert_cmpuint (seen.n_seen, ==, 3);
  g_assert_true (seen.seen[0] == a);   /* the idle and the task's callback */
  g_assert_true (seen.seen[1] == a);
  g_assert_true (seen.seen[2] == a);   /* the closure */
  g_closure_unref (closure);
}

/* The serial changes with every change of the thread's contexts, and
 * only then. */
static void
record_serial (gpointer data)
{
  *(guint64 *) data = prefect_ctx_snapshot_get_serial ();
}

static void
test_snapshot_serial (void)
{
  g_autoptr(PrefectCtxContext) ctx = test_ctx_new (1);
  g_autoptr(PrefectCtxSnapshot) empty = prefect_ctx_snapshot_capture ();
  g_autoptr(PrefectCtxSnapshot) held = NULL;
  guint64 before = prefect_ctx_snapshot_get_serial ();
  guint64 entered, inside = 0;

  g_assert_cmpuint (prefect_ctx_snapshot_get_serial (), ==, before);
  g_assert_null (prefect_ctx_context_get_current (TEST_TYPE_CTX));
  g_assert_cmpuint (prefect_ctx_snapshot_get_serial (), ==, before);

  g_assert_true (prefect_ctx_context_enter (ctx, NULL));
  entered = prefect_ctx_snapshot_get_serial ();
  g_assert_cmpuint (entered, !=, before);
  held = prefect_ctx_snapshot_capture ();
  g_assert_cmpuint (prefect_ctx_snapshot_get_serial (), ==, entered);

  prefect_ctx_snapshot_run (empty, record_serial, &inside);
  g_assert_cmpuint (inside, !=, entered);
  g_assert_cmpuint (prefect_ctx_snapshot_get_serial (), !=, entered);
  g_assert_cmpuint (prefect_ctx_snapshot_get_serial (), !=, inside);

  entered = prefect_ctx_snapshot_get_serial ();
  g_assert_true (prefect_ctx_context_exit (ctx, NULL));
  g_assert_cmpuint (prefect_ctx_snapshot_get_serial (), !=, entered);

  before = prefect_ctx_snapshot_get_serial ();
  prefect_ctx_snapshot_attach (held);
  g_assert_cmpuint (prefect_ctx_snapshot_get_serial (), !=, before);
  entered = prefect_ctx_snapshot_get_serial ();
  g_assert_true (prefect_ctx_snapshot_detach (held, NULL));
  g_assert_cmpuint (prefect_ctx_snapshot_get_serial (), !=, entered);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/snapshot/empty", test_snapshot_empty);
  g_test_add_func ("/snapshot/is-frozen", test_snapshot_is_frozen);
  g_test_add_func ("/snapshot/keeps-alive", test_snapshot_keeps_alive);
  g_test_add_func ("/snapshot/reenter-while-held", test_snapshot_reenter_while_held);
  g_test_add_func ("/snapshot/run-in-thread", test_snapshot_run_in_thread);
  g_test_add_func ("/snapshot/run-same-thread", test_snapshot_run_same_thread);
  g_test_add_func ("/snapshot/run-repairs", test_snapshot_run_repairs);
  g_test_add_func ("/snapshot/gtask", test_snapshot_gtask);
  g_test_add_func ("/snapshot/thread-pool", test_snapshot_thread_pool);
  g_test_add_func ("/snapshot/enter-exit", test_snapshot_enter_exit);
  g_test_add_func ("/snapshot/attach-detach", test_snapshot_attach_detach);
  g_test_add_func ("/snapshot/bound-callbacks", test_snapshot_bound_callbacks);
  g_test_add_func ("/snapshot/serial", test_snapshot_serial);

  return g_test_run ();
}
