"""The math library against lupa's Lua 5.4.8: results (integer vs float, bits of
floats, NaN signs), error messages and the xoshiro256** sequences."""
import math

import pytest

from fakelua import LUA, FakeState, Tab, both, canon, invoke, snippet_lua, snippet_ours
from pylua.lib import mathlib

MATH = mathlib.open(FakeState())
INF, NAN = math.inf, math.nan
MAXI, MINI = 2**63 - 1, -2**63

SPECIAL = [0, -0.0, 0.0, 1, -1, 3.7, -3.7, 0.5, -0.5, 2.5, -2.5, 1e308, -1e308, 5e-324, INF, -INF,
           NAN, -NAN, MAXI, MINI, 2**53 + 1, 9.2233720368547758e18, -9.2233720368547758e18,
           1e15 + 0.5, "10", "3.5", " -2 ", "0x10", 100, -100, 1000.0, 0.1]

UNARY = ["abs", "ceil", "floor", "sin", "cos", "tan", "asin", "acos", "atan", "exp", "sqrt",
         "deg", "rad", "log", "modf", "tointeger", "type"]


@pytest.mark.parametrize("name", UNARY)
def test_unary_functions_on_special_values(name):
    for x in SPECIAL:
        lua, ours = both(MATH, "math." + name, x)
        assert ours == lua, (name, x)


@pytest.mark.parametrize("name", UNARY)
def test_unary_functions_argument_errors(name):
    for args in [(), (None,), ("abc",), (Tab(),), (True,)]:
        lua, ours = both(MATH, "math." + name, *args)
        assert ours == lua, (name, args)


BINARY_ARGS = [(7, 3), (-7, 3), (7, -3), (-7, -3), (7, 0), (7, -1), (MINI, -1), (MINI, 1),
               (7.5, 2), (-7.5, 2), (7, 2.5), (1, 0.0), (INF, 1), (1, INF), (-1, INF), (NAN, 1),
               (1, NAN), (-NAN, 1), (0, 5), (-0.0, 5), ("7", "3"), (7, "x"), (7, None),
               (MAXI, MINI), (MINI, MAXI), (3, 3.0), (3.0, 3), (2**53, 3), (-1, -1), (0, -1),
               (8, 2), (8, 10), (100, 0.5), (1e308, 1e-308), (-2, 0.5)]


@pytest.mark.parametrize("name", ["fmod", "atan", "log", "ult", "max", "min"])
def test_binary_functions(name):
    for args in BINARY_ARGS:
        lua, ours = both(MATH, "math." + name, *args)
        assert ours == lua, (name, args)


def test_log_with_bases():
    for x in [1, 2, 8, 10, 100, 1000, 1024, 0.5, 0, -0.0, INF, 3, 7.5, 1e-300]:
        for base in [2, 10, 2.0, 10.0, 3, 0.5, 1, 0, INF, "2", 16, math.e]:
            lua, ours = both(MATH, "math.log", x, base)
            assert ours == lua, (x, base)


def test_nan_sign_of_log_of_negative_numbers():
    # glibc versions differ here; lupa's 5.4.8 prints a positive NaN.
    for x in [-1, -INF, -0.5]:
        for base in [None, 2, 10, 3]:
            args = (x,) if base is None else (x, base)
            lua, ours = both(MATH, "math.log", *args)
            assert ours == lua, args


def test_min_max_many_arguments_and_mixed_types():
    cases = [(1, 2, 3), (3, 2, 1), (1, 1.0), (1.0, 1), (2, 1.5, 3.5, -1), ("a", "b"),
             ("b", "a", "c"), (1, "2"), (NAN, 1, 2), (1, NAN, 2), (-0.0, 0.0), (0.0, -0.0),
             (MAXI, 9.2233720368547758e18), (MINI, -9.2233720368547758e18), (5,), (None,),
             (Tab(),), (Tab(), Tab()), (1, None), (MAXI, MAXI - 1, MINI)]
    for args in cases:
        for name in ("math.max", "math.min"):
            lua, ours = both(MATH, name, *args)
            assert ours == lua, (name, args)


def test_integer_results_are_integers():
    L = FakeState()
    f = lambda name, *a: invoke(L, MATH.get_str(name), a)
    assert f("floor", 3.7) == (3,) and type(f("floor", 3.7)[0]) is int
    assert f("ceil", -3.7) == (-3,)
    assert f("abs", MINI) == (MINI,)
    assert f("floor", 1e100)[0] == 1e100 and type(f("floor", 1e100)[0]) is float
    assert canon(f("modf", -0.0)) == canon((0, 0.0))
    assert f("fmod", MINI, -1) == (0,)
    assert f("tointeger", "0x10") == (16,)


def test_constants():
    for name in ["pi", "huge", "maxinteger", "mininteger"]:
        assert canon(MATH.get_str(name)) == canon(LUA.eval("math." + name)), name


# ------------------------------------------------------------------ random

def _lua_sequence(seed_args, calls):
    fn = LUA.eval("""function(seed, calls)
        math.randomseed(table.unpack(seed))
        local out = {}
        for i, c in ipairs(calls) do
            local ok, v = pcall(math.random, table.unpack(c))
            out[i] = ok and v or ("error: " .. v)
        end
        return out
    end""")
    enc = lambda c: LUA.table_from([a.encode() if type(a) is str else a for a in c])
    out = fn(enc(seed_args), LUA.table_from([enc(c) for c in calls]))
    return [canon(out[i]) for i in range(1, len(calls) + 1)]


def _our_sequence(seed_args, calls):
    L = FakeState()
    lib = mathlib.open(L)
    invoke(L, lib.get_str("randomseed"), tuple(seed_args))
    out = []
    for c in calls:
        try:
            out.append(canon(invoke(L, lib.get_str("random"), tuple(c))[0]))
        except Exception as e:    # the Lua error as a string, like pcall
            out.append("error: " + str(e))
    return out


RANDOM_CALLS = ([[]] * 5 + [[0]] * 3 + [[1, 100]] * 10 + [[6]] * 10 + [[-10, 10]] * 10
                + [[MINI, MAXI]] * 3 + [[0, MAXI]] * 3 + [[MINI, -1]] * 3 + [[3, 3]]
                + [[1, 3]] * 20 + [[1000000007]] * 5 + [[1, 2**62 + 1]] * 5 + [[2**40]] * 3)


@pytest.mark.parametrize("seed", [[42], [0], [1], [-1], [MAXI], [MINI], [12345, 678],
                                  [1, -1], [2**40, 7], [3.0]])
def test_random_sequences_match(seed):
    assert _our_sequence(seed, RANDOM_CALLS) == _lua_sequence(seed, RANDOM_CALLS)


def test_random_errors_match():
    calls = [[2, 1], [0, -1], [MAXI, MINI], [1, 2, 3], ["x"], [1.5], [1, 2.5], [None], [Tab()],
             [1, None], ["1", "0"]]
    for c in calls:
        lua, ours = both(MATH, "math.random", *c)
        assert ours[0] == lua[0] == "error" and ours[1] == lua[1], c


def test_random_accepts_numeric_strings():
    assert _our_sequence([7], [["3"], [1, "5"], ["2", 4.0]]) == _lua_sequence([7], [["3"], [1, "5"], ["2", 4.0]])


def test_randomseed_returns_seeds():
    for seed in [(42,), (1, 2), (-5, MINI), (7.0, 2.0)]:
        lua, ours = both(MATH, "math.randomseed", *seed)
        assert ours == lua, seed
    for bad in [(1.5,), ("x",), (1, "y"), (Tab(),)]:
        lua, ours = both(MATH, "math.randomseed", *bad)
        assert ours == lua, bad


def test_randomseed_without_arguments_returns_two_integers():
    L = FakeState()
    lib = mathlib.open(L)
    seeds = invoke(L, lib.get_str("randomseed"), ())
    assert len(seeds) == 2 and all(type(s) is int for s in seeds)
    first = [invoke(L, lib.get_str("random"), (1, 1000)) for _ in range(5)]
    invoke(L, lib.get_str("randomseed"), seeds)
    assert [invoke(L, lib.get_str("random"), (1, 1000)) for _ in range(5)] == first


def test_random_floats_are_in_unit_interval():
    L = FakeState()
    lib = mathlib.open(L)
    values = [invoke(L, lib.get_str("random"), ())[0] for _ in range(2000)]
    assert all(type(v) is float and 0 <= v < 1 for v in values)
    assert 0.4 < sum(values) / len(values) < 0.6


# ------------------------------------------------------------------ through the VM

SNIPPETS = [
    """math.randomseed(42); print(math.random(1, 100), math.random(), math.random(0))
       print(math.randomseed(7, 9)); local s = 0
       for i = 1, 1000 do s = s + math.random(6) end; print(s, math.random(-5, 5))""",
    """print(math.floor(3.7), math.ceil(-3.2), math.floor(-0.0), math.ceil(1e100), math.floor(2^62))
       print(math.abs(math.mininteger), math.abs(-0.0), math.abs("-3"), math.fmod(-7, 3), math.fmod(7, -3.5))
       print(math.modf(-3.5), math.modf(5), math.modf(math.huge), math.modf(-0.0))""",
    """print(math.max(1, 2.5, -1), math.min(3, 1.0, 1), math.max("a", "b"), math.type(2^31))
       print(math.tointeger("8"), math.tointeger(2^53), math.tointeger(0.5), math.ult(1, -1))
       print(math.log(8, 2), math.log(1000, 10), math.log(27, 3), math.exp(1), math.sqrt(2))
       print(math.sin(1), math.cos(1), math.tan(1), math.asin(0.5), math.acos(0.5), math.atan(1, -1))
       print(math.deg(1), math.rad(90), math.pi, math.huge, -math.huge, math.sqrt(-1), 0/0)""",
    """print(pcall(function() return math.fmod(1, 0) end))
       print(pcall(function() return math.random(3, 1) end))
       print(pcall(function() return math.random(1, 2, 3) end))
       print(pcall(function() return math.floor({}) end))
       print(pcall(function() return math.max() end))
       print(pcall(function() return math.min(1, {}) end))
       print(pcall(function() return math.tointeger() end))""",
    """local mt = {__lt = function(a, b) return a.v < b.v end}
       local a, b = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
       print(math.max(a, b).v, math.min(a, b).v)""",
]


@pytest.mark.parametrize("src", SNIPPETS, ids=range(len(SNIPPETS)))
def test_snippets_through_the_vm(src):
    assert snippet_ours(src) == snippet_lua(src)
