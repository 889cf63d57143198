-- expect: the sandbox uses only the providers of the configuration
-- the configured key would go to the script's URL
Agent.create{model = "openai/gpt-4o-mini", base_url = "http://127.0.0.1:9/"}
