-- expect: attempt to index a nil value (field 'value')
-- a library userdata's metatable holds host functions, never the Python value behind it
local null = llm.json.null
local meta = getmetatable(null)
assert(meta.__tostring(null) == "null")
print(meta.value.__class__)
