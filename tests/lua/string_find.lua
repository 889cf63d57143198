local s = "the quick brown fox"
print(s:find("quick"), s:find("o"), s:find("o", 14), s:find("xyz"))
print(s:find("q.i"), s:find("q.i", 1, true), s:find("", 5), s:find("", 100))
print(s:find("(%a+) (%a+)"))
print(s:find("fox", -3), s:find("the", -100), ("a.b"):find(".", 1, true))
print(("[test]"):find("[", 1, true), ("a+b"):find("+", 1, true))
print(pcall(string.find, "x", "[a"))
print(pcall(string.find, "x", "%"))
print(pcall(string.find, "x", "(()"))
