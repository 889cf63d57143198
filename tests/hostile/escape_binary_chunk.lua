-- expect: attempt to load a binary chunk (mode is 't')
-- bytecode is trusted by the VM: a crafted chunk is refused
assert(load("\27Lua\84\0\25\147\13\10\26\10\4\8\8\120\86\0\0\0\0\0\0\0\0\0\0\0\40\119\64"))
