"""The ``pylua`` command: a stand-alone Lua like ``lua`` (lua.c).

    pylua [options] [script [args]]

    -e stat   execute string 'stat'
    -i        enter interactive mode after executing 'script'
    -l mod    require library 'mod' into global 'mod' (-l g=mod: into global 'g');
              -l file.lua (an existing .lua file) lists its bytecode like luac -l
    -v        show version information
    -E        ignore environment variables
    -W        turn warnings on
    --config PATH   read the configuration from PATH (else $PYLUA_CONFIG, ./pylua.toml)
    --print-config  show the configuration (secrets hidden) and exit
    --sandbox run untrusted code: no files, processes or environment (pylua.sandbox)
    --        stop handling options
    -         stop handling options and execute stdin
"""
from __future__ import annotations

import gc
import os
import sys

from . import __version__
from . import chunkcache, limits, scheduler
from .config import ConfigError, format_config, load_config
from .errors import LuaError
from .lauxlib import type_name
from .limits import LIMIT_FLAGS, limit_flag
from .state import LuaState
from .table import LuaTable

PROGNAME = "pylua"
USAGE = f"""usage: {PROGNAME} [options] [script [args]]
       {PROGNAME} fuzz [--against lua5.4|lupa|CMD] [--examples N] [--seed S]
       {PROGNAME} mcp-serve [--http PORT] [--host HOST] [--name NAME] tools.lua [args]
Available options are:
  -e stat   execute string 'stat'
  -i        enter interactive mode after executing 'script'
  -l mod    require library 'mod' into global 'mod'
  -l g=mod  require library 'mod' into global 'g'
  -l f.lua  list the bytecode of file 'f.lua' (like luac -l; -ll for more detail)
  -v        show version information
  -E        ignore environment variables
  -W        turn warnings on
  --no-cache  do not use or write the compiled-chunk cache
  --config PATH   read the configuration from PATH (else $PYLUA_CONFIG, ./pylua.toml)
  --print-config  show the configuration (secrets hidden) and exit
  --stream  show agents' replies on stdout as they arrive
  --sandbox run untrusted code: no files, processes or environment
  --max-instructions N  end the script after about N VM instructions
  --timeout SECONDS     end the script after SECONDS of wall-clock time
  --max-memory MB       end the script when it uses more than MB megabytes
  --        stop handling options
  -         stop handling options and execute stdin
"""


class Usage(Exception):
    pass


def version_text() -> str:
    return (f"pylua {__version__} (Lua 5.4 in Python, {_vm_mode()} VM)  "
            f"Copyright (C) 1994-2025 Lua.org, PUC-Rio")


def _vm_mode() -> str:
    from . import compiled_modules
    return "Cython-compiled" if "pylua.vm" in compiled_modules() else "pure-Python"


def error_message(e: LuaError, L: LuaState) -> tuple:
    """lua.c ``msghandler``'s message (via ``__tostring`` if needed) and whether a
    traceback follows it (not after ``__tostring``).  lua.c handles the message as a
    C string: it ends at a zero byte."""
    v = e.value
    if type(v) is not str:
        if type(v) in (int, float):
            v = L.tostring(v)
        elif L.getmetafield(v, "__tostring") is not None:
            try:
                return L.tostring(v).split("\0", 1)[0], False
            except LuaError:
                v = f"(error object is a {type_name(v)} value)"
        else:
            v = f"(error object is a {type_name(v)} value)"
    return v.split("\0", 1)[0], True


def _errmsg(e: LuaError, L: LuaState) -> str:
    """lua.c ``msghandler``: the message and traceback."""
    v, traced = error_message(e, L)
    if not traced:
        return v
    tb = e.traceback or "stack traceback:\n\t[C]: in ?"
    if not tb.endswith("[C]: in ?"):
        tb += "\n\t[C]: in ?"
    return f"{v}\n{tb}"


def report(L: LuaState, e: LuaError) -> None:
    report_plain(L, _errmsg(e, L))


def docall(L: LuaState, f, *args) -> bool:
    ok, res = scheduler.run_protected(L, f, args, traceback=True)
    if not ok:
        report(L, res)
    return ok


def dochunk(L: LuaState, text: str, name: str) -> bool:
    try:
        f = L.load(text, name)
    except LuaError as e:
        report_plain(L, e.value)
        return False
    return docall(L, f)


def report_plain(L: LuaState, msg) -> None:
    L.stdout.flush()
    msg = str(msg).split("\0", 1)[0]           # lua.c prints it with %s
    L.stderr.write(f"{PROGNAME}: {msg}\n".encode("latin-1", "replace"))
    L.stderr.flush()


def create_arg_table(L: LuaState, argv: list[str], script: int) -> None:
    """The global ``arg``: script name at 0, its arguments at 1.., options below 0."""
    t = LuaTable()
    for i, a in enumerate(argv):
        t.set_int(i - script, a)
    L.globals.set_str("arg", t)


def collect_args(argv: list[str]) -> tuple:
    """lua.c ``collectargs``: (script index or None, flags)."""
    flags = {"e": False, "i": False, "v": False, "E": False, "W": False, "no-cache": False,
             "stream": False, "config": None, "print-config": False, "sandbox": False,
             "max-instructions": None, "timeout": None, "max-memory": None}
    i = 1
    while i < len(argv):
        a = argv[i]
        if not a.startswith("-") or a == "-":
            return i, flags
        if a in ("--no-cache", "--stream", "--sandbox"):
            flags[a[2:]] = True
            i += 1
            continue
        if a == "--print-config":
            flags["print-config"] = True
            i += 1
            continue
        if a == "--config":
            if i + 1 >= len(argv):
                raise Usage("'--config' needs argument")
            flags["config"] = argv[i + 1]
            i += 2
            continue
        if a[2:] in LIMIT_FLAGS:
            if i + 1 >= len(argv):
                raise Usage(f"'{a}' needs argument")
            try:
                flags[a[2:]] = limit_flag(a, argv[i + 1])
            except ValueError as e:
                raise Usage(str(e)) from None
            i += 2
            continue
        if a == "--":
            return (i + 1 if i + 1 < len(argv) else None), flags
        opt = a[1:2]
        if opt in ("E", "W", "i", "v") and len(a) == 2:
            flags[opt] = True
            if opt == "i":
                flags["v"] = True
        elif opt in ("e", "l"):
            if opt == "e":
                flags["e"] = True
            if len(a) == 2 or (opt == "l" and a == "-ll"):
                i += 1
                if i >= len(argv) or argv[i].startswith("-"):
                    raise Usage(f"'{a}' needs argument")
        else:
            raise Usage(f"unrecognized option '{a}'")
        i += 1
    return None, flags


def run_args(L: LuaState, argv: list[str], script: int | None) -> bool:
    """lua.c ``runargs``: -e and -l in order."""
    end = script if script is not None else len(argv)
    i = 1
    while i < end:
        a = argv[i]
        if a == "--":
            break
        if a == "--config" or a[2:] in LIMIT_FLAGS:     # long options with a value
            i += 2
            continue
        opt = a[1:2]
        if opt in ("e", "l"):
            full = a == "-ll"
            if len(a) > 2 and not full:
                extra = a[2:]
            else:
                i += 1
                extra = argv[i]
            if opt == "e":
                if not dochunk(L, extra, "=(command line)"):
                    return False
            elif extra.endswith(".lua") and os.path.isfile(extra):
                if not list_bytecode(L, extra, full):
                    return False
            elif not dolibrary(L, extra):
                return False
        i += 1
    return True


def list_bytecode(L: LuaState, path: str, full: bool) -> bool:
    from .lib.baselib import read_source_file
    from .compiler import compile_chunk
    from .listing import list_proto
    from .parser import parse
    try:
        proto = compile_chunk(parse(read_source_file(L, path), "@" + path))
    except LuaError as e:
        report_plain(L, e.value)
        return False
    L.stdout.write(list_proto(proto, full).encode("latin-1"))
    return True


def dolibrary(L: LuaState, spec: str) -> bool:
    name, _, mod = spec.partition("=")
    if not mod:
        mod = name
        name = mod.split("-", 1)[0] if "-" in mod else mod
    req = L.globals.get_str("require")
    ok, res = scheduler.run_protected(L, req, (mod,), traceback=True)
    if not ok:
        report(L, res)
        return False
    L.globals.set_str(name, res[0] if res else None)
    return True


def handle_script(L: LuaState, argv: list[str], script: int) -> bool:
    from .lib.baselib import loadfile
    fname = argv[script]
    if fname == "-" and argv[script - 1] != "--":
        fname = None
    try:
        f = loadfile(L, fname)
    except LuaError as e:
        report_plain(L, e.value)
        return False
    return docall(L, f, *argv[script + 1:])


def handle_luainit(L: LuaState) -> bool:
    for name in ("LUA_INIT_5_4", "LUA_INIT"):
        init = os.environ.get(name)
        if init is not None:
            if init.startswith("@"):
                from .lib.baselib import loadfile
                try:
                    f = loadfile(L, init[1:])
                except LuaError as e:
                    report_plain(L, e.value)
                    return False
                return docall(L, f)
            return dochunk(L, init, "=" + name)
    return True


def new_state() -> LuaState:
    """A state with the standard libraries. Start-up allocates much and frees nothing,
    so Python's cyclic collector is off meanwhile (~2 ms), and what exists then
    (modules, libraries) is frozen: later collections, including the one at exit, no
    longer walk it (~2 ms more)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return LuaState()
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def main(argv: list[str] | None = None) -> int:
    argv = [PROGNAME] + list(sys.argv[1:] if argv is None else argv)
    if argv[1:2] == ["fuzz"]:
        from .fuzz import main as fuzz_main     # imports hypothesis: only when asked
        return fuzz_main(argv[2:])
    if argv[1:2] == ["mcp-serve"]:
        from .llm.mcp_serve import main as mcp_serve_main     # imports mcp: only when asked
        return mcp_serve_main(argv[2:])
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 12000))
    try:
        script, flags = collect_args(argv)
    except Usage as u:
        sys.stderr.write(f"{PROGNAME}: {u}\n{USAGE}")
        return 1
    try:
        config = load_config(flags["config"], {} if flags["E"] else os.environ)
    except ConfigError as e:
        sys.stderr.write(f"{PROGNAME}: {e}\n")
        return 1
    if flags["print-config"]:
        sys.stdout.write(format_config(config))
        return 0
    if flags["no-cache"]:
        chunkcache.disable()
    L = new_state()
    L.config = config
    if flags["E"]:
        from .lib import loadlib
        L.registry.get_str("_LOADED").set_str("package", loadlib.open(L, ignore_env=True))
        L.globals.set_str("package", L.registry.get_str("_LOADED").get_str("package"))
    if flags["W"]:
        L.warnings_on = True
    if flags["sandbox"] or config.security.sandbox_mode:
        from .sandbox import make_sandbox
        try:
            make_sandbox(L, config.security)
        except ConfigError as e:
            sys.stderr.write(f"{PROGNAME}: {e}\n")
            return 1
    limits.from_config(L, config.runtime, flags["max-instructions"], flags["timeout"],
                       flags["max-memory"])
    if flags["stream"]:
        from .llm.stream import show_live
        show_live(L)
    create_arg_table(L, argv, script if script is not None else 0)
    try:
        status = _run(L, argv, script, flags)
        L.close()
        return status
    except SystemExit as ex:
        L.stdout.flush()
        code = ex.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except KeyboardInterrupt:
        L.stdout.flush()
        sys.stderr.write(f"{PROGNAME}: interrupted!\n")
        return 130
    except Exception as ex:     # a bug in pylua itself: say so, without a Python traceback
        report_plain(L, f"internal error: {type(ex).__name__}: {ex}\n"
                        "This is a bug in pylua; please report it with the script that "
                        "triggered it (set PYLUA_DEBUG=1 to see the Python traceback).")
        if os.environ.get("PYLUA_DEBUG"):
            raise
        return 1
    finally:
        try:
            L.stdout.flush()
        except (OSError, ValueError):
            pass


def _run(L: LuaState, argv: list[str], script: int | None, flags: dict) -> int:
    if flags["v"]:
        print(version_text(), flush=True)
    if not flags["E"] and not handle_luainit(L):
        return 1
    if not run_args(L, argv, script):
        return 1
    if script is not None and not handle_script(L, argv, script):
        return 1
    if flags["i"]:
        from .repl import repl
        repl(L)
    elif script is None and not flags["e"] and not flags["v"] and not _listing_requested(argv):
        if sys.stdin.isatty():
            print(version_text(), flush=True)
            from .repl import repl
            repl(L)
        else:
            from .lib.baselib import loadfile
            try:
                f = loadfile(L, None)
            except LuaError as e:
                report_plain(L, e.value)
                return 1
            if not docall(L, f):
                return 1
    return 0


def _listing_requested(argv: list[str]) -> bool:
    """True when -l named a Lua file to list (then stdin is not run as a script)."""
    for i, a in enumerate(argv[1:], 1):
        target = argv[i + 1] if a in ("-l", "-ll") and i + 1 < len(argv) else a[2:]
        if a.startswith("-l") and target.endswith(".lua") and os.path.isfile(target):
            return True
    return False
