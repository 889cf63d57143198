local function three() return "a", "b", "c" end
local t = {1, 2, x = "x", [3] = "three?", 4, ["y z"] = 5; 6,}
print(t[1], t[2], t[3], t[4], t.x, t["y z"])
local u = {three()}
print(#u, u[3])
local v = {three(), "last"}
print(#v, v[1], v[2])
local w = {[1] = "a", [2] = "b", "override"}
print(w[1], w[2])
local nested = {{1, 2}, {3, {4, 5}}}
print(nested[2][2][2], #nested)
local keys = {[1.0] = "f", [true] = "t", [print] = "p"}
print(keys[1], keys[true], keys[print])
