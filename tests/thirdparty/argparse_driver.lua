-- argparse: parsing argument lists, help/usage text, errors, completions.
local argparse = require "argparse"
local show = require "show"

print(argparse.version)

local function build()
  local parser = argparse("script", "An example program.", "Epilog text goes here.")
  parser:argument("input", "Input file.")
  parser:argument("extra", "Extra files."):args("*")
  parser:option("-o --output", "Output file.", "a.out")
  parser:option("-I --include", "Include locations."):count("*")
  parser:option("-l --level", "Level."):choices({"low", "mid", "high"}):default("mid")
  parser:option("--pair", "Two values."):args(2)
  parser:option("-n --number", "A number."):convert(tonumber)
  parser:flag("-v --verbose", "Sets verbosity level."):count("0-2"):target("verbosity")
  parser:flag("-q --quiet")
  parser:mutex(parser:flag("--fast"), parser:flag("--slow"))
  return parser
end

local cases = {
  {"foo"},
  {"foo", "bar", "baz"},
  {"foo", "-o", "out.txt", "-I", "a", "-Ib", "--include=c", "-vv"},
  {"foo", "--level", "high", "--pair", "x", "y", "-n", "0x10", "-q"},
  {"foo", "--", "-notanoption", "--also"},
  {"--output=o", "-vq", "foo", "--fast"},
  {},
  {"foo", "--level", "extreme"},
  {"foo", "-vvv"},
  {"foo", "--fast", "--slow"},
  {"foo", "--pair", "x"},
  {"foo", "--unknown"},
  {"foo", "-n"},
  {"foo", "--outptu", "x"},
}
for i, args in ipairs(cases) do
  local ok, result = build():pparse(args)
  show.p("case " .. i .. " [" .. table.concat(args, " ") .. "]", ok, result)
end

print(build():get_usage())
print(build():get_help())

-- commands
local git = argparse("git"):command_target("command")
git:flag("--version")
local commit = git:command("commit ci", "Record changes.")
commit:option("-m --message"):count(1)
commit:flag("-a --all")
local push = git:command("push", "Update remote refs.")
push:argument("remote"):args("?")
push:argument("branch"):args("?")
git:add_help_command()
git:require_command(false)
for _, args in ipairs({
  {"commit", "-m", "msg", "-a"}, {"ci", "--message=x"}, {"push", "origin", "main"}, {"push"},
  {"--version"}, {"commit"}, {"pull"}, {"commit", "-m", "a", "-m", "b"},
}) do
  local ok, result = git:pparse(args)
  show.p("git [" .. table.concat(args, " ") .. "]", ok, result)
end
print(git:get_help())
print(commit:get_help())
print(commit:get_usage())

-- help formatting options and groups
local p = argparse("prog"):help_max_width(50):help_usage_margin(4):help_description_margin(20)
p:group("Main options",
  p:option("--alpha", "A long description that should be wrapped across several lines by the help formatter of argparse."),
  p:flag("--beta", "Short."))
p:group("Other", p:option("--gamma"):argname("<g>"):hidden_name("--old-gamma"))
p:option("--hidden"):hidden(true)
p:argument("files"):args("+"):argname("<file>")
print(p:get_help())
show.p("groups", p:pparse({"x", "y", "--alpha", "1", "--beta", "--old-gamma", "g"}))

-- actions and callbacks
local seen = {}
local a = argparse("act")
a:option("--set"):action(function(res, target, value) seen[#seen + 1] = value; res[target] = value:upper() end)
a:flag("--list"):action("store_true")
a:option("--concat"):args("*"):count("*"):action("concat"):init({})
a:option("--append"):count("*"):action("append")
a:argument("pos"):args("*"):action(function(res, target, values) res[target] = #values end)
show.p("actions", a:pparse({"--set", "abc", "--list", "--concat", "1", "2", "--concat", "3", "--append", "x", "--append", "y", "p1", "p2"}))
show.p("seen", seen)

-- parse() errors go through error(), which the error handler can catch
local strict = argparse("strict"):add_help(false)
strict:argument("x"):convert({one = 1, two = 2})
show.p("convert table", strict:pparse({"one"}))
show.p("convert fail", strict:pparse({"three"}))
strict.error = function(self, msg) error("handled: " .. msg, 0) end
show.try("error method", strict.parse, strict, {})

-- completion scripts are plain string building
print(build():get_bash_complete())
print(git:get_zsh_complete())
print(git:get_fish_complete())
