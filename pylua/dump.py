"""Precompiled chunks, writing side (ldump.c): ``string.dump`` of a ``Proto``.

The format is Lua 5.4's, byte for byte, so ``luac5.4`` and real Lua can read what we
write and we can read theirs (``undump.py``). Numbers are little-endian as on the
machines Lua runs on here. Our ``Proto.lineinfo`` holds the absolute line of every
instruction; Lua stores line *differences* plus an absolute entry at least every
``MAXIWTHABS`` instructions, so ``line_deltas`` re-derives them as lcode.c's
``savelineinfo`` would have.
"""
from __future__ import annotations

import struct
from typing import Optional

from .proto import Proto

LUA_SIGNATURE = "\x1bLua"
LUAC_VERSION = 0x54
LUAC_FORMAT = 0
LUAC_DATA = "\x19\x93\r\n\x1a\n"
LUAC_INT = 0x5678
LUAC_NUM = 370.5
SIZE_INSTRUCTION = 4
SIZE_INTEGER = 8
SIZE_NUMBER = 8

# Constant tags (lobject.h: type | variant << 4).
LUA_VNIL, LUA_VFALSE, LUA_VTRUE = 0x00, 0x01, 0x11
LUA_VNUMINT, LUA_VNUMFLT = 0x03, 0x13
LUA_VSHRSTR, LUA_VLNGSTR = 0x04, 0x14
LUAI_MAXSHORTLEN = 40

# Line information (lcode.c / ldebug.h).
MAXIWTHABS = 128       # most instructions in a row without an absolute line
LIMLINEDIFF = 0x80     # differences must fit a signed byte
ABSLINEINFO = -0x80    # marks an instruction whose line is in the absolute list


def line_deltas(p: Proto) -> tuple[list[int], list[tuple[int, int]]]:
    """``(lineinfo, abslineinfo)`` in Lua's encoding for the absolute lines of ``p``."""
    deltas: list[int] = []
    absolute: list[tuple[int, int]] = []
    previous = p.linedefined
    since_abs = 0
    for pc, line in enumerate(p.lineinfo):
        diff = line - previous
        if abs(diff) >= LIMLINEDIFF or since_abs >= MAXIWTHABS:
            absolute.append((pc, line))
            diff = ABSLINEINFO
            since_abs = 1
        else:
            since_abs += 1
        deltas.append(diff)
        previous = line
    return deltas, absolute


class _Writer:
    """Collects the chunk's bytes (a list of byte-strings joined at the end)."""

    def __init__(self, strip: bool) -> None:
        self.parts: list[str] = []
        self.strip = strip

    def byte(self, b: int) -> None:
        self.parts.append(chr(b & 0xFF))

    def size(self, x: int) -> None:
        """``dumpSize``: 7 bits a byte, most significant first, last byte flagged 0x80."""
        groups = [x & 0x7F | 0x80]
        x >>= 7
        while x:
            groups.append(x & 0x7F)
            x >>= 7
        self.parts.append("".join(map(chr, reversed(groups))))

    def packed(self, fmt: str, value) -> None:
        self.parts.append(struct.pack(fmt, value).decode("latin-1"))

    def string(self, s: Optional[str]) -> None:
        if s is None:
            self.size(0)
        else:
            self.size(len(s) + 1)
            self.parts.append(s)

    def constant(self, v) -> None:
        if v is None:
            self.byte(LUA_VNIL)
        elif v is True:
            self.byte(LUA_VTRUE)
        elif v is False:
            self.byte(LUA_VFALSE)
        elif type(v) is int:
            self.byte(LUA_VNUMINT)
            self.packed("<q", v)
        elif type(v) is float:
            self.byte(LUA_VNUMFLT)
            self.packed("<d", v)
        else:
            self.byte(LUA_VSHRSTR if len(v) <= LUAI_MAXSHORTLEN else LUA_VLNGSTR)
            self.string(v)

    def function(self, p: Proto, parent_source: Optional[str]) -> None:
        strip = self.strip
        self.string(None if strip or p.source == parent_source else p.source)
        self.size(p.linedefined)
        self.size(p.lastlinedefined)
        self.byte(p.numparams)
        self.byte(1 if p.is_vararg else 0)
        self.byte(p.maxstacksize)
        self.size(len(p.code))
        self.parts.append(struct.pack(f"<{len(p.code)}I", *p.code).decode("latin-1"))
        self.size(len(p.k))
        for v in p.k:
            self.constant(v)
        self.size(len(p.upvalues))
        for uv in p.upvalues:
            self.byte(1 if uv.instack else 0)
            self.byte(uv.idx)
            self.byte(uv.kind)
        self.size(len(p.p))
        for child in p.p:
            self.function(child, p.source)
        self.debug(p)

    def debug(self, p: Proto) -> None:
        if self.strip:
            self.parts.append("\x80" * 4)     # four empty lists
            return
        deltas, absolute = line_deltas(p)
        self.size(len(deltas))
        self.parts.append("".join(chr(d & 0xFF) for d in deltas))
        self.size(len(absolute))
        for pc, line in absolute:
            self.size(pc)
            self.size(line)
        self.size(len(p.locvars))
        for var in p.locvars:
            self.string(var.name)
            self.size(var.startpc)
            self.size(var.endpc)
        self.size(len(p.upvalues))
        for uv in p.upvalues:
            self.string(uv.name)


def header() -> str:
    """The fixed part that starts every chunk (``dumpHeader``)."""
    w = _Writer(False)
    w.parts.append(LUA_SIGNATURE)
    w.byte(LUAC_VERSION)
    w.byte(LUAC_FORMAT)
    w.parts.append(LUAC_DATA)
    w.byte(SIZE_INSTRUCTION)
    w.byte(SIZE_INTEGER)
    w.byte(SIZE_NUMBER)
    w.packed("<q", LUAC_INT)
    w.packed("<d", LUAC_NUM)
    return "".join(w.parts)


def dump(proto: Proto, strip: bool) -> str:
    """``luaU_dump``: the binary chunk of ``proto`` as a Lua string (chars 0-255)."""
    w = _Writer(strip)
    w.parts.append(header())
    w.byte(len(proto.upvalues))
    w.function(proto, None)
    return "".join(w.parts)
