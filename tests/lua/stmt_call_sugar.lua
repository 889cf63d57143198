local function id(...) return ... end
print(id"literal")
print(id[[long literal]])
print(#id{1, 2, 3})
print(("%d-%d"):format(1, 2))
local s = "abc"
print(s:upper(), s:len(), #s)
print(type{}, type"")
local t = {f = function(self, x) return x end}
print(t:f"x", t:f{1}[1])
