// tap.js: a tiny TAP producer for the gjs tests (jasmine-gjs is not in Debian 12).
//
// SPDX-License-Identifier: LGPL-2.1-or-later
import GLib from 'gi://GLib';
import System from 'system';

let count = 0;
let failures = 0;

/** Runs @fn as test @name and prints `ok N - name` or `not ok N - name`. */
export function test(name, fn) {
    count++;
    try {
        fn();
        print(`ok ${count} - ${name}`);
    } catch (e) {
        failures++;
        print(`not ok ${count} - ${name}`);
        for (const line of `${e}\n${e.stack ?? ''}`.trimEnd().split('\n'))
            print(`# ${line}`);
    }
}

/** Prints the plan and exits non-zero if a test failed. */
export function done() {
    print(`1..${count}`);
    System.exit(failures > 0 ? 1 : 0);
}

function show(value) {
    try {
        return JSON.stringify(value) ?? String(value);
    } catch {
        return String(value);
    }
}

export function assert(condition, what = 'assertion failed') {
    if (!condition)
        throw new Error(what);
}

export function assertEqual(actual, expected, what = '') {
    if (actual !== expected)
        throw new Error(`${what} expected ${show(expected)}, got ${show(actual)}`);
}

export function assertDeepEqual(actual, expected, what = '') {
    if (show(actual) !== show(expected))
        throw new Error(`${what} expected ${show(expected)}, got ${show(actual)}`);
}

/**
 * Calls @fn, which must throw a GLib.Error of @domain and @code; if
 * @message is a string it must be the message, if a RegExp it must match.
 * Returns the error.
 */
export function assertThrowsGError(fn, domain, code, message) {
    let error = null;
    try {
        fn();
    } catch (e) {
        error = e;
    }
    if (error === null)
        throw new Error(`expected a GLib.Error with code ${code}, nothing was thrown`);
    if (!(error instanceof GLib.Error))
        throw new Error(`expected a GLib.Error, got ${error}`);
    if (!error.matches(domain, code))
        throw new Error(`expected code ${code}, got ${error.code}: ${error.message}`);
    if (typeof message === 'string' && error.message !== message)
        throw new Error(`expected message ${show(message)}, got ${show(error.message)}`);
    if (message instanceof RegExp && !message.test(error.message))
        throw new Error(`message ${show(error.message)} does not match ${message}`);
    return error;
}

export function assertThrows(fn, type) {
    try {
        fn();
    } catch (e) {
        if (type && !(e instanceof type))
            throw new Error(`expected a ${type.name}, got ${e}`);
        return e;
    }
    throw new Error('expected an exception, nothing was thrown');
}
