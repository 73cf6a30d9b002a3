/* prefectctx-json-private.h: JSON reading and writing shared by the models
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every model maps JSON members of the Prefect REST API to construct-only
 * properties. The readers below check the JSON type of one member and report
 * a wrong one as PREFECT_CTX_ERROR_INVALID_ARGUMENT naming the member and the
 * model ("Field 'run_count' of FlowRun: expected an integer"). A member that
 * is absent or JSON null is "not given": the readers return TRUE and leave
 * *out alone, so the property keeps its default.
 *
 * Most models need nothing but a table of PrefectCtxJsonField and the two
 * table-driven functions _prefect_ctx_json_deserialize () and
 * _prefect_ctx_json_serialize ().
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  PREFECT_CTX_JSON_STRING,      /* string property <-> JSON string */
  PREFECT_CTX_JSON_INT,         /* int property (range from its pspec) <-> JSON integer */
  PREFECT_CTX_JSON_DOUBLE,      /* double property (range from its pspec) <-> JSON number */
  PREFECT_CTX_JSON_STRV,        /* G_TYPE_STRV property <-> JSON array of strings */
  PREFECT_CTX_JSON_DATETIME,    /* G_TYPE_DATE_TIME property <-> ISO 8601 string */
  PREFECT_CTX_JSON_VARDICT,     /* a{sv} GVariant property <-> JSON object */
  PREFECT_CTX_JSON_STATE_TYPE,  /* PrefectCtxStateType property <-> "COMPLETED"... */
  PREFECT_CTX_JSON_STATE,       /* PrefectCtxState property <-> nested state object */
} PrefectCtxJsonKind;

typedef enum {
  PREFECT_CTX_JSON_FIELD_NONE         = 0,
  /* Absent or null is an error ("Field 'name' of Flow: missing"). */
  PREFECT_CTX_JSON_FIELD_REQUIRED     = 1 << 0,
  /* Not written when the property has its default value. */
  PREFECT_CTX_JSON_FIELD_OMIT_DEFAULT = 1 << 1,
} PrefectCtxJsonFieldFlags;

typedef struct {
  const char               *member;    /* JSON member name (the server's) */
  const char               *property;  /* GObject property name */
  PrefectCtxJsonKind        kind;
  PrefectCtxJsonFieldFlags  flags;
} PrefectCtxJsonField;

/* Parsing: text -> node, node -> object. @type_name ("FlowRun") goes into
 * the error messages. */
JsonNode   *_prefect_ctx_json_parse         (const char           *json,
                                             const char           *type_name,
                                             GError              **error);
JsonObject *_prefect_ctx_json_get_object    (JsonNode             *node,
                                             const char           *type_name,
                                             GError              **error);

/* Field readers: TRUE and *out untouched when @member is absent or null;
 * FALSE and an error when it has the wrong type or is out of range. Outputs
 * that own memory must be NULL on entry and are (transfer full). */
gboolean    _prefect_ctx_json_read_string   (JsonObject           *object,
                                             const char           *type_name,
                                             const char           *member,
                                             char                **out,
                                             GError              **error);
gboolean    _prefect_ctx_json_read_int      (JsonObject           *object,
                                             const char           *type_name,
                                             const char           *member,
                                             gint64                minimum,
                                             gint64                maximum,
                                             gint64               *out,
                                             GError              **error);
gboolean    _prefect_ctx_json_read_double   (JsonObject           *object,
                                             const char           *type_name,
                                             const char           *member,
                                             double                minimum,
                                             double                maximum,
                                             double               *out,
                                             GError              **error);
gboolean    _prefect_ctx_json_read_bool     (JsonObject           *object,
                                             const char           *type_name,
                                             const char           *member,
                                             gboolean             *out,
                                             GError              **error);
gboolean    _prefect_ctx_json_read_strv     (JsonObject           *object,
                                             const char           *type_name,
                                             const char           *member,
                                             GStrv                *out,
                                             GError              **error);
gboolean    _prefect_ctx_json_read_datetime (JsonObject           *object,
                                             const char           *type_name,
                                             const char           *member,
                                             GDateTime           **out,
                                             GError              **error);
/* *out is a non-floating a{sv}; JSON null values become `mv` nothing. */
gboolean    _prefect_ctx_json_read_vardict  (JsonObject           *object,
                                             const char           *type_name,
                                             const char           *member,
                                             GVariant            **out,
                                             GError              **error);

/* Writing. The datetime is written in UTC with microseconds, as the server
 * does: "2026-11-21T05:01:49.197991+00:00". */
char       *_prefect_ctx_json_format_datetime (GDateTime          *datetime);
void        _prefect_ctx_json_set_datetime    (JsonObject         *object,
                                               const char         *member,
                                               GDateTime          *datetime);
void        _prefect_ctx_json_set_strv        (JsonObject         *object,
                                               const char         *member,
                                               const char * const *strv);

/* Table-driven conversion. Deserializing sets only the properties whose
 * members are given, so the others keep their defaults. */
gpointer    _prefect_ctx_json_deserialize   (GType                      type,
                                             const char                *type_name,
                                             const PrefectCtxJsonField *fields,
                                             gsize                      n_fields,
                                             JsonNode                  *node,
                                             GError                   **error);
JsonNode   *_prefect_ctx_json_serialize     (gpointer                   object,
                                             const PrefectCtxJsonField *fields,
                                             gsize                      n_fields);
gpointer    _prefect_ctx_json_deserialize_string (GType                      type,
                                                  const char                *type_name,
                                                  const PrefectCtxJsonField *fields,
                                                  gsize                      n_fields,
                                                  const char                *json,
                                                  GError                   **error);
char       *_prefect_ctx_json_serialize_string   (gpointer                   object,
                                                  const PrefectCtxJsonField *fields,
                                                  gsize                      n_fields);

/* Property normalisation shared by the models. */
/* Sorted, duplicates removed, never NULL (NULL -> empty). */
GStrv       _prefect_ctx_model_normalize_tags     (const char * const *tags);
/* NULL -> NULL, else a new reference converted to UTC. */
GDateTime  *_prefect_ctx_model_normalize_datetime (GDateTime          *datetime);
/* NULL -> empty a{sv}, else a sunk reference. */
GVariant   *_prefect_ctx_model_normalize_vardict  (GVariant           *vardict);

G_END_DECLS
