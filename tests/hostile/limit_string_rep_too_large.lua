-- expect: resulting string too large
-- flags: --max-memory 64
-- within: 20
-- As in Lua 5.4 (lstrlib's MAXSIZE is INT_MAX): refused before any allocation.
local s = string.rep("x", 2^40)
