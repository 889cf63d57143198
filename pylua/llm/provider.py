"""The provider interface: what an agent needs from an LLM service.

Messages are in one neutral form, OpenAI's chat format, whatever the provider
speaks on the wire::

    {"role": "system" | "user" | "assistant" | "tool", "content": str | [part, ...],
     "tool_calls": [ToolCall, ...],          # assistant messages that call tools
     "tool_call_id": str, "name": str}       # tool results

Every failure a provider meets (HTTP status, connection, timeout, malformed reply)
is raised as ``ProviderError`` whose message says what happened; nothing else
escapes ``complete``.

A user message with media has a list of content parts (``pylua.llm.media``); a
provider's ``media_kinds`` are the kinds of media it takes ("image", "audio",
"file"): an agent refuses others before any request. A tool result is text (JSON,
for a Lua function tool), or text and ``image_url`` parts (an MCP tool's result
with images, ``pylua.llm.mcp_client``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, AsyncIterator, Optional


class ProviderError(Exception):
    """A request failed; ``str(e)`` is the message for the script's ``nil, err``."""


@dataclass
class ToolCall:
    id: str
    name: str
    arguments: str          # JSON text, as the model wrote it


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass
class Completion:
    text: str
    tool_calls: list = field(default_factory=list)     # of ToolCall
    usage: Usage = field(default_factory=Usage)
    model: str = ""
    finish_reason: str = ""


@dataclass
class Chunk:
    """A piece of a streamed reply (``Provider.stream``), in the order it came:
    ``"text"`` (``text`` is the new text), ``"tool_call"`` (``tool_call``, whole,
    joined from its fragments, after the text) and last ``"done"`` (``completion``
    is the whole reply, usage included). ``index`` counts the chunks from 1."""
    type: str
    index: int
    text: str = ""
    tool_call: Optional[ToolCall] = None
    completion: Optional[Completion] = None


class StreamedReply:
    """Assembles a streamed reply as its fragments arrive, handing out chunks."""

    def __init__(self, model: str = "") -> None:
        self.texts: list = []
        self.calls: dict = {}       # the provider's index of a tool call -> [id, name, argument pieces]
        self.usage = Usage()
        self.model = model
        self.finish_reason = ""
        self.count = 0

    def chunk(self, kind: str, **fields: Any) -> Chunk:
        self.count += 1
        return Chunk(kind, self.count, **fields)

    def text(self, text: str) -> Chunk:
        self.texts.append(text)
        return self.chunk("text", text=text)

    def tool_call_part(self, key: Any, id: str = "", name: str = "", arguments: str = "") -> None:
        call = self.calls.setdefault(key, ["", "", []])
        call[0] = call[0] or id
        call[1] = call[1] or name
        call[2].append(arguments)

    def finish(self) -> list:
        """The tool-call chunks and the final ``"done"`` chunk."""
        calls = [ToolCall(id, name, "".join(parts) or "{}") for id, name, parts in self.calls.values()]
        chunks = [self.chunk("tool_call", tool_call=call) for call in calls]
        completion = Completion("".join(self.texts), calls, self.usage, self.model, self.finish_reason)
        return chunks + [self.chunk("done", completion=completion)]


@dataclass
class Request:
    """One call of the model: the conversation so far and the sampling options."""
    messages: list
    tools: list = field(default_factory=list)   # JSON schemas: {"name", "description", "parameters"}
    temperature: Optional[float] = None
    max_tokens: Optional[int] = None
    stop: list = field(default_factory=list)


class Provider:
    """An LLM service. ``name`` is how messages name it ("openai", "anthropic", "mock")."""

    name = "provider"
    model = ""
    media_kinds: frozenset = frozenset()

    async def complete(self, request: Request) -> Completion:
        raise NotImplementedError

    async def stream(self, request: Request) -> AsyncIterator[Chunk]:
        """Chunks as the service sends them (the streaming issue); optional."""
        raise ProviderError(f"{self.name}: streaming is not supported")
        yield  # pragma: no cover  (makes this an async generator)

    async def aclose(self) -> None:
        """Close connections (the agent is collected, or the script ends)."""


def content_text(content: Any) -> str:
    """The text of a message's content: a string, or the text parts of a list."""
    if isinstance(content, str):
        return content
    return "\n".join(p.get("text", "") for p in content or [] if p.get("type") == "text")


def make_provider(config: dict) -> Provider:
    """The provider a Lua provider table describes (``{type = "openai", ...}``);
    ProviderError for an unknown type or a missing field."""
    kind = config.get("type")
    if kind == "openai":
        from .openai import OpenAIProvider
        return OpenAIProvider(config)
    if kind == "anthropic":
        from .anthropic import AnthropicProvider
        return AnthropicProvider(config)
    if kind == "mock":
        from .mock import MockProvider
        return MockProvider(config)
    raise ProviderError(f"unknown provider type {kind!r} (expected \"openai\", \"anthropic\" or \"mock\")")
