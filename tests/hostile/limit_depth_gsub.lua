-- expect: stack overflow
-- flags: --max-instructions 100000000
-- within: 60
local function g(s) return (s:gsub(".", g)) end
print(g("ab"))
