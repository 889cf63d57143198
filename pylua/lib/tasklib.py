"""The ``task`` library: Lua threads that run concurrently on the event loop.

Named after Luau's ``task`` library. ``task.spawn`` starts a function as a task of
its own; every function here that waits (``wait``, ``join``, ``all``, ``race``,
``timeout``) is an async host function, so the calling thread parks while other
tasks run (scheduler.py). A task handle is a userdata with methods ``join``,
``cancel`` and ``status``.
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from ..errors import ArgError
from ..lauxlib import check_function, check_number, check_table, obj_type_name, opt_number, type_error
from ..objects import Builtin, Userdata, is_function
from ..table import LuaTable

TIMEOUT = "timeout"


def open(L) -> LuaTable:
    meta = LuaTable()
    methods = LuaTable()
    meta.set_str("__index", methods)
    meta.set_str("__name", "task")

    def handle(task: Any) -> Userdata:
        return Userdata(task, meta)

    def check_task(args: tuple, i: int) -> Any:
        v = args[i - 1] if len(args) >= i else None
        if type(v) is Userdata and v.meta is meta:
            return v.value
        raise type_error(i, "task", args)

    def tasks_of(args: tuple) -> list:
        """The tasks of a list argument (functions in it are spawned)."""
        t = check_table(args, 1)
        found = []
        for i in range(1, t.length() + 1):
            v = t.get_int(i)
            if is_function(v):
                found.append(v)
            elif type(v) is Userdata and v.meta is meta:
                found.append(v.value)
            else:
                raise ArgError(1, f"task or function expected at index {i}, got {obj_type_name(v)}")
        return found

    def spawn(L, *args):
        f = check_function(args, 1)
        return _spawn(L, f, args[1:], handle)

    def join(L, *args):
        return check_task(args, 1).join()

    def cancel(L, *args):
        return (check_task(args, 1).cancel(),)

    def status(L, *args):
        return (check_task(args, 1).status,)

    def all_(L, *args):
        return _all(L, tasks_of(args))

    def race(L, *args):
        return _race(L, tasks_of(args))

    def timeout(L, *args):
        seconds = check_number(args, 1)
        f = check_function(args, 2)
        return _timeout(L, seconds, f, args[2:])

    def wait(L, *args):
        return _wait(opt_number(args, 1, 0))

    for name, fn in (("join", join), ("cancel", cancel), ("status", status)):
        methods.set_str(name, Builtin(fn, name))
    lib = LuaTable()
    for name, fn in (("spawn", spawn), ("wait", wait), ("join", join), ("cancel", cancel),
                     ("status", status), ("all", all_), ("race", race), ("timeout", timeout)):
        lib.set_str(name, Builtin(fn, "task." + name))
    return lib


def _start(L, f: Any, args: tuple) -> Any:
    from ..scheduler import Task
    return Task(L, f, args)


def _as_task(L, v: Any) -> Any:
    return v if not is_function(v) else _start(L, v, ())


async def _spawn(L, f: Any, args: tuple, handle) -> tuple:
    import asyncio
    task = _start(L, f, args)
    await asyncio.sleep(0)      # it starts now: it runs until it first waits
    return (handle(task),)


async def _wait(seconds: float) -> tuple:
    import asyncio
    from time import perf_counter
    start = perf_counter()
    await asyncio.sleep(max(seconds, 0))
    return (perf_counter() - start,)


async def _all(L, items: list) -> tuple:
    """The first result of each task, in order, once all have finished; the first
    error in that order is raised again."""
    tasks = [_as_task(L, v) for v in items]
    out = []
    for t in tasks:
        res = await t.join()
        out.append(res[0] if res else None)
    return tuple(out)


async def _race(L, items: list) -> list:
    """The results of the first task to finish; the others are cancelled."""
    import asyncio
    tasks = [_as_task(L, v) for v in items]
    if not tasks:
        return []
    done, _ = await asyncio.wait([t.future for t in tasks], return_when=asyncio.FIRST_COMPLETED)
    winner = next(t for t in tasks if t.future in done)
    for t in tasks:
        if t is not winner:
            t.cancel()
    return await winner.join()


async def _timeout(L, seconds: float, f: Any, args: tuple) -> Any:
    """``f(...)``'s results if it finishes within ``seconds``; else it is cancelled
    and the results are nil, "timeout"."""
    import asyncio
    task = _start(L, f, args)
    done, _ = await asyncio.wait([task.future], timeout=max(seconds, 0))
    if not done:
        task.cancel()
        await asyncio.wait([task.future])       # its __close handlers have run
        task.observed = True
        return (None, TIMEOUT)
    return await task.join()
