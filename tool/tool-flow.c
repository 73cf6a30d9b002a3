/* tool-flow.c: prefectctx flow ls
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The flows of the run store, newest first, as `prefect flow ls` lists
 * them: ID, name and creation time.
 */
#include "prefectctx-tool.h"

static int ls_limit = 15;

static const GOptionEntry ls_entries[] = {
  { "limit", 'n', 0, G_OPTION_ARG_INT, &ls_limit, "Show at most N flows (default 15)", "N" },
  { NULL }
};

static int
flow_ls (int argc, char **argv, GError **error)
{
  g_autoptr(PrefectCtxClient) client = NULL;
  g_autoptr(GListModel) flows = NULL;

  if (!tool_check_ls_args (argc, ls_limit, error))
    return TOOL_EXIT_USAGE;

  client = tool_open_store (error);
  if (client == NULL)
    return TOOL_EXIT_FAILURE;

  flows = prefect_ctx_client_read_flows (client, (guint) ls_limit, 0, NULL, error);
  if (flows == NULL)
    return TOOL_EXIT_FAILURE;

  if (tool_print_ls_json_or_empty (flows, (JsonNode *(*) (gpointer)) prefect_ctx_flow_to_json_node, "No flows found."))
    return TOOL_EXIT_OK;

  g_print ("%-36s  %-24s  %s\n", "ID", "NAME", "CREATED");
  for (guint i = 0; i < g_list_model_get_n_items (flows); i++)
    {
      g_autoptr(PrefectCtxFlow) flow = g_list_model_get_item (flows, i);
      g_autofree char *created = tool_format_time (prefect_ctx_flow_get_created (flow));

      g_print ("%-36s  %-24s  %s\n", prefect_ctx_flow_get_id (flow), prefect_ctx_flow_get_name (flow), created);
    }
  return TOOL_EXIT_OK;
}

static const ToolCommand flow_subcommands[] = {
  { .name = "ls", .summary = "List flows, newest first",
    .entries = ls_entries, .run = flow_ls },
  { NULL }
};

const ToolCommand tool_flow_command = {
  .name = "flow",
  .summary = "List the flows of the run store",
  .subcommands = flow_subcommands,
};
