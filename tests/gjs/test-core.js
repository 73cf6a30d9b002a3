// test-core.js: the core (layer 1) through gjs: contexts subclassed in JS,
// enter/exit, errors, copy_with, snapshots. Run with `gjs -m`; prints TAP.
// No worker threads: gjs refuses callbacks from other threads.
//
// SPDX-License-Identifier: LGPL-2.1-or-later
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import PrefectCtx from 'gi://PrefectCtx?version=1.0';

import {test, done, assert, assertEqual, assertDeepEqual, assertThrows, assertThrowsGError} from './tap.js';

const ALREADY_ENTERED_MSG = 'Context already entered. Context enter calls cannot be nested.';
const NOT_ENTERED_MSG = 'Asymmetric use of context. Context exit called without an enter.';
const RW_CONSTRUCT = GObject.ParamFlags.READWRITE | GObject.ParamFlags.CONSTRUCT_ONLY;

const Mine = GObject.registerClass({
    GTypeName: 'GjsTestMine',
    Properties: {
        'value': GObject.ParamSpec.int('value', '', '', RW_CONSTRUCT, -1000, 1000, 0),
        'label': GObject.ParamSpec.string('label', '', '', RW_CONSTRUCT, ''),
        'params': GObject.param_spec_variant('params', '', '', new GLib.VariantType('a{sv}'),
            null, RW_CONSTRUCT),
        'computed': GObject.ParamSpec.int('computed', '', '', GObject.ParamFlags.READABLE, 0, 10, 0),
    },
}, class Mine extends PrefectCtx.Context {
    get computed() {
        return 1;
    }
});

// Declared before SubMine is registered, so SubMine inherits the kind.
PrefectCtx.declareKind(Mine, 'gjs_mine');

const SubMine = GObject.registerClass({
    GTypeName: 'GjsTestSubMine',
}, class SubMine extends Mine {});

// Declared with the raw introspected class-structure method.
const Other = GObject.registerClass({
    GTypeName: 'GjsTestOther',
}, class Other extends PrefectCtx.Context {});
Other.declare_kind('gjs_other');

const entered = [];
const Checked = GObject.registerClass({
    GTypeName: 'GjsTestChecked',
    Properties: {
        'value': GObject.ParamSpec.int('value', '', '', RW_CONSTRUCT, -1000, 1000, 0),
    },
}, class Checked extends PrefectCtx.Context {
    vfunc_validate() {
        if (this.value < 0) {
            throw new GLib.Error(PrefectCtx.Error, PrefectCtx.Error.INVALID_ARGUMENT,
                'value must not be negative');
        }
        return true;
    }

    vfunc_entered() {
        entered.push(this.value);
    }
});
PrefectCtx.declareKind(Checked, 'gjs_checked');

const NoKind = GObject.registerClass({
    GTypeName: 'GjsTestNoKind',
}, class NoKind extends PrefectCtx.Context {});

function current(klass = Mine) {
    return PrefectCtx.Context.get_current(klass.$gtype);
}

test('override is loaded', () => {
    assertEqual(typeof PrefectCtx.declareKind, 'function');
    assertEqual(typeof PrefectCtx.Context.prototype.run, 'function');
});

test('kinds declared from JS', () => {
    assertEqual(PrefectCtx.Context.kind_get_name(Mine.$gtype), 'gjs_mine');
    assertEqual(PrefectCtx.Context.kind_get_name(SubMine.$gtype), 'gjs_mine');
    assertEqual(PrefectCtx.Context.kind_get_name(Other.$gtype), 'gjs_other');
    assertEqual(PrefectCtx.Context.kind_get_name(NoKind.$gtype), null);
});

test('declareKind refuses a non-context class', () => {
    assertThrows(() => PrefectCtx.declareKind(GObject.Object, 'nope'), TypeError);
});

test('entering a class without a kind is INVALID_ARGUMENT', () => {
    const ctx = new NoKind();
    assertThrowsGError(() => ctx.enter(), PrefectCtx.Error, PrefectCtx.Error.INVALID_ARGUMENT,
        /belongs to no context kind/);
    assert(!ctx.is_entered());
});

test('properties are construct-only', () => {
    const ctx = new Mine({value: 3, label: 'x'});
    assertEqual(ctx.value, 3);
    assertEqual(ctx.label, 'x');
});

test('enter and exit', () => {
    const ctx = new Mine({value: 1});
    assertEqual(current(), null);
    assertEqual(ctx.enter(), true);
    assert(ctx.is_entered());
    assertEqual(current(), ctx);
    assertEqual(ctx.exit(), true);
    assert(!ctx.is_entered());
    assertEqual(current(), null);
});

test('nesting restores the previous context', () => {
    const [one, two, three] = [1, 2, 3].map(value => new Mine({value}));
    one.enter();
    two.enter();
    three.enter();
    assertEqual(current().value, 3);
    three.exit();
    assertEqual(current().value, 2);
    two.exit();
    assertEqual(current().value, 1);
    one.exit();
    assertEqual(current(), null);
});

test('kinds are independent; subclasses share their kind', () => {
    const mine = new Mine({value: 1});
    const sub = new SubMine({value: 2});
    const other = new Other();
    mine.enter();
    other.enter();
    sub.enter();
    assertEqual(current(Mine), sub);
    assertEqual(current(SubMine), sub);
    assertEqual(current(Other), other);
    sub.exit();
    assertEqual(current(Mine), mine);
    assertEqual(current(SubMine), null);
    other.exit();
    mine.exit();
});

test('ALREADY_ENTERED', () => {
    const ctx = new Mine();
    ctx.enter();
    try {
        const e = assertThrowsGError(() => ctx.enter(), PrefectCtx.Error,
            PrefectCtx.Error.ALREADY_ENTERED, ALREADY_ENTERED_MSG);
        assert(e.matches(PrefectCtx.Error, PrefectCtx.Error.ALREADY_ENTERED));
        assertEqual(e.code, PrefectCtx.Error.ALREADY_ENTERED);
        assertEqual(current(), ctx);
    } finally {
        ctx.exit();
    }
});

test('NOT_ENTERED', () => {
    const ctx = new Mine();
    assertThrowsGError(() => ctx.exit(), PrefectCtx.Error, PrefectCtx.Error.NOT_ENTERED,
        NOT_ENTERED_MSG);
    ctx.enter();
    ctx.exit();
    assertThrowsGError(() => ctx.exit(), PrefectCtx.Error, PrefectCtx.Error.NOT_ENTERED,
        NOT_ENTERED_MSG);
});

test('OUT_OF_ORDER leaves the state unchanged', () => {
    const outer = new Mine({value: 1});
    const inner = new Other();
    outer.enter();
    inner.enter();
    assertThrowsGError(() => outer.exit(), PrefectCtx.Error, PrefectCtx.Error.OUT_OF_ORDER,
        /not the innermost context/);
    assertEqual(current(Mine), outer);
    assertEqual(current(Other), inner);
    inner.exit();
    outer.exit();
    assertEqual(current(Mine), null);
});

test('Context.run enters, returns and exits, also on throw', () => {
    const ctx = new Mine({value: 5});
    assertEqual(ctx.run(c => {
        assertEqual(c, ctx);
        assertEqual(current(), ctx);
        return c.value * 2;
    }), 10);
    assert(!ctx.is_entered());
    assertThrows(() => ctx.run(() => {
        throw new RangeError('inside');
    }), RangeError);
    assert(!ctx.is_entered());
    assertEqual(current(), null);
});

test('validate vfunc in JS refuses invalid values', () => {
    const bad = new Checked({value: -1});
    assertThrowsGError(() => bad.check(), PrefectCtx.Error, PrefectCtx.Error.INVALID_ARGUMENT,
        'value must not be negative');
    assertThrowsGError(() => bad.enter(), PrefectCtx.Error, PrefectCtx.Error.INVALID_ARGUMENT,
        'value must not be negative');
    assert(!bad.is_entered());
    const good = new Checked({value: 2});
    assert(good.check());
    assertThrowsGError(() => good.copy_with({value: -3}), PrefectCtx.Error,
        PrefectCtx.Error.INVALID_ARGUMENT, 'value must not be negative');
});

test('entered vfunc in JS', () => {
    entered.length = 0;
    new Checked({value: 4}).run(() => new Checked({value: 5}).run(() => {}));
    assertDeepEqual(entered, [4, 5]);
});

test('copy_with (names, values)', () => {
    const ctx = new Mine({value: 1, label: 'a'});
    const copy = ctx.copy_with(['value'], [2]);
    assert(copy instanceof Mine);
    assert(copy !== ctx);
    assertEqual(copy.value, 2);
    assertEqual(copy.label, 'a');
    assertEqual(ctx.value, 1);
    assert(!copy.is_entered());
});

test('copy_with ({props})', () => {
    const ctx = new Mine({value: 1, label: 'a'});
    const copy = ctx.copy_with({label: 'b', params: {x: 1, y: 'two', z: [true]}});
    assertEqual(copy.value, 1);
    assertEqual(copy.label, 'b');
    assertDeepEqual(copy.params.recursiveUnpack(), {x: 1, y: 'two', z: [true]});
    assertEqual(new SubMine({value: 3}).copy_with({label: 's'}).constructor, SubMine);
});

test('copy_with can be entered while the original is', () => {
    const ctx = new Mine({value: 1});
    ctx.run(() => {
        const copy = ctx.copy_with({value: 2});
        copy.run(() => assertEqual(current(), copy));
        assertEqual(current(), ctx);
    });
});

test('copy_with errors', () => {
    const ctx = new Mine();
    assertThrowsGError(() => ctx.copy_with({no_such: 1}), PrefectCtx.Error,
        PrefectCtx.Error.INVALID_ARGUMENT, /has no property 'no-such'/);
    assertThrowsGError(() => ctx.copy_with({computed: 1}), PrefectCtx.Error,
        PrefectCtx.Error.INVALID_ARGUMENT, /read-only/);
    assertThrowsGError(() => ctx.copy_with(['value'], ['not a number']), PrefectCtx.Error,
        PrefectCtx.Error.INVALID_ARGUMENT, /property 'value'/);
});

test('snapshot capture, get, is_empty', () => {
    const empty = PrefectCtx.Snapshot.capture();
    assert(empty.is_empty());
    assertEqual(empty.get(Mine.$gtype), null);
    const ctx = new Mine({value: 1});
    const snap = ctx.run(() => PrefectCtx.Snapshot.capture());
    assert(!snap.is_empty());
    assertEqual(snap.get(Mine.$gtype), ctx);
    assertEqual(snap.get(Other.$gtype), null);
});

test('snapshot run returns, rethrows and restores', () => {
    const ctx = new Mine({value: 7});
    const snap = ctx.run(() => PrefectCtx.Snapshot.capture());
    const other = new Other();
    other.run(() => {
        assertEqual(snap.run(() => current(Mine).value), 7);
        assertEqual(snap.run(() => current(Other)), null);
        assertEqual(current(Other), other);
        assertEqual(current(Mine), null);
    });
    assertThrows(() => snap.run(() => {
        throw new TypeError('boom');
    }), TypeError);
    assertThrowsGError(() => snap.run(() => new Mine().exit()), PrefectCtx.Error,
        PrefectCtx.Error.NOT_ENTERED, NOT_ENTERED_MSG);
});

test('contexts of a snapshot cannot be exited inside run', () => {
    const ctx = new Mine({value: 1});
    ctx.run(() => {
        const snap = PrefectCtx.Snapshot.capture();
        assertThrowsGError(() => snap.run(() => ctx.exit()), PrefectCtx.Error,
            PrefectCtx.Error.OUT_OF_ORDER);
        assertEqual(current(), ctx);
    });
});

done();
