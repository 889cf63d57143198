-- every iteration of a loop creates a fresh local
local fns = {}
for i = 1, 3 do fns[i] = function() return i end end
print(fns[1](), fns[2](), fns[3]())
local gs = {}
for _, v in ipairs({"a", "b", "c"}) do gs[#gs + 1] = function() return v end end
print(gs[1](), gs[2](), gs[3]())
local hs = {}
local k = 1
while k <= 3 do
  local j = k
  hs[k] = function() j = j + 100; return j end
  k = k + 1
end
print(hs[1](), hs[1](), hs[2](), hs[3]())
