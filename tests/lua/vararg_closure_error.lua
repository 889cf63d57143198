print(load("function f() return ... end"))
print(load("return function(...) local f = function() return ... end end"))
local f = load("return ...")
print(f(1, 2, 3))
local g = function(a, ...) return a, select("#", ...) end
print(g(), g(1), g(1, 2), g(1, nil, nil))
