-- @traceback
local function inner() error("deep failure") end
local function middle() inner() end
local function outer() middle() end
outer()
