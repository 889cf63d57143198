-- expect: stack overflow
-- flags: --max-instructions 100000000
-- within: 60
local t = setmetatable({}, {__tostring = function(self) return "<" .. tostring(self) .. ">" end})
print(tostring(t))
