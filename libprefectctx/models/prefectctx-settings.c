/* prefectctx-settings.c: PREFECT_* settings, their defaults and the environment
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "prefectctx-settings.h"
#include "prefectctx-error.h"

/**
 * PrefectCtxSettings:
 *
 * An immutable map of the `PREFECT_*` settings this library knows, with
 * Prefect's defaults.
 *
 * | Setting | Type | Default |
 * | --- | --- | --- |
 * | `PREFECT_API_KEY` | string, secret | unset |
 * | `PREFECT_API_URL` | string | unset |
 * | `PREFECT_CLIENT_MAX_RETRIES` | integer >= 0 | `5` |
 * | `PREFECT_CLIENT_RETRY_JITTER_FACTOR` | number >= 0 | `0.2` |
 * | `PREFECT_HOME` | path | `~/.prefect` |
 * | `PREFECT_LOGGING_LEVEL` | `DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL` | `INFO` |
 * | `PREFECT_PROFILES_PATH` | path | `${PREFECT_HOME}/profiles.toml` |
 * | `PREFECT_UI_URL` | string | unset |
 *
 * Values are strings, checked against the setting's type when they are set
 * (an integer setting refuses `"x"`) and normalised: surrounding white space
 * of numbers is removed and logging levels are upper-cased, as Prefect does.
 * A value of `PREFECT_HOME` that starts with `~` has it replaced by the home
 * directory; in `PREFECT_PROFILES_PATH`, `${PREFECT_HOME}` and `$PREFECT_HOME`
 * are replaced by the value of `PREFECT_HOME` (and a leading `~` is
 * expanded), as Prefect's settings templates do.
 * [method@PrefectCtx.Settings.get_value] returns these expanded values;
 * [method@PrefectCtx.Settings.dup_values] returns what was set.
 *
 * `PREFECT_PROFILE` is not a setting: it selects a profile (see
 * [class@PrefectCtx.Profiles]).
 *
 * A name that is not one of the settings above is refused with
 * %PREFECT_CTX_ERROR_INVALID_ARGUMENT (`Unknown setting 'PREFECT_FOO'`), never
 * stored. `PREFECT_API_KEY` is a secret: [method@PrefectCtx.Settings.to_string]
 * and [method@PrefectCtx.Settings.to_json] show
 * %PREFECT_CTX_SECRET_PLACEHOLDER in its place unless secrets are asked for.
 *
 * Settings are immutable and so can be shared between threads;
 * [method@PrefectCtx.Settings.copy_with_update] returns a changed copy.
 */

typedef enum {
  KIND_STRING,
  KIND_INT,
  KIND_FLOAT,
  KIND_LOG_LEVEL,
  KIND_HOME,
  KIND_PROFILES_PATH,
} SettingKind;

/* Sorted by name: the order of list_names (), to_json () and to_string (). */
enum {
  SETTING_API_KEY,
  SETTING_API_URL,
  SETTING_CLIENT_MAX_RETRIES,
  SETTING_CLIENT_RETRY_JITTER_FACTOR,
  SETTING_HOME,
  SETTING_LOGGING_LEVEL,
  SETTING_PROFILES_PATH,
  SETTING_UI_URL,
  N_SETTINGS
};

/* The names, indexed like setting_infos; what list_names () returns. */
static const char * const setting_names[N_SETTINGS + 1] = {
  [SETTING_API_KEY]                    = "PREFECT_API_KEY",
  [SETTING_API_URL]                    = "PREFECT_API_URL",
  [SETTING_CLIENT_MAX_RETRIES]         = "PREFECT_CLIENT_MAX_RETRIES",
  [SETTING_CLIENT_RETRY_JITTER_FACTOR] = "PREFECT_CLIENT_RETRY_JITTER_FACTOR",
  [SETTING_HOME]                       = "PREFECT_HOME",
  [SETTING_LOGGING_LEVEL]              = "PREFECT_LOGGING_LEVEL",
  [SETTING_PROFILES_PATH]              = "PREFECT_PROFILES_PATH",
  [SETTING_UI_URL]                     = "PREFECT_UI_URL",
  [N_SETTINGS]                         = NULL,
};

typedef struct {
  SettingKind  kind;
  const char  *default_value;
  gboolean     secret;
} SettingInfo;

static const SettingInfo setting_infos[N_SETTINGS] = {
  [SETTING_API_KEY]                    = { KIND_STRING,        NULL,                            TRUE },
  [SETTING_API_URL]                    = { KIND_STRING,        NULL,                            FALSE },
  [SETTING_CLIENT_MAX_RETRIES]         = { KIND_INT,           "5",                             FALSE },
  [SETTING_CLIENT_RETRY_JITTER_FACTOR] = { KIND_FLOAT,         "0.2",                           FALSE },
  [SETTING_HOME]                       = { KIND_HOME,          "~/.prefect",                    FALSE },
  [SETTING_LOGGING_LEVEL]              = { KIND_LOG_LEVEL,     "INFO",                          FALSE },
  [SETTING_PROFILES_PATH]              = { KIND_PROFILES_PATH, "${PREFECT_HOME}/profiles.toml", FALSE },
  [SETTING_UI_URL]                     = { KIND_STRING,        NULL,                            FALSE },
};

static const char * const log_levels[] = { "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL" };

struct _PrefectCtxSettings
{
  GObject parent_instance;

  /* What was set, normalised: name (static) -> value. */
  GHashTable *values;
  /* The value in effect for each setting (set or default, expanded), or NULL. */
  char *effective[N_SETTINGS];
};

G_DEFINE_FINAL_TYPE (PrefectCtxSettings, prefect_ctx_settings, G_TYPE_OBJECT)

static int
find_setting (const char *name)
{
  if (name == NULL)
    return -1;

  for (guint i = 0; i < N_SETTINGS; i++)
    if (strcmp (setting_names[i], name) == 0)
      return (int) i;

  return -1;
}

static gboolean
unknown_setting (const char  *name,
                 GError     **error)
{
  if (name != NULL && g_utf8_validate (name, -1, NULL))
    g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                 "Unknown setting '%s'", name);
  else
    g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                         "Unknown setting (the name is not valid UTF-8)");
  return FALSE;
}

/* Checks @value for the setting @index and returns it normalised. */
static char *
normalize_value (guint        index,
                 const char  *value,
                 GError     **error)
{
  const char *name = setting_names[index];
  g_autofree char *stripped = NULL;

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Invalid value for %s: not valid UTF-8", name);
      return NULL;
    }

  switch (setting_infos[index].kind)
    {
    case KIND_STRING:
      return g_strdup (value);

    case KIND_HOME:
    case KIND_PROFILES_PATH:
      if (*value == '\0')
        {
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                       "Invalid value for %s: a path must not be empty", name);
          return NULL;
        }
      return g_strdup (value);

    case KIND_INT:
      {
        gint64 number;

        /* like Python's int (): white space around, an optional sign */
        stripped = g_strstrip (g_strdup (value));
        if (!g_ascii_string_to_signed (stripped, 10, 0, G_MAXINT, &number, NULL))
          {
            g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                         "Invalid value for %s: '%s' is not an integer between 0 and %d",
                         name, value, G_MAXINT);
            return NULL;
          }
        return g_strdup_printf ("%" G_GINT64_FORMAT, number);
      }

    case KIND_FLOAT:
      {
        char *end = NULL;
        double number;

        stripped = g_strstrip (g_strdup (value));
        number = g_ascii_strtod (stripped, &end);
        if (*stripped == '\0' || end == NULL || *end != '\0' ||
            !isfinite (number) || number < 0.0 ||
            /* g_ascii_strtod also reads hexadecimal, which Python does not */
            strpbrk (stripped, "xX") != NULL)
          {
            g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                         "Invalid value for %s: '%s' is not a number greater than or equal to 0",
                         name, value);
            return NULL;
          }
        return g_steal_pointer (&stripped);
      }

    case KIND_LOG_LEVEL:
      {
        g_autofree char *upper = g_ascii_strup (value, -1);

        g_strstrip (upper);
        for (guint i = 0; i < G_N_ELEMENTS (log_levels); i++)
          if (strcmp (upper, log_levels[i]) == 0)
            return g_steal_pointer (&upper);

        g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                     "Invalid value for %s: '%s' is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL",
                     name, value);
        return NULL;
      }

    default:
      g_assert_not_reached ();
    }
}

/* "~" or "~/rest" -> home directory + rest, as Python's expanduser (). */
static char *
expand_user (const char *path)
{
  if (path[0] == '~' && (path[1] == '\0' || path[1] == '/'))
    return g_strconcat (g_get_home_dir (), path + 1, NULL);

  return g_strdup (path);
}

/* ${PREFECT_HOME} and $PREFECT_HOME -> @home; $$ -> $ (string.Template). */
static char *
expand_template (const char *template,
                 const char *home)
{
  static const char var[] = "PREFECT_HOME";
  GString *out = g_string_new (NULL);
  const char *p = template;

  while (*p != '\0')
    {
      if (p[0] == '$' && p[1] == '$')
        {
          g_string_append_c (out, '$');
          p += 2;
        }
      else if (p[0] == '$' && p[1] == '{' &&
               strncmp (p + 2, var, strlen (var)) == 0 && p[2 + strlen (var)] == '}')
        {
          g_string_append (out, home);
          p += 3 + strlen (var);
        }
      else if (p[0] == '$' && strncmp (p + 1, var, strlen (var)) == 0 &&
               !g_ascii_isalnum (p[1 + strlen (var)]) && p[1 + strlen (var)] != '_')
        {
          g_string_append (out, home);
          p += 1 + strlen (var);
        }
      else
        {
          g_string_append_c (out, *p);
          p++;
        }
    }

  return g_string_free (out, FALSE);
}

static void
prefect_ctx_settings_finalize (GObject *object)
{
  PrefectCtxSettings *self = PREFECT_CTX_SETTINGS (object);

  g_clear_pointer (&self->values, g_hash_table_unref);
  for (guint i = 0; i < N_SETTINGS; i++)
    g_clear_pointer (&self->effective[i], g_free);

  G_OBJECT_CLASS (prefect_ctx_settings_parent_class)->finalize (object);
}

static void
prefect_ctx_settings_class_init (PrefectCtxSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = prefect_ctx_settings_finalize;
}

static void compute_effective (PrefectCtxSettings *self);

static void
prefect_ctx_settings_init (PrefectCtxSettings *self)
{
  /* the defaults, also for objects made with g_object_new () */
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  compute_effective (self);
}

/* Computes the effective values from self->values. */
static void
compute_effective (PrefectCtxSettings *self)
{
  g_autofree char *expanded = NULL;
  const char *profiles_path = NULL;

  for (guint i = 0; i < N_SETTINGS; i++)
    {
      const char *value;

      g_clear_pointer (&self->effective[i], g_free);

      value = g_hash_table_lookup (self->values, setting_names[i]);
      if (value == NULL)
        value = setting_infos[i].default_value;
      if (value == NULL)
        continue;

      switch (setting_infos[i].kind)
        {
        case KIND_HOME:
          self->effective[i] = expand_user (value);
          break;

        case KIND_PROFILES_PATH:
          /* below, once PREFECT_HOME is known */
          profiles_path = value;
          break;

        default:
          self->effective[i] = g_strdup (value);
          break;
        }
    }

  expanded = expand_template (profiles_path, self->effective[SETTING_HOME]);
  self->effective[SETTING_PROFILES_PATH] = expand_user (expanded);
}

/* Takes @values (static name -> normalised value). */
static PrefectCtxSettings *
settings_new_take (GHashTable *values)
{
  PrefectCtxSettings *self = g_object_new (PREFECT_CTX_TYPE_SETTINGS, NULL);

  g_hash_table_unref (self->values);
  self->values = values;
  compute_effective (self);

  return self;
}

static GHashTable *
new_values_table (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

/**
 * prefect_ctx_settings_new:
 *
 * Creates settings that hold the defaults only: nothing is set, the
 * environment is not read.
 *
 * Returns: (transfer full): new settings
 */
PrefectCtxSettings *
prefect_ctx_settings_new (void)
{
  return settings_new_take (new_values_table ());
}

static PrefectCtxSettings *
settings_new_from_environ (const char * const  *envp,
                           gboolean             strict,
                           GError             **error)
{
  g_autoptr(GHashTable) values = new_values_table ();
  g_auto(GStrv) own_environ = NULL;

  if (envp == NULL)
    {
      own_environ = g_get_environ ();
      envp = (const char * const *) own_environ;
    }

  for (guint i = 0; i < N_SETTINGS; i++)
    {
      const char *value = g_environ_getenv ((char **) envp, setting_names[i]);
      g_autoptr(GError) local_error = NULL;
      char *normalized;

      if (value == NULL)
        continue;

      normalized = normalize_value (i, value, &local_error);
      if (normalized == NULL)
        {
          if (strict)
            {
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                          "Environment variable %s: ",
                                          setting_names[i]);
              return NULL;
            }
          g_message ("Ignoring environment variable %s: %s",
                     setting_names[i], local_error->message);
          continue;
        }

      g_hash_table_insert (values, (gpointer) setting_names[i], normalized);
    }

  return settings_new_take (g_steal_pointer (&values));
}

/**
 * prefect_ctx_settings_new_from_environment:
 *
 * Creates settings from the defaults and the known `PREFECT_*` variables of
 * the process environment. Other variables, including unknown `PREFECT_*`
 * ones and `PREFECT_PROFILE`, are ignored. A variable whose value is not
 * valid for its setting (`PREFECT_CLIENT_MAX_RETRIES=x`) is ignored with a
 * message on the log; use [ctor@PrefectCtx.Settings.new_from_environ] to get
 * an error instead.
 *
 * Returns: (transfer full): new settings
 */
PrefectCtxSettings *
prefect_ctx_settings_new_from_environment (void)
{
  return settings_new_from_environ (NULL, FALSE, NULL);
}

/**
 * prefect_ctx_settings_new_from_environ:
 * @envp: (nullable) (array zero-terminated=1): an environment as
 *   `NAME=value` strings (see g_get_environ()), or %NULL for the environment
 *   of the process
 * @error: return location for a #GError
 *
 * Creates settings from the defaults and the known `PREFECT_*` variables of
 * @envp, like [ctor@PrefectCtx.Settings.new_from_environment], but a value
 * that is not valid for its setting is a %PREFECT_CTX_ERROR_INVALID_ARGUMENT
 * error naming the variable (`Environment variable PREFECT_CLIENT_MAX_RETRIES:
 * Invalid value for PREFECT_CLIENT_MAX_RETRIES: ...`).
 *
 * Returns: (transfer full): new settings, or %NULL with @error set
 */
PrefectCtxSettings *
prefect_ctx_settings_new_from_environ (const char * const  *envp,
                                       GError             **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return settings_new_from_environ (envp, TRUE, error);
}

/**
 * prefect_ctx_settings_copy_with_update:
 * @self: settings
 * @updates: (nullable) (element-type utf8 utf8): setting names mapped to
 *   their new values; a %NULL value unsets the setting, so that its default
 *   applies again
 * @error: return location for a #GError
 *
 * Creates a copy of @self with @updates applied; @self does not change.
 *
 * An unknown name (`Unknown setting 'PREFECT_FOO'`) or a value that is not
 * valid for its setting (`Invalid value for PREFECT_CLIENT_MAX_RETRIES: 'x'
 * is not an integer between 0 and 2147483647`) is a
 * %PREFECT_CTX_ERROR_INVALID_ARGUMENT error, and nothing is created.
 *
 * Returns: (transfer full): new settings, or %NULL with @error set
 */
PrefectCtxSettings *
prefect_ctx_settings_copy_with_update (PrefectCtxSettings  *self,
                                       GHashTable          *updates,
                                       GError             **error)
{
  g_autoptr(GHashTable) values = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (PREFECT_CTX_IS_SETTINGS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  values = new_values_table ();
  g_hash_table_iter_init (&iter, self->values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (values, key, g_strdup (value));

  if (updates != NULL)
    {
      g_hash_table_iter_init (&iter, updates);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          int index = find_setting (key);
          char *normalized;

          if (index < 0)
            return unknown_setting (key, error), NULL;

          if (value == NULL)
            {
              g_hash_table_remove (values, setting_names[index]);
              continue;
            }

          normalized = normalize_value ((guint) index, value, error);
          if (normalized == NULL)
            return NULL;
          g_hash_table_insert (values, (gpointer) setting_names[index], normalized);
        }
    }

  return settings_new_take (g_steal_pointer (&values));
}

/**
 * prefect_ctx_settings_get_value:
 * @self: settings
 * @name: the name of a setting, such as `PREFECT_API_URL`
 * @error: return location for a #GError
 *
 * Gets the value of a setting in effect: the value set, or else the default,
 * with `~` and `${PREFECT_HOME}` expanded in the paths. A setting that is
 * neither set nor has a default (`PREFECT_API_URL`) is %NULL without an
 * error. An unknown @name is a %PREFECT_CTX_ERROR_INVALID_ARGUMENT error
 * (`Unknown setting 'PREFECT_FOO'`).
 *
 * The value of a secret setting is returned as it is: this is how a client
 * reads `PREFECT_API_KEY`.
 *
 * Returns: (transfer none) (nullable): the value, or %NULL (with @error set
 *   when @name is unknown)
 */
const char *
prefect_ctx_settings_get_value (PrefectCtxSettings  *self,
                                const char          *name,
                                GError             **error)
{
  int index;

  g_return_val_if_fail (PREFECT_CTX_IS_SETTINGS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  index = find_setting (name);
  if (index < 0)
    return unknown_setting (name, error), NULL;

  return self->effective[index];
}

/**
 * prefect_ctx_settings_is_set:
 * @self: settings
 * @name: the name of a setting
 *
 * Tells whether @name was given a value (by the environment, an update or a
 * profile) rather than having its default. An unknown name is never set.
 *
 * Returns: %TRUE if @name is set in @self
 */
gboolean
prefect_ctx_settings_is_set (PrefectCtxSettings *self,
                             const char         *name)
{
  g_return_val_if_fail (PREFECT_CTX_IS_SETTINGS (self), FALSE);

  return name != NULL && g_hash_table_contains (self->values, name);
}

/**
 * prefect_ctx_settings_dup_values:
 * @self: settings
 *
 * Gets the settings that were given a value, with the values as they were
 * set (normalised, not expanded): defaults are not included. Passing the
 * result to [method@PrefectCtx.Settings.copy_with_update] of fresh settings
 * recreates @self.
 *
 * Returns: (transfer full) (element-type utf8 utf8): a new table of setting
 *   names to values, secrets included
 */
GHashTable *
prefect_ctx_settings_dup_values (PrefectCtxSettings *self)
{
  GHashTable *copy;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (PREFECT_CTX_IS_SETTINGS (self), NULL);

  copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, self->values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_strdup (value));

  return copy;
}

/**
 * prefect_ctx_settings_get_home:
 * @self: settings
 *
 * Gets `PREFECT_HOME` with `~` expanded: by default `~/.prefect` in the home
 * directory.
 *
 * Returns: (transfer full) (type filename): the Prefect home directory
 */
char *
prefect_ctx_settings_get_home (PrefectCtxSettings *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_SETTINGS (self), NULL);

  return g_strdup (self->effective[SETTING_HOME]);
}

/**
 * prefect_ctx_settings_get_profiles_path:
 * @self: settings
 *
 * Gets `PREFECT_PROFILES_PATH` with `${PREFECT_HOME}` and `~` expanded: by
 * default `profiles.toml` in the Prefect home directory.
 *
 * Returns: (transfer full) (type filename): the path of the profiles file
 */
char *
prefect_ctx_settings_get_profiles_path (PrefectCtxSettings *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_SETTINGS (self), NULL);

  return g_strdup (self->effective[SETTING_PROFILES_PATH]);
}

/**
 * prefect_ctx_settings_get_api_url:
 * @self: settings
 *
 * Gets `PREFECT_API_URL`, the URL of the Prefect API, such as
 * `http://127.0.0.1:4200/api`.
 *
 * Returns: (transfer none) (nullable): the API URL, or %NULL when not set
 */
const char *
prefect_ctx_settings_get_api_url (PrefectCtxSettings *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_SETTINGS (self), NULL);

  return self->effective[SETTING_API_URL];
}

/**
 * prefect_ctx_settings_get_api_key:
 * @self: settings
 *
 * Gets `PREFECT_API_KEY`, the secret API key sent to Prefect Cloud. Do not
 * print it.
 *
 * Returns: (transfer none) (nullable): the API key, or %NULL when not set
 */
const char *
prefect_ctx_settings_get_api_key (PrefectCtxSettings *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_SETTINGS (self), NULL);

  return self->effective[SETTING_API_KEY];
}

/**
 * prefect_ctx_settings_get_ui_url:
 * @self: settings
 *
 * Gets `PREFECT_UI_URL`, the URL of the Prefect UI.
 *
 * Returns: (transfer none) (nullable): the UI URL, or %NULL when not set
 */
const char *
prefect_ctx_settings_get_ui_url (PrefectCtxSettings *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_SETTINGS (self), NULL);

  return self->effective[SETTING_UI_URL];
}

/**
 * prefect_ctx_settings_get_logging_level:
 * @self: settings
 *
 * Gets `PREFECT_LOGGING_LEVEL`, upper-case: `DEBUG`, `INFO` (the default),
 * `WARNING`, `ERROR` or `CRITICAL`.
 *
 * Returns: (transfer none): the logging level
 */
const char *
prefect_ctx_settings_get_logging_level (PrefectCtxSettings *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_SETTINGS (self), NULL);

  return self->effective[SETTING_LOGGING_LEVEL];
}

/**
 * prefect_ctx_settings_get_client_max_retries:
 * @self: settings
 *
 * Gets `PREFECT_CLIENT_MAX_RETRIES`: how many times a client retries a
 * request that failed in a way worth retrying (5 by default).
 *
 * Returns: the number of retries, at least 0
 */
int
prefect_ctx_settings_get_client_max_retries (PrefectCtxSettings *self)
{
  gint64 number = 0;

  g_return_val_if_fail (PREFECT_CTX_IS_SETTINGS (self), 0);

  /* checked when set */
  g_ascii_string_to_signed (self->effective[SETTING_CLIENT_MAX_RETRIES], 10, 0, G_MAXINT,
                            &number, NULL);
  return (int) number;
}

/**
 * prefect_ctx_settings_get_client_retry_jitter_factor:
 * @self: settings
 *
 * Gets `PREFECT_CLIENT_RETRY_JITTER_FACTOR`: the amount of random jitter
 * added to retry delays, as a fraction of the delay (0.2 by default).
 *
 * Returns: the jitter factor, at least 0
 */
double
prefect_ctx_settings_get_client_retry_jitter_factor (PrefectCtxSettings *self)
{
  g_return_val_if_fail (PREFECT_CTX_IS_SETTINGS (self), 0.0);

  return g_ascii_strtod (self->effective[SETTING_CLIENT_RETRY_JITTER_FACTOR], NULL);
}

/**
 * prefect_ctx_settings_to_json:
 * @self: settings
 * @include_secrets: whether to write the values of secret settings
 *
 * Serializes @self to a compact JSON object with one member per known
 * setting, in the order of [func@PrefectCtx.Settings.list_names]: the value
 * in effect (see [method@PrefectCtx.Settings.get_value]), or `null` for a
 * setting without a value. The value of a secret setting that has one is
 * written as %PREFECT_CTX_SECRET_PLACEHOLDER unless @include_secrets is
 * %TRUE.
 *
 * Returns: (transfer full): the JSON text
 */
char *
prefect_ctx_settings_to_json (PrefectCtxSettings *self,
                              gboolean            include_secrets)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (PREFECT_CTX_IS_SETTINGS (self), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  for (guint i = 0; i < N_SETTINGS; i++)
    {
      const char *value = self->effective[i];

      json_builder_set_member_name (builder, setting_names[i]);
      if (value == NULL)
        json_builder_add_null_value (builder);
      else if (setting_infos[i].secret && !include_secrets)
        json_builder_add_string_value (builder, PREFECT_CTX_SECRET_PLACEHOLDER);
      else
        json_builder_add_string_value (builder, value);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

/**
 * prefect_ctx_settings_to_string:
 * @self: settings
 *
 * Describes @self for people, as `prefect config view` does: one line
 * `NAME='value'` for each setting that has a value (set or default), in the
 * order of [func@PrefectCtx.Settings.list_names], each followed by a newline.
 * Secret values are always shown as %PREFECT_CTX_SECRET_PLACEHOLDER.
 *
 * Returns: (transfer full): the description
 */
char *
prefect_ctx_settings_to_string (PrefectCtxSettings *self)
{
  GString *out;

  g_return_val_if_fail (PREFECT_CTX_IS_SETTINGS (self), NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < N_SETTINGS; i++)
    {
      const char *value = self->effective[i];

      if (value == NULL)
        continue;
      if (setting_infos[i].secret)
        value = PREFECT_CTX_SECRET_PLACEHOLDER;
      g_string_append_printf (out, "%s='%s'\n", setting_names[i], value);
    }

  return g_string_free (out, FALSE);
}

/**
 * prefect_ctx_settings_list_names:
 *
 * Lists the names of all the settings this library knows, sorted.
 *
 * Returns: (transfer none) (array zero-terminated=1): the setting names
 */
const char * const *
prefect_ctx_settings_list_names (void)
{
  return setting_names;
}

/**
 * prefect_ctx_settings_name_is_known:
 * @name: a setting name
 *
 * Tells whether @name is one of [func@PrefectCtx.Settings.list_names].
 *
 * Returns: %TRUE if @name is a known setting
 */
gboolean
prefect_ctx_settings_name_is_known (const char *name)
{
  return find_setting (name) >= 0;
}

/**
 * prefect_ctx_settings_name_is_secret:
 * @name: a setting name
 *
 * Tells whether @name is a secret setting (`PREFECT_API_KEY`), whose value
 * is redacted in every output unless secrets are asked for.
 *
 * Returns: %TRUE if @name is a known, secret setting
 */
gboolean
prefect_ctx_settings_name_is_secret (const char *name)
{
  int index = find_setting (name);

  return index >= 0 && setting_infos[index].secret;
}

/**
 * prefect_ctx_settings_validate_value:
 * @name: a setting name
 * @value: a value for it
 * @error: return location for a #GError
 *
 * Checks that @name is a known setting and that @value is valid for it, as
 * [method@PrefectCtx.Settings.copy_with_update] does.
 *
 * Returns: %TRUE if @value can be set, else %FALSE with @error set
 *   (%PREFECT_CTX_ERROR_INVALID_ARGUMENT)
 */
gboolean
prefect_ctx_settings_validate_value (const char  *name,
                                     const char  *value,
                                     GError     **error)
{
  g_autofree char *normalized = NULL;
  int index;

  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  index = find_setting (name);
  if (index < 0)
    return unknown_setting (name, error);

  normalized = normalize_value ((guint) index, value, error);
  return normalized != NULL;
}
