"""``string.pack``, ``string.packsize`` and ``string.unpack`` (lstrlib.c), for the
x86-64 ABI lua5.4 is built for: little endian, int 4 bytes, short 2, long and
size_t and lua_Integer 8, native maximum alignment 8."""
from __future__ import annotations

import struct

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Any

from ..errors import ArgError
from ..lauxlib import check_integer, check_number, check_string, opt_integer
from ..number import wrap
from .strlib import posrelat_start

MAXINTSIZE = 16
SZINT = 8
NATIVE_MAXALIGN = 8
MAXSIZE = 0x7FFFFFFF
MAX_RESULTS = 999990  # beyond this the results would overflow the Lua stack
_MASK64 = 0xFFFFFFFFFFFFFFFF

# option kinds
KINT, KUINT, KFLOAT, KNUMBER, KDOUBLE, KCHAR, KSTRING, KZSTR, KPADDING, KPADDALIGN, KNOP = range(11)

_FIXED = {  # option letter -> (kind, size)
    "b": (KINT, 1), "B": (KUINT, 1), "h": (KINT, 2), "H": (KUINT, 2),
    "l": (KINT, 8), "L": (KUINT, 8), "j": (KINT, 8), "J": (KUINT, 8),
    "T": (KUINT, 8), "f": (KFLOAT, 4), "n": (KNUMBER, 8), "d": (KDOUBLE, 8),
}


class Header:
    """The state of a format string being read: position, endianness, alignment."""

    __slots__ = ("L", "fmt", "i", "little", "maxalign")

    def __init__(self, L: Any, fmt: str) -> None:
        self.L = L
        nul = fmt.find("\0")  # the format is a C string
        self.fmt = (fmt if nul < 0 else fmt[:nul]) + "\0"
        self.i = 0
        self.little = True
        self.maxalign = 1

    def more(self) -> bool:
        return self.fmt[self.i] != "\0"

    def getnum(self, default: int) -> int:
        fmt = self.fmt
        if not "0" <= fmt[self.i] <= "9":
            return default
        a = 0
        while True:
            a = a * 10 + ord(fmt[self.i]) - 48
            self.i += 1
            if not ("0" <= fmt[self.i] <= "9" and a <= (MAXSIZE - 9) // 10):
                return a

    def getnumlimit(self, default: int) -> int:
        sz = self.getnum(default)
        if sz > MAXINTSIZE or sz <= 0:
            raise self.L.error("integral size (%d) out of limits [1,%d]" % (sz, MAXINTSIZE))
        return sz

    def getoption(self) -> tuple:
        """Read one option: (kind, size)."""
        opt = self.fmt[self.i]
        self.i += 1
        fixed = _FIXED.get(opt)
        if fixed is not None:
            return fixed
        if opt == "i":
            return KINT, self.getnumlimit(4)
        if opt == "I":
            return KUINT, self.getnumlimit(4)
        if opt == "s":
            return KSTRING, self.getnumlimit(8)
        if opt == "c":
            size = self.getnum(-1)
            if size == -1:
                raise self.L.error("missing size for format option 'c'")
            return KCHAR, size
        if opt == "z":
            return KZSTR, 0
        if opt == "x":
            return KPADDING, 1
        if opt == "X":
            return KPADDALIGN, 0
        if opt == " ":
            pass
        elif opt == "<" or opt == "=":
            self.little = True
        elif opt == ">":
            self.little = False
        elif opt == "!":
            self.maxalign = self.getnumlimit(NATIVE_MAXALIGN)
        else:
            raise self.L.error("invalid format option '%s'" % opt)
        return KNOP, 0

    def getdetails(self, totalsize: int) -> tuple:
        """Read one option with its alignment: (kind, size, padding needed)."""
        kind, size = self.getoption()
        align = size
        if kind == KPADDALIGN:
            if not self.more():
                raise ArgError(1, "invalid next option for option 'X'")
            nkind, align = self.getoption()
            if nkind == KCHAR or align == 0:
                raise ArgError(1, "invalid next option for option 'X'")
        if align <= 1 or kind == KCHAR:
            return kind, size, 0
        if align > self.maxalign:
            align = self.maxalign
        if align & (align - 1):
            raise ArgError(1, "format asks for alignment not power of 2")
        return kind, size, (align - (totalsize & (align - 1))) & (align - 1)


def packint(n: int, little: bool, size: int, negative: bool) -> str:
    """``packint``: the low ``size`` bytes of ``n``, sign-extended past 8 bytes."""
    n &= _MASK64
    if size > SZINT and negative:
        n |= ((1 << (8 * size)) - 1) ^ _MASK64
    else:
        n &= (1 << (8 * size)) - 1
    return n.to_bytes(size, "little" if little else "big").decode("latin-1")


def _pack_float(x: float, code: str, little: bool) -> str:
    fmt = ("<" if little else ">") + code
    try:
        data = struct.pack(fmt, x)
    except OverflowError:  # a C cast to float overflows to infinity
        data = struct.pack(fmt, x * float("inf"))
    return data.decode("latin-1")


def str_pack(L: Any, *args: Any) -> tuple:
    h = Header(L, check_string(args, 1))
    args += (None,)  # C pushes a nil mark after the arguments: a missing one is "nil"
    out: list = []
    arg = 1
    totalsize = 0
    while h.more():
        kind, size, ntoalign = h.getdetails(totalsize)
        totalsize += ntoalign + size
        out.append("\0" * ntoalign)
        arg += 1
        if kind == KINT:
            n = check_integer(args, arg)
            if size < SZINT:
                lim = 1 << (size * 8 - 1)
                if not -lim <= n < lim:
                    raise ArgError(arg, "integer overflow")
            out.append(packint(n, h.little, size, n < 0))
        elif kind == KUINT:
            n = check_integer(args, arg)
            if size < SZINT and (n & _MASK64) >= 1 << (size * 8):
                raise ArgError(arg, "unsigned overflow")
            out.append(packint(n, h.little, size, False))
        elif kind == KFLOAT:
            out.append(_pack_float(float(check_number(args, arg)), "f", h.little))
        elif kind == KNUMBER or kind == KDOUBLE:
            out.append(_pack_float(float(check_number(args, arg)), "d", h.little))
        elif kind == KCHAR:
            s = check_string(args, arg)
            if len(s) > size:
                raise ArgError(arg, "string longer than given size")
            out.append(s + "\0" * (size - len(s)))
        elif kind == KSTRING:
            s = check_string(args, arg)
            if size < SZINT and len(s) >= 1 << (size * 8):
                raise ArgError(arg, "string length does not fit in given size")
            out.append(packint(len(s), h.little, size, False))
            out.append(s)
            totalsize += len(s)
        elif kind == KZSTR:
            s = check_string(args, arg)
            if "\0" in s:
                raise ArgError(arg, "string contains zeros")
            out.append(s + "\0")
            totalsize += len(s) + 1
        else:
            if kind == KPADDING:
                out.append("\0")
            arg -= 1
    return ("".join(out),)


def str_packsize(L: Any, *args: Any) -> tuple:
    h = Header(L, check_string(args, 1))
    totalsize = 0
    while h.more():
        kind, size, ntoalign = h.getdetails(totalsize)
        if kind == KSTRING or kind == KZSTR:
            raise ArgError(1, "variable-length format")
        size += ntoalign
        if totalsize > MAXSIZE - size:
            raise ArgError(1, "format result too large")
        totalsize += size
    return (totalsize,)


def unpackint(L: Any, data: str, pos: int, little: bool, size: int, signed: bool) -> int:
    raw = data[pos:pos + size].encode("latin-1")
    if not little:
        raw = raw[::-1]
    limit = min(size, SZINT)
    res = int.from_bytes(raw[:limit], "little")
    if size < SZINT:
        if signed:
            mask = 1 << (size * 8 - 1)
            res = (res ^ mask) - mask
        return res
    res = wrap(res)
    if size > SZINT:
        fill = 0xFF if signed and res < 0 else 0
        if any(b != fill for b in raw[limit:]):
            raise L.error("%d-byte integer does not fit into Lua Integer" % size)
    return res


def _unpack_float(data: str, pos: int, code: str, size: int, little: bool) -> float:
    return struct.unpack(("<" if little else ">") + code,
                         data[pos:pos + size].encode("latin-1"))[0]


def str_unpack(L: Any, *args: Any) -> tuple:
    h = Header(L, check_string(args, 1))
    data = check_string(args, 2)
    ld = len(data)
    pos = posrelat_start(opt_integer(args, 3, 1), ld) - 1
    if pos > ld:
        raise ArgError(3, "initial position out of string")
    results: list = []
    while h.more():
        kind, size, ntoalign = h.getdetails(pos)
        if ntoalign + size > ld - pos:
            raise ArgError(2, "data string too short")
        pos += ntoalign
        if len(results) >= MAX_RESULTS:
            raise L.error("stack overflow (too many results)")
        if kind == KINT or kind == KUINT:
            results.append(unpackint(L, data, pos, h.little, size, kind == KINT))
        elif kind == KFLOAT:
            results.append(_unpack_float(data, pos, "f", size, h.little))
        elif kind == KNUMBER or kind == KDOUBLE:
            results.append(_unpack_float(data, pos, "d", size, h.little))
        elif kind == KCHAR:
            results.append(data[pos:pos + size])
        elif kind == KSTRING:
            ln = unpackint(L, data, pos, h.little, size, False) & _MASK64
            if ln > ld - pos - size:
                raise ArgError(2, "data string too short")
            results.append(data[pos + size:pos + size + ln])
            pos += ln
        elif kind == KZSTR:
            end = data.find("\0", pos)
            if end < 0:
                raise ArgError(2, "unfinished string for format 'z'")
            results.append(data[pos:end])
            pos = end + 1
        pos += size
    results.append(pos + 1)
    return tuple(results)
