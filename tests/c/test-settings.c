/* test-settings.c: settings, profiles and the profiles file
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * PREFECT_HOME points at a fresh temporary directory for every test; the
 * real ~/.prefect is never touched.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include <prefectctx.h>

/* ------------------------------------------------------------------------ */
/* Fixture: a temporary PREFECT_HOME and a clean environment                */

typedef struct {
  char *home;
  char *profiles_path;
} Fixture;

static void
clear_environment (void)
{
  const char * const *names = prefect_ctx_settings_list_names ();

  for (guint i = 0; names[i] != NULL; i++)
    g_unsetenv (names[i]);
  g_unsetenv ("PREFECT_PROFILE");
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  clear_environment ();
  fixture->home = g_dir_make_tmp ("prefectctx-settings-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->profiles_path = g_build_filename (fixture->home, "profiles.toml", NULL);
  g_setenv ("PREFECT_HOME", fixture->home, TRUE);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      g_chmod (path, 0700);
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->home);
  g_free (fixture->home);
  g_free (fixture->profiles_path);
  clear_environment ();
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static GHashTable *
table_of (const char *first_name,
          ...)
{
  GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);
  const char *name = first_name;
  va_list args;

  va_start (args, first_name);
  while (name != NULL)
    {
      g_hash_table_insert (table, (gpointer) name, va_arg (args, char *));
      name = va_arg (args, const char *);
    }
  va_end (args);

  return table;
}

/* ------------------------------------------------------------------------ */
/* Settings                                                                  */

static void
test_settings_defaults (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PrefectCtxSettings) settings = prefect_ctx_settings_new ();
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  g_autofree char *expected_home = g_build_filename (g_get_home_dir (), ".prefect", NULL);
  g_autofree char *path = NULL;
  g_autofree char *expected_path = g_build_filename (expected_home, "profiles.toml", NULL);

  /* new () does not read the environment */
  home = prefect_ctx_settings_get_home (settings);
  g_assert_cmpstr (home, ==, expected_home);
  path = prefect_ctx_settings_get_profiles_path (settings);
  g_assert_cmpstr (path, ==, expected_path);
  g_assert_null (prefect_ctx_settings_get_api_url (settings));
  g_assert_null (prefect_ctx_settings_get_api_key (settings));
  g_assert_null (prefect_ctx_settings_get_ui_url (settings));
  g_assert_cmpstr (prefect_ctx_settings_get_logging_level (settings), ==, "INFO");
  g_assert_cmpint (prefect_ctx_settings_get_client_max_retries (settings), ==, 5);
  g_assert_cmpfloat (prefect_ctx_settings_get_client_retry_jitter_factor (settings), ==, 0.2);

  g_assert_null (prefect_ctx_settings_get_value (settings, "PREFECT_API_URL", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_settings_get_value (settings, "PREFECT_HOME", &error), ==, expected_home);
  g_assert_cmpstr (prefect_ctx_settings_get_value (settings, "PREFECT_CLIENT_MAX_RETRIES", &error), ==, "5");
  g_assert_cmpstr (prefect_ctx_settings_get_value (settings, "PREFECT_CLIENT_RETRY_JITTER_FACTOR", &error), ==, "0.2");
  g_assert_no_error (error);

  g_assert_false (prefect_ctx_settings_is_set (settings, "PREFECT_HOME"));
  g_assert_false (prefect_ctx_settings_is_set (settings, "PREFECT_LOGGING_LEVEL"));
  values = prefect_ctx_settings_dup_values (settings);
  g_assert_cmpuint (g_hash_table_size (values), ==, 0);
}

static void
test_settings_names (Fixture       *fixture,
                     gconstpointer  data)
{
  const char * const *names = prefect_ctx_settings_list_names ();
  static const char * const expected[] = {
    "PREFECT_API_KEY", "PREFECT_API_URL", "PREFECT_CLIENT_MAX_RETRIES",
    "PREFECT_CLIENT_RETRY_JITTER_FACTOR", "PREFECT_HOME", "PREFECT_LOGGING_LEVEL",
    "PREFECT_PROFILES_PATH", "PREFECT_UI_URL", NULL
  };

  g_assert_true (g_strv_equal ((const char * const *) names, expected));
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_assert_true (prefect_ctx_settings_name_is_known (names[i]));
      g_assert_cmpint (prefect_ctx_settings_name_is_secret (names[i]), ==,
                       strcmp (names[i], "PREFECT_API_KEY") == 0);
    }
  g_assert_false (prefect_ctx_settings_name_is_known ("PREFECT_PROFILE"));
  g_assert_false (prefect_ctx_settings_name_is_known ("PREFECT_FOO"));
  g_assert_false (prefect_ctx_settings_name_is_known ("prefect_api_url"));
  g_assert_false (prefect_ctx_settings_name_is_known (""));
  g_assert_false (prefect_ctx_settings_name_is_known (NULL));
  g_assert_false (prefect_ctx_settings_name_is_secret ("PREFECT_FOO"));
}

static void
test_settings_unknown (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(PrefectCtxSettings) settings = prefect_ctx_settings_new ();
  g_autoptr(PrefectCtxSettings) copy = NULL;
  g_autoptr(GHashTable) updates = table_of ("PREFECT_API_URL", "http://ok/api",
                                            "PREFECT_FOO", "1", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (prefect_ctx_settings_get_value (settings, "PREFECT_FOO", &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Unknown setting 'PREFECT_FOO'");
  g_clear_error (&error);

  g_assert_null (prefect_ctx_settings_get_value (settings, "PREFECT_PROFILE", &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* an unknown name in an update: nothing is created */
  copy = prefect_ctx_settings_copy_with_update (settings, updates, &error);
  g_assert_null (copy);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Unknown setting 'PREFECT_FOO'");
  g_clear_error (&error);

  g_assert_false (prefect_ctx_settings_is_set (settings, "PREFECT_FOO"));
  g_assert_false (prefect_ctx_settings_validate_value ("PREFECT_FOO", "x", &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Unknown setting 'PREFECT_FOO'");
}

static void
test_settings_environment (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(PrefectCtxSettings) settings = NULL;
  g_autoptr(PrefectCtxSettings) plain = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autofree char *home = NULL;
  g_autofree char *path = NULL;

  g_setenv ("PREFECT_API_URL", "http://env:4200/api", TRUE);
  g_setenv ("PREFECT_API_KEY", "pnu_env", TRUE);
  g_setenv ("PREFECT_LOGGING_LEVEL", "debug", TRUE);
  g_setenv ("PREFECT_CLIENT_MAX_RETRIES", " 7 ", TRUE);
  g_setenv ("PREFECT_CLIENT_RETRY_JITTER_FACTOR", "1.5", TRUE);
  g_setenv ("PREFECT_PROFILE", "dev", TRUE);         /* not a setting */
  g_setenv ("PREFECT_SOMETHING_ELSE", "x", TRUE);    /* ignored */

  settings = prefect_ctx_settings_new_from_environment ();
  home = prefect_ctx_settings_get_home (settings);
  g_assert_cmpstr (home, ==, fixture->home);
  path = prefect_ctx_settings_get_profiles_path (settings);
  g_assert_cmpstr (path, ==, fixture->profiles_path);
  g_assert_cmpstr (prefect_ctx_settings_get_api_url (settings), ==, "http://env:4200/api");
  g_assert_cmpstr (prefect_ctx_settings_get_api_key (settings), ==, "pnu_env");
  g_assert_cmpstr (prefect_ctx_settings_get_logging_level (settings), ==, "DEBUG");
  g_assert_cmpint (prefect_ctx_settings_get_client_max_retries (settings), ==, 7);
  g_assert_cmpfloat (prefect_ctx_settings_get_client_retry_jitter_factor (settings), ==, 1.5);
  g_assert_true (prefect_ctx_settings_is_set (settings, "PREFECT_API_URL"));
  g_assert_false (prefect_ctx_settings_is_set (settings, "PREFECT_UI_URL"));

  values = prefect_ctx_settings_dup_values (settings);
  g_assert_cmpuint (g_hash_table_size (values), ==, 6);
  g_assert_cmpstr (g_hash_table_lookup (values, "PREFECT_CLIENT_MAX_RETRIES"), ==, "7");
  g_assert_false (g_hash_table_contains (values, "PREFECT_PROFILE"));

  /* unset again: read at each call */
  g_unsetenv ("PREFECT_API_URL");
  g_unsetenv ("PREFECT_SOMETHING_ELSE");
  plain = prefect_ctx_settings_new_from_environment ();
  g_assert_null (prefect_ctx_settings_get_api_url (plain));
  g_assert_cmpstr (prefect_ctx_settings_get_api_url (settings), ==, "http://env:4200/api");
}

static void
test_settings_environment_invalid (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(PrefectCtxSettings) settings = NULL;
  g_autoptr(PrefectCtxSettings) strict = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("PREFECT_CLIENT_MAX_RETRIES", "many", TRUE);
  g_setenv ("PREFECT_API_URL", "http://still-read/api", TRUE);

  /* lenient: the bad variable is ignored with a message */
  g_test_expect_message ("PrefectCtx", G_LOG_LEVEL_MESSAGE,
                         "Ignoring environment variable PREFECT_CLIENT_MAX_RETRIES: Invalid value for "
                         "PREFECT_CLIENT_MAX_RETRIES: 'many' is not an integer between 0 and 2147483647");
  settings = prefect_ctx_settings_new_from_environment ();
  g_test_assert_expected_messages ();
  g_assert_cmpint (prefect_ctx_settings_get_client_max_retries (settings), ==, 5);
  g_assert_false (prefect_ctx_settings_is_set (settings, "PREFECT_CLIENT_MAX_RETRIES"));
  g_assert_cmpstr (prefect_ctx_settings_get_api_url (settings), ==, "http://still-read/api");

  /* strict */
  strict = prefect_ctx_settings_new_from_environ (NULL, &error);
  g_assert_null (strict);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==,
                   "Environment variable PREFECT_CLIENT_MAX_RETRIES: Invalid value for "
                   "PREFECT_CLIENT_MAX_RETRIES: 'many' is not an integer between 0 and 2147483647");
}

static void
test_settings_environ (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char * const envp[] = {
    "PATH=/usr/bin", "PREFECT_UI_URL=http://ui", "PREFECT_HOME=/opt/prefect", NULL
  };
  g_autoptr(PrefectCtxSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  /* only envp is read, not the process environment */
  g_setenv ("PREFECT_API_URL", "http://process/api", TRUE);
  settings = prefect_ctx_settings_new_from_environ (envp, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_settings_get_ui_url (settings), ==, "http://ui");
  g_assert_null (prefect_ctx_settings_get_api_url (settings));
  path = prefect_ctx_settings_get_profiles_path (settings);
  g_assert_cmpstr (path, ==, "/opt/prefect/profiles.toml");
}

static void
test_settings_update (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PrefectCtxSettings) settings = prefect_ctx_settings_new ();
  g_autoptr(PrefectCtxSettings) updated = NULL;
  g_autoptr(PrefectCtxSettings) unset = NULL;
  g_autoptr(PrefectCtxSettings) same = NULL;
  g_autoptr(GHashTable) updates = table_of ("PREFECT_API_URL", "http://u/api",
                                            "PREFECT_LOGGING_LEVEL", "Warning",
                                            "PREFECT_CLIENT_MAX_RETRIES", "+3",
                                            "PREFECT_CLIENT_RETRY_JITTER_FACTOR", " 0 ",
                                            NULL);
  g_autoptr(GHashTable) unset_updates = table_of ("PREFECT_API_URL", NULL,
                                                  "PREFECT_LOGGING_LEVEL", NULL, NULL);
  g_autoptr(GError) error = NULL;

  updated = prefect_ctx_settings_copy_with_update (settings, updates, &error);
  g_assert_no_error (error);
  g_assert_true (updated != settings);
  g_assert_cmpstr (prefect_ctx_settings_get_api_url (updated), ==, "http://u/api");
  g_assert_cmpstr (prefect_ctx_settings_get_logging_level (updated), ==, "WARNING");
  g_assert_cmpint (prefect_ctx_settings_get_client_max_retries (updated), ==, 3);
  g_assert_cmpstr (prefect_ctx_settings_get_value (updated, "PREFECT_CLIENT_MAX_RETRIES", NULL), ==, "3");
  g_assert_cmpfloat (prefect_ctx_settings_get_client_retry_jitter_factor (updated), ==, 0.0);
  g_assert_cmpstr (prefect_ctx_settings_get_value (updated, "PREFECT_CLIENT_RETRY_JITTER_FACTOR", NULL), ==, "0");

  /* the original is unchanged */
  g_assert_null (prefect_ctx_settings_get_api_url (settings));
  g_assert_cmpstr (prefect_ctx_settings_get_logging_level (settings), ==, "INFO");

  /* NULL unsets: back to the default */
  unset = prefect_ctx_settings_copy_with_update (updated, unset_updates, &error);
  g_assert_no_error (error);
  g_assert_null (prefect_ctx_settings_get_api_url (unset));
  g_assert_false (prefect_ctx_settings_is_set (unset, "PREFECT_LOGGING_LEVEL"));
  g_assert_cmpstr (prefect_ctx_settings_get_logging_level (unset), ==, "INFO");
  g_assert_cmpint (prefect_ctx_settings_get_client_max_retries (unset), ==, 3);

  /* NULL updates: a copy */
  same = prefect_ctx_settings_copy_with_update (updated, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_settings_get_api_url (same), ==, "http://u/api");
}

typedef struct {
  const char *name;
  const char *value;
  const char *message;
} BadValue;

static const BadValue bad_values[] = {
  { "PREFECT_CLIENT_MAX_RETRIES", "x",
    "Invalid value for PREFECT_CLIENT_MAX_RETRIES: 'x' is not an integer between 0 and 2147483647" },
  { "PREFECT_CLIENT_MAX_RETRIES", "-1",
    "Invalid value for PREFECT_CLIENT_MAX_RETRIES: '-1' is not an integer between 0 and 2147483647" },
  { "PREFECT_CLIENT_MAX_RETRIES", "2.5",
    "Invalid value for PREFECT_CLIENT_MAX_RETRIES: '2.5' is not an integer between 0 and 2147483647" },
  { "PREFECT_CLIENT_MAX_RETRIES", "++5",
    "Invalid value for PREFECT_CLIENT_MAX_RETRIES: '++5' is not an integer between 0 and 2147483647" },
  { "PREFECT_CLIENT_MAX_RETRIES", "",
    "Invalid value for PREFECT_CLIENT_MAX_RETRIES: '' is not an integer between 0 and 2147483647" },
  { "PREFECT_CLIENT_MAX_RETRIES", "99999999999",
    "Invalid value for PREFECT_CLIENT_MAX_RETRIES: '99999999999' is not an integer between 0 and 2147483647" },
  { "PREFECT_CLIENT_RETRY_JITTER_FACTOR", "much",
    "Invalid value for PREFECT_CLIENT_RETRY_JITTER_FACTOR: 'much' is not a number greater than or equal to 0" },
  { "PREFECT_CLIENT_RETRY_JITTER_FACTOR", "-0.5",
    "Invalid value for PREFECT_CLIENT_RETRY_JITTER_FACTOR: '-0.5' is not a number greater than or equal to 0" },
  { "PREFECT_CLIENT_RETRY_JITTER_FACTOR", "inf",
    "Invalid value for PREFECT_CLIENT_RETRY_JITTER_FACTOR: 'inf' is not a number greater than or equal to 0" },
  { "PREFECT_CLIENT_RETRY_JITTER_FACTOR", "0x10",
    "Invalid value for PREFECT_CLIENT_RETRY_JITTER_FACTOR: '0x10' is not a number greater than or equal to 0" },
  { "PREFECT_LOGGING_LEVEL", "LOUD",
    "Invalid value for PREFECT_LOGGING_LEVEL: 'LOUD' is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL" },
  { "PREFECT_HOME", "", "Invalid value for PREFECT_HOME: a path must not be empty" },
  { "PREFECT_PROFILES_PATH", "", "Invalid value for PREFECT_PROFILES_PATH: a path must not be empty" },
  { "PREFECT_API_URL", "\xff", "Invalid value for PREFECT_API_URL: not valid UTF-8" },
};

static void
test_settings_bad_values (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(PrefectCtxSettings) settings = prefect_ctx_settings_new ();

  for (guint i = 0; i < G_N_ELEMENTS (bad_values); i++)
    {
      g_autoptr(GHashTable) updates = table_of (bad_values[i].name, bad_values[i].value, NULL);
      g_autoptr(PrefectCtxSettings) copy = NULL;
      g_autoptr(GError) error = NULL;

      copy = prefect_ctx_settings_copy_with_update (settings, updates, &error);
      g_assert_null (copy);
      g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (error->message, ==, bad_values[i].message);
      g_clear_error (&error);

      g_assert_false (prefect_ctx_settings_validate_value (bad_values[i].name, bad_values[i].value, &error));
      g_assert_cmpstr (error->message, ==, bad_values[i].message);
    }

  /* every level, in any case */
  for (guint i = 0; i < 5; i++)
    {
      static const char * const levels[] = { "debug", "Info", "WARNING", "error", "critical" };
      g_autoptr(GError) error = NULL;

      g_assert_true (prefect_ctx_settings_validate_value ("PREFECT_LOGGING_LEVEL", levels[i], &error));
      g_assert_no_error (error);
    }
}

static void
test_settings_paths (Fixture       *fixture,
                     gconstpointer  data)
{
  struct {
    const char *home;
    const char *profiles_path;
    const char *expected_home;
    const char *expected_path;
  } cases[] = {
    { "/opt/p", NULL, "/opt/p", "/opt/p/profiles.toml" },
    { "/opt/p", "${PREFECT_HOME}/other.toml", "/opt/p", "/opt/p/other.toml" },
    { "/opt/p", "$PREFECT_HOME/other.toml", "/opt/p", "/opt/p/other.toml" },
    { "/opt/p", "$PREFECT_HOMEY/x", "/opt/p", "$PREFECT_HOMEY/x" },
    { "/opt/p", "$$PREFECT_HOME/x", "/opt/p", "$PREFECT_HOME/x" },
    { "/opt/p", "/elsewhere/p.toml", "/opt/p", "/elsewhere/p.toml" },
    { "~", "~/p.toml", "HOME", "HOME/p.toml" },
    { "~/x", NULL, "HOME/x", "HOME/x/profiles.toml" },
    { "~other/x", NULL, "~other/x", "~other/x/profiles.toml" },
    { "relative", NULL, "relative", "relative/profiles.toml" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PrefectCtxSettings) base = prefect_ctx_settings_new ();
      g_autoptr(GHashTable) updates = table_of ("PREFECT_HOME", cases[i].home, NULL);
      g_autoptr(PrefectCtxSettings) settings = NULL;
      g_autoptr(GHashTable) values = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *home = NULL;
      g_autofree char *path = NULL;
      g_autofree char *expected_home = NULL;
      g_autofree char *expected_path = NULL;
      g_auto(GStrv) split_home = NULL;
      g_auto(GStrv) split_path = NULL;

      if (cases[i].profiles_path != NULL)
        g_hash_table_insert (updates, "PREFECT_PROFILES_PATH", (gpointer) cases[i].profiles_path);
      settings = prefect_ctx_settings_copy_with_update (base, updates, &error);
      g_assert_no_error (error);

      split_home = g_strsplit (cases[i].expected_home, "HOME", -1);
      expected_home = g_strjoinv (g_get_home_dir (), split_home);
      split_path = g_strsplit (cases[i].expected_path, "HOME", -1);
      expected_path = g_strjoinv (g_get_home_dir (), split_path);
      /* "$PREFECT_HOME..." contains HOME too: those cases have no ~ */
      if (cases[i].home[0] != '~')
        {
          g_free (expected_home);
          g_free (expected_path);
          expected_home = g_strdup (cases[i].expected_home);
          expected_path = g_strdup (cases[i].expected_path);
        }

      home = prefect_ctx_settings_get_home (settings);
      path = prefect_ctx_settings_get_profiles_path (settings);
      g_assert_cmpstr (home, ==, expected_home);
      g_assert_cmpstr (path, ==, expected_path);
      g_assert_cmpstr (prefect_ctx_settings_get_value (settings, "PREFECT_PROFILES_PATH", NULL), ==, expected_path);

      /* dup_values () keeps what was set, unexpanded */
      values = prefect_ctx_settings_dup_values (settings);
      g_assert_cmpstr (g_hash_table_lookup (values, "PREFECT_HOME"), ==, cases[i].home);
      g_assert_cmpstr (g_hash_table_lookup (values, "PREFECT_PROFILES_PATH"), ==, cases[i].profiles_path);
    }
}

static void
test_settings_redaction (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PrefectCtxSettings) base = prefect_ctx_settings_new ();
  g_autoptr(GHashTable) updates = table_of ("PREFECT_API_KEY", "pnu_secret_value",
                                            "PREFECT_API_URL", "http://x/api",
                                            "PREFECT_HOME", "/opt/p", NULL);
  g_autoptr(PrefectCtxSettings) settings = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_secret = NULL;
  g_autofree char *json_base = NULL;
  JsonObject *object;

  settings = prefect_ctx_settings_copy_with_update (base, updates, &error);
  g_assert_no_error (error);

  text = prefect_ctx_settings_to_string (settings);
  g_assert_null (strstr (text, "pnu_secret_value"));
  g_assert_cmpstr (text, ==,
                   "PREFECT_API_KEY='********'\n"
                   "PREFECT_API_URL='http://x/api'\n"
                   "PREFECT_CLIENT_MAX_RETRIES='5'\n"
                   "PREFECT_CLIENT_RETRY_JITTER_FACTOR='0.2'\n"
                   "PREFECT_HOME='/opt/p'\n"
                   "PREFECT_LOGGING_LEVEL='INFO'\n"
                   "PREFECT_PROFILES_PATH='/opt/p/profiles.toml'\n");

  json = prefect_ctx_settings_to_json (settings, FALSE);
  g_assert_null (strstr (json, "pnu_secret_value"));
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (object), ==, 8);
  g_assert_cmpstr (json_object_get_string_member (object, "PREFECT_API_KEY"), ==, PREFECT_CTX_SECRET_PLACEHOLDER);
  g_assert_cmpstr (json_object_get_string_member (object, "PREFECT_API_URL"), ==, "http://x/api");
  g_assert_cmpstr (json_object_get_string_member (object, "PREFECT_HOME"), ==, "/opt/p");
  g_assert_true (json_object_get_null_member (object, "PREFECT_UI_URL"));

  json_secret = prefect_ctx_settings_to_json (settings, TRUE);
  g_assert_cmpstr (json_secret, ==,
                   "{\"PREFECT_API_KEY\":\"pnu_secret_value\",\"PREFECT_API_URL\":\"http://x/api\","
                   "\"PREFECT_CLIENT_MAX_RETRIES\":\"5\",\"PREFECT_CLIENT_RETRY_JITTER_FACTOR\":\"0.2\","
                   "\"PREFECT_HOME\":\"/opt/p\",\"PREFECT_LOGGING_LEVEL\":\"INFO\","
                   "\"PREFECT_PROFILES_PATH\":\"/opt/p/profiles.toml\",\"PREFECT_UI_URL\":null}");

  /* an unset secret is null either way */
  json_base = prefect_ctx_settings_to_json (base, FALSE);
  g_assert_nonnull (strstr (json_base, "\"PREFECT_API_KEY\":null"));

  /* the typed getter gives the real value: that is how a client reads it */
  g_assert_cmpstr (prefect_ctx_settings_get_api_key (settings), ==, "pnu_secret_value");
}

static void
test_settings_dup_values_round_trip (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(PrefectCtxSettings) base = prefect_ctx_settings_new ();
  g_autoptr(GHashTable) updates = table_of ("PREFECT_API_KEY", "k", "PREFECT_LOGGING_LEVEL", "error",
                                            "PREFECT_PROFILES_PATH", "${PREFECT_HOME}/x.toml", NULL);
  g_autoptr(PrefectCtxSettings) settings = NULL;
  g_autoptr(PrefectCtxSettings) again = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;

  settings = prefect_ctx_settings_copy_with_update (base, updates, NULL);
  values = prefect_ctx_settings_dup_values (settings);
  again = prefect_ctx_settings_copy_with_update (base, values, NULL);
  json = prefect_ctx_settings_to_json (settings, TRUE);
  json_again = prefect_ctx_settings_to_json (again, TRUE);
  g_assert_cmpstr (json, ==, json_again);
}

/* Objects made by g_object_new () (as bindings may) hold the defaults. */
static void
test_g_object_new (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(PrefectCtxSettings) settings = g_object_new (PREFECT_CTX_TYPE_SETTINGS, NULL);
  g_autoptr(PrefectCtxProfile) profile = g_object_new (PREFECT_CTX_TYPE_PROFILE, NULL);
  g_autoptr(PrefectCtxProfiles) profiles = g_object_new (PREFECT_CTX_TYPE_PROFILES, NULL);
  g_autofree char *text = NULL;

  g_assert_cmpstr (prefect_ctx_settings_get_logging_level (settings), ==, "INFO");
  g_assert_cmpint (prefect_ctx_settings_get_client_max_retries (settings), ==, 5);
  g_assert_cmpstr (prefect_ctx_profile_get_name (profile), ==, "");
  g_assert_cmpuint (g_variant_n_children (prefect_ctx_profile_get_settings (profile)), ==, 0);
  text = prefect_ctx_profile_to_string (profile);
  g_assert_cmpstr (text, ==, "[]\n");
  g_assert_cmpstr (prefect_ctx_profiles_get_active_name (profiles), ==, "default");
}

/* ------------------------------------------------------------------------ */
/* Profile                                                                   */

static void
test_profile_new (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GHashTable) settings = table_of ("PREFECT_API_URL", "http://p/api",
                                             "PREFECT_API_KEY", "pnu_p", NULL);
  g_autoptr(PrefectCtxProfile) profile = NULL;
  g_autoptr(PrefectCtxProfile) empty = NULL;
  g_autoptr(GHashTable) copy = NULL;
  g_autoptr(GVariant) property = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *source = NULL;
  g_autofree char *text = NULL;
  g_autofree char *printed = NULL;

  profile = prefect_ctx_profile_new ("dev", settings, "/x/profiles.toml", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_profile_get_name (profile), ==, "dev");
  g_assert_cmpstr (prefect_ctx_profile_get_source_path (profile), ==, "/x/profiles.toml");
  g_assert_cmpstr (prefect_ctx_profile_get_value (profile, "PREFECT_API_URL"), ==, "http://p/api");
  g_assert_null (prefect_ctx_profile_get_value (profile, "PREFECT_UI_URL"));
  g_assert_null (prefect_ctx_profile_get_value (profile, "PREFECT_FOO"));

  /* a{ss}, sorted */
  printed = g_variant_print (prefect_ctx_profile_get_settings (profile), TRUE);
  g_assert_cmpstr (printed, ==, "{'PREFECT_API_KEY': 'pnu_p', 'PREFECT_API_URL': 'http://p/api'}");

  copy = prefect_ctx_profile_dup_settings (profile);
  g_assert_cmpuint (g_hash_table_size (copy), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (copy, "PREFECT_API_KEY"), ==, "pnu_p");

  g_object_get (profile, "name", &name, "source-path", &source, "settings", &property, NULL);
  g_assert_cmpstr (name, ==, "dev");
  g_assert_cmpstr (source, ==, "/x/profiles.toml");
  g_assert_true (g_variant_equal (property, prefect_ctx_profile_get_settings (profile)));

  text = prefect_ctx_profile_to_string (profile);
  g_assert_cmpstr (text, ==, "[dev]\nPREFECT_API_KEY='********'\nPREFECT_API_URL='http://p/api'\n");

  empty = prefect_ctx_profile_new ("empty", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (prefect_ctx_profile_get_settings (empty)), ==, 0);
  g_assert_null (prefect_ctx_profile_get_source_path (empty));
}

static void
test_profile_invalid (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GHashTable) unknown = table_of ("PREFECT_API_URL", "u", "PREFECT_FOO", "1", NULL);
  g_autoptr(GHashTable) null_value = table_of ("PREFECT_API_URL", NULL, NULL);
  g_autoptr(GHashTable) bad_utf8 = table_of ("PREFECT_API_URL", "\xff", NULL);
  g_autoptr(GHashTable) bad_value = table_of ("PREFECT_CLIENT_MAX_RETRIES", "x", NULL);
  g_autoptr(PrefectCtxProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (prefect_ctx_profile_new ("", NULL, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Profile name must not be empty");
  g_clear_error (&error);

  g_assert_null (prefect_ctx_profile_new ("\xff", NULL, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Profile name is not valid UTF-8");
  g_clear_error (&error);

  g_assert_null (prefect_ctx_profile_new ("dev", unknown, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Profile 'dev': Unknown setting 'PREFECT_FOO'");
  g_clear_error (&error);

  g_assert_null (prefect_ctx_profile_new ("dev", null_value, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Profile 'dev': setting PREFECT_API_URL has no value");
  g_clear_error (&error);

  g_assert_null (prefect_ctx_profile_new ("dev", bad_utf8, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Profile 'dev': the value of PREFECT_API_URL is not valid UTF-8");
  g_clear_error (&error);

  /* values are checked on use (or validate ()), as Prefect does */
  profile = prefect_ctx_profile_new ("dev", bad_value, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (prefect_ctx_profile_validate (profile, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==,
                   "Profile 'dev': Invalid value for PREFECT_CLIENT_MAX_RETRIES: "
                   "'x' is not an integer between 0 and 2147483647");
}

static void
test_profile_validate (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GHashTable) good = table_of ("PREFECT_CLIENT_MAX_RETRIES", "3",
                                         "PREFECT_LOGGING_LEVEL", "debug", NULL);
  g_autoptr(PrefectCtxProfile) profile = prefect_ctx_profile_new ("ok", good, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (prefect_ctx_profile_validate (profile, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------------ */
/* Profiles                                                                  */

static const char sample_file[] =
  "# written by hand\n"
  "active = \"dev\"\n"
  "format = 1\n"
  "\n"
  "[profiles.default]\n"
  "PREFECT_LOGGING_LEVEL = \"WARNING\"\n"
  "\n"
  "[profiles.dev]\n"
  "PREFECT_API_URL = \"http://127.0.0.1:4200/api\"\n"
  "PREFECT_CLIENT_MAX_RETRIES = 3\n"
  "PREFECT_SERVER_API_HOST = \"0.0.0.0\"   # a setting this library does not know\n"
  "\n"
  "[profiles.dev.extra]\n"
  "nested = true\n"
  "\n"
  "[profiles.cloud]\n"
  "PREFECT_API_URL = \"https://api.prefect.cloud/api/accounts/a/workspaces/w\"\n"
  "PREFECT_API_KEY = \"pnu_cloud\"\n"
  "\n"
  "[tool.other]\n"
  "kept = 'yes'\n";

static void
test_profiles_missing_file (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *names;
  PrefectCtxProfile *profile;

  profiles = prefect_ctx_profiles_load (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_profiles_get_path (profiles), ==, fixture->profiles_path);
  names = prefect_ctx_profiles_get_names (profiles);
  g_assert_cmpuint (g_strv_length ((char **) names), ==, 1);
  g_assert_cmpstr (names[0], ==, PREFECT_CTX_DEFAULT_PROFILE);
  g_assert_cmpstr (prefect_ctx_profiles_get_active_name (profiles), ==, "default");
  profile = prefect_ctx_profiles_get_active (profiles);
  g_assert_nonnull (profile);
  g_assert_cmpstr (prefect_ctx_profile_get_name (profile), ==, "default");
  g_assert_null (prefect_ctx_profile_get_source_path (profile));
  g_assert_cmpuint (g_variant_n_children (prefect_ctx_profile_get_settings (profile)), ==, 0);

  /* the file was not created by loading */
  g_assert_false (g_file_test (fixture->profiles_path, G_FILE_TEST_EXISTS));

  /* missing directory too */
  g_clear_object (&profiles);
  profiles = prefect_ctx_profiles_load_from_file ("/nonexistent/dir/profiles.toml", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_profiles_get_active_name (profiles), ==, "default");
}

static void
test_profiles_load (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *names;
  PrefectCtxProfile *dev;
  PrefectCtxProfile *def;
  g_autofree char *active = NULL;
  g_autofree char *path = NULL;

  write_file (fixture->profiles_path, sample_file);
  profiles = prefect_ctx_profiles_load (&error);
  g_assert_no_error (error);

  names = prefect_ctx_profiles_get_names (profiles);
  g_assert_cmpuint (g_strv_length ((char **) names), ==, 3);
  g_assert_cmpstr (names[0], ==, "default");
  g_assert_cmpstr (names[1], ==, "dev");
  g_assert_cmpstr (names[2], ==, "cloud");
  g_assert_cmpstr (prefect_ctx_profiles_get_active_name (profiles), ==, "dev");
  g_object_get (profiles, "active-name", &active, "path", &path, NULL);
  g_assert_cmpstr (active, ==, "dev");
  g_assert_cmpstr (path, ==, fixture->profiles_path);

  dev = prefect_ctx_profiles_get_active (profiles);
  g_assert_true (dev == prefect_ctx_profiles_lookup (profiles, "dev"));
  g_assert_cmpstr (prefect_ctx_profile_get_source_path (dev), ==, fixture->profiles_path);
  g_assert_cmpstr (prefect_ctx_profile_get_value (dev, "PREFECT_API_URL"), ==, "http://127.0.0.1:4200/api");
  g_assert_cmpstr (prefect_ctx_profile_get_value (dev, "PREFECT_CLIENT_MAX_RETRIES"), ==, "3");
  /* unknown keys are not settings */
  g_assert_cmpuint (g_variant_n_children (prefect_ctx_profile_get_settings (dev)), ==, 2);

  def = prefect_ctx_profiles_lookup (profiles, "default");
  g_assert_cmpstr (prefect_ctx_profile_get_value (def, "PREFECT_LOGGING_LEVEL"), ==, "WARNING");
  g_assert_cmpstr (prefect_ctx_profile_get_source_path (def), ==, fixture->profiles_path);
  g_assert_null (prefect_ctx_profiles_lookup (profiles, "nope"));
}

static void
test_profiles_load_path_from_environment (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autofree char *other = g_build_filename (fixture->home, "elsewhere.toml", NULL);
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(GError) error = NULL;

  write_file (other, "active = \"x\"\n[profiles.x]\n");
  g_setenv ("PREFECT_PROFILES_PATH", "${PREFECT_HOME}/elsewhere.toml", TRUE);
  profiles = prefect_ctx_profiles_load (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_profiles_get_path (profiles), ==, other);
  g_assert_cmpstr (prefect_ctx_profiles_get_active_name (profiles), ==, "x");
}

static void
test_profiles_load_errors (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *dir = g_build_filename (fixture->home, "dir.toml", NULL);

  /* a syntax error names the file, line and column */
  write_file (fixture->profiles_path, "active = \"x\"\n\n[profiles.x]\nKEY \"y\"\n");
  profiles = prefect_ctx_profiles_load (&error);
  g_assert_null (profiles);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  message = g_strdup_printf ("%s:4:5: expected '='", fixture->profiles_path);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);

  /* not a regular file */
  g_mkdir (dir, 0700);
  profiles = prefect_ctx_profiles_load_from_file (dir, &error);
  g_assert_null (profiles);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_clear_error (&error);

  /* a directory in the way */
  g_clear_pointer (&message, g_free);
  message = g_build_filename (fixture->profiles_path, "sub.toml", NULL);
  write_file (fixture->profiles_path, "");
  profiles = prefect_ctx_profiles_load_from_file (message, &error);
  g_assert_null (profiles);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR);
  g_clear_error (&error);

  /* too large: refused from its size, before it is read (a sparse file) */
  g_assert_no_errno (truncate (fixture->profiles_path, 8 * 1024 * 1024 + 1));
  profiles = prefect_ctx_profiles_load_from_file (fixture->profiles_path, &error);
  g_assert_null (profiles);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_clear_pointer (&message, g_free);
  message = g_strdup_printf ("%s: too large (8388609 bytes, at most 8388608)",
                             fixture->profiles_path);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_profiles_active_not_found (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(GError) error = NULL;

  /* loading does not check the active name: the root context warns about it */
  write_file (fixture->profiles_path, "active = \"nope\"\n[profiles.dev]\n");
  profiles = prefect_ctx_profiles_load (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_profiles_get_active_name (profiles), ==, "nope");
  g_assert_null (prefect_ctx_profiles_get_active (profiles));
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_profiles_set_active (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(PrefectCtxProfile) dev = prefect_ctx_profile_new ("dev", NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  profiles = prefect_ctx_profiles_new ();
  g_assert_null (prefect_ctx_profiles_get_path (profiles));
  g_signal_connect (profiles, "notify::active-name", G_CALLBACK (on_notify), &notified);

  g_assert_false (prefect_ctx_profiles_set_active (profiles, "dev", &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Unknown profile name 'dev'.");
  g_clear_error (&error);
  g_assert_cmpstr (prefect_ctx_profiles_get_active_name (profiles), ==, "default");
  g_assert_cmpuint (notified, ==, 0);

  prefect_ctx_profiles_add_profile (profiles, dev);
  g_assert_true (prefect_ctx_profiles_set_active (profiles, "dev", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (prefect_ctx_profiles_get_active_name (profiles), ==, "dev");
  g_assert_true (prefect_ctx_profiles_get_active (profiles) == dev);
  g_assert_cmpuint (notified, ==, 1);

  /* the same again: no notification */
  g_assert_true (prefect_ctx_profiles_set_active (profiles, "dev", NULL));
  g_assert_cmpuint (notified, ==, 1);

  g_assert_true (prefect_ctx_profiles_set_active (profiles, NULL, &error));
  g_assert_null (prefect_ctx_profiles_get_active_name (profiles));
  g_assert_null (prefect_ctx_profiles_get_active (profiles));
  g_assert_cmpuint (notified, ==, 2);
}

static void
test_profiles_add_replace_remove (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(GHashTable) settings = table_of ("PREFECT_API_URL", "http://new/api", NULL);
  g_autoptr(PrefectCtxProfile) dev2 = prefect_ctx_profile_new ("dev", settings, NULL, NULL);
  g_autoptr(PrefectCtxProfile) extra = prefect_ctx_profile_new ("zeta", NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  const char * const *names;

  write_file (fixture->profiles_path, sample_file);
  profiles = prefect_ctx_profiles_load (&error);
  g_assert_no_error (error);

  /* replace keeps the place */
  prefect_ctx_profiles_add_profile (profiles, dev2);
  names = prefect_ctx_profiles_get_names (profiles);
  g_assert_cmpstr (names[1], ==, "dev");
  g_assert_true (prefect_ctx_profiles_lookup (profiles, "dev") == dev2);

  /* add goes at the end */
  prefect_ctx_profiles_add_profile (profiles, extra);
  names = prefect_ctx_profiles_get_names (profiles);
  g_assert_cmpuint (g_strv_length ((char **) names), ==, 4);
  g_assert_cmpstr (names[3], ==, "zeta");

  /* remove */
  g_assert_false (prefect_ctx_profiles_remove_profile (profiles, "nope", &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Profile 'nope' not found.");
  g_clear_error (&error);

  g_assert_false (prefect_ctx_profiles_remove_profile (profiles, "dev", &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==,
                   "Profile 'dev' is the active profile. You must switch profiles before it can be deleted.");
  g_clear_error (&error);

  g_assert_true (prefect_ctx_profiles_remove_profile (profiles, "cloud", &error));
  g_assert_no_error (error);
  g_assert_null (prefect_ctx_profiles_lookup (profiles, "cloud"));
  names = prefect_ctx_profiles_get_names (profiles);
  g_assert_cmpuint (g_strv_length ((char **) names), ==, 3);
  g_assert_cmpstr (names[2], ==, "zeta");
}

static guint
file_mode (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return buf.st_mode & 0777;
}

static void
test_profiles_save_permissions (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (fixture->home, "new", "dir", NULL);
  g_autofree char *path = g_build_filename (dir, "profiles.toml", NULL);
  g_autoptr(PrefectCtxProfiles) profiles = prefect_ctx_profiles_new ();
  g_autoptr(GError) error = NULL;

  /* a new file in a new directory */
  g_assert_true (prefect_ctx_profiles_save (profiles, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_cmpuint (file_mode (dir), ==, 0700);

  /* an existing, world-readable file becomes 0600 */
  write_file (fixture->profiles_path, "active = \"default\"\n");
  g_chmod (fixture->profiles_path, 0644);
  g_assert_cmpuint (file_mode (fixture->profiles_path), ==, 0644);
  g_assert_true (prefect_ctx_profiles_save (profiles, fixture->profiles_path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (fixture->profiles_path), ==, 0600);
}

static void
test_profiles_save_default_path (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(PrefectCtxProfiles) plain = prefect_ctx_profiles_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  /* loaded without a file: saving creates it where it was looked for */
  profiles = prefect_ctx_profiles_load (&error);
  g_assert_no_error (error);
  g_assert_true (prefect_ctx_profiles_save (profiles, NULL, &error));
  g_assert_no_error (error);
  text = read_file (fixture->profiles_path);
  /* the built-in default profile is not written, as Prefect does */
  g_assert_cmpstr (text, ==, "active = \"default\"\n\n[profiles]\n");

  /* no path at all */
  g_assert_false (prefect_ctx_profiles_save (plain, NULL, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "No path to save the profiles to");
}

static guint
count_entries (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* In a subprocess: a file size limit makes writing the new file fail. */
static void
save_with_size_limit (const char *path)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(GString) big = g_string_new (NULL);
  g_autoptr(GHashTable) settings = NULL;
  g_autoptr(PrefectCtxProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  struct rlimit limit = { 4096, 4096 };

  profiles = prefect_ctx_profiles_load_from_file (path, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 10000; i++)
    g_string_append_c (big, 'x');
  settings = table_of ("PREFECT_API_URL", big->str, NULL);
  profile = prefect_ctx_profile_new ("big", settings, NULL, &error);
  prefect_ctx_profiles_add_profile (profiles, profile);

  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  g_assert_false (prefect_ctx_profiles_save (profiles, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, (int) g_file_error_from_errno (EFBIG));
  g_print ("save failed: %s\n", error->message);
}

static void
test_profiles_save_atomic (Fixture       *fixture,
                           gconstpointer  data)
{
  static const char original[] = "active = \"keep\"\n\n[profiles.keep]\nPREFECT_API_URL = \"old\"\n";
  g_autofree char *text = NULL;

  if (g_test_subprocess ())
    {
      save_with_size_limit (g_getenv ("PREFECT_CTX_TEST_PROFILES"));
      return;
    }

  write_file (fixture->profiles_path, original);
  g_setenv ("PREFECT_CTX_TEST_PROFILES", fixture->profiles_path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("PREFECT_CTX_TEST_PROFILES");
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*save failed:*");

  /* the old file is intact, and no temporary file is left behind */
  text = read_file (fixture->profiles_path);
  g_assert_cmpstr (text, ==, original);
  g_assert_cmpuint (count_entries (fixture->home), ==, 1);
}

static void
test_profiles_save_unwritable (Fixture       *fixture,
                               gconstpointer  data)
{
  static const char original[] = "active = \"keep\"\n";
  g_autofree char *dir = g_build_filename (fixture->home, "locked", NULL);
  g_autofree char *path = g_build_filename (dir, "profiles.toml", NULL);
  g_autoptr(PrefectCtxProfiles) profiles = prefect_ctx_profiles_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("root can write to read-only directories (the size-limit test covers this)");
      return;
    }

  g_mkdir (dir, 0700);
  write_file (path, original);
  g_chmod (dir, 0500);
  g_assert_false (prefect_ctx_profiles_save (profiles, path, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ACCES);
  g_chmod (dir, 0700);

  text = read_file (path);
  g_assert_cmpstr (text, ==, original);
  g_assert_cmpuint (count_entries (dir), ==, 1);
}

static void
test_profiles_save_symlink (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *real = g_build_filename (fixture->home, "real.toml", NULL);
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  write_file (real, "active = \"a\"\n[profiles.a]\n");
  g_assert_cmpint (symlink ("real.toml", fixture->profiles_path), ==, 0);
  profiles = prefect_ctx_profiles_load (&error);
  g_assert_no_error (error);
  g_assert_true (prefect_ctx_profiles_set_active (profiles, "default", &error));
  g_assert_true (prefect_ctx_profiles_save (profiles, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_test (fixture->profiles_path, G_FILE_TEST_IS_SYMLINK));
  text = read_file (real);
  g_assert_true (g_str_has_prefix (text, "active = \"default\"\n"));
}

static void
test_profiles_unknown_kept (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(GHashTable) settings = table_of ("PREFECT_API_URL", "http://replaced/api", NULL);
  g_autoptr(PrefectCtxProfile) cloud = prefect_ctx_profile_new ("cloud", settings, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  write_file (fixture->profiles_path, sample_file);
  profiles = prefect_ctx_profiles_load (&error);
  g_assert_no_error (error);
  /* a replaced profile drops the unknown keys of the old one */
  prefect_ctx_profiles_add_profile (profiles, cloud);
  g_assert_true (prefect_ctx_profiles_save (profiles, NULL, &error));
  g_assert_no_error (error);

  text = read_file (fixture->profiles_path);
  g_assert_cmpstr (text, ==,
                   "active = \"dev\"\n"
                   "format = 1\n"
                   "\n"
                   "[profiles.default]\n"
                   "PREFECT_LOGGING_LEVEL = \"WARNING\"\n"
                   "\n"
                   "[profiles.dev]\n"
                   "PREFECT_API_URL = \"http://127.0.0.1:4200/api\"\n"
                   "PREFECT_CLIENT_MAX_RETRIES = \"3\"\n"
                   "PREFECT_SERVER_API_HOST = \"0.0.0.0\"\n"
                   "\n"
                   "[profiles.dev.extra]\n"
                   "nested = true\n"
                   "\n"
                   "[profiles.cloud]\n"
                   "PREFECT_API_URL = \"http://replaced/api\"\n"
                   "\n"
                   "[tool.other]\n"
                   "kept = \"yes\"\n");
}

static void
assert_same_profiles (PrefectCtxProfiles *a,
                      PrefectCtxProfiles *b)
{
  const char * const *names = prefect_ctx_profiles_get_names (a);

  g_assert_true (g_strv_equal (names, prefect_ctx_profiles_get_names (b)));
  g_assert_cmpstr (prefect_ctx_profiles_get_active_name (a), ==, prefect_ctx_profiles_get_active_name (b));
  for (guint i = 0; names[i] != NULL; i++)
    {
      PrefectCtxProfile *pa = prefect_ctx_profiles_lookup (a, names[i]);
      PrefectCtxProfile *pb = prefect_ctx_profiles_lookup (b, names[i]);

      g_assert_true (g_variant_equal (prefect_ctx_profile_get_settings (pa),
                                      prefect_ctx_profile_get_settings (pb)));
    }
}

static void
test_profiles_round_trip (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *corpus = g_test_build_filename (G_TEST_DIST, "..", "fuzz", "corpus", "toml",
                                                   "05-strings.toml", NULL);
  const char *files[] = { NULL, NULL };
  g_autofree char *sample_path = g_build_filename (fixture->home, "sample.toml", NULL);

  write_file (sample_path, sample_file);
  files[0] = sample_path;
  files[1] = corpus;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(PrefectCtxProfiles) first = NULL;
      g_autoptr(PrefectCtxProfiles) second = NULL;
      g_autoptr(PrefectCtxProfiles) third = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *saved = NULL;
      g_autofree char *saved_again = NULL;

      if (!g_file_test (files[i], G_FILE_TEST_EXISTS))
        continue;

      first = prefect_ctx_profiles_load_from_file (files[i], &error);
      g_assert_no_error (error);
      g_assert_true (prefect_ctx_profiles_save (first, fixture->profiles_path, &error));
      g_assert_no_error (error);
      second = prefect_ctx_profiles_load (&error);
      g_assert_no_error (error);
      assert_same_profiles (first, second);

      /* and the saved text is a fixed point */
      saved = read_file (fixture->profiles_path);
      g_assert_true (prefect_ctx_profiles_save (second, NULL, &error));
      saved_again = read_file (fixture->profiles_path);
      g_assert_cmpstr (saved, ==, saved_again);
      third = prefect_ctx_profiles_load (&error);
      g_assert_no_error (error);
      assert_same_profiles (first, third);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/settings/defaults", test_settings_defaults);
  ADD ("/settings/names", test_settings_names);
  ADD ("/settings/unknown", test_settings_unknown);
  ADD ("/settings/environment", test_settings_environment);
  ADD ("/settings/environment-invalid", test_settings_environment_invalid);
  ADD ("/settings/environ", test_settings_environ);
  ADD ("/settings/update", test_settings_update);
  ADD ("/settings/bad-values", test_settings_bad_values);
  ADD ("/settings/paths", test_settings_paths);
  ADD ("/settings/redaction", test_settings_redaction);
  ADD ("/settings/dup-values-round-trip", test_settings_dup_values_round_trip);
  ADD ("/settings/g-object-new", test_g_object_new);
  ADD ("/profile/new", test_profile_new);
  ADD ("/profile/invalid", test_profile_invalid);
  ADD ("/profile/validate", test_profile_validate);
  ADD ("/profiles/missing-file", test_profiles_missing_file);
  ADD ("/profiles/load", test_profiles_load);
  ADD ("/profiles/load-path-from-environment", test_profiles_load_path_from_environment);
  ADD ("/profiles/load-errors", test_profiles_load_errors);
  ADD ("/profiles/active-not-found", test_profiles_active_not_found);
  ADD ("/profiles/set-active", test_profiles_set_active);
  ADD ("/profiles/add-replace-remove", test_profiles_add_replace_remove);
  ADD ("/profiles/save-permissions", test_profiles_save_permissions);
  ADD ("/profiles/save-default-path", test_profiles_save_default_path);
  ADD ("/profiles/save-atomic", test_profiles_save_atomic);
  ADD ("/profiles/save-unwritable", test_profiles_save_unwritable);
  ADD ("/profiles/save-symlink", test_profiles_save_symlink);
  ADD ("/profiles/unknown-kept", test_profiles_unknown_kept);
  ADD ("/profiles/round-trip", test_profiles_round_trip);

  return g_test_run ();
}
