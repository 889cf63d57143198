-- expect: instruction limit exceeded
-- flags: --max-instructions 1e6
-- within: 30
-- table.insert shifts every element up to what __len claims (2^62 of them)
local t = setmetatable({}, {__len = function() return 1 << 62 end})
print(pcall(table.insert, t, 1, "x"))
