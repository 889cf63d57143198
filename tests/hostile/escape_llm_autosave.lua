-- expect: field 'autosave': the sandbox does not write files
-- autosave writes (and resumes from) any path
llm.agent.new{provider = {type = "mock"}, autosave = {path = "pwned.json"}}
