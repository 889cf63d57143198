for i = 1, 2, 0.5 do io.write(tostring(i), " ") end print()
for i = 1.0, 3 do io.write(tostring(i), " ") end print()
for i = 1, 2.5 do io.write(tostring(i), " ") end print()
for i = 0.1, 0.35, 0.1 do io.write(string.format("%.2f", i), " ") end print()
for i = 3, 1.5, -0.5 do io.write(tostring(i), " ") end print()
-- float limit with integer start: the loop stays integer
for i = 1, math.huge do if i > 3 then break end io.write(math.type(i), " ") end print()
for i = -1, -math.huge, -1 do if i < -2 then break end io.write(i, " ") end print()
