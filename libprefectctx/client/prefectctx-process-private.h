/* prefectctx-process-private.h: which process runs a run, and whether it
 * is still there
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* This process as the embedded run store records it with a Running run:
 * "PID START BOOT-ID HOST", START being the process's start time in clock
 * ticks since boot (field 22 of /proc/PID/stat) and BOOT-ID the kernel's
 * /proc/sys/kernel/random/boot_id, so that a pid used again by another
 * process, or after a reboot, is not taken for the same process. NULL
 * where /proc cannot tell (not Linux). Valid until the process forks. */
const char *_prefect_ctx_process_identity     (void);

/* For an identity that _prefect_ctx_process_identity () gave in some
 * process: the message of a Crashed state when that process is certainly
 * gone (same host; another boot, no such pid, a zombie, or another start
 * time), else NULL (alive, another host, or a text that is no identity). */
char       *_prefect_ctx_process_gone_message (const char *identity);

G_END_DECLS
