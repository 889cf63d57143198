-- Float iteration with early exit: the Mandelbrot set, bits packed into a checksum.
local size = tonumber(arg and arg[1]) or 200

local sum, bits, nbits = 0, 0, 0
for y = 0, size - 1 do
  local ci = 2.0 * y / size - 1.0
  for x = 0, size - 1 do
    local cr = 2.0 * x / size - 1.5
    local zr, zi, inside = 0.0, 0.0, 1
    for _ = 1, 50 do
      local zr2, zi2 = zr * zr, zi * zi
      if zr2 + zi2 > 4.0 then inside = 0; break end
      zi = 2.0 * zr * zi + ci
      zr = zr2 - zi2 + cr
    end
    bits = (bits << 1) | inside
    nbits = nbits + 1
    if nbits == 8 then
      sum = (sum * 31 + bits) % 1000000007
      bits, nbits = 0, 0
    end
  end
end
print("mandelbrot", size, sum)
