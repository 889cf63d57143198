"""Placeholder: the exact-message re-parser (port of lparser.c) lands next."""
from .errors import LuaSyntaxError, chunkid


def check(source: str, chunkname: str) -> None:
    raise LuaSyntaxError(f"{chunkid(chunkname)}: syntax error")
