local C = {}
C.__concat = function(a, b)
  local function s(x) return type(x) == "table" and "<" .. x.name .. ">" or tostring(x) end
  return s(a) .. s(b)
end
local obj = setmetatable({name = "obj"}, C)
print(obj .. "tail", "head" .. obj, 1 .. obj, obj .. obj)
print("a" .. obj .. "b")
print("x" .. "y" .. obj .. "z" .. 1)
print(pcall(function() return "a" .. {} end))
print(pcall(function() local t = {} return t .. "a" end))
