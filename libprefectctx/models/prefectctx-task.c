#include "config.h"

#include "prefectctx-task.h"

struct _PrefectCtxTask { GObject parent_instance; };

G_DEFINE_FINAL_TYPE (PrefectCtxTask, prefect_ctx_task, G_TYPE_OBJECT)

static void prefect_ctx_task_class_init (PrefectCtxTaskClass *klass) { (void) klass; }
static void prefect_ctx_task_init (PrefectCtxTask *self) { (void) self; }

PrefectCtxTask      *prefect_ctx_task_new                     (const char      *name)
{
  (void) name;
  return NULL;
}

PrefectCtxTask      *prefect_ctx_task_new_from_json           (const char      *json,
                                                               GError         **error)
{
  (void) json; (void) error;
  return NULL;
}

PrefectCtxTask      *prefect_ctx_task_new_from_json_node      (JsonNode        *node,
                                                               GError         **error)
{
  (void) node; (void) error;
  return NULL;
}

char                *prefect_ctx_task_to_json                 (PrefectCtxTask  *self)
{
  (void) self;
  return NULL;
}

JsonNode            *prefect_ctx_task_to_json_node            (PrefectCtxTask  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_task_get_name                (PrefectCtxTask  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_task_get_task_key            (PrefectCtxTask  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_task_get_description         (PrefectCtxTask  *self)
{
  (void) self;
  return NULL;
}

const char * const  *prefect_ctx_task_get_tags                (PrefectCtxTask  *self)
{
  (void) self;
  return NULL;
}

int                  prefect_ctx_task_get_retries             (PrefectCtxTask  *self)
{
  (void) self;
  return 0;
}

double               prefect_ctx_task_get_retry_delay_seconds (PrefectCtxTask  *self)
{
  (void) self;
  return 0;
}

