#include "config.h"

#include "prefectctx-flow-run.h"

struct _PrefectCtxFlowRun { GObject parent_instance; };

G_DEFINE_FINAL_TYPE (PrefectCtxFlowRun, prefect_ctx_flow_run, G_TYPE_OBJECT)

static void prefect_ctx_flow_run_class_init (PrefectCtxFlowRunClass *klass) { (void) klass; }
static void prefect_ctx_flow_run_init (PrefectCtxFlowRun *self) { (void) self; }

PrefectCtxFlowRun   *prefect_ctx_flow_run_new_from_json           (const char         *json,
                                                                   GError            **error)
{
  (void) json; (void) error;
  return NULL;
}

PrefectCtxFlowRun   *prefect_ctx_flow_run_new_from_json_node      (JsonNode           *node,
                                                                   GError            **error)
{
  (void) node; (void) error;
  return NULL;
}

char                *prefect_ctx_flow_run_to_json                 (PrefectCtxFlowRun  *self)
{
  (void) self;
  return NULL;
}

JsonNode            *prefect_ctx_flow_run_to_json_node            (PrefectCtxFlowRun  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_flow_run_get_id                  (PrefectCtxFlowRun  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_flow_run_get_name                (PrefectCtxFlowRun  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_flow_run_get_flow_id             (PrefectCtxFlowRun  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_flow_run_get_flow_version        (PrefectCtxFlowRun  *self)
{
  (void) self;
  return NULL;
}

const char * const  *prefect_ctx_flow_run_get_tags                (PrefectCtxFlowRun  *self)
{
  (void) self;
  return NULL;
}

/**
 * prefect_ctx_flow_run_get_state:
 * @self: a run
 *
 * Returns: (transfer none) (nullable): the state
 */
PrefectCtxState     *prefect_ctx_flow_run_get_state               (PrefectCtxFlowRun  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_flow_run_get_parent_task_run_id  (PrefectCtxFlowRun  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_flow_run_get_deployment_id       (PrefectCtxFlowRun  *self)
{
  (void) self;
  return NULL;
}

int                  prefect_ctx_flow_run_get_run_count           (PrefectCtxFlowRun  *self)
{
  (void) self;
  return 0;
}

