/* prefectctx-flow-run-view-private.h: what the two files of FlowRunView
 * share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * prefectctx-flow-run-view.c is the object, its reads of the run and their
 * asynchronous forms; prefectctx-flow-run-view-task-runs.c looks up its task
 * runs (get_task_run, get_all_task_runs, get_task_run_ids).
 */
#pragma once

#include "prefectctx-flow-run-view.h"

G_BEGIN_DECLS

struct _PrefectCtxFlowRunView
{
  GObject parent_instance;

  PrefectCtxClient   *client;
  PrefectCtxFlowRun  *flow_run;
  GListStore         *states;      /* of PrefectCtxState, sorted by timestamp */
  PrefectCtxState    *state;
  GDateTime          *updated_at;

  GMutex              lock;        /* guards the members below */
  GHashTable         *cache_by_id;    /* task run ID -> PrefectCtxTaskRunView */
  GHashTable         *cache_by_slug;  /* "map_index:slug" -> PrefectCtxTaskRunView */
  GPtrArray          *cache_order;    /* the cached views, in caching order */
  GStrv               task_run_ids;   /* cached once the flow run is finished */
  PrefectCtxFlowView *flow_view;
};

/* The arguments of an asynchronous call. */
typedef struct {
  PrefectCtxFlowRunView *self;
  PrefectCtxClient      *client;
  char                  *id;            /* flow run ID, or task key or slug */
  char                  *task_run_id;
  int                    map_index;
  gboolean               flag;          /* load_static_tasks, no_cache */
  GDateTime             *start;
  GDateTime             *end;
} ViewCall;

void frv_cache_add (PrefectCtxFlowRunView *self,
                    PrefectCtxTaskRunView *view);
PrefectCtxTaskRunView *frv_cache_lookup_id (PrefectCtxFlowRunView *self,
                                            const char            *id);
PrefectCtxTaskRunView *frv_cache_lookup_slug (PrefectCtxFlowRunView *self,
                                              const char            *slug,
                                              int                    map_index);
PrefectCtxTaskRunView *view_for_task_run (PrefectCtxFlowRunView *self,
                                          PrefectCtxTaskRun     *task_run);
ViewCall *view_call_new (PrefectCtxFlowRunView *self);
void view_call_free (gpointer data);

G_END_DECLS
