/* prefectctx-signals.c: runs recorded Crashed on SIGTERM and SIGINT
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <signal.h>
#include <unistd.h>

#include <glib-unix.h>

#include "prefectctx-engine.h"
#include "engine/prefectctx-engine-private.h"
#include "client/prefectctx-local-client-private.h"

/* Prefect's messages (prefect.states.exception_to_crashed_state) for
 * KeyboardInterrupt and its TerminationSignal. */
#define INTERRUPT_MESSAGE "Execution was aborted by an interrupt signal."
#define TERMINATION_MESSAGE "Execution was aborted by a termination signal."

/* On the thread below, never in the signal handler itself: GLib's handler
 * only wakes this thread's main context, and recording a state takes locks
 * and writes to the run store, which no signal handler may do. */
static gboolean
on_signal (gpointer data)
{
  int signum = GPOINTER_TO_INT (data);
  struct sigaction action = { .sa_handler = SIG_DFL };

  _prefect_ctx_engine_crash_all (signum == SIGINT ? INTERRUPT_MESSAGE : TERMINATION_MESSAGE);
  _prefect_ctx_local_client_checkpoint_all ();

  /* Then the process ends as the signal would have ended it without
   * handlers: killed by it, with no exit handlers run. */
  sigemptyset (&action.sa_mask);
  sigaction (signum, &action, NULL);
  kill (getpid (), signum);

  /* Only if every thread blocks the signal. */
  g_usleep (G_USEC_PER_SEC);
  _exit (128 + signum);
  return G_SOURCE_REMOVE;
}

static gpointer
signal_thread (gpointer data)
{
  GMainContext *context = data;

  for (;;)
    g_main_context_iteration (context, TRUE);
  return NULL;
}

/**
 * prefect_ctx_install_signal_handlers:
 *
 * Installs handlers for `SIGTERM` and `SIGINT` that record every flow run
 * and task run of the process not over `Crashed`, as Prefect's engine does
 * for a termination signal and for `KeyboardInterrupt`: with the messages
 * `Execution was aborted by a termination signal.` and `Execution was
 * aborted by an interrupt signal.`, and the log line `Crash detected! ...`.
 * A subflow's parent task run is recorded `Crashed` too, and every file
 * store is checkpointed. Then the signal's default action is restored and
 * the signal raised again: the process ends killed by it, as it would have
 * without the handlers (exit status 143 or 130 in a shell), and exit
 * handlers do not run.
 *
 * Opt-in, because a library must not take a process's signals unasked.
 * Call it once, early, from the program's main thread; later calls do
 * nothing. It replaces any handler installed before (Python's for
 * `KeyboardInterrupt` included: with it, Ctrl-C ends the process instead
 * of raising). The states are recorded by a thread of the library, never in
 * the signal handler; a run that another thread is recording at that
 * moment keeps the state it records, and records nothing after `Crashed`.
 *
 * Without it, runs not over when the process is killed by a signal stay
 * `Running` in the run store until a reader of the embedded store finds
 * their process gone (see [class@PrefectCtx.LocalClient]). An orderly exit
 * (`exit ()`, Python's `sys.exit ()`) needs no handler: it is recorded at
 * exit.
 */
void
prefect_ctx_install_signal_handlers (void)
{
  static gsize installed;

  if (g_once_init_enter (&installed))
    {
      GMainContext *context = g_main_context_new ();
      const int signals[] = { SIGTERM, SIGINT };

      for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
        {
          GSource *source = g_unix_signal_source_new (signals[i]);

          g_source_set_callback (source, on_signal, GINT_TO_POINTER (signals[i]), NULL);
          g_source_set_static_name (source, "[prefectctx] crash on signal");
          g_source_attach (source, context);
          g_source_unref (source);
        }
      g_thread_unref (g_thread_new ("prefectctx-signals", signal_thread, context));
      g_once_init_leave (&installed, 1);
    }
}
