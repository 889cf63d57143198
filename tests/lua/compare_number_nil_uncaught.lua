local limit
local n = 5
if n < limit then print("less") end
