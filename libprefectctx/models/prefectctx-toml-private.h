/* prefectctx-toml-private.h: the small TOML reader and writer behind profiles.toml
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The subset of TOML 1.0 that Prefect's profiles files use:
 *
 * - comments (`# ...`), blank lines, LF or CRLF line ends, a leading UTF-8 BOM;
 * - `key = value` pairs, keys bare (`A-Za-z0-9_-`), "basic" or 'literal'
 *   quoted, and dotted (`a.b."c d" = 1`, white space around the dots allowed);
 * - table headers `[a.b."c d"]` with the same keys;
 * - values: basic strings with the escapes \b \t \n \f \r \" \\ \uXXXX
 *   \UXXXXXXXX (Unicode scalar values, but not U+0000), literal strings,
 *   integers (decimal, 0x, 0o, 0b, underscores between digits, 64 bits),
 *   floats (fraction and/or exponent, underscores, inf and nan with a sign)
 *   and booleans.
 *
 * Refused with an error: arrays, inline tables, arrays of tables ([[x]]),
 * multi-line strings, dates and times, anything else TOML does not allow
 * (a key defined twice, a table defined twice, a value without a key ...),
 * invalid UTF-8, NUL bytes and other control characters outside strings'
 * escapes, more than PREFECT_CTX_TOML_MAX_DEPTH levels of tables and input
 * larger than PREFECT_CTX_TOML_MAX_SIZE.
 *
 * Errors are PREFECT_CTX_ERROR_INVALID_ARGUMENT with the message
 * "SOURCE:LINE:COLUMN: what was wrong", LINE and COLUMN counted from 1,
 * COLUMN in characters (Unicode code points), e.g.
 * "profiles.toml:3:7: expected '=' after a key".
 *
 * The parser is iterative (no recursion on the input) and checks every
 * bound; it is fuzzed by fuzz/fuzz-toml.c. Freeing and copying recurse over
 * table depth, which the parser bounds.
 */
#pragma once

#include <glib.h>

#include "prefectctx-profile.h"

G_BEGIN_DECLS

/* Refuse input larger than this many bytes (a profiles file is tiny). */
#define PREFECT_CTX_TOML_MAX_SIZE  (8 * 1024 * 1024)
/* Refuse a key path (header or dotted key) deeper than this. */
#define PREFECT_CTX_TOML_MAX_DEPTH 32

typedef enum {
  PREFECT_CTX_TOML_STRING,
  PREFECT_CTX_TOML_INTEGER,
  PREFECT_CTX_TOML_FLOAT,
  PREFECT_CTX_TOML_BOOLEAN,
  PREFECT_CTX_TOML_TABLE,
} PrefectCtxTomlType;

typedef enum {
  PREFECT_CTX_TOML_FLAG_NONE     = 0,
  /* A table defined by a [header] (the writer always writes its header). */
  PREFECT_CTX_TOML_FLAG_HEADER   = 1 << 0,
  /* A table created as the parent of a [header] and not defined itself. */
  PREFECT_CTX_TOML_FLAG_IMPLICIT = 1 << 1,
  /* A table created by a dotted key. */
  PREFECT_CTX_TOML_FLAG_DOTTED   = 1 << 2,
} PrefectCtxTomlFlags;

typedef struct _PrefectCtxTomlNode PrefectCtxTomlNode;

struct _PrefectCtxTomlNode
{
  PrefectCtxTomlType  type;
  PrefectCtxTomlFlags flags;
  char               *key;      /* NULL for the root table */
  guint               line;     /* where the key was defined, from 1; 0 if made in code */
  guint               column;   /* likewise, in characters */
  union {
    char     *string;           /* valid UTF-8 without NUL */
    gint64    integer;
    double    floating;
    gboolean  boolean;
  } value;
  GPtrArray          *children; /* tables: the children in order (owned) */
  GHashTable         *index;    /* tables: key -> child */
};

PrefectCtxTomlNode *_prefect_ctx_toml_parse           (const char                *data,
                                                       gsize                      length,
                                                       const char                *source_name,
                                                       GError                   **error);
char               *_prefect_ctx_toml_write           (const PrefectCtxTomlNode  *root);

/* Set @error (PREFECT_CTX_ERROR_INVALID_ARGUMENT) and return FALSE:
 * "SOURCE:LINE:COLUMN: message" at where @node was defined, or
 * "SOURCE: too large (...)" when @size is over PREFECT_CTX_TOML_MAX_SIZE
 * (else TRUE). */
gboolean            _prefect_ctx_toml_node_error      (GError                   **error,
                                                       const char                *source,
                                                       const PrefectCtxTomlNode  *node,
                                                       const char                *format,
                                                       ...) G_GNUC_PRINTF (4, 5);
gboolean            _prefect_ctx_toml_check_size      (const char                *source,
                                                       guint64                    size,
                                                       GError                   **error);

PrefectCtxTomlNode *_prefect_ctx_toml_table_new       (const char                *key);
PrefectCtxTomlNode *_prefect_ctx_toml_string_new      (const char                *key,
                                                       const char                *value);
PrefectCtxTomlNode *_prefect_ctx_toml_node_copy       (const PrefectCtxTomlNode  *node);
void                _prefect_ctx_toml_node_free       (PrefectCtxTomlNode        *node);
gboolean            _prefect_ctx_toml_node_equal      (const PrefectCtxTomlNode  *a,
                                                       const PrefectCtxTomlNode  *b);

PrefectCtxTomlNode *_prefect_ctx_toml_table_lookup    (const PrefectCtxTomlNode  *table,
                                                       const char                *key);
/* Takes @child; a child with the same key must not exist. */
void                _prefect_ctx_toml_table_append    (PrefectCtxTomlNode        *table,
                                                       PrefectCtxTomlNode        *child);
guint               _prefect_ctx_toml_table_size      (const PrefectCtxTomlNode  *table);
PrefectCtxTomlNode *_prefect_ctx_toml_table_nth       (const PrefectCtxTomlNode  *table,
                                                       guint                      n);

/* A scalar as Prefect (Python's str ()) shows it: strings as they are,
 * integers in decimal, floats as Python's repr () ("0.2", "1e+16", "inf"),
 * booleans "True" / "False". NULL for a table. */
char               *_prefect_ctx_toml_scalar_to_string (const PrefectCtxTomlNode *node);
/* Python's repr () of a float. */
char               *_prefect_ctx_toml_format_double    (double                    value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PrefectCtxTomlNode, _prefect_ctx_toml_node_free)

/* Profiles loaded from a file keep the keys and tables of their section that
 * are not known settings (@extra: a table, or NULL), so that saving writes
 * them back. */
PrefectCtxProfile        *_prefect_ctx_profile_new_full  (const char          *name,
                                                          GHashTable          *settings,
                                                          const char          *source_path,
                                                          PrefectCtxTomlNode  *extra,
                                                          GError             **error);
const PrefectCtxTomlNode *_prefect_ctx_profile_get_extra (PrefectCtxProfile   *self);

G_END_DECLS
