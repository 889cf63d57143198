local value = 7.5
print(value // 1)
print(value & 1)
