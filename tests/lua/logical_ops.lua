print(nil and 1, false and 1, 0 and 1, "" and "x")
print(nil or 1, false or nil, nil or false, 1 or error("not evaluated"))
print(not nil, not false, not 0, not "", not not nil)
print(1 and 2 or 3, nil and 2 or 3, false or false and 1)
local calls = 0
local function touch(v) calls = calls + 1 return v end
local _ = touch(false) and touch(true)
local _ = touch(true) or touch(false)
print(calls)
local x = nil
local v = x and x.field or "default"
print(v)
