#include "config.h"

#include "prefectctx-deployment.h"

struct _PrefectCtxDeployment { GObject parent_instance; };

G_DEFINE_FINAL_TYPE (PrefectCtxDeployment, prefect_ctx_deployment, G_TYPE_OBJECT)

static void prefect_ctx_deployment_class_init (PrefectCtxDeploymentClass *klass) { (void) klass; }
static void prefect_ctx_deployment_init (PrefectCtxDeployment *self) { (void) self; }

PrefectCtxDeployment  *prefect_ctx_deployment_new_from_json      (const char            *json,
                                                                  GError               **error)
{
  (void) json; (void) error;
  return NULL;
}

PrefectCtxDeployment  *prefect_ctx_deployment_new_from_json_node (JsonNode              *node,
                                                                  GError               **error)
{
  (void) node; (void) error;
  return NULL;
}

char                  *prefect_ctx_deployment_to_json            (PrefectCtxDeployment  *self)
{
  (void) self;
  return NULL;
}

JsonNode              *prefect_ctx_deployment_to_json_node       (PrefectCtxDeployment  *self)
{
  (void) self;
  return NULL;
}

const char            *prefect_ctx_deployment_get_id             (PrefectCtxDeployment  *self)
{
  (void) self;
  return NULL;
}

const char            *prefect_ctx_deployment_get_name           (PrefectCtxDeployment  *self)
{
  (void) self;
  return NULL;
}

const char            *prefect_ctx_deployment_get_version        (PrefectCtxDeployment  *self)
{
  (void) self;
  return NULL;
}

const char            *prefect_ctx_deployment_get_flow_id        (PrefectCtxDeployment  *self)
{
  (void) self;
  return NULL;
}

const char * const    *prefect_ctx_deployment_get_tags           (PrefectCtxDeployment  *self)
{
  (void) self;
  return NULL;
}

