"""The debug library (ldblib.c over ldebug.c's ``lua_getinfo``/``lua_getlocal``)."""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Any, Optional

from .. import vm
from ..debuginfo import getlocalname
from ..errors import ArgError, chunkid
from ..frame import Frame, LuaThread
from ..state import call_name
from ..lauxlib import arg, check_any, check_integer, check_string, opt_integer, opt_string, type_error
from .. import hooks
from ..opcodes import OP_CALL, OP_TAILCALL
from ..objects import Builtin, LuaFunction, Special, Userdata, is_function
from ..table import LuaTable


def _thread_arg(L, args) -> tuple:
    """(thread, index of the first remaining argument) as ldblib ``getthread``."""
    if args and type(args[0]) is LuaThread:
        return args[0], 1
    return L.current, 0


def _frame_at(L, th: LuaThread, level: int) -> Optional[Frame]:
    """The frame ``level`` levels up; level 0 is the running host function (no frame)
    when ``th`` is the running thread."""
    if th is L.current:
        level -= 1
    if level < 0:
        return None
    levels = L.stack_levels(th)
    return levels[level] if level < len(levels) else None


def _levels(L, th: LuaThread) -> int:
    return len(L.stack_levels(th)) + (1 if th is L.current else 0)


def _func_info(L, t: LuaTable, f: Any, what: str) -> None:
    p = f.proto if type(f) is LuaFunction else None
    if "S" in what:
        if p is None:
            t.set_str("source", "=[C]")
            t.set_str("short_src", "[C]")
            t.set_str("linedefined", -1)
            t.set_str("lastlinedefined", -1)
            t.set_str("what", "C")
        else:
            t.set_str("source", p.source)
            t.set_str("short_src", chunkid(p.source))
            t.set_str("linedefined", p.linedefined)
            t.set_str("lastlinedefined", p.lastlinedefined)
            t.set_str("what", "main" if p.linedefined == 0 else "Lua")
    if "u" in what:
        t.set_str("nups", len(f.upvals) if f is not None else 0)    # None: host's entry
        t.set_str("nparams", p.numparams if p is not None else 0)
        t.set_str("isvararg", p.is_vararg if p is not None else True)
    if "L" in what and p is not None:
        lines = LuaTable()
        start = 1 if p.is_vararg else 0
        for line in p.lineinfo[start:]:
            if line > 0:
                lines.set_int(line, True)
        t.set_str("activelines", lines)
    if "f" in what:
        t.set_str("func", f)


def db_getinfo(L, *args):
    th, i = _thread_arg(L, args)
    target = arg(args, i + 1)
    what = opt_string(args, i + 2, "flnSrtu")
    if what.startswith(">"):
        raise ArgError(i + 2, "invalid option '>'")
    if any(c not in "SlnrutfL" for c in what):
        raise ArgError(i + 2, "invalid option")
    t = LuaTable()
    fr = caller = None
    if is_function(target):
        f = target
    elif type(target) in (int, float):
        level = check_integer(args, i + 1)
        if level < 0 or level >= _levels(L, th):
            return (None,)
        if th is L.current and level == 0:
            f = L.globals.get_str("debug").get_str("getinfo")
        else:
            fr = _frame_at(L, th, level)
            f = fr.func
            caller = _frame_at(L, th, level + 1)
    else:
        raise ArgError(i + 1, "function or level expected")
    _func_info(L, t, f, what)
    if "l" in what:
        t.set_str("currentline", vm.current_line(fr) if fr is not None else -1)
    if "t" in what:
        t.set_str("istailcall", bool(fr is not None and fr.tailcall))
    if "n" in what:
        kind, name = call_name(fr, caller) if fr is not None else (None, None)
        if kind:
            t.set_str("name", name)
            t.set_str("namewhat", kind)
        else:
            t.set_str("namewhat", "")
    if "r" in what:
        hooked, (first, count) = th.transfer
        if fr is None or fr is not hooked:
            first = count = 0
        t.set_str("ftransfer", first)
        t.set_str("ntransfer", count)
    return (t,)


def _local_name(fr: Frame, n: int) -> Optional[str]:
    """``luaG_findlocal``: name of local ``n`` in frame ``fr`` (negative: varargs)."""
    if fr.proto is None:        # a host function's arguments and results, in a hook
        return "(C temporary)" if 1 <= n <= len(fr.regs) else None
    if n < 0:
        return "(vararg)" if -n <= len(fr.varargs) else None
    name = getlocalname(fr.proto, n, fr.pc - 1 if fr.pc > 0 else 0)
    if name is not None:
        return name
    # Temporaries are live up to the function being called (C Lua's ci->next->func);
    # results being returned may extend the registers past maxstacksize.
    limit = max(fr.proto.maxstacksize, len(fr.regs))
    if fr.pc > 0:
        ins = fr.code[fr.pc - 1]
        op, a = ins.op, ins.a
        if op == OP_CALL or op == OP_TAILCALL:
            limit = a
    return "(temporary)" if 0 < n <= limit else None


def db_getlocal(L, *args):
    th, i = _thread_arg(L, args)
    n = check_integer(args, i + 2)
    target = arg(args, i + 1)
    if is_function(target):
        if type(target) is not LuaFunction:
            return (None,)
        return (getlocalname(target.proto, n, 0),)
    level = check_integer(args, i + 1)
    if level < 0 or level >= _levels(L, th):
        raise ArgError(i + 1, "level out of range")
    fr = _frame_at(L, th, level)
    if fr is None:              # getlocal itself: its arguments are C temporaries
        return ("(C temporary)", args[n - 1]) if 1 <= n <= len(args) else (None,)
    name = _local_name(fr, n)
    if name is None:
        return (None,)
    value = fr.varargs[-n - 1] if n < 0 else fr.regs[n - 1]
    return (name, value)


def db_setlocal(L, *args):
    th, i = _thread_arg(L, args)
    level = check_integer(args, i + 1)
    n = check_integer(args, i + 2)
    value = check_any(args, i + 3)
    if level < 0 or level >= _levels(L, th):
        raise ArgError(i + 1, "level out of range")
    fr = _frame_at(L, th, level)
    name = _local_name(fr, n) if fr is not None else None
    if name is not None:
        if n < 0:
            va = list(fr.varargs)
            va[-n - 1] = value
            fr.varargs = tuple(va)
        else:
            fr.regs[n - 1] = value
    return (name,)


def _upvalue(args, n_index: int = 2):
    """(function, index, upvalue name or None): C closures' upvalues are unnamed."""
    f = arg(args, 1)
    if not is_function(f):
        raise type_error(1, "function", args)
    n = check_integer(args, n_index)
    if not 1 <= n <= len(f.upvals):
        return f, n, None
    if type(f) is not LuaFunction:
        return f, n, ""
    name = f.proto.upvalues[n - 1].name
    return f, n, ("(no name)" if name is None else name)      # stripped: lapi.c aux_upvalue


def db_getupvalue(L, *args):
    f, n, name = _upvalue(args)
    if name is None:
        return ()
    return (name, f.upvals[n - 1].get())


def db_setupvalue(L, *args):
    check_any(args, 3)
    f, n, name = _upvalue(args)
    if name is None:
        return ()
    f.upvals[n - 1].set(args[2])
    return (name,)


def _checkupval(args, fidx: int, nidx: int):
    f = arg(args, fidx)
    if type(f) is not LuaFunction:
        raise type_error(fidx, "function", args)
    n = check_integer(args, nidx)
    if not 1 <= n <= len(f.upvals):
        raise ArgError(nidx, "invalid upvalue index")
    return f, n - 1


def db_upvalueid(L, *args):
    f = arg(args, 1)
    if not is_function(f):
        raise type_error(1, "function", args)
    n = check_integer(args, 2)
    if not 1 <= n <= len(f.upvals):
        return (None,)
    # The upvalue object itself serves as the light userdata that identifies it.
    return (f.upvals[n - 1],)


def db_upvaluejoin(L, *args):
    f1, n1 = _checkupval(args, 1, 2)
    f2, n2 = _checkupval(args, 3, 4)
    f1.upvals[n1] = f2.upvals[n2]
    return ()


def db_traceback(L, *args):
    th, i = _thread_arg(L, args)
    msg = arg(args, i + 1)
    if msg is not None and type(msg) not in (str, int, float):
        return (msg,)
    level = opt_integer(args, i + 2, 1 if th is L.current else 0)
    text = L.tostring(msg) if msg is not None else None
    if th is not L.current:
        return (L.traceback(th, text, max(level + 1, 1)),)
    if level <= 0:      # level 0 is this very function
        me = L.registry.get_str("_LOADED").get_str("debug").get_str("traceback")
        return (L.traceback(th, text, 1, cfunc=me),)
    return (L.traceback(th, text, level),)


def db_getmetatable(L, *args):
    return (L.getmetatable(check_any(args, 1)),)


def db_setmetatable(L, *args):
    v = arg(args, 1)
    mt = arg(args, 2)
    if mt is not None and type(mt) is not LuaTable:
        raise type_error(2, "nil or table", args)
    if type(v) is LuaTable or type(v) is Userdata:
        v.meta = mt
        L.gc.set_metatable(v, mt)
    elif type(v) is str:
        L.string_meta = mt
    else:
        L.type_metas[vm._BASIC_TYPES[type(v)]] = mt
    return (v,)


def db_getregistry(L, *args):
    return (L.registry,)


def db_getuservalue(L, *args):
    u = arg(args, 1)
    n = opt_integer(args, 2, 1)
    if type(u) is not Userdata:
        return (None,)
    vals = u.uservalues or []
    if not 1 <= n <= len(vals):     # lua_getiuservalue gives LUA_TNONE
        return (None,)
    return (vals[n - 1], True)


def db_setuservalue(L, *args):
    u = arg(args, 1)
    if type(u) is not Userdata:
        raise type_error(1, "userdata", args)
    check_any(args, 2)
    n = opt_integer(args, 3, 1)
    vals = u.uservalues or []
    if not 1 <= n <= len(vals):
        return (None,)
    vals[n - 1] = args[1]
    return (u,)


HOOKKEY = "_HOOKKEY"


def db_sethook(L, *args):
    th, i = _thread_arg(L, args)
    fn = arg(args, i + 1)
    if fn is None:
        mask = count = 0
    else:
        smask = check_string(args, i + 2)
        if not is_function(fn):
            raise type_error(i + 1, "function", args)
        count = opt_integer(args, i + 3, 0)
        mask = hooks.make_mask(smask, count)
    L.registry.get_str(HOOKKEY).set(th, fn)     # where ldblib keeps hooks
    hooks.set_hook(th, fn, mask, count)
    return ()


def db_gethook(L, *args):
    th, _ = _thread_arg(L, args)
    if th.hook is None:
        return (None,)
    return (th.hook, hooks.mask_string(th.hookmask), th.basehookcount)


_FUNCS = {
    "getinfo": db_getinfo, "getlocal": db_getlocal, "setlocal": db_setlocal,
    "getupvalue": db_getupvalue, "setupvalue": db_setupvalue, "upvalueid": db_upvalueid,
    "upvaluejoin": db_upvaluejoin, "traceback": db_traceback,
    "getmetatable": db_getmetatable, "setmetatable": db_setmetatable,
    "getregistry": db_getregistry, "getuservalue": db_getuservalue,
    "setuservalue": db_setuservalue, "gethook": db_gethook,
}


def open(L) -> LuaTable:
    t = LuaTable()
    for name, fn in _FUNCS.items():
        t.set_str(name, Builtin(fn, "debug." + name))
    hooktable = LuaTable()
    hooktable.meta = LuaTable()
    hooktable.meta.set_str("__mode", "k")
    L.registry.set_str(HOOKKEY, hooktable)
    # The VM reloads its hook state after calling this one.
    t.set_str("sethook", Special(db_sethook, "debug.sethook", "reload"))
    return t
