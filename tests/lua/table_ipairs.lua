local t = {1, 2, nil, 4}
for i, v in ipairs(t) do io.write(i, "=", v, " ") end print()
for i, v in ipairs({}) do print("never") end
local proxy = setmetatable({}, {__index = function(_, i) if i <= 3 then return i * 10 end end})
for i, v in ipairs(proxy) do io.write(i, "=", v, " ") end print()
local f, s, init = ipairs(t)
print(type(f), s == t, init)
print(f(t, 0))
print(f(t, 2))
print(pcall(ipairs))
