-- expect: stack overflow
-- flags: --max-instructions 100000000
-- within: 60
local function nest() return coroutine.wrap(nest)() end
nest()
