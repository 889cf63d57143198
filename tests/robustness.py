"""Robustness fuzzing: hostile input to the parser, compiler and VM must end in a Lua
result or a Lua error, never in a Python exception, a hang or a crash.

Generators, each a function of a ``random.Random`` giving one input:

  ``bytes``     random bytes, half of them drawn from Lua's own punctuation
  ``tokens``    Lua tokens glued in random order: keywords, names, numerals of every
                form (hex floats, huge and malformed ones), strings with good and bad
                escapes, long strings and comments with levels, odd characters
  ``deep``      deep nesting: parentheses, tables, functions, blocks, unary chains,
                suffix chains (``a.b.c...``, ``f()()...``), right-associative operators
  ``mutate``    the Lua programs of tests/lua, examples and benchmarks with bytes
                flipped, tokens deleted, duplicated, swapped or replaced, pieces of
                other programs spliced in
  ``twist``     those programs with edits that mostly keep them valid (operators,
                names, values and lines exchanged), so that the VM runs something new
  ``calls``     library functions called with edge arguments (formats, patterns,
                huge numbers, tables with odd metatables)
  ``binary``    ``string.dump`` output of those programs, mutated, loaded in mode "b"

Each input is loaded; with ``--run`` what compiles runs too, in a fresh state without
``io``, ``os`` (but the clock), ``require`` and ``debug.getregistry``, under pylua's
limits of instructions, time and memory (``pylua.limits``). A *bug* is a Python
exception other than ``LuaError`` escaping, a ``LuaError`` that reports a Python one
("internal error", "host recursion"), an input that takes longer than the time bound,
or a process that dies. Input ``i`` of a generator depends only on the seed, the
generator's name and ``i``: ``--replay mutate:17`` shows it again.

The inputs run in a worker process (its address space limited to 3 GB, so that
allocation bombs fail with MemoryError) that reports each one before it starts; the
supervisor restarts it after a hang or a crash and records the input. So

    python -m tests.robustness --inputs 300000 --generators bytes,tokens,mutate
    python -m tests.robustness --generators twist,calls --run --inputs 20000
    python -m tests.robustness --generators tokens --compare --inputs 5000

run that many inputs of each generator (parser only unless ``--run``; ``--compare``
also compares the messages of chunks that do not load with Lua 5.4.8's, via lupa),
print progress on stderr and a report at the end (exit status 1 if a bug was found).
``tests/test_robustness.py`` runs a bounded amount of each, and the regressions.
"""
from __future__ import annotations

import argparse
import io
import json
import random
import re
import select
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIRS = ("tests/lua", "examples", "benchmarks")
CHUNKNAME = "=fuzz"
GENERATORS = ("bytes", "tokens", "deep", "mutate", "twist", "calls", "binary")
# messages of LuaErrors that stand for a Python exception caught by the VM
PYTHON_LEAKS = ("internal error:", "host recursion")
INSTRUCTION_BUDGET = 200_000
RUN_SECONDS = 2.0
MEMORY_BUDGET = 1 << 30         # pylua's max_memory for a run
DIFFS_SHOWN = 20
MEMORY_LIMIT = 3 << 30          # address space of a worker: bombs fail with MemoryError


# ---------------------------------------------------------------- generators

KEYWORDS = ("and break do else elseif end false for function goto if in local nil not "
            "or repeat return then true until while").split()
OPERATORS = ("+ - * / // % ^ # & ~ | << >> == ~= <= >= < > = ( ) { } [ ] :: ; : , . .. "
             "...").split()
PUNCTUATION = "()[]{}=.,;:+-*/%^#&~|<>'\"\\\n -=[]"
SPACES = (" ", " ", " ", "\n", "\r\n", "\t", "\f", "\v", "\r", "")
ODD_CHARS = ("$", "@", "`", "!", "?", "\x00", "\xff", "\x80", "#!", "\x1b", "\\")
ESCAPES = ("\\n", "\\t", "\\\\", "\\\"", "\\'", "\\a", "\\b", "\\f", "\\v", "\\r", "\\x41",
           "\\xZZ", "\\x4", "\\065", "\\256", "\\999", "\\u{41}", "\\u{7FFFFFFF}",
           "\\u{80000000}", "\\u{}", "\\u{zz}", "\\u41", "\\u{10FFFF}", "\\u{0000000041}",
           "\\z", "\\z  \n  ", "\\\n", "\\\r\n", "\\q", "\\", "\n", "\\x", "\\u{41")


def name(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.7:
        return rng.choice(("a", "b", "x", "f", "t", "_", "_ENV", "self", "print", "i", "n"))
    if r < 0.98:
        first = rng.choice("abcdefghijklmnopqrstuvwxyzABCXYZ_")
        return first + "".join(rng.choice("abcxyz_019") for _ in range(rng.randrange(12)))
    return "n" * rng.choice((256, 4096, 100_000))


def numeral(rng: random.Random) -> str:
    digits = lambda n, alphabet="0123456789": "".join(rng.choice(alphabet) for _ in range(n))
    hexd = "0123456789abcdefABCDEF"
    forms = (
        lambda: digits(rng.randrange(1, 4)),
        lambda: digits(rng.randrange(15, 25)),
        lambda: digits(rng.choice((100, 400, 4400, 5000))),
        lambda: "0" * rng.randrange(1, 30) + digits(3),
        lambda: "0x" + digits(rng.randrange(0, 20), hexd),
        lambda: "0X" + digits(rng.choice((16, 17, 100, 5000)), hexd),
        lambda: digits(2) + "." + digits(rng.randrange(3)),
        lambda: "." + digits(rng.randrange(3)),
        lambda: digits(2) + rng.choice("eE") + rng.choice(("", "+", "-")) + digits(rng.randrange(4)),
        lambda: "1e" + rng.choice(("", "-")) + digits(rng.choice((3, 10, 400, 5000))),
        lambda: "0x" + digits(rng.randrange(3), hexd) + rng.choice((".", "")) + digits(rng.randrange(3), hexd)
        + rng.choice(("p", "P", "")) + rng.choice(("", "+", "-")) + digits(rng.randrange(4)),
        lambda: "0x1p" + rng.choice(("", "-", "+")) + digits(rng.choice((9, 10, 20, 5000))),
        lambda: "0x" + digits(5000, hexd) + "p-" + digits(3),
        lambda: rng.choice(("3..2", "1.2.3", "0xg", "1e309", "0x.p1", "0x", "0xp1", "1ee2", "08",
                            "1_000", "0b101", "1f", "9223372036854775807", "9223372036854775808",
                            "-9223372036854775808", "0x7fffffffffffffff", "0xffffffffffffffff",
                            "0x10000000000000000", "1e-400", "2^63", "math.mininteger",
                            "0x.1", "0x1.", "1.e5", ".e5", "0e", "0x1P-1074", "0x1p-1075")),
    )
    return rng.choice(forms)()


def short_string(rng: random.Random) -> str:
    quote = rng.choice("'\"")
    parts = []
    for _ in range(rng.randrange(6)):
        parts.append(rng.choice(ESCAPES) if rng.random() < 0.5 else
                     rng.choice(("a", "bc", " ", "'", '"', "\xe9", "\x00", "]]")))
    end = quote if rng.random() < 0.9 else rng.choice(("", "\n", "'" if quote == '"' else '"'))
    return quote + "".join(parts) + end


def long_bracket(rng: random.Random, comment: bool) -> str:
    level = rng.choice((0, 0, 1, 2, 5, 300)) if rng.random() < 0.95 else 0
    close_level = level if rng.random() < 0.85 else rng.randrange(4)
    body = rng.choice(("", "x", "]]", "]=]", "\n\n", "[[", "a\r\nb", "--", "]" + "=" * level))
    close = "]" + "=" * close_level + "]" if rng.random() < 0.9 else ""
    opener = "[" + "=" * level + ("[" if rng.random() < 0.95 else "")
    return ("--" if comment else "") + opener + body + close


def token(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.25:
        return rng.choice(KEYWORDS)
    if r < 0.50:
        return rng.choice(OPERATORS)
    if r < 0.65:
        return name(rng)
    if r < 0.78:
        return numeral(rng)
    if r < 0.88:
        return short_string(rng)
    if r < 0.93:
        return long_bracket(rng, comment=rng.random() < 0.4)
    if r < 0.97:
        return rng.choice(("--", "-- comment\n", "--[[", "--[==[ x ]==]"))
    return rng.choice(ODD_CHARS)


def gen_bytes(rng: random.Random) -> str:
    n = rng.choice((rng.randrange(8), rng.randrange(64), rng.randrange(512)))
    if rng.random() < 0.5:
        return "".join(chr(rng.randrange(256)) for _ in range(n))
    alphabet = PUNCTUATION + "abcdefxyz0123456789"
    return "".join(rng.choice(alphabet) for _ in range(n))


def gen_tokens(rng: random.Random) -> str:
    n = rng.choice((rng.randrange(1, 6), rng.randrange(1, 40), rng.randrange(1, 300)))
    glue = rng.random()
    out = []
    for _ in range(n):
        out.append(token(rng))
        out.append(" " if glue < 0.5 else rng.choice(SPACES))
    return "".join(out)


# each (opening, closing) nests around the previous level's text
NESTERS = (
    ("(", ")"), ("{", "}"), ("{a=", "}"), ("{[", "]=1}"), ("f(", ")"), ("a[", "]"),
    ("function() return ", " end"), ("- ", ""), ("not ", ""), ("~ ", ""), ("# ", ""),
    ("1 .. ", ""), ("2 ^ ", ""), ("a and (", ")"), ("-(", ")"),
)
STAT_NESTERS = (
    ("do ", " end"), ("while x do ", " end"), ("if x then ", " end"),
    ("repeat ", " until x"), ("for i=1,2 do ", " end"), ("for k in x do ", " end"),
    ("local function f() ", " end"), ("function a.b:c() ", " end"),
    ("if x then else ", " end"), ("if x then elseif y then ", " end"),
)
CHAINS = (".b", "[1]", "()", ":m()", "'s'", "{}", "(1)[2].c")


def gen_deep(rng: random.Random) -> str:
    depth = rng.choice((rng.randrange(1, 250), rng.randrange(180, 230), rng.randrange(1, 3000),
                        10_000))
    r = rng.random()
    if r < 0.4:
        opening, closing = rng.choice(NESTERS)
        mixed = [rng.choice(NESTERS) for _ in range(3)] if rng.random() < 0.3 else [(opening, closing)]
        levels = [rng.choice(mixed) for _ in range(depth)]
        inner = rng.choice(("1", "x", "...", "{}", "nil"))
        body = "".join(o for o, _ in levels) + inner + "".join(c for _, c in reversed(levels))
        opening, closing = rng.choice((("return ", ""), ("x = ", ""), ("local y = ", ""), ("f(", ")")))
        return opening + body + closing
    if r < 0.75:
        levels = [rng.choice(STAT_NESTERS) for _ in range(depth)]
        inner = rng.choice(("", "x = 1", "return", "break", "goto l ::l::", "local a <close> = nil"))
        return "".join(o for o, _ in levels) + inner + "".join(c for _, c in reversed(levels))
    if r < 0.9:
        link = rng.choice(CHAINS)
        chain = "a" + "".join(rng.choice((link, rng.choice(CHAINS))) for _ in range(depth))
        return rng.choice(("return ", "x = ", "")) + chain + rng.choice(("", " = 1", "()"))
    op = rng.choice(("..", "^", "+", "and", "or", "==", "<", "|", ",", "=", "::"))
    if op in ("and", "or"):     # quadratic, as in C Lua (its jump lists): 0.6 s for 20 000
        depth = min(depth, 1000)
    return "return a" + (" " + op + " a") * depth


def corpus() -> list[str]:
    """The Lua programs the mutators start from (bytes as latin-1 characters)."""
    global _corpus
    if _corpus is None:
        files = sorted(p for d in CORPUS_DIRS for p in (REPO_ROOT / d).glob("*.lua"))
        _corpus = [p.read_bytes().decode("latin-1") for p in files]
    return _corpus


_corpus: list | None = None
LEXEME = re.compile(r"""\[(=*)\[.*?\]\1\]|--[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'"""
                    r"""|0[xX][\w.]+|\d[\w.]*|\w+|\.\.\.|\.\.|[<>=~]=|::|<<|>>|//|\s+|.""", re.S)


def mutate(rng: random.Random, text: str) -> str:
    """One to five random edits of ``text``: bytes, tokens, or splices of the corpus."""
    for _ in range(rng.choice((1, 1, 2, 3, 5))):
        if not text:
            return token(rng)
        r = rng.random()
        pos = rng.randrange(len(text))
        if r < 0.2:             # flip a byte
            text = text[:pos] + chr(rng.randrange(256)) + text[pos + 1:]
        elif r < 0.3:           # insert a token or a byte
            ins = token(rng) if rng.random() < 0.7 else chr(rng.randrange(256))
            text = text[:pos] + ins + text[pos:]
        elif r < 0.4:           # delete a range
            text = text[:pos] + text[pos + rng.randrange(1, 40):]
        elif r < 0.5:           # splice in a piece of another program
            other = rng.choice(corpus())
            a = rng.randrange(len(other))
            piece = other[a:a + rng.choice((10, 80, 400))]
            cut = rng.choice((0, rng.randrange(30)))
            text = text[:pos] + piece + text[pos + cut:]
        else:                   # token edits: delete, duplicate, swap, replace
            toks = [m.group() for m in LEXEME.finditer(text)]
            i = rng.randrange(len(toks))
            j = rng.randrange(len(toks))
            if r < 0.65:
                del toks[i]
            elif r < 0.8:
                toks.insert(i, toks[i])
            elif r < 0.9:
                toks[i], toks[j] = toks[j], toks[i]
            else:
                toks[i] = token(rng)
            text = "".join(toks)
    return text


def gen_mutate(rng: random.Random) -> str:
    text = rng.choice(corpus())
    if rng.random() < 0.5:      # a window keeps most inputs small and fast
        a = rng.randrange(len(text))
        text = text[a:a + rng.choice((200, 1000, 4000))]
    return mutate(rng, text)


EDGE_VALUES = ("0", "-1", "1", "0.0", "-0.0", "math.maxinteger", "math.mininteger", "2^53",
               "1/0", "-1/0", "0/0", "'10'", "'0x10'", "' 1e1 '", "'abc'", "''", "nil", "true",
               "false", "{}", "print", "coroutine.running()", "setmetatable({}, {__index=print})",
               "(...)", "0x7fffffffffffffff", "1e308", "-(2^63)", "'\\0'")


def twist(rng: random.Random, text: str) -> str:
    """Edits that mostly keep a program valid, so that it compiles and the VM runs
    something new: operators, names, values and lines exchanged for others."""
    toks = [m.group() for m in LEXEME.finditer(text)]
    names = [t for t in toks if t[0].isalpha() or t[0] == "_"] or ["x"]
    for _ in range(rng.choice((1, 2, 3, 6))):
        i = rng.randrange(len(toks))
        t = toks[i]
        r = rng.random()
        if t in OPERATORS and t not in "()[]{};,.:":
            toks[i] = rng.choice([o for o in OPERATORS if o not in "()[]{};,.:=::"] or [t])
        elif t[0].isdigit() or t[0] in "'\"" or t in ("nil", "true", "false") or r < 0.1:
            toks[i] = rng.choice(EDGE_VALUES) if t not in KEYWORDS else t
        elif (t[0].isalpha() or t[0] == "_") and t not in KEYWORDS:
            toks[i] = rng.choice(names)
    lines = "".join(toks).split("\n")
    if rng.random() < 0.5 and len(lines) > 1:     # a line deleted, duplicated or moved
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        op = rng.random()
        if op < 0.4:
            del lines[i]
        elif op < 0.7:
            lines.insert(j, lines[i])
        else:
            lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def gen_twist(rng: random.Random) -> str:
    return twist(rng, rng.choice(corpus()))


LIBRARY = (
    "assert collectgarbage error getmetatable ipairs load next pairs pcall print rawequal "
    "rawget rawlen rawset select setmetatable tonumber tostring type xpcall warn "
    "coroutine.close coroutine.create coroutine.isyieldable coroutine.resume "
    "coroutine.running coroutine.status coroutine.wrap coroutine.yield "
    "math.abs math.ceil math.floor math.fmod math.log math.max math.min math.modf "
    "math.random math.randomseed math.tointeger math.type math.ult math.sqrt math.exp "
    "math.frexp math.ldexp math.pow "
    "string.byte string.char string.dump string.find string.format string.gmatch "
    "string.gsub string.len string.lower string.match string.pack string.packsize "
    "string.rep string.reverse string.sub string.unpack string.upper "
    "table.concat table.insert table.move table.pack table.remove table.sort table.unpack "
    "utf8.char utf8.codepoint utf8.codes utf8.len utf8.offset "
    "os.clock os.date os.time os.difftime debug.traceback debug.getinfo "
    "debug.getlocal debug.getmetatable debug.setmetatable debug.getupvalue "
    "debug.setupvalue debug.upvalueid debug.upvaluejoin debug.setlocal").split()
ARGUMENTS = EDGE_VALUES + (
    "2^31", "2^63", "-2^63", "2^53 + 1", "1e100", "-1e100", "0x7fffffff", "-0x80000000",
    "0x7fffffffffffffff", "math.huge", "-math.huge", "math.pi", "255", "256", "-256", "3",
    "100", "1000000", "2", "-2", "0x10FFFF", "0x110000", "0x7FFFFFFF", "1.5", "-1.5",
    "'%d'", "'%5.2f'", "'%99d'", "'%-+ #0100.100g'", "'%q'", "'%a'", "'%i'", "'%c'",
    "'%s'", "'%x'", "'%o'", "'%e'", "'%%'", "'%z'", "'%10.3q'", "'%.99f'", "'%.100f'",
    "'%5s%-5d'", "'%'", "'%-'", "'%1000d'",
    "'<i4'", "'>I8'", "'=j'", "'!4 i3 i7'", "'s1'", "'z'", "'c10'", "'i17'", "'i0'",
    "'Xi4'", "'bBhHlLjJTfdn'", "'<!16 d X'", "'s'", "'c'", "'I' .. 2^40",
    "'%a+'", "'(%d+)%s*(.-)$'", "'[%a-z]'", "'%b()'", "'%f[%w]%w+'", "'(()'", "'%1'",
    "'[^'", "'%'", "'(a*(.)%w(%s*))'", "'.-'", "'[]]'", "'%g+'", "'((((((((((((x'",
    "'%Y-%m-%d %H:%M:%S'", "'!*t'", "'*t'", "'%Ez'", "'%Q'", "'!%c'",
    "'hello world'", "('x'):rep(100)", "'\\255\\0abc'", "'\\u{10FFFF}'",
    "'\\xF4\\x90\\x80\\x80'", "'\\xC0\\x80'", "'1e5'", "'0x10'",
    "{}", "{1, 2, 3}", "{n = 2^40}", "{'a', 'b', nil, 'd'}", "{1, 'x', {}, 3.5}",
    "setmetatable({}, {__index = function(t, k) return k end})",
    "setmetatable({}, {__len = function() return 5 end})",
    "setmetatable({}, {__len = function() return 2^62 end})",
    "setmetatable({}, {__lt = function() return true end})",
    "setmetatable({}, {__tostring = function() return {} end})",
    "setmetatable({}, {__name = 7})", "setmetatable({}, {__metatable = false})",
    "setmetatable({}, {__gc = function() error('gc') end})",
    "setmetatable({}, {__close = 1})",
    "function(...) return ... end", "function() error({}) end", "function() error() end",
    "error", "coroutine.create(print)", "coroutine.running()", "string.gmatch('a', 'a')",
    "io", "os.time()", "-0.0",
)


def gen_calls(rng: random.Random) -> str:
    """Library functions called with edge arguments (the VM runs these)."""
    lines = []
    for _ in range(rng.randrange(1, 12)):
        fn = rng.choice(LIBRARY)
        args = ", ".join(rng.choice(ARGUMENTS) for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4))))
        call = f"{fn}({args})"
        lines.append(rng.choice((f"pcall({fn}{', ' + args if args else ''})",
                                 f"print(pcall(function() return {call} end))",
                                 f"local ok, r = pcall({fn}{', ' + args if args else ''}) "
                                 f"print(ok, type(r) == 'string' and #r or r)")))
    return "\n".join(lines)


def dumps() -> list[str]:
    """``string.dump`` of every corpus program that compiles, stripped or not."""
    global _dumps
    if _dumps is None:
        from pylua.dump import dump
        from pylua.compiler import compile_chunk
        from pylua.parser import parse
        from pylua.errors import LuaError
        _dumps = []
        for i, text in enumerate(corpus()):
            try:
                proto = compile_chunk(parse(text, "=corpus"))
            except LuaError:
                continue
            _dumps.append(dump(proto, strip=i % 2 == 1))
    return _dumps


_dumps: list | None = None


def gen_binary(rng: random.Random) -> str:
    chunk = rng.choice(dumps())
    r = rng.random()
    if r < 0.25:                 # truncated
        return chunk[:rng.randrange(len(chunk))]
    if r < 0.4:                  # a header byte changed
        pos = rng.randrange(min(40, len(chunk)))
        return chunk[:pos] + chr(rng.randrange(256)) + chunk[pos + 1:]
    out = bytearray(chunk.encode("latin-1"))
    for _ in range(rng.choice((1, 1, 2, 4, 16))):
        pos = rng.randrange(len(out))
        op = rng.random()
        if op < 0.6:
            out[pos] = rng.randrange(256)
        elif op < 0.8:
            del out[pos:pos + rng.randrange(1, 8)]
        else:
            out[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
        if not out:
            break
    return bytes(out).decode("latin-1")


GENERATE = {"bytes": gen_bytes, "tokens": gen_tokens, "deep": gen_deep, "mutate": gen_mutate,
            "twist": gen_twist, "calls": gen_calls, "binary": gen_binary}


def make_input(generator: str, seed: int, index: int) -> str:
    return GENERATE[generator](random.Random(f"{seed}:{generator}:{index}"))


# ---------------------------------------------------------------- running one input

class Guard:
    """Loads and (optionally) runs inputs, turning every outcome into a word."""

    def __init__(self, run: bool) -> None:
        from pylua.state import LuaState
        self.run = run
        self.LuaState = LuaState
        self.loader = self.new_state()
        self.leaks: list[str] = []
        _watch_internal_errors(self.leaks)

    def new_state(self):
        sink = io.BytesIO()
        return self.LuaState(stdout=sink, stderr=sink, stdin=io.BytesIO())

    def check(self, text: str, mode: str) -> str:
        """The outcome of loading (and running) ``text``; raises ``Bug``."""
        from pylua.errors import LuaError
        L = self.new_state() if self.run else self.loader
        del self.leaks[:]
        try:
            try:
                f = L.load(text, CHUNKNAME, mode)
            except LuaError as e:
                self.lua_error(e)
                return "load error"
            if not self.run:
                return "loaded"
            return self.execute(L, f)
        except Bug:
            raise
        except BaseException as e:      # noqa: BLE001 - exactly what we hunt
            if isinstance(e, KeyboardInterrupt):
                raise
            raise Bug(describe(e)) from e

    def lua_error(self, e) -> None:
        msg = str(e)
        if any(leak in msg for leak in PYTHON_LEAKS):
            raise Bug(f"LuaError: {msg}")

    def execute(self, L, f) -> str:
        """Run ``f`` under pylua's own limits (``pylua.limits``): instructions, time
        and memory, library work included."""
        from pylua.errors import LuaError
        from pylua.limits import LuaLimitError, install
        sandbox(L)
        install(L, max_instructions=INSTRUCTION_BUDGET, timeout=RUN_SECONDS,
                max_memory=MEMORY_BUDGET)
        try:
            L.call(f)
            outcome = "ran"
        except LuaLimitError:
            outcome = "budget"
        except LuaError as e:
            self.lua_error(e)
            outcome = "run error"
        finally:
            install(L)
        if self.leaks:      # a Python exception the program's own pcall caught
            raise Bug(self.leaks[0])
        return outcome


class Reference:
    """Lua 5.4.8 (lupa): the message its ``load`` gives for a chunk, to compare."""

    def __init__(self) -> None:
        import lupa.lua54
        lua = lupa.lua54.LuaRuntime(encoding=None)
        self.load = lua.eval("function(s, mode) local f, e = load(s, '%s', mode) "
                             "return e end" % CHUNKNAME)

    def message(self, text: str, mode: str) -> str | None:
        msg = self.load(text.encode("latin-1"), mode.encode())
        return None if msg is None else msg.decode("latin-1")


def load_message(L, text: str, mode: str) -> str | None:
    """pylua's ``load`` message for ``text`` (None: it compiles)."""
    from pylua.errors import LuaError
    try:
        L.load(text, CHUNKNAME, mode)
    except LuaError as e:
        return str(e)
    return None


class Bug(Exception):
    """An input made pylua fail in a way Lua never does."""


def describe(e: BaseException) -> str:
    """``Type: message`` and the innermost frames of where it was raised."""
    import traceback
    frames = traceback.extract_tb(e.__traceback__)[-3:]
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{type(e).__name__}: {str(e)[:200]} at {where}"


def _watch_internal_errors(leaks: list) -> None:
    """Record every Python exception the VM turns into a Lua error, even one the
    script catches itself (pure-Python VM only: a compiled one binds the call)."""
    from pylua import vm
    original = getattr(vm.internal_error, "robustness_original", vm.internal_error)

    def internal_error(ex: BaseException):
        leaks.append(describe(ex))
        return original(ex)

    internal_error.robustness_original = original
    vm.internal_error = internal_error


KEEP = {
    "os": ("clock", "time", "date", "difftime", "getenv"),
    "debug": ("traceback", "getinfo", "getlocal", "getmetatable", "setmetatable", "upvalueid",
              "getupvalue", "setupvalue", "upvaluejoin", "setlocal", "gethook", "sethook"),
}
DROP = ("io", "package", "require", "dofile", "loadfile", "task", "llm", "llmspell", "Agent",
        "Tool", "Workflow")


def sandbox(L) -> None:
    """Take from the globals what touches the host."""
    from pylua.table import LuaTable
    g = L.globals
    for key in DROP:
        g.set_str(key, None)
    for lib, names in KEEP.items():
        kept = LuaTable()
        for n in names:
            kept.set_str(n, g.get_str(lib).get_str(n))
        g.set_str(lib, kept)


# ---------------------------------------------------------------- worker and supervisor

def guarded_process(run: bool) -> Guard:
    """This process, set up as a worker: its memory limited, so that allocation bombs
    fail with MemoryError instead of swapping."""
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    return Guard(run)


def worker(generator: str, seed: int, start: int, stop: int, run: bool,
           compare: bool = False) -> None:
    """Check inputs ``start``.. ``stop-1``, saying ``i`` before each, then ``= outcome``
    or ``BUG i what``, and with ``compare`` ``DIFF i pylua's message / Lua's`` where
    the messages of a chunk that does not load differ; one line each on stdout."""
    guard = guarded_process(run)
    mode = "b" if generator == "binary" else "bt"
    reference = Reference() if compare else None
    out = sys.stdout
    for i in range(start, stop):
        text = make_input(generator, seed, i)
        out.write(f"{i}\n")
        out.flush()
        try:
            outcome = guard.check(text, mode)
        except Bug as b:
            out.write(f"BUG {i} {json.dumps(str(b))}\n")
            continue
        if reference:
            ours, theirs = load_message(guard.loader, text, mode), reference.message(text, mode)
            if ours != theirs:
                out.write(f"DIFF {i} {json.dumps([ours, theirs])}\n")
        out.write(f"= {outcome}\n")
    out.write("DONE\n")
    out.flush()


@dataclass
class Report:
    generator: str
    inputs: int = 0
    seconds: float = 0.0
    outcomes: dict = field(default_factory=dict)
    bugs: list = field(default_factory=list)       # (index, description)
    diffs: list = field(default_factory=list)      # (index, pylua's message, Lua's)

    def line(self) -> str:
        rate = self.inputs / self.seconds if self.seconds else 0.0
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items()))
        return (f"{self.generator}: {self.inputs} inputs in {self.seconds:.0f} s "
                f"({rate:.0f}/s); {counts}; bugs {len(self.bugs)}"
                + (f"; message differences {len(self.diffs)}" if self.diffs else ""))


def campaign(generator: str, inputs: int, seed: int = 1, run: bool = False, start: int = 0,
             timeout: float = 30.0, progress=None, env: dict | None = None,
             compare: bool = False) -> Report:
    """Check ``inputs`` inputs of ``generator`` in a worker process, restarting it
    after a hang (no word for ``timeout`` seconds) or a crash."""
    report = Report(generator)
    began = time.monotonic()
    i, stop = start, start + inputs
    while i < stop:
        cmd = [sys.executable, "-m", "tests.robustness", "--worker", generator, "--seed",
               str(seed), "--start", str(i), "--inputs", str(stop - i)] + (["--run"] if run else []) + (["--compare"] if compare else [])
        errors = tempfile.TemporaryFile("w+")
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=errors,
                                text=True, env=env, bufsize=1)
        current, done = i, False
        last_report = time.monotonic()
        try:
            while True:
                ready, _, _ = select.select([proc.stdout], [], [], timeout)
                if not ready:
                    proc.kill()
                    report.bugs.append((current, f"hang: no result in {timeout:.0f} s"))
                    report.outcomes["hang"] = report.outcomes.get("hang", 0) + 1
                    break
                line = proc.stdout.readline()
                if not line:
                    proc.wait()
                    errors.seek(0)
                    last = (errors.read().strip().splitlines() or [""])[-1]
                    report.bugs.append((current, f"crash: exit status {proc.returncode}: {last}"))
                    report.outcomes["crash"] = report.outcomes.get("crash", 0) + 1
                    break
                if line.startswith("= "):
                    outcome = line[2:].strip()
                    report.outcomes[outcome] = report.outcomes.get(outcome, 0) + 1
                    report.inputs += 1
                elif line.startswith("BUG "):
                    _, idx, what = line.split(" ", 2)
                    report.bugs.append((int(idx), json.loads(what)))
                    report.outcomes["bug"] = report.outcomes.get("bug", 0) + 1
                    report.inputs += 1
                elif line.startswith("DIFF "):
                    _, idx, what = line.split(" ", 2)
                    report.diffs.append((int(idx), *json.loads(what)))
                elif line.startswith("DONE"):
                    done = True
                    break
                else:
                    current = int(line)
                    if progress and time.monotonic() - last_report > 10:
                        last_report = time.monotonic()
                        report.seconds = last_report - began
                        progress(report, current)
        finally:
            proc.stdout.close()
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            errors.close()
        if done:
            break
        report.inputs += 1          # the input that hung or crashed
        i = current + 1
    report.seconds = time.monotonic() - began
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.robustness", description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=1000, help="inputs per generator")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--generators", default=",".join(GENERATORS))
    ap.add_argument("--run", action="store_true", help="run what compiles (VM fuzzing)")
    ap.add_argument("--compare", action="store_true",
                    help="compare load's error messages with Lua 5.4.8's (lupa)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds one input may take")
    ap.add_argument("--start", type=int, default=0, help="index of the first input")
    ap.add_argument("--replay", metavar="GENERATOR:INDEX", help="print one input and its outcome")
    ap.add_argument("--worker", metavar="GENERATOR", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(args.worker, args.seed, args.start, args.start + args.inputs, args.run,
               args.compare)
        return 0
    if args.replay:
        gen, idx = args.replay.split(":")
        text = make_input(gen, args.seed, int(idx))
        print(repr(text[:2000]) + (f" ... ({len(text)} chars)" if len(text) > 2000 else ""))
        try:
            print(guarded_process(args.run).check(text, "b" if gen == "binary" else "bt"))
        except Bug as b:
            print("BUG", b)
            return 1
        return 0

    def progress(report: Report, current: int) -> None:
        print(f"  {report.line()} (at {current})", file=sys.stderr, flush=True)

    bugs = 0
    for gen in args.generators.split(","):
        report = campaign(gen, args.inputs, args.seed, args.run, args.start, args.timeout,
                          progress, compare=args.compare)
        print(report.line(), flush=True)
        for idx, what in report.bugs:
            print(f"  BUG {gen}:{idx}: {what}", flush=True)
        for idx, ours, theirs in report.diffs[:DIFFS_SHOWN]:
            print(f"  DIFF {gen}:{idx}: pylua {ours!r}\n{' ' * len(gen)}          Lua {theirs!r}")
        bugs += len(report.bugs)
    return 1 if bugs else 0


if __name__ == "__main__":
    sys.exit(main())
