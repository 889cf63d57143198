-- expect: not enough memory
-- flags: --max-memory 64
-- within: 30
local big, t = ("x"):rep(2^20), {}
for i = 1, 2000 do t[i] = big end
print(pcall(table.concat, t))
