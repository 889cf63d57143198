"""The Lua virtual machine (lvm.c + ldo.c): the instruction loop and the call path.

A Lua->Lua call, a metamethod written in Lua and a generic-for iterator all push a
``Frame`` on the running thread instead of recursing in Python; returning pops it and
delivers the results as the frame's ``kind`` says (see ``frame.py``). Coroutine
resume and yield switch the running thread inside the same loop. ``execute`` leaves
only when a frame pushed by host code returns (``K_BOUNDARY``) or a coroutine that
host code resumed yields or ends.

Instructions are decoded once per prototype into ``Instr`` objects with
constants, signed operands and jump targets already resolved (``decode``); the
``if`` chain in ``execute`` tests the most frequent opcodes first.
"""
from __future__ import annotations

import math
from sys import intern

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Any, Optional

from . import hooks
from . import opcodes as O
from .opcodes import (OP_ADD, OP_BAND, OP_BNOT, OP_BOR, OP_BXOR, OP_DIV, OP_MOD, OP_MUL,
                      OP_POW, OP_SHL, OP_SHR, OP_SUB, OP_UNM)
from .debuginfo import TM_NAMES, formatvarinfo, funcnamefromcode, getobjname, line_at, upvalname
from .errors import ArgError, ErrorInErrorHandling, LuaError, chunkid
from .frame import (K_BOUNDARY, K_CALL, K_CLOSE, K_CMARK, K_COBASE, K_COND, K_CONCAT, K_DISCARD,
                    K_ERRCLOSE, K_MM, K_THEN,
                    K_PCALL, MAX_C_CALLS, MAX_C_CALLS_ERR, MAX_STACK_SLOTS, ERROR_STACK_EXTRA, DEAD, NORMAL,
                    RUNNING, SUSPENDED, Frame, LuaThread, new_frame, release_frame)
from .lauxlib import obj_type_name, tolstring, type_error as type_error_arg
from .number import (MAXINTEGER, MININTEGER, div_float, float_to_int, idiv_float, mod_float,
                     pow_float, shift_left, str2number, tonumber, wrap)
from .objects import Builtin, LuaFunction, Special, Upvalue, Userdata, is_function
from .proto import Proto
from .gc import CLOSURE_BYTES, STRING_HEADER, TABLE_BYTES
from .limits import SLICE_INSTRUCTIONS, LuaLimitError
from .table import LuaTable, TableKeyError

MAXTAGLOOP = 2000
PROTECTED = "protected"
INT_MIN, INT_MAX = MININTEGER, MAXINTEGER     # C long longs in the compiled VM (vm.pxd)
TIME_SLICE = SLICE_INSTRUCTIONS     # between looks at the event loop and the limits
# What is left of the slice (a global: Lua code run from host code, an error caught by
# pcall, a coroutine, all spend the same slice) and what the slice was: see time_slice.
budget = granted = TIME_SLICE
COND_NEGATE = 2          # K_COND aux bit: the metamethod answers the opposite question   # aux of a host marker whose host code catches errors itself
LFIELDS_PER_FLUSH = O.LFIELDS_PER_FLUSH


# ---------------------------------------------------------------- decoding

_K_C_OPS = {O.OP_ADDK, O.OP_SUBK, O.OP_MULK, O.OP_MODK, O.OP_POWK, O.OP_DIVK, O.OP_IDIVK,
            O.OP_BANDK, O.OP_BORK, O.OP_BXORK}
_IMM_CMP_OPS = {O.OP_EQI, O.OP_LTI, O.OP_LEI, O.OP_GTI, O.OP_GEI}


def decode(p: Proto) -> list:
    """The prototype's code as a list of ``Instr``, operands resolved. String
    constants are interned: a table key that is the very object looked up is found
    without comparing characters."""
    code = p.code
    K = [intern(v) if type(v) is str else v for v in p.k]
    out = []
    for pc, i in enumerate(code):
        op = i & 0x7F
        a = (i >> O.POS_A) & 0xFF
        k = (i >> O.POS_k) & 1
        b = (i >> O.POS_B) & 0xFF
        c = (i >> O.POS_C) & 0xFF
        kb = kc = None
        if op == O.OP_LOADI:
            kb = O.getarg_sBx(i)
        elif op == O.OP_LOADF:
            kb = float(O.getarg_sBx(i))
        elif op == O.OP_LOADK:
            kb = K[O.getarg_Bx(i)]
        elif op == O.OP_LOADKX:
            kb = K[O.getarg_Ax(code[pc + 1])]
        elif op == O.OP_GETTABUP or op == O.OP_GETFIELD:
            kc = K[c]
        elif op == O.OP_GETI:
            kc = c
        elif op == O.OP_SETTABUP or op == O.OP_SETFIELD:
            kb = K[b]
            if k:
                kc = K[c]
        elif op == O.OP_SETI:
            kb = b
            if k:
                kc = K[c]
        elif op in (O.OP_SETTABLE, O.OP_SELF):
            if k:
                kc = K[c]
        elif op in (O.OP_ADDI, O.OP_SHRI, O.OP_SHLI):
            c -= O.OFFSET_sC
            kc = c
        elif op in _K_C_OPS:
            kc = K[c]
        elif op == O.OP_MMBINI:
            b -= O.OFFSET_sC
            kb = b
        elif op == O.OP_MMBINK:
            kb = K[b]
        elif op == O.OP_JMP:
            b = pc + 1 + O.getarg_sJ(i)
            c = loop_span(pc, b)
        elif op == O.OP_EQK:
            kb = K[b]
        elif op in _IMM_CMP_OPS:
            b -= O.OFFSET_sC
            kb = float(b) if c else b
        elif op == O.OP_FORLOOP or op == O.OP_TFORLOOP:
            b = pc + 1 - O.getarg_Bx(i)
            c = loop_span(pc, b)
        elif op == O.OP_FORPREP:
            b = pc + 2 + O.getarg_Bx(i)
        elif op == O.OP_TFORPREP:
            b = pc + 1 + O.getarg_Bx(i)
        elif op == O.OP_CLOSURE:
            kb = p.p[O.getarg_Bx(i)]
        elif op == O.OP_SETLIST and k:
            c += O.getarg_Ax(code[pc + 1]) * (O.MAXARG_C + 1)
        out.append(Instr(op, a, b, c, k, kb, kc))
    p.decoded = out
    return out


def loop_span(pc: int, target: int) -> int:
    """What a jump at ``pc`` to ``target`` charges (in ``c``, which jumps do not use):
    a backward jump the instructions of the loop it closes, a forward one 1."""
    return pc + 1 - target if target <= pc else 1


class Instr:
    """One decoded instruction. ``a b c k`` are ints (register numbers, immediates
    with their sign, or a jump target in ``b``); ``kb``/``kc`` the Lua values the B
    and C operands stand for (constants, immediates as Lua numbers, the prototype of
    CLOSURE). The compiled VM reads the ints as C fields, with no conversion."""

    __slots__ = ("op", "a", "b", "c", "k", "kb", "kc")

    def __init__(self, op: int, a: int, b: int, c: int, k: int, kb: Any, kc: Any) -> None:
        self.op = op
        self.a = a
        self.b = b
        self.c = c
        self.k = k
        self.kb = kb
        self.kc = kc


# ---------------------------------------------------------------- metamethods

_BASIC_TYPES = {type(None): "nil", bool: "boolean", int: "number", float: "number",
                LuaFunction: "function", Builtin: "function", Special: "function",
                LuaThread: "thread"}


def metatable(L, v: Any) -> Optional[LuaTable]:
    t = type(v)
    if t is LuaTable or t is Userdata:
        return v.meta
    if t is str:
        return L.string_meta
    return L.type_metas.get(_BASIC_TYPES.get(t))


def tm_of(L, v: Any, event: str) -> Any:
    """``luaT_gettmbyobj``: the metamethod ``event`` of ``v`` or None."""
    t = type(v)
    if t is LuaTable or t is Userdata:
        mt = v.meta
    elif t is str:
        mt = L.string_meta
    else:
        mt = L.type_metas.get(_BASIC_TYPES.get(t))
    if mt is None:
        return None
    return mt.hash.get(event)


def is_false(v: Any) -> bool:
    return v is None or v is False


def raw_equals(a: Any, b: Any) -> bool:
    """Primitive equality (rawequal): numbers by value, other values by identity,
    and never ``true == 1`` as Python would have it."""
    ta = type(a)
    tb = type(b)
    if ta is tb:
        return a == b if (ta is not LuaTable and ta is not Userdata) else a is b
    if (ta is int and tb is float) or (ta is float and tb is int):
        return a == b
    return False


def tointeger_ns(v: Any) -> Optional[int]:
    """``luaV_tointegerns`` for bitwise operands: integers and integral floats (no
    string coercion: strings have no bitwise metamethods either)."""
    t = type(v)
    if t is int:
        return v
    if t is float:
        return float_to_int(v)
    return None


def arith_raw(op: int, x: Any, y: Any, fr: Optional[Frame] = None) -> Any:
    """Arithmetic on two numbers (opcode of ADD..SHR, or UNM/BNOT with y unused).
    Returns None when the operands do not allow it without metamethods; raises
    LuaError for integer division by zero."""
    tx, ty = type(x), type(y)
    if op >= OP_BAND and op <= OP_SHR or op == OP_BNOT:
        ix = tointeger_ns(x)
        iy = tointeger_ns(y) if op != OP_BNOT else 0
        if ix is None or iy is None:
            return None
        if op == OP_BAND:       # of two 64-bit integers: no wrapping needed
            return ix & iy
        if op == OP_BOR:
            return ix | iy
        if op == OP_BXOR:
            return ix ^ iy
        if op == OP_SHL:
            return shift_left(ix, iy)
        if op == OP_SHR:
            return shift_left(ix, -iy) if iy != MININTEGER else 0
        return ~ix
    if tx is str:
        x = str2number(x)
        tx = type(x)
    if ty is str:
        y = str2number(y)
        ty = type(y)
    if not (tx is int or tx is float) or not (ty is int or ty is float):
        return None
    if op == OP_UNM:
        return wrap(-x) if tx is int else -x
    if tx is int and ty is int and op not in (OP_DIV, OP_POW):
        if op == OP_ADD:
            return wrap(x + y)
        if op == OP_SUB:
            return wrap(x - y)
        if op == OP_MUL:
            return wrap(x * y)
        if op == OP_MOD:
            if y == 0:
                raise runtime_error(fr, "attempt to perform 'n%0'")
            return x % y
        if y == 0:
            raise runtime_error(fr, "attempt to divide by zero")
        return wrap(x // y)
    x = float(x)
    y = float(y)
    if op == OP_ADD:
        return x + y
    if op == OP_SUB:
        return x - y
    if op == OP_MUL:
        return x * y
    if op == OP_DIV:
        return div_float(x, y)
    if op == OP_MOD:
        return mod_float(x, y)
    if op == OP_POW:
        return pow_float(x, y)
    return idiv_float(x, y)


# Arithmetic metamethod event (TM index) -> opcode of the operation.
TM_TO_OP = {6: O.OP_ADD, 7: O.OP_SUB, 8: O.OP_MUL, 9: O.OP_MOD, 10: O.OP_POW, 11: O.OP_DIV,
            12: O.OP_IDIV, 13: O.OP_BAND, 14: O.OP_BOR, 15: O.OP_BXOR, 16: O.OP_SHL,
            17: O.OP_SHR, 18: O.OP_UNM, 19: O.OP_BNOT}
OP_TO_TM = {op: tm for tm, op in TM_TO_OP.items()}
_BITWISE_TMS = {13, 14, 15, 16, 17, 19}


# ---------------------------------------------------------------- error helpers

def current_line(fr: Frame) -> int:
    if fr.proto is None:
        return -1
    return line_at(fr.proto, fr.pc - 1)


def where(fr: Optional[Frame]) -> str:
    """``luaL_where``: "chunk:line: " for a Lua frame, "" otherwise."""
    if fr is None or fr.proto is None:
        return ""
    line = current_line(fr)
    if line < 0:
        return ""
    return f"{chunkid(fr.proto.source)}:{line}: "


def runtime_error(fr: Optional[Frame], msg: str) -> LuaError:
    """``luaG_runerror``: a message with the position of the running Lua frame
    (``luaG_addinfo``: "?:-1:" for code without debug information)."""
    if fr is None or fr.proto is None or fr.func is TRAMPOLINE:
        return LuaError(msg)
    src = fr.proto.source
    return LuaError(f"{chunkid(src) if src else '?'}:{current_line(fr)}: {msg}")


def varinfo(fr: Optional[Frame], reg: Optional[int] = None, upval: Optional[int] = None) -> str:
    if fr is None or fr.proto is None:
        return ""
    if upval is not None:
        return formatvarinfo("upvalue", upvalname(fr.proto, upval))
    if reg is None:
        return ""
    kind, name = getobjname(fr.proto, fr.pc - 1, reg)
    return formatvarinfo(kind, name)


def type_error(fr: Frame, v: Any, op: str, reg: Optional[int] = None,
               upval: Optional[int] = None) -> LuaError:
    return runtime_error(fr, f"attempt to {op} a {obj_type_name(v)} value"
                             f"{varinfo(fr, reg, upval)}")


def call_error(fr: Frame, v: Any) -> LuaError:
    """``luaG_callerror``: the name comes from how the frame made the call."""
    kind, name = (None, None)
    if fr is not None and fr.proto is not None:
        kind, name = funcnamefromcode(fr.proto, fr.pc - 1)
    extra = formatvarinfo(kind, name) if kind else ""
    return runtime_error(fr, f"attempt to call a {obj_type_name(v)} value{extra}")


def order_error(fr: Frame, a: Any, b: Any) -> LuaError:
    t1, t2 = obj_type_name(a), obj_type_name(b)
    if t1 == t2:
        return runtime_error(fr, f"attempt to compare two {t1} values")
    return runtime_error(fr, f"attempt to compare {t1} with {t2}")


def arg_error(L, fr: Optional[Frame], f: Any, e: ArgError) -> LuaError:
    """``luaL_argerror``: name the function as the call site (or its global name) does."""
    argno, name, namewhat = e.argno, None, None
    if fr is not None and fr.proto is not None:
        namewhat, name = funcnamefromcode(fr.proto, fr.pc - 1)
        if namewhat == "method":
            argno -= 1
            if argno == 0:
                return LuaError(f"{where(fr)}calling '{name}' on bad self ({e.msg})")
    if name is None:
        name = L.global_name(f) or "?"
    return LuaError(f"{where(fr)}bad argument #{argno} to '{name}' ({e.msg})")


# ---------------------------------------------------------------- upvalues & tbc

def close_upvals(fr: Frame, level: int) -> None:
    ou = fr.open_upvals
    for idx in [i for i in ou if i >= level]:
        ou.pop(idx).close()


def find_upval(fr: Frame, idx: int) -> Upvalue:
    ou = fr.open_upvals
    if ou is None:
        ou = fr.open_upvals = {}
    uv = ou.get(idx)
    if uv is None:
        uv = ou[idx] = Upvalue(fr.regs, idx)
    return uv


def mark_tbc(L, fr: Frame, a: int) -> None:
    v = fr.regs[a]
    if v is None or v is False:
        return
    if tm_of(L, v, "__close") is None:
        kind, name = getobjname(fr.proto, fr.pc - 1, a)
        raise runtime_error(fr, f"variable '{name}' got a non-closable value")
    if fr.tbc is None:
        fr.tbc = []
    fr.tbc.append(a)


def close_tbc(L, fr: Frame, level: int, err: Any = None, has_err: bool = False) -> Any:
    """Call ``__close`` of the frame's to-be-closed variables at or above ``level``,
    newest first. With an error in flight each handler gets it, and an error raised by
    a handler replaces it; returns the (possibly new) error value."""
    tbc = fr.tbc
    while tbc and tbc[-1] >= level:
        v = fr.regs[tbc.pop()]
        try:
            tm = tm_of(L, v, "__close")
            if tm is None:          # metamethod removed after the variable was marked
                raise call_error(fr, tm)
            L.call_direct(tm, (v, err if has_err else None))
        except LuaError as e:
            if not has_err or type(e) is LuaLimitError:
                raise
            err = e.value
    return err


# ---------------------------------------------------------------- the machine

def push_lua(L, th: LuaThread, f: LuaFunction, args, kind: int, ret_a: int,
             nresults: int) -> Frame:
    """Push a frame for Lua function ``f`` called with the sequence ``args``."""
    if type(args) is not list:
        args = list(args)
    return enter_lua(L, th, f, args, 0, len(args), kind, ret_a, nresults)


def enter_lua(L, th: LuaThread, f: LuaFunction, src: list, first: int, nargs: int, kind: int,
              ret_a: int, nresults: int) -> Frame:
    """Push a frame for Lua function ``f`` whose ``nargs`` arguments are in ``src`` from
    ``first`` (ldo.c ``luaD_precall``); a Lua call passes its own registers."""
    p = f.proto
    n = p.maxstacksize
    base = stack_base(th, kind, ret_a)
    if base + n > MAX_STACK_SLOTS:
        stack_overflow(th, base + n)
    if kind != K_CALL and kind != K_COBASE:     # a coroutine's body: counted by resume
        enter_ccall(th)
    np = p.numparams
    regs = [None] * n
    for j in range(nargs if nargs < np else np):
        regs[j] = src[first + j]
    fr = new_frame(f, kind, ret_a, nresults, regs)
    if nargs > np and p.is_vararg:
        fr.varargs = tuple(src[first + np:first + nargs])
    fr.base = base
    fr.proto = p
    code = p.decoded
    fr.code = code if code is not None else decode(p)
    fr.upvals = f.upvals
    th.frames.append(fr)
    return fr


def stack_base(th: LuaThread, kind: int, ret_a: int) -> int:
    """Where a new frame's registers start on C Lua's stack: just above the called
    function in the caller's registers, or above the caller's frame for calls the
    VM makes itself (metamethods) and calls from host code."""
    frames = th.frames
    if not frames:
        return 1
    caller = frames[-1]
    p = caller.proto
    if p is None:
        return caller.base + 1
    if kind == K_CALL:
        return caller.base + ret_a + 1
    return caller.base + p.maxstacksize + 1


def push_marker(th: LuaThread, marker: Frame) -> None:
    """Put a host-code marker on the stack, where C Lua's frame for it would be."""
    marker.base = stack_base(th, K_CMARK, 0)
    th.frames.append(marker)


def stack_overflow(th: LuaThread, need: int) -> None:
    """``luaD_growstack`` at the limit: "stack overflow" once, then some extra room to
    handle it; overflowing that room is "error in error handling"."""
    if not th.in_stack_error:
        th.in_stack_error = True
        raise LuaError(where(th.frames[-1] if th.frames else None) + "stack overflow")
    if need > MAX_STACK_SLOTS + ERROR_STACK_EXTRA:
        raise ErrorInErrorHandling()


def enter_ccall(th: LuaThread) -> None:
    """``luaE_checkcstack``: one more call that C Lua would nest on the C stack."""
    n = th.nccalls + 1
    total = th.cbase + n
    if total == MAX_C_CALLS:
        raise LuaError(where(th.frames[-1] if th.frames else None) + "C stack overflow")
    if total >= MAX_C_CALLS_ERR:
        raise ErrorInErrorHandling()
    th.nccalls = n


def pop_frame(th: LuaThread, fr: Frame) -> None:
    """Remove the top frame ``fr`` and give back what it held."""
    th.frames.pop()
    if fr.proto is not None and fr.kind != K_CALL and fr.kind != K_COBASE:
        th.nccalls -= 1


def place_results(fr: Frame, res, a: int, want: int) -> None:
    """Store call results in frame registers from ``a``: ``want`` of them (-1: all,
    setting ``fr.top``)."""
    regs = fr.regs
    if want == 1:
        regs[a] = res[0] if res else None
    elif want < 0:
        n = len(res)
        regs[a:a + n] = res
        fr.top = a + n
    elif want:
        n = len(res)
        if n >= want:
            regs[a:a + want] = res[:want] if n > want else res
        else:
            regs[a:a + n] = res
            for j in range(a + n, a + want):
                regs[j] = None


class Exit(Exception):
    """Internal: leave ``execute`` returning ``value`` (to host code)."""

    def __init__(self, value) -> None:
        super().__init__()
        self.value = value


def deliver(L, th: LuaThread, fr: Frame, res) -> Optional[Frame]:
    """Hand the results ``res`` of the finished frame ``fr`` (already popped) to its
    continuation; returns the frame to continue with, or None when the results go to
    the host code that called ``execute`` (they wait in ``th.results``)."""
    kind = fr.kind
    if kind == K_BOUNDARY:
        th.results = list(res)
        return None
    if kind == K_ERRCLOSE:
        return next_error_close(L, th, fr.aux)
    if kind == K_COBASE:
        return finish_coroutine(L, th, True, res)
    caller = th.frames[-1]
    if kind == K_CALL:
        place_results(caller, res, fr.ret_a, fr.nresults)
    elif kind == K_MM:
        caller.regs[fr.ret_a] = res[0] if res else None
    elif kind == K_COND:
        v = res[0] if res else None
        truth = not (v is None or v is False)
        aux = fr.aux
        if aux & COND_NEGATE:
            truth = not truth
        if truth != (aux & 1):
            caller.pc += 1      # skip the jump
    elif kind == K_CONCAT:
        caller.regs[fr.ret_a] = res[0] if res else None
        return concat(L, th, caller, caller.code[caller.pc - 1].a, fr.aux)
    elif kind == K_PCALL:
        place_results(caller, (True,) * len(fr.aux) + tuple(res), fr.ret_a, fr.nresults)
    elif kind == K_CLOSE:
        caller.pc -= 1          # run RETURN/CLOSE again for the remaining variables
    elif kind == K_THEN:        # the host function below finishes with the results
        th.frames.pop()
        return deliver(L, th, caller, caller.aux(L, res))
    return caller


def call_builtin(L, caller: Frame, f: Builtin, args):
    """Run a host function called from ``caller``; errors learn who raised them. An
    async host function (its result is awaitable) parks the thread: ``Park``."""
    return call_host(L, caller, f, (L,) + tuple(args))


def call_host(L, caller: Frame, f: Builtin, argv):
    """``call_builtin`` with the state already in front of the arguments (``argv``
    is ``[L, arg1, ...]``): the CALL instruction builds that list in one slice."""
    fn = f.fn       # a new reference: the function may replace f.fn while it runs
    try:
        res = fn(*argv)
    except ArgError as e:
        err = arg_error(L, caller, f, e)
        err.cfunc = f
        raise err from None
    except LuaError as e:
        if e.cfunc is None and e.traceback is None:
            e.cfunc = f
        raise
    if type(res) is tuple or type(res) is list:
        return res
    if hasattr(res, "__await__"):
        raise Park(res, f)
    return res


def call_builtin_hooked(L, th: LuaThread, caller: Frame, f: Builtin, args):
    """``call_builtin`` with the call and return hooks around it."""
    return hooks.call_builtin_hooked(L, th, f, args, lambda a: call_builtin(L, caller, f, a))


def precall(L, th: LuaThread, f: Any, args, kind: int, ret_a: int, nresults: int,
            aux: Any = None) -> Frame:
    """Call ``f`` from the top frame of ``th`` with the given continuation (``aux`` is
    its data); returns the frame to run next (a new Lua frame, or the caller when
    ``f`` ran to completion)."""
    for _ in range(MAXTAGLOOP):
        tf = type(f)
        if tf is LuaFunction:
            fr = push_lua(L, th, f, args, kind, ret_a, nresults)
            fr.aux = aux
            return fr
        if tf is Builtin:
            caller = th.frames[-1]
            try:
                res = call_builtin(L, caller, f, args)
            except Park as p:
                wait_frame(th, p, kind, ret_a, nresults, aux)
                raise
            if kind == K_CALL:
                place_results(caller, res, ret_a, nresults)
                return caller
            marker = new_frame(f, kind, ret_a, nresults)
            marker.aux = aux
            return deliver(L, th, marker, res)
        if tf is Special:
            if kind == K_CALL:
                return special_call(L, th, f, args, ret_a, nresults)
            if kind == K_PCALL and (f.kind == "pcall" or f.kind == "xpcall"):
                return protected_call(L, th, f, args, ret_a, nresults, aux)
            if f.kind == "yield" and kind != K_PCALL:    # a metamethod that yields
                return yield_(L, th, f, tuple(args), ret_a, nresults, 0, kind, aux)
            caller = th.frames[-1]
            try:
                fn = f.fn
                res = fn(L, *args)
            except ArgError as e:
                raise arg_error(L, caller, f, e) from None
            marker = new_frame(f, kind, ret_a, nresults)
            marker.aux = aux
            return deliver(L, th, marker, res)
        tm = tm_of(L, f, "__call")
        if tm is None:      # a call made by pcall (C) has no position nor name
            raise call_error(None if kind == K_PCALL else th.frames[-1], f)
        args = (f,) + tuple(args)
        f = tm
    raise runtime_error(th.frames[-1], "'__call' chain too long; possible loop")


def protected_call(L, th: LuaThread, f: Special, args, ret_a: int, nresults: int,
                   outer: tuple = ()) -> Frame:
    """pcall/xpcall run by the VM: the callee runs as a frame marked K_PCALL whose
    ``aux`` lists the pcall/xpcall layers around it, outermost first (``pcall(pcall,
    f)`` has two); each layer adds its ``true`` to the results."""
    layers = outer + (f,)
    caller = th.frames[-1]
    try:
        target, rest, handler = _pcall_args(L, None if outer else caller, f, args)
        if type(target) is Special and target.kind == "yield":
            try:
                return yield_(L, th, target, rest, ret_a, nresults, len(layers))
            except LuaError as e:
                place_results(caller, (True,) * len(outer) + (False, e.value), ret_a, nresults)
                return caller
        if type(target) is Builtin or (type(target) is Special
                                       and target.kind not in ("pcall", "xpcall")):
            return pcall_builtin(L, th, layers, target, rest, handler, ret_a, nresults)
        depth = len(th.frames)
        try:
            nxt = precall(L, th, target, rest, K_PCALL, ret_a, nresults, layers)
        except LuaError as e:
            # The call failed before a frame for it existed: caught right here.
            del th.frames[depth:]
            value = e.value if handler is None else L.call_handler(handler, e)
            place_results(caller, (True,) * len(outer) + (False, value), ret_a, nresults)
            return caller
    except LuaError as e:       # bad arguments to an inner layer: the outer one catches
        if not outer:
            raise
        place_results(caller, (True,) * (len(outer) - 1) + (False, e.value), ret_a, nresults)
        return caller
    if nxt is not caller:
        nxt.handler = handler
    return nxt


def _pcall_args(L, caller: Optional[Frame], f: Special, args) -> tuple:
    """(function, its arguments, message handler) of a pcall or xpcall call."""
    if f.kind == "pcall":
        if not args:
            raise arg_error(L, caller, f, ArgError(1, "value expected"))
        return args[0], tuple(args[1:]), None
    if not is_function(args[1] if len(args) > 1 else None):
        raise arg_error(L, caller, f, type_error_arg(2, "function", args))
    return args[0], tuple(args[2:]), args[1]


def pcall_builtin(L, th: LuaThread, layers: tuple, target: Builtin, args: tuple, handler: Any,
                  ret_a: int, nresults: int) -> Frame:
    """pcall of a host function: it runs above a marker standing for pcall itself, so
    its errors carry no position, as when C's pcall calls a C function."""
    caller = th.frames[-1]
    marker = new_frame(layers[-1], K_CMARK)
    push_marker(th, marker)
    parked = None
    try:
        res = (True,) * len(layers) + tuple(call_builtin(L, marker, target, args))
    except Park as p:
        parked = p
    except Exit:
        raise
    except Exception as ex:     # a Lua error, or MemoryError (or a bug): pcall catches it
        e = ex if isinstance(ex, LuaError) else internal_error(ex)
        if type(e) is LuaLimitError:
            raise
        value = e.value if handler is None else L.call_handler(handler, e)
        res = (True,) * (len(layers) - 1) + (False, value)
    finally:
        th.frames.pop()
    if parked is not None:      # the awaited call is the protected one
        wait_frame(th, parked, K_PCALL, ret_a, nresults, layers).handler = handler
        raise parked
    place_results(caller, res, ret_a, nresults)
    return caller


def special_call(L, th: LuaThread, f: Special, args, ret_a: int, nresults: int) -> Frame:
    try:
        return _special_call(L, th, f, args, ret_a, nresults)
    except ArgError as e:
        err = arg_error(L, th.frames[-1], f, e)
        err.cfunc = f
        raise err from None
    except LuaError as e:
        if e.cfunc is None and e.traceback is None:
            e.cfunc = f
        raise


def _special_call(L, th: LuaThread, f: Special, args, ret_a: int, nresults: int) -> Frame:
    kind = f.kind
    if kind == "pcall" or kind == "xpcall":
        return protected_call(L, th, f, args, ret_a, nresults)
    if kind == "resume":
        co = args[0] if args else None
        if type(co) is not LuaThread:
            raise arg_error(L, th.frames[-1], f, type_error_arg(1, "thread", args))
        return resume(L, th, co, tuple(args[1:]), ret_a, nresults, False)
    if kind == "wrap":
        return resume(L, th, f.data, tuple(args), ret_a, nresults, True)
    if kind == "yield":
        if th.hookmask:
            hooks.c_event(L, th, f, "call")
        return yield_(L, th, f, tuple(args), ret_a, nresults)
    if kind == "then_call":     # a host function that ends by calling (dofile, pairs, require)
        target = f.data(L, *args)
        callee, callee_args = target[0], target[1]
        if callee is None:      # nothing to call: these are its results
            caller = th.frames[-1]
            place_results(caller, callee_args, ret_a, nresults)
            return caller
        if len(target) == 2:
            return precall(L, th, callee, callee_args, K_CALL, ret_a, nresults)
        host = new_frame(f, K_CALL, ret_a, nresults)   # it finishes after the call
        host.aux = target[2]
        push_marker(th, host)
        return precall(L, th, callee, callee_args, K_THEN, 0, -1)
    # Only debug.sethook gets here: it may turn hooks on, so always report.
    res = hooks.call_builtin_hooked(L, th, f, args, lambda a: f.fn(L, *a))
    caller = th.frames[-1]
    place_results(caller, res, ret_a, nresults)
    return caller


# ---------------------------------------------------------------- coroutines

def resume(L, th: LuaThread, co: LuaThread, args: tuple, ret_a: int, nresults: int,
           wrap_call: bool) -> Frame:
    """Switch from ``th`` to coroutine ``co`` (lcorolib ``auxresume``)."""
    caller = th.frames[-1]
    if co.status != SUSPENDED:
        msg = ("cannot resume dead coroutine" if co.status == DEAD
               else "cannot resume non-suspended coroutine")
        if wrap_call:
            raise LuaError(where(caller) + msg)
        place_results(caller, (False, msg), ret_a, nresults)
        return caller
    if th.cbase + th.nccalls >= MAX_C_CALLS:       # lua_resume's C-stack check
        if wrap_call:
            raise LuaError(where(caller) + "C stack overflow")
        place_results(caller, (False, "C stack overflow"), ret_a, nresults)
        return caller
    co.cbase = th.cbase + th.nccalls + 1
    th.wait = new_frame(None, K_CALL, ret_a, nresults)
    th.status = NORMAL
    co.resumer = th
    co.resumed_by_wrap = wrap_call
    co.status = RUNNING
    L.current = co
    if not co.frames:
        f, co.func = co.func, None
        try:
            return start_coroutine(L, co, f, args)
        except LuaError as e:
            return fail_coroutine(L, co, e)
    return continue_yielded(L, co, args)


def continue_yielded(L, co: LuaThread, args: tuple) -> Frame:
    """Give a suspended coroutine (now running) the values it was resumed with."""
    if co.hookmask:             # the yield it was suspended in returns
        hooks.c_event(L, co, None, "return")
    return deliver(L, co, co.wait, (True,) * co.wait_layers + tuple(args))


def _trampoline() -> Proto:
    """``function (f, ...) return f(...) end`` assembled by hand: the body of a
    coroutine whose function is not a Lua function, so that body runs as a frame
    (a pcall there can still yield). It shows as a C level, as in C Lua."""
    p = Proto("=[C]")
    p.numparams, p.is_vararg, p.maxstacksize = 1, True, 3
    p.linedefined = p.lastlinedefined = -1
    p.code = [O.create_ABCk(O.OP_VARARGPREP, 1, 0, 0, 0),
              O.create_ABCk(O.OP_MOVE, 1, 0, 0, 0),
              O.create_ABCk(O.OP_VARARG, 2, 0, 0, 0),
              O.create_ABCk(O.OP_CALL, 1, 0, 0, 0),
              O.create_ABCk(O.OP_RETURN, 1, 0, 0, 0)]
    p.lineinfo = [-1] * len(p.code)
    return p


TRAMPOLINE = LuaFunction(_trampoline(), [])


def start_coroutine(L, co: LuaThread, f: Any, args: tuple) -> Frame:
    """Run the body of a fresh coroutine as its base frame."""
    if type(f) is not LuaFunction:
        f, args = TRAMPOLINE, (f,) + tuple(args)
    return push_lua(L, co, f, args, K_COBASE, 0, -1)


def finish_coroutine(L, co: LuaThread, ok: bool, res) -> Frame:
    """``co`` ended (ok: returned ``res``; else failed with value ``res[0]``)."""
    co.status = DEAD
    return switch_to_resumer(L, co, ok, tuple(res))


def fail_coroutine(L, co: LuaThread, e: LuaError) -> Frame:
    co.status = DEAD
    co.error = (e.value, e.cfunc)       # the host function that raised it stays level 0
    if co.resumed_by_wrap:
        res = co.resumer
        co.resumer = None
        if res is None:
            raise e
        L.current = res
        res.status = RUNNING
        v = e.value
        if type(v) is str:
            v = where(res.frames[-1]) + v
        raise LuaError(v, e.traceback)
    return switch_to_resumer(L, co, False, (e.value,))


def switch_to_resumer(L, co: LuaThread, ok: bool, values: tuple) -> Frame:
    res = co.resumer
    co.resumer = None
    if res is None:                       # resumed from host code
        raise Exit((ok,) + values)
    L.current = res
    res.status = RUNNING
    return deliver(L, res, res.wait, values if co.resumed_by_wrap else (ok,) + values)


def yield_(L, th: LuaThread, fn: Special, values: tuple, ret_a: int, nresults: int,
           layers: int = 0, kind: int = K_CALL, aux: Any = None) -> Frame:
    """Suspend ``th``; when resumed, its values go where a call of kind ``kind``
    would have put its results."""
    # Raised by the C function lua_yield: no position.
    if th is L.main or th.is_task:
        raise LuaError("attempt to yield from outside a coroutine")
    if th.nny > 0:
        raise LuaError("attempt to yield across a C-call boundary")
    th.wait = new_frame(fn, kind, ret_a, nresults)     # fn: the yield, a C level meanwhile
    th.wait.aux = aux
    th.wait_layers = layers
    th.status = SUSPENDED
    return switch_to_resumer(L, th, True, values)


# ---------------------------------------------------------------- parking
# An async host function (one whose result is awaitable) parks its Lua thread: the
# call is left on the stack as a frame for the host function (proto None), like a C
# function's CallInfo, and ``Park`` carries the awaitable out of the loop to the
# scheduler (scheduler.py), which later delivers the awaited results to that frame
# (or raises an error in it) and runs on. Nothing of the Lua state lives on the
# Python stack meanwhile, so any number of Lua threads can wait at once.

class Park(Exception):
    """Internal: the running Lua thread waits for ``awaitable`` (None: it only gives
    the event loop a turn, see ``time_slice``)."""

    def __init__(self, awaitable: Any, fn: Any) -> None:
        super().__init__()
        self.awaitable = awaitable
        self.fn = fn                # the host function that returned it
        self.thread: Optional[LuaThread] = None
        self.waiting = False        # a frame for the call is on top of ``thread``


def wait_frame(th: LuaThread, p: Park, kind: int, ret_a: int, nresults: int,
               aux: Any = None) -> Frame:
    """Leave the parked call on ``th`` as a frame whose results go where ``kind`` says."""
    wf = new_frame(p.fn, kind, ret_a, nresults)
    wf.aux = aux
    push_marker(th, wf)
    p.waiting = True
    return wf


def park(L, p: Park) -> tuple:
    """``p`` reached ``run_from``: raise it on to the scheduler if the thread can wait;
    else (a host function such as a sort comparator's caller is on the stack) the
    (frame, error) to go on with: the waiting call fails there."""
    th = L.current
    if p.awaitable is not None and not p.waiting:
        wait_at_call(th, p)     # called by CALL or TFORCALL: the caller's registers
    p.thread = th
    if can_wait(L, th):
        raise p
    if p.awaitable is None:
        return th.frames[-1], None
    return None, cannot_wait(p.awaitable, p.fn)


def wait_at_call(th: LuaThread, p: Park) -> None:
    caller = th.frames[-1]
    ins = caller.code[caller.pc - 1]
    if ins.op == O.OP_TFORCALL:
        wait_frame(th, p, K_CALL, ins.a + 4, ins.c)
    else:
        wait_frame(th, p, K_CALL, ins.a, ins.c - 1)


def can_wait(L, th: LuaThread) -> bool:
    """No host code between ``th`` and the scheduler: neither in the threads that
    resumed it nor below them (a task's or the driven main thread's base)."""
    while th.nny == 0:
        res = th.resumer
        if res is None:
            return th.is_task
        th = res
    return False


def cannot_wait(awaitable: Any, fn: Any) -> LuaError:
    if hasattr(awaitable, "close"):
        awaitable.close()       # never awaited: no warning about it
    err = LuaError("attempt to yield across a C-call boundary "
                   "(an async function called from host code)")
    err.cfunc = fn
    return err


def time_slice(L, th: LuaThread, fr: Frame, pc: int) -> None:
    """The running thread has used up its slice: charge it to the limits (limits.py),
    which may end the script; let the event loop run other work if the scheduler says
    so. Instructions are counted as ``budget`` goes down: a backward jump by the
    instructions of the loop it closes (``loop_span``), a forward jump, a call and a
    return by 1."""
    global budget, granted
    used = granted - budget
    lim = L.limits
    if lim is not None:
        fr.pc = pc
        budget = granted = lim.spent(used, fr)
    else:
        budget = granted = TIME_SLICE
    sched = L.scheduler
    if sched is not None and sched.slice_over():
        fr.pc = pc
        raise Park(None, None)


def reset_slice(grant: int) -> None:
    """Start a fresh slice of ``grant`` instructions (a host call starts)."""
    global budget, granted
    budget = granted = grant


def resume_parked(L, p: Park, values: Any, err: Optional[LuaError]) -> list:
    """Go on with the thread parked by ``p``: the awaited call returns ``values`` (or
    fails with ``err``); returns when the host's call of Lua ends."""
    th = p.thread
    L.current = th
    fr = th.frames[-1]
    if err is not None:
        err = host_error(L, th, p, err)
    elif p.waiting:
        th.frames.pop()
        try:
            fr = deliver(L, th, fr, values)
        except LuaError as e:
            err = e
        except Park as p2:
            fr, err = park(L, p2)
    return run_from(L, fr, err)


def host_error(L, th: LuaThread, p: Park, ex: Exception) -> LuaError:
    """The Lua error for the exception an awaited call raised."""
    if isinstance(ex, LuaError):
        err = ex
    elif isinstance(ex, ArgError):
        err = arg_error(L, th.frames[-2] if len(th.frames) > 1 else None, p.fn, ex)
    else:
        text = str(ex)
        err = LuaError(f"{type(ex).__name__}: {text}" if text else type(ex).__name__)
    return err      # no cfunc: the waiting frame on the stack stands for p.fn


def start_call(L, th: LuaThread, f: Any, args: tuple) -> Frame:
    """Push the frames of a call of ``f`` from host code that the scheduler drives
    (no ``nny``: it may wait): a protected marker, then ``f``'s frame."""
    marker = new_frame(None, K_CMARK)
    marker.aux = PROTECTED
    push_marker(th, marker)
    if type(f) is not LuaFunction:
        f, args = TRAMPOLINE, (f,) + tuple(args)
    return push_lua(L, th, f, args, K_BOUNDARY, 0, -1)


def abandon(L, th: LuaThread, depth: int, err: Any) -> None:
    """A parked call will never go on (its task was cancelled): close its pending
    to-be-closed variables, innermost first, in ``th`` (frames above ``depth``) and
    in the coroutines it was running, which die."""
    chain = []
    while th is not None:
        chain.append(th)
        th = th.resumer
    for t in chain:
        L.current = t
        base = depth if t is chain[-1] else 0
        unwound = t.frames[base:]
        del t.frames[base:]
        for fr in unwound:
            if fr.open_upvals:
                close_upvals(fr, 0)
        pending = [fr for fr in reversed(unwound) if fr.tbc]
        if t is not chain[-1]:
            t.status = DEAD
            t.resumer = None
        err = close_unwound(L, t, pending, err)


# ---------------------------------------------------------------- slow paths

def index_chain(L, fr: Frame, t: Any, key: Any, reg: Optional[int] = None,
                upval: Optional[int] = None):
    """``luaV_finishget``: follow ``__index``; returns (value, None) or
    (None, (handler, obj)) when a function must be called."""
    for loop in range(MAXTAGLOOP):
        if type(t) is LuaTable:
            tab = t
            v = tab.get(key)
            if v is not None:
                return v, None
            mt = tab.meta
            if mt is None:
                return None, None
            tm = mt.hash.get("__index")
            if tm is None:
                return None, None
        else:
            tm = tm_of(L, t, "__index")
            if tm is None:
                if loop == 0:
                    raise type_error(fr, t, "index", reg, upval)
                raise type_error(fr, t, "index")
        if is_function(tm):
            return None, (tm, t)
        t = tm
    raise runtime_error(fr, "'__index' chain too long; possible loop")


def newindex_chain(L, fr: Frame, t: Any, key: Any, val: Any, reg: Optional[int] = None,
                   upval: Optional[int] = None):
    """``luaV_finishset``: follow ``__newindex``; returns None when done or the
    (handler, obj) to call."""
    for loop in range(MAXTAGLOOP):
        if type(t) is LuaTable:
            tab = t
            mt = tab.meta
            tm = None
            if mt is not None and tab.get(key) is None:
                tm = mt.hash.get("__newindex")
            if tm is None:
                try:
                    tab.set(key, val)
                except TableKeyError as e:
                    raise runtime_error(fr, str(e)) from None
                return None
        else:
            tm = tm_of(L, t, "__newindex")
            if tm is None:
                if loop == 0:
                    raise type_error(fr, t, "index", reg, upval)
                raise type_error(fr, t, "index")
        if is_function(tm):
            return tm, t
        t = tm
    raise runtime_error(fr, "'__newindex' chain too long; possible loop")


def get_slow(L, th: LuaThread, fr: Frame, t: Any, key: Any, a: int, reg=None, upval=None):
    """R[a] := t[key] with metamethods; returns the frame to continue with."""
    v, call = index_chain(L, fr, t, key, reg, upval)
    if call is None:
        fr.regs[a] = v
        return fr
    return precall(L, th, call[0], (call[1], key), K_MM, a, 1)


def set_slow(L, th: LuaThread, fr: Frame, t: Any, key: Any, val: Any, reg=None, upval=None):
    call = newindex_chain(L, fr, t, key, val, reg, upval)
    if call is None:
        return fr
    return precall(L, th, call[0], (call[1], key, val), K_DISCARD, 0, 0)


def arith_mm(L, th: LuaThread, fr: Frame, x: Any, y: Any, tm_idx: int, dest: int,
             xreg: Optional[int], yreg: Optional[int]) -> Frame:
    """``luaT_trybinTM``: call the metamethod for an arithmetic/bitwise operation whose
    operands were not numbers, or raise Lua's error."""
    event = TM_NAMES[tm_idx]
    tm = tm_of(L, x, event)
    if tm is None:
        tm = tm_of(L, y, event)
    if tm is not None:
        return precall(L, th, tm, (x, y), K_MM, dest, 1)
    tx, ty = type(x), type(y)
    if tm_idx in _BITWISE_TMS:
        if (tx is int or tx is float) and (ty is int or ty is float):
            if tointeger_ns(x) is None:
                y, yreg = x, xreg
            raise runtime_error(fr, f"number{varinfo(fr, yreg) if yreg is not None else ''}"
                                    f" has no integer representation")
        what = "perform bitwise operation on"
    else:
        what = "perform arithmetic on"
    if not (tx is int or tx is float):      # luaG_opinterror: blame the first non-number
        y, yreg = x, xreg
    raise type_error(fr, y, what, yreg)


def compare_mm(L, th: LuaThread, fr: Frame, x: Any, y: Any, event: str, k: int) -> Frame:
    """Order comparison through ``__lt``/``__le``; the result drives the next jump.
    Without ``__le``, ``a <= b`` is ``not (b < a)`` (LUA_COMPAT_LT_LE, on in Lua 5.4's
    standard build)."""
    tm = tm_of(L, x, event) or tm_of(L, y, event)
    if tm is not None:
        return precall(L, th, tm, (x, y), K_COND, 0, 1, k)
    if event == "__le":
        tm = tm_of(L, y, "__lt") or tm_of(L, x, "__lt")
        if tm is not None:
            return precall(L, th, tm, (y, x), K_COND, 0, 1, k | COND_NEGATE)
    raise order_error(fr, x, y)


def eq_mm(L, th: LuaThread, fr: Frame, x: Any, y: Any, k: int) -> Optional[Frame]:
    """``luaV_equalobj`` for two distinct tables/userdata: returns a new frame when
    ``__eq`` runs as Lua code, else None (and the caller decides from the result in
    ``fr.aux``)."""
    tm = tm_of(L, x, "__eq")
    if tm is None:
        tm = tm_of(L, y, "__eq")
    if tm is None:
        return None
    return precall(L, th, tm, (x, y), K_COND, 0, 1, k)


def concat(L, th: LuaThread, fr: Frame, a: int, total: int) -> Frame:
    """``luaV_concat`` over registers a .. a+total-1, right to left, leaving the result
    in R[a]; a ``__concat`` metamethod runs as a frame that resumes this."""
    regs = fr.regs
    while total > 1:
        top = a + total
        x, y = regs[top - 2], regs[top - 1]
        sy = tolstring(y)
        if sy is None or tolstring(x) is None:
            tm = tm_of(L, x, "__concat")
            if tm is None:
                tm = tm_of(L, y, "__concat")
            if tm is None:
                bad, reg = (y, top - 1) if tolstring(x) is not None else (x, top - 2)
                raise type_error(fr, bad, "concatenate", reg)
            return precall(L, th, tm, (x, y), K_CONCAT, top - 2, 1, total - 1)
        n = 1
        parts = [sy]
        while n < total:
            s = tolstring(regs[top - n - 1])
            if s is None:
                break
            parts.append(s)
            n += 1
        parts.reverse()
        regs[top - n] = "".join(parts)
        total -= n - 1
    return fr


def length_slow(L, th: LuaThread, fr: Frame, v: Any, a: int, b: int) -> Frame:
    tm = tm_of(L, v, "__len")
    if tm is not None:
        return precall(L, th, tm, (v, v), K_MM, a, 1)
    if type(v) is LuaTable:
        fr.regs[a] = v.length()
        return fr
    if type(v) is str:
        fr.regs[a] = len(v)
        return fr
    raise type_error(fr, v, "get length of", b)


def unary_slow(L, th: LuaThread, fr: Frame, op: int, v: Any, a: int, b: int) -> Frame:
    r = arith_raw(op, v, v, fr)
    if r is not None:
        fr.regs[a] = r
        return fr
    return arith_mm(L, th, fr, v, v, OP_TO_TM[op], a, b, b)


def for_prep(fr: Frame, a: int) -> bool:
    """``forprep``: check and normalise a numeric for; False when the loop is skipped."""
    regs = fr.regs
    init, limit, step = regs[a], regs[a + 1], regs[a + 2]
    if type(init) is int and type(step) is int:
        if step == 0:
            raise runtime_error(fr, "'for' step is zero")
        regs[a + 3] = init
        ilimit = for_limit(fr, limit, init, step)
        if ilimit is None:
            return False
        # As forprep: the limit's slot holds the number of iterations left, computed
        # in unsigned arithmetic (so no step can overflow the index).
        if step > 0:
            count = ((ilimit - init) & 0xFFFFFFFFFFFFFFFF) // step
        else:
            count = ((init - ilimit) & 0xFFFFFFFFFFFFFFFF) // (-(step + 1) + 1)
        regs[a + 1] = wrap(count)
        return True
    init = for_number(fr, init, "initial value")
    limit = for_number(fr, limit, "limit")
    step = for_number(fr, step, "step")
    if step == 0:
        raise runtime_error(fr, "'for' step is zero")
    if (step > 0 and not init <= limit) or (step < 0 and not limit <= init):
        return False
    regs[a], regs[a + 1], regs[a + 2], regs[a + 3] = init, limit, step, init
    return True


def for_number(fr: Frame, v: Any, what: str) -> float:
    n = tonumber(v)
    if n is None:
        raise for_error(fr, v, what)
    return float(n)


def for_error(fr: Frame, v: Any, what: str) -> LuaError:
    """``luaG_forerror``."""
    return runtime_error(fr, f"bad 'for' {what} (number expected, got {obj_type_name(v)})")


def for_limit(fr: Frame, limit: Any, init: int, step: int) -> Optional[int]:
    """``forlimit``: an integer loop's limit as an integer (floats floored or ceiled
    towards the loop, out-of-range ones clipped); None when the loop does not run."""
    n = str2number(limit) if type(limit) is str else limit
    if type(n) is int:
        p = n
    elif type(n) is float:
        f = n if n != n or n in (math.inf, -math.inf) else float(
            math.floor(n) if step > 0 else math.ceil(n))
        p = float_to_int(f) if f == f else None
        if p is None:               # NaN or beyond the integers
            if 0 < n:
                if step < 0:
                    return None
                p = MAXINTEGER
            else:
                if step > 0:
                    return None
                p = MININTEGER
    else:
        raise for_error(fr, limit, "limit")
    if (step > 0 and init > p) or (step < 0 and init < p):
        return None
    return p


def make_closure(fr: Frame, p: Proto) -> LuaFunction:
    uvs = []
    for desc in p.upvalues:
        if desc.instack:
            uvs.append(find_upval(fr, desc.idx))
        else:
            uvs.append(fr.upvals[desc.idx])
    return LuaFunction(p, uvs)


def set_list(fr: Frame, a: int, n: int, c: int) -> None:
    regs = fr.regs
    t = regs[a]
    vals = regs[a + 1:a + 1 + n]
    arr = t.arr
    if c == len(arr) and not t.hash:
        arr.extend(vals)
        while arr and arr[-1] is None:
            arr.pop()
        return
    for j, v in enumerate(vals, 1):
        t.set_int(c + j, v)


def close_pending(L, th: LuaThread, fr: Frame, level: int) -> Frame:
    """Call ``__close`` of the newest to-be-closed variable at or above ``level`` as a
    frame, so it may yield; the closing instruction (RETURN or CLOSE) runs again when
    it returns, for the others (lvm.c re-executes it the same way after a yield)."""
    v = fr.regs[fr.tbc.pop()]
    tm = tm_of(L, v, "__close")
    if tm is None:              # metamethod removed after the variable was marked
        raise call_error(fr, tm)
    return precall(L, th, tm, (v, None), K_CLOSE, 0, 0)


def finish_return(L, th: LuaThread, fr: Frame, res, first: int = 0) -> Frame:
    """Pop ``fr`` (closing its upvalues) and deliver its results (which were in its
    registers from ``first``)."""
    if fr.open_upvals:
        close_upvals(fr, 0)
    if th.hookmask:
        hooks.hook_return(L, th, fr, first + 1, len(res))
    pop_frame(th, fr)
    return deliver(L, th, fr, res)


# ---------------------------------------------------------------- errors in flight

def handle_error(L, th: LuaThread, e: LuaError) -> Optional[Frame]:
    """Unwind ``th`` to the innermost protected frame and deliver ``false, err`` there;
    at a K_BOUNDARY frame the error goes on to host code (None is returned); the base
    of a coroutine kills it.
    As in ldo.c, the message handler runs at the error point, and pending to-be-closed
    variables are closed after their frames are gone, each handler getting the error."""
    if type(e) is LuaLimitError:
        return abort(L, th, e)
    frames = th.frames
    target = None
    for fr in reversed(frames):
        if fr.kind in (K_PCALL, K_BOUNDARY, K_COBASE, K_ERRCLOSE):
            target = fr
            break
    if not e.handled:
        handler = message_handler(frames)
        if handler is not None:
            e.value = L.call_handler(handler, e)
            e.handled = True
    if L.tracebacks_wanted and e.traceback is None and (target is None or target.kind == K_BOUNDARY):
        e.traceback = L.traceback(th, None, 1, e.cfunc)
    if target is not None and target.kind == K_COBASE and not th.resumed_by_wrap:
        # A coroutine killed by an error keeps its stack for debug.traceback and
        # coroutine.close, which closes its variables (Lua 5.4 manual 3.3.8).
        return fail_coroutine(L, th, e)
    pending = []
    while frames:
        fr = frames[-1]
        if fr.open_upvals:
            close_upvals(fr, 0)
        pop_frame(th, fr)
        if fr.tbc:
            pending.append(fr)
        if fr is target:
            break
    if target is None or target.kind == K_BOUNDARY:
        if pending:     # on the way to host code: closed right here, no yields
            e.value = close_unwound(L, th, pending, e.value)
        return None
    if target.kind == K_COBASE:         # a wrap: lua_closethread closes its variables
        if pending:
            e.value = close_unwound(L, th, pending, e.value)
        return fail_coroutine(L, th, e)
    if target.kind == K_ERRCLOSE:       # a __close handler failed: its error goes on
        st = target.aux
        st.pending[:0] = pending
        st.err = e.value
        return next_error_close(L, th, st)
    th.in_stack_error = False           # luaD_shrinkstack: the extra room is given back
    if pending:
        marker = new_frame(target.aux[-1], K_CMARK)     # pcall is running the handlers
        push_marker(th, marker)
        return next_error_close(L, th, ErrorClose(pending, e.value, target, marker))
    return pcall_failed(th, target, e.value)


def abort(L, th: LuaThread, e: LuaLimitError) -> None:
    """A limit error (limits.py) goes on to host code whatever protects the frames in
    between: no pcall catches it, no ``__close`` handler runs (no Lua code may run once
    a limit has passed), the coroutines it passes through die."""
    if L.tracebacks_wanted and e.traceback is None:
        e.traceback = L.traceback(th, None, 1, e.cfunc)
    while True:
        frames = th.frames
        fr = None
        while frames:
            fr = frames[-1]
            if fr.open_upvals:
                close_upvals(fr, 0)
            pop_frame(th, fr)
            if fr.kind == K_BOUNDARY or fr.kind == K_COBASE:
                break
        if fr is None or fr.kind != K_COBASE:
            return None
        th.status = DEAD
        res = th.resumer
        th.resumer = None
        if res is None:             # resumed from host code
            return None
        L.current = th = res
        res.status = RUNNING


def pcall_failed(th: LuaThread, target: Frame, err: Any) -> Frame:
    """Deliver ``false, err`` for the pcall whose callee frame was ``target``."""
    caller = th.frames[-1]
    place_results(caller, (True,) * (len(target.aux) - 1) + (False, err),
                  target.ret_a, target.nresults)
    return caller


class ErrorClose:
    """An error caught by a pcall whose pending to-be-closed variables are being
    closed, one handler frame at a time, so that handlers may yield; an error in a
    handler replaces ``err`` for the next ones."""

    __slots__ = ("pending", "err", "target", "marker")

    def __init__(self, pending: list, err: Any, target: Frame, marker: Frame) -> None:
        self.pending = pending      # unwound frames with variables to close, innermost first
        self.err = err
        self.target = target
        self.marker = marker


def next_error_close(L, th: LuaThread, st: ErrorClose) -> Frame:
    """Call the next pending ``__close`` as a K_ERRCLOSE frame, or finish the pcall."""
    while st.pending:
        fr = st.pending[0]
        if not fr.tbc:
            st.pending.pop(0)
            continue
        v = fr.regs[fr.tbc.pop()]
        try:
            tm = tm_of(L, v, "__close")
            if tm is None:
                raise call_error(fr, tm)
            return precall(L, th, tm, (v, st.err), K_ERRCLOSE, 0, 0, st)
        except LuaError as e:       # a host handler failed at once
            if type(e) is LuaLimitError:
                raise
            st.err = e.value
    th.frames.remove(st.marker)
    return pcall_failed(th, st.target, st.err)


def message_handler(frames: list) -> Any:
    """The xpcall handler in charge: that of the innermost protected call, looking
    through host calls that do not protect (lua_call), as ``L->errfunc`` does."""
    for fr in reversed(frames):
        kind = fr.kind
        if kind == K_PCALL:
            return fr.handler
        if kind == K_COBASE or kind == K_ERRCLOSE or (kind == K_CMARK and fr.aux is PROTECTED):
            return None
    return None


def close_unwound(L, th: LuaThread, pending: list, err: Any) -> Any:
    """Close the to-be-closed variables of frames already unwound by an error that
    goes on to host code (each handler gets the error of the previous one)."""
    for fr in pending:
        err = close_tbc(L, fr, 0, err, True)
    return err


def internal_error(ex: BaseException) -> LuaError:
    if isinstance(ex, MemoryError):
        return LuaError("not enough memory")
    if isinstance(ex, RecursionError):
        return LuaError("stack overflow (host recursion)")
    err = LuaError(f"internal error: {type(ex).__name__}: {ex} "
                   f"(this is a pylua bug; please report it)")
    err.__cause__ = ex
    return err


# ---------------------------------------------------------------- the loop

def execute(L, th: LuaThread) -> list:
    """Run ``th``'s top frame until host code gets control back (see module doc)."""
    return run_from(L, th.frames[-1], None)


def run_from(L, fr: Optional[Frame], err: Optional[LuaError]) -> list:
    """Run the current thread from frame ``fr`` (or, with ``err``, from raising that
    error in it) until the call from host code returns. ``Park`` leaves here only
    towards the scheduler, when the waiting thread may wait (see ``park``)."""
    while True:
        if err is not None:
            try:
                fr = unwind(L, err)     # raises the error when it goes on to host code
                err = None
            except Park as p:           # an async __close handler while unwinding
                fr, err = park(L, p)
                continue
        try:
            return _run(L, L.current, fr)
        except Exit as ex:
            return ex.value
        except LuaError as e:
            err = e
        except Park as p:
            fr, err = park(L, p)
        except Exception as ex:     # a bug in pylua: still a Lua error, with a hint
            err = internal_error(ex)


def host_call(L, th: LuaThread, f: Any, args, marker: Optional[Frame]) -> list:
    """Call ``f`` from host code running in ``th`` (``lua_call``): above ``marker``, the
    frame standing for the host function, or right on the running frame (None)."""
    if marker is not None:
        push_marker(th, marker)
    depth = len(th.frames)
    th.nny += 1
    try:
        for _ in range(MAXTAGLOOP):
            tf = type(f)
            if tf is LuaFunction:
                push_lua(L, th, f, args, K_BOUNDARY, 0, -1)
                return execute(L, th)
            if tf is Builtin or tf is Special:
                enter_ccall(th)
                try:
                    fn = f.fn   # a reference of our own: f.fn may change meanwhile
                    res = fn(L, *args)
                    if type(res) is not tuple and type(res) is not list and hasattr(res, "__await__"):
                        raise cannot_wait(res, f)
                    return list(res)
                except ArgError as e:
                    raise arg_error(L, marker, f, e) from None
                finally:
                    th.nccalls -= 1
            tm = tm_of(L, f, "__call")
            if tm is None:
                raise LuaError(f"attempt to call a {obj_type_name(f)} value")
            args = (f,) + tuple(args)
            f = tm
        raise LuaError("'__call' chain too long; possible loop")
    finally:
        th.nny -= 1
        frames = th.frames
        keep = depth - (marker is not None)
        while len(frames) > keep:       # usually just the marker: no slice object
            frames.pop()


def unwind(L, e: LuaError) -> Frame:
    """Handle ``e`` in the running thread; an error raised while unwinding (a
    ``coroutine.wrap`` passing on its coroutine's error) is handled in turn in the
    thread that is then running (its resumer)."""
    while True:
        try:
            fr = handle_error(L, L.current, e)
        except LuaError as again:
            e = again
            continue
        if fr is None:          # on to the host code that called execute()
            raise e
        return fr


def _run(L, th: LuaThread, fr: Frame) -> list:
    """The dispatch loop. The outer loop (re)loads the running frame; every switch of
    frame or thread (call, return, metamethod, resume, yield) breaks out to it."""
    global budget
    gcc = L.gc
    while True:
        if fr is None:      # a function called from host code returned (K_BOUNDARY)
            res = th.results
            th.results = None
            return res
        frames = th.frames
        if not frames or frames[len(frames) - 1] is not fr:    # a thread switch
            th = L.current
        budget -= 1
        if budget <= 0:
            time_slice(L, th, fr, fr.pc)
        code = fr.code
        regs = fr.regs
        upvals = fr.upvals
        pc = fr.pc
        top = fr.top
        hooked = th.hookmask
        if hooked and pc == 0 and not fr.proto.is_vararg:
            hooks.hook_call(L, th, fr)
        while True:
            ins = code[pc]
            op = ins.op; a = ins.a; b = ins.b; c = ins.c; k = ins.k
            pc += 1
            if hooked:
                fr.pc = pc
                hooks.trace_exec(L, th, fr, pc - 1)
                hooked = th.hookmask
            if op <= 19:   # loads, upvalues, tables
                if op == 0:   # MOVE
                    regs[a] = regs[b]
                elif op == 14:   # GETFIELD
                    t = regs[b]
                    if type(t) is LuaTable:
                        tab = t
                        v = tab.hash.get(ins.kc)
                        if v is not None or tab.meta is None:
                            regs[a] = v
                            continue
                    fr.pc = pc
                    nf = get_slow(L, th, fr, t, ins.kc, a, b)
                    if nf is not fr:
                        fr = nf
                        break
                elif op == 11:   # GETTABUP
                    uv = upvals[b]
                    t = uv.regs[uv.idx]
                    if type(t) is LuaTable:
                        tab = t
                        v = tab.hash.get(ins.kc)
                        if v is not None or tab.meta is None:
                            regs[a] = v
                            continue
                    fr.pc = pc
                    nf = get_slow(L, th, fr, t, ins.kc, a, None, b)
                    if nf is not fr:
                        fr = nf
                        break
                elif op == 3:   # LOADK
                    regs[a] = ins.kb
                elif op == 1:   # LOADI
                    regs[a] = ins.kb
                elif op == 15:   # SETTABUP
                    uv = upvals[a]
                    t = uv.regs[uv.idx]
                    v = ins.kc if k else regs[c]
                    if type(t) is LuaTable:
                        tab = t
                        if tab.meta is None or tab.hash.get(ins.kb) is not None:
                            tab.set_str(ins.kb, v)
                            continue
                    fr.pc = pc
                    nf = set_slow(L, th, fr, t, ins.kb, v, None, a)
                    if nf is not fr:
                        fr = nf
                        break
                elif op == 18:   # SETFIELD
                    t = regs[a]
                    v = ins.kc if k else regs[c]
                    if type(t) is LuaTable:
                        tab = t
                        if tab.meta is None or tab.hash.get(ins.kb) is not None:
                            tab.set_str(ins.kb, v)
                            continue
                    fr.pc = pc
                    nf = set_slow(L, th, fr, t, ins.kb, v, a)
                    if nf is not fr:
                        fr = nf
                        break
                elif op == 9:   # GETUPVAL
                    uv = upvals[b]
                    regs[a] = uv.regs[uv.idx]
                elif op == 12:   # GETTABLE
                    t = regs[b]
                    key = regs[c]
                    if type(t) is LuaTable:
                        tab = t
                        if type(key) is int:
                            arr = tab.arr
                            v = arr[key - 1] if 0 < key <= len(arr) else tab.hash.get(key)
                        else:
                            v = tab.get(key)
                        if v is not None or tab.meta is None:
                            regs[a] = v
                            continue
                    fr.pc = pc
                    nf = get_slow(L, th, fr, t, key, a, b)
                    if nf is not fr:
                        fr = nf
                        break
                elif op == 13:   # GETI
                    t = regs[b]
                    if type(t) is LuaTable:
                        tab = t
                        arr = tab.arr
                        v = arr[c - 1] if 0 < c <= len(arr) else tab.hash.get(ins.kc)
                        if v is not None or tab.meta is None:
                            regs[a] = v
                            continue
                    fr.pc = pc
                    nf = get_slow(L, th, fr, t, ins.kc, a, b)
                    if nf is not fr:
                        fr = nf
                        break
                elif op == 16 or op == 17:   # SETTABLE, SETI
                    t = regs[a]
                    key = regs[b] if op == 16 else ins.kb
                    v = ins.kc if k else regs[c]
                    if type(t) is LuaTable:
                        tab = t
                        if tab.meta is None or tab.get(key) is not None:
                            if type(key) is int:
                                tab.set_int(key, v)
                            else:
                                try:
                                    tab.set(key, v)
                                except TableKeyError as e:
                                    fr.pc = pc
                                    raise runtime_error(fr, str(e)) from None
                            continue
                    fr.pc = pc
                    nf = set_slow(L, th, fr, t, key, v, a)
                    if nf is not fr:
                        fr = nf
                        break
                elif op == 19:   # NEWTABLE
                    regs[a] = LuaTable()
                    pc += 1     # skip EXTRAARG
                    gcc.debt += TABLE_BYTES
                    if gcc.debt >= gcc.threshold:
                        fr.pc = pc
                        gcc.allocated(0, fr, a + 1)
                elif op == 7:   # LOADTRUE
                    regs[a] = True
                elif op == 5:   # LOADFALSE
                    regs[a] = False
                elif op == 6:   # LFALSESKIP
                    regs[a] = False
                    pc += 1
                elif op == 8:   # LOADNIL
                    for j in range(a, a + b + 1):
                        regs[j] = None
                elif op == 2:   # LOADF
                    regs[a] = ins.kb
                elif op == 4:   # LOADKX
                    regs[a] = ins.kb
                    pc += 1
                elif op == 10:   # SETUPVAL
                    uv = upvals[b]
                    uv.regs[uv.idx] = regs[a]
            elif op <= 53:   # SELF, arithmetic, metamethods, unary, concat
                if op == 34:   # ADD
                    x = regs[b]; y = regs[c]
                    tx = type(x); ty = type(y)
                    if tx is int and ty is int:
                        r = x + y
                        regs[a] = r if MININTEGER <= r <= MAXINTEGER else wrap(r)
                        pc += 1
                    elif (tx is float or tx is int) and (ty is float or ty is int):
                        # as C doubles: Cython's object addition answers int 0 + float
                        # with the float itself, so 0 + -0.0 would be -0.0
                        xf = x; yf = y
                        regs[a] = xf + yf
                        pc += 1
                elif op == 21:   # ADDI
                    x = regs[b]
                    tx = type(x)
                    if tx is int:
                        xi = x; yi = c      # c: the immediate
                        ri = xi + yi
                        regs[a] = ri if INT_MIN <= ri <= INT_MAX else wrap(ri)
                        pc += 1
                    elif tx is float:
                        xf = x
                        regs[a] = xf + c    # a C double (-0.0 + 0 is 0.0, see ADD)
                        pc += 1
                elif op == 20:   # SELF
                    obj = regs[b]
                    key = ins.kc if k else regs[c]
                    regs[a + 1] = obj
                    if type(obj) is LuaTable:
                        tab = obj
                        v = tab.get(key)
                        if v is not None or tab.meta is None:
                            regs[a] = v
                            continue
                        idx = tab.meta.hash.get("__index")      # the object's class
                    elif type(obj) is str and L.string_meta is not None:
                        idx = L.string_meta.hash.get("__index")
                    else:
                        idx = None
                    if type(idx) is LuaTable:
                        tab = idx
                        v = tab.get(key)
                        if v is not None or tab.meta is None:
                            regs[a] = v
                            continue
                    fr.pc = pc
                    nf = get_slow(L, th, fr, obj, key, a, b)
                    if nf is not fr:
                        fr = nf
                        break
                elif 22 <= op <= 45 and (op <= 31 or op >= 35):
                    # SUB .. SHR on registers; ADDK .. BXORK with a constant number, as
                    # aop, the register form's opcode: 34 ADD, 35 SUB, 36 MUL, 37 MOD,
                    # 39 DIV, 40 IDIV, 41 BAND, 42 BOR, 43 BXOR
                    x = regs[b]
                    if op >= 35:
                        y = regs[c]
                        aop = op
                    else:
                        y = ins.kc
                        aop = op + 12
                    tx = type(x); ty = type(y)
                    if tx is float and ty is float and (aop <= 36 or aop == 39 and y != 0.0):
                        xf = x; yf = y      # C doubles in the compiled VM
                        regs[a] = (xf + yf if aop == 34 else xf - yf if aop == 35
                                   else xf * yf if aop == 36 else xf / yf)
                        pc += 1
                    elif tx is int and ty is int and (aop <= 36 or aop >= 41 and aop <= 43
                                                      or (aop == 37 or aop == 40) and y != 0):
                        # C long longs in the compiled VM, which wrap around like Lua's
                        # integers (-fwrapv); as Python ints, ``wrap`` does it
                        xi = x; yi = y
                        if aop <= 36:
                            ri = xi + yi if aop == 34 else xi - yi if aop == 35 else xi * yi
                        elif aop == 37:
                            ri = xi % yi if yi != -1 else 0     # C's % traps on MIN % -1
                        elif aop == 40:
                            ri = xi // yi if yi != -1 else 0 - xi
                        else:
                            ri = xi & yi if aop == 41 else xi | yi if aop == 42 else xi ^ yi
                        regs[a] = ri if INT_MIN <= ri <= INT_MAX else wrap(ri)
                        pc += 1
                    elif (tx is int or tx is float) and (ty is int or ty is float) or aop >= 41:
                        fr.pc = pc
                        r = arith_raw(aop, x, y, fr)
                        if r is not None:
                            regs[a] = r
                            pc += 1
                elif op == 32:   # SHRI
                    x = regs[b]
                    ix = x if type(x) is int else tointeger_ns(x)
                    if ix is not None:
                        regs[a] = shift_left(ix, -c)
                        pc += 1
                elif op == 33:   # SHLI
                    x = regs[b]
                    ix = x if type(x) is int else tointeger_ns(x)
                    if ix is not None:
                        regs[a] = shift_left(ins.kc, ix)
                        pc += 1
                elif op == 46:   # MMBIN
                    fr.pc = pc
                    dest = code[pc - 2].a
                    nf = arith_mm(L, th, fr, regs[a], regs[b], c, dest, a, b)
                    if nf is not fr:
                        fr = nf
                        break
                elif op == 47 or op == 48:   # MMBINI, MMBINK
                    fr.pc = pc
                    dest = code[pc - 2].a
                    x = regs[a]
                    if k:
                        nf = arith_mm(L, th, fr, ins.kb, x, c, dest, None, a)
                    else:
                        nf = arith_mm(L, th, fr, x, ins.kb, c, dest, a, None)
                    if nf is not fr:
                        fr = nf
                        break
                elif op == 52:   # LEN
                    v = regs[b]
                    if type(v) is str:
                        regs[a] = len(v)
                    elif type(v) is LuaTable and v.meta is None:
                        tab = v
                        regs[a] = len(tab.arr) or tab.length()
                    else:
                        fr.pc = pc
                        nf = length_slow(L, th, fr, v, a, b)
                        if nf is not fr:
                            fr = nf
                            break
                elif op == 53:   # CONCAT
                    fr.pc = pc
                    vals = regs[a:a + b]
                    n = STRING_HEADER
                    for v in vals:
                        if type(v) is not str:
                            n = -1
                            break
                        n += len(v)
                    if n >= 0:      # strings only: charged before the join (it may not fit)
                        if gcc.debt + n < gcc.threshold:
                            gcc.debt += n
                        else:
                            gcc.allocated(n, fr, a + b)
                        regs[a] = "".join(vals)
                    else:
                        nf = concat(L, th, fr, a, b)
                        if nf is not fr:
                            fr = nf
                            break
                        v = regs[a]
                        n = len(v) + STRING_HEADER if type(v) is str else STRING_HEADER
                        if gcc.debt + n < gcc.threshold:
                            gcc.debt += n
                        else:
                            gcc.allocated(n, fr, a + 1)
                elif op == 51:   # NOT
                    v = regs[b]
                    regs[a] = v is None or v is False
                elif op == 49 or op == 50:   # UNM, BNOT
                    v = regs[b]
                    if op == 49 and type(v) is int:
                        regs[a] = -v if v != MININTEGER else v
                    elif op == 49 and type(v) is float:
                        regs[a] = -v
                    else:
                        fr.pc = pc
                        nf = unary_slow(L, th, fr, op, v, a, b)
                        if nf is not fr:
                            fr = nf
                            break
            elif op <= 69:   # CLOSE, TBC, jumps, comparisons, tests, calls
                if op == 68:   # CALL
                    f = regs[a]
                    nargs = b - 1 if b else top - a - 1
                    fr.pc = pc
                    if type(f) is LuaFunction:
                        fr = enter_lua(L, th, f, regs, a + 1, nargs, K_CALL, a, c - 1)
                        break
                    if type(f) is Builtin:
                        if hooked:
                            res = call_builtin_hooked(L, th, fr, f, regs[a + 1:a + 1 + nargs])
                        else:
                            args = regs[a:a + 1 + nargs]
                            args[0] = L
                            res = call_host(L, fr, f, args)
                        want = c - 1
                        if want == 1:
                            regs[a] = res[0] if res else None
                        elif want == 0:
                            pass
                        else:
                            place_results(fr, res, a, want)
                            if want < 0:
                                top = fr.top
                        continue
                    nf = precall(L, th, f, regs[a + 1:a + 1 + nargs], K_CALL, a, c - 1)
                    fr = nf
                    break
                elif op == 56:   # JMP
                    pc = b
                    budget -= c
                    if budget <= 0:
                        time_slice(L, th, fr, pc)
                elif op == 66:   # TEST
                    v = regs[a]
                    if (v is None or v is False) == k:
                        pc += 1
                elif op == 57 or op == 58 or op == 59:   # EQ, LT, LE
                    x = regs[a]; y = regs[b]
                    tx = type(x); ty = type(y)
                    if op == 57:
                        if tx is ty:
                            if (tx is LuaTable or tx is Userdata) and x is not y:
                                fr.pc = pc
                                nf = eq_mm(L, th, fr, x, y, k)
                                if nf is not None:      # __eq decided (the jump is done)
                                    fr = nf
                                    break
                                cond = False
                            else:
                                cond = x == y
                        elif (tx is int and ty is float) or (tx is float and ty is int):
                            cond = x == y
                        else:
                            cond = False
                    else:
                        if tx is int and ty is int:
                            xi = x; yi = y
                            cond = xi < yi if op == 58 else xi <= yi
                        elif (tx is int or tx is float) and (ty is int or ty is float) or (tx is str and ty is str):
                            cond = x < y if op == 58 else x <= y
                        else:
                            fr.pc = pc
                            fr = compare_mm(L, th, fr, x, y, "__lt" if op == 58 else "__le", k)
                            break
                    if cond != k:
                        pc += 1
                elif op == 60:   # EQK
                    x = regs[a]
                    tx = type(x); ty = type(ins.kb)
                    if tx is ty or (tx is int and ty is float) or (tx is float and ty is int):
                        cond = x == ins.kb
                    else:
                        cond = False
                    if cond != k:
                        pc += 1
                elif op == 61:   # EQI
                    x = regs[a]
                    tx = type(x)
                    cond = (tx is int or tx is float) and x == ins.kb
                    if cond != k:
                        pc += 1
                elif op >= 62 and op <= 65:   # LTI, LEI, GTI, GEI
                    x = regs[a]
                    tx = type(x)
                    if tx is int:       # b: the immediate, as an integer
                        xi = x; yi = b
                        cond = (xi < yi if op == 62 else xi <= yi if op == 63
                                else xi > yi if op == 64 else xi >= yi)
                        if cond != k:
                            pc += 1
                    elif tx is float:
                        if op == 62:
                            cond = x < ins.kb
                        elif op == 63:
                            cond = x <= ins.kb
                        elif op == 64:
                            cond = x > ins.kb
                        else:
                            cond = x >= ins.kb
                        if cond != k:
                            pc += 1
                    else:
                        fr.pc = pc
                        if op <= 63:
                            fr = compare_mm(L, th, fr, x, ins.kb, "__lt" if op == 62 else "__le", k)
                        else:
                            fr = compare_mm(L, th, fr, ins.kb, x, "__lt" if op == 64 else "__le", k)
                        break
                elif op == 67:   # TESTSET
                    v = regs[b]
                    if (v is None or v is False) == k:
                        pc += 1
                    else:
                        regs[a] = v
                elif op == 54:   # CLOSE
                    fr.pc = pc
                    if fr.open_upvals:
                        close_upvals(fr, a)
                    if fr.tbc and fr.tbc[-1] >= a:
                        fr.top = top
                        fr = close_pending(L, th, fr, a)
                        break
                elif op == 55:   # TBC
                    fr.pc = pc
                    mark_tbc(L, fr, a)
                elif op == 69:   # TAILCALL
                    f = regs[a]
                    nargs = b - 1 if b else top - a - 1
                    fr.pc = pc
                    if type(f) is LuaFunction:
                        if fr.open_upvals:
                            close_upvals(fr, 0)
                        pop_frame(th, fr)
                        nf = enter_lua(L, th, f, regs, a + 1, nargs, fr.kind, fr.ret_a, fr.nresults)
                        nf.aux, nf.handler, nf.tailcall = fr.aux, fr.handler, True
                        if not hooked:
                            release_frame(fr)
                        fr = nf
                        break
                    args = regs[a + 1:a + 1 + nargs]
                    # Anything else is called normally; the 'RETURN A 0' that the compiler
                    # always emits after TAILCALL returns its results.
                    nf = precall(L, th, f, args, K_CALL, a, -1)
                    fr = nf
                    break
            else:   # returns, loops, SETLIST, closures, varargs
                if op == 73:   # FORLOOP
                    step = regs[a + 2]
                    if type(step) is int:
                        xi = regs[a + 1]    # iterations left (unsigned in C Lua)
                        if xi:
                            ri = xi - 1
                            regs[a + 1] = ri if INT_MIN <= ri <= INT_MAX else wrap(ri)
                            xi = regs[a]; yi = step
                            ri = xi + yi
                            i = ri
                            regs[a] = i
                            regs[a + 3] = i
                            pc = b
                    else:
                        i = regs[a] + step
                        if (i <= regs[a + 1]) if step > 0 else (i >= regs[a + 1]):
                            regs[a] = i
                            regs[a + 3] = i
                            pc = b
                    budget -= c
                    if budget <= 0:
                        time_slice(L, th, fr, pc)
                elif op == 72:   # RETURN1
                    v = regs[a]
                    if fr.open_upvals or fr.tbc or hooked:
                        fr.pc = pc
                        nf = finish_return(L, th, fr, (v,), a)
                    else:
                        pop_frame(th, fr)
                        if fr.kind == K_CALL:
                            nf = th.frames[-1]
                            want = fr.nresults
                            if want == 1:
                                nf.regs[fr.ret_a] = v
                            else:
                                place_results(nf, (v,), fr.ret_a, want)
                            release_frame(fr)
                        else:
                            nf = deliver(L, th, fr, (v,))
                            if fr.kind == K_BOUNDARY:
                                release_frame(fr)
                    fr = nf
                    break
                elif op == 71:   # RETURN0
                    if fr.open_upvals or fr.tbc or hooked:
                        fr.pc = pc
                        nf = finish_return(L, th, fr, (), a)
                    else:
                        pop_frame(th, fr)
                        if fr.kind == K_CALL:
                            nf = th.frames[-1]
                            if fr.nresults:
                                place_results(nf, (), fr.ret_a, fr.nresults)
                            release_frame(fr)
                        else:
                            nf = deliver(L, th, fr, ())
                            if fr.kind == K_BOUNDARY:
                                release_frame(fr)
                    fr = nf
                    break
                elif op == 70:   # RETURN
                    if fr.tbc:      # close pending variables first, one frame each
                        fr.pc = pc
                        fr.top = top
                        fr = close_pending(L, th, fr, 0)
                        break
                    n = b - 1 if b else top - a
                    res = regs[a:a + n]
                    fr.pc = pc
                    nf = finish_return(L, th, fr, res, a)
                    if (fr.kind == K_CALL or fr.kind == K_BOUNDARY) and not th.hookmask:
                        release_frame(fr)
                    fr = nf
                    break
                elif op == 74:   # FORPREP
                    fr.pc = pc
                    if not for_prep(fr, a):
                        pc = b
                elif op == 75:   # TFORPREP
                    if regs[a + 3] is not None:
                        fr.pc = pc
                        mark_tbc(L, fr, a + 3)
                    pc = b
                elif op == 76:   # TFORCALL
                    f = regs[a]
                    fr.pc = pc
                    if type(f) is Builtin:
                        place_results(fr, call_host(L, fr, f, (L, regs[a + 1], regs[a + 2])), a + 4, c)
                    else:
                        nf = precall(L, th, f, (regs[a + 1], regs[a + 2]), K_CALL, a + 4, c)
                        fr = nf
                        break
                elif op == 77:   # TFORLOOP
                    v = regs[a + 4]
                    if v is not None:
                        regs[a + 2] = v
                        pc = b
                        budget -= c
                        if budget <= 0:
                            time_slice(L, th, fr, pc)
                elif op == 78:   # SETLIST
                    n = b if b else top - a - 1
                    set_list(fr, a, n, c)
                    if k:
                        pc += 1
                elif op == 79:   # CLOSURE
                    regs[a] = make_closure(fr, ins.kb)
                    gcc.debt += CLOSURE_BYTES
                    if gcc.debt >= gcc.threshold:
                        fr.pc = pc
                        gcc.allocated(0, fr, a + 1)
                elif op == 80:   # VARARG
                    va = fr.varargs
                    if c == 0:
                        n = len(va)
                        regs[a:a + n] = va
                        top = a + n
                    else:
                        n = c - 1
                        nv = len(va)
                        for j in range(n):
                            regs[a + j] = va[j] if j < nv else None
                elif op == 81:   # VARARGPREP
                    if hooked:      # vararg functions report their call here
                        fr.pc = pc
                        hooks.hook_call(L, th, fr)
                        th.oldpc = 1
                elif op == 82:   # EXTRAARG
                    pass
                else:
                    raise LuaError(f"internal error: bad opcode {op}")
