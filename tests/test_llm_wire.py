"""Issue #7 as judged, end to end: Lua scripts run by the ``pylua`` command drive
agents against the loopback server (tests/llm_server.py) over real sockets, and
every failure the server can stage ends the run with ``nil, err`` while the script
goes on. (Tool conversations and the in-process concurrent workflow are in
test_llm.py's "agents over HTTP".)"""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from llm_server import Reply
from oracle import REPO_ROOT

KINDS = ["openai", "anthropic"]
PATHS = {"openai": "/chat/completions", "anthropic": "/messages"}

PRELUDE = """
local kind, url = ...
local function agent(name)
  return llm.agent.new{ name = name, provider = { type = kind, model = "test-model",
                                                   base_url = url, api_key = "sk-test" } }
end
"""


def pylua(tmp_path, script: str, *args: str) -> tuple:
    """``(stdout, stderr, seconds)`` of ``pylua script.lua args...``, which must succeed."""
    path = tmp_path / "script.lua"
    path.write_text(PRELUDE + script)
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), XDG_CACHE_HOME=str(tmp_path / "cache"))
    start = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "pylua", str(path), *args], capture_output=True,
                       text=True, env=env, cwd=tmp_path, timeout=60)
    elapsed = time.monotonic() - start
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "Warning" not in r.stderr, r.stderr
    return r.stdout, r.stderr, elapsed


FAILURES = """
local function try(what)
  local res, err = agent(what):run("hello")
  print(what, res, err)
end
try("throttled")
try("broken")
try("unauthorized")
try("cut")
try("garbled")
print("the script goes on")
"""


@pytest.mark.parametrize("kind", KINDS)
def test_every_staged_failure_ends_in_nil_and_a_message(kind, tmp_path, llm_server):
    s = llm_server
    cut = Reply(close_midway=True, text="a reply long enough to be cut in half " * 10)
    s.script(Reply(status=429, error="rate limited", headers={"Retry-After": "1"}),
             Reply(text="after the wait"),
             *[Reply(status=500, error="the model is down")] * 3,
             Reply(status=401, error="invalid x-api-key"),
             cut, cut, cut,
             Reply(body=b"<html><body>502 from a proxy, with status 200</body></html>"))
    s.default = Reply(text="unexpected extra request")
    out, _, _ = pylua(tmp_path, FAILURES, kind, s.url)
    url = s.url + PATHS[kind]
    lines = out.splitlines()
    cut_line = lines.pop(3)
    assert lines == [
        "throttled\tafter the wait\tnil",
        f"broken\tnil\tagent 'broken': {kind}: HTTP 500 Internal Server Error from {url}: "
        "the model is down (gave up after 3 attempts)",
        f"unauthorized\tnil\tagent 'unauthorized': {kind}: HTTP 401 Unauthorized from {url}: "
        "invalid x-api-key",
        f"garbled\tnil\tagent 'garbled': {kind}: reply is not JSON: "
        "'<html><body>502 from a proxy, with status 200</body></html>'",
        "the script goes on"]
    assert cut_line.startswith(f"cut\tnil\tagent 'cut': {kind}: the server closed the "
                               f"connection mid-reply ({url}: peer closed connection "), cut_line
    assert cut_line.endswith(" (gave up after 3 attempts)"), cut_line
    times = [r.time for r in s.requests]
    assert len(times) == 10                              # 401 and non-JSON: not retried
    assert times[1] - times[0] >= 0.95                   # Retry-After: 1 honoured
    assert times[4] - times[2] < 3.0                     # 500 three times: seconds, not minutes


@pytest.mark.parametrize("kind", KINDS)
def test_ten_agents_of_a_concurrent_workflow_from_the_command(kind, tmp_path, llm_server):
    llm_server.default = Reply(text="done", delay=1.0)
    out, _, elapsed = pylua(tmp_path, """
local agents = {}
for i = 1, 10 do agents[i] = agent("A" .. i) end
local res, err = llm.workflow.concurrent{ name = "Ten", agents = agents }:run("go")
local decoded = llm.json.decode(res)
print(#decoded.agents, decoded.agents[1].agent_name, decoded.agents[10].output, err)
""", kind, llm_server.url)
    assert out == "10\tA1\tdone\tnil\n"
    arrivals = [r.time for r in llm_server.requests]
    assert len(arrivals) == 10 and max(arrivals) - min(arrivals) < 0.5
    assert llm_server.max_in_flight == 10
    assert elapsed < 2.0 + 1.5, elapsed       # the command's own start-up included
