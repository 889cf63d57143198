-- @pylua-only: the llm library is pylua's own
-- An agent with a Lua function tool and a conversation it remembers.
-- Offline it runs on the mock provider's scripted replies; with OPENAI_API_KEY set
-- it asks OpenAI's gpt-4o-mini instead:  pylua examples/agent.lua
local provider = os.getenv("OPENAI_API_KEY")
  and { type = "openai", model = "gpt-4o-mini", api_key_env = "OPENAI_API_KEY" }
  or { type = "mock", responses = {
       { text = "Let me look both up.",
         tool_calls = { { name = "population", arguments = { city = "Rio de Janeiro" } },
                        { name = "population", arguments = { city = "Lisbon" } } } },
       "Rio de Janeiro has about 6.2 million people, Lisbon about 0.5 million.",
       "Rio de Janeiro: it has about eleven times as many people as Lisbon.",
     } }

local populations = { ["Rio de Janeiro"] = 6211423, Lisbon = 545923, Oslo = 717710 }

local agent = llm.agent.new{
  name = "Geographer",
  provider = provider,
  system_prompt = "You answer questions about cities in one sentence. "
               .. "Use the population tool for numbers.",
  temperature = 0.2,
  max_tokens = 200,
  tools = {
    { type = "function", name = "population", description = "The population of a city",
      parameters = { type = "object", properties = { city = { type = "string" } },
                     required = { "city" } },
      handler = function(args)
        local n = populations[args.city]
        if not n then error("no data for " .. tostring(args.city)) end
        return { city = args.city, population = n }
      end },
  },
}
print(agent)

local function ask(question)
  print("> " .. question)
  local answer, err = agent:run(question)
  if not answer then
    print("error: " .. err)
    os.exit(1)
  end
  print(answer)
end

ask("How many people live in Rio de Janeiro and in Lisbon?")
ask("Which of the two is bigger?")          -- the agent remembers the first question

print("-- the conversation:")
for _, m in ipairs(agent:history()) do
  if m.content ~= "" then print(("%-9s %s"):format(m.role, m.content)) end
  for _, call in ipairs(m.tool_calls or {}) do
    print(("%-9s calls %s %s"):format(m.role, call.name, call.arguments))
  end
end
local usage = agent:usage()
print(("tokens: %d prompt + %d completion = %d"):format(
  usage.prompt_tokens, usage.completion_tokens, usage.total_tokens))
