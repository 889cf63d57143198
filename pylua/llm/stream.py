"""Streamed runs: an agent's reply chunk by chunk, as the provider sends it.

A run's ``RunContext.sink`` takes the provider's chunks (``relay``) and the results
of the tools the run calls (``tool_result``). Two sinks:

``AgentStream`` (``agent:stream(input)``) runs the agent's ``run`` in an asyncio task
of its own and hands its chunks to Lua one per ``next()`` call, through a queue;
``close()`` (the generic for's to-be-closed value, on ``break`` or an error) cancels
that task, which closes the HTTP stream, and the run leaves the conversation as it was
(after a ``break`` at once; on an error, once the cancelled task has run).
Chunks, as Python values for ``Codec.from_python``::

    {"type": "text", "text": ..., "index": n}
    {"type": "tool_call", "text": "", "id": ..., "name": ..., "arguments": <JSON text>}
    {"type": "tool_result", "text": "", "id": ..., "name": ..., "result": <JSON text>}
    {"type": "done", "text": "", "reply": <whole reply>, "usage": {...}, "model": ...}

``text`` is always the model's new text ("" for the others), so
``io.write(chunk.text)`` prints the reply and nothing else.

``LiveOutput`` (``pylua --stream``) writes every run's text to the terminal as it
arrives, with a spinner naming the agent on stderr while it waits.
"""
from __future__ import annotations

import asyncio
import contextlib
import itertools

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, AsyncIterator, Optional

from .provider import Completion, ProviderError, ToolCall

_END = object()     # the queue's last item after a run that succeeded


class StreamFailed(Exception):
    """The run behind a stream failed; ``str(e)`` is its message."""


async def relay_chunks(agent: Any, chunks: AsyncIterator, on_chunk: Any) -> Completion:
    """Pass a provider stream's text and tool-call chunks to ``on_chunk`` and return
    the completion of its final chunk; the stream is closed however this ends."""
    completion = None
    async with contextlib.aclosing(chunks):
        async for chunk in chunks:
            if chunk.type == "done":
                completion = chunk.completion
            else:
                on_chunk(chunk)
    if completion is None:
        raise ProviderError(f"{agent.provider.name}: the stream ended before its last chunk")
    return completion


class AgentStream:
    def __init__(self, agent: Any, task: str, context: Any) -> None:
        self.agent = agent
        self.task = task
        self.context = context          # agent.RunContext whose sink is this stream
        context.sink = self
        self.queue: Optional[asyncio.Queue] = None
        self.producer: Optional[asyncio.Future] = None
        self.count = 0
        self.finished = False

    # ------------------------------------------------------------ the run's side
    async def relay(self, agent: Any, chunks: AsyncIterator) -> Completion:
        return await relay_chunks(agent, chunks, self._chunk)

    def _chunk(self, chunk: Any) -> None:
        if chunk.type == "text":
            self._put({"type": "text", "text": chunk.text})
        elif chunk.type == "tool_call":
            call: ToolCall = chunk.tool_call
            self._put({"type": "tool_call", "text": "", "id": call.id, "name": call.name,
                       "arguments": call.arguments})

    def tool_result(self, call: ToolCall, content: str) -> None:
        self._put({"type": "tool_result", "text": "", "id": call.id, "name": call.name,
                   "result": content})

    def _put(self, item: Any) -> None:
        if type(item) is dict:
            self.count += 1
            item["index"] = self.count
        self.queue.put_nowait(item)

    async def _produce(self) -> None:
        from .agent import usage_json
        reply, err = await self.agent.run(self.task, self.context)
        if err is not None:
            self._put(StreamFailed(err))
            return
        self._put({"type": "done", "text": "", "reply": reply,
                   "usage": usage_json(self.context.usage),
                   "model": self.context.model or self.agent.provider.model})
        self._put(_END)

    # ------------------------------------------------------------ the reader's side
    async def next(self) -> Optional[dict]:
        """The next chunk, None after the last; raises StreamFailed when the run failed."""
        if self.finished:
            return None
        if self.producer is None:
            self.queue = asyncio.Queue()
            self.producer = asyncio.ensure_future(self._produce())
        item = await self.queue.get()
        if type(item) is dict:
            return item
        self.finished = True
        if item is _END:
            return None
        raise item

    def close(self, waiting: bool) -> Any:
        """Stop the run if it is still going (which closes its HTTP stream); with
        ``waiting``, an awaitable of its end (the conversation is then as it was), else
        None (``__close`` on an error's way to host code, where nothing can wait)."""
        self.finished = True
        producer = self.producer
        if producer is None or producer.done():
            return None
        producer.cancel()
        return self._ended(producer) if waiting else None

    @staticmethod
    async def _ended(producer: asyncio.Future) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            await producer


class LiveOutput:
    """The sink of every run under ``pylua --stream``: text to ``out`` as it comes;
    while a reply has not begun, a spinner with the agent's name on ``err`` (only
    when both are terminals)."""

    FRAMES = "|/-\\"

    def __init__(self, out: Any, err: Any, spinner: bool) -> None:
        self.out = out
        self.err = err
        self.spinner = spinner

    async def relay(self, agent: Any, chunks: AsyncIterator) -> Completion:
        spin = [asyncio.ensure_future(self._spin(agent.name))] if self.spinner else []
        started = False

        def stop_spinner() -> None:
            if spin:
                spin.pop().cancel()
                self.err.write(b"\r\x1b[K")
                self.err.flush()

        def show(chunk: Any) -> None:
            nonlocal started
            if chunk.type == "text" and chunk.text:
                stop_spinner()
                started = True
                self.out.write(chunk.text.encode("utf-8"))
                self.out.flush()
        try:
            completion = await relay_chunks(agent, chunks, show)
        finally:
            stop_spinner()
        if started:
            self.out.write(b"\n")
            self.out.flush()
        return completion

    def tool_result(self, call: ToolCall, content: str) -> None:
        pass

    async def _spin(self, name: str) -> None:
        for frame in itertools.cycle(self.FRAMES):
            self.err.write(f"\r{frame} {name}".encode("utf-8", "replace"))
            self.err.flush()
            await asyncio.sleep(0.1)


def show_live(L: Any) -> None:
    """``pylua --stream``: every agent run of the process streams to ``L.stdout``."""
    from . import agent
    spinner = all(getattr(f, "isatty", lambda: False)() for f in (L.stdout, L.stderr))
    agent.live_output = LiveOutput(L.stdout, L.stderr, spinner)
