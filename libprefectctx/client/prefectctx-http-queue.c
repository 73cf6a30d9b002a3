/* prefectctx-http-queue.c: task-run states shipped to the server in the
 * background, in order per task run
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A task run's states go to one of HTTP_QUEUE_LANES lanes, chosen by its
 * ID, so that one run's states are sent one after the other in the order
 * they were queued, while the states of different runs go out in parallel
 * (each lane is a thread of its own, with its own keep-alive connection).
 * Each lane counts what was queued on it and what it finished; a flush
 * waits, lane by lane, for the count it saw when it began, so that writes
 * queued later (by other flow runs) never hold it up.
 *
 * The queue gives way to the requests a body waits for: while a task run
 * is being created (http_queue_begin_create ()), and for
 * HTTP_QUEUE_GRACE_US after, a lane sends nothing, so that a body calling
 * task after task does not wait behind the states of the tasks before (a
 * server handles a request at a time). It stops giving way once
 * HTTP_QUEUE_HIGH_WATER states are queued, and while a flush waits: the
 * server's records then lag the run by at most that many states.
 *
 * A write that fails (after the transport's retries), or that the server
 * does not accept, is counted and its error kept; the next flush reports
 * the first one. What is left unreported when the queue closes is said on
 * stderr.
 */
#include "config.h"

#include "client/prefectctx-http-private.h"

#include "prefectctx-error.h"
#include "prefectctx-tsan-private.h"

typedef struct
{
  char            *task_run_id;
  PrefectCtxState *state;
  gboolean         force;
} QueuedState;

typedef struct
{
  HttpQueue *queue;
  GThread   *thread;
  GCond      work;
  GQueue     items;     /* QueuedState, oldest first */
  guint64    queued;
  guint64    finished;
} Lane;

/* How long after a task run's creation the lanes still give way. */
#define HTTP_QUEUE_GRACE_US 2000
/* How many queued states make the lanes stop giving way. */
#define HTTP_QUEUE_HIGH_WATER 2000

struct _HttpQueue
{
  PrefectCtxHttpClient *client;   /* not a reference: the client owns the queue */
  GMutex                lock;
  GCond                 finished;
  Lane                  lanes[HTTP_QUEUE_LANES];
  guint                 n_queued;       /* in every lane, not yet sent */
  guint                 n_creating;     /* task runs being created */
  guint                 n_flushing;     /* flushes waiting */
  gint64                created_at;     /* monotonic end of the last creation */
  gboolean              closing;
  GError               *first_error;
  guint                 n_failed;
};

static void
queued_state_free (QueuedState *item)
{
  g_free (item->task_run_id);
  g_object_unref (item->state);
  g_free (item);
}

/* Whether a lane should hold its next state back for now. Called locked. */
static gboolean
giving_way_locked (HttpQueue *queue)
{
  if (queue->closing || queue->n_flushing > 0 || queue->n_queued >= HTTP_QUEUE_HIGH_WATER)
    return FALSE;
  return queue->n_creating > 0 || g_get_monotonic_time () - queue->created_at < HTTP_QUEUE_GRACE_US;
}

static void
wake_lanes_locked (HttpQueue *queue)
{
  for (guint i = 0; i < HTTP_QUEUE_LANES; i++)
    g_cond_signal (&queue->lanes[i].work);
}

/* Around the creation of a task run, which its body waits for. */
void
http_queue_begin_create (HttpQueue *queue)
{
  prefect_ctx_mutex_lock (&queue->lock);
  queue->n_creating++;
  prefect_ctx_mutex_unlock (&queue->lock);
}

void
http_queue_end_create (HttpQueue *queue)
{
  prefect_ctx_mutex_lock (&queue->lock);
  queue->n_creating--;
  queue->created_at = g_get_monotonic_time ();
  prefect_ctx_mutex_unlock (&queue->lock);
}

static gpointer
lane_main (gpointer data)
{
  Lane *lane = data;
  HttpQueue *queue = lane->queue;

  prefect_ctx_mutex_lock (&queue->lock);
  for (;;)
    {
      QueuedState *item;
      g_autoptr(PrefectCtxState) stored = NULL;
      g_autoptr(GError) error = NULL;

      while (g_queue_is_empty (&lane->items) && !queue->closing)
        prefect_ctx_cond_wait (&lane->work, &queue->lock);
      if (giving_way_locked (queue))
        {
          /* Woken by a flush, a push past the high water, or the end of the
           * grace: then look again. */
          prefect_ctx_cond_wait_until (&lane->work, &queue->lock,
                                       g_get_monotonic_time () + HTTP_QUEUE_GRACE_US);
          continue;
        }
      item = g_queue_pop_head (&lane->items);
      if (item == NULL)
        break;
      queue->n_queued--;
      prefect_ctx_mutex_unlock (&queue->lock);

      stored = http_client_set_state (queue->client, "/task_runs/", "Task run", item->task_run_id,
                                      item->state, item->force, NULL, &error);
      /* Rejected: the server kept another state than the one recorded. */
      if (stored != NULL && prefect_ctx_state_get_state_type (stored)
                            != prefect_ctx_state_get_state_type (item->state))
        g_set_error (&error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_FAILED,
                     "the server kept the state %s instead",
                     prefect_ctx_state_type_to_string (prefect_ctx_state_get_state_type (stored)));

      prefect_ctx_mutex_lock (&queue->lock);
      if (error != NULL)
        {
          queue->n_failed++;
          if (queue->first_error == NULL)
            queue->first_error = g_error_new (error->domain, error->code,
                                              "the %s state of task run %s was not recorded: %s",
                                              prefect_ctx_state_type_to_string (prefect_ctx_state_get_state_type (item->state)),
                                              item->task_run_id, error->message);
        }
      lane->finished++;
      g_cond_broadcast (&queue->finished);
      queued_state_free (item);
    }
  prefect_ctx_mutex_unlock (&queue->lock);
  return NULL;
}

HttpQueue *
http_queue_new (PrefectCtxHttpClient *client)
{
  HttpQueue *queue = g_new0 (HttpQueue, 1);

  queue->client = client;
  g_mutex_init (&queue->lock);
  g_cond_init (&queue->finished);
  for (guint i = 0; i < HTTP_QUEUE_LANES; i++)
    {
      queue->lanes[i].queue = queue;
      g_cond_init (&queue->lanes[i].work);
      g_queue_init (&queue->lanes[i].items);
    }
  return queue;
}

void
http_queue_push_state (HttpQueue       *queue,
                       const char      *task_run_id,
                       PrefectCtxState *state,
                       gboolean         force)
{
  Lane *lane = &queue->lanes[g_str_hash (task_run_id) % HTTP_QUEUE_LANES];
  QueuedState *item = g_new0 (QueuedState, 1);

  item->task_run_id = g_strdup (task_run_id);
  item->state = g_object_ref (state);
  item->force = force;

  prefect_ctx_mutex_lock (&queue->lock);
  g_assert (!queue->closing);
  if (lane->thread == NULL)
    lane->thread = g_thread_new ("prefectctx-http", lane_main, lane);
  g_queue_push_tail (&lane->items, item);
  lane->queued++;
  if (++queue->n_queued == HTTP_QUEUE_HIGH_WATER)
    wake_lanes_locked (queue);
  else
    g_cond_signal (&lane->work);
  prefect_ctx_mutex_unlock (&queue->lock);
}

static void
wake_flushers (GCancellable *cancellable,
               HttpQueue    *queue)
{
  prefect_ctx_mutex_lock (&queue->lock);
  g_cond_broadcast (&queue->finished);
  prefect_ctx_mutex_unlock (&queue->lock);
}

/* Waits until each lane finished what it had been given when the wait
 * began. FALSE when @cancellable was cancelled first. Called locked. */
static gboolean
wait_locked (HttpQueue    *queue,
             GCancellable *cancellable)
{
  guint64 targets[HTTP_QUEUE_LANES];

  for (guint i = 0; i < HTTP_QUEUE_LANES; i++)
    targets[i] = queue->lanes[i].queued;
  for (guint i = 0; i < HTTP_QUEUE_LANES; i++)
    while (queue->lanes[i].finished < targets[i])
      {
        if (g_cancellable_is_cancelled (cancellable))
          return FALSE;
        prefect_ctx_cond_wait (&queue->finished, &queue->lock);
      }
  return TRUE;
}

/* Waits for what was queued before, errors left for the next flush: the
 * order of the writes that follow (a flow run's state, a read). */
void
http_queue_wait (HttpQueue *queue)
{
  prefect_ctx_mutex_lock (&queue->lock);
  queue->n_flushing++;
  wake_lanes_locked (queue);
  wait_locked (queue, NULL);
  queue->n_flushing--;
  prefect_ctx_mutex_unlock (&queue->lock);
}

gboolean
http_queue_flush (HttpQueue     *queue,
                  GCancellable  *cancellable,
                  GError       **error)
{
  gulong handler = 0;
  gboolean done;
  g_autoptr(GError) failed = NULL;
  guint n_failed;

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (wake_flushers), queue, NULL);
  prefect_ctx_mutex_lock (&queue->lock);
  queue->n_flushing++;
  wake_lanes_locked (queue);
  done = wait_locked (queue, cancellable);
  queue->n_flushing--;
  failed = g_steal_pointer (&queue->first_error);
  n_failed = queue->n_failed;
  queue->n_failed = 0;
  prefect_ctx_mutex_unlock (&queue->lock);
  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);

  if (failed != NULL)
    {
      g_set_error (error, failed->domain, failed->code,
                   n_failed == 1 ? "%u task-run state could not be recorded on the Prefect server: %s"
                                 : "%u task-run states could not be recorded on the Prefect server; the first: %s",
                   n_failed, failed->message);
      return FALSE;
    }
  if (!done)
    return !g_cancellable_set_error_if_cancelled (cancellable, error);
  return TRUE;
}

void
http_queue_free (HttpQueue *queue)
{
  g_autoptr(GError) error = NULL;

  prefect_ctx_mutex_lock (&queue->lock);
  queue->closing = TRUE;
  wake_lanes_locked (queue);
  prefect_ctx_mutex_unlock (&queue->lock);

  /* Each lane ships what it holds before it ends. */
  for (guint i = 0; i < HTTP_QUEUE_LANES; i++)
    if (queue->lanes[i].thread != NULL)
      g_thread_join (queue->lanes[i].thread);

  if (!http_queue_flush (queue, NULL, &error))
    g_message ("%s", error->message);

  for (guint i = 0; i < HTTP_QUEUE_LANES; i++)
    g_cond_clear (&queue->lanes[i].work);
  g_cond_clear (&queue->finished);
  g_mutex_clear (&queue->lock);
  g_free (queue);
}
