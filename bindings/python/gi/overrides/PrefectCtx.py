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

import builtins
import datetime
import io
import json
import logging
import sys
import threading

from gi.repository import GLib, GObject

from ..module import get_introspection_module
from ..overrides import override

PrefectCtx = get_introspection_module('PrefectCtx')

__all__ = []


# ---------------------------------------------------------------------------
# Values for properties


def _to_variant(value):
    """Converts a Python value to a GLib.Variant, guessing its type."""
    if isinstance(value, GLib.Variant):
        return value
    if isinstance(value, bool):
        return GLib.Variant('b', value)
    if isinstance(value, int):
        return GLib.Variant('x', value)
    if isinstance(value, float):
        return GLib.Variant('d', value)
    if isinstance(value, str):
        return GLib.Variant('s', value)
    if isinstance(value, dict):
        return _to_vardict(value)
    if isinstance(value, (list, tuple)):
        return GLib.Variant('av', [_to_variant(v) for v in value])
    if value is None:
        return GLib.Variant('mv', None)
    raise TypeError('Cannot convert %r to a GLib.Variant' % (value,))


def _to_vardict(mapping):
    """Converts a dict with str keys to a GLib.Variant of type a{sv}."""
    return GLib.Variant('a{sv}', {str(k): _to_variant(v) for k, v in mapping.items()})


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
    """

    def __init__(self, **props):
        """Constructs a context from keyword properties (``_`` for ``-``),
        converting dicts, sets and datetimes as :meth:`copy_with` does."""
        for name, value in props.items():
            pspec = type(self).find_property(name.replace('_', '-'))
            if pspec is not None:
                props[name] = _convert(pspec, value)
        super().__init__(**props)

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
        """Returns the innermost entered context of this class on the
        calling thread, or None (like Prefect's ``FlowRunContext.get()``)."""
        return PrefectCtx.Context.get_current(cls.__gtype__)


Context = override(Context)
__all__.append('Context')


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
    """The contexts of a thread at one moment, to carry into other threads.

    ``snap = PrefectCtx.Snapshot.capture()`` on one thread, then
    ``snap.run(fn, *args, **kwargs)`` on another.
    """

    def run(self, fn, *args, **kwargs):
        """Calls ``fn(*args, **kwargs)`` with this snapshot as the calling
        thread's contexts, then restores the thread's own. Returns what
        ``fn`` returns and raises what it raises."""
        outcome = []

        def call(*_user_data):
            try:
                outcome.append((True, fn(*args, **kwargs)))
            except BaseException as exc:  # re-raised below, outside C
                outcome.append((False, exc))

        super().run(call, None)
        ok, value = outcome[0]
        if not ok:
            raise value
        return value


Snapshot = override(Snapshot)
__all__.append('Snapshot')


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


class _ThreadScope(object):
    """A reusable ``with`` scope: each ``with`` gets a new, entered context
    from :meth:`_make`, exited when the block ends. It can be active on
    several threads (and nested on one) at once."""

    def __init__(self):
        self._local = threading.local()

    def _stack(self):
        return self._local.__dict__.setdefault('entered', [])

    @property
    def context(self):
        """The context entered by the innermost active ``with`` of this
        scope on the calling thread, or None."""
        stack = self._stack()
        return stack[-1] if stack else None

    def _enter(self):
        ctx = self._make()
        self._stack().append(ctx)
        return ctx

    def __exit__(self, exc_type, exc_value, traceback):
        stack = self._stack()
        stack[-1].exit()
        stack.pop()
        return False


class _TagsScope(_ThreadScope):
    """What :func:`tags` returns; ``with`` yields the set of current tags."""

    def __init__(self, names):
        super().__init__()
        self._names = names

    def _make(self):
        ctx = PrefectCtx.tags(self._names)
        ctx.enter()
        return ctx

    def __enter__(self):
        return set(self._enter().get_current_tags())

    def __repr__(self):
        return 'PrefectCtx.tags(%s)' % ', '.join(repr(n) for n in self._names)


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
    flat = []
    for name in names:
        if isinstance(name, str):
            flat.append(name)
        else:
            flat.extend(name)
    return _TagsScope(flat)


def custom_context(*mappings, **values):
    """Flyte's ``custom_context(**values)``: a new, unentered CustomContext.

    Its map is the current custom context overlaid with @values (and the
    dicts given as positional arguments), computed now::

        with PrefectCtx.custom_context({"run-mode": "test"}, team="ml"):
            PrefectCtx.get_custom_context()   # {..., "team": "ml", ...}

    Keys and values are strings; a key or map that breaks the library's
    rules raises GLib.Error INVALID_ARGUMENT.
    """
    merged = {}
    for mapping in mappings:
        merged.update(mapping)
    merged.update(values)
    return PrefectCtx.CustomContext.new_merged(merged)


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


class _ProfileScope(_ThreadScope):
    """What :func:`use_profile` returns: a ``with`` scope entering a
    SettingsContext for the profile, and yielding it."""

    def __init__(self, profile, override_environment_variables, include_current_context):
        super().__init__()
        self._profile = profile
        self._override = override_environment_variables
        self._include = include_current_context

    def _make(self):
        # PrefectCtx.use_profile*() return the context entered.
        if isinstance(self._profile, str):
            return PrefectCtx.use_profile(self._profile, self._override, self._include)
        if isinstance(self._profile, PrefectCtx.Profile):
            return PrefectCtx.use_profile_object(self._profile, self._override, self._include)
        raise TypeError("Unexpected type %r for `profile`. Expected 'str' or 'Profile'."
                        % type(self._profile).__name__)

    def __enter__(self):
        return self._enter()


def use_profile(profile, override_environment_variables=False, include_current_context=True):
    """Prefect's ``use_profile()``: ``with PrefectCtx.use_profile("dev") as
    ctx:`` enters a SettingsContext for the profile (a name of the profiles
    file, or a PrefectCtx.Profile) and yields it; the block's end restores
    the previous settings. An unknown name raises GLib.Error NOT_FOUND."""
    return _ProfileScope(profile, override_environment_variables, include_current_context)


__all__ += ['runtime', 'use_profile']


# ---------------------------------------------------------------------------
# Engine (layer 6, issue 4): Python functions as flows and tasks.
# Kept to this section; see tests/python/test_engine.py.

import functools
import inspect

_ERROR_DOMAIN = GLib.quark_to_string(PrefectCtx.error_quark())


def _parameters(fn, args, kwargs):
    """The a{sv} parameters of a call of @fn: arguments bound to the names
    of its signature, defaults included (Prefect's parameters dict)."""
    bound = inspect.signature(fn).bind(*args, **kwargs)
    bound.apply_defaults()
    params = {}
    for name, value in bound.arguments.items():
        kind = bound.signature.parameters[name].kind
        if kind == inspect.Parameter.VAR_KEYWORD:
            params.update(value)
        else:
            params[name] = list(value) if kind == inspect.Parameter.VAR_POSITIONAL else value
    return _to_vardict(params)


def _call_args(fn, parameters):
    """(args, kwargs) to call @fn with, from an a{sv} of its parameters."""
    values = parameters.unpack() if parameters is not None else {}
    args, kwargs = [], {}
    for name, param in inspect.signature(fn).parameters.items():
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

    Outside any run it raises :class:`GLib.Error`
    ``PrefectCtx.Error.MISSING_CONTEXT``: ``There is no active flow or task
    run context.``
    """
    try:
        context = PrefectCtx.get_run_context()
    except GLib.Error:
        raise GLib.Error('There is no active flow or task run context.', _ERROR_DOMAIN,
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


class _Outcome(object):
    """What a body raised, kept so that the caller gets the exception itself
    rather than the GLib.Error the engine carried."""

    def __init__(self):
        self.exception = None

    def body(self, fn):
        """A PrefectCtx.RunFunc running fn(**parameters): its return value
        becomes the run's result (converted to a GLib.Variant), and any
        exception it raises fails the run with the exception's text as the
        state message (GLib.Error keeps its domain and code)."""
        def run(context, parameters, *user_data):
            if context.props.log_prints:
                _patch_print()
            args, kwargs = _call_args(fn, parameters)
            try:
                value = fn(*args, **kwargs)
            except GLib.Error as error:
                self.exception = error
                raise
            except Exception as exc:  # every failure of the body fails the run
                self.exception = exc
                raise GLib.Error('%s: %s' % (type(exc).__name__, exc), _ERROR_DOMAIN,
                                 int(PrefectCtx.Error.FAILED)) from exc
            self.exception = None
            return None if value is None else _to_variant(value)
        return run

    def raise_for(self, error):
        """Raises the body's own exception for the engine's @error (the
        store's errors are raised as they are)."""
        if self.exception is not None:
            raise self.exception.with_traceback(self.exception.__traceback__) from None
        raise error


def _result(variant):
    return None if variant is None else variant.unpack()


class TaskFuture(PrefectCtx.TaskFuture):
    """A submitted task run (Prefect's ``PrefectFuture``)."""

    def result(self):
        """Waits for the run and returns its result, or raises what the
        task raised."""
        outcome = getattr(self, '_outcome', None)
        try:
            return _result(self.get_result())
        except GLib.Error as error:
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
    thread with the caller's contexts and returns a TaskFuture."""

    def __init__(self, fn, **options):
        functools.update_wrapper(self, fn)
        self.fn = fn
        props = {'name': options.pop('name', None) or fn.__name__,
                 'task_key': options.pop('task_key', None) or fn.__qualname__}
        tags = options.pop('tags', None)
        if tags:
            props['tags'] = sorted(set(tags))
        props.update(options)
        self.task = PrefectCtx.Task(**props)

    def __call__(self, *args, **kwargs):
        outcome = _Outcome()
        try:
            return _result(self.task.call(_parameters(self.fn, args, kwargs), outcome.body(self.fn)))
        except GLib.Error as error:
            outcome.raise_for(error)

    def submit(self, *args, **kwargs):
        outcome = _Outcome()
        future = self.task.submit(_parameters(self.fn, args, kwargs), outcome.body(self.fn))
        future._outcome = outcome
        return future


class _FlowFunction(object):
    """What ``@PrefectCtx.flow`` makes: calling it runs the function as a
    flow run (``prefect_ctx_flow_run_sync``) and returns its result, or
    raises what it raised. ``.with_options(...)`` gives a callable with run
    options: ``custom_context`` (a dict of strings, Flyte's
    ``with_runcontext``), ``tags``, ``client``, ``run_name``,
    ``max_workers``."""

    def __init__(self, fn, run_options=None, **options):
        functools.update_wrapper(self, fn)
        self.fn = fn
        self.run_options = run_options
        if 'flow' in options:
            self.flow = options['flow']
            return
        props = {'name': options.pop('name', None) or fn.__name__.replace('_', '-')}
        tags = options.pop('tags', None)
        if tags:
            props['tags'] = sorted(set(tags))
        props.update(options)
        self.flow = PrefectCtx.Flow(**props)

    def with_options(self, custom_context=None, tags=None, client=None, run_name=None, max_workers=0):
        props = {'max_workers': max_workers}
        if custom_context:
            props['custom_context'] = GLib.Variant('a{ss}', {str(k): str(v) for k, v in custom_context.items()})
        if tags:
            props['tags'] = sorted(set(tags))
        if client is not None:
            props['client'] = client
        if run_name is not None:
            props['run_name'] = run_name
        return _FlowFunction(self.fn, PrefectCtx.RunOptions(**props), flow=self.flow)

    def __call__(self, *args, **kwargs):
        outcome = _Outcome()
        try:
            return _result(self.flow.run_sync(_parameters(self.fn, args, kwargs), self.run_options,
                                              outcome.body(self.fn)))
        except GLib.Error as error:
            outcome.raise_for(error)


def _decorator(kind, fn, options):
    if fn is None:
        return lambda f: kind(f, **options)
    return kind(fn, **options)


def flow(fn=None, **options):
    """Prefect's ``@flow``: ``@PrefectCtx.flow`` or
    ``@PrefectCtx.flow(name=..., retries=..., retry_delay_seconds=...,
    log_prints=..., tags=[...], version=..., description=...)``.

    The flow's name defaults to the function's, with ``-`` for ``_``.
    Calling the decorated function runs it in a flow run (a subflow inside
    another run) recorded in the run store, with its arguments as the
    parameters (values convertible to GLib.Variant), and returns what it
    returned (as GLib.Variant unpacks it: ints, floats, strings, bools,
    lists, dicts). An exception fails the run, with ``Type: message`` as the
    state message, and is raised to the caller after the retries. Inside an
    ObjectRegistry that blocks code execution, the call returns None without
    running.
    """
    return _decorator(_FlowFunction, fn, options)


def task(fn=None, **options):
    """Prefect's ``@task``: ``@PrefectCtx.task`` or ``@PrefectCtx.task(name=...,
    retries=..., retry_delay_seconds=..., log_prints=..., tags=[...])``.

    Calling the decorated function runs it as a task run (of the current
    flow run, if any); ``fn.submit(*args)`` runs it on a worker thread of the
    flow run's pool with the caller's contexts and returns a TaskFuture
    (``.result()``, ``.wait()``, ``.state``). Results and exceptions are as
    for :func:`flow`.
    """
    return _decorator(_TaskFunction, fn, options)


__all__ += ['flow', 'task']
