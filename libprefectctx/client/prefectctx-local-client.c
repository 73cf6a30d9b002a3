/* prefectctx-local-client.c: the embedded run store (SQLite)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One SQLite connection per client object, used under a mutex: SQLite
 * serialises writers anyway, and within one process a mutex hands the
 * connection from thread to thread far faster than SQLite's busy handler,
 * which sleeps. Other processes on the same file wait for the write lock in
 * the busy handler (busy_timeout).
 *
 * Every statement is prepared once (SQLITE_PREPARE_PERSISTENT) and cached in
 * self->stmts; schema changes happen only when the file is opened. Times are
 * stored as integer microseconds since the Unix epoch (UTC), which sort and
 * compare exactly; parameters and tags as JSON text.
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

/**
 * PrefectCtxLocalClient:
 *
 * The embedded run store: a [iface@PrefectCtx.Client] that keeps flows,
 * runs, states, logs and deployments in an SQLite database, by default
 * `$PREFECT_HOME/prefectctx.db`, or in memory.
 *
 * The database is versioned (`PRAGMA user_version`, see
 * [func@PrefectCtx.LocalClient.get_schema_version]) and migrated forward
 * when it is opened; a database written by a newer version of the library,
 * a file that is not an SQLite database, and an SQLite database of another
 * application are reported as errors and left untouched.
 *
 * A file store uses SQLite's write-ahead log with `synchronous=NORMAL`.
 * Flows, flow runs and their states and deployments are committed before
 * the call that writes them returns. Task runs, their states and logs are
 * committed in groups: with the next write of the first kind, by
 * [method@PrefectCtx.Client.flush], when the client is finalized or
 * the process exits, and otherwise within 20 ms (or 2,048 writes) of the
 * first of them, by a thread of the client. This is the durability point:
 * a process killed with `SIGKILL` loses at most the task-run and log writes
 * of its last 20 ms, other connections see them that much later, and what
 * a kill leaves is always a prefix of what was written, never a task run
 * without those before it. A crash of the operating system or a power
 * loss may lose the last transactions, never corrupt the file. Several threads may use one client at once, and several processes
 * may write the same file: a writer waits up to 30 seconds for another to
 * finish. Every change that touches several rows (a run and its first
 * state, a state and the run's bookkeeping, a batch of logs) is one
 * transaction.
 *
 * Statements are prepared once per client and reused.
 *
 * A new file is created readable and writable by its owner only (0600).
 * At process exit every file store still open is checkpointed, so that the
 * database file alone holds everything.
 * [func@PrefectCtx.LocalClient.open_read_only] opens a store only to read
 * it.
 *
 * Rows that another program damaged stay readable where they can be: a
 * JSON column that does not parse (tags, parameters) is read as empty, with
 * a warning naming the store; a row that cannot be read at all (an unknown
 * state type) is a %PREFECT_CTX_ERROR_FAILED error when read alone, and is
 * left out of a list, with a warning, so that the other rows are read.
 * Values nested more than 512 levels deep are refused when written
 * (%PREFECT_CTX_ERROR_INVALID_ARGUMENT); NaN and infinities are stored as
 * JSON null.
 *
 * A run that is `Running` records the process that set it so: its pid, its
 * start time, the boot and the host (Linux). Every read of a flow run or a
 * task run (alone, in a list, or its history) checks that process when it
 * is another one of the same host, and a run whose process is gone (killed
 * with `SIGKILL`, crashed, or from before a reboot; a pid used again by
 * another process is told apart by its start time) is read as `Crashed`,
 * with the message `Execution was aborted: its process (pid N on HOST)
 * ended during the run, killed or crashed.` and the bookkeeping of that
 * state change. A client that may write records that state, unless the
 * run changed meanwhile; a read-only client only reports it. Runs of
 * another host, and runs that a process of another PID namespace (another
 * container sharing the file) set `Running` under the same host name, are
 * left as they are; so are runs recorded by version 1 of the schema.
 */

enum {
  PROP_0,
  PROP_PATH,
  PROP_READ_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void prefect_ctx_local_client_initable_iface_init (GInitableIface *iface);
static void prefect_ctx_local_client_client_iface_init (PrefectCtxClientInterface *iface);
static gboolean store_local_flush (PrefectCtxClient  *client,
                                   GCancellable      *cancellable,
                                   GError           **error);

G_DEFINE_FINAL_TYPE_WITH_CODE (PrefectCtxLocalClient, prefect_ctx_local_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      prefect_ctx_local_client_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (PREFECT_CTX_TYPE_CLIENT,
                                                      prefect_ctx_local_client_client_iface_init))

static char *
default_path (void)
{
  PrefectCtxSettingsContext *context = prefect_ctx_settings_context_get_current ();
  g_autoptr(PrefectCtxSettings) own = NULL;
  PrefectCtxSettings *settings = NULL;
  g_autofree char *home = NULL;

  if (context != NULL)
    settings = prefect_ctx_settings_context_get_settings (context);
  if (settings == NULL)
    settings = own = prefect_ctx_settings_new_from_environment ();

  home = prefect_ctx_settings_get_home (settings);
  if (g_mkdir_with_parents (home, 0700) != 0)
    g_debug ("Failed to create the Prefect home directory at %s", home);

  return g_build_filename (home, "prefectctx.db", NULL);
}

static gboolean
prefect_ctx_local_client_initable_init (GInitable     *initable,
                                        GCancellable  *cancellable,
                                        GError       **error)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (initable);
  int version = 0;
  int rc;

  if (self->db != NULL)
    return TRUE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (self->path == NULL)
    self->path = default_path ();
  self->in_memory = strcmp (self->path, PREFECT_CTX_LOCAL_CLIENT_MEMORY) == 0;

  if (self->read_only && self->in_memory)
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "A run store in memory cannot be opened read-only");
      return FALSE;
    }

  /* A new file is the user's alone: SQLite gives its -wal and -shm files
   * the same mode. */
  if (!self->in_memory && !self->read_only)
    {
      int fd = g_open (self->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

      if (fd >= 0)
        close (fd);
    }

  rc = sqlite3_open_v2 (self->path, &self->db,
                        (self->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
                        | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      store_set_sqlite_error (self, error, "opening");
      goto fail;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* Reading the header first: a file that is not an SQLite database fails
   * here (SQLITE_NOTADB), and a database that is not ours is left alone. */
  if (!store_check_schema (self, &version, error))
    goto fail;

  if (self->read_only)
    {
      /* Read-only: nothing is created or migrated. */
      if (version == 0)
        {
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND,
                       "Run store '%s' is empty: nothing has been recorded in it", self->path);
          goto fail;
        }
      if (version < SCHEMA_VERSION)
        {
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                       "Run store '%s' has schema version %d, older than this version of "
                       "libprefectctx reads (%d): open it once for writing to migrate it",
                       self->path, version, SCHEMA_VERSION);
          goto fail;
        }
      return TRUE;
    }

  if (!self->in_memory)
    {
      g_autofree char *size_limit = g_strdup_printf ("PRAGMA journal_size_limit = %d", WAL_SIZE_LIMIT);

      if (!store_enable_wal (self, error))
        goto fail;

      /* In WAL mode, NORMAL commits without fsync: a commit survives the
       * process being killed, not necessarily a power loss. */
      if (!store_exec_sql (self, "PRAGMA synchronous = NORMAL", "setting synchronous", error)
          || !store_exec_sql (self, size_limit, "setting journal_size_limit", error))
        goto fail;

      self->checkpointer = store_checkpointer_new (self->path);
      self->committer = store_committer_new (self);
      sqlite3_wal_hook (self->db, store_wal_hook, self);
    }

  if (!store_exec_sql (self, "PRAGMA temp_store = MEMORY", "setting temp_store", error))
    goto fail;

  if (version < SCHEMA_VERSION && !store_migrate (self, error))
    goto fail;

  if (G_UNLIKELY (g_getenv ("PREFECT_CTX_CHECK_QUERY_PLANS") != NULL))
    store_check_query_plans (self);

  if (!self->in_memory)
    store_live_clients_add (self);
  return TRUE;

fail:
  g_clear_pointer (&self->checkpointer, store_checkpointer_free);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  return FALSE;
}

static void
prefect_ctx_local_client_initable_iface_init (GInitableIface *iface)
{
  iface->init = prefect_ctx_local_client_initable_init;
}

/* ------------------------------------------------------------------------ */
/* Operations */


static PrefectCtxFlow *
local_create_flow (PrefectCtxClient  *client,
                   PrefectCtxFlow    *flow,
                   GCancellable      *cancellable,
                   GError           **error)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (client);
  g_autofree char *new_id = NULL;
  g_autofree char *tags = NULL;
  PrefectCtxFlow *result = NULL;
  sqlite3_stmt *stmt;
  const char *id = prefect_ctx_flow_get_id (flow);
  const char *name = prefect_ctx_flow_get_name (flow);

  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "A flow needs a name");
      return NULL;
    }
  if (id == NULL)
    id = new_id = g_uuid_string_random ();
  tags = store_tags_to_json (prefect_ctx_flow_get_tags (flow));

  LOCKED_BEGIN (self, cancellable, error, NULL);

  if (!store_write_start (self, FALSE, error) || (stmt = store_get_stmt (self, STMT_FLOW_INSERT, error)) == NULL)
    goto out;
  store_bind_text (stmt, 1, id);
  store_bind_text (stmt, 2, name);
  store_bind_text (stmt, 3, prefect_ctx_flow_get_version (flow));
  store_bind_text (stmt, 4, prefect_ctx_flow_get_description (flow));
  store_bind_text_or (stmt, 5, tags, "[]");
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
  if (!store_stmt_exec (self, stmt, "creating a flow", error))
    goto out;
  if (!store_write_done (self, error))
    goto out;

  if ((stmt = store_get_stmt (self, STMT_FLOW_BY_NAME, error)) == NULL)
    goto out;
  store_bind_text (stmt, 1, name);
  result = store_query_one (self, stmt, (RowFunc) store_flow_from_row, error);
  if (result == NULL && error != NULL && *error == NULL)
    g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND, "Flow not found");

out:
  LOCKED_END (self);
  return result;
}

/* Reads one object by ID with @stmt_id; NOT_FOUND with @not_found. */
gpointer
store_read_by_id (PrefectCtxLocalClient  *self,
                  StmtId                  stmt_id,
                  const char             *id,
                  RowFunc                 row_func,
                  const char             *not_found,
                  GCancellable           *cancellable,
                  GError                **error)
{
  g_autoptr(GError) local_error = NULL;
  gpointer result = NULL;
  sqlite3_stmt *stmt;

  LOCKED_BEGIN (self, cancellable, error, NULL);

  if ((stmt = store_get_stmt (self, stmt_id, &local_error)) != NULL)
    {
      store_bind_text (stmt, 1, id);
      result = store_query_one (self, stmt, row_func, &local_error);
    }

  LOCKED_END (self);

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (result == NULL)
    g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND, not_found);

  return result;
}

static PrefectCtxFlow *
local_read_flow (PrefectCtxClient  *client,
                 const char        *id,
                 GCancellable      *cancellable,
                 GError           **error)
{
  return store_read_by_id (PREFECT_CTX_LOCAL_CLIENT (client), STMT_FLOW_BY_ID, id,
                           (RowFunc) store_flow_from_row, "Flow not found", cancellable, error);
}


void
store_first_state_init (FirstState      *first,
                        PrefectCtxState *state,
                        gint64           now)
{
  memset (first, 0, sizeof *first);
  if (state == NULL)
    return;

  first->type = prefect_ctx_state_type_to_string (prefect_ctx_state_get_state_type (state));
  first->name = prefect_ctx_state_get_name (state);
  first->message = prefect_ctx_state_get_message (state);
  first->timestamp = prefect_ctx_state_get_timestamp (state) != NULL
                     ? store_datetime_to_usec (prefect_ctx_state_get_timestamp (state))
                     : now;
  first->running = prefect_ctx_state_get_state_type (state) == PREFECT_CTX_STATE_TYPE_RUNNING;
  first->finished = prefect_ctx_state_is_finished (state);
  first->run_count = first->running ? 1 : 0;
}

/* Binds the state columns of an INSERT: type, name, message, timestamp,
 * run_count at @first_index..+4; start_time at @start_index, end_time
 * after it. */
void
store_bind_first_state (sqlite3_stmt     *stmt,
                        const FirstState *first,
                        int               first_index,
                        int               start_index)
{
  if (first->type == NULL)
    {
      sqlite3_bind_int (stmt, first_index + 4, 0);
      return;
    }

  store_bind_text (stmt, first_index, first->type);
  store_bind_text (stmt, first_index + 1, first->name);
  store_bind_text (stmt, first_index + 2, first->message);
  sqlite3_bind_int64 (stmt, first_index + 3, first->timestamp);
  sqlite3_bind_int (stmt, first_index + 4, first->run_count);
  if (first->running)
    sqlite3_bind_int64 (stmt, start_index, first->timestamp);
  if (first->finished)
    sqlite3_bind_int64 (stmt, start_index + 1, first->timestamp);
}

gboolean
store_is_constraint_error (PrefectCtxLocalClient *self)
{
  return (sqlite3_extended_errcode (self->db) & 0xff) == SQLITE_CONSTRAINT;
}

/* Prefect's UpdateSubflowParentTask policy: each state a subflow run takes
 * is copied onto its parent task run (forced), so that the parent task run
 * mirrors the subflow as on a Prefect server (the engine never sets it). A
 * separate write from the flow run's. */
static gboolean
update_subflow_parent (PrefectCtxClient  *client,
                       PrefectCtxFlowRun *flow_run,
                       PrefectCtxState   *state,
                       GError           **error)
{
  const char *parent_id = prefect_ctx_flow_run_get_parent_task_run_id (flow_run);
  g_autoptr(PrefectCtxState) copy = NULL;
  g_autoptr(PrefectCtxState) stored = NULL;

  if (parent_id == NULL || state == NULL)
    return TRUE;

  copy = g_object_new (PREFECT_CTX_TYPE_STATE,
                       "state-type", prefect_ctx_state_get_state_type (state),
                       "name", prefect_ctx_state_get_name (state),
                       "message", prefect_ctx_state_get_message (state),
                       "timestamp", prefect_ctx_state_get_timestamp (state),
                       NULL);
  stored = store_local_set_task_run_state (client, parent_id, copy, TRUE, NULL, error);
  return stored != NULL;
}

static PrefectCtxFlowRun *
local_create_flow_run (PrefectCtxClient   *client,
                       PrefectCtxFlowRun  *flow_run,
                       GCancellable       *cancellable,
                       GError            **error)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (client);
  g_autofree char *new_id = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *parameters = NULL;
  PrefectCtxState *state = prefect_ctx_flow_run_get_state (flow_run);
  const char *id = prefect_ctx_flow_run_get_id (flow_run);
  GDateTime *expected = prefect_ctx_flow_run_get_expected_start_time (flow_run);
  PrefectCtxFlowRun *stored;
  gint64 now = g_get_real_time ();
  FirstState first;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  if (id == NULL)
    id = new_id = g_uuid_string_random ();
  tags = store_tags_to_json (prefect_ctx_flow_run_get_tags (flow_run));
  if (!store_vardict_to_json (prefect_ctx_flow_run_get_parameters (flow_run), &parameters, error))
    return NULL;
  store_first_state_init (&first, state, now);

  LOCKED_BEGIN (self, cancellable, error, NULL);

  /* One statement: the run, its first state and its history. */
  if (!store_write_start (self, FALSE, error) || (stmt = store_get_stmt (self, STMT_FLOW_RUN_INSERT, error)) == NULL)
    goto out;
  store_bind_text (stmt, 1, id);
  store_bind_text (stmt, 2, prefect_ctx_flow_run_get_name (flow_run));
  store_bind_text (stmt, 3, prefect_ctx_flow_run_get_flow_id (flow_run));
  store_bind_text (stmt, 4, prefect_ctx_flow_run_get_flow_version (flow_run));
  store_bind_text_or (stmt, 5, parameters, "{}");
  store_bind_text_or (stmt, 6, tags, "[]");
  store_bind_text (stmt, 7, prefect_ctx_flow_run_get_parent_task_run_id (flow_run));
  store_bind_text (stmt, 8, prefect_ctx_flow_run_get_deployment_id (flow_run));
  store_bind_first_state (stmt, &first, 9, 15);
  sqlite3_bind_int64 (stmt, 14, expected != NULL ? store_datetime_to_usec (expected)
                                : first.type != NULL ? first.timestamp : now);
  sqlite3_bind_int64 (stmt, 17, now);
  store_bind_text (stmt, 18, _prefect_ctx_process_identity ());

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (store_is_constraint_error (self))
        g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                     "A flow run with ID %s already exists", id);
      else
        store_set_sqlite_error (self, error, "creating a flow run");
      store_stmt_done (stmt);
      goto out;
    }
  store_stmt_done (stmt);
  if (!store_write_done (self, error))
    goto out;
  ok = TRUE;

out:
  LOCKED_END (self);

  if (!ok)
    return NULL;

  /* Read back: the stored run, with the store's fields. */
  stored = store_read_by_id (self, STMT_FLOW_RUN_BY_ID, id, (RowFunc) store_flow_run_from_row,
                             "Flow run not found", NULL, error);
  if (stored != NULL && !update_subflow_parent (client, stored, prefect_ctx_flow_run_get_state (stored), error))
    g_clear_object (&stored);
  return stored;
}

static PrefectCtxFlowRun *
local_read_flow_run (PrefectCtxClient  *client,
                     const char        *id,
                     GCancellable      *cancellable,
                     GError           **error)
{
  return store_read_by_id (PREFECT_CTX_LOCAL_CLIENT (client), STMT_FLOW_RUN_BY_ID, id,
                           (RowFunc) store_flow_run_from_row, "Flow run not found", cancellable, error);
}

static GListModel *
local_read_flow_runs (PrefectCtxClient  *client,
                      int                state_type,
                      guint              limit,
                      guint              offset,
                      GCancellable      *cancellable,
                      GError           **error)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (client);
  GListModel *result = NULL;
  sqlite3_stmt *stmt;

  if (state_type != PREFECT_CTX_CLIENT_ANY_STATE
      && (state_type < PREFECT_CTX_STATE_TYPE_SCHEDULED
          || state_type > PREFECT_CTX_STATE_TYPE_CANCELLING))
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Unknown state type %d", state_type);
      return NULL;
    }

  LOCKED_BEGIN (self, cancellable, error, NULL);

  stmt = store_get_stmt (self, state_type == PREFECT_CTX_CLIENT_ANY_STATE
                               ? STMT_FLOW_RUNS_ALL : STMT_FLOW_RUNS_BY_STATE, error);
  if (stmt != NULL)
    {
      store_bind_limit (stmt, limit, offset);
      if (state_type != PREFECT_CTX_CLIENT_ANY_STATE)
        store_bind_text (stmt, 3, prefect_ctx_state_type_to_string (state_type));
      result = store_query_list (self, stmt, PREFECT_CTX_TYPE_FLOW_RUN,
                                 (RowFunc) store_flow_run_from_row, error);
    }

  LOCKED_END (self);
  return result;
}

PrefectCtxState *
store_set_state (PrefectCtxLocalClient  *self,
                 StmtId                  update_id,
                 const char             *id,
                 PrefectCtxState        *state,
                 const char             *not_found,
                 GCancellable           *cancellable,
                 GError                **error)
{
  gint64 now = g_get_real_time ();
  FirstState new_state;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  store_first_state_init (&new_state, state, now);

  LOCKED_BEGIN (self, cancellable, error, NULL);

  /* One statement: the current state, the bookkeeping and the history. */
  if (!store_write_start (self, update_id == STMT_TASK_RUN_SET_STATE, error)
      || (stmt = store_get_stmt (self, update_id, error)) == NULL)
    goto out;
  store_bind_text (stmt, 1, new_state.type);
  store_bind_text (stmt, 2, new_state.name);
  store_bind_text (stmt, 3, new_state.message);
  sqlite3_bind_int64 (stmt, 4, new_state.timestamp);
  sqlite3_bind_int64 (stmt, 5, now);
  store_bind_text (stmt, 6, id);
  store_bind_text (stmt, 7, _prefect_ctx_process_identity ());
  if (!store_stmt_exec (self, stmt, "setting a state", error))
    goto out;
  if (!store_write_done (self, error))
    goto out;

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND, not_found);
      goto out;
    }

  ok = TRUE;

out:
  LOCKED_END (self);

  if (!ok)
    return NULL;

  /* States are immutable: the one given is the one stored when it has its
   * timestamp already. */
  if (prefect_ctx_state_get_timestamp (state) != NULL)
    return g_object_ref (state);

  return store_state_new (new_state.type, new_state.name, new_state.message, new_state.timestamp);
}

static gboolean
is_not_found (const GError *error)
{
  return g_error_matches (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
}

/* @state recorded with the guarded UPDATE @stmt_id: TRUE when that is done,
 * *stored then being the state stored or %NULL with @error set; FALSE when
 * no row changed (no such run, or the statement's condition held). */
static gboolean
update_if_allowed (PrefectCtxLocalClient  *self,
                   StmtId                  stmt_id,
                   const char             *id,
                   PrefectCtxState        *state,
                   GCancellable           *cancellable,
                   PrefectCtxState       **stored,
                   GError                **error)
{
  g_autoptr(GError) local_error = NULL;

  *stored = store_set_state (self, stmt_id, id, state, "Flow run not found", cancellable, &local_error);
  if (*stored != NULL)
    return TRUE;
  if (!is_not_found (local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return TRUE;
    }
  return FALSE;
}

/* @state proposed to the flow run @id under the rules of
 * PROPOSE_STATE_SQL: the state stored; the state the run is in when a rule
 * rejects the change; or %NULL with @error set (NOT_FOUND, or ABORTED with
 * the server's reason). */
static PrefectCtxState *
propose_flow_run_state (PrefectCtxLocalClient  *self,
                        const char             *id,
                        PrefectCtxState        *state,
                        GCancellable           *cancellable,
                        GError                **error)
{
  PrefectCtxStateType type = prefect_ctx_state_get_state_type (state);

  /* A rule that held when the UPDATE ran may not hold when the run is read
   * back (another process changed it between): propose again. */
  for (guint attempt = 0; attempt < 8; attempt++)
    {
      g_autoptr(PrefectCtxFlowRun) run = NULL;
      PrefectCtxState *stored;
      PrefectCtxState *current;
      PrefectCtxStateType current_type;

      if (type == PREFECT_CTX_STATE_TYPE_CANCELLING)
        {
          g_autoptr(PrefectCtxState) cancelled = prefect_ctx_state_new (PREFECT_CTX_STATE_TYPE_CANCELLED, NULL, NULL);

          if (update_if_allowed (self, STMT_FLOW_RUN_CANCEL_SCHEDULED, id, cancelled, cancellable, &stored, error))
            return stored;
        }
      if (update_if_allowed (self, STMT_FLOW_RUN_PROPOSE_STATE, id, state, cancellable, &stored, error))
        return stored;

      /* No row changed: no such run, or a rule held. */
      run = store_read_by_id (self, STMT_FLOW_RUN_BY_ID, id, (RowFunc) store_flow_run_from_row,
                              "Flow run not found", cancellable, error);
      if (run == NULL)
        return NULL;
      current = prefect_ctx_flow_run_get_state (run);
      current_type = current != NULL ? prefect_ctx_state_get_state_type (current) : PREFECT_CTX_STATE_TYPE_PENDING;
      if (current != NULL && prefect_ctx_state_type_is_finished (current_type)
          && (type == PREFECT_CTX_STATE_TYPE_CANCELLING || type == PREFECT_CTX_STATE_TYPE_PAUSED
              || type == PREFECT_CTX_STATE_TYPE_CRASHED))
        {
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_ABORTED,
                       "Flow run state change aborted: Run is already in terminal state %s.",
                       prefect_ctx_state_type_to_string (current_type));
          return NULL;
        }
      if (current != NULL && type != PREFECT_CTX_STATE_TYPE_CANCELLED
          && (current_type == PREFECT_CTX_STATE_TYPE_CANCELLING || current_type == PREFECT_CTX_STATE_TYPE_CANCELLED))
        return g_object_ref (current);
    }

  g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
               "The state of flow run %s kept changing while a new one was proposed", id);
  return NULL;
}

static PrefectCtxState *
local_set_flow_run_state (PrefectCtxClient  *client,
                          const char        *id,
                          PrefectCtxState   *state,
                          gboolean           force,
                          GCancellable      *cancellable,
                          GError           **error)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (client);
  g_autoptr(PrefectCtxState) stored = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;

  stored = force ? store_set_state (self, STMT_FLOW_RUN_SET_STATE, id, state, "Flow run not found", cancellable, error)
                 : propose_flow_run_state (self, id, state, cancellable, error);
  if (stored == NULL)
    return NULL;

  run = store_read_by_id (self, STMT_FLOW_RUN_BY_ID, id, (RowFunc) store_flow_run_from_row,
                          "Flow run not found", NULL, error);
  if (run == NULL || !update_subflow_parent (client, run, stored, error))
    return NULL;
  return g_steal_pointer (&stored);
}

/* The history of the run @id, read with @states_id, after reading the run
 * itself with @by_id (which tells whether it exists, and records it
 * Crashed if its process is gone; a read-only client adds that state to
 * the history it reads). */
GListModel *
store_read_states (PrefectCtxLocalClient  *self,
                   StmtId                  by_id,
                   RowFunc                 row_func,
                   StmtId                  states_id,
                   const char             *id,
                   const char             *not_found,
                   GCancellable           *cancellable,
                   GError                **error)
{
  g_autoptr(GObject) run = NULL;
  g_autoptr(PrefectCtxState) crashed = NULL;
  GListModel *result = NULL;
  sqlite3_stmt *stmt;

  LOCKED_BEGIN (self, cancellable, error, NULL);

  if ((stmt = store_get_stmt (self, by_id, error)) == NULL)
    goto out;
  store_bind_text (stmt, 1, id);
  run = store_query_one (self, stmt, row_func, error);
  if (run == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND, not_found);
      goto out;
    }
  if (self->crashes->len > 0)
    {
      FoundCrash *crash = &g_array_index (self->crashes, FoundCrash, 0);

      crashed = store_state_new ("CRASHED", "Crashed", crash->message, crash->timestamp);
      g_array_set_size (self->crashes, 0);
    }

  if ((stmt = store_get_stmt (self, states_id, error)) != NULL)
    {
      store_bind_text (stmt, 1, id);
      result = store_query_list (self, stmt, PREFECT_CTX_TYPE_STATE, (RowFunc) store_state_from_row, error);
      if (result != NULL && crashed != NULL)
        g_list_store_append (G_LIST_STORE (result), crashed);
    }

out:
  LOCKED_END (self);
  return result;
}

static GListModel *
local_read_flow_run_states (PrefectCtxClient  *client,
                            const char        *id,
                            GCancellable      *cancellable,
                            GError           **error)
{
  return store_read_states (PREFECT_CTX_LOCAL_CLIENT (client), STMT_FLOW_RUN_BY_ID, (RowFunc) store_flow_run_from_row,
                            STMT_FLOW_RUN_STATES, id, "Flow run not found", cancellable, error);
}

static PrefectCtxDeployment *
local_create_deployment (PrefectCtxClient      *client,
                         PrefectCtxDeployment  *deployment,
                         GCancellable          *cancellable,
                         GError               **error)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (client);
  g_autofree char *new_id = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *parameters = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *id = prefect_ctx_deployment_get_id (deployment);
  const char *name = prefect_ctx_deployment_get_name (deployment);
  PrefectCtxDeployment *result = NULL;
  sqlite3_stmt *stmt;

  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "A deployment needs a name");
      return NULL;
    }
  if (id == NULL)
    id = new_id = g_uuid_string_random ();
  tags = store_tags_to_json (prefect_ctx_deployment_get_tags (deployment));
  if (!store_vardict_to_json (prefect_ctx_deployment_get_parameters (deployment), &parameters, error))
    return NULL;

  LOCKED_BEGIN (self, cancellable, error, NULL);

  if (store_write_start (self, FALSE, &local_error)
      && (stmt = store_get_stmt (self, STMT_DEPLOYMENT_UPSERT, &local_error)) != NULL)
    {
      int rc;

      store_bind_text (stmt, 1, id);
      store_bind_text (stmt, 2, name);
      store_bind_text (stmt, 3, prefect_ctx_deployment_get_version (deployment));
      store_bind_text (stmt, 4, prefect_ctx_deployment_get_flow_id (deployment));
      store_bind_text_or (stmt, 5, parameters, "{}");
      store_bind_text_or (stmt, 6, tags, "[]");
      sqlite3_bind_int64 (stmt, 7, g_get_real_time ());

      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        result = store_deployment_from_row (self, stmt, &local_error);
      else if (store_is_constraint_error (self))
        g_set_error (&local_error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                     "A deployment with ID %s already exists", id);
      else
        store_set_sqlite_error (self, &local_error, "creating a deployment");

      /* Finish the statement (RETURNING gives one row) so that it commits. */
      if (rc == SQLITE_ROW && sqlite3_step (stmt) != SQLITE_DONE && local_error == NULL)
        {
          store_set_sqlite_error (self, &local_error, "creating a deployment");
          g_clear_object (&result);
        }
      store_stmt_done (stmt);
      if (local_error == NULL && !store_write_done (self, &local_error))
        g_clear_object (&result);
    }

  LOCKED_END (self);

  if (local_error != NULL)
    {
      g_clear_object (&result);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }

  return result;
}

static PrefectCtxDeployment *
local_read_deployment (PrefectCtxClient  *client,
                       const char        *id,
                       GCancellable      *cancellable,
                       GError           **error)
{
  return store_read_by_id (PREFECT_CTX_LOCAL_CLIENT (client), STMT_DEPLOYMENT_BY_ID, id,
                           (RowFunc) store_deployment_from_row, "Deployment not found", cancellable, error);
}

/* The first @limit (0: all) rows after @offset of @stmt_id, which takes
 * them as ?1 and ?2. */
static GListModel *
store_read_page (PrefectCtxLocalClient  *self,
                 StmtId                  stmt_id,
                 GType                   item_type,
                 RowFunc                 row_func,
                 guint                   limit,
                 guint                   offset,
                 GCancellable           *cancellable,
                 GError                **error)
{
  GListModel *result = NULL;
  sqlite3_stmt *stmt;

  LOCKED_BEGIN (self, cancellable, error, NULL);

  if ((stmt = store_get_stmt (self, stmt_id, error)) != NULL)
    {
      store_bind_limit (stmt, limit, offset);
      result = store_query_list (self, stmt, item_type, row_func, error);
    }

  LOCKED_END (self);
  return result;
}

static GListModel *
local_read_flows (PrefectCtxClient  *client,
                  guint              limit,
                  guint              offset,
                  GCancellable      *cancellable,
                  GError           **error)
{
  return store_read_page (PREFECT_CTX_LOCAL_CLIENT (client), STMT_FLOWS_LATEST, PREFECT_CTX_TYPE_FLOW,
                          (RowFunc) store_flow_from_row, limit, offset, cancellable, error);
}

static GListModel *
local_read_deployments (PrefectCtxClient  *client,
                        guint              limit,
                        guint              offset,
                        GCancellable      *cancellable,
                        GError           **error)
{
  return store_read_page (PREFECT_CTX_LOCAL_CLIENT (client), STMT_DEPLOYMENTS_LATEST, PREFECT_CTX_TYPE_DEPLOYMENT,
                          (RowFunc) store_deployment_from_row, limit, offset, cancellable, error);
}

static gboolean
local_delete_flow_run (PrefectCtxClient  *client,
                       const char        *id,
                       GCancellable      *cancellable,
                       GError           **error)
{
  static const StmtId steps[] = {
    STMT_FLOW_RUN_DETACH_SUBFLOWS, STMT_TASK_RUNS_DELETE_BY_FLOW_RUN, STMT_FLOW_RUN_DELETE,
  };
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (client);
  gboolean ok = FALSE;

  LOCKED_BEGIN (self, cancellable, error, FALSE);

  if (!store_batch_begin (self, FALSE, error))
    goto out;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      sqlite3_stmt *stmt = store_get_stmt (self, steps[i], error);

      if (stmt == NULL)
        goto out;
      store_bind_text (stmt, 1, id);
      if (!store_stmt_exec (self, stmt, "deleting a flow run", error))
        goto out;
    }

  /* The last step deleted the run itself, or found none. */
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND, "Flow run not found");
      goto out;
    }

  ok = store_batch_commit (self, error) && store_write_done (self, error);

out:
  if (!ok)
    store_batch_rollback (self);
  LOCKED_END (self);
  return ok;
}

static void
prefect_ctx_local_client_client_iface_init (PrefectCtxClientInterface *iface)
{
  iface->create_flow = local_create_flow;
  iface->read_flow = local_read_flow;
  iface->create_flow_run = local_create_flow_run;
  iface->read_flow_run = local_read_flow_run;
  iface->read_flow_runs = local_read_flow_runs;
  iface->set_flow_run_state = local_set_flow_run_state;
  iface->read_flow_run_states = local_read_flow_run_states;
  iface->create_task_run = store_local_create_task_run;
  iface->create_task_run_and_set_state = store_local_create_task_run_and_set_state;
  iface->flush = store_local_flush;
  iface->read_task_run = store_local_read_task_run;
  iface->read_task_runs = store_local_read_task_runs;
  iface->read_latest_task_runs = store_local_read_latest_task_runs;
  iface->set_task_run_state = store_local_set_task_run_state;
  iface->read_task_run_states = store_local_read_task_run_states;
  iface->count_task_runs = store_local_count_task_runs;
  iface->create_logs = store_local_create_logs;
  iface->read_logs = store_local_read_logs;
  iface->read_logs_since = store_local_read_logs_since;
  iface->create_deployment = local_create_deployment;
  iface->read_deployment = local_read_deployment;
  iface->read_flows = local_read_flows;
  iface->read_deployments = local_read_deployments;
  iface->delete_flow_run = local_delete_flow_run;
}

/* ------------------------------------------------------------------------ */
/* GObject */

static void
prefect_ctx_local_client_finalize (GObject *object)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (object);

  store_live_clients_remove (self);
  g_clear_pointer (&self->committer, store_committer_free);
  if (self->db != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!store_commit_deferred (self, &error))
        g_warning ("%s", error->message);
    }
  g_clear_error (&self->commit_error);
  /* The checkpoint thread's connection first: closing the last connection
   * checkpoints the WAL into the database and removes it. */
  g_clear_pointer (&self->checkpointer, store_checkpointer_free);
  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_mutex_clear (&self->lock);
  g_array_unref (self->crashes);
  g_free (self->path);

  G_OBJECT_CLASS (prefect_ctx_local_client_parent_class)->finalize (object);
}

static void
prefect_ctx_local_client_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_local_client_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    case PROP_READ_ONLY:
      self->read_only = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_local_client_class_init (PrefectCtxLocalClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = prefect_ctx_local_client_finalize;
  object_class->get_property = prefect_ctx_local_client_get_property;
  object_class->set_property = prefect_ctx_local_client_set_property;

  /**
   * PrefectCtxLocalClient:path:
   *
   * The database file, or %PREFECT_CTX_LOCAL_CLIENT_MEMORY for a store in
   * memory. Given as %NULL at construction, it is
   * `$PREFECT_HOME/prefectctx.db` of the current settings once the client is
   * initialized.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxLocalClient:read-only:
   *
   * Whether the store is opened only to read
   * ([func@PrefectCtx.LocalClient.open_read_only]): nothing is created,
   * migrated or written, and every call that writes fails.
   */
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_local_client_init (PrefectCtxLocalClient *self)
{
  g_mutex_init (&self->lock);
  self->crashes = g_array_new (FALSE, TRUE, sizeof (FoundCrash));
  g_array_set_clear_func (self->crashes, (GDestroyNotify) store_found_crash_clear);
}

/**
 * prefect_ctx_local_client_new:
 * @path: (nullable) (type filename): the database file, %NULL for
 *   `$PREFECT_HOME/prefectctx.db` of the current settings (the directory is
 *   created if needed), or %PREFECT_CTX_LOCAL_CLIENT_MEMORY for a store in
 *   memory
 * @error: return location for a #GError
 *
 * Opens the run store at @path, creating the file and its schema if needed
 * and migrating an older schema.
 *
 * Failures are %PREFECT_CTX_ERROR_FAILED errors naming the file: a file
 * that cannot be opened or is not an SQLite database (`Run store '<path>'
 * is not a valid database: ...`), an SQLite database of another application
 * (`Run store '<path>' is an SQLite database of another application`), or a
 * schema written by a newer version of the library (`Run store '<path>' has
 * schema version <n>, newer than this version of libprefectctx supports
 * (<m>)`). The file is not modified in these cases.
 *
 * Each call opens a new connection; [func@PrefectCtx.Client.get_default]
 * shares one client per path instead.
 *
 * Returns: (transfer full): a new client, or %NULL with @error set
 */
PrefectCtxLocalClient *
prefect_ctx_local_client_new (const char  *path,
                              GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (PREFECT_CTX_TYPE_LOCAL_CLIENT, NULL, error,
                         "path", path,
                         NULL);
}

/**
 * prefect_ctx_local_client_open_read_only:
 * @path: (type filename): the database file
 * @error: return location for a #GError
 *
 * Opens the run store at @path only to read it, as the read-only commands
 * of `prefectctx` do: the file is never created nor changed, and every
 * call that writes fails with %PREFECT_CTX_ERROR_FAILED (`... attempt to
 * write a readonly database`). Besides the errors of
 * [ctor@PrefectCtx.LocalClient.new], a missing file fails, an empty one is
 * %PREFECT_CTX_ERROR_NOT_FOUND (`Run store '<path>' is empty: ...`), and a
 * store of an older schema is %PREFECT_CTX_ERROR_FAILED (it is migrated
 * only when opened for writing).
 *
 * Returns: (transfer full): a new client, or %NULL with @error set
 */
PrefectCtxLocalClient *
prefect_ctx_local_client_open_read_only (const char  *path,
                                        GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (PREFECT_CTX_TYPE_LOCAL_CLIENT, NULL, error,
                         "path", path, "read-only", TRUE,
                         NULL);
}

/**
 * prefect_ctx_local_client_get_path:
 * @self: a local client
 *
 * Gets the [property@PrefectCtx.LocalClient:path] property of @self.
 *
 * Returns: (transfer none) (nullable) (type filename): the database file,
 *   or %PREFECT_CTX_LOCAL_CLIENT_MEMORY; %NULL only before a client made
 *   without a path is initialized
 */
const char *
prefect_ctx_local_client_get_path (PrefectCtxLocalClient *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_LOCAL_CLIENT (self), NULL);

  return self->path;
}

/* The one ID of @stmt_id's table that starts with @prefix. */
static char *
expand_id (PrefectCtxLocalClient  *self,
           StmtId                  stmt_id,
           const char             *what,
           const char             *prefix,
           GError                **error)
{
  g_autofree char *upper = g_strdup (prefix);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  gsize length = strlen (prefix);
  GError *local_error = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (length == 0)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT, "A %s ID prefix cannot be empty", what);
      return NULL;
    }
  /* Every string that starts with @prefix is >= it and < @upper, @prefix
   * with its last byte one more (an ID is UTF-8: no byte is 0xff). */
  if ((guchar) upper[length - 1] == 0xff)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND, "No %s ID starts with '%s'", what, prefix);
      return NULL;
    }
  upper[length - 1]++;

  LOCKED_BEGIN (self, NULL, error, NULL);
  if ((stmt = store_get_stmt (self, stmt_id, &local_error)) != NULL)
    {
      store_bind_text (stmt, 1, prefix);
      store_bind_text (stmt, 2, upper);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          first = g_strdup (store_column_text (stmt, 0));
          if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
            second = g_strdup (store_column_text (stmt, 0));
        }
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        store_set_sqlite_error (self, &local_error, "reading IDs");
      store_stmt_done (stmt);
    }
  LOCKED_END (self);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (first == NULL)
    g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND, "No %s ID starts with '%s'", what, prefix);
  else if (second != NULL)
    g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                 "The %s ID prefix '%s' is ambiguous: %s and %s (at least) start with it", what, prefix, first, second);
  else
    return g_steal_pointer (&first);
  return NULL;
}

/**
 * prefect_ctx_local_client_expand_flow_run_id:
 * @self: a local client
 * @prefix: the start of a flow run's ID
 * @error: return location for a #GError
 *
 * Finds the flow run whose ID starts with @prefix, as `git` takes a short
 * commit ID: a range of the store's ID index, however many runs it holds.
 * No such run is a %PREFECT_CTX_ERROR_NOT_FOUND error (`No flow run ID
 * starts with 'PREFIX'`), more than one a
 * %PREFECT_CTX_ERROR_INVALID_ARGUMENT error naming two of them. A whole ID
 * expands to itself. The Prefect REST API has no such lookup:
 * [class@PrefectCtx.HttpClient] takes whole IDs only.
 *
 * Returns: (transfer full): the whole ID, or %NULL with @error set
 *
 * Since: 1.0
 */
char *
prefect_ctx_local_client_expand_flow_run_id (PrefectCtxLocalClient  *self,
                                             const char             *prefix,
                                             GError                **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_LOCAL_CLIENT (self), NULL);
  g_return_val_if_fail (prefix != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return expand_id (self, STMT_FLOW_RUN_IDS_IN_RANGE, "flow run", prefix, error);
}

/**
 * prefect_ctx_local_client_expand_task_run_id:
 * @self: a local client
 * @prefix: the start of a task run's ID
 * @error: return location for a #GError
 *
 * Finds the task run whose ID starts with @prefix, as
 * [method@PrefectCtx.LocalClient.expand_flow_run_id] finds a flow run.
 *
 * Returns: (transfer full): the whole ID, or %NULL with @error set
 *
 * Since: 1.0
 */
char *
prefect_ctx_local_client_expand_task_run_id (PrefectCtxLocalClient  *self,
                                             const char             *prefix,
                                             GError                **error)
{
  g_return_val_if_fail (PREFECT_CTX_IS_LOCAL_CLIENT (self), NULL);
  g_return_val_if_fail (prefix != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return expand_id (self, STMT_TASK_RUN_IDS_IN_RANGE, "task run", prefix, error);
}

/* Commits now the task-run and log writes of a file store that wait for
 * their group commit; nothing to do for an in-memory or read-only store.
 * A failed commit loses the writes it held, and the error says how many. */
static gboolean
store_local_flush (PrefectCtxClient  *client,
                   GCancellable      *cancellable,
                   GError           **error)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (client);
  gboolean ok;

  prefect_ctx_mutex_lock (&self->lock);
  ok = store_commit_deferred (self, error);
  prefect_ctx_mutex_unlock (&self->lock);
  return ok;
}

/**
 * prefect_ctx_local_client_get_schema_version:
 *
 * Gets the version of the database schema this library writes (the
 * database's `PRAGMA user_version`). Older databases are migrated to it
 * when they are opened; newer ones are refused.
 *
 * Returns: the schema version
 */
int
prefect_ctx_local_client_get_schema_version (void)
{
  return SCHEMA_VERSION;
}

