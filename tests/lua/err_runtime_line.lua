local function inner(t)
  local total = 0
  for i = 1, #t do
    total = total + t[i]
  end
  return total
end
print(inner({1, 2, 3}))
print(inner({1, "2", 3}))
print(inner({1, {}, 3}))
