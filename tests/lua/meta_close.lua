local function closer(name)
  return setmetatable({}, {__close = function(_, err) print("close", name, err) end})
end
do
  local a <close> = closer("a")
  local b <close> = closer("b")
  local c <close> = nil
  local d <close> = false
  print("in block")
end
print("after block")
local function f()
  local x <close> = closer("x")
  return "returned"
end
print(f())
print(pcall(function()
  local y <close> = closer("y")
  error("boom", 0)
end))
for i = 1, 2 do
  local z <close> = closer("z" .. i)
  if i == 2 then break end
end
print(pcall(function() local bad <close> = {} end))
print(pcall(function() local bad <close> = 42 end))
