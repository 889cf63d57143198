local fh = assert(io.open("twovals.lua", "w"))
fh:write("return {ok = true}\n")
fh:close()
package.path = "./?.lua;./?/init.lua"
local mod, where = require("twovals")
print(mod.ok, where)
print(package.config:sub(1, 1), type(package.searchers), #package.searchers >= 2)
print(type(package.preload), type(package.searchpath))
print(package.searchpath("twovals", package.path))
print(package.searchpath("missing", "./?.lua;./?.luac"))
package.preload.virtual = function(name, extra) return {name = name, extra = extra} end
local v = require("virtual")
print(v.name, v.extra)
os.remove("twovals.lua")
