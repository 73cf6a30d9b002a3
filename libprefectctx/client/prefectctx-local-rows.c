/* prefectctx-local-rows.c: the embedded run store: JSON columns, rows to models, queries
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

void
store_found_crash_clear (FoundCrash *crash)
{
  g_free (crash->id);
  g_free (crash->process);
  g_free (crash->message);
}

/* ------------------------------------------------------------------------ */
/* Values */

gint64
store_datetime_to_usec (GDateTime *datetime)
{
  return g_date_time_to_unix (datetime) * G_USEC_PER_SEC + g_date_time_get_microsecond (datetime);
}

GDateTime *
store_datetime_from_usec (gint64 usec)
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

/* Tags as a JSON array; NULL for none (the column default "[]"). */
char *
store_tags_to_json (const char * const *tags)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;

  if (tags == NULL || tags[0] == NULL)
    return NULL;

  array = json_array_sized_new (g_strv_length ((char **) tags));
  for (gsize i = 0; tags[i] != NULL; i++)
    json_array_add_string_element (array, tags[i]);
  node = json_node_init_array (json_node_alloc (), array);
  json_array_unref (array);
  return _prefect_ctx_json_to_string (node);
}

/* Parameters as a JSON object in *out; NULL for none (the column default
 * "{}"). FALSE for a value nested too deep to store. */
gboolean
store_vardict_to_json (GVariant  *vardict,
                       char     **out,
                       GError   **error)
{
  *out = NULL;
  if (vardict == NULL || g_variant_n_children (vardict) == 0)
    return TRUE;

  *out = _prefect_ctx_variant_to_json_string (vardict, error);
  return *out != NULL;
}

void
store_set_corrupt_error (GError     **error,
                         const char  *path,
                         const char  *what)
{
  g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
               "Run store '%s' is damaged: %s", path, what);
}

/* A damaged column of one row: the row is read without it, and the others
 * are read as they are. */
void
store_warn_damaged (const char *path,
                    const char *column,
                    const char *what)
{
  g_warning ("Run store '%s' is damaged: %s (%s): read as empty", path, column, what);
}

/* The tags of a JSON array; none for "[]", NULL or a damaged column. */
GStrv
store_tags_from_json (const char *text,
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
      store_warn_damaged (path, "tags", root == NULL ? local_error->message : "not a JSON array");
      return NULL;
    }

  array = json_node_get_array (root);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          store_warn_damaged (path, "tags", "a tag is not a string");
          return NULL;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  return g_strv_builder_end (builder);
}

/* The parameters of a JSON object; none for "{}", NULL or a damaged
 * column. */
GVariant *
store_vardict_from_json (const char *text,
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
    store_warn_damaged (path, "parameters", local_error->message);
  return variant;
}

/* ------------------------------------------------------------------------ */
/* Building models: g_object_new_with_properties () with values taken from
 * a row. Strings are set static: the row outlives the construction, which
 * copies them. */


GValue *
store_props_add (Props      *props,
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

void
store_props_string (Props      *props,
                    const char *name,
                    const char *string)
{
  if (string != NULL)
    g_value_set_static_string (store_props_add (props, name, G_TYPE_STRING), string);
}

void
store_props_int (Props      *props,
                 const char *name,
                 int         v)
{
  g_value_set_int (store_props_add (props, name, G_TYPE_INT), v);
}

void
store_props_take_boxed (Props      *props,
                        const char *name,
                        GType       type,
                        gpointer    boxed)
{
  if (boxed != NULL)
    g_value_take_boxed (store_props_add (props, name, type), boxed);
}

void
store_props_take_object (Props      *props,
                         const char *name,
                         GType       type,
                         gpointer    object)
{
  if (object != NULL)
    g_value_take_object (store_props_add (props, name, type), object);
}

void
store_props_take_variant (Props      *props,
                          const char *name,
                          GVariant   *variant)
{
  if (variant != NULL)
    g_value_take_variant (store_props_add (props, name, G_TYPE_VARIANT), variant);
}

void
store_props_usec (Props        *props,
                  const char   *name,
                  sqlite3_stmt *stmt,
                  int           column)
{
  if (sqlite3_column_type (stmt, column) != SQLITE_NULL)
    store_props_take_boxed (props, name, G_TYPE_DATE_TIME,
                            store_datetime_from_usec (sqlite3_column_int64 (stmt, column)));
}

void
store_props_clear (Props *props)
{
  for (guint i = 0; i < props->n; i++)
    g_value_unset (&props->values[i]);
  props->n = 0;
}

gpointer
store_props_build (Props *props,
                   GType  type)
{
  gpointer object = g_object_new_with_properties (type, props->n, props->names, props->values);

  store_props_clear (props);
  return object;
}


gboolean
store_has_property (GType       type,
                    const char *name,
                    GType       value_type)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (type);
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), name);

  return pspec != NULL && (pspec->flags & G_PARAM_WRITABLE) && pspec->value_type == value_type;
}

const OptionalProps *
store_optional_props (void)
{
  static OptionalProps props;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      props.flow_run_total_run_time = store_has_property (PREFECT_CTX_TYPE_FLOW_RUN, "total-run-time", G_TYPE_DOUBLE);
      props.task_run_total_run_time = store_has_property (PREFECT_CTX_TYPE_TASK_RUN, "total-run-time", G_TYPE_DOUBLE);
      props.task_run_expected_start_time = store_has_property (PREFECT_CTX_TYPE_TASK_RUN, "expected-start-time", G_TYPE_DATE_TIME);
      props.task_run_created = store_has_property (PREFECT_CTX_TYPE_TASK_RUN, "created", G_TYPE_DATE_TIME);
      props.task_run_updated = store_has_property (PREFECT_CTX_TYPE_TASK_RUN, "updated", G_TYPE_DATE_TIME);
      g_once_init_leave (&initialized, 1);
    }

  return &props;
}

PrefectCtxState *
store_state_new (const char *type_string,
                 const char *name,
                 const char *message,
                 gint64      timestamp)
{
  g_autoptr(GDateTime) datetime = NULL;
  PrefectCtxStateType type;

  if (type_string == NULL || !prefect_ctx_state_type_from_string (type_string, &type))
    return NULL;

  datetime = store_datetime_from_usec (timestamp);
  return g_object_new (PREFECT_CTX_TYPE_STATE,
                       "state-type", type,
                       "name", name,
                       "message", message,
                       "timestamp", datetime,
                       NULL);
}

/* ------------------------------------------------------------------------ */
/* Rows to models */

/* "tags" from the JSON array in @column; FALSE if it is malformed. */
gboolean
store_props_tags (Props                  *props,
                  PrefectCtxLocalClient  *self,
                  sqlite3_stmt           *stmt,
                  int                     column,
                  GError                **error)
{
  store_props_take_boxed (props, "tags", G_TYPE_STRV, store_tags_from_json (store_column_text (stmt, column), self->path));
  return TRUE;
}

/* "parameters" from the JSON object in @column; FALSE if it is malformed. */
gboolean
store_props_parameters (Props                  *props,
                        PrefectCtxLocalClient  *self,
                        sqlite3_stmt           *stmt,
                        int                     column,
                        GError                **error)
{
  store_props_take_variant (props, "parameters", store_vardict_from_json (store_column_text (stmt, column), self->path));
  return TRUE;
}

PrefectCtxFlow *
store_flow_from_row (PrefectCtxLocalClient  *self,
                     sqlite3_stmt           *stmt,
                     GError                **error)
{
  Props props = { 0, };

  store_props_string (&props, "id", store_column_text (stmt, 0));
  store_props_string (&props, "name", store_column_text (stmt, 1));
  store_props_string (&props, "version", store_column_text (stmt, 2));
  store_props_string (&props, "description", store_column_text (stmt, 3));
  if (!store_props_tags (&props, self, stmt, 4, error))
    {
      store_props_clear (&props);
      return NULL;
    }
  store_props_usec (&props, "created", stmt, 5);

  return store_props_build (&props, PREFECT_CTX_TYPE_FLOW);
}

PrefectCtxDeployment *
store_deployment_from_row (PrefectCtxLocalClient  *self,
                           sqlite3_stmt           *stmt,
                           GError                **error)
{
  Props props = { 0, };

  store_props_string (&props, "id", store_column_text (stmt, 0));
  store_props_string (&props, "name", store_column_text (stmt, 1));
  store_props_string (&props, "version", store_column_text (stmt, 2));
  store_props_string (&props, "flow-id", store_column_text (stmt, 3));
  if (!store_props_tags (&props, self, stmt, 5, error)
      || !store_props_parameters (&props, self, stmt, 4, error))
    {
      store_props_clear (&props);
      return NULL;
    }
  store_props_usec (&props, "created", stmt, 6);

  return store_props_build (&props, PREFECT_CTX_TYPE_DEPLOYMENT);
}

/* The columns of RUN_STATE_COLUMNS, from @first on, of the run @id. A run
 * Running in a process that is gone is given the Crashed state that
 * recording it would give (with the bookkeeping of SET_STATE_SQL), and
 * added to self->crashes. */
gboolean
store_run_state_props (PrefectCtxLocalClient  *self,
                       Props                  *props,
                       sqlite3_stmt           *stmt,
                       int                     first,
                       const char             *id,
                       gboolean                is_flow_run,
                       GError                **error)
{
  const OptionalProps *optional = store_optional_props ();
  const char *type = store_column_text (stmt, first);
  gint64 state_timestamp = sqlite3_column_int64 (stmt, first + 3);
  gint64 total_run_time = sqlite3_column_int64 (stmt, first + 8);
  FoundCrash crash = { 0, };

  if (type != NULL && strcmp (type, "RUNNING") == 0 && id != NULL
      && (crash.message = _prefect_ctx_process_gone_message (store_column_text (stmt, first + 11))) != NULL)
    {
      crash.is_flow_run = is_flow_run;
      crash.id = g_strdup (id);
      crash.process = g_strdup (store_column_text (stmt, first + 11));
      crash.timestamp = MAX (g_get_real_time (), state_timestamp);
      total_run_time += crash.timestamp - state_timestamp;
      store_props_take_object (props, "state", PREFECT_CTX_TYPE_STATE,
                               store_state_new ("CRASHED", "Crashed", crash.message, crash.timestamp));
    }
  else if (type != NULL)
    {
      PrefectCtxState *state = store_state_new (type, store_column_text (stmt, first + 1),
                                                store_column_text (stmt, first + 2), state_timestamp);

      if (state == NULL)
        {
          store_set_corrupt_error (error, self->path, "unknown state type");
          return FALSE;
        }
      store_props_take_object (props, "state", PREFECT_CTX_TYPE_STATE, state);
    }

  store_props_int (props, "run-count", sqlite3_column_int (stmt, first + 4));
  if (is_flow_run || optional->task_run_expected_start_time)
    store_props_usec (props, "expected-start-time", stmt, first + 5);
  store_props_usec (props, "start-time", stmt, first + 6);
  if (crash.id != NULL)
    store_props_take_boxed (props, "end-time", G_TYPE_DATE_TIME, store_datetime_from_usec (crash.timestamp));
  else
    store_props_usec (props, "end-time", stmt, first + 7);
  if (is_flow_run ? optional->flow_run_total_run_time : optional->task_run_total_run_time)
    g_value_set_double (store_props_add (props, "total-run-time", G_TYPE_DOUBLE),
                        total_run_time / (double) G_USEC_PER_SEC);
  if (is_flow_run || optional->task_run_created)
    store_props_usec (props, "created", stmt, first + 9);
  if (crash.id != NULL && (is_flow_run || optional->task_run_updated))
    store_props_take_boxed (props, "updated", G_TYPE_DATE_TIME, store_datetime_from_usec (crash.timestamp));
  else if (is_flow_run || optional->task_run_updated)
    store_props_usec (props, "updated", stmt, first + 10);

  if (crash.id != NULL)
    g_array_append_val (self->crashes, crash);
  return TRUE;
}

PrefectCtxFlowRun *
store_flow_run_from_row (PrefectCtxLocalClient  *self,
                         sqlite3_stmt           *stmt,
                         GError                **error)
{
  Props props = { 0, };

  store_props_string (&props, "id", store_column_text (stmt, 0));
  store_props_string (&props, "name", store_column_text (stmt, 1));
  store_props_string (&props, "flow-id", store_column_text (stmt, 2));
  store_props_string (&props, "flow-version", store_column_text (stmt, 3));
  store_props_string (&props, "parent-task-run-id", store_column_text (stmt, 6));
  store_props_string (&props, "deployment-id", store_column_text (stmt, 7));
  if (!store_props_tags (&props, self, stmt, 5, error)
      || !store_props_parameters (&props, self, stmt, 4, error)
      || !store_run_state_props (self, &props, stmt, 8, store_column_text (stmt, 0), TRUE, error))
    {
      store_props_clear (&props);
      return NULL;
    }

  return store_props_build (&props, PREFECT_CTX_TYPE_FLOW_RUN);
}

PrefectCtxTaskRun *
store_task_run_from_row (PrefectCtxLocalClient  *self,
                         sqlite3_stmt           *stmt,
                         GError                **error)
{
  Props props = { 0, };

  store_props_string (&props, "id", store_column_text (stmt, 0));
  store_props_string (&props, "name", store_column_text (stmt, 1));
  store_props_string (&props, "flow-run-id", store_column_text (stmt, 2));
  store_props_string (&props, "task-key", store_column_text (stmt, 3));
  store_props_string (&props, "dynamic-key", store_column_text (stmt, 4));
  store_props_int (&props, "map-index", sqlite3_column_int (stmt, 6));
  if (!store_props_tags (&props, self, stmt, 5, error)
      || !store_run_state_props (self, &props, stmt, 7, store_column_text (stmt, 0), FALSE, error))
    {
      store_props_clear (&props);
      return NULL;
    }

  return store_props_build (&props, PREFECT_CTX_TYPE_TASK_RUN);
}

PrefectCtxLogEntry *
store_log_from_row (PrefectCtxLocalClient  *self,
                    sqlite3_stmt           *stmt,
                    GError                **error)
{
  Props props = { 0, };

  store_props_string (&props, "name", store_column_text (stmt, 0));
  store_props_int (&props, "level", sqlite3_column_int (stmt, 1));
  store_props_string (&props, "message", store_column_text (stmt, 2));
  store_props_usec (&props, "timestamp", stmt, 3);
  store_props_string (&props, "flow-run-id", store_column_text (stmt, 4));
  store_props_string (&props, "task-run-id", store_column_text (stmt, 5));

  return store_props_build (&props, PREFECT_CTX_TYPE_LOG_ENTRY);
}

PrefectCtxState *
store_state_from_row (PrefectCtxLocalClient  *self,
                      sqlite3_stmt           *stmt,
                      GError                **error)
{
  PrefectCtxState *state = store_state_new (store_column_text (stmt, 0), store_column_text (stmt, 1),
                                            store_column_text (stmt, 2), sqlite3_column_int64 (stmt, 3));

  if (state == NULL)
    store_set_corrupt_error (error, self->path, "unknown state type");

  return state;
}


/* Records Crashed the runs that the rows just read found crashed
 * (self->crashes), unless the client only reads: then they are only
 * reported, and stay in self->crashes until the next query. A failure is
 * a warning: what was read stands. */
void
store_record_crashes (PrefectCtxLocalClient *self)
{
  if (self->read_only)
    return;

  for (guint i = 0; i < self->crashes->len; i++)
    {
      FoundCrash *crash = &g_array_index (self->crashes, FoundCrash, i);
      g_autoptr(GError) error = NULL;
      sqlite3_stmt *stmt = NULL;

      if (store_write_start (self, FALSE, &error)
          && (stmt = store_get_stmt (self, crash->is_flow_run ? STMT_FLOW_RUN_CRASH : STMT_TASK_RUN_CRASH,
                                     &error)) != NULL)
        {
          store_bind_text (stmt, 1, "CRASHED");
          store_bind_text (stmt, 2, "Crashed");
          store_bind_text (stmt, 3, crash->message);
          sqlite3_bind_int64 (stmt, 4, crash->timestamp);
          sqlite3_bind_int64 (stmt, 5, crash->timestamp);
          store_bind_text (stmt, 6, crash->id);
          store_bind_text (stmt, 7, crash->process);
          if (store_stmt_exec (self, stmt, "recording a crashed run", &error))
            store_write_done (self, &error);
        }
      if (error != NULL)
        g_warning ("The %s run %s, whose process is gone, could not be recorded Crashed: %s",
                   crash->is_flow_run ? "flow" : "task", crash->id, error->message);
    }
  g_array_set_size (self->crashes, 0);
}

/* Steps a bound statement expected to give at most one row; resets it.
 * NULL without an error when there is no row. */
gpointer
store_query_one (PrefectCtxLocalClient  *self,
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
    store_set_sqlite_error (self, error, "reading");

  store_stmt_done (stmt);
  store_record_crashes (self);
  return result;
}

/* Steps a bound statement, collecting every row in a GListStore; resets
 * it. */
GListModel *
store_query_list (PrefectCtxLocalClient  *self,
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
      store_set_sqlite_error (self, error, "reading");
      store_stmt_done (stmt);
      return NULL;
    }

  store_stmt_done (stmt);
  store_record_crashes (self);
  g_list_store_splice (store, 0, 0, items->pdata, items->len);
  return G_LIST_MODEL (g_steal_pointer (&store));
}

