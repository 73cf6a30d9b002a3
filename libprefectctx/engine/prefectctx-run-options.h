/* prefectctx-run-options.h: how one flow run is run
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__PREFECT_CTX_INSIDE__) && !defined(PREFECT_CTX_COMPILATION)
# error "Only <prefectctx.h> can be included directly."
#endif

#include <gio/gio.h>

#include "prefectctx-version.h"
#include "models/prefectctx-client.h"

G_BEGIN_DECLS

#define PREFECT_CTX_TYPE_RUN_OPTIONS (prefect_ctx_run_options_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxRunOptions, prefect_ctx_run_options, PREFECT_CTX, RUN_OPTIONS, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxRunOptions *prefect_ctx_run_options_new                (void);

PREFECT_CTX_AVAILABLE_IN_1_0
GVariant             *prefect_ctx_run_options_get_custom_context (PrefectCtxRunOptions *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char * const   *prefect_ctx_run_options_get_tags           (PrefectCtxRunOptions *self);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxClient     *prefect_ctx_run_options_get_client         (PrefectCtxRunOptions *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char           *prefect_ctx_run_options_get_run_name       (PrefectCtxRunOptions *self);
PREFECT_CTX_AVAILABLE_IN_1_0
int                   prefect_ctx_run_options_get_max_workers    (PrefectCtxRunOptions *self);

G_END_DECLS
