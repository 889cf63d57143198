"""``luac -l`` listings of compiled prototypes (a port of luac.c's PrintFunction)."""
from __future__ import annotations

from typing import List

from .number import fmt_float
from .opcodes import (
    OPNAMES, MAXARG_C, get_op, getarg_A, getarg_Ax, getarg_B, getarg_Bx, getarg_C,
    getarg_k, getarg_sB, getarg_sBx, getarg_sC, getarg_sJ,
)
from .proto import Proto

# ltm.c luaT_eventname, in TMS order
EVENTNAMES = ["__index", "__newindex", "__gc", "__mode", "__len", "__eq", "__add", "__sub",
              "__mul", "__mod", "__pow", "__div", "__idiv", "__band", "__bor", "__bxor",
              "__shl", "__shr", "__unm", "__bnot", "__lt", "__le", "__concat", "__call",
              "__close"]

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n",
            "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def _string(s: str) -> str:
    out = ['"']
    for ch in s:
        esc = _ESCAPES.get(ch)
        if esc is not None:
            out.append(esc)
        elif 32 <= ord(ch) < 127:
            out.append(ch)
        else:
            out.append("\\%03d" % ord(ch))
    out.append('"')
    return "".join(out)


def constant(v) -> str:
    """A constant as luac's PrintConstant shows it."""
    if v is None:
        return "nil"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if type(v) is float:
        return fmt_float(v)
    if type(v) is int:
        return str(v)
    return _string(v)


def _type(v) -> str:
    if v is None:
        return "N"
    if type(v) is bool:
        return "B"
    if type(v) is float:
        return "F"
    if type(v) is int:
        return "I"
    return "S"


def address(obj) -> str:
    return "0x%014x" % id(obj)


def _upvalname(f: Proto, i: int) -> str:
    name = f.upvalues[i].name if i < len(f.upvalues) else None
    return name if name else "-"


def _operands(f: Proto, pc: int) -> str:
    """The operands and comment of instruction ``pc`` (luac.c PrintCode's switch)."""
    code = f.code
    i = code[pc]
    name = OPNAMES[get_op(i)]
    a, b, c, k = getarg_A(i), getarg_B(i), getarg_C(i), getarg_k(i)
    bx, sbx = getarg_Bx(i), getarg_sBx(i)
    isk = "k" if k else ""
    K = f.k

    def extraarg() -> int:
        return getarg_Ax(code[pc + 1])

    if name in ("MOVE", "UNM", "BNOT", "NOT", "LEN", "CONCAT"):
        return f"{a} {b}"
    if name in ("LOADI", "LOADF"):
        return f"{a} {sbx}"
    if name == "LOADK":
        return f"{a} {bx}\t; {constant(K[bx])}"
    if name == "LOADKX":
        return f"{a}\t; {constant(K[extraarg()])}"
    if name in ("LOADFALSE", "LFALSESKIP", "LOADTRUE", "CLOSE", "TBC", "VARARGPREP"):
        return f"{a}"
    if name == "LOADNIL":
        return f"{a} {b}\t; {b + 1} out"
    if name in ("GETUPVAL", "SETUPVAL"):
        return f"{a} {b}\t; {_upvalname(f, b)}"
    if name == "GETTABUP":
        return f"{a} {b} {c}\t; {_upvalname(f, b)} {constant(K[c])}"
    if name in ("GETTABLE", "GETI") or name in _ARITH:
        return f"{a} {b} {c}"
    if name == "GETFIELD":
        return f"{a} {b} {c}\t; {constant(K[c])}"
    if name == "SETTABUP":
        s = f"{a} {b} {c}{isk}\t; {_upvalname(f, a)} {constant(K[b])}"
        return s + (f" {constant(K[c])}" if k else "")
    if name in ("SETTABLE", "SETI", "SELF"):
        return f"{a} {b} {c}{isk}" + (f"\t; {constant(K[c])}" if k else "")
    if name == "SETFIELD":
        s = f"{a} {b} {c}{isk}\t; {constant(K[b])}"
        return s + (f" {constant(K[c])}" if k else "")
    if name == "NEWTABLE":
        return f"{a} {b} {c}\t; {c + extraarg() * (MAXARG_C + 1)}"
    if name in ("ADDI", "SHRI", "SHLI"):
        return f"{a} {b} {getarg_sC(i)}"
    if name in _ARITHK:
        return f"{a} {b} {c}\t; {constant(K[c])}"
    if name == "MMBIN":
        return f"{a} {b} {c}\t; {EVENTNAMES[c]}"
    if name == "MMBINI":
        return f"{a} {getarg_sB(i)} {c} {k}\t; {EVENTNAMES[c]}" + (" flip" if k else "")
    if name == "MMBINK":
        return (f"{a} {b} {c} {k}\t; {EVENTNAMES[c]} {constant(K[b])}"
                + (" flip" if k else ""))
    if name == "JMP":
        sj = getarg_sJ(i)
        return f"{sj}\t; to {sj + pc + 2}"
    if name in ("EQ", "LT", "LE"):
        return f"{a} {b} {k}"
    if name == "EQK":
        return f"{a} {b} {k}\t; {constant(K[b])}"
    if name in ("EQI", "LTI", "LEI", "GTI", "GEI"):
        return f"{a} {getarg_sB(i)} {k}"
    if name == "TEST":
        return f"{a} {k}"
    if name == "TESTSET":
        return f"{a} {b} {k}"
    if name == "CALL":
        ins = "all in " if b == 0 else f"{b - 1} in "
        outs = "all out" if c == 0 else f"{c - 1} out"
        return f"{a} {b} {c}\t; {ins}{outs}"
    if name == "TAILCALL":
        return f"{a} {b} {c}{isk}\t; {b - 1} in"
    if name == "RETURN":
        return f"{a} {b} {c}{isk}\t; " + ("all out" if b == 0 else f"{b - 1} out")
    if name == "RETURN0":
        return ""
    if name == "RETURN1":
        return f"{a}"
    if name in ("FORLOOP", "TFORLOOP"):
        return f"{a} {bx}\t; to {pc - bx + 2}"
    if name == "FORPREP":
        return f"{a} {bx}\t; exit to {pc + bx + 3}"
    if name == "TFORPREP":
        return f"{a} {bx}\t; to {pc + bx + 2}"
    if name == "TFORCALL":
        return f"{a} {c}"
    if name == "SETLIST":
        return f"{a} {b} {c}" + (f"\t; {c + extraarg() * (MAXARG_C + 1)}" if k else "")
    if name == "CLOSURE":
        return f"{a} {bx}\t; {address(f.p[bx])}"
    if name == "VARARG":
        return f"{a} {c}\t; " + ("all out" if c == 0 else f"{c - 1} out")
    if name == "EXTRAARG":
        return f"{getarg_Ax(i)}"
    raise AssertionError(name)


_ARITH = {"ADD", "SUB", "MUL", "MOD", "POW", "DIV", "IDIV", "BAND", "BOR", "BXOR", "SHL",
          "SHR"}
_ARITHK = {"ADDK", "SUBK", "MULK", "MODK", "POWK", "DIVK", "IDIVK", "BANDK", "BORK",
           "BXORK"}


def _plural(n: int) -> str:
    return "" if n == 1 else "s"


def _header(f: Proto) -> List[str]:
    s = f.source or "=?"
    if s[0] in "@=":
        s = s[1:]
    elif s[0] == "\x1b":
        s = "(bstring)"
    else:
        s = "(string)"
    kind = "main" if f.linedefined == 0 else "function"
    n = len(f.code)
    nups, nloc, nk, np = len(f.upvalues), len(f.locvars), len(f.k), len(f.p)
    return [
        f"{kind} <{s}:{f.linedefined},{f.lastlinedefined}> "
        f"({n} instruction{_plural(n)} at {address(f)})",
        f"{f.numparams}{'+' if f.is_vararg else ''} param{_plural(f.numparams)}, "
        f"{f.maxstacksize} slot{_plural(f.maxstacksize)}, {nups} upvalue{_plural(nups)}, "
        f"{nloc} local{_plural(nloc)}, {nk} constant{_plural(nk)}, {np} function{_plural(np)}",
    ]


def _code(f: Proto) -> List[str]:
    lines = []
    for pc in range(len(f.code)):
        line = f.lineinfo[pc] if pc < len(f.lineinfo) else 0
        where = f"[{line}]" if line > 0 else "[-]"
        name = OPNAMES[get_op(f.code[pc])]
        lines.append(f"\t{pc + 1}\t{where}\t{name:<9}\t{_operands(f, pc)}")
    return lines


def _debug(f: Proto) -> List[str]:
    lines = [f"constants ({len(f.k)}) for {address(f)}:"]
    lines += [f"\t{i}\t{_type(v)}\t{constant(v)}" for i, v in enumerate(f.k)]
    lines.append(f"locals ({len(f.locvars)}) for {address(f)}:")
    lines += [f"\t{i}\t{lv.name}\t{lv.startpc + 1}\t{lv.endpc + 1}"
              for i, lv in enumerate(f.locvars)]
    lines.append(f"upvalues ({len(f.upvalues)}) for {address(f)}:")
    lines += [f"\t{i}\t{_upvalname(f, i)}\t{int(uv.instack)}\t{uv.idx}"
              for i, uv in enumerate(f.upvalues)]
    return lines


def _function(f: Proto, full: bool, out: List[str]) -> None:
    out.append("")
    out += _header(f)
    out += _code(f)
    if full:
        out += _debug(f)
    for sub in f.p:
        _function(sub, full, out)


def list_proto(proto: Proto, full: bool = False) -> str:
    """What ``luac -l`` (``full``: ``luac -l -l``) prints for this chunk."""
    out: List[str] = []
    _function(proto, full, out)
    return "\n".join(out) + "\n"
