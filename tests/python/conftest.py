# conftest.py: load the real PyGObject, the uninstalled typelib and the
# override from the source tree, and fail loudly when any of them is wrong.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import sys

import gi

# A gi/ folder on PYTHONPATH without PyGObject makes `import gi` succeed as an
# empty namespace package: make sure the real one was loaded.
assert getattr(gi, '__file__', None) is not None and hasattr(gi, 'require_version'), \
    'PyGObject is not available to %s' % (gi,)

gi.require_version('PrefectCtx', '1.0')

from gi.repository import PrefectCtx  # noqa: E402


def _check_override():
    overrides = sys.modules.get('gi.overrides.PrefectCtx')
    assert overrides is not None and hasattr(PrefectCtx, '_overrides_module'), \
        'the PrefectCtx override was not loaded (PYTHONPATH?)'
    expected = os.environ.get('PREFECT_CTX_OVERRIDE_DIR')
    if expected:
        assert os.path.samefile(os.path.dirname(overrides.__file__), expected), \
            'override loaded from %s, not from %s' % (overrides.__file__, expected)
    assert hasattr(PrefectCtx.Context, '__enter__')


_check_override()
