/* prefectctx-tool.h: what the commands of the prefectctx tool share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <prefectctx.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Exit codes of the tool. */
#define TOOL_EXIT_OK      0
#define TOOL_EXIT_FAILURE 1  /* the command ran and failed (not found, no store...) */
#define TOOL_EXIT_USAGE   2  /* the command line is wrong */

/* The error domain of command-line mistakes found after option parsing
 * (a missing argument, an out-of-range value): reported like GOptionContext's
 * errors, with a hint to --help, and exit code 2. */
#define TOOL_USAGE_ERROR (tool_usage_error_quark ())
GQuark tool_usage_error_quark (void);

typedef struct _ToolCommand ToolCommand;

/* A leaf command: argv[0] is the command's full name ("prefectctx flow-run
 * ls"), argv[1..argc-1] the arguments left after option parsing. Returns
 * the exit code; on failure sets @error (a TOOL_USAGE_ERROR gives exit 2,
 * anything else 1) or prints its own message and returns non-zero. */
typedef int (*ToolRunFunc) (int        argc,
                            char     **argv,
                            GError   **error);

struct _ToolCommand
{
  const char          *name;
  const char          *parameter_string;  /* "ID", "[NAME]", or NULL */
  const char          *summary;           /* one line, shown in the parent's list */
  const char          *description;       /* shown at the end of --help, or NULL */
  const GOptionEntry  *entries;           /* the command's own options, or NULL */
  ToolRunFunc          run;               /* NULL for a group of subcommands */
  const ToolCommand   *subcommands;       /* { NULL } terminated, for groups */
};

/* Global options, set by every level of the command line. */
gboolean tool_get_json (void);

/* Output helpers. */
void     tool_print_json           (JsonNode     *node);
JsonNode *tool_list_to_json       (GListModel   *list,
                                    JsonNode     *(*to_node) (gpointer item));
char    *tool_format_time          (GDateTime    *time);
char    *tool_format_duration      (GDateTime    *start,
                                    GDateTime    *end);
char    *tool_format_variant       (GVariant     *value);
JsonNode *tool_time_node           (GDateTime    *time);
const char *tool_log_level_name    (int           level);

/* The one ID argument of a command (argv[1]): a usage error when it is
 * missing or followed by more. */
gboolean tool_check_id_arg         (int           argc,
                                    GError      **error);
/* A store's NOT_FOUND for the ID a command was given, named: "<What> 'ID'
 * not found". Other errors are left as they are. */
void     tool_name_missing         (GError      **error,
                                    const char   *what,
                                    const char   *id);

/* The arguments of a list command: nothing but its options, and a --limit
 * of at least 1; otherwise a usage error. */
gboolean tool_check_ls_args        (int           argc,
                                    int           limit,
                                    GError      **error);
/* What a list command prints when it is not a table: @list as JSON with
 * --json, or the line @empty when @list has no items. TRUE when it printed
 * one of them, and the command is done. */
gboolean tool_print_ls_json_or_empty (GListModel  *list,
                                      JsonNode    *(*to_node) (gpointer item),
                                      const char  *empty);

/* The run store of the current settings; a missing store is an error
 * (PREFECT_CTX_ERROR_NOT_FOUND) rather than a new empty database. The
 * local store is opened read-only, or with _to_write to change it. */
PrefectCtxClient *tool_open_store  (GError      **error);
PrefectCtxClient *tool_open_store_to_write (GError **error);
/* The ID a command was given, @arg: itself when it is a whole UUID, or the
 * store a server (the REST API takes whole IDs only); else the one ID of a
 * flow run (a task run with @task_run) of the local store that starts with
 * it, or @arg itself when none does. NULL with @error set when more than
 * one does. */
char    *tool_expand_id            (PrefectCtxClient *client,
                                    gboolean          task_run,
                                    const char       *arg,
                                    GError          **error);
/* The store for a command of one ID argument, argv[1]: a usage error
 * (*@status TOOL_EXIT_USAGE) unless there is exactly one; the store opened
 * as tool_open_store () (or _to_write) does; then argv[1] made to point
 * at the whole ID (tool_expand_id ()), kept in *@whole_id to free. NULL
 * with @error set and *@status the exit code on failure. */
PrefectCtxClient *tool_open_store_for_id (int          argc,
                                          char       **argv,
                                          gboolean     task_run,
                                          gboolean     to_write,
                                          char       **whole_id,
                                          int         *status,
                                          GError     **error);
/* A flow's name for its ID ("-" for none, "?" when unknown), read once
 * per ID into @cache (a GHashTable of strings it owns). */
const char *tool_lookup_flow_name  (PrefectCtxClient *client,
                                    GHashTable       *cache,
                                    const char       *flow_id);
char    *tool_get_store_path       (void);
char    *tool_describe_store       (void);
char    *tool_get_store_location   (void);

/* Flow runs (tool-flow-run.c). */
gboolean tool_print_flow_run       (PrefectCtxClient   *client,
                                    const char         *id,
                                    gboolean            with_logs,
                                    gboolean            all,
                                    GError            **error);
JsonNode *tool_flow_run_to_json    (PrefectCtxClient   *client,
                                    const char         *id,
                                    gboolean            with_logs,
                                    GError            **error);
void     tool_print_log_line       (PrefectCtxLogEntry *entry,
                                    const char         *flow_run_name,
                                    GHashTable         *task_run_names);

/* Commands. */
extern const ToolCommand tool_config_command;
extern const ToolCommand tool_deployment_command;
extern const ToolCommand tool_profile_command;
extern const ToolCommand tool_task_run_command;
extern const ToolCommand tool_runtime_command;
extern const ToolCommand tool_flow_command;
extern const ToolCommand tool_flow_run_command;
extern const ToolCommand tool_demo_command;

G_END_DECLS
