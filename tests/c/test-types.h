/* test-types.h: context classes used by the core tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * TestCtx declares the kind "test" and has one construct-only integer
 * property, "value", and a read-only "doubled". TestSubCtx derives from it
 * and shares its kind; TestOtherCtx declares a kind of its own. TestNoKind
 * declares none. A TestCtx whose value is negative fails validation.
 */
#pragma once

#include <string.h>
#include <prefectctx.h>

/* Not every test program uses every type. */
#pragma GCC diagnostic ignored "-Wunused-function"

typedef struct { PrefectCtxContext parent; int value; } TestCtx;
typedef struct { PrefectCtxContextClass parent_class; } TestCtxClass;

static GType test_ctx_get_type (void);
G_DEFINE_TYPE (TestCtx, test_ctx, PREFECT_CTX_TYPE_CONTEXT)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestCtx, g_object_unref)
#define TEST_TYPE_CTX (test_ctx_get_type ())
#define TEST_CTX(o) (G_TYPE_CHECK_INSTANCE_CAST ((o), TEST_TYPE_CTX, TestCtx))

enum { TEST_PROP_VALUE = 1, TEST_PROP_DOUBLED };

static void
test_ctx_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case TEST_PROP_VALUE: g_value_set_int (value, TEST_CTX (object)->value); break;
    case TEST_PROP_DOUBLED: g_value_set_int (value, 2 * TEST_CTX (object)->value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_ctx_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case TEST_PROP_VALUE: TEST_CTX (object)->value = g_value_get_int (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
test_ctx_validate (PrefectCtxContext *context, GError **error)
{
  if (TEST_CTX (context)->value < 0)
    {
      g_set_error (error, PREFECT_CTX_ERROR, PREFECT_CTX_ERROR_INVALID_ARGUMENT,
                   "value must not be negative");
      return FALSE;
    }
  return TRUE;
}

static void
test_ctx_class_init (TestCtxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PrefectCtxContextClass *context_class = PREFECT_CTX_CONTEXT_CLASS (klass);

  object_class->get_property = test_ctx_get_property;
  object_class->set_property = test_ctx_set_property;
  context_class->validate = test_ctx_validate;
  g_object_class_install_property (object_class, TEST_PROP_VALUE,
    g_param_spec_int ("value", NULL, NULL, G_MININT, 1000000000, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, TEST_PROP_DOUBLED,
    g_param_spec_int ("doubled", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  prefect_ctx_context_class_declare_kind (context_class, "test");
}

static void test_ctx_init (TestCtx *self) { }

typedef struct { TestCtx parent; } TestSubCtx;
typedef struct { TestCtxClass parent_class; } TestSubCtxClass;
static GType test_sub_ctx_get_type (void);
G_DEFINE_TYPE (TestSubCtx, test_sub_ctx, TEST_TYPE_CTX)
#define TEST_TYPE_SUB_CTX (test_sub_ctx_get_type ())
static void test_sub_ctx_class_init (TestSubCtxClass *klass) { }
static void test_sub_ctx_init (TestSubCtx *self) { }

typedef struct { PrefectCtxContext parent; } TestOtherCtx;
typedef struct { PrefectCtxContextClass parent_class; } TestOtherCtxClass;
static GType test_other_ctx_get_type (void);
G_DEFINE_TYPE (TestOtherCtx, test_other_ctx, PREFECT_CTX_TYPE_CONTEXT)
#define TEST_TYPE_OTHER_CTX (test_other_ctx_get_type ())
static void
test_other_ctx_class_init (TestOtherCtxClass *klass)
{
  prefect_ctx_context_class_declare_kind (PREFECT_CTX_CONTEXT_CLASS (klass), "other");
}
static void test_other_ctx_init (TestOtherCtx *self) { }

typedef struct { PrefectCtxContext parent; } TestNoKind;
typedef struct { PrefectCtxContextClass parent_class; } TestNoKindClass;
static GType test_no_kind_get_type (void);
G_DEFINE_TYPE (TestNoKind, test_no_kind, PREFECT_CTX_TYPE_CONTEXT)
#define TEST_TYPE_NO_KIND (test_no_kind_get_type ())
static void test_no_kind_class_init (TestNoKindClass *klass) { }
static void test_no_kind_init (TestNoKind *self) { }

static inline PrefectCtxContext *
test_ctx_new (int value)
{
  return g_object_new (TEST_TYPE_CTX, "value", value, NULL);
}

static inline int
test_current_value (void)
{
  PrefectCtxContext *ctx = prefect_ctx_context_get_current (TEST_TYPE_CTX);
  return ctx ? TEST_CTX (ctx)->value : -1;
}

#define assert_enter(c) G_STMT_START { g_autoptr(GError) _e = NULL; \
  g_assert_true (prefect_ctx_context_enter ((PrefectCtxContext *) (c), &_e)); g_assert_no_error (_e); } G_STMT_END
#define assert_exit(c) G_STMT_START { g_autoptr(GError) _e = NULL; \
  g_assert_true (prefect_ctx_context_exit ((PrefectCtxContext *) (c), &_e)); g_assert_no_error (_e); } G_STMT_END
