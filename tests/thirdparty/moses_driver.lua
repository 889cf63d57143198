-- moses: functional utilities on arrays, tables and functions.
local M = require "moses"
local show = require "show"
local p = show.p

local function sorted(t) table.sort(t, function(a, b) return tostring(a) < tostring(b) end) return t end
local function add(a, b) return a + b end
local function double(v) return v * 2 end
local function even(v) return v % 2 == 0 end

print(M._VERSION)
-- tables
p("map", M.map({1, 2, 3}, double), M.map({a = 1, b = 2}, function(v, k) return k .. v end))
p("reduce", M.reduce({1, 2, 3, 4}, add), M.reduce({"a", "b", "c"}, function(acc, v) return acc .. v end, ">"))
p("reduceRight", M.reduceRight({"a", "b", "c"}, function(acc, v) return acc .. v end))
p("mapReduce", M.mapReduce({1, 2, 3}, add))
p("reduceBy", M.reduceBy({1, 2, 3, 4, 5}, add, even, 0))
p("select/reject", M.select({1, 2, 3, 4, 5, 6}, even), M.reject({1, 2, 3, 4, 5, 6}, even))
p("all/include/detect", M.all({2, 4}, even), M.include({1, 2, 3}, 2), M.detect({5, 6, 7}, even))
p("where", M.where({{a = 1, b = 2}, {a = 2, b = 2}, {a = 1, b = 3}}, {a = 1}))
p("findWhere", M.findWhere({{a = 1, b = 2}, {a = 2, b = 2}}, {b = 2}))
p("pluck", M.pluck({{n = "x"}, {n = "y"}, {m = 1}}, "n"))
p("invoke", M.invoke({"ab", "cd"}, string.upper))
p("max/min", M.max({3, 9, 2}), M.min({3, 9, 2}), M.max({{v = 1}, {v = 5}}, function(t) return t.v end))
p("same", M.same({1, 2, 3}, {3, 2, 1}), M.same({1, 2}, {1, 3}))
p("sort", M.sort({5, 3, 8, 1}), M.sort({5, 3, 8, 1}, function(a, b) return a > b end))
p("sortBy", M.sortBy({{age = 30, n = "a"}, {age = 20, n = "b"}, {age = 25, n = "c"}}, "age"))
p("sortedk", M.sortedk and (function() local r = {} for k, v in M.sortedk({c = 3, a = 1, b = 2}) do r[#r + 1] = k .. v end return r end)())
p("groupBy", M.groupBy({1, 2, 3, 4, 5, 6}, function(v) return v % 3 end))
p("countBy", M.countBy({1, 2, 3, 4, 5}, even))
p("count/countf", M.count({1, 1, 2, 1}, 1), M.countf({1, 2, 3, 4}, even), M.size({a = 1, b = 2, 3}), M.size(1, 2, 3))
p("containsKeys/sameKeys", M.containsKeys({a = 1, b = 2}, {a = 5}), M.sameKeys({a = 1}, {a = 2, b = 3}))
p("allEqual", M.allEqual({2, 2, 2}), M.allEqual({2, 2, 3}))
p("best", M.best({"ab", "abcd", "a"}, function(a, b) return #a > #b end))
p("adjust", M.adjust({1, 2, 3}, 2, double))
-- arrays
p("reverse/fill", M.reverse({1, 2, 3}), M.fill({1, 2, 3, 4}, 0, 2, 3))
p("zeros/ones/vector", M.zeros(3), M.ones(2), M.vector("x", 3))
p("selectWhile/dropWhile", M.selectWhile({2, 4, 5, 6}, even), M.dropWhile({2, 4, 5, 6}, even))
p("sortedIndex", M.sortedIndex({1, 3, 5}, 4), M.indexOf({1, 2, 3, 2}, 2), M.lastIndexOf({1, 2, 3, 2}, 2))
p("findIndex", M.findIndex({1, 3, 4}, even), M.findLastIndex({2, 3, 4, 5}, even))
p("addTop/prepend/push", M.addTop({1}, 2, 3), M.prepend({1}, 2, 3), M.push({1}, 2, 3))
p("shift/unshift", M.shift({1, 2, 3}, 2), M.unshift({1, 2, 3}))
p("pull", M.pull({1, 2, 1, 3, 1}, 1, 3))
p("removeRange", M.removeRange({1, 2, 3, 4, 5}, 2, 4))
p("chunk", M.chunk({1, 1, 2, 3, 3, 4}, function(v) return v % 2 end))
p("slice/first/initial/last/rest/nth", M.slice({1, 2, 3, 4, 5}, 2, 4), M.first({1, 2, 3}, 2), M.initial({1, 2, 3}), M.last({1, 2, 3}, 2), M.rest({1, 2, 3}, 2), M.nth({7, 8, 9}, 2))
p("compact/flatten", M.compact({1, false, 2, nil, 3}), M.flatten({1, {2, {3, {4}}}}), M.flatten({1, {2, {3}}}, true))
p("difference/union/intersection", M.difference({1, 2, 3, 4}, {2, 4}), M.union({1, 2}, {2, 3}), M.intersection({1, 2, 3}, {2, 3, 4}, {3, 2}))
p("disjoint/symdiff", M.disjoint({1, 2}, {3, 4}), M.symmetricDifference({1, 2, 3}, {2, 3, 4}))
p("unique/isunique/duplicates", M.unique({1, 2, 2, 3, 1}), M.isunique({1, 2}), M.duplicates({1, 2, 2, 3, 3, 3}))
p("zip/zipWith", M.zip({1, 2, 3}, {"a", "b"}, {true}), M.zipWith(function(a, b) return a * b end, {1, 2}, {3, 4}))
p("append/interleave/interpose", M.append({1}, {2, 3}), M.interleave({1, 3}, {2, 4}), M.interpose({1, 2, 3}, 0))
p("range", M.range(5), M.range(0, 1, 0.25), M.range(10, 1, -3), M.range(3, 1))
p("rep/powerset", M.rep("x", 3), M.powerset({1, 2, 3}))
local function collect(iterator)
  local out = {}
  for v in iterator do out[#out + 1] = v end
  return out
end
p("partition", collect(M.partition({1, 2, 3, 4, 5}, 2, 0)), collect(M.overlapping({1, 2, 3, 4, 5}, 3, 0)), collect(M.aperture({1, 2, 3, 4}, 2)), collect(M.pairwise({1, 2, 3})))
p("permutation", collect(M.permutation({1, 2, 3})))
p("concat/xprod", M.concat({1, 2, 3}, "-"), M.xprod({1, 2}, {"a", "b"}))
p("sum/product/mean/median", M.sum({1, 2, 3.5}), M.product({1, 2, 3, 4}), M.mean({1, 2, 3, 4}), M.median({5, 1, 3}), M.median({4, 1, 3, 2}))
p("xpairs", M.xpairs(5, {"a", "b"}), M.xpairsRight(5, {"a", "b"}))
-- functions
local calls = 0
local slow_square = M.memoize(function(n) calls = calls + 1 return n * n end)
p("memoize", slow_square(4), slow_square(4), slow_square(5), calls)
local once = M.once(function(x) return x * 10 end)
p("once", once(1), once(2))
local before = M.before(function(x) return x end, 2)
p("before", before(1), before(2), before(3))
local after = M.after(function(x) return x end, 2)
p("after", after(1), after(2), after(3))
p("compose/pipe", M.compose(double, math.abs)(-3), M.pipe(-3, math.abs, double))
p("complement/juxtapose", M.complement(even)(3), M.juxtapose(5, double, tostring))
p("wrap", M.wrap(double, function(f, x) return f(x) + 1 end)(4))
p("times", M.times(function(i) return i * i end, 4))
p("bind/bind2/bindn", M.bind(math.max, 10)(3), M.bind2(string.rep, 2)("ab"), M.bindn(string.format, "%s-%s", "a")("b"))
p("cond", M.cond({{even, function() return "even" end}, {M.identity, function() return "odd" end}})(3))
p("both/either/neither", M.both(even, function(v) return v > 2 end)(4), M.either(even, function(v) return v > 10 end)(3), M.neither(even)(3))
p("uniqueId", M.uniqueId(), M.uniqueId("id_%s"), M.uniqueId(function(n) return "n" .. n end))
local it = M.iterator(double, 1, 4)
local vals = {} for v in it do vals[#vals + 1] = v end
p("iterator", vals, M.iterlen(("abc"):gmatch(".")), M.tabulate(("a1b2"):gmatch("%d")))
p("flip/nthArg/unary/ary/noarg", M.flip(function(...) return ... end)(1, 2, 3), M.nthArg(-1)(4, 5, 6), M.unary(function(...) return select("#", ...) end)(1, 2), M.ary(function(...) return select("#", ...) end, 2)(1, 2, 3), M.noarg(function(...) return select("#", ...) end)(1))
p("rearg", M.rearg(function(a, b, c) return a .. b .. c end, {3, 1, 2})("a", "b", "c"))
p("over", M.over(math.min, math.max)(3, 1, 2), M.overEvery(even, function(v) return v > 2 end)(4), M.overSome(even)(3))
p("overArgs", M.overArgs(function(a, b) return a + b end, double, math.abs)(3, -2))
p("converge", M.converge(function(a, b) return a .. b end, string.upper, string.lower)("Ab"))
p("partial/partialRight", M.partial(string.format, "%d-%d")(3, 4), M.partialRight(string.format, 7)("%d!"))
p("curry", M.curry(function(a, b, c) return a + b + c end, 3)(1)(2)(3))
p("dispatch", M.dispatch(function() return nil end, function(x) return x * 3 end)(2))
p("applySpec", M.applySpec({sum = add, diff = function(a, b) return a - b end})(5, 3))
p("thread", M.thread(2, double, {math.max, 10}), M.threadRight(2, {function(a, b) return a - b end, 1}))
p("unfold", M.unfold(function(s) if s < 20 then return s * 2, s * 2 end end, 1))
-- objects
p("keys/values", sorted(M.keys({a = 1, b = 2})), sorted(M.values({a = 1, b = 2})))
p("path/spreadPath/flattenPath", M.path({a = {b = {c = 5}}}, "a", "b", "c"), M.flattenPath({a = {b = {1}}, c = 2}))
p("kvpairs/toObj/invert", M.toObj({{"a", 1}, {"b", 2}}), M.invert({a = 1, b = 2}), #M.kvpairs({x = 1, y = 2}))
p("property/propertyOf", M.property("k")({k = 9}), M.propertyOf({k = 8})("k"))
p("toBoolean/extend", M.toBoolean(nil), M.toBoolean(0), M.extend({a = 1}, {b = 2}, {c = 3}))
p("clone/has/pick/omit", M.clone({1, {2}}), M.has({a = 1}, "a"), M.pick({a = 1, b = 2, c = 3}, "a", "c"), M.omit({a = 1, b = 2, c = 3}, "a"))
p("template", M.template({a = 5}, {a = 1, b = 2}))
p("isEqual", M.isEqual({1, {2, {a = 3}}}, {1, {2, {a = 3}}}), M.isEqual({1}, {2}), M.isEqual(1, 1.0))
p("result", M.result({n = 2, f = function(self) return self.n .. "!" end}, "f"), M.result({v = 3}, "v"))
p("is*", M.isTable({}), M.isCallable(setmetatable({}, {__call = print})), M.isArray({1, 2}), M.isArray({a = 1}), M.isIterable({}), M.isEmpty({}), M.isEmpty("x"))
p("is* 2", M.isString("s"), M.isFunction(print), M.isNil(nil), M.isNumber(1), M.isNaN(0/0), M.isFinite(1/0), M.isBoolean(false), M.isInteger(2.0), M.isInteger(2.5), M.type(1), M.type(io.stdout))
p("castArray", M.castArray(5), M.castArray({5}))
p("functions", #sorted(M.functions()) > 150)
-- chaining
p("chain", M.chain({1, 2, 3, 4}):map(double):filter(function(v) return v > 2 end):reverse():value())
-- random, with a fixed seed
math.randomseed(42)
p("shuffle", M.shuffle({1, 2, 3, 4, 5, 6, 7, 8}, 7), M.sample({1, 2, 3, 4, 5}, 2, 9), M.sampleProb({1, 2, 3, 4, 5, 6}, 0.5, 3))
p("nsorted", M.nsorted({5, 3, 9, 1, 7}, 3))
p("cycle", (function() local r = {} for k, v in M.cycle({"a", "b"}, 2) do r[#r + 1] = v end return r end)())
-- operator table
p("operators", M.operator.add(1, 2), M.operator.concat("a", "b"), M.operator.exp(2, 10), M.operator.neg(3), M.operator.floordiv(7, 2), M.operator.le(2, 2))
-- errors
show.try("sum of a table", M.sum, {1, {}})
show.try("map of nil", M.map, nil, double)
show.try("bad zip", M.zipWith, nil, {1})
