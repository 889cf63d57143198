"""Build script: pylua's hot modules compiled by Cython in pure-Python mode.

The modules of COMPILED_MODULES are ordinary Python files; a ``.pxd`` beside one
(``vm.pxd`` for ``vm.py``) gives Cython its C types.  They are compiled all or none,
since their .pxd files cimport one another (a compiled ``objects`` needs the
compiled ``Proto`` type).  Where they cannot be compiled (Cython or a C compiler
missing, a compile error) the build says so in its log and installs them as the
pure Python they are.  ``PYLUA_NO_COMPILE=1`` skips the compilation on purpose
(quick development installs).

Each build writes RECORD, a list of the modules it compiled with the size,
modification time and CRC-32 of the source each was compiled from; at import
``pylua/__init__.py`` runs a compiled module only while its source still matches.
Everything else (metadata, packages) is in pyproject.toml.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import zlib

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.errors import CCompilerError, CompileError, ExecError, PlatformError

# The modules compiled by Cython: the VM, the table, the call/return path and the
# hottest library functions.  The rest of pylua stays pure Python in every build.
COMPILED_MODULES = [
    "pylua/vm.py", "pylua/frame.py", "pylua/table.py", "pylua/objects.py",
    "pylua/proto.py", "pylua/number.py", "pylua/state.py", "pylua/gc.py",
    "pylua/lauxlib.py", "pylua/lib/baselib.py", "pylua/lib/mathlib.py", "pylua/lib/lpattern.py", "pylua/lib/strformat.py", "pylua/lib/strlib.py",
    "pylua/lib/tablib.py",
]
RECORD = "compiled.txt"  # in the pylua package, beside the compiled modules

# Our type hints are documentation: ``-> float`` must not become a C double.
# C types come only from the .pxd files.  (binding=False measured no faster on
# fib/calls/oop, so functions keep Cython's introspectable default.)
COMPILER_DIRECTIVES = {"language_level": 3, "annotation_typing": False}

COMPILER_FAILURES = (CCompilerError, CompileError, ExecError, PlatformError)


def warn(message: str) -> None:
    print(f"pylua: {message}", file=sys.stderr, flush=True)


def module_name(path: str) -> str:
    return path[:-len(".py")].replace("/", ".")


def record_line(name: str, source: str) -> str:
    """``name size mtime_ns crc32`` of the source compiled as module `name`."""
    with open(source, "rb") as f:
        data = f.read()
    return f"{name} {len(data)} {os.stat(source).st_mtime_ns} {zlib.crc32(data):08x}\n"


class optional_build_ext(build_ext):
    """Compiles every module or, when one of them fails, none."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if self.parallel is None:
            self.parallel = True        # one compiler process per core

    def run(self) -> None:
        self.compiled: list[Extension] = []
        self.failed: list[str] = []
        self.snapshot: dict[str, str] = {}
        if os.environ.get("PYLUA_NO_COMPILE"):
            warn("PYLUA_NO_COMPILE is set: installing the pure-Python modules only")
        else:
            super().run()
        self.write_record()

    def build_extensions(self) -> None:
        problem = self.cannot_compile()
        if problem:
            warn(f"{problem}; installing the pure-Python modules only")
            return
        # Snapshot the sources before Cython reads them: an edit during the build
        # then makes the record older than the module (rebuilt or run as source),
        # never the other way round.
        self.snapshot = {ext.name: record_line(ext.name, ext.sources[0]) for ext in self.extensions}
        if self.compiles_probe(INLINE_ARGS):
            for ext in self.extensions:
                ext.extra_compile_args = ext.extra_compile_args + INLINE_ARGS
        if self.cythonize(self.extensions):
            super().build_extensions()
        if self.failed:
            warn(f"{', '.join(sorted(self.failed))} did not compile;"
                 " installing the pure-Python modules only")
            self.compiled = []      # write_record removes what was built

    def cannot_compile(self) -> str:
        """Why no module can be compiled here, or '' when they can."""
        try:
            import Cython  # noqa: F401  (only its presence matters here)
        except ImportError:
            return "Cython is not installed"
        if not self.compiles_probe([]):
            command = getattr(self.compiler, "compiler_so", ["the compiler"])[0]
            return f"no usable C compiler ({command} cannot compile a test file)"
        return ""

    def compiles_probe(self, extra_args: list[str]) -> bool:
        """Can the compiler build a file including Python.h with these arguments?"""
        with tempfile.TemporaryDirectory() as tmp:
            probe = os.path.join(tmp, "probe.c")
            with open(probe, "w") as f:
                f.write("#include <Python.h>\nint probe(void) { return 0; }\n")
            try:
                self.compiler.compile([probe], output_dir=tmp, include_dirs=self.include_dirs,
                                      extra_postargs=extra_args)
            except COMPILER_FAILURES:
                return False
        return True

    def cythonize(self, extensions: list[Extension]) -> bool:
        """Makes the C files of `extensions`; False when Cython cannot make them all."""
        from Cython.Build import cythonize
        # Cython regenerates a C file when its .py or .pxd changes; setup.py's
        # directives changing must regenerate them all.
        force = any(os.path.exists(c) and _older(c, "setup.py") for c in map(module_c_file, extensions))
        generated = {ext.name: ext for ext in cythonize(
            extensions, compiler_directives=COMPILER_DIRECTIVES, force=force,
            exclude_failures=True, quiet=True, nthreads=os.cpu_count() or 1)}
        for ext in extensions:
            if ext.name in generated:   # keep the Extension setuptools has prepared
                ext.sources, ext.depends = generated[ext.name].sources, generated[ext.name].depends
            else:
                self.failed.append(ext.name)
        return not self.failed

    def build_extension(self, ext: Extension) -> None:
        try:
            if not self.reuse_inplace(ext):
                super().build_extension(ext)
        except COMPILER_FAILURES as e:
            warn(f"compiling {ext.name} failed: {e}")
            self.failed.append(ext.name)
        else:
            self.compiled.append(ext)

    def reuse_inplace(self, ext: Extension) -> bool:
        """An editable install builds in a fresh temporary directory every time:
        reuse the module already in the source tree when it is newer than its C file."""
        if not self.editable_mode:
            return False
        built = self.inplace_path(ext)
        if _older(built, ext.sources[0]):
            return False
        self.mkpath(os.path.dirname(self.get_ext_fullpath(ext.name)))
        shutil.copyfile(built, self.get_ext_fullpath(ext.name))
        return True

    def inplace_path(self, ext: Extension) -> str:
        return os.path.join(os.path.dirname(module_c_file(ext)),
                            os.path.basename(self.get_ext_filename(ext.name)))

    def write_record(self) -> None:
        """RECORD beside the compiled modules.  A module not compiled this time
        loses the compiled file an earlier build left: no stale one is installed."""
        inplace = self.inplace or self.editable_mode
        package_dir = "pylua" if inplace else os.path.join(self.build_lib, "pylua")
        os.makedirs(package_dir, exist_ok=True)
        compiled = {ext.name for ext in self.compiled}
        with open(os.path.join(package_dir, RECORD), "w") as f:
            f.write("# modules compiled by setup.py: name, source size, mtime_ns, crc32\n")
            f.writelines(self.snapshot[name] for name in sorted(compiled))
        for ext in EXTENSIONS:
            if ext.name not in compiled:
                leftovers = [os.path.join(self.build_lib, self.get_ext_filename(ext.name))]
                leftovers += [self.inplace_path(ext)] if inplace else []
                for path in filter(os.path.exists, leftovers):
                    os.remove(path)


def module_c_file(ext: Extension) -> str:
    return ext.name.replace(".", "/") + ".c"


def _older(path: str, than: str) -> bool:
    """True when `path` is missing or older than `than`."""
    try:
        return os.stat(path).st_mtime_ns < os.stat(than).st_mtime_ns
    except FileNotFoundError:
        return True


# No debugging information: a quarter less compile time and smaller modules
EXTRA_COMPILE_ARGS = ["-g0"] if os.name == "posix" else []
# gcc's default limits keep Cython's small list-access helpers out of line inside the
# VM's one big loop function; lifting them saves about 10% of the instructions the
# compiled VM executes (callgrind: fib 9%, loops 11%). Used where the compiler takes them.
INLINE_ARGS = ["--param", "max-inline-insns-single=2000", "--param", "large-function-growth=2000",
               "--param", "inline-unit-growth=1000", "--param", "max-inline-insns-auto=200"]

EXTENSIONS = [Extension(module_name(path), [path], optional=True, extra_compile_args=EXTRA_COMPILE_ARGS)
              for path in COMPILED_MODULES]

if __name__ == "__main__":     # as setuptools runs it; tests import COMPILED_MODULES
    setup(ext_modules=EXTENSIONS, cmdclass={"build_ext": optional_build_ext})
