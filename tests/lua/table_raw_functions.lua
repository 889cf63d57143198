local mt = {__index = function() return "meta" end, __newindex = function() error("blocked") end,
            __len = function() return 99 end, __eq = function() return true end}
local t = setmetatable({}, mt)
print(t.x, rawget(t, "x"))
rawset(t, "x", 1)
print(t.x, rawlen(t), #t, rawlen("abc"))
print(rawequal(t, setmetatable({}, mt)), t == setmetatable({}, mt))
print(pcall(rawlen, 5))
print(pcall(rawget, "s", 1))
print(rawset(t, 1, 2) == t)
