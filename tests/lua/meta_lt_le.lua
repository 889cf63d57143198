local V = {}
V.__lt = function(a, b) return a.v < b.v end
V.__le = function(a, b) return a.v <= b.v end
local function v(x) return setmetatable({v = x}, V) end
print(v(1) < v(2), v(2) < v(1), v(1) <= v(1), v(2) >= v(3), v(3) > v(2))
-- the metamethod result is converted to a boolean; > and >= swap the operands
local order = {}
local S = {__lt = function(a, b) order[#order + 1] = a.v .. "<" .. b.v return 1 end}
local x, y = setmetatable({v = "x"}, S), setmetatable({v = "y"}, S)
print(x < y, x > y, table.concat(order, " "))
-- mixed operands reach the metamethod too
local N = setmetatable({}, {__lt = function(a, b) return type(a) == "number" end})
print(1 < N, N < 1)
local R = setmetatable({}, {__lt = function() return nil end})
print(R < R)
