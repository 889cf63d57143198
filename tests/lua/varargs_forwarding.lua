local function count(...) return select("#", ...) end
local function forward(...) return count(...) end
local function forward_plus(...) return count(..., "extra") end
local function forward_first(...) return count((...)) end
print(forward(), forward(nil), forward(1, nil, nil))
print(forward_plus(1, 2, 3), forward_first(1, 2, 3), forward_first())
local function tail(...) return ... end
print(tail(1, nil, 3, nil))
print(select("#", tail(1, nil, 3, nil)))
local function va_table(...) local t = {n = select("#", ...), ...} return t.n, #t end
print(va_table("a", "b", "c"))
local big = {}
for i = 1, 250 do big[i] = i end
print(select("#", table.unpack(big)), (select(250, table.unpack(big))))
print(math.max(table.unpack(big)))
