-- expect: not enough memory
-- flags: --max-memory 64
-- within: 20
local ok, s = pcall(function() return ("x"):rep(1e9) end)
print("escaped the memory limit", ok, #tostring(s))
