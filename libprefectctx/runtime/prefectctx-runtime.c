/* prefectctx-runtime.c: the prefect.runtime equivalent (layer 5)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "prefectctx-runtime.h"
#include "runtime/prefectctx-runtime-private.h"

#include "client/prefectctx-client-default.h"
#include "core/prefectctx-error.h"
#include "prefectctx-tsan-private.h"
#include "contexts/prefectctx-flow-run-context.h"
#include "contexts/prefectctx-settings-context.h"
#include "contexts/prefectctx-task-run-context.h"
#include "models/prefectctx-deployment.h"
#include "models/prefectctx-flow.h"
#include "models/prefectctx-flow-run.h"
#include "models/prefectctx-json-private.h"
#include "models/prefectctx-settings.h"
#include "models/prefectctx-task.h"
#include "models/prefectctx-task-run.h"

typedef void (*AttributeGetter) (Value *value);

typedef struct
{
  const char      *name;
  const char      *type;   /* the Python type name, see get_attribute_type */
  AttributeGetter  get;
} Attribute;

typedef struct
{
  const char         *name;        /* "flow_run" */
  const char         *env_name;    /* "FLOW_RUN" */
  const Attribute    *attributes;
  const char * const *names;       /* sorted, NULL-terminated */
} Module;

/* The largest number of flow runs the walk to the root flow run visits, so
 * that a cycle in a broken run store cannot hang the caller. */
#define MAX_FLOW_RUN_DEPTH 10000

/* ---------------------------------------------------------------------------
 * Values
 */

static void
value_clear (Value *value)
{
  g_clear_pointer (&value->variant, g_variant_unref);
  value->kind = KIND_NONE;
}

static void
value_set_string (Value      *value,
                  const char *string)
{
  if (string == NULL)
    return;
  value->kind = KIND_STR;
  value->variant = g_variant_ref_sink (g_variant_new_string (string));
}

static void
value_take_string (Value *value,
                   char  *string)
{
  value_set_string (value, string);
  g_free (string);
}

static void
value_set_int (Value *value,
               int    number)
{
  value->kind = KIND_INT;
  value->variant = g_variant_ref_sink (g_variant_new_int32 (number));
}

static void
value_set_strv (Value              *value,
                const char * const *strv)
{
  value->kind = KIND_LIST;
  value->variant = g_variant_ref_sink (g_variant_new_strv (strv, strv != NULL ? -1 : 0));
}

/* @dict: an a{sv} dictionary, or NULL for an empty one */
static void
value_set_dict (Value    *value,
                GVariant *dict)
{
  value->kind = KIND_DICT;
  value->variant = _prefect_ctx_model_normalize_vardict (dict);
}

static void
value_set_datetime (Value     *value,
                    GDateTime *datetime)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (datetime);

  value->kind = KIND_DATETIME;
  value->variant = g_variant_ref_sink (g_variant_new_take_string (g_date_time_format_iso8601 (utc)));
}

/* ---------------------------------------------------------------------------
 * The API fallback
 *
 * Prefect reads what the contexts do not hold from the API, by id: the flow
 * run (when only PREFECT__FLOW_RUN_ID is known, or for a parent flow run),
 * a task run (the parent of a subflow), a flow (its name) and a deployment
 * (its name and version, cached). Every getter below asks for these reads at
 * the places Prefect makes them, through the four functions here.
 *
 * They go through the current run context's client (the task run's, else
 * the flow run's), else prefect_ctx_client_get_default (). When a record
 * cannot be read, each function returns NULL and every caller falls back to
 * the attribute's documented empty value.
 */

/* The first failure of a store read behind the attribute being computed,
 * for prefect_ctx_runtime_get () to report: a store that cannot be read
 * (an unreachable server, a damaged file), or a run that the environment
 * names and the store does not know (kept with keep_not_found). A record
 * named by a context that the store does not have stays None. The typed
 * getters, which have no GError, drop it. */
static GPrivate keep_not_found;
static GPrivate read_error = G_PRIVATE_INIT ((GDestroyNotify) g_error_free);

static void
keep_read_error (GError     *error,
                 const char *what,
                 const char *id)
{
  if (error == NULL)
    return;
  if (g_error_matches (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND) && g_private_get (&keep_not_found) == NULL)
    {
      g_error_free (error);
      return;
    }
  if (g_private_get (&read_error) == NULL)
    g_private_replace (&read_error, g_error_new (error->domain, error->code,
                                                 "Cannot read the %s %s of prefect.runtime: %s",
                                                 what, id != NULL ? id : "", error->message));
  g_error_free (error);
}

static PrefectCtxClient *
reader_client (void)
{
  PrefectCtxTaskRunContext *task_ctx = prefect_ctx_task_run_context_get_current ();
  PrefectCtxFlowRunContext *flow_ctx = prefect_ctx_flow_run_context_get_current ();
  PrefectCtxClient *client = NULL;

  if (task_ctx != NULL)
    client = prefect_ctx_run_context_get_client (PREFECT_CTX_RUN_CONTEXT (task_ctx));
  if (client == NULL && flow_ctx != NULL)
    client = prefect_ctx_run_context_get_client (PREFECT_CTX_RUN_CONTEXT (flow_ctx));
  if (client != NULL)
    return g_object_ref (client);
  {
    GError *error = NULL;

    client = prefect_ctx_client_get_default (&error);
    keep_read_error (error, "run store", NULL);
    return client;
  }
}

static PrefectCtxFlowRun *
api_read_flow_run (const char *flow_run_id)
{
  g_autoptr(PrefectCtxClient) client = reader_client ();
  GError *error = NULL;
  PrefectCtxFlowRun *flow_run = client != NULL ? prefect_ctx_client_read_flow_run (client, flow_run_id, NULL, &error) : NULL;

  keep_read_error (error, "flow run", flow_run_id);
  return flow_run;
}

static PrefectCtxTaskRun *
api_read_task_run (const char *task_run_id)
{
  g_autoptr(PrefectCtxClient) client = reader_client ();
  GError *error = NULL;
  PrefectCtxTaskRun *task_run = client != NULL ? prefect_ctx_client_read_task_run (client, task_run_id, NULL, &error) : NULL;

  keep_read_error (error, "task run", task_run_id);
  return task_run;
}

static PrefectCtxFlow *
api_read_flow (const char *flow_id)
{
  g_autoptr(PrefectCtxClient) client = reader_client ();
  GError *error = NULL;
  PrefectCtxFlow *flow = client != NULL ? prefect_ctx_client_read_flow (client, flow_id, NULL, &error) : NULL;

  keep_read_error (error, "flow", flow_id);
  return flow;
}

/* Deployments are read once per id and process, as Prefect caches them. */
static PrefectCtxDeployment *
api_read_deployment (const char *deployment_id)
{
  static GMutex lock;
  static GHashTable *cache;
  g_autoptr(PrefectCtxClient) client = NULL;
  PrefectCtxDeployment *deployment;

  prefect_ctx_mutex_lock (&lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  deployment = g_hash_table_lookup (cache, deployment_id);
  if (deployment != NULL)
    g_object_ref (deployment);
  prefect_ctx_mutex_unlock (&lock);
  if (deployment != NULL)
    return deployment;

  client = reader_client ();
  {
    GError *error = NULL;

    deployment = client != NULL ? prefect_ctx_client_read_deployment (client, deployment_id, NULL, &error) : NULL;
    keep_read_error (error, "deployment", deployment_id);
  }
  if (deployment == NULL)
    return NULL;

  prefect_ctx_mutex_lock (&lock);
  g_hash_table_replace (cache, g_strdup (deployment_id), g_object_ref (deployment));
  prefect_ctx_mutex_unlock (&lock);

  return deployment;
}

/* ---------------------------------------------------------------------------
 * What the contexts hold
 */

static PrefectCtxFlowRun *
context_flow_run (void)
{
  PrefectCtxFlowRunContext *ctx = prefect_ctx_flow_run_context_get_current ();

  return ctx != NULL ? prefect_ctx_flow_run_context_get_flow_run (ctx) : NULL;
}

static PrefectCtxTaskRun *
context_task_run (void)
{
  PrefectCtxTaskRunContext *ctx = prefect_ctx_task_run_context_get_current ();

  return ctx != NULL ? prefect_ctx_task_run_context_get_task_run (ctx) : NULL;
}

static const char *
env_flow_run_id (void)
{
  const char *id = g_getenv ("PREFECT__FLOW_RUN_ID");

  return id != NULL && *id != '\0' ? id : NULL;
}

/* flow_run.id: the flow context's flow run, the task context's flow run id,
 * then PREFECT__FLOW_RUN_ID. */
static char *
flow_run_id (void)
{
  PrefectCtxFlowRun *flow_run = context_flow_run ();
  PrefectCtxTaskRun *task_run;

  if (flow_run != NULL && prefect_ctx_flow_run_get_id (flow_run) != NULL)
    return g_strdup (prefect_ctx_flow_run_get_id (flow_run));

  task_run = context_task_run ();
  if (task_run != NULL && prefect_ctx_task_run_get_flow_run_id (task_run) != NULL)
    return g_strdup (prefect_ctx_task_run_get_flow_run_id (task_run));

  return g_strdup (env_flow_run_id ());
}

/* The current flow run: the flow context's, else the one flow_run.id names,
 * read from the API. */
static PrefectCtxFlowRun *
current_flow_run (void)
{
  PrefectCtxFlowRun *flow_run = context_flow_run ();
  g_autofree char *id = NULL;

  if (flow_run != NULL)
    return g_object_ref (flow_run);

  id = flow_run_id ();
  if (id == NULL)
    return NULL;

  /* Named by PREFECT__FLOW_RUN_ID: an ID the store does not know is a
   * misconfiguration, which Prefect raises. */
  {
    PrefectCtxFlowRun *read;

    if (context_task_run () == NULL)
      g_private_set (&keep_not_found, GINT_TO_POINTER (1));
    read = api_read_flow_run (id);
    g_private_set (&keep_not_found, NULL);
    return read;
  }
}

/* The flow run a parent task run belongs to: the current task context's,
 * if it is that task run, else the API's. */
static char *
flow_run_id_of_task_run (const char *task_run_id)
{
  PrefectCtxTaskRun *task_run = context_task_run ();
  g_autoptr(PrefectCtxTaskRun) read = NULL;

  if (task_run != NULL && g_strcmp0 (prefect_ctx_task_run_get_id (task_run), task_run_id) == 0)
    return g_strdup (prefect_ctx_task_run_get_flow_run_id (task_run));

  read = api_read_task_run (task_run_id);
  return read != NULL ? g_strdup (prefect_ctx_task_run_get_flow_run_id (read)) : NULL;
}

static char *
parent_flow_run_id (void)
{
  g_autoptr(PrefectCtxFlowRun) flow_run = current_flow_run ();
  const char *parent_task_run_id;

  if (flow_run == NULL)
    return NULL;

  parent_task_run_id = prefect_ctx_flow_run_get_parent_task_run_id (flow_run);
  if (parent_task_run_id == NULL)
    return NULL;

  return flow_run_id_of_task_run (parent_task_run_id);
}

/* The base URL setting of the current settings context, or NULL. */
static char *
settings_url (gboolean ui)
{
  PrefectCtxSettingsContext *ctx = prefect_ctx_settings_context_get_current ();
  PrefectCtxSettings *settings;
  const char *base;

  if (ctx == NULL)
    return NULL;

  settings = prefect_ctx_settings_context_get_settings (ctx);
  if (settings == NULL)
    return NULL;

  base = ui ? prefect_ctx_settings_get_ui_url (settings)
            : prefect_ctx_settings_get_api_url (settings);

  return base != NULL && *base != '\0' ? g_strdup (base) : NULL;
}

static char *
run_url (gboolean    ui,
         const char *path,
         const char *id)
{
  g_autofree char *base = NULL;

  if (id == NULL)
    return NULL;

  base = settings_url (ui);
  if (base == NULL)
    return NULL;

  return g_strconcat (base, path, id, NULL);
}

/* ---------------------------------------------------------------------------
 * flow_run
 */

static void
get_flow_run_id (Value *value)
{
  value_take_string (value, flow_run_id ());
}

static void
get_flow_run_tags (Value *value)
{
  g_autoptr(PrefectCtxFlowRun) flow_run = current_flow_run ();

  value_set_strv (value, flow_run != NULL ? prefect_ctx_flow_run_get_tags (flow_run) : NULL);
}

static void
get_flow_run_scheduled_start_time (Value *value)
{
  g_autoptr(PrefectCtxFlowRun) flow_run = current_flow_run ();
  GDateTime *expected = flow_run != NULL ? prefect_ctx_flow_run_get_expected_start_time (flow_run) : NULL;
  g_autoptr(GDateTime) now = NULL;

  if (expected != NULL)
    {
      value_set_datetime (value, expected);
      return;
    }

  now = g_date_time_new_now_utc ();
  value_set_datetime (value, now);
}

static void
get_flow_run_name (Value *value)
{
  g_autoptr(PrefectCtxFlowRun) flow_run = current_flow_run ();

  if (flow_run != NULL)
    value_set_string (value, prefect_ctx_flow_run_get_name (flow_run));
}

static void
get_flow_run_flow_name (Value *value)
{
  PrefectCtxFlowRunContext *ctx = prefect_ctx_flow_run_context_get_current ();
  PrefectCtxFlow *flow = ctx != NULL ? prefect_ctx_flow_run_context_get_flow (ctx) : NULL;
  g_autoptr(PrefectCtxFlowRun) flow_run = NULL;
  g_autoptr(PrefectCtxFlow) read = NULL;

  if (flow != NULL)
    {
      value_set_string (value, prefect_ctx_flow_get_name (flow));
      return;
    }

  flow_run = current_flow_run ();
  if (flow_run == NULL || prefect_ctx_flow_run_get_flow_id (flow_run) == NULL)
    return;

  read = api_read_flow (prefect_ctx_flow_run_get_flow_id (flow_run));
  if (read != NULL)
    value_set_string (value, prefect_ctx_flow_get_name (read));
}

static void
get_flow_run_flow_version (Value *value)
{
  PrefectCtxFlowRunContext *ctx = prefect_ctx_flow_run_context_get_current ();
  PrefectCtxFlow *flow = ctx != NULL ? prefect_ctx_flow_run_context_get_flow (ctx) : NULL;
  g_autoptr(PrefectCtxFlowRun) flow_run = NULL;

  if (flow != NULL)
    {
      value_set_string (value, prefect_ctx_flow_get_version (flow));
      return;
    }

  flow_run = current_flow_run ();
  if (flow_run != NULL)
    value_set_string (value, prefect_ctx_flow_run_get_flow_version (flow_run));
}

static void
get_flow_run_parameters (Value *value)
{
  PrefectCtxFlowRunContext *ctx = prefect_ctx_flow_run_context_get_current ();
  g_autoptr(PrefectCtxFlowRun) flow_run = NULL;

  if (ctx != NULL)
    {
      value_set_dict (value, prefect_ctx_flow_run_context_get_parameters (ctx));
      return;
    }

  flow_run = current_flow_run ();
  value_set_dict (value, flow_run != NULL ? prefect_ctx_flow_run_get_parameters (flow_run) : NULL);
}

static void
get_flow_run_parent_flow_run_id (Value *value)
{
  value_take_string (value, parent_flow_run_id ());
}

static void
get_flow_run_parent_deployment_id (Value *value)
{
  g_autofree char *parent_id = parent_flow_run_id ();
  g_autoptr(PrefectCtxFlowRun) parent = NULL;

  if (parent_id == NULL)
    return;

  parent = api_read_flow_run (parent_id);
  if (parent != NULL)
    value_set_string (value, prefect_ctx_flow_run_get_deployment_id (parent));
}

static void
get_flow_run_root_flow_run_id (Value *value)
{
  g_autofree char *root = parent_flow_run_id ();

  if (root == NULL)
    {
      value_take_string (value, flow_run_id ());
      return;
    }

  /* Walk up from the parent while the API knows more; without it, the
   * parent is the highest flow run known. */
  for (guint depth = 0; depth < MAX_FLOW_RUN_DEPTH; depth++)
    {
      g_autoptr(PrefectCtxFlowRun) flow_run = api_read_flow_run (root);
      const char *parent_task_run_id;
      g_autoptr(PrefectCtxTaskRun) parent_task_run = NULL;
      const char *next;

      if (flow_run == NULL)
        break;
      parent_task_run_id = prefect_ctx_flow_run_get_parent_task_run_id (flow_run);
      if (parent_task_run_id == NULL)
        break;
      parent_task_run = api_read_task_run (parent_task_run_id);
      next = parent_task_run != NULL ? prefect_ctx_task_run_get_flow_run_id (parent_task_run) : NULL;
      if (next == NULL)
        break;
      g_free (root);
      root = g_strdup (next);
    }

  value_set_string (value, root);
}

static void
get_flow_run_run_count (Value *value)
{
  g_autoptr(PrefectCtxFlowRun) flow_run = current_flow_run ();

  value_set_int (value, flow_run != NULL ? prefect_ctx_flow_run_get_run_count (flow_run) : 0);
}

static void
get_flow_run_api_url (Value *value)
{
  g_autofree char *id = flow_run_id ();

  value_take_string (value, run_url (FALSE, "/flow-runs/flow-run/", id));
}

static void
get_flow_run_ui_url (Value *value)
{
  g_autofree char *id = flow_run_id ();

  value_take_string (value, run_url (TRUE, "/flow-runs/flow-run/", id));
}

/* Prefect reads job variables from the flow context's flow run only; the
 * flow run model holds none, so the value is always None. */
static void
get_flow_run_job_variables (Value *value)
{
}

/* Sorted by name, as Python's dir() lists them. */
static const Attribute flow_run_attributes[] = {
  { "api_url", "str", get_flow_run_api_url },
  { "flow_name", "str", get_flow_run_flow_name },
  { "flow_version", "str", get_flow_run_flow_version },
  { "id", "str", get_flow_run_id },
  { "job_variables", "dict", get_flow_run_job_variables },
  { "name", "str", get_flow_run_name },
  { "parameters", "dict", get_flow_run_parameters },
  { "parent_deployment_id", "str", get_flow_run_parent_deployment_id },
  { "parent_flow_run_id", "str", get_flow_run_parent_flow_run_id },
  { "root_flow_run_id", "str", get_flow_run_root_flow_run_id },
  { "run_count", "int", get_flow_run_run_count },
  { "scheduled_start_time", "datetime", get_flow_run_scheduled_start_time },
  { "tags", "list", get_flow_run_tags },
  { "ui_url", "str", get_flow_run_ui_url },
  { NULL, NULL, NULL }
};

static const char * const flow_run_names[] = {
  "api_url", "flow_name", "flow_version", "id", "job_variables", "name", "parameters",
  "parent_deployment_id", "parent_flow_run_id", "root_flow_run_id", "run_count",
  "scheduled_start_time", "tags", "ui_url", NULL
};

/* ---------------------------------------------------------------------------
 * task_run: the task context only
 */

static void
get_task_run_id (Value *value)
{
  PrefectCtxTaskRun *task_run = context_task_run ();

  if (task_run != NULL)
    value_set_string (value, prefect_ctx_task_run_get_id (task_run));
}

static void
get_task_run_name (Value *value)
{
  PrefectCtxTaskRun *task_run = context_task_run ();

  if (task_run != NULL)
    value_set_string (value, prefect_ctx_task_run_get_name (task_run));
}

static void
get_task_run_tags (Value *value)
{
  PrefectCtxTaskRun *task_run = context_task_run ();

  value_set_strv (value, task_run != NULL ? prefect_ctx_task_run_get_tags (task_run) : NULL);
}

static void
get_task_run_parameters (Value *value)
{
  PrefectCtxTaskRunContext *ctx = prefect_ctx_task_run_context_get_current ();

  value_set_dict (value, ctx != NULL ? prefect_ctx_task_run_context_get_parameters (ctx) : NULL);
}

static void
get_task_run_run_count (Value *value)
{
  PrefectCtxTaskRun *task_run = context_task_run ();

  value_set_int (value, task_run != NULL ? prefect_ctx_task_run_get_run_count (task_run) : 0);
}

static void
get_task_run_task_name (Value *value)
{
  PrefectCtxTaskRunContext *ctx = prefect_ctx_task_run_context_get_current ();
  PrefectCtxTask *task = ctx != NULL ? prefect_ctx_task_run_context_get_task (ctx) : NULL;

  if (task != NULL)
    value_set_string (value, prefect_ctx_task_get_name (task));
}

static void
get_task_run_api_url (Value *value)
{
  PrefectCtxTaskRun *task_run = context_task_run ();

  if (task_run != NULL)
    value_take_string (value, run_url (FALSE, "/runs/task-run/", prefect_ctx_task_run_get_id (task_run)));
}

static void
get_task_run_ui_url (Value *value)
{
  PrefectCtxTaskRun *task_run = context_task_run ();

  if (task_run != NULL)
    value_take_string (value, run_url (TRUE, "/runs/task-run/", prefect_ctx_task_run_get_id (task_run)));
}

static const Attribute task_run_attributes[] = {
  { "api_url", "str", get_task_run_api_url },
  { "id", "str", get_task_run_id },
  { "name", "str", get_task_run_name },
  { "parameters", "dict", get_task_run_parameters },
  { "run_count", "int", get_task_run_run_count },
  { "tags", "list", get_task_run_tags },
  { "task_name", "str", get_task_run_task_name },
  { "ui_url", "str", get_task_run_ui_url },
  { NULL, NULL, NULL }
};

static const char * const task_run_names[] = {
  "api_url", "id", "name", "parameters", "run_count", "tags", "task_name", "ui_url", NULL
};

/* ---------------------------------------------------------------------------
 * deployment
 */

/* deployment.flow_run_id: the flow context's flow run, then
 * PREFECT__FLOW_RUN_ID (not the task context's). */
static char *
deployment_flow_run_id (void)
{
  PrefectCtxFlowRun *flow_run = context_flow_run ();

  if (flow_run != NULL && prefect_ctx_flow_run_get_id (flow_run) != NULL)
    return g_strdup (prefect_ctx_flow_run_get_id (flow_run));

  return g_strdup (env_flow_run_id ());
}

/* The deployment's flow run: the flow context's, else the API's. */
static PrefectCtxFlowRun *
deployment_flow_run (void)
{
  PrefectCtxFlowRun *flow_run = context_flow_run ();
  g_autofree char *id = NULL;

  if (flow_run != NULL)
    return g_object_ref (flow_run);

  id = deployment_flow_run_id ();
  return id != NULL ? api_read_flow_run (id) : NULL;
}

/* The most levels of subflows walked up to find the deployment's run. */
#define MAX_SUBFLOW_DEPTH 64

/* The flow run of the deployment that @flow_run runs in: @flow_run itself
 * when it has a deployment, else the nearest of its parent flow runs
 * (through each subflow's parent task run) that has one, as Prefect 3.6
 * keeps the root deployment run's ID and parameters for its nested flows.
 * NULL when none has a deployment. */
static PrefectCtxFlowRun *
deployment_root_run (PrefectCtxFlowRun *flow_run)
{
  g_autoptr(PrefectCtxFlowRun) run = flow_run != NULL ? g_object_ref (flow_run) : NULL;

  for (guint depth = 0; run != NULL && depth < MAX_SUBFLOW_DEPTH; depth++)
    {
      g_autoptr(PrefectCtxTaskRun) parent_task = NULL;
      const char *parent_task_id = prefect_ctx_flow_run_get_parent_task_run_id (run);

      if (prefect_ctx_flow_run_get_deployment_id (run) != NULL)
        return g_steal_pointer (&run);
      if (parent_task_id == NULL || (parent_task = api_read_task_run (parent_task_id)) == NULL
          || prefect_ctx_task_run_get_flow_run_id (parent_task) == NULL)
        return NULL;
      g_clear_object (&run);
      run = api_read_flow_run (prefect_ctx_task_run_get_flow_run_id (parent_task));
    }
  return NULL;
}

static char *
deployment_id (void)
{
  g_autoptr(PrefectCtxFlowRun) flow_run = deployment_flow_run ();
  g_autoptr(PrefectCtxFlowRun) root = deployment_root_run (flow_run);

  return root != NULL ? g_strdup (prefect_ctx_flow_run_get_deployment_id (root)) : NULL;
}

static void
get_deployment_id (Value *value)
{
  value_take_string (value, deployment_id ());
}

static void
get_deployment_flow_run_id (Value *value)
{
  value_take_string (value, deployment_flow_run_id ());
}

static void
get_deployment_name (Value *value)
{
  g_autofree char *id = deployment_id ();
  g_autoptr(PrefectCtxDeployment) deployment = id != NULL ? api_read_deployment (id) : NULL;

  if (deployment != NULL)
    value_set_string (value, prefect_ctx_deployment_get_name (deployment));
}

static void
get_deployment_version (Value *value)
{
  g_autofree char *id = deployment_id ();
  g_autoptr(PrefectCtxDeployment) deployment = id != NULL ? api_read_deployment (id) : NULL;

  if (deployment != NULL)
    value_set_string (value, prefect_ctx_deployment_get_version (deployment));
}

/* The parameters of the deployment's flow run, as the API stores them (of
 * the root deployment run in a subflow, as Prefect 3.6 gives them), else
 * of the flow run: the flow context's flow run record, else the API's. */
static void
get_deployment_parameters (Value *value)
{
  g_autoptr(PrefectCtxFlowRun) flow_run = deployment_flow_run ();
  g_autoptr(PrefectCtxFlowRun) root = deployment_root_run (flow_run);
  PrefectCtxFlowRun *source = root != NULL ? root : flow_run;

  value_set_dict (value, source != NULL ? prefect_ctx_flow_run_get_parameters (source) : NULL);
}

static const Attribute deployment_attributes[] = {
  { "flow_run_id", "str", get_deployment_flow_run_id },
  { "id", "str", get_deployment_id },
  { "name", "str", get_deployment_name },
  { "parameters", "dict", get_deployment_parameters },
  { "version", "str", get_deployment_version },
  { NULL, NULL, NULL }
};

static const char * const deployment_names[] = {
  "flow_run_id", "id", "name", "parameters", "version", NULL
};

/* ---------------------------------------------------------------------------
 * Modules
 */

static const Module modules[] = {
  { "deployment", "DEPLOYMENT", deployment_attributes, deployment_names },
  { "flow_run", "FLOW_RUN", flow_run_attributes, flow_run_names },
  { "task_run", "TASK_RUN", task_run_attributes, task_run_names },
};

static const char * const module_names[] = { "deployment", "flow_run", "task_run", NULL };

static const Module *
find_module (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (modules); i++)
    if (strcmp (modules[i].name, name) == 0)
      return &modules[i];

  return NULL;
}

static const Attribute *
find_attribute (const Module *module,
                const char   *name)
{
  for (const Attribute *attribute = module->attributes; attribute->name != NULL; attribute++)
    if (strcmp (attribute->name, name) == 0)
      return attribute;

  return NULL;
}

/* ---------------------------------------------------------------------------
 * Mocks
 */

static gboolean
parse_int (const char *text,
           int        *out)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  gint64 number;

  if (!g_ascii_string_to_signed (copy, 10, G_MININT, G_MAXINT, &number, NULL))
    return FALSE;

  *out = (int) number;
  return TRUE;
}

static gboolean
parse_float (const char *text,
             double     *out)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;

  if (*copy == '\0')
    return FALSE;

  *out = g_ascii_strtod (copy, &end);
  return end != NULL && *end == '\0';
}

/* An ISO 8601 date-time, or a date (midnight); a time without an offset is
 * taken as UTC. */
static GDateTime *
parse_datetime (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *copy = g_strstrip (g_strdup (text));
  GDateTime *datetime;

  datetime = g_date_time_new_from_iso8601 (copy, utc);
  if (datetime == NULL && strlen (copy) == 10)
    {
      g_autofree char *midnight = g_strconcat (copy, "T00:00:00", NULL);

      datetime = g_date_time_new_from_iso8601 (midnight, utc);
    }

  return datetime;
}

static const char *
kind_name (ValueKind kind)
{
  switch (kind)
    {
    case KIND_INT: return "int";
    case KIND_BOOL: return "bool";
    case KIND_FLOAT: return "float";
    case KIND_DATETIME: return "datetime";
    case KIND_NONE:
    case KIND_STR:
    case KIND_LIST:
    case KIND_DICT:
    default: return "str";
    }
}

/* Replaces @value with @mock cast to the type of @value (Prefect casts by
 * the type of the real value: None and str take the string as it is). */
static gboolean
apply_mock (Value       *value,
            const char  *env_key,
            const char  *mock,
            GError     **error)
{
  ValueKind kind = value->kind;
  g_autoptr(GDateTime) datetime = NULL;
  gboolean ok = TRUE;
  double number;
  int integer;

  switch (kind)
    {
    case KIND_LIST:
    case KIND_DICT:
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "This runtime context attribute cannot be mocked using an environment "
                           "variable. Please use monkeypatch instead.");
      return FALSE;

    case KIND_NONE:
    case KIND_STR:
      value_clear (value);
      value_set_string (value, mock);
      return TRUE;

    case KIND_BOOL:
      {
        g_autofree char *lower = g_utf8_strdown (mock, -1);

        value_clear (value);
        value->kind = KIND_BOOL;
        value->variant = g_variant_ref_sink (g_variant_new_boolean (strcmp (lower, "true") == 0));
        return TRUE;
      }

    case KIND_INT:
      ok = parse_int (mock, &integer);
      if (ok)
        {
          value_clear (value);
          value_set_int (value, integer);
        }
      break;

    case KIND_FLOAT:
      ok = parse_float (mock, &number);
      if (ok)
        {
          value_clear (value);
          value->kind = KIND_FLOAT;
          value->variant = g_variant_ref_sink (g_variant_new_double (number));
        }
      break;

    case KIND_DATETIME:
      datetime = parse_datetime (mock);
      ok = datetime != NULL;
      if (ok)
        {
          value_clear (value);
          value_set_datetime (value, datetime);
        }
      break;

    default:
      g_assert_not_reached ();
    }

  if (!ok)
    g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                 "The environment variable %s does not hold a valid %s: '%s'",
                 env_key, kind_name (kind), mock);

  return ok;
}

/* ---------------------------------------------------------------------------
 * Public API
 */

static gboolean
check_utf8 (const char  *what,
            const char  *text,
            GError     **error)
{
  if (g_utf8_validate (text, -1, NULL))
    return TRUE;

  g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
               "The runtime %s name is not valid UTF-8", what);
  return FALSE;
}

gboolean
runtime_get_value (const char  *module_name,
                   const char  *attribute_name,
                   gboolean     use_mocks,
                   Value       *value,
                   GError     **error)
{
  const Module *module;
  const Attribute *attribute;
  g_autofree char *upper = NULL;
  g_autofree char *env_key = NULL;
  const char *mock = NULL;

  if (!check_utf8 ("module", module_name, error) ||
      !check_utf8 ("attribute", attribute_name, error))
    return FALSE;

  module = find_module (module_name);
  if (module == NULL)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "No module named 'prefect.runtime.%s': the runtime modules are "
                   "deployment, flow_run and task_run", module_name);
      return FALSE;
    }

  attribute = find_attribute (module, attribute_name);

  if (use_mocks)
    {
      upper = g_utf8_strup (attribute_name, -1);
      env_key = g_strconcat ("PREFECT__RUNTIME__", module->env_name, "__", upper, NULL);
      mock = g_getenv (env_key);
    }

  if (attribute == NULL)
    {
      if (mock != NULL)
        {
          value_set_string (value, mock);
          return TRUE;
        }

      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND,
                   "prefect.runtime.%s has no attribute '%s'", module->name, attribute_name);
      return FALSE;
    }

  /* As in Prefect, the real value is computed first: its type decides the
   * cast of a mock. */
  attribute->get (value);

  if (mock != NULL && !apply_mock (value, env_key, mock, error))
    {
      value_clear (value);
      return FALSE;
    }

  return TRUE;
}

/**
 * prefect_ctx_runtime_get:
 * @module: a runtime module: `flow_run`, `task_run` or `deployment`
 * @attribute: the name of an attribute of @module
 * @error: return location for a #GError
 *
 * Gets an attribute of Prefect's `prefect.runtime`: information about the
 * current flow run, task run and deployment, looked up at each call from the
 * contexts entered on the calling thread. A known attribute never fails for
 * want of information: it then has its empty value (%NULL for None, an
 * empty list or dictionary, 0, or now for the scheduled start time).
 *
 * The value's type depends on the attribute's type
 * ([func@PrefectCtx.runtime_get_attribute_type]):
 *
 * | type | GVariant type | empty value |
 * |---|---|---|
 * | `str` | `s` | %NULL (None) |
 * | `int` | `i` | `0` |
 * | `list` | `as` | `[]` |
 * | `dict` | `a{sv}` | `{}` (`flow_run.job_variables`: %NULL) |
 * | `datetime` | `s`, ISO 8601 in UTC such as `2024-05-01T12:30:00Z` (with microseconds when not 0) | now |
 *
 * The attributes, and where their values come from, highest first:
 *
 * | attribute | from |
 * |---|---|
 * | `flow_run.id` | the flow context's flow run, the task context's flow run id, the environment variable `PREFECT__FLOW_RUN_ID` |
 * | `flow_run.tags`, `name`, `run_count` | the flow context's flow run, the API |
 * | `flow_run.scheduled_start_time` | the flow run's expected start time, the API, now |
 * | `flow_run.flow_name`, `flow_version` | the flow context's flow (else the flow run's `flow_version`), the API |
 * | `flow_run.parameters` | the flow context's parameters, the API |
 * | `flow_run.parent_flow_run_id` | the flow run of the flow run's parent task run (the current task context's if it is that task run), the API |
 * | `flow_run.parent_deployment_id` | the parent flow run's deployment, from the API |
 * | `flow_run.root_flow_run_id` | the parents walked to the top through the API; the flow run's own id without a parent |
 * | `flow_run.api_url`, `ui_url` | `{PREFECT_API_URL}/flow-runs/flow-run/{id}` (`PREFECT_UI_URL` likewise), from the current settings context; %NULL without an id or without the setting |
 * | `flow_run.job_variables` | the flow context's flow run only; the flow run model holds no job variables yet, so it is always %NULL |
 * | `task_run.id`, `name`, `tags`, `parameters`, `run_count`, `task_name` | the task context only |
 * | `task_run.api_url`, `ui_url` | `{PREFECT_API_URL}/runs/task-run/{id}` (`PREFECT_UI_URL` likewise) |
 * | `deployment.id` | the flow context's flow run's deployment id, the API (by `deployment.flow_run_id`); in a subflow, the nearest parent flow run's that has one (the root deployment run's, as Prefect 3.6), found through the API by the parent task runs |
 * | `deployment.flow_run_id` | the flow context's flow run, `PREFECT__FLOW_RUN_ID` |
 * | `deployment.name`, `version` | the API (the deployment read once) |
 * | `deployment.parameters` | the parameters of the deployment's flow run record (the root deployment run's in a subflow, as for `deployment.id`), else of the flow run's: the flow context's, the API |
 *
 * "The API" is the run store or Prefect server, read by id through the
 * client of the current run context, else [func@PrefectCtx.Client.get_default]
 * (so with only `PREFECT__FLOW_RUN_ID` set, the flow run's attributes come
 * from the default store, as Prefect reads them from its API). When a
 * record cannot be read, the attribute has the value of the source after
 * it, or its empty value.
 *
 * Mocks, as in Prefect: if the environment variable
 * `PREFECT__RUNTIME__{MODULE}__{ATTRIBUTE}` (both upper-case, such as
 * `PREFECT__RUNTIME__TASK_RUN__FAKE_KEY`) is set, it is read at each call
 * and its value replaces the attribute's:
 *
 * - for an unknown attribute, the string as it is (`s`);
 * - for a known attribute, the real value is computed first, then the
 *   string is cast to its type: a `str` or a None value gives the string,
 *   an `int` is parsed as a decimal number, a `datetime`
 *   (`flow_run.scheduled_start_time`) as an ISO 8601 date-time or date, a
 *   time without an offset being UTC. A string that does not parse is
 *   %PREFECT_CTX_ERROR_INVALID_ARGUMENT naming the variable. A list or
 *   dictionary cannot be mocked: %PREFECT_CTX_ERROR_INVALID_ARGUMENT
 *   (`This runtime context attribute cannot be mocked using an environment
 *   variable. Please use monkeypatch instead.`).
 *
 * An unknown attribute that is not mocked is %PREFECT_CTX_ERROR_NOT_FOUND
 * (`prefect.runtime.flow_run has no attribute 'x'`, Prefect's message); an
 * unknown module is %PREFECT_CTX_ERROR_INVALID_ARGUMENT.
 *
 * A run, flow or deployment that an ID names (in a context or in a
 * `PREFECT__*_ID` variable) but that the store cannot give, because it is
 * unknown or the server cannot be reached, is an error with the store's
 * error code, naming the ID (`Cannot read the flow run ID of
 * prefect.runtime: Flow run not found`): Prefect raises then; %NULL with
 * no error means there is no run. The typed getters
 * ([func@PrefectCtx.runtime_flow_run_get_name] and the others) have no
 * error to give and return their default instead.
 *
 * Returns: (transfer full) (nullable): the value, or %NULL with @error
 *   unset for None; %NULL with @error set on failure
 */
GVariant *
prefect_ctx_runtime_get (const char  *module,
                         const char  *attribute,
                         GError     **error)
{
  Value value = { KIND_NONE, NULL };

  g_return_val_if_fail (module != NULL, NULL);
  g_return_val_if_fail (attribute != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_private_replace (&read_error, NULL);
  if (!runtime_get_value (module, attribute, TRUE, &value, error))
    {
      g_private_replace (&read_error, NULL);
      return NULL;
    }

  /* A run named by the environment (or a context) that the store cannot
   * give: Prefect raises; None is only for "no run". */
  if (g_private_get (&read_error) != NULL)
    {
      g_propagate_error (error, g_private_get (&read_error));
      g_private_set (&read_error, NULL);
      g_clear_pointer (&value.variant, g_variant_unref);
      return NULL;
    }

  return value.variant;
}

/**
 * prefect_ctx_runtime_list_modules:
 *
 * Lists the runtime modules: `deployment`, `flow_run` and `task_run`.
 *
 * Returns: (transfer none) (array zero-terminated=1): the module names,
 *   sorted
 */
const char * const *
prefect_ctx_runtime_list_modules (void)
{
  return module_names;
}

/**
 * prefect_ctx_runtime_list_attributes:
 * @module: a runtime module name
 *
 * Lists the attributes of a runtime module, as Python's `dir()` lists them
 * for Prefect's.
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): the
 *   attribute names, sorted, or %NULL if @module is not a runtime module
 */
const char * const *
prefect_ctx_runtime_list_attributes (const char *module)
{
  const Module *found;

  g_return_val_if_fail (module != NULL, NULL);

  found = find_module (module);
  return found != NULL ? found->names : NULL;
}

/**
 * prefect_ctx_runtime_get_attribute_type:
 * @module: a runtime module name
 * @attribute: an attribute name
 *
 * Gets the type of a runtime attribute, as its Python type name: `str`,
 * `int`, `list` (of strings), `dict` or `datetime`. Bindings use it to turn
 * the value of [func@PrefectCtx.runtime_get] into a native value (a
 * `datetime` is an ISO 8601 string in the #GVariant).
 *
 * Returns: (nullable): the type name, or %NULL for an unknown module or
 *   attribute
 */
const char *
prefect_ctx_runtime_get_attribute_type (const char *module,
                                        const char *attribute)
{
  const Module *found;
  const Attribute *attr;

  g_return_val_if_fail (module != NULL, NULL);
  g_return_val_if_fail (attribute != NULL, NULL);

  found = find_module (module);
  if (found == NULL)
    return NULL;

  attr = find_attribute (found, attribute);
  return attr != NULL ? attr->type : NULL;
}
