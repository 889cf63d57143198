-- expect: timeout
-- flags: --timeout 1
-- within: 20
local t = task.spawn(function() task.wait(100) end)
print(pcall(task.join, t))
