# test_serialize.py: contexts carried to other processes, as Prefect 3's
# serialize_context() and hydrated_context() carry them: the dict, secrets,
# hydration on another thread and in another Python process, and errors.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading

import pytest

for _name in list(os.environ):
    if _name.startswith('PREFECT_') and _name != 'PREFECT_CTX_OVERRIDE_DIR':
        del os.environ[_name]
_TMP = tempfile.mkdtemp(prefix='test-serialize-py-')
os.environ['PREFECT_HOME'] = os.path.join(_TMP, 'home')

import gi  # noqa: E402

gi.require_version('PrefectCtx', '1.0')
from gi.repository import GLib, PrefectCtx  # noqa: E402

DOMAIN = PrefectCtx.error_quark()


def teardown_module(module):
    shutil.rmtree(_TMP, ignore_errors=True)


@pytest.fixture
def client():
    return PrefectCtx.LocalClient.new(':memory:')


def test_nothing_entered():
    data = PrefectCtx.serialize_context()
    assert data == {'flow_run_context': {}, 'task_run_context': {}, 'tags_context': {},
                    'settings_context': {}, 'custom_context': {},
                    'deployment_id': None, 'deployment_parameters': None}
    with PrefectCtx.hydrated_context(data):
        assert PrefectCtx.FlowRunContext.get_current() is None


def test_round_trip_in_a_flow(client):
    seen = {}

    @PrefectCtx.flow(log_prints=True)
    def carried(x):
        with PrefectCtx.tags('etl'), PrefectCtx.custom_context(team='data'):
            seen['data'] = PrefectCtx.serialize_context()
            seen['id'] = PrefectCtx.runtime.flow_run.id

    carried.with_options(client=client)(7)
    data = seen['data']
    assert data['flow_run_context']['flow']['name'] == 'carried'
    assert data['flow_run_context']['flow_run']['id'] == seen['id']
    assert data['flow_run_context']['parameters'] == {'x': 7}
    assert data['flow_run_context']['log_prints'] is True
    assert data['tags_context'] == {'current_tags': ['etl']}
    assert data['custom_context'] == {'values': {'team': 'data'}}
    assert data['task_run_context'] == {}

    # Rebuilt on another thread, with nothing of the flow's entered there.
    def worker():
        with PrefectCtx.hydrated_context(json.dumps(data), client):
            ctx = PrefectCtx.get_run_context()
            seen['worker'] = (type(ctx).__name__, ctx.props.detached, ctx.get_client() == client,
                              PrefectCtx.runtime.flow_run.id, PrefectCtx.runtime.flow_run.parameters,
                              list(PrefectCtx.TagsContext.get_current().get_current_tags()),
                              PrefectCtx.get_custom_context())
        seen['after'] = PrefectCtx.FlowRunContext.get_current()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen['worker'] == ('FlowRunContext', True, True, seen['id'], {'x': 7}, ['etl'], {'team': 'data'})
    assert seen['after'] is None


def test_secrets_only_on_request(monkeypatch):
    settings = PrefectCtx.Settings.new().copy_with_update({'PREFECT_API_KEY': 'sk-secret',
                                                           'PREFECT_UI_URL': 'http://ui.test'})
    profile = PrefectCtx.Profile.new('p', {}, None)
    with PrefectCtx.SettingsContext.new(profile, settings):
        without = PrefectCtx.serialize_context()
        with_secrets = PrefectCtx.serialize_context(include_secrets=True)
    assert without['settings_context']['settings'] == {'PREFECT_UI_URL': 'http://ui.test'}
    assert 'sk-secret' not in json.dumps(without)
    assert with_secrets['settings_context']['settings']['PREFECT_API_KEY'] == 'sk-secret'
    with PrefectCtx.hydrated_context(with_secrets):
        current = PrefectCtx.SettingsContext.get_current().get_settings()
        assert current.get_api_key() == 'sk-secret'
        assert current.get_ui_url() == 'http://ui.test'


def test_malformed():
    with pytest.raises(GLib.Error) as info:
        PrefectCtx.hydrated_context('not json')
    assert info.value.matches(DOMAIN, PrefectCtx.Error.INVALID_ARGUMENT)
    with pytest.raises(GLib.Error) as info:
        PrefectCtx.hydrated_context({'tags_context': {'current_tags': [1]}})
    assert info.value.message == "Serialized context: 'tags_context.current_tags' must be an array of strings"
    # A custom map that breaks the rules fails on entering; nothing stays entered.
    with pytest.raises(GLib.Error):
        with PrefectCtx.hydrated_context({'tags_context': {'current_tags': ['a']},
                                          'custom_context': {'values': {'a=b': '1'}}}):
            pass
    assert PrefectCtx.TagsContext.get_current().get_current_tags() == []


WORKER = textwrap.dedent('''
    import json, sys
    import gi
    gi.require_version('PrefectCtx', '1.0')
    from gi.repository import PrefectCtx

    @PrefectCtx.task
    def remote(n):
        return '%s:%d' % (PrefectCtx.get_custom_context()['team'], n * 2)

    client = PrefectCtx.LocalClient.new(sys.argv[1])
    with PrefectCtx.hydrated_context(json.load(sys.stdin), client):
        print(remote(21))
''')


def test_another_process_records_into_the_flow_run():
    db = os.path.join(_TMP, 'cross.db')
    client = PrefectCtx.LocalClient.new(db)
    seen = {}

    @PrefectCtx.flow(tags=['remote'])
    def spawner():
        seen['id'] = PrefectCtx.runtime.flow_run.id
        done = subprocess.run([sys.executable, '-c', WORKER, db], input=json.dumps(PrefectCtx.serialize_context()),
                              env=dict(os.environ), capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert spawner.with_options(client=client, custom_context={'team': 'data'})() == 'data:42'
    runs = list(client.read_task_runs(seen['id'], 0, 0, None))
    assert len(runs) == 1
    run = runs[0]
    assert run.get_task_key() == '__main__.remote'
    assert len(run.get_dynamic_key()) == 36  # a UUID: the worker does not count for the flow run
    assert list(run.get_tags()) == ['remote']
    assert run.get_state().get_state_type() == PrefectCtx.StateType.COMPLETED
