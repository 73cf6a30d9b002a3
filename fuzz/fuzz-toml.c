/* fuzz-toml.c: libFuzzer harness for the profiles.toml reader and writer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * For every input:
 * - the TOML parser either returns a document or fails with a
 *   PREFECT_CTX_ERROR_INVALID_ARGUMENT error "fuzz.toml:LINE:COLUMN: ..."
 *   in valid UTF-8;
 * - a document written back and parsed again is equal to it, and writing
 *   that one gives the same text (the writer is a fixed point);
 * - PrefectCtxProfiles loads the input or fails with a well-formed error,
 *   and what it saves loads again and saves to the same text.
 * Any violation aborts, which libFuzzer reports as a crash. The sanitizers
 * (AddressSanitizer, UndefinedBehaviorSanitizer) catch memory errors.
 *
 * Built by fuzz/meson.build with clang -fsanitize=fuzzer,address,undefined
 * (fuzz-toml), and with the project's compiler together with fuzz-main.c
 * into fuzz-toml-replay, which replays the corpus and can mutate it without
 * libFuzzer. See fuzz/README.md.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefectctx-error.h"
#include "prefectctx-profiles.h"
#include "prefectctx-toml-private.h"

#define FUZZ_NAME "fuzz-toml"
#include "fuzz-check.h"

static void
check_error (const GError *error,
             const char   *source)
{
  check (error != NULL, "failure without an error");
  check (g_utf8_validate (error->message, -1, NULL), "error message is not UTF-8");
  check (g_str_has_prefix (error->message, source),
         "error message does not start with the source: %s", error->message);
  check (error->domain == PREFECT_CTX_ERROR && error->code == PREFECT_CTX_ERROR_INVALID_ARGUMENT,
         "unexpected error %s %d: %s", g_quark_to_string (error->domain), error->code, error->message);
}

static void
fuzz_document (const char *data,
               gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxTomlNode) root = NULL;
  g_autoptr(PrefectCtxTomlNode) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  root = _prefect_ctx_toml_parse (data, size, "fuzz.toml", &error);
  if (root == NULL)
    {
      check_error (error, "fuzz.toml:");
      return;
    }
  check (error == NULL, "error set on success");

  text = _prefect_ctx_toml_write (root);
  if (strlen (text) > PREFECT_CTX_TOML_MAX_SIZE)
    return;
  again = _prefect_ctx_toml_parse (text, strlen (text), "written.toml", &error);
  check (again != NULL, "written document does not parse: %s\n%s",
         error ? error->message : "?", text);
  check (_prefect_ctx_toml_node_equal (root, again), "written document differs:\n%s", text);

  text_again = _prefect_ctx_toml_write (again);
  check (strcmp (text, text_again) == 0, "writer is not stable:\n%s\n---\n%s", text, text_again);
}

static void
fuzz_profiles (const char *data,
               gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PrefectCtxProfiles) profiles = NULL;
  g_autoptr(PrefectCtxProfiles) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  const char * const *names;

  profiles = prefect_ctx_profiles_load_from_data (data, (gssize) size, "fuzz.toml", &error);
  if (profiles == NULL)
    {
      check_error (error, "fuzz.toml:");
      return;
    }

  names = prefect_ctx_profiles_get_names (profiles);
  for (guint i = 0; names[i] != NULL; i++)
    {
      PrefectCtxProfile *profile = prefect_ctx_profiles_lookup (profiles, names[i]);
      g_autofree char *description = NULL;

      check (profile != NULL, "profile '%s' listed but not found", names[i]);
      description = prefect_ctx_profile_to_string (profile);
      check (g_utf8_validate (description, -1, NULL), "profile description is not UTF-8");
    }

  text = prefect_ctx_profiles_to_toml (profiles);
  if (strlen (text) > PREFECT_CTX_TOML_MAX_SIZE)
    return;
  again = prefect_ctx_profiles_load_from_data (text, -1, "saved.toml", &error);
  check (again != NULL, "saved profiles do not load: %s\n%s", error ? error->message : "?", text);
  check (g_strcmp0 (prefect_ctx_profiles_get_active_name (profiles),
                    prefect_ctx_profiles_get_active_name (again)) == 0, "active name changed");
  text_again = prefect_ctx_profiles_to_toml (again);
  check (strcmp (text, text_again) == 0, "saving is not stable:\n%s\n---\n%s", text, text_again);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* an empty input has no pointer guarantee */
  const char *text = size > 0 ? (const char *) data : "";

  fuzz_document (text, size);
  fuzz_profiles (text, size);

  return 0;
}
