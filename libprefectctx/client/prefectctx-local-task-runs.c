/* prefectctx-local-task-runs.c: the embedded run store's operations on task
 * runs (created with their first states, read, counted, their states) and
 * logs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "prefectctx-local-client.h"
#include "client/prefectctx-local-private.h"

#include "prefectctx-error.h"
#include "client/prefectctx-local-client-private.h"
#include "client/prefectctx-process-private.h"
#include "models/prefectctx-json-private.h"
#include "prefectctx-settings-context.h"
#include "prefectctx-settings.h"
#include "prefectctx-tsan-private.h"

/* The bookkeeping of a task run created with its first state @first and
 * then set to @second in the same call, as set_state's UPDATE would do it. */
typedef struct {
  int       run_count;
  gint64    start_time;   /* 0: none */
  gint64    end_time;     /* 0: none */
  gint64    total_run_time;
} TwoStates;

static void
two_states_init (TwoStates        *two,
                 const FirstState *first,
                 const FirstState *second)
{
  two->run_count = first->run_count + (second->running ? 1 : 0);
  two->start_time = first->running ? first->timestamp : second->running ? second->timestamp : 0;
  two->end_time = second->finished ? second->timestamp : 0;
  two->total_run_time = first->running && second->timestamp > first->timestamp
                        ? second->timestamp - first->timestamp : 0;
}

/* store_create_task_run, and with @then the state set after it in the same
 * statement (create_task_run_and_set_state). */
PrefectCtxTaskRun *
store_create_task_run (PrefectCtxLocalClient  *self,
                       PrefectCtxTaskRun      *task_run,
                       PrefectCtxState        *then,
                       GCancellable           *cancellable,
                       GError                **error)
{
  g_autofree char *new_id = NULL;
  g_autofree char *tags = NULL;
  PrefectCtxState *state = prefect_ctx_task_run_get_state (task_run);
  const char *id = prefect_ctx_task_run_get_id (task_run);
  const char *flow_run_id = prefect_ctx_task_run_get_flow_run_id (task_run);
  const char *task_key = prefect_ctx_task_run_get_task_key (task_run);
  const char *dynamic_key = prefect_ctx_task_run_get_dynamic_key (task_run);
  gint64 now = g_get_real_time ();
  gint64 later = now;
  PrefectCtxTaskRun *result = NULL;
  FirstState first;
  FirstState second;
  TwoStates two = { 0, };
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  gboolean inserted = FALSE;

  if (task_key == NULL || *task_key == '\0')
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "A task run needs a task key");
      return NULL;
    }
  if (dynamic_key == NULL)
    dynamic_key = "0";
  if (id == NULL)
    id = new_id = g_uuid_string_random ();
  tags = store_tags_to_json (prefect_ctx_task_run_get_tags (task_run));
  store_first_state_init (&first, state, now);
  if (then != NULL)
    {
      /* The second state's own time, never before the first's. */
      later = MAX (g_get_real_time (), now);
      store_first_state_init (&second, then, MAX (later, first.timestamp));
      two_states_init (&two, &first, &second);
    }

  LOCKED_BEGIN (self, cancellable, error, NULL);

  /* One statement: the run, its first state (or two) and its history. */
  if (!store_write_start (self, TRUE, error)
      || (stmt = store_get_stmt (self, then != NULL ? STMT_TASK_RUN_INSERT_TWO : STMT_TASK_RUN_INSERT,
                                 error)) == NULL)
    goto out;
  store_bind_text (stmt, 1, id);
  store_bind_text (stmt, 2, flow_run_id);
  store_bind_text (stmt, 3, task_key);
  store_bind_text (stmt, 4, dynamic_key);
  store_bind_text (stmt, 5, prefect_ctx_task_run_get_name (task_run));
  store_bind_text_or (stmt, 6, tags, "[]");
  sqlite3_bind_int (stmt, 7, prefect_ctx_task_run_get_map_index (task_run));
  if (then == NULL)
    {
      store_bind_first_state (stmt, &first, 8, 14);
      sqlite3_bind_int64 (stmt, 13, first.type != NULL ? first.timestamp : now);
      sqlite3_bind_int64 (stmt, 16, now);
      store_bind_text (stmt, 17, _prefect_ctx_process_identity ());
    }
  else
    {
      store_bind_text (stmt, 8, second.type);
      store_bind_text (stmt, 9, second.name);
      store_bind_text (stmt, 10, second.message);
      sqlite3_bind_int64 (stmt, 11, second.timestamp);
      sqlite3_bind_int (stmt, 12, two.run_count);
      sqlite3_bind_int64 (stmt, 13, first.timestamp);
      if (two.start_time != 0)
        sqlite3_bind_int64 (stmt, 14, two.start_time);
      if (two.end_time != 0)
        sqlite3_bind_int64 (stmt, 15, two.end_time);
      sqlite3_bind_int64 (stmt, 16, now);
      sqlite3_bind_int64 (stmt, 17, later);
      sqlite3_bind_int64 (stmt, 18, two.total_run_time);
      store_bind_text (stmt, 19, first.type);
      store_bind_text (stmt, 20, first.name);
      store_bind_text (stmt, 21, first.message);
      sqlite3_bind_int64 (stmt, 22, first.timestamp);
      store_bind_text (stmt, 23, _prefect_ctx_process_identity ());
    }

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (store_is_constraint_error (self))
        g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                     "A task run with ID %s already exists", id);
      else
        store_set_sqlite_error (self, error, "creating a task run");
      store_stmt_done (stmt);
      goto out;
    }
  store_stmt_done (stmt);
  if (!store_write_done (self, error))
    goto out;
  inserted = sqlite3_changes (self->db) > 0;

  if (!inserted)
    {
      /* The server's answer to a duplicate (flow run, task key, dynamic
       * key): the existing task run. */
      if ((stmt = store_get_stmt (self, STMT_TASK_RUN_BY_KEY, error)) == NULL)
        goto out;
      store_bind_text (stmt, 1, flow_run_id);
      store_bind_text (stmt, 2, task_key);
      store_bind_text (stmt, 3, dynamic_key);
      result = store_query_one (self, stmt, (RowFunc) store_task_run_from_row, error);
      if (result == NULL)
        {
          if (error == NULL || *error == NULL)
            g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND,
                                 "Task run not found");
          goto out;
        }
    }

  ok = TRUE;

out:
  LOCKED_END (self);

  if (!ok)
    return NULL;

  if (result != NULL)
    {
      g_autoptr(PrefectCtxTaskRun) existing = result;
      g_autoptr(PrefectCtxState) stored = NULL;

      if (then == NULL)
        return g_steal_pointer (&existing);

      /* The state goes to the existing run, as the two calls would do. */
      stored = store_set_state (self, STMT_TASK_RUN_SET_STATE, prefect_ctx_task_run_get_id (existing),
                                then, "Task run not found", cancellable, error);
      if (stored == NULL)
        return NULL;
      return store_read_by_id (self, STMT_TASK_RUN_BY_ID, prefect_ctx_task_run_get_id (existing),
                               (RowFunc) store_task_run_from_row, "Task run not found", cancellable, error);
    }

  /* The stored run, built from what was stored rather than read back: this
   * is the engine's hot path. */
  {
    const OptionalProps *optional = store_optional_props ();
    const FirstState *current = then != NULL ? &second : &first;
    PrefectCtxState *current_state = then != NULL ? then : state;
    gint64 start_time = then != NULL ? two.start_time : first.running ? first.timestamp : 0;
    gint64 end_time = then != NULL ? two.end_time : first.finished ? first.timestamp : 0;
    Props props = { 0, };

    store_props_string (&props, "id", id);
    store_props_string (&props, "name", prefect_ctx_task_run_get_name (task_run));
    store_props_string (&props, "flow-run-id", flow_run_id);
    store_props_string (&props, "task-key", task_key);
    store_props_string (&props, "dynamic-key", dynamic_key);
    g_value_set_boxed (store_props_add (&props, "tags", G_TYPE_STRV), prefect_ctx_task_run_get_tags (task_run));
    store_props_int (&props, "map-index", prefect_ctx_task_run_get_map_index (task_run));
    store_props_int (&props, "run-count", then != NULL ? two.run_count : first.run_count);
    if (current_state != NULL)
      {
        if (prefect_ctx_state_get_timestamp (current_state) != NULL)
          g_value_set_object (store_props_add (&props, "state", PREFECT_CTX_TYPE_STATE), current_state);
        else
          store_props_take_object (&props, "state", PREFECT_CTX_TYPE_STATE,
                                   store_state_new (current->type, current->name, current->message, current->timestamp));
      }
    if (start_time != 0)
      store_props_take_boxed (&props, "start-time", G_TYPE_DATE_TIME, store_datetime_from_usec (start_time));
    if (end_time != 0)
      store_props_take_boxed (&props, "end-time", G_TYPE_DATE_TIME, store_datetime_from_usec (end_time));
    if (optional->task_run_total_run_time && two.total_run_time != 0)
      g_value_set_double (store_props_add (&props, "total-run-time", G_TYPE_DOUBLE),
                          two.total_run_time / (double) G_USEC_PER_SEC);
    if (optional->task_run_expected_start_time)
      store_props_take_boxed (&props, "expected-start-time", G_TYPE_DATE_TIME,
                              store_datetime_from_usec (first.type != NULL ? first.timestamp : now));
    if (optional->task_run_created || optional->task_run_updated)
      {
        g_autoptr(GDateTime) created = store_datetime_from_usec (now);

        if (optional->task_run_created)
          g_value_set_boxed (store_props_add (&props, "created", G_TYPE_DATE_TIME), created);
        if (optional->task_run_updated)
          store_props_take_boxed (&props, "updated", G_TYPE_DATE_TIME,
                                  later == now ? g_date_time_ref (created) : store_datetime_from_usec (later));
      }

    return store_props_build (&props, PREFECT_CTX_TYPE_TASK_RUN);
  }
}

PrefectCtxTaskRun *
store_local_create_task_run (PrefectCtxClient   *client,
                             PrefectCtxTaskRun  *task_run,
                             GCancellable       *cancellable,
                             GError            **error)
{
  return store_create_task_run (PREFECT_CTX_LOCAL_CLIENT (client), task_run, NULL, cancellable, error);
}

PrefectCtxTaskRun *
store_local_create_task_run_and_set_state (PrefectCtxClient   *client,
                                           PrefectCtxTaskRun  *task_run,
                                           PrefectCtxState    *state,
                                           GCancellable       *cancellable,
                                           GError            **error)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (client);
  g_autoptr(PrefectCtxTaskRun) created = NULL;
  g_autoptr(PrefectCtxState) stored = NULL;

  if (prefect_ctx_task_run_get_state (task_run) != NULL)
    return store_create_task_run (self, task_run, state, cancellable, error);

  /* No first state: the two calls, then the run as stored. */
  created = store_create_task_run (self, task_run, NULL, cancellable, error);
  if (created == NULL)
    return NULL;
  stored = store_set_state (self, STMT_TASK_RUN_SET_STATE, prefect_ctx_task_run_get_id (created),
                            state, "Task run not found", cancellable, error);
  if (stored == NULL)
    return NULL;
  return store_read_by_id (self, STMT_TASK_RUN_BY_ID, prefect_ctx_task_run_get_id (created),
                           (RowFunc) store_task_run_from_row, "Task run not found", cancellable, error);
}

PrefectCtxTaskRun *
store_local_read_task_run (PrefectCtxClient  *client,
                           const char        *id,
                           GCancellable      *cancellable,
                           GError           **error)
{
  return store_read_by_id (PREFECT_CTX_LOCAL_CLIENT (client), STMT_TASK_RUN_BY_ID, id,
                           (RowFunc) store_task_run_from_row, "Task run not found", cancellable, error);
}

static GListModel *
read_task_runs (PrefectCtxClient  *client,
                StmtId             all,
                StmtId             by_flow_run,
                const char        *flow_run_id,
                guint              limit,
                guint              offset,
                GCancellable      *cancellable,
                GError           **error)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (client);
  GListModel *result = NULL;
  sqlite3_stmt *stmt;

  LOCKED_BEGIN (self, cancellable, error, NULL);

  stmt = store_get_stmt (self, flow_run_id == NULL ? all : by_flow_run, error);
  if (stmt != NULL)
    {
      store_bind_limit (stmt, limit, offset);
      if (flow_run_id != NULL)
        store_bind_text (stmt, 3, flow_run_id);
      result = store_query_list (self, stmt, PREFECT_CTX_TYPE_TASK_RUN,
                                 (RowFunc) store_task_run_from_row, error);
    }

  LOCKED_END (self);
  return result;
}

GListModel *
store_local_read_task_runs (PrefectCtxClient  *client,
                            const char        *flow_run_id,
                            guint              limit,
                            guint              offset,
                            GCancellable      *cancellable,
                            GError           **error)
{
  return read_task_runs (client, STMT_TASK_RUNS_ALL, STMT_TASK_RUNS_BY_FLOW_RUN, flow_run_id, limit, offset,
                         cancellable, error);
}

GListModel *
store_local_read_latest_task_runs (PrefectCtxClient  *client,
                                   const char        *flow_run_id,
                                   guint              limit,
                                   guint              offset,
                                   GCancellable      *cancellable,
                                   GError           **error)
{
  return read_task_runs (client, STMT_TASK_RUNS_LATEST, STMT_TASK_RUNS_LATEST_BY_FLOW_RUN, flow_run_id, limit,
                         offset, cancellable, error);
}

PrefectCtxState *
store_local_set_task_run_state (PrefectCtxClient  *client,
                                const char        *id,
                                PrefectCtxState   *state,
                                gboolean           force,
                                GCancellable      *cancellable,
                                GError           **error)
{
  return store_set_state (PREFECT_CTX_LOCAL_CLIENT (client), STMT_TASK_RUN_SET_STATE,
                          id, state, "Task run not found",
                          cancellable, error);
}

GListModel *
store_local_read_task_run_states (PrefectCtxClient  *client,
                                  const char        *id,
                                  GCancellable      *cancellable,
                                  GError           **error)
{
  return store_read_states (PREFECT_CTX_LOCAL_CLIENT (client), STMT_TASK_RUN_BY_ID, (RowFunc) store_task_run_from_row,
                            STMT_TASK_RUN_STATES, id, "Task run not found", cancellable, error);
}

guint
store_local_count_task_runs (PrefectCtxClient  *client,
                             const char        *flow_run_id,
                             gboolean           finished_only,
                             GCancellable      *cancellable,
                             GError           **error)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (client);
  sqlite3_stmt *stmt;
  guint count = 0;

  LOCKED_BEGIN (self, cancellable, error, 0);

  if (flow_run_id == NULL)
    stmt = store_get_stmt (self, finished_only ? STMT_COUNT_FINISHED_TASK_RUNS_ALL : STMT_COUNT_TASK_RUNS_ALL, error);
  else
    stmt = store_get_stmt (self, finished_only ? STMT_COUNT_FINISHED_TASK_RUNS_BY_FLOW_RUN
                                               : STMT_COUNT_TASK_RUNS_BY_FLOW_RUN, error);
  if (stmt != NULL)
    {
      if (flow_run_id != NULL)
        store_bind_text (stmt, 1, flow_run_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        count = (guint) sqlite3_column_int64 (stmt, 0);
      else
        store_set_sqlite_error (self, error, "counting task runs");
      store_stmt_done (stmt);
    }

  LOCKED_END (self);
  return count;
}

gboolean
store_local_create_logs (PrefectCtxClient  *client,
                         GPtrArray         *logs,
                         GCancellable      *cancellable,
                         GError           **error)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (client);
  gboolean transaction = logs->len > 1;
  gint64 now = g_get_real_time ();
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  for (guint i = 0; i < logs->len; i++)
    if (!PREFECT_CTX_IS_LOG_ENTRY (g_ptr_array_index (logs, i)))
      {
        g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                     "Element %u of the logs is not a PrefectCtxLogEntry", i);
        return FALSE;
      }

  if (logs->len == 0)
    return !g_cancellable_set_error_if_cancelled (cancellable, error);

  LOCKED_BEGIN (self, cancellable, error, FALSE);

  if (transaction ? !store_batch_begin (self, TRUE, error) : !store_write_start (self, TRUE, error))
    goto out;

  if ((stmt = store_get_stmt (self, STMT_LOG_INSERT, error)) == NULL)
    goto out;

  for (guint i = 0; i < logs->len; i++)
    {
      PrefectCtxLogEntry *entry = g_ptr_array_index (logs, i);
      GDateTime *timestamp = prefect_ctx_log_entry_get_timestamp (entry);

      store_bind_text (stmt, 1, prefect_ctx_log_entry_get_name (entry));
      sqlite3_bind_int (stmt, 2, prefect_ctx_log_entry_get_level (entry));
      store_bind_text (stmt, 3, prefect_ctx_log_entry_get_message (entry));
      sqlite3_bind_int64 (stmt, 4, timestamp != NULL ? store_datetime_to_usec (timestamp) : now);
      store_bind_text (stmt, 5, prefect_ctx_log_entry_get_flow_run_id (entry));
      store_bind_text (stmt, 6, prefect_ctx_log_entry_get_task_run_id (entry));
      if (!store_stmt_exec (self, stmt, "storing logs", error))
        goto out;
    }

  if (transaction && !store_batch_commit (self, error))
    goto out;
  if (!store_write_done (self, error))
    goto out;

  ok = TRUE;

out:
  if (!ok && transaction)
    store_batch_rollback (self);
  LOCKED_END (self);
  return ok;
}

GListModel *
store_local_read_logs (PrefectCtxClient  *client,
                       const char        *flow_run_id,
                       GDateTime         *after,
                       GDateTime         *before,
                       guint              limit,
                       guint              offset,
                       GCancellable      *cancellable,
                       GError           **error)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (client);
  GListModel *result = NULL;
  sqlite3_stmt *stmt;

  LOCKED_BEGIN (self, cancellable, error, NULL);

  stmt = store_get_stmt (self, flow_run_id == NULL ? STMT_LOGS_ALL : STMT_LOGS_BY_FLOW_RUN, error);
  if (stmt != NULL)
    {
      store_bind_limit (stmt, limit, offset);
      sqlite3_bind_int64 (stmt, 3, after != NULL ? store_datetime_to_usec (after) : G_MININT64);
      sqlite3_bind_int64 (stmt, 4, before != NULL ? store_datetime_to_usec (before) : G_MAXINT64);
      if (flow_run_id != NULL)
        store_bind_text (stmt, 5, flow_run_id);
      result = store_query_list (self, stmt, PREFECT_CTX_TYPE_LOG_ENTRY, (RowFunc) store_log_from_row, error);
    }

  LOCKED_END (self);
  return result;
}


GListModel *
store_local_read_logs_since (PrefectCtxClient  *client,
                             const char        *flow_run_id,
                             guint64           *cursor,
                             GCancellable      *cancellable,
                             GError           **error)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (client);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  GListStore *store = NULL;
  guint64 last = *cursor;
  sqlite3_stmt *stmt;
  int rc;

  LOCKED_BEGIN (self, cancellable, error, NULL);

  stmt = store_get_stmt (self, STMT_LOGS_SINCE, error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) MIN (*cursor, (guint64) G_MAXINT64));
  store_bind_text (stmt, 2, flow_run_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      last = (guint64) sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (items, store_log_from_row (self, stmt, NULL));
    }
  if (rc != SQLITE_DONE)
    {
      store_set_sqlite_error (self, error, "reading");
      store_stmt_done (stmt);
      goto out;
    }
  store_stmt_done (stmt);

  store = g_list_store_new (PREFECT_CTX_TYPE_LOG_ENTRY);
  g_list_store_splice (store, 0, 0, items->pdata, items->len);
  *cursor = last;

out:
  LOCKED_END (self);
  return (GListModel *) store;
}
