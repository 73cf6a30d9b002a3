/* canary.c: a deliberate data race that the ThreadSanitizer run must report
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * scripts/test.sh runs TSan with ignore_noninstrumented_modules=1 and the
 * suppressions in suppressions.txt, and the library annotates the hand-offs
 * it makes through GLib. This program checks that none of that hides a real
 * race in instrumented code: two work items of a prefectctx thread pool
 * write one variable with no synchronisation between them. canary.sh
 * expects TSan to report it.
 */
#include <prefectctx.h>

static int shared;
static int started;

static void
racy_write (gpointer user_data)
{
  (void) user_data;

  /* Make sure both items run at once on two workers. */
  __atomic_add_fetch (&started, 1, __ATOMIC_RELAXED);
  while (__atomic_load_n (&started, __ATOMIC_RELAXED) < 2)
    g_thread_yield ();

  shared++;   /* the race */
}

int
main (void)
{
  g_autoptr(GError) error = NULL;
  GThreadPool *pool = prefect_ctx_thread_pool_new (2, TRUE, &error);

  g_assert_no_error (error);
  for (int i = 0; i < 2; i++)
    {
      prefect_ctx_thread_pool_push (pool, racy_write, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_thread_pool_free (pool, FALSE, TRUE);

  return shared == 0;
}
