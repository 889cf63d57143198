-- yields cross pcall, metamethods and iterators
local co = coroutine.wrap(function()
  local ok, v = pcall(function() return coroutine.yield("from pcall") end)
  print("pcall gave", ok, v)
  local t = setmetatable({}, {__index = function(_, k) return coroutine.yield("index " .. k) end})
  print("index gave", t.key)
  for x in function(_, prev) if not prev then return coroutine.yield("iter") end end do print("loop", x) end
  local sorted = {3, 1, 2}
  table.sort(sorted, function(a, b) return a < b end)
  return "end"
end)
print(co())
print(co("resumed1"))
print(co("resumed2"))
print(co("resumed3"))
