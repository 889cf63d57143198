-- Plain Lua function calls in a loop: the baseline for coro_pingpong's round trips.
local n = tonumber(arg and arg[1]) or 500000

local function step(x) return x + 1 end
local sum = 0
for i = 1, n do sum = sum + step(i) end
local function count(i) return i end
for i = 1, n do sum = sum + count(i) end
print("calls", n, sum)
