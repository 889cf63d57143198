"""The Lua abstract syntax tree: what ``parser.py`` builds and ``compiler.py`` compiles.

Every node has ``line``: the source line that Lua's own parser would attach to the
code generated for it (luac -l line numbers come from these):

* ``BinOp.line`` / ``UnOp.line``: the line of the operator token.
* ``Call.line`` / ``MethodCall.line``: the line of the token that opens the arguments
  (``(``, ``{`` or the string literal), as in lparser.c ``funcargs``.
* ``Index.line``: the line of the ``.``/``[`` token; ``Name.line``: the name's line.
* ``Function.line``: the line of ``function`` (``linedefined``); ``end_line``: the
  line of its closing ``end`` (``lastlinedefined``).
* ``GenericFor.exprs_line``: the line of the first token after ``in``.
* statements: the line of their first token; ``end_line`` where a block closes with
  ``end``/``until`` (the line of that keyword).
* ``Block.end_line``: line of the token that ends the block (``end``, ``else``, ``until``,
  ``<eof>`` ...).

Strings (``String.value``, names) are ``str`` whose characters are bytes 0-255
(the source is decoded as latin-1), so any byte sequence round-trips.
"""
from __future__ import annotations

from typing import List, Optional, Union


class Node:
    __slots__ = ("line",)

    def __repr__(self) -> str:
        fields = ", ".join(f"{s}={getattr(self, s)!r}" for s in self.__slots__ if s != "line")
        return f"{type(self).__name__}({fields})"


# ---------------------------------------------------------------- expressions

class Expr(Node):
    __slots__ = ()


class Nil(Expr):
    __slots__ = ()

    def __init__(self, line: int) -> None:
        self.line = line


class TrueExpr(Expr):
    __slots__ = ()

    def __init__(self, line: int) -> None:
        self.line = line


class FalseExpr(Expr):
    __slots__ = ()

    def __init__(self, line: int) -> None:
        self.line = line


class Vararg(Expr):
    """``...``"""
    __slots__ = ()

    def __init__(self, line: int) -> None:
        self.line = line


class Number(Expr):
    """A numeral, already converted: ``int`` (64-bit, hex wrapped) or ``float``."""
    __slots__ = ("value",)

    def __init__(self, value: Union[int, float], line: int) -> None:
        self.value = value
        self.line = line


class String(Expr):
    """A string literal with escapes already processed."""
    __slots__ = ("value",)

    def __init__(self, value: str, line: int) -> None:
        self.value = value
        self.line = line


class Name(Expr):
    """A variable reference; the compiler resolves it to a local, upvalue or global."""
    __slots__ = ("name",)

    def __init__(self, name: str, line: int) -> None:
        self.name = name
        self.line = line


class Index(Expr):
    """``obj[key]``; ``obj.name`` is ``Index(obj, String("name"))``."""
    __slots__ = ("obj", "key")

    def __init__(self, obj: Expr, key: Expr, line: int) -> None:
        self.obj = obj
        self.key = key
        self.line = line


class Call(Expr):
    """``func(args)``; ``f"s"`` and ``f{...}`` have one argument. ``end_line``: line of
    the last token of the arguments (``)``, ``}`` or the string). ``parens``: the
    arguments are in parentheses (``f{...}`` has no '(' whose line its code takes)."""
    __slots__ = ("func", "args", "end_line", "parens")

    def __init__(self, func: Expr, args: List[Expr], line: int,
                 end_line: Optional[int] = None, parens: bool = True) -> None:
        self.func = func
        self.args = args
        self.line = line
        self.end_line = line if end_line is None else end_line
        self.parens = parens


class MethodCall(Expr):
    """``obj:method(args)``; ``parens`` as for ``Call``."""
    __slots__ = ("obj", "method", "args", "end_line", "name_line", "parens")

    def __init__(self, obj: Expr, method: str, args: List[Expr], line: int,
                 end_line: Optional[int] = None, name_line: Optional[int] = None,
                 parens: bool = True) -> None:
        self.obj = obj
        self.method = method
        self.args = args
        self.line = line
        self.end_line = line if end_line is None else end_line
        self.name_line = line if name_line is None else name_line   # line of ``method``
        self.parens = parens


class Paren(Expr):
    """``(expr)``: truncates a multi-value expression to one value; ``end_line`` is the
    line of the ``)``."""
    __slots__ = ("expr", "end_line")

    def __init__(self, expr: Expr, line: int, end_line: Optional[int] = None) -> None:
        self.expr = expr
        self.line = line
        self.end_line = line if end_line is None else end_line


class Function(Expr):
    """``function (params) body end``; for ``function a:m()`` the parser puts ``self``
    first in ``params``. ``vararg_line``: line of the ``...`` parameter (defaults to
    ``line``)."""
    __slots__ = ("params", "is_vararg", "body", "end_line", "name", "vararg_line")

    def __init__(self, params: List[str], is_vararg: bool, body: "Block", line: int,
                 end_line: int, name: Optional[str] = None,
                 vararg_line: Optional[int] = None) -> None:
        self.params = params
        self.is_vararg = is_vararg
        self.body = body
        self.line = line
        self.end_line = end_line
        self.name = name
        self.vararg_line = line if vararg_line is None else vararg_line


class TableField(Node):
    """One item of a table constructor: ``key`` None for a positional item;
    ``name = v`` has ``key`` = ``String("name")``."""
    __slots__ = ("key", "value")

    def __init__(self, key: Optional[Expr], value: Expr, line: int) -> None:
        self.key = key
        self.value = value
        self.line = line


class Table(Expr):
    """``{ fields }``; ``end_line`` is the line of the closing ``}``."""
    __slots__ = ("fields", "end_line")

    def __init__(self, fields: List[TableField], line: int, end_line: int) -> None:
        self.fields = fields
        self.line = line
        self.end_line = end_line


class BinOp(Expr):
    """``left op right``; ``op`` is the token text: ``+ - * / // % ^ .. == ~= < <= > >=
    and or & | ~ << >>``."""
    __slots__ = ("op", "left", "right")

    def __init__(self, op: str, left: Expr, right: Expr, line: int) -> None:
        self.op = op
        self.left = left
        self.right = right
        self.line = line


class UnOp(Expr):
    """``op operand``; ``op`` is ``not``, ``-``, ``#`` or ``~``."""
    __slots__ = ("op", "operand")

    def __init__(self, op: str, operand: Expr, line: int) -> None:
        self.op = op
        self.operand = operand
        self.line = line


# ---------------------------------------------------------------- statements

class Stat(Node):
    __slots__ = ()


class Block(Node):
    __slots__ = ("stats", "end_line")

    def __init__(self, stats: List[Stat], line: int, end_line: int) -> None:
        self.stats = stats
        self.line = line
        self.end_line = end_line


class Local(Stat):
    """``local n1 <attr1>, n2 = exprs``; ``attribs[i]`` is None, "const" or "close"
    (the parser rejects other attribute names with Lua's error)."""
    __slots__ = ("names", "attribs", "exprs")

    def __init__(self, names: List[str], attribs: List[Optional[str]], exprs: List[Expr],
                 line: int) -> None:
        self.names = names
        self.attribs = attribs
        self.exprs = exprs
        self.line = line


class LocalFunction(Stat):
    __slots__ = ("name", "func")

    def __init__(self, name: str, func: Function, line: int) -> None:
        self.name = name
        self.func = func
        self.line = line


class FunctionStat(Stat):
    """``function a.b.c:m() end``: ``path`` = ["a", "b", "c"], ``method`` = "m" (or None);
    ``path_lines[i]`` is the line of name ``path[i]``."""
    __slots__ = ("path", "path_lines", "method", "func")

    def __init__(self, path: List[str], path_lines: List[int], method: Optional[str],
                 func: Function, line: int) -> None:
        self.path = path
        self.path_lines = path_lines
        self.method = method
        self.func = func
        self.line = line


class Assign(Stat):
    """``targets = exprs``; each target is a ``Name`` or ``Index``."""
    __slots__ = ("targets", "exprs")

    def __init__(self, targets: List[Expr], exprs: List[Expr], line: int) -> None:
        self.targets = targets
        self.exprs = exprs
        self.line = line


class CallStat(Stat):
    __slots__ = ("call",)

    def __init__(self, call: Union[Call, MethodCall], line: int) -> None:
        self.call = call
        self.line = line


class Do(Stat):
    __slots__ = ("body",)

    def __init__(self, body: Block, line: int) -> None:
        self.body = body
        self.line = line


class While(Stat):
    __slots__ = ("cond", "body")

    def __init__(self, cond: Expr, body: Block, line: int) -> None:
        self.cond = cond
        self.body = body
        self.line = line


class Repeat(Stat):
    """``repeat body until cond``: ``cond`` sees the body's locals."""
    __slots__ = ("body", "cond")

    def __init__(self, body: Block, cond: Expr, line: int) -> None:
        self.body = body
        self.cond = cond
        self.line = line


class If(Stat):
    """``if c1 then b1 elseif c2 then b2 ... else orelse end``;
    ``test_lines[i]`` is the line of the ``if``/``elseif`` keyword of test i."""
    __slots__ = ("tests", "test_lines", "orelse")

    def __init__(self, tests: List[tuple], test_lines: List[int], orelse: Optional[Block],
                 line: int) -> None:
        self.tests = tests          # list of (cond, Block)
        self.test_lines = test_lines
        self.orelse = orelse
        self.line = line


class NumericFor(Stat):
    __slots__ = ("var", "start", "stop", "step", "body")

    def __init__(self, var: str, start: Expr, stop: Expr, step: Optional[Expr], body: Block,
                 line: int) -> None:
        self.var = var
        self.start = start
        self.stop = stop
        self.step = step
        self.body = body
        self.line = line


class GenericFor(Stat):
    __slots__ = ("names", "exprs", "body", "exprs_line")

    def __init__(self, names: List[str], exprs: List[Expr], body: Block, line: int,
                 exprs_line: int) -> None:
        self.names = names
        self.exprs = exprs
        self.body = body
        self.line = line
        self.exprs_line = exprs_line


class Return(Stat):
    __slots__ = ("exprs",)

    def __init__(self, exprs: List[Expr], line: int) -> None:
        self.exprs = exprs
        self.line = line


class Break(Stat):
    __slots__ = ()

    def __init__(self, line: int) -> None:
        self.line = line


class Goto(Stat):
    __slots__ = ("label",)

    def __init__(self, label: str, line: int) -> None:
        self.label = label
        self.line = line


class Label(Stat):
    __slots__ = ("name",)

    def __init__(self, name: str, line: int) -> None:
        self.name = name
        self.line = line


class Chunk(Node):
    """A whole chunk: a vararg main function with ``_ENV`` as its only upvalue."""
    __slots__ = ("body", "source")

    def __init__(self, body: Block, source: str) -> None:
        self.body = body
        self.source = source
        self.line = 0
