local parts = {"return ", "10 ", "+ ", "32"}
local i = 0
local f = load(function() i = i + 1 return parts[i] end)
print(f())
local done = false
local g = load(function() if done then return "" end done = true return "return 'piece'" end)
print(g())
print(type(load(function() return nil end)))
print(pcall(load, function() return {} end))
local h = load(function() return nil end)
print(type(h), h and h())
