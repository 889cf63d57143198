"""Resource limits of a Lua state: instructions, wall-clock time and memory.

A script nobody has read (an LLM's, a user's) must end with a Lua error when it uses
too much, and leave the host healthy. ``install`` gives a state a ``Limits``
(``L.limits``; None: no limits, and nothing below runs). Where the work is counted:

* **instructions**: the VM's time slice (``vm.time_slice``). Every backward jump
  charges the instructions of the loop body it closes, every call and return one;
  library functions charge the work they do (``charge``: pattern matching, building
  big strings, sorting, moving table elements). ``spent`` adds each slice to
  ``count`` and grants the next one, never beyond the limit, so the hot loop only
  decrements a counter, as it did before limits existed.
* **timeout**: the same checks look at the clock; a Lua thread waiting on an async
  host function or ``task.wait`` is woken at the deadline by ``bounded``, which the
  scheduler awaits instead of the awaitable itself.
* **memory**: the collector's debt (``gc.py``) counts what the VM and the libraries
  allocate (strings before they are built, tables, closures; table slots through
  ``table.grown_slots``). Passing the limit first runs a full cycle, as Lua does,
  then fails with "not enough memory" if the live estimate is still over.

Limits are per ``LuaState``, so they cover every coroutine and task of it, and two
runtimes have separate budgets. Instruction count and deadline start afresh with
each call from the host (``arm``). A limit error (``LuaLimitError``) cannot be caught
by Lua: ``pcall``, ``xpcall``, ``coroutine.resume`` and ``__close`` handlers do not
stop it (no Lua code runs once a limit has passed); it stays *tripped* until the
host call ends, so host code that swallows it cannot let the script go on.
"""
from __future__ import annotations

from time import monotonic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional

from .errors import LuaError

INSTRUCTIONS, TIMEOUT, MEMORY = "instructions", "timeout", "memory"
SLICE_INSTRUCTIONS = 10000  # the VM's time slice (vm.TIME_SLICE)
CHECK_EVERY = 10000         # library charges between looks at the clock
BYTES_PER_INSTRUCTION = 64  # work of one instruction in bytes copied by a library function
SLOT_BYTES = 16             # what one new table slot costs (gc._estimate's array slot)


class LuaLimitError(LuaError):
    """A resource limit ended the script; ``limit`` says which: ``"instructions"``,
    ``"timeout"`` or ``"memory"``. Lua code cannot catch it; to give a script more
    room, raise the limit (``LuaRuntime(max_instructions=..., timeout=...,
    max_memory=...)``, ``--max-instructions``/``--timeout``/``--max-memory``)."""

    def __init__(self, limit: str, message: str) -> None:
        super().__init__(message)
        self.limit = limit
        self.handled = True     # no xpcall message handler sees it


class Limits:
    """The limits of one state and what the running host call has used of them."""

    def __init__(self, L: Any, max_instructions: int = 0, timeout: float = 0.0,
                 max_memory: int = 0) -> None:
        self.L = L
        self.max_instructions = max_instructions    # 0: none
        self.timeout = timeout                      # seconds; 0: none
        self.max_memory = max_memory                # bytes; 0: none
        self.count = 0                  # instructions charged in this host call
        self.checkpoint = 0             # charge() looks at the limits from here on
        self.deadline: Optional[float] = None
        self.tripped: Optional[LuaLimitError] = None
        self.alarm: Any = None          # future set when tripped (wakes bounded waits)
        self.grown_seen = 0             # table.grown_slots() already charged
        self.arm()

    # ------------------------------------------------------------ a host call
    def arm(self) -> None:
        """A call from the host starts: a fresh instruction budget and deadline."""
        self.count = 0
        self.tripped = None
        self.deadline = monotonic() + self.timeout if self.timeout else None
        self.checkpoint = self._next_checkpoint()
        from . import vm
        vm.reset_slice(self._grant())

    def disarm(self) -> None:
        """The host call ended: raise the limit error if one was hit and swallowed (by
        host code, or in a task nobody joined); no deadline while the state is idle."""
        err, self.tripped = self.tripped, None
        self.deadline = None
        self.count = 0
        if err is not None:
            raise err

    # ------------------------------------------------------------ counting
    def spent(self, used: int, fr: Any = None) -> int:
        """The VM used ``used`` instructions since the last slice, running frame ``fr``
        (which positions the error): check the limits and return the next grant."""
        self.count += used
        self.check(fr)
        if self.max_memory:
            self.charge_table_growth()
        return self._grant()

    def charge(self, n: int) -> None:
        """A library function is about to do ``n`` instructions' worth of work."""
        self.count += n
        if self.count >= self.checkpoint:
            self.check(None)

    def charge_bytes(self, n: int) -> None:
        """Work proportional to ``n`` bytes copied or scanned."""
        self.charge(n // BYTES_PER_INSTRUCTION + 1)

    def check(self, fr: Any) -> None:
        if self.tripped is not None:
            raise self.tripped
        if self.max_instructions and self.count > self.max_instructions:
            self.fail(INSTRUCTIONS, f"instruction limit exceeded "
                                    f"({self.max_instructions} instructions)", fr)
        if self.deadline is not None and monotonic() >= self.deadline:
            self.fail(TIMEOUT, self.timeout_message(), fr)
        self.checkpoint = self._next_checkpoint()

    def timeout_message(self) -> str:
        return f"timeout: the script ran longer than {self.timeout:g} s"

    def _next_checkpoint(self) -> int:
        nxt = self.count + CHECK_EVERY
        if self.max_instructions and nxt > self.max_instructions:
            nxt = self.max_instructions + 1
        return nxt

    def _grant(self) -> int:
        if self.max_instructions:
            return max(1, min(SLICE_INSTRUCTIONS, self.max_instructions + 1 - self.count))
        return SLICE_INSTRUCTIONS

    def fail(self, limit: str, message: str, fr: Any = None) -> None:
        """Trip limit ``limit``: raise its error (positioned at frame ``fr``) now and
        at every later check of this host call."""
        if fr is not None and fr.proto is not None:
            from .vm import where
            fr.pc += 1      # the frame stopped before instruction pc: that one is running
            message = where(fr) + message
        err = LuaLimitError(limit, message)
        self.tripped = err
        from . import vm
        vm.reset_slice(0)       # Lua code that gets control back checks at once
        if self.alarm is not None and not self.alarm.done():
            self.alarm.set_result(None)
        raise err

    # ------------------------------------------------------------ memory
    def charge_table_growth(self) -> None:
        """Charge the table slots created since the last look (``table.grown_slots``
        counts them for the whole process: a slot another state made may be charged
        here, which costs at most an early collection, never a false error)."""
        from .table import grown_slots
        grown = grown_slots()
        if grown != self.grown_seen:
            n = (grown - self.grown_seen) * SLOT_BYTES
            self.grown_seen = grown
            if n > 0:
                self.L.gc.allocated(n)

    def out_of_memory(self) -> None:
        self.fail(MEMORY, "not enough memory")

    # ------------------------------------------------------------ waiting
    async def bounded(self, waiting: Any) -> tuple:
        """Await ``waiting`` (a coroutine giving (values, error)) until the deadline or
        until a limit trips elsewhere (another task): then cancel it and give the
        limit error, which the scheduler raises in the waiting Lua thread."""
        if self.tripped is not None:
            waiting.close()
            return None, self.tripped
        import asyncio
        loop = asyncio.get_running_loop()
        if self.alarm is None or self.alarm.done() or self.alarm.get_loop() is not loop:
            self.alarm = loop.create_future()
        task = asyncio.ensure_future(waiting)
        timeout = None if self.deadline is None else max(0.0, self.deadline - monotonic())
        try:
            done, _ = await asyncio.wait((task, self.alarm), timeout=timeout,
                                         return_when=asyncio.FIRST_COMPLETED)
        except BaseException:
            task.cancel()
            raise
        if task in done:
            return task.result()
        task.cancel()
        await asyncio.wait((task,))
        if self.tripped is None:
            self.tripped = LuaLimitError(TIMEOUT, self.timeout_message())
        return None, self.tripped


def install(L: Any, max_instructions: Optional[int] = None, timeout: Optional[float] = None,
            max_memory: Optional[int] = None) -> None:
    """Give state ``L`` these limits (None or 0: none): ``max_instructions`` VM
    instructions per host call, ``timeout`` seconds of wall clock per host call,
    ``max_memory`` bytes for the whole state. No limit at all removes ``L.limits``."""
    for name, v in (("max_instructions", max_instructions), ("timeout", timeout),
                    ("max_memory", max_memory)):
        if v is not None and (not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0):
            raise ValueError(f"{name} must be a number >= 0 (0 or None: no limit), not {v!r}")
    if not (max_instructions or timeout or max_memory):
        L.limits = None
        L.gc.set_memory_limit(0)
        L.charge_steps = None
        return
    lim = Limits(L, int(max_instructions or 0), float(timeout or 0), int(max_memory or 0))
    L.limits = lim
    L.gc.set_memory_limit(lim.max_memory)
    L.charge_steps = lim.charge         # the pattern matcher's hook (lpattern.py)


LIMIT_FLAGS = ("max-instructions", "timeout", "max-memory")     # pylua --FLAG VALUE


def limit_flag(flag: str, text: str) -> float:
    """The value of command-line flag ``flag`` (``--timeout`` ...), a number >= 0."""
    try:
        v = float(text)
    except ValueError:
        v = -1.0
    if not 0 <= v < float("inf"):
        raise ValueError(f"'{flag}' needs a number >= 0 (0: no limit), not '{text}'")
    return int(v) if flag == "--max-instructions" else v


def from_config(L: Any, runtime_config: Any, max_instructions: Optional[int] = None,
                timeout: Optional[float] = None, max_memory_mb: Optional[float] = None) -> None:
    """``install`` with the ``[runtime]`` configuration's values where an argument
    (a command-line flag) is None."""
    if max_instructions is None:
        max_instructions = runtime_config.max_instructions
    if timeout is None:
        timeout = runtime_config.script_timeout_ms / 1000
    if max_memory_mb is None:
        max_memory_mb = runtime_config.max_memory_mb
    install(L, max_instructions, timeout, int(max_memory_mb * 1024 * 1024))


# ------------------------------------------------------------ for library functions

def limits_of(L: Any) -> Optional[Limits]:
    """``L.limits`` of a state; None for a host object that only stands for one."""
    return getattr(L, "limits", None)


def charge(L: Any, n: int) -> None:
    """Charge ``n`` instructions of library work to ``L``'s limits, if any."""
    lim = limits_of(L)
    if lim is not None:
        lim.charge(n)


def reserve(L: Any, nbytes: int) -> None:
    """About to build a string of ``nbytes`` bytes (copying as much): charge the work,
    and the memory before it is allocated, so that a huge string fails with "not
    enough memory" before the host allocates it."""
    L.gc.allocated(nbytes)
    lim = limits_of(L)
    if lim is not None:
        lim.charge_bytes(nbytes)


def assembling(L: Any, nbytes: int) -> None:
    """A string of ``nbytes`` so far is being assembled from pieces the collector
    cannot see (``load`` with a reader function): fail once it alone is over the
    memory limit."""
    lim = limits_of(L)
    if lim is not None and lim.max_memory and nbytes > lim.max_memory:
        lim.out_of_memory()


def reserve_join(L: Any, parts: list) -> None:
    """``reserve`` for ``"".join(parts)``, under limits only (a state without limits
    does not charge these strings to its collector)."""
    if limits_of(L) is not None:
        reserve(L, sum(map(len, parts)))


def is_limit_error(e: BaseException) -> bool:
    return type(e) is LuaLimitError
