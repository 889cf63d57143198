-- expect: instruction limit exceeded
-- flags: --max-instructions 1000000
-- within: 30
print(pcall(function()
  local spin <close> = setmetatable({}, {__close = function() while true do end end})
end))
