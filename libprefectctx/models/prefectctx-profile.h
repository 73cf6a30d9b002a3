/* prefectctx-profile.h: one named profile of settings
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

#define PREFECT_CTX_TYPE_PROFILE (prefect_ctx_profile_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxProfile, prefect_ctx_profile, PREFECT_CTX, PROFILE, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxProfile   *prefect_ctx_profile_new             (const char         *name,
                                                          GHashTable         *settings,
                                                          const char         *source_path,
                                                          GError            **error);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_profile_get_name        (PrefectCtxProfile  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GVariant            *prefect_ctx_profile_get_settings    (PrefectCtxProfile  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_profile_get_source_path (PrefectCtxProfile  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_profile_get_value       (PrefectCtxProfile  *self,
                                                          const char         *name);
PREFECT_CTX_AVAILABLE_IN_1_0
GHashTable          *prefect_ctx_profile_dup_settings    (PrefectCtxProfile  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean             prefect_ctx_profile_validate        (PrefectCtxProfile  *self,
                                                          GError            **error);
PREFECT_CTX_AVAILABLE_IN_1_0
char                *prefect_ctx_profile_to_string       (PrefectCtxProfile  *self);

G_END_DECLS
