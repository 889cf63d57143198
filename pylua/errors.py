"""Lua errors as Python exceptions, and Lua's way of naming chunks in messages."""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Any, Optional

LUA_IDSIZE = 60


class LuaError(Exception):
    """A Lua error in flight. ``value`` is the Lua error object (any Lua value, most
    often a message string that already carries its ``chunk:line:`` position);
    ``traceback`` is filled in with Lua's ``stack traceback:`` text where known."""

    def __init__(self, value: Any, traceback: Optional[str] = None) -> None:
        super().__init__(value)
        self.value = value
        self.traceback = traceback
        self.cfunc = None       # the host function that raised it, for tracebacks
        self.handled = False    # an xpcall message handler has already seen it

    def __str__(self) -> str:
        v = self.value
        if isinstance(v, str):
            return v
        if v is None:
            return "nil"
        return f"(error object is a {type(v).__name__} value)"


class ErrorInErrorHandling(LuaError):
    """LUA_ERRERR: the error handler itself overflowed; handlers are not called again."""

    def __init__(self) -> None:
        super().__init__("error in error handling")
        self.handled = True


class LuaSyntaxError(LuaError):
    """A compile-time error; ``value`` is the full message
    (``chunk:line: msg near 'tok'``) as ``load`` returns it."""


class ArgError(Exception):
    """Raised by a host function for a bad argument (luaL_argerror). The caller,
    which knows the call site, turns it into ``bad argument #n to 'f' (msg)``."""

    def __init__(self, argno: int, msg: str) -> None:
        super().__init__(argno, msg)
        self.argno = argno
        self.msg = msg


def chunkid(source: str) -> str:
    """``luaO_chunkid``: the chunk name as shown in messages ("t.lua", '[string "x=1"]')."""
    if source.startswith("="):
        rest = source[1:]
        return rest if len(source) <= LUA_IDSIZE else rest[:LUA_IDSIZE - 1]
    if source.startswith("@"):
        rest = source[1:]
        return rest if len(source) <= LUA_IDSIZE else "..." + rest[-(LUA_IDSIZE - 4):]
    avail = LUA_IDSIZE - len('[string "..."]') - 1
    nl = source.find("\n")
    if len(source) < avail and nl < 0:
        return f'[string "{source}"]'
    if nl >= 0:
        source = source[:nl]
    return f'[string "{source[:avail]}..."]'
