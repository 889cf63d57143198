-- expect: tool 'shell' is not allowed
-- only the tools [security] allowed_tools names (here: calculator)
llm.agent.new{provider = {type = "mock"},
              tools = {{name = "shell", handler = function() end}}}
