-- expect: not enough memory
-- flags: --max-memory 64
-- within: 30
local big, args = ("x"):rep(2^22), {}
for i = 1, 250 do args[i] = big end
print(pcall(string.format, ("%s"):rep(250), table.unpack(args)))
