"""Shared fixtures: the reference interpreters are installed, never skipped."""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import oracle  # noqa: E402


# A test run started in the background by a non-interactive shell inherits SIGINT
# ignored, and so would every pylua process the tests start and then interrupt
# (Ctrl-C tests): give this process Python's handler, so that children start with
# the default disposition.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Install missing oracles once, on the controlling process only."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        oracle.ensure_lua54()
        oracle.ensure_lupa()


@pytest.fixture(scope="session")
def lua54() -> str:
    """Path of Debian's ``lua5.4`` (Lua 5.4.4)."""
    return oracle.ensure_lua54()


@pytest.fixture(scope="session")
def lua_reference() -> oracle.LuaReference:
    """In-process Lua 5.4.8 for value-level comparisons."""
    oracle.ensure_lupa()
    return oracle.LuaReference()


@pytest.fixture(scope="session")
def testes_dir() -> Path:
    """Lua 5.4.8's official test files, unpacked outside the repo."""
    return oracle.fetch_testes()


@pytest.fixture
def llm_server():
    """A loopback OpenAI/Anthropic server (tests/llm_server.py), running for the test."""
    from llm_server import LLMServer
    with LLMServer() as server:
        yield server
