// PrefectCtx.js: gjs overrides for libprefectctx
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Installed as share/gjs-1.0/overrides/PrefectCtx.js (or found through
// $GJS_PATH/overrides/). gjs calls _init() with `this` set to the
// introspected namespace. Everything introspected stays as it is; this adds:
//
//   new Ctx({parameters: {...}}) a plain object for a GVariant property
//                                becomes an a{sv}
//   ctx.run(fn)                  enter ctx, return fn(ctx), exit ctx (also on throw)
//   ctx.copy_with({prop: value}) copy_with taking an object; a plain object
//                                for a GVariant property becomes an a{sv}
//   snapshot.run(fn)             returns fn()'s result and rethrows its exception
//   PrefectCtx.declareKind(Class, name)
//                                give a JS subclass of Context its own kind
//   PrefectCtx.tags(...names)    also takes names as separate arguments
//   PrefectCtx.customContext({k: v}) / PrefectCtx.getCustomContext()
//                                Flyte's custom_context / get_custom_context
//                                with plain objects
//   PrefectCtx.runtime.flow_run.name
//                                prefect.runtime as objects (task_run and
//                                deployment likewise)
//   PrefectCtx.flow(props, fn) / PrefectCtx.task(props, fn)
//                                JS functions as flows and tasks (engine)
/* exported _init */

const {Gio, GLib, GObject} = imports.gi;

// Converts a JS value to a GLib.Variant, guessing its type.
function _toVariant(value) {
    if (value instanceof GLib.Variant)
        return value;
    switch (typeof value) {
    case 'boolean':
        return new GLib.Variant('b', value);
    case 'number':
        return Number.isInteger(value) ? new GLib.Variant('x', value) : new GLib.Variant('d', value);
    case 'string':
        return new GLib.Variant('s', value);
    case 'object':
        if (value === null)
            return new GLib.Variant('mv', null);
        if (Array.isArray(value))
            return new GLib.Variant('av', value.map(_toVariant));
        return _toVardict(value);
    }
    throw new TypeError(`Cannot convert ${value} to a GLib.Variant`);
}

function _toVardict(object) {
    const dict = {};
    for (const [key, value] of Object.entries(object))
        dict[key] = _toVariant(value);
    return new GLib.Variant('a{sv}', dict);
}

// The value to give property @name (`-` form) of @klass: a plain object for
// a GVariant property becomes an a{sv}; null (none) and others stay as is.
function _propertyValue(klass, name, value) {
    const pspec = klass.find_property(name);
    if (pspec && pspec.value_type === GObject.TYPE_VARIANT &&
        value !== null && !(value instanceof GLib.Variant))
        return _toVardict(value);
    return value;
}

// A GObject.Value holding null for property @name of @klass when the
// property can hold null (a bare null in an array of GObject.Value has no
// type the library could check); else null, for the library to refuse.
const _NULLABLE_TYPES = [GObject.TYPE_VARIANT, GObject.TYPE_STRING, GObject.TYPE_BOXED, GObject.TYPE_OBJECT];
function _nullValue(klass, name) {
    const pspec = klass.find_property(name);
    if (!pspec || !_NULLABLE_TYPES.includes(GObject.type_fundamental(pspec.value_type)))
        return null;
    const value = new GObject.Value();
    value.init(pspec.value_type);
    return value;
}

function _init() {
    const PrefectCtx = this;

    // Constructor properties converted as in copy_with.
    const contextInit = PrefectCtx.Context.prototype._init;
    PrefectCtx.Context.prototype._init = function (props = {}, ...args) {
        const converted = {};
        for (const [key, value] of Object.entries(props))
            converted[key] = _propertyValue(this.constructor, key.replace(/_/g, '-'), value);
        contextInit.call(this, converted, ...args);
    };

    // Context.run(fn): a scope, since JS has no `with` statement for it.
    PrefectCtx.Context.prototype.run = function (fn) {
        this.enter();
        let ok = false;
        let result;
        try {
            result = fn(this);
            ok = true;
        } finally {
            // If fn threw, exit's own error must not hide fn's.
            if (ok) {
                this.exit();
            } else {
                try {
                    this.exit();
                } catch (e) {
                    logError(e, 'PrefectCtx.Context.run: exit failed after an exception');
                }
            }
        }
        return result;
    };

    // copy_with({name: value}) beside copy_with(names, values).
    const copyWith = PrefectCtx.Context.prototype.copy_with;
    PrefectCtx.Context.prototype.copy_with = function (namesOrProps, values) {
        if (Array.isArray(namesOrProps) || namesOrProps === undefined)
            return copyWith.call(this, namesOrProps ?? [], values ?? []);
        const names = [];
        const vals = [];
        for (const [key, value] of Object.entries(namesOrProps)) {
            const name = key.replace(/_/g, '-');
            names.push(name);
            vals.push(value === null ? _nullValue(this.constructor, name)
                : _propertyValue(this.constructor, name, value));
        }
        return copyWith.call(this, names, vals);
    };

    // Snapshot.run(fn) returning fn's result: the C callback returns nothing,
    // and an exception escaping a gjs callback is only logged.
    const snapshotRun = PrefectCtx.Snapshot.prototype.run;
    PrefectCtx.Snapshot.prototype.run = function (fn) {
        let outcome;
        snapshotRun.call(this, () => {
            try {
                outcome = {ok: true, value: fn()};
            } catch (e) {
                outcome = {ok: false, value: e};
            }
        });
        if (!outcome.ok)
            throw outcome.value;
        return outcome.value;
    };

    // declareKind(Class, name): gives a GObject.registerClass subclass a
    // context kind of its own (throws GLib.Error if it cannot).
    PrefectCtx.declareKind = function (klass, name) {
        if (!(klass.prototype instanceof PrefectCtx.Context))
            throw new TypeError(`${klass.name} is not a subclass of PrefectCtx.Context`);
        PrefectCtx.Context.declare_kind_for_type(klass.$gtype, name);
        return klass;
    };

    // tags('a', 'b') beside tags(['a', 'b']): a new, unentered TagsContext
    // holding the current tags and these.
    const tags = PrefectCtx.tags;
    PrefectCtx.tags = function (...names) {
        return tags(names.flat());
    };

    // Flyte's custom_context(values) and get_custom_context().
    PrefectCtx.customContext = function (values = {}) {
        return PrefectCtx.CustomContext.new_merged(values);
    };
    PrefectCtx.getCustomContext = function () {
        return PrefectCtx.get_custom_context() ?? {};
    };

    // prefect.runtime as objects: PrefectCtx.runtime.flow_run.name. Each
    // access asks the library (so env mocks apply); values are unpacked to
    // JS values, datetimes to GLib.DateTime; an unknown attribute throws
    // the library's GLib.Error (NOT_FOUND).
    const runtime = {};
    for (const module of PrefectCtx.runtime_list_modules()) {
        const attributes = PrefectCtx.runtime_list_attributes(module);
        runtime[module] = new Proxy({}, {
            get(target, attribute) {
                if (typeof attribute !== 'string')
                    return undefined;
                const value = PrefectCtx.runtime_get(module, attribute);
                if (value === null)
                    return null;
                if (attributes.includes(attribute) &&
                    PrefectCtx.runtime_get_attribute_type(module, attribute) === 'datetime')
                    return GLib.DateTime.new_from_iso8601(value.unpack(), null);
                return value.recursiveUnpack();
            },
            has(target, attribute) {
                return attributes.includes(attribute);
            },
            ownKeys() {
                return [...attributes];
            },
            getOwnPropertyDescriptor(target, attribute) {
                return attributes.includes(attribute)
                    ? {enumerable: true, configurable: true} : undefined;
            },
        });
    }
    PrefectCtx.runtime = Object.freeze(runtime);

    // --- Engine (layer 6, issue 4): JS functions as flows and tasks. -------
    // PrefectCtx.flow(props, fn) / PrefectCtx.task(props, fn) (props: a name
    // or an object of Flow / Task properties) return a function taking the
    // parameters as a plain object; it runs fn(params, context) as a flow run
    // (Flow.run_sync) or a task run (Task.call) and returns fn's result,
    // unpacked. A throw fails the run (its message becomes the state message)
    // and the caller gets the thrown value itself. run.withOptions({client,
    // tags, custom_context, run_name}) gives a flow with run options. The
    // body runs on the calling thread: gjs cannot use Task.submit.
    //
    // gjs 1.74 crashes when a GI function is called again from inside its
    // own callback (g_closure_unref critical). A subflow would call
    // Flow.run_sync inside Flow.run_sync, so inside a run a flow runs with
    // Flow.run_async and a nested main loop of the thread-default context
    // instead. A task called inside a task (Task.call inside Task.call) has
    // no such way out: in gjs, tasks must not call tasks.
    function _body(fn, outcome) {
        return (context, parameters) => {
            try {
                const value = fn(parameters.recursiveUnpack(), context);
                outcome.error = undefined;
                return value === undefined || value === null ? null : _toVariant(value);
            } catch (e) {
                outcome.error = e;
                throw e;
            }
        };
    }

    function _run(call) {
        const outcome = {};
        try {
            const result = call(outcome);
            return result === null ? null : result.recursiveUnpack();
        } catch (e) {
            throw outcome.error !== undefined ? outcome.error : e;
        }
    }

    function _props(props) {
        return typeof props === 'string' ? {name: props} : props;
    }

    function _runOptions(options) {
        const props = {};
        for (const [key, value] of Object.entries(options)) {
            if (key === 'custom_context' || key === 'customContext')
                props.custom_context = new GLib.Variant('a{ss}', value);
            else
                props[key] = value;
        }
        return new PrefectCtx.RunOptions(props);
    }

    // What a thrown value or a rejection becomes for the engine: a GLib.Error
    // as it is, anything else its message (as gjs does for a synchronous
    // body).
    function _toGError(e) {
        if (e instanceof GLib.Error)
            return e;
        const message = e instanceof Error ? e.message : String(e);
        return new GLib.Error(PrefectCtx.error_quark(), PrefectCtx.Error.FAILED, message);
    }

    // A PrefectCtx.AsyncRunFunc running fn(params, context), which may
    // return a value or a Promise (an async function): the task is completed
    // when the Promise settles. A body whose result cannot be converted
    // fails the run with a TypeError message.
    function _asyncBody(fn, outcome) {
        return (context, parameters, cancellable, task) => {
            const settle = (ok, value) => {
                if (ok) {
                    let variant;
                    try {
                        variant = value === undefined || value === null ? null : _toVariant(value);
                    } catch (e) {
                        ok = false;
                        value = e;
                    }
                    if (ok) {
                        outcome.error = undefined;
                        PrefectCtx.run_return(task, variant);
                        return;
                    }
                }
                outcome.error = value;
                task.return_error(_toGError(value));
            };
            let value;
            try {
                value = fn(parameters.recursiveUnpack(), context);
            } catch (e) {
                settle(false, e);
                return;
            }
            if (value instanceof Promise)
                value.then(v => settle(true, v), e => settle(false, e));
            else
                settle(true, value);
        };
    }

    function _isAsync(fn) {
        return fn.constructor?.name === 'AsyncFunction';
    }

    // Starts an _async call whose callback settles a Promise with the
    // unpacked result, or the body's own thrown value.
    function _promise(start, finish, outcome) {
        return new Promise((resolve, reject) => {
            start((source, result) => {
                try {
                    const value = finish(source, result);
                    resolve(value === null ? null : value.recursiveUnpack());
                } catch (e) {
                    reject(outcome.error !== undefined ? outcome.error : e);
                }
            });
        });
    }

    function _runNested(flow, params, options, body) {
        const context = GLib.MainContext.get_thread_default() ?? GLib.MainContext.default();
        const loop = new GLib.MainLoop(context, false);
        let done = null;
        flow.run_async(params, options, body, null, (source, result) => {
            try {
                done = {value: source.run_finish(result)};
            } catch (e) {
                done = {error: e};
            }
            loop.quit();
        });
        if (done === null)
            loop.run();
        if (done.error !== undefined)
            throw done.error;
        return done.value;
    }

    // An async fn makes a flow whose call returns a Promise (run on the main
    // loop with Flow.run_async); a plain one a flow whose call returns the
    // result (Flow.run_sync; inside a run, run_async and a nested main loop).
    PrefectCtx.flow = function (props, fn, options = null) {
        const flow = props instanceof PrefectCtx.Flow ? props : new PrefectCtx.Flow(_props(props));
        let run;
        if (_isAsync(fn)) {
            run = (params = {}) => {
                const outcome = {};
                return _promise(callback => flow.run_async(_toVardict(params), options,
                    _asyncBody(fn, outcome), null, callback),
                (source, result) => source.run_finish(result), outcome);
            };
        } else {
            run = (params = {}) => _run(outcome => {
                const inRun = PrefectCtx.FlowRunContext.get_current() !== null ||
                    PrefectCtx.TaskRunContext.get_current() !== null;
                return inRun ? _runNested(flow, _toVardict(params), options, _asyncBody(fn, outcome))
                    : flow.run_sync(_toVardict(params), options, _body(fn, outcome));
            });
        }
        run.flow = flow;
        run.withOptions = opts => PrefectCtx.flow(flow, fn, _runOptions(opts));
        return run;
    };

    // An async fn makes a task whose call returns a Promise (Task.call_async);
    // a plain one a task whose call returns the result (Task.call).
    PrefectCtx.task = function (props, fn) {
        const task = new PrefectCtx.Task(_props(props));
        let run;
        if (_isAsync(fn)) {
            run = (params = {}) => {
                const outcome = {};
                return _promise(callback => task.call_async(_toVardict(params),
                    _asyncBody(fn, outcome), null, callback),
                (source, result) => source.call_finish(result), outcome);
            };
        } else {
            run = (params = {}) => _run(outcome =>
                task.call(_toVardict(params), _body(fn, outcome)));
        }
        run.task = task;
        return run;
    };

    // Prefect 3's with_context(fn): fn bound to the contexts current now; the
    // function returned calls it with them current, wherever it is called
    // (a continuation after an await, a signal handler, a timeout).
    PrefectCtx.withContext = function (fn) {
        const snapshot = PrefectCtx.Snapshot.capture();
        return (...args) => snapshot.run(() => fn(...args));
    };

    // Promise forms of every _async/_finish pair (Gio._promisify): called
    // without a callback, an _async method returns a Promise.
    for (const name of Object.keys(PrefectCtx)) {
        const klass = PrefectCtx[name];
        const proto = typeof klass === 'function' ? klass.prototype : null;
        if (!proto || !(proto instanceof GObject.Object || klass.$gtype !== undefined))
            continue;
        for (const method of Object.getOwnPropertyNames(proto)) {
            const match = method.match(/^(.*)_async$/);
            if (match && typeof proto[`${match[1]}_finish`] === 'function')
                Gio._promisify(proto, method, `${match[1]}_finish`);
        }
    }

    PrefectCtx._toVardict = _toVardict;
}
