"""The Lua lexer, a port of llex.c.

``Lexer.tokens()`` yields ``Token`` objects lazily, so a lexical error is raised
only when the parser asks for the offending token, as in Lua (a syntax error earlier in
the source wins). ``Token.line`` is ``ls->linenumber`` after reading the token (the line
where it ends); ``Token.start_pos`` is its offset in the source (used to rebuild the
token's text for messages).

Token types (the terminals ``grammar/lua.lark`` declares): ``NAME NUMBER STRING``, one
type per reserved word (``AND`` ... ``WHILE``) and per punctuation mark, except that all
binary-only operators share the type ``BINOP`` and the unary-only ones (``not``, ``#``)
share ``UNOP``; ``-`` (``MINUS``) and ``~`` (``TILDE``) are both. The token's value is
its text, the converted number, or the processed string. ``OTHER`` is any other
character: no rule accepts it, so it ends as "unexpected symbol near ...".
"""
from __future__ import annotations

import re
from typing import Iterator, List

from .errors import LuaSyntaxError, chunkid
from .lib.utf8lib import utf8esc
from .number import str2number

class Token:
    """A token: its terminal ``type``, ``value``, ``line`` (where it ends) and offset."""
    __slots__ = ("type", "value", "start_pos", "line")

    def __init__(self, type: str, value, start_pos: int, line: int) -> None:
        self.type = type
        self.value = value
        self.start_pos = start_pos
        self.line = line

    def __repr__(self) -> str:
        return f"Token({self.type}, {self.value!r}, line {self.line})"


RESERVED = ("and break do else elseif end false for function goto if in local nil not "
            "or repeat return then true until while").split()

# token type of each reserved word and punctuation mark
TOKEN_TYPE = {w: w.upper() for w in RESERVED}
TOKEN_TYPE.update({"and": "BINOP", "or": "BINOP", "not": "UNOP", "#": "UNOP",
                   "-": "MINUS", "~": "TILDE", "^": "CARET", "=": "ASSIGN",
                   "(": "LPAR", ")": "RPAR", "{": "LBRACE", "}": "RBRACE",
                   "[": "LSQB", "]": "RSQB", ";": "SEMI", ":": "COLON", "::": "DBCOLON",
                   ",": "COMMA", ".": "DOT", "...": "DOTS"})
for _op in ("+", "*", "/", "//", "%", "..", "==", "~=", "<=", ">=", "<", ">", "<<", ">>",
            "&", "|"):
    TOKEN_TYPE[_op] = "BINOP"

_NUMERAL = (r"\.?0[xX](?:[Pp][-+]?|[0-9A-Fa-f.])*[A-Za-z_]?"
            r"|\.?[0-9](?:[Ee][-+]?|[0-9A-Fa-f.])*[A-Za-z_]?")
_MASTER = re.compile(r"""
 (?P<space>[ \t\f\v\r\n]+)
|(?P<name>[A-Za-z_][A-Za-z0-9_]*)
|(?P<number>""" + _NUMERAL + r""")
|(?P<string>"[^"\\\r\n]*"|'[^'\\\r\n]*')
|(?P<comment>--(?!\[=*\[)[^\r\n]*)
|(?P<longcomment>--\[=*\[)
|(?P<op>\.\.\.|\.\.|==|~=|<=|>=|<<|>>|//|::|[-+*/%^#&~|<>=(){};:,.\]])
|(?P<bracket>\[=*)
|(?P<slowstring>["'])
""", re.VERBOSE)
_NUMERAL_RE = re.compile(_NUMERAL)

# Token categories for ``NestingEstimate``.
OPEN, CLOSE, CLOSE_FRESH, FRESH, OPERATOR, COMMA = range(6)
NESTING = {t: OPEN for t in ("(", "[", "{", "do", "then", "repeat", "function")}
NESTING.update({t: CLOSE for t in (")", "]", "}", "end")})
NESTING.update({t: CLOSE_FRESH for t in ("until", "elseif")})   # ends a block, starts a condition
NESTING.update({t: FRESH for t in ("=", "local", "return", "if", "while", "for", "in",
                                   "goto", "break", "else")})
NESTING.update({t: OPERATOR for t, k in TOKEN_TYPE.items()
                if k in ("BINOP", "UNOP", "MINUS", "TILDE", "CARET")})
NESTING["::"] = OPERATOR    # each label directly after a label nests a statement
NESTING[","] = COMMA


class NestingEstimate:
    """A cheap upper bound on lparser.c's ``enterlevel`` count (statements and
    subexpressions being parsed), so that deep sources, and only those, are checked
    exactly against Lua's limit. Each open bracket or block adds at most 2 levels (a
    statement and an expression inside it); each operator of an expression being read
    at most 1 (its operand's subexpr), so operators count from the token that starts
    a fresh expression at their level. A comma outside brackets can also nest
    (``a, b, c = ...`` enters a level per target); one inside brackets starts a fresh
    expression."""

    def __init__(self) -> None:
        self.saved: List[tuple] = []   # (ops, in_brackets) of each enclosing level
        self.ops = 0                   # pending operators of the innermost level
        self.pending = 0               # pending operators of all levels
        self.in_brackets = False
        self.worst = 0

    def feed(self, category: int, text: str) -> None:
        if category == OPERATOR or (category == COMMA and not self.in_brackets):
            self.ops += 1
            self.pending += 1
        elif category == FRESH or category == COMMA:
            self.pending -= self.ops
            self.ops = 0
            return
        elif category == OPEN:
            self.saved.append((self.ops, self.in_brackets))
            self.ops = 0
            self.in_brackets = text in ("(", "[", "{")
        elif self.saved:
            self.pending -= self.ops
            self.ops, self.in_brackets = self.saved.pop()
            if category == CLOSE_FRESH:   # the statement's earlier expressions are done
                self.pending -= self.ops
                self.ops = 0
            return
        estimate = 2 * len(self.saved) + self.pending
        if estimate > self.worst:
            self.worst = estimate

    @property
    def bound(self) -> int:
        """The most levels the source can nest (2 for the outermost statement)."""
        return self.worst + 2
_NEWLINE = re.compile(r"\r\n|\n\r|\r|\n")
_SPACE = " \t\n\v\f\r"
_HEX = "0123456789abcdefABCDEF"
_DIGITS = "0123456789"
MAXINTEGER = 0x7FFFFFFFFFFFFFFF


def count_lines(text: str) -> int:
    """Line breaks in ``text``, counting ``\\r\\n`` and ``\\n\\r`` once (inclinenumber)."""
    if "\r" not in text:
        return text.count("\n")
    return len(_NEWLINE.findall(text))


def token_text(tok: Token, source: str) -> str:
    """``txtToken``: how a token is shown after "near" in messages."""
    t = tok.type
    if t == "$END":
        return "<eof>"
    if t == "NAME":
        return quoted(tok.value)
    if t == "NUMBER":
        return f"'{_NUMERAL_RE.match(source, tok.start_pos).group()}'"
    if t == "STRING":
        start = tok.start_pos
        delim = source[start]
        if delim == "[":
            level = source[start + 1:source.index("[", start + 1)]
            return quoted(f"[{level}[{tok.value}]{level}]")
        return quoted(delim + tok.value + delim)
    if t == "OTHER":
        return printable_char(tok.value)
    return f"'{tok.value}'"


def quoted(text: str) -> str:
    """A token's text in a message; Lua formats it as a C string, so a NUL ends it."""
    return "'" + text.split("\0", 1)[0] + "'"


def printable_char(c: str) -> str:
    """luaX_token2str for a single-byte token."""
    if " " <= c <= "~":
        return f"'{c}'"
    return f"'<\\{ord(c)}>'"


class Lexer:
    """Tokens of one chunk; ``final_line`` is the line of <eof> once it is reached;
    ``nesting`` estimates how deep the tokens read so far nest."""

    def __init__(self, source: str, chunkname: str) -> None:
        self.source = source
        self.chunkname = chunkname
        self.line = 1
        self.final_line = 1
        self.nesting = NestingEstimate()

    def error(self, msg: str, near: str | None, line: int | None = None) -> LuaSyntaxError:
        """``lexerror``: the message with position and (optionally) the near-token."""
        text = f"{chunkid(self.chunkname)}:{self.line if line is None else line}: {msg}"
        if near is not None:
            text += f" near {near}"
        return LuaSyntaxError(text)

    def tokens(self) -> Iterator[Token]:
        source = self.source
        match = _MASTER.match
        types = TOKEN_TYPE
        new = Token
        has_cr = "\r" in source
        end = len(source)
        pos = 0
        line = 1
        categories = NESTING
        nest = self.nesting.feed
        while pos < end:
            m = match(source, pos)
            if m is None:   # any other character: a single-char token
                yield new("OTHER", source[pos], pos, line)
                pos += 1
                continue
            kind = m.lastgroup
            text = m.group()
            if kind == "name" or kind == "op":
                category = categories.get(text)
                if category is not None:
                    nest(category, text)
                yield new(types.get(text, "NAME"), text, pos, line)
            elif kind == "space":
                line += count_lines(text) if has_cr else text.count("\n")
            elif kind == "string":
                yield new("STRING", text[1:-1], pos, line)
            elif kind == "number":
                yield new("NUMBER", self.numeral(text, line), pos, line)
            elif kind == "comment":
                pass
            else:
                self.line = line
                if kind == "longcomment":
                    pos, _ = self.long_string(pos + 2, len(text) - 4, "comment")
                elif kind == "bracket":
                    if source.startswith("[", m.end()):
                        npos, value = self.long_string(pos, len(text) - 1, "string")
                        yield new("STRING", value, pos, self.line)
                        pos = npos
                    elif len(text) > 1:
                        raise self.error("invalid long string delimiter", f"'{text}'")
                    else:
                        nest(OPEN, "[")
                        yield new("LSQB", "[", pos, line)
                        pos += 1
                else:   # slowstring
                    npos, value = self.read_string(pos)
                    yield new("STRING", value, pos, self.line)
                    pos = npos
                line = self.line
                continue
            pos = m.end()
        self.line = self.final_line = line

    def numeral(self, text: str, line: int) -> int | float:
        """``read_numeral``'s conversion; the regex already took what llex would read."""
        if len(text) < 20 and text.isdigit():    # longer: str2number decides
            v = int(text)
            if v <= MAXINTEGER:
                return v
        v = str2number(text)
        if v is None:
            raise self.error("malformed number", f"'{text}'", line)
        return v

    def long_string(self, pos: int, level: int, what: str) -> tuple:
        """``read_long_string`` from the opening bracket at ``pos``: (end, value)."""
        source = self.source
        start_line = self.line
        body = pos + level + 2
        close = "]" + "=" * level + "]"
        stop = source.find(close, body)
        if stop < 0:
            self.line += count_lines(source[body:])
            raise self.error(f"unfinished long {what} (starting at line {start_line})",
                             "<eof>")
        text = source[body:stop]
        nlines = count_lines(text)
        self.line += nlines
        if nlines:
            if "\r" in text:
                text = _NEWLINE.sub("\n", text)
            if text[0] == "\n":   # a first line break is not part of the string
                text = text[1:]
        return stop + level + 2, text

    def read_string(self, pos: int) -> tuple:
        """``read_string`` for a quoted string with escapes: (end, value)."""
        source = self.source
        end = len(source)
        delim = source[pos]
        buf: List[str] = []
        i = pos + 1

        def fail(msg: str, upto: int) -> LuaSyntaxError:
            # esccheck: the message shows the string read so far, up to ``upto``
            return self.error(msg, quoted(delim + "".join(buf) + source[esc:upto]))

        while True:
            if i >= end:
                raise self.error("unfinished string", "<eof>")
            c = source[i]
            if c == delim:
                return i + 1, "".join(buf)
            if c in "\r\n":
                raise self.error("unfinished string", quoted(delim + "".join(buf)))
            if c != "\\":
                j = i + 1
                while j < end and source[j] not in ("\\", "\r", "\n", delim):
                    j += 1
                buf.append(source[i:j])
                i = j
                continue
            esc = i
            i += 1
            c = source[i] if i < end else ""
            simple = _SIMPLE_ESCAPES.get(c)
            if simple is not None:
                buf.append(simple)
                i += 1
            elif c in ("\n", "\r"):
                i += 2 if source[i + 1:i + 2] in ("\n", "\r") and source[i + 1] != c else 1
                self.line += 1
                buf.append("\n")
            elif c == "x":
                for k in (i + 1, i + 2):
                    if k >= end or source[k] not in _HEX:
                        raise fail("hexadecimal digit expected", min(k + 1, end))
                buf.append(chr(int(source[i + 1:i + 3], 16)))
                i += 3
            elif c == "u":
                i = self.utf8_escape(i, buf, fail)
            elif c == "z":
                i += 1
                while i < end and source[i] in _SPACE:
                    if source[i] in "\r\n":
                        i += 2 if source[i + 1:i + 2] in ("\n", "\r") and \
                            source[i + 1] != source[i] else 1
                        self.line += 1
                    else:
                        i += 1
            elif c == "":
                continue    # unfinished string, reported by the next round
            elif c in _DIGITS:
                j = i
                while j < i + 3 and j < end and source[j] in _DIGITS:
                    j += 1
                value = int(source[i:j])
                if value > 255:
                    raise fail("decimal escape too large", min(j + 1, end))
                buf.append(chr(value))
                i = j
            else:
                raise fail("invalid escape sequence", i + 1)

    def utf8_escape(self, i: int, buf: List[str], fail) -> int:
        """``readutf8esc`` with ``source[i] == 'u'``: appends the bytes, returns the end."""
        source = self.source
        end = len(source)
        i += 1
        if i >= end or source[i] != "{":
            raise fail("missing '{'", min(i + 1, end))
        i += 1
        if i >= end or source[i] not in _HEX:
            raise fail("hexadecimal digit expected", min(i + 1, end))
        value = 0
        while i < end and source[i] in _HEX:
            if value > (0x7FFFFFFF >> 4):
                raise fail("UTF-8 value too large", i + 1)
            value = (value << 4) + int(source[i], 16)
            i += 1
        if i >= end or source[i] != "}":
            raise fail("missing '}'", min(i + 1, end))
        buf.append(utf8esc(value))
        return i + 1


_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
                   "v": "\v", "\\": "\\", '"': '"', "'": "'"}
