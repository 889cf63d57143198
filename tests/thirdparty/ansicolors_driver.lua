-- ansicolors: %{...} markup turned into ANSI escape sequences (shown escaped).
local colors = require "ansicolors"

local function visible(s) return (s:gsub("\27", "<ESC>")) end

local samples = {
  "%{red}hello", "%{bright blue underline}styled%{reset} plain", "%{greenbg black}x",
  "no markup at all", "%{}empty", "%{ yellow  }spaces", "%{red}%{bright}nested%{reset}",
  "100%% sure", "%{dim}%{blink}%{reverse}%{hidden}all",
}
for _, s in ipairs(samples) do print(string.format("%q", s), visible(colors(s))) end
print(visible(colors.noReset("%{red}no reset")))
print(pcall(colors, "%{nosuchcolor}x"))
print(pcall(colors, 42))
