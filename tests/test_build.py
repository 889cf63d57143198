"""The two modes of one source (issue #5): the modules of setup.py's COMPILED_MODULES
run compiled by Cython where the package was built with a C compiler, and as plain
Python with PYLUA_PURE=1, with a source edited since the build, or from a build
without a usable C compiler.  tests/run.sh runs the whole suite in both modes; this
file checks that each run really is in the mode it claims."""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import pylua
from oracle import REPO_ROOT

PACKAGE_DIR = Path(pylua.__file__).parent
STALE_VM = ("pylua: compiled pylua/vm is out of date with vm.py; running the"
            " pure-Python source (rebuild with: pip install -e .)\n")
SCRIPT = 'print(("x"):rep(3), string.format("%5.1f", 2.25), table.concat({1, 2}, "+"))\n'
SCRIPT_OUTPUT = "xxx\t  2.2\t1+2\n"


def _setup_module():
    spec = importlib.util.spec_from_file_location("pylua_setup", REPO_ROOT / "setup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SETUP = _setup_module()
MODULES = [SETUP.module_name(path) for path in SETUP.COMPILED_MODULES]


def pure_requested() -> bool:
    return os.environ.get("PYLUA_PURE", "") not in ("", "0")


def c_compiler_exists() -> bool:
    return shutil.which(sysconfig.get_config_var("CC").split()[0]) is not None


def child_env(pythonpath: Path | None, pure: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYLUA_PURE"}
    env.update({"PYLUA_PURE": "1"} if pure else {})
    env.update({"PYTHONPATH": str(pythonpath)} if pythonpath else {})
    return env


def run_pylua(*args: str, cwd: Path, pythonpath: Path | None = None, pure: bool = False):
    return subprocess.run([sys.executable, "-m", "pylua", *args], capture_output=True,
                          text=True, env=child_env(pythonpath, pure), cwd=cwd, timeout=120)


def imported_files(cwd: Path, pythonpath: Path | None = None, pure: bool = False) -> dict:
    """module name -> file, for every compiled-mode module as a fresh process imports it."""
    code = (f"import importlib; names = {MODULES!r}\n"
            "for n in names: print(n, importlib.import_module(n).__file__)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=child_env(pythonpath, pure), cwd=cwd, timeout=120)
    assert r.returncode == 0, r.stderr
    return dict(line.split(" ", 1) for line in r.stdout.splitlines())


def is_compiled(path: str) -> bool:
    return path.endswith(tuple(EXTENSION_SUFFIXES))


def test_this_run_is_in_the_mode_it_claims():
    """Where a C compiler exists the default run must be compiled: a build that
    fell back to pure Python must not let CI test the pure modules twice."""
    import pylua.vm
    if pure_requested():
        assert pylua.compiled_modules() == []
        assert pylua.vm.__file__.endswith("vm.py")
    elif c_compiler_exists():
        assert sorted(pylua.compiled_modules()) == sorted(MODULES), \
            "modules missing from the compiled build: run pip install -e . and read its log"
        assert is_compiled(pylua.vm.__file__)
    else:
        assert pylua.compiled_modules() == []


def test_pure_env_runs_every_module_from_source(tmp_path):
    files = imported_files(tmp_path, pure=True)
    assert sorted(files) == sorted(MODULES)
    assert all(path.endswith(".py") for path in files.values()), files
    r = run_pylua("-v", cwd=tmp_path, pure=True)
    assert r.stdout.startswith("pylua 0.1.0 (Lua 5.4 in Python, pure-Python VM)  Copyright"), r.stdout
    assert r.stderr == ""


def test_default_env_runs_the_build(tmp_path):
    files = imported_files(tmp_path)
    expected = c_compiler_exists()
    assert all(is_compiled(path) == expected for path in files.values()), files
    r = run_pylua("-v", cwd=tmp_path)
    vm = "Cython-compiled VM" if expected else "pure-Python VM"
    assert r.stdout.startswith(f"pylua 0.1.0 (Lua 5.4 in Python, {vm})  Copyright"), r.stdout
    assert r.stderr == ""


@pytest.fixture
def package_copy(tmp_path) -> Path:
    """A copy of the installed package, compiled modules and build record included."""
    copy = tmp_path / "site" / "pylua"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.c"))
    if not (copy / "grammar").exists():     # an editable install: it lives at the top
        shutil.copytree(REPO_ROOT / "grammar", copy / "grammar")
    (tmp_path / "script.lua").write_text(SCRIPT)
    return tmp_path / "site"


def test_source_edited_after_the_build_runs_as_source(package_copy):
    vm = package_copy / "pylua" / "vm.py"
    vm.write_text(vm.read_text() + "# edited after the build\n")
    cwd = package_copy.parent
    r = run_pylua("-v", "script.lua", cwd=cwd, pythonpath=package_copy)
    assert r.stdout.startswith("pylua 0.1.0 (Lua 5.4 in Python, pure-Python VM)")
    assert r.stdout.endswith(SCRIPT_OUTPUT)
    assert r.stderr == (STALE_VM if c_compiler_exists() else "")
    files = imported_files(cwd, pythonpath=package_copy)
    assert files["pylua.vm"] == str(vm)
    # their C types cimport one another: all run as source
    assert all(path.endswith(".py") for path in files.values()), files


def test_unchanged_source_with_a_new_mtime_runs_compiled(package_copy):
    """As after pip installs a wheel, which sets file times as it likes."""
    for path in (package_copy / "pylua").rglob("*.py"):
        os.utime(path, (1e9, 1e9))
    r = run_pylua("-v", "script.lua", cwd=package_copy.parent, pythonpath=package_copy)
    vm = "Cython-compiled VM" if c_compiler_exists() else "pure-Python VM"
    assert r.stdout.startswith(f"pylua 0.1.0 (Lua 5.4 in Python, {vm})  Copyright")
    assert r.stdout.endswith(f"PUC-Rio\n{SCRIPT_OUTPUT}") and r.stderr == ""
    files = imported_files(package_copy.parent, pythonpath=package_copy)
    assert all(is_compiled(path) == c_compiler_exists() for path in files.values()), files


@pytest.mark.parametrize("env, log_line", [
    ({"CC": "false"}, "pylua: no usable C compiler (false cannot compile a test file);"
                      " installing the pure-Python modules only"),
    ({"PYLUA_NO_COMPILE": "1"}, "pylua: PYLUA_NO_COMPILE is set: installing the pure-Python"
                                " modules only"),
])
def test_build_without_compiling_installs_a_working_pure_package(tmp_path, env, log_line):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy2(REPO_ROOT / name, source / name)
    shutil.copytree(REPO_ROOT / "grammar", source / "grammar")
    shutil.copytree(REPO_ROOT / "pylua", source / "pylua",
                    ignore=shutil.ignore_patterns("__pycache__", "*.c", "*.so", "compiled.txt"))
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation",
         "-v", "-w", str(tmp_path / "dist")],
        capture_output=True, text=True, env={**os.environ, **env}, timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    assert log_line in build.stdout + build.stderr
    wheel, = (tmp_path / "dist").glob("pylua-*.whl")
    assert not [n for n in zipfile.ZipFile(wheel).namelist() if is_compiled(n)]
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(tmp_path / "site"),
         str(wheel)], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    (tmp_path / "script.lua").write_text(SCRIPT)
    r = run_pylua("-v", "script.lua", cwd=tmp_path, pythonpath=tmp_path / "site")
    assert r.stdout == ("pylua 0.1.0 (Lua 5.4 in Python, pure-Python VM)  Copyright (C)"
                        f" 1994-2025 Lua.org, PUC-Rio\n{SCRIPT_OUTPUT}")
    assert r.stderr == ""
    files = imported_files(tmp_path, pythonpath=tmp_path / "site")
    assert all(path.startswith(str(tmp_path / "site")) and path.endswith(".py")
               for path in files.values()), files
    # every package of the source tree is in the wheel (pylua.llm was once left out)
    names = zipfile.ZipFile(wheel).namelist()
    packages = [p.parent.relative_to(REPO_ROOT).as_posix()
                for p in (REPO_ROOT / "pylua").rglob("__init__.py")]
    assert [p for p in packages if f"{p}/__init__.py" not in names] == []
    (tmp_path / "agent.lua").write_text(
        'print(llm.agent.new{ name = "W", provider = { type = "mock" } }:run("hi"))\n')
    r = run_pylua("agent.lua", cwd=tmp_path, pythonpath=tmp_path / "site")
    assert (r.stdout, r.stderr) == ("echo: hi\tnil\n", "")
