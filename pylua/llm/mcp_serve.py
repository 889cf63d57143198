"""Lua functions served as an MCP server: ``llm.mcp.tool`` and ``pylua mcp-serve``.

``llm.mcp.tool{ name, description, parameters, handler [, output_schema] }`` registers
a tool in the state and returns it as a function tool table, which an agent's
``tools`` list takes too. Registering imports nothing of the ``mcp`` SDK: a script
that registers tools runs under plain ``pylua`` as well.

``pylua mcp-serve tools.lua`` runs the script, then serves the tools it registered
with the SDK's low-level server, over stdio or streamable HTTP (``--http PORT``).
Everything runs on one event loop: the script first, then the server, whose
``tools/call`` requests each run their handler as a Lua call of its own
(``scheduler.run_async``), so handlers may wait and several run at once. Tasks the
script spawned keep running while the server serves.

With stdio, fds 0 and 1 are the protocol's: the server takes copies of them and
points fd 0 at /dev/null and fd 1 at stderr, so whatever the script, a library or a
child process prints goes to stderr.
"""
from __future__ import annotations

import json
import os
import re
import sys
from io import BufferedWriter, FileIO

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional

from .. import __version__, scheduler
from ..errors import ArgError, LuaError
from ..lauxlib import check_table, type_name
from ..objects import Userdata
from ..state import LuaState
from ..table import LuaTable
from .luajson import Codec, JsonError
from .media import Media
from .strings import text

REGISTRY_KEY = "pylua.mcp.tools"        # L.registry[key]: the Registry of llm.mcp.tool
TOOL_NAME = re.compile(r"[A-Za-z0-9_.-]{1,128}\Z")     # the MCP spec's advice (SEP-986)
HTTP_PATH = "/mcp"
DEFAULT_HOST = "127.0.0.1"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
SHUTDOWN_SECONDS = 3        # open HTTP streams get this long to end on shutdown

USAGE = f"""usage: pylua mcp-serve [options] script.lua [args]
Runs script.lua, which registers tools with llm.mcp.tool{{...}}, then serves them
as an MCP server over stdio (the default) or streamable HTTP.
Available options are:
  --http PORT   serve streamable HTTP at http://HOST:PORT{HTTP_PATH} (PORT 0: any free port)
  --host HOST   the address to listen on with --http (default {DEFAULT_HOST})
  --name NAME   the server's name in the initialize reply (default pylua)
  --config PATH read the configuration from PATH (else $PYLUA_CONFIG, ./pylua.toml)
  -h, --help    show this help and exit
  --            stop handling options
Over stdio, stdin and stdout carry the protocol: print and io.write write to stderr.
"""


# ---------------------------------------------------------------- registering

class ServedTool:
    """A tool of ``llm.mcp.tool``: the agents' ``LuaTool`` and an optional output
    schema (a handler's table result is then also ``structuredContent``)."""

    def __init__(self, tool: Any, output_schema: Optional[dict]) -> None:
        self.tool = tool
        self.output_schema = output_schema
        self.validator: Any = None      # of the parameters, made once (the SDK's: every call)

    def input_error(self, arguments: dict) -> Optional[str]:
        """Why the arguments do not fit the tool's parameters (None: they fit)."""
        from jsonschema.exceptions import best_match
        if self.validator is None:
            from jsonschema.validators import validator_for
            self.validator = validator_for(self.tool.parameters)(self.tool.parameters)
        error = best_match(self.validator.iter_errors(arguments))
        return None if error is None else error.message


class Registry:
    """The tools one state registered, and its JSON codec."""

    def __init__(self, codec: Codec) -> None:
        self.codec = codec
        self.tools: dict = {}       # name -> ServedTool, in registration order


def lua_tool(L, codec: Codec, *args) -> tuple:
    """``llm.mcp.tool(spec)``: register the tool; return it as a function tool."""
    from .agent import function_tool
    spec = check_table(args, 1)
    tool = function_tool(codec, spec)
    if not TOOL_NAME.match(tool.name):
        raise ArgError(1, f"'name': '{tool.name}' is not an MCP tool name (1 to 128 "
                          "letters, digits, '_', '-' or '.')")
    check_object_schema(tool.parameters, "parameters")
    output_schema = spec.get_str("output_schema")
    if output_schema is not None:
        if type(output_schema) is not LuaTable:
            raise ArgError(1, f"'output_schema' must be a table (a JSON schema), "
                              f"got {type_name(output_schema)}")
        try:
            output_schema = codec.to_python(output_schema, "replace")
        except JsonError as e:
            raise ArgError(1, f"'output_schema': {e}") from None
        check_object_schema(output_schema, "output_schema")
    registry = registry_of(L, codec)
    if tool.name in registry.tools:
        raise ArgError(1, f"a tool named '{tool.name}' is already registered")
    registry.tools[tool.name] = ServedTool(tool, output_schema)
    return (function_table(spec),)


def check_object_schema(schema: Any, field: str) -> None:
    """MCP schemas describe JSON objects: ``type = "object"`` is required."""
    if not isinstance(schema, dict) or schema.get("type") != "object":
        raise ArgError(1, f"'{field}' must be a JSON schema with type = \"object\" "
                          "(a tool's arguments and structured results are objects)")


def function_table(spec: LuaTable) -> LuaTable:
    """The tool as an agent's ``tools`` entry."""
    t = LuaTable()
    t.set_str("type", "function")
    for key in ("name", "description", "parameters", "handler"):
        t.set_str(key, spec.get_str(key))
    return t


def registry_of(L, codec: Codec) -> Registry:
    box = L.registry.get_str(REGISTRY_KEY)
    if box is None:
        box = Userdata(Registry(codec))
        L.registry.set_str(REGISTRY_KEY, box)
    return box.value


def registered(L) -> Optional[Registry]:
    box = L.registry.get_str(REGISTRY_KEY)
    return box.value if box is not None and box.value.tools else None


# ---------------------------------------------------------------- calls

async def call_tool(L, registry: Registry, name: str, arguments: dict) -> Any:
    """One ``tools/call``: the handler's results as MCP content, or an error result.
    The handler runs as a Lua call of its own (it may wait; others run meanwhile)."""
    from .agent import error_text
    served = registry.tools.get(name)
    if served is None:
        return error_result(f"unknown tool '{name}'")
    problem = served.input_error(arguments)
    if problem is not None:
        return error_result(f"Input validation error: {problem}")
    args = registry.codec.from_python(arguments)
    try:
        results = await scheduler.run_async(L, served.tool.handler, (args,))
    except LuaError as e:
        return error_result(error_text(e.value))
    finally:
        L.stdout.flush()        # what the handler printed shows now, not at exit
    return tool_content(registry.codec, served, results)


def tool_content(codec: Codec, served: ServedTool, results: list) -> Any:
    """A handler's results as the SDK takes them: ``(content, structured)``, which
    the SDK checks against the output schema, or an error result.

    A string is text; an image or audio (``llm.media``) itself; ``nil, err`` an
    error; nil alone no content; anything else JSON text (and ``structuredContent``
    when the tool has an output schema)."""
    from mcp.types import TextContent
    from .agent import error_text
    value = results[0] if results else None
    if value is None:
        err = results[1] if len(results) > 1 else None
        if err is not None:
            return error_result(error_text(err))
        return [], None
    if type(value) is str:
        return [TextContent(type="text", text=text(value, "replace"))], None
    if type(value) is Userdata and type(value.value) is Media:
        return media_content(served.tool.name, value.value)
    try:
        data = codec.to_python(value, "replace")
    except JsonError as e:
        return error_result(f"tool '{served.tool.name}' returned a value JSON cannot hold: {e}")
    content = [TextContent(type="text", text=json.dumps(data, ensure_ascii=False))]
    return content, (data if served.output_schema is not None else None)


def media_content(tool: str, media: Media) -> Any:
    from mcp.types import AudioContent, ImageContent
    if media.kind == "image":
        return [ImageContent(type="image", data=media.base64(), mimeType=media.mime)], None
    if media.kind == "audio":
        return [AudioContent(type="audio", data=media.base64(), mimeType=media.mime)], None
    return error_result(f"tool '{tool}' returned a {media.kind} ({media.mime}): a result "
                        "holds text, images and audio")


def error_result(message: str) -> Any:
    from mcp.types import CallToolResult, TextContent
    return CallToolResult(content=[TextContent(type="text", text=message)], isError=True)


def new_server(L, registry: Registry, name: str) -> Any:
    """The SDK's low-level server with the registered tools and their Lua schemas."""
    from mcp.server.lowlevel import Server
    from mcp.types import Tool
    server: Any = Server(name, version=__version__)

    @server.list_tools()
    async def list_tools() -> list:     # made anew: a handler may register more tools
        return [Tool(name=s.tool.name, description=s.tool.description or None,
                     inputSchema=s.tool.parameters, outputSchema=s.output_schema)
                for s in registry.tools.values()]

    @server.call_tool(validate_input=False)     # call_tool does, faster
    async def call(name: str, arguments: dict) -> Any:
        return await call_tool(L, registry, name, arguments)

    return server


def schema_problem(registry: Registry) -> Optional[str]:
    """Why one of the tools' schemas is not a valid JSON schema (None: all are)."""
    from jsonschema import SchemaError
    from jsonschema.validators import validator_for
    for s in registry.tools.values():
        for field, schema in (("parameters", s.tool.parameters),
                              ("output_schema", s.output_schema)):
            if schema is None:
                continue
            try:
                validator_for(schema).check_schema(schema)
            except SchemaError as e:
                return f"tool '{s.tool.name}': '{field}' is not a valid JSON schema: {e.message}"
    return None


# ---------------------------------------------------------------- the command

class Usage(Exception):
    pass


class Options:
    def __init__(self) -> None:
        self.port: Optional[int] = None     # None: stdio
        self.host = DEFAULT_HOST
        self.name = "pylua"
        self.config: Optional[str] = None
        self.script = 0                     # index of the script in argv
        self.help = False


def parse_args(argv: list) -> Options:
    """``argv``: ``["pylua", "mcp-serve", options..., script, args...]``."""
    opts = Options()
    i = 2
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            opts.help = True
            return opts
        if a == "--":
            i += 1
            break
        if not a.startswith("-") or a == "-":
            break
        if a not in ("--http", "--host", "--name", "--config"):
            raise Usage(f"unrecognized option '{a}'")
        if i + 1 >= len(argv):
            raise Usage(f"'{a}' needs argument")
        value = argv[i + 1]
        if a == "--http":
            opts.port = port_number(value)
        else:
            setattr(opts, a[2:], value)
        i += 2
    if i >= len(argv):
        raise Usage("no script given")
    opts.script = i
    return opts


def port_number(s: str) -> int:
    if not s.isdigit() or int(s) > 65535:
        raise Usage(f"'--http' needs a port number (0 to 65535), got '{s}'")
    return int(s)


def main(args: list) -> int:
    """``pylua mcp-serve ...`` (``args``: what follows ``mcp-serve``); an exit status."""
    from ..cli import PROGNAME, new_state, create_arg_table
    from ..config import ConfigError, load_config
    argv = [PROGNAME, "mcp-serve"] + list(args)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 12000))
    try:
        opts = parse_args(argv)
    except Usage as u:
        sys.stderr.write(f"{PROGNAME}: {u}\n{USAGE}")
        return 1
    if opts.help:
        sys.stdout.write(USAGE)
        return 0
    try:
        config = load_config(opts.config, os.environ)
    except ConfigError as e:
        sys.stderr.write(f"{PROGNAME}: {e}\n")
        return 1
    protocol = claim_stdio() if opts.port is None else None
    if protocol is None:
        L = new_state()
    else:
        L = LuaState(stdout=Unbuffered(FileIO(1, "w", closefd=False)))
    L.config = config
    create_arg_table(L, argv, opts.script)
    import asyncio
    try:
        status = asyncio.run(serve(L, argv, opts, protocol))
    except KeyboardInterrupt:       # Ctrl-C or SIGTERM: the usual way to stop a server
        status = 0
    except SystemExit as ex:        # os.exit in the script or a handler
        L.stdout.flush()
        return ex.code if isinstance(ex.code, int) else (0 if ex.code is None else 1)
    except Exception as ex:         # a bug in pylua itself: say so, without a traceback
        if os.environ.get("PYLUA_DEBUG"):
            raise
        sys.stderr.write(f"{PROGNAME}: mcp-serve: internal error: {type(ex).__name__}: {ex} "
                         "(a pylua bug; PYLUA_DEBUG=1 shows the Python traceback)\n")
        return 1
    L.close()
    L.stdout.flush()
    import gc
    gc.freeze()     # the exit then need not walk all the SDK's objects (0.5 s -> 0.05 s)
    return status


class Unbuffered(BufferedWriter):
    """fd 1 once it is stderr (stdio transport): written through, as C's stderr is,
    so lines show as they are written and in order with child processes' output."""

    def write(self, data: Any) -> int:
        n = super().write(data)
        self.flush()
        return n


def claim_stdio() -> tuple:
    """The protocol's own copies of fds 0 and 1; fd 0 then reads /dev/null and fd 1
    writes to stderr, so nothing else can read the requests or write into replies."""
    sys.stdout.flush()
    protocol = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    return protocol


async def serve(L, argv: list, opts: Options, protocol: Optional[tuple]) -> int:
    from ..cli import report_plain
    import signal
    signal.signal(signal.SIGTERM, interrupt)
    if not await run_script(L, argv, opts.script):
        return 1
    L.stdout.flush()
    registry = registered(L)
    if registry is None:
        report_plain(L, f"{argv[opts.script]} registered no tools: call "
                        "llm.mcp.tool{ name = ..., handler = ... } in it")
        return 1
    problem = schema_problem(registry)
    if problem is not None:
        report_plain(L, problem)
        return 1
    server = new_server(L, registry, opts.name)
    logs_in_one_line()
    try:
        if protocol is not None:
            return await serve_stdio(L, server, protocol)
        return await serve_http(L, server, opts)
    finally:
        await stop_tasks(L)


def tool_count(L) -> str:
    n = len(registered(L).tools)
    return f"{n} tool{'s' if n != 1 else ''}"


def interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


async def run_script(L, argv: list, script: int) -> bool:
    """Run the tools script in the serving loop (its errors reported as ``pylua`` does)."""
    from ..cli import report, report_plain
    from ..lib.baselib import loadfile
    try:
        f = loadfile(L, argv[script])
    except LuaError as e:
        report_plain(L, e.value)
        return False
    try:
        await scheduler.run_async(L, f, tuple(argv[script + 1:]), traceback=True)
    except LuaError as e:
        report(L, e)
        return False
    return True


async def stop_tasks(L) -> None:
    """Cancel the tasks the script or the handlers left running."""
    for t in list(scheduler.scheduler_of(L).tasks):
        t.cancel()
    await scheduler.wait_tasks(L)


async def serve_stdio(L, server: Any, protocol: tuple) -> int:
    import anyio
    from io import TextIOWrapper
    from mcp.server.stdio import stdio_server
    from ..cli import report_plain
    fd_in, fd_out = protocol
    if os.isatty(fd_in):        # someone trying it by hand
        report_plain(L, f"serving {tool_count(L)} over stdio: an MCP client speaks "
                        "JSON-RPC here (Ctrl-C stops)")
    replies = anyio.wrap_file(TextIOWrapper(os.fdopen(fd_out, "wb"), encoding="utf-8"))
    try:
        async with stdio_server(LineReader(fd_in), replies) as (read, write):
            await server.run(read, write, server.create_initialization_options())
    except* (BrokenPipeError, ConnectionResetError):
        pass        # the client closed its end of stdout: it is gone, as at EOF
    return 0


class LineReader:
    """The lines of a file descriptor as an async iterator, read by a daemon thread:
    waiting for a line can be cancelled (Ctrl-C, SIGTERM) and the blocked read never
    holds up the exit (the SDK's reader, a worker thread, would)."""

    def __init__(self, fd: int) -> None:
        import asyncio
        import threading
        self.loop = asyncio.get_running_loop()
        self.lines: asyncio.Queue = asyncio.Queue()
        threading.Thread(target=self._read, args=(fd,), name="mcp-stdin", daemon=True).start()

    def _read(self, fd: int) -> None:
        try:
            with open(fd, "rb") as f:
                for line in f:
                    self.loop.call_soon_threadsafe(self.lines.put_nowait,
                                                   line.decode("utf-8", "replace"))
            self.loop.call_soon_threadsafe(self.lines.put_nowait, None)
        except (OSError, RuntimeError):     # the fd failed, or the loop has ended
            pass

    def __aiter__(self) -> LineReader:
        return self

    async def __anext__(self) -> str:
        line = await self.lines.get()
        if line is None:
            raise StopAsyncIteration
        return line


def listen(host: str, port: int) -> Any:
    import socket
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family)


def url_of(sock: Any) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{f'[{host}]' if ':' in host else host}:{port}{HTTP_PATH}"


async def serve_http(L, server: Any, opts: Options) -> int:
    import uvicorn
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
    from starlette.applications import Starlette
    from starlette.routing import Route
    from ..cli import report_plain
    try:
        sock = listen(opts.host, opts.port)
    except OSError as e:
        report_plain(L, f"cannot listen on {opts.host} port {opts.port}: "
                        f"{os.strerror(e.errno) if e.errno else e}")
        return 1
    report_plain(L, f"serving {tool_count(L)} at {url_of(sock)} (Ctrl-C stops)")
    manager = StreamableHTTPSessionManager(app=server, security_settings=security(opts.host))
    app = Starlette(routes=[Route(HTTP_PATH, endpoint=Endpoint(manager))])
    config = uvicorn.Config(app, log_config=None, lifespan="off",
                            timeout_graceful_shutdown=SHUTDOWN_SECONDS)
    async with manager.run():
        await uvicorn.Server(config).serve(sockets=[sock])
    return 0


def logs_in_one_line() -> None:
    """The SDK's and uvicorn's warnings and errors on stderr, one line each without
    tracebacks. Left out: streams closed because their client went away, and the
    responses cut short when the server stops with calls under way (the SDK does not
    end its sessions' streams on shutdown: python-sdk #2150)."""
    import logging
    from anyio import ClosedResourceError

    class OneLine(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            msg = f"pylua: {record.name.split('.')[0]}: {record.getMessage()}"
            return msg if record.exc_info is None else f"{msg} ({record.exc_info[1]!r})"

    def wanted(record: logging.LogRecord) -> bool:
        if record.exc_info is not None and isinstance(record.exc_info[1], ClosedResourceError):
            return False
        return not record.getMessage().startswith("ASGI callable returned without completing")

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLine())
    handler.addFilter(wanted)
    for name in ("mcp", "uvicorn"):
        log = logging.getLogger(name)
        log.setLevel(logging.WARNING)
        log.addHandler(handler)
        log.propagate = False
    # its one warning, a call of a tool not listed, repeats the call's own error result
    logging.getLogger("mcp.server.lowlevel.server").setLevel(logging.ERROR)


class Endpoint:
    """The session manager as an ASGI app (an object, so Starlette passes ASGI calls)."""

    def __init__(self, manager: Any) -> None:
        self.manager = manager

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.manager.handle_request(scope, receive, send)


def security(host: str) -> Any:
    """DNS rebinding protection on a loopback address, as the SDK's FastMCP does."""
    if host not in LOOPBACK:
        return None
    from mcp.server.transport_security import TransportSecuritySettings
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=["127.0.0.1:*", "localhost:*", "[::1]:*"],
        allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"])
