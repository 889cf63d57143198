-- expect: attempt to call a nil value (field 'tmpname')
print(os.tmpname())
