-- String library: string.format, gsub with patterns and replacements, find, match, rep, sub.
local n = tonumber(arg and arg[1]) or 10000

local words = { "alpha", "beta", "gamma", "delta", "epsilon" }
local total, found, h = 0, 0, 0
for i = 1, n do
  local line = string.format("%05d:%s=%.3f;%x", i, words[i % 5 + 1], i / 7, i * 13)
  local replaced, count = line:gsub("%d", function(d) return d + 1 end)
  total = total + count
  local upper = line:gsub("%a+", string.upper)
  if upper:find("GAMMA", 1, true) then found = found + 1 end
  local key, value = line:match("(%a+)=([%d%.]+)")
  total = total + #key + math.floor(tonumber(value))
  local padded = ("ab"):rep(i % 5) .. replaced:sub(2, -2)
  for j = 1, #padded, 3 do h = (h * 31 + padded:byte(j)) % 1000000007 end
end
print("string_lib", n, total, found, h)
