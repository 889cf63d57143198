"""The offline provider (``type = "mock"``): scripts and tests run with no network.

Configuration (the Lua provider table, converted to Python values)::

    { type = "mock" }                        -- echoes: "echo: <last user message>"
    { type = "mock", responses = {           -- plays these back, one per request
        "a plain text reply",
        { text = "", tool_calls = { { name = "add", arguments = { a = 1, b = 2 } } } },
        { error = "rate limited" },          -- this request fails with that message
      },
      delay = 0.5,                           -- seconds each reply takes (asyncio.sleep)
      model = "mock" }

A tool call's ``arguments`` is a table (sent as its JSON text) or a string (sent as it
is, so a test can hand an agent invalid JSON). When the scripted replies run out a
request fails. Usage is counted in words (runs of non-space characters): the prompt's
are the words of every message sent (the text parts of one with media), the
completion's those of the reply (text, tool names and arguments). It takes every kind
of media (images, audio, files): the echo repeats the text of a message with media. Stop sequences are not applied: a scripted reply is
returned exactly as written.
"""
from __future__ import annotations

import asyncio
import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, AsyncIterator

from .provider import (Chunk, Completion, Provider, ProviderError, Request, StreamedReply, ToolCall,
                       Usage)

ECHO_PREFIX = "echo: "


class MockProvider(Provider):
    name = "mock"
    media_kinds = frozenset({"image", "audio", "file"})

    def __init__(self, config: dict) -> None:
        self.model = str(config.get("model") or "mock")
        self.responses = config.get("responses")
        if self.responses is not None and not isinstance(self.responses, list):
            raise ProviderError("mock: 'responses' must be a list of replies")
        delay = config.get("delay", 0)
        if not isinstance(delay, (int, float)) or isinstance(delay, bool) or delay < 0:
            raise ProviderError("mock: 'delay' must be a number of seconds (0 or more)")
        self.delay = float(delay)
        self.served = 0         # requests answered so far
        self.requests: list = []    # every Request received, for tests

    async def complete(self, request: Request) -> Completion:
        self.requests.append(request)
        if self.delay:
            await asyncio.sleep(self.delay)
        reply = self._next_reply(request)
        text, calls = self._parse(reply)
        completion_words = _words(text) + sum(_words(c.name) + _words(c.arguments) for c in calls)
        usage = Usage(sum(_words(m.get("content")) for m in request.messages), completion_words)
        return Completion(text=text, tool_calls=calls, usage=usage, model=self.model,
                          finish_reason="tool_calls" if calls else "stop")

    async def stream(self, request: Request) -> AsyncIterator[Chunk]:
        """The reply as chunks: its text word by word, then its tool calls and "done"."""
        c = await self.complete(request)
        reply = StreamedReply(self.model)
        words = c.text.split(" ") if c.text else []
        for i, word in enumerate(words):
            yield reply.text(word if i == 0 else " " + word)
        for call in c.tool_calls:
            reply.tool_call_part(call.id, call.id, call.name, call.arguments)
        reply.usage, reply.finish_reason = c.usage, c.finish_reason
        for chunk in reply.finish():
            yield chunk

    def _next_reply(self, request: Request) -> Any:
        self.served += 1
        if self.responses is None:
            return ECHO_PREFIX + _last_user_message(request.messages)
        if self.served > len(self.responses):
            raise ProviderError(f"mock: no scripted response left (request {self.served}, "
                                f"{len(self.responses)} scripted)")
        return self.responses[self.served - 1]

    def _parse(self, reply: Any) -> tuple:
        if isinstance(reply, str):
            return reply, []
        if not isinstance(reply, dict):
            raise ProviderError(f"mock: response {self.served} must be a string or a table")
        if reply.get("error") is not None:
            raise ProviderError(f"mock: {reply['error']}")
        text = reply.get("text") or ""
        calls = []
        for i, call in enumerate(reply.get("tool_calls") or [], 1):
            if not isinstance(call, dict) or not isinstance(call.get("name"), str):
                raise ProviderError(f"mock: response {self.served}: tool call {i} needs a name")
            args = call.get("arguments", {})
            if not isinstance(args, str):
                args = json.dumps(args)
            calls.append(ToolCall(id=str(call.get("id") or f"call_{self.served}_{i}"),
                                  name=call["name"], arguments=args))
        return str(text), calls


def _last_user_message(messages: list) -> str:
    for m in reversed(messages):
        if m.get("role") == "user":
            return _text(m.get("content"))
    return ""


def _text(content: Any) -> str:
    """A message's text: its content, or the text parts of a list of parts."""
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if p.get("type") == "text")
    return str(content or "")


def _words(s: Any) -> int:
    return len(_text(s).split()) if isinstance(s, (str, list)) else 0
