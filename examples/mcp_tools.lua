-- @pylua-only: the llm library is pylua's own
-- Lua functions as MCP tools, for any MCP client (Claude Desktop, an IDE, an agent):
--   pylua mcp-serve examples/mcp_tools.lua               over stdio
--   pylua mcp-serve --http 8000 examples/mcp_tools.lua   at http://127.0.0.1:8000/mcp
-- Under plain `pylua` the script only registers them (and agents could use them).

-- An arithmetic expression in Lua syntax with the math library's names: "sqrt(2) * pi".
-- It runs as a task with a time limit, so a runaway expression cannot keep the tool busy.
llm.mcp.tool{
  name = "calculate",
  description = "Evaluates an arithmetic expression written in Lua syntax; the math "
             .. "library's functions and constants are available (sqrt(2) * pi, 2^10, 7 // 2).",
  parameters = { type = "object", required = { "expression" },
                 properties = { expression = { type = "string", description = "e.g. sqrt(2) * pi" } } },
  handler = function(args)
    local f, err = load("return " .. args.expression, "=expression", "t", math)
    if not f then return nil, err end
    local ok, value = task.timeout(1, pcall, f)
    if ok == nil then return nil, "took longer than 1 second" end
    if not ok then return nil, value end
    if math.type(value) == nil then return nil, "not a number: " .. tostring(value) end
    return tostring(value)
  end,
}

-- Counts in a text; a table result is JSON text, and with an output schema it is also
-- the structured content clients can read field by field.
llm.mcp.tool{
  name = "text_stats",
  description = "Counts the lines, words and characters (UTF-8) of a text.",
  parameters = { type = "object", required = { "text" },
                 properties = { text = { type = "string" } } },
  output_schema = { type = "object", required = { "lines", "words", "characters" },
                    properties = { lines = { type = "integer" }, words = { type = "integer" },
                                   characters = { type = "integer" } } },
  handler = function(args)
    local text = args.text
    local _, newlines = text:gsub("\n", "")
    local _, words = text:gsub("%S+", "")
    local lines = newlines + ((text ~= "" and text:sub(-1) ~= "\n") and 1 or 0)
    return { lines = lines, words = words, characters = utf8.len(text) or #text }
  end,
}

-- Lines of a text file, numbered; a missing file is an error result (nil, message).
llm.mcp.tool{
  name = "read_lines",
  description = "Reads lines first..last (default 1..50) of a text file, numbered.",
  parameters = { type = "object", required = { "path" },
                 properties = { path = { type = "string" },
                                first = { type = "integer", minimum = 1 },
                                last = { type = "integer", minimum = 1 } } },
  handler = function(args)
    local f, err = io.open(args.path)
    if not f then return nil, err end
    local first = args.first or 1
    local last = args.last or first + 49
    local out, n = {}, 0
    for line in f:lines() do
      n = n + 1
      if n > last then break end
      if n >= first then out[#out + 1] = string.format("%6d  %s", n, line) end
    end
    f:close()
    return table.concat(out, "\n")
  end,
}
