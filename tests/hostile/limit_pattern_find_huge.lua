-- expect: instruction limit exceeded
-- flags: --max-instructions 2000000
-- within: 60
local s = ("a"):rep(1e6)
print(pcall(string.find, s, ".-b"))
