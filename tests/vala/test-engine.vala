/* test-engine.vala: the engine (layer 6) through the generated vapi: a flow
 * with tasks whose bodies are Vala lambdas, a failing task with retries
 * (bodies that throw), a subflow, and Flow.run_async. A GLib.Test program
 * run with --tap.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

delegate void Body () throws GLib.Error;

static void check (Body body) {
    try {
        body ();
    } catch (GLib.Error e) {
        error ("unexpected error: %s", e.message);
    }
}

static PrefectCtx.RunOptions options_for (PrefectCtx.Client client) {
    return (PrefectCtx.RunOptions) Object.new (typeof (PrefectCtx.RunOptions), "client", client);
}

static Variant params (string key, int64 value) {
    var dict = new VariantDict ();
    dict.insert_value (key, new Variant.int64 (value));
    return dict.end ();
}

static string[] state_names (ListModel states) {
    string[] names = {};
    for (uint i = 0; i < states.get_n_items (); i++) {
        var state = (PrefectCtx.State) states.get_item (i);
        names += state.get_name () + (state.get_message () != null ? ":" + state.get_message () : "");
    }
    return names;
}

static void test_flow_with_tasks () throws GLib.Error {
    var client = new PrefectCtx.LocalClient (":memory:");
    var flow = new PrefectCtx.Flow ("vala-flow");
    var task = new PrefectCtx.Task ("square");
    string? flow_run_id = null;

    var result = flow.run_sync (params ("n", 4), options_for (client), (ctx, p) => {
        assert (ctx is PrefectCtx.FlowRunContext);
        flow_run_id = ((PrefectCtx.FlowRunContext) ctx).get_flow_run ().get_id ();
        int64 total = 0;
        for (int64 i = 1; i <= p.lookup_value ("n", VariantType.INT64).get_int64 (); i++) {
            var square = task.call (params ("x", i), (tctx, tp) => {
                assert (tctx is PrefectCtx.TaskRunContext);
                assert (PrefectCtx.TaskRunContext.get_current () == tctx);
                var x = tp.lookup_value ("x", VariantType.INT64).get_int64 ();
                return new Variant.int64 (x * x);
            });
            total += square.get_int64 ();
        }
        return new Variant.int64 (total);
    });
    assert (result.get_int64 () == 1 + 4 + 9 + 16);

    var run = client.read_flow_run (flow_run_id, null);
    assert (run.get_state ().get_state_type () == PrefectCtx.StateType.COMPLETED);
    var runs = client.read_task_runs (flow_run_id, 0, 0, null);
    assert (runs.get_n_items () == 4);
    for (uint i = 0; i < 4; i++) {
        var task_run = (PrefectCtx.TaskRun) runs.get_item (i);
        assert (task_run.get_name () == "square-%u".printf (i));
        assert (string.joinv (" ", state_names (client.read_task_run_states (task_run.get_id (), null)))
                == "Pending Running Completed");
    }
}

static void test_failing_task_with_retries () throws GLib.Error {
    var client = new PrefectCtx.LocalClient (":memory:");
    var flow = new PrefectCtx.Flow ("vala-failing");
    var task = (PrefectCtx.Task) Object.new (typeof (PrefectCtx.Task), "name", "flaky", "retries", 1);
    string? flow_run_id = null;
    int attempts = 0;

    try {
        flow.run_sync (null, options_for (client), (ctx, p) => {
            flow_run_id = ((PrefectCtx.FlowRunContext) ctx).get_flow_run ().get_id ();
            return task.call (null, (tctx, tp) => {
                attempts++;
                throw new IOError.TIMED_OUT ("vala attempt %d failed", attempts);
            });
        });
        assert_not_reached ();
    } catch (IOError.TIMED_OUT e) {
        assert (e.message == "vala attempt 2 failed");
    }
    assert (attempts == 2);

    var task_run = (PrefectCtx.TaskRun) client.read_task_runs (flow_run_id, 0, 0, null).get_item (0);
    assert (string.joinv (" ", state_names (client.read_task_run_states (task_run.get_id (), null)))
            == "Pending Running AwaitingRetry:Task run encountered an exception vala attempt 1 failed Retrying Failed:Task run encountered an exception vala attempt 2 failed");
    var run = client.read_flow_run (flow_run_id, null);
    assert (run.get_state ().get_state_type () == PrefectCtx.StateType.FAILED);
    assert (run.get_state ().get_message () == "Flow run encountered an exception. vala attempt 2 failed");
}

static void test_subflow () throws GLib.Error {
    var client = new PrefectCtx.LocalClient (":memory:");
    var parent = new PrefectCtx.Flow ("vala-parent");
    var child = new PrefectCtx.Flow ("vala-child");
    string? parent_id = null;
    string? parent_seen = null;

    var result = parent.run_sync (null, options_for (client), (ctx, p) => {
        parent_id = PrefectCtx.runtime_flow_run_get_id ();
        return child.run_sync (null, null, (cctx, cp) => {
            parent_seen = PrefectCtx.runtime_flow_run_get_parent_flow_run_id ();
            return new Variant.string ("from the child");
        });
    });
    assert (result.get_string () == "from the child");
    assert (parent_seen == parent_id);
}

/* An async body: yields to the main loop on a timeout bound to the run,
 * so its continuation still sees the run. */
static async Variant? vala_body (PrefectCtx.RunContext ctx, Cancellable? cancellable) throws GLib.Error {
    var before = PrefectCtx.runtime_flow_run_get_id ();
    var source = new TimeoutSource (10);
    PrefectCtx.source_set_callback (source, vala_body.callback);
    source.attach (MainContext.get_thread_default ());
    yield;
    var after = PrefectCtx.runtime_flow_run_get_id ();
    if (after != before)
        throw new PrefectCtx.Error.FAILED ("the run changed across the yield");
    if (((PrefectCtx.FlowRunContext) ctx).get_parameters ().lookup_value ("fail", null) != null)
        throw new PrefectCtx.Error.FAILED ("failed after yield");
    return new Variant.string ("later " + after);
}

static Variant? run_vala_flow (PrefectCtx.Flow flow, PrefectCtx.Client client, Variant? params) throws GLib.Error {
    var loop = new MainLoop ();
    Variant? result = null;
    GLib.Error? failure = null;

    flow.run_async.begin (params, options_for (client), (ctx, p, c, task) => {
        vala_body.begin (ctx, c, (obj, res) => {
            try {
                PrefectCtx.run_return (task, vala_body.end (res));
            } catch (GLib.Error e) {
                task.return_error ((owned) e);
            }
        });
    }, null, (obj, res) => {
        try {
            result = flow.run_async.end (res);
        } catch (GLib.Error e) {
            failure = e;
        }
        loop.quit ();
    });
    loop.run ();
    if (failure != null)
        throw failure;
    return result;
}

static void test_async () throws GLib.Error {
    var client = new PrefectCtx.LocalClient (":memory:");
    var flow = new PrefectCtx.Flow ("vala-async");

    var result = run_vala_flow (flow, client, null);
    assert (result.get_string ().has_prefix ("later "));
    var id = result.get_string ().substring (6);
    var run = client.read_flow_run (id, null);
    assert (run.get_state ().get_state_type () == PrefectCtx.StateType.COMPLETED);

    var dict = new VariantDict ();
    dict.insert_value ("fail", new Variant.boolean (true));
    try {
        run_vala_flow (flow, client, dict.end ());
        assert_not_reached ();
    } catch (PrefectCtx.Error e) {
        assert (e.message == "failed after yield");
    }
}

static void test_run_log () throws GLib.Error {
    var client = new PrefectCtx.LocalClient (":memory:");
    var flow = new PrefectCtx.Flow ("vala-logger");
    string? flow_run_id = null;

    try {
        PrefectCtx.run_log (20, "nowhere");
        assert_not_reached ();
    } catch (PrefectCtx.Error e) {
        assert (e is PrefectCtx.Error.MISSING_CONTEXT);
        assert (e.message == "There is no active flow or task run context.");
    }

    flow.run_sync (null, options_for (client), (ctx, p) => {
        flow_run_id = ((PrefectCtx.FlowRunContext) ctx).get_flow_run ().get_id ();
        PrefectCtx.run_log (40, "logged from Vala");
        return null;
    });
    var logs = client.read_logs (flow_run_id, null, null, 0, 0, null);
    var found = false;
    for (uint i = 0; i < logs.get_n_items (); i++) {
        var entry = (PrefectCtx.LogEntry) logs.get_item (i);
        if (entry.get_message () == "logged from Vala") {
            assert (entry.get_level () == 40);
            assert (entry.get_name () == "prefect.flow_runs");
            found = true;
        }
    }
    assert (found);
}

int main (string[] args) {
    string home;
    try {
        home = DirUtils.make_tmp ("prefectctx-vala-engine-XXXXXX");
    } catch (FileError e) {
        error ("no temporary directory: %s", e.message);
    }
    Environment.set_variable ("PREFECT_HOME", home, true);
    Test.init (ref args);
    Test.add_func ("/vala/engine/flow-with-tasks", () => check (test_flow_with_tasks));
    Test.add_func ("/vala/engine/failing-task-with-retries", () => check (test_failing_task_with_retries));
    Test.add_func ("/vala/engine/subflow", () => check (test_subflow));
    Test.add_func ("/vala/engine/async", () => check (test_async));
    Test.add_func ("/vala/engine/run-log", () => check (test_run_log));
    var status = Test.run ();
    DirUtils.remove (home);
    return status;
}
