-- expect: timeout
-- flags: --timeout 1
-- within: 20
local x = 0
while true do x = x + 1 end
