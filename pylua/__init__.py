"""pylua: a Lua 5.4 interpreter written in Python."""
__version__ = "0.1.0"
