-- penlight odds and ends: the lazy 'pl' loader, import_into, strict, input,
-- printf/fprintf, pretty.dump, Date formatting in local time (TZ=UTC), lapp.
local show = require "show"

require "pl"   -- lazy loader: globals such as List and stringx appear on use
print("pl globals", type(List), type(stringx), type(tablex), type(Date), type(utils))
print("lazy", List({3, 1, 2}):sort(), stringx.rjust("x", 3, "0"))
local env = require "pl.import_into"()
print("import_into", type(env.List), type(env.pretty), env.List({1}):len())

utils.printf("%s|%5.2f|%-4d|%x\n", "printf", math.pi, 42, 255)
utils.fprintf(io.stdout, "%q\n", "fprintf\n")
pretty.dump({b = 2, a = {1, 2}})
local ok, err = pcall(pretty.dump, {x = 1}, "/nonexistent-dir/file")
print("dump to bad file", ok, type(err))

-- input
local inp = require "pl.input"
local sio = require "pl.stringio"
local nums = {}
for a, b in inp.numbers(sio.open("1 2\n3.5 x 4\n")) do nums[#nums + 1] = a end
print("input.numbers", table.concat(nums, ","))
local fields = {}
for x, y in inp.fields(2, ",", sio.open("1,2\n3,4\n")) do fields[#fields + 1] = x + y end
print("input.fields", table.concat(fields, ","))
local words = {}
for w in inp.words(sio.open("alpha beta\ngamma")) do words[#words + 1] = w end
print("input.words", table.concat(words, "|"))

-- Date in local time, pinned by TZ=UTC
local d = Date(1700000000)
print("local date", d:year(), d:month(), d:day(), d:hour(), d:min(), tostring(d))
print("date format", Date.Format("yyyy/mm/dd"):tostring(d), Date.Format("HH:MM"):tostring(d))
print("date format US", Date.Format("mm/dd/yy"):tostring(d))
print("date parse", tostring(Date.Format():parse("2023-11-14 22:13")))
print("date toUTC", tostring(Date(0):toUTC()), tostring(Date(0):toLocal()))

-- data queries are compiled to Lua code and loaded
local data = require "pl.data"
local d = data.read(sio.open("x y z\n1 2 3\n4 5 6\n7 8 9\n"))
for x, z in d:select("x,z where x > 1") do print("select", x, z) end
for y in data.query(d, "y,x sort by y desc") do print("query", y) end
local rows = d:copy_select("x,y where y > 2")
print("copy_select", #rows, rows[1][1], rows[1][2])

-- the Lua lexer on the awkward tokens
local lexer = require "pl.lexer"
local out = {}
for t, v in lexer.lua([==[ a.b:c(1e3, 0x10, 3.) --[[ long
comment ]] [[long str]] "esc\"aped" ~= <= >= == .. ... // >> << ::lbl:: goto ]==], {space = true, comments = false}) do
  out[#out + 1] = t .. "=" .. tostring(v)
end
print("lexer", table.concat(out, " "))
local C = require("pl.comprehension").new()
print("comprehension", #C("{i, j} for i = 1, 3 for j = i, 3")(), pretty.write(C("{k, v} for k, v in ipairs(_1) if v > 1")({1, 2, 3}), ""))

-- strict comes last: it makes undeclared globals an error from here on
local strict = require "pl.strict"
newglobal = 1
show.try("strict read", function() return undeclared_variable end)
show.try("strict write in function", function() made_in_function = 2 end)
print("strict declared", newglobal, strict.is_strict and "has is_strict" or "plain")
local mod = strict.module("MyMod", {a = 1})
show.try("strict module", function() return mod.b end)
