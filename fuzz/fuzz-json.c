/* fuzz-json.c: the fuzz harness of the library's JSON readers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every input goes through each model's JSON reader (flow, flow run, task
 * run, state, log entry, deployment: the shapes the REST API and the store
 * hand the library; hydrated contexts and server bodies go through the
 * same reader, models/prefectctx-json-value.c). For each one:
 *
 * - it returns a model, or fails with PREFECT_CTX_ERROR_INVALID_ARGUMENT
 *   and a UTF-8 message; it never crashes (deep nesting, long lists,
 *   invalid UTF-8, lone surrogates, huge numbers);
 * - every string of a model it returns is valid UTF-8;
 * - a model written back to JSON reads again, and writing that gives the
 *   same text (the writer is stable, NaN and infinities included).
 *
 * A broken invariant aborts.
 */
#include "config.h"

#include <prefectctx.h>

#define FUZZ_NAME "fuzz-json"
#include "fuzz-check.h"

typedef gpointer (*ReadFunc) (const char *json, GError **error);
typedef char    *(*WriteFunc) (gpointer model);

typedef struct {
  const char *name;
  ReadFunc    read;
  WriteFunc   write;
} Model;

static const Model models[] = {
  { "Flow",       (ReadFunc) prefect_ctx_flow_new_from_json,       (WriteFunc) prefect_ctx_flow_to_json },
  { "FlowRun",    (ReadFunc) prefect_ctx_flow_run_new_from_json,   (WriteFunc) prefect_ctx_flow_run_to_json },
  { "TaskRun",    (ReadFunc) prefect_ctx_task_run_new_from_json,   (WriteFunc) prefect_ctx_task_run_to_json },
  { "State",      (ReadFunc) prefect_ctx_state_new_from_json,      (WriteFunc) prefect_ctx_state_to_json },
  { "LogEntry",   (ReadFunc) prefect_ctx_log_entry_new_from_json,  (WriteFunc) prefect_ctx_log_entry_to_json },
  { "Deployment", (ReadFunc) prefect_ctx_deployment_new_from_json, (WriteFunc) prefect_ctx_deployment_to_json },
};

/* Every string property of @model is valid UTF-8. */
static void
check_strings (GObject    *model,
               const char *name)
{
  guint n = 0;
  g_autofree GParamSpec **pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (model), &n);

  for (guint i = 0; i < n; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      if (!(pspecs[i]->flags & G_PARAM_READABLE))
        continue;
      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (model, pspecs[i]->name, &value);
      if (G_VALUE_HOLDS_STRING (&value) && g_value_get_string (&value) != NULL)
        check (g_utf8_validate (g_value_get_string (&value), -1, NULL),
               "%s.%s is not UTF-8", name, pspecs[i]->name);
      if (G_VALUE_HOLDS (&value, G_TYPE_STRV) && g_value_get_boxed (&value) != NULL)
        for (const char * const *s = g_value_get_boxed (&value); *s != NULL; s++)
          check (g_utf8_validate (*s, -1, NULL), "%s.%s has a string that is not UTF-8", name, pspecs[i]->name);
    }
}

static void
fuzz_model (const Model *model,
            const char  *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) read = model->read (text, &error);
  g_autoptr(GObject) again = NULL;
  g_autofree char *written = NULL;
  g_autofree char *rewritten = NULL;

  if (read == NULL)
    {
      check (error != NULL, "%s: failure without an error", model->name);
      check (g_utf8_validate (error->message, -1, NULL), "%s: error message is not UTF-8", model->name);
      check (error->domain == PREFECT_CTX_ERROR && error->code == PREFECT_CTX_ERROR_INVALID_ARGUMENT,
             "%s: unexpected error %s %d: %s", model->name, g_quark_to_string (error->domain),
             error->code, error->message);
      return;
    }

  check (error == NULL, "%s: a model and an error", model->name);
  check_strings (read, model->name);
  written = model->write (read);
  again = model->read (written, &error);
  check (again != NULL, "%s: what it wrote does not read: %s\n%s", model->name,
         error != NULL ? error->message : "(no error)", written);
  rewritten = model->write (again);
  check (g_strcmp0 (written, rewritten) == 0, "%s: writing is not stable:\n%s\n%s",
         model->name, written, rewritten);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* The readers take nul-terminated text: an input with a NUL is read up
   * to it, as a C caller's string would be. */
  g_autofree char *text = size > 0 ? g_strndup ((const char *) data, size) : g_strdup ("");

  for (gsize i = 0; i < G_N_ELEMENTS (models); i++)
    fuzz_model (&models[i], text);

  return 0;
}
