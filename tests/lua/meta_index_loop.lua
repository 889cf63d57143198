local a, b = {}, {}
setmetatable(a, {__index = b})
setmetatable(b, {__index = a})
print(pcall(function() return a.x end))
local c = {}
setmetatable(c, {__newindex = c})
local self_index = setmetatable({}, {})
getmetatable(self_index).__index = self_index
print(pcall(function() return self_index.y end))
