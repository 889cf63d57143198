local t = 5
print(t + 1)
print(t.x)
