// test-contexts.js: the contexts (layer 3) through gjs: flow and task run
// contexts with models, get_run_context, tags, custom context, copy_with,
// the object registry, snapshots. Run with `gjs -m`; prints TAP.
// No worker threads: gjs refuses callbacks from other threads.
//
// SPDX-License-Identifier: LGPL-2.1-or-later
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import PrefectCtx from 'gi://PrefectCtx?version=1.0';

import {test, done, assert, assertEqual, assertDeepEqual, assertThrowsGError} from './tap.js';

const MISSING_RUN_CONTEXT_MSG = 'No run context available. You are not in a flow or task run context.';
const ALREADY_ENTERED_MSG = 'Context already entered. Context enter calls cannot be nested.';

const samplesDir = GLib.getenv('PREFECT_CTX_SAMPLES_DIR') ??
    GLib.build_filenamev([GLib.path_get_dirname(new URL(import.meta.url).pathname), '..', 'samples']);

function sample(name) {
    const [, bytes] = GLib.file_get_contents(GLib.build_filenamev([samplesDir, name]));
    return new TextDecoder().decode(bytes);
}

const flow = PrefectCtx.Flow.new_from_json(sample('flow_read.json'));
const flowRun = PrefectCtx.FlowRun.new_from_json(sample('flow_run_read.json'));
const taskRun = PrefectCtx.TaskRun.new_from_json(sample('task_run_read.json'));
const task = PrefectCtx.Task.new('sample_task');

function currentTags() {
    return [...PrefectCtx.TagsContext.get_current().get_current_tags()];
}

function assertClean() {
    assertEqual(PrefectCtx.FlowRunContext.get_current(), null, 'flow run context');
    assertEqual(PrefectCtx.TaskRunContext.get_current(), null, 'task run context');
    assertDeepEqual(currentTags(), [], 'tags');
    assertDeepEqual(PrefectCtx.getCustomContext(), {}, 'custom context');
}

test('flow run context with models', () => {
    const params = new GLib.Variant('a{sv}', {n: new GLib.Variant('x', 3)});
    const ctx = PrefectCtx.FlowRunContext.new(flow, flowRun, params);
    assertEqual(PrefectCtx.Context.kind_get_name(PrefectCtx.FlowRunContext.$gtype), 'flow_run');
    ctx.enter();
    try {
        const current = PrefectCtx.FlowRunContext.get_current();
        assertEqual(current, ctx);
        assertEqual(current.get_flow().get_name(), 'c-client-sample-flow');
        assertEqual(current.flow.name, 'c-client-sample-flow');
        assertEqual(current.get_flow_run().get_id(), '8259f515-0dbd-4c2b-a561-e1db55fe1449');
        assertDeepEqual(current.get_parameters().recursiveUnpack(), {n: 3});
        assertEqual(current.get_log_prints(), false);
        assertEqual(current.get_detached(), false);
        assertEqual(current.get_start_time().get_utc_offset(), 0);
    } finally {
        ctx.exit();
    }
    assertClean();
});

test('flow run context from properties (plain object parameters)', () => {
    const ctx = new PrefectCtx.FlowRunContext({
        flow, flow_run: flowRun, parameters: {x: 1, name: 'n', nested: {ok: true}}, log_prints: true,
    });
    assertDeepEqual(ctx.parameters.recursiveUnpack(), {x: 1, name: 'n', nested: {ok: true}});
    assertEqual(ctx.log_prints, true);
    const empty = new PrefectCtx.FlowRunContext({flow, flow_run: flowRun});
    assertDeepEqual(empty.get_parameters().recursiveUnpack(), {});
});

test('ALREADY_ENTERED on a flow run context', () => {
    const ctx = PrefectCtx.FlowRunContext.new(flow, flowRun, null);
    ctx.run(() => {
        const e = assertThrowsGError(() => ctx.enter(), PrefectCtx.Error,
            PrefectCtx.Error.ALREADY_ENTERED, ALREADY_ENTERED_MSG);
        assert(e.matches(PrefectCtx.Error, PrefectCtx.Error.ALREADY_ENTERED));
    });
    assertClean();
});

test('copy_with on a flow run context', () => {
    const ctx = PrefectCtx.FlowRunContext.new(flow, flowRun, null);
    ctx.run(() => {
        const copy = ctx.copy_with({log_prints: true, parameters: {y: 2.5}});
        assert(copy instanceof PrefectCtx.FlowRunContext);
        assert(!copy.is_entered());
        assertEqual(copy.log_prints, true);
        assertDeepEqual(copy.parameters.recursiveUnpack(), {y: 2.5});
        assertEqual(copy.flow, ctx.flow);
        assertEqual(ctx.log_prints, false);
        copy.run(() => assertEqual(PrefectCtx.get_run_context(), copy));
        assertEqual(PrefectCtx.get_run_context(), ctx);
        const introspected = ctx.copy_with(['log-prints'], [true]);
        assertEqual(introspected.log_prints, true);
        assertThrowsGError(() => ctx.copy_with({no_such_field: 1}), PrefectCtx.Error,
            PrefectCtx.Error.INVALID_ARGUMENT, /no property 'no-such-field'/);
    });
});

test('null parameters mean none, in copy_with as in the constructor', () => {
    const ctx = new PrefectCtx.FlowRunContext({flow, parameters: {x: 1}});
    assertDeepEqual(ctx.parameters.recursiveUnpack(), {x: 1});
    const copy = ctx.copy_with({parameters: null});
    assertDeepEqual(copy.parameters.recursiveUnpack(), {});
    assertEqual(copy.flow, flow);
    assertEqual(ctx.copy_with({flow: null}).flow, null);
    assertThrowsGError(() => ctx.copy_with({log_prints: null}), PrefectCtx.Error,
        PrefectCtx.Error.INVALID_ARGUMENT, /log-prints/);
    const made = new PrefectCtx.TaskRunContext({parameters: null});
    assertDeepEqual(made.parameters.recursiveUnpack(), {});
});

test('dynamic keys are run-scoped', () => {
    const run = PrefectCtx.FlowRun.new_from_json('{"id": "dyn-keys-run", "name": "dyn"}');
    const ctx = PrefectCtx.FlowRunContext.new(flow, run, null);
    assertDeepEqual([0, 1, 2].map(() => ctx.next_dynamic_key('a')), ['0', '1', '2']);
    assertEqual(ctx.next_dynamic_key('b'), '0');
    assertEqual(ctx.copy_with().next_dynamic_key('a'), '3');
});

test('get_run_context and MISSING_CONTEXT', () => {
    assertThrowsGError(() => PrefectCtx.get_run_context(), PrefectCtx.Error,
        PrefectCtx.Error.MISSING_CONTEXT, MISSING_RUN_CONTEXT_MSG);
    const flowCtx = PrefectCtx.FlowRunContext.new(flow, flowRun, null);
    const taskCtx = new PrefectCtx.TaskRunContext({task, task_run: taskRun, parameters: {i: 0}});
    flowCtx.run(() => {
        assertEqual(PrefectCtx.get_run_context(), flowCtx);
        taskCtx.run(() => {
            assertEqual(PrefectCtx.get_run_context(), taskCtx);
            assertEqual(PrefectCtx.TaskRunContext.get_current(), taskCtx);
            assertEqual(taskCtx.get_task().get_name(), 'sample_task');
            assertEqual(taskCtx.get_task_run().get_flow_run_id(), flowRun.get_id());
            assertDeepEqual(taskCtx.get_parameters().recursiveUnpack(), {i: 0});
        });
        assertEqual(PrefectCtx.get_run_context(), flowCtx);
    });
    assertThrowsGError(() => PrefectCtx.get_run_context(), PrefectCtx.Error,
        PrefectCtx.Error.MISSING_CONTEXT, MISSING_RUN_CONTEXT_MSG);
});

test('subflow inside a task: the flow context wins', () => {
    const subRun = PrefectCtx.FlowRun.new_from_json(JSON.stringify({
        id: '00000000-0000-4000-8000-000000000002', name: 'sub', parent_task_run_id: taskRun.get_id(),
    }));
    PrefectCtx.FlowRunContext.new(flow, flowRun, null).run(() => {
        PrefectCtx.TaskRunContext.new(task, taskRun, null).run(taskCtx => {
            assertEqual(PrefectCtx.get_run_context(), taskCtx);
            PrefectCtx.FlowRunContext.new(flow, subRun, null).run(subCtx => {
                assertEqual(PrefectCtx.get_run_context(), subCtx);
            });
        });
    });
});

test('tags accumulate through nesting', () => {
    assertDeepEqual(currentTags(), []);
    PrefectCtx.tags('b', 'a').run(outer => {
        assertDeepEqual([...outer.get_current_tags()], ['a', 'b']);
        assertEqual(PrefectCtx.TagsContext.get_current(), outer);
        PrefectCtx.tags(['c', 'd', 'a']).run(() => {
            assertDeepEqual(currentTags(), ['a', 'b', 'c', 'd']);
            assert(PrefectCtx.TagsContext.get_current().has_tag('c'));
        });
        assertDeepEqual(currentTags(), ['a', 'b']);
    });
    assertDeepEqual(currentTags(), []);
    assert(PrefectCtx.TagsContext.get_current() !== null);
});

test('tags context directly', () => {
    const ctx = PrefectCtx.TagsContext.new(['y', 'x', 'y']);
    assertDeepEqual([...ctx.get_current_tags()], ['x', 'y']);
    assertDeepEqual([...ctx.current_tags], ['x', 'y']);
    assert(!ctx.has_tag('z'));
});

test('custom context merges, overrides and restores', () => {
    assertDeepEqual(PrefectCtx.getCustomContext(), {});
    PrefectCtx.customContext({team: 'ml', stage: 'dev'}).run(outer => {
        assert(outer instanceof PrefectCtx.CustomContext);
        assertDeepEqual(sorted(PrefectCtx.getCustomContext()), {stage: 'dev', team: 'ml'});
        PrefectCtx.customContext({stage: 'prod', 'run-mode': 'test'}).run(inner => {
            assertDeepEqual(sorted(PrefectCtx.getCustomContext()),
                {'run-mode': 'test', stage: 'prod', team: 'ml'});
            assertEqual(PrefectCtx.CustomContext.lookup('stage'), 'prod');
            assertEqual(inner.get_size(), 3);
            assertDeepEqual(sorted(inner.get_values().recursiveUnpack()),
                {'run-mode': 'test', stage: 'prod', team: 'ml'});
        });
        assertEqual(PrefectCtx.CustomContext.lookup('run-mode'), null);
        assertEqual(outer.get_value('stage'), 'dev');
    });
    assertDeepEqual(PrefectCtx.getCustomContext(), {});
    assertEqual(PrefectCtx.CustomContext.lookup('team'), null);
});

test('custom context refuses invalid keys', () => {
    for (const key of ['', 'a=b', 'tab\there']) {
        assertThrowsGError(() => PrefectCtx.customContext({[key]: 'v'}), PrefectCtx.Error,
            PrefectCtx.Error.INVALID_ARGUMENT);
    }
});

test('object registry', () => {
    const Tracked = GObject.registerClass({
        GTypeName: 'GjsTestTracked',
    }, class Tracked extends GObject.Object {
        _init(params) {
            super._init(params);
            PrefectCtx.ObjectRegistry.track(this);
        }
    });
    const registry = PrefectCtx.ObjectRegistry.new(true, false);
    assert(registry.get_block_code_execution());
    assert(!registry.get_capture_failures());
    const made = registry.run(() => {
        assertEqual(PrefectCtx.ObjectRegistry.get_current(), registry);
        return [new Tracked(), new Tracked()];
    });
    assertEqual(PrefectCtx.ObjectRegistry.get_current(), null);
    const found = registry.get_instances(Tracked.$gtype);
    assertEqual(found.length, 2);
    assertEqual(found[0], made[0]);
    assertEqual(found[1], made[1]);
    assertEqual(PrefectCtx.ObjectRegistry.track(new GObject.Object()), false);
});

test('snapshots carry run, tags and custom context', () => {
    const flowCtx = PrefectCtx.FlowRunContext.new(flow, flowRun, null);
    const snap = flowCtx.run(() => PrefectCtx.tags('flow').run(() =>
        PrefectCtx.customContext({team: 'ml'}).run(() => PrefectCtx.Snapshot.capture())));
    assertClean();
    assertEqual(snap.get(PrefectCtx.FlowRunContext.$gtype), flowCtx);
    const seen = snap.run(() => [
        PrefectCtx.get_run_context().get_flow_run().get_name(),
        currentTags(),
        PrefectCtx.getCustomContext(),
    ]);
    assertDeepEqual(seen, ['sample-flow-run', ['flow'], {team: 'ml'}]);
    assertClean();
});

function sorted(object) {
    return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}

test('serialize_context and hydrate_contexts carry contexts to another process', () => {
    const flowCtx = PrefectCtx.FlowRunContext.new(flow, flowRun, null);
    const tagsCtx = PrefectCtx.tags(['js', 'carried']);
    flowCtx.enter();
    tagsCtx.enter();
    const json = PrefectCtx.serialize_context(false);
    tagsCtx.exit();
    flowCtx.exit();

    const data = JSON.parse(json);
    assertEqual(data.flow_run_context.flow_run.id, flowRun.get_id());
    assertDeepEqual(data.tags_context.current_tags, ['carried', 'js']);
    assertDeepEqual(data.task_run_context, {});

    const model = PrefectCtx.hydrate_contexts(json, null);
    assertEqual(model.get_n_items(), 2);
    const contexts = [model.get_item(0), model.get_item(1)];
    assert(contexts[0] instanceof PrefectCtx.FlowRunContext, 'the flow run context first');
    assert(contexts[0].detached, 'the hydrated flow run context is detached');
    for (const ctx of contexts)
        ctx.enter();
    assertEqual(PrefectCtx.FlowRunContext.get_current().get_flow_run().get_id(), flowRun.get_id());
    assertDeepEqual(currentTags(), ['carried', 'js']);
    for (const ctx of contexts.reverse())
        ctx.exit();
    assertEqual(PrefectCtx.FlowRunContext.get_current(), null);

    assertThrowsGError(() => PrefectCtx.hydrate_contexts('[]', null), PrefectCtx.error_quark(),
        PrefectCtx.Error.INVALID_ARGUMENT, 'Serialized context: not a JSON object');
});

done();
