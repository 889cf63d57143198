-- expect: timeout
-- flags: --timeout 1
-- within: 30
-- table.remove shifts every element down to what __len claims (2^62 of them)
local t = setmetatable({}, {__len = function() return 1 << 62 end})
print(pcall(table.remove, t, 1))
