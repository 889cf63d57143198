-- expect: not enough memory
-- flags: --max-memory 16
-- within: 60
local fs = {}
for i = 1, math.huge do fs[i] = function() return i end end
