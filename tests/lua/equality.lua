local t1, t2 = {}, {}
print(t1 == t1, t1 == t2, t1 ~= t2)
print(print == print, print == tostring)
local function f() end
local g = f
print(f == g, function() end == function() end)
print(1 == 1.0, "1" == 1, 0 == -0, 0.0 == -0.0, nil == nil, false == nil)
print(math.huge == math.huge, -math.huge == -math.huge)
print(rawequal(t1, t1), rawequal(t1, t2), rawequal(1, 1.0), rawequal("a", "a"))
