-- expect: attempt to load a binary chunk (mode is 't')
-- a reader function handing the chunk out in pieces
local pieces = {"\27", "Lua", "\84\0"}
local i = 0
assert(load(function() i = i + 1 return pieces[i] end))
