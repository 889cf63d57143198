-- finalizers run on a full collection once the object is unreachable, and for
-- every remaining object when the state closes, in reverse order of marking
local log = {}
do
  local temp = setmetatable({}, {__gc = function() log[#log + 1] = "temp collected" end})
end
collectgarbage()
collectgarbage()
print(log[1])
local keep = setmetatable({name = "kept"}, {__gc = function(o) print("closing state: " .. o.name) end})
local second = setmetatable({name = "second"}, {__gc = function(o) print("closing state: " .. o.name) end})
-- a __gc field added after setmetatable does not mark the object for finalization
local mt = {}
local late = setmetatable({}, mt)
mt.__gc = function() print("never printed") end
print("end of script")
