/* prefectctx-local-client-private.h: what the engine asks of the embedded
 * run store
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Checkpoints every file store of the process that no thread is using, so
 * that each database file alone holds everything: what the store's own
 * exit handler does, for a process about to end on a signal. */
void _prefect_ctx_local_client_checkpoint_all (void);

G_END_DECLS
