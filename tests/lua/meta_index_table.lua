local base = {greet = function() return "hello" end, kind = "base"}
local mid = setmetatable({kind = "mid"}, {__index = base})
local obj = setmetatable({}, {__index = mid})
print(obj.kind, obj.greet(), obj.missing)
print(rawget(obj, "kind"))
obj.kind = "own"
print(obj.kind, mid.kind)
-- __index is consulted only for absent keys
local t = setmetatable({present = false}, {__index = function() return "fallback" end})
print(t.present, t.absent)
