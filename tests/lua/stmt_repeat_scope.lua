-- the until condition sees locals declared in the body
local count = 0
repeat
  local done = count >= 3
  count = count + 1
until done
print(count)
local fns = {}
local k = 0
repeat
  local j = k
  fns[#fns + 1] = function() return j end
  k = k + 1
until j >= 2
print(fns[1](), fns[2](), fns[3]())
