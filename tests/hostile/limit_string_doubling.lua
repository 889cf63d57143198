-- expect: not enough memory
-- flags: --max-memory 64
-- within: 30
local s = "x"
while true do s = s .. s end
