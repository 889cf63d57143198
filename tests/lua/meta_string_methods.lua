print(("x"):rep(3), ("abc"):upper(), ("ABC"):lower(), ("hello"):len())
print(("hello"):sub(2, 3), ("hello"):sub(-3), ("hello"):sub(2), ("hello"):sub(0), ("hello"):sub(10))
print(("hello"):byte(), ("hello"):byte(-1), ("hi"):byte(1, -1))
print(("%d items"):format(3), ("a,b"):find(","), ("abc"):reverse())
local s = "method"
print(s:len(), #s, s:upper():lower())
print(getmetatable("").__index == string, string.len == ("").len)
-- arithmetic on strings goes through the string metatable
print("10" + 5, -"2", "3" * "4", "2" ^ 2)
print(pcall(function() return ("x"):nosuch() end))
