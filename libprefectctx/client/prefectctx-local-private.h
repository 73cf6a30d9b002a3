/* prefectctx-local-private.h: what the files of the embedded run store
 * share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The store is five files: prefectctx-local-client.c (the GObject and the
 * operations on flows, flow runs and deployments),
 * prefectctx-local-task-runs.c (the operations on task runs and logs),
 * prefectctx-local-schema.c (the schema and
 * its migrations, opening a database), prefectctx-local-connection.c (the
 * statements and their cache, transactions, the checkpoint thread, the
 * stores open at exit) and prefectctx-local-rows.c (JSON columns, rows to
 * models, queries). Everything that takes a PrefectCtxLocalClient runs with
 * its lock held.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "prefectctx-local-client.h"

G_BEGIN_DECLS

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

/* A file store commits the writes of task runs and logs ("deferred"
 * writes) in groups: at most this many, and at most this long after the
 * first of them. Every other write (flows, flow runs and their states,
 * deployments) commits at once, with the deferred writes before it. This is
 * the durability point: a process killed with SIGKILL loses at most the
 * task-run and log writes of its last DEFERRED_COMMIT_US. */
#define DEFERRED_WRITES_PER_COMMIT 2048
#define DEFERRED_COMMIT_US (20 * 1000)


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
  STMT_FLOWS_LATEST,
  STMT_DEPLOYMENTS_LATEST,
  STMT_FLOW_RUN_INSERT,
  STMT_FLOW_RUN_BY_ID,
  STMT_FLOW_RUNS_ALL,
  STMT_FLOW_RUNS_BY_STATE,
  STMT_FLOW_RUN_SET_STATE,
  STMT_FLOW_RUN_PROPOSE_STATE,
  STMT_FLOW_RUN_CANCEL_SCHEDULED,
  STMT_FLOW_RUN_CRASH,
  STMT_FLOW_RUN_STATES,
  STMT_FLOW_RUN_DETACH_SUBFLOWS,
  STMT_TASK_RUNS_DELETE_BY_FLOW_RUN,
  STMT_FLOW_RUN_DELETE,
  STMT_FLOW_RUN_IDS_IN_RANGE,
  STMT_TASK_RUN_IDS_IN_RANGE,
  STMT_TASK_RUN_INSERT,
  STMT_TASK_RUN_INSERT_TWO,
  STMT_TASK_RUN_BY_ID,
  STMT_TASK_RUN_BY_KEY,
  STMT_TASK_RUNS_ALL,
  STMT_TASK_RUNS_BY_FLOW_RUN,
  STMT_TASK_RUNS_LATEST,
  STMT_TASK_RUNS_LATEST_BY_FLOW_RUN,
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
  STMT_LOGS_SINCE,
  N_STMTS
} StmtId;


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

/* The commit thread of a file store: it commits the deferred writes of
 * the open transaction DEFERRED_COMMIT_US after its first one. */
typedef struct _Committer Committer;

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
  Committer     *committer;  /* file stores that write */
  gboolean       write_deferred;  /* the write under way may wait for a commit */
  guint          deferred;   /* file: deferred writes not committed yet */
  gint64         deferred_since;  /* monotonic time of the first of them */
  GError        *commit_error;    /* a timed commit that failed, for the next call */
  gboolean       batch_savepoint; /* the batch under way is a savepoint */
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



#define MAX_PROPS 24

typedef struct {
  const char *names[MAX_PROPS];
  GValue      values[MAX_PROPS];
  guint       n;
} Props;

/* Properties a later version of the models may have: set when the model has
 * them, so that the store needs no change when they appear. */
typedef struct {
  gboolean flow_run_total_run_time;
  gboolean task_run_total_run_time;
  gboolean task_run_expected_start_time;
  gboolean task_run_created;
  gboolean task_run_updated;
} OptionalProps;

typedef gpointer (*RowFunc) (PrefectCtxLocalClient  *self,
                             sqlite3_stmt           *stmt,
                             GError                **error);

/* prefectctx-local-schema.c */
#define SCHEMA_VERSION _prefect_ctx_local_schema_version ()
int _prefect_ctx_local_schema_version (void);
gboolean store_pragma_int (PrefectCtxLocalClient  *self,
                           const char             *sql,
                           int                    *out,
                           GError                **error);
gboolean store_exec_sql (PrefectCtxLocalClient  *self,
                         const char             *sql,
                         const char             *what,
                         GError                **error);
gboolean store_check_schema (PrefectCtxLocalClient  *self,
                             int                    *out_version,
                             GError                **error);
gboolean store_migrate (PrefectCtxLocalClient  *self,
                        GError                **error);
gboolean store_enable_wal (PrefectCtxLocalClient  *self,
                           GError                **error);

/* prefectctx-local-connection.c */
void store_set_sqlite_error (PrefectCtxLocalClient  *self,
                             GError                **error,
                             const char             *what);
sqlite3_stmt * store_get_stmt (PrefectCtxLocalClient  *self,
                               StmtId                  id,
                               GError                **error);
void store_stmt_done (sqlite3_stmt *stmt);
void store_check_query_plans (PrefectCtxLocalClient *self);
gboolean store_stmt_exec (PrefectCtxLocalClient  *self,
                          sqlite3_stmt           *stmt,
                          const char             *what,
                          GError                **error);
gboolean store_run_simple (PrefectCtxLocalClient  *self,
                           StmtId                  id,
                           const char             *what,
                           GError                **error);
gboolean store_write_start (PrefectCtxLocalClient  *self,
                            gboolean                deferred,
                            GError                **error);
gboolean store_write_done (PrefectCtxLocalClient  *self,
                           GError                **error);
gboolean store_commit_deferred (PrefectCtxLocalClient  *self,
                                GError                **error);
Committer * store_committer_new (PrefectCtxLocalClient *self);
void store_committer_request (Committer *committer);
void store_committer_free (Committer *committer);
gboolean store_batch_begin (PrefectCtxLocalClient  *self,
                            gboolean                deferred,
                            GError                **error);
gboolean store_batch_commit (PrefectCtxLocalClient  *self,
                             GError                **error);
void store_batch_rollback (PrefectCtxLocalClient *self);
void store_bind_text (sqlite3_stmt *stmt,
                      int           index,
                      const char   *text);
void store_bind_text_or (sqlite3_stmt *stmt,
                         int           index,
                         const char   *text,
                         const char   *fallback);
void store_bind_limit (sqlite3_stmt *stmt,
                       guint         limit,
                       guint         offset);
const char * store_column_text (sqlite3_stmt *stmt,
                                int           column);
gpointer store_checkpoint_thread (gpointer data);
Checkpointer * store_checkpointer_new (const char *path);
void store_checkpointer_request (Checkpointer *checkpointer);
void store_checkpointer_free (Checkpointer *checkpointer);
int store_wal_hook (void       *data,
                    sqlite3    *db,
                    const char *name,
                    int         n_frames);
void store_live_clients_checkpoint (void);
void store_live_clients_add (PrefectCtxLocalClient *self);
void store_live_clients_remove (PrefectCtxLocalClient *self);
void store_live_clients_add (PrefectCtxLocalClient *self);
void store_live_clients_remove (PrefectCtxLocalClient *self);

/* prefectctx-local-rows.c */
void store_found_crash_clear (FoundCrash *crash);
gint64 store_datetime_to_usec (GDateTime *datetime);
GDateTime * store_datetime_from_usec (gint64 usec);
char * store_tags_to_json (const char * const *tags);
gboolean store_vardict_to_json (GVariant  *vardict,
                                char     **out,
                                GError   **error);
void store_set_corrupt_error (GError     **error,
                              const char  *path,
                              const char  *what);
void store_warn_damaged (const char *path,
                         const char *column,
                         const char *what);
GStrv store_tags_from_json (const char *text,
                            const char *path);
GVariant * store_vardict_from_json (const char *text,
                                    const char *path);
GValue * store_props_add (Props      *props,
                          const char *name,
                          GType       type);
void store_props_string (Props      *props,
                         const char *name,
                         const char *string);
void store_props_int (Props      *props,
                      const char *name,
                      int         v);
void store_props_take_boxed (Props      *props,
                             const char *name,
                             GType       type,
                             gpointer    boxed);
void store_props_take_object (Props      *props,
                              const char *name,
                              GType       type,
                              gpointer    object);
void store_props_take_variant (Props      *props,
                               const char *name,
                               GVariant   *variant);
void store_props_usec (Props        *props,
                       const char   *name,
                       sqlite3_stmt *stmt,
                       int           column);
void store_props_clear (Props *props);
gpointer store_props_build (Props *props,
                            GType  type);
gboolean store_has_property (GType       type,
                             const char *name,
                             GType       value_type);
const OptionalProps * store_optional_props (void);
PrefectCtxState * store_state_new (const char *type_string,
                                   const char *name,
                                   const char *message,
                                   gint64      timestamp);
gboolean store_props_tags (Props                  *props,
                           PrefectCtxLocalClient  *self,
                           sqlite3_stmt           *stmt,
                           int                     column,
                           GError                **error);
gboolean store_props_parameters (Props                  *props,
                                 PrefectCtxLocalClient  *self,
                                 sqlite3_stmt           *stmt,
                                 int                     column,
                                 GError                **error);
PrefectCtxFlow * store_flow_from_row (PrefectCtxLocalClient  *self,
                                      sqlite3_stmt           *stmt,
                                      GError                **error);
PrefectCtxDeployment * store_deployment_from_row (PrefectCtxLocalClient  *self,
                                                  sqlite3_stmt           *stmt,
                                                  GError                **error);
gboolean store_run_state_props (PrefectCtxLocalClient  *self,
                                Props                  *props,
                                sqlite3_stmt           *stmt,
                                int                     first,
                                const char             *id,
                                gboolean                is_flow_run,
                                GError                **error);
PrefectCtxFlowRun * store_flow_run_from_row (PrefectCtxLocalClient  *self,
                                             sqlite3_stmt           *stmt,
                                             GError                **error);
PrefectCtxTaskRun * store_task_run_from_row (PrefectCtxLocalClient  *self,
                                             sqlite3_stmt           *stmt,
                                             GError                **error);
PrefectCtxLogEntry * store_log_from_row (PrefectCtxLocalClient  *self,
                                         sqlite3_stmt           *stmt,
                                         GError                **error);
PrefectCtxState * store_state_from_row (PrefectCtxLocalClient  *self,
                                        sqlite3_stmt           *stmt,
                                        GError                **error);
void store_record_crashes (PrefectCtxLocalClient *self);
gpointer store_query_one (PrefectCtxLocalClient  *self,
                          sqlite3_stmt           *stmt,
                          RowFunc                 row_func,
                          GError                **error);
GListModel * store_query_list (PrefectCtxLocalClient  *self,
                               sqlite3_stmt           *stmt,
                               GType                   item_type,
                               RowFunc                 row_func,
                               GError                **error);


/* prefectctx-local-client.c: the operations on flows, flow runs and
 * deployments, and what the operations share */
#define LOCKED_BEGIN(self, cancellable, error, fail_value) \
  G_STMT_START { \
    if (g_cancellable_set_error_if_cancelled ((cancellable), (error))) \
      return (fail_value); \
    prefect_ctx_mutex_lock (&(self)->lock); \
  } G_STMT_END

#define LOCKED_END(self) prefect_ctx_mutex_unlock (&(self)->lock)

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

gpointer store_read_by_id (PrefectCtxLocalClient  *self,
                           StmtId                  stmt_id,
                           const char             *id,
                           RowFunc                 row_func,
                           const char             *not_found,
                           GCancellable           *cancellable,
                           GError                **error);
void store_first_state_init (FirstState      *first,
                             PrefectCtxState *state,
                             gint64           now);
void store_bind_first_state (sqlite3_stmt     *stmt,
                             const FirstState *first,
                             int               first_index,
                             int               start_index);
gboolean store_is_constraint_error (PrefectCtxLocalClient *self);
PrefectCtxState *store_set_state (PrefectCtxLocalClient  *self,
                                  StmtId                  update_id,
                                  const char             *id,
                                  PrefectCtxState        *state,
                                  const char             *not_found,
                                  GCancellable           *cancellable,
                                  GError                **error);
GListModel *store_read_states (PrefectCtxLocalClient  *self,
                               StmtId                  by_id,
                               RowFunc                 row_func,
                               StmtId                  states_id,
                               const char             *id,
                               const char             *not_found,
                               GCancellable           *cancellable,
                               GError                **error);

/* prefectctx-local-task-runs.c: the operations on task runs and logs */
PrefectCtxTaskRun *store_create_task_run (PrefectCtxLocalClient  *self,
                                          PrefectCtxTaskRun      *task_run,
                                          PrefectCtxState        *then,
                                          GCancellable           *cancellable,
                                          GError                **error);
PrefectCtxTaskRun *store_local_create_task_run (PrefectCtxClient   *client,
                                                PrefectCtxTaskRun  *task_run,
                                                GCancellable       *cancellable,
                                                GError            **error);
PrefectCtxTaskRun *store_local_create_task_run_and_set_state (PrefectCtxClient   *client,
                                                              PrefectCtxTaskRun  *task_run,
                                                              PrefectCtxState    *state,
                                                              GCancellable       *cancellable,
                                                              GError            **error);
PrefectCtxTaskRun *store_local_read_task_run (PrefectCtxClient  *client,
                                              const char        *id,
                                              GCancellable      *cancellable,
                                              GError           **error);
GListModel *store_local_read_latest_task_runs (PrefectCtxClient  *client,
                                               const char        *flow_run_id,
                                               guint              limit,
                                               guint              offset,
                                               GCancellable      *cancellable,
                                               GError           **error);
GListModel *store_local_read_task_runs (PrefectCtxClient  *client,
                                        const char        *flow_run_id,
                                        guint              limit,
                                        guint              offset,
                                        GCancellable      *cancellable,
                                        GError           **error);
PrefectCtxState *store_local_set_task_run_state (PrefectCtxClient  *client,
                                                 const char        *id,
                                                 PrefectCtxState   *state,
                                                 gboolean           force,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
GListModel *store_local_read_task_run_states (PrefectCtxClient  *client,
                                              const char        *id,
                                              GCancellable      *cancellable,
                                              GError           **error);
guint store_local_count_task_runs (PrefectCtxClient  *client,
                                   const char        *flow_run_id,
                                   gboolean           finished_only,
                                   GCancellable      *cancellable,
                                   GError           **error);
gboolean store_local_create_logs (PrefectCtxClient  *client,
                                  GPtrArray         *logs,
                                  GCancellable      *cancellable,
                                  GError           **error);
GListModel *store_local_read_logs_since (PrefectCtxClient  *client,
                                         const char        *flow_run_id,
                                         guint64           *cursor,
                                         GCancellable      *cancellable,
                                         GError           **error);
GListModel *store_local_read_logs (PrefectCtxClient  *client,
                                   const char        *flow_run_id,
                                   GDateTime         *after,
                                   GDateTime         *before,
                                   guint              limit,
                                   guint              offset,
                                   GCancellable      *cancellable,
                                   GError           **error);

G_END_DECLS
