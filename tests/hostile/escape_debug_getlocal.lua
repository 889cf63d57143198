-- expect: attempt to call a nil value (field 'getlocal')
print(debug.getlocal(1, 1))
