#!/usr/bin/python3
# demo.py: the libprefectctx demo in Python (PyGObject)
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The same flow as `prefectctx demo` (tool/prefectctx-demo.c) and
# examples/demo.js, written with the Python override's decorators:
#
#   flow etl-demo (parameters source, batches; run-level custom context
#                  team=data, request_id=req-42; tag demo)
#   +-- tags("etl")
#   |   +-- extract            a task called on the flow's thread
#   |   +-- tags("nightly")
#   |       +-- transform x N  tasks submitted to worker threads, which see
#   |                          the caller's tags and custom context
#   +-- custom_context(stage=publish)
#   |   +-- publish            fails on its first attempt, retried once
#   +-- report                 a subflow, with its own task summarize
#
# Each body prints what it sees through PrefectCtx.runtime and the current
# contexts; log lines written inside the runs become the runs' logs. Then the
# flow run is printed as the run store recorded it.
#
# Run (Debian's python3, with PyGObject), from a build tree:
#   GI_TYPELIB_PATH=build/libprefectctx LD_LIBRARY_PATH=build/libprefectctx \
#   PYTHONPATH=bindings/python PREFECT_HOME=$(mktemp -d) /usr/bin/python3 examples/demo.py
import json
import sys
import threading
import time

import gi

gi.require_version('PrefectCtx', '1.0')
from gi.repository import GLib, PrefectCtx  # noqa: E402

runtime = PrefectCtx.runtime


def log(message):
    """A log line of the current run, through Prefect's get_run_logger():
    the library stores it as a log of the run."""
    PrefectCtx.get_run_logger().info(message)


def narrate(what):
    """What the calling body sees: which run (prefect.runtime), which thread,
    which tags and custom context."""
    if runtime.task_run.name is not None:
        who = 'task run %s' % runtime.task_run.name
    else:
        who = 'flow run %s' % runtime.flow_run.name
    thread = 'main' if threading.current_thread() is threading.main_thread() else 'worker'
    tags = '{%s}' % ', '.join(PrefectCtx.TagsContext.get_current().get_current_tags())
    custom = PrefectCtx.get_custom_context()
    custom = '{%s}' % ', '.join('%s=%s' % item for item in sorted(custom.items()))
    print('  %-26s %-6s tags %-24s custom %s\n      %s' % (who, thread, tags, custom, what), flush=True)


# ---- tasks ----------------------------------------------------------------

@PrefectCtx.task
def extract(source, batches):
    narrate('reads %d batches from %s' % (batches, source))
    log('Extracted %d batches from %s' % (batches, source))
    return batches


@PrefectCtx.task
def transform(batch):
    rows = (batch + 1) * 100
    time.sleep((3 - min(batch, 2)) * 0.05)  # later batches are quicker: workers finish out of order
    narrate('transforms batch %d: %d rows' % (batch, rows))
    log('Batch %d: %d rows transformed' % (batch, rows))
    return rows


publish_attempts = 0


@PrefectCtx.task(retries=1, retry_delay_seconds=0.2)
def publish(rows):
    global publish_attempts
    publish_attempts += 1
    if publish_attempts == 1:
        narrate('attempt %d: the warehouse is busy, fails (retried)' % publish_attempts)
        log('Warehouse busy on attempt %d' % publish_attempts)
        raise RuntimeError('Warehouse busy (try again)')
    narrate('attempt %d: publishes %d rows' % (publish_attempts, rows))
    log('Published %d rows on attempt %d' % (rows, publish_attempts))
    return rows


@PrefectCtx.task
def summarize(rows):
    narrate('summarizes in a subflow whose parent flow run is %s' % runtime.flow_run.parent_flow_run_id)
    summary = '%d rows published' % rows
    log('Summary: %s' % summary)
    return summary


# ---- flows ----------------------------------------------------------------

runs = {}


@PrefectCtx.flow
def report(rows):
    runs['subflow'] = runtime.flow_run.id
    narrate('the subflow starts')
    return summarize(rows)


@PrefectCtx.flow(name='etl-demo', tags=['demo'], description='The libprefectctx demo')
def etl_demo(source, batches):
    runs['flow'] = runtime.flow_run.id
    narrate('starts with parameters %s' % json.dumps(runtime.flow_run.parameters, sort_keys=True))
    log('Starting the demo ETL')

    with PrefectCtx.tags('etl'):
        n = extract(source, batches)
        with PrefectCtx.tags('nightly'):
            futures = [transform.submit(batch) for batch in range(n)]
    rows = sum(future.result() for future in futures)

    with PrefectCtx.custom_context(stage='publish'):
        publish(rows)

    summary = report(rows)
    log('Demo finished: %s' % summary)
    return rows


# ---- what the store recorded ----------------------------------------------

def when(dt):
    return '-' if dt is None else dt.to_utc().format('%Y-%m-%d %H:%M:%S.%f')[:-3]


def duration(start, end):
    return '-' if start is None or end is None else '%.3fs' % (end.difference(start) / 1e6)


LEVELS = {10: 'DEBUG', 20: 'INFO', 30: 'WARNING', 40: 'ERROR', 50: 'CRITICAL'}


def print_flow_run(client, flow_run_id):
    """Prints a flow run through a PrefectCtx.FlowRunView: an immutable view
    of the run at one moment, which reads its task runs and logs."""
    view = PrefectCtx.FlowRunView.new_from_id(client, flow_run_id, False, None)
    run = view.get_flow_run()
    flow = view.get_flow_metadata(False, None)
    parameters = json.dumps(view.get_parameters().unpack(), sort_keys=True)
    print("Flow run '%s' of flow '%s': %s" % (view.get_name(), flow.get_name(), view.get_state().get_name()))
    print('  id %s, tags %s, parameters %s, duration %s' % (
        view.get_flow_run_id(), ', '.join(view.get_tags()), parameters,
        duration(run.get_start_time(), run.get_end_time())))
    print('  states: %s' % ' -> '.join(s.get_name() for s in view.get_states()))

    names = {}
    print('  task runs:')
    for task_run_view in view.get_all_task_runs(None):
        task_run = task_run_view.get_task_run()
        names[task_run.get_id()] = task_run.get_name()
        history = client.read_task_run_states(task_run.get_id(), None)
        print('    %-14s %-10s runs %d  %8s  tags %-20s %s' % (
            task_run.get_name(), task_run_view.get_state().get_name(), task_run.get_run_count(),
            duration(task_run.get_start_time(), task_run.get_end_time()),
            ', '.join(task_run.get_tags()), ' -> '.join(s.get_name() for s in history)))

    print('  logs:')
    # every log so far (by default a view's logs end at its last update)
    for entry in view.get_logs(None, GLib.DateTime.new_now_utc(), None):
        source = names.get(entry.get_task_run_id())
        source = "Task run '%s'" % source if source else "Flow run '%s'" % view.get_name()
        print('    %s | %-7s | %s - %s' % (when(entry.get_timestamp()),
                                           LEVELS.get(entry.get_level(), entry.get_level()),
                                           source, entry.get_message()))


def main():
    client = PrefectCtx.Client.get_default()
    print('Each run body prints what it sees through PrefectCtx.runtime and the current contexts:')
    result = etl_demo.with_options(custom_context={'team': 'data', 'request_id': 'req-42'},
                                   max_workers=3)('orders.csv', 3)
    print('\nThe flow run returned %r.\n\nWhat the run store recorded:\n' % (result,))
    print_flow_run(client, runs['flow'])
    print()
    print_flow_run(client, runs['subflow'])
    return 0 if result == 600 else 1


if __name__ == '__main__':
    sys.exit(main())
