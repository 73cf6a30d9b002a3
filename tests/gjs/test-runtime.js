// test-runtime.js: the runtime module (prefect.runtime) through gjs:
// runtime_get for every module, values from the contexts, mocks and errors.
// Run with `gjs -m`; prints TAP.
//
// SPDX-License-Identifier: LGPL-2.1-or-later
import GLib from 'gi://GLib';
import PrefectCtx from 'gi://PrefectCtx?version=1.0';

import {test, done, assert, assertEqual, assertDeepEqual, assertThrowsGError} from './tap.js';

// A clean environment before the root settings context is made.
for (const name of GLib.listenv()) {
    if (name.startsWith('PREFECT_'))
        GLib.unsetenv(name);
}
const tmp = GLib.dir_make_tmp('test-runtime-gjs-XXXXXX');
GLib.setenv('PREFECT_HOME', GLib.build_filenamev([tmp, 'home']), true);

const FLOW_RUN_ID = '11111111-1111-4111-8111-111111111111';
const TASK_RUN_ID = '33333333-3333-4333-8333-333333333333';
const DEPLOYMENT_ID = '66666666-6666-4666-8666-666666666666';
const MOCK_MSG = 'This runtime context attribute cannot be mocked using an environment variable. ' +
    'Please use monkeypatch instead.';
const ERROR = PrefectCtx.error_quark();

function get(module, attribute) {
    const value = PrefectCtx.runtime_get(module, attribute);
    return value === null ? null : value.recursiveUnpack();
}

function vardict(object) {
    const dict = {};
    for (const [key, value] of Object.entries(object))
        dict[key] = new GLib.Variant('x', value);
    return new GLib.Variant('a{sv}', dict);
}

function flowRunContext(deploymentId = null) {
    const flow = new PrefectCtx.Flow({name: 'my-flow', version: 'flow-version'});
    const flowRun = new PrefectCtx.FlowRun({
        id: FLOW_RUN_ID,
        name: 'crimson-fox',
        tags: ['b', 'a'],
        parameters: vardict({x: 1}),
        deployment_id: deploymentId,
        run_count: 3,
        expected_start_time: GLib.DateTime.new_utc(2024, 5, 1, 12, 30, 0),
    });
    return PrefectCtx.FlowRunContext.new(flow, flowRun, vardict({p: 7}));
}

function taskRunContext() {
    const taskRun = new PrefectCtx.TaskRun({
        id: TASK_RUN_ID, name: 'my-task-0', flow_run_id: FLOW_RUN_ID, tags: ['t2', 't1'], run_count: 2,
    });
    return PrefectCtx.TaskRunContext.new(PrefectCtx.Task.new('my-task'), taskRun, vardict({y: 2}));
}

function within(ctx, fn) {
    ctx.enter();
    try {
        fn();
    } finally {
        ctx.exit();
    }
}

test('modules and attributes are listed', () => {
    assertDeepEqual(PrefectCtx.runtime_list_modules(), ['deployment', 'flow_run', 'task_run']);
    assertDeepEqual(PrefectCtx.runtime_list_attributes('task_run'),
        ['api_url', 'id', 'name', 'parameters', 'run_count', 'tags', 'task_name', 'ui_url']);
    assertDeepEqual(PrefectCtx.runtime_list_attributes('deployment'),
        ['flow_run_id', 'id', 'name', 'parameters', 'version']);
    assertEqual(PrefectCtx.runtime_list_attributes('flow_run').length, 14);
    assertEqual(PrefectCtx.runtime_get_attribute_type('flow_run', 'scheduled_start_time'), 'datetime');
});

test('empty values outside any run', () => {
    assertEqual(get('flow_run', 'name'), null);
    assertEqual(get('flow_run', 'id'), null);
    assertDeepEqual(get('flow_run', 'tags'), []);
    assertDeepEqual(get('flow_run', 'parameters'), {});
    assertEqual(get('flow_run', 'run_count'), 0);
    assertEqual(get('flow_run', 'job_variables'), null);
    const start = GLib.DateTime.new_from_iso8601(get('flow_run', 'scheduled_start_time'), null);
    assert(Math.abs(GLib.DateTime.new_now_utc().difference(start)) < 60 * 1000000, 'start is now');
    assertEqual(get('task_run', 'id'), null);
    assertDeepEqual(get('task_run', 'tags'), []);
    assertEqual(get('task_run', 'run_count'), 0);
    assertEqual(get('deployment', 'id'), null);
    assertDeepEqual(get('deployment', 'parameters'), {});
});

test('flow_run values come from the flow context', () => {
    within(flowRunContext(DEPLOYMENT_ID), () => {
        assertEqual(get('flow_run', 'id'), FLOW_RUN_ID);
        assertEqual(get('flow_run', 'name'), 'crimson-fox');
        assertEqual(get('flow_run', 'flow_name'), 'my-flow');
        assertEqual(get('flow_run', 'flow_version'), 'flow-version');
        assertDeepEqual(get('flow_run', 'tags'), ['a', 'b']);
        assertDeepEqual(get('flow_run', 'parameters'), {p: 7});
        assertEqual(get('flow_run', 'run_count'), 3);
        assertEqual(get('flow_run', 'scheduled_start_time'), '2024-05-01T12:30:00Z');
        assertEqual(get('flow_run', 'root_flow_run_id'), FLOW_RUN_ID);
        assertEqual(get('flow_run', 'parent_flow_run_id'), null);
        assertEqual(get('deployment', 'id'), DEPLOYMENT_ID);
        assertEqual(get('deployment', 'flow_run_id'), FLOW_RUN_ID);
        assertDeepEqual(get('deployment', 'parameters'), {x: 1});
    });
    assertEqual(get('flow_run', 'id'), null);
});

test('task_run values come from the task context', () => {
    within(taskRunContext(), () => {
        assertEqual(get('task_run', 'id'), TASK_RUN_ID);
        assertEqual(get('task_run', 'name'), 'my-task-0');
        assertEqual(get('task_run', 'task_name'), 'my-task');
        assertDeepEqual(get('task_run', 'tags'), ['t1', 't2']);
        assertDeepEqual(get('task_run', 'parameters'), {y: 2});
        assertEqual(get('task_run', 'run_count'), 2);
        assertEqual(get('flow_run', 'id'), FLOW_RUN_ID);
        assertEqual(PrefectCtx.runtime_task_run_get_name(), 'my-task-0');
    });
});

test('PREFECT__FLOW_RUN_ID is the last source of flow_run.id', () => {
    GLib.setenv('PREFECT__FLOW_RUN_ID', 'env-id', true);
    try {
        assertEqual(get('flow_run', 'id'), 'env-id');
        assertEqual(get('deployment', 'flow_run_id'), 'env-id');
        within(flowRunContext(), () => assertEqual(get('flow_run', 'id'), FLOW_RUN_ID));
    } finally {
        GLib.unsetenv('PREFECT__FLOW_RUN_ID');
    }
});

test('unknown attributes and modules are errors', () => {
    assertThrowsGError(() => PrefectCtx.runtime_get('flow_run', 'nope'), ERROR,
        PrefectCtx.Error.NOT_FOUND, "prefect.runtime.flow_run has no attribute 'nope'");
    assertThrowsGError(() => PrefectCtx.runtime_get('flow', 'id'), ERROR,
        PrefectCtx.Error.INVALID_ARGUMENT);
});

test('mocks: unknown keys, strings, ints, datetimes, lists and dicts', () => {
    GLib.setenv('PREFECT__RUNTIME__TASK_RUN__FAKE_KEY', 'foo', true);
    GLib.setenv('PREFECT__RUNTIME__FLOW_RUN__NAME', 'mocked', true);
    GLib.setenv('PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT', '42', true);
    GLib.setenv('PREFECT__RUNTIME__FLOW_RUN__SCHEDULED_START_TIME', '2024-01-02T03:04:05+02:00', true);
    GLib.setenv('PREFECT__RUNTIME__FLOW_RUN__TAGS', 'a,b', true);
    try {
        assertEqual(get('task_run', 'fake_key'), 'foo');
        assertEqual(get('flow_run', 'name'), 'mocked');
        assertEqual(get('flow_run', 'run_count'), 42);
        assertEqual(get('flow_run', 'scheduled_start_time'), '2024-01-02T01:04:05Z');
        assertThrowsGError(() => PrefectCtx.runtime_get('flow_run', 'tags'), ERROR,
            PrefectCtx.Error.INVALID_ARGUMENT, MOCK_MSG);
        GLib.setenv('PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT', 'abc', true);
        assertThrowsGError(() => PrefectCtx.runtime_get('flow_run', 'run_count'), ERROR,
            PrefectCtx.Error.INVALID_ARGUMENT, /PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT/);
    } finally {
        for (const name of ['TASK_RUN__FAKE_KEY', 'FLOW_RUN__NAME', 'FLOW_RUN__RUN_COUNT',
            'FLOW_RUN__SCHEDULED_START_TIME', 'FLOW_RUN__TAGS'])
            GLib.unsetenv(`PREFECT__RUNTIME__${name}`);
    }
    assertEqual(get('flow_run', 'name'), null);
    assertThrowsGError(() => PrefectCtx.runtime_get('task_run', 'fake_key'), ERROR, PrefectCtx.Error.NOT_FOUND);
});

GLib.rmdir(GLib.build_filenamev([tmp, 'home']));
GLib.rmdir(tmp);
test('PrefectCtx.runtime reads like prefect.runtime', () => {
    assertEqual(PrefectCtx.runtime.flow_run.name, null);
    assertDeepEqual(PrefectCtx.runtime.flow_run.tags, []);
    assertEqual(PrefectCtx.runtime.task_run.run_count, 0);
    assert('name' in PrefectCtx.runtime.flow_run);
    assert(!('nope' in PrefectCtx.runtime.flow_run));
    assert(Object.keys(PrefectCtx.runtime.deployment).includes('id'));
    within(flowRunContext(), () => {
        assertEqual(PrefectCtx.runtime.flow_run.name, 'crimson-fox');
        assertEqual(PrefectCtx.runtime.flow_run.id, FLOW_RUN_ID);
        assertDeepEqual(PrefectCtx.runtime.flow_run.tags, ['a', 'b']);
        const when = PrefectCtx.runtime.flow_run.scheduled_start_time;
        assert(when instanceof GLib.DateTime);
        assertEqual(when.get_year(), 2024);
    });
    GLib.setenv('PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT', '42', true);
    assertEqual(PrefectCtx.runtime.flow_run.run_count, 42);
    GLib.unsetenv('PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT');
    assertThrowsGError(() => PrefectCtx.runtime.flow_run.nope, ERROR, PrefectCtx.Error.NOT_FOUND);
});

done();
