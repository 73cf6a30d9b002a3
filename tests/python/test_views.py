# test_views.py: the views (layer 7) from Python: FlowRunView, TaskRunView,
# FlowView and the flow run watcher on a GLib main loop.
#
# Fixtures are written straight into an in-memory local store through the
# client API.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import shutil
import tempfile
import threading
import time

import pytest

for _name in list(os.environ):
    if _name.startswith('PREFECT_') and _name != 'PREFECT_CTX_OVERRIDE_DIR':
        del os.environ[_name]
_TMP = tempfile.mkdtemp(prefix='test-views-py-')
os.environ['PREFECT_HOME'] = os.path.join(_TMP, 'home')

import gi  # noqa: E402

gi.require_version('PrefectCtx', '1.0')
from gi.repository import Gio, GLib, PrefectCtx  # noqa: E402

DOMAIN = PrefectCtx.error_quark()
ST = PrefectCtx.StateType
UNSET = PrefectCtx.FLOW_RUN_VIEW_MAP_INDEX_UNSET
NO_SUCH_ID = '00000000-0000-0000-0000-000000000000'


def teardown_module(module):
    shutil.rmtree(_TMP, ignore_errors=True)


@pytest.fixture
def client():
    return PrefectCtx.LocalClient.new(':memory:')


def make_flow(client, name='views'):
    flow = PrefectCtx.Flow(name=name, version='2.0', tags=['etl'])
    return client.create_flow(flow, None).get_id()


def make_flow_run(client, state_type=ST.RUNNING, name='run', flow_id=None):
    if flow_id is None:
        flow_id = make_flow(client)
    props = dict(flow_id=flow_id, name=name, tags=['b', 'a'],
                 parameters=GLib.Variant('a{sv}', {'x': GLib.Variant('x', 3)}))
    if state_type is not None:
        props['state'] = PrefectCtx.State.new(state_type, None, None)
    return client.create_flow_run(PrefectCtx.FlowRun(**props), None).get_id()


def set_flow_state(client, run_id, state_type, message=None):
    client.set_flow_run_state(run_id, PrefectCtx.State.new(state_type, None, message), True, None)


def make_task_run(client, run_id, key, dynamic_key='0', map_index=-1, state_type=None):
    props = dict(flow_run_id=run_id, task_key=key, dynamic_key=dynamic_key,
                 name='%s-%s' % (key, dynamic_key), map_index=map_index)
    if state_type is not None:
        props['state'] = PrefectCtx.State.new(state_type, None, None)
    return client.create_task_run(PrefectCtx.TaskRun(**props), None).get_id()


def set_task_state(client, task_run_id, state_type):
    client.set_task_run_state(task_run_id, PrefectCtx.State.new(state_type, None, None), True, None)


def add_log(client, run_id, message, timestamp=None):
    if timestamp is None:
        timestamp = GLib.DateTime.new_now_utc()
    entry = PrefectCtx.LogEntry(name='test', level=20, message=message, timestamp=timestamp,
                                flow_run_id=run_id)
    client.create_logs([entry], None)


def view_of(client, run_id, load_static_tasks=False):
    return PrefectCtx.FlowRunView.new_from_id(client, run_id, load_static_tasks, None)


def cached_ids(view):
    return sorted(t.get_task_run_id() for t in view.get_cached_task_runs())


def state_type(task_run):
    return task_run.get_state().get_state_type()


# --- the views ------------------------------------------------------------

def test_flow_run_view_properties(client):
    run_id = make_flow_run(client, ST.PENDING, name='brave-otter')
    set_flow_state(client, run_id, ST.RUNNING)
    set_flow_state(client, run_id, ST.COMPLETED, 'All done')
    view = view_of(client, run_id)

    assert view.props.flow_run_id == run_id
    assert view.props.name == 'brave-otter'
    assert view.props.tags == ['a', 'b']
    assert view.props.parameters.unpack() == {'x': 3}
    assert view.props.state.get_state_type() == ST.COMPLETED
    assert view.props.state.get_message() == 'All done'
    assert view.is_finished()
    assert [s.get_state_type() for s in view.get_states()] == [ST.PENDING, ST.RUNNING, ST.COMPLETED]
    stored = client.read_flow_run(run_id, None)
    assert view.props.updated_at.equal(stored.get_updated())
    assert view.get_flow_id() == stored.get_flow_id()

    # Prefect 1's attributes, labels for the tags, Python values.
    assert (view.flow_run_id, view.name, view.labels, view.parameters) == (run_id, 'brave-otter', ['a', 'b'], {'x': 3})
    assert view.state.is_completed() and [s.type for s in view.states] == [ST.PENDING, ST.RUNNING, ST.COMPLETED]
    assert view.updated_at == stored.updated


def test_flow_run_view_without_state(client):
    view = view_of(client, make_flow_run(client, None))
    assert view.props.state.get_state_type() == ST.PENDING
    assert view.props.state.get_message() == 'A state for this flow run is not yet available.'
    assert len(view.get_states()) == 0


def test_flow_run_view_not_found(client):
    with pytest.raises(GLib.Error) as info:
        view_of(client, NO_SUCH_ID)
    assert info.value.matches(DOMAIN, PrefectCtx.Error.NOT_FOUND)
    assert info.value.message == 'Flow run not found'


def test_task_run_view():
    run = PrefectCtx.TaskRun(id='t1', flow_run_id='f1', task_key='add', dynamic_key='2', name='add-2')
    view = PrefectCtx.TaskRunView.new_from_task_run(run)
    assert view.props.task_run_id == 't1'
    assert view.props.task_id == 'add'
    assert view.props.task_slug == 'add-2'
    assert view.props.name == 'add-2'
    assert view.props.map_index == -1
    assert view.props.flow_run_id == 'f1'
    assert (view.task_run_id, view.task_id, view.task_slug, view.name, view.map_index, view.flow_run_id) == \
        ('t1', 'add', 'add-2', 'add-2', -1, 'f1')
    # No state: Scheduled.
    assert view.props.state.get_state_type() == ST.SCHEDULED
    assert not view.is_finished()


def test_flow_view(client):
    run_id = make_flow_run(client, flow_id=make_flow(client, 'meta'))
    view = view_of(client, run_id)
    flow = view.get_flow_metadata(False, None)
    assert flow.props.name == 'meta'
    assert flow.props.version == '2.0'
    assert flow.props.tags == ['etl']
    assert view.get_flow_metadata(False, None) is flow
    fresh = view.get_flow_metadata(True, None)
    assert fresh is not flow and fresh.props.flow_id == flow.props.flow_id


def test_only_finished_task_runs_are_cached(client):
    run_id = make_flow_run(client)
    done = make_task_run(client, run_id, 'extract', state_type=ST.COMPLETED)
    busy = make_task_run(client, run_id, 'load', state_type=ST.RUNNING)
    view = view_of(client, run_id)

    first_done = view.get_task_run(None, done, UNSET, None)
    first_busy = view.get_task_run('load-0', None, UNSET, None)
    assert cached_ids(view) == [done]

    # The store changes behind the view's back.
    set_task_state(client, done, ST.FAILED)
    set_task_state(client, busy, ST.COMPLETED)
    assert view.get_task_run('extract-0', None, UNSET, None) is first_done
    assert state_type(view.get_task_run(None, done, UNSET, None)) == ST.COMPLETED
    second_busy = view.get_task_run(None, busy, UNSET, None)
    assert second_busy is not first_busy
    assert state_type(second_busy) == ST.COMPLETED
    assert cached_ids(view) == sorted([done, busy])


def test_get_latest_hands_over_and_does_not_mutate(client):
    run_id = make_flow_run(client)
    done = make_task_run(client, run_id, 'extract', state_type=ST.COMPLETED)
    view = view_of(client, run_id)
    cached = view.get_task_run('extract', None, UNSET, None)
    old_state = view.props.state
    old_updated = view.props.updated_at

    time.sleep(0.002)
    set_task_state(client, done, ST.CRASHED)
    set_flow_state(client, run_id, ST.COMPLETED)
    latest = view.get_latest(False, None)

    assert latest is not view
    assert latest.props.state.get_state_type() == ST.COMPLETED
    assert len(latest.get_states()) == 2
    assert latest.props.updated_at.compare(old_updated) > 0
    assert latest.get_task_run(None, done, UNSET, None) is cached
    # The original is as it was.
    assert view.props.state is old_state
    assert view.props.state.get_state_type() == ST.RUNNING
    assert len(view.get_states()) == 1
    assert view.props.updated_at.equal(old_updated)


def test_lookup_consistency_errors(client):
    run_id = make_flow_run(client)
    add = make_task_run(client, run_id, 'add', state_type=ST.COMPLETED)
    other = make_task_run(client, make_flow_run(client, name='other'), 'add', state_type=ST.COMPLETED)
    view = view_of(client, run_id)

    def error_of(*args):
        with pytest.raises(GLib.Error) as info:
            view.get_task_run(*args, None)
        return info.value

    error = error_of(None, None, -1)
    assert error.matches(DOMAIN, PrefectCtx.Error.INVALID_ARGUMENT)
    assert error.message == 'One of `task_run_id`, `task`, or `task_slug` must be provided!'

    error = error_of('mul-0', add, UNSET)
    assert error.matches(DOMAIN, PrefectCtx.Error.INVALID_ARGUMENT)
    assert error.message == ("Both `task_slug` and `task_run_id` were provided but the task found using "
                             "`task_run_id` has a different slug! `task_slug == 'mul-0'` and "
                             "`result.task_slug == 'add-0'`")

    error = error_of(None, add, 4)
    assert error.matches(DOMAIN, PrefectCtx.Error.INVALID_ARGUMENT)
    assert error.message == ("Both `map_index` and `task_run_id` were provided but the task found using "
                             "`task_run_id` has a different map index! `map_index == 4` and "
                             "`result.map_index == -1`")

    error = error_of(None, other, UNSET)
    assert error.matches(DOMAIN, PrefectCtx.Error.INVALID_ARGUMENT)
    assert error.message.startswith('The task run found using `task_run_id` belongs to another flow run!')

    error = error_of(None, NO_SUCH_ID, UNSET)
    assert error.matches(DOMAIN, PrefectCtx.Error.NOT_FOUND)

    # Consistent arguments are fine: slug or task key, map index -1.
    assert view.get_task_run('add-0', add, -1, None).props.task_run_id == add
    assert view.get_task_run('add', add, UNSET, None).props.task_run_id == add


def test_lookup_by_slug_defaults_to_unmapped(client):
    run_id = make_flow_run(client)
    parent = make_task_run(client, run_id, 'double', '0', -1, ST.COMPLETED)
    make_task_run(client, run_id, 'double', '1', 0, ST.COMPLETED)
    child1 = make_task_run(client, run_id, 'double', '2', 1, ST.RUNNING)
    make_task_run(client, run_id, 'add', '0')
    make_task_run(client, run_id, 'add', '1')
    view = view_of(client, run_id)

    assert view.get_task_run('double', None, UNSET, None).props.task_run_id == parent
    assert view.get_task_run('double', None, 1, None).props.task_run_id == child1
    with pytest.raises(GLib.Error) as info:
        view.get_task_run('double-1', None, UNSET, None)
    assert info.value.matches(DOMAIN, PrefectCtx.Error.NOT_FOUND)
    with pytest.raises(GLib.Error) as info:
        view.get_task_run('add', None, UNSET, None)
    assert info.value.matches(DOMAIN, PrefectCtx.Error.INVALID_ARGUMENT)
    assert info.value.message.startswith("Found multiple (2) task runs with the task key 'add'")
    assert view.get_task_run('add-1', None, UNSET, None).props.task_slug == 'add-1'


def test_all_task_runs_and_ids(client):
    run_id = make_flow_run(client)
    ids = [make_task_run(client, run_id, key, state_type=st)
           for key, st in (('a', ST.COMPLETED), ('b', ST.RUNNING), ('c', ST.FAILED))]
    view = view_of(client, run_id)

    all_runs = view.get_all_task_runs(None)
    assert [t.props.task_run_id for t in all_runs] == ids
    assert cached_ids(view) == sorted([ids[0], ids[2]])
    assert view.get_task_run_ids(None) == ids

    # Not cached while the run is not finished.
    late = make_task_run(client, run_id, 'd')
    assert view.get_task_run_ids(None) == ids + [late]

    set_flow_state(client, run_id, ST.COMPLETED)
    finished = view.get_latest(False, None)
    assert finished.get_task_run_ids(None) == ids + [late]
    make_task_run(client, run_id, 'e')
    assert finished.get_task_run_ids(None) == ids + [late]


def test_all_task_runs_refuses_more_than_1000(client):
    run_id = make_flow_run(client)
    for i in range(1001):
        make_task_run(client, run_id, 't', str(i))
    view = view_of(client, run_id)
    with pytest.raises(GLib.Error) as info:
        view.get_all_task_runs(None)
    assert info.value.matches(DOMAIN, PrefectCtx.Error.INVALID_ARGUMENT)
    assert info.value.message == ('Refusing to `get_all_task_runs` for a flow with more than 1000 tasks. '
                                  'Please load the tasks you are interested in individually.')


def test_load_static_tasks(client):
    run_id = make_flow_run(client)
    done = make_task_run(client, run_id, 'a', state_type=ST.COMPLETED)
    make_task_run(client, run_id, 'b', state_type=ST.RUNNING)
    make_task_run(client, run_id, 'm', map_index=0, state_type=ST.COMPLETED)
    assert cached_ids(view_of(client, run_id)) == []
    assert cached_ids(view_of(client, run_id, True)) == [done]


def test_log_windows(client):
    run_id = make_flow_run(client)
    view = view_of(client, run_id)
    updated = view.props.updated_at
    at = {name: updated.add_seconds(offset)
          for name, offset in (('m3', -3), ('m2', -2), ('m1', -1), ('at', 0), ('p5', 5))}
    for name in ('p5', 'm1', 'at', 'm3', 'm2'):
        add_log(client, run_id, name, at[name])

    def window(start, end):
        logs = view.get_logs(start, end, None)
        assert all(entry.get_level() == 20 for entry in logs)
        return [entry.get_message() for entry in logs]

    # End defaults to updated-at (inclusive); start is exclusive.
    assert window(None, None) == ['m3', 'm2', 'm1', 'at']
    assert window(at['m2'], None) == ['m1', 'at']
    assert window(None, updated.add_seconds(10)) == ['m3', 'm2', 'm1', 'at', 'p5']
    assert window(at['m1'], at['p5']) == ['at', 'p5']
    assert window(at['p5'], None) == []


def test_async_view_on_main_loop(client):
    run_id = make_flow_run(client)
    make_task_run(client, run_id, 'a', state_type=ST.COMPLETED)
    loop = GLib.MainLoop()
    got = {}

    def on_view(source, result):
        got['view'] = PrefectCtx.FlowRunView.new_from_id_finish(result)
        got['view'].get_all_task_runs_async(None, on_all)

    def on_all(view, result):
        got['all'] = view.get_all_task_runs_finish(result)
        loop.quit()

    PrefectCtx.FlowRunView.new_from_id_async(client, run_id, False, None, on_view)
    loop.run()
    assert got['view'].props.flow_run_id == run_id
    assert [t.props.task_slug for t in got['all']] == ['a-0']


# --- the watcher ----------------------------------------------------------

class Recorder(object):
    def __init__(self, watcher):
        self.entries = []
        self.finished = []
        self.updated = 0
        self.thread = threading.current_thread()
        watcher.connect('entry', self.on_entry)
        watcher.connect('updated', self.on_updated)
        watcher.connect('finished', self.on_finished)

    def on_entry(self, watcher, entry):
        assert threading.current_thread() is self.thread
        self.entries.append(entry.get_message())

    def on_updated(self, watcher, view):
        self.updated += 1

    def on_finished(self, watcher, view):
        self.finished.append(view)


def watch(watcher, cancellable=None):
    loop = GLib.MainLoop()
    outcome = {}

    def done(source, result):
        try:
            outcome['view'] = source.watch_finish(result)
        except GLib.Error as error:
            outcome['error'] = error
        loop.quit()

    watcher.watch_async(cancellable, done)
    loop.run()
    return outcome


def test_watcher_flow_finishes_while_watched(client):
    run_id = make_flow_run(client, ST.PENDING)
    watcher = PrefectCtx.FlowRunWatcher(client=client, flow_run_id=run_id,
                                        poll_interval=0.05, max_poll_interval=0.1, max_duration=30)
    recorder = Recorder(watcher)

    # A timeout source on the same main loop moves the run along.
    steps = [
        lambda: set_flow_state(client, run_id, ST.RUNNING, 'Go'),
        lambda: add_log(client, run_id, 'working'),
        lambda: add_log(client, run_id, 'still working'),
        lambda: (set_flow_state(client, run_id, ST.COMPLETED),
                 add_log(client, run_id, 'Finished in state Completed()')),
    ]

    def step():
        steps.pop(0)()
        return bool(steps)

    GLib.timeout_add(70, step)
    outcome = watch(watcher)

    assert 'error' not in outcome
    assert outcome['view'].props.state.get_state_type() == ST.COMPLETED
    assert recorder.entries == ['Entered state <Pending>', 'Entered state <Running>: Go',
                                'working', 'still working',
                                'Entered state <Completed>', 'Finished in state Completed()']
    assert len(recorder.finished) == 1
    assert recorder.updated >= 3
    assert watcher.props.view is outcome['view']


def test_watcher_already_finished(client):
    run_id = make_flow_run(client, ST.FAILED)
    watcher = PrefectCtx.FlowRunWatcher.new(client, run_id)
    recorder = Recorder(watcher)
    outcome = watch(watcher)
    assert outcome['view'].is_finished()
    assert recorder.entries == ['Your flow run finished a few seconds ago']


def test_watcher_times_out(client):
    run_id = make_flow_run(client, ST.RUNNING)
    watcher = PrefectCtx.FlowRunWatcher(client=client, flow_run_id=run_id,
                                        poll_interval=0.02, max_poll_interval=0.05, max_duration=0.5)
    recorder = Recorder(watcher)
    start = time.monotonic()
    outcome = watch(watcher)
    assert time.monotonic() - start >= 0.5
    error = outcome['error']
    assert error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.TIMED_OUT)
    assert error.message == ('watch_flow_run timed out after 0.000139 hours of waiting for completion. '
                             'Your flow run is still in state: Running')
    assert recorder.entries == ['Entered state <Running>']
    assert recorder.finished == []


def test_watcher_cancelled(client):
    run_id = make_flow_run(client, ST.RUNNING)
    watcher = PrefectCtx.FlowRunWatcher(client=client, flow_run_id=run_id, poll_interval=0.05)
    cancellable = Gio.Cancellable()
    GLib.timeout_add(100, lambda: cancellable.cancel() or False)
    error = watch(watcher, cancellable)['error']
    assert error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)


def test_watch_flow_run_blocking(client):
    run_id = make_flow_run(client, ST.RUNNING)
    seen = []
    with pytest.raises(GLib.Error) as info:
        # PyGObject 3.42 passes the user data (None when not given).
        PrefectCtx.watch_flow_run(client, run_id, True, True, 0.2,
                                  lambda entry, *data: seen.append(entry.get_message()))
    assert info.value.matches(Gio.io_error_quark(), Gio.IOErrorEnum.TIMED_OUT)
    assert seen == ['Entered state <Running>']

    set_flow_state(client, run_id, ST.COMPLETED)
    del seen[:]
    view = PrefectCtx.watch_flow_run(client, run_id, True, True,
                                     PrefectCtx.FLOW_RUN_WATCHER_DEFAULT_MAX_DURATION,
                                     lambda entry, data: seen.append((entry.get_message(), data)),
                                     'data', None)
    assert view.is_finished()
    assert seen == [('Your flow run finished a few seconds ago', 'data')]
