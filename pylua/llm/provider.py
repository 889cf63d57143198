"""The provider interface: what an agent needs from an LLM service.

Messages are in one neutral form, OpenAI's chat format, whatever the provider
speaks on the wire::

    {"role": "system" | "user" | "assistant" | "tool", "content": str,
     "tool_calls": [ToolCall, ...],          # assistant messages that call tools
     "tool_call_id": str, "name": str}       # tool results

Every failure a provider meets (HTTP status, connection, timeout, malformed reply)
is raised as ``ProviderError`` whose message says what happened; nothing else
escapes ``complete``.
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

    async def complete(self, request: Request) -> Completion:
        raise NotImplementedError

    async def stream(self, request: Request) -> AsyncIterator[Any]:
        """Chunks as the service sends them (the streaming issue); optional."""
        raise ProviderError(f"{self.name}: streaming is not supported")
        yield  # pragma: no cover  (makes this an async generator)

    async def aclose(self) -> None:
        """Close connections (the agent is collected, or the script ends)."""


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
