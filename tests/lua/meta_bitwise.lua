local B = {}
local function box(v) return setmetatable({v = v}, B) end
local function val(x) return type(x) == "table" and x.v or x end
B.__band = function(a, b) return box(val(a) & val(b)) end
B.__bor = function(a, b) return box(val(a) | val(b)) end
B.__bxor = function(a, b) return box(val(a) ~ val(b)) end
B.__shl = function(a, b) return box(val(a) << val(b)) end
B.__shr = function(a, b) return box(val(a) >> val(b)) end
B.__bnot = function(a) return box(~val(a)) end
print((box(12) & 10).v, (box(12) | 3).v, (5 ~ box(1)).v, (box(1) << 4).v, (box(256) >> 4).v, (~box(0)).v)
-- floats with a metamethod-less operand still raise the integer error
local ok, err = pcall(function() return 1.5 & box(1) end)
print(ok, type(err) == "string" and err or err.v)
