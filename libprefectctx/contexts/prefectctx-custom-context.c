/* prefectctx-custom-context.c: Flyte's custom context, a scoped string map
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "prefectctx-custom-context.h"

#include "core/prefectctx-error.h"
#include "prefectctx-context-private.h"

/* This kind's slot, set once the class is initialized. */
static int kind_slot = -1;

/**
 * PrefectCtxCustomContext:
 *
 * Flyte's custom context: a flat map of UTF-8 strings to UTF-8 strings that
 * is metadata of a run, carried to every task it runs, their children and
 * grandchildren, and across processes.
 *
 * It declares the context kind `custom`. A run sets the base map by entering
 * the outermost custom context; code inside it overrides or adds entries for
 * a scope by entering a context made with
 * [ctor@PrefectCtx.CustomContext.new_merged], which holds the current map
 * overlaid with new entries (the innermost value of a key wins). Entries can
 * be added and overridden, never removed; exiting the context brings the
 * previous map back.
 *
 * Every custom context holds the whole merged map, built once when the
 * context is made, so [func@PrefectCtx.CustomContext.lookup] is one hash
 * lookup however deep the nesting.
 *
 * The map is checked when the context is made, however it is made
 * ([ctor@PrefectCtx.CustomContext.new_merged], g_object_new() or
 * [method@PrefectCtx.Context.copy_with]):
 *
 * - a key is a non-empty UTF-8 string of printable characters (as
 *   g_unichar_isprint() tells: no control or format characters; spaces are
 *   allowed) and contains no `=`;
 * - a value is a UTF-8 string, possibly empty, without control characters
 *   (Unicode category Cc: C0 and C1 controls, DEL, so no newline) other than
 *   tab, so that it fits single-line carriers such as environment variables
 *   and HTTP headers;
 * - a key appears at most once;
 * - the map holds at most %PREFECT_CTX_CUSTOM_CONTEXT_MAX_ENTRIES entries and
 *   %PREFECT_CTX_CUSTOM_CONTEXT_MAX_BYTES bytes of keys and values. Both are
 *   well above what W3C Baggage asks every receiver to accept (64 entries,
 *   8192 bytes).
 *
 * A map that breaks a rule makes the context invalid: the error, a
 * %PREFECT_CTX_ERROR_INVALID_ARGUMENT naming the key, is reported by
 * [ctor@PrefectCtx.CustomContext.new_merged],
 * [method@PrefectCtx.Context.copy_with], [method@PrefectCtx.Context.check]
 * and [method@PrefectCtx.Context.enter].
 */

struct _PrefectCtxCustomContext
{
  PrefectCtxContext parent_instance;

  GVariant   *values;   /* a{ss}; sorted by key, no duplicates once valid */
  GHashTable *table;    /* key -> value, both borrowed from values */
};

G_DEFINE_FINAL_TYPE (PrefectCtxCustomContext, prefect_ctx_custom_context, PREFECT_CTX_TYPE_CONTEXT)

enum {
  PROP_0,
  PROP_VALUES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  const char *key;
  const char *value;
} Entry;

static int
compare_entries (const void *a,
                 const void *b)
{
  return strcmp (((const Entry *) a)->key, ((const Entry *) b)->key);
}

/* @text made fit for an error message: invalid UTF-8 replaced, and
 * characters that are not printable escaped as \uXXXX. */
static char *
shown_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *shown = g_string_new (NULL);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isprint (c))
        g_string_append_unichar (shown, c);
      else
        g_string_append_printf (shown, "\\u%04X", c);
    }

  return g_string_free (shown, FALSE);
}

static gboolean
check_key (const char  *key,
           GError     **error)
{
  const char *reason = NULL;

  if (*key == '\0')
    reason = "keys must not be empty";
  else if (!g_utf8_validate (key, -1, NULL))
    reason = "keys must be valid UTF-8";
  else
    for (const char *p = key; *p != '\0' && reason == NULL; p = g_utf8_next_char (p))
      {
        gunichar c = g_utf8_get_char (p);

        if (c == '=')
          reason = "keys must not contain '='";
        else if (!g_unichar_isprint (c))
          reason = "keys must contain only printable characters";
      }

  if (reason != NULL)
    {
      g_autofree char *shown = shown_text (key);

      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Invalid custom context key '%s': %s", shown, reason);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_value (const char  *key,
             const char  *value,
             GError     **error)
{
  const char *reason = NULL;

  if (value == NULL)
    reason = "values must not be NULL";
  else if (!g_utf8_validate (value, -1, NULL))
    reason = "values must be valid UTF-8";
  else
    for (const char *p = value; *p != '\0' && reason == NULL; p = g_utf8_next_char (p))
      {
        gunichar c = g_utf8_get_char (p);

        if (c != '\t' && g_unichar_iscntrl (c))
          reason = "values must not contain control characters other than tab";
      }

  if (reason != NULL)
    {
      g_autofree char *shown = shown_text (key);

      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Invalid value for custom context key '%s': %s", shown, reason);
      return FALSE;
    }

  return TRUE;
}

static GVariant *
empty_values (void)
{
  return g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{ss}"), NULL, 0));
}

/* The current map overlaid with @keys and @values (@n of each), as a new
 * context. */
static PrefectCtxCustomContext *
new_merged (guint               n,
            const char * const *keys,
            const char * const *values,
            GError            **error)
{
  PrefectCtxCustomContext *current;
  g_autoptr(GHashTable) merged = NULL;
  g_autoptr(PrefectCtxCustomContext) self = NULL;
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  merged = g_hash_table_new (g_str_hash, g_str_equal);
  current = prefect_ctx_custom_context_get_current ();
  if (current != NULL)
    {
      g_hash_table_iter_init (&iter, current->table);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (merged, key, value);
    }

  /* Checked here as well as by validate: a GVariant string must be valid
   * UTF-8. */
  for (guint i = 0; i < n; i++)
    {
      if (!check_key (keys[i], error) || !check_value (keys[i], values[i], error))
        return NULL;
      g_hash_table_insert (merged, (gpointer) keys[i], (gpointer) values[i]);
    }

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_hash_table_iter_init (&iter, merged);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_variant_builder_add (&builder, "{ss}", key, value);

  self = g_object_new (PREFECT_CTX_TYPE_CUSTOM_CONTEXT,
                       "values", g_variant_builder_end (&builder),
                       NULL);

  if (!prefect_ctx_context_check (PREFECT_CTX_CONTEXT (self), error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * prefect_ctx_custom_context_new_merged:
 * @values: (element-type utf8 utf8) (nullable): the entries to add or
 *   override; %NULL means none
 * @error: return location for a #GError
 *
 * Makes a new, unentered custom context whose map is the current map
 * ([func@PrefectCtx.get_custom_context]) overlaid with @values: Flyte's
 * `custom_context (**values)`, the map being `{**current, **values}`. With no
 * custom context entered, the map is @values: this is how a run sets its
 * base map.
 *
 * Returns: (transfer full): the new context, or %NULL with @error set
 *   (%PREFECT_CTX_ERROR_INVALID_ARGUMENT) if the merged map breaks a rule of
 *   [class@PrefectCtx.CustomContext]
 */
PrefectCtxCustomContext *
prefect_ctx_custom_context_new_merged (GHashTable  *values,
                                       GError     **error)
{
  g_autofree const char **keys = NULL;
  g_autofree const char **vals = NULL;
  GHashTableIter iter;
  gpointer key;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (values != NULL)
    {
      keys = g_new (const char *, g_hash_table_size (values));
      vals = g_new (const char *, g_hash_table_size (values));
      g_hash_table_iter_init (&iter, values);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          keys[n] = key;
          vals[n++] = value;
        }
    }

  return new_merged (n, keys, vals, error);
}

/**
 * prefect_ctx_custom_context_new_mergedv:
 * @n_values: the number of entries
 * @keys: (array length=n_values): the keys of the entries to add or override
 * @values: (array length=n_values): their values
 * @error: return location for a #GError
 *
 * The same as [ctor@PrefectCtx.CustomContext.new_merged], with the entries
 * as two arrays (as g_object_new_with_properties() takes properties): a key
 * given twice takes its last value. Bindings use it where handing over a
 * hash table costs more (PyGObject 3.42 leaks a little memory on every
 * dictionary it converts to a #GHashTable).
 *
 * Returns: (transfer full): the new context, or %NULL with @error set
 *   (%PREFECT_CTX_ERROR_INVALID_ARGUMENT) if the merged map breaks a rule of
 *   [class@PrefectCtx.CustomContext]
 */
PrefectCtxCustomContext *
prefect_ctx_custom_context_new_mergedv (guint               n_values,
                                        const char * const *keys,
                                        const char * const *values,
                                        GError            **error)
{
  g_return_val_if_fail (n_values == 0 || (keys != NULL && values != NULL), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return new_merged (n_values, keys, values, error);
}

/**
 * prefect_ctx_custom_context_get_current:
 *
 * Gets the innermost custom context entered on the calling thread (or
 * installed by [method@PrefectCtx.Snapshot.run]).
 *
 * Returns: (transfer none) (nullable): the current custom context, or %NULL
 *   if none is entered
 */
PrefectCtxCustomContext *
prefect_ctx_custom_context_get_current (void)
{
  return (PrefectCtxCustomContext *) _prefect_ctx_context_get_current_in_slot (g_atomic_int_get (&kind_slot));
}

/**
 * prefect_ctx_custom_context_lookup:
 * @key: a key
 *
 * Looks @key up in the current custom context map, in constant time however
 * deeply custom contexts are nested.
 *
 * Returns: (transfer none) (nullable): the value of @key, or %NULL if the
 *   current map has no such key or no custom context is entered. The string
 *   belongs to the current custom context: it stays valid while that context
 *   is entered.
 */
const char *
prefect_ctx_custom_context_lookup (const char *key)
{
  PrefectCtxCustomContext *current;

  g_return_val_if_fail (key != NULL, NULL);

  current = prefect_ctx_custom_context_get_current ();
  if (current == NULL)
    return NULL;

  return g_hash_table_lookup (current->table, key);
}

/**
 * prefect_ctx_custom_context_get_value:
 * @self: a custom context
 * @key: a key
 *
 * Looks @key up in the map of @self.
 *
 * Returns: (transfer none) (nullable): the value of @key, or %NULL if the
 *   map has no such key
 */
const char *
prefect_ctx_custom_context_get_value (PrefectCtxCustomContext *self,
                                      const char              *key)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CUSTOM_CONTEXT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (self->table, key);
}

/**
 * prefect_ctx_custom_context_get_values:
 * @self: a custom context
 *
 * Gets the whole map of @self, merged entries included.
 *
 * Returns: (transfer none): the map, an `a{ss}` dictionary sorted by key
 */
GVariant *
prefect_ctx_custom_context_get_values (PrefectCtxCustomContext *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CUSTOM_CONTEXT (self), NULL);

  return self->values;
}

/**
 * prefect_ctx_custom_context_get_size:
 * @self: a custom context
 *
 * Gets the number of entries in the map of @self.
 *
 * Returns: the number of entries
 */
guint
prefect_ctx_custom_context_get_size (PrefectCtxCustomContext *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_CUSTOM_CONTEXT (self), 0);

  return g_hash_table_size (self->table);
}

/**
 * prefect_ctx_custom_context_dup_table:
 * @self: a custom context
 *
 * Copies the map of @self into a new hash table.
 *
 * Returns: (transfer full) (element-type utf8 utf8): a new hash table
 *   holding copies of the keys and values
 */
GHashTable *
prefect_ctx_custom_context_dup_table (PrefectCtxCustomContext *self)
{
  GHashTable *copy;
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_return_val_if_fail (PREFECT_CTX_IS_CUSTOM_CONTEXT (self), NULL);

  copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, self->table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_strdup (value));

  return copy;
}

/**
 * prefect_ctx_get_custom_context:
 *
 * Gets a copy of the current custom context map: Flyte's
 * `get_custom_context ()`.
 *
 * Returns: (transfer full) (element-type utf8 utf8): a new hash table
 *   holding copies of the current keys and values; empty if no custom
 *   context is entered
 */
GHashTable *
prefect_ctx_get_custom_context (void)
{
  PrefectCtxCustomContext *current = prefect_ctx_custom_context_get_current ();

  if (current == NULL)
    return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return prefect_ctx_custom_context_dup_table (current);
}

static gboolean
prefect_ctx_custom_context_validate (PrefectCtxContext  *context,
                                     GError            **error)
{
  PrefectCtxCustomContext *self = PREFECT_CTX_CUSTOM_CONTEXT (context);
  g_autoptr(GArray) entries = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  Entry entry;
  gsize n_bytes = 0;
  gboolean sorted = TRUE;

  entries = g_array_sized_new (FALSE, FALSE, sizeof (Entry), g_variant_n_children (self->values));
  g_variant_iter_init (&iter, self->values);
  while (g_variant_iter_next (&iter, "{&s&s}", &entry.key, &entry.value))
    {
      if (entries->len > 0 &&
          strcmp (g_array_index (entries, Entry, entries->len - 1).key, entry.key) >= 0)
        sorted = FALSE;
      g_array_append_val (entries, entry);
    }

  if (!sorted)
    g_array_sort (entries, compare_entries);

  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *e = &g_array_index (entries, Entry, i);

      if (!check_key (e->key, error) || !check_value (e->key, e->value, error))
        return FALSE;

      if (i > 0 && strcmp (g_array_index (entries, Entry, i - 1).key, e->key) == 0)
        {
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                       "Invalid custom context key '%s': the key is given more than once",
                       e->key);
          return FALSE;
        }

      if (i >= PREFECT_CTX_CUSTOM_CONTEXT_MAX_ENTRIES)
        {
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                       "Cannot hold custom context key '%s': a custom context holds at most %d entries",
                       e->key, PREFECT_CTX_CUSTOM_CONTEXT_MAX_ENTRIES);
          return FALSE;
        }

      n_bytes += strlen (e->key) + strlen (e->value);
      if (n_bytes > PREFECT_CTX_CUSTOM_CONTEXT_MAX_BYTES)
        {
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                       "Cannot hold custom context key '%s': the keys and values of a custom "
                       "context hold at most %d bytes",
                       e->key, PREFECT_CTX_CUSTOM_CONTEXT_MAX_BYTES);
          return FALSE;
        }
    }

  /* Keep the map sorted, so that it reads the same however it was given,
   * and index it. The strings of the table point into the variant. */
  if (!sorted)
    {
      GVariant *normalized;

      g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
      for (guint i = 0; i < entries->len; i++)
        {
          const Entry *e = &g_array_index (entries, Entry, i);

          g_variant_builder_add (&builder, "{ss}", e->key, e->value);
        }
      normalized = g_variant_ref_sink (g_variant_builder_end (&builder));
      g_variant_unref (self->values);
      self->values = normalized;
    }

  g_variant_iter_init (&iter, self->values);
  while (g_variant_iter_next (&iter, "{&s&s}", &entry.key, &entry.value))
    g_hash_table_insert (self->table, (gpointer) entry.key, (gpointer) entry.value);

  return TRUE;
}

static void
prefect_ctx_custom_context_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  PrefectCtxCustomContext *self = PREFECT_CTX_CUSTOM_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_VALUES:
      g_value_set_variant (value, self->values);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_custom_context_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  PrefectCtxCustomContext *self = PREFECT_CTX_CUSTOM_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_VALUES:
      g_clear_pointer (&self->values, g_variant_unref);
      self->values = g_value_dup_variant (value);
      if (self->values == NULL)
        self->values = empty_values ();
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_custom_context_finalize (GObject *object)
{
  PrefectCtxCustomContext *self = PREFECT_CTX_CUSTOM_CONTEXT (object);

  /* The table borrows from the variant: drop it first. */
  g_clear_pointer (&self->table, g_hash_table_unref);
  g_clear_pointer (&self->values, g_variant_unref);

  G_OBJECT_CLASS (prefect_ctx_custom_context_parent_class)->finalize (object);
}

static void
prefect_ctx_custom_context_class_init (PrefectCtxCustomContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PrefectCtxContextClass *context_class = PREFECT_CTX_CONTEXT_CLASS (klass);

  object_class->get_property = prefect_ctx_custom_context_get_property;
  object_class->set_property = prefect_ctx_custom_context_set_property;
  object_class->finalize = prefect_ctx_custom_context_finalize;

  context_class->validate = prefect_ctx_custom_context_validate;

  prefect_ctx_context_class_declare_kind (context_class, "custom");
  g_atomic_int_set (&kind_slot, _prefect_ctx_context_class_get_slot (context_class));

  /**
   * PrefectCtxCustomContext:values: (getter get_values)
   *
   * The whole map, an `a{ss}` dictionary: the base map and every override
   * merged. It reads back sorted by key. %NULL when constructing means an
   * empty map.
   */
  properties[PROP_VALUES] =
    g_param_spec_variant ("values", NULL, NULL,
                          G_VARIANT_TYPE ("a{ss}"), NULL,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_custom_context_init (PrefectCtxCustomContext *self)
{
  self->table = g_hash_table_new (g_str_hash, g_str_equal);
}
