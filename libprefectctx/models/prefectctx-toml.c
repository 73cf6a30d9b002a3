/* prefectctx-toml.c: the small TOML reader and writer behind profiles.toml
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * See prefectctx-toml-private.h for the subset of TOML that is accepted.
 * Everything here works on (data, length): the input need not be
 * NUL-terminated, and every read is checked against the length.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "prefectctx-toml-private.h"
#include "prefectctx-error.h"

/* ------------------------------------------------------------------------ */
/* Errors: "SOURCE:LINE:COLUMN: message"                                     */

static gboolean
set_error_valist (GError     **error,
                  const char  *source,
                  guint        line,
                  guint        column,
                  const char  *format,
                  va_list      args) G_GNUC_PRINTF (5, 0);

static gboolean
set_error_valist (GError     **error,
                  const char  *source,
                  guint        line,
                  guint        column,
                  const char  *format,
                  va_list      args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);

  g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
               "%s:%u:%u: %s", source, line, column, message);
  return FALSE;
}

gboolean
_prefect_ctx_toml_node_error (GError                   **error,
                              const char                *source,
                              const PrefectCtxTomlNode  *node,
                              const char                *format,
                              ...)
{
  va_list args;

  va_start (args, format);
  set_error_valist (error, source, node->line, node->column, format, args);
  va_end (args);

  return FALSE;
}

gboolean
_prefect_ctx_toml_check_size (const char  *source,
                              guint64      size,
                              GError     **error)
{
  if (size <= PREFECT_CTX_TOML_MAX_SIZE)
    return TRUE;

  g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
               "%s: too large (%" G_GUINT64_FORMAT " bytes, at most %d)",
               source, size, PREFECT_CTX_TOML_MAX_SIZE);
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Nodes                                                                     */

static PrefectCtxTomlNode *
node_new (PrefectCtxTomlType  type,
          const char         *key)
{
  PrefectCtxTomlNode *node = g_new0 (PrefectCtxTomlNode, 1);

  node->type = type;
  node->key = g_strdup (key);
  if (type == PREFECT_CTX_TOML_TABLE)
    {
      node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) _prefect_ctx_toml_node_free);
      node->index = g_hash_table_new (g_str_hash, g_str_equal);
    }

  return node;
}

PrefectCtxTomlNode *
_prefect_ctx_toml_table_new (const char *key)
{
  return node_new (PREFECT_CTX_TOML_TABLE, key);
}

PrefectCtxTomlNode *
_prefect_ctx_toml_string_new (const char *key,
                              const char *value)
{
  PrefectCtxTomlNode *node = node_new (PREFECT_CTX_TOML_STRING, key);

  node->value.string = g_strdup (value);
  return node;
}

void
_prefect_ctx_toml_node_free (PrefectCtxTomlNode *node)
{
  if (node == NULL)
    return;

  if (node->type == PREFECT_CTX_TOML_TABLE)
    {
      g_hash_table_unref (node->index);
      g_ptr_array_unref (node->children);
    }
  else if (node->type == PREFECT_CTX_TOML_STRING)
    g_free (node->value.string);

  g_free (node->key);
  g_free (node);
}

PrefectCtxTomlNode *
_prefect_ctx_toml_node_copy (const PrefectCtxTomlNode *node)
{
  PrefectCtxTomlNode *copy;

  g_return_val_if_fail (node != NULL, NULL);

  copy = node_new (node->type, node->key);
  copy->flags = node->flags;
  copy->line = node->line;
  copy->column = node->column;

  switch (node->type)
    {
    case PREFECT_CTX_TOML_STRING:
      copy->value.string = g_strdup (node->value.string);
      break;

    case PREFECT_CTX_TOML_TABLE:
      for (guint i = 0; i < node->children->len; i++)
        _prefect_ctx_toml_table_append (copy, _prefect_ctx_toml_node_copy (node->children->pdata[i]));
      break;

    default:
      copy->value = node->value;
      break;
    }

  return copy;
}

/* Same type and value; tables: the same keys (in any order) with equal values. */
gboolean
_prefect_ctx_toml_node_equal (const PrefectCtxTomlNode *a,
                              const PrefectCtxTomlNode *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL || a->type != b->type)
    return FALSE;

  switch (a->type)
    {
    case PREFECT_CTX_TOML_STRING:
      return strcmp (a->value.string, b->value.string) == 0;

    case PREFECT_CTX_TOML_INTEGER:
      return a->value.integer == b->value.integer;

    case PREFECT_CTX_TOML_FLOAT:
      if (isnan (a->value.floating) || isnan (b->value.floating))
        return isnan (a->value.floating) && isnan (b->value.floating);
      return a->value.floating == b->value.floating &&
             signbit (a->value.floating) == signbit (b->value.floating);

    case PREFECT_CTX_TOML_BOOLEAN:
      return !a->value.boolean == !b->value.boolean;

    case PREFECT_CTX_TOML_TABLE:
      if (a->children->len != b->children->len)
        return FALSE;
      for (guint i = 0; i < a->children->len; i++)
        {
          const PrefectCtxTomlNode *child = a->children->pdata[i];

          if (!_prefect_ctx_toml_node_equal (child, _prefect_ctx_toml_table_lookup (b, child->key)))
            return FALSE;
        }
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

PrefectCtxTomlNode *
_prefect_ctx_toml_table_lookup (const PrefectCtxTomlNode *table,
                                const char               *key)
{
  g_return_val_if_fail (table != NULL && table->type == PREFECT_CTX_TOML_TABLE, NULL);

  return g_hash_table_lookup (table->index, key);
}

void
_prefect_ctx_toml_table_append (PrefectCtxTomlNode *table,
                                PrefectCtxTomlNode *child)
{
  g_return_if_fail (table != NULL && table->type == PREFECT_CTX_TOML_TABLE);
  g_return_if_fail (child != NULL && child->key != NULL);
  g_return_if_fail (!g_hash_table_contains (table->index, child->key));

  g_ptr_array_add (table->children, child);
  g_hash_table_insert (table->index, child->key, child);
}

guint
_prefect_ctx_toml_table_size (const PrefectCtxTomlNode *table)
{
  g_return_val_if_fail (table != NULL && table->type == PREFECT_CTX_TOML_TABLE, 0);

  return table->children->len;
}

PrefectCtxTomlNode *
_prefect_ctx_toml_table_nth (const PrefectCtxTomlNode *table,
                             guint                     n)
{
  g_return_val_if_fail (table != NULL && table->type == PREFECT_CTX_TOML_TABLE, NULL);
  g_return_val_if_fail (n < table->children->len, NULL);

  return table->children->pdata[n];
}

/* ------------------------------------------------------------------------ */
/* Python's str () of scalars                                               */

char *
_prefect_ctx_toml_format_double (double value)
{
  char buffer[64];
  char format[16];
  GString *digits;
  GString *out;
  const char *p;
  int exponent;
  int point;

  if (isnan (value))
    return g_strdup ("nan");
  if (isinf (value))
    return g_strdup (value > 0 ? "inf" : "-inf");
  if (value == 0.0)
    return g_strdup (signbit (value) ? "-0.0" : "0.0");

  /* The shortest correctly rounded digits that read back as @value, as
   * Python's repr () finds them. 17 significant digits always do. */
  for (int precision = 0; precision <= 16; precision++)
    {
      g_snprintf (format, sizeof format, "%%.%de", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }

  /* buffer is "[-]D[.DDD]e(+|-)XX" */
  out = g_string_new (NULL);
  digits = g_string_new (NULL);
  p = buffer;
  if (*p == '-')
    {
      g_string_append_c (out, '-');
      p++;
    }
  for (; *p != 'e' && *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  exponent = (*p == 'e') ? atoi (p + 1) : 0;
  while (digits->len > 1 && digits->str[digits->len - 1] == '0')
    g_string_truncate (digits, digits->len - 1);

  /* Python: value = 0.DIGITS x 10^point; exponent form outside -4 < point <= 16 */
  point = exponent + 1;
  if (point <= -4 || point > 16)
    {
      g_string_append_c (out, digits->str[0]);
      if (digits->len > 1)
        {
          g_string_append_c (out, '.');
          g_string_append (out, digits->str + 1);
        }
      g_string_append_printf (out, "e%c%02d", exponent < 0 ? '-' : '+', ABS (exponent));
    }
  else if (point <= 0)
    {
      g_string_append (out, "0.");
      for (int i = 0; i < -point; i++)
        g_string_append_c (out, '0');
      g_string_append (out, digits->str);
    }
  else if ((gsize) point >= digits->len)
    {
      g_string_append (out, digits->str);
      for (gsize i = digits->len; i < (gsize) point; i++)
        g_string_append_c (out, '0');
      g_string_append (out, ".0");
    }
  else
    {
      g_string_append_len (out, digits->str, point);
      g_string_append_c (out, '.');
      g_string_append (out, digits->str + point);
    }

  g_string_free (digits, TRUE);
  return g_string_free (out, FALSE);
}

char *
_prefect_ctx_toml_scalar_to_string (const PrefectCtxTomlNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  switch (node->type)
    {
    case PREFECT_CTX_TOML_STRING:
      return g_strdup (node->value.string);

    case PREFECT_CTX_TOML_INTEGER:
      return g_strdup_printf ("%" G_GINT64_FORMAT, node->value.integer);

    case PREFECT_CTX_TOML_FLOAT:
      return _prefect_ctx_toml_format_double (node->value.floating);

    case PREFECT_CTX_TOML_BOOLEAN:
      return g_strdup (node->value.boolean ? "True" : "False");

    case PREFECT_CTX_TOML_TABLE:
    default:
      return NULL;
    }
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                   */

static void
append_quoted (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\r': g_string_append (out, "\\r"); break;
        default:
          if (*p < 0x20 || *p == 0x7f)
            g_string_append_printf (out, "\\u%04X", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static gboolean
is_bare_key_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-';
}

static void
append_key (GString    *out,
            const char *key)
{
  gboolean bare = *key != '\0';

  for (const char *p = key; *p != '\0' && bare; p++)
    bare = is_bare_key_char (*p);

  if (bare)
    g_string_append (out, key);
  else
    append_quoted (out, key);
}

static void
append_scalar (GString                  *out,
               const PrefectCtxTomlNode *node)
{
  switch (node->type)
    {
    case PREFECT_CTX_TOML_STRING:
      append_quoted (out, node->value.string);
      break;

    case PREFECT_CTX_TOML_BOOLEAN:
      g_string_append (out, node->value.boolean ? "true" : "false");
      break;

    case PREFECT_CTX_TOML_INTEGER:
    case PREFECT_CTX_TOML_FLOAT:
      {
        g_autofree char *text = _prefect_ctx_toml_scalar_to_string (node);

        g_string_append (out, text);
      }
      break;

    case PREFECT_CTX_TOML_TABLE:
    default:
      g_assert_not_reached ();
    }
}

static void
write_table (GString                  *out,
             const PrefectCtxTomlNode *table,
             GString                  *path)
{
  gboolean has_scalars = FALSE;
  gsize path_len = path->len;

  for (guint i = 0; i < table->children->len; i++)
    {
      const PrefectCtxTomlNode *child = table->children->pdata[i];

      if (child->type != PREFECT_CTX_TOML_TABLE)
        has_scalars = TRUE;
    }

  /* The root has no header; other tables need one when they hold keys, are
   * empty (so that they survive) or were defined by one. */
  if (path->len > 0 &&
      (has_scalars || table->children->len == 0 || (table->flags & PREFECT_CTX_TOML_FLAG_HEADER)))
    {
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append_printf (out, "[%s]\n", path->str);
    }

  for (guint i = 0; i < table->children->len; i++)
    {
      const PrefectCtxTomlNode *child = table->children->pdata[i];

      if (child->type == PREFECT_CTX_TOML_TABLE)
        continue;
      append_key (out, child->key);
      g_string_append (out, " = ");
      append_scalar (out, child);
      g_string_append_c (out, '\n');
    }

  for (guint i = 0; i < table->children->len; i++)
    {
      const PrefectCtxTomlNode *child = table->children->pdata[i];

      if (child->type != PREFECT_CTX_TOML_TABLE)
        continue;
      if (path->len > 0)
        g_string_append_c (path, '.');
      append_key (path, child->key);
      write_table (out, child, path);
      g_string_truncate (path, path_len);
    }
}

char *
_prefect_ctx_toml_write (const PrefectCtxTomlNode *root)
{
  g_autoptr(GString) path = g_string_new (NULL);
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (root != NULL && root->type == PREFECT_CTX_TOML_TABLE, NULL);

  write_table (out, root, path);
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Parsing                                                                   */

typedef struct {
  const char         *data;
  gsize               length;
  gsize               pos;
  const char         *source;
  GError            **error;
  PrefectCtxTomlNode *root;
  PrefectCtxTomlNode *current;        /* the table keys go into */
  guint               current_depth;  /* its depth: 0 for the root */
  guint               line;           /* the line of pos, from 1 */
  gsize               line_start;     /* the offset where it starts */
} Parser;

typedef struct {
  char  *name;
  gsize  pos;
} KeyPart;

static void
key_part_clear (KeyPart *part)
{
  g_free (part->name);
}

/* Line and column (from 1, in characters: bytes that do not continue a
 * UTF-8 sequence) of byte offset @pos, whose bytes before it are valid
 * UTF-8. Counting from the start of the current line keeps this linear in
 * the length of that line; every position the parser reports or records is
 * on it or after it (the whole-input checks report positions after it). */
static void
parser_position (Parser *p,
                 gsize   pos,
                 guint  *line,
                 guint  *column)
{
  gboolean on_or_after = pos >= p->line_start;
  guint lines = on_or_after ? p->line : 1;
  guint chars = 0;

  for (gsize i = on_or_after ? p->line_start : 0; i < pos; i++)
    {
      if (p->data[i] == '\n')
        {
          lines++;
          chars = 0;
        }
      else if (((guchar) p->data[i] & 0xC0) != 0x80)
        chars++;
    }

  *line = lines;
  *column = chars + 1;
}

/* Consumes a line end of @size bytes at pos. */
static void
consume_newline (Parser *p,
                 gsize   size)
{
  p->pos += size;
  p->line++;
  p->line_start = p->pos;
}

static gboolean
parse_error (Parser     *p,
             gsize       pos,
             const char *format,
             ...) G_GNUC_PRINTF (3, 4);

static gboolean
parse_error (Parser     *p,
             gsize       pos,
             const char *format,
             ...)
{
  guint line, column;
  va_list args;

  parser_position (p, pos, &line, &column);
  va_start (args, format);
  set_error_valist (p->error, p->source, line, column, format, args);
  va_end (args);

  return FALSE;
}

static gboolean
at_end (Parser *p)
{
  return p->pos >= p->length;
}

static char
peek (Parser *p,
      gsize   offset)
{
  if (p->pos + offset >= p->length)
    return '\0';
  return p->data[p->pos + offset];
}

static void
skip_whitespace (Parser *p)
{
  while (!at_end (p) && (p->data[p->pos] == ' ' || p->data[p->pos] == '\t'))
    p->pos++;
}

/* A comment from '#' to the end of the line (not included). */
static gboolean
skip_comment (Parser *p)
{
  g_assert (peek (p, 0) == '#');

  for (p->pos++; !at_end (p); p->pos++)
    {
      guchar c = (guchar) p->data[p->pos];

      if (c == '\n')
        break;
      if (c == '\r' && peek (p, 1) == '\n')
        break;
      if ((c < 0x20 && c != '\t') || c == 0x7f)
        return parse_error (p, p->pos, "control character U+%04X in a comment", c);
    }

  return TRUE;
}

/* After a key/value pair or a header: white space, a comment, then the end
 * of the line (consumed) or of the input. */
static gboolean
expect_end_of_line (Parser     *p,
                    const char *after)
{
  skip_whitespace (p);
  if (peek (p, 0) == '#' && !skip_comment (p))
    return FALSE;
  if (at_end (p))
    return TRUE;
  if (p->data[p->pos] == '\n')
    {
      consume_newline (p, 1);
      return TRUE;
    }
  if (p->data[p->pos] == '\r' && peek (p, 1) == '\n')
    {
      consume_newline (p, 2);
      return TRUE;
    }
  if (p->data[p->pos] == '\r')
    return parse_error (p, p->pos, "carriage return without a line feed");

  return parse_error (p, p->pos, "expected the end of the line after %s", after);
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* A single-line basic ("...") or literal ('...') string at p->pos. */
static char *
parse_string (Parser *p)
{
  gsize start = p->pos;
  char quote = p->data[p->pos];
  g_autoptr(GString) out = g_string_new (NULL);

  if (peek (p, 1) == quote && peek (p, 2) == quote)
    return parse_error (p, start, "multi-line strings are not supported"), NULL;

  for (p->pos++; ; )
    {
      guchar c;

      if (at_end (p) || p->data[p->pos] == '\n' || p->data[p->pos] == '\r')
        return parse_error (p, start, "unterminated string"), NULL;

      c = (guchar) p->data[p->pos];
      if ((char) c == quote)
        {
          p->pos++;
          break;
        }

      if (c == '\\' && quote == '"')
        {
          gsize escape = p->pos;
          char kind = peek (p, 1);
          gunichar code = 0;
          int n_hex = 0;

          switch (kind)
            {
            case 'b':  g_string_append_c (out, '\b'); break;
            case 't':  g_string_append_c (out, '\t'); break;
            case 'n':  g_string_append_c (out, '\n'); break;
            case 'f':  g_string_append_c (out, '\f'); break;
            case 'r':  g_string_append_c (out, '\r'); break;
            case '"':  g_string_append_c (out, '"'); break;
            case '\\': g_string_append_c (out, '\\'); break;
            case 'u':  n_hex = 4; break;
            case 'U':  n_hex = 8; break;
            default:
              if (kind == '\0' || (guchar) kind >= 0x80 || g_ascii_iscntrl (kind))
                return parse_error (p, escape, "invalid escape sequence"), NULL;
              return parse_error (p, escape, "invalid escape sequence '\\%c'", kind), NULL;
            }

          p->pos += 2;
          if (n_hex == 0)
            continue;

          for (int i = 0; i < n_hex; i++)
            {
              int digit = hex_value (peek (p, 0));

              if (digit < 0)
                return parse_error (p, escape, "invalid Unicode escape: expected %d hexadecimal digits",
                                    n_hex), NULL;
              code = (code << 4) | (gunichar) digit;
              p->pos++;
            }
          if (code == 0)
            return parse_error (p, escape, "NUL characters (\\u0000) are not supported"), NULL;
          if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
            return parse_error (p, escape, "invalid Unicode escape: U+%04X is not a Unicode scalar value",
                                code), NULL;
          g_string_append_unichar (out, code);
          continue;
        }

      if ((c < 0x20 && c != '\t') || c == 0x7f)
        return parse_error (p, p->pos, "control character U+%04X in a string (escape it)", c), NULL;

      g_string_append_c (out, (char) c);
      p->pos++;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A key: bare, quoted or dotted. Fills @parts (KeyPart). @base_depth is the
 * depth of the table it is relative to; @header tells whether the key is the
 * name of a table (else the last part names a value). */
static gboolean
parse_key (Parser   *p,
           GArray   *parts,
           guint     base_depth,
           gboolean  header)
{
  for (;;)
    {
      KeyPart part = { NULL, 0 };
      char c;

      skip_whitespace (p);
      c = peek (p, 0);
      part.pos = p->pos;

      if (!at_end (p) && is_bare_key_char (c))
        {
          gsize start = p->pos;

          while (!at_end (p) && is_bare_key_char (p->data[p->pos]))
            p->pos++;
          part.name = g_strndup (p->data + start, p->pos - start);
        }
      else if (c == '"' || c == '\'')
        {
          part.name = parse_string (p);
          if (part.name == NULL)
            return FALSE;
        }
      else
        return parse_error (p, p->pos, "expected a key");

      g_array_append_val (parts, part);

      /* every part of a header is a table; of a key, every part but the last */
      skip_whitespace (p);
      if ((header || peek (p, 0) == '.') &&
          base_depth + parts->len > PREFECT_CTX_TOML_MAX_DEPTH)
        return parse_error (p, part.pos, "too deeply nested (at most %d levels of tables)",
                            PREFECT_CTX_TOML_MAX_DEPTH);

      if (peek (p, 0) != '.')
        return TRUE;
      p->pos++;
    }
}

/* Scans digits of @base with single underscores between them, from @i.
 * Returns the index after them, or 0 (never a valid end) on error. */
static gsize
scan_digits (const char *s,
             gsize       i,
             gsize       n,
             int         base)
{
  gboolean any = FALSE;

  while (i < n)
    {
      int digit = hex_value (s[i]);

      if (digit >= 0 && digit < base)
        {
          any = TRUE;
          i++;
        }
      else if (s[i] == '_' && any && i + 1 < n &&
               hex_value (s[i + 1]) >= 0 && hex_value (s[i + 1]) < base)
        i++;
      else
        break;
    }

  return any ? i : 0;
}

static gboolean
parse_number (Parser             *p,
              gsize               start,
              const char         *s,
              gsize               n,
              PrefectCtxTomlNode *node)
{
  gsize i = 0;
  gboolean negative = FALSE;
  gboolean is_float = FALSE;

  if (n > 0 && (s[0] == '+' || s[0] == '-'))
    {
      negative = s[0] == '-';
      i = 1;
    }

  if (n - i == 3 && (memcmp (s + i, "inf", 3) == 0 || memcmp (s + i, "nan", 3) == 0))
    {
      node->type = PREFECT_CTX_TOML_FLOAT;
      if (s[i] == 'i')
        node->value.floating = negative ? -INFINITY : INFINITY;
      else
        node->value.floating = negative ? -NAN : NAN;
      return TRUE;
    }

  /* 0x, 0o, 0b: no sign, no leading '+' */
  if (n - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'o' || s[i + 1] == 'b'))
    {
      int base = s[i + 1] == 'x' ? 16 : s[i + 1] == 'o' ? 8 : 2;
      guint64 value = 0;
      gsize end;

      if (i > 0)
        return parse_error (p, start, "invalid number: a sign is not allowed before 0%c", s[i + 1]);
      end = scan_digits (s, 2, n, base);
      if (end != n)
        return parse_error (p, start, "invalid number");
      for (gsize j = 2; j < n; j++)
        {
          if (s[j] == '_')
            continue;
          if (value > (guint64) G_MAXINT64 / (guint64) base ||
              value * (guint64) base > (guint64) G_MAXINT64 - (guint64) hex_value (s[j]))
            return parse_error (p, start, "integer out of range");
          value = value * (guint64) base + (guint64) hex_value (s[j]);
        }
      node->type = PREFECT_CTX_TOML_INTEGER;
      node->value.integer = (gint64) value;
      return TRUE;
    }

  /* decimal integer part, without leading zeros */
  {
    gsize int_start = i;
    gsize end = scan_digits (s, i, n, 10);

    if (end == 0)
      return parse_error (p, start, "invalid number");
    if (s[int_start] == '0' && end - int_start > 1)
      return parse_error (p, start, "invalid number: leading zeros are not allowed");
    i = end;
  }
  if (i < n && s[i] == '.')
    {
      is_float = TRUE;
      i = scan_digits (s, i + 1, n, 10);
      if (i == 0)
        return parse_error (p, start, "invalid number: expected digits after '.'");
    }
  if (i < n && (s[i] == 'e' || s[i] == 'E'))
    {
      is_float = TRUE;
      i++;
      if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
      i = scan_digits (s, i, n, 10);
      if (i == 0)
        return parse_error (p, start, "invalid number: expected digits in the exponent");
    }
  if (i != n)
    return parse_error (p, start, "invalid number");

  {
    g_autoptr(GString) clean = g_string_sized_new (n);

    for (gsize j = 0; j < n; j++)
      if (s[j] != '_')
        g_string_append_c (clean, s[j]);

    if (is_float)
      {
        double value = g_ascii_strtod (clean->str, NULL);

        if (isinf (value))
          return parse_error (p, start, "float out of range");
        node->type = PREFECT_CTX_TOML_FLOAT;
        node->value.floating = value;
      }
    else
      {
        guint64 value = 0;
        guint64 limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;

        for (gsize j = (clean->str[0] == '+' || clean->str[0] == '-') ? 1 : 0; j < clean->len; j++)
          {
            guint64 digit = (guint64) (clean->str[j] - '0');

            if (value > limit / 10 || value * 10 > limit - digit)
              return parse_error (p, start, "integer out of range");
            value = value * 10 + digit;
          }
        node->type = PREFECT_CTX_TOML_INTEGER;
        if (negative)
          node->value.integer = value == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) value;
        else
          node->value.integer = (gint64) value;
      }
  }

  return TRUE;
}

static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '+' || c == '-' || c == '.' || c == ':';
}

/* A value at p->pos; fills @node (type and value). */
static gboolean
parse_value (Parser             *p,
             PrefectCtxTomlNode *node)
{
  gsize start = p->pos;
  char c = peek (p, 0);

  if (at_end (p) || c == '\n' || c == '\r' || c == '#')
    return parse_error (p, start, "expected a value");

  if (c == '"' || c == '\'')
    {
      char *text = parse_string (p);

      if (text == NULL)
        return FALSE;
      node->type = PREFECT_CTX_TOML_STRING;
      node->value.string = text;
      return TRUE;
    }
  if (c == '[')
    return parse_error (p, start, "arrays are not supported");
  if (c == '{')
    return parse_error (p, start, "inline tables are not supported");

  if (!is_token_char (c))
    return parse_error (p, start, "expected a value");

  while (!at_end (p) && is_token_char (p->data[p->pos]))
    p->pos++;

  {
    const char *s = p->data + start;
    gsize n = p->pos - start;

    if (n == 4 && memcmp (s, "true", 4) == 0)
      {
        node->type = PREFECT_CTX_TOML_BOOLEAN;
        node->value.boolean = TRUE;
        return TRUE;
      }
    if (n == 5 && memcmp (s, "false", 5) == 0)
      {
        node->type = PREFECT_CTX_TOML_BOOLEAN;
        node->value.boolean = FALSE;
        return TRUE;
      }

    /* 1979-05-27..., 07:32:00... */
    if ((n >= 5 && g_ascii_isdigit (s[0]) && g_ascii_isdigit (s[1]) && g_ascii_isdigit (s[2]) &&
         g_ascii_isdigit (s[3]) && s[4] == '-') ||
        (n >= 3 && g_ascii_isdigit (s[0]) && g_ascii_isdigit (s[1]) && s[2] == ':'))
      return parse_error (p, start, "dates and times are not supported");

    if (g_ascii_isdigit (s[0]) || s[0] == '+' || s[0] == '-' || s[0] == 'i' || s[0] == 'n')
      return parse_number (p, start, s, n, node);
  }

  return parse_error (p, start, "expected a value");
}

static char *
describe_path (GArray *parts,
               guint   n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, '.');
      append_key (out, g_array_index (parts, KeyPart, i).name);
    }

  return g_string_free (out, FALSE);
}

/* [a.b.c] */
static gboolean
parse_header (Parser *p)
{
  g_autoptr(GArray) parts = g_array_new (FALSE, TRUE, sizeof (KeyPart));
  PrefectCtxTomlNode *table = p->root;
  gsize start = p->pos;
  guint line, column;

  g_array_set_clear_func (parts, (GDestroyNotify) key_part_clear);

  if (peek (p, 1) == '[')
    return parse_error (p, start, "arrays of tables ([[...]]) are not supported");
  p->pos++;

  if (!parse_key (p, parts, 0, TRUE))
    return FALSE;
  skip_whitespace (p);
  if (peek (p, 0) != ']')
    return parse_error (p, p->pos, "expected ']'");
  p->pos++;

  parser_position (p, start, &line, &column);
  for (guint i = 0; i < parts->len; i++)
    {
      KeyPart *part = &g_array_index (parts, KeyPart, i);
      PrefectCtxTomlNode *child = _prefect_ctx_toml_table_lookup (table, part->name);
      gboolean last = i + 1 == parts->len;

      if (child != NULL && child->type != PREFECT_CTX_TOML_TABLE)
        {
          g_autofree char *path = describe_path (parts, i + 1);

          return parse_error (p, part->pos, "'%s' is already defined as a value, not a table", path);
        }

      if (child == NULL)
        {
          child = _prefect_ctx_toml_table_new (part->name);
          child->flags = last ? PREFECT_CTX_TOML_FLAG_HEADER : PREFECT_CTX_TOML_FLAG_IMPLICIT;
          child->line = line;
          child->column = column;
          _prefect_ctx_toml_table_append (table, child);
        }
      else if (last)
        {
          if (child->flags != PREFECT_CTX_TOML_FLAG_IMPLICIT)
            {
              g_autofree char *path = describe_path (parts, parts->len);

              return parse_error (p, start, "table [%s] is defined twice", path);
            }
          child->flags = PREFECT_CTX_TOML_FLAG_HEADER;
          child->line = line;
          child->column = column;
        }

      table = child;
    }

  p->current = table;
  p->current_depth = parts->len;

  return expect_end_of_line (p, "a table header");
}

/* key = value */
static gboolean
parse_key_value (Parser *p)
{
  g_autoptr(GArray) parts = g_array_new (FALSE, TRUE, sizeof (KeyPart));
  g_autoptr(PrefectCtxTomlNode) node = NULL;
  PrefectCtxTomlNode *table = p->current;
  KeyPart *last;
  guint line, column;

  g_array_set_clear_func (parts, (GDestroyNotify) key_part_clear);

  if (!parse_key (p, parts, p->current_depth, FALSE))
    return FALSE;
  skip_whitespace (p);
  if (peek (p, 0) != '=')
    return parse_error (p, p->pos, "expected '='");
  p->pos++;
  skip_whitespace (p);

  last = &g_array_index (parts, KeyPart, parts->len - 1);
  node = node_new (PREFECT_CTX_TOML_BOOLEAN, last->name);
  parser_position (p, last->pos, &line, &column);
  node->line = line;
  node->column = column;
  if (!parse_value (p, node))
    return FALSE;

  for (guint i = 0; i + 1 < parts->len; i++)
    {
      KeyPart *part = &g_array_index (parts, KeyPart, i);
      PrefectCtxTomlNode *child = _prefect_ctx_toml_table_lookup (table, part->name);

      if (child == NULL)
        {
          guint part_line, part_column;

          parser_position (p, part->pos, &part_line, &part_column);
          child = _prefect_ctx_toml_table_new (part->name);
          child->flags = PREFECT_CTX_TOML_FLAG_DOTTED;
          child->line = part_line;
          child->column = part_column;
          _prefect_ctx_toml_table_append (table, child);
        }
      else if (child->type != PREFECT_CTX_TOML_TABLE)
        {
          g_autofree char *path = describe_path (parts, i + 1);

          return parse_error (p, part->pos, "'%s' is already defined as a value, not a table", path);
        }
      else if (child->flags != PREFECT_CTX_TOML_FLAG_DOTTED)
        {
          g_autofree char *path = describe_path (parts, i + 1);

          return parse_error (p, part->pos,
                              "table '%s' is defined by a [header]: dotted keys cannot add to it",
                              path);
        }

      table = child;
    }

  if (_prefect_ctx_toml_table_lookup (table, last->name) != NULL)
    {
      g_autofree char *path = describe_path (parts, parts->len);

      return parse_error (p, last->pos, "duplicate key '%s'", path);
    }
  _prefect_ctx_toml_table_append (table, g_steal_pointer (&node));

  return expect_end_of_line (p, "a value");
}

PrefectCtxTomlNode *
_prefect_ctx_toml_parse (const char  *data,
                         gsize        length,
                         const char  *source_name,
                         GError     **error)
{
  g_autoptr(PrefectCtxTomlNode) root = NULL;
  Parser p = { 0 };
  const char *invalid = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  p.data = data != NULL ? data : "";
  p.length = length;
  p.source = source_name != NULL ? source_name : "<input>";
  p.error = error;
  p.line = 1;

  if (!_prefect_ctx_toml_check_size (p.source, length, error))
    return NULL;

  /* Whole input first: valid UTF-8 without NUL bytes. */
  if (!g_utf8_validate_len (p.data, length, &invalid))
    {
      gsize pos = (gsize) (invalid - p.data);

      if (*invalid == '\0')
        parse_error (&p, pos, "NUL byte");
      else
        parse_error (&p, pos, "invalid UTF-8");
      return NULL;
    }

  /* A UTF-8 byte order mark, which some editors write. */
  if (length >= 3 && memcmp (p.data, "\xEF\xBB\xBF", 3) == 0)
    p.pos = p.line_start = 3;

  root = _prefect_ctx_toml_table_new (NULL);
  p.root = root;
  p.current = root;
  p.current_depth = 0;

  while (!at_end (&p))
    {
      char c;

      skip_whitespace (&p);
      if (at_end (&p))
        break;

      c = p.data[p.pos];
      if (c == '#')
        {
          if (!skip_comment (&p))
            return NULL;
        }
      else if (c == '\n')
        consume_newline (&p, 1);
      else if (c == '\r')
        {
          if (peek (&p, 1) != '\n')
            return parse_error (&p, p.pos, "carriage return without a line feed"), NULL;
          consume_newline (&p, 2);
        }
      else if (c == '[')
        {
          if (!parse_header (&p))
            return NULL;
        }
      else if (!parse_key_value (&p))
        return NULL;
    }

  return g_steal_pointer (&root);
}
