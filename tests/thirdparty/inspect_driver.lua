-- inspect.lua: nested, cyclic and metatabled tables, options.
local inspect = require "inspect"

print(inspect._VERSION)
print(inspect({1, 2, 3}))
print(inspect({a = 1, b = {c = "x", d = {true, false}}, [5] = "five", [1.5] = "float"}))
print(inspect("multi\nline \"quoted\" 'single' \0 \127 \200"))
print(inspect(42), inspect(4.25), inspect(nil), inspect(true), inspect(math.huge), inspect(-math.huge))

local cyclic = {name = "root"}
cyclic.self = cyclic
cyclic.child = {parent = cyclic, list = {cyclic}}
print(inspect(cyclic))

local shared = {1}
print(inspect({shared, shared, {shared}}))

local mt = {__index = {inherited = true}, __tostring = function() return "custom" end}
local obj = setmetatable({field = 1}, mt)
print(inspect(obj))
print(inspect(setmetatable({}, {__metatable = "locked"})))
print(inspect({f = print, g = function() end, h = print, co = coroutine.create(print)}))

print(inspect({a = {b = {c = {d = {}}}}}, {depth = 2}))
print(inspect({1, {2, {3, {4}}}}, {depth = 1}))
print(inspect({x = 1, y = {2, 3}}, {newline = " ", indent = ""}))
print(inspect({x = 1, y = {2, 3}}, {indent = "\t"}))

-- process: drop metatables and rename keys
local function drop_meta(item, path)
  if path[#path] ~= inspect.METATABLE then return item end
end
print(inspect(obj, {process = drop_meta}))
local function upper_strings(item)
  if type(item) == "string" then return item:upper() end
  return item
end
print(inspect({name = "lua", list = {"a", "b"}}, {process = upper_strings}))
local paths = {}
inspect({a = {b = 1}, 2}, {process = function(item, path)
  paths[#paths + 1] = table.concat((function() local p = {} for i, k in ipairs(path) do p[i] = tostring(k) end return p end)(), ".")
  return item
end})
table.sort(paths)
print(table.concat(paths, " | "))

-- mixed keys sorted by inspect itself
-- only one boolean key: true and false tie in inspect's sort, so their order
-- would depend on pairs() order, which Lua leaves unspecified
print(inspect({[true] = 1, [10] = "ten", [-1] = "neg", z = 26, a = 1, ["with space"] = 2, ["end"] = 3}))
print(inspect({1, 2, nil, 4}))
print(inspect(setmetatable({}, {__index = function() return 1 end, __len = function() return 99 end})))
