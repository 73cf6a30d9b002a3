/* prefectctx-settings.h: PREFECT_* settings, their defaults and the environment
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
 * PREFECT_CTX_SECRET_PLACEHOLDER:
 *
 * What every output of the library shows instead of the value of a secret
 * setting such as `PREFECT_API_KEY`, unless secrets are explicitly asked for.
 */
#define PREFECT_CTX_SECRET_PLACEHOLDER "********"

#define PREFECT_CTX_TYPE_SETTINGS (prefect_ctx_settings_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxSettings, prefect_ctx_settings, PREFECT_CTX, SETTINGS, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxSettings  *prefect_ctx_settings_new                          (void);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxSettings  *prefect_ctx_settings_new_from_environment         (void);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxSettings  *prefect_ctx_settings_new_from_environ             (const char * const  *envp,
                                                                        GError             **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxSettings  *prefect_ctx_settings_copy_with_update             (PrefectCtxSettings  *self,
                                                                        GHashTable          *updates,
                                                                        GError             **error);

PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_settings_get_value                    (PrefectCtxSettings  *self,
                                                                        const char          *name,
                                                                        GError             **error);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean             prefect_ctx_settings_is_set                       (PrefectCtxSettings  *self,
                                                                        const char          *name);
PREFECT_CTX_AVAILABLE_IN_1_0
GHashTable          *prefect_ctx_settings_dup_values                   (PrefectCtxSettings  *self);

PREFECT_CTX_AVAILABLE_IN_1_0
char                *prefect_ctx_settings_get_home                     (PrefectCtxSettings  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
char                *prefect_ctx_settings_get_profiles_path            (PrefectCtxSettings  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_settings_get_api_url                  (PrefectCtxSettings  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_settings_get_api_key                  (PrefectCtxSettings  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_settings_get_ui_url                   (PrefectCtxSettings  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char          *prefect_ctx_settings_get_logging_level            (PrefectCtxSettings  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
int                  prefect_ctx_settings_get_client_max_retries       (PrefectCtxSettings  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
double               prefect_ctx_settings_get_client_retry_jitter_factor (PrefectCtxSettings *self);

PREFECT_CTX_AVAILABLE_IN_1_0
char                *prefect_ctx_settings_to_json                      (PrefectCtxSettings  *self,
                                                                        gboolean             include_secrets);
PREFECT_CTX_AVAILABLE_IN_1_0
char                *prefect_ctx_settings_to_string                    (PrefectCtxSettings  *self);

PREFECT_CTX_AVAILABLE_IN_1_0
const char * const  *prefect_ctx_settings_list_names                   (void);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean             prefect_ctx_settings_name_is_known                (const char          *name);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean             prefect_ctx_settings_name_is_secret               (const char          *name);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean             prefect_ctx_settings_validate_value               (const char          *name,
                                                                        const char          *value,
                                                                        GError             **error);

G_END_DECLS
