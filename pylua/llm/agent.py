"""Agents: a provider, a system prompt, tools and a conversation (``llm.agent.new``).

An agent's ``run(task)`` adds the task to its conversation and asks the model; while
the model answers with tool calls it runs them (the calls of one turn concurrently,
each Lua handler on a Lua thread of its own) and asks again with their results, at
most ``max_tool_rounds`` times. With ``max_loops`` > 1 the model is asked again,
told "loop N of M", with its previous answer in the conversation, until a reply
contains one of ``stop_words``. The reply of the last turn is the run's result.

A run either succeeds or leaves the conversation as it was: its outcome is
``(text, None)`` or ``(None, message)``, and nothing a provider, a tool or the
network does escapes as an exception (tokens spent are counted either way).
Configuration mistakes are Lua errors when the agent is made.

Connections: a provider used in an event loop is closed when that loop ends
(``asyncio.run`` shuts its async generators down, see ``_LoopCloser``), and when its
agent is collected while a loop runs.
"""
from __future__ import annotations

import asyncio
import contextvars
import json
import os
import weakref

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, AsyncIterator, Optional

from .. import scheduler
from ..errors import ArgError, LuaError
from ..lauxlib import check_integer, check_number, check_string, check_table, type_name
from ..objects import Userdata, is_function
from ..table import LuaTable
from .luajson import Codec, JsonError, loads
from .strings import lua_string, text
from ..config import config_of
from ..sandbox import TOOL, check_agent, check_tool
from .provider import (Chunk, Completion, ProviderError, Request, ToolCall, Usage, content_text,
                       make_provider)

DEFAULT_NAME = "Agent"              # swarms-rs AgentConfig defaults
DEFAULT_USER = "User"
STATE_DIR = "agent_states"          # autosave = true writes agent_states/<name>.json
MAX_TOOL_ROUNDS = 10                # tool-call rounds a turn may take before it fails
MCP_TYPES = ("stdio", "sse", "http")   # MCP servers in ``tools`` (pylua.llm.mcp_client)
MCP_CLIENT = "llm.mcp.client"           # the metatable name of ``llm.mcp.connect``'s clients

# the agents whose runs the running code is part of (tool handlers inherit it)
_running: contextvars.ContextVar = contextvars.ContextVar("llm_running_agents", default=frozenset())
# the RunContext of the run under way (an agent that a tool runs sets its own)
_context: contextvars.ContextVar = contextvars.ContextVar("llm_run_context", default=None)
# where every run streams its reply when no stream is asked for (``pylua --stream``)
live_output: Optional[Any] = None


class AgentError(Exception):
    """A run failed for a reason of the agent's own (not the provider's)."""


class LuaTool:
    """A Lua function tool. The agent's tools are objects with ``name``, ``schema()``
    and ``call(agent, args)``: other kinds of tools (MCP) fit in beside this one."""

    def __init__(self, name: str, description: str, parameters: dict, handler: Any) -> None:
        self.name = name
        self.description = description
        self.parameters = parameters
        self.handler = handler

    def schema(self) -> dict:
        return {"name": self.name, "description": self.description, "parameters": self.parameters}

    async def call(self, agent: Agent, args: dict) -> str:
        """The handler's first result as JSON text, for the model; or an error result."""
        try:
            res = await scheduler.run_async(agent.L, self.handler, (agent.codec.from_python(args),))
        except LuaError as e:
            return tool_error(f"tool '{self.name}' failed: {error_text(e.value)}")
        try:
            value = agent.codec.to_python(res[0] if res else None, "replace")
        except JsonError as e:
            return tool_error(f"tool '{self.name}' returned a value JSON cannot hold: {e}")
        return json.dumps(value, ensure_ascii=False)


class RunContext:
    """One run's options and what it gathers: per-call sampling options (rs-llmspell's
    ``execute{parameters}``), the tool calls made, the usage and model of the
    replies, ``sink``, which takes the chunks of a streamed run (None: the
    provider's ``complete`` is used), and ``media`` (``pylua.llm.media.Media``) sent
    with the task."""

    def __init__(self, temperature: Optional[float] = None, max_tokens: Optional[int] = None,
                 sink: Any = None, media: Optional[list] = None) -> None:
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.sink = sink
        self.media = media or []
        self.tool_calls: list = []
        self.usage = Usage()
        self.model = ""


class Agent:
    def __init__(self, L, codec: Codec, config: LuaTable) -> None:
        check_agent(L, config)          # a sandbox's limits on files and providers
        self.L = L
        self.codec = codec
        self.name = text(field(config, "name", check_string, DEFAULT_NAME), "replace")
        self.user_name = text(field(config, "user_name", check_string, DEFAULT_USER), "replace")
        prompt = field(config, "system_prompt", check_string)
        self.system_prompt = text(prompt, "replace") if prompt is not None else None
        self.max_loops = field(config, "max_loops", check_integer, 1)
        self.max_tool_rounds = field(config, "max_tool_rounds", check_integer, MAX_TOOL_ROUNDS)
        if self.max_loops < 1 or self.max_tool_rounds < 1:
            raise ArgError(1, "fields 'max_loops' and 'max_tool_rounds' must be at least 1")
        self.temperature = field(config, "temperature", check_number)
        self.max_tokens = field(config, "max_tokens", check_integer)
        self.stop_words = [text(w, "replace") for w in string_list(config, "stop_words")]
        tools = field(config, "tools", check_table)
        self.tools = tools_of(L, codec, tools)
        self.servers = servers_of(L, codec, tools)
        self.offered = self.tools       # a run's tools: these and the servers' (_offered_tools)
        self.state_path = autosave_path(config, self.name)
        self.history: list = []         # messages in provider.py's neutral form
        self.usage = Usage()
        if self.state_path is not None and os.path.exists(self.state_path):
            self._resume()
        self.provider = new_provider(codec, field(config, "provider", check_table))
        self._lock: Optional[tuple] = None      # (event loop, asyncio.Lock)
        weakref.finalize(self, close_soon, self.provider)

    # ------------------------------------------------------------ running
    async def run(self, task: str, context: Optional[RunContext] = None) -> tuple:
        """``(reply, None)`` or ``(None, message)``; runs of one agent take turns (a
        run from inside its own run, by one of its tools, would wait forever: refused).
        ``context`` gives per-run options and gathers what the run did."""
        outer = _running.get()
        if self in outer:
            return None, (f"agent '{self.name}': cannot run from inside its own run "
                          "(one of its tools called it)")
        if context is None:
            context = RunContext(sink=live_output)
        if context.media:       # refused before any request is made
            from .media import refusal
            refused = refusal(self.provider, context.media)
            if refused is not None:
                return None, f"agent '{self.name}': {refused}"
        token, context_token = _running.set(outer | {self}), _context.set(context)
        try:
            return await self._run(task)
        finally:
            _context.reset(context_token)
            _running.reset(token)

    async def _run(self, task: str) -> tuple:
        async with self._run_lock():
            track(self.provider)
            start = len(self.history)
            reply, err = None, None
            try:
                self.offered = await self._offered_tools()
                reply = await self._loops(task)
            except (ProviderError, AgentError, JsonError) as e:
                err = f"agent '{self.name}': {e}"
            except Exception as e:          # a bug somewhere below: still a message
                err = f"agent '{self.name}': {type(e).__name__}: {e}"
            finally:
                if reply is None:
                    del self.history[start:]
            if self.state_path is not None:
                try:
                    self._save()
                except OSError as e:
                    reply, err = None, (f"agent '{self.name}': autosave to "
                                        f"'{self.state_path}' failed: {e.strerror or e}")
            return reply, err

    async def _loops(self, task: str) -> str:
        reply = ""
        for n in range(1, self.max_loops + 1):
            if n == 1:
                self.history.append(self._user_message(task, _context.get().media))
            else:
                self.history.append(self._user_message(loop_prompt(n, self.max_loops, task)))
            reply = await self._turn()
            if any(w in reply for w in self.stop_words):
                break
        return reply

    async def _turn(self) -> str:
        """Ask the model until it answers without calling tools."""
        rounds = 0
        while True:
            c = await self._ask()
            self._count(c)
            msg = {"role": "assistant", "content": c.text}
            if c.tool_calls:
                msg["tool_calls"] = list(c.tool_calls)
            self.history.append(msg)
            if not c.tool_calls:
                return c.text
            if rounds == self.max_tool_rounds:
                raise AgentError(f"the model still asked for tools after {rounds} rounds "
                                 f"of tool calls (max_tool_rounds = {self.max_tool_rounds})")
            rounds += 1
            results = await asyncio.gather(*(self._call_tool(tc) for tc in c.tool_calls))
            sink = _context.get().sink
            for tc, content in zip(c.tool_calls, results):
                self.history.append({"role": "tool", "tool_call_id": tc.id, "name": tc.name,
                                     "content": content})
                if sink is not None:
                    sink.tool_result(tc, content_text(content))

    async def _ask(self) -> Completion:
        """The model's reply to the conversation: whole, or streamed into the run's sink."""
        context = _context.get()        # this run's: a run sets its own
        request = self._request(context)
        if context.sink is None:
            c = await self.provider.complete(request)
        elif not config_of(self.L).runtime.enable_streaming:
            c = await context.sink.relay(self, self._whole(request))
        else:
            c = await context.sink.relay(self, self.provider.stream(request))
        context.tool_calls.extend(c.tool_calls)
        context.model = c.model or context.model
        if c.usage is not None:
            context.usage.prompt_tokens += c.usage.prompt_tokens
            context.usage.completion_tokens += c.usage.completion_tokens
        return c

    async def _whole(self, request: Request) -> AsyncIterator[Chunk]:
        """The reply asked for whole and handed on as one stream
        (``[runtime] enable_streaming = false`` in the configuration)."""
        c = await self.provider.complete(request)
        index = 0
        if c.text:
            index += 1
            yield Chunk("text", index, text=c.text)
        for call in c.tool_calls:
            index += 1
            yield Chunk("tool_call", index, tool_call=call)
        yield Chunk("done", index + 1, completion=c)

    def _request(self, context: RunContext) -> Request:
        messages = list(self.history)
        if self.system_prompt is not None:
            messages.insert(0, {"role": "system", "content": self.system_prompt})
        temperature = self.temperature if context.temperature is None else context.temperature
        max_tokens = self.max_tokens if context.max_tokens is None else context.max_tokens
        return Request(messages=messages, tools=[t.schema() for t in self.offered.values()],
                       temperature=temperature, max_tokens=max_tokens,
                       stop=list(self.stop_words))

    def _user_message(self, content: str, media: Optional[list] = None) -> dict:
        if media:
            from .media import user_content
            content = user_content(content, media)
        msg = {"role": "user", "content": content}
        if self.user_name != DEFAULT_USER:
            msg["name"] = self.user_name
        return msg

    def _count(self, c: Completion) -> None:
        if c.usage is not None:
            self.usage.prompt_tokens += c.usage.prompt_tokens
            self.usage.completion_tokens += c.usage.completion_tokens

    async def _call_tool(self, call: ToolCall) -> str:
        """What goes back to the model for one tool call: the tool's result, or
        ``{"error": "..."}`` when the tool is unknown or its arguments are not a JSON
        object."""
        tool = self.offered.get(call.name)
        if tool is None:
            return tool_error(f"unknown tool '{call.name}'")
        try:
            args = loads(call.arguments) if call.arguments.strip() else {}
        except JsonError as e:
            return tool_error(f"tool '{call.name}': the arguments are not valid JSON ({e})")
        if not isinstance(args, dict):
            return tool_error(f"tool '{call.name}': the arguments must be a JSON object")
        return await tool.call(self, args)

    async def _offered_tools(self) -> dict:
        """The function tools and the MCP servers' tools, listed now (AgentError if a
        server fails)."""
        if not self.servers:
            return self.tools
        from .mcp_client import offered_tools
        return await offered_tools(self.tools, self.servers)

    def _run_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock[0] is not loop:
            self._lock = (loop, asyncio.Lock())
        return self._lock[1]

    # ------------------------------------------------------------ the Lua side
    def history_table(self) -> LuaTable:
        out = LuaTable()
        for i, m in enumerate(self.history, 1):
            out.set_int(i, self.codec.from_python(message_json(m)))
        return out

    def usage_table(self) -> LuaTable:
        return self.codec.from_python(usage_json(self.usage))

    def reset(self) -> None:
        """Forget the conversation (usage is kept: those tokens were spent)."""
        self.history.clear()

    # ------------------------------------------------------------ autosave
    def _save(self) -> None:
        state = {"name": self.name, "history": [message_json(m) for m in self.history],
                 "usage": usage_json(self.usage)}
        directory = os.path.dirname(self.state_path)
        if directory:
            os.makedirs(directory, exist_ok=True)
        tmp = self.state_path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(state, f, ensure_ascii=False, indent=2)
        os.replace(tmp, self.state_path)

    def _resume(self) -> None:
        try:
            with open(self.state_path, encoding="utf-8") as f:
                state = json.load(f)
            self.history = [message_from_json(m) for m in state["history"]]
            usage = state.get("usage") or {}
            self.usage = Usage(int(usage.get("prompt_tokens", 0)),
                               int(usage.get("completion_tokens", 0)))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
            raise LuaError(lua_string(f"llm.agent.new: cannot resume agent '{self.name}' from "
                                      f"'{self.state_path}': {type(e).__name__}: {e}")) from None


# ---------------------------------------------------------------- configuration

def field(t: LuaTable, name: str, check: Any, default: Any = None) -> Any:
    """``t[name]`` checked by a lauxlib checker; its complaint names the field."""
    v = t.get_str(name)
    if v is None:
        return default
    try:
        return check((v,), 1)
    except ArgError as e:
        raise ArgError(1, f"field '{name}': {e.msg}") from None


def string_list(t: LuaTable, name: str) -> list:
    items = field(t, name, check_table)
    if items is None:
        return []
    out = []
    for i in range(1, items.length() + 1):
        v = items.get_int(i)
        if type(v) is not str:
            raise ArgError(1, f"field '{name}': string expected at index {i}, got {type_name(v)}")
        out.append(v)
    return out


def tools_of(L, codec: Codec, tools: Optional[LuaTable]) -> dict:
    """name -> LuaTool of an agent's ``tools`` list (each one allowed by ``check_tool``)."""
    found: dict = {}
    if tools is None:
        return found
    for i in range(1, tools.length() + 1):
        t = tools.get_int(i)
        where = f"field 'tools': tool {i}: "
        if is_server(t):
            continue                    # an MCP server: servers_of
        if type(t) is not LuaTable:
            raise ArgError(1, f"{where}table expected, got {type_name(t)}")
        kind = t.get_str("type")
        if kind is not None and kind != "function":
            raise ArgError(1, f"{where}unknown type '{shown(kind)}' (expected \"function\", "
                              f"or an MCP server's \"stdio\", \"sse\" or \"http\")")
        tool = function_tool(codec, t, where)
        check_tool(L, tool.name, TOOL)
        if tool.name in found:
            raise ArgError(1, f"{where}a tool named '{tool.name}' is already in the list")
        found[tool.name] = tool
    return found


def is_server(t: Any) -> bool:
    """An MCP server in an agent's ``tools``: a ``{ type = "stdio" | "sse" | "http", ... }``
    table or a client of ``llm.mcp.connect``."""
    if type(t) is LuaTable:
        return t.get_str("type") in MCP_TYPES
    return type(t) is Userdata and t.meta is not None and t.meta.get_str("__name") == MCP_CLIENT


def servers_of(L, codec: Codec, tools: Optional[LuaTable]) -> list:
    """The MCP servers of an agent's ``tools`` (the SDK is imported only if there are some)."""
    found = [(i, tools.get_int(i)) for i in range(1, tools.length() + 1)] if tools else []
    found = [(i, t) for i, t in found if is_server(t)]
    if not found:
        return []
    from .mcp_client import server_entry
    return [server_entry(L, codec, t, f"field 'tools': tool {i}: ") for i, t in found]


def function_tool(codec: Codec, t: LuaTable, where: str = "") -> LuaTool:
    """The LuaTool of a ``{ name, description, parameters, handler }`` table (also
    ``llm.mcp.tool``'s); ``where`` starts the complaints (argument #1's)."""
    name, handler = t.get_str("name"), t.get_str("handler")
    if type(name) is not str or not name:
        raise ArgError(1, f"{where}'name' must be a non-empty string")
    if not is_function(handler):
        raise ArgError(1, f"{where}'handler' must be a function")
    description = t.get_str("description")
    params = t.get_str("parameters")
    if params is not None and type(params) is not LuaTable:
        raise ArgError(1, f"{where}'parameters' must be a table (a JSON schema)")
    try:
        schema = (codec.to_python(params, "replace") if params is not None
                  else {"type": "object", "properties": {}})
    except JsonError as e:
        raise ArgError(1, f"{where}'parameters': {e}") from None
    return LuaTool(text(name, "replace"),
                   text(description, "replace") if type(description) is str else "",
                   schema, handler)


def shown(v: Any) -> str:
    return text(v, "replace") if type(v) is str else type_name(v)


def autosave_path(config: LuaTable, name: str) -> Optional[str]:
    v = config.get_str("autosave")
    if v is None or v is False:
        return None
    if v is True:
        return os.path.join(STATE_DIR, name.replace("/", "_").replace("\\", "_") + ".json")
    if type(v) is LuaTable:
        path = v.get_str("path")
        if type(path) is str and path:
            return text(path)
    raise ArgError(1, "field 'autosave': true or { path = \"...\" } expected")


def new_provider(codec: Codec, config: Optional[LuaTable]) -> Any:
    if config is None:
        raise ArgError(1, "field 'provider': table expected, got nil")
    try:
        return make_provider(codec.to_python(config, "replace"))
    except (ProviderError, JsonError) as e:
        raise ArgError(1, f"field 'provider': {e}") from None


def loop_prompt(n: int, total: int, task: str) -> str:
    return (f"Loop {n} of {total}. Your previous answer is above: improve it or carry on "
            f"with the task, and finish it before the last loop.\nThe task:\n{task}")


# ---------------------------------------------------------------- messages and results

def tool_error(msg: str) -> str:
    return json.dumps({"error": msg}, ensure_ascii=False)


def error_text(v: Any) -> str:
    """A Lua error value as text (a non-string one as lua.c's message handler names it)."""
    if type(v) is str:
        return text(v, "replace")
    if type(v) in (int, float):
        return str(v)
    return f"(error object is a {type_name(v)} value)"


def message_json(m: dict) -> dict:
    """A history message as JSON-able data (tool calls as ``{id, name, arguments}``)."""
    out = dict(m)
    if "tool_calls" in m:
        out["tool_calls"] = [{"id": c.id, "name": c.name, "arguments": c.arguments}
                             for c in m["tool_calls"]]
    return out


def message_from_json(m: dict) -> dict:
    out = dict(m)
    if not isinstance(out.get("role"), str) or not isinstance(out.get("content", ""), (str, list)):
        raise ValueError(f"not a message: {m!r}")
    if "tool_calls" in m:
        out["tool_calls"] = [ToolCall(c["id"], c["name"], c["arguments"]) for c in m["tool_calls"]]
    return out


def usage_json(u: Usage) -> dict:
    return {"prompt_tokens": u.prompt_tokens, "completion_tokens": u.completion_tokens,
            "total_tokens": u.total_tokens}


# ---------------------------------------------------------------- closing connections

class _LoopCloser:
    """Closes the providers used in one event loop when it shuts down: an async
    generator started in the loop, which ``loop.shutdown_asyncgens`` (called by
    ``asyncio.run`` on its way out) closes, running its ``finally``."""

    def __init__(self) -> None:
        self.providers: weakref.WeakSet = weakref.WeakSet()
        self.agen = self._wait()

    async def _wait(self) -> Any:
        try:
            yield
        finally:
            for p in list(self.providers):
                await aclose_quietly(p)


_closers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()     # loop -> _LoopCloser
_closing: set = set()       # close tasks under way (the loop keeps only weak references)


def track(provider: Any) -> None:
    """Note that ``provider`` may open connections in the running loop."""
    loop = asyncio.get_running_loop()
    closer = _closers.get(loop)
    if closer is None:
        closer = _closers[loop] = _LoopCloser()
        task = loop.create_task(closer.agen.__anext__())   # starts it: now the loop knows it
        _closing.add(task)
        task.add_done_callback(_closing.discard)
    closer.providers.add(provider)


def close_soon(provider: Any) -> None:
    """The agent of ``provider`` was collected: close it now if a loop runs (else the
    loop it was used in has closed it already)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    task = loop.create_task(aclose_quietly(provider))
    _closing.add(task)
    task.add_done_callback(_closing.discard)


async def aclose_quietly(provider: Any) -> None:
    try:
        await provider.aclose()
    except Exception:       # closing is best effort: the script's outcome is decided
        pass
