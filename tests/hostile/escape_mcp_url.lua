-- expect: is not one of [security] sandbox_mcp_servers
-- a connection to a host of the script's choosing
local c = assert(llm.mcp.connect{type = "http", name = "calculator",
                                 url = "http://169.254.169.254/mcp"})
