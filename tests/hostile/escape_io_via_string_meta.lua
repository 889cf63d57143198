-- expect: attempt to index a nil value (field 'io')
-- the string metatable leads to the string library only
local strings = getmetatable("").__index
strings.io.open("/etc/passwd")
