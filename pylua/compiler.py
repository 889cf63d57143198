"""AST to Lua 5.4 bytecode: the semantic side of lparser.c.

The functions below follow lparser.c statement by statement, calling the code
generator of ``lcode.py`` in the same order as Lua's one-pass parser does, so the
result is instruction for instruction what ``luac`` produces. Lua attaches to each
instruction the line of the last token read when it is emitted (``ls->lastline``);
``Compiler.lastline`` tracks that line while walking the tree in source order.
"""
from __future__ import annotations

import sys
from typing import List, Optional

from . import ast
from .errors import LuaSyntaxError, chunkid
from .lcode import (
    BlockCnt, ExpDesc, FuncState, LUA_MULTRET, NO_JUMP, growvector_error, hasmultret,
    VCALL, VCONST, VFALSE, VINDEXED, VINDEXSTR, VINDEXUP, VKFLT, VKINT, VKSTR, VRELOC,
    VLOCAL, VNIL, VNONRELOC, VTRUE, VUPVAL, VVARARG, VVOID,
    OPR_ADD, OPR_AND, OPR_BAND, OPR_BNOT, OPR_BOR, OPR_BXOR, OPR_CONCAT, OPR_DIV, OPR_EQ,
    OPR_GE, OPR_GT, OPR_IDIV, OPR_LE, OPR_LEN, OPR_LT, OPR_MINUS, OPR_MOD, OPR_MUL, OPR_NE,
    OPR_NOT, OPR_OR, OPR_POW, OPR_SHL, OPR_SHR, OPR_SUB,
)
from .opcodes import (
    LFIELDS_PER_FLUSH, MAXARG_Bx, OP_CALL, OP_CLOSE, OP_CLOSURE, OP_FORLOOP, OP_FORPREP,
    OP_GETUPVAL, OP_MOVE, OP_NEWTABLE, OP_TAILCALL, OP_TBC, OP_TFORCALL, OP_TFORLOOP,
    OP_TFORPREP, OP_VARARG, OP_VARARGPREP, set_op, setarg_Bx, setarg_C,
)
from .proto import LocVar, Proto, UpvalDesc

# kinds of variables (lparser.h)
VDKREG, RDKCONST, RDKTOCLOSE, RDKCTC = 0, 1, 2, 3

MAXVARS = 200
MAXUPVAL = 255
# Python frames needed per level of Lua nesting (statement + expression recursion).
_RECURSION_LIMIT = 20000

BINOPR = {
    "+": OPR_ADD, "-": OPR_SUB, "*": OPR_MUL, "%": OPR_MOD, "^": OPR_POW, "/": OPR_DIV,
    "//": OPR_IDIV, "&": OPR_BAND, "|": OPR_BOR, "~": OPR_BXOR, "<<": OPR_SHL,
    ">>": OPR_SHR, "..": OPR_CONCAT, "==": OPR_EQ, "<": OPR_LT, "<=": OPR_LE,
    "~=": OPR_NE, ">": OPR_GT, ">=": OPR_GE, "and": OPR_AND, "or": OPR_OR,
}
UNOPR = {"-": OPR_MINUS, "~": OPR_BNOT, "not": OPR_NOT, "#": OPR_LEN}
_SUFFIXES = (ast.Index, ast.Call, ast.MethodCall)    # the links of a suffixedexp chain


# the first token of statements that start with a keyword
_FIRST_TOKEN = {
    ast.Local: "'local'", ast.LocalFunction: "'local'", ast.FunctionStat: "'function'",
    ast.Do: "'do'", ast.While: "'while'", ast.Repeat: "'repeat'", ast.If: "'if'",
    ast.NumericFor: "'for'", ast.GenericFor: "'for'", ast.Return: "'return'",
    ast.Break: "'break'", ast.Goto: "'goto'", ast.Label: "'::'",
}


class Vardesc:
    """An active local variable (lparser.h ``Vardesc``); ``k`` is the value of a
    compile-time constant."""

    __slots__ = ("kind", "ridx", "pidx", "name", "k")

    def __init__(self, name: str) -> None:
        self.name = name
        self.kind = VDKREG
        self.ridx = 0
        self.pidx = 0
        self.k = None


class Labeldesc:
    """A pending goto or an active label."""

    __slots__ = ("name", "pc", "line", "nactvar", "close")

    def __init__(self, name: str, line: int, pc: int, nactvar: int) -> None:
        self.name = name
        self.line = line
        self.pc = pc
        self.nactvar = nactvar
        self.close = False


def compile_chunk(chunk: ast.Chunk) -> Proto:
    """Compile a parsed chunk into its main function prototype."""
    if sys.getrecursionlimit() < _RECURSION_LIMIT:
        sys.setrecursionlimit(_RECURSION_LIMIT)
    return Compiler(chunk.source).mainfunc(chunk)


class Compiler:
    """Lua's ``LexState`` + ``Dyndata`` and the parser functions of lparser.c."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.lastline = 1
        self.kcache: dict = {}             # the scanner table 'ls->h' used by 'addk'
        self.strings: dict = {}            # one object per distinct string in the chunk
        self.actvar: List[Vardesc] = []    # dyd->actvar (entries past 'nvars' are stale)
        self.nvars = 0
        self.gotos: List[Labeldesc] = []   # dyd->gt
        self.labels: List[Labeldesc] = []  # dyd->label
        self.fs: Optional[FuncState] = None
        self.nextline = 1                  # line of the token after the current statement
        self.nextstat: Optional[ast.Stat] = None   # the statement it starts, if any
        self.closer = "<eof>"              # the token closing the current statement list
        self._expr_dispatch = {
            ast.Nil: self._nil, ast.TrueExpr: self._true, ast.FalseExpr: self._false,
            ast.Number: self._number, ast.String: self._string, ast.Vararg: self._vararg,
            ast.Table: self.constructor, ast.Function: self._function,
            ast.BinOp: self._binop, ast.UnOp: self._unop, ast.Name: self.singlevar,
            ast.Index: self._suffixed, ast.Call: self._suffixed, ast.MethodCall: self._suffixed,
            ast.Paren: self._paren,
        }
        self._stat_dispatch = {
            ast.Local: self.localstat, ast.LocalFunction: self.localfunc,
            ast.FunctionStat: self.funcstat, ast.Assign: self.assignstat,
            ast.CallStat: self.callstat, ast.Do: self.dostat, ast.While: self.whilestat,
            ast.Repeat: self.repeatstat, ast.If: self.ifstat, ast.NumericFor: self.fornum,
            ast.GenericFor: self.forlist, ast.Return: self.retstat,
            ast.Break: self.breakstat, ast.Goto: self.gotostat,
        }

    # ------------------------------------------------------------ errors

    def semerror(self, msg: str, line: Optional[int] = None) -> LuaSyntaxError:
        return LuaSyntaxError(f"{chunkid(self.source)}:{self.lastline if line is None else line}:"
                              f" {msg}")

    def next_token(self) -> str:
        """The token after the current statement as Lua's messages quote it."""
        st = self.nextstat
        if st is None:
            return self.closer
        t = type(st)
        if t is ast.Assign or t is ast.CallStat:
            node = st.targets[0] if t is ast.Assign else st.call
            while not isinstance(node, (ast.Name, ast.Paren)):
                node = node.obj if isinstance(node, (ast.Index, ast.MethodCall)) else node.func
            return f"'{node.name}'" if type(node) is ast.Name else "'('"
        return _FIRST_TOKEN[t]

    def errorlimit(self, fs: FuncState, limit: int, what: str, near: Optional[str] = None,
                   line: Optional[int] = None) -> LuaSyntaxError:
        """Lua's message ends with the token being read (``near``) where the tree tells
        which token that is."""
        defined = fs.f.linedefined
        where = "main function" if defined == 0 else f"function at line {defined}"
        msg = f"too many {what} (limit is {limit}) in {where}"
        return self.semerror(msg if near is None else f"{msg} near {near}", line)

    # ------------------------------------------------------------ variables

    def getlocalvardesc(self, fs: FuncState, vidx: int) -> Vardesc:
        return self.actvar[fs.firstlocal + vidx]

    def reglevel(self, fs: FuncState, nvar: int) -> int:
        actvar = self.actvar
        base = fs.firstlocal
        while nvar > 0:
            nvar -= 1
            vd = actvar[base + nvar]
            if vd.kind != RDKCTC:
                return vd.ridx + 1
        return 0

    def new_localvar(self, name: str, near: Optional[str] = None,
                     line: Optional[int] = None) -> int:
        """``near``/``line``: the token after the name, for the limit error."""
        fs = self.fs
        if self.nvars + 1 - fs.firstlocal > MAXVARS:
            raise self.errorlimit(fs, MAXVARS, "local variables", near, line)
        vd = Vardesc(name)
        if self.nvars < len(self.actvar):
            self.actvar[self.nvars] = vd
        else:
            self.actvar.append(vd)
        self.nvars += 1
        return self.nvars - 1 - fs.firstlocal

    def registerlocalvar(self, fs: FuncState, name: str) -> int:
        fs.f.locvars.append(LocVar(name, fs.pc()))
        return len(fs.f.locvars) - 1

    def adjustlocalvars(self, nvars: int) -> None:
        fs = self.fs
        reglevel = fs.nvarstack
        for _ in range(nvars):
            vidx = fs.nactvar
            fs.nactvar += 1
            var = self.getlocalvardesc(fs, vidx)
            var.ridx = reglevel
            reglevel += 1
            var.pidx = self.registerlocalvar(fs, var.name)
        fs.nvarstack = reglevel

    def localdebuginfo(self, fs: FuncState, vidx: int) -> Optional[LocVar]:
        vd = self.getlocalvardesc(fs, vidx)
        if vd.kind == RDKCTC:
            return None
        return fs.f.locvars[vd.pidx]

    def removevars(self, fs: FuncState, tolevel: int) -> None:
        self.nvars -= fs.nactvar - tolevel
        while fs.nactvar > tolevel:
            fs.nactvar -= 1
            var = self.localdebuginfo(fs, fs.nactvar)
            if var is not None:
                var.endpc = fs.pc()
        fs.nvarstack = self.reglevel(fs, tolevel)

    def const2exp(self, e: ExpDesc) -> None:
        """Turn a VCONST into the literal expression of its value."""
        v = self.actvar[e.info].k
        t = type(v)
        if t is int:
            e.k = VKINT
        elif t is float:
            e.k = VKFLT
        elif t is str:
            e.k = VKSTR
        elif v is None:
            e.k = VNIL
        else:
            e.k = VTRUE if v else VFALSE
        e.val = v

    def exp2const(self, e: ExpDesc):
        """``luaK_exp2const``: (True, value) if ``e`` is a compile-time constant."""
        if e.t != e.f:
            return False, None
        k = e.k
        if k == VFALSE:
            return True, False
        if k == VTRUE:
            return True, True
        if k == VNIL:
            return True, None
        if k in (VKSTR, VKINT, VKFLT):
            return True, e.val
        if k == VCONST:
            return True, self.actvar[e.info].k
        return False, None

    def check_readonly(self, e: ExpDesc) -> None:
        fs = self.fs
        varname = None
        if e.k == VCONST:
            varname = self.actvar[e.info].name
        elif e.k == VLOCAL:
            vd = self.getlocalvardesc(fs, e.vidx)
            if vd.kind != VDKREG:
                varname = vd.name
        elif e.k == VUPVAL:
            up = fs.f.upvalues[e.info]
            if up.kind != VDKREG:
                varname = up.name
        if varname is not None:
            raise self.semerror(f"attempt to assign to const variable '{varname}'")

    # ------------------------------------------------------------ upvalues

    def allocupvalue(self, fs: FuncState) -> UpvalDesc:
        ups = fs.f.upvalues
        if len(ups) + 1 > MAXUPVAL:
            raise self.errorlimit(fs, MAXUPVAL, "upvalues")
        up = UpvalDesc(None, True, 0, VDKREG)
        ups.append(up)
        return up

    def newupvalue(self, fs: FuncState, name: str, v: ExpDesc) -> int:
        up = self.allocupvalue(fs)
        prev = fs.prev
        if v.k == VLOCAL:
            up.instack = True
            up.idx = v.ridx
            up.kind = self.getlocalvardesc(prev, v.vidx).kind
        else:
            up.instack = False
            up.idx = v.info
            up.kind = prev.f.upvalues[v.info].kind
        up.name = name
        return len(fs.f.upvalues) - 1

    def searchvar(self, fs: FuncState, n: str, var: ExpDesc) -> int:
        actvar = self.actvar
        base = fs.firstlocal
        for i in range(fs.nactvar - 1, -1, -1):
            vd = actvar[base + i]
            if vd.name == n:
                if vd.kind == RDKCTC:
                    var.init(VCONST, base + i)
                else:
                    var.init(VLOCAL, 0)
                    var.vidx = i
                    var.ridx = vd.ridx
                return var.k
        return -1

    @staticmethod
    def markupval(fs: FuncState, level: int) -> None:
        bl = fs.bl
        while bl.nactvar > level:
            bl = bl.previous
        bl.upval = True
        fs.needclose = True

    @staticmethod
    def marktobeclosed(fs: FuncState) -> None:
        bl = fs.bl
        bl.upval = True
        bl.insidetbc = True
        fs.needclose = True

    def singlevaraux(self, fs: Optional[FuncState], n: str, var: ExpDesc, base: bool) -> None:
        if fs is None:
            var.init(VVOID, 0)
            return
        v = self.searchvar(fs, n, var)
        if v >= 0:
            if v == VLOCAL and not base:
                self.markupval(fs, var.vidx)
            return
        idx = -1
        for i, up in enumerate(fs.f.upvalues):
            if up.name == n:
                idx = i
                break
        if idx < 0:
            self.singlevaraux(fs.prev, n, var, False)
            if var.k == VLOCAL or var.k == VUPVAL:
                idx = self.newupvalue(fs, n, var)
            else:
                return
        var.init(VUPVAL, idx)

    def singlevar(self, node: ast.Name, var: ExpDesc) -> None:
        self.lastline = node.line
        fs = self.fs
        self.singlevaraux(fs, node.name, var, True)
        if var.k == VVOID:
            self.singlevaraux(fs, "_ENV", var, True)
            fs.exp2anyregup(var)
            key = ExpDesc(VKSTR)
            key.val = node.name
            fs.indexed(var, key)

    def adjust_assign(self, nvars: int, nexps: int, e: ExpDesc) -> None:
        fs = self.fs
        needed = nvars - nexps
        if hasmultret(e.k):
            extra = max(needed + 1, 0)
            fs.setreturns(e, extra)
        else:
            if e.k != VVOID:
                fs.exp2nextreg(e)
            if needed > 0:
                fs.nil(fs.freereg, needed)
        if needed > 0:
            fs.reserveregs(needed)
        else:
            fs.freereg += needed

    # ------------------------------------------------------------ gotos and labels

    def jumpscopeerror(self, gt: Labeldesc) -> LuaSyntaxError:
        varname = self.getlocalvardesc(self.fs, gt.nactvar).name
        return self.semerror(f"<goto {gt.name}> at line {gt.line} jumps into the scope of "
                             f"local '{varname}'", self.nextline)

    def solvegoto(self, g: int, label: Labeldesc) -> None:
        gt = self.gotos[g]
        if gt.nactvar < label.nactvar:
            raise self.jumpscopeerror(gt)
        self.fs.patchlist(gt.pc, label.pc)
        del self.gotos[g]

    def findlabel(self, name: str) -> Optional[Labeldesc]:
        labels = self.labels
        for i in range(self.fs.firstlabel, len(labels)):
            if labels[i].name == name:
                return labels[i]
        return None

    def newlabelentry(self, lst: List[Labeldesc], name: str, line: int, pc: int) -> int:
        lst.append(Labeldesc(name, line, pc, self.fs.nactvar))
        return len(lst) - 1

    def solvegotos(self, lb: Labeldesc) -> bool:
        gl = self.gotos
        i = self.fs.bl.firstgoto
        needsclose = False
        while i < len(gl):
            if gl[i].name == lb.name:
                needsclose |= gl[i].close
                self.solvegoto(i, lb)
            else:
                i += 1
        return needsclose

    def createlabel(self, name: str, line: int, last: bool) -> bool:
        fs = self.fs
        ll = self.labels
        lb = ll[self.newlabelentry(ll, name, line, fs.getlabel())]
        if last:
            lb.nactvar = fs.bl.nactvar
        if self.solvegotos(lb):
            fs.codeABC(OP_CLOSE, fs.nvarstack, 0, 0)
            return True
        return False

    def movegotosout(self, fs: FuncState, bl: BlockCnt) -> None:
        gl = self.gotos
        for i in range(bl.firstgoto, len(gl)):
            gt = gl[i]
            if self.reglevel(fs, gt.nactvar) > self.reglevel(fs, bl.nactvar):
                gt.close |= bl.upval
            gt.nactvar = bl.nactvar

    def enterblock(self, fs: FuncState, isloop: bool) -> BlockCnt:
        bl = BlockCnt()
        bl.isloop = isloop
        bl.nactvar = fs.nactvar
        bl.firstlabel = len(self.labels)
        bl.firstgoto = len(self.gotos)
        bl.upval = False
        bl.insidetbc = fs.bl is not None and fs.bl.insidetbc
        bl.previous = fs.bl
        fs.bl = bl
        return bl

    def undefgoto(self, gt: Labeldesc, line: int) -> LuaSyntaxError:
        if gt.name == "break":
            msg = f"break outside loop at line {gt.line}"
        else:
            msg = f"no visible label '{gt.name}' for <goto> at line {gt.line}"
        return self.semerror(msg, line)

    def leaveblock(self, fs: FuncState, closeline: int = 0) -> None:
        """``closeline``: the line Lua reports pending gotos at (function end)."""
        bl = fs.bl
        hasclose = False
        stklevel = self.reglevel(fs, bl.nactvar)
        self.removevars(fs, bl.nactvar)
        if bl.isloop:
            hasclose = self.createlabel("break", 0, False)
        if not hasclose and bl.previous is not None and bl.upval:
            fs.codeABC(OP_CLOSE, stklevel, 0, 0)
        fs.freereg = stklevel
        del self.labels[bl.firstlabel:]
        fs.bl = bl.previous
        if bl.previous is not None:
            self.movegotosout(fs, bl)
        elif bl.firstgoto < len(self.gotos):
            raise self.undefgoto(self.gotos[bl.firstgoto], closeline)

    # ------------------------------------------------------------ functions

    def open_func(self, f: Proto) -> FuncState:
        fs = FuncState(self, f, self.fs)
        self.fs = fs
        f.source = self.source
        f.maxstacksize = 2
        self.enterblock(fs, False)
        return fs

    def close_func(self, closeline: int) -> None:
        fs = self.fs
        fs.ret(fs.nvarstack, 0)
        self.leaveblock(fs, closeline)
        fs.finish()
        self.fs = fs.prev

    def setvararg(self, fs: FuncState, nparams: int) -> None:
        fs.f.is_vararg = True
        fs.codeABC(OP_VARARGPREP, nparams, 0, 0)

    def mainfunc(self, chunk: ast.Chunk) -> Proto:
        f = Proto(self.source)
        fs = self.open_func(f)
        self.setvararg(fs, 0)
        env = self.allocupvalue(fs)
        env.instack = True
        env.idx = 0
        env.kind = VDKREG
        env.name = "_ENV"
        self.statlist(chunk.body.stats, chunk.body.end_line, "<eof>")
        self.close_func(chunk.body.end_line)
        return f

    def body(self, func: ast.Function, e: ExpDesc, line: int) -> None:
        parent = self.fs
        if len(parent.f.p) >= MAXARG_Bx:
            raise growvector_error("functions", MAXARG_Bx)
        f = Proto(self.source)
        parent.f.p.append(f)
        f.linedefined = line
        closeline = self.nextline
        fs = self.open_func(f)
        params = func.params
        for i, name in enumerate(params):
            self.new_localvar(name, "','" if i + 1 < len(params) or func.is_vararg else "')'")
        self.adjustlocalvars(len(func.params))
        f.numparams = fs.nactvar
        if func.is_vararg:
            self.lastline = func.vararg_line
            self.setvararg(fs, f.numparams)
        fs.reserveregs(fs.nactvar)
        self.statlist(func.body.stats, func.body.end_line, "'end'")
        f.lastlinedefined = func.end_line
        self.lastline = func.end_line
        e.init(VRELOC, parent.codeABx(OP_CLOSURE, 0, len(parent.f.p) - 1))
        parent.exp2nextreg(e)
        self.close_func(closeline)

    # ------------------------------------------------------------ expressions

    def expr(self, node: ast.Expr, v: ExpDesc) -> None:
        self._expr_dispatch[type(node)](node, v)

    def _nil(self, node: ast.Nil, v: ExpDesc) -> None:
        v.init(VNIL, 0)
        self.lastline = node.line

    def _true(self, node: ast.TrueExpr, v: ExpDesc) -> None:
        v.init(VTRUE, 0)
        self.lastline = node.line

    def _false(self, node: ast.FalseExpr, v: ExpDesc) -> None:
        v.init(VFALSE, 0)
        self.lastline = node.line

    def _number(self, node: ast.Number, v: ExpDesc) -> None:
        v.init(VKINT if type(node.value) is int else VKFLT, 0)
        v.val = node.value
        self.lastline = node.line

    def _string(self, node: ast.String, v: ExpDesc) -> None:
        v.init(VKSTR, 0)
        v.val = node.value
        self.lastline = node.line

    def _vararg(self, node: ast.Vararg, v: ExpDesc) -> None:
        fs = self.fs
        if not fs.f.is_vararg:
            raise self.semerror("cannot use '...' outside a vararg function near '...'",
                                node.line)
        v.init(VVARARG, fs.codeABC(OP_VARARG, 0, 0, 1))
        self.lastline = node.line

    def _function(self, node: ast.Function, v: ExpDesc) -> None:
        self.lastline = node.line
        self.body(node, v, node.line)

    def _binop(self, node: ast.BinOp, v: ExpDesc) -> None:
        # Left operands nest to any depth ('a + b + c ...'): walk them in a loop, as
        # subexpr's loop does, instead of recursing.
        spine = [node]
        left = node.left
        while type(left) is ast.BinOp:
            spine.append(left)
            left = left.left
        fs = self.fs
        self.expr(left, v)
        for node in reversed(spine):
            line = node.line
            self.lastline = line
            op = BINOPR[node.op]
            fs.infix(op, v)
            v2 = ExpDesc()
            self.expr(node.right, v2)
            fs.posfix(op, v, v2, line)

    def _unop(self, node: ast.UnOp, v: ExpDesc) -> None:
        line = node.line
        self.lastline = line
        self.expr(node.operand, v)
        self.fs.prefix(UNOPR[node.op], v, line)

    def _paren(self, node: ast.Paren, v: ExpDesc) -> None:
        self.lastline = node.line
        self.expr(node.expr, v)
        self.lastline = node.end_line
        self.fs.dischargevars(v)

    def _suffixed(self, node: ast.Expr, v: ExpDesc) -> None:
        """``suffixedexp``: fields, indexes and calls chain to any length
        ('a.b[c]:m()(x)...'): walk the chain in a loop, as lparser.c does, instead of
        recursing down it."""
        chain = []
        while type(node) in _SUFFIXES:
            chain.append(node)
            node = node.func if type(node) is ast.Call else node.obj
        self.expr(node, v)
        fs = self.fs
        for node in reversed(chain):
            t = type(node)
            if t is ast.Index:
                fs.exp2anyregup(v)
                self.lastline = node.line
                key = ExpDesc()
                self.expr(node.key, key)
                fs.exp2val(key)
                fs.indexed(v, key)
            elif t is ast.Call:
                fs.exp2nextreg(v)
                self.funcargs(node, v)
            else:
                self.lastline = node.name_line
                key = ExpDesc(VKSTR)
                key.val = node.method
                fs.self_(v, key)
                self.funcargs(node, v)

    def funcargs(self, call: ast.Call | ast.MethodCall, f: ExpDesc) -> None:
        fs = self.fs
        line = call.line
        if call.parens:     # '(' read; f{...} starts its table with the line before '{'
            self.lastline = line
        e = ExpDesc()
        if call.args:
            self.explist(call.args, e)
            if hasmultret(e.k):
                fs.setmultret(e)
        self.lastline = call.end_line
        base = f.info
        if hasmultret(e.k):
            nparams = LUA_MULTRET
        else:
            if e.k != VVOID:
                fs.exp2nextreg(e)
            nparams = fs.freereg - (base + 1)
        f.init(VCALL, fs.codeABC(OP_CALL, base, nparams + 1, 2))
        fs.fixline(line)
        fs.freereg = base + 1

    def explist(self, exprs: List[ast.Expr], v: ExpDesc) -> int:
        self.expr(exprs[0], v)
        for node in exprs[1:]:
            self.fs.exp2nextreg(v)
            self.expr(node, v)
        return len(exprs)

    def constructor(self, node: ast.Table, t: ExpDesc) -> None:
        fs = self.fs
        pc = fs.codeABC(OP_NEWTABLE, 0, 0, 0)
        fs.code_instr(0)
        na = nh = tostore = 0
        t.init(VNONRELOC, fs.freereg)
        fs.reserveregs(1)
        v = ExpDesc(VVOID)
        self.lastline = node.line
        for field in node.fields:
            if v.k != VVOID:                          # closelistfield
                fs.exp2nextreg(v)
                v.k = VVOID
                if tostore == LFIELDS_PER_FLUSH:
                    fs.setlist(t.info, na, tostore)
                    na += tostore
                    tostore = 0
            if field.key is None:
                self.expr(field.value, v)
                tostore += 1
            else:
                self.recfield(field, t)
                nh += 1
        self.lastline = node.end_line
        if tostore:                                   # lastlistfield
            if hasmultret(v.k):
                fs.setmultret(v)
                fs.setlist(t.info, na, LUA_MULTRET)
                na -= 1
            else:
                if v.k != VVOID:
                    fs.exp2nextreg(v)
                fs.setlist(t.info, na, tostore)
            na += tostore
        fs.settablesize(pc, t.info, na, nh)

    def recfield(self, field: ast.TableField, t: ExpDesc) -> None:
        fs = self.fs
        reg = fs.freereg
        key = ExpDesc()
        self.lastline = field.line                     # the name or '['
        self.expr(field.key, key)
        fs.exp2val(key)
        tab = t.copy()
        fs.indexed(tab, key)
        val = ExpDesc()
        self.expr(field.value, val)
        fs.storevar(tab, val)
        fs.freereg = reg

    # ------------------------------------------------------------ statements

    def statlist(self, stats: List[ast.Stat], end_line: int, closer: str) -> None:
        """``end_line``/``closer``: line and text of the token closing the list."""
        i, n = 0, len(stats)
        fs = self.fs
        while i < n:
            st = stats[i]
            # The token after this statement, where Lua reports errors found once
            # the statement is read.
            self.nextline = stats[i + 1].line if i + 1 < n else end_line
            self.nextstat = stats[i + 1] if i + 1 < n else None
            self.closer = closer
            if type(st) is ast.Label:
                i = self.labelstat(stats, i, end_line, closer == "'until'")
            else:
                self._stat_dispatch[type(st)](st)
                i += 1
            fs.freereg = fs.nvarstack

    def labelstat(self, stats: List[ast.Stat], i: int, end_line: int, until: bool) -> int:
        """Lua reads the labels that follow a label before creating it; returns the
        index of the next statement."""
        st = stats[i]
        self.lastline = st.line
        nxt = i + 1
        if nxt < len(stats) and type(stats[nxt]) is ast.Label:
            nxt = self.labelstat(stats, nxt, end_line, until)
        self.nextline = stats[nxt].line if nxt < len(stats) else end_line
        old = self.findlabel(st.name)
        if old is not None:
            raise self.semerror(f"label '{st.name}' already defined on line {old.line}",
                                self.nextline)
        self.createlabel(st.name, st.line, nxt == len(stats) and not until)
        return nxt

    def block(self, blk: ast.Block) -> None:
        fs = self.fs
        self.enterblock(fs, False)
        self.statlist(blk.stats, blk.end_line, "'end'")
        self.leaveblock(fs)

    def check_conflict(self, lhs: List[ExpDesc], v: ExpDesc) -> None:
        fs = self.fs
        extra = fs.freereg
        conflict = False
        for lh in lhs:
            if VINDEXED <= lh.k <= VINDEXSTR:
                if lh.k == VINDEXUP:
                    if v.k == VUPVAL and lh.ind_t == v.info:
                        conflict = True
                        lh.k = VINDEXSTR
                        lh.ind_t = extra
                else:
                    if v.k == VLOCAL and lh.ind_t == v.ridx:
                        conflict = True
                        lh.ind_t = extra
                    if lh.k == VINDEXED and v.k == VLOCAL and lh.ind_idx == v.ridx:
                        conflict = True
                        lh.ind_idx = extra
        if conflict:
            if v.k == VLOCAL:
                fs.codeABC(OP_MOVE, extra, v.ridx, 0)
            else:
                fs.codeABC(OP_GETUPVAL, extra, v.info, 0)
            fs.reserveregs(1)

    def assignstat(self, st: ast.Assign) -> None:
        fs = self.fs
        self.lastline = st.line
        lhs: List[ExpDesc] = []
        for target in st.targets:
            v = ExpDesc()
            self.expr(target, v)
            if lhs and not (VINDEXED <= v.k <= VINDEXSTR):
                self.check_conflict(lhs, v)
            self.check_readonly(v)
            lhs.append(v)
        nvars = len(lhs)
        e = ExpDesc()
        nexps = self.explist(st.exprs, e)
        if nexps != nvars:
            self.adjust_assign(nvars, nexps, e)
        else:
            fs.setoneret(e)
            fs.storevar(lhs.pop(), e)
        for v in reversed(lhs):
            e.init(VNONRELOC, fs.freereg - 1)
            fs.storevar(v, e)

    def callstat(self, st: ast.CallStat) -> None:
        self.lastline = st.line
        v = ExpDesc()
        self.expr(st.call, v)
        fs = self.fs
        fs.code[v.info] = setarg_C(fs.code[v.info], 1)

    def cond(self, node: ast.Expr) -> int:
        v = ExpDesc()
        self.expr(node, v)
        if v.k == VNIL:
            v.k = VFALSE
        self.fs.goiftrue(v)
        return v.f

    def gotostat(self, st: ast.Goto) -> None:
        fs = self.fs
        line = st.line
        self.lastline = line
        lb = self.findlabel(st.label)
        if lb is None:
            self.newlabelentry(self.gotos, st.label, line, fs.jump())
        else:
            lblevel = self.reglevel(fs, lb.nactvar)
            if fs.nvarstack > lblevel:
                fs.codeABC(OP_CLOSE, lblevel, 0, 0)
            fs.patchlist(fs.jump(), lb.pc)

    def breakstat(self, st: ast.Break) -> None:
        self.lastline = st.line
        self.newlabelentry(self.gotos, "break", st.line, self.fs.jump())

    def dostat(self, st: ast.Do) -> None:
        self.lastline = st.body.line
        self.block(st.body)
        self.lastline = st.body.end_line

    def whilestat(self, st: ast.While) -> None:
        fs = self.fs
        self.lastline = st.line
        whileinit = fs.getlabel()
        condexit = self.cond(st.cond)
        self.enterblock(fs, True)
        self.lastline = st.body.line                   # 'do'
        self.block(st.body)
        fs.jumpto(whileinit)
        self.lastline = st.body.end_line
        self.leaveblock(fs)
        fs.patchtohere(condexit)

    def repeatstat(self, st: ast.Repeat) -> None:
        fs = self.fs
        self.lastline = st.line
        repeat_init = fs.getlabel()
        self.enterblock(fs, True)
        bl2 = self.enterblock(fs, False)
        self.lastline = st.body.line
        self.statlist(st.body.stats, st.body.end_line, "'until'")
        self.lastline = st.body.end_line
        condexit = self.cond(st.cond)
        self.leaveblock(fs)
        if bl2.upval:
            exit_ = fs.jump()
            fs.patchtohere(condexit)
            fs.codeABC(OP_CLOSE, self.reglevel(fs, bl2.nactvar), 0, 0)
            condexit = fs.jump()
            fs.patchtohere(exit_)
        fs.patchlist(condexit, repeat_init)
        self.leaveblock(fs)

    def exp1(self, node: ast.Expr) -> None:
        e = ExpDesc()
        self.expr(node, e)
        self.fs.exp2nextreg(e)

    def fixforjump(self, pc: int, dest: int, back: bool) -> None:
        fs = self.fs
        offset = dest - (pc + 1)
        if back:
            offset = -offset
        if offset > MAXARG_Bx:
            raise self.semerror("control structure too long")
        fs.code[pc] = setarg_Bx(fs.code[pc], offset)

    def forbody(self, body: ast.Block, base: int, line: int, nvars: int, isgen: bool) -> None:
        fs = self.fs
        self.lastline = body.line                      # 'do'
        prep = fs.codeABx(OP_TFORPREP if isgen else OP_FORPREP, base, 0)
        self.enterblock(fs, False)
        self.adjustlocalvars(nvars)
        fs.reserveregs(nvars)
        self.block(body)
        self.leaveblock(fs)
        self.fixforjump(prep, fs.getlabel(), False)
        if isgen:
            fs.codeABC(OP_TFORCALL, base, 0, nvars)
            fs.fixline(line)
        endfor = fs.codeABx(OP_TFORLOOP if isgen else OP_FORLOOP, base, 0)
        self.fixforjump(endfor, prep + 1, True)
        fs.fixline(line)

    def fornum(self, st: ast.NumericFor) -> None:
        fs = self.fs
        self.lastline = st.line
        self.enterblock(fs, True)
        base = fs.freereg
        for _ in range(3):
            self.new_localvar("(for state)", "'='")
        self.new_localvar(st.var, "'='")
        self.exp1(st.start)
        self.exp1(st.stop)
        if st.step is not None:
            self.exp1(st.step)
        else:
            fs.int_(fs.freereg, 1)
            fs.reserveregs(1)
        self.adjustlocalvars(3)
        self.forbody(st.body, base, st.line, 1, False)
        self.lastline = st.body.end_line
        self.leaveblock(fs)

    def forlist(self, st: ast.GenericFor) -> None:
        fs = self.fs
        self.lastline = st.line
        self.enterblock(fs, True)
        base = fs.freereg
        names = st.names
        for _ in range(4):
            self.new_localvar("(for state)", "','" if len(names) > 1 else "'in'")
        for i, name in enumerate(names):
            self.new_localvar(name, "','" if i + 1 < len(names) else "'in'")
        line = st.exprs_line
        self.lastline = line
        e = ExpDesc()
        self.adjust_assign(4, self.explist(st.exprs, e), e)
        self.adjustlocalvars(4)
        self.marktobeclosed(fs)
        fs.checkstack(3)
        self.forbody(st.body, base, line, len(st.names), True)
        self.lastline = st.body.end_line
        self.leaveblock(fs)

    def test_then_block(self, cond: ast.Expr, blk: ast.Block, line: int,
                        escapelist: int, closer: str) -> int:
        """``closer``: the token ending the block ('elseif', 'else' or 'end')."""
        fs = self.fs
        self.lastline = line
        v = ExpDesc()
        self.expr(cond, v)
        self.lastline = blk.line                       # 'then'
        stats = blk.stats
        if stats and type(stats[0]) is ast.Break:
            brk = stats[0]
            fs.goiffalse(v)
            self.lastline = brk.line
            self.enterblock(fs, False)
            self.newlabelentry(self.gotos, "break", brk.line, v.t)
            if len(stats) == 1:
                self.leaveblock(fs)
                return escapelist
            jf = fs.jump()
            stats = stats[1:]
        else:
            fs.goiftrue(v)
            self.enterblock(fs, False)
            jf = v.f
        self.statlist(stats, blk.end_line, closer)
        self.leaveblock(fs)
        if closer != "'end'":
            escapelist = fs.concat(escapelist, fs.jump())
        fs.patchtohere(jf)
        return escapelist

    def ifstat(self, st: ast.If) -> None:
        fs = self.fs
        escapelist = NO_JUMP
        ntests = len(st.tests)
        for i, (cond, blk) in enumerate(st.tests):
            closer = ("'elseif'" if i + 1 < ntests else
                      "'else'" if st.orelse is not None else "'end'")
            escapelist = self.test_then_block(cond, blk, st.test_lines[i], escapelist,
                                              closer)
            self.lastline = blk.end_line
        if st.orelse is not None:
            self.lastline = st.orelse.line             # 'else'
            self.block(st.orelse)
            self.lastline = st.orelse.end_line
        fs.patchtohere(escapelist)

    def localfunc(self, st: ast.LocalFunction) -> None:
        fs = self.fs
        self.lastline = st.line
        fvar = fs.nactvar
        self.new_localvar(st.name, "'('")
        self.adjustlocalvars(1)
        b = ExpDesc()
        self.body(st.func, b, st.func.line)
        self.localdebuginfo(fs, fvar).startpc = fs.pc()

    def localstat(self, st: ast.Local) -> None:
        fs = self.fs
        self.lastline = st.line
        toclose = -1
        nvars = 0
        vidx = 0
        nnames = len(st.names)
        for name, attrib in zip(st.names, st.attribs):
            if attrib is not None:
                near, line = "'<'", None
            elif nvars + 1 < nnames:
                near, line = "','", None
            elif st.exprs:
                near, line = "'='", None
            else:                               # the next statement's token
                near, line = self.next_token(), self.nextline
            vidx = self.new_localvar(name, near, line)
            kind = RDKCONST if attrib == "const" else RDKTOCLOSE if attrib == "close" \
                else VDKREG
            self.getlocalvardesc(fs, vidx).kind = kind
            if kind == RDKTOCLOSE:
                if toclose != -1:
                    raise self.semerror("multiple to-be-closed variables in local list")
                toclose = fs.nactvar + nvars
            nvars += 1
        e = ExpDesc()
        if st.exprs:
            nexps = self.explist(st.exprs, e)
        else:
            e.k = VVOID
            nexps = 0
        var = self.getlocalvardesc(fs, vidx)
        if nvars == nexps and var.kind == RDKCONST:
            isconst, value = self.exp2const(e)
        else:
            isconst, value = False, None
        if isconst:
            var.kind = RDKCTC
            var.k = value
            self.adjustlocalvars(nvars - 1)
            fs.nactvar += 1
        else:
            self.adjust_assign(nvars, nexps, e)
            self.adjustlocalvars(nvars)
        if toclose != -1:
            self.marktobeclosed(fs)
            fs.codeABC(OP_TBC, self.reglevel(fs, toclose), 0, 0)

    def funcstat(self, st: ast.FunctionStat) -> None:
        fs = self.fs
        line = st.line
        self.lastline = line
        v = ExpDesc()
        self.singlevar(ast.Name(st.path[0], st.path_lines[0]), v)
        keys = list(zip(st.path[1:], st.path_lines[1:]))
        if st.method is not None:
            keys.append((st.method, st.path_lines[-1]))
        for name, kline in keys:
            fs.exp2anyregup(v)
            self.lastline = kline
            key = ExpDesc(VKSTR)
            key.val = name
            fs.indexed(v, key)
        b = ExpDesc()
        self.body(st.func, b, line)
        self.check_readonly(v)
        fs.storevar(v, b)
        fs.fixline(line)

    def retstat(self, st: ast.Return) -> None:
        fs = self.fs
        self.lastline = st.line
        first = fs.nvarstack
        if not st.exprs:
            nret = 0
        else:
            e = ExpDesc()
            nret = self.explist(st.exprs, e)
            if hasmultret(e.k):
                fs.setmultret(e)
                if e.k == VCALL and nret == 1 and not fs.bl.insidetbc:
                    fs.code[e.info] = set_op(fs.code[e.info], OP_TAILCALL)
                nret = LUA_MULTRET
            elif nret == 1:
                first = fs.exp2anyreg(e)
            else:
                fs.exp2nextreg(e)
        fs.ret(first, nret)
