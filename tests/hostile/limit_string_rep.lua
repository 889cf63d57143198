-- expect: not enough memory
-- flags: --max-memory 64
-- within: 20
-- A gigabyte string: refused before it is built, even under pcall.
print(pcall(string.rep, "x", 1e9))
print("escaped the memory limit")
