-- goto as 'continue'
for i = 1, 10 do
  if i % 3 == 0 then goto continue end
  io.write(i, " ")
  ::continue::
end
print()
local i = 1
while i <= 5 do
  i = i + 1
  if i == 3 then goto next end
  io.write(i, " ")
  ::next::
end
print()
