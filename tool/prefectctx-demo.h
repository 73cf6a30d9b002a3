/* prefectctx-demo.h: the demo flow of `prefectctx demo`
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <prefectctx.h>

G_BEGIN_DECLS

/* What one run of the demo flow left behind. */
typedef struct
{
  char     *flow_run_id;      /* the demo flow run */
  char     *subflow_run_id;   /* its subflow's run, or NULL if it did not start */
  GVariant *result;           /* the flow's result, or NULL */
} PrefectCtxDemoRun;

void prefect_ctx_demo_run_clear (PrefectCtxDemoRun *run);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PrefectCtxDemoRun, prefect_ctx_demo_run_clear)

/* Runs the demo flow through @client (NULL: the default client); with
 * @narrate, each run body prints on standard output what it sees. Returns FALSE with @error set
 * if the flow run failed; @run is filled in as far as the run got, even
 * then. */
gboolean prefect_ctx_demo_run (PrefectCtxClient  *client,
                               gboolean           narrate,
                               PrefectCtxDemoRun *run,
                               GError           **error);

G_END_DECLS
