-- expect: MCP server 'touch pwned' is not allowed
-- without a name the server is named after its program (for a launcher such as sh: its
-- first argument)
llm.mcp.connect{type = "stdio", command = "sh", args = {"-c", "touch pwned"}}
