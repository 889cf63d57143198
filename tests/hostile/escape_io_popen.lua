-- expect: attempt to index a nil value (global 'io')
-- start a process and read its output
print(io.popen("id"):read("a"))
