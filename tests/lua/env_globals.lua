x = 10
print(_G.x, _ENV.x, rawget(_G, "x"))
_G.y = 20
print(y)
local function scoped()
  local _ENV = setmetatable({}, {__index = _G})
  z = 30
  return z, _G.z
end
print(scoped())
do
  local _ENV = {print = print}
  w = 1
  print(w, x)
end
print(w)
setmetatable(_G, {__index = function(_, k) return "default:" .. k end})
print(undefined_name)
setmetatable(_G, nil)
print(undefined_name)
