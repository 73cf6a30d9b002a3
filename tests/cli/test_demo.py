# test_demo.py: the demo, as `prefectctx demo` and as examples/demo.py and
# examples/demo.js, each run in a fresh PREFECT_HOME; then the tool reads back
# what each of them recorded.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

PREFECTCTX = os.environ.get('PREFECTCTX', 'prefectctx')
EXAMPLES = os.environ.get('PREFECT_CTX_EXAMPLES_DIR',
                          os.path.join(os.path.dirname(__file__), '..', '..', 'examples'))
GJS = os.environ.get('GJS') or shutil.which('gjs')


@pytest.fixture
def env(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith('PREFECT_') or
                   k in ('PREFECT_CTX_EXAMPLES_DIR',)}
    environment['PREFECT_HOME'] = str(tmp_path / 'home')
    environment['LC_ALL'] = 'C.UTF-8'
    return environment


def run(argv, env, timeout=120):
    completed = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout)
    return completed


def check(completed):
    assert completed.returncode == 0, 'status %d\n--- stdout\n%s--- stderr\n%s' % (
        completed.returncode, completed.stdout, completed.stderr)
    return completed.stdout


def narration(out):
    """The narrated lines, as {run name: [(thread, tags, custom, what)]}."""
    lines = out.splitlines()
    seen = {}
    pattern = re.compile(r'^  (task run|flow run) (\S+)\s+(main|worker)\s+tags (\{.*?\})\s+custom (\{.*\})$')
    for i, line in enumerate(lines):
        match = pattern.match(line)
        if match:
            key = match.group(2) if match.group(1) == 'task run' else 'flow:' + match.group(2)
            seen.setdefault(key, []).append((match.group(3), match.group(4), match.group(5),
                                             lines[i + 1].strip()))
    return seen


def check_narration(out, workers):
    seen = narration(out)
    base = '{request_id=req-42, team=data}'
    assert seen['extract-0'] == [('main', '{demo, etl}', base, 'reads 3 batches from orders.csv')], seen
    for batch in range(3):
        (thread, tags, custom, what), = seen['transform-%d' % batch]
        # submitted tasks see the tags and custom context of their caller
        assert (tags, custom) == ('{demo, etl, nightly}', base), seen
        assert thread == ('worker' if workers else 'main'), seen
        assert what == 'transforms batch %d: %d rows' % (batch, (batch + 1) * 100)
    publish = seen['publish-0']
    assert [entry[3] for entry in publish] == [
        'attempt 1: the warehouse is busy, fails (retried)', 'attempt 2: publishes 600 rows']
    assert all(entry[2] == '{request_id=req-42, stage=publish, team=data}' for entry in publish)
    assert seen['summarize-0'][0][3].startswith('summarizes in a subflow whose parent flow run is ')
    flows = [key for key in seen if key.startswith('flow:')]
    assert len(flows) == 2, seen
    assert 'The flow run returned 600.' in out


def check_store(env):
    """What the tool reads back: the demo flow run and its subflow."""
    runs = json.loads(check(run([PREFECTCTX, '--json', 'flow-run', 'ls'], env)))
    assert len(runs) == 2, runs
    demo_run = next(r for r in runs if r.get('parent_task_run_id') is None)
    subflow = next(r for r in runs if r.get('parent_task_run_id') is not None)
    assert demo_run['state']['type'] == 'COMPLETED' and subflow['state']['type'] == 'COMPLETED'
    assert demo_run['parameters'] == {'source': 'orders.csv', 'batches': 3}
    assert demo_run['tags'] == ['demo']

    inspected = json.loads(check(run([PREFECTCTX, '--json', 'flow-run', 'inspect', demo_run['id']], env)))
    assert inspected['flow']['name'] == 'etl-demo'
    # The subflow's parent task run is named as the server names a task run
    # given no name, as for Prefect's engine: two random words.
    report = next(t for t in inspected['task_runs'] if t['id'] == subflow['parent_task_run_id'])
    assert re.fullmatch(r'[a-z]+-[a-z]+', report['name']), report
    assert report['tags'] == []
    names = [t['name'] for t in inspected['task_runs'] if t is not report]
    assert sorted(names) == ['extract-0', 'publish-0',
                             'transform-0', 'transform-1', 'transform-2'], names
    publish = next(t for t in inspected['task_runs'] if t['name'] == 'publish-0')
    assert publish['run_count'] == 2
    assert [s['name'] for s in inspected['task_run_states'][publish['id']]] == \
        ['Pending', 'Running', 'AwaitingRetry', 'Retrying', 'Completed']
    for task_run in inspected['task_runs']:
        if task_run['name'].startswith('transform-'):
            assert sorted(task_run['tags']) == ['demo', 'etl', 'nightly']

    logs = check(run([PREFECTCTX, 'flow-run', 'logs', demo_run['id']], env))
    assert "| INFO    | Task run 'transform-1' - Batch 1: 200 rows transformed\n" in logs
    assert "| INFO    | Task run 'publish-0' - Warehouse busy on attempt 1\n" in logs
    assert "| ERROR   | Task run 'publish-0' - Task run failed with exception: " in logs
    assert "| INFO    | Flow run '%s' - Demo finished: 600 rows published\n" % demo_run['name'] in logs
    sublogs = check(run([PREFECTCTX, 'flow-run', 'logs', subflow['id']], env))
    assert "| INFO    | Task run 'summarize-0' - Summary: 600 rows published\n" in sublogs


def test_prefectctx_demo(env):
    out = check(run([PREFECTCTX, 'demo'], env))
    assert out.startswith("Running the demo flow 'etl-demo' on the run store %s/prefectctx.db\n"
                          % env['PREFECT_HOME'])
    check_narration(out, workers=True)
    # then the recorded flow run: view, task runs with states and durations, logs
    assert '\nWhat the run store recorded:\n' in out
    assert re.search(r"\nFlow run '[a-z]+-[a-z]+'\n  id +[0-9a-f-]{36}\n  flow +etl-demo\n  state +Completed\n", out), out
    assert 'Task runs (6, 6 finished):\n' in out
    assert re.search(r'\n  publish-0 +Completed +2 +\d+\.\d{3}s +demo +[0-9a-f-]{36}\n', out), out
    assert '  publish-0: Pending -> Running -> AwaitingRetry (Task run encountered an exception Warehouse busy (try again)) -> Retrying -> Completed\n' in out
    assert re.search(r"\| INFO    \| Task run 'transform-0' - Batch 0: 100 rows transformed\n", out), out
    assert re.search(r"\nThe subflow \(the task run '[a-z]+-[a-z]+' above\):\n", out), out
    assert re.search(r'\n  flow +report\n', out), out
    assert '\nSee it again with:\n  prefectctx flow-run ls\n' in out
    check_store(env)


def test_prefectctx_demo_json(env):
    data = json.loads(check(run([PREFECTCTX, 'demo', '--json'], env)))
    assert data['result'] == 600
    assert data['store'] == env['PREFECT_HOME'] + '/prefectctx.db'
    assert len(data['flow_run']['task_runs']) == 6
    assert data['flow_run']['flow']['name'] == 'etl-demo'
    assert data['subflow_run']['flow']['name'] == 'report'
    assert any(entry['message'] == 'Demo finished: 600 rows published' for entry in data['flow_run']['logs'])


def test_prefectctx_demo_twice(env):
    check(run([PREFECTCTX, 'demo'], env))
    check(run([PREFECTCTX, 'demo'], env))
    runs = json.loads(check(run([PREFECTCTX, '--json', 'flow-run', 'ls'], env)))
    assert len(runs) == 4


def test_demo_python(env):
    out = check(run([sys.executable, os.path.join(EXAMPLES, 'demo.py')], env))
    check_narration(out, workers=True)
    assert '    publish-0      Completed  runs 2' in out
    assert 'Pending -> Running -> AwaitingRetry -> Retrying -> Completed' in out
    check_store(env)


@pytest.mark.skipif(GJS is None, reason='gjs not found')
def test_demo_gjs(env):
    out = check(run([GJS, '-m', os.path.join(EXAMPLES, 'demo.js')], env))
    # gjs runs JavaScript on one thread: the transform tasks are called in turn
    check_narration(out, workers=False)
    assert '    publish-0      Completed  runs 2' in out
    check_store(env)


def test_prefectctx_demo_on_a_server(env):
    """With PREFECT_API_URL set, the demo says it runs on that server (the
    C suite's fake, run as a program) and records there."""
    fake = subprocess.Popen([os.environ['FAKE_PREFECT_SERVER']], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        url = fake.stdout.readline().strip()
        server_env = dict(env, PREFECT_API_URL=url)
        out = check(run([PREFECTCTX, 'demo'], server_env))
        assert out.startswith("Running the demo flow 'etl-demo' on the Prefect server at %s\n" % url), out
        data = json.loads(check(run([PREFECTCTX, '--json', 'flow-run', 'ls'], server_env)))
        assert len(data) == 2, data
        assert json.loads(check(run([PREFECTCTX, 'demo', '--json'], server_env)))['store'] == url
        assert not os.path.exists(os.path.join(env['PREFECT_HOME'], 'prefectctx.db'))
    finally:
        fake.stdin.close()
        fake.wait(timeout=10)
