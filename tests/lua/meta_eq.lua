local count = 0
local mt = {__eq = function(a, b) count = count + 1 return a.id == b.id end}
local a = setmetatable({id = 1}, mt)
local b = setmetatable({id = 1}, mt)
local c = setmetatable({id = 2}, mt)
print(a == b, a == c, a ~= b, a ~= c, count)
-- not called for the same object, or against other types
print(a == a, a == 1, a == "x", count)
-- only one operand needs the metamethod
local plain = {id = 1}
print(a == plain, plain == a, count)
-- the result is converted to a boolean
local weird = setmetatable({}, {__eq = function() return "yes" end})
print(weird == {}, rawequal(weird, {}))
