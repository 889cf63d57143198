-- expect: attempt to call a nil value (field 'dump')
-- dump a function to bytecode, patch it, load it back
local code = string.dump(function() return 1 end)
load(code)()
