-- every template of the path is tried, empty ones included
print(package.searchpath("mod", "a/?.lua;;b/?/init.lua;"))
print(package.searchpath("a.b.c", "./?.lua"))
print(package.searchpath("a.b", "./?.x", "."))
print(package.searchpath("a_b", "?-?", "_", "+"))
print(pcall(package.searchpath, "x"))
