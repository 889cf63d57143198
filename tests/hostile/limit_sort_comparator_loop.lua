-- expect: instruction limit exceeded
-- flags: --max-instructions 1000000
-- within: 30
local t = {}
for i = 1, 100 do t[i] = -i end
print(pcall(table.sort, t, function(a, b) local n = 0 while n < 100 do n = n + 1 end return a < b end))
for _ = 1, 1e9 do table.sort(t, function(a, b) return a < b end) end
