"""Lua functions served as an MCP server: ``llm.mcp.tool`` and ``pylua mcp-serve``
(issue #9; being written)."""
from __future__ import annotations


def lua_tool(L, *args):
    raise L.error("llm.mcp.tool: not available yet")
