# test_engine.py: the engine (layer 6) from Python: @PrefectCtx.flow and
# @PrefectCtx.task functions, the introspected API with raw callbacks,
# retries, submitted tasks on worker threads, subflows, parameters and
# results, the object registry, and what a file store keeps after a process
# exits or is killed.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import datetime
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time

import pytest

for _name in list(os.environ):
    if _name.startswith('PREFECT_') and _name != 'PREFECT_CTX_OVERRIDE_DIR':
        del os.environ[_name]
_TMP = tempfile.mkdtemp(prefix='test-engine-py-')
os.environ['PREFECT_HOME'] = os.path.join(_TMP, 'home')

import gi  # noqa: E402

gi.require_version('PrefectCtx', '1.0')
from gi.repository import Gio, GLib, PrefectCtx  # noqa: E402

DOMAIN = PrefectCtx.error_quark()


def teardown_module(module):
    shutil.rmtree(_TMP, ignore_errors=True)


@pytest.fixture
def client():
    return PrefectCtx.LocalClient.new(':memory:')


def states_of(client, task_run_id=None, flow_run_id=None):
    if task_run_id is not None:
        states = client.read_task_run_states(task_run_id, None)
    else:
        states = client.read_flow_run_states(flow_run_id, None)
    return ['%s:%s%s' % (PrefectCtx.state_type_to_string(s.get_state_type()), s.get_name(),
                         ':' + s.get_message() if s.get_message() is not None else '')
            for s in states]


def task_runs_of(client, flow_run_id):
    return list(client.read_task_runs(flow_run_id, 0, 0, None))


def log_messages(client, flow_run_id):
    return [(entry.get_message(), entry.get_task_run_id())
            for entry in client.read_logs(flow_run_id, None, None, 0, 0, None)]


# ---------------------------------------------------------------------------
# Decorators


@PrefectCtx.task
def add(x, y=1):
    ctx = PrefectCtx.get_run_context()
    assert isinstance(ctx, PrefectCtx.TaskRunContext)
    return x + y


def test_flow_with_sequential_tasks(client):
    seen = {}

    @PrefectCtx.flow(tags=['etl'])
    def adder_flow(start):
        ctx = PrefectCtx.get_run_context()
        assert isinstance(ctx, PrefectCtx.FlowRunContext)
        seen['id'] = ctx.get_flow_run().get_id()
        seen['name'] = PrefectCtx.runtime.flow_run.name
        total = start
        for i in range(3):
            total = add(total, y=i + 1)
        return total

    assert adder_flow.flow.get_name() == 'adder-flow'
    assert adder_flow.with_options(client=client)(10) == 16

    run = client.read_flow_run(seen['id'], None)
    assert run.get_name() == seen['name']
    assert run.get_state().get_state_type() == PrefectCtx.StateType.COMPLETED
    assert run.get_parameters().unpack() == {'start': 10}
    assert list(run.get_tags()) == ['etl']
    # Prefect's default flow version: the MD5 of the flow's source file
    with open(__file__, 'rb') as source:
        assert run.get_flow_version() == hashlib.md5(source.read()).hexdigest()
    assert states_of(client, flow_run_id=seen['id']) == [
        'PENDING:Pending', 'RUNNING:Running', 'COMPLETED:Completed']

    runs = task_runs_of(client, seen['id'])
    assert [r.get_name() for r in runs] == ['add-0', 'add-1', 'add-2']
    # Prefect's task key: the module and the qualified name
    assert [r.get_task_key() for r in runs] == ['test_engine.add'] * 3
    assert all(list(r.get_tags()) == ['etl'] for r in runs)
    logs = log_messages(client, seen['id'])
    for run_ in runs:
        assert states_of(client, task_run_id=run_.get_id()) == [
            'PENDING:Pending', 'RUNNING:Running', 'COMPLETED:Completed']
        assert ('Finished in state Completed()', run_.get_id()) in logs
    assert PrefectCtx.FlowRunContext.get_current() is None


def test_parameters_and_results_round_trip(client):
    @PrefectCtx.flow
    def echo(number, text, ratio, flag, items, mapping, nothing=None):
        return {'number': number, 'text': text, 'ratio': ratio, 'flag': flag,
                'items': items, 'mapping': mapping, 'nothing': nothing}

    result = echo.with_options(client=client)(3, 'x', 2.5, True, [1, 'two', 3.0],
                                             {'inner': {'deep': 1}})
    assert result == {'number': 3, 'text': 'x', 'ratio': 2.5, 'flag': True,
                      'items': [1, 'two', 3.0], 'mapping': {'inner': {'deep': 1}},
                      'nothing': None}

    @PrefectCtx.flow
    def returns_none():
        pass

    assert returns_none.with_options(client=client)() is None


def test_contexts_and_definitions_read_as_prefect_spells_them(client):
    seen = {}

    @PrefectCtx.task(name='adder')
    def add(x):
        ctx = PrefectCtx.TaskRunContext.get()
        seen['task'] = (ctx.task_run.name, ctx.task.name, ctx.parameters, PrefectCtx.get_run_context().task_run.id)
        return x + 1

    @PrefectCtx.flow
    def count_up(n):
        ctx = PrefectCtx.FlowRunContext.get()
        seen['flow'] = (ctx.flow_run.id, ctx.flow.name, ctx.parameters, ctx.client, ctx.start_time)
        seen['flow_run_name'] = ctx.flow_run.name
        return add(n)

    assert count_up.name == 'count-up' and add.name == 'adder'
    assert add.task_key.endswith('.add')
    assert count_up.with_options(client=client)(3) == 4
    flow_run_id, flow_name, parameters, ctx_client, start_time = seen['flow']
    assert flow_name == 'count-up' and parameters == {'n': 3} and ctx_client is client
    assert isinstance(start_time, datetime.datetime) and start_time.tzinfo is not None
    stored = client.read_flow_run(flow_run_id, None)
    assert stored.name == seen['flow_run_name']
    task_run_name, task_name, task_parameters, task_run_id = seen['task']
    assert (task_run_name, task_name, task_parameters) == ('adder-0', 'adder', {'x': 3})
    assert client.read_task_run(task_run_id, None).name == 'adder-0'
    assert PrefectCtx.FlowRunContext.get() is None


def test_with_options_and_run_name_templates(client):
    seen = []

    @PrefectCtx.task(task_run_name='load-{table}')
    def load(table, rows=0):
        seen.append(PrefectCtx.runtime.task_run.name)
        return rows

    @PrefectCtx.flow(flow_run_name='nightly-{day}')
    def etl(day):
        seen.append(PrefectCtx.runtime.flow_run.name)
        load('orders', rows=3)
        load.with_options(name='loader', task_run_name=lambda: 'by-callable')('users')
        load.submit('items').result()
        return day

    assert etl.with_options(client=client)('monday') == 'monday'
    assert seen == ['nightly-monday', 'load-orders', 'by-callable', 'load-items']

    # Flow options changed on a copy; the original is left as it is.
    quiet = etl.with_options(client=client, name='etl-again', retries=2, flow_run_name='again-{day}')
    assert (quiet.name, quiet.retries, etl.name, etl.retries) == ('etl-again', 2, 'etl', 0)
    seen.clear()
    assert quiet('tuesday') == 'tuesday'
    assert seen[0] == 'again-tuesday'
    # An explicit run name wins over the template.
    seen.clear()
    etl.with_options(client=client, run_name='fixed')('wed')
    assert seen[0] == 'fixed'
    with pytest.raises(TypeError, match='unexpected keyword arguments: colour'):
        etl.with_options(colour='red')

    @PrefectCtx.flow(flow_run_name='{missing}')
    def broken(x):
        return x

    with pytest.raises(ValueError, match="Could not fill in the run name template '{missing}'"):
        broken.with_options(client=client)(1)


def test_return_state(client):
    @PrefectCtx.task(retries=1)
    def flaky(box):
        box.append(1)
        if len(box) < 2:
            raise ValueError('first try')
        return ('ok', len(box))

    @PrefectCtx.task
    def broken():
        raise KeyError('gone')

    @PrefectCtx.flow
    def pipeline():
        ok = flaky([], return_state=True)
        assert ok.is_completed() and ok.result() == ('ok', 2)
        failed = broken(return_state=True)      # does not raise
        assert failed.is_failed()
        assert failed.message == "Task run encountered an exception KeyError: 'gone'"
        with pytest.raises(KeyError, match='gone'):
            failed.result()
        assert isinstance(failed.result(raise_on_failure=False), KeyError)
        return 'done'

    state = pipeline.with_options(client=client)(return_state=True)
    assert repr(state) == 'Completed()' and state.result() == 'done'
    # A state read from the store holds no result.
    stored = client.read_flow_run(client.read_flow_runs(PrefectCtx.CLIENT_ANY_STATE, 1, 0, None)[0].id, None).state
    with pytest.raises(PrefectCtx.MissingResult, match='holds no result'):
        stored.result()

    @PrefectCtx.flow
    def failing():
        raise RuntimeError('flow broke')

    failed_flow = failing.with_options(client=client)(return_state=True)
    assert failed_flow.is_failed()
    with pytest.raises(RuntimeError, match='flow broke'):
        failed_flow.result()


def test_task_arguments_are_the_objects_and_futures_resolve_in_the_run(client):
    release = threading.Event()
    seen = {}

    class Box:
        pass

    box = Box()

    @PrefectCtx.task
    def slow():
        release.wait(10)
        return 'up'

    @PrefectCtx.task
    def after(x, obj):
        seen['parameters'] = PrefectCtx.TaskRunContext.get().parameters
        return (x, obj)

    @PrefectCtx.flow
    def flow():
        up = slow.submit()
        start = time.monotonic()
        down = after.submit(up, box)          # does not wait for `up`...
        assert time.monotonic() - start < 5
        assert down.wait(0.05) is None        # ...the run does
        release.set()
        x, obj = down.result()
        assert x == 'up' and obj is box       # the objects themselves
        return up.task_run_id

    up_id = flow.with_options(client=client)()
    # The engine's record of the parameters: placeholders for what it cannot hold.
    assert seen['parameters'] == {'x': '<future of task run %s>' % up_id, 'obj': '<unpersisted Box>'}


def test_wait_for_and_allow_failure(client):
    order = []
    got = {}

    @PrefectCtx.task
    def boom():
        raise ValueError('upstream broke')

    @PrefectCtx.task
    def step(name):
        order.append(name)
        return name

    @PrefectCtx.task
    def takes(x):
        got['x'] = x
        return 'ran'

    @PrefectCtx.flow
    def flow():
        bad = boom.submit()
        first = step.submit('first')
        # wait_for: no data passes, the order does; recorded as task_inputs.
        second = step.submit('second', wait_for=[first])
        assert second.result() == 'second'
        # A failed upstream stops the downstream: Pending NotReady, never run.
        blocked = takes.submit(bad)
        with pytest.raises(PrefectCtx.UnfinishedRun) as raised:
            blocked.result(raise_on_failure=False)
        assert str(raised.value) == 'Run is in PENDING state, its result is not available.'
        assert isinstance(raised.value, RuntimeError)
        assert blocked.state.is_pending() and blocked.state.name == 'NotReady'
        with pytest.raises(PrefectCtx.UnfinishedRun):
            takes(x=1, wait_for=[bad])
        state = takes(bad, return_state=True)
        assert state.name == 'NotReady'
        with pytest.raises(PrefectCtx.UnfinishedRun):
            state.result()
        assert 'x' not in got
        # allow_failure: it runs, and gets the upstream's exception.
        assert takes(PrefectCtx.allow_failure(bad)) == 'ran'
        assert isinstance(got['x'], ValueError) and str(got['x']) == 'upstream broke'
        got.clear()
        assert takes.submit(1, wait_for=[PrefectCtx.allow_failure(bad)]).result() == 'ran'
        assert got['x'] == 1
        mapped = takes.map([1, 2], wait_for=[bad])
        assert [f.wait().name for f in mapped] == ['NotReady', 'NotReady']
        return bad.task_run_id, blocked.task_run_id

    bad_id, blocked_id = flow.with_options(client=client)()
    assert order == ['first', 'second']
    # (How task_inputs record wait_for is tested on the server's records,
    # in test_http_client.py: the local store does not keep them.)
    assert states_of(client, blocked_id) == [
        'PENDING:Pending', "PENDING:NotReady:Upstream task run '%s' did not reach a 'COMPLETED' state." % bad_id]


def test_map_with_unmapped(client):
    @PrefectCtx.task
    def scale(x, factor, offset=0):
        return x * factor + offset

    @PrefectCtx.flow
    def mapper():
        futures = scale.map([1, 2, 3], PrefectCtx.unmapped(10), offset=(0, 1, 2))
        return [f.result() for f in futures]

    assert mapper.with_options(client=client)() == [10, 21, 32]
    with pytest.raises(ValueError, match='one length'):
        scale.map([1, 2], [1])
    with pytest.raises(TypeError, match='needs iterables'):
        scale.map(5, 1)


def test_strings_with_nul_are_refused_not_cut(client):
    # GLib.Variant would cut 'a\0b' to 'a': the call is refused, no run made.
    @PrefectCtx.flow
    def echo(text):
        return text

    with pytest.raises(ValueError, match='NUL'):
        echo.with_options(client=client)('a\0b')
    with pytest.raises(ValueError, match='NUL'):
        echo.with_options(client=client)({'k\0': 1})

    # A result is handed back as the object itself: nothing is cut.
    @PrefectCtx.flow
    def returns_nul():
        return 'cut\0here'

    assert returns_nul.with_options(client=client)() == 'cut\0here'
    runs = client.read_flow_runs(PrefectCtx.CLIENT_ANY_STATE, 0, 0, None)
    assert [run.get_state().get_name() for run in runs] == ['Completed']


def test_results_are_the_objects_themselves(client):
    class Rows:
        pass

    rows = Rows()

    @PrefectCtx.task
    def make(kind):
        return {'instance': rows, 'tuple': (1, 2), 'bytes': b'\x00\x01', 'big': 2 ** 80}[kind]

    seen = {}

    @PrefectCtx.flow
    def pipeline():
        submitted = make.submit('tuple')
        raw = make.submit('bytes')
        raw.wait()
        # The engine's own result: a placeholder for what GLib.Variant
        # cannot hold, JSON-like values as they convert.
        seen['raw'] = (raw.get_result().unpack(), submitted.wait() and submitted.get_result().unpack())
        return [make('instance'), submitted.result(), make('bytes'), make('big')]

    instance, pair, data, big = pipeline.with_options(client=client)()
    assert instance is rows and pair == (1, 2) and isinstance(pair, tuple)
    assert data == b'\x00\x01' and big == 2 ** 80
    assert seen['raw'] == ('<unpersisted bytes>', [1, 2])


def test_failing_task_with_retries(client):
    attempts = []
    seen = {}

    @PrefectCtx.task(retries=2, retry_delay_seconds=0.01)
    def flaky(n):
        attempts.append(PrefectCtx.runtime.task_run.run_count)
        if len(attempts) < 3:
            raise ValueError('bad value %d' % len(attempts))
        return n * 2

    @PrefectCtx.task(retries=1)
    def doomed():
        raise KeyError('missing')

    @PrefectCtx.flow
    def retrying():
        seen['id'] = PrefectCtx.runtime.flow_run.id
        assert flaky(21) == 42
        with pytest.raises(KeyError):
            doomed()
        return 'done'

    assert retrying.with_options(client=client)() == 'done'
    assert attempts == [1, 2, 3]
    flaky_run, doomed_run = task_runs_of(client, seen['id'])
    assert flaky_run.get_run_count() == 3
    assert states_of(client, task_run_id=flaky_run.get_id()) == [
        'PENDING:Pending', 'RUNNING:Running',
        'SCHEDULED:AwaitingRetry:Task run encountered an exception ValueError: bad value 1', 'RUNNING:Retrying',
        'SCHEDULED:AwaitingRetry:Task run encountered an exception ValueError: bad value 2', 'RUNNING:Retrying',
        'COMPLETED:Completed']
    assert states_of(client, task_run_id=doomed_run.get_id()) == [
        'PENDING:Pending', 'RUNNING:Running',
        "SCHEDULED:AwaitingRetry:Task run encountered an exception KeyError: 'missing'", 'RUNNING:Retrying',
        "FAILED:Failed:Task run encountered an exception KeyError: 'missing'"]


def test_failing_flow_raises_the_original_exception(client):
    seen = {}

    class Custom(Exception):
        pass

    @PrefectCtx.flow(retries=1)
    def broken():
        seen['id'] = PrefectCtx.runtime.flow_run.id
        raise Custom('it broke')

    with pytest.raises(Custom, match='it broke'):
        broken.with_options(client=client)()
    run = client.read_flow_run(seen['id'], None)
    assert run.get_run_count() == 2
    assert run.get_state().get_state_type() == PrefectCtx.StateType.FAILED
    assert run.get_state().get_message() == 'Flow run encountered an exception. Custom: it broke'


def test_glib_error_keeps_domain_and_code(client):
    @PrefectCtx.flow
    def gerror_flow():
        raise GLib.Error('not there', GLib.quark_to_string(Gio.io_error_quark()),
                         int(2))  # G_IO_ERROR_NOT_FOUND

    with pytest.raises(GLib.Error) as info:
        gerror_flow.with_options(client=client)()
    assert info.value.message == 'not there'
    assert info.value.code == 2


def test_submitted_tasks_see_the_callers_contexts(client):
    main = threading.current_thread()
    seen = {}

    @PrefectCtx.task
    def work(i):
        ctx = PrefectCtx.get_run_context()
        assert isinstance(ctx, PrefectCtx.TaskRunContext)
        assert threading.current_thread() is not main
        assert PrefectCtx.FlowRunContext.get_current().get_flow_run().get_id() == seen['id']
        assert ctx.get_task_run().get_flow_run_id() == seen['id']
        tags = set(PrefectCtx.TagsContext.get_current().get_current_tags())
        return {'i': i, 'tags': sorted(tags), 'custom': PrefectCtx.get_custom_context()}

    @PrefectCtx.flow
    def fan_out():
        seen['id'] = PrefectCtx.runtime.flow_run.id
        with PrefectCtx.tags('inner'):
            with PrefectCtx.custom_context(scope='block'):
                futures = [work.submit(i) for i in range(6)]
        assert all(f.task_run_id for f in futures)
        return [f.result() for f in futures]

    with PrefectCtx.tags('outer'):
        results = fan_out.with_options(client=client, tags=['opt'], max_workers=2,
                                       custom_context={'team': 'ml'})()
    assert [r['i'] for r in results] == list(range(6))
    for r in results:
        assert r['tags'] == ['inner', 'opt', 'outer']
        assert r['custom'] == {'team': 'ml', 'scope': 'block'}
    runs = task_runs_of(client, seen['id'])
    assert sorted(r.get_name() for r in runs) == ['work-%d' % i for i in range(6)]
    assert all(r.get_state().get_state_type() == PrefectCtx.StateType.COMPLETED for r in runs)


def test_submitted_failure_reaches_the_future(client):
    @PrefectCtx.task
    def fails():
        raise RuntimeError('worker broke')

    @PrefectCtx.flow
    def submitter():
        future = fails.submit()
        future.wait()
        assert future.state.get_state_type() == PrefectCtx.StateType.FAILED
        assert future.state.get_message() == 'Task run encountered an exception RuntimeError: worker broke'
        with pytest.raises(RuntimeError, match='worker broke'):
            future.result()
        # raise_on_failure=False: the exception itself, returned.
        returned = future.result(raise_on_failure=False)
        assert isinstance(returned, RuntimeError) and str(returned) == 'worker broke'
        return 'ok'

    assert submitter.with_options(client=client)() == 'ok'


def test_future_wait_and_result_with_timeouts(client):
    release = threading.Event()

    @PrefectCtx.task
    def slow():
        release.wait(10)
        return 'late'

    @PrefectCtx.flow
    def waiter():
        future = slow.submit()
        assert future.wait(0.01) is None
        with pytest.raises(TimeoutError):
            future.result(timeout=0.01)
        release.set()
        state = future.wait(10)
        assert state.is_completed()
        return future.result(timeout=10)

    assert waiter.with_options(client=client)() == 'late'


def test_subflow(client):
    seen = {}

    @PrefectCtx.flow
    def child():
        seen['child'] = PrefectCtx.runtime.flow_run.id
        seen['parent_seen'] = PrefectCtx.runtime.flow_run.parent_flow_run_id
        seen['root_seen'] = PrefectCtx.runtime.flow_run.root_flow_run_id
        return 'from child'

    @PrefectCtx.flow
    def parent():
        seen['parent'] = PrefectCtx.runtime.flow_run.id
        return child()

    assert parent.with_options(client=client)() == 'from child'
    child_run = client.read_flow_run(seen['child'], None)
    parent_task = client.read_task_run(child_run.get_parent_task_run_id(), None)
    assert parent_task.get_flow_run_id() == seen['parent']
    assert re.fullmatch(r'[a-z]+-[a-z]+', parent_task.get_name())
    assert seen['parent_seen'] == seen['parent']
    assert seen['root_seen'] == seen['parent']


def test_task_outside_a_flow():
    assert add(2, 3) == 5
    assert PrefectCtx.TaskRunContext.get_current() is None


def test_get_run_logger(client):
    seen = {}

    @PrefectCtx.task
    def worker():
        logger = PrefectCtx.get_run_logger()
        assert logger.name == 'prefect.task_runs'
        logger.warning('task line %d', 7)
        seen['task_run_id'] = PrefectCtx.runtime.task_run.id

    @PrefectCtx.flow
    def logged():
        logger = PrefectCtx.get_run_logger()
        assert logger.name == 'prefect.flow_runs'
        logger.info('flow line')
        logger.debug('below the threshold')
        try:
            raise ValueError('boom')
        except ValueError:
            logger.exception('it failed')
        worker()
        seen['id'] = PrefectCtx.runtime.flow_run.id

    with pytest.raises(PrefectCtx.MissingContextError) as info:
        PrefectCtx.get_run_logger()
    assert info.value.matches(DOMAIN, PrefectCtx.Error.MISSING_CONTEXT)
    assert str(info.value) == 'There is no active flow or task run context.'
    assert info.value.message == 'There is no active flow or task run context.'

    logged.with_options(client=client)()
    entries = {entry.get_message().splitlines()[0]: entry
               for entry in client.read_logs(seen['id'], None, None, 0, 0, None)}
    assert 'below the threshold' not in entries
    flow_line = entries['flow line']
    assert (flow_line.get_name(), flow_line.get_level(), flow_line.get_task_run_id()) == \
        ('prefect.flow_runs', 20, None)
    failure = entries['it failed']
    assert failure.get_level() == 40
    assert 'ValueError: boom' in failure.get_message()  # the traceback is kept
    task_line = entries['task line 7']
    assert (task_line.get_name(), task_line.get_level(), task_line.get_task_run_id()) == \
        ('prefect.task_runs', 30, seen['task_run_id'])


def test_log_prints(client, capsys):
    seen = {}

    @PrefectCtx.task(log_prints=True)
    def loud():
        print('printed', 'by', 'the', 'task', sep='-')
        seen['task_run_id'] = PrefectCtx.runtime.task_run.id

    @PrefectCtx.task
    def quiet():
        print('printed by the quiet task')

    @PrefectCtx.flow
    def printer():
        print('printed by the flow')
        loud()
        quiet()
        with io.StringIO() as elsewhere:
            print('printed to a file', file=elsewhere)
        seen['id'] = PrefectCtx.runtime.flow_run.id

    @PrefectCtx.flow(log_prints=True)
    def loud_flow():
        print('printed by the loud flow', end='!\n\n')
        seen['loud_id'] = PrefectCtx.runtime.flow_run.id

    printer.with_options(client=client)()
    loud_flow.with_options(client=client)()
    print('printed outside any run')

    # Only the task with log_prints stores its print (the engine's own
    # lines aside); the print to a file is not stored.
    printed = [m for m in log_messages(client, seen['id']) if m[0].startswith('printed')]
    assert printed == [('printed-by-the-task', seen['task_run_id'])]
    assert ('printed by the loud flow!', None) in log_messages(client, seen['loud_id'])
    # Everything is still printed.
    out = capsys.readouterr().out
    for line in ['printed by the flow', 'printed-by-the-task', 'printed by the quiet task',
                 'printed by the loud flow!', 'printed outside any run']:
        assert line in out


def test_registry_blocks_flow_calls(client):
    calls = []

    @PrefectCtx.flow
    def discovered():
        calls.append(1)
        return 'ran'

    with PrefectCtx.ObjectRegistry(block_code_execution=True) as registry:
        defined = PrefectCtx.Flow(name='defined-here')
        assert discovered.with_options(client=client)() is None
    assert calls == []
    assert defined in list(registry.get_instances(PrefectCtx.Flow.__gtype__))
    assert list(client.read_flow_runs(-1, 0, 0, None)) == []


def test_raw_callbacks(client):
    """The introspected API: flow.run_sync and task.call with plain
    callbacks taking (context, parameters)."""
    task = PrefectCtx.Task(name='raw-task')
    flow = PrefectCtx.Flow(name='raw-flow')
    options = PrefectCtx.RunOptions(client=client)

    def task_body(context, parameters):
        assert isinstance(context, PrefectCtx.TaskRunContext)
        return GLib.Variant('x', parameters.unpack()['n'] + 1)

    def flow_body(context, parameters):
        assert isinstance(context, PrefectCtx.FlowRunContext)
        return task.call(GLib.Variant('a{sv}', {'n': GLib.Variant('x', 41)}), task_body)

    assert flow.run_sync(None, options, flow_body).unpack() == 42

    def failing_body(context, parameters):
        raise GLib.Error('raw failure', GLib.quark_to_string(DOMAIN), int(PrefectCtx.Error.FAILED))

    with pytest.raises(GLib.Error) as info:
        flow.run_sync(None, options, failing_body)
    assert info.value.matches(DOMAIN, PrefectCtx.Error.FAILED)
    assert info.value.message == 'raw failure'


# ---------------------------------------------------------------------------
# Other processes

CHILD = textwrap.dedent('''
    import os, signal, sys, time
    import gi
    gi.require_version('PrefectCtx', '1.0')
    from gi.repository import PrefectCtx

    db, n, kill_after = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

    @PrefectCtx.task
    def step(i):
        if i == kill_after:
            # Past the store's durability window (20 ms): what was recorded
            # before is committed.
            time.sleep(0.2)
            os.kill(os.getpid(), signal.SIGKILL)
        return i * i

    @PrefectCtx.flow
    def child_process_flow(n):
        return sum(step(i) for i in range(n))

    client = PrefectCtx.LocalClient.new(db)
    print('result', child_process_flow.with_options(client=client, run_name='py-child')(n))
''')


def run_child(db, n, kill_after):
    env = dict(os.environ)
    return subprocess.run([sys.executable, '-c', CHILD, db, str(n), str(kill_after)],
                          env=env, capture_output=True, text=True, timeout=120)


def find_run(client, name):
    for run in client.read_flow_runs(-1, 0, 0, None):
        if run.get_name() == name:
            return run
    return None


def test_store_readable_after_the_process_exits():
    db = os.path.join(_TMP, 'after-exit.db')
    done = run_child(db, 15, -1)
    assert done.returncode == 0, done.stderr
    assert 'result %d' % sum(i * i for i in range(15)) in done.stdout

    client = PrefectCtx.LocalClient.new(db)
    run = find_run(client, 'py-child')
    assert run.get_state().get_state_type() == PrefectCtx.StateType.COMPLETED
    assert run.get_parameters().unpack() == {'n': 15}
    runs = task_runs_of(client, run.get_id())
    assert [r.get_name() for r in runs] == ['step-%d' % i for i in range(15)]
    messages = [m for m, _ in log_messages(client, run.get_id())]
    assert messages.count('Finished in state Completed()') == 16


def test_store_readable_after_sigkill():
    db = os.path.join(_TMP, 'killed.db')
    done = run_child(db, 50, 20)
    assert done.returncode == -signal.SIGKILL

    client = PrefectCtx.LocalClient.new(db)
    run = find_run(client, 'py-child')
    # Its process is gone: the reader records the runs it left Running
    # Crashed.
    assert run.get_state().get_state_type() == PrefectCtx.StateType.CRASHED
    runs = task_runs_of(client, run.get_id())
    # 20 finished task runs, and the one that was running when it died.
    assert len(runs) == 21
    assert all(r.get_state().get_state_type() == PrefectCtx.StateType.COMPLETED for r in runs[:20])
    assert runs[20].get_state().get_state_type() == PrefectCtx.StateType.CRASHED


def test_runtime_reads_the_default_store_in_another_process():
    """With only PREFECT__FLOW_RUN_ID, prefect.runtime reads the flow run
    from the default store ($PREFECT_HOME/prefectctx.db)."""
    seen = {}

    @PrefectCtx.flow(tags=['stored'])
    def stored_flow(n):
        seen['id'] = PrefectCtx.runtime.flow_run.id
        return n

    assert stored_flow.with_options(run_name='stored-run')(5) == 5
    script = textwrap.dedent('''
        import gi
        gi.require_version('PrefectCtx', '1.0')
        from gi.repository import PrefectCtx
        flow_run = PrefectCtx.runtime.flow_run
        print(flow_run.name, flow_run.flow_name, flow_run.tags, flow_run.parameters, flow_run.run_count)
    ''')
    env = dict(os.environ, PREFECT__FLOW_RUN_ID=seen['id'])
    done = subprocess.run([sys.executable, '-c', script], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "stored-run stored-flow ['stored'] {'n': 5} 1"


_ENDING_SCRIPT = textwrap.dedent('''
    import os, signal, sys, time
    import gi
    gi.require_version('PrefectCtx', '1.0')
    from gi.repository import PrefectCtx

    how = sys.argv[2]
    if how == 'sigterm':
        PrefectCtx.install_signal_handlers()

    @PrefectCtx.task
    def leaves():
        if how == 'exit':
            sys.exit(3)
        if how == 'interrupt':
            raise KeyboardInterrupt
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(30)

    @PrefectCtx.flow
    def exits():
        leaves()

    exits.with_options(client=PrefectCtx.LocalClient.new(sys.argv[1]))()
''')


def _ended_runs(db, how):
    """Runs a flow whose task ends the process @how in another process;
    returns it, and the messages of the states of its flow and task runs."""
    done = subprocess.run([sys.executable, '-c', _ENDING_SCRIPT, db, how], capture_output=True,
                          text=True, timeout=60)
    client = PrefectCtx.LocalClient.new(db)
    runs = client.read_flow_runs(PrefectCtx.CLIENT_ANY_STATE, 0, 0, None)
    assert len(runs) == 1
    tasks = client.read_task_runs(runs[0].get_id(), 0, 0, None)
    return done, [(run.get_state().get_name(), run.get_state().get_message()) for run in [runs[0]] + list(tasks)]


def test_sys_exit_in_a_task_records_crashed(tmp_path):
    # sys.exit () inside a task: the task run and the flow run are Crashed
    # with Prefect's message, and the process exits with the status given.
    done, states = _ended_runs(str(tmp_path / 'exits.db'), 'exit')
    assert done.returncode == 3, done.stderr
    assert states == [('Crashed', 'Execution was aborted by Python system exit call.')] * 2


def test_keyboard_interrupt_in_a_task_records_crashed(tmp_path):
    # It was stored Completed, as if the task had returned None.
    done, states = _ended_runs(str(tmp_path / 'interrupt.db'), 'interrupt')
    # Python ends a process on an uncaught KeyboardInterrupt by SIGINT.
    assert done.returncode == -signal.SIGINT and 'KeyboardInterrupt' in done.stderr, done.stderr
    assert states == [('Crashed', 'Execution was aborted by an interrupt signal.')] * 2


def test_sigterm_with_signal_handlers_records_crashed(tmp_path):
    done, states = _ended_runs(str(tmp_path / 'sigterm.db'), 'sigterm')
    assert done.returncode == -signal.SIGTERM, done.stderr
    assert states == [('Crashed', 'Execution was aborted by a termination signal.')] * 2


def test_keyboard_interrupt_reaches_the_caller_as_itself():
    @PrefectCtx.task
    def interrupted():
        raise KeyboardInterrupt('stop')

    @PrefectCtx.flow
    def outer():
        interrupted()

    client = PrefectCtx.LocalClient.new(':memory:')
    with pytest.raises(KeyboardInterrupt, match='stop'):
        outer.with_options(client=client)()
    run, = client.read_flow_runs(PrefectCtx.CLIENT_ANY_STATE, 0, 0, None)
    assert run.get_state().get_state_type() == PrefectCtx.StateType.CRASHED


def test_timeout_seconds(client):
    """An attempt past timeout_seconds is interrupted and the run TimedOut;
    the caller gets TimeoutError."""
    kept = []

    @PrefectCtx.task(timeout_seconds=0.1)
    def sleeps():
        time.sleep(30)          # on the main thread: SIGALRM ends the sleep
        return 'never'

    @PrefectCtx.task(timeout_seconds=0.1)
    def spins():
        try:
            while True:         # on a worker thread: raised into the thread
                time.sleep(0.005)
        except Exception as exc:    # the deadline is not an Exception
            kept.append(exc)
            return 'kept'

    attempts = []

    @PrefectCtx.task(timeout_seconds=0.1, retries=1)
    def slow_once():
        attempts.append(1)
        if len(attempts) == 1:
            time.sleep(30)
        return 'second try'

    @PrefectCtx.task(timeout_seconds=0.1)
    async def waits():
        import asyncio
        await asyncio.sleep(30)

    @PrefectCtx.flow
    def flow():
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            sleeps()
        state = sleeps(return_state=True)
        assert state.is_failed() and state.name == 'TimedOut'
        assert state.message == 'Task run exceeded timeout of 0.1 seconds TimeoutError: '
        with pytest.raises(TimeoutError):
            state.result()
        future = spins.submit()
        with pytest.raises(TimeoutError):
            future.result()
        assert isinstance(future.result(raise_on_failure=False), TimeoutError)
        assert future.state.name == 'TimedOut'
        assert slow_once() == 'second try'
        with pytest.raises(TimeoutError):
            waits()
        # A program's own SIGALRM handler is left alone: the body is
        # interrupted as on a worker thread.
        alarms = []
        def handler(*_):
            alarms.append(1)
        previous = signal.signal(signal.SIGALRM, handler)
        try:
            assert spins.with_options(retries=0)(return_state=True).name == 'TimedOut'
            assert signal.getsignal(signal.SIGALRM) is handler and alarms == []
        finally:
            signal.signal(signal.SIGALRM, previous)
        # None of them waited long for its deadline.
        assert time.monotonic() - started < 10
        return future.task_run_id

    spun_id = flow.with_options(client=client)()
    assert kept == []
    assert len(attempts) == 2
    assert states_of(client, spun_id)[-1] == 'FAILED:TimedOut:Task run exceeded timeout of 0.1 seconds TimeoutError: '

    # with_options: set, and kept when given None; the flow's own timeout.
    assert sleeps.with_options(timeout_seconds=None).timeout_seconds == 0.1
    assert sleeps.with_options(timeout_seconds=2).timeout_seconds == 2

    @PrefectCtx.flow
    def slow_flow():
        time.sleep(30)

    assert slow_flow.timeout_seconds == 0
    timed = slow_flow.with_options(client=client, timeout_seconds=0.25)
    assert timed.timeout_seconds == 0.25
    state = timed(return_state=True)
    assert state.name == 'TimedOut'
    assert state.message == 'Flow run exceeded timeout of 0.25 seconds TimeoutError: '
    with pytest.raises(TimeoutError) as raised:
        timed()
    assert str(raised.value) == 'Flow run exceeded timeout of 0.25 seconds'
    # The main thread's SIGALRM is as it was.
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL


def test_bound_parameters_fast_path():
    """Plain signatures are bound without inspect.Signature.bind (): the
    same parameters dict, and the same TypeError for a call that does not
    fit."""
    import inspect
    override = sys.modules['gi.overrides.PrefectCtx']

    def plain(a, b=2, c=None):
        pass

    def reference(fn, args, kwargs):
        bound = inspect.signature(fn).bind(*args, **kwargs)
        bound.apply_defaults()
        return dict(bound.arguments)

    for args, kwargs in [((1,), {}), ((1, 5), {}), ((), {'a': 1, 'c': 3}), ((1,), {'c': 3, 'b': 4}),
                         ((1, 2, 3), {})]:
        params = override._bound_parameters(plain, args, kwargs)
        assert params == reference(plain, args, kwargs)
        assert list(params) == ['a', 'b', 'c']
    for args, kwargs in [((), {}), ((1, 2, 3, 4), {}), ((1,), {'a': 1}), ((1,), {'d': 1})]:
        with pytest.raises(TypeError):
            override._bound_parameters(plain, args, kwargs)
    assert override._call_args_from(plain, {'a': 1, 'b': 2, 'c': 3}) == ((), {'a': 1, 'b': 2, 'c': 3})
