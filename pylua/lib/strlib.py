"""The ``string`` library (lstrlib.c): the library table, the simple functions and
the string metatable.  Pattern matching lives in ``lpattern``, ``string.format``
in ``strformat`` and ``pack``/``unpack`` in ``strpack``: modules imported when one
of their functions is first called, as most scripts call none of them (start-up
saves ~1 ms, and ~0.7 MB when they are compiled)."""
from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Any

from ..debuginfo import TM_NAMES
from ..errors import ArgError
from ..lauxlib import arg, check_integer, check_string, opt_integer, opt_string, type_name
from ..limits import reserve
from ..number import tonumber
from ..objects import Builtin
from ..table import LuaTable
from ..vm import TM_TO_OP, arith_raw

MAXSIZE = 0x7FFFFFFF      # INT_MAX: lstrlib's limit for the size of built strings
LUAI_MAXSTACK = 1000000   # results beyond the Lua stack limit cannot be returned

_LOWER = {c: c + 32 for c in range(65, 91)}
_UPPER = {c + 32: c for c in range(65, 91)}


def posrelat_start(pos: int, ln: int) -> int:
    """``posrelatI``: a start position, negatives from the end, clipped to [1, inf)."""
    if pos > 0:
        return pos
    if pos == 0 or pos < -ln:
        return 1
    return ln + pos + 1


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


# Python's lower()/upper() equal C's tolower/toupper in the C locale on ASCII text
# (and are much faster than translate); other bytes must stay as they are.

def str_lower(L: Any, *args: Any) -> tuple:
    s = check_string(args, 1)
    return (s.lower() if s.isascii() else s.translate(_LOWER),)


def str_upper(L: Any, *args: Any) -> tuple:
    s = check_string(args, 1)
    return (s.upper() if s.isascii() else s.translate(_UPPER),)


def str_rep(L: Any, *args: Any) -> tuple:
    s = check_string(args, 1)
    n = check_integer(args, 2)
    sep = opt_string(args, 3, "")
    if n <= 0:
        return ("",)
    if len(s) + len(sep) > MAXSIZE // n:
        raise L.error("resulting string too large")
    reserve(L, (len(s) + len(sep)) * n - len(sep))     # before: it may not fit
    return ((s + sep) * (n - 1) + s,)


def str_byte(L: Any, *args: Any) -> tuple:
    return _byte(L, args)


def _byte(L: Any, args: tuple) -> tuple:
    s = check_string(args, 1)
    ln = len(s)
    pi = opt_integer(args, 2, 1)
    posi = posrelat_start(pi, ln)
    pose = getendpos(args, 3, pi, ln)
    if posi == pose:        # the usual call: one byte
        return (ord(s[posi - 1]),)
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
    op = TM_TO_OP[TM_NAMES.index(event)]

    def metamethod(L: Any, *args: Any) -> tuple:
        a, b = arg(args, 1), arg(args, 2)
        x, y = tonumber(a), tonumber(b)
        if x is not None and y is not None:     # lua_arith on two numbers
            return (arith_raw(op, x, y),)
        # trymt: the second operand's own metamethod, unless it is a string too
        mm = None if type(b) is str else L.getmetafield(b, event)
        if mm is None:
            raise L.error("attempt to %s a '%s' with a '%s'"
                          % (event[2:], type_name(a), type_name(b)))
        res = L.call(mm, a, b)
        return (res[0] if res else None,)
    return metamethod


ARITH_EVENTS = ("__add", "__sub", "__mul", "__mod", "__pow", "__div", "__idiv", "__unm")

# name -> function, or (module, function name) for one imported at its first call
FUNCTIONS = {
    "byte": str_byte, "char": str_char, "find": ("lpattern", "str_find"),
    "format": ("strformat", "str_format"), "gmatch": ("lpattern", "str_gmatch"),
    "gsub": ("lpattern", "str_gsub"), "len": str_len, "lower": str_lower,
    "match": ("lpattern", "str_match"), "rep": str_rep, "reverse": str_reverse,
    "sub": str_sub, "upper": str_upper, "pack": ("strpack", "str_pack"),
    "packsize": ("strpack", "str_packsize"), "unpack": ("strpack", "str_unpack"),
}


def _first_call(f: Builtin, module: str, name: str) -> Any:
    """``f``'s function until its first call, which imports the module of the real
    one and puts it in ``f`` (the same Builtin: names and identity do not change)."""
    def load(L: Any, *args: Any) -> Any:
        f.fn = getattr(import_module(f"{__name__.rpartition('.')[0]}.{module}"), name)
        return f.fn(L, *args)
    return load


def open(L: Any) -> LuaTable:
    """``luaopen_string``: the library table; also sets ``L.string_meta``."""
    lib = LuaTable()
    for name, fn in FUNCTIONS.items():
        f = Builtin(fn, "string." + name)
        if type(fn) is tuple:
            f.fn = _first_call(f, *fn)
        lib.set_str(name, f)
    meta = LuaTable()
    for event in ARITH_EVENTS:
        meta.set_str(event, Builtin(_arith(event), event))
    meta.set_str("__index", lib)
    L.string_meta = meta
    return lib
