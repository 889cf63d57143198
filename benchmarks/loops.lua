-- Numeric loops: integer arithmetic (wrapping, bitwise, floor division) and float arithmetic.
local n = tonumber(arg and arg[1]) or 1000000

local isum, xor = 0, 0
for i = 1, n do
  isum = isum + i * i // 3 - i % 7
  xor = xor ~ (i << 3) ~ (isum & 0xffff)
end

local fsum, x = 0.0, 0.5
for i = 1, n do
  x = x * 1.0000001 + 0.25 / i
  fsum = fsum + x / (i + 0.5)
end

local w, count = 0, 0
while w < n do
  w = w + 3
  if w % 2 == 0 then count = count + 1 end
end

print("loops", n, isum, xor, string.format("%.6f", fsum), count)
