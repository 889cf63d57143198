"""The ``llm`` library: LLM agents, workflows of agents and JSON (``pylua.llm``).

``llm.agent.new{...}`` makes an agent (a userdata with methods ``run``, ``history``,
``reset``, ``usage``); ``llm.workflow.sequential{...}`` / ``llm.workflow.concurrent{...}``
make workflows (method ``run``); ``llm.json`` encodes and decodes JSON;
``llm.media.image/audio/file(path_or_bytes [, {format = ...}])`` make media (a
userdata, ``pylua.llm.media``) or return ``nil, err``, sent with a task as
``agent:run{ text = ..., media = { ... } }``. ``run`` is an
async host function: the calling Lua thread waits while other tasks run, and its
outcome is ``reply, nil`` or ``nil, message``. Opening the library costs next to
nothing: the agent machinery (asyncio, json, the providers and httpx) is imported
when a script first uses it.
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from ..errors import ArgError, LuaError
from ..lauxlib import arg, check_string, check_table, obj_type_name, type_error
from ..llm.strings import lua_string, text
from ..objects import Builtin, Userdata
from ..table import LuaTable

AGENT, WORKFLOW, STREAM, NULL = "llm.agent", "llm.workflow", "llm.stream", "llm.json.null"
MEDIA = "llm.media"


def open(L) -> LuaTable:
    null = Userdata(None, _meta(NULL, {"__tostring": lambda L, *a: ("null",)}))
    array_meta = LuaTable()
    array_meta.set_str("__jsontype", "array")
    codec_box: list = []

    def codec() -> Any:
        if not codec_box:
            from ..llm.luajson import Codec
            codec_box.append(Codec(null, array_meta))
        return codec_box[0]

    def named(kind: str, name: str):
        def tostring(L, *args):
            return (kind + ": " + lua_string(_check(args, metas[name], name).name),)
        return tostring

    agent_meta = _meta(AGENT, {"__tostring": named("agent", AGENT)})
    workflow_meta = _meta(WORKFLOW, {"__tostring": named("workflow", WORKFLOW)})
    metas = {AGENT: agent_meta, WORKFLOW: workflow_meta}

    # ------------------------------------------------------------ agents
    def agent_new(L, *args):
        config = check_table(args, 1)
        from ..llm.agent import Agent
        return (Userdata(Agent(L, codec(), config), agent_meta),)

    def agent_run(L, *args):
        agent = _check(args, agent_meta, AGENT)
        task, media = run_input(args)
        if not media:
            return _outcome(agent.run(task))
        from ..llm import agent as agents
        return _outcome(agent.run(task, agents.RunContext(sink=agents.live_output, media=media)))

    def agent_stream(L, *args):
        """``for chunk in agent:stream(input) do ... end``: the stream is the iterator
        (callable) and the loop's to-be-closed value (closing it ends the run)."""
        agent = _check(args, agent_meta, AGENT)
        task, media = run_input(args)
        stream = Userdata(new_stream(agent, task, media=media), stream_meta)
        return (stream, None, None, stream)

    async def stream_next(L, *args):
        chunk = await next_chunk(_check(args, stream_meta, STREAM))
        return (None if chunk is None else codec().from_python(chunk),)

    def stream_close(L, *args):
        return stream_closed(_check(args, stream_meta, STREAM), args)

    def agent_history(L, *args):
        return (_check(args, agent_meta, AGENT).history_table(),)

    def agent_reset(L, *args):
        _check(args, agent_meta, AGENT).reset()
        return ()

    def agent_usage(L, *args):
        return (_check(args, agent_meta, AGENT).usage_table(),)

    # ------------------------------------------------------------ workflows
    def workflow_maker(kind: str):
        def new(L, *args):
            config = check_table(args, 1)
            from ..llm.agent import field
            from ..llm.workflow import Workflow
            name = field(config, "name", check_string, kind.capitalize() + "Workflow")
            description = field(config, "description", check_string, "")
            agents = field(config, "agents", check_table)
            if agents is None or agents.length() == 0:
                raise ArgError(1, "field 'agents': a non-empty list of agents expected")
            found = []
            for i in range(1, agents.length() + 1):
                ud = agents.get_int(i)
                if type(ud) is not Userdata or ud.meta is not agent_meta:
                    raise ArgError(1, f"field 'agents': agent expected at index {i}, "
                                      f"got {obj_type_name(ud)}")
                found.append(ud.value)
            wf = Workflow(kind, _model_text(name), _model_text(description), found)
            return (Userdata(wf, workflow_meta),)
        return new

    def workflow_run(L, *args):
        wf = _check(args, workflow_meta, WORKFLOW)
        return _outcome(wf.run(_model_text(check_string(args, 2))))

    # ------------------------------------------------------------ json
    def json_encode(L, *args):
        from ..llm.luajson import JsonError
        if not args:
            raise ArgError(1, "value expected")
        try:
            return (codec().encode(args[0]),)
        except JsonError as e:
            raise L.error(f"llm.json.encode: {e}") from None

    def json_decode(L, *args):
        from ..llm.luajson import JsonError
        s = check_string(args, 1)
        try:
            return (codec().decode(s),)
        except JsonError as e:
            return (None, str(e))

    def json_array(L, *args):
        t = LuaTable() if arg(args, 1) is None else check_table(args, 1)
        t.meta = array_meta
        return (t,)

    # ------------------------------------------------------------ media
    def media_maker(kind: str):
        def make(L, *args):
            source = check_string(args, 1).encode("latin-1")
            options = arg(args, 2)
            fmt = None
            if options is not None:
                fmt = check_table(args, 2).get_str("format")
                if fmt is not None and type(fmt) is not str:
                    raise ArgError(2, f"field 'format': string expected, got {obj_type_name(fmt)}")
            from ..llm.media import MediaError, load, looks_like_media
            try:
                media = load(kind, source, not looks_like_media(source), fmt)
            except MediaError as e:
                return (None, lua_string(f"llm.media.{kind}: {e}"))
            return (Userdata(media, media_meta),)
        return make

    def media_index(L, *args):
        media = _check(args, media_meta, MEDIA)
        key = arg(args, 2)
        if key == "bytes":
            return (media.data.decode("latin-1"),)
        if key == "size":
            return (len(media.data),)
        if key in ("kind", "format", "mime", "name"):
            return (lua_string(getattr(media, key)),)
        return (None,)

    def media_tostring(L, *args):
        media = _check(args, media_meta, MEDIA)
        return (f"{MEDIA}: {media.mime}, {len(media.data)} bytes",)

    # ------------------------------------------------------------ mcp
    # ``mcp`` (the SDK) takes over a second to import: only when a script uses MCP.
    def mcp_connect(L, *args):
        from ..llm.mcp_client import lua_connect
        return lua_connect(L, codec(), *args)

    def mcp_tool(L, *args):
        from ..llm.mcp_serve import lua_tool
        return lua_tool(L, codec(), *args)

    media_meta = _meta(MEDIA, {"__index": media_index, "__tostring": media_tostring})
    stream_meta = _meta(STREAM, {"__call": stream_next, "__close": stream_close})
    _methods(agent_meta, {"run": agent_run, "stream": agent_stream, "history": agent_history,
                          "reset": agent_reset, "usage": agent_usage})
    _methods(workflow_meta, {"run": workflow_run})
    lib = LuaTable()
    lib.set_str("agent", _lib("llm.agent", {"new": agent_new}))
    lib.set_str("workflow", _lib("llm.workflow", {"sequential": workflow_maker("sequential"),
                                                 "concurrent": workflow_maker("concurrent")}))
    json = _lib("llm.json", {"encode": json_encode, "decode": json_decode, "array": json_array})
    json.set_str("null", null)
    lib.set_str("json", json)
    lib.set_str("media", _lib("llm.media", {kind: media_maker(kind)
                                            for kind in ("image", "audio", "file")}))
    lib.set_str("mcp", _lib("llm.mcp", {"connect": mcp_connect, "tool": mcp_tool}))
    return lib


def _meta(name: str, fields: dict) -> LuaTable:
    meta = LuaTable()
    meta.set_str("__name", name)
    for key, fn in fields.items():
        meta.set_str(key, Builtin(fn, key))
    return meta


def _methods(meta: LuaTable, fns: dict) -> None:
    methods = LuaTable()
    for name, fn in fns.items():
        methods.set_str(name, Builtin(fn, name))
    meta.set_str("__index", methods)


def _lib(prefix: str, fns: dict) -> LuaTable:
    t = LuaTable()
    for name, fn in fns.items():
        t.set_str(name, Builtin(fn, f"{prefix}.{name}"))
    return t


def _check(args: tuple, meta: LuaTable, name: str) -> Any:
    v = args[0] if args else None
    if type(v) is Userdata and v.meta is meta:
        return v.value
    raise type_error(1, name, args)


async def _outcome(run: Any) -> tuple:
    """A run's ``(value, error)`` as Lua strings."""
    value, err = await run
    return (lua_string(value), None) if err is None else (None, lua_string(err))


def new_stream(agent: Any, task: str, **options: Any) -> Any:
    """A streamed run of ``agent`` (``RunContext`` options: temperature, max_tokens, media)."""
    from ..llm.agent import RunContext
    from ..llm.stream import AgentStream
    return AgentStream(agent, task, RunContext(**options))


async def next_chunk(stream: Any) -> Any:
    """The stream's next chunk (None after the last); its run's failure as a Lua error."""
    from ..llm.stream import StreamFailed
    try:
        return await stream.next()
    except StreamFailed as e:
        raise LuaError(lua_string(str(e))) from None


def stream_closed(stream: Any, args: tuple) -> Any:
    """``__close(stream, err)``: with no error in flight the loop waits for the run
    to stop (an awaitable); an error may be on its way to host code, which cannot wait."""
    waiting = len(args) < 2 or args[1] is None
    ended = stream.close(waiting)
    return () if ended is None else ended


def run_input(args: tuple) -> tuple:
    """``(task, media)`` of ``run``'s argument #2: a string, or ``{ text = ..., media = {...} }``."""
    v = arg(args, 2)
    if type(v) is not LuaTable:
        return _model_text(check_string(args, 2)), []
    task = v.get_str("text")
    if type(task) is not str:
        raise ArgError(2, f"field 'text': string expected, got {obj_type_name(task)}")
    return _model_text(task), media_list(v.get_str("media"), 2)


def media_list(v: Any, argno: int) -> list:
    """The ``Media`` of a ``media`` field: nil, or a list of ``llm.media`` values."""
    if v is None:
        return []
    if type(v) is not LuaTable:
        raise ArgError(argno, f"field 'media': table expected, got {obj_type_name(v)}")
    from ..llm.media import Media
    out = []
    for i in range(1, v.length() + 1):
        m = v.get_int(i)
        if type(m) is not Userdata or type(m.value) is not Media:
            raise ArgError(argno, f"field 'media': {MEDIA} expected at index {i}, "
                                  f"got {obj_type_name(m)}")
        out.append(m.value)
    return out


def _model_text(s: str) -> str:
    """A Lua string as text for a model (invalid UTF-8 replaced)."""
    return text(s, "replace")
