-- pl.lapp: option parsing from a usage text; the command line selects the case.
local lapp = require "pl.lapp"
lapp.slack = true
local args = lapp [[
Does a few things.
  -v,--verbose           Verbose output
  -n,--count (default 3) How many
  -o,--output (default stdout) Where to write
  -s,--scale  (number)   Scale factor
  -m,--mode (string default "fast") Mode
  <files...> (string)    Input files
]]
local keys = {}
for k in pairs(args) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do
  local v = args[k]
  if type(v) == "table" then v = "{" .. table.concat(v, ",") .. "}" end
  if io.type(v) then v = "file" end
  print(k, v)
end
