local s = "Hello, World"
print(#s, s:len(), s:upper(), s:lower(), s:reverse())
print(s:sub(1, 5), s:sub(-5), s:sub(-100, 2), s:sub(5, 1), s:sub(math.mininteger, math.maxinteger))
print(s:byte(1), s:byte(-1), s:byte(100), s:byte(3, 5))
print(string.char(72, 105), string.char(), ("x"):rep(0), ("x"):rep(-1), ("ab"):rep(3, "|"))
print(("\0a\0"):len(), ("a\0b"):upper(), ("\200\201"):byte(1, 2))
print(("%"):rep(3), ("abc"):sub(2, 2), ("abc"):sub(3, 10))
