"""Call frames and Lua threads (lstate.h's CallInfo and lua_State).

Every Lua thread owns a list of frames; a Lua->Lua call pushes a frame instead of
recursing in Python, so a coroutine switch is just a change of frame list.
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Any, Optional

# What happens to a frame's results when it returns (the continuation of its caller).
K_CALL = 0       # results go to the caller's registers from ret_a, adjusted to nresults
K_BOUNDARY = 1   # results return to the Python code that called execute() (host -> Lua)
K_MM = 2         # first result goes to the caller's register ret_a (metamethod value)
K_COND = 3       # truthiness of the first result decides the caller's conditional jump
K_DISCARD = 4    # results are dropped (__newindex, __close)
K_CONCAT = 5     # first result continues the caller's CONCAT
K_PCALL = 6      # protected call: results prefixed with true; errors stop here
K_COBASE = 7     # body of a coroutine: its end resumes the resumer
K_CMARK = 8      # not a running function: marks host code (a C function) on the stack
K_CLOSE = 9      # a __close handler: afterwards the caller's closing instruction runs again
K_ERRCLOSE = 10  # a __close handler run while a pcall catches an error (aux: vm.ErrorClose)
K_THEN = 11      # results go through the host function below (aux: its continuation)

# Thread status, as coroutine.status names them.
SUSPENDED, RUNNING, NORMAL, DEAD = "suspended", "running", "normal", "dead"

# Lua's stack limit (LUAI_MAXSTACK), in slots of C Lua's stack: a frame's registers start
# where its caller put the function (``Frame.base``), as frames overlap in lua_State.
MAX_STACK_SLOTS = 1_000_000
ERROR_STACK_EXTRA = 200      # slots granted to handle a stack overflow (ERRORSTACKSIZE)
# Nested calls that C Lua makes through the C stack (LUAI_MAXCCALLS): pcall, metamethods,
# host->Lua calls. Deeper is "C stack overflow"; 10% more while handling that error is
# "error in error handling".
MAX_C_CALLS = 200
MAX_C_CALLS_ERR = 220


class Frame:
    """A running function: a Lua closure with its registers, or (``proto`` None) a
    marker for a host function that called back into Lua."""

    __slots__ = ("func", "proto", "code", "regs", "upvals", "varargs", "pc", "top",
                 "ret_a", "nresults", "kind", "aux", "open_upvals", "tbc", "handler",
                 "tailcall", "base")


def new_frame(func: Any, kind: int, ret_a: int = 0, nresults: int = -1,
              regs: Optional[list] = None) -> Frame:
    """A frame for ``func`` whose results go where ``kind`` says (the VM fills in the
    rest for a Lua function). A plain function rather than ``Frame.__init__`` so the
    compiled VM allocates frames without a Python-level call."""
    global free_count
    if free_count:
        free_count -= 1
        fr = FREE_FRAMES[free_count]
    else:
        fr = Frame.__new__(Frame)
    fr.func = func
    fr.proto = None
    fr.code = None
    fr.regs = regs if regs is not None else []
    fr.upvals = None
    fr.varargs = ()
    fr.pc = 0
    fr.top = 0
    fr.ret_a = ret_a
    fr.nresults = nresults
    fr.kind = kind
    fr.aux = None           # continuation data (K_COND: k flag; K_CONCAT: count)
    fr.open_upvals = None
    fr.tbc = None
    fr.handler = None       # xpcall message handler, or the traceback marker
    fr.tailcall = False
    fr.base = 0             # position of the registers on C Lua's stack
    return fr


# Frames that returned and that nothing refers to any more (see ``release_frame``):
# new_frame takes them before allocating, which saves a Python object allocation and
# deallocation per Lua call. A fixed array and a count, as a list used as a stack
# would be reallocated each time it empties and fills again.
MAX_FREE_FRAMES = 64
FREE_FRAMES: list = [None] * MAX_FREE_FRAMES
free_count = 0


def release_frame(fr: Frame) -> None:
    """``fr`` returned and no one keeps it (the VM calls this only for plain Lua calls
    without open upvalues, to-be-closed variables or hooks): keep it for reuse."""
    global free_count
    if free_count < MAX_FREE_FRAMES:
        fr.regs = None      # its values are garbage now
        fr.func = None
        FREE_FRAMES[free_count] = fr
        free_count += 1


class LuaThread:
    """A Lua thread (coroutine): its own frames, status and resume/yield links."""

    __slots__ = ("L", "frames", "status", "resumer", "func", "nny", "nccalls", "cbase", "error", "hook", "hookmask", "basehookcount", "hookcount", "oldpc",
                 "allowhook", "transfer",
                 "in_stack_error",
                 "wait", "wait_layers", "resumed_by_wrap", "results", "is_task", "__weakref__")

    def __init__(self, L: Any, func: Any) -> None:
        self.L = L
        self.frames: list = []
        self.status = SUSPENDED
        self.resumer: Optional[LuaThread] = None   # thread that resumed us (None: host)
        self.func = func                            # body, until the first resume
        self.nny = 0                                # host calls on our stack: no yield
        self.nccalls = 0                            # frames that C Lua nests on the C stack
        self.cbase = 0                              # C levels below us (our resumers')
        self.hook: Any = None                       # debug.sethook state (hooks.py)
        self.hookmask = 0
        self.basehookcount = 0
        self.hookcount = 0
        self.oldpc = 0
        self.allowhook = True
        self.transfer: tuple = (None, (0, 0))       # (frame, (ftransfer, ntransfer)) in a hook
        self.error: Optional[tuple] = None          # (value, raising host function) if it died
        self.in_stack_error = False                 # using the extra slots of a stack overflow
        # While suspended in a call to resume/yield: where its results go in our top frame.
        # While suspended in resume/yield: the continuation that receives the values
        # when it goes on (a marker Frame with the kind, destination and aux of the
        # call), and the pcall layers around a yield (each adds a true).
        self.wait: Optional[Frame] = None
        self.wait_layers = 0
        self.resumed_by_wrap = False                # errors propagate instead of returning
        self.results: Optional[list] = None         # what a K_BOUNDARY frame returned
        self.is_task = False                        # the base of a scheduler task: may wait

    def __repr__(self) -> str:
        return f"<LuaThread {id(self):#x} {self.status}>"
