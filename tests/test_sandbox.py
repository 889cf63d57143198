"""The sandbox (pylua/sandbox.py): hostile scripts fail with the expected Lua error and
the host keeps working; whitelisted functions still work, as in lua5.4.

The corpus of escape attempts is ``tests/hostile/escape_*.lua``: each starts with
``-- expect: TEXT`` and must end in a Lua error whose message contains TEXT, in a
sandbox whose ``allowed_tools`` is ``["calculator"]``, run in a directory holding a
module ``evil.lua`` that creates ``pwned`` (which must never appear).
"""
from __future__ import annotations

import io
import re
import shlex
import sys
import time
from pathlib import Path

import pytest

import oracle
from pylua import LuaRuntime, scheduler
from pylua.config import ConfigError, SecurityConfig
from pylua.errors import LuaError
from pylua.frame import LuaThread
from pylua.objects import Builtin, LuaFunction, Special, Userdata
from pylua.sandbox import MCP_SERVER, TOOL, WHITELIST, check_tool, make_sandbox
from pylua.state import LuaState
from pylua.table import LuaTable

HOSTILE = Path(__file__).resolve().parent / "hostile"
ESCAPES = sorted(HOSTILE.glob("escape_*.lua"))
DOC = Path(__file__).resolve().parent.parent / "docs" / "sandbox.md"
EVIL_MODULE = 'local f = io.open("pwned", "w") f:write("pwned") f:close() return {}\n'
LUA_TYPES = (type(None), bool, int, float, str, LuaTable, LuaFunction, Builtin, Special,
             Userdata, LuaThread)
SECURITY = SecurityConfig(allowed_tools=["calculator"])


def sandboxed(security: SecurityConfig = SECURITY) -> LuaState:
    L = LuaState(stdout=io.BytesIO(), stderr=io.BytesIO())
    make_sandbox(L, security)
    return L


def run(L: LuaState, code: str, name: str = "=test") -> tuple:
    """``(ok, results or the error message)`` of a chunk run in ``L``."""
    try:
        f = L.load(code, name)
    except LuaError as e:
        return False, e.value
    ok, res = scheduler.run_protected(L, f)
    return (True, res) if ok else (False, res.value)


def expectation(path: Path) -> str:
    first = path.read_text(encoding="latin-1").split("\n", 1)[0]
    m = re.fullmatch(r"-- expect: (.+)", first)
    assert m, f"{path.name}: the first line must be '-- expect: TEXT'"
    return m[1]


def host_still_works(L: LuaState) -> None:
    assert run(L, "return string.format('%d %s', 6 * 7, ('ok'):upper())") == (True, ["42 OK"])
    assert LuaRuntime().eval("1 + 1") == 2


# ---------------------------------------------------------------- the corpus

def test_the_corpus_is_large():
    assert len(ESCAPES) >= 50


@pytest.mark.parametrize("path", ESCAPES, ids=lambda p: p.stem[len("escape_"):])
def test_escape_is_refused(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "evil.lua").write_text(EVIL_MODULE)
    L = sandboxed()
    ok, err = run(L, path.read_text(encoding="latin-1"), "@" + path.name)
    assert not ok, f"{path.name} ran to its end"
    assert type(err) is str and expectation(path) in err, err
    assert not (tmp_path / "pwned").exists()
    host_still_works(L)


def emulation_prelude() -> str:
    """Lua code that makes lua5.4 a sandbox as make_sandbox does (the whitelist,
    package.loaded, the searchers, load and collectgarbage): the escapes that involve
    no llm must fail there with the same message."""
    names = ", ".join(f'"{n}"' for n in WHITELIST)
    return f"""do
  local allowed, done = {{}}, {{}}
  for _, n in ipairs({{"arg", {names}}}) do allowed[n] = true end
  local function below(path)
    for n in pairs(allowed) do if n:sub(1, #path + 1) == path .. "." then return true end end
  end
  local function keep_only(t, prefix)
    done[t] = true
    local keys = {{}}
    for k in pairs(t) do keys[#keys + 1] = k end
    for _, k in ipairs(keys) do
      local path, v = prefix .. k, t[k]
      if not allowed[path] then
        if type(v) == "table" and below(path) then
          if not done[v] then keep_only(v, path .. ".") end
        else t[k] = nil end
      end
    end
  end
  keep_only(_G, "")
  for name, lib in pairs(package.loaded) do
    if name ~= "_G" and _G[name] ~= lib then package.loaded[name] = nil end
  end
  package.searchers = {{package.searchers[1]}}
  local load0 = load
  load = function(chunk, name, mode, ...)
    return load0(chunk, name, (mode or "bt"):gsub("b", ""), ...)
  end
  collectgarbage = function(option)
    option = option or "collect"
    if option ~= "count" then
      error("bad argument #1 to 'collectgarbage' (option '" .. option ..
            "' is not allowed in the sandbox (only \\"count\\" is))", 2)
    end
    return 1
  end
end"""


def test_escapes_fail_as_in_lua54_with_the_same_sandbox(tmp_path, lua54):
    """The messages are Lua's own: lua5.4 pruned the same way says the same."""
    prelude = emulation_prelude()
    compared = 0
    for path in ESCAPES:
        source = path.read_text(encoding="latin-1")
        if re.search(r"\b(llm|Agent|task)\b", source):     # pylua's own libraries
            continue
        work = tmp_path / path.stem
        work.mkdir()
        (work / "evil.lua").write_text(EVIL_MODULE)
        ours = oracle.run_source((*oracle.PYLUA, "--sandbox"), source, work, path.name)
        theirs = oracle.run(("lua5.4", "-e", prelude), [path.name], cwd=work)
        assert ours.returncode == theirs.returncode == 1, (path.name, ours, theirs)
        assert ours.error_line() == theirs.error_line(), path.name
        assert not (work / "pwned").exists()
        compared += 1
    assert compared >= 35


def test_escape_through_the_command_line(tmp_path):
    (tmp_path / "evil.lua").write_text(EVIL_MODULE)
    r = oracle.run_source((*oracle.PYLUA, "--sandbox"), 'os.execute("touch pwned")\n', tmp_path)
    assert r.returncode == 1
    assert r.error_line() == "lua: main.lua:1: attempt to call a nil value (field 'execute')"
    r = oracle.run_source((*oracle.PYLUA, "--sandbox"), 'require("evil")\n', tmp_path)
    assert r.returncode == 1 and "module 'evil' not found" in r.stderr
    assert not (tmp_path / "pwned").exists()


# ---------------------------------------------------------------- nothing but Lua values

def reachable_functions(L: LuaState) -> dict:
    """path -> every function reachable from the globals and the string metatable
    (through tables and metatables)."""
    found, seen = {}, set()

    def walk(v, path):
        if id(v) in seen:
            return
        seen.add(id(v))
        if type(v) in (Builtin, Special, LuaFunction):
            found[path] = v
        meta = getattr(v, "meta", None) if type(v) in (LuaTable, Userdata) else None
        if meta is not None:
            walk(meta, path + "<meta>")
        if type(v) is LuaTable:
            entry = v.next(None)
            while entry is not None:
                walk(entry[1], f"{path}.{entry[0]}" if path else str(entry[0]))
                entry = v.next(entry[0])

    walk(L.globals, "")
    walk(L.string_meta, "(string metatable)")
    return found


OBJECTS = """
local agent = llm.agent.new{provider = {type = "mock"}}
local spell = Agent.create{model = "mock"}
return {agent = agent, spell = spell, stream = agent:stream("hi"),
        spell_stream = spell:stream_execute{text = "hi"},
        workflow = llm.workflow.sequential{agents = {agent}},
        spell_workflow = Workflow.sequential{agents = {spell}},
        media = llm.media.image("\\x89PNG\\r\\n\\x1a\\n" .. string.rep("\\0", 30)),
        task = task.spawn(function() end), null = llm.json.null,
        array = llm.json.array{}, co = coroutine.create(print), wrapped = coroutine.wrap(print)}
"""


def test_library_functions_hand_out_only_lua_values():
    """Every function reachable from the globals and from the objects the libraries
    make (agents, streams, workflows, media, tasks...), called with awkward arguments:
    its results and its errors are Lua values, never a Python exception in disguise."""
    L = sandboxed()
    objects = run(L, OBJECTS)[1][0]
    L.globals.set_str("objects", objects)
    functions = reachable_functions(L)
    co = run(L, "return coroutine.create(function() end)")[1][0]
    print_ = L.globals.get_str("print")
    argument_lists = [(), (None,), (1,), (-1,), (0,), (2**63 - 1,), (1e308,), (float("nan"),),
                      ("x",), ("%s",), ("%",), ("*t",), ("!%c",), (LuaTable(),), (print_,),
                      (co,), ("x", 1, 2), (LuaTable(), LuaTable()), ("a", "(", "b"),
                      ("collect",), (True,), ("/etc/passwd",), ("%Ez",), (1, "x"),
                      ("x", None, "b"), ("\x1bLua",), (llm_null(L),)]
    calls = 0
    for path, f in sorted(functions.items()):
        if path == "coroutine.yield":
            continue
        for args in argument_lists:
            ok, res = L.pcall(f, *args)
            calls += 1
            for v in (res if ok else [res.value]):
                assert type(v) in LUA_TYPES, (path, args, v)
            if not ok and type(res.value) is str:
                assert "internal error" not in res.value, (path, args, res.value)
    print(f"{len(functions)} functions, {calls} calls")
    assert len(functions) > 150 and calls > 4000
    host_still_works(L)


def llm_null(L: LuaState) -> Userdata:
    return L.globals.get_str("llm").get_str("json").get_str("null")


def test_python_objects_given_by_the_host_stay_opaque():
    class Secret:
        password = "hunter2"

        def method(self):
            return self.password

    def fails():
        raise ValueError("from Python")

    lua = LuaRuntime(sandbox=True)
    g = lua.globals()
    g.secret, g.fails = Secret(), fails
    assert lua.eval("getmetatable(secret)") is False
    assert lua.eval("type(secret)") == "userdata"
    for attempt in ("secret.password", "secret.__class__", "secret:method()", "secret()",
                    "#secret", "secret .. ''", "secret < secret"):
        with pytest.raises(LuaError, match="attempt to"):
            lua.execute(f"return {attempt}")
    assert lua.eval("select(2, pcall(fails))").endswith("ValueError: from Python")
    assert lua.eval("type(select(2, pcall(fails)))") == "string"
    assert lua.eval("tostring(secret)").startswith("python object: ")


# ---------------------------------------------------------------- the whitelist

def library_paths(L: LuaState) -> set:
    """The paths of every global and library field a script can reach by name."""
    paths = set()

    def walk(t, prefix, ancestors):
        entry = t.next(None)
        while entry is not None:
            key, value = entry
            path = prefix + str(key)
            paths.add(path)
            if type(key) is str and type(value) is LuaTable and id(value) not in ancestors \
                    and path != "package.loaded":
                walk(value, path + ".", ancestors | {id(value)})
            entry = t.next(key)

    walk(L.globals, "", {id(L.globals)})
    return paths


def test_the_sandbox_holds_exactly_the_whitelist():
    L = sandboxed()
    paths = library_paths(L)
    assert set(WHITELIST) <= paths
    for path in paths:      # listed, kept whole below a listed one, or on the way to one
        assert path in WHITELIST or any(path.startswith(n + ".") or n.startswith(path + ".")
                                        for n in WHITELIST), path
    loaded = L.globals.get_str("package").get_str("loaded")
    assert sorted(library_keys(loaded)) == sorted(
        ["_G", "package", "coroutine", "table", "os", "string", "math", "utf8", "debug", "task",
         "llm", "llmspell"])
    assert L.string_meta.get_str("__index") is L.globals.get_str("string")


def library_keys(t: LuaTable) -> list:
    keys, entry = [], t.next(None)
    while entry is not None:
        keys.append(entry[0])
        entry = t.next(entry[0])
    return keys


def test_the_documented_whitelist_is_the_enforced_one():
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## The whitelist", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "`" in line]
    documented = [name for row in rows for name in re.findall(r"`([^`]+)`", row.split("|")[2])]
    assert sorted(documented) == sorted(WHITELIST)


def test_sandbox_allow_and_deny():
    L = sandboxed(SecurityConfig(sandbox_allow=["io.write", "os.getenv"],
                                 sandbox_deny=["llm", "llmspell", "Agent", "Tool", "Workflow"]))
    assert run(L, "io.write('x') return io.read, type(os.getenv('HOME')), llm, Agent") == \
        (True, [None, "string", None, None])
    assert L.stdout.getvalue() == b"x"
    L = sandboxed(SecurityConfig(sandbox_allow=["io"]))
    assert run(L, "return io.type(io.stdout)") == (True, ["file"])
    with pytest.raises(ConfigError, match="sandbox_allow: 'io.wrte' names no library field"):
        sandboxed(SecurityConfig(sandbox_allow=["io.wrte"]))
    with pytest.raises(ConfigError, match="sandbox_deny: 'io' is not in the sandbox"):
        sandboxed(SecurityConfig(sandbox_deny=["io"]))


# ---------------------------------------------------------------- what still works

ALLOWED_PROGRAM = r"""
local t = {5, 3, 9, 1}
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, ","), #t, select("#", table.unpack(t)))
print(("hello world"):gsub("o", "0"), string.format("%5.2f|%q", math.pi, "a\nb"))
print(string.pack(">i4", 258):byte(1, -1))
print(utf8.char(72, 228, 8364), utf8.len("h\u{E4}ll\u{20AC}"))
print(math.type(1), math.type(1.0), math.tointeger(3.0), math.max(1, 7, 3), 7 // 2, 7 % -3)
local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
print(co(1), co(10))
local ok, e = pcall(error, {code = 1})
print(ok, e.code)
print(select(2, pcall(error, "msg", 0)), select(2, xpcall(error, function(e) return "h:" .. e end, "x", 0)))
print(load("return 1 + ...")(41), load("syntax error here"))
package.preload.mod = function(name) return {name = name} end
print(require("mod").name, require("mod") == require("mod"), require("string") == string)
print(type(os.time()), os.date("!%Y-%m-%d", 0), os.difftime(10, 4), type(os.clock()))
print(type(collectgarbage("count")), math.floor(-3.5), tostring(nil), tonumber("0x10"))
print(next({}), rawlen({1, 2}), rawequal(t, t), rawget(setmetatable({}, {__index = t}), 1))
local mt = setmetatable({}, {__tostring = function() return "custom" end, __metatable = "locked"})
print(tostring(mt), getmetatable(mt), getmetatable("").__index == string)
print(debug.traceback("tb", 1):match("^tb\nstack traceback:") ~= nil)
goto skip
print("not printed")
::skip::
print(_VERSION, type(_G), _G._G == _G)
"""


def test_whitelisted_functions_behave_as_in_lua54(tmp_path, lua54):
    ours = oracle.run_source((*oracle.PYLUA, "--sandbox"), ALLOWED_PROGRAM, tmp_path / "ours")
    theirs = oracle.run_source(("lua5.4",), ALLOWED_PROGRAM, tmp_path / "theirs")
    assert ours.returncode == 0, ours.stderr
    assert ours.observable() == theirs.observable()


# the programs of tests/lua/ (each checked against Lua 5.4.8 by test_differential) that
# name nothing the sandbox takes away; not the deep recursions (tens of seconds each in
# pure Python, through calls the sandbox does not touch)
NOT_IN_SANDBOX = re.compile(r"\b(io|dofile|loadfile|debug|collectgarbage|dump|package|require|"
                            r"arg|getenv|execute|remove|rename|tmpname|exit|setlocale)\b")
PROGRAMS = [p for p in sorted((HOSTILE.parent / "lua").glob("*.lua"))
            if not NOT_IN_SANDBOX.search(p.read_text(encoding="latin-1"))
            and not p.name.startswith("recursion_")]


def outcome(path: Path, sandbox: bool) -> tuple:
    L = LuaState(stdout=io.BytesIO(), stderr=io.BytesIO())
    if sandbox:
        make_sandbox(L, SECURITY)
    ok, res = run(L, path.read_text(encoding="latin-1"), "@" + path.name)
    error = None if ok else res if type(res) is str else type(res).__name__    # error objects
    return L.stdout.getvalue(), ok, error


def test_programs_corpus():
    assert len(PROGRAMS) >= 130


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_sandboxed_program_behaves_as_unsandboxed(path):
    assert outcome(path, True) == outcome(path, False)


def test_tasks_and_agents_work_in_the_sandbox():
    L = sandboxed()
    code = """
    local calculator = {name = "calculator", description = "adds",
                        parameters = {type = "object"}, handler = function(a) return 42 end}
    local agent = llm.agent.new{provider = {type = "mock"}, tools = {calculator}}
    local t = task.spawn(function() return agent:run("hello") end)
    local reply, err = task.join(t)
    local image = llm.media.image("\\x89PNG\\r\\n\\x1a\\n" .. string.rep("\\0", 30))
    return reply, err, llm.json.encode({1, 2}), type(Agent.create{model = "mock"})
    """
    ok, res = run(L, code)
    assert ok, res
    assert res == ["echo: hello", None, "[1,2]", "userdata"]


def test_check_tool():
    L = sandboxed(SecurityConfig())
    check_tool(L, "anything", TOOL)         # allowed_tools not set: every Lua tool ...
    with pytest.raises(LuaError, match="MCP server 'time' is not allowed in the sandbox"):
        check_tool(L, "time", MCP_SERVER)   # ... but no MCP server
    L = sandboxed(SecurityConfig(allowed_tools=["time", "calculator"]))
    check_tool(L, "time", MCP_SERVER)
    check_tool(L, "calculator", TOOL)
    with pytest.raises(LuaError, match=r"tool 'shell' is not allowed: \[security\] "
                                       r"allowed_tools lists time, calculator"):
        check_tool(L, "shell", TOOL)
    check_tool(LuaState(), "time", MCP_SERVER)  # no sandbox, no allowed_tools: no limit


TIME_SERVER = [sys.executable, "-m", "mcp_server_time", "--local-timezone=UTC"]


def connect_time_server(security: SecurityConfig, extra: str = "") -> tuple:
    L = sandboxed(security)
    args = ", ".join(f'"{a}"' for a in TIME_SERVER[1:])
    return run(L, f"""
        local c, err = llm.mcp.connect{{type = "stdio", name = "time",
                                        command = "{TIME_SERVER[0]}", args = {{{args}}} {extra}}}
        if not c then error(err) end
        local r = c:call("convert_time", {{source_timezone = "UTC", time = "12:00",
                                          target_timezone = "Asia/Tokyo"}})
        c:close()
        return llm.json.decode(r.text).target.datetime:sub(12)
    """)


def test_a_sandbox_starts_the_mcp_servers_the_host_lists_and_no_other():
    listed = SecurityConfig(allowed_tools=["time"], sandbox_mcp_servers=[shlex.join(TIME_SERVER)])
    assert connect_time_server(listed) == (True, ["21:00:00+09:00"])
    ok, err = connect_time_server(listed, ', env = {PYTHONPATH = "."}')
    assert not ok and "MCP server 'time': a sandboxed script may not set 'env' or 'cwd'" in err
    ok, err = connect_time_server(SecurityConfig(allowed_tools=["time"]))
    assert not ok and "is not one of [security] sandbox_mcp_servers" in err
    ok, err = connect_time_server(SecurityConfig(sandbox_mcp_servers=[shlex.join(TIME_SERVER)]))
    assert not ok and "MCP server 'time' is not allowed in the sandbox" in err


# ---------------------------------------------------------------- entry points

def test_runtime_sandbox():
    lua = LuaRuntime(sandbox=True)
    assert lua.eval("io == nil and os.execute == nil and string.dump == nil")
    with pytest.raises(LuaError, match=r"attempt to load a binary chunk \(mode is 't'\)"):
        lua.execute(b"\x1bLua\x54\x00")
    assert LuaRuntime().eval("io ~= nil")    # other runtimes are whole
    lua = LuaRuntime(sandbox=SecurityConfig(sandbox_allow=["os.getenv"]))
    assert lua.eval("type(os.getenv)") == "function"


def test_config_and_environment_turn_the_sandbox_on(tmp_path):
    script = "print(io, os.getenv, type(os.time()))\n"
    (tmp_path / "pylua.toml").write_text('[security]\nsandbox_mode = true\n'
                                         'sandbox_allow = ["os.getenv"]\n')
    r = oracle.run_source(oracle.PYLUA, script, tmp_path)
    assert r.stdout.startswith("nil\tfunction: ") and r.stdout.endswith("\tnumber\n")
    (tmp_path / "pylua.toml").unlink()
    r = oracle.run_source(oracle.PYLUA, script, tmp_path)
    assert r.stdout.startswith("table: ")               # the CLI is a full lua by default
    r = oracle.run(oracle.PYLUA, ["-e", "print(io)"], cwd=tmp_path)
    assert r.stdout.startswith("table: ")


def test_environment_variable_and_bad_names(tmp_path, monkeypatch):
    monkeypatch.setenv("PYLUA_SECURITY_SANDBOX_MODE", "1")
    r = oracle.run(oracle.PYLUA, ["-e", "print(io, os.time ~= nil)"], cwd=tmp_path)
    assert r.stdout == "nil\ttrue\n"
    monkeypatch.setenv("PYLUA_SECURITY_SANDBOX_DENY", "os.tim")
    r = oracle.run(oracle.PYLUA, ["-e", "print(1)"], cwd=tmp_path)
    assert r.returncode == 1 and r.stderr.startswith(
        "pylua: [security] sandbox_deny: 'os.tim' is not in the sandbox's whitelist")


def test_binary_script_file_is_refused(tmp_path):
    luac = LuaState()
    chunk = run(luac, "return string.dump(function() print('bytecode ran') end)")[1][0]
    (tmp_path / "main.luac").write_bytes(chunk.encode("latin-1"))
    r = oracle.run((*oracle.PYLUA, "--sandbox"), ["main.luac"], cwd=tmp_path)
    assert r.returncode == 1 and "attempt to load a binary chunk (mode is 't')" in r.stderr
    r = oracle.run(oracle.PYLUA, ["main.luac"], cwd=tmp_path)
    assert r.stdout == "bytecode ran\n"


def test_repl_in_sandbox_mode(tmp_path):
    r = oracle.run((*oracle.PYLUA, "--sandbox", "-i"), [], cwd=tmp_path,
                   stdin=b"print(io)\nos.execute('touch pwned')\nreturn 6 * 7\n")
    assert "nil" in r.stdout and "42" in r.stdout
    assert "attempt to call a nil value (field 'execute')" in r.stderr
    assert not (tmp_path / "pwned").exists()


def test_start_up_cost():
    """Sandboxing a fresh state costs well under a millisecond or two."""
    best = min(cost() for _ in range(20))
    assert best < 0.005


def cost() -> float:
    L = LuaState(stdout=io.BytesIO())
    start = time.perf_counter()
    make_sandbox(L, SECURITY)
    return time.perf_counter() - start
