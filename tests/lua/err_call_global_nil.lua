print("calling")
undefined_function(1, 2)
