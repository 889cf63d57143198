-- expect: stack overflow
-- flags: --max-instructions 100000000
-- within: 60
local mt = {}
mt.__index = function(t, k) return setmetatable({}, mt)[k] end
local x = setmetatable({}, mt).field
