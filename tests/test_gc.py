"""Lua's GC semantics (gc.py): weak tables with ephemerons, finalizer order, finalizers
at exit and at os.exit(code, true), compared with the lua5.4 CLI."""
import pytest

from oracle import PYLUA, run_source

PROGRAMS = {
    "weak values and keys": r"""
        local v = setmetatable({}, {__mode = "v"})
        v[1], v[2], v[3] = {}, "a string", 42
        local k = setmetatable({}, {__mode = "k"})
        local keep = {}
        k[keep], k[{}] = 1, 2
        collectgarbage()
        print(v[1], v[2], v[3])
        local n = 0 for _ in pairs(k) do n = n + 1 end
        print(n, k[keep])
    """,
    "ephemerons": r"""
        local e = setmetatable({}, {__mode = "k"})
        local key = {}
        e[key] = {back = key}        -- the value refers to its own key
        collectgarbage()
        print(e[key].back == key)
        key = nil
        collectgarbage()
        print(next(e))
    """,
    "finalizers in reverse order, once": r"""
        local order = {}
        for i = 1, 4 do setmetatable({}, {__gc = function() order[#order + 1] = i end}) end
        collectgarbage()
        collectgarbage()
        print(table.concat(order, " "))
    """,
    "resurrection and weak values": r"""
        local cache = setmetatable({}, {__mode = "v"})
        local saved
        cache.x = setmetatable({name = "obj"}, {__gc = function(o) saved = o end})
        collectgarbage()
        print(cache.x, saved and saved.name)
    """,
    "automatic collection empties a weak table": r"""
        local w = setmetatable({{}}, {__mode = "v"})
        local i = 0
        while w[1] do local t = {i} i = i + 1 end
        print("collected", i > 0)
    """,
    "finalizers at normal exit": r"""
        setmetatable({}, {__gc = function() print("bye") end})
        print("end of chunk")
    """,
    "os.exit with close runs finalizers": r"""
        setmetatable({}, {__gc = function() print("closed") end})
        os.exit(0, true)
    """,
    "os.exit without close does not": r"""
        setmetatable({}, {__gc = function() print("never") end})
        os.exit(3)
    """,
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_gc_semantics_match_lua54(name, tmp_path, lua54):
    src = PROGRAMS[name]
    ours = run_source(PYLUA, src, tmp_path / "pylua")
    ref = run_source((lua54,), src, tmp_path / "lua54")
    assert ref.stdout or ref.returncode
    assert (ours.stdout, ours.returncode) == (ref.stdout, ref.returncode)
