-- Coroutine round trips: resume/yield passing values back and forth.
local n = tonumber(arg and arg[1]) or 100000

local co = coroutine.create(function(x)
  while true do x = coroutine.yield(x + 1) end
end)
local sum = 0
for i = 1, n do
  local _, v = coroutine.resume(co, i)
  sum = sum + v
end

local gen = coroutine.wrap(function()
  for i = 1, n do coroutine.yield(i) end
end)
for _ = 1, n do sum = sum + gen() end
print("coro_pingpong", n, sum)
