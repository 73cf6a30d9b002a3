# test_http_client.py: PrefectCtx.HttpClient from Python, against the fake
# Prefect server of the C suite run as a program: a flow of decorated tasks
# runs against it, and its errors reach Python as GLib.Error. The client's
# own rules (retries, paging, orchestration) are tested once, in C.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import shutil
import subprocess
import tempfile
import urllib.request
import uuid

import pytest

for _name in list(os.environ):
    if _name.startswith('PREFECT_') and _name != 'PREFECT_CTX_OVERRIDE_DIR':
        del os.environ[_name]
_TMP = tempfile.mkdtemp(prefix='test-http-client-py-')
os.environ['PREFECT_HOME'] = os.path.join(_TMP, 'home')

import gi  # noqa: E402

gi.require_version('PrefectCtx', '1.0')
from gi.repository import GLib, PrefectCtx  # noqa: E402

DOMAIN = PrefectCtx.error_quark()


def teardown_module(module):
    shutil.rmtree(_TMP, ignore_errors=True)


class FakePrefect:
    """The C suite's fake Prefect server (tests/c/fake-prefect.h), run as a
    program: one fake for every suite. dump () gives what it keeps,
    fail (status, times) makes it fail the next requests."""

    def __init__(self):
        self.process = subprocess.Popen([os.environ['FAKE_PREFECT_SERVER']], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip()
        assert self.url.startswith('http://127.0.0.1:'), self.url

    def _call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b'null')

    def dump(self):
        return self._call('GET', '/__fake__/dump')

    def fail(self, status, times=1):
        self._call('POST', '/__fake__/fail', {'status': status, 'times': times})

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture
def server():
    fake = FakePrefect()
    yield fake
    fake.close()


def make_client(server, **props):
    client = PrefectCtx.HttpClient(api_url=server.url, retry_base_delay=0.001, **props)
    client.init(None)
    return client


def test_flow_against_server(server):
    client = make_client(server, api_key='sekrit')
    assert client.check_health(None) is True
    seen = {}

    @PrefectCtx.task
    def double(x):
        PrefectCtx.get_run_logger().info('doubling %d' % x)
        return 2 * x

    @PrefectCtx.flow
    def remote(n):
        seen['id'] = PrefectCtx.get_run_context().get_flow_run().get_id()
        return double(n) + double(n + 1)

    server.fail(503)   # retried
    assert remote.with_options(client=client)(3) == 14

    kept = server.dump()
    flow_run = kept['flow_runs'][seen['id']]
    assert flow_run['state_type'] == 'COMPLETED'
    assert flow_run['parameters'] == {'n': 3}
    assert [s['type'] for s in kept['states'][seen['id']]] == ['PENDING', 'RUNNING', 'COMPLETED']
    task_runs = [r for r in kept['task_runs'].values() if r['flow_run_id'] == seen['id']]
    assert sorted(r['name'] for r in task_runs) == ['double-0', 'double-1']
    assert all(r['state_type'] == 'COMPLETED' and r['run_count'] == 1 for r in task_runs)
    assert kept['last_authorization'] == 'Bearer sekrit'
    assert kept['requests']['POST /flows/'] == 2   # a 503, then the flow

    # What the server keeps reads back through the client.
    run = client.read_flow_run(seen['id'], None)
    assert run.get_state().get_state_type() == PrefectCtx.StateType.COMPLETED
    assert len(list(client.read_task_runs(seen['id'], 0, 0, None))) == 2

    # Log lines reach the server (the writer may send them a little later).
    for _ in range(100):
        messages = [log['message'] for log in server.dump()['logs']]
        if 'doubling 3' in messages and 'doubling 4' in messages:
            break
        GLib.usleep(50000)
    assert 'doubling 3' in messages and 'doubling 4' in messages
    logs = list(client.read_logs(seen['id'], None, None, 0, 0, None))
    assert any(entry.get_message() == 'doubling 3' and entry.get_task_run_id() for entry in logs)


def test_task_inputs_link_upstream_task_runs(server):
    """As Prefect's engine: a task given another task's result (the object
    itself) or its future records that task run in its task_inputs; an
    equal value made anew, or an untrackable one (small ints), does not;
    a future is resolved to its result before the run."""
    client = make_client(server)
    seen = {}

    @PrefectCtx.task
    def extract():
        return ['a', 'b']

    @PrefectCtx.task
    def count(rows, limit=10):
        return len(rows)

    @PrefectCtx.flow
    def pipeline():
        seen['id'] = PrefectCtx.get_run_context().get_flow_run().get_id()
        rows = extract()
        n = count(rows)                     # linked to extract-0
        count(['a', 'b'])                   # equal, not the same object
        submitted = extract.submit()
        count(submitted, limit=n)           # the future: extract-1; n = 2 is untrackable
        count(['x'], wait_for=[submitted])  # wait_for: a key of its own
        count(PrefectCtx.allow_failure(submitted))  # seen through
        return count([rows, ['c']])         # inside a list: extract-0

    assert pipeline.with_options(client=client)() == 2
    runs = {r['name']: r for r in server.dump()['task_runs'].values() if r['flow_run_id'] == seen['id']}

    def linked(name):
        return [{'input_type': 'task_run', 'id': runs[name]['id']}]

    assert runs['extract-0']['task_inputs'] == {}
    assert runs['count-0']['task_inputs'] == {'rows': linked('extract-0'), 'limit': []}
    assert runs['count-1']['task_inputs'] == {'rows': [], 'limit': []}
    assert runs['count-2']['task_inputs'] == {'rows': linked('extract-1'), 'limit': []}
    assert runs['count-3']['task_inputs'] == {'rows': [], 'limit': [], 'wait_for': linked('extract-1')}
    assert runs['count-4']['task_inputs'] == {'rows': linked('extract-1'), 'limit': []}
    assert runs['count-5']['task_inputs'] == {'rows': linked('extract-0'), 'limit': []}


def test_errors(server):
    client = make_client(server, max_retries=1)
    with pytest.raises(GLib.Error) as info:
        client.read_flow_run(str(uuid.uuid4()), None)
    assert info.value.domain == GLib.quark_to_string(DOMAIN)
    assert info.value.code == PrefectCtx.Error.NOT_FOUND
    assert info.value.message == 'Flow run not found'

    server.fail(503, times=2)
    with pytest.raises(GLib.Error) as info:
        client.read_flow_run(str(uuid.uuid4()), None)
    assert info.value.code == PrefectCtx.Error.FAILED
    assert 'HTTP 503' in info.value.message
    assert server.dump()['last_authorization'] is None

    with pytest.raises(GLib.Error) as info:
        PrefectCtx.HttpClient.new('ftp://example.com', None)
    assert info.value.code == PrefectCtx.Error.INVALID_ARGUMENT


def test_default_client_from_settings(server):
    settings = PrefectCtx.Settings.new_from_environ(['PREFECT_API_URL=' + server.url], )
    client = PrefectCtx.HttpClient.new_from_settings(settings)
    assert client.get_api_url() == server.url
    assert client.get_max_retries() == 5
    assert not client.has_api_key()
