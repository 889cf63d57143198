local function try(f) print(select(2, pcall(f))) end
local t = {}
try(function() return -t end)
try(function() return t + 1 end)
try(function() return 2 * t.field end)
try(function() return t.a.b end)
try(function() local up = t; return (function() return up.x.y end)() end)
try(function() return (nil)[1] end)
try(function() return ("abc").x.y end)
try(function() return math.nosuch() end)
try(function() return #t.missing end)
try(function() t.x.y = 1 end)
