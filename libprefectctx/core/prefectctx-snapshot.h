/* prefectctx-snapshot.h: carrying a thread's contexts to other threads
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__PREFECT_CTX_INSIDE__) && !defined(PREFECT_CTX_COMPILATION)
# error "Only <prefectctx.h> can be included directly."
#endif

#include <gio/gio.h>

#include "prefectctx-version.h"
#include "core/prefectctx-context.h"

G_BEGIN_DECLS

#define PREFECT_CTX_TYPE_SNAPSHOT (prefect_ctx_snapshot_get_type ())

/**
 * PrefectCtxSnapshotFunc:
 * @user_data: the data passed to [method@PrefectCtx.Snapshot.run]
 *
 * A function run with a snapshot as the current state of its thread.
 */
typedef void (*PrefectCtxSnapshotFunc) (gpointer user_data);

typedef struct _PrefectCtxSnapshot PrefectCtxSnapshot;

PREFECT_CTX_AVAILABLE_IN_1_0
GType               prefect_ctx_snapshot_get_type (void) G_GNUC_CONST;
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxSnapshot *prefect_ctx_snapshot_capture  (void);
PREFECT_CTX_AVAILABLE_IN_1_0
guint64             prefect_ctx_snapshot_get_serial (void);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxSnapshot *prefect_ctx_snapshot_ref      (PrefectCtxSnapshot     *self);
PREFECT_CTX_AVAILABLE_IN_1_0
void                prefect_ctx_snapshot_unref    (PrefectCtxSnapshot     *self);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxContext  *prefect_ctx_snapshot_get      (PrefectCtxSnapshot     *self,
                                                   GType                   kind);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean            prefect_ctx_snapshot_is_empty (PrefectCtxSnapshot     *self);
PREFECT_CTX_AVAILABLE_IN_1_0
void                prefect_ctx_snapshot_run      (PrefectCtxSnapshot     *self,
                                                   PrefectCtxSnapshotFunc  func,
                                                   gpointer                user_data);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxSnapshot *prefect_ctx_snapshot_enter    (PrefectCtxSnapshot     *self,
                                                   PrefectCtxContext      *context,
                                                   GError                **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxSnapshot *prefect_ctx_snapshot_exit     (PrefectCtxSnapshot     *self,
                                                   GError                **error);
PREFECT_CTX_AVAILABLE_IN_1_0
void                prefect_ctx_snapshot_attach   (PrefectCtxSnapshot     *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean            prefect_ctx_snapshot_detach   (PrefectCtxSnapshot     *self,
                                                   GError                **error);

PREFECT_CTX_AVAILABLE_IN_1_0
GClosure           *prefect_ctx_snapshot_wrap_closure (PrefectCtxSnapshot *self,
                                                       GClosure           *closure);
PREFECT_CTX_AVAILABLE_IN_1_0
void                prefect_ctx_source_set_callback   (GSource            *source,
                                                       GSourceFunc         func,
                                                       gpointer            user_data,
                                                       GDestroyNotify      notify);
PREFECT_CTX_AVAILABLE_IN_1_0
gpointer            prefect_ctx_bind_async_ready_callback  (GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
PREFECT_CTX_AVAILABLE_IN_1_0
void                prefect_ctx_bound_async_ready_callback (GObject             *source_object,
                                                            GAsyncResult        *result,
                                                            gpointer             bound);

/**
 * PREFECT_CTX_BIND_ASYNC_READY:
 * @callback: a #GAsyncReadyCallback
 * @user_data: its data
 *
 * Expands to the two arguments `callback, user_data` of an `_async` call,
 * with @callback bound to the contexts current now: it runs with them as
 * the state of its thread, whatever is current when it is called. See
 * prefect_ctx_bind_async_ready_callback().
 *
 * |[<!-- language="C" -->
 * g_file_read_async (file, G_PRIORITY_DEFAULT, cancellable,
 *                    PREFECT_CTX_BIND_ASYNC_READY (on_read, self));
 * ]|
 */
#define PREFECT_CTX_BIND_ASYNC_READY(callback, user_data) \
  prefect_ctx_bound_async_ready_callback, prefect_ctx_bind_async_ready_callback ((callback), (user_data))

PREFECT_CTX_AVAILABLE_IN_1_0
void                prefect_ctx_gtask_run_in_thread     (GTask                  *task,
                                                         GTaskThreadFunc         task_func);
PREFECT_CTX_AVAILABLE_IN_1_0
void                prefect_ctx_gtask_run_in_thread_sync (GTask                  *task,
                                                         GTaskThreadFunc         task_func);

PREFECT_CTX_AVAILABLE_IN_1_0
GThreadPool        *prefect_ctx_thread_pool_new   (int                     max_threads,
                                                   gboolean                exclusive,
                                                   GError                **error);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean            prefect_ctx_thread_pool_push  (GThreadPool            *pool,
                                                   PrefectCtxSnapshotFunc  func,
                                                   gpointer                user_data,
                                                   GDestroyNotify          destroy,
                                                   GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PrefectCtxSnapshot, prefect_ctx_snapshot_unref)

G_END_DECLS
