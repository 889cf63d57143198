local name = "lines_test.txt"
local f = assert(io.open(name, "w"))
f:write("10 20\nalpha\n\nlast")
f:close()
for a, b in io.lines(name, "n", "n") do print(a, b) break end
local count = 0
for l in io.lines(name) do count = count + 1 end
print(count)
for l in io.lines(name, "L") do io.write(string.format("%q", l), " ") end print()
for c in io.lines(name, 3) do io.write("<", c, ">") end print()
print(pcall(io.lines, "missing_file.txt"))
local h = io.open(name)
print(h:read("n", "l", "l", "l", "l", "l"))
h:close()
os.remove(name)
