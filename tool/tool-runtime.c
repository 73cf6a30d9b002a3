/* tool-runtime.c: prefectctx runtime [MODULE[.ATTRIBUTE]…]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Prints prefect.runtime as this process's environment resolves it: outside
 * any run, so the values come from PREFECT__FLOW_RUN_ID (read through the
 * run store), the PREFECT__RUNTIME__* mocks, the settings, or are empty.
 */
#include "prefectctx-tool.h"

typedef struct
{
  char     *module;
  char     *attribute;
  GVariant *value;     /* NULL: None, or failed */
  GError   *error;
} Attribute;

static void
attribute_free (gpointer data)
{
  Attribute *attribute = data;

  g_free (attribute->module);
  g_free (attribute->attribute);
  g_clear_pointer (&attribute->value, g_variant_unref);
  g_clear_error (&attribute->error);
  g_free (attribute);
}

static void
add_attribute (GPtrArray  *attributes,
               const char *module,
               const char *name)
{
  Attribute *attribute = g_new0 (Attribute, 1);

  attribute->module = g_strdup (module);
  attribute->attribute = g_strdup (name);
  attribute->value = prefect_ctx_runtime_get (module, name, &attribute->error);
  g_ptr_array_add (attributes, attribute);
}

static void
add_module (GPtrArray  *attributes,
            const char *module)
{
  const char * const *names = prefect_ctx_runtime_list_attributes (module);

  for (guint a = 0; names != NULL && names[a] != NULL; a++)
    add_attribute (attributes, module, names[a]);
}

static gboolean
is_module (const char *name)
{
  return g_strv_contains (prefect_ctx_runtime_list_modules (), name);
}

static int
runtime_run (int argc, char **argv, GError **error)
{
  g_autoptr(GPtrArray) attributes = g_ptr_array_new_with_free_func (attribute_free);
  gboolean failed = FALSE;

  if (argc < 2)
    {
      const char * const *modules = prefect_ctx_runtime_list_modules ();

      for (guint m = 0; modules[m] != NULL; m++)
        add_module (attributes, modules[m]);
    }

  for (int i = 1; i < argc; i++)
    {
      const char *dot = strchr (argv[i], '.');
      g_autofree char *module = dot != NULL ? g_strndup (argv[i], dot - argv[i]) : g_strdup (argv[i]);

      if (!is_module (module))
        {
          g_autofree char *known = g_strjoinv (", ", (char **) prefect_ctx_runtime_list_modules ());

          g_set_error (error, TOOL_USAGE_ERROR, 0,
                       "Unknown runtime module '%s' (the modules are %s)", module, known);
          return TOOL_EXIT_USAGE;
        }

      if (dot == NULL)
        add_module (attributes, module);
      else
        add_attribute (attributes, module, dot + 1);
    }

  if (tool_get_json ())
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      const char *open_module = NULL;

      json_builder_begin_object (builder);
      for (guint i = 0; i < attributes->len; i++)
        {
          Attribute *attribute = attributes->pdata[i];

          if (attribute->error != NULL)
            continue;
          if (g_strcmp0 (open_module, attribute->module) != 0)
            {
              if (open_module != NULL)
                json_builder_end_object (builder);
              json_builder_set_member_name (builder, attribute->module);
              json_builder_begin_object (builder);
              open_module = attribute->module;
            }
          json_builder_set_member_name (builder, attribute->attribute);
          if (attribute->value != NULL)
            json_builder_add_value (builder, json_gvariant_serialize (attribute->value));
          else
            json_builder_add_null_value (builder);
        }
      if (open_module != NULL)
        json_builder_end_object (builder);
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      tool_print_json (root);
    }
  else
    {
      int width = 0;

      for (guint i = 0; i < attributes->len; i++)
        {
          Attribute *attribute = attributes->pdata[i];

          if (attribute->error != NULL)
            continue;  /* reported on stderr, not in the table */
          width = MAX (width, (int) (strlen (attribute->module) + 1 + strlen (attribute->attribute)));
        }

      for (guint i = 0; i < attributes->len; i++)
        {
          Attribute *attribute = attributes->pdata[i];
          g_autofree char *full = g_strdup_printf ("%s.%s", attribute->module, attribute->attribute);
          g_autofree char *value = NULL;

          if (attribute->error != NULL)
            continue;
          value = tool_format_variant (attribute->value);
          g_print ("%-*s  %s\n", width, full, value);
        }
    }

  for (guint i = 0; i < attributes->len; i++)
    {
      Attribute *attribute = attributes->pdata[i];

      if (attribute->error != NULL)
        {
          g_printerr ("%s: %s\n", argv[0], attribute->error->message);
          failed = TRUE;
        }
    }

  return failed ? TOOL_EXIT_FAILURE : TOOL_EXIT_OK;
}

const ToolCommand tool_runtime_command = {
  .name = "runtime",
  .parameter_string = "[MODULE[.ATTRIBUTE]…]",
  .summary = "Print prefect.runtime as the current environment resolves it",
  .description =
    "With no argument, every attribute of the modules flow_run, task_run and deployment.\n"
    "Values are JSON; null is None. Outside a run they come from PREFECT__FLOW_RUN_ID\n"
    "(read from the run store), the PREFECT__RUNTIME__MODULE__KEY mocks and the settings.\n"
    "An attribute that cannot be resolved is reported on stderr and the exit status is 1.",
  .run = runtime_run,
};
