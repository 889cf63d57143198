print(pcall(function() return 3 // 0 end))
print(pcall(function() return 3 % 0 end))
local zero = 0
print(pcall(function() return 10 // zero end))
print(pcall(function() return math.mininteger % zero end))
print(3 % 0.0 ~= 3 % 0.0, 3.5 // 0)
