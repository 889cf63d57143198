-- expect: attempt to call a nil value (field 'getinfo')
print(debug.getinfo(1, "f").func)
