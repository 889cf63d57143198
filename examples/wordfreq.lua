-- Word frequencies of a text: string patterns, tables, sorting with a comparator.
local text = [[
Lua is a powerful, efficient, lightweight, embeddable scripting language.
It supports procedural programming, object-oriented programming, functional
programming, data-driven programming, and data description. Lua combines
simple procedural syntax with powerful data description constructs based on
associative arrays and extensible semantics. Lua is dynamically typed, runs by
interpreting bytecode with a register-based virtual machine, and has automatic
memory management with incremental garbage collection, making it ideal for
configuration, scripting, and rapid prototyping.
]]

local counts, total = {}, 0
for word in text:gmatch("%a+") do
  word = word:lower()
  counts[word] = (counts[word] or 0) + 1
  total = total + 1
end

local words = {}
for word in pairs(counts) do words[#words + 1] = word end
table.sort(words, function(a, b)
  if counts[a] ~= counts[b] then return counts[a] > counts[b] end
  return a < b
end)

print(string.format("%d words, %d distinct", total, #words))
for i = 1, 8 do
  local w = words[i]
  print(string.format("%2d. %-12s %3d  %s", i, w, counts[w], ("*"):rep(counts[w])))
end
