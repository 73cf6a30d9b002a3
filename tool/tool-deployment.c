/* tool-deployment.c: prefectctx deployment ls|inspect
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The deployments of the run store, as `prefect deployment ls` lists them
 * ("flow/deployment" and ID, by those names or newest first); a deployment
 * read by its ID, as `prefect deployment inspect` shows one.
 */
#include "prefectctx-tool.h"

/* ---- ls ----------------------------------------------------------------- */

static char **ls_flow_names;
static gboolean ls_by_created;

static const GOptionEntry ls_entries[] = {
  { "flow-name", 'f', 0, G_OPTION_ARG_STRING_ARRAY, &ls_flow_names,
    "Only the deployments of flow NAME (may be given more than once)", "NAME" },
  { "by-created", 0, 0, G_OPTION_ARG_NONE, &ls_by_created, "Newest first, rather than by name", NULL },
  { NULL }
};

typedef struct
{
  PrefectCtxDeployment *deployment;
  const char           *flow_name;   /* the cache's */
  guint                 position;    /* in the store's order: newest first */
} Listed;

static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  const Listed *x = a;
  const Listed *y = b;
  int c = g_strcmp0 (x->flow_name, y->flow_name);

  if (c == 0)
    c = g_strcmp0 (prefect_ctx_deployment_get_name (x->deployment), prefect_ctx_deployment_get_name (y->deployment));
  return c != 0 ? c : (int) x->position - (int) y->position;
}

static void
listed_clear (gpointer data)
{
  g_clear_object (&((Listed *) data)->deployment);
}

static int
deployment_ls (int argc, char **argv, GError **error)
{
  g_auto(GStrv) flow_names = g_steal_pointer (&ls_flow_names);  /* freed on every path */
  g_autoptr(PrefectCtxClient) client = NULL;
  g_autoptr(GListModel) deployments = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GArray) listed = g_array_new (FALSE, TRUE, sizeof (Listed));
  g_autoptr(GListStore) shown = g_list_store_new (PREFECT_CTX_TYPE_DEPLOYMENT);

  g_array_set_clear_func (listed, listed_clear);
  if (!tool_check_ls_args (argc, 1, error))
    return TOOL_EXIT_USAGE;

  client = tool_open_store (error);
  if (client == NULL)
    return TOOL_EXIT_FAILURE;

  deployments = prefect_ctx_client_read_deployments (client, 0, 0, NULL, error);
  if (deployments == NULL)
    return TOOL_EXIT_FAILURE;

  for (guint i = 0; i < g_list_model_get_n_items (deployments); i++)
    {
      Listed item = { g_list_model_get_item (deployments, i), NULL, i };

      item.flow_name = tool_lookup_flow_name (client, names, prefect_ctx_deployment_get_flow_id (item.deployment));
      if (flow_names != NULL && !g_strv_contains ((const char * const *) flow_names, item.flow_name))
        {
          g_object_unref (item.deployment);
          continue;
        }
      g_array_append_val (listed, item);
    }
  if (!ls_by_created)
    g_array_sort (listed, compare_by_name);
  for (guint i = 0; i < listed->len; i++)
    g_list_store_append (shown, g_array_index (listed, Listed, i).deployment);

  if (tool_print_ls_json_or_empty (G_LIST_MODEL (shown), (JsonNode *(*) (gpointer)) prefect_ctx_deployment_to_json_node,
                                   "No deployments found."))
    return TOOL_EXIT_OK;

  g_print ("%-48s  %s\n", "NAME", "ID");
  for (guint i = 0; i < listed->len; i++)
    {
      const Listed *item = &g_array_index (listed, Listed, i);
      g_autofree char *name = g_strdup_printf ("%s/%s", item->flow_name,
                                               prefect_ctx_deployment_get_name (item->deployment));

      g_print ("%-48s  %s\n", name, prefect_ctx_deployment_get_id (item->deployment));
    }
  return TOOL_EXIT_OK;
}

/* ---- inspect ------------------------------------------------------------ */

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
  { .name = "ls", .summary = "List deployments as FLOW/DEPLOYMENT, by those names or newest first",
    .entries = ls_entries, .run = deployment_ls },
  { .name = "inspect", .parameter_string = "ID",
    .summary = "Show a deployment: its name, flow, version, tags and parameters",
    .run = deployment_inspect },
  { NULL }
};

const ToolCommand tool_deployment_command = {
  .name = "deployment",
  .summary = "List and inspect the deployments of the run store",
  .subcommands = deployment_subcommands,
};
