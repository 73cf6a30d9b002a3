// test-engine.js: the engine (layer 6) through gjs: a flow with tasks from
// JS functions, through the introspected API (Flow.run_sync, Task.call with
// JS callbacks) and the PrefectCtx.flow / PrefectCtx.task helpers; failures
// thrown in JS reach the run store as Failed states. Run with `gjs -m`;
// prints TAP. No submitted tasks: gjs refuses callbacks on other threads.
// No Flow.run_sync inside Flow.run_sync either: gjs 1.74 crashes when a GI
// function is re-entered from its own callback (PrefectCtx.flow runs
// subflows with Flow.run_async for that reason).
//
// SPDX-License-Identifier: LGPL-2.1-or-later
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import PrefectCtx from 'gi://PrefectCtx?version=1.0';

import {test, done, assert, assertEqual, assertDeepEqual, assertThrowsGError} from './tap.js';


function items(model) {
    const list = [];
    for (let i = 0; i < model.get_n_items(); i++)
        list.push(model.get_item(i));
    return list;
}

test('a flow with tasks through the introspected API', () => {
    const client = PrefectCtx.LocalClient.new(':memory:');
    const options = new PrefectCtx.RunOptions({client});
    const flow = new PrefectCtx.Flow({name: 'gjs-flow', tags: ['js']});
    const task = PrefectCtx.Task.new('double');
    let flowRunId = null;

    const result = flow.run_sync(PrefectCtx._toVardict({start: 1}), options, (ctx, params) => {
        assert(ctx instanceof PrefectCtx.FlowRunContext, 'flow run context');
        flowRunId = ctx.get_flow_run().get_id();
        let total = params.recursiveUnpack().start;
        for (let i = 0; i < 3; i++) {
            const v = task.call(PrefectCtx._toVardict({n: total}), (tctx, p) => {
                assert(tctx instanceof PrefectCtx.TaskRunContext, 'task run context');
                assertEqual(PrefectCtx.get_run_context(), tctx);
                return new GLib.Variant('x', p.recursiveUnpack().n * 2);
            });
            total = v.unpack();
        }
        return new GLib.Variant('x', total);
    });
    assertEqual(result.unpack(), 8);

    const run = client.read_flow_run(flowRunId, null);
    assertEqual(run.get_state().get_name(), 'Completed');
    assertDeepEqual(run.get_tags(), ['js']);
    const runs = items(client.read_task_runs(flowRunId, 0, 0, null));
    assertDeepEqual(runs.map(r => r.get_name()), ['double-0', 'double-1', 'double-2']);
    for (const r of runs) {
        assertDeepEqual(items(client.read_task_run_states(r.get_id(), null)).map(s => s.get_name()),
            ['Pending', 'Running', 'Completed']);
    }
    assertEqual(PrefectCtx.FlowRunContext.get_current(), null);
});

test('a thrown error fails the run with its message', () => {
    const client = PrefectCtx.LocalClient.new(':memory:');
    const options = new PrefectCtx.RunOptions({client});
    const flow = PrefectCtx.Flow.new('gjs-failing');
    const task = new PrefectCtx.Task({name: 'flaky', retries: 1});
    let flowRunId = null;
    let attempts = 0;

    let caught = null;
    try {
        flow.run_sync(null, options, ctx => {
            flowRunId = ctx.get_flow_run().get_id();
            return task.call(null, () => {
                attempts++;
                throw new Error(`js failure ${attempts}`);
            });
        });
    } catch (e) {
        caught = e;
    }
    // gjs hands back the thrown JS error itself.
    assert(caught !== null, 'it threw');
    assertEqual(caught.message, 'js failure 2');
    assertEqual(attempts, 2);

    const [taskRun] = items(client.read_task_runs(flowRunId, 0, 0, null));
    const states = items(client.read_task_run_states(taskRun.get_id(), null));
    assertDeepEqual(states.map(s => `${s.get_name()}:${s.get_message()}`),
        ['Pending:null', 'Running:null', 'AwaitingRetry:Task run encountered an exception js failure 1', 'Retrying:null',
            'Failed:Task run encountered an exception js failure 2']);
    const run = client.read_flow_run(flowRunId, null);
    assertEqual(run.get_state().get_name(), 'Failed');
    assertEqual(run.get_state().get_message(), 'Flow run encountered an exception. js failure 2');

    // A GLib.Error keeps its domain and code.
    try {
        flow.run_sync(null, options, () => {
            throw new GLib.Error(Gio.io_error_quark(), Gio.IOErrorEnum.NOT_FOUND, 'not there');
        });
        assert(false, 'should have thrown');
    } catch (e) {
        assert(e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.NOT_FOUND), `${e}`);
        assertEqual(e.message, 'not there');
    }
});

test('PrefectCtx.flow and PrefectCtx.task helpers', () => {
    const client = PrefectCtx.LocalClient.new(':memory:');
    const add = PrefectCtx.task('add', ({x, y}) => x + y);
    const seen = {};
    const pipeline = PrefectCtx.flow({name: 'pipeline'}, ({items}, ctx) => {
        seen.id = ctx.get_flow_run().get_id();
        seen.name = PrefectCtx.runtime.flow_run.name;
        seen.custom = PrefectCtx.getCustomContext();
        let total = 0;
        for (const item of items)
            total = add({x: total, y: item});
        return {total, label: 'done'};
    }).withOptions({client, custom_context: {team: 'js'}, run_name: 'js-run'});

    assertDeepEqual(pipeline({items: [1, 2, 3]}), {total: 6, label: 'done'});
    assertEqual(seen.name, 'js-run');
    assertDeepEqual(seen.custom, {team: 'js'});
    const runs = items(client.read_task_runs(seen.id, 0, 0, null));
    assertDeepEqual(runs.map(r => r.get_name()), ['add-0', 'add-1', 'add-2']);

    // The thrown value itself reaches the caller.
    class Custom extends Error {}
    const broken = PrefectCtx.flow('broken', () => {
        throw new Custom('custom failure');
    }).withOptions({client});
    let caught = null;
    try {
        broken();
    } catch (e) {
        caught = e;
    }
    assert(caught instanceof Custom, `a Custom error, got ${caught}`);
});

test('a subflow from JS', () => {
    const client = PrefectCtx.LocalClient.new(':memory:');
    const seen = {};
    const child = PrefectCtx.flow('js-child', () => {
        seen.parent = PrefectCtx.runtime.flow_run.parent_flow_run_id;
        return 'child result';
    });
    const parent = PrefectCtx.flow('js-parent', (params, ctx) => {
        seen.id = ctx.get_flow_run().get_id();
        return child();
    }).withOptions({client});
    assertEqual(parent(), 'child result');
    assertEqual(seen.parent, seen.id);
});

test('run logs: PrefectCtx.run_log, and print() in a flow with log_prints', () => {
    // gjs's print() is g_print(): the library's print handler stores it.
    PrefectCtx.install_log_writer();
    const client = PrefectCtx.LocalClient.new(':memory:');
    const options = new PrefectCtx.RunOptions({client});
    const flow = new PrefectCtx.Flow({name: 'gjs-printer', log_prints: true});
    const quiet = new PrefectCtx.Flow({name: 'gjs-quiet'});
    let loudId = null, quietId = null;

    assertThrowsGError(() => PrefectCtx.run_log(20, 'nowhere'), PrefectCtx.error_quark(),
        PrefectCtx.Error.MISSING_CONTEXT, 'There is no active flow or task run context.');
    flow.run_sync(null, options, ctx => {
        loudId = ctx.get_flow_run().get_id();
        print('# printed by a gjs flow');
        PrefectCtx.run_log(30, 'warned from gjs');
        return null;
    });
    quiet.run_sync(null, options, ctx => {
        quietId = ctx.get_flow_run().get_id();
        print('# printed by a quiet gjs flow');
        return null;
    });

    const lines = id => items(client.read_logs(id, null, null, 0, 0, null))
        .map(e => [e.get_message(), e.get_name(), e.get_level()]);
    const loud = lines(loudId);
    assert(loud.some(l => l[0] === '# printed by a gjs flow' && l[1] === 'prefect.flow_runs' && l[2] === 20),
        'the print is stored');
    assert(loud.some(l => l[0] === 'warned from gjs' && l[2] === 30), 'run_log stores its line');
    assert(!lines(quietId).some(l => l[0].startsWith('# printed')), 'no print stored without log_prints');
});

done();
