local settings
local function read() return settings.verbose end
print(pcall(read))
local counter = "not a number"
local function bump() counter = counter + 1 end
print(pcall(bump))
local list = {}
local function call() return list.run() end
print(pcall(call))
