#include "config.h"

#include "prefectctx-log-entry.h"

struct _PrefectCtxLogEntry { GObject parent_instance; };

G_DEFINE_FINAL_TYPE (PrefectCtxLogEntry, prefect_ctx_log_entry, G_TYPE_OBJECT)

static void prefect_ctx_log_entry_class_init (PrefectCtxLogEntryClass *klass) { (void) klass; }
static void prefect_ctx_log_entry_init (PrefectCtxLogEntry *self) { (void) self; }

PrefectCtxLogEntry  *prefect_ctx_log_entry_new_from_json      (const char          *json,
                                                               GError             **error)
{
  (void) json; (void) error;
  return NULL;
}

PrefectCtxLogEntry  *prefect_ctx_log_entry_new_from_json_node (JsonNode            *node,
                                                               GError             **error)
{
  (void) node; (void) error;
  return NULL;
}

char                *prefect_ctx_log_entry_to_json            (PrefectCtxLogEntry  *self)
{
  (void) self;
  return NULL;
}

JsonNode            *prefect_ctx_log_entry_to_json_node       (PrefectCtxLogEntry  *self)
{
  (void) self;
  return NULL;
}

int                  prefect_ctx_log_entry_get_level          (PrefectCtxLogEntry  *self)
{
  (void) self;
  return 0;
}

const char          *prefect_ctx_log_entry_get_message        (PrefectCtxLogEntry  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_log_entry_get_name           (PrefectCtxLogEntry  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_log_entry_get_flow_run_id    (PrefectCtxLogEntry  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_log_entry_get_task_run_id    (PrefectCtxLogEntry  *self)
{
  (void) self;
  return NULL;
}

