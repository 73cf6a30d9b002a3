#include "config.h"

#include "prefectctx-task-run.h"

struct _PrefectCtxTaskRun { GObject parent_instance; };

G_DEFINE_FINAL_TYPE (PrefectCtxTaskRun, prefect_ctx_task_run, G_TYPE_OBJECT)

static void prefect_ctx_task_run_class_init (PrefectCtxTaskRunClass *klass) { (void) klass; }
static void prefect_ctx_task_run_init (PrefectCtxTaskRun *self) { (void) self; }

PrefectCtxTaskRun   *prefect_ctx_task_run_new_from_json      (const char         *json,
                                                              GError            **error)
{
  (void) json; (void) error;
  return NULL;
}

PrefectCtxTaskRun   *prefect_ctx_task_run_new_from_json_node (JsonNode           *node,
                                                              GError            **error)
{
  (void) node; (void) error;
  return NULL;
}

char                *prefect_ctx_task_run_to_json            (PrefectCtxTaskRun  *self)
{
  (void) self;
  return NULL;
}

JsonNode            *prefect_ctx_task_run_to_json_node       (PrefectCtxTaskRun  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_task_run_get_id             (PrefectCtxTaskRun  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_task_run_get_name           (PrefectCtxTaskRun  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_task_run_get_flow_run_id    (PrefectCtxTaskRun  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_task_run_get_task_key       (PrefectCtxTaskRun  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_task_run_get_dynamic_key    (PrefectCtxTaskRun  *self)
{
  (void) self;
  return NULL;
}

const char * const  *prefect_ctx_task_run_get_tags           (PrefectCtxTaskRun  *self)
{
  (void) self;
  return NULL;
}

/**
 * prefect_ctx_task_run_get_state:
 * @self: a run
 *
 * Returns: (transfer none) (nullable): the state
 */
PrefectCtxState     *prefect_ctx_task_run_get_state          (PrefectCtxTaskRun  *self)
{
  (void) self;
  return NULL;
}

int                  prefect_ctx_task_run_get_run_count      (PrefectCtxTaskRun  *self)
{
  (void) self;
  return 0;
}

int                  prefect_ctx_task_run_get_map_index      (PrefectCtxTaskRun  *self)
{
  (void) self;
  return 0;
}

