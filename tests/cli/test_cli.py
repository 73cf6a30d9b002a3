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
import re
import signal
import subprocess
import textwrap
import threading
import time

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
    def run_tool(*args, extra_env=None, unset=(), timeout=60):
        environment = dict(env)
        if extra_env:
            environment.update(extra_env)
        for name in unset:
            environment.pop(name, None)
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
    (['flow-run', 'watch', '--help'], 'prefectctx flow-run watch [OPTION…] ID', '--max-duration=SECONDS'),
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
    for command in ('ls', 'inspect', 'logs', 'watch'):
        assert '\n  %s ' % command in result.out, result
    result = run('profile', '--help')
    for command in ('ls', 'inspect', 'use', 'create', 'delete'):
        assert '\n  %s ' % command in result.out, result


_TOOL_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tool')


def _command_tree(run, path=()):
    """(command path, its long options) for every command under @path, from
    the tool's --help."""
    out = run(*path, '--help').out
    options = re.findall(r'^  (?:-\w, )?(--[\w-]+)', out, re.M)
    commands = re.findall(r'^  ([a-z][\w-]*) ', out.split('\nCommands:\n', 1)[1].split('\n\n', 1)[0], re.M) \
        if '\nCommands:\n' in out else []
    yield path, options
    for command in commands:
        yield from _command_tree(run, path + (command,))


def test_man_page_has_every_command_and_option(run):
    with open(os.path.join(_TOOL_SOURCE, 'prefectctx.1'), encoding='utf-8') as page:
        text = page.read()
    # The troff source as text: hyphens unescaped, font changes dropped.
    text = re.sub(r'\\f[BIRP]', '', text.replace('\\-', '-'))
    seen = 0
    for path, options in _command_tree(run):
        if path:
            assert ' '.join(path) in text, path
        for option in options:
            assert option in text, (path, option)
        seen += 1
    assert seen >= 20


def _complete(env, *words):
    """What the bash completion offers for the command line @words (the
    last one being completed)."""
    script = textwrap.dedent('''
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        _prefectctx
        printf '%s\\n' "${COMPREPLY[@]}"
    ''')
    environment = dict(env, PATH=os.path.dirname(os.path.abspath(PREFECTCTX)) + os.pathsep + env.get('PATH', ''))
    completed = subprocess.run(['bash', '-c', script, 'bash', os.path.join(_TOOL_SOURCE, 'completion', 'prefectctx.bash'),
                                'prefectctx'] + list(words), env=environment, capture_output=True, text=True,
                               timeout=60)
    assert completed.returncode == 0, completed
    return [line for line in completed.stdout.split('\n') if line]


def test_bash_completion(run, env):
    assert run('profile', 'create', 'staging').status == EXIT_OK
    assert _complete(env, '') == ['config', 'demo', 'deployment', 'flow', 'flow-run', 'profile', 'runtime', 'task-run']
    assert _complete(env, 'flow-') == ['flow-run']
    assert _complete(env, 'flow-run', '') == ['ls', 'inspect', 'logs', 'watch', 'cancel', 'delete']
    # Options and their values before the command are skipped.
    assert _complete(env, '--profile', 'default', '--json', 'flow-run', 'l') == ['ls', 'logs']
    assert _complete(env, 'flow-run', 'ls', '--') == ['--limit', '--state', '--profile', '--json', '--help']
    assert _complete(env, '--') == ['--profile', '--json', '--version', '--help']
    # Profile names, from the profiles file.
    assert _complete(env, '--profile', '') == ['default', 'staging']
    assert _complete(env, 'profile', 'use', 'st') == ['staging']
    assert _complete(env, 'no-such-command', '') == []


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
    (['flow-run', 'logs', 'x', '--head', '-1'], 'prefectctx flow-run logs', '--head must not be negative, not -1'),
    (['flow-run', 'watch'], 'prefectctx flow-run watch', 'Missing argument ID'),
    (['flow-run', 'watch', 'x', '--interval', '0'], 'prefectctx flow-run watch', '--interval must be more than 0, not 0'),
    (['flow-run', 'watch', 'x', '--interval', 'soon'], 'prefectctx flow-run watch', 'Cannot parse double value'),
    (['flow-run', 'watch', 'x', '--max-duration', '-1'], 'prefectctx flow-run watch', '--max-duration must not be negative, not -1'),
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
# config
# ---------------------------------------------------------------------------

def test_config_view(run, profiles, home):
    result = run('config', 'view', extra_env={'PREFECT_LOGGING_LEVEL': 'WARNING'})
    assert result.status == EXIT_OK, result
    # Prefect's lines: the profile, then what is set, sorted, with its source.
    assert result.out == ("PREFECT_PROFILE='dev'\n"
                          "PREFECT_API_URL='http://127.0.0.1:4200/api' (from profile)\n"
                          "PREFECT_HOME='%s' (from env)\n"
                          "PREFECT_LOGGING_LEVEL='WARNING' (from env)\n" % home), result
    # Secrets redacted unless asked; defaults on request.
    cloud = run('--profile', 'cloud', 'config', 'view', '--hide-sources')
    assert "PREFECT_API_KEY='********'\n" in cloud.out, cloud
    assert 'pnu_verysecretkey' in run('--profile', 'cloud', 'config', 'view', '--show-secrets').out
    data = run('--json', 'config', 'view', '--show-defaults').json()
    assert data['profile'] == 'dev'
    assert data['settings']['PREFECT_API_URL'] == {'value': 'http://127.0.0.1:4200/api', 'source': 'profile'}
    assert data['settings']['PREFECT_CLIENT_MAX_RETRIES'] == {'value': '5', 'source': 'defaults'}


def test_config_set_and_unset(run, profiles):
    result = run('config', 'set', 'PREFECT_CLIENT_MAX_RETRIES=3', 'PREFECT_LOGGING_LEVEL=INFO',
                 extra_env={'PREFECT_LOGGING_LEVEL': 'ERROR'})
    assert result.status == EXIT_OK, result
    assert result.out == ("Set 'PREFECT_CLIENT_MAX_RETRIES' to '3'.\n"
                          "Set 'PREFECT_LOGGING_LEVEL' to 'INFO'.\n"
                          "PREFECT_LOGGING_LEVEL is also set by an environment variable which will override "
                          "your config value. Run `unset PREFECT_LOGGING_LEVEL` to clear it.\n"
                          "Updated profile 'dev'.\n"), result
    text = profiles.read_text()
    assert 'PREFECT_CLIENT_MAX_RETRIES = "3"' in text and 'PREFECT_LOGGING_LEVEL = "INFO"' in text
    assert '[profiles.cloud]' in text   # the other profiles are kept

    # The profile named on the command line is the one changed.
    assert run('--profile', 'default', 'config', 'set', 'PREFECT_API_URL=http://d/api').status == EXIT_OK
    assert run('--profile', 'default', 'profile', 'inspect').out == "PREFECT_API_URL='http://d/api'\n"

    result = run('config', 'unset', 'PREFECT_CLIENT_MAX_RETRIES')
    assert result.status == EXIT_OK, result
    assert result.out == "Unset 'PREFECT_CLIENT_MAX_RETRIES'.\nUpdated profile 'dev'.\n"
    assert 'PREFECT_CLIENT_MAX_RETRIES' not in profiles.read_text()


@pytest.mark.parametrize('args, message', [
    (['set', 'PREFECT_API_URL'], "Failed to parse argument 'PREFECT_API_URL'. Use the format 'VAR=VAL'."),
    (['set', 'PREFECT_NOPE=1'], "Unknown setting name 'PREFECT_NOPE'."),
    (['set', 'PREFECT_HOME=/x'], "Setting 'PREFECT_HOME' cannot be changed with this command. "
                                 "Use an environment variable instead."),
    (['set', 'PREFECT_CLIENT_MAX_RETRIES=x'], "Profile 'dev': Invalid value for PREFECT_CLIENT_MAX_RETRIES: "
                                              "'x' is not an integer between 0 and 2147483647"),
    (['unset', 'PREFECT_API_KEY'], "'PREFECT_API_KEY' is not set in profile 'dev'."),
    (['unset', 'PREFECT_NOPE'], "Unknown setting name 'PREFECT_NOPE'."),
])
def test_config_errors_change_nothing(run, profiles, args, message):
    result = run('config', *args)
    assert result.status == EXIT_FAILURE, result
    assert result.err == 'prefectctx config %s: %s\n' % (args[0], message), result
    assert profiles.read_text() == PROFILES


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


# ---------------------------------------------------------------------------
# A run store made by the test, through the library
# ---------------------------------------------------------------------------

FLOW_ID = '6f0c8a52-7a9e-4c55-8d0e-0a1b2c3d4e01'
OTHER_FLOW_ID = '6f0c8a52-7a9e-4c55-8d0e-0a1b2c3d4e02'
DONE_ID = '0d1e2f30-4152-4637-a8b9-cadbecfd0001'      # Completed, with task runs and logs
FAILED_ID = '0d1e2f30-4152-4637-a8b9-cadbecfd0002'    # Failed, oldest
RUNNING_ID = '0d1e2f30-4152-4637-a8b9-cadbecfd0003'   # Running, newest
EXTRACT_ID = '7a000000-0000-4000-8000-000000000001'
LOAD_ID = '7a000000-0000-4000-8000-000000000002'
MISSING_ID = '99999999-9999-4999-8999-999999999999'


def _state(state_type, name, timestamp, message=None):
    from gi.repository import PrefectCtx
    body = {'type': state_type, 'name': name}
    if timestamp is not None:
        body['timestamp'] = timestamp
    if message is not None:
        body['message'] = message
    return PrefectCtx.State.new_from_json(json.dumps(body))


def _log(level, message, timestamp, flow_run_id, task_run_id=None, name='prefect.flow_runs'):
    from gi.repository import PrefectCtx
    body = {'name': name, 'level': level, 'message': message,
            'flow_run_id': flow_run_id, 'task_run_id': task_run_id}
    if timestamp is not None:
        body['timestamp'] = timestamp
    return PrefectCtx.LogEntry.new_from_json(json.dumps(body))


def T(clock):
    return '2024-05-01T%s+00:00' % clock


class Store:
    """The run store at $PREFECT_HOME/prefectctx.db, written through PrefectCtx.LocalClient."""

    def __init__(self, home):
        import gi
        gi.require_version('PrefectCtx', '1.0')
        from gi.repository import PrefectCtx
        self.PrefectCtx = PrefectCtx
        self.path = str(home / 'prefectctx.db')
        self.client = PrefectCtx.LocalClient.new(self.path)

    def flow(self, flow_id, name):
        flow = self.PrefectCtx.Flow.new_from_json(json.dumps({'id': flow_id, 'name': name}))
        return self.client.create_flow(flow, None)

    def flow_run(self, run_id, flow_id, name, expected, parameters=None, tags=()):
        run = self.PrefectCtx.FlowRun.new_from_json(json.dumps({
            'id': run_id, 'flow_id': flow_id, 'name': name,
            'parameters': parameters or {}, 'tags': list(tags),
            'expected_start_time': expected}))
        return self.client.create_flow_run(run, None)

    def flow_run_states(self, run_id, *states):
        for state in states:
            self.client.set_flow_run_state(run_id, _state(*state), True, None)

    def task_run(self, task_run_id, flow_run_id, task_key, name, tags=(), dynamic_key='0'):
        task_run = self.PrefectCtx.TaskRun.new_from_json(json.dumps({
            'id': task_run_id, 'flow_run_id': flow_run_id, 'task_key': task_key,
            'dynamic_key': dynamic_key, 'name': name, 'tags': list(tags)}))
        task_run = self.client.create_task_run(task_run, None)
        self.client.flush(None)   # task-run writes are committed in groups
        return task_run

    def task_run_states(self, task_run_id, *states):
        for state in states:
            self.client.set_task_run_state(task_run_id, _state(*state), True, None)
        self.client.flush(None)

    def logs(self, *entries):
        self.client.create_logs([_log(*entry) for entry in entries], None)
        self.client.flush(None)


@pytest.fixture
def store(home):
    """Three flow runs: one completed (two task runs, one retried, and logs),
    one failed, one still running."""
    s = Store(home)
    s.flow(FLOW_ID, 'etl')
    s.flow(OTHER_FLOW_ID, 'report')

    s.flow_run(DONE_ID, FLOW_ID, 'brave-otter', T('10:00:00'),
               parameters={'source': 'orders.csv', 'batches': 2}, tags=['nightly', 'etl'])
    s.flow_run_states(DONE_ID,
                      ('PENDING', 'Pending', T('10:00:00')),
                      ('RUNNING', 'Running', T('10:00:01')),
                      ('COMPLETED', 'Completed', T('10:00:05.500')))
    s.task_run(EXTRACT_ID, DONE_ID, 'etl.extract', 'extract-0', tags=['etl'])
    s.task_run_states(EXTRACT_ID,
                      ('PENDING', 'Pending', T('10:00:01.100')),
                      ('RUNNING', 'Running', T('10:00:01.200')),
                      ('COMPLETED', 'Completed', T('10:00:02.450')))
    s.task_run(LOAD_ID, DONE_ID, 'etl.load', 'load-0', tags=['etl'])
    s.task_run_states(LOAD_ID,
                      ('PENDING', 'Pending', T('10:00:02.500')),
                      ('RUNNING', 'Running', T('10:00:02.600')),
                      ('SCHEDULED', 'AwaitingRetry', T('10:00:03'), 'Warehouse busy'),
                      ('RUNNING', 'Retrying', T('10:00:04')),
                      ('COMPLETED', 'Completed', T('10:00:05')))
    s.logs((20, 'Beginning flow run', T('10:00:01.000'), DONE_ID),
           (20, 'Extracting orders.csv', T('10:00:01.300'), DONE_ID, EXTRACT_ID, 'prefect.task_runs'),
           (40, 'Warehouse busy', T('10:00:03.000'), DONE_ID, LOAD_ID, 'prefect.task_runs'),
           (15, 'custom level', T('10:00:04.500'), DONE_ID),
           (20, 'Finished in state Completed()', T('10:00:05.500'), DONE_ID))

    s.flow_run(FAILED_ID, OTHER_FLOW_ID, 'calm-heron', T('09:00:00'))
    s.flow_run_states(FAILED_ID,
                      ('PENDING', 'Pending', T('09:00:00')),
                      ('RUNNING', 'Running', T('09:00:00.250')),
                      ('FAILED', 'Failed', T('09:00:02'), 'It broke'))

    s.flow_run(RUNNING_ID, FLOW_ID, 'eager-lynx', T('11:00:00'))
    s.flow_run_states(RUNNING_ID,
                      ('PENDING', 'Pending', T('11:00:00')),
                      ('RUNNING', 'Running', T('11:00:01')))
    return s


# ---------------------------------------------------------------------------
# flow-run: a missing store, bad ids
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('args', [
    ['flow-run', 'ls'],
    ['flow-run', 'inspect', DONE_ID],
    ['flow-run', 'logs', DONE_ID],
    ['flow-run', 'watch', DONE_ID],
    ['--json', 'flow-run', 'ls'],
    ['flow-run', 'cancel', DONE_ID],
    ['flow-run', 'delete', DONE_ID],
    ['flow', 'ls'],
    ['deployment', 'ls'],
])
def test_flow_run_missing_store(run, home, args):
    result = run(*args)
    assert result.status == EXIT_FAILURE, result
    assert result.out == ''
    assert ('No run store at %s/prefectctx.db' % home) in result.err, result
    # no command creates the store
    assert not (home / 'prefectctx.db').exists()


def test_flow_run_never_writes_the_store(run, home, store):
    # An empty file stays empty (it used to get the whole schema), and a
    # store's files are not changed by reading them.
    empty = home / 'empty'
    empty.mkdir()
    (empty / 'prefectctx.db').write_bytes(b'')
    result = run('flow-run', 'ls', extra_env={'PREFECT_HOME': str(empty)})
    assert result.status == EXIT_FAILURE, result
    assert 'is empty' in result.err, result
    assert (empty / 'prefectctx.db').read_bytes() == b''
    db = home / 'prefectctx.db'
    before = db.read_bytes()
    result = run('flow-run', 'ls')
    assert result.status == EXIT_OK, result
    assert db.read_bytes() == before


def test_flow_run_store_follows_settings(run, home, store, tmp_path):
    other = tmp_path / 'other-home'
    profiles = tmp_path / 'profiles.toml'
    profiles.write_text('[profiles.here]\nPREFECT_HOME = "%s"\n\n'
                        '[profiles.elsewhere]\nPREFECT_HOME = "%s"\n' % (home, other))
    environment = {'PREFECT_PROFILES_PATH': str(profiles)}
    result = run('--profile', 'elsewhere', 'flow-run', 'ls', extra_env=environment, unset=['PREFECT_HOME'])
    assert result.status == EXIT_FAILURE, result
    assert ('No run store at %s/prefectctx.db' % other) in result.err, result
    result = run('--profile', 'here', 'flow-run', 'ls', extra_env=environment, unset=['PREFECT_HOME'])
    assert result.status == EXIT_OK, result
    assert 'brave-otter' in result.out


def test_deployment_inspect(run, store):
    deployment = store.PrefectCtx.Deployment.new_from_json(json.dumps({
        'name': 'nightly', 'flow_id': FLOW_ID, 'version': 'v3', 'tags': ['etl'],
        'parameters': {'batches': 2}}))
    deployment = store.client.create_deployment(deployment, None)
    deployment_id = deployment.get_id()
    result = run('deployment', 'inspect', deployment_id)
    assert result.status == EXIT_OK, result
    assert result.out == ("Deployment 'nightly'\n"
                          "  id           %s\n"
                          "  flow         etl\n"
                          "  version      v3\n"
                          "  tags         etl\n"
                          "  parameters   {\"batches\":2}\n" % deployment_id), result.out
    assert run('--json', 'deployment', 'inspect', deployment_id).json()['name'] == 'nightly'
    missing = run('deployment', 'inspect', MISSING_ID)
    assert missing.status == EXIT_FAILURE
    assert missing.err == "prefectctx deployment inspect: Deployment '%s' not found\n" % MISSING_ID, missing


def test_task_run_ls(run, store):
    result = run('task-run', 'ls')
    assert result.status == EXIT_OK, result
    lines = result.out.splitlines()
    assert lines[0].split() == ['ID', 'FLOW', 'RUN', 'NAME', 'STATE', 'WHEN']
    # newest first, started ones shown at their start
    assert [line.split()[:4] for line in lines[1:]] == [
        [LOAD_ID, DONE_ID, 'load-0', 'Completed'],
        [EXTRACT_ID, DONE_ID, 'extract-0', 'Completed'],
    ]
    assert run('task-run', 'ls', '-n', '1').out.splitlines()[1].split()[0] == LOAD_ID
    assert [r['id'] for r in run('--json', 'task-run', 'ls', '--flow-run', DONE_ID).json()] == [LOAD_ID, EXTRACT_ID]
    assert run('task-run', 'ls', '-f', FAILED_ID).out == 'No task runs found.\n'
    assert run('--json', 'task-run', 'ls', '-f', FAILED_ID).json() == []
    missing = run('task-run', 'ls', '--flow-run', MISSING_ID)
    assert missing.status == EXIT_FAILURE
    assert missing.err == "prefectctx task-run ls: Flow run '%s' not found\n" % MISSING_ID, missing
    assert_usage_error(run('task-run', 'ls', '--limit', '0'), 'prefectctx task-run ls',
                       '--limit must be at least 1, not 0')
    assert_usage_error(run('task-run', 'ls', 'extra'), 'prefectctx task-run ls', 'Too many arguments')


def test_task_run_inspect(run, store):
    result = run('task-run', 'inspect', LOAD_ID)
    assert result.status == EXIT_OK, result
    lines = result.out.splitlines()
    assert lines[0] == "Task run 'load-0'"
    assert '  id           %s' % LOAD_ID in lines and '  flow run     %s' % DONE_ID in lines
    assert '  state        Completed' in lines and '  run count    2' in lines
    assert '  duration     2.400s' in lines
    assert result.out.endswith('States (5):\n'
                               '  2024-05-01 10:00:02.500  Pending\n'
                               '  2024-05-01 10:00:02.600  Running\n'
                               '  2024-05-01 10:00:03.000  AwaitingRetry: Warehouse busy\n'
                               '  2024-05-01 10:00:04.000  Retrying\n'
                               '  2024-05-01 10:00:05.000  Completed\n'), result.out
    data = run('--json', 'task-run', 'inspect', LOAD_ID).json()
    assert data['task_run']['id'] == LOAD_ID and [s['name'] for s in data['states']][-1] == 'Completed'
    missing = run('task-run', 'inspect', MISSING_ID)
    assert missing.status == EXIT_FAILURE
    assert missing.err == "prefectctx task-run inspect: Task run '%s' not found\n" % MISSING_ID, missing


@pytest.mark.parametrize('command', ['inspect', 'logs', 'watch'])
@pytest.mark.parametrize('bad_id', [MISSING_ID, 'not-a-uuid', ''])
def test_flow_run_bad_id(run, store, command, bad_id):
    result = run('flow-run', command, bad_id)
    assert result.status == EXIT_FAILURE, result
    assert result.out == ''
    # The ID given is named, as the command's user typed it.
    assert result.err == "prefectctx flow-run %s: Flow run '%s' not found\n" % (command, bad_id), result


# ---------------------------------------------------------------------------
# flow-run ls
# ---------------------------------------------------------------------------

def test_flow_run_ls(run, store):
    result = run('flow-run', 'ls')
    assert result.status == EXIT_OK, result
    lines = result.out.splitlines()
    assert lines[0].split() == ['ID', 'FLOW', 'NAME', 'STATE', 'WHEN']
    # newest first
    assert [line.split()[:4] for line in lines[1:]] == [
        [RUNNING_ID, 'etl', 'eager-lynx', 'Running'],
        [DONE_ID, 'etl', 'brave-otter', 'Completed'],
        [FAILED_ID, 'report', 'calm-heron', 'Failed'],
    ]
    assert lines[2].endswith('2024-05-01 10:00:01.000'), result


def test_flow_run_ls_limit_and_state(run, store):
    result = run('flow-run', 'ls', '--limit', '1')
    assert [line.split()[0] for line in result.out.splitlines()[1:]] == [RUNNING_ID]
    result = run('flow-run', 'ls', '--state', 'completed')
    assert result.status == EXIT_OK, result
    assert [line.split()[0] for line in result.out.splitlines()[1:]] == [DONE_ID]
    result = run('flow-run', 'ls', '-s', 'FAILED', '-n', '5')
    assert [line.split()[0] for line in result.out.splitlines()[1:]] == [FAILED_ID]
    result = run('flow-run', 'ls', '--state', 'CANCELLED')
    assert result.status == EXIT_OK, result
    assert result.out == 'No flow runs found.\n'


def test_flow_run_ls_json(run, store):
    result = run('--json', 'flow-run', 'ls')
    assert result.status == EXIT_OK, result
    runs = result.json()
    assert [r['id'] for r in runs] == [RUNNING_ID, DONE_ID, FAILED_ID]
    done = runs[1]
    assert done['name'] == 'brave-otter'
    assert done['flow_id'] == FLOW_ID
    assert done['state']['type'] == 'COMPLETED'
    assert done['parameters'] == {'source': 'orders.csv', 'batches': 2}
    assert sorted(done['tags']) == ['etl', 'nightly']
    assert done['run_count'] == 1


def test_flow_run_ls_empty_store(run, home):
    Store(home)
    result = run('flow-run', 'ls')
    assert result.status == EXIT_OK, result
    assert result.out == 'No flow runs found.\n'
    assert run('--json', 'flow-run', 'ls').json() == []


# ---------------------------------------------------------------------------
# flow-run inspect
# ---------------------------------------------------------------------------

def test_flow_run_inspect(run, store):
    result = run('flow-run', 'inspect', DONE_ID)
    assert result.status == EXIT_OK, result
    out = result.out
    assert out.startswith("Flow run 'brave-otter'\n"), result
    assert '  id           %s\n' % DONE_ID in out
    assert '  flow         etl\n' in out
    assert '  state        Completed\n' in out
    assert '  tags         etl, nightly\n' in out
    assert '  parameters   {"source":"orders.csv","batches":2}\n' in out
    assert '  run count    1\n' in out
    assert '  start        2024-05-01 10:00:01.000\n' in out
    assert '  end          2024-05-01 10:00:05.500\n' in out
    assert '  duration     4.500s\n' in out
    assert ('States (3):\n'
            '  2024-05-01 10:00:00.000  Pending\n'
            '  2024-05-01 10:00:01.000  Running\n'
            '  2024-05-01 10:00:05.500  Completed\n') in out
    assert 'Task runs (2, 2 finished):\n' in out
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.startswith('  extract-0') or line.startswith('  load-0')}
    assert rows['extract-0'][1:4] == ['Completed', '1', '1.250s'] and rows['extract-0'][-1] == EXTRACT_ID
    assert rows['load-0'][1:4] == ['Completed', '2', '2.400s'] and rows['load-0'][-1] == LOAD_ID
    assert ('Task runs that were retried or did not complete:\n'
            '  load-0: Pending -> Running -> AwaitingRetry (Warehouse busy) -> Retrying -> Completed\n') in out
    assert out.endswith('Logs: 5 lines (prefectctx flow-run logs %s)\n' % DONE_ID)
    assert result.err == ''


def test_flow_run_inspect_failed(run, store):
    result = run('flow-run', 'inspect', FAILED_ID)
    assert result.status == EXIT_OK, result
    assert '  flow         report\n' in result.out
    assert '  state        Failed: It broke\n' in result.out
    assert '  2024-05-01 09:00:02.000  Failed          It broke\n' in result.out
    assert 'Task runs (0, 0 finished):\n' in result.out


def test_flow_run_inspect_running(run, store):
    result = run('flow-run', 'inspect', RUNNING_ID)
    assert result.status == EXIT_OK, result
    assert '  state        Running\n' in result.out
    assert '  end          -\n' in result.out
    assert '  duration     -\n' in result.out


def test_flow_run_inspect_json(run, store):
    result = run('flow-run', 'inspect', DONE_ID, '--json')
    assert result.status == EXIT_OK, result
    data = result.json()
    assert data['flow_run']['id'] == DONE_ID
    assert data['flow']['name'] == 'etl'
    assert [s['name'] for s in data['states']] == ['Pending', 'Running', 'Completed']
    assert [t['name'] for t in data['task_runs']] == ['extract-0', 'load-0']
    assert [s['name'] for s in data['task_run_states'][LOAD_ID]] == \
        ['Pending', 'Running', 'AwaitingRetry', 'Retrying', 'Completed']
    assert data['log_count'] == 5
    assert data['task_run_count'] == 2 and data['finished_task_run_count'] == 2
    assert data['task_runs_truncated'] is False and data['log_count_truncated'] is False


BIG_ID = '0d1e2f30-4152-4637-a8b9-cadbecfd00b1'


def test_flow_run_inspect_large_run(run, store):
    """Past 100 task runs, inspect shows the first 100 and counts the rest;
    --all shows every one."""
    store.flow_run(BIG_ID, FLOW_ID, 'huge-herd', T('12:00:00'))
    store.flow_run_states(BIG_ID, ('PENDING', 'Pending', T('12:00:00')), ('RUNNING', 'Running', T('12:00:01')))
    for i in range(103):
        task_run_id = '7b000000-0000-4000-8000-%012d' % i
        store.task_run(task_run_id, BIG_ID, 'etl.part', 'part-%d' % i, dynamic_key=str(i))
        if i % 2 == 0:
            store.task_run_states(task_run_id, ('COMPLETED', 'Completed', T('12:00:02')))

    result = run('flow-run', 'inspect', BIG_ID)
    assert result.status == EXIT_OK, result
    lines = result.out.splitlines()
    assert 'Task runs (103, 52 finished):' in lines, result
    assert sum(1 for line in lines if line.endswith(tuple('%012d' % i for i in range(103)))) == 100, result
    assert ('  ... and 3 more (prefectctx flow-run inspect %s --all shows every one)' % BIG_ID) in lines, result
    assert 'Task runs that were retried or did not complete (of the 100 shown):' in lines, result

    data = run('--json', 'flow-run', 'inspect', BIG_ID).json()
    assert len(data['task_runs']) == 100 and data['task_run_count'] == 103
    assert data['task_runs_truncated'] is True and len(data['task_run_states']) == 100

    result = run('flow-run', 'inspect', BIG_ID, '--all')
    assert result.status == EXIT_OK, result
    assert sum(1 for line in result.out.splitlines() if '7b000000-0000-4000-8000-' in line) == 103, result
    assert ' more (prefectctx' not in result.out


# ---------------------------------------------------------------------------
# flow-run logs
# ---------------------------------------------------------------------------

LOG_LINES = [
    "2024-05-01 10:00:01.000 | INFO    | Flow run 'brave-otter' - Beginning flow run",
    "2024-05-01 10:00:01.300 | INFO    | Task run 'extract-0' - Extracting orders.csv",
    "2024-05-01 10:00:03.000 | ERROR   | Task run 'load-0' - Warehouse busy",
    "2024-05-01 10:00:04.500 | Level 15 | Flow run 'brave-otter' - custom level",
    "2024-05-01 10:00:05.500 | INFO    | Flow run 'brave-otter' - Finished in state Completed()",
]


def test_flow_run_logs(run, store):
    result = run('flow-run', 'logs', DONE_ID)
    assert result.status == EXIT_OK, result
    assert result.out.splitlines() == LOG_LINES
    assert result.err == ''


def test_flow_run_logs_head(run, store):
    result = run('flow-run', 'logs', '--head', '2', DONE_ID)
    assert result.status == EXIT_OK, result
    assert result.out.splitlines() == LOG_LINES[:2]
    assert run('flow-run', 'logs', DONE_ID, '-H', '100').out.splitlines() == LOG_LINES
    assert run('flow-run', 'logs', DONE_ID, '--head', '0').out.splitlines() == LOG_LINES


def test_flow_run_logs_json(run, store):
    result = run('--json', 'flow-run', 'logs', DONE_ID, '--head', '3')
    assert result.status == EXIT_OK, result
    logs = result.json()
    assert [(entry['level'], entry['message']) for entry in logs] == [
        (20, 'Beginning flow run'), (20, 'Extracting orders.csv'), (40, 'Warehouse busy')]
    assert logs[1]['task_run_id'] == EXTRACT_ID


def test_flow_run_logs_none(run, store):
    result = run('flow-run', 'logs', FAILED_ID)
    assert result.status == EXIT_OK, result
    assert result.out == ''


# ---------------------------------------------------------------------------
# flow-run watch
# ---------------------------------------------------------------------------

def test_flow_run_watch_finished(run, store):
    result = run('flow-run', 'watch', DONE_ID)
    assert result.status == EXIT_OK, result
    lines = result.out.splitlines()
    assert lines[0] == 'Task runs: 2 / 2 finished (flow run Completed)', result
    assert re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \| INFO    \| Flow run 'brave-otter' - "
                    r"Your flow run finished .+ ago$", lines[1]), result
    assert lines[2:] == ["Flow run 'brave-otter' finished in state Completed"], result
    assert result.err == ''


def test_flow_run_watch_finished_failed(run, store):
    result = run('flow-run', 'watch', FAILED_ID)
    assert result.status == EXIT_FAILURE, result
    assert result.out.splitlines()[-1] == "Flow run 'calm-heron' finished in state Failed: It broke"


def test_flow_run_watch_json(run, store):
    result = run('--json', 'flow-run', 'watch', DONE_ID)
    assert result.status == EXIT_OK, result
    objects = [json.loads(line) for line in result.out.splitlines()]
    # NDJSON, each line with its kind.
    assert all(o['kind'] in ('log', 'progress', 'finished') for o in objects), objects
    assert objects[0] == {'kind': 'progress', 'progress': {'finished': 2, 'total': 2, 'state': 'Completed'}}
    assert objects[1]['kind'] == 'log' and objects[1]['entry']['level'] == 20
    assert objects[1]['entry']['message'].startswith('Your flow run finished ')
    assert objects[-1]['kind'] == 'finished' and objects[-1]['flow_run']['id'] == DONE_ID
    assert [o['kind'] for o in objects].count('finished') == 1


def test_flow_run_watch_times_out(run, store):
    result = run('flow-run', 'watch', RUNNING_ID, '--interval', '0.1', '--max-duration', '0.5')
    assert result.status == EXIT_FAILURE, result
    assert result.err == ('prefectctx flow-run watch: watch_flow_run timed out after 0.000139 hours of '
                          'waiting for completion. Your flow run is still in state: Running\n'), result
    assert 'Task runs: 0 / 0 finished (flow run Running)\n' in result.out
    assert "| INFO    | Flow run 'eager-lynx' - Entered state <Running>\n" in result.out


class Lines:
    """The lines a process writes, read on a thread, waited for with a timeout."""

    def __init__(self, stream):
        self.lines = []
        self.condition = threading.Condition()
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream):
        for line in stream:
            with self.condition:
                self.lines.append(line.rstrip('\n'))
                self.condition.notify_all()

    def wait_for(self, predicate, timeout=20):
        with self.condition:
            assert self.condition.wait_for(lambda: any(predicate(line) for line in self.lines), timeout), \
                'not seen in time; lines so far:\n' + '\n'.join(self.lines)


def test_flow_run_watch_live(env, store):
    """A run that moves on while it is watched: its new states and logs come
    as they happen, with a progress line each time the counts change, and the
    watch ends when the run finishes."""
    process = subprocess.Popen([PREFECTCTX, 'flow-run', 'watch', RUNNING_ID, '--interval', '0.1'],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out = Lines(process.stdout)
        out.wait_for(lambda line: line == 'Task runs: 0 / 0 finished (flow run Running)')
        out.wait_for(lambda line: line.endswith("| INFO    | Flow run 'eager-lynx' - Entered state <Running>"))

        task_run_id = '7a000000-0000-4000-8000-000000000003'
        store.task_run(task_run_id, RUNNING_ID, 'etl.work', 'work-0')
        store.client.set_task_run_state(task_run_id, _state('RUNNING', 'Running', None), True, None)
        out.wait_for(lambda line: line == 'Task runs: 0 / 1 finished (flow run Running)')

        store.client.create_logs([_log(20, 'working hard', None, RUNNING_ID, task_run_id)], None)
        out.wait_for(lambda line: line.endswith("| INFO    | Task run 'work-0' - working hard"))

        store.client.set_task_run_state(task_run_id, _state('COMPLETED', 'Completed', None), True, None)
        out.wait_for(lambda line: line == 'Task runs: 1 / 1 finished (flow run Running)')

        store.client.set_flow_run_state(RUNNING_ID, _state('COMPLETED', 'Completed', None, 'All done'), True, None)
        store.client.create_logs([_log(20, 'Finished in state Completed()', None, RUNNING_ID)], None)
        assert process.wait(timeout=30) == EXIT_OK, process.stderr.read()
        out.thread.join(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    lines = out.lines
    assert lines[-1] == "Flow run 'eager-lynx' finished in state Completed: All done", lines
    assert any(line.endswith("| INFO    | Flow run 'eager-lynx' - Entered state <Completed>: All done")
               for line in lines), lines
    assert any(line.endswith("| INFO    | Flow run 'eager-lynx' - Finished in state Completed()")
               for line in lines), lines
    assert 'Task runs: 1 / 1 finished (flow run Completed)' in lines, lines
    # states and logs in time order
    stamps = [line.split(' | ')[0] for line in lines if ' | ' in line]
    assert stamps == sorted(stamps), lines


KILLED_SCRIPT = textwrap.dedent('''
    import os, signal, sys
    import gi
    gi.require_version('PrefectCtx', '1.0')
    from gi.repository import PrefectCtx
    client = PrefectCtx.LocalClient.new(sys.argv[1])
    run = client.create_flow_run(PrefectCtx.FlowRun.new_from_json('{"name": "doomed-dodo"}'), None)
    client.set_flow_run_state(run.get_id(), PrefectCtx.State.new(PrefectCtx.StateType.RUNNING, None, None),
                              False, None)
    print(run.get_id(), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
''')


def test_flow_run_of_a_killed_process(run, env, store):
    """A run left Running by a process killed with SIGKILL: the read-only
    commands report it Crashed (without writing), and watch ends at once."""
    done = subprocess.run(['/usr/bin/python3', '-c', KILLED_SCRIPT, store.path], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr
    run_id = done.stdout.strip()

    result = run('flow-run', 'watch', run_id, '--interval', '0.1', '--max-duration', '20')
    assert result.status == EXIT_FAILURE, result
    last = result.out.splitlines()[-1]
    assert re.match(r"^Flow run 'doomed-dodo' finished in state Crashed: Execution was aborted: "
                    r"its process \(pid \d+ on .+\) ended during the run, killed or crashed\.$", last), result

    result = run('--json', 'flow-run', 'ls')
    assert result.status == EXIT_OK, result
    states = {r['id']: r['state']['type'] for r in json.loads(result.out)}
    assert states[run_id] == 'CRASHED' and states[RUNNING_ID] == 'RUNNING', states
    # Read-only commands only report it; a client that writes records it.
    assert store.client.read_flow_run(run_id, None).get_state().get_state_type() == \
        store.PrefectCtx.StateType.CRASHED
    assert [s.get_name() for s in store.client.read_flow_run_states(run_id, None)] == ['Running', 'Crashed']


def test_flow_run_watch_interrupted(env, store):
    process = subprocess.Popen([PREFECTCTX, 'flow-run', 'watch', RUNNING_ID, '--interval', '0.1'],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out = Lines(process.stdout)
        out.wait_for(lambda line: line.startswith('Task runs: '))
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 130
        assert process.stderr.read() == 'prefectctx flow-run watch: interrupted\n'
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_flow_run_inspect_of_the_demo(run):
    """The demo's subflow parent task run has Pending twice (its own and its
    subflow's, copied by the store as Prefect's server does) and ran once:
    it is not listed as retried; publish-0, retried, is."""
    demo = run('demo')
    assert demo.status == EXIT_OK, demo
    runs = run('--json', 'flow-run', 'ls')
    flow_run_id = [r for r in json.loads(runs.out) if r.get('parent_task_run_id') is None][0]['id']
    result = run('flow-run', 'inspect', flow_run_id)
    assert result.status == EXIT_OK, result
    listed = result.out.split('Task runs that were retried or did not complete:\n')[1].split('\n\n')[0]
    assert [line.split(':')[0].strip() for line in listed.splitlines()] == ['publish-0'], result.out


def test_runtime_with_an_unknown_flow_run_id(run):
    """PREFECT__FLOW_RUN_ID naming a run the store does not know is a
    misconfiguration: said on stderr with a non-zero exit, where no run at
    all is null with exit 0."""
    run('demo')  # a store exists
    unknown = '00000000-0000-4000-8000-000000000001'
    result = run('runtime', 'flow_run.name', extra_env={'PREFECT__FLOW_RUN_ID': unknown})
    assert result.status == 1, result
    assert result.err == ('prefectctx runtime: Cannot read the flow run %s of prefect.runtime: '
                          'Flow run not found\n' % unknown), result
    none = run('runtime', 'flow_run.name')
    assert none.status == EXIT_OK and none.out.split() == ['flow_run.name', 'null'], none


# ---------------------------------------------------------------------------
# flow ls, deployment ls
# ---------------------------------------------------------------------------

def test_flow_ls(run, store):
    result = run('flow', 'ls')
    assert result.status == EXIT_OK, result
    lines = result.out.splitlines()
    assert lines[0].split() == ['ID', 'NAME', 'CREATED']
    # newest first, with the time each was created
    assert [line.split()[:2] for line in lines[1:]] == [[OTHER_FLOW_ID, 'report'], [FLOW_ID, 'etl']]
    assert re.search(r'  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$', lines[1]), lines[1]
    assert run('flow', 'ls', '-n', '1').out.splitlines()[1:] == [lines[1]]
    flows = run('--json', 'flow', 'ls').json()
    assert [(f['id'], f['name']) for f in flows] == [(OTHER_FLOW_ID, 'report'), (FLOW_ID, 'etl')]
    assert all('created' in f for f in flows)
    assert_usage_error(run('flow', 'ls', '--limit', '0'), 'prefectctx flow ls', '--limit must be at least 1, not 0')
    assert_usage_error(run('flow', 'ls', 'extra'), 'prefectctx flow ls', 'Too many arguments')


def test_flow_ls_empty_store(run, home):
    Store(home)
    assert run('flow', 'ls').out == 'No flows found.\n'
    assert run('--json', 'flow', 'ls').json() == []


def test_deployment_ls(run, store):
    created = []
    for name, flow_id in [('nightly', FLOW_ID), ('weekly', OTHER_FLOW_ID), ('adhoc', FLOW_ID)]:
        deployment = store.PrefectCtx.Deployment.new_from_json(json.dumps({'name': name, 'flow_id': flow_id}))
        created.append(store.client.create_deployment(deployment, None).get_id())
        time.sleep(0.002)   # creation times a millisecond apart at least
    nightly, weekly, adhoc = created

    result = run('deployment', 'ls')
    assert result.status == EXIT_OK, result
    lines = result.out.splitlines()
    assert lines[0].split() == ['NAME', 'ID']
    # by flow name, then deployment name, as `prefect deployment ls`
    assert [line.split() for line in lines[1:]] == [
        ['etl/adhoc', adhoc], ['etl/nightly', nightly], ['report/weekly', weekly]]
    # newest first
    assert [line.split()[0] for line in run('deployment', 'ls', '--by-created').out.splitlines()[1:]] == [
        'etl/adhoc', 'report/weekly', 'etl/nightly']
    assert [line.split()[0] for line in run('deployment', 'ls', '--flow-name', 'report').out.splitlines()[1:]] == [
        'report/weekly']
    assert [d['id'] for d in run('--json', 'deployment', 'ls', '-f', 'etl', '-f', 'report').json()] == [
        adhoc, nightly, weekly]
    assert run('deployment', 'ls', '--flow-name', 'no-such-flow').out == 'No deployments found.\n'
    assert run('--json', 'deployment', 'ls', '--flow-name', 'no-such-flow').json() == []
    assert_usage_error(run('deployment', 'ls', 'extra'), 'prefectctx deployment ls', 'Too many arguments')


# ---------------------------------------------------------------------------
# flow-run delete, cancel: Prefect's messages
# ---------------------------------------------------------------------------

def test_flow_run_delete(run, store):
    result = run('flow-run', 'delete', DONE_ID)
    assert result.status == EXIT_OK, result
    assert result.out == "Successfully deleted flow run '%s'.\n" % DONE_ID
    # the run and its task runs are gone; the others stay
    assert [r['id'] for r in run('--json', 'flow-run', 'ls').json()] == [RUNNING_ID, FAILED_ID]
    assert run('task-run', 'ls').out == 'No task runs found.\n'
    again = run('flow-run', 'delete', DONE_ID)
    assert again.status == EXIT_FAILURE
    assert again.out == ''
    assert again.err == "prefectctx flow-run delete: Flow run '%s' not found!\n" % DONE_ID, again
    assert run('--json', 'flow-run', 'delete', FAILED_ID).json() == {'id': FAILED_ID, 'deleted': True}
    assert_usage_error(run('flow-run', 'delete'), 'prefectctx flow-run delete', 'Missing argument ID')


def test_flow_run_cancel(run, store):
    scheduled_id = '0d1e2f30-4152-4637-a8b9-cadbecfd0004'
    store.flow_run(scheduled_id, FLOW_ID, 'late-owl', T('12:00:00'))
    store.flow_run_states(scheduled_id, ('SCHEDULED', 'Scheduled', T('12:00:00')))

    # Running: Cancelling, for its process to notice
    result = run('flow-run', 'cancel', RUNNING_ID)
    assert result.status == EXIT_OK, result
    assert result.out == "Flow run '%s' was succcessfully scheduled for cancellation.\n" % RUNNING_ID
    assert store.client.read_flow_run(RUNNING_ID, None).get_state().get_name() == 'Cancelling'
    # Scheduled: nothing to stop, Cancelled at once
    cancelled = run('--json', 'flow-run', 'cancel', scheduled_id)
    assert cancelled.status == EXIT_OK, cancelled
    assert cancelled.json()['type'] == 'CANCELLED'
    # finished: not cancelled, with the server's reason
    done = run('flow-run', 'cancel', DONE_ID)
    assert done.status == EXIT_FAILURE
    assert done.err == ("prefectctx flow-run cancel: Flow run '%s' was unable to be cancelled. "
                        "Reason: 'Run is already in terminal state COMPLETED.'\n" % DONE_ID), done
    assert store.client.read_flow_run(DONE_ID, None).get_state().get_name() == 'Completed'
    missing = run('flow-run', 'cancel', MISSING_ID)
    assert missing.status == EXIT_FAILURE
    assert missing.err == "prefectctx flow-run cancel: Flow run '%s' not found!\n" % MISSING_ID, missing


def test_id_prefixes(run, store):
    # A unique start of an ID stands for it, in every command given an ID.
    unique_id = 'e5000000-0000-4000-8000-000000000005'
    store.flow_run(unique_id, FLOW_ID, 'quick-hare', T('08:00:00'))
    store.flow_run_states(unique_id, ('COMPLETED', 'Completed', T('08:00:01')))
    inspect = run('flow-run', 'inspect', 'e5')
    assert inspect.status == EXIT_OK, inspect
    assert 'quick-hare' in inspect.out
    assert run('flow-run', 'logs', 'e500').status == EXIT_OK
    assert run('--json', 'task-run', 'inspect', LOAD_ID[:-1] + '2').json()['task_run']['id'] == LOAD_ID
    done_prefix = 'e5'   # not a flow run with task runs: an empty list, but no error
    assert run('--json', 'task-run', 'ls', '-f', done_prefix).json() == []
    # more than one: an error naming two
    ambiguous = run('flow-run', 'inspect', '0d1e')
    assert ambiguous.status == EXIT_FAILURE
    assert ambiguous.err.startswith("prefectctx flow-run inspect: The flow run ID prefix '0d1e' is ambiguous: "), ambiguous
    ambiguous = run('task-run', 'inspect', '7a')
    assert "The task run ID prefix '7a' is ambiguous" in ambiguous.err, ambiguous
    # none: the usual not found, naming what was given
    missing = run('flow-run', 'inspect', 'ffff')
    assert missing.err == "prefectctx flow-run inspect: Flow run 'ffff' not found\n", missing
    # the whole ID is what cancel and delete report
    deleted = run('flow-run', 'delete', 'e5')
    assert deleted.out == "Successfully deleted flow run '%s'.\n" % unique_id, deleted
