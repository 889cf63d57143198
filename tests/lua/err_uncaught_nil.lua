io.write("partial output")
error()
