# test_settings.py: settings, profiles and the profiles file from Python
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# PREFECT_HOME points at a pytest temporary directory in every test: the real
# ~/.prefect is never touched.
import json
import os
import stat

import pytest

from gi.repository import GLib, PrefectCtx


def _is(error, code):
    return error.matches(PrefectCtx.error_quark(), code)


@pytest.fixture(autouse=True)
def home(monkeypatch, tmp_path):
    for name in PrefectCtx.Settings.list_names():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv('PREFECT_PROFILE', raising=False)
    monkeypatch.setenv('PREFECT_HOME', str(tmp_path))
    return tmp_path


# -- settings ---------------------------------------------------------------

def test_known_names():
    names = PrefectCtx.Settings.list_names()
    assert names == sorted(names)
    for name in ('PREFECT_HOME', 'PREFECT_PROFILES_PATH', 'PREFECT_API_URL', 'PREFECT_API_KEY',
                 'PREFECT_UI_URL', 'PREFECT_LOGGING_LEVEL', 'PREFECT_CLIENT_MAX_RETRIES',
                 'PREFECT_CLIENT_RETRY_JITTER_FACTOR'):
        assert name in names
        assert PrefectCtx.Settings.name_is_known(name)
    assert not PrefectCtx.Settings.name_is_known('PREFECT_PROFILE')
    assert PrefectCtx.Settings.name_is_secret('PREFECT_API_KEY')
    assert not PrefectCtx.Settings.name_is_secret('PREFECT_API_URL')


def test_defaults():
    settings = PrefectCtx.Settings.new()
    assert settings.get_home() == os.path.join(GLib.get_home_dir(), '.prefect')
    assert settings.get_profiles_path() == os.path.join(GLib.get_home_dir(), '.prefect', 'profiles.toml')
    assert settings.get_api_url() is None
    assert settings.get_api_key() is None
    assert settings.get_ui_url() is None
    assert settings.get_logging_level() == 'INFO'
    assert settings.get_client_max_retries() == 5
    assert settings.get_client_retry_jitter_factor() == pytest.approx(0.2)
    assert settings.get_value('PREFECT_CLIENT_MAX_RETRIES') == '5'
    assert settings.get_value('PREFECT_API_URL') is None
    assert settings.dup_values() == {}


def test_environment(home, monkeypatch):
    monkeypatch.setenv('PREFECT_API_URL', 'http://env/api')
    monkeypatch.setenv('PREFECT_LOGGING_LEVEL', 'debug')
    monkeypatch.setenv('PREFECT_CLIENT_MAX_RETRIES', '2')
    monkeypatch.setenv('PREFECT_PROFILE', 'not-a-setting')
    settings = PrefectCtx.Settings.new_from_environment()
    assert settings.get_home() == str(home)
    assert settings.get_profiles_path() == str(home / 'profiles.toml')
    assert settings.get_api_url() == 'http://env/api'
    assert settings.get_logging_level() == 'DEBUG'
    assert settings.get_client_max_retries() == 2
    assert settings.is_set('PREFECT_API_URL')
    assert not settings.is_set('PREFECT_UI_URL')
    assert 'PREFECT_PROFILE' not in settings.dup_values()


def test_environ_strict():
    with pytest.raises(GLib.Error) as info:
        PrefectCtx.Settings.new_from_environ(['PREFECT_CLIENT_RETRY_JITTER_FACTOR=lots'])
    assert _is(info.value, PrefectCtx.Error.INVALID_ARGUMENT)
    assert info.value.message == (
        'Environment variable PREFECT_CLIENT_RETRY_JITTER_FACTOR: Invalid value for '
        "PREFECT_CLIENT_RETRY_JITTER_FACTOR: 'lots' is not a number greater than or equal to 0")
    settings = PrefectCtx.Settings.new_from_environ(['PREFECT_UI_URL=http://ui'])
    assert settings.get_ui_url() == 'http://ui'


def test_unknown_name_is_an_error():
    settings = PrefectCtx.Settings.new()
    with pytest.raises(GLib.Error) as info:
        settings.get_value('PREFECT_NOPE')
    assert _is(info.value, PrefectCtx.Error.INVALID_ARGUMENT)
    assert info.value.message == "Unknown setting 'PREFECT_NOPE'"
    with pytest.raises(GLib.Error) as info:
        settings.copy_with_update({'PREFECT_NOPE': 'x'})
    assert info.value.message == "Unknown setting 'PREFECT_NOPE'"


def test_copy_with_update():
    settings = PrefectCtx.Settings.new()
    updated = settings.copy_with_update({'PREFECT_API_URL': 'http://u/api',
                                         'PREFECT_CLIENT_MAX_RETRIES': '9'})
    assert updated.get_api_url() == 'http://u/api'
    assert updated.get_client_max_retries() == 9
    assert settings.get_api_url() is None
    assert updated.dup_values() == {'PREFECT_API_URL': 'http://u/api',
                                    'PREFECT_CLIENT_MAX_RETRIES': '9'}
    unset = updated.copy_with_update({'PREFECT_API_URL': None})
    assert unset.get_api_url() is None
    assert unset.get_client_max_retries() == 9


def test_bad_value():
    with pytest.raises(GLib.Error) as info:
        PrefectCtx.Settings.new().copy_with_update({'PREFECT_CLIENT_MAX_RETRIES': 'x'})
    assert _is(info.value, PrefectCtx.Error.INVALID_ARGUMENT)
    assert info.value.message == ("Invalid value for PREFECT_CLIENT_MAX_RETRIES: "
                                  "'x' is not an integer between 0 and 2147483647")


def test_secret_is_redacted():
    settings = PrefectCtx.Settings.new().copy_with_update({'PREFECT_API_KEY': 'pnu_top_secret'})
    assert 'pnu_top_secret' not in settings.to_string()
    assert "PREFECT_API_KEY='********'" in settings.to_string()
    redacted = json.loads(settings.to_json(False))
    assert redacted['PREFECT_API_KEY'] == PrefectCtx.SECRET_PLACEHOLDER == '********'
    assert redacted['PREFECT_API_URL'] is None
    assert json.loads(settings.to_json(True))['PREFECT_API_KEY'] == 'pnu_top_secret'
    assert settings.get_api_key() == 'pnu_top_secret'


# -- profile ------------------------------------------------------------------

def test_profile():
    profile = PrefectCtx.Profile.new('dev', {'PREFECT_API_URL': 'http://p/api',
                                             'PREFECT_API_KEY': 'k'}, None)
    assert profile.get_name() == 'dev'
    assert profile.props.name == 'dev'
    assert profile.get_source_path() is None
    assert profile.get_settings().unpack() == {'PREFECT_API_URL': 'http://p/api',
                                               'PREFECT_API_KEY': 'k'}
    assert profile.get_value('PREFECT_API_URL') == 'http://p/api'
    assert profile.get_value('PREFECT_UI_URL') is None
    assert profile.dup_settings() == {'PREFECT_API_URL': 'http://p/api', 'PREFECT_API_KEY': 'k'}
    assert profile.to_string() == "[dev]\nPREFECT_API_KEY='********'\nPREFECT_API_URL='http://p/api'\n"


def test_profile_unknown_setting():
    with pytest.raises(GLib.Error) as info:
        PrefectCtx.Profile.new('dev', {'PREFECT_NOPE': '1'}, None)
    assert _is(info.value, PrefectCtx.Error.INVALID_ARGUMENT)
    assert info.value.message == "Profile 'dev': Unknown setting 'PREFECT_NOPE'"
    with pytest.raises(GLib.Error):
        PrefectCtx.Profile.new('', None, None)


def test_profile_validate():
    profile = PrefectCtx.Profile.new('dev', {'PREFECT_LOGGING_LEVEL': 'LOUD'}, None)
    with pytest.raises(GLib.Error) as info:
        profile.validate()
    assert info.value.message.startswith("Profile 'dev': Invalid value for PREFECT_LOGGING_LEVEL")


# -- profiles file ------------------------------------------------------------

PROFILES = '''active = "dev"

[profiles.default]

[profiles.dev]
PREFECT_API_URL = "http://127.0.0.1:4200/api"
PREFECT_CLIENT_MAX_RETRIES = 3
PREFECT_SERVER_API_HOST = "0.0.0.0"

[profiles."my profile"]
PREFECT_LOGGING_LEVEL = 'DEBUG'
'''


def test_missing_file_gives_default(home):
    profiles = PrefectCtx.Profiles.load()
    assert profiles.get_names() == ['default']
    assert profiles.get_active_name() == 'default'
    assert profiles.get_active().get_name() == 'default'
    assert profiles.get_path() == str(home / 'profiles.toml')
    assert not (home / 'profiles.toml').exists()


def test_load(home):
    (home / 'profiles.toml').write_text(PROFILES)
    profiles = PrefectCtx.Profiles.load()
    assert profiles.get_names() == ['default', 'dev', 'my profile']
    assert profiles.props.active_name == 'dev'
    dev = profiles.lookup('dev')
    assert dev.get_settings().unpack() == {'PREFECT_API_URL': 'http://127.0.0.1:4200/api',
                                           'PREFECT_CLIENT_MAX_RETRIES': '3'}
    assert dev.get_source_path() == str(home / 'profiles.toml')
    assert profiles.lookup('nope') is None


def test_load_error_gives_line_and_column(home):
    path = home / 'profiles.toml'
    path.write_text('active = "x"\n\n[profiles.x]\nPREFECT_API_URL "y"\n')
    with pytest.raises(GLib.Error) as info:
        PrefectCtx.Profiles.load()
    assert _is(info.value, PrefectCtx.Error.INVALID_ARGUMENT)
    assert info.value.message == "%s:4:17: expected '='" % path
    with pytest.raises(GLib.Error) as info:
        PrefectCtx.Profiles.load_from_data(b'a = [1]\n', 'profiles.toml')
    assert info.value.message == 'profiles.toml:1:5: arrays are not supported'


def test_edit_and_save(home):
    path = home / 'profiles.toml'
    path.write_text(PROFILES + '\n[unknown.section]\nkept = true\n')
    profiles = PrefectCtx.Profiles.load()
    profiles.add_profile(PrefectCtx.Profile.new('new', {'PREFECT_API_URL': 'http://new/api'}, None))
    profiles.set_active('new')
    with pytest.raises(GLib.Error) as info:
        profiles.set_active('missing')
    assert _is(info.value, PrefectCtx.Error.NOT_FOUND)
    assert info.value.message == "Unknown profile name 'missing'."
    profiles.remove_profile('my profile')
    with pytest.raises(GLib.Error) as info:
        profiles.remove_profile('my profile')
    assert _is(info.value, PrefectCtx.Error.NOT_FOUND)
    profiles.save(None)

    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = path.read_text()
    assert text.startswith('active = "new"\n')
    assert '[unknown.section]\nkept = true\n' in text
    assert 'PREFECT_SERVER_API_HOST = "0.0.0.0"' in text

    again = PrefectCtx.Profiles.load()
    assert again.get_names() == ['default', 'dev', 'new']
    assert again.get_active_name() == 'new'
    assert again.lookup('new').get_value('PREFECT_API_URL') == 'http://new/api'
    assert again.to_toml() == text


def test_round_trip(home):
    (home / 'profiles.toml').write_text(PROFILES)
    first = PrefectCtx.Profiles.load()
    first.save(None)
    second = PrefectCtx.Profiles.load()
    assert second.get_names() == first.get_names()
    assert second.get_active_name() == first.get_active_name()
    for name in first.get_names():
        assert second.lookup(name).get_settings().unpack() == first.lookup(name).get_settings().unpack()


def test_temporary_settings(home):
    """Prefect's temporary_settings (): the current settings updated for
    the block, the profile kept, and the previous settings after it."""
    def api_url():
        return PrefectCtx.get_settings_context().get_settings().get_api_url()

    before = PrefectCtx.get_settings_context()
    with PrefectCtx.temporary_settings({'PREFECT_API_URL': 'http://tmp/api',
                                        'PREFECT_CLIENT_MAX_RETRIES': 2}) as settings:
        assert isinstance(settings, PrefectCtx.Settings)
        assert settings.get_api_url() == 'http://tmp/api' == api_url()
        assert settings.get_client_max_retries() == 2
        assert PrefectCtx.get_settings_context().get_profile() is before.get_profile()
        # None, or restore_defaults, unsets; set_defaults only fills in.
        with PrefectCtx.temporary_settings({'PREFECT_CLIENT_MAX_RETRIES': None},
                                           set_defaults={'PREFECT_API_URL': 'http://other/api',
                                                         'PREFECT_UI_URL': 'http://ui'},
                                           restore_defaults=['PREFECT_API_URL']) as inner:
            assert inner.get_client_max_retries() == 5
            assert inner.get_api_url() is None
            assert inner.get_ui_url() == 'http://ui'
        assert api_url() == 'http://tmp/api'
    assert PrefectCtx.get_settings_context() is before

    with pytest.raises(GLib.Error) as info:
        with PrefectCtx.temporary_settings({'PREFECT_NOPE': 1}):
            pass
    assert _is(info.value, PrefectCtx.Error.INVALID_ARGUMENT)
    assert PrefectCtx.get_settings_context() is before
