"""Code generator for Lua 5.4 (a port of lcode.c).

``FuncState`` holds the function being compiled and emits its instructions;
``ExpDesc`` is lparser.h's ``expdesc``: an expression whose code is not (fully)
generated yet. The parser side (``compiler.py``) drives these functions in the
same order as lparser.c, so the bytecode is the one ``luac`` produces.
"""
from __future__ import annotations

from typing import Optional

from . import number
from .errors import LuaSyntaxError
from .opcodes import (
    MAXARG_B, MAXARG_Bx, MAXARG_C, MAXARG_Ax, MAXARG_sJ, MAXINDEXRK, NO_REG,
    OFFSET_sBx, OFFSET_sC, OFFSET_sJ, TESTT_MODE, create_ABCk, create_ABx, create_Ax,
    create_sJ, get_op, getarg_A, getarg_B, getarg_k, getarg_sJ, setarg_A,
    setarg_B, setarg_C, setarg_k, setarg_sJ, set_op,
    OP_ADD, OP_ADDI, OP_ADDK, OP_CONCAT, OP_EQ, OP_EQI, OP_EQK, OP_EXTRAARG, OP_GETFIELD,
    OP_GETI, OP_GETTABLE, OP_GETTABUP, OP_GETUPVAL, OP_GTI, OP_JMP, OP_LFALSESKIP,
    OP_LOADF, OP_LOADFALSE, OP_LOADI, OP_LOADK, OP_LOADKX, OP_LOADNIL, OP_LOADTRUE, OP_LT,
    OP_LTI, OP_MMBIN, OP_MMBINI, OP_MMBINK, OP_MOVE, OP_NEWTABLE, OP_NOT, OP_RETURN,
    OP_RETURN0, OP_RETURN1, OP_SELF, OP_SETFIELD, OP_SETI, OP_SETLIST, OP_SETTABLE,
    OP_SETTABUP, OP_SETUPVAL, OP_SHLI, OP_SHRI, OP_TAILCALL, OP_TEST, OP_TESTSET, OP_UNM,
)
from .proto import Proto

# expression kinds (lparser.h expkind)
(VVOID, VNIL, VTRUE, VFALSE, VK, VKFLT, VKINT, VKSTR, VNONRELOC, VLOCAL, VUPVAL, VCONST,
 VINDEXED, VINDEXUP, VINDEXI, VINDEXSTR, VJMP, VRELOC, VCALL, VVARARG) = range(20)

# binary operators, ORDER OPR (lcode.h)
(OPR_ADD, OPR_SUB, OPR_MUL, OPR_MOD, OPR_POW, OPR_DIV, OPR_IDIV, OPR_BAND, OPR_BOR,
 OPR_BXOR, OPR_SHL, OPR_SHR, OPR_CONCAT, OPR_EQ, OPR_LT, OPR_LE, OPR_NE, OPR_GT, OPR_GE,
 OPR_AND, OPR_OR) = range(21)
# unary operators
OPR_MINUS, OPR_BNOT, OPR_NOT, OPR_LEN = range(4)

# tag methods used by MMBIN* (ltm.h, ORDER TM)
TM_ADD, TM_SUB, TM_MUL, TM_MOD, TM_POW, TM_DIV, TM_IDIV = 6, 7, 8, 9, 10, 11, 12
TM_SHL, TM_SHR = 16, 17

# arithmetic operations for folding (lua.h LUA_OPADD ... LUA_OPBNOT)
LUA_OPUNM = 12

NO_JUMP = -1
MAXREGS = 255
LUA_MULTRET = -1
MAXSHORTLEN = 40          # LUAI_MAXSHORTLEN: longer strings are not 'Kstr' keys
_INVALID_INSTRUCTION = 0xFFFFFFFF
_NIL_KEY = object()
_RETURNS = frozenset((OP_RETURN, OP_RETURN0, OP_RETURN1, OP_TAILCALL))       # stands for the scanner table that keys nil in 'addk'


def hasmultret(k: int) -> bool:
    return k == VCALL or k == VVARARG


class ExpDesc:
    """``expdesc``: ``info`` is the register/pc/constant index, ``val`` the literal value
    of VKINT/VKFLT/VKSTR, ``ind_t``/``ind_idx`` the table and key of indexed kinds,
    ``ridx``/``vidx`` the register and compiler index of a local, ``t``/``f`` the
    'exit when true'/'exit when false' jump lists."""

    __slots__ = ("k", "info", "val", "ind_t", "ind_idx", "ridx", "vidx", "t", "f")

    def __init__(self, k: int = VVOID, info: int = 0) -> None:
        self.k = k
        self.info = info
        self.val = None
        self.ind_t = 0
        self.ind_idx = 0
        self.ridx = 0
        self.vidx = 0
        self.t = NO_JUMP
        self.f = NO_JUMP

    def init(self, k: int, info: int) -> None:
        self.k = k
        self.info = info
        self.t = self.f = NO_JUMP

    def copy(self) -> "ExpDesc":
        e = ExpDesc.__new__(ExpDesc)
        e.set_from(self)
        return e

    def set_from(self, o: "ExpDesc") -> None:
        self.k = o.k
        self.info = o.info
        self.val = o.val
        self.ind_t = o.ind_t
        self.ind_idx = o.ind_idx
        self.ridx = o.ridx
        self.vidx = o.vidx
        self.t = o.t
        self.f = o.f


def growvector_error(what: str, limit: int) -> LuaSyntaxError:
    """``luaM_growvector``'s overflow error: a run-time error raised while ``load`` (a C
    function) runs, so it carries no position."""
    return LuaSyntaxError(f"too many {what} (limit is {limit})")


def swapexps(e1: ExpDesc, e2: ExpDesc) -> None:
    tmp = e1.copy()
    e1.set_from(e2)
    e2.set_from(tmp)


def tonumeral(e: ExpDesc) -> bool:
    return (e.k == VKINT or e.k == VKFLT) and e.t == e.f


def fitsC(i: int) -> bool:
    return 0 <= i + OFFSET_sC <= MAXARG_C


def fitsBx(i: int) -> bool:
    return -OFFSET_sBx <= i <= MAXARG_Bx - OFFSET_sBx


def _rawarith(op: int, v1, v2):
    """``luaO_rawarith`` for operands already known valid (see ``validop``)."""
    if op in (7, 8, 9, 10, 11, 13):           # bitwise: work on integers
        i1 = v1 if type(v1) is int else number.float_to_int(v1)
        i2 = v2 if type(v2) is int else number.float_to_int(v2)
        if op == 7:
            return i1 & i2
        if op == 8:
            return i1 | i2
        if op == 9:
            return i1 ^ i2
        if op == 10:
            return number.shift_left(i1, i2)
        if op == 11:
            return number.shift_left(i1, number.wrap(-i2))
        return ~i1
    if op != 4 and op != 5 and type(v1) is int and type(v2) is int:
        if op == 0:
            return number.wrap(v1 + v2)
        if op == 1:
            return number.wrap(v1 - v2)
        if op == 2:
            return number.wrap(v1 * v2)
        if op == 3:
            return number.mod_int(v1, v2)
        if op == 6:
            return number.idiv_int(v1, v2)
        return number.wrap(-v1)            # OPUNM
    f1, f2 = float(v1), float(v2)
    if op == 0:
        return f1 + f2
    if op == 1:
        return f1 - f2
    if op == 2:
        return f1 * f2
    if op == 3:
        return number.mod_float(f1, f2)
    if op == 4:
        return f1 * f1 if f2 == 2 else number.pow_float(f1, f2)
    if op == 5:
        return number.div_float(f1, f2)
    if op == 6:
        return number.idiv_float(f1, f2)
    return -f1


def _validop(op: int, v1, v2) -> bool:
    """False if folding could raise an error (conversion or division by zero)."""
    if op in (7, 8, 9, 10, 11, 13):
        return ((type(v1) is int or number.float_to_int(v1) is not None)
                and (type(v2) is int or number.float_to_int(v2) is not None))
    if op in (5, 6, 3):
        return v2 != 0
    return True


class BlockCnt:
    """Nodes of the list of active blocks (lparser.c ``BlockCnt``)."""

    __slots__ = ("previous", "firstlabel", "firstgoto", "nactvar", "upval", "isloop",
                 "insidetbc")


class FuncState:
    """State of the function being compiled (lparser.h ``FuncState``) plus the
    instruction emitters of lcode.c."""

    def __init__(self, ls, f: Proto, prev: Optional["FuncState"]) -> None:
        self.f = f
        self.prev = prev
        self.ls = ls
        self.bl: Optional[BlockCnt] = None
        self.code = f.code
        self.lineinfo = f.lineinfo
        self.k = f.k
        self.lasttarget = 0
        self.firstlocal = ls.nvars
        self.firstlabel = len(ls.labels)
        self.nactvar = 0
        self.nvarstack = 0        # luaY_nvarstack, kept up to date by the parser side
        self.freereg = 0
        self.needclose = False

    # ------------------------------------------------------------ errors

    def error(self, msg: str) -> LuaSyntaxError:
        """A compile error at the current line (``luaX_syntaxerror``)."""
        return self.ls.semerror(msg)

    # ------------------------------------------------------------ emitting

    def pc(self) -> int:
        return len(self.code)

    def code_instr(self, i: int) -> int:
        self.code.append(i)
        self.lineinfo.append(self.ls.lastline)
        return len(self.code) - 1

    def codeABCk(self, o: int, a: int, b: int, c: int, k: int) -> int:
        return self.code_instr(create_ABCk(o, a, b, c, k))

    def codeABC(self, o: int, a: int, b: int, c: int) -> int:
        return self.code_instr(create_ABCk(o, a, b, c, 0))

    def codeABx(self, o: int, a: int, bx: int) -> int:
        return self.code_instr(create_ABx(o, a, bx))

    def codeAsBx(self, o: int, a: int, sbx: int) -> int:
        return self.code_instr(create_ABx(o, a, sbx + OFFSET_sBx))

    def codeextraarg(self, a: int) -> int:
        return self.code_instr(create_Ax(OP_EXTRAARG, a))

    def codek(self, reg: int, k: int) -> int:
        if k <= MAXARG_Bx:
            return self.codeABx(OP_LOADK, reg, k)
        p = self.codeABx(OP_LOADKX, reg, 0)
        self.codeextraarg(k)
        return p

    def fixline(self, line: int) -> None:
        self.lineinfo[-1] = line

    def removelastinstruction(self) -> None:
        self.code.pop()
        self.lineinfo.pop()

    def previousinstruction(self) -> int:
        if len(self.code) > self.lasttarget:
            return self.code[-1]
        return _INVALID_INSTRUCTION

    def getlabel(self) -> int:
        self.lasttarget = len(self.code)
        return self.lasttarget

    # ------------------------------------------------------------ registers

    def checkstack(self, n: int) -> None:
        newstack = self.freereg + n
        if newstack > self.f.maxstacksize:
            if newstack >= MAXREGS:
                raise self.error("function or expression needs too many registers")
            self.f.maxstacksize = newstack

    def reserveregs(self, n: int) -> None:
        self.checkstack(n)
        self.freereg += n

    def freereg_(self, reg: int) -> None:
        if reg >= self.nvarstack:
            self.freereg -= 1

    def freeregs(self, r1: int, r2: int) -> None:
        if r1 > r2:
            self.freereg_(r1)
            self.freereg_(r2)
        else:
            self.freereg_(r2)
            self.freereg_(r1)

    def freeexp(self, e: ExpDesc) -> None:
        if e.k == VNONRELOC:
            self.freereg_(e.info)

    def freeexps(self, e1: ExpDesc, e2: ExpDesc) -> None:
        r1 = e1.info if e1.k == VNONRELOC else -1
        r2 = e2.info if e2.k == VNONRELOC else -1
        self.freeregs(r1, r2)

    # ------------------------------------------------------------ constants

    def addk(self, key, v) -> int:
        cache = self.ls.kcache
        k = cache.get(key)
        ks = self.k
        if k is not None and k < len(ks):
            old = ks[k]
            if type(old) is type(v) and old == v:
                return k
        k = len(ks)
        if k >= MAXARG_Ax:
            raise growvector_error("constants", MAXARG_Ax)
        cache[key] = k
        ks.append(v)
        return k

    def stringK(self, s: str) -> int:
        # luaX_newstring interns every string of a chunk: equal literals are one object.
        s = self.ls.strings.setdefault(s, s)
        return self.addk(s, s)

    def intK(self, n: int) -> int:
        return self.addk(n, n)

    def numberK(self, r: float) -> int:
        ik = number.float_to_int(r)
        if ik is None:
            return self.addk(r, r)
        q = 2.0 ** -52
        key = q if ik == 0 else r + r * q
        return self.addk(key, r)

    def boolK(self, b: bool) -> int:
        return self.addk(("bool", b), b)

    def nilK(self) -> int:
        return self.addk(_NIL_KEY, None)

    # ------------------------------------------------------------ jumps

    def getjump(self, pc: int) -> int:
        offset = getarg_sJ(self.code[pc])
        return NO_JUMP if offset == NO_JUMP else pc + 1 + offset

    def fixjump(self, pc: int, dest: int) -> None:
        offset = dest - (pc + 1)
        if not (-OFFSET_sJ <= offset <= MAXARG_sJ - OFFSET_sJ):
            raise self.error("control structure too long")
        self.code[pc] = setarg_sJ(self.code[pc], offset)

    def concat(self, l1: int, l2: int) -> int:
        """``luaK_concat``: returns the new value of list ``l1``."""
        if l2 == NO_JUMP:
            return l1
        if l1 == NO_JUMP:
            return l2
        lst = l1
        while True:
            nxt = self.getjump(lst)
            if nxt == NO_JUMP:
                break
            lst = nxt
        self.fixjump(lst, l2)
        return l1

    def jump(self) -> int:
        return self.code_instr(create_sJ(OP_JMP, NO_JUMP, 0))

    def ret(self, first: int, nret: int) -> None:
        op = OP_RETURN0 if nret == 0 else OP_RETURN1 if nret == 1 else OP_RETURN
        self.codeABC(op, first, nret + 1, 0)

    def condjump(self, op: int, a: int, b: int, c: int, k: int) -> int:
        self.codeABCk(op, a, b, c, k)
        return self.jump()

    def getjumpcontrol(self, pc: int) -> int:
        if pc >= 1 and TESTT_MODE[get_op(self.code[pc - 1])]:
            return pc - 1
        return pc

    def patchtestreg(self, node: int, reg: int) -> bool:
        ipc = self.getjumpcontrol(node)
        i = self.code[ipc]
        if get_op(i) != OP_TESTSET:
            return False
        if reg != NO_REG and reg != getarg_B(i):
            self.code[ipc] = setarg_A(i, reg)
        else:
            self.code[ipc] = create_ABCk(OP_TEST, getarg_B(i), 0, 0, getarg_k(i))
        return True

    def removevalues(self, lst: int) -> None:
        while lst != NO_JUMP:
            self.patchtestreg(lst, NO_REG)
            lst = self.getjump(lst)

    def patchlistaux(self, lst: int, vtarget: int, reg: int, dtarget: int) -> None:
        while lst != NO_JUMP:
            nxt = self.getjump(lst)
            if self.patchtestreg(lst, reg):
                self.fixjump(lst, vtarget)
            else:
                self.fixjump(lst, dtarget)
            lst = nxt

    def patchlist(self, lst: int, target: int) -> None:
        self.patchlistaux(lst, target, NO_REG, target)

    def patchtohere(self, lst: int) -> None:
        self.patchlist(lst, self.getlabel())

    def jumpto(self, target: int) -> None:
        self.patchlist(self.jump(), target)

    # ------------------------------------------------------------ loading values

    def nil(self, from_: int, n: int) -> None:
        last = from_ + n - 1
        prev = self.previousinstruction()
        if get_op(prev) == OP_LOADNIL:
            pfrom = getarg_A(prev)
            pl = pfrom + getarg_B(prev)
            if (pfrom <= from_ <= pl + 1) or (from_ <= pfrom <= last + 1):
                from_ = min(from_, pfrom)
                last = max(last, pl)
                prev = setarg_A(prev, from_)
                self.code[-1] = setarg_B(prev, last - from_)
                return
        self.codeABC(OP_LOADNIL, from_, n - 1, 0)

    def int_(self, reg: int, i: int) -> None:
        if fitsBx(i):
            self.codeAsBx(OP_LOADI, reg, i)
        else:
            self.codek(reg, self.intK(i))

    def float_(self, reg: int, f: float) -> None:
        fi = number.float_to_int(f)
        if fi is not None and fitsBx(fi):
            self.codeAsBx(OP_LOADF, reg, fi)
        else:
            self.codek(reg, self.numberK(f))

    def setreturns(self, e: ExpDesc, nresults: int) -> None:
        i = self.code[e.info]
        i = setarg_C(i, nresults + 1)
        if e.k == VVARARG:
            i = setarg_A(i, self.freereg)
            self.code[e.info] = i
            self.reserveregs(1)
        else:
            self.code[e.info] = i

    def setmultret(self, e: ExpDesc) -> None:
        self.setreturns(e, LUA_MULTRET)

    def str2K(self, e: ExpDesc) -> None:
        e.info = self.stringK(e.val)
        e.k = VK

    def setoneret(self, e: ExpDesc) -> None:
        if e.k == VCALL:
            e.k = VNONRELOC
            e.info = getarg_A(self.code[e.info])
        elif e.k == VVARARG:
            self.code[e.info] = setarg_C(self.code[e.info], 2)
            e.k = VRELOC

    def dischargevars(self, e: ExpDesc) -> None:
        k = e.k
        if k == VCONST:
            self.ls.const2exp(e)
        elif k == VLOCAL:
            e.info = e.ridx
            e.k = VNONRELOC
        elif k == VUPVAL:
            e.info = self.codeABC(OP_GETUPVAL, 0, e.info, 0)
            e.k = VRELOC
        elif k == VINDEXUP:
            e.info = self.codeABC(OP_GETTABUP, 0, e.ind_t, e.ind_idx)
            e.k = VRELOC
        elif k == VINDEXI:
            self.freereg_(e.ind_t)
            e.info = self.codeABC(OP_GETI, 0, e.ind_t, e.ind_idx)
            e.k = VRELOC
        elif k == VINDEXSTR:
            self.freereg_(e.ind_t)
            e.info = self.codeABC(OP_GETFIELD, 0, e.ind_t, e.ind_idx)
            e.k = VRELOC
        elif k == VINDEXED:
            self.freeregs(e.ind_t, e.ind_idx)
            e.info = self.codeABC(OP_GETTABLE, 0, e.ind_t, e.ind_idx)
            e.k = VRELOC
        elif k == VVARARG or k == VCALL:
            self.setoneret(e)

    def discharge2reg(self, e: ExpDesc, reg: int) -> None:
        self.dischargevars(e)
        k = e.k
        if k == VNIL:
            self.nil(reg, 1)
        elif k == VFALSE:
            self.codeABC(OP_LOADFALSE, reg, 0, 0)
        elif k == VTRUE:
            self.codeABC(OP_LOADTRUE, reg, 0, 0)
        elif k == VKSTR:
            self.str2K(e)
            self.codek(reg, e.info)
        elif k == VK:
            self.codek(reg, e.info)
        elif k == VKFLT:
            self.float_(reg, e.val)
        elif k == VKINT:
            self.int_(reg, e.val)
        elif k == VRELOC:
            self.code[e.info] = setarg_A(self.code[e.info], reg)
        elif k == VNONRELOC:
            if reg != e.info:
                self.codeABC(OP_MOVE, reg, e.info, 0)
        else:
            return          # VJMP: nothing to do
        e.info = reg
        e.k = VNONRELOC

    def discharge2anyreg(self, e: ExpDesc) -> None:
        if e.k != VNONRELOC:
            self.reserveregs(1)
            self.discharge2reg(e, self.freereg - 1)

    def code_loadbool(self, a: int, op: int) -> int:
        self.getlabel()
        return self.codeABC(op, a, 0, 0)

    def need_value(self, lst: int) -> bool:
        while lst != NO_JUMP:
            if get_op(self.code[self.getjumpcontrol(lst)]) != OP_TESTSET:
                return True
            lst = self.getjump(lst)
        return False

    def exp2reg(self, e: ExpDesc, reg: int) -> None:
        self.discharge2reg(e, reg)
        if e.k == VJMP:
            e.t = self.concat(e.t, e.info)
        if e.t != e.f:
            p_f = p_t = NO_JUMP
            if self.need_value(e.t) or self.need_value(e.f):
                fj = NO_JUMP if e.k == VJMP else self.jump()
                p_f = self.code_loadbool(reg, OP_LFALSESKIP)
                p_t = self.code_loadbool(reg, OP_LOADTRUE)
                self.patchtohere(fj)
            final = self.getlabel()
            self.patchlistaux(e.f, final, reg, p_f)
            self.patchlistaux(e.t, final, reg, p_t)
        e.f = e.t = NO_JUMP
        e.info = reg
        e.k = VNONRELOC

    def exp2nextreg(self, e: ExpDesc) -> None:
        self.dischargevars(e)
        self.freeexp(e)
        self.reserveregs(1)
        self.exp2reg(e, self.freereg - 1)

    def exp2anyreg(self, e: ExpDesc) -> int:
        self.dischargevars(e)
        if e.k == VNONRELOC:
            if e.t == e.f:
                return e.info
            if e.info >= self.nvarstack:
                self.exp2reg(e, e.info)
                return e.info
        self.exp2nextreg(e)
        return e.info

    def exp2anyregup(self, e: ExpDesc) -> None:
        if e.k != VUPVAL or e.t != e.f:
            self.exp2anyreg(e)

    def exp2val(self, e: ExpDesc) -> None:
        if e.k == VJMP or e.t != e.f:
            self.exp2anyreg(e)
        else:
            self.dischargevars(e)

    def exp2K(self, e: ExpDesc) -> bool:
        if e.t == e.f:
            k = e.k
            if k == VTRUE:
                info = self.boolK(True)
            elif k == VFALSE:
                info = self.boolK(False)
            elif k == VNIL:
                info = self.nilK()
            elif k == VKINT:
                info = self.intK(e.val)
            elif k == VKFLT:
                info = self.numberK(e.val)
            elif k == VKSTR:
                info = self.stringK(e.val)
            elif k == VK:
                info = e.info
            else:
                return False
            if info <= MAXINDEXRK:
                e.k = VK
                e.info = info
                return True
        return False

    def exp2RK(self, e: ExpDesc) -> bool:
        if self.exp2K(e):
            return True
        self.exp2anyreg(e)
        return False

    def codeABRK(self, o: int, a: int, b: int, ec: ExpDesc) -> None:
        k = self.exp2RK(ec)
        self.codeABCk(o, a, b, ec.info, 1 if k else 0)

    def storevar(self, var: ExpDesc, ex: ExpDesc) -> None:
        k = var.k
        if k == VLOCAL:
            self.freeexp(ex)
            self.exp2reg(ex, var.ridx)
            return
        if k == VUPVAL:
            e = self.exp2anyreg(ex)
            self.codeABC(OP_SETUPVAL, e, var.info, 0)
        elif k == VINDEXUP:
            self.codeABRK(OP_SETTABUP, var.ind_t, var.ind_idx, ex)
        elif k == VINDEXI:
            self.codeABRK(OP_SETI, var.ind_t, var.ind_idx, ex)
        elif k == VINDEXSTR:
            self.codeABRK(OP_SETFIELD, var.ind_t, var.ind_idx, ex)
        else:
            self.codeABRK(OP_SETTABLE, var.ind_t, var.ind_idx, ex)
        self.freeexp(ex)

    def self_(self, e: ExpDesc, key: ExpDesc) -> None:
        self.exp2anyreg(e)
        ereg = e.info
        self.freeexp(e)
        e.info = self.freereg
        e.k = VNONRELOC
        self.reserveregs(2)
        self.codeABRK(OP_SELF, e.info, ereg, key)
        self.freeexp(key)

    # ------------------------------------------------------------ conditions

    def negatecondition(self, e: ExpDesc) -> None:
        pc = self.getjumpcontrol(e.info)
        i = self.code[pc]
        self.code[pc] = setarg_k(i, getarg_k(i) ^ 1)

    def jumponcond(self, e: ExpDesc, cond: int) -> int:
        if e.k == VRELOC:
            ie = self.code[e.info]
            if get_op(ie) == OP_NOT:
                self.removelastinstruction()
                return self.condjump(OP_TEST, getarg_B(ie), 0, 0, cond ^ 1)
        self.discharge2anyreg(e)
        self.freeexp(e)
        return self.condjump(OP_TESTSET, NO_REG, e.info, 0, cond)

    def goiftrue(self, e: ExpDesc) -> None:
        self.dischargevars(e)
        k = e.k
        if k == VJMP:
            self.negatecondition(e)
            pc = e.info
        elif k in (VK, VKFLT, VKINT, VKSTR, VTRUE):
            pc = NO_JUMP
        else:
            pc = self.jumponcond(e, 0)
        e.f = self.concat(e.f, pc)
        self.patchtohere(e.t)
        e.t = NO_JUMP

    def goiffalse(self, e: ExpDesc) -> None:
        self.dischargevars(e)
        k = e.k
        if k == VJMP:
            pc = e.info
        elif k == VNIL or k == VFALSE:
            pc = NO_JUMP
        else:
            pc = self.jumponcond(e, 1)
        e.t = self.concat(e.t, pc)
        self.patchtohere(e.f)
        e.f = NO_JUMP

    def codenot(self, e: ExpDesc) -> None:
        k = e.k
        if k == VNIL or k == VFALSE:
            e.k = VTRUE
        elif k in (VK, VKFLT, VKINT, VKSTR, VTRUE):
            e.k = VFALSE
        elif k == VJMP:
            self.negatecondition(e)
        else:                                   # VRELOC, VNONRELOC
            self.discharge2anyreg(e)
            self.freeexp(e)
            e.info = self.codeABC(OP_NOT, 0, e.info, 0)
            e.k = VRELOC
        e.f, e.t = e.t, e.f
        self.removevalues(e.f)
        self.removevalues(e.t)

    # ------------------------------------------------------------ indexing

    def isKstr(self, e: ExpDesc) -> bool:
        if e.k == VK and e.t == e.f and e.info <= MAXARG_B:
            v = self.k[e.info]
            return type(v) is str and len(v) <= MAXSHORTLEN
        return False

    def indexed(self, t: ExpDesc, k: ExpDesc) -> None:
        if k.k == VKSTR:
            self.str2K(k)
        if t.k == VUPVAL and not self.isKstr(k):
            self.exp2anyreg(t)
        if t.k == VUPVAL:
            t.ind_t = t.info
            t.ind_idx = k.info
            t.k = VINDEXUP
        else:
            t.ind_t = t.ridx if t.k == VLOCAL else t.info
            if self.isKstr(k):
                t.ind_idx = k.info
                t.k = VINDEXSTR
            elif k.k == VKINT and k.t == k.f and 0 <= k.val <= MAXARG_C:
                t.ind_idx = k.val
                t.k = VINDEXI
            else:
                t.ind_idx = self.exp2anyreg(k)
                t.k = VINDEXED

    # ------------------------------------------------------------ operators

    def constfolding(self, op: int, e1: ExpDesc, e2: ExpDesc) -> bool:
        if not tonumeral(e1) or not tonumeral(e2):
            return False
        v1, v2 = e1.val, e2.val
        if not _validop(op, v1, v2):
            return False
        res = _rawarith(op, v1, v2)
        if type(res) is int:
            e1.k = VKINT
            e1.val = res
        else:
            if res != res or res == 0:
                return False
            e1.k = VKFLT
            e1.val = res
        return True

    def codeunexpval(self, op: int, e: ExpDesc, line: int) -> None:
        r = self.exp2anyreg(e)
        self.freeexp(e)
        e.info = self.codeABC(op, 0, r, 0)
        e.k = VRELOC
        self.fixline(line)

    def finishbinexpval(self, e1: ExpDesc, e2: ExpDesc, op: int, v2: int, flip: int,
                        line: int, mmop: int, event: int) -> None:
        v1 = self.exp2anyreg(e1)
        pc = self.codeABCk(op, 0, v1, v2, 0)
        self.freeexps(e1, e2)
        e1.info = pc
        e1.k = VRELOC
        self.fixline(line)
        self.codeABCk(mmop, v1, v2, event, flip)
        self.fixline(line)

    def codebinexpval(self, opr: int, e1: ExpDesc, e2: ExpDesc, line: int) -> None:
        v2 = self.exp2anyreg(e2)
        self.finishbinexpval(e1, e2, opr + OP_ADD, v2, 0, line, OP_MMBIN, opr + TM_ADD)

    def codebini(self, op: int, e1: ExpDesc, e2: ExpDesc, flip: int, line: int,
                 event: int) -> None:
        self.finishbinexpval(e1, e2, op, e2.val + OFFSET_sC, flip, line, OP_MMBINI, event)

    def codebinK(self, opr: int, e1: ExpDesc, e2: ExpDesc, flip: int, line: int) -> None:
        self.finishbinexpval(e1, e2, opr + OP_ADDK, e2.info, flip, line, OP_MMBINK,
                             opr + TM_ADD)

    def finishbinexpneg(self, e1: ExpDesc, e2: ExpDesc, op: int, line: int,
                        event: int) -> bool:
        if not (e2.k == VKINT and e2.t == e2.f):
            return False
        i2 = e2.val
        if not (fitsC(i2) and fitsC(-i2)):
            return False
        self.finishbinexpval(e1, e2, op, -i2 + OFFSET_sC, 0, line, OP_MMBINI, event)
        self.code[-1] = setarg_B(self.code[-1], i2 + OFFSET_sC)
        return True

    def codebinNoK(self, opr: int, e1: ExpDesc, e2: ExpDesc, flip: int, line: int) -> None:
        if flip:
            swapexps(e1, e2)
        self.codebinexpval(opr, e1, e2, line)

    def codearith(self, opr: int, e1: ExpDesc, e2: ExpDesc, flip: int, line: int) -> None:
        if tonumeral(e2) and self.exp2K(e2):
            self.codebinK(opr, e1, e2, flip, line)
        else:
            self.codebinNoK(opr, e1, e2, flip, line)

    def codecommutative(self, op: int, e1: ExpDesc, e2: ExpDesc, line: int) -> None:
        flip = 0
        if tonumeral(e1):
            swapexps(e1, e2)
            flip = 1
        if op == OPR_ADD and isSCint(e2):
            self.codebini(OP_ADDI, e1, e2, flip, line, TM_ADD)
        else:
            self.codearith(op, e1, e2, flip, line)

    def codebitwise(self, opr: int, e1: ExpDesc, e2: ExpDesc, line: int) -> None:
        flip = 0
        if e1.k == VKINT:
            swapexps(e1, e2)
            flip = 1
        if e2.k == VKINT and self.exp2K(e2):
            self.codebinK(opr, e1, e2, flip, line)
        else:
            self.codebinNoK(opr, e1, e2, flip, line)

    def codeorder(self, opr: int, e1: ExpDesc, e2: ExpDesc) -> None:
        im, isfloat = isSCnumber(e2)
        if im is not None:
            r1 = self.exp2anyreg(e1)
            r2 = im
            op = opr - OPR_LT + OP_LTI
        else:
            im, isfloat1 = isSCnumber(e1)
            isfloat |= isfloat1
            if im is not None:
                r1 = self.exp2anyreg(e2)
                r2 = im
                op = opr - OPR_LT + OP_GTI
            else:
                r1 = self.exp2anyreg(e1)
                r2 = self.exp2anyreg(e2)
                op = opr - OPR_LT + OP_LT
        self.freeexps(e1, e2)
        e1.info = self.condjump(op, r1, r2, isfloat, 1)
        e1.k = VJMP

    def codeeq(self, opr: int, e1: ExpDesc, e2: ExpDesc) -> None:
        if e1.k != VNONRELOC:
            swapexps(e1, e2)
        r1 = self.exp2anyreg(e1)
        im, isfloat = isSCnumber(e2)
        if im is not None:
            op = OP_EQI
            r2 = im
        elif self.exp2RK(e2):
            op = OP_EQK
            r2 = e2.info
        else:
            op = OP_EQ
            r2 = self.exp2anyreg(e2)
        self.freeexps(e1, e2)
        e1.info = self.condjump(op, r1, r2, isfloat, 1 if opr == OPR_EQ else 0)
        e1.k = VJMP

    def prefix(self, opr: int, e: ExpDesc, line: int) -> None:
        self.dischargevars(e)
        if opr == OPR_MINUS or opr == OPR_BNOT:
            fake = ExpDesc(VKINT)
            fake.val = 0
            if self.constfolding(opr + LUA_OPUNM, e, fake):
                return
            self.codeunexpval(opr + OP_UNM, e, line)
        elif opr == OPR_LEN:
            self.codeunexpval(opr + OP_UNM, e, line)
        else:
            self.codenot(e)

    def infix(self, op: int, v: ExpDesc) -> None:
        self.dischargevars(v)
        if op == OPR_AND:
            self.goiftrue(v)
        elif op == OPR_OR:
            self.goiffalse(v)
        elif op == OPR_CONCAT:
            self.exp2nextreg(v)
        elif op <= OPR_SHR:
            if not tonumeral(v):
                self.exp2anyreg(v)
        elif op == OPR_EQ or op == OPR_NE:
            if not tonumeral(v):
                self.exp2RK(v)
        elif isSCnumber(v)[0] is None:
            self.exp2anyreg(v)

    def codeconcat(self, e1: ExpDesc, e2: ExpDesc, line: int) -> None:
        ie2 = self.previousinstruction()
        if get_op(ie2) == OP_CONCAT:
            n = getarg_B(ie2)
            self.freeexp(e2)
            self.code[-1] = setarg_B(setarg_A(ie2, e1.info), n + 1)
        else:
            self.codeABC(OP_CONCAT, e1.info, 2, 0)
            self.freeexp(e2)
            self.fixline(line)

    def posfix(self, opr: int, e1: ExpDesc, e2: ExpDesc, line: int) -> None:
        self.dischargevars(e2)
        if opr <= OPR_SHR and self.constfolding(opr, e1, e2):
            return
        if opr == OPR_AND:
            e2.f = self.concat(e2.f, e1.f)
            e1.set_from(e2)
        elif opr == OPR_OR:
            e2.t = self.concat(e2.t, e1.t)
            e1.set_from(e2)
        elif opr == OPR_CONCAT:
            self.exp2nextreg(e2)
            self.codeconcat(e1, e2, line)
        elif opr == OPR_ADD or opr == OPR_MUL:
            self.codecommutative(opr, e1, e2, line)
        elif opr == OPR_SUB:
            if not self.finishbinexpneg(e1, e2, OP_ADDI, line, TM_SUB):
                self.codearith(opr, e1, e2, 0, line)
        elif opr <= OPR_IDIV:
            self.codearith(opr, e1, e2, 0, line)
        elif opr <= OPR_BXOR:
            self.codebitwise(opr, e1, e2, line)
        elif opr == OPR_SHL:
            if isSCint(e1):
                swapexps(e1, e2)
                self.codebini(OP_SHLI, e1, e2, 1, line, TM_SHL)
            elif not self.finishbinexpneg(e1, e2, OP_SHRI, line, TM_SHL):
                self.codebinexpval(opr, e1, e2, line)
        elif opr == OPR_SHR:
            if isSCint(e2):
                self.codebini(OP_SHRI, e1, e2, 0, line, TM_SHR)
            else:
                self.codebinexpval(opr, e1, e2, line)
        elif opr == OPR_EQ or opr == OPR_NE:
            self.codeeq(opr, e1, e2)
        elif opr == OPR_GT or opr == OPR_GE:
            swapexps(e1, e2)
            self.codeorder(opr - OPR_GT + OPR_LT, e1, e2)
        else:
            self.codeorder(opr, e1, e2)

    # ------------------------------------------------------------ tables

    def settablesize(self, pc: int, ra: int, asize: int, hsize: int) -> None:
        rb = (hsize - 1).bit_length() + 1 if hsize != 0 else 0
        extra, rc = divmod(asize, MAXARG_C + 1)
        self.code[pc] = create_ABCk(OP_NEWTABLE, ra, rb, rc, 1 if extra > 0 else 0)
        self.code[pc + 1] = create_Ax(OP_EXTRAARG, extra)

    def setlist(self, base: int, nelems: int, tostore: int) -> None:
        if tostore == LUA_MULTRET:
            tostore = 0
        if nelems <= MAXARG_C:
            self.codeABC(OP_SETLIST, base, tostore, nelems)
        else:
            extra, nelems = divmod(nelems, MAXARG_C + 1)
            self.codeABCk(OP_SETLIST, base, tostore, nelems, 1)
            self.codeextraarg(extra)
        self.freereg = base + 1

    # ------------------------------------------------------------ final pass

    def finish(self) -> None:
        p = self.f
        code = self.code
        fixret = self.needclose or p.is_vararg
        for i, ins in enumerate(code):
            op = ins & 0x7F
            if op == OP_JMP:
                self.fixjump(i, finaltarget(code, i))
            elif op in _RETURNS:
                if op != OP_RETURN and op != OP_TAILCALL:   # RETURN0, RETURN1
                    if not fixret:
                        continue
                    ins = set_op(ins, OP_RETURN)
                if self.needclose:
                    ins = setarg_k(ins, 1)
                if p.is_vararg:
                    ins = setarg_C(ins, p.numparams + 1)
                code[i] = ins


def finaltarget(code: list, i: int) -> int:
    for _ in range(100):
        ins = code[i]
        if get_op(ins) != OP_JMP:
            break
        i += getarg_sJ(ins) + 1
    return i


def isSCint(e: ExpDesc) -> bool:
    return e.k == VKINT and e.t == e.f and fitsC(e.val)


def isSCnumber(e: ExpDesc):
    """(sC-encoded value or None, isfloat). As in lcode.c, 'isfloat' is set for any
    integral float, even one too large for the operand (it then leaks into the C
    argument of the register comparison that is used instead)."""
    if e.k == VKINT:
        i, isfloat = e.val, 0
    elif e.k == VKFLT:
        i = number.float_to_int(e.val)
        if i is None:
            return None, 0
        isfloat = 1
    else:
        return None, 0
    if e.t == e.f and fitsC(i):
        return i + OFFSET_sC, isfloat
    return None, isfloat
