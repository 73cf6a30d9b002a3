/* prefectctx-json.c: JSON reading and writing shared by the models
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "prefectctx-error.h"
#include "prefectctx-json-private.h"


static void
set_field_error (GError     **error,
                 const char  *type_name,
                 const char  *member,
                 const char  *format,
                 ...) G_GNUC_PRINTF (4, 5);

static void
set_field_error (GError     **error,
                 const char  *type_name,
                 const char  *member,
                 const char  *format,
                 ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
               "Field '%s' of %s: %s", member, type_name, detail);
}

const char *
_prefect_ctx_json_describe_node (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_INT64:
      return "an integer";
    case G_TYPE_DOUBLE:
      return "a number";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    default:
      return "a value";
    }
}

/* "Field 'tags' of Flow: expected an array of strings, got an object" */
static gboolean
wrong_type (GError     **error,
            const char  *type_name,
            const char  *member,
            const char  *expected,
            JsonNode    *node)
{
  set_field_error (error, type_name, member, "expected %s, got %s",
                   expected, _prefect_ctx_json_describe_node (node));
  return FALSE;
}

/* The member's node, or NULL when it is absent or JSON null. */
static JsonNode *
lookup_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

static gboolean
node_holds (JsonNode *node,
            GType     value_type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == value_type;
}

static JsonNode *
parse_json (const char  *json,
            const char  *type_name,
            GError     **error)
{
  return _prefect_ctx_json_parse (json, -1, type_name, error);
}

static gboolean
read_strv (JsonNode    *node,
           const char  *type_name,
           const char  *member,
           GStrv       *out,
           GError     **error)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;
  guint length;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (error, type_name, member, "an array of strings", node);

  builder = g_strv_builder_new ();
  array = json_node_get_array (node);
  length = json_array_get_length (array);
  for (guint i = 0; i < length; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!node_holds (element, G_TYPE_STRING))
        {
          set_field_error (error, type_name, member,
                           "expected an array of strings, element %u is %s",
                           i, _prefect_ctx_json_describe_node (element));
          return FALSE;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

/* The one place timestamps are read: ISO 8601, converted to UTC. */
static gboolean
read_datetime (JsonNode    *node,
               const char  *type_name,
               const char  *member,
               GDateTime  **out,
               GError     **error)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) parsed = NULL;

  if (!node_holds (node, G_TYPE_STRING))
    return wrong_type (error, type_name, member, "an ISO 8601 timestamp", node);

  /* The server always sends an offset; a timestamp without one is UTC. */
  utc = g_time_zone_new_utc ();
  parsed = g_date_time_new_from_iso8601 (json_node_get_string (node), utc);
  if (parsed == NULL)
    {
      set_field_error (error, type_name, member,
                       "expected an ISO 8601 timestamp, got '%s'",
                       json_node_get_string (node));
      return FALSE;
    }

  *out = g_date_time_to_utc (parsed);
  return TRUE;
}

/* The one place timestamps are written: in UTC with microseconds, as the
 * server does ("2026-11-21T05:01:49.197991+00:00"; g_date_time_format_iso8601
 * would write "Z" and drop zero microseconds). */
static void
set_datetime (JsonObject *object,
              const char *member,
              GDateTime  *datetime)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (datetime);
  g_autofree char *time = g_date_time_format (utc, "%m-%dT%H:%M:%S.%f+00:00");
  /* %Y does not pad: year 415 must be 0415 for ISO 8601. */
  g_autofree char *formatted = g_strdup_printf ("%04d-%s", g_date_time_get_year (utc), time);

  json_object_set_string_member (object, member, formatted);
}

static void
set_strv (JsonObject         *object,
          const char         *member,
          const char * const *strv)
{
  JsonArray *array = json_array_new ();

  for (gsize i = 0; strv != NULL && strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);

  json_object_set_array_member (object, member, array);
}

/* Reads @node, the given (present, not null) member of @field, into @value
 * (initialised here only on success) for the property @pspec. Returns FALSE
 * with @error set when it has the wrong type or is out of range. */
static gboolean
read_field (JsonNode                   *node,
            const char                 *type_name,
            const PrefectCtxJsonField  *field,
            GParamSpec                 *pspec,
            GValue                     *value,
            GError                    **error)
{
  const char *member = field->member;

  switch (field->kind)
    {
    case PREFECT_CTX_JSON_STRING:
      if (!node_holds (node, G_TYPE_STRING))
        return wrong_type (error, type_name, member, "a string", node);
      g_value_init (value, G_TYPE_STRING);
      g_value_set_string (value, json_node_get_string (node));
      return TRUE;

    case PREFECT_CTX_JSON_INT:
      {
        GParamSpecInt *ispec = G_PARAM_SPEC_INT (pspec);
        gint64 number;

        if (!node_holds (node, G_TYPE_INT64))
          return wrong_type (error, type_name, member, "an integer", node);
        number = json_node_get_int (node);
        if (number < ispec->minimum || number > ispec->maximum)
          {
            set_field_error (error, type_name, member,
                             "%" G_GINT64_FORMAT " is out of range (%d to %d)",
                             number, ispec->minimum, ispec->maximum);
            return FALSE;
          }
        g_value_init (value, G_TYPE_INT);
        g_value_set_int (value, (int) number);
        return TRUE;
      }

    case PREFECT_CTX_JSON_DOUBLE:
      {
        GParamSpecDouble *dspec = G_PARAM_SPEC_DOUBLE (pspec);
        double number;

        if (node_holds (node, G_TYPE_DOUBLE))
          number = json_node_get_double (node);
        else if (node_holds (node, G_TYPE_INT64))
          number = (double) json_node_get_int (node);
        else
          return wrong_type (error, type_name, member, "a number", node);
        if (!(number >= dspec->minimum && number <= dspec->maximum))
          {
            set_field_error (error, type_name, member, "%g is out of range (%g to %g)",
                             number, dspec->minimum, dspec->maximum);
            return FALSE;
          }
        g_value_init (value, G_TYPE_DOUBLE);
        g_value_set_double (value, number);
        return TRUE;
      }

    case PREFECT_CTX_JSON_STRV:
      {
        GStrv strv = NULL;

        if (!read_strv (node, type_name, member, &strv, error))
          return FALSE;
        g_value_init (value, G_TYPE_STRV);
        g_value_take_boxed (value, strv);
        return TRUE;
      }

    case PREFECT_CTX_JSON_DATETIME:
      {
        GDateTime *datetime = NULL;

        if (!read_datetime (node, type_name, member, &datetime, error))
          return FALSE;
        g_value_init (value, G_TYPE_DATE_TIME);
        g_value_take_boxed (value, datetime);
        return TRUE;
      }

    case PREFECT_CTX_JSON_VARDICT:
      {
        g_autoptr(GError) local_error = NULL;
        GVariant *variant;

        if (!JSON_NODE_HOLDS_OBJECT (node))
          return wrong_type (error, type_name, member, "an object", node);

        /* Numbers become x (integers) or d, strings s, booleans b, objects
         * a{sv}, arrays av, and null mv (nothing). */
        variant = _prefect_ctx_json_to_variant (node, &local_error);
        if (variant == NULL)
          {
            set_field_error (error, type_name, member, "%s", local_error->message);
            return FALSE;
          }
        g_value_init (value, G_TYPE_VARIANT);
        g_value_take_variant (value, variant);
        return TRUE;
      }

    case PREFECT_CTX_JSON_CUSTOM:
      {
        g_autoptr(GError) local_error = NULL;

        if (!field->read (node, value, &local_error))
          {
            set_field_error (error, type_name, member, "%s", local_error->message);
            return FALSE;
          }
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

gpointer
_prefect_ctx_json_deserialize (GType                      type,
                               const char                *type_name,
                               const PrefectCtxJsonField *fields,
                               gsize                      n_fields,
                               JsonNode                  *node,
                               GError                   **error)
{
  g_autoptr(GTypeClass) klass = NULL;
  g_autofree const char **names = NULL;
  g_autofree GValue *values = NULL;
  JsonObject *object;
  guint n_values = 0;
  gpointer result = NULL;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Invalid JSON for %s: expected an object, got %s",
                   type_name, _prefect_ctx_json_describe_node (node));
      return NULL;
    }
  object = json_node_get_object (node);

  klass = g_type_class_ref (type);
  names = g_new0 (const char *, n_fields);
  values = g_new0 (GValue, n_fields);

  for (gsize i = 0; i < n_fields; i++)
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_CLASS (klass),
                                                        fields[i].property);
      JsonNode *member = lookup_member (object, fields[i].member);

      g_assert (pspec != NULL);

      if (member == NULL)
        {
          if (fields[i].flags & PREFECT_CTX_JSON_FIELD_REQUIRED)
            {
              set_field_error (error, type_name, fields[i].member, "missing");
              goto out;
            }
          continue;
        }

      if (!read_field (member, type_name, &fields[i], pspec, &values[n_values], error))
        goto out;
      names[n_values++] = fields[i].property;
    }

  result = g_object_new_with_properties (type, n_values, names, values);

out:
  for (guint i = 0; i < n_values; i++)
    g_value_unset (&values[i]);

  return result;
}

JsonNode *
_prefect_ctx_json_serialize (gpointer                   object,
                             const PrefectCtxJsonField *fields,
                             gsize                      n_fields)
{
  g_autoptr(JsonObject) json = json_object_new ();
  GObjectClass *klass;

  g_return_val_if_fail (G_IS_OBJECT (object), NULL);

  klass = G_OBJECT_GET_CLASS (object);

  for (gsize i = 0; i < n_fields; i++)
    {
      const PrefectCtxJsonField *field = &fields[i];
      GParamSpec *pspec = g_object_class_find_property (klass, field->property);
      g_auto(GValue) value = G_VALUE_INIT;

      g_assert (pspec != NULL);

      g_value_init (&value, pspec->value_type);
      g_object_get_property (object, field->property, &value);

      /* An empty dictionary is the default of an a{sv} property (set, its
       * NULL default is normalized to one). */
      if ((field->flags & PREFECT_CTX_JSON_FIELD_OMIT_DEFAULT)
          && (g_param_value_defaults (pspec, &value)
              || (field->kind == PREFECT_CTX_JSON_VARDICT && g_value_get_variant (&value) != NULL
                  && g_variant_n_children (g_value_get_variant (&value)) == 0)))
        continue;

      switch (field->kind)
        {
        case PREFECT_CTX_JSON_STRING:
          if (g_value_get_string (&value) != NULL)
            json_object_set_string_member (json, field->member, g_value_get_string (&value));
          break;

        case PREFECT_CTX_JSON_INT:
          json_object_set_int_member (json, field->member, g_value_get_int (&value));
          break;

        case PREFECT_CTX_JSON_DOUBLE:
          json_object_set_double_member (json, field->member, g_value_get_double (&value));
          break;

        case PREFECT_CTX_JSON_STRV:
          set_strv (json, field->member, g_value_get_boxed (&value));
          break;

        case PREFECT_CTX_JSON_DATETIME:
          if (g_value_get_boxed (&value) != NULL)
            set_datetime (json, field->member, g_value_get_boxed (&value));
          break;

        case PREFECT_CTX_JSON_VARDICT:
          if (g_value_get_variant (&value) != NULL)
            {
              g_autoptr(GError) local_error = NULL;
              JsonNode *member = _prefect_ctx_variant_to_json (g_value_get_variant (&value), &local_error);

              /* Only a value nested too deep; the store and the engine
               * refuse those with an error before they get here. */
              if (member == NULL)
                {
                  g_warning ("Field '%s' of %s written as {}: %s", field->member,
                             G_OBJECT_TYPE_NAME (object), local_error->message);
                  member = json_node_new (JSON_NODE_OBJECT);
                  json_node_take_object (member, json_object_new ());
                }
              json_object_set_member (json, field->member, member);
            }
          else
            json_object_set_object_member (json, field->member, json_object_new ());
          break;

        case PREFECT_CTX_JSON_CUSTOM:
          {
            JsonNode *member = field->write (&value);

            if (member != NULL)
              json_object_set_member (json, field->member, member);
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return json_node_init_object (json_node_alloc (), json);
}

gpointer
_prefect_ctx_json_deserialize_string (GType                      type,
                                      const char                *type_name,
                                      const PrefectCtxJsonField *fields,
                                      gsize                      n_fields,
                                      const char                *json,
                                      GError                   **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  node = parse_json (json, type_name, error);
  if (node == NULL)
    return NULL;

  return _prefect_ctx_json_deserialize (type, type_name, fields, n_fields, node, error);
}

char *
_prefect_ctx_json_serialize_string (gpointer                   object,
                                    const PrefectCtxJsonField *fields,
                                    gsize                      n_fields)
{
  g_autoptr(JsonNode) node = NULL;

  node = _prefect_ctx_json_serialize (object, fields, n_fields);
  return _prefect_ctx_json_to_string (node);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
_prefect_ctx_model_normalize_tags (const char * const *tags)
{
  GStrv result;
  guint length;
  guint n = 0;

  result = g_strdupv ((char **) tags);
  if (result == NULL)
    return g_new0 (char *, 1);

  length = g_strv_length (result);
  qsort (result, length, sizeof (char *), compare_strings);

  for (guint i = 0; i < length; i++)
    {
      if (n > 0 && strcmp (result[n - 1], result[i]) == 0)
        g_free (result[i]);
      else
        result[n++] = result[i];
    }
  result[n] = NULL;

  return result;
}

GDateTime *
_prefect_ctx_model_normalize_datetime (GDateTime *datetime)
{
  return datetime != NULL ? g_date_time_to_utc (datetime) : NULL;
}

GVariant *
_prefect_ctx_model_normalize_vardict (GVariant *vardict)
{
  if (vardict == NULL)
    return g_variant_ref_sink (g_variant_new ("a{sv}", NULL));

  return g_variant_ref_sink (vardict);
}
