local log = {}
local store = {}
local proxy = setmetatable({}, {
  __newindex = function(t, k, v) log[#log + 1] = k; rawset(store, k, v) end,
  __index = store,
})
proxy.a = 1
proxy.b = 2
proxy.a = 3
print(table.concat(log, ","), proxy.a, rawget(proxy, "a"))
-- __newindex as a table redirects the assignment
local target = {}
local redirect = setmetatable({}, {__newindex = target})
redirect.x = 10
print(rawget(redirect, "x"), target.x)
-- existing keys bypass __newindex
local t = setmetatable({k = 1}, {__newindex = function() error("not called") end})
t.k = 2
print(t.k)
-- chain: __newindex table that itself has __newindex
local final = {}
local middle = setmetatable({}, {__newindex = final})
local front = setmetatable({}, {__newindex = middle})
front.z = "deep"
print(rawget(middle, "z"), final.z)
