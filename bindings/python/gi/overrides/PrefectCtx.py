# PrefectCtx.py: PyGObject overrides for libprefectctx
#
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Pythonic additions to ``gi.repository.PrefectCtx``.

Everything the C library offers stays available as introspected; this module
only adds what makes it read like Prefect and Flyte in Python:

* every :class:`Context` is a context manager: ``with ctx:`` enters it,
  returns it, and exits it when the block ends, also on an exception;
* :meth:`Context.copy_with` takes keyword arguments
  (``ctx.copy_with(log_prints=True)``);
* context constructors take keyword properties, converting a dict for a
  GVariant property to ``a{sv}``, a set to a list of strings and a
  ``datetime`` to a GLib.DateTime;
* :meth:`Context.current` returns the innermost entered context of a class;
* :func:`context_kind` declares a context kind for a Python subclass;
* :meth:`Snapshot.run` calls a function with arguments inside a snapshot,
  returns its result and re-raises its exception;
* :func:`tags` is Prefect's ``tags(*names)``, :func:`custom_context` and
  :func:`get_custom_context` are Flyte's;
* :func:`serialize_context` and :func:`hydrated_context` carry contexts
  to another process, as Prefect 3's do;
* :func:`get_run_logger` is Prefect's, and ``print()`` inside a decorated
  flow or task with ``log_prints=True`` also stores what it prints as a log
  of the run, as Prefect's ``log_prints`` does.

Every ``GError`` the library reports is raised as :class:`GLib.Error` in the
``PrefectCtx.Error`` domain (``e.matches(PrefectCtx.error_quark(),
PrefectCtx.Error.ALREADY_ENTERED)``).
"""

import asyncio
import builtins
import contextvars
import ctypes
import datetime
import io
import json
import logging
import signal
import sys
import threading
import time

from gi.repository import Gio, GLib, GObject

from ..module import get_introspection_module
from ..overrides import override

PrefectCtx = get_introspection_module('PrefectCtx')

__all__ = []


# ---------------------------------------------------------------------------
# The current state: one per thread and per asyncio task


_ERROR_DOMAIN = GLib.quark_to_string(PrefectCtx.error_quark())
_c_capture = PrefectCtx.Snapshot.capture
_c_get_current = PrefectCtx.Context.get_current
_c_exit = PrefectCtx.Context.exit


def _error(code, message):
    return GLib.Error(message, _ERROR_DOMAIN, int(code))


class _State(object):
    """A Python-level current state: a Snapshot, the context whose enter
    made it (or None for a state installed whole), the state below, the
    scope (``with tags(...)``, ``with use_profile(...)``) that made it, and
    the contexts of each class looked up in it so far."""

    __slots__ = ('_snapshot', 'entered', 'prev', 'thread', 'contexts', 'scope')

    def __init__(self, snapshot, entered=None, prev=None):
        self._snapshot = snapshot
        self.entered = entered
        self.prev = prev
        self.thread = threading.get_ident()
        self.contexts = {}
        self.scope = None

    @property
    def snapshot(self):
        return self._snapshot

    def lookup(self, cls):
        context = self.snapshot.get(cls.__gtype__)
        self.contexts[cls] = context
        return context


def _lookup(state, cls):
    """The context of @cls current in @state, or None."""
    try:
        return state.contexts[cls]
    except KeyError:
        return state.lookup(cls)


# The state of the running code. A ContextVar, so that each asyncio task
# (which runs in a copy of its creator's contextvars.Context) and each thread
# has its own; unset (None), the state is the C library's per-thread one.
_state = contextvars.ContextVar('PrefectCtx.state', default=None)

# The C library's state of each thread, captured once and kept while the
# thread's serial (prefect_ctx_snapshot_get_serial ()) says it is current.
_c_serial = PrefectCtx.Snapshot.get_serial
_roots = threading.local()


def _root_state():
    """The state of the running code when none is set: the thread's own."""
    serial = _c_serial()
    root = getattr(_roots, 'state', None)
    if root is None or _roots.serial != serial:
        root = _State(_c_capture())
        _roots.state = root
        _roots.serial = serial
    return root


def _current_snapshot():
    state = _state.get()
    return state.snapshot if state is not None else _root_state().snapshot


def _under_state(fn):
    """Wraps a function of the C library that reads the current contexts:
    it runs with the Python-level state attached to the thread."""
    def call(*args, **kwargs):
        state = _state.get()
        if state is None:
            return fn(*args, **kwargs)
        snapshot = state.snapshot
        snapshot.attach()
        try:
            return fn(*args, **kwargs)
        finally:
            snapshot.detach()
    call.__name__ = getattr(fn, '__name__', 'call')
    call.__doc__ = getattr(fn, '__doc__', None)
    return call


def _run_in_state(snapshot, fn, *args, **kwargs):
    """Calls fn with @snapshot as the Python-level state."""
    token = _state.set(_State(snapshot))
    try:
        return fn(*args, **kwargs)
    finally:
        _state.reset(token)



# ---------------------------------------------------------------------------
# Values for properties


# The GLib.Variant constructors are called directly: GLib.Variant (format,
# value) parses its format in Python, 2 us for an int and 29 us for a
# two-member a{sv} (10 us this way), a good part of a task call.
_V = GLib.VariantType.new('v')
_SV = GLib.VariantType.new('{sv}')


def _vardict(pairs):
    """The a{sv} GLib.Variant of (str key, GLib.Variant value) @pairs, in
    their order."""
    new_string, new_variant, new_entry = GLib.Variant.new_string, GLib.Variant.new_variant, GLib.Variant.new_dict_entry
    return GLib.Variant.new_array(_SV, [new_entry(new_string(key), new_variant(value)) for key, value in pairs])


def _to_variant(value):
    """Converts a Python value to a GLib.Variant, guessing its type."""
    if isinstance(value, GLib.Variant):
        return value
    if isinstance(value, bool):
        return GLib.Variant.new_boolean(value)
    if isinstance(value, int):
        return GLib.Variant.new_int64(value)    # OverflowError past 64 bits
    if isinstance(value, float):
        return GLib.Variant.new_double(value)
    if isinstance(value, str):
        if '\0' in value:
            # GLib.Variant would cut the string there.
            raise ValueError('Cannot convert %r to a GLib.Variant: a string cannot hold a NUL character' % (value,))
        return GLib.Variant.new_string(value)
    if isinstance(value, dict):
        return _to_vardict(value)
    if isinstance(value, (list, tuple)):
        return GLib.Variant.new_array(_V, [GLib.Variant.new_variant(_to_variant(v)) for v in value])
    if value is None:
        return GLib.Variant.new_maybe(_V, None)
    raise TypeError('Cannot convert %r to a GLib.Variant' % (value,))


def _to_vardict(mapping):
    """Converts a dict with str keys to a GLib.Variant of type a{sv}."""
    converted = {}
    for key, value in mapping.items():
        key = str(key)
        if '\0' in key:
            raise ValueError('Cannot convert the key %r to a GLib.Variant: a string cannot hold a NUL character'
                             % (key,))
        converted[key] = _to_variant(value)
    return _vardict(converted.items())


_DATE_TIME_TYPE = GLib.DateTime.__gtype__


def _to_datetime(value):
    """Converts a datetime.datetime (naive means UTC) to a GLib.DateTime."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return GLib.DateTime.new_from_iso8601(value.isoformat(), None)


def _guess_value(value):
    """A GObject.Value holding @value, for a property this class lacks."""
    for py_type, g_type in ((bool, GObject.TYPE_BOOLEAN), (int, GObject.TYPE_INT64),
                            (float, GObject.TYPE_DOUBLE), (str, GObject.TYPE_STRING)):
        if isinstance(value, py_type):
            return GObject.Value(g_type, value)
    return GObject.Value(GObject.TYPE_STRING, '')


def _convert(pspec, value):
    """Converts @value to what a property of @pspec's type takes: a dict to
    an a{sv} GLib.Variant, a set or tuple to a sorted list of strings, a
    datetime.datetime to a GLib.DateTime. Other values are returned as is."""
    vtype = pspec.value_type
    if vtype == GObject.TYPE_VARIANT and isinstance(value, dict):
        return _to_vardict(value)
    if vtype == GObject.TYPE_STRV and isinstance(value, (set, frozenset, tuple)):
        return sorted(value)
    if vtype == _DATE_TIME_TYPE and isinstance(value, datetime.datetime):
        return _to_datetime(value)
    return value


def _property_value(obj, name, value):
    """A GObject.Value for property @name of @obj, converted from @value.

    Returns a value of the property's type when PyGObject can convert it;
    otherwise a value of the guessed type, so that the C library reports the
    mismatch (or the unknown name) as a GLib.Error.
    """
    if isinstance(value, GObject.Value):
        return value
    pspec = obj.find_property(name)
    if pspec is None:
        return _guess_value(value)
    if pspec.value_type == GObject.TYPE_BOOLEAN and not isinstance(value, (bool, int)):
        # GObject.Value would take any object's truth value.
        return _guess_value(value)
    try:
        return GObject.Value(pspec.value_type, _convert(pspec, value))
    except (TypeError, ValueError, OverflowError):
        return _guess_value(value)


# ---------------------------------------------------------------------------
# Context


class Context(PrefectCtx.Context):
    """The base of every context; usable as a context manager.

    ``with ctx:`` enters ``ctx``, binds it to the ``as`` target and exits it
    when the block ends, also when the block raises. Errors from entering
    or exiting (``ALREADY_ENTERED``, ``OUT_OF_ORDER``...) are GLib.Error.

    Contexts entered from Python are entered into the state of the running
    code, which lives in a ``contextvars.ContextVar``: each thread and each
    asyncio task has its own, and a task started inside a ``with`` block
    sees the block's contexts (asyncio copies the state into it), so
    concurrent coroutines never see each other's contexts. Every call into
    the library that reads the current contexts sees that state.
    """

    def __init__(self, **props):
        """Constructs a context from keyword properties (``_`` for ``-``),
        converting dicts, sets and datetimes as :meth:`copy_with` does."""
        for name, value in props.items():
            pspec = type(self).find_property(name.replace('_', '-'))
            if pspec is not None:
                props[name] = _convert(pspec, value)
        super().__init__(**props)

    def enter(self):
        """Makes this the current context of its kind in the running code
        (the thread, or the asyncio task) until :meth:`exit`."""
        state = _state.get()
        base = state.snapshot if state is not None else _root_state().snapshot
        snapshot = base.enter(self)
        new = _State(snapshot, self, state)
        self.__dict__['_prefectctx_state'] = new
        _state.set(new)
        return True

    def exit(self):
        """Ends the scope :meth:`enter` began. Only the innermost context
        entered in the running code can be exited."""
        state = _state.get()
        if state is None or state.entered is not self:
            entered = self.__dict__.get('_prefectctx_state')
            if not self.is_entered() or entered is None:
                if self.is_entered():
                    # Entered by C code on this thread's own state.
                    return super().exit()
                raise _error(PrefectCtx.Error.NOT_ENTERED,
                             'Asymmetric use of context. Context exit called without an enter.')
            if entered.thread != threading.get_ident():
                raise _error(PrefectCtx.Error.WRONG_THREAD,
                             'Cannot exit this %s: it was entered on another thread' % type(self).__gtype__.name)
            raise _error(PrefectCtx.Error.OUT_OF_ORDER,
                         'Cannot exit this %s: it is not the innermost context entered on this thread; '
                         'exit the contexts entered after it first' % type(self).__gtype__.name)
        state.snapshot.exit()
        self.__dict__.pop('_prefectctx_state', None)
        _state.set(state.prev)
        return True

    def __enter__(self):
        self.enter()
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.exit()
        return False

    def copy_with(self, *args, **props):
        """Returns a new, unentered copy with some properties changed.

        ``ctx.copy_with(log_prints=True, parameters={"x": 1})``: keyword
        names use ``_`` for ``-``. Values are converted to each property's
        type (a dict to an ``a{sv}`` GLib.Variant, a set to a sorted list of
        strings, a ``datetime`` to a GLib.DateTime). The introspected form
        ``ctx.copy_with(names, values)`` with lists of names and
        GObject.Value still works. An unknown or read-only property, or a
        value of the wrong type, raises GLib.Error INVALID_ARGUMENT.
        """
        if args:
            if props:
                raise TypeError('copy_with() takes either (names, values) or keyword arguments')
            return super().copy_with(*args)
        names = [name.replace('_', '-') for name in props]
        values = [_property_value(self, name, value) for name, value in zip(names, props.values())]
        return super().copy_with(names, values)

    @classmethod
    def current(cls):
        """Returns the innermost entered context of this class in the
        running code, or None (like Prefect's ``FlowRunContext.get()``)."""
        state = _state.get()
        if state is None:
            return _c_get_current(cls.__gtype__)
        try:
            return state.contexts[cls]
        except KeyError:
            return state.lookup(cls)

    @staticmethod
    def get_current(kind):
        """The innermost entered context of @kind (a GType or a class), or
        None; see :meth:`current`."""
        state = _state.get()
        if state is None:
            return _c_get_current(kind)
        return state.snapshot.get(kind)


Context = override(Context)
__all__.append('Context')


def _define_get_current(cls):
    raw = _under_state(cls.get_current)
    get_state = _state.get

    def current():
        # The hit, cached in the state, costs one ContextVar.get () and one
        # dict lookup; an unset state (None) raises AttributeError.
        try:
            return get_state().contexts[cls]
        except KeyError:
            return get_state().lookup(cls)
        except AttributeError:
            return _c_get_current(cls.__gtype__)

    def get_current():
        context = current()
        # TagsContext.get_current () never returns None and settings fall
        # back to the root context: the library decides.
        return raw() if context is None and cls in _falls_back else context
    # The class's own, with the class bound: no classmethod binding per call.
    current.__doc__ = Context.current.__doc__
    get_current.__doc__ = 'The innermost entered %s in the running code, or None.' % cls.__name__
    cls.current = staticmethod(current)
    cls.get_current = staticmethod(get_current)
    # Prefect's spelling: FlowRunContext.get ().
    cls.get = staticmethod(get_current)


_falls_back = (PrefectCtx.TagsContext, PrefectCtx.SettingsContext)
for _name in ('FlowRunContext', 'TaskRunContext', 'TagsContext', 'SettingsContext',
              'CustomContext', 'ObjectRegistry'):
    _define_get_current(getattr(PrefectCtx, _name))


# ---------------------------------------------------------------------------
# Prefect's spelling of models and contexts: attributes, states, reprs and
# equality by value

# Prefect's names that are not the property's: a state's type, the labels
# of Prefect 1's FlowRunView (its flow run's tags).
_ATTRIBUTE_ALIASES = {'type': 'state-type', 'labels': 'tags'}


def _python_value(value):
    """A property's value as Prefect's models give it: a dict or list for a
    GLib.Variant, an aware datetime for a GLib.DateTime."""
    if isinstance(value, GLib.Variant):
        return value.unpack()
    if isinstance(value, GLib.DateTime):
        return datetime.datetime.fromisoformat(value.format_iso8601().replace('Z', '+00:00'))
    if isinstance(value, Gio.ListModel):
        return list(value)
    return value


def _attribute(self, name):
    """Reads a property as an attribute, the way Prefect's models are read:
    ``flow_run.id``, ``state.type``, ``ctx.flow_run``, ``ctx.parameters``."""
    if name.startswith('_'):
        raise AttributeError(name)
    pspec = type(self).find_property(_ATTRIBUTE_ALIASES.get(name, name).replace('_', '-'))
    if pspec is None or not pspec.flags & GObject.ParamFlags.READABLE:
        raise AttributeError('%r object has no attribute %r' % (type(self).__name__, name))
    return _python_value(self.get_property(pspec.name))


def _state_str(self):
    """Prefect's ``str (state)``: ``Completed()``, ``Failed('message')``,
    with the type when the name is not the type's own."""
    display = []
    message = self.get_message()
    if message:
        display.append(repr(message))
    type_name = PrefectCtx.state_type_to_string(self.get_state_type())
    name = self.get_name() or type_name.capitalize()
    if name.lower() != type_name.lower():
        display.append('type=%s' % type_name)
    return '%s(%s)' % (name, ', '.join(display))


def _state_is(type_name):
    state_type = getattr(PrefectCtx.StateType, type_name)

    def check(self):
        return self.get_state_type() == state_type
    check.__name__ = 'is_' + type_name.lower()
    check.__doc__ = 'Whether the state is of type %s, as Prefect\'s ``State.%s ()``.' % (type_name, check.__name__)
    return check


for _type_name in ('SCHEDULED', 'PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'CANCELLING',
                   'CRASHED', 'PAUSED'):
    if hasattr(PrefectCtx.StateType, _type_name):
        setattr(PrefectCtx.State, 'is_' + _type_name.lower(), _state_is(_type_name))
PrefectCtx.State.is_final = lambda self: self.is_finished()
PrefectCtx.State.is_final.__doc__ = "Whether the state is final, as Prefect's ``State.is_final ()``."
PrefectCtx.State.__str__ = _state_str
PrefectCtx.State.__repr__ = _state_str


class MissingResult(RuntimeError):
    """Prefect's ``MissingResult``: the result of a state that does not hold
    one (a state read from a run store: results stay in the process of the
    run that made them)."""


def _state_result(self, raise_on_failure=True):
    """Prefect's ``state.result ()``, for a state that ``return_state=True``
    gave: the run's result, or for a failed run its exception, raised (or
    returned, with ``raise_on_failure=False``)."""
    held = self.__dict__
    if '_prefectctx_result' not in held:
        raise MissingResult('State %s holds no result: results stay in the process of the run that made them, '
                            'and only a state from return_state=True holds one' % _state_str(self))
    exception = held['_prefectctx_exception']
    if exception is not None:
        if raise_on_failure:
            raise exception
        return exception
    return held['_prefectctx_result']


PrefectCtx.State.result = _state_result
__all__.append('MissingResult')


class UnfinishedRun(GLib.Error):
    """Prefect's ``UnfinishedRun``: the result of a run that did not reach a
    final state, such as a task run left ``Pending`` ``NotReady`` because a
    task run it waited for did not complete (``Run is in PENDING state, its
    result is not available.``). Still the ``GLib.Error``
    ``PrefectCtx.Error.UNFINISHED_RUN`` of the library; ``str ()`` gives the
    message alone."""

    def __str__(self):
        return self.message


def _unfinished(error):
    """@error as an UnfinishedRun when it is the library's UNFINISHED_RUN,
    else @error itself."""
    if isinstance(error, GLib.Error) and not isinstance(error, UnfinishedRun) and \
       error.matches(PrefectCtx.error_quark(), PrefectCtx.Error.UNFINISHED_RUN):
        return UnfinishedRun(error.message, error.domain, error.code)
    return error


def _timed_out(error):
    """Whether @error is the library's TIMED_OUT: the run's attempt took
    longer than its timeout."""
    return isinstance(error, GLib.Error) and error.matches(PrefectCtx.error_quark(), PrefectCtx.Error.TIMED_OUT)


class _Deadline(BaseException):
    """Raised into a synchronous body at its run's timeout. Not an
    Exception, so that the body's ``except Exception`` does not keep it."""


class _deadline(object):
    """``with _deadline (seconds):`` interrupts the block with _Deadline
    once @seconds have passed (none for 0), as Prefect's engine interrupts
    a synchronous body at its timeout: on the main thread with SIGALRM
    (which interrupts a blocking call such as ``time.sleep``) unless the
    program has its own SIGALRM handler; elsewhere by an exception raised
    into the thread when it next runs Python code."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.timer = None
        self.alarm = None

    def __enter__(self):
        if not self.seconds > 0:
            return self
        # Only over the default disposition: None is a handler installed
        # from C, which is not ours to replace either.
        if threading.current_thread() is threading.main_thread() and \
           signal.getsignal(signal.SIGALRM) == signal.SIG_DFL:
            self.alarm = signal.signal(signal.SIGALRM, self._alarm)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            return self
        self.thread = threading.get_ident()
        self.lock = threading.Lock()
        self.armed, self.fired = True, False
        self.timer = threading.Timer(self.seconds, self._fire)
        self.timer.daemon = True
        self.timer.start()
        return self

    @staticmethod
    def _alarm(signum, frame):
        raise _Deadline()

    def _fire(self):
        with self.lock:
            if self.armed:
                self.fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.thread),
                                                           ctypes.py_object(_Deadline))

    def __exit__(self, *exc_info):
        if self.alarm is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.alarm)
        elif self.timer is not None:
            with self.lock:
                self.armed = False
                if self.fired:
                    # Not raised yet (the block ended first): no longer due.
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.thread), None)
            self.timer.cancel()
        return False


def _run_timeout(context):
    """The timeout of the run @context is an attempt of, or 0."""
    definition = context.get_task() if isinstance(context, PrefectCtx.TaskRunContext) else context.get_flow()
    return definition.get_timeout_seconds() if definition is not None else 0


__all__.append('UnfinishedRun')


def _run_repr(self):
    state = self.get_state()
    return '%s(name=%r, id=%r, state=%s)' % (type(self).__name__, self.get_name(), self.get_id(),
                                             _state_str(state) if state is not None else None)


PrefectCtx.FlowRun.__repr__ = _run_repr
PrefectCtx.TaskRun.__repr__ = _run_repr


def _json_equal(self, other):
    if type(other) is not type(self):
        return NotImplemented
    return self.to_json() == other.to_json()


def _json_hash(self):
    return hash((type(self).__name__, self.to_json()))


# Models compare by value, as Prefect's pydantic models do: the same JSON.
for _cls in (PrefectCtx.FlowRun, PrefectCtx.TaskRun, PrefectCtx.State, PrefectCtx.Deployment,
             PrefectCtx.LogEntry):
    _cls.__eq__ = _json_equal
    _cls.__hash__ = _json_hash


def _profile_key(profile):
    settings = profile.get_settings()
    return (profile.get_name(), settings.unpack() if settings is not None else {}, profile.get_source_path())


def _profile_equal(self, other):
    if not isinstance(other, PrefectCtx.Profile):
        return NotImplemented
    return _profile_key(self) == _profile_key(other)


PrefectCtx.Profile.__eq__ = _profile_equal
PrefectCtx.Profile.__hash__ = lambda self: hash((self.get_name(), self.get_source_path()))

for _cls in (PrefectCtx.Flow, PrefectCtx.FlowRun, PrefectCtx.Task, PrefectCtx.TaskRun, PrefectCtx.State,
             PrefectCtx.Deployment, PrefectCtx.LogEntry, PrefectCtx.Profile,
             PrefectCtx.FlowRunView, PrefectCtx.TaskRunView):
    _cls.__getattr__ = _attribute
Context.__getattr__ = _attribute


def _flow_init(self, *args, **kwargs):
    # A flow definition made inside an ObjectRegistry registers in it.
    _under_state(_flow_init_raw)(self, *args, **kwargs)


_flow_init_raw = PrefectCtx.Flow.__init__
PrefectCtx.Flow.__init__ = _flow_init


# The library's functions that read the current contexts run with the
# running code's state attached (see _under_state).
for _name in dir(PrefectCtx):
    if _name.startswith('runtime_') and _name not in ('runtime_list_modules', 'runtime_list_attributes',
                                                      'runtime_get_attribute_type'):
        setattr(PrefectCtx, _name, _under_state(getattr(PrefectCtx, _name)))
class MissingContextError(GLib.Error):
    """Prefect's ``MissingContextError``: what :func:`get_run_context`,
    :func:`get_run_logger` and :func:`run_log` raise outside any run. It is
    a ``RuntimeError``, as Prefect's is (``GLib.Error`` is one), and still
    the ``GLib.Error`` ``PrefectCtx.Error.MISSING_CONTEXT`` of the library;
    ``str ()`` gives the message alone."""

    def __str__(self):
        return self.message


def _missing_context_raised(fn):
    """Wraps @fn so that the library's MISSING_CONTEXT error is raised as
    a MissingContextError."""
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except GLib.Error as error:
            if isinstance(error, MissingContextError) or \
               not error.matches(PrefectCtx.error_quark(), PrefectCtx.Error.MISSING_CONTEXT):
                raise
            raise MissingContextError(error.message, error.domain, error.code) from None
    call.__name__ = getattr(fn, '__name__', 'call')
    call.__doc__ = getattr(fn, '__doc__', None)
    return call


for _name in ('get_run_context', 'get_custom_context', 'serialize_context', 'run_log',
              'get_settings_context', 'tags'):
    setattr(PrefectCtx, _name, _under_state(getattr(PrefectCtx, _name)))
for _name in ('get_run_context', 'run_log'):
    setattr(PrefectCtx, _name, _missing_context_raised(getattr(PrefectCtx, _name)))
for _cls, _name in (('CustomContext', 'new_merged'), ('CustomContext', 'new_mergedv'),
                    ('CustomContext', 'lookup'), ('Flow', 'new'),
                    ('Client', 'get_default'), ('ObjectRegistry', 'track'),
                    ('ObjectRegistry', 'track_failure'),
                    ('RunEngine', 'new_for_flow'), ('RunEngine', 'new_for_task')):
    _klass = getattr(PrefectCtx, _cls)
    setattr(_klass, _name, staticmethod(_under_state(getattr(_klass, _name))))
for _cls, _name in (('Task', 'call'), ('Task', 'submit'), ('Task', 'call_async'),
                    ('Flow', 'run_sync'), ('Flow', 'run_async')):
    _klass = getattr(PrefectCtx, _cls)
    setattr(_klass, _name, _under_state(getattr(_klass, _name)))
__all__ += ['MissingContextError', 'get_run_context', 'run_log', 'get_settings_context'] + \
    [n for n in dir(PrefectCtx) if n.startswith('runtime_') and not n.startswith('runtime_list')
     and n != 'runtime_get_attribute_type']


def context_kind(name):
    """Class decorator giving a Python subclass of Context its own kind.

    ::

        @PrefectCtx.context_kind("mine")
        class Mine(PrefectCtx.Context):
            value = GObject.Property(type=str, flags=READWRITE | CONSTRUCT_ONLY)

    Instances of ``Mine`` (and of its subclasses) then have their own current
    context, separate from every other kind. Raises GLib.Error when all
    kinds are in use.
    """
    def decorate(cls):
        PrefectCtx.Context.declare_kind_for_type(cls.__gtype__, name)
        return cls
    return decorate


__all__.append('context_kind')


# ---------------------------------------------------------------------------
# Snapshot


class Snapshot(PrefectCtx.Snapshot):
    """The contexts of the running code at one moment, to carry into other
    threads or tasks.

    ``snap = PrefectCtx.Snapshot.capture()`` in one place, then
    ``snap.run(fn, *args, **kwargs)`` in another.
    """

    @staticmethod
    def capture():
        """Captures the contexts current in the running code (the thread,
        or the asyncio task)."""
        return _current_snapshot()

    def run(self, fn, *args, **kwargs):
        """Calls ``fn(*args, **kwargs)`` with this snapshot as the current
        contexts, then restores the caller's own. Returns what ``fn``
        returns and raises what it raises."""
        return _run_in_state(self, fn, *args, **kwargs)


Snapshot = override(Snapshot)
__all__.append('Snapshot')


def with_context(fn):
    """Prefect 3's ``with_context(fn)``: returns a function that calls
    ``fn`` with the contexts current now, wherever and whenever it is called
    (a callback of a main loop, a thread, ``loop.call_soon``). Works for
    coroutine functions too: the coroutine runs with them."""
    snapshot = _current_snapshot()
    if asyncio.iscoroutinefunction(fn):
        async def bound_coroutine(*args, **kwargs):
            token = _state.set(_State(snapshot))
            try:
                return await fn(*args, **kwargs)
            finally:
                _state.reset(token)
        return bound_coroutine

    def bound(*args, **kwargs):
        return _run_in_state(snapshot, fn, *args, **kwargs)
    return bound


__all__.append('with_context')


class _HydratedContext(object):
    """What :func:`hydrated_context` returns: a ``with`` block that enters
    the rebuilt contexts in order and exits them in the reverse one."""

    def __init__(self, serialized, client):
        if isinstance(serialized, dict):
            serialized = json.dumps(serialized)
        self._contexts = list(PrefectCtx.hydrate_contexts(serialized, client))
        self._entered = []

    def __enter__(self):
        try:
            for context in self._contexts:
                context.enter()
                self._entered.append(context)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        while self._entered:
            self._entered.pop().exit()
        return False


def serialize_context(include_secrets=False):
    """Prefect 3's ``serialize_context()``: the contexts current on this
    thread as a dict (``json.loads`` of
    ``PrefectCtx.serialize_context(include_secrets)``), to send to another
    process."""
    return json.loads(PrefectCtx.serialize_context(include_secrets))


def hydrated_context(serialized, client=None):
    """Prefect 3's ``hydrated_context(serialized)``: ``with
    PrefectCtx.hydrated_context(data, client):`` rebuilds the contexts of a
    serialized context (a dict or its JSON text) and enters them for the
    block: the flow run context (marked detached), the task run context,
    tags, settings and custom context. ``client`` is the run store the
    rebuilt run contexts report to. Malformed data raises GLib.Error
    ``INVALID_ARGUMENT``."""
    return _HydratedContext(serialized, client)


__all__ += ['serialize_context', 'hydrated_context']


# ---------------------------------------------------------------------------
# Tags (Prefect) and custom context (Flyte)


class _Scope(object):
    """A reusable ``with`` scope: each ``with`` enters a new context from
    :meth:`_make`, exited when the block ends. It can be active in several
    threads and tasks (and nested in one) at once."""

    def _enter(self):
        ctx = self._make()
        ctx.enter()
        _state.get().scope = self
        return ctx

    @property
    def context(self):
        """The context entered by the innermost active ``with`` of this
        scope in the running code, or None."""
        state = _state.get()
        while state is not None:
            if state.scope is self:
                state.snapshot  # noqa: B018 (a lazy state makes its context)
                return state.entered
            state = state.prev
        return None

    def __exit__(self, exc_type, exc_value, traceback):
        state = _state.get()
        if state is None or state.scope is not self:
            raise _error(PrefectCtx.Error.OUT_OF_ORDER,
                         'Cannot exit this scope: it is not the innermost context entered here; '
                         'exit the contexts entered after it first')
        if type(state) is _TagsState:
            state.close()
            _state.set(state.prev)
        else:
            state.entered.exit()
        return False


def _tags_of(context):
    """The current tags of a TagsContext, as a frozenset (kept with it)."""
    tags = context.__dict__.get('_prefectctx_tags')
    if tags is None:
        tags = frozenset(context.get_current_tags())
        context.__dict__['_prefectctx_tags'] = tags
    return tags


_EMPTY_TAGS = frozenset()
_TagsContext = PrefectCtx.TagsContext
_materializing = threading.RLock()


def _state_tags(state):
    """The current tags in @state, as a frozenset."""
    if type(state) is _TagsState:
        return state.tags
    context = _lookup(state, _TagsContext)
    return _tags_of(context) if context is not None else _EMPTY_TAGS


class _TagsState(_State):
    """The state of a ``with tags(...)`` block, made without calling into
    the library: its TagsContext is made and entered only once something
    reads the state (a call into the library under it, a lookup of the
    current TagsContext), so a block that only nests or holds no runs costs
    no call into C. Contexts of other kinds come from the state below."""

    __slots__ = ('tags', 'closed', 'exited', 'below')

    def __init__(self, prev, below, tags, scope, thread):
        self._snapshot = None
        self.entered = None
        self.prev = prev
        self.thread = thread
        self.contexts = {}
        self.scope = scope
        self.below = below      # the state below: prev, or the thread's own
        self.tags = tags
        self.closed = False     # the block ended
        self.exited = False     # the context made for it was exited

    @property
    def snapshot(self):
        snapshot = self._snapshot
        return snapshot if snapshot is not None else self._materialize()

    def _materialize(self):
        with _materializing:
            if self._snapshot is None:
                ctx = _TagsContext.new(sorted(self.tags))
                ctx.__dict__['_prefectctx_tags'] = self.tags
                self._snapshot = self.below.snapshot.enter(ctx)
                self.entered = ctx
                if self.closed:
                    # The block ended already (this is a copy of its state
                    # kept by a task it started): current, no longer entered.
                    self._exit_once()
            return self._snapshot

    def _exit_once(self):
        if not self.exited:
            self.exited = True
            self._snapshot.exit()

    def close(self):
        # Without the lock while nothing was made: _materialize () sets
        # _snapshot before it reads closed, and this sets closed before it
        # reads _snapshot, so one of them sees the other (under the GIL).
        self.closed = True
        if self._snapshot is not None:
            with _materializing:
                self._exit_once()

    def lookup(self, cls):
        if issubclass(cls, _TagsContext):
            return _State.lookup(self, cls)
        context = _lookup(self.below, cls)
        self.contexts[cls] = context
        return context


class _TagsScope(_Scope):
    """What :func:`tags` returns; ``with`` yields the set of current tags."""

    def __init__(self, names):
        self._names = frozenset(names)

    def __enter__(self):
        state = _state.get()
        below = state if state is not None else _root_state()
        tags = _state_tags(below) | self._names
        _state.set(_TagsState(state, below, tags, self, below.thread))
        return set(tags)

    def __repr__(self):
        return 'PrefectCtx.tags(%s)' % ', '.join(repr(n) for n in sorted(self._names))


def _check_string(text, what):
    """@text, if the library can hold it: a str without NUL characters (C
    strings end there) or lone surrogates (not UTF-8)."""
    if not isinstance(text, str):
        raise TypeError('A %s must be a str, not %s' % (what, type(text).__name__))
    if '\0' in text or not (text.isascii() or _is_utf8(text)):
        raise ValueError('A %s must be a string without NUL characters or lone surrogates: %r' % (what, text))
    return text


def _check_tag(name):
    return _check_string(name, 'tag')


def _is_utf8(text):
    try:
        text.encode('utf-8')
    except UnicodeEncodeError:
        return False
    return True


def tags(*names):
    """Prefect's ``tags(*names)``: adds tags to the runs made in a block.

    ::

        with PrefectCtx.tags("a", "b") as current:   # or tags(["a", "b"])
            assert current == {"a", "b"}              # plus the outer tags

    Entering makes a TagsContext holding the current tags and @names (see
    ``prefect_ctx_tags()``) and yields the set of current tags; the block's
    end restores the previous tags. Arguments may be strings or iterables
    of strings.
    """
    try:
        return _tags_scopes[names]
    except (KeyError, TypeError):   # TypeError: an unhashable iterable
        pass
    flat = []
    for name in names:
        if type(name) is str and name.isascii() and '\0' not in name:
            flat.append(name)
        elif isinstance(name, str):
            flat.append(_check_tag(name))
        else:
            flat.extend(_check_tag(n) for n in name)
    scope = _TagsScope(flat)
    if all(type(name) is str for name in names):
        if len(_tags_scopes) >= 256:
            _tags_scopes.clear()
        _tags_scopes[names] = scope
    return scope


# Scopes are reusable and reentrant: one per tuple of names, for the names
# used most (a `with tags ("a")` in a loop makes no new scope).
_tags_scopes = {}


def custom_context(*mappings, **values):
    """Flyte's ``custom_context(**values)``: a new, unentered CustomContext.

    Its map is the current custom context overlaid with @values (and the
    dicts given as positional arguments), computed now::

        with PrefectCtx.custom_context({"run-mode": "test"}, team="ml"):
            PrefectCtx.get_custom_context()   # {..., "team": "ml", ...}

    Keys and values are strings: anything else raises TypeError, and a NUL
    character or a lone surrogate (which the library's strings cannot
    hold) ValueError. A key or map that breaks the library's rules raises
    GLib.Error INVALID_ARGUMENT.
    """
    merged = {}
    for mapping in mappings:
        merged.update(mapping)
    merged.update(values)
    for key, value in merged.items():
        _check_string(key, 'custom context key')
        _check_string(value, 'custom context value for %r' % (key,))
    # Two lists, not the dict: PyGObject 3.42 leaks about 36 bytes for every
    # key and value of a dict it converts to a GHashTable.
    return PrefectCtx.CustomContext.new_mergedv(list(merged), list(merged.values()))


def get_custom_context():
    """Flyte's ``get_custom_context()``: the current map as a new dict
    (empty when no custom context is entered)."""
    return dict(PrefectCtx.get_custom_context() or {})


__all__ += ['tags', 'custom_context', 'get_custom_context']


# ---------------------------------------------------------------------------
# Runtime (prefect.runtime) and use_profile -- layers 3 and 4, issue 3.
# Kept to this section; see tests/python/test_runtime.py.


def _runtime_value(module, attribute, variant):
    """A native value for what prefect_ctx_runtime_get() returned: None,
    str, int, list, dict, or datetime.datetime (UTC) for a datetime."""
    if variant is None:
        return None
    value = variant.unpack()
    if (isinstance(value, str) and
            PrefectCtx.runtime_get_attribute_type(module, attribute) == 'datetime'):
        return datetime.datetime.fromisoformat(value.replace('Z', '+00:00'))
    return value


class _RuntimeModule(object):
    """One module of Prefect's ``prefect.runtime``: ``flow_run``,
    ``task_run`` or ``deployment``.

    Reading an attribute looks it up now, from the calling thread's
    contexts and the ``PREFECT__RUNTIME__*`` mocks. An unknown attribute
    raises AttributeError; a mock that cannot be used raises ValueError.
    Setting an attribute on the module (pytest's ``monkeypatch.setattr``)
    shadows the looked-up value until it is deleted.
    """

    def __init__(self, name):
        self.__name__ = 'prefect.runtime.' + name
        self._module = name

    def __getattr__(self, attribute):
        if attribute.startswith('__') and attribute.endswith('__'):
            raise AttributeError(attribute)
        try:
            variant = PrefectCtx.runtime_get(self._module, attribute)
        except GLib.Error as error:
            if error.matches(PrefectCtx.error_quark(), PrefectCtx.Error.NOT_FOUND):
                raise AttributeError(error.message) from None
            if error.matches(PrefectCtx.error_quark(), PrefectCtx.Error.INVALID_ARGUMENT):
                raise ValueError(error.message) from None
            raise
        return _runtime_value(self._module, attribute, variant)

    def __dir__(self):
        return list(PrefectCtx.runtime_list_attributes(self._module))

    def __repr__(self):
        return '<PrefectCtx.runtime module %r>' % self.__name__


class _Runtime(object):
    """``PrefectCtx.runtime``: Prefect's ``prefect.runtime``, with the
    modules ``flow_run``, ``task_run`` and ``deployment``::

        PrefectCtx.runtime.flow_run.name    # None outside a flow run
    """

    def __init__(self):
        for name in PrefectCtx.runtime_list_modules():
            setattr(self, name, _RuntimeModule(name))

    def __dir__(self):
        return list(PrefectCtx.runtime_list_modules())

    def __repr__(self):
        return '<PrefectCtx.runtime>'


runtime = _Runtime()


class _ProfileScope(_Scope):
    """What :func:`use_profile` returns: a ``with`` scope entering a
    SettingsContext for the profile, and yielding it."""

    def __init__(self, profile, override_environment_variables, include_current_context):
        super().__init__()
        self._profile = profile
        self._override = override_environment_variables
        self._include = include_current_context

    def _make(self):
        # PrefectCtx.use_profile*() enter the context on the thread, over
        # the current settings: it is exited there, to be entered into the
        # running code's state.
        if isinstance(self._profile, str):
            make = PrefectCtx.use_profile
        elif isinstance(self._profile, PrefectCtx.Profile):
            make = PrefectCtx.use_profile_object
        else:
            raise TypeError("Unexpected type %r for `profile`. Expected 'str' or 'Profile'."
                            % type(self._profile).__name__)

        def make_unentered():
            ctx = make(self._profile, self._override, self._include)
            _c_exit(ctx)
            return ctx
        return _under_state(make_unentered)()

    def __enter__(self):
        return self._enter()


def use_profile(profile, override_environment_variables=False, include_current_context=True):
    """Prefect's ``use_profile()``: ``with PrefectCtx.use_profile("dev") as
    ctx:`` enters a SettingsContext for the profile (a name of the profiles
    file, or a PrefectCtx.Profile) and yields it; the block's end restores
    the previous settings. An unknown name raises GLib.Error NOT_FOUND."""
    return _ProfileScope(profile, override_environment_variables, include_current_context)


def _setting_name(setting):
    """A setting's name: a str, or an object with a ``name`` (Prefect's
    Setting objects, such as ``PREFECT_API_URL``)."""
    name = setting if isinstance(setting, str) else getattr(setting, 'name', None)
    if not isinstance(name, str):
        raise TypeError('Expected a setting name, not %r' % (setting,))
    return name


def _setting_text(value):
    """A setting's value as the library reads one from the environment."""
    if value is None:
        return None
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return str(value)


class _SettingsScope(_Scope):
    """What :func:`temporary_settings` returns: a ``with`` scope entering a
    SettingsContext with the current profile and the updated settings, and
    yielding the settings."""

    def __init__(self, updates, set_defaults, restore_defaults):
        super().__init__()
        self._updates = dict(updates or {})
        self._set_defaults = dict(set_defaults or {})
        self._restore = list(restore_defaults or [])

    def _make(self):
        def make_unentered():
            current = PrefectCtx.get_settings_context()
            settings = current.get_settings()
            changes = {}
            for setting, value in self._set_defaults.items():
                name = _setting_name(setting)
                if not settings.is_set(name):
                    changes[name] = _setting_text(value)
            for setting in self._restore:
                changes[_setting_name(setting)] = None
            for setting, value in self._updates.items():
                changes[_setting_name(setting)] = _setting_text(value)
            return PrefectCtx.SettingsContext.new(current.get_profile(), settings.copy_with_update(changes))
        return _under_state(make_unentered)()

    def __enter__(self):
        return self._enter().get_settings()


def temporary_settings(updates=None, set_defaults=None, restore_defaults=None):
    """Prefect's ``temporary_settings()``: ``with
    PrefectCtx.temporary_settings({'PREFECT_API_URL': url}) as settings:``
    enters a SettingsContext with the current profile and the current
    settings updated, and yields the new PrefectCtx.Settings; the block's end
    restores the previous ones. Keys are setting names (or objects with a
    ``name``); a value of None, or a name in @restore_defaults, unsets the
    setting so that its default applies; @set_defaults sets only the
    settings that have no value. An unknown name or an invalid value raises
    GLib.Error INVALID_ARGUMENT, before anything is entered."""
    return _SettingsScope(updates, set_defaults, restore_defaults)


__all__ += ['runtime', 'use_profile', 'temporary_settings']


# ---------------------------------------------------------------------------
# Engine (layer 6, issue 4): Python functions as flows and tasks.
# Kept to this section; see tests/python/test_engine.py.

import functools
import inspect
import weakref


_signatures = weakref.WeakKeyDictionary()


def _signature(fn):
    """inspect.signature (fn), computed once per function."""
    try:
        return _signatures[fn]
    except (KeyError, TypeError):
        signature = inspect.signature(fn)
        try:
            _signatures[fn] = signature
        except TypeError:  # not weakly referable
            pass
        return signature


_plain_signatures = weakref.WeakKeyDictionary()


def _plain_signature(fn):
    """(names, defaults) of @fn when each of its parameters is a plain
    positional-or-keyword one (the common case, bound without
    inspect.Signature.bind ()), else None."""
    try:
        return _plain_signatures[fn]
    except (KeyError, TypeError):
        pass
    params = _signature(fn).parameters.values()
    plain = None
    if all(param.kind == inspect.Parameter.POSITIONAL_OR_KEYWORD for param in params):
        plain = (tuple(param.name for param in params),
                 {param.name: param.default for param in params if param.default is not inspect.Parameter.empty})
    try:
        _plain_signatures[fn] = plain
    except TypeError:
        pass
    return plain


def _bound_parameters(fn, args, kwargs):
    """The parameters of a call of @fn as a dict: arguments bound to the
    names of its signature, defaults included (Prefect's parameters dict)."""
    plain = _plain_signature(fn)
    if plain is not None:
        names, defaults = plain
        if len(args) <= len(names) and not (kwargs.keys() - names[len(args):]):
            params = dict(zip(names, args))
            for name in names[len(args):]:
                if name in kwargs:
                    params[name] = kwargs[name]
                elif name in defaults:
                    params[name] = defaults[name]
                else:
                    break       # missing: bind () raises the TypeError
            else:
                return params
    bound = _signature(fn).bind(*args, **kwargs)
    bound.apply_defaults()
    params = {}
    for name, value in bound.arguments.items():
        kind = bound.signature.parameters[name].kind
        if kind == inspect.Parameter.VAR_KEYWORD:
            params.update(value)
        else:
            params[name] = list(value) if kind == inspect.Parameter.VAR_POSITIONAL else value
    return params


def _parameters(fn, args, kwargs):
    """The a{sv} parameters of a call of @fn (see _bound_parameters)."""
    return _to_vardict(_bound_parameters(fn, args, kwargs))


def _run_name(template, params):
    """Prefect's flow_run_name / task_run_name: a format string over the
    parameters, or a callable called with none."""
    if template is None:
        return None
    if callable(template):
        name = template()
    else:
        try:
            name = template.format(**params)
        except (KeyError, IndexError) as exc:
            raise ValueError('Could not fill in the run name template %r with the parameters %r: %s'
                             % (template, sorted(params), exc)) from None
    if not isinstance(name, str):
        raise TypeError('A run name must be a string, not %r' % (name,))
    return name


# Prefect links a task's input to the task run it came from: a future given
# as an argument (resolved to its result before the run), or a value that is
# another task run's result, found by its identity (the flow run context's
# task_run_results, keyed by id ()). So does this binding, per flow run; as
# in Prefect, values whose identity means nothing are not tracked: None,
# bools and the small ints CPython shares (-5 to 256).
_results_lock = threading.Lock()
_results_by_flow_run = {}   # flow run id -> {id (value): (value, task run id)}


def _current_flow_run_id():
    context = PrefectCtx.FlowRunContext.get_current()
    flow_run = context.get_flow_run() if context is not None else None
    return flow_run.get_id() if flow_run is not None else None


def _untrackable(value):
    return value is None or isinstance(value, bool) or (type(value) is int and -5 <= value <= 256)


def _track_result(value, task_run_id):
    """Remembers @value as the result of @task_run_id in the current flow run."""
    if task_run_id is None or _untrackable(value):
        return value
    flow_run_id = _current_flow_run_id()
    if flow_run_id is not None:
        with _results_lock:
            _results_by_flow_run.setdefault(flow_run_id, {})[id(value)] = (value, task_run_id)
    return value


def _forget_results(flow_run_id):
    with _results_lock:
        _results_by_flow_run.pop(flow_run_id, None)


def _each_value(value):
    """(item, under allow_failure) for @value and, for a list, tuple or
    dict, its items: one level, as Prefect's task_inputs go."""
    allowing = isinstance(value, allow_failure)
    if allowing:
        value = value.value
    yield value, allowing
    if isinstance(value, (list, tuple)):
        items = value
    elif isinstance(value, dict):
        items = value.values()
    else:
        return
    for item in items:
        if isinstance(item, allow_failure):
            yield item.value, True
        else:
            yield item, allowing


def _upstream_inputs(params, wait_for=None):
    """(task_inputs, allowed) of a call with @params (a dict) and
    @wait_for (futures, or None): task_inputs as a GLib.Variant, or None
    when no value came from another task run (a future given as the value,
    or one level inside it, or a tracked result) and nothing is waited for;
    allowed, the IDs of the futures given under allow_failure. Waits for
    nothing."""
    flow_run_id = _current_flow_run_id()
    # Not copied: a flow run's results grow with its task runs, a call's
    # arguments do not (a dict's get () holds under the GIL).
    known = _results_by_flow_run.get(flow_run_id, {}) if flow_run_id is not None else {}
    linked = {}
    allowed = []
    inputs = dict(params)
    if wait_for:
        inputs['wait_for'] = list(wait_for)
    for name, value in inputs.items():
        refs = []
        for item, allowing in _each_value(value):
            if isinstance(item, TaskFuture):
                refs.append(item.get_task_run_id())
                if allowing:
                    allowed.append(item.get_task_run_id())
            elif name != 'wait_for':
                entry = known.get(id(item))
                if entry is not None and entry[0] is item:
                    refs.append(entry[1])
        linked[name] = list(dict.fromkeys(refs))
    if not any(linked.values()):
        return None, allowed
    task_run = GLib.Variant.new_string('task_run')
    return _vardict([(name, _to_variant([_vardict([('input_type', task_run), ('id', GLib.Variant.new_string(ref))])
                                         for ref in refs]))
                     for name, refs in linked.items()]), allowed


def _resolved(params):
    """@params with each future (given as a value, or one level inside it)
    replaced by its result, waiting for it, and allow_failure unwrapped: a
    failed upstream run under allow_failure gives its exception, as
    Prefect passes it."""
    def resolve(value, allowing=False):
        if isinstance(value, allow_failure):
            value, allowing = value.value, True
        if isinstance(value, TaskFuture):
            return value.result(raise_on_failure=not allowing)
        return value

    def has_future(items):
        return any(isinstance(item.value if isinstance(item, allow_failure) else item, TaskFuture)
                   for item in items)

    resolved = {}
    for name, value in params.items():
        allowing = isinstance(value, allow_failure)
        value = resolve(value)
        # A container is copied only to hold the results of its futures:
        # otherwise the body gets the object it was given.
        if isinstance(value, (list, tuple)) and has_future(value):
            value = type(value)(resolve(item, allowing) for item in value)
        elif isinstance(value, dict) and has_future(value.values()):
            value = {k: resolve(v, allowing) for k, v in value.items()}
        resolved[name] = value
    return resolved


class allow_failure(object):
    """Prefect's ``allow_failure (future)``: an argument (or a ``wait_for``
    entry) whose task run may fail without stopping the task run given it;
    the body gets the failed run's exception as the value."""

    def __init__(self, value):
        self.value = value

    def unwrap(self):
        return self.value

    def __repr__(self):
        return 'allow_failure(%r)' % (self.value,)


__all__.append('allow_failure')


def _engine_value(value):
    """A task parameter as the engine keeps it (the task run context's
    parameters): the value as a GLib.Variant when it converts, else a
    placeholder; the body gets the Python value itself."""
    if isinstance(value, allow_failure):
        value = value.value
    if isinstance(value, TaskFuture):
        return GLib.Variant('s', '<future of task run %s>' % value.get_task_run_id())
    try:
        return _to_variant(value)
    except (TypeError, ValueError, OverflowError):
        return GLib.Variant('s', '<unpersisted %s>' % type(value).__name__)


def _call_args(fn, parameters):
    """(args, kwargs) to call @fn with, from an a{sv} of its parameters."""
    return _call_args_from(fn, parameters.unpack() if parameters is not None else {})


def _call_args_from(fn, values):
    """(args, kwargs) to call @fn with, from a dict of its parameters."""
    if _plain_signature(fn) is not None:
        return (), dict(values)
    values = dict(values)
    args, kwargs = [], {}
    for name, param in _signature(fn).parameters.items():
        if param.kind == inspect.Parameter.VAR_POSITIONAL:
            args.extend(values.pop(name, []))
        elif param.kind == inspect.Parameter.VAR_KEYWORD:
            continue
        elif name in values:
            if param.kind == inspect.Parameter.POSITIONAL_ONLY:
                args.append(values.pop(name))
            else:
                kwargs[name] = values.pop(name)
    kwargs.update(values)
    return args, kwargs


# ---------------------------------------------------------------------------
# Run logs: get_run_logger () and log_prints


class _RunLogHandler(logging.Handler):
    """Stores each record as a log line of the run the emitting thread is
    in (``PrefectCtx.run_log``); a record emitted outside any run is not
    stored anywhere."""

    def emit(self, record):
        try:
            PrefectCtx.run_log(record.levelno, self.format(record))
        except GLib.Error:
            pass
        except Exception:  # as logging.Handler.emit does
            self.handleError(record)


_run_log_handler = _RunLogHandler()
_run_loggers_lock = threading.Lock()


def get_run_logger():
    """Prefect's ``get_run_logger()``: the ``logging.Logger`` of the run
    the calling thread is in, ``prefect.task_runs`` in a task run and
    ``prefect.flow_runs`` in a flow run (the run :func:`get_run_context`
    gives). Its records are stored as logs of the run that emits them, at
    or above ``PREFECT_LOGGING_LEVEL``, and go on to the handlers of the
    root logger as any record does.

    Outside any run it raises :class:`MissingContextError` (a
    ``RuntimeError`` and the ``GLib.Error``
    ``PrefectCtx.Error.MISSING_CONTEXT``): ``There is no active flow or
    task run context.``
    """
    try:
        context = PrefectCtx.get_run_context()
    except MissingContextError:
        raise MissingContextError('There is no active flow or task run context.', _ERROR_DOMAIN,
                                  int(PrefectCtx.Error.MISSING_CONTEXT)) from None
    name = 'prefect.task_runs' if isinstance(context, PrefectCtx.TaskRunContext) else 'prefect.flow_runs'
    logger = logging.getLogger(name)
    with _run_loggers_lock:
        if _run_log_handler not in logger.handlers:
            logger.addHandler(_run_log_handler)
            logger.setLevel(logging.DEBUG)  # PREFECT_LOGGING_LEVEL decides
    return logger


_builtin_print = builtins.print


def _log_prints():
    """Whether the run the calling thread is in logs its prints."""
    if PrefectCtx.TaskRunContext.get_current() is None and PrefectCtx.FlowRunContext.get_current() is None:
        return False
    try:
        return PrefectCtx.get_run_context().props.log_prints
    except GLib.Error:
        return False


def _print_as_log(*args, **kwargs):
    """``print()`` once a flow or task with ``log_prints`` has run: prints,
    and inside a run that logs its prints, also stores the text (without
    its trailing whitespace) as an INFO log of the run, unless it went to a
    file other than ``sys.stdout`` or ``sys.stderr``."""
    _builtin_print(*args, **kwargs)
    if kwargs.get('file') not in (None, sys.stdout, sys.stderr) or not _log_prints():
        return
    buffer = io.StringIO()
    _builtin_print(*args, **dict(kwargs, file=buffer, flush=False))
    try:
        PrefectCtx.run_log(logging.INFO, buffer.getvalue().rstrip())
    except GLib.Error:
        pass


def _patch_print():
    builtins.print = _print_as_log


__all__ += ['get_run_logger']


def _crash_message(exc):
    """Prefect's message (exception_to_crashed_state) for an exception from
    outside the body's own code."""
    if isinstance(exc, KeyboardInterrupt):
        return 'Execution was aborted by an interrupt signal.'
    if isinstance(exc, SystemExit):
        return 'Execution was aborted by Python system exit call.'
    return 'Execution was interrupted by an unexpected exception: %s: %s' % (type(exc).__name__, exc)


def _body_error(exc):
    """The GLib.Error that ends a run for a body's exception: a GLib.Error
    as it is, a cancellation as G_IO_ERROR_CANCELLED, what is not an
    Exception (KeyboardInterrupt, SystemExit) as PrefectCtx.Error.CRASHED
    (the run is recorded Crashed, as Prefect records it), any other
    exception as ``Type: message``."""
    if isinstance(exc, GLib.Error):
        return exc
    if isinstance(exc, asyncio.CancelledError):
        return GLib.Error(str(exc) or 'Cancelled', GLib.quark_to_string(Gio.io_error_quark()),
                          int(Gio.IOErrorEnum.CANCELLED))
    if not isinstance(exc, Exception):
        return GLib.Error(_crash_message(exc), _ERROR_DOMAIN, int(PrefectCtx.Error.CRASHED))
    return GLib.Error('%s: %s' % (type(exc).__name__, exc), _ERROR_DOMAIN, int(PrefectCtx.Error.FAILED))


def _result_variant(value):
    """The run's result, as the engine keeps it, for what a body returned:
    the value as a GLib.Variant when it converts to one, else the
    placeholder string ``<unpersisted TYPE>`` (the Python caller gets the
    object itself, see _Outcome). An awaitable raises TypeError (which
    fails the run): it is a mistake, not a value."""
    if value is None:
        return None
    if inspect.isawaitable(value):
        if inspect.iscoroutine(value):
            value.close()
        raise TypeError('the body returned an awaitable (%s) instead of a value: define it with '
                        '`async def` to await inside it' % type(value).__name__)
    try:
        return _to_variant(value)
    except (TypeError, ValueError, OverflowError):
        return GLib.Variant('s', '<unpersisted %s>' % type(value).__name__)


class _Outcome(object):
    """What a body raised, kept so that the caller gets the exception itself
    rather than the GLib.Error the engine carried."""

    def __init__(self):
        self.exception = None
        # What the last attempt's body returned, as the object itself: a
        # run in this process hands it back as it is (a tuple stays a tuple,
        # a class instance is the instance), as Prefect keeps results in
        # memory.
        self.value = None
        self.has_value = False
        self.run_id = None      # the task run's, once its body ran

    def result(self, variant):
        """The caller's result: the body's own object when it ran here,
        else the engine's variant unpacked."""
        return self.value if self.has_value else _result(variant)

    def body(self, fn, call=None, timeout=None):
        """A PrefectCtx.RunFunc running fn(**parameters): its return value
        becomes the run's result (converted to a GLib.Variant), and any
        exception it raises fails the run with the exception's text as the
        state message (GLib.Error keeps its domain and code); one that is
        not an Exception (KeyboardInterrupt, SystemExit) records the run
        Crashed with Prefect's message instead. The function
        runs with the run's contexts as the state of the running code,
        interrupted after @timeout seconds (None: the run's timeout, read
        from its context)."""
        def run(context, parameters, *user_data):
            is_task_run = isinstance(context, PrefectCtx.TaskRunContext)
            if is_task_run:
                task_run = context.get_task_run()
                if task_run is not None:
                    self.run_id = task_run.get_id()
            if context.get_log_prints():
                _patch_print()
            seconds = _run_timeout(context) if timeout is None else timeout
            token = _state.set(_State(_c_capture()))
            try:
                # The Python values themselves when the caller has them,
                # else the engine's parameters converted back.
                args, kwargs = call() if call is not None else _call_args(fn, parameters)
                if seconds > 0:
                    with _deadline(seconds):
                        value = self._returned(fn(*args, **kwargs))
                else:
                    value = self._returned(fn(*args, **kwargs))
            except BaseException as exc:  # fails the run, or crashes it
                raise self._raised(exc) from exc
            finally:
                _state.reset(token)
                if not is_task_run and isinstance(context, PrefectCtx.FlowRunContext) and \
                   context.get_flow_run() is not None:
                    _forget_results(context.get_flow_run().get_id())
            return value
        return run

    def raise_for(self, error):
        """Raises the body's own exception for the engine's @error (the
        store's errors are raised as they are); TimeoutError for a run that
        timed out, whatever its body raised."""
        if _timed_out(error):
            raise TimeoutError(error.message) from self.exception
        if self.exception is not None:
            raise self.exception.with_traceback(self.exception.__traceback__) from None
        raise _unfinished(error)

    def _returned(self, returned):
        """Keeps what an attempt's body returned; its variant for the engine."""
        variant = _result_variant(returned)
        self.value, self.has_value = returned, True
        self.exception = None
        return variant

    def _raised(self, exc):
        """Keeps what an attempt's body raised; the engine's GLib.Error."""
        if isinstance(exc, _Deadline):
            # The engine records the attempt TimedOut; the caller gets a
            # TimeoutError, as from Prefect.
            exc = TimeoutError()
        self.exception = exc
        return _body_error(exc)

    def _attempt_end(self, engine, variant, error):
        return engine.end_attempt(variant, error) if error is not None else engine.end_attempt_ok(variant)

    def _outcome(self, engine, return_state, cancelled=None):
        """What a driven run gives its caller: the result (or the body's
        exception raised), or with @return_state the final state, holding
        them for ``state.result ()``."""
        if isinstance(engine.get_context(), PrefectCtx.FlowRunContext):
            _forget_results(engine.get_run_id())
        try:
            result = engine.finish()
            error = None
        except GLib.Error as exc:
            result, error = None, exc
        if return_state:
            state = engine.dup_final_state()
            if state is not None:
                state.__dict__['_prefectctx_result'] = self.result(result) if error is None else None
                if _timed_out(error):
                    exception = TimeoutError(error.message)
                    exception.__cause__ = self.exception
                else:
                    exception = (self.exception or _unfinished(error)) if error is not None else None
                state.__dict__['_prefectctx_exception'] = exception
                return state
        if error is not None:
            self.raise_for(error)
        if cancelled is not None:
            raise cancelled
        return self.result(result)

    def drive_sync(self, engine, fn, call, return_state=False):
        """Runs the attempts of @engine on this thread, as
        prefect_ctx_task_call () does, calling ``fn(*args, **kwargs)`` with
        what ``call ()`` gives in each, with the attempt's contexts as the
        state of the running code; returns as :meth:`_outcome` says."""
        while True:
            snapshot = engine.begin_attempt()
            if snapshot is None:
                break
            variant, error = None, None
            token = _state.set(_State(snapshot))
            try:
                if engine.get_context().props.log_prints:
                    _patch_print()
                args, kwargs = call()
                with _deadline(engine.get_timeout_seconds()):
                    variant = self._returned(fn(*args, **kwargs))
            except BaseException as exc:
                error = self._raised(exc)
            finally:
                _state.reset(token)
            delay = self._attempt_end(engine, variant, error)
            if delay < 0:
                break
            time.sleep(delay)
        return self._outcome(engine, return_state)

    async def drive(self, engine, fn, call, return_state=False):
        """Runs the attempts of @engine on the running asyncio loop, awaiting
        ``fn(*args, **kwargs)`` in each with the attempt's contexts as the
        state of the task, and ``asyncio.sleep`` through retry delays.
        Returns the result, or raises the body's exception (with
        @return_state, the final state); a cancellation records the run
        Cancelled and is raised on."""
        cancelled = None
        while True:
            snapshot = engine.begin_attempt()
            if snapshot is None:
                break
            variant, error = None, None
            token = _state.set(_State(snapshot))
            try:
                if engine.get_context().props.log_prints:
                    _patch_print()
                args, kwargs = call()
                timeout = engine.get_timeout_seconds()
                if timeout > 0:
                    variant = self._returned(await asyncio.wait_for(fn(*args, **kwargs), timeout))
                else:
                    variant = self._returned(await fn(*args, **kwargs))
            except BaseException as exc:
                error = self._raised(exc)
                if isinstance(exc, asyncio.CancelledError):
                    cancelled = exc
            finally:
                _state.reset(token)
            delay = self._attempt_end(engine, variant, error)
            if delay < 0:
                break
            try:
                await asyncio.sleep(delay)
            except asyncio.CancelledError as exc:
                engine.cancel('Cancelled while waiting to retry')
                cancelled = self.exception = exc
                break
        return self._outcome(engine, return_state, cancelled)


def _result(variant):
    return None if variant is None else variant.unpack()


def _running_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class TaskFuture(PrefectCtx.TaskFuture):
    """A submitted task run (Prefect's ``PrefectFuture``)."""

    def wait(self, timeout=None):
        """Prefect's ``future.wait (timeout)``: waits for the run, at most
        @timeout seconds (None: as long as it takes), and returns its final
        state, or None if the time passed first."""
        if not self.wait_timeout(-1 if timeout is None else max(float(timeout), 0.0)):
            return None
        return self.get_state()

    def result(self, timeout=None, raise_on_failure=True):
        """Waits for the run (at most @timeout seconds: past it,
        ``TimeoutError``) and returns its result. A failed run raises what
        the task raised, or with ``raise_on_failure=False`` returns that
        exception instead, as Prefect's ``future.result ()``."""
        if not self.wait_timeout(-1 if timeout is None else max(float(timeout), 0.0)):
            raise TimeoutError('Task run %s did not finish within %s seconds' % (self.get_task_run_id(), timeout))
        outcome = getattr(self, '_outcome', None)
        try:
            variant = self.get_result()
            value = outcome.result(variant) if outcome is not None else _result(variant)
            return _track_result(value, self.get_task_run_id())
        except GLib.Error as error:
            # A run that did not finish has no result to give, failed or not.
            unfinished = _unfinished(error)
            if unfinished is not error:
                raise unfinished from None
            if not raise_on_failure:
                if _timed_out(error):
                    return TimeoutError(error.message)
                return outcome.exception if outcome is not None and outcome.exception is not None else error
            if outcome is None:
                raise
            outcome.raise_for(error)

    @property
    def state(self):
        """The latest state of the run (a PrefectCtx.State, or None)."""
        return self.get_state()

    @property
    def task_run_id(self):
        return self.get_task_run_id()


TaskFuture = override(TaskFuture)
__all__.append('TaskFuture')


class _TaskFunction(object):
    """What ``@PrefectCtx.task`` makes: calling it runs the function as a
    task run (``prefect_ctx_task_call``); ``.submit()`` runs it on a worker
    thread with the caller's contexts and returns a TaskFuture.

    For an ``async def`` function, calling it returns a coroutine that runs
    the task run when awaited (on the running asyncio loop, concurrently
    with other tasks under ``asyncio.gather``); called where no loop runs
    (a synchronous flow), the task runs to completion at once, as Prefect
    runs an async task called from a sync flow.
    """

    def __init__(self, fn, **options):
        functools.update_wrapper(self, fn)
        self.fn = fn
        self.is_async = asyncio.iscoroutinefunction(fn)
        # Prefect's task_run_name: a template over the parameters, or a
        # callable, filled in for each call.
        self.task_run_name = options.pop('task_run_name', None)
        # Prefect's task key: to_qualified_name (fn), module and qualname.
        props = {'name': options.pop('name', None) or fn.__name__,
                 'task_key': options.pop('task_key', None) or '%s.%s' % (fn.__module__, fn.__qualname__)}
        tags = options.pop('tags', None)
        if tags:
            props['tags'] = sorted(set(tags))
        if options.get('timeout_seconds', 0) is None:
            del options['timeout_seconds']
        props.update(options)
        self._props = props
        self.task = PrefectCtx.Task(**props)
        self._timeout = self.task.get_timeout_seconds()

    def with_options(self, **options):
        """Prefect's ``task.with_options (...)``: a copy of the task with
        some options changed (``name``, ``tags``, ``retries``,
        ``retry_delay_seconds``, ``timeout_seconds``, ``log_prints``,
        ``description``, ``task_run_name``); None keeps an option as it
        is."""
        props = dict(self._props, task_run_name=self.task_run_name)
        props.update({name: value for name, value in options.items() if value is not None})
        return _TaskFunction(self.fn, **props)

    def _prepare(self, args, kwargs, wait_for=None):
        """(task, a{sv} parameters, call) of a call: the engine's parameters
        (see _engine_value), a copy of the task when the run has a name
        template or inputs from other task runs, and call (), which gives
        the body's (args, kwargs): the Python values themselves, futures
        resolved to their results (waiting for them, in the run)."""
        bound = _bound_parameters(self.fn, args, kwargs)
        inputs, allowed = _upstream_inputs(bound, wait_for)
        props = {}
        if self.task_run_name is not None:
            props['task_run_name'] = _run_name(self.task_run_name, bound)
        if inputs is not None:
            props['task_inputs'] = inputs
        if allowed:
            props['allow_failure'] = allowed
        task = PrefectCtx.Task(**dict(self._props, **props)) if props else self.task
        params = _vardict([(str(name), _engine_value(value)) for name, value in bound.items()])
        fn = self.fn

        def call():
            return _call_args_from(fn, _resolved(bound))
        return task, params, call

    def __getattr__(self, name):
        # my_task.name, .task_key...: the task's, as on Prefect's Task.
        if name.startswith('_') or name == 'task':
            raise AttributeError(name)
        return getattr(self.task, name)

    async def _call_async(self, args, kwargs, return_state=False, wait_for=None):
        task, params, call = self._prepare(args, kwargs, wait_for)
        # The engine waits for the upstream runs before it starts this one:
        # off the loop, so that other coroutines go on meanwhile.
        for item, _ in _each_value(list(args) + list(kwargs.values()) + list(wait_for or [])):
            if isinstance(item, TaskFuture) and not item.is_done():
                await asyncio.get_running_loop().run_in_executor(None, item.wait)
        engine = PrefectCtx.RunEngine.new_for_task(task, params)
        outcome = _Outcome()
        result = await outcome.drive(engine, self.fn, call, return_state)
        return result if return_state else _track_result(result, engine.get_run_id())

    def __call__(self, *args, return_state=False, wait_for=None, **kwargs):
        if self.is_async:
            coroutine = self._call_async(args, kwargs, return_state, wait_for)
            if _running_loop() is not None:
                return coroutine
            return asyncio.run(coroutine)
        task, params, call = self._prepare(args, kwargs, wait_for)
        outcome = _Outcome()
        if return_state:
            engine = PrefectCtx.RunEngine.new_for_task(task, params)
            return outcome.drive_sync(engine, self.fn, call, return_state=True)
        try:
            result = outcome.result(task.call(params, outcome.body(self.fn, call, self._timeout)))
        except GLib.Error as error:
            outcome.raise_for(error)
        return _track_result(result, outcome.run_id)

    def map(self, *args, wait_for=None, **kwargs):
        """Prefect's ``task.map (...)``: one submitted run per element of the
        iterable arguments (zipped; ``unmapped (value)`` for an argument
        given whole to each), returned as a list of TaskFutures, in order;
        each run waits for @wait_for."""
        return [self.submit(*call_args, wait_for=wait_for, **call_kwargs)
                for call_args, call_kwargs in _map_calls(args, kwargs)]

    def submit(self, *args, wait_for=None, **kwargs):
        if self.is_async:
            raise TypeError('%s is an async task: await it (or gather it) instead of submitting it'
                            % self.fn.__name__)
        task, params, call = self._prepare(args, kwargs, wait_for)
        outcome = _Outcome()
        future = task.submit(params, outcome.body(self.fn, call, self._timeout))
        future._outcome = outcome
        return future



class unmapped(object):
    """Prefect's ``unmapped (value)``: an argument of ``task.map (...)``
    given whole to every mapped run instead of being iterated over."""

    def __init__(self, value):
        self.value = value


def _map_calls(args, kwargs):
    """The (args, kwargs) of each run of ``task.map (*args, **kwargs)``:
    iterables are zipped (all of one length), ``unmapped`` values repeated."""
    lengths = set()
    for value in list(args) + list(kwargs.values()):
        if not isinstance(value, unmapped):
            try:
                lengths.add(len(value))
            except TypeError:
                raise TypeError('task.map () needs iterables with a length, or unmapped (...), not %r'
                                % (value,)) from None
    if len(lengths) > 1:
        raise ValueError('task.map () needs iterables of one length, got lengths %s' % sorted(lengths))
    count = lengths.pop() if lengths else 0

    def pick(value, i):
        return value.value if isinstance(value, unmapped) else list(value)[i]
    return [([pick(a, i) for a in args], {k: pick(v, i) for k, v in kwargs.items()}) for i in range(count)]


__all__.append('unmapped')


def _source_file_hash(fn):
    """Prefect's default flow version: the MD5 of the file defining the
    flow (prefect.utilities.hashing.file_hash), or None when there is no
    such file (a flow defined in a REPL or by exec)."""
    import hashlib
    import inspect

    try:
        with open(inspect.getsourcefile(fn), 'rb') as source:
            return hashlib.md5(source.read(), usedforsecurity=False).hexdigest()
    except (OSError, TypeError):
        return None

class _FlowFunction(object):
    """What ``@PrefectCtx.flow`` makes: calling it runs the function as a
    flow run (``prefect_ctx_flow_run_sync``) and returns its result, or
    raises what it raised. For an ``async def`` function, calling it returns
    a coroutine that runs the flow run when awaited
    (``asyncio.run(my_flow())``). ``.with_options(...)`` gives a callable
    with run options: ``custom_context`` (a dict of strings, Flyte's
    ``with_runcontext``), ``tags``, ``client``, ``run_name``,
    ``max_workers``."""

    _FLOW_OPTIONS = ('name', 'version', 'description', 'retries', 'retry_delay_seconds', 'timeout_seconds',
                     'log_prints')

    def __init__(self, fn, run_options=None, **options):
        functools.update_wrapper(self, fn)
        self.fn = fn
        self.is_async = asyncio.iscoroutinefunction(fn)
        self.run_options = run_options
        # Prefect's flow_run_name: a template over the parameters, or a
        # callable, filled in for each call.
        self.flow_run_name = options.pop('flow_run_name', None)
        if 'flow' in options:
            self.flow = options['flow']
            return
        props = {'name': options.pop('name', None) or fn.__name__.replace('_', '-')}
        version = options.pop('version', None) or _source_file_hash(fn)
        if version is not None:
            props['version'] = version
        tags = options.pop('tags', None)
        if tags:
            props['tags'] = sorted(set(tags))
        if options.get('timeout_seconds', 0) is None:
            del options['timeout_seconds']
        props.update(options)
        self.flow = PrefectCtx.Flow(**props)

    def __getattr__(self, name):
        # my_flow.name, .version...: the flow's, as on Prefect's Flow.
        if name.startswith('_') or name == 'flow':
            raise AttributeError(name)
        return getattr(self.flow, name)

    def with_options(self, custom_context=None, tags=None, client=None, run_name=None, max_workers=0,
                     flow_run_name=None, **flow_options):
        """A copy of the flow with run options (``custom_context``,
        ``tags``, ``client``, ``run_name``, ``max_workers``) and, as
        Prefect's ``flow.with_options (...)``, flow options changed
        (``name``, ``version``, ``description``, ``retries``,
        ``retry_delay_seconds``, ``timeout_seconds``, ``log_prints``,
        ``flow_run_name``); None keeps an option as it is."""
        unknown = set(flow_options) - set(self._FLOW_OPTIONS)
        if unknown:
            raise TypeError('with_options () got unexpected keyword arguments: %s' % ', '.join(sorted(unknown)))
        props = {'max_workers': max_workers}
        if custom_context:
            props['custom_context'] = GLib.Variant('a{ss}', {str(k): str(v) for k, v in custom_context.items()})
        if tags:
            props['tags'] = sorted(set(tags))
        if client is not None:
            props['client'] = client
        if run_name is not None:
            props['run_name'] = run_name
        flow = self.flow
        if flow_options:
            flow_props = {'name': flow.name, 'version': flow.version, 'description': flow.description,
                          'tags': flow.tags, 'retries': flow.retries,
                          'retry_delay_seconds': flow.retry_delay_seconds,
                          'timeout_seconds': flow.timeout_seconds, 'log_prints': flow.log_prints}
            flow_props.update({name: value for name, value in flow_options.items() if value is not None})
            flow = PrefectCtx.Flow(**{k: v for k, v in flow_props.items() if v is not None})
        return _FlowFunction(self.fn, PrefectCtx.RunOptions(**props), flow=flow,
                             flow_run_name=flow_run_name if flow_run_name is not None else self.flow_run_name)

    def _options_for(self, args, kwargs):
        """The run options of a call: with the run's name filled in from
        flow_run_name, unless a run_name was given."""
        options = self.run_options
        if self.flow_run_name is None or (options is not None and options.get_run_name() is not None):
            return options
        name = _run_name(self.flow_run_name, _bound_parameters(self.fn, args, kwargs))
        props = {'run_name': name}
        if options is not None:
            props.update(custom_context=options.get_custom_context(), tags=options.get_tags(),
                         max_workers=options.get_max_workers())
            if options.get_client() is not None:
                props['client'] = options.get_client()
        return PrefectCtx.RunOptions(**props)

    async def _call_async(self, params, args, kwargs, return_state=False):
        engine = PrefectCtx.RunEngine.new_for_flow(self.flow, params, self._options_for(args, kwargs))
        return await _Outcome().drive(engine, self.fn, lambda: (args, kwargs), return_state)

    def __call__(self, *args, return_state=False, **kwargs):
        params = _parameters(self.fn, args, kwargs)
        if self.is_async:
            return self._call_async(params, args, kwargs, return_state)
        outcome = _Outcome()
        if return_state:
            engine = PrefectCtx.RunEngine.new_for_flow(self.flow, params, self._options_for(args, kwargs))
            return outcome.drive_sync(engine, self.fn, lambda: (args, kwargs), return_state=True)
        try:
            return outcome.result(self.flow.run_sync(params, self._options_for(args, kwargs), outcome.body(self.fn)))
        except GLib.Error as error:
            outcome.raise_for(error)


def _decorator(kind, fn, options):
    if fn is None:
        return lambda f: kind(f, **options)
    return kind(fn, **options)


def flow(fn=None, **options):
    """Prefect's ``@flow``: ``@PrefectCtx.flow`` or
    ``@PrefectCtx.flow(name=..., retries=..., retry_delay_seconds=...,
    timeout_seconds=..., log_prints=..., tags=[...], version=...,
    description=...)``.

    The flow's name defaults to the function's, with ``-`` for ``_``.
    Calling the decorated function runs it in a flow run (a subflow inside
    another run) recorded in the run store, with its arguments as the
    parameters (values convertible to GLib.Variant), and returns what it
    returned (as GLib.Variant unpacks it: ints, floats, strings, bools,
    lists, dicts). An exception fails the run, with ``Type: message`` as the
    state message, and is raised to the caller after the retries. Inside an
    ObjectRegistry that blocks code execution, the call returns None without
    running.

    With ``timeout_seconds``, an attempt still running at the deadline is
    interrupted (a coroutine is cancelled; a synchronous function gets an
    exception raised into it, with SIGALRM on the main thread so that a
    blocking ``time.sleep`` ends too) and the run is ``Failed``, named
    ``TimedOut``; the caller gets ``TimeoutError``. Code that does not
    return to Python (a long C call elsewhere than the main thread) is not
    interrupted, but the run is ``TimedOut`` all the same once it returns.
    """
    return _decorator(_FlowFunction, fn, options)


def task(fn=None, **options):
    """Prefect's ``@task``: ``@PrefectCtx.task`` or ``@PrefectCtx.task(name=...,
    retries=..., retry_delay_seconds=..., timeout_seconds=..., log_prints=...,
    tags=[...])``.

    Calling the decorated function runs it as a task run (of the current
    flow run, if any); ``fn.submit(*args)`` runs it on a worker thread of the
    flow run's pool with the caller's contexts and returns a TaskFuture
    (``.result()``, ``.wait()``, ``.state``). Results and exceptions are as
    for :func:`flow`.

    A future given as an argument (or in ``wait_for=[...]``, a keyword of
    the call, ``.submit ()`` and ``.map ()``) is waited for before the run
    starts; if its run did not complete, this run does not start: it stays
    ``Pending`` ``NotReady`` and its result raises :class:`UnfinishedRun`.
    Wrapped in :class:`allow_failure`, a failed upstream run lets it start,
    and the body gets that run's exception as the argument.

    ``timeout_seconds`` works as for :func:`flow`, in each attempt.
    """
    return _decorator(_TaskFunction, fn, options)


__all__ += ['flow', 'task']


# Every other name of the library on the module itself: PyGObject finds a
# name the override does not export through a failed attribute lookup of
# its module, about 1 us each time (``PrefectCtx.TagsContext`` in a loop).
for _name in dir(PrefectCtx):
    if not _name.startswith('_') and _name not in globals():
        globals()[_name] = getattr(PrefectCtx, _name)
        __all__.append(_name)
