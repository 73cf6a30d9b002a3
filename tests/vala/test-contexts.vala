/* test-contexts.vala: libprefectctx through its generated vapi: contexts
 * subclassed in Vala, enter/exit, errors caught by code, copy_with,
 * snapshots carried into threads. A GLib.Test program run with --tap.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

const string ALREADY_ENTERED_MSG = "Context already entered. Context enter calls cannot be nested.";
const string NOT_ENTERED_MSG = "Asymmetric use of context. Context exit called without an enter.";

/* A context kind declared in Vala: static construct is class_init (class
 * construct would be base_init, run again for every subclass). */
public class Mine : PrefectCtx.Context {
    public int value { get; construct; default = 0; }
    public string label { get; construct; default = ""; }

    static construct {
        declare_kind ("vala_mine");
    }

    public Mine (int value, string label = "") {
        Object (value: value, label: label);
    }

    public static unowned Mine? current () {
        return PrefectCtx.Context.get_current (typeof (Mine)) as Mine;
    }
}

public class SubMine : Mine {
    public SubMine (int value) {
        Object (value: value);
    }
}

public class Other : PrefectCtx.Context {
    static construct {
        declare_kind ("vala_other");
    }
}

public class Checked : PrefectCtx.Context {
    public int value { get; construct; default = 0; }
    public static int entered_count = 0;

    static construct {
        declare_kind ("vala_checked");
    }

    public Checked (int value) {
        Object (value: value);
    }

    public override bool validate () throws GLib.Error {
        if (value < 0)
            throw new PrefectCtx.Error.INVALID_ARGUMENT ("value must not be negative");
        return true;
    }

    public override void entered () {
        entered_count++;
    }
}

public class NoKind : PrefectCtx.Context {
}

static void test_kinds () {
    /* A kind declared in class construct exists once the class is
     * initialized: kind_get_name() peeks at the class, it does not make it. */
    typeof (Mine).class_ref ();
    typeof (SubMine).class_ref ();
    typeof (Other).class_ref ();
    assert (PrefectCtx.Context.kind_get_name (typeof (Mine)) == "vala_mine");
    assert (PrefectCtx.Context.kind_get_name (typeof (SubMine)) == "vala_mine");
    assert (PrefectCtx.Context.kind_get_name (typeof (Other)) == "vala_other");
    assert (PrefectCtx.Context.kind_get_name (typeof (NoKind)) == null);

    var ctx = new NoKind ();
    try {
        ctx.enter ();
        assert_not_reached ();
    } catch (PrefectCtx.Error.INVALID_ARGUMENT e) {
        assert ("belongs to no context kind" in e.message);
    } catch (GLib.Error e) {
        error ("unexpected error: %s", e.message);
    }
}

static void test_enter_exit () throws GLib.Error {
    var one = new Mine (1);
    var two = new Mine (2);
    var other = new Other ();

    assert (Mine.current () == null);
    assert (one.enter ());
    assert (one.is_entered ());
    assert (Mine.current () == one);
    two.enter ();
    other.enter ();
    assert (Mine.current ().value == 2);
    assert (PrefectCtx.Context.get_current (typeof (Other)) == other);
    other.exit ();
    two.exit ();
    assert (Mine.current ().value == 1);
    one.exit ();
    assert (!one.is_entered ());
    assert (Mine.current () == null);

    /* A subclass shares its parent's kind. */
    var sub = new SubMine (3);
    one.enter ();
    sub.enter ();
    assert (Mine.current () == sub);
    assert (PrefectCtx.Context.get_current (typeof (SubMine)) == sub);
    sub.exit ();
    assert (PrefectCtx.Context.get_current (typeof (SubMine)) == null);
    one.exit ();
}

static void test_already_entered () throws GLib.Error {
    var ctx = new Mine (1);
    ctx.enter ();
    bool caught = false;
    try {
        ctx.enter ();
    } catch (PrefectCtx.Error.ALREADY_ENTERED e) {
        caught = true;
        assert (e.domain == PrefectCtx.Error.quark ());
        assert (e.message == ALREADY_ENTERED_MSG);
    }
    assert (caught);
    assert (Mine.current () == ctx);
    ctx.exit ();
}

static void test_not_entered () {
    var ctx = new Mine (1);
    bool caught = false;
    try {
        ctx.exit ();
    } catch (PrefectCtx.Error.NOT_ENTERED e) {
        caught = true;
        assert (e.message == NOT_ENTERED_MSG);
    } catch (GLib.Error e) {
        error ("unexpected error: %s", e.message);
    }
    assert (caught);
}

static void test_out_of_order () throws GLib.Error {
    var outer = new Mine (1);
    var inner = new Other ();
    outer.enter ();
    inner.enter ();
    try {
        outer.exit ();
        assert_not_reached ();
    } catch (PrefectCtx.Error.OUT_OF_ORDER e) {
        assert ("not the innermost context" in e.message);
    }
    assert (outer.is_entered () && inner.is_entered ());
    assert (Mine.current () == outer);
    inner.exit ();
    outer.exit ();
}

static void test_wrong_thread () throws GLib.Error {
    var ctx = new Mine (7);
    ctx.enter ();
    var thread = new Thread<int> ("exit-elsewhere", () => {
        if (Mine.current () != null)
            return -1;
        try {
            ctx.exit ();
        } catch (PrefectCtx.Error.WRONG_THREAD e) {
            return 1;
        } catch (GLib.Error e) {
            return -2;
        }
        return 0;
    });
    assert (thread.join () == 1);
    assert (Mine.current () == ctx);
    ctx.exit ();
}

static void test_validate () {
    var bad = new Checked (-1);
    try {
        bad.enter ();
        assert_not_reached ();
    } catch (PrefectCtx.Error.INVALID_ARGUMENT e) {
        assert (e.message == "value must not be negative");
    } catch (GLib.Error e) {
        error ("unexpected error: %s", e.message);
    }
    assert (!bad.is_entered ());

    var good = new Checked (1);
    Checked.entered_count = 0;
    try {
        good.enter ();
        good.exit ();
    } catch (GLib.Error e) {
        error ("unexpected error: %s", e.message);
    }
    assert (Checked.entered_count == 1);
}

static void test_copy_with () throws GLib.Error {
    var ctx = new Mine (1, "a");
    Value v = 2.0;  /* a double, transformed to the int property */
    var copy = ctx.copy_withv ({ "value" }, { v }) as Mine;
    assert (copy != null && copy != ctx);
    assert (copy.value == 2 && copy.label == "a");
    assert (ctx.value == 1);
    assert (!copy.is_entered ());

    ctx.enter ();
    copy.enter ();
    assert (Mine.current () == copy);
    copy.exit ();
    ctx.exit ();

    try {
        Value s = "x";
        ctx.copy_withv ({ "no-such" }, { s });
        assert_not_reached ();
    } catch (PrefectCtx.Error.INVALID_ARGUMENT e) {
        assert ("has no property 'no-such'" in e.message);
    }
    try {
        Value s = "not a number";
        ctx.copy_withv ({ "value" }, { s });
        assert_not_reached ();
    } catch (PrefectCtx.Error.INVALID_ARGUMENT e) {
        assert ("property 'value'" in e.message);
    }
}

static void test_snapshot () throws GLib.Error {
    var empty = PrefectCtx.Snapshot.capture ();
    assert (empty.is_empty ());

    var ctx = new Mine (42);
    ctx.enter ();
    var snap = PrefectCtx.Snapshot.capture ();
    ctx.exit ();
    assert (!snap.is_empty ());
    assert (snap.get (typeof (Mine)) == ctx);
    assert (snap.get (typeof (Other)) == null);

    /* Threads start empty; the snapshot carries the context into one. */
    var thread = new Thread<int> ("snapshot-run", () => {
        if (Mine.current () != null)
            return -1;
        int seen = 0;
        snap.run (() => {
            seen = Mine.current ().value;
        });
        if (Mine.current () != null)
            return -2;
        return seen;
    });
    assert (thread.join () == 42);

    /* On this thread too, and the state is restored afterwards. */
    var other = new Other ();
    other.enter ();
    bool inside = false;
    snap.run (() => {
        inside = Mine.current () == ctx && PrefectCtx.Context.get_current (typeof (Other)) == null;
    });
    assert (inside);
    assert (Mine.current () == null);
    other.exit ();
}

delegate void ThrowingFunc () throws GLib.Error;

/* Runs a test body that may throw: an error it does not catch fails the test. */
static void check (ThrowingFunc func) {
    try {
        func ();
    } catch (GLib.Error e) {
        error ("unexpected error: %s", e.message);
    }
}

int main (string[] args) {
    Test.init (ref args);
    Test.add_func ("/vala/core/kinds", test_kinds);
    Test.add_func ("/vala/core/enter-exit", () => check (test_enter_exit));
    Test.add_func ("/vala/core/already-entered", () => check (test_already_entered));
    Test.add_func ("/vala/core/not-entered", test_not_entered);
    Test.add_func ("/vala/core/out-of-order", () => check (test_out_of_order));
    Test.add_func ("/vala/core/wrong-thread", () => check (test_wrong_thread));
    Test.add_func ("/vala/core/validate", test_validate);
    Test.add_func ("/vala/core/copy-with", () => check (test_copy_with));
    Test.add_func ("/vala/core/snapshot", () => check (test_snapshot));
    return Test.run ();
}
