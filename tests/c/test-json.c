/* test-json.c: JSON from outside (layer 2): the nesting limit, UTF-8,
 * linear conversions and NaN, through the models' public JSON functions
 * and the run store (the two places every other JSON goes through).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <string.h>

#include <prefectctx.h>

/* A flow run whose parameters are {"p": <value>}. */
static char *
flow_run_json (const char *value)
{
  return g_strdup_printf ("{\"id\": \"f0000000-0000-0000-0000-000000000001\", \"name\": \"odd-run\", "
                          "\"flow_id\": \"f0000000-0000-0000-0000-000000000002\", "
                          "\"parameters\": {\"p\": %s}}", value);
}

static char *
nested_arrays (guint depth)
{
  GString *text = g_string_sized_new (depth * 2 + 1);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

/* Nesting beyond 512 levels is refused before any recursion: deeper than
 * json-glib's parser (about 200,000) or its GVariant conversion (about
 * 50,000) could go without overflowing the stack. */
static void
test_depth_limit (void)
{
  const guint depths[] = { 600, 50000, 300000 };

  for (gsize i = 0; i < G_N_ELEMENTS (depths); i++)
    {
      g_autofree char *arrays = nested_arrays (depths[i]);
      g_autofree char *json = flow_run_json (arrays);
      g_autoptr(GError) error = NULL;
      g_autoptr(PrefectCtxFlowRun) run = prefect_ctx_flow_run_new_from_json (json, &error);

      g_assert_null (run);
      g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (error->message, ==, "Invalid JSON for FlowRun: nested more than 512 levels deep");
    }

  /* 510 levels in the parameters: 512 with the run and its parameters. */
  {
    g_autofree char *arrays = nested_arrays (510);
    g_autofree char *json = flow_run_json (arrays);
    g_autoptr(GError) error = NULL;
    g_autoptr(PrefectCtxFlowRun) run = prefect_ctx_flow_run_new_from_json (json, &error);
    g_autoptr(GVariant) p = NULL;
    guint depth = 0;

    g_assert_no_error (error);
    p = g_variant_lookup_value (prefect_ctx_flow_run_get_parameters (run), "p", NULL);
    while (p != NULL && g_variant_is_of_type (p, G_VARIANT_TYPE ("av")))
      {
        GVariant *inner = g_variant_n_children (p) > 0 ? g_variant_get_child_value (p, 0) : NULL;

        depth++;
        g_variant_unref (p);
        p = inner != NULL ? g_variant_get_variant (inner) : NULL;
        g_clear_pointer (&inner, g_variant_unref);
      }
    g_assert_cmpuint (depth, ==, 510);
  }

  /* Brackets inside strings are not nesting. */
  {
    g_autofree char *brackets = nested_arrays (2000);
    g_autofree char *quoted = g_strdup_printf ("\"%s\"", brackets);
    g_autofree char *json = flow_run_json (quoted);
    g_autoptr(GError) error = NULL;
    g_autoptr(PrefectCtxFlowRun) run = prefect_ctx_flow_run_new_from_json (json, &error);

    g_assert_no_error (error);
  }
}

/* Strings are always valid UTF-8: lone surrogates, \u0000 and invalid
 * bytes become U+FFFD; a surrogate pair is one character. */
static void
test_utf8 (void)
{
  const struct { const char *json_name; const char *name; } cases[] = {
    { "a\\ud800b", "a\xef\xbf\xbd" "b" },
    { "a\\udc00b", "a\xef\xbf\xbd" "b" },
    { "\\ud800\\ud800", "\xef\xbf\xbd\xef\xbf\xbd" },
    { "nul\\u0000here", "nul\xef\xbf\xbdhere" },
    { "pair \\ud83d\\ude00", "pair \xf0\x9f\x98\x80" },
    { "bad \xff byte", "bad \xef\xbf\xbd byte" },
    { "\\\\ud800 is text", "\\ud800 is text" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"id\": \"x\", \"name\": \"%s\", \"flow_id\": \"y\"}",
                                               cases[i].json_name);
      g_autoptr(GError) error = NULL;
      g_autoptr(PrefectCtxFlowRun) run = prefect_ctx_flow_run_new_from_json (json, &error);

      g_assert_no_error (error);
      g_assert_true (g_utf8_validate (prefect_ctx_flow_run_get_name (run), -1, NULL));
      g_assert_cmpstr (prefect_ctx_flow_run_get_name (run), ==, cases[i].name);
    }

  /* Error messages too: json-glib quotes the bad input in them. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PrefectCtxFlowRun) run = prefect_ctx_flow_run_new_from_json ("{\"id\": \xff\xfe}", &error);

    g_assert_null (run);
    g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
  }
}

/* What the fuzzer found (fuzz/corpus/json/4*): a malformed \u escape is
 * refused (json-glib took it for a character, not UTF-8); years before
 * 1000 are written with four digits; doubles with an exponent are written
 * as JSON (json-glib writes 2e-05 as `2e-05.0`). */
static void
test_fuzzer_findings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlowRun) bad = prefect_ctx_flow_run_new_from_json (
    "{\"id\": \"x\", \"name\": \"a\\udf\xd4" "ff\", \"flow_id\": \"y\"}", &error);
  g_autoptr(GDateTime) old = g_date_time_new_utc (415, 11, 21, 5, 1, 49);
  g_autoptr(PrefectCtxState) state = g_object_new (PREFECT_CTX_TYPE_STATE, "state-type", PREFECT_CTX_STATE_TYPE_COMPLETED,
                                                   "name", "Completed", "timestamp", old, NULL);
  g_autofree char *state_json = prefect_ctx_state_to_json (state);
  g_autoptr(PrefectCtxState) state_again = NULL;
  g_autofree char *json = flow_run_json ("[1e40, -1e40, 2e-05, 1.5e300]");
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  g_autoptr(PrefectCtxFlowRun) again = NULL;
  g_autofree char *written = NULL;

  g_assert_null (bad);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Invalid JSON for FlowRun: a \\u escape without four hexadecimal digits");
  g_clear_error (&error);

  /* An octal escape, which json-glib took for a byte that is not UTF-8
   * (found by libFuzzer); JSON's own escapes are kept. */
  {
    g_autoptr(PrefectCtxTaskRun) octal = prefect_ctx_task_run_new_from_json (
      "{\"flow_run_id\": \"x9\\233720\"}", &error);
    g_autoptr(PrefectCtxTaskRun) escapes = NULL;

    g_assert_null (octal);
    g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
    g_assert_cmpstr (error->message, ==, "Invalid JSON for TaskRun: an unknown escape '\\2' in a string");
    g_clear_error (&error);
    escapes = prefect_ctx_task_run_new_from_json ("{\"flow_run_id\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (prefect_ctx_task_run_get_flow_run_id (escapes), ==, "\"\\/\b\f\n\r\t");
  }

  g_assert_nonnull (strstr (state_json, "\"0415-11-21T05:01:49.000000+00:00\""));
  state_again = prefect_ctx_state_new_from_json (state_json, &error);
  g_assert_no_error (error);

  run = prefect_ctx_flow_run_new_from_json (json, &error);
  g_assert_no_error (error);
  written = prefect_ctx_flow_run_to_json (run);
  g_assert_nonnull (strstr (written, "[1e+40,-1e+40,"));
  g_assert_null (strstr (written, "e-05.0"));
  again = prefect_ctx_flow_run_new_from_json (written, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_equal (prefect_ctx_flow_run_get_parameters (run),
                                  prefect_ctx_flow_run_get_parameters (again)));
}

/* Long lists convert in linear time both ways (json-glib's converter took
 * 9 s for 40,000 elements): here 200,000, within the test's timeout. */
static void
test_long_list (void)
{
  const guint n = 200000;
  GString *list = g_string_new ("[");
  g_autofree char *json = NULL;
  g_autofree char *written = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxFlowRun) run = NULL;
  g_autoptr(PrefectCtxFlowRun) again = NULL;
  g_autoptr(GVariant) p = NULL;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (list, "%s%u", i > 0 ? "," : "", i);
  g_string_append_c (list, ']');
  json = flow_run_json (list->str);
  g_string_free (list, TRUE);

  run = prefect_ctx_flow_run_new_from_json (json, &error);
  g_assert_no_error (error);
  p = g_variant_lookup_value (prefect_ctx_flow_run_get_parameters (run), "p", G_VARIANT_TYPE ("av"));
  g_assert_cmpuint (g_variant_n_children (p), ==, n);

  written = prefect_ctx_flow_run_to_json (run);
  again = prefect_ctx_flow_run_new_from_json (written, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_equal (prefect_ctx_flow_run_get_parameters (run),
                                  prefect_ctx_flow_run_get_parameters (again)));
}

/* What JSON cannot hold is written as null (as orjson and JSON.stringify
 * do), and every GVariant type maps as documented. */
static void
test_variant_mapping (void)
{
  g_autoptr(GVariant) parameters = g_variant_ref_sink (g_variant_new_parsed (
    "{'nan': <%d>, 'inf': <%d>, 'minf': <%d>, 'tuple': <(1, 'a')>, 'bytes': <b'ab'>, "
    "'big': <uint64 18446744073709551615>, 'small': <byte 7>, 'none': <@ms nothing>, "
    "'some': <@ms 'x'>, 'nested': <<<true>>>, 'ints': <{1: 'one'}>, 'path': <objectpath '/a'>}",
    NAN, INFINITY, -INFINITY));
  g_autoptr(PrefectCtxFlowRun) run = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "name", "mapped",
                                                   "parameters", parameters, NULL);
  g_autofree char *json = prefect_ctx_flow_run_to_json (run);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *written = NULL;
  JsonObject *object;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  object = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "parameters");
  json_generator_set_root (generator, json_object_get_member (object, "nan"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "nan")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "inf")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "minf")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "none")));
  g_assert_cmpstr (json_object_get_string_member (object, "some"), ==, "x");
  g_assert_true (json_object_get_boolean_member (object, "nested"));
  g_assert_cmpint (json_object_get_int_member (object, "small"), ==, 7);
  g_assert_cmpfloat (json_object_get_double_member (object, "big"), ==, 18446744073709551615.0);
  g_assert_cmpstr (json_object_get_string_member (object, "path"), ==, "/a");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "ints"), "1"), ==,
                   "one");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "tuple")), ==, 2);
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (object, "bytes"), 1), ==, 'b');
  written = json_generator_to_data (generator, NULL);
  g_assert_cmpstr (written, ==, "null");
}

/* The run store: NaN is stored as null and the store stays readable; a
 * value nested too deep to store is refused with an error. */
static void
test_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxLocalClient) client = prefect_ctx_local_client_new (PREFECT_CTX_LOCAL_CLIENT_MEMORY, &error);
  g_autoptr(PrefectCtxFlow) flow = NULL;
  g_autoptr(PrefectCtxFlowRun) draft = NULL;
  g_autoptr(PrefectCtxFlowRun) stored = NULL;
  g_autoptr(PrefectCtxFlowRun) read = NULL;
  g_autoptr(GListModel) runs = NULL;
  g_autoptr(GVariant) nan_parameters = g_variant_ref_sink (g_variant_new_parsed ("{'x': <%d>}", NAN));
  g_autoptr(GVariant) x = NULL;
  GVariant *deep;

  g_assert_no_error (error);
  {
    g_autoptr(PrefectCtxFlow) flow_draft = prefect_ctx_flow_new ("odd");

    flow = prefect_ctx_client_create_flow (PREFECT_CTX_CLIENT (client), flow_draft, NULL, &error);
    g_assert_no_error (error);
  }

  draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "name", "nan-run", "flow-id", prefect_ctx_flow_get_id (flow),
                        "parameters", nan_parameters, NULL);
  stored = prefect_ctx_client_create_flow_run (PREFECT_CTX_CLIENT (client), draft, NULL, &error);
  g_assert_no_error (error);
  read = prefect_ctx_client_read_flow_run (PREFECT_CTX_CLIENT (client), prefect_ctx_flow_run_get_id (stored),
                                           NULL, &error);
  g_assert_no_error (error);
  x = g_variant_lookup_value (prefect_ctx_flow_run_get_parameters (read), "x", NULL);
  g_assert_true (g_variant_is_of_type (x, G_VARIANT_TYPE ("mv")));
  g_assert_null (g_variant_get_maybe (x));
  runs = prefect_ctx_client_read_flow_runs (PREFECT_CTX_CLIENT (client), PREFECT_CTX_CLIENT_ANY_STATE, 0, 0,
                                            NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 1);

  /* 600 levels of variants in a value. */
  deep = g_variant_new_boolean (TRUE);
  for (int i = 0; i < 600; i++)
    deep = g_variant_new_variant (deep);
  {
    GVariantDict dict;
    g_autoptr(GVariant) deep_parameters = NULL;
    g_autoptr(PrefectCtxFlowRun) deep_draft = NULL;
    g_autoptr(PrefectCtxFlowRun) refused = NULL;

    g_variant_dict_init (&dict, NULL);
    g_variant_dict_insert_value (&dict, "deep", deep);
    deep_parameters = g_variant_ref_sink (g_variant_dict_end (&dict));
    deep_draft = g_object_new (PREFECT_CTX_TYPE_FLOW_RUN, "name", "deep-run",
                               "flow-id", prefect_ctx_flow_get_id (flow), "parameters", deep_parameters, NULL);
    refused = prefect_ctx_client_create_flow_run (PREFECT_CTX_CLIENT (client), deep_draft, NULL, &error);
    g_assert_null (refused);
    g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
    g_assert_cmpstr (error->message, ==, "A value nested more than 512 levels deep cannot be converted");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/depth-limit", test_depth_limit);
  g_test_add_func ("/json/utf8", test_utf8);
  g_test_add_func ("/json/fuzzer-findings", test_fuzzer_findings);
  g_test_add_func ("/json/long-list", test_long_list);
  g_test_add_func ("/json/variant-mapping", test_variant_mapping);
  g_test_add_func ("/json/store", test_store);

  return g_test_run ();
}
