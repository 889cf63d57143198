-- all expressions are evaluated before any assignment
local t = {1, 2, 3}
local i = 1
i, t[i] = i + 1, "changed"
print(i, t[1], t[2])
local a, b, c = 1, 2, 3
a, b, c = c, a, b
print(a, b, c)
local x, y = 1
x, y = y, x
print(x, y)
local log = {}
local function v(n) log[#log + 1] = n return n end
local r = {}
r[v("k1")], r[v("k2")] = v("v1"), v("v2")
print(r.k1, r.k2, #log)
