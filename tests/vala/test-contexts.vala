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

/* ---------------------------------------------------------------------------
 * Layer 3: run contexts, tags, custom context, object registry
 */

const string MISSING_RUN_CONTEXT_MSG = "No run context available. You are not in a flow or task run context.";

static string sample (string name) throws GLib.Error {
    var dir = Environment.get_variable ("PREFECT_CTX_SAMPLES_DIR");
    if (dir == null)
        dir = Path.build_filename (Test.get_dir (Test.FileType.DIST), "samples");
    string contents;
    FileUtils.get_contents (Path.build_filename (dir, name), out contents);
    return contents;
}

static Variant vardict (string key, Variant value) {
    var builder = new VariantBuilder (new VariantType ("a{sv}"));
    builder.add ("{sv}", key, value);
    return builder.end ();
}

static void test_flow_run_context () throws GLib.Error {
    var flow = new PrefectCtx.Flow.from_json (sample ("flow_read.json"));
    var flow_run = new PrefectCtx.FlowRun.from_json (sample ("flow_run_read.json"));
    var ctx = new PrefectCtx.FlowRunContext (flow, flow_run, vardict ("n", new Variant.int64 (3)));

    assert (PrefectCtx.Context.kind_get_name (typeof (PrefectCtx.FlowRunContext)) == "flow_run");
    assert (PrefectCtx.FlowRunContext.get_current () == null);
    ctx.enter ();
    unowned PrefectCtx.FlowRunContext current = PrefectCtx.FlowRunContext.get_current ();
    assert (current == ctx);
    assert (current.get_flow ().get_name () == "c-client-sample-flow");
    assert (current.flow_run.id == "8259f515-0dbd-4c2b-a561-e1db55fe1449");
    int64 n = 0;
    assert (current.get_parameters ().lookup ("n", "x", out n) && n == 3);
    assert (!current.log_prints);
    assert (current.get_start_time ().get_utc_offset () == 0);
    assert (current.next_dynamic_key ("t") == "0");
    assert (current.next_dynamic_key ("t") == "1");

    try {
        ctx.enter ();
        assert_not_reached ();
    } catch (PrefectCtx.Error.ALREADY_ENTERED e) {
        assert (e.message == ALREADY_ENTERED_MSG);
    }

    /* copy_with: a changed, unentered copy */
    Value yes = true;
    var copy = ctx.copy_withv ({ "log-prints" }, { yes }) as PrefectCtx.FlowRunContext;
    assert (copy.log_prints && !copy.is_entered () && copy.flow == flow);
    ctx.exit ();
    assert (PrefectCtx.FlowRunContext.get_current () == null);
}

static void test_run_context () throws GLib.Error {
    try {
        PrefectCtx.get_run_context ();
        assert_not_reached ();
    } catch (PrefectCtx.Error.MISSING_CONTEXT e) {
        assert (e.message == MISSING_RUN_CONTEXT_MSG);
    }

    var flow = new PrefectCtx.Flow.from_json (sample ("flow_read.json"));
    var flow_run = new PrefectCtx.FlowRun.from_json (sample ("flow_run_read.json"));
    var task_run = new PrefectCtx.TaskRun.from_json (sample ("task_run_read.json"));
    var flow_ctx = new PrefectCtx.FlowRunContext (flow, flow_run, null);
    var task_ctx = new PrefectCtx.TaskRunContext (new PrefectCtx.Task ("sample_task"), task_run, null);

    flow_ctx.enter ();
    assert (PrefectCtx.get_run_context () == flow_ctx);
    task_ctx.enter ();
    assert (PrefectCtx.get_run_context () == task_ctx);
    assert (PrefectCtx.TaskRunContext.get_current ().get_task_run ().get_flow_run_id () == flow_run.get_id ());
    task_ctx.exit ();
    assert (PrefectCtx.get_run_context () == flow_ctx);
    flow_ctx.exit ();
}

static string[] current_tags () {
    return PrefectCtx.TagsContext.get_current ().get_current_tags ();
}

static void test_tags () throws GLib.Error {
    assert (current_tags ().length == 0);
    var outer = PrefectCtx.tags ({ "b", "a" });
    outer.enter ();
    var inner = PrefectCtx.tags ({ "c", "a" });
    inner.enter ();
    assert (string.joinv (",", current_tags ()) == "a,b,c");
    assert (PrefectCtx.TagsContext.get_current ().has_tag ("c"));
    inner.exit ();
    assert (string.joinv (",", current_tags ()) == "a,b");
    outer.exit ();
    assert (current_tags ().length == 0);
}

static void test_custom_context () throws GLib.Error {
    assert (PrefectCtx.get_custom_context ().size () == 0);

    var base_values = new HashTable<string, string> (str_hash, str_equal);
    base_values["team"] = "ml";
    base_values["stage"] = "dev";
    var outer = new PrefectCtx.CustomContext.merged (base_values);
    outer.enter ();

    var more = new HashTable<string, string> (str_hash, str_equal);
    more["stage"] = "prod";
    var inner = new PrefectCtx.CustomContext.merged (more);
    inner.enter ();
    var map = PrefectCtx.get_custom_context ();
    assert (map.size () == 2 && map["team"] == "ml" && map["stage"] == "prod");
    assert (PrefectCtx.CustomContext.lookup ("stage") == "prod");
    inner.exit ();
    assert (PrefectCtx.CustomContext.lookup ("stage") == "dev");
    outer.exit ();
    assert (PrefectCtx.CustomContext.lookup ("team") == null);

    var bad = new HashTable<string, string> (str_hash, str_equal);
    bad["a=b"] = "v";
    try {
        new PrefectCtx.CustomContext.merged (bad);
        assert_not_reached ();
    } catch (PrefectCtx.Error.INVALID_ARGUMENT e) {
        assert (e.message.length > 0);
    }
}

static void test_object_registry () throws GLib.Error {
    var registry = new PrefectCtx.ObjectRegistry (false, true);
    var flow = new PrefectCtx.Flow ("tracked");
    assert (!PrefectCtx.ObjectRegistry.track (flow));
    registry.enter ();
    assert (PrefectCtx.ObjectRegistry.get_current () == registry);
    assert (PrefectCtx.ObjectRegistry.track (flow));
    var failure = new PrefectCtx.Error.INVALID_ARGUMENT ("could not make it");
    assert (PrefectCtx.ObjectRegistry.track_failure (null, typeof (PrefectCtx.Flow), failure));
    registry.exit ();

    var instances = registry.get_instances (typeof (PrefectCtx.Flow));
    assert (instances.length == 1 && instances[0] == flow);
    var failures = registry.get_instance_failures (typeof (PrefectCtx.Flow));
    assert (failures.length == 1);
    assert (failures[0].get_error ().message == "could not make it");
}

static void test_snapshot_contexts () throws GLib.Error {
    var flow = new PrefectCtx.Flow ("threaded");
    var flow_run = new PrefectCtx.FlowRun.from_json ("{\"id\": \"vala-run\", \"name\": \"vala-run\"}");
    var flow_ctx = new PrefectCtx.FlowRunContext (flow, flow_run, null);
    var tags = PrefectCtx.tags ({ "flow" });
    var values = new HashTable<string, string> (str_hash, str_equal);
    values["team"] = "ml";
    var custom = new PrefectCtx.CustomContext.merged (values);

    flow_ctx.enter ();
    tags.enter ();
    custom.enter ();
    var snap = PrefectCtx.Snapshot.capture ();
    custom.exit ();
    tags.exit ();
    flow_ctx.exit ();

    var thread = new Thread<string> ("carry", () => {
        string without = "none";
        try {
            PrefectCtx.get_run_context ();
        } catch (GLib.Error e) {
            without = e.matches (PrefectCtx.Error.quark (), PrefectCtx.Error.MISSING_CONTEXT) ? "missing" : e.message;
        }
        string seen = "";
        snap.run (() => {
            try {
                var run_ctx = PrefectCtx.get_run_context () as PrefectCtx.FlowRunContext;
                seen = "%s|%s|%s".printf (run_ctx.get_flow_run ().get_name (),
                                          string.joinv (",", current_tags ()),
                                          PrefectCtx.CustomContext.lookup ("team"));
            } catch (GLib.Error e) {
                seen = e.message;
            }
        });
        return without + "|" + seen;
    });
    assert (thread.join () == "missing|vala-run|flow|ml");
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
    Test.add_func ("/vala/contexts/flow-run", () => check (test_flow_run_context));
    Test.add_func ("/vala/contexts/run-context", () => check (test_run_context));
    Test.add_func ("/vala/contexts/tags", () => check (test_tags));
    Test.add_func ("/vala/contexts/custom", () => check (test_custom_context));
    Test.add_func ("/vala/contexts/object-registry", () => check (test_object_registry));
    Test.add_func ("/vala/contexts/snapshot", () => check (test_snapshot_contexts));
    return Test.run ();
}
