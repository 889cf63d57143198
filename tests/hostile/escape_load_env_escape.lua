-- expect: attempt to index a nil value
-- a chunk loaded with an environment that falls back to _G sees only _G
local env = setmetatable({}, {__index = _G})
local f = assert(load("return io", "=x", "t", env))
f().open("/etc/passwd")
