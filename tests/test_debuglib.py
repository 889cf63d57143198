"""The debug library against the lua5.4 CLI: getinfo, getlocal/setlocal, upvalues,
hooks and traceback, written so their output does not depend on addresses."""
import pytest

from oracle import PYLUA, run_source

PROGRAMS = {
    "getinfo fields": r"""
        local function f(a, b, ...)
          local info = debug.getinfo(1, "nSlutrf")
          return info.name, info.namewhat, info.what, info.short_src, info.currentline,
                 info.linedefined, info.lastlinedefined, info.nups, info.nparams,
                 info.isvararg, info.istailcall, info.func == f
        end
        print(f(1, 2))
        local t = {m = f}
        print(t.m())
        print(select(2, pcall(f)))
        local function tail() return f() end
        print(tail())
        local c = debug.getinfo(print)
        print(c.what, c.short_src, c.currentline, c.linedefined, c.nups, c.isvararg)
        print(debug.getinfo(1, "S").what, debug.getinfo(100), pcall(debug.getinfo, 1, ">"))
        local lines = {}
        for l in pairs(debug.getinfo(f, "L").activelines) do lines[#lines + 1] = l end
        table.sort(lines) print(table.concat(lines, " "))
    """,
    "locals and varargs": r"""
        local function f(x, y, ...)
          local z = x + y
          local names = {}
          for i = 1, 10 do
            local n, v = debug.getlocal(1, i)
            if not n then break end
            names[#names + 1] = n .. "=" .. (type(v) == "table" and "table" or tostring(v))
          end
          print(table.concat(names, " "))
          print(debug.getlocal(1, -1), debug.getlocal(1, -2), debug.getlocal(1, -3))
          print(debug.setlocal(1, 3, 100), z, debug.setlocal(1, -1, "changed"), ...)
        end
        f(1, 2, "a", "b")
        print(debug.getlocal(f, 1), debug.getlocal(f, 2), debug.getlocal(f, 3))
    """,
    "upvalues": r"""
        local a, b = 1, 2
        local function f() return a + b end
        local function g() return b end
        print(debug.getupvalue(f, 1), debug.getupvalue(f, 2), debug.getupvalue(f, 3))
        print(debug.setupvalue(f, 1, 10), f())
        print(debug.upvalueid(f, 2) == debug.upvalueid(g, 1), debug.upvalueid(f, 1) == debug.upvalueid(g, 1))
        debug.upvaluejoin(f, 1, g, 1)
        print(f(), pcall(debug.upvaluejoin, f, 5, g, 1))
        print(debug.getupvalue(string.gmatch("x", "x"), 1) == "", debug.getupvalue(print, 1))
    """,
    "hooks": r"""
        local events = {}
        local function hook(ev, line) events[#events + 1] = ev .. (line and (":" .. line) or "") end
        local function f(x) return x * 2 end
        debug.sethook(hook, "crl")
        local r = f(21)
        debug.sethook()
        print(r, table.concat(events, " "))
        local n = 0
        debug.sethook(function() n = n + 1 end, "", 10)
        for i = 1, 100 do local _ = i end
        debug.sethook()
        print(n, debug.gethook())
        local co = coroutine.create(function() coroutine.yield() end)
        debug.sethook(co, hook, "c")
        print(debug.gethook(co) == hook, select(2, debug.gethook(co)), debug.gethook())
    """,
    "traceback": r"""
        local function lvl3() return debug.traceback("msg", 1) end
        local function lvl2() return lvl3() .. "" end
        print(lvl2())
        print(debug.traceback("x", 0):match("^x\nstack traceback:\n\t%[C%]: in function 'debug.traceback'") ~= nil)
        print(debug.traceback(42), debug.traceback({}) ~= nil, debug.traceback(nil))
        local co = coroutine.create(function() local x = 1; coroutine.yield(x) end)
        coroutine.resume(co)
        print(debug.traceback(co))
        print(debug.traceback(co, "in co", 1))
        print(xpcall(function() error("deep") end, debug.traceback))
    """,
    "metatables, registry, uservalues": r"""
        debug.setmetatable(10, {__index = function(n, k) return k .. n end})
        print((5).x, debug.getmetatable(1) ~= nil)
        debug.setmetatable(10, nil)
        print(pcall(function() return (5).x end))
        print(type(debug.getregistry()), debug.getuservalue(1), debug.getuservalue(io.stdout, 1))
        print(pcall(debug.setuservalue, 1, 2))
    """,
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_debug_library_matches_lua54(name, tmp_path, lua54):
    src = PROGRAMS[name]
    ours = run_source(PYLUA, src, tmp_path / "pylua", name="dbg.lua")
    ref = run_source((lua54,), src, tmp_path / "lua54", name="dbg.lua")
    assert ref.returncode == 0 and ref.stdout, ref.stderr
    assert (ours.stdout, ours.returncode) == (ref.stdout, ref.returncode)
