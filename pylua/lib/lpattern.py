"""Lua pattern matching (lstrlib.c's matcher): find, match, gmatch and gsub.

A pattern is parsed once (and cached) into a list of *items*, each one of the
things ``match`` in lstrlib.c dispatches on: a single-character class with its
optional suffix, a run of plain literal characters, a capture open/close, ``$`` at
the end, ``%b``, ``%f``, a back-reference ``%1``-``%9``.  A malformed item becomes
an ``_ERROR`` item, raised only when the matcher reaches it, because C Lua reports
such errors lazily (``string.find("abc", "x[")`` is simply nil).

``_match`` is a port of C's ``match``: it loops where C tail-calls with ``goto``
and recurses where C recurses, spending the same depth (MAXCCALLS = 200 ->
"pattern too complex"); C's recursion for a capture opening or closing returns
the inner result unchanged, so it is flattened into the loop (depth still spent,
undone on failure).  The speed-ups do not change results or errors: runs of a
character class are measured with a compiled character set, and attempts at
positions where the rest of the pattern cannot start (its first character is not
acceptable, see ``Pattern``) are skipped, but only while C's attempt could not
have run out of depth.  No Lua pattern is translated into a Python regular
expression; ``re`` only scans for members of one character set.
"""
from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Any, Optional

from ..lauxlib import arg, check_string, opt_integer, to_boolean, type_error, type_name
from ..limits import reserve_join
from ..number import tostr
from ..objects import Builtin, LuaFunction, Upvalue, Userdata
from ..table import LuaTable
from .strlib import posrelat_start

MAXCAPTURES = 32
MAXCCALLS = 200
CAP_UNFINISHED = -1
CAP_POSITION = -2
SPECIALS = re.compile(r"[\^$*+?.(\[%\-]")

# The step-limit hook: every STEP_CHUNK calls of the matcher, ``L.charge_steps``
# (if the state has one) is called with STEP_CHUNK; it may raise to stop a
# runaway match.  Nothing else is limited here.
STEP_CHUNK = 4096
SCAN_SHIFT = 6          # a scan charges one step per 64 characters

# ------------------------------------------------------------ character classes

ALL = frozenset(map(chr, range(256)))


def _chars(pred) -> frozenset:
    return frozenset(chr(c) for c in range(256) if pred(c))


_UPPER = _chars(lambda c: 65 <= c <= 90)
_LOWER = _chars(lambda c: 97 <= c <= 122)
_DIGIT = _chars(lambda c: 48 <= c <= 57)
_ALPHA = _UPPER | _LOWER
_ALNUM = _ALPHA | _DIGIT
_GRAPH = _chars(lambda c: 33 <= c <= 126)
# C-locale <ctype.h> classes, keyed by the lower-case class letter
CLASSES = {
    "a": _ALPHA, "c": _chars(lambda c: c < 32 or c == 127), "d": _DIGIT,
    "g": _GRAPH, "l": _LOWER, "p": _GRAPH - _ALNUM,
    "s": _chars(lambda c: 9 <= c <= 13 or c == 32), "u": _UPPER, "w": _ALNUM,
    "x": _DIGIT | frozenset("abcdefABCDEF"), "z": frozenset("\0"),
}


def class_set(cl: str) -> frozenset:
    """``match_class``: the characters matched by ``%cl``."""
    base = CLASSES.get(cl.lower() if "A" <= cl <= "Z" else cl)
    if base is None:
        return frozenset(cl)
    return base if "a" <= cl <= "z" else ALL - base


def bracket_set(pat: str, p: int, ec: int) -> frozenset:
    """``matchbracketclass``: the set ``pat[p:ec+1]`` (``[`` at p, ``]`` at ec)."""
    negate = pat[p + 1] == "^"
    if negate:
        p += 1
    members: set = set()
    p += 1
    while p < ec:
        c = pat[p]
        if c == "%":
            p += 1
            members |= class_set(pat[p])
        elif pat[p + 1] == "-" and p + 2 < ec:
            members.update(map(chr, range(ord(c), ord(pat[p + 2]) + 1)))
            p += 2
        else:
            members.add(c)
        p += 1
    return ALL - members if negate else frozenset(members)


def _set_regex(cs: frozenset, suffix: str) -> Any:
    """A compiled regex character set for ``cs`` (used only to scan long runs and to
    search far for the first character a pattern can start with)."""
    if not cs:
        return re.compile("(?!)")
    codes = sorted(map(ord, cs))
    parts = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        parts.append("\\x%02x" % codes[i] if i == j else "\\x%02x-\\x%02x" % (codes[i], codes[j]))
        i = j + 1
    return re.compile("[" + "".join(parts) + "]" + suffix)


def _set_table(cs: frozenset) -> bytes:
    """``cs`` as 256 flags, one per character code (membership by indexing)."""
    return bytes(chr(c) in cs for c in range(256))


# Runs and searches look at up to SCAN_LIMIT characters one by one (a few machine
# instructions each once compiled) before a regex, whose every call costs as much
# as a long scan, takes over.
SCAN_LIMIT = 16


def _span(table: bytes, run: Any, src: str, s: int) -> int:
    """The end of the run of characters of ``table`` from s (``run``: its regex)."""
    tab = table
    slen = len(src)
    end = s + SCAN_LIMIT if s + SCAN_LIMIT < slen else slen
    while s < end and tab[ord(src[s])]:
        s += 1
    if s < end or s == slen:
        return s
    return run(src, s).end()


def _seek(table: bytes, search: Any, src: str, pos: int) -> int:
    """The first position >= pos of a character of ``table`` (``search``: its
    regex), or -1."""
    tab = table
    slen = len(src)
    end = pos + SCAN_LIMIT if pos + SCAN_LIMIT < slen else slen
    while pos < end:
        if tab[ord(src[pos])]:
            return pos
        pos += 1
    if pos == slen:
        return -1
    m = search(src, pos)
    return m.start() if m else -1


# ------------------------------------------------------------ pattern compilation

_CHAR, _LIT, _OPEN, _CLOSE, _END, _BALANCE, _FRONTIER, _BACKREF, _ERROR = range(9)


class _Malformed(Exception):
    pass


def _classend(pat: str, p: int, plen: int) -> int:
    """``classend``: index just after the single-char class starting at p."""
    c = pat[p]
    p += 1
    if c == "%":
        if p == plen:
            raise _Malformed("malformed pattern (ends with '%')")
        return p + 1
    if c == "[":
        if pat[p] == "^":
            p += 1
        while True:
            if p == plen:
                raise _Malformed("malformed pattern (missing ']')")
            c = pat[p]
            p += 1
            if c == "%" and p < plen:
                p += 1
            if pat[p] == "]":
                return p + 1
    return p


def _single_set(pat: str, p: int, ep: int) -> frozenset:
    c = pat[p]
    if c == ".":
        return ALL
    if c == "%":
        return class_set(pat[p + 1])
    if c == "[":
        return bracket_set(pat, p, ep - 1)
    return frozenset(c)


class Pattern:
    """A parsed pattern and what the matcher may assume about each item i:
    ``first[i]``, the set of characters any match of items[i:] must start with (or
    None), found ``hops[i]`` capture openings/closings ahead; C would make that many
    extra nested ``match`` calls before failing on a character outside the set, so
    a caller may skip the attempt only while more depth than that is left."""

    __slots__ = ("items", "first", "hops", "run_only_end", "lead_literal", "lead_search",
                 "lead_table", "skip_run")

    def __init__(self, pat: str) -> None:
        self.items = items = _parse(pat)
        n = len(items)
        self.first: list = [None] * (n + 1)
        self.hops = [0] * (n + 1)
        target = list(range(n + 1))
        passable = _passable_captures(items)
        for i in range(n - 1, -1, -1):
            if passable[i]:
                self.first[i] = self.first[i + 1]
                self.hops[i] = self.hops[i + 1] + 1
                target[i] = target[i + 1]
            else:
                self.first[i] = _first_set(items[i])
        # a run of item i can only be followed at its very end when no character
        # of the run could start the rest of the pattern
        self.run_only_end = [it[0] == _CHAR and self.first[i + 1] is not None
                             and it[1].isdisjoint(self.first[i + 1])
                             for i, it in enumerate(items)]
        # where the scan for a match may jump: a literal, or a character of a set
        self.lead_literal: Optional[str] = None
        self.lead_search = None
        self.lead_table = None
        if self.hops[0] < MAXCCALLS and self.first[0] is not None:
            lead = items[target[0]]
            if lead[0] == _LIT:
                self.lead_literal = lead[1]
            elif len(self.first[0]) < 256:
                self.lead_search = _set_regex(self.first[0], "").search
                self.lead_table = _set_table(self.first[0])
        # A leading run item (X+ or X*) that can only be followed at the end of its
        # run tries the rest of the pattern at that same place from any start inside
        # the run; so when an attempt fails, every later start inside the run fails
        # alike (unless a back-reference makes the rest depend on the start).
        # ``skip_run`` is that item.
        lead = items[target[0]] if target[0] < n else None
        self.skip_run = None
        if (lead is not None and lead[0] == _CHAR and lead[2] in "+*" and lead[3] is not None
                and self.run_only_end[target[0]] and self.hops[0] < MAXCCALLS
                and all(it[0] != _BACKREF for it in items)):
            self.skip_run = lead


def _passable_captures(items: list) -> list:
    """For each item: is it a capture opening/closing that cannot raise an error?
    (Captures open and close in pattern order, so their levels are static.)"""
    opened = unfinished = 0
    passable = []
    for it in items:
        kind = it[0]
        if kind == _OPEN:
            passable.append(opened < MAXCAPTURES)
            opened += 1
            unfinished += it[1] == CAP_UNFINISHED
        elif kind == _CLOSE:
            passable.append(unfinished > 0)
            unfinished -= 1
        else:
            passable.append(False)
    return passable


def _first_set(it: tuple) -> Optional[frozenset]:
    kind = it[0]
    if kind == _LIT:
        return frozenset(it[1][0])
    if kind == _CHAR and (it[2] == "" or it[2] == "+"):
        return it[1]
    return None


def _parse(pat: str) -> list:
    plen = len(pat)
    pat += "\0"  # C strings end with '\0': lookahead past the end reads it
    items: list = []
    p = 0
    try:
        while p < plen:
            c = pat[p]
            if c == "(":
                if pat[p + 1] == ")":
                    items.append((_OPEN, CAP_POSITION))
                    p += 2
                else:
                    items.append((_OPEN, CAP_UNFINISHED))
                    p += 1
                continue
            if c == ")":
                items.append((_CLOSE,))
                p += 1
                continue
            if c == "$" and p + 1 == plen:
                items.append((_END,))
                p += 1
                continue
            if c == "%":
                nxt = pat[p + 1]
                if nxt == "b":
                    if p + 2 >= plen - 1:
                        raise _Malformed("malformed pattern (missing arguments to '%b')")
                    items.append((_BALANCE, pat[p + 2], pat[p + 3]))
                    p += 4
                    continue
                if nxt == "f":
                    p += 2
                    if pat[p] != "[":
                        raise _Malformed("missing '[' after '%f' in pattern")
                    ep = _classend(pat, p, plen)
                    items.append((_FRONTIER, bracket_set(pat, p, ep - 1)))
                    p = ep
                    continue
                if "0" <= nxt <= "9":
                    items.append((_BACKREF, ord(nxt) - ord("1")))
                    p += 2
                    continue
            ep = _classend(pat, p, plen)
            cs = _single_set(pat, p, ep)
            q = pat[ep]
            if q in "*+-?" and ep < plen:
                # the run scanner; None for '.', whose run is the rest of the subject
                run = _set_regex(cs, "*").match if len(cs) < 256 else None
                items.append((_CHAR, cs, q, run, _set_table(cs)))
                p = ep + 1
            elif len(cs) == 1:
                lit = next(iter(cs))
                if items and items[-1][0] == _LIT:
                    items[-1] = (_LIT, items[-1][1] + lit)
                else:
                    items.append((_LIT, lit))
                p = ep
            else:
                items.append((_CHAR, cs, "", None, _set_table(cs)))
                p = ep
    except _Malformed as e:
        items.append((_ERROR, str(e)))
    return items


_cache: dict = {}


def compile_pattern(pat: str) -> Pattern:
    cp = _cache.get(pat)
    if cp is None:
        if len(_cache) >= 512:
            _cache.clear()
        cp = _cache[pat] = Pattern(pat)
    return cp


# ------------------------------------------------------------ the matcher

class MatchState:
    __slots__ = ("L", "src", "slen", "pattern", "items", "nitems", "first", "hops",
                 "depth", "level", "cap_init", "cap_len", "steps")

    def error(self, msg: str) -> Exception:
        return self.L.error(msg)

    def too_complex(self) -> Exception:
        """C's check ``matchdepth-- == 0`` leaves -1 behind (no limit any more for
        a gmatch iterator called again after the error); so does this."""
        self.depth = -1
        return self.error("pattern too complex")

    def charge(self) -> None:
        """The step-limit hook (see STEP_CHUNK): charge the steps spent since the last
        time (a chunk, or more after a long scan)."""
        spent = STEP_CHUNK - self.steps
        self.steps = STEP_CHUNK
        charge = getattr(self.L, "charge_steps", None)
        if charge is not None:
            charge(spent)

    def scanned(self, n: int) -> None:
        """A scan of ``n`` characters (at C speed): a step per SCAN_STEP of them."""
        self.steps -= (n >> SCAN_SHIFT) + 1
        if self.steps < 0:
            self.charge()

    def follow(self, i: int) -> Optional[frozenset]:
        """Before C would call ``match`` for items[i:]: raise if no depth is left,
        else return the set a match of items[i:] must start with (None: unknown)."""
        if self.depth == 0:
            raise self.too_complex()
        nxt = self.first[i]
        if nxt is not None and self.depth <= self.hops[i]:
            return None
        return nxt


def new_match_state(L: Any, src: str, cp: Pattern) -> MatchState:
    """A MatchState for matching ``cp`` against ``src`` (made without __init__'s
    argument parsing: one is made per call of find, match, gmatch and gsub)."""
    ms = MatchState.__new__(MatchState)
    ms.L = L
    ms.src = src
    ms.slen = len(src)
    ms.pattern = cp
    ms.items = cp.items
    ms.nitems = len(cp.items)
    ms.first = cp.first
    ms.hops = cp.hops
    ms.depth = MAXCCALLS
    ms.level = 0
    ms.cap_init = [0] * MAXCAPTURES
    ms.cap_len = [0] * MAXCAPTURES
    ms.steps = STEP_CHUNK
    return ms


def _match(ms: MatchState, s: int, i: int) -> int:
    """``match``: the end of a match of items[i:] at src[s:], or -1."""
    if ms.depth == 0:
        raise ms.too_complex()
    ms.depth -= 1
    ms.steps -= 1
    if ms.steps < 0:
        ms.charge()
    src = ms.src
    slen = ms.slen
    items = ms.items
    n = ms.nitems
    nested = opened = 0
    closed: Optional[list] = None
    while i < n:
        it = items[i]
        kind = it[0]
        if kind == _LIT:
            lit = it[1]
            if src.startswith(lit, s):
                s += len(lit)
                i += 1
                continue
            s = -1
            break
        if kind == _CHAR:
            q = it[2]
            tab = it[4]
            if s >= slen or not tab[ord(src[s])]:
                if q == "*" or q == "?" or q == "-":
                    i += 1
                    continue
                s = -1
                break
            if q == "":
                s += 1
                i += 1
                continue
            if q == "?":
                nxt = ms.follow(i + 1)
                if nxt is None or (s + 1 < slen and src[s + 1] in nxt):
                    r = _match(ms, s + 1, i + 1)
                    if r != -1:
                        s = r
                        break
                i += 1
                continue
            if q == "-":
                s = _min_expand(ms, s, i)
            elif i + 1 == n and ms.depth:
                # the longest run ends the match (C's first try in max_expand)
                s = slen if it[3] is None else _span(it[4], it[3], src, s)
            else:
                s = _max_expand(ms, s, i, s + 1 if q == "+" else s)
            break
        if kind == _OPEN or kind == _CLOSE:
            # C recurses here and returns the inner result unchanged, so the call
            # is flattened: depth is spent now, undone at the end on failure
            if kind == _OPEN:
                level = ms.level
                if level >= MAXCAPTURES:
                    raise ms.error("too many captures")
                ms.cap_init[level] = s
                ms.cap_len[level] = it[1]
                ms.level = level + 1
                opened += 1
            else:
                cap_len = ms.cap_len
                lv = ms.level - 1
                while lv >= 0 and cap_len[lv] != CAP_UNFINISHED:
                    lv -= 1
                if lv < 0:
                    raise ms.error("invalid pattern capture")
                cap_len[lv] = s - ms.cap_init[lv]
                if closed is None:
                    closed = [lv]
                else:
                    closed.append(lv)
            if ms.depth == 0:
                raise ms.too_complex()
            ms.depth -= 1
            nested += 1
            i += 1
            continue
        if kind == _END:
            if s != slen:
                s = -1
            break
        if kind == _BALANCE:
            s = _match_balance(src, s, it[1], it[2])
            if s == -1:
                break
            i += 1
            continue
        if kind == _FRONTIER:
            cs = it[1]
            prev = src[s - 1] if s > 0 else "\0"
            cur = src[s] if s < slen else "\0"
            if prev not in cs and cur in cs:
                i += 1
                continue
            s = -1
            break
        if kind == _BACKREF:
            s = _match_capture(ms, s, it[1])
            if s == -1:
                break
            i += 1
            continue
        raise ms.error(it[1])  # _ERROR
    ms.depth += 1 + nested
    if s == -1 and nested:
        ms.level -= opened
        if closed is not None:
            for lv in closed:
                ms.cap_len[lv] = CAP_UNFINISHED
    return s


def _max_expand(ms: MatchState, s: int, i: int, lo: int) -> int:
    """``max_expand``: longest run of item i from s, then back off towards lo."""
    it = ms.items[i]
    e = ms.slen if it[3] is None else _span(it[4], it[3], ms.src, s)
    ms.scanned(e - s)
    nxt = ms.follow(i + 1)
    if i + 1 == ms.nitems:
        return e
    if nxt is None:
        if ms.items[i + 1][0] == _END:
            return e if e == ms.slen else -1
        while e >= lo:
            r = _match(ms, e, i + 1)
            if r != -1:
                return r
            e -= 1
        return -1
    src = ms.src
    if ms.pattern.run_only_end[i]:
        return _match(ms, e, i + 1) if e < ms.slen and src[e] in nxt else -1
    if e == ms.slen:
        e -= 1
    while e >= lo:
        if src[e] in nxt:
            r = _match(ms, e, i + 1)
            if r != -1:
                return r
        else:
            ms.steps -= 1
            if ms.steps < 0:
                ms.charge()
        e -= 1
    return -1


def _min_expand(ms: MatchState, s: int, i: int) -> int:
    """``min_expand``: shortest run of item i from s that lets the rest match."""
    nxt = ms.follow(i + 1)
    if i + 1 == ms.nitems:
        return s
    cs = ms.items[i][1]
    src = ms.src
    slen = ms.slen
    if nxt is not None and len(cs) == 256 and len(nxt) == 1:
        # '.-' followed by a literal: jump between occurrences of that literal
        ch = next(iter(nxt))
        while True:
            e = src.find(ch, s)
            ms.scanned((slen if e < 0 else e) - s)
            s = e
            if s < 0:
                return -1
            r = _match(ms, s, i + 1)
            if r != -1:
                return r
            s += 1
    while True:
        if nxt is None or (s < slen and src[s] in nxt):
            r = _match(ms, s, i + 1)
            if r != -1:
                return r
        else:
            ms.steps -= 1
            if ms.steps < 0:
                ms.charge()
        if s < slen and src[s] in cs:
            s += 1
        else:
            return -1


def _match_balance(src: str, s: int, b: str, e: str) -> int:
    if s >= len(src) or src[s] != b:
        return -1
    cont = 1
    for k in range(s + 1, len(src)):
        c = src[k]
        if c == e:
            cont -= 1
            if cont == 0:
                return k + 1
        elif c == b:
            cont += 1
    return -1


def _match_capture(ms: MatchState, s: int, lv: int) -> int:
    if lv < 0 or lv >= ms.level or ms.cap_len[lv] == CAP_UNFINISHED:
        raise ms.error("invalid capture index %%%d" % (lv + 1))
    ln = ms.cap_len[lv]
    if ln == CAP_POSITION:
        return -1
    init = ms.cap_init[lv]
    src = ms.src
    if ms.slen - s >= ln and src[init:init + ln] == src[s:s + ln]:
        return s + ln
    return -1


# ------------------------------------------------------------ captures

def get_onecapture(ms: MatchState, i: int, s: int, e: int) -> Any:
    """Capture i (a string or a position), or the whole match s..e if there are none."""
    if i >= ms.level:
        if i != 0:
            raise ms.error("invalid capture index %%%d" % (i + 1))
        return ms.src[s:e]
    ln = ms.cap_len[i]
    init = ms.cap_init[i]
    if ln == CAP_UNFINISHED:
        raise ms.error("unfinished capture")
    if ln == CAP_POSITION:
        return init + 1
    return ms.src[init:init + ln]


def push_captures(ms: MatchState, s: int, e: int, whole: bool) -> list:
    """All captures; with none, the whole match s..e if ``whole`` (match, gmatch,
    gsub) or nothing (find)."""
    if ms.level == 0:
        return [ms.src[s:e]] if whole else []
    return [get_onecapture(ms, i, s, e) for i in range(ms.level)]


def _candidates(cp: Pattern, src: str, pos: int) -> int:
    """The first position >= pos where a match could begin, or -1 if none can."""
    if cp.lead_literal is not None:
        return src.find(cp.lead_literal, pos)
    return _seek(cp.lead_table, cp.lead_search, src, pos)


def _first_match(ms: MatchState, pos: int, anchor: bool, lastmatch: int) -> Optional[tuple]:
    """Try start positions from pos to the end of the subject (only pos when
    anchored); return (start, end) of the first match not ending at lastmatch."""
    cp = ms.pattern
    fast = not anchor and (cp.lead_literal is not None or cp.lead_search is not None)
    src = ms.src
    while pos <= ms.slen:
        if fast:
            nxt = _candidates(cp, src, pos)
            ms.scanned((ms.slen if nxt < 0 else nxt) - pos)
            pos = nxt
            if pos < 0:
                return None
        ms.level = 0
        e = _match(ms, pos, 0)
        if e != -1 and e != lastmatch:
            return pos, e
        if anchor:
            return None
        pos = _next_start(cp, src, pos)
    return None


def _next_start(cp: Pattern, src: str, pos: int) -> int:
    """Where to try after a failed attempt at pos (see ``Pattern.skip_run``)."""
    if cp.skip_run is None:
        return pos + 1
    lead = cp.skip_run
    return max(pos + 1, _span(lead[4], lead[3], src, pos))


# ------------------------------------------------------------ library functions

def _find_aux(L: Any, args: tuple, find: bool) -> tuple:
    s = check_string(args, 1)
    p = check_string(args, 2)
    ls = len(s)
    init = posrelat_start(opt_integer(args, 3, 1), ls) - 1
    if init > ls:
        return (None,)
    if find and (to_boolean(arg(args, 4)) or not SPECIALS.search(p)):
        k = s.find(p, init)
        return (k + 1, k + len(p)) if k >= 0 else (None,)
    anchor = p[:1] == "^"
    ms = new_match_state(L, s, compile_pattern(p[1:] if anchor else p))
    found = _first_match(ms, init, anchor, -1)
    if found is None:
        return (None,)
    s1, e = found
    if find:
        return (s1 + 1, e, *push_captures(ms, s1, e, False))
    return tuple(push_captures(ms, s1, e, True))


def str_find(L: Any, *args: Any) -> tuple:
    return _find_aux(L, args, True)


def str_match(L: Any, *args: Any) -> tuple:
    return _find_aux(L, args, False)


def str_gmatch(L: Any, *args: Any) -> tuple:
    s = check_string(args, 1)
    p = check_string(args, 2)
    ls = len(s)
    init = posrelat_start(opt_integer(args, 3, 1), ls) - 1
    if init > ls:
        init = ls + 1
    ms = new_match_state(L, s, compile_pattern(p))  # kept across calls, as in C
    state = [init, -1]  # current position, end of last match

    def gmatch_aux(L: Any, *_: Any) -> tuple:
        ms.L = L
        found = _first_match(ms, state[0], False, state[1])
        if found is None:
            state[0] = ls + 1
            return ()
        state[0] = state[1] = found[1]
        return tuple(push_captures(ms, found[0], found[1], True))

    # A C closure over the subject, the pattern and the match state (lstrlib.c).
    upvals = (Upvalue([s], 0), Upvalue([p], 0), Upvalue([Userdata(ms)], 0))
    return (Builtin(gmatch_aux, "?", upvals),)


def _compile_replacement(repl: str) -> list:
    """``add_s``'s reading of a replacement string: literal text, capture numbers
    (0 = whole match) and, where '%' is misused, an error marker None."""
    parts: list = []
    i = 0
    while True:
        j = repl.find("%", i)
        if j < 0:
            break
        if j > i:
            parts.append(repl[i:j])
        c = repl[j + 1:j + 2]
        if c == "%":
            parts.append("%")
        elif "0" <= c <= "9" and c != "":
            parts.append(ord(c) - ord("0"))
        else:
            parts.append(None)
        i = j + 2
    if i < len(repl):
        parts.append(repl[i:])
    return parts


def _add_s(ms: MatchState, out: list, parts: list, s: int, e: int) -> None:
    for part in parts:
        if type(part) is str:
            out.append(part)
        elif part == 0:
            out.append(ms.src[s:e])
        elif part is None:
            raise ms.error("invalid use of '%' in replacement string")
        else:
            cap = get_onecapture(ms, part - 1, s, e)
            out.append(cap if type(cap) is str else str(cap))


def _add_value(ms: MatchState, out: list, s: int, e: int, repl: Any) -> bool:
    """Append the replacement of the match s..e for a table or function ``repl``;
    return whether the subject changed (nil/false keep the original text)."""
    L = ms.L
    if type(repl) is LuaTable:
        v = L.index(repl, get_onecapture(ms, 0, s, e))
    else:
        if ms.level <= 1:   # a single value: no list of captures
            res = L.call(repl, get_onecapture(ms, 0, s, e))
        else:
            res = L.call(repl, *push_captures(ms, s, e, True))
        v = res[0] if res else None
    if v is None or v is False:
        out.append(ms.src[s:e])
        return False
    tv = type(v)
    if tv is str:
        out.append(v)
    elif tv is int or tv is float:
        out.append(tostr(v))
    else:
        raise L.error("invalid replacement value (a %s)" % type_name(v))
    return True


def str_gsub(L: Any, *args: Any) -> tuple:
    return _gsub(L, args)


def _gsub(L: Any, args: tuple) -> tuple:
    src = check_string(args, 1)
    p = check_string(args, 2)
    repl = arg(args, 3)
    tr = type(repl)
    srcl = len(src)
    max_s = opt_integer(args, 4, srcl + 1)
    if tr is int or tr is float:
        repl = tostr(repl)
    elif not (tr is str or tr is LuaTable or tr is LuaFunction or tr is Builtin):
        raise type_error(3, "string/function/table", args)
    parts = _compile_replacement(repl) if type(repl) is str else None
    anchor = p[:1] == "^"
    cp = compile_pattern(p[1:] if anchor else p)
    fast = not anchor and (cp.lead_literal is not None or cp.lead_search is not None)
    ms = new_match_state(L, src, cp)
    out: list = []
    pos = 0
    lastmatch = -1
    n = 0
    changed = False
    while n < max_s:
        if fast:
            nxt = _candidates(cp, src, pos)
            if nxt < 0:
                break
            if nxt > pos:
                out.append(src[pos:nxt])
                pos = nxt
        ms.level = 0
        e = _match(ms, pos, 0)
        if e != -1 and e != lastmatch:
            n += 1
            if parts is not None:
                _add_s(ms, out, parts, pos, e)
                changed = True
            else:
                changed = _add_value(ms, out, pos, e, repl) or changed
            pos = lastmatch = e
        elif pos < srcl:
            nxt = _next_start(cp, src, pos)
            out.append(src[pos:nxt])
            pos = nxt
        else:
            break
        if anchor:
            break
    if not changed:
        return (src, n)
    out.append(src[pos:])
    reserve_join(L, out)        # before: it may not fit
    return ("".join(out), n)

