"""The script API of rs-llmspell as globals beside ``llm``: ``Agent``, ``Tool`` and
``Workflow``, built on the ``llm`` library (same agents, tools and workflows).

    local agent = Agent.create{ name = "assistant", model = "openai/gpt-4o-mini",
                                prompt = "You are a helpful assistant" }
    local result = agent:execute{ text = "What is 2+2?", parameters = { temperature = 0.7 } }
    for chunk in agent:stream_execute{ text = "Count to 5" } do io.write(chunk.content.text) end

``model`` is ``"provider/model"`` (a provider of the run configuration, see
``pylua.config``: openai, anthropic, mock or a ``[providers.NAME]``), a bare model of
the default provider, or ``"mock"``. The API key is the provider's (``api_key_env``:
``OPENAI_API_KEY``, ``ANTHROPIC_API_KEY`` for the built-in ones); ``base_url`` is the
provider's, else ``OPENAI_BASE_URL`` / ``ANTHROPIC_BASE_URL`` as the vendors' SDKs
read them; the ``base_url``/``api_key`` fields of ``Agent.create`` win over both. Failures raise Lua errors
(this API's convention; ``llm`` returns ``nil, err`` instead).
"""
from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from ..errors import ArgError, LuaError
from ..lauxlib import check_string, check_table, obj_type_name
from ..llm.strings import lua_string, text
from ..objects import Userdata, is_function
from ..table import LuaTable
from .llmlib import (_check, media_list, new_stream, next_chunk, stream_closed, _lib, _meta,
                     _methods)

SPELL_AGENT = "llmspell.agent"
SPELL_WORKFLOW = "llmspell.workflow"
# provider type -> the variable its vendor's SDK reads the base URL from
BASE_URL_ENV = {"openai": "OPENAI_BASE_URL", "anthropic": "ANTHROPIC_BASE_URL"}
MEDIA_KINDS = ("image", "audio", "file")     # beside "text", as the provider takes them


def open(L) -> LuaTable:
    llm = L.registry.get_str("_LOADED").get_str("llm")
    llm_agent_new = llm.get_str("agent").get_str("new").fn
    llm_workflows = llm.get_str("workflow")
    tools: dict = {}            # name -> the tool's llm table (Tool.create)
    agent_meta = _meta(SPELL_AGENT, {"__tostring": lambda L, *a: (
        "Agent: " + lua_string(_check(a, agent_meta, SPELL_AGENT).value.name),)})
    workflow_meta = _meta(SPELL_WORKFLOW, {})

    # ------------------------------------------------------------ Agent
    def agent_create(L, *args):
        config = check_table(args, 1)
        model = config.get_str("model")
        if type(model) is not str or not model:
            raise L.error("Agent.create: field 'model' must be a string such as "
                          "\"openai/gpt-4o-mini\" or \"mock\"")
        spec = LuaTable()
        for key in ("name", "temperature", "max_tokens", "max_loops", "stop_words"):
            spec.set_str(key, config.get_str(key))
        prompt = config.get_str("prompt")
        spec.set_str("system_prompt", prompt if prompt is not None else config.get_str("system_prompt"))
        spec.set_str("provider", provider_table(L, text(model, "replace"), config))
        spec.set_str("tools", agent_tools(L, config.get_str("tools")))
        try:
            ud = llm_agent_new(L, spec)[0]
        except ArgError as e:
            raise L.error(f"Agent.create: {e.msg}") from None
        return (Userdata(ud, agent_meta),)

    def agent_tools(L, given: Any) -> Any:
        """The llm tool list of ``tools``: names of ``Tool.create``d tools or tool tables."""
        if given is None:
            return None
        if type(given) is not LuaTable:
            raise L.error(f"Agent.create: field 'tools' must be a list, got {obj_type_name(given)}")
        out = LuaTable()
        for i in range(1, given.length() + 1):
            t = given.get_int(i)
            if type(t) is str:
                if t not in tools:
                    raise L.error(f"Agent.create: unknown tool '{text(t, 'replace')}' "
                                  "(make it with Tool.create first)")
                t = tools[t]
            out.set_int(i, t)
        return out

    def spell_agent(args: tuple) -> Any:
        return _check(args, agent_meta, SPELL_AGENT).value      # the llm Agent

    def agent_execute(L, *args):
        agent = spell_agent(args)
        task, options = execute_input(L, args)
        return executed(agent, task, options)

    async def executed(agent: Any, task: str, options: dict) -> tuple:
        from ..llm.agent import RunContext, usage_json
        context = RunContext(**options)
        reply, err = await agent.run(task, context)
        if err is not None:
            raise LuaError(lua_string(err))
        codec = agent.codec
        calls = [{"id": c.id, "name": c.name, "arguments": c.arguments} for c in context.tool_calls]
        result = codec.from_python({"text": reply, "content": reply, "metadata": {
            "usage": usage_json(context.usage), "model": context.model or agent.provider.model,
            "agent": agent.name}})
        result.set_str("tool_calls", codec.from_python(calls) if calls else LuaTable())
        return (result,)

    def agent_stream_execute(L, *args):
        agent = spell_agent(args)
        task, options = execute_input(L, args)
        stream = Userdata(new_stream(agent, task, **options), spell_stream_meta)
        return (stream, None, None, stream)

    async def spell_stream_next(L, *args):
        stream = _check(args, spell_stream_meta, "llmspell.stream")
        while True:
            chunk = await next_chunk(stream)
            if chunk is None:
                return (None,)
            if chunk["type"] in ("text", "done"):
                break
        codec = stream.agent.codec
        out = {"chunk_index": chunk["index"], "content": {"type": "text", "text": chunk["text"]},
               "is_final": chunk["type"] == "done"}
        if chunk["type"] == "done":
            out["metadata"] = {"usage": chunk["usage"], "model": chunk["model"]}
        return (codec.from_python(out),)

    def spell_stream_close(L, *args):
        return stream_closed(_check(args, spell_stream_meta, "llmspell.stream"), args)

    def agent_supports_streaming(L, *args):
        spell_agent(args)
        from ..config import config_of
        return (config_of(L).runtime.enable_streaming,)

    def media_types(args: tuple) -> list:
        takes = spell_agent(args).provider.media_kinds
        return ["text"] + [kind for kind in MEDIA_KINDS if kind in takes]

    def agent_supports_multimodal(L, *args):
        return (len(media_types(args)) > 1,)

    def agent_supported_media_types(L, *args):
        out = LuaTable()
        for i, kind in enumerate(media_types(args), 1):
            out.set_int(i, kind)
        return (out,)

    def agent_get_name(L, *args):
        return (lua_string(spell_agent(args).name),)

    def agent_history(L, *args):
        return (spell_agent(args).history_table(),)

    def agent_usage(L, *args):
        return (spell_agent(args).usage_table(),)

    # ------------------------------------------------------------ Tool
    def tool_create(L, *args):
        config = check_table(args, 1)
        name = config.get_str("name")
        if type(name) is not str or not name:
            raise L.error("Tool.create: field 'name' must be a non-empty string")
        handler = config.get_str("handler") or config.get_str("execute")
        if not is_function(handler):
            raise L.error("Tool.create: field 'handler' must be a function")
        spec = LuaTable()
        spec.set_str("type", "function")
        spec.set_str("name", name)
        spec.set_str("description", config.get_str("description") or "")
        spec.set_str("parameters", config.get_str("parameters"))
        spec.set_str("handler", handler)
        tools[name] = spec
        return (spec,)

    async def tool_invoke(L, *args):
        name = check_string(args, 1)
        params = args[1] if len(args) > 1 and args[1] is not None else LuaTable()
        spec = tools.get(name)
        if spec is None:
            raise LuaError(lua_string(f"Tool.invoke: unknown tool '{text(name, 'replace')}'"))
        from .. import scheduler
        try:
            res = await scheduler.run_async(L, spec.get_str("handler"), (params,))
        except LuaError as e:
            from ..llm.agent import error_text
            raise LuaError(lua_string(f"Tool.invoke: tool '{text(name, 'replace')}' failed: "
                                      f"{error_text(e.value)}")) from None
        out = LuaTable()
        out.set_str("success", True)
        out.set_str("result", res[0] if res else None)
        return (out,)

    def tool_list(L, *args):
        out = LuaTable()
        for i, spec in enumerate(tools.values(), 1):
            entry = LuaTable()
            entry.set_str("name", spec.get_str("name"))
            entry.set_str("description", spec.get_str("description"))
            out.set_int(i, entry)
        return (out,)

    def tool_exists(L, *args):
        return (check_string(args, 1) in tools,)

    # ------------------------------------------------------------ Workflow
    def workflow_maker(kind: str):
        make = llm_workflows.get_str(kind).fn

        def new(L, *args):
            config = check_table(args, 1)
            spec = LuaTable()
            spec.set_str("name", config.get_str("name"))
            spec.set_str("description", config.get_str("description"))
            spec.set_str("agents", workflow_agents(L, kind, config))
            try:
                wf = make(L, spec)[0]
            except ArgError as e:
                raise L.error(f"Workflow.{kind}: {e.msg}") from None
            return (Userdata(wf, workflow_meta),)
        return new

    def workflow_agents(L, kind: str, config: LuaTable) -> LuaTable:
        """The llm agents of ``agents = {...}`` or ``steps = { { agent = a }, ... }``."""
        given = config.get_str("agents") or config.get_str("steps")
        if type(given) is not LuaTable or given.length() == 0:
            raise L.error(f"Workflow.{kind}: field 'agents' (or 'steps') must be a non-empty list")
        out = LuaTable()
        for i in range(1, given.length() + 1):
            v = given.get_int(i)
            if type(v) is LuaTable:
                v = v.get_str("agent")
            if type(v) is not Userdata or v.meta is not agent_meta:
                raise L.error(f"Workflow.{kind}: step {i} must be an agent made by Agent.create "
                              f"(or {{ agent = ... }}), got {obj_type_name(v)}")
            out.set_int(i, v.value)
        return out

    def workflow_execute(L, *args):
        wf = _check(args, workflow_meta, SPELL_WORKFLOW).value
        task, options = execute_input(L, args)
        if options.get("media"):
            raise L.error("Workflow.execute: workflows take text only (give media to an agent)")
        return workflow_executed(wf, task)

    async def workflow_executed(wf: Any, task: str) -> tuple:
        result, err = await wf.run(task)
        if err is not None:
            raise LuaError(lua_string(err))
        import json
        data = json.loads(result)
        outputs = [e["output"] for e in data["agents"] if e.get("output") is not None]
        data["text"] = data.get("final_output") or "\n\n".join(outputs)
        data["success"] = True
        return (wf.agents[0].codec.from_python(data),)

    _methods(agent_meta, {
        "execute": agent_execute, "invoke": agent_execute, "stream_execute": agent_stream_execute,
        "supports_streaming": agent_supports_streaming,
        "supports_multimodal": agent_supports_multimodal,
        "supported_media_types": agent_supported_media_types, "get_name": agent_get_name,
        "history": agent_history, "usage": agent_usage})
    _methods(workflow_meta, {"execute": workflow_execute, "run": workflow_execute})
    spell_stream_meta = _meta("llmspell.stream", {"__call": spell_stream_next,
                                                  "__close": spell_stream_close})
    lib = LuaTable()
    lib.set_str("Agent", _lib("Agent", {"create": agent_create}))
    lib.set_str("Tool", _lib("Tool", {"create": tool_create, "invoke": tool_invoke,
                                      "list": tool_list, "exists": tool_exists}))
    lib.set_str("Workflow", _lib("Workflow", {"sequential": workflow_maker("sequential"),
                                              "concurrent": workflow_maker("concurrent")}))
    for name in ("Agent", "Tool", "Workflow"):
        L.globals.set_str(name, lib.get_str(name))
    return lib


def execute_input(L, args: tuple) -> tuple:
    """``(task, RunContext options)`` of ``execute``'s input: a string, or a table
    ``{ text = ... (or prompt, input), parameters = { temperature, max_tokens },
    media = { llm.media values } }``."""
    v = args[1] if len(args) > 1 else None
    if type(v) is str:
        return text(v, "replace"), {}
    if type(v) is not LuaTable:
        raise L.error(f"input must be a string or a table {{ text = ... }}, got {obj_type_name(v)}")
    task = v.get_str("text") or v.get_str("prompt") or v.get_str("input")
    if type(task) is not str:
        raise L.error("input: field 'text' must be a string")
    options = {}
    params = v.get_str("parameters")
    if type(params) is LuaTable:
        for key in ("temperature", "max_tokens"):
            value = params.get_str(key)
            if value is not None and type(value) not in (int, float):
                raise L.error(f"input: parameter '{key}' must be a number, got {obj_type_name(value)}")
            options[key] = value
    try:
        options["media"] = media_list(v.get_str("media"), 2)
    except ArgError as e:
        raise L.error(f"input: {e.msg}") from None
    return text(task, "replace"), options


def provider_table(L, model: str, config: LuaTable) -> LuaTable:
    """The llm provider table of an rs-llmspell ``model`` string: the provider's table
    of the run configuration (``pylua.config``: built-in openai, anthropic and mock,
    ``[providers.NAME]``), its model replaced, its ``base_url`` else the SDK's
    variable, and the ``base_url``/``api_key`` fields of ``Agent.create`` over both."""
    from ..config import ConfigError, config_of, provider_config
    settings = config_of(L)
    provider, _, name = model.partition("/")
    if not name:
        provider, name = ("mock", "mock") if model == "mock" else (settings.default_provider, model)
    try:
        table = provider_config(settings, provider)
    except ConfigError as e:
        raise L.error(f"Agent.create: model '{model}': {e}") from None
    table["model"] = name
    url_variable = BASE_URL_ENV.get(table["type"])
    if "base_url" not in table and url_variable and os.environ.get(url_variable):
        table["base_url"] = os.environ[url_variable]
    t = LuaTable()
    for key, value in table.items():
        t.set_str(key, lua_string(value) if type(value) is str else value)
    for key in ("base_url", "api_key"):
        if config.get_str(key) is not None:
            t.set_str(key, config.get_str(key))
    return t
