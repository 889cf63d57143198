"""Streaming in Lua (issue #8): ``for chunk in agent:stream(input) do ... end`` on the
mock provider and over real sockets against the loopback server (tests/llm_server.py),
and ``pylua --stream``."""
import io
import os
import subprocess
import sys
import time

import pytest

from llm_server import Reply
from pylua import scheduler
from pylua.errors import LuaError
from pylua.objects import Builtin
from pylua.state import LuaState

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def state() -> LuaState:
    """A fresh state with ``now()``: seconds of the monotonic clock, for timings."""
    L = LuaState(stdout=io.BytesIO())
    L.globals.set_str("now", Builtin(lambda L, *a: (time.monotonic(),), "now"))
    return L


def run(code: str, L: LuaState = None) -> list:
    L = L or state()
    return scheduler.run(L, L.load(code, "=test"), ())


def server_agent(kind: str, server, extra: str = "") -> str:
    return (f'llm.agent.new{{ name = "S", provider = {{ type = "{kind}", model = "m", '
            f'base_url = "{server.url}", max_retries = 0 }}{extra} }}')


def test_chunks_of_a_mock_run_with_usage_in_done_and_history_updated():
    res = run("""
        local a = llm.agent.new{ provider = { type = "mock" } }
        local seen = {}
        for chunk in a:stream("one two three") do
          seen[#seen + 1] = chunk.index .. chunk.type .. "[" .. chunk.text .. "]"
          if chunk.type == "done" then
            seen[#seen + 1] = chunk.reply .. "/" .. chunk.usage.total_tokens .. "/" .. chunk.model
          end
        end
        local h = a:history()
        return table.concat(seen, " "), #h, h[2].content, a:usage().total_tokens
    """)
    assert res == ["1text[echo:] 2text[ one] 3text[ two] 4text[ three] 5done[] "
                   "echo: one two three/7/mock", 2, "echo: one two three", 7]


def test_tool_rounds_inside_a_stream_run_the_tools_and_go_on():
    res = run("""
        local a = llm.agent.new{ provider = { type = "mock", responses = {
            { text = "", tool_calls = { { name = "add", arguments = { a = 2, b = 3 } } } },
            "the sum is 5" } },
          tools = { { name = "add", handler = function(args) return args.a + args.b end } } }
        local seen = {}
        for chunk in a:stream("add") do
          local s = chunk.type
          if chunk.type == "tool_call" then s = s .. ":" .. chunk.name .. chunk.arguments end
          if chunk.type == "tool_result" then s = s .. ":" .. chunk.result end
          if chunk.type == "text" then s = chunk.text end
          seen[#seen + 1] = s
        end
        return table.concat(seen, "|"), #a:history()
    """)
    assert res == ['tool_call:add{"a": 2, "b": 3}|tool_result:5|the| sum| is| 5|done', 4]


def test_several_streams_at_once_in_tasks_and_coroutines():
    t0 = time.monotonic()
    res = run("""
        local function collect(name)
          local a = llm.agent.new{ provider = { type = "mock", delay = 0.3 } }
          local s = ""
          for chunk in a:stream(name) do s = s .. chunk.text end
          return s
        end
        local t1 = task.spawn(collect, "first")
        local t2 = task.spawn(collect, "second")
        local co = coroutine.wrap(function() return collect("third") end)
        local third = co()
        return task.join(t1), task.join(t2), third
    """)
    assert res == ["echo: first", "echo: second", "echo: third"]
    assert time.monotonic() - t0 < 0.9      # the three 0.3 s replies overlap (two at least)


def test_a_failed_stream_raises_in_the_loop_and_leaves_the_history():
    L = state()
    with pytest.raises(LuaError) as e:
        run("""
            a = llm.agent.new{ name = "F", provider = { type = "mock", responses = { { error = "down" } } } }
            for chunk in a:stream("x") do end
        """, L)
    assert e.value.value == "agent 'F': mock: down"
    assert run("return #a:history()", L) == [0]


def test_stream_arguments_are_checked():
    with pytest.raises(LuaError) as e:
        run("local a = llm.agent.new{ provider = { type = 'mock' } } a:stream()")
    assert e.value.value == "test:1: bad argument #1 to 'stream' (string expected, got no value)"


@pytest.mark.parametrize("kind", ["openai", "anthropic"])
def test_long_stream_keeps_pace_in_lua(kind, llm_server):
    """The issue's yardstick: 200 pieces 20 ms apart reach the Lua loop as sent."""
    llm_server.script(Reply(chunks=[f"w{n} " for n in range(200)], chunk_delay=0.02))
    res = run(f"""
        local a = {server_agent(kind, llm_server)}
        local times, text = {{}}, {{}}
        local start = now()
        for chunk in a:stream("count") do
          if chunk.type == "text" then times[#times + 1] = now() - start; text[#text + 1] = chunk.text end
        end
        return start, times, table.concat(text)
    """)
    start, times, text = res[0], [res[1].get_int(i) for i in range(1, res[1].length() + 1)], res[2]
    assert text == "".join(f"w{n} " for n in range(200))
    first = start + times[0] - llm_server.requests[0].time     # the server's clock is ours
    assert first < 0.1, first
    gaps = sorted(b - a for a, b in zip(times, times[1:]))
    assert len(times) == 200
    assert gaps[194] < 0.05, gaps[-6:]      # 195 of 199 gaps (a busy machine may stall a few)
    assert 3.9 < times[-1] < 4.6, times[-1]


@pytest.mark.parametrize("kind", ["openai", "anthropic"])
def test_breaking_out_closes_the_http_stream(kind, llm_server):
    llm_server.script(Reply(chunks=["tick "] * 100, chunk_delay=0.05))
    t0 = time.monotonic()
    res = run(f"""
        local a = {server_agent(kind, llm_server)}
        local n = 0
        for chunk in a:stream("go") do n = n + 1 if n == 3 then break end end
        return n, #a:history()
    """)
    assert res == [3, 0]                    # broken off: the conversation is as it was
    assert time.monotonic() - t0 < 1.5      # not the 5 s of the whole reply
    deadline = time.monotonic() + 2
    while llm_server.in_flight and time.monotonic() < deadline:
        time.sleep(0.02)
    assert llm_server.in_flight == 0        # the server saw the connection go


@pytest.mark.parametrize("kind", ["openai", "anthropic"])
def test_a_stream_that_dies_midway_is_a_lua_error(kind, llm_server):
    llm_server.script(Reply(chunks=["a "] * 10, stream_error="Overloaded"))
    res = run(f"""
        local a = {server_agent(kind, llm_server)}
        local n = 0
        local ok, err = pcall(function() for chunk in a:stream("go") do n = n + 1 end end)
        return ok, err, n > 0
    """)
    assert res == [False, f"agent 'S': {kind}: the stream failed: Overloaded", True]


@pytest.mark.parametrize("kind", ["openai", "anthropic"])
def test_tool_calls_streamed_from_the_server(kind, llm_server):
    llm_server.script(Reply(text="", tool_calls=[("add", {"a": 1, "": 2})]), Reply(text="it is 3"))
    res = run(f"""
        local a = {server_agent(kind, llm_server, ', tools = { { name = "add", handler = function(x) return x.a + x.b end } }')}
        local kinds, text = {{}}, ""
        for chunk in a:stream("add") do kinds[#kinds + 1] = chunk.type; text = text .. chunk.text end
        return table.concat(kinds, ","), text
    """)
    assert res == ["tool_call,tool_result,text,text,text,done", "it is 3"]
    assert llm_server.requests[0].body["stream"] is True


def test_the_stream_flag_shows_replies_as_they_come(tmp_path):
    script = tmp_path / "s.lua"
    script.write_text('local a = llm.agent.new{ name = "Live", provider = { type = "mock" } }\n'
                      'local r = a:run("hello world")\nprint("[" .. r .. "]")\n')
    out = subprocess.run([sys.executable, "-m", "pylua", "--stream", str(script)], cwd=ROOT,
                         capture_output=True, timeout=60)
    assert out.stdout == b"echo: hello world\n[echo: hello world]\n"
    assert b"Live" not in out.stderr        # no spinner: stderr is not a terminal


def test_an_error_in_the_loop_body_stops_the_stream(llm_server):
    """The loop's error goes on to host code, where __close cannot wait: the run is
    cancelled all the same and the error is the script's own."""
    llm_server.script(Reply(chunks=["tick "] * 100, chunk_delay=0.05))
    L = state()
    t0 = time.monotonic()
    with pytest.raises(LuaError) as e:
        run(f"""
            a = {server_agent("openai", llm_server)}
            for chunk in a:stream("go") do error("stop here", 0) end
        """, L)
    assert e.value.value == "stop here"
    assert time.monotonic() - t0 < 1.5
    assert run("return #a:history()", L) == [0]


def test_streaming_turned_off_in_the_configuration_gives_the_reply_as_one_chunk(tmp_path):
    """``[runtime] enable_streaming = false``: streams still work, the provider is asked
    for the whole reply, and rs-llmspell's supports_streaming() says false."""
    import subprocess
    import sys
    (tmp_path / "pylua.toml").write_text("[runtime]\nenable_streaming = false\n")
    script = tmp_path / "s.lua"
    script.write_text("""
        local a = llm.agent.new{ name = "A", provider = { type = "mock", responses = {"one two three"} } }
        for chunk in a:stream("hi") do print(chunk.type, chunk.text) end
        print(Agent.create{ name = "b", model = "mock" }:supports_streaming())
    """)
    proc = subprocess.run([sys.executable, "-m", "pylua", str(script)], cwd=tmp_path,
                          capture_output=True, text=True)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.splitlines() == ["text\tone two three", "done\t", "false"]


def test_the_stream_flag_spins_on_a_terminal_and_not_on_a_pipe(tmp_path):
    """``pylua --stream``: on a terminal the agent's name spins on stderr until its
    reply begins, then the reply appears; into pipes only the reply is written."""
    import os
    import pty
    import subprocess
    import sys
    script = tmp_path / "live.lua"
    script.write_text('local a = llm.agent.new{ name = "Scout", provider = { type = "mock",'
                      ' delay = 0.35, responses = {"all clear"} } }\na:run("report")\n')
    command = [sys.executable, "-m", "pylua", "--stream", str(script)]
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
        os.close(slave)
        seen = b""
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:         # the terminal closed: the program ended
                break
            if not data:
                break
            seen += data
        assert proc.wait(timeout=30) == 0
    finally:
        os.close(master)
    assert b"| Scout" in seen and b"/ Scout" in seen      # at least two frames of the spinner
    assert seen.index(b"Scout") < seen.index(b"all clear")
    assert b"\r\x1b[K" in seen                            # the spinner's line is cleared
    piped = subprocess.run(command, capture_output=True, timeout=30)
    assert (piped.returncode, piped.stdout, piped.stderr) == (0, b"all clear\n", b"")
