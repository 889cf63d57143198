"""Binary chunks: ``pylua.dump`` / ``pylua.undump`` against luac5.4 and Lua 5.4.8.

* chunks written by ``luac5.4`` load and re-dump byte for byte, stripped or not;
* our own compiled functions dump to chunks that reload to the same prototypes, and
  their line information is encoded exactly as lcode.c's ``savelineinfo`` does;
* programs compiled by ``luac5.4`` run under pylua as their source does, and as
  Lua 5.4.8 runs the same chunk;
* every truncation and thousands of random corruptions of 20 real chunks give
  Lua 5.4.8's load error (lupa), never a Python exception, and whatever passes the
  loader's checks runs in the VM without an internal error;
* ``string.dump`` (``pylua.lib.strdump``) behaves as lstrlib.c's ``str_dump``.
"""
from __future__ import annotations

import random
import struct
import subprocess
from pathlib import Path

import pytest

import oracle
from pylua import hooks
from pylua.dump import dump, header, line_deltas
from pylua.errors import LuaError, LuaSyntaxError
from pylua.lib.strdump import add_dump
from pylua.objects import Builtin
from pylua.state import LuaState
from pylua.table import LuaTable
from pylua.undump import undump

CORPUS = sorted((oracle.TESTS_DIR / "lua").glob("*.lua"))

# Our own programs for the chunks that are corrupted and for running luac output
# in-process; they avoid io/os so a corrupted chunk cannot touch files.
PROGRAMS = [
    """local t = {}
for i = 1, 10 do t[i] = i * i end
local s = 0
for _, v in ipairs(t) do s = s + v end
print(s, #t, t[3] // 2, t[4] / 3, -t[5], ~t[6], t[7] % 4, t[8] ^ 0.5)""",
    """local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(15))
local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
print(co(1), co(10))""",
    """local mt = {__add = function(a, b) return a.v + b.v end,
            __index = function(t, k) return k .. "!" end}
local a, b = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
print(a + b, a.foo, a["bar"], rawget(a, "v"))
local s = "abc"
print(s:upper(), #s, s .. 1 .. 2.5, ("x"):byte())""",
    """local function va(...) local n = select("#", ...) return n, ... end
print(va(1, nil, 3))
print(pcall(error, "boom"))
print(pcall(function() local x = nil; return x.y end))
local t = {1, 2, 3, n = 3, [10] = "ten", f = function() return 1 end}
print(t.n, t[10], t.f(), #t, table.concat(t, ","))""",
    """local x <const> = 10
do local y <close> = setmetatable({}, {__close = function() print("closed") end}) end
local acc = {}
for i = 10, 1, -3 do acc[#acc + 1] = i end
print(table.concat(acc, " "))
local i = 0
repeat i = i + 1 until i >= 5
while i > 0 do i = i - 2 if i == 1 then break end end
print(i, x, 1 < 2, 2 <= 1, "a" < "b", 1 == 1.0, 3 ~= 4)
goto done
print("skipped")
::done::
print(math.maxinteger, math.mininteger, 1e308 * 10, -0.0, 0x10, 1 << 62, 7 >> 1, 5 & 3, 5 ~ 3)""",
    """local function counter()
  local c = 0
  return function() c = c + 1; return c end, function() return c end
end
local inc, get = counter()
inc(); inc()
print(get(), tostring(nil), tonumber("0x1p4"), tonumber("  12  "), math.type(1), math.type(1.0))
local t = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v * 2) end,
                            __len = function() return 99 end})
t.a = 4
print(t.a, #t, next({}), type(print))
print(string.format("%5.2f|%d|%s|%q", 3.14159, 42, "hi", "a\\nb"))""",
    """local big = {}
for i = 1, 60 do big[i] = i end
local t2 = {table.unpack(big)}
print(#t2, select(-1, table.unpack(big)))
local s = 0
for k, v in pairs({a = 1, b = 2, c = 3}) do s = s + v end
print(s, math.floor(3.7), math.max(1, 5, 3), math.abs(-3), math.huge, string.sub("hello", 2, -2))
local a, b, c = (function() return 1, 2, 3 end)()
print(a, b, c, (("x"):len()), not nil, nil and 1, false or "d")""",
    """local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
local k = 0
while true do
  local j = k
  fs[#fs + 1] = function() return j * 10 end
  k = k + 1
  if k > 2 then break end
end
local out = {}
for _, f in ipairs(fs) do out[#out + 1] = f() end
print(table.concat(out, " "))""",
    """local s = ""
""" + "\n".join(f"s = s .. '{n}' .. {n}.5  -- line {n}" for n in range(40)) + """



-- lines far apart: absolute line information
""" + "\n" * 300 + """print(#s, s:sub(1, 30))
error("far away")""",
    """local function deep(n) if n == 0 then return 0 end return 1 + deep(n - 1) end
print(deep(100), pcall(deep, 1e7) == false)
local t = setmetatable({}, {__index = function(_, k) return k * 2 end,
                            __call = function(self, x) return x + 1 end})
print(t[21], t(41), rawlen({1, 2}), rawequal(t, t))
print(string.rep("ab", 3, ","), ("%g"):format(1e300 * 1e300), 7 // 0.0, -7 % 3, 2^-1)""",
]


def luac(source: str, tmp_path: Path, strip: bool = False, name: str = "prog.lua") -> str:
    """The chunk luac5.4 makes of ``source`` (compiled as ``@name``)."""
    oracle.ensure_lua54()
    (tmp_path / name).write_bytes(source.encode("latin-1"))
    out = tmp_path / (name + ".out")
    subprocess.run(["luac5.4", *(["-s"] if strip else []), "-o", out.name, name],
                   cwd=tmp_path, check=True)
    return out.read_bytes().decode("latin-1")


def new_state() -> LuaState:
    L = LuaState()
    add_dump(L.globals.get_str("string"), L)
    return L


def run_captured(L: LuaState, source: str) -> str:
    """Run ``source`` in ``L`` collecting what ``print`` writes."""
    out: list[str] = []

    def capture(L, *args):
        out.append("\t".join(L.tostring(a) for a in args) + "\n")
        return []
    L.globals.set_str("print", Builtin(capture, "print"))
    try:
        L.call(L.load(source, "=test"))
    except LuaError as e:
        out.append(f"error: {e}\n")
    return "".join(out)


# ---------------------------------------------------------------- the format

def test_header_is_lua_54():
    h = header()
    assert h[:12] == "\x1bLua\x54\x00\x19\x93\r\n\x1a\n"
    assert h[12:15] == "\x04\x08\x08"
    assert struct.unpack("<qd", h[15:].encode("latin-1")) == (0x5678, 370.5)


def test_header_matches_lua_548(lua_reference):
    chunk = lua_reference.eval("string.dump(function() end)")
    assert chunk.startswith(header())


@pytest.mark.parametrize("strip", [False, True])
def test_luac_chunks_reload_and_redump_identically(tmp_path, strip):
    """undump then dump gives luac's bytes back: every field, lineinfo, sizes."""
    count = 0
    for script in CORPUS:
        try:
            chunk = luac(script.read_text("latin-1"), tmp_path, strip, script.name)
        except subprocess.CalledProcessError:
            continue     # a program about syntax errors
        assert dump(undump(chunk, "=x"), strip) == chunk, script.name
        count += 1
    assert count >= 150


def test_our_dump_equals_luac_where_the_code_is_the_same(tmp_path):
    """Where our compiler produces luac's code and lines, the chunk is luac's."""
    same = 0
    for source in PROGRAMS:
        chunk = luac(source, tmp_path)
        theirs = undump(chunk, "=x")
        ours = new_state().load(source, "@prog.lua").proto
        if _protos_equal(ours, theirs):
            assert dump(ours, False) == chunk
            assert dump(ours, True) == luac(source, tmp_path, strip=True)
            same += 1
    assert same >= 5


def _protos_equal(a, b) -> bool:
    fields = ("source", "linedefined", "lastlinedefined", "numparams", "is_vararg",
              "maxstacksize", "code", "lineinfo", "k")
    if any(getattr(a, f) != getattr(b, f) for f in fields):
        return False
    if [(v.name, v.startpc, v.endpc) for v in a.locvars] != \
            [(v.name, v.startpc, v.endpc) for v in b.locvars]:
        return False
    if [(u.name, u.instack, u.idx, u.kind) for u in a.upvalues] != \
            [(u.name, u.instack, u.idx, u.kind) for u in b.upvalues]:
        return False
    return len(a.p) == len(b.p) and all(map(_protos_equal, a.p, b.p))


def test_line_encoding_follows_savelineinfo():
    """Differences of one signed byte; an absolute entry for big jumps and at least
    every 128 instructions; decoding gives the absolute lines back."""
    source = "local x = 0\n" + "x = x + 1\n" * 300 + "\n" * 500 + "x = x - 1\n" + \
             "local function f()\n\n\n return x\nend\nreturn f"
    p = new_state().load(source, "=lines").proto
    deltas, absolute = line_deltas(p)
    assert all(-128 <= d < 128 for d in deltas)
    abs_pcs = [pc for pc, _ in absolute]
    assert all(deltas[pc] == -128 for pc in abs_pcs)
    assert any(p.lineinfo[pc] - p.lineinfo[pc - 1] > 127 for pc in abs_pcs)
    gaps = [b - a for a, b in zip([-1] + abs_pcs, abs_pcs + [len(deltas)])]
    assert max(gaps) <= 129
    assert undump(dump(p, False), "=x").lineinfo == p.lineinfo


def test_round_trip_keeps_every_field():
    for source in PROGRAMS:
        p = new_state().load(source, "@prog.lua").proto
        assert _protos_equal(undump(dump(p, False), "=x"), p)
        stripped = undump(dump(p, True), "=x")
        assert stripped.source == "=?" and stripped.lineinfo == [] and stripped.locvars == []
        assert stripped.code == p.code and stripped.k == p.k


# ---------------------------------------------------------------- running chunks

@pytest.mark.parametrize("index", range(len(PROGRAMS)))
def test_luac_output_runs_like_lua_548(tmp_path, index):
    """The same luac chunk under pylua and under Lua 5.4.8 prints the same."""
    source = PROGRAMS[index]
    chunk = luac(source, tmp_path)
    (tmp_path / "prog.luac").write_bytes(chunk.encode("latin-1"))
    got = oracle.run(oracle.PYLUA, ["prog.luac"], cwd=tmp_path)
    expected = oracle.run(oracle.LUPA, ["prog.luac"], cwd=tmp_path)
    assert got.observable() == expected.observable()
    assert got.stdout    # the programs print something


@pytest.mark.parametrize("script", CORPUS, ids=lambda s: s.stem)
def test_corpus_runs_the_same_from_luac_output(tmp_path, script):
    """Each corpus program behaves under pylua from its luac chunk as from source."""
    source = script.read_text("latin-1")
    try:
        chunk = luac(source, tmp_path, name=script.name)
    except subprocess.CalledProcessError:
        return      # does not compile: nothing to load
    binary = script.stem + ".luac"
    (tmp_path / binary).write_bytes(chunk.encode("latin-1"))
    from_binary = oracle.run(oracle.PYLUA, [binary], cwd=tmp_path, timeout=120)
    from_source = oracle.run(oracle.PYLUA, [script.name], cwd=tmp_path, timeout=120)
    seen_binary = from_binary.observable()
    seen_binary["stdout"] = seen_binary["stdout"].replace(binary, script.name)   # arg[0]
    assert seen_binary == from_source.observable()


def test_load_of_dumped_functions():
    L = new_state()
    out = run_captured(L, r"""
local up = 5
local function g(a, b) local u = up; return a + b, u end
local sum, first = load(string.dump(g))(1, 2)     -- the first upvalue ('up') gets _ENV
print(sum, first == _G)
sum, first = load(string.dump(g, true))(3, 4)
print(sum, first == _G)
print(#string.dump(g, true) < #string.dump(g))
local env = {}
load(string.dump(load("y = 7")), "dumped", "b", env)()
print(env.y, y)
print(load(string.dump(load("return 1")), "c", "t"))
local f = load(string.dump(function(a) return a + nil end, true))
print(pcall(f, 1))
local info = debug.getinfo(f)
print(info.source, info.short_src, info.currentline, info.linedefined, info.what)
local h = load(string.dump(function(...) local t = {...}; return #t, ... end))
print(h(1, 2, 3))
print(pcall(string.dump, print))
print(pcall(string.dump))
print(select(2, pcall(function() string.dump(nil) end)))
""")
    assert out == (      # as lua5.4 prints it
        "3\ttrue\n7\ttrue\ntrue\n7\tnil\n"
        "nil\tattempt to load a binary chunk (mode is 't')\n"
        "false\t?:-1: attempt to perform arithmetic on a nil value\n"
        "=?\t?\t-1\t13\tLua\n"
        "3\t1\t2\t3\n"
        "false\tunable to dump given function\n"
        "false\tbad argument #1 to 'string.dump' (function expected, got no value)\n"
        "test:21: bad argument #1 to 'dump' (function expected, got nil)\n")


# ---------------------------------------------------------------- bad chunks

def _lupa_loader():
    import lupa.lua54
    # A memory cap keeps corrupted sizes from making Lua touch gigabytes.
    lua = lupa.lua54.LuaRuntime(encoding=None, max_memory=64 << 20)
    load = lua.eval("function(s, name) local f, e = load(s, name, 'b') return e end")

    def message(chunk: str, name: str):
        err = load(chunk.encode("latin-1"), name.encode("latin-1"))
        return None if err is None else err.decode("latin-1")
    return message


def _our_message(chunk: str, name: str):
    try:
        undump(chunk, name)
    except LuaSyntaxError as e:
        return str(e)
    return None


@pytest.mark.parametrize("name", ["=chunk", "@file.luac", "plain", "\x1bLua"])
def test_header_errors_match_lua_548(name):
    theirs = _lupa_loader()
    good = header()
    cases = ["\x1b", "\x1bLu", "\x1bLux", "\x1bLua\x53", "\x1bLua\x54\x01",
             "\x1bLua\x54\x00\x19\x93\r\n\x1a\x0b", "\x1bLua\x54\x00\x19\x93\r\n\x1a\n\x05",
             good[:13] + "\x04", good[:14] + "\x04",
             good[:15] + struct.pack("<q", 0x5679).decode("latin-1"),
             good[:23] + struct.pack("<d", 370.25).decode("latin-1"),
             good + "\x01" + "\xff" * 9, good + "\x01\x80\x80\x80\x80\x80"]
    for i in range(1, len(good)):      # every header byte after the ESC off by one
        cases.append(good[:i] + chr((ord(good[i]) + 1) & 0xFF) + good[i + 1:] + "\x00")
    for chunk in cases:
        expected = theirs(chunk, name)
        assert expected is not None
        assert _our_message(chunk, name) == expected, repr(chunk)


def test_every_truncation_matches_lua_548(tmp_path):
    theirs = _lupa_loader()
    for source in PROGRAMS[:5]:
        for strip in (False, True):
            chunk = luac(source, tmp_path, strip)
            for n in range(1, len(chunk)):
                expected = theirs(chunk[:n], "=cut")
                assert expected == "cut: bad binary format (truncated chunk)"
                assert _our_message(chunk[:n], "=cut") == expected


class _Timeout(BaseException):
    """Ends a long run: not an Exception, so the VM cannot turn it into a Lua error."""


def _instruction_budget(L: LuaState, instructions: int) -> None:
    """A count hook that stops the VM after about ``instructions`` instructions
    (corrupted code may loop forever); it works the same in the compiled VM."""
    left = [instructions // 100]

    def tick(L, *args):
        left[0] -= 1
        if left[0] < 0:
            raise _Timeout()
        return ()
    hooks.set_hook(L.main, Builtin(tick, "budget"), hooks.make_mask("", 100), 100)


def _sandbox(L: LuaState) -> LuaTable:
    """An _ENV for corrupted chunks: no io/os/load, print discards."""
    env = LuaTable()
    G = L.globals
    for name in ("pairs", "type", "tostring", "tonumber", "select", "pcall", "error",
                 "setmetatable", "getmetatable", "rawget", "rawset", "rawlen", "rawequal",
                 "next", "math", "table", "coroutine"):
        env.set_str(name, G.get_str(name))
    env.set_str("print", Builtin(lambda L, *args: [], "print"))
    return env


def test_fuzzed_chunks_fail_as_lua_does_or_run_safely(tmp_path):
    """Random byte changes in 20 real chunks: when Lua 5.4.8 rejects the chunk we give
    its message (memory exhaustion aside, a limit of the host); when we accept it,
    running it never raises a Python exception inside the VM."""
    theirs = _lupa_loader()
    chunks = [luac(source, tmp_path, strip) for source in PROGRAMS for strip in (False, True)]
    assert len(chunks) == 20
    rng = random.Random(5408)
    seen = {"same error": 0, "stricter": 0, "ran": 0}
    for _ in range(3000):
        data = bytearray(rng.choice(chunks).encode("latin-1"))
        for _ in range(rng.randint(1, 3)):
            pos = rng.randrange(1, len(data))     # keep the ESC: a binary chunk
            if rng.random() < 0.5:
                data[pos] = rng.randrange(256)
            else:
                data[pos] ^= 1 << rng.randrange(8)
        chunk = data.decode("latin-1")
        expected = theirs(chunk, "=fz")
        ours = _our_message(chunk, "=fz")
        if expected is not None:
            if expected != "not enough memory":
                assert ours == expected, repr(chunk)
                seen["same error"] += 1
        elif ours is not None:
            assert ours.startswith("fz: bad binary format (")
            seen["stricter"] += 1
        else:
            _run_briefly(chunk)
            seen["ran"] += 1
    assert min(seen.values()) > 100, seen


def _run_briefly(chunk: str) -> None:
    """Run ``chunk`` for a bounded number of steps in a fresh state (an interrupted
    VM is left mid-instruction)."""
    L = LuaState()
    f = L.load(chunk, "=fz", "b", _sandbox(L))
    _instruction_budget(L, 20000)
    try:
        L.call(f)
    except _Timeout:
        pass
    except LuaError as e:
        assert "internal error" not in str(e), repr(chunk)


def test_structurally_invalid_code_is_rejected():
    """Hand-made corruptions that C Lua would execute blindly are refused."""
    from pylua import opcodes as O
    base = new_state().load("local t = {1, 2}\nfor i = 1, 2 do t[i] = i + 1 end\nreturn t",
                            "=v").proto

    def message_after(change) -> str:
        p = undump(dump(base, False), "=v")
        change(p)
        return _our_message(dump(p, False), "=v")

    def set_code(pc, instr):
        return lambda p: p.code.__setitem__(pc, instr)
    code = base.code
    last = len(code) - 1
    assert message_after(lambda p: None) is None
    assert message_after(set_code(0, O.create_ABCk(O.OP_MOVE, 0, 250, 0, 0))) == \
        "v: bad binary format (register out of range)"
    assert message_after(set_code(0, O.create_ABx(O.OP_LOADK, 0, 99))) == \
        "v: bad binary format (constant index out of range)"
    assert message_after(set_code(0, O.create_ABCk(O.OP_GETUPVAL, 0, 7, 0, 0))) == \
        "v: bad binary format (upvalue index out of range)"
    assert message_after(set_code(0, O.create_ABx(O.OP_CLOSURE, 0, 3))) == \
        "v: bad binary format (function index out of range)"
    assert message_after(set_code(0, O.create_sJ(O.OP_JMP, 1000, 0))) == \
        "v: bad binary format (jump out of range)"
    assert message_after(set_code(last, O.create_ABCk(O.OP_MOVE, 0, 0, 0, 0))) == \
        "v: bad binary format (missing final return)"
    assert message_after(set_code(0, 0x7F)) == "v: bad binary format (invalid opcode)"
    newtable = next(pc for pc, i in enumerate(code) if O.get_op(i) == O.OP_NEWTABLE)

    def no_table(p):
        p.code[newtable] = O.create_ABCk(O.OP_LOADTRUE, 0, 0, 0, 0)
        p.code[newtable + 1] = O.create_ABCk(O.OP_LOADTRUE, 1, 0, 0, 0)
    assert message_after(no_table) == \
        "v: bad binary format (list stored into a non-table)"
    forprep = next(pc for pc, i in enumerate(code) if O.get_op(i) == O.OP_FORPREP)
    assert message_after(set_code(forprep, O.create_sJ(O.OP_JMP, 0, 0))) == \
        "v: bad binary format (numeric for loop without preparation)"
    add = next(pc for pc, i in enumerate(code) if O.get_op(i) == O.OP_ADDI)
    assert message_after(set_code(add + 1, O.create_ABCk(O.OP_MOVE, 0, 0, 0, 0))) == \
        "v: bad binary format (arithmetic without metamethod instruction)"


def test_load_takes_any_chunk_starting_with_esc_as_binary():
    """lua_load looks at the first byte only (ldo.c f_parser), so a damaged signature
    is a bad binary chunk, not a text chunk."""
    L = new_state()
    with pytest.raises(LuaSyntaxError) as err:
        L.load("\x1bLux", "=damaged")
    assert str(err.value) == "damaged: bad binary format (not a binary chunk)"
    with pytest.raises(LuaSyntaxError) as err:
        L.load("\x1b", "\x1b")
    assert str(err.value) == "binary string: bad binary format (truncated chunk)"
