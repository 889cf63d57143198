local fh = assert(io.open("mymod.lua", "w"))
fh:write([[
local M = {}
M.loads = (M.loads or 0) + 1
M.name = ...
function M.greet(who) return "hello " .. who end
print("loading module", ...)
return M
]])
fh:close()
package.path = "./?.lua"
local m = require("mymod")
print(m.greet("world"), m.name)
local again = require("mymod")
print(again == m, package.loaded.mymod == m)
package.loaded.mymod = nil
local fresh = require("mymod")
print(fresh == m)
local ok, err = pcall(require, "no_such_module_xyz")
print(ok, (err:match("^[^\n]*")))
local nf = assert(io.open("noreturn.lua", "w"))
nf:write("x_from_module = 1\n")
nf:close()
print(require("noreturn"), x_from_module)
os.remove("mymod.lua")
os.remove("noreturn.lua")
