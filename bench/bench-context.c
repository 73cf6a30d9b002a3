/* bench-context.c: the cost of the context hot paths, each beside a
 * baseline measured in the same run.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: build/bench/bench-context [--rounds N] [--iterations N]
 *
 * Each figure is the best of several rounds (the least disturbed by the
 * rest of the machine), in nanoseconds per operation. The ratios are what
 * the goals are stated in, so they hold across machines.
 */
#include <prefectctx.h>
#include <stdio.h>
#include <time.h>

static int rounds = 7;
static int iterations = 2000000;

typedef void (*BenchFunc) (gpointer data, int n);

static double
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Best time per operation over the rounds, in ns. */
static double
measure (BenchFunc func, gpointer data)
{
  double best = G_MAXDOUBLE;

  func (data, iterations / 10);   /* warm up */
  for (int r = 0; r < rounds; r++)
    {
      double start = now_ns ();
      func (data, iterations);
      best = MIN (best, (now_ns () - start) / iterations);
    }

  return best;
}

static volatile gpointer sink;

/* --- lookup ------------------------------------------------------------- */

static GPrivate baseline_private;

static void
bench_g_private_get (gpointer data, int n)
{
  for (int i = 0; i < n; i++)
    sink = g_private_get (&baseline_private);
}

static void
bench_get_current (gpointer data, int n)
{
  GType kind = PREFECT_CTX_TYPE_TAGS_CONTEXT;

  for (int i = 0; i < n; i++)
    sink = prefect_ctx_context_get_current (kind);
}

static void
bench_get_current_macro (gpointer data, int n)
{
  /* As most code writes it: the type macro calls _get_type () each time. */
  for (int i = 0; i < n; i++)
    sink = prefect_ctx_context_get_current (PREFECT_CTX_TYPE_TAGS_CONTEXT);
}

static void
bench_flow_run_get_current (gpointer data, int n)
{
  for (int i = 0; i < n; i++)
    sink = prefect_ctx_flow_run_context_get_current ();
}

/* --- enter + exit ------------------------------------------------------- */

static void
bench_push_pop_thread_default (gpointer data, int n)
{
  GMainContext *context = data;

  for (int i = 0; i < n; i++)
    {
      g_main_context_push_thread_default (context);
      g_main_context_pop_thread_default (context);
    }
}

static void
bench_enter_exit (gpointer data, int n)
{
  PrefectCtxContext *ctx = data;

  for (int i = 0; i < n; i++)
    {
      prefect_ctx_context_enter (ctx, NULL);
      prefect_ctx_context_exit (ctx, NULL);
    }
}

/* --- snapshots ---------------------------------------------------------- */

static void
bench_snapshot_capture (gpointer data, int n)
{
  for (int i = 0; i < n; i++)
    {
      PrefectCtxSnapshot *snap = prefect_ctx_snapshot_capture ();
      sink = snap;
      prefect_ctx_snapshot_unref (snap);
    }
}

static void
bench_atomic_ref_unref (gpointer data, int n)
{
  gint *count = data;

  for (int i = 0; i < n; i++)
    {
      g_atomic_int_inc (count);
      sink = count;
      g_atomic_int_dec_and_test (count);
    }
}

/* --- tags --------------------------------------------------------------- */

static void
bench_tags_enter_exit (gpointer data, int n)
{
  static const char * const names[] = { "alpha", "beta", "gamma", NULL };

  for (int i = 0; i < n; i++)
    {
      PrefectCtxTagsContext *tags = prefect_ctx_tags (names);
      prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (tags), NULL);
      prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (tags), NULL);
      g_object_unref (tags);
    }
}

static void
bench_strv_union (gpointer data, int n)
{
  /* Baseline: building the same three-tag set as a sorted GStrv. */
  static const char * const names[] = { "alpha", "beta", "gamma", NULL };

  for (int i = 0; i < n; i++)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) strv = NULL;

      g_strv_builder_addv (builder, (const char **) names);
      strv = g_strv_builder_end (builder);
      sink = strv;
    }
}

/* --- custom context ----------------------------------------------------- */

static void
bench_custom_lookup (gpointer data, int n)
{
  for (int i = 0; i < n; i++)
    sink = (gpointer) prefect_ctx_custom_context_lookup ("key-0");
}

static GPtrArray *
enter_custom_contexts (int depth)
{
  GPtrArray *entered = g_ptr_array_new_with_free_func (g_object_unref);

  for (int d = 0; d < depth; d++)
    {
      g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
      g_autofree char *key = g_strdup_printf ("key-%d", d);
      PrefectCtxCustomContext *ctx;

      g_hash_table_insert (values, key, (gpointer) "value");
      ctx = prefect_ctx_custom_context_new_merged (values, NULL);
      prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (ctx), NULL);
      g_ptr_array_add (entered, ctx);
    }

  return entered;
}

static void
exit_custom_contexts (GPtrArray *entered)
{
  for (guint i = entered->len; i > 0; i--)
    prefect_ctx_context_exit (g_ptr_array_index (entered, i - 1), NULL);
  g_ptr_array_unref (entered);
}

static void
report (const char *name, double value, const char *baseline_name, double baseline, const char *goal)
{
  printf ("%-36s %8.2f ns   %-26s %8.2f ns   ratio %5.2f   %s\n",
          name, value, baseline_name, baseline, value / baseline, goal);
}

int
main (int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds, "Rounds per figure (best is kept)", "N" },
    { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations, "Operations per round", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- benchmark libprefectctx's hot paths");
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainContext) main_context = g_main_context_new ();
  g_autoptr(PrefectCtxTagsContext) tags = NULL;
  static const char * const one_tag[] = { "outer", NULL };
  GPtrArray *entered;
  gint count = 1;
  double base, value, depth1, depth64;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  g_private_set (&baseline_private, &count);
  printf ("libprefectctx %s; best of %d rounds of %d operations\n\n",
          PREFECT_CTX_VERSION_S, rounds, iterations);

  /* With a context entered, so lookups find something. */
  tags = prefect_ctx_tags (one_tag);
  prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (tags), NULL);

  base = measure (bench_g_private_get, NULL);
  value = measure (bench_get_current, NULL);
  report ("get_current (kind)", value, "g_private_get", base, "goal <= 2.0");
  value = measure (bench_get_current_macro, NULL);
  report ("get_current (PREFECT_CTX_TYPE_...)", value, "g_private_get", base, "(type macro included)");
  value = measure (bench_flow_run_get_current, NULL);
  report ("flow_run_context_get_current ()", value, "g_private_get", base, "goal <= 2.0");

  base = measure (bench_push_pop_thread_default, main_context);
  value = measure (bench_enter_exit, tags);
  report ("enter + exit", value, "push + pop thread default", base, "goal <= 0.5");

  base = measure (bench_atomic_ref_unref, &count);
  value = measure (bench_snapshot_capture, NULL);
  report ("snapshot capture + unref", value, "atomic inc + dec", base, "goal < 10 ns");

  prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (tags), NULL);

  base = measure (bench_strv_union, NULL);
  value = measure (bench_tags_enter_exit, NULL);
  report ("tags(3) new + enter + exit", value, "GStrvBuilder of 3", base, "(no goal)");

  entered = enter_custom_contexts (1);
  depth1 = measure (bench_custom_lookup, NULL);
  exit_custom_contexts (entered);
  entered = enter_custom_contexts (64);
  depth64 = measure (bench_custom_lookup, NULL);
  exit_custom_contexts (entered);
  report ("custom lookup, depth 64", depth64, "custom lookup, depth 1", depth1, "goal <= 1.5");

  return 0;
}
