-- expect: instruction limit exceeded
-- flags: --max-instructions 1000000
-- within: 30
setmetatable({}, {__gc = function() while true do end end})
print(pcall(collectgarbage))
