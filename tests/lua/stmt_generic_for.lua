-- stateless iterator
local function iter(limit, i)
  if i < limit then return i + 1, (i + 1) * (i + 1) end
end
for i, sq in iter, 4, 0 do io.write(i, "=", sq, " ") end print()
-- closure iterator
local function range(n)
  local i = 0
  return function() i = i + 1; if i <= n then return i end end
end
local sum = 0
for v in range(100) do sum = sum + v end
print(sum)
-- extra values from the explist are dropped; missing ones are nil
for a, b, c in function(s, c) if not c then return 1, 2 end end do print(a, b, c) end
-- the fourth value is a to-be-closed variable
do
  local closer = setmetatable({}, {__close = function() print("closed iterator") end})
  for v in range(2), nil, nil, closer do print("v", v) end
  print("after loop")
end
