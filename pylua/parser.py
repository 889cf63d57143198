"""Lua source -> ``pylua.ast``: Lark's LALR(1) tables for ``grammar/lua.lark``, fed by
``pylua.lexer`` and building AST nodes while it parses (``Builder``, called on each
reduction).

The LALR parser only lets valid programs through: whenever it (or a check in
``Builder``) rejects the input, ``pylua.syntaxcheck`` — a port of lparser.c's
recursive descent without code generation — parses the source again and raises the
message Lua gives. The same checker enforces Lua's limit on nested syntax levels
("C stack overflow") whenever the lexer's cheap estimate says the source might come
near it, so nothing downstream sees an AST deeper than Lua allows.
"""
from __future__ import annotations

import marshal
import os
from itertools import chain
from operator import itemgetter

from . import ast
from .chunkcache import cache_dir, store
from .errors import LuaSyntaxError, chunkid
from .lexer import Lexer, Token
from . import syntaxcheck
from .syntaxcheck import PRIORITY



class Reject(Exception):
    """The transformer found input Lua rejects; syntaxcheck finds the message."""


def first_line(e: ast.Expr) -> int:
    """The line of an expression's first token (the statement line of ``a.b = 1``)."""
    while True:
        t = type(e)
        if t is ast.BinOp:
            e = e.left
        elif t is ast.Call:
            e = e.func
        elif t is ast.Index or t is ast.MethodCall:
            e = e.obj
        else:
            return e.line


def binary(items: list) -> ast.Expr:
    """Operator-precedence parse of ``operand (op operand)*`` with lparser.c's
    priorities: an operator takes the operand on its left from the operator before it
    when its left priority exceeds that one's right priority (``subexpr``)."""
    operands = [items[0]]
    ops: list = []
    n = len(items)
    for i in range(1, n + 1, 2):
        left = PRIORITY[items[i].value][0] if i < n else 0     # 0: end of the list
        while ops and left <= PRIORITY[ops[-1].value][1]:
            top = ops.pop()
            right = operands.pop()
            operands[-1] = ast.BinOp(top.value, operands[-1], right, top.line)
        if i < n:
            ops.append(items[i])
            operands.append(items[i + 1])
    return operands[0]


def _stats(items: list) -> list:
    return [s for s in items if s is not None]


class Builder:
    """Reductions: children lists (tokens and built nodes) -> AST nodes.
    ``varargs`` holds the source offsets of ``...`` not yet claimed by a function."""

    def __init__(self) -> None:
        self.varargs: list[int] = []

    # ------------------------------------------------------------ blocks
    def chunk(self, c):
        return c[0]

    def block(self, c):
        return c

    def retstat(self, c):
        exprs = c[1] if len(c) > 1 and type(c[1]) is list else []
        return ast.Return(exprs, c[0].line)

    # ------------------------------------------------------------ statements
    def empty(self, c):
        return None

    def exprstat(self, c):
        call = c[0]
        if type(call) is not ast.Call and type(call) is not ast.MethodCall:
            raise Reject
        return ast.CallStat(call, first_line(call))

    def assign(self, c):
        targets = c[0:-2:2]
        for t in targets:
            if type(t) is not ast.Name and type(t) is not ast.Index:
                raise Reject
        return ast.Assign(targets, c[-1], first_line(targets[0]))

    def label(self, c):
        return ast.Label(c[1].value, c[0].line)

    def break_(self, c):
        return ast.Break(c[0].line)

    def goto(self, c):
        return ast.Goto(c[1].value, c[0].line)

    def do(self, c):
        return ast.Do(ast.Block(_stats(c[1]), c[0].line, c[2].line), c[0].line)

    def while_(self, c):
        return ast.While(c[1], ast.Block(_stats(c[3]), c[2].line, c[4].line), c[0].line)

    def repeat(self, c):
        return ast.Repeat(ast.Block(_stats(c[1]), c[0].line, c[2].line), c[3], c[0].line)

    def elseif(self, c):
        return c

    def else_(self, c):
        return c

    def if_(self, c):
        # clauses: [IF, cond, THEN, stats], [ELSEIF, cond, THEN, stats]..., [ELSE, stats]
        clauses = [c[0:4]] + c[4:-1]
        end_line = c[-1].line
        tests, test_lines = [], []
        orelse = None
        for i, clause in enumerate(clauses):
            closer = clauses[i + 1][0].line if i + 1 < len(clauses) else end_line
            if len(clause) == 2:
                orelse = ast.Block(_stats(clause[1]), clause[0].line, closer)
            else:
                body = ast.Block(_stats(clause[3]), clause[2].line, closer)
                tests.append((clause[1], body))
                test_lines.append(clause[0].line)
        return ast.If(tests, test_lines, orelse, c[0].line)

    def numfor(self, c):
        step = c[7] if len(c) == 11 else None
        do, stats, end = c[-3], c[-2], c[-1]
        return ast.NumericFor(c[1].value, c[3], c[5], step,
                              ast.Block(_stats(stats), do.line, end.line), c[0].line)

    def genfor(self, c):
        names = [t.value for t in c[1:-5:2]]
        exprs = c[-4]
        do, stats, end = c[-3], c[-2], c[-1]
        return ast.GenericFor(names, exprs, ast.Block(_stats(stats), do.line, end.line),
                              c[0].line, first_line(exprs[0]))

    def funcstat(self, c):
        path, path_lines, method = c[1]
        params, is_vararg, body, _, end_line, vararg_line = c[2]
        if method is not None:
            params.insert(0, "self")
        name = ".".join(path) + (":" + method if method is not None else "")
        func = ast.Function(params, is_vararg, body, c[0].line, end_line, name, vararg_line)
        return ast.FunctionStat(path, path_lines, method, func, c[0].line)

    def localfunc(self, c):
        params, is_vararg, body, line, end_line, vararg_line = c[3]
        name = c[2].value
        func = ast.Function(params, is_vararg, body, line, end_line, name, vararg_line)
        return ast.LocalFunction(name, func, c[0].line)

    def local(self, c):
        names, attribs = [], []
        exprs: list = []
        closes = 0
        for item in c[1:]:
            if type(item) is tuple:
                names.append(item[0])
                attribs.append(item[1])
                closes += item[1] == "close"
            elif type(item) is list:
                exprs = item
        if closes > 1:
            raise Reject
        return ast.Local(names, attribs, exprs, c[0].line)

    def attname(self, c):
        if len(c) == 1:
            return (c[0].value, None)
        if c[1].value != "<" or c[3].value != ">" or c[2].value not in ("const", "close"):
            raise Reject
        return (c[0].value, c[2].value)

    def funcname(self, c):
        path = [c[0].value]
        lines = [c[0].line]
        method = None
        for i in range(1, len(c), 2):
            if c[i].type == "COLON":
                method = c[i + 1].value
            else:
                path.append(c[i + 1].value)
                lines.append(c[i + 1].line)
        return path, lines, method

    def funcbody(self, c):
        """(params, is_vararg, body, line, end_line, line of the ``...`` parameter)"""
        names, is_vararg, vararg_line = c[1]
        lpar = c[0]
        varargs = self.varargs
        if varargs and varargs[-1] > lpar.start_pos:
            if not is_vararg:
                raise Reject        # "cannot use '...' outside a vararg function"
            while varargs and varargs[-1] > lpar.start_pos:
                varargs.pop()
        return names, is_vararg, ast.Block(_stats(c[3]), lpar.line, c[4].line), lpar.line, \
            c[4].line, vararg_line

    def params(self, c):
        names = [t.value for t in c if t.type == "NAME"]
        if c and c[-1].type == "DOTS":
            return names, True, c[-1].line
        return names, False, None

    # ------------------------------------------------------------ expressions
    def explist(self, c):
        return c[::2]

    def exp(self, c):
        if len(c) == 1:
            return c[0]
        return binary(c)

    def unop(self, c):
        return ast.UnOp(c[0].value, c[1], c[0].line)

    def pow(self, c):
        return ast.BinOp("^", c[0], c[2], c[1].line)

    def number(self, c):
        return ast.Number(c[0].value, c[0].line)

    def string(self, c):
        return ast.String(c[0].value, c[0].line)

    def nil(self, c):
        return ast.Nil(c[0].line)

    def true(self, c):
        return ast.TrueExpr(c[0].line)

    def false(self, c):
        return ast.FalseExpr(c[0].line)

    def vararg(self, c):
        self.varargs.append(c[0].start_pos)
        return ast.Vararg(c[0].line)

    def funcexp(self, c):
        params, is_vararg, body, line, end_line, vararg_line = c[1]
        return ast.Function(params, is_vararg, body, line, end_line, None, vararg_line)

    def name(self, c):
        return ast.Name(c[0].value, c[0].line)

    def paren(self, c):
        return ast.Paren(c[1], c[0].line, c[2].line)

    def field(self, c):
        return ast.Index(c[0], ast.String(c[2].value, c[2].line), c[1].line)

    def index(self, c):
        return ast.Index(c[0], c[2], c[1].line)

    def method(self, c):
        args, line, end_line, parens = c[3]
        return ast.MethodCall(c[0], c[2].value, args, line, end_line, c[2].line, parens)

    def call(self, c):
        args, line, end_line, parens = c[1]
        return ast.Call(c[0], args, line, end_line, parens)

    # call arguments: (args, line of the first token, line of the last token, parens)
    def args_list(self, c):
        return (c[1] if len(c) == 3 else []), c[0].line, c[-1].line, True

    def args_table(self, c):
        return [c[0]], c[0].line, c[0].end_line, False

    def args_string(self, c):
        return [ast.String(c[0].value, c[0].line)], c[0].line, c[0].line, False

    def table(self, c):
        fields = [f for f in c[1:-1] if type(f) is ast.TableField]
        return ast.Table(fields, c[0].line, c[-1].line)

    def keyfield(self, c):
        return ast.TableField(c[1], c[4], c[0].line)

    def namefield(self, c):
        return ast.TableField(ast.String(c[0].value, c[0].line), c[2], c[0].line)

    def posfield(self, c):
        return ast.TableField(None, c[0], first_line(c[0]))


def _own(children: list) -> list:
    return children


# Bump when the layout of the cached tables (``_build_tables``) changes.
TABLE_FORMAT = 1


def _grammar_text() -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    for folder in (os.path.join(here, "grammar"),                 # installed package
                   os.path.join(os.path.dirname(here), "grammar")):  # source tree
        try:
            with open(os.path.join(folder, "lua.lark"), encoding="utf-8") as fh:
                return fh.read()
        except FileNotFoundError:
            pass
    raise FileNotFoundError("lua.lark: pylua's grammar is missing")


def _build_tables(grammar: str) -> dict:
    """Lark's LALR(1) analysis of the grammar (~50 ms, plus ~30 ms to import Lark),
    reduced to plain data: ``states[state][symbol]`` is ``(True, next state)`` to
    shift (or go to, after a reduction) or ``(False, rule number)`` to reduce, and
    ``rules[n]`` is ``(length, nonterminal, reduction name, only child?, positions of
    the children to splice)``, which ``LALR.reduction`` turns into a callback."""
    import lark
    from lark.lexer import Lexer as LarkLexer

    class TokenStream(LarkLexer):
        """Lark wants a lexer class to build a parser; ours feeds ``LALR.run``."""
        def __init__(self, lexer_conf) -> None:
            pass

        def lex(self, data):
            raise NotImplementedError

    frontend = lark.Lark(grammar, parser="lalr", lexer=TokenStream, start="chunk")
    table = frontend.parser.parser.parser.parse_table
    rules: list = []
    numbers: dict = {}

    def rule_number(rule) -> int:
        if rule not in numbers:
            numbers[rule] = len(rules)
            rules.append((len(rule.expansion), str(rule.origin.name),
                          str(rule.alias or rule.origin.name),
                          bool(rule.options.expand1 and not rule.alias
                               and len(rule.expansion) == 1),
                          tuple(i for i, sym in enumerate(rule.expansion)
                                if not sym.is_term and sym.name.startswith("_"))))
        return numbers[rule]

    states = {state: {str(sym): (True, arg) if action.name == "Shift" else
                      (False, rule_number(arg))
                      for sym, (action, arg) in row.items()}
              for state, row in table.states.items()}
    return {"start": table.start_states["chunk"], "end": table.end_states["chunk"],
            "rules": rules, "states": states}


def _load_tables() -> dict:
    """The tables, from the user's cache when it holds those of this very grammar
    (so that parsing does not import Lark), else built and stored there."""
    grammar = _grammar_text()
    path = os.path.join(cache_dir(), f"lua-grammar-tables-{TABLE_FORMAT}.marshal")
    try:
        with open(path, "rb") as fh:
            stored_grammar, tables = marshal.load(fh)
        if stored_grammar == grammar:
            return tables
    except Exception:       # absent, unreadable or damaged: build them
        pass
    tables = _build_tables(grammar)
    store(path, marshal.dumps((grammar, tables)))
    return tables


class LALR:
    """LALR(1) tables for ``grammar/lua.lark`` made by Lark, driven by a loop of our
    own that calls ``Builder`` directly: Lark's generic ``feed_token`` and tree-builder
    wrappers hash Lark ``Token``/``Rule`` objects and copy children lists in Python
    code on every step, which made them the bulk of the parse time."""

    def __init__(self, tables: dict) -> None:
        self.builder = Builder()
        self.start = tables["start"]
        self.end = tables["end"]
        # actions[state][symbol]: (True, next state) to shift (or go to, after a
        # reduction), (False, (rule length, rule's nonterminal, callback)) to reduce
        reduce = [(False, (size, origin, self.reduction(name, only_child, spliced)))
                  for size, origin, name, only_child, spliced in tables["rules"]]
        self.actions = {state: {sym: (True, arg) if shift else reduce[arg]
                                for sym, (shift, arg) in row.items()}
                        for state, row in tables["states"].items()}

    def reduction(self, name: str, only_child: bool, spliced: tuple):
        """What reducing by a rule makes of its children: a ``Builder`` method named
        after the rule (or its alias), the only child for a ``?rule`` of one symbol, or
        the children themselves for the helper rules Lark makes for ``x*`` (their
        names start with ``_``), which the parent rule splices into its own (children
        at positions ``spliced`` are such helpers)."""
        if name.startswith("_"):
            method = _own     # children lists are fresh slices of the value stack
        elif only_child:
            return itemgetter(0)
        else:
            method = getattr(self.builder, name)
        if not spliced:
            return method
        first = spliced[0]   # helpers come first (left recursion) or alone in a group

        def splice(children: list):
            if first == 0:
                # a left-recursive helper grows its own list in place (no one else
                # holds it): copying it on each item made long lists quadratic
                flat = children[0]
                start = 1
            else:
                flat = children[:first]
                start = first
            for i in range(start, len(children)):
                if i in spliced:
                    flat.extend(children[i])
                else:
                    flat.append(children[i])
            return method(flat)
        return splice

    def run(self, tokens) -> list:
        """The statements of the chunk; raises ``Reject`` on a syntax error."""
        self.builder.varargs = []
        actions = self.actions
        end = self.end
        states = [self.start]
        values: list = []
        for tok in chain(tokens, (_END,)):
            kind = tok.type
            while True:
                try:
                    shift, arg = actions[states[-1]][kind]
                except KeyError:
                    raise Reject from None
                if shift:
                    states.append(arg)
                    values.append(tok)
                    break
                size, origin, callback = arg
                children = values[-size:] if size else []
                if size:
                    del states[-size:]
                    del values[-size:]
                values.append(callback(children))
                states.append(actions[states[-1]][origin][1])
                if states[-1] == end:     # the chunk, after reading $END
                    return values[-1]


_END = Token("$END", "", 0, 0)
_lalr: LALR | None = None


def _tables() -> LALR:
    global _lalr
    if _lalr is None:
        _lalr = LALR(_load_tables())
    return _lalr


def parse(source: str, chunkname: str, c_calls: int = 1) -> ast.Chunk:
    """Parse a chunk; raise ``LuaSyntaxError`` with Lua's message if it is invalid.
    ``c_calls`` is Lua's count of C calls active below the parser, which decides how
    deep the syntax may nest before "C stack overflow": 1 for a script run by ``lua`` or
    ``luac`` (and for ``load`` under lupa), 2 for ``load`` called from a main chunk by
    ``lua``, one more per enclosing ``pcall``."""
    lexer = Lexer(source, chunkname)
    try:
        stats = _tables().run(lexer.tokens())
    except (LuaSyntaxError, Reject):
        syntaxcheck.check(source, chunkname, c_calls)
        # unreachable unless the grammar and the checker disagree
        raise LuaSyntaxError(f"{chunkid(chunkname)}: syntax error") from None
    if lexer.nesting.bound + c_calls >= syntaxcheck.LUAI_MAXCCALLS:
        syntaxcheck.check(source, chunkname, c_calls)
    return ast.Chunk(ast.Block(_stats(stats), 1, lexer.final_line), chunkname)
