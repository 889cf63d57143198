"""MCP servers as tools (issue #9): ``llm.mcp.connect`` and agents' MCP tools against
real servers: ``@modelcontextprotocol/server-everything`` (npm; stdio, SSE and
streamable HTTP; tests/run.sh installs it and exports MCP_SERVER_EVERYTHING),
``mcp-server-time`` (PyPI) and tests/mcp_test_server.py (the SDK's FastMCP: crashes,
slow answers, its pid). The model is the loopback test server (tests/llm_server.py),
in OpenAI's and Anthropic's wire formats."""
from __future__ import annotations

import base64
import glob
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from llm_server import Reply
from pylua import scheduler
from pylua.errors import LuaError
from pylua.state import LuaState

REPO = Path(__file__).resolve().parent.parent
PYLUA_ROOT = Path(scheduler.__file__).resolve().parent.parent    # the pylua these tests import
FLAKY = str(REPO / "tests" / "mcp_test_server.py")
TIME = f'{{ type = "stdio", name = "time", command = {json.dumps(sys.executable)}, ' \
       f'args = {{ "-m", "mcp_server_time", "--local-timezone=UTC" }} }}'


def everything_command() -> str:
    """The server-everything program: $MCP_SERVER_EVERYTHING (tests/run.sh), or on PATH."""
    path = os.environ.get("MCP_SERVER_EVERYTHING") or shutil.which("mcp-server-everything")
    assert path and os.access(path, os.X_OK), (
        "@modelcontextprotocol/server-everything is not installed: run tests/run.sh (it "
        "installs it with npm and exports MCP_SERVER_EVERYTHING), or set MCP_SERVER_EVERYTHING "
        "to its mcp-server-everything program")
    return path


def everything() -> str:
    return f'{{ type = "stdio", name = "everything", command = {json.dumps(everything_command())} }}'


def flaky(**fields) -> str:
    extra = "".join(f", {k} = {v}" for k, v in fields.items())
    return (f'{{ type = "stdio", name = "flaky", command = {json.dumps(sys.executable)}, '
            f'args = {{ {json.dumps(FLAKY)} }}{extra} }}')


def run(code: str, *args) -> list:
    """The results of a chunk run on a fresh state (strings are Lua byte strings)."""
    L = LuaState(stdout=io.BytesIO())
    return scheduler.run(L, L.load(code, "=test"), args)


def pylua(tmp_path: Path, code: str, *args: str, env: dict | None = None,
          timeout: float = 120) -> subprocess.CompletedProcess:
    """``pylua script.lua`` in a process of its own."""
    script = tmp_path / f"s{uuid.uuid4().hex[:8]}.lua"
    script.write_text(code)
    return subprocess.run([sys.executable, "-m", "pylua", str(script), *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=timeout, env=pylua_env(env))


def pylua_env(extra: dict | None = None) -> dict:
    return dict(os.environ, PYTHONPATH=str(PYLUA_ROOT), **(extra or {}))


def marked(mark: str) -> list:
    """Processes whose environment holds ``mark`` (what a script's servers were given)."""
    found = []
    for path in glob.glob("/proc/[0-9]*/environ"):
        try:
            with open(path, "rb") as f:
                if mark.encode() in f.read():
                    found.append(int(path.split("/")[2]))
        except OSError:
            pass
    return [pid for pid in found if pid != os.getpid()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def http_everything():
    """server-everything over SSE and streamable HTTP on free ports: {"sse": url, "http": url}."""
    procs, urls = [], {}
    for kind, arg, path in (("sse", "sse", "/sse"), ("http", "streamableHttp", "/mcp")):
        port = free_port()
        procs.append(subprocess.Popen([everything_command(), arg], env=dict(os.environ, PORT=str(port)),
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      start_new_session=True))
        urls[kind] = f"http://127.0.0.1:{port}{path}"
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"server-everything {arg} did not listen"
                time.sleep(0.1)
    yield urls
    for p in procs:
        os.killpg(p.pid, signal.SIGTERM)
        p.wait(10)


# ---------------------------------------------------------------- llm.mcp.connect

def test_every_method_of_a_client_over_stdio():
    res = run(f"""
        local c <close> = assert(llm.mcp.connect({everything()}))
        local names = {{}}
        for _, t in ipairs(c:tools()) do names[t.name] = t end
        local image = c:call("get-tiny-image", {{}})
        local ref = c:call("get-resource-reference", {{ resourceType = "Text", resourceId = 1 }})
        local structured = c:call("get-structured-content", {{ location = "New York" }})
        local links = c:call("get-resource-links", {{ count = 1 }})
        local bad = c:call("get-sum", {{ a = "x", b = 1 }})
        local resources = c:resources()
        local doc = c:read(resources[1].uri)
        local prompts = {{}}
        for _, p in ipairs(c:prompts()) do prompts[p.name] = p end
        local prompt = c:prompt("args-prompt", {{ city = "Lisbon", state = "Portugal" }})
        local info = c:info()
        assert(info.name == "mcp-servers/everything" and info.capabilities[1] == "tools"
               and #info.instructions > 0, llm.json.encode(info))
        return tostring(c), llm.json.encode(names.echo.input_schema), names.echo.description,
               c:call("echo", {{ message = "h\\xc3\\xa9\\xff" }}).text,
               image.text, image.content[2].type, image.content[2].mime, image.content[2].data,
               ref.content[2].type, ref.content[2].uri, ref.content[2].mime, ref.content[2].text,
               structured.structured.temperature ~= nil, structured.is_error,
               links.content[2].type, links.content[2].uri ~= nil,
               bad.is_error, bad.text,
               resources[1].uri, resources[1].mime, doc.contents[1].uri, #doc.text > 100,
               prompts["args-prompt"].arguments[1].name, prompts["args-prompt"].arguments[1].required,
               prompt.messages[1].role, prompt.messages[1].text
    """)
    assert res[0] == "llm.mcp.client: everything (stdio, open)"
    schema = json.loads(res[1])
    assert schema["properties"]["message"]["type"] == "string" and schema["required"] == ["message"]
    assert res[2] == "Echoes back the input string"
    assert res[3] == "Echo: h\xc3\xa9\xef\xbf\xbd"     # UTF-8 bytes; invalid ones replaced
    assert res[4] == "Here's the image you requested:\nThe image above is the MCP logo."
    assert res[5:7] == ["image", "image/png"] and res[7].startswith("\x89PNG\r\n\x1a\n")
    assert res[8:11] == ["resource", "demo://resource/dynamic/text/1", "text/plain"]
    assert res[11].startswith("Resource 1: This is a plaintext resource")
    assert res[12:14] == [True, False]
    assert res[14:16] == ["resource_link", True]
    assert res[16] is True and "expected number" in res[17]
    assert res[18:20] == ["demo://resource/static/document/architecture.md", "text/markdown"]
    assert res[20:22] == ["demo://resource/static/document/architecture.md", True]
    assert res[22:24] == ["city", True]
    assert res[24:26] == ["user", "What's weather in Lisbon, Portugal?"]


def test_time_server_and_a_closed_client():
    res = run(f"""
        local c = assert(llm.mcp.connect({TIME}))
        local r = c:call("convert_time", {{ source_timezone = "UTC", time = "12:00",
                                           target_timezone = "Asia/Tokyo" }})
        local unknown = c:call("nope")
        local closed = c:close()
        return llm.json.decode(r.text).target.datetime, unknown.is_error, unknown.text, closed,
               tostring(c), c:call("get_current_time", {{ timezone = "UTC" }})
    """)
    assert res[0].endswith("T21:00:00+09:00")
    assert res[1:3] == [True, "Error processing mcp-server-time query: Unknown tool: nope"]
    assert res[3] is True and res[4] == "llm.mcp.client: time (stdio, closed)"
    assert res[5:] == [None, "mcp server 'time': the connection is closed"]


@pytest.mark.parametrize("kind", ["sse", "http"])
def test_sse_and_streamable_http(http_everything, kind):
    url = http_everything[kind]
    res = run(f"""
        local c <close> = assert(llm.mcp.connect{{ type = "{kind}", name = "ev", url = "{url}",
                                                   headers = {{ ["X-Token"] = "t" }} }})
        return tostring(c), #c:tools(), c:call("echo", {{ message = "over {kind}" }}).text,
               c:call("get-tiny-image", {{}}).content[2].mime
    """)
    assert res == [f"llm.mcp.client: ev ({kind}, open)", 13, f"Echo: over {kind}", "image/png"]


@pytest.mark.parametrize("config, message", [
    ('{ type = "stdio", name = "time", command = "uvx", args = { "mcp-server-time" } }',
     "mcp server 'time': cannot start 'uvx': command not found on PATH (install it, or give "
     "its full path in 'command')"),
    ('{ type = "stdio", command = "python3", args = { "-m", "x" }, cwd = "/no/such/dir" }',
     "mcp server 'x': cannot start 'python3': the directory '/no/such/dir' (field 'cwd') "
     "does not exist"),
    ('{ type = "stdio", name = "bad", command = "sh", args = { "-c", "echo no config >&2; exit 2" } }',
     "mcp server 'bad': starting: the server exited with status 2; its stderr ends: no config"),
    ('{ type = "stdio", name = "mute", command = "sleep", args = { 30 }, start_timeout = 1 }',
     "mcp server 'mute': starting: no answer after 1 s (field 'start_timeout' of the server)"),
    ('{ type = "http", name = "down", url = "http://127.0.0.1:9/mcp", start_timeout = 5 }',
     "mcp server 'down': starting: cannot reach http://127.0.0.1:9/mcp: ConnectError: All "
     "connection attempts failed"),
    ('{ type = "sse", url = "http://127.0.0.1:9/sse", start_timeout = 5 }',
     "mcp server '127.0.0.1:9/sse': starting: cannot reach http://127.0.0.1:9/sse: ConnectError: "
     "All connection attempts failed"),
])
def test_a_server_that_cannot_start_gives_nil_and_a_message(config, message):
    assert run(f"local c, err = llm.mcp.connect({config}) return c, err, 'goes on'") == \
        [None, message, "goes on"]


@pytest.mark.parametrize("config, message", [
    ("{}", "field 'type': \"stdio\", \"sse\" or \"http\" expected, got nil"),
    ('{ type = "stdio" }', "field 'command': the program to run expected (a string)"),
    ('{ type = "stdio", command = "x", comand = "y" }',
     "unknown field 'comand' for a stdio server (fields: args, command, cwd, env, name, "
     "start_timeout, timeout, type)"),
    ('{ type = "stdio", command = "x", args = { {} } }',
     "field 'args': string expected at index 1, got table"),
    ('{ type = "stdio", command = "x", env = { A = {} } }',
     "field 'env': string keys and string values expected"),
    ('{ type = "stdio", command = "x", timeout = 0 }',
     "field 'timeout': a positive number of seconds expected"),
    ('{ type = "http", url = "localhost:9" }', "field 'url': an http:// or https:// URL expected"),
])
def test_configuration_mistakes_are_lua_errors(config, message):
    with pytest.raises(LuaError) as e:
        run(f"llm.mcp.connect({config})")
    assert e.value.value == f"test:1: bad argument #1 to 'connect' ({message})"


def test_a_crash_mid_call_and_a_hang_past_the_timeout():
    start = time.monotonic()
    res = run(f"""
        local c = assert(llm.mcp.connect({flaky(timeout=2)}))
        local first = c:call("pid").text
        local t = os.time()
        local hung, hung_err = c:call("sleep", {{ seconds = 30 }})
        local crashed, crash_err = c:call("crash", {{ status = 3 }})
        local second = c:call("pid").text       -- a new process: the link reconnects
        c:close()
        return hung, hung_err, crashed, crash_err, first ~= second
    """)
    elapsed = time.monotonic() - start
    assert res[:2] == [None, "mcp server 'flaky': tools/call 'sleep': no answer after 2 s (field "
                             "'timeout' of the server)"]
    assert res[2] is None and re.fullmatch(
        r"mcp server 'flaky': tools/call 'crash': the server exited with status 3; its stderr "
        r"ends: .*flaky: crashing on purpose", res[3], re.S), res[3]
    assert res[4] is True
    assert elapsed < 20, elapsed        # not the 30 s of the hung call


def test_concurrent_calls_share_one_connection():
    """Four calls of one second each, from four tasks, are in flight at once."""
    from pylua import LuaRuntime
    rt = LuaRuntime()
    pid = rt.execute(f"c = assert(llm.mcp.connect({flaky()})) return c:call('pid').text")
    start = time.monotonic()
    res = rt.execute("""
        local function sleep() return c:call("sleep", { seconds = 1 }).text end
        local a, b, c2, d, p = task.all{ sleep, sleep, sleep, sleep, function() return c:call("pid").text end }
        return a .. b .. c2 .. d, p
    """)
    elapsed = time.monotonic() - start
    assert res == ("slept 1.0" * 4, pid)
    assert elapsed < 2.5, elapsed
    assert rt.execute("return c:close()") is True


# ---------------------------------------------------------------- agents

AGENT_TOOLS = f"""
local lua_tool = {{ name = "get_current_time", description = "a Lua tool of the same name",
                   handler = function() return "lua" end }}
"""


def agent_run(provider: str, url: str, task: str = "go") -> list:
    return run(f"""
        {AGENT_TOOLS}
        local agent = llm.agent.new{{ name = "A",
            provider = {{ type = "{provider}", base_url = "{url}", model = "m", max_retries = 0 }},
            tools = {{ {everything()}, lua_tool, {TIME} }} }}
        return agent:run("{task}")
    """)


TOOL_CALLS = [("get-tiny-image", {}), ("echo", {"message": "hi"}),
              ("get-resource-reference", {"resourceType": "Text", "resourceId": 1}),
              ("convert_time", {"source_timezone": "UTC", "time": "12:00",
                                     "target_timezone": "Asia/Tokyo"}),
              ("time_get_current_time", {"timezone": "UTC"})]


def check_offered_tools(tools: list, anthropic: bool) -> None:
    """Both servers' tools and the Lua tool; the time server's get_current_time is
    prefixed with its name (it clashes with the Lua tool's), convert_time is not."""
    schemas = {(t["name"] if anthropic else t["function"]["name"]):
               (t["input_schema"] if anthropic else t["function"]["parameters"]) for t in tools}
    assert {"get_current_time", "time_get_current_time", "convert_time", "echo",
            "get-tiny-image", "get-resource-reference"} <= set(schemas)
    assert all(re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", name) for name in schemas)
    assert "time_convert_time" not in schemas
    assert schemas["convert_time"]["required"] == ["source_timezone", "time", "target_timezone"]
    assert schemas["echo"]["properties"]["message"]["type"] == "string"


def resource_text(text: str) -> None:
    assert re.fullmatch(r"Returning resource reference for Resource 1:\n\[resource "
                        r"demo://resource/dynamic/text/1 \(text/plain\)\]\nResource 1: This is a "
                        r"plaintext resource created at [^\n]*\nYou can access this resource using "
                        r"the URI: demo://resource/dynamic/text/1", text), text


def check_png(data_b64: str) -> None:
    assert base64.b64decode(data_b64).startswith(b"\x89PNG\r\n\x1a\n")


def test_an_openai_agent_calls_mcp_tools(llm_server):
    llm_server.script(Reply(tool_calls=TOOL_CALLS), Reply(text="It is 21:00 in Tokyo."))
    assert agent_run("openai", llm_server.url) == ["It is 21:00 in Tokyo.", None]
    first, second = (r.body for r in llm_server.requests)
    check_offered_tools(first["tools"], anthropic=False)
    messages = second["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"] + ["tool"] * 5 + ["user"]
    tools = {m["tool_call_id"]: m for m in messages if m["role"] == "tool"}
    assert tools["call_0"] == {"role": "tool", "tool_call_id": "call_0", "content":
                               "Here's the image you requested:\nThe image above is the MCP logo."
                               "\n[image 1 of this result: in the next message]"}
    assert tools["call_1"]["content"] == "Echo: hi"
    resource_text(tools["call_2"]["content"])
    assert json.loads(tools["call_3"]["content"])["target"]["datetime"].endswith("T21:00:00+09:00")
    assert json.loads(tools["call_4"]["content"])["timezone"] == "UTC"
    images = messages[-1]["content"]
    assert images[0] == {"type": "text", "text": "The images of tool result call_0:"}
    assert images[1]["type"] == "image_url" and len(images) == 2
    url = images[1]["image_url"]["url"]
    assert url.startswith("data:image/png;base64,")
    check_png(url.split(",", 1)[1])


def test_an_anthropic_agent_gets_image_blocks_in_tool_results(llm_server):
    llm_server.script(Reply(tool_calls=TOOL_CALLS), Reply(text="done"))
    assert agent_run("anthropic", llm_server.url) == ["done", None]
    first, second = (r.body for r in llm_server.requests)
    check_offered_tools(first["tools"], anthropic=True)
    results = second["messages"][-1]["content"]
    assert [r["type"] for r in results] == ["tool_result"] * 5
    image = results[0]
    assert image["tool_use_id"] == "toolu_0"
    assert [b["type"] for b in image["content"]] == ["text", "image", "text"]
    assert image["content"][0] == {"type": "text", "text": "Here's the image you requested:"}
    assert image["content"][2] == {"type": "text", "text": "The image above is the MCP logo."}
    source = image["content"][1]["source"]
    assert source["type"] == "base64" and source["media_type"] == "image/png"
    check_png(source["data"])
    assert results[1] == {"type": "tool_result", "tool_use_id": "toolu_1", "content": "Echo: hi"}
    resource_text(results[2]["content"])


def test_agents_over_sse_and_http_with_a_failing_tool(llm_server, http_everything):
    llm_server.script(Reply(tool_calls=[("ev-sse_echo", {"message": "a"}),
                                        ("ev-http_echo", {"message": "b"}),
                                        ("crash", {"status": 4})]),
                      Reply(text="ok"))
    res = run(f"""
        local agent = llm.agent.new{{
            provider = {{ type = "openai", base_url = "{llm_server.url}", model = "m" }},
            tools = {{ {{ type = "sse", name = "ev-sse", url = "{http_everything['sse']}" }},
                      {{ type = "http", name = "ev-http", url = "{http_everything['http']}" }},
                      {flaky()} }} }}
        return agent:run("go")
    """)
    assert res == ["ok", None]
    tools = [m for m in llm_server.requests[1].body["messages"] if m["role"] == "tool"]
    assert [t["content"] for t in tools[:2]] == ["Echo: a", "Echo: b"]
    error = json.loads(tools[2]["content"])["error"]
    assert error.startswith("mcp server 'flaky': tools/call 'crash': the server exited with "
                            "status 4; its stderr ends:"), error


def test_an_agent_whose_server_cannot_start_fails_its_run_and_the_script_goes_on():
    res = run("""
        local agent = llm.agent.new{ name = "A", provider = { type = "mock", responses = { "hi" } },
                                     tools = { { type = "stdio", name = "time", command = "uvx",
                                                 args = { "mcp-server-time" } } } }
        local reply, err = agent:run("hello")
        return reply, err, #agent:history()
    """)
    assert res == [None, "agent 'A': mcp server 'time': cannot start 'uvx': command not found on "
                         "PATH (install it, or give its full path in 'command')", 0]


def test_agents_share_one_connection_per_server_config():
    res = run(f"""
        local pids = {{}}
        local function agent()
            return llm.agent.new{{ tools = {{ {flaky()} }}, provider = {{ type = "mock",
                responses = {{ {{ tool_calls = {{ {{ name = "pid", arguments = {{}} }} }} }}, "ok" }} }} }}
        end
        local a, b = agent(), agent()
        a:run("x") b:run("y")
        return a:history()[3].content, b:history()[3].content
    """)
    assert res[0] == res[1] and int(res[0]) > 0


def test_a_client_can_be_an_agents_tool():
    """Only the agent holds the client: Lua's collection leaves it open."""
    res = run(f"""
        local agent = llm.agent.new{{ tools = {{ assert(llm.mcp.connect({TIME})) }},
                                     provider = {{ type = "mock", responses = {{
            {{ tool_calls = {{ {{ name = "convert_time", arguments = {{ source_timezone = "UTC",
               time = "00:30", target_timezone = "UTC" }} }} }} }}, "ok" }} }} }}
        collectgarbage()
        return agent:run("x"), llm.json.decode(agent:history()[3].content).target.datetime
    """)
    assert res[0] == "ok" and res[1].endswith("T00:30:00+00:00")


# ---------------------------------------------------------------- lifecycle

def test_a_runtime_connects_in_one_execute_and_calls_in_the_next():
    from pylua import LuaRuntime
    rt = LuaRuntime()
    rt.execute(f"c = assert(llm.mcp.connect({flaky()}))")
    pid = int(rt.execute('return c:call("pid").text'))
    assert int(rt.execute('return c:call("pid").text')) == pid     # the same process
    assert rt.execute("return c:close()") is True
    assert not os.path.exists(f"/proc/{pid}")


def test_close_variables_and_collection_end_the_process():
    pids = run(f"""
        local pid
        do
            local c <close> = assert(llm.mcp.connect({flaky()}))
            pid = c:call("pid").text
        end
        local c = assert(llm.mcp.connect({flaky()}))
        local collected = c:call("pid").text
        c = nil
        collectgarbage()
        task.wait(0.5)
        return pid, collected
    """)
    deadline = time.monotonic() + 10
    while any(os.path.exists(f"/proc/{p}") for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in pids if os.path.exists(f"/proc/{p}")]


def test_fifty_scripts_leave_no_server_process(tmp_path):
    mark = f"pylua-mcp-{uuid.uuid4().hex}"
    code = f"""
        local c = assert(llm.mcp.connect{{ type = "stdio", name = "everything",
            command = {json.dumps(everything_command())}, env = {{ MARK = "{mark}" }} }})
        assert(c:call("echo", {{ message = "x" }}).text == "Echo: x")
    """
    start = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: pylua(tmp_path, code), range(50)))
    assert [(r.returncode, r.stderr) for r in results] == [(0, "")] * 50
    assert marked(mark) == []
    print(f"50 scripts in {time.monotonic() - start:.1f} s")


def test_a_long_script_reaps_the_servers_it_closes(tmp_path):
    r = pylua(tmp_path, f"""
        for i = 1, 5 do
            local c <close> = assert(llm.mcp.connect({everything()}))
            c:call("echo", {{ message = "x" }})
        end
        local ps = io.popen("ps -o stat=,args= --ppid $PPID")     -- the shell's parent: pylua
        io.write(ps:read("a"))
        ps:close()
    """)
    assert r.returncode == 0, r.stderr
    states = [line.split()[0] for line in r.stdout.splitlines()]
    assert states and not [s for s in states if s.startswith("Z")], r.stdout


@pytest.mark.parametrize("ending, status", [("error('boom')", 1), ("os.exit(3)", 3),
                                            ("wait", 130)])
def test_error_exit_and_ctrl_c_leave_no_server(tmp_path, ending, status):
    """The server ignores its stdin closing and SIGTERM: the worst case (SIGKILL)."""
    mark = f"pylua-mcp-{uuid.uuid4().hex}"
    script = tmp_path / "s.lua"
    script.write_text(f"""
        local c = assert(llm.mcp.connect{{ type = "stdio", name = "flaky",
            command = {json.dumps(sys.executable)}, args = {{ {json.dumps(FLAKY)}, "--ignore-stdin-close" }},
            env = {{ MARK = "{mark}" }} }})
        print(c:call("pid").text)
        io.stdout:flush()
        {ending if ending != "wait" else 'c:call("sleep", { seconds = 60 })'}
    """)
    p = subprocess.Popen([sys.executable, "-m", "pylua", str(script)], cwd=tmp_path,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=pylua_env())
    pid = int(p.stdout.readline())
    assert marked(mark) == [pid]
    start = time.monotonic()
    if ending == "wait":
        p.send_signal(signal.SIGINT)
    p.communicate(timeout=60)
    assert p.returncode == status
    assert marked(mark) == [] and not os.path.exists(f"/proc/{pid}")
    assert time.monotonic() - start < 10


def test_ctrl_c_while_a_server_starts(tmp_path):
    """The server never answers (it only sleeps): Ctrl-C does not wait for start_timeout."""
    mark = f"pylua-mcp-{uuid.uuid4().hex}"
    script = tmp_path / "s.lua"
    script.write_text(f"""
        print("connecting") io.stdout:flush()
        llm.mcp.connect{{ type = "stdio", name = "mute", command = "sleep", args = {{ 60 }},
                         env = {{ MARK = "{mark}" }} }}
    """)
    p = subprocess.Popen([sys.executable, "-m", "pylua", str(script)], cwd=tmp_path,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=pylua_env())
    assert p.stdout.readline() == "connecting\n"
    deadline = time.monotonic() + 30
    while not marked(mark):
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.1)
    start = time.monotonic()
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert (p.returncode, err) == (130, "pylua: interrupted!\n")
    assert marked(mark) == []
    assert time.monotonic() - start < 10
