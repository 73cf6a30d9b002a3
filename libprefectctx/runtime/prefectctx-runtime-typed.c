/* prefectctx-runtime-typed.c: the typed C getters of prefect.runtime
 * (layer 5), over runtime_get_value ()
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-runtime.h"
#include "runtime/prefectctx-runtime-private.h"

/* The value of a known attribute, mocks applied; a mock that cannot be cast
 * is reported with a warning and the real value returned. */
static GVariant *
convenience_get (const char *module,
                 const char *attribute)
{
  g_autoptr(GError) error = NULL;
  Value value = { KIND_NONE, NULL };

  if (runtime_get_value (module, attribute, TRUE, &value, &error))
    return value.variant;

  g_warning ("prefect.runtime.%s.%s: %s; the mock is ignored", module, attribute, error->message);
  g_clear_error (&error);
  if (!runtime_get_value (module, attribute, FALSE, &value, &error))
    g_assert_not_reached ();

  return value.variant;
}

static char *
convenience_get_string (const char *module,
                        const char *attribute)
{
  g_autoptr(GVariant) variant = convenience_get (module, attribute);

  return variant != NULL ? g_variant_dup_string (variant, NULL) : NULL;
}

static GStrv
convenience_get_strv (const char *module,
                      const char *attribute)
{
  g_autoptr(GVariant) variant = convenience_get (module, attribute);

  return g_variant_dup_strv (variant, NULL);
}

static int
convenience_get_int (const char *module,
                     const char *attribute)
{
  g_autoptr(GVariant) variant = convenience_get (module, attribute);

  return g_variant_get_int32 (variant);
}

/* Every convenience is documented with a pointer to the table of
 * prefect_ctx_runtime_get (), which says where the value comes from. */

/**
 * prefect_ctx_runtime_flow_run_get_id:
 *
 * Gets `prefect.runtime.flow_run.id`: the id of the current flow run (see
 * [func@PrefectCtx.runtime_get] for where it comes from and for mocks).
 * A mock that cannot be used is reported with a warning and ignored.
 *
 * Returns: (transfer full) (nullable): the flow run id, or %NULL
 */
char *
prefect_ctx_runtime_flow_run_get_id (void)
{
  return convenience_get_string ("flow_run", "id");
}

/**
 * prefect_ctx_runtime_flow_run_get_tags:
 *
 * Gets `prefect.runtime.flow_run.tags`: the tags of the current flow run
 * (see [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (array zero-terminated=1): the tags; empty, never
 *   %NULL, outside a flow run
 */
GStrv
prefect_ctx_runtime_flow_run_get_tags (void)
{
  return convenience_get_strv ("flow_run", "tags");
}

/**
 * prefect_ctx_runtime_flow_run_get_scheduled_start_time:
 *
 * Gets `prefect.runtime.flow_run.scheduled_start_time`: when the current
 * flow run was expected to start, now outside a flow run (see
 * [func@PrefectCtx.runtime_get]). A mock that cannot be used is reported
 * with a warning and ignored.
 *
 * Returns: (transfer full): the scheduled start time, in UTC
 */
GDateTime *
prefect_ctx_runtime_flow_run_get_scheduled_start_time (void)
{
  g_autoptr(GVariant) variant = convenience_get ("flow_run", "scheduled_start_time");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  return g_date_time_new_from_iso8601 (g_variant_get_string (variant, NULL), utc);
}

/**
 * prefect_ctx_runtime_flow_run_get_name:
 *
 * Gets `prefect.runtime.flow_run.name`: the name of the current flow run
 * (see [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (nullable): the name, or %NULL
 */
char *
prefect_ctx_runtime_flow_run_get_name (void)
{
  return convenience_get_string ("flow_run", "name");
}

/**
 * prefect_ctx_runtime_flow_run_get_flow_name:
 *
 * Gets `prefect.runtime.flow_run.flow_name`: the name of the flow of the
 * current flow run (see [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (nullable): the flow name, or %NULL
 */
char *
prefect_ctx_runtime_flow_run_get_flow_name (void)
{
  return convenience_get_string ("flow_run", "flow_name");
}

/**
 * prefect_ctx_runtime_flow_run_get_flow_version:
 *
 * Gets `prefect.runtime.flow_run.flow_version`: the version of the flow of
 * the current flow run (see [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (nullable): the flow version, or %NULL
 */
char *
prefect_ctx_runtime_flow_run_get_flow_version (void)
{
  return convenience_get_string ("flow_run", "flow_version");
}

/**
 * prefect_ctx_runtime_flow_run_get_parameters:
 *
 * Gets `prefect.runtime.flow_run.parameters`: the parameters of the current
 * flow run (see [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full): the parameters, an `a{sv}` dictionary, empty
 *   outside a flow run
 */
GVariant *
prefect_ctx_runtime_flow_run_get_parameters (void)
{
  return convenience_get ("flow_run", "parameters");
}

/**
 * prefect_ctx_runtime_flow_run_get_parent_flow_run_id:
 *
 * Gets `prefect.runtime.flow_run.parent_flow_run_id`: the id of the flow
 * run that started the current one as a subflow (see
 * [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (nullable): the parent flow run id, or %NULL
 */
char *
prefect_ctx_runtime_flow_run_get_parent_flow_run_id (void)
{
  return convenience_get_string ("flow_run", "parent_flow_run_id");
}

/**
 * prefect_ctx_runtime_flow_run_get_parent_deployment_id:
 *
 * Gets `prefect.runtime.flow_run.parent_deployment_id`: the deployment of
 * the parent flow run (see [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (nullable): the parent deployment id, or %NULL
 */
char *
prefect_ctx_runtime_flow_run_get_parent_deployment_id (void)
{
  return convenience_get_string ("flow_run", "parent_deployment_id");
}

/**
 * prefect_ctx_runtime_flow_run_get_root_flow_run_id:
 *
 * Gets `prefect.runtime.flow_run.root_flow_run_id`: the id of the top flow
 * run above the current one, its own id if it has no parent (see
 * [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (nullable): the root flow run id, or %NULL
 */
char *
prefect_ctx_runtime_flow_run_get_root_flow_run_id (void)
{
  return convenience_get_string ("flow_run", "root_flow_run_id");
}

/**
 * prefect_ctx_runtime_flow_run_get_run_count:
 *
 * Gets `prefect.runtime.flow_run.run_count`: how many times the current
 * flow run has run (see [func@PrefectCtx.runtime_get]). A mock that cannot
 * be used is reported with a warning and ignored.
 *
 * Returns: the run count, 0 outside a flow run
 */
int
prefect_ctx_runtime_flow_run_get_run_count (void)
{
  return convenience_get_int ("flow_run", "run_count");
}

/**
 * prefect_ctx_runtime_flow_run_get_api_url:
 *
 * Gets `prefect.runtime.flow_run.api_url`:
 * `{PREFECT_API_URL}/flow-runs/flow-run/{id}` (see
 * [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (nullable): the URL, or %NULL without a flow
 *   run id or without `PREFECT_API_URL`
 */
char *
prefect_ctx_runtime_flow_run_get_api_url (void)
{
  return convenience_get_string ("flow_run", "api_url");
}

/**
 * prefect_ctx_runtime_flow_run_get_ui_url:
 *
 * Gets `prefect.runtime.flow_run.ui_url`:
 * `{PREFECT_UI_URL}/flow-runs/flow-run/{id}` (see
 * [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (nullable): the URL, or %NULL without a flow
 *   run id or without `PREFECT_UI_URL`
 */
char *
prefect_ctx_runtime_flow_run_get_ui_url (void)
{
  return convenience_get_string ("flow_run", "ui_url");
}

/**
 * prefect_ctx_runtime_flow_run_get_job_variables:
 *
 * Gets `prefect.runtime.flow_run.job_variables`: the job variables of the
 * flow context's flow run (see [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (nullable): the job variables, an `a{sv}`
 *   dictionary, or %NULL when there are none
 */
GVariant *
prefect_ctx_runtime_flow_run_get_job_variables (void)
{
  g_autoptr(GVariant) variant = convenience_get ("flow_run", "job_variables");

  /* A mock of the None value is a string: not job variables. */
  if (variant == NULL || !g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT))
    return NULL;

  return g_steal_pointer (&variant);
}

/**
 * prefect_ctx_runtime_task_run_get_id:
 *
 * Gets `prefect.runtime.task_run.id`: the id of the current task run (see
 * [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (nullable): the task run id, or %NULL
 */
char *
prefect_ctx_runtime_task_run_get_id (void)
{
  return convenience_get_string ("task_run", "id");
}

/**
 * prefect_ctx_runtime_task_run_get_name:
 *
 * Gets `prefect.runtime.task_run.name`: the name of the current task run
 * (see [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (nullable): the name, or %NULL
 */
char *
prefect_ctx_runtime_task_run_get_name (void)
{
  return convenience_get_string ("task_run", "name");
}

/**
 * prefect_ctx_runtime_task_run_get_tags:
 *
 * Gets `prefect.runtime.task_run.tags`: the tags of the current task run
 * (see [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (array zero-terminated=1): the tags; empty, never
 *   %NULL, outside a task run
 */
GStrv
prefect_ctx_runtime_task_run_get_tags (void)
{
  return convenience_get_strv ("task_run", "tags");
}

/**
 * prefect_ctx_runtime_task_run_get_parameters:
 *
 * Gets `prefect.runtime.task_run.parameters`: the parameters of the current
 * task run (see [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full): the parameters, an `a{sv}` dictionary, empty
 *   outside a task run
 */
GVariant *
prefect_ctx_runtime_task_run_get_parameters (void)
{
  return convenience_get ("task_run", "parameters");
}

/**
 * prefect_ctx_runtime_task_run_get_run_count:
 *
 * Gets `prefect.runtime.task_run.run_count`: how many times the current
 * task run has run (see [func@PrefectCtx.runtime_get]). A mock that cannot
 * be used is reported with a warning and ignored.
 *
 * Returns: the run count, 0 outside a task run
 */
int
prefect_ctx_runtime_task_run_get_run_count (void)
{
  return convenience_get_int ("task_run", "run_count");
}

/**
 * prefect_ctx_runtime_task_run_get_task_name:
 *
 * Gets `prefect.runtime.task_run.task_name`: the name of the task of the
 * current task run (see [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (nullable): the task name, or %NULL
 */
char *
prefect_ctx_runtime_task_run_get_task_name (void)
{
  return convenience_get_string ("task_run", "task_name");
}

/**
 * prefect_ctx_runtime_task_run_get_api_url:
 *
 * Gets `prefect.runtime.task_run.api_url`:
 * `{PREFECT_API_URL}/runs/task-run/{id}` (see [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (nullable): the URL, or %NULL outside a task run
 *   or without `PREFECT_API_URL`
 */
char *
prefect_ctx_runtime_task_run_get_api_url (void)
{
  return convenience_get_string ("task_run", "api_url");
}

/**
 * prefect_ctx_runtime_task_run_get_ui_url:
 *
 * Gets `prefect.runtime.task_run.ui_url`:
 * `{PREFECT_UI_URL}/runs/task-run/{id}` (see [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (nullable): the URL, or %NULL outside a task run
 *   or without `PREFECT_UI_URL`
 */
char *
prefect_ctx_runtime_task_run_get_ui_url (void)
{
  return convenience_get_string ("task_run", "ui_url");
}

/**
 * prefect_ctx_runtime_deployment_get_id:
 *
 * Gets `prefect.runtime.deployment.id`: the deployment of the current flow
 * run (see [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (nullable): the deployment id, or %NULL
 */
char *
prefect_ctx_runtime_deployment_get_id (void)
{
  return convenience_get_string ("deployment", "id");
}

/**
 * prefect_ctx_runtime_deployment_get_flow_run_id:
 *
 * Gets `prefect.runtime.deployment.flow_run_id`: the flow context's flow
 * run id, else `PREFECT__FLOW_RUN_ID` (see [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (nullable): the flow run id, or %NULL
 */
char *
prefect_ctx_runtime_deployment_get_flow_run_id (void)
{
  return convenience_get_string ("deployment", "flow_run_id");
}

/**
 * prefect_ctx_runtime_deployment_get_name:
 *
 * Gets `prefect.runtime.deployment.name` (see [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (nullable): the deployment name, or %NULL
 */
char *
prefect_ctx_runtime_deployment_get_name (void)
{
  return convenience_get_string ("deployment", "name");
}

/**
 * prefect_ctx_runtime_deployment_get_version:
 *
 * Gets `prefect.runtime.deployment.version` (see
 * [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full) (nullable): the deployment version, or %NULL
 */
char *
prefect_ctx_runtime_deployment_get_version (void)
{
  return convenience_get_string ("deployment", "version");
}

/**
 * prefect_ctx_runtime_deployment_get_parameters:
 *
 * Gets `prefect.runtime.deployment.parameters`: the parameters of the
 * deployment's flow run (see [func@PrefectCtx.runtime_get]).
 *
 * Returns: (transfer full): the parameters, an `a{sv}` dictionary, empty
 *   when unknown
 */
GVariant *
prefect_ctx_runtime_deployment_get_parameters (void)
{
  return convenience_get ("deployment", "parameters");
}
