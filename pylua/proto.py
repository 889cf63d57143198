"""Function prototypes: what the compiler produces and the VM runs (Lua's ``Proto``)."""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Optional


class UpvalDesc:
    """How a closure finds one upvalue when it is created (Lua's ``Upvaldesc``).

    ``instack`` true: the upvalue is register ``idx`` of the enclosing function;
    false: it is upvalue ``idx`` of the enclosing function. ``kind`` is the variable
    kind (VDKREG=0 regular, RDKCONST=1, RDKTOCLOSE=2, RDKCTC=3) as in lparser.h.
    """

    __slots__ = ("name", "instack", "idx", "kind")

    def __init__(self, name: Optional[str], instack: bool, idx: int, kind: int = 0) -> None:
        self.name = name
        self.instack = instack
        self.idx = idx
        self.kind = kind

    def __repr__(self) -> str:
        return f"UpvalDesc({self.name!r}, instack={self.instack}, idx={self.idx})"


class LocVar:
    """A local variable's name and the pc range where it is active (for debug info)."""

    __slots__ = ("name", "startpc", "endpc")

    def __init__(self, name: str, startpc: int, endpc: int = 0) -> None:
        self.name = name
        self.startpc = startpc
        self.endpc = endpc

    def __repr__(self) -> str:
        return f"LocVar({self.name!r}, {self.startpc}, {self.endpc})"


class Proto:
    """A compiled Lua function.

    ``code`` holds Lua 5.4 instructions as 32-bit integers (see ``opcodes.py``);
    ``lineinfo[pc]`` is the absolute source line of instruction ``pc``;
    ``k`` the constants (None, bool, int, float or str: Lua strings are ``str``
    whose characters are bytes 0-255); ``p`` the nested prototypes.
    ``source`` is the chunk name as given to ``load`` (``"@file.lua"``, ``"=stdin"``,
    or the source text itself).
    The VM caches its decoded form of ``code`` in ``decoded``.
    """

    __slots__ = ("source", "linedefined", "lastlinedefined", "numparams", "is_vararg",
                 "maxstacksize", "code", "lineinfo", "k", "p", "upvalues", "locvars",
                 "decoded")

    def __init__(self, source: str = "?") -> None:
        self.source = source
        self.linedefined = 0
        self.lastlinedefined = 0
        self.numparams = 0
        self.is_vararg = False
        self.maxstacksize = 2
        self.code: list[int] = []
        self.lineinfo: list[int] = []
        self.k: list = []
        self.p: list[Proto] = []
        self.upvalues: list[UpvalDesc] = []
        self.locvars: list[LocVar] = []
        self.decoded = None

    def __repr__(self) -> str:
        return f"<Proto {self.source}:{self.linedefined}-{self.lastlinedefined}>"
