"""LUA_COMPAT_5_3, which Lua 5.4's standard build (src/Makefile) defines and so do
Debian's and Homebrew's lua5.4: math.pow and friends exist, and a missing __le falls
back to not __lt with the operands swapped. lupa is built without it, so these are
compared with the lua5.4 CLI."""
from oracle import PYLUA, run_source

PROGRAM = r"""
local mt = {__lt = function(a, b) return a.v < b.v end}
local A, B = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
print(A <= B, B <= A, A >= B, B >= A, A < B)
print(pcall(function() return {} <= {} end))
local le_only = setmetatable({}, {__le = function() return "yes" end})
print(le_only <= le_only, le_only >= le_only)
print(math.pow(2, 10), math.pow(-8, 1/3), math.pow(0, -1))
print(math.ldexp(1, 4), math.ldexp(3, -2), math.ldexp(1, 2000), math.ldexp(-1, 2000))
print(math.frexp(8), math.frexp(0), math.frexp(-3.5), math.frexp(1/0))
print(math.cosh(0), math.sinh(-1000), math.tanh(1), math.log10(1000), math.log10(0))
print(pcall(math.ldexp, 1), pcall(math.pow, "x", 1))
local co = coroutine.wrap(function()
  local t = setmetatable({}, {__lt = function(a, b) return coroutine.yield("asked") end})
  return t <= t
end)
print(co(), co(false))
"""


def test_compat53_matches_lua54(tmp_path, lua54):
    ours = run_source(PYLUA, PROGRAM, tmp_path / "pylua")
    ref = run_source((lua54,), PROGRAM, tmp_path / "lua54")
    assert ref.returncode == 0 and ref.stdout
    assert (ours.stdout, ours.returncode) == (ref.stdout, ref.returncode)
