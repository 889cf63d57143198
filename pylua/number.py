"""Lua numbers: 64-bit integer arithmetic, float semantics and the string conversions
of lobject.c / lvm.c (``luaO_str2num``, ``tostringbuff``, ``luaV_tointeger``, ...)."""
from __future__ import annotations

import math
import re
TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Optional

Num = "int | float"   # for annotations

MAXINTEGER = 0x7FFFFFFFFFFFFFFF
MININTEGER = -0x8000000000000000
_MASK64 = 0xFFFFFFFFFFFFFFFF
_TWO63 = 9.2233720368547758e18   # 2^63 as a float

# x86's default NaN (from 0/0, inf-inf) has its sign bit set; lua5.4 prints it "-nan".
NEG_NAN = -math.nan


def wrap(i: int) -> int:
    """Wrap an unbounded Python int to a signed 64-bit Lua integer."""
    if MININTEGER <= i <= MAXINTEGER:
        return i
    return ((i + 0x8000000000000000) & _MASK64) - 0x8000000000000000


# ------------------------------------------------------------------ conversions

def float_to_int(f: float) -> Optional[int]:
    """The integer equal to ``f``, or None if f is not integral or out of range (F2Ieq)."""
    if f.is_integer() and -_TWO63 <= f < _TWO63:
        return int(f)
    return None


def float_floor_to_int(f: float) -> Optional[int]:
    """floor(f) as an integer, or None if out of range (F2Ifloor)."""
    if f != f or f in (math.inf, -math.inf):
        return None
    fl = math.floor(f)
    if -_TWO63 <= fl < _TWO63:
        return int(fl)
    return None


_SPACES = " \t\n\v\f\r"
_DEC_INT = re.compile(r"[ \t\n\v\f\r]*([-+]?)([0-9]+)[ \t\n\v\f\r]*\Z")
_HEX_INT = re.compile(r"[ \t\n\v\f\r]*([-+]?)0[xX]([0-9a-fA-F]+)[ \t\n\v\f\r]*\Z")
_DEC_FLT = re.compile(r"[ \t\n\v\f\r]*([-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)"
                      r"[ \t\n\v\f\r]*\Z")
_HEX_FLT = re.compile(r"[ \t\n\v\f\r]*([-+]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?"
                      r"(?:[pP]([-+]?[0-9]+))?[ \t\n\v\f\r]*\Z")


def str2int(s: str) -> Optional[int]:
    """``l_str2int``: decimal (no overflow) or hex (wrapping) integer numerals."""
    if len(s) < 19 and s.isdigit() and s.isascii():     # the common case, without regexes
        return int(s)
    if "." in s:
        return None
    m = _HEX_INT.match(s)
    if m:
        v = int(m.group(2), 16) & _MASK64
        if m.group(1) == "-":
            v = (-v) & _MASK64
        return wrap(v) if v <= MAXINTEGER else v - (1 << 64)
    m = _DEC_INT.match(s)
    digits = m.group(2).lstrip("0") if m else ""
    if m and len(digits) <= 19:     # longer ones overflow: floats
        v = int(digits) if digits else 0
        if m.group(1) == "-":
            v = -v
        if MININTEGER <= v <= MAXINTEGER:
            return v
    return None


def _exponent(exp: str) -> int:
    """A decimal exponent's value; any of 10 digits or more (strtod reads exponents of
    any length) over- or underflows every float, like 2**40."""
    digits = exp.lstrip("+-").lstrip("0")
    e = (int(digits) if digits else 0) if len(digits) < 10 else 1 << 40
    return -e if exp[0] == "-" else e


def hexfloat(mant_int: str, mant_frac: str, exp: Optional[str]) -> float:
    """Value of a hexadecimal float numeral (``0x1.8p3``)."""
    digits = (mant_int or "") + (mant_frac or "")
    e = _exponent(exp) if exp else 0
    e -= 4 * len(mant_frac or "")
    v = int(digits, 16) if digits else 0
    if v == 0:
        return 0.0
    try:
        return math.ldexp(float(v), e) if v.bit_length() <= 53 else float.fromhex(
            "0x" + (mant_int or "0") + "." + (mant_frac or "") + "p" + str(exp or 0))
    except OverflowError:
        return math.inf


def str2float(s: str) -> Optional[float]:
    """``l_str2d``: decimal or hex float numerals (no 'inf'/'nan')."""
    if s.replace(".", "", 1).isdigit() and s.isascii():    # the common case: "12.5"
        return float(s)
    if "n" in s or "N" in s:
        return None
    m = _DEC_FLT.match(s)
    if m:
        return float(m.group(1))
    m = _HEX_FLT.match(s)
    if m and (m.group(2) or m.group(3)):
        v = hexfloat(m.group(2), m.group(3) or "", m.group(4))
        return -v if m.group(1) == "-" else v
    return None


# numeral -> its number, for short numerals: scripts convert the same strings again
# and again (a gsub callback doing arithmetic on its captured digits).
_numerals: dict = {}
NUMERALS_CACHED = 1024
SHORT_NUMERAL = 40


def str2number(s: str) -> Optional[Num]:
    """``luaO_str2num``: the number a string denotes, or None."""
    n = _numerals.get(s)
    if n is not None:
        return n
    n = str2int(s)
    if n is None:
        n = str2float(s)
        if n is None:
            return None
    if len(s) <= SHORT_NUMERAL:
        if len(_numerals) >= NUMERALS_CACHED:
            _numerals.clear()
        _numerals[s] = n
    return n


def fmt_float(f: float) -> str:
    """``lua_Number2str`` with LUAI_NUMFFORMAT "%.14g", plus ".0" when it looks integral."""
    if f != f:
        return "-nan" if math.copysign(1.0, f) < 0 else "nan"
    if f == math.inf:
        return "inf"
    if f == -math.inf:
        return "-inf"
    s = "%.14g" % f
    if s.lstrip("-").isdigit():
        s += ".0"
    return s


def tostr(v: Num) -> str:
    """A number as ``tostring`` shows it."""
    if type(v) is int:
        return str(v)
    return fmt_float(v)


def tonumber(v) -> Optional[Num]:
    """A number or a string convertible to one (cvt2num), else None."""
    t = type(v)
    if t is int or t is float:
        return v
    if t is str:
        return str2number(v)
    return None


def tointeger(v) -> Optional[int]:
    """``lua_tointegerx``: integers, integral floats and such strings."""
    t = type(v)
    if t is int:
        return v
    if t is float:
        return float_to_int(v)
    if t is str:
        n = str2number(v)
        if n is None:
            return None
        return n if type(n) is int else float_to_int(n)
    return None


# ------------------------------------------------------------------ arithmetic

def idiv_int(a: int, b: int) -> int:
    """Integer floor division; the caller has checked b != 0."""
    return wrap(a // b)


def mod_int(a: int, b: int) -> int:
    """Integer modulo with the sign of the divisor; the caller has checked b != 0."""
    return a % b


def fmod(a: float, b: float) -> float:
    """C's ``fmod`` as the reference Lua build computes it (Python's raises for
    fmod(inf, y) and fmod(x, 0)); NaN signs follow that build."""
    if a != a:
        if b != b and math.copysign(1.0, b) > 0:
            return b            # two NaNs: positive unless both are negative
        return a
    if b != b:
        return b
    if b == 0 or a in (math.inf, -math.inf):
        return NEG_NAN
    return math.fmod(a, b)


def mod_float(a: float, b: float) -> float:
    """``luai_nummod``: fmod adjusted towards the divisor's sign."""
    m = fmod(a, b)
    if (b < 0) if m > 0 else (m < 0 and b > 0):
        m += b
    return m


def div_float(a: float, b: float) -> float:
    """IEEE division as C does it (Python raises on division by zero)."""
    if b == 0:
        if a != a or a == 0:
            return NEG_NAN if a == 0 else a
        neg = (math.copysign(1.0, a) < 0) != (math.copysign(1.0, b) < 0)
        return -math.inf if neg else math.inf
    return a / b


def idiv_float(a: float, b: float) -> float:
    """``luai_numidiv``: floor(a / b)."""
    q = div_float(a, b)
    if q != q or q in (math.inf, -math.inf):
        return q
    return float(math.floor(q)) if q != 0 else q


def _odd_integer(f: float) -> bool:
    return f.is_integer() and math.fmod(f, 2.0) != 0


def pow_float(a: float, b: float) -> float:
    """``luai_numpow``: a*a for b == 2, else C's ``pow`` (Python's raises on overflow,
    on 0 ^ negative and on negative ^ fraction, and differs on signed NaNs)."""
    if b == 2:
        return a * a
    if a != a:
        if b == 0:
            return 1.0
        return -a if math.copysign(1.0, a) < 0 and _odd_integer(b) else a
    try:
        return math.pow(a, b)
    except OverflowError:
        return -math.inf if a < 0 and _odd_integer(b) else math.inf
    except ValueError:
        if a == 0:   # 0 ^ negative: an infinity signed like the zero for odd b
            return -math.inf if math.copysign(1.0, a) < 0 and _odd_integer(b) else math.inf
        return NEG_NAN


def shift_left(x: int, n: int) -> int:
    """``luaV_shiftl``: logical shift of a 64-bit integer (negative n shifts right)."""
    if 0 <= n < 32 and -0x80000000 <= x < 0x80000000:
        return x << n           # fits in 63 bits: no masking needed
    if x >= 0 and -64 < n < 0:
        return x >> -n
    if n < 0:
        if n <= -64:
            return 0
        return wrap((x & _MASK64) >> -n)
    if n >= 64:
        return 0
    return wrap((x << n) & _MASK64)
