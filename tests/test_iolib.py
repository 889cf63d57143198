"""Differential tests of the io library against the lua5.4 oracle.

A test is a list of *steps*; ``run_three_ways`` turns them into a Lua script that it runs
under lua5.4 and under pylua, and also replays them on the library functions alone
through a small fake state, each in a fresh directory holding the same files, then
compares everything written to stdout and stderr and the files left behind (each
step prints its results, so library output and results interleave).
Every call goes through ``pcall``, so errors raised with ``luaL_error`` carry no
position and a bad argument names the function as Lua finds it (``'io.read'``,
``'?'`` for methods reached through a file).

A step is ``(target, callee, *args)``:
* callee ``"io.open"``/``"io.stdout.write"``: a library path; ``"f:read"``: method
  ``read`` of variable ``f`` (which is passed first); ``"it"``: the function held by
  variable ``it``; ``"="``: returns its arguments (to store or show values);
* args are Python values (None, bool, int, float, str, dict -> table) or ``Var``;
* target (or None) names the variable that receives the first result.
"""
from __future__ import annotations

import contextlib
import io
import math
import os
import random
import subprocess
import time
from typing import Any, Iterator, Optional

import pytest

from pylua.errors import ArgError, LuaError
from pylua.lib import iolib, oslib
from pylua.objects import Builtin, Userdata
from pylua.table import LuaTable


class Var:
    def __init__(self, name: str) -> None:
        self.name = name


class FakeState:
    """The parts of ``LuaState`` the io and os libraries use."""

    def __init__(self, stdin: bytes = b"") -> None:
        self.registry = LuaTable()
        self.stdout = io.BytesIO()
        self.stderr = io.BytesIO()
        self.stdin = io.BytesIO(stdin)
        self.globals = LuaTable()
        self.globals.set_str("io", iolib.open(self))
        self.globals.set_str("os", oslib.open(self))
        self.closed = False

    def close(self) -> None:
        """``lua_close`` (os.exit with close = true)."""
        self.closed = True

    def error(self, msg: str, level: int = 1) -> LuaError:
        return LuaError(msg)

    def index(self, obj: Any, key: Any) -> Any:
        if type(obj) is Userdata:
            return obj.meta.get_str("__index").get(key)
        return obj.get(key)

    def setindex(self, obj: Any, key: Any, value: Any) -> None:
        obj.set(key, value)


# ------------------------------------------------------------------ serialising

LUA_PRELUDE = r"""
local V = {}
local function esc(s)
  return (s:gsub("[^%w%p ]", function(c) return "\\" .. c:byte() end))
end
local ser
function ser(v)
  local t = type(v)
  if t == "string" then return '"' .. esc(v) .. '"'
  elseif t == "number" then
    if math.type(v) == "integer" then return "i:" .. v end
    return "f:" .. string.format("%.17g", v)
  elseif t == "userdata" then return tostring(io.type(v))
  elseif t == "function" then return "function"
  elseif t == "table" then
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys)
    local parts = {}
    for i, k in ipairs(keys) do parts[i] = k .. "=" .. ser(v[k]) end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  return tostring(v)
end
local function step(target, f, ...)
  local r = table.pack(pcall(f, ...))
  if not r[1] then print("err", ser(r[2])) return end
  if target then V[target] = r[2] end
  local out = {"ok"}
  for i = 2, r.n do out[i] = ser(r[i]) end
  print(table.concat(out, "\t"))
end
"""

_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _esc(s: str) -> str:
    return "".join(c if (c.isascii() and c.isalnum()) or c in _PUNCT or c == " "
                   else "\\" + str(ord(c)) for c in s)


def ser(L: FakeState, v: Any) -> str:
    t = type(v)
    if t is str:
        return '"' + _esc(v) + '"'
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return f"i:{v}"
    if t is float:
        return "f:" + "%.17g" % v
    if t is Userdata:
        kind = iolib.io_type(L, v)[0]
        return "nil" if kind is None else kind
    if t is LuaTable:
        keys = []
        k = None
        while (item := v.next(k)) is not None:
            k = item[0]
            keys.append(k)
        return "{" + ",".join(f"{k}={ser(L, v.get(k))}" for k in sorted(keys)) + "}"
    if t is Builtin:
        return "function"
    return "nil" if v is None else repr(v)


# ------------------------------------------------------------------ Lua side

def lua_path(name: str) -> str:
    """A library path ("io.stdout") as is, a variable name as ``V.name``."""
    return name if "." in name else f"V.{name}"


def lua_literal(v: Any) -> str:
    if isinstance(v, Var):
        return lua_path(v.name)
    if v is None:
        return "nil"
    if type(v) is bool:
        return "true" if v else "false"
    if type(v) is int:
        return str(v) if v >= 0 else f"({v})"
    if type(v) is float:
        if v != v:        # 0/0 is a NaN with the sign bit set on x86
            return "(0/0)" if math.copysign(1.0, v) < 0 else "(-(0/0))"
        if v in (float("inf"), float("-inf")):
            return "(1/0)" if v > 0 else "(-1/0)"
        return f"({float.hex(v)})"
    if type(v) is str:
        return '"' + "".join(f"\\{ord(c)}" for c in v) + '"'
    if type(v) is dict:
        return "{" + ",".join(f"[{lua_literal(k)}]={lua_literal(x)}" for k, x in v.items()) + "}"
    raise TypeError(v)


def lua_callee(callee: str) -> list:
    if callee == "=":
        return ["function(...) return ... end"]
    if ":" in callee:
        obj, method = callee.split(":")
        return [f"{lua_path(obj)}.{method}", lua_path(obj)]
    return [lua_path(callee)]


def lua_script(steps: list) -> str:
    lines = [LUA_PRELUDE]
    for target, callee, *args in steps:
        parts = ["nil" if target is None else f'"{target}"'] + lua_callee(callee)
        literals = [lua_literal(a) for a in args]
        # past ~250 arguments a call runs out of registers: unpack them from a table
        parts += literals if len(literals) < 200 else \
            [f"table.unpack({{{', '.join(literals)}}}, 1, {len(literals)})"]
        lines.append(f"step({', '.join(parts)})")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ replay side

def py_path(L: FakeState, name: str, variables: dict) -> Any:
    """The value ``lua_path(name)`` denotes."""
    if "." not in name:
        return variables.get(name)
    obj: Any = L.globals
    for key in name.split("."):
        obj = L.index(obj, key)
    return obj


def py_value(L: FakeState, v: Any, variables: dict) -> Any:
    if isinstance(v, Var):
        return py_path(L, v.name, variables)
    if type(v) is dict:
        t = LuaTable()
        for k, x in v.items():
            t.set(py_value(L, k, variables), py_value(L, x, variables))
        return t
    return v


def py_callee(L: FakeState, callee: str, variables: dict) -> tuple:
    """(function, leading arguments)."""
    if callee == "=":
        return Builtin(lambda L, *a: a), ()
    if ":" in callee:
        name, method = callee.split(":")
        obj = py_path(L, name, variables)
        return L.index(obj, method), (obj,)
    return py_path(L, callee, variables), ()


def run_py(steps: list, stdin: bytes) -> tuple:
    """Replay steps on the library functions; return (stdout, stderr)."""
    L = FakeState(stdin)
    variables: dict = {}

    def show(line: str) -> None:
        L.stdout.write(line.encode("latin-1") + b"\n")

    for target, callee, *args in steps:
        fn, lead = py_callee(L, callee, variables)
        values = lead + tuple(py_value(L, a, variables) for a in args)
        try:
            results = fn.fn(L, *values)
        except ArgError as e:
            message = f"bad argument #{e.argno} to '{fn.name}' ({e.msg})"
            show(f"err\t{ser(L, message)}")
            continue
        except LuaError as e:
            show(f"err\t{ser(L, e.value)}")
            continue
        if target is not None:
            variables[target] = results[0] if results else None
        show("\t".join(["ok"] + [ser(L, r) for r in results]))
    iolib.flush_all()
    return L.stdout.getvalue(), L.stderr.getvalue()


def run_three_ways(steps: list, tmp_path: Any, files: Optional[dict] = None,
             stdin: bytes = b"", env: Optional[dict] = None) -> list:
    """Run steps as a script under lua5.4, replayed on the library through the
    fake state, and as a script under pylua, each in its own copy of ``files`` and
    with the extra environment variables ``env``; return for each (stdout, stderr,
    final directory contents)."""
    outputs = []
    script = lua_script(steps)
    for side in ("lua5.4", "replay", "pylua"):
        d = tmp_path / side
        d.mkdir()
        for name, content in (files or {}).items():
            (d / name).write_bytes(content)
        (tmp_path / "in.dat").write_bytes(stdin)
        with chdir(d), environment(env or {}):
            if side == "replay":
                out = run_py(steps, stdin)
            else:
                with open(tmp_path / "in.dat", "rb") as fin:
                    proc = subprocess.run([side, "-e", script], stdin=fin,
                                          capture_output=True, timeout=60)
                out = (proc.stdout, proc.stderr)
        outputs.append(out + (dir_contents(d),))
    return outputs


@contextlib.contextmanager
def chdir(d: Any) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(d)
    try:
        yield
    finally:
        os.chdir(old)


@contextlib.contextmanager
def environment(env: dict) -> Iterator[None]:
    """Extra environment variables (TZ is re-read by the C library: tzset)."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    time.tzset()
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                del os.environ[k]
            else:
                os.environ[k] = v
        time.tzset()


def dir_contents(d: Any) -> dict:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir()) if p.is_file()}


def check(steps: list, tmp_path: Any, files: Optional[dict] = None, stdin: bytes = b"",
          env: Optional[dict] = None) -> str:
    """Assert that the library alone and the whole pylua agree with lua5.4 on
    steps; return the common stdout."""
    lua, replay, pylua = run_three_ways(steps, tmp_path, files, stdin, env)
    for side in (replay, pylua):
        assert side[0].decode("latin-1") == lua[0].decode("latin-1")
        assert side[1] == lua[1]
        assert side[2] == lua[2]
    return lua[0].decode("latin-1")


# ------------------------------------------------------------------ tests

SAMPLE = b"first line\nsecond\n\n  42  -7 0x1F 3.5e2 .5 nan\nlast without newline"


def test_open_modes_and_failures(tmp_path):
    out = check([
        (None, "io.open", "missing.txt"),
        (None, "io.open", "missing.txt", "r+"),
        (None, "io.open", "sample.txt", "rw"),
        (None, "io.open", "sample.txt", "rb+"),
        (None, "io.open", "sample.txt", ""),
        (None, "io.open", "sample.txt", "r+bb"),
        (None, "io.open", "nodir/x.txt", "w"),
        (None, "io.open", ".", "w"),
        (None, "io.open", {}),
        ("f", "io.open", "sample.txt", "rb"),
        (None, "f:read", "a"),
        ("g", "io.open", "new.txt", "w+"),
        (None, "g:write", "abc", 12, -3.25, 1e100, 2**53 + 0.0),
        (None, "g:seek", "set", 1),
        (None, "g:read", "a"),
        (None, "g:close"),
        ("h", "io.open", "new.txt", "a+"),
        (None, "h:read", "l"),
        (None, "h:write", "tail"),
        (None, "h:seek", "set"),
        (None, "h:read", "a"),
        (None, "h:close"),
        ("h", "io.open", "new.txt", "a"),
        (None, "h:write", "!"),
        (None, "h:read", "a"),
        (None, "h:close"),
        ("h", "io.open", "new.txt", "r+"),
        (None, "h:write", "X"),
        (None, "h:close"),
    ], tmp_path, {"sample.txt": SAMPLE})
    assert "No such file or directory" in out and "invalid mode" in out


def test_read_formats(tmp_path):
    check([
        ("f", "io.open", "sample.txt"),
        (None, "f:read"),
        (None, "f:read", "L"),
        (None, "f:read", "*l", "l"),
        (None, "f:read", "n", "n", "n", "n", "n"),
        (None, "f:read", "n"),
        (None, "f:read", 0),
        (None, "f:read", 3, 0, 1000),
        (None, "f:read", 0),
        (None, "f:read", 1),
        (None, "f:read", "a"),
        (None, "f:read", "a", "l"),
        (None, "f:read", "l", "a"),
        (None, "f:read", "x"),
        (None, "f:read", "*"),
        (None, "f:read", {}),
        (None, "f:read", 1.5),
        (None, "f:read", "3"),
        (None, "f:seek", "set", 0),
        (None, "f:read", 5.0, "L"),
        (None, "f:seek", "end", -4),
        (None, "f:read", "l", "l"),
        (None, "f:close"),
        (None, "f:read"),
    ], tmp_path, {"sample.txt": SAMPLE})


NUMERALS = [
    b"12", b"-12", b"+3.25", b"0x10", b"0X1p4", b"-0x.8", b"1e5", b"1E+2x", b"1e", b"e5",
    b".", b"..5", b"- 1", b"0x", b"00012", b"9223372036854775807",
    b"9223372036854775808", b"  \t\n 7", b"0xffffffffffffffff", b"1.5.5",
    b"0" * 199 + b"1", b"0" * 200 + b"1", b"3" * 250, b"", b"abc", b"0x1.8p-1z",
]


@pytest.mark.parametrize("numeral", NUMERALS)
def test_read_number_then_rest(tmp_path, numeral):
    check([
        ("f", "io.open", "n.txt"),
        (None, "f:read", "n"),
        (None, "f:read", "a"),
    ], tmp_path, {"n.txt": numeral + b" tail"})


def test_lines(tmp_path):
    check([
        ("it", "io.lines", "sample.txt"),
        (None, "it"), (None, "it"), (None, "it"), (None, "it"), (None, "it"), (None, "it"),
        (None, "it"),
        ("it", "io.lines", "sample.txt", "n", 4),
        (None, "it"),
        ("f", "io.open", "sample.txt"),
        ("it", "f:lines", "L"),
        (None, "it"),
        (None, "f:close"),
        (None, "it"),
        ("f", "io.open", "sample.txt"),
        ("it", "f:lines", "x"),
        (None, "it"),
        (None, "io.lines", "missing.txt"),
        (None, "io.lines", {}),
        ("it", "io.lines", "."),
        (None, "it"),
        ("it", "io.lines"),
        (None, "it"),
        (None, "it"),
    ], tmp_path, {"sample.txt": SAMPLE}, stdin=b"from stdin\nmore\n")


def test_lines_too_many_formats(tmp_path):
    check([
        ("f", "io.open", "s.txt"),
        (None, "f:lines", *(["l"] * 250)),
        (None, "f:lines", *(["l"] * 251)),
        (None, "io.lines", "s.txt", *(["l"] * 251)),
    ], tmp_path, {"s.txt": b"x\n"})


def test_write_and_results(tmp_path):
    out = check([
        (None, "io.write", "a", 1, 2.5, -0.0, 1e15, 1e16, 2**63 - 1, " \0\255\n"),
        (None, "io.write", float("inf"), float("-inf"), -(float("inf") - float("inf")), "\n"),
        (None, "io.write", {}),
        (None, "io.write", "x", None),
        (None, "io.stdout.write", 3),
        ("f", "io.open", "o.txt", "w"),
        (None, "f:write", "x", Var("f")),
        (None, "f:write"),
        ("r", "io.open", "o.txt"),
        (None, "r:write", "nope", 7),
        (None, "f:close"),
        (None, "f:write", "late"),
        (None, "io.stderr:write", "to stderr\n"),
    ], tmp_path)
    assert "1e+15" in out


def test_seek_and_setvbuf(tmp_path):
    check([
        ("f", "io.open", "sample.txt", "r+"),
        (None, "f:seek"),
        (None, "f:seek", "end"),
        (None, "f:seek", "set", 3),
        (None, "f:read", 2),
        (None, "f:seek", "cur", -1),
        (None, "f:seek", "cur", -100),
        (None, "f:seek", "bogus"),
        (None, "f:seek", "set", 1.5),
        (None, "f:seek", "set", "2"),
        (None, "f:read", "n"),
        (None, "f:seek", "set", 19),
        (None, "f:read", "n"),
        (None, "f:seek"),
        (None, "f:setvbuf", "no"),
        (None, "f:setvbuf", "full", 1024),
        (None, "f:setvbuf", "line"),
        (None, "f:setvbuf", "other"),
        (None, "f:setvbuf"),
        (None, "f:flush"),
        (None, "io.flush"),
        (None, "f:close"),
        (None, "f:seek"),
        (None, "f:setvbuf", "no"),
        (None, "f:flush"),
    ], tmp_path, {"sample.txt": SAMPLE})


def test_close_type_and_defaults(tmp_path):
    check([
        (None, "io.type", Var("nothing")),
        (None, "io.type"),
        (None, "io.type", {}),
        (None, "io.type", Var("nothing")),
        (None, "io.type", "io"),
        (None, "io.close"),
        (None, "io.stdout:close"),
        (None, "io.stderr:close"),
        (None, "io.stdin:close"),
        (None, "io.type", Var("nothing")),
        ("f", "io.open", "a.txt", "w"),
        (None, "io.type", Var("f")),
        (None, "io.close", Var("f")),
        (None, "io.type", Var("f")),
        (None, "io.close", Var("f")),
        (None, "f:close"),
        (None, "io.close", None),
        (None, "io.close", 3),
        (None, "io.stdout.close", 3),
        (None, "io.stdout.read"),
    ], tmp_path)


def test_input_output_redirection(tmp_path):
    check([
        (None, "io.read", "l"),
        (None, "io.read", "n", "l"),
        ("o", "io.output", "out.txt"),
        (None, "io.write", "to file", 1, "\n"),
        (None, "io.output"),
        (None, "io.output", Var("o")),
        (None, "io.close"),
        (None, "io.write", "x"),
        (None, "io.flush"),
        (None, "io.output", Var("o")),
        (None, "io.output", Var("io.stdout")),
        (None, "io.output", {}),
        (None, "io.output", "nodir/out.txt"),
        (None, "io.input", "out.txt"),
        (None, "io.read", "a"),
        (None, "io.read", "a"),
        (None, "io.read"),
        (None, "io.read", "x"),
        ("i", "io.input"),
        (None, "i:close"),
        (None, "io.read"),
        (None, "io.lines"),
        (None, "io.input", Var("i")),
        (None, "io.input", "missing.txt"),
        (None, "io.input", 42),
    ], tmp_path, stdin=b"typed line\n  17 rest\n")


def test_tmpfile_and_popen(tmp_path):
    check([
        ("t", "io.tmpfile"),
        (None, "t:write", "scratch\n", 99),
        (None, "t:seek", "set"),
        (None, "t:read", "a"),
        (None, "t:close"),
        ("p", "io.popen", "printf 'a\\nb'; exit 3"),
        (None, "p:read", "l"),
        (None, "p:read", "a"),
        (None, "p:seek"),
        (None, "p:close"),
        ("p", "io.popen", "cat > piped.txt", "w"),
        (None, "p:write", "through the pipe"),
        (None, "p:close"),
        ("p", "io.popen", "kill -9 $$"),
        (None, "p:close"),
        ("p", "io.popen", "true", "r+"),
        ("p", "io.popen", "true", "rw"),
        ("f", "io.open", "piped.txt"),
        (None, "f:read", "a"),
        (None, "f:close"),
    ], tmp_path)


def test_tostring_and_gc():
    L = FakeState()
    meta = L.registry.get_str("FILE*")
    tostring = meta.get_str("__tostring").fn
    f = iolib.io_tmpfile(L)[0]
    text = tostring(L, f)[0]
    assert text.startswith("file (0x") and text.endswith(")")
    assert meta.get_str("__name") == "FILE*"
    assert meta.get_str("__close").fn(L, f, None) == ()
    assert tostring(L, f) == ("file (closed)",)
    assert meta.get_str("__gc").fn(L, f) == ()
    with pytest.raises(ArgError) as e:
        tostring(L, LuaTable())
    assert e.value.msg == "FILE* expected, got table"


def test_standard_streams_buffering_and_seek():
    """stderr is unbuffered, setvbuf changes when output reaches the stream, a
    pipe refuses to seek as C's does, and a terminal's input flushes stdout first."""
    L = FakeState()
    L.stdout = io.BufferedWriter(io.BytesIO())
    L.stderr = io.BufferedWriter(io.BytesIO())
    read_fd, write_fd = os.pipe()
    master, slave = os.openpty()
    try:
        os.write(master, b"answer\n")
        L.stdin = io.open(slave, "rb", closefd=False)
        lib = iolib.open(L)
        stdout, stderr = lib.get_str("stdout"), lib.get_str("stderr")
        iolib.f_write(L, stderr, "now")
        assert L.stderr.raw.getvalue() == b"now"
        iolib.io_write(L, "held")
        assert L.stdout.raw.getvalue() == b""
        assert iolib.io_read(L) == ("answer",)      # reading a terminal flushed stdout
        assert L.stdout.raw.getvalue() == b"held"
        assert iolib.f_setvbuf(L, stdout, "line") == (True,)
        iolib.io_write(L, "a")
        assert L.stdout.raw.getvalue() == b"held"
        iolib.io_write(L, "b\nc")
        assert L.stdout.raw.getvalue() == b"heldab\nc"
        iolib.f_setvbuf(L, stdout, "no")
        iolib.io_write(L, 1, 2.0)
        assert L.stdout.raw.getvalue() == b"heldab\nc12"
        pipe = iolib._newfile(L, io.open(write_fd, "wb", closefd=False))
        assert iolib.f_seek(L, pipe) == (None, "Illegal seek", 29)
        assert iolib.f_read(L, pipe) == (None, "Bad file descriptor", 9)
    finally:
        for fd in (read_fd, write_fd, master, slave):
            os.close(fd)


# ------------------------------------------------------------------ whole scripts

def run_script(path: str, source: str, tmp_path: Any, stdin: bytes = b"",
               env: Optional[dict] = None) -> list:
    """Run one Lua file under lua5.4 and pylua in fresh directories: for each
    (exit code, stdout, first line of stderr without the program name, files)."""
    outputs = []
    for side, command in (("lua", ["lua5.4"]), ("py", ["pylua"])):
        d = tmp_path / side
        d.mkdir()
        (d / path).write_text(source, encoding="latin-1")
        with environment(env or {}):
            proc = subprocess.run(command + [path], input=stdin, capture_output=True,
                                  cwd=d, timeout=60)
        first = proc.stderr.decode("latin-1").split("\n", 1)[0]
        first = first.split(": ", 1)[-1] if first else first
        outputs.append((proc.returncode, proc.stdout.decode("latin-1"), first,
                        dir_contents(d)))
    return outputs


def check_script(source: str, tmp_path: Any, stdin: bytes = b"",
                 env: Optional[dict] = None) -> tuple:
    """Assert lua5.4 and pylua agree on a whole script; return lua5.4's results."""
    lua, py = run_script("main.lua", source, tmp_path, stdin, env)
    assert py == lua
    return lua


SCRIPT_FILES = r'''
local f = io.open("data.txt", "w")
f:write("alpha\n", 42, " ", 3.5, " ", 1e100, "\n", "beta")
f:close()
for l in io.lines("data.txt") do print(l) end
for a, b in io.lines("data.txt", 1, "l") do io.write(a, "|", b, "\n") end
for l in io.lines("data.txt", "L") do io.write(l) end print()
do
  local g <close> = io.open("data.txt")
  print(g:read("n"), g:read("l"), g:read("n", "n", "n", "l"))
  kept = g
end
print(io.type(kept), tostring(kept))
for l in io.lines("data.txt") do print("only", l) break end
io.write("no newline") print(" then print")
print(io.write("chained "):write("calls\n") == io.stdout)
local g = io.open("data.txt", "r+")
print(g:read("l", "n"), g:seek("cur"), g:seek("set", 1), g:read(2), g:seek("end"))
print(g:write("!") == g, g:seek("set"), g:read("a"))
print(g:setvbuf("no"), g:flush(), g:close(), io.type(g))
local t = io.tmpfile()
t:write("scratch", 1, 2.0)
t:seek("set")
print(t:read("a"), t:close())
local p = io.popen("echo from the shell; exit 5")
print(p:read("l"), p:read("a"), p:close())
io.stderr:write("to stderr\n")
'''

SCRIPT_ERRORS = r'''
local f = io.open("data.txt", "w")
f:write("one\n", "two\n")
f:close()
print(pcall(function() return f:read() end))
print(pcall(function() return f:lines() end))
print(pcall(function() return io.stdout.write(1) end))
print(pcall(function() return io.stdout:seek("bad") end))
print(pcall(function() return io.stdout:setvbuf() end))
print(pcall(function() return io.open("data.txt"):read("x") end))
print(pcall(function() return io.open("data.txt").read(42) end))
print(pcall(function() return io.open("data.txt"):read({}) end))
print(pcall(function() return io.open("data.txt", "rw") end))
print(pcall(function() return io.lines("missing") end))
print(pcall(function() return io.read("x") end))
print(pcall(function() return io.close() end))
print(pcall(function() return io.type() end))
local it = io.lines("data.txt")
print(it(), it(), it())
print(pcall(function() return it() end))
print(io.open("missing.txt"))
print(io.open("data.txt"):write("x"))
io.output("out.txt")
io.write("to a file")
io.close()
print(pcall(function() return io.write("x") end))
io.output(io.stdout)
print(io.open("data.txt"):read("a"))
io.open("data.txt"):lines("l", "x")()
'''

SCRIPT_STDIN = r'''
local a, b = io.read("n", "n")
print(a, b, math.type(a), math.type(b))
print(io.read("L"))
for line in io.lines() do io.write("[", line, "]\n") end
print(io.read("a") == "", io.read("l"), io.read(0))
'''


def test_script_files(tmp_path):
    code, out, err, files = check_script(SCRIPT_FILES, tmp_path)
    assert code == 0 and "from the shell" in out and files["data.txt"].endswith(b"!")


def test_script_errors(tmp_path):
    code, out, err, files = check_script(SCRIPT_ERRORS, tmp_path)
    assert code == 1 and err == "main.lua:29: bad argument #3 to '?' (invalid format)"


def test_script_stdin(tmp_path):
    code, out, err, files = check_script(SCRIPT_STDIN, tmp_path,
                                         stdin=b"12 0x1F\n  next line\nA\nB")
    assert out.startswith("12\t31\tinteger\tinteger\n")


SCRIPT_PCALL_DIRECT = r'''
-- called straight from pcall (a C function) errors carry no position, and a bad
-- argument names the function as package.loaded knows it
local f = io.open("data.txt", "w")
f:close()
print(pcall(f.read, f))
print(pcall(io.write, {}))
print(pcall(io.lines, "missing"))
print(pcall(os.date, "%Q"))
print(pcall(os.time, {year = 2020}))
print(pcall(io.stdout.seek, io.stdout, "bad"))
for l in io.lines("main.lua", "x") do end
'''


def test_script_direct_pcall_and_for_iterator(tmp_path):
    code, out, err, files = check_script(SCRIPT_PCALL_DIRECT, tmp_path)
    assert out.startswith("false\tattempt to use a closed file\n")
    assert err == "main.lua:12: bad argument #2 to 'for iterator' (invalid format)"


def test_read_formats_on_random_contents(tmp_path):
    """Random numeral-like contents read with random format sequences (seeded)."""
    rng = random.Random(5408)
    alphabet = b"0123456789" * 3 + b"abcdefxXpPeE+-. \t\n\r\v"
    formats = ["n", "n", "n", "l", "L", 1, 2, 0, "a"]
    files, steps = {}, []
    for i in range(60):
        name = f"r{i}.txt"
        files[name] = bytes(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        steps.append(("f", "io.open", name))
        for _ in range(rng.randrange(1, 6)):
            steps.append((None, "f:read", *rng.sample(formats, rng.randrange(1, 4))))
        steps.append((None, "f:seek"))
        steps.append((None, "f:close"))
    check(steps, tmp_path, files)
