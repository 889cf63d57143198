"""The coroutine library (lcorolib.c). ``resume``, ``yield`` and the functions made by
``wrap`` are ``objects.Special``: called from Lua they switch threads inside the VM loop;
their ``fn`` here serves calls from host code."""
from __future__ import annotations

from ..errors import LuaError
from ..limits import LuaLimitError
from ..frame import DEAD, RUNNING, SUSPENDED, LuaThread
from ..lauxlib import arg, check_function, type_error
from ..objects import Builtin, Special
from ..table import LuaTable
from .. import vm


def _check_co(args, n: int = 1) -> LuaThread:
    co = arg(args, n)
    if type(co) is not LuaThread:
        raise type_error(n, "thread", args)
    return co


def co_create(L, *args):
    return (LuaThread(L, check_function(args, 1)),)


def co_resume(L, *args):
    co = _check_co(args)
    return L.resume(co, *args[1:])


def co_yield(L, *args):
    raise LuaError("attempt to yield across a C-call boundary"
                   if L.current is not L.main else "attempt to yield from outside a coroutine")


def co_status(L, *args):
    co = _check_co(args)
    return ("running" if co is L.current else co.status,)


def co_running(L, *args):
    return (L.current, L.current is L.main)


def co_isyieldable(L, *args):
    co = _check_co(args) if args else L.current
    return (co is not L.main and not co.is_task and co.nny == 0,)


def co_close(L, *args):
    """Close a suspended or dead coroutine: its pending to-be-closed variables are
    closed on the coroutine itself, each handler getting the error of the previous."""
    co = _check_co(args)
    status = "running" if co is L.current else co.status
    if status not in (SUSPENDED, DEAD):
        raise LuaError(f"cannot close a {status} coroutine")
    err, failed = (co.error[0], True) if co.error else (None, False)
    prev = L.current
    co.cbase = prev.cbase + prev.nccalls        # lua_closethread: L->nCcalls = from's
    L.current = co
    co.status = RUNNING
    try:
        while co.frames:
            fr = co.frames[-1]
            if fr.proto is not None:
                if fr.open_upvals:
                    vm.close_upvals(fr, 0)
                while fr.tbc:
                    try:
                        err = vm.close_tbc(L, fr, 0, err, failed)
                    except LuaError as e:
                        if type(e) is LuaLimitError:
                            raise
                        err, failed = e.value, True
            vm.pop_frame(co, fr)
    finally:
        L.current = prev
        co.status = DEAD
        co.error = None
    return (False, err) if failed else (True,)


def _wrap_fn(co: LuaThread):
    def wrapped(L, *args):
        res = L.resume(co, *args)
        if res[0]:
            return res[1:]
        v = res[1]
        if co.status == DEAD and co.frames:     # auxwrap: lua_closethread, then raise
            closed = co_close(L, co)
            v = closed[1] if not closed[0] else v
        if type(v) is str:
            v = L.where(1) + v
        raise LuaError(v)
    return wrapped


def co_wrap(L, *args):
    co = LuaThread(L, check_function(args, 1))
    return (Special(_wrap_fn(co), "wrap", "wrap", co),)


def open(L) -> LuaTable:
    t = LuaTable()
    for name, fn in (("create", co_create), ("status", co_status), ("running", co_running),
                     ("isyieldable", co_isyieldable), ("close", co_close), ("wrap", co_wrap)):
        t.set_str(name, Builtin(fn, "coroutine." + name))
    t.set_str("resume", Special(co_resume, "coroutine.resume", "resume"))
    t.set_str("yield", Special(co_yield, "coroutine.yield", "yield"))
    return t
