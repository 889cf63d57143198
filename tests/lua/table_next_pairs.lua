local t = {10, 20, 30, 40}
for i, v in pairs(t) do io.write(i, ":", v, " ") end print()
local h = {a = 1, b = 2, c = 3, d = 4}
local keys, sum = {}, 0
for k, v in pairs(h) do keys[#keys + 1] = k; sum = sum + v end
table.sort(keys)
print(table.concat(keys, ","), sum)
print(next({}), next({}, nil), type(next))
local k, v = next({"only"})
print(k, v)
print(pcall(next, {}, "missing"))
-- clearing fields during traversal is allowed
local m = {x = 1, y = 2, z = 3}
for key in pairs(m) do m[key] = nil end
print(next(m))
local p = pairs({})
print(p == next)
