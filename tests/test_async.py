"""Async host functions and the task library: a Python ``async def`` called from Lua
parks the calling Lua thread while other Lua threads run (scheduler.py)."""
import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pylua import scheduler
from pylua.errors import LuaError
from pylua.objects import Builtin
from pylua.state import LuaState


def make_state() -> tuple:
    """A state with async host functions ``sleep(s)`` (returns "slept", s), ``fail(msg)``
    (raises ValueError) and a sync ``now()``; and the list of its output lines."""
    out = []
    L = LuaState()

    async def sleep(L, seconds=0):
        await asyncio.sleep(seconds)
        return ("slept", seconds)

    async def fail(L, msg="boom"):
        await asyncio.sleep(0)
        raise ValueError(msg)

    def record(L, *args):
        out.append("\t".join(L.tostring(a) for a in args))
        return ()

    L.globals.set_str("sleep", Builtin(sleep, "sleep"))
    L.globals.set_str("fail", Builtin(fail, "fail"))
    L.globals.set_str("print", Builtin(record, "print"))
    return L, out


def run(code: str, *args) -> list:
    L, out = make_state()
    scheduler.run(L, L.load(code, "=test"), args)
    return out


def test_an_async_host_function_is_called_like_any_function():
    assert run("print(sleep(0.01))") == ["slept\t0.01"]
    assert run("local a, b = sleep(); print(a, b)") == ["slept\t0"]
    assert run("print(select('#', sleep(0)))") == ["2"]
    assert run("local t = {sleep(0)}; print(#t, t[1])") == ["2\tslept"]


def test_parking_from_any_depth():
    out = run("""
        local function deep(n) if n == 0 then return (sleep(0)) end return deep(n - 1) .. "" end
        print(deep(50))
        print(pcall(sleep, 0))
        print(pcall(function() return sleep(0) end))
        print(select(2, xpcall(function() return pcall(sleep, 0) end, print)))
        local it = function(_, i) if i < 3 then sleep(0) return i + 1 end end
        for i in it, nil, 0 do print("iter", i) end
        local mt = {}
        mt.__index = function(t, k) return (sleep(0)) .. ":" .. k end
        mt.__add = function(a, b) return select(2, sleep(0.001)) end
        mt.__lt = function(a, b) return sleep(0) == "slept" end
        mt.__concat = function(a, b) return (sleep(0)) end
        mt.__call = function(self, x) return sleep(x) end
        local obj = setmetatable({}, mt)
        print(obj.key, obj + 1, obj < obj, obj .. "x", obj(0))
        local co = coroutine.wrap(function(x)
          local got = sleep(0)
          local back = coroutine.yield(got .. x)
          return sleep(0) .. back
        end)
        print(co("!"), co("?"))
        local co2 = coroutine.create(function() return pcall(sleep, 0) end)
        print(coroutine.resume(co2))
        do
          local v <close> = setmetatable({}, {__close = function() print("closing", (sleep(0))) end})
        end
    """)
    assert out == [
        "slept",
        "true\tslept\t0",
        "true\tslept\t0",
        "true\tslept\t0",
        "iter\t1", "iter\t2", "iter\t3",
        "slept:key\t0.001\ttrue\tslept\tslept\t0",
        "slept!\tslept?",
        "true\ttrue\tslept\t0",
        "closing\tslept",
    ]


def test_parking_inside_a_required_module(tmp_path):
    (tmp_path / "waiter.lua").write_text("local s = sleep(0)\nreturn {got = s, name = ...}\n")
    out = run(f"""
        package.path = {str(tmp_path / '?.lua')!r}
        local m = require "waiter"
        print(m.got, m.name, require "waiter" == m, package.loaded.waiter == m)
    """)
    assert out == ["slept\twaiter\ttrue\ttrue"]


def test_exceptions_become_lua_errors_catchable_by_pcall():
    out = run("""
        print(pcall(fail, "it broke"))
        local ok, e = pcall(function() local x = fail("inner") return x end)
        print(ok, e)
        print(xpcall(fail, function(m) return "handled: " .. m end, "x"))
    """)
    assert out == ["false\tValueError: it broke", "false\tValueError: inner",
                   "false\thandled: ValueError: x"]
    L, _ = make_state()
    with pytest.raises(LuaError) as info:
        scheduler.run(L, L.load("local a = 1\nfail('top')", "=chunk"), (), traceback=True)
    assert info.value.value == "ValueError: top"
    assert "[C]: in function 'fail'" in info.value.traceback
    assert "chunk:2: in main chunk" in info.value.traceback


def test_a_host_function_between_refuses_to_wait_with_a_lua_error():
    out = run("""
        local t = {3, 1, 2}
        print(pcall(table.sort, t, function(a, b) sleep(0) return a < b end))
        print(pcall(string.gsub, "ab", ".", function(c) return (sleep(0)) end))
        print("still running", (sleep(0)))
    """)
    assert out[0] == "false\tattempt to yield across a C-call boundary (an async function called from host code)"
    assert out[1] == out[0]
    assert out[2] == "still running\tslept"


def test_two_hundred_tasks_wait_at_once():
    """The issue's test: 200 Lua tasks each awaiting asyncio.sleep(0.5)."""
    code = """
        local hs = {}
        for i = 1, 200 do hs[i] = task.spawn(function(n) sleep(0.5) return n end, i) end
        local sum = 0
        for i = 1, 200 do sum = sum + hs[i]:join() end
        print(sum)
    """
    start = time.perf_counter()
    assert run(code) == [str(200 * 201 // 2)]
    assert time.perf_counter() - start < 1.5


def test_two_hundred_tasks_wait_inside_coroutines_and_pcall():
    code = """
        local hs = {}
        for i = 1, 200 do
          hs[i] = task.spawn(function(n)
            local co = coroutine.wrap(function()
              local ok, a = pcall(function() return select(2, pcall(sleep, 0.5)) end)
              coroutine.yield(a)
            end)
            return co() .. n
          end, i)
        end
        local all = {task.all(hs)}
        print(#all, all[1], all[200])
    """
    start = time.perf_counter()
    assert run(code) == ["200\tslept1\tslept200"]
    assert time.perf_counter() - start < 1.5


def test_task_library():
    out = run("""
        local h = task.spawn(function(a, b) return a + b, "second" end, 1, 2)
        print(tostring(h):match("^task: ") ~= nil, h:status())
        print(h:join())
        print(task.join(h), h:status())
        print(task.all{function() task.wait(0.02) return 1 end, function() return 2 end})
        print(task.timeout(0.02, function() task.wait(5) return "late" end))
        print(task.timeout(1, function(x) return x end, "early"))
        print(task.race{function() task.wait(1) return "slow" end,
                        function() task.wait(0.01) return "fast" end})
        local bad = task.spawn(function() error("oops") end)
        print(pcall(bad.join, bad))
        print(bad:status())
        print(pcall(task.join, 3))
        print(pcall(task.spawn))
        print(task.wait(0.01) >= 0.01)
    """)
    assert out == [
        "true\tdone", "3\tsecond", "3\tdone", "1\t2", "nil\ttimeout", "early", "fast",
        "false\ttest:11: oops", "error",
        "false\tbad argument #1 to 'task.join' (task expected, got number)",
        "false\tbad argument #1 to 'task.spawn' (function expected, got no value)",
        "true",
    ]


def test_spawn_starts_the_thread_now():
    out = run("""
        local h = task.spawn(function() print("child starts") task.wait(0) print("child ends") end)
        print("parent goes on")
        h:join()
    """)
    assert out == ["child starts", "parent goes on", "child ends"]


def test_cancel_closes_pending_to_be_closed_variables():
    out = run("""
        local h = task.spawn(function()
          local a <close> = setmetatable({}, {__close = function(_, e) print("a closed", e) end})
          local co = coroutine.wrap(function()
            local b <close> = setmetatable({}, {__close = function(_, e) print("b closed", e) end})
            task.wait(10)
          end)
          co()
        end)
        task.wait(0)
        print(task.cancel(h), h:status())
        task.wait(0)
        print(h:status(), pcall(h.join, h))
        print(task.cancel(h))
    """)
    assert out == ["true\trunning", "b closed\ttask cancelled", "a closed\ttask cancelled",
                   "cancelled\tfalse\ttask cancelled", "false"]


def test_a_busy_task_does_not_starve_the_others():
    out = run("""
        local ticks = 0
        local ticker = task.spawn(function()
          for _ = 1, 5 do task.wait(0.001) ticks = ticks + 1 end
        end)
        local busy = task.spawn(function()
          local x, t0 = 0, os.clock()
          while ticks < 5 and os.clock() - t0 < 20 do x = x + 1 end
          return ticks
        end)
        print(busy:join())
    """)
    assert out == ["5"]


def test_yield_at_the_top_of_a_task_is_an_error():
    out = run("""
        local h = task.spawn(function() coroutine.yield(1) end)
        print(pcall(h.join, h))
        print(task.spawn(coroutine.isyieldable):join())
    """)
    assert out == ["false\tattempt to yield from outside a coroutine", "false"]


def test_values_held_only_by_waiting_tasks_stay_alive():
    out = run("""
        local weak = setmetatable({}, {__mode = "v"})
        local h = task.spawn(function()
          local mine = {"kept"}
          weak[1] = mine
          task.wait(0.05)
          return mine[1]
        end)
        task.wait(0)
        collectgarbage()
        print(weak[1] ~= nil, h:join())
    """)
    assert out == ["true\tkept"]


def test_run_async_inside_an_existing_loop_and_sync_run_refuses():
    L, out = make_state()
    f = L.load("local a = sleep(0.01) return a .. '!'", "=x")

    async def main():
        first = await scheduler.run_async(L, f)
        with pytest.raises(RuntimeError, match="use the async API instead"):
            scheduler.run(L, f)
        both = await asyncio.gather(scheduler.run_async(L, f), scheduler.run_async(L, f))
        return first, both

    assert asyncio.run(main()) == (["slept!"], [["slept!"], ["slept!"]])
    assert scheduler.run(L, L.load("return 1 + 1", "=y")) == [2]


def test_the_command_line_runs_tasks_and_reports_unjoined_errors(tmp_path):
    script = tmp_path / "tasks.lua"
    script.write_text("""
        local h = task.spawn(function() task.wait(0.05) return "joined" end)
        task.spawn(function() task.wait(0.01) print("unjoined ran") end)
        task.spawn(function() error("nobody joins me") end)
        print(h:join())
    """)
    proc = subprocess.run([sys.executable, "-m", "pylua", str(script)], capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == ["unjoined ran", "joined"]
    assert "error in a task nobody joined" in proc.stderr and "nobody joins me" in proc.stderr


def test_the_readme_task_example_prints_what_it_says(tmp_path):
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    section = readme[readme.index("## Tasks and async host functions"):]
    code = section[section.index("```lua\n") + 7:section.index("```\n", section.index("```lua"))]
    expected = [line.split("-->")[1].split("(")[0].split() for line in code.splitlines() if "-->" in line]
    script = tmp_path / "example.lua"
    script.write_text(code)
    proc = subprocess.run([sys.executable, "-m", "pylua", str(script)], capture_output=True, text=True)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert [line.split() for line in proc.stdout.splitlines()] == expected
