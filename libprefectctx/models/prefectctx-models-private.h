/* prefectctx-models-private.h: hooks the models offer the layers below them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Called with every flow definition (a flow without an id) when it is
 * constructed. The contexts layer installs prefect_ctx_object_registry_track
 * here when the ObjectRegistry class is initialized: before that, no
 * registry can be entered, so nothing needs tracking. Models thereby stay
 * independent of the contexts layer. */
void _prefect_ctx_flow_set_constructed_hook (gboolean (*hook) (GObject *object));

G_END_DECLS
