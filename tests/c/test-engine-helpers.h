/* test-engine-helpers.h: what the engine's test programs share: stores,
 * parameters, the states and logs a run recorded, and TAP output
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <prefectctx.h>

/* Not every test program uses every helper. */
#pragma GCC diagnostic ignored "-Wunused-function"

static PrefectCtxClient *
memory_client (void)
{
  g_autoptr(GError) error = NULL;
  PrefectCtxLocalClient *client = prefect_ctx_local_client_new (PREFECT_CTX_LOCAL_CLIENT_MEMORY, &error);

  g_assert_no_error (error);
  return PREFECT_CTX_CLIENT (client);
}

static PrefectCtxClient *
file_client (const char *path)
{
  g_autoptr(GError) error = NULL;
  PrefectCtxLocalClient *client = prefect_ctx_local_client_new (path, &error);

  g_assert_no_error (error);
  return PREFECT_CTX_CLIENT (client);
}

static PrefectCtxRunOptions *
options_for (PrefectCtxClient *client)
{
  return g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "client", client, NULL);
}

static GVariant *
xy (gint64 x,
    gint64 y)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "x", "x", x);
  g_variant_dict_insert (&dict, "y", "x", y);
  return g_variant_dict_end (&dict);
}

static gint64
lookup_int (GVariant   *params,
            const char *key)
{
  gint64 value = 0;

  g_assert_true (g_variant_lookup (params, key, "x", &value));
  return value;
}

/* The states of a task run, as "TYPE:Name:message" strings. */
static char *
describe_states (GListModel *states)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (states); i++)
    {
      g_autoptr(PrefectCtxState) state = g_list_model_get_item (states, i);

      if (i > 0)
        g_string_append (out, " ");
      g_string_append_printf (out, "%s:%s",
                              prefect_ctx_state_type_to_string (prefect_ctx_state_get_state_type (state)),
                              prefect_ctx_state_get_name (state));
      if (prefect_ctx_state_get_message (state) != NULL)
        g_string_append_printf (out, ":%s", prefect_ctx_state_get_message (state));
    }
  return g_string_free (out, FALSE);
}

static char *
task_run_states (PrefectCtxClient *client,
                 const char       *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) states = prefect_ctx_client_read_task_run_states (client, id, NULL, &error);

  g_assert_no_error (error);
  return describe_states (states);
}

static char *
flow_run_states (PrefectCtxClient *client,
                 const char       *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) states = prefect_ctx_client_read_flow_run_states (client, id, NULL, &error);

  g_assert_no_error (error);
  return describe_states (states);
}

static GListModel *
task_runs_of (PrefectCtxClient *client,
              const char       *flow_run_id)
{
  g_autoptr(GError) error = NULL;
  GListModel *runs = prefect_ctx_client_read_task_runs (client, flow_run_id, 0, 0, NULL, &error);

  g_assert_no_error (error);
  return runs;
}

static GListModel *
logs_of (PrefectCtxClient *client,
         const char       *flow_run_id)
{
  g_autoptr(GError) error = NULL;
  GListModel *logs = prefect_ctx_client_read_logs (client, flow_run_id, NULL, NULL, 0, 0, NULL, &error);

  g_assert_no_error (error);
  return logs;
}

/* Whether a log of @logs has @message (and, if given, @task_run_id). */
static gboolean
has_log (GListModel *logs,
         const char *message,
         const char *task_run_id)
{
  for (guint i = 0; i < g_list_model_get_n_items (logs); i++)
    {
      g_autoptr(PrefectCtxLogEntry) entry = g_list_model_get_item (logs, i);

      if (g_strcmp0 (prefect_ctx_log_entry_get_message (entry), message) == 0 &&
          (task_run_id == NULL || g_strcmp0 (prefect_ctx_log_entry_get_task_run_id (entry), task_run_id) == 0))
        return TRUE;
    }
  return FALSE;
}

static char *
current_flow_run_id (void)
{
  PrefectCtxFlowRunContext *ctx = prefect_ctx_flow_run_context_get_current ();

  g_assert_nonnull (ctx);
  return g_strdup (prefect_ctx_flow_run_get_id (prefect_ctx_flow_run_context_get_flow_run (ctx)));
}

/* What the bodies print goes to stdout as TAP comments; GTest's own lines
 * go through unchanged. */
static void
tap_print (const char *string)
{
  if (g_str_has_prefix (string, "ok ") || g_str_has_prefix (string, "not ok ") ||
      g_str_has_prefix (string, "#") || g_str_has_prefix (string, "1..") ||
      g_str_has_prefix (string, "Bail out!") || g_test_subprocess () ||
      strspn (string, " \t\n") == strlen (string))
    fputs (string, stdout);
  else
    printf ("# %s", string);
  fflush (stdout);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

