-- penlight functional and object modules: class, func, seq, comprehension,
-- permute, operator, compat, strict, Date (UTC only), luabalanced, lapp.
local class = require "pl.class"
local func = require "pl.func"
local seq = require "pl.seq"
local comprehension = require "pl.comprehension"
local permute = require "pl.permute"
local operator = require "pl.operator"
local compat = require "pl.compat"
local Date = require "pl.Date"
local luabalanced = require "pl.luabalanced"
local List = require "pl.List"
local pretty = require "pl.pretty"
local show = require "show"
local p = show.p

-- class
local Animal = class()
function Animal:_init(name) self.name = name end
function Animal:speak() return self.name .. " makes a sound" end
function Animal:__tostring() return "Animal(" .. self.name .. ")" end
local Dog = class(Animal)
function Dog:_init(name, breed) self:super(name) self.breed = breed end
function Dog:speak() return self.name .. " barks" end
local Puppy = class(Dog)
function Puppy:speak() return Dog.speak(self) .. " softly" end
local d, pup = Dog("Rex", "lab"), Puppy("Bit", "pug")
print("class", d:speak(), pup:speak(), tostring(d), d.breed, pup.breed)
print("is_a", d:is_a(Animal), d:is_a(Dog), Animal("x"):is_a(Dog), Dog:class_of(d), Animal:class_of(pup), Dog:class_of(Animal("y")))
print("casts", type(class.Animal), Dog._base == Animal, Puppy._base == Dog, pup._class == Puppy)
class.Named {
  _init = function(self, n) self.n = n end,
  get = function(self) return self.n end,
}
print("named class", Named(7):get(), Named._name)
local Point = class({_init = function(self, x, y) self.x, self.y = x, y end})
Point.__add = function(a, b) return Point(a.x + b.x, a.y + b.y) end
Point.__eq = function(a, b) return a.x == b.x and a.y == b.y end
Point.__tostring = function(a) return "(" .. a.x .. "," .. a.y .. ")" end
print("operators", tostring(Point(1, 2) + Point(3, 4)), Point(1, 1) == Point(1, 1))
local Props = class(class.properties)
function Props:_init() self._v = 0 end
function Props:get_value() return self._v * 10 end
function Props:set_value(v) self._v = v end
local pr = Props()
pr.value = 4
print("properties", pr.value, pr._v)
local Counter = class()
Counter._class_init = function(klass) klass.created = 0 end
function Counter:_init() Counter.created = (Counter.created or 0) + 1 end
Counter() Counter()
print("class fields", Counter.created, rawget(Counter, "_init") ~= nil)
show.try("missing method", function() return d:fly() end)

-- func: placeholder expressions
local _1, _2 = func._1, func._2
local add1 = func.I(_1 + 1)
print("placeholders", add1(5), func.I(_1 * _2)(3, 4), func.I(_1 .. "!")("hi"), func.I(-_1)(3))
print("repr", func.repr(_1 + _2 * 3), func.repr(func.Len(_1)))
print("bind", func.bind(math.max, _1, 10)(3), func.bind1(string.rep, "ab")(3), func.compose(math.abs, function(x) return x - 10 end)(3))
print("instantiate", func.instantiate(_1 + _2)(1, 2), func.tail and "tail" or "no tail")
local f = func.I(func.Args(_1, _2))
print("Args", f(1, 2))

-- seq
local function collect(it) local r = {} for v in it do r[#r + 1] = v end return r end
p("seq.range", collect(seq.range(1, 5)), collect(seq.list({3, 1, 2})))
p("seq.map/filter", collect(seq.map(function(x) return x * x end, seq.range(1, 4))), collect(seq.filter(seq.range(1, 10), function(x) return x % 3 == 0 end)))
p("seq.reduce/sum/count", seq.reduce("+", seq.range(1, 10)), seq.sum(seq.range(1, 4)), seq.count({1, 2, 3, 2}, function(x) return x == 2 end))
p("seq.minmax", seq.minmax({5, 2, 8}), seq.copy(seq.range(1, 3)))
p("seq.unique/sort", seq.unique({3, 1, 3, 2, 1}, true), collect(seq.sort({3, 1, 2})), seq.copy(seq.take(seq.range(1, 100), 3)))
p("seq.zip", seq.copy2(seq.zip({1, 2}, {"a", "b"})))
p("seq.enum/skip", seq.copy2(seq.enum({"x", "y"})), collect(seq.skip(seq.range(1, 5), 3)))
p("seq.last/printall", seq.copy2(seq.last({10, 20, 30})))
p("seq.splice", collect(seq.splice({1, 2}, {3})))
p("seq.lines", collect(seq.lines(require("pl.stringio").open("a\nb\nc"))))
p("seq.chain", seq({10, 20, 30}):map(function(x) return x + 1 end):filter(function(x) return x > 15 end):copy())
p("seq.mapmethod", collect(seq.mapmethod({"ab", "cd"}, "upper")))
p("seq.random (seeded)", (function() math.randomseed(7) return seq.copy(seq.random(5, 100)) end)())
io.write("seq.printall: ") seq.printall({1, 2, 3}, " ", 2) io.write("\n")

-- comprehension
local C = comprehension.new()
p("comprehension", C("x^2 for x")({1, 2, 3}), C("x for x if x % 2 == 0")({1, 2, 3, 4}), C("{x, y} for x for y if x ~= y")({1, 2}, {1, 2}))
p("comprehension sum", C("sum(x for x)")({1, 2, 3}), C("min(x for x)")({4, 2, 9}))
p("comprehension pairs", C("k for k, v in pairs(_1)")({a = 1}))

-- permute
local perms = {}
for a in permute.order_iter({1, 2, 3}) do perms[#perms + 1] = table.concat(a, "") end
table.sort(perms)
print("permute", table.concat(perms, " "))
print("permute table", #permute.order_table({1, 2, 3, 4}))
local prod = {}
for n, a, b in permute.list_iter({1, 2}, {"x", "y"}) do prod[#prod + 1] = n .. a .. b end
print("list_iter", table.concat(prod, " "))

-- operator
print("operator", operator.add(1, 2), operator.sub(5, 3), operator.mul(2, 4), operator.div(7, 2), operator.pow(2, 5), operator.mod(7, 3), operator.concat("a", "b"), operator.eq(1, 1), operator.lt(1, 2), operator.le(2, 2), operator.neq(1, 2), operator.gt(1, 2), operator.ge(2, 2), operator.len({1, 2}), operator.unm(4), operator.lnot(nil), operator.land(1, 2), operator.lor(false, 3), operator.table(1, 2)[2], operator.match("abc", "b"), operator.index({5}, 1), operator.optable["+"](2, 2))

-- compat
print("compat", compat.lua51, compat.luajit, compat.is_windows, compat.dir_separator)
local chunk = compat.load("return 1 + ...", "chunk", "t", {})
print("compat.load", chunk(41), pcall(compat.load, "\27binary", "x", "t"))
print("compat.execute type", type(compat.execute))
print("compat.getfenv", type(compat.getfenv(print)))

-- Date with fixed UTC times only
local d1 = Date({year = 2024, month = 2, day = 28, hour = 12, min = 30, sec = 15}, true)
print("date", d1:year(), d1:month(), d1:day(), d1:hour(), d1:min(), d1:sec(), d1:weekday_name(), d1:month_name())
d1:add({day = 2})
print("date add", d1:year(), d1:month(), d1:day(), d1:is_weekend(), d1:last_day():day())
local d2 = Date(0, true)
print("epoch", d2:year(), d2:month(), d2:day(), d2:weekday_name(true), d2:month_name(true))
local fmt = Date.Format("yyyy-mm-dd HH:MM:SS")
print("format", fmt:tostring(Date(86400 * 365, true)))
local parsed = Date.Format("dd/mm/yyyy"):parse("25/12/2023")
print("parsed", parsed and parsed:year(), parsed and parsed:month(), parsed and parsed:day())
print("interval", tostring(Date.Interval(3725)))
print("diff", tostring(Date(86400 * 10 + 3600, true):diff(Date(0, true))))
print("compare", Date(100, true) < Date(200, true), Date(100, true) == Date(100, true))

-- luabalanced
print("balanced", luabalanced.match_bracketed("(a(b)c) rest", 1))
print("balanced expr", luabalanced.match_expression("f(x) + y[1], z", 1))
print("balanced namelist", pretty.write(luabalanced.match_namelist("a, b, c = 1", 1), ""))
print("balanced gsub", luabalanced.gsub("x = 'keep x' .. x -- x comment", function(u, s) return u == "e" and s:gsub("x", "y") or s end))
