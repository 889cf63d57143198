local words = {}
for w in ("one two  three"):gmatch("%a+") do words[#words + 1] = w end
print(#words, table.concat(words, "|"))
for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do io.write(k, "->", v, " ") end print()
for pos in ("abc"):gmatch("()") do io.write(pos, " ") end print()
local it = ("x1y2"):gmatch("%d")
print(it(), it(), it())
for a in ("hello"):gmatch("") do io.write("[", a, "]") end print()
for m in ("aaa"):gmatch("a*") do io.write("<", m, ">") end print()
for w in ("one two three"):gmatch("%a+", 5) do io.write(w, ";") end print()
