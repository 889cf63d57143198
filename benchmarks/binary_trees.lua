-- Allocation of many small tables: the binary-trees benchmark.
local maxdepth = tonumber(arg and arg[1]) or 12

local function bottom_up(depth)
  if depth == 0 then return {} end
  depth = depth - 1
  return { bottom_up(depth), bottom_up(depth) }
end

local function check(tree)
  if tree[1] then return 1 + check(tree[1]) + check(tree[2]) end
  return 1
end

local mindepth = 4
if mindepth + 2 > maxdepth then maxdepth = mindepth + 2 end
local total = check(bottom_up(maxdepth + 1))
local long_lived = bottom_up(maxdepth)
for depth = mindepth, maxdepth, 2 do
  local iterations = 1 << (maxdepth - depth + mindepth)
  local sum = 0
  for _ = 1, iterations do sum = sum + check(bottom_up(depth)) end
  total = total + sum
end
total = total + check(long_lived)
print("binary_trees", maxdepth, total)
