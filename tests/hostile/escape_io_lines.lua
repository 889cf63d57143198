-- expect: attempt to index a nil value (global 'io')
for line in io.lines("/etc/passwd") do print(line) end
