"""MCP servers as tools: ``llm.mcp.connect`` and MCP entries of an agent's ``tools``
(issue #9; being written)."""
from __future__ import annotations


def lua_connect(L, *args):
    raise L.error("llm.mcp.connect: not available yet")
