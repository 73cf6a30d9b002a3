// demo.js: the libprefectctx demo in JavaScript (gjs)
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The same flow as `prefectctx demo` (tool/prefectctx-demo.c) and
// examples/demo.py, written with the gjs override's PrefectCtx.flow and
// PrefectCtx.task:
//
//   flow etl-demo (parameters source, batches; run-level custom context
//                  team=data, request_id=req-42; tag demo)
//   +-- tags("etl")
//   |   +-- extract            a task
//   |   +-- tags("nightly")
//   |       +-- transform x N  tasks that see the caller's tags and custom
//   |                          context
//   +-- customContext(stage=publish)
//   |   +-- publish            fails on its first attempt, retried once
//   +-- report                 a subflow, with its own task summarize
//
// One difference: gjs runs JavaScript on one thread only, so the transform
// tasks are called in turn on the main thread (Task.call), where the C and
// Python demos submit them to worker threads (Task.submit).
//
// Each body prints what it sees through PrefectCtx.runtime and the current
// contexts; log lines written inside the runs become the runs' logs. Then the
// flow run is printed as the run store recorded it.
//
// Run, from a build tree:
//   GI_TYPELIB_PATH=build/libprefectctx LD_LIBRARY_PATH=build/libprefectctx \
//   GJS_PATH=bindings/gjs PREFECT_HOME=$(mktemp -d) gjs -m examples/demo.js
import GLib from 'gi://GLib';
import PrefectCtx from 'gi://PrefectCtx?version=1.0';
import System from 'system';

const runtime = PrefectCtx.runtime;

// A log line of the current run: an INFO record of GLib's structured log,
// which the library's log writer stores as a log of the run.
function log(message) {
    GLib.log_structured('demo', GLib.LogLevelFlags.LEVEL_INFO, {MESSAGE: message});
}

function pad(text, width) {
    return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

// What the calling body sees: which run (prefect.runtime), which tags and
// custom context.
function narrate(what) {
    const who = runtime.task_run.name !== null
        ? `task run ${runtime.task_run.name}` : `flow run ${runtime.flow_run.name}`;
    const tags = `{${PrefectCtx.TagsContext.get_current().get_current_tags().join(', ')}}`;
    const custom = PrefectCtx.getCustomContext();
    const customText = `{${Object.keys(custom).sort().map(k => `${k}=${custom[k]}`).join(', ')}}`;
    print(`  ${pad(who, 26)} ${pad('main', 6)} tags ${pad(tags, 24)} custom ${customText}\n      ${what}`);
}

// ---- tasks ----------------------------------------------------------------

const extract = PrefectCtx.task('extract', ({source, batches}) => {
    narrate(`reads ${batches} batches from ${source}`);
    log(`Extracted ${batches} batches from ${source}`);
    return batches;
});

const transform = PrefectCtx.task('transform', ({batch}) => {
    const rows = (batch + 1) * 100;
    GLib.usleep((3 - Math.min(batch, 2)) * 50 * 1000);
    narrate(`transforms batch ${batch}: ${rows} rows`);
    log(`Batch ${batch}: ${rows} rows transformed`);
    return rows;
});

let publishAttempts = 0;
const publish = PrefectCtx.task({name: 'publish', retries: 1, retry_delay_seconds: 0.2}, ({rows}) => {
    publishAttempts += 1;
    if (publishAttempts === 1) {
        narrate(`attempt ${publishAttempts}: the warehouse is busy, fails (retried)`);
        log(`Warehouse busy on attempt ${publishAttempts}`);
        throw new Error('Warehouse busy (try again)');
    }
    narrate(`attempt ${publishAttempts}: publishes ${rows} rows`);
    log(`Published ${rows} rows on attempt ${publishAttempts}`);
    return rows;
});

const summarize = PrefectCtx.task('summarize', ({rows}) => {
    narrate(`summarizes in a subflow whose parent flow run is ${runtime.flow_run.parent_flow_run_id}`);
    const summary = `${rows} rows published`;
    log(`Summary: ${summary}`);
    return summary;
});

// ---- flows ----------------------------------------------------------------

const runs = {};

const report = PrefectCtx.flow('report', ({rows}) => {
    runs.subflow = runtime.flow_run.id;
    narrate('the subflow starts');
    return summarize({rows});
});

const etlDemo = PrefectCtx.flow({name: 'etl-demo', tags: ['demo'], description: 'The libprefectctx demo'},
    ({source, batches}) => {
        runs.flow = runtime.flow_run.id;
        const parameters = runtime.flow_run.parameters;
        narrate(`starts with parameters ${JSON.stringify(parameters, Object.keys(parameters).sort())}`);
        log('Starting the demo ETL');

        const rowsPerBatch = PrefectCtx.tags('etl').run(() => {
            const n = extract({source, batches});
            return PrefectCtx.tags('nightly').run(() => {
                const out = [];
                for (let batch = 0; batch < n; batch++)
                    out.push(transform({batch}));
                return out;
            });
        });
        const rows = rowsPerBatch.reduce((a, b) => a + b, 0);

        PrefectCtx.customContext({stage: 'publish'}).run(() => publish({rows}));

        const summary = report({rows});
        log(`Demo finished: ${summary}`);
        return rows;
    });

// ---- what the store recorded ----------------------------------------------

function when(dt) {
    if (dt === null)
        return '-';
    const utc = dt.to_utc();
    return `${utc.format('%Y-%m-%d %H:%M:%S')}.${String(Math.floor(utc.get_microsecond() / 1000)).padStart(3, '0')}`;
}

function duration(start, end) {
    return start === null || end === null ? '-' : `${(end.difference(start) / 1e6).toFixed(3)}s`;
}

const LEVELS = {10: 'DEBUG', 20: 'INFO', 30: 'WARNING', 40: 'ERROR', 50: 'CRITICAL'};

function items(model) {
    const out = [];
    for (let i = 0; i < model.get_n_items(); i++)
        out.push(model.get_item(i));
    return out;
}

// Prints a flow run through a PrefectCtx.FlowRunView: an immutable view of
// the run at one moment, which reads its task runs and logs.
function printFlowRun(client, flowRunId) {
    const view = PrefectCtx.FlowRunView.new_from_id(client, flowRunId, false, null);
    const run = view.get_flow_run();
    const flow = view.get_flow_metadata(false, null);
    const parameters = view.get_parameters().recursiveUnpack();
    print(`Flow run '${view.get_name()}' of flow '${flow.get_name()}': ${view.get_state().get_name()}`);
    print(`  id ${view.get_flow_run_id()}, tags ${view.get_tags().join(', ')}, ` +
          `parameters ${JSON.stringify(parameters, Object.keys(parameters).sort())}, ` +
          `duration ${duration(run.get_start_time(), run.get_end_time())}`);
    print(`  states: ${items(view.get_states()).map(s => s.get_name()).join(' -> ')}`);

    const names = {};
    print('  task runs:');
    for (const taskRunView of items(view.get_all_task_runs(null))) {
        const taskRun = taskRunView.get_task_run();
        names[taskRun.get_id()] = taskRun.get_name();
        const history = items(client.read_task_run_states(taskRun.get_id(), null));
        print(`    ${pad(taskRun.get_name(), 14)} ${pad(taskRunView.get_state().get_name(), 10)} ` +
              `runs ${taskRun.get_run_count()}  ${duration(taskRun.get_start_time(), taskRun.get_end_time()).padStart(8)}  ` +
              `tags ${pad(taskRun.get_tags().join(', '), 20)} ${history.map(s => s.get_name()).join(' -> ')}`);
    }

    print('  logs:');
    // every log so far (by default a view's logs end at its last update)
    for (const entry of items(view.get_logs(null, GLib.DateTime.new_now_utc(), null))) {
        const taskRunName = names[entry.get_task_run_id()];
        const source = taskRunName ? `Task run '${taskRunName}'` : `Flow run '${view.get_name()}'`;
        const level = LEVELS[entry.get_level()] ?? `Level ${entry.get_level()}`;
        print(`    ${when(entry.get_timestamp())} | ${pad(level, 7)} | ${source} - ${entry.get_message()}`);
    }
}

function main() {
    PrefectCtx.install_log_writer();
    const client = PrefectCtx.Client.get_default();
    print('Each run body prints what it sees through PrefectCtx.runtime and the current contexts:');
    const result = etlDemo.withOptions({custom_context: {team: 'data', request_id: 'req-42'}})(
        {source: 'orders.csv', batches: 3});
    print(`\nThe flow run returned ${result}.\n\nWhat the run store recorded:\n`);
    printFlowRun(client, runs.flow);
    print('');
    printFlowRun(client, runs.subflow);
    return result === 600 ? 0 : 1;
}

System.exit(main());
