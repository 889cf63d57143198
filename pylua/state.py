"""A Lua state (lstate.c + lapi.c): globals, registry, threads, and the API that host
functions (the libraries) use to work with Lua values."""
from __future__ import annotations

import io
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Any, BinaryIO, Optional

from . import vm
from .debuginfo import funcnamefromcode
from .errors import LuaError, LuaSyntaxError, chunkid
from .frame import K_BOUNDARY, K_CMARK, K_PCALL, RUNNING, SUSPENDED, DEAD, NORMAL, Frame, LuaThread, new_frame
from .lauxlib import obj_type_name, tolstring, type_name
from . import chunkcache
from .gc import Collector
from .limits import LuaLimitError
from .hooks import HOOK_MARK

FINALIZER_MARK = "finalizer"     # aux of a running __gc's frame (C Lua's CIST_FIN)
from .opcodes import OP_CALL, OP_TAILCALL, OP_TFORCALL
from .objects import LuaFunction, Upvalue, Userdata
from .table import LuaTable

_NO_ENV = object()

LUA_VERSION = "Lua 5.4"
# What collectgarbage("count") adds to the traced objects: C Lua's state, string table
# and prototypes, which the tracer does not see (a fresh state reports ~22 KB).
UNTRACED_BYTES = 9 * 1024
LEVELS1 = 10    # tracebacks show this many innermost levels ...
LEVELS2 = 11    # ... and this many outermost ones


class LuaState:
    """One independent Lua world. ``stdout``/``stderr``/``stdin`` are binary streams."""

    def __init__(self, stdout: Optional[BinaryIO] = None, stderr: Optional[BinaryIO] = None,
                 stdin: Optional[BinaryIO] = None, open_libs: bool = True) -> None:
        self.registry = LuaTable()
        self.globals = LuaTable()
        self.string_meta: Optional[LuaTable] = None
        self.type_metas: dict = {}     # metatables of nil/boolean/number/function/thread
        self.main = LuaThread(self, None)
        self.main.status = RUNNING
        self.current = self.main
        self.stdout = stdout if stdout is not None else _c_stdout()
        self.stdout_is_tty = _isatty(self.stdout)
        self.stderr = stderr if stderr is not None else sys.stderr.buffer
        self.stdin = stdin if stdin is not None else sys.stdin.buffer
        self.tracebacks_wanted = 0     # >0: errors record a traceback where they unwind
        self.warnings_on = False
        self.gc = Collector(self)
        self.gc_mode = "incremental"
        self.scheduler = None           # scheduler.Scheduler once Lua code first waits
        self.limits = None              # limits.Limits: resource limits, if any
        self.registry.set_int(1, self.main)
        self.registry.set_int(2, self.globals)
        if open_libs:
            from .lib import openlibs
            openlibs(self)

    # ------------------------------------------------------------ calling
    def call(self, f: Any, *args: Any) -> list:
        """Call any Lua value from host code and return its results (lua_call)."""
        return vm.host_call(self, self.current, f, args, new_frame(None, K_CMARK))

    def call_direct(self, f: Any, args: tuple) -> list:
        """Call ``f`` right on top of the running frame, as the VM itself calls
        ``__close`` handlers (no host frame in between)."""
        return self._call(f, args, None)

    def _call(self, f: Any, args: tuple, marker: Optional[Frame]) -> list:
        return vm.host_call(self, self.current, f, args, marker)

    def pcall(self, f: Any, *args: Any, traceback: bool = False) -> tuple:
        """Call ``f`` in protected mode: ``(True, results)`` or ``(False, LuaError)``.
        With ``traceback``, the error's ``traceback`` is filled in at the error point."""
        if traceback:
            self.tracebacks_wanted += 1
        marker = new_frame(None, K_CMARK)
        marker.aux = vm.PROTECTED
        try:
            return True, self._call(f, args, marker)
        except LuaError as e:
            if traceback and e.traceback is None:
                e.traceback = self.traceback(self.current, None, 1, e.cfunc)
            return False, e
        finally:
            if traceback:
                self.tracebacks_wanted -= 1

    def call_hook(self, hook: Any, event: str, line: Optional[int]) -> None:
        """Run a debug hook on top of the frame that triggered it; its own frame is
        named "hook" as in C Lua."""
        self._call_marked(hook, (event, line), HOOK_MARK)

    def call_finalizer(self, gc_tm: Any, obj: Any) -> None:
        """Run a ``__gc`` metamethod; its frame is named "metamethod '__gc'"."""
        self._call_marked(gc_tm, (obj,), FINALIZER_MARK)

    def _call_marked(self, f: Any, args: tuple, mark: str) -> None:
        """Call ``f`` directly, its Lua frame marked with how debug info names it."""
        th = self.current
        if type(f) is LuaFunction:
            th.nny += 1
            try:
                fr = vm.push_lua(self, th, f, args, K_BOUNDARY, 0, -1)
                fr.aux = mark
                vm.execute(self, th)
            finally:
                th.nny -= 1
        else:
            self.call_direct(f, args)

    def call_handler(self, handler: Any, e: LuaError) -> Any:
        """Run an xpcall message handler on error ``e`` at the error point. As in
        ``luaG_errormsg``, an error inside the handler is handled by it again, until
        the C stack limit turns it into "error in error handling"."""
        marker = new_frame(e.cfunc, K_CMARK) if e.cfunc is not None else None
        th = self.current
        th.nccalls += 1         # luaG_errormsg runs the handler on the C stack
        try:
            res = self._call(handler, (e.value,), marker)
        except LuaError as e2:
            if type(e2) is LuaLimitError:
                raise
            if e2.handled:      # already through the handler where it was raised
                return e2.value
            return self.call_handler(handler, e2)
        finally:
            th.nccalls -= 1
        return res[0] if res else None

    def resume(self, co: LuaThread, *args: Any) -> tuple:
        """Resume a coroutine from host code: ``(True, values...)`` or ``(False, err)``."""
        if co.status != SUSPENDED:
            return (False, "cannot resume dead coroutine" if co.status == DEAD
                    else "cannot resume non-suspended coroutine")
        prev = self.current
        if prev.cbase + prev.nccalls >= vm.MAX_C_CALLS:
            return (False, "C stack overflow")
        co.cbase = prev.cbase + prev.nccalls + 1
        prev.status = NORMAL
        co.resumer = None
        co.resumed_by_wrap = False
        co.status = RUNNING
        self.current = co
        try:
            if not co.frames:
                f, co.func = co.func, None
                try:
                    vm.start_coroutine(self, co, f, args)
                except LuaError as e:
                    vm.fail_coroutine(self, co, e)
            else:
                vm.continue_yielded(self, co, args)
            return tuple(vm.execute(self, co))
        except vm.Exit as ex:
            return tuple(ex.value)
        finally:
            self.current = prev
            prev.status = RUNNING

    def gc_count_kb(self) -> float:
        """Memory in use, in KB, as ``collectgarbage("count")`` reports it."""
        return (self.gc.count_bytes() + UNTRACED_BYTES) / 1024

    def close(self) -> None:
        """``lua_close``: run the finalizers of every object that still has one."""
        self.gc.close_state()

    def warn(self, msg: str) -> None:
        """Emit a warning (``lua_warning``) when warnings are on."""
        if self.warnings_on:
            self.stderr.write(("Lua warning: " + msg + "\n").encode("latin-1", "replace"))
            self.stderr.flush()

    def warn_error(self, where: str, value: Any) -> None:
        """``luaE_warnerror``: an error in a finalizer becomes a warning."""
        msg = value if type(value) is str else "error object is not a string"
        self.warn(f"error in {where} ({msg})")

    # ------------------------------------------------------------ values with metamethods
    def getmetatable(self, v: Any) -> Optional[LuaTable]:
        return vm.metatable(self, v)

    def getmetafield(self, v: Any, name: str) -> Any:
        mt = vm.metatable(self, v)
        return mt.hash.get(name) if mt is not None else None

    def index(self, obj: Any, key: Any) -> Any:
        if type(obj) is LuaTable:
            v = obj.get(key)
            if v is not None or obj.meta is None:
                return v
        v, handler = vm.index_chain(self, None, obj, key)
        if handler is None:
            return v
        res = self.call(handler[0], handler[1], key)
        return res[0] if res else None

    def setindex(self, obj: Any, key: Any, value: Any) -> None:
        handler = vm.newindex_chain(self, None, obj, key, value)
        if handler is not None:
            self.call(handler[0], handler[1], key, value)

    def length(self, v: Any) -> Any:
        tm = vm.tm_of(self, v, "__len")
        if tm is not None:
            res = self.call(tm, v)
            return res[0] if res else None
        if type(v) is str:
            return len(v)
        if type(v) is LuaTable:
            return v.length()
        raise LuaError(f"attempt to get length of a {obj_type_name(v)} value")

    def equals(self, a: Any, b: Any) -> bool:
        if vm.raw_equals(a, b):
            return True
        ta = type(a)
        if ta is not type(b) or (ta is not LuaTable and ta is not Userdata):
            return False
        tm = vm.tm_of(self, a, "__eq") or vm.tm_of(self, b, "__eq")
        if tm is None:
            return False
        res = self.call(tm, a, b)
        return bool(res) and not vm.is_false(res[0])

    def _order(self, a: Any, b: Any, event: str) -> bool:
        ta, tb = type(a), type(b)
        if (ta is int or ta is float) and (tb is int or tb is float) or (ta is str and tb is str):
            return a < b if event == "__lt" else a <= b
        tm = vm.tm_of(self, a, event) or vm.tm_of(self, b, event)
        if tm is None and event == "__le":      # LUA_COMPAT_LT_LE, as in vm.compare_mm
            tm = vm.tm_of(self, b, "__lt") or vm.tm_of(self, a, "__lt")
            if tm is not None:
                res = self.call(tm, b, a)
                return not (bool(res) and not vm.is_false(res[0]))
        if tm is None:
            raise vm.order_error(None, a, b)
        res = self.call(tm, a, b)
        return bool(res) and not vm.is_false(res[0])

    def lessthan(self, a: Any, b: Any) -> bool:
        return self._order(a, b, "__lt")

    def lessequal(self, a: Any, b: Any) -> bool:
        return self._order(a, b, "__le")

    def arith(self, event: str, a: Any, b: Any) -> Any:
        """``lua_arith`` for library code (the string metamethods): numbers or
        numeric strings, else the operands' metamethods, else Lua's error."""
        tm_idx = vm.TM_NAMES.index(event)
        r = vm.arith_raw(vm.TM_TO_OP[tm_idx], a, b)
        if r is not None:
            return r
        tm = vm.tm_of(self, a, event) or vm.tm_of(self, b, event)
        if tm is None:
            bad = b if type(a) in (int, float) else a
            what = ("perform bitwise operation on" if tm_idx in vm._BITWISE_TMS
                    else "perform arithmetic on")
            raise LuaError(f"attempt to {what} a {obj_type_name(bad)} value")
        res = self.call(tm, a, b)
        return res[0] if res else None

    def tostring(self, v: Any) -> str:
        """``luaL_tolstring``."""
        tm = vm.tm_of(self, v, "__tostring")
        if tm is not None:
            res = self.call(tm, v)
            s = res[0] if res else None
            s = tolstring(s)
            if s is None:
                raise LuaError("'__tostring' must return a string")
            return s
        s = tolstring(v)
        if s is not None:
            return s
        if v is None:
            return "nil"
        if type(v) is bool:
            return "true" if v else "false"
        name = self.getmetafield(v, "__name")
        kind = name if type(name) is str else type_name(v)
        return f"{kind}: {hex(id(v))}"

    # ------------------------------------------------------------ errors and positions
    def where(self, level: int) -> str:
        """``luaL_where``: position of the function ``level`` levels up from the running
        host function (1: its caller)."""
        n = level
        for fr in reversed(self.current.frames):
            n -= 1
            if n == 0:
                return vm.where(fr)
            if fr.kind == K_PCALL:      # the pcall/xpcall levels below it are C
                n -= len(fr.aux)
                if n <= 0:
                    return ""
        return ""

    def error(self, msg: str, level: int = 1) -> LuaError:
        """A LuaError whose message carries the position ``level`` (``luaL_error``)."""
        return LuaError(self.where(level) + msg)

    def global_name(self, f: Any) -> Optional[str]:
        """``pushglobalfuncname``: "string.rep", "print" ... from package.loaded."""
        loaded = self.registry.get_str("_LOADED")
        if type(loaded) is LuaTable:
            found = _search_loaded(loaded, f)
            if found is not None:
                return found
        return None

    def traceback(self, th: LuaThread, msg: Optional[str] = None, level: int = 1,
                  cfunc: Any = None) -> str:
        """``luaL_traceback`` of ``th`` from ``level`` (frames above are skipped)."""
        entries = []
        levels = self.stack_levels(th)
        if cfunc is not None:           # the host function that raised the error
            levels.insert(0, new_frame(cfunc, K_CMARK))
        for i, fr in enumerate(levels):
            entries.append((fr, levels[i + 1] if i + 1 < len(levels) else None))
            if fr.tailcall:
                entries.append("\n\t(...tail calls...)")
        entries = entries[level - 1:]
        if len(entries) > LEVELS1 + LEVELS2:
            skipped = len(entries) - LEVELS1 - LEVELS2
            entries = (entries[:LEVELS1] + [f"\n\t...\t(skipping {skipped} levels)"]
                       + entries[-LEVELS2:])
        # Only the levels shown are described (a stack overflow has 200 000 of them).
        head = "stack traceback:" if msg is None else msg + "\nstack traceback:"
        return head + "".join(e if type(e) is str else "\n\t" + self._frame_desc(*e)
                              for e in entries)

    def stack_levels(self, th: LuaThread) -> list:
        """The call levels of ``th`` from the innermost out, as Lua counts them: every
        frame, plus a C level for the pcall/xpcall below each protected call."""
        levels = []
        if th is not self.current and th.status == SUSPENDED and th.frames:
            levels.append(new_frame(th.wait.func, K_CMARK))     # the yield it is suspended in
        elif th.status == DEAD and th.error and th.error[1] is not None:
            levels.append(new_frame(th.error[1], K_CMARK))      # what raised its error
        for fr in reversed(th.frames):
            levels.append(fr)
            if fr.kind == K_PCALL:
                levels.extend(new_frame(layer, K_CMARK) for layer in reversed(fr.aux))
        return levels

    def _frame_desc(self, fr: Frame, caller: Optional[Frame]) -> str:
        """A traceback line (``pushfuncname``): a global name first, else the name the
        call site gives, else the main chunk or the function's position."""
        if fr.proto is None or fr.func is vm.TRAMPOLINE:
            f = fr.func if fr.func is not None else _called_function(caller)
            gname = self.global_name(f) if f is not None else None
            if gname:
                return f"[C]: in function '{gname}'"
            kind, name = call_name(fr, caller)
            return f"[C]: in {kind} '{name}'" if kind else "[C]: in ?"
        p = fr.proto
        line = vm.current_line(fr)
        src = chunkid(p.source)
        head = f"{src}:{line}:" if line >= 0 else f"{src}:"
        gname = self.global_name(fr.func)
        if gname:
            return f"{head} in function '{gname}'"
        kind, name = call_name(fr, caller)
        if kind:
            return f"{head} in {kind} '{name}'"
        if p.linedefined == 0:
            return f"{head} in main chunk"
        return f"{head} in function <{src}:{p.linedefined}>"

    # ------------------------------------------------------------ loading
    def load(self, chunk: str, chunkname: str, mode: str = "bt", env: Any = _NO_ENV,
             cache: bool = False) -> LuaFunction:
        """Compile a chunk (text or binary) into a function whose ``_ENV`` is ``env``
        (default: the globals). Raises LuaSyntaxError with Lua's message. With
        ``cache`` (files), the compiled chunk cache is used (``chunkcache.py``)."""
        if chunk.startswith("\x1b"):       # Lua decides by the first byte alone
            if "b" not in mode:
                raise LuaSyntaxError(f"attempt to load a binary chunk (mode is '{mode}')")
            from .undump import undump
            proto = undump(chunk, chunkname)
        else:
            if "t" not in mode:
                raise LuaSyntaxError(f"attempt to load a text chunk (mode is '{mode}')")
            def compile_text() -> Any:
                from .compiler import compile_chunk
                from .parser import parse
                return compile_chunk(parse(chunk, chunkname, self.current.nny + 1))
            if cache and chunkcache.enabled():
                proto = chunkcache.load_or_compile(chunk, chunkname, compile_text)
            else:
                proto = compile_text()
        upvals = [Upvalue([self.globals if env is _NO_ENV else env], 0)]
        upvals += [Upvalue([None], 0) for _ in proto.upvalues[1:]]
        return LuaFunction(proto, upvals)


def _c_stdout() -> BinaryIO:
    """fd 1 buffered as C's stdout is (fully, flushed at exit; ``print`` flushes each
    line itself on a terminal), whatever PYTHONUNBUFFERED says."""
    try:
        sys.stdout.flush()
        return io.BufferedWriter(io.FileIO(sys.stdout.fileno(), "w", closefd=False))
    except (AttributeError, OSError, ValueError):    # no real fd 1 (embedded, captured)
        return sys.stdout.buffer


def _isatty(stream: Any) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def call_name(fr: Frame, caller: Optional[Frame]) -> tuple:
    """``funcnamefromcall``: how ``caller`` named the function running in ``fr``."""
    if fr.kind == K_BOUNDARY and fr.aux is HOOK_MARK:
        return "hook", "?"
    if fr.kind == K_BOUNDARY and fr.aux is FINALIZER_MARK:
        return "metamethod", "__gc"
    if caller is None or caller.proto is None or fr.tailcall:
        return None, None
    return funcnamefromcode(caller.proto, caller.pc - 1)


def _called_function(caller: Optional[Frame]) -> Any:
    """The host function a Lua frame is calling: during a CALL (or the iterator call
    of TFORCALL) it is still in register A, where the results will go."""
    if caller is None or caller.proto is None or caller.pc == 0:
        return None
    ins = caller.code[caller.pc - 1]
    op, a = ins.op, ins.a
    if op in (OP_CALL, OP_TAILCALL, OP_TFORCALL):
        return caller.regs[a]
    return None


def _search_loaded(loaded: LuaTable, f: Any) -> Optional[str]:
    entry = loaded.next(None)
    while entry is not None:
        modname, mod = entry
        if type(mod) is LuaTable and type(modname) is str:
            e2 = mod.next(None)
            while e2 is not None:
                k, v = e2
                if v is f and type(k) is str:
                    return k if modname == "_G" else f"{modname}.{k}"
                e2 = mod.next(k)
        entry = loaded.next(modname)
    return None
