/* prefectctx-frame-private.h: the immutable per-thread frames
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A frame is the whole current state of a thread: one pointer per context
 * kind (slot). Entering a context pushes a new frame that copies the
 * previous one and changes one slot; exiting pops it. Frames are immutable
 * once pushed, so a snapshot is nothing but a reference to a frame.
 *
 * Ownership: a frame holds a strong reference on the context whose enter
 * created it and on the frame below it (prev). The slots are borrowed: every
 * context in them is held by this frame or by a frame below it.
 *
 * Every context embeds one frame, used by its enter when no snapshot still
 * holds it from an earlier enter, so the common enter/exit pair allocates
 * nothing. A frame's ref_count is 0 while unused.
 */
#pragma once

#include "prefectctx-context.h"
#include "prefectctx-context-private.h"

G_BEGIN_DECLS

typedef struct _PrefectCtxFrame PrefectCtxFrame;

struct _PrefectCtxFrame
{
  gatomicrefcount    ref_count;
  guint              n_slots;
  guint              embedded : 1;
  PrefectCtxFrame   *prev;
  PrefectCtxContext *context;
  PrefectCtxContext *slots[PREFECT_CTX_MAX_KINDS];
};

G_STATIC_ASSERT (PREFECT_CTX_MAX_KINDS % 8 == 0);

PrefectCtxFrame *_prefect_ctx_frame_ref          (PrefectCtxFrame *frame);
void             _prefect_ctx_frame_unref        (PrefectCtxFrame *frame);

/* The calling thread's frame (a new reference, never NULL). */
PrefectCtxFrame *_prefect_ctx_thread_capture     (void);
/* Runs @func with @frame as the calling thread's state, then restores the
 * state it had; contexts entered by @func and left entered are exited. */
void             _prefect_ctx_run_with_frame     (PrefectCtxFrame *frame,
                                                  void           (*func) (gpointer),
                                                  gpointer         user_data);

/* Attaching a frame to the calling thread: its state becomes @frame until
 * the matching detach, which must be the innermost one (else an error). */
typedef struct _Attachment Attachment;
guint64          _prefect_ctx_thread_serial      (void);
Attachment      *_prefect_ctx_thread_attach      (PrefectCtxFrame *frame);
gboolean         _prefect_ctx_thread_detach      (PrefectCtxFrame *frame,
                                                  GError         **error);

/* Entering into a frame rather than on a thread: a new frame (a new
 * reference) with @context current on top of @base, @context marked entered;
 * and the reverse, given the frame the enter made: @context marked not
 * entered, and a new reference to the frame below. */
PrefectCtxFrame *_prefect_ctx_frame_enter        (PrefectCtxFrame    *base,
                                                  PrefectCtxContext  *context,
                                                  GError            **error);
PrefectCtxFrame *_prefect_ctx_frame_exit         (PrefectCtxFrame    *frame,
                                                  GError            **error);

static inline PrefectCtxContext *
_prefect_ctx_frame_lookup (const PrefectCtxFrame *frame,
                           guint                  slot)
{
  return slot < frame->n_slots ? frame->slots[slot] : NULL;
}

/* Slot index (0-based) of a kind GType, or -1 if it declares none. */
int              _prefect_ctx_kind_slot          (GType kind);

G_END_DECLS
