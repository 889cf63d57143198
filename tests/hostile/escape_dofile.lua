-- expect: attempt to call a nil value (global 'dofile')
dofile("evil.lua")
