-- upvalues stay valid after the creating frame is gone, even when other frames
-- reuse its stack slots
local function make(v)
  local a, b, c = v, v * 2, v * 3
  return function() return a, b, c end
end
local f1 = make(1)
local f2 = make(10)
local function clobber(x, y, z, w) return x + y + z + w end
clobber(100, 200, 300, 400)
print(f1())
print(f2())
local function gen()
  local t = {}
  for i = 1, 3 do
    local sq = i * i
    t[i] = function() sq = sq + 1 return sq end
  end
  return t
end
local t = gen()
print(t[1](), t[1](), t[2](), t[3]())
