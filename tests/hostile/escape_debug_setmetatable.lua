-- expect: attempt to call a nil value (field 'setmetatable')
-- give functions a metatable
debug.setmetatable(print, {__index = function() return "x" end})
