"""The ``llm`` library (issue #7) offline: llm.json, the mock provider, agents (memory,
loops, stop words, tools, autosave, errors, closing) and workflows."""
import io
import json
import time

import pytest

from pylua import scheduler
from pylua.errors import LuaError
from pylua.llm.mock import MockProvider
from pylua.objects import Userdata
from pylua.state import LuaState
from pylua.table import LuaTable


def run(code: str, *args) -> list:
    """The results of a chunk run on a fresh state (strings are Lua byte strings)."""
    L = LuaState(stdout=io.BytesIO())
    return scheduler.run(L, L.load(code, "=test"), args)


def one(code: str):
    res = run(code)
    assert len(res) == 1, res
    return res[0]


def error_of(code: str) -> str:
    with pytest.raises(LuaError) as e:
        run(code)
    return e.value.value


CALC_TOOLS = """
local calls = {}
local tools = {
  { type = "function", name = "add", description = "a + b",
    parameters = { type = "object", properties = { a = { type = "number" }, b = { type = "number" } },
                   required = { "a", "b" } },
    handler = function(args) calls[#calls + 1] = args; task.wait(0.2) return args.a + args.b end },
  { type = "function", name = "boom", description = "fails",
    handler = function(args) error("boom!") end },
  { type = "function", name = "weird", description = "returns a function",
    handler = function(args) return { f = print } end },
}
"""


# ---------------------------------------------------------------- llm.json

@pytest.mark.parametrize("expr, text", [
    ("nil", "null"), ("true", "true"), ("false", "false"), ("42", "42"), ("-7", "-7"),
    ("1.5", "1.5"), ("2.0", "2.0"), ("math.mininteger", "-9223372036854775808"),
    ("llm.json.null", "null"), ('"a\\"b\\\\c\\n\\1"', '"a\\"b\\\\c\\n\\u0001"'),
    ('"caf\\xc3\\xa9"', '"caf\xc3\xa9"'), ('"\\xff"', '"\xff"'),
    ("{1, 2, 3}", "[1,2,3]"), ("{}", "{}"), ("llm.json.array()", "[]"),
    ("llm.json.array{1, 2}", "[1,2]"), ("{[1] = 1, [3] = 3}", "[1,null,3]"),
    ("{[1] = 1, [20] = 2}", '{"1":1,"20":2}'), ("{1, x = 2}", '{"1":1,"x":2}'),
    ("{[1.5] = true}", '{"1.5":true}'), ("{a = {b = {}}}", '{"a":{"b":{}}}'),
    ("setmetatable({1, 2}, {__jsontype = 'object'})", '{"1":1,"2":2}'),
    ("setmetatable({}, {__jsontype = 'array'})", "[]"),
])
def test_encode(expr, text):
    assert one(f"return llm.json.encode({expr})") == text


def test_encode_keeps_the_order_of_table_keys():
    assert one("return llm.json.encode{z = 1, a = 2, m = {3}}") == '{"z":1,"a":2,"m":[3]}'


@pytest.mark.parametrize("expr, msg", [
    ("{handler = print}", "cannot encode a function (at value.handler)"),
    ("{1, {2, coroutine.create(print)}}", "cannot encode a thread (at value[2][2])"),
    ("io.stdout", "cannot encode a userdata (at value)"),
    ("{x = 0/0}", "cannot encode NaN (at value.x)"),
    ("{math.huge}", "cannot encode inf (at value[1])"),
    ("{[true] = 1}", "cannot encode a boolean key in an object (at value)"),
    ("(function() local t = {} t.self = t return t end)()",
     "cannot encode a reference cycle (at value.self)"),
    ("(function() local t = {} for i = 1, 600 do t = {t} end return t end)()",
     "cannot encode tables nested more than 500 deep"),
])
def test_encode_errors(expr, msg):
    assert error_of(f"return llm.json.encode({expr})") == "test:1: llm.json.encode: " + msg


def test_encode_needs_a_value():
    assert "bad argument #1 to 'encode' (value expected)" in error_of("llm.json.encode()")


def test_shared_tables_are_not_cycles():
    assert one("local s = {1} return llm.json.encode{s, s}") == "[[1],[1]]"


def test_decode():
    res = run("""
        local v = llm.json.decode('{"a": [1, 2.5, null, true], "b": "\\\\u00e9", "c": {},'
                                  .. ' "d": [], "e": 12345678901234567890, "f": -0.0}')
        return v.a[1], math.type(v.a[1]), v.a[2], v.a[3] == llm.json.null, #v.a, v.a[4],
               v.b, next(v.c), #v.d, llm.json.encode(v.d), math.type(v.e), llm.json.encode(v.c)
    """)
    assert res == [1, "integer", 2.5, True, 4, True, "\xc3\xa9", None, 0, "[]", "float", "{}"]


def test_decode_round_trips_utf8_and_raw_bytes():
    assert run("""
        local s = "h\\xc3\\xa9llo \\xff \\0 \\u{1F600}"
        local back = llm.json.decode(llm.json.encode({s}))[1]
        return back == s, llm.json.encode(s)
    """) == [True, '"h\xc3\xa9llo \xff \\u0000 \xf0\x9f\x98\x80"']


@pytest.mark.parametrize("text, msg", [
    ('{"a":', "invalid JSON: Expecting value at line 1 column 6"),
    ("[1, 2", "invalid JSON: Expecting ',' delimiter at line 1 column 6"),
    ("", "invalid JSON: Expecting value at line 1 column 1"),
    ("[NaN]", "invalid JSON: NaN is not a JSON value"),
    ("[1] x", "invalid JSON: Extra data at line 1 column 5"),
])
def test_decode_of_bad_json_returns_nil_and_a_message(text, msg):
    assert run("return llm.json.decode(...)", text) == [None, msg]


def test_decode_needs_a_string():
    assert "bad argument #1 to 'decode' (string expected, got table)" in error_of(
        "llm.json.decode({})")


def test_null_is_a_named_userdata():
    assert run("return type(llm.json.null), tostring(llm.json.null), llm.json.decode('null') == llm.json.null") \
        == ["userdata", "null", True]


# ---------------------------------------------------------------- the mock provider

def test_mock_echoes_and_counts_words():
    assert run("""
        local a = llm.agent.new{ name = "E", provider = { type = "mock" } }
        local r1, e1 = a:run("hello there world")
        local r2 = a:run("again")
        local u = a:usage()
        return r1, e1, r2, u.prompt_tokens, u.completion_tokens, u.total_tokens
    """) == ["echo: hello there world", None, "echo: again", 3 + (3 + 4 + 1), 4 + 2, 17]


def test_mock_plays_responses_back_in_order_then_runs_out():
    assert run("""
        local a = llm.agent.new{ name = "M", provider = { type = "mock", responses = { "one", "two" } } }
        return a:run("x"), a:run("y"), a:run("z")
    """) == ["one", "two", None, "agent 'M': mock: no scripted response left (request 3, 2 scripted)"]


def test_mock_scripted_error():
    assert run("""
        local a = llm.agent.new{ name = "M", provider = { type = "mock", responses = { { error = "rate limited" } } } }
        return a:run("x")
    """) == [None, "agent 'M': mock: rate limited"]


def test_mock_configuration_errors_are_lua_errors():
    assert "field 'provider': mock: 'delay' must be a number of seconds" in error_of(
        "llm.agent.new{ provider = { type = 'mock', delay = 'slow' } }")
    assert "field 'provider': mock: 'responses' must be a list" in error_of(
        "llm.agent.new{ provider = { type = 'mock', responses = 'hi' } }")


def test_mock_stream_gives_the_reply_word_by_word():
    import asyncio
    from pylua.llm.provider import Request, ToolCall

    async def chunks():
        p = MockProvider({"responses": [{"text": "one two three",
                                         "tool_calls": [{"name": "f", "arguments": {"x": 1}}]}]})
        return [c async for c in p.stream(Request(messages=[{"role": "user", "content": "x"}]))]

    got = asyncio.run(chunks())
    assert [(c.type, c.index, c.text) for c in got[:3]] == [
        ("text", 1, "one"), ("text", 2, " two"), ("text", 3, " three")]
    assert (got[3].type, got[3].tool_call) == ("tool_call", ToolCall("call_1_1", "f", '{"x": 1}'))
    done = got[4]
    assert (done.type, done.completion.text, done.completion.usage.completion_tokens) == \
        ("done", "one two three", 3 + 1 + 2)


# ---------------------------------------------------------------- agents

def agent_of(res) -> object:
    assert type(res) is Userdata
    return res.value


def test_agent_userdata_and_require():
    assert run("""
        local a = llm.agent.new{ name = "Assistant", provider = { type = "mock" } }
        return tostring(a), type(a), require("llm") == llm, getmetatable(a).__name
    """) == ["agent: Assistant", "userdata", True, "llm.agent"]


def test_agent_defaults_mirror_swarms_rs():
    a = agent_of(one("return llm.agent.new{ provider = { type = 'mock' } }"))
    assert (a.name, a.user_name, a.max_loops, a.system_prompt, a.stop_words, a.state_path) == \
        ("Agent", "User", 1, None, [], None)


def test_conversation_memory_system_prompt_and_options_reach_the_provider():
    res = run("""
        local a = llm.agent.new{ name = "A", provider = { type = "mock" }, system_prompt = "Be brief.",
                                 temperature = 0.2, max_tokens = 64, user_name = "Ann" }
        a:run("first")
        a:run("second")
        return a
    """)
    a = agent_of(res[0])
    req = a.provider.requests[-1]
    assert req.messages == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "first", "name": "Ann"},
        {"role": "assistant", "content": "echo: first"},
        {"role": "user", "content": "second", "name": "Ann"}]
    assert (req.temperature, req.max_tokens, req.tools, req.stop) == (0.2, 64, [], [])


def test_history_and_reset():
    assert run("""
        local a = llm.agent.new{ provider = { type = "mock" }, system_prompt = "S" }
        a:run("hi")
        local h = a:history()
        local n, r1, c1, r2, c2 = #h, h[1].role, h[1].content, h[2].role, h[2].content
        a:reset()
        return n, r1, c1, r2, c2, #a:history(), a:usage().total_tokens, (a:run("again"))
    """) == [2, "user", "hi", "assistant", "echo: hi", 0, 2 + 2, "echo: again"]


def test_max_loops_feed_the_answer_back_and_say_which_loop():
    res = run("""
        local a = llm.agent.new{ provider = { type = "mock", responses = { "draft", "better", "best" } },
                                 max_loops = 3 }
        return a:run("write"), a
    """)
    assert res[0] == "best"
    a = agent_of(res[1])
    last = a.provider.requests[-1].messages
    assert [m["role"] for m in last] == ["user", "assistant", "user", "assistant", "user"]
    assert last[1]["content"] == "draft" and last[3]["content"] == "better"
    assert last[2]["content"].startswith("Loop 2 of 3.") and last[2]["content"].endswith("The task:\nwrite")
    assert last[4]["content"].startswith("Loop 3 of 3.")


def test_a_stop_word_ends_the_loops_early_and_is_sent_to_the_provider():
    res = run("""
        local a = llm.agent.new{ provider = { type = "mock", responses = { "working", "done. END", "never" } },
                                 max_loops = 5, stop_words = { "END", "STOP" } }
        return a:run("go"), #a:history(), a
    """)
    assert res[:2] == ["done. END", 4]
    assert agent_of(res[2]).provider.requests[-1].stop == ["END", "STOP"]


def test_tools_run_concurrently_with_decoded_arguments_and_encoded_results():
    t0 = time.perf_counter()
    res = run(CALC_TOOLS + """
        local a = llm.agent.new{ name = "Calc", tools = tools, provider = { type = "mock", responses = {
            { text = "adding", tool_calls = { { name = "add", arguments = { a = 1, b = 2 } },
                                              { name = "add", arguments = { a = 10.5, b = 20 } } } },
            "3 and 30.5" } } }
        local r, err = a:run("add these")
        local h = a:history()
        return r, err, #calls, calls[1].a, math.type(calls[1].a), h[2].content, #h[2].tool_calls,
               h[2].tool_calls[1].name, h[2].tool_calls[1].arguments, h[3].role, h[3].content,
               h[3].tool_call_id, h[3].name, h[4].content, a
    """)
    elapsed = time.perf_counter() - t0
    assert res[:-1] == ["3 and 30.5", None, 2, 1, "integer", "adding", 2, "add", '{"a": 1, "b": 2}',
                        "tool", "3", "call_1_1", "add", "30.5"]
    assert elapsed < 0.38, elapsed      # two 0.2 s handlers, side by side
    req = agent_of(res[-1]).provider.requests[0]
    assert req.tools[0] == {"name": "add", "description": "a + b", "parameters": {
        "type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
        "required": ["a", "b"]}}
    assert req.tools[1] == {"name": "boom", "description": "fails",
                            "parameters": {"type": "object", "properties": {}}}


@pytest.mark.parametrize("call, result", [
    ('{ name = "boom" }', {"error": "tool 'boom' failed: test:9: boom!"}),
    ('{ name = "nope" }', {"error": "unknown tool 'nope'"}),
    ('{ name = "add", arguments = "{oops" }',
     {"error": "tool 'add': the arguments are not valid JSON (invalid JSON: Expecting property "
               "name enclosed in double quotes at line 1 column 2)"}),
    ('{ name = "add", arguments = "[1, 2]" }', {"error": "tool 'add': the arguments must be a JSON object"}),
    ('{ name = "weird" }', {"error": "tool 'weird' returned a value JSON cannot hold: "
                                      "cannot encode a function (at value.f)"}),
])
def test_a_tool_failure_goes_back_to_the_model(call, result):
    res = run(CALC_TOOLS + f"""
        local a = llm.agent.new{{ tools = tools, provider = {{ type = "mock", responses = {{
            {{ tool_calls = {{ {call} }} }}, "recovered" }} }} }}
        return a:run("x"), a:history()[3].content
    """)
    assert res[0] == "recovered"
    assert json.loads(res[1]) == result


def test_tool_rounds_are_bounded_and_a_failed_run_leaves_the_history_as_it_was():
    assert run(CALC_TOOLS + """
        local ask = { tool_calls = { { name = "boom" } } }
        local a = llm.agent.new{ name = "Loopy", tools = tools, max_tool_rounds = 2,
                                 provider = { type = "mock", responses = { "ok", ask, ask, ask, "late" } } }
        a:run("first")
        local r, err = a:run("second")
        return r, err, #a:history(), a:usage().completion_tokens > 0
    """) == [None, "agent 'Loopy': the model still asked for tools after 2 rounds of tool calls "
                   "(max_tool_rounds = 2)", 2, True]


def test_a_tool_handler_may_run_another_agent():
    assert run("""
        local helper = llm.agent.new{ name = "Helper", provider = { type = "mock" } }
        local boss = llm.agent.new{ name = "Boss", provider = { type = "mock", responses = {
            { tool_calls = { { name = "ask", arguments = { q = "what?" } } } }, "thanks" } },
          tools = { { type = "function", name = "ask", handler = function(args) return (helper:run(args.q)) end } } }
        return boss:run("delegate"), boss:history()[3].content
    """) == ["thanks", '"echo: what?"']


def test_agents_run_concurrently_in_tasks():
    t0 = time.perf_counter()
    assert run("""
        local agents = {}
        for i = 1, 5 do agents[i] = llm.agent.new{ name = "A" .. i, provider = { type = "mock", delay = 0.3 } } end
        local fs = {}
        for i = 1, 5 do fs[i] = function() return (agents[i]:run("n" .. i)) end end
        return task.all(fs)
    """) == ["echo: n1", "echo: n2", "echo: n3", "echo: n4", "echo: n5"]
    assert time.perf_counter() - t0 < 0.55


def test_runs_of_one_agent_take_turns():
    assert run("""
        local a = llm.agent.new{ provider = { type = "mock", delay = 0.05 } }
        task.all{ function() return a:run("one") end, function() return a:run("two") end }
        local h = a:history()
        return h[1].content, h[2].content, h[3].content, h[4].content
    """) == ["one", "echo: one", "two", "echo: two"]


@pytest.mark.parametrize("code, msg", [
    ("llm.agent.new()", "bad argument #1 to 'new' (table expected, got no value)"),
    ("llm.agent.new{}", "bad argument #1 to 'new' (field 'provider': table expected, got nil)"),
    ("llm.agent.new{ provider = { type = 'nope' } }",
     "bad argument #1 to 'new' (field 'provider': unknown provider type 'nope' "
     "(expected \"openai\", \"anthropic\" or \"mock\"))"),
    ("llm.agent.new{ provider = { type = 'mock' }, max_loops = 'x' }",
     "bad argument #1 to 'new' (field 'max_loops': number expected, got string)"),
    ("llm.agent.new{ provider = { type = 'mock' }, max_loops = 0 }",
     "bad argument #1 to 'new' (fields 'max_loops' and 'max_tool_rounds' must be at least 1)"),
    ("llm.agent.new{ provider = { type = 'mock' }, stop_words = { 'a', 1 } }",
     "bad argument #1 to 'new' (field 'stop_words': string expected at index 2, got number)"),
    ("llm.agent.new{ provider = { type = 'mock' }, tools = { { name = 'x' } } }",
     "bad argument #1 to 'new' (field 'tools': tool 1: 'handler' must be a function)"),
    ("llm.agent.new{ provider = { type = 'mock' }, tools = { { type = 'mcp', name = 'x' } } }",
     "bad argument #1 to 'new' (field 'tools': tool 1: unknown type 'mcp' (expected \"function\", "
     "or an MCP server's \"stdio\", \"sse\" or \"http\"))"),
    ("local f = function() end llm.agent.new{ provider = { type = 'mock' }, "
     "tools = { { name = 'x', handler = f }, { name = 'x', handler = f } } }",
     "bad argument #1 to 'new' (field 'tools': tool 2: a tool named 'x' is already in the list)"),
    ("llm.agent.new{ provider = { type = 'mock' }, autosave = 'yes' }",
     "bad argument #1 to 'new' (field 'autosave': true or { path = \"...\" } expected)"),
    ("local a = llm.agent.new{ provider = { type = 'mock' } } a.run(nil, 'x')",
     "bad argument #1 to 'run' (llm.agent expected, got nil)"),
    ("local a = llm.agent.new{ provider = { type = 'mock' } } a:run()",
     "bad argument #1 to 'run' (string expected, got no value)"),
])
def test_bad_arguments_are_lua_errors(code, msg):
    assert msg in error_of(code)


# ---------------------------------------------------------------- autosave

def test_autosave_writes_the_state_and_a_new_agent_resumes_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = """
        local a = llm.agent.new{ name = "Saver", provider = { type = "mock" }, autosave = true }
        a:run(...)
        local h = a:history()
        return #h, h[1].content, a:usage().total_tokens
    """
    assert run(code, "one") == [2, "one", 1 + 2]
    state = json.loads((tmp_path / "agent_states" / "Saver.json").read_text())
    assert state == {"name": "Saver", "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
                     "history": [{"role": "user", "content": "one"},
                                 {"role": "assistant", "content": "echo: one"}]}
    assert run(code, "two") == [4, "one", 3 + (1 + 2 + 1) + 2]


def test_autosave_path_and_tool_calls_survive(tmp_path):
    path = tmp_path / "state" / "calc.json"
    code = CALC_TOOLS + """
        local a = llm.agent.new{ name = "C", tools = tools, autosave = { path = ... },
          provider = { type = "mock", responses = { { tool_calls = { { name = "boom" } } }, "done" } } }
        if #a:history() == 0 then a:run("go") end
        local h = a:history()
        return #h, h[2].tool_calls[1].name, h[3].role
    """
    assert run(code, str(path)) == [4, "boom", "tool"]
    assert run(code, str(path)) == [4, "boom", "tool"]      # resumed, not run again


def test_a_damaged_state_file_is_an_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    msg = error_of(f"llm.agent.new{{ name = 'B', provider = {{ type = 'mock' }}, autosave = {{ path = '{path}' }} }}")
    assert msg.startswith(f"llm.agent.new: cannot resume agent 'B' from '{path}': JSONDecodeError")


def test_an_autosave_that_cannot_write_is_the_runs_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    res = run("local a = llm.agent.new{ name = 'W', provider = { type = 'mock' }, autosave = { path = ... } } "
              "return a:run('x')", str(blocker / "state.json"))
    assert res[0] is None and res[1].startswith(f"agent 'W': autosave to '{blocker}/state.json' failed: ")


# ---------------------------------------------------------------- closing connections

def test_providers_close_when_their_agent_is_collected_and_when_the_loop_ends(monkeypatch):
    import asyncio
    from pylua.llm.agent import Agent
    from pylua.llm.luajson import Codec
    closed = []

    async def aclose(self):
        if self.model in ("kept", "dropped"):     # not the agents of earlier tests
            closed.append(self.model)

    def config(model: str) -> LuaTable:
        provider, t = LuaTable(), LuaTable()
        provider.set_str("type", "mock")
        provider.set_str("model", model)
        t.set_str("provider", provider)
        return t

    async def main():
        L = LuaState()
        codec = Codec(Userdata(), LuaTable())
        kept, dropped = Agent(L, codec, config("kept")), Agent(L, codec, config("dropped"))
        assert await kept.run("x") == ("echo: x", None)
        assert await dropped.run("x") == ("echo: x", None)
        del dropped
        await asyncio.sleep(0)
        assert closed == ["dropped"]
        return kept

    monkeypatch.setattr(MockProvider, "aclose", aclose)
    kept = asyncio.run(main())
    assert closed == ["dropped", "kept"] and kept.history


# ---------------------------------------------------------------- workflows

def test_sequential_workflow_passes_each_output_on():
    res = run("""
        local a = llm.agent.new{ name = "Writer", provider = { type = "mock", responses = { "draft" } } }
        local b = llm.agent.new{ name = "Editor", provider = { type = "mock" } }
        local wf = llm.workflow.sequential{ name = "Pipeline", description = "write then edit", agents = { a, b } }
        local out, err = wf:run("a poem")
        return tostring(wf), out, err
    """)
    assert res[0] == "workflow: Pipeline" and res[2] is None
    result = json.loads(res[1])
    for e in result["agents"]:
        assert isinstance(e.pop("duration"), float)
    assert result == {
        "name": "Pipeline", "description": "write then edit", "task": "a poem",
        "agents": [{"agent_name": "Writer", "task": "a poem", "output": "draft"},
                   {"agent_name": "Editor", "task": "[From Agent] Writer:\ndraft",
                    "output": "echo: [From Agent] Writer:\ndraft"}],
        "final_output": "echo: [From Agent] Writer:\ndraft"}


def test_sequential_workflow_stops_at_the_first_failure():
    assert run("""
        local a = llm.agent.new{ name = "First", provider = { type = "mock", responses = { { error = "down" } } } }
        local b = llm.agent.new{ name = "Second", provider = { type = "mock" } }
        local out, err = llm.workflow.sequential{ name = "S", agents = { a, b } }:run("x")
        return out, err, #b:history()
    """) == [None, "workflow 'S': agent 'First': mock: down", 0]


def test_concurrent_workflow_runs_agents_at_the_same_time_and_reports_each_error():
    t0 = time.perf_counter()
    res = run("""
        local agents = {}
        for i = 1, 10 do
          agents[i] = llm.agent.new{ name = "A" .. i, provider = { type = "mock", delay = 0.3,
                                     responses = { i == 4 and { error = "boom" } or ("answer " .. i) } } }
        end
        return llm.workflow.concurrent{ name = "Fan", agents = agents }:run("question")
    """)
    assert time.perf_counter() - t0 < 0.6
    assert res[1] is None
    result = json.loads(res[0])
    assert [e["agent_name"] for e in result["agents"]] == [f"A{i}" for i in range(1, 11)]
    assert [e["output"] for e in result["agents"]] == [None if i == 4 else f"answer {i}" for i in range(1, 11)]
    assert result["agents"][3]["error"] == "agent 'A4': mock: boom"
    assert all("error" not in e for i, e in enumerate(result["agents"]) if i != 3)
    assert "final_output" not in result and result["task"] == "question"


def test_concurrent_workflow_fails_when_every_agent_failed():
    assert run("""
        local a = llm.agent.new{ name = "A", provider = { type = "mock", responses = { { error = "x" } } } }
        local b = llm.agent.new{ name = "B", provider = { type = "mock", responses = { { error = "y" } } } }
        return llm.workflow.concurrent{ name = "C", agents = { a, b } }:run("t")
    """) == [None, "workflow 'C': every agent failed: agent 'A': mock: x; agent 'B': mock: y"]


@pytest.mark.parametrize("code, msg", [
    ("llm.workflow.sequential{ agents = {} }",
     "bad argument #1 to 'sequential' (field 'agents': a non-empty list of agents expected)"),
    ("llm.workflow.concurrent{ agents = { {} } }",
     "bad argument #1 to 'concurrent' (field 'agents': agent expected at index 1, got table)"),
    ("llm.workflow.concurrent{ name = 1, agents = { llm.json.null } }",
     "bad argument #1 to 'concurrent' (field 'agents': agent expected at index 1, got llm.json.null)"),
])
def test_workflow_bad_arguments(code, msg):
    assert msg in error_of(code)


def test_workflow_defaults():
    assert run("""
        local a = llm.agent.new{ provider = { type = "mock" } }
        return tostring(llm.workflow.sequential{ agents = { a } }),
               tostring(llm.workflow.concurrent{ agents = { a } })
    """) == ["workflow: SequentialWorkflow", "workflow: ConcurrentWorkflow"]


def test_the_library_opens_without_importing_the_agent_machinery():
    import subprocess
    import sys
    code = ("import sys; from pylua.state import LuaState; L = LuaState(); "
            "print(type(L.globals.get_str('llm')).__name__, "
            "[m for m in ('asyncio', 'json', 'httpx', 'pylua.llm.agent') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "LuaTable []"


# ---------------------------------------------------------------- agents over HTTP (tests/llm_server.py)

HTTP_AGENT = """
local kind, url = ...
local function provider() return { type = kind, model = "test-model", base_url = url, api_key = "sk-test" } end
"""


@pytest.mark.parametrize("kind", ["openai", "anthropic"])
def test_a_tool_conversation_with_two_tools_over_http(kind, llm_server):
    from llm_server import Reply
    llm_server.script(Reply(tool_calls=[("add", {"a": 2, "b": 3}), ("upper", {"s": "lua"})]),
                      Reply(text="5 and LUA"))
    res = run(HTTP_AGENT + """
        local a = llm.agent.new{ name = "T", provider = provider(), system_prompt = "Use tools.",
          temperature = 0.5, max_tokens = 100,
          tools = { { type = "function", name = "add", description = "a + b",
                      parameters = { type = "object", properties = { a = { type = "number" }, b = { type = "number" } } },
                      handler = function(args) return args.a + args.b end },
                    { type = "function", name = "upper", description = "upper case",
                      parameters = { type = "object", properties = { s = { type = "string" } } },
                      handler = function(args) return { text = args.s:upper() } end } } }
        local r, err = a:run("compute")
        local u = a:usage()
        return r, err, #a:history(), u.prompt_tokens, u.completion_tokens
    """, kind, llm_server.url)
    assert res == ["5 and LUA", None, 5, 22, 14]
    first, second = (r.body for r in llm_server.requests)
    assert [t.get("name") or t["function"]["name"] for t in first["tools"]] == ["add", "upper"]
    assert (first["temperature"], first["max_tokens"]) == (0.5, 100)
    if kind == "openai":
        assert first["messages"][0] == {"role": "system", "content": "Use tools."}
        results = [(m["tool_call_id"], m["content"]) for m in second["messages"] if m["role"] == "tool"]
        assert results == [("call_0", "5"), ("call_1", '{"text": "LUA"}')]
    else:
        assert first["system"] == "Use tools."
        blocks = [b for m in second["messages"] if isinstance(m["content"], list)
                  for b in m["content"] if b["type"] == "tool_result"]
        assert [(b["tool_use_id"], b["content"]) for b in blocks] == [
            ("toolu_0", "5"), ("toolu_1", '{"text": "LUA"}')]


@pytest.mark.parametrize("kind", ["openai", "anthropic"])
def test_http_failures_end_a_run_with_nil_and_a_message_and_the_script_goes_on(kind, llm_server):
    from llm_server import Reply
    llm_server.script(Reply(status=401, error="invalid api key"), Reply(text="recovered"))
    res = run(HTTP_AGENT + """
        local a = llm.agent.new{ name = "F", provider = provider() }
        local r1, e1 = a:run("first")
        local r2, e2 = a:run("second")
        return r1, e1, r2, e2, #a:history()
    """, kind, llm_server.url)
    assert res[0] is None and res[1].startswith(f"agent 'F': {kind}: ") and "401" in res[1]
    assert "invalid api key" in res[1]
    assert res[2:] == ["recovered", None, 2]
    assert len(llm_server.requests) == 2      # no retry on 401


def test_ten_agents_of_a_concurrent_workflow_wait_for_the_server_together(llm_server):
    from llm_server import Reply
    llm_server.default = Reply(text="slow answer", delay=1.0)
    t0 = time.perf_counter()
    res = run(HTTP_AGENT + """
        local agents = {}
        for i = 1, 10 do agents[i] = llm.agent.new{ name = "A" .. i, provider = provider() } end
        local out, err = llm.workflow.concurrent{ name = "Ten", agents = agents }:run("go")
        return out, err
    """, "openai", llm_server.url)
    elapsed = time.perf_counter() - t0
    assert res[1] is None
    assert [e["output"] for e in json.loads(res[0])["agents"]] == ["slow answer"] * 10
    assert elapsed < 2.0 and llm_server.max_in_flight == 10


# ---------------------------------------------------------------- the examples, offline

AGENT_EXAMPLE_OUTPUT = """\
agent: Geographer
> How many people live in Rio de Janeiro and in Lisbon?
Rio de Janeiro has about 6.2 million people, Lisbon about 0.5 million.
> Which of the two is bigger?
Rio de Janeiro: it has about eleven times as many people as Lisbon.
-- the conversation:
user      How many people live in Rio de Janeiro and in Lisbon?
assistant Let me look both up.
assistant calls population {"city": "Rio de Janeiro"}
assistant calls population {"city": "Lisbon"}
tool      {"city": "Rio de Janeiro", "population": 6211423}
tool      {"city": "Lisbon", "population": 545923}
assistant Rio de Janeiro has about 6.2 million people, Lisbon about 0.5 million.
user      Which of the two is bigger?
assistant Rio de Janeiro: it has about eleven times as many people as Lisbon.
tokens: 123 prompt + 38 completion = 161
"""

WORKFLOW_EXAMPLE_OUTPUT = """\
== Panel: two opinions at once
[Optimist] Yes: Lua is small, fast and made to be embedded.
[Skeptic] Careful: its standard library is tiny and arrays start at 1.
== Pipeline: draft, then edit
[Writer] lua: tiny fast language, embed it anywhere!!
[Editor] Lua is a small, fast language designed to be embedded.
the editor was given: [From Agent] Writer: / lua: tiny fast language, embed it anywhere!!
final: Lua is a small, fast language designed to be embedded.
"""


@pytest.mark.parametrize("name, expected, seconds", [
    ("agent.lua", AGENT_EXAMPLE_OUTPUT, 5),
    ("workflow.lua", WORKFLOW_EXAMPLE_OUTPUT, 1.5 + 2.5),    # 0.5 s panel + 2 x 0.5 s pipeline, start-up and a loaded machine (concurrency itself: test_concurrent_workflow_runs_agents_at_the_same_time_and_reports_each_error)
], ids=["agent", "workflow"])
def test_examples_run_offline_on_the_mock_provider(name, expected, seconds, tmp_path):
    import os
    import shutil
    import subprocess
    from oracle import REPO_ROOT
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    t0 = time.perf_counter()
    r = subprocess.run([shutil.which("pylua"), str(REPO_ROOT / "examples" / name)], cwd=tmp_path,
                       capture_output=True, text=True, env=env, timeout=60)
    assert (r.returncode, r.stdout) == (0, expected), r.stderr
    assert time.perf_counter() - t0 < seconds


def test_an_agent_runs_inside_pcall_and_coroutines():
    assert run("""
        local a = llm.agent.new{ provider = { type = "mock" } }
        local ok, r = pcall(a.run, a, "in pcall")
        local co = coroutine.wrap(function(x) coroutine.yield((a:run(x))) return "after" end)
        return ok, r, co("in a coroutine"), co()
    """) == [True, "echo: in pcall", "echo: in a coroutine", "after"]


def test_a_tool_that_runs_its_own_agent_gets_an_error_instead_of_waiting_forever():
    assert run("""
        local a
        a = llm.agent.new{ name = "Self", provider = { type = "mock", responses = {
              { tool_calls = { { name = "again" } } }, "gave up" } },
          tools = { { type = "function", name = "again", handler = function() return { a:run("loop") } end } } }
        return a:run("go"), a:history()[3].content
    """) == ["gave up", '[null, "agent \'Self\': cannot run from inside its own run (one of its '
                        'tools called it)"]']


@pytest.mark.parametrize("kind", ["openai", "anthropic"])
@pytest.mark.parametrize("failure, words", [
    ({"status": 500, "error": "overloaded"}, ["500", "overloaded"]),
    ({"close_midway": True}, ["closed the connection"]),
    ({"body": b"<html>not json</html>"}, ["not json"]),
], ids=["500-every-time", "closed-midway", "not-json"])
def test_a_failing_server_gives_nil_and_a_message_in_seconds(kind, failure, words, llm_server):
    from llm_server import Reply
    llm_server.default = Reply(**failure)
    t0 = time.perf_counter()
    res = run(HTTP_AGENT + """
        local a = llm.agent.new{ name = "F", provider = provider() }
        local r, err = a:run("hello")
        return r, err, #a:history(), "the script goes on"
    """, kind, llm_server.url)
    assert time.perf_counter() - t0 < 10
    assert res[0] is None and res[1].startswith(f"agent 'F': {kind}: "), res
    assert all(w in res[1] for w in words), res[1]
    assert res[2:] == [0, "the script goes on"]
