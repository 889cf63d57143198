-- Coroutines as generators: a lazy pipeline of primes, and permutations.
local function naturals(from)
  return coroutine.wrap(function()
    local n = from
    while true do coroutine.yield(n); n = n + 1 end
  end)
end

local function filter(gen, keep)
  return coroutine.wrap(function()
    for v in gen do if keep(v) then coroutine.yield(v) end end
  end)
end

local function take(gen, n)
  local out = {}
  for v in gen do
    out[#out + 1] = v
    if #out == n then break end
  end
  return out
end

-- Sieve of Eratosthenes as a chain of filters, one per prime found.
local function primes()
  return coroutine.wrap(function()
    local gen = naturals(2)
    while true do
      local p = gen()
      coroutine.yield(p)
      gen = filter(gen, function(n) return n % p ~= 0 end)
    end
  end)
end

print("primes: " .. table.concat(take(primes(), 15), " "))

local function permutations(items)
  return coroutine.wrap(function()
    local function permute(n)
      if n <= 1 then coroutine.yield(table.concat(items)) return end
      for i = 1, n do
        items[i], items[n] = items[n], items[i]
        permute(n - 1)
        items[i], items[n] = items[n], items[i]
      end
    end
    permute(#items)
  end)
end

local all = {}
for p in permutations({"a", "b", "c"}) do all[#all + 1] = p end
table.sort(all)
print("permutations: " .. table.concat(all, " "))

-- Generators keep their state between resumptions.
local fib = coroutine.wrap(function()
  local a, b = 0, 1
  while true do coroutine.yield(a); a, b = b, a + b end
end)
local fibs = {}
for _ = 1, 12 do fibs[#fibs + 1] = fib() end
print("fibonacci: " .. table.concat(fibs, " "))
