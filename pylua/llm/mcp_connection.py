"""Connections to MCP servers (``pylua.llm.mcp_client`` uses them): configuration,
stdio processes, links and servers.

A ``Server`` is one configured MCP server (``{ type = "stdio" | "sse" | "http", ... }``).
It talks through a ``Link``: one open connection in one asyncio event loop, held by
a task of its own, because the SDK's anyio contexts (transport, ``ClientSession``)
must be exited by the task that entered them. A link opens on first use; a server
used from another event loop, or whose link died (the process crashed), opens a new
one. Links register with the scheduler, which keeps a synchronous run's event loop
for the next run while they are open (a REPL line or a ``LuaRuntime.execute`` can
connect and the next one call) and closes them before it closes the loop.

A stdio server runs in a session (and process group) of its own, with its stderr
kept in a temporary file whose tail explains a failure. Closing it follows the MCP
specification: close its stdin, wait, SIGTERM the group, wait, SIGKILL. Whatever
happens to the loop, the process group is killed before the program exits.

Every failure is a ``ServerError`` whose message starts ``mcp server 'name': ``.
This module imports the ``mcp`` SDK (over a second): only when a script uses MCP.
"""
from __future__ import annotations

import asyncio
import atexit
import logging
import os
import re
import signal
import tempfile
import weakref
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

import anyio
from mcp import ClientSession, McpError, types
from mcp.client.stdio import get_default_environment
from mcp.shared.message import SessionMessage
from mcp.types import CONNECTION_CLOSED

from .. import scheduler
from ..errors import ArgError
from ..lauxlib import type_name
from ..table import LuaTable
from .luajson import Codec
from .strings import text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional

DEFAULT_TIMEOUT = 60.0      # seconds for each request
START_TIMEOUT = 60.0        # seconds for starting a server (npx and uvx may download it first)
STOP_GRACE = 2.0            # seconds a stdio server gets after stdin closes, then after SIGTERM
LINE_LIMIT = 64 << 20       # the longest message line a stdio server may send (images...)
STDERR_TAIL = 600           # characters of a failed server's stderr quoted in a message
LAUNCHERS = {"uvx", "uv", "npx", "bunx", "pipx", "node", "deno", "python", "python3", "sh", "bash"}
FIELDS = {"stdio": {"type", "name", "command", "args", "env", "cwd", "timeout", "start_timeout"},
          "sse": {"type", "name", "url", "headers", "timeout", "start_timeout"},
          "http": {"type", "name", "url", "headers", "timeout", "start_timeout"}}


class ServerError(Exception):
    """A server failed; ``str(e)`` is ``mcp server 'name': what happened``."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"mcp server '{name}': {message}")


# ---------------------------------------------------------------- configuration

@dataclass(frozen=True)
class ServerConfig:
    """A server as a Lua table describes it; also the key that agents share it by."""
    type: str
    name: str
    command: str = ""
    args: tuple = ()
    env: Optional[tuple] = None         # ((name, value), ...) added to a safe default set
    cwd: Optional[str] = None
    url: str = ""
    headers: tuple = ()
    timeout: float = DEFAULT_TIMEOUT
    start_timeout: float = START_TIMEOUT


def config_of(codec: Codec, t: LuaTable, where: str = "") -> ServerConfig:
    """The ServerConfig of a ``{ type = "stdio" | "sse" | "http", ... }`` table;
    ArgError (argument #1, ``where`` first) naming the field at fault."""
    kind = t.get_str("type")
    if kind not in FIELDS:
        raise ArgError(1, f"{where}field 'type': \"stdio\", \"sse\" or \"http\" expected, got "
                          f"{_shown(kind)}")
    for key, _ in entries(t):
        if type(key) is not str or key not in FIELDS[kind]:
            raise ArgError(1, f"{where}unknown field {_shown(key)} for a {kind} server (fields: "
                              f"{', '.join(sorted(FIELDS[kind]))})")
    timeouts = {"timeout": _seconds(t, "timeout", where, DEFAULT_TIMEOUT),
                "start_timeout": _seconds(t, "start_timeout", where, START_TIMEOUT)}
    name = _field(t, "name", (str,), "string", where)
    if kind == "stdio":
        command = _field(t, "command", (str,), "string", where)
        if not command:
            raise ArgError(1, f"{where}field 'command': the program to run expected (a string)")
        args = tuple(text(a) for a in _strings(t, "args", where))
        env = _pairs(t, "env", where)
        cwd = _field(t, "cwd", (str,), "string", where)
        return ServerConfig("stdio", text(name) if name else default_name(text(command), args),
                            text(command), args, env, text(cwd) if cwd else None,
                            **timeouts)
    url = _field(t, "url", (str,), "string", where)
    if not url or not re.match(r"https?://", url):
        raise ArgError(1, f"{where}field 'url': an http:// or https:// URL expected")
    return ServerConfig(kind, text(name) if name else re.sub(r"^https?://", "", text(url)),
                        url=text(url), headers=_pairs(t, "headers", where) or (),
                        **timeouts)


def default_name(command: str, args: tuple) -> str:
    """A name for messages when none is given: the program's, or for a launcher
    (``uvx mcp-server-time``, ``python -m mcp_server_time``) the first argument's."""
    name = os.path.basename(command)
    if name in LAUNCHERS:
        words = [a for a in args if not a.startswith("-")]
        if words:
            return os.path.basename(words[0])
    return name


def _field(t: LuaTable, name: str, types_: tuple, expected: str, where: str,
           default: Any = None) -> Any:
    v = t.get_str(name)
    if v is None:
        return default
    if type(v) not in types_ or type(v) is bool:
        raise ArgError(1, f"{where}field '{name}': {expected} expected, got {type_name(v)}")
    return v


def _seconds(t: LuaTable, name: str, where: str, default: float) -> float:
    seconds = _field(t, name, (int, float), "number", where, default)
    if not seconds > 0:
        raise ArgError(1, f"{where}field '{name}': a positive number of seconds expected")
    return float(seconds)


def _strings(t: LuaTable, name: str, where: str) -> list:
    items = _field(t, name, (LuaTable,), "table", where)
    if items is None:
        return []
    out = []
    for i in range(1, items.length() + 1):
        v = items.get_int(i)
        if type(v) not in (str, int, float) or type(v) is bool:
            raise ArgError(1, f"{where}field '{name}': string expected at index {i}, "
                              f"got {type_name(v)}")
        out.append(v if type(v) is str else str(v))
    return out


def _pairs(t: LuaTable, name: str, where: str) -> Optional[tuple]:
    items = _field(t, name, (LuaTable,), "table", where)
    if items is None:
        return None
    out = []
    for key, value in entries(items):
        if type(key) is not str or type(value) not in (str, int, float) or type(value) is bool:
            raise ArgError(1, f"{where}field '{name}': string keys and string values expected")
        out.append((text(key), text(value) if type(value) is str else str(value)))
    return tuple(sorted(out))


def entries(t: LuaTable) -> Any:
    """The (key, value) pairs of a table."""
    entry = t.next(None)
    while entry is not None:
        yield entry
        entry = t.next(entry[0])


def _shown(v: Any) -> str:
    return f"'{text(v, 'replace')}'" if type(v) is str else type_name(v)


# ---------------------------------------------------------------- stdio processes

_groups: set = set()        # process groups of stdio servers that may still run

# the SDK logs what it survives (a session ending under it...) to stderr when the
# program has no logging set up: failures reach the script as messages instead
logging.getLogger("mcp").addHandler(logging.NullHandler())


def kill_group(pid: int, sig: int = signal.SIGKILL) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


@atexit.register
def _kill_leftovers() -> None:
    """The last resort: close kept loops gracefully, then kill what still runs."""
    scheduler.close_kept_loops()
    for pid in list(_groups):
        kill_group(pid)
    _groups.clear()


@asynccontextmanager
async def stdio_transport(link: Link) -> Any:
    """Start the server's process; the (read, write) streams of its messages."""
    cfg = link.config
    errlog = tempfile.TemporaryFile()
    env = dict(get_default_environment(), **dict(cfg.env or ()))
    try:
        proc = await asyncio.create_subprocess_exec(
            cfg.command, *cfg.args, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=errlog, env=env, cwd=cfg.cwd,
            start_new_session=True, limit=LINE_LIMIT)
    except OSError as e:
        errlog.close()
        raise ServerError(cfg.name, start_failure(cfg, e)) from None
    link.process, link.errlog = proc, errlog
    _groups.add(proc.pid)
    to_session, read = anyio.create_memory_object_stream(0)
    write, from_session = anyio.create_memory_object_stream(0)
    pumps = [asyncio.ensure_future(_read_lines(link, proc, to_session)),
             asyncio.ensure_future(_write_lines(proc, from_session))]
    try:
        yield read, write
    finally:
        for pump in pumps:
            pump.cancel()
        try:
            await stop_process(proc)
        finally:
            link.stderr_text = stderr_tail(errlog)
            errlog.close()


async def _read_lines(link: Link, proc: Any, to_session: Any) -> None:
    async with to_session:
        while True:
            try:
                line = await proc.stdout.readline()
            except (ValueError, asyncio.LimitOverrunError):
                link.died(f"the server sent a message longer than {LINE_LIMIT} bytes")
                return
            if not line:
                link.died("")
                return
            if not line.strip():
                continue
            try:
                message = types.JSONRPCMessage.model_validate_json(line)
            except ValueError as e:     # the session logs it and goes on
                await to_session.send(e)
                continue
            await to_session.send(SessionMessage(message))


async def _write_lines(proc: Any, from_session: Any) -> None:
    async with from_session:
        async for message in from_session:
            data = message.message.model_dump_json(by_alias=True, exclude_none=True)
            try:
                proc.stdin.write(data.encode() + b"\n")
                await proc.stdin.drain()
            except (ConnectionError, RuntimeError):     # it died: the reader says so
                return


async def stop_process(proc: Any) -> None:
    """The MCP specification's shutdown: close stdin, wait, SIGTERM, wait, SIGKILL;
    then whatever is left of its process group is killed."""
    try:
        if proc.returncode is None:
            try:
                proc.stdin.close()
            except (ConnectionError, RuntimeError):
                pass
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    await asyncio.wait_for(asyncio.shield(proc.wait()), STOP_GRACE)
                    break
                except asyncio.TimeoutError:
                    kill_group(proc.pid, sig)
            await proc.wait()
    finally:
        kill_group(proc.pid)
        _groups.discard(proc.pid)


def start_failure(cfg: ServerConfig, e: OSError) -> str:
    """Why the process did not start, and what to do."""
    if isinstance(e, FileNotFoundError) and cfg.cwd and e.filename == cfg.cwd:
        return f"cannot start '{cfg.command}': the directory '{cfg.cwd}' (field 'cwd') does not exist"
    if isinstance(e, FileNotFoundError):
        return (f"cannot start '{cfg.command}': command not found on PATH (install it, or "
                f"give its full path in 'command')")
    if isinstance(e, PermissionError):
        return f"cannot start '{cfg.command}': permission denied (is it an executable file?)"
    return f"cannot start '{cfg.command}': {e.strerror or e}"


# ---------------------------------------------------------------- links

_links: set = set()         # links whose holder task runs (the loop keeps only weak references)


class Link:
    """One open connection to a server in the running event loop. Its holder task
    enters the transport and the session, initializes, and exits them when told."""

    def __init__(self, config: ServerConfig, L: Any) -> None:
        self.config = config
        self.loop = asyncio.get_running_loop()
        self.stop = asyncio.Event()
        self.ready: asyncio.Future = self.loop.create_future()
        self.ready.add_done_callback(_retrieved)
        self.session: Optional[ClientSession] = None
        self.info: Optional[types.InitializeResult] = None     # what the server said of itself
        self.process: Any = None
        self.errlog: Any = None
        self.stderr_text = ""                   # the tail of a closed stderr file
        self.death: Optional[str] = None        # why the connection ended by itself
        self.L = L
        scheduler.hold_loop(L, self)
        self.task = self.loop.create_task(self._hold())
        _links.add(self)
        self.task.add_done_callback(self._ended)

    async def opened(self) -> ClientSession:
        return await asyncio.shield(self.ready)

    @property
    def alive(self) -> bool:
        return not self.task.done() and not self.stop.is_set() and self.death is None

    async def _hold(self) -> None:
        cfg = self.config
        try:
            async with AsyncExitStack() as stack:
                read, write = await stack.enter_async_context(transport(self))
                session = await stack.enter_async_context(ClientSession(read, write))
                with anyio.fail_after(cfg.start_timeout):
                    self.info = await session.initialize()
                self.session = session
                self.ready.set_result(session)
                await self.stop.wait()
        except Exception as e:
            if not self.ready.done():
                self.ready.set_exception(self.failure(e, "starting"))
        finally:
            if self.process is not None and self.process.returncode is None:
                kill_group(self.process.pid)    # cancelled mid-way: no process survives
            if not self.ready.done():
                self.ready.set_exception(ServerError(cfg.name, "the connection was closed"))

    def _ended(self, task: asyncio.Task) -> None:
        _links.discard(self)
        scheduler.release_loop(self.L, self)

    def died(self, why: str) -> None:
        """The server ended the connection (its process exited, or it broke the protocol)."""
        self.death = why or "the server closed the connection"
        self.stop.set()

    async def aclose(self) -> None:
        """Close the connection and wait until it is closed (the process has exited)."""
        self._stop()
        await asyncio.wait({self.task})

    def _stop(self) -> None:
        self.stop.set()
        if not self.ready.done():       # still starting: the holder waits for the server
            self.task.cancel()

    def close_soon(self) -> None:
        """Close without waiting (a finalizer, a ``__close`` on its way out of an error):
        the holder closes when its loop next runs; a process is terminated now."""
        if self.loop.is_closed():
            return
        self._stop()
        if self.process is not None and asyncio._get_running_loop() is not self.loop:
            kill_group(self.process.pid, signal.SIGTERM)

    def failure(self, e: BaseException, doing: str) -> ServerError:
        """The ServerError for ``e``, met while ``doing`` something."""
        name, cfg = self.config.name, self.config
        e = root_cause(e)
        if isinstance(e, ServerError):
            return e
        if isinstance(e, TimeoutError):
            return ServerError(name, f"{doing}: no answer after {cfg.start_timeout:g} s "
                                     "(field 'start_timeout' of the server)")
        if self.death is not None or (isinstance(e, McpError) and e.error.code == CONNECTION_CLOSED):
            return ServerError(name, f"{doing}: {self.ended_how()}")
        if isinstance(e, McpError):
            return ServerError(name, f"{doing}: {e.error.message} (error {e.error.code})")
        if cfg.type != "stdio":
            return ServerError(name, f"{doing}: cannot reach {cfg.url}: {describe(e)}")
        return ServerError(name, f"{doing}: {describe(e)}")

    def ended_how(self) -> str:
        """The story of a connection that ended: exit status and stderr's tail."""
        proc = self.process
        how = self.death or "the connection was closed"
        if proc is None:
            return how
        if proc.returncode is not None:
            status = proc.returncode
            how = (f"the server exited with status {status}" if status >= 0 else
                   f"the server was killed by signal {-status}")
        tail = stderr_tail(self.errlog) or self.stderr_text
        return how + (f"; its stderr ends: {tail}" if tail else "")


def _retrieved(future: asyncio.Future) -> None:
    """A failed start is reported to whoever waits; nobody may be waiting any more."""
    if not future.cancelled():
        future.exception()


def transport(link: Link) -> Any:
    cfg = link.config
    if cfg.type == "stdio":
        return stdio_transport(link)
    import httpx
    headers = dict(cfg.headers)
    if cfg.type == "sse":
        from mcp.client.sse import sse_client
        return sse_client(cfg.url, headers=headers, timeout=cfg.start_timeout)
    from mcp.client import streamable_http
    from mcp.shared._httpx_utils import create_mcp_http_client
    if not hasattr(streamable_http, "streamable_http_client"):     # mcp < 1.25
        return _http_transport(streamable_http.streamablehttp_client(
            cfg.url, headers=headers, timeout=cfg.start_timeout), None)
    client = create_mcp_http_client(headers=headers,
                                    timeout=httpx.Timeout(cfg.start_timeout, read=None))
    return _http_transport(streamable_http.streamable_http_client(cfg.url, http_client=client), client)


@asynccontextmanager
async def _http_transport(cm: Any, client: Any) -> Any:
    """The (read, write) streams of a streamable-HTTP connection (and its client's life)."""
    async with AsyncExitStack() as stack:
        if client is not None:
            await stack.enter_async_context(client)
        read, write, _ = await stack.enter_async_context(cm)
        yield read, write


def root_cause(e: BaseException) -> BaseException:
    """The first leaf of exception groups (anyio task groups wrap what failed)."""
    while isinstance(e, BaseExceptionGroup) and e.exceptions:
        e = e.exceptions[0]
    return e


def describe(e: BaseException) -> str:
    msg = str(e)
    return f"{type(e).__name__}: {msg}" if msg else type(e).__name__


def stderr_tail(errlog: Any) -> str:
    if errlog is None or errlog.closed:
        return ""
    try:
        errlog.seek(0, os.SEEK_END)
        size = errlog.tell()
        errlog.seek(max(0, size - STDERR_TAIL))
        return errlog.read().decode("utf-8", "replace").strip()
    except OSError:
        return ""


# ---------------------------------------------------------------- servers

class Server:
    """A configured server: its requests, over the link of the running event loop."""

    def __init__(self, config: ServerConfig, L: Any) -> None:
        self.config = config
        self.name = config.name
        self.L = L
        self.closed = False             # closed for good (``c:close()``)
        self.box: list = [None]         # the current Link (a list: the finalizer sees changes)
        weakref.finalize(self, _close_box, self.box)

    async def link(self) -> Link:
        if self.closed:
            raise ServerError(self.name, "the connection is closed")
        link = self.box[0]
        if link is None or link.loop is not asyncio.get_running_loop() or not link.alive:
            if link is not None:
                link.close_soon()
            link = self.box[0] = Link(self.config, self.L)
        await link.opened()
        return link

    async def request(self, doing: str, send: Any) -> Any:
        """``await send(session)``; every failure as a ServerError saying ``doing`` what."""
        link = await self.link()
        call = asyncio.ensure_future(send(link.session))
        try:        # the session may miss the end of the connection: watch the link too
            await asyncio.wait({call, link.task}, timeout=self.config.timeout,
                               return_when=asyncio.FIRST_COMPLETED)
        finally:
            answered = call.done()
            if not answered:
                call.cancel()
        if not answered and not link.task.done():
            raise ServerError(self.name, f"{doing}: no answer after {self.config.timeout:g} s "
                                         "(field 'timeout' of the server)")
        if not answered:
            raise ServerError(self.name, f"{doing}: {link.ended_how()}")
        try:
            return call.result()
        except Exception as e:
            if link.death is not None or (isinstance(e, McpError) and e.error.code == CONNECTION_CLOSED):
                await asyncio.wait({link.task}, timeout=STOP_GRACE * 2)    # its exit status
            raise link.failure(e, doing) from None

    async def info(self) -> types.InitializeResult:
        return (await self.link()).info

    async def tools(self) -> list:
        return await self._all("tools/list", lambda s, c: s.list_tools(cursor=c), "tools")

    async def call(self, tool: str, args: dict) -> types.CallToolResult:
        return await self.request(f"tools/call '{tool}'", lambda s: s.call_tool(tool, args))

    async def resources(self) -> list:
        return await self._all("resources/list", lambda s, c: s.list_resources(cursor=c),
                               "resources")

    async def read(self, uri: str) -> types.ReadResourceResult:
        from pydantic import AnyUrl
        return await self.request(f"resources/read '{uri}'", lambda s: s.read_resource(AnyUrl(uri)))

    async def prompts(self) -> list:
        return await self._all("prompts/list", lambda s, c: s.list_prompts(cursor=c), "prompts")

    async def prompt(self, name: str, args: dict) -> types.GetPromptResult:
        return await self.request(f"prompts/get '{name}'", lambda s: s.get_prompt(name, args))

    async def _all(self, doing: str, page: Any, field: str) -> list:
        """Every item of a paginated list."""
        items, cursor = [], None
        while True:
            result = await self.request(doing, lambda s: page(s, cursor))
            items += getattr(result, field)
            cursor = result.nextCursor
            if not cursor:
                return items

    async def aclose(self) -> None:
        link, self.box[0] = self.box[0], None
        if link is not None and link.loop is asyncio.get_running_loop():
            await link.aclose()
        elif link is not None:
            link.close_soon()

    def close_soon(self) -> None:
        _close_box(self.box)


def _close_box(box: list) -> None:
    link, box[0] = box[0], None
    if link is not None:
        link.close_soon()


_shared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()   # L -> {config: Server}


def shared_server(L: Any, config: ServerConfig) -> Server:
    """The one Server of ``config`` that the agents of ``L`` share."""
    servers = _shared.get(L)
    if servers is None:
        servers = _shared[L] = weakref.WeakValueDictionary()
    server = servers.get(config)
    if server is None:
        server = servers[config] = Server(config, L)
    return server
