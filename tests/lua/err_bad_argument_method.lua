-- argument numbers shift for method calls, and the name is the method's
local s = "text"
print(pcall(function() return s:rep("x") end))
print(pcall(function() return s:sub({}) end))
print(pcall(function() return ("x"):format() end))
print(pcall(function() return s.rep(s, {}) end))
local t = {insert = table.insert}
print(pcall(function() return t.insert(nil, 1) end))
