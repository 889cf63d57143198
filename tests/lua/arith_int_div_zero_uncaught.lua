-- @lua54-differs: Lua 5.4.4 reports line 2 for this error, 5.4.8 line 3
local a, b = 10, 0
print("before")
print(a // b)
