# test_context.py: the core (layer 1) through PyGObject and the override:
# contexts declared in Python, enter/exit, errors, snapshots across threads.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import sys
import threading

import pytest

import gi

gi.require_version('PrefectCtx', '1.0')
from gi.repository import GLib, GObject, PrefectCtx  # noqa: E402

RW_CONSTRUCT = GObject.ParamFlags.READWRITE | GObject.ParamFlags.CONSTRUCT_ONLY

ALREADY_ENTERED_MSG = 'Context already entered. Context enter calls cannot be nested.'
NOT_ENTERED_MSG = 'Asymmetric use of context. Context exit called without an enter.'


def assert_error(excinfo, code, message=None):
    err = excinfo.value
    assert isinstance(err, GLib.Error)
    assert err.domain == GLib.quark_to_string(PrefectCtx.error_quark())
    assert err.matches(PrefectCtx.error_quark(), code), (err.code, err.message)
    if message is not None:
        assert err.message == message


@PrefectCtx.context_kind('py_mine')
class Mine(PrefectCtx.Context):
    """A context kind declared from Python."""
    value = GObject.Property(type=int, default=0, flags=RW_CONSTRUCT)
    label = GObject.Property(type=str, default='', flags=RW_CONSTRUCT)
    names = GObject.Property(type=GObject.TYPE_STRV, flags=RW_CONSTRUCT)
    computed = GObject.Property(type=int, default=0, flags=GObject.ParamFlags.READABLE)


class SubMine(Mine):
    """A subclass: shares Mine's kind."""


@PrefectCtx.context_kind('py_other')
class Other(PrefectCtx.Context):
    """A second, independent kind."""
    value = GObject.Property(type=int, default=0, flags=RW_CONSTRUCT)


@PrefectCtx.context_kind('py_checked')
class Checked(PrefectCtx.Context):
    """A kind whose validate and entered vfuncs are written in Python."""
    value = GObject.Property(type=int, default=0, flags=RW_CONSTRUCT)
    entered_values = []

    def do_validate(self):
        if self.props.value < 0:
            raise GLib.Error.new_literal(PrefectCtx.error_quark(),
                                         'value must not be negative',
                                         PrefectCtx.Error.INVALID_ARGUMENT)
        return True

    def do_entered(self):
        Checked.entered_values.append(self.props.value)


class NoKind(PrefectCtx.Context):
    """A direct subclass of the base that never declared a kind."""


def current(kind=Mine):
    return PrefectCtx.Context.get_current(kind.__gtype__)


@pytest.fixture(autouse=True)
def clean_thread():
    """Every test starts and ends with no context on the main thread."""
    assert current(Mine) is None and current(Other) is None
    yield
    assert current(Mine) is None and current(Other) is None


# ---------------------------------------------------------------------------
# Setup


def test_real_pygobject_and_override_loaded():
    assert hasattr(gi, 'require_version') and gi.__file__
    override = sys.modules['gi.overrides.PrefectCtx']
    assert override.__file__.endswith('bindings/python/gi/overrides/PrefectCtx.py')
    assert hasattr(PrefectCtx.Context, '__enter__') and hasattr(PrefectCtx.Context, '__exit__')


# ---------------------------------------------------------------------------
# Kinds


def test_declare_kind_from_python():
    assert PrefectCtx.Context.kind_get_name(Mine.__gtype__) == 'py_mine'
    assert PrefectCtx.Context.kind_get_name(SubMine.__gtype__) == 'py_mine'
    assert PrefectCtx.Context.kind_get_name(Other.__gtype__) == 'py_other'
    assert PrefectCtx.Context.kind_get_name(NoKind.__gtype__) is None


def test_declare_kind_twice_is_harmless():
    assert PrefectCtx.Context.declare_kind_for_type(Mine.__gtype__, 'py_mine')
    assert PrefectCtx.Context.kind_get_name(Mine.__gtype__) == 'py_mine'


def test_declare_kind_refuses_non_context():
    with pytest.raises(GLib.Error) as excinfo:
        PrefectCtx.Context.declare_kind_for_type(GObject.Object.__gtype__, 'nope')
    assert_error(excinfo, PrefectCtx.Error.INVALID_ARGUMENT)
    assert 'not a subclass of PrefectCtxContext' in excinfo.value.message


def test_enter_without_kind_fails():
    ctx = NoKind()
    with pytest.raises(GLib.Error) as excinfo:
        ctx.enter()
    assert_error(excinfo, PrefectCtx.Error.INVALID_ARGUMENT)
    assert 'belongs to no context kind' in excinfo.value.message
    assert not ctx.is_entered()


def test_properties_are_construct_only():
    ctx = Mine(value=3, label='x')
    assert ctx.props.value == 3 and ctx.props.label == 'x'
    with pytest.raises(TypeError):
        ctx.props.value = 4
    assert ctx.props.value == 3


# ---------------------------------------------------------------------------
# Enter / exit


def test_enter_exit_methods():
    ctx = Mine(value=1)
    assert not ctx.is_entered()
    assert ctx.enter() is True
    assert ctx.is_entered()
    assert current() is ctx
    assert Mine.current() is ctx
    assert ctx.exit() is True
    assert not ctx.is_entered()
    assert current() is None


def test_with_returns_self_and_exits():
    ctx = Mine(value=1)
    with ctx as entered:
        assert entered is ctx
        assert current() is ctx
        assert ctx.is_entered()
    assert not ctx.is_entered()
    assert current() is None


def test_with_exits_on_exception():
    ctx = Mine(value=1)
    with pytest.raises(ZeroDivisionError):
        with ctx:
            1 / 0
    assert not ctx.is_entered()
    assert current() is None
    # It can be entered again afterwards.
    with ctx:
        assert current() is ctx


def test_nesting_restores_previous():
    one, two, three = Mine(value=1), Mine(value=2), Mine(value=3)
    with one:
        with two:
            with three:
                assert current().props.value == 3
            assert current().props.value == 2
        assert current().props.value == 1
    assert current() is None


def test_kinds_are_independent():
    with Mine(value=1) as mine:
        with Other(value=2) as other:
            assert current(Mine) is mine
            assert current(Other) is other
        assert current(Other) is None
        assert current(Mine) is mine


def test_subclass_shares_kind():
    parent, child = Mine(value=1), SubMine(value=2)
    with parent:
        with child:
            # The slot holds the SubMine; it is an instance of both classes.
            assert Mine.current() is child
            assert SubMine.current() is child
        assert Mine.current() is parent
        # get_current only returns an instance of the class asked for.
        assert SubMine.current() is None


def test_already_entered():
    ctx = Mine()
    with ctx:
        with pytest.raises(GLib.Error) as excinfo:
            ctx.enter()
        assert_error(excinfo, PrefectCtx.Error.ALREADY_ENTERED, ALREADY_ENTERED_MSG)
        with pytest.raises(GLib.Error) as excinfo:
            with ctx:
                pass
        assert_error(excinfo, PrefectCtx.Error.ALREADY_ENTERED, ALREADY_ENTERED_MSG)
        # The failed enters changed nothing.
        assert current() is ctx
    assert current() is None


def test_not_entered():
    ctx = Mine()
    with pytest.raises(GLib.Error) as excinfo:
        ctx.exit()
    assert_error(excinfo, PrefectCtx.Error.NOT_ENTERED, NOT_ENTERED_MSG)
    with ctx:
        pass
    with pytest.raises(GLib.Error) as excinfo:
        ctx.exit()
    assert_error(excinfo, PrefectCtx.Error.NOT_ENTERED, NOT_ENTERED_MSG)


def test_out_of_order_leaves_state_unchanged():
    outer, inner = Mine(value=1), Other(value=2)
    outer.enter()
    inner.enter()
    with pytest.raises(GLib.Error) as excinfo:
        outer.exit()
    assert_error(excinfo, PrefectCtx.Error.OUT_OF_ORDER)
    assert 'not the innermost context' in excinfo.value.message
    assert current(Mine) is outer and current(Other) is inner
    assert outer.is_entered() and inner.is_entered()
    inner.exit()
    outer.exit()


def test_out_of_order_in_with_block():
    outer, inner = Mine(value=1), Other(value=2)
    with pytest.raises(GLib.Error) as excinfo:
        with outer:
            inner.enter()
    # __exit__ of outer refused: inner is still on top.
    assert_error(excinfo, PrefectCtx.Error.OUT_OF_ORDER)
    assert outer.is_entered() and inner.is_entered()
    inner.exit()
    outer.exit()


def test_wrong_thread():
    ctx = Mine(value=7)
    ctx.enter()
    seen = {}

    def worker():
        seen['current'] = current()
        try:
            ctx.exit()
        except GLib.Error as err:
            seen['error'] = err

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()

    err = seen['error']
    assert err.matches(PrefectCtx.error_quark(), PrefectCtx.Error.WRONG_THREAD)
    assert 'entered on another thread' in err.message
    # The worker started empty, and the main thread's state is unchanged.
    assert seen['current'] is None
    assert current() is ctx and ctx.is_entered()
    ctx.exit()


def test_already_entered_on_another_thread():
    ctx = Mine()
    seen = {}

    def worker():
        try:
            ctx.enter()
        except GLib.Error as err:
            seen['error'] = err

    with ctx:
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    assert seen['error'].matches(PrefectCtx.error_quark(), PrefectCtx.Error.ALREADY_ENTERED)
    assert seen['error'].message == ALREADY_ENTERED_MSG


def test_contexts_in_threads_are_separate():
    barrier = threading.Barrier(4)
    results = {}

    def worker(n):
        with Mine(value=n):
            barrier.wait()
            results[n] = current().props.value
            barrier.wait()
        results[-n] = current()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(1, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {1: 1, 2: 2, 3: 3, 4: 4, -1: None, -2: None, -3: None, -4: None}


# ---------------------------------------------------------------------------
# vfuncs in Python


def test_validate_vfunc_refuses():
    bad = Checked(value=-1)
    with pytest.raises(GLib.Error) as excinfo:
        bad.check()
    assert_error(excinfo, PrefectCtx.Error.INVALID_ARGUMENT, 'value must not be negative')
    with pytest.raises(GLib.Error) as excinfo:
        bad.enter()
    assert_error(excinfo, PrefectCtx.Error.INVALID_ARGUMENT, 'value must not be negative')
    assert not bad.is_entered()
    assert current(Checked) is None

    good = Checked(value=1)
    assert good.check()
    with pytest.raises(GLib.Error) as excinfo:
        good.copy_with(value=-5)
    assert_error(excinfo, PrefectCtx.Error.INVALID_ARGUMENT, 'value must not be negative')


def test_entered_vfunc():
    Checked.entered_values.clear()
    with Checked(value=4):
        assert Checked.entered_values == [4]
        with Checked(value=5):
            pass
    assert Checked.entered_values == [4, 5]


# ---------------------------------------------------------------------------
# copy_with


def test_copy_with_keywords():
    ctx = Mine(value=1, label='a', names=['x'])
    copy = ctx.copy_with(value=2)
    assert isinstance(copy, Mine)
    assert copy is not ctx
    assert (copy.props.value, copy.props.label, list(copy.props.names)) == (2, 'a', ['x'])
    assert (ctx.props.value, ctx.props.label) == (1, 'a')
    assert not copy.is_entered()


def test_copy_with_converts_values():
    ctx = Mine(value=1)
    assert ctx.copy_with(value=2.0).props.value == 2
    assert list(ctx.copy_with(names={'b', 'a'}).props.names) == ['a', 'b']
    assert ctx.copy_with(label='z', value=9).props.label == 'z'


def test_copy_with_subclass_keeps_type():
    copy = SubMine(value=1).copy_with(label='sub')
    assert type(copy) is SubMine
    assert copy.props.value == 1 and copy.props.label == 'sub'


def test_copy_with_introspected_form():
    ctx = Mine(value=1)
    copy = ctx.copy_with(['value', 'label'],
                         [GObject.Value(GObject.TYPE_INT, 5), GObject.Value(GObject.TYPE_STRING, 'v')])
    assert (copy.props.value, copy.props.label) == (5, 'v')


def test_copy_with_nothing():
    ctx = Mine(value=3, label='same')
    copy = ctx.copy_with()
    assert copy is not ctx
    assert (copy.props.value, copy.props.label) == (3, 'same')


def test_copy_with_entered_while_original_is():
    ctx = Mine(value=1)
    with ctx:
        with ctx.copy_with(value=2) as copy:
            assert current() is copy
        assert current() is ctx


def test_copy_with_unknown_property():
    with pytest.raises(GLib.Error) as excinfo:
        Mine().copy_with(no_such_thing=1)
    assert_error(excinfo, PrefectCtx.Error.INVALID_ARGUMENT)
    assert "has no property 'no-such-thing'" in excinfo.value.message


def test_copy_with_read_only_property():
    with pytest.raises(GLib.Error) as excinfo:
        Mine().copy_with(computed=1)
    assert_error(excinfo, PrefectCtx.Error.INVALID_ARGUMENT)
    assert "Property 'computed'" in excinfo.value.message and 'read-only' in excinfo.value.message


def test_copy_with_wrong_type():
    with pytest.raises(GLib.Error) as excinfo:
        Mine().copy_with(value='not a number')
    assert_error(excinfo, PrefectCtx.Error.INVALID_ARGUMENT)
    assert "property 'value'" in excinfo.value.message


def test_copy_with_mixed_forms_refused():
    with pytest.raises(TypeError):
        Mine().copy_with(['value'], [GObject.Value(GObject.TYPE_INT, 1)], label='x')


# ---------------------------------------------------------------------------
# Snapshots


def test_snapshot_capture_and_get():
    empty = PrefectCtx.Snapshot.capture()
    assert empty.is_empty()
    assert empty.get(Mine.__gtype__) is None
    ctx = Mine(value=1)
    with ctx:
        snap = PrefectCtx.Snapshot.capture()
    assert not snap.is_empty()
    # Exiting afterwards does not change the snapshot, which keeps ctx alive.
    assert snap.get(Mine.__gtype__) is ctx
    assert snap.get(Other.__gtype__) is None


def test_snapshot_run_returns_and_raises():
    snap = PrefectCtx.Snapshot.capture()
    assert snap.run(lambda a, b=0: a + b, 2, b=3) == 5
    assert snap.run(lambda: None) is None

    def boom():
        raise KeyError('inside')

    with pytest.raises(KeyError, match='inside'):
        snap.run(boom)

    def fails_in_c():
        Mine().exit()

    with pytest.raises(GLib.Error) as excinfo:
        snap.run(fails_in_c)
    assert_error(excinfo, PrefectCtx.Error.NOT_ENTERED, NOT_ENTERED_MSG)


def test_snapshot_run_on_same_thread_restores_state():
    ctx = Mine(value=1)
    with ctx:
        snap = PrefectCtx.Snapshot.capture()
    other = Other(value=2)
    with other:
        seen = snap.run(lambda: (current(Mine), current(Other)))
        assert seen == (ctx, None)
        assert current(Other) is other and current(Mine) is None


def test_new_thread_starts_empty():
    seen = {}

    def worker():
        seen['mine'] = current(Mine)
        seen['empty'] = PrefectCtx.Snapshot.capture().is_empty()

    with Mine(value=1), Other(value=2):
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    assert seen == {'mine': None, 'empty': True}


def test_snapshot_carried_into_thread():
    mine, other = Mine(value=1), Other(value=2)
    results = {}

    with mine, other:
        snap = PrefectCtx.Snapshot.capture()

        def work(tag):
            inner = Mine(value=10)
            with inner:
                inside = current(Mine).props.value
            return (tag, current(Mine), current(Other), inside)

        def worker():
            results['before'] = current(Mine)
            results['run'] = snap.run(work, 'w')
            results['after'] = current(Mine)

        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()

    assert results['before'] is None
    assert results['run'] == ('w', mine, other, 10)
    assert results['after'] is None


def test_snapshot_contexts_cannot_be_exited_inside_run():
    ctx = Mine(value=1)
    errors = []

    def worker():
        try:
            snap.run(ctx.exit)
        except GLib.Error as err:
            errors.append(err)

    with ctx:
        snap = PrefectCtx.Snapshot.capture()
        # On the entering thread: the snapshot's own contexts are fixed.
        with pytest.raises(GLib.Error) as excinfo:
            snap.run(ctx.exit)
        assert_error(excinfo, PrefectCtx.Error.OUT_OF_ORDER)
        # On another thread: it was entered elsewhere.
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        assert current() is ctx
    assert errors and errors[0].matches(PrefectCtx.error_quark(), PrefectCtx.Error.WRONG_THREAD)


def test_snapshot_run_in_many_threads_at_once():
    ctx = Mine(value=42)
    with ctx:
        snap = PrefectCtx.Snapshot.capture()
    results = []
    lock = threading.Lock()

    def worker(n):
        for _ in range(200):
            value = snap.run(lambda: current(Mine).props.value)
            with lock:
                results.append((n, value))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8 * 200
    assert all(value == 42 for _, value in results)
