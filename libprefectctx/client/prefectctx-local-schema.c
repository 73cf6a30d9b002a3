/* prefectctx-local-schema.c: the schema of the embedded run store, its migrations, opening a database
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
   * enters once, when it finishes, rather than at every state change. Its
   * condition is a chain of = (see IS_FINISHED), which every state change
   * tests: an IN list costs an ephemeral table each time. */
  "CREATE INDEX task_run_flow_run_order ON task_run (flow_run_id, expected_start_time, seq);"
  "CREATE INDEX task_run_order ON task_run (expected_start_time, seq);"
  "CREATE INDEX task_run_finished ON task_run (flow_run_id, state_type)"
  "  WHERE state_type = 'COMPLETED' OR state_type = 'FAILED' OR state_type = 'CANCELLED'"
  "     OR state_type = 'CRASHED';",
  /* 3 -> 4: flows and deployments listed newest first without sorting
   * them (prefect flow ls, deployment ls). */
  "CREATE INDEX flow_created ON flow (created);"
  "CREATE INDEX deployment_created ON deployment (created);",
};

#define N_MIGRATIONS ((int) G_N_ELEMENTS (migrations))

int
_prefect_ctx_local_schema_version (void)
{
  return N_MIGRATIONS;
}


/* ------------------------------------------------------------------------ */
/* Opening */

gboolean
store_pragma_int (PrefectCtxLocalClient  *self,
                  const char             *sql,
                  int                    *out,
                  GError                **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* One-off statements of the open sequence, not cached. */
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      store_set_sqlite_error (self, error, "reading the database header");
      return FALSE;
    }

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int (stmt, 0);
  else if (rc == SQLITE_DONE)
    *out = 0;
  else
    store_set_sqlite_error (self, error, "reading the database header");
  sqlite3_finalize (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

gboolean
store_exec_sql (PrefectCtxLocalClient  *self,
                const char             *sql,
                const char             *what,
                GError                **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      store_set_sqlite_error (self, error, what);
      return FALSE;
    }

  return TRUE;
}

/* Checks that the database is empty or ours, at a version we know, without
 * writing to it. *out_version is its schema version. */
gboolean
store_check_schema (PrefectCtxLocalClient  *self,
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
  if (own_transaction && !store_exec_sql (self, "BEGIN", "reading the schema", error))
    return FALSE;

  read = store_pragma_int (self, "PRAGMA application_id", &application_id, error)
         && store_pragma_int (self, "PRAGMA user_version", &version, error)
         && store_pragma_int (self, "SELECT count(*) FROM sqlite_master", &n_objects, error);

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

gboolean
store_migrate (PrefectCtxLocalClient  *self,
               GError                **error)
{
  int version = 0;

  /* Checked again under the write lock: another process may have created
   * or migrated the schema since. */
  if (!store_exec_sql (self, "BEGIN IMMEDIATE", "starting the schema migration", error))
    return FALSE;

  if (!store_check_schema (self, &version, error))
    goto fail;

  for (int v = version; v < SCHEMA_VERSION; v++)
    {
      g_autofree char *what = g_strdup_printf ("migrating the schema to version %d", v + 1);
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      if (!store_exec_sql (self, migrations[v], what, error)
          || !store_exec_sql (self, set_version, what, error))
        goto fail;
    }

  if (version < SCHEMA_VERSION)
    {
      g_autofree char *set_id = g_strdup_printf ("PRAGMA application_id = %d", APPLICATION_ID);

      if (!store_exec_sql (self, set_id, "marking the database", error))
        goto fail;
    }

  if (!store_exec_sql (self, "COMMIT", "committing the schema migration", error))
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
gboolean
store_enable_wal (PrefectCtxLocalClient  *self,
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

  store_set_sqlite_error (self, error, "enabling the write-ahead log");
  return FALSE;
}

