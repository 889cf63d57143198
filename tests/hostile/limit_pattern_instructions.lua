-- expect: instruction limit exceeded
-- flags: --max-instructions 1000000
-- within: 30
print(pcall(string.find, ("a"):rep(3000), ("a-"):rep(8) .. "b"))
