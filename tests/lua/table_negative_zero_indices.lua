local t = {}
t[0] = "zero"
t[-1] = "minus one"
t[1] = "one"
print(#t, t[0], t[-1], t[1])
local keys = {}
for k in pairs(t) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys, " "))
t[math.maxinteger] = "max"
t[math.mininteger] = "min"
print(t[math.maxinteger], t[math.mininteger], t[2^63])
t[2^63] = "float key"
print(t[2^63], t[math.maxinteger])
