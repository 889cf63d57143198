local x = 1
do
  local x = 2
  print(x)
  do local x = x + 1; print(x) end
  print(x)
end
print(x)
local y = 10
local y = y + 1
print(y)
