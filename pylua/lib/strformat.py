"""``string.format`` (lstrlib.c's ``str_format``) with C printf semantics as glibc
implements them.  Python's ``%`` operator equals C for finite floats (``e f g``
with every flag) and for strings; integers, ``%c``, ``%a``, ``%p``, infinities and
NaNs (``-nan`` keeps its sign) are formatted here."""
from __future__ import annotations

import math
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Any, Optional

from ..errors import ArgError
from ..lauxlib import check_integer, check_number, check_string
from ..limits import reserve_join
from ..number import MININTEGER

MAX_FORMAT = 32
LUAI_MAXSHORTLEN = 40
FLAGS_F = "-+#0 "  # a A e E f g G
FLAGS_X = "-#0"    # o x X
FLAGS_I = "-+0 "   # d i
FLAGS_U = "-0"     # u
FLAGS_C = "-"      # c p s
_SPAN = FLAGS_F + "123456789."
_MASK64 = 0xFFFFFFFFFFFFFFFF
_DIGITS = "0123456789"


class Spec:
    """A parsed conversion specification such as ``%-08.3f``; ``printf``: the same
    conversion as a Python ``%`` format where that equals C's (floats, finite ones;
    integers without precision or '#', unsigned ones masked to 64 bits), else None."""

    __slots__ = ("flags", "width", "prec", "conv", "printf")

    def __init__(self, form: str) -> None:
        i = 1
        while form[i] in FLAGS_F:
            i += 1
        self.flags = form[1:i]
        j = i
        while form[j] in _DIGITS:
            j += 1
        self.width = int(form[i:j]) if j > i else 0
        self.prec: Optional[int] = None
        if form[j] == ".":
            k = j + 1
            while form[k] in _DIGITS:
                k += 1
            self.prec = int(form[j + 1:k]) if k > j + 1 else 0
        self.conv = conv = form[-1]
        form = "%" + self.flags + (str(self.width) if self.width else "")
        if conv in "aAcps" or conv in "diuoxX" and (self.prec is not None or "#" in self.flags):
            self.printf = None
        elif self.prec is not None:
            self.printf = form + "." + str(self.prec) + conv
        else:
            self.printf = form + ("d" if conv == "u" else conv)

    def pad(self, body: str, prefix: str = "", zero_ok: bool = True) -> str:
        """Apply width: left-justify, zero-fill after the sign/prefix, or right-justify."""
        total = len(prefix) + len(body)
        if total >= self.width:
            return prefix + body
        fill = self.width - total
        if "-" in self.flags:
            return prefix + body + " " * fill
        if "0" in self.flags and zero_ok:
            return prefix + "0" * fill + body
        return " " * fill + prefix + body


def _sign(spec: Spec, negative: bool) -> str:
    if negative:
        return "-"
    if "+" in spec.flags:
        return "+"
    return " " if " " in spec.flags else ""


def format_int(spec: Spec, n: int) -> str:
    conv = spec.conv
    if spec.printf is not None:
        return spec.printf % (n if conv == "d" or conv == "i" else n & _MASK64)
    if conv in "di":
        prefix = _sign(spec, n < 0)
        v = -n if n < 0 else n
        digits = str(v)
    else:
        prefix = ""
        v = n & _MASK64
        digits = str(v) if conv == "u" else format(v, conv if conv != "X" else "X")
    if spec.prec is not None:
        digits = "" if spec.prec == 0 and v == 0 else digits.rjust(spec.prec, "0")
    if "#" in spec.flags:
        if conv == "o" and not digits.startswith("0"):
            digits = "0" + digits
        elif conv in "xX" and v != 0:
            prefix = "0" + conv
    return spec.pad(digits, prefix, spec.prec is None)


def _nonfinite(spec: Spec, x: float) -> str:
    text = "nan" if x != x else "inf"
    if spec.conv in "EGA":
        text = text.upper()
    return spec.pad(text, _sign(spec, math.copysign(1.0, x) < 0), False)


def format_float(spec: Spec, x: float) -> str:
    if x != x or x in (math.inf, -math.inf):
        return _nonfinite(spec, x)
    return spec.printf % x


def hex_float(x: float, prec: Optional[int] = None, alt: bool = False) -> str:
    """glibc's ``%a`` body (no sign): ``0x1.8p+1``; rounding is half-to-even."""
    h = float.hex(abs(x))           # '0x1.8000000000000p+1' / '0x0.0p+0'
    mant, exp = h[2:].split("p")
    lead, frac = mant.split(".")
    if prec is None:
        frac = frac.rstrip("0")
    elif prec < len(frac):
        shift = 4 * (len(frac) - prec)
        q, r = divmod(int(lead + frac, 16), 1 << shift)
        half = 1 << (shift - 1)
        if r > half or (r == half and q & 1):
            q += 1
        lead = format(q >> (4 * prec), "x")
        frac = format(q & ((1 << (4 * prec)) - 1), "x").zfill(prec) if prec else ""
    else:
        frac = frac.ljust(prec, "0")
    point = "." if frac or alt else ""
    return "0x" + lead + point + frac + "p" + (exp if exp[0] == "-" else "+" + exp.lstrip("+"))


def format_hexfloat(spec: Spec, x: float) -> str:
    if x != x or x in (math.inf, -math.inf):
        return _nonfinite(spec, x)
    body = hex_float(x, spec.prec, "#" in spec.flags)
    sign = _sign(spec, math.copysign(1.0, x) < 0)
    if spec.conv == "A":
        body = body.upper()
    return spec.pad(body[2:], sign + body[:2])


# ------------------------------------------------------------ %q

def add_quoted(s: str) -> str:
    """``addquoted``: a string as a Lua literal that reads back byte for byte."""
    out = ['"']
    n = len(s)
    for i, c in enumerate(s):
        if c == '"' or c == "\\" or c == "\n":
            out.append("\\" + c)
        elif c < " " or c == "\x7f":
            nxt = s[i + 1] if i + 1 < n else ""
            out.append("\\%03d" % ord(c) if "0" <= nxt <= "9" and nxt else "\\%d" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def quote_float(x: float) -> str:
    if x == math.inf:
        return "1e9999"
    if x == -math.inf:
        return "-1e9999"
    if x != x:
        return "(0/0)"
    return ("-" if math.copysign(1.0, x) < 0 else "") + hex_float(x)


def add_literal(L: Any, v: Any, arg: int) -> str:
    t = type(v)
    if t is str:
        return add_quoted(v)
    if t is float:
        return quote_float(v)
    if t is int:
        return "0x8000000000000000" if v == MININTEGER else str(v)
    if v is None or t is bool:
        return L.tostring(v)
    raise ArgError(arg, "value has no literal form")


# ------------------------------------------------------------ the driver

def check_format(form: str, flags: str, precision: bool) -> Optional[str]:
    """``checkformat``: flags from ``flags``, a width and (maybe) a precision of at
    most two digits each, then the conversion letter; the error message if not."""
    i = 1
    while form[i] in flags:
        i += 1
    if form[i] != "0":
        i = _skip2digits(form, i)
        if form[i] == "." and precision:
            i = _skip2digits(form, i + 1)
    c = form[i]
    if not ("a" <= c <= "z" or "A" <= c <= "Z"):
        return "invalid conversion specification: '%s'" % form
    return None


def _skip2digits(form: str, i: int) -> int:
    if form[i] in _DIGITS:
        i += 1
        if form[i] in _DIGITS:
            i += 1
    return i


# conversion -> (accepted flags, precision allowed)
_CHECKS = {"c": (FLAGS_C, False), "d": (FLAGS_I, True), "i": (FLAGS_I, True),
           "u": (FLAGS_U, True), "o": (FLAGS_X, True), "x": (FLAGS_X, True),
           "X": (FLAGS_X, True), "p": (FLAGS_C, False), "s": (FLAGS_C, True)}
_CHECKS.update((c, (FLAGS_F, True)) for c in "aAeEfgG")


class Item:
    """One conversion of a format string: ``form`` ("%-5.2f"), its conversion
    letter, the parsed Spec, and ``bad``, the error it raises once reached (C
    checks some arguments before the specification and some after)."""

    __slots__ = ("form", "conv", "spec", "bad", "plain")

    def __init__(self, form: str, conv: str, bad: Optional[str] = None) -> None:
        self.form = form
        self.conv = conv
        self.plain = len(form) == 2   # no flags, width or precision
        if bad is None:
            if conv == "q":
                bad = None if self.plain else "specifier '%q' cannot have modifiers"
            elif conv in _CHECKS:
                if not (conv == "s" and self.plain):
                    bad = check_format(form, *_CHECKS[conv])
            else:
                bad = "invalid conversion '%s' to 'format'" % form.split("\0")[0]
        self.bad = bad
        self.spec = Spec(form) if bad is None and conv in _CHECKS else None


def parse_format(fmt: str) -> list:
    """A format string as literal strings and ``Item``s (parsing stops at an
    over-long specification, which raises when reached)."""
    parts: list = []
    i = 0
    n = len(fmt)
    while i < n:
        j = fmt.find("%", i)
        if j < 0:
            parts.append(fmt[i:])
            break
        parts.append(fmt[i:j])
        i = j + 1
        if fmt[i:i + 1] == "%":
            parts.append("%")
            i += 1
            continue
        k = i
        while k < n and fmt[k] in _SPAN:
            k += 1
        if k + 1 - i >= MAX_FORMAT - 10:
            parts.append(Item("", "\0", "invalid format (too long)"))
            break
        parts.append(Item("%" + fmt[i:k + 1], fmt[k] if k < n else "\0"))
        i = k + 1
    return [p for p in parts if p != ""]


_parsed: dict = {}


def str_format(L: Any, *args: Any) -> tuple:
    return _format(L, args)


def _format(L: Any, args: tuple) -> tuple:
    fmt = check_string(args, 1)
    parts = _parsed.get(fmt)
    if parts is None:
        if len(_parsed) >= 256:
            _parsed.clear()
        parts = _parsed[fmt] = parse_format(fmt)
    top = len(args)
    arg = 1
    out: list = []
    for part in parts:
        if type(part) is str:
            out.append(part)
            continue
        arg += 1
        if arg > top:
            raise ArgError(arg, "no value")
        out.append(_format_item(L, args, arg, part))
    reserve_join(L, out)        # before: it may not fit
    return ("".join(out),)


def _format_item(L: Any, args: tuple, arg: int, item: Item) -> str:
    conv = item.conv
    if conv == "s":
        s = L.tostring(args[arg - 1])
        if item.plain:
            return s
        if "\0" in s:
            raise ArgError(arg, "string contains zeros")
        if item.bad:
            raise L.error(item.bad)
        if "." not in item.form and len(s) >= 100:
            return s
        return item.form % s
    if conv in "diuoxX":
        n = check_integer(args, arg)
        if item.bad:
            raise L.error(item.bad)
        return str(n) if item.plain and conv in "di" else format_int(item.spec, n)
    if conv in "feEgG":
        x = float(check_number(args, arg))
        if item.bad:
            raise L.error(item.bad)
        return format_float(item.spec, x)
    if conv == "p":
        ptr = _to_pointer(args[arg - 1])
        if item.bad:
            raise L.error(item.bad)
        return item.spec.pad("(null)" if ptr is None else "0x%x" % ptr, "", False)
    if item.bad:  # c, a, A and q check the specification first
        raise L.error(item.bad)
    if conv == "c":
        return item.spec.pad(chr(check_integer(args, arg) & 0xFF), "", False)
    if conv == "q":
        return add_literal(L, args[arg - 1], arg)
    return format_hexfloat(item.spec, float(check_number(args, arg)))


def _to_pointer(v: Any) -> Optional[int]:
    """``lua_topointer``: an address for collectable values, None otherwise."""
    t = type(v)
    if v is None or t is bool or t is int or t is float:
        return None
    if t is str and len(v) <= LUAI_MAXSHORTLEN:
        return id(sys.intern(v))  # Lua interns short strings: equal ones share an address
    return id(v)
