local function handler(e) return "handled: " .. tostring(e) end
print(xpcall(function() error("oops", 0) end, handler))
print(xpcall(function(a, b) return a + b end, handler, 3, 4))
print(xpcall(function() error({}) end, function(e) return type(e) end))
print(xpcall(function() local x = nil; return x.y end, function(e) return (e:gsub("^.-:%d+: ", "")) end))
local tb = select(2, xpcall(function() error("traced") end, debug.traceback))
print((tb:match("^[^\n]*")))
print(tb:match("stack traceback:") ~= nil)
print(pcall(xpcall))
print(pcall(xpcall, print))
-- the handler runs before the stack unwinds
local depth
xpcall(function() local function f() error("x") end f() end, function() depth = debug.getinfo(2, "l") ~= nil end)
print(depth)
