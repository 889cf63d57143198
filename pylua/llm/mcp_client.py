"""MCP servers as tools: ``llm.mcp.connect`` and MCP entries of an agent's ``tools``.

The servers and their connections are ``pylua.llm.mcp_connection``'s. Here: what
their answers look like in Lua (tables) and to a model (a tool message's content),
the tools an agent offers, and the client userdata. Every failure is a
``ServerError`` whose message starts ``mcp server 'name': ``; the Lua functions
return it as ``nil, message``, and an agent sends it to the model as a tool error.

This module imports the ``mcp`` SDK (over a second): only when a script uses MCP.
"""
from __future__ import annotations

import asyncio
import base64
import json
import re

from mcp import types

from ..errors import ArgError
from ..lauxlib import arg, check_string, check_table, obj_type_name
from ..objects import Userdata
from ..table import LuaTable
from .luajson import Codec, JsonError
from .mcp_connection import FIELDS, Server, ServerConfig, ServerError, config_of, shared_server
from .strings import lua_string, text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

TOOL_NAME_MAX = 64          # OpenAI's limit on a function name: ^[a-zA-Z0-9_-]{1,64}$
CLIENT = "llm.mcp.client"


# ---------------------------------------------------------------- results as Lua values

def lua_record(codec: Codec, fields: dict) -> LuaTable:
    """A Lua table of the fields that are not None: text as Lua strings, bytes as
    they are, JSON values through the codec."""
    t = LuaTable()
    for key, v in fields.items():
        if v is None:
            continue
        if type(v) is bytes:
            v = v.decode("latin-1")
        elif type(v) is not LuaTable:
            v = codec.from_python(v)
        t.set_str(key, v)
    return t


def lua_list(items: list) -> LuaTable:
    t = LuaTable()
    for i, v in enumerate(items, 1):
        t.set_int(i, v)
    return t


def content_record(codec: Codec, part: Any) -> LuaTable:
    """One content part of a tool result or prompt message."""
    kind = part.type
    if kind == "text":
        return lua_record(codec, {"type": "text", "text": part.text})
    if kind in ("image", "audio"):
        return lua_record(codec, {"type": kind, "data": base64.b64decode(part.data),
                                  "mime": part.mimeType})
    if kind == "resource":
        return lua_record(codec, dict(resource_fields(part.resource), type="resource"))
    if kind == "resource_link":
        return lua_record(codec, {"type": "resource_link", "uri": str(part.uri), "name": part.name,
                                  "description": part.description, "mime": part.mimeType})
    return lua_record(codec, {"type": kind})


def resource_fields(r: Any) -> dict:
    """``uri``, ``mime`` and ``text`` or ``data`` (bytes) of resource contents."""
    fields = {"uri": str(r.uri), "mime": r.mimeType}
    if isinstance(r, types.TextResourceContents):
        fields["text"] = r.text
    else:
        fields["data"] = base64.b64decode(r.blob)
    return fields


def joined_text(parts: list) -> str:
    return "\n".join(p.text for p in parts if p.type == "text")


def call_record(codec: Codec, r: types.CallToolResult) -> LuaTable:
    return lua_record(codec, {
        "text": joined_text(r.content),
        "content": lua_list([content_record(codec, p) for p in r.content]),
        "structured": r.structuredContent, "is_error": bool(r.isError)})


def tool_record(codec: Codec, t: types.Tool) -> LuaTable:
    return lua_record(codec, {"name": t.name, "title": t.title, "description": t.description,
                              "input_schema": t.inputSchema, "output_schema": t.outputSchema})


def resource_record(codec: Codec, r: types.Resource) -> LuaTable:
    return lua_record(codec, {"uri": str(r.uri), "name": r.name, "title": r.title,
                              "description": r.description, "mime": r.mimeType, "size": r.size})


def read_record(codec: Codec, r: types.ReadResourceResult) -> LuaTable:
    texts = [c.text for c in r.contents if isinstance(c, types.TextResourceContents)]
    return lua_record(codec, {"text": "\n".join(texts), "contents": lua_list(
        [lua_record(codec, resource_fields(c)) for c in r.contents])})


def info_record(codec: Codec, r: types.InitializeResult) -> LuaTable:
    offers = [kind for kind in ("tools", "resources", "prompts", "logging", "completions")
              if getattr(r.capabilities, kind, None) is not None]
    return lua_record(codec, {"name": r.serverInfo.name, "version": r.serverInfo.version,
                              "title": getattr(r.serverInfo, "title", None),
                              "instructions": r.instructions, "protocol": str(r.protocolVersion),
                              "capabilities": offers})


def prompt_record(codec: Codec, p: types.Prompt) -> LuaTable:
    arguments = [lua_record(codec, {"name": a.name, "description": a.description,
                                    "required": bool(a.required)}) for a in p.arguments or []]
    return lua_record(codec, {"name": p.name, "title": p.title, "description": p.description,
                              "arguments": lua_list(arguments)})


def prompt_result_record(codec: Codec, r: types.GetPromptResult) -> LuaTable:
    messages = [lua_record(codec, {"role": m.role, "text": joined_text([m.content]),
                                   "content": content_record(codec, m.content)})
                for m in r.messages]
    return lua_record(codec, {"description": r.description, "messages": lua_list(messages)})


# ---------------------------------------------------------------- results for a model

def model_content(r: types.CallToolResult) -> Any:
    """A tool result as a tool message's content: its text, or neutral content parts
    (provider.py) when it has images."""
    parts = []
    for p in r.content:
        if p.type == "text":
            parts.append({"type": "text", "text": p.text})
        elif p.type == "image":
            parts.append(image_part(p.mimeType, p.data))
        elif p.type == "resource":
            parts.append(resource_part(p.resource))
        elif p.type == "resource_link":
            about = f": {p.description}" if p.description else ""
            parts.append({"type": "text", "text": f"[resource link {p.name} <{p.uri}>{about}]"})
        elif p.type == "audio":
            size = len(base64.b64decode(p.data))
            parts.append({"type": "text", "text": f"[{p.mimeType} audio, {size} bytes, not shown]"})
    if not parts and r.structuredContent is not None:
        parts.append({"type": "text", "text": json.dumps(r.structuredContent, ensure_ascii=False)})
    if all(p["type"] == "text" for p in parts):
        return "\n".join(p["text"] for p in parts)
    return parts


def image_part(mime: str, data: str) -> dict:
    return {"type": "image_url", "image_url": {"url": f"data:{mime};base64,{data}"}}


def resource_part(r: Any) -> dict:
    mime = r.mimeType or "application/octet-stream"
    if isinstance(r, types.TextResourceContents):
        return {"type": "text", "text": f"[resource {r.uri} ({mime})]\n{r.text}"}
    if mime.startswith("image/"):
        return image_part(mime, r.blob)
    size = len(base64.b64decode(r.blob))
    return {"type": "text", "text": f"[resource {r.uri} ({mime}, {size} bytes, not shown)]"}


# ---------------------------------------------------------------- agents' tools

class McpTool:
    """A server's tool offered to a model (agent.py's tool interface)."""

    def __init__(self, server: Server, tool: types.Tool, name: str) -> None:
        self.server = server
        self.tool = tool
        self.name = name

    def schema(self) -> dict:
        return {"name": self.name, "description": self.tool.description or "",
                "parameters": self.tool.inputSchema or {"type": "object", "properties": {}}}

    async def call(self, agent: Any, args: dict) -> Any:
        from .agent import tool_error
        try:
            result = await self.server.call(self.tool.name, args)
        except ServerError as e:
            return tool_error(str(e))
        if result.isError:
            return tool_error(f"tool '{self.name}' failed: {joined_text(result.content)}")
        return model_content(result)


def server_entry(L: Any, codec: Codec, t: Any, where: str) -> Server:
    """The Server of an agent's ``tools`` entry that names one (``agent.is_server``): a
    server table (shared by config) or a client from ``llm.mcp.connect``."""
    if type(t) is Userdata and type(t.value) is Client:
        t.value.adopted = True
        return t.value.server
    if type(t) is LuaTable and t.get_str("type") in FIELDS:
        config = config_of(codec, t, where)
        _check_allowed(L, config)
        return shared_server(L, config)
    raise ArgError(1, f"{where}an MCP server table or {CLIENT} expected")


async def offered_tools(tools: dict, servers: list) -> dict:
    """``tools`` (name -> tool) and the servers' tools, named so that no two clash and
    every name suits every provider; AgentError when a server fails."""
    from .agent import AgentError
    try:
        listed = await asyncio.gather(*(s.tools() for s in servers))
    except ServerError as e:
        raise AgentError(str(e)) from None
    taken = dict(tools)
    plain = [valid_name(t.name) for found in listed for t in found]
    for server, found in zip(servers, listed):
        for tool in found:
            name = valid_name(tool.name)
            if name in tools or plain.count(name) > 1:
                name = valid_name(f"{server.name}_{tool.name}")
            base, n = name, 1
            while name in taken:
                n += 1
                name = valid_name(base[:TOOL_NAME_MAX - len(str(n)) - 1] + f"_{n}")
            taken[name] = McpTool(server, tool, name)
    return taken


def valid_name(name: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_-]", "_", name)[:TOOL_NAME_MAX] or "tool"


def _check_allowed(L: Any, config: ServerConfig) -> None:
    from shlex import join
    from ..sandbox import check_mcp_server
    endpoint = config.url or join((config.command,) + config.args)
    check_mcp_server(L, config.name, endpoint, config.env is not None or config.cwd is not None)


# ---------------------------------------------------------------- llm.mcp.connect

class Client:
    """What ``llm.mcp.connect`` returns: a server of its own (not shared)."""

    def __init__(self, server: Server, codec: Codec) -> None:
        self.server = server
        self.codec = codec
        # given to an agent: Lua's collector cannot see that the agent holds it, so its
        # __gc leaves it open; the Server's finalizer closes it when nothing holds it
        self.adopted = False


def lua_connect(L: Any, codec: Codec, *args: Any) -> Any:
    """``llm.mcp.connect{...}``: the client once the server is ready, or nil, message."""
    config = config_of(codec, check_table(args, 1))
    _check_allowed(L, config)
    client = Client(Server(config, L), codec)
    meta = client_meta(L)

    async def connect() -> tuple:
        try:
            await client.server.link()
        except ServerError as e:
            return None, lua_string(str(e))
        ud = Userdata(client, meta)
        L.gc.set_metatable(ud, meta)        # its __gc
        return (ud,)
    return connect()


def client_meta(L: Any) -> LuaTable:
    """The clients' metatable, one per state (in the registry, as luaL_newmetatable)."""
    meta = L.registry.get_str(CLIENT)
    if meta is None:
        from ..objects import Builtin
        meta = LuaTable()
        meta.set_str("__name", CLIENT)
        methods = LuaTable()
        for name, fn in METHODS.items():
            methods.set_str(name, Builtin(fn, name))
        meta.set_str("__index", methods)
        for name, fn in (("__tostring", client_tostring), ("__close", client_close_var),
                         ("__gc", client_gc)):
            meta.set_str(name, Builtin(fn, name))
        L.registry.set_str(CLIENT, meta)
    return meta


def _client(args: tuple) -> Client:
    v = args[0] if args else None
    if type(v) is Userdata and type(v.value) is Client:
        return v.value
    raise ArgError(1, f"{CLIENT} expected, got {obj_type_name(v)}")


def _outcome(doing: Any, convert: Any) -> Any:
    """The async result of a request: the converted value, or nil, message."""
    async def run() -> tuple:
        try:
            return (convert(await doing),)
        except ServerError as e:
            return None, lua_string(str(e))
    return run()


def _arguments(codec: Codec, args: tuple, n: int) -> dict:
    v = arg(args, n)
    if v is None:
        return {}
    check_table(args, n)
    try:
        value = codec.to_python(v, "replace")     # invalid UTF-8 cannot go in JSON
    except JsonError as e:
        raise ArgError(n, str(e)) from None
    if not isinstance(value, dict):
        raise ArgError(n, "a table of named arguments expected (a JSON object)")
    return value


def lister(method: str, record: Any) -> Any:
    """``c:tools()``, ``c:resources()``, ``c:prompts()``: the list of what the server has."""
    def list_all(L: Any, *args: Any) -> Any:
        c = _client(args)
        return _outcome(getattr(c.server, method)(),
                        lambda items: lua_list([record(c.codec, item) for item in items]))
    return list_all


def client_call(L: Any, *args: Any) -> Any:
    c = _client(args)
    name = text(check_string(args, 2))
    return _outcome(c.server.call(name, _arguments(c.codec, args, 3)),
                    lambda r: call_record(c.codec, r))


def client_info(L: Any, *args: Any) -> Any:
    c = _client(args)
    return _outcome(c.server.info(), lambda r: info_record(c.codec, r))


def client_read(L: Any, *args: Any) -> Any:
    c = _client(args)
    uri = text(check_string(args, 2))
    return _outcome(c.server.read(uri), lambda r: read_record(c.codec, r))


def client_prompt(L: Any, *args: Any) -> Any:
    c = _client(args)
    name = text(check_string(args, 2))
    values = {k: v if isinstance(v, str) else json.dumps(v)
              for k, v in _arguments(c.codec, args, 3).items()}
    return _outcome(c.server.prompt(name, values), lambda r: prompt_result_record(c.codec, r))


def client_close(L: Any, *args: Any) -> Any:
    """``c:close()``: waits until the connection is closed (a process has exited)."""
    server = _client(args).server
    server.closed = True

    async def close() -> tuple:
        await server.aclose()
        return (True,)
    return close()


def client_close_var(L: Any, *args: Any) -> Any:
    """``__close``: as ``close``, but without waiting when an error is on its way out
    (host code may be unwinding, which cannot wait)."""
    if len(args) >= 2 and args[1] is not None:
        server = _client(args).server
        server.closed = True
        server.close_soon()
        return ()
    return client_close(L, *args)


def client_gc(L: Any, *args: Any) -> Any:
    client = _client(args)
    if not client.adopted:
        client.server.closed = True
        client.server.close_soon()
    return ()


def client_tostring(L: Any, *args: Any) -> Any:
    server = _client(args).server
    state = "closed" if server.closed else "open"
    return (lua_string(f"{CLIENT}: {server.name} ({server.config.type}, {state})"),)


METHODS = {"tools": lister("tools", tool_record), "call": client_call,
           "resources": lister("resources", resource_record), "read": client_read,
           "prompts": lister("prompts", prompt_record), "prompt": client_prompt,
           "info": client_info, "close": client_close}
