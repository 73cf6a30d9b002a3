/* prefectctx-error.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-error.h"

/**
 * prefect_ctx_error_quark:
 *
 * Gets the error domain of libprefectctx, %PREFECT_CTX_ERROR.
 *
 * Returns: the error domain's quark
 */
G_DEFINE_QUARK (prefect-ctx-error-quark, prefect_ctx_error)
