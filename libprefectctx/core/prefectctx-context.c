/* prefectctx-context.c: the base context and the per-thread frames
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gobject/gvaluecollector.h>
#include <string.h>

#include "prefectctx-context.h"
#include "prefectctx-error.h"
#include "prefectctx-frame-private.h"
#include "prefectctx-tsan-private.h"

/**
 * PrefectCtxContext:
 *
 * The base of every context: an immutable object that can be *entered* on a
 * thread, where it becomes the current context of its kind until it is
 * *exited*.
 *
 * Each context class belongs to one *kind* (a slot): the class that calls
 * [method@PrefectCtx.ContextClass.declare_kind] in its `class_init` owns a new
 * kind and its subclasses share it. [func@PrefectCtx.Context.get_current]
 * returns the innermost entered context of a kind on the calling thread.
 *
 * All properties are construct-only. To change a value, make a new context
 * with [method@PrefectCtx.Context.copy_with].
 *
 * Entering and exiting follow Prefect's rules and refuse every mismatch
 * with a #GError, leaving the thread's state exactly as it was:
 *
 * - entering a context that is entered already is
 *   %PREFECT_CTX_ERROR_ALREADY_ENTERED;
 * - exiting one that is not entered is %PREFECT_CTX_ERROR_NOT_ENTERED;
 * - exiting one that another thread entered is %PREFECT_CTX_ERROR_WRONG_THREAD;
 * - exiting one that is not the innermost context entered on this thread is
 *   %PREFECT_CTX_ERROR_OUT_OF_ORDER.
 *
 * New threads start with no context at all: carry contexts into them on
 * purpose with a [struct@PrefectCtx.Snapshot].
 *
 * The state of a thread is one immutable *frame* holding the current
 * context of every kind. Looking up the current context is one thread-local
 * read and one array index; entering copies the frame (a few pointers) into
 * storage the context owns, so an enter/exit pair allocates nothing.
 */

#define KIND_CACHE_SIZE 8

typedef struct
{
  GType type;
  guint slot : 8;         /* the type's kind */
  guint exact : 1;        /* the type declared the kind: no instance check */
} KindCacheEntry;

typedef struct _Attachment Attachment;

typedef struct _ThreadState
{
  PrefectCtxFrame *top;   /* owned; NULL while the thread has no context */
  PrefectCtxFrame *base;  /* the frame installed by snapshot_run, borrowed */
  guint64          serial;  /* changes with top: see _prefect_ctx_thread_serial () */
  Attachment      *attached;  /* innermost attach, or NULL */
  gboolean         registered;
  guint            cache_generation;
  KindCacheEntry   cache[KIND_CACHE_SIZE];  /* GType -> kind, for get_current */
  GTypeClass      *known_class;             /* last class checked to be a context class */
} ThreadState;

typedef struct
{
  PrefectCtxFrame  frame;           /* used by enter when no snapshot holds it */
  ThreadState     *owner;           /* atomic: the entering thread, or NULL */
  PrefectCtxFrame *entered_frame;   /* the frame this context pushed */
  GError          *invalid;         /* set by the class's validate vfunc */
} PrefectCtxContextPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (PrefectCtxContext, prefect_ctx_context, G_TYPE_OBJECT)

/* What an attach saved, to restore on its detach. */
struct _Attachment
{
  PrefectCtxFrame *installed;   /* owned, NULL for the empty frame */
  PrefectCtxFrame *saved_top;   /* owned by the thread, as before */
  PrefectCtxFrame *saved_base;
  Attachment      *next;
};

static _Thread_local ThreadState thread_state;

/* The owner of the contexts entered into a snapshot
 * (_prefect_ctx_frame_enter ()) rather than on a thread. */
static ThreadState snapshot_owner;

/* The calling thread's state. The empty asm keeps the compiler from
 * recomputing the TLS address at each use (a call with TLS descriptors). */
static inline ThreadState *
get_thread_state (void)
{
  ThreadState *ts = &thread_state;

  __asm__ ("" : "+r" (ts));
  return ts;
}

/* PREFECT_CTX_IS_CONTEXT (), with the last class it accepted remembered:
 * enter and exit check their argument at the cost of one comparison. Classes
 * of static types are never freed, so the pointer stays valid. */
static inline gboolean
is_context (ThreadState *ts,
            gpointer     instance)
{
  GTypeClass *klass;

  if (instance == NULL)
    return FALSE;

  klass = ((GTypeInstance *) instance)->g_class;
  if G_LIKELY (klass == ts->known_class)
    return TRUE;

  if (!PREFECT_CTX_IS_CONTEXT (instance))
    return FALSE;

  ts->known_class = klass;
  return TRUE;
}

static void thread_state_release (gpointer data);
static void thread_state_pop_attachment (ThreadState *ts, const char *where);
static GPrivate thread_state_key = G_PRIVATE_INIT (thread_state_release);

static PrefectCtxFrame empty_frame = { 1, 0, 0, NULL, NULL, { NULL } };

typedef struct
{
  GType  type;
  char  *name;
} Kind;

static GMutex kinds_lock;
static Kind kinds[PREFECT_CTX_MAX_KINDS];
static guint n_kinds;
/* Bumped by every declaration, so that per-thread caches start over. */
static guint kinds_generation = 1;

/* ---------------------------------------------------------------------------
 * Frames
 */

PrefectCtxFrame *
_prefect_ctx_frame_ref (PrefectCtxFrame *frame)
{
  if (frame != &empty_frame)
    g_atomic_int_inc (&frame->ref_count);
  return frame;
}

void
_prefect_ctx_frame_unref (PrefectCtxFrame *frame)
{
  PrefectCtxFrame *prev;
  PrefectCtxContext *context;
  gboolean embedded;

  if (frame == NULL || frame == &empty_frame)
    return;

  /* Read the fields while our reference keeps them stable: once the count
   * drops to zero, an embedded frame may be reused by its context at once. */
  prev = frame->prev;
  context = frame->context;
  embedded = frame->embedded;

  if (!g_atomic_int_dec_and_test (&frame->ref_count))
    return;

  if (!embedded)
    g_free (frame);

  _prefect_ctx_frame_unref (prev);
  /* Last: the context may own the frame's memory. Its finalizer may run on
   * another thread, after GObject's (uninstrumented) reference count. */
  PREFECT_CTX_TSAN_RELEASE (context);
  g_object_unref (context);
}

/* ---------------------------------------------------------------------------
 * Kinds
 */

static gboolean
declare_kind_locked (PrefectCtxContextClass  *klass,
                     const char              *name,
                     GError                 **error)
{
  GType type = G_TYPE_FROM_CLASS (klass);

  if (klass->kind_slot != 0 && kinds[klass->kind_slot - 1].type == type)
    return TRUE;

  if (n_kinds >= PREFECT_CTX_MAX_KINDS)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Cannot declare context kind '%s' for %s: all %d kinds are in use",
                   name, g_type_name (type), PREFECT_CTX_MAX_KINDS);
      return FALSE;
    }

  kinds[n_kinds].type = type;
  kinds[n_kinds].name = g_strdup (name);
  n_kinds++;
  klass->kind_slot = n_kinds;
  g_atomic_int_inc (&kinds_generation);

  return TRUE;
}

/**
 * prefect_ctx_context_class_declare_kind:
 * @klass: the class being initialized
 * @name: a short name for the kind, such as `flow_run`
 *
 * Gives @klass a context kind of its own: from now on it, and every subclass
 * initialized afterwards, has its own current context, separate from the
 * kind of its parent class. Call it from `class_init`.
 *
 * A process can declare at most %PREFECT_CTX_MAX_KINDS kinds; past that,
 * this reports a critical warning and the class keeps its parent's kind.
 */
void
prefect_ctx_context_class_declare_kind (PrefectCtxContextClass *klass,
                                        const char             *name)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PREFECT_CTX_IS_CONTEXT_CLASS (klass));
  g_return_if_fail (name != NULL);

  prefect_ctx_mutex_lock (&kinds_lock);
  if (!declare_kind_locked (klass, name, &error))
    g_critical ("%s", error->message);
  prefect_ctx_mutex_unlock (&kinds_lock);
}

/**
 * prefect_ctx_context_declare_kind_for_type:
 * @type: a subtype of [class@PrefectCtx.Context]
 * @name: a short name for the kind
 *
 * Gives @type a context kind of its own, like
 * [method@PrefectCtx.ContextClass.declare_kind], for classes whose
 * `class_init` cannot be written in C, such as Python subclasses. Call it
 * before making instances of @type or subclassing it. Declaring the same
 * type twice is harmless.
 *
 * Returns: %TRUE on success; %FALSE with @error set if @type is not a
 *   context type or all kinds are in use
 */
gboolean
prefect_ctx_context_declare_kind_for_type (GType        type,
                                  const char  *name,
                                  GError     **error)
{
  PrefectCtxContextClass *klass;
  gboolean ret;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_type_is_a (type, PREFECT_CTX_TYPE_CONTEXT) || type == PREFECT_CTX_TYPE_CONTEXT)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Cannot declare a context kind for %s: it is not a subclass of PrefectCtxContext",
                   g_type_name (type));
      return FALSE;
    }

  /* Classes of static types are never finalized: keep the reference. */
  klass = g_type_class_ref (type);
  prefect_ctx_mutex_lock (&kinds_lock);
  ret = declare_kind_locked (klass, name, error);
  prefect_ctx_mutex_unlock (&kinds_lock);

  return ret;
}

/**
 * prefect_ctx_context_kind_get_name:
 * @type: a subtype of [class@PrefectCtx.Context]
 *
 * Gets the name of the kind @type belongs to.
 *
 * Returns: (nullable): the kind's name, or %NULL if @type belongs to no kind
 */
const char *
prefect_ctx_context_kind_get_name (GType type)
{
  gpointer klass;
  const char *name;
  int slot;

  if (!g_type_is_a (type, PREFECT_CTX_TYPE_CONTEXT))
    return NULL;

  /* A class declares its kind when it is initialized. */
  klass = g_type_class_ref (type);
  slot = _prefect_ctx_kind_slot (type);
  g_type_class_unref (klass);
  if (slot < 0)
    return NULL;

  prefect_ctx_mutex_lock (&kinds_lock);
  name = kinds[slot].name;
  prefect_ctx_mutex_unlock (&kinds_lock);

  return name;
}

int
_prefect_ctx_kind_slot (GType kind)
{
  PrefectCtxContextClass *klass = g_type_class_peek (kind);

  if (klass == NULL || !G_TYPE_CHECK_CLASS_TYPE (klass, PREFECT_CTX_TYPE_CONTEXT))
    return -1;

  return (int) klass->kind_slot - 1;
}

/* ---------------------------------------------------------------------------
 * Threads
 */

static inline void
thread_state_register (ThreadState *ts)
{
  if G_UNLIKELY (!ts->registered)
    {
      g_private_set (&thread_state_key, ts);
      ts->registered = TRUE;
    }
}

/* Marks the context that pushed @frame as no longer entered, if it is. */
static void
frame_forget_entered (PrefectCtxFrame *frame,
                      ThreadState     *ts)
{
  PrefectCtxContextPrivate *priv;

  if (frame->context == NULL)
    return;

  priv = prefect_ctx_context_get_instance_private (frame->context);
  if (priv->entered_frame == frame && g_atomic_pointer_get (&priv->owner) == ts)
    {
      priv->entered_frame = NULL;
      g_atomic_pointer_set (&priv->owner, NULL);
    }
}

/* Pops every frame above @until. */
static guint
thread_state_unwind_to (ThreadState     *ts,
                        PrefectCtxFrame *until)
{
  guint n = 0;

  while (ts->top != NULL && ts->top != until)
    {
      PrefectCtxFrame *frame = ts->top;

      ts->top = frame->prev;
      ts->serial++;
      if (ts->top != NULL)
        _prefect_ctx_frame_ref (ts->top);
      frame_forget_entered (frame, ts);
      _prefect_ctx_frame_unref (frame);
      n++;
    }

  return n;
}

static void
thread_state_release (gpointer data)
{
  ThreadState *ts = data;
  guint n;

  while (ts->attached != NULL)
    {
      g_warning ("A thread ended with a snapshot still attached; it was detached");
      thread_state_pop_attachment (ts, "an attached snapshot");
    }
  n = thread_state_unwind_to (ts, NULL);
  if (n > 0)
    g_warning ("A thread ended with %u context(s) still entered; they were exited", n);
  ts->registered = FALSE;
}

guint64
_prefect_ctx_thread_serial (void)
{
  return get_thread_state ()->serial;
}

Attachment *
_prefect_ctx_thread_attach (PrefectCtxFrame *frame)
{
  ThreadState *ts = get_thread_state ();
  Attachment *att = g_new (Attachment, 1);

  thread_state_register (ts);

  att->installed = frame == &empty_frame ? NULL : _prefect_ctx_frame_ref (frame);
  att->saved_top = ts->top;
  att->saved_base = ts->base;
  att->next = ts->attached;
  ts->top = att->installed;
  ts->base = att->installed;
  ts->attached = att;
  ts->serial++;

  return att;
}

/* Pops the innermost attachment, exiting what was left entered above it. */
static void
thread_state_pop_attachment (ThreadState *ts,
                             const char  *where)
{
  Attachment *att = ts->attached;
  guint n;

  n = thread_state_unwind_to (ts, att->installed);
  if (n > 0)
    g_critical ("%u context(s) entered inside %s were not exited; they were exited when it %s",
                n, where, strcmp (where, "prefect_ctx_snapshot_run()") == 0 ? "returned" : "was detached");

  ts->top = att->saved_top;
  ts->base = att->saved_base;
  ts->attached = att->next;
  ts->serial++;
  _prefect_ctx_frame_unref (att->installed);
  g_free (att);
}

gboolean
_prefect_ctx_thread_detach (PrefectCtxFrame  *frame,
                            GError          **error)
{
  ThreadState *ts = get_thread_state ();
  Attachment *att = ts->attached;
  PrefectCtxFrame *installed = frame == &empty_frame ? NULL : frame;

  if (att == NULL || att->installed != installed)
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_OUT_OF_ORDER,
                           att == NULL ? "Cannot detach this snapshot: no snapshot is attached to this thread"
                                       : "Cannot detach this snapshot: it is not the innermost snapshot attached to this thread");
      return FALSE;
    }

  thread_state_pop_attachment (ts, "an attached snapshot");
  return TRUE;
}

void
_prefect_ctx_run_with_frame (PrefectCtxFrame *frame,
                             void (*func) (gpointer),
                             gpointer user_data)
{
  Attachment *att = _prefect_ctx_thread_attach (frame);
  ThreadState *ts;

  func (user_data);

  ts = get_thread_state ();
  while (ts->attached != NULL && ts->attached != att)
    {
      g_critical ("A snapshot attached inside prefect_ctx_snapshot_run() was not detached; "
                  "it was detached when it returned");
      thread_state_pop_attachment (ts, "an attached snapshot");
    }
  if (ts->attached == att)
    thread_state_pop_attachment (ts, "prefect_ctx_snapshot_run()");
}

void
_prefect_ctx_run_with_empty_state (void (*func) (gpointer),
                                   gpointer user_data)
{
  _prefect_ctx_run_with_frame (&empty_frame, func, user_data);
}

PrefectCtxFrame *
_prefect_ctx_thread_capture (void)
{
  PrefectCtxFrame *top = get_thread_state ()->top;

  return top != NULL ? _prefect_ctx_frame_ref (top) : &empty_frame;
}

/* ---------------------------------------------------------------------------
 * PrefectCtxContext
 */

/**
 * prefect_ctx_context_get_current:
 * @kind: a context type, such as `PREFECT_CTX_TYPE_FLOW_RUN_CONTEXT`
 *
 * Gets the innermost context of @kind's kind entered on the calling thread
 * (or installed by [method@PrefectCtx.Snapshot.run]), provided it is an
 * instance of @kind.
 *
 * Returns: (transfer none) (nullable): the current context, or %NULL
 */
/* Fills the cache entry for @kind; FALSE if @kind has no kind (yet). */
static G_GNUC_NO_INLINE gboolean
kind_cache_fill (ThreadState *ts,
                 KindCacheEntry *entry,
                 GType kind)
{
  guint generation = (guint) __atomic_load_n (&kinds_generation, __ATOMIC_RELAXED);
  int slot;

  if (ts->cache_generation != generation)
    {
      memset (ts->cache, 0, sizeof ts->cache);
      ts->cache_generation = generation;
    }

  slot = _prefect_ctx_kind_slot (kind);
  /* Only kinds are cached: a class not initialized yet may get one. */
  if (slot < 0)
    return FALSE;

  entry->type = kind;
  entry->slot = (guint) slot;
  prefect_ctx_mutex_lock (&kinds_lock);
  entry->exact = kinds[slot].type == kind;
  prefect_ctx_mutex_unlock (&kinds_lock);

  return TRUE;
}

PrefectCtxContext *
prefect_ctx_context_get_current (GType kind)
{
  ThreadState *ts = get_thread_state ();
  PrefectCtxFrame *top = ts->top;
  KindCacheEntry *entry;
  PrefectCtxContext *context;

  if (top == NULL)
    return NULL;

  entry = &ts->cache[(kind >> 4) % KIND_CACHE_SIZE];
  if G_UNLIKELY (entry->type != kind ||
                 ts->cache_generation != (guint) __atomic_load_n (&kinds_generation, __ATOMIC_RELAXED))
    {
      if (!kind_cache_fill (ts, entry, kind))
        return NULL;
    }

  context = _prefect_ctx_frame_lookup (top, entry->slot);
  if (context == NULL || entry->exact || G_TYPE_CHECK_INSTANCE_TYPE (context, kind))
    return context;

  return NULL;
}

PrefectCtxContext *
_prefect_ctx_context_get_current_in_slot (int slot)
{
  PrefectCtxFrame *top = get_thread_state ()->top;

  if (top == NULL || slot < 0)
    return NULL;

  return _prefect_ctx_frame_lookup (top, (guint) slot);
}

int
_prefect_ctx_context_class_get_slot (PrefectCtxContextClass *klass)
{
  return (int) klass->kind_slot - 1;
}

/**
 * prefect_ctx_context_check:
 * @self: a context
 * @error: return location for a #GError
 *
 * Checks that @self was constructed with valid values: the class's
 * [vfunc@PrefectCtx.Context.validate] accepted them. An invalid context
 * cannot be entered.
 *
 * Returns: %TRUE if @self is valid; %FALSE with @error set otherwise
 */
gboolean
prefect_ctx_context_check (PrefectCtxContext  *self,
                           GError            **error)
{
  PrefectCtxContextPrivate *priv = prefect_ctx_context_get_instance_private (self);

  g_return_val_if_fail (PREFECT_CTX_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (priv->invalid != NULL)
    {
      g_propagate_error (error, g_error_copy (priv->invalid));
      return FALSE;
    }

  return TRUE;
}

/* A new frame (one reference, the caller's) that is @prev with @self current
 * in @slot; it takes the caller's reference on @prev. */
static inline PrefectCtxFrame *
frame_new (PrefectCtxContext        *self,
           PrefectCtxContextPrivate *priv,
           guint                     slot,
           PrefectCtxFrame          *prev)
{
  PrefectCtxFrame *frame;

  if G_LIKELY (g_atomic_int_get (&priv->frame.ref_count) == 0)
    {
      frame = &priv->frame;
      frame->embedded = TRUE;
    }
  else
    {
      /* A snapshot still holds the frame of an earlier enter. */
      frame = g_new0 (PrefectCtxFrame, 1);
      frame->embedded = FALSE;
    }

  if (prev != NULL)
    {
      /* Whole blocks of 8 slots: constant-size copies that the compiler
       * inlines. The slots past n_slots are never read. */
      for (guint i = 0; i < prev->n_slots; i += 8)
        memcpy (&frame->slots[i], &prev->slots[i], 8 * sizeof (gpointer));
      frame->n_slots = prev->n_slots;
    }
  else
    frame->n_slots = 0;
  while (frame->n_slots <= slot)
    frame->slots[frame->n_slots++] = NULL;
  frame->slots[slot] = self;
  frame->prev = prev;
  frame->context = g_object_ref (self);
  /* Held by the caller. Nobody else can see the frame yet. */
  __atomic_store_n (&frame->ref_count, 1, __ATOMIC_RELAXED);

  return frame;
}

/* The checks of an enter, and the claim of @self for @owner. */
static inline gboolean
claim_for_enter (PrefectCtxContext         *self,
                 PrefectCtxContextPrivate  *priv,
                 PrefectCtxContextClass    *klass,
                 ThreadState               *owner,
                 GError                   **error)
{
  if G_UNLIKELY (klass->kind_slot == 0)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Cannot enter a %s: the class belongs to no context kind",
                   G_OBJECT_TYPE_NAME (self));
      return FALSE;
    }

  if G_UNLIKELY (priv->invalid != NULL)
    {
      g_propagate_error (error, g_error_copy (priv->invalid));
      return FALSE;
    }

  if G_UNLIKELY (!g_atomic_pointer_compare_and_exchange (&priv->owner, NULL, owner))
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_ALREADY_ENTERED,
                           "Context already entered. Context enter calls cannot be nested.");
      return FALSE;
    }

  return TRUE;
}

/**
 * prefect_ctx_context_enter:
 * @self: a context
 * @error: return location for a #GError
 *
 * Makes @self the current context of its kind on the calling thread until
 * [method@PrefectCtx.Context.exit]. Contexts of one kind nest: exiting the
 * inner one makes the outer one current again.
 *
 * Entering a context that is entered already, on any thread, is
 * %PREFECT_CTX_ERROR_ALREADY_ENTERED (`Context already entered. Context enter
 * calls cannot be nested.`); enter a copy instead
 * ([method@PrefectCtx.Context.copy_with]).
 *
 * Returns: %TRUE if @self was entered; %FALSE with @error set otherwise
 */
gboolean
prefect_ctx_context_enter (PrefectCtxContext  *self,
                           GError            **error)
{
  PrefectCtxContextPrivate *priv = prefect_ctx_context_get_instance_private (self);
  PrefectCtxContextClass *klass;
  ThreadState *ts = get_thread_state ();
  PrefectCtxFrame *frame;

  g_return_val_if_fail (is_context (ts, self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  klass = PREFECT_CTX_CONTEXT_GET_CLASS (self);
  if (!claim_for_enter (self, priv, klass, ts, error))
    return FALSE;

  thread_state_register (ts);

  frame = frame_new (self, priv, klass->kind_slot - 1, ts->top);   /* the thread's reference moves */

  ts->top = frame;
  ts->serial++;
  priv->entered_frame = frame;

  if (klass->entered != NULL)
    klass->entered (self);

  return TRUE;
}

/**
 * prefect_ctx_context_exit:
 * @self: a context
 * @error: return location for a #GError
 *
 * Ends the scope that [method@PrefectCtx.Context.enter] began: the context
 * of the same kind that was current before becomes current again.
 *
 * Only the innermost context entered on a thread can be exited, and only on
 * that thread. Otherwise this fails with %PREFECT_CTX_ERROR_NOT_ENTERED,
 * %PREFECT_CTX_ERROR_WRONG_THREAD or %PREFECT_CTX_ERROR_OUT_OF_ORDER and
 * nothing changes.
 *
 * Returns: %TRUE if @self was exited; %FALSE with @error set otherwise
 */
gboolean
prefect_ctx_context_exit (PrefectCtxContext  *self,
                          GError            **error)
{
  PrefectCtxContextPrivate *priv = prefect_ctx_context_get_instance_private (self);
  ThreadState *ts = get_thread_state ();
  ThreadState *owner;
  PrefectCtxFrame *frame;

  g_return_val_if_fail (is_context (ts, self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  owner = g_atomic_pointer_get (&priv->owner);
  if G_UNLIKELY (owner == NULL)
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_ENTERED,
                           "Asymmetric use of context. Context exit called without an enter.");
      return FALSE;
    }

  if G_UNLIKELY (owner == &snapshot_owner)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_OUT_OF_ORDER,
                   "Cannot exit this %s on a thread: it was entered into a snapshot; "
                   "exit it with prefect_ctx_snapshot_exit()",
                   G_OBJECT_TYPE_NAME (self));
      return FALSE;
    }

  if G_UNLIKELY (owner != ts)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_WRONG_THREAD,
                   "Cannot exit this %s: it was entered on another thread",
                   G_OBJECT_TYPE_NAME (self));
      return FALSE;
    }

  frame = priv->entered_frame;
  if G_UNLIKELY (ts->top != frame)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_OUT_OF_ORDER,
                   "Cannot exit this %s: it is not the innermost context entered on this thread; "
                   "exit the contexts entered after it first",
                   G_OBJECT_TYPE_NAME (self));
      return FALSE;
    }

  if G_UNLIKELY (frame == ts->base)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_OUT_OF_ORDER,
                   "Cannot exit this %s inside prefect_ctx_snapshot_run(): it was entered before",
                   G_OBJECT_TYPE_NAME (self));
      return FALSE;
    }

  /* Unlink before unref: the thread's state is consistent before anything
   * the frame held is released. */
  priv->entered_frame = NULL;
  __atomic_store_n (&priv->owner, NULL, __ATOMIC_RELEASE);
  ts->top = frame->prev;
  ts->serial++;

  if G_LIKELY (g_atomic_int_get (&frame->ref_count) == 1)
    {
      /* No snapshot holds the frame, and only holders can take a new
       * reference: release it without an atomic read-modify-write. Its
       * reference on prev moved to the thread above. */
      if (frame->embedded)
        __atomic_store_n (&frame->ref_count, 0, __ATOMIC_RELEASE);
      else
        g_free (frame);
      PREFECT_CTX_TSAN_RELEASE (self);
      g_object_unref (self);
    }
  else
    {
      if (ts->top != NULL)
        _prefect_ctx_frame_ref (ts->top);
      _prefect_ctx_frame_unref (frame);
    }

  return TRUE;
}

PrefectCtxFrame *
_prefect_ctx_frame_enter (PrefectCtxFrame    *base,
                          PrefectCtxContext  *context,
                          GError            **error)
{
  PrefectCtxContextPrivate *priv = prefect_ctx_context_get_instance_private (context);
  PrefectCtxContextClass *klass = PREFECT_CTX_CONTEXT_GET_CLASS (context);
  PrefectCtxFrame *frame;

  if (!claim_for_enter (context, priv, klass, &snapshot_owner, error))
    return NULL;

  frame = frame_new (context, priv, klass->kind_slot - 1,
                     base == &empty_frame ? NULL : _prefect_ctx_frame_ref (base));
  priv->entered_frame = frame;

  if (klass->entered != NULL)
    klass->entered (context);

  return frame;
}

PrefectCtxFrame *
_prefect_ctx_frame_exit (PrefectCtxFrame  *frame,
                         GError          **error)
{
  PrefectCtxContextPrivate *priv;

  if (frame == &empty_frame || frame->context == NULL)
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_ENTERED,
                           "Asymmetric use of context. Context exit called without an enter.");
      return NULL;
    }

  priv = prefect_ctx_context_get_instance_private (frame->context);
  if (g_atomic_pointer_get (&priv->owner) != &snapshot_owner || priv->entered_frame != frame)
    {
      g_set_error_literal (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_NOT_ENTERED,
                           "Asymmetric use of context. Context exit called without an enter.");
      return NULL;
    }

  priv->entered_frame = NULL;
  __atomic_store_n (&priv->owner, NULL, __ATOMIC_RELEASE);

  return frame->prev != NULL ? _prefect_ctx_frame_ref (frame->prev) : &empty_frame;
}

/**
 * prefect_ctx_context_is_entered:
 * @self: a context
 *
 * Tells whether @self is entered, on any thread.
 *
 * Returns: %TRUE if @self is entered
 */
gboolean
prefect_ctx_context_is_entered (PrefectCtxContext *self)
{
  PrefectCtxContextPrivate *priv = prefect_ctx_context_get_instance_private (self);

  g_return_val_if_fail (PREFECT_CTX_IS_CONTEXT (self), FALSE);

  return g_atomic_pointer_get (&priv->owner) != NULL;
}

static GParamSpec *
find_settable_property (GObjectClass  *klass,
                        const char    *name,
                        GError       **error)
{
  GParamSpec *pspec = g_object_class_find_property (klass, name);

  if (pspec == NULL)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "%s has no property '%s'", G_OBJECT_CLASS_NAME (klass), name);
      return NULL;
    }

  if ((pspec->flags & G_PARAM_WRITABLE) == 0)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "Property '%s' of %s is read-only", name, G_OBJECT_CLASS_NAME (klass));
      return NULL;
    }

  return pspec;
}

static PrefectCtxContext *
copy_with_values (PrefectCtxContext  *self,
                  GPtrArray          *names,
                  GArray             *values,
                  GError            **error)
{
  GObjectClass *klass = G_OBJECT_GET_CLASS (self);
  g_autofree GParamSpec **pspecs = NULL;
  g_autoptr(PrefectCtxContext) copy = NULL;
  guint n_pspecs;

  /* Every other writable property keeps the value it has in @self. */
  pspecs = g_object_class_list_properties (klass, &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];
      gboolean given = FALSE;
      GValue value = G_VALUE_INIT;

      if ((pspec->flags & G_PARAM_WRITABLE) == 0 || (pspec->flags & G_PARAM_READABLE) == 0)
        continue;

      for (guint j = 0; j < names->len && !given; j++)
        given = strcmp (g_ptr_array_index (names, j), pspec->name) == 0;
      if (given)
        continue;

      g_value_init (&value, pspec->value_type);
      g_object_get_property (G_OBJECT (self), pspec->name, &value);
      g_ptr_array_add (names, (gpointer) pspec->name);
      g_array_append_val (values, value);
    }

  copy = (PrefectCtxContext *) g_object_new_with_properties (G_OBJECT_TYPE (self),
                                                             names->len,
                                                             (const char **) names->pdata,
                                                             (const GValue *) (gpointer) values->data);

  if (!prefect_ctx_context_check (copy, error))
    return NULL;

  return g_steal_pointer (&copy);
}

static void
clear_value (gpointer data)
{
  g_value_unset (data);
}

/**
 * prefect_ctx_context_copy_withv: (rename-to prefect_ctx_context_copy_with)
 * @self: a context
 * @n_properties: the number of properties to change
 * @names: (array length=n_properties): the names of the properties to change
 * @values: (array length=n_properties): their new values
 * @error: return location for a #GError
 *
 * Makes a new, unentered context of the same type as @self, with the given
 * properties changed and every other property as in @self. The copy can be
 * entered while @self is.
 *
 * Each value is converted to its property's type when GLib can transform it
 * (an integer to a double, say). An unknown or read-only property name, a
 * value that cannot be converted, or values the class's validation refuses
 * are %PREFECT_CTX_ERROR_INVALID_ARGUMENT.
 *
 * Returns: (transfer full): the new context, or %NULL with @error set
 */
PrefectCtxContext *
prefect_ctx_context_copy_withv (PrefectCtxContext  *self,
                                guint               n_properties,
                                const char        **names,
                                const GValue       *values,
                                GError            **error)
{
  GObjectClass *klass;
  g_autoptr(GPtrArray) all_names = NULL;
  g_autoptr(GArray) all_values = NULL;

  g_return_val_if_fail (PREFECT_CTX_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (n_properties == 0 || (names != NULL && values != NULL), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  klass = G_OBJECT_GET_CLASS (self);
  all_names = g_ptr_array_new ();
  all_values = g_array_new (FALSE, TRUE, sizeof (GValue));
  g_array_set_clear_func (all_values, clear_value);

  for (guint i = 0; i < n_properties; i++)
    {
      GParamSpec *pspec = find_settable_property (klass, names[i], error);
      GValue value = G_VALUE_INIT;

      if (pspec == NULL)
        return NULL;

      for (guint j = 0; j < i; j++)
        if (strcmp (names[j], names[i]) == 0)
          {
            g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                         "Property '%s' is given twice", names[i]);
            return NULL;
          }

      g_value_init (&value, pspec->value_type);
      if (G_VALUE_TYPE (&values[i]) == pspec->value_type ||
          g_value_type_compatible (G_VALUE_TYPE (&values[i]), pspec->value_type))
        g_value_copy (&values[i], &value);
      else if (!g_value_type_transformable (G_VALUE_TYPE (&values[i]), pspec->value_type) ||
               !g_value_transform (&values[i], &value))
        {
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                       "Cannot use a value of type %s for property '%s' of type %s",
                       G_VALUE_TYPE_NAME (&values[i]), pspec->name,
                       g_type_name (pspec->value_type));
          g_value_unset (&value);
          return NULL;
        }

      if (g_param_value_validate (pspec, &value))
        {
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                       "Value out of range for property '%s' of %s",
                       pspec->name, G_OBJECT_CLASS_NAME (klass));
          g_value_unset (&value);
          return NULL;
        }

      g_ptr_array_add (all_names, (gpointer) pspec->name);
      g_array_append_val (all_values, value);
    }

  return copy_with_values (self, all_names, all_values, error);
}

/**
 * prefect_ctx_context_copy_with: (skip)
 * @self: a context
 * @error: return location for a #GError
 * @first_property: (nullable): the name of the first property to change,
 *   or %NULL to change none
 * @...: its value, then further name/value pairs, ending with %NULL
 *
 * Makes a new, unentered context of the same type as @self, with the given
 * properties changed, as [method@PrefectCtx.Context.copy_withv] does. The
 * values are collected as g_object_new() collects them, so they must be of
 * the property's exact type.
 *
 * Returns: (transfer full): the new context, or %NULL with @error set
 */
PrefectCtxContext *
prefect_ctx_context_copy_with (PrefectCtxContext  *self,
                               GError            **error,
                               const char         *first_property,
                               ...)
{
  GObjectClass *klass;
  g_autoptr(GPtrArray) all_names = NULL;
  g_autoptr(GArray) all_values = NULL;
  const char *name;
  va_list args;

  g_return_val_if_fail (PREFECT_CTX_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  klass = G_OBJECT_GET_CLASS (self);
  all_names = g_ptr_array_new ();
  all_values = g_array_new (FALSE, TRUE, sizeof (GValue));
  g_array_set_clear_func (all_values, clear_value);

  va_start (args, first_property);
  for (name = first_property; name != NULL; name = va_arg (args, const char *))
    {
      GParamSpec *pspec = find_settable_property (klass, name, error);
      GValue value = G_VALUE_INIT;
      g_autofree char *collect_error = NULL;

      if (pspec == NULL)
        {
          va_end (args);
          return NULL;
        }

      G_VALUE_COLLECT_INIT (&value, pspec->value_type, args, 0, &collect_error);
      if (collect_error != NULL)
        {
          g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                       "Property '%s': %s", name, collect_error);
          va_end (args);
          return NULL;
        }

      g_ptr_array_add (all_names, (gpointer) pspec->name);
      g_array_append_val (all_values, value);
    }
  va_end (args);

  return copy_with_values (self, all_names, all_values, error);
}

static void
prefect_ctx_context_constructed (GObject *object)
{
  PrefectCtxContext *self = PREFECT_CTX_CONTEXT (object);
  PrefectCtxContextPrivate *priv = prefect_ctx_context_get_instance_private (self);
  PrefectCtxContextClass *klass = PREFECT_CTX_CONTEXT_GET_CLASS (self);

  G_OBJECT_CLASS (prefect_ctx_context_parent_class)->constructed (object);

  if (klass->validate != NULL && !klass->validate (self, &priv->invalid) && priv->invalid == NULL)
    {
      g_critical ("%s's validate vfunc returned FALSE without setting an error",
                  G_OBJECT_TYPE_NAME (self));
      g_set_error (&priv->invalid, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "%s refused its property values", G_OBJECT_TYPE_NAME (self));
    }
}

static void
prefect_ctx_context_finalize (GObject *object)
{
  PrefectCtxContext *self = PREFECT_CTX_CONTEXT (object);
  PrefectCtxContextPrivate *priv = prefect_ctx_context_get_instance_private (self);

  PREFECT_CTX_TSAN_ACQUIRE (self);
  g_clear_error (&priv->invalid);

  G_OBJECT_CLASS (prefect_ctx_context_parent_class)->finalize (object);
}

static void
prefect_ctx_context_class_init (PrefectCtxContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = prefect_ctx_context_constructed;
  object_class->finalize = prefect_ctx_context_finalize;
}

static void
prefect_ctx_context_init (PrefectCtxContext *self)
{
}
