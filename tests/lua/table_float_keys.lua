local t = {}
t[1.0] = "one"
t[2] = "two"
print(t[1], t[2.0], #t)
for k, v in pairs(t) do io.write(math.type(k), "=", v, " ") end print()
t[2^53] = "big"
print(t[math.tointeger(2^53)])
t[1.5] = "frac"
print(t[1.5], t[1])
t["1"] = "string one"
print(t[1], t["1"])
local k = next({[3.0] = true})
print(k, math.type(k))
print(rawget(t, 1.0), rawget(t, 2^53))
