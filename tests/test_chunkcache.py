"""The compiled-chunk cache (chunkcache.py): a second run of an unchanged file skips
parsing (Lark is not even imported), a changed or damaged entry is never trusted, and
--no-cache writes nothing."""
import os
import re
import subprocess
import sys
from pathlib import Path

from oracle import REPO_ROOT

SCRIPT = 'local t = {}\nfor i = 1, 3 do t[i] = i * i end\nprint(#t, t[3])\nerror("stop " .. t[2])\n'


def run(tmp_path: Path, *args: str, importtime: bool = False):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONPATH=str(REPO_ROOT))
    env.pop("PYLUA_NO_CACHE", None)
    cmd = [sys.executable] + (["-X", "importtime"] if importtime else []) + ["-m", "pylua", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)


def entries(tmp_path: Path) -> list:
    return sorted((tmp_path / "cache" / "pylua" / "chunks").glob("*/*.luac"))


def lark_imported(stderr: str) -> bool:
    """Whether python -X importtime listed the top-level lark package."""
    return any(re.search(r"\|\s+lark$", line.rstrip()) for line in stderr.splitlines())


def test_second_run_uses_the_cache_without_lark(tmp_path):
    (tmp_path / "s.lua").write_text(SCRIPT)
    first = run(tmp_path, "s.lua", importtime=True)
    assert first.stdout == "3\t9\n" and "s.lua:4: stop 4" in first.stderr
    assert lark_imported(first.stderr) and len(entries(tmp_path)) == 1
    second = run(tmp_path, "s.lua", importtime=True)
    assert (second.stdout, second.returncode) == (first.stdout, first.returncode)
    assert "s.lua:4: stop 4" in second.stderr     # line info survives the cache
    assert not lark_imported(second.stderr)


def test_changed_file_replaces_its_entry(tmp_path):
    script = tmp_path / "s.lua"
    script.write_text("print(1)\n")
    assert run(tmp_path, "s.lua").stdout == "1\n"
    old_entry, = entries(tmp_path)
    script.write_text("print(2)\n")
    assert run(tmp_path, "s.lua").stdout == "2\n"
    assert entries(tmp_path) == [old_entry] and b"print(2)" in old_entry.read_bytes()
    assert run(tmp_path, "s.lua").stdout == "2\n"


def test_same_text_under_another_name_is_another_entry(tmp_path):
    # the chunk name is in the compiled code (messages, debug.getinfo)
    (tmp_path / "a.lua").write_text("error('x')\n")
    (tmp_path / "b.lua").write_text("error('x')\n")
    assert "a.lua:1: x" in run(tmp_path, "a.lua").stderr
    assert "b.lua:1: x" in run(tmp_path, "b.lua").stderr
    assert "b.lua:1: x" in run(tmp_path, "b.lua").stderr
    assert len(entries(tmp_path)) == 2


def test_damaged_entry_is_recompiled(tmp_path):
    (tmp_path / "s.lua").write_text("print('fine')\n")
    run(tmp_path, "s.lua")
    entry, = entries(tmp_path)
    entry.write_bytes(b"\x1bLua garbage")
    assert run(tmp_path, "s.lua").stdout == "fine\n"


def test_no_cache_flag_writes_nothing(tmp_path):
    (tmp_path / "s.lua").write_text("print('x')\n")
    assert run(tmp_path, "--no-cache", "s.lua").stdout == "x\n"
    assert entries(tmp_path) == []


def test_cached_chunk_keeps_one_object_per_string(tmp_path):
    # Lua interns the strings of a chunk: equal long literals share one address.
    long = "0123456789" * 5
    (tmp_path / "s.lua").write_text(
        f'local a = "{long}"\nlocal function f() return "{long}" end\n'
        'print(string.format("%p", a) == string.format("%p", f()))\n')
    assert run(tmp_path, "s.lua").stdout == "true\n"
    assert run(tmp_path, "s.lua").stdout == "true\n"      # from the cache
