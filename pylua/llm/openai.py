"""The OpenAI chat-completions provider, for every server that speaks it (OpenAI,
DeepSeek, Ollama, vLLM, llama.cpp, LM Studio: ``base_url`` selects it).

Config: ``model`` (required), ``base_url``, ``api_key`` or ``api_key_env`` (none
for a local server), ``timeout`` (seconds), ``max_retries``, ``headers``.
The neutral messages are already OpenAI's; only ``ToolCall``s need spelling out.
"""
from __future__ import annotations

import json

from .http import HttpProvider, error_detail, set_options
from .provider import (Completion, ProviderError, Request, StreamedReply, ToolCall, Usage,
                       content_text)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DEFAULT_BASE_URL = "https://api.openai.com/v1"


class OpenAIProvider(HttpProvider):
    name = "openai"
    path = "/chat/completions"
    media_kinds = frozenset({"image", "audio", "file"})

    def __init__(self, config: dict) -> None:
        super().__init__(config, DEFAULT_BASE_URL, lambda key: {"authorization": f"Bearer {key}"})

    def stream_body(self, request: Request) -> dict:
        return dict(self.body(request), stream=True, stream_options={"include_usage": True})

    def parse(self, reply: dict) -> Completion:
        return completion_of(reply)

    def on_event(self, reply: StreamedReply, kind: str, event: Any) -> list:
        return on_event(reply, kind, event)

    def body(self, request: Request) -> dict:
        return dict(set_options(
            tools=[{"type": "function", "function": tool} for tool in request.tools],
            temperature=request.temperature, max_tokens=request.max_tokens,
            stop=list(request.stop)),
            model=self.model, messages=wire_messages(request.messages))


def wire_messages(messages: list) -> list:
    """The conversation as OpenAI takes it. A tool message takes text only: the images
    of tool results follow the turn's tool messages in a user message."""
    wire, images = [], []
    for message in messages:
        if images and message.get("role") != "tool":
            wire.append({"role": "user", "content": images})
            images = []
        if message.get("role") == "tool" and isinstance(message.get("content"), list):
            shown = [p for p in message["content"] if p.get("type") == "image_url"]
            if shown:
                images += [{"type": "text", "text": f"The images of tool result "
                                                    f"{message.get('tool_call_id', '')}:"}] + shown
            lines = [content_text(message["content"])] + [
                f"[image {n} of this result: in the next message]" for n in range(1, len(shown) + 1)]
            message = dict(message, content="\n".join(line for line in lines if line))
        wire.append(wire_message(message))
    if images:
        wire.append({"role": "user", "content": images})
    return wire


def wire_message(message: dict) -> dict:
    """A neutral message as OpenAI takes it: tool calls spelled out, tool results
    with only their documented fields (some servers refuse a ``name`` there)."""
    if message.get("role") == "tool":
        return {key: message[key] for key in ("role", "tool_call_id", "content") if key in message}
    calls = message.get("tool_calls")
    if not calls:
        return message
    return dict(message, content=message.get("content") or None,
                tool_calls=[{"id": c.id, "type": "function",
                             "function": {"name": c.name, "arguments": c.arguments}}
                            for c in calls])


def completion_of(reply: dict) -> Completion:
    choice = reply["choices"][0]
    message = choice["message"]
    calls = [ToolCall(c["id"], c["function"]["name"], c["function"].get("arguments") or "{}")
             for c in message.get("tool_calls") or []]
    return Completion(message.get("content") or "", calls, usage_of(reply.get("usage") or {}),
                      reply.get("model", ""), choice.get("finish_reason") or "")


def usage_of(usage: dict) -> Usage:
    return Usage(usage.get("prompt_tokens") or 0, usage.get("completion_tokens") or 0)


def on_event(reply: StreamedReply, kind: str, event: Any) -> list:
    """The chunks one streamed ``chat.completion.chunk`` gives."""
    if "error" in event:
        raise ProviderError(f"openai: the stream failed: {error_detail(json.dumps(event))}")
    reply.model = event.get("model") or reply.model
    if event.get("usage"):
        reply.usage = usage_of(event["usage"])
    chunks = []
    for choice in event.get("choices") or []:
        delta = choice.get("delta") or {}
        if delta.get("content"):
            chunks.append(reply.text(delta["content"]))
        for part in delta.get("tool_calls") or []:
            function = part.get("function") or {}
            reply.tool_call_part(part.get("index", 0), part.get("id") or "",
                                 function.get("name") or "", function.get("arguments") or "")
        reply.finish_reason = choice.get("finish_reason") or reply.finish_reason
    return chunks
