-- expect: instruction limit exceeded
-- flags: --max-instructions 1000000
-- within: 30
local co = coroutine.create(function() while true do end end)
print(coroutine.resume(co))
print("resume caught the limit")
