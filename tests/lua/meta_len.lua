local t = setmetatable({1, 2, 3}, {__len = function(self) return 42 end})
print(#t, rawlen(t))
local s = setmetatable({}, {__len = function() return "not a number" end})
print(#s)
print(pcall(function() return #5 end))
print(pcall(function() local n = nil return #n end))
-- strings ignore __len in their metatable
print(#"abc")
