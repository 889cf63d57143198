-- a dumped function gets fresh upvalues; the first one is _ENV when loaded
local function uses_global() return type(print) end
local f = load(string.dump(uses_global))
print(f())
local n = 10
local function uses_local() return n end
local g = load(string.dump(uses_local))
print(g() == _G)
local stripped = load(string.dump(uses_global, true))
print(stripped())
