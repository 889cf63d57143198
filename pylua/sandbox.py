"""The sandbox: a Lua state in which scripts one does not trust can run.

``make_sandbox(L)`` turns a fresh state (the standard libraries open, no script run
yet) into one whose scripts reach no file, no process, no environment variable and no
Python object: every global and library field not in ``WHITELIST`` is taken away, and

* every chunk is loaded as text (``load``, the ``pylua`` script, ``LuaRuntime.execute``):
  a binary chunk fails with ``attempt to load a binary chunk (mode is 't')``;
* ``require`` finds only ``package.preload`` and the libraries already loaded;
* ``collectgarbage`` answers ``"count"`` only;
* ``llm.media`` takes bytes, not paths; agents do not autosave (files) and use only the
  providers of the configuration (no script-chosen URL or environment variable);
* agents use only the tools ``[security] allowed_tools`` names (``check_tool``), and
  MCP servers only when it names them and ``sandbox_mcp_servers`` lists their command
  line or URL (``check_mcp_server``).

``[security] sandbox_allow`` adds fields to the whitelist (``"io.write"``, or a whole
library: ``"io"``) and ``sandbox_deny`` takes fields or libraries out (``"llm"``).
Resource limits (instructions, time, memory) are ``pylua.limits``' concern.
"""
from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional

from .config import ConfigError, SecurityConfig, config_of
from .errors import ArgError, LuaError
from .lauxlib import opt_string
from .objects import Builtin
from .table import LuaTable

# What a sandboxed script may use, as paths from the globals. A path names a value
# kept whole; the tables on the way to it keep only the fields listed below them.
WHITELIST = (
    # base library (``load``: text chunks only; ``collectgarbage``: "count" only)
    "_G", "_VERSION", "assert", "collectgarbage", "error", "getmetatable", "ipairs",
    "load", "next", "pairs", "pcall", "print", "rawequal", "rawget", "rawlen", "rawset",
    "require", "select", "setmetatable", "tonumber", "tostring", "type", "warn", "xpcall",
    # package (``require`` searches ``package.preload`` only)
    "package.config", "package.loaded", "package.preload", "package.searchers",
    "coroutine.close", "coroutine.create", "coroutine.isyieldable", "coroutine.resume",
    "coroutine.running", "coroutine.status", "coroutine.wrap", "coroutine.yield",
    "debug.traceback",
    "math.abs", "math.acos", "math.asin", "math.atan", "math.ceil", "math.cos", "math.cosh",
    "math.deg", "math.exp", "math.floor", "math.fmod", "math.frexp", "math.huge",
    "math.ldexp", "math.log", "math.log10", "math.max", "math.maxinteger", "math.min",
    "math.mininteger", "math.modf", "math.pi", "math.pow", "math.rad", "math.random",
    "math.randomseed", "math.sin", "math.sinh", "math.sqrt", "math.tan", "math.tanh",
    "math.tointeger", "math.type", "math.ult",
    "os.clock", "os.date", "os.difftime", "os.time",
    "string.byte", "string.char", "string.find", "string.format", "string.gmatch",
    "string.gsub", "string.len", "string.lower", "string.match", "string.pack",
    "string.packsize", "string.rep", "string.reverse", "string.sub", "string.unpack",
    "string.upper",
    "table.concat", "table.insert", "table.move", "table.pack", "table.remove", "table.sort",
    "table.unpack",
    "utf8.char", "utf8.charpattern", "utf8.codepoint", "utf8.codes", "utf8.len", "utf8.offset",
    "task.all", "task.cancel", "task.join", "task.race", "task.spawn", "task.status",
    "task.timeout", "task.wait",
    # llm (``llm.media`` from bytes only; agents limited by ``check_agent``/``check_tool``)
    "llm.agent.new", "llm.json.array", "llm.json.decode", "llm.json.encode", "llm.json.null",
    "llm.mcp.connect", "llm.mcp.tool", "llm.media.audio", "llm.media.file", "llm.media.image",
    "llm.workflow.concurrent", "llm.workflow.sequential",
    # the rs-llmspell API (the same agents)
    "Agent.create", "Tool.create", "Tool.exists", "Tool.invoke", "Tool.list",
    "Workflow.concurrent", "Workflow.sequential",
    "llmspell.Agent.create", "llmspell.Tool.create", "llmspell.Tool.exists",
    "llmspell.Tool.invoke", "llmspell.Tool.list", "llmspell.Workflow.concurrent",
    "llmspell.Workflow.sequential",
)

# what ``check_tool`` is asked about: a Lua function tool, or an MCP server (which
# starts a process or opens a connection, so a sandbox refuses it unless it is named)
TOOL = "tool"
MCP_SERVER = "MCP server"


# ---------------------------------------------------------------- making one

def make_sandbox(L: Any, security: Optional[SecurityConfig] = None) -> None:
    """Make ``L`` a sandbox with the whitelist ``security`` (default: the state's
    configuration's ``[security]``) adds to and takes from; ConfigError when one of
    its names names nothing."""
    if security is None:
        security = config_of(L).security
    allowed = whitelist(L, security)
    keep_only(L.globals, "", allowed, set())
    prune_loaded(L)
    package = L.globals.get_str("package")
    if type(package) is LuaTable and type(package.get_str("searchers")) is LuaTable:
        package.set_str("searchers", preload_searcher_only(package.get_str("searchers")))
    if "collectgarbage" in allowed:
        L.globals.set_str("collectgarbage", Builtin(collect_count, "collectgarbage"))
    refuse_media_paths(L.globals.get_str("llm"))
    L.load = text_only(L.load)
    L.sandbox = security


def whitelist(L: Any, security: SecurityConfig) -> frozenset:
    """``WHITELIST`` with ``sandbox_allow``'s names added and ``sandbox_deny``'s (each
    with what lies below it) taken out."""
    for name in security.sandbox_allow:
        if lookup(L.globals, name) is None:
            raise ConfigError(f"[security] sandbox_allow: '{name}' names no library field "
                              "(names are paths from the globals such as \"io.write\" or \"os\")")
    names = set(WHITELIST) | set(security.sandbox_allow)
    for name in security.sandbox_deny:
        below = {n for n in names if n == name or n.startswith(name + ".")}
        if not below:
            raise ConfigError(f"[security] sandbox_deny: '{name}' is not in the sandbox's "
                              "whitelist (see pylua.sandbox.WHITELIST)")
        names -= below
    return frozenset(names)


def lookup(t: Any, path: str) -> Any:
    for part in path.split("."):
        if type(t) is not LuaTable:
            return None
        t = t.get_str(part)
    return t


def keep_only(t: LuaTable, prefix: str, allowed: frozenset, done: set) -> None:
    """Take from ``t`` (at path ``prefix``) every field that is neither allowed nor on
    the way to an allowed one; tables on the way are pruned the same way, once."""
    done.add(id(t))
    for key in string_keys(t):
        path = prefix + key
        if path in allowed:
            continue
        value = t.get_str(key)
        if type(value) is LuaTable and any(n.startswith(path + ".") for n in allowed):
            if id(value) not in done:
                keep_only(value, path + ".", allowed, done)
        else:
            t.set_str(key, None)


def string_keys(t: LuaTable) -> list:
    keys = []
    entry = t.next(None)
    while entry is not None:
        if type(entry[0]) is str:
            keys.append(entry[0])
        entry = t.next(entry[0])
    return keys


def prune_loaded(L: Any) -> None:
    """``package.loaded`` keeps the libraries that are still globals (pruned alike)."""
    loaded = L.registry.get_str("_LOADED")
    for name in string_keys(loaded):
        if name != "_G" and L.globals.get_str(name) is not loaded.get_str(name):
            loaded.set_str(name, None)


def preload_searcher_only(searchers: LuaTable) -> LuaTable:
    """A ``package.searchers`` with the first searcher (``package.preload``) alone:
    the others read files."""
    only = LuaTable()
    only.set_int(1, searchers.get_int(1))
    return only


def collect_count(L: Any, *args: Any) -> tuple:
    """``collectgarbage`` of the sandbox: "count" only (the others would let a
    script stop the collector or spend the host's time on full collections)."""
    option = opt_string(args, 1, "collect")
    if option != "count":
        raise ArgError(1, f"option '{option}' is not allowed in the sandbox (only \"count\" is)")
    return (L.gc_count_kb(),)


def text_only(load: Any) -> Any:
    """``LuaState.load`` for the sandbox: any mode loses "b", so a binary chunk (which
    the VM would trust) fails as in mode "t"."""
    def load_text(chunk: str, chunkname: str, mode: str = "bt", *args: Any, **kwargs: Any) -> Any:
        return load(chunk, chunkname, mode.replace("b", ""), *args, **kwargs)
    return load_text


def refuse_media_paths(llm: Any) -> None:
    """``llm.media.image/audio/file`` of the sandbox take media bytes, not paths."""
    media = llm.get_str("media") if type(llm) is LuaTable else None
    if type(media) is not LuaTable:
        return
    for kind in string_keys(media):
        maker = media.get_str(kind)
        if type(maker) is Builtin:
            media.set_str(kind, Builtin(bytes_only(maker.fn, kind), maker.name))


def bytes_only(make: Any, kind: str) -> Any:
    def make_from_bytes(L: Any, *args: Any) -> Any:
        source = args[0] if args else None
        if type(source) is str:
            from .llm.media import looks_like_media
            if not looks_like_media(source.encode("latin-1")):
                return (None, f"llm.media.{kind}: the sandbox does not read files "
                              "(give the media's bytes instead of a path)")
        return make(L, *args)
    return make_from_bytes


# ---------------------------------------------------------------- agents

def is_sandboxed(L: Any) -> bool:
    return getattr(L, "sandbox", None) is not None


def security_of(L: Any) -> SecurityConfig:
    """The ``[security]`` in force: the sandbox's, else the configuration's."""
    return getattr(L, "sandbox", None) or config_of(L).security


def check_tool(L: Any, name: str, what: str = TOOL) -> None:
    """Raise a Lua error when the agents of ``L`` may not use the tool (``what`` =
    ``TOOL``) or MCP server (``what`` = ``MCP_SERVER``) called ``name``.

    ``[security] allowed_tools`` set: only the names it lists. Not set: every tool,
    except that a sandboxed state refuses MCP servers."""
    allowed = security_of(L).allowed_tools
    if allowed is None:
        if what == MCP_SERVER and is_sandboxed(L):
            raise LuaError(f"{what} '{name}' is not allowed in the sandbox: only MCP servers "
                           "named in [security] allowed_tools may be used")
        return
    if name not in allowed:
        listed = ", ".join(allowed) if allowed else "none"
        raise LuaError(f"{what} '{name}' is not allowed: [security] allowed_tools lists "
                       f"{listed} (add '{name}' to it to use it)")


def check_mcp_server(L: Any, name: str, endpoint: str, sets_environment: bool) -> None:
    """Raise a Lua error when the scripts of ``L`` may not start or reach the MCP
    server ``name``: ``check_tool``'s rule, and in a sandbox also its ``endpoint`` (the
    command line, words joined as ``shlex.join`` does, or the URL) must be one of
    ``[security] sandbox_mcp_servers`` and the script may not set its environment or
    working directory (``sets_environment``): a script chooses the name as freely as
    the command."""
    check_tool(L, name, MCP_SERVER)
    if not is_sandboxed(L):
        return
    if sets_environment:
        raise LuaError(f"{MCP_SERVER} '{name}': a sandboxed script may not set 'env' or 'cwd'")
    if endpoint not in security_of(L).sandbox_mcp_servers:
        raise LuaError(f"{MCP_SERVER} '{name}': '{endpoint}' is not one of [security] "
                       "sandbox_mcp_servers (the commands and URLs a sandboxed script may use)")


def check_agent(L: Any, config: LuaTable) -> None:
    """In a sandbox, refuse (as a bad argument #1) an agent table that would write
    files (``autosave``) or talk to a provider the configuration does not name: a
    script-chosen ``base_url`` could be any host, and ``api_key_env`` any of the host's
    environment variables, sent along."""
    if not is_sandboxed(L):
        return
    autosave = config.get_str("autosave")
    if autosave is not None and autosave is not False:
        raise ArgError(1, "field 'autosave': the sandbox does not write files")
    provider = config.get_str("provider")
    if type(provider) is LuaTable and not configured_provider(L, provider):
        raise ArgError(1, "field 'provider': the sandbox uses only the providers of the "
                          "configuration (same type, base_url and api_key_env as a "
                          "[providers.NAME] of pylua.toml, or type \"mock\")")


def configured_provider(L: Any, provider: LuaTable) -> bool:
    from .llm.strings import lua_string
    kind = provider.get_str("type")
    if kind == "mock":
        return True
    base_url, key_env = provider.get_str("base_url"), provider.get_str("api_key_env")
    for p in config_of(L).providers.values():
        if lua_string(p.type) == kind and base_url in provider_urls(p) and \
                (key_env is None or key_env == lua_string(p.api_key_env or "")):
            return True
    return False


def provider_urls(p: Any) -> set:
    """The base URLs of a configured provider, as Lua strings (None: the vendor's)."""
    from .lib.llmspell import BASE_URL_ENV
    from .llm.strings import lua_string
    if p.base_url:
        return {lua_string(p.base_url)}
    variable = BASE_URL_ENV.get(p.type)
    url = os.environ.get(variable) if variable else None
    return {None, lua_string(url)} if url else {None}
