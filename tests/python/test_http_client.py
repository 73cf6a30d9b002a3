# test_http_client.py: PrefectCtx.HttpClient from Python, against a fake
# Prefect server (http.server on a thread) that keeps what it is sent; a
# flow with two tasks runs against it.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import datetime
import json
import os
import shutil
import tempfile
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

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
FINISHED = ('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED')


def teardown_module(module):
    shutil.rmtree(_TMP, ignore_errors=True)


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='microseconds')


class FakePrefect:
    """The few endpoints the engine uses, in the server's JSON shapes."""

    def __init__(self):
        self.lock = threading.Lock()
        self.flows = {}
        self.flow_runs = {}
        self.task_runs = {}
        self.states = {}
        self.logs = []
        self.requests = []
        self.failures = []          # statuses answered first
        self.authorization = []

    def new_state(self, create):
        return {'id': str(uuid.uuid4()), 'type': create['type'],
                'name': create.get('name') or create['type'].title(),
                'message': create.get('message'), 'timestamp': now(), 'data': None,
                'state_details': {}}

    def apply(self, run, state):
        self.states.setdefault(run['id'], []).append(state)
        run.update(state=state, state_type=state['type'], state_name=state['name'],
                   state_id=state['id'], updated=state['timestamp'])
        if state['type'] == 'RUNNING':
            run['run_count'] += 1
            run['start_time'] = run['start_time'] or state['timestamp']
        if state['type'] in FINISHED:
            run['end_time'] = state['timestamp']

    def new_run(self, body, fields):
        run = {'id': str(uuid.uuid4()), 'created': now(), 'updated': now(),
               'expected_start_time': now(), 'run_count': 0, 'start_time': None,
               'end_time': None, 'total_run_time': 0.0, 'state': None, 'state_type': None,
               'state_name': None, 'tags': body.get('tags', [])}
        for field in fields:
            run[field] = body.get(field)
        if body.get('state'):
            assert set(body['state']) <= {'type', 'name', 'message'}, body['state']
            self.apply(run, self.new_state(body['state']))
        return run

    def handle(self, method, path, query, body):
        with self.lock:
            self.requests.append((method, path))
            if self.failures:
                return self.failures.pop(0), {'detail': 'Try again later'}
            parts = path.strip('/').split('/')
            if method == 'GET' and path == '/health':
                return 200, True
            if method == 'POST' and path == '/flows/':
                for flow in self.flows.values():
                    if flow['name'] == body['name']:
                        return 200, flow
                flow = {'id': str(uuid.uuid4()), 'created': now(), 'updated': now(),
                        'name': body['name'], 'tags': body.get('tags', [])}
                self.flows[flow['id']] = flow
                return 201, flow
            if method == 'POST' and path == '/flow_runs/':
                run = self.new_run(body, ['flow_id', 'name', 'flow_version', 'parameters',
                                          'parent_task_run_id', 'deployment_id'])
                self.flow_runs[run['id']] = run
                return 201, run
            if method == 'POST' and path == '/task_runs/':
                run = self.new_run(body, ['flow_run_id', 'task_key', 'dynamic_key', 'name'])
                self.task_runs[run['id']] = run
                return 201, run
            if method == 'POST' and path == '/task_runs/filter':
                flow_run_id = body['flow_runs']['id']['any_'][0]
                runs = [r for r in self.task_runs.values() if r['flow_run_id'] == flow_run_id]
                return 200, runs[body['offset']:body['offset'] + body['limit']]
            if len(parts) >= 2 and parts[0] in ('flow_runs', 'task_runs'):
                runs = self.flow_runs if parts[0] == 'flow_runs' else self.task_runs
                run = runs.get(parts[1])
                if run is None:
                    return 404, {'detail': ('Flow run' if parts[0] == 'flow_runs'
                                            else 'Task run') + ' not found'}
                if method == 'GET' and len(parts) == 2:
                    return 200, run
                if method == 'POST' and parts[2:] == ['set_state']:
                    state = self.new_state(body['state'])
                    self.apply(run, state)
                    return 201, {'status': 'ACCEPT', 'state': state,
                                 'details': {'type': 'accept_details'}}
            if method == 'GET' and path in ('/flow_run_states/', '/task_run_states/'):
                run_id = next(iter(query.values()))[0]
                return 200, self.states.get(run_id, [])
            if method == 'POST' and path == '/logs/':
                self.logs.extend(body)
                return 201, None
            if method == 'POST' and path == '/logs/filter':
                flow_run_id = body['logs']['flow_run_id']['any_'][0]
                logs = [dict(log, id=str(uuid.uuid4())) for log in self.logs
                        if log['flow_run_id'] == flow_run_id]
                return 200, logs[body['offset']:body['offset'] + body['limit']]
            return 404, {'detail': 'Not Found'}


@pytest.fixture
def server():
    fake = FakePrefect()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, *args):
            pass

        def answer(self, method):
            url = urlsplit(self.path)
            assert url.path.startswith('/api/')
            length = int(self.headers.get('Content-Length') or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            with fake.lock:
                fake.authorization.append(self.headers.get('Authorization'))
            status, result = fake.handle(method, url.path[len('/api'):], parse_qs(url.query), body)
            data = json.dumps(result).encode() if result is not None else b''
            self.send_response(status)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self.answer('GET')

        def do_POST(self):
            self.answer('POST')

    httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    fake.url = 'http://127.0.0.1:%d/api' % httpd.server_address[1]
    yield fake
    httpd.shutdown()
    httpd.server_close()
    thread.join()


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

    server.failures.append(503)   # retried
    assert remote.with_options(client=client)(3) == 14

    flow_run = server.flow_runs[seen['id']]
    assert flow_run['state_type'] == 'COMPLETED'
    assert flow_run['parameters'] == {'n': 3}
    assert [s['type'] for s in server.states[seen['id']]] == ['PENDING', 'RUNNING', 'COMPLETED']
    task_runs = [r for r in server.task_runs.values() if r['flow_run_id'] == seen['id']]
    assert sorted(r['name'] for r in task_runs) == ['double-0', 'double-1']
    assert all(r['state_type'] == 'COMPLETED' and r['run_count'] == 1 for r in task_runs)
    assert all('Bearer sekrit' == a for a in server.authorization)
    assert server.requests.count(('POST', '/flows/')) == 2   # a 503, then the flow

    # What the server keeps reads back through the client.
    run = client.read_flow_run(seen['id'], None)
    assert run.get_state().get_state_type() == PrefectCtx.StateType.COMPLETED
    assert len(list(client.read_task_runs(seen['id'], 0, 0, None))) == 2

    # Log lines reach the server (the writer may send them a little later).
    for _ in range(100):
        messages = [log['message'] for log in server.logs]
        if 'doubling 3' in messages and 'doubling 4' in messages:
            break
        GLib.usleep(50000)
    assert 'doubling 3' in messages and 'doubling 4' in messages
    logs = list(client.read_logs(seen['id'], None, None, 0, 0, None))
    assert any(entry.get_message() == 'doubling 3' and entry.get_task_run_id() for entry in logs)


def test_errors(server):
    client = make_client(server, max_retries=1)
    with pytest.raises(GLib.Error) as info:
        client.read_flow_run(str(uuid.uuid4()), None)
    assert info.value.domain == GLib.quark_to_string(DOMAIN)
    assert info.value.code == PrefectCtx.Error.NOT_FOUND
    assert info.value.message == 'Flow run not found'

    server.failures.extend([503, 503])
    with pytest.raises(GLib.Error) as info:
        client.read_flow_run(str(uuid.uuid4()), None)
    assert info.value.code == PrefectCtx.Error.FAILED
    assert 'HTTP 503' in info.value.message
    assert all(a is None for a in server.authorization)

    with pytest.raises(GLib.Error) as info:
        PrefectCtx.HttpClient.new('ftp://example.com', None)
    assert info.value.code == PrefectCtx.Error.INVALID_ARGUMENT


def test_default_client_from_settings(server):
    settings = PrefectCtx.Settings.new_from_environ(['PREFECT_API_URL=' + server.url], )
    client = PrefectCtx.HttpClient.new_from_settings(settings)
    assert client.get_api_url() == server.url
    assert client.get_max_retries() == 5
    assert not client.has_api_key()
