"""Running Lua code under asyncio: async host functions park the calling Lua thread.

Placeholder of the interface (the parking mechanism lands next): ``run`` and
``run_async`` call a Lua value and return its results as a list, raising
``LuaError`` (with ``.traceback`` when asked) like ``LuaState.pcall``.
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from .errors import LuaError


def run(L, f: Any, args: tuple = (), traceback: bool = False) -> list:
    """Call ``f`` from synchronous host code and return its results."""
    ok, res = L.pcall(f, *args, traceback=traceback)
    if not ok:
        raise res
    return res


async def run_async(L, f: Any, args: tuple = (), traceback: bool = False) -> list:
    """Call ``f`` as a Lua task of the running event loop and return its results."""
    return run(L, f, args, traceback)
