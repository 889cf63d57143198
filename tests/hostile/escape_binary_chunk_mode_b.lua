-- expect: attempt to load a binary chunk (mode is '')
assert(load("\27Lua\84\0", "=evil", "b"))
