"""Lua values in Python (lobject.h).

=============  =====================================================================
Lua type       Python representation
=============  =====================================================================
nil            ``None``
boolean        ``bool``
number         ``int`` (always within signed 64 bits) or ``float``
string         ``str`` whose characters are *bytes* (code points 0-255): the source
               and every I/O boundary use latin-1, so any byte sequence round-trips
               and ``#"é" == 2``.  Never assume Unicode semantics (``str.upper``,
               ``isalpha``, ``isspace`` are wrong for Lua: use C-locale ASCII rules).
table          ``table.LuaTable``
function       ``LuaFunction`` (a Lua closure) or ``Builtin`` (a host function)
userdata       ``Userdata``
thread         ``state.LuaThread``
=============  =====================================================================

Host functions (``Builtin``) are called as ``fn(L, *args)`` where ``L`` is the
``state.LuaState`` and ``args`` the Lua arguments; they return a list or tuple of
results (possibly empty) and report errors by raising ``errors.LuaError`` (or the
helpers of ``lauxlib``).
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Any, Callable, Optional

from .proto import Proto


class Upvalue:
    """A variable captured by a closure. While open it aliases ``regs[idx]`` of a live
    frame; closing copies the value into a one-element list, so reading is always
    ``uv.regs[uv.idx]``."""

    __slots__ = ("regs", "idx")

    def __init__(self, regs: list, idx: int) -> None:
        self.regs = regs
        self.idx = idx

    def get(self) -> Any:
        return self.regs[self.idx]

    def set(self, value: Any) -> None:
        self.regs[self.idx] = value

    def close(self) -> None:
        self.regs = [self.regs[self.idx]]
        self.idx = 0


class LuaFunction:
    """A Lua closure: a prototype and its upvalues."""

    __slots__ = ("proto", "upvals", "__weakref__")

    def __init__(self, proto: Proto, upvals: list) -> None:
        self.proto = proto
        self.upvals = upvals

    def __repr__(self) -> str:
        return f"<LuaFunction {self.proto.source}:{self.proto.linedefined}>"


class Builtin:
    """A host function callable from Lua: ``fn(L, *args) -> list|tuple``.
    ``name`` is its qualified global name ("print", "string.rep") used where Lua
    would search ``package.loaded`` for a name in messages and tracebacks.
    ``upvals`` are the values of a C closure as debug.getupvalue shows them
    (``Upvalue`` objects; empty for a plain C function)."""

    __slots__ = ("fn", "name", "upvals", "__weakref__")

    def __init__(self, fn: Callable, name: str = "?", upvals: tuple = ()) -> None:
        self.fn = fn
        self.name = name
        self.upvals = upvals

    def __repr__(self) -> str:
        return f"<Builtin {self.name}>"


class Special(Builtin):
    """A builtin the VM runs itself when Lua code calls it (pcall, xpcall, resume,
    yield, wrap): that keeps their callees on the frame stack, so yields and async
    waits pass through them. ``fn`` still implements them for calls from host code."""

    __slots__ = ("kind", "data")

    def __init__(self, fn: Callable, name: str, kind: str, data: Any = None) -> None:
        super().__init__(fn, name)
        self.kind = kind
        self.data = data


def is_function(v: Any) -> bool:
    t = type(v)
    return t is LuaFunction or t is Builtin or t is Special


class Userdata:
    """A full userdata: an opaque host value with a metatable and a user value."""

    __slots__ = ("value", "meta", "uservalues", "__weakref__")

    def __init__(self, value: Any = None, meta: Optional[Any] = None) -> None:
        self.value = value
        self.meta = meta
        self.uservalues: Optional[list] = None
