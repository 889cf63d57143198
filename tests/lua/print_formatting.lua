print()
print(nil)
print(1, nil, 3)
print(true, false)
print("a", "b", "c")
print(1, 1.0, -1, "1")
io.write("no newline", 1, 2.5, "\n")
io.write()
print(("x"):rep(5))
-- print does not call the global tostring
local saved = tostring
tostring = function() return "hijacked" end
print(42, {} ~= nil)
tostring = saved
print(select("#", print()))
