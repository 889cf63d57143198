local E = setmetatable({msg = "custom failure"}, {__tostring = function(e) return "E: " .. e.msg end})
error(E)
