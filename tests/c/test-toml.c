/* test-toml.c: the profiles.toml grammar: each accepted construct, each
 * refused one with its exact line and column
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The parser is private: it is reached through
 * prefect_ctx_profiles_load_from_data () (values through the profiles,
 * everything else through prefect_ctx_profiles_to_toml (), which writes the
 * document back). fuzz/ fuzzes it directly.
 */
#include <string.h>

#include <prefectctx.h>

static PrefectCtxProfiles *
load_ok (const char *text,
         gssize      length)
{
  g_autoptr(GError) error = NULL;
  PrefectCtxProfiles *profiles;

  profiles = prefect_ctx_profiles_load_from_data (text, length, "profiles.toml", &error);
  g_assert_no_error (error);
  g_assert_nonnull (profiles);
  return profiles;
}

static void
assert_load_error (const char *text,
                   gssize      length,
                   const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxProfiles) profiles = NULL;

  profiles = prefect_ctx_profiles_load_from_data (text, length, "profiles.toml", &error);
  if (error == NULL)
    g_error ("%s: accepted, expected \"%s\"", text, message);
  g_assert_null (profiles);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, message);
}

/* The value of PREFECT_API_URL in profile p of "[profiles.p]\nPREFECT_API_URL = @literal". */
static char *
value_of (const char *literal)
{
  g_autofree char *text = g_strdup_printf ("[profiles.p]\nPREFECT_API_URL = %s\n", literal);
  g_autoptr(PrefectCtxProfiles) profiles = load_ok (text, -1);
  PrefectCtxProfile *profile = prefect_ctx_profiles_lookup (profiles, "p");

  g_assert_nonnull (profile);
  return g_strdup (prefect_ctx_profile_get_value (profile, "PREFECT_API_URL"));
}

static void
assert_value (const char *literal,
              const char *expected)
{
  g_autofree char *value = value_of (literal);

  if (g_strcmp0 (value, expected) != 0)
    g_error ("%s: got \"%s\", expected \"%s\"", literal, value, expected);
}

static void
test_comments_and_whitespace (void)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  PrefectCtxProfile *profile;

  profiles = load_ok ("# a comment\n"
                      "\n"
                      "   \t\n"
                      "  active\t=  \"dev\"   # after a value\n"
                      "\t[ profiles . dev ]  # after a header\n"
                      "PREFECT_API_URL=\"http://x/api\"\n"
                      "# the end, without a newline", -1);
  g_assert_cmpstr (prefect_ctx_profiles_get_active_name (profiles), ==, "dev");
  profile = prefect_ctx_profiles_lookup (profiles, "dev");
  g_assert_nonnull (profile);
  g_assert_cmpstr (prefect_ctx_profile_get_value (profile, "PREFECT_API_URL"), ==, "http://x/api");
}

static void
test_line_ends_and_bom (void)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(GError) error = NULL;
  static const char crlf[] = "\xEF\xBB\xBF" "active = \"w\"\r\n\r\n[profiles.w] # c\r\nPREFECT_API_URL = \"u\"\r\n";

  profiles = load_ok (crlf, -1);
  g_assert_cmpstr (prefect_ctx_profiles_get_active_name (profiles), ==, "w");
  g_assert_cmpstr (prefect_ctx_profile_get_value (prefect_ctx_profiles_lookup (profiles, "w"),
                                                  "PREFECT_API_URL"), ==, "u");

  /* columns after a BOM do not count it */
  assert_load_error ("\xEF\xBB\xBF" "a b = 1\n", -1, "profiles.toml:1:3: expected '='");
  assert_load_error ("a = 1\rb = 2\n", -1, "profiles.toml:1:6: carriage return without a line feed");
  assert_load_error ("a = 1 # x\ry\n", -1, "profiles.toml:1:10: control character U+000D in a comment");
}

static void
test_empty (void)
{
  g_autoptr(PrefectCtxProfiles) empty = load_ok ("", 0);
  g_autoptr(PrefectCtxProfiles) comment = load_ok ("# nothing\n", -1);
  const char * const *names = prefect_ctx_profiles_get_names (empty);

  g_assert_cmpuint (g_strv_length ((char **) names), ==, 1);
  g_assert_cmpstr (names[0], ==, "default");
  g_assert_cmpstr (prefect_ctx_profiles_get_active_name (empty), ==, "default");
  g_assert_cmpstr (prefect_ctx_profiles_get_active_name (comment), ==, "default");
}

static void
test_basic_strings (void)
{
  assert_value ("\"plain\"", "plain");
  assert_value ("\"\"", "");
  assert_value ("\"tab\\there\"", "tab\there");
  assert_value ("\"\\b\\t\\n\\f\\r\\\"\\\\\"", "\b\t\n\f\r\"\\");
  assert_value ("\"\\u00e9\\u00C9\"", "\xc3\xa9\xc3\x89");
  assert_value ("\"\\U0001F600\"", "\xf0\x9f\x98\x80");
  assert_value ("\"\\U0010FFFF\"", "\xf4\x8f\xbf\xbf");
  assert_value ("\"raw \xc3\xa9 and a\ttab\"", "raw \xc3\xa9 and a\ttab");
  assert_value ("\"# not a comment\"", "# not a comment");
}

static void
test_literal_strings (void)
{
  assert_value ("'C:\\Users\\nodejs'", "C:\\Users\\nodejs");
  assert_value ("'<\\i\\c*\\s*>'", "<\\i\\c*\\s*>");
  assert_value ("'say \"hi\"'", "say \"hi\"");
  assert_value ("''", "");
}

static void
test_integers (void)
{
  assert_value ("42", "42");
  assert_value ("+99", "99");
  assert_value ("-17", "-17");
  assert_value ("0", "0");
  assert_value ("-0", "0");
  assert_value ("1_000_000", "1000000");
  assert_value ("0xDEAD_beef", "3735928559");
  assert_value ("0o755", "493");
  assert_value ("0b1101", "13");
  assert_value ("9223372036854775807", "9223372036854775807");
  assert_value ("-9223372036854775808", "-9223372036854775808");
  assert_value ("0x7FFFFFFFFFFFFFFF", "9223372036854775807");
}

static void
test_floats (void)
{
  /* as Python's str () writes them */
  assert_value ("0.2", "0.2");
  assert_value ("+1.5", "1.5");
  assert_value ("-0.01", "-0.01");
  assert_value ("3.0", "3.0");
  assert_value ("1e6", "1000000.0");
  assert_value ("1e16", "1e+16");
  assert_value ("1.5e16", "1.5e+16");
  assert_value ("1e15", "1000000000000000.0");
  assert_value ("6.626e-34", "6.626e-34");
  assert_value ("0.0001", "0.0001");
  assert_value ("0.00001", "1e-05");
  assert_value ("5E+22", "5e+22");
  assert_value ("1_000.000_1", "1000.0001");
  assert_value ("0.1e1", "1.0");
  assert_value ("-0.0", "-0.0");
  assert_value ("+0.0", "0.0");
  assert_value ("inf", "inf");
  assert_value ("+inf", "inf");
  assert_value ("-inf", "-inf");
  assert_value ("nan", "nan");
  assert_value ("-nan", "nan");
  assert_value ("1.7976931348623157e308", "1.7976931348623157e+308");
  assert_value ("5e-324", "5e-324");
  assert_value ("0.30000000000000004", "0.30000000000000004");
}

static void
test_booleans (void)
{
  assert_value ("true", "True");
  assert_value ("false", "False");
}

static void
test_keys (void)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autofree char *text = NULL;

  profiles = load_ok ("[other]\n"
                      "bare-key_1 = 1\n"
                      "1234 = 2\n"
                      "\"quoted key\" = 3\n"
                      "'literal \\key' = 4\n"
                      "\"\" = 5\n"
                      "\"\xc3\xa9\\n\" = 6\n"
                      "a . \"b.c\" . d = 7\n", -1);
  text = prefect_ctx_profiles_to_toml (profiles);
  g_assert_cmpstr (text, ==,
                   "active = \"default\"\n"
                   "\n"
                   "[profiles]\n"
                   "\n"
                   "[other]\n"
                   "bare-key_1 = 1\n"
                   "1234 = 2\n"
                   "\"quoted key\" = 3\n"
                   "\"literal \\\\key\" = 4\n"
                   "\"\" = 5\n"
                   "\"\xc3\xa9\\n\" = 6\n"
                   "\n"
                   "[other.a.\"b.c\"]\n"
                   "d = 7\n");
}

static void
test_quoted_table_names (void)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  const char * const *names;

  profiles = load_ok ("[profiles.\"my profile\"]\n"
                      "PREFECT_API_URL = \"a\"\n"
                      "[profiles.'dots.in.name']\n"
                      "PREFECT_API_URL = \"b\"\n"
                      "[profiles.\"\xc3\xa9t\xc3\xa9\"]\n", -1);
  names = prefect_ctx_profiles_get_names (profiles);
  g_assert_cmpuint (g_strv_length ((char **) names), ==, 4);
  g_assert_cmpstr (names[0], ==, "default");
  g_assert_cmpstr (names[1], ==, "my profile");
  g_assert_cmpstr (names[2], ==, "dots.in.name");
  g_assert_cmpstr (names[3], ==, "\xc3\xa9t\xc3\xa9");
  g_assert_cmpstr (prefect_ctx_profile_get_value (prefect_ctx_profiles_lookup (profiles, "dots.in.name"),
                                                  "PREFECT_API_URL"), ==, "b");
}

static void
test_dotted_keys (void)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  PrefectCtxProfile *profile;

  /* dotted keys define tables: profiles.NAME.SETTING at the top level */
  profiles = load_ok ("active = \"d\"\n"
                      "profiles.d.PREFECT_API_URL = \"http://d/api\"\n"
                      "profiles . d . PREFECT_LOGGING_LEVEL = \"debug\"\n", -1);
  profile = prefect_ctx_profiles_lookup (profiles, "d");
  g_assert_nonnull (profile);
  g_assert_cmpstr (prefect_ctx_profile_get_value (profile, "PREFECT_API_URL"), ==, "http://d/api");
  /* values are kept as written; settings normalise them when used */
  g_assert_cmpstr (prefect_ctx_profile_get_value (profile, "PREFECT_LOGGING_LEVEL"), ==, "debug");
}

/* [profiles.a.b] is a table inside profile a, not a profile "a.b": it is
 * kept and written back, and is not a setting. */
static void
test_nested_profile_tables (void)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autofree char *text = NULL;
  const char * const *names;
  PrefectCtxProfile *a;

  profiles = load_ok ("[profiles.a.b]\n"
                      "nested = \"kept\"\n"
                      "[profiles.a]\n"
                      "PREFECT_API_URL = \"http://a/api\"\n", -1);
  names = prefect_ctx_profiles_get_names (profiles);
  g_assert_cmpuint (g_strv_length ((char **) names), ==, 2);
  g_assert_cmpstr (names[1], ==, "a");
  a = prefect_ctx_profiles_lookup (profiles, "a");
  g_assert_cmpuint (g_variant_n_children (prefect_ctx_profile_get_settings (a)), ==, 1);
  g_assert_null (prefect_ctx_profiles_lookup (profiles, "a.b"));

  text = prefect_ctx_profiles_to_toml (profiles);
  g_assert_cmpstr (text, ==,
                   "active = \"default\"\n"
                   "\n"
                   "[profiles.a]\n"
                   "PREFECT_API_URL = \"http://a/api\"\n"
                   "\n"
                   "[profiles.a.b]\n"
                   "nested = \"kept\"\n");
}

static void
test_table_rules (void)
{
  /* a super-table after its sub-table, once */
  g_autoptr(PrefectCtxProfiles) ok1 = load_ok ("[x.y.z]\n[x]\na = 1\n", -1);
  /* a header can add sub-tables to a table made by dotted keys */
  g_autoptr(PrefectCtxProfiles) ok2 = load_ok ("[x]\ny.z = 1\n[x.y.w]\nb = 2\n", -1);
  /* dotted keys can extend their own tables within the section */
  g_autoptr(PrefectCtxProfiles) ok3 = load_ok ("a.b = 1\na.c = 2\n", -1);

  g_assert_nonnull (ok1);
  g_assert_nonnull (ok2);
  g_assert_nonnull (ok3);
}

typedef struct {
  const char *input;
  const char *message;
} BadCase;

static const BadCase bad_cases[] = {
  /* from the issue */
  { "active = \"x\"\n\n[profiles.x]\nPREFECT_API_URL \"y\"\n", "profiles.toml:4:17: expected '='" },
  { "active = \"x\"\n[profiles.x]\nfoo = 1\n  PREFECT_LOGGING_LEVEL\n", "profiles.toml:4:24: expected '='" },
  /* unsupported constructs */
  { "a = [1, 2]\n", "profiles.toml:1:5: arrays are not supported" },
  { "a = { b = 1 }\n", "profiles.toml:1:5: inline tables are not supported" },
  { "[[profiles]]\n", "profiles.toml:1:1: arrays of tables ([[...]]) are not supported" },
  { "a = \"\"\"x\"\"\"\n", "profiles.toml:1:5: multi-line strings are not supported" },
  { "a = '''x'''\n", "profiles.toml:1:5: multi-line strings are not supported" },
  { "a = 1979-05-27T07:32:00Z\n", "profiles.toml:1:5: dates and times are not supported" },
  { "a = 1979-05-27\n", "profiles.toml:1:5: dates and times are not supported" },
  { "a = 07:32:00\n", "profiles.toml:1:5: dates and times are not supported" },
  /* keys and tables */
  { "= 1\n", "profiles.toml:1:1: expected a key" },
  { "a. = 1\n", "profiles.toml:1:4: expected a key" },
  { "[]\n", "profiles.toml:1:2: expected a key" },
  { "[a\n", "profiles.toml:1:3: expected ']'" },
  { "[a] b = 1\n", "profiles.toml:1:5: expected the end of the line after a table header" },
  { "a = 1 b = 2\n", "profiles.toml:1:7: expected the end of the line after a value" },
  { "a = 1\na = 2\n", "profiles.toml:2:1: duplicate key 'a'" },
  { "a.b = 1\na.b = 2\n", "profiles.toml:2:3: duplicate key 'a.b'" },
  { "[a]\nb = 1\n[a]\n", "profiles.toml:3:1: table [a] is defined twice" },
  { "[profiles.dev]\n[profiles.\"dev\"]\n", "profiles.toml:2:1: table [profiles.dev] is defined twice" },
  { "a = 1\n[a]\n", "profiles.toml:2:2: 'a' is already defined as a value, not a table" },
  { "a = 1\n[a.b]\n", "profiles.toml:2:2: 'a' is already defined as a value, not a table" },
  { "a = 1\na.b = 2\n", "profiles.toml:2:1: 'a' is already defined as a value, not a table" },
  { "[a.b]\n[a]\nb.c = 1\n", "profiles.toml:3:1: table 'b' is defined by a [header]: dotted keys cannot add to it" },
  { "[a]\nb.c = 1\n[a.b]\n", "profiles.toml:3:1: table [a.b] is defined twice" },
  { "[a]\nb = 1\n[x]\n[a.b]\n", "profiles.toml:4:4: 'a.b' is already defined as a value, not a table" },
  /* values */
  { "a =\n", "profiles.toml:1:4: expected a value" },
  { "a = # c\n", "profiles.toml:1:5: expected a value" },
  { "a = yes\n", "profiles.toml:1:5: expected a value" },
  { "a = True\n", "profiles.toml:1:5: expected a value" },
  { "a = \"x\" \"y\"\n", "profiles.toml:1:9: expected the end of the line after a value" },
  { "a = 01\n", "profiles.toml:1:5: invalid number: leading zeros are not allowed" },
  { "a = 1__0\n", "profiles.toml:1:5: invalid number" },
  { "a = 1_\n", "profiles.toml:1:5: invalid number" },
  { "a = _1\n", "profiles.toml:1:5: expected a value" },
  { "a = 1.\n", "profiles.toml:1:5: invalid number: expected digits after '.'" },
  { "a = .5\n", "profiles.toml:1:5: expected a value" },
  { "a = 1e\n", "profiles.toml:1:5: invalid number: expected digits in the exponent" },
  { "a = +0x10\n", "profiles.toml:1:5: invalid number: a sign is not allowed before 0x" },
  { "a = 0xG\n", "profiles.toml:1:5: invalid number" },
  { "a = 0X10\n", "profiles.toml:1:5: invalid number" },
  { "a = 1.2.3\n", "profiles.toml:1:5: invalid number" },
  { "a = 9223372036854775808\n", "profiles.toml:1:5: integer out of range" },
  { "a = -9223372036854775809\n", "profiles.toml:1:5: integer out of range" },
  { "a = 0x8000000000000000\n", "profiles.toml:1:5: integer out of range" },
  { "a = 1e400\n", "profiles.toml:1:5: float out of range" },
  { "a = infinity\n", "profiles.toml:1:5: invalid number" },
  /* strings */
  { "a = \"open\n", "profiles.toml:1:5: unterminated string" },
  { "a = 'open\n", "profiles.toml:1:5: unterminated string" },
  { "a = \"open", "profiles.toml:1:5: unterminated string" },
  { "a = \"\\q\"\n", "profiles.toml:1:6: invalid escape sequence '\\q'" },
  { "a = \"\\x41\"\n", "profiles.toml:1:6: invalid escape sequence '\\x'" },
  { "a = \"\\e\"\n", "profiles.toml:1:6: invalid escape sequence '\\e'" },
  { "a = \"\\u12\"\n", "profiles.toml:1:6: invalid Unicode escape: expected 4 hexadecimal digits" },
  { "a = \"\\U0001F60\"\n", "profiles.toml:1:6: invalid Unicode escape: expected 8 hexadecimal digits" },
  { "a = \"\\uD800\"\n", "profiles.toml:1:6: invalid Unicode escape: U+D800 is not a Unicode scalar value" },
  { "a = \"\\U00110000\"\n", "profiles.toml:1:6: invalid Unicode escape: U+110000 is not a Unicode scalar value" },
  { "a = \"\\u0000\"\n", "profiles.toml:1:6: NUL characters (\\u0000) are not supported" },
  { "a = \"x\x01y\"\n", "profiles.toml:1:7: control character U+0001 in a string (escape it)" },
  { "a = 'x\x7fy'\n", "profiles.toml:1:7: control character U+007F in a string (escape it)" },
  { "# bell \x07\n", "profiles.toml:1:8: control character U+0007 in a comment" },
  /* columns count characters, not bytes */
  { "\"\xc3\xa9\xc3\xa9\" 1\n", "profiles.toml:1:6: expected '='" },
  { "[profiles]\nx = 1\n", "profiles.toml:2:1: profile 'x' must be a table" },
  /* what the profiles file needs */
  { "active = 1\n", "profiles.toml:1:1: 'active' must be a string" },
  { "profiles = 1\n", "profiles.toml:1:1: 'profiles' must be a table" },
  { "profiles.x = \"y\"\n", "profiles.toml:1:10: profile 'x' must be a table" },
  { "\n[profiles.\"\"]\n", "profiles.toml:2:1: Profile name must not be empty" },
  { "[profiles.p.PREFECT_API_URL]\n",
    "profiles.toml:1:1: setting PREFECT_API_URL of profile 'p' must be a string, a number or a boolean, not a table" },
};

static void
test_rejected (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_test_message ("%s", bad_cases[i].input);
      assert_load_error (bad_cases[i].input, -1, bad_cases[i].message);
    }
}

static void
test_bytes (void)
{
  static const char nul[] = "a = \"x\0y\"\n";
  static const char nul_line2[] = "a = 1\n\0";

  assert_load_error (nul, sizeof nul - 1, "profiles.toml:1:7: NUL byte");
  assert_load_error (nul_line2, sizeof nul_line2 - 1, "profiles.toml:2:1: NUL byte");
  assert_load_error ("a = \"\xc3\x28\"\n", -1, "profiles.toml:1:6: invalid UTF-8");
  assert_load_error ("a = 1\n\xff\n", -1, "profiles.toml:2:1: invalid UTF-8");
  assert_load_error ("a = \"\xed\xa0\x80\"\n", -1, "profiles.toml:1:6: invalid UTF-8"); /* a surrogate */
  assert_load_error ("a = \"\xc0\xaf\"\n", -1, "profiles.toml:1:6: invalid UTF-8");     /* overlong */
  assert_load_error ("a = \"\xe2\x82\"", -1, "profiles.toml:1:6: invalid UTF-8");      /* cut short */
}

static void
test_not_nul_terminated (void)
{
  /* the length is respected: the bytes after it are not read */
  static const char text[] = "active = \"abc\"XYZ";
  g_autoptr(PrefectCtxProfiles) profiles = load_ok (text, strlen ("active = \"abc\""));
  char *copy;

  g_assert_cmpstr (prefect_ctx_profiles_get_active_name (profiles), ==, "abc");

  /* a buffer that ends right after the last byte (valgrind/ASan see overreads) */
  copy = g_malloc (5);
  memcpy (copy, "a = 1", 5);
  g_clear_object (&profiles);
  profiles = load_ok (copy, 5);
  g_free (copy);
}

static void
test_depth (void)
{
  g_autoptr(GString) ok = g_string_new ("[t");
  g_autoptr(GString) deep = NULL;
  g_autoptr(GString) dotted = g_string_new ("[t");
  g_autofree char *message = NULL;
  g_autoptr(PrefectCtxProfiles) profiles = NULL;

  /* 32 levels of tables are fine (and keys in them); the 33rd is refused */
  for (int i = 1; i < 32; i++)
    g_string_append_printf (ok, ".k%d", i);
  deep = g_string_new (ok->str);
  g_string_append (ok, "]\nx = 1\n");
  profiles = load_ok (ok->str, -1);

  g_string_append (deep, ".last]\n");
  message = g_strdup_printf ("profiles.toml:1:%u: too deeply nested (at most 32 levels of tables)",
                             (guint) (strrchr (deep->str, '.') - deep->str + 2));
  assert_load_error (deep->str, -1, message);

  /* dotted keys count from the depth of their table */
  for (int i = 1; i < 31; i++)
    g_string_append_printf (dotted, ".k%d", i);
  g_string_append (dotted, "]\na = 1\nb.c = 2\nb.d.e = 3\n");
  assert_load_error (dotted->str, -1,
                     "profiles.toml:4:3: too deeply nested (at most 32 levels of tables)");
}

static void
test_huge (void)
{
  /* many keys: linear, not quadratic (this would take minutes otherwise) */
  g_autoptr(GString) text = g_string_new ("[profiles.big]\n");
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *message = NULL;
  gint64 start = g_get_monotonic_time ();

  for (int i = 0; i < 200000; i++)
    g_string_append_printf (text, "KEY_%d = %d\n", i, i);
  profiles = load_ok (text->str, (gssize) text->len);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 30 * G_USEC_PER_SEC);

  /* a very long line */
  g_string_append (line, "a = \"");
  for (int i = 0; i < 1000000; i++)
    g_string_append_c (line, 'x');
  g_string_append (line, "\" x\n");
  message = g_strdup_printf ("profiles.toml:1:%d: expected the end of the line after a value", 1000008);
  assert_load_error (line->str, (gssize) line->len, message);

  /* over the size limit */
  g_string_set_size (line, 8 * 1024 * 1024 + 1);
  memset (line->str, ' ', line->len);
  assert_load_error (line->str, (gssize) line->len,
                     "profiles.toml: too large (8388609 bytes, at most 8388608)");
}

static void
test_writer_escapes (void)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(PrefectCtxProfiles) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  PrefectCtxProfile *profile;

  profiles = load_ok ("[profiles.\"we\\\"ird\\u0001\"]\n"
                      "PREFECT_API_KEY = \"q\\\"b\\\\ \\b\\t\\n\\f\\r \\u0002 \\u007F \\u00e9\"\n"
                      "\"k\\u001f\" = -0.0\n", -1);
  text = prefect_ctx_profiles_to_toml (profiles);
  g_assert_cmpstr (text, ==,
                   "active = \"default\"\n"
                   "\n"
                   "[profiles.\"we\\\"ird\\u0001\"]\n"
                   "PREFECT_API_KEY = \"q\\\"b\\\\ \\b\\t\\n\\f\\r \\u0002 \\u007F \xc3\xa9\"\n"
                   "\"k\\u001F\" = -0.0\n");

  again = load_ok (text, -1);
  profile = prefect_ctx_profiles_lookup (again, "we\"ird\x01");
  g_assert_nonnull (profile);
  g_assert_cmpstr (prefect_ctx_profile_get_value (profile, "PREFECT_API_KEY"), ==,
                   "q\"b\\ \b\t\n\f\r \x02 \x7f \xc3\xa9");
  text_again = prefect_ctx_profiles_to_toml (again);
  g_assert_cmpstr (text, ==, text_again);
}

/* Every file of the fuzz corpus: accepted ones survive a write and read. */
static void
test_corpus (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "..", "fuzz", "corpus", "toml", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint accepted = 0, refused = 0;

  if (dir == NULL)
    {
      g_test_skip ("fuzz corpus not found");
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autoptr(PrefectCtxProfiles) profiles = NULL;
      g_autoptr(GError) error = NULL;

      profiles = prefect_ctx_profiles_load_from_file (path, &error);
      if (profiles == NULL)
        {
          g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
          g_assert_true (g_str_has_prefix (error->message, path));
          refused++;
        }
      else
        {
          g_autofree char *text = prefect_ctx_profiles_to_toml (profiles);
          g_autoptr(PrefectCtxProfiles) again = load_ok (text, -1);
          g_autofree char *text_again = prefect_ctx_profiles_to_toml (again);

          g_assert_cmpstr (text, ==, text_again);
          accepted++;
        }
    }

  g_assert_cmpuint (accepted, >=, 5);
  g_assert_cmpuint (refused, >=, 5);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/toml/comments-and-whitespace", test_comments_and_whitespace);
  g_test_add_func ("/toml/line-ends-and-bom", test_line_ends_and_bom);
  g_test_add_func ("/toml/empty", test_empty);
  g_test_add_func ("/toml/basic-strings", test_basic_strings);
  g_test_add_func ("/toml/literal-strings", test_literal_strings);
  g_test_add_func ("/toml/integers", test_integers);
  g_test_add_func ("/toml/floats", test_floats);
  g_test_add_func ("/toml/booleans", test_booleans);
  g_test_add_func ("/toml/keys", test_keys);
  g_test_add_func ("/toml/quoted-table-names", test_quoted_table_names);
  g_test_add_func ("/toml/dotted-keys", test_dotted_keys);
  g_test_add_func ("/toml/nested-profile-tables", test_nested_profile_tables);
  g_test_add_func ("/toml/table-rules", test_table_rules);
  g_test_add_func ("/toml/rejected", test_rejected);
  g_test_add_func ("/toml/bytes", test_bytes);
  g_test_add_func ("/toml/not-nul-terminated", test_not_nul_terminated);
  g_test_add_func ("/toml/depth", test_depth);
  g_test_add_func ("/toml/huge", test_huge);
  g_test_add_func ("/toml/writer-escapes", test_writer_escapes);
  g_test_add_func ("/toml/corpus", test_corpus);

  return g_test_run ();
}
