"""The Anthropic Messages provider.

Config as for OpenAI (``model``, ``base_url`` default ``https://api.anthropic.com/v1``,
``api_key`` or ``api_key_env``, ``timeout``, ``max_retries``, ``headers``) and
``max_tokens``, the default of a request that gives none (the API requires one).

The neutral (OpenAI-style) conversation is converted on the way out: system
messages become the top-level ``system``, an assistant's tool calls ``tool_use``
blocks, tool results ``tool_result`` blocks of a user message; consecutive messages
of one role are merged, as the API wants roles to alternate; content parts become
blocks (images ``image``, PDF files ``document``, both base64; audio is refused). Replies come back
with stop reasons in OpenAI's words ("stop", "length", "tool_calls").
"""
from __future__ import annotations

import json

from .http import HttpProvider, number_option, set_options
from .provider import Completion, ProviderError, Request, StreamedReply, ToolCall, Usage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DEFAULT_BASE_URL = "https://api.anthropic.com/v1"
API_VERSION = "2023-06-01"
DEFAULT_MAX_TOKENS = 1024
STOP_REASONS = {"end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length",
                "tool_use": "tool_calls"}


class AnthropicProvider(HttpProvider):
    name = "anthropic"
    path = "/messages"
    media_kinds = frozenset({"image", "file"})

    def __init__(self, config: dict) -> None:
        super().__init__(config, DEFAULT_BASE_URL, lambda key: {"x-api-key": key},
                         {"anthropic-version": API_VERSION})
        self.max_tokens = int(number_option(self.name, config, "max_tokens", DEFAULT_MAX_TOKENS))

    def parse(self, reply: dict) -> Completion:
        return completion_of(reply)

    def on_event(self, reply: StreamedReply, kind: str, event: Any) -> list:
        return on_event(reply, kind, event)

    def body(self, request: Request) -> dict:
        system, messages = wire_messages(request.messages)
        return dict(set_options(
            system=system, temperature=request.temperature, stop_sequences=list(request.stop),
            tools=[{"name": t["name"], "description": t.get("description", ""),
                    "input_schema": t.get("parameters") or {"type": "object"}}
                   for t in request.tools]),
            model=self.model, messages=messages,
            max_tokens=request.max_tokens or self.max_tokens)


def wire_messages(messages: list) -> tuple:
    """``(system, messages)``: the neutral conversation in the Messages API's form."""
    system, wire = [], []
    for message in messages:
        role = message.get("role")
        if role == "system":
            system.append(message.get("content") or "")
            continue
        role, blocks = ("user", [tool_result(message)]) if role == "tool" else (
            role, content_blocks(message))
        if not blocks:          # an empty reply: the API refuses empty content
            continue
        if wire and wire[-1]["role"] == role:
            wire[-1]["content"] += blocks
        else:
            wire.append({"role": role, "content": blocks})
    return "\n\n".join(system), wire


def content_blocks(message: dict) -> list:
    content = message.get("content")
    blocks = [content_block(part) for part in content] if isinstance(content, list) else (
        [{"type": "text", "text": content}] if content else [])
    for call in message.get("tool_calls") or []:
        blocks.append({"type": "tool_use", "id": call.id, "name": call.name,
                       "input": arguments_object(call.arguments)})
    return blocks


def content_block(part: dict) -> dict:
    """A neutral content part (``pylua.llm.media``) as a Messages API block."""
    kind = part.get("type")
    if kind == "text":
        return {"type": "text", "text": part.get("text", "")}
    if kind == "image_url":
        return {"type": "image", "source": source_of(part["image_url"]["url"])}
    if kind == "file":
        return {"type": "document", "source": source_of(part["file"]["file_data"])}
    raise ProviderError(f"anthropic: cannot send a {kind!r} content part")


def source_of(url: str) -> dict:
    """The ``source`` of an image or document block: a data URL's base64 data, or the URL."""
    if not url.startswith("data:"):
        return {"type": "url", "url": url}
    header, _, data = url.partition(",")
    return {"type": "base64", "media_type": header[5:].split(";")[0], "data": data}


def tool_result(message: dict) -> dict:
    """A tool message's block; a result with images has text and image blocks."""
    content = message.get("content") or ""
    if isinstance(content, list):
        content = [content_block(part) for part in content]
    return {"type": "tool_result", "tool_use_id": message.get("tool_call_id", ""),
            "content": content}


def arguments_object(arguments: str) -> Any:
    """A tool call's JSON arguments as the object ``tool_use`` wants; arguments
    that are not a JSON object (a model's slip) go as ``{}``, which the API accepts."""
    try:
        value = json.loads(arguments or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def completion_of(reply: dict) -> Completion:
    texts, calls = [], []
    for block in reply["content"]:
        if block["type"] == "text":
            texts.append(block["text"])
        elif block["type"] == "tool_use":
            calls.append(ToolCall(block["id"], block["name"], json.dumps(block.get("input") or {})))
    usage = reply.get("usage") or {}
    return Completion("".join(texts), calls,
                      Usage(usage.get("input_tokens") or 0, usage.get("output_tokens") or 0),
                      reply.get("model", ""), stop_reason(reply.get("stop_reason")))


def stop_reason(reason: Any) -> str:
    return STOP_REASONS.get(reason, reason or "")


def on_event(reply: StreamedReply, kind: str, event: dict) -> list:
    """Takes one streamed event into ``reply``; the text chunk it gives, if any."""
    if kind == "error":
        error = event.get("error") or {}
        raise ProviderError(f"anthropic: the stream failed: {error.get('message') or event}")
    if kind == "message_start":
        message = event["message"]
        reply.model = message.get("model") or reply.model
        reply.usage.prompt_tokens = (message.get("usage") or {}).get("input_tokens") or 0
    elif kind == "content_block_start" and event["content_block"]["type"] == "tool_use":
        block = event["content_block"]
        reply.tool_call_part(event["index"], block["id"], block["name"])
    elif kind == "content_block_delta":
        delta = event["delta"]
        if delta["type"] == "text_delta" and delta["text"]:
            return [reply.text(delta["text"])]
        if delta["type"] == "input_json_delta":
            reply.tool_call_part(event["index"], arguments=delta["partial_json"])
    elif kind == "message_delta":
        reply.finish_reason = stop_reason((event.get("delta") or {}).get("stop_reason"))
        reply.usage.completion_tokens = (event.get("usage") or {}).get("output_tokens") or 0
    return []
