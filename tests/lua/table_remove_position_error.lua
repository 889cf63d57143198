-- @lua54-differs: Lua 5.4.4 blames argument #1, 5.4.8 argument #2
local t = {1, 2, 3}
print(pcall(table.remove, t, 7))
print(pcall(table.remove, t, -1))
print(table.remove(t, 4), #t)
