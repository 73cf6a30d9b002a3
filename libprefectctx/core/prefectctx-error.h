/* prefectctx-error.h: the PREFECT_CTX_ERROR domain
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__PREFECT_CTX_INSIDE__) && !defined(PREFECT_CTX_COMPILATION)
# error "Only <prefectctx.h> can be included directly."
#endif

#include <glib.h>

#include "prefectctx-version.h"

G_BEGIN_DECLS

/**
 * PREFECT_CTX_ERROR:
 *
 * The error domain of libprefectctx. Errors in this domain are from the
 * [enum@PrefectCtx.Error] enumeration.
 */
#define PREFECT_CTX_ERROR (prefect_ctx_error_quark ())

/**
 * PrefectCtxError:
 * @PREFECT_CTX_ERROR_FAILED: a failure that no other code describes
 * @PREFECT_CTX_ERROR_ALREADY_ENTERED: the context is already entered
 *   (`Context already entered. Context enter calls cannot be nested.`)
 * @PREFECT_CTX_ERROR_NOT_ENTERED: the context was exited without being entered
 *   (`Asymmetric use of context. Context exit called without an enter.`)
 * @PREFECT_CTX_ERROR_WRONG_THREAD: the context was entered on another thread
 * @PREFECT_CTX_ERROR_OUT_OF_ORDER: the context is not the innermost context
 *   entered on this thread
 * @PREFECT_CTX_ERROR_MISSING_CONTEXT: a required context is not entered
 * @PREFECT_CTX_ERROR_INVALID_ARGUMENT: the caller passed a value that is not
 *   allowed (an unknown property, malformed JSON, an invalid key)
 * @PREFECT_CTX_ERROR_NOT_FOUND: the requested object does not exist
 * @PREFECT_CTX_ERROR_CRASHED: the run was aborted by something outside the
 *   code of its body: a signal, the process exiting, an interrupt (Python's
 *   `KeyboardInterrupt` and `SystemExit`). A body that fails with it is
 *   recorded `Crashed`, as Prefect's engine records such runs, and is not
 *   retried.
 * @PREFECT_CTX_ERROR_UNFINISHED_RUN: the run did not reach a final state, so
 *   it has no result (Prefect's `UnfinishedRun`: `Run is in PENDING state,
 *   its result is not available.`), such as a task run left `Pending`
 *   `NotReady` because a task run it waited for did not complete. Since: 1.0
 * @PREFECT_CTX_ERROR_TIMED_OUT: an attempt of the run took longer than the
 *   timeout of its flow or task ([property@PrefectCtx.Task:timeout-seconds],
 *   [property@PrefectCtx.Flow:timeout-seconds]); the run is `Failed`, named
 *   `TimedOut` (Prefect's engine raises `TimeoutError`). Since: 1.0
 * @PREFECT_CTX_ERROR_ABORTED: the run store's orchestration aborted a
 *   proposed state change (the server's `ABORT`, such as `Run is already in
 *   terminal state COMPLETED.` for a finished run proposed `Cancelling`);
 *   the message is `Flow run state change aborted: <reason>`. Since: 1.0
 *
 * Error codes of the %PREFECT_CTX_ERROR domain.
 */
typedef enum {
  PREFECT_CTX_ERROR_FAILED,
  PREFECT_CTX_ERROR_ALREADY_ENTERED,
  PREFECT_CTX_ERROR_NOT_ENTERED,
  PREFECT_CTX_ERROR_WRONG_THREAD,
  PREFECT_CTX_ERROR_OUT_OF_ORDER,
  PREFECT_CTX_ERROR_MISSING_CONTEXT,
  PREFECT_CTX_ERROR_INVALID_ARGUMENT,
  PREFECT_CTX_ERROR_NOT_FOUND,
  PREFECT_CTX_ERROR_CRASHED,
  PREFECT_CTX_ERROR_UNFINISHED_RUN,
  PREFECT_CTX_ERROR_TIMED_OUT,
  PREFECT_CTX_ERROR_ABORTED,
} PrefectCtxError;

PREFECT_CTX_AVAILABLE_IN_1_0
GQuark prefect_ctx_error_quark (void);

G_END_DECLS
