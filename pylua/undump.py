"""Precompiled chunks, reading side (lundump.c): ``load`` of a binary chunk.

Reads Lua 5.4's format (see ``dump.py``) with lundump.c's checks and messages
(``<name>: bad binary format (<why>)``). C Lua trusts the bytecode it loads; we
cannot let a corrupted chunk drive our VM into a Python exception, so after loading
``verify`` checks every instruction's operands against the prototype (registers
below ``maxstacksize``, constants, upvalues, nested functions and jump targets in
range, companion instructions present) and rejects the chunk otherwise.
"""
from __future__ import annotations

import struct

from . import opcodes as O
from .dump import (ABSLINEINFO, LUA_VFALSE, LUA_VLNGSTR, LUA_VNUMFLT, LUA_VNUMINT,
                   LUA_VSHRSTR, LUA_VTRUE, LUAC_DATA, LUAC_FORMAT, LUAC_INT, LUAC_NUM,
                   LUAC_VERSION, LUA_SIGNATURE, SIZE_INSTRUCTION, SIZE_INTEGER, SIZE_NUMBER)
from .errors import LuaSyntaxError
from .proto import LocVar, Proto, UpvalDesc

INT_MAX = 2**31 - 1
MAX_SIZET = 2**64 - 1
STRIPPED_SOURCE = "=?"      # what Lua reports for a function without a source


class _Reader:
    """A cursor over the chunk (lundump.c's ``LoadState``)."""

    def __init__(self, chunk: str, name: str) -> None:
        self.data = chunk
        self.pos = 0
        self.name = name
        self.strings: dict = {}     # one object per distinct string, as the compiler makes

    def error(self, why: str) -> LuaSyntaxError:
        return LuaSyntaxError(f"{self.name}: bad binary format ({why})")

    def block(self, n: int) -> str:
        pos = self.pos
        if n > len(self.data) - pos:
            raise self.error("truncated chunk")
        self.pos = pos + n
        return self.data[pos:pos + n]

    def byte(self) -> int:
        pos = self.pos
        if pos >= len(self.data):
            raise self.error("truncated chunk")
        self.pos = pos + 1
        return ord(self.data[pos])

    def unsigned(self, limit: int) -> int:
        """``loadUnsigned``: 7 bits a byte, most significant first, 0x80 ends."""
        x = 0
        limit >>= 7
        while True:
            b = self.byte()
            if x >= limit:
                raise self.error("integer overflow")
            x = (x << 7) | (b & 0x7F)
            if b & 0x80:
                return x

    def size(self) -> int:
        return self.unsigned(MAX_SIZET)

    def int(self) -> int:
        return self.unsigned(INT_MAX)

    def unpacked(self, fmt: str, n: int):
        return struct.unpack(fmt, self.block(n).encode("latin-1"))[0]

    def integer(self) -> int:
        return self.unpacked("<q", 8)

    def number(self) -> float:
        return self.unpacked("<d", 8)

    def string_n(self):
        """``loadStringN``: a string or None (size 0)."""
        size = self.size()
        if size == 0:
            return None
        s = self.block(size - 1)
        return self.strings.setdefault(s, s)

    def literal(self, text: str, why: str) -> None:
        if self.block(len(text)) != text:
            raise self.error(why)

    def check_size(self, size: int, tname: str) -> None:
        if self.byte() != size:
            raise self.error(f"{tname} size mismatch")

    # ------------------------------------------------------------ parts of a chunk
    def header(self) -> None:
        self.literal(LUA_SIGNATURE[1:], "not a binary chunk")
        if self.byte() != LUAC_VERSION:
            raise self.error("version mismatch")
        if self.byte() != LUAC_FORMAT:
            raise self.error("format mismatch")
        self.literal(LUAC_DATA, "corrupted chunk")
        self.check_size(SIZE_INSTRUCTION, "Instruction")
        self.check_size(SIZE_INTEGER, "lua_Integer")
        self.check_size(SIZE_NUMBER, "lua_Number")
        if self.integer() != LUAC_INT:
            raise self.error("integer format mismatch")
        if self.number() != LUAC_NUM:
            raise self.error("float format mismatch")

    def function(self, parent_source: str) -> Proto:
        source = self.string_n()
        p = Proto(parent_source if source is None else source)
        p.linedefined = self.int()
        p.lastlinedefined = self.int()
        p.numparams = self.byte()
        p.is_vararg = self.byte() != 0
        p.maxstacksize = self.byte()
        n = self.int()
        p.code = list(struct.unpack(f"<{n}I", self.block(4 * n).encode("latin-1")))
        p.k = [self.constant() for _ in range(self.int())]
        p.upvalues = [self.upvalue() for _ in range(self.int())]
        p.p = [self.function(p.source) for _ in range(self.int())]
        self.debug(p)
        return p

    def constant(self):
        tag = self.byte()
        if tag == LUA_VNUMFLT:
            return self.number()
        if tag == LUA_VNUMINT:
            return self.integer()
        if tag == LUA_VSHRSTR or tag == LUA_VLNGSTR:
            s = self.string_n()
            if s is None:
                raise self.error("bad format for constant string")
            return s
        if tag == LUA_VTRUE:
            return True
        if tag == LUA_VFALSE:
            return False
        return None     # LUA_VNIL; lundump.c leaves unknown tags nil as well

    def upvalue(self) -> UpvalDesc:
        instack = self.byte()
        idx = self.byte()
        return UpvalDesc(None, instack != 0, idx, self.byte())

    def debug(self, p: Proto) -> None:
        deltas = self.block(self.int())
        absolute = [(self.int(), self.int()) for _ in range(self.int())]
        for _ in range(self.int()):
            name = self.string_n()
            p.locvars.append(LocVar(name, self.int(), self.int()))
        if self.int() != 0:         # names present: one per upvalue
            for uv in p.upvalues:
                uv.name = self.string_n()
        p.lineinfo = absolute_lines(p, deltas, absolute)


def absolute_lines(p: Proto, deltas: str, absolute: list) -> list[int]:
    """The line of each instruction from Lua's relative encoding (``luaG_getfuncline``
    walked forward once). Stripped functions have none."""
    lines = []
    line = p.linedefined
    next_abs = 0
    for pc in range(min(len(deltas), len(p.code))):
        if next_abs < len(absolute) and absolute[next_abs][0] <= pc:
            while next_abs + 1 < len(absolute) and absolute[next_abs + 1][0] <= pc:
                next_abs += 1
            if absolute[next_abs][0] == pc:
                line = absolute[next_abs][1]
                next_abs += 1
                lines.append(line)
                continue
        d = ord(deltas[pc])
        if d != ABSLINEINFO & 0xFF:
            line += d - 256 if d > 127 else d
        lines.append(line)
    return lines


def undump(chunk: str, chunkname: str) -> Proto:
    """``luaU_undump``: the main prototype of binary ``chunk`` (which starts with
    ESC). Raises LuaSyntaxError with lundump.c's message."""
    if chunkname[:1] in ("@", "="):
        name = chunkname[1:]
    elif chunkname[:1] == LUA_SIGNATURE[0]:
        name = "binary string"
    else:
        name = chunkname
    r = _Reader(chunk, name)
    r.pos = 1
    r.header()
    nupvalues = r.byte()
    p = r.function(STRIPPED_SOURCE)
    if nupvalues != len(p.upvalues):
        raise r.error("wrong number of upvalues")
    verify(r, p, None)
    return p


# ---------------------------------------------------------------- verification

_ARITH_K_NUMBER = range(O.OP_ADDK, O.OP_IDIVK + 1)
_ARITH_K_INTEGER = range(O.OP_BANDK, O.OP_BXORK + 1)
_REG_ABC = range(O.OP_ADD, O.OP_SHR + 1)                 # R[A] := R[B] op R[C]
_REG_AB = (O.OP_MOVE, O.OP_GETI, O.OP_ADDI, O.OP_SHRI, O.OP_SHLI, O.OP_UNM, O.OP_BNOT,
           O.OP_NOT, O.OP_LEN, O.OP_TESTSET)
_REG_A = (O.OP_LOADI, O.OP_LOADF, O.OP_LOADFALSE, O.OP_LOADTRUE, O.OP_CLOSE, O.OP_TBC,
          O.OP_TEST, O.OP_EQI, O.OP_LTI, O.OP_LEI, O.OP_GTI, O.OP_GEI, O.OP_RETURN1,
          O.OP_LFALSESKIP)
_TESTS = (O.OP_EQ, O.OP_LT, O.OP_LE, O.OP_EQK, O.OP_EQI, O.OP_LTI, O.OP_LEI, O.OP_GTI,
          O.OP_GEI, O.OP_TEST, O.OP_TESTSET, O.OP_LFALSESKIP)
_WITH_EXTRAARG = (O.OP_LOADKX, O.OP_NEWTABLE)
_RETURNS = (O.OP_RETURN, O.OP_RETURN0, O.OP_RETURN1)
_ARITH = frozenset([O.OP_ADDI, *range(O.OP_ADDK, O.OP_SHR + 1)])   # followed by an MMBIN*
_MMBINS = (O.OP_MMBIN, O.OP_MMBINI, O.OP_MMBINK)
TM_ADD, TM_SHR = 6, 17      # the events an MMBIN instruction may name


class _Checker:
    """Operand checks for one prototype; ``bad`` raises the loader's error."""

    def __init__(self, r: _Reader, p: Proto) -> None:
        self.r = r
        self.p = p
        self.n = len(p.code)

    def bad(self, why: str) -> None:
        raise self.r.error(why)

    def reg(self, x: int) -> None:
        if x >= self.p.maxstacksize:
            self.bad("register out of range")

    def const(self, x: int, kinds: tuple = ()) -> None:
        if x >= len(self.p.k):
            self.bad("constant index out of range")
        if kinds and type(self.p.k[x]) not in kinds:
            self.bad("constant of wrong type")

    def upval(self, x: int) -> None:
        if x >= len(self.p.upvalues):
            self.bad("upvalue index out of range")

    def target(self, pc: int) -> None:
        """A place where execution may continue: an instruction, not an EXTRAARG."""
        if not 0 <= pc < self.n or O.get_op(self.p.code[pc]) == O.OP_EXTRAARG:
            self.bad("jump out of range")

    def results(self, a: int, c: int) -> None:
        """Registers ``a .. a+c-2`` for ``c-1`` results (c == 0: from ``a`` to top)."""
        if c != 1:
            self.reg(a + c - 2 if c else a)

    def instruction(self, pc: int, i: int) -> None:
        op = O.get_op(i)
        a, b, c, k = O.getarg_A(i), O.getarg_B(i), O.getarg_C(i), O.getarg_k(i)
        if op >= O.NUM_OPCODES:
            self.bad("invalid opcode")
        if op in _REG_AB:
            self.reg(a)
            self.reg(b)
        elif op in _REG_A:
            self.reg(a)
        elif op in _REG_ABC or op == O.OP_GETTABLE or op == O.OP_EQ or op == O.OP_LT \
                or op == O.OP_LE:
            self.reg(a); self.reg(b); self.reg(c)
        elif op in _ARITH_K_NUMBER or op in _ARITH_K_INTEGER:
            self.reg(a); self.reg(b)
            self.const(c, (int,) if op in _ARITH_K_INTEGER else (int, float))
        else:
            self.special(pc, i, op, a, b, c, k)
        if op in _TESTS:
            self.target(pc + 2)
        elif op in _ARITH:      # the fast path skips the metamethod instruction
            if pc + 1 >= self.n or O.get_op(self.p.code[pc + 1]) not in _MMBINS:
                self.bad("arithmetic without metamethod instruction")
            self.target(pc + 2)
        elif op in _WITH_EXTRAARG or (op == O.OP_SETLIST and k):
            if pc + 1 >= self.n or O.get_op(self.p.code[pc + 1]) != O.OP_EXTRAARG:
                self.bad("missing extra argument")
            if op == O.OP_LOADKX:
                self.const(O.getarg_Ax(self.p.code[pc + 1]))

    def special(self, pc: int, i: int, op: int, a: int, b: int, c: int, k: int) -> None:
        if op == O.OP_LOADK:
            self.reg(a)
            self.const(O.getarg_Bx(i))
        elif op in (O.OP_LOADKX, O.OP_NEWTABLE, O.OP_CLOSURE):
            self.reg(a)
            if op == O.OP_CLOSURE and O.getarg_Bx(i) >= len(self.p.p):
                self.bad("function index out of range")
        elif op == O.OP_LOADNIL:
            self.reg(a + b)
        elif op in (O.OP_GETUPVAL, O.OP_SETUPVAL):
            self.reg(a)
            self.upval(b)
        elif op == O.OP_GETTABUP:
            self.reg(a); self.upval(b); self.const(c, (str,))
        elif op == O.OP_GETFIELD:
            self.reg(a); self.reg(b); self.const(c, (str,))
        elif op in (O.OP_SETTABUP, O.OP_SETTABLE, O.OP_SETI, O.OP_SETFIELD, O.OP_SELF):
            if op == O.OP_SETTABUP:
                self.upval(a)
            else:
                self.reg(a + (op == O.OP_SELF))
            if op in (O.OP_SETTABUP, O.OP_SETFIELD):
                self.const(b, (str,))
            elif op in (O.OP_SETTABLE, O.OP_SELF):
                self.reg(b)
            self.const(c) if k else self.reg(c)
        elif op in (O.OP_MMBIN, O.OP_MMBINI, O.OP_MMBINK):
            self.reg(a)
            if op == O.OP_MMBIN:
                self.reg(b)
            elif op == O.OP_MMBINK:
                self.const(b)
            if pc == 0 or O.get_op(self.p.code[pc - 1]) not in _ARITH or not TM_ADD <= c <= TM_SHR:
                self.bad("invalid metamethod instruction")
        elif op == O.OP_CONCAT:
            if b == 0:
                self.bad("invalid concatenation")
            self.reg(a + b - 1)
        elif op == O.OP_JMP:
            self.target(_jump(pc, i, op))
        elif op == O.OP_EQK:
            self.reg(a); self.const(b)
        elif op in (O.OP_CALL, O.OP_TAILCALL):
            self.reg(a)
            self.results(a, b + 1 if b else 0)
            self.results(a, c)
        elif op == O.OP_RETURN:
            self.results(a, b)
        elif op in (O.OP_FORLOOP, O.OP_FORPREP, O.OP_TFORPREP):
            self.reg(a + 3)
            self.target(_jump(pc, i, op))
        elif op == O.OP_TFORCALL:
            self.reg(a + 3 + max(c, 1))
            if pc + 1 >= self.n or O.get_op(self.p.code[pc + 1]) != O.OP_TFORLOOP:
                self.bad("generic for without loop")
        elif op == O.OP_TFORLOOP:
            self.reg(a + 4)
            self.target(_jump(pc, i, op))
        elif op == O.OP_SETLIST:
            self.reg(a + b)
        elif op == O.OP_VARARG or op == O.OP_VARARGPREP:
            if not self.p.is_vararg:
                self.bad("vararg in a fixed-argument function")
            if op == O.OP_VARARG:
                self.results(a, c)
        elif op == O.OP_EXTRAARG:
            prev = O.get_op(self.p.code[pc - 1]) if pc else None
            if prev not in _WITH_EXTRAARG and prev != O.OP_SETLIST:
                self.bad("misplaced extra argument")


def verify(r: _Reader, p: Proto, parent: Proto | None) -> None:
    """Reject bytecode that could make the VM misbehave (see module doc)."""
    if p.numparams > p.maxstacksize:
        raise r.error("bad number of parameters")
    if not p.code or O.get_op(p.code[-1]) not in _RETURNS:
        raise r.error("missing final return")
    if parent is not None:
        for uv in p.upvalues:
            limit = parent.maxstacksize if uv.instack else len(parent.upvalues)
            if uv.idx >= limit:
                raise r.error("upvalue index out of range")
    checker = _Checker(r, p)
    for pc, i in enumerate(p.code):
        checker.instruction(pc, i)
    for child in p.p:
        verify(r, child, p)
    check_open_tops(r, p)
    check_register_kinds(r, p)      # after the children's upvalues are known valid


_OPEN_PRODUCERS = (O.OP_CALL, O.OP_VARARG)      # with C == 0; a TAILCALL always is one
_OPEN_CONSUMERS = (O.OP_CALL, O.OP_TAILCALL, O.OP_RETURN, O.OP_SETLIST)     # with B == 0


def check_open_tops(r: _Reader, p: Proto) -> None:
    """An instruction that takes the values up to the top (B == 0) counts them from the
    top the instruction before it left (a tail call, a call or VARARG with C == 0, its
    results at or above the consumer's first operand): it is reached only from there."""
    code = p.code
    entries = [(-1, 0)] + [(pc, succ) for pc, i in enumerate(code)
                           for succ in _successors(p, pc, i, O.get_op(i))]
    for pc, succ in entries:
        if not 0 <= succ < len(code):
            continue
        i = code[succ]
        op = O.get_op(i)
        if op not in _OPEN_CONSUMERS or O.getarg_B(i) != 0:
            continue
        prev = code[pc] if pc == succ - 1 else None
        open_results = prev is not None and (O.get_op(prev) == O.OP_TAILCALL or (
            O.get_op(prev) in _OPEN_PRODUCERS and O.getarg_C(prev) == 0))
        if not open_results or O.getarg_A(prev) < O.getarg_A(i) + (op != O.OP_RETURN):
            raise r.error("open results without their producer")


# What the VM assumes about register contents without checking (as lvm.c does): SETLIST
# stores into a table made by NEWTABLE, FORLOOP counts with the numbers FORPREP left.
# A forward data-flow pass proves these over every path. A register that a closure has
# captured (until CLOSE or return) may change behind the function's back: never trusted.
_OTHER, _TABLE, _NUMBER, _OPEN = 0, 1, 2, 3


def _merge(x: int, y: int) -> int:
    if x == _OPEN or y == _OPEN:
        return _OPEN
    return x if x == y else _OTHER


def _jump(pc: int, i: int, op: int) -> int:
    """Where a jumping instruction goes."""
    if op == O.OP_JMP:
        return pc + 1 + O.getarg_sJ(i)
    if op == O.OP_FORPREP:
        return pc + 2 + O.getarg_Bx(i)
    if op == O.OP_TFORPREP:
        return pc + 1 + O.getarg_Bx(i)
    return pc + 1 - O.getarg_Bx(i)      # FORLOOP, TFORLOOP


def _written(i: int, op: int, size: int, prev_a: int) -> range:
    """The registers instruction ``i`` may overwrite."""
    a, b, c = O.getarg_A(i), O.getarg_B(i), O.getarg_C(i)
    if op == O.OP_LOADNIL:
        return range(a, a + b + 1)
    if op == O.OP_SELF:
        return range(a, a + 2)
    if op in (O.OP_CALL, O.OP_TAILCALL, O.OP_VARARG):
        return range(a, a + c - 1 if c else size)
    if op == O.OP_TFORCALL:
        return range(a + 4, a + 4 + c)
    if op == O.OP_TFORLOOP:
        return range(a + 2, a + 3)
    if op == O.OP_CONCAT:
        return range(a, a + b)
    if op in (O.OP_FORPREP, O.OP_FORLOOP):
        return range(a, a + 4)
    if op in _MMBINS:
        return range(prev_a, prev_a + 1)
    if O.TESTA_MODE[op] and op != O.OP_VARARGPREP:
        return range(a, a + 1)
    return range(0)


def _successors(p: Proto, pc: int, i: int, op: int) -> tuple:
    if op in _RETURNS:
        return ()
    if op in (O.OP_JMP, O.OP_TFORPREP):
        return (_jump(pc, i, op),)
    if op in (O.OP_FORPREP, O.OP_FORLOOP, O.OP_TFORLOOP):
        return (pc + 1, _jump(pc, i, op))
    if op in _TESTS:
        return (pc + 2,) if op == O.OP_LFALSESKIP else (pc + 1, pc + 2)
    if op in _ARITH:
        return (pc + 1, pc + 2)
    if op in _WITH_EXTRAARG or (op == O.OP_SETLIST and O.getarg_k(i)):
        return (pc + 2,)
    return (pc + 1,)


def check_register_kinds(r: _Reader, p: Proto) -> None:
    size = p.maxstacksize
    code = p.code
    states: list = [None] * len(code)
    states[0] = bytes(size)
    work = [0]
    while work:
        pc = work.pop()
        kinds = states[pc]
        i = code[pc]
        op = O.get_op(i)
        a = O.getarg_A(i)
        if op == O.OP_SETLIST and kinds[a] != _TABLE:
            raise r.error("list stored into a non-table")
        if op == O.OP_FORLOOP and kinds[a:a + 3] != bytes([_NUMBER]) * 3:
            raise r.error("numeric for loop without preparation")
        out = bytearray(kinds)
        for reg in _written(i, op, size, O.getarg_A(code[pc - 1]) if pc else 0):
            if reg < size and out[reg] != _OPEN:
                out[reg] = _OTHER
        if op == O.OP_NEWTABLE and out[a] != _OPEN:
            out[a] = _TABLE
        elif op == O.OP_CLOSURE:
            for uv in p.p[O.getarg_Bx(i)].upvalues:
                if uv.instack:
                    out[uv.idx] = _OPEN
        elif op == O.OP_CLOSE:
            for reg in range(a, size):
                if out[reg] == _OPEN:
                    out[reg] = _OTHER
        for succ in _successors(p, pc, i, op):
            new = bytearray(out)
            if (op == O.OP_FORPREP and succ == pc + 1) or (op == O.OP_FORLOOP and succ != pc + 1):
                for reg in range(a, a + 4):
                    if new[reg] != _OPEN:
                        new[reg] = _NUMBER
            old = states[succ]
            if old is None:
                merged = bytes(new)
            else:
                merged = bytes(map(_merge, old, new))
                if merged == old:
                    continue
            states[succ] = merged
            work.append(succ)
