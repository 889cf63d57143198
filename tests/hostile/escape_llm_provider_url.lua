-- expect: the sandbox uses only the providers of the configuration
-- a provider of the script's own reaches any host (internal ones too)
llm.agent.new{provider = {type = "openai", model = "m", base_url = "http://169.254.169.254/latest"}}
