/* prefectctx-runtime-private.h: what the two files of the runtime module
 * share: prefectctx-runtime.c (the attributes, mocks and runtime_get ())
 * and prefectctx-runtime-typed.c (the typed C getters over it)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The value of an attribute, with the Python type it has in prefect.runtime:
 * the type decides how a mock is cast (two kinds share the GVariant type
 * "s": str and datetime). */
typedef enum {
  KIND_NONE,      /* None: no variant */
  KIND_STR,       /* "s" */
  KIND_INT,       /* "i" */
  KIND_BOOL,      /* "b" */
  KIND_FLOAT,     /* "d" */
  KIND_DATETIME,  /* "s", ISO 8601 in UTC */
  KIND_LIST,      /* "as" */
  KIND_DICT,      /* "a{sv}" */
} ValueKind;

typedef struct
{
  ValueKind  kind;
  GVariant  *variant;   /* owned, not floating; NULL for KIND_NONE */
} Value;

/* The value of @module_name.@attribute_name, with the mocks of the
 * environment if @use_mocks; FALSE with @error set for an unknown
 * attribute or a mock that cannot be cast. */
gboolean runtime_get_value (const char  *module_name,
                            const char  *attribute_name,
                            gboolean     use_mocks,
                            Value       *value,
                            GError     **error);

G_END_DECLS
