-- expect: instruction limit exceeded
-- flags: --max-instructions 1000000
-- within: 30
-- A __close handler cannot replace the limit error (it does not run at all).
do
  local guard <close> = setmetatable({}, {__close = function() error("replaced by __close") end})
  while true do end
end
