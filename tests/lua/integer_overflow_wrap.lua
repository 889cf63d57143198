local m = math.maxinteger
print(m + 1, m * 3, -m - 2, m + m)
print(math.mininteger - 1, math.mininteger * 2, math.mininteger + math.mininteger)
local h = 0
for i = 1, 100 do h = h * 31 + i end
print(h)
local x = 1
for i = 1, 70 do x = x * 2 end
print(x)
local f = 1.0
for i = 1, 70 do f = f * 2 end
print(f)
print(5 // 0.0, -5 // 0.0, 0 * -1, 0.0 * -1)
