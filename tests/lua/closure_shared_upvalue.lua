-- two closures created in the same scope share one variable
local function pair()
  local v = 0
  local function get() return v end
  local function set(x) v = x end
  return get, set
end
local get, set = pair()
set(42)
print(get())
local get2, set2 = pair()
set2(7)
print(get(), get2())
-- the creating function sees updates made by its closures
local function outer()
  local x = 1
  local function bump() x = x + 10 end
  bump(); bump()
  return x
end
print(outer())
