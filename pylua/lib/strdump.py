"""``string.dump`` (lstrlib.c ``str_dump`` over lapi.c ``lua_dump``)."""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Any

from ..errors import LuaError
from ..lauxlib import check_function, to_boolean
from ..objects import Builtin, LuaFunction
from ..table import LuaTable


def str_dump(L: Any, *args: Any) -> list:
    f = check_function(args, 1)
    strip = to_boolean(args[1]) if len(args) > 1 else False
    if type(f) is not LuaFunction:     # host functions have no bytecode to dump
        raise LuaError("unable to dump given function")
    from ..dump import dump       # here: most scripts never dump, so start-up skips it
    return [dump(f.proto, strip)]


def add_dump(string_table: LuaTable, L: Any) -> None:
    """Register ``dump`` in the string library table."""
    string_table.set_str("dump", Builtin(str_dump, "string.dump"))
