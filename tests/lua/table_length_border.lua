local t = {}
print(#t)
for i = 1, 10 do t[i] = i end
print(#t)
t[#t] = nil
print(#t)
t[#t + 1] = "x"
print(#t, t[10])
local s = {1, 2, 3, nil}
print(#s)
local u = {n = 1, 10, 20}
print(#u)
local big = {}
for i = 1, 1000 do big[i] = true end
for i = 1000, 501, -1 do big[i] = nil end
print(#big)
print(#"", #"abc", #{{}, {}})
