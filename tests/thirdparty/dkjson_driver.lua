-- dkjson: encode/decode round trips, escapes, numbers, errors.
local json = require "dkjson"
local show = require "show"

print(json.version)

local function roundtrip(label, v, opts)
  local s = json.encode(v, opts)
  print(label, s)
  local back, pos, err = json.decode(s)
  show.p(label .. " back", back, pos, err)
end

roundtrip("scalars", {1, 2.5, -3, "x", true, false})
roundtrip("nested", {a = {b = {c = {1, {2, {3}}}}}, list = {"one", "two"}, empty = {}}, {keyorder = {"list", "a", "empty"}})
roundtrip("indent", {name = "pylua", tags = {"lua", "python"}, n = 3}, {indent = true, keyorder = {"name", "n", "tags"}})
roundtrip("nulls", {json.null, 1, json.null})
roundtrip("emptyarray", setmetatable({}, {__jsontype = "array"}))
roundtrip("emptyobject", setmetatable({}, {__jsontype = "object"}))
roundtrip("sparse", {[1] = "a", [3] = "c"})
roundtrip("escapes", {"quote\" backslash\\ slash/ tab\t nl\n cr\r bs\b ff\f", "\0\1\31\127"})
roundtrip("utf8", {"h\195\169llo", "\226\130\172", "\240\159\152\128"})

-- numbers
for _, n in ipairs({0, -0.0, 1, -1, 42, 2^53, 1e300, -1e-300, 123.456, 0.1, 1/3, math.maxinteger, math.mininteger, 5e-324, 1.5e308, 100, 1e15, 1e16, 2^63}) do
  local s = json.encode(n)
  local back = json.decode(s)
  print("number", s, math.type(back), string.format("%.17g", back))
end
print("nan", json.encode(0/0), json.encode(math.huge), json.encode(-math.huge))

-- decoding
local inputs = {
  '{"a":1,"b":[true,false,null],"c":{"d":"e"}}',
  '[1.5e10, -2E-3, 0, -0, 12345678901234567890, 1e400]',
  '"\\u0041\\u00e9\\u20ac\\ud83d\\ude00\\n\\t\\"\\\\\\/"',
  '  [ 1 , 2 , [ ] , { } ]  ',
  '/* comment */ [1, // line\n 2]',
  '{"dup":1,"dup":2}',
  '"\\uDEAD"',
  '[1,2,3] trailing',
}
for _, s in ipairs(inputs) do
  local v, pos, err = json.decode(s)
  show.p("decode " .. s, v, pos, err)
end

-- decode with null and object metatables
local v = json.decode('{"x":null,"y":[null,1]}', 1, json.null)
print("null sentinel", v.x == json.null, v.y[1] == json.null, #v.y)
local OBJ, ARR = {name = "OBJ"}, {name = "ARR"}
local obj = json.decode('{"k":[1]}', 1, nil, OBJ, ARR)
print("metatables", getmetatable(obj).name, getmetatable(obj.k).name)
local plain = json.decode('{"k":[1]}')
print("metatable default", getmetatable(plain).__jsontype, getmetatable(plain.k).__jsontype)

-- malformed input
local bad = {
  '', '{', '[1,', '{"a" 1}', '{"a":}', '[1 2]', '"unterminated', '{1:2}',
  'tru', 'nul', '[01]', '"\\x"', '-', '{"a":1,}', '[,1]', ']', '@',
}
for _, s in ipairs(bad) do
  local v, pos, err = json.decode(s)
  show.p("bad " .. string.format("%q", s), v, pos, err)
end

-- encoding errors and state
show.try("cycle", json.encode, (function() local t = {} t.self = t return t end)())
show.try("function", json.encode, {f = print})
local ok, msg = json.encode({f = print}, {exception = json.encodeexception})
print("exception handler", ok, msg)
local buffer = {}
local state = {buffer = buffer, bufferlen = 0, tables = {}}
local r = json.encode({1, 2}, state)
print("buffer state", r, table.concat(buffer), state.bufferlen)
print("__tojson", json.encode({setmetatable({}, {__tojson = function(self, st) return '"custom"' end})}))
print("quotestring", json.quotestring("a\"b\226\128\168c"))
print("addnewline", type(json.addnewline))
