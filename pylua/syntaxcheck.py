"""Lua's syntax errors, exactly: a port of lparser.c's recursive descent without code
generation. ``parser.parse`` runs it only when its LALR parser rejects a chunk, or when
the chunk may nest deeper than Lua allows; it reads the same tokens, lazily like llex
(a lexical error shows only when the parser reaches it), and raises ``LuaSyntaxError``
with the message ``luac``/``load`` give, or returns if the chunk is valid.
"""
from __future__ import annotations

import sys

from .errors import LuaSyntaxError, chunkid
from .lexer import Lexer, Token, token_text

LUAI_MAXCCALLS = 200
MAXVARS = 200              # local variables per function (lparser.c)
# Python frames per lparser.c level, at most (suffixedexp -> funcargs -> explist -> ...)
_FRAMES_PER_LEVEL = 8

UNARY = ("not", "-", "~", "#")
UNARY_PRIORITY = 12
PRIORITY = {
    "or": (1, 1), "and": (2, 2),
    "<": (3, 3), ">": (3, 3), "<=": (3, 3), ">=": (3, 3), "~=": (3, 3), "==": (3, 3),
    "|": (4, 4), "~": (5, 5), "&": (6, 6), "<<": (7, 7), ">>": (7, 7),
    "..": (9, 8), "+": (10, 10), "-": (10, 10),
    "*": (11, 11), "/": (11, 11), "//": (11, 11), "%": (11, 11), "^": (14, 13),
}
_BY_TYPE = ("NAME", "NUMBER", "STRING")


def check(source: str, chunkname: str, c_calls: int = 1) -> None:
    """Raise ``LuaSyntaxError`` with Lua's message if ``source`` is not a valid chunk.
    ``c_calls``: Lua's count of C calls already active (see ``parser.parse``)."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(limit + LUAI_MAXCCALLS * _FRAMES_PER_LEVEL)
    try:
        Checker(source, chunkname, c_calls).mainfunc()
    finally:
        sys.setrecursionlimit(limit)


def token2str(t: str) -> str:
    """``luaX_token2str`` for the token kinds the parser expects."""
    if t == "NAME":
        return "<name>"
    if t == "<eof>":
        return t
    return f"'{t}'"


class Checker:
    """``LexState`` + ``FuncState`` reduced to what syntax errors depend on: the current
    token ``t`` (its kind: the text of a symbol/keyword, or NAME/NUMBER/STRING/<eof>),
    one token of lookahead, the nesting level and whether each function is vararg."""

    def __init__(self, source: str, chunkname: str, c_calls: int) -> None:
        self.lexer = Lexer(source, chunkname)
        self.source = source
        self.stream = self.lexer.tokens()
        self.chunk = chunkid(chunkname)
        self.ahead = None
        self.level = c_calls
        self.vararg = [True]    # the main function is vararg
        # Per open function: [line defined, variables declared in scope] (lparser's
        # actvar count, whose limit is checked while parsing, before later syntax).
        self.funcs = [[0, 0]]
        # Per open function: loops open around the current statement, and the line of
        # its first 'break' outside any loop (lparser's pending "break" goto, an error
        # when the function closes: before a syntax error further on).
        self.loops = [0]
        self.bad_break: list = [None]
        self.tok: Token
        self.t = ""

    # ------------------------------------------------------------ tokens
    def read(self) -> Token:
        tok = next(self.stream, None)
        if tok is None:
            return Token("$END", "<eof>", len(self.source), self.lexer.final_line)
        return tok

    def next(self) -> None:
        if self.ahead is not None:
            self.tok, self.ahead = self.ahead, None
        else:
            self.tok = self.read()
        tok = self.tok
        self.t = tok.type if tok.type in _BY_TYPE else tok.value

    def lookahead(self) -> str:
        self.ahead = self.read()
        tok = self.ahead
        return tok.type if tok.type in _BY_TYPE else tok.value

    @property
    def line(self) -> int:
        return self.tok.line

    # ------------------------------------------------------------ errors
    def syntax_error(self, msg: str) -> LuaSyntaxError:
        tok = self.tok
        if tok.type == "OTHER" and tok.value == "\0":
            return self.sem_error(msg)      # token 0 means "no token" to lexerror
        near = token_text(tok, self.source)
        return LuaSyntaxError(f"{self.chunk}:{self.line}: {msg} near {near}")

    def sem_error(self, msg: str) -> LuaSyntaxError:
        return LuaSyntaxError(f"{self.chunk}:{self.line}: {msg}")

    def error_expected(self, t: str) -> LuaSyntaxError:
        return self.syntax_error(f"{token2str(t)} expected")

    def testnext(self, t: str) -> bool:
        if self.t == t:
            self.next()
            return True
        return False

    def check(self, t: str) -> None:
        if self.t != t:
            raise self.error_expected(t)

    def checknext(self, t: str) -> None:
        self.check(t)
        self.next()

    def check_match(self, what: str, who: str, where: int) -> None:
        if not self.testnext(what):
            if where == self.line:
                raise self.error_expected(what)
            raise self.syntax_error(f"{token2str(what)} expected "
                                    f"(to close {token2str(who)} at line {where})")

    def checkname(self) -> str:
        self.check("NAME")
        name = self.tok.value
        self.next()
        return name

    def enterlevel(self) -> None:
        self.level += 1
        if self.level >= LUAI_MAXCCALLS:
            raise LuaSyntaxError("C stack overflow")

    # ------------------------------------------------------------ blocks
    def new_localvar(self) -> None:
        """``new_localvar``'s limit check; the name was just read."""
        f = self.funcs[-1]
        f[1] += 1
        if f[1] > MAXVARS:
            where = "main function" if f[0] == 0 else f"function at line {f[0]}"
            raise self.syntax_error(f"too many local variables (limit is {MAXVARS}) in {where}")

    def block(self) -> None:
        """A block: the variables it declares go out of scope at its end."""
        f = self.funcs[-1]
        saved = f[1]
        self.statlist()
        f[1] = saved

    def mainfunc(self) -> None:
        self.next()
        self.statlist()
        self.check("<eof>")
        self.close_func()

    def close_func(self) -> None:
        """lparser.c ``close_func``: a pending 'break' has no loop (``undefgoto``)."""
        line = self.bad_break.pop()
        self.loops.pop()
        if line is not None:
            raise self.sem_error(f"break outside loop at line {line}")

    def loop_block(self) -> None:
        self.loops[-1] += 1
        self.block()
        self.loops[-1] -= 1

    def breakstat(self, line: int) -> None:
        self.next()
        if not self.loops[-1] and self.bad_break[-1] is None:
            self.bad_break[-1] = line

    def block_follow(self, withuntil: bool) -> bool:
        t = self.t
        return t in ("else", "elseif", "end", "<eof>") or (withuntil and t == "until")

    def statlist(self) -> None:
        while not self.block_follow(True):
            if self.t == "return":
                self.statement()
                return
            self.statement()

    def statement(self) -> None:
        line = self.line
        self.enterlevel()
        t = self.t
        if t == ";":
            self.next()
        elif t == "if":
            self.ifstat(line)
        elif t == "while":
            self.next()
            self.expr()
            self.checknext("do")
            self.loop_block()
            self.check_match("end", "while", line)
        elif t == "do":
            self.next()
            self.block()
            self.check_match("end", "do", line)
        elif t == "for":
            f = self.funcs[-1]
            saved = f[1]
            self.forstat(line)
            f[1] = saved
        elif t == "repeat":
            self.next()
            f = self.funcs[-1]
            saved = f[1]
            self.loops[-1] += 1
            self.statlist()
            self.loops[-1] -= 1
            self.check_match("until", "repeat", line)
            self.expr()
            f[1] = saved
        elif t == "function":
            self.next()
            ismethod = self.funcname()
            self.body(ismethod, line)
        elif t == "local":
            self.next()
            if self.testnext("function"):
                self.checkname()
                self.new_localvar()
                self.body(False, self.line)
            else:
                self.localstat()
        elif t == "::":
            self.next()
            self.checkname()
            self.checknext("::")
            while self.t in (";", "::"):
                self.statement()
        elif t == "return":
            self.next()
            if not (self.block_follow(True) or self.t == ";"):
                self.explist()
            self.testnext(";")
        elif t == "break":
            self.breakstat(line)
        elif t == "goto":
            self.next()
            self.checkname()
        else:
            self.exprstat()
        self.level -= 1

    def ifstat(self, line: int) -> None:
        self.test_then_block()
        while self.t == "elseif":
            self.test_then_block()
        if self.testnext("else"):
            self.block()
        self.check_match("end", "if", line)

    def test_then_block(self) -> None:
        self.next()
        self.expr()
        self.checknext("then")
        if self.t == "break":
            self.breakstat(self.line)
            while self.testnext(";"):
                pass
            if self.block_follow(False):
                return
        self.block()

    def forstat(self, line: int) -> None:
        self.next()
        self.checkname()
        if self.t == "=":
            for _ in range(4):          # three control variables and the loop variable
                self.new_localvar()
            self.next()
            self.expr()
            self.checknext(",")
            self.expr()
            if self.testnext(","):
                self.expr()
        elif self.t in (",", "in"):
            for _ in range(5):          # four control variables and the first name
                self.new_localvar()
            while self.testnext(","):
                self.checkname()
                self.new_localvar()
            self.checknext("in")
            self.explist()
        else:
            raise self.syntax_error("'=' or 'in' expected")
        self.checknext("do")
        self.loop_block()
        self.check_match("end", "for", line)

    def localstat(self) -> None:
        toclose = False
        while True:
            self.checkname()
            self.new_localvar()
            if self.testnext("<"):
                attr = self.checkname()
                self.checknext(">")
                if attr == "close":
                    if toclose:
                        raise self.sem_error("multiple to-be-closed variables in local list")
                    toclose = True
                elif attr != "const":
                    raise self.sem_error(f"unknown attribute '{attr}'")
            if not self.testnext(","):
                break
        if self.testnext("="):
            self.explist()

    def funcname(self) -> bool:
        self.checkname()
        while self.t == ".":
            self.next()
            self.checkname()
        if self.t == ":":
            self.next()
            self.checkname()
            return True
        return False

    def exprstat(self) -> None:
        kind = self.suffixedexp()
        if self.t in ("=", ","):
            self.restassign(kind)
        elif kind != "call":
            raise self.syntax_error("syntax error")

    def restassign(self, kind: str) -> None:
        if kind not in ("var", "index"):
            raise self.syntax_error("syntax error")
        if self.testnext(","):
            kind = self.suffixedexp()
            self.enterlevel()
            self.restassign(kind)
            self.level -= 1
        else:
            self.checknext("=")
            self.explist()

    def body(self, ismethod: bool, line: int) -> None:
        self.funcs.append([line, 0])
        self.loops.append(0)
        self.bad_break.append(None)
        if ismethod:
            self.new_localvar()         # self
        self.checknext("(")
        self.parlist()
        self.checknext(")")
        self.statlist()
        self.vararg.pop()
        self.check_match("end", "function", line)
        self.close_func()
        self.funcs.pop()

    def parlist(self) -> None:
        isvararg = False
        if self.t != ")":
            while True:
                if self.t == "NAME":
                    self.next()
                    self.new_localvar()
                elif self.t == "...":
                    self.next()
                    isvararg = True
                else:
                    raise self.syntax_error("<name> or '...' expected")
                if isvararg or not self.testnext(","):
                    break
        self.vararg.append(isvararg)

    # ------------------------------------------------------------ expressions
    def explist(self) -> None:
        self.expr()
        while self.testnext(","):
            self.expr()

    def expr(self) -> None:
        self.subexpr(0)

    def subexpr(self, limit: int) -> str:
        """Returns the first operator it did not take (lparser.c ``subexpr``)."""
        self.enterlevel()
        if self.t in UNARY:
            self.next()
            self.subexpr(UNARY_PRIORITY)
        else:
            self.simpleexp()
        op = self.t
        while op in PRIORITY and PRIORITY[op][0] > limit:
            self.next()
            op = self.subexpr(PRIORITY[op][1])
        self.level -= 1
        return op

    def simpleexp(self) -> None:
        t = self.t
        if t in ("NUMBER", "STRING", "nil", "true", "false"):
            self.next()
        elif t == "...":
            if not self.vararg[-1]:
                raise self.syntax_error("cannot use '...' outside a vararg function")
            self.next()
        elif t == "{":
            self.constructor()
        elif t == "function":
            self.next()
            self.body(False, self.line)
        else:
            self.suffixedexp()

    def primaryexp(self) -> str:
        if self.t == "(":
            line = self.line
            self.next()
            self.expr()
            self.check_match(")", "(", line)
            return "paren"
        if self.t == "NAME":
            self.next()
            return "var"
        raise self.syntax_error("unexpected symbol")

    def suffixedexp(self) -> str:
        """Parses ``primaryexp { suffix }``; returns what it was: var, index, call, paren."""
        kind = self.primaryexp()
        while True:
            t = self.t
            if t == ".":
                self.next()
                self.checkname()
                kind = "index"
            elif t == "[":
                self.next()
                self.expr()
                self.checknext("]")
                kind = "index"
            elif t == ":":
                self.next()
                self.checkname()
                self.funcargs()
                kind = "call"
            elif t in ("(", "STRING", "{"):
                self.funcargs()
                kind = "call"
            else:
                return kind

    def funcargs(self) -> None:
        line = self.line
        t = self.t
        if t == "(":
            self.next()
            if self.t != ")":
                self.explist()
            self.check_match(")", "(", line)
        elif t == "{":
            self.constructor()
        elif t == "STRING":
            self.next()
        else:
            raise self.syntax_error("function arguments expected")

    def constructor(self) -> None:
        line = self.line
        self.checknext("{")
        while self.t != "}":
            self.field()
            if not (self.testnext(",") or self.testnext(";")):
                break
        self.check_match("}", "{", line)

    def field(self) -> None:
        if self.t == "NAME":
            if self.lookahead() != "=":
                self.expr()
            else:
                self.next()
                self.checknext("=")
                self.expr()
        elif self.t == "[":
            self.next()
            self.expr()
            self.checknext("]")
            self.checknext("=")
            self.expr()
        else:
            self.expr()
