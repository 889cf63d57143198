"""Lua strings (bytes, as latin-1 ``str``) and the Python text of models and JSON."""
from __future__ import annotations


def text(s: str, errors: str = "surrogateescape") -> str:
    """A Lua string as Python text: UTF-8 decoded; invalid bytes kept as surrogates by
    default (``errors="replace"`` for text that goes to a model)."""
    return s.encode("latin-1").decode("utf-8", errors)


def lua_string(t: str) -> str:
    """Python text as a Lua string: its UTF-8 bytes."""
    try:
        return t.encode("utf-8", "surrogateescape").decode("latin-1")
    except UnicodeEncodeError:      # a lone surrogate from a \ud800-style escape
        return t.encode("utf-8", "surrogatepass").decode("latin-1")
