local t = setmetatable({}, {__pairs = function(self)
  local i = 0
  return function() i = i + 1 if i <= 3 then return i, i * i end end, self, nil
end})
for k, v in pairs(t) do io.write(k, "=", v, " ") end print()
-- next ignores __pairs
print(next(t))
local passthrough = setmetatable({a = 1}, {__pairs = function(s) return next, s, nil end})
for k, v in pairs(passthrough) do print(k, v) end
-- pairs accepts any value; the error comes from next
local f, s, c = pairs(nil)
print(f == next, s, c, pcall(f, s))
print(pcall(pairs))
