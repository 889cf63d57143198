-- Closures: creating closures in a loop and reading/writing shared upvalues.
local n = tonumber(arg and arg[1]) or 300000

local function counter()
  local count = 0
  return function(step) count = count + step; return count end
end

local function adder(x) return function(y) return x + y end end

local total = 0
local shared = counter()
for i = 1, n do
  local add = adder(i)
  total = total + add(1) + shared(2)
end

-- closures in a loop each capture their own fresh loop variable
local fns = {}
for i = 1, 100 do fns[i] = function() return i * i end end
for _ = 1, n // 100 do
  for i = 1, 100 do total = total + fns[i]() end
end
print("closures", n, total, shared(0))
