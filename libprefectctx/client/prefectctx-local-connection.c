/* prefectctx-local-connection.c: the statements of the embedded run store, transactions, checkpoints
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "client/prefectctx-local-private.h"
#include "client/prefectctx-process-private.h"
#include "client/prefectctx-local-client-private.h"
#include "models/prefectctx-json-private.h"
#include "prefectctx-error.h"
#include "prefectctx-settings-context.h"
#include "prefectctx-settings.h"
#include "prefectctx-tsan-private.h"

#define FLOW_COLUMNS "id, name, version, description, tags, created"
#define DEPLOYMENT_COLUMNS "id, name, version, flow_id, parameters, tags, created"
#define RUN_STATE_COLUMNS \
  "state_type, state_name, state_message, state_timestamp, run_count, " \
  "expected_start_time, start_time, end_time, total_run_time, created, updated, process"
#define FLOW_RUN_COLUMNS \
  "id, name, flow_id, flow_version, parameters, tags, parent_task_run_id, deployment_id, " \
  RUN_STATE_COLUMNS
#define TASK_RUN_COLUMNS \
  "id, name, flow_run_id, task_key, dynamic_key, tags, map_index, " RUN_STATE_COLUMNS
#define LOG_COLUMNS "name, level, message, timestamp, flow_run_id, task_run_id"

/* The state history of a run is a JSON array in its row ("states"), each
 * state an object {"type", "name", "message", "timestamp" (µs)}: a state
 * change is then one UPDATE of one row, atomic without a transaction, and
 * the cheapest write SQLite can do. */
#define STATE_JSON(type, name, message, timestamp) \
  "json_object('type', " type ", 'name', " name ", 'message', " message ", 'timestamp', " timestamp ")"

/* Whether @x is a finished state type, as a chain of = tests. Not an IN
 * list: SQLite (3.40) builds an ephemeral table for an IN list of more than
 * two values each time the statement runs, which costs a state change a
 * third of its time in memory. IS_FINISHED ("state_type") is also the
 * condition of the partial index task_run_finished (schema.c), which SQLite
 * uses for a query only with the same condition. */
#define IS_FINISHED(x) \
  "(" x " = 'COMPLETED' OR " x " = 'FAILED' OR " x " = 'CANCELLED' OR " x " = 'CRASHED')"

/* The bookkeeping of a state change, as the Prefect server does it (its
 * IncrementRunCount, SetStartTime, SetEndTime and IncrementRunTime rules),
 * and the process of a Running run.
 * ?1 type, ?2 name, ?3 message, ?4 timestamp, ?5 now, ?6 id, ?7 process. */
#define SET_STATE_SQL(table) \
  "UPDATE " table " SET" \
  "  run_count = run_count + (?1 = 'RUNNING')," \
  "  start_time = CASE WHEN ?1 = 'RUNNING' AND start_time IS NULL THEN ?4 ELSE start_time END," \
  "  end_time = CASE WHEN " IS_FINISHED ("?1") " THEN ?4" \
  "                  WHEN " IS_FINISHED ("state_type") " THEN NULL" \
  "                  ELSE end_time END," \
  "  total_run_time = total_run_time + CASE WHEN state_type = 'RUNNING' AND ?4 > state_timestamp" \
  "                                         THEN ?4 - state_timestamp ELSE 0 END," \
  "  state_type = ?1, state_name = ?2, state_message = ?3, state_timestamp = ?4, updated = ?5," \
  "  process = CASE WHEN ?1 = 'RUNNING' THEN ?7 END," \
  "  states = json_insert(states, '$[#]', " STATE_JSON ("?1", "?2", "?3", "?4") ")" \
  " WHERE id = ?6"

/* A flow-run state proposed without force, under the server's rules on
 * cancellation (Prefect 2.10's core policy): a finished run is not made
 * Cancelling, Paused or Crashed (HandleFlowTerminalStateTransitions: the
 * server aborts), and a Cancelling or Cancelled run only goes to Cancelled
 * (EnforceCancellingToCancelledTransition: it rejects). No row changes
 * when a rule holds; the caller reads the run to tell which. */
#define PROPOSE_STATE_SQL(table) \
  SET_STATE_SQL (table) \
  " AND NOT ((?1 = 'CANCELLING' OR ?1 = 'PAUSED' OR ?1 = 'CRASHED')" \
  "          AND " IS_FINISHED ("coalesce(state_type, '')") ")" \
  " AND NOT ((coalesce(state_type, '') = 'CANCELLING' OR coalesce(state_type, '') = 'CANCELLED')" \
  "          AND ?1 <> 'CANCELLED')"

/* Crashed (?1-?5) for a run found Running with the process ?7, which is
 * gone: only if nobody changed its state since. */
#define CRASH_SQL(table) SET_STATE_SQL (table) " AND state_type = 'RUNNING' AND process = ?7"

/* The history of one run, oldest first. */
#define STATES_SQL(table) \
  "SELECT json_extract(s.value, '$.type'), json_extract(s.value, '$.name')," \
  "       json_extract(s.value, '$.message'), json_extract(s.value, '$.timestamp')" \
  " FROM " table ", json_each(" table ".states) AS s WHERE " table ".id = ?1" \
  " ORDER BY 4, s.key"

/* The first state of a run, given at creation (all NULL for none). */
#define FIRST_STATES_SQL(type, name, message, timestamp) \
  "CASE WHEN " type " IS NULL THEN '[]'" \
  " ELSE json_array(" STATE_JSON (type, name, message, timestamp) ") END"


static const char * const stmt_sql[N_STMTS] = {
  [STMT_BEGIN] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  [STMT_SAVEPOINT] = "SAVEPOINT batch",
  [STMT_RELEASE] = "RELEASE batch",
  [STMT_ROLLBACK_TO] = "ROLLBACK TO batch",
  [STMT_FLOW_INSERT] =
    "INSERT INTO flow (id, name, version, description, tags, created, updated)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT (name) DO NOTHING",
  [STMT_FLOW_BY_ID] = "SELECT " FLOW_COLUMNS " FROM flow WHERE id = ?1",
  [STMT_FLOW_BY_NAME] = "SELECT " FLOW_COLUMNS " FROM flow WHERE name = ?1",
  [STMT_DEPLOYMENT_UPSERT] =
    "INSERT INTO deployment (id, name, version, flow_id, parameters, tags, created, updated)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)"
    " ON CONFLICT (flow_id, name) DO UPDATE SET version = excluded.version,"
    "   parameters = excluded.parameters, tags = excluded.tags, updated = excluded.updated"
    " RETURNING " DEPLOYMENT_COLUMNS,
  [STMT_DEPLOYMENT_BY_ID] = "SELECT " DEPLOYMENT_COLUMNS " FROM deployment WHERE id = ?1",
  [STMT_FLOWS_LATEST] =
    "SELECT " FLOW_COLUMNS " FROM flow ORDER BY created DESC, rowid DESC LIMIT ?1 OFFSET ?2",
  [STMT_DEPLOYMENTS_LATEST] =
    "SELECT " DEPLOYMENT_COLUMNS " FROM deployment ORDER BY created DESC, rowid DESC LIMIT ?1 OFFSET ?2",
  [STMT_FLOW_RUN_INSERT] =
    "INSERT INTO flow_run (id, name, flow_id, flow_version, parameters, tags, parent_task_run_id,"
    " deployment_id, state_type, state_name, state_message, state_timestamp, run_count,"
    " expected_start_time, start_time, end_time, created, updated, states, process)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17, "
    FIRST_STATES_SQL ("?9", "?10", "?11", "?12") ", CASE WHEN ?9 = 'RUNNING' THEN ?18 END)",
  [STMT_FLOW_RUN_BY_ID] = "SELECT " FLOW_RUN_COLUMNS " FROM flow_run WHERE id = ?1",
  [STMT_FLOW_RUNS_ALL] =
    "SELECT " FLOW_RUN_COLUMNS " FROM flow_run"
    " ORDER BY expected_start_time DESC, rowid DESC LIMIT ?1 OFFSET ?2",
  [STMT_FLOW_RUNS_BY_STATE] =
    "SELECT " FLOW_RUN_COLUMNS " FROM flow_run WHERE state_type = ?3"
    " ORDER BY expected_start_time DESC, rowid DESC LIMIT ?1 OFFSET ?2",
  [STMT_FLOW_RUN_SET_STATE] = SET_STATE_SQL ("flow_run"),
  [STMT_FLOW_RUN_PROPOSE_STATE] = PROPOSE_STATE_SQL ("flow_run"),
  /* Cancelling proposed to a Scheduled run, which has no process to stop:
   * Cancelled at once (BypassCancellingScheduledFlowRuns). */
  [STMT_FLOW_RUN_CANCEL_SCHEDULED] = SET_STATE_SQL ("flow_run") " AND state_type = 'SCHEDULED'",
  [STMT_FLOW_RUN_CRASH] = CRASH_SQL ("flow_run"),
  [STMT_FLOW_RUN_STATES] = STATES_SQL ("flow_run"),
  /* Deleting a flow run: the subflow runs of its task runs lose their
   * parent task run (the server's ON DELETE SET NULL), its task runs go
   * (ON DELETE CASCADE), then the run. */
  [STMT_FLOW_RUN_DETACH_SUBFLOWS] =
    "UPDATE flow_run SET parent_task_run_id = NULL"
    " WHERE parent_task_run_id IN (SELECT id FROM task_run WHERE flow_run_id = ?1)",
  [STMT_TASK_RUNS_DELETE_BY_FLOW_RUN] = "DELETE FROM task_run WHERE flow_run_id = ?1",
  [STMT_FLOW_RUN_DELETE] = "DELETE FROM flow_run WHERE id = ?1",
  /* The IDs that start with a prefix: a range of the ID index. */
  [STMT_FLOW_RUN_IDS_IN_RANGE] = "SELECT id FROM flow_run WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT 2",
  [STMT_TASK_RUN_IDS_IN_RANGE] = "SELECT id FROM task_run WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT 2",
  [STMT_TASK_RUN_INSERT] =
    "INSERT INTO task_run (id, flow_run_id, task_key, dynamic_key, name, tags, map_index,"
    " state_type, state_name, state_message, state_timestamp, run_count,"
    " expected_start_time, start_time, end_time, created, updated, states, process)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, "
    FIRST_STATES_SQL ("?8", "?9", "?10", "?11") ", CASE WHEN ?8 = 'RUNNING' THEN ?17 END)"
    " ON CONFLICT (flow_run_id, task_key, dynamic_key) DO NOTHING",
  /* A task run and its first two states (create_task_run_and_set_state):
   * ?8-?11 the second, current state, ?19-?22 the first; the bookkeeping
   * (?12-?15, ?18) is computed by the caller. */
  [STMT_TASK_RUN_INSERT_TWO] =
    "INSERT INTO task_run (id, flow_run_id, task_key, dynamic_key, name, tags, map_index,"
    " state_type, state_name, state_message, state_timestamp, run_count,"
    " expected_start_time, start_time, end_time, created, updated, total_run_time, states, process)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " json_array(" STATE_JSON ("?19", "?20", "?21", "?22") ", " STATE_JSON ("?8", "?9", "?10", "?11") "),"
    " CASE WHEN ?8 = 'RUNNING' THEN ?23 END)"
    " ON CONFLICT (flow_run_id, task_key, dynamic_key) DO NOTHING",
  [STMT_TASK_RUN_BY_ID] = "SELECT " TASK_RUN_COLUMNS " FROM task_run WHERE id = ?1",
  [STMT_TASK_RUN_BY_KEY] =
    "SELECT " TASK_RUN_COLUMNS " FROM task_run"
    " WHERE flow_run_id = ?1 AND task_key = ?2 AND dynamic_key = ?3",
  [STMT_TASK_RUNS_ALL] =
    "SELECT " TASK_RUN_COLUMNS " FROM task_run"
    " ORDER BY expected_start_time, seq LIMIT ?1 OFFSET ?2",
  [STMT_TASK_RUNS_BY_FLOW_RUN] =
    "SELECT " TASK_RUN_COLUMNS " FROM task_run WHERE flow_run_id = ?3"
    " ORDER BY expected_start_time, seq LIMIT ?1 OFFSET ?2",
  /* The same indexes, walked backwards. */
  [STMT_TASK_RUNS_LATEST] =
    "SELECT " TASK_RUN_COLUMNS " FROM task_run"
    " ORDER BY expected_start_time DESC, seq DESC LIMIT ?1 OFFSET ?2",
  [STMT_TASK_RUNS_LATEST_BY_FLOW_RUN] =
    "SELECT " TASK_RUN_COLUMNS " FROM task_run WHERE flow_run_id = ?3"
    " ORDER BY expected_start_time DESC, seq DESC LIMIT ?1 OFFSET ?2",
  [STMT_TASK_RUN_SET_STATE] = SET_STATE_SQL ("task_run"),
  [STMT_TASK_RUN_CRASH] = CRASH_SQL ("task_run"),
  [STMT_TASK_RUN_STATES] = STATES_SQL ("task_run"),
  [STMT_COUNT_TASK_RUNS_ALL] = "SELECT count(*) FROM task_run",
  [STMT_COUNT_FINISHED_TASK_RUNS_ALL] =
    "SELECT count(*) FROM task_run WHERE " IS_FINISHED ("state_type"),
  [STMT_COUNT_TASK_RUNS_BY_FLOW_RUN] = "SELECT count(*) FROM task_run WHERE flow_run_id = ?1",
  [STMT_COUNT_FINISHED_TASK_RUNS_BY_FLOW_RUN] =
    "SELECT count(*) FROM task_run WHERE flow_run_id = ?1 AND " IS_FINISHED ("state_type"),
  [STMT_LOG_INSERT] =
    "INSERT INTO log (name, level, message, timestamp, flow_run_id, task_run_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  [STMT_LOGS_ALL] =
    "SELECT " LOG_COLUMNS " FROM log WHERE timestamp > ?3 AND timestamp <= ?4"
    " ORDER BY timestamp, seq LIMIT ?1 OFFSET ?2",
  [STMT_LOGS_BY_FLOW_RUN] =
    "SELECT " LOG_COLUMNS " FROM log WHERE flow_run_id = ?5 AND timestamp > ?3 AND timestamp <= ?4"
    " ORDER BY timestamp, seq LIMIT ?1 OFFSET ?2",
  /* A range of the primary key: "+" keeps the planner off log_flow_run, whose
   * use would read every log of the run. seq grows in commit order, since
   * SQLite has one writer at a time and a row is given max(seq) + 1. */
  [STMT_LOGS_SINCE] =
    "SELECT " LOG_COLUMNS ", seq FROM log WHERE seq > ?1 AND +flow_run_id = ?2 ORDER BY seq",
};


/* ------------------------------------------------------------------------ */
/* SQLite plumbing. Everything below runs with self->lock held. */

void
store_set_sqlite_error (PrefectCtxLocalClient  *self,
                        GError                **error,
                        const char             *what)
{
  int code = self->db != NULL ? sqlite3_extended_errcode (self->db) : SQLITE_ERROR;
  const char *message = self->db != NULL ? sqlite3_errmsg (self->db) : "not open";

  if ((code & 0xff) == SQLITE_NOTADB || (code & 0xff) == SQLITE_CORRUPT)
    g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                 "Run store '%s' is not a valid database: %s", self->path, message);
  else
    g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                 "Run store '%s': %s: %s", self->path, what, message);
}

sqlite3_stmt *
store_get_stmt (PrefectCtxLocalClient  *self,
                StmtId                  id,
                GError                **error)
{
  if (self->db == NULL)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                   "Run store '%s' is not open", self->path);
      return NULL;
    }

  if (self->stmts[id] == NULL
      && sqlite3_prepare_v3 (self->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                             &self->stmts[id], NULL) != SQLITE_OK)
    {
      store_set_sqlite_error (self, error, "preparing a statement");
      self->stmts[id] = NULL;
      return NULL;
    }

  return self->stmts[id];
}

/* The statements allowed to read a whole table: the count of all task runs
 * (a count is linear in what it counts, whatever the index). */
static gboolean
stmt_may_scan (StmtId id)
{
  return id == STMT_COUNT_TASK_RUNS_ALL;
}

/* The statements allowed a temporary B-tree: the state histories, which
 * sort the JSON array of one row, not rows of the store. */
static gboolean
stmt_may_sort (StmtId id)
{
  return id == STMT_FLOW_RUN_STATES || id == STMT_TASK_RUN_STATES;
}

/* Checks the query plan of every statement (PREFECT_CTX_CHECK_QUERY_PLANS
 * set; the test suite does): a g_critical () for each step that scans a
 * table or sorts in a temporary B-tree, so that a query added without its
 * index fails the tests instead of growing with the store. */
void
store_check_query_plans (PrefectCtxLocalClient *self)
{
  for (StmtId id = 0; id < N_STMTS; id++)
    {
      g_autofree char *sql = g_strconcat ("EXPLAIN QUERY PLAN ", stmt_sql[id], NULL);
      sqlite3_stmt *plan = NULL;

      if (sqlite3_prepare_v2 (self->db, sql, -1, &plan, NULL) != SQLITE_OK)
        {
          g_critical ("Statement %d does not prepare: %s", id, sqlite3_errmsg (self->db));
          continue;
        }
      while (sqlite3_step (plan) == SQLITE_ROW)
        {
          const char *detail = (const char *) sqlite3_column_text (plan, 3);
          gboolean scans = g_str_has_prefix (detail, "SCAN ") && strstr (detail, " INDEX ") == NULL;

          if ((scans && !stmt_may_scan (id)) || (strstr (detail, "TEMP B-TREE") != NULL && !stmt_may_sort (id)))
            g_critical ("Statement %d reads the store without an index (%s): %s", id, detail, stmt_sql[id]);
        }
      sqlite3_finalize (plan);
    }
}

void
store_stmt_done (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

/* Runs a statement that returns no rows. */
gboolean
store_stmt_exec (PrefectCtxLocalClient  *self,
                 sqlite3_stmt           *stmt,
                 const char             *what,
                 GError                **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      store_set_sqlite_error (self, error, what);
      store_stmt_done (stmt);
      return FALSE;
    }

  store_stmt_done (stmt);
  return TRUE;
}

gboolean
store_run_simple (PrefectCtxLocalClient  *self,
                  StmtId                  id,
                  const char             *what,
                  GError                **error)
{
  sqlite3_stmt *stmt = store_get_stmt (self, id, error);

  return stmt != NULL && store_stmt_exec (self, stmt, what, error);
}

/* Before a write: an in-memory store works inside a transaction kept open
 * (see MEMORY_WRITES_PER_COMMIT); a file store opens one for a @deferred
 * write (see DEFERRED_COMMIT_US), and reports a timed commit that failed
 * since the last call. */
gboolean
store_write_start (PrefectCtxLocalClient  *self,
                   gboolean                deferred,
                   GError                **error)
{
  if (self->db == NULL)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                   "Run store '%s' is not open", self->path);
      return FALSE;
    }

  if (self->commit_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->commit_error));
      return FALSE;
    }

  self->write_deferred = deferred;
  if (self->in_memory && sqlite3_get_autocommit (self->db))
    {
      self->writes = 0;
      return store_run_simple (self, STMT_BEGIN, "starting a transaction", error);
    }

  if (!self->in_memory && deferred && sqlite3_get_autocommit (self->db))
    {
      if (!store_run_simple (self, STMT_BEGIN, "starting a transaction", error))
        return FALSE;
      self->deferred = 0;
      self->deferred_since = g_get_monotonic_time ();
      store_committer_request (self->committer);
    }

  return TRUE;
}

/* Commits the deferred writes of a file store, if any. A failed commit
 * rolls them back: they are lost, and @error says so. */
gboolean
store_commit_deferred (PrefectCtxLocalClient  *self,
                       GError                **error)
{
  guint n = self->deferred;
  g_autoptr(GError) local_error = NULL;

  if (self->in_memory || self->db == NULL || sqlite3_get_autocommit (self->db))
    return TRUE;

  self->deferred = 0;
  if (store_run_simple (self, STMT_COMMIT, "committing", &local_error))
    return TRUE;

  if (!sqlite3_get_autocommit (self->db))
    store_run_simple (self, STMT_ROLLBACK, "rolling back", NULL);
  g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
               "%s; the last %u task run and log writes were lost", local_error->message, n);
  return FALSE;
}

/* After a successful write: an in-memory store commits every so many; a
 * file store commits now, unless the write may wait (deferred), and then
 * when enough have waited or the first has waited long enough. */
gboolean
store_write_done (PrefectCtxLocalClient  *self,
                  GError                **error)
{
  if (self->in_memory)
    {
      if (++self->writes >= MEMORY_WRITES_PER_COMMIT)
        {
          self->writes = 0;
          if (store_run_simple (self, STMT_COMMIT, "committing", NULL))
            store_run_simple (self, STMT_BEGIN, "starting a transaction", NULL);
        }
      return TRUE;
    }

  if (sqlite3_get_autocommit (self->db))
    return TRUE;
  self->deferred++;
  if (!self->write_deferred || self->deferred >= DEFERRED_WRITES_PER_COMMIT
      || g_get_monotonic_time () - self->deferred_since >= DEFERRED_COMMIT_US)
    return store_commit_deferred (self, error);
  return TRUE;
}

/* A change of several rows, all or nothing: a transaction of its own, or a
 * savepoint inside the one that is open (in memory, or deferred writes). */
gboolean
store_batch_begin (PrefectCtxLocalClient  *self,
                   gboolean                deferred,
                   GError                **error)
{
  if (!store_write_start (self, deferred, error))
    return FALSE;

  self->batch_savepoint = !sqlite3_get_autocommit (self->db);
  return self->batch_savepoint
         ? store_run_simple (self, STMT_SAVEPOINT, "starting a savepoint", error)
         : store_run_simple (self, STMT_BEGIN, "starting a transaction", error);
}

gboolean
store_batch_commit (PrefectCtxLocalClient  *self,
                    GError                **error)
{
  if (self->batch_savepoint)
    return store_run_simple (self, STMT_RELEASE, "releasing a savepoint", error);

  if (store_run_simple (self, STMT_COMMIT, "committing", error))
    return TRUE;

  /* A failed COMMIT may leave the transaction open. */
  if (!sqlite3_get_autocommit (self->db))
    store_run_simple (self, STMT_ROLLBACK, "rolling back", NULL);
  return FALSE;
}

void
store_batch_rollback (PrefectCtxLocalClient *self)
{
  if (self->db == NULL || sqlite3_get_autocommit (self->db))
    return;

  if (self->batch_savepoint)
    {
      store_run_simple (self, STMT_ROLLBACK_TO, "rolling back to a savepoint", NULL);
      store_run_simple (self, STMT_RELEASE, "releasing a savepoint", NULL);
    }
  else
    store_run_simple (self, STMT_ROLLBACK, "rolling back", NULL);
}

/* ------------------------------------------------------------------------ */
/* Timed commits */

struct _Committer {
  PrefectCtxLocalClient *client;   /* not referenced: it frees the committer first */
  GMutex                 lock;
  GCond                  cond;
  GThread               *thread;   /* started on the first request */
  gboolean               wanted;
  gboolean               stop;
};

static gpointer
committer_thread (gpointer data)
{
  Committer *committer = data;

  prefect_ctx_mutex_lock (&committer->lock);
  for (;;)
    {
      while (!committer->wanted && !committer->stop)
        prefect_ctx_cond_wait (&committer->cond, &committer->lock);
      if (committer->stop)
        break;
      committer->wanted = FALSE;
      prefect_ctx_mutex_unlock (&committer->lock);

      /* Until the deferred writes are due (the first may be newer than the
       * request, if a commit came in between). */
      for (;;)
        {
          PrefectCtxLocalClient *self = committer->client;
          gint64 due = 0;

          prefect_ctx_mutex_lock (&self->lock);
          if (self->db != NULL && !sqlite3_get_autocommit (self->db) && self->deferred > 0)
            {
              due = self->deferred_since + DEFERRED_COMMIT_US;
              if (g_get_monotonic_time () >= due)
                {
                  g_autoptr(GError) error = NULL;

                  if (!store_commit_deferred (self, &error))
                    {
                      g_warning ("%s", error->message);
                      g_clear_error (&self->commit_error);
                      self->commit_error = g_steal_pointer (&error);
                    }
                  due = 0;
                }
            }
          prefect_ctx_mutex_unlock (&self->lock);
          if (due == 0)
            break;

          prefect_ctx_mutex_lock (&committer->lock);
          if (!committer->stop)
            prefect_ctx_cond_wait_until (&committer->cond, &committer->lock, due);
          if (committer->stop)
            {
              prefect_ctx_mutex_unlock (&committer->lock);
              return NULL;
            }
          prefect_ctx_mutex_unlock (&committer->lock);
        }
      prefect_ctx_mutex_lock (&committer->lock);
    }
  prefect_ctx_mutex_unlock (&committer->lock);
  return NULL;
}

Committer *
store_committer_new (PrefectCtxLocalClient *self)
{
  Committer *committer = g_new0 (Committer, 1);

  committer->client = self;
  g_mutex_init (&committer->lock);
  g_cond_init (&committer->cond);
  return committer;
}

/* Called with the client's lock held. */
void
store_committer_request (Committer *committer)
{
  if (committer == NULL)
    return;
  prefect_ctx_mutex_lock (&committer->lock);
  if (committer->thread == NULL)
    committer->thread = g_thread_new ("prefectctx-commit", committer_thread, committer);
  committer->wanted = TRUE;
  g_cond_signal (&committer->cond);
  prefect_ctx_mutex_unlock (&committer->lock);
}

/* Stops the thread; the client commits what waits itself. Called without
 * the client's lock. */
void
store_committer_free (Committer *committer)
{
  prefect_ctx_mutex_lock (&committer->lock);
  committer->stop = TRUE;
  g_cond_signal (&committer->cond);
  prefect_ctx_mutex_unlock (&committer->lock);
  if (committer->thread != NULL)
    g_thread_join (committer->thread);
  g_mutex_clear (&committer->lock);
  g_cond_clear (&committer->cond);
  g_free (committer);
}

void
store_bind_text (sqlite3_stmt *stmt,
                 int           index,
                 const char   *text)
{
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

void
store_bind_text_or (sqlite3_stmt *stmt,
                    int           index,
                    const char   *text,
                    const char   *fallback)
{
  sqlite3_bind_text (stmt, index, text != NULL ? text : fallback, -1, SQLITE_STATIC);
}

void
store_bind_limit (sqlite3_stmt *stmt,
                  guint         limit,
                  guint         offset)
{
  sqlite3_bind_int64 (stmt, 1, limit == 0 ? -1 : (gint64) limit);
  sqlite3_bind_int64 (stmt, 2, offset);
}

const char *
store_column_text (sqlite3_stmt *stmt,
                   int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/* ------------------------------------------------------------------------ */
/* Checkpoints */

gpointer
store_checkpoint_thread (gpointer data)
{
  Checkpointer *checkpointer = data;
  sqlite3 *db = NULL;

  prefect_ctx_mutex_lock (&checkpointer->lock);
  for (;;)
    {
      while (!checkpointer->wanted && !checkpointer->stop)
        {
          prefect_ctx_cond_wait (&checkpointer->cond, &checkpointer->lock);
        }
      if (checkpointer->stop)
        break;
      checkpointer->wanted = FALSE;
      prefect_ctx_mutex_unlock (&checkpointer->lock);

      if (db == NULL
          && sqlite3_open_v2 (checkpointer->path, &db,
                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        {
          g_debug ("Run store '%s': cannot open a connection for checkpoints: %s",
                   checkpointer->path, db != NULL ? sqlite3_errmsg (db) : "out of memory");
          g_clear_pointer (&db, sqlite3_close_v2);
        }
      else if (db != NULL && sqlite3_get_autocommit (db) && sqlite3_total_changes (db) == 0)
        {
          /* A connection checkpoints only once it has opened the WAL, which
           * it does on its first read (SQLite before 3.41). */
          sqlite3_exec (db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
        }

      /* PASSIVE: copies what it can without making anyone wait. */
      if (db != NULL)
        {
          int rc = sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

          /* BUSY: another process is checkpointing. */
          if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            g_debug ("Run store '%s': checkpoint failed: %s", checkpointer->path, sqlite3_errmsg (db));
        }

      prefect_ctx_mutex_lock (&checkpointer->lock);
      checkpointer->n_done++;
    }
  prefect_ctx_mutex_unlock (&checkpointer->lock);

  g_clear_pointer (&db, sqlite3_close_v2);
  return NULL;
}

Checkpointer *
store_checkpointer_new (const char *path)
{
  Checkpointer *checkpointer = g_new0 (Checkpointer, 1);

  g_mutex_init (&checkpointer->lock);
  g_cond_init (&checkpointer->cond);
  checkpointer->path = g_strdup (path);

  return checkpointer;
}

void
store_checkpointer_request (Checkpointer *checkpointer)
{
  prefect_ctx_mutex_lock (&checkpointer->lock);
  if (!checkpointer->wanted && !checkpointer->stop)
    {
      checkpointer->wanted = TRUE;
      if (checkpointer->thread == NULL)
        checkpointer->thread = g_thread_try_new ("prefectctx-wal", store_checkpoint_thread,
                                                 checkpointer, NULL);
      g_cond_signal (&checkpointer->cond);
    }
  prefect_ctx_mutex_unlock (&checkpointer->lock);
}

void
store_checkpointer_free (Checkpointer *checkpointer)
{
  GThread *thread;

  prefect_ctx_mutex_lock (&checkpointer->lock);
  checkpointer->stop = TRUE;
  thread = g_steal_pointer (&checkpointer->thread);
  g_cond_signal (&checkpointer->cond);
  prefect_ctx_mutex_unlock (&checkpointer->lock);

  if (thread != NULL)
    g_thread_join (thread);

  g_mutex_clear (&checkpointer->lock);
  g_cond_clear (&checkpointer->cond);
  g_free (checkpointer->path);
  g_free (checkpointer);
}

/* Called by SQLite after each commit of the client's connection, with the
 * size of the WAL: replaces the automatic checkpoints SQLite does in the
 * committing thread. */
int
store_wal_hook (void       *data,
                sqlite3    *db,
                const char *name,
                int         n_frames)
{
  PrefectCtxLocalClient *self = data;

  if (n_frames >= WAL_CHECKPOINT_HARD_FRAMES)
    sqlite3_wal_checkpoint_v2 (db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  else if (n_frames >= WAL_CHECKPOINT_FRAMES && self->checkpointer != NULL)
    store_checkpointer_request (self->checkpointer);

  return SQLITE_OK;
}

/* File stores open for writing, for the checkpoint at exit: the clients
 * get_default () keeps are never freed, and a copy of the .db file alone
 * must hold everything. */
static GMutex live_lock;
static GList *live_clients;

void
store_live_clients_checkpoint (void)
{
  prefect_ctx_mutex_lock (&live_lock);
  for (GList *l = live_clients; l != NULL; l = l->next)
    {
      PrefectCtxLocalClient *self = l->data;

      /* A thread inside a call (the commit thread, often) is waited for a
       * moment; one that keeps its client longer is not. */
      gint64 give_up = g_get_monotonic_time () + G_USEC_PER_SEC;
      gboolean locked;

      while (!(locked = g_mutex_trylock (&self->lock)) && g_get_monotonic_time () < give_up)
        g_usleep (1000);
      if (!locked)
        continue;
      PREFECT_CTX_TSAN_ACQUIRE (&self->lock);
      {
        g_autoptr(GError) error = NULL;

        if (!store_commit_deferred (self, &error))
          g_warning ("%s", error->message);
      }
      sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
      prefect_ctx_mutex_unlock (&self->lock);
    }
  prefect_ctx_mutex_unlock (&live_lock);
}

void
_prefect_ctx_local_client_checkpoint_all (void)
{
  store_live_clients_checkpoint ();
}

void
store_live_clients_add (PrefectCtxLocalClient *self)
{
  static gsize registered;

  if (g_once_init_enter (&registered))
    {
      atexit (store_live_clients_checkpoint);
      g_once_init_leave (&registered, 1);
    }
  prefect_ctx_mutex_lock (&live_lock);
  live_clients = g_list_prepend (live_clients, self);
  prefect_ctx_mutex_unlock (&live_lock);
}

void
store_live_clients_remove (PrefectCtxLocalClient *self)
{
  prefect_ctx_mutex_lock (&live_lock);
  live_clients = g_list_remove (live_clients, self);
  prefect_ctx_mutex_unlock (&live_lock);
}

