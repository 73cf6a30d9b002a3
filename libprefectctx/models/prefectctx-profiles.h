/* prefectctx-profiles.h: the profiles file (profiles.toml)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__PREFECT_CTX_INSIDE__) && !defined(PREFECT_CTX_COMPILATION)
# error "Only <prefectctx.h> can be included directly."
#endif

#include <glib-object.h>

#include "prefectctx-version.h"
#include "models/prefectctx-profile.h"

G_BEGIN_DECLS

/**
 * PREFECT_CTX_DEFAULT_PROFILE:
 *
 * The name of the built-in profile, `default`, that every loaded
 * [class@PrefectCtx.Profiles] has unless it was removed.
 */
#define PREFECT_CTX_DEFAULT_PROFILE "default"

#define PREFECT_CTX_TYPE_PROFILES (prefect_ctx_profiles_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxProfiles, prefect_ctx_profiles, PREFECT_CTX, PROFILES, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxProfiles  *prefect_ctx_profiles_new             (void);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxProfiles  *prefect_ctx_profiles_load            (GError             **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxProfiles  *prefect_ctx_profiles_load_from_file  (const char          *path,
                                                           GError             **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxProfiles  *prefect_ctx_profiles_load_from_data  (const char          *data,
                                                           gssize               length,
                                                           const char          *source_name,
                                                           GError             **error);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_profiles_get_path        (PrefectCtxProfiles  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_profiles_get_active_name (PrefectCtxProfiles  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxProfile   *prefect_ctx_profiles_get_active      (PrefectCtxProfiles  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char * const  *prefect_ctx_profiles_get_names       (PrefectCtxProfiles  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxProfile   *prefect_ctx_profiles_lookup          (PrefectCtxProfiles  *self,
                                                           const char          *name);
PREFECT_CTX_AVAILABLE_IN_1_0
void                 prefect_ctx_profiles_add_profile     (PrefectCtxProfiles  *self,
                                                           PrefectCtxProfile   *profile);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean             prefect_ctx_profiles_remove_profile  (PrefectCtxProfiles  *self,
                                                           const char          *name,
                                                           GError             **error);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean             prefect_ctx_profiles_set_active      (PrefectCtxProfiles  *self,
                                                           const char          *name,
                                                           GError             **error);
PREFECT_CTX_AVAILABLE_IN_1_0
char                *prefect_ctx_profiles_to_toml         (PrefectCtxProfiles  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean             prefect_ctx_profiles_save            (PrefectCtxProfiles  *self,
                                                           const char          *path,
                                                           GError             **error);

G_END_DECLS
