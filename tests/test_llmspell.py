"""The rs-llmspell script API (issue #8): the globals Agent, Tool and Workflow over the
``llm`` library, on the mock provider and against the loopback server."""
import io
import os
import subprocess
import sys

import pytest

from llm_server import Reply
from pylua import scheduler
from pylua.errors import LuaError
from pylua.state import LuaState

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# the acceptance script, as written there
ACCEPTANCE = """
local agent = Agent.create({ name = "assistant", model = "gpt-4o-mini",
                             prompt = "You are a helpful assistant" })
local result = agent:execute({ text = "What is 2+2?", parameters = { temperature = 0.7 } })
print("Response:", result.text)          -- result also has tool_calls, metadata (usage, model)
if agent:supports_streaming() then
  local stream = agent:stream_execute({ text = "Count to 5" })
  for chunk in stream do print("Chunk:", chunk.content.text) end
end
"""


def run(code: str, L: LuaState = None) -> list:
    L = L or LuaState(stdout=io.BytesIO())
    return scheduler.run(L, L.load(code, "=test"), ())


def error_of(code: str) -> str:
    with pytest.raises(LuaError) as e:
        run(code)
    return e.value.value


def pylua(script: str, tmp_path, env: dict) -> subprocess.CompletedProcess:
    path = tmp_path / "spell.lua"
    path.write_text(script + '\nlocal outcome = "Success"\nprint(outcome)\nreturn outcome\n')
    return subprocess.run([sys.executable, "-m", "pylua", str(path)], cwd=ROOT, timeout=60,
                          capture_output=True, env=dict(os.environ, **env))


def test_acceptance_script_on_mock():
    L = LuaState(stdout=io.BytesIO())
    res = run(ACCEPTANCE.replace('"gpt-4o-mini"', '"mock"') + 'return "Success"', L)
    assert res == ["Success"]
    assert L.stdout.getvalue() == (b"Response:\techo: What is 2+2?\nChunk:\techo:\nChunk:\t Count\n"
                                   b"Chunk:\t to\nChunk:\t 5\nChunk:\t\n")


def test_acceptance_script_against_the_server_unchanged(tmp_path, llm_server):
    """model = "gpt-4o-mini": the default provider (openai) at OPENAI_BASE_URL."""
    out = pylua(ACCEPTANCE, tmp_path, {"OPENAI_BASE_URL": llm_server.url,
                                        "OPENAI_API_KEY": "sk-test"})
    assert out.returncode == 0, out.stderr
    lines = out.stdout.decode().splitlines()
    assert lines[0] == "Response:\tHello from the test server."
    assert lines[1:-2] == ["Chunk:\tHello ", "Chunk:\tfrom ", "Chunk:\tthe ", "Chunk:\ttest ",
                           "Chunk:\tserver."]
    assert lines[-1] == "Success"
    first, second = llm_server.requests
    assert first.body["model"] == "gpt-4o-mini" and first.body["temperature"] == 0.7
    assert first.body["messages"][0] == {"role": "system", "content": "You are a helpful assistant"}
    assert "stream" not in first.body and second.body["stream"] is True
    assert first.headers["authorization"] == "Bearer sk-test"


def test_provider_slash_model_for_anthropic(monkeypatch, llm_server):
    monkeypatch.setenv("ANTHROPIC_BASE_URL", llm_server.url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "ak-test")
    res = run("""
        local a = Agent.create{ name = "c", model = "anthropic/claude-x" }
        local r = a:execute{ text = "hi" }
        return r.text, r.metadata.model, r.metadata.usage.prompt_tokens, r.metadata.usage.total_tokens
    """)
    assert res == ["Hello from the test server.", "test-model", 11, 18]
    assert llm_server.requests[0].path == "/v1/messages"
    assert llm_server.requests[0].body["model"] == "claude-x"
    assert llm_server.requests[0].headers["x-api-key"] == "ak-test"


def test_execute_result_has_tool_calls_and_metadata():
    res = run("""
        Tool.create{ name = "add", description = "a + b",
                     parameters = { type = "object", properties = { a = { type = "number" } } },
                     handler = function(args) return args.a + args.b end }
        local a = Agent.create{ name = "calc", model = "mock", tools = { "add" } }
        local r = a:execute("sum")
        return r.text, #r.tool_calls, r.metadata.agent, type(r.metadata.usage.total_tokens),
               a:supports_multimodal(), table.concat(a:supported_media_types(), ",")
    """)
    assert res == ["echo: sum", 0, "calc", "number", True, "text,image,audio,file"]


def test_tools_reach_the_agent_and_tool_invoke_calls_them():
    res = run("""
        Tool.create{ name = "add", description = "a + b",
                     handler = function(args) task.wait(0.01) return args.a + args.b end }
        local direct = Tool.invoke("add", { a = 4, b = 5 })
        local a = Agent.create{ model = "mock", tools = { "add" } }
        -- the mock provider has no scripted tool call here; an llm agent with one does:
        local b = llm.agent.new{ provider = { type = "mock", responses = {
            { tool_calls = { { name = "add", arguments = { a = 1, b = 2 } } } }, "3" } },
          tools = { { name = "add", handler = function(x) return x.a + x.b end } } }
        return direct.success, direct.result, Tool.exists("add"), Tool.exists("nope"),
               #Tool.list(), Tool.list()[1].name, (b:run("go"))
    """)
    assert res == [True, 9, True, False, 1, "add", "3"]


def test_workflows_map_to_the_llm_workflows():
    res = run("""
        local a = Agent.create{ name = "first", model = "mock" }
        local b = Agent.create{ name = "second", model = "mock" }
        local seq = Workflow.sequential{ name = "pipe", steps = { { agent = a }, { agent = b } } }
        local r = seq:execute{ text = "go" }
        local con = Workflow.concurrent{ name = "panel", agents = { a, b } }
        local c = con:execute("both")
        return r.text, #r.agents, c.agents[1].output, c.agents[2].agent_name
    """)
    assert res == ["echo: [From Agent] first:\necho: go", 2, "echo: both", "second"]


@pytest.mark.parametrize("code, msg", [
    ("Agent.create{}", "test:1: Agent.create: field 'model' must be a string such as "
                       "\"openai/gpt-4o-mini\" or \"mock\""),
    ("Agent.create{ model = 'cohere/x' }",
     "test:1: Agent.create: model 'cohere/x': unknown provider 'cohere' (known: openai, anthropic, mock)"),
    ("Agent.create{ model = 'mock', tools = { 'nope' } }",
     "test:1: Agent.create: unknown tool 'nope' (make it with Tool.create first)"),
    ("Agent.create{ model = 'mock', max_loops = 0 }",
     "test:1: Agent.create: fields 'max_loops' and 'max_tool_rounds' must be at least 1"),
    ("Agent.create{ model = 'mock' }:execute(42)",
     "test:1: input must be a string or a table { text = ... }, got number"),
    ("Tool.create{ name = 'x' }", "test:1: Tool.create: field 'handler' must be a function"),
    ("Tool.invoke('missing', {})", "Tool.invoke: unknown tool 'missing'"),
    ("Tool.create{ name = 'bad', handler = function() error('oops', 0) end } Tool.invoke('bad', {})",
     "Tool.invoke: tool 'bad' failed: oops"),
    ("Workflow.sequential{ steps = { 1 } }",
     "test:1: Workflow.sequential: step 1 must be an agent made by Agent.create (or { agent = ... }), got number"),
])
def test_errors_are_lua_errors(code, msg):
    assert error_of(code) == msg


def test_a_failing_run_raises_instead_of_returning_nil(monkeypatch, llm_server):
    monkeypatch.setenv("OPENAI_BASE_URL", llm_server.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong")
    llm_server.script(Reply(status=401, error="bad key"))
    assert run("""
        local a = Agent.create{ name = "x", model = "openai/m" }
        local ok, err = pcall(a.execute, a, "hi")
        return ok, err
    """) == [False, "agent 'x': openai: HTTP 401 Unauthorized from " + llm_server.url
             + "/chat/completions: bad key"]


def test_stream_execute_in_a_for_loop_closes_on_break(llm_server, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", llm_server.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    llm_server.script(Reply(chunks=["tick "] * 100, chunk_delay=0.05))
    assert run("""
        local a = Agent.create{ model = "openai/m" }
        local n = 0
        for chunk in a:stream_execute{ text = "go" } do n = n + 1 if n == 2 then break end end
        return n, #a:history()
    """) == [2, 0]


def test_execute_reports_the_tool_calls_of_its_run(llm_server, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", llm_server.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    llm_server.script(Reply(text="", tool_calls=[("add", {"a": 1, "b": 2})]), Reply(text="3"))
    assert run("""
        Tool.create{ name = "add", handler = function(args) return args.a + args.b end }
        local a = Agent.create{ model = "openai/m", tools = { "add" } }
        local r = a:execute{ text = "1 + 2?" }
        local call = r.tool_calls[1]
        return r.text, #r.tool_calls, call.name, call.arguments, r.metadata.usage.total_tokens
    """) == ["3", 1, "add", '{"a": 1, "b": 2}', 36]


def test_providers_of_the_run_configuration(monkeypatch, llm_server, tmp_path):
    """A [providers.NAME] table of pylua.toml (as the pylua command loads it) serves
    "NAME/model", and the default provider serves bare models."""
    from pylua.config import load_config
    config = tmp_path / "pylua.toml"
    config.write_text(f'[providers]\ndefault = "local"\n[providers.local]\ntype = "openai"\n'
                      f'base_url = "{llm_server.url}"\n')
    L = LuaState(stdout=io.BytesIO())
    L.config = load_config(str(config), env={})
    assert run("""
        local a = Agent.create{ model = "local/qwen" }
        local b = Agent.create{ model = "llama" }
        return a:execute("x").text, b:execute("y").text
    """, L) == ["Hello from the test server.", "Hello from the test server."]
    assert [r.body["model"] for r in llm_server.requests] == ["qwen", "llama"]
    assert "authorization" not in llm_server.requests[0].headers


def test_no_key_is_a_clear_error_at_create(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert error_of("Agent.create{ model = 'gpt-4o-mini' }") == (
        "test:1: Agent.create: field 'provider': openai: api_key_env names OPENAI_API_KEY, "
        "which is not set")
