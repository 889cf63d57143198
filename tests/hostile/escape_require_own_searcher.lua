-- expect: module 'evil' not found
-- a searcher of the script's own can use only what the script has
table.insert(package.searchers, function(name)
  return loadfile and loadfile(name .. ".lua") or "\n\tno loadfile"
end)
require("evil")
