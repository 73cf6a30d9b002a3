/* prefectctx-profiles.c: the profiles file (profiles.toml) -- stub, being implemented
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "prefectctx-profiles.h"
#include "prefectctx-error.h"

/**
 * PrefectCtxProfiles:
 *
 * The profiles file.
 */
struct _PrefectCtxProfiles
{
  GObject parent_instance;
  GPtrArray *profiles;
  GPtrArray *names;
  char *active;
  char *path;
};

G_DEFINE_FINAL_TYPE (PrefectCtxProfiles, prefect_ctx_profiles, G_TYPE_OBJECT)

static void
prefect_ctx_profiles_finalize (GObject *object)
{
  PrefectCtxProfiles *self = PREFECT_CTX_PROFILES (object);

  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->active, g_free);
  g_clear_pointer (&self->path, g_free);
  G_OBJECT_CLASS (prefect_ctx_profiles_parent_class)->finalize (object);
}

static void
prefect_ctx_profiles_class_init (PrefectCtxProfilesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = prefect_ctx_profiles_finalize;
}

static void
prefect_ctx_profiles_init (PrefectCtxProfiles *self)
{
  self->profiles = g_ptr_array_new_with_free_func (g_object_unref);
  self->names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->profiles, prefect_ctx_profile_new ("default", NULL, NULL, NULL));
  g_ptr_array_add (self->names, g_strdup ("default"));
  g_ptr_array_add (self->names, NULL);
  self->active = g_strdup ("default");
}

/**
 * prefect_ctx_profiles_new:
 *
 * Returns: (transfer full): profiles
 */
PrefectCtxProfiles *
prefect_ctx_profiles_new (void)
{
  return g_object_new (PREFECT_CTX_TYPE_PROFILES, NULL);
}

/**
 * prefect_ctx_profiles_load:
 * @error: return location for a #GError
 *
 * Returns: (transfer full): profiles
 */
PrefectCtxProfiles *
prefect_ctx_profiles_load (GError **error)
{
  return prefect_ctx_profiles_new ();
}

/**
 * prefect_ctx_profiles_load_from_file:
 * @path: (type filename): path
 * @error: return location for a #GError
 *
 * Returns: (transfer full): profiles
 */
PrefectCtxProfiles *
prefect_ctx_profiles_load_from_file (const char *path, GError **error)
{
  return prefect_ctx_profiles_new ();
}

/**
 * prefect_ctx_profiles_load_from_data:
 * @data: (array length=length) (element-type guint8): TOML text
 * @length: length of @data, or -1 if NUL-terminated
 * @source_name: (nullable): name for error messages
 * @error: return location for a #GError
 *
 * Returns: (transfer full): profiles
 */
PrefectCtxProfiles *
prefect_ctx_profiles_load_from_data (const char *data, gssize length, const char *source_name, GError **error)
{
  return prefect_ctx_profiles_new ();
}

/**
 * prefect_ctx_profiles_get_path:
 * @self: profiles
 *
 * Returns: (transfer none) (nullable) (type filename): path
 */
const char *
prefect_ctx_profiles_get_path (PrefectCtxProfiles *self)
{
  return self->path;
}

/**
 * prefect_ctx_profiles_get_active_name:
 * @self: profiles
 *
 * Returns: (transfer none) (nullable): active name
 */
const char *
prefect_ctx_profiles_get_active_name (PrefectCtxProfiles *self)
{
  return self->active;
}

/**
 * prefect_ctx_profiles_get_active:
 * @self: profiles
 *
 * Returns: (transfer none) (nullable): active profile
 */
PrefectCtxProfile *
prefect_ctx_profiles_get_active (PrefectCtxProfiles *self)
{
  return prefect_ctx_profiles_lookup (self, self->active);
}

/**
 * prefect_ctx_profiles_get_names:
 * @self: profiles
 *
 * Returns: (transfer none) (array zero-terminated=1): names
 */
const char * const *
prefect_ctx_profiles_get_names (PrefectCtxProfiles *self)
{
  return (const char * const *) self->names->pdata;
}

/**
 * prefect_ctx_profiles_lookup:
 * @self: profiles
 * @name: name
 *
 * Returns: (transfer none) (nullable): profile
 */
PrefectCtxProfile *
prefect_ctx_profiles_lookup (PrefectCtxProfiles *self, const char *name)
{
  for (guint i = 0; i < self->profiles->len; i++)
    if (g_strcmp0 (prefect_ctx_profile_get_name (self->profiles->pdata[i]), name) == 0)
      return self->profiles->pdata[i];
  return NULL;
}

/**
 * prefect_ctx_profiles_add_profile:
 * @self: profiles
 * @profile: a profile
 */
void
prefect_ctx_profiles_add_profile (PrefectCtxProfiles *self, PrefectCtxProfile *profile)
{
}

/**
 * prefect_ctx_profiles_remove_profile:
 * @self: profiles
 * @name: name
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
prefect_ctx_profiles_remove_profile (PrefectCtxProfiles *self, const char *name, GError **error)
{
  return TRUE;
}

/**
 * prefect_ctx_profiles_set_active:
 * @self: profiles
 * @name: (nullable): name
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
prefect_ctx_profiles_set_active (PrefectCtxProfiles *self, const char *name, GError **error)
{
  return TRUE;
}

/**
 * prefect_ctx_profiles_to_toml:
 * @self: profiles
 *
 * Returns: (transfer full): TOML
 */
char *
prefect_ctx_profiles_to_toml (PrefectCtxProfiles *self)
{
  return g_strdup ("");
}

/**
 * prefect_ctx_profiles_save:
 * @self: profiles
 * @path: (nullable) (type filename): path
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
prefect_ctx_profiles_save (PrefectCtxProfiles *self, const char *path, GError **error)
{
  return TRUE;
}
