for i = 1, 3 do io.write(i, " ") end print()
for i = 3, 1, -1 do io.write(i, " ") end print()
for i = 1, 0 do print("never") end
for i = 10, 1, -3 do io.write(i, " ") end print()
-- the loop variable is a copy: changing it does not affect iteration
for i = 1, 3 do
  local j = i
  i = i * 10
  io.write(j, ":", i, " ")
end
print()
-- bounds are evaluated once
local n = 3
for i = 1, n do n = n + 1 end
print(n)
-- near the integer limits the loop does not wrap around
local c = 0
for i = math.maxinteger - 2, math.maxinteger do c = c + 1 end
print(c)
c = 0
for i = math.mininteger, math.mininteger + 2 do c = c + 1 end
print(c)
c = 0
for i = math.mininteger + 2, math.mininteger, -1 do c = c + 1 end
print(c)
for i = 1, 3, math.maxinteger do io.write(i, " ") end print()
