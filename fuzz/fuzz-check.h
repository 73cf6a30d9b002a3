/* fuzz-check.h: what the fuzz harnesses share: the entry point libFuzzer
 * calls, and check (), which aborts with a message when an invariant is
 * broken. Define FUZZ_NAME ("fuzz-toml") before including it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void check (gboolean    condition,
                   const char *format,
                   ...) G_GNUC_PRINTF (2, 3);

static void
check (gboolean    condition,
       const char *format,
       ...)
{
  va_list args;

  if (condition)
    return;

  va_start (args, format);
  fputs (FUZZ_NAME ": invariant violated: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  abort ();
}
