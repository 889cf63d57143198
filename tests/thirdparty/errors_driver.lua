-- misuse of the libraries: the error messages (and their positions) they raise
local argparse = require "argparse"
local tests = {
  function() argparse("x"):option("-o"):args({}) end,
  function() argparse("x"):option("-o"):args("bad") end,
  function() argparse("x"):argument() end,
  function() argparse("x"):option("-o", "d", "default", print, 5, "extra", 7) end,
  function() argparse("x"):mutex(argparse("x"):flag("-f")) end,
  function() argparse("x"):flag("-f"):action("unknown") end,
  function() local p = argparse("x") p:command("c") p:argument("a") p:pparse({}) end,
  function() argparse({name = 1}) end,
  function() require("pl.List")({1}):get("x") end,
  function() require("pl.utils").assert_arg(2, nil, "table", nil, nil, 3) end,
  function() require("pl.tablex").deepcompare() end,
  function() require("pl.class")(5) end,
  function() require("pl.stringx").split(nil) end,
  function() require("pl.text").indent(nil) end,
  function() require("pl.OrderedMap")():set() end,
  function() require("moses").range("a") end,
  function() require("inspect")({}, {depth = "x"}) end,
  function() require("dkjson").decode(nil) end,
  function() require("dkjson").encode({[{}] = 1}) end,
  function() require("pl.Date")("x") end,
  function() require("pl.array2d").new(-1, 2, 0):foo() end,
}
for i, f in ipairs(tests) do print(i, pcall(f)) end
