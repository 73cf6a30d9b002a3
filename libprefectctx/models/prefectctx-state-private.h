/* prefectctx-state-private.h: a state as a member of another model's JSON
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "prefectctx-json-private.h"

G_BEGIN_DECLS

/* The read and write functions of a PREFECT_CTX_JSON_CUSTOM field holding a
 * PrefectCtxState (the "state" of flow runs and task runs). */
gboolean  _prefect_ctx_state_json_read  (JsonNode      *node,
                                         GValue        *value,
                                         GError       **error);
JsonNode *_prefect_ctx_state_json_write (const GValue  *value);

G_END_DECLS
