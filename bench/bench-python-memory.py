"""bench-python-memory.py: memory growth per iteration of the Python binding.

Usage: ./bench/run-python.sh --memory [--iterations N]

Each loop runs a warm-up and then two windows of N iterations, and prints the
growth per iteration of the C heap in use (glibc's mallinfo2), of Python's
own allocations (tracemalloc) and of the resident set. A leak grows alike in
both windows. The loops: the issue's tags + custom context + serialize +
hydrate round; a flow run of one task on a file store; and, as the baseline
of what PyGObject itself keeps, a Gio.ListStore.sort () with a Python
callback (PyGObject 3.42 leaks a 48-byte libffi closure per callback).
"""
import argparse
import ctypes
import gc
import os
import tempfile
import tracemalloc

import gi
gi.require_version('PrefectCtx', '1.0')
from gi.repository import Gio, GObject, PrefectCtx  # noqa: E402


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        'arena', 'ordblks', 'smblks', 'hblks', 'hblkhd', 'usmblks', 'fsmblks', 'uordblks', 'fordblks',
        'keepcost')]


_libc = ctypes.CDLL('libc.so.6')
_libc.mallinfo2.restype = _MallInfo2


def _usage():
    gc.collect()
    info = _libc.mallinfo2()
    with open('/proc/self/statm') as statm:
        rss = int(statm.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
    return info.uordblks + info.hblkhd, tracemalloc.get_traced_memory()[0], rss


def contexts_round():
    with PrefectCtx.tags('a', 'b', 'c'):
        with PrefectCtx.custom_context({'team': 'data', 'run': 'nightly'}):
            serialized = PrefectCtx.serialize_context()
            with PrefectCtx.hydrated_context(serialized):
                pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--memory', action='store_true')
    parser.add_argument('--iterations', type=int, default=5000)
    args = parser.parse_args()
    n = args.iterations

    store = tempfile.mkdtemp()
    client = PrefectCtx.LocalClient.new(os.path.join(store, 'store.db'))

    @PrefectCtx.task
    def step(x):
        return x + 1

    @PrefectCtx.flow
    def one_task(x):
        return step(x)

    flow = one_task.with_options(client=client)
    list_store = Gio.ListStore.new(GObject.Object)
    list_store.append(GObject.Object())

    loops = [
        ('contexts', contexts_round),
        ('flow runs', lambda: flow(1)),
        ('PyGObject callback (baseline)', lambda: list_store.sort(lambda a, b, *data: 0)),
    ]
    tracemalloc.start()
    print('%d iterations per window; growth in bytes per iteration, first / second window' % n)
    print('%-30s %16s %16s %16s' % ('loop', 'C heap', 'Python', 'RSS'))
    for name, fn in loops:
        for _ in range(max(n // 10, 1)):
            fn()
        marks = [_usage()]
        for _ in range(2):
            for _ in range(n):
                fn()
            marks.append(_usage())
        columns = []
        for k in range(3):
            columns.append('%7.1f / %6.1f' % ((marks[1][k] - marks[0][k]) / n, (marks[2][k] - marks[1][k]) / n))
        print('%-30s %16s %16s %16s' % (name, *columns))


if __name__ == '__main__':
    main()
