# test_contexts.py: the contexts (layer 3) as Python users use them: flow and
# task run contexts built from the models, get_run_context, tags, custom
# context, the object registry, and all of it carried into threads.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import datetime
import json
import os
import threading

import pytest

import gi

gi.require_version('PrefectCtx', '1.0')
from gi.repository import GLib, GObject, PrefectCtx  # noqa: E402

SAMPLES = os.environ.get('PREFECT_CTX_SAMPLES_DIR',
                         os.path.join(os.path.dirname(__file__), '..', 'samples'))
MISSING_RUN_CONTEXT_MSG = 'No run context available. You are not in a flow or task run context.'
ALREADY_ENTERED_MSG = 'Context already entered. Context enter calls cannot be nested.'


def sample(name):
    with open(os.path.join(SAMPLES, name), encoding='utf-8') as f:
        return f.read()


def assert_error(excinfo, code, message=None):
    err = excinfo.value
    assert isinstance(err, GLib.Error)
    assert err.matches(PrefectCtx.error_quark(), code), (err.code, err.message)
    if message is not None:
        assert err.message == message


@pytest.fixture
def flow():
    return PrefectCtx.Flow.new_from_json(sample('flow_read.json'))


@pytest.fixture
def flow_run():
    return PrefectCtx.FlowRun.new_from_json(sample('flow_run_read.json'))


@pytest.fixture
def task_run():
    return PrefectCtx.TaskRun.new_from_json(sample('task_run_read.json'))


@pytest.fixture
def task():
    return PrefectCtx.Task.new('sample_task')


@pytest.fixture(autouse=True)
def clean_thread():
    """Every test starts and ends with no run, tags or custom context."""
    def check():
        assert PrefectCtx.FlowRunContext.get_current() is None
        assert PrefectCtx.TaskRunContext.get_current() is None
        assert list(PrefectCtx.TagsContext.get_current().get_current_tags()) == []
        assert PrefectCtx.get_custom_context() == {}
        assert PrefectCtx.ObjectRegistry.get_current() is None
    check()
    yield
    check()


# ---------------------------------------------------------------------------
# Flow and task run contexts


def test_flow_run_context(flow, flow_run):
    params = GLib.Variant('a{sv}', {'n': GLib.Variant('x', 3)})
    ctx = PrefectCtx.FlowRunContext.new(flow, flow_run, params)
    assert PrefectCtx.Context.kind_get_name(PrefectCtx.FlowRunContext.__gtype__) == 'flow_run'
    with ctx as entered:
        assert entered is ctx
        current = PrefectCtx.FlowRunContext.get_current()
        assert current is ctx
        assert PrefectCtx.FlowRunContext.current() is ctx
        assert current.get_flow().get_name() == 'c-client-sample-flow'
        assert current.get_flow_run().get_id() == '8259f515-0dbd-4c2b-a561-e1db55fe1449'
        assert current.get_parameters().unpack() == {'n': 3}
        assert current.props.parameters.unpack() == {'n': 3}
        assert current.get_log_prints() is False
        assert current.get_detached() is False
        start = current.get_start_time()
        assert start.get_utc_offset() == 0
    assert PrefectCtx.FlowRunContext.get_current() is None


def test_flow_run_context_from_keywords(flow, flow_run):
    when = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)
    ctx = PrefectCtx.FlowRunContext(flow=flow, flow_run=flow_run,
                                    parameters={'x': 1, 'name': 'n', 'nested': {'ok': True}},
                                    log_prints=True, start_time=when)
    assert ctx.get_parameters().unpack() == {'x': 1, 'name': 'n', 'nested': {'ok': True}}
    assert ctx.get_log_prints() is True
    assert ctx.get_start_time().format_iso8601() == '2024-05-06T07:08:09Z'
    # No parameters means an empty a{sv}.
    empty = PrefectCtx.FlowRunContext(flow=flow, flow_run=flow_run)
    assert empty.get_parameters().unpack() == {}


def test_flow_run_context_copy_with(flow, flow_run):
    ctx = PrefectCtx.FlowRunContext.new(flow, flow_run, None)
    with ctx:
        copy = ctx.copy_with(log_prints=True, parameters={'y': 2.5})
        assert isinstance(copy, PrefectCtx.FlowRunContext)
        assert not copy.is_entered()
        assert copy.get_log_prints() is True
        assert copy.get_parameters().unpack() == {'y': 2.5}
        assert copy.get_flow() is ctx.get_flow() and copy.get_flow_run() is ctx.get_flow_run()
        assert ctx.get_log_prints() is False
        with copy:
            assert PrefectCtx.get_run_context() is copy
        assert PrefectCtx.get_run_context() is ctx
        with pytest.raises(GLib.Error) as excinfo:
            ctx.copy_with(no_such_field=1)
        assert_error(excinfo, PrefectCtx.Error.INVALID_ARGUMENT)
        with pytest.raises(GLib.Error) as excinfo:
            ctx.copy_with(log_prints='yes please')
        assert_error(excinfo, PrefectCtx.Error.INVALID_ARGUMENT)


def test_flow_run_context_already_entered(flow, flow_run):
    ctx = PrefectCtx.FlowRunContext.new(flow, flow_run, None)
    with ctx:
        with pytest.raises(GLib.Error) as excinfo:
            with ctx:
                pass
        assert_error(excinfo, PrefectCtx.Error.ALREADY_ENTERED, ALREADY_ENTERED_MSG)
        assert PrefectCtx.FlowRunContext.get_current() is ctx


def test_dynamic_keys(flow, flow_run):
    ctx = PrefectCtx.FlowRunContext.new(flow, flow_run, None)
    assert [ctx.next_dynamic_key('a') for _ in range(3)] == ['0', '1', '2']
    assert ctx.next_dynamic_key('b') == '0'
    # Run-scoped: every context of the same flow run (a copy, a new one)
    # shares the counters and never hands out the same key twice.
    assert ctx.copy_with().next_dynamic_key('a') == '3'
    assert PrefectCtx.FlowRunContext.new(flow, flow_run, None).next_dynamic_key('a') == '4'


def test_dynamic_keys_from_threads(flow, flow_run):
    ctx = PrefectCtx.FlowRunContext.new(flow, flow_run, None)
    keys = []
    lock = threading.Lock()

    def worker():
        mine = [ctx.next_dynamic_key('t') for _ in range(250)]
        with lock:
            keys.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(int(k) for k in keys) == list(range(1000))


def test_get_run_context(flow, flow_run, task, task_run):
    # Prefect's MissingContextError, a RuntimeError; still the GLib.Error.
    with pytest.raises(PrefectCtx.MissingContextError) as excinfo:
        PrefectCtx.get_run_context()
    assert isinstance(excinfo.value, RuntimeError)
    assert str(excinfo.value) == MISSING_RUN_CONTEXT_MSG
    assert_error(excinfo, PrefectCtx.Error.MISSING_CONTEXT, MISSING_RUN_CONTEXT_MSG)

    flow_ctx = PrefectCtx.FlowRunContext.new(flow, flow_run, None)
    task_ctx = PrefectCtx.TaskRunContext(task=task, task_run=task_run, parameters={'i': 0})
    with flow_ctx:
        assert PrefectCtx.get_run_context() is flow_ctx
        with task_ctx:
            assert PrefectCtx.get_run_context() is task_ctx
            assert PrefectCtx.TaskRunContext.get_current() is task_ctx
            assert task_ctx.get_task().get_name() == 'sample_task'
            assert task_ctx.get_task_run().get_flow_run_id() == flow_run.get_id()
            assert task_ctx.get_parameters().unpack() == {'i': 0}
            assert isinstance(PrefectCtx.get_run_context(), PrefectCtx.RunContext)
        assert PrefectCtx.get_run_context() is flow_ctx
    # A task context alone is a run context too.
    with task_ctx:
        assert PrefectCtx.get_run_context() is task_ctx


def test_get_run_context_subflow_in_task(flow, flow_run, task, task_run):
    sub_run = PrefectCtx.FlowRun.new_from_json(json.dumps({
        'id': '00000000-0000-4000-8000-000000000001',
        'name': 'subflow-run',
        'flow_id': flow.get_id(),
        'parent_task_run_id': task_run.get_id(),
    }))
    with PrefectCtx.FlowRunContext.new(flow, flow_run, None):
        with PrefectCtx.TaskRunContext.new(task, task_run, None) as task_ctx:
            assert PrefectCtx.get_run_context() is task_ctx
            # A subflow running inside the task: its flow run differs from
            # the task run's, so the flow context wins.
            with PrefectCtx.FlowRunContext.new(flow, sub_run, None) as sub_ctx:
                assert PrefectCtx.get_run_context() is sub_ctx


# ---------------------------------------------------------------------------
# Tags


def test_tags_yields_set_and_accumulates():
    with PrefectCtx.tags('a', 'b') as outer:
        assert outer == {'a', 'b'}
        assert list(PrefectCtx.TagsContext.get_current().get_current_tags()) == ['a', 'b']
        with PrefectCtx.tags('c', 'd', 'a') as inner:
            assert inner == {'a', 'b', 'c', 'd'}
        assert set(PrefectCtx.TagsContext.get_current().get_current_tags()) == {'a', 'b'}
    assert list(PrefectCtx.TagsContext.get_current().get_current_tags()) == []


def test_tags_takes_lists_and_sets():
    with PrefectCtx.tags(['x', 'y'], 'z', {'w'}) as current:
        assert current == {'w', 'x', 'y', 'z'}
    with PrefectCtx.tags() as current:
        assert current == set()


def test_tags_scope_is_reusable_and_exposes_context():
    scope = PrefectCtx.tags('r')
    assert scope.context is None
    with scope as first:
        ctx = scope.context
        assert isinstance(ctx, PrefectCtx.TagsContext) and ctx.is_entered()
        assert PrefectCtx.TagsContext.get_current() is ctx
        with PrefectCtx.tags('s'):
            with scope as again:
                assert again == {'r', 's'}
        assert first == {'r'}
    assert scope.context is None
    assert not ctx.is_entered()


def test_tags_scope_shared_between_threads():
    scope = PrefectCtx.tags('shared')
    barrier = threading.Barrier(3)
    seen = {}

    def worker(n):
        with PrefectCtx.tags('t%d' % n):
            with scope as current:
                barrier.wait()
                seen[n] = (current, scope.context.is_entered())
                barrier.wait()
            seen[-n] = scope.context

    threads = [threading.Thread(target=worker, args=(n,)) for n in (1, 2, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for n in (1, 2, 3):
        assert seen[n] == ({'shared', 't%d' % n}, True)
        assert seen[-n] is None


def test_tags_exit_on_exception():
    with pytest.raises(RuntimeError):
        with PrefectCtx.tags('boom'):
            raise RuntimeError('inside')
    assert list(PrefectCtx.TagsContext.get_current().get_current_tags()) == []


def test_tags_context_directly():
    ctx = PrefectCtx.TagsContext.new(['b', 'a', 'b'])
    assert list(ctx.get_current_tags()) == ['a', 'b']
    assert ctx.has_tag('a') and not ctx.has_tag('c')
    with ctx:
        assert PrefectCtx.TagsContext.get_current() is ctx
        # The introspected C function is reachable through the class too.
        assert list(PrefectCtx.TagsContext.new(['q']).get_current_tags()) == ['q']


def test_tags_context_made_after_the_block_is_current_but_not_entered():
    # A `with tags` block makes its TagsContext only when something reads
    # it; a copy of its state read after the block ended (a task it
    # started) still sees the tags, and the context is not left entered.
    import contextvars
    with PrefectCtx.tags('late'):
        copied = contextvars.copy_context()
    ctx = copied.run(PrefectCtx.TagsContext.get_current)
    assert list(ctx.get_current_tags()) == ['late']
    assert not ctx.is_entered()
    assert list(PrefectCtx.TagsContext.get_current().get_current_tags()) == []


def test_tags_see_contexts_the_library_entered_on_the_thread():
    # Outside any Python-level state, the thread's own contexts are read
    # again whenever the library changed them.
    with PrefectCtx.tags('attached'):
        snap = PrefectCtx.Snapshot.capture()
    seen = []

    def worker():
        with PrefectCtx.tags('x') as current:
            seen.append(current)
        snap.attach()
        try:
            with PrefectCtx.tags('x') as current:
                seen.append(current)
        finally:
            snap.detach()
        with PrefectCtx.tags('x') as current:
            seen.append(current)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [{'x'}, {'attached', 'x'}, {'x'}]


def test_tags_out_of_order_exit():
    outer, inner = PrefectCtx.tags('o'), PrefectCtx.tags('i')
    outer.__enter__()
    inner.__enter__()
    with pytest.raises(GLib.Error) as excinfo:
        outer.__exit__(None, None, None)
    assert_error(excinfo, PrefectCtx.Error.OUT_OF_ORDER)
    inner.__exit__(None, None, None)
    outer.__exit__(None, None, None)
    assert list(PrefectCtx.TagsContext.get_current().get_current_tags()) == []


@pytest.mark.parametrize('bad, error', [(None, TypeError), ([1], TypeError),
                                        ('a\0b', ValueError), ('a\ud800b', ValueError)])
def test_tags_refuses_what_is_not_a_tag(bad, error):
    with pytest.raises(error):
        PrefectCtx.tags('ok', bad)


# ---------------------------------------------------------------------------
# Custom context


def test_custom_context_merges_and_restores():
    assert PrefectCtx.get_custom_context() == {}
    with PrefectCtx.custom_context(team='ml', stage='dev') as outer:
        assert isinstance(outer, PrefectCtx.CustomContext)
        assert PrefectCtx.get_custom_context() == {'team': 'ml', 'stage': 'dev'}
        with PrefectCtx.custom_context({'stage': 'prod', 'run-mode': 'test'}):
            assert PrefectCtx.get_custom_context() == {
                'team': 'ml', 'stage': 'prod', 'run-mode': 'test'}
            assert PrefectCtx.CustomContext.lookup('stage') == 'prod'
        assert PrefectCtx.get_custom_context() == {'team': 'ml', 'stage': 'dev'}
        assert PrefectCtx.CustomContext.lookup('run-mode') is None
    assert PrefectCtx.get_custom_context() == {}
    assert PrefectCtx.CustomContext.lookup('team') is None


def test_custom_context_leaves_no_memory_behind():
    # Handing PyGObject 3.42 a dict leaked about 144 bytes per call of two
    # entries: 560 bytes of RSS per round of the loop.
    import gc
    import tracemalloc

    def rounds(n):
        for _ in range(n):
            with PrefectCtx.custom_context({'team': 'data', 'run': 'nightly'}):
                pass

    rounds(200)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        rounds(2000)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # The leak was 144 B a call. What stays is not proportional: a few
    # dozen 57-byte wrappers whose free PyGObject defers (up to 10 B a
    # round under the ASan preload, about 0 without it).
    assert grown / 2000 < 40, grown


def test_custom_context_object():
    ctx = PrefectCtx.custom_context({'a': '1'}, b='2')
    assert not ctx.is_entered()
    assert ctx.get_size() == 2
    assert ctx.get_value('a') == '1' and ctx.get_value('zz') is None
    assert ctx.get_values().unpack() == {'a': '1', 'b': '2'}
    assert ctx.dup_table() == {'a': '1', 'b': '2'}
    # get_custom_context returns a copy: changing it changes nothing.
    with ctx:
        copy = PrefectCtx.get_custom_context()
        copy['a'] = 'changed'
        assert PrefectCtx.CustomContext.lookup('a') == '1'


def test_custom_context_invalid_key():
    for key in ('', 'a=b', 'tab\there'):
        with pytest.raises(GLib.Error) as excinfo:
            PrefectCtx.custom_context({key: 'v'})
        assert_error(excinfo, PrefectCtx.Error.INVALID_ARGUMENT)


def test_custom_context_values_are_strings():
    with pytest.raises(TypeError):
        PrefectCtx.custom_context(n=3)


@pytest.mark.parametrize('mapping, error', [({None: 'x'}, TypeError), ({1: 'x'}, TypeError),
                                            ({'k': None}, TypeError), ({'a\0b': 'v'}, ValueError),
                                            ({'k': 'v\0w'}, ValueError), ({'k': '\udcff'}, ValueError)])
def test_custom_context_refuses_what_the_library_cannot_hold(mapping, error):
    # Before: {None: 'x'} crashed in PyGObject, and a NUL cut the string.
    with pytest.raises(error):
        PrefectCtx.custom_context(mapping)
    assert PrefectCtx.get_custom_context() == {}


# ---------------------------------------------------------------------------
# Object registry


class Tracked(GObject.Object):
    """A class that opts in to registration, as Prefect's flows do."""

    def __init__(self, fail=False):
        super().__init__()
        if fail:
            err = GLib.Error.new_literal(PrefectCtx.error_quark(), 'bad tracked object',
                                         PrefectCtx.Error.INVALID_ARGUMENT)
            if not PrefectCtx.ObjectRegistry.track_failure(self, Tracked.__gtype__, err):
                raise err
            return
        PrefectCtx.ObjectRegistry.track(self)


class SubTracked(Tracked):
    pass


def test_object_registry():
    outside = Tracked()
    registry = PrefectCtx.ObjectRegistry.new(True, False)
    assert registry.get_block_code_execution() and not registry.get_capture_failures()
    assert registry.get_start_time() is not None
    with registry:
        assert PrefectCtx.ObjectRegistry.get_current() is registry
        a, b, c = Tracked(), SubTracked(), GObject.Object()
        assert PrefectCtx.ObjectRegistry.track(c)
    assert list(registry.get_instances(Tracked.__gtype__)) == [a, b]
    assert list(registry.get_instances(SubTracked.__gtype__)) == [b]
    assert list(registry.get_instances(GObject.Object.__gtype__)) == [a, b, c]
    assert outside not in list(registry.get_instances(Tracked.__gtype__))
    assert not PrefectCtx.ObjectRegistry.track(Tracked())


def test_object_registry_failures():
    capturing = PrefectCtx.ObjectRegistry.new(False, True)
    with capturing:
        Tracked(fail=True)    # captured and swallowed
    failures = list(capturing.get_instance_failures(Tracked.__gtype__))
    assert len(failures) == 1
    failure = failures[0]
    assert failure.get_object_type() == Tracked.__gtype__
    assert failure.get_error().message == 'bad tracked object'

    with PrefectCtx.ObjectRegistry.new(False, False):
        with pytest.raises(GLib.Error) as excinfo:
            Tracked(fail=True)
        assert_error(excinfo, PrefectCtx.Error.INVALID_ARGUMENT, 'bad tracked object')


# ---------------------------------------------------------------------------
# Threads


def test_new_threads_start_empty(flow, flow_run):
    seen = {}

    def worker():
        try:
            PrefectCtx.get_run_context()
        except GLib.Error as err:
            seen['error'] = err
        seen['tags'] = list(PrefectCtx.TagsContext.get_current().get_current_tags())
        seen['custom'] = PrefectCtx.get_custom_context()

    with PrefectCtx.FlowRunContext.new(flow, flow_run, None), \
            PrefectCtx.tags('t'), PrefectCtx.custom_context(k='v'):
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    assert seen['error'].matches(PrefectCtx.error_quark(), PrefectCtx.Error.MISSING_CONTEXT)
    assert seen['error'].message == MISSING_RUN_CONTEXT_MSG
    assert seen['tags'] == [] and seen['custom'] == {}


def test_snapshot_carries_everything(flow, flow_run, task, task_run):
    def task_body(i):
        ctx = PrefectCtx.get_run_context()
        with PrefectCtx.tags('task-%d' % i) as current_tags, \
                PrefectCtx.custom_context(item=str(i)):
            return (ctx.get_flow_run().get_name(), sorted(current_tags),
                    PrefectCtx.get_custom_context())

    flow_ctx = PrefectCtx.FlowRunContext.new(flow, flow_run, None)
    results = {}
    with flow_ctx, PrefectCtx.tags('flow'), PrefectCtx.custom_context(team='ml'):
        snap = PrefectCtx.Snapshot.capture()
        assert snap.get(PrefectCtx.FlowRunContext.__gtype__) is flow_ctx

        def worker(i):
            results[i] = snap.run(task_body, i)
            results[-i] = PrefectCtx.FlowRunContext.get_current()

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(1, 5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    for i in range(1, 5):
        assert results[i] == ('sample-flow-run', ['flow', 'task-%d' % i],
                              {'team': 'ml', 'item': str(i)})
        assert results[-i] is None
