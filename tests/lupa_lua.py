"""A `lua` command line on top of lupa's embedded Lua 5.4.8 (the reference version).

Debian's ``lua5.4`` binary is 5.4.4; where the two differ, 5.4.8 is what pylua
follows, so the differential tests also run every program through this script:

    python tests/lupa_lua.py [-e stat]... [script [args]]

It mirrors lua.c for the parts the tests use: the ``arg`` table, ``-e`` chunks
named ``=(command line)``, ``-`` for stdin, the message handler (numbers become
strings, ``__tostring`` objects, ``(error object is a X value)``) and the
``lua: msg`` report with exit status 1.  The driver itself is Lua, so errors and
output go through the embedded interpreter exactly as in the real binary.
"""
from __future__ import annotations

import sys

import lupa.lua54

DRIVER = r"""
local progname, script, chunks, argv, script_index = ...
python = nil

local function msghandler(msg)
  if type(msg) ~= "string" and type(msg) ~= "number" then
    local mt = debug.getmetatable(msg)
    local tostr = mt and mt.__tostring
    if tostr then
      local s = tostr(msg)
      if type(s) == "string" then return s end
    end
    msg = string.format("(error object is a %s value)", type(msg))
  end
  -- the driver's own frames (xpcall and this chunk) stand for lua.c's C entry point
  local tb = debug.traceback(tostring(msg), 2)
  local cut = tb:find("\n\t%[C%]: in function 'xpcall'\n[^\n]*<python>")
  return cut and tb:sub(1, cut) .. "\t[C]: in ?" or tb
end

local function report(msg)
  io.stdout:flush()
  io.stderr:write(progname, ": ", msg, "\n")
  io.stderr:flush()
end

local function docall(f, ...)
  local ok, msg = xpcall(f, msghandler, ...)
  if not ok then report(msg) end
  return ok
end

local t = {}
for i = 1, #argv do t[i - script_index] = argv[i] end
arg = t

for i = 1, #chunks do
  local f, err = load(chunks[i], "=(command line)")
  if not f then report(err) return 1 end
  if not docall(f) then return 1 end
end
if script then
  local f, err = loadfile(script ~= "-" and script or nil)
  if not f then report(err) return 1 end
  local args = {}
  for i = 1, #argv - script_index do args[i] = argv[script_index + i] end
  if not docall(f, table.unpack(args, 1, #argv - script_index)) then return 1 end
end
io.stdout:flush()
return 0
"""


def main(argv: list[str]) -> int:
    """Run the lua.c-style command line ``argv`` (without the program name)."""
    chunks: list[bytes] = []
    script = None
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "-e":
            chunks.append(argv[i + 1].encode("latin-1"))
            i += 2
        elif a == "--":
            i += 1
            script = argv[i] if i < len(argv) else None
            break
        else:
            script = a
            break
    # 1-based position of the script in the Lua table {"lua", argv...}; with no
    # script the program name gets arg[0], as in lua.c
    script_index = i + 2 if script is not None else 1
    lua = lupa.lua54.LuaRuntime(encoding=None, register_eval=False, register_builtins=False)
    full = ["lua"] + argv
    status = lua.execute(
        DRIVER,
        b"lua",
        script.encode("latin-1") if script is not None else None,
        lua.table_from(chunks),
        lua.table_from([a.encode("latin-1") for a in full]),
        script_index,
    )
    return int(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
