/* prefectctx-tsan-private.h: ThreadSanitizer annotations
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * TSan cannot see synchronisation inside GLib (GObject's reference count,
 * GAsyncQueue, GThreadPool), which is not built with it. Where our code hands
 * memory to another thread through GLib, it marks the hand-off so that a TSan
 * build checks our own synchronisation without false reports.
 */
#pragma once

#include "config.h"

#include <glib.h>

#if PREFECT_CTX_HAVE_TSAN
# include <sanitizer/tsan_interface.h>
# define PREFECT_CTX_TSAN_RELEASE(addr) __tsan_release ((void *) (addr))
# define PREFECT_CTX_TSAN_ACQUIRE(addr) __tsan_acquire ((void *) (addr))
#else
# define PREFECT_CTX_TSAN_RELEASE(addr) ((void) (addr))
# define PREFECT_CTX_TSAN_ACQUIRE(addr) ((void) (addr))
#endif

/* g_mutex_lock () and g_mutex_unlock () that TSan sees: every GMutex in the
 * library goes through these. */
static inline void
prefect_ctx_mutex_lock (GMutex *mutex)
{
  g_mutex_lock (mutex);
  PREFECT_CTX_TSAN_ACQUIRE (mutex);
}

static inline void
prefect_ctx_mutex_unlock (GMutex *mutex)
{
  PREFECT_CTX_TSAN_RELEASE (mutex);
  g_mutex_unlock (mutex);
}

/* g_cond_wait () on a mutex taken with prefect_ctx_mutex_lock (): the wait
 * releases and takes the mutex again, and TSan must see both. */
static inline void
prefect_ctx_cond_wait (GCond  *cond,
                       GMutex *mutex)
{
  PREFECT_CTX_TSAN_RELEASE (mutex);
  g_cond_wait (cond, mutex);
  PREFECT_CTX_TSAN_ACQUIRE (mutex);
}

static inline gboolean
prefect_ctx_cond_wait_until (GCond  *cond,
                             GMutex *mutex,
                             gint64  end_time)
{
  gboolean signalled;

  PREFECT_CTX_TSAN_RELEASE (mutex);
  signalled = g_cond_wait_until (cond, mutex, end_time);
  PREFECT_CTX_TSAN_ACQUIRE (mutex);
  return signalled;
}
