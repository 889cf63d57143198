"""pylua: a Lua 5.4 interpreter written in Python.

One source, two speeds: the hot modules listed in setup.py are compiled by Cython
when the package is built with a C compiler, and the very same ``.py`` files run as
plain Python without one.  Python would always import a compiled module in
preference to its source; the finder below decides instead, once per process and
for all those modules together (their C types cimport one another):

- ``PYLUA_PURE=1`` in the environment: the ``.py`` sources;
- otherwise the compiled modules, but only while every source is the one it was
  compiled from (the build's record, ``compiled.txt``: size, mtime, CRC-32).  A
  source edited since the build is named on stderr and all run as source.

``compiled_modules()`` tells which modules run compiled.
"""
import os
import sys
from importlib.machinery import ExtensionFileLoader, ModuleSpec, PathFinder, SourceFileLoader

__version__ = "0.1.0"

_HERE = os.path.dirname(os.path.abspath(__file__))
_PURE = os.environ.get("PYLUA_PURE", "") not in ("", "0")
_RECORD = "compiled.txt"            # written by setup.py's build_ext

_record = None                      # module name -> (size, mtime_ns, crc32) of its source
_build_current = None               # do the sources still match the record?


def compiled_modules() -> list:
    """Names of the pylua modules that run compiled in this process."""
    found = []
    for name in _read_record():
        package_path = [os.path.join(_HERE, *name.split(".")[1:-1])]
        spec = _SourceOrCompiled.find_spec(name, package_path)
        if spec is not None and isinstance(spec.loader, ExtensionFileLoader):
            found.append(name)
    return found


class _SourceOrCompiled:
    """``sys.meta_path`` finder of pylua's submodules: where a compiled module
    exists, import it or the source beside it (see the module docstring)."""

    @staticmethod
    def find_spec(fullname, path=None, target=None):
        if not fullname.startswith("pylua."):
            return None
        spec = PathFinder.find_spec(fullname, path)
        if spec is None or not isinstance(spec.loader, ExtensionFileLoader):
            return spec
        if not _PURE and fullname in _read_record() and _is_build_current():
            return spec
        source = _source_path(fullname)
        if not _PURE and fullname not in _read_record():    # left by some other build
            _warn_stale(fullname)
        spec = ModuleSpec(fullname, SourceFileLoader(fullname, source), origin=source)
        spec.has_location = True
        return spec


def _is_build_current() -> bool:
    global _build_current
    if _build_current is None:
        stale = [name for name, entry in _read_record().items() if not _matches(name, entry)]
        for name in stale:
            _warn_stale(name)
        _build_current = not stale
    return _build_current


def _matches(name: str, entry: tuple) -> bool:
    size, mtime_ns, crc = entry
    try:
        st = os.stat(_source_path(name))
    except OSError:
        return False
    return st.st_size == size and (st.st_mtime_ns == mtime_ns or _crc32(name) == crc)


def _warn_stale(name: str) -> None:
    print(f"pylua: compiled {name.replace('.', '/')} is out of date with"
          f" {name.rpartition('.')[2]}.py; running the pure-Python source"
          " (rebuild with: pip install -e .)", file=sys.stderr, flush=True)


def _source_path(name: str) -> str:
    return os.path.join(_HERE, *name.split(".")[1:]) + ".py"


def _read_record() -> dict:
    global _record
    if _record is None:
        try:
            with open(os.path.join(_HERE, _RECORD)) as f:
                lines = [line.split() for line in f if not line.startswith("#")]
        except OSError:
            lines = []
        _record = {name: (int(size), int(mtime_ns), int(crc, 16))
                   for name, size, mtime_ns, crc in lines}
    return _record


def _crc32(name: str) -> int:
    """A wheel's installer sets file times as it likes: then the content decides."""
    import zlib
    with open(_source_path(name), "rb") as f:
        return zlib.crc32(f.read())


sys.meta_path.insert(0, _SourceOrCompiled)


_LAZY_EXPORTS = {"LuaRuntime": "runtime", "LuaError": "errors", "LuaSyntaxError": "errors",
                 "LuaLimitError": "limits"}


def __getattr__(name: str):
    """``pylua.LuaRuntime`` and its errors, imported at first use: a plain
    ``import pylua`` (the CLI's) stays cheap."""
    module = _LAZY_EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pylua' has no attribute {name!r}")
    from importlib import import_module
    return getattr(import_module(f"pylua.{module}"), name)
