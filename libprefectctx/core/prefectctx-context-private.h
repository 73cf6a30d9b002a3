/* prefectctx-context-private.h: what the built-in contexts need of the core
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "prefectctx-context.h"

G_BEGIN_DECLS

/* The built-in kinds' get_current () functions cache their class's slot
 * (once the class is initialized; -1 before, when nothing of the kind can
 * be entered) and look it up directly: one TLS read and one index. */
int                _prefect_ctx_context_class_get_slot      (PrefectCtxContextClass *klass);
PrefectCtxContext *_prefect_ctx_context_get_current_in_slot (int                     slot);

/* Runs @func on the calling thread with no context current (as on a new
 * thread), then restores the thread's state, as prefect_ctx_snapshot_run ()
 * does with an empty snapshot. */
void               _prefect_ctx_run_with_empty_state       (void (*func) (gpointer),
                                                             gpointer                user_data);

G_END_DECLS
