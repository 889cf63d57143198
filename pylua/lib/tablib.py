"""The ``table`` library (ltablib.c).

Every function reads and writes through ``lua_geti``/``lua_seti`` semantics: a table
with a metatable (or a non-table that has the needed metamethods) goes through
``L.index``/``L.setindex``/``L.length``; a plain table takes raw fast paths on its
array part. ``sort`` is ltablib's quicksort, so a comparator sees the same calls in the
same order as in Lua and "invalid order function" is detected at the same point.
"""
from __future__ import annotations

import operator
import time

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Any, Callable, Optional

from ..errors import ArgError
from ..lauxlib import (arg, check_function, check_integer, opt_integer, opt_string, to_boolean,
                       type_error, type_name)
from ..number import MAXINTEGER, tointeger, tostr, wrap
from ..objects import Builtin
from ..limits import charge, limits_of, reserve
from ..table import LuaTable

TAB_R = 1   # the object must support reading (__index)
TAB_W = 2   # writing (__newindex)
TAB_L = 4   # length (__len)
TAB_RW = TAB_R | TAB_W

_MASK64 = 0xFFFFFFFFFFFFFFFF
INT_MAX = 0x7FFFFFFF
LUAI_MAXSTACK = 1000000
_STACK_IN_USE = 15   # slots a C function call already holds in Lua's stack


# ------------------------------------------------------------------ access helpers

def _plain(t: Any) -> bool:
    return type(t) is LuaTable and t.meta is None


def check_tab(L, args: tuple, n: int, what: int) -> Any:
    """``checktab``: argument ``n`` is a table or has the metamethods ``what`` needs."""
    t = args[n - 1] if n <= len(args) else None
    if type(t) is LuaTable:
        return t
    mt = L.getmetatable(t) if n <= len(args) else None
    if (mt is not None
            and (not what & TAB_R or mt.get_str("__index") is not None)
            and (not what & TAB_W or mt.get_str("__newindex") is not None)
            and (not what & TAB_L or mt.get_str("__len") is not None)):
        return t
    raise type_error(n, "table", args)


def length(L, t: Any) -> int:
    """``luaL_len``: ``#t`` (with ``__len``), which must be an integer."""
    if _plain(t):
        return t.length()
    n = tointeger(L.length(t))
    if n is None:
        raise L.error("object length is not an integer")
    return n


def _getn(L, args: tuple, what: int) -> int:
    """``aux_getn`` for argument 1."""
    return length(L, check_tab(L, args, 1, what | TAB_L))


def accessors(L, t: Any) -> tuple:
    """(get, set) for integer keys of ``t``: raw on a plain table, else with metamethods."""
    if _plain(t):
        return t.get_int, t.set_int
    return (lambda i: L.index(t, i)), (lambda i, v: L.setindex(t, i, v))


# ------------------------------------------------------------------ insert / remove / move

def tinsert(L, *args):
    nargs = len(args)
    t = args[0] if nargs else None
    if nargs == 2 and type(t) is LuaTable and t.meta is None:   # the common case: append
        t.set_int(t.length() + 1, args[1])
        return ()
    e = wrap(_getn(L, args, TAB_RW) + 1)   # first empty element
    if nargs == 2:
        pos, value = e, args[1]
    elif nargs == 3:
        pos, value = check_integer(args, 2), args[2]
        if not (pos - 1) & _MASK64 < e & _MASK64:
            raise ArgError(2, "position out of bounds")
        if _plain(t) and len(t.arr) == e - 1 and pos < e:
            arr = t.arr
            arr.insert(pos - 1, value)
            t.set_int(e, arr.pop())   # re-append the last one: the table may migrate keys
            return ()
        get, set_ = accessors(L, t)
        lim = limits_of(L)
        for i in range(e, pos, -1):   # move up elements
            if lim is not None and not i & 1023:    # charged (a __len may say 2^62)
                lim.charge(1024)
            set_(i, get(i - 1))
    else:
        raise L.error("wrong number of arguments to 'insert'")
    if _plain(t):
        t.set_int(pos, value)
    else:
        L.setindex(t, pos, value)
    return ()


def tremove(L, *args):
    size = _getn(L, args, TAB_RW)
    t = args[0]
    pos = opt_integer(args, 2, size)
    if pos != size and not (pos - 1) & _MASK64 <= size & _MASK64:
        raise ArgError(2, "position out of bounds")
    if _plain(t) and size == len(t.arr) and 1 <= pos < size:
        return (t.arr.pop(pos - 1),)
    get, set_ = accessors(L, t)
    value = get(pos)
    lim = limits_of(L)
    while pos < size:
        if lim is not None and not pos & 1023:    # charged (a __len may say 2^62)
            lim.charge(1024)
        set_(pos, get(pos + 1))
        pos += 1
    set_(pos, None)
    return (value,)


def tmove(L, *args):
    f = check_integer(args, 2)
    e = check_integer(args, 3)
    t = check_integer(args, 4)
    tt = 5 if arg(args, 5) is not None else 1   # destination argument
    src = check_tab(L, args, 1, TAB_R)
    dst = check_tab(L, args, tt, TAB_W)
    if e >= f:
        if not (f > 0 or e < MAXINTEGER + f):
            raise ArgError(3, "too many elements to move")
        n = e - f + 1   # number of elements to move
        if not t <= MAXINTEGER - n + 1:
            raise ArgError(4, "destination wrap around")
        get, _ = accessors(L, src)
        _, set_ = accessors(L, dst)
        if t > e or t <= f or (tt != 1 and not L.equals(src, dst)):
            order = range(n)
        else:   # overlapping move up: copy from the end
            order = range(n - 1, -1, -1)
        lim = limits_of(L)
        for i in order:
            if lim is not None and not i & 1023:    # charged for the work, 1024 at a time
                lim.charge(1024)
            set_(t + i, get(f + i))
    return (dst,)


# ------------------------------------------------------------------ concat / pack / unpack

def _field_string(L, get: Callable, i: int) -> str:
    """``addfield``: t[i] as a string; it must be a string or a number."""
    v = get(i)
    tv = type(v)
    if tv is str:
        return v
    if tv is int or tv is float:
        return tostr(v)
    raise L.error(f"invalid value ({type_name(v)}) at index {i} in table for 'concat'")


def tconcat(L, *args):
    last = _getn(L, args, TAB_R)
    t = args[0]
    sep = opt_string(args, 2, "")
    i = opt_integer(args, 3, 1)
    last = opt_integer(args, 4, last)
    if i > last:
        return ("",)
    if _plain(t) and 1 <= i and last <= len(t.arr):
        parts = t.arr[i - 1:last]
        if all(type(p) is str for p in parts):
            return (_join(L, sep, parts),)
    get, _ = accessors(L, t)
    return (_join(L, sep, [_field_string(L, get, k) for k in range(i, last + 1)]),)


def _join(L, sep: str, parts: list) -> str:
    reserve(L, sum(map(len, parts)) + len(sep) * (len(parts) - 1))   # before: it may not fit
    return sep.join(parts)


def tpack(L, *args):
    t = LuaTable()
    arr = list(args)
    while arr and arr[-1] is None:
        arr.pop()
    t.arr = arr
    t.set_str("n", len(args))
    return (t,)


def tunpack(L, *args):
    t = arg(args, 1)
    i = opt_integer(args, 2, 1)
    e = opt_integer(args, 3, None)
    if e is None:
        e = length(L, t)
    if i > e:
        return ()
    n = (e - i) & _MASK64   # number of elements minus 1
    if n >= INT_MAX or n + 1 > LUAI_MAXSTACK - _STACK_IN_USE:
        raise L.error("too many results to unpack")
    if _plain(t) and 1 <= i and e <= len(t.arr):
        return tuple(t.arr[i - 1:e])
    get, _ = accessors(L, t)
    return tuple(get(k) for k in range(i, e + 1))


# ------------------------------------------------------------------ sort

RANLIMIT = 100   # arrays larger than this may use randomized pivots


def _randomize_pivot() -> int:
    """``l_randomizePivot``: the sum of the 32-bit halves of clock() and time()."""
    c = int(time.process_time() * 1_000_000) & _MASK64
    t = int(time.time()) & _MASK64
    return (c + (c >> 32) + t + (t >> 32)) & 0xFFFFFFFF


class _Sorter:
    """ltablib's quicksort over ``get``/``set`` with the strict order ``lt``; on a
    plain table ``tab`` its array part is read and written in place (C code when
    compiled), as long as the index is inside it (a comparator may resize it)."""

    __slots__ = ("get", "set", "lt", "L", "tab")

    def __init__(self, L, get: Callable, set_: Callable, lt: Callable,
                 tab: Optional[LuaTable] = None) -> None:
        self.L = L
        self.get = get
        self.set = set_
        self.lt = lt
        self.tab = tab

    def _get(self, i: int) -> Any:
        tab = self.tab
        if tab is None:
            return self.get(i)
        arr = tab.arr
        return arr[i - 1] if 0 < i <= len(arr) else tab.get_int(i)

    def _set(self, i: int, v: Any) -> None:
        tab = self.tab
        if tab is None:
            self.set(i, v)
        elif 0 < i <= len(tab.arr) and v is not None:
            tab.arr[i - 1] = v
        else:
            tab.set_int(i, v)

    def _invalid(self):
        return self.L.error("invalid order function for sorting")

    def partition(self, lo: int, up: int, pivot: Any) -> int:
        """Precondition a[lo] <= pivot == a[up - 1] <= a[up]; returns the pivot's
        final index i with a[lo .. i - 1] <= a[i] == pivot <= a[i + 1 .. up]."""
        lt = self.lt
        i = lo
        j = up - 1
        while True:
            i += 1
            ai = self._get(i)
            while lt(ai, pivot):
                if i == up - 1:   # a[i] < P but a[up - 1] == P
                    raise self._invalid()
                i += 1
                ai = self._get(i)
            j -= 1
            aj = self._get(j)
            while lt(pivot, aj):
                if j < i:   # j < i but a[j] > P
                    raise self._invalid()
                j -= 1
                aj = self._get(j)
            if j < i:   # no elements out of place
                self._set(up - 1, ai)
                self._set(i, pivot)
                return i
            self._set(i, aj)
            self._set(j, ai)

    def sort(self, lo: int, up: int, rnd: int) -> None:
        """``auxsort``: recurse on the smaller half, loop on the larger one."""
        lt = self.lt
        while lo < up:
            a, b = self._get(lo), self._get(up)
            if lt(b, a):   # a[up] < a[lo]?
                self._set(lo, b)
                self._set(up, a)
            if up - lo == 1:
                return
            if up - lo < RANLIMIT or rnd == 0:
                p = (lo + up) // 2
            else:   # choosePivot: somewhere in the middle half
                r4 = (up - lo) // 4
                p = rnd % (r4 * 2) + (lo + r4)
            a, b = self._get(p), self._get(lo)
            if lt(a, b):   # a[p] < a[lo]?
                self._set(p, b)
                self._set(lo, a)
            else:
                b = self._get(up)
                if lt(b, a):   # a[up] < a[p]?
                    self._set(p, b)
                    self._set(up, a)
            if up - lo == 2:
                return
            charge(self.L, up - lo)     # the partition's work
            pivot = self._get(p)
            self._set(p, self._get(up - 1))
            self._set(up - 1, pivot)
            p = self.partition(lo, up, pivot)
            if p - lo < up - p:
                self.sort(lo, p - 1, rnd)
                n = p - lo
                lo = p + 1
            else:
                self.sort(p + 1, up, rnd)
                n = up - p
                up = p - 1
            if up > lo and (up - lo) // 128 > n:   # partition too imbalanced?
                rnd = _randomize_pivot()


def _sort_numbers_or_strings(L, t: LuaTable, n: int) -> bool:
    """Sort the array part without a comparator when no metamethod can run; returns
    False when the elements need the general path."""
    arr = t.arr
    if n != len(arr):
        return False
    charge(L, n)
    kinds = {type(v) for v in arr}
    if kinds == {int} or kinds == {str}:
        arr.sort()   # equal elements are indistinguishable: any sort gives Lua's result
        return True
    if not kinds <= {int, float}:
        return False
    a = [None] + arr   # 1-based working copy; floats may tie with ints or be NaN
    try:
        _Sorter(L, a.__getitem__, a.__setitem__, operator.lt).sort(1, n, 0)
    finally:
        arr[:] = a[1:]
    return True


def tsort(L, *args):
    n = _getn(L, args, TAB_RW)
    if n > 1:
        if n >= INT_MAX:
            raise ArgError(1, "array too big")
        cmp = arg(args, 2)
        if cmp is not None:
            check_function(args, 2)
        t = args[0]
        if cmp is None and _plain(t) and _sort_numbers_or_strings(L, t, n):
            return ()
        get, set_ = accessors(L, t)
        if cmp is None:
            lt = L.lessthan
        else:
            call = L.call

            def lt(a: Any, b: Any) -> bool:
                r = call(cmp, a, b)
                return bool(r) and to_boolean(r[0])
        _Sorter(L, get, set_, lt, t if _plain(t) else None).sort(1, n, 0)
    return ()


def open(L) -> LuaTable:
    lib = LuaTable()
    for name, fn in (("concat", tconcat), ("insert", tinsert), ("pack", tpack),
                     ("unpack", tunpack), ("remove", tremove), ("move", tmove),
                     ("sort", tsort)):
        lib.set_str(name, Builtin(fn, "table." + name))
    return lib
