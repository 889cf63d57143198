-- penlight containers: List, Map, Set, OrderedMap, MultiMap, tablex, array2d.
local List = require "pl.List"
local Map = require "pl.Map"
local Set = require "pl.Set"
local OrderedMap = require "pl.OrderedMap"
local MultiMap = require "pl.MultiMap"
local tablex = require "pl.tablex"
local array2d = require "pl.array2d"
local pretty = require "pl.pretty"
local show = require "show"
local p = show.p

-- List
local ls = List({10, 20, 30})
ls:append(40):extend({50, 60}):insert(1, 5)
print("list", ls, #ls, ls:len())
print("slice", ls:slice(2, 4), ls:slice(-2), ls[1], ls:pop(), ls:pop(1), ls)
print("index", ls:index(30), ls:contains(20), ls:contains(99), ls:count(20))
print("map/filter/reduce", ls:map(function(x) return x / 10 end), ls:filter(function(x) return x > 20 end), ls:reduce("+"))
print("sort/reverse", List({3, 1, 2}):sort(), List({3, 1, 2}):sort(">"), List({1, 2, 3}):reverse())
print("sorted", List({"b", "c", "a"}):sorted(), List.range(1, 10, 3), List.range(4))
print("concat/join", List({"a", "b"}):concat("-"), List({1, 2}):join(", "), List({1, 2}) .. List({3}))
print("equality", List({1, 2}) == List({1, 2}), List({1, 2}) == List({2, 1}))
print("chop/splice", List({1, 2, 3, 4, 5}):chop(2, 3), List({1, 5}):splice(2, {2, 3, 4}))
print("remove", List({1, 2, 3}):remove(2), List({1, 2, 3}):remove_value(3), List({1, 2, 3}):clear())
print("minmax", List({4, 9, 1}):minmax())
print("partition", pretty.write(List({1, 2, 3, 4, 5}):partition(function(x) return x % 2 end), ""))
print("split", List.split("a b  c"), List.split("a,b,,c", ","))
print("iterate", List(List.iterate("abc")):concat(","), List({1, 2}):iter()())
print("put/transform", List({1, 2}):put(0), List({1, 2, 3}):transform(function(x) return x * x end))
print("foreach", (function() local s = 0 List({1, 2, 3}):foreach(function(x) s = s + x end) return s end)())
print("mapm", List({"a", "b"}):map("..", "!"), List({{n = 1}, {n = 2}}):map(function(t) return t.n end))
print("clone", pretty.write(List({1, {2}}):clone(), ""))
show.try("slice_assign", function() local l = List({1, 2, 3, 4}) l:slice_assign(2, 3, {"x", "y", "z"}) return tostring(l) end)
show.try("pop empty", function() return List():pop() end)
show.try("bad index", function() return List({1}):insert("x", 2) end)

-- Map and Set
local m = Map({alpha = 1, beta = 2})
m:set("gamma", 3)
p("map", m:get("alpha"), m:len(), List(m:keys()):sort(), List(m:values()):sort(), m:getvalues({"beta", "gamma"}))
p("map items", List(m:items()):sort(function(a, b) return a[1] < b[1] end))
-- sets print in pairs() order, which Lua leaves unspecified: sort them first
local function sorted_set(s) return List(Set.values(s)):sort() end
local s1, s2 = Set({1, 2, 3}), Set({2, 3, 4})
print("set", sorted_set(s1 + s2), sorted_set(s1 * s2), sorted_set(s1 - s2), sorted_set(s1 ^ s2), Set.len(s1), s1 == Set({3, 2, 1}), s1 < Set({1, 2, 3, 4}))
print("set ops", Set.issubset(Set({1}), s1), Set.isdisjoint(s1, Set({9})), Set.isempty(Set({})), sorted_set(Set({"b", "a"})))
print("set map", sorted_set(Set.map(s1, function(x) return x * 10 end)))

-- OrderedMap keeps insertion order
local om = OrderedMap()
om:set("zeta", 1) om:set("alpha", 2) om:set("mid", 3) om:set("alpha", 20)
print("ordered", om, om:keys(), om:values())
om:set("zeta", nil)
om:insert(1, "first", 0)
for k, v in om:iter() do io.write(k, "=", v, " ") end print()
om:sort()
print("sorted om", om)
print("om from pairs", OrderedMap({{c = 1}, {a = 2}, {b = 3}}))

-- MultiMap
local mm = MultiMap()
mm:set("k", 1) mm:set("k", 2) mm:set("j", 3)
p("multimap", mm:get("k"), mm:get("j"), mm:get("none"))

-- tablex
p("tablex.copy/deepcopy", tablex.copy({1, 2}), tablex.deepcopy({a = {b = {1}}}))
p("tablex.deepcompare", tablex.deepcompare({1, {2}}, {1, {2}}), tablex.deepcompare({1, {2}}, {1, {3}}), tablex.deepcompare({a = 1}, {a = 1.0}))
p("tablex.compare", tablex.compare({1, 2}, {1, 2}, "=="), tablex.compare_no_order({1, 2, 3}, {3, 1, 2}))
p("tablex.size/keys", tablex.size({a = 1, b = 2, 3}), List(tablex.keys({x = 1, y = 2})):sort(), List(tablex.values({x = "b", y = "a"})):sort())
p("tablex.map", tablex.map(function(v) return v * 2 end, {1, 2, c = 3}), tablex.imap("..", {"a", "b"}, "!"))
p("tablex.map2", tablex.map2("+", {1, 2}, {10, 20}), tablex.mapn(function(a, b, c) return a + b + c end, {1, 2}, {3, 4}, {5, 6}))
p("tablex.reduce", tablex.reduce("+", {1, 2, 3, 4}), tablex.reduce("..", {"a", "b", "c"}), tablex.reduce(math.max, {3, 9, 2}))
p("tablex.filter/find", tablex.filter({1, 2, 3, 4}, function(x) return x > 2 end), tablex.find({"a", "b", "c"}, "b"), tablex.rfind({1, 2, 1}, 1), tablex.find_if({5, 6, 7}, function(x) return x > 5 and x end))
p("tablex.index_by/index_map", tablex.index_by({"a", "b", "c"}, {3, 1}), tablex.index_map({"x", "y"}), tablex.makeset({"p", "q"}))
p("tablex.union/intersection", tablex.union({a = 1}, {b = 2}), tablex.intersection({a = 1, b = 2}, {b = 3}), tablex.difference({a = 1, b = 2}, {a = 5}), tablex.difference({a = 1, b = 2}, {b = 2, c = 3}, true))
p("tablex.merge", tablex.merge({a = 1, b = 2}, {b = 3, c = 4}), tablex.merge({a = 1, b = 2}, {b = 3, c = 4}, true))
p("tablex.count_map", tablex.count_map({"a", "b", "a", "c", "a"}))
p("tablex.zip", tablex.zip({1, 2}, {"a", "b"}, {true, false}))
p("tablex.range", tablex.range(1, 5), tablex.range(0, 1, 0.5), tablex.range(5, 1, -2))
p("tablex.sub/set/new", tablex.sub({1, 2, 3, 4, 5}, 2, -2), tablex.set({1, 2, 3, 4}, 0, 2, 3), tablex.new(3, "z"))
p("tablex.insertvalues/removevalues", tablex.insertvalues({1, 5}, 2, {2, 3, 4}), tablex.removevalues({1, 2, 3, 4}, 2, 3))
p("tablex.pairmap", List(tablex.pairmap(function(k, v) return k .. "=" .. v end, {a = "1", b = "2"})):sort())
p("tablex.icopy/move", tablex.icopy({1, 2, 3, 4}, {9, 8}, 2), tablex.move({1, 2, 3, 4}, {9, 8}, 3))
p("tablex.search", tablex.search({a = {b = {c = 42}}}, 42))
p("tablex.readonly", pcall(function() local t = tablex.readonly({1}) t[1] = 2 end))
p("tablex.update/clear", tablex.update({a = 1}, {b = 2}), tablex.clear({1, 2, 3}, 2))
p("tablex.transform", tablex.transform(function(v) return v + 1 end, {1, 2}))
local sorted_pairs = {}
for k, v in tablex.sort({c = 3, a = 1, b = 2}) do sorted_pairs[#sorted_pairs + 1] = k .. v end
for k, v in tablex.sortv({x = 3, y = 1, z = 2}) do sorted_pairs[#sorted_pairs + 1] = k .. v end
p("tablex.sort/sortv", sorted_pairs)
show.try("tablex bad arg", tablex.map, nil, {1})
show.try("tablex deepcopy nil", tablex.size, nil)

-- array2d
local A = {{1, 2, 3}, {4, 5, 6}}
p("array2d.size/column/row", {array2d.size(A)}, array2d.column(A, 2), array2d.flatten(A))
p("array2d.transpose/map", array2d.transpose(A), array2d.map(function(x) return x * x end, A))
p("array2d.reduce", array2d.reduce_rows("+", A), array2d.reduce_cols("*", A), array2d.reduce2("+", "*", A))
p("array2d.slice/range", array2d.slice(A, 1, 2, 2, 3), array2d.range(A, "A1:B2"))
p("array2d.new/product", array2d.new(2, 3, 0), array2d.product("..", {"a", "b"}, {"x", "y"}))
p("array2d.swap/extract", array2d.swap_rows(array2d.new(2, 2, function(i, j) return i * 10 + j end), 1, 2), array2d.extract_rows(A, {2}), array2d.extract_cols(A, {1, 3}))
print("array2d.write")
array2d.write(A, io.stdout, "%4d")
local cells = {}
for i, j, v in array2d.iter(A, true) do cells[#cells + 1] = i .. j .. ":" .. v end
print("array2d.iter", table.concat(cells, " "))
