-- argparse's parse() reports errors on stderr and exits through os.exit;
-- the mode comes from the command line: "help", "error" or "ok".
local argparse = require "argparse"
local mode = ...
local parser = argparse("exiting", "Exits in various ways.")
parser:argument("name")
parser:flag("--loud")
local args = ({help = {"--help"}, error = {"--loud"}, ok = {"bob", "--loud"}})[mode]
local result = parser:parse(args)
print("parsed", result.name, result.loud)
