local total = 0
local co = coroutine.wrap(function()
  for i = 1, 3 do
    total = total + i
    coroutine.yield(total)
  end
  return "done"
end)
print(co(), co(), co(), co())
print(total)
