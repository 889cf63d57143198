"""The front end: lexer, grammar, AST building and Lua's syntax error messages.

Error messages are checked differentially: lupa (an embedded Lua 5.4.8) compiles the
same source with ``load(src, "=src")`` and its message must equal ours exactly.
"""
import gc
import math
import subprocess
import time

import lupa.lua54
import pytest

from pylua import ast
from pylua.compiler import compile_chunk
from pylua.errors import LuaSyntaxError
from pylua.lexer import Lexer
from pylua.parser import parse
from pylua.undump import undump

_lua = lupa.lua54.LuaRuntime(encoding=None)
_load = _lua.eval('function(s) local f, e = load(s, "=src") return e end')


def lua_error(src: str):
    """Lua 5.4.8's message for compiling ``src`` (None if it compiles)."""
    err = _load(src.encode("latin-1"))
    if err is None:
        return None
    err = err.decode("latin-1")
    # lupa's message handler appends a traceback to errors raised outside the parser
    return err.split("\nstack traceback:")[0]


def our_error(src: str, **kw):
    try:
        parse(src, "=src", **kw)
    except LuaSyntaxError as e:
        return str(e)
    return None


def stats(src: str) -> list:
    return parse(src, "=t").body.stats


def expr(src: str) -> ast.Expr:
    return stats("x = " + src)[0].exprs[0]


def show(e) -> str:
    """An expression fully parenthesised, to check precedence and associativity."""
    t = type(e)
    if t is ast.BinOp:
        return f"({show(e.left)} {e.op} {show(e.right)})"
    if t is ast.UnOp:
        return f"({e.op} {show(e.operand)})"
    if t is ast.Name:
        return e.name
    if t is ast.Number:
        return repr(e.value)
    if t is ast.Paren:
        return f"[{show(e.expr)}]"
    if t is ast.Call:
        return f"{show(e.func)}({', '.join(show(a) for a in e.args)})"
    if t is ast.String:
        return repr(e.value)
    if t is ast.Index:
        return f"{show(e.obj)}.{show(e.key)}"
    raise AssertionError(t)


# ------------------------------------------------------------------ precedence

@pytest.mark.parametrize("src, shape", [
    ("a or b and c", "(a or (b and c))"),
    ("a and b or c", "((a and b) or c)"),
    ("a or b or c", "((a or b) or c)"),
    ("a < b == c", "((a < b) == c)"),
    ("a == b | c", "(a == (b | c))"),
    ("a | b ~ c", "(a | (b ~ c))"),
    ("a ~ b & c", "(a ~ (b & c))"),
    ("a & b << c", "(a & (b << c))"),
    ("a << b >> c", "((a << b) >> c)"),
    ("a << b .. c", "(a << (b .. c))"),
    ("a .. b .. c", "(a .. (b .. c))"),
    ("a .. b + c", "(a .. (b + c))"),
    ("a + b .. c", "((a + b) .. c)"),
    ("a - b - c", "((a - b) - c)"),
    ("a + b * c", "(a + (b * c))"),
    ("a * b / c // d % e", "((((a * b) / c) // d) % e)"),
    ("-a * b", "((- a) * b)"),
    ("-a ^ b", "(- (a ^ b))"),
    ("a ^ b ^ c", "(a ^ (b ^ c))"),
    ("a ^ -b", "(a ^ (- b))"),
    ("2 ^ -3 ^ 2", "(2 ^ (- (3 ^ 2)))"),
    ("a ^ -b * c", "((a ^ (- b)) * c)"),
    ("not a == b", "((not a) == b)"),
    ("not not a", "(not (not a))"),
    ("#a + 1", "((# a) + 1)"),
    ("~a ~ b", "((~ a) ~ b)"),
    ("a ~ ~b", "(a ~ (~ b))"),
    ("- - a", "(- (- a))"),
    ("a or b and c < d | e ~ f & g << h .. i + j * -k ^ l",
     "(a or (b and (c < (d | (e ~ (f & (g << (h .. (i + (j * (- (k ^ l))))))))))))"),
    ("(a + b) * c", "([(a + b)] * c)"),
    ("a.b.c", "a.'b'.'c'"),
])
def test_precedence_and_associativity(src, shape):
    assert show(expr(src)) == shape


def test_operator_lines_are_the_operator_tokens():
    e = expr("a\n+\nb\n*\nc")
    assert (e.op, e.line, e.right.op, e.right.line) == ("+", 2, "*", 4)
    u = expr("\n-\nx")
    assert (u.op, u.line) == ("-", 2)


# ------------------------------------------------------------------ literals

@pytest.mark.parametrize("src, value", [
    ("0", 0), ("3", 3), ("3.", 3.0), (".5e2", 50.0), ("3.25", 3.25), ("1e3", 1000.0),
    ("2E-2", 0.02), ("0x10", 16), ("0XfF", 255), ("0x7fffffffffffffff", 2**63 - 1),
    ("0xffffffffffffffff", -1), ("0x10000000000000000", 0),
    ("9223372036854775807", 2**63 - 1), ("9223372036854775808", 9.2233720368547758e18),
    ("0x1p4", 16.0), ("0x.8", 0.5), ("0x1.8p1", 3.0), ("0xA.8p-1", 5.25),
    ("1e400", math.inf),
])
def test_numerals(src, value):
    n = expr(src)
    assert type(n) is ast.Number
    assert n.value == value and type(n.value) is type(value)


@pytest.mark.parametrize("src, value", [
    (r'"plain"', "plain"),
    (r"'single'", "single"),
    (r'"\a\b\f\n\r\t\v\\\"\'"', "\a\b\f\n\r\t\v\\\"'"),
    (r'"\65\066\0677"', "ABC7"),
    (r'"\0x"', "\0x"),
    (r'"\255"', "\xff"),
    (r'"\x41\x4a\x6b"', "AJk"),
    (r'"\u{41}\u{e9}\u{20AC}"', "A\xc3\xa9\xe2\x82\xac"),
    (r'"\u{7FFFFFFF}"', "\xfd\xbf\xbf\xbf\xbf\xbf"),
    (r'"\u{10FFFF}\u{0}"', "\xf4\x8f\xbf\xbf\0"),
    ('"a\\z  \n\t  b"', "ab"),
    ('"line\\\nnext"', "line\nnext"),
    ('"crlf\\\r\nx"', "crlf\nx"),
    ("[[long]]", "long"),
    ("[[\nskip first newline]]", "skip first newline"),
    ("[[\r\nskip crlf]]", "skip crlf"),
    ("[==[a]]b]=]c]==]", "a]]b]=]c"),
    ("[=[\n\nx\r\ny\n\rz]=]", "\nx\ny\nz"),
    ("[===[ no \\escapes \\n ]===]", " no \\escapes \\n "),
    ('"\xe9\x00\xff"', "\xe9\x00\xff"),
])
def test_strings(src, value):
    s = expr(src)
    assert type(s) is ast.String and s.value == value


def test_comments_and_line_counting():
    src = ("-- short\n--[[ long\ncomment ]] a = 1\n--[==[\n]]\n]==] b = 2\r\nc = 3\n\rd = 4"
           "\r\re = [[\nx\ny]] f = 5")
    lines = [(s.targets[0].name, s.line) for s in stats(src)]
    assert lines == [("a", 3), ("b", 6), ("c", 7), ("d", 8), ("e", 10), ("f", 12)]


def test_lexer_token_lines_end_where_the_token_ends():
    toks = list(Lexer("x = [[a\nb\nc]] y", "=t").tokens())
    assert [(t.type, t.line) for t in toks] == [
        ("NAME", 1), ("ASSIGN", 1), ("STRING", 3), ("NAME", 3)]


# ------------------------------------------------------------------ statements

def test_local_with_attributes():
    s, = stats("local a <const>, b, c <close> = 1, 2")
    assert type(s) is ast.Local
    assert (s.names, s.attribs) == (["a", "b", "c"], ["const", None, "close"])
    assert [e.value for e in s.exprs] == [1, 2]
    s, = stats("local x")
    assert s.exprs == []


def test_assignment_and_call_statements():
    a, c, m = stats("a, b.c, d[1] = 1, 2\nf(1)(2)\no:m 's'")
    assert type(a) is ast.Assign
    assert [type(t) for t in a.targets] == [ast.Name, ast.Index, ast.Index]
    assert type(c) is ast.CallStat and type(c.call.func) is ast.Call
    assert c.line == 2
    assert type(m.call) is ast.MethodCall and m.call.method == "m"
    assert m.call.args[0].value == "s"


def test_call_on_next_line_is_a_call():
    s, = stats("x = f\n(g)")
    assert type(s.exprs[0]) is ast.Call and s.exprs[0].line == 2


def test_call_arguments_and_lines():
    call = stats("f(a,\n b\n)")[0].call
    assert (call.line, call.end_line, len(call.args)) == (1, 3, 2)
    call = stats("f\n{\n1}")[0].call
    assert (call.line, call.end_line) == (2, 3) and type(call.args[0]) is ast.Table
    call = stats('f\n"s"')[0].call
    assert (call.line, call.end_line) == (2, 2)


def test_method_name_vararg_and_parens_lines():
    call = stats("o\n:m\n[[\nx]]")[0].call
    assert (call.line, call.name_line, call.end_line, call.parens) == (4, 2, 4, False)
    call = stats("o:m\n(\n1)")[0].call
    assert (call.line, call.name_line, call.end_line, call.parens) == (2, 1, 3, True)
    assert stats("f{}")[0].call.parens is False and stats("f''")[0].call.parens is False
    f, = stats("function f(a,\n\n...) end")
    assert (f.func.line, f.func.vararg_line) == (1, 3)
    fn = expr("function(\n...\n) end")
    assert (fn.line, fn.vararg_line) == (1, 2)


# Code whose line numbers come from the tokens around call arguments and parameters.
LINE_SNIPPETS = [
    "local o = {}\nlocal x = o:m[[\nab\n]]\nlocal y = o\n:n\n{1}",
    "local z = f\n{3}\ng\n'\\z\n s'\nf(\n{2})\nh\n(\n{4})",
    "local t = os.time\n{year = 1}\nlocal u = a.b\n.c\n{}",
    "local function v(a, b,\n\n...) return ... end\nreturn function(\n...) end",
]


@pytest.mark.parametrize("src", LINE_SNIPPETS)
def test_instruction_lines_match_lua(src):
    """Each instruction's line, as ``string.dump`` of Lua 5.4.8 records it."""
    dumped = _lua.eval("function(s) return string.dump(assert(load(s, '=l'))) end")(
        src.encode("latin-1"))

    def lines(p):
        return [p.lineinfo] + [lines(q) for q in p.p]
    assert lines(compile_chunk(parse(src, "=l"))) == lines(undump(dumped.decode("latin-1"), "=l"))


def test_control_structures():
    w, r, i, n, g, d = stats(
        "while a do break end\n"
        "repeat local z = 1 until z\n"
        "if a then elseif b then x() else y() end\n"
        "for i = 1, 10, 2 do end\n"
        "for k, v in pairs(t), 3 do end\n"
        "do goto l ::l:: end")
    assert type(w) is ast.While and type(w.body.stats[0]) is ast.Break
    assert type(r) is ast.Repeat and type(r.cond) is ast.Name
    assert type(i) is ast.If and len(i.tests) == 2 and i.test_lines == [3, 3]
    assert type(i.orelse.stats[0]) is ast.CallStat
    assert type(n) is ast.NumericFor and n.var == "i" and n.step.value == 2
    assert stats("for i = 1, 2 do end")[0].step is None
    assert type(g) is ast.GenericFor and g.names == ["k", "v"] and len(g.exprs) == 2
    assert g.exprs_line == 5
    assert [type(s) for s in d.body.stats] == [ast.Goto, ast.Label]


def test_block_end_lines():
    i, = stats("if a then\nx()\nelseif b then\ny()\nelse\nz()\nend")
    assert [b.end_line for _, b in i.tests] == [3, 5]
    assert i.orelse.end_line == 7
    r, = stats("repeat\nx()\nuntil\ny")
    assert r.body.end_line == 3
    chunk = parse("x = 1\n\n", "=t")
    assert chunk.body.end_line == 3


def test_function_definitions():
    f, lf, anon = stats("function a.b.c:m(x, ...) return self end\n"
                        "local function g(\n) end\n"
                        "h = function\n(...)\nreturn ...\nend")
    assert type(f) is ast.FunctionStat
    assert (f.path, f.method) == (["a", "b", "c"], "m")
    assert f.func.params == ["self", "x"] and f.func.is_vararg
    assert (f.func.line, f.func.end_line) == (1, 1)
    assert type(lf) is ast.LocalFunction and lf.name == "g"
    assert (lf.func.line, lf.func.end_line) == (2, 3)    # linedefined: line of '('
    fn = anon.exprs[0]
    assert type(fn) is ast.Function and fn.params == [] and fn.is_vararg
    assert (fn.line, fn.end_line) == (5, 7)              # as luac's linedefined
    assert type(fn.body.stats[0].exprs[0]) is ast.Vararg


def test_function_path_lines():
    f, = stats("function a\n.b\n.c() end")
    assert f.path_lines == [1, 2, 3] and f.method is None


def test_table_constructor():
    t = expr("{1, x = 2; [3] = 4, f(), ...,\n}")
    assert type(t) is ast.Table and (t.line, t.end_line) == (1, 2)
    keys = [f.key for f in t.fields]
    assert keys[0] is None and keys[1].value == "x" and keys[2].value == 3
    assert keys[3] is None and type(t.fields[4].value) is ast.Vararg
    assert expr("{}").fields == []


def test_return_forms():
    for src, n in [("return", 0), ("return;", 0), ("return 1, 2", 2), ("return f();", 1)]:
        r, = stats(src)
        assert type(r) is ast.Return and len(r.exprs) == n
    assert type(stats("do return end")[0].body.stats[0]) is ast.Return


def test_empty_statements_vanish():
    assert stats(";;;") == []
    assert [type(s) for s in stats("; x = 1 ;; f() ;")] == [ast.Assign, ast.CallStat]


def test_literal_expressions():
    n, t, f, v = stats("x = nil, true, false, ...")[0].exprs
    assert [type(e) for e in (n, t, f, v)] == [ast.Nil, ast.TrueExpr, ast.FalseExpr,
                                              ast.Vararg]


def test_chunk():
    chunk = parse("x = 1", "@file.lua")
    assert type(chunk) is ast.Chunk and chunk.source == "@file.lua"


def test_large_program_parses_in_time():
    body = ("local function f{i}(a, b, ...)\n"
            "  local t = {{x = a, y = b, [1] = 'one', \"two\", 3.5}}\n"
            "  for k, v in pairs(t) do\n"
            "    if type(v) == 'number' and v > {i} then t[k] = v * 2 + a // 3\n"
            "    elseif k == 'x' then t.x = tostring(v) .. 'suffix\\n'\n"
            "    else print(k, v) end\n"
            "  end\n"
            "  obj:deposit(b + {i})\n"
            "  while a < b do a = a + 1 end\n"
            "  return t, obj.balance, ...\n"
            "end\n")
    src = "do\n" + "end\ndo\n".join(body.format(i=i) for i in range(1000)) + "end\n"
    assert src.count("\n") > 10000
    start = time.process_time()
    chunk = parse(src, "@big.lua")
    assert time.process_time() - start < 3.0     # ~0.3 s here; the budget is 1 s
    assert len(chunk.body.stats) == 1000
    assert lua_error(src) is None


# Sources made of n repetitions of one construct: parsing must cost O(n).
LONG_LISTS = {
    "table items": lambda n: "return {" + ",".join(map(str, range(n))) + "}",
    "keyed table items": lambda n: "return {" + ",".join(f"k{i}={i}" for i in range(n)) + "}",
    "call arguments": lambda n: "f(" + ",".join(map(str, range(n))) + ")",
    # Lua allows 200 locals per function: long name lists come in blocks of 150.
    "local names": lambda n: "\n".join(
        "do local " + ",".join(f"a{i}" for i in range(150)) + " = 1 end" for _ in range(n // 150)),
    "parameters": lambda n: "\n".join(
        "f = function(" + ",".join(f"a{i}" for i in range(150)) + ") end" for _ in range(n // 150)),
    "'+' chain": lambda n: "return " + "+".join("a" for _ in range(n)),
    "statements": lambda n: "\n".join(f"x = {i}" for i in range(n)),
    "elseif chain": lambda n: "if x then " + " ".join(
        f"elseif x == {i} then y = {i}" for i in range(n)) + " end",
    "functions": lambda n: "\n".join(f"local function f{i}(a) return a end" for i in range(n)),
    "string bytes": lambda n: "return '" + "x" * (500 * n) + "'",    # 1 MB for 2000
    "escaped string": lambda n: "return '" + "x\\n" * (30 * n) + "'",
    "long string lines": lambda n: "return [[" + "x\n" * (50 * n) + "]]",
}


def parse_cost(src: str) -> float:
    """CPU time of parsing ``src``, the best of three runs. Python's cyclic collector is
    off meanwhile: its full passes cost what the whole test process holds (in a
    worker that ran the MCP or fuzz tests before, a lot), which is not the parser's."""
    best = math.inf
    gc.disable()
    try:
        for _ in range(3):
            start = time.process_time()
            parse(src, "=long")
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


@pytest.mark.parametrize("kind", LONG_LISTS)
def test_long_lists_parse_in_linear_time(kind):
    make = LONG_LISTS[kind]
    small, large = make(2000), make(8000)
    parse(small, "=warm-up")
    # 4 times the items: ~4 times the cost (a quadratic parser took 16 times or more);
    # other processes on the machine can disturb one measurement, so up to 3 tries
    assert any(parse_cost(large) < 6 * parse_cost(small) for _ in range(3))


def test_131072_table_items_parse():
    items = parse("return {" + ",".join(map(str, range(131072))) + "}", "=t")
    fields = items.body.stats[0].exprs[0].fields
    assert len(fields) == 131072 and fields[-1].value.value == 131071


# ------------------------------------------------------------------ errors vs Lua

BROKEN = [
    # parser
    "x = = 1", "x y", "return 1 2", "do", "do\n\n", "x = (((1)", "for a b", "f(",
    "x = 1 .. ", "local function 1", "local x <const", "local x <foo> = 1",
    "local a <close>, b <close> = 1", "local x <const>= 1", "goto 1", "::a", "a.b:c = 1",
    "f() = 1", "x, f() = 1", "(f)() = 1", "a, b", "a, b =", "a:b", "a:b.c()",
    "local function f() return 1 end end", "if x then else elseif", "{x=1 y=2}",
    "a = {[1] 2}", "return return", "x = function", "x = 1 + + 2", "x ==", "@",
    "for i=1 do", "for i=1,2,3,4 do end", "repeat x = 1", "while 1 do\nx=1\n",
    "function f() return ... end", "function f(...) return function() return ... end end",
    "f(a b)", "f(a,)", "t = {a b}", "if x y", "function f() return 1 2 end",
    "function f(a, 1) end", "function f(a, ...,) end", "function a.1() end",
    "function a:b.c() end", "x = a.1", "a.b = 1 x", "local 1", "x = }",
    "for k, v in pairs(t) end", "for k, 1 in x do end", "while true end",
    "if a then b() end end", "repeat until", "goto", "break 1", "local t = {1, 2, 3",
    "f{a=1", "f(\n1\n", "x = (1\n+2", "local function f()\nreturn\n", "x = 1 @ 2",
    "x = not", "x = #", "x = 1 // // 2", "::a:: ::b", "return;;", "return 1;;",
    "x = y z w", "f() g() h", "if x then\n\nelse\n\n", "function f()\n\nlocal x = 1\n",
    "x.y.z", "x[1]", "(x)", "x = ...\nfunction g() return ... end",
    "local t = {...}\nlocal function f() return {...} end",
    "#!shebang", "\x01", "\xe9 = 1", "x = 1\n\n\n\xff",
    # lexer
    '"abc', '"abc\n', '"a\\qb"', "[==[ x", "--[[ x", "x = [=", "[=", "x = 3x",
    "x = 0x", "x = 1e", "x = .0x10", "x = 3..2", "x = 1e+", "x = 0x1p", "x = 08.5e3x",
    '"\\300"', '"\\400', '"\\u{80000000}"', '"\\xZZ"', '"\\x5"', '"\\u{}"', '"\\u12"',
    '"\\u{12"', '"\\z  \n  x', '"\\', "x = [[\n\nabc", "--[==[\n\n\nx]=]",
    "x = '\\u{7FFFFFFF}' y", 'x = "\\300" .. 1 + +', 'x = = "\\q', "x = 'a\r'",
    "x = 1 + 'esc\\\r\n", "x = 'tab\there' 'next'", "y = [[\r\n\r\n]] z",
    # Lua shows token texts as C strings: a NUL ends them; a NUL token shows no text
    "\0", 'x = "a\0b" = y', 'x = "a\0b\\q"', 'x = "a\0b', "x = [[a\0b]] = y",
    # a syntax error before a lexical one wins, and the other way round
    "x = = 3x", "x = 3x = =", "f(1 2 '\\q')", "f('\\q' 1 2)",
]


@pytest.mark.parametrize("src", BROKEN)
def test_error_message_matches_lua(src):
    expected = lua_error(src)
    assert expected is not None
    assert our_error(src) == expected


def test_error_chunk_names():
    with pytest.raises(LuaSyntaxError) as e:
        parse("x = = 1", "x = = 1")
    assert str(e.value) == "[string \"x = = 1\"]:1: unexpected symbol near '='"
    with pytest.raises(LuaSyntaxError) as e:
        parse("\n\nx y", "@t.lua")
    assert str(e.value) == "t.lua:3: syntax error near 'y'"


def test_error_message_matches_luac():
    src = "local x = 1\nfunction f()\n  if x then\n    return\n  end\n"
    out = subprocess.run(["luac5.4", "-p", "-"], input=src.encode(), capture_output=True)
    expected = out.stderr.decode().strip().removeprefix("luac5.4: ").replace("stdin:", "")
    got = our_error(src).removeprefix("src:")
    assert got == expected == "6: 'end' expected (to close 'function' at line 2) near <eof>"


NESTING = {
    "parens": lambda n: "x = " + "(" * n + "1" + ")" * n,
    "tables": lambda n: "x = " + "{" * n + "}" * n,
    "calls": lambda n: "x = " + "f(" * n + ")" * n,
    "indexes": lambda n: "x = a" + "[a" * n + "]" * n,
    "concat": lambda n: "x = a" + " .. a" * n,
    "power": lambda n: "x = a" + " ^ a" * n,
    "unary": lambda n: "x = " + "- " * n + "1",
    "blocks": lambda n: "do " * n + "end " * n,
    "ifs": lambda n: "if x then " * n + "end " * n,
    "functions": lambda n: "f = function() " * n + "end " * n,
    "labels": lambda n: "".join(f"::l{i}:: " for i in range(n)),
    "targets": lambda n: ",".join(f"a{i}" for i in range(n)) + " = 1",
    "repeats": lambda n: "repeat " * n + "until x " * n,
    "elseifs": lambda n: "if x then elseif y then " * n + "end " * n,
    "elseif condition": lambda n: "if x then elseif a" + " .. a" * n + " then end",
    "until condition": lambda n: "repeat until a" + " .. a" * n,
}


@pytest.mark.parametrize("kind", NESTING)
def test_nesting_limit_matches_lua(kind):
    make = NESTING[kind]
    # find Lua's exact limit for this construct, then check both sides of it
    limit = next(n for n in range(50, 400) if lua_error(make(n)) is not None)
    assert lua_error(make(limit)) == "C stack overflow"
    assert our_error(make(limit)) == "C stack overflow"
    assert our_error(make(limit - 1)) is None
    assert our_error(make(1000)) == "C stack overflow"


def test_nesting_limit_counts_active_c_calls():
    src = NESTING["parens"](196)
    assert our_error(src) is None
    assert our_error(src, c_calls=2) == "C stack overflow"


def test_deep_valid_nesting_builds_an_ast():
    e = expr("(" * 150 + "1" + ")" * 150)
    depth = 0
    while type(e) is ast.Paren:
        e, depth = e.expr, depth + 1
    assert depth == 150 and e.value == 1


def render(e) -> str:
    """Lua source for an expression with every operation parenthesised."""
    t = type(e)
    if t is ast.BinOp:
        return f"({render(e.left)} {e.op} {render(e.right)})"
    if t is ast.UnOp:
        return f"({e.op} {render(e.operand)})"
    if t is ast.Paren:
        return f"({render(e.expr)})"
    if t is ast.Number:
        return repr(e.value)
    if t is ast.String:
        return repr(e.value)
    if t is ast.TrueExpr:
        return "true"
    if t is ast.FalseExpr:
        return "false"
    raise AssertionError(t)


def test_random_expressions_evaluate_like_lua():
    """Lua evaluates each random expression and our parse of it, parenthesised by
    our AST, to the same value: precedence and associativity agree everywhere."""
    import random
    rng = random.Random(54)
    binops = ["or", "and", "<", "<=", "==", "~=", "|", "~", "&", "<<", ">>", "..",
              "+", "-", "*", "//", "%", "^"]
    unops = ["- ", "not ", "~", "#"]

    def gen(depth: int) -> str:
        if depth == 0 or rng.random() < 0.2:
            return rng.choice(["1", "2", "3", "7", "true", "false", "(5)", "'ab'"])
        if rng.random() < 0.2:
            return rng.choice(unops) + gen(depth - 1)
        return f"{gen(depth - 1)} {rng.choice(binops)} {gen(depth - 1)}"

    evaluate = _lua.eval("function(s) local f = load('return ' .. s, '=e') "
                         "local ok, v = pcall(f) return tostring(ok) .. tostring(v) end")
    for _ in range(400):
        src = gen(4)
        ours = render(expr(src))
        assert evaluate(src.encode()) == evaluate(ours.encode()), src


BREAK_THEN_SYNTAX_ERROR = [
    # the function with the stray 'break' closes first: Lua reports the break
    "local co = coroutine.create(function(a)\n  if a == '' then break end\nend)\nprint((1)",
    "function f()\n break\nend\nx = = 1",
    "while true do local function g() break end end x = = 1",
    "function f() while 1 do (function() do break end end)() end end\n\n y(",
    # the break is in a loop, or in the main chunk (closed at the end): the syntax error
    "for i = 1, 2 do if i then break end end\nfunction h() repeat break until true end\nx = = 1",
    "break\nx = = 1",
]


@pytest.mark.parametrize("src", BREAK_THEN_SYNTAX_ERROR)
def test_a_stray_break_is_reported_when_its_function_closes(src):
    # found by pylua fuzz: the syntax error further on used to win
    assert our_error(src) == lua_error(src)
