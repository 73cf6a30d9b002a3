/* tool-demo.c: prefectctx demo
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "prefectctx-tool.h"

static int
demo_run (int argc, char **argv, GError **error)
{
  if (argc > 1)
    {
      g_set_error_literal (error, TOOL_USAGE_ERROR, 0, "Too many arguments");
      return TOOL_EXIT_USAGE;
    }

  g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                       "The demo needs the engine, which is not built yet");
  return TOOL_EXIT_FAILURE;
}

const ToolCommand tool_demo_command = {
  .name = "demo",
  .summary = "Run the demo flow on the run store and show what was recorded",
  .run = demo_run,
};
