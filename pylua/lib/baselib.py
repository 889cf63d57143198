"""The base library (lbaselib.c)."""
from __future__ import annotations

import io

from .. import vm
from ..errors import ArgError, LuaError
from ..limits import LuaLimitError, assembling, reserve_join
from ..lauxlib import (arg, check_any, check_integer, check_option, check_string,
                       check_table, opt_integer, opt_string, type_error, type_name)
from ..number import str2number, wrap
from ..objects import Builtin, LuaFunction, Special, is_function
from ..state import _called_function as called_function
from ..table import LuaTable, TableKeyError

_SPACES = " \f\n\r\t\v"


def lua_print(L, *args):
    out = L.stdout
    out.write(("\t".join([L.tostring(v) for v in args]) + "\n").encode("latin-1"))
    if L.stdout_is_tty:     # C's stdout is line buffered on a terminal
        out.flush()
    return ()


def lua_type(L, *args):
    return (type_name(check_any(args, 1)),)


def lua_tostring(L, *args):
    return (L.tostring(check_any(args, 1)),)


def _str2int_base(s: str, base: int):
    """``b_str2int``: an integer numeral in ``base`` (wrapping), or None."""
    s = s.strip(_SPACES)
    neg = s.startswith("-")
    if neg or s.startswith("+"):
        s = s[1:]
    if not s:
        return None
    n = 0
    for ch in s:
        if "0" <= ch <= "9":
            d = ord(ch) - 48
        elif ch.isascii() and ch.isalpha():
            d = ord(ch.upper()) - 55
        else:
            return None
        if d >= base:
            return None
        n = n * base + d
    return wrap(-n if neg else n)


def lua_tonumber(L, *args):
    if arg(args, 2) is None:
        v = arg(args, 1)
        if type(v) is int or type(v) is float:
            return (v,)
        if type(v) is str:
            n = str2number(v)
            if n is not None:
                return (n,)
        check_any(args, 1)
        return (None,)
    base = check_integer(args, 2)
    if type(arg(args, 1)) is not str:
        raise type_error(1, "string", args)
    if not 2 <= base <= 36:
        raise ArgError(2, "base out of range")
    return (_str2int_base(args[0], base),)


def _ipairs_aux(L, *args):
    i = wrap(check_integer(args, 2) + 1)
    t = arg(args, 1)
    if type(t) is LuaTable:
        v = t.get_int(i)
        if v is None and t.meta is not None:
            v = L.index(t, i)
    else:
        v = L.index(t, i)
    return (None,) if v is None else (i, v)


def lua_ipairs(L, *args):
    return (L.ipairs_aux, check_any(args, 1), 0)


def lua_next(L, *args):
    t = check_table(args, 1)
    try:
        entry = t.next(arg(args, 2))
    except KeyError:
        raise LuaError("invalid key to 'next'") from None
    return (None,) if entry is None else entry


def _pairs_target(L, *args):
    v = check_any(args, 1)
    tm = L.getmetafield(v, "__pairs")
    if tm is None:          # a non-table fails later, in 'next'
        return None, (L.next_fn, v, None)
    return tm, (v,)


def lua_pairs(L, *args):
    tm, targs = _pairs_target(L, *args)
    if tm is None:
        return targs
    res = L.call(tm, *targs)[:3]
    return tuple(res) + (None,) * (3 - len(res))


def lua_select(L, *args):
    n = len(args)
    if n and args[0] == "#":
        return (n - 1,)
    i = check_integer(args, 1)
    if i < 0:
        i = n + i
    elif i > n:
        i = n
    if i < 1:
        raise ArgError(1, "index out of range")
    return args[i:]


def lua_rawget(L, *args):
    t = check_table(args, 1)
    return (t.get(check_any(args, 2)),)


def lua_rawset(L, *args):
    t = check_table(args, 1)
    check_any(args, 2)
    check_any(args, 3)
    try:
        t.set(args[1], args[2])
    except TableKeyError as e:
        raise LuaError(str(e)) from None
    return (t,)


def lua_rawequal(L, *args):
    check_any(args, 1)
    check_any(args, 2)
    return (vm.raw_equals(args[0], args[1]),)


def lua_rawlen(L, *args):
    v = arg(args, 1)
    if type(v) is LuaTable:
        return (v.length(),)
    if type(v) is str:
        return (len(v),)
    raise type_error(1, "table or string", args)


def lua_setmetatable(L, *args):
    t = check_table(args, 1)
    mt = arg(args, 2)
    if mt is not None and type(mt) is not LuaTable or len(args) < 2:
        raise type_error(2, "nil or table", args)
    if t.meta is not None and t.meta.get_str("__metatable") is not None:
        raise LuaError("cannot change a protected metatable")
    t.meta = mt
    L.gc.set_metatable(t, mt)
    return (t,)


def lua_getmetatable(L, *args):
    mt = L.getmetatable(check_any(args, 1))
    if mt is None:
        return (None,)
    protected = mt.get_str("__metatable")
    return (protected if protected is not None else mt,)


def lua_assert(L, *args):
    if args and not (args[0] is None or args[0] is False):
        return args
    check_any(args, 1)
    return lua_error(L, args[1] if len(args) > 1 else "assertion failed!")


def lua_error(L, *args):
    v = arg(args, 1)
    level = opt_integer(args, 2, 1)
    level = ((level + 0x80000000) & 0xFFFFFFFF) - 0x80000000    # luaB_error's (int) cast
    if type(v) is str and level > 0:
        v = L.where(level) + v
    raise LuaError(v)


def lua_pcall(L, *args):
    check_any(args, 1)
    ok, res = L.pcall(*args)
    return (True,) + tuple(res) if ok else (False, res.value)


def lua_xpcall(L, *args):
    if not is_function(arg(args, 2)):
        raise type_error(2, "function", args)
    ok, res = L.pcall(args[0], *args[2:])
    return (True,) + tuple(res) if ok else (False, L.call_handler(args[1], res))


def _reader_chunk(L, reader) -> str:
    parts = []
    size = 0
    while True:
        res = L.call(reader)
        piece = res[0] if res else None
        if piece is None or piece == "":
            reserve_join(L, parts)      # before: it may not fit
            return "".join(parts)
        if type(piece) is not str:
            raise LuaError("reader function must return a string")
        parts.append(piece)
        size += len(piece)
        assembling(L, size)


def lua_load(L, *args):
    chunk = arg(args, 1)
    mode = opt_string(args, 3, "bt")
    try:
        if type(chunk) is str:
            name = opt_string(args, 2, chunk)
            text = chunk
        else:
            if not is_function(chunk):
                raise type_error(1, "function", args)
            name = opt_string(args, 2, "=(load)")
            text = _reader_chunk(L, chunk)
        if len(args) >= 4:          # an explicit env, even nil, becomes _ENV
            f = L.load(text, name, mode, args[3])
        else:
            f = L.load(text, name, mode)
    except LuaError as e:
        if type(e) is LuaLimitError:    # from the reader function: not load's to report
            raise
        return (None, _load_message(L, e))
    return (f,)


def _load_message(L, e: LuaError):
    """What ``load`` returns for error ``e``. The parser's "C stack overflow" is a
    runtime error (luaE_checkcstack), so unlike the other syntax errors it goes through
    the message handler of an enclosing xpcall first (lua.c's adds a traceback)."""
    if e.value != "C stack overflow":
        return e.value
    frames = L.current.frames
    handler = vm.message_handler(frames)
    if handler is None:
        return e.value
    e.cfunc = called_function(frames[-1] if frames else None)
    return L.call_handler(handler, e)


def read_source_file(L, filename) -> str:
    """The text of a file as ``luaL_loadfilex`` reads it (a first line starting with
    '#' is blanked), or LuaError "cannot open ..."."""
    try:
        if filename is None:
            data = L.stdin.read()
        else:
            with io.open(filename, "rb") as fh:
                data = fh.read()
    except OSError as e:
        shown = "stdin" if filename is None else filename
        raise LuaError(f"cannot {'read' if isinstance(e, IsADirectoryError) else 'open'} "
                       f"{shown}: {e.strerror}") from None
    text = data.decode("latin-1")
    if text.startswith("\xef\xbb\xbf"):
        text = text[3:]
    if text.startswith("#"):
        nl = text.find("\n")
        text = text[nl + 1:] if nl >= 0 else ""
        if not text.startswith("\x1b"):     # keep line numbers of source text
            text = "\n" + text
    return text


def loadfile(L, filename, mode="bt", env=None, has_env=False) -> LuaFunction:
    text = read_source_file(L, filename)
    name = "=stdin" if filename is None else "@" + filename
    cache = filename is not None
    if has_env:
        return L.load(text, name, mode, env, cache=cache)
    return L.load(text, name, mode, cache=cache)


def lua_loadfile(L, *args):
    fname = opt_string(args, 1, None)
    mode = opt_string(args, 2, "bt")
    try:
        return (loadfile(L, fname, mode, arg(args, 3), len(args) >= 3),)
    except LuaError as e:
        return (None, _load_message(L, e))


def _dofile_target(L, *args):
    return loadfile(L, opt_string(args, 1, None)), ()


def lua_dofile(L, *args):
    f, fargs = _dofile_target(L, *args)
    return tuple(L.call(f, *fargs))


_GC_OPTIONS = ["stop", "restart", "collect", "count", "step", "setpause", "setstepmul",
               "isrunning", "generational", "incremental"]


def lua_collectgarbage(L, *args):
    opt = _GC_OPTIONS[check_option(args, 1, "collect", _GC_OPTIONS)]
    if L.gc.in_finalizer:       # lua_gc refuses everything while finalizers run
        return (None,)
    if opt == "count":
        return (L.gc_count_kb(),)
    if opt == "collect":
        L.gc.full_cycle()
        return (0,)
    if opt == "step":
        L.gc.full_cycle()
        return (True,)
    if opt == "isrunning":
        return (L.gc.running,)
    if opt in ("stop", "restart"):
        L.gc.running = opt == "restart"
        return (0,)
    if opt in ("generational", "incremental"):
        prev, L.gc_mode = L.gc_mode, opt
        return (prev,)
    return (0,)


def lua_warn(L, *args):
    check_string(args, 1)
    for i in range(2, len(args) + 1):
        check_string(args, i)
    msg = "".join(check_string(args, i) for i in range(1, len(args) + 1))
    if len(args) == 1 and msg.startswith("@"):
        if msg == "@on":
            L.warnings_on = True
        elif msg == "@off":
            L.warnings_on = False
        return ()
    L.warn(msg)
    return ()


_FUNCS = {
    "assert": lua_assert, "collectgarbage": lua_collectgarbage,
    "error": lua_error, "getmetatable": lua_getmetatable, "ipairs": lua_ipairs,
    "loadfile": lua_loadfile, "load": lua_load, "next": lua_next,
    "print": lua_print, "warn": lua_warn, "rawequal": lua_rawequal, "rawlen": lua_rawlen,
    "rawget": lua_rawget, "rawset": lua_rawset, "select": lua_select,
    "setmetatable": lua_setmetatable, "tonumber": lua_tonumber, "tostring": lua_tostring,
    "type": lua_type,
}


def open(L) -> LuaTable:
    g = L.globals
    for name, fn in _FUNCS.items():
        g.set_str(name, Builtin(fn, name))
    g.set_str("pcall", Special(lua_pcall, "pcall", "pcall"))
    g.set_str("dofile", Special(lua_dofile, "dofile", "then_call", _dofile_target))
    g.set_str("pairs", Special(lua_pairs, "pairs", "then_call", _pairs_target))
    g.set_str("xpcall", Special(lua_xpcall, "xpcall", "xpcall"))
    g.set_str("_G", g)
    g.set_str("_VERSION", "Lua 5.4")
    L.next_fn = g.get_str("next")
    L.ipairs_aux = Builtin(_ipairs_aux, "ipairs_aux")
    return g
