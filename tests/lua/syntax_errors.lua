local cases = {
  "x = = 1",
  "local function end",
  "if x then",
  "function f() return 1",
  "for i = 1 do end",
  "for a, b in pairs(t) print(a) end",
  "x = }",
  "return return",
  "f(",
  "local t = {1, 2",
  "x = 1 +",
  "a.b:c = 1",
  "local 1 = 2",
  "x = y z",
  "(f)",
  "return ...",
  "function f() return ... end",
  "local x <close> , y <close> = 1, 2",
  "goto = 1",
  "while true do end end",
}
for _, src in ipairs(cases) do
  local f, err = load(src)
  print(err or "compiled")
end
