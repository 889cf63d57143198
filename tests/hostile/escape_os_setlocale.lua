-- expect: attempt to call a nil value (field 'setlocale')
os.setlocale("C")
