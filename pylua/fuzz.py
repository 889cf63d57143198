"""``pylua fuzz``: differential fuzzing of pylua against a reference Lua.

    pylua fuzz [--against lua5.4|lupa|COMMAND] [--examples N] [--seed S]

Programs from ``pylua.testing.lua_programs()`` run under pylua (in this process,
a fresh ``LuaState`` each) and under the reference: a command given the program
on stdin (``lua5.4 -``), or ``lupa`` (its embedded Lua 5.4.8, in this process).
What must agree: stdout, byte for byte, and how the program ended (the uncaught
error's message, without the traceback).  On a difference hypothesis shrinks the
program; the smallest one is printed with both outcomes and the exit status is 1.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from typing import Callable, Optional, Protocol, TextIO

from . import limits
from .errors import LuaError
from .limits import LuaLimitError

PROGRAM_TIMEOUT = 20.0          # seconds a generated program may run (they take milliseconds)
CHUNKNAME = "=stdin"            # what ``lua -`` names the program: "stdin:3: ..." in messages
RECURSION_LIMIT = 20000         # the compiler raises it that far: hypothesis wants it set before
PROGRESS_INTERVAL = 5.0         # seconds between progress lines on stderr
TRACEBACK = "\nstack traceback:\n"
PROGNAME_PREFIX = re.compile(r"^[^\n]*?: ")     # "lua5.4: " before lua.c's error report


@dataclass(frozen=True)
class Outcome:
    """What a program did: its stdout and, if it failed, the error message."""

    stdout: bytes
    error: Optional[str] = None         # None: it ran to the end (exit status 0)
    timed_out: bool = False

    def describe(self) -> str:
        text = self.stdout.decode("latin-1")
        if self.timed_out:
            end = f"did not finish within {PROGRAM_TIMEOUT:g} s"
        elif self.error is None:
            end = "exit status 0"
        else:
            end = f"exit status 1, error: {self.error}"
        return f"{text}{'' if not text or text.endswith(chr(10)) else chr(10)}-- {end}"


class Reference(Protocol):
    name: str

    def run(self, source: str) -> Outcome: ...


# ---------------------------------------------------------------- pylua

class _Runaway(BaseException):
    """Raised by the timer in the middle of a runaway program (not a LuaError, so
    no pcall of the program catches it)."""


def run_pylua(source: str, timeout: float = PROGRAM_TIMEOUT) -> Outcome:
    """Run ``source`` (characters are bytes) in a fresh ``LuaState``, as ``pylua -``
    would, with its output captured."""
    from .cli import error_message
    from .state import LuaState
    out = io.BytesIO()
    L = LuaState(out, io.BytesIO(), io.BytesIO())
    try:
        with _deadline(timeout):
            try:
                f = L.load(source, CHUNKNAME)
            except LuaError as e:          # lua.c prints the message with %s
                return Outcome(out.getvalue(), str(e.value).split("\0", 1)[0])
            # the compiled VM's loop never lets a signal handler run: the VM's own
            # timeout stops a runaway there (the alarm covers the compiler)
            limits.install(L, timeout=timeout)
            ok, res = L.pcall(f)
            if not ok and isinstance(res, LuaLimitError):
                raise _Runaway
            error = None if ok else error_message(res, L)[0]
            L.close()
            return Outcome(out.getvalue(), error)
    except _Runaway:
        return Outcome(out.getvalue(), None, timed_out=True)
    except Exception as e:      # a pylua bug outside the VM's own net (the compiler...)
        return Outcome(out.getvalue(), f"internal error: {type(e).__name__}: {e}")


class _deadline:
    """Interrupt the code inside after ``seconds`` (SIGALRM; main thread only,
    elsewhere there is no guard)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = threading.current_thread() is threading.main_thread() \
            and hasattr(signal, "setitimer")

    def __enter__(self) -> None:
        if self.armed:
            self.previous = signal.signal(signal.SIGALRM, self._expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)

    @staticmethod
    def _expire(signum, frame) -> None:
        raise _Runaway()


# ---------------------------------------------------------------- references

class CommandReference:
    """A stand-alone interpreter like ``lua5.4``, given the program on stdin."""

    def __init__(self, command: str) -> None:
        path = shutil.which(command)
        if path is None:
            raise FuzzSetupError(f"cannot run the reference '{command}': no such command "
                                 "(install it, e.g. 'apt-get install lua5.4', or give its path)")
        self.name = command
        self.argv = [path, "-"]

    def run(self, source: str) -> Outcome:
        try:
            done = subprocess.run(self.argv, input=source.encode("latin-1"), capture_output=True,
                                  timeout=PROGRAM_TIMEOUT, env={**os.environ, "LC_ALL": "C"})
        except subprocess.TimeoutExpired as e:
            return Outcome(e.stdout or b"", None, timed_out=True)
        if done.returncode == 0:
            return Outcome(done.stdout)
        report = done.stderr.decode("latin-1")
        if not report:
            return Outcome(done.stdout, f"(no message; exit status {done.returncode})")
        message = PROGNAME_PREFIX.sub("", report, count=1)
        if TRACEBACK in message:
            message = message.split(TRACEBACK, 1)[0]
        elif message.endswith("\n"):           # lua.c ends its report with one
            message = message[:-1]
        return Outcome(done.stdout, message)


LUPA_DRIVER = r"""
local source = ...
python = nil
local function message(msg)  -- lua.c's msghandler; it prints the message with %s
  if type(msg) == "string" or type(msg) == "number" then return (tostring(msg):match("^%Z*")) end
  local mt = debug.getmetatable(msg)
  local tostr = mt and mt.__tostring
  if tostr then
    local s = tostr(msg)
    if type(s) == "string" then return (s:match("^%Z*")) end
  end
  return string.format("(error object is a %s value)", type(msg))
end
local f, err = load(source, "=stdin")
if not f then return (err:match("^%Z*")) end
local ok, msg = xpcall(f, message)
io.stdout:flush()
if not ok then return msg end
"""


class LupaReference:
    """lupa's embedded Lua 5.4.8, in this process (its stdout is fd 1, redirected
    to a file while a program runs)."""

    name = "lupa"

    def __init__(self) -> None:
        try:
            import lupa.lua54
        except ImportError as e:
            raise FuzzSetupError("--against lupa needs lupa: pip install lupa") from e
        self.lua54 = lupa.lua54
        self.capture = tempfile.TemporaryFile()

    def run(self, source: str) -> Outcome:
        runtime = self.lua54.LuaRuntime(encoding=None)
        driver = runtime.execute("return function(...) " + LUPA_DRIVER + " end")
        sys.stdout.flush()
        saved = os.dup(1)
        self.capture.seek(0)
        self.capture.truncate()
        os.dup2(self.capture.fileno(), 1)
        try:
            error = driver(source.encode("latin-1"))
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        self.capture.seek(0)
        return Outcome(self.capture.read(), None if error is None else error.decode("latin-1"))


class FuzzSetupError(Exception):
    """The fuzzer cannot start (a missing reference or hypothesis)."""


def reference_for(against: str) -> Reference:
    return LupaReference() if against == "lupa" else CommandReference(against)


# ---------------------------------------------------------------- the campaign

@dataclass
class Difference(Exception):
    source: str
    mine: Outcome
    theirs: Outcome


@dataclass
class FuzzResult:
    programs: int               # programs run, shrinking included
    seconds: float
    difference: Optional[Difference] = None


def fuzz(reference: Reference, examples: int, seed: int,
         progress: Optional[Callable[[int, float], None]] = None,
         max_statements: int = 30) -> FuzzResult:
    """Run ``examples`` generated programs under pylua and ``reference``; stop at the
    first difference and shrink it (hypothesis).  Reproducible for a given seed."""
    try:
        import hypothesis
        from hypothesis import HealthCheck, Phase, Verbosity, given, settings
    except ImportError as e:
        raise FuzzSetupError("pylua fuzz needs hypothesis: pip install hypothesis") from e
    from .testing import lua_programs

    start = time.monotonic()
    count = 0
    last_report = start

    @hypothesis.seed(seed)
    @settings(max_examples=examples, database=None, deadline=None, derandomize=False,
              suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet,
              phases=[Phase.generate, Phase.shrink], report_multiple_bugs=False)
    @given(lua_programs(max_statements))
    def check(source: str) -> None:
        nonlocal count, last_report
        count += 1
        mine, theirs = run_pylua(source), reference.run(source)
        now = time.monotonic()
        if progress is not None and now - last_report >= PROGRESS_INTERVAL:
            last_report = now
            progress(count, now - start)
        if mine != theirs:
            raise Difference(source, mine, theirs)

    try:
        check()
    except Difference as d:
        return FuzzResult(count, time.monotonic() - start, d)
    return FuzzResult(count, time.monotonic() - start)


def format_difference(d: Difference, reference: str) -> str:
    return (f"-- program ({len(d.source.splitlines())} lines, the first "
            f"{_prelude_lines()} are the prelude of pylua.testing):\n"
            f"{d.source.rstrip(chr(10))}\n"
            f"-- pylua:\n{d.mine.describe()}\n"
            f"-- {reference}:\n{d.theirs.describe()}\n")


def _prelude_lines() -> int:
    from .testing import PRELUDE
    return PRELUDE.count("\n")


def main(argv: list[str], stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    parser = argparse.ArgumentParser(
        prog="pylua fuzz", description="Run generated Lua programs under pylua and a reference "
        "Lua and compare their output; on a difference, print the smallest program that shows it.")
    parser.add_argument("--against", default="lua5.4", metavar="REF",
                        help="the reference: a command run as 'REF -' (default lua5.4), "
                             "or 'lupa' for lupa's embedded Lua 5.4.8")
    parser.add_argument("--examples", type=int, default=1000, metavar="N",
                        help="programs to generate (default 1000)")
    parser.add_argument("--seed", type=int, default=None, metavar="S",
                        help="make the run reproducible (default: a random seed, printed)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))
    try:
        reference = reference_for(args.against)
        stderr.write(f"pylua fuzz: {args.examples} programs against {reference.name}, "
                     f"seed {seed}\n")
        report = None if args.quiet else (lambda n, s: stderr.write(
            f"pylua fuzz: {n} programs, {n / s:.1f}/s\n"))
        result = fuzz(reference, args.examples, seed, report)
    except FuzzSetupError as e:
        stderr.write(f"pylua fuzz: {e}\n")
        return 2
    rate = result.programs / result.seconds if result.seconds else 0.0
    summary = (f"{result.programs} programs in {result.seconds:.1f} s ({rate:.1f}/s), "
               f"seed {seed}")
    if result.difference is None:
        stderr.write(f"pylua fuzz: no difference: {summary}\n")
        return 0
    stdout.write(format_difference(result.difference, reference.name))
    stderr.write(f"pylua fuzz: DIFFERENCE found and shrunk: {summary}\n")
    return 1
