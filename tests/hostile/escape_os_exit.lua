-- expect: attempt to call a nil value (field 'exit')
-- end the host process
os.exit(3)
