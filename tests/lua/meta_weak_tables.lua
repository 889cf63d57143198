-- a full collection clears weak entries whose key or value is otherwise unreachable
local function count(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end
local keep = {}
local weakv = setmetatable({}, {__mode = "v"})
weakv[1] = {}
weakv[2] = keep
weakv[3] = "strings are values, never collected"
weakv[4] = 42
local weakk = setmetatable({}, {__mode = "k"})
weakk[{}] = "lost key"
weakk[keep] = "kept key"
local strong = {}
strong[{}] = true
collectgarbage()
print(weakv[1], weakv[2] == keep, weakv[3], weakv[4])
print(count(weakk), weakk[keep], count(strong))
print(getmetatable(weakk).__mode, getmetatable(weakv).__mode)
