/* prefectctx-settings-context.h: the settings in effect, with their profile
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
#include "models/prefectctx-profile.h"
#include "models/prefectctx-settings.h"

G_BEGIN_DECLS

#define PREFECT_CTX_TYPE_SETTINGS_CONTEXT (prefect_ctx_settings_context_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxSettingsContext, prefect_ctx_settings_context, PREFECT_CTX, SETTINGS_CONTEXT, PrefectCtxContext)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxSettingsContext *prefect_ctx_settings_context_new          (PrefectCtxProfile          *profile,
                                                                      PrefectCtxSettings         *settings);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxSettingsContext *prefect_ctx_settings_context_get_current  (void);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxProfile         *prefect_ctx_settings_context_get_profile  (PrefectCtxSettingsContext  *self);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxSettings        *prefect_ctx_settings_context_get_settings (PrefectCtxSettingsContext  *self);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxSettingsContext *prefect_ctx_get_settings_context          (GError                    **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxSettingsContext *prefect_ctx_root_settings_context         (void);
PREFECT_CTX_AVAILABLE_IN_1_0
void                       prefect_ctx_set_command_line_profile      (const char                 *name);

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxSettingsContext *prefect_ctx_use_profile                   (const char                 *name,
                                                                      gboolean                    override_environment_variables,
                                                                      gboolean                    include_current_context,
                                                                      GError                    **error) G_GNUC_WARN_UNUSED_RESULT;
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxSettingsContext *prefect_ctx_use_profile_object            (PrefectCtxProfile          *profile,
                                                                      gboolean                    override_environment_variables,
                                                                      gboolean                    include_current_context,
                                                                      GError                    **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
