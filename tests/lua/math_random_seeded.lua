math.randomseed(42)
local a = {}
for i = 1, 5 do a[i] = math.random(1, 100) end
print(table.concat(a, " "))
math.randomseed(42)
print(math.random(1, 100) == a[1])
math.randomseed(7, 3)
local f = math.random()
print(f >= 0 and f < 1, math.random(10) <= 10, math.type(math.random(0)))
math.randomseed(123)
print(math.random(1000000), math.random(5, 6), math.random(-3, -3))
print(pcall(math.random, 2, 1))
print(pcall(math.random, 1, 2, 3))
print(math.random(math.mininteger, math.maxinteger) ~= nil)
