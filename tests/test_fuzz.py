"""Differential fuzzing: pylua.testing's programs run the same under pylua and Lua.

Seeded, so CI sees the same programs every run; bounded, so it takes well under a
minute in pure-Python mode.  The long campaigns run outside the suite
(``pylua fuzz --examples 100000``); what they found is in test_fuzz_regressions.py.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings

from pylua.fuzz import RECURSION_LIMIT, CommandReference, LupaReference, Outcome, run_pylua
from pylua.testing import PRELUDE, lua_expressions, lua_programs, lua_values

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDED = dict(database=None, deadline=None, suppress_health_check=list(HealthCheck),
              phases=[Phase.generate])
SYNTAX_ERROR_MARKS = ("near", "expected", "malformed number", "unfinished")
# pylua's compiler raises the limit this far; hypothesis wants it done before a test
sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))


def pylua_command(*args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run([sys.executable, "-m", "pylua", *args], capture_output=True,
                          text=True, env=env, timeout=600, **kwargs)


def is_syntax_error(outcome: Outcome) -> bool:
    first = (outcome.error or "").split("\n")[0]
    return first.startswith("stdin:") and any(mark in first for mark in SYNTAX_ERROR_MARKS)


def test_programs_are_valid_and_agree_with_lua54(lua54):
    """A few hundred programs: lua5.4 compiles each one, and pylua's output and
    end are the same."""
    reference = CommandReference(lua54)
    ran = []

    @seed(20261121)
    @settings(max_examples=150, **SEEDED)
    @given(lua_programs())
    def check(source):
        theirs = reference.run(source)
        assert not is_syntax_error(theirs), source
        assert not theirs.timed_out
        assert run_pylua(source) == theirs, source
        ran.append(len(source.splitlines()) - PRELUDE.count("\n"))

    check()
    assert len(ran) == 150
    assert sum(ran) / len(ran) > 30       # statements per program: not trivial ones


def test_values_and_expressions_agree_with_lupa():
    """The building blocks: each value shown, each expression under pcall, the
    same as in Lua 5.4.8."""
    reference = LupaReference()

    @seed(7)
    @settings(max_examples=150, **SEEDED)
    @given(lua_values(), lua_expressions())
    def check(value, expr):
        source = f"{PRELUDE}show({value})\nshow(pcall(function() return {expr} end))\n"
        theirs = reference.run(source)
        assert theirs.error is None, source
        assert run_pylua(source) == theirs, source

    check()


def test_fuzz_command_finds_no_difference():
    done = pylua_command("fuzz", "--examples", "50", "--seed", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "50 programs against lua5.4, seed 1" in done.stderr
    assert "no difference: 50 programs in" in done.stderr


def test_fuzz_command_shrinks_an_injected_difference(tmp_path):
    """A reference that prints TRUE for true differs on some programs: the command
    finds one, shrinks it to a statement or two and shows both outputs."""
    wrapper = tmp_path / "loud-lua"
    wrapper.write_text(textwrap.dedent("""\
        #!/bin/sh
        out=$(mktemp)
        lua5.4 "$@" > "$out"; status=$?
        sed 's/true/TRUE/g' "$out"; rm -f "$out"
        exit $status
        """))
    wrapper.chmod(0o755)
    done = pylua_command("fuzz", "--against", str(wrapper), "--examples", "200",
                         "--seed", "3", "--quiet")
    assert done.returncode == 1, done.stderr
    assert "DIFFERENCE found and shrunk" in done.stderr
    program, pylua_part = done.stdout.split("\n-- pylua:\n")
    mine, theirs = pylua_part.split(f"\n-- {wrapper}:\n")
    assert mine.replace("true", "TRUE").strip() == theirs.strip()
    body = program.split("\n")[1 + PRELUDE.count("\n"):]
    assert 1 <= len(body) <= 3, program


def test_a_runaway_program_is_stopped():
    outcome = run_pylua("while true do end", timeout=0.5)
    assert outcome.timed_out and outcome.error is None


def test_outcome_of_an_uncaught_error_is_lua_c_message():
    assert run_pylua("print(1) error('boom')") == Outcome(b"1\n", "stdin:1: boom")
    assert run_pylua("error(setmetatable({}, {__tostring = function() return 'E' end}))") \
        == Outcome(b"", "E")
    assert run_pylua("error({})") == Outcome(b"", "(error object is a table value)")
    assert run_pylua("x = = 1").error == "stdin:1: unexpected symbol near '='"


@pytest.mark.parametrize("source, expected", [
    ("print(1) error('boom', 0)", Outcome(b"1\n", "boom")),
    ("error('ends with a newline\\n')", Outcome(b"", "stdin:1: ends with a newline\n")),
    ("error(setmetatable({}, {__tostring = function() return 'E\\n' end}))", Outcome(b"", "E\n")),
    ("error('cut\\0here')", Outcome(b"", "stdin:1: cut")),       # lua.c prints it with %s
])
def test_reference_outcomes_match_run_pylua(lua54, source, expected):
    assert CommandReference(lua54).run(source) == expected
    assert LupaReference().run(source) == expected
    assert run_pylua(source) == expected


def test_missing_hypothesis_is_explained():
    code = ("import sys; sys.modules['hypothesis'] = None; from pylua.cli import main; "
            "sys.exit(main(['fuzz', '--examples', '1']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    assert done.returncode == 2
    assert "pylua fuzz needs hypothesis: pip install hypothesis" in done.stderr


def test_missing_reference_is_explained():
    done = pylua_command("fuzz", "--against", "no-such-lua", "--examples", "1")
    assert done.returncode == 2
    assert "cannot run the reference 'no-such-lua': no such command" in done.stderr


def test_import_pylua_does_not_import_hypothesis():
    code = "import sys, pylua, pylua.cli, pylua.runtime; print('hypothesis' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    assert done.stdout.strip() == "False", done.stderr
