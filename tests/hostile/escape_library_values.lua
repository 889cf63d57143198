-- expect: nothing but Lua values
-- every value the libraries hold, their metatables and what tostring says of them
local seen = {}
local function walk(v, path)
  if seen[v] then return end
  seen[v] = true
  local s = tostring(v)
  assert(not s:find("<") and not s:find("object at"), path .. ": " .. s)
  local mt = getmetatable(v)
  if mt ~= nil then walk(mt, path .. "<meta>") end
  if type(v) == "table" then
    for k, x in pairs(v) do walk(x, path .. "." .. tostring(k)) end
  end
end
walk(_G, "_G")
walk(getmetatable(""), "string meta")
error("nothing but Lua values", 0)
