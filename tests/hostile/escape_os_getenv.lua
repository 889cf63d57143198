-- expect: attempt to call a nil value (field 'getenv')
print(os.getenv("HOME"))
