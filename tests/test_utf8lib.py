"""The utf8 library against lupa's Lua 5.4.8 (strict and lax decoding, positions,
error messages), plus a sweep of every byte sequence shape."""
import itertools
import random

import pytest

from fakelua import LUA, FakeState, Tab, canon, invoke, run_lua, run_ours, snippet_lua, snippet_ours
from pylua.lib import utf8lib

UTF8 = utf8lib.open(FakeState())
MAXI, MINI = 2**63 - 1, -2**63

# byte strings (as str of bytes): valid text, overlong forms, surrogates, 5/6-byte forms,
# stray continuation bytes, truncated sequences
SAMPLES = [
    "", "abc", "h\xc3\xa9llo", "\xe2\x82\xac", "\xf0\x9f\x98\x80x", "\xc0\x80", "\xc1\xbf",
    "\xe0\x80\x80", "\xed\xa0\x80", "\xed\xbf\xbf", "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80",
    "\xfc\x84\x80\x80\x80\x80", "\xfd\xbf\xbf\xbf\xbf\xbf", "\xfe\x80", "\xff", "\x80abc", "a\x80b",
    "\xc3", "a\xe2\x82", "\xf0\x9f\x98", "\xc3\xa9\xc3", "\x00\xc3\xa9\x00", "\xef\xbf\xbf",
    "\xf4\x8f\xbf\xbf", "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", "\xc2\x80\xdf\xbf",
]


def same(fname, *args):
    lua = run_lua(fname, args)
    ours = run_ours(UTF8, fname, args)
    assert ours == lua, (fname, args)
    return ours


@pytest.mark.parametrize("s", SAMPLES, ids=range(len(SAMPLES)))
def test_len(s):
    for extra in [(), (1,), (2,), (-1,), (-2, -1), (1, -1, True), (2, 3, True), (1, 3, False),
                  (0,), (len(s) + 1,), (len(s) + 2,), (1, len(s) + 1), (MINI,), (1, MINI)]:
        same("utf8.len", s, *extra)


@pytest.mark.parametrize("s", SAMPLES, ids=range(len(SAMPLES)))
def test_codepoint(s):
    for extra in [(), (1, -1), (1, -1, True), (2,), (2, 4), (-1,), (0,), (1, len(s) + 1),
                  (3, 2), (len(s) + 1,), (-100, 1), (2, 3, True), (MINI, MINI), (None, None, 1)]:
        same("utf8.codepoint", s, *extra)


@pytest.mark.parametrize("s", SAMPLES, ids=range(len(SAMPLES)))
def test_offset(s):
    for n in [0, 1, 2, 3, -1, -2, -3, 10, -10, MAXI, MINI]:
        for i in [None, 1, 2, 3, -1, -2, 0, len(s) + 1, len(s) + 2]:
            same("utf8.offset", s, n, i) if i is not None else same("utf8.offset", s, n)


CHAR_CASES = [(), (65,), (0,), (0x7F, 0x80, 0x7FF, 0x800), (0xFFFF, 0x10000, 0x10FFFF, 0x110000),
              (0xD800, 0xDFFF), (0x1FFFFF, 0x200000, 0x3FFFFFF, 0x4000000, 0x7FFFFFFF),
              (0x80000000,), (-1,), (MAXI,), (65, "66", 67.0), (1.5,), ("x",), (None,), (65, None),
              (Tab(),), (233, 8364, 128512)]


@pytest.mark.parametrize("args", CHAR_CASES, ids=range(len(CHAR_CASES)))
def test_char(args):
    same("utf8.char", *args)


def test_argument_errors():
    for fname in ["utf8.len", "utf8.codepoint", "utf8.offset", "utf8.codes", "utf8.char"]:
        for args in [(), (None,), (Tab(),), (123,), (1.5,), ("abc", "x"), ("abc", 1.5),
                     ("abc", 1, "y")]:
            same(fname, *args)


def test_charpattern():
    assert UTF8.get_str("charpattern") == LUA.eval("utf8.charpattern").decode("latin-1")


def _lua_codes(s, lax):
    fn = LUA.eval("""function(s, lax)
        local out = {}
        local ok, err = pcall(function()
            for p, c in utf8.codes(s, lax) do out[#out + 1] = p; out[#out + 1] = c end
        end)
        return out, ok, err
    end""")
    out, ok, err = fn(s.encode("latin-1"), lax)
    return [out[i] for i in range(1, len(out) + 1)], ok, err and err.decode("latin-1")


def _our_codes(s, lax):
    L = FakeState()
    out = []
    try:
        f, state, ctl = invoke(L, UTF8.get_str("codes"), (s, lax))
        while True:
            r = invoke(L, f, (state, ctl))
            if not r:
                break
            ctl = r[0]
            out += list(r)
        return out, True, None
    except Exception as e:
        return out, False, str(e)


@pytest.mark.parametrize("s", SAMPLES, ids=range(len(SAMPLES)))
def test_codes(s):
    for lax in (False, True):
        lua_out, lua_ok, lua_err = _lua_codes(s, lax)
        out, ok, err = _our_codes(s, lax)
        assert (out, ok) == (lua_out, lua_ok), (s, lax)
        if not ok:
            # called from a for loop, Lua names the function by its field name
            err = err.replace("'utf8.codes'", "'codes'")
            assert lua_err.endswith(": " + err), (err, lua_err)


def test_codes_iterator_with_odd_control_values():
    L = FakeState()
    f, s, _ = invoke(L, UTF8.get_str("codes"), ("h\xc3\xa9",))
    assert invoke(L, f, (s, -1)) == ()
    assert invoke(L, f, (s, "1")) == (2, 0xE9)
    assert invoke(L, f, (s, 2)) == ()
    assert invoke(L, f, (s, None)) == (1, 104)


def test_random_byte_strings_against_lua():
    rnd = random.Random(11)
    alphabet = ["a", "\x80", "\xbf", "\xc2", "\xdf", "\xe0", "\xed", "\xef", "\xf0", "\xf4", "\xf8",
                "\xfc", "\xfe", "\xc0", "\xa0", "\x90"]
    for _ in range(300):
        s = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 8)))
        lax = rnd.random() < 0.5
        same("utf8.len", s, 1, -1, lax)
        same("utf8.codepoint", s, 1, -1, lax)
        same("utf8.offset", s, rnd.randint(-4, 4), rnd.randint(1, len(s) + 1))


def test_decode_matches_lua_for_all_two_and_three_byte_shapes():
    starts = [0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xF8, 0xFC]
    conts = [0x80, 0x9F, 0xA0, 0xBF, 0x41]
    strings = ["".join(map(chr, (a, b, c))) for a, b, c in itertools.product(starts, conts, conts)]
    fn = LUA.eval("""function(list)
        local out = {}
        for i, s in ipairs(list) do
            local n, p = utf8.len(s, 1, -1, true)
            out[i] = n and ("n" .. n) or ("p" .. p)
        end
        return out
    end""")
    lua = fn(LUA.table_from([s.encode("latin-1") for s in strings]))
    L = FakeState()
    for i, s in enumerate(strings, 1):
        r = invoke(L, UTF8.get_str("len"), (s, 1, -1, True))
        assert ("n%d" % r[0] if r[0] is not None else "p%d" % r[1]) == lua[i].decode(), s


def test_encode_round_trips_through_decode():
    for code in [0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF, 0x1FFFFF, 0x200000,
                 0x3FFFFFF, 0x4000000, 0x7FFFFFFF]:
        s = utf8lib.utf8esc(code)
        assert utf8lib.decode(s, 0, strict=False) == (code, len(s))
        assert canon(invoke(FakeState(), UTF8.get_str("char"), (code,))[0]) == \
            LUA.eval("utf8.char(%d)" % code).decode("latin-1")


# ------------------------------------------------------------------ through the VM

SNIPPETS = [
    """print(utf8.char(72, 233, 8364, 128512), utf8.len("h\\xC3\\xA9llo"), utf8.len("\\xff"))
       for p, c in utf8.codes("h\\xC3\\xA9!") do io.write(p, ":", c, " ") end print()
       print(utf8.codepoint("h\\xC3\\xA9!", 1, -1))
       print(utf8.offset("h\\xC3\\xA9!", 3), utf8.offset("h\\xC3\\xA9!", -1), utf8.offset("abc", 5))
       print(#utf8.charpattern, utf8.len("\\u{7FFFFFFF}", 1, -1, true), utf8.len("\\u{D800}"))""",
    """print(pcall(function() return utf8.offset("h\\xC3\\xA9!", 1, 3) end))
       print(pcall(function() return utf8.codepoint("\\xff") end))
       print(pcall(function() for p, c in utf8.codes("ab\\xff") do io.write(c, " ") end end))
       print(pcall(function() for p, c in utf8.codes("\\x80") do end end))
       print(pcall(function() return utf8.char(-1) end))
       print(pcall(function() return utf8.len("abc", 5) end))
       print(pcall(function() return utf8.codepoint("abc", 0) end))""",
    """local n = 0
       for ch in string.gmatch("h\\xC3\\xA9llo \\xE2\\x82\\xAC", utf8.charpattern) do n = n + 1 end
       print(n)""",
]


@pytest.mark.parametrize("src", SNIPPETS, ids=range(len(SNIPPETS)))
def test_snippets_through_the_vm(src):
    assert snippet_ours(src) == snippet_lua(src)
