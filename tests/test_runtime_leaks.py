"""LuaRuntime leaves memory flat (issue #6): 1 000 scripts run one after another in
one runtime, and 1 000 runtimes created and dropped, do not make the process grow;
a simple script runs in well under 50 MB.  Each measurement runs in a fresh Python
process (resident set size from /proc/self/statm), after a warm-up round."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from oracle import REPO_ROOT

ROUNDS = 3              # of 1 000 each, after a warm-up of 300
GROWTH_LIMIT_MB = 1.0   # over the last two rounds together

MEASURE = r"""
import asyncio, gc, json, os, sys, weakref
from pylua import LuaRuntime

def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

async def nap(x):
    await asyncio.sleep(0)
    return x

def work(lua, i):
    # tables, closures, a Python callback, an awaited async function, wrappers kept
    t, doubled = lua.execute(
        f"local t = {{}} for i = 1, 50 do t[i] = tostring(i) .. '{i}' end "
        "t.size = function() return #t end return t, (...)(t.size())", lambda n: n * 2)
    assert doubled == 100 and t.size() == 50 and len(t.to_list()) == 50
    assert lua.execute(f"return nap({i})") == i
    try:
        lua.execute("error({code = ...})", i)
    except Exception as e:
        assert e.value.code == i

def one_runtime(i):
    lua = LuaRuntime()
    lua.globals().nap = nap
    work(lua, i)
    return weakref.ref(lua)

shared = LuaRuntime()
shared.globals().nap = nap
marks = []
for round in range(1 + ROUNDS):
    for i in range(300 if round == 0 else 1000):
        if sys.argv[1] == "scripts":
            work(shared, i)
        else:
            dropped = one_runtime(i)
    gc.collect()
    if sys.argv[1] == "runtimes":
        assert dropped() is None, "a dropped LuaRuntime is still alive"
    marks.append(rss_mb())
print(json.dumps(marks))
""".replace("ROUNDS", str(ROUNDS))


def rss_marks(mode: str) -> list:
    r = subprocess.run([sys.executable, "-c", MEASURE, mode], capture_output=True, text=True,
                       timeout=300, env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)))
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_thousands_of_scripts_in_one_runtime_leave_memory_flat():
    marks = rss_marks("scripts")
    assert marks[-1] - marks[1] < GROWTH_LIMIT_MB, marks


def test_thousands_of_runtimes_created_and_dropped_leave_memory_flat():
    marks = rss_marks("runtimes")
    assert marks[-1] - marks[1] < GROWTH_LIMIT_MB, marks


def peak_kb_of_simple_script(cache: str) -> int:
    # VmHWM, the peak of this process image: ru_maxrss would carry the peak of the
    # process that forked it (pytest) across the exec
    code = ("import re\nfrom pylua import LuaRuntime\n"
            "LuaRuntime().execute('local t = {} for i = 1, 1000 do t[i] = i end print(#t)')\n"
            "print(re.search(r'VmHWM:\\s*(\\d+) kB', open('/proc/self/status').read())[1])")
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), XDG_CACHE_HOME=cache)
    env.pop("PYLUA_NO_CACHE", None)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    printed, peak_kb = r.stdout.split()
    assert printed == "1000"
    return int(peak_kb)


def test_a_simple_script_runs_in_well_under_50_mb(tmp_path):
    first = peak_kb_of_simple_script(str(tmp_path))     # builds the parser's tables
    cached = peak_kb_of_simple_script(str(tmp_path))
    assert first < 40 * 1024 and cached < 30 * 1024, (first, cached)
