"""pylua.number against lupa's Lua 5.4.8: string->number conversion (tonumber),
number->string (tostring), float arithmetic as C computes it, integer wrap-around."""
import itertools
import math
import random

import pytest

from fakelua import LUA, canon
from pylua import number

INF, NAN = math.inf, math.nan
MAXI, MINI = 2**63 - 1, -2**63

_lua_tonumber = LUA.eval("function(s) return tonumber(s) end")
_lua_tostring = LUA.eval("tostring")

NUMERALS = [
    "0x", "1e", ".", "inf", "nan", "-inf", "INF", "NaN", " 0x10 ", "0x1p4", "0x.8", "0x8.", "0x.p1",
    "0xp1", "1e+", "1e5", "1E5", ".5", "5.", "-.5", "+5", "+-5", "- 5", "0x-10", "-0x10",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "0xffffffffffffffff", "0x10000000000000000", "0x7fffffffffffffff", "0x8000000000000000",
    "1e400", "-1e400", "0x1p99999", "0x1p-99999", "-0x0.0", "-0", "-0.0", "\v10\f", "\t\n\r 7 \n",
    "10\x00", "1_0", "0x1_0", "0b1", "1.e5", ".e5", "0x1P-2", "0X1p+3", "1 2", "", " ", "0x1.8",
    "0xA.8p0", "0x" + "f" * 20 + ".8p1", "0x" + "1" * 30, "1" * 30, "0.1",
    "123456789012345678901234567890e-10", "0x1e", "0x1e+1", "infinity", "0x1.fffffffffffffp1023",
    "0x1.fffffffffffff8p1023", "0x.000000000000000000001p0", "1e-400", "4e-324",
    "2.4703282292062328e-324", "0x1p-1074", "0x1p-1075", "0x1.8p-1074", "00012", "0x00012",
    "1e0001", "  -0x8000000000000000  ", "-0x8000000000000001", "0x", "0X", "x1", "1x", "e1",
    "1e1.5", "1..2", "0x1p", "0x1p+", "0x1.2.3", "\xa01", "1\xa0", "3 ", "  ", "+", "-", "+.",
    "0x1P4", "0xABCDEFp-4", "1.7976931348623157e308", "1.7976931348623159e308",
]


@pytest.mark.parametrize("s", NUMERALS, ids=range(len(NUMERALS)))
def test_str2number_matches_tonumber(s):
    assert canon(number.str2number(s)) == canon(_lua_tonumber(s.encode("latin-1")))


def test_str2number_fuzz():
    rnd = random.Random(1)
    alphabet = "0123456789afAFxXpPeE.+- \tn"
    for _ in range(5000):
        s = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 9)))
        assert canon(number.str2number(s)) == canon(_lua_tonumber(s.encode())), s


def test_tointeger_of_strings_and_floats():
    tointeger = LUA.eval("math.tointeger")
    for v in ["8", "8.0", "0x10", "1e2", "8.5", "x", 3.0, -0.0, 2.0**63, -2.0**63, 2.5, INF, NAN,
              7, MAXI, " 9 ", "9223372036854775808"]:
        lv = v.encode() if type(v) is str else v
        assert canon(number.tointeger(v)) == canon(tointeger(lv)), v


FLOATS = [0.0, -0.0, 1.0, -1.0, 0.1, 1 / 3, 100.0, 1e14, 1e15, 1e16, 123456789012345.0,
          1234567890123456.0, 2.0**53, 2.0**63, -2.0**63, 1e100, 1e-5, 1e-4, 5e-324, 1.7976931348623157e308,
          INF, -INF, NAN, -NAN, 3.14159265358979, 2.5e-7, 1e300 * 10, -123.456]


def test_fmt_float_matches_tostring():
    for f in FLOATS:
        assert number.fmt_float(f) == _lua_tostring(f).decode(), f
    rnd = random.Random(5)
    for _ in range(5000):
        e = rnd.randint(-320, 300)
        x = rnd.uniform(-10, 10) * 10.0 ** e
        if rnd.random() < 0.2:
            x = float(round(x))
        assert number.fmt_float(x) == _lua_tostring(x).decode(), x


def test_tostr_of_integers():
    for i in [0, -1, MAXI, MINI, 10**15]:
        assert number.tostr(i) == _lua_tostring(i).decode()


OPERANDS = [0.0, -0.0, 1.0, -1.0, 2.5, -2.5, INF, -INF, NAN, -NAN, 1e308, 5e-324, 3.0, 0.5, -0.5,
            1e-300, 7.0, -7.0, 2.0, 1e16, -3.0, 1 / 3, 1e300, -1e300, 0.1, 10.0, -10.0, 1023.5,
            -1e-320, 308.0, -309.0, 1075.0]


def test_float_arithmetic_matches_lua():
    ops = LUA.eval("""function(a, b)
        return a % b, a / b, a // b, a ^ b, math.fmod(a, b)
    end""")
    ours = [number.mod_float, number.div_float, number.idiv_float, number.pow_float, number.fmod]
    for a, b in itertools.product(OPERANDS, OPERANDS):
        expected = ops(a, b)
        for fn, want in zip(ours, expected):
            assert canon(fn(a, b)) == canon(want), (fn.__name__, a, b)


INTEGERS = [0, 1, -1, 2, -2, 3, 7, -7, 63, 64, -63, -64, 65, 100, MAXI, MINI, MAXI - 1, MINI + 1,
            2**32, -2**32, 0x5555555555555555]


def test_integer_arithmetic_matches_lua():
    ops = LUA.eval("""function(a, b)
        local q, r = "div0", "div0"
        if b ~= 0 then q, r = a // b, a % b end
        return a + b, a - b, a * b, q, r, a << b, a >> b, a & b, a | b, a ~ b
    end""")
    for a, b in itertools.product(INTEGERS, INTEGERS):
        want = ops(a, b)
        got = [number.wrap(a + b), number.wrap(a - b), number.wrap(a * b),
               number.idiv_int(a, b) if b else b"div0", number.mod_int(a, b) if b else b"div0",
               number.shift_left(a, b), number.shift_left(a, -b) if b != MINI else 0,
               number.wrap(a & b), number.wrap(a | b), number.wrap(a ^ b)]
        assert got == list(want), (a, b)


def test_float_to_int_and_floor():
    for f in [0.0, -0.0, 1.5, -1.5, 2.0**63, -2.0**63, 2.0**63 - 1024, INF, -INF, NAN, 1e15 + 0.5]:
        i = number.float_to_int(f)
        assert i is None or (i == f and MINI <= i <= MAXI)
        assert (i is None) == (not f.is_integer() or not -2.0**63 <= f < 2.0**63)
        fl = number.float_floor_to_int(f)
        assert fl is None if f != f or abs(f) == INF or math.floor(f) >= 2**63 else fl == math.floor(f)


def test_str2int_wraps_hex_and_rejects_decimal_overflow():
    assert number.str2int("0xffffffffffffffff") == -1
    assert number.str2int("-0x1") == -1
    assert number.str2int("0x8000000000000000") == MINI
    assert number.str2int("9223372036854775808") is None
    assert number.str2int("-9223372036854775808") == MINI
