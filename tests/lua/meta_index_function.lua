local calls = 0
local memo = setmetatable({}, {__index = function(self, n)
  calls = calls + 1
  local v = n < 2 and n or self[n - 1] + self[n - 2]
  rawset(self, n, v)
  return v
end})
print(memo[80], calls)
print(memo[80], calls)
local strict = setmetatable({}, {__index = function(_, k) error("undefined field " .. k, 2) end})
print(pcall(function() return strict.nope end))
