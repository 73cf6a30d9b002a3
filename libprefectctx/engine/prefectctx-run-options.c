/* prefectctx-run-options.c: how one flow run is run
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-run-options.h"
#include "models/prefectctx-json-private.h"

/**
 * PrefectCtxRunOptions:
 *
 * How one flow run is run by [method@PrefectCtx.Flow.run_sync]: what the
 * caller adds to the flow's own definition for this run only.
 *
 * - [property@PrefectCtx.RunOptions:custom-context]: the run-level custom
 *   context (Flyte's `with_runcontext(custom_context=...)`), merged over
 *   the current one for the whole run, tasks and subflows included;
 * - [property@PrefectCtx.RunOptions:tags]: tags added to the run's tags;
 * - [property@PrefectCtx.RunOptions:client]: the run store to report to;
 * - [property@PrefectCtx.RunOptions:run-name]: the name of the flow run
 *   instead of a generated one;
 * - [property@PrefectCtx.RunOptions:max-workers]: the size of the worker
 *   pool of the tasks the run submits.
 *
 * Options are immutable: set them when constructing, e.g.
 * `g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, "tags", tags, NULL)`.
 */

struct _PrefectCtxRunOptions
{
  GObject parent_instance;

  GVariant         *custom_context;  /* a{ss}, never NULL */
  GStrv             tags;            /* sorted, never NULL */
  PrefectCtxClient *client;
  char             *run_name;
  int               max_workers;
};

G_DEFINE_FINAL_TYPE (PrefectCtxRunOptions, prefect_ctx_run_options, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CUSTOM_CONTEXT,
  PROP_TAGS,
  PROP_CLIENT,
  PROP_RUN_NAME,
  PROP_MAX_WORKERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
prefect_ctx_run_options_finalize (GObject *object)
{
  PrefectCtxRunOptions *self = PREFECT_CTX_RUN_OPTIONS (object);

  g_clear_pointer (&self->custom_context, g_variant_unref);
  g_clear_pointer (&self->tags, g_strfreev);
  g_clear_object (&self->client);
  g_clear_pointer (&self->run_name, g_free);

  G_OBJECT_CLASS (prefect_ctx_run_options_parent_class)->finalize (object);
}

static void
prefect_ctx_run_options_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  PrefectCtxRunOptions *self = PREFECT_CTX_RUN_OPTIONS (object);

  switch (prop_id)
    {
    case PROP_CUSTOM_CONTEXT:
      g_value_set_variant (value, self->custom_context);
      break;

    case PROP_TAGS:
      g_value_set_boxed (value, self->tags);
      break;

    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_RUN_NAME:
      g_value_set_string (value, self->run_name);
      break;

    case PROP_MAX_WORKERS:
      g_value_set_int (value, self->max_workers);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_run_options_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  PrefectCtxRunOptions *self = PREFECT_CTX_RUN_OPTIONS (object);

  switch (prop_id)
    {
    case PROP_CUSTOM_CONTEXT:
      {
        GVariant *map = g_value_get_variant (value);

        self->custom_context = map != NULL
          ? g_variant_ref_sink (map)
          : g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{ss}"), NULL, 0));
      }
      break;

    case PROP_TAGS:
      self->tags = _prefect_ctx_model_normalize_tags (g_value_get_boxed (value));
      break;

    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    case PROP_RUN_NAME:
      self->run_name = g_value_dup_string (value);
      break;

    case PROP_MAX_WORKERS:
      self->max_workers = g_value_get_int (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prefect_ctx_run_options_class_init (PrefectCtxRunOptionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = prefect_ctx_run_options_finalize;
  object_class->get_property = prefect_ctx_run_options_get_property;
  object_class->set_property = prefect_ctx_run_options_set_property;

  /**
   * PrefectCtxRunOptions:custom-context: (getter get_custom_context)
   *
   * The run-level custom context, an `a{ss}` dictionary (Flyte's
   * `with_runcontext(custom_context=...)`). The run enters a
   * [class@PrefectCtx.CustomContext] holding the current custom context
   * overlaid with it, so the flow's body, its tasks and subflows see it.
   * Keys and values follow the rules of
   * [ctor@PrefectCtx.CustomContext.new_merged]; a map that breaks them makes
   * the run fail before it starts. %NULL (the default) means empty.
   */
  properties[PROP_CUSTOM_CONTEXT] =
    g_param_spec_variant ("custom-context", NULL, NULL,
                          G_VARIANT_TYPE ("a{ss}"), NULL,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxRunOptions:tags: (getter get_tags)
   *
   * Tags added to the flow run's tags (which are the flow's tags and the
   * current tags), sorted, without duplicates. Never %NULL.
   */
  properties[PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxRunOptions:client: (getter get_client)
   *
   * The run store the run reports to. %NULL (the default) means the client
   * of the current run context for a subflow, else
   * [func@PrefectCtx.Client.get_default].
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         PREFECT_CTX_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxRunOptions:run-name: (getter get_run_name)
   *
   * The name of the flow run, or %NULL (the default) for a generated
   * two-word name such as `tidy-jaguar` (see
   * [func@PrefectCtx.generate_run_name]).
   */
  properties[PROP_RUN_NAME] =
    g_param_spec_string ("run-name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PrefectCtxRunOptions:max-workers: (getter get_max_workers)
   *
   * The largest number of worker threads that run the tasks the flow run
   * submits with [method@PrefectCtx.Task.submit] at once. 0 (the default)
   * means the number of processors, at least 4.
   */
  properties[PROP_MAX_WORKERS] =
    g_param_spec_int ("max-workers", NULL, NULL,
                      0, 1024, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prefect_ctx_run_options_init (PrefectCtxRunOptions *self)
{
}

/**
 * prefect_ctx_run_options_new:
 *
 * Makes run options with every property at its default: no custom context,
 * no extra tags, the default client, a generated name.
 *
 * Returns: (transfer full): new run options
 */
PrefectCtxRunOptions *
prefect_ctx_run_options_new (void)
{
  return g_object_new (PREFECT_CTX_TYPE_RUN_OPTIONS, NULL);
}

/**
 * prefect_ctx_run_options_get_custom_context:
 * @self: run options
 *
 * Gets the [property@PrefectCtx.RunOptions:custom-context] property.
 *
 * Returns: (transfer none): the run-level custom context, an `a{ss}`
 *   dictionary, empty when not set
 */
GVariant *
prefect_ctx_run_options_get_custom_context (PrefectCtxRunOptions *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_RUN_OPTIONS (self), NULL);

  return self->custom_context;
}

/**
 * prefect_ctx_run_options_get_tags:
 * @self: run options
 *
 * Gets the [property@PrefectCtx.RunOptions:tags] property.
 *
 * Returns: (transfer none) (array zero-terminated=1): the extra tags, sorted
 *   (never %NULL)
 */
const char * const *
prefect_ctx_run_options_get_tags (PrefectCtxRunOptions *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_RUN_OPTIONS (self), NULL);

  return (const char * const *) self->tags;
}

/**
 * prefect_ctx_run_options_get_client:
 * @self: run options
 *
 * Gets the [property@PrefectCtx.RunOptions:client] property.
 *
 * Returns: (transfer none) (nullable): the client, or %NULL for the default
 */
PrefectCtxClient *
prefect_ctx_run_options_get_client (PrefectCtxRunOptions *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_RUN_OPTIONS (self), NULL);

  return self->client;
}

/**
 * prefect_ctx_run_options_get_run_name:
 * @self: run options
 *
 * Gets the [property@PrefectCtx.RunOptions:run-name] property.
 *
 * Returns: (transfer none) (nullable): the name, or %NULL for a generated one
 */
const char *
prefect_ctx_run_options_get_run_name (PrefectCtxRunOptions *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_RUN_OPTIONS (self), NULL);

  return self->run_name;
}

/**
 * prefect_ctx_run_options_get_max_workers:
 * @self: run options
 *
 * Gets the [property@PrefectCtx.RunOptions:max-workers] property.
 *
 * Returns: the largest number of task workers, 0 for the default
 */
int
prefect_ctx_run_options_get_max_workers (PrefectCtxRunOptions *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_RUN_OPTIONS (self), 0);

  return self->max_workers;
}
