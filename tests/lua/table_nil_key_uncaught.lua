local t = {}
local key
t[key] = "value"
print("unreachable")
