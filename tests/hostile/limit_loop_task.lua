-- expect: instruction limit exceeded
-- flags: --max-instructions 1000000
-- within: 30
local t = task.spawn(function() while true do end end)
print(pcall(task.join, t))
print("join caught the limit")
