/* nested-contexts.c: the libprefectctx tour
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A flow run context with run-level custom context (Flyte's
 * with_runcontext), nested tags, and three tasks on worker threads that see
 * exactly the caller's contexts because each work item carries a snapshot.
 * A raw thread, given no snapshot, sees nothing: contexts never flow into
 * threads by themselves.
 *
 * Run: build/examples/nested-contexts
 */
#include <prefectctx.h>

static GMutex print_lock;
static GPtrArray *worker_lines;

static void
enter_or_die (gpointer context)
{
  g_autoptr(GError) error = NULL;

  if (!prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (context), &error))
    g_error ("enter: %s", error->message);
}

static void
exit_or_die (gpointer context)
{
  g_autoptr(GError) error = NULL;

  if (!prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (context), &error))
    g_error ("exit: %s", error->message);
}

static char *
describe_custom (void)
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

static void
print_state (const char *where)
{
  g_autoptr(GError) error = NULL;
  PrefectCtxRunContext *run = prefect_ctx_get_run_context (&error);
  g_autofree char *tags = describe_tags ();
  g_autofree char *custom = describe_custom ();

  if (run == NULL)
    g_print ("%-24s run context: none (%s)\n", where, error->message);
  else if (PREFECT_CTX_IS_FLOW_RUN_CONTEXT (run))
    g_print ("%-24s run context: flow run '%s'\n", where,
             prefect_ctx_flow_run_get_name (prefect_ctx_flow_run_context_get_flow_run (PREFECT_CTX_FLOW_RUN_CONTEXT (run))));
  g_print ("%-24s tags: %s\n", where, tags);
  g_print ("%-24s custom context: %s\n", where, custom);
}

/* A task body, run on a pool thread inside the caller's snapshot. */
static void
run_task (gpointer data)
{
  const char *stage = data;
  PrefectCtxFlowRunContext *flow_ctx = prefect_ctx_flow_run_context_get_current ();
  PrefectCtxFlowRun *flow_run = prefect_ctx_flow_run_context_get_flow_run (flow_ctx);
  g_autofree char *dynamic_key = prefect_ctx_flow_run_context_next_dynamic_key (flow_ctx, "transform");
  g_autofree char *name = g_strdup_printf ("transform-%s", dynamic_key);
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(PrefectCtxTask) task = prefect_ctx_task_new ("transform");
  g_autoptr(PrefectCtxTaskRun) task_run = g_object_new (PREFECT_CTX_TYPE_TASK_RUN,
                                                        "id", id,
                                                        "name", name,
                                                        "task-key", "transform",
                                                        "dynamic-key", dynamic_key,
                                                        "flow-run-id", prefect_ctx_flow_run_get_id (flow_run),
                                                        NULL);
  g_autoptr(PrefectCtxTaskRunContext) task_ctx = prefect_ctx_task_run_context_new (task, task_run, NULL);
  g_autoptr(GHashTable) scoped = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(PrefectCtxCustomContext) custom = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *custom_text = NULL;
  PrefectCtxRunContext *run;

  /* Flyte's custom_context(stage=...): a scoped override. */
  g_hash_table_insert (scoped, (gpointer) "stage", (gpointer) stage);
  custom = prefect_ctx_custom_context_new_merged (scoped, &error);
  if (custom == NULL)
    g_error ("%s", error->message);

  enter_or_die (task_ctx);
  enter_or_die (custom);

  run = prefect_ctx_get_run_context (NULL);
  tags = describe_tags ();
  custom_text = describe_custom ();

  g_mutex_lock (&print_lock);
  g_ptr_array_add (worker_lines,
                   g_strdup_printf ("  task run %-12s in flow run '%s' (run context: %s)\n"
                                    "      tags %s, custom context %s",
                                    prefect_ctx_task_run_get_name (task_run),
                                    prefect_ctx_flow_run_get_name (flow_run),
                                    G_OBJECT_TYPE_NAME (run), tags, custom_text));
  g_mutex_unlock (&print_lock);

  exit_or_die (custom);
  exit_or_die (task_ctx);
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static gpointer
raw_thread (gpointer data)
{
  print_state ("raw thread (no snapshot)");
  return NULL;
}

int
main (void)
{
  static const char * const outer_tags[] = { "etl", NULL };
  static const char * const inner_tags[] = { "nightly", "team-data", NULL };
  static const char *stages[] = { "clean", "join", "aggregate" };
  g_autoptr(PrefectCtxFlow) flow = prefect_ctx_flow_new ("etl");
  g_autoptr(PrefectCtxFlowRun) flow_run = NULL;
  g_autoptr(PrefectCtxFlowRunContext) flow_ctx = NULL;
  g_autoptr(PrefectCtxCustomContext) base = NULL;
  g_autoptr(PrefectCtxTagsContext) tags_outer = NULL;
  g_autoptr(PrefectCtxTagsContext) tags_inner = NULL;
  g_autoptr(GHashTable) run_level = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GVariantDict) params = g_variant_dict_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  GThreadPool *pool;

  worker_lines = g_ptr_array_new_with_free_func (g_free);

  g_variant_dict_insert (params, "n", "i", 3);
  flow_run = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN,
                           "id", id,
                           "name", "tidy-jaguar",
                           "parameters", g_variant_dict_end (params),
                           NULL);
  flow_ctx = prefect_ctx_flow_run_context_new (flow, flow_run, prefect_ctx_flow_run_get_parameters (flow_run));

  g_print ("libprefectctx %s: nested contexts and worker threads\n\n", PREFECT_CTX_VERSION_S);
  print_state ("before any context");

  /* with_runcontext(custom_context={...}): the run-level base. */
  g_hash_table_insert (run_level, (gpointer) "owner", (gpointer) "data-team");
  g_hash_table_insert (run_level, (gpointer) "stage", (gpointer) "start");
  base = prefect_ctx_custom_context_new_merged (run_level, &error);
  g_assert_no_error (error);

  g_print ("\n");
  enter_or_die (flow_ctx);
  enter_or_die (base);
  tags_outer = prefect_ctx_tags (outer_tags);
  enter_or_die (tags_outer);
  tags_inner = prefect_ctx_tags (inner_tags);
  enter_or_die (tags_inner);
  print_state ("in the flow run");

  /* Each pushed item carries a snapshot of this thread's contexts. */
  pool = prefect_ctx_thread_pool_new (3, TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    if (!prefect_ctx_thread_pool_push (pool, run_task, (gpointer) stages[i], NULL, &error))
      g_error ("%s", error->message);
  g_thread_pool_free (pool, FALSE, TRUE);

  g_ptr_array_sort (worker_lines, compare_lines);
  g_print ("\n3 tasks on worker threads, each with the caller's snapshot:\n");
  for (guint i = 0; i < worker_lines->len; i++)
    g_print ("%s\n", (char *) g_ptr_array_index (worker_lines, i));

  g_print ("\n");
  g_thread_join (g_thread_new ("raw", raw_thread, NULL));

  g_print ("\n");
  exit_or_die (tags_inner);
  print_state ("after the inner tags");
  exit_or_die (tags_outer);
  exit_or_die (base);
  exit_or_die (flow_ctx);
  g_print ("\n");
  print_state ("after the flow run");

  g_ptr_array_unref (worker_lines);
  return 0;
}
