-- expect: attempt to call a nil value (field 'rename')
os.rename("evil.lua", "pwned")
