"""The os library (loslib.c), on Python's ``time``/``os`` modules, which call the
same C library functions (``localtime``, ``mktime``, ``strftime``) Lua uses, so dates
follow the machine's time zone exactly as lua5.4 does."""
from __future__ import annotations

import os
import time

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Any

from ..errors import ArgError
from ..lauxlib import check_integer, check_option, check_string, check_table, opt_integer, \
    opt_string, to_boolean
from ..number import tointeger
from ..objects import Builtin
from ..table import LuaTable
from .iolib import c_string, execresult, fileresult, flush_all

# LUA_STRFTIMEOPTIONS for C99: one-char options, then "||" and the two-char ones.
STRFTIME_OPTIONS = ("aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%"
                    "||" "EcECExEXEyEY" "OdOeOHOIOmOMOSOuOUOVOwOWOy")
INT_MAX = 2**31 - 1
INT_MIN = -2**31
CYCLE_SECONDS = 146097 * 86400      # 400 Gregorian years
TMPNAM_TEMPLATE = "/tmp/lua_"
TMPNAM_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
TMPNAM_TRIES = 1000
LOCALE_CATEGORIES = ["all", "collate", "ctype", "monetary", "numeric", "time"]


def os_execute(L: Any, *args: Any) -> tuple:
    cmd = opt_string(args, 1, None)
    if cmd is None:
        return (True,)                # there is a shell
    import subprocess       # here, not at start-up: it costs ~4 ms to import
    try:
        return execresult(subprocess.call(c_string(cmd), shell=True))
    except OSError as err:
        return fileresult(err)


def os_remove(L: Any, *args: Any) -> tuple:
    """C's ``remove``: unlink a file, or remove an (empty) directory."""
    filename = check_string(args, 1)
    path = c_string(filename)
    try:
        try:
            os.unlink(path)
        except IsADirectoryError:
            os.rmdir(path)
    except OSError as err:
        return fileresult(err, filename)
    return (True,)


def os_rename(L: Any, *args: Any) -> tuple:
    fromname = check_string(args, 1)
    toname = check_string(args, 2)
    try:
        os.rename(c_string(fromname), c_string(toname))
    except OSError as err:
        return fileresult(err)
    return (True,)


def os_tmpname(L: Any, *args: Any) -> tuple:
    """``mkstemp("/tmp/lua_XXXXXX")``: create a fresh empty file, return its name."""
    import random           # here, not at start-up
    for _ in range(TMPNAM_TRIES):
        name = TMPNAM_TEMPLATE + "".join(random.choices(TMPNAM_CHARS, k=6))
        try:
            fd = os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        except OSError:
            break
        os.close(fd)
        return (name,)
    raise L.error("unable to generate a unique filename")


def os_getenv(L: Any, *args: Any) -> tuple:
    value = os.environb.get(c_string(check_string(args, 1)))
    return (None if value is None else value.decode("latin-1"),)


def os_clock(L: Any, *args: Any) -> tuple:
    return (time.process_time(),)


# ------------------------------------------------------------------ dates

def _setallfields(L: Any, t: Any, stm: time.struct_time) -> None:
    """Store a broken-down time into table t (``setallfields``)."""
    for key, value in (("year", stm.tm_year), ("month", stm.tm_mon), ("day", stm.tm_mday),
                       ("hour", stm.tm_hour), ("min", stm.tm_min), ("sec", stm.tm_sec),
                       ("yday", stm.tm_yday), ("wday", (stm.tm_wday + 1) % 7 + 1)):
        L.setindex(t, key, value)
    if stm.tm_isdst >= 0:
        L.setindex(t, "isdst", stm.tm_isdst > 0)


def _getfield(L: Any, t: Any, key: str, default: int, delta: int) -> int:
    """A field of a date table as a C ``int`` minus delta (``getfield``)."""
    value = L.index(t, key)
    res = tointeger(value)
    if res is None:
        if value is not None:
            raise L.error(f"field '{key}' is not an integer")
        if default < 0:
            raise L.error(f"field '{key}' missing in date table")
        return default
    if not (res - delta <= INT_MAX if res >= 0 else INT_MIN + delta <= res):
        raise L.error(f"field '{key}' is out-of-bound")
    return res - delta


def _getboolfield(L: Any, t: Any, key: str) -> int:
    value = L.index(t, key)
    return -1 if value is None else int(to_boolean(value))


def _checkoption(conv: str) -> str:
    """The conversion specifier at the start of conv (the text after a '%'),
    validated against STRFTIME_OPTIONS exactly as loslib's ``checkoption``."""
    i = 0
    oplen = 1
    while i < len(STRFTIME_OPTIONS) and oplen <= len(conv):
        if STRFTIME_OPTIONS[i] == "|":
            oplen += 1
        elif conv[:oplen] == STRFTIME_OPTIONS[i:i + oplen]:
            return conv[:oplen]
        i += oplen
    rest = conv.split("\0", 1)[0]
    raise ArgError(1, f"invalid conversion specifier '%{rest}'")


def _strftime(fmt: str, stm: time.struct_time) -> str:
    """Expand fmt one conversion at a time, as ``os_date`` does."""
    out = []
    i = 0
    n = len(fmt)
    while i < n:
        c = fmt[i]
        if c != "%":
            out.append(c)
            i += 1
        else:
            spec = _checkoption(fmt[i + 1:])
            out.append(time.strftime("%" + spec, stm))
            i += 1 + len(spec)
    return "".join(out)


def os_date(L: Any, *args: Any) -> tuple:
    fmt = opt_string(args, 1, "%c")
    t = opt_integer(args, 2, None)
    if t is None:
        t = int(time.time())
    utc = fmt.startswith("!")
    if utc:
        fmt = fmt[1:]
    try:
        stm = time.gmtime(t) if utc else time.localtime(t)
    except (OverflowError, OSError, ValueError):
        raise L.error("date result cannot be represented in this installation") from None
    if fmt.split("\0", 1)[0] == "*t":
        result = LuaTable()
        _setallfields(L, result, stm)
        return (result,)
    try:
        return (_strftime(fmt, stm),)
    except OverflowError:             # Python needs tm_year + 1900 to fit in an int
        raise L.error("date result cannot be represented in this installation") from None


def os_time(L: Any, *args: Any) -> tuple:
    if not args or args[0] is None:
        return (int(time.time()),)
    t = check_table(args, 1)
    year = _getfield(L, t, "year", -1, 1900)
    month = _getfield(L, t, "month", -1, 1)
    day = _getfield(L, t, "day", -1, 0)
    hour = _getfield(L, t, "hour", 12, 0)
    minute = _getfield(L, t, "min", 0, 0)
    sec = _getfield(L, t, "sec", 0, 0)
    isdst = _getboolfield(L, t, "isdst")
    # Python wants tm_mon + 1 and tm_year + 1900 in C ints: fold months into years as
    # mktime would, then go back whole 400-year Gregorian cycles
    year, month = year + month // 12, month % 12
    cycles = max(0, -(-(year + 1900 - INT_MAX) // 400))
    try:
        result = int(time.mktime((year + 1900 - 400 * cycles, month + 1, day, hour, minute, sec,
                                  0, 0, isdst))) + cycles * CYCLE_SECONDS
        stm = time.localtime(result)
    except (OverflowError, OSError, ValueError):
        result = -1
    if result == -1:
        raise L.error("time result cannot be represented in this installation")
    _setallfields(L, t, stm)
    return (result,)


def os_difftime(L: Any, *args: Any) -> tuple:
    t1 = check_integer(args, 1)
    t2 = check_integer(args, 2)
    return (float(t1 - t2),)


def os_setlocale(L: Any, *args: Any) -> tuple:
    """pylua only has the C locale: it is what every query answers and the only
    locale that can be set ("" names the environment's, taken to be C too)."""
    locale = opt_string(args, 1, None)
    check_option(args, 2, "all", LOCALE_CATEGORIES)
    return ("C" if locale in (None, "", "C", "POSIX") else None,)


def os_exit(L: Any, *args: Any) -> tuple:
    status_arg = args[0] if args else None
    if type(status_arg) is bool:
        status = 0 if status_arg else 1
    else:
        status = opt_integer(args, 1, 0)
    status = ((status + 2**31) & 0xFFFFFFFF) - 2**31     # C's (int) cast
    if len(args) > 1 and args[1] is not None and args[1] is not False:
        L.close()                     # lua_close: pending finalizers run first
    stdout = getattr(L, "stdout", None)
    if stdout is not None:
        stdout.flush()
    flush_all()                       # exit() flushes every C stream
    raise SystemExit(status)


_OSLIB = {
    "clock": os_clock, "date": os_date, "difftime": os_difftime, "execute": os_execute,
    "exit": os_exit, "getenv": os_getenv, "remove": os_remove, "rename": os_rename,
    "setlocale": os_setlocale, "time": os_time, "tmpname": os_tmpname,
}


def open(L: Any) -> LuaTable:
    """``luaopen_os``."""
    lib = LuaTable()
    for name, fn in _OSLIB.items():
        lib.set_str(name, Builtin(fn, "os." + name))
    return lib
