#include "config.h"

#include "prefectctx-flow.h"

struct _PrefectCtxFlow { GObject parent_instance; };

G_DEFINE_FINAL_TYPE (PrefectCtxFlow, prefect_ctx_flow, G_TYPE_OBJECT)

static void prefect_ctx_flow_class_init (PrefectCtxFlowClass *klass) { (void) klass; }
static void prefect_ctx_flow_init (PrefectCtxFlow *self) { (void) self; }

PrefectCtxFlow      *prefect_ctx_flow_new                (const char      *name)
{
  (void) name;
  return NULL;
}

PrefectCtxFlow      *prefect_ctx_flow_new_from_json      (const char      *json,
                                                          GError         **error)
{
  (void) json; (void) error;
  return NULL;
}

PrefectCtxFlow      *prefect_ctx_flow_new_from_json_node (JsonNode        *node,
                                                          GError         **error)
{
  (void) node; (void) error;
  return NULL;
}

char                *prefect_ctx_flow_to_json            (PrefectCtxFlow  *self)
{
  (void) self;
  return NULL;
}

JsonNode            *prefect_ctx_flow_to_json_node       (PrefectCtxFlow  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_flow_get_id             (PrefectCtxFlow  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_flow_get_name           (PrefectCtxFlow  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_flow_get_version        (PrefectCtxFlow  *self)
{
  (void) self;
  return NULL;
}

const char          *prefect_ctx_flow_get_description    (PrefectCtxFlow  *self)
{
  (void) self;
  return NULL;
}

const char * const  *prefect_ctx_flow_get_tags           (PrefectCtxFlow  *self)
{
  (void) self;
  return NULL;
}

