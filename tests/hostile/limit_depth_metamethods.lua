-- expect: stack overflow
-- flags: --max-instructions 100000000
-- within: 60
local mt = {}
mt.__add = function(a, b) return setmetatable({}, mt) + 1 end
mt.__eq = function(a, b) return setmetatable({}, mt) == setmetatable({}, mt) end
print(pcall(function() return setmetatable({}, mt) + 1 end))
print(setmetatable({}, mt) == setmetatable({}, mt))
