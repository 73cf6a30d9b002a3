/* test-settings-context.c: SettingsContext, the root settings context and
 * use_profile (layer 3)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The process runs without any PREFECT_* variable of the caller's, with
 * PREFECT_HOME in a temporary directory holding a profiles file. The root
 * settings context is made once per process, so every test of the profile
 * it chooses runs in a subprocess (g_test_trap_subprocess) that sets its
 * environment first.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <prefectctx.h>

static char *tmp_dir;        /* removed at the end */
static char *prefect_home;   /* $tmp/home, holds profiles.toml */
static char *other_profiles; /* $tmp/other.toml: active profile unknown */

static const char profiles_toml[] =
  "active = \"dev\"\n"
  "\n"
  "[profiles.default]\n"
  "\n"
  "[profiles.dev]\n"
  "PREFECT_API_URL = \"http://dev.test/api\"\n"
  "PREFECT_LOGGING_LEVEL = \"DEBUG\"\n"
  "\n"
  "[profiles.other]\n"
  "PREFECT_API_URL = \"http://other.test/api\"\n"
  "\n"
  "[profiles.cli]\n"
  "PREFECT_API_URL = \"http://cli.test/api\"\n"
  "\n"
  "[profiles.quiet]\n"
  "PREFECT_CLIENT_MAX_RETRIES = \"9\"\n"
  "\n"
  "[profiles.broken]\n"
  "PREFECT_CLIENT_MAX_RETRIES = \"many\"\n";

static const char other_toml[] =
  "active = \"vanished\"\n"
  "\n"
  "[profiles.default]\n"
  "PREFECT_LOGGING_LEVEL = \"ERROR\"\n";

/* ---------------------------------------------------------------------------
 * Helpers
 */

static PrefectCtxSettings *
settings_with (const char *name,
               const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) updates = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(PrefectCtxSettings) base = prefect_ctx_settings_new_from_environment ();
  PrefectCtxSettings *settings;

  g_hash_table_insert (updates, (gpointer) name, (gpointer) value);
  settings = prefect_ctx_settings_copy_with_update (base, updates, &error);
  g_assert_no_error (error);
  return settings;
}

static PrefectCtxProfile *
profile_new (const char *name,
             const char *setting,
             const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) settings = g_hash_table_new (g_str_hash, g_str_equal);
  PrefectCtxProfile *profile;

  if (setting != NULL)
    g_hash_table_insert (settings, (gpointer) setting, (gpointer) value);
  profile = prefect_ctx_profile_new (name, settings, NULL, &error);
  g_assert_no_error (error);
  return profile;
}

static void
exit_and_unref (gpointer ctx)
{
  g_autoptr(GError) error = NULL;

  prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (ctx), &error);
  g_assert_no_error (error);
  g_object_unref (ctx);
}

static const char *
current_value (const char *name)
{
  g_autoptr(GError) error = NULL;
  PrefectCtxSettingsContext *current = prefect_ctx_settings_context_get_current ();
  const char *value;

  g_assert_nonnull (current);
  value = prefect_ctx_settings_get_value (prefect_ctx_settings_context_get_settings (current),
                                          name, &error);
  g_assert_no_error (error);
  return value;
}

static const char *
root_profile_name (void)
{
  PrefectCtxSettingsContext *root = prefect_ctx_root_settings_context ();

  g_assert_nonnull (root);
  return prefect_ctx_profile_get_name (prefect_ctx_settings_context_get_profile (root));
}

static guint
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_true (S_ISDIR (st.st_mode));
  return st.st_mode & 0777;
}

/* ---------------------------------------------------------------------------
 * SettingsContext
 */

static void
test_kind_and_properties (void)
{
  g_autoptr(PrefectCtxProfile) profile = profile_new ("p", NULL, NULL);
  g_autoptr(PrefectCtxSettings) settings = prefect_ctx_settings_new ();
  g_autoptr(PrefectCtxSettingsContext) ctx = prefect_ctx_settings_context_new (profile, settings);
  g_autoptr(PrefectCtxContext) invalid = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxProfile) got_profile = NULL;
  g_autoptr(PrefectCtxSettings) got_settings = NULL;

  g_assert_cmpstr (prefect_ctx_context_kind_get_name (PREFECT_CTX_TYPE_SETTINGS_CONTEXT), ==, "settings");
  g_assert_true (prefect_ctx_settings_context_get_profile (ctx) == profile);
  g_assert_true (prefect_ctx_settings_context_get_settings (ctx) == settings);
  g_object_get (ctx, "profile", &got_profile, "settings", &got_settings, NULL);
  g_assert_true (got_profile == profile);
  g_assert_true (got_settings == settings);

  /* Both are required. */
  invalid = g_object_new (PREFECT_CTX_TYPE_SETTINGS_CONTEXT, "profile", profile, NULL);
  g_assert_false (prefect_ctx_context_enter (invalid, &error));
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "A settings context needs both a profile and settings");
}

static gpointer
current_in_thread (gpointer data)
{
  return prefect_ctx_settings_context_get_current ();
}

static void
test_current_falls_back_to_root (void)
{
  g_autoptr(GError) error = NULL;
  PrefectCtxSettingsContext *root = prefect_ctx_root_settings_context ();
  g_autoptr(PrefectCtxProfile) profile = profile_new ("p", NULL, NULL);
  g_autoptr(PrefectCtxSettings) settings = prefect_ctx_settings_new_from_environment ();
  PrefectCtxSettingsContext *ctx;

  g_assert_nonnull (root);
  g_assert_true (prefect_ctx_root_settings_context () == root);
  g_assert_false (prefect_ctx_context_is_entered (PREFECT_CTX_CONTEXT (root)));
  g_assert_null (prefect_ctx_context_get_current (PREFECT_CTX_TYPE_SETTINGS_CONTEXT));
  g_assert_true (prefect_ctx_settings_context_get_current () == root);
  g_assert_true (prefect_ctx_get_settings_context (&error) == root);
  g_assert_no_error (error);

  ctx = prefect_ctx_settings_context_new (profile, settings);
  prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (ctx), &error);
  g_assert_no_error (error);
  g_assert_true (prefect_ctx_settings_context_get_current () == ctx);
  g_assert_true (prefect_ctx_get_settings_context (&error) == ctx);
  g_assert_no_error (error);

  /* A fresh thread sees the root, not what this thread entered. */
  g_assert_true (g_thread_join (g_thread_new ("settings", current_in_thread, NULL)) == root);

  exit_and_unref (ctx);
  g_assert_true (prefect_ctx_settings_context_get_current () == root);
}

static void
test_enter_creates_home (void)
{
  g_autofree char *home = g_build_filename (tmp_dir, "made", "deep", "home", NULL);
  g_autoptr(PrefectCtxProfile) profile = profile_new ("p", NULL, NULL);
  g_autoptr(PrefectCtxSettings) settings = settings_with ("PREFECT_HOME", home);
  g_autoptr(PrefectCtxSettingsContext) ctx = prefect_ctx_settings_context_new (profile, settings);
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = g_path_get_dirname (home);
  g_autofree char *existing = g_build_filename (tmp_dir, "existing", NULL);
  g_autoptr(PrefectCtxSettings) existing_settings = settings_with ("PREFECT_HOME", existing);
  g_autoptr(PrefectCtxSettingsContext) existing_ctx = NULL;

  /* Making the context does not create anything; entering does. */
  g_assert_false (g_file_test (home, G_FILE_TEST_EXISTS));
  g_assert_true (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (ctx), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mode_of (home), ==, 0700);
  g_assert_cmpuint (mode_of (parent), ==, 0700);
  g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (ctx), &error));

  /* An existing directory is left as it is. */
  g_assert_cmpint (g_mkdir (existing, 0755), ==, 0);
  g_assert_cmpint (g_chmod (existing, 0755), ==, 0);
  existing_ctx = prefect_ctx_settings_context_new (profile, existing_settings);
  g_assert_true (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (existing_ctx), &error));
  g_assert_cmpuint (mode_of (existing), ==, 0755);
  g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (existing_ctx), &error));
  g_assert_no_error (error);
}

static void
test_enter_home_failure (void)
{
  g_autofree char *file = g_build_filename (tmp_dir, "a-file", NULL);
  g_autofree char *home = g_build_filename (file, "home", NULL);
  g_autofree char *expected = g_strdup_printf ("Failed to create the Prefect home directory at %s", home);
  g_autoptr(PrefectCtxProfile) profile = profile_new ("p", NULL, NULL);
  g_autoptr(PrefectCtxSettings) settings = settings_with ("PREFECT_HOME", home);
  g_autoptr(PrefectCtxSettingsContext) ctx = prefect_ctx_settings_context_new (profile, settings);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (file, "not a directory", -1, NULL));

  /* A warning, and the context is entered all the same. */
  g_test_expect_message ("PrefectCtx", G_LOG_LEVEL_WARNING, expected);
  g_assert_true (prefect_ctx_context_enter (PREFECT_CTX_CONTEXT (ctx), &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_true (prefect_ctx_settings_context_get_current () == ctx);
  g_assert_true (prefect_ctx_context_exit (PREFECT_CTX_CONTEXT (ctx), &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (home, G_FILE_TEST_EXISTS));
}

/* ---------------------------------------------------------------------------
 * use_profile
 */

static void
test_use_profile_environment_wins (void)
{
  g_autoptr(GError) error = NULL;
  PrefectCtxSettingsContext *before = prefect_ctx_settings_context_get_current ();
  PrefectCtxSettingsContext *ctx;

  g_setenv ("PREFECT_API_URL", "http://env.test/api", TRUE);

  /* The environment wins over the profile... */
  ctx = prefect_ctx_use_profile ("dev", FALSE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ctx);
  g_assert_true (prefect_ctx_context_is_entered (PREFECT_CTX_CONTEXT (ctx)));
  g_assert_true (prefect_ctx_settings_context_get_current () == ctx);
  g_assert_cmpstr (prefect_ctx_profile_get_name (prefect_ctx_settings_context_get_profile (ctx)), ==, "dev");
  g_assert_cmpstr (current_value ("PREFECT_API_URL"), ==, "http://env.test/api");
  /* ...for the settings it sets only. */
  g_assert_cmpstr (current_value ("PREFECT_LOGGING_LEVEL"), ==, "DEBUG");
  exit_and_unref (ctx);

  /* Unless the profile overrides the environment. */
  ctx = prefect_ctx_use_profile ("dev", TRUE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (current_value ("PREFECT_API_URL"), ==, "http://dev.test/api");
  exit_and_unref (ctx);

  /* On top of the current settings (the root's, made from the dev profile
   * before the variable was set), the profile's value is still dropped:
   * the current one stays. */
  ctx = prefect_ctx_use_profile ("other", FALSE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (current_value ("PREFECT_API_URL"), ==, "http://dev.test/api");
  exit_and_unref (ctx);
  ctx = prefect_ctx_use_profile ("other", TRUE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (current_value ("PREFECT_API_URL"), ==, "http://other.test/api");
  exit_and_unref (ctx);

  /* Set but empty still counts as set. */
  g_setenv ("PREFECT_API_URL", "", TRUE);
  ctx = prefect_ctx_use_profile ("dev", FALSE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (current_value ("PREFECT_API_URL"), !=, "http://dev.test/api");
  exit_and_unref (ctx);

  g_unsetenv ("PREFECT_API_URL");
  ctx = prefect_ctx_use_profile ("dev", FALSE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (current_value ("PREFECT_API_URL"), ==, "http://dev.test/api");
  exit_and_unref (ctx);

  g_assert_true (prefect_ctx_settings_context_get_current () == before);
}

static void
test_use_profile_include_current_context (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxProfile) warn = profile_new ("warn", "PREFECT_LOGGING_LEVEL", "WARNING");
  PrefectCtxSettingsContext *outer;
  PrefectCtxSettingsContext *inner;

  outer = prefect_ctx_use_profile_object (warn, FALSE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (current_value ("PREFECT_LOGGING_LEVEL"), ==, "WARNING");

  /* On top of the current settings: the outer level stays. */
  inner = prefect_ctx_use_profile ("quiet", FALSE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (current_value ("PREFECT_LOGGING_LEVEL"), ==, "WARNING");
  g_assert_cmpstr (current_value ("PREFECT_CLIENT_MAX_RETRIES"), ==, "9");
  exit_and_unref (inner);

  /* From the environment and the defaults: it does not. */
  inner = prefect_ctx_use_profile ("quiet", FALSE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (current_value ("PREFECT_LOGGING_LEVEL"), ==, "INFO");
  g_assert_cmpstr (current_value ("PREFECT_CLIENT_MAX_RETRIES"), ==, "9");
  exit_and_unref (inner);

  exit_and_unref (outer);
}

static void
test_use_profile_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxSettingsContext) ctx = NULL;
  PrefectCtxSettingsContext *before = prefect_ctx_settings_context_get_current ();

  ctx = prefect_ctx_use_profile ("nope", FALSE, TRUE, &error);
  g_assert_null (ctx);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Profile 'nope' not found.");
  g_clear_error (&error);

  /* A profile whose settings are invalid. */
  ctx = prefect_ctx_use_profile ("broken", FALSE, TRUE, &error);
  g_assert_null (ctx);
  g_assert_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "PREFECT_CLIENT_MAX_RETRIES"));

  g_assert_true (prefect_ctx_settings_context_get_current () == before);
}

/* ---------------------------------------------------------------------------
 * The root settings context, one subprocess each
 */

/* Makes the root context in a subprocess with this environment and prints
 * its profile name and API URL on standard output. */
static void
run_root (const char *prefect_profile,
          const char *command_line,
          const char *profiles_path)
{
  PrefectCtxSettingsContext *root;
  const char *api_url;

  if (prefect_profile != NULL)
    g_setenv ("PREFECT_PROFILE", prefect_profile, TRUE);
  if (profiles_path != NULL)
    g_setenv ("PREFECT_PROFILES_PATH", profiles_path, TRUE);
  if (command_line != NULL)
    prefect_ctx_set_command_line_profile (command_line);

  root = prefect_ctx_settings_context_get_current ();
  g_assert_nonnull (root);
  g_assert_true (root == prefect_ctx_root_settings_context ());
  api_url = prefect_ctx_settings_get_api_url (prefect_ctx_settings_context_get_settings (root));
  g_print ("profile=%s api=%s\n", root_profile_name (), api_url != NULL ? api_url : "(none)");
}

static void
test_root_from_profiles_file (void)
{
  if (g_test_subprocess ())
    {
      run_root (NULL, NULL, NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("profile=dev api=http://dev.test/api\n");
  g_test_trap_assert_stderr ("");
}

static void
test_root_from_environment (void)
{
  if (g_test_subprocess ())
    {
      run_root ("other", NULL, NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("profile=other api=http://other.test/api\n");
  g_test_trap_assert_stderr ("");
}

static void
test_root_from_command_line (void)
{
  if (g_test_subprocess ())
    {
      run_root ("other", "cli", NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("profile=cli api=http://cli.test/api\n");
  g_test_trap_assert_stderr ("");
}

/* A profile named on the command line wins over a PREFECT_* variable
 * (where one from the file or PREFECT_PROFILE does not: environment-wins):
 * Prefect's root settings context overrides the environment for a profile
 * set by the CLI. */
static void
test_root_command_line_over_environment (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("PREFECT_API_URL", "http://env.test/api", TRUE);
      run_root (NULL, "cli", NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("profile=cli api=http://cli.test/api\n");
}

static void
test_root_command_line_cleared (void)
{
  if (g_test_subprocess ())
    {
      prefect_ctx_set_command_line_profile ("cli");
      prefect_ctx_set_command_line_profile (NULL);
      run_root (NULL, NULL, NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("profile=dev api=http://dev.test/api\n");
}

static void
test_root_unknown_in_file (void)
{
  if (g_test_subprocess ())
    {
      run_root (NULL, NULL, other_profiles);
      g_assert_cmpstr (current_value ("PREFECT_LOGGING_LEVEL"), ==, "ERROR");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("profile=default api=(none)\n");
  g_test_trap_assert_stderr ("WARNING: Active profile 'vanished' set in the profiles file not found. "
                             "The default profile will be used instead. \n");
}

static void
test_root_unknown_in_environment (void)
{
  if (g_test_subprocess ())
    {
      run_root ("nope", NULL, NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("profile=default api=(none)\n");
  g_test_trap_assert_stderr ("WARNING: Active profile 'nope' set by environment variable not found. "
                             "The default profile will be used instead. \n");
}

static void
test_root_unknown_on_command_line (void)
{
  if (g_test_subprocess ())
    {
      run_root ("other", "nope", NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("profile=default api=(none)\n");
  g_test_trap_assert_stderr ("WARNING: Active profile 'nope' set by command line argument not found. "
                             "The default profile will be used instead. \n");
}

static void
test_root_environment_wins (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("PREFECT_API_URL", "http://env.test/api", TRUE);
      run_root (NULL, NULL, NULL);
      g_assert_cmpstr (current_value ("PREFECT_LOGGING_LEVEL"), ==, "DEBUG");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("profile=dev api=http://env.test/api\n");
}

static void
test_root_creates_home (void)
{
  g_autofree char *home = g_build_filename (tmp_dir, "root-home", NULL);
  g_autofree char *profiles = g_build_filename (prefect_home, "profiles.toml", NULL);

  if (g_test_subprocess ())
    {
      g_setenv ("PREFECT_HOME", home, TRUE);
      run_root (NULL, NULL, profiles);
      g_assert_cmpuint (mode_of (home), ==, 0700);
      return;
    }
  g_assert_false (g_file_test (home, G_FILE_TEST_EXISTS));
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("profile=dev api=http://dev.test/api\n");
  g_assert_cmpuint (mode_of (home), ==, 0700);
}

static void
test_root_once_across_threads (void)
{
  if (g_test_subprocess ())
    {
      GThread *threads[8];
      gpointer seen[8];

      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        threads[i] = g_thread_new ("root", current_in_thread, NULL);
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        seen[i] = g_thread_join (threads[i]);
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        {
          g_assert_nonnull (seen[i]);
          g_assert_true (seen[i] == prefect_ctx_root_settings_context ());
        }
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_root_command_line_too_late (void)
{
  if (g_test_subprocess ())
    {
      run_root (NULL, NULL, NULL);
      g_test_expect_message ("PrefectCtx", G_LOG_LEVEL_WARNING,
                             "prefect_ctx_set_command_line_profile (\"cli\") has no effect: "
                             "the root settings context exists already");
      prefect_ctx_set_command_line_profile ("cli");
      g_test_assert_expected_messages ();
      g_assert_cmpstr (root_profile_name (), ==, "dev");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_root_malformed_profiles_file (void)
{
  g_autofree char *bad = g_build_filename (tmp_dir, "bad.toml", NULL);

  if (g_test_subprocess ())
    {
      /* Expected: a warning, then the defaults. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK);
      g_log_set_fatal_mask ("PrefectCtx", G_LOG_FATAL_MASK);
      run_root (NULL, NULL, bad);
      return;
    }
  g_assert_true (g_file_set_contents (bad, "active = \n", -1, NULL));
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("profile=default api=(none)\n");
  g_test_trap_assert_stderr ("*Failed to load the Prefect profiles: *bad.toml:1:*"
                             "The default profile will be used instead.*");
}

/* ---------------------------------------------------------------------------
 * Main
 */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  g_auto(GStrv) names = g_listenv ();
  g_autofree char *profiles_path = NULL;
  int ret;

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_prefix (names[i], "PREFECT_"))
      g_unsetenv (names[i]);

  g_test_init (&argc, &argv, NULL);

  /* A subprocess reuses its parent's directory, named in the environment. */
  if (g_test_subprocess ())
    tmp_dir = g_strdup (g_getenv ("TEST_SETTINGS_CONTEXT_TMP"));
  else
    {
      tmp_dir = g_dir_make_tmp ("test-settings-context-XXXXXX", NULL);
      g_setenv ("TEST_SETTINGS_CONTEXT_TMP", tmp_dir, TRUE);
    }
  g_assert_nonnull (tmp_dir);
  prefect_home = g_build_filename (tmp_dir, "home", NULL);
  other_profiles = g_build_filename (tmp_dir, "other.toml", NULL);
  profiles_path = g_build_filename (prefect_home, "profiles.toml", NULL);
  g_setenv ("PREFECT_HOME", prefect_home, TRUE);
  if (!g_test_subprocess ())
    {
      g_assert_cmpint (g_mkdir_with_parents (prefect_home, 0700), ==, 0);
      g_assert_true (g_file_set_contents (profiles_path, profiles_toml, -1, NULL));
      g_assert_true (g_file_set_contents (other_profiles, other_toml, -1, NULL));
    }

  g_test_add_func ("/settings-context/kind-and-properties", test_kind_and_properties);
  g_test_add_func ("/settings-context/current-falls-back-to-root", test_current_falls_back_to_root);
  g_test_add_func ("/settings-context/enter-creates-home", test_enter_creates_home);
  g_test_add_func ("/settings-context/enter-home-failure", test_enter_home_failure);
  g_test_add_func ("/use-profile/environment-wins", test_use_profile_environment_wins);
  g_test_add_func ("/use-profile/include-current-context", test_use_profile_include_current_context);
  g_test_add_func ("/use-profile/errors", test_use_profile_errors);
  g_test_add_func ("/root/profiles-file", test_root_from_profiles_file);
  g_test_add_func ("/root/environment", test_root_from_environment);
  g_test_add_func ("/root/command-line", test_root_from_command_line);
  g_test_add_func ("/root/command-line-cleared", test_root_command_line_cleared);
  g_test_add_func ("/root/command-line-over-environment", test_root_command_line_over_environment);
  g_test_add_func ("/root/unknown-in-file", test_root_unknown_in_file);
  g_test_add_func ("/root/unknown-in-environment", test_root_unknown_in_environment);
  g_test_add_func ("/root/unknown-on-command-line", test_root_unknown_on_command_line);
  g_test_add_func ("/root/environment-wins", test_root_environment_wins);
  g_test_add_func ("/root/creates-home", test_root_creates_home);
  g_test_add_func ("/root/once-across-threads", test_root_once_across_threads);
  g_test_add_func ("/root/command-line-too-late", test_root_command_line_too_late);
  g_test_add_func ("/root/malformed-profiles-file", test_root_malformed_profiles_file);

  ret = g_test_run ();

  if (!g_test_subprocess ())
    remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  g_clear_pointer (&prefect_home, g_free);
  g_clear_pointer (&other_profiles, g_free);
  return ret;
}
