"""Hypothesis strategies that generate Lua 5.4 programs, for differential testing.

    from hypothesis import given
    from pylua.testing import lua_programs

    @given(lua_programs())
    def test_same_output(source):
        assert run_mine(source) == run_reference(source)

Every program is valid Lua 5.4, terminates quickly (loops have literal bounds,
functions call only functions defined before them, recursion has a literal
depth) and prints what it computes, deterministically: tables are printed by the
prelude's ``show`` with their keys sorted, never by address; ``pairs`` is
replaced by the prelude's ``spairs`` (sorted keys); there is no ``os.time``, no
``math.random``, no ``tostring`` of a table or function.  Errors are caught by
``pcall`` and their messages printed, so they must match the reference to the
letter; a few programs end with an uncaught error on purpose.

The building blocks:

* ``lua_values()``: a Lua literal (nil, booleans, integers and floats with their
  edge values, strings with escapes and arbitrary bytes, small tables);
* ``lua_expressions()``: a self-contained expression over those values, the
  operators and library functions, that may raise an error;
* ``lua_programs()``: whole programs (the prelude, then statements).

A program's text is a ``str`` whose characters are bytes (code points 0-255), as
pylua's strings are: encode it with ``latin-1`` to feed a file or a process.
NaN prints as ``-nan`` or ``nan`` depending on the C library: the programs print
it, so compare with a reference built on the same platform (glibc here).

This module imports hypothesis, which ``import pylua`` never does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Optional

try:
    from hypothesis import strategies as st
except ImportError as e:     # pragma: no cover - depends on the environment
    raise ImportError("pylua.testing needs hypothesis: pip install hypothesis") from e

__all__ = ["PRELUDE", "lua_programs", "lua_expressions", "lua_values"]

# Printing helpers every program starts with (and its line count fixes the line
# numbers that error messages show).
PRELUDE = r"""local function describe(v, depth)
  local t = type(v)
  if t == "string" then return string.format("%q", v) end
  if t ~= "table" then
    if t == "number" or t == "boolean" or t == "nil" then return tostring(v) end
    return t
  end
  local mt = getmetatable(v)
  if type(mt) == "table" and rawget(mt, "__tostring") then return tostring(v) end
  if depth > 2 then return "{...}" end
  local keys = {}
  for k in next, v do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return ta < tb end
    if ta == "boolean" then return b and not a end
    if ta == "number" or ta == "string" then return a < b end
    return false
  end)
  local parts = {}
  for i, k in ipairs(keys) do
    parts[i] = describe(k, 3) .. "=" .. describe(rawget(v, k), depth + 1)
  end
  local name = type(mt) == "table" and rawget(mt, "__name")
  return (type(name) == "string" and name or "") .. "{" .. table.concat(parts, ",") .. "}"
end
local function show(...)
  local parts = {}
  for i = 1, select("#", ...) do parts[i] = describe((select(i, ...)), 0) end
  print(select("#", ...), table.concat(parts, "  "))
end
local function spairs(t)
  local keys = {}
  for k in next, t do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) ~= type(b) then return type(a) < type(b) end
    return a < b
  end)
  local i = 0
  return function()
    i = i + 1
    local k = keys[i]
    if k ~= nil then return k, rawget(t, k) end
  end
end
"""

# ---------------------------------------------------------------- literals

EDGE_INTEGERS = ["0", "1", "-1", "2", "3", "7", "10", "-10", "100", "255", "256",
                 "2147483647", "-2147483648", "4294967296", "9007199254740993",
                 "math.maxinteger", "math.mininteger", "9223372036854775807",
                 "0x7fffffffffffffff", "0xffffffffffffffff", "0x10", "0XfF",
                 "0x1ffffffffffffffff", "-9223372036854775808"]
EDGE_FLOATS = ["0.0", "-0.0", "0.5", "1.5", "-2.5", "0.1", "1e15", "1e16", "1e100",
               "1e308", "1e-300", "5e-324", "2^53", "2^63", "-2^63", "math.huge",
               "-math.huge", "math.pi", "0/0", "1/3", "123456789012.5", "3.0", "-7.0",
               "0x1p4", "0x.8", "1E2", ".5", "9223372036854775808", "2^-1074", "1e309",
               "0xA.8p1", "1e-7", "123456789012345.0", "2^24 + 0.5", "1e14", "-1e-320"]
NUMERIC_STRINGS = ['"10"', '"0x10"', '" 5 "', '"1e2"', '"3.0"', '"-7"', '"0x7fffffffffffffff"',
                   '"9223372036854775808"', '"1e"', '"abc"', '""', '" "', '"inf"', '"nan"',
                   '"0x1p4"', '"10\\0"', '"  -0x10  "', '"1 2"']
STRING_PIECES = ["a", "b", "x", "hello", "Lua", "1", "42", " ", "\\n", "\\t", "\\\\", "\\\"",
                 "'", "\\0", "\\1", "\\255", "\\x41", "\\xff", "\\u{48}", "\\u{e9}",
                 "\\u{7FFFFFFF}", "\\65\\066", "%", "(", ")", "[", "]", ".", "-", "+", "*",
                 "é", "\\z   ", "\\r", "\\a\\b\\f\\v", "abc123", "  x  ", ",", "=", "\\x00\\x80"]
PATTERNS = ["a", ".", "%a+", "%d+", "%s*", "%w+", "%p", "%l", "%u+", "%x", "^a", "a$", "^$",
            "(a)", "(%a+)", "()", "(.)(.)", "[abc]", "[^abc]+", "[a-z]*", "[%d%.]+", "a-",
            "a?", ".-", "%b()", "%f[%w]%w+", "(%w)%1", "%.", "[%]]", "l+", "x*y?", "^(%s*)(.-)(%s*)$",
            "[%a_][%w_]*", "%%", "(h)(e)", ".-b", "[]", "%", "(()", "%1", "[a-", "%g"]
FORMATS = ["%d", "%5d", "%-5d|", "%05d", "%+d", "%x", "%X", "%#x", "%o", "%i", "%c",
           "%s", "%10s|", "%-6s|", "%.2s", "%q", "%f", "%.3f", "%10.2f", "%e", "%.1e", "%g",
           "%10.4g", "%a", "%.0f", "%%", "%5.1s|", "%u", "%", "%*d", "%10.3q"]
INT_FORMATS = ["%d", "%5d", "%-5d|", "%05d", "%+d", "%x", "%X", "%#x", "%o", "%i", "%q"]
FLOAT_FORMATS = ["%f", "%.3f", "%10.2f", "%e", "%.1e", "%g", "%10.4g", "%a", "%.0f", "%.14g"]
STRING_FORMATS = ["%s", "%10s|", "%-6s|", "%.2s", "%q", "%5.1s|"]
LIBRARY_CALLS = [
    "string.sub", "string.byte", "string.char", "string.len",
    "string.upper", "string.reverse", "string.find", "string.match", "string.gsub",
    "math.floor", "math.ceil", "math.abs", "math.max", "math.min", "math.tointeger",
    "math.type", "math.fmod", "math.ult", "tonumber", "select",
    "table.concat", "table.unpack", "table.insert", "table.remove", "table.pack", "rawlen",
    "rawequal", "rawget", "setmetatable", "getmetatable", "utf8.char", "utf8.len",
    "utf8.codepoint", "utf8.offset", "type", "ipairs", "error", "assert",
    "coroutine.wrap", "coroutine.status", "string.pack", "string.unpack"]
BINARY_OPERATORS = ["+", "-", "*", "/", "//", "%", "^", "&", "|", "~", "<<", ">>", "..",
                    "==", "~=", "<", "<=", ">", ">=", "and", "or"]
UNARY_OPERATORS = ["- ", "not ", "#", "~ "]     # spaced: "- -1" is not a comment
METAMETHODS = ["__index", "__newindex", "__call", "__eq", "__lt", "__le", "__concat", "__len",
               "__add", "__sub", "__mul", "__div", "__mod", "__pow", "__unm", "__idiv",
               "__band", "__bor", "__bxor", "__shl", "__shr", "__bnot", "__tostring", "__name",
               "__close", "__metatable"]
ARITH_EVENTS = {"__add": "+", "__sub": "-", "__mul": "*", "__div": "/", "__mod": "%",
                "__pow": "^", "__idiv": "//", "__band": "&", "__bor": "|", "__bxor": "~",
                "__shl": "<<", "__shr": ">>", "__concat": "..", "__lt": "<", "__le": "<=",
                "__eq": "=="}
SCALAR_TYPES = ("int", "flt", "str", "bool")
NAME_CHAIN = re.compile(r"[A-Za-z_][\w.]*$")     # a prefix expression as it stands: v1.field
MAX_COST = 4000          # statements a program may execute (a static over-estimate)


# Strategies are built once: a draw from a cached strategy costs a fraction of
# building one, and a program takes about a thousand draws.
_BOOLEANS = st.booleans()
_ANY_FLOAT = st.floats(allow_nan=False, allow_infinity=False, width=64)
_SMALL_FLOAT = st.floats(-1e6, 1e6, allow_nan=False)
_BYTES = st.binary(max_size=6)
TABLE_KEYS = ["a", "b", "x", "[1]", "[2.0]", "[true]", '["k"]', "[-1]"]


@lru_cache(maxsize=None)
def _ints(lo: int, hi: int) -> st.SearchStrategy[int]:
    return st.integers(lo, hi)


def _pick(draw: Callable, options):
    """One of ``options`` (shrinks towards the first)."""
    return options[draw(_ints(0, len(options) - 1))]


def _string_literal(draw: Callable) -> str:
    body = "".join(_pick(draw, STRING_PIECES) for _ in range(draw(_ints(0, 4))))
    kind = draw(_ints(0, 6))
    if kind == 5 and "\\" not in body and "]" not in body:
        return "[[" + body + "]]"
    if kind == 6 and "\\" not in body:
        return "[==[\n" + body + "]==]"         # the first newline is not part of it
    if kind == 4:
        return "'" + body.replace("'", "\\'") + "'"
    return '"' + body + '"'


def _byte_string_literal(draw: Callable) -> str:
    data = draw(_BYTES)
    return '"' + "".join(f"\\{b}" if draw(_BOOLEANS) else f"\\x{b:02x}" for b in data) + '"'


def _value(draw: Callable, depth: int = 1) -> str:
    kind = draw(_ints(0, 7 if depth > 0 else 6))
    if kind == 0:
        return _pick(draw, EDGE_INTEGERS)
    if kind == 1:
        return str(draw(_ints(-1000, 1000)))
    if kind == 2:
        return _pick(draw, EDGE_FLOATS)
    if kind == 3:
        return repr(draw(_ANY_FLOAT))
    if kind == 4:
        return _pick(draw, (_string_literal, _byte_string_literal))(draw)
    if kind == 5:
        return _pick(draw, NUMERIC_STRINGS)
    if kind == 6:
        return _pick(draw, ("nil", "true", "false"))
    # no nil among the items: the length of a table with holes is any of its borders
    items = [_value(draw, 0).replace("nil", "false") for _ in range(draw(_ints(0, 3)))]
    items += [f"{_pick(draw, TABLE_KEYS)} = {_value(draw, 0)}" for _ in range(draw(_ints(0, 2)))]
    return "{" + ", ".join(items) + "}"


def lua_values() -> st.SearchStrategy[str]:
    """Lua literals: nil, booleans, integers and floats (edge values included:
    ``math.mininteger``, ``-0.0``, ``math.huge``, ``0/0``...), strings with escapes
    and arbitrary bytes, numeric strings, and small tables of those."""
    return st.composite(_value)()


def _expression(draw: Callable, depth: int) -> str:
    if depth <= 0 or draw(_ints(0, 3)) == 0:
        return _value(draw)
    kind = draw(_ints(0, 3))
    sub = depth - 1
    if kind == 0:
        op = _pick(draw, BINARY_OPERATORS)
        return f"({_expression(draw, sub)} {op} {_expression(draw, sub)})"
    if kind == 1:
        return f"{_pick(draw, UNARY_OPERATORS)}{_expression(draw, sub)}"
    if kind == 2:
        args = [_expression(draw, sub) for _ in range(draw(_ints(0, 3)))]
        return f"{_pick(draw, LIBRARY_CALLS)}({', '.join(args)})"
    return f"({_expression(draw, sub)})[ {_expression(draw, sub)} ]"


def lua_expressions(max_depth: int = 2) -> st.SearchStrategy[str]:
    """Self-contained Lua expressions over ``lua_values()``: operators (with their
    coercions), indexing and library calls.  Many raise an error: evaluate them
    under ``pcall`` and print the message.  A result may be a table or a
    function: print it with the prelude's ``show``, not ``print``."""
    return st.composite(_expression)(max_depth)


# ---------------------------------------------------------------- programs

@dataclass
class _Var:
    name: str
    type: str                    # int flt str bool seq map obj fn
    mutable: bool = True
    cost: int = 1                # fn: statements one call runs
    params: tuple = ()           # fn: parameter types
    returns: str = "int"         # fn: result type
    maxlen: int = 0              # seq: an upper bound of its length
    frozen: bool = False         # seq being iterated: must not grow


@dataclass
class _Context:
    """Where the generator is: variables in scope, the loop multiplier (how many
    times the code being written may run) and the cost spent so far."""

    scopes: list = field(default_factory=lambda: [[]])
    mult: int = 1
    cost: int = 0
    loop_depth: int = 0
    in_function: bool = False
    vararg: bool = False


class _ProgramWriter:
    def __init__(self, draw: Callable, max_statements: int) -> None:
        self.draw = draw
        self.lines: list[str] = []
        self.indent = 0
        self.serial = 0
        self.ctx = _Context()
        self.max_statements = max_statements

    # -------------------------------------------------------- helpers
    def pick(self, options):
        return _pick(self.draw, options)

    def chance(self, n: int) -> bool:
        """True with probability about 1/n (shrinks to False)."""
        return self.draw(_ints(0, n - 1)) == 1     # not an end: hypothesis favours those

    def small(self, lo: int, hi: int) -> int:
        return self.draw(_ints(lo, hi))

    def fresh(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial}"

    def emit(self, line: str) -> None:
        self.lines.append("  " * self.indent + line)

    def declare(self, var: _Var) -> _Var:
        self.ctx.scopes[-1].append(var)
        return var

    def visible(self, *types: str, mutable: bool = False) -> list:
        found = {}
        for scope in self.ctx.scopes:
            for v in scope:
                found[v.name] = v
        return [v for v in found.values() if v.type in types and (v.mutable or not mutable)]

    def spend(self, units: int) -> bool:
        """Account for ``units`` statements run ``mult`` times; False if over budget."""
        total = units * self.ctx.mult
        if self.ctx.cost + total > MAX_COST:
            return False
        self.ctx.cost += total
        return True

    def block(self, body: Callable[[], None], *, times: int = 1, loop: bool = False) -> None:
        ctx = self.ctx
        ctx.scopes.append([])
        ctx.mult *= times
        ctx.loop_depth += loop
        self.indent += 1
        try:
            body()
        finally:
            self.indent -= 1
            ctx.loop_depth -= loop
            ctx.mult //= times
            ctx.scopes.pop()

    def statements(self, limit: int, more: int = 4) -> None:
        """Up to ``limit`` statements; each time one more with odds ``more`` to 1."""
        count = 0
        while count < limit and self.small(0, more) > 0:
            if not self.spend(1):
                break
            self.statement()
            count += 1

    # -------------------------------------------------------- typed expressions
    def expr(self, ty: str, depth: int = 2) -> str:
        gen = getattr(self, "expr_" + ty)
        return gen(depth)

    def var_or(self, ty: str, literal: Callable[[], str]) -> str:
        vs = self.visible(ty)
        if vs and self.draw(_BOOLEANS):
            return self.pick(vs).name
        return literal()

    def call_of(self, ty: str) -> Optional[str]:
        fns = [f for f in self.visible("fn") if f.returns == ty]
        if not fns:
            return None
        f = self.pick(fns)
        if not self.spend(f.cost):
            return None
        return f"{f.name}({', '.join(self.expr(p, 0) for p in f.params)})"

    def expr_int(self, depth: int) -> str:
        kind = self.small(0, 12) if depth > 0 else self.small(0, 2)
        if kind == 0:
            return self.var_or("int", lambda: self.pick(EDGE_INTEGERS))
        if kind == 1:
            return str(self.small(-300, 300))
        if kind == 2:
            return self.pick([f"(#{self.expr_str(0)})", *(f"(#{v.name})" for v in self.visible("seq"))])
        sub = depth - 1
        if kind in (3, 4):
            op = self.pick(["+", "-", "*", "&", "|", "~", "<<", ">>"])
            return f"({self.expr_int(sub)} {op} {self.expr_int(sub)})"
        if kind == 5:
            op = self.pick(["//", "%"])
            divisor = self.pick(["1", "-1", "2", "3", "-7", "10", "math.mininteger", "math.maxinteger"])
            return f"({self.expr_int(sub)} {op} {divisor})"
        if kind == 6:
            return f"({self.pick(['- ', '~ '])}{self.expr_int(sub)})"
        if kind == 7:
            fn = self.pick(["math.max", "math.min", "math.abs", "select('#'{args})",
                            "string.len", "math.tointeger"])
            if "{args}" in fn:
                if self.ctx.vararg and self.draw(_BOOLEANS):     # the function's own ...
                    return fn.format(args=", ...")
                return fn.format(args="".join(", " + self.expr("int", 0) for _ in range(self.small(0, 3))))
            if fn == "string.len":
                return f"string.len({self.expr_str(sub)})"
            if fn == "math.abs":
                return f"math.abs({self.expr_int(sub)})"
            if fn == "math.tointeger":
                return f"(math.tointeger({self.expr_num(sub)}) or -1)"
            return f"{fn}({self.expr_int(sub)}, {self.expr_int(sub)})"
        if kind == 8:
            return f"({self.expr_bool(sub)} and {self.expr_int(sub)} or {self.expr_int(sub)})"
        if kind == 9:
            return f"(({self.expr_str(sub)}):byte({self.small(-3, 3)}) or 0)"
        if kind == 10:
            text = self.pick(['"0x1F"', '"  12  "', '"-0"', '"077"'])
            return f"tonumber({text})"
        if kind == 11:
            return self.call_of("int") or self.expr_int(0)
        return f"(({self.expr_str(sub)}):find({self.pick(PATTERNS[:20])!r}, 1, true) or -2)"

    def expr_flt(self, depth: int) -> str:
        kind = self.small(0, 8) if depth > 0 else self.small(0, 1)
        if kind == 0:
            return self.var_or("flt", lambda: self.pick(EDGE_FLOATS))
        if kind == 1:
            return repr(self.draw(_SMALL_FLOAT))
        sub = depth - 1
        if kind in (2, 3):
            return f"({self.expr_num(sub)} {self.pick(['/', '^'])} {self.expr_num(sub)})"
        if kind == 4:
            op = self.pick(["+", "-", "*", "//", "%"])
            return f"({self.expr_flt(sub)} {op} {self.expr_num(sub)})"
        if kind == 5:
            # (no libm NaN: its sign differs between C builds of Lua)
            fn = self.pick(["math.sqrt(math.abs({x}))", "math.floor({x}) + 0.0", "math.fmod({x}, 2.5)",
                            "math.abs(0.0 + {x})", "math.ceil({x}) + 0.0", "math.exp",
                            "math.log(math.abs({x}) + 1)", "math.log({x} * {x} + 1, 2)"])
            x = self.expr_num(sub)
            return fn.format(x=x) if "{x}" in fn else f"{fn}({x})"
        if kind == 6:
            return f"(- {self.expr_flt(sub)})"
        if kind == 7:
            return f"((tonumber({self.expr_str(0)}) or {self.expr_flt(sub)}) + 0.0)"
        return f"({self.expr_int(sub)} + 0.0)"

    def expr_num(self, depth: int) -> str:
        return self.expr_int(depth) if self.draw(_BOOLEANS) else self.expr_flt(depth)

    def expr_str(self, depth: int) -> str:
        kind = self.small(0, 12) if depth > 0 else self.small(0, 1)
        if kind == 0:
            return self.var_or("str", lambda: _string_literal(self.draw))
        if kind == 1:
            return self.pick([_string_literal, _byte_string_literal])(self.draw)
        sub = depth - 1
        if kind == 2:
            return f"({self.expr_str(sub)} .. {self.pick([self.expr_str, self.expr_num])(sub)})"
        if kind == 3:
            return f"tostring({self.expr_num(sub)})"
        if kind == 4:
            sep = f", {self.expr_str(0)}" if self.draw(_BOOLEANS) else ""
            return f"string.rep({self.expr_str(sub)}, {self.small(-1, 4)}{sep})"
        if kind == 5:
            return f"({self.expr_str(sub)}):sub({self.small(-8, 8)}, {self.small(-8, 8)})"
        if kind == 6:
            return f"({self.expr_str(sub)}):{self.pick(['upper', 'lower', 'reverse'])}()"
        if kind == 7:
            return self.format_call(sub)
        if kind == 8:
            return f"string.char({', '.join(str(self.small(0, 255)) for _ in range(self.small(0, 4)))})"
        if kind == 9:
            pat = self.pick(PATTERNS[:36])
            repl = self.pick(['"<%0>"', '"%1"', '"-"', '""', "{a = 'A', x = 1}",
                              "function(c) return #c .. '' end", "function() return false end"])
            n = f", {self.small(0, 3)}" if self.draw(_BOOLEANS) else ""
            return f"(string.gsub({self.expr_str(sub)}, {pat!r}, {repl}{n}))"
        if kind == 10:
            seqs = self.visible("seq")
            if seqs:
                s = self.pick(seqs).name
                return f"table.concat({s}, {self.expr_str(0)}, {self.small(1, 2)}, #{s})"
            return f"table.concat({{{self.expr_int(0)}, {self.expr_str(0)}}}, {self.expr_str(0)})"
        if kind == 11:
            pat = self.pick(PATTERNS[:36])
            return f"tostring(({self.expr_str(sub)}):match({pat!r}))"
        return self.call_of("str") or self.expr_str(0)

    def format_call(self, depth: int) -> str:
        specs = []
        args = []
        for _ in range(self.small(1, 3)):
            ty = self.pick(["int", "flt", "str"])
            spec = self.pick({"int": INT_FORMATS, "flt": FLOAT_FORMATS, "str": STRING_FORMATS}[ty])
            specs.append(spec)
            arg = self.expr(ty, depth)
            if ty == "str" and spec not in ("%s", "%q"):    # no zeros where a width applies
                arg = f"(string.gsub({arg}, '\\0', ''))"
            args.append(arg)
        text = "[" + "|".join(specs) + "]"
        return f"string.format({text!r}, {', '.join(args)})"

    def expr_bool(self, depth: int) -> str:
        kind = self.small(0, 6) if depth > 0 else 0
        if kind == 0:
            return self.var_or("bool", lambda: self.pick(["true", "false"]))
        sub = depth - 1
        if kind in (1, 2):
            ty = self.pick(["num", "num", "str"])
            op = self.pick(["==", "~=", "<", "<=", ">", ">="])
            return f"({self.expr(ty, sub)} {op} {self.expr(ty, sub)})"
        if kind == 3:
            return f"(not {self.expr_bool(sub)})"
        if kind == 4:
            return f"({self.expr_bool(sub)} {self.pick(['and', 'or'])} {self.expr_bool(sub)})"
        if kind == 5:
            return f"(math.type({self.expr_num(sub)}) == 'integer')"
        a, b = self.pick(SCALAR_TYPES), self.pick(SCALAR_TYPES)
        return f"({self.expr(a, sub)} == {self.expr(b, sub)})"

    def expr_seq(self, depth: int) -> str:
        return "{" + ", ".join(self.expr_int(min(depth, 1)) for _ in range(self.small(0, 4))) + "}"

    def expr_map(self, depth: int) -> str:
        items = []
        for _ in range(self.small(0, 4)):
            key = self.pick(["a", "b", "name", "[1]", "[3]", "[-1]", "[2.5]", "[true]",
                             '["with space"]', "[math.maxinteger]", "[2^53]"])
            items.append(f"{key} = {self.expr(self.pick(SCALAR_TYPES), min(depth, 1))}")
        return "{" + ", ".join(items) + "}"

    def scalar(self, depth: int = 1) -> str:
        return self.expr(self.pick(SCALAR_TYPES), depth)

    # -------------------------------------------------------- risky expressions
    def operand(self) -> str:
        vs = self.visible("int", "flt", "str", "bool", "seq", "map", "obj", "fn")
        kind = self.small(0, 5)
        if kind <= 1 and vs:
            return self.pick(vs).name
        if kind == 2 and vs:
            v = self.pick(vs).name
            return self.pick([f"{v}.field", f"{v}[1]", f"{v}.v", f"{v}.name"])
        if kind == 3:
            return self.pick(["undefined_global", "{}", "print", "nil", "utf8", "string"])
        return _value(self.draw)

    def value_operand(self) -> str:
        """An operand that cannot fail to evaluate (a variable or a literal)."""
        vs = self.visible("int", "flt", "str", "bool", "seq", "map", "obj", "fn")
        return self.pick(vs).name if vs and self.draw(_BOOLEANS) else _value(self.draw)

    def lvalue(self) -> str:
        target = self.value_operand()
        if not (target.isidentifier() and target[-1].isdigit()):     # a variable: v1, o2...
            target = f"({target})"
        return self.pick([f"{target}.x", f"{target}[ {self.value_operand()} ]", "undefined_global",
                          f"{target}.x.y"])

    def risky(self, depth: int = 2) -> str:
        kind = self.small(0, 6) if depth > 0 else 0
        if kind == 0:
            return self.operand()
        sub = depth - 1
        if kind in (1, 2):
            op = self.pick(BINARY_OPERATORS)
            return f"({self.risky(sub)} {op} {self.risky(sub)})"
        if kind == 3:
            return f"{self.pick(UNARY_OPERATORS)}{self.risky(sub)}"
        if kind == 4:
            args = ", ".join(self.risky(sub) for _ in range(self.small(0, 3)))
            return f"{self.pick(LIBRARY_CALLS)}({args})"
        if kind == 5:
            callee = self.operand()
            if not NAME_CHAIN.match(callee) or callee in ("nil", "true", "false"):
                callee = f"({callee})"
            method = self.pick(["", ":rep(2)", ":upper()", ":nomethod()", "(1)", ".x.y"])
            return callee + method
        return f"({self.risky(sub)})[ {self.risky(sub)} ]"

    # -------------------------------------------------------- statements
    def statement(self) -> None:
        kinds = [self.st_print, self.st_local, self.st_assign, self.st_probe, self.st_if,
                 self.st_for, self.st_while, self.st_repeat, self.st_function, self.st_table,
                 self.st_class, self.st_closure, self.st_varargs, self.st_goto, self.st_close,
                 self.st_strings, self.st_edges, self.st_coroutine, self.st_generic_for,
                 self.st_error_values, self.st_pack, self.st_load, self.st_multiple,
                 self.st_precedence]
        self.pick(kinds)()

    def st_print(self) -> None:
        self.emit(f"print({', '.join(self.scalar(2) for _ in range(self.small(0, 3)))})")

    def st_local(self) -> None:
        ty = self.pick(["int", "flt", "str", "bool", "seq", "map"])
        name = self.fresh("v")
        attrib = " <const>" if self.chance(6) else ""
        value = self.expr(ty, 2)
        self.emit(f"local {name}{attrib} = {value}")
        var = _Var(name, ty, mutable=not attrib)
        if ty == "seq":
            var.maxlen = value.count(",") + 1
        self.declare(var)

    def st_assign(self) -> None:
        targets = self.visible("int", "flt", "str", "bool", mutable=True)
        if not targets:
            return self.st_local()
        if len(targets) > 1 and self.chance(4):
            a, b = self.pick(targets), self.pick(targets)
            if a.type == b.type:
                return self.emit(f"{a.name}, {b.name} = {b.name}, {a.name}")
        v = self.pick(targets)
        value = self.expr(v.type, 2)
        if v.type == "str":     # in a loop, s = s .. s would double it every time
            value = f"({value}):sub(1, {self.small(0, 40)})"
        self.emit(f"{v.name} = {value}")
        if self.chance(2):
            self.emit(f"print({v.name})")

    def st_probe(self) -> None:
        """An expression that may fail, under pcall, its result shown."""
        kind = self.small(0, 3)
        if kind == 0:
            self.emit(f"show(pcall(function() return {self.risky(2)} end))")
        elif kind == 1:
            a, b = self.fresh("a"), self.fresh("b")
            op = self.pick(BINARY_OPERATORS[:19])
            self.emit(f"show(pcall(function() local {a}, {b} = {self.operand()}, {self.operand()} "
                      f"return {a} {op} {b} end))")
        elif kind == 2:
            args = "".join(", " + self.value_operand() for _ in range(self.small(0, 3)))
            self.emit(f"show(pcall({self.pick(LIBRARY_CALLS)}{args}))")
        else:
            self.emit(f"show(pcall(function() {self.lvalue()} = {self.operand()} end))")

    def st_if(self) -> None:
        self.emit(f"if {self.expr_bool(2)} then")
        self.block(lambda: self.statements(3))
        while self.chance(3):
            self.emit(f"elseif {self.expr_bool(1)} then")
            self.block(lambda: self.statements(2))
        if self.draw(_BOOLEANS):
            self.emit("else")
            self.block(lambda: self.statements(2))
        self.emit("end")

    def loop_body(self, times: int, extra: Callable[[], None] = lambda: None) -> None:
        def body():
            extra()
            self.statements(3)
            if self.chance(4):
                self.emit(f"if {self.expr_bool(1)} then break end")
        self.block(body, times=times, loop=True)

    def st_for(self) -> None:
        if self.ctx.loop_depth >= 3:
            return self.st_print()
        start, stop, step, count, ty = self.pick([
            ("1", "3", None, 3, "int"), ("3", "1", "-1", 3, "int"), ("1", "0", None, 0, "int"),
            ("0", "10", "4", 3, "int"), ("math.maxinteger - 2", "math.maxinteger", None, 3, "int"),
            ("math.mininteger", "math.mininteger + 2", None, 3, "int"),
            ("math.mininteger + 1", "math.mininteger", "-1", 2, "int"),
            ("math.maxinteger", "math.maxinteger - 5", "-3", 2, "int"),
            ("1", "2.9", None, 2, "int"), ("-1", "1.5", "1", 3, "int"),
            ("1.0", "2.0", "0.5", 3, "flt"), ("0", "1", "0.25", 4, "flt"),
            ("3", "1.5", "-0.5", 4, "flt"), ("1", "math.huge", "math.maxinteger", 2, "int"),
            ("0", "-math.huge", "math.mininteger", 2, "int"), ("1", "4", "2^62", 1, "flt"),
            ("2", "1", None, 0, "int"), ("1", "1", None, 1, "int")])
        name = self.fresh("i")
        self.emit(f"for {name} = {start}, {stop}{', ' + step if step else ''} do")
        self.loop_body(max(count, 1), lambda: self.declare(_Var(name, ty)))
        self.emit("end")

    def st_while(self) -> None:
        if self.ctx.loop_depth >= 3:
            return self.st_print()
        n, counter = self.small(0, 4), self.fresh("c")
        self.emit(f"local {counter} = 0")
        self.emit(f"while {counter} < {n} do")
        self.emit(f"  {counter} = {counter} + 1")
        self.loop_body(max(n, 1), lambda: self.declare(_Var(counter, "int", mutable=False)))
        self.emit("end")

    def st_repeat(self) -> None:
        if self.ctx.loop_depth >= 3:
            return self.st_print()
        n, counter, inner = self.small(1, 4), self.fresh("c"), self.fresh("done")
        self.emit(f"local {counter} = 0")
        self.emit("repeat")
        self.emit(f"  {counter} = {counter} + 1")
        self.emit(f"  local {inner} = {counter} >= {n}")
        self.loop_body(n, lambda: self.declare(_Var(counter, "int", mutable=False)))
        self.emit(f"until {inner}")

    def st_generic_for(self) -> None:
        if self.ctx.loop_depth >= 3:
            return self.st_print()
        seqs = [s for s in self.visible("seq") if s.maxlen * self.ctx.mult < 200]
        maps = self.visible("map")
        k, v = self.fresh("k"), self.fresh("e")
        kind = self.small(0, 2)
        if kind == 0 and seqs:
            s = self.pick(seqs)
            self.emit(f"for {k}, {v} in ipairs({s.name}) do")
            was, s.frozen = s.frozen, True
            self.loop_body(max(s.maxlen, 1), lambda: (self.declare(_Var(k, "int", False)),
                                                      self.declare(_Var(v, "int", False))))
            s.frozen = was
        elif kind == 1 and maps:
            m = self.pick(maps)
            self.emit(f"for {k}, {v} in spairs({m.name}) do")
            self.block(lambda: self.emit(f"show({k}, {v})"), times=12, loop=True)
        else:
            pat = self.pick(["%a+", "%d", ".", "(%w)(%w)", "()x", "[^,]+"])
            self.emit(f"for {k} in string.gmatch({self.expr_str(1)}, {pat!r}) do")
            self.block(lambda: self.emit(f"print({k})"), times=40, loop=True)
        self.emit("end")

    def st_function(self) -> None:
        if self.ctx.in_function and self.chance(2):
            return self.st_print()
        name = self.fresh("f")
        params = tuple(self.pick(["int", "str", "flt"]) for _ in range(self.small(0, 3)))
        returns = self.pick(["int", "str", "flt", "bool"])
        pnames = [self.fresh("p") for _ in params]
        vararg = self.chance(3)
        plist = ", ".join(pnames + (["..."] if vararg else []))
        self.emit(f"local function {name}({plist})")
        outer = self.ctx
        self.ctx = _Context(scopes=outer.scopes + [[_Var(p, t) for p, t in zip(pnames, params)]],
                            in_function=True, vararg=vararg)
        self.indent += 1
        try:
            self.statements(4)
            self.emit(f"return {self.expr(returns, 2)}")
        finally:
            self.indent -= 1
            cost, self.ctx = self.ctx.cost + 1, outer
        self.emit("end")
        self.declare(_Var(name, "fn", mutable=False, cost=cost, params=params, returns=returns))
        if self.spend(cost):
            self.emit(f"print({name}({', '.join(self.expr(p, 1) for p in params)}))")

    def st_table(self) -> None:
        seqs = [s for s in self.visible("seq") if not s.frozen]
        maps = self.visible("map")
        kind = self.small(0, 6)
        if kind <= 2 and seqs:
            s = self.pick(seqs)
            op = self.pick(["table.insert({s}, {x})", "{s}[#{s} + 1] = {x}",
                            "table.insert({s}, 1, {x})", "print(table.remove({s}))",
                            "print(table.remove({s}, 1))", "show(table.unpack({s}))",
                            "table.sort({s})", "table.sort({s}, function(a, b) return a > b end)",
                            "show(pcall(table.insert, {s}, {n}, {x}))", "show({s})",
                            "show(table.move({s}, 1, 2, 3, {{}}))", "print(#{s}, rawlen({s}))",
                            # in bounds: out of bounds, 5.4.4 blames argument #1, 5.4.8 #2
                            "show(pcall(table.remove, {s}, math.min({p}, #{s} + 1)))"])
            self.emit(op.format(s=s.name, x=self.expr_int(1), n=self.small(-1, 6),
                                p=self.small(1, 6)))
            s.maxlen += self.ctx.mult
        elif kind <= 4 and maps:
            m = self.pick(maps).name
            key = self.pick(["a", "b", "z", "[1]", "[2]", "[2.0]", "[-0.0]", "[false]", "[10]"])
            ref = f"{m}.{key}" if not key.startswith("[") else f"{m}{key}"
            value = self.pick([self.scalar(1), "nil"])
            self.emit(f"{ref} = {value}")
            self.emit(self.pick([f"show({m})", f"print({ref})", f"print(next({{}}), rawget({m}, 1))"]))
        else:
            name = self.fresh("t")
            self.emit(f"local {name} = table.pack({', '.join(self.scalar(0) for _ in range(self.small(0, 4)))})")
            self.emit(f"show({name}, {name}.n, select('#', table.unpack({name}, 1, {name}.n)))")

    def st_class(self) -> None:
        """A metatable with some metamethods, objects using it, and operations on them."""
        mt, cls = self.fresh("mt"), self.fresh("Class")
        events = {self.pick(METAMETHODS) for _ in range(self.small(1, 6))}
        if "__lt" in events:        # without __le, "a <= b" depends on LUA_COMPAT_LT_LE
            events.add("__le")
        events = sorted(events)
        fields = []
        for ev in events:
            fields.append(f"{ev} = {self.metamethod(ev, cls)}")
        self.emit(f"local {mt} = {{{', '.join(fields)}}}")
        objs = []
        for _ in range(self.small(1, 2)):
            o = self.fresh("o")
            self.emit(f"local {o} = setmetatable({{v = {self.expr_int(0)}}}, {mt})")
            objs.append(o)
            self.declare(_Var(o, "obj", mutable=False))
        for _ in range(self.small(1, 4)):
            a = self.pick(objs)
            b = self.pick(objs + [self.expr_int(0), self.expr_str(0), "{}", "nil"])
            op = self.pick(list(ARITH_EVENTS.values()) + ["call", "index", "newindex", "len",
                                                           "unm", "bnot", "set"]
                           + ["tostring"] * ("__tostring" in events))
            if op == "call":
                e = f"{a}({b}, 2)"
            elif op == "index":
                e = f"{a}[ {b} ]"
            elif op == "len":
                e = f"#{a}"
            elif op in ("unm", "bnot"):
                e = f"{'-' if op == 'unm' else '~'}{a}"
            elif op == "tostring":
                e = f"describe({a}, 0)"     # tostring unless its metatable is gone
            elif op in ("newindex", "set"):
                key = self.pick(['1', '"k"', '"v"'])
                self.emit(f"show(pcall(function() {a}[{key}] = {b} end), rawget({a}, 'k'))")
                if op == "set":
                    self.emit(f"show(pcall(setmetatable, {a}, nil))")
                continue
            elif self.draw(_BOOLEANS):
                e = f"{a} {op} {b}"
            else:
                e = f"{b} {op} {a}"
            self.emit(f"show(pcall(function() return {e} end))")

    def metamethod(self, event: str, cls: str) -> str:
        if event == "__name":
            return f'"{cls}"'
        if event == "__metatable":
            return '"locked"'
        if event == "__index":
            return self.pick(["{x = 1, [1] = 'one'}", "function(t, k) return 'idx:' .. describe(k, 3) end",
                              "setmetatable({}, {__index = function(_, k) return k end})"])
        if event == "__newindex":
            return self.pick(["function(t, k, v) rawset(t, k, v) end", "{}",
                              "function(t, k, v) show('set', k, v) end"])
        if event == "__call":
            return "function(self, ...) return select('#', ...), ... end"
        if event == "__tostring":
            return self.pick([f"function(o) return '{cls}(' .. describe(rawget(o, 'v'), 3) .. ')' end",
                              "function() return 42 end"])
        if event == "__len":
            return self.pick(["function() return 42 end", "function(o) return o.v end",
                              "function() return 'len' end"])
        if event == "__close":
            return "function(o, e) show('close', e) end"
        if event == "__eq" or event == "__lt" or event == "__le":
            return self.pick(["function(a, b) return true end", "function(a, b) return nil end",
                              "function(a, b) return 'yes' end"])
        if event in ("__unm", "__bnot"):
            return f"function(a, b) return '{event}' end"
        return self.pick([f"function(a, b) return '{event}(' .. type(a) .. ',' .. type(b) .. ')' end",
                          "function(a, b) return 7 end"])

    def st_closure(self) -> None:
        mk, fn = self.fresh("mk"), self.fresh("ctr")
        kind = self.small(0, 2)
        if kind == 0:
            self.emit(f"local function {mk}(n)")
            self.emit("  local step = 0")
            self.emit("  return function(d) step = step + 1 n = n + d return n, step end,")
            self.emit("         function() return n end")
            self.emit("end")
            self.emit(f"local {fn}, {fn}get = {mk}({self.expr_int(1)})")
            calls = self.small(1, 4)
            for _ in range(calls):
                self.emit(f"print({fn}({self.expr_num(0)}))")
            self.emit(f"print({fn}get())")
        elif kind == 1:
            fs = self.fresh("fs")
            self.emit(f"local {fs} = {{}}")
            self.emit(f"for i = 1, 3 do local j = i * 10 {fs}[i] = function(x) j = j + 1 "
                      f"return i, j, x end end")
            self.emit(f"print({fs}[1]({self.scalar(0)}), {fs}[3](), {fs}[1](), {fs}[2]())")
        else:
            depth = self.small(0, 12)
            self.emit(f"local function {fn}(n, acc) if n <= 0 then return acc end "
                      f"return {fn}(n - 1, acc {self.pick(['+', '..', '*'])} n) end")
            start = self.pick(['1', '""', '0.5'])
            self.emit(f"show(pcall({fn}, {depth}, {start}))")

    def st_varargs(self) -> None:
        va = self.fresh("va")
        self.emit(f"local function {va}(...)")
        self.emit("  local a, b = ...")
        self.emit(self.pick(["  return select('#', ...), a, b, ...",
                             "  local t = {...} return #t, select(-1, ...)",
                             "  return table.pack(...).n, (select(2, ...))",
                             "  return ..."]))
        self.emit("end")
        args = "".join(", " + self.scalar(0) for _ in range(self.small(0, 4)))
        self.emit(f"show(pcall({va}{args}))")
        self.emit(f"show(pcall(select, {self.small(-3, 4)}{args}))")

    def st_goto(self) -> None:
        kind = self.small(0, 2)
        label = self.fresh("L")
        if kind == 0 and self.ctx.loop_depth < 3:
            i = self.fresh("i")
            self.emit(f"for {i} = 1, {self.small(1, 4)} do")
            self.indent += 1
            self.emit(f"if {i} % 2 == 0 then goto {label} end")
            self.emit(f"local sq = {i} * {i}")
            self.emit("print(sq)")
            self.indent -= 1
            self.emit(f"  ::{label}::")
            self.emit("end")
        elif kind == 1:
            n = self.fresh("n")
            self.emit("do")
            self.emit(f"  local {n} = 0")
            self.emit(f"  ::{label}::")
            self.emit(f"  {n} = {n} + 1")
            self.emit(f"  if {n} < {self.small(1, 5)} then goto {label} end")
            self.emit(f"  print({n})")
            self.emit("end")
        else:
            self.emit("do")
            self.emit(f"  goto {label}")
            self.emit(f"  print({self.scalar(0)})")
            self.emit(f"  ::{label}::")
            self.emit(f"  print({self.scalar(0)})")
            self.emit("end")

    def st_close(self) -> None:
        name = self.fresh("tbc")
        value = self.pick([
            f"setmetatable({{}}, {{__close = function(o, e) show('close {name}', e) end}})",
            "nil", "false",
            f"setmetatable({{}}, {{__close = function(o, e) error('in close {name}', 0) end}})"])
        fails = "error('in close" in value
        body_error = self.chance(3)
        self.emit("show(pcall(function()")
        self.emit(f"  local {name} <close> = {value}")
        self.emit(f"  print({self.scalar(1)})")
        if body_error:
            self.emit("  error(" + self.pick(['"body"', '{}', '42', 'nil']) + ")")
        self.emit("  return 'done'")
        self.emit("end))")
        if fails or self.chance(4):
            bad = self.pick(['42', '{}', '"s"'])
            self.emit(f"show(pcall(function() local x <close> = {bad} end))")

    def st_strings(self) -> None:
        s = self.expr_str(1)
        kind = self.small(0, 4)
        if kind == 0:
            self.emit(f"show(pcall(string.find, {s}, {self.pick(PATTERNS)!r}, {self.small(-5, 6)}))")
        elif kind == 1:
            self.emit(f"show(pcall(string.match, {s}, {self.pick(PATTERNS)!r}))")
        elif kind == 2:
            repl = self.pick(['"%1%0"', '"%2"', '"%"', '{}', 'string.upper'])
            self.emit(f"show(pcall(string.gsub, {s}, {self.pick(PATTERNS)!r}, {repl}))")
        elif kind == 3:
            self.emit(f"show(({s}):byte({self.small(-4, 4)}, {self.small(-4, 8)}))")
        else:
            args = "".join(", " + _value(self.draw, 0) for _ in range(self.small(0, 2)))
            self.emit(f"show(pcall(string.format, {self.pick(FORMATS)!r}{args}))")

    def st_edges(self) -> None:
        a = self.pick(EDGE_INTEGERS + EDGE_FLOATS)
        b = self.pick(EDGE_INTEGERS + EDGE_FLOATS)
        op = self.pick(["+", "-", "*", "/", "//", "%", "^", "==", "<", "<=", "&", "|", "<<"])
        self.emit(f"show(pcall(function() return {a} {op} {b} end))")
        self.emit(f"print(math.tointeger({a}), math.type({b}), {a} .. '', string.format('%.17g', {b}))")

    def st_coroutine(self) -> None:
        co = self.fresh("co")
        n = self.small(0, 3)
        self.emit(f"local {co} = coroutine.{self.pick(['wrap', 'create'])}(function(a)")
        self.emit(f"  for i = 1, {n} do a = coroutine.yield(a, i) end")
        self.emit("  return " + self.pick(['"done"', 'a', 'error("fail")', 'error({})']))
        self.emit("end)")
        for i in range(n + 2):
            self.emit(f"show(pcall(function() if type({co}) == 'thread' then "
                      f"return coroutine.resume({co}, {i}) end return {co}({i}) end))")
        self.emit(f"show(type({co}) == 'thread' and coroutine.status({co}))")

    def st_pack(self) -> None:
        fmt = self.pick(["i4", ">I2", "<d", "s1", "z", "j", "n", "B", "h", "!4 i3 i8", "xXi4",
                         "<i2 >i2", "I3", "f", "s", "c3", "=I4", "i16", "b", "Bz", "<!2 h d"])
        values = "".join(", " + self.scalar(0) for _ in range(self.small(0, 3)))
        packed = self.fresh("bin")
        self.emit(f"local {packed} = table.pack(pcall(string.pack, {fmt!r}{values}))")
        self.emit(f"show({packed}[1], {packed}[2])")
        self.emit(f"if {packed}[1] then show(pcall(string.unpack, {fmt!r}, {packed}[2])) end")
        self.emit(f"show(pcall(string.packsize, {fmt!r}))")

    def st_load(self) -> None:
        """Source made at run time: load's syntax errors and the chunk's results."""
        text = self.risky(2) if self.draw(_BOOLEANS) else _expression(self.draw, 2)
        chunk = self.pick(["return {t}", "local x = {t}; return x", "{t}", "return {t} end",
                           "return ({t}),"]).format(t=text)
        f, err = self.fresh("ld"), self.fresh("err")
        quoted = "[=====[" + chunk + "]=====]"
        if "]=====" in chunk or "\n" in chunk or "\r" in chunk:
            return self.st_print()
        name = self.pick(["nil", '"=chunk"', '"@file.lua"'])
        self.emit(f"local {f}, {err} = load({quoted}, {name})")
        self.emit(f"if {f} then show(pcall({f})) else show({err}) end")

    def st_multiple(self) -> None:
        """Multiple results: truncation, expansion, evaluation order."""
        va = self.fresh("mr")
        n = self.small(0, 3)
        values = ", ".join(self.scalar(0) for _ in range(n))
        self.emit(f"local function {va}() return {values} end")
        a, b, c = self.fresh("x"), self.fresh("x"), self.fresh("x")
        self.emit(self.pick([f"local {a}, {b}, {c} = {va}()",
                             f"local {a}, {b}, {c} = ({va}())",
                             f"local {a}, {b}, {c} = {va}(), {va}()",
                             f"local {a}, {b}, {c} = 1, {va}()"]))
        self.emit(f"show({a}, {b}, {c})")
        self.emit(self.pick([f"show({{{va}()}}, {{({va}())}}, {{{va}(), 'end'}})",
                             f"show(select('#', {va}()), select('#', ({va}())), #{{{va}()}})",
                             f"show(table.unpack({{{va}()}}))",
                             f"show({va}(), {va}())"]))

    def st_precedence(self) -> None:
        """Operators without parentheses: precedence and associativity."""
        ops = ["+", "-", "*", "/", "//", "%", "^", "..", "==", "<", "<=", "and", "or",
               "&", "|", "~", "<<", ">>"]
        operands = ["2", "3", "-2", "0.5", "'4'", "true", "nil", "1", "7", "-0.0", '"x"']
        parts = [self.pick(operands)]
        for _ in range(self.small(1, 4)):
            if self.chance(4):
                parts[-1] = self.pick(["- ", "not ", "~ ", "# "]) + parts[-1]
            parts += [self.pick(ops), self.pick(operands)]
        self.emit(f"show(pcall(function() return {' '.join(parts)} end))")

    def st_error_values(self) -> None:
        value = self.pick(["'msg'", "'msg', 0", "'msg', 2", "{code = 1}", "42", "nil", "true",
                           "setmetatable({}, {__tostring = function() return 'custom' end})",
                           "3.5", "'multi\\nline'"])
        self.emit(f"show(pcall(error, {value}))")
        if self.chance(2):
            self.emit("show(xpcall(function() local x = nil; return x.y end, "
                      "function(m) return 'handled: ' .. m end))")
        else:
            cond, why = self.pick(['false', 'nil', '1']), self.pick(['"why"', '{}', '2'])
            self.emit(f"show(select('#', pcall(error)), pcall(assert, {cond}, {why}))")

    def program(self) -> str:
        self.statements(self.max_statements, more=19)
        if self.chance(40):
            self.emit(self.pick([f"error({self.scalar(0)})", f"local z = {self.risky(2)}",
                                 "error(setmetatable({}, {__tostring = function() return 'E' end}))",
                                 "error({})", "error()", "error(nil)"]))
        return PRELUDE + "\n".join(self.lines) + "\n"


@st.composite
def _program(draw: Callable, max_statements: int) -> str:
    return _ProgramWriter(draw, max_statements).program()


def lua_programs(max_statements: int = 30) -> st.SearchStrategy[str]:
    """Whole Lua 5.4 programs: ``PRELUDE`` (the ``show`` and ``spairs`` helpers)
    followed by up to ``max_statements`` top-level statements (each may hold
    nested blocks).  They terminate, print what they compute and read nothing."""
    return _program(max_statements)
