/* prefectctx-object-registry.h: Prefect's object registry
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

#define PREFECT_CTX_TYPE_INIT_FAILURE (prefect_ctx_init_failure_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxInitFailure, prefect_ctx_init_failure, PREFECT_CTX, INIT_FAILURE, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxInitFailure    *prefect_ctx_init_failure_new             (GType                     object_type,
                                                                    GObject                  *object,
                                                                    const GError             *error);
PREFECT_CTX_AVAILABLE_IN_1_0
GType                     prefect_ctx_init_failure_get_object_type (PrefectCtxInitFailure    *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GObject                  *prefect_ctx_init_failure_get_object      (PrefectCtxInitFailure    *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const GError             *prefect_ctx_init_failure_get_error       (PrefectCtxInitFailure    *self);

#define PREFECT_CTX_TYPE_OBJECT_REGISTRY (prefect_ctx_object_registry_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxObjectRegistry, prefect_ctx_object_registry, PREFECT_CTX, OBJECT_REGISTRY, PrefectCtxContext)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxObjectRegistry *prefect_ctx_object_registry_new                      (gboolean                  block_code_execution,
                                                                                gboolean                  capture_failures);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxObjectRegistry *prefect_ctx_object_registry_get_current              (void);

PREFECT_CTX_AVAILABLE_IN_1_0
gboolean                  prefect_ctx_object_registry_get_block_code_execution (PrefectCtxObjectRegistry *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean                  prefect_ctx_object_registry_get_capture_failures     (PrefectCtxObjectRegistry *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GDateTime                *prefect_ctx_object_registry_get_start_time           (PrefectCtxObjectRegistry *self);

PREFECT_CTX_AVAILABLE_IN_1_0
void                      prefect_ctx_object_registry_register_instance        (PrefectCtxObjectRegistry *self,
                                                                                GObject                  *object);
PREFECT_CTX_AVAILABLE_IN_1_0
GPtrArray                *prefect_ctx_object_registry_get_instances            (PrefectCtxObjectRegistry *self,
                                                                                GType                     type);
PREFECT_CTX_AVAILABLE_IN_1_0
void                      prefect_ctx_object_registry_register_init_failure    (PrefectCtxObjectRegistry *self,
                                                                                GObject                  *object,
                                                                                GType                     type,
                                                                                const GError             *error);
PREFECT_CTX_AVAILABLE_IN_1_0
GPtrArray                *prefect_ctx_object_registry_get_instance_failures    (PrefectCtxObjectRegistry *self,
                                                                                GType                     type);

PREFECT_CTX_AVAILABLE_IN_1_0
gboolean                  prefect_ctx_object_registry_track                    (GObject                  *object);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean                  prefect_ctx_object_registry_track_failure            (GObject                  *object,
                                                                                GType                     type,
                                                                                const GError             *error);

G_END_DECLS
