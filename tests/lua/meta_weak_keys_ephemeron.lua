-- weak-keyed tables keep entries whose keys are alive, also when the values
-- are themselves weak tables keyed by other live objects (ephemerons)
local mt = {__mode = "k"}
local a = setmetatable({}, mt)
local K = {}
a[K] = {}
for i = 1, 10 do a[K][i] = {}; a[a[K][i]] = setmetatable({}, mt) end
print(#a[K], type(a[a[K][3]]))
local last
for j = 1, 50 do
  local n = {}
  a[a[K][j % 10 + 1]][n] = {last, k = j}
  last = n
end
collectgarbage()
local count = 0
for i = 1, 10 do for _ in pairs(a[a[K][i]]) do count = count + 1 end end
print(count)
-- an entry whose key is reachable only from its own value is collected
local b = setmetatable({}, mt)
do local key = {} b[key] = {ref = key} end
collectgarbage()
print(next(b))
