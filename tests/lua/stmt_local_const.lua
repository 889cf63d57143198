-- <const> locals are plain values at run time
local limit <const> = 10
local name <const> = "pylua"
local total = 0
for k = 1, limit do total = total + k end
print(total, name, limit * 2)
local f <const> = function(v) return v + limit end
print(f(5))
