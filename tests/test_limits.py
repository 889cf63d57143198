"""Resource limits (pylua/limits.py): hostile scripts end within their limit with the
expected error, through the CLI and through ``LuaRuntime``, and the host keeps working.

The corpus is ``tests/hostile/limit_*.lua``; each starts with ``-- expect: TEXT`` (the
error message contains TEXT), ``-- flags: ...`` (the limit flags of the ``pylua``
command) and ``-- within: SECONDS`` (a generous bound on the whole run).
"""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pylua import LuaLimitError, LuaRuntime
from pylua.errors import LuaError
from pylua.limits import limit_flag

HOSTILE = Path(__file__).resolve().parent / "hostile"
CORPUS = sorted(HOSTILE.glob("limit_*.lua"))
ROOT = Path(__file__).resolve().parent.parent


def header(path: Path) -> tuple:
    """(expected text, flags, seconds) of a corpus file."""
    fields = {}
    for line in path.read_text().splitlines():
        if not line.startswith("-- "):
            break
        key, _, value = line[3:].partition(":")
        fields[key.strip()] = value.strip()
    return fields["expect"], fields["flags"].split(), float(fields["within"])


def runtime_arguments(flags: list) -> dict:
    """The LuaRuntime keyword arguments for the command-line limit flags."""
    kw = {}
    for flag, value in zip(flags[::2], flags[1::2]):
        v = limit_flag(flag, value)
        if flag == "--max-memory":
            kw["max_memory"] = int(v * 1024 * 1024)
        else:
            kw[flag[2:].replace("-", "_")] = v
    return kw


def test_corpus_is_there():
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_hostile_script_via_cli(path):
    expect, flags, within = header(path)
    start = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "pylua", *flags, str(path)], cwd=ROOT,
                       capture_output=True, timeout=within + 60)
    elapsed = time.monotonic() - start
    err = r.stderr.decode("latin-1")
    assert r.returncode == 1, err
    assert expect in err
    assert "Traceback (most recent call last)" not in err
    assert b"escaped" not in r.stdout and b"caught the limit" not in r.stdout
    assert elapsed < within


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_hostile_script_via_runtime(path):
    expect, flags, within = header(path)
    out = []
    lua = LuaRuntime(**runtime_arguments(flags))
    lua.globals().print = lambda *a: out.append(a)
    start = time.monotonic()
    with pytest.raises(LuaError) as info:
        lua.execute(path.read_text())
    assert time.monotonic() - start < within
    assert expect in str(info.value)
    if isinstance(info.value, LuaLimitError):
        assert info.value.limit in ("instructions", "timeout", "memory")
    assert not any("escaped" in str(a) or "caught the limit" in str(a) for a in out)
    # the host keeps working, in the same runtime, with a fresh budget
    assert lua.execute("local n = 0 for i = 1, 1000 do n = n + i end return n") == 500500
    assert lua.eval("('x'):rep(10)") == "x" * 10


def test_limit_error_is_a_lua_error_that_names_its_limit():
    lua = LuaRuntime(max_instructions=10_000)
    with pytest.raises(LuaLimitError) as info:
        lua.execute("while true do end")
    assert info.value.limit == "instructions"
    assert "instruction limit exceeded (10000 instructions)" in str(info.value)
    assert isinstance(info.value, LuaError)


def test_instruction_count_charges_loop_bodies():
    # A numeric for loop of N rounds with a body of 3 instructions and its FORLOOP
    # is charged 4 * N (documented exactness): 1000 rounds fit in 5000, not in 3000.
    body = "local x = 0 for i = 1, 1000 do x = x + i end return x"
    assert LuaRuntime(max_instructions=5000).execute(body) == 500500
    with pytest.raises(LuaLimitError):
        LuaRuntime(max_instructions=1000).execute(body)


def test_each_call_from_the_host_gets_a_fresh_budget():
    lua = LuaRuntime(max_instructions=50_000)
    f = lua.eval("function() local n = 0 for i = 1, 5000 do n = n + 1 end return n end")
    for _ in range(20):         # 20 * 5000 rounds: more than one budget in all
        assert f() == 5000


def test_timeout_cuts_a_slow_async_host_function():
    async def slow_llm(prompt):
        await asyncio.sleep(100)
        return "never"

    lua = LuaRuntime(timeout=0.5)
    lua.globals().ask = slow_llm
    start = time.monotonic()
    with pytest.raises(LuaLimitError) as info:
        lua.execute("local ok, e = pcall(ask, 'hi') print('caught', e) return e")
    assert info.value.limit == "timeout"
    assert time.monotonic() - start < 10
    assert lua.execute("return 42") == 42


def test_timeout_in_execute_async():
    async def main():
        lua = LuaRuntime(timeout=0.5)
        with pytest.raises(LuaLimitError):
            await lua.execute_async("task.wait(100)")
        return await lua.execute_async("task.wait(0.01) return 7")

    assert asyncio.run(main()) == 7


def test_two_runtimes_have_separate_memory_budgets():
    keep = "big = {} for i = 1, 12 do big[i] = ('%d'):format(i):rep(2^20) end return #big"
    a = LuaRuntime(max_memory=24 * 2**20)
    b = LuaRuntime(max_memory=24 * 2**20)
    assert a.execute(keep) == 12        # 12 MB live in a
    assert b.execute(keep) == 12        # and 12 MB in b: each within its own 24 MB
    with pytest.raises(LuaLimitError) as info:
        a.execute("more = {} for i = 1, 20 do more[i] = ('%d'):format(-i):rep(2^20) end")
    assert info.value.limit == "memory" and str(info.value) == "not enough memory"
    assert b.execute("return #big") == 12
    a.execute("more = nil big = nil collectgarbage()")
    assert a.execute(keep) == 12        # memory given back is usable again


def test_memory_limit_collects_before_failing():
    # garbage does not count: 200 MB allocated in all, 1 MB live at any time
    lua = LuaRuntime(max_memory=16 * 2**20)
    assert lua.execute("for i = 1, 200 do local s = ('%d'):format(i):rep(2^20) end return 1") == 1


def test_low_python_recursion_limit_gives_lua_errors():
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(400)
    try:
        lua = LuaRuntime()
        for src in ["local t = setmetatable({}, {__tostring = function(s) return tostring(s) end})"
                    " return tostring(t)",
                    "local function g(s) return (s:gsub('.', g)) end return g('ab')",
                    "local mt = {} mt.__index = function(t, k) return setmetatable({}, mt)[k] end"
                    " return setmetatable({}, mt).x"]:
            with pytest.raises(LuaError) as info:
                lua.execute(src)
            assert "stack overflow" in str(info.value)
    finally:
        sys.setrecursionlimit(old)


def test_config_keys_set_the_limits(tmp_path):
    (tmp_path / "pylua.toml").write_text("[runtime]\nmax_instructions = 100000\n")
    r = subprocess.run([sys.executable, "-m", "pylua", "-e", "while true do end"],
                       cwd=tmp_path, capture_output=True, timeout=60,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 1
    assert b"instruction limit exceeded (100000 instructions)" in r.stderr


def test_bad_flag_values_are_usage_errors():
    r = subprocess.run([sys.executable, "-m", "pylua", "--timeout", "soon", "-e", "print(1)"],
                       cwd=ROOT, capture_output=True, timeout=60)
    assert r.returncode == 1
    assert b"'--timeout' needs a number >= 0" in r.stderr


def test_flag_values_are_not_taken_for_options():
    # "1e6" once ran as "-e 6" when the command line's chunks were run
    r = subprocess.run([sys.executable, "-m", "pylua", "--max-instructions", "1e6",
                        "--timeout", "30", "--max-memory", "1e2", "-e", "print(2)"],
                       cwd=ROOT, capture_output=True, timeout=60)
    assert (r.returncode, r.stdout, r.stderr) == (0, b"2\n", b"")


def test_no_limits_by_default():
    lua = LuaRuntime()
    assert lua._L.limits is None
    assert lua.execute("local n = 0 for i = 1, 200000 do n = n + 1 end return n") == 200000
