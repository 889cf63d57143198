local y = 2
print("start")
local z = x + y
print(z)
