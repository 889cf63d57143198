local t = {5, 2, 8, 1, 9, 3}
table.sort(t)
print(table.concat(t, " "))
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, " "))
local words = {"delta", "alpha", "charlie", "bravo"}
table.sort(words)
print(table.concat(words, " "))
local recs = {{n = "x", v = 3}, {n = "y", v = 1}, {n = "z", v = 2}}
table.sort(recs, function(a, b) return a.v < b.v end)
print(recs[1].n, recs[2].n, recs[3].n)
local mixed = {3, 1.5, 2, -1, 0.5}
table.sort(mixed)
print(table.concat(mixed, " "))
print(pcall(table.sort, {3, "a", 1}))
local big = {}
for i = 1, 200 do big[i] = (i * 7919) % 211 end
table.sort(big)
local ok = true
for i = 2, #big do if big[i - 1] > big[i] then ok = false end end
print(ok, big[1], big[200])
