/* prefectctx-demo.c: the demo flow of `prefectctx demo`
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One flow run that shows what libprefectctx does, each body printing what
 * it sees through the library (and nothing it was handed by its caller):
 *
 *   flow "etl-demo" (parameters source, batches; run-level custom context
 *                    team=data, request_id=req-42; tag demo)
 *   ├── tags("etl")
 *   │   ├── extract            a task called on the flow's thread
 *   │   └── tags("nightly")
 *   │       └── transform ×N   tasks submitted to worker threads; they see
 *   │                          the tags and custom context of the caller
 *   ├── custom_context(stage=publish)
 *   │   └── publish            fails on its first attempt, retried once
 *   └── report                 a subflow, with its own task summarize
 *
 * Log lines written with g_info () inside the runs become the runs' logs
 * (prefect_ctx_install_log_writer ()). examples/demo.py and
 * examples/demo.js are the same demo in Python and JavaScript.
 */
#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "demo"

#include "prefectctx-demo.h"

#include <json-glib/json-glib.h>

typedef struct
{
  PrefectCtxTask     *extract;
  PrefectCtxTask     *transform;
  PrefectCtxTask     *publish;
  PrefectCtxTask     *summarize;
  PrefectCtxFlow     *report;
  GThread            *main_thread;
  gboolean            narrate;
  int                 publish_attempts;  /* atomic */
  PrefectCtxDemoRun  *run;
} Demo;

void
prefect_ctx_demo_run_clear (PrefectCtxDemoRun *run)
{
  g_clear_pointer (&run->flow_run_id, g_free);
  g_clear_pointer (&run->subflow_run_id, g_free);
  g_clear_pointer (&run->result, g_variant_unref);
}

/* ---- what a body sees --------------------------------------------------- */

static char *
describe_custom_context (void)
{
  g_autoptr(GHashTable) custom = prefect_ctx_get_custom_context ();
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (custom), (GCompareFunc) g_strcmp0);
  GString *out = g_string_new ("{");

  for (GList *l = keys; l != NULL; l = l->next)
    g_string_append_printf (out, "%s%s=%s", l == keys ? "" : ", ",
                            (char *) l->data, (char *) g_hash_table_lookup (custom, l->data));
  g_string_append_c (out, '}');

  return g_string_free (out, FALSE);
}

static char *
describe_tags (void)
{
  PrefectCtxTagsContext *tags = prefect_ctx_tags_context_get_current ();
  g_autofree char *joined = g_strjoinv (", ", (char **) prefect_ctx_tags_context_get_current_tags (tags));

  return g_strdup_printf ("{%s}", joined);
}

/* One line: which run this is (from prefect.runtime), on which thread, with
 * which tags and custom context, and what it is doing. */
static void
narrate (Demo       *demo,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static void
narrate (Demo       *demo,
         const char *format,
         ...)
{
  g_autofree char *task_run = prefect_ctx_runtime_task_run_get_name ();
  g_autofree char *flow_run = prefect_ctx_runtime_flow_run_get_name ();
  g_autofree char *who = task_run != NULL ? g_strdup_printf ("task run %s", task_run)
                                          : g_strdup_printf ("flow run %s", flow_run);
  g_autofree char *tags = describe_tags ();
  g_autofree char *custom = describe_custom_context ();
  g_autofree char *what = NULL;
  va_list args;

  if (!demo->narrate)
    return;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_print ("  %-26s %-6s tags %-24s custom %s\n      %s\n", who,
           g_thread_self () == demo->main_thread ? "main" : "worker",
           tags, custom, what);
}

static gint64
lookup_int (GVariant   *parameters,
            const char *key)
{
  gint64 value = 0;

  g_variant_lookup (parameters, key, "x", &value);
  return value;
}

static GVariant *
int_parameter (const char *key,
               gint64      value)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, key, "x", value);
  return g_variant_dict_end (&dict);
}

static gboolean
enter (gpointer   context,
       GError   **error)
{
  return prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (context), error);
}

static void
leave (gpointer context)
{
  g_autoptr(GError) error = NULL;

  /* Contexts are exited in the order they were entered: this cannot fail. */
  if (!prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (context), &error))
    g_critical ("Cannot exit a context: %s", error->message);
}

/* ---- tasks -------------------------------------------------------------- */

static GVariant *
extract_body (PrefectCtxRunContext  *context,
              GVariant              *parameters,
              gpointer               user_data,
              GError               **error)
{
  Demo *demo = user_data;
  gint64 batches = lookup_int (parameters, "batches");
  const char *source = NULL;

  g_variant_lookup (parameters, "source", "&s", &source);
  narrate (demo, "reads %" G_GINT64_FORMAT " batches from %s", batches, source);
  g_info ("Extracted %" G_GINT64_FORMAT " batches from %s", batches, source);

  return g_variant_new_int64 (batches);
}

static GVariant *
transform_body (PrefectCtxRunContext  *context,
                GVariant              *parameters,
                gpointer               user_data,
                GError               **error)
{
  Demo *demo = user_data;
  gint64 batch = lookup_int (parameters, "batch");
  gint64 rows = (batch + 1) * 100;

  /* Later batches are quicker, so the workers finish out of order. */
  g_usleep ((gulong) (3 - MIN (batch, 2)) * 50 * 1000);
  narrate (demo, "transforms batch %" G_GINT64_FORMAT ": %" G_GINT64_FORMAT " rows", batch, rows);
  g_info ("Batch %" G_GINT64_FORMAT ": %" G_GINT64_FORMAT " rows transformed", batch, rows);

  return g_variant_new_int64 (rows);
}

static GVariant *
publish_body (PrefectCtxRunContext  *context,
              GVariant              *parameters,
              gpointer               user_data,
              GError               **error)
{
  Demo *demo = user_data;
  int attempt = g_atomic_int_add (&demo->publish_attempts, 1) + 1;
  gint64 rows = lookup_int (parameters, "rows");

  if (attempt == 1)
    {
      narrate (demo, "attempt %d: the warehouse is busy, fails (retried)", attempt);
      g_info ("Warehouse busy on attempt %d", attempt);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, "Warehouse busy (try again)");
      return NULL;
    }

  narrate (demo, "attempt %d: publishes %" G_GINT64_FORMAT " rows", attempt, rows);
  g_info ("Published %" G_GINT64_FORMAT " rows on attempt %d", rows, attempt);

  return g_variant_new_int64 (rows);
}

static GVariant *
summarize_body (PrefectCtxRunContext  *context,
                GVariant              *parameters,
                gpointer               user_data,
                GError               **error)
{
  Demo *demo = user_data;
  g_autofree char *parent = prefect_ctx_runtime_flow_run_get_parent_flow_run_id ();
  g_autofree char *summary = g_strdup_printf ("%" G_GINT64_FORMAT " rows published",
                                              lookup_int (parameters, "rows"));

  narrate (demo, "summarizes in a subflow whose parent flow run is %s", parent != NULL ? parent : "?");
  g_info ("Summary: %s", summary);

  return g_variant_new_string (summary);
}

/* ---- flows -------------------------------------------------------------- */

static GVariant *
report_body (PrefectCtxRunContext  *context,
             GVariant              *parameters,
             gpointer               user_data,
             GError               **error)
{
  Demo *demo = user_data;
  PrefectCtxFlowRun *flow_run = prefect_ctx_flow_run_context_get_flow_run (PREFECT_CTX_FLOW_RUN_CONTEXT (context));

  g_free (demo->run->subflow_run_id);
  demo->run->subflow_run_id = g_strdup (prefect_ctx_flow_run_get_id (flow_run));
  narrate (demo, "the subflow starts");

  return prefect_ctx_task_call (demo->summarize, parameters, summarize_body, demo, error);
}

static GVariant *
demo_flow_body (PrefectCtxRunContext  *context,
                GVariant              *parameters,
                gpointer               user_data,
                GError               **error)
{
  Demo *demo = user_data;
  PrefectCtxFlowRun *flow_run = prefect_ctx_flow_run_context_get_flow_run (PREFECT_CTX_FLOW_RUN_CONTEXT (context));
  const char * const etl[] = { "etl", NULL };
  const char * const nightly[] = { "nightly", NULL };
  g_autoptr(PrefectCtxTagsContext) etl_tags = NULL;
  g_autoptr(PrefectCtxTagsContext) nightly_tags = NULL;
  g_autoptr(PrefectCtxCustomContext) stage = NULL;
  g_autoptr(GHashTable) stage_values = NULL;
  g_autoptr(GPtrArray) futures = NULL;
  g_autoptr(GVariant) batches = NULL;
  g_autoptr(GVariant) published = NULL;
  g_autoptr(GVariant) summary = NULL;
  g_autoptr(JsonNode) parameters_node = json_gvariant_serialize (parameters);
  g_autofree char *parameters_text = json_to_string (parameters_node, FALSE);
  gint64 rows = 0;

  g_free (demo->run->flow_run_id);
  demo->run->flow_run_id = g_strdup (prefect_ctx_flow_run_get_id (flow_run));
  narrate (demo, "starts with parameters %s", parameters_text);
  g_info ("Starting the demo ETL");

  /* Tags nest: inside tags(etl) > tags(nightly), a run has both. */
  etl_tags = prefect_ctx_tags (etl);
  if (!enter (etl_tags, error))
    return NULL;

  batches = prefect_ctx_task_call (demo->extract, parameters, extract_body, demo, error);
  if (batches == NULL)
    {
      leave (etl_tags);
      return NULL;
    }

  nightly_tags = prefect_ctx_tags (nightly);
  if (!enter (nightly_tags, error))
    {
      leave (etl_tags);
      return NULL;
    }

  /* Submitted tasks run on worker threads, with the contexts captured here. */
  futures = g_ptr_array_new_with_free_func (g_object_unref);
  for (gint64 batch = 0; batch < g_variant_get_int64 (batches); batch++)
    {
      PrefectCtxTaskFuture *future = prefect_ctx_task_submit (demo->transform, int_parameter ("batch", batch),
                                                              transform_body, demo, NULL, error);

      if (future == NULL)
        break;
      g_ptr_array_add (futures, future);
    }

  leave (nightly_tags);
  leave (etl_tags);

  for (guint i = 0; i < futures->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GVariant) batch_rows = prefect_ctx_task_future_get_result (futures->pdata[i], &local_error);

      if (batch_rows == NULL && error != NULL && *error == NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (batch_rows != NULL)
        rows += g_variant_get_int64 (batch_rows);
    }
  if (error != NULL && *error != NULL)
    return NULL;

  /* A scoped custom context: merged over the run-level one for this block. */
  stage_values = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (stage_values, "stage", "publish");
  stage = prefect_ctx_custom_context_new_merged (stage_values, error);
  if (stage == NULL || !enter (stage, error))
    return NULL;
  published = prefect_ctx_task_call (demo->publish, int_parameter ("rows", rows), publish_body, demo, error);
  leave (stage);
  if (published == NULL)
    return NULL;

  /* A flow run inside a flow run is a subflow. */
  summary = prefect_ctx_flow_run_sync (demo->report, int_parameter ("rows", rows), NULL,
                                       report_body, demo, error);
  if (summary == NULL)
    return NULL;

  g_info ("Demo finished: %s", g_variant_get_string (summary, NULL));
  return g_variant_new_int64 (rows);
}

gboolean
prefect_ctx_demo_run (PrefectCtxClient  *client,
                      gboolean           narrate,
                      PrefectCtxDemoRun *run,
                      GError           **error)
{
  const char * const flow_tags[] = { "demo", NULL };
  g_autoptr(PrefectCtxFlow) flow = g_object_new (PREFECT_CTX_TYPE_FLOW,
                                                 "name", "etl-demo",
                                                 "description", "The libprefectctx demo",
                                                 "tags", flow_tags,
                                                 NULL);
  g_autoptr(PrefectCtxRunOptions) options = NULL;
  GVariantDict parameters;
  GVariantBuilder custom;
  Demo demo = { 0 };
  g_autoptr(GError) local_error = NULL;

  g_variant_builder_init (&custom, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&custom, "{ss}", "team", "data");
  g_variant_builder_add (&custom, "{ss}", "request_id", "req-42");
  options = g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS,
                          "client", client,
                          "custom-context", g_variant_builder_end (&custom),
                          "max-workers", 3,
                          NULL);

  g_variant_dict_init (&parameters, NULL);
  g_variant_dict_insert (&parameters, "source", "s", "orders.csv");
  g_variant_dict_insert (&parameters, "batches", "x", (gint64) 3);

  demo.extract = prefect_ctx_task_new ("extract");
  demo.transform = prefect_ctx_task_new ("transform");
  demo.publish = g_object_new (PREFECT_CTX_TYPE_TASK,
                               "name", "publish",
                               "retries", 1,
                               "retry-delay-seconds", 0.2,
                               NULL);
  demo.summarize = prefect_ctx_task_new ("summarize");
  demo.report = prefect_ctx_flow_new ("report");
  demo.main_thread = g_thread_self ();
  demo.narrate = narrate;
  demo.run = run;

  run->result = prefect_ctx_flow_run_sync (flow, g_variant_dict_end (&parameters), options,
                                           demo_flow_body, &demo, &local_error);

  g_object_unref (demo.extract);
  g_object_unref (demo.transform);
  g_object_unref (demo.publish);
  g_object_unref (demo.summarize);
  g_object_unref (demo.report);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}
