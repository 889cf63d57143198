"""The package library and ``require`` (loadlib.c). C modules cannot be loaded: the
C searchers still look for them so ``require`` reports every place it tried."""
from __future__ import annotations

import io
import os
from ..errors import LuaError
from ..lauxlib import check_string, opt_string
from ..objects import Builtin, Special
from ..table import LuaTable
from .baselib import loadfile

LUA_PATH_DEFAULT = ("/usr/local/share/lua/5.4/?.lua;/usr/local/share/lua/5.4/?/init.lua;"
                    "/usr/local/lib/lua/5.4/?.lua;/usr/local/lib/lua/5.4/?/init.lua;"
                    "./?.lua;./?/init.lua")
LUA_CPATH_DEFAULT = "/usr/local/lib/lua/5.4/?.so;/usr/local/lib/lua/5.4/loadall.so;./?.so"


def _env_path(envnames, default: str, ignore_env: bool) -> str:
    """``setpath``: LUA_PATH_5_4 or LUA_PATH, with ';;' standing for the default."""
    if not ignore_env:
        for name in envnames:
            v = os.environ.get(name)
            if v is not None:
                i = v.find(";;")
                if i < 0:
                    return v
                prefix, suffix = v[:i], v[i + 2:]
                return (prefix + ";" if prefix else "") + default + (";" + suffix if suffix else "")
    return default


def searchpath(name: str, path: str, sep: str = ".", rep: str = "/"):
    """``package.searchpath``: (filename, None) or (None, "no file '...'" lines)."""
    if sep:
        name = name.replace(sep, rep)
    tried = []
    for template in path.split(";") if path else ():    # empty templates count too
        filename = template.replace("?", name)
        try:
            with io.open(filename, "rb"):
                return filename, None
        except OSError:
            tried.append(f"no file '{filename}'")
    return None, "\n\t".join(tried)


def _package_field(L, key: str):
    pkg = L.registry.get_str("_PACKAGE")
    return pkg.get_str(key) if pkg is not None else None


def _searcher_preload(L, *args):
    name = check_string(args, 1)
    preload = L.registry.get_str("_PRELOAD")
    loader = preload.get(name) if type(preload) is LuaTable else None
    if loader is None:
        return (f"no field package.preload['{name}']",)
    return (loader, ":preload:")


def _searcher_file(L, name: str, field: str):
    path = _package_field(L, field)
    if type(path) is not str:
        raise LuaError(f"'package.{field}' must be a string")
    return searchpath(name, path)


def _searcher_lua(L, *args):
    name = check_string(args, 1)
    filename, err = _searcher_file(L, name, "path")
    if filename is None:
        return (err,)
    try:
        f = loadfile(L, filename)
    except LuaError as e:
        raise LuaError(f"error loading module '{name}' from file '{filename}':\n\t{e.value}") \
            from None
    return (f, filename)


def _searcher_c(L, *args):
    name = check_string(args, 1)
    filename, err = _searcher_file(L, name, "cpath")
    if filename is None:
        return (err,)
    raise LuaError(f"error loading module '{name}' from file '{filename}':\n\t"
                   "pylua cannot load C modules")


def _searcher_croot(L, *args):
    name = check_string(args, 1)
    if "." not in name:
        return ()
    filename, err = _searcher_file(L, name.split(".")[0], "cpath")
    if filename is None:
        return (err,)
    raise LuaError(f"error loading module '{name}' from file '{filename}':\n\t"
                   "pylua cannot load C modules")


def _require_target(L, *args):
    """require as a call of the loader (``then_call``): (loader, its arguments, what
    to do with its results), or (None, results) for a module already loaded."""
    name = check_string(args, 1)
    loaded = L.registry.get_str("_LOADED")
    v = loaded.get(name)
    if v is not None and v is not False:
        return None, (v,)
    searchers = _package_field(L, "searchers")
    if type(searchers) is not LuaTable:
        raise LuaError("'package.searchers' must be a table")
    msgs = []
    i = 1
    while True:
        searcher = L.index(searchers, i)
        if searcher is None:
            raise L.error(f"module '{name}' not found:" + "".join("\n\t" + m for m in msgs))
        res = L.call(searcher, name)
        loader = res[0] if res else None
        if type(loader) is str:
            msgs.append(loader)
        elif loader is not None and loader is not False:
            data = res[1] if len(res) > 1 else None
            break
        i += 1

    def finish(L, res) -> tuple:
        if res and res[0] is not None:
            loaded.set(name, res[0])
        elif loaded.get(name) is None:
            loaded.set(name, True)
        return (loaded.get(name), data)
    return loader, (name, data), finish


def lua_require(L, *args):
    target = _require_target(L, *args)
    if target[0] is None:
        return target[1]
    return target[2](L, L.call(target[0], *target[1]))


def lua_searchpath(L, *args):
    name = check_string(args, 1)
    path = check_string(args, 2)
    filename, err = searchpath(name, path, opt_string(args, 3, "."), opt_string(args, 4, "/"))
    return (filename,) if filename is not None else (None, err)


def open(L, ignore_env: bool = False) -> LuaTable:
    pkg = LuaTable()
    loaded = L.registry.get_str("_LOADED")
    preload = LuaTable()
    L.registry.set_str("_PRELOAD", preload)
    L.registry.set_str("_PACKAGE", pkg)
    pkg.set_str("loaded", loaded)
    pkg.set_str("preload", preload)
    pkg.set_str("path", _env_path(("LUA_PATH_5_4", "LUA_PATH"), LUA_PATH_DEFAULT, ignore_env))
    pkg.set_str("cpath", _env_path(("LUA_CPATH_5_4", "LUA_CPATH"), LUA_CPATH_DEFAULT,
                                   ignore_env))
    pkg.set_str("config", "/\n;\n?\n!\n-\n")
    searchers = LuaTable()
    for i, fn in enumerate((_searcher_preload, _searcher_lua, _searcher_c, _searcher_croot), 1):
        searchers.set_int(i, Builtin(fn, "searcher"))
    pkg.set_str("searchers", searchers)
    pkg.set_str("searchpath", Builtin(lua_searchpath, "package.searchpath"))
    L.globals.set_str("require", Special(lua_require, "require", "then_call", _require_target))
    return pkg
