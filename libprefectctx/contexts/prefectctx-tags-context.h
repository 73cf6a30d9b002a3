/* prefectctx-tags-context.h: the tags applied to the runs made in a scope
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__PREFECT_CTX_INSIDE__) && !defined(PREFECT_CTX_COMPILATION)
# error "Only <prefectctx.h> can be included directly."
#endif

#include <glib-object.h>

#include "prefectctx-version.h"
#include "core/prefectctx-context.h"

G_BEGIN_DECLS

#define PREFECT_CTX_TYPE_TAGS_CONTEXT (prefect_ctx_tags_context_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxTagsContext, prefect_ctx_tags_context, PREFECT_CTX, TAGS_CONTEXT, PrefectCtxContext)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTagsContext *prefect_ctx_tags_context_new              (const char * const    *tags);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTagsContext *prefect_ctx_tags_context_get_current      (void);
PREFECT_CTX_AVAILABLE_IN_1_0
const char * const    *prefect_ctx_tags_context_get_current_tags (PrefectCtxTagsContext *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean               prefect_ctx_tags_context_has_tag          (PrefectCtxTagsContext *self,
                                                                  const char            *tag);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxTagsContext *prefect_ctx_tags                          (const char * const    *tags) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
