"""The sandbox: a Lua state in which scripts one does not trust can run.

Being written (issue #10). ``check_tool`` is the gate every tool an agent may call goes
through: Lua function tools and MCP servers.
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional

from .config import config_of
from .errors import LuaError

# what ``check_tool`` is asked about: a Lua function tool, or an MCP server (which
# starts a process or opens a connection, so a sandbox refuses it unless it is named)
TOOL = "tool"
MCP_SERVER = "MCP server"


def is_sandboxed(L: Any) -> bool:
    return getattr(L, "sandbox", None) is not None


def check_tool(L: Any, name: str, what: str = TOOL) -> None:
    """Raise a Lua error when the agents of ``L`` may not use the tool (``what`` =
    ``TOOL``) or MCP server (``what`` = ``MCP_SERVER``) called ``name``.

    ``[security] allowed_tools`` set: only the names it lists. Not set: every tool,
    except that a sandboxed state refuses MCP servers."""
    allowed = config_of(L).security.allowed_tools
    if allowed is None:
        if what == MCP_SERVER and is_sandboxed(L):
            raise LuaError(f"{what} '{name}' is not allowed in the sandbox: only MCP servers "
                           "named in [security] allowed_tools may be used")
        return
    if name not in allowed:
        listed = ", ".join(allowed) if allowed else "none"
        raise LuaError(f"{what} '{name}' is not allowed: [security] allowed_tools lists "
                       f"{listed} (add '{name}' to it to use it)")
