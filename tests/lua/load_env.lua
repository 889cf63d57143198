local env = {x = 5}
local f = load("x = x + 1; return x", "chunk", "t", env)
print(f(), env.x, x)
local sandbox = {print = print}
local g = load("print(string); y = 10", "sb", "t", sandbox)
g()
print(sandbox.y, y)
local h = load("local _ENV = {z = 3}; return z")
print(h())
local function with_env()
  local _ENV = {tostring = tostring}
  return tostring(print)
end
print(with_env())
print(load("return _ENV")() == _G, _ENV == _G)
local count = 0
local proxy = setmetatable({}, {__index = function(_, k) count = count + 1 return _G[k] end})
load("local a = type; local b = print", "p", "t", proxy)()
print(count)
