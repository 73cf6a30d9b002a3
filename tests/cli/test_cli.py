# test_cli.py: the prefectctx command-line tool, run as a program
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Every test runs the built `prefectctx` (PREFECTCTX) in a fresh PREFECT_HOME
# with no other PREFECT_* variable, and checks its output and exit status:
# 0 on success, 1 when the command fails, 2 for a usage error. The run store
# is made by the test through the library (PyGObject), so the expected output
# is known exactly.
import json
import os
import subprocess

import pytest

PREFECTCTX = os.environ.get('PREFECTCTX', 'prefectctx')

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class Result:
    def __init__(self, completed):
        self.status = completed.returncode
        self.out = completed.stdout
        self.err = completed.stderr

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return 'status %d\n--- stdout\n%s--- stderr\n%s' % (self.status, self.out, self.err)


@pytest.fixture
def home(tmp_path):
    path = tmp_path / 'prefect-home'
    path.mkdir()
    return path


@pytest.fixture
def env(home):
    environment = {k: v for k, v in os.environ.items() if not k.startswith('PREFECT')}
    environment['PREFECT_HOME'] = str(home)
    environment['LC_ALL'] = 'C.UTF-8'
    return environment


@pytest.fixture
def run(env):
    def run_tool(*args, extra_env=None, timeout=60):
        environment = dict(env)
        if extra_env:
            environment.update(extra_env)
        completed = subprocess.run([PREFECTCTX] + list(args), env=environment,
                                   capture_output=True, text=True, timeout=timeout)
        return Result(completed)
    return run_tool


def assert_usage_error(result, prgname, message):
    assert result.status == EXIT_USAGE, result
    assert result.out == '', result
    assert ('%s: %s' % (prgname, message)) in result.err, result
    assert ("Try '%s --help' for more information." % prgname) in result.err, result


# ---------------------------------------------------------------------------
# The command line: help, usage errors
# ---------------------------------------------------------------------------

def test_help_lists_commands(run):
    result = run('--help')
    assert result.status == EXIT_OK, result
    assert result.out.startswith('Usage:\n  prefectctx [OPTION…] COMMAND\n'), result
    for command in ('demo', 'flow-run', 'profile', 'runtime'):
        assert '\n  %s ' % command in result.out, result
    for option in ('--profile=NAME', '--json', '--version', '-h, --help'):
        assert option in result.out, result
    assert result.err == ''


@pytest.mark.parametrize('args, usage, option', [
    (['flow-run', '--help'], 'prefectctx flow-run [OPTION…] COMMAND', None),
    (['flow-run', 'ls', '--help'], 'prefectctx flow-run ls [OPTION…]', '--limit=N'),
    (['flow-run', 'ls', '-h'], 'prefectctx flow-run ls [OPTION…]', '--state=TYPE'),
    (['flow-run', 'inspect', '--help'], 'prefectctx flow-run inspect [OPTION…] ID', None),
    (['flow-run', 'logs', '--help'], 'prefectctx flow-run logs [OPTION…] ID', '--head=N'),
    (['profile', '--help'], 'prefectctx profile [OPTION…] COMMAND', None),
    (['profile', 'ls', '--help'], 'prefectctx profile ls [OPTION…]', None),
    (['profile', 'inspect', '--help'], 'prefectctx profile inspect [OPTION…] [NAME]', None),
    (['profile', 'use', '--help'], 'prefectctx profile use [OPTION…] NAME', None),
    (['profile', 'create', '--help'], 'prefectctx profile create [OPTION…] NAME', '--from=OTHER'),
    (['profile', 'delete', '--help'], 'prefectctx profile delete [OPTION…] NAME', None),
    (['runtime', '--help'], 'prefectctx runtime [OPTION…] [MODULE[.ATTRIBUTE]…]', None),
    (['demo', '--help'], 'prefectctx demo [OPTION…]', None),
    # --help wins over missing arguments and goes anywhere in a command's arguments
    (['flow-run', 'inspect', 'some-id', '--help'], 'prefectctx flow-run inspect [OPTION…] ID', None),
])
def test_help_at_every_level(run, args, usage, option):
    result = run(*args)
    assert result.status == EXIT_OK, result
    assert result.out.startswith('Usage:\n  %s\n' % usage), result
    # the global options are accepted at every level
    assert '--profile=NAME' in result.out and '--json' in result.out, result
    if option:
        assert option in result.out, result
    assert result.err == ''


def test_group_help_lists_subcommands(run):
    result = run('flow-run', '--help')
    for command in ('ls', 'inspect', 'logs'):
        assert '\n  %s ' % command in result.out, result
    result = run('profile', '--help')
    for command in ('ls', 'inspect', 'use', 'create', 'delete'):
        assert '\n  %s ' % command in result.out, result


def test_version(run):
    result = run('--version')
    assert result.status == EXIT_OK, result
    assert result.out.startswith('prefectctx '), result


@pytest.mark.parametrize('args, prgname, message', [
    ([], 'prefectctx', 'Missing command'),
    (['bogus'], 'prefectctx', "Unknown command 'bogus'"),
    (['--bogus'], 'prefectctx', 'Unknown option --bogus'),
    (['flow-run'], 'prefectctx flow-run', 'Missing command'),
    (['flow-run', 'bogus'], 'prefectctx flow-run', "Unknown command 'bogus'"),
    (['flow-run', 'ls', '--bogus'], 'prefectctx flow-run ls', 'Unknown option --bogus'),
    (['flow-run', 'ls', '--limit'], 'prefectctx flow-run ls', 'Missing argument for --limit'),
    (['flow-run', 'ls', '--limit', 'many'], 'prefectctx flow-run ls', 'Cannot parse integer value'),
    (['flow-run', 'ls', '--limit', '0'], 'prefectctx flow-run ls', '--limit must be at least 1, not 0'),
    (['flow-run', 'ls', '--state', 'BOGUS'], 'prefectctx flow-run ls', "Unknown state type 'BOGUS'"),
    (['flow-run', 'ls', 'extra'], 'prefectctx flow-run ls', 'Too many arguments'),
    (['flow-run', 'inspect'], 'prefectctx flow-run inspect', 'Missing argument ID'),
    (['flow-run', 'inspect', 'a', 'b'], 'prefectctx flow-run inspect', 'Too many arguments'),
    (['flow-run', 'logs'], 'prefectctx flow-run logs', 'Missing argument ID'),
    (['flow-run', 'logs', 'x', '--head', '-1'], 'prefectctx flow-run logs', '--head must be at least 1, not -1'),
    (['profile'], 'prefectctx profile', 'Missing command'),
    (['profile', 'use'], 'prefectctx profile use', 'Missing argument NAME'),
    (['profile', 'create'], 'prefectctx profile create', 'Missing argument NAME'),
    (['profile', 'delete'], 'prefectctx profile delete', 'Missing argument NAME'),
    (['profile', 'ls', 'extra'], 'prefectctx profile ls', 'Too many arguments'),
    (['profile', 'inspect', 'a', 'b'], 'prefectctx profile inspect', 'Too many arguments'),
    (['profile', 'create', 'x', '--from'], 'prefectctx profile create', 'Missing argument for --from'),
    (['runtime', 'nope'], 'prefectctx runtime', "Unknown runtime module 'nope'"),
    (['runtime', 'nope.id'], 'prefectctx runtime', "Unknown runtime module 'nope'"),
    (['demo', 'extra'], 'prefectctx demo', 'Too many arguments'),
    (['--profile'], 'prefectctx', 'Missing argument for --profile'),
])
def test_usage_errors(run, args, prgname, message):
    assert_usage_error(run(*args), prgname, message)


def test_usage_errors_touch_nothing(run, home):
    run('profile', 'use')
    run('flow-run', 'ls', '--limit', '0')
    assert list(home.iterdir()) == []


def test_global_options_anywhere(run, home):
    (home / 'profiles.toml').write_text('active = "default"\n\n[profiles.other]\n'
                                        'PREFECT_API_URL = "http://other/api"\n')
    for args in (['--profile', 'other', '--json', 'profile', 'ls'],
                 ['profile', '--json', '--profile=other', 'ls'],
                 ['profile', 'ls', '--json', '--profile', 'other']):
        result = run(*args)
        assert result.status == EXIT_OK, result
        assert result.json()['active'] == 'other', result


# ---------------------------------------------------------------------------
# profile
# ---------------------------------------------------------------------------

PROFILES = '''active = "dev"

[profiles.default]

[profiles.dev]
PREFECT_API_URL = "http://127.0.0.1:4200/api"
PREFECT_LOGGING_LEVEL = "DEBUG"

[profiles.cloud]
PREFECT_API_URL = "https://api.prefect.cloud/api/accounts/a/workspaces/w"
PREFECT_API_KEY = "pnu_verysecretkey"
'''


@pytest.fixture
def profiles(home):
    path = home / 'profiles.toml'
    path.write_text(PROFILES)
    return path


def test_profile_ls_without_file(run, home):
    result = run('profile', 'ls')
    assert result.status == EXIT_OK, result
    assert result.out == '* default\n'
    assert not (home / 'profiles.toml').exists()


def test_profile_ls(run, profiles):
    result = run('profile', 'ls')
    assert result.status == EXIT_OK, result
    assert result.out == '  default\n* dev\n  cloud\n'
    assert result.err == ''


def test_profile_ls_json(run, profiles):
    result = run('--json', 'profile', 'ls')
    assert result.status == EXIT_OK, result
    assert result.json() == {'path': str(profiles), 'active': 'dev',
                             'profiles': ['default', 'dev', 'cloud']}


def test_profile_ls_marks_profile_in_use(run, profiles):
    assert run('profile', 'ls', extra_env={'PREFECT_PROFILE': 'cloud'}).out == \
        '  default\n  dev\n* cloud\n'
    # the command line wins over the environment
    assert run('--profile', 'default', 'profile', 'ls', extra_env={'PREFECT_PROFILE': 'cloud'}).out == \
        '* default\n  dev\n  cloud\n'


def test_profile_unknown_on_command_line(run, profiles):
    result = run('--profile', 'nope', 'profile', 'ls')
    assert result.status == EXIT_OK, result
    assert "WARNING: Active profile 'nope' set by command line argument not found. " \
           "The default profile will be used instead." in result.err
    assert result.out.startswith('* default\n')


def test_profile_inspect_redacts_api_key(run, profiles):
    result = run('profile', 'inspect', 'cloud')
    assert result.status == EXIT_OK, result
    assert result.out == ("PREFECT_API_KEY='********'\n"
                          "PREFECT_API_URL='https://api.prefect.cloud/api/accounts/a/workspaces/w'\n")
    assert 'verysecret' not in result.out + result.err
    result = run('--json', 'profile', 'inspect', 'cloud')
    assert result.status == EXIT_OK, result
    assert result.json() == {
        'name': 'cloud', 'active': False,
        'settings': {'PREFECT_API_KEY': '********',
                     'PREFECT_API_URL': 'https://api.prefect.cloud/api/accounts/a/workspaces/w'}}


def test_profile_inspect_current(run, profiles):
    result = run('profile', 'inspect')
    assert result.status == EXIT_OK, result
    assert result.out == "PREFECT_API_URL='http://127.0.0.1:4200/api'\nPREFECT_LOGGING_LEVEL='DEBUG'\n"
    assert run('--profile', 'cloud', '--json', 'profile', 'inspect').json()['name'] == 'cloud'


def test_profile_inspect_empty(run, profiles):
    result = run('profile', 'inspect', 'default')
    assert result.status == EXIT_OK, result
    assert result.out == "Profile 'default' is empty.\n"


def test_profile_inspect_unknown(run, profiles):
    result = run('profile', 'inspect', 'nope')
    assert result.status == EXIT_FAILURE, result
    assert result.out == ''
    assert result.err == "prefectctx profile inspect: Profile 'nope' not found.\n"


def test_profile_use(run, profiles):
    result = run('profile', 'use', 'cloud')
    assert result.status == EXIT_OK, result
    assert result.out == "Profile 'cloud' is now active (%s).\n" % profiles
    assert profiles.read_text().startswith('active = "cloud"\n')
    # the other profiles and the secret are kept as they were
    assert 'pnu_verysecretkey' in profiles.read_text()
    assert run('profile', 'ls').out == '  default\n  dev\n* cloud\n'


def test_profile_use_notes_environment(run, profiles):
    result = run('profile', 'use', 'cloud', extra_env={'PREFECT_PROFILE': 'dev'})
    assert result.status == EXIT_OK, result
    assert "PREFECT_PROFILE='dev' is set in the environment" in result.err


def test_profile_use_unknown(run, profiles):
    before = profiles.read_text()
    result = run('profile', 'use', 'nope')
    assert result.status == EXIT_FAILURE, result
    assert result.err == "prefectctx profile use: Unknown profile name 'nope'.\n"
    assert profiles.read_text() == before


def test_profile_create_use_delete(run, home):
    result = run('profile', 'create', 'staging')
    assert result.status == EXIT_OK, result
    assert result.out.startswith("Created profile 'staging'.\n"), result
    assert run('profile', 'ls').out == '* default\n  staging\n'
    assert (home / 'profiles.toml').stat().st_mode & 0o777 == 0o600

    result = run('profile', 'create', 'staging')
    assert result.status == EXIT_FAILURE, result
    assert result.err == "prefectctx profile create: Profile 'staging' already exists.\n"

    assert run('profile', 'use', 'staging').status == EXIT_OK
    result = run('profile', 'delete', 'staging')
    assert result.status == EXIT_FAILURE, result
    assert "Profile 'staging' is the active profile. You must switch profiles" in result.err

    assert run('profile', 'use', 'default').status == EXIT_OK
    result = run('--json', 'profile', 'delete', 'staging')
    assert result.status == EXIT_OK, result
    assert result.json() == {'removed': 'staging'}
    assert run('profile', 'ls').out == '* default\n'


def test_profile_create_from(run, profiles):
    result = run('profile', 'create', 'cloud2', '--from', 'cloud')
    assert result.status == EXIT_OK, result
    assert result.out.startswith("Created profile 'cloud2' from 'cloud'.\n")
    assert run('profile', 'inspect', 'cloud2').out == run('profile', 'inspect', 'cloud').out
    result = run('profile', 'create', 'x', '--from', 'nope')
    assert result.status == EXIT_FAILURE, result
    assert result.err == "prefectctx profile create: Profile 'nope' not found.\n"


def test_profile_delete_unknown(run, profiles):
    result = run('profile', 'delete', 'nope')
    assert result.status == EXIT_FAILURE, result
    assert result.err == "prefectctx profile delete: Profile 'nope' not found.\n"


def test_profile_delete_in_use(run, profiles):
    result = run('--profile', 'cloud', 'profile', 'delete', 'cloud')
    assert result.status == EXIT_FAILURE, result
    assert "Profile 'cloud' is the profile in use" in result.err
    assert '[profiles.cloud]' in profiles.read_text()


def test_profile_bad_file(run, home):
    (home / 'profiles.toml').write_text('active = \n')
    result = run('profile', 'ls')
    assert result.status == EXIT_FAILURE, result
    assert result.err.startswith('prefectctx profile ls: '), result


# ---------------------------------------------------------------------------
# runtime
# ---------------------------------------------------------------------------

def test_runtime_lists_every_attribute(run):
    result = run('runtime')
    assert result.status == EXIT_OK, result
    lines = dict(line.split(None, 1) for line in result.out.splitlines())
    assert lines['flow_run.id'] == 'null'
    assert lines['flow_run.tags'] == '[]'
    assert lines['flow_run.parameters'] == '{}'
    assert lines['flow_run.run_count'] == '0'
    assert lines['task_run.id'] == 'null'
    assert lines['deployment.id'] == 'null'
    assert lines['flow_run.scheduled_start_time'].startswith('"')
    for module in ('flow_run', 'task_run', 'deployment'):
        assert any(key.startswith(module + '.') for key in lines)


def test_runtime_json(run):
    result = run('runtime', '--json')
    assert result.status == EXIT_OK, result
    data = result.json()
    assert set(data) == {'flow_run', 'task_run', 'deployment'}
    assert data['flow_run']['id'] is None
    assert data['task_run']['tags'] == []
    assert data['deployment']['parameters'] == {}


def test_runtime_mocks(run):
    mocks = {'PREFECT__RUNTIME__TASK_RUN__FAKE_KEY': 'foo',
             'PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT': '3',
             'PREFECT__RUNTIME__FLOW_RUN__NAME': 'mocked-name'}
    result = run('runtime', 'task_run.fake_key', 'flow_run.run_count', 'flow_run.name',
                 extra_env=mocks)
    assert result.status == EXIT_OK, result
    assert result.out.split() == ['task_run.fake_key', '"foo"', 'flow_run.run_count', '3',
                                  'flow_run.name', '"mocked-name"']
    data = run('--json', 'runtime', 'flow_run', extra_env=mocks).json()
    assert data['flow_run']['run_count'] == 3 and data['flow_run']['name'] == 'mocked-name'


def test_runtime_one_module(run):
    result = run('runtime', 'deployment')
    assert result.status == EXIT_OK, result
    assert all(line.startswith('deployment.') for line in result.out.splitlines())


def test_runtime_bad_mock(run):
    result = run('runtime', 'flow_run.run_count', 'flow_run.tags',
                 extra_env={'PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT': 'x',
                            'PREFECT__RUNTIME__FLOW_RUN__TAGS': 'a'})
    assert result.status == EXIT_FAILURE, result
    assert 'PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT' in result.err
    assert 'This runtime context attribute cannot be mocked using an environment variable. ' \
           'Please use monkeypatch instead.' in result.err


def test_runtime_unknown_attribute(run):
    result = run('runtime', 'flow_run.nope')
    assert result.status == EXIT_FAILURE, result
    assert result.err == "prefectctx runtime: prefect.runtime.flow_run has no attribute 'nope'\n"


def test_runtime_api_url(run, profiles):
    result = run('--profile', 'dev', 'runtime', 'flow_run.api_url',
                 extra_env={'PREFECT__FLOW_RUN_ID': '0b6a2a2c-3a43-4d4c-9a6c-3f5bd7b6a0a1'})
    assert result.status == EXIT_OK, result
    assert result.out.split() == [
        'flow_run.api_url',
        '"http://127.0.0.1:4200/api/flow-runs/flow-run/0b6a2a2c-3a43-4d4c-9a6c-3f5bd7b6a0a1"']
