local Builder = {}
Builder.__index = Builder
function Builder.new() return setmetatable({parts = {}}, Builder) end
function Builder:add(s) self.parts[#self.parts + 1] = s return self end
function Builder:build(sep) return table.concat(self.parts, sep or "") end
print(Builder.new():add("a"):add("b"):add("c"):build("-"))
local s = Builder.new()
s:add("x")
Builder.add(s, "y")
print(s:build())
print(pcall(Builder.add, nil, "z"))
