// test-async.js: async bodies in gjs: flows and tasks from async functions
// return Promises and interleave on the main loop; a rejection fails the
// run; what a body sees after an await, and PrefectCtx.withContext; the
// Promise forms of the _async/_finish pairs. Run with `gjs -m`; prints TAP.
//
// SPDX-License-Identifier: LGPL-2.1-or-later
import GLib from 'gi://GLib';
import PrefectCtx from 'gi://PrefectCtx?version=1.0';
import System from 'system';

const tests = [];
function test(name, fn) {
    tests.push([name, fn]);
}

function assert(condition, what = 'assertion failed') {
    if (!condition)
        throw new Error(what);
}

function assertEqual(actual, expected, what = '') {
    if (actual !== expected)
        throw new Error(`${what} expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function sleep(ms) {
    return new Promise(resolve => GLib.timeout_add(GLib.PRIORITY_DEFAULT, ms, () => {
        resolve();
        return GLib.SOURCE_REMOVE;
    }));
}

function states(client, id) {
    const model = client.read_flow_run_states(id, null);
    const names = [];
    for (let i = 0; i < model.get_n_items(); i++)
        names.push(model.get_item(i).get_name());
    return names;
}

test('two async flows interleave, each with its own contexts', async () => {
    const client = PrefectCtx.LocalClient.new(':memory:');
    const events = [];
    const make = name => PrefectCtx.flow(name, async (params, ctx) => {
        const id = ctx.get_flow_run().get_id();
        // Before the first await, the run's contexts are current.
        assertEqual(PrefectCtx.runtime.flow_run.id, id, 'before await');
        const bound = PrefectCtx.withContext(() => PrefectCtx.runtime.flow_run.id);
        events.push(`${name} start`);
        await sleep(params.ms);
        // After it, the continuation runs from the main loop: the run is
        // reached through ctx, or through a function bound to it.
        assertEqual(bound(), id, 'bound after await');
        events.push(`${name} end`);
        return id;
    }).withOptions({client});
    const slow = make('slow');
    const quick = make('quick');

    const [a, b] = await Promise.all([slow({ms: 60}), quick({ms: 10})]);
    assertEqual(events.join(','), 'slow start,quick start,quick end,slow end');
    assert(a !== b, 'two runs');
    assertEqual(states(client, a).join(','), 'Pending,Running,Completed');
    assertEqual(client.read_flow_run(b, null).get_state().get_name(), 'Completed');
});

test('after an await without binding, no run is current', async () => {
    const client = PrefectCtx.LocalClient.new(':memory:');
    let after = 'unset';
    await PrefectCtx.flow('unbound', async () => {
        await sleep(1);
        after = PrefectCtx.FlowRunContext.get_current();
    }).withOptions({client})();
    assertEqual(after, null);
});

test('a rejection fails the run and reaches the caller as itself', async () => {
    const client = PrefectCtx.LocalClient.new(':memory:');
    class Custom extends Error {}
    let id = null;
    const failing = PrefectCtx.flow({name: 'rejects', retries: 1}, async (params, ctx) => {
        id = ctx.get_flow_run().get_id();
        await sleep(1);
        throw new Custom('async failure');
    }).withOptions({client});
    let caught = null;
    try {
        await failing();
    } catch (e) {
        caught = e;
    }
    assert(caught instanceof Custom, 'the thrown value itself');
    const run = client.read_flow_run(id, null);
    assertEqual(run.get_state().get_name(), 'Failed');
    assertEqual(run.get_state().get_message(), 'Flow run encountered an exception. async failure');
    assertEqual(run.get_run_count(), 2);
    assertEqual(states(client, id).join(','), 'Pending,Running,AwaitingRetry,Retrying,Failed');
});

test('an async task awaited in an async flow belongs to the flow run', async () => {
    const client = PrefectCtx.LocalClient.new(':memory:');
    const double = PrefectCtx.task('double', async ({n}) => {
        await sleep(1);
        return n * 2;
    });
    let id = null;
    const total = await PrefectCtx.flow('sums', async (params, ctx) => {
        id = ctx.get_flow_run().get_id();
        const values = await Promise.all([double({n: 1}), double({n: 2}), double({n: 3})]);
        return values.reduce((x, y) => x + y, 0);
    }).withOptions({client})();
    assertEqual(total, 12);
    const runs = client.read_task_runs(id, 0, 0, null);
    assertEqual(runs.get_n_items(), 3);
    const names = [];
    for (let i = 0; i < 3; i++)
        names.push(runs.get_item(i).get_name());
    assertEqual(names.sort().join(','), 'double-0,double-1,double-2');
});

test('_async methods without a callback return Promises', async () => {
    const client = PrefectCtx.LocalClient.new(':memory:');
    const flow = new PrefectCtx.Flow({name: 'promised'});
    const options = new PrefectCtx.RunOptions({client});
    const promise = flow.run_async(null, options, (ctx, params, cancellable, task) => {
        PrefectCtx.run_return(task, new GLib.Variant('s', 'done'));
    }, null);
    assert(promise instanceof Promise, 'a Promise');
    const result = await promise;
    assertEqual(result.unpack(), 'done');
    const run = await client.read_flow_run_async(flow.get_id() ?? '', null).catch(e => e);
    assert(run instanceof GLib.Error, 'not found is a rejection');
});

const loop = new GLib.MainLoop(null, false);
let failures = 0;
(async () => {
    let n = 0;
    for (const [name, fn] of tests) {
        n++;
        try {
            await fn();
            print(`ok ${n} - ${name}`);
        } catch (e) {
            failures++;
            print(`not ok ${n} - ${name}`);
            for (const line of `${e}\n${e.stack ?? ''}`.trimEnd().split('\n'))
                print(`# ${line}`);
        }
    }
    print(`1..${n}`);
    loop.quit();
})();
loop.run();
System.exit(failures > 0 ? 1 : 0);
