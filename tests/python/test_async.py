# test_async.py: async def flows and tasks on asyncio; the current state per
# asyncio task (contexts across awaits, tags in concurrent coroutines);
# exceptions and cancellation; with_context.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import asyncio

import gi
gi.require_version('PrefectCtx', '1.0')
from gi.repository import GLib, PrefectCtx  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def client():
    return PrefectCtx.LocalClient.new(':memory:')


def states(client, run_id):
    return [s.get_name() for s in client.read_flow_run_states(run_id, None)]


def test_gather_of_100_tasks_sees_its_own_run_across_awaits(client):
    @PrefectCtx.task
    async def work(i):
        ctx = PrefectCtx.TaskRunContext.current()
        before = (ctx.props.task_run.get_id(), PrefectCtx.runtime.task_run.id)
        await asyncio.sleep(0.001 * (i % 5))
        after = (PrefectCtx.TaskRunContext.current().props.task_run.get_id(),
                 PrefectCtx.runtime.task_run.id)
        assert before == after
        assert PrefectCtx.FlowRunContext.current() is not None
        return i

    @PrefectCtx.flow
    async def many():
        results = await asyncio.gather(*[work(i) for i in range(100)])
        return sum(results), PrefectCtx.runtime.flow_run.id

    total, flow_run_id = asyncio.run(many.with_options(client=client)())
    assert total == sum(range(100))
    runs = list(client.read_task_runs(flow_run_id, 0, 0, None))
    assert len(runs) == 100
    assert sorted(r.get_name() for r in runs) == sorted('work-%d' % i for i in range(100))
    assert all(r.get_state().get_name() == 'Completed' for r in runs)
    assert states(client, flow_run_id) == ['Pending', 'Running', 'Completed']


def test_tags_in_concurrent_coroutines_do_not_leak():
    seen = {}

    async def worker(name, delay):
        with PrefectCtx.tags(name) as current:
            await asyncio.sleep(delay)
            with PrefectCtx.tags(name + '-inner'):
                await asyncio.sleep(delay)
                seen[name] = set(PrefectCtx.TagsContext.get_current().get_current_tags())
            assert current == {'outer', name}

    async def main():
        with PrefectCtx.tags('outer'):
            await asyncio.gather(worker('a', 0.01), worker('b', 0.002))
        return set(PrefectCtx.TagsContext.get_current().get_current_tags())

    assert asyncio.run(main()) == set()
    assert seen == {'a': {'outer', 'a', 'a-inner'}, 'b': {'outer', 'b', 'b-inner'}}


def test_exceptions_reach_the_caller_as_themselves(client):
    class Boom(Exception):
        pass

    @PrefectCtx.flow(retries=1)
    async def failing():
        await asyncio.sleep(0)
        raise Boom('async boom')

    with pytest.raises(Boom, match='async boom'):
        asyncio.run(failing.with_options(client=client)())
    run = list(client.read_flow_runs(-1, 0, 0, None))[0]
    assert run.get_state().get_name() == 'Failed'
    assert run.get_state().get_message() == 'Flow run encountered an exception. Boom: async boom'
    assert states(client, run.get_id()) == ['Pending', 'Running', 'AwaitingRetry', 'Retrying', 'Failed']


def test_cancellation_records_cancelled(client):
    @PrefectCtx.flow
    async def slow():
        await asyncio.sleep(10)

    async def main():
        task = asyncio.ensure_future(slow.with_options(client=client)())
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    run = list(client.read_flow_runs(-1, 0, 0, None))[0]
    assert run.get_state().get_state_type() == PrefectCtx.StateType.CANCELLED
    assert states(client, run.get_id()) == ['Pending', 'Running', 'Cancelled']


def test_async_task_in_a_sync_flow_runs(client):
    @PrefectCtx.task
    async def double(n):
        await asyncio.sleep(0)
        return 2 * n

    @PrefectCtx.flow
    def sync_flow():
        return double(21)

    assert sync_flow.with_options(client=client)() == 42


def test_async_results_are_the_objects_themselves(client):
    marker = object()

    @PrefectCtx.task
    async def pair():
        return (marker, 1)

    @PrefectCtx.flow
    async def returns_object():
        got = await pair()
        assert isinstance(got, tuple) and got[0] is marker
        return marker

    assert asyncio.run(returns_object.with_options(client=client)()) is marker
    run = list(client.read_flow_runs(-1, 0, 0, None))[0]
    assert run.get_state().get_name() == 'Completed'


def test_with_context_binds_a_callback():
    results = []

    async def main():
        loop = asyncio.get_running_loop()
        with PrefectCtx.tags('bound'):
            callback = PrefectCtx.with_context(
                lambda: results.append(set(PrefectCtx.TagsContext.get_current().get_current_tags())))
        loop.call_soon(callback)
        await asyncio.sleep(0.01)
        results.append(set(PrefectCtx.TagsContext.get_current().get_current_tags()))

    asyncio.run(main())
    assert results == [{'bound'}, set()]


def test_out_of_order_exit_across_tasks_is_refused():
    async def main():
        outer = PrefectCtx.tags('x')
        outer.__enter__()
        with pytest.raises(GLib.Error) as info:
            PrefectCtx.tags('y').__exit__(None, None, None)
        assert info.value.matches(PrefectCtx.error_quark(), PrefectCtx.Error.OUT_OF_ORDER)
        outer.__exit__(None, None, None)

    asyncio.run(main())


def test_async_return_state(client):
    @PrefectCtx.task
    async def fails():
        raise ValueError('async broke')

    @PrefectCtx.flow
    async def flow():
        state = await fails(return_state=True)
        assert state.is_failed()
        return isinstance(state.result(raise_on_failure=False), ValueError)

    state = asyncio.run(flow.with_options(client=client)(return_state=True))
    assert state.is_completed() and state.result() is True
