/* fake-prefect-server.c: the fake Prefect server of fake-prefect.h as a
 * program, for the suites that are not in C.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * It prints its API URL (http://127.0.0.1:PORT/api) on a line of its own,
 * then serves until its standard input closes. Besides the REST endpoints,
 * GET /api/__fake__/dump gives what it keeps and POST /api/__fake__/fail
 * makes it fail the next requests (see fake_control ()).
 */
#define G_LOG_DOMAIN "PrefectCtx-fake"

#include <stdio.h>
#include <unistd.h>

#include <glib.h>

/* The test helpers it does not use. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "fake-prefect.h"

int
main (void)
{
  FakeServer *fake = fake_server_new ();
  char buffer[256];

  printf ("%s\n", fake->api_url);
  fflush (stdout);
  while (read (STDIN_FILENO, buffer, sizeof buffer) > 0)
    ;
  fake_server_free (fake);
  return 0;
}
