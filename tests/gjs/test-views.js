// test-views.js: the views (layer 7) through gjs: a FlowRunView of a run
// written into an in-memory store, its cache and lookups, and the flow run
// watcher on a GLib.MainLoop while a timeout source moves the run along.
// Run with `gjs -m`; prints TAP.
//
// SPDX-License-Identifier: LGPL-2.1-or-later
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import PrefectCtx from 'gi://PrefectCtx?version=1.0';

import {test, done, assert, assertEqual, assertDeepEqual, assertThrowsGError} from './tap.js';

const ST = PrefectCtx.StateType;
const UNSET = PrefectCtx.FLOW_RUN_VIEW_MAP_INDEX_UNSET;
const DOMAIN = PrefectCtx.error_quark();

function items(model) {
    const list = [];
    for (let i = 0; i < model.get_n_items(); i++)
        list.push(model.get_item(i));
    return list;
}

function makeFlowRun(client, stateType) {
    const flow = client.create_flow(new PrefectCtx.Flow({name: 'gjs-views'}), null);
    const props = {flow_id: flow.get_id(), name: 'gjs-run', tags: ['js']};
    if (stateType !== null)
        props.state = PrefectCtx.State.new(stateType, null, null);
    return client.create_flow_run(new PrefectCtx.FlowRun(props), null).get_id();
}

function setFlowState(client, id, stateType, message = null) {
    client.set_flow_run_state(id, PrefectCtx.State.new(stateType, null, message), true, null);
}

function makeTaskRun(client, runId, key, stateType) {
    return client.create_task_run(new PrefectCtx.TaskRun({
        flow_run_id: runId, task_key: key, dynamic_key: '0', name: `${key}-0`,
        state: PrefectCtx.State.new(stateType, null, null),
    }), null).get_id();
}

function addLog(client, runId, message) {
    client.create_logs([new PrefectCtx.LogEntry({
        name: 'gjs', level: 20, message, flow_run_id: runId, timestamp: GLib.DateTime.new_now_utc(),
    })], null);
}

test('a flow run view caches finished task runs only', () => {
    const client = PrefectCtx.LocalClient.new(':memory:');
    const runId = makeFlowRun(client, ST.RUNNING);
    const done_ = makeTaskRun(client, runId, 'extract', ST.COMPLETED);
    const busy = makeTaskRun(client, runId, 'load', ST.RUNNING);
    const view = PrefectCtx.FlowRunView.new_from_id(client, runId, false, null);

    assertEqual(view.flow_run_id, runId);
    assertEqual(view.name, 'gjs-run');
    assertDeepEqual(view.tags, ['js']);
    assertEqual(view.state.get_state_type(), ST.RUNNING);

    const first = view.get_task_run(null, done_, UNSET, null);
    view.get_task_run('load-0', null, UNSET, null);
    assertDeepEqual(items(view.get_cached_task_runs()).map(t => t.task_run_id), [done_]);

    client.set_task_run_state(done_, PrefectCtx.State.new(ST.FAILED, null, null), true, null);
    client.set_task_run_state(busy, PrefectCtx.State.new(ST.COMPLETED, null, null), true, null);
    assertEqual(view.get_task_run('extract-0', null, UNSET, null), first);
    assertEqual(view.get_task_run(null, busy, UNSET, null).state.get_state_type(), ST.COMPLETED);

    setFlowState(client, runId, ST.COMPLETED);
    const latest = view.get_latest(false, null);
    assertEqual(latest.state.get_state_type(), ST.COMPLETED);
    assertEqual(view.state.get_state_type(), ST.RUNNING, 'the original view');
    assertEqual(latest.get_task_run(null, done_, UNSET, null), first, 'handed over');
});

test('lookups report inconsistent arguments with Prefect\'s messages', () => {
    const client = PrefectCtx.LocalClient.new(':memory:');
    const runId = makeFlowRun(client, ST.RUNNING);
    const add = makeTaskRun(client, runId, 'add', ST.COMPLETED);
    const view = PrefectCtx.FlowRunView.new_from_id(client, runId, false, null);

    assertThrowsGError(() => view.get_task_run(null, null, -1, null), DOMAIN,
        PrefectCtx.Error.INVALID_ARGUMENT, 'One of `task_run_id`, `task`, or `task_slug` must be provided!');
    assertThrowsGError(() => view.get_task_run('sub-0', add, UNSET, null), DOMAIN,
        PrefectCtx.Error.INVALID_ARGUMENT, /has a different slug!/);
    assertThrowsGError(() => view.get_task_run(null, add, 2, null), DOMAIN,
        PrefectCtx.Error.INVALID_ARGUMENT, /has a different map index! `map_index == 2`/);
});

test('logs in a window, ending at updated-at by default', () => {
    const client = PrefectCtx.LocalClient.new(':memory:');
    const runId = makeFlowRun(client, ST.RUNNING);
    const view = PrefectCtx.FlowRunView.new_from_id(client, runId, false, null);
    const at = view.updated_at;
    for (const [message, offset] of [['later', 3], ['before', -2], ['at', 0]]) {
        client.create_logs([new PrefectCtx.LogEntry({
            level: 20, message, flow_run_id: runId, timestamp: at.add_seconds(offset),
        })], null);
    }
    assertDeepEqual(items(view.get_logs(null, null, null)).map(l => l.get_message()), ['before', 'at']);
    assertDeepEqual(items(view.get_logs(at.add_seconds(-2), at.add_seconds(5), null)).map(l => l.get_message()),
        ['at', 'later']);
});

function watch(watcher, cancellable = null) {
    const loop = new GLib.MainLoop(null, false);
    const outcome = {entries: [], finished: 0, updated: 0};
    watcher.connect('entry', (_w, entry) => outcome.entries.push(entry.get_message()));
    watcher.connect('updated', () => outcome.updated++);
    watcher.connect('finished', () => outcome.finished++);
    watcher.watch_async(cancellable, (source, result) => {
        try {
            outcome.view = source.watch_finish(result);
        } catch (e) {
            outcome.error = e;
        }
        loop.quit();
    });
    loop.run();
    return outcome;
}

test('the watcher follows a run that finishes on the main loop', () => {
    const client = PrefectCtx.LocalClient.new(':memory:');
    const runId = makeFlowRun(client, ST.PENDING);
    const watcher = new PrefectCtx.FlowRunWatcher({
        client, flow_run_id: runId, poll_interval: 0.05, max_poll_interval: 0.1, max_duration: 30,
    });
    const steps = [
        () => setFlowState(client, runId, ST.RUNNING, 'Go'),
        () => addLog(client, runId, 'working'),
        () => {
            setFlowState(client, runId, ST.COMPLETED);
            addLog(client, runId, 'Finished in state Completed()');
        },
    ];
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, 70, () => {
        steps.shift()();
        return steps.length > 0;
    });

    const outcome = watch(watcher);
    assertEqual(outcome.error, undefined);
    assertEqual(outcome.view.state.get_state_type(), ST.COMPLETED);
    assertDeepEqual(outcome.entries, [
        'Entered state <Pending>', 'Entered state <Running>: Go', 'working',
        'Entered state <Completed>', 'Finished in state Completed()',
    ]);
    assertEqual(outcome.finished, 1);
    assert(outcome.updated >= 3, `updated ${outcome.updated} times`);
});

test('the watcher of a finished run gives one line', () => {
    const client = PrefectCtx.LocalClient.new(':memory:');
    const runId = makeFlowRun(client, ST.COMPLETED);
    const outcome = watch(PrefectCtx.FlowRunWatcher.new(client, runId));
    assertDeepEqual(outcome.entries, ['Your flow run finished a few seconds ago']);
    assert(outcome.view.is_finished(), 'finished');
});

test('the watcher times out with Prefect\'s message', () => {
    const client = PrefectCtx.LocalClient.new(':memory:');
    const runId = makeFlowRun(client, ST.RUNNING);
    const watcher = new PrefectCtx.FlowRunWatcher({
        client, flow_run_id: runId, poll_interval: 0.02, max_poll_interval: 0.05, max_duration: 0.25,
    });
    const outcome = watch(watcher);
    assert(outcome.error instanceof GLib.Error, `error ${outcome.error}`);
    assert(outcome.error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.TIMED_OUT), 'TIMED_OUT');
    assertEqual(outcome.error.message,
        'watch_flow_run timed out after 0.000069 hours of waiting for completion. ' +
        'Your flow run is still in state: Running');
    assertDeepEqual(outcome.entries, ['Entered state <Running>']);
    assertEqual(outcome.finished, 0);
});

test('the watcher stops when cancelled', () => {
    const client = PrefectCtx.LocalClient.new(':memory:');
    const runId = makeFlowRun(client, ST.RUNNING);
    const cancellable = new Gio.Cancellable();
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, 80, () => {
        cancellable.cancel();
        return GLib.SOURCE_REMOVE;
    });
    const outcome = watch(new PrefectCtx.FlowRunWatcher({client, flow_run_id: runId, poll_interval: 0.05}),
        cancellable);
    assert(outcome.error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED), 'CANCELLED');
});

done();
