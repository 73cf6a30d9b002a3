# test_models.py: the models (layer 2) as Python users use them: keyword
# construction, JSON round trips, errors as GLib.Error, parameters as dicts.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os

import pytest

import gi

gi.require_version('PrefectCtx', '1.0')
gi.require_version('Json', '1.0')
from gi.repository import GLib, Json, PrefectCtx  # noqa: E402

SAMPLES = os.environ.get('PREFECT_CTX_SAMPLES_DIR',
                         os.path.join(os.path.dirname(__file__), '..', 'samples'))

MODELS = [PrefectCtx.State, PrefectCtx.Flow, PrefectCtx.FlowRun, PrefectCtx.Task,
          PrefectCtx.TaskRun, PrefectCtx.Deployment, PrefectCtx.LogEntry]


def sample(name):
    with open(os.path.join(SAMPLES, name), encoding='utf-8') as f:
        return f.read()


def iso(dt):
    """A GLib.DateTime in the server's format."""
    return dt.format('%Y-%m-%dT%H:%M:%S.%f%:z')


def assert_invalid(excinfo, message):
    err = excinfo.value
    assert isinstance(err, GLib.Error)
    assert err.matches(PrefectCtx.error_quark(), PrefectCtx.Error.INVALID_ARGUMENT), \
        (err.domain, err.code, err.message)
    assert err.message == message


# Construction with keyword properties

def test_state_keywords_and_defaults():
    state = PrefectCtx.State(state_type=PrefectCtx.StateType.RUNNING, message='go')
    assert state.get_state_type() == PrefectCtx.StateType.RUNNING
    assert state.props.state_type == PrefectCtx.StateType.RUNNING
    assert state.get_name() == 'Running'
    assert state.props.message == 'go'
    assert state.get_timestamp() is not None
    assert state.get_timestamp().get_utc_offset() == 0
    assert not state.is_finished()

    named = PrefectCtx.State.new(PrefectCtx.StateType.COMPLETED, 'Cached', None)
    assert named.get_name() == 'Cached'
    assert named.get_message() is None
    assert named.is_finished()


def test_state_types():
    finished = {'COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED'}
    names = ['SCHEDULED', 'PENDING', 'RUNNING', 'COMPLETED', 'FAILED',
             'CANCELLED', 'CRASHED', 'PAUSED', 'CANCELLING']
    for name in names:
        state_type = getattr(PrefectCtx.StateType, name)
        assert PrefectCtx.state_type_to_string(state_type) == name
        ok, parsed = PrefectCtx.state_type_from_string(name)
        assert ok and parsed == state_type
        assert PrefectCtx.state_type_is_finished(state_type) == (name in finished)
        assert PrefectCtx.State.new(state_type, None, None).is_finished() == (name in finished)
    ok, _ = PrefectCtx.state_type_from_string('completed')
    assert not ok


def test_flow_run_keywords():
    start = GLib.DateTime.new_utc(2026, 11, 21, 5, 1, 49.25)
    state = PrefectCtx.State.new(PrefectCtx.StateType.COMPLETED, None, None)
    run = PrefectCtx.FlowRun(
        id='8259f515-0dbd-4c2b-a561-e1db55fe1449',
        name='sample-flow-run',
        flow_id='dbad8680-d921-4f04-9a47-d750e17368c3',
        parameters=GLib.Variant('a{sv}', {'n': GLib.Variant('x', 3),
                                          'who': GLib.Variant('s', 'world')}),
        tags=['b', 'a', 'b'],
        state=state,
        run_count=2,
        start_time=start)
    assert run.get_id() == '8259f515-0dbd-4c2b-a561-e1db55fe1449'
    assert run.props.name == 'sample-flow-run'
    assert run.get_flow_id() == 'dbad8680-d921-4f04-9a47-d750e17368c3'
    assert run.get_parameters().unpack() == {'n': 3, 'who': 'world'}
    assert run.get_tags() == ['a', 'b']
    assert run.props.tags == ['a', 'b']
    assert run.get_state() is state
    assert run.get_run_count() == 2
    assert iso(run.get_start_time()) == '2026-11-21T05:01:49.250000+00:00'
    assert run.get_end_time() is None
    assert run.get_deployment_id() is None


def test_defaults():
    run = PrefectCtx.FlowRun()
    assert run.get_parameters().unpack() == {}
    assert run.get_tags() == []
    assert run.get_state() is None
    assert run.get_run_count() == 0

    task = PrefectCtx.Task.new('add')
    assert task.get_task_key() == 'add'
    assert task.get_retries() == 0
    assert task.get_retry_delay_seconds() == 0.0
    task = PrefectCtx.Task(name='add', task_key='m.add', retries=3, retry_delay_seconds=1.5)
    assert (task.props.task_key, task.props.retries, task.props.retry_delay_seconds) == ('m.add', 3, 1.5)

    assert PrefectCtx.TaskRun().get_map_index() == -1
    assert PrefectCtx.TaskRun(map_index=4).get_map_index() == 4
    assert PrefectCtx.LogEntry().get_level() == 20
    assert PrefectCtx.LogEntry().get_timestamp() is not None
    assert PrefectCtx.Flow.new('f').get_name() == 'f'


def test_properties_are_construct_only():
    for model in MODELS:
        for pspec in model.list_properties():
            assert pspec.flags & gi.repository.GObject.ParamFlags.CONSTRUCT_ONLY, (model, pspec.name)


# JSON

@pytest.mark.parametrize('model, file', [
    (PrefectCtx.FlowRun, 'flow_run_read.json'),
    (PrefectCtx.FlowRun, 'python_flow_run_read.json'),
    (PrefectCtx.Flow, 'flow_read.json'),
    (PrefectCtx.TaskRun, 'task_run_read.json'),
    (PrefectCtx.Deployment, 'deployment_read.json'),
])
def test_round_trip_samples(model, file):
    obj = model.new_from_json(sample(file))
    text = obj.to_json()
    copy = model.new_from_json(text)
    assert copy.to_json() == text

    # Every member written carries the server's value, in the server's names.
    server = json.loads(sample(file))
    ours = json.loads(text)
    for member, value in ours.items():
        if member == 'state':
            for key in ('type', 'name', 'timestamp'):
                assert value[key] == server['state'][key]
        elif member == 'tags':
            assert value == sorted(set(server['tags']))
        else:
            assert value == server[member], member


@pytest.mark.parametrize('model, file', [
    (PrefectCtx.TaskRun, 'task_runs_filter.json'),
    (PrefectCtx.TaskRun, 'python_task_runs_filter.json'),
    (PrefectCtx.LogEntry, 'logs_filter.json'),
    (PrefectCtx.LogEntry, 'python_logs_filter.json'),
    (PrefectCtx.State, 'flow_run_states.json'),
])
def test_round_trip_arrays(model, file):
    items = json.loads(sample(file))
    assert items
    for item in items:
        obj = model.new_from_json(json.dumps(item))
        text = obj.to_json()
        assert model.new_from_json(text).to_json() == text


def test_flow_run_sample_values():
    run = PrefectCtx.FlowRun.new_from_json(sample('flow_run_read.json'))
    assert run.get_name() == 'sample-flow-run'
    assert run.get_parameters().unpack() == {'n': 3}
    assert run.get_tags() == ['sample']
    assert run.get_run_count() == 1
    assert run.get_flow_version() is None
    assert iso(run.get_created()) == '2026-11-21T05:01:49.197991+00:00'
    assert run.get_state().get_state_type() == PrefectCtx.StateType.COMPLETED
    assert run.get_state().is_finished()


def test_json_node():
    parser = Json.Parser()
    parser.load_from_data(sample('flow_run_set_state_completed.json'), -1)
    state_node = parser.get_root().get_object().get_member('state')
    state = PrefectCtx.State.new_from_json_node(state_node)
    assert state.get_state_type() == PrefectCtx.StateType.COMPLETED
    assert iso(state.get_timestamp()) == '2026-11-21T05:01:49.581597+00:00'

    node = state.to_json_node()
    assert isinstance(node, Json.Node)
    assert node.get_node_type() == Json.NodeType.OBJECT
    assert node.get_object().get_string_member('type') == 'COMPLETED'
    assert node.get_object().get_string_member('timestamp') == '2026-11-21T05:01:49.581597+00:00'


def test_state_json_exact():
    text = ('{"type":"COMPLETED","name":"Completed",'
            '"timestamp":"2026-11-21T05:01:49.197991+00:00","message":"ok"}')
    assert PrefectCtx.State.new_from_json(text).to_json() == text


def test_timestamps_in_utc():
    state = PrefectCtx.State.new_from_json(
        '{"type":"RUNNING","timestamp":"2026-11-21T07:01:49.000001+02:00"}')
    assert iso(state.get_timestamp()) == '2026-11-21T05:01:49.000001+00:00'
    assert json.loads(state.to_json())['timestamp'] == '2026-11-21T05:01:49.000001+00:00'


# Parameters

def test_parameters_unpack_to_dict():
    params = {'n': 3, 'f': 1.5, 's': 'x', 'b': True,
              'o': {'a': [1, 'x', None]}, 'z': None, 'e': []}
    run = PrefectCtx.FlowRun.new_from_json(json.dumps({'parameters': params}))
    assert run.get_parameters().get_type_string() == 'a{sv}'
    assert run.get_parameters().unpack() == params
    assert run.props.parameters.unpack() == params
    # and back to the same JSON, null included
    assert json.loads(run.to_json())['parameters'] == params

    deployment = PrefectCtx.Deployment.new_from_json(sample('deployment_read.json'))
    assert deployment.get_parameters().unpack() == {'n': 3}


# Errors

@pytest.mark.parametrize('model, text, message', [
    (PrefectCtx.FlowRun, '[1]', 'Invalid JSON for FlowRun: expected an object, got an array'),
    (PrefectCtx.FlowRun, '{"run_count":"x"}',
     "Field 'run_count' of FlowRun: expected an integer, got a string"),
    (PrefectCtx.FlowRun, '{"tags":"a"}',
     "Field 'tags' of FlowRun: expected an array of strings, got a string"),
    (PrefectCtx.FlowRun, '{"start_time":"soon"}',
     "Field 'start_time' of FlowRun: expected an ISO 8601 timestamp, got 'soon'"),
    (PrefectCtx.FlowRun, '{"parameters":[]}',
     "Field 'parameters' of FlowRun: expected an object, got an array"),
    (PrefectCtx.FlowRun, '{"state":{"type":"DONE"}}',
     "Field 'state' of FlowRun: Field 'type' of State: unknown state type 'DONE'"),
    (PrefectCtx.Flow, '{}', "Field 'name' of Flow: missing"),
    (PrefectCtx.Task, '{"name":"t","retries":-1}',
     "Field 'retries' of Task: -1 is out of range (0 to 2147483647)"),
    (PrefectCtx.LogEntry, '{"level":"INFO"}',
     "Field 'level' of LogEntry: expected an integer, got a string"),
    (PrefectCtx.TaskRun, '{"flow_run_id":7}',
     "Field 'flow_run_id' of TaskRun: expected a string, got an integer"),
    (PrefectCtx.Deployment, '{"name":false}',
     "Field 'name' of Deployment: expected a string, got a boolean"),
])
def test_bad_json_raises(model, text, message):
    with pytest.raises(GLib.Error) as excinfo:
        model.new_from_json(text)
    assert_invalid(excinfo, message)


@pytest.mark.parametrize('model', MODELS)
def test_malformed_json_raises(model):
    with pytest.raises(GLib.Error) as excinfo:
        model.new_from_json('{"name": ')
    err = excinfo.value
    assert err.matches(PrefectCtx.error_quark(), PrefectCtx.Error.INVALID_ARGUMENT)
    assert err.message.startswith('Invalid JSON for ')


# -- Prefect's spelling: attributes, states, reprs, equality -----------------

def test_attributes_as_prefect_reads_them():
    run = PrefectCtx.FlowRun.new_from_json(sample('flow_run_read.json'))
    data = json.loads(sample('flow_run_read.json'))
    assert run.id == data['id'] and run.name == data['name']
    assert run.parameters == data['parameters']          # a dict, not a GLib.Variant
    assert run.tags == data['tags']
    assert run.state.type == PrefectCtx.StateType.COMPLETED
    assert run.state.name == 'Completed'
    assert run.state.timestamp.tzinfo is not None      # an aware datetime
    assert run.state.timestamp.isoformat().startswith(data['state']['timestamp'][:19])
    with pytest.raises(AttributeError, match="'FlowRun' object has no attribute 'nope'"):
        run.nope


def test_state_methods_and_repr():
    failed = PrefectCtx.State.new(PrefectCtx.StateType.FAILED, None, 'boom')
    assert failed.is_failed() and failed.is_final() and not failed.is_completed()
    assert repr(failed) == str(failed) == "Failed('boom')"
    completed = PrefectCtx.State.new(PrefectCtx.StateType.COMPLETED, None, None)
    assert completed.is_completed() and completed.is_final() and repr(completed) == 'Completed()'
    retrying = PrefectCtx.State.new(PrefectCtx.StateType.RUNNING, 'Retrying', None)
    assert retrying.is_running() and not retrying.is_final()
    assert repr(retrying) == 'Retrying(type=RUNNING)'
    run = PrefectCtx.FlowRun(id='0d1e2f30-4152-4637-a8b9-cadbecfd0001', name='brave-otter', state=failed)
    assert repr(run) == "FlowRun(name='brave-otter', id='0d1e2f30-4152-4637-a8b9-cadbecfd0001', " \
                        "state=Failed('boom'))"


def test_models_and_profiles_compare_by_value():
    text = sample('flow_run_read.json')
    a, b = PrefectCtx.FlowRun.new_from_json(text), PrefectCtx.FlowRun.new_from_json(text)
    assert a is not b and a == b and hash(a) == hash(b) and len({a, b}) == 1
    other = PrefectCtx.FlowRun(id=a.id, name='another-name')
    assert a != other
    assert a != PrefectCtx.TaskRun.new_from_json(sample('task_run_read.json'))
    settings = {'PREFECT_API_URL': 'http://p/api'}
    assert PrefectCtx.Profile.new('dev', settings, None) == PrefectCtx.Profile.new('dev', settings, None)
    assert PrefectCtx.Profile.new('dev', settings, None) != PrefectCtx.Profile.new('dev', {}, None)
