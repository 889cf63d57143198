-- multiple assignment: adjustment, swap, evaluation before assignment
local a, b, c = 1, 2
print(a, b, c)
a, b = b, a
print(a, b)
local function three() return 10, 20, 30 end
local x, y = three()
print(x, y)
local p, q, r, s = three()
print(p, q, r, s)
local u, v = (three())
print(u, v)
local t = {}
local i = 1
i, t[i] = i + 1, 20
print(i, t[1], t[2])
local m, n = 1
print(m, n)
