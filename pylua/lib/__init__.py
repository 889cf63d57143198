"""The standard libraries, one module per Lua library (linit.c)."""
from __future__ import annotations

from ..table import LuaTable
from . import (baselib, corolib, dblib, iolib, llmlib, llmspell, loadlib, mathlib, oslib, strlib,
               tablib, tasklib, utf8lib)
from .strdump import add_dump

# (global name, module) in luaL_openlibs order; "_G" is the base library.
_LIBS = [("_G", baselib), ("package", loadlib), ("coroutine", corolib), ("table", tablib),
         ("io", iolib), ("os", oslib), ("string", strlib), ("math", mathlib),
         ("utf8", utf8lib), ("debug", dblib), ("task", tasklib), ("llm", llmlib),
         ("llmspell", llmspell)]


def openlibs(L) -> None:
    loaded = LuaTable()
    L.registry.set_str("_LOADED", loaded)
    for name, module in _LIBS:
        lib = module.open(L)
        loaded.set_str(name, lib)
        if name != "_G":
            L.globals.set_str(name, lib)
    add_dump(loaded.get_str("string"), L)
