-- the collector runs by itself as garbage accumulates: a weak entry disappears
-- without any call to collectgarbage
local probe = setmetatable({[1] = {}}, {__mode = "v"})
local n = 0
while probe[1] and n < 200000 do
  local garbage = {n, tostring(n)}
  n = n + 1
end
print(probe[1] == nil)
