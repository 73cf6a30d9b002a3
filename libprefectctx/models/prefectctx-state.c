#include "config.h"

#include "prefectctx-state.h"

struct _PrefectCtxState { GObject parent_instance; };

G_DEFINE_FINAL_TYPE (PrefectCtxState, prefect_ctx_state, G_TYPE_OBJECT)

static void prefect_ctx_state_class_init (PrefectCtxStateClass *klass) { (void) klass; }
static void prefect_ctx_state_init (PrefectCtxState *self) { (void) self; }

const char *prefect_ctx_state_type_to_string   (PrefectCtxStateType  type)
{
  (void) type;
  return NULL;
}

gboolean    prefect_ctx_state_type_from_string (const char          *string,
                                                PrefectCtxStateType *out)
{
  (void) string; (void) out;
  return 0;
}

gboolean    prefect_ctx_state_type_is_finished (PrefectCtxStateType  type)
{
  (void) type;
  return 0;
}

PrefectCtxState      *prefect_ctx_state_new                (PrefectCtxStateType   type,
                                                            const char           *name,
                                                            const char           *message)
{
  (void) type; (void) name; (void) message;
  return NULL;
}

PrefectCtxState      *prefect_ctx_state_new_from_json      (const char           *json,
                                                            GError              **error)
{
  (void) json; (void) error;
  return NULL;
}

PrefectCtxState      *prefect_ctx_state_new_from_json_node (JsonNode             *node,
                                                            GError              **error)
{
  (void) node; (void) error;
  return NULL;
}

char                 *prefect_ctx_state_to_json            (PrefectCtxState      *self)
{
  (void) self;
  return NULL;
}

JsonNode             *prefect_ctx_state_to_json_node       (PrefectCtxState      *self)
{
  (void) self;
  return NULL;
}

PrefectCtxStateType   prefect_ctx_state_get_state_type     (PrefectCtxState      *self)
{
  (void) self;
  return 0;
}

const char           *prefect_ctx_state_get_name           (PrefectCtxState      *self)
{
  (void) self;
  return NULL;
}

const char           *prefect_ctx_state_get_message        (PrefectCtxState      *self)
{
  (void) self;
  return NULL;
}

gboolean              prefect_ctx_state_is_finished        (PrefectCtxState      *self)
{
  (void) self;
  return 0;
}

