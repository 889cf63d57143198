"""The compiled-chunk cache: like ``__pycache__``, a Lua file compiled once is kept as
a binary chunk (``string.dump`` format) in the user's cache folder, so the next run of
an unchanged file neither parses it nor imports Lark. ``pylua --no-cache`` or
``PYLUA_NO_CACHE=1`` turns it off. Any failure to read or write the cache just means
compiling as usual.

Each chunk name has one entry (a changed file replaces its entry instead of adding
one). The entry starts with the compiler's fingerprint, the name and the whole source
text; it is used only when all three equal the current ones, so a stale or clashing
entry is never trusted. Comparing the text costs less than hashing it (and hashlib
alone would add a few milliseconds to every start)."""
from __future__ import annotations

import os

from . import __version__

# Modules whose change changes the bytecode: their sizes and times are in every key.
_COMPILER_MODULES = ("lexer.py", "parser.py", "syntaxcheck.py", "compiler.py", "lcode.py",
                     "opcodes.py", "dump.py", "undump.py")
_fingerprint = None


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


def cache_dir() -> str:
    """The user's cache folder for pylua (compiled chunks, the parser's tables)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "pylua")


def _path(chunkname: str) -> str:
    """The entry's file: named by the FNV-1a hash (64 bits) of the chunk name."""
    h = 0xcbf29ce484222325
    for c in map(ord, chunkname):
        h = ((h ^ c) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    key = f"{h:016x}"
    return os.path.join(cache_dir(), "chunks", key[:2], key + ".luac")


def load_or_compile(text: str, chunkname: str, compile_text):
    """The prototype (``Proto``) of a file chunk, from the cache when its entry is
    there; else ``compile_text()``, whose result is then stored."""
    from .undump import undump
    path = _path(chunkname)
    header = f"{_compiler_fingerprint()}\0{chunkname}\0{len(text)}\0{text}"
    try:
        with open(path, "rb") as fh:
            entry = fh.read().decode("latin-1")
        if entry.startswith(header):
            return undump(entry[len(header):], chunkname)
    except Exception:       # absent, unreadable or damaged: compile it
        pass
    proto = compile_text()
    from .dump import dump
    try:
        entry = (header + dump(proto, False)).encode("latin-1")
    except UnicodeEncodeError:      # a name beyond Lua's bytes: not worth an entry
        return proto
    store(path, entry)
    return proto


def store(path: str, data: bytes) -> None:
    """Write a cache file. Atomic: concurrent runs never see half a file. A
    read-only or full disk costs only the cache."""
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        pass
