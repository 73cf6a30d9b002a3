# test_client.py: the run store (layer 5) as a Python user sees it: a
# LocalClient on a file of their own, runs written and read back, the
# asynchronous variants with a GLib.MainLoop, GLib.Error for what is missing.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import sqlite3

import pytest

import gi

gi.require_version('PrefectCtx', '1.0')
from gi.repository import Gio, GLib, PrefectCtx  # noqa: E402


@pytest.fixture
def client(tmp_path):
    return PrefectCtx.LocalClient.new(str(tmp_path / 'runs.db'))


def at(seconds):
    return GLib.DateTime.new_utc(2026, 11, 21, 5, 0, 0).add_seconds(seconds)


def state(state_type, seconds, name=None, message=None):
    return PrefectCtx.State(state_type=state_type, name=name, message=message,
                            timestamp=at(seconds))


def test_local_client_on_a_file(tmp_path):
    path = str(tmp_path / 'runs.db')
    client = PrefectCtx.LocalClient.new(path)
    assert isinstance(client, PrefectCtx.Client)
    assert client.get_path() == path
    assert client.props.path == path
    assert os.path.isfile(path)
    assert PrefectCtx.LocalClient.get_schema_version() >= 1

    memory = PrefectCtx.LocalClient.new(PrefectCtx.LOCAL_CLIENT_MEMORY)
    assert memory.get_path() == ':memory:'


def test_flow_and_flow_run_round_trip(client, tmp_path):
    flow = client.create_flow(PrefectCtx.Flow(name='etl', tags=['b', 'a']), None)
    assert flow.get_id()
    assert client.read_flow(flow.get_id(), None).get_tags() == ['a', 'b']
    assert client.create_flow(PrefectCtx.Flow(name='etl'), None).get_id() == flow.get_id()

    params = GLib.Variant('a{sv}', {'n': GLib.Variant('x', 3),
                                    'who': GLib.Variant('s', 'world')})
    draft = PrefectCtx.FlowRun(name='tidy-jaguar', flow_id=flow.get_id(), parameters=params,
                               tags=['nightly'], state=state(PrefectCtx.StateType.PENDING, 0))
    run = client.create_flow_run(draft, None)
    run_id = run.get_id()
    assert len(run_id) == 36

    for s, seconds in ((PrefectCtx.StateType.RUNNING, 1), (PrefectCtx.StateType.COMPLETED, 4)):
        stored = client.set_flow_run_state(run_id, state(s, seconds), False, None)
        assert stored.get_state_type() == s

    read = client.read_flow_run(run_id, None)
    assert read.get_name() == 'tidy-jaguar'
    assert read.get_flow_id() == flow.get_id()
    assert read.get_parameters().unpack() == {'n': 3, 'who': 'world'}
    assert read.get_tags() == ['nightly']
    assert read.get_state().get_state_type() == PrefectCtx.StateType.COMPLETED
    assert read.get_run_count() == 1
    assert read.get_start_time().equal(at(1))
    assert read.get_end_time().equal(at(4))

    states = client.read_flow_run_states(run_id, None)
    assert [s.get_name() for s in states] == ['Pending', 'Running', 'Completed']

    runs = client.read_flow_runs(PrefectCtx.StateType.COMPLETED, 0, 0, None)
    assert [r.get_id() for r in runs] == [run_id]
    assert len(client.read_flow_runs(PrefectCtx.CLIENT_ANY_STATE, 0, 0, None)) == 1
    assert len(client.read_flow_runs(PrefectCtx.StateType.FAILED, 0, 0, None)) == 0

    # Another client on the same file (or another process) sees it all.
    again = PrefectCtx.LocalClient.new(client.get_path())
    assert again.read_flow_run(run_id, None).get_name() == 'tidy-jaguar'

    # It is an ordinary SQLite file.
    with sqlite3.connect(client.get_path()) as db:
        assert db.execute('SELECT name FROM flow_run WHERE id = ?', (run_id,)).fetchone() == ('tidy-jaguar',)


def test_task_runs_and_logs(client):
    flow_run = client.create_flow_run(PrefectCtx.FlowRun(name='with-tasks'), None)
    ids = []
    for i in range(5):
        draft = PrefectCtx.TaskRun(flow_run_id=flow_run.get_id(), task_key='add-1a2b',
                                   dynamic_key=str(i), name='add-%d' % i,
                                   state=state(PrefectCtx.StateType.PENDING, i))
        task_run = client.create_task_run(draft, None)
        ids.append(task_run.get_id())
        client.set_task_run_state(task_run.get_id(), state(PrefectCtx.StateType.RUNNING, i + 0.5), False, None)
        client.set_task_run_state(task_run.get_id(), state(PrefectCtx.StateType.COMPLETED, i + 0.7), False, None)

    # The same (flow run, task key, dynamic key): the existing task run.
    duplicate = PrefectCtx.TaskRun(flow_run_id=flow_run.get_id(), task_key='add-1a2b', dynamic_key='0')
    assert client.create_task_run(duplicate, None).get_id() == ids[0]

    task_runs = client.read_task_runs(flow_run.get_id(), 0, 0, None)
    assert [t.get_id() for t in task_runs] == ids
    assert [t.get_name() for t in client.read_task_runs(flow_run.get_id(), 2, 1, None)] == ['add-1', 'add-2']
    assert client.count_task_runs(flow_run.get_id(), True, None) == 5
    assert client.read_task_run(ids[2], None).get_run_count() == 1
    assert [s.get_name() for s in client.read_task_run_states(ids[2], None)] == ['Pending', 'Running', 'Completed']

    logs = [PrefectCtx.LogEntry(name='prefect.task_runs', level=20, message='log %d' % i,
                                timestamp=at(i), flow_run_id=flow_run.get_id(), task_run_id=ids[i])
            for i in range(5)]
    assert client.create_logs(logs, None)
    read = client.read_logs(flow_run.get_id(), at(1), at(3), 0, 0, None)
    assert [entry.get_message() for entry in read] == ['log 2', 'log 3']
    assert len(client.read_logs(flow_run.get_id(), None, None, 0, 0, None)) == 5

    # The position is an inout argument: (logs, next position) in Python.
    since, cursor = client.read_logs_since(flow_run.get_id(), 0, None)
    assert [entry.get_message() for entry in since] == ['log %d' % i for i in range(5)]
    assert client.read_logs_since(flow_run.get_id(), cursor, None)[0].get_n_items() == 0

    deployment = client.create_deployment(PrefectCtx.Deployment(name='nightly', flow_id='f'), None)
    assert client.read_deployment(deployment.get_id(), None).get_name() == 'nightly'


def test_not_found_is_a_glib_error(client):
    with pytest.raises(GLib.Error) as info:
        client.read_flow_run('no-such-run', None)
    assert info.value.matches(PrefectCtx.error_quark(), PrefectCtx.Error.NOT_FOUND)
    assert info.value.message == 'Flow run not found'

    with pytest.raises(GLib.Error) as info:
        client.read_task_run('no-such-run', None)
    assert info.value.message == 'Task run not found'

    with pytest.raises(GLib.Error) as info:
        client.set_task_run_state('no-such-run', PrefectCtx.State.new(PrefectCtx.StateType.RUNNING, None, None),
                                  False, None)
    assert info.value.code == PrefectCtx.Error.NOT_FOUND

    with pytest.raises(GLib.Error) as info:
        client.read_flow('nope', None)
    assert info.value.message == 'Flow not found'

    with pytest.raises(GLib.Error) as info:
        client.read_deployment('nope', None)
    assert info.value.message == 'Deployment not found'


def test_a_file_that_is_not_a_store(tmp_path):
    path = tmp_path / 'notes.txt'
    path.write_text('not a database\n' * 100)
    with pytest.raises(GLib.Error) as info:
        PrefectCtx.LocalClient.new(str(path))
    assert info.value.matches(PrefectCtx.error_quark(), PrefectCtx.Error.FAILED)
    assert 'is not a valid database' in info.value.message
    assert path.read_text() == 'not a database\n' * 100


def test_async_with_a_main_loop(client):
    loop = GLib.MainLoop()
    results = {}

    def created(source, result):
        results['run'] = source.create_flow_run_finish(result)
        source.set_flow_run_state_async(results['run'].get_id(),
                                        PrefectCtx.State.new(PrefectCtx.StateType.RUNNING, None, None),
                                        False, None, state_set)

    def state_set(source, result):
        results['state'] = source.set_flow_run_state_finish(result)
        source.read_flow_run_async(results['run'].get_id(), None, read)

    def read(source, result):
        results['read'] = source.read_flow_run_finish(result)
        source.read_flow_run_async('missing', None, missing)

    def missing(source, result):
        try:
            source.read_flow_run_finish(result)
        except GLib.Error as error:
            results['error'] = error
        loop.quit()

    client.create_flow_run_async(PrefectCtx.FlowRun(name='async'), None, created)
    GLib.timeout_add_seconds(30, loop.quit)
    loop.run()

    assert results['read'].get_name() == 'async'
    assert results['read'].get_run_count() == 1
    assert results['state'].get_state_type() == PrefectCtx.StateType.RUNNING
    assert results['error'].matches(PrefectCtx.error_quark(), PrefectCtx.Error.NOT_FOUND)


def test_async_cancelled(client):
    loop = GLib.MainLoop()
    cancellable = Gio.Cancellable()
    cancellable.cancel()
    results = {}

    def done(source, result):
        try:
            source.read_flow_runs_finish(result)
        except GLib.Error as error:
            results['error'] = error
        loop.quit()

    client.read_flow_runs_async(PrefectCtx.CLIENT_ANY_STATE, 0, 0, cancellable, done)
    loop.run()
    assert results['error'].matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)


def test_default_client_lives_in_prefect_home(tmp_path, monkeypatch):
    profile = PrefectCtx.Profile.new('test', None, None)
    settings = PrefectCtx.Settings.new_from_environ(['PREFECT_HOME=%s' % (tmp_path / 'home')])
    with PrefectCtx.SettingsContext.new(profile, settings):
        client = PrefectCtx.Client.get_default()
        assert client is PrefectCtx.Client.get_default()
    assert client.get_path() == str(tmp_path / 'home' / 'prefectctx.db')
    assert os.path.isfile(client.get_path())
