"""Start-up stays lean (issue #5), checked through what a run imports, never timed:
a cached script needs neither the compiler nor Lark, a new script needs the compiler
but not Lark once the parser's tables are cached, and modules that only some library
functions need (subprocess, tempfile, hashlib...) wait for those functions."""
import os
import subprocess
import sys
from pathlib import Path

from oracle import REPO_ROOT

# Runs the CLI and reports the modules it imported (site's own imports excluded).
DRIVER = """
import sys
before = set(sys.modules)
from pylua.cli import main
status = main(sys.argv[1:])
print("MODULES", *sorted(set(sys.modules) - before), file=sys.stderr)
sys.exit(status)
"""
COMPILER = {"pylua.parser", "pylua.lexer", "pylua.syntaxcheck", "pylua.compiler",
            "pylua.lcode", "pylua.ast"}
# the issue names httpx, mcp and hypothesis: whatever comes to use them imports them late
ONLY_ON_DEMAND = {"lark", "httpx", "mcp", "hypothesis", "hashlib", "_hashlib", "subprocess",
                  "tempfile", "random", "importlib.resources", "pathlib",
                  "pylua.lib.lpattern", "pylua.lib.strformat", "pylua.lib.strpack"}


def imports(tmp_path: Path, *args: str) -> set:
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONPATH=str(REPO_ROOT))
    env.pop("PYLUA_NO_CACHE", None)
    r = subprocess.run([sys.executable, "-c", DRIVER, *args], capture_output=True, text=True,
                       env=env, cwd=tmp_path, timeout=60)
    assert r.returncode == 0 and r.stdout == "hi\n", r.stderr
    line, = [ln for ln in r.stderr.splitlines() if ln.startswith("MODULES ")]
    return set(line.split()[1:])


def test_cached_script_imports_neither_compiler_nor_lark(tmp_path):
    (tmp_path / "hello.lua").write_text('print("hi")\n')
    first = imports(tmp_path, "hello.lua")
    assert COMPILER <= first and "lark" in first        # the first run compiles
    second = imports(tmp_path, "hello.lua")
    assert "pylua.vm" in second and "pylua.lib.strlib" in second
    assert not second & (COMPILER | ONLY_ON_DEMAND)


def test_new_script_is_parsed_without_lark_once_the_tables_are_cached(tmp_path):
    (tmp_path / "a.lua").write_text('print("hi")\n')
    (tmp_path / "b.lua").write_text('local s = "hi"\nprint(s)\n')
    assert "lark" in imports(tmp_path, "a.lua")
    new = imports(tmp_path, "b.lua")
    assert COMPILER <= new
    assert not new & ONLY_ON_DEMAND


def test_damaged_parser_tables_are_rebuilt(tmp_path):
    (tmp_path / "a.lua").write_text('print("hi")\n')
    imports(tmp_path, "--no-cache", "a.lua")
    tables, = (tmp_path / "cache" / "pylua").glob("lua-grammar-tables-*")
    tables.write_bytes(b"garbage")
    assert "lark" in imports(tmp_path, "--no-cache", "a.lua")
    assert "lark" not in imports(tmp_path, "--no-cache", "a.lua")


def test_functions_that_import_on_demand_work(tmp_path):
    (tmp_path / "a.lua").write_text(
        'local f = io.tmpfile() f:write("h") f:seek("set") local h = f:read("a")\n'
        'local p = io.popen("echo i") local i = p:read("l") p:close()\n'
        'local name = os.tmpname() os.remove(name)\n'
        'assert(os.execute("true"))\n'
        'assert(load(string.dump(function() return "hi" end))() == h .. i)\n'
        'assert(string.unpack("i4", string.pack("i4", 7)) == 7)\n'
        'print(string.format("%s", (string.gsub(h .. i, "x", "y"))))\n')
    assert {"pylua.dump", "pylua.lib.lpattern", "pylua.lib.strformat",
            "pylua.lib.strpack"} <= imports(tmp_path, "a.lua")
