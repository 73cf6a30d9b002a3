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
 * A file store uses SQLite's write-ahead log with `synchronous=NORMAL`:
 * every write is committed before the call that makes it returns, and
 * survives the process being killed at any moment (a crash of the operating
 * system or a power loss may lose the last transactions, never corrupt the
 * file). Several threads may use one client at once, and several processes
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

/* "PCTX": marks the files of this library (PRAGMA application_id). */
#define APPLICATION_ID 0x50435458

#define BUSY_TIMEOUT_MS 30000

/* WAL checkpoints: asked of the checkpoint thread from this many frames
 * (4 KiB pages) on. The thread cannot finish while writers keep adding
 * frames, and SQLite starts the WAL over only after a complete checkpoint:
 * past the hard limit the writer completes it itself, between two of its
 * writes, so that the WAL stays bounded under a steady load. */
#define WAL_CHECKPOINT_FRAMES 2000
#define WAL_CHECKPOINT_HARD_FRAMES 16384
#define WAL_SIZE_LIMIT (64 * 1024 * 1024)

/* An in-memory store keeps a transaction open (a commit costs time in
 * proportion to the size of the database there), committing it every so
 * many writes. Each write is still atomic: it is one statement, or a
 * savepoint. */
#define MEMORY_WRITES_PER_COMMIT 4096

/* The schema, as migrations: migrations[n] takes a database at version n to
 * version n + 1. The library's schema version is the number of migrations.
 * A released migration is never changed: add a new one. */
static const char * const migrations[] = {
  /* 0 -> 1 */
  "CREATE TABLE flow ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  name TEXT NOT NULL UNIQUE,"
  "  version TEXT,"
  "  description TEXT,"
  "  tags TEXT NOT NULL DEFAULT '[]',"
  "  created INTEGER NOT NULL,"
  "  updated INTEGER NOT NULL"
  ");"
  "CREATE TABLE deployment ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  name TEXT NOT NULL,"
  "  version TEXT,"
  "  flow_id TEXT,"
  "  parameters TEXT NOT NULL DEFAULT '{}',"
  "  tags TEXT NOT NULL DEFAULT '[]',"
  "  created INTEGER NOT NULL,"
  "  updated INTEGER NOT NULL"
  ");"
  "CREATE UNIQUE INDEX deployment_flow_name ON deployment (flow_id, name);"
  "CREATE TABLE flow_run ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  name TEXT,"
  "  flow_id TEXT,"
  "  flow_version TEXT,"
  "  parameters TEXT NOT NULL DEFAULT '{}',"
  "  tags TEXT NOT NULL DEFAULT '[]',"
  "  parent_task_run_id TEXT,"
  "  deployment_id TEXT,"
  "  state_type TEXT,"
  "  state_name TEXT,"
  "  state_message TEXT,"
  "  state_timestamp INTEGER,"
  "  run_count INTEGER NOT NULL DEFAULT 0,"
  "  expected_start_time INTEGER NOT NULL,"
  "  start_time INTEGER,"
  "  end_time INTEGER,"
  "  total_run_time INTEGER NOT NULL DEFAULT 0,"
  "  states TEXT NOT NULL DEFAULT '[]',"
  "  created INTEGER NOT NULL,"
  "  updated INTEGER NOT NULL"
  ");"
  "CREATE INDEX flow_run_expected_start_time ON flow_run (expected_start_time);"
  "CREATE INDEX flow_run_state_type ON flow_run (state_type, expected_start_time);"
  "CREATE INDEX flow_run_parent_task_run ON flow_run (parent_task_run_id);"
  "CREATE TABLE task_run ("
  "  seq INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  flow_run_id TEXT,"
  "  task_key TEXT NOT NULL,"
  "  dynamic_key TEXT NOT NULL,"
  "  name TEXT,"
  "  tags TEXT NOT NULL DEFAULT '[]',"
  "  map_index INTEGER NOT NULL DEFAULT -1,"
  "  state_type TEXT,"
  "  state_name TEXT,"
  "  state_message TEXT,"
  "  state_timestamp INTEGER,"
  "  run_count INTEGER NOT NULL DEFAULT 0,"
  "  expected_start_time INTEGER NOT NULL,"
  "  start_time INTEGER,"
  "  end_time INTEGER,"
  "  total_run_time INTEGER NOT NULL DEFAULT 0,"
  "  states TEXT NOT NULL DEFAULT '[]',"
  "  created INTEGER NOT NULL,"
  "  updated INTEGER NOT NULL"
  ");"
  "CREATE UNIQUE INDEX task_run_key ON task_run (flow_run_id, task_key, dynamic_key);"
  "CREATE TABLE log ("
  "  seq INTEGER PRIMARY KEY,"
  "  name TEXT,"
  "  level INTEGER NOT NULL,"
  "  message TEXT,"
  "  timestamp INTEGER NOT NULL,"
  "  flow_run_id TEXT,"
  "  task_run_id TEXT"
  ");"
  "CREATE INDEX log_flow_run ON log (flow_run_id, timestamp);"
  "CREATE INDEX log_timestamp ON log (timestamp);",
  /* 1 -> 2: the process of a Running run (see prefectctx-process-private.h),
   * so that a reader tells a run whose process was killed. */
  "ALTER TABLE flow_run ADD COLUMN process TEXT;"
  "ALTER TABLE task_run ADD COLUMN process TEXT;",
  /* 2 -> 3: task runs read in order without sorting them (a page at the
   * end of a large run was sorted in a temporary B-tree each time), and
   * finished task runs counted from a partial index, which a task run
   * enters once, when it finishes, rather than at every state change. */
  "CREATE INDEX task_run_flow_run_order ON task_run (flow_run_id, expected_start_time, seq);"
  "CREATE INDEX task_run_order ON task_run (expected_start_time, seq);"
  "CREATE INDEX task_run_finished ON task_run (flow_run_id, state_type)"
  "  WHERE state_type IN ('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED');",
};

#define SCHEMA_VERSION ((int) G_N_ELEMENTS (migrations))

#define FINISHED_TYPES "('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED')"

#define FLOW_COLUMNS "id, name, version, description, tags"
#define DEPLOYMENT_COLUMNS "id, name, version, flow_id, parameters, tags"
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

/* FINISHED_TYPES as a test of one value. Not "x IN " FINISHED_TYPES: SQLite
 * (3.40) builds an ephemeral table for an IN list of more than two values
 * each time the statement runs, which costs a state change a third of its
 * time in memory. */
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

typedef enum {
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_SAVEPOINT,
  STMT_RELEASE,
  STMT_ROLLBACK_TO,
  STMT_FLOW_INSERT,
  STMT_FLOW_BY_ID,
  STMT_FLOW_BY_NAME,
  STMT_DEPLOYMENT_UPSERT,
  STMT_DEPLOYMENT_BY_ID,
  STMT_FLOW_RUN_INSERT,
  STMT_FLOW_RUN_BY_ID,
  STMT_FLOW_RUNS_ALL,
  STMT_FLOW_RUNS_BY_STATE,
  STMT_FLOW_RUN_SET_STATE,
  STMT_FLOW_RUN_CRASH,
  STMT_FLOW_RUN_STATES,
  STMT_TASK_RUN_INSERT,
  STMT_TASK_RUN_INSERT_TWO,
  STMT_TASK_RUN_BY_ID,
  STMT_TASK_RUN_BY_KEY,
  STMT_TASK_RUNS_ALL,
  STMT_TASK_RUNS_BY_FLOW_RUN,
  STMT_TASK_RUN_SET_STATE,
  STMT_TASK_RUN_CRASH,
  STMT_TASK_RUN_STATES,
  STMT_COUNT_TASK_RUNS_ALL,
  STMT_COUNT_FINISHED_TASK_RUNS_ALL,
  STMT_COUNT_TASK_RUNS_BY_FLOW_RUN,
  STMT_COUNT_FINISHED_TASK_RUNS_BY_FLOW_RUN,
  STMT_LOG_INSERT,
  STMT_LOGS_ALL,
  STMT_LOGS_BY_FLOW_RUN,
  N_STMTS
} StmtId;

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
  [STMT_FLOW_RUN_CRASH] = CRASH_SQL ("flow_run"),
  [STMT_FLOW_RUN_STATES] = STATES_SQL ("flow_run"),
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
  [STMT_TASK_RUN_SET_STATE] = SET_STATE_SQL ("task_run"),
  [STMT_TASK_RUN_CRASH] = CRASH_SQL ("task_run"),
  [STMT_TASK_RUN_STATES] = STATES_SQL ("task_run"),
  [STMT_COUNT_TASK_RUNS_ALL] = "SELECT count(*) FROM task_run",
  [STMT_COUNT_FINISHED_TASK_RUNS_ALL] =
    "SELECT count(*) FROM task_run WHERE state_type IN " FINISHED_TYPES,
  [STMT_COUNT_TASK_RUNS_BY_FLOW_RUN] = "SELECT count(*) FROM task_run WHERE flow_run_id = ?1",
  [STMT_COUNT_FINISHED_TASK_RUNS_BY_FLOW_RUN] =
    "SELECT count(*) FROM task_run WHERE flow_run_id = ?1 AND state_type IN " FINISHED_TYPES,
  [STMT_LOG_INSERT] =
    "INSERT INTO log (name, level, message, timestamp, flow_run_id, task_run_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  [STMT_LOGS_ALL] =
    "SELECT " LOG_COLUMNS " FROM log WHERE timestamp > ?3 AND timestamp <= ?4"
    " ORDER BY timestamp, seq LIMIT ?1 OFFSET ?2",
  [STMT_LOGS_BY_FLOW_RUN] =
    "SELECT " LOG_COLUMNS " FROM log WHERE flow_run_id = ?5 AND timestamp > ?3 AND timestamp <= ?4"
    " ORDER BY timestamp, seq LIMIT ?1 OFFSET ?2",
};

/* The checkpoint thread of a file store: it checkpoints the WAL into the
 * database with a connection of its own, so that writers never wait for
 * the fsyncs of a checkpoint. */
typedef struct {
  GMutex    lock;
  GCond     cond;
  char     *path;
  GThread  *thread;   /* started on the first request */
  gboolean  wanted;
  gboolean  stop;
  guint     n_done;   /* checkpoints run, for tests */
} Checkpointer;

struct _PrefectCtxLocalClient
{
  GObject parent_instance;

  char          *path;       /* as given, or the default path */
  gboolean       in_memory;
  gboolean       read_only;

  GMutex         lock;       /* guards everything below */
  sqlite3       *db;
  sqlite3_stmt  *stmts[N_STMTS];
  guint          writes;     /* in memory: since the last commit */
  Checkpointer  *checkpointer;
  GArray        *crashes;    /* of FoundCrash: runs found crashed by the
                              * rows read last, to record */
};

/* A run read Running whose process is gone: reported Crashed at once, and
 * recorded so by a client that may write. */
typedef struct {
  gboolean  is_flow_run;
  char     *id;
  char     *process;
  char     *message;
  gint64    timestamp;
} FoundCrash;

static void
found_crash_clear (FoundCrash *crash)
{
  g_free (crash->id);
  g_free (crash->process);
  g_free (crash->message);
}

enum {
  PROP_0,
  PROP_PATH,
  PROP_READ_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void prefect_ctx_local_client_initable_iface_init (GInitableIface *iface);
static void prefect_ctx_local_client_client_iface_init (PrefectCtxClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PrefectCtxLocalClient, prefect_ctx_local_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      prefect_ctx_local_client_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (PREFECT_CTX_TYPE_CLIENT,
                                                      prefect_ctx_local_client_client_iface_init))

/* ------------------------------------------------------------------------ */
/* Values */

static gint64
datetime_to_usec (GDateTime *datetime)
{
  return g_date_time_to_unix (datetime) * G_USEC_PER_SEC + g_date_time_get_microsecond (datetime);
}

static GDateTime *
datetime_from_usec (gint64 usec)
{
  g_autoptr(GDateTime) seconds = NULL;
  gint64 secs = usec / G_USEC_PER_SEC;
  gint64 rest = usec % G_USEC_PER_SEC;

  if (rest < 0)
    {
      rest += G_USEC_PER_SEC;
      secs -= 1;
    }

  seconds = g_date_time_new_from_unix_utc (secs);
  if (seconds == NULL)
    return NULL;

  return rest == 0 ? g_steal_pointer (&seconds) : g_date_time_add (seconds, rest);
}

static void
append_json_string (GString    *out,
                    const char *string)
{
  g_string_append_c (out, '"');
  for (const char *p = string; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

/* Tags as a JSON array; NULL for none (the column default "[]"). */
static char *
tags_to_json (const char * const *tags)
{
  GString *out;

  if (tags == NULL || tags[0] == NULL)
    return NULL;

  out = g_string_new ("[");
  for (gsize i = 0; tags[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_json_string (out, tags[i]);
    }
  g_string_append_c (out, ']');

  return g_string_free (out, FALSE);
}

/* Parameters as a JSON object in *out; NULL for none (the column default
 * "{}"). FALSE for a value nested too deep to store. */
static gboolean
vardict_to_json (GVariant  *vardict,
                 char     **out,
                 GError   **error)
{
  *out = NULL;
  if (vardict == NULL || g_variant_n_children (vardict) == 0)
    return TRUE;

  *out = _prefect_ctx_variant_to_json_string (vardict, error);
  return *out != NULL;
}

static void
set_corrupt_error (GError     **error,
                   const char  *path,
                   const char  *what)
{
  g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
               "Run store '%s' is damaged: %s", path, what);
}

/* A damaged column of one row: the row is read without it, and the others
 * are read as they are. */
static void
warn_damaged (const char *path,
              const char *column,
              const char *what)
{
  g_warning ("Run store '%s' is damaged: %s (%s): read as empty", path, column, what);
}

/* The tags of a JSON array; none for "[]", NULL or a damaged column. */
static GStrv
tags_from_json (const char *text,
                const char *path)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (text == NULL || strcmp (text, "[]") == 0)
    return NULL;

  root = _prefect_ctx_json_parse (text, -1, "tags", &local_error);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      warn_damaged (path, "tags", root == NULL ? local_error->message : "not a JSON array");
      return NULL;
    }

  array = json_node_get_array (root);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          warn_damaged (path, "tags", "a tag is not a string");
          return NULL;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  return g_strv_builder_end (builder);
}

/* The parameters of a JSON object; none for "{}", NULL or a damaged
 * column. */
static GVariant *
vardict_from_json (const char *text,
                   const char *path)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  GVariant *variant;

  if (text == NULL || strcmp (text, "{}") == 0)
    return NULL;

  root = _prefect_ctx_json_parse (text, -1, "parameters", &local_error);
  variant = root != NULL ? _prefect_ctx_json_to_vardict (root, "Parameters", &local_error) : NULL;
  if (variant == NULL)
    warn_damaged (path, "parameters", local_error->message);
  return variant;
}

/* ------------------------------------------------------------------------ */
/* Building models: g_object_new_with_properties () with values taken from
 * a row. Strings are set static: the row outlives the construction, which
 * copies them. */

#define MAX_PROPS 24

typedef struct {
  const char *names[MAX_PROPS];
  GValue      values[MAX_PROPS];
  guint       n;
} Props;

static GValue *
props_add (Props      *props,
           const char *name,
           GType       type)
{
  GValue *value;

  g_assert (props->n < MAX_PROPS);
  props->names[props->n] = name;
  value = &props->values[props->n++];
  memset (value, 0, sizeof *value);
  return g_value_init (value, type);
}

static void
props_string (Props      *props,
              const char *name,
              const char *string)
{
  if (string != NULL)
    g_value_set_static_string (props_add (props, name, G_TYPE_STRING), string);
}

static void
props_int (Props      *props,
           const char *name,
           int         v)
{
  g_value_set_int (props_add (props, name, G_TYPE_INT), v);
}

static void
props_take_boxed (Props      *props,
                  const char *name,
                  GType       type,
                  gpointer    boxed)
{
  if (boxed != NULL)
    g_value_take_boxed (props_add (props, name, type), boxed);
}

static void
props_take_object (Props      *props,
                   const char *name,
                   GType       type,
                   gpointer    object)
{
  if (object != NULL)
    g_value_take_object (props_add (props, name, type), object);
}

static void
props_take_variant (Props      *props,
                    const char *name,
                    GVariant   *variant)
{
  if (variant != NULL)
    g_value_take_variant (props_add (props, name, G_TYPE_VARIANT), variant);
}

static void
props_usec (Props        *props,
            const char   *name,
            sqlite3_stmt *stmt,
            int           column)
{
  if (sqlite3_column_type (stmt, column) != SQLITE_NULL)
    props_take_boxed (props, name, G_TYPE_DATE_TIME,
                      datetime_from_usec (sqlite3_column_int64 (stmt, column)));
}

static void
props_clear (Props *props)
{
  for (guint i = 0; i < props->n; i++)
    g_value_unset (&props->values[i]);
  props->n = 0;
}

static gpointer
props_build (Props *props,
             GType  type)
{
  gpointer object = g_object_new_with_properties (type, props->n, props->names, props->values);

  props_clear (props);
  return object;
}

/* Properties a later version of the models may have: set when the model has
 * them, so that the store needs no change when they appear. */
typedef struct {
  gboolean flow_run_total_run_time;
  gboolean task_run_total_run_time;
  gboolean task_run_expected_start_time;
  gboolean task_run_created;
  gboolean task_run_updated;
  gboolean deployment_created;
} OptionalProps;

static gboolean
has_property (GType       type,
              const char *name,
              GType       value_type)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (type);
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), name);

  return pspec != NULL && (pspec->flags & G_PARAM_WRITABLE) && pspec->value_type == value_type;
}

static const OptionalProps *
optional_props (void)
{
  static OptionalProps props;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      props.flow_run_total_run_time = has_property (PREFECT_CTX_TYPE_FLOW_RUN, "total-run-time", G_TYPE_DOUBLE);
      props.task_run_total_run_time = has_property (PREFECT_CTX_TYPE_TASK_RUN, "total-run-time", G_TYPE_DOUBLE);
      props.task_run_expected_start_time = has_property (PREFECT_CTX_TYPE_TASK_RUN, "expected-start-time", G_TYPE_DATE_TIME);
      props.task_run_created = has_property (PREFECT_CTX_TYPE_TASK_RUN, "created", G_TYPE_DATE_TIME);
      props.task_run_updated = has_property (PREFECT_CTX_TYPE_TASK_RUN, "updated", G_TYPE_DATE_TIME);
      props.deployment_created = has_property (PREFECT_CTX_TYPE_DEPLOYMENT, "created", G_TYPE_DATE_TIME);
      g_once_init_leave (&initialized, 1);
    }

  return &props;
}

static PrefectCtxState *
state_new (const char *type_string,
           const char *name,
           const char *message,
           gint64      timestamp)
{
  g_autoptr(GDateTime) datetime = NULL;
  PrefectCtxStateType type;

  if (type_string == NULL || !prefect_ctx_state_type_from_string (type_string, &type))
    return NULL;

  datetime = datetime_from_usec (timestamp);
  return g_object_new (PREFECT_CTX_TYPE_STATE,
                       "state-type", type,
                       "name", name,
                       "message", message,
                       "timestamp", datetime,
                       NULL);
}

/* ------------------------------------------------------------------------ */
/* SQLite plumbing. Everything below runs with self->lock held. */

static void
set_sqlite_error (PrefectCtxLocalClient  *self,
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

static sqlite3_stmt *
get_stmt (PrefectCtxLocalClient  *self,
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
      set_sqlite_error (self, error, "preparing a statement");
      self->stmts[id] = NULL;
      return NULL;
    }

  return self->stmts[id];
}

static void
stmt_done (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

/* Runs a statement that returns no rows. */
static gboolean
stmt_exec (PrefectCtxLocalClient  *self,
           sqlite3_stmt           *stmt,
           const char             *what,
           GError                **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      set_sqlite_error (self, error, what);
      stmt_done (stmt);
      return FALSE;
    }

  stmt_done (stmt);
  return TRUE;
}

static gboolean
run_simple (PrefectCtxLocalClient  *self,
            StmtId                  id,
            const char             *what,
            GError                **error)
{
  sqlite3_stmt *stmt = get_stmt (self, id, error);

  return stmt != NULL && stmt_exec (self, stmt, what, error);
}

/* Before a write: an in-memory store works inside a transaction kept open
 * (started again if an error rolled it back). */
static gboolean
write_start (PrefectCtxLocalClient  *self,
             GError                **error)
{
  if (self->db == NULL)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                   "Run store '%s' is not open", self->path);
      return FALSE;
    }

  if (self->in_memory && sqlite3_get_autocommit (self->db))
    {
      self->writes = 0;
      return run_simple (self, STMT_BEGIN, "starting a transaction", error);
    }

  return TRUE;
}

/* After a successful write. */
static void
write_done (PrefectCtxLocalClient *self)
{
  if (self->in_memory && ++self->writes >= MEMORY_WRITES_PER_COMMIT)
    {
      self->writes = 0;
      if (run_simple (self, STMT_COMMIT, "committing", NULL))
        run_simple (self, STMT_BEGIN, "starting a transaction", NULL);
    }
}

/* A change of several rows, all or nothing: a transaction of its own in a
 * file store, a savepoint in the open transaction of an in-memory one. */
static gboolean
batch_begin (PrefectCtxLocalClient  *self,
             GError                **error)
{
  if (!write_start (self, error))
    return FALSE;

  return self->in_memory
         ? run_simple (self, STMT_SAVEPOINT, "starting a savepoint", error)
         : run_simple (self, STMT_BEGIN, "starting a transaction", error);
}

static gboolean
batch_commit (PrefectCtxLocalClient  *self,
              GError                **error)
{
  if (self->in_memory)
    return run_simple (self, STMT_RELEASE, "releasing a savepoint", error);

  if (run_simple (self, STMT_COMMIT, "committing", error))
    return TRUE;

  /* A failed COMMIT may leave the transaction open. */
  if (!sqlite3_get_autocommit (self->db))
    run_simple (self, STMT_ROLLBACK, "rolling back", NULL);
  return FALSE;
}

static void
batch_rollback (PrefectCtxLocalClient *self)
{
  if (self->db == NULL || sqlite3_get_autocommit (self->db))
    return;

  if (self->in_memory)
    {
      run_simple (self, STMT_ROLLBACK_TO, "rolling back to a savepoint", NULL);
      run_simple (self, STMT_RELEASE, "releasing a savepoint", NULL);
    }
  else
    run_simple (self, STMT_ROLLBACK, "rolling back", NULL);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

static void
bind_text_or (sqlite3_stmt *stmt,
              int           index,
              const char   *text,
              const char   *fallback)
{
  sqlite3_bind_text (stmt, index, text != NULL ? text : fallback, -1, SQLITE_STATIC);
}

static void
bind_limit (sqlite3_stmt *stmt,
            guint         limit,
            guint         offset)
{
  sqlite3_bind_int64 (stmt, 1, limit == 0 ? -1 : (gint64) limit);
  sqlite3_bind_int64 (stmt, 2, offset);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/* ------------------------------------------------------------------------ */
/* Rows to models */

/* "tags" from the JSON array in @column; FALSE if it is malformed. */
static gboolean
props_tags (Props                  *props,
            PrefectCtxLocalClient  *self,
            sqlite3_stmt           *stmt,
            int                     column,
            GError                **error)
{
  props_take_boxed (props, "tags", G_TYPE_STRV, tags_from_json (column_text (stmt, column), self->path));
  return TRUE;
}

/* "parameters" from the JSON object in @column; FALSE if it is malformed. */
static gboolean
props_parameters (Props                  *props,
                  PrefectCtxLocalClient  *self,
                  sqlite3_stmt           *stmt,
                  int                     column,
                  GError                **error)
{
  props_take_variant (props, "parameters", vardict_from_json (column_text (stmt, column), self->path));
  return TRUE;
}

static PrefectCtxFlow *
flow_from_row (PrefectCtxLocalClient  *self,
               sqlite3_stmt           *stmt,
               GError                **error)
{
  Props props = { 0, };

  props_string (&props, "id", column_text (stmt, 0));
  props_string (&props, "name", column_text (stmt, 1));
  props_string (&props, "version", column_text (stmt, 2));
  props_string (&props, "description", column_text (stmt, 3));
  if (!props_tags (&props, self, stmt, 4, error))
    {
      props_clear (&props);
      return NULL;
    }

  return props_build (&props, PREFECT_CTX_TYPE_FLOW);
}

static PrefectCtxDeployment *
deployment_from_row (PrefectCtxLocalClient  *self,
                     sqlite3_stmt           *stmt,
                     GError                **error)
{
  Props props = { 0, };

  props_string (&props, "id", column_text (stmt, 0));
  props_string (&props, "name", column_text (stmt, 1));
  props_string (&props, "version", column_text (stmt, 2));
  props_string (&props, "flow-id", column_text (stmt, 3));
  if (!props_tags (&props, self, stmt, 5, error)
      || !props_parameters (&props, self, stmt, 4, error))
    {
      props_clear (&props);
      return NULL;
    }

  return props_build (&props, PREFECT_CTX_TYPE_DEPLOYMENT);
}

/* The columns of RUN_STATE_COLUMNS, from @first on, of the run @id. A run
 * Running in a process that is gone is given the Crashed state that
 * recording it would give (with the bookkeeping of SET_STATE_SQL), and
 * added to self->crashes. */
static gboolean
run_state_props (PrefectCtxLocalClient  *self,
                 Props                  *props,
                 sqlite3_stmt           *stmt,
                 int                     first,
                 const char             *id,
                 gboolean                is_flow_run,
                 GError                **error)
{
  const OptionalProps *optional = optional_props ();
  const char *type = column_text (stmt, first);
  gint64 state_timestamp = sqlite3_column_int64 (stmt, first + 3);
  gint64 total_run_time = sqlite3_column_int64 (stmt, first + 8);
  FoundCrash crash = { 0, };

  if (type != NULL && strcmp (type, "RUNNING") == 0 && id != NULL
      && (crash.message = _prefect_ctx_process_gone_message (column_text (stmt, first + 11))) != NULL)
    {
      crash.is_flow_run = is_flow_run;
      crash.id = g_strdup (id);
      crash.process = g_strdup (column_text (stmt, first + 11));
      crash.timestamp = MAX (g_get_real_time (), state_timestamp);
      total_run_time += crash.timestamp - state_timestamp;
      props_take_object (props, "state", PREFECT_CTX_TYPE_STATE,
                         state_new ("CRASHED", "Crashed", crash.message, crash.timestamp));
    }
  else if (type != NULL)
    {
      PrefectCtxState *state = state_new (type, column_text (stmt, first + 1),
                                          column_text (stmt, first + 2), state_timestamp);

      if (state == NULL)
        {
          set_corrupt_error (error, self->path, "unknown state type");
          return FALSE;
        }
      props_take_object (props, "state", PREFECT_CTX_TYPE_STATE, state);
    }

  props_int (props, "run-count", sqlite3_column_int (stmt, first + 4));
  if (is_flow_run || optional->task_run_expected_start_time)
    props_usec (props, "expected-start-time", stmt, first + 5);
  props_usec (props, "start-time", stmt, first + 6);
  if (crash.id != NULL)
    props_take_boxed (props, "end-time", G_TYPE_DATE_TIME, datetime_from_usec (crash.timestamp));
  else
    props_usec (props, "end-time", stmt, first + 7);
  if (is_flow_run ? optional->flow_run_total_run_time : optional->task_run_total_run_time)
    g_value_set_double (props_add (props, "total-run-time", G_TYPE_DOUBLE),
                        total_run_time / (double) G_USEC_PER_SEC);
  if (is_flow_run || optional->task_run_created)
    props_usec (props, "created", stmt, first + 9);
  if (crash.id != NULL && (is_flow_run || optional->task_run_updated))
    props_take_boxed (props, "updated", G_TYPE_DATE_TIME, datetime_from_usec (crash.timestamp));
  else if (is_flow_run || optional->task_run_updated)
    props_usec (props, "updated", stmt, first + 10);

  if (crash.id != NULL)
    g_array_append_val (self->crashes, crash);
  return TRUE;
}

static PrefectCtxFlowRun *
flow_run_from_row (PrefectCtxLocalClient  *self,
                   sqlite3_stmt           *stmt,
                   GError                **error)
{
  Props props = { 0, };

  props_string (&props, "id", column_text (stmt, 0));
  props_string (&props, "name", column_text (stmt, 1));
  props_string (&props, "flow-id", column_text (stmt, 2));
  props_string (&props, "flow-version", column_text (stmt, 3));
  props_string (&props, "parent-task-run-id", column_text (stmt, 6));
  props_string (&props, "deployment-id", column_text (stmt, 7));
  if (!props_tags (&props, self, stmt, 5, error)
      || !props_parameters (&props, self, stmt, 4, error)
      || !run_state_props (self, &props, stmt, 8, column_text (stmt, 0), TRUE, error))
    {
      props_clear (&props);
      return NULL;
    }

  return props_build (&props, PREFECT_CTX_TYPE_FLOW_RUN);
}

static PrefectCtxTaskRun *
task_run_from_row (PrefectCtxLocalClient  *self,
                   sqlite3_stmt           *stmt,
                   GError                **error)
{
  Props props = { 0, };

  props_string (&props, "id", column_text (stmt, 0));
  props_string (&props, "name", column_text (stmt, 1));
  props_string (&props, "flow-run-id", column_text (stmt, 2));
  props_string (&props, "task-key", column_text (stmt, 3));
  props_string (&props, "dynamic-key", column_text (stmt, 4));
  props_int (&props, "map-index", sqlite3_column_int (stmt, 6));
  if (!props_tags (&props, self, stmt, 5, error)
      || !run_state_props (self, &props, stmt, 7, column_text (stmt, 0), FALSE, error))
    {
      props_clear (&props);
      return NULL;
    }

  return props_build (&props, PREFECT_CTX_TYPE_TASK_RUN);
}

static PrefectCtxLogEntry *
log_from_row (PrefectCtxLocalClient  *self,
              sqlite3_stmt           *stmt,
              GError                **error)
{
  Props props = { 0, };

  props_string (&props, "name", column_text (stmt, 0));
  props_int (&props, "level", sqlite3_column_int (stmt, 1));
  props_string (&props, "message", column_text (stmt, 2));
  props_usec (&props, "timestamp", stmt, 3);
  props_string (&props, "flow-run-id", column_text (stmt, 4));
  props_string (&props, "task-run-id", column_text (stmt, 5));

  return props_build (&props, PREFECT_CTX_TYPE_LOG_ENTRY);
}

static PrefectCtxState *
state_from_row (PrefectCtxLocalClient  *self,
                sqlite3_stmt           *stmt,
                GError                **error)
{
  PrefectCtxState *state = state_new (column_text (stmt, 0), column_text (stmt, 1),
                                      column_text (stmt, 2), sqlite3_column_int64 (stmt, 3));

  if (state == NULL)
    set_corrupt_error (error, self->path, "unknown state type");

  return state;
}

typedef gpointer (*RowFunc) (PrefectCtxLocalClient  *self,
                             sqlite3_stmt           *stmt,
                             GError                **error);

/* Records Crashed the runs that the rows just read found crashed
 * (self->crashes), unless the client only reads: then they are only
 * reported, and stay in self->crashes until the next query. A failure is
 * a warning: what was read stands. */
static void
record_crashes (PrefectCtxLocalClient *self)
{
  if (self->read_only)
    return;

  for (guint i = 0; i < self->crashes->len; i++)
    {
      FoundCrash *crash = &g_array_index (self->crashes, FoundCrash, i);
      g_autoptr(GError) error = NULL;
      sqlite3_stmt *stmt = NULL;

      if (write_start (self, &error)
          && (stmt = get_stmt (self, crash->is_flow_run ? STMT_FLOW_RUN_CRASH : STMT_TASK_RUN_CRASH,
                               &error)) != NULL)
        {
          bind_text (stmt, 1, "CRASHED");
          bind_text (stmt, 2, "Crashed");
          bind_text (stmt, 3, crash->message);
          sqlite3_bind_int64 (stmt, 4, crash->timestamp);
          sqlite3_bind_int64 (stmt, 5, crash->timestamp);
          bind_text (stmt, 6, crash->id);
          bind_text (stmt, 7, crash->process);
          if (stmt_exec (self, stmt, "recording a crashed run", &error))
            write_done (self);
        }
      if (error != NULL)
        g_warning ("The %s run %s, whose process is gone, could not be recorded Crashed: %s",
                   crash->is_flow_run ? "flow" : "task", crash->id, error->message);
    }
  g_array_set_size (self->crashes, 0);
}

/* Steps a bound statement expected to give at most one row; resets it.
 * NULL without an error when there is no row. */
static gpointer
query_one (PrefectCtxLocalClient  *self,
           sqlite3_stmt           *stmt,
           RowFunc                 row_func,
           GError                **error)
{
  gpointer result = NULL;
  int rc;

  g_array_set_size (self->crashes, 0);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    result = row_func (self, stmt, error);
  else if (rc != SQLITE_DONE)
    set_sqlite_error (self, error, "reading");

  stmt_done (stmt);
  record_crashes (self);
  return result;
}

/* Steps a bound statement, collecting every row in a GListStore; resets
 * it. */
static GListModel *
query_list (PrefectCtxLocalClient  *self,
            sqlite3_stmt           *stmt,
            GType                   item_type,
            RowFunc                 row_func,
            GError                **error)
{
  g_autoptr(GListStore) store = g_list_store_new (item_type);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_array_set_size (self->crashes, 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) row_error = NULL;
      gpointer item = row_func (self, stmt, &row_error);

      /* A damaged row leaves the others readable: it is left out, said. */
      if (item == NULL)
        {
          g_warning ("%s; the row was left out of the list", row_error->message);
          continue;
        }
      g_ptr_array_add (items, item);
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, "reading");
      stmt_done (stmt);
      return NULL;
    }

  stmt_done (stmt);
  record_crashes (self);
  g_list_store_splice (store, 0, 0, items->pdata, items->len);
  return G_LIST_MODEL (g_steal_pointer (&store));
}

/* ------------------------------------------------------------------------ */
/* Checkpoints */

static gpointer
checkpoint_thread (gpointer data)
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

static Checkpointer *
checkpointer_new (const char *path)
{
  Checkpointer *checkpointer = g_new0 (Checkpointer, 1);

  g_mutex_init (&checkpointer->lock);
  g_cond_init (&checkpointer->cond);
  checkpointer->path = g_strdup (path);

  return checkpointer;
}

static void
checkpointer_request (Checkpointer *checkpointer)
{
  prefect_ctx_mutex_lock (&checkpointer->lock);
  if (!checkpointer->wanted && !checkpointer->stop)
    {
      checkpointer->wanted = TRUE;
      if (checkpointer->thread == NULL)
        checkpointer->thread = g_thread_try_new ("prefectctx-wal", checkpoint_thread,
                                                 checkpointer, NULL);
      g_cond_signal (&checkpointer->cond);
    }
  prefect_ctx_mutex_unlock (&checkpointer->lock);
}

static void
checkpointer_free (Checkpointer *checkpointer)
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
static int
wal_hook (void       *data,
          sqlite3    *db,
          const char *name,
          int         n_frames)
{
  PrefectCtxLocalClient *self = data;

  if (n_frames >= WAL_CHECKPOINT_HARD_FRAMES)
    sqlite3_wal_checkpoint_v2 (db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  else if (n_frames >= WAL_CHECKPOINT_FRAMES && self->checkpointer != NULL)
    checkpointer_request (self->checkpointer);

  return SQLITE_OK;
}

/* ------------------------------------------------------------------------ */
/* Opening */

static gboolean
pragma_int (PrefectCtxLocalClient  *self,
            const char             *sql,
            int                    *out,
            GError                **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* One-off statements of the open sequence, not cached. */
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, "reading the database header");
      return FALSE;
    }

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int (stmt, 0);
  else if (rc == SQLITE_DONE)
    *out = 0;
  else
    set_sqlite_error (self, error, "reading the database header");
  sqlite3_finalize (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

static gboolean
exec_sql (PrefectCtxLocalClient  *self,
          const char             *sql,
          const char             *what,
          GError                **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, what);
      return FALSE;
    }

  return TRUE;
}

/* Checks that the database is empty or ours, at a version we know, without
 * writing to it. *out_version is its schema version. */
static gboolean
check_schema (PrefectCtxLocalClient  *self,
              int                    *out_version,
              GError                **error)
{
  int application_id = 0;
  int version = 0;
  int n_objects = 0;
  gboolean own_transaction = sqlite3_get_autocommit (self->db);
  gboolean read;

  /* The three reads must see one snapshot: another process may commit its
   * schema migration between them. */
  if (own_transaction && !exec_sql (self, "BEGIN", "reading the schema", error))
    return FALSE;

  read = pragma_int (self, "PRAGMA application_id", &application_id, error)
         && pragma_int (self, "PRAGMA user_version", &version, error)
         && pragma_int (self, "SELECT count(*) FROM sqlite_master", &n_objects, error);

  if (own_transaction)
    sqlite3_exec (self->db, read ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
  if (!read)
    return FALSE;

  if (application_id != APPLICATION_ID && (application_id != 0 || n_objects > 0 || version != 0))
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                   "Run store '%s' is an SQLite database of another application", self->path);
      return FALSE;
    }

  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                   "Run store '%s' has schema version %d, newer than this version of "
                   "libprefectctx supports (%d)", self->path, version, SCHEMA_VERSION);
      return FALSE;
    }

  *out_version = version;
  return TRUE;
}

static gboolean
migrate (PrefectCtxLocalClient  *self,
         GError                **error)
{
  int version = 0;

  /* Checked again under the write lock: another process may have created
   * or migrated the schema since. */
  if (!exec_sql (self, "BEGIN IMMEDIATE", "starting the schema migration", error))
    return FALSE;

  if (!check_schema (self, &version, error))
    goto fail;

  for (int v = version; v < SCHEMA_VERSION; v++)
    {
      g_autofree char *what = g_strdup_printf ("migrating the schema to version %d", v + 1);
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      if (!exec_sql (self, migrations[v], what, error)
          || !exec_sql (self, set_version, what, error))
        goto fail;
    }

  if (version < SCHEMA_VERSION)
    {
      g_autofree char *set_id = g_strdup_printf ("PRAGMA application_id = %d", APPLICATION_ID);

      if (!exec_sql (self, set_id, "marking the database", error))
        goto fail;
    }

  if (!exec_sql (self, "COMMIT", "committing the schema migration", error))
    goto fail;

  return TRUE;

fail:
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* PRAGMA journal_mode = WAL needs an exclusive lock and, unlike other
 * statements, does not wait for it through the busy handler: while another
 * process opens or migrates the same new file it fails with SQLITE_BUSY.
 * Retry for as long as the busy timeout allows. */
static gboolean
enable_wal (PrefectCtxLocalClient  *self,
            GError                **error)
{
  gint64 deadline = g_get_monotonic_time () + BUSY_TIMEOUT_MS * G_GINT64_CONSTANT (1000);

  for (;;)
    {
      int rc = sqlite3_exec (self->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);

      if (rc == SQLITE_OK)
        return TRUE;

      if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
        break;
      if (g_get_monotonic_time () >= deadline)
        break;
      g_usleep (5 * 1000);
    }

  set_sqlite_error (self, error, "enabling the write-ahead log");
  return FALSE;
}

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

/* File stores open for writing, for the checkpoint at exit: the clients
 * get_default () keeps are never freed, and a copy of the .db file alone
 * must hold everything. */
static GMutex live_lock;
static GList *live_clients;

static void
live_clients_checkpoint (void)
{
  prefect_ctx_mutex_lock (&live_lock);
  for (GList *l = live_clients; l != NULL; l = l->next)
    {
      PrefectCtxLocalClient *self = l->data;

      /* A thread still inside a call keeps its client: not waited for. */
      if (!g_mutex_trylock (&self->lock))
        continue;
      sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
      g_mutex_unlock (&self->lock);
    }
  prefect_ctx_mutex_unlock (&live_lock);
}

void
_prefect_ctx_local_client_checkpoint_all (void)
{
  live_clients_checkpoint ();
}

static void
live_clients_add (PrefectCtxLocalClient *self)
{
  static gsize registered;

  if (g_once_init_enter (&registered))
    {
      atexit (live_clients_checkpoint);
      g_once_init_leave (&registered, 1);
    }
  prefect_ctx_mutex_lock (&live_lock);
  live_clients = g_list_prepend (live_clients, self);
  prefect_ctx_mutex_unlock (&live_lock);
}

static void
live_clients_remove (PrefectCtxLocalClient *self)
{
  prefect_ctx_mutex_lock (&live_lock);
  live_clients = g_list_remove (live_clients, self);
  prefect_ctx_mutex_unlock (&live_lock);
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
      set_sqlite_error (self, error, "opening");
      goto fail;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* Reading the header first: a file that is not an SQLite database fails
   * here (SQLITE_NOTADB), and a database that is not ours is left alone. */
  if (!check_schema (self, &version, error))
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

      if (!enable_wal (self, error))
        goto fail;

      /* In WAL mode, NORMAL commits without fsync: a commit survives the
       * process being killed, not necessarily a power loss. */
      if (!exec_sql (self, "PRAGMA synchronous = NORMAL", "setting synchronous", error)
          || !exec_sql (self, size_limit, "setting journal_size_limit", error))
        goto fail;

      self->checkpointer = checkpointer_new (self->path);
      sqlite3_wal_hook (self->db, wal_hook, self);
    }

  if (!exec_sql (self, "PRAGMA temp_store = MEMORY", "setting temp_store", error))
    goto fail;

  if (version < SCHEMA_VERSION && !migrate (self, error))
    goto fail;

  if (!self->in_memory)
    live_clients_add (self);
  return TRUE;

fail:
  g_clear_pointer (&self->checkpointer, checkpointer_free);
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

#define LOCKED_BEGIN(self, cancellable, error, fail_value) \
  G_STMT_START { \
    if (g_cancellable_set_error_if_cancelled ((cancellable), (error))) \
      return (fail_value); \
    prefect_ctx_mutex_lock (&(self)->lock); \
  } G_STMT_END

#define LOCKED_END(self) prefect_ctx_mutex_unlock (&(self)->lock)

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
  tags = tags_to_json (prefect_ctx_flow_get_tags (flow));

  LOCKED_BEGIN (self, cancellable, error, NULL);

  if (!write_start (self, error) || (stmt = get_stmt (self, STMT_FLOW_INSERT, error)) == NULL)
    goto out;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, name);
  bind_text (stmt, 3, prefect_ctx_flow_get_version (flow));
  bind_text (stmt, 4, prefect_ctx_flow_get_description (flow));
  bind_text_or (stmt, 5, tags, "[]");
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
  if (!stmt_exec (self, stmt, "creating a flow", error))
    goto out;
  write_done (self);

  if ((stmt = get_stmt (self, STMT_FLOW_BY_NAME, error)) == NULL)
    goto out;
  bind_text (stmt, 1, name);
  result = query_one (self, stmt, (RowFunc) flow_from_row, error);
  if (result == NULL && error != NULL && *error == NULL)
    g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND, "Flow not found");

out:
  LOCKED_END (self);
  return result;
}

/* Reads one object by ID with @stmt_id; NOT_FOUND with @not_found. */
static gpointer
read_by_id (PrefectCtxLocalClient  *self,
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

  if ((stmt = get_stmt (self, stmt_id, &local_error)) != NULL)
    {
      bind_text (stmt, 1, id);
      result = query_one (self, stmt, row_func, &local_error);
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
  return read_by_id (PREFECT_CTX_LOCAL_CLIENT (client), STMT_FLOW_BY_ID, id,
                     (RowFunc) flow_from_row, "Flow not found", cancellable, error);
}

/* The bookkeeping of a run's first state, for the INSERT. */
typedef struct {
  const char *type;
  const char *name;
  const char *message;
  gint64      timestamp;
  int         run_count;
  gboolean    running;
  gboolean    finished;
} FirstState;

static void
first_state_init (FirstState      *first,
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
                     ? datetime_to_usec (prefect_ctx_state_get_timestamp (state))
                     : now;
  first->running = prefect_ctx_state_get_state_type (state) == PREFECT_CTX_STATE_TYPE_RUNNING;
  first->finished = prefect_ctx_state_is_finished (state);
  first->run_count = first->running ? 1 : 0;
}

/* Binds the state columns of an INSERT: type, name, message, timestamp,
 * run_count at @first_index..+4; start_time at @start_index, end_time
 * after it. */
static void
bind_first_state (sqlite3_stmt     *stmt,
                  const FirstState *first,
                  int               first_index,
                  int               start_index)
{
  if (first->type == NULL)
    {
      sqlite3_bind_int (stmt, first_index + 4, 0);
      return;
    }

  bind_text (stmt, first_index, first->type);
  bind_text (stmt, first_index + 1, first->name);
  bind_text (stmt, first_index + 2, first->message);
  sqlite3_bind_int64 (stmt, first_index + 3, first->timestamp);
  sqlite3_bind_int (stmt, first_index + 4, first->run_count);
  if (first->running)
    sqlite3_bind_int64 (stmt, start_index, first->timestamp);
  if (first->finished)
    sqlite3_bind_int64 (stmt, start_index + 1, first->timestamp);
}

static gboolean
is_constraint_error (PrefectCtxLocalClient *self)
{
  return (sqlite3_extended_errcode (self->db) & 0xff) == SQLITE_CONSTRAINT;
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
  gint64 now = g_get_real_time ();
  FirstState first;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  if (id == NULL)
    id = new_id = g_uuid_string_random ();
  tags = tags_to_json (prefect_ctx_flow_run_get_tags (flow_run));
  if (!vardict_to_json (prefect_ctx_flow_run_get_parameters (flow_run), &parameters, error))
    return NULL;
  first_state_init (&first, state, now);

  LOCKED_BEGIN (self, cancellable, error, NULL);

  /* One statement: the run, its first state and its history. */
  if (!write_start (self, error) || (stmt = get_stmt (self, STMT_FLOW_RUN_INSERT, error)) == NULL)
    goto out;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, prefect_ctx_flow_run_get_name (flow_run));
  bind_text (stmt, 3, prefect_ctx_flow_run_get_flow_id (flow_run));
  bind_text (stmt, 4, prefect_ctx_flow_run_get_flow_version (flow_run));
  bind_text_or (stmt, 5, parameters, "{}");
  bind_text_or (stmt, 6, tags, "[]");
  bind_text (stmt, 7, prefect_ctx_flow_run_get_parent_task_run_id (flow_run));
  bind_text (stmt, 8, prefect_ctx_flow_run_get_deployment_id (flow_run));
  bind_first_state (stmt, &first, 9, 15);
  sqlite3_bind_int64 (stmt, 14, expected != NULL ? datetime_to_usec (expected)
                                : first.type != NULL ? first.timestamp : now);
  sqlite3_bind_int64 (stmt, 17, now);
  bind_text (stmt, 18, _prefect_ctx_process_identity ());

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (is_constraint_error (self))
        g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                     "A flow run with ID %s already exists", id);
      else
        set_sqlite_error (self, error, "creating a flow run");
      stmt_done (stmt);
      goto out;
    }
  stmt_done (stmt);
  write_done (self);
  ok = TRUE;

out:
  LOCKED_END (self);

  if (!ok)
    return NULL;

  /* Read back: the stored run, with the store's fields. */
  return read_by_id (self, STMT_FLOW_RUN_BY_ID, id, (RowFunc) flow_run_from_row,
                     "Flow run not found", NULL, error);
}

static PrefectCtxFlowRun *
local_read_flow_run (PrefectCtxClient  *client,
                     const char        *id,
                     GCancellable      *cancellable,
                     GError           **error)
{
  return read_by_id (PREFECT_CTX_LOCAL_CLIENT (client), STMT_FLOW_RUN_BY_ID, id,
                     (RowFunc) flow_run_from_row, "Flow run not found", cancellable, error);
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

  stmt = get_stmt (self, state_type == PREFECT_CTX_CLIENT_ANY_STATE
                         ? STMT_FLOW_RUNS_ALL : STMT_FLOW_RUNS_BY_STATE, error);
  if (stmt != NULL)
    {
      bind_limit (stmt, limit, offset);
      if (state_type != PREFECT_CTX_CLIENT_ANY_STATE)
        bind_text (stmt, 3, prefect_ctx_state_type_to_string (state_type));
      result = query_list (self, stmt, PREFECT_CTX_TYPE_FLOW_RUN,
                           (RowFunc) flow_run_from_row, error);
    }

  LOCKED_END (self);
  return result;
}

static PrefectCtxState *
set_state (PrefectCtxLocalClient  *self,
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

  first_state_init (&new_state, state, now);

  LOCKED_BEGIN (self, cancellable, error, NULL);

  /* One statement: the current state, the bookkeeping and the history. */
  if (!write_start (self, error) || (stmt = get_stmt (self, update_id, error)) == NULL)
    goto out;
  bind_text (stmt, 1, new_state.type);
  bind_text (stmt, 2, new_state.name);
  bind_text (stmt, 3, new_state.message);
  sqlite3_bind_int64 (stmt, 4, new_state.timestamp);
  sqlite3_bind_int64 (stmt, 5, now);
  bind_text (stmt, 6, id);
  bind_text (stmt, 7, _prefect_ctx_process_identity ());
  if (!stmt_exec (self, stmt, "setting a state", error))
    goto out;
  write_done (self);

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

  return state_new (new_state.type, new_state.name, new_state.message, new_state.timestamp);
}

static PrefectCtxState *
local_set_flow_run_state (PrefectCtxClient  *client,
                          const char        *id,
                          PrefectCtxState   *state,
                          gboolean           force,
                          GCancellable      *cancellable,
                          GError           **error)
{
  return set_state (PREFECT_CTX_LOCAL_CLIENT (client), STMT_FLOW_RUN_SET_STATE,
                    id, state, "Flow run not found",
                    cancellable, error);
}

/* The history of the run @id, read with @states_id, after reading the run
 * itself with @by_id (which tells whether it exists, and records it
 * Crashed if its process is gone; a read-only client adds that state to
 * the history it reads). */
static GListModel *
read_states (PrefectCtxLocalClient  *self,
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

  if ((stmt = get_stmt (self, by_id, error)) == NULL)
    goto out;
  bind_text (stmt, 1, id);
  run = query_one (self, stmt, row_func, error);
  if (run == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND, not_found);
      goto out;
    }
  if (self->crashes->len > 0)
    {
      FoundCrash *crash = &g_array_index (self->crashes, FoundCrash, 0);

      crashed = state_new ("CRASHED", "Crashed", crash->message, crash->timestamp);
      g_array_set_size (self->crashes, 0);
    }

  if ((stmt = get_stmt (self, states_id, error)) != NULL)
    {
      bind_text (stmt, 1, id);
      result = query_list (self, stmt, PREFECT_CTX_TYPE_STATE, (RowFunc) state_from_row, error);
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
  return read_states (PREFECT_CTX_LOCAL_CLIENT (client), STMT_FLOW_RUN_BY_ID, (RowFunc) flow_run_from_row,
                      STMT_FLOW_RUN_STATES, id, "Flow run not found", cancellable, error);
}

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

/* create_task_run, and with @then the state set after it in the same
 * statement (create_task_run_and_set_state). */
static PrefectCtxTaskRun *
create_task_run (PrefectCtxLocalClient  *self,
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
  tags = tags_to_json (prefect_ctx_task_run_get_tags (task_run));
  first_state_init (&first, state, now);
  if (then != NULL)
    {
      /* The second state's own time, never before the first's. */
      later = MAX (g_get_real_time (), now);
      first_state_init (&second, then, MAX (later, first.timestamp));
      two_states_init (&two, &first, &second);
    }

  LOCKED_BEGIN (self, cancellable, error, NULL);

  /* One statement: the run, its first state (or two) and its history. */
  if (!write_start (self, error)
      || (stmt = get_stmt (self, then != NULL ? STMT_TASK_RUN_INSERT_TWO : STMT_TASK_RUN_INSERT,
                           error)) == NULL)
    goto out;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, flow_run_id);
  bind_text (stmt, 3, task_key);
  bind_text (stmt, 4, dynamic_key);
  bind_text (stmt, 5, prefect_ctx_task_run_get_name (task_run));
  bind_text_or (stmt, 6, tags, "[]");
  sqlite3_bind_int (stmt, 7, prefect_ctx_task_run_get_map_index (task_run));
  if (then == NULL)
    {
      bind_first_state (stmt, &first, 8, 14);
      sqlite3_bind_int64 (stmt, 13, first.type != NULL ? first.timestamp : now);
      sqlite3_bind_int64 (stmt, 16, now);
      bind_text (stmt, 17, _prefect_ctx_process_identity ());
    }
  else
    {
      bind_text (stmt, 8, second.type);
      bind_text (stmt, 9, second.name);
      bind_text (stmt, 10, second.message);
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
      bind_text (stmt, 19, first.type);
      bind_text (stmt, 20, first.name);
      bind_text (stmt, 21, first.message);
      sqlite3_bind_int64 (stmt, 22, first.timestamp);
      bind_text (stmt, 23, _prefect_ctx_process_identity ());
    }

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (is_constraint_error (self))
        g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                     "A task run with ID %s already exists", id);
      else
        set_sqlite_error (self, error, "creating a task run");
      stmt_done (stmt);
      goto out;
    }
  stmt_done (stmt);
  write_done (self);
  inserted = sqlite3_changes (self->db) > 0;

  if (!inserted)
    {
      /* The server's answer to a duplicate (flow run, task key, dynamic
       * key): the existing task run. */
      if ((stmt = get_stmt (self, STMT_TASK_RUN_BY_KEY, error)) == NULL)
        goto out;
      bind_text (stmt, 1, flow_run_id);
      bind_text (stmt, 2, task_key);
      bind_text (stmt, 3, dynamic_key);
      result = query_one (self, stmt, (RowFunc) task_run_from_row, error);
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
      stored = set_state (self, STMT_TASK_RUN_SET_STATE, prefect_ctx_task_run_get_id (existing),
                          then, "Task run not found", cancellable, error);
      if (stored == NULL)
        return NULL;
      return read_by_id (self, STMT_TASK_RUN_BY_ID, prefect_ctx_task_run_get_id (existing),
                         (RowFunc) task_run_from_row, "Task run not found", cancellable, error);
    }

  /* The stored run, built from what was stored rather than read back: this
   * is the engine's hot path. */
  {
    const OptionalProps *optional = optional_props ();
    const FirstState *current = then != NULL ? &second : &first;
    PrefectCtxState *current_state = then != NULL ? then : state;
    gint64 start_time = then != NULL ? two.start_time : first.running ? first.timestamp : 0;
    gint64 end_time = then != NULL ? two.end_time : first.finished ? first.timestamp : 0;
    Props props = { 0, };

    props_string (&props, "id", id);
    props_string (&props, "name", prefect_ctx_task_run_get_name (task_run));
    props_string (&props, "flow-run-id", flow_run_id);
    props_string (&props, "task-key", task_key);
    props_string (&props, "dynamic-key", dynamic_key);
    g_value_set_boxed (props_add (&props, "tags", G_TYPE_STRV), prefect_ctx_task_run_get_tags (task_run));
    props_int (&props, "map-index", prefect_ctx_task_run_get_map_index (task_run));
    props_int (&props, "run-count", then != NULL ? two.run_count : first.run_count);
    if (current_state != NULL)
      {
        if (prefect_ctx_state_get_timestamp (current_state) != NULL)
          g_value_set_object (props_add (&props, "state", PREFECT_CTX_TYPE_STATE), current_state);
        else
          props_take_object (&props, "state", PREFECT_CTX_TYPE_STATE,
                             state_new (current->type, current->name, current->message, current->timestamp));
      }
    if (start_time != 0)
      props_take_boxed (&props, "start-time", G_TYPE_DATE_TIME, datetime_from_usec (start_time));
    if (end_time != 0)
      props_take_boxed (&props, "end-time", G_TYPE_DATE_TIME, datetime_from_usec (end_time));
    if (optional->task_run_total_run_time && two.total_run_time != 0)
      g_value_set_double (props_add (&props, "total-run-time", G_TYPE_DOUBLE),
                          two.total_run_time / (double) G_USEC_PER_SEC);
    if (optional->task_run_expected_start_time)
      props_take_boxed (&props, "expected-start-time", G_TYPE_DATE_TIME,
                        datetime_from_usec (first.type != NULL ? first.timestamp : now));
    if (optional->task_run_created || optional->task_run_updated)
      {
        g_autoptr(GDateTime) created = datetime_from_usec (now);

        if (optional->task_run_created)
          g_value_set_boxed (props_add (&props, "created", G_TYPE_DATE_TIME), created);
        if (optional->task_run_updated)
          props_take_boxed (&props, "updated", G_TYPE_DATE_TIME,
                            later == now ? g_date_time_ref (created) : datetime_from_usec (later));
      }

    return props_build (&props, PREFECT_CTX_TYPE_TASK_RUN);
  }
}

static PrefectCtxTaskRun *
local_create_task_run (PrefectCtxClient   *client,
                       PrefectCtxTaskRun  *task_run,
                       GCancellable       *cancellable,
                       GError            **error)
{
  return create_task_run (PREFECT_CTX_LOCAL_CLIENT (client), task_run, NULL, cancellable, error);
}

static PrefectCtxTaskRun *
local_create_task_run_and_set_state (PrefectCtxClient   *client,
                                     PrefectCtxTaskRun  *task_run,
                                     PrefectCtxState    *state,
                                     GCancellable       *cancellable,
                                     GError            **error)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (client);
  g_autoptr(PrefectCtxTaskRun) created = NULL;
  g_autoptr(PrefectCtxState) stored = NULL;

  if (prefect_ctx_task_run_get_state (task_run) != NULL)
    return create_task_run (self, task_run, state, cancellable, error);

  /* No first state: the two calls, then the run as stored. */
  created = create_task_run (self, task_run, NULL, cancellable, error);
  if (created == NULL)
    return NULL;
  stored = set_state (self, STMT_TASK_RUN_SET_STATE, prefect_ctx_task_run_get_id (created),
                      state, "Task run not found", cancellable, error);
  if (stored == NULL)
    return NULL;
  return read_by_id (self, STMT_TASK_RUN_BY_ID, prefect_ctx_task_run_get_id (created),
                     (RowFunc) task_run_from_row, "Task run not found", cancellable, error);
}

static PrefectCtxTaskRun *
local_read_task_run (PrefectCtxClient  *client,
                     const char        *id,
                     GCancellable      *cancellable,
                     GError           **error)
{
  return read_by_id (PREFECT_CTX_LOCAL_CLIENT (client), STMT_TASK_RUN_BY_ID, id,
                     (RowFunc) task_run_from_row, "Task run not found", cancellable, error);
}

static GListModel *
local_read_task_runs (PrefectCtxClient  *client,
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

  stmt = get_stmt (self, flow_run_id == NULL ? STMT_TASK_RUNS_ALL : STMT_TASK_RUNS_BY_FLOW_RUN,
                   error);
  if (stmt != NULL)
    {
      bind_limit (stmt, limit, offset);
      if (flow_run_id != NULL)
        bind_text (stmt, 3, flow_run_id);
      result = query_list (self, stmt, PREFECT_CTX_TYPE_TASK_RUN,
                           (RowFunc) task_run_from_row, error);
    }

  LOCKED_END (self);
  return result;
}

static PrefectCtxState *
local_set_task_run_state (PrefectCtxClient  *client,
                          const char        *id,
                          PrefectCtxState   *state,
                          gboolean           force,
                          GCancellable      *cancellable,
                          GError           **error)
{
  return set_state (PREFECT_CTX_LOCAL_CLIENT (client), STMT_TASK_RUN_SET_STATE,
                    id, state, "Task run not found",
                    cancellable, error);
}

static GListModel *
local_read_task_run_states (PrefectCtxClient  *client,
                            const char        *id,
                            GCancellable      *cancellable,
                            GError           **error)
{
  return read_states (PREFECT_CTX_LOCAL_CLIENT (client), STMT_TASK_RUN_BY_ID, (RowFunc) task_run_from_row,
                      STMT_TASK_RUN_STATES, id, "Task run not found", cancellable, error);
}

static guint
local_count_task_runs (PrefectCtxClient  *client,
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
    stmt = get_stmt (self, finished_only ? STMT_COUNT_FINISHED_TASK_RUNS_ALL : STMT_COUNT_TASK_RUNS_ALL, error);
  else
    stmt = get_stmt (self, finished_only ? STMT_COUNT_FINISHED_TASK_RUNS_BY_FLOW_RUN
                                         : STMT_COUNT_TASK_RUNS_BY_FLOW_RUN, error);
  if (stmt != NULL)
    {
      if (flow_run_id != NULL)
        bind_text (stmt, 1, flow_run_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        count = (guint) sqlite3_column_int64 (stmt, 0);
      else
        set_sqlite_error (self, error, "counting task runs");
      stmt_done (stmt);
    }

  LOCKED_END (self);
  return count;
}

static gboolean
local_create_logs (PrefectCtxClient  *client,
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

  if (transaction ? !batch_begin (self, error) : !write_start (self, error))
    goto out;

  if ((stmt = get_stmt (self, STMT_LOG_INSERT, error)) == NULL)
    goto out;

  for (guint i = 0; i < logs->len; i++)
    {
      PrefectCtxLogEntry *entry = g_ptr_array_index (logs, i);
      GDateTime *timestamp = prefect_ctx_log_entry_get_timestamp (entry);

      bind_text (stmt, 1, prefect_ctx_log_entry_get_name (entry));
      sqlite3_bind_int (stmt, 2, prefect_ctx_log_entry_get_level (entry));
      bind_text (stmt, 3, prefect_ctx_log_entry_get_message (entry));
      sqlite3_bind_int64 (stmt, 4, timestamp != NULL ? datetime_to_usec (timestamp) : now);
      bind_text (stmt, 5, prefect_ctx_log_entry_get_flow_run_id (entry));
      bind_text (stmt, 6, prefect_ctx_log_entry_get_task_run_id (entry));
      if (!stmt_exec (self, stmt, "storing logs", error))
        goto out;
    }

  if (transaction && !batch_commit (self, error))
    goto out;
  write_done (self);

  ok = TRUE;

out:
  if (!ok && transaction)
    batch_rollback (self);
  LOCKED_END (self);
  return ok;
}

static GListModel *
local_read_logs (PrefectCtxClient  *client,
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

  stmt = get_stmt (self, flow_run_id == NULL ? STMT_LOGS_ALL : STMT_LOGS_BY_FLOW_RUN, error);
  if (stmt != NULL)
    {
      bind_limit (stmt, limit, offset);
      sqlite3_bind_int64 (stmt, 3, after != NULL ? datetime_to_usec (after) : G_MININT64);
      sqlite3_bind_int64 (stmt, 4, before != NULL ? datetime_to_usec (before) : G_MAXINT64);
      if (flow_run_id != NULL)
        bind_text (stmt, 5, flow_run_id);
      result = query_list (self, stmt, PREFECT_CTX_TYPE_LOG_ENTRY, (RowFunc) log_from_row, error);
    }

  LOCKED_END (self);
  return result;
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
  tags = tags_to_json (prefect_ctx_deployment_get_tags (deployment));
  if (!vardict_to_json (prefect_ctx_deployment_get_parameters (deployment), &parameters, error))
    return NULL;

  LOCKED_BEGIN (self, cancellable, error, NULL);

  if (write_start (self, &local_error)
      && (stmt = get_stmt (self, STMT_DEPLOYMENT_UPSERT, &local_error)) != NULL)
    {
      int rc;

      bind_text (stmt, 1, id);
      bind_text (stmt, 2, name);
      bind_text (stmt, 3, prefect_ctx_deployment_get_version (deployment));
      bind_text (stmt, 4, prefect_ctx_deployment_get_flow_id (deployment));
      bind_text_or (stmt, 5, parameters, "{}");
      bind_text_or (stmt, 6, tags, "[]");
      sqlite3_bind_int64 (stmt, 7, g_get_real_time ());

      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        result = deployment_from_row (self, stmt, &local_error);
      else if (is_constraint_error (self))
        g_set_error (&local_error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                     "A deployment with ID %s already exists", id);
      else
        set_sqlite_error (self, &local_error, "creating a deployment");

      /* Finish the statement (RETURNING gives one row) so that it commits. */
      if (rc == SQLITE_ROW && sqlite3_step (stmt) != SQLITE_DONE && local_error == NULL)
        {
          set_sqlite_error (self, &local_error, "creating a deployment");
          g_clear_object (&result);
        }
      stmt_done (stmt);
      if (local_error == NULL)
        write_done (self);
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
  return read_by_id (PREFECT_CTX_LOCAL_CLIENT (client), STMT_DEPLOYMENT_BY_ID, id,
                     (RowFunc) deployment_from_row, "Deployment not found", cancellable, error);
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
  iface->create_task_run = local_create_task_run;
  iface->create_task_run_and_set_state = local_create_task_run_and_set_state;
  iface->read_task_run = local_read_task_run;
  iface->read_task_runs = local_read_task_runs;
  iface->set_task_run_state = local_set_task_run_state;
  iface->read_task_run_states = local_read_task_run_states;
  iface->count_task_runs = local_count_task_runs;
  iface->create_logs = local_create_logs;
  iface->read_logs = local_read_logs;
  iface->create_deployment = local_create_deployment;
  iface->read_deployment = local_read_deployment;
}

/* ------------------------------------------------------------------------ */
/* GObject */

static void
prefect_ctx_local_client_finalize (GObject *object)
{
  PrefectCtxLocalClient *self = PREFECT_CTX_LOCAL_CLIENT (object);

  live_clients_remove (self);
  /* The checkpoint thread's connection first: closing the last connection
   * checkpoints the WAL into the database and removes it. */
  g_clear_pointer (&self->checkpointer, checkpointer_free);
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
  g_array_set_clear_func (self->crashes, (GDestroyNotify) found_crash_clear);
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
