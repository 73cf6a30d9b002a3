/* prefectctx-custom-context.h: Flyte's custom context, a scoped string map
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

/**
 * PREFECT_CTX_CUSTOM_CONTEXT_MAX_ENTRIES:
 *
 * The most entries (keys) a custom context map can hold.
 */
#define PREFECT_CTX_CUSTOM_CONTEXT_MAX_ENTRIES 256

/**
 * PREFECT_CTX_CUSTOM_CONTEXT_MAX_BYTES:
 *
 * The most bytes the keys and values of a custom context map can hold
 * together, counted as the sum of the lengths in bytes of every key and
 * every value, without terminating nul bytes.
 */
#define PREFECT_CTX_CUSTOM_CONTEXT_MAX_BYTES 65536

#define PREFECT_CTX_TYPE_CUSTOM_CONTEXT (prefect_ctx_custom_context_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxCustomContext, prefect_ctx_custom_context, PREFECT_CTX, CUSTOM_CONTEXT, PrefectCtxContext)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxCustomContext *prefect_ctx_custom_context_new_merged  (GHashTable              *values,
                                                                 GError                 **error) G_GNUC_WARN_UNUSED_RESULT;
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxCustomContext *prefect_ctx_custom_context_new_mergedv (guint                    n_values,
                                                                 const char * const      *keys,
                                                                 const char * const      *values,
                                                                 GError                 **error) G_GNUC_WARN_UNUSED_RESULT;
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxCustomContext *prefect_ctx_custom_context_get_current (void);
PREFECT_CTX_AVAILABLE_IN_1_0
const char              *prefect_ctx_custom_context_lookup      (const char              *key);

PREFECT_CTX_AVAILABLE_IN_1_0
const char              *prefect_ctx_custom_context_get_value   (PrefectCtxCustomContext *self,
                                                                 const char              *key);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant                *prefect_ctx_custom_context_get_values  (PrefectCtxCustomContext *self);
PREFECT_CTX_AVAILABLE_IN_1_0
guint                    prefect_ctx_custom_context_get_size    (PrefectCtxCustomContext *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GHashTable              *prefect_ctx_custom_context_dup_table   (PrefectCtxCustomContext *self);

PREFECT_CTX_AVAILABLE_IN_1_0
GHashTable              *prefect_ctx_get_custom_context         (void);

G_END_DECLS
