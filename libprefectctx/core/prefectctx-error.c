/* prefectctx-error.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-error.h"

G_DEFINE_QUARK (prefect-ctx-error-quark, prefect_ctx_error)
