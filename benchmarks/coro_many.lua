-- Many live coroutines at once (memory): create them all, suspend each, then finish them.
local n = tonumber(arg and arg[1]) or 100000

local function body(i)
  local got = coroutine.yield(i)
  return got + i
end
local cos = {}
local sum = 0
for i = 1, n do
  local co = coroutine.create(body)
  local _, v = coroutine.resume(co, i)
  sum = sum + v
  cos[i] = co
end
for i = 1, n do
  local _, v = coroutine.resume(cos[i], 1)
  sum = sum + v
end
print("coro_many", n, sum, coroutine.status(cos[n]))
