-- Table operations: table.insert/remove, table.sort with a comparator, hash inserts and lookups.
local n = tonumber(arg and arg[1]) or 50000

-- a linear congruential generator keeps the data deterministic
local seed = 42
local function random(m)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % m
end

local list = {}
for _ = 1, n do table.insert(list, random(1000000)) end
local removed = 0
local queue = {}
for i = 1, n // 10 do
  table.insert(queue, 1, random(1000))
  table.insert(list, #list - i % 5, random(1000))
  if #queue > 50 then removed = removed + table.remove(queue, 1) + table.remove(queue) end
end
for _ = 1, n // 10 do removed = removed + table.remove(list) end

table.sort(list, function(a, b) return a > b end)
local ordered = true
for i = 2, #list do if list[i - 1] < list[i] then ordered = false end end

local map, hits = {}, 0
for i = 1, n do map["k" .. random(n)] = i end
for i = 1, n do if map["k" .. i] then hits = hits + 1 end end
local keys = 0
for _ in pairs(map) do keys = keys + 1 end

print("tables", n, #list, removed, ordered, list[1], list[#list], hits, keys)
