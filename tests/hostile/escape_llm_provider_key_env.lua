-- expect: the sandbox uses only the providers of the configuration
-- api_key_env sends any environment variable of the host along
llm.agent.new{provider = {type = "openai", model = "m", api_key_env = "HOME",
                          base_url = "http://127.0.0.1:9/"}}
