"""The test harness itself: stderr normalisation, the lupa command line, the
in-process reference and timeouts, each checked against Debian's lua5.4."""
from __future__ import annotations

from pathlib import Path

import oracle


def test_normalize_stderr_program_names():
    for prog in ("lua5.4", "lua", "pylua"):
        text = f"{prog}: x.lua:3: boom\nstack traceback:\n\t[C]: in ?\n"
        assert oracle.normalize_stderr(text) == "lua: x.lua:3: boom"
        assert oracle.normalize_stderr(text, full_traceback=True).startswith(
            "lua: x.lua:3: boom\nstack traceback:")
    assert oracle.normalize_stderr("") == ""


def test_lupa_command_line_matches_lua54(tmp_path: Path, lua54: str):
    source = ("print(arg[-1], arg[-2], arg[0], arg[1], arg[2], select('#', ...), ...)\n"
              "io.write(tostring(x), '\\n')\n"
              "error(setmetatable({}, {__tostring = function() return 'custom' end}))\n")
    results = [oracle.run_source(interp, source, tmp_path / name, args=["a", "b"])
               for name, interp in (("lua54", oracle.LUA54), ("lupa", oracle.LUPA))]
    debian, lupa = results
    assert lupa.returncode == debian.returncode == 1
    assert lupa.error_line() == debian.error_line() == "lua: custom"
    # arg[-1] is the interpreter's own name, which legitimately differs
    assert lupa.stdout.split("\t", 1)[1] == debian.stdout.split("\t", 1)[1]


def test_lupa_command_line_e_chunks_and_traceback(tmp_path: Path, lua54: str):
    args = ["-e", "x = 40", "-e", "error('stop at ' .. x + 2)"]
    debian = oracle.run(oracle.LUA54, args, cwd=tmp_path)
    lupa = oracle.run(oracle.LUPA, args, cwd=tmp_path)
    assert lupa.observable(full_traceback=True) == debian.observable(full_traceback=True)
    assert lupa.error_line() == "lua: (command line):1: stop at 42"


def test_lupa_command_line_syntax_error(tmp_path: Path):
    result = oracle.run_source(oracle.LUPA, "x = = 1\n", tmp_path)
    assert result.returncode == 1
    assert result.stderr == "lua: main.lua:1: unexpected symbol near '='\n"


def test_run_times_out(tmp_path: Path):
    result = oracle.run(oracle.LUA54, ["-e", "while true do end"], cwd=tmp_path, timeout=0.5)
    assert result.timed_out and result.returncode == -9


def test_reference_values(lua_reference: oracle.LuaReference):
    assert lua_reference.results("return 1, 2.5, 'a\\255', nil, true") == [1, 2.5, "a\xff", None, True]
    assert lua_reference.eval("{1, x = {y = 'z'}}") == {1: 1, "x": {"y": "z"}}
    assert lua_reference.eval("math.mininteger // -1") == -2**63
    assert lua_reference.results("return") == []
    cyclic = lua_reference.eval("(function() local t = {} t.self = t return t end)()")
    assert cyclic["self"] is cyclic


def test_reference_errors(lua_reference: oracle.LuaReference):
    assert lua_reference.error("local t = nil; return t.x") == (
        "(load):1: attempt to index a nil value (local 't')")
    assert lua_reference.error("error({code = 7})") == {"code": 7}
    assert lua_reference.error("x = = 1") == "(load):1: unexpected symbol near '='"
    assert lua_reference.error("error('m', 0)", chunkname="=other") == "m"
