"""The ``utf8`` library (lutf8lib.c). Lua strings are byte strings: ``str`` whose
characters are bytes 0-255, decoded here by hand (Python's codec refuses the 5- and
6-byte forms and surrogates that Lua's lax mode accepts)."""
from __future__ import annotations

from ..errors import ArgError
from ..lauxlib import arg, check_integer, check_string, opt_integer, to_boolean
from ..number import tointeger
from ..objects import Builtin
from ..table import LuaTable

MAXUNICODE = 0x10FFFF
MAXUTF = 0x7FFFFFFF
MSG_INVALID = "invalid UTF-8 code"
CHARPATTERN = "[\x00-\x7F\xC2-\xFD][\x80-\xBF]*"
INT_MAX = 0x7FFFFFFF
LUAI_MAXSTACK = 1000000
_MASK64 = 0xFFFFFFFFFFFFFFFF

# smallest code point for each sequence length, to reject overlong forms
_LIMITS = (~0 & 0xFFFFFFFF, 0x80, 0x800, 0x10000, 0x200000, 0x4000000)


def _iscont(s: str, i: int) -> bool:
    """Whether byte ``i`` of ``s`` is a continuation byte (past the end is Lua's '\\0')."""
    return i < len(s) and ord(s[i]) & 0xC0 == 0x80


def posrelat(pos: int, length: int) -> int:
    """``u_posrelat``: a negative position counts back from the end."""
    if pos >= 0:
        return pos
    if -pos > length:
        return 0
    return length + pos + 1


def utf8esc(x: int) -> str:
    """``luaO_utf8esc``: Lua's extended UTF-8 encoding of x (up to 2^31), as bytes.
    The lexer's ``\\u{...}`` escapes use it too."""
    if x < 0x80:
        return chr(x)
    out = []
    mfb = 0x3F
    while True:
        out.append(0x80 | (x & 0x3F))
        x >>= 6
        mfb >>= 1
        if x <= mfb:
            break
    out.append(((~mfb << 1) | x) & 0xFF)
    return "".join(map(chr, reversed(out)))


def decode(s: str, i: int, strict: bool) -> tuple | None:
    """``utf8_decode`` at byte ``i``: (code point, index after it), or None."""
    n = len(s)
    c = ord(s[i]) if i < n else 0
    if c < 0x80:
        res = c
        count = 0
    else:
        res = 0
        count = 0
        while c & 0x40:   # while it needs continuation bytes...
            count += 1
            cc = ord(s[i + count]) if i + count < n else 0
            if cc & 0xC0 != 0x80:
                return None
            res = (res << 6) | (cc & 0x3F)
            c <<= 1
        res |= (c & 0x7F) << (count * 5)   # add the first byte's bits
        if count > 5 or res > MAXUTF or res < _LIMITS[count]:
            return None
    if strict and (res > MAXUNICODE or 0xD800 <= res <= 0xDFFF):
        return None
    return res, i + count + 1


# ------------------------------------------------------------------ functions

def utf8_len(L, *args):
    s = check_string(args, 1)
    n = len(s)
    posi = posrelat(opt_integer(args, 2, 1), n)
    posj = posrelat(opt_integer(args, 3, -1), n)
    strict = not to_boolean(arg(args, 4))
    if not (1 <= posi and posi - 1 <= n):
        raise ArgError(2, "initial position out of bounds")
    posi -= 1
    posj -= 1
    if not posj < n:
        raise ArgError(3, "final position out of bounds")
    count = 0
    while posi <= posj:
        d = decode(s, posi, strict)
        if d is None:
            return (None, posi + 1)
        posi = d[1]
        count += 1
    return (count,)


def utf8_codepoint(L, *args):
    s = check_string(args, 1)
    n = len(s)
    posi = posrelat(opt_integer(args, 2, 1), n)
    pose = posrelat(opt_integer(args, 3, posi), n)
    strict = not to_boolean(arg(args, 4))
    if not posi >= 1:
        raise ArgError(2, "out of bounds")
    if not pose <= n:
        raise ArgError(3, "out of bounds")
    if posi > pose:
        return ()
    if pose - posi >= INT_MAX:
        raise L.error("string slice too long")
    if pose - posi + 1 >= LUAI_MAXSTACK:
        raise L.error("stack overflow (string slice too long)")
    codes = []
    i = posi - 1
    while i < pose:
        d = decode(s, i, strict)
        if d is None:
            raise L.error(MSG_INVALID)
        codes.append(d[0])
        i = d[1]
    return tuple(codes)


def _char_arg(args: tuple, n: int) -> str:
    code = check_integer(args, n) & _MASK64
    if code > MAXUTF:
        raise ArgError(n, "value out of range")
    return utf8esc(code)


def utf8_char(L, *args):
    return ("".join([_char_arg(args, n) for n in range(1, len(args) + 1)]),)


def utf8_offset(L, *args):
    s = check_string(args, 1)
    length = len(s)
    n = check_integer(args, 2)
    posi = posrelat(opt_integer(args, 3, 1 if n >= 0 else length + 1), length)
    if not (1 <= posi and posi - 1 <= length):
        raise ArgError(3, "position out of bounds")
    posi -= 1
    if n == 0:
        while posi > 0 and _iscont(s, posi):   # find the start of the current character
            posi -= 1
        return (posi + 1,)
    if _iscont(s, posi):
        raise L.error("initial position is a continuation byte")
    if n < 0:
        while n < 0 and posi > 0:   # move back
            posi -= 1
            while posi > 0 and _iscont(s, posi):
                posi -= 1
            n += 1
    else:
        n -= 1   # do not move for the first character
        while n > 0 and posi < length:
            posi += 1
            while _iscont(s, posi):
                posi += 1
            n -= 1
    return (posi + 1,) if n == 0 else (None,)


def _iterator(strict: bool):
    def iter_aux(L, *args):
        s = check_string(args, 1)
        length = len(s)
        i = (tointeger(arg(args, 2)) or 0) & _MASK64   # lua_tointeger: 0 if not a number
        if i < length:
            while _iscont(s, i):   # skip the rest of the current character
                i += 1
        if i >= length:
            return ()
        d = decode(s, i, strict)
        if d is None or _iscont(s, d[1]):
            raise L.error(MSG_INVALID)
        return (i + 1, d[0])
    return iter_aux


_ITER_STRICT = Builtin(_iterator(True), "for iterator")
_ITER_LAX = Builtin(_iterator(False), "for iterator")


def utf8_codes(L, *args):
    lax = to_boolean(arg(args, 2))
    s = check_string(args, 1)
    if _iscont(s, 0):
        raise ArgError(1, MSG_INVALID)
    return (_ITER_LAX if lax else _ITER_STRICT, s, 0)


def open(L) -> LuaTable:
    lib = LuaTable()
    for name, fn in (("offset", utf8_offset), ("codepoint", utf8_codepoint), ("char", utf8_char),
                     ("len", utf8_len), ("codes", utf8_codes)):
        lib.set_str(name, Builtin(fn, "utf8." + name))
    lib.set_str("charpattern", CHARPATTERN)
    return lib
