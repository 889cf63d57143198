"""The compiled-chunk cache: like ``__pycache__``, a Lua file compiled once is kept as
a binary chunk (``string.dump`` format) in the user's cache folder, keyed by its name,
its text and a fingerprint of the compiler, so the next run of an unchanged file
neither parses it nor imports Lark. ``pylua --no-cache`` or ``PYLUA_NO_CACHE=1`` turns
it off. Any failure to read or write the cache just means compiling as usual."""
from __future__ import annotations

import hashlib
import os
from typing import Callable, Optional

from . import __version__
from .proto import Proto

# Modules whose change changes the bytecode: their sizes and times are in every key.
_COMPILER_MODULES = ("lexer.py", "parser.py", "syntaxcheck.py", "compiler.py", "lcode.py",
                     "opcodes.py", "dump.py", "undump.py")
_fingerprint: Optional[str] = None


def enabled() -> bool:
    return not os.environ.get("PYLUA_NO_CACHE")


def disable() -> None:
    """``--no-cache``: for this process and the ones it starts."""
    os.environ["PYLUA_NO_CACHE"] = "1"


def _compiler_fingerprint() -> str:
    global _fingerprint
    if _fingerprint is None:
        here = os.path.dirname(os.path.abspath(__file__))
        parts = [__version__]
        for name in _COMPILER_MODULES:
            try:
                st = os.stat(os.path.join(here, name))
                parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
            except OSError:             # a compiled build: the version decides
                parts.append(name)
        _fingerprint = "|".join(parts)
    return _fingerprint


def _path(text: str, chunkname: str) -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    key = hashlib.sha256("\0".join((_compiler_fingerprint(), chunkname, text))
                         .encode("latin-1", "replace")).hexdigest()
    return os.path.join(base, "pylua", "chunks", key[:2], key + ".luac")


def load_or_compile(text: str, chunkname: str, compile_text: Callable[[], Proto]) -> Proto:
    """The prototype of a file chunk, from the cache when its entry is there."""
    from .undump import undump
    path = _path(text, chunkname)
    try:
        with open(path, "rb") as fh:
            return undump(fh.read().decode("latin-1"), chunkname)
    except Exception:       # absent, unreadable or damaged: compile it
        pass
    proto = compile_text()
    try:
        from .dump import dump
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(dump(proto, False).encode("latin-1"))
        os.replace(tmp, path)         # atomic: concurrent runs never see half a file
    except Exception:       # a read-only or full disk costs only the cache
        pass
    return proto
