-- expect: attempt to call a nil value (field 'getupvalue')
print(debug.getupvalue(require, 1))
