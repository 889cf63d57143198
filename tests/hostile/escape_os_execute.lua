-- expect: attempt to call a nil value (field 'execute')
os.execute("touch pwned")
