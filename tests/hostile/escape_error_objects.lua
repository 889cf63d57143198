-- expect: no Python object
-- errors raised inside libraries are Lua strings
local attempts = {
  function() return string.rep() end, function() return ("x"):format(nil) end,
  function() return string.format("%d", 2^63) end, function() return math.random(0) end,
  function() return table.concat({{}}) end, function() return os.date("%Ez") end,
  function() return utf8.char(-1) end, function() return string.pack("i17", 1) end,
  function() return llm.json.decode(string.rep("[", 100000)) end,
  function() local t = {} t.t = t return llm.json.encode(t) end,
  function() return setmetatable({}, {__index = function() error(coroutine.running()) end}).x end,
}
for i, f in ipairs(attempts) do
  local ok, err = pcall(f)
  local kind = type(err)
  assert(ok or kind == "string" or kind == "thread", "attempt " .. i .. ": " .. kind)
end
error("no Python object", 0)
