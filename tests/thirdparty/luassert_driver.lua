-- luassert (with say): passing and failing assertions, their messages,
-- modifiers, matchers, spies, stubs, mocks and custom assertions.
local assert = require "luassert"
local say = require "say"
local spy = require "luassert.spy"
local stub = require "luassert.stub"
local mock = require "luassert.mock"
local match = require "luassert.match"

-- failure messages name tables by address: make them comparable
local function clean(msg)
  if type(msg) ~= "string" then
    if type(msg) == "table" then msg = "table message: " .. tostring(msg.message or msg[1]) end
    msg = tostring(msg)
  end
  return (msg:gsub("0x%x+", "ADDR"))
end

local function check(label, f, ...)
  local ok, err = pcall(f, ...)
  if ok then print(label, "passed") else print(label, "FAILED:\n" .. clean(err)) end
end

check("True", assert.True, true)
check("is.True", assert.is.True, false)
check("is_not_true", assert.is_not_true, false)
check("falsy/truthy", function() assert.falsy(nil) assert.truthy(0) end)
check("truthy fails", assert.truthy, nil, "custom message")
check("equal", assert.are.equal, 1, 1)
check("equal fails", assert.are.equal, 1, 2)
check("equal float/int", assert.are.equal, 1, 1.0)
check("equal strings", assert.equals, "abc", "abd")
check("same", assert.are.same, {1, {a = 2}}, {1, {a = 2}})
check("same fails", assert.are.same, {1, {a = 2, b = {c = 3}}}, {1, {a = 2, b = {c = 4}}})
check("same arrays", assert.same, {1, 2, 3}, {1, 2, 4})
check("not same", assert.are_not.same, {1}, {1})
check("unique", assert.is.unique, {{1}, {2}, {1}})
check("unique deep", assert.is.unique, {{1}, {2}, {1}}, true)
check("near", assert.is.near, 1.5, 1.55, 0.1)
check("near fails", assert.is.near, 1.5, 2, 0.1)
check("matches", assert.matches, "^h.l", "hello")
check("matches fails", assert.matches, "%d+", "letters")
check("matches plain", assert.matches, "a.b", "xa.b", 1, true)
check("errors", assert.has.errors, function() error("boom") end)
check("errors message", assert.has_error, function() error("boom", 0) end, "boom")
check("errors wrong message", assert.has_error, function() error("boom", 0) end, "bang")
check("errors table", assert.has_error, function() error({code = 1}) end, {code = 1})
check("no error fails", assert.has_no.errors, function() error("unexpected", 0) end)
check("error_matches", assert.error_matches, function() error("code 42", 0) end, "code %d+")
check("error_matches fails", assert.error_matches, function() error("code x", 0) end, "code %d+")
check("no errors", assert.has_no.errors, function() end)
check("types", function()
  assert.is_number(1) assert.is_string("s") assert.is_table({}) assert.is_function(print)
  assert.is_boolean(false) assert.is_nil(nil) assert.is_userdata(io.stdout) assert.is_thread(coroutine.create(print))
end)
check("is_number fails", assert.is_number, "1")
check("is_nil fails", assert.is_nil, {1, 2})
check("returned_arguments", assert.returned_arguments, 2, 1, 2)
check("returned_arguments fails", assert.returned_arguments, 3, 1, 2)
check("message modifier", function() assert.message("my note").is_true(false) end)
check("array holes", function() assert.array({1, 2, 3}).has.no.holes() end)
check("array holes fails", function() assert.array({1, nil, 3}).has.no.holes() end)
-- only one key may differ per table: which one luassert marks with '*' would
-- otherwise depend on pairs() order, which Lua leaves unspecified
check("nested table formatting", assert.are.same, {list = {1, 2, {deep = {deeper = {deepest = {}}}}}, [true] = "t", [1.5] = 2.5},
  {list = {1, 2, {deep = {deeper = {deepest = {1}}}}}, [true] = "t", [1.5] = 2.5})
check("cyclic formatting", function() local t = {} t.me = t assert.are.same(t, {me = 1}) end)
check("float formatting", assert.are.equal, 0.1, 1/3)
check("huge formatting", assert.are.equal, math.huge, 0/0)
check("string formatting", assert.are.equal, "line1\nline2", "x")
check("function formatting", assert.is_nil, check)
assert:set_parameter("TableFormatLevel", 1)
check("format level 1", assert.are.same, {a = {b = {c = 1}}}, {a = {b = {c = 2}}})
assert:set_parameter("TableFormatLevel", 3)

-- custom assertion with say messages
say:set_namespace("en")
say:set("assertion.has_property.positive", "Expected property %s in:\n%s")
say:set("assertion.has_property.negative", "Expected property %s to not be in:\n%s")
local function has_property(state, arguments)
  return arguments[2][arguments[1]] ~= nil
end
assert:register("assertion", "has_property", has_property, "assertion.has_property.positive", "assertion.has_property.negative")
check("custom", assert.has_property, "name", {name = "jack"})
check("custom fails", assert.has_property, "age", {name = "jack"})
check("custom negated", assert.has_no.property, "name", {name = "jack"})
check("custom negated 2", assert.Not.has_property, "name", {name = "jack"})

-- spies and stubs
local s = spy.new(function(a, b) if type(a) == "number" then return a + b end return a end)
s(1, 2) s("x") s({}, "foo")
check("spy called", function() assert.spy(s).was.called() end)
check("spy called 3", function() assert.spy(s).was.called(3) end)
check("spy called 2 fails", function() assert.spy(s).was.called(2) end)
check("spy called_with", function() assert.spy(s).was.called_with(1, 2) end)
check("spy called_with fails", function() assert.spy(s).was.called_with(9, 9) end)
check("spy matchers", function()
  assert.spy(s).was.called_with(match._, match.is_string())
  assert.spy(s).was.called_with(match.is_number(), match.is_number())
  assert.spy(s).was.called_with(match.is_table(), match.has_match(".oo"))
  assert.spy(s).was_not.called_with(match.is_boolean())
end)
check("spy returned_with", function() assert.spy(s).returned_with(3) end)
local target = {greet = function(name) return "hello " .. name end}
spy.on(target, "greet")
target.greet("bob")
check("spy.on", function() assert.spy(target.greet).was.called_with("bob") end)
target.greet:revert()
local st = stub.new(target, "greet", "stubbed")
print("stub returns", target.greet("z"))
check("stub called", function() assert.stub(st).was.called(1) end)
st:revert()
print("reverted", target.greet("z"))
stub(target, "greet").returns("a", "b")
print("stub returns multiple", target.greet())
target.greet:revert()
stub(target, "greet").invokes(function(x) return x .. "!" end)
print("stub invokes", target.greet("hi"))
target.greet:revert()
stub(target, "greet").on_call_with("x").returns("for x")
print("stub on_call_with", target.greet("x"), target.greet("y"))
target.greet:revert()
local m = mock({f = function() return 1 end, inner = {g = function() return 2 end}})
m.f() m.inner.g() m.inner.g()
check("mock", function() assert.spy(m.f).was.called(1) assert.spy(m.inner.g).was.called(2) end)
local ms = mock({f = function() return 1 end}, true)
print("stubbed mock", ms.f())
check("spy clear", function() s:clear() assert.spy(s).was_not.called() end)

-- composite matchers
check("composite", function()
  local c = spy.new(function() end)
  local ref = {}
  c(5, "abc", ref)
  assert.spy(c).was.called_with(match.all_of(match.is_number(), match.is_truthy()), match.any_of(match.is_nil(), match.is_string()), match._)
  assert.spy(c).was.called_with(match.none_of(match.is_string()), match.matches("^a"), match.is_table())
  assert.spy(c).was.called_with(5, match.is_same("abc"), match.is_ref(ref))
  assert.spy(c).was.called_with(5, "abc", match.is_ref({}))
end)

-- say on its own
say:set("money", "I have %s %s")
print(say("money", {1000, "dollars"}))
print(say("money", {nil, "euros", n = 2}))
print(say("missing.key"))
say:set_namespace("fr")
say:set("money", "J'ai %s %s")
print(say("money", {3, "euros"}))
say:set_namespace("en")
print(say("money", {4, "pounds"}))
print(say("assertion.same.positive", {"A", "B"}))

-- another language for luassert's messages
require "luassert.languages.de"
say:set_namespace("de")
check("german", assert.are.equal, 1, 2)
say:set_namespace("en")
print("state snapshot", pcall(function() local snap = assert:snapshot() snap:revert() return "ok" end))
