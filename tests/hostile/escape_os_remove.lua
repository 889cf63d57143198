-- expect: attempt to call a nil value (field 'remove')
os.remove("evil.lua")
