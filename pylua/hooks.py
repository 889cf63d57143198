"""Debug hooks (ldo.c ``luaD_hook``/``luaD_hookcall``/``rethook`` and ldebug.c
``luaG_traceexec``): call, return, line and count events, per thread.

The dispatch loop tests one local flag per instruction (the thread's ``hookmask``,
reloaded whenever the running frame or thread changes); everything else happens
here, only while some hook is set.
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Any, Optional

from .debuginfo import line_at
from .frame import K_CMARK, Frame, LuaThread, new_frame

MASK_CALL, MASK_RET, MASK_LINE, MASK_COUNT = 1, 2, 4, 8
HOOK_MARK = "hook"   # aux of the frame of a running hook: debug.getinfo names it "hook"


def make_mask(smask: str, count: int) -> int:
    mask = 0
    if "c" in smask:
        mask |= MASK_CALL
    if "r" in smask:
        mask |= MASK_RET
    if "l" in smask:
        mask |= MASK_LINE
    if count > 0:
        mask |= MASK_COUNT
    return mask


def mask_string(mask: int) -> str:
    return ("c" if mask & MASK_CALL else "") + ("r" if mask & MASK_RET else "") + \
           ("l" if mask & MASK_LINE else "")


def set_hook(th: LuaThread, fn: Any, mask: int, count: int) -> None:
    """``lua_sethook``."""
    if fn is None or mask == 0:
        fn, mask, count = None, 0, 0
    th.hook = fn
    th.hookmask = mask
    th.basehookcount = count
    th.hookcount = count


def run_hook(L, th: LuaThread, event: str, line: Optional[int] = None,
             transfer: tuple = (0, 0)) -> None:
    """``luaD_hook``: call the thread's hook with hooks off while it runs.
    ``transfer`` (first local, count) says where the values passed by this call or
    return are, for ``debug.getinfo(2, "r")`` inside the hook."""
    if not th.allowhook or th.hook is None:
        return
    th.allowhook = False
    hooked = th.frames[-1]
    saved, th.transfer = th.transfer, (hooked, transfer)
    try:
        L.call_hook(th.hook, event, line)
    finally:
        th.allowhook = True
        th.transfer = saved


def hook_call(L, th: LuaThread, fr: Frame) -> None:
    """A Lua function starts (``luaD_hookcall``); vararg functions report it from
    their VARARGPREP, as C Lua does."""
    th.oldpc = 0
    if th.hookmask & MASK_CALL:
        run_hook(L, th, "tail call" if fr.tailcall else "call", None,
                 (1, fr.proto.numparams))


def hook_return(L, th: LuaThread, fr: Frame, first: int, nres: int) -> None:
    """``rethook``: report the return while ``fr`` is still on top (its results are
    its locals ``first``.. ``first+nres-1``), then make the caller's next line event
    relative to its call instruction."""
    if th.hookmask & MASK_RET:
        run_hook(L, th, "return", None, (first, nres))
    frames = th.frames
    if len(frames) >= 2 and frames[-2].proto is not None:
        th.oldpc = frames[-2].pc - 1


def trace_exec(L, th: LuaThread, fr: Frame, pc: int) -> None:
    """``luaG_traceexec`` before instruction ``pc`` of ``fr`` (whose ``pc`` is saved)."""
    mask = th.hookmask
    if not mask & (MASK_LINE | MASK_COUNT):
        return
    # While a hook runs its instructions still count and move oldpc; only the hook
    # calls are suppressed (run_hook checks allowhook), as in C Lua.
    if pc == 0 and fr.proto.is_vararg:     # tracing starts after VARARGPREP
        return
    if mask & MASK_COUNT:
        th.hookcount -= 1
        if th.hookcount == 0:
            th.hookcount = th.basehookcount
            run_hook(L, th, "count")
    if mask & MASK_LINE:
        p = fr.proto
        oldpc = th.oldpc if th.oldpc < len(p.code) else 0
        if pc <= oldpc or line_at(p, oldpc) != line_at(p, pc):
            line = line_at(p, pc)
            run_hook(L, th, "line", line if line >= 0 else None)    # stripped: nil
        th.oldpc = pc


def c_event(L, th: LuaThread, f: Any, event: str, args: tuple = (), res: tuple = ()) -> None:
    """Report ``event`` of host function ``f`` with a frame for it on the stack (only
    while the hook runs: during its body a host function is level 0, frameless);
    its arguments, then its results, are that frame's C temporaries."""
    if event == "call" and not th.hookmask & MASK_CALL:
        return
    marker = new_frame(f, K_CMARK)
    marker.regs = list(args) + list(res)
    th.frames.append(marker)
    try:
        if event == "call":
            run_hook(L, th, "call", None, (1, len(args)))
        else:
            hook_return(L, th, marker, len(args) + 1, len(res))
    finally:
        th.frames.remove(marker)


def call_builtin_hooked(L, th: LuaThread, f: Any, args, run) -> Any:
    """Run host function ``f`` on ``args`` (``run(args)``) reporting its call and
    return."""
    args = tuple(args)
    c_event(L, th, f, "call", args)
    res = run(args)
    if th.hookmask:
        c_event(L, th, f, "return", args, tuple(res))
    return res
