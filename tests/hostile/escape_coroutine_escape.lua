-- expect: attempt to index a nil value (global 'io')
-- a coroutine runs with the same globals
local co = coroutine.wrap(function() return io.open("/etc/passwd") end)
co()
