"""Test support for the library modules: a minimal stand-in for ``LuaState`` and a
bridge that runs the same call in lupa's embedded Lua 5.4.8, so a test can compare
results, the contents of the argument tables afterwards, the metamethod traffic and
error messages.

Arguments are written once in Python: numbers, strings (byte strings as ``str``),
``True``/``False``/``None``, ``Tab(...)`` for plain tables (the same ``Tab`` object
twice means the same table) and ``Proxy(...)`` for an empty table whose
``__index``/``__newindex``/``__len`` metamethods read and write a backing store and log
every access. Python callables become functions in both worlds.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Optional

import lupa.lua54

from pylua.errors import ArgError, LuaError
from pylua.gc import Collector
from pylua.lauxlib import type_name
from pylua.number import tostr
from pylua.objects import Builtin, LuaFunction
from pylua.table import LuaTable

LUA = lupa.lua54.LuaRuntime(encoding=None, unpack_returned_tuples=True)
_lua_pcall = LUA.eval("function(f, ...) return table.pack(pcall(f, ...)) end")
_lua_proxy = LUA.eval("""function(get, set, len)
    return setmetatable({}, {__index = function(_, k) return get(k) end,
                             __newindex = function(_, k, v) set(k, v) end,
                             __len = len and function() return len() end})
end""")
_lua_rawequal = LUA.eval("rawequal")
_lua_function = LUA.eval("function(f) return function(...) return f(...) end end")
_LuaTableType = type(LUA.table())


class Tab:
    """A plain table: positional items go to 1..n, keyword items to string keys,
    ``_keys`` to any other keys."""

    def __init__(self, *items: Any, _keys: Optional[dict] = None, **fields: Any) -> None:
        self.items = list(items)
        self.fields = dict(_keys or {}, **fields)


class Proxy:
    """An empty table with metamethods that log into ``log`` and keep the values in a
    store initialised from ``items``; ``length`` is what ``__len`` returns (None: no
    ``__len``)."""

    def __init__(self, *items: Any, length: Any = "auto") -> None:
        self.items = list(items)
        self.length = length


# ------------------------------------------------------------------ canonical form

def canon(v: Any, seen: Optional[dict] = None) -> Any:
    """A comparable description of a value from either world (floats by bits, tables
    by contents)."""
    t = type(v)
    if v is None or t is bool:
        return v
    if t is int:
        return ("int", v)
    if t is float:
        if v != v:
            return ("nan", math.copysign(1.0, v) < 0)
        return ("float", v.hex())
    if t is str:
        return v
    if t is bytes:
        return v.decode("latin-1")
    seen = {} if seen is None else seen
    if id(v) in seen:
        return ("table#", seen[id(v)])
    seen[id(v)] = len(seen)
    if t is LuaTable:
        items, k = [], None
        while True:
            e = v.next(k)
            if e is None:
                break
            k = e[0]
            items.append((canon(k), canon(e[1], seen)))
    elif t is _LuaTableType:
        items = [(canon(k), canon(x, seen)) for k, x in v.items()]
    elif t is Builtin or t is LuaFunction or callable(v):
        return ("function",)
    else:
        return ("other", t.__name__)
    return ("table", sorted(items, key=repr))


# ------------------------------------------------------------------ the fake state

def _first(results: list) -> Any:
    return results[0] if results else None


class FakeState:
    """Raw-semantics stand-in for ``LuaState`` with the metamethods the libraries
    rely on (``__index``, ``__newindex``, ``__len``, ``__lt``, ``__eq``)."""

    def __init__(self) -> None:
        self.globals = LuaTable()
        self.gc = Collector(self)       # allocation accounting; never cycles here

    def call(self, f: Any, *args: Any) -> list:
        if type(f) is Builtin:
            return list(invoke(self, f, args))
        if callable(f):
            r = f(*args)
            return list(r) if isinstance(r, (list, tuple)) else [r]
        raise LuaError(f"attempt to call a {type_name(f)} value")

    def getmetatable(self, v: Any) -> Optional[LuaTable]:
        return getattr(v, "meta", None)

    def _event(self, v: Any, name: str) -> Any:
        mt = self.getmetatable(v)
        return None if mt is None else mt.get_str(name)

    def index(self, obj: Any, key: Any) -> Any:
        if type(obj) is LuaTable:
            v = obj.get(key)
            if v is not None:
                return v
        h = self._event(obj, "__index")
        if h is None:
            if type(obj) is LuaTable:
                return None
            raise LuaError(f"attempt to index a {type_name(obj)} value")
        if type(h) is LuaTable:
            return self.index(h, key)
        return _first(self.call(h, obj, key))

    def setindex(self, obj: Any, key: Any, value: Any) -> None:
        h = self._event(obj, "__newindex")
        if type(obj) is LuaTable and (h is None or obj.get(key) is not None):
            obj.set(key, value)
        elif h is None:
            raise LuaError(f"attempt to index a {type_name(obj)} value")
        elif type(h) is LuaTable:
            self.setindex(h, key, value)
        else:
            self.call(h, obj, key, value)

    def length(self, obj: Any) -> Any:
        h = self._event(obj, "__len")
        if h is not None:
            return _first(self.call(h, obj))
        if type(obj) is LuaTable:
            return obj.length()
        if type(obj) is str:
            return len(obj)
        raise LuaError(f"attempt to get length of a {type_name(obj)} value")

    def lessthan(self, a: Any, b: Any) -> bool:
        ta, tb = type(a), type(b)
        if ta in (int, float) and tb in (int, float) or ta is str and tb is str:
            return a < b
        h = self._event(a, "__lt") or self._event(b, "__lt")
        if h is None:
            na, nb = type_name(a), type_name(b)
            if na == nb:
                raise LuaError(f"attempt to compare two {na} values")
            raise LuaError(f"attempt to compare {na} with {nb}")
        r = _first(self.call(h, a, b))
        return r is not None and r is not False

    def equals(self, a: Any, b: Any) -> bool:
        if a is b or (type(a) is type(b) and a == b):
            return True
        if type(a) is LuaTable and type(b) is LuaTable:
            h = self._event(a, "__eq") or self._event(b, "__eq")
            if h is not None:
                r = _first(self.call(h, a, b))
                return r is not None and r is not False
        return False

    def tostring(self, v: Any) -> str:
        if type(v) in (int, float):
            return tostr(v)
        return v if type(v) is str else repr(v)

    def error(self, msg: str, level: int = 1) -> LuaError:
        return LuaError(msg)


def invoke(L: FakeState, f: Builtin, args: tuple) -> tuple:
    """Call a library function as the VM would, turning ArgError into Lua's message."""
    try:
        return tuple(f.fn(L, *args))
    except ArgError as e:
        raise LuaError(f"bad argument #{e.argno} to '{f.name}' ({e.msg})") from None


# ------------------------------------------------------------------ running a call in both worlds

class _World:
    """Builds the arguments of one call in one world and remembers the proxies' logs."""

    def __init__(self, lua: bool) -> None:
        self.lua = lua
        self.memo: dict = {}
        self.log: list = []
        self.tables: list = []

    def _from_native(self, v: Any) -> Any:
        """A value as Python callbacks see it (strings as str in both worlds)."""
        return v.decode("latin-1") if type(v) is bytes else v

    def convert(self, v: Any) -> Any:
        if isinstance(v, (Tab, Proxy)):
            if id(v) not in self.memo:
                self.memo[id(v)] = self._table(v) if isinstance(v, Tab) else self._proxy(v)
                self.tables.append(self.memo[id(v)])
            return self.memo[id(v)]
        if type(v) is str and self.lua:
            return v.encode("latin-1")
        if callable(v):
            return self._function(v)
        return v

    def _table(self, spec: Tab) -> Any:
        t = LUA.table() if self.lua else LuaTable()
        entries = [(i, x) for i, x in enumerate(spec.items, 1)] + list(spec.fields.items())
        for k, x in entries:
            if x is None:
                continue
            if self.lua:
                t[self.convert(k)] = self.convert(x)
            else:
                t.set(k, self.convert(x))
        return t

    def _function(self, fn: Callable) -> Any:
        def native(*args: Any) -> Any:
            r = fn(*(self._from_native(a) for a in args))
            return self.convert(r)
        return _lua_function(native) if self.lua else Builtin(lambda L, *a: (native(*a),), "callback")

    def _proxy(self, spec: Proxy) -> Any:
        store = {i: self.convert(x) for i, x in enumerate(spec.items, 1) if x is not None}
        log = self.log

        def get(k: Any) -> Any:
            k = self._from_native(k)
            log.append(("get", canon(k)))
            return store.get(k)

        def set_(k: Any, v: Any) -> None:
            k = self._from_native(k)
            log.append(("set", canon(k), canon(v)))
            if v is None:
                store.pop(k, None)
            else:
                store[k] = v

        def length() -> Any:
            log.append(("len",))
            return len(spec.items) if spec.length == "auto" else self.convert(spec.length)

        self.stores = getattr(self, "stores", [])
        self.stores.append(store)
        len_fn = None if spec.length is None else length
        if self.lua:
            return _lua_proxy(get, set_, len_fn)
        t = LuaTable()
        t.meta = LuaTable()
        t.meta.set_str("__index", Builtin(lambda L, _t, k: (get(k),), "__index"))
        t.meta.set_str("__newindex", Builtin(lambda L, _t, k, v: (set_(k, v),)[:0], "__newindex"))
        if len_fn is not None:
            t.meta.set_str("__len", Builtin(lambda L, _t=None: (length(),), "__len"))
        return t

    def state(self) -> list:
        """The contents of every argument table (and proxy store) after the call."""
        out = [canon(t) for t in self.tables if type(t) in (LuaTable, _LuaTableType)]
        for store in getattr(self, "stores", []):
            out.append(sorted(((canon(k), canon(v)) for k, v in store.items()), key=repr))
        return out


def _strip_where(msg: str) -> str:
    """Drop a leading ``chunk:line:`` position from an error message."""
    if msg.startswith('[string "'):
        end = msg.find('"]:')
        if end >= 0:
            rest = msg[end + 3:]
            colon = rest.find(":")
            if colon > 0 and rest[:colon].isdigit():
                return rest[colon + 1:].lstrip()
    return msg


def run_lua(fname: str, args: tuple) -> tuple:
    """Call the global function ``fname`` ("table.insert") in lupa."""
    w = _World(lua=True)
    largs = [w.convert(a) for a in args]
    packed = _lua_pcall(LUA.eval(fname), *largs)
    n = packed[b"n"]
    vals = [packed[i] for i in range(1, n + 1)]
    if not vals[0]:
        err = vals[1]
        msg = err.decode("latin-1") if type(err) is bytes else canon(err)
        return ("error", _strip_where(msg), w.log, w.state())
    return ("ok", _results(vals[1:], w), w.log, w.state())


def run_ours(lib: LuaTable, fname: str, args: tuple, L: Optional[FakeState] = None) -> tuple:
    """Call our implementation of ``fname`` from ``lib`` with a fake state."""
    w = _World(lua=False)
    oargs = [w.convert(a) for a in args]
    L = L or FakeState()
    f = lib.get_str(fname.split(".")[-1])
    try:
        vals = list(invoke(L, f, tuple(oargs)))
    except LuaError as e:
        msg = e.value if type(e.value) is str else canon(e.value)
        return ("error", _strip_where(msg), w.log, w.state())
    return ("ok", _results(vals, w), w.log, w.state())


def _results(vals: list, w: _World) -> list:
    """Results in canonical form; an argument table returned is named by position."""
    out = []
    for v in vals:
        same = _lua_rawequal if w.lua else (lambda a, b: a is b)
        pos = next((i for i, t in enumerate(w.tables) if same(t, v)), None)
        out.append(("arg-table", pos) if pos is not None else canon(v))
    return out


def both(lib: LuaTable, fname: str, *args: Any) -> tuple:
    """(lupa's outcome, ours) for one call."""
    return run_lua(fname, args), run_ours(lib, fname, args)


# ------------------------------------------------------------------ whole snippets

_CAPTURE_PRINT = """
local out = ...
print = function(...)
    local parts = table.pack(...)
    for i = 1, parts.n do parts[i] = tostring(parts[i]) end
    out[#out + 1] = table.concat(parts, "\\t", 1, parts.n) .. "\\n"
end
io.write = function(...)
    for i = 1, select("#", ...) do out[#out + 1] = tostring((select(i, ...))) end
end
"""


def snippet_lua(src: str) -> str:
    """What ``print`` writes when lupa's Lua 5.4.8 runs ``src`` (chunk name "snippet")."""
    rt = lupa.lua54.LuaRuntime(encoding=None, unpack_returned_tuples=True)
    out = rt.table()
    rt.execute(_CAPTURE_PRINT.encode(), out)
    ok, msg = rt.execute(b"local ok, m = pcall(assert(load(..., '=snippet'))); return ok, m",
                         src.encode("latin-1"))
    text = b"".join(out.values()).decode("latin-1")
    return text if ok else text + "error: " + msg.decode("latin-1")


def snippet_ours(src: str) -> str:
    """The same with pylua's own state and compiler."""
    import io
    from pylua.state import LuaState
    stdout = io.BytesIO()
    L = LuaState(stdout=stdout)
    try:
        L.call(L.load(src, "=snippet"))
        err = ""
    except LuaError as e:
        err = "error: " + str(e)
    return stdout.getvalue().decode("latin-1") + err
