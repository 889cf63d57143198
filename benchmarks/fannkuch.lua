-- Array permutations and flips: fannkuch-redux.
local n = tonumber(arg and arg[1]) or 8

local perm, perm1, count = {}, {}, {}
for i = 0, n - 1 do perm1[i] = i end
local maxflips, checksum, permcount, r = 0, 0, 0, n

while true do
  while r ~= 1 do count[r - 1] = r; r = r - 1 end
  for i = 0, n - 1 do perm[i] = perm1[i] end
  local flips = 0
  local k = perm[0]
  while k ~= 0 do
    local i, j = 0, k
    while i < j do
      perm[i], perm[j] = perm[j], perm[i]
      i, j = i + 1, j - 1
    end
    flips = flips + 1
    k = perm[0]
  end
  if flips > maxflips then maxflips = flips end
  checksum = checksum + (permcount % 2 == 0 and flips or -flips)

  -- next permutation in the counting order
  while true do
    if r == n then
      print("fannkuch", n, checksum, maxflips)
      return
    end
    local first = perm1[0]
    for i = 0, r - 1 do perm1[i] = perm1[i + 1] end
    perm1[r] = first
    count[r] = count[r] - 1
    if count[r] > 0 then break end
    r = r + 1
  end
  permcount = permcount + 1
end
