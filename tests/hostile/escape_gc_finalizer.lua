-- expect: attempt to index a nil value (global 'io')
-- a finalizer runs with the same globals
setmetatable({}, {__gc = function() end})
local t = setmetatable({}, {__gc = function() io.open("pwned", "w") end})
getmetatable(t).__gc()
