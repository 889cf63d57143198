local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local function filter(pred, gen)
  return coroutine.wrap(function() for v in gen do if pred(v) then coroutine.yield(v) end end end)
end
local function map(f, gen)
  return coroutine.wrap(function() for v in gen do coroutine.yield(f(v)) end end)
end
local out = {}
for v in map(function(x) return x * x end, filter(function(x) return x % 3 == 0 end, range(20))) do
  out[#out + 1] = v
end
print(table.concat(out, " "))
local function permgen(a, n)
  n = n or #a
  if n <= 1 then coroutine.yield(a) else
    for i = 1, n do
      a[n], a[i] = a[i], a[n]
      permgen(a, n - 1)
      a[n], a[i] = a[i], a[n]
    end
  end
end
local count = 0
for p in coroutine.wrap(function() permgen({1, 2, 3, 4}) end) do count = count + 1 end
print(count)
