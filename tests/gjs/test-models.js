// test-models.js: the models (layer 2) through gjs: records read from the
// Prefect REST API's JSON, their properties, and JSON round trips.
// Run with `gjs -m`; prints TAP.
//
// SPDX-License-Identifier: LGPL-2.1-or-later
import GLib from 'gi://GLib';
import PrefectCtx from 'gi://PrefectCtx?version=1.0';

import {test, done, assert, assertEqual, assertDeepEqual, assertThrowsGError} from './tap.js';

const samplesDir = GLib.getenv('PREFECT_CTX_SAMPLES_DIR') ??
    GLib.build_filenamev([GLib.path_get_dirname(new URL(import.meta.url).pathname), '..', 'samples']);

function sample(name) {
    const [, bytes] = GLib.file_get_contents(GLib.build_filenamev([samplesDir, name]));
    return new TextDecoder().decode(bytes);
}

test('Flow from JSON', () => {
    const flow = PrefectCtx.Flow.new_from_json(sample('flow_read.json'));
    assertEqual(flow.get_id(), 'dbad8680-d921-4f04-9a47-d750e17368c3');
    assertEqual(flow.name, 'c-client-sample-flow');
    assertDeepEqual([...flow.get_tags()], ['c-client', 'sample']);
    const json = JSON.parse(flow.to_json());
    assertEqual(json.id, flow.get_id());
    assertEqual(json.name, 'c-client-sample-flow');
    assertDeepEqual(json.tags, ['c-client', 'sample']);
});

test('Flow.new', () => {
    const flow = PrefectCtx.Flow.new('made-here');
    assertEqual(flow.get_name(), 'made-here');
    assertDeepEqual([...flow.get_tags()], []);
});

test('FlowRun from JSON', () => {
    const run = PrefectCtx.FlowRun.new_from_json(sample('flow_run_read.json'));
    assertEqual(run.get_id(), '8259f515-0dbd-4c2b-a561-e1db55fe1449');
    assertEqual(run.get_name(), 'sample-flow-run');
    assertEqual(run.flow_id, 'dbad8680-d921-4f04-9a47-d750e17368c3');
    assertDeepEqual(run.get_parameters().recursiveUnpack(), {n: 3});
    assertDeepEqual([...run.get_tags()], ['sample']);
    assertEqual(run.get_run_count(), 1);
    assertEqual(run.get_deployment_id(), null);
    assertEqual(run.get_parent_task_run_id(), null);
    const state = run.get_state();
    assert(state !== null, 'state');
    assertEqual(state.get_state_type(), PrefectCtx.StateType.COMPLETED);
    assertEqual(state.get_name(), 'Completed');
    assert(state.is_finished());
    const start = run.get_start_time();
    assertEqual(start.get_utc_offset(), 0);
    assertEqual(start.format_iso8601(), '2026-11-21T05:01:49.252186Z');
});

test('FlowRun JSON round trip', () => {
    const run = PrefectCtx.FlowRun.new_from_json(sample('flow_run_read.json'));
    const again = PrefectCtx.FlowRun.new_from_json(run.to_json());
    assertEqual(again.to_json(), run.to_json());
    const json = JSON.parse(run.to_json());
    assertEqual(json.id, run.get_id());
    assertEqual(json.flow_id, run.get_flow_id());
    assertDeepEqual(json.parameters, {n: 3});
    assertEqual(json.run_count, 1);
    assertEqual(json.state_type ?? json.state.type, 'COMPLETED');
});

test('TaskRun from JSON', () => {
    const taskRun = PrefectCtx.TaskRun.new_from_json(sample('task_run_read.json'));
    assertEqual(taskRun.get_id(), '6df9b563-3016-4342-9c34-604be3f08f28');
    assertEqual(taskRun.get_flow_run_id(), '8259f515-0dbd-4c2b-a561-e1db55fe1449');
    assertEqual(taskRun.get_task_key(), 'seed.sample_task');
    assertEqual(taskRun.get_dynamic_key(), '0');
    assertEqual(taskRun.get_state().get_state_type(), PrefectCtx.StateType.COMPLETED);
    const again = PrefectCtx.TaskRun.new_from_json(taskRun.to_json());
    assertEqual(again.to_json(), taskRun.to_json());
});

test('Deployment from JSON', () => {
    const deployment = PrefectCtx.Deployment.new_from_json(sample('deployment_read.json'));
    assertEqual(deployment.get_id(), '6ecde042-0b17-4250-a0ff-3f1b4062a38c');
    assertEqual(deployment.get_name(), 'sample-deployment');
    assertEqual(deployment.get_version(), '1');
    assertDeepEqual(deployment.get_parameters().recursiveUnpack(), {n: 3});
    assertEqual(JSON.parse(deployment.to_json()).name, 'sample-deployment');
});

test('LogEntry from JSON', () => {
    const logs = JSON.parse(sample('logs_filter.json'));
    const entry = PrefectCtx.LogEntry.new_from_json(JSON.stringify(logs[0]));
    assertEqual(entry.get_level(), logs[0].level);
    assertEqual(entry.get_message(), logs[0].message);
    assertEqual(entry.get_name(), logs[0].name);
    assertEqual(entry.get_flow_run_id(), logs[0].flow_run_id);
    assertEqual(entry.get_task_run_id(), null);
    const json = JSON.parse(entry.to_json());
    assertEqual(json.message, logs[0].message);
    assertEqual(json.level, logs[0].level);
});

test('State', () => {
    const state = PrefectCtx.State.new(PrefectCtx.StateType.RUNNING, 'Running', null);
    assertEqual(state.get_state_type(), PrefectCtx.StateType.RUNNING);
    assert(!state.is_finished());
    assertEqual(JSON.parse(state.to_json()).type, 'RUNNING');
    assertEqual(PrefectCtx.state_type_to_string(PrefectCtx.StateType.CANCELLING), 'CANCELLING');
    assertDeepEqual(PrefectCtx.state_type_from_string('FAILED'), [true, PrefectCtx.StateType.FAILED]);
    assertEqual(PrefectCtx.state_type_from_string('NOPE')[0], false);
    assert(PrefectCtx.state_type_is_finished(PrefectCtx.StateType.CRASHED));
    const states = JSON.parse(sample('flow_run_states.json'));
    const first = PrefectCtx.State.new_from_json(JSON.stringify(states[0]));
    assertEqual(first.get_state_type(), PrefectCtx.StateType.PENDING);
});

test('invalid JSON is a GLib.Error', () => {
    for (const json of ['not json', '[1]', '{"id": 3}']) {
        assertThrowsGError(() => PrefectCtx.FlowRun.new_from_json(json), PrefectCtx.Error,
            PrefectCtx.Error.INVALID_ARGUMENT, /FlowRun/);
    }
});

done();
