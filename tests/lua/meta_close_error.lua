-- an error in __close replaces the original error
print(pcall(function()
  local a <close> = setmetatable({}, {__close = function(_, e) error("from close: " .. tostring(e), 0) end})
  error("original", 0)
end))
print(pcall(function()
  local a <close> = setmetatable({}, {__close = function() error("close only", 0) end})
  return "value"
end))
