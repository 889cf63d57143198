print(table.unpack({1, 2, 3}, -1, 1))
print(table.unpack({"a", "b"}, 2, 2))
local src = {1, 2, 3, 4, 5}
local dst = table.move(src, 2, 4, 1, {})
print(table.concat(dst, ","))
table.move(src, 1, 3, 3)
print(table.concat(src, ","))
local t = {1, 2, 3}
print(table.move(t, 1, 0, 5) == t, #t)
print(pcall(table.unpack, {}, 1, 1e8))
print(pcall(table.move, {}, 1, math.maxinteger, 2))
