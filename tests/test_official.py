"""Lua 5.4.8's official test suite (``testes/``) under pylua.

The suite is not in this repo: ``oracle.fetch_testes`` takes it from lupa's
source distribution into a cache outside the checkout.  Each file listed in
``official_expected.txt`` must run to completion (exit status 0) under
``pylua -e "_port=true _soft=true _nomsg=true" file`` from inside the suite's
directory.  The same harness runs the files under the Lua 5.4.8 reference and a
subset under Debian's lua5.4, so it is proven to work even while the list is short.
``tests/official_report.py`` shows the state of every file.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import oracle

EXPECTED_LIST = Path(__file__).parent / "official_expected.txt"
DEFAULT_TIMEOUT = 600
REFERENCE_TIMEOUT = 120

# Files the 5.4.8 reference passes in portable mode: all but the driver
# (all.lua) and the memory stress test (heavy.lua).
REFERENCE_PASSES = (
    "api.lua", "attrib.lua", "big.lua", "bitwise.lua", "bwcoercion.lua", "calls.lua",
    "closure.lua", "code.lua", "constructs.lua", "coroutine.lua", "cstack.lua", "db.lua",
    "errors.lua", "events.lua", "files.lua", "gc.lua", "gengc.lua", "goto.lua",
    "literals.lua", "locals.lua", "main.lua", "math.lua", "nextvar.lua", "pm.lua",
    "sort.lua", "strings.lua", "tpack.lua", "tracegc.lua", "utf8.lua", "vararg.lua",
    "verybig.lua",
)
# Files Debian's lua5.4 (5.4.4) also passes: the others test 5.4.8 changes.
LUA544_PASSES = (
    "attrib.lua", "bitwise.lua", "calls.lua", "events.lua", "goto.lua", "literals.lua",
    "math.lua", "nextvar.lua", "pm.lua", "sort.lua", "strings.lua", "tpack.lua",
    "vararg.lua",
)


def expected() -> list[tuple[str, float]]:
    """``(file, timeout)`` for each line ``file.lua [timeout-seconds]`` of the list."""
    entries = []
    for line in EXPECTED_LIST.read_text().splitlines():
        fields = line.split("#", 1)[0].split()
        if fields:
            timeout = float(fields[1]) if len(fields) > 1 else DEFAULT_TIMEOUT
            entries.append((fields[0], timeout))
    return entries


def describe(result: oracle.Result) -> str:
    state = "timed out" if result.timed_out else f"exit {result.returncode}"
    return f"{state}\nstderr:\n{result.stderr[-3000:]}\nstdout (end):\n{result.stdout[-1500:]}"


def test_suite_is_fetched_and_list_is_valid(testes_dir: Path):
    present = {p.name for p in testes_dir.glob("*.lua")}
    assert len(present) >= 30 and {"all.lua", "strings.lua", "goto.lua"} <= present
    listed = [name for name, _ in expected()]
    assert listed, "the expected list is empty: test_pylua_passes would run nothing"
    assert set(listed) <= present, f"unknown files listed: {set(listed) - present}"
    assert len(listed) == len(set(listed)), "a file is listed twice"
    assert set(REFERENCE_PASSES) <= present


@pytest.mark.parametrize("name, timeout", expected(), ids=[n for n, _ in expected()])
def test_pylua_passes(testes_dir: Path, name: str, timeout: float):
    result = oracle.run_official(oracle.PYLUA, testes_dir, name, timeout)
    assert result.returncode == 0 and not result.timed_out, describe(result)


@pytest.mark.parametrize("name", sorted(set(REFERENCE_PASSES) | {n for n, _ in expected()}))
def test_reference_passes(testes_dir: Path, name: str):
    """The harness itself works: Lua 5.4.8 runs each file to a clean exit."""
    result = oracle.run_official(oracle.LUPA, testes_dir, name, REFERENCE_TIMEOUT)
    assert result.returncode == 0 and not result.timed_out, describe(result)


@pytest.mark.parametrize("name", LUA544_PASSES)
def test_lua54_passes(testes_dir: Path, lua54: str, name: str):
    result = oracle.run_official(oracle.LUA54, testes_dir, name, REFERENCE_TIMEOUT)
    assert result.returncode == 0 and not result.timed_out, describe(result)
    assert result.stdout, "lua5.4 printed nothing: the file did not run"


def test_harness_reports_failures(testes_dir: Path):
    """A file that fails is seen to fail, so a green run means something."""
    missing = oracle.run_official(oracle.LUPA, testes_dir, "no_such_test.lua", REFERENCE_TIMEOUT)
    assert missing.returncode == 1 and "no_such_test.lua" in missing.stderr
    broken = oracle.run(oracle.LUPA, ["-e", oracle.OFFICIAL_PRELUDE + " assert(_port and false)"],
                        cwd=testes_dir, timeout=REFERENCE_TIMEOUT)
    assert broken.returncode == 1 and "assertion failed!" in broken.stderr
