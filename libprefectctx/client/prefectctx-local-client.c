/* prefectctx-local-client.c: the embedded run store (SQLite)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Stub: the SQLite store follows.
 */
#include "config.h"

#include "prefectctx-local-client.h"

#include "prefectctx-error.h"

/**
 * PrefectCtxLocalClient:
 *
 * The embedded run store: a [iface@PrefectCtx.Client] over an SQLite
 * database file (or memory).
 */
struct _PrefectCtxLocalClient
{
  GObject parent_instance;

  char *path;
};

static void prefect_ctx_local_client_client_iface_init (PrefectCtxClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PrefectCtxLocalClient, prefect_ctx_local_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PREFECT_CTX_TYPE_CLIENT,
                                                      prefect_ctx_local_client_client_iface_init))

static void
prefect_ctx_local_client_finalize (GObject *object)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (object);

  g_free (self->path);

  G_OBJECT_CLASS (prefect_ctx_local_client_parent_class)->finalize (object);
}

static void
prefect_ctx_local_client_class_init (PrefectCtxLocalClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = prefect_ctx_local_client_finalize;
}

static void
prefect_ctx_local_client_init (PrefectCtxLocalClient *self)
{
}

static void
prefect_ctx_local_client_client_iface_init (PrefectCtxClientInterface *iface)
{
}

/**
 * prefect_ctx_local_client_new:
 * @path: (nullable) (type filename): the database file, %NULL for
 *   `$PREFECT_HOME/prefectctx.db`, or %PREFECT_CTX_LOCAL_CLIENT_MEMORY
 * @error: return location for a #GError
 *
 * Opens (creating it if needed) the run store at @path.
 *
 * Returns: (transfer full): a new client, or %NULL with @error set
 */
PrefectCtxLocalClient *
prefect_ctx_local_client_new (const char  *path,
                              GError     **error)
{
  g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                       "The local store is not implemented yet");
  (void) path;
  return NULL;
}

/**
 * prefect_ctx_local_client_get_path:
 * @self: a local client
 *
 * Gets the path of the database file.
 *
 * Returns: (transfer none) (type filename): the path
 */
const char *
prefect_ctx_local_client_get_path (PrefectCtxLocalClient *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_LOCAL_CLIENT (self), NULL);

  return self->path;
}

/**
 * prefect_ctx_local_client_get_schema_version:
 *
 * Gets the version of the database schema this library writes (the
 * `user_version` of the database).
 *
 * Returns: the schema version
 */
int
prefect_ctx_local_client_get_schema_version (void)
{
  return 1;
}
