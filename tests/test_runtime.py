"""The Python embedding API (pylua.LuaRuntime, issue #6): conversions both ways,
wrappers of tables, functions and coroutines, errors, async entry points, and the
README's example.  Where lupa (Lua 5.4.8 in C) has the same API, results are
compared with it."""
from __future__ import annotations

import asyncio
import enum
import io
import math
import os
import subprocess
import sys
import time

import lupa.lua54
import pytest

from oracle import REPO_ROOT

import pylua
from pylua import LuaError, LuaRuntime, LuaSyntaxError
from pylua.runtime import LuaFunctionRef, LuaTableRef, LuaThreadRef, LuaUserdataRef


@pytest.fixture
def lua() -> LuaRuntime:
    return LuaRuntime(stdout=io.BytesIO(), stderr=io.BytesIO())


# ---------------------------------------------------------------- Python -> Lua

class Color(enum.IntEnum):
    RED = 7


@pytest.mark.parametrize("value, lua_type", [
    (None, "nil"), (True, "boolean"), (False, "boolean"),
    (0, "integer"), (-5, "integer"), (2**63 - 1, "integer"), (-2**63, "integer"),
    (Color.RED, "integer"), (1.5, "float"), (2.0, "float"), (math.inf, "float"),
    ("", "string"), ("héllo", "string"), (b"\xff\x00", "string"), (bytearray(b"ab"), "string"),
    (print, "function"), (lambda: 1, "function"), (len, "function"),
    ({"a": 1}, "userdata"), ([1, 2], "userdata"), ((1, 2), "userdata"), (object(), "userdata"),
])
def test_python_values_arrive_as_the_documented_lua_type(lua, value, lua_type):
    assert lua.eval("math.type(...) or type(...)", value) == lua_type


def test_python_values_come_back_as_they_were(lua):
    for value in (None, True, False, 0, 2**63 - 1, -2**63, 1.5, -0.0, "", "héllo €",
                  "tab\there\0nul"):
        back = lua.eval("...", value)
        assert back == value and type(back) is type(value)
    assert math.isnan(lua.eval("...", math.nan))
    assert lua.eval("...", Color.RED) == 7 and type(lua.eval("...", Color.RED)) is int


def test_strings_are_encoded_with_the_runtime_encoding(lua):
    assert lua.eval("#...", "é€") == 5                     # UTF-8 bytes
    assert lua.eval("{(...):byte(1, -1)}", "é").to_list() == [0xC3, 0xA9]
    assert lua.eval("{(...):byte(1, -1)}", b"\xe9\x00").to_list() == [0xE9, 0]
    latin = LuaRuntime(encoding="latin-1")
    assert latin.eval("#...", "é") == 1 and latin.eval("'\\xe9'") == "é"


def test_ints_outside_64_bits_are_refused(lua):
    with pytest.raises(OverflowError):
        lua.eval("...", 2**63)
    with pytest.raises(OverflowError):
        lua.globals().x = -2**63 - 1


def test_python_containers_are_opaque_userdata_passed_by_reference(lua):
    d = {"a": 1}
    assert lua.eval("...", d) is d
    assert lua.eval("tostring(...)", d).startswith("python object: 0x")
    lua.globals().keep = d
    assert lua.eval("keep") is d
    assert lua.eval("getmetatable(...)", d) is False           # scripts cannot look inside
    with pytest.raises(LuaError, match="attempt to index a python object value"):
        lua.eval("(...).a", d)


# ---------------------------------------------------------------- Lua -> Python

def test_lua_values_arrive_as_the_documented_python_type(lua):
    assert lua.eval("nil") is None
    assert lua.eval("1 < 2") is True and lua.eval("nil == false") is False
    assert lua.eval("7 // 2") == 3 and type(lua.eval("7 // 2")) is int
    assert lua.eval("7 / 2") == 3.5 and lua.eval("math.huge") == math.inf
    assert lua.eval("math.mininteger") == -2**63
    assert lua.eval("'héllo'") == "héllo"
    assert isinstance(lua.eval("{}"), LuaTableRef)
    assert isinstance(lua.eval("function() end"), LuaFunctionRef)
    assert isinstance(lua.eval("print"), LuaFunctionRef)
    assert isinstance(lua.eval("coroutine.create(print)"), LuaThreadRef)
    assert isinstance(lua.eval("io.stdout"), LuaUserdataRef)


def test_strings_that_do_not_decode_come_back_as_bytes(lua):
    assert lua.eval("'\\xff\\xfe'") == b"\xff\xfe"
    assert lua.eval("string.pack('<i4', -2)") == b"\xfe\xff\xff\xff"
    raw = LuaRuntime(encoding=None)
    assert raw.eval("'abc'") == b"abc" and raw.eval("'é'") == "é".encode()
    assert raw.eval("#...", "é") == 2                          # str still goes as UTF-8
    assert raw.execute(b"return '\xff', #'\xff'") == (b"\xff", 1)   # code as bytes, as is
    assert raw.execute("return 'é'") == "é".encode()          # code as str: UTF-8


@pytest.mark.parametrize("code", [
    "return 1", "return", "return 1, 2.5, 'x', nil, true", "return 2^53", "return 1e308 * 10",
    "return 'a\\0b'", "return math.maxinteger + 1", "return 3 % -2, -3 // 2, 7.0 // 2",
    "return select('#', ...)", "return ...", "return string.format('%q', 1/3)",
    "return #'héllo'", "return tostring(nil), tostring(1e15), tostring(2^63)",
])
def test_execute_results_match_lupa(lua, code):
    ref = lupa.lua54.LuaRuntime()
    assert lua.execute(code, 10, "z") == ref.execute(code, 10, "z")


def test_table_contents_match_lupa(lua):
    code = "return {10, 20, 30, x = 'y', [2.5] = true, [-1] = false}"
    mine, ref = lua.execute(code), lupa.lua54.LuaRuntime().execute(code)
    assert sorted(mine.items(), key=repr) == sorted(ref.items(), key=repr)
    assert len(mine) == len(ref) == 3
    assert sorted(mine, key=repr) == sorted(ref, key=repr)


# ---------------------------------------------------------------- tables

def test_table_indexing_assignment_and_length(lua):
    t = lua.eval("{10, 20, name = 'n'}")
    assert t[1] == 10 and t[2] == 20 and t[3] is None and t["name"] == "n" and t.name == "n"
    t[3] = 30
    t.extra = "e"
    t["é"] = "accent"
    assert lua.eval("(...)[3] + #(...), (...).extra, (...)['é']", t) == (33, "e", "accent")
    del t[3]
    assert len(t) == 2 and 3 not in t and 1 in t and "name" in t and "missing" not in t
    assert t.to_list() == [10, 20]
    assert t.to_dict() == {1: 10, 2: 20, "name": "n", "extra": "e", "é": "accent"}


def test_table_iteration_is_over_keys_in_next_order(lua):
    t = lua.eval("{1, 2, 3, a = 'x'}")
    assert list(t) == list(t.keys()) == [1, 2, 3, "a"]
    assert list(t.values()) == [1, 2, 3, "x"]
    assert list(t.items()) == [(1, 1), (2, 2), (3, 3), ("a", "x")]
    for k in list(t):       # clearing fields while iterating is allowed, as with next
        t[k] = None
    assert list(t) == [] and len(t) == 0


def test_table_access_goes_through_metamethods(lua):
    t = lua.eval("""setmetatable({}, {
        __index = function(t, k) return k .. '!' end,
        __newindex = function(t, k, v) rawset(t, k, v * 2) end,
        __len = function() return 42 end,
        __tostring = function() return 'a proxy' end,
        __call = function(self, a) return a + 1 end})""")
    assert t.anything == "anything!" and t["x"] == "x!"
    t.n = 5
    assert lua.eval("rawget(..., 'n')", t) == 10
    assert len(t) == 42 and str(t) == "a proxy" and t(1) == 2
    bad = lua.eval("setmetatable({}, {__index = function() error('no way') end})")
    with pytest.raises(LuaError, match="no way"):
        bad.x
    odd = lua.eval("setmetatable({}, {__len = function() return 'long' end})")
    with pytest.raises(TypeError, match="not an integer"):
        len(odd)


def test_table_wrappers_compare_by_identity_of_the_lua_table(lua):
    t = lua.eval("{}")
    lua.globals().t = t
    assert lua.eval("t") == t and hash(lua.eval("t")) == hash(t)
    assert lua.eval("{}") != t and t != {}
    assert lua.eval("... == t", t) is True
    assert repr(t).startswith("<Lua table at 0x") and str(t).startswith("table: 0x")


def test_globals_table_and_table_from(lua):
    g = lua.globals()
    assert g.math.pi == math.pi and g["_G"] == g
    g.answer = 42
    assert lua.eval("answer") == 42
    t = lua.table(1, "two", None, 4, k="v")
    assert lua.eval("select('#', ...), (...)[2], (...)[4], (...).k", t) == (1, "two", 4, "v")
    merged = lua.table_from([1, 2], {"a": 1}, (3,))
    assert merged.to_list() == [1, 2, 3] and merged.a == 1
    nested = lua.table_from({"a": {"b": [10, 20]}})
    assert nested.a == {"b": [10, 20]} and lua.eval("type((...).a)", nested) == "userdata"
    deep = lua.table_from({"a": {"b": [10, 20]}}, recursive=True)
    assert lua.eval("(...).a.b[2] + #(...).a.b", deep) == 22


def test_table_from_keeps_shared_and_cyclic_structure(lua):
    shared = [1]
    cyclic = {"shared": shared, "again": shared}
    cyclic["self"] = cyclic
    t = lua.table_from(cyclic, recursive=True)
    assert lua.eval("(...).self == ... and (...).shared == (...).again", t) is True
    with pytest.raises(ValueError, match="table index is nil"):
        lua.table_from({None: 1})
    with pytest.raises(ValueError, match="NaN"):
        lua.table_from({math.nan: 1})


def test_wrappers_belong_to_their_runtime(lua):
    other = LuaRuntime()
    with pytest.raises(ValueError, match="another LuaRuntime"):
        lua.eval("...", other.eval("{}"))


# ---------------------------------------------------------------- functions

def test_lua_functions_are_callable_with_lupa_like_results(lua):
    f = lua.eval("function(...) return ... end")
    assert f() is None and f(1) == 1 and f(1, None, "x") == (1, None, "x")
    assert lua.eval("string.rep")("ab", 3) == "ababab"
    assert lua.eval("...", f) == f
    assert lua.eval("... == f", f) is False and lua.eval("(...)(5)", f) == 5


def test_python_callables_get_converted_arguments_and_give_results(lua):
    seen = []

    def record(*args):
        seen.append(args)
        return tuple(reversed(args))

    lua.globals().record = record
    res = lua.execute("return record(1, 'é', nil, {}, 2.5)")
    assert res[0] == 2.5 and isinstance(res[1], LuaTableRef) and res[2:] == (None, "é", 1)
    assert seen[0][:3] == (1, "é", None) and seen[0][3] == res[1] and seen[0][4] == 2.5
    lua.globals().none = lambda: None
    lua.globals().one = lambda: [1, 2]
    assert lua.eval("select('#', none())") == 1                    # None is one nil
    assert lua.eval("type(one())") == "userdata"                   # a list is one value
    assert lua.eval("...", record) is record                       # the same callable back
    assert LuaRuntime.lua_version == (5, 4) == lupa.lua54.LuaRuntime().lua_version
    assert lua.eval("type(...)", Color) == "function"              # classes too
    assert lua.eval("(...)(7)", Color) == 7 and lua.eval("math.type((...)(7))", Color) == "integer"


def test_nested_calls_between_python_and_lua(lua):
    lua.globals().py_fact = lambda n: 1 if n <= 1 else n * lua.globals().lua_fact(n - 1)
    lua.execute("function lua_fact(n) if n <= 1 then return 1 end return n * py_fact(n - 1) end")
    assert lua.eval("lua_fact(20)") == math.factorial(20)
    lua.globals().py_eval = lambda code: lua.eval(code)
    assert lua.eval("py_eval('py_eval(\"6 * 7\")')") == 42


def test_python_exceptions_become_lua_errors_with_a_message(lua):
    def fail(x):
        raise ValueError(f"bad value {x}")

    lua.globals().fail = fail
    assert lua.execute("return pcall(fail, 1)") == (False, "ValueError: bad value 1")
    assert lua.execute("local ok, e = pcall(function() fail(2) end) return e") == \
        '[string "local ok, e = pcall(function() fail(2) end) r..."]:1: ValueError: bad value 2'
    with pytest.raises(LuaError) as info:
        lua.execute("fail(3)")
    assert str(info.value) == '[string "fail(3)"]:1: ValueError: bad value 3'


def test_uncaught_python_exception_is_the_cause_of_the_lua_error(lua):
    def fail():
        raise ValueError("bad")

    lua.globals().fail = fail
    lua.globals().async_fail = _async_fail
    for code in ("fail()", "async_fail('z')"):
        with pytest.raises(LuaError) as info:
            lua.execute(code)
        assert isinstance(info.value.__cause__, (ValueError, KeyError)), code


def test_lua_errors_raised_in_python_carry_any_value(lua):
    def fail():
        raise LuaError({"code": 7})

    lua.globals().fail = fail
    lua.globals().fail_table = lambda: (_ for _ in ()).throw(LuaError(lua.table(code=8)))
    assert lua.execute("local ok, e = pcall(fail) return type(e)") == "userdata"
    assert lua.execute("local ok, e = pcall(fail_table) return e.code") == 8
    with pytest.raises(LuaError) as info:
        lua.execute("fail_table()")
    assert info.value.value.code == 8


def test_keyboard_interrupt_is_not_turned_into_a_lua_error(lua):
    def interrupt():
        raise KeyboardInterrupt

    lua.globals().interrupt = interrupt
    with pytest.raises(KeyboardInterrupt):
        lua.execute("pcall(interrupt)")
    assert lua.eval("1 + 1") == 2                                  # still usable


# ---------------------------------------------------------------- errors

def test_lua_errors_carry_message_and_traceback(lua):
    with pytest.raises(LuaError) as info:
        lua.execute("local function inner() error('oops é') end\ninner()")
    e = info.value
    assert e.value == str(e) == '[string "local function inner() error(\'oops é\') end..."]:1: oops é'
    assert e.traceback.startswith("stack traceback:\n\t[C]: in function 'error'")
    assert "in local 'inner'" in e.traceback and "in main chunk" in e.traceback
    ref = lupa.lua54.LuaRuntime()
    with pytest.raises(lupa.lua54.LuaError) as lupa_info:
        ref.execute("local function inner() error('oops') end\ninner()")
    assert str(lupa_info.value).split(":", 2)[2].startswith(" oops")


def test_error_values_that_are_not_strings(lua):
    with pytest.raises(LuaError) as info:
        lua.execute("error({code = 42})")
    assert isinstance(info.value.value, LuaTableRef) and info.value.value.code == 42
    with pytest.raises(LuaError) as info:
        lua.execute("error()")
    assert info.value.value is None and str(info.value) == "nil"


def test_syntax_errors_raise_lua_syntax_error(lua):
    with pytest.raises(LuaSyntaxError) as info:
        lua.execute("x = = 1")
    assert str(info.value) == "[string \"x = = 1\"]:1: unexpected symbol near '='"
    assert isinstance(info.value, LuaError)
    with pytest.raises(LuaSyntaxError, match="near <eof>"):
        lua.eval("1 +")


def test_runtime_errors_have_lua_messages(lua):
    with pytest.raises(LuaError, match=r"attempt to call a nil value \(global 'nope'\)"):
        lua.execute("nope()")
    with pytest.raises(LuaError, match="attempt to perform arithmetic on a nil value"):
        lua.eval("... + 1", None)


# ---------------------------------------------------------------- files, modules

def test_load_file_compiles_without_running(lua, tmp_path):
    path = tmp_path / "mod.lua"
    path.write_text("#!/usr/bin/env lua\ncount = (count or 0) + 1\nreturn ..., count\n")
    f = lua.load_file(path)
    assert isinstance(f, LuaFunctionRef) and lua.eval("count") is None
    assert f("arg") == ("arg", 1) and f() == (None, 2)
    with pytest.raises(LuaError, match="cannot open"):
        lua.load_file(tmp_path / "missing.lua")
    (tmp_path / "bad.lua").write_text("\nlocal = 1\n")
    with pytest.raises(LuaSyntaxError, match=r"bad\.lua:2: <name> expected near '='"):
        lua.load_file(str(tmp_path / "bad.lua"))
    with pytest.raises(LuaError, match=r"mod2\.lua:1: boom"):
        (tmp_path / "mod2.lua").write_text("error('boom')")
        lua.load_file(tmp_path / "mod2.lua")()


def test_require_and_compile(lua, tmp_path):
    (tmp_path / "greeting.lua").write_text("return {hello = function(n) return 'hi ' .. n end}")
    lua.globals().package.path = str(tmp_path / "?.lua")
    mod = lua.require("greeting")
    assert mod.hello("you") == "hi you" and lua.require("greeting") == mod
    assert lua.require("string").rep("-", 3) == "---"
    with pytest.raises(LuaError, match="module 'nowhere' not found"):
        lua.require("nowhere")
    chunk = lua.compile("return 1 + ...")
    assert chunk(1) == 2 and chunk(2) == 3


# ---------------------------------------------------------------- coroutines

def test_function_coroutine_iterates_like_a_generator(lua):
    gen = lua.eval("function(a) coroutine.yield(a) coroutine.yield(a + 1, 'x') return 'end' end")
    co = gen.coroutine(10)
    assert co.status == "suspended"
    assert next(co) == 10 and co.send("ignored") == (11, "x")
    with pytest.raises(StopIteration) as stop:
        next(co)
    assert stop.value.value == "end" and co.status == "dead"
    assert list(gen.coroutine(1)) == [1, (2, "x")]


def test_coroutines_receive_sent_values_and_report_errors(lua):
    acc = lua.eval("""coroutine.create(function(total)
        while true do total = total + coroutine.yield(total) end end)""")
    assert [acc.send(v) for v in (1, 2, 3)] == [1, 3, 6]
    broken = lua.eval("function() coroutine.yield(1) error('inside') end").coroutine()
    assert next(broken) == 1
    with pytest.raises(LuaError, match="inside"):
        next(broken)


# ---------------------------------------------------------------- output streams

def test_output_goes_to_the_given_binary_streams():
    out, err = io.BytesIO(), io.BytesIO()
    lua = LuaRuntime(stdout=out, stderr=err)
    lua.execute("print('a', 1, nil) io.write('b\\n') warn('@on') warn('careful')")
    assert out.getvalue() == b"a\t1\tnil\nb\n" and err.getvalue() == b"Lua warning: careful\n"


def test_default_output_follows_python_stdout_in_order(capsys):
    lua = LuaRuntime()
    print("python first")
    lua.execute("print('lua second') io.write('é\\n')")
    print("python third")
    lua.execute("io.stderr:write('to stderr\\n')")
    captured = capsys.readouterr()
    assert captured.out == "python first\nlua second\né\npython third\n"
    assert captured.err == "to stderr\n"


def test_default_output_reaches_redirections():
    import contextlib
    buf = io.StringIO()
    lua = LuaRuntime()
    with contextlib.redirect_stdout(buf):
        lua.execute("print('captured') io.write('\\xff\\n')")
    assert buf.getvalue() == "captured\n\ufffd\n"


# ---------------------------------------------------------------- async

async def _sleep_echo(seconds, *values):
    await asyncio.sleep(seconds)
    return values


async def _async_fail(message):
    await asyncio.sleep(0)
    raise KeyError(message)


def test_sync_execute_awaits_async_python_functions(lua):
    lua.globals().sleep_echo = _sleep_echo
    lua.globals().async_fail = _async_fail
    assert lua.execute("return sleep_echo(0.01, 'a', 2)") == ("a", 2)
    assert lua.eval("sleep_echo(0)") is None
    assert lua.execute("return pcall(async_fail, 'k')") == (False, "KeyError: 'k'")
    with pytest.raises(LuaError, match=r'\[string "async_fail\(\'z\'\)"\]:1: KeyError'):
        lua.execute("async_fail('z')")


def test_async_twins_inside_a_running_loop(lua):
    lua.globals().sleep_echo = _sleep_echo

    async def main():
        f = await lua.eval_async("function(x) return sleep_echo(0.01, x * 2) end")
        return (await lua.execute_async("return sleep_echo(0.01, ...)", "x"),
                await lua.eval_async("sleep_echo(0, 1, 2)"),
                await f.call_async(21))

    assert asyncio.run(main()) == ("x", (1, 2), 42)


def test_async_twins_raise_lua_errors(lua):
    async def main():
        with pytest.raises(LuaError, match="bad") as info:
            await lua.execute_async("local x = 1\nerror('bad')")
        assert "in main chunk" in info.value.traceback
        with pytest.raises(LuaSyntaxError):
            await lua.eval_async("1 1")

    asyncio.run(main())


def test_sync_api_inside_a_running_loop_is_a_clear_error(lua):
    f = lua.eval("function() return 1 end")

    async def main():
        for call, message in (
                (lambda: lua.execute("return 1"), r"LuaRuntime\.execute\(\) cannot run inside a "
                 r"running asyncio event loop .*: use 'await runtime\.execute_async\(\.\.\.\)'"),
                (lambda: lua.eval("1"), r"use 'await runtime\.eval_async\(\.\.\.\)'"),
                (lambda: lua.require("string"), r"use 'await runtime\.eval_async\('require"),
                (f, r"Calling a Lua function cannot run .* 'await function\.call_async\(\.\.\.\)'")):
            with pytest.raises(RuntimeError, match=message):
                call()
        return lua.globals().math.pi        # indexing never waits: allowed

    assert asyncio.run(main()) == math.pi


def test_sync_python_function_may_call_lua_inside_the_async_api(lua):
    lua.globals().double = lambda x: lua.eval("... * 2", x)
    lua.globals().sleep_echo = _sleep_echo

    async def main():
        return await lua.execute_async("local x = sleep_echo(0, 5) return double(x)")

    assert asyncio.run(main()) == 10


def test_async_function_under_a_nested_sync_call_is_an_error_not_a_hang(lua, recwarn):
    lua.globals().sleep_echo = _sleep_echo
    lua.globals().inner = lambda: lua.eval("sleep_echo(0, 1)")
    ok, message = lua.execute("return pcall(inner)")
    assert not ok and "attempt to yield across a C-call boundary" in message
    assert not [w for w in recwarn if "never awaited" in str(w.message)]


def test_async_functions_from_coroutines_pcall_and_metamethods(lua):
    lua.globals().sleep_echo = _sleep_echo
    code = """
        local gen = coroutine.wrap(function()
            coroutine.yield(sleep_echo(0, 'in wrap'))
            coroutine.yield(select(2, pcall(sleep_echo, 0, 'in pcall')))
        end)
        local lazy = setmetatable({}, {__index = function(_, k) return sleep_echo(0, k) end})
        return gen(), gen(), lazy.field
    """
    assert lua.execute(code) == ("in wrap", "in pcall", "field")
    assert asyncio.run(lua.execute_async(code)) == ("in wrap", "in pcall", "field")


def test_async_python_function_may_call_lua_again(lua):
    lua.globals().sleep_echo = _sleep_echo

    async def tenfold(x):
        return await lua.eval_async("sleep_echo(0.01, ...) * 10", x)

    lua.globals().tenfold = tenfold
    assert lua.eval("tenfold(4)") == 40

    async def main():
        return await asyncio.gather(*(lua.eval_async("tenfold(...) + 1", i) for i in range(5)))

    assert asyncio.run(main()) == [1, 11, 21, 31, 41]


def test_many_lua_tasks_wait_concurrently(lua):
    lua.globals().sleep_echo = _sleep_echo
    start = time.perf_counter()
    n = lua.execute("""
        local handles = {}
        for i = 1, 200 do handles[i] = task.spawn(sleep_echo, 0.3, i) end
        local sum = 0
        for i = 1, 200 do sum = sum + handles[i]:join() end
        return sum""")
    assert n == 200 * 201 // 2 and time.perf_counter() - start < 1.0


def test_concurrent_async_calls_on_one_runtime(lua):
    lua.globals().sleep_echo = _sleep_echo

    async def main():
        return await asyncio.gather(*(lua.eval_async("sleep_echo(0.2, ...)", i)
                                      for i in range(50)))

    start = time.perf_counter()
    assert asyncio.run(main()) == list(range(50))
    assert time.perf_counter() - start < 1.0


# ---------------------------------------------------------------- package surface

def test_import_pylua_stays_cheap_and_exports_lazily():
    code = ("import sys, pylua; lazy = {'pylua.runtime', 'asyncio', 'pylua.state'}\n"
            "print(sorted(lazy & set(sys.modules)))\n"
            "print(pylua.LuaRuntime.__name__, pylua.LuaError is pylua.errors.LuaError)\n"
            "print('asyncio' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)), timeout=60)
    assert r.stdout.splitlines() == ["[]", "LuaRuntime True", "False"], r.stderr
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        pylua.nothing


def test_readme_example_runs_as_written():
    r = subprocess.run([sys.executable, str(REPO_ROOT / "examples" / "embed.py")],
                       capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "hello, Lua", "144", "12", "[1, 2, 3]", "[string \"error('boom')\"]:1: boom",
        "<page of a.org>", "<page of b.org><page of c.org>"]
    readme = (REPO_ROOT / "README.md").read_text()
    example = (REPO_ROOT / "examples" / "embed.py").read_text()
    body = example.split('"""', 2)[2].strip()      # all but the module docstring
    assert body.startswith("import asyncio") and f"```python\n{body}\n```" in readme


def test_module_docstring_example():
    import doctest
    import pylua.runtime
    results = doctest.testmod(pylua.runtime)
    assert results.attempted == 5 and results.failed == 0
