/* tool-deployment.c: prefectctx deployment inspect
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A deployment of the run store, read by its ID, as `prefect deployment
 * inspect` shows one.
 */
#include "prefectctx-tool.h"

static int
deployment_inspect (int argc, char **argv, GError **error)
{
  g_autoptr(PrefectCtxClient) client = NULL;
  g_autoptr(PrefectCtxDeployment) deployment = NULL;
  g_autoptr(PrefectCtxFlow) flow = NULL;

  if (!tool_check_id_arg (argc, error))
    return TOOL_EXIT_USAGE;

  client = tool_open_store (error);
  if (client == NULL)
    return TOOL_EXIT_FAILURE;

  deployment = prefect_ctx_client_read_deployment (client, argv[1], NULL, error);
  if (deployment == NULL)
    {
      tool_name_missing (error, "Deployment", argv[1]);
      return TOOL_EXIT_FAILURE;
    }

  if (tool_get_json ())
    {
      g_autoptr(JsonNode) node = prefect_ctx_deployment_to_json_node (deployment);

      tool_print_json (node);
      return TOOL_EXIT_OK;
    }

  /* The flow's name, when the store has the flow. */
  if (prefect_ctx_deployment_get_flow_id (deployment) != NULL)
    flow = prefect_ctx_client_read_flow (client, prefect_ctx_deployment_get_flow_id (deployment), NULL, NULL);

  {
    const char * const *tags = prefect_ctx_deployment_get_tags (deployment);
    g_autofree char *joined = tags != NULL && tags[0] != NULL ? g_strjoinv (", ", (char **) tags) : g_strdup ("-");
    g_autofree char *parameters = tool_format_variant (prefect_ctx_deployment_get_parameters (deployment));
    const char *version = prefect_ctx_deployment_get_version (deployment);

    g_print ("Deployment '%s'\n", prefect_ctx_deployment_get_name (deployment));
    g_print ("  %-13s%s\n", "id", prefect_ctx_deployment_get_id (deployment));
    g_print ("  %-13s%s\n", "flow", flow != NULL ? prefect_ctx_flow_get_name (flow)
                                     : prefect_ctx_deployment_get_flow_id (deployment) != NULL
                                       ? prefect_ctx_deployment_get_flow_id (deployment) : "-");
    g_print ("  %-13s%s\n", "version", version != NULL ? version : "-");
    g_print ("  %-13s%s\n", "tags", joined);
    g_print ("  %-13s%s\n", "parameters", parameters);
  }
  return TOOL_EXIT_OK;
}

static const ToolCommand deployment_subcommands[] = {
  { .name = "inspect", .parameter_string = "ID",
    .summary = "Show a deployment: its name, flow, version, tags and parameters",
    .run = deployment_inspect },
  { NULL }
};

const ToolCommand tool_deployment_command = {
  .name = "deployment",
  .summary = "Inspect the deployments of the run store",
  .subcommands = deployment_subcommands,
};
