-- a loop written with goto; each pass gets a fresh local for closures
local fns = {}
local i = 1
::top::
do
  local j = i
  fns[i] = function() return j end
end
i = i + 1
if i <= 3 then goto top end
print(fns[1](), fns[2](), fns[3]())
-- goto out of nested blocks
for a = 1, 3 do
  for b = 1, 3 do
    if a + b == 5 then goto out end
  end
end
::out::
print("out")
do goto skip; print("skipped") ::skip:: end
print("end")
