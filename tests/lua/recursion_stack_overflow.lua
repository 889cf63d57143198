local function infinite(n) return 1 + infinite(n + 1) end
local ok, err = pcall(infinite, 1)
print(ok, (string.find(err, "stack overflow", 1, true)) ~= nil)
print((err:gsub("^.-:%d+: ", ""):match("^[%a ]+")))
-- the state is usable afterwards
local function fine(n) if n == 0 then return "recovered" end return fine(n - 1) end
print(fine(1000))
