"""pylua: a Lua 5.4 interpreter written in Python.

One source, two speeds: the hot modules listed in setup.py are compiled by Cython
when the package is built with a C compiler, and the very same ``.py`` files run as
plain Python without one.  Python would always import a compiled module in
preference to its source; the finder below decides instead, for each pylua module:

- ``PYLUA_PURE=1`` in the environment: the ``.py`` source, always;
- otherwise the compiled module, but only while its source is the one it was
  compiled from (the build's record, ``compiled.txt``: size, mtime, CRC-32).  A
  source edited since the build runs as source, with one line on stderr.

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
_runs_compiled = {}                 # module name -> decision, made once per process


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
        source = os.path.join(os.path.dirname(spec.origin), fullname.rpartition(".")[2] + ".py")
        decision = _runs_compiled.get(fullname)
        if decision is None:
            decision = _runs_compiled[fullname] = not _PURE and _is_current(fullname, source)
        if decision:
            return spec
        spec = ModuleSpec(fullname, SourceFileLoader(fullname, source), origin=source)
        spec.has_location = True
        return spec


def _is_current(name: str, source: str) -> bool:
    """Is `source` the file module `name` was compiled from?  Says why not on stderr."""
    entry = _read_record().get(name)
    if entry is not None:
        size, mtime_ns, crc = entry
        st = os.stat(source)
        if st.st_size == size and (st.st_mtime_ns == mtime_ns or _crc32(source) == crc):
            return True
    module = name.replace(".", "/")
    print(f"pylua: compiled {module} is out of date with {os.path.basename(source)};"
          " running the pure-Python source (rebuild with: pip install -e .)",
          file=sys.stderr, flush=True)
    return False


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


def _crc32(path: str) -> int:
    """A wheel's installer sets file times as it likes: then the content decides."""
    import zlib
    with open(path, "rb") as f:
        return zlib.crc32(f.read())


sys.meta_path.insert(0, _SourceOrCompiled)
