/* prefectctx-toml.c: stub, being implemented */
#include "config.h"

#include "prefectctx-toml-private.h"

void
_prefect_ctx_toml_node_free (PrefectCtxTomlNode *node)
{
  g_free (node);
}

guint
_prefect_ctx_toml_table_size (const PrefectCtxTomlNode *table)
{
  return 0;
}
