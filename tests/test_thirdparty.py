"""Real pure-Lua libraries nobody here wrote, run unchanged under pylua and lua5.4.

Debian packages the libraries (dkjson, inspect, argparse, moses, luassert + say,
ansicolors, penlight); they are installed here when missing, never skipped.  Our
driver scripts in ``tests/thirdparty/`` exercise each library and print results
deterministically; each driver must give the same stdout, exit status and first
line of stderr under both interpreters.  dkjson's own test script (shipped in its
documentation) runs unchanged too, in each of its modes; no other package ships
tests or specs (and Debian's source packages are not reachable here).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import oracle

DRIVERS = Path(__file__).resolve().parent / "thirdparty"
DEBIAN_PACKAGES = ("lua-dkjson", "lua-inspect", "lua-argparse", "lua-moses", "lua-luassert",
                   "lua-say", "lua-ansicolors", "lua-penlight")
# inspect, moses and ansicolors ship for 5.1-5.3 only: the same files serve 5.4
LUA_PATH = ";".join([
    f"{DRIVERS}/?.lua",
    "/usr/share/lua/5.4/?.lua", "/usr/share/lua/5.4/?/init.lua",
    "/usr/share/lua/5.1/?.lua", "/usr/share/lua/5.1/?/init.lua",
])
DKJSON_SELFTEST = Path("/usr/share/doc/lua-dkjson/examples/jsontest.lua")

# (driver, arguments): every driver under both interpreters
CASES = [
    ("dkjson_driver.lua", ()),
    ("inspect_driver.lua", ()),
    ("argparse_driver.lua", ()),
    ("argparse_exit.lua", ("help",)),
    ("argparse_exit.lua", ("error",)),
    ("argparse_exit.lua", ("ok",)),
    ("moses_driver.lua", ()),
    ("luassert_driver.lua", ()),
    ("ansicolors_driver.lua", ()),
    ("pl_containers_driver.lua", ()),
    ("pl_text_driver.lua", ()),
    ("pl_func_driver.lua", ()),
    ("pl_misc_driver.lua", ()),
    ("errors_driver.lua", ()),
    ("pl_lapp_driver.lua", ("-v", "-n", "5", "-s", "2.5", "a", "b")),
    ("pl_lapp_driver.lua", ("-s", "x", "a")),
    ("pl_lapp_driver.lua", ("--help",)),
    ("pl_lapp_driver.lua", ("-s", "1")),
]


def missing_packages() -> list[str]:
    """The Debian packages of DEBIAN_PACKAGES not installed yet."""
    def installed(name: str) -> bool:     # removed-but-not-purged counts as missing
        status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", name],
                                capture_output=True, text=True).stdout
        return status.endswith("ok installed")
    return [name for name in DEBIAN_PACKAGES if not installed(name)]


@pytest.fixture(scope="module", autouse=True)
def libraries() -> None:
    """Install the libraries once (workers serialise on a lock file)."""
    with oracle._locked(oracle.REPO_ROOT / ".cache" / "thirdparty.lock"):
        missing = missing_packages()
        if missing:
            sudo = [] if os.geteuid() == 0 else ["sudo"]
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            subprocess.run([*sudo, "apt-get", "update"], check=True, env=env,
                           stdin=subprocess.DEVNULL)
            subprocess.run([*sudo, "apt-get", "install", "-y", *missing], check=True, env=env,
                           stdin=subprocess.DEVNULL)
    assert missing_packages() == []


def run(interp: tuple[str, ...], script: Path, args: tuple[str, ...], cwd: Path) -> oracle.Result:
    """Run ``script`` by its bare name from ``cwd`` with the libraries on LUA_PATH."""
    shutil.copyfile(script, cwd / script.name)
    env = dict(os.environ, LUA_PATH=LUA_PATH, LC_ALL="C", TZ="UTC")
    env.pop("LUA_PATH_5_4", None)
    env.pop("LUA_INIT", None)
    env.pop("LUA_INIT_5_4", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(oracle.REPO_ROOT), env.get("PYTHONPATH")]))
    proc = subprocess.run([*interp, script.name, *args], cwd=cwd, capture_output=True, env=env,
                          timeout=120)
    return oracle.Result(proc.stdout.decode("latin-1"), proc.stderr.decode("latin-1"),
                         proc.returncode)


def assert_same(script: Path, args: tuple[str, ...], tmp_path: Path) -> oracle.Result:
    expected = run(oracle.LUA54, script, args, tmp_path)
    actual = run(oracle.PYLUA, script, args, tmp_path)
    assert actual.observable() == expected.observable()
    return expected


@pytest.mark.parametrize("driver,args", CASES, ids=[" ".join([d, *a]) for d, a in CASES])
def test_driver(driver: str, args: tuple[str, ...], tmp_path: Path):
    expected = assert_same(DRIVERS / driver, args, tmp_path)
    assert expected.stdout or expected.stderr    # the driver did run


# jsontest.lua's modes: its assertions, which characters get escaped (ASCII, then
# the whole BMP) and a reference cycle (which must fail the same way)
@pytest.mark.parametrize("mode", [(), ("dkjson", "esc_asc"), ("dkjson", "esc"), ("dkjson", "refcycle")],
                         ids=["default", "esc_asc", "esc", "refcycle"])
def test_dkjson_own_test_script(mode: tuple[str, ...], tmp_path: Path):
    expected = run(oracle.LUA54, DKJSON_SELFTEST, mode, tmp_path)
    actual = run(oracle.PYLUA, DKJSON_SELFTEST, mode, tmp_path)
    assert same_members(actual.observable()) == same_members(expected.observable())
    assert (expected.returncode != 0) == (mode == ("dkjson", "refcycle"))


MIXED_TABLE_LINE = re.compile(r"^(mixed table encoded as:\t)(\{.*\})$", re.MULTILINE)


def same_members(observed: dict) -> dict:
    """jsontest.lua prints one table with string and integer keys as JSON: its
    members come in pairs() order, which lua5.4 varies from run to run (random
    string hash seeds), so that object is compared with its members sorted."""
    def canonical(match: re.Match) -> str:
        return match[1] + json.dumps(json.loads(match[2]), sort_keys=True)
    return dict(observed, stdout=MIXED_TABLE_LINE.sub(canonical, observed["stdout"]))
