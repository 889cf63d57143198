local function f(...)
  local p = table.pack(...)
  return p.n, select("#", ...), p[1], p[3]
end
print(f(1, 2, 3))
print(f(1, nil, 3))
local p = table.pack(nil, nil)
print(p.n, p[1], p[2])
print(table.unpack({1, 2, 3}))
print(table.unpack({1, 2, 3}, 2))
print(table.unpack({1, 2, 3}, 2, 5))
print(table.unpack({}, 1, 0))
print(select("#", table.unpack({}, 1, 3)))
local function g(...) local a, b = ... return a, b end
print(g(9))
print(g(9, 8, 7))
