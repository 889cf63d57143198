"""Names for values in error messages (ldebug.c): symbolic execution over bytecode.

``getobjname`` finds which local, global, field, upvalue, constant or method a
register holds at a given pc, which turns "attempt to call a nil value" into
"attempt to call a nil value (global 'f')".
"""
from __future__ import annotations


from . import opcodes as O
from .proto import Proto

LUA_ENV = "_ENV"

# Metamethod events in ltm.h order: MMBIN's C operand indexes this list.
TM_NAMES = ["__index", "__newindex", "__gc", "__mode", "__len", "__eq", "__add", "__sub",
            "__mul", "__mod", "__pow", "__div", "__idiv", "__band", "__bor", "__bxor",
            "__shl", "__shr", "__unm", "__bnot", "__lt", "__le", "__concat", "__call",
            "__close"]

NameInfo = tuple[str | None, str | None]   # (kind, name)


def getlocalname(p: Proto, local_number: int, pc: int) -> str | None:
    """``luaF_getlocalname``: name of the n-th (1-based) active local at ``pc``."""
    for lv in p.locvars:
        if lv.startpc > pc:
            break
        if pc < lv.endpc:
            local_number -= 1
            if local_number == 0:
                return lv.name
    return None


def upvalname(p: Proto, uv: int) -> str:
    name = p.upvalues[uv].name if uv < len(p.upvalues) else None
    return name if name is not None else "?"


def _findsetreg(p: Proto, lastpc: int, reg: int) -> int:
    code = p.code
    if O.TESTMM_MODE[O.get_op(code[lastpc])]:
        lastpc -= 1          # the metamethod instruction did not run yet
    setreg = -1
    jmptarget = 0
    for pc in range(lastpc):
        i = code[pc]
        op = O.get_op(i)
        a = O.getarg_A(i)
        if op == O.OP_LOADNIL:
            change = a <= reg <= a + O.getarg_B(i)
        elif op == O.OP_TFORCALL:
            change = reg >= a + 2
        elif op == O.OP_CALL or op == O.OP_TAILCALL:
            change = reg >= a
        elif op == O.OP_JMP:
            dest = pc + 1 + O.getarg_sJ(i)
            if dest <= lastpc and dest > jmptarget:
                jmptarget = dest
            change = False
        else:
            change = O.TESTA_MODE[op] and reg == a
        if change:
            setreg = -1 if pc < jmptarget else pc
    return setreg


def _kname(p: Proto, k: int) -> NameInfo:
    v = p.k[k]
    return ("constant", v) if type(v) is str else (None, "?")


def _basic_getobjname(p: Proto, pc: int, reg: int) -> tuple:
    """``basicgetobjname``: names from locals, upvalues, constants and moves only.
    Returns (kind, name, pc of the instruction that set ``reg`` or -1)."""
    name = getlocalname(p, reg + 1, pc)
    if name is not None:
        return "local", name, pc
    pc = _findsetreg(p, pc, reg)
    if pc != -1:
        i = p.code[pc]
        op = O.get_op(i)
        if op == O.OP_MOVE:
            b = O.getarg_B(i)
            if b < O.getarg_A(i):
                return _basic_getobjname(p, pc, b)
        elif op == O.OP_GETUPVAL:
            return "upvalue", upvalname(p, O.getarg_B(i)), pc
        elif op == O.OP_LOADK:
            return _kname(p, O.getarg_Bx(i)) + (pc,)
        elif op == O.OP_LOADKX:
            return _kname(p, O.getarg_Ax(p.code[pc + 1])) + (pc,)
    return None, None, pc


def _rname(p: Proto, pc: int, c: int) -> str:
    kind, name, _ = _basic_getobjname(p, pc, c)
    return name if kind == "constant" else "?"


def _rkname(p: Proto, pc: int, i: int) -> str:
    c = O.getarg_C(i)
    return _kname(p, c)[1] if O.getarg_k(i) else _rname(p, pc, c)


def _is_env(p: Proto, pc: int, i: int, isup: bool) -> str:
    """``isEnv`` (5.4.8): "global" only when the table is the local or upvalue _ENV."""
    t = O.getarg_B(i)
    if isup:
        name = upvalname(p, t)
    else:
        kind, name, _ = _basic_getobjname(p, pc, t)
        if kind not in ("local", "upvalue"):
            name = None
    return "global" if name == LUA_ENV else "field"


def getobjname(p: Proto, lastpc: int, reg: int) -> NameInfo:
    kind, name, pc = _basic_getobjname(p, lastpc, reg)
    if kind is not None:
        return kind, name
    if pc == -1:
        return None, None
    i = p.code[pc]
    op = O.get_op(i)
    if op == O.OP_GETTABUP:
        return _is_env(p, pc, i, True), _kname(p, O.getarg_C(i))[1]
    if op == O.OP_GETTABLE:
        return _is_env(p, pc, i, False), _rname(p, pc, O.getarg_C(i))
    if op == O.OP_GETI:
        return "field", "integer index"
    if op == O.OP_GETFIELD:
        return _is_env(p, pc, i, False), _kname(p, O.getarg_C(i))[1]
    if op == O.OP_SELF:
        return "method", _rkname(p, pc, i)
    return None, None


def funcnamefromcode(p: Proto, pc: int) -> NameInfo:
    """How the instruction at ``pc`` named the function it called."""
    i = p.code[pc]
    op = O.get_op(i)
    if op == O.OP_CALL or op == O.OP_TAILCALL:
        return getobjname(p, pc, O.getarg_A(i))
    if op == O.OP_TFORCALL:
        return "for iterator", "for iterator"
    if op in (O.OP_SELF, O.OP_GETTABUP, O.OP_GETTABLE, O.OP_GETI, O.OP_GETFIELD):
        tm = 0
    elif op in (O.OP_SETTABUP, O.OP_SETTABLE, O.OP_SETI, O.OP_SETFIELD):
        tm = 1
    elif op in (O.OP_MMBIN, O.OP_MMBINI, O.OP_MMBINK):
        tm = O.getarg_C(i)
    elif op == O.OP_UNM:
        tm = 18
    elif op == O.OP_BNOT:
        tm = 19
    elif op == O.OP_LEN:
        tm = 4
    elif op == O.OP_CONCAT:
        tm = 22
    elif op == O.OP_EQ:
        tm = 5
    elif op in (O.OP_LT, O.OP_LTI, O.OP_GTI):
        tm = 20
    elif op in (O.OP_LE, O.OP_LEI, O.OP_GEI):
        tm = 21
    elif op in (O.OP_CLOSE, O.OP_RETURN):
        tm = 24
    else:
        return None, None
    return "metamethod", TM_NAMES[tm][2:]


def formatvarinfo(kind: str | None, name: str | None) -> str:
    """`` (constant 'x')``; C Lua formats the name with %s, so it ends at a zero byte."""
    return f" ({kind} '{name.split(chr(0), 1)[0]}')" if kind else ""


def line_at(p: Proto, pc: int) -> int:
    """Source line of instruction ``pc`` (-1 when there is no line information)."""
    li = p.lineinfo
    if 0 <= pc < len(li):
        return li[pc]
    return -1
