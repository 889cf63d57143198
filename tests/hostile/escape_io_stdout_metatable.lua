-- expect: attempt to index a nil value (global 'io')
-- a file handle's metatable would give every file method
local meta = getmetatable(io.stdout)
meta.__index.open("/etc/passwd")
