-- expect: attempt to index a nil value (global 'io')
-- read a file of the host
local f = io.open("/etc/passwd")
print(f:read("a"))
