/* engine.vala: flows and tasks in Vala
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A flow run of three task runs, on an in-memory run store, whose bodies
 * are Vala lambdas; a body that throws fails its run with the error's
 * message, after the task's retries. Then the recorded task runs.
 *
 * Run: build/examples/engine-vala
 */

static Variant with_x (int64 x) {
    var dict = new VariantDict ();
    dict.insert_value ("x", new Variant.int64 (x));
    return dict.end ();
}

int main () {
    try {
        var store = new PrefectCtx.LocalClient (":memory:");
        var options = (PrefectCtx.RunOptions) Object.new (typeof (PrefectCtx.RunOptions), "client", store);
        var flow = new PrefectCtx.Flow ("vala-squares");
        var square = (PrefectCtx.Task) Object.new (typeof (PrefectCtx.Task), "name", "square", "retries", 1);
        var tries = 0;
        string? flow_run_id = null;

        var result = flow.run_sync (null, options, (context, parameters) => {
            flow_run_id = ((PrefectCtx.FlowRunContext) context).get_flow_run ().get_id ();
            int64 total = 0;
            for (int64 x = 1; x <= 3; x++) {
                var squared = square.call (with_x (x), (task_context, task_parameters) => {
                    var value = task_parameters.lookup_value ("x", VariantType.INT64).get_int64 ();
                    if (value == 3 && tries++ == 0)
                        throw new IOError.BUSY ("busy, try again");
                    return new Variant.int64 (value * value);
                });
                total += squared.get_int64 ();
            }
            return new Variant.int64 (total);
        });
        print ("The flow run returned %lld.\n", result.get_int64 ());

        var task_runs = store.read_task_runs (flow_run_id, 0, 0, null);
        for (uint i = 0; i < task_runs.get_n_items (); i++) {
            var task_run = (PrefectCtx.TaskRun) task_runs.get_item (i);
            print ("  %s: %s after %d run(s)\n", task_run.get_name (), task_run.get_state ().get_name (),
                   task_run.get_run_count ());
        }
        return 0;
    } catch (Error e) {
        printerr ("engine-vala: %s\n", e.message);
        return 1;
    }
}
