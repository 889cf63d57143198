local x = "outer"
local function f(x) return x end
print(f("param"), x)
local function g()
  local x = "g-local"
  local function h() local x = "h-local" return x end
  return x, h()
end
print(g())
for x = 1, 2 do io.write(x, " ") end print(x)
local x = x .. "!"
print(x)
local a, a = 1, 2
print(a)
