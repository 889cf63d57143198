-- expect: not enough memory
-- flags: --max-memory 16
-- within: 60
local t = {}
local i = 0
while true do i = i + 1; t[i] = i end
