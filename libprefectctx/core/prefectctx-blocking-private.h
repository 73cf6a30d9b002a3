/* prefectctx-blocking-private.h: a blocking call run in a worker thread as
 * an _async/_finish pair
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The blocking call: its result, or an error. A NULL result without an
 * error is a success (for calls that return nothing). */
typedef gpointer (*PrefectCtxBlockingFunc) (gpointer       source_object,
                                            gpointer       data,
                                            GCancellable  *cancellable,
                                            GError       **error);

/* Runs @func (@source_object, @data, @cancellable) in a worker thread with
 * the calling thread's contexts (prefect_ctx_gtask_run_in_thread ()), and
 * calls @callback on the calling thread's thread-default main context.
 * @data is freed with @data_free, an unclaimed result with @result_free.
 * Already cancelled: G_IO_ERROR_CANCELLED without running @func. */
void     _prefect_ctx_blocking_async  (gpointer                source_object,
                                       gpointer                source_tag,
                                       PrefectCtxBlockingFunc  func,
                                       gpointer                data,
                                       GDestroyNotify          data_free,
                                       GDestroyNotify          result_free,
                                       GCancellable           *cancellable,
                                       GAsyncReadyCallback     callback,
                                       gpointer                user_data);

/* The result of @func (transfer full), or NULL with @error set. */
gpointer _prefect_ctx_blocking_finish (gpointer                source_object,
                                       GAsyncResult           *result,
                                       gpointer                source_tag,
                                       GError                **error);

G_END_DECLS
