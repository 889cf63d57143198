"""Lua under asyncio: async host functions park the Lua thread that calls them.

A host function whose result is awaitable (an ``async def``, say) parks the calling
Lua thread (vm.py, "parking"): the call stays on the thread's stack as a frame and
``vm.Park`` carries the awaitable out of the VM loop to here. The scheduler awaits
it, on the running asyncio event loop, and resumes the thread with its results (or
raises its exception in Lua, where ``pcall`` can catch it). Meanwhile other Lua
tasks run.

A *call* (``LuaCall``) is one call of Lua from host code that the scheduler drives:
``run``/``run_async`` make one, and so does every ``task.spawn`` (``Task``: a call on
a thread of its own). A busy call gives the event loop a turn every
``SLICE_SECONDS`` (``vm.time_slice``), so one CPU-bound script cannot starve the
others or a stream.

``run`` is the synchronous entry point (the ``pylua`` command, ``LuaRuntime.execute``):
it runs with no event loop at all until Lua code first waits; only then does it
import asyncio and start a loop for the rest of the call, so scripts that never
wait pay nothing for any of this. That loop normally ends with the call; while
resources live in it (``hold_loop``: an MCP server's connection) it is kept for the
next synchronous call of the state, so a REPL line or an ``execute`` may use what an
earlier one opened. A kept loop closes, its resources first, once nothing holds it
at the end of a call, when a call is interrupted (Ctrl-C, ``os.exit``), or when
the program exits.
"""
from __future__ import annotations

import sys
from time import perf_counter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional

from . import vm
from .errors import LuaError
from .frame import DEAD, RUNNING, LuaThread

SLICE_SECONDS = 0.002   # how long a busy Lua call runs before other work gets a turn
CANCELLED = "task cancelled"


class Scheduler:
    """The driven calls of one LuaState (``L.scheduler``, made when first needed)."""

    def __init__(self, L) -> None:
        self.L = L
        self.calls: set = set()     # LuaCalls started and not finished
        self.tasks: set = set()     # spawned Tasks not finished
        self.failed: list = []      # Tasks that ended with an error
        self.driving = 0            # LuaCalls inside an event loop: slices matter
        self.slice_start = perf_counter()
        self.runner: Any = None     # asyncio.Runner of synchronous calls (kept: see hold_loop)
        self.held: set = set()      # resources that keep the runner's loop (hold_loop)

    def slice_over(self) -> bool:
        """Called by the VM every ``vm.TIME_SLICE`` jumps and calls."""
        return self.driving > 0 and perf_counter() - self.slice_start >= SLICE_SECONDS

    def threads(self) -> list:
        """Threads of waiting calls: roots for the collector (gc.py)."""
        found = []
        for call in self.calls:
            found.append(call.thread)
            if call.park is not None:
                found.append(call.park.thread)
        return found


def scheduler_of(L) -> Scheduler:
    if L.scheduler is None:
        L.scheduler = Scheduler(L)
    return L.scheduler


def running_thread(L) -> LuaThread:
    """A new Lua thread for a call of its own (not a coroutine: it has no resumer)."""
    th = LuaThread(L, None)
    th.status = RUNNING
    return th


class LuaCall:
    """A call of ``f(*args)`` from host code, run on ``thread`` (above its frame
    ``depth``) by the scheduler, so that it may wait."""

    def __init__(self, L, thread: LuaThread, f: Any, args: tuple, traceback: bool) -> None:
        self.L = L
        self.thread = thread
        self.depth = len(thread.frames)
        self.park: Optional[vm.Park] = None     # what it waits for, while it waits
        self.traceback = traceback
        self.previous = L.current
        self.saved = (thread.nny, thread.is_task)
        thread.nny, thread.is_task = 0, True    # a base the call may wait above
        if traceback:
            L.tracebacks_wanted += 1
        L.current = thread
        self.sched = scheduler_of(L)
        if L.limits is not None and not self.sched.calls:
            L.limits.arm()          # the host's call: a fresh budget and deadline
        self.sched.calls.add(self)
        self.first = vm.start_call(L, thread, f, args)

    def start(self) -> list:
        """Run until the call returns; raises ``vm.Park`` when it first waits."""
        self.sched.slice_start = perf_counter()
        return vm.run_from(self.L, self.first, None)

    async def complete(self) -> list:
        """Run the call to its end on the running event loop."""
        try:
            return self.start()
        except vm.Park as p:
            return await self.drive(p)

    async def drive(self, p: vm.Park) -> list:
        """Carry the parked call to its end: await, resume, and so on."""
        import asyncio
        L, sched = self.L, self.sched
        sched.driving += 1
        try:
            while True:
                self.park = p
                try:
                    if L.limits is None:
                        values, err = await _outcome(p)
                    else:       # cut at the deadline
                        values, err = await L.limits.bounded(_outcome(p))
                except asyncio.CancelledError:
                    self.park = None
                    vm.abandon(L, p.thread, self.depth, CANCELLED)
                    raise
                self.park = None
                sched.slice_start = perf_counter()
                try:
                    return vm.resume_parked(L, p, values, err)
                except vm.Park as again:
                    p = again
        finally:
            sched.driving -= 1

    def failed(self, e: LuaError) -> LuaError:
        """``e`` ended the call: give it its traceback, as ``LuaState.pcall`` does."""
        if self.traceback and e.traceback is None:
            e.traceback = self.L.traceback(self.L.current, None, 1, e.cfunc)
        return e

    def close(self) -> None:
        """Take the call's frames off its thread and give back what it changed."""
        L, th = self.L, self.thread
        del th.frames[self.depth:]
        th.nny, th.is_task = self.saved
        if self.traceback:
            L.tracebacks_wanted -= 1
        L.current = self.previous
        self.sched.calls.discard(self)
        if L.limits is not None and not self.sched.calls:
            L.limits.disarm()       # raises a limit error that was swallowed


async def _outcome(p: vm.Park) -> tuple:
    """(results, None) or (None, exception) of what ``p`` waits for."""
    if p.awaitable is None:         # only a turn for the event loop
        import asyncio
        await asyncio.sleep(0)
        return None, None
    try:
        res = await p.awaitable
    except Exception as ex:         # raised in Lua by vm.resume_parked
        return None, ex
    if res is None:
        return (), None
    if type(res) is tuple or type(res) is list:
        return res, None
    return (res,), None


def run(L, f: Any, args: tuple = (), traceback: bool = False) -> list:
    """Call ``f(*args)`` from synchronous host code and return its results, raising
    ``LuaError``. If the Lua code waits on an async function, an event loop runs
    until the call and every task it spawned have finished."""
    _refuse_inside_loop()
    call = LuaCall(L, L.current, f, args, traceback)
    try:
        try:
            return call.start()
        except vm.Park as p:
            return run_loop(L, _main(L, call, p))
    except LuaError as e:
        raise call.failed(e)
    finally:
        call.close()


def run_protected(L, f: Any, args: tuple = (), traceback: bool = False) -> tuple:
    """``run`` in protected mode, as ``LuaState.pcall``: ``(True, results)`` or
    ``(False, LuaError)``."""
    try:
        return True, run(L, f, args, traceback)
    except LuaError as e:
        return False, e


def _refuse_inside_loop() -> None:
    asyncio = sys.modules.get("asyncio")
    if asyncio is not None and asyncio._get_running_loop() is not None:
        raise RuntimeError("the synchronous Lua API was called while an asyncio event loop "
                           "is running in this thread: use the async API instead (await "
                           "LuaRuntime.execute_async(...), scheduler.run_async)")


def run_loop(L, main: Any) -> Any:
    """``asyncio.run(main)`` (asyncio imported only now: the first wait of a
    synchronous call), on the loop the state's last call kept if it did."""
    import asyncio
    sched = scheduler_of(L)
    if sched.runner is None:
        sched.runner = asyncio.Runner()
    finished = False
    try:
        res = sched.runner.run(main)
        finished = True
        return res
    except LuaError:
        finished = True
        raise
    finally:
        if finished and sched.held:
            keep_loop(sched)
        else:
            close_loop(sched)


_kept: set = set()      # schedulers whose loop is kept between calls


def keep_loop(sched: Scheduler) -> None:
    import atexit
    atexit.unregister(close_kept_loops)     # registered once, however often loops are kept
    atexit.register(close_kept_loops)
    _kept.add(sched)


def hold_loop(L, resource: Any) -> None:
    """``resource`` (with ``async aclose()``) lives in the running event loop: if that
    is the loop of the state's synchronous calls, the loop is kept for the next call
    until ``release_loop``, and its closing awaits ``resource.aclose()`` first."""
    import asyncio
    sched = scheduler_of(L)
    if sched.runner is not None and sched.runner.get_loop() is asyncio.get_running_loop():
        sched.held.add(resource)


def release_loop(L, resource: Any) -> None:
    scheduler_of(L).held.discard(resource)


def close_loop(sched: Scheduler) -> None:
    """Close the loop of synchronous calls, and first the resources held in it."""
    runner, sched.runner = sched.runner, None
    _kept.discard(sched)
    if runner is None:
        return
    try:
        if sched.held:
            runner.run(_release_all(sched))
    finally:
        sched.held.clear()
        runner.close()


async def _release_all(sched: Scheduler) -> None:
    import asyncio
    await asyncio.gather(*(r.aclose() for r in list(sched.held)), return_exceptions=True)


def close_kept_loops() -> None:
    """Close every kept loop (at exit: ``atexit``)."""
    for sched in list(_kept):
        close_loop(sched)


async def _main(L, call: LuaCall, p: vm.Park) -> list:
    res = await call.drive(p)
    await wait_tasks(L)
    return res


async def run_async(L, f: Any, args: tuple = (), traceback: bool = False) -> list:
    """Call ``f(*args)`` as a Lua call of the running event loop; other tasks and
    Lua calls run while it waits."""
    th = L.current
    if any(c.thread is th for c in scheduler_of(L).calls):
        th = running_thread(L)      # a call of its own beside the waiting one
    call = LuaCall(L, th, f, args, traceback)
    try:
        return await call.complete()
    except LuaError as e:
        raise call.failed(e)
    finally:
        call.close()


# ---------------------------------------------------------------- tasks

class Task:
    """A Lua thread of its own started by ``task.spawn``, driven by an asyncio task.
    Its error, if nobody joins it, is reported when the script ends."""

    def __init__(self, L, f: Any, args: tuple) -> None:
        import asyncio
        self.L = L
        self.status = "running"             # then "done", "error" or "cancelled"
        self.results: list = []
        self.error: Optional[LuaError] = None
        self.observed = False               # someone asked for its outcome
        self.thread = running_thread(L)
        self.sched = scheduler_of(L)
        self.sched.tasks.add(self)
        self.future = asyncio.ensure_future(self._main(f, args))

    async def _main(self, f: Any, args: tuple) -> None:
        import asyncio
        call = LuaCall(self.L, self.thread, f, args, False)
        call.previous = self.L.main
        try:
            self.results = await call.complete()
            self.status = "done"
        except LuaError as e:
            self.status, self.error = "error", e
            self.sched.failed.append(self)
        except asyncio.CancelledError:
            self.status = "cancelled"
            raise
        finally:
            call.close()
            self.thread.status = DEAD
            self.sched.tasks.discard(self)

    async def join(self) -> list:
        """Its results once it has finished; its error raised again."""
        import asyncio
        self.observed = True
        if not self.future.done():
            try:
                await asyncio.shield(self.future)   # our waiter's cancellation is ours
            except asyncio.CancelledError:
                if not self.future.cancelled():
                    raise
        if self.status == "cancelled":
            raise LuaError(CANCELLED)
        if self.error is not None:
            raise LuaError(self.error.value)
        return self.results

    def cancel(self) -> bool:
        """Cancel it where it waits (its to-be-closed variables are closed); False if
        it had already finished."""
        if self.future.done():
            return False
        self.future.cancel()
        return True


async def wait_tasks(L) -> None:
    """Wait until no spawned task is left, then report the errors nobody joined."""
    import asyncio
    sched = scheduler_of(L)
    while sched.tasks:
        await asyncio.wait([t.future for t in sched.tasks])
    for t in sched.failed:
        if not t.observed:
            msg = L.tostring(t.error.value) if t.error.value is not None else "nil"
            L.stdout.flush()
            L.stderr.write(f"pylua: error in a task nobody joined: {msg}\n".encode("latin-1", "replace"))
    sched.failed.clear()
