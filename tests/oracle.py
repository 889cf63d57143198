"""Run Lua programs under pylua and under the reference interpreters, and compare.

Three command lines share one calling convention (``run(interp, args, ...)``):

* ``PYLUA``: ``python -m pylua`` on this checkout (``PYTHONPATH`` points at the repo);
* ``LUA54``: Debian's ``lua5.4`` binary (Lua 5.4.4);
* ``LUPA``: ``tests/lupa_lua.py``, the same command line on lupa's embedded Lua
  5.4.8, the version pylua conforms to.

Error reports are compared after normalising the program name (``lua5.4:``,
``lua:``, ``pylua:`` all become ``lua:``) and, by default, only on their first
line: the ``stack traceback:`` section is compared only where a test asks.

``LuaReference`` is an in-process Lua 5.4.8 for value-level comparisons.  The
``ensure_*`` functions install the oracles when they are missing; tests never skip
for want of one.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
import tarfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

REPO_ROOT = Path(__file__).resolve().parent.parent
TESTS_DIR = REPO_ROOT / "tests"

PYLUA = (sys.executable, "-m", "pylua")
LUA54 = ("lua5.4",)
LUPA = (sys.executable, str(TESTS_DIR / "lupa_lua.py"))

# lupa 2.8 embeds Lua 5.4.8 and its sdist carries 5.4.8's test suite
LUPA_SDIST = "lupa==2.8"

PROGNAME = re.compile(r"^(?:lua5\.4|lua|pylua): ", re.MULTILINE)


@dataclass(frozen=True)
class Result:
    """What a command line did: its output (bytes decoded as latin-1) and status."""

    stdout: str
    stderr: str
    returncode: int
    timed_out: bool = False

    def error_line(self) -> str:
        """The first line of stderr with the program name normalised."""
        return normalize_stderr(self.stderr)

    def observable(self, full_traceback: bool = False) -> dict:
        """The parts two interpreters must agree on."""
        return {
            "stdout": self.stdout,
            "returncode": self.returncode,
            "stderr": normalize_stderr(self.stderr, full_traceback),
            "timed_out": self.timed_out,
        }


def normalize_stderr(text: str, full_traceback: bool = False) -> str:
    """Stderr with ``lua5.4:``/``pylua:`` made ``lua:``; only its first line unless asked."""
    text = PROGNAME.sub("lua: ", text)
    return text if full_traceback else text.split("\n", 1)[0]


def _environment() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUA_")}
    env["LC_ALL"] = "C"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def run(interp: Sequence[str], args: Sequence[str], cwd: Path | str | None = None,
        stdin: bytes = b"", timeout: float = 60) -> Result:
    """Run ``interp args...`` in ``cwd``, feeding ``stdin``; kill it after ``timeout`` s."""
    try:
        proc = subprocess.run([*interp, *args], cwd=cwd, input=stdin, capture_output=True,
                              timeout=timeout, env=_environment())
    except subprocess.TimeoutExpired as exc:
        return Result((exc.stdout or b"").decode("latin-1"),
                      (exc.stderr or b"").decode("latin-1"), -9, timed_out=True)
    return Result(proc.stdout.decode("latin-1"), proc.stderr.decode("latin-1"), proc.returncode)


def run_file(interp: Sequence[str], script: Path, workdir: Path, args: Sequence[str] = (),
             stdin: bytes = b"", timeout: float = 60) -> Result:
    """Copy ``script`` into the fresh directory ``workdir`` and run it there by its bare
    name, so that chunk names (``name.lua:3:``) and files it creates are the same for
    every interpreter."""
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(script, workdir / script.name)
    return run(interp, [script.name, *args], cwd=workdir, stdin=stdin, timeout=timeout)


def run_source(interp: Sequence[str], source: str, workdir: Path, name: str = "main.lua",
               args: Sequence[str] = (), stdin: bytes = b"", timeout: float = 60) -> Result:
    """Write ``source`` (a byte string as latin-1 ``str``) to ``workdir/name`` and run it."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / name).write_bytes(source.encode("latin-1"))
    return run(interp, [name, *args], cwd=workdir, stdin=stdin, timeout=timeout)


# ---------------------------------------------------------------- value level

class LuaReferenceError(Exception):
    """A Lua error raised by the reference interpreter; ``value`` is the error object."""

    def __init__(self, value: Any) -> None:
        super().__init__(value)
        self.value = value


class LuaReference:
    """Lua 5.4.8 in-process (lupa) with values converted to pylua's representation:
    strings become latin-1 ``str``, tables become ``dict`` (recursively), functions
    stay lupa objects."""

    def __init__(self) -> None:
        import lupa.lua54
        self.lupa = lupa.lua54
        self.runtime = lupa.lua54.LuaRuntime(encoding=None, register_eval=False,
                                             register_builtins=False)
        self._address = self.runtime.eval("function(t) return string.format('%p', t) end")
        self._pcall = self.runtime.eval(
            "function(code, name) "
            "  local f, err = load(code, name) "
            "  if not f then return table.pack(false, err) end "
            "  return table.pack(pcall(f)) "
            "end")

    def results(self, code: str, chunkname: str = "=(load)") -> list:
        """All values returned by the chunk ``code``; raises ``LuaReferenceError``."""
        packed = self._pcall(code.encode("latin-1"), chunkname.encode("latin-1"))
        values = [self.to_python(packed[i]) for i in range(1, packed[b"n"] + 1)]
        if not values[0]:
            raise LuaReferenceError(values[1])
        return values[1:]

    def eval(self, expression: str) -> Any:
        """The first value of ``return <expression>`` (``None`` if there is none)."""
        values = self.results("return " + expression)
        return values[0] if values else None

    def error(self, code: str, chunkname: str = "=(load)") -> Any:
        """The error value raised by the chunk ``code``; fails if it runs without one."""
        try:
            values = self.results(code, chunkname)
        except LuaReferenceError as exc:
            return exc.value
        raise AssertionError(f"no error from the reference; results: {values!r}")

    def to_python(self, value: Any, seen: dict | None = None) -> Any:
        if isinstance(value, bytes):
            return value.decode("latin-1")
        if self.lupa.lua_type(value) != "table":
            return value
        seen = {} if seen is None else seen
        address = self._address(value)  # lupa wraps a table anew at each access
        if address in seen:
            return seen[address]
        out: dict = {}
        seen[address] = out
        for k, v in value.items():
            out[self.to_python(k, seen)] = self.to_python(v, seen)
        return out


# ---------------------------------------------------------------- installing oracles

@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Serialise installs and downloads between pytest-xdist workers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_lua54() -> str:
    """Path of ``lua5.4``, installing Debian's package first if it is missing."""
    found = shutil.which("lua5.4")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*sudo, "apt-get", "update"], check=True, env=env, stdin=subprocess.DEVNULL)
    subprocess.run([*sudo, "apt-get", "install", "-y", "lua5.4"], check=True, env=env,
                   stdin=subprocess.DEVNULL)
    found = shutil.which("lua5.4")
    assert found, "lua5.4 is still missing after apt-get install"
    return found


def ensure_lupa() -> None:
    """Make ``import lupa.lua54`` work, installing lupa with pip if needed."""
    try:
        import lupa.lua54  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", LUPA_SDIST], check=True,
                       stdin=subprocess.DEVNULL)
        import lupa.lua54  # noqa: F401


# ---------------------------------------------------------------- the official suite

TESTES_MEMBER = "third-party/lua54/testes/"
CACHE_DIR = Path(os.environ.get("PYLUA_TESTES_CACHE",
                                Path.home() / ".cache" / "pylua-testes"))


def fetch_testes(cache: Path = CACHE_DIR) -> Path:
    """Directory holding Lua 5.4.8's ``testes/``, taken from lupa's source
    distribution and unpacked into ``cache`` (outside the repo) once."""
    target = cache / "lua-5.4.8" / "testes"
    done = target / ".complete"
    if done.exists():
        return target
    with _locked(cache / ".lock"):
        if done.exists():
            return target
        sdist_dir = cache / "sdist"
        sdists = sorted(sdist_dir.glob("lupa-*.tar.gz"))
        if not sdists:
            download = subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                 "--no-binary", ":all:", LUPA_SDIST, "-d", str(sdist_dir)],
                capture_output=True, text=True, stdin=subprocess.DEVNULL,
                # preparing the sdist's metadata would otherwise build LuaJIT
                env=dict(os.environ, LUPA_NO_LUAJIT="true"))
            assert download.returncode == 0, "pip download failed:\n" + download.stderr
            sdists = sorted(sdist_dir.glob("lupa-*.tar.gz"))
        staging = cache / "staging"
        shutil.rmtree(staging, ignore_errors=True)
        _extract_testes(sdists[-1], staging)
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(target)
        done.touch()
    return target


def _extract_testes(sdist: Path, dest: Path) -> None:
    """Unpack the ``testes/`` tree of the sdist into ``dest`` after checking that the
    bundled Lua is release 5.4.8."""
    with tarfile.open(sdist) as tar:
        header = next(m for m in tar.getmembers() if m.name.endswith("third-party/lua54/lua.h"))
        text = tar.extractfile(header).read().decode("latin-1")
        assert re.search(r'LUA_VERSION_RELEASE\s+"8"', text), "lupa's bundled Lua is not 5.4.8"
        for member in tar.getmembers():
            _, sep, rel = member.name.partition(TESTES_MEMBER)
            if not sep or not rel or not (member.isfile() or member.isdir()):
                continue
            path = dest / rel
            if member.isdir():
                path.mkdir(parents=True, exist_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(tar.extractfile(member).read())


OFFICIAL_PRELUDE = "_port=true _soft=true _nomsg=true"


def run_official(interp: Sequence[str], testes: Path, name: str, timeout: float) -> Result:
    """Run one official test file the way the suite's portable mode expects."""
    return run(interp, ["-e", OFFICIAL_PRELUDE, name], cwd=testes, timeout=timeout)
