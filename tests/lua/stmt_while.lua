local n, steps = 27, 0
while n ~= 1 do
  if n % 2 == 0 then n = n // 2 else n = 3 * n + 1 end
  steps = steps + 1
end
print("collatz steps", steps)
local i = 0
while true do
  i = i + 1
  if i > 5 then break end
end
print(i)
while false do print("never") end
