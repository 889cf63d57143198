"""``llm.mcp.tool`` and ``pylua mcp-serve`` (issue #9): Lua functions served as a real
MCP server, listed and called by the ``mcp`` SDK's own client over real pipes (stdio)
and sockets (streamable HTTP), and the same tools in an agent's ``tools`` list."""
from __future__ import annotations

import asyncio
import base64
import contextlib
import io
import json
import os
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import httpx
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

import pylua
from oracle import REPO_ROOT
from pylua import __version__, scheduler
from pylua.errors import LuaError
from pylua.state import LuaState

def png_pixel() -> bytes:
    """A 1x1 grey PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b""))


TINY_PNG = png_pixel()
TOOLS = r"""
local label, PNG = ..., "%(png)s"
print("loading", label)
llm.mcp.tool{
  name = "add", description = "Adds two numbers",
  parameters = { type = "object", properties = { a = { type = "number" }, b = { type = "number" } },
                 required = { "a", "b" } },
  handler = function(args)
    print("adding", args.a, args.b)
    io.write("io.write too\n")
    os.execute("echo from a child process")
    return { sum = args.a + args.b }
  end,
}
llm.mcp.tool{
  name = "greet", description = "Greets someone",
  parameters = { type = "object", properties = { name = { type = "string" } } },
  handler = function(args) return "hello, " .. args.name .. " (" .. tostring(label) .. ")" end,
}
llm.mcp.tool{
  name = "sleep", description = "Waits, then says so",
  parameters = { type = "object", properties = { seconds = { type = "number" } } },
  handler = function(args) task.wait(args.seconds) return "slept " .. args.seconds end,
}
llm.mcp.tool{ name = "fail", description = "Raises an error",
              handler = function() error("no luck") end }
llm.mcp.tool{ name = "missing", description = "Returns nil and a message",
              handler = function(args) return nil, "no such thing: " .. tostring(args.what) end }
llm.mcp.tool{ name = "stdin", description = "What io.read sees",
              handler = function() return tostring(io.read("l")) end }
llm.mcp.tool{
  name = "count", description = "Counts items",
  parameters = { type = "object", properties = { items = { type = "array" } } },
  output_schema = { type = "object", properties = { n = { type = "integer" } }, required = { "n" } },
  handler = function(args) return { n = #args.items } end,
}
llm.mcp.tool{ name = "nothing", handler = function() end }
llm.mcp.tool{
  name = "picture", description = "A picture, or a document",
  parameters = { type = "object", properties = { pdf = { type = "boolean" } } },
  handler = function(args)
    if args.pdf then return llm.media.file("%%PDF-1.4\n%%%%EOF\n") end
    return llm.media.image(PNG)
  end,
}
""" % {"png": "".join(f"\\{b:03d}" for b in TINY_PNG)}

ADD_SCHEMA = {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
              "required": ["a", "b"]}


def server_env() -> dict:
    """The servers run the pylua this test imported (a compiled build's, say)."""
    return dict(os.environ, PYTHONPATH=str(Path(pylua.__file__).resolve().parent.parent))


def serve_command(*args: str) -> list:
    return [sys.executable, "-m", "pylua", "mcp-serve", *args]


@contextlib.asynccontextmanager
async def stdio_session(cwd: Path, *args: str):
    """The SDK's client session with ``pylua mcp-serve args`` (its stderr: cwd/stderr.txt)."""
    params = StdioServerParameters(command=sys.executable, args=serve_command(*args)[1:],
                                   env=server_env(), cwd=str(cwd))
    with open(cwd / "stderr.txt", "w") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write):
            async with ClientSession(read, write) as session:
                info = await session.initialize()
                yield session, info


def text_of(result) -> str:
    assert len(result.content) == 1 and result.content[0].type == "text", result
    return result.content[0].text


async def check_tools(session) -> None:
    """What every transport must show of TOOLS."""
    listed = {t.name: t for t in (await session.list_tools()).tools}
    assert list(listed) == ["add", "greet", "sleep", "fail", "missing", "stdin", "count", "nothing",
                            "picture"]
    assert (listed["add"].description, listed["add"].inputSchema) == ("Adds two numbers", ADD_SCHEMA)
    assert listed["nothing"].inputSchema == {"type": "object", "properties": {}}
    assert listed["count"].outputSchema == {"type": "object", "properties": {"n": {"type": "integer"}},
                                            "required": ["n"]}
    r = await session.call_tool("add", {"a": 2, "b": 3.5})
    assert (r.isError, json.loads(text_of(r)), r.structuredContent) == (False, {"sum": 5.5}, None)
    assert text_of(await session.call_tool("greet", {"name": "Ana"})) == "hello, Ana (docs)"
    r = await session.call_tool("count", {"items": [1, 2, 3]})
    assert (r.isError, json.loads(text_of(r)), r.structuredContent) == (False, {"n": 3}, {"n": 3})
    r = await session.call_tool("nothing", {})
    assert (r.isError, r.content) == (False, [])
    image, = (await session.call_tool("picture", {})).content
    assert (image.type, image.mimeType, base64.b64decode(image.data)) == ("image", "image/png", TINY_PNG)


def write_tools(tmp_path: Path, code: str = TOOLS, name: str = "tools.lua") -> str:
    (tmp_path / name).write_text(code)
    return name


# ---------------------------------------------------------------- stdio

def test_the_sdk_client_lists_and_calls_lua_tools_over_stdio(tmp_path):
    async def main():
        t0 = time.perf_counter()
        async with stdio_session(tmp_path, write_tools(tmp_path), "docs") as (session, info):
            assert (info.serverInfo.name, info.serverInfo.version) == ("pylua", __version__)
            assert info.capabilities.tools is not None
            await check_tools(session)
            elapsed = time.perf_counter() - t0
        return elapsed

    elapsed = asyncio.run(main())
    print(f"stdio: start, initialize, list and 4 calls in {elapsed:.2f} s")


def test_failures_are_error_results_and_the_server_goes_on(tmp_path):
    async def main():
        async with stdio_session(tmp_path, write_tools(tmp_path)) as (session, _):
            r = await session.call_tool("fail", {})
            assert (r.isError, text_of(r)) == (True, "tools.lua:26: no luck")
            r = await session.call_tool("missing", {"what": "cheese"})
            assert (r.isError, text_of(r)) == (True, "no such thing: cheese")
            r = await session.call_tool("add", {"a": 1})
            assert r.isError and text_of(r) == "Input validation error: 'b' is a required property"
            r = await session.call_tool("nope", {})
            assert (r.isError, text_of(r)) == (True, "unknown tool 'nope'")
            r = await session.call_tool("count", {"items": "abc"})     # input schema says array
            assert r.isError and "is not of type 'array'" in text_of(r)
            r = await session.call_tool("picture", {"pdf": True})
            assert (r.isError, text_of(r)) == (True, "tool 'picture' returned a file "
                                               "(application/pdf): a result holds text, images and audio")
            r = await session.call_tool("add", {"a": 1, "b": 2})      # still serving
            assert (r.isError, json.loads(text_of(r))) == (False, {"sum": 3})

    asyncio.run(main())
    assert (tmp_path / "stderr.txt").read_text() == "loading\tnil\nadding\t1\t2\nio.write too\nfrom a child process\n"


def test_print_io_write_and_child_processes_write_to_stderr_over_stdio(tmp_path):
    async def main():
        async with stdio_session(tmp_path, write_tools(tmp_path), "x") as (session, _):
            assert json.loads(text_of(await session.call_tool("add", {"a": 1, "b": 2}))) == {"sum": 3}
            assert text_of(await session.call_tool("stdin", {})) == "nil"   # not the protocol's

    asyncio.run(main())
    assert (tmp_path / "stderr.txt").read_text() == (
        "loading\tx\nadding\t1\t2\nio.write too\nfrom a child process\n")


def test_concurrent_calls_run_their_handlers_at_the_same_time(tmp_path):
    async def main():
        async with stdio_session(tmp_path, write_tools(tmp_path)) as (session, _):
            t0 = time.perf_counter()
            results = await asyncio.gather(*(session.call_tool("sleep", {"seconds": 0.5})
                                             for _ in range(5)))
            elapsed = time.perf_counter() - t0
        assert [text_of(r) for r in results] == ["slept 0.5"] * 5
        return elapsed

    elapsed = asyncio.run(main())
    print(f"stdio: 5 concurrent calls of task.wait(0.5) in {elapsed:.2f} s")
    assert elapsed < 1.5        # one after another: 2.5 s


def test_handlers_wait_on_agents_whose_model_answers_over_http(tmp_path, llm_server):
    from llm_server import Reply
    llm_server.default = Reply(text="Lua is small.", delay=0.5)
    write_tools(tmp_path, """
        local url = ...
        llm.mcp.tool{
          name = "ask", description = "Asks a model",
          parameters = { type = "object", properties = { question = { type = "string" } } },
          handler = function(args)
            local agent = llm.agent.new{ provider = { type = "openai", model = "test-model",
                                                      base_url = url, api_key = "sk-test" } }
            return agent:run(args.question)
          end,
        }
    """)

    async def main():
        async with stdio_session(tmp_path, "tools.lua", llm_server.url) as (session, _):
            t0 = time.perf_counter()
            results = await asyncio.gather(*(session.call_tool("ask", {"question": f"q{i}"})
                                             for i in range(3)))
            return results, time.perf_counter() - t0

    results, elapsed = asyncio.run(main())
    assert [text_of(r) for r in results] == ["Lua is small."] * 3
    assert sorted(r.body["messages"][-1]["content"] for r in llm_server.requests) == ["q0", "q1", "q2"]
    assert llm_server.max_in_flight == 3 and elapsed < 1.4


def test_the_example_tools_are_served_and_called(tmp_path):
    (tmp_path / "notes.txt").write_text("one\ntwo\nthree\n")

    async def main():
        example = str(REPO_ROOT / "examples" / "mcp_tools.lua")
        async with stdio_session(tmp_path, example) as (session, _):
            names = [t.name for t in (await session.list_tools()).tools]
            assert names == ["calculate", "text_stats", "read_lines"]
            assert text_of(await session.call_tool("calculate", {"expression": "2^10"})) == "1024.0"
            assert text_of(await session.call_tool("calculate", {"expression": "max(3, 7) // 2"})) == "3"
            r = await session.call_tool("calculate", {"expression": "1 +"})
            assert (r.isError, text_of(r)) == (True, "expression:1: unexpected symbol near <eof>")
            r = await session.call_tool("calculate", {"expression": "(function() while true do end end)()"})
            assert (r.isError, text_of(r)) == (True, "took longer than 1 second")
            r = await session.call_tool("text_stats", {"text": "h\u00e9llo w\u00f6rld\nbye"})
            assert r.structuredContent == {"lines": 2, "words": 3, "characters": 15}
            r = await session.call_tool("read_lines", {"path": "notes.txt", "first": 2})
            assert text_of(r) == "     2  two\n     3  three"
            r = await session.call_tool("read_lines", {"path": "absent.txt"})
            assert (r.isError, text_of(r)) == (True, "absent.txt: No such file or directory")

    asyncio.run(main())


# ---------------------------------------------------------------- streamable HTTP

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def http_server(cwd: Path, *args: str):
    """``pylua mcp-serve args`` running; yields (process, url from its 'serving' line).
    Stopped with SIGINT at the end if it still runs."""
    proc = subprocess.Popen(serve_command(*args), cwd=cwd, env=server_env(),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = read_line(proc.stderr, 60)
        m = re.fullmatch(r"pylua: serving \d+ tools? at (http://\S+) \(Ctrl-C stops\)\n", line)
        assert m, line + proc.stderr.read1().decode()
        yield proc, m.group(1)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()


def read_line(stream, seconds: float) -> str:
    """A line of a pipe, waiting at most ``seconds``."""
    buf = b""
    deadline = time.monotonic() + seconds
    while not buf.endswith(b"\n"):
        ready, _, _ = select.select([stream], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(stream.fileno(), 1) if ready else b""
        if not chunk:
            break
        buf += chunk
    return buf.decode()


def test_the_sdk_client_lists_and_calls_lua_tools_over_streamable_http(tmp_path):
    port = free_port()

    async def main(url: str):
        async with streamable_http_client(url) as (read, write, _):
            async with ClientSession(read, write) as session:
                info = await session.initialize()
                assert (info.serverInfo.name, info.serverInfo.version) == ("tools", __version__)
                await check_tools(session)
                r = await session.call_tool("fail", {})
                assert (r.isError, text_of(r)) == (True, "tools.lua:26: no luck")
                t0 = time.perf_counter()
                results = await asyncio.gather(*(session.call_tool("sleep", {"seconds": 0.5})
                                                 for _ in range(5)))
                assert [text_of(r) for r in results] == ["slept 0.5"] * 5
                return time.perf_counter() - t0

    t0 = time.perf_counter()
    with http_server(tmp_path, "--http", str(port), "--name", "tools",
                     write_tools(tmp_path), "docs") as (proc, url):
        assert url == f"http://127.0.0.1:{port}/mcp"
        ready = time.perf_counter() - t0
        concurrent = asyncio.run(main(url))
        headers = {"Accept": "application/json, text/event-stream"}
        for evil, answer in (({"Host": "evil.example"}, (421, "Invalid Host header")),
                             ({"Origin": "http://evil.example"}, (403, "Invalid Origin header"))):
            r = httpx.post(url, json=INITIALIZE, headers={**headers, **evil})
            assert (r.status_code, r.text) == answer       # DNS rebinding protection
        proc.send_signal(signal.SIGINT)
        assert proc.wait(10) == 0
        out, err = proc.stdout.read().decode(), proc.stderr.read().decode()
    print(f"http: serving after {ready:.2f} s; 5 concurrent calls of task.wait(0.5) in "
          f"{concurrent:.2f} s")
    assert concurrent < 1.5
    assert sorted(out.splitlines()) == ["adding\t2\t3.5", "from a child process",     # stdout
                                        "io.write too", "loading\tdocs"]              # is free
    assert err == ("pylua: mcp: Invalid Host header: evil.example\n"
                   "pylua: mcp: Invalid Origin header: http://evil.example\n")


HOLD = """
llm.mcp.tool{ name = "hold", handler = function()
  local guard <close> = setmetatable({}, { __close = function() print("closed") end })
  task.wait(60)
end }
"""


def test_stopping_the_http_server_mid_call_closes_the_handler(tmp_path):
    write_tools(tmp_path, HOLD)

    async def main(url: str, proc):
        async with streamable_http_client(url) as (read, write, _):
            async with ClientSession(read, write) as session:
                await session.initialize()
                call = asyncio.ensure_future(session.call_tool("hold", {}))
                await asyncio.sleep(0.5)
                proc.send_signal(signal.SIGINT)
                status = await asyncio.to_thread(proc.wait, 10)
                call.cancel()
                return status

    with http_server(tmp_path, "--http", "0", "tools.lua") as (proc, url):
        assert asyncio.run(main(url, proc)) == 0
        assert (proc.stdout.read(), proc.stderr.read()) == (b"closed\n", b"")


# ---------------------------------------------------------------- ending

INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                         "clientInfo": {"name": "test", "version": "1"}}}
CALL_HOLD = {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
             "params": {"name": "hold", "arguments": {}}}


@contextlib.contextmanager
def holding_server(tmp_path: Path):
    """A stdio server (raw JSON-RPC over its pipes) with a call of HOLD under way."""
    write_tools(tmp_path, HOLD)
    proc = subprocess.Popen(serve_command("tools.lua"), cwd=tmp_path, env=server_env(),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with proc:
        send(proc, INITIALIZE)
        reply = json.loads(read_line(proc.stdout, 60))
        assert reply["result"]["serverInfo"] == {"name": "pylua", "version": __version__}
        send(proc, {"jsonrpc": "2.0", "method": "notifications/initialized"})
        send(proc, CALL_HOLD)
        time.sleep(0.3)         # the call is under way
        yield proc


def send(proc, msg: dict) -> None:
    proc.stdin.write(json.dumps(msg).encode() + b"\n")
    proc.stdin.flush()


@pytest.mark.parametrize("how", ["eof", "SIGINT", "SIGTERM", "stdout closed"])
def test_a_stdio_server_ends_on_eof_and_signals_closing_calls_under_way(tmp_path, how):
    with holding_server(tmp_path) as proc:
        t0 = time.perf_counter()
        if how == "eof":
            proc.stdin.close()
        elif how == "stdout closed":      # the client is gone: the next reply cannot go
            proc.stdout.close()
            send(proc, {"jsonrpc": "2.0", "id": 3, "method": "tools/list"})
        else:
            proc.send_signal(getattr(signal, how))
        assert proc.wait(10) == 0
        print(f"{how}: ended in {time.perf_counter() - t0:.2f} s")
        assert proc.stderr.read() == b"closed\n"
        assert proc.stdout.closed or proc.stdout.read() == b""


def test_a_call_the_client_cancels_is_closed_and_the_server_goes_on(tmp_path):
    with holding_server(tmp_path) as proc:
        send(proc, {"jsonrpc": "2.0", "method": "notifications/cancelled",
                    "params": {"requestId": 2, "reason": "changed my mind"}})
        assert json.loads(read_line(proc.stdout, 10)) == {
            "jsonrpc": "2.0", "id": 2, "error": {"code": 0, "message": "Request cancelled"}}
        send(proc, {"jsonrpc": "2.0", "id": 3, "method": "tools/list"})
        assert [t["name"] for t in json.loads(read_line(proc.stdout, 10))["result"]["tools"]] == ["hold"]
        proc.stdin.close()
        assert proc.wait(10) == 0
        assert proc.stderr.read() == b"closed\n"


# ---------------------------------------------------------------- mistakes

def serve(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(serve_command(*args), cwd=tmp_path, env=server_env(), text=True,
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=60)


@pytest.mark.parametrize("code, message", [
    ("llm.mcp.tool{", "pylua: tools.lua:1: unexpected symbol near <eof>\n"),
    ("local x = 1\nerror('broken')", "pylua: tools.lua:2: broken\nstack traceback:\n"),
    ("print('hi')", "pylua: tools.lua registered no tools: call llm.mcp.tool{ name = ..., "
                    "handler = ... } in it\n"),
    ("llm.mcp.tool{ name = 'x', handler = print,\n"
     "  parameters = { type = 'object', properties = 5 } }",
     "pylua: tool 'x': 'parameters' is not a valid JSON schema: 5 is not of type 'object'\n"),
    ("llm.mcp.tool{ name = 'x', handler = print }\nllm.mcp.tool{ name = 'x', handler = print }",
     "pylua: tools.lua:2: bad argument #1 to 'tool' (a tool named 'x' is already registered)\n"),
], ids=["syntax", "runtime", "no tools", "bad schema", "duplicate"])
def test_a_broken_script_is_reported_before_serving(tmp_path, code, message):
    r = serve(tmp_path, write_tools(tmp_path, code))
    assert r.returncode == 1 and r.stdout == "" and message in r.stderr, r.stderr


def test_usage_and_option_mistakes(tmp_path):
    r = serve(tmp_path, "--help")
    assert (r.returncode, r.stderr) == (0, "") and r.stdout.startswith("usage: pylua mcp-serve")
    for args, message in ((["--http"], "'--http' needs argument"),
                          (["--http", "http", "x.lua"], "'--http' needs a port number (0 to 65535), got 'http'"),
                          (["--port", "1", "x.lua"], "unrecognized option '--port'"),
                          ([], "no script given")):
        r = serve(tmp_path, *args)
        assert r.returncode == 1 and r.stderr.startswith(f"pylua: {message}\nusage: pylua mcp-serve")
    r = serve(tmp_path, "absent.lua")
    assert (r.returncode, r.stderr) == (1, "pylua: cannot open absent.lua: No such file or directory\n")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = serve(tmp_path, "--http", str(port), write_tools(tmp_path))
    assert r.returncode == 1
    assert r.stderr.endswith(f"pylua: cannot listen on 127.0.0.1 port {port}: Address already in use\n")
    assert "pylua mcp-serve" in subprocess.run([sys.executable, "-m", "pylua", "-x"], env=server_env(),
                                               capture_output=True, text=True).stderr


# ---------------------------------------------------------------- llm.mcp.tool in a script

def run(code: str) -> list:
    L = LuaState(stdout=io.BytesIO())
    return scheduler.run(L, L.load(code, "=test"), ())


@pytest.mark.parametrize("spec, message", [
    ("", "bad argument #1 to 'tool' (table expected, got no value)"),
    ("{ handler = print }", "bad argument #1 to 'tool' ('name' must be a non-empty string)"),
    ("{ name = 'x' }", "bad argument #1 to 'tool' ('handler' must be a function)"),
    ("{ name = 'two words', handler = print }",
     "bad argument #1 to 'tool' ('name': 'two words' is not an MCP tool name (1 to 128 "
     "letters, digits, '_', '-' or '.'))"),
    ("{ name = 'x', handler = print, parameters = { properties = {} } }",
     "bad argument #1 to 'tool' ('parameters' must be a JSON schema with type = \"object\" "
     "(a tool's arguments and structured results are objects))"),
    ("{ name = 'x', handler = print, parameters = 'object' }",
     "bad argument #1 to 'tool' ('parameters' must be a table (a JSON schema))"),
    ("{ name = 'x', handler = print, output_schema = 5 }",
     "bad argument #1 to 'tool' ('output_schema' must be a table (a JSON schema), got number)"),
    ("{ name = 'x', handler = print, output_schema = { type = 'array' } }",
     "bad argument #1 to 'tool' ('output_schema' must be a JSON schema with type = \"object\" "
     "(a tool's arguments and structured results are objects))"),
])
def test_llm_mcp_tool_checks_its_fields(spec, message):
    with pytest.raises(LuaError) as e:
        run(f"llm.mcp.tool{spec and '(' + spec + ')' or '()'}")
    assert e.value.value == "test:1: " + message


def test_a_registered_tool_works_in_an_agent_and_needs_no_mcp_import(tmp_path):
    (tmp_path / "agent.lua").write_text("""
        local add = llm.mcp.tool{
          name = "add", description = "Adds two numbers",
          parameters = { type = "object", properties = { a = { type = "number" }, b = { type = "number" } } },
          handler = function(args) task.wait(0.01) return { sum = args.a + args.b } end,
        }
        local agent = llm.agent.new{ tools = { add }, provider = { type = "mock", responses = {
          { tool_calls = { { name = "add", arguments = { a = 2, b = 3 } } } }, "It is 5." } } }
        print(add.type, add.name, add.description)
        print(agent:run("2 + 3?"))
        print(agent:history()[3].content)
    """)
    driver = ("import sys\nfrom pylua.cli import main\nstatus = main(['agent.lua'])\n"
              "print('mcp' in sys.modules, status)\n")
    r = subprocess.run([sys.executable, "-c", driver], cwd=tmp_path, env=server_env(),
                       capture_output=True, text=True, timeout=60)
    assert r.stdout == ("function\tadd\tAdds two numbers\nIt is 5.\tnil\n"
                        '{"sum": 5}\nFalse 0\n'), r.stderr


def test_another_pylua_script_uses_the_served_tools_directly_and_in_an_agent(tmp_path):
    write_tools(tmp_path)
    (tmp_path / "client.lua").write_text("""
        local python = ...
        local served = { type = "stdio", name = "lua", command = python,
                         args = { "-m", "pylua", "mcp-serve", "tools.lua", "docs" },
                         env = { PYTHONPATH = os.getenv("PYTHONPATH") } }
        local c = assert(llm.mcp.connect(served))
        local names = {}
        for _, t in ipairs(c:tools()) do names[#names + 1] = t.name end
        print(table.concat(names, " "))
        print(c:call("greet", { name = "Bo" }).text)
        c:close()
        local agent = llm.agent.new{ tools = { served }, provider = { type = "mock", responses = {
          { tool_calls = { { name = "add", arguments = { a = 1, b = 2 } } } }, "It is 3." } } }
        print(agent:run("1 + 2?"))
        print(agent:history()[3].content)
    """)
    r = subprocess.run([sys.executable, "-m", "pylua", "client.lua", sys.executable], cwd=tmp_path,
                       env=server_env(), capture_output=True, text=True, timeout=120)
    assert r.stdout == ("add greet sleep fail missing stdin count nothing picture\n"
                        "hello, Bo (docs)\nIt is 3.\tnil\n{\"sum\": 3}\n"), r.stderr


def test_a_terminal_on_stdin_is_told_what_the_server_expects(tmp_path):
    import pty
    write_tools(tmp_path, HOLD)
    main, terminal = pty.openpty()
    proc = subprocess.Popen(serve_command("tools.lua"), cwd=tmp_path, env=server_env(),
                            stdin=terminal, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(terminal)
    try:
        assert read_line(proc.stderr, 60) == ("pylua: serving 1 tool over stdio: an MCP client "
                                              "speaks JSON-RPC here (Ctrl-C stops)\n")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(10) == 0
    finally:
        proc.kill()         # a failed check must not leave the server (and the test) hanging
        proc.wait()
        proc.stderr.close()
        os.close(main)
