-- Nested float loops over arrays: the spectral norm of an infinite matrix.
local n = tonumber(arg and arg[1]) or 150

local function A(i, j)
  local ij = i + j - 1
  return 1.0 / (ij * (ij - 1) * 0.5 + i)
end

local function At(i, j) return A(j, i) end

-- y = M x, where M(i, j) is A or its transpose
local function multiply(M, x, y)
  for i = 1, n do
    local a = 0.0
    for j = 1, n do a = a + x[j] * M(i, j) end
    y[i] = a
  end
end

local function AtAv(x, y, t)
  multiply(A, x, t)
  multiply(At, t, y)
end

local u, v, t = {}, {}, {}
for i = 1, n do u[i] = 1.0 end
for _ = 1, 10 do
  AtAv(u, v, t)
  AtAv(v, u, t)
end
local vBv, vv = 0.0, 0.0
for i = 1, n do
  vBv = vBv + u[i] * v[i]
  vv = vv + v[i] * v[i]
end
print("spectral_norm", n, string.format("%.9f", math.sqrt(vBv / vv)))
