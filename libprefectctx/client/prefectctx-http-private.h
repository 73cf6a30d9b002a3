/* prefectctx-http-private.h: what the two files of the HTTP client share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * prefectctx-http-transport.c sends requests (retries, waits, deadlines,
 * the server's error detail) and builds and reads JSON bodies;
 * prefectctx-http-client.c is the GObject and the REST operations of
 * PrefectCtxClient.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "prefectctx-http-client.h"

G_BEGIN_DECLS

/* The most objects the server returns per filter request. */
#define PAGE_SIZE 200

/* The longest wait the server may ask for with WAIT, in seconds. */
#define MAX_ORCHESTRATION_WAIT 60.0

/* The threads (and connections) that ship queued task-run states. */
#define HTTP_QUEUE_LANES 4

typedef struct _HttpQueue HttpQueue;

struct _PrefectCtxHttpClient
{
  GObject parent_instance;

  char        *api_url;       /* without a trailing slash */
  char        *api_key;       /* secret, or NULL */
  guint        max_retries;
  double       jitter_factor;
  double       base_delay;
  double       request_timeout;   /* seconds, 0 for none */
  double       max_retry_wait;    /* seconds */
  double       max_retry_time;    /* seconds */
  SoupSession *session;
  HttpQueue   *queue;
  gint         queue_task_run_states;   /* atomic gboolean */
};


/* prefectctx-http-queue.c */
HttpQueue *http_queue_new        (PrefectCtxHttpClient *client);
void       http_queue_push_state (HttpQueue            *queue,
                                  const char           *task_run_id,
                                  PrefectCtxState      *state,
                                  gboolean              force);
void       http_queue_wait       (HttpQueue            *queue);
void       http_queue_begin_create (HttpQueue          *queue);
void       http_queue_end_create (HttpQueue            *queue);
gboolean   http_queue_flush      (HttpQueue            *queue,
                                  GCancellable         *cancellable,
                                  GError              **error);
void       http_queue_free       (HttpQueue            *queue);

/* prefectctx-http-client.c: POST /<kind>/{id}/set_state, orchestrated. */
PrefectCtxState *http_client_set_state (PrefectCtxHttpClient  *self,
                                        const char            *prefix,
                                        const char            *what,
                                        const char            *id,
                                        PrefectCtxState       *state,
                                        gboolean               force,
                                        GCancellable          *cancellable,
                                        GError               **error);

typedef gpointer (*FromJsonFunc) (JsonNode *node, GError **error);

gboolean http_transport_wait_cancellable (gint64         usec,
                                          GCancellable  *cancellable,
                                          GError       **error);
gboolean http_transport_call (PrefectCtxHttpClient  *self,
                              const char            *method,
                              const char            *path,
                              JsonNode              *body,
                              guint                 *status_out,
                              JsonNode             **result,
                              GCancellable          *cancellable,
                              GError               **error);
char *http_transport_id_path (const char *prefix,
                              const char *id,
                              const char *suffix);
JsonNode *http_transport_keep_members (JsonNode          *node,
                                       const char * const *allowed);
JsonNode *http_transport_state_body (PrefectCtxState *state);
void http_transport_set_state_member (JsonNode        *body,
                                      PrefectCtxState *state);
gpointer http_transport_object_from_result (JsonNode     *node,
                                            FromJsonFunc  from_json,
                                            const char   *what,
                                            GError      **error);
gboolean http_transport_append_from_array (GPtrArray     *items,
                                           JsonNode      *node,
                                           FromJsonFunc   from_json,
                                           const char    *what,
                                           GError       **error);
GListModel *http_transport_list_model_new (GType      item_type,
                                           GPtrArray *items);
gpointer http_transport_get_object (PrefectCtxHttpClient  *self,
                                    const char            *path,
                                    FromJsonFunc           from_json,
                                    const char            *what,
                                    GCancellable          *cancellable,
                                    GError               **error);
gpointer http_transport_post_object (PrefectCtxHttpClient  *self,
                                     const char            *path,
                                     JsonNode              *body,
                                     FromJsonFunc           from_json,
                                     const char            *what,
                                     GCancellable          *cancellable,
                                     GError               **error);
GListModel *http_transport_post_filter_paged (PrefectCtxHttpClient  *self,
                                              const char            *path,
                                              JsonNode              *body,
                                              guint                  limit,
                                              guint                  offset,
                                              GType                  item_type,
                                              FromJsonFunc           from_json,
                                              const char            *what,
                                              GCancellable          *cancellable,
                                              GError               **error);
JsonNode *http_transport_any_of_string (const char *value);
void http_transport_set_nested (JsonObject *object,
                                const char *outer,
                                const char *inner,
                                JsonNode   *value);
JsonNode *http_transport_filter_body (const char *flow_run_id,
                                      const char *sort);

G_END_DECLS
