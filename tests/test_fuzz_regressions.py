"""Every difference the differential fuzzer (pylua fuzz, docs/fuzzing.md) found,
restated as a small program and compared with the reference interpreters.

``BOTH``: lua5.4 (5.4.4) and lupa (5.4.8) agree, and pylua must say the same.
``LUPA_ONLY``: the two references differ (build options or a 5.4.4 -> 5.4.8
change); pylua follows 5.4.8, and the 5.4.4 output is pinned to show the difference
is theirs, not ours.  ``LUA54_BUILD``: lupa's build leaves out the 5.3
compatibility that the standard build (and pylua) has.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pylua.fuzz import CommandReference, LupaReference, Outcome, run_pylua

# Found by the fuzzer and fixed in pylua.
BOTH = {
    # a float key is an integer key only within [-2^63, 2^63): 1e100 and 2^63 stay
    # floats (pylua/table.py turned every integral float into an int)
    "huge integral float keys stay floats": r'''
        local t = {} t[1e100] = 1 t[2^63] = 2 t[-2^63] = 3
        local keys = {}
        for k in pairs(t) do keys[#keys + 1] = math.type(k) .. " " .. tostring(k) end
        table.sort(keys) print(table.concat(keys, ", "))
        print(t[1e100], t[2^63], t[-2^63], t[math.mininteger], next({[1e100] = true}))
    ''',
    # luaB_error casts its level to a C int: math.mininteger is level 0 (no
    # position), math.mininteger + 2 is level 2 (pylua/lib/baselib.py)
    "error's level is a C int": r'''
        for i = math.mininteger, math.mininteger + 2 do print(pcall(error, "m", i)) end
        print(pcall(error, "m", 1 << 32), pcall(error, "m", (1 << 32) + 2))
        local function f() error("deep", (1 << 32) + 1) end
        print(pcall(f))
    ''',
    # C Lua formats variable names with %s: a name ends at its first zero byte
    # (pylua/debuginfo.py formatvarinfo)
    "zero byte in a constant's name": r'''
        print(pcall(function() return "a\0b" | 1 end))
        print(pcall(function() return ("\0x")() end))
        print(pcall(function() local t = {} return t["k\0ey"].z end))
        print(pcall(function() return "Lua\0" & 2 end))
    ''',
    # gcc evaluates fmod(luaL_checknumber(L, 1), luaL_checknumber(L, 2)) right to
    # left, so with two bad arguments the second is reported (pylua/lib/mathlib.py)
    "math.fmod checks its second argument first": r'''
        print(pcall(math.fmod))
        print(pcall(math.fmod, {}, {}))
        print(pcall(math.fmod, 1.5))
        print(pcall(math.fmod, {}, 2))
        print(pcall(math.fmod, 7, 0))
    ''',
    # Cython's addition of Python objects returns the float itself for int 0 + float,
    # so the compiled VM said -0.0 where IEEE addition gives 0.0 (pylua/vm.py ADD, ADDI)
    "integer zero plus minus zero": r'''
        local zero, negzero = 0, -0.0
        print(zero + negzero, negzero + zero, negzero + 0, 0 + negzero)
        local function add(a, b) return a + b end
        print(add(0, -0.0), add(-0.0, 0), add(-0.0, 0.0), add(0.0, -0.0))
        print(negzero - 0, 0 - negzero, negzero * 0, 1 / (negzero + 0))
    ''',
}

# Differences between the references themselves: pylua is Lua 5.4.8.
LUPA_ONLY = {
    # Debian's lua5.4 also has math.atan2 (the program showed the math table)
    "math.atan2": (r'''
        print(math.atan2 == nil)
    ''', "false\n"),
    # 5.4.8 reports a bad position as argument #2 (5.4.4: #1)
    "table.remove position out of bounds": (r'''
        print(pcall(table.remove, {1, 2, 3}, 7))
    ''', "false\tbad argument #1 to 'table.remove' (position out of bounds)\n"),
    # the sign of a NaN from libm depends on the C build: lupa's prints nan, as
    # pylua's does; Debian's lua5.4 prints -nan
    "NaN from math.log and math.sqrt": (r'''
        print(math.log(-1), math.sqrt(-1), math.log(-291) ^ 2.5)
    ''', "-nan\t-nan\t-nan\n"),
}


# Where the references' builds differ: pylua is the standard build (src/Makefile
# defines LUA_COMPAT_5_3), as Debian's lua5.4 is; lupa's Lua is built without it.
LUA54_BUILD = {
    # LUA_COMPAT_LT_LE: a missing __le is answered with not __lt(b, a)
    "__le from __lt": (r'''
        local mt = {__lt = function(a, b) return true end}
        local a, b = setmetatable({}, mt), setmetatable({}, mt)
        print(pcall(function() return a <= b end))
    ''', "false\tstdin:3: attempt to compare two table values\n"),
}


def program(text: str) -> str:
    return "\n".join(line.strip() for line in text.strip().splitlines()) + "\n"


@pytest.fixture(scope="module")
def lupa() -> LupaReference:
    return LupaReference()


@pytest.mark.parametrize("name", BOTH)
def test_found_difference_is_fixed(name, lupa, lua54):
    source = program(BOTH[name])
    expected = lupa.run(source)
    assert expected.error is None
    assert CommandReference(lua54).run(source) == expected
    assert run_pylua(source) == expected


@pytest.mark.parametrize("name", LUPA_ONLY)
def test_pylua_follows_lua_5_4_8(name, lupa, lua54):
    text, lua544_stdout = LUPA_ONLY[name]
    source = program(text)
    expected = lupa.run(source)
    assert run_pylua(source) == expected
    assert CommandReference(lua54).run(source) == Outcome(lua544_stdout.encode("latin-1"))
    assert expected.stdout != lua544_stdout.encode("latin-1")


@pytest.mark.parametrize("name", LUA54_BUILD)
def test_pylua_follows_the_standard_build(name, lupa, lua54):
    text, lupa_stdout = LUA54_BUILD[name]
    source = program(text)
    expected = CommandReference(lua54).run(source)
    assert run_pylua(source) == expected
    assert lupa.run(source) == Outcome(lupa_stdout.encode("latin-1"))
    assert expected.stdout != lupa_stdout.encode("latin-1")


def test_uncaught_error_message_ends_at_a_zero_byte(tmp_path, lua54):
    """lua.c prints an uncaught error's message with %s: the pylua command did not
    stop at a zero byte (found by the fuzzer's lua5.4 runs; cli.error_message)."""
    script = tmp_path / "zero.lua"
    script.write_bytes(b'error("cut\\0here")\n')
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    mine = subprocess.run([sys.executable, "-m", "pylua", str(script)], capture_output=True, env=env)
    theirs = subprocess.run([lua54, str(script)], capture_output=True)
    mine_line, theirs_line = mine.stderr.split(b"\n")[0], theirs.stderr.split(b"\n")[0]
    assert mine_line.endswith(b":1: cut") and mine_line.startswith(b"pylua: ")
    assert mine_line.split(b": ", 1)[1] == theirs_line.split(b": ", 1)[1]
    assert mine.stderr.split(b"\n")[1] == theirs.stderr.split(b"\n")[1] == b"stack traceback:"
