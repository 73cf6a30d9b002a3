/* prefectctx-tags-context.c: the tags applied to the runs made in a scope
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "prefectctx-tags-context.h"

#include "core/prefectctx-error.h"
#include "prefectctx-context-private.h"
#include "models/prefectctx-json-private.h"

/* This kind's slot, set once the class is initialized. */
static int kind_slot = -1;

/**
 * PrefectCtxTagsContext:
 *
 * The set of tags given to every flow run and task run made while it is
 * current (Prefect's `TagsContext`).
 *
 * It declares the context kind `tags`. Tags accumulate through nesting:
 * [func@PrefectCtx.tags] makes a context holding the current tags and new
 * ones, so inside `tags (a, b)` then `tags (c, d)` the current tags are
 * a, b, c and d, and after the inner one is exited a and b again.
 *
 * [func@PrefectCtx.TagsContext.get_current] never returns %NULL: with no
 * tags context entered it returns an empty one.
 */

struct _PrefectCtxTagsContext
{
  PrefectCtxContext parent_instance;

  GStrv current_tags;   /* sorted, no duplicates, never NULL */
};

G_DEFINE_FINAL_TYPE (PrefectCtxTagsContext, prefect_ctx_tags_context, PREFECT_CTX_TYPE_CONTEXT)

enum {
  PROP_0,
  PROP_CURRENT_TAGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
compare_tags (const void *a,
              const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Whether @tags (@n of them) is sorted and holds no duplicate. */
static gboolean
tags_are_sorted_set (const char * const *tags,
                     gsize               n)
{
  for (gsize i = 1; i < n; i++)
    if (strcmp (tags[i - 1], tags[i]) >= 0)
      return FALSE;

  return TRUE;
}

/* Sorts @tags (@n borrowed pointers) in place and moves the duplicates out;
 * returns how many are left. */
static gsize
tags_sort_unique (const char **tags,
                  gsize        n)
{
  gsize kept = 0;

  if (tags_are_sorted_set (tags, n))
    return n;

  qsort (tags, n, sizeof (char *), compare_tags);

  for (gsize i = 0; i < n; i++)
    if (kept == 0 || strcmp (tags[kept - 1], tags[i]) != 0)
      tags[kept++] = tags[i];

  return kept;
}

/* A sorted copy of @tags without duplicates; an empty one for %NULL. Input
 * that is a sorted set already (what prefect_ctx_tags() gives) is only
 * checked, not sorted again. */
static GStrv
tags_sorted_copy (const char * const *tags)
{
  if (tags != NULL && tags_are_sorted_set (tags, g_strv_length ((char **) tags)))
    return g_strdupv ((char **) tags);

  return _prefect_ctx_model_normalize_tags (tags);
}

/**
 * prefect_ctx_tags_context_new:
 * @tags: (array zero-terminated=1) (nullable): the tags; %NULL means none
 *
 * Makes a new, unentered tags context holding exactly @tags (sorted, without
 * duplicates). To add tags to the current ones, use [func@PrefectCtx.tags].
 *
 * Returns: (transfer full): the new context
 */
PrefectCtxTagsContext *
prefect_ctx_tags_context_new (const char * const *tags)
{
  return g_object_new (PREFECT_CTX_TYPE_TAGS_CONTEXT,
                       "current-tags", tags,
                       NULL);
}

static PrefectCtxTagsContext *
empty_tags_context (void)
{
  static PrefectCtxTagsContext *empty;

  if (g_once_init_enter (&empty))
    g_once_init_leave (&empty, prefect_ctx_tags_context_new (NULL));

  return empty;
}

/**
 * prefect_ctx_tags_context_get_current:
 *
 * Gets the innermost tags context entered on the calling thread (or
 * installed by [method@PrefectCtx.Snapshot.run]). With none, gets a shared,
 * empty tags context that is never entered.
 *
 * Returns: (transfer none): the current tags context, never %NULL
 */
PrefectCtxTagsContext *
prefect_ctx_tags_context_get_current (void)
{
  PrefectCtxContext *current = _prefect_ctx_context_get_current_in_slot (g_atomic_int_get (&kind_slot));

  if (current != NULL)
    return PREFECT_CTX_TAGS_CONTEXT (current);

  return empty_tags_context ();
}

/**
 * prefect_ctx_tags_context_get_current_tags:
 * @self: a tags context
 *
 * Gets the tags of @self.
 *
 * Returns: (transfer none) (array zero-terminated=1): the tags, sorted and
 *   without duplicates; empty, never %NULL, when there are none
 */
const char * const *
prefect_ctx_tags_context_get_current_tags (PrefectCtxTagsContext *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TAGS_CONTEXT (self), NULL);

  return (const char * const *) self->current_tags;
}

/**
 * prefect_ctx_tags_context_has_tag:
 * @self: a tags context
 * @tag: a tag
 *
 * Tells whether @self holds @tag.
 *
 * Returns: %TRUE if @tag is one of the tags of @self
 */
gboolean
prefect_ctx_tags_context_has_tag (PrefectCtxTagsContext *self,
                                  const char            *tag)
{
  g_return_val_if_fail (PREFECT_CTX_IS_TAGS_CONTEXT (self), FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);

  return bsearch (&tag, self->current_tags, g_strv_length (self->current_tags),
                  sizeof (char *), compare_tags) != NULL;
}

/**
 * prefect_ctx_tags:
 * @tags: (array zero-terminated=1) (nullable): the tags to add; %NULL
 *   means none
 *
 * Makes a new, unentered tags context holding the tags of the current one
 * ([func@PrefectCtx.TagsContext.get_current]) and @tags: Prefect's
 * `tags (*names)`. Enter it for the runs made in a scope to have these tags,
 * and exit it at the end of the scope to get the previous tags back.
 *
 * A tag that is not valid UTF-8 makes the context invalid: entering it
 * fails with %PREFECT_CTX_ERROR_INVALID_ARGUMENT.
 *
 * Returns: (transfer full): the new context
 */
PrefectCtxTagsContext *
prefect_ctx_tags (const char * const *tags)
{
  PrefectCtxTagsContext *current = prefect_ctx_tags_context_get_current ();
  const char * const *held = (const char * const *) current->current_tags;
  gsize n_held = g_strv_length (current->current_tags);
  gsize n_added = tags != NULL ? g_strv_length ((char **) tags) : 0;
  g_autofree const char **added = NULL;
  g_autofree const char **all = NULL;
  const char *names[] = { "current-tags" };
  GValue value = G_VALUE_INIT;
  PrefectCtxTagsContext *self;
  gsize i = 0, j = 0, n = 0;

  /* The held tags are a sorted set already: sort the added ones (borrowed
   * pointers, nothing copied) and merge the two. The property setter makes
   * the one copy the new context keeps. */
  added = g_memdup2 (tags, n_added * sizeof (char *));
  n_added = tags_sort_unique (added, n_added);

  all = g_new (const char *, n_held + n_added + 1);
  while (i < n_held || j < n_added)
    {
      int cmp = i == n_held ? 1 : j == n_added ? -1 : strcmp (held[i], added[j]);

      if (cmp <= 0)
        all[n++] = held[i++];
      else
        all[n++] = added[j++];
      if (cmp == 0)
        j++;
    }
  all[n] = NULL;

  g_value_init (&value, G_TYPE_STRV);
  g_value_set_static_boxed (&value, all);
  self = (PrefectCtxTagsContext *) g_object_new_with_properties (PREFECT_CTX_TYPE_TAGS_CONTEXT,
                                                                 G_N_ELEMENTS (names), names, &value);
  g_value_unset (&value);

  return self;
}

static gboolean
prefect_ctx_tags_context_validate (PrefectCtxContext  *context,
                                   GError            **error)
{
  PrefectCtxTagsContext *self = PREFECT_CTX_TAGS_CONTEXT (context);

  for (guint i = 0; self->current_tags[i] != NULL; i++)
    if (!g_utf8_validate (self->current_tags[i], -1, NULL))
      {
        g_autofree char *shown = g_utf8_make_valid (self->current_tags[i], -1);

        g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                     "Tag '%s' is not valid UTF-8", shown);
        return FALSE;
      }

  return TRUE;
}

static void
prefect_ctx_tags_context_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  PrefectCtxTagsContext *self = PREFECT_CTX_TAGS_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_CURRENT_TAGS:
      g_value_set_boxed (value, self->current_tags);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_tags_context_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  PrefectCtxTagsContext *self = PREFECT_CTX_TAGS_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_CURRENT_TAGS:
      g_clear_pointer (&self->current_tags, g_strfreev);
      self->current_tags = tags_sorted_copy (g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_tags_context_finalize (GObject *object)
{
  PrefectCtxTagsContext *self = PREFECT_CTX_TAGS_CONTEXT (object);

  g_clear_pointer (&self->current_tags, g_strfreev);

  G_OBJECT_CLASS (prefect_ctx_tags_context_parent_class)->finalize (object);
}

static void
prefect_ctx_tags_context_class_init (PrefectCtxTagsContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PrefectCtxContextClass *context_class = PREFECT_CTX_CONTEXT_CLASS (klass);

  object_class->get_property = prefect_ctx_tags_context_get_property;
  object_class->set_property = prefect_ctx_tags_context_set_property;
  object_class->finalize = prefect_ctx_tags_context_finalize;

  context_class->validate = prefect_ctx_tags_context_validate;

  prefect_ctx_context_class_declare_kind (context_class, "tags");
  g_atomic_int_set (&kind_slot, _prefect_ctx_context_class_get_slot (context_class));

  /**
   * PrefectCtxTagsContext:current-tags: (getter get_current_tags)
   *
   * The tags, sorted and without duplicates. %NULL when constructing means
   * none: the property then reads as an empty array.
   */
  properties[PROP_CURRENT_TAGS] =
    g_param_spec_boxed ("current-tags", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_tags_context_init (PrefectCtxTagsContext *self)
{
}
