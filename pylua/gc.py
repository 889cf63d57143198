"""Garbage-collection semantics (lgc.c) by tracing the Lua heap from its roots.

Python's reference counting frees memory; what it cannot give Lua is *when* a value
is unreachable from Lua's point of view. This collector marks everything reachable
from the roots (registry, metatables of basic types, every thread reachable from
them with its frames), then:

* clears weak-table entries whose key or value was not marked (weak keys follow
  ephemeron rules: a value is reached through a weak-keyed entry only if its key is);
* resurrects unmarked objects that have a pending finalizer and calls their ``__gc``
  in the reverse order in which they were marked for finalization.

Strings, numbers, booleans and host functions are values, not objects: they are
never removed from weak tables. A collection runs on ``collectgarbage`` and, while
weak tables or finalizers exist, automatically as objects are created.
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Any

from .errors import LuaError
from .limits import LuaLimitError
from .opcodes import OP_CALL, OP_TAILCALL
from .frame import LuaThread
from .objects import Builtin, LuaFunction, Special, Upvalue, Userdata
from .table import LuaTable, _BoolKey

_COLLECTABLE = (LuaTable, LuaFunction, Userdata, LuaThread)

# Automatic collection: when the bytes allocated since the last cycle exceed this
# share of what was live then (Lua's default pause is 200%, i.e. twice as much).
PAUSE = 1.0
MIN_DEBT = 256 * 1024
TABLE_BYTES = 64           # what the VM charges for a new table / closure
CLOSURE_BYTES = 48


class Collector:
    def __init__(self, L) -> None:
        self.L = L
        self.finobj: dict = {}          # id -> object marked for finalization, in order
        self.has_weak = False           # some metatable had __mode: cycles matter
        self.debt = 0                   # bytes allocated since the last cycle
        self.threshold = MIN_DEBT
        self.running = True             # collectgarbage "stop"/"restart"
        self.in_finalizer = False
        self.live_estimate = 0          # bytes found by the last cycle
        self.live_frame = None          # the frame allocating (see allocated())
        self.live_limit = 0
        self.memory_limit = 0           # bytes the state may use (limits.py); 0: none

    # ------------------------------------------------------------ bookkeeping
    def set_metatable(self, obj: Any, mt: Any) -> None:
        """``luaC_checkfinalizer``: an object is finalizable if its metatable has
        ``__gc`` when it is set; note weak modes."""
        if mt is None:
            return
        if mt.get_str("__gc") is not None:
            self.finobj.setdefault(id(obj), obj)
        if mt.get_str("__mode") is not None:
            self.has_weak = True

    def allocated(self, n: int, fr: Any = None, live: int = 0) -> None:
        """Charge ``n`` bytes about to be handed to Lua; first run a cycle when the debt
        passes the threshold (only while cycles can matter: weak tables or finalizers),
        since the new object is not reachable from Lua yet. When the VM allocates for
        frame ``fr``, only its registers below ``live`` count as roots (lvm.c's
        ``checkGC(L, ra + 1)``: the slots above are dead temporaries)."""
        if self.debt + n >= self.threshold:
            over = self.memory_limit and self.live_estimate + self.debt + n > self.memory_limit
            if over or (self.running and (self.has_weak or self.finobj)):
                self.live_frame, self.live_limit = fr, live
                try:
                    self.full_cycle()
                finally:
                    self.live_frame = None
                if over and self.live_estimate + n > self.memory_limit:
                    self.L.limits.out_of_memory()
            else:       # nothing to collect yet: look again after MIN_DEBT more bytes
                self.set_threshold(self.debt + n + MIN_DEBT)
        self.debt += n

    def set_threshold(self, debt: int) -> None:
        """Collect when the debt reaches ``debt``, or sooner where the memory limit
        would be passed (then ``allocated`` decides)."""
        if self.memory_limit:
            debt = min(debt, max(0, self.memory_limit - self.live_estimate))
        self.threshold = debt

    def set_memory_limit(self, nbytes: int) -> None:
        """``max_memory`` (limits.py): 0 for none."""
        self.memory_limit = nbytes
        if nbytes and not self.live_estimate:
            marked, _ = self._mark()
            self.live_estimate = _estimate(marked)
        self.set_threshold(max(MIN_DEBT, int(self.live_estimate * PAUSE)))

    # ------------------------------------------------------------ a cycle
    def full_cycle(self) -> None:
        if self.in_finalizer:
            return
        marked, weak = self._mark()
        self._clear_weak(weak, marked, values=True)
        tobefnz = [o for key, o in self.finobj.items() if key not in marked]
        for o in tobefnz:                       # resurrect them for their finalizers
            del self.finobj[id(o)]
            self._mark_from([o], marked, weak)
        self._clear_weak(weak, marked, values=False)
        # atomic(): weak tables first reached while resurrecting lose dead values too.
        self._clear_weak(weak, marked, values=True)
        self.live_estimate = _estimate(marked)
        self.debt = 0
        self.set_threshold(max(MIN_DEBT, int(self.live_estimate * PAUSE)))
        self._finalize(reversed(tobefnz))

    def count_bytes(self) -> int:
        """Bytes in use (``collectgarbage("count")``): what the last cycle found live
        (traced now if none ran yet) plus what was allocated since, garbage included."""
        if not self.live_estimate:
            marked, _ = self._mark()
            self.live_estimate = _estimate(marked)
        return self.live_estimate + self.debt

    def close_state(self) -> None:
        """At exit: call every pending finalizer (``lua_close``)."""
        pending, self.finobj = list(self.finobj.values()), {}
        self._finalize(reversed(pending))

    def _finalize(self, objs) -> None:
        L = self.L
        self.in_finalizer = True
        try:
            for o in objs:
                mt = o.meta
                tm = mt.get_str("__gc") if mt is not None else None
                if tm is None:
                    continue
                try:
                    L.call_finalizer(tm, o)
                except LuaError as e:
                    if type(e) is LuaLimitError:
                        raise
                    L.warn_error("__gc", e.value)
        finally:
            self.in_finalizer = False

    # ------------------------------------------------------------ marking
    def _roots(self) -> list:
        L = self.L
        roots = [L.registry, L.globals, L.string_meta, L.main, L.current]
        roots.extend(L.type_metas.values())
        if L.scheduler is not None:     # threads parked in tasks
            roots.extend(L.scheduler.threads())
        return [r for r in roots if r is not None]

    def _mark(self):
        marked: dict = {}
        weak: list = []
        self._mark_from(self._roots(), marked, weak)
        return marked, weak

    def _mark_from(self, stack: list, marked: dict, weak: list) -> None:
        """Mark everything reachable from ``stack``; ephemeron entries wait until
        their keys are marked."""
        ephemerons: list = []
        while True:
            while stack:
                o = stack.pop()
                if id(o) in marked:
                    continue
                t = type(o)
                if t is Builtin or t is Special:
                    marked[id(o)] = o           # a C closure: its upvalues and data
                    stack.extend(o.upvals)
                    if t is Special and o.data is not None:
                        stack.append(o.data)
                    continue
                if t not in _COLLECTABLE and t is not Upvalue:
                    continue
                marked[id(o)] = o
                if t is LuaTable:
                    self._mark_table(o, stack, weak, ephemerons, marked)
                elif t is LuaFunction:
                    stack.extend(o.upvals)
                elif t is Upvalue:
                    stack.append(o.regs[o.idx])
                elif t is Userdata:
                    if o.meta is not None:
                        stack.append(o.meta)
                    if o.uservalues:
                        stack.extend(o.uservalues)
                    if isinstance(o.value, _COLLECTABLE):
                        stack.append(o.value)
                else:
                    self._mark_thread(o, stack)
            # Ephemerons: values whose keys got marked become reachable.
            progress = False
            for tbl in ephemerons:
                for k, v in _entries(tbl):
                    if _is_obj(v) and id(v) not in marked and (not _is_obj(k) or id(k) in marked):
                        stack.append(v)
                        progress = True
            if not progress:
                return

    def _mark_thread(self, th: LuaThread, stack: list) -> None:
        if th.func is not None:
            stack.append(th.func)
        if th.resumer is not None:
            stack.append(th.resumer)
        for fr in th.frames:
            if fr.func is not None:
                stack.append(fr.func)
            live = self.live_limit if fr is self.live_frame else _live_registers(fr)
            stack.extend(v for v in fr.regs[:live] if _is_obj(v))
            stack.extend(v for v in fr.varargs if _is_obj(v))
            if fr.handler is not None:
                stack.append(fr.handler)

    @staticmethod
    def _mark_table(t: LuaTable, stack: list, weak: list, ephemerons: list, marked: dict) -> None:
        mt = t.meta
        wk = wv = False
        if mt is not None:
            stack.append(mt)
            mode = mt.get_str("__mode")
            if type(mode) is str:
                wk = "k" in mode
                wv = "v" in mode
        if wk or wv:
            weak.append((t, wk, wv))
        if wk and not wv:
            ephemerons.append(t)
        for k, v in _entries(t):
            if not wk and _is_obj(k):
                stack.append(k)
            if not wv and not wk and _is_obj(v):
                stack.append(v)
            elif wk and not wv and _is_obj(v) and not _is_obj(k):
                stack.append(v)

    @staticmethod
    def _clear_weak(weak: list, marked: dict, values: bool) -> None:
        """Drop entries with an unmarked weak value (``values``) or weak key."""
        for t, wk, wv in weak:
            doomed = []
            for k, v in _entries(t):
                if values and wv and _is_obj(v) and id(v) not in marked:
                    doomed.append(k)
                elif not values and wk and _is_obj(k) and id(k) not in marked:
                    doomed.append(k)
                elif not values and wk and not wv and _is_obj(v) and id(v) not in marked:
                    doomed.append(k)
            for k in doomed:
                t.set(k, None)


def _is_obj(v: Any) -> bool:
    """Collectable objects; a host function is one only when it is a closure (C Lua's
    light C functions are plain values)."""
    t = type(v)
    if t is Builtin or t is Special:
        return bool(v.upvals) or (t is Special and v.data is not None)
    return t in _COLLECTABLE


def _entries(t: LuaTable):
    for i, v in enumerate(t.arr, 1):
        if v is not None:
            yield i, v
    for k, v in list(t.hash.items()):
        if v is not None:
            yield (k.value if type(k) is _BoolKey else k), v


def _live_registers(fr) -> int:
    """How many registers of a frame are live: a frame suspended in a call keeps
    only those up to the call's arguments (C Lua clears the stack above its top)."""
    if fr.code is None or fr.pc == 0:
        return len(fr.regs)
    ins = fr.code[fr.pc - 1]
    op, a, b = ins.op, ins.a, ins.b
    if op == OP_CALL or op == OP_TAILCALL:
        return a + b if b else fr.top
    return len(fr.regs)


STRING_HEADER = 24         # bytes C Lua adds to a string's length (TString)


def _estimate(marked: dict) -> int:
    """Bytes the marked objects and the strings they hold would take in C Lua,
    roughly (Table 56 + 16 per array slot + 32 per node, closures, TString ...);
    each string object counts once, wherever it is referenced from."""
    strings: dict = {}

    def note(v: Any) -> None:
        if type(v) is str:
            strings[id(v)] = len(v)

    total = 0
    for o in marked.values():
        t = type(o)
        if t is LuaTable:
            total += 56 + 16 * len(o.arr) + 32 * len(o.hash)
            for k, v in _entries(o):
                note(k)
                note(v)
        elif t is LuaFunction:
            total += 32 + 8 * len(o.upvals)
        elif t is Upvalue:
            total += 40
            note(o.regs[o.idx])
        elif t is LuaThread:
            total += 200
            for fr in o.frames:
                total += 16 * len(fr.regs)
                for v in fr.regs:
                    note(v)
        else:
            total += 40
    return total + sum(STRING_HEADER + n for n in strings.values())
