"""Every program of tests/lua/ and examples/ must behave under pylua exactly as
under Lua 5.4.8.

Each program prints its results; the test runs it under pylua and under the
reference (lupa's Lua 5.4.8 behind a lua.c-style command line, ``tests/lupa_lua.py``)
and compares stdout, the exit status and the first line of stderr (the whole
traceback for programs marked ``-- @traceback``).  A second test runs each program
under Debian's ``lua5.4`` too and requires the two references to agree, which keeps
the corpus deterministic; programs that hit a documented 5.4.4/5.4.8 difference
say so with ``-- @lua54-differs: why`` and are left out of that check only.

Directives, in the program's leading comment lines:
  ``-- @args: a b c``   command-line arguments for the script
  ``-- @traceback``     compare the full stderr, stack traceback included
  ``-- @lua54-differs: reason``
  ``-- @pylua-only: reason``  (examples/) uses pylua's own libraries: not compared
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import oracle

DIRECTIVE = re.compile(r"^--\s*@([\w-]+)(?::\s*(.*))?$")
PYLUA_TIMEOUT = 120
REFERENCE_TIMEOUT = 30


def directives(script: Path) -> dict:
    """The ``-- @name: value`` lines at the top of ``script``."""
    found = {}
    for line in script.read_text("latin-1").splitlines():
        match = DIRECTIVE.match(line.strip())
        if not match:
            break
        found[match.group(1)] = (match.group(2) or "").strip()
    return found


CORPUS = sorted((oracle.TESTS_DIR / "lua").glob("*.lua"))
PROGRAMS = CORPUS + [p for p in sorted((oracle.REPO_ROOT / "examples").glob("*.lua"))
                     if "pylua-only" not in directives(p)]


def render(result: oracle.Result, full_traceback: bool) -> str:
    """One text holding everything compared, so a mismatch shows as a single diff."""
    seen = result.observable(full_traceback)
    status = "timed out" if seen["timed_out"] else f"exit {seen['returncode']}"
    return f"{status}\nstderr: {seen['stderr']}\nstdout:\n{seen['stdout']}"


def run_corpus(interp, script: Path, workdir: Path, timeout: float) -> oracle.Result:
    args = directives(script).get("args", "").split()
    return oracle.run_file(interp, script, workdir, args=args, timeout=timeout)


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 150


def program_id(script: Path) -> str:
    return f"{script.parent.name}/{script.stem}"


@pytest.mark.parametrize("script", PROGRAMS, ids=program_id)
def test_pylua_matches_lua_548(script: Path, tmp_path: Path):
    full = "traceback" in directives(script)
    expected = run_corpus(oracle.LUPA, script, tmp_path / "reference", REFERENCE_TIMEOUT)
    assert not expected.timed_out and (expected.stdout or expected.stderr), "no reference output"
    got = run_corpus(oracle.PYLUA, script, tmp_path / "pylua", PYLUA_TIMEOUT)
    assert render(got, full) == render(expected, full)


AGREEING = [s for s in PROGRAMS if "lua54-differs" not in directives(s)]


@pytest.mark.parametrize("script", AGREEING, ids=program_id)
def test_references_agree(script: Path, tmp_path: Path, lua54: str):
    full = "traceback" in directives(script)
    debian = run_corpus(oracle.LUA54, script, tmp_path / "lua54", REFERENCE_TIMEOUT)
    lupa = run_corpus(oracle.LUPA, script, tmp_path / "lupa", REFERENCE_TIMEOUT)
    assert render(debian, full) == render(lupa, full)


def test_differing_programs_really_differ(tmp_path: Path, lua54: str):
    """A ``@lua54-differs`` mark must stay true, or it hides a usable check."""
    marked = [s for s in PROGRAMS if "lua54-differs" in directives(s)]
    for script in marked:
        full = "traceback" in directives(script)
        debian = run_corpus(oracle.LUA54, script, tmp_path / script.stem / "lua54",
                            REFERENCE_TIMEOUT)
        lupa = run_corpus(oracle.LUPA, script, tmp_path / script.stem / "lupa",
                          REFERENCE_TIMEOUT)
        assert render(debian, full) != render(lupa, full), script.name
