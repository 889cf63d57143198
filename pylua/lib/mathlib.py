"""The ``math`` library (lmathlib.c), including its xoshiro256** generator."""
from __future__ import annotations

import math
import time

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Callable

from ..errors import ArgError
from ..lauxlib import check_any, check_integer, check_number, opt_integer, opt_number
from ..number import (MAXINTEGER, MININTEGER, NEG_NAN, div_float, fmod, pow_float, tointeger,
                      wrap)
from ..objects import Builtin
from ..table import LuaTable

_MASK64 = 0xFFFFFFFFFFFFFFFF


def _libm(fn: Callable[[float], float], domain_nan: float) -> Callable[[float], float]:
    """``fn`` with C's results where Python's math differs: a NaN argument is returned
    as it is (Python drops its sign), ``domain_nan`` for a domain error (its sign is
    what the reference build prints), infinity on overflow."""
    def c_fn(x: float) -> float:
        if x != x:
            return x
        try:
            return fn(x)
        except ValueError:
            return domain_nan
        except OverflowError:
            return math.inf
    return c_fn


def _log_family(fn: Callable[[float], float]) -> Callable[[float], float]:
    """log, log2, log10: -inf at zero, NaN below it."""
    c_fn = _libm(fn, math.nan)
    return lambda x: -math.inf if x == 0 else c_fn(x)


_sin = _libm(math.sin, NEG_NAN)
_cos = _libm(math.cos, NEG_NAN)
_tan = _libm(math.tan, NEG_NAN)
_asin = _libm(math.asin, math.nan)
_acos = _libm(math.acos, math.nan)
_sqrt = _libm(math.sqrt, NEG_NAN)
_exp = _libm(math.exp, NEG_NAN)
_log = _log_family(math.log)
_log2 = _log_family(math.log2)
_log10 = _log_family(math.log10)


# LUA_COMPAT_MATHLIB: kept by Lua 5.4's standard build (src/Makefile defines
# LUA_COMPAT_5_3), which is the `lua` people run.
_cosh = _libm(math.cosh, NEG_NAN)
_tanh = _libm(math.tanh, NEG_NAN)


def _sinh(x: float) -> float:
    try:
        return math.sinh(x)
    except OverflowError:
        return math.copysign(math.inf, x)


def math_pow(L, *args):
    return (pow_float(_float_arg(args, 1), _float_arg(args, 2)),)


def math_frexp(L, *args):
    m, e = math.frexp(_float_arg(args, 1))
    return (m, e)


def math_ldexp(L, *args):
    x = _float_arg(args, 1)
    ep = (check_integer(args, 2) + 2**31) % 2**32 - 2**31     # C's (int) cast
    try:
        return (math.ldexp(x, ep),)
    except OverflowError:
        return (math.copysign(math.inf, x),)


def _c_round(fn: Callable[[float], int], x: float):
    """C's floor/ceil of ``x`` as ``pushnumint`` leaves it: an integer when it fits."""
    if x != x or x in (math.inf, -math.inf):
        return x
    r = fn(x)
    return r if MININTEGER <= r <= MAXINTEGER else float(r)


def _float_arg(args: tuple, n: int) -> float:
    v = args[n - 1] if n <= len(args) else None
    return v if type(v) is float else float(check_number(args, n))


# ------------------------------------------------------------------ functions

def math_abs(L, *args):
    v = args[0] if args else None
    if type(v) is int:
        return (wrap(-v) if v < 0 else v,)
    return (abs(_float_arg(args, 1)),)


def _unary(fn: Callable[[float], float]) -> Callable:
    def lua_fn(L, *args):
        return (fn(_float_arg(args, 1)),)
    return lua_fn


def math_atan(L, *args):
    y = _float_arg(args, 1)
    x = float(opt_number(args, 2, 1.0))
    if x != x or y != y:
        return (x if x != x else y,)   # C's atan2 returns x + y
    return (math.atan2(y, x),)


def math_tointeger(L, *args):
    i = tointeger(args[0]) if args else None
    if i is None:
        check_any(args, 1)
    return (i,)


def _rounding(fn: Callable[[float], int]) -> Callable:
    def lua_fn(L, *args):
        v = args[0] if args else None
        if type(v) is int:   # an integer is its own floor and ceiling
            return (v,)
        return (_c_round(fn, _float_arg(args, 1)),)
    return lua_fn


def math_fmod(L, *args):
    a = args[0] if args else None
    b = args[1] if len(args) > 1 else None
    if type(a) is int and type(b) is int:
        if b == 0:
            raise ArgError(2, "zero")
        if b == -1:
            return (0,)   # avoids overflow with mininteger % -1
        r = abs(a) % abs(b)   # C's '%' truncates towards zero
        return (-r if a < 0 else r,)
    y = _float_arg(args, 2)     # gcc evaluates C Lua's fmod(check(1), check(2)) right to left
    return (fmod(_float_arg(args, 1), y),)


def math_modf(L, *args):
    v = args[0] if args else None
    if type(v) is int:
        return (v, 0.0)
    n = _float_arg(args, 1)
    ip = _c_round(math.ceil if n < 0 else math.floor, n)   # rounds towards zero
    return (ip, 0.0 if n == ip else n - ip)


def math_ult(L, *args):
    a = check_integer(args, 1)
    b = check_integer(args, 2)
    return ((a & _MASK64) < (b & _MASK64),)


def math_log(L, *args):
    x = _float_arg(args, 1)
    if len(args) < 2 or args[1] is None:
        return (_log(x),)
    base = _float_arg(args, 2)
    if base == 2.0:
        return (_log2(x),)
    if base == 10.0:
        return (_log10(x),)
    return (div_float(_log(x), _log(base)),)


def math_deg(L, *args):
    return (_float_arg(args, 1) * (180.0 / math.pi),)


def math_rad(L, *args):
    return (_float_arg(args, 1) * (math.pi / 180.0),)


def _extreme(wins: Callable) -> Callable:
    """math.min / math.max: the first argument that ``wins(L, v, best)`` over the rest."""
    def lua_fn(L, *args):
        if not args:
            raise ArgError(1, "value expected")
        best = args[0]
        for v in args[1:]:
            if wins(L, v, best):
                best = v
        return (best,)
    return lua_fn


math_min = _extreme(lambda L, v, best: L.lessthan(v, best))
math_max = _extreme(lambda L, v, best: L.lessthan(best, v))


def math_type(L, *args):
    v = args[0] if args else None
    t = type(v)
    if t is int:
        return ("integer",)
    if t is float:
        return ("float",)
    check_any(args, 1)
    return (None,)


# ------------------------------------------------------------------ xoshiro256**

def _rotl(x: int, n: int) -> int:
    return ((x << n) | (x >> (64 - n))) & _MASK64


class RandomState:
    """The four 64-bit words of a xoshiro256** generator (``RanState``)."""

    __slots__ = ("s",)

    def __init__(self) -> None:
        self.s = [0, 0, 0, 0]

    def next(self) -> int:
        """``nextrand``: the next 64-bit value (unsigned)."""
        s0, s1, s2, s3 = self.s
        s2 ^= s0
        s3 ^= s1
        res = (_rotl((s1 * 5) & _MASK64, 7) * 9) & _MASK64
        self.s = [s0 ^ s3, s1 ^ s2, s2 ^ ((s1 << 17) & _MASK64), _rotl(s3, 45)]
        return res

    def seed(self, n1: int, n2: int) -> tuple:
        """``setseed``: returns the two seeds as Lua integers."""
        self.s = [n1 & _MASK64, 0xFF, n2 & _MASK64, 0]
        for _ in range(16):
            self.next()   # discard initial values to "spread" the seed
        return (wrap(n1), wrap(n2))

    def project(self, ran: int, n: int) -> int:
        """A uniform value in [0, n] from ``ran``, drawing again while out of range."""
        if n & (n + 1) == 0:   # n + 1 is a power of 2
            return ran & n
        lim = (1 << n.bit_length()) - 1   # smallest 2^b - 1 not below n
        ran &= lim
        while ran > n:
            ran = self.next() & lim
        return ran


def _to_float(rv: int) -> float:
    """``I2d``: the top 53 bits as a float in [0, 1)."""
    return (rv >> 11) * (0.5 / (1 << 52))


def _random_seed(L) -> tuple:
    return (int(time.time()), id(L))


def _make_random(state: RandomState):
    def math_random(L, *args):
        rv = state.next()
        nargs = len(args)
        if nargs == 0:
            return (_to_float(rv),)
        if nargs == 1:
            low = 1
            up = check_integer(args, 1)
            if up == 0:   # math.random(0): all 64 bits
                return (wrap(rv),)
        elif nargs == 2:
            low = check_integer(args, 1)
            up = check_integer(args, 2)
        else:
            raise L.error("wrong number of arguments")
        if low > up:
            raise ArgError(1, "interval is empty")
        p = state.project(rv, (up - low) & _MASK64)
        return (wrap(p + low),)

    def math_randomseed(L, *args):
        if not args:
            return state.seed(*_random_seed(L))
        n1 = check_integer(args, 1)
        n2 = opt_integer(args, 2, 0)
        return state.seed(n1, n2)

    return math_random, math_randomseed


# ------------------------------------------------------------------ open

def open(L) -> LuaTable:
    lib = LuaTable()
    funcs = {
        "abs": math_abs,
        "acos": _unary(_acos),
        "asin": _unary(_asin),
        "atan": math_atan,
        "ceil": _rounding(math.ceil),
        "cos": _unary(_cos),
        "deg": math_deg,
        "exp": _unary(_exp),
        "tointeger": math_tointeger,
        "floor": _rounding(math.floor),
        "fmod": math_fmod,
        "ult": math_ult,
        "log": math_log,
        "max": math_max,
        "min": math_min,
        "modf": math_modf,
        "rad": math_rad,
        "sin": _unary(_sin),
        "sqrt": _unary(_sqrt),
        "tan": _unary(_tan),
        "type": math_type,
        # LUA_COMPAT_MATHLIB
        "cosh": _unary(_cosh), "sinh": _unary(_sinh), "tanh": _unary(_tanh),
        "pow": math_pow, "frexp": math_frexp, "ldexp": math_ldexp, "log10": _unary(_log10),
    }
    state = RandomState()
    state.seed(*_random_seed(L))
    funcs["random"], funcs["randomseed"] = _make_random(state)
    for name, fn in funcs.items():
        lib.set_str(name, Builtin(fn, "math." + name))
    lib.set_str("pi", math.pi)
    lib.set_str("huge", math.inf)
    lib.set_str("maxinteger", MAXINTEGER)
    lib.set_str("mininteger", MININTEGER)
    return lib
