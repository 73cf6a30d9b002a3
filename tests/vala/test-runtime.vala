/* test-runtime.vala: the runtime module (prefect.runtime) and use_profile
 * through the generated vapi. A GLib.Test program run with --tap.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

const string FLOW_RUN_ID = "11111111-1111-4111-8111-111111111111";
const string TASK_RUN_ID = "33333333-3333-4333-8333-333333333333";
const string MOCK_MSG = "This runtime context attribute cannot be mocked using an environment variable. "
                        + "Please use monkeypatch instead.";

delegate void Body () throws GLib.Error;

static void check (Body body) {
    try {
        body ();
    } catch (GLib.Error e) {
        error ("unexpected error: %s", e.message);
    }
}

static Variant vardict (string key, int64 value) {
    var dict = new VariantDict ();
    dict.insert_value (key, new Variant.int64 (value));
    return dict.end ();
}

static PrefectCtx.FlowRunContext flow_run_context () {
    var flow_run = (PrefectCtx.FlowRun) Object.new (typeof (PrefectCtx.FlowRun),
                                                   "id", FLOW_RUN_ID,
                                                   "name", "crimson-fox",
                                                   "run-count", 3,
                                                   "tags", new string[] { "b", "a" });
    return new PrefectCtx.FlowRunContext (new PrefectCtx.Flow ("my-flow"), flow_run, vardict ("p", 7));
}

static void test_empty () throws GLib.Error {
    assert (PrefectCtx.runtime_get ("flow_run", "name") == null);
    assert (PrefectCtx.runtime_get ("flow_run", "run_count").get_int32 () == 0);
    assert (PrefectCtx.runtime_get ("flow_run", "tags").n_children () == 0);
    assert (PrefectCtx.runtime_get ("task_run", "parameters").n_children () == 0);
    assert (PrefectCtx.runtime_flow_run_get_id () == null);
    assert (PrefectCtx.runtime_flow_run_get_tags ().length == 0);
    assert (PrefectCtx.runtime_list_attributes ("flow_run").length == 14);
    assert (PrefectCtx.runtime_list_attributes ("nope") == null);
    var start = PrefectCtx.runtime_flow_run_get_scheduled_start_time ();
    assert (new DateTime.now_utc ().difference (start) < 60 * TimeSpan.SECOND);
}

static void test_values () throws GLib.Error {
    var ctx = flow_run_context ();
    ctx.enter ();
    assert (PrefectCtx.runtime_get ("flow_run", "id").get_string () == FLOW_RUN_ID);
    assert (PrefectCtx.runtime_flow_run_get_name () == "crimson-fox");
    assert (PrefectCtx.runtime_flow_run_get_flow_name () == "my-flow");
    assert (PrefectCtx.runtime_flow_run_get_run_count () == 3);
    var tags = PrefectCtx.runtime_flow_run_get_tags ();
    assert (tags.length == 2 && tags[0] == "a" && tags[1] == "b");
    assert (PrefectCtx.runtime_flow_run_get_parameters ().lookup_value ("p", null).get_int64 () == 7);
    assert (PrefectCtx.runtime_deployment_get_flow_run_id () == FLOW_RUN_ID);
    assert (PrefectCtx.runtime_task_run_get_id () == null);
    ctx.exit ();
    assert (PrefectCtx.runtime_flow_run_get_id () == null);
}

static void test_errors_and_mocks () {
    try {
        PrefectCtx.runtime_get ("flow_run", "nope");
        assert_not_reached ();
    } catch (PrefectCtx.Error.NOT_FOUND e) {
        assert (e.message == "prefect.runtime.flow_run has no attribute 'nope'");
    } catch (GLib.Error e) {
        error ("unexpected error: %s", e.message);
    }

    Environment.set_variable ("PREFECT__RUNTIME__FLOW_RUN__PARAMETERS", "x", true);
    try {
        PrefectCtx.runtime_get ("flow_run", "parameters");
        assert_not_reached ();
    } catch (PrefectCtx.Error.INVALID_ARGUMENT e) {
        assert (e.message == MOCK_MSG);
    } catch (GLib.Error e) {
        error ("unexpected error: %s", e.message);
    }
    Environment.unset_variable ("PREFECT__RUNTIME__FLOW_RUN__PARAMETERS");

    Environment.set_variable ("PREFECT__RUNTIME__TASK_RUN__FAKE_KEY", "foo", true);
    Environment.set_variable ("PREFECT__RUNTIME__TASK_RUN__RUN_COUNT", "12", true);
    check (() => {
        assert (PrefectCtx.runtime_get ("task_run", "fake_key").get_string () == "foo");
        assert (PrefectCtx.runtime_get ("task_run", "run_count").get_int32 () == 12);
    });
    assert (PrefectCtx.runtime_task_run_get_run_count () == 12);
    Environment.unset_variable ("PREFECT__RUNTIME__TASK_RUN__FAKE_KEY");
    Environment.unset_variable ("PREFECT__RUNTIME__TASK_RUN__RUN_COUNT");
}

static void test_use_profile () throws GLib.Error {
    var settings = new HashTable<string, string> (str_hash, str_equal);
    settings.insert ("PREFECT_API_URL", "http://profile.test/api");
    var profile = new PrefectCtx.Profile ("vala", settings, null);
    var ctx = PrefectCtx.use_profile_object (profile, false, false);
    assert (PrefectCtx.SettingsContext.get_current () == ctx);
    assert (ctx.get_settings ().get_api_url () == "http://profile.test/api");

    var flow_ctx = flow_run_context ();
    flow_ctx.enter ();
    assert (PrefectCtx.runtime_flow_run_get_api_url ()
            == "http://profile.test/api/flow-runs/flow-run/" + FLOW_RUN_ID);
    flow_ctx.exit ();
    ctx.exit ();
    assert (PrefectCtx.SettingsContext.get_current () != ctx);

    try {
        PrefectCtx.use_profile ("no-such-profile", false, true);
        assert_not_reached ();
    } catch (PrefectCtx.Error.NOT_FOUND e) {
    }
}

int main (string[] args) {
    /* A clean environment before the root settings context is made. */
    foreach (unowned string name in Environment.list_variables ()) {
        if (name.has_prefix ("PREFECT_"))
            Environment.unset_variable (name);
    }
    string tmp;
    try {
        tmp = DirUtils.make_tmp ("test-runtime-vala-XXXXXX");
    } catch (FileError e) {
        error ("%s", e.message);
    }
    var home = Path.build_filename (tmp, "home");
    Environment.set_variable ("PREFECT_HOME", home, true);

    Test.init (ref args);
    Test.add_func ("/vala/runtime/empty", () => check (test_empty));
    Test.add_func ("/vala/runtime/values", () => check (test_values));
    Test.add_func ("/vala/runtime/errors-and-mocks", test_errors_and_mocks);
    Test.add_func ("/vala/runtime/use-profile", () => check (test_use_profile));
    var ret = Test.run ();

    DirUtils.remove (home);
    DirUtils.remove (tmp);
    return ret;
}
