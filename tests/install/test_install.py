# test_install.py: an install into a prefix works for Python and gjs users.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Installs the build into a staging directory (DESTDIR) and checks that,
# once in place, the Python and gjs overrides are where Debian's python3 and
# gjs look for that prefix without PYTHONPATH or GJS_PATH: the staging
# directory stands in for the root by mapping onto it the interpreters' own
# search paths under the prefix. The typelib needs GI_TYPELIB_PATH unless
# the prefix is /usr (the README's one step), and so does the library's
# directory for LD_LIBRARY_PATH.
import json
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

BUILD = os.environ['PREFECT_CTX_BUILD_ROOT']


def introspect(what):
    out = subprocess.run(['meson', 'introspect', BUILD, what], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


@pytest.fixture(scope='module')
def staged():
    options = {o['name']: o['value'] for o in introspect('--buildoptions')}
    root = tempfile.mkdtemp(prefix='prefectctx-install-')
    subprocess.run(['meson', 'install', '-C', BUILD, '--destdir', root, '--no-rebuild', '--quiet'],
                   check=True, capture_output=True, text=True)
    installed = introspect('--installed')
    yield root, options, installed
    shutil.rmtree(root, ignore_errors=True)


def destination(installed, name):
    found = [dest for src, dest in installed.items() if os.path.basename(src) == name]
    assert len(found) == 1, (name, found)
    return found[0]


def environment(root, installed):
    typelib = destination(installed, 'PrefectCtx-1.0.typelib')
    library = destination(installed, 'libprefectctx-1.so.0') if any(
        os.path.basename(s) == 'libprefectctx-1.so.0' for s in installed) else None
    env = {k: v for k, v in os.environ.items()
           if k not in ('PYTHONPATH', 'GJS_PATH', 'GI_TYPELIB_PATH', 'LD_LIBRARY_PATH')}
    env['GI_TYPELIB_PATH'] = root + os.path.dirname(typelib)
    libdir = os.path.dirname(library) if library else os.path.dirname(os.path.dirname(typelib))
    env['LD_LIBRARY_PATH'] = root + libdir
    return env


def test_python_finds_the_override(staged):
    root, options, installed = staged
    prefix = options['prefix']
    override = destination(installed, 'PrefectCtx.py')
    default_path = json.loads(subprocess.run(['/usr/bin/python3', '-c', 'import json, sys; print(json.dumps(sys.path))'],
                                             check=True, capture_output=True, text=True,
                                             env={'PATH': os.environ.get('PATH', '')}).stdout)
    # The override's directory is one python3 searches for this prefix...
    assert os.path.dirname(os.path.dirname(os.path.dirname(override))) in default_path, (override, default_path)
    # ...and, staged there, it is the one PyGObject loads.
    mapped = [root + p for p in default_path if p.startswith(prefix + '/')]
    code = ('import sys; sys.path[:0] = %r\n'
            'import gi; gi.require_version("PrefectCtx", "1.0")\n'
            'from gi.repository import PrefectCtx\n'
            'assert callable(PrefectCtx.flow), "no override"\n'
            'print(PrefectCtx.__file__ if hasattr(PrefectCtx, "__file__") else "ok")' % mapped)
    result = subprocess.run(['/usr/bin/python3', '-c', code], capture_output=True, text=True,
                            env=environment(root, installed))
    assert result.returncode == 0, result.stderr


def test_gjs_finds_the_override(staged):
    root, options, installed = staged
    if shutil.which('gjs') is None:
        pytest.skip('no gjs')
    override = destination(installed, 'PrefectCtx.js')
    share = os.path.dirname(os.path.dirname(os.path.dirname(override)))
    # gjs looks in <data dir>/gjs-1.0/overrides for each XDG data dir;
    # the default ones are /usr/local/share and /usr/share.
    assert share in ('/usr/local/share', '/usr/share', os.path.join(options['prefix'], 'share')), override
    env = environment(root, installed)
    env['XDG_DATA_DIRS'] = root + share
    with tempfile.NamedTemporaryFile('w', suffix='.js', delete=False) as script:
        script.write("const PrefectCtx = imports.gi.PrefectCtx;\n"
                     "if (typeof PrefectCtx.flow !== 'function') throw new Error('no override');\n")
    try:
        result = subprocess.run(['gjs', script.name], capture_output=True, text=True, env=env)
    finally:
        os.unlink(script.name)
    assert result.returncode == 0, result.stderr
