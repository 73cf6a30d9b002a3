# test_runtime.py: PrefectCtx.runtime, the prefect.runtime equivalent, as
# Python users use it: attribute access, dir(), AttributeError, native values,
# the PREFECT__RUNTIME__* mocks; and use_profile as a `with` scope.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import datetime
import os
import shutil
import tempfile
import threading

import pytest

# A clean environment before the library makes its root settings context:
# no PREFECT_* of the caller's and a temporary PREFECT_HOME.
for _name in list(os.environ):
    if _name.startswith('PREFECT_'):
        del os.environ[_name]
_TMP = tempfile.mkdtemp(prefix='test-runtime-py-')
os.environ['PREFECT_HOME'] = os.path.join(_TMP, 'home')

import gi  # noqa: E402

gi.require_version('PrefectCtx', '1.0')
from gi.repository import GLib, PrefectCtx  # noqa: E402

runtime = PrefectCtx.runtime
flow_run_mod = PrefectCtx.runtime.flow_run
task_run_mod = PrefectCtx.runtime.task_run
deployment_mod = PrefectCtx.runtime.deployment

FLOW_RUN_ID = '11111111-1111-4111-8111-111111111111'
TASK_RUN_ID = '33333333-3333-4333-8333-333333333333'
PARENT_TASK_RUN_ID = '44444444-4444-4444-8444-444444444444'
PARENT_FLOW_RUN_ID = '55555555-5555-4555-8555-555555555555'
DEPLOYMENT_ID = '66666666-6666-4666-8666-666666666666'
ENV_FLOW_RUN_ID = '77777777-7777-4777-8777-777777777777'
MOCK_MSG = ('This runtime context attribute cannot be mocked using an environment variable. '
            'Please use monkeypatch instead.')
EXPECTED = datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.timezone.utc)


def teardown_module():
    shutil.rmtree(_TMP, ignore_errors=True)


def vardict(**values):
    return GLib.Variant('a{sv}', {k: GLib.Variant('x', v) for k, v in values.items()})


def make_flow_run(id=FLOW_RUN_ID, parent_task_run_id=None, deployment_id=None):
    return PrefectCtx.FlowRun(id=id, name='crimson-fox', flow_version='run-version',
                              tags=['b', 'a'], parameters=vardict(x=1),
                              parent_task_run_id=parent_task_run_id,
                              deployment_id=deployment_id, run_count=3,
                              expected_start_time=GLib.DateTime.new_utc(2024, 5, 1, 12, 30, 0))


def task_context(task_run_id=TASK_RUN_ID, flow_run_id=FLOW_RUN_ID):
    task_run = PrefectCtx.TaskRun(id=task_run_id, name='my-task-0', flow_run_id=flow_run_id,
                                  tags=['t2', 't1'], run_count=2)
    return PrefectCtx.TaskRunContext.new(PrefectCtx.Task.new('my-task'), task_run, vardict(y=2))


def settings_scope(monkeypatch, api_url=None, ui_url=None):
    """A use_profile scope whose settings have these URLs (environment wins,
    and the environment is where they are put)."""
    for name, value in (('PREFECT_API_URL', api_url), ('PREFECT_UI_URL', ui_url)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    profile = PrefectCtx.Profile.new('test', None, None)
    return PrefectCtx.use_profile(profile, include_current_context=False)


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    """No run context and no mock before and after each test."""
    for name in list(os.environ):
        if name.startswith('PREFECT__'):
            monkeypatch.delenv(name)
    assert PrefectCtx.FlowRunContext.get_current() is None
    assert PrefectCtx.TaskRunContext.get_current() is None
    yield
    assert PrefectCtx.FlowRunContext.get_current() is None
    assert PrefectCtx.TaskRunContext.get_current() is None


def assert_now(value):
    assert isinstance(value, datetime.datetime)
    assert value.utcoffset() == datetime.timedelta(0)
    delta = datetime.datetime.now(datetime.timezone.utc) - value
    assert datetime.timedelta(0) <= delta < datetime.timedelta(seconds=60)


# ---------------------------------------------------------------------------
# Modules and attributes


def test_modules_and_dir():
    assert dir(runtime) == ['deployment', 'flow_run', 'task_run']
    assert dir(flow_run_mod) == sorted([
        'id', 'tags', 'scheduled_start_time', 'name', 'flow_name', 'flow_version',
        'parameters', 'parent_flow_run_id', 'parent_deployment_id', 'root_flow_run_id',
        'run_count', 'api_url', 'ui_url', 'job_variables'])
    assert dir(task_run_mod) == sorted([
        'id', 'name', 'tags', 'parameters', 'run_count', 'task_name', 'api_url', 'ui_url'])
    assert dir(deployment_mod) == ['flow_run_id', 'id', 'name', 'parameters', 'version']
    assert flow_run_mod.__name__ == 'prefect.runtime.flow_run'
    assert not PrefectCtx.runtime_list_attributes('nope')  # NULL: an empty list


def test_unknown_attribute():
    with pytest.raises(AttributeError) as excinfo:
        flow_run_mod.nope
    assert str(excinfo.value) == "prefect.runtime.flow_run has no attribute 'nope'"
    assert not hasattr(task_run_mod, 'fake_key')
    assert getattr(deployment_mod, 'flow_name', 'default') == 'default'


def test_unknown_module():
    with pytest.raises(GLib.Error) as excinfo:
        PrefectCtx.runtime_get('flow', 'id')
    assert excinfo.value.matches(PrefectCtx.error_quark(), PrefectCtx.Error.INVALID_ARGUMENT)


def test_empty_values():
    assert flow_run_mod.id is None
    assert flow_run_mod.tags == []
    assert_now(flow_run_mod.scheduled_start_time)
    assert flow_run_mod.name is None
    assert flow_run_mod.flow_name is None
    assert flow_run_mod.flow_version is None
    assert flow_run_mod.parameters == {}
    assert flow_run_mod.parent_flow_run_id is None
    assert flow_run_mod.parent_deployment_id is None
    assert flow_run_mod.root_flow_run_id is None
    assert flow_run_mod.run_count == 0
    assert flow_run_mod.api_url is None
    assert flow_run_mod.ui_url is None
    assert flow_run_mod.job_variables is None

    assert task_run_mod.id is None
    assert task_run_mod.name is None
    assert task_run_mod.tags == []
    assert task_run_mod.parameters == {}
    assert task_run_mod.run_count == 0
    assert task_run_mod.task_name is None
    assert task_run_mod.api_url is None
    assert task_run_mod.ui_url is None

    assert deployment_mod.id is None
    assert deployment_mod.flow_run_id is None
    assert deployment_mod.name is None
    assert deployment_mod.version is None
    assert deployment_mod.parameters == {}


# ---------------------------------------------------------------------------
# Values from the contexts


def test_flow_run_values(monkeypatch):
    flow = PrefectCtx.Flow(name='my-flow', version='flow-version')
    ctx = PrefectCtx.FlowRunContext(flow=flow, flow_run=make_flow_run(deployment_id=DEPLOYMENT_ID),
                                    parameters={'p': 7, 'nested': {'a': [1, 2]}})
    with ctx, settings_scope(monkeypatch, 'http://api.test/api', 'http://ui.test'):
        assert flow_run_mod.id == FLOW_RUN_ID
        assert flow_run_mod.tags == ['a', 'b']
        assert flow_run_mod.scheduled_start_time == EXPECTED
        assert flow_run_mod.name == 'crimson-fox'
        assert flow_run_mod.flow_name == 'my-flow'
        assert flow_run_mod.flow_version == 'flow-version'
        assert flow_run_mod.parameters == {'p': 7, 'nested': {'a': [1, 2]}}
        assert flow_run_mod.parent_flow_run_id is None
        assert flow_run_mod.parent_deployment_id is None
        assert flow_run_mod.root_flow_run_id == FLOW_RUN_ID
        assert flow_run_mod.run_count == 3
        assert flow_run_mod.api_url == 'http://api.test/api/flow-runs/flow-run/' + FLOW_RUN_ID
        assert flow_run_mod.ui_url == 'http://ui.test/flow-runs/flow-run/' + FLOW_RUN_ID
        assert flow_run_mod.job_variables is None

        assert deployment_mod.id == DEPLOYMENT_ID
        assert deployment_mod.flow_run_id == FLOW_RUN_ID
        # The deployment is read from the server, which cannot be reached
        # here: an error, as Prefect raises (None would mean no deployment).
        with pytest.raises(GLib.Error, match='Cannot read the deployment ' + DEPLOYMENT_ID):
            deployment_mod.name
        assert deployment_mod.parameters == {'x': 1}
    assert flow_run_mod.id is None


def test_flow_run_id_sources(monkeypatch):
    monkeypatch.setenv('PREFECT__FLOW_RUN_ID', ENV_FLOW_RUN_ID)
    assert flow_run_mod.id == ENV_FLOW_RUN_ID
    assert deployment_mod.flow_run_id == ENV_FLOW_RUN_ID
    with task_context(flow_run_id=PARENT_FLOW_RUN_ID):
        assert flow_run_mod.id == PARENT_FLOW_RUN_ID
        # deployment.flow_run_id ignores the task context
        assert deployment_mod.flow_run_id == ENV_FLOW_RUN_ID
        with PrefectCtx.FlowRunContext(flow_run=make_flow_run()):
            assert flow_run_mod.id == FLOW_RUN_ID
    monkeypatch.delenv('PREFECT__FLOW_RUN_ID')
    assert flow_run_mod.id is None


def test_parent_flow_run(monkeypatch):
    subflow_run = make_flow_run(parent_task_run_id=PARENT_TASK_RUN_ID)
    with task_context(PARENT_TASK_RUN_ID, PARENT_FLOW_RUN_ID), \
            PrefectCtx.FlowRunContext(flow_run=subflow_run):
        assert flow_run_mod.parent_flow_run_id == PARENT_FLOW_RUN_ID
        assert flow_run_mod.root_flow_run_id == PARENT_FLOW_RUN_ID
        assert flow_run_mod.parent_deployment_id is None
    with PrefectCtx.FlowRunContext(flow_run=subflow_run):
        assert flow_run_mod.parent_flow_run_id is None
        assert flow_run_mod.root_flow_run_id == FLOW_RUN_ID


def test_task_run_values(monkeypatch):
    with task_context(), settings_scope(monkeypatch, 'http://api.test/api', 'http://ui.test'):
        assert task_run_mod.id == TASK_RUN_ID
        assert task_run_mod.name == 'my-task-0'
        assert task_run_mod.tags == ['t1', 't2']
        assert task_run_mod.parameters == {'y': 2}
        assert task_run_mod.run_count == 2
        assert task_run_mod.task_name == 'my-task'
        assert task_run_mod.api_url == 'http://api.test/api/runs/task-run/' + TASK_RUN_ID
        assert task_run_mod.ui_url == 'http://ui.test/runs/task-run/' + TASK_RUN_ID
        assert flow_run_mod.id == FLOW_RUN_ID
    assert task_run_mod.id is None


def test_urls_need_the_settings(monkeypatch):
    with PrefectCtx.FlowRunContext(flow_run=make_flow_run()):
        with settings_scope(monkeypatch):
            assert flow_run_mod.api_url is None
            assert flow_run_mod.ui_url is None
        with settings_scope(monkeypatch, 'http://127.0.0.1:4200/api'):
            assert flow_run_mod.api_url == 'http://127.0.0.1:4200/api/flow-runs/flow-run/' + FLOW_RUN_ID


def test_threads():
    seen = []
    with PrefectCtx.FlowRunContext(flow_run=make_flow_run()):
        snapshot = PrefectCtx.Snapshot.capture()
        bare = threading.Thread(target=lambda: seen.append(flow_run_mod.id))
        carried = threading.Thread(target=lambda: seen.append(snapshot.run(lambda: flow_run_mod.id)))
        bare.start()
        bare.join()
        carried.start()
        carried.join()
    assert seen == [None, FLOW_RUN_ID]


# ---------------------------------------------------------------------------
# Mocks


def test_mock_unknown_attribute(monkeypatch):
    monkeypatch.setenv('PREFECT__RUNTIME__TASK_RUN__FAKE_KEY', 'foo')
    assert task_run_mod.fake_key == 'foo'
    with pytest.raises(AttributeError):
        flow_run_mod.fake_key
    monkeypatch.delenv('PREFECT__RUNTIME__TASK_RUN__FAKE_KEY')
    with pytest.raises(AttributeError):
        task_run_mod.fake_key


def test_mock_strings(monkeypatch):
    monkeypatch.setenv('PREFECT__RUNTIME__FLOW_RUN__NAME', 'mocked')
    monkeypatch.setenv('PREFECT__RUNTIME__DEPLOYMENT__VERSION', 'v9')
    assert flow_run_mod.name == 'mocked'
    assert deployment_mod.version == 'v9'
    with PrefectCtx.FlowRunContext(flow_run=make_flow_run()):
        assert flow_run_mod.name == 'mocked'
    monkeypatch.delenv('PREFECT__RUNTIME__FLOW_RUN__NAME')
    assert flow_run_mod.name is None
    # None -> str, as in Prefect: job_variables is None outside a flow run
    monkeypatch.setenv('PREFECT__RUNTIME__FLOW_RUN__JOB_VARIABLES', '{}')
    assert flow_run_mod.job_variables == '{}'


def test_mock_int(monkeypatch):
    monkeypatch.setenv('PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT', '42')
    assert flow_run_mod.run_count == 42
    assert isinstance(flow_run_mod.run_count, int)
    monkeypatch.setenv('PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT', 'abc')
    with pytest.raises(ValueError) as excinfo:
        flow_run_mod.run_count
    assert 'PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT' in str(excinfo.value)
    monkeypatch.setenv('PREFECT__RUNTIME__TASK_RUN__RUN_COUNT', '7')
    assert task_run_mod.run_count == 7


def test_mock_datetime(monkeypatch):
    key = 'PREFECT__RUNTIME__FLOW_RUN__SCHEDULED_START_TIME'
    monkeypatch.setenv(key, '2024-01-02T03:04:05')
    value = flow_run_mod.scheduled_start_time
    assert value == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    assert value.tzinfo is not None
    monkeypatch.setenv(key, '2024-01-02T03:04:05+02:00')
    assert flow_run_mod.scheduled_start_time == datetime.datetime(
        2024, 1, 2, 1, 4, 5, tzinfo=datetime.timezone.utc)
    monkeypatch.setenv(key, 'not a date')
    with pytest.raises(ValueError) as excinfo:
        flow_run_mod.scheduled_start_time
    assert key in str(excinfo.value)


@pytest.mark.parametrize('module,attribute', [
    ('flow_run', 'tags'), ('flow_run', 'parameters'),
    ('task_run', 'tags'), ('task_run', 'parameters'),
    ('deployment', 'parameters'),
])
def test_mock_list_and_dict(monkeypatch, module, attribute):
    monkeypatch.setenv('PREFECT__RUNTIME__%s__%s' % (module.upper(), attribute.upper()), 'x')
    with pytest.raises(ValueError) as excinfo:
        getattr(getattr(runtime, module), attribute)
    assert str(excinfo.value) == MOCK_MSG


def test_monkeypatch(monkeypatch):
    monkeypatch.setattr(flow_run_mod, 'tags', ['patched'])
    assert flow_run_mod.tags == ['patched']
    monkeypatch.undo()
    assert flow_run_mod.tags == []


def test_runtime_get_raw():
    # The introspected function: a GLib.Variant, None for None.
    assert PrefectCtx.runtime_get('flow_run', 'id') is None
    value = PrefectCtx.runtime_get('flow_run', 'scheduled_start_time')
    assert value.get_type_string() == 's' and value.unpack().endswith('Z')
    assert PrefectCtx.runtime_get_attribute_type('flow_run', 'scheduled_start_time') == 'datetime'
    assert PrefectCtx.runtime_flow_run_get_run_count() == 0
    assert PrefectCtx.runtime_flow_run_get_tags() == []


# ---------------------------------------------------------------------------
# use_profile as a scope


def test_use_profile_scope(monkeypatch):
    monkeypatch.setenv('PREFECT_API_URL', 'http://env.test/api')
    profile = PrefectCtx.Profile.new('p', {'PREFECT_API_URL': 'http://profile.test/api',
                                           'PREFECT_LOGGING_LEVEL': 'DEBUG'}, None)
    before = PrefectCtx.SettingsContext.get_current()
    # Built on the environment, not on the root context: when the root was
    # made (before or after the setenv above) depends on the tests before.
    with PrefectCtx.use_profile(profile, include_current_context=False) as ctx:
        assert PrefectCtx.SettingsContext.get_current() is ctx
        assert ctx.get_profile() is profile
        settings = ctx.get_settings()
        assert settings.get_api_url() == 'http://env.test/api'   # the environment wins
        assert settings.get_logging_level() == 'DEBUG'
        with PrefectCtx.use_profile(profile, override_environment_variables=True) as inner:
            assert inner.get_settings().get_api_url() == 'http://profile.test/api'
        assert PrefectCtx.SettingsContext.get_current() is ctx
    assert PrefectCtx.SettingsContext.get_current() is before
    with pytest.raises(TypeError) as excinfo:
        with PrefectCtx.use_profile(42):
            pass
    assert str(excinfo.value) == "Unexpected type 'int' for `profile`. Expected 'str' or 'Profile'."
    with pytest.raises(GLib.Error) as excinfo:
        with PrefectCtx.use_profile('no-such-profile'):
            pass
    assert excinfo.value.matches(PrefectCtx.error_quark(), PrefectCtx.Error.NOT_FOUND)


def test_use_profile_scope_reused():
    """One use_profile scope, nested in itself and on another thread: each
    ``with`` enters its own SettingsContext and exits it."""
    profile = PrefectCtx.Profile.new('p', {'PREFECT_LOGGING_LEVEL': 'DEBUG'}, None)
    before = PrefectCtx.SettingsContext.get_current()
    scope = PrefectCtx.use_profile(profile, include_current_context=False)
    seen = []

    def other_thread():
        with scope as ctx:
            seen.append((ctx, scope.context, PrefectCtx.SettingsContext.get_current()))

    assert scope.context is None
    with scope as outer:
        assert scope.context is outer
        with scope as inner:
            assert inner is not outer
            assert scope.context is inner
            assert PrefectCtx.SettingsContext.get_current() is inner
        assert scope.context is outer
        assert PrefectCtx.SettingsContext.get_current() is outer
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
        assert scope.context is outer
    assert scope.context is None
    assert PrefectCtx.SettingsContext.get_current() is before
    (ctx, in_scope, current), = seen
    assert in_scope is ctx and current is ctx and ctx is not outer
    assert not ctx.is_entered()
