-- @pylua-only: the llm library is pylua's own
-- Workflows of agents: a panel of two agents asked at the same time, then a writer
-- whose draft goes to an editor. Offline the agents are mock providers that take
-- half a second to answer (so the panel's concurrency shows); with OPENAI_API_KEY
-- set they ask OpenAI's gpt-4o-mini:  pylua examples/workflow.lua
local online = os.getenv("OPENAI_API_KEY")

local function agent(name, system_prompt, scripted_reply)
  return llm.agent.new{
    name = name,
    system_prompt = system_prompt,
    max_tokens = 150,
    provider = online and { type = "openai", model = "gpt-4o-mini", api_key_env = "OPENAI_API_KEY" }
      or { type = "mock", delay = 0.5, responses = { scripted_reply } },
  }
end

local function show(result_json, err)
  if not result_json then
    print("error: " .. err)
    os.exit(1)
  end
  local result = llm.json.decode(result_json)
  print(("== %s: %s"):format(result.name, result.description))
  for _, entry in ipairs(result.agents) do
    local said = entry.output ~= llm.json.null and entry.output or ("failed: " .. entry.error)
    print(("[%s] %s"):format(entry.agent_name, said))
  end
  return result
end

-- Both panelists answer the same question concurrently: about 0.5 s, not 1 s.
local panel = llm.workflow.concurrent{
  name = "Panel",
  description = "two opinions at once",
  agents = {
    agent("Optimist", "Argue for the idea in one sentence.",
          "Yes: Lua is small, fast and made to be embedded."),
    agent("Skeptic", "Argue against the idea in one sentence.",
          "Careful: its standard library is tiny and arrays start at 1."),
  },
}
show(panel:run("Should our game use Lua for its scripting?"))

-- Each agent's output is the next one's input ("[From Agent] Writer:\n...").
local pipeline = llm.workflow.sequential{
  name = "Pipeline",
  description = "draft, then edit",
  agents = {
    agent("Writer", "Write a one-line pitch for what you are given.",
          "lua: tiny fast language, embed it anywhere!!"),
    agent("Editor", "Rewrite the text you are given in a calm, precise tone.",
          "Lua is a small, fast language designed to be embedded."),
  },
}
local result = show(pipeline:run("The Lua programming language"))
print("the editor was given: " .. result.agents[2].task:gsub("\n", " / "))
print("final: " .. result.final_output)
