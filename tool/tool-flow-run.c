/* tool-flow-run.c: prefectctx flow-run ls | inspect | logs | watch
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "prefectctx-tool.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <glib-unix.h>

/* ---- shared printing ---------------------------------------------------- */

static char *
describe_state (PrefectCtxState *state)
{
  const char *message;

  if (state == NULL)
    return g_strdup ("-");

  message = prefect_ctx_state_get_message (state);
  if (message != NULL && *message != '\0')
    return g_strdup_printf ("%s: %s", prefect_ctx_state_get_name (state), message);

  return g_strdup (prefect_ctx_state_get_name (state));
}

static char *
join_tags (const char * const *tags)
{
  if (tags == NULL || tags[0] == NULL)
    return g_strdup ("-");

  return g_strjoinv (", ", (char **) tags);
}

/* The label of a log line's source: `Task run 'name'` or `Flow run 'name'`. */
static char *
log_source (PrefectCtxLogEntry *entry,
            const char         *flow_run_name,
            GHashTable         *task_run_names)
{
  const char *task_run_id = prefect_ctx_log_entry_get_task_run_id (entry);
  const char *task_run_name = task_run_id != NULL ? g_hash_table_lookup (task_run_names, task_run_id) : NULL;

  if (task_run_name != NULL)
    return g_strdup_printf ("Task run '%s'", task_run_name);

  return g_strdup_printf ("Flow run '%s'", flow_run_name);
}

void
tool_print_log_line (PrefectCtxLogEntry *entry,
                     const char         *flow_run_name,
                     GHashTable         *task_run_names)
{
  g_autofree char *when = tool_format_time (prefect_ctx_log_entry_get_timestamp (entry));
  g_autofree char *source = log_source (entry, flow_run_name, task_run_names);
  const char *level = tool_log_level_name (prefect_ctx_log_entry_get_level (entry));
  g_autofree char *level_text = level != NULL ? g_strdup (level)
                                              : g_strdup_printf ("Level %d", prefect_ctx_log_entry_get_level (entry));

  g_print ("%s | %-7s | %s - %s\n", when, level_text, source,
           prefect_ctx_log_entry_get_message (entry));
}

static GHashTable *
task_run_names_of (GListModel *task_runs)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint n = task_runs != NULL ? g_list_model_get_n_items (task_runs) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PrefectCtxTaskRun) task_run = g_list_model_get_item (task_runs, i);

      g_hash_table_insert (names, g_strdup (prefect_ctx_task_run_get_id (task_run)),
                           g_strdup (prefect_ctx_task_run_get_name (task_run)));
    }

  return names;
}

/* The names of the task runs that @logs name, read one by one: as many
 * reads as there are task runs in the lines, however many the flow run
 * has. A task run that cannot be read is left out: its lines are shown as
 * the flow run's. */
static GHashTable *
task_run_names_for_logs (PrefectCtxClient *client,
                         GListModel       *logs)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint n = g_list_model_get_n_items (logs);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PrefectCtxLogEntry) entry = g_list_model_get_item (logs, i);
      const char *task_run_id = prefect_ctx_log_entry_get_task_run_id (entry);
      g_autoptr(PrefectCtxTaskRun) task_run = NULL;

      if (task_run_id == NULL || g_hash_table_contains (names, task_run_id))
        continue;
      task_run = prefect_ctx_client_read_task_run (client, task_run_id, NULL, NULL);
      g_hash_table_insert (names, g_strdup (task_run_id),
                           task_run != NULL ? g_strdup (prefect_ctx_task_run_get_name (task_run)) : NULL);
    }

  return names;
}

/* Prints @node on one line: the output of `flow-run watch --json`, one
 * object a line. */
static void
print_json_line (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  g_print ("%s\n", text);
}

/* ---- ls ----------------------------------------------------------------- */

static int ls_limit = 15;
static char *ls_state;

static const GOptionEntry ls_entries[] = {
  { "limit", 'n', 0, G_OPTION_ARG_INT, &ls_limit, "Show at most N flow runs (default 15)", "N" },
  { "state", 's', 0, G_OPTION_ARG_STRING, &ls_state,
    "Only runs whose state has this type: SCHEDULED, PENDING, RUNNING, COMPLETED, FAILED, "
    "CANCELLED, CRASHED, PAUSED or CANCELLING", "TYPE" },
  { NULL }
};

static int
flow_run_ls (int argc, char **argv, GError **error)
{
  g_autoptr(PrefectCtxClient) client = NULL;
  g_autoptr(GListModel) runs = NULL;
  g_autoptr(GHashTable) flow_names = NULL;
  g_autofree char *state_name = g_steal_pointer (&ls_state);  /* freed on every path */
  int state_type = PREFECT_CTX_CLIENT_ANY_STATE;
  guint n;

  if (!tool_check_ls_args (argc, ls_limit, error))
    return TOOL_EXIT_USAGE;
  if (state_name != NULL)
    {
      g_autofree char *upper = g_ascii_strup (state_name, -1);
      PrefectCtxStateType type;

      if (!prefect_ctx_state_type_from_string (upper, &type))
        {
          g_set_error (error, TOOL_USAGE_ERROR, 0,
                       "Unknown state type '%s' (one of SCHEDULED, PENDING, RUNNING, COMPLETED, "
                       "FAILED, CANCELLED, CRASHED, PAUSED, CANCELLING)", state_name);
          return TOOL_EXIT_USAGE;
        }
      state_type = (int) type;
    }

  client = tool_open_store (error);
  if (client == NULL)
    return TOOL_EXIT_FAILURE;

  runs = prefect_ctx_client_read_flow_runs (client, state_type, (guint) ls_limit, 0, NULL, error);
  if (runs == NULL)
    return TOOL_EXIT_FAILURE;

  if (tool_print_ls_json_or_empty (runs, (JsonNode *(*) (gpointer)) prefect_ctx_flow_run_to_json_node, "No flow runs found."))
    return TOOL_EXIT_OK;

  n = g_list_model_get_n_items (runs);

  flow_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_print ("%-36s  %-20s  %-24s  %-10s  %s\n", "ID", "FLOW", "NAME", "STATE", "WHEN");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PrefectCtxFlowRun) run = g_list_model_get_item (runs, i);
      PrefectCtxState *state = prefect_ctx_flow_run_get_state (run);
      GDateTime *when = prefect_ctx_flow_run_get_start_time (run);
      g_autofree char *when_text = NULL;

      if (when == NULL)
        when = prefect_ctx_flow_run_get_expected_start_time (run);
      when_text = tool_format_time (when);

      g_print ("%-36s  %-20s  %-24s  %-10s  %s\n",
               prefect_ctx_flow_run_get_id (run),
               tool_lookup_flow_name (client, flow_names, prefect_ctx_flow_run_get_flow_id (run)),
               prefect_ctx_flow_run_get_name (run),
               state != NULL ? prefect_ctx_state_get_name (state) : "-",
               when_text);
    }

  return TOOL_EXIT_OK;
}

/* ---- inspect ------------------------------------------------------------ */

/* What inspect shows without --all: the first task runs, with their
 * histories, and a count of the logs up to a limit. Reads and memory stay
 * bounded however large the run. */
#define INSPECT_TASK_RUNS 100
#define INSPECT_LOGS 10000

/* A flow run as recorded: read once (a PrefectCtxFlowRunView and what it
 * gives), printed as text or JSON. */
typedef struct
{
  PrefectCtxFlowRunView *view;
  PrefectCtxFlowRun     *run;              /* the view's */
  PrefectCtxFlow        *flow;             /* NULL if unknown */
  GListModel            *states;           /* the view's */
  GListModel            *task_runs;        /* PrefectCtxTaskRun, in creation order: those shown */
  guint                  n_task_runs;      /* all of them */
  guint                  n_finished;
  GListModel            *logs;             /* at most INSPECT_LOGS + 1 without all */
  gboolean               logs_truncated;   /* more than INSPECT_LOGS */
  GHashTable            *task_run_states;  /* task run ID -> GListModel of states */
} Inspection;

static void
inspection_clear (Inspection *inspection)
{
  g_clear_object (&inspection->view);
  g_clear_object (&inspection->flow);
  g_clear_object (&inspection->task_runs);
  g_clear_object (&inspection->logs);
  g_clear_pointer (&inspection->task_run_states, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Inspection, inspection_clear)

static gboolean
inspection_load (Inspection        *inspection,
                 PrefectCtxClient  *client,
                 const char        *id,
                 gboolean           all,
                 GError           **error)
{
  GError *local_error = NULL;

  g_autoptr(PrefectCtxFlowView) flow_view = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  inspection->view = prefect_ctx_flow_run_view_new_from_id (client, id, FALSE, NULL, error);
  if (inspection->view == NULL)
    return FALSE;
  inspection->run = prefect_ctx_flow_run_view_get_flow_run (inspection->view);
  inspection->states = prefect_ctx_flow_run_view_get_states (inspection->view);

  flow_view = prefect_ctx_flow_run_view_get_flow_metadata (inspection->view, FALSE, NULL, NULL);
  if (flow_view != NULL)
    inspection->flow = g_object_ref (prefect_ctx_flow_view_get_flow (flow_view));

  inspection->task_runs = prefect_ctx_client_read_task_runs (client, id, all ? 0 : INSPECT_TASK_RUNS, 0,
                                                             NULL, error);
  if (inspection->task_runs == NULL)
    return FALSE;
  inspection->n_task_runs = g_list_model_get_n_items (inspection->task_runs);
  if (!all && inspection->n_task_runs == INSPECT_TASK_RUNS)
    inspection->n_task_runs = prefect_ctx_client_count_task_runs (client, id, FALSE, NULL, &local_error);
  if (local_error == NULL)
    inspection->n_finished = prefect_ctx_client_count_task_runs (client, id, TRUE, NULL, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  /* Every log so far, not only those up to the view's last update: the
   * engine writes a run's last lines just after its final state. */
  inspection->logs = prefect_ctx_client_read_logs (client, id, NULL, now, all ? 0 : INSPECT_LOGS + 1, 0,
                                                   NULL, error);
  if (inspection->logs == NULL)
    return FALSE;
  inspection->logs_truncated = g_list_model_get_n_items (inspection->logs) > INSPECT_LOGS;

  inspection->task_run_states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (inspection->task_runs); i++)
    {
      g_autoptr(PrefectCtxTaskRun) task_run = g_list_model_get_item (inspection->task_runs, i);
      const char *task_run_id = prefect_ctx_task_run_get_id (task_run);
      GListModel *states = prefect_ctx_client_read_task_run_states (client, task_run_id, NULL, error);

      if (states == NULL)
        return FALSE;
      g_hash_table_insert (inspection->task_run_states, g_strdup (task_run_id), states);
    }

  return TRUE;
}

static JsonNode *
inspection_to_json (Inspection *inspection,
                    gboolean    with_logs)
{
  JsonNode *root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  json_object_set_member (object, "flow_run", prefect_ctx_flow_run_to_json_node (inspection->run));
  json_object_set_member (object, "flow", inspection->flow != NULL ? prefect_ctx_flow_to_json_node (inspection->flow)
                                                                   : json_node_new (JSON_NODE_NULL));
  json_object_set_member (object, "states",
                          tool_list_to_json (inspection->states, (JsonNode *(*) (gpointer)) prefect_ctx_state_to_json_node));
  json_object_set_member (object, "task_runs",
                          tool_list_to_json (inspection->task_runs, (JsonNode *(*) (gpointer)) prefect_ctx_task_run_to_json_node));
  json_object_set_int_member (object, "task_run_count", inspection->n_task_runs);
  json_object_set_int_member (object, "finished_task_run_count", inspection->n_finished);
  json_object_set_boolean_member (object, "task_runs_truncated",
                                  g_list_model_get_n_items (inspection->task_runs) < inspection->n_task_runs);
  {
    JsonObject *histories = json_object_new ();

    for (guint i = 0; i < g_list_model_get_n_items (inspection->task_runs); i++)
      {
        g_autoptr(PrefectCtxTaskRun) task_run = g_list_model_get_item (inspection->task_runs, i);
        const char *task_run_id = prefect_ctx_task_run_get_id (task_run);

        json_object_set_member (histories, task_run_id,
                                tool_list_to_json (g_hash_table_lookup (inspection->task_run_states, task_run_id),
                                              (JsonNode *(*) (gpointer)) prefect_ctx_state_to_json_node));
      }
    json_object_set_object_member (object, "task_run_states", histories);
  }
  if (with_logs)
    json_object_set_member (object, "logs",
                            tool_list_to_json (inspection->logs, (JsonNode *(*) (gpointer)) prefect_ctx_log_entry_to_json_node));
  else
    {
      json_object_set_int_member (object, "log_count", MIN (g_list_model_get_n_items (inspection->logs), INSPECT_LOGS));
      json_object_set_boolean_member (object, "log_count_truncated", inspection->logs_truncated);
    }
  json_node_take_object (root, object);

  return root;
}

static void
inspection_print (Inspection *inspection,
                  gboolean    with_logs)
{
  PrefectCtxFlowRun *run = inspection->run;
  guint n_states = g_list_model_get_n_items (inspection->states);
  guint n_task_runs = g_list_model_get_n_items (inspection->task_runs);
  guint n_logs = g_list_model_get_n_items (inspection->logs);
  g_autofree char *state = describe_state (prefect_ctx_flow_run_view_get_state (inspection->view));
  g_autofree char *tags = join_tags (prefect_ctx_flow_run_get_tags (run));
  g_autofree char *parameters = tool_format_variant (prefect_ctx_flow_run_get_parameters (run));
  g_autofree char *start = tool_format_time (prefect_ctx_flow_run_get_start_time (run));
  g_autofree char *end = tool_format_time (prefect_ctx_flow_run_get_end_time (run));
  g_autofree char *duration = tool_format_duration (prefect_ctx_flow_run_get_start_time (run),
                                                    prefect_ctx_flow_run_get_end_time (run));
  const char *parent = prefect_ctx_flow_run_get_parent_task_run_id (run);

  g_print ("Flow run '%s'\n", prefect_ctx_flow_run_get_name (run));
  g_print ("  id           %s\n", prefect_ctx_flow_run_get_id (run));
  g_print ("  flow         %s\n", inspection->flow != NULL ? prefect_ctx_flow_get_name (inspection->flow) : "?");
  g_print ("  state        %s\n", state);
  g_print ("  tags         %s\n", tags);
  g_print ("  parameters   %s\n", parameters);
  g_print ("  run count    %d\n", prefect_ctx_flow_run_get_run_count (run));
  g_print ("  start        %s\n", start);
  g_print ("  end          %s\n", end);
  g_print ("  duration     %s\n", duration);
  if (parent != NULL)
    g_print ("  parent       task run %s\n", parent);

  g_print ("\nStates (%u):\n", n_states);
  for (guint i = 0; i < n_states; i++)
    {
      g_autoptr(PrefectCtxState) item = g_list_model_get_item (inspection->states, i);
      g_autofree char *when = tool_format_time (prefect_ctx_state_get_timestamp (item));
      const char *message = prefect_ctx_state_get_message (item);

      if (message != NULL && *message != '\0')
        g_print ("  %s  %-14s  %s\n", when, prefect_ctx_state_get_name (item), message);
      else
        g_print ("  %s  %s\n", when, prefect_ctx_state_get_name (item));
    }

  g_print ("\nTask runs (%u, %u finished):\n", inspection->n_task_runs, inspection->n_finished);
  if (n_task_runs > 0)
    g_print ("  %-16s  %-10s  %4s  %9s  %-22s  %s\n", "NAME", "STATE", "RUNS", "DURATION", "TAGS", "ID");
  for (guint i = 0; i < n_task_runs; i++)
    {
      g_autoptr(PrefectCtxTaskRun) task_run = g_list_model_get_item (inspection->task_runs, i);
      PrefectCtxState *task_state = prefect_ctx_task_run_get_state (task_run);
      g_autofree char *task_duration = tool_format_duration (prefect_ctx_task_run_get_start_time (task_run),
                                                             prefect_ctx_task_run_get_end_time (task_run));
      g_autofree char *task_tags = join_tags (prefect_ctx_task_run_get_tags (task_run));

      g_print ("  %-16s  %-10s  %4d  %9s  %-22s  %s\n",
               prefect_ctx_task_run_get_name (task_run),
               task_state != NULL ? prefect_ctx_state_get_name (task_state) : "Scheduled",
               prefect_ctx_task_run_get_run_count (task_run),
               task_duration, task_tags,
               prefect_ctx_task_run_get_id (task_run));
    }
  if (n_task_runs < inspection->n_task_runs)
    g_print ("  ... and %u more (prefectctx flow-run inspect %s --all shows every one)\n",
             inspection->n_task_runs - n_task_runs, prefect_ctx_flow_run_get_id (run));

  /* The runs that ran more than once or did not end Completed: retries
   * and failures (not the length of the history: a subflow's parent task
   * run has Pending twice, its own and its subflow's). */
  for (guint i = 0, shown = 0; i < n_task_runs; i++)
    {
      g_autoptr(PrefectCtxTaskRun) task_run = g_list_model_get_item (inspection->task_runs, i);
      GListModel *history = g_hash_table_lookup (inspection->task_run_states, prefect_ctx_task_run_get_id (task_run));
      PrefectCtxState *task_state = prefect_ctx_task_run_get_state (task_run);
      GString *line;

      if (prefect_ctx_task_run_get_run_count (task_run) <= 1 && task_state != NULL
          && prefect_ctx_state_get_state_type (task_state) == PREFECT_CTX_STATE_TYPE_COMPLETED)
        continue;

      if (shown++ == 0)
        g_print (n_task_runs < inspection->n_task_runs
                 ? "\nTask runs that were retried or did not complete (of the %u shown):\n"
                 : "\nTask runs that were retried or did not complete:\n", n_task_runs);
      line = g_string_new (NULL);
      for (guint j = 0; j < g_list_model_get_n_items (history); j++)
        {
          g_autoptr(PrefectCtxState) item = g_list_model_get_item (history, j);
          const char *message = prefect_ctx_state_get_message (item);

          g_string_append_printf (line, "%s%s", j > 0 ? " -> " : "", prefect_ctx_state_get_name (item));
          if (message != NULL && *message != '\0')
            g_string_append_printf (line, " (%s)", message);
        }
      g_print ("  %s: %s\n", prefect_ctx_task_run_get_name (task_run), line->str);
      g_string_free (line, TRUE);
    }

  if (!with_logs)
    {
      if (inspection->logs_truncated)
        g_print ("\nLogs: more than %u lines (prefectctx flow-run logs %s)\n", INSPECT_LOGS,
                 prefect_ctx_flow_run_get_id (run));
      else
        g_print ("\nLogs: %u lines (prefectctx flow-run logs %s)\n", n_logs, prefect_ctx_flow_run_get_id (run));
    }
  else
    {
      g_autoptr(GHashTable) task_run_names = task_run_names_of (inspection->task_runs);

      g_print ("\nLogs (%u):\n", n_logs);
      for (guint i = 0; i < n_logs; i++)
        {
          g_autoptr(PrefectCtxLogEntry) entry = g_list_model_get_item (inspection->logs, i);

          g_print ("  ");
          tool_print_log_line (entry, prefect_ctx_flow_run_get_name (run), task_run_names);
        }
    }
}

/* Prints a recorded flow run: the run, its states, its task runs with their
 * states and durations; with @with_logs, its logs too. Used by `flow-run
 * inspect` and by `demo`. */
gboolean
tool_print_flow_run (PrefectCtxClient  *client,
                     const char        *id,
                     gboolean           with_logs,
                     gboolean           all,
                     GError           **error)
{
  g_auto(Inspection) inspection = { 0 };

  if (!inspection_load (&inspection, client, id, all || with_logs, error))
    return FALSE;

  if (tool_get_json ())
    {
      g_autoptr(JsonNode) node = inspection_to_json (&inspection, with_logs);

      tool_print_json (node);
    }
  else
    {
      inspection_print (&inspection, with_logs);
    }

  return TRUE;
}

JsonNode *
tool_flow_run_to_json (PrefectCtxClient  *client,
                       const char        *id,
                       gboolean           with_logs,
                       GError           **error)
{
  g_auto(Inspection) inspection = { 0 };

  if (!inspection_load (&inspection, client, id, TRUE, error))
    return NULL;

  return inspection_to_json (&inspection, with_logs);
}

static gboolean inspect_all = FALSE;

static const GOptionEntry inspect_entries[] = {
  { "all", 'a', 0, G_OPTION_ARG_NONE, &inspect_all,
    "Show every task run and count every log line (default: the first 100 task runs, up to 10000 lines)", NULL },
  { NULL }
};

static int
flow_run_inspect (int argc, char **argv, GError **error)
{
  g_autofree char *whole_id = NULL;
  int open_status;
  g_autoptr(PrefectCtxClient) client = NULL;

  client = tool_open_store_for_id (argc, argv, FALSE, FALSE, &whole_id, &open_status, error);
  if (client == NULL)
    return open_status;

  if (!tool_print_flow_run (client, argv[1], FALSE, inspect_all, error))
    {
      tool_name_missing (error, "Flow run", argv[1]);
      return TOOL_EXIT_FAILURE;
    }
  return TOOL_EXIT_OK;
}

/* ---- logs --------------------------------------------------------------- */

static int logs_head = 0;

static const GOptionEntry logs_entries[] = {
  { "head", 'H', 0, G_OPTION_ARG_INT, &logs_head, "Show only the first N lines (default 0: all)", "N" },
  { NULL }
};

static int
flow_run_logs (int argc, char **argv, GError **error)
{
  g_autofree char *whole_id = NULL;
  int open_status;
  g_autoptr(PrefectCtxClient) client = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  g_autoptr(GListModel) logs = NULL;
  g_autoptr(GHashTable) task_run_names = NULL;
  guint n;

  if (logs_head < 0)
    {
      g_set_error (error, TOOL_USAGE_ERROR, 0, "--head must not be negative, not %d", logs_head);
      return TOOL_EXIT_USAGE;
    }

  client = tool_open_store_for_id (argc, argv, FALSE, FALSE, &whole_id, &open_status, error);
  if (client == NULL)
    return open_status;

  run = prefect_ctx_client_read_flow_run (client, argv[1], NULL, error);
  if (run == NULL)
    {
      tool_name_missing (error, "Flow run", argv[1]);
      return TOOL_EXIT_FAILURE;
    }

  logs = prefect_ctx_client_read_logs (client, argv[1], NULL, NULL, (guint) logs_head, 0, NULL, error);
  if (logs == NULL)
    return TOOL_EXIT_FAILURE;

  if (tool_get_json ())
    {
      g_autoptr(JsonNode) node = tool_list_to_json (logs, (JsonNode *(*) (gpointer)) prefect_ctx_log_entry_to_json_node);

      tool_print_json (node);
      return TOOL_EXIT_OK;
    }

  task_run_names = task_run_names_for_logs (client, logs);

  n = g_list_model_get_n_items (logs);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PrefectCtxLogEntry) entry = g_list_model_get_item (logs, i);

      tool_print_log_line (entry, prefect_ctx_flow_run_get_name (run), task_run_names);
    }

  return TOOL_EXIT_OK;
}

/* ---- watch -------------------------------------------------------------- */

static double watch_interval = 2.0;
static double watch_max_duration = PREFECT_CTX_FLOW_RUN_WATCHER_DEFAULT_MAX_DURATION;

static const GOptionEntry watch_entries[] = {
  { "interval", 'i', 0, G_OPTION_ARG_DOUBLE, &watch_interval,
    "Poll every SECONDS at first (default 2), backing off to 5 times as long while nothing happens",
    "SECONDS" },
  { "max-duration", 0, 0, G_OPTION_ARG_DOUBLE, &watch_max_duration,
    "Give up after SECONDS (default 43200, 12 hours; 0: never)", "SECONDS" },
  { NULL }
};

typedef struct
{
  PrefectCtxClient *client;
  char             *flow_run_id;
  char             *flow_run_name;
  GHashTable       *task_run_names;  /* ID -> name */
  GMainLoop        *loop;
  GCancellable     *cancellable;
  PrefectCtxFlowRunView *final_view;
  GError           *error;
  gboolean          tty;
  gboolean          progress_shown;   /* a progress line is on screen (tty) */
  char             *progress;         /* the last progress text */
} Watch;

static void
watch_clear_progress (Watch *watch)
{
  if (watch->tty && watch->progress_shown)
    {
      g_print ("\r\033[K");
      watch->progress_shown = FALSE;
    }
}

static void
watch_show_progress (Watch *watch)
{
  if (watch->progress == NULL || tool_get_json ())
    return;
  if (watch->tty)
    {
      g_print ("\r\033[K%s", watch->progress);
      fflush (stdout);
      watch->progress_shown = TRUE;
    }
}

static const char *
task_run_name (Watch      *watch,
               const char *task_run_id)
{
  const char *name = g_hash_table_lookup (watch->task_run_names, task_run_id);

  if (name == NULL)
    {
      g_autoptr(PrefectCtxTaskRun) task_run = prefect_ctx_client_read_task_run (watch->client, task_run_id,
                                                                                  NULL, NULL);

      if (task_run == NULL)
        return NULL;
      g_hash_table_insert (watch->task_run_names, g_strdup (task_run_id),
                           g_strdup (prefect_ctx_task_run_get_name (task_run)));
      name = g_hash_table_lookup (watch->task_run_names, task_run_id);
    }

  return name;
}

static void
on_watch_updated (PrefectCtxFlowRunWatcher *watcher,
                  PrefectCtxFlowRunView    *view,
                  gpointer                  user_data)
{
  Watch *watch = user_data;
  const char *id = prefect_ctx_flow_run_view_get_flow_run_id (view);
  guint total, finished;
  g_autofree char *progress = NULL;

  g_free (watch->flow_run_name);
  watch->flow_run_name = g_strdup (prefect_ctx_flow_run_view_get_name (view));

  total = prefect_ctx_client_count_task_runs (watch->client, id, FALSE, NULL, NULL);
  finished = prefect_ctx_client_count_task_runs (watch->client, id, TRUE, NULL, NULL);
  progress = g_strdup_printf ("Task runs: %u / %u finished (flow run %s)", finished, total,
                              prefect_ctx_state_get_name (prefect_ctx_flow_run_view_get_state (view)));

  if (g_strcmp0 (progress, watch->progress) == 0)
    return;
  g_free (watch->progress);
  watch->progress = g_steal_pointer (&progress);

  if (tool_get_json ())
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, "progress");
      json_builder_set_member_name (builder, "progress");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "finished");
      json_builder_add_int_value (builder, finished);
      json_builder_set_member_name (builder, "total");
      json_builder_add_int_value (builder, total);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, prefect_ctx_state_get_name (prefect_ctx_flow_run_view_get_state (view)));
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      print_json_line (node);
    }
  else if (watch->tty)
    {
      watch_show_progress (watch);
    }
  else
    {
      g_print ("%s\n", watch->progress);
    }
}

static void
on_watch_entry (PrefectCtxFlowRunWatcher *watcher,
                PrefectCtxLogEntry       *entry,
                gpointer                  user_data)
{
  Watch *watch = user_data;
  const char *task_run_id = prefect_ctx_log_entry_get_task_run_id (entry);

  if (tool_get_json ())
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "kind", "log");
      json_object_set_member (object, "entry", prefect_ctx_log_entry_to_json_node (entry));
      json_node_take_object (node, object);
      print_json_line (node);
      return;
    }

  if (task_run_id != NULL)
    task_run_name (watch, task_run_id);

  watch_clear_progress (watch);
  tool_print_log_line (entry, watch->flow_run_name != NULL ? watch->flow_run_name : watch->flow_run_id,
                       watch->task_run_names);
  watch_show_progress (watch);
}

static void
on_watch_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Watch *watch = user_data;

  watch->final_view = prefect_ctx_flow_run_watcher_watch_finish (PREFECT_CTX_FLOW_RUN_WATCHER (source),
                                                                 result, &watch->error);
  g_main_loop_quit (watch->loop);
}

static gboolean
on_interrupt (gpointer user_data)
{
  Watch *watch = user_data;

  g_cancellable_cancel (watch->cancellable);
  return G_SOURCE_CONTINUE;
}

static int
flow_run_watch (int argc, char **argv, GError **error)
{
  g_autofree char *whole_id = NULL;
  int open_status;
  g_autoptr(PrefectCtxClient) client = NULL;
  g_autoptr(PrefectCtxFlowRunWatcher) watcher = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  Watch watch = { 0 };
  PrefectCtxState *state;
  guint interrupt_source;
  int status = TOOL_EXIT_OK;

  if (!(watch_interval > 0.0))
    {
      g_set_error (error, TOOL_USAGE_ERROR, 0, "--interval must be more than 0, not %g", watch_interval);
      return TOOL_EXIT_USAGE;
    }
  if (!(watch_max_duration >= 0.0))
    {
      g_set_error (error, TOOL_USAGE_ERROR, 0, "--max-duration must not be negative, not %g", watch_max_duration);
      return TOOL_EXIT_USAGE;
    }

  client = tool_open_store_for_id (argc, argv, FALSE, FALSE, &whole_id, &open_status, error);
  if (client == NULL)
    return open_status;

  /* An unknown ID is reported at once, as by the other commands. */
  run = prefect_ctx_client_read_flow_run (client, argv[1], NULL, error);
  if (run == NULL)
    {
      tool_name_missing (error, "Flow run", argv[1]);
      return TOOL_EXIT_FAILURE;
    }

  watch.client = client;
  watch.flow_run_id = argv[1];
  watch.flow_run_name = g_strdup (prefect_ctx_flow_run_get_name (run));
  watch.task_run_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  watch.loop = g_main_loop_new (NULL, FALSE);
  watch.cancellable = g_cancellable_new ();
  watch.tty = isatty (STDOUT_FILENO) && !tool_get_json ();

  watcher = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN_WATCHER,
                          "client", client,
                          "flow-run-id", argv[1],
                          "poll-interval", watch_interval,
                          "max-poll-interval", watch_interval * 5,
                          "max-duration", watch_max_duration,
                          NULL);
  g_signal_connect (watcher, "updated", G_CALLBACK (on_watch_updated), &watch);
  g_signal_connect (watcher, "entry", G_CALLBACK (on_watch_entry), &watch);

  interrupt_source = g_unix_signal_add (SIGINT, on_interrupt, &watch);
  prefect_ctx_flow_run_watcher_watch_async (watcher, watch.cancellable, on_watch_done, &watch);
  g_main_loop_run (watch.loop);
  g_source_remove (interrupt_source);
  g_signal_handlers_disconnect_by_data (watcher, &watch);

  watch_clear_progress (&watch);

  if (watch.error != NULL)
    {
      if (g_error_matches (watch.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_printerr ("%s: interrupted\n", argv[0]);
          g_clear_error (&watch.error);
          status = 130;
        }
      else
        {
          g_propagate_error (error, g_steal_pointer (&watch.error));
          status = TOOL_EXIT_FAILURE;
        }
    }
  else
    {
      state = prefect_ctx_flow_run_view_get_state (watch.final_view);

      if (tool_get_json ())
        {
          g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
          JsonObject *object = json_object_new ();

          json_object_set_string_member (object, "kind", "finished");
          json_object_set_member (object, "flow_run",
                                  prefect_ctx_flow_run_to_json_node (prefect_ctx_flow_run_view_get_flow_run (watch.final_view)));
          json_node_take_object (node, object);
          print_json_line (node);
        }
      else
        {
          g_autofree char *description = describe_state (state);

          g_print ("Flow run '%s' finished in state %s\n",
                   prefect_ctx_flow_run_view_get_name (watch.final_view), description);
        }

      /* Like a shell's `wait`: the run's success is the command's. */
      if (prefect_ctx_state_get_state_type (state) != PREFECT_CTX_STATE_TYPE_COMPLETED)
        status = TOOL_EXIT_FAILURE;
    }

  g_clear_object (&watch.final_view);
  g_clear_object (&watch.cancellable);
  g_clear_pointer (&watch.loop, g_main_loop_unref);
  g_clear_pointer (&watch.task_run_names, g_hash_table_unref);
  g_free (watch.flow_run_name);
  g_free (watch.progress);

  return status;
}

/* ---- delete, cancel ----------------------------------------------------- */

/* Prefect's wording for a flow run that is not there. */
static void
not_found_exclaimed (GError    **error,
                     const char *id)
{
  if (error != NULL && *error != NULL && g_error_matches (*error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND))
    {
      g_free ((*error)->message);
      (*error)->message = g_strdup_printf ("Flow run '%s' not found!", id);
    }
}

static int
flow_run_delete (int argc, char **argv, GError **error)
{
  g_autofree char *whole_id = NULL;
  int open_status;
  g_autoptr(PrefectCtxClient) client = NULL;

  client = tool_open_store_for_id (argc, argv, FALSE, TRUE, &whole_id, &open_status, error);
  if (client == NULL)
    return open_status;

  if (!prefect_ctx_client_delete_flow_run (client, argv[1], NULL, error))
    {
      not_found_exclaimed (error, argv[1]);
      return TOOL_EXIT_FAILURE;
    }

  if (tool_get_json ())
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "id", argv[1]);
      json_object_set_boolean_member (object, "deleted", TRUE);
      json_node_take_object (node, object);
      tool_print_json (node);
    }
  else
    g_print ("Successfully deleted flow run '%s'.\n", argv[1]);
  return TOOL_EXIT_OK;
}

static int
flow_run_cancel (int argc, char **argv, GError **error)
{
  g_autofree char *whole_id = NULL;
  int open_status;
  static const char aborted[] = "Flow run state change aborted: ";
  g_autoptr(PrefectCtxClient) client = NULL;
  g_autoptr(PrefectCtxState) cancelling = NULL;
  g_autoptr(PrefectCtxState) stored = NULL;

  client = tool_open_store_for_id (argc, argv, FALSE, TRUE, &whole_id, &open_status, error);
  if (client == NULL)
    return open_status;

  /* Not forced: the store's rules decide (a Scheduled run is Cancelled at
   * once, a finished one is not cancelled). */
  cancelling = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_CANCELLING, NULL, NULL);
  stored = prefect_ctx_client_set_flow_run_state (client, argv[1], cancelling, FALSE, NULL, error);
  if (stored == NULL)
    {
      if (g_error_matches (*error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_ABORTED))
        {
          const char *reason = (*error)->message;
          char *message;

          if (g_str_has_prefix (reason, aborted))
            reason += strlen (aborted);
          message = g_strdup_printf ("Flow run '%s' was unable to be cancelled. Reason: '%s'", argv[1], reason);
          g_free ((*error)->message);
          (*error)->message = message;
        }
      not_found_exclaimed (error, argv[1]);
      return TOOL_EXIT_FAILURE;
    }

  if (tool_get_json ())
    {
      g_autoptr(JsonNode) node = prefect_ctx_state_to_json_node (stored);

      tool_print_json (node);
    }
  else
    /* Prefect's message, its spelling included. */
    g_print ("Flow run '%s' was succcessfully scheduled for cancellation.\n", argv[1]);
  return TOOL_EXIT_OK;
}

/* ---- the group ---------------------------------------------------------- */

static const ToolCommand flow_run_subcommands[] = {
  { .name = "ls", .summary = "List flow runs, newest first",
    .entries = ls_entries, .run = flow_run_ls },
  { .name = "inspect", .parameter_string = "ID",
    .summary = "Show a flow run: its state history and its task runs with states and durations",
    .entries = inspect_entries, .run = flow_run_inspect },
  { .name = "logs", .parameter_string = "ID",
    .summary = "Print the logs of a flow run, oldest first",
    .entries = logs_entries, .run = flow_run_logs },
  { .name = "watch", .parameter_string = "ID",
    .summary = "Follow a flow run until it finishes: its new states and logs, and task runs finished / total",
    .description =
      "Exit status: 0 when the run finishes Completed, 1 when it finishes in another state,\n"
      "when --max-duration passes first, or when the run cannot be read; 130 on Ctrl-C.\n"
      "With --json, NDJSON: one object a line, each with its \"kind\": \"log\" with the\n"
      "\"entry\" (a log entry), \"progress\" with the task-run counts when they change, and\n"
      "\"finished\" with the \"flow_run\" at the end.",
    .entries = watch_entries, .run = flow_run_watch },
  { .name = "cancel", .parameter_string = "ID",
    .summary = "Cancel a flow run: Cancelling (a Scheduled run is Cancelled at once; a finished run is not cancelled)",
    .run = flow_run_cancel },
  { .name = "delete", .parameter_string = "ID",
    .summary = "Delete a flow run, its states and its task runs",
    .run = flow_run_delete },
  { NULL }
};

const ToolCommand tool_flow_run_command = {
  .name = "flow-run",
  .summary = "List, inspect, follow, cancel and delete the flow runs of the run store",
  .description =
    "The run store is $PREFECT_HOME/prefectctx.db, or the Prefect server at PREFECT_API_URL\n"
    "when that is set. Only cancel and delete change it; a missing store is an error (exit\n"
    "status 1), never a new empty database.",
  .subcommands = flow_run_subcommands,
};
