"""The ``string`` library (lstrlib.c): the library table, the simple functions and
the string metatable.  Pattern matching lives in ``lpattern``, ``string.format``
in ``strformat`` and ``pack``/``unpack`` in ``strpack``."""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Any

from ..errors import ArgError
from ..lauxlib import arg, check_integer, check_string, opt_integer, opt_string, type_name
from ..number import tonumber
from ..objects import Builtin
from ..table import LuaTable
from .lpattern import posrelat_start, str_find, str_gmatch, str_gsub, str_match
from .strformat import str_format
from .strpack import str_pack, str_packsize, str_unpack

MAXSIZE = 0x7FFFFFFF      # INT_MAX: lstrlib's limit for the size of built strings
LUAI_MAXSTACK = 1000000   # results beyond the Lua stack limit cannot be returned

_LOWER = {c: c + 32 for c in range(65, 91)}
_UPPER = {c + 32: c for c in range(65, 91)}


def getendpos(args: tuple, n: int, default: int, ln: int) -> int:
    """An optional end position: negatives from the end, clipped to [0, len]."""
    pos = opt_integer(args, n, default)
    if pos > ln:
        return ln
    if pos >= 0:
        return pos
    if pos < -ln:
        return 0
    return ln + pos + 1


def str_len(L: Any, *args: Any) -> tuple:
    return (len(check_string(args, 1)),)


def str_sub(L: Any, *args: Any) -> tuple:
    s = check_string(args, 1)
    ln = len(s)
    start = posrelat_start(check_integer(args, 2), ln)
    end = getendpos(args, 3, -1, ln)
    return (s[start - 1:end] if start <= end else "",)


def str_reverse(L: Any, *args: Any) -> tuple:
    return (check_string(args, 1)[::-1],)


def str_lower(L: Any, *args: Any) -> tuple:
    return (check_string(args, 1).translate(_LOWER),)


def str_upper(L: Any, *args: Any) -> tuple:
    return (check_string(args, 1).translate(_UPPER),)


def str_rep(L: Any, *args: Any) -> tuple:
    s = check_string(args, 1)
    n = check_integer(args, 2)
    sep = opt_string(args, 3, "")
    if n <= 0:
        return ("",)
    if len(s) + len(sep) > MAXSIZE // n:
        raise L.error("resulting string too large")
    result = (s + sep) * (n - 1) + s
    L.gc.allocated(len(result))
    return (result,)


def str_byte(L: Any, *args: Any) -> tuple:
    s = check_string(args, 1)
    ln = len(s)
    pi = opt_integer(args, 2, 1)
    posi = posrelat_start(pi, ln)
    pose = getendpos(args, 3, pi, ln)
    if posi > pose:
        return ()
    if pose - posi >= LUAI_MAXSTACK - 10:
        raise L.error("stack overflow (string slice too long)")
    return tuple(s[posi - 1:pose].encode("latin-1"))


def str_char(L: Any, *args: Any) -> tuple:
    codes = []
    for i in range(1, len(args) + 1):
        c = check_integer(args, i)
        if not 0 <= c <= 255:
            raise ArgError(i, "value out of range")
        codes.append(c)
    return (bytes(codes).decode("latin-1"),)


# ------------------------------------------------------------ string metamethods

def _arith(event: str):
    def metamethod(L: Any, *args: Any) -> tuple:
        a, b = arg(args, 1), arg(args, 2)
        x, y = tonumber(a), tonumber(b)
        if x is not None and y is not None:
            return (L.arith(event, x, y),)
        # trymt: the second operand's own metamethod, unless it is a string too
        mm = None if type(b) is str else L.getmetafield(b, event)
        if mm is None:
            raise L.error("attempt to %s a '%s' with a '%s'"
                          % (event[2:], type_name(a), type_name(b)))
        res = L.call(mm, a, b)
        return (res[0] if res else None,)
    return metamethod


ARITH_EVENTS = ("__add", "__sub", "__mul", "__mod", "__pow", "__div", "__idiv", "__unm")

FUNCTIONS = {
    "byte": str_byte, "char": str_char, "find": str_find, "format": str_format,
    "gmatch": str_gmatch, "gsub": str_gsub, "len": str_len, "lower": str_lower,
    "match": str_match, "rep": str_rep, "reverse": str_reverse, "sub": str_sub,
    "upper": str_upper, "pack": str_pack, "packsize": str_packsize, "unpack": str_unpack,
}


def open(L: Any) -> LuaTable:
    """``luaopen_string``: the library table; also sets ``L.string_meta``."""
    lib = LuaTable()
    for name, fn in FUNCTIONS.items():
        lib.set_str(name, Builtin(fn, "string." + name))
    meta = LuaTable()
    for event in ARITH_EVENTS:
        meta.set_str(event, Builtin(_arith(event), event))
    meta.set_str("__index", lib)
    L.string_meta = meta
    return lib
