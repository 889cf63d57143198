"""Argument checking for host functions (lauxlib.c's ``luaL_check*``/``luaL_opt*``).

Host functions receive their Lua arguments as a tuple ``args``; argument ``n``
(1-based) is ``args[n-1]`` when ``n <= len(args)``, else it is absent ("no value").
Errors are raised as ``ArgError`` and turned into ``bad argument #n to 'f' (...)``
by whoever knows the call site.
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Any, Optional

from .errors import ArgError
from .number import float_to_int, fmt_float, str2number, tonumber
from .objects import Upvalue, Userdata, is_function
from .table import LuaTable


def type_name(v: Any) -> str:
    """``lua_typename(lua_type(v))``."""
    t = type(v)
    if v is None:
        return "nil"
    if t is bool:
        return "boolean"
    if t is int or t is float:
        return "number"
    if t is str:
        return "string"
    if t is LuaTable:
        return "table"
    if is_function(v):
        return "function"
    if t is Userdata:
        return "userdata"
    return "thread" if t.__name__ == "LuaThread" else "userdata"


def obj_type_name(v: Any) -> str:
    """The type name used in messages: the ``__name`` metafield if it is a string."""
    meta = getattr(v, "meta", None)
    if meta is not None and type(meta) is LuaTable:
        name = meta.get_str("__name")
        if type(name) is str:
            return name
    return type_name(v)


def type_error(n: int, expected: str, args: tuple) -> ArgError:
    """``luaL_typeerror``."""
    if n > len(args):
        got = "no value"
    elif is_light_userdata(args[n - 1]):
        got = "light userdata"
    else:
        got = obj_type_name(args[n - 1])
    return ArgError(n, f"{expected} expected, got {got}")


def is_light_userdata(v: Any) -> bool:
    """Host objects that are Lua values without being full userdata (an upvalue's
    identity from debug.upvalueid) play the part of C's light userdata."""
    return type(v) is Upvalue


def arg(args: tuple, n: int) -> Any:
    return args[n - 1] if n <= len(args) else None


def check_any(args: tuple, n: int) -> Any:
    if n > len(args):
        raise ArgError(n, "value expected")
    return args[n - 1]


def check_table(args: tuple, n: int) -> LuaTable:
    v = args[n - 1] if n <= len(args) else None
    if type(v) is not LuaTable:
        raise type_error(n, "table", args)
    return v


def check_integer(args: tuple, n: int) -> int:
    v = args[n - 1] if n <= len(args) else None
    t = type(v)
    if t is int:
        return v
    if t is float:
        i = float_to_int(v)
        if i is None:
            raise ArgError(n, "number has no integer representation")
        return i
    if t is str:
        num = str2number(v)
        if num is not None:
            if type(num) is int:
                return num
            i = float_to_int(num)
            if i is None:
                raise ArgError(n, "number has no integer representation")
            return i
    raise type_error(n, "number", args)


def opt_integer(args: tuple, n: int, default: Optional[int]) -> Optional[int]:
    if n > len(args) or args[n - 1] is None:
        return default
    return check_integer(args, n)


def check_number(args: tuple, n: int):
    num = tonumber(args[n - 1] if n <= len(args) else None)
    if num is None:
        raise type_error(n, "number", args)
    return num


def opt_number(args: tuple, n: int, default):
    if n > len(args) or args[n - 1] is None:
        return default
    return check_number(args, n)


def tolstring(v: Any) -> Optional[str]:
    """``lua_tolstring``: a string as it is, a number as ``tostring`` shows it,
    anything else None."""
    t = type(v)
    if t is str:
        return v
    if t is int:
        return str(v)
    if t is float:
        return fmt_float(v)
    return None


def check_string(args: tuple, n: int) -> str:
    """``luaL_checklstring``: strings, and numbers converted as ``tostring`` would."""
    s = tolstring(args[n - 1] if n <= len(args) else None)
    if s is None:
        raise type_error(n, "string", args)
    return s


def opt_string(args: tuple, n: int, default: Optional[str]) -> Optional[str]:
    if n > len(args) or args[n - 1] is None:
        return default
    return check_string(args, n)


def check_function(args: tuple, n: int) -> Any:
    v = args[n - 1] if n <= len(args) else None
    if not is_function(v):
        raise type_error(n, "function", args)
    return v


def check_option(args: tuple, n: int, default: Optional[str], options: list) -> int:
    """``luaL_checkoption``: the index of the option name in ``options``."""
    name = opt_string(args, n, default) if default is not None else check_string(args, n)
    try:
        return options.index(name)
    except ValueError:
        raise ArgError(n, f"invalid option '{name}'") from None


def to_boolean(v: Any) -> bool:
    return v is not None and v is not False
