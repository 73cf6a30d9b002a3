/* prefectctx-context.h: the base of every context and the per-thread lookup
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__PREFECT_CTX_INSIDE__) && !defined(PREFECT_CTX_COMPILATION)
# error "Only <prefectctx.h> can be included directly."
#endif

#include <glib-object.h>

#include "prefectctx-version.h"

G_BEGIN_DECLS

/**
 * PREFECT_CTX_MAX_KINDS:
 *
 * How many context kinds (slots) a process can declare, the six built-in
 * kinds included.
 */
#define PREFECT_CTX_MAX_KINDS 32

#define PREFECT_CTX_TYPE_CONTEXT (prefect_ctx_context_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_DERIVABLE_TYPE (PrefectCtxContext, prefect_ctx_context, PREFECT_CTX, CONTEXT, GObject)

/**
 * PrefectCtxContextClass:
 * @parent_class: the parent class
 * @validate: checks the construct properties once construction is complete
 *   and may compute derived state. Called once, from #GObject.constructed,
 *   after every construct property has been set. An error it returns is kept
 *   and reported by [method@PrefectCtx.Context.enter],
 *   [method@PrefectCtx.Context.check] and [method@PrefectCtx.Context.copy_with].
 * @entered: called on the entering thread right after the context became the
 *   current context of its kind
 *
 * The class structure of [class@PrefectCtx.Context].
 */
struct _PrefectCtxContextClass
{
  GObjectClass parent_class;

  gboolean (*validate) (PrefectCtxContext  *self,
                        GError            **error);
  void     (*entered)  (PrefectCtxContext  *self);

  /*< private >*/
  guint kind_slot;
  gpointer padding[8];
};

PREFECT_CTX_AVAILABLE_IN_1_0
void               prefect_ctx_context_class_declare_kind (PrefectCtxContextClass *klass,
                                                           const char             *name);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean           prefect_ctx_context_declare_kind_for_type (GType            type,
                                                             const char      *name,
                                                             GError         **error);
PREFECT_CTX_AVAILABLE_IN_1_0
const char        *prefect_ctx_context_kind_get_name      (GType                   type);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxContext *prefect_ctx_context_get_current        (GType                   kind);

PREFECT_CTX_AVAILABLE_IN_1_0
gboolean           prefect_ctx_context_enter              (PrefectCtxContext      *self,
                                                           GError                **error);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean           prefect_ctx_context_exit               (PrefectCtxContext      *self,
                                                           GError                **error);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean           prefect_ctx_context_is_entered         (PrefectCtxContext      *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean           prefect_ctx_context_check              (PrefectCtxContext      *self,
                                                           GError                **error);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxContext *prefect_ctx_context_copy_with          (PrefectCtxContext      *self,
                                                           GError                **error,
                                                           const char             *first_property,
                                                           ...) G_GNUC_NULL_TERMINATED G_GNUC_WARN_UNUSED_RESULT;
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxContext *prefect_ctx_context_copy_withv         (PrefectCtxContext      *self,
                                                           guint                   n_properties,
                                                           const char            **names,
                                                           const GValue           *values,
                                                           GError                **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
