-- @args: alpha beta 42
print(select("#", ...), ...)
print(arg[0], arg[1], arg[2], arg[3], #arg)
local first = ...
print(first)
