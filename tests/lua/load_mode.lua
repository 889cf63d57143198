local function add(a, b) return a + b end
local dumped = string.dump(add)
print(type(dumped), dumped:sub(1, 4) == "\27Lua")
print(load(dumped, "bin", "t"))
print(load("return 1", "txt", "b"))
local back = load(dumped, "bin", "b")
print(back(2, 3))
print(load(dumped)(4, 5))
print(pcall(load, "return 1", "x", "q"))
