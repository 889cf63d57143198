-- expect: pattern too complex
-- flags: --max-instructions 1000000
-- within: 30
-- The matcher's own recursion is bounded as in C Lua (MAXCCALLS).
string.find(("a"):rep(300), ("a?"):rep(300) .. "b")
