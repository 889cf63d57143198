"""Lua values to JSON and back (``llm.json``), and to the Python values providers use.

The rules, after lua-cjson and dkjson:

- a table is an array when all its keys are positive integers and it is not
  excessively sparse (its largest key is at most 10, or at most twice the number of
  keys: dkjson's rule); holes become ``null``. Any other non-empty table is an
  object; its integer and float keys become strings, other keys are an error.
- an empty table is the object ``{}``, unless its metatable says otherwise: a
  ``__jsontype`` metafield ``"array"`` or ``"object"`` (dkjson's convention) decides,
  and ``llm.json.array(t)`` sets it. Decoding ``[]`` gives a table marked as an array,
  so it encodes back as ``[]``.
- ``llm.json.null`` stands for JSON ``null`` both ways (a decoded ``null`` is never
  nil, so arrays keep their length); nil encodes as ``null`` too.
- strings are bytes: encoding passes them through as they are (UTF-8 text stays UTF-8;
  invalid UTF-8 bytes too, as lua-cjson does), escaping only ``"``, ``\\`` and control
  characters; decoding gives UTF-8 bytes.
- NaN and infinities cannot be encoded; JSON numbers decode to integers when they are
  integral and fit in 64 bits, else to floats.
- functions, threads, userdata (other than null) and reference cycles cannot be
  encoded: ``encode`` raises a Lua error naming the value and where it was found.
  Invalid JSON text is data, not a programming error: ``decode`` returns
  ``nil, message`` (as dkjson does; lua-cjson raises).
"""
from __future__ import annotations

import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from ..objects import Userdata, is_function
from ..table import LuaTable
from .strings import lua_string, text

MAX_DEPTH = 500             # nesting beyond this is refused rather than overflowing
SPARSE_SAFE = 10            # arrays up to this key are never too sparse
SPARSE_RATIO = 2
INT_MIN, INT_MAX = -2**63, 2**63 - 1


class JsonError(Exception):
    """A value cannot be converted; ``str(e)`` says which and where."""


class Codec:
    """Conversions for one Lua state: ``null`` is its ``llm.json.null`` and
    ``array_meta`` the metatable that marks empty arrays."""

    def __init__(self, null: Userdata, array_meta: LuaTable) -> None:
        self.null = null
        self.array_meta = array_meta

    # ------------------------------------------------------------ Lua -> Python
    def to_python(self, v: Any, errors: str = "surrogateescape") -> Any:
        """The JSON-able Python value of ``v``; JsonError if there is none."""
        return self._to_python(v, errors, set(), "value")

    def _to_python(self, v: Any, errors: str, path: set, where: str) -> Any:
        t = type(v)
        if v is None or v is self.null:
            return None
        if t is bool or t is int:
            return v
        if t is float:
            if v != v or v in (float("inf"), float("-inf")):
                raise JsonError(f"cannot encode {_number_name(v)} (at {where})")
            return v
        if t is str:
            return text(v, errors)
        if t is LuaTable:
            if id(v) in path:
                raise JsonError(f"cannot encode a reference cycle (at {where})")
            if len(path) >= MAX_DEPTH:
                raise JsonError(f"cannot encode tables nested more than {MAX_DEPTH} deep")
            path.add(id(v))
            try:
                return self._table(v, errors, path, where)
            finally:
                path.discard(id(v))
        kind = "function" if is_function(v) else ("userdata" if t is Userdata else "thread")
        raise JsonError(f"cannot encode a {kind} (at {where})")

    def _table(self, t: LuaTable, errors: str, path: set, where: str) -> Any:
        items = []
        k = None
        while True:
            nxt = t.next(k)
            if nxt is None:
                break
            k = nxt[0]
            items.append(nxt)
        kind = _json_type(t)
        if kind is None:
            kind = "array" if _is_array(items) else "object"
        if kind == "array":
            n = max((k for k, _ in items if type(k) is int and k > 0), default=0)
            values = dict(items)
            return [self._to_python(values.get(i), errors, path, f"{where}[{i}]")
                    for i in range(1, n + 1)]
        out = {}
        for k, val in items:
            key = _key_text(k, where, errors)
            out[key] = self._to_python(val, errors, path, f"{where}.{key}")
        return out

    def encode(self, v: Any) -> str:
        """The JSON text of ``v`` as a Lua string (compact, keys in table order)."""
        obj = self.to_python(v)
        s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        return lua_string(s)

    # ------------------------------------------------------------ Python -> Lua
    def from_python(self, v: Any) -> Any:
        """The Lua value of a decoded JSON value (dicts, lists, str, numbers, None)."""
        t = type(v)
        if v is None:
            return self.null
        if t is str:
            return lua_string(v)
        if t is int:
            return v if INT_MIN <= v <= INT_MAX else float(v)
        if t is dict:
            out = LuaTable()
            for k, val in v.items():
                out.set(lua_string(k), self.from_python(val))
            return out
        if t is list:
            out = LuaTable()
            for i, val in enumerate(v, 1):
                out.set_int(i, self.from_python(val))
            if not v:
                out.meta = self.array_meta
            return out
        return v        # bool, float

    def decode(self, s: str) -> Any:
        """The Lua value of JSON text given as a Lua string; JsonError if it is not JSON."""
        return self.from_python(loads(text(s)))


def loads(s: str) -> Any:
    """``json.loads`` of strict JSON (no NaN/Infinity); JsonError with the position."""
    try:
        return json.loads(s, parse_constant=_refuse_constant)
    except json.JSONDecodeError as e:
        raise JsonError(f"invalid JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
    except (ValueError, RecursionError) as e:
        raise JsonError(f"invalid JSON: {e}") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _number_name(v: float) -> str:
    return "NaN" if v != v else ("inf" if v > 0 else "-inf")


def _json_type(t: LuaTable) -> Any:
    meta = t.meta
    if meta is not None:
        kind = meta.get_str("__jsontype")
        if kind in ("array", "object"):
            return kind
    return None


def _is_array(items: list) -> bool:
    if not items:
        return False
    top = 0
    for k, _ in items:
        if type(k) is not int or k < 1:
            return False
        top = max(top, k)
    return top <= SPARSE_SAFE or top <= SPARSE_RATIO * len(items)


def _key_text(k: Any, where: str, errors: str) -> str:
    t = type(k)
    if t is str:
        return text(k, errors)
    if t is int:
        return str(k)
    if t is float:
        return "%.14g" % k
    kind = "boolean" if t is bool else ("table" if t is LuaTable else "non-string")
    raise JsonError(f"cannot encode a {kind} key in an object (at {where})")
