/* prefectctx-client-default.c: the client the current settings choose
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "prefectctx-client-default.h"
#include "prefectctx-http-client.h"
#include "prefectctx-local-client.h"
#include "prefectctx-settings-context.h"
#include "prefectctx-settings.h"
#include "prefectctx-tsan-private.h"

/* Makes the client a cache key stands for. */
typedef PrefectCtxClient *(*ClientMaker) (PrefectCtxSettings  *settings,
                                          GError             **error);

static PrefectCtxClient *
make_http_client (PrefectCtxSettings  *settings,
                  GError             **error)
{
  return (PrefectCtxClient *) prefect_ctx_http_client_new_from_settings (settings, error);
}

static PrefectCtxClient *
make_local_client (PrefectCtxSettings  *settings,
                   GError             **error)
{
  g_autofree char *home = prefect_ctx_settings_get_home (settings);
  g_autofree char *path = g_build_filename (home, "prefectctx.db", NULL);

  if (g_mkdir_with_parents (home, 0700) != 0)
    g_debug ("Failed to create the Prefect home directory at %s", home);
  return (PrefectCtxClient *) prefect_ctx_local_client_new (path, error);
}

/**
 * prefect_ctx_client_get_default:
 * @error: return location for a #GError
 *
 * Gets the client the current settings choose (see
 * [func@PrefectCtx.SettingsContext.get_current]): when `PREFECT_API_URL` is
 * set, a client of that Prefect server ([class@PrefectCtx.HttpClient], made
 * as [ctor@PrefectCtx.HttpClient.new_from_settings] does); otherwise the
 * local store ([class@PrefectCtx.LocalClient]) at
 * `$PREFECT_HOME/prefectctx.db`.
 *
 * There is one client per database path, and one per server (URL, API key
 * and retry settings), in a process: calling this again with the same
 * settings returns the same object.
 *
 * Returns: (transfer full): the default client, or %NULL with @error set when
 *   the store cannot be opened or `PREFECT_API_URL` is not a valid URL
 */
PrefectCtxClient *
prefect_ctx_client_get_default (GError **error)
{
  static GMutex lock;
  static GHashTable *clients;  /* key -> client, kept as long as the process */
  PrefectCtxSettingsContext *context;
  PrefectCtxSettings *settings = NULL;
  g_autoptr(PrefectCtxSettings) own_settings = NULL;
  g_autofree char *key = NULL;
  PrefectCtxClient *client;
  ClientMaker make;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  context = prefect_ctx_settings_context_get_current ();
  if (context != NULL)
    settings = prefect_ctx_settings_context_get_settings (context);
  if (settings == NULL)
    settings = own_settings = prefect_ctx_settings_new_from_environment ();

  if (prefect_ctx_settings_get_api_url (settings) != NULL)
    {
      const char *api_key = prefect_ctx_settings_get_api_key (settings);
      char jitter[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (jitter, sizeof jitter,
                      prefect_ctx_settings_get_client_retry_jitter_factor (settings));
      /* Kept in memory only: the key is never printed. */
      key = g_strdup_printf ("http\n%s\n%s\n%d\n%s", prefect_ctx_settings_get_api_url (settings),
                             api_key != NULL ? api_key : "",
                             prefect_ctx_settings_get_client_max_retries (settings), jitter);
      make = make_http_client;
    }
  else
    {
      g_autofree char *home = prefect_ctx_settings_get_home (settings);

      key = g_strdup_printf ("local\n%s/prefectctx.db", home);
      make = make_local_client;
    }

  prefect_ctx_mutex_lock (&lock);
  if (clients == NULL)
    clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  client = g_hash_table_lookup (clients, key);
  if (client != NULL)
    g_object_ref (client);
  else if ((client = make (settings, error)) != NULL)
    g_hash_table_insert (clients, g_steal_pointer (&key), g_object_ref (client));
  prefect_ctx_mutex_unlock (&lock);

  return client;
}
