-- expect: attempt to call a nil value (global 'loadfile')
loadfile("evil.lua")()
