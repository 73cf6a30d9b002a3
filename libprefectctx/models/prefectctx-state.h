/* prefectctx-state.h: state objects as the Prefect server describes them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__PREFECT_CTX_INSIDE__) && !defined(PREFECT_CTX_COMPILATION)
# error "Only <prefectctx.h> can be included directly."
#endif

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "prefectctx-version.h"
#include "prefectctx-enums.h"

G_BEGIN_DECLS

/**
 * PrefectCtxStateType:
 * @PREFECT_CTX_STATE_TYPE_SCHEDULED: the run is scheduled to start later
 *   (`SCHEDULED`)
 * @PREFECT_CTX_STATE_TYPE_PENDING: the run is about to start (`PENDING`)
 * @PREFECT_CTX_STATE_TYPE_RUNNING: the run is running (`RUNNING`)
 * @PREFECT_CTX_STATE_TYPE_COMPLETED: the run finished successfully
 *   (`COMPLETED`); a finished state
 * @PREFECT_CTX_STATE_TYPE_FAILED: the run finished with an error (`FAILED`);
 *   a finished state
 * @PREFECT_CTX_STATE_TYPE_CANCELLED: the run was cancelled (`CANCELLED`); a
 *   finished state
 * @PREFECT_CTX_STATE_TYPE_CRASHED: the run stopped because of an error
 *   outside its own code (`CRASHED`); a finished state
 * @PREFECT_CTX_STATE_TYPE_PAUSED: the run is paused (`PAUSED`)
 * @PREFECT_CTX_STATE_TYPE_CANCELLING: the run is being cancelled
 *   (`CANCELLING`)
 *
 * The type of a run state, as the Prefect server names it (the name in
 * parentheses is the JSON value, see [func@PrefectCtx.StateType.to_string]).
 */
typedef enum {
  PREFECT_CTX_STATE_TYPE_SCHEDULED,
  PREFECT_CTX_STATE_TYPE_PENDING,
  PREFECT_CTX_STATE_TYPE_RUNNING,
  PREFECT_CTX_STATE_TYPE_COMPLETED,
  PREFECT_CTX_STATE_TYPE_FAILED,
  PREFECT_CTX_STATE_TYPE_CANCELLED,
  PREFECT_CTX_STATE_TYPE_CRASHED,
  PREFECT_CTX_STATE_TYPE_PAUSED,
  PREFECT_CTX_STATE_TYPE_CANCELLING,
} PrefectCtxStateType;

PREFECT_CTX_AVAILABLE_IN_1_0
const char *prefect_ctx_state_type_to_string   (PrefectCtxStateType  type);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean    prefect_ctx_state_type_from_string (const char          *string,
                                                PrefectCtxStateType *out);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean    prefect_ctx_state_type_is_finished (PrefectCtxStateType  type);

#define PREFECT_CTX_TYPE_STATE (prefect_ctx_state_get_type ())

PREFECT_CTX_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (PrefectCtxState, prefect_ctx_state, PREFECT_CTX, STATE, GObject)

PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxState      *prefect_ctx_state_new                (PrefectCtxStateType   type,
                                                            const char           *name,
                                                            const char           *message);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxState      *prefect_ctx_state_new_from_json      (const char           *json,
                                                            GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxState      *prefect_ctx_state_new_from_json_node (JsonNode             *node,
                                                            GError              **error);
PREFECT_CTX_AVAILABLE_IN_1_0
char                 *prefect_ctx_state_to_json            (PrefectCtxState      *self);
PREFECT_CTX_AVAILABLE_IN_1_0
JsonNode             *prefect_ctx_state_to_json_node       (PrefectCtxState      *self);
PREFECT_CTX_AVAILABLE_IN_1_0
PrefectCtxStateType   prefect_ctx_state_get_state_type     (PrefectCtxState      *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char           *prefect_ctx_state_get_name           (PrefectCtxState      *self);
PREFECT_CTX_AVAILABLE_IN_1_0
GDateTime            *prefect_ctx_state_get_timestamp      (PrefectCtxState      *self);
PREFECT_CTX_AVAILABLE_IN_1_0
const char           *prefect_ctx_state_get_message        (PrefectCtxState      *self);
PREFECT_CTX_AVAILABLE_IN_1_0
gboolean              prefect_ctx_state_is_finished        (PrefectCtxState      *self);

G_END_DECLS
