/* prefectctx-json-private.h: JSON reading and writing shared by the models
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every model maps JSON members of the Prefect REST API to construct-only
 * properties with a table of PrefectCtxJsonField and the table-driven
 * functions below. Reading checks the JSON type of each member and reports a
 * wrong one as PREFECT_CTX_ERROR_INVALID_ARGUMENT naming the member and the
 * model ("Field 'run_count' of FlowRun: expected an integer, got a string").
 * A member that is absent or JSON null is "not given": its property keeps
 * its default. Timestamps are read as ISO 8601 and written in UTC with
 * microseconds, as the server does: "2026-11-21T05:01:49.197991+00:00".
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* JSON from outside and JSON <-> GVariant (prefectctx-json-value.c): at
 * most this many levels of arrays and objects, strings always UTF-8, linear
 * conversions, NaN and infinities written as null. */
#define PREFECT_CTX_JSON_MAX_DEPTH 512

JsonNode   *_prefect_ctx_json_parse             (const char  *data,
                                                 gssize       length,
                                                 const char  *what,
                                                 GError     **error);
GVariant   *_prefect_ctx_json_to_variant        (JsonNode    *node,
                                                 GError     **error);
GVariant   *_prefect_ctx_json_to_vardict        (JsonNode    *node,
                                                 const char  *what,
                                                 GError     **error);
JsonNode   *_prefect_ctx_variant_to_json        (GVariant    *value,
                                                 GError     **error);
char       *_prefect_ctx_variant_to_json_string (GVariant    *value,
                                                 GError     **error);
char       *_prefect_ctx_json_to_string         (JsonNode    *node);

typedef enum {
  PREFECT_CTX_JSON_STRING,      /* string property <-> JSON string */
  PREFECT_CTX_JSON_INT,         /* int property (range from its pspec) <-> JSON integer */
  PREFECT_CTX_JSON_DOUBLE,      /* double property (range from its pspec) <-> JSON number */
  PREFECT_CTX_JSON_STRV,        /* G_TYPE_STRV property <-> JSON array of strings */
  PREFECT_CTX_JSON_DATETIME,    /* G_TYPE_DATE_TIME property <-> ISO 8601 string */
  PREFECT_CTX_JSON_VARDICT,     /* a{sv} GVariant property <-> JSON object */
  PREFECT_CTX_JSON_CUSTOM,      /* the field's read and write functions */
} PrefectCtxJsonKind;

typedef enum {
  PREFECT_CTX_JSON_FIELD_NONE         = 0,
  /* Absent or null is an error ("Field 'name' of Flow: missing"). */
  PREFECT_CTX_JSON_FIELD_REQUIRED     = 1 << 0,
  /* Not written when the property has its default value. */
  PREFECT_CTX_JSON_FIELD_OMIT_DEFAULT = 1 << 1,
} PrefectCtxJsonFieldFlags;

/* A PREFECT_CTX_JSON_CUSTOM member: @read initializes @value (of the
 * property's type) from @node, or fails with an INVALID_ARGUMENT @error
 * whose message the caller prefixes with the field ("Field 'state' of
 * FlowRun: ..."); @write gives the member for @value, or NULL to leave it
 * out. How the models that hold another model (a state) read it without
 * this file knowing the model. */
typedef gboolean  (*PrefectCtxJsonReadFunc)  (JsonNode      *node,
                                              GValue        *value,
                                              GError       **error);
typedef JsonNode *(*PrefectCtxJsonWriteFunc) (const GValue  *value);

typedef struct {
  const char               *member;    /* JSON member name (the server's) */
  const char               *property;  /* GObject property name */
  PrefectCtxJsonKind        kind;
  PrefectCtxJsonFieldFlags  flags;
  PrefectCtxJsonReadFunc    read;      /* PREFECT_CTX_JSON_CUSTOM only */
  PrefectCtxJsonWriteFunc   write;
} PrefectCtxJsonField;

/* "a string", "an object"...: for the messages of read functions. */
const char *_prefect_ctx_json_describe_node (JsonNode *node);

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
