-- assigning to a <const> variable is a compile-time error
print(load("local x <const> = 1; x = 2"))
print(load("local y <const> = 1; local function f() y = 3 end"))
print(load("local z <foo> = 1"))
