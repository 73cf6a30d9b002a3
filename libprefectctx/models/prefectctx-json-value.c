/* prefectctx-json-value.c: JSON text in, JSON values to and from GVariant
 * (layer 2), for every JSON the library reads or writes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * json-glib is used for the grammar and the tree, but not trusted with what
 * comes from outside (files, servers, other processes, the store):
 *
 * - Nesting is limited to PREFECT_CTX_JSON_MAX_DEPTH levels, checked by a
 *   linear scan of the text before json-glib's recursive parser sees it
 *   (which overflows the stack at about 200,000 levels, and its GVariant
 *   conversion at about 50,000).
 * - Strings are always valid UTF-8: invalid bytes in the text, lone
 *   surrogate escapes (`"\ud800"`) and `\u0000` (which a C string cannot
 *   hold) become U+FFFD, the replacement character, as Python's
 *   `errors="replace"` does. Nothing is refused for its encoding alone.
 * - The conversions between JSON and GVariant are our own, linear in the
 *   size of the value both ways (json-glib's are quadratic in the length of
 *   an array without a signature), with the same mapping as json-glib's:
 *   objects are `a{sv}`, arrays `av`, null `mv` (nothing), integers `x`,
 *   other numbers `d`, strings `s`, booleans `b`.
 * - Numbers JSON cannot hold (NaN, Infinity, -Infinity) are written as
 *   null, as JavaScript's `JSON.stringify ()` and orjson (which Prefect's
 *   server uses for its JSON) write them; json-glib would write a bare
 *   `nan`, which no JSON parser reads back.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "prefectctx-json-private.h"
#include "core/prefectctx-error.h"

static int
hex4 (const char *p)
{
  int value = 0;

  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* Replaces the 6-byte escape at @at of the text with `\uFFFD`, in a copy
 * made on the first replacement. */
static void
replace_escape (const char **text,
                char       **copy,
                gsize        length,
                gsize        at)
{
  if (*copy == NULL)
    {
      *copy = g_malloc (length + 1);
      memcpy (*copy, *text, length);
      (*copy)[length] = '\0';
      *text = *copy;
    }
  memcpy (*copy + at, "\\uFFFD", 6);
}

/* _prefect_ctx_json_parse:
 * @data: JSON text
 * @length: its length in bytes, or -1 if it is nul-terminated
 * @what: what the text is, for error messages ("a flow run")
 * @error: return location for a #GError
 *
 * Parses JSON from outside the library: nested at most
 * %PREFECT_CTX_JSON_MAX_DEPTH levels deep, with every string valid UTF-8
 * (see the top of this file).
 *
 * Returns: (transfer full): the root node, or %NULL with
 *   %PREFECT_CTX_ERROR_INVALID_ARGUMENT: `Invalid JSON for WHAT: ...`
 */
JsonNode *
_prefect_ctx_json_parse (const char  *data,
                         gssize       length,
                         const char  *what,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *copy = NULL;
  const char *text = data;
  gsize len = length < 0 ? strlen (data) : (gsize) length;
  gboolean in_string = FALSE;
  guint depth = 0;
  JsonNode *root;

  if (!g_utf8_validate_len (text, len, NULL))
    {
      valid = g_utf8_make_valid (text, (gssize) len);
      text = valid;
      len = strlen (valid);
    }

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '"')
            in_string = FALSE;
          else if (c == '\\' && i + 1 < len)
            {
              int code;

              if (text[i + 1] != 'u')
                {
                  /* json-glib (GScanner) also takes octal escapes such as
                   * \233 for a byte, which is not UTF-8: only JSON's own
                   * escapes are accepted. */
                  if (strchr ("\"\\/bfnrt", text[i + 1]) == NULL || text[i + 1] == '\0')
                    {
                      g_autofree char *shown = g_strescape ((char[]) { text[i + 1], '\0' }, NULL);

                      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                                   "Invalid JSON for %s: an unknown escape '\\%s' in a string", what, shown);
                      return NULL;
                    }
                  i++;            /* the escaped character */
                  continue;
                }
              /* json-glib takes a malformed \u escape for a character,
               * not UTF-8: refused here, as JSON parsers do. */
              code = i + 5 < len ? hex4 (text + i + 2) : -1;
              if (code < 0)
                {
                  g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                               "Invalid JSON for %s: a \\u escape without four hexadecimal digits", what);
                  return NULL;
                }
              if (code >= 0xD800 && code <= 0xDBFF && i + 11 < len && text[i + 6] == '\\' &&
                  text[i + 7] == 'u' && hex4 (text + i + 8) >= 0xDC00 && hex4 (text + i + 8) <= 0xDFFF)
                {
                  i += 11;        /* a surrogate pair */
                  continue;
                }
              if (code == 0 || (code >= 0xD800 && code <= 0xDFFF))
                replace_escape (&text, &copy, len, i);
              i += 5;
            }
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > PREFECT_CTX_JSON_MAX_DEPTH)
            {
              g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                           "Invalid JSON for %s: nested more than %d levels deep",
                           what, PREFECT_CTX_JSON_MAX_DEPTH);
              return NULL;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, (gssize) len, &local_error))
    {
      g_autofree char *message = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Invalid JSON for %s: %s", what, message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Invalid JSON for %s: empty document", what);
      return NULL;
    }

  return json_node_ref (root);
}

/* ------------------------------------------------------------------------ */
/* JSON to GVariant */

static GVariant *json_to_variant (JsonNode *node, guint depth, GError **error);

static gboolean
check_depth (guint    depth,
             GError **error)
{
  if (depth <= PREFECT_CTX_JSON_MAX_DEPTH)
    return TRUE;
  g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
               "A value nested more than %d levels deep cannot be converted", PREFECT_CTX_JSON_MAX_DEPTH);
  return FALSE;
}

static GVariant *
string_variant (const char *string)
{
  if (g_utf8_validate (string, -1, NULL))
    return g_variant_new_string (string);
  return g_variant_new_take_string (g_utf8_make_valid (string, -1));
}

static GVariant *
object_to_variant (JsonObject *object,
                   guint       depth,
                   GError    **error)
{
  GVariantBuilder builder;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      GVariant *value = json_to_variant (member, depth + 1, error);

      if (value == NULL)
        {
          g_variant_builder_clear (&builder);
          return NULL;
        }
      g_variant_builder_add_value (&builder, g_variant_new_dict_entry (string_variant (name),
                                                                       g_variant_new_variant (value)));
    }
  return g_variant_builder_end (&builder);
}

static GVariant *
json_to_variant (JsonNode *node,
                 guint     depth,
                 GError  **error)
{
  if (!check_depth (depth, error))
    return NULL;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return object_to_variant (json_node_get_object (node), depth, error);

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        GVariantBuilder builder;

        g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
        for (guint i = 0; i < n; i++)
          {
            GVariant *value = json_to_variant (json_array_get_element (array, i), depth + 1, error);

            if (value == NULL)
              {
                g_variant_builder_clear (&builder);
                return NULL;
              }
            g_variant_builder_add_value (&builder, g_variant_new_variant (value));
          }
        return g_variant_builder_end (&builder);
      }

    case JSON_NODE_NULL:
      return g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);

    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          return g_variant_new_int64 (json_node_get_int (node));
        case G_TYPE_DOUBLE:
          return g_variant_new_double (json_node_get_double (node));
        case G_TYPE_BOOLEAN:
          return g_variant_new_boolean (json_node_get_boolean (node));
        default:
          return string_variant (json_node_get_string (node));
        }
    }
}

/* _prefect_ctx_json_to_variant:
 * @node: a JSON value
 * @error: return location for a #GError
 *
 * Converts a JSON value to a GVariant, with json-glib's mapping (see the
 * top of this file), in time linear in its size.
 *
 * Returns: (transfer full): a new, non-floating GVariant, or %NULL with
 *   %PREFECT_CTX_ERROR_INVALID_ARGUMENT when it nests too deep
 */
GVariant *
_prefect_ctx_json_to_variant (JsonNode  *node,
                              GError   **error)
{
  GVariant *value = json_to_variant (node, 0, error);

  return value != NULL ? g_variant_ref_sink (value) : NULL;
}

/* _prefect_ctx_json_to_vardict:
 * @node: a JSON value, which must be an object
 * @what: what the value is, for error messages ("parameters")
 * @error: return location for a #GError
 *
 * Converts a JSON object to an `a{sv}` dictionary.
 *
 * Returns: (transfer full): a new, non-floating `a{sv}` GVariant, or %NULL
 *   with %PREFECT_CTX_ERROR_INVALID_ARGUMENT
 */
GVariant *
_prefect_ctx_json_to_vardict (JsonNode    *node,
                              const char  *what,
                              GError     **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "%s must be a JSON object", what);
      return NULL;
    }
  return _prefect_ctx_json_to_variant (node, error);
}

/* ------------------------------------------------------------------------ */
/* GVariant to JSON */

static JsonNode *variant_to_json (GVariant *value, guint depth, GError **error);

static char *
key_string (GVariant *key)
{
  if (g_variant_is_of_type (key, G_VARIANT_TYPE_STRING) ||
      g_variant_is_of_type (key, G_VARIANT_TYPE_OBJECT_PATH) ||
      g_variant_is_of_type (key, G_VARIANT_TYPE_SIGNATURE))
    return g_variant_dup_string (key, NULL);
  /* Other basic types as Python's json writes an int key: its text. */
  return g_variant_print (key, FALSE);
}

static JsonNode *
container_to_json (GVariant *value,
                   guint     depth,
                   GError  **error)
{
  gsize n = g_variant_n_children (value);
  gboolean dict = g_variant_is_of_type (value, G_VARIANT_TYPE ("a{?*}"));
  JsonNode *node = json_node_alloc ();

  if (dict)
    {
      JsonObject *object = json_object_new ();

      json_node_init_object (node, object);
      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) entry = g_variant_get_child_value (value, i);
          g_autoptr(GVariant) key = g_variant_get_child_value (entry, 0);
          g_autoptr(GVariant) member = g_variant_get_child_value (entry, 1);
          g_autofree char *name = key_string (key);
          JsonNode *child = variant_to_json (member, depth + 1, error);

          if (child == NULL)
            {
              json_object_unref (object);
              json_node_unref (node);
              return NULL;
            }
          json_object_set_member (object, name, child);
        }
      json_object_unref (object);
    }
  else
    {
      JsonArray *array = json_array_sized_new ((guint) n);

      json_node_init_array (node, array);
      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) element = g_variant_get_child_value (value, i);
          JsonNode *child = variant_to_json (element, depth + 1, error);

          if (child == NULL)
            {
              json_array_unref (array);
              json_node_unref (node);
              return NULL;
            }
          json_array_add_element (array, child);
        }
      json_array_unref (array);
    }
  return node;
}

static JsonNode *
variant_to_json (GVariant *value,
                 guint     depth,
                 GError  **error)
{
  if (!check_depth (depth, error))
    return NULL;

  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BOOLEAN:
      return json_node_init_boolean (json_node_alloc (), g_variant_get_boolean (value));
    case G_VARIANT_CLASS_BYTE:
      return json_node_init_int (json_node_alloc (), g_variant_get_byte (value));
    case G_VARIANT_CLASS_INT16:
      return json_node_init_int (json_node_alloc (), g_variant_get_int16 (value));
    case G_VARIANT_CLASS_UINT16:
      return json_node_init_int (json_node_alloc (), g_variant_get_uint16 (value));
    case G_VARIANT_CLASS_INT32:
      return json_node_init_int (json_node_alloc (), g_variant_get_int32 (value));
    case G_VARIANT_CLASS_UINT32:
      return json_node_init_int (json_node_alloc (), g_variant_get_uint32 (value));
    case G_VARIANT_CLASS_INT64:
      return json_node_init_int (json_node_alloc (), g_variant_get_int64 (value));
    case G_VARIANT_CLASS_HANDLE:
      return json_node_init_int (json_node_alloc (), g_variant_get_handle (value));
    case G_VARIANT_CLASS_UINT64:
      {
        guint64 u = g_variant_get_uint64 (value);

        /* Beyond int64, as the nearest double (JSON has one kind of number). */
        if (u > G_MAXINT64)
          return json_node_init_double (json_node_alloc (), (double) u);
        return json_node_init_int (json_node_alloc (), (gint64) u);
      }
    case G_VARIANT_CLASS_DOUBLE:
      {
        double d = g_variant_get_double (value);

        if (!isfinite (d))
          return json_node_init_null (json_node_alloc ());
        return json_node_init_double (json_node_alloc (), d);
      }
    case G_VARIANT_CLASS_STRING:
    case G_VARIANT_CLASS_OBJECT_PATH:
    case G_VARIANT_CLASS_SIGNATURE:
      return json_node_init_string (json_node_alloc (), g_variant_get_string (value, NULL));
    case G_VARIANT_CLASS_VARIANT:
      {
        g_autoptr(GVariant) inner = g_variant_get_variant (value);

        return variant_to_json (inner, depth + 1, error);
      }
    case G_VARIANT_CLASS_MAYBE:
      {
        g_autoptr(GVariant) inner = g_variant_get_maybe (value);

        if (inner == NULL)
          return json_node_init_null (json_node_alloc ());
        return variant_to_json (inner, depth + 1, error);
      }
    case G_VARIANT_CLASS_ARRAY:
    case G_VARIANT_CLASS_TUPLE:
    case G_VARIANT_CLASS_DICT_ENTRY:
    default:
      return container_to_json (value, depth, error);
    }
}

/* _prefect_ctx_variant_to_json:
 * @value: a GVariant
 * @error: return location for a #GError
 *
 * Converts a GVariant to a JSON value, in time linear in its size:
 * dictionaries are objects (keys that are not strings as their text),
 * other arrays and tuples arrays, a maybe its value or null, a variant its
 * value, numbers numbers (NaN and infinities null, unsigned 64-bit values
 * beyond the signed range doubles), strings, object paths and signatures
 * strings.
 *
 * Returns: (transfer full): the JSON value, or %NULL with
 *   %PREFECT_CTX_ERROR_INVALID_ARGUMENT when it nests more than
 *   %PREFECT_CTX_JSON_MAX_DEPTH levels deep
 */
JsonNode *
_prefect_ctx_variant_to_json (GVariant  *value,
                              GError   **error)
{
  return variant_to_json (value, 0, error);
}

/* _prefect_ctx_json_to_string:
 * @node: a JSON value
 *
 * Writes @node as compact JSON text. json-glib 1.6 appends ".0" to every
 * double written without a '.', exponents included: 2e-05 becomes
 * `2e-05.0`, which no parser reads. Those are repaired here; every JSON
 * text the library writes goes through this.
 *
 * Returns: (transfer full): the JSON text
 */
char *
_prefect_ctx_json_to_string (JsonNode *node)
{
  char *text = json_to_string (node, FALSE);
  gboolean in_string = FALSE;
  char *out = text;

  for (const char *in = text; *in != '\0'; )
    {
      const char *end;
      gboolean exponent = FALSE;
      gboolean point = FALSE;

      if (in_string)
        {
          if (*in == '\\' && in[1] != '\0')
            *out++ = *in++;
          else if (*in == '"')
            in_string = FALSE;
          *out++ = *in++;
          continue;
        }
      if (*in == '"')
        {
          in_string = TRUE;
          *out++ = *in++;
          continue;
        }
      if (*in != '-' && !g_ascii_isdigit (*in))
        {
          *out++ = *in++;
          continue;
        }

      /* A number: copied, without a ".0" json-glib put after an exponent. */
      for (end = in; *end != '\0' && strchr ("0123456789+-.eE", *end) != NULL; end++)
        {
          if (*end == 'e' || *end == 'E')
            exponent = TRUE;
          else if (*end == '.' && !exponent)
            point = TRUE;
        }
      if (exponent && !point && end - in > 2 && end[-2] == '.' && end[-1] == '0')
        end -= 2;
      while (in < end)
        *out++ = *in++;
      while (*in != '\0' && strchr ("0123456789+-.eE", *in) != NULL)
        in++;
    }
  *out = '\0';

  return text;
}

/* _prefect_ctx_variant_to_json_string:
 * @value: a GVariant
 * @error: return location for a #GError
 *
 * Converts a GVariant to compact JSON text, as
 * _prefect_ctx_variant_to_json() does.
 *
 * Returns: (transfer full): the JSON text, or %NULL with @error set
 */
char *
_prefect_ctx_variant_to_json_string (GVariant  *value,
                                     GError   **error)
{
  g_autoptr(JsonNode) node = _prefect_ctx_variant_to_json (value, error);

  return node != NULL ? _prefect_ctx_json_to_string (node) : NULL;
}
