-- expect: not enough memory
-- flags: --max-memory 64
-- within: 30
local s = ("x"):rep(10000)
print(pcall(string.gsub, s, "x", ("y"):rep(100000)))
