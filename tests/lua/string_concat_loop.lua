local parts = {}
for i = 1, 1000 do parts[#parts + 1] = tostring(i) end
local joined = table.concat(parts, ",")
print(#joined, joined:sub(1, 20), joined:sub(-15))
local s = ""
for i = 1, 200 do s = s .. (i % 10) end
print(#s, s:sub(1, 25))
print(("ab"):rep(1000):len(), select(2, ("ab"):rep(1000):gsub("ab", "")))
