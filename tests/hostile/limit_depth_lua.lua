-- expect: stack overflow
-- flags: --max-instructions 100000000
-- within: 60
-- Deep recursion is an ordinary Lua error (pcall may catch it, as in Lua).
local function f(n) return 1 + f(n + 1) end
print(pcall(f, 1))
f(1)
