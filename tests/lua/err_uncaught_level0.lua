local function check(x)
  if type(x) ~= "number" then error("expected a number, got " .. type(x), 2) end
end
check(1)
print("first ok")
check("two")
