"""The HTTP providers (pylua/llm/openai.py, anthropic.py, http.py) against the
loopback server of tests/llm_server.py, over real sockets: replies, tool calls both
ways, options on the wire, retries and every kind of failure, streaming."""
from __future__ import annotations

import asyncio
import time
from email.utils import formatdate

import pytest

from llm_server import Reply
from pylua.llm.http import retry_after
from pylua.llm.provider import Completion, ProviderError, Request, ToolCall, make_provider

KINDS = ["openai", "anthropic"]
PATHS = {"openai": "/v1/chat/completions", "anthropic": "/v1/messages"}
HELLO = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello"}]
TOOLS = [{"name": "add", "description": "a + b",
          "parameters": {"type": "object", "properties": {"a": {"type": "number"}}}},
         {"name": "upper", "description": "upper case", "parameters": {"type": "object"}}]


def provider(kind: str, server, **config):
    return make_provider(dict({"type": kind, "model": "test-model", "base_url": server.url,
                               "api_key": "sk-test"}, **config))


def complete(p, request: Request = None) -> Completion:
    async def go():
        try:
            return await p.complete(request or Request(HELLO))
        finally:
            await p.aclose()
    return asyncio.run(go())


def failure(p, request: Request = None) -> tuple:
    """The ProviderError message of a request that must fail, and the seconds it took."""
    start = time.monotonic()
    with pytest.raises(ProviderError) as e:
        complete(p, request)
    return str(e.value), time.monotonic() - start


def stream(p, request: Request = None) -> list:
    """``(seconds since the request, chunk)`` for every chunk of a streamed reply."""
    async def go():
        start, got = time.monotonic(), []
        try:
            async for chunk in p.stream(request or Request(HELLO)):
                got.append((time.monotonic() - start, chunk))
        finally:
            await p.aclose()
        return got
    return asyncio.run(go())


# -- replies and the request on the wire

@pytest.mark.parametrize("kind", KINDS)
def test_text_reply_with_usage(kind, llm_server):
    c = complete(provider(kind, llm_server))
    assert (c.text, c.tool_calls, c.model) == ("Hello from the test server.", [], "test-model")
    assert (c.usage.prompt_tokens, c.usage.completion_tokens, c.usage.total_tokens) == (11, 7, 18)
    assert c.finish_reason == "stop"
    seen, = llm_server.requests
    assert seen.path == PATHS[kind] and seen.body["model"] == "test-model"


def test_openai_request(llm_server):
    complete(provider("openai", llm_server, headers={"X-Team": "lua"}),
             Request(HELLO, temperature=0.2, max_tokens=50, stop=["END", "STOP"]))
    seen, = llm_server.requests
    assert seen.headers["authorization"] == "Bearer sk-test" and seen.headers["x-team"] == "lua"
    assert seen.body == {"model": "test-model", "messages": HELLO, "temperature": 0.2,
                         "max_tokens": 50, "stop": ["END", "STOP"]}


def test_anthropic_request(llm_server):
    complete(provider("anthropic", llm_server), Request(HELLO, temperature=0.5, stop=["END"]))
    seen, = llm_server.requests
    assert seen.headers["x-api-key"] == "sk-test" and "authorization" not in seen.headers
    assert seen.headers["anthropic-version"] == "2023-06-01"
    assert seen.body == {"model": "test-model", "system": "Be brief.", "max_tokens": 1024,
                         "temperature": 0.5, "stop_sequences": ["END"],
                         "messages": [{"role": "user",
                                       "content": [{"type": "text", "text": "Hello"}]}]}


def test_max_tokens_of_the_request_or_the_config(llm_server):
    complete(provider("anthropic", llm_server, max_tokens=300))
    complete(provider("anthropic", llm_server, max_tokens=300), Request(HELLO, max_tokens=20))
    assert [s.body["max_tokens"] for s in llm_server.requests] == [300, 20]


def test_local_server_needs_no_key(llm_server):
    complete(provider("openai", llm_server, api_key=None))
    assert "authorization" not in llm_server.requests[0].headers


def test_key_from_the_environment(llm_server, monkeypatch):
    monkeypatch.setenv("PYLUA_TEST_KEY", "sk-env")
    complete(provider("openai", llm_server, api_key=None, api_key_env="PYLUA_TEST_KEY"))
    assert llm_server.requests[0].headers["authorization"] == "Bearer sk-env"
    monkeypatch.delenv("PYLUA_TEST_KEY")
    with pytest.raises(ProviderError, match="api_key_env names PYLUA_TEST_KEY, which is not set"):
        provider("openai", llm_server, api_key=None, api_key_env="PYLUA_TEST_KEY")


@pytest.mark.parametrize("config, message", [
    ({"type": "openai"}, "openai: the provider needs 'model' (a string)"),
    ({"type": "anthropic", "model": "m", "timeout": "soon"}, "anthropic: 'timeout' must be a number >= 0"),
    ({"type": "openai", "model": "m", "headers": "x"}, "openai: 'headers' must be a table of strings"),
])
def test_bad_configuration(config, message):
    with pytest.raises(ProviderError) as e:
        make_provider(config)
    assert str(e.value) == message


# -- tool calls, both ways

@pytest.mark.parametrize("kind", KINDS)
def test_tool_calls_in_the_reply(kind, llm_server):
    llm_server.script(Reply(tool_calls=[("add", {"a": 1, "b": 2}), ("upper", {"s": "x"})]))
    c = complete(provider(kind, llm_server), Request(HELLO, tools=TOOLS))
    assert [(t.name, t.arguments) for t in c.tool_calls] == [
        ("add", '{"a": 1, "b": 2}'), ("upper", '{"s": "x"}')]
    assert all(t.id for t in c.tool_calls) and c.finish_reason == "tool_calls"


CONVERSATION = HELLO + [
    {"role": "assistant", "content": "",
     "tool_calls": [ToolCall("c1", "add", '{"a": 1}'), ToolCall("c2", "upper", '{"s": "x"}')]},
    {"role": "tool", "tool_call_id": "c1", "name": "add", "content": "3"},
    {"role": "tool", "tool_call_id": "c2", "name": "upper", "content": '"X"'}]


def test_openai_tools_and_tool_results_on_the_wire(llm_server):
    complete(provider("openai", llm_server), Request(CONVERSATION, tools=TOOLS))
    body = llm_server.requests[0].body
    assert body["tools"] == [{"type": "function", "function": t} for t in TOOLS]
    assert body["messages"][2] == {"role": "assistant", "content": None, "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "add", "arguments": '{"a": 1}'}},
        {"id": "c2", "type": "function", "function": {"name": "upper", "arguments": '{"s": "x"}'}}]}
    assert body["messages"][3:] == [{"role": "tool", "tool_call_id": "c1", "content": "3"},
                                    {"role": "tool", "tool_call_id": "c2", "content": '"X"'}]


def test_anthropic_tools_and_tool_results_on_the_wire(llm_server):
    complete(provider("anthropic", llm_server), Request(CONVERSATION, tools=TOOLS))
    body = llm_server.requests[0].body
    assert body["tools"][0] == {"name": "add", "description": "a + b",
                                "input_schema": TOOLS[0]["parameters"]}
    assert body["messages"][1:] == [
        {"role": "assistant", "content": [
            {"type": "tool_use", "id": "c1", "name": "add", "input": {"a": 1}},
            {"type": "tool_use", "id": "c2", "name": "upper", "input": {"s": "x"}}]},
        {"role": "user", "content": [       # both results in the one user turn
            {"type": "tool_result", "tool_use_id": "c1", "content": "3"},
            {"type": "tool_result", "tool_use_id": "c2", "content": '"X"'}]}]


def test_anthropic_roles_alternate(llm_server):
    complete(provider("anthropic", llm_server), Request([
        {"role": "user", "content": "one"}, {"role": "assistant", "content": ""},
        {"role": "user", "content": "two"}, {"role": "system", "content": "Late rule."}]))
    body = llm_server.requests[0].body
    assert body["system"] == "Late rule."
    assert body["messages"] == [{"role": "user", "content": [{"type": "text", "text": "one"},
                                                             {"type": "text", "text": "two"}]}]


# -- retries and failures

@pytest.mark.parametrize("kind", KINDS)
def test_429_then_success_after_retry_after(kind, llm_server):
    llm_server.script(Reply(status=429, error="slow down", headers={"Retry-After": "1"}))
    start = time.monotonic()
    assert complete(provider(kind, llm_server)).text == "Hello from the test server."
    elapsed = time.monotonic() - start
    assert 0.95 <= elapsed < 2.0, elapsed
    first, second = llm_server.requests
    assert second.time - first.time >= 0.95


@pytest.mark.parametrize("kind", KINDS)
def test_500_every_time_gives_up_in_seconds(kind, llm_server):
    llm_server.default = Reply(status=500, error="the model is on fire")
    message, elapsed = failure(provider(kind, llm_server))
    assert message == (f"{kind}: HTTP 500 Internal Server Error from {llm_server.url}"
                       f"{PATHS[kind][3:]}: the model is on fire (gave up after 3 attempts)")
    assert len(llm_server.requests) == 3 and elapsed < 3.0, elapsed


def test_retries_are_configurable(llm_server):
    llm_server.default = Reply(status=503)
    message, elapsed = failure(provider("openai", llm_server, max_retries=0))
    assert message.endswith(": scripted status 503") and len(llm_server.requests) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_401_is_not_retried(kind, llm_server):
    llm_server.default = Reply(status=401, error="Incorrect API key provided: sk-test")
    message, elapsed = failure(provider(kind, llm_server))
    assert message == (f"{kind}: HTTP 401 Unauthorized from {llm_server.url}{PATHS[kind][3:]}: "
                       "Incorrect API key provided: sk-test")
    assert len(llm_server.requests) == 1 and elapsed < 0.5


def test_error_without_json_body_quotes_the_body(llm_server):
    llm_server.script(Reply(status=404, body=b"<h1>Not Found</h1>"))
    message, _ = failure(provider("openai", llm_server))
    assert message.endswith("/v1/chat/completions: <h1>Not Found</h1>")


@pytest.mark.parametrize("kind", KINDS)
def test_connection_closed_mid_reply(kind, llm_server):
    llm_server.default = Reply(close_midway=True, text="x" * 400)
    message, elapsed = failure(provider(kind, llm_server, max_retries=1))
    assert message.startswith(f"{kind}: the server closed the connection mid-reply (")
    assert message.endswith("(gave up after 2 attempts)") and elapsed < 2.0


def test_connection_closed_once_is_retried(llm_server):
    llm_server.script(Reply(close_midway=True, text="x" * 400))
    assert complete(provider("openai", llm_server)).text == "Hello from the test server."
    assert len(llm_server.requests) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_reply_that_is_not_json(kind, llm_server):
    llm_server.default = Reply(body=b"<html>Bad gateway, sort of</html>")
    message, _ = failure(provider(kind, llm_server))
    assert message == f"{kind}: reply is not JSON: '<html>Bad gateway, sort of</html>'"
    assert len(llm_server.requests) == 1


def test_json_of_the_wrong_shape(llm_server):
    llm_server.default = Reply(body=b'{"choices": []}')
    message, _ = failure(provider("openai", llm_server))
    assert message == 'openai: unexpected reply: {"choices": []}'


def test_timeout(llm_server):
    llm_server.default = Reply(delay=2.0)
    message, elapsed = failure(provider("openai", llm_server, timeout=0.3, max_retries=0))
    assert message == f"openai: no reply from {llm_server.url}/chat/completions within 0.3 s (timeout)"
    assert elapsed < 1.0


def test_connection_refused():
    message, elapsed = failure(make_provider({"type": "anthropic", "model": "m", "max_retries": 1,
                                              "base_url": "http://127.0.0.1:9/v1"}))
    assert message.startswith("anthropic: connection to http://127.0.0.1:9/v1/messages failed: ")
    assert message.endswith("(gave up after 2 attempts)") and elapsed < 2.0


@pytest.mark.parametrize("base_url, message", [
    ("localhost:8080/v1", "openai: connection to localhost:8080/v1/chat/completions failed: "
                          "Request URL is missing an 'http://' or 'https://' protocol."),
    ("http://host:port/v1", "openai: connection to http://host:port/v1/chat/completions failed: "
                            "Invalid port: 'port'"),
])
def test_malformed_base_url(base_url, message):
    assert failure(make_provider({"type": "openai", "model": "m", "base_url": base_url}))[0] == message


def test_a_request_that_is_not_json():
    p = make_provider({"type": "openai", "model": "m", "base_url": "http://127.0.0.1:9/v1"})
    assert failure(p, Request(HELLO, temperature=float("nan")))[0] == (
        "openai: the request cannot be sent as JSON: Out of range float values are not JSON compliant")


def test_retry_after_forms():
    assert retry_after({"retry-after": "2"}) == 2.0
    assert retry_after({"retry-after": "1000"}) == 30.0                     # capped
    assert 8 <= retry_after({"retry-after": formatdate(time.time() + 10, usegmt=True)}) <= 10
    assert retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert retry_after({"retry-after": "soon"}) is None and retry_after({}) is None


# -- pooling and concurrency

def test_concurrent_requests_share_one_pooled_client(llm_server):
    llm_server.default = Reply(delay=1.0)
    p = provider("openai", llm_server)

    async def go():
        try:
            return await asyncio.gather(*(p.complete(Request(HELLO)) for _ in range(10)))
        finally:
            await p.aclose()
    start = time.monotonic()
    replies = asyncio.run(go())
    assert time.monotonic() - start < 2.0 and len(replies) == 10
    assert llm_server.max_in_flight == 10


def test_a_provider_outlives_its_event_loop(llm_server):
    p = provider("openai", llm_server)
    for _ in range(2):      # each synchronous pylua run has a loop of its own
        assert asyncio.run(p.complete(Request(HELLO))).text == "Hello from the test server."


def test_a_closed_provider_opens_again(llm_server):
    p = provider("anthropic", llm_server)

    async def go():
        await p.aclose()
        first = await p.complete(Request(HELLO))
        await p.aclose()
        return first, await p.complete(Request(HELLO))
    assert [c.text for c in asyncio.run(go())] == ["Hello from the test server."] * 2


# -- streaming

@pytest.mark.parametrize("kind", KINDS)
def test_stream_chunks_arrive_as_sent(kind, llm_server):
    llm_server.script(Reply(chunks=["one ", "two ", "three ", "four"], chunk_delay=0.25))
    got = stream(provider(kind, llm_server))
    texts = [(t, c.text) for t, c in got if c.type == "text"]
    assert [text for _, text in texts] == ["one ", "two ", "three ", "four"]
    assert texts[0][0] < 0.2, texts                     # long before the reply ends
    assert texts[-1][0] - texts[0][0] >= 0.7, texts
    assert [c.index for _, c in got] == list(range(1, len(got) + 1))
    done = got[-1][1]
    assert done.type == "done" and done.completion.text == "one two three four"
    assert (done.completion.usage.prompt_tokens, done.completion.usage.completion_tokens) == (11, 7)
    assert llm_server.requests[0].body["stream"] is True


@pytest.mark.parametrize("kind", KINDS)
def test_stream_assembles_tool_calls(kind, llm_server):
    llm_server.script(Reply(tool_calls=[("add", {"a": 1, "b": 2}), ("upper", {"s": "x"})]))
    chunks = [c for _, c in stream(provider(kind, llm_server), Request(HELLO, tools=TOOLS))]
    calls = [c.tool_call for c in chunks if c.type == "tool_call"]
    assert [(t.name, t.arguments) for t in calls] == [("add", '{"a": 1, "b": 2}'),
                                                      ("upper", '{"s": "x"}')]
    assert chunks[-1].completion.tool_calls == calls
    assert chunks[-1].completion.finish_reason == "tool_calls"


def test_openai_stream_asks_for_usage(llm_server):
    stream(provider("openai", llm_server))
    assert llm_server.requests[0].body["stream_options"] == {"include_usage": True}


@pytest.mark.parametrize("kind", KINDS)
def test_stream_cut_midway(kind, llm_server):
    llm_server.script(Reply(chunks=["a"] * 10, close_midway=True))
    got = []

    async def go():
        p = provider(kind, llm_server)
        try:
            async for chunk in p.stream(Request(HELLO)):
                got.append(chunk)
        finally:
            await p.aclose()
    with pytest.raises(ProviderError, match=f"^{kind}: the server closed the connection mid-reply"):
        asyncio.run(go())
    assert got and all(c.type == "text" for c in got)


def test_stream_closed_early_stops_reading(llm_server):
    llm_server.script(Reply(chunks=["tick "] * 50, chunk_delay=0.1))
    p = provider("anthropic", llm_server)

    async def go():
        chunks = p.stream(Request(HELLO))
        first = await chunks.__anext__()
        start = time.monotonic()
        await chunks.aclose()
        closing = time.monotonic() - start
        await p.aclose()
        return first, closing
    first, closing = asyncio.run(go())
    assert first.text == "tick " and closing < 0.2


@pytest.mark.parametrize("kind", KINDS)
def test_stream_retried_before_its_first_byte(kind, llm_server):
    llm_server.script(Reply(status=503, headers={"Retry-After": "0.1"}))
    chunks = [c for _, c in stream(provider(kind, llm_server))]
    assert chunks[-1].completion.text == "Hello from the test server."
    assert len(llm_server.requests) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_stream_error_event(kind, llm_server):
    llm_server.script(Reply(chunks=["a"] * 10, stream_error="Overloaded"))
    with pytest.raises(ProviderError) as e:
        stream(provider(kind, llm_server))
    assert str(e.value) == f"{kind}: the stream failed: Overloaded"


def test_reply_that_is_not_a_stream(llm_server):
    llm_server.script(Reply(body=b"plain words"))
    with pytest.raises(ProviderError) as e:
        stream(provider("openai", llm_server))
    assert str(e.value) == "openai: reply is not an event stream: 'plain words'"


def test_stream_error_of_a_status(llm_server):
    llm_server.script(Reply(status=400, error="max_tokens is too large"))
    with pytest.raises(ProviderError, match=r"^anthropic: HTTP 400 Bad Request from .*/v1/messages: "
                                            r"max_tokens is too large$"):
        stream(provider("anthropic", llm_server))


@pytest.mark.parametrize("kind", KINDS)
def test_long_stream_keeps_pace(kind, llm_server):
    """The streaming issue's yardstick, at half length: 100 pieces 20 ms apart."""
    llm_server.script(Reply(chunks=[f"w{n} " for n in range(100)], chunk_delay=0.02))
    times = [t for t, c in stream(provider(kind, llm_server)) if c.type == "text"]
    gaps = sorted(b - a for a, b in zip(times, times[1:]))
    assert len(times) == 100 and times[0] < 0.1, times[0]
    assert gaps[94] < 0.05, gaps[-5:]       # 95 in 100 (a busy machine may stall a few)
    assert 1.9 < times[-1] < 2.5
