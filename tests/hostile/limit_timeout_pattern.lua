-- expect: timeout
-- flags: --timeout 1
-- within: 20
-- Backtracking of Lua patterns, O(n^8) here: bounded by the clock inside the matcher.
print(pcall(string.find, ("a"):rep(3000), ("a-"):rep(8) .. "b"))
