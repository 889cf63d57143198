"""Embedding Lua in Python: ``LuaRuntime`` and the Python side of Lua values.

    >>> from pylua import LuaRuntime
    >>> lua = LuaRuntime()
    >>> lua.eval("1 + 2")
    3
    >>> add = lua.eval("function(a, b) return a + b end")
    >>> add(40, 2)
    42

The interface follows lupa's ``LuaRuntime`` (``execute``, ``eval``, ``globals``,
``table``, ``table_from``, ``require``; wrappers that index, call and iterate), with
the async twins ``execute_async``/``eval_async``/``call_async`` for code that runs
inside an asyncio event loop: there an ``async def`` passed to Lua parks only the
Lua thread that calls it.

Conversions (the one rule, for arguments, results, table keys and values, globals):

=======================  ============================  ===============================
Python                   Lua                           back to Python
=======================  ============================  ===============================
``None``                 nil                           ``None``
``bool``                 boolean                       ``bool``
``int``                  integer (OverflowError        ``int``
                         outside signed 64 bits)
``float``                float                         ``float``
``str``                  string (encoded with          ``str`` (decoded with
                         ``encoding``)                 ``encoding``); ``bytes`` when it
                                                       does not decode or when
                                                       ``encoding`` is None
``bytes``, ``bytearray`` string (the bytes as such)    as for ``str``
callable                 function (sync, or async if   the same Python callable
                         it returns an awaitable)
``LuaTableRef`` etc.     the Lua value it wraps        a wrapper of the same value
any other object         userdata (opaque, by          the same Python object
(``dict``, ``list``...)  reference)
(none)                   table                         ``LuaTableRef``
(none)                   function                      ``LuaFunctionRef``
(none)                   thread (coroutine)            ``LuaThreadRef``
(none)                   other userdata                ``LuaUserdataRef``
=======================  ============================  ===============================

Python containers are not copied implicitly (as in lupa): ``table`` and
``table_from`` build Lua tables from them, ``LuaTableRef.to_dict``/``to_list``
read tables back.  A Python callable receives its Lua arguments converted, and its
result goes back as: a tuple -> several Lua results, anything else -> one.  An
exception it raises becomes a Lua error ``"<position>: ValueError: message"``,
catchable by ``pcall``; uncaught, it reaches Python as ``LuaError`` whose
``__cause__`` is the original exception.  (lupa re-raises the original exception
instead, gives Python objects attribute access inside Lua and a ``python`` module
to scripts: pylua keeps Python objects opaque and gives scripts no ``python``
module, so a script reaches only what it is given.)

A ``LuaRuntime`` is not thread-safe: use it from one thread at a time.
"""
from __future__ import annotations

import io
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO, Iterator, Optional
    from .config import SecurityConfig

from . import limits, scheduler
from .errors import LuaError
from .frame import DEAD, LuaThread
from .lauxlib import type_name
from .objects import Builtin, LuaFunction, Special, Userdata
from .state import LuaState
from .table import LuaTable, TableKeyError

INT_MIN, INT_MAX = -2**63, 2**63 - 1
PYOBJECT_NAME = "python object"     # __name of the opaque userdata (tostring shows it)


class LuaRuntime:
    """A Lua state with the standard libraries, seen from Python.

    ``encoding`` converts strings both ways (None: Lua strings come back as
    ``bytes`` and ``str`` is sent as UTF-8).  ``stdout``/``stderr`` are binary
    streams for ``print``, ``io.write`` and warnings; by default they write
    through ``sys.stdout``/``sys.stderr`` as they are at each write (so
    ``contextlib.redirect_stdout`` and pytest's capture see Lua's output, in order
    with Python's).  ``sandbox=True`` makes the state a sandbox for code one does not
    trust (``pylua.sandbox``; a ``pylua.config.SecurityConfig`` gives its whitelist's
    additions and removals and the allowed tools).
    """

    lua_version = (5, 4)             # as lupa's LuaRuntime tells them
    lua_implementation = "Lua 5.4"

    def __init__(self, *, encoding: Optional[str] = "utf-8",
                 stdout: Optional[BinaryIO] = None, stderr: Optional[BinaryIO] = None,
                 sandbox: bool | SecurityConfig = False, max_instructions: Optional[int] = None,
                 timeout: Optional[float] = None, max_memory: Optional[int] = None) -> None:
        self._encoding = encoding
        self._source_encoding = encoding or "utf-8"
        ascii_bytes = bytes(range(128))
        # ASCII text is the same str on both sides: no codec call for it
        self._ascii_same = encoding is not None and \
            ascii_bytes.decode(encoding, "replace").encode(encoding) == ascii_bytes
        self._host_depth = 0        # sync Python callables running (called from Lua)
        self._L = LuaState(
            stdout if stdout is not None else _PythonStream("stdout", self._source_encoding),
            stderr if stderr is not None else _PythonStream("stderr", self._source_encoding))
        self._pyobject_meta = LuaTable()
        self._pyobject_meta.set_str("__name", PYOBJECT_NAME)
        self._pyobject_meta.set_str("__metatable", False)   # scripts cannot look inside
        if sandbox:
            from .sandbox import make_sandbox
            make_sandbox(self._L, None if sandbox is True else sandbox)
        # Resource limits (docs/limits.md): instructions and seconds per call from
        # Python, bytes for the whole state; a script passing one raises LuaLimitError.
        limits.install(self._L, max_instructions, timeout, max_memory)

    # ------------------------------------------------------------ running code
    def execute(self, code: str | bytes, *args: Any) -> Any:
        """Run a chunk with ``args`` as its ``...``; its results: none -> None,
        one -> that value, several -> a tuple.  Raises ``LuaError`` (a syntax error:
        ``LuaSyntaxError``).  Not inside a running event loop: use ``execute_async``."""
        return self._pack(self._call(self._load(code), args, "execute"))

    def eval(self, expr: str | bytes, *args: Any) -> Any:
        """The value of a Lua expression (``execute("return " + expr)``)."""
        return self._pack(self._call(self._load_expr(expr), args, "eval"))

    async def execute_async(self, code: str | bytes, *args: Any) -> Any:
        """``execute`` as a task of the running event loop: async functions called by
        the chunk are awaited without blocking the loop."""
        return self._pack(await self._call_async(self._load(code), args))

    async def eval_async(self, expr: str | bytes, *args: Any) -> Any:
        """``eval`` as a task of the running event loop."""
        return self._pack(await self._call_async(self._load_expr(expr), args))

    def load_file(self, path: str | os.PathLike) -> LuaFunctionRef:
        """Compile a Lua file (``loadfile``) into a function; calling it runs the file.
        (lupa has no such method: it compiles strings only.)"""
        from .lib.baselib import loadfile
        name = os.fsencode(path).decode("latin-1")
        return self._guard(lambda: LuaFunctionRef(self, loadfile(self._L, name)))

    def compile(self, code: str | bytes) -> LuaFunctionRef:
        """Compile a chunk into a function without running it (lupa's ``compile``)."""
        return LuaFunctionRef(self, self._load(code))

    def require(self, name: str) -> Any:
        """``require(name)``: the module, loaded through ``package.path`` once."""
        found = self._call(self._L.globals.get_str("require"), (name,), "require")
        return found[0] if found else None

    # ------------------------------------------------------------ values
    def globals(self) -> LuaTableRef:
        """The table of global variables (``_G``)."""
        return LuaTableRef(self, self._L.globals)

    def table(self, *items: Any, **fields: Any) -> LuaTableRef:
        """A new table: ``items`` at 1, 2, ... and ``fields`` as string keys."""
        t = LuaTable()
        for i, v in enumerate(items, 1):
            t.set_int(i, self._to_lua(v))
        for k, v in fields.items():
            t.set_str(self._str_to_lua(k), self._to_lua(v))
        return LuaTableRef(self, t)

    def table_from(self, *sources: Any, recursive: bool = False) -> LuaTableRef:
        """A new table from mappings (their items) and iterables (their values at 1,
        2, ..., continuing across iterables), merged in order.  With ``recursive``,
        the dicts, lists and tuples inside become tables too (shared and cyclic
        ones once each); without it they stay opaque userdata as everywhere."""
        memo: Optional[dict] = {} if recursive else None
        t = LuaTable()
        n = 0
        for src in sources:
            if memo is not None:
                memo[id(src)] = t
            if hasattr(src, "items"):
                src = src.items()
            else:
                src = ((n := n + 1, v) for v in src)
            for k, v in src:
                self._rawset(t, self._deep_to_lua(k, memo), self._deep_to_lua(v, memo))
        return LuaTableRef(self, t)

    # ------------------------------------------------------------ internals
    def _load(self, code: str | bytes) -> LuaFunction:
        text = self._source_text(code)
        return self._guard(lambda: self._L.load(text, text))

    def _load_expr(self, expr: str | bytes) -> LuaFunction:
        text = self._source_text(expr)
        return self._guard(lambda: self._L.load("return " + text, text))

    def _source_text(self, code: str | bytes) -> str:
        if isinstance(code, str):
            return code if code.isascii() else code.encode(self._source_encoding).decode("latin-1")
        return bytes(code).decode("latin-1")

    def _call(self, f: Any, args: tuple, api: str) -> list:
        """Call a Lua value from synchronous Python code (for ``api``, a key of
        ASYNC_TWINS); its results converted."""
        largs = tuple(map(self._to_lua, args))
        L = self._L
        if self._host_depth:
            # From a sync Python function that Lua called: a nested call on the same
            # stack (lua_pcall in a C function); no event loop is involved.
            ok, res = L.pcall(f, *largs, traceback=True)
            if not ok:
                raise self._error_to_python(res)
        else:
            _refuse_running_loop(api)
            try:
                res = scheduler.run(L, f, largs, traceback=True)
            except LuaError as e:
                raise self._error_to_python(e)
        return list(map(self._to_python, res))

    async def _call_async(self, f: Any, args: tuple) -> list:
        largs = tuple(map(self._to_lua, args))
        try:
            res = await scheduler.run_async(self._L, f, largs, traceback=True)
        except LuaError as e:
            raise self._error_to_python(e)
        return list(map(self._to_python, res))

    @staticmethod
    def _pack(values: list) -> Any:
        """Results as lupa gives them: none -> None, one -> it, several -> a tuple."""
        if not values:
            return None
        return values[0] if len(values) == 1 else tuple(values)

    def _guard(self, action: Any) -> Any:
        """Run ``action`` (which works on the state directly); a LuaError it raises
        reaches Python with Python values."""
        try:
            return action()
        except LuaError as e:
            raise self._error_to_python(e)

    def _error_to_python(self, e: LuaError) -> LuaError:
        """The Lua error object and traceback of ``e`` as Python values, in place."""
        e.value = self._to_python(e.value)
        e.args = (e.value,)
        if e.traceback is not None:
            e.traceback = e.traceback.encode("latin-1").decode(self._source_encoding, "replace")
        return e

    def _rawset(self, t: LuaTable, k: Any, v: Any) -> None:
        try:
            t.set(k, v)
        except TableKeyError as e:
            raise ValueError(f"{e} (key {k!r})") from None

    # ------------------------------------------------------------ conversions
    def _to_lua(self, v: Any) -> Any:
        """A Python value as a Lua value (the table in the module docstring)."""
        if v is None or v is True or v is False:
            return v
        tv = type(v)
        if tv is str:
            return self._str_to_lua(v)
        if tv is int:
            if INT_MIN <= v <= INT_MAX:
                return v
            raise OverflowError(f"Python int too large for a Lua integer: {v}")
        if tv is float:
            return v
        if isinstance(v, LuaRef):
            if v._runtime is not self:
                raise ValueError(f"{v!r} belongs to another LuaRuntime")
            return v._obj
        if isinstance(v, (bytes, bytearray)):
            return bytes(v).decode("latin-1")
        if isinstance(v, (int, float, str)):      # subclasses (IntEnum, ...): the value
            return self._to_lua((int if isinstance(v, int) else float if isinstance(v, float)
                                 else str)(v))
        if callable(v):
            return Builtin(_PythonFunction(self, v), getattr(v, "__name__", "?"))
        return Userdata(v, self._pyobject_meta)

    def _str_to_lua(self, s: str) -> str:
        if s.isascii() and self._ascii_same:
            return s
        return s.encode(self._source_encoding).decode("latin-1")

    def _deep_to_lua(self, v: Any, memo: Optional[dict]) -> Any:
        """``_to_lua``, except that with a memo dicts, lists and tuples become tables."""
        if memo is None or not isinstance(v, (dict, list, tuple)):
            return self._to_lua(v)
        t = memo.get(id(v))
        if t is None:
            t = memo[id(v)] = LuaTable()
            pairs = v.items() if isinstance(v, dict) else enumerate(v, 1)
            for k, x in pairs:
                self._rawset(t, self._deep_to_lua(k, memo), self._deep_to_lua(x, memo))
        return t

    def _to_python(self, v: Any) -> Any:
        """A Lua value as a Python value (the table in the module docstring)."""
        tv = type(v)
        if tv is str:
            if self._ascii_same and v.isascii():
                return v
            b = v.encode("latin-1")
            if self._encoding is None:
                return b
            try:
                return b.decode(self._encoding)
            except UnicodeDecodeError:
                return b
        if v is None or tv is bool or tv is int or tv is float:
            return v
        if tv is LuaTable:
            return LuaTableRef(self, v)
        if tv is Builtin:
            fn = v.fn
            if type(fn) is _PythonFunction and fn.runtime is self:
                return fn.func
            return LuaFunctionRef(self, v)
        if tv is LuaFunction or tv is Special:
            return LuaFunctionRef(self, v)
        if tv is Userdata:
            if v.meta is self._pyobject_meta:
                return v.value
            return LuaUserdataRef(self, v)
        if tv is LuaThread:
            return LuaThreadRef(self, v)
        raise TypeError(f"not a Lua value: {v!r}")


ASYNC_TWINS = {     # sync API: (what it is called in messages, its async twin)
    "execute": ("LuaRuntime.execute()", "await runtime.execute_async(...)"),
    "eval": ("LuaRuntime.eval()", "await runtime.eval_async(...)"),
    "require": ("LuaRuntime.require()", "await runtime.eval_async('require(...)', name)"),
    "call": ("Calling a Lua function", "await function.call_async(...)"),
}


def _refuse_running_loop(api: str) -> None:
    """The sync API runs its own event loop: inside a running one it would block it."""
    asyncio = sys.modules.get("asyncio")
    if asyncio is not None and asyncio._get_running_loop() is not None:
        what, twin = ASYNC_TWINS[api]
        raise RuntimeError(f"{what} cannot run inside a running asyncio event loop "
                           f"(it would block it): use '{twin}' there")


class _PythonFunction:
    """The host function (``Builtin.fn``) behind a Python callable passed to Lua."""

    __slots__ = ("runtime", "func")

    def __init__(self, runtime: LuaRuntime, func: Any) -> None:
        self.runtime = runtime
        self.func = func

    def __call__(self, L: LuaState, *args: Any) -> Any:
        rt = self.runtime
        rt._host_depth += 1
        try:
            res = self.func(*map(rt._to_python, args))
        except LuaError as e:           # raised in Python: its value is a Python value
            raise _lua_error_from_python(rt, e)
        except Exception as e:
            raise _python_exception(L.where(1), e) from e
        finally:
            rt._host_depth -= 1
        if hasattr(res, "__await__"):       # an async function: the VM parks the caller
            return _AwaitedResults(self, res, L.where(1))
        return self._results_to_lua(res)

    def _results_to_lua(self, res: Any) -> tuple:
        if type(res) is tuple:
            return tuple(map(self.runtime._to_lua, res))
        return (self.runtime._to_lua(res),)


class _AwaitedResults:
    """What an async Python function gives the VM to await: its awaitable, then
    the results (or error) converted for Lua.  ``close`` closes the awaitable
    when the VM cannot wait (a call from host code): no "never awaited" warning."""

    __slots__ = ("function", "awaitable", "where")

    def __init__(self, function: _PythonFunction, awaitable: Any, where: str) -> None:
        self.function = function
        self.awaitable = awaitable
        self.where = where          # the caller's position, for an error message

    def __await__(self) -> Any:
        return self._finish().__await__()

    async def _finish(self) -> tuple:
        try:
            res = await self.awaitable
        except LuaError as e:
            raise _lua_error_from_python(self.function.runtime, e)
        except Exception as e:
            raise _python_exception(self.where, e) from e
        return self.function._results_to_lua(res)

    def close(self) -> None:
        close = getattr(self.awaitable, "close", None)
        if close is not None:
            close()


def _python_exception(where: str, e: Exception) -> LuaError:
    err = LuaError(f"{where}{type(e).__name__}: {e}")
    err.__cause__ = e
    return err


def _lua_error_from_python(rt: LuaRuntime, e: LuaError) -> LuaError:
    """A LuaError leaving Python code for Lua: its value back to a Lua value."""
    e.value = rt._to_lua(e.value)
    e.args = (e.value,)
    e.traceback = None
    return e


class _PythonStream(io.RawIOBase):
    """A binary stream writing to ``sys.stdout``/``sys.stderr`` as they are at each
    write: decodable text through the text layer (so it stays in order with
    Python's prints and reaches redirections), other bytes to its buffer."""

    def __init__(self, name: str, encoding: str) -> None:
        super().__init__()
        self._name = name
        self._encoding = encoding

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        stream = getattr(sys, self._name)
        data = bytes(data)
        try:
            stream.write(data.decode(self._encoding))
        except UnicodeError:
            buffer = getattr(stream, "buffer", None)
            if buffer is None:
                stream.write(data.decode(self._encoding, "replace"))
            else:
                stream.flush()
                buffer.write(data)
        return len(data)

    def flush(self) -> None:
        stream = getattr(sys, self._name)
        if stream is not None:      # None late at interpreter exit
            stream.flush()

    def isatty(self) -> bool:
        return getattr(sys, self._name).isatty()


# ---------------------------------------------------------------- the wrappers

class LuaRef:
    """A Lua value seen from Python: compares equal to the wrapper of the very
    same Lua object (raw equality), hashable, ``str()`` is Lua's ``tostring``."""

    __slots__ = ("_runtime", "_obj")

    def __init__(self, runtime: LuaRuntime, obj: Any) -> None:
        object.__setattr__(self, "_runtime", runtime)
        object.__setattr__(self, "_obj", obj)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, LuaRef) and other._obj is self._obj

    def __hash__(self) -> int:
        return hash(id(self._obj))

    def __repr__(self) -> str:
        return f"<Lua {type_name(self._obj)} at {hex(id(self._obj))}>"

    def __str__(self) -> str:
        rt = self._runtime
        s = rt._guard(lambda: rt._L.tostring(self._obj))
        return s.encode("latin-1").decode(rt._source_encoding, "replace")

    def __getitem__(self, key: Any) -> Any:
        """``obj[key]`` as Lua indexes (``__index`` included); nil -> None."""
        rt = self._runtime
        k = rt._to_lua(key)
        return rt._to_python(rt._guard(lambda: rt._L.index(self._obj, k)))

    def __setitem__(self, key: Any, value: Any) -> None:
        """``obj[key] = value`` as Lua assigns (``__newindex`` included)."""
        rt = self._runtime
        k, v = rt._to_lua(key), rt._to_lua(value)
        rt._guard(lambda: rt._L.setindex(self._obj, k, v))

    def __call__(self, *args: Any) -> Any:
        """Call the value (``__call`` included): no result -> None, one -> it, more ->
        a tuple.  Not inside a running event loop: use ``call_async`` there."""
        return self._runtime._pack(self._runtime._call(self._obj, args, "call"))

    async def call_async(self, *args: Any) -> Any:
        """Call the value as a task of the running event loop."""
        return self._runtime._pack(await self._runtime._call_async(self._obj, args))


class LuaTableRef(LuaRef):
    """A Lua table: ``t[k]``, ``t.name`` (for names that are not methods here),
    ``len(t)`` (``#t``), ``k in t``, iteration over keys as with a dict (raw:
    ``next`` order, no ``__pairs``), ``keys()``/``values()``/``items()``."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self[name]

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __delitem__(self, key: Any) -> None:
        self[key] = None

    def __len__(self) -> int:
        rt = self._runtime
        n = rt._guard(lambda: rt._L.length(self._obj))
        if type(n) is not int:
            raise TypeError(f"the length of this table is not an integer: {rt._to_python(n)!r}")
        return n

    def __contains__(self, key: Any) -> bool:
        k = self._runtime._to_lua(key)
        return k is not None and self._obj.get(k) is not None

    def __iter__(self) -> Iterator[Any]:
        return (k for k, _ in self.items())

    def keys(self) -> Iterator[Any]:
        return iter(self)

    def values(self) -> Iterator[Any]:
        return (v for _, v in self.items())

    def items(self) -> Iterator[tuple]:
        """The (key, value) pairs in ``next`` order; assigning None to the current
        key meanwhile is allowed, as in Lua."""
        t = self._obj
        conv = self._runtime._to_python
        entry = t.next(None)
        while entry is not None:
            k, v = entry
            yield conv(k), conv(v)
            entry = t.next(k)

    def to_dict(self) -> dict:
        """The pairs as a dict (values converted, nested tables stay wrappers)."""
        return dict(self.items())

    def to_list(self) -> list:
        """The values at 1..#t (raw length) as a list."""
        conv = self._runtime._to_python
        t = self._obj
        return [conv(t.get_int(i)) for i in range(1, t.length() + 1)]


class LuaFunctionRef(LuaRef):
    """A Lua function (or a host function of pylua): call it, or ``await
    f.call_async(...)``; ``f.coroutine(*args)`` starts it as a coroutine."""

    __slots__ = ()

    def coroutine(self, *args: Any) -> LuaThreadRef:
        """A new coroutine running this function, as lupa's: iterating it resumes it
        (the first time with ``args``) and gives what it yields."""
        return LuaThreadRef(self._runtime, LuaThread(self._runtime._L, self._obj), args)


class LuaThreadRef(LuaRef):
    """A Lua coroutine. Iterating resumes it and gives each value it yields (a tuple
    when it yields several); ``send(value)`` resumes it with a value, like a
    generator.  When it returns, iteration stops (``StopIteration.value``: what it
    returned); an error it raises is a ``LuaError``.  Resumed this way, from
    synchronous Python, it cannot wait on an async function (that is a Lua error):
    run coroutines that wait inside ``execute``/``execute_async``."""

    __slots__ = ("_first_args",)

    def __init__(self, runtime: LuaRuntime, obj: Any, first_args: tuple = ()) -> None:
        super().__init__(runtime, obj)
        object.__setattr__(self, "_first_args", first_args)   # for its first resume

    def __iter__(self) -> LuaThreadRef:
        return self

    def __next__(self) -> Any:
        return self.send(None)

    def send(self, value: Any) -> Any:
        rt = self._runtime
        co = self._obj
        if co.status == DEAD:
            raise StopIteration
        args = self._first_args + (() if value is None else (value,))
        object.__setattr__(self, "_first_args", ())
        res = rt._L.resume(co, *map(rt._to_lua, args))
        if not res[0]:
            raise rt._error_to_python(LuaError(res[1], rt._L.traceback(co)))
        values = rt._pack([rt._to_python(v) for v in res[1:]])
        if co.status == DEAD:
            raise StopIteration(values)
        return values

    @property
    def status(self) -> str:
        """``coroutine.status``: "suspended", "running", "normal" or "dead"."""
        return self._obj.status


class LuaUserdataRef(LuaRef):
    """A userdata of Lua (a file handle, say): opaque, but indexable and callable
    through its metatable."""

    __slots__ = ()
