-- expect: instruction limit exceeded
-- flags: --max-instructions 1000000
-- within: 30
local gen = coroutine.wrap(function() local n = 0 while true do n = n + 1 if n % 1000 == 0 then coroutine.yield(n) end end end)
while true do pcall(gen) end
