print(xpcall(function() error("first") end, function(e) error("in handler") end))
print(xpcall(error, function(e) return e end, "passed", 0))
