"""A small stdio MCP server for the failure tests (FastMCP, the SDK's own server):
``crash`` makes the process exit mid-call, ``sleep`` answers late, ``pid`` tells its
process id. ``--ignore-stdin-close``: the process stays up after its stdin closes,
so a client must terminate it."""
import os
import signal
import sys
import time

import anyio

from mcp.server.fastmcp import FastMCP

server = FastMCP("flaky")


@server.tool()
def crash(status: int = 3) -> str:
    """Exits the server's process at once."""
    sys.stderr.write("flaky: crashing on purpose\n")
    sys.stderr.flush()
    os._exit(status)


@server.tool()
async def sleep(seconds: float) -> str:
    """Answers after `seconds` (other calls are served meanwhile)."""
    await anyio.sleep(seconds)
    return f"slept {seconds}"


@server.tool()
def pid() -> int:
    """The server's process id."""
    return os.getpid()


if __name__ == "__main__":
    if "--ignore-stdin-close" in sys.argv:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        server.run()
        while True:         # stdin closed: stay up until killed
            time.sleep(1)
    server.run()
