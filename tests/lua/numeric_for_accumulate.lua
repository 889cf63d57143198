local sum = 0
for i = 1, 100 do sum = sum + i / 10 end
print(sum, string.format("%.10f", sum))
local fsum = 0.0
for i = 0.1, 1.0, 0.1 do fsum = fsum + 1 end
print(fsum)
local isum = 0
for i = -10, 10, 3 do isum = isum + i end
print(isum)
local n = 0
for i = math.maxinteger, math.maxinteger - 10, -5 do n = n + 1 end
print(n)
for i = 1, 3, 2^62 do io.write(i, " ") end print()
local big = 0
for i = 1, 2, 0.25 do big = big + 1 end
print(big)
