-- String building: repeated `..` on a growing string, and table.concat of pieces.
local n = tonumber(arg and arg[1]) or 100000

local s = ""
for i = 1, n // 10 do s = s .. i .. "," end

local parts = {}
for i = 1, n do parts[#parts + 1] = "item" .. i end
local joined = table.concat(parts, ";")

local h = 0
for i = 1, #joined, 7 do h = (h * 31 + joined:byte(i)) % 1000000007 end
print("string_build", n, #s, #joined, h)
