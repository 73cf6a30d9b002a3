/* test-stress.c: two threads entering, exiting, looking up and handing
 * snapshots to each other, at least 10^6 operations in all.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The hand-off uses a C11-style atomic mailbox (g_atomic_pointer_exchange),
 * which ThreadSanitizer understands, so a TSan build checks the library's
 * own synchronisation: frame reference counts, embedded-frame reuse after a
 * snapshot released on another thread, and the owner field of contexts.
 */
#include "test-types.h"

#define ITERATIONS 200000

static PrefectCtxSnapshot *mailbox;
static gint producer_done;

typedef struct
{
  guint64 ops;
  guint64 received;
  guint64 bad;
} Counts;

static gpointer
producer (gpointer data)
{
  Counts *counts = data;
  g_autoptr(PrefectCtxContext) outer = test_ctx_new (1);
  g_autoptr(PrefectCtxContext) inner = g_object_new (TEST_TYPE_SUB_CTX, "value", 2, NULL);
  g_autoptr(PrefectCtxContext) other = g_object_new (TEST_TYPE_OTHER_CTX, NULL);

  for (guint i = 0; i < ITERATIONS; i++)
    {
      PrefectCtxSnapshot *old;

      prefect_ctx_context_enter (outer, NULL);
      prefect_ctx_context_enter (other, NULL);
      prefect_ctx_context_enter (inner, NULL);
      counts->bad += test_current_value () != 2;
      old = g_atomic_pointer_exchange (&mailbox, prefect_ctx_snapshot_capture ());
      if (old != NULL)
        prefect_ctx_snapshot_unref (old);
      prefect_ctx_context_exit (inner, NULL);
      counts->bad += test_current_value () != 1;
      counts->bad += prefect_ctx_context_get_current (TEST_TYPE_OTHER_CTX) != other;
      prefect_ctx_context_exit (other, NULL);
      prefect_ctx_context_exit (outer, NULL);
      counts->bad += test_current_value () != -1;
      counts->ops += 10;
    }

  g_atomic_int_set (&producer_done, 1);
  return NULL;
}

static void
consume (gpointer data)
{
  Counts *counts = data;
  g_autoptr(PrefectCtxContext) mine = test_ctx_new (3);

  counts->bad += test_current_value () != 2;
  counts->bad += prefect_ctx_context_get_current (TEST_TYPE_OTHER_CTX) == NULL;
  prefect_ctx_context_enter (mine, NULL);
  counts->bad += test_current_value () != 3;
  prefect_ctx_context_exit (mine, NULL);
  counts->bad += test_current_value () != 2;
  counts->ops += 6;
}

static gpointer
consumer (gpointer data)
{
  Counts *counts = data;

  for (;;)
    {
      PrefectCtxSnapshot *snap = g_atomic_pointer_exchange (&mailbox, NULL);

      if (snap == NULL)
        {
          if (g_atomic_int_get (&producer_done))
            break;
          /* Do some work of our own while waiting. */
          counts->bad += test_current_value () != -1;
          counts->ops++;
          continue;
        }

      counts->received++;
      prefect_ctx_snapshot_run (snap, consume, counts);
      /* Often the last reference: the producer may reuse the frame next. */
      prefect_ctx_snapshot_unref (snap);
    }

  return NULL;
}

static void
test_stress_two_threads (void)
{
  Counts a = { 0 }, b = { 0 };
  GThread *pt, *ct;
  PrefectCtxSnapshot *left;

  pt = g_thread_new ("producer", producer, &a);
  ct = g_thread_new ("consumer", consumer, &b);
  g_thread_join (pt);
  g_thread_join (ct);

  left = g_atomic_pointer_exchange (&mailbox, NULL);
  if (left != NULL)
    prefect_ctx_snapshot_unref (left);

  g_test_message ("producer ops %" G_GUINT64_FORMAT ", consumer ops %" G_GUINT64_FORMAT
                  ", snapshots handed over %" G_GUINT64_FORMAT,
                  a.ops, b.ops, b.received);
  g_assert_cmpuint (a.bad, ==, 0);
  g_assert_cmpuint (b.bad, ==, 0);
  g_assert_cmpuint (a.ops + b.ops, >=, 1000000);
  g_assert_cmpuint (b.received, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stress/two-threads", test_stress_two_threads);

  return g_test_run ();
}
