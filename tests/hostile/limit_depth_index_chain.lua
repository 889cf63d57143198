-- expect: '__index' chain too long; possible loop
-- flags: --max-instructions 100000000
-- within: 60
local t = {}
for i = 1, 5000 do t = setmetatable({}, {__index = t}) end
print(t.missing)
