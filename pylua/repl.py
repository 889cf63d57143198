"""The interactive read-eval-print loop (lua.c ``doREPL``) with line editing and a
persistent history (``~/.pylua_history``, or ``$PYLUA_HISTORY``)."""
from __future__ import annotations

import os
import sys

from . import scheduler
from .errors import LuaError, LuaSyntaxError
from .state import LuaState

PROMPT, PROMPT2 = "> ", ">> "
EOF_MARK = "<eof>"


def _setup_history():
    try:
        import readline
    except ImportError:       # no line editing on this platform: plain input()
        return None
    path = os.environ.get("PYLUA_HISTORY", os.path.expanduser("~/.pylua_history"))
    try:
        readline.read_history_file(path)
    except OSError:
        pass
    readline.set_history_length(1000)
    return path


def _save_history(path) -> None:
    if path is None:
        return
    import readline
    try:
        readline.write_history_file(path)
    except OSError:
        pass


def _incomplete(e: LuaSyntaxError) -> bool:
    """A syntax error at the end of input means the statement goes on (lua.c)."""
    return isinstance(e.value, str) and e.value.endswith(EOF_MARK)


def _compile(L: LuaState, lines: list):
    """The chunk for the lines so far: as an expression to print if possible, else as
    statements; None when more lines are needed."""
    text = "\n".join(lines)
    if len(lines) == 1:
        try:
            return L.load("return " + text, "=stdin")
        except LuaSyntaxError:
            pass
    try:
        return L.load(text, "=stdin")
    except LuaSyntaxError as e:
        if _incomplete(e):
            return None
        raise


def _print_results(L: LuaState, results: list) -> None:
    if results:
        printer = L.globals.get_str("print")
        try:
            L.call(printer, *results)
        except LuaError as e:
            _report(L, LuaError(f"error calling 'print' ({e.value})"))


def _report(L: LuaState, e: LuaError) -> None:
    from .cli import _errmsg
    L.stdout.flush()
    L.stderr.write((_errmsg(e, L) + "\n").encode("latin-1", "replace"))
    L.stderr.flush()


def _read(prompt: str):
    try:
        return input(prompt)
    except EOFError:
        return None


def repl(L: LuaState) -> None:
    history = _setup_history()
    try:
        while True:
            line = _read(PROMPT)
            if line is None:
                break
            lines = [line[1:] if line.startswith("=") else line]
            if line.startswith("="):           # Lua 5.1 habit: "=expr"
                lines[0] = "return " + lines[0]
            try:
                f = _compile(L, lines)
                while f is None:
                    more = _read(PROMPT2)
                    if more is None:
                        break
                    lines.append(more)
                    f = _compile(L, lines)
            except LuaSyntaxError as e:
                _report(L, e)
                continue
            if f is None:
                break
            ok, res = scheduler.run_protected(L, f, (), traceback=True)
            if ok:
                _print_results(L, res)
            else:
                _report(L, res)
            L.stdout.flush()
    except KeyboardInterrupt:
        sys.stderr.write("\n")
    finally:
        _save_history(history)
        sys.stdout.write("\n")
