print(2 ^ 2, 2 ^ 0.5, 2 ^ -1, 10 ^ 15, 10 ^ 16)
print(math.type(2 ^ 2), (-2) ^ 2, -2 ^ 2, 2 ^ 3 ^ 2)
print(0 ^ 0, 0 ^ -1, (-8) ^ (1 / 3) ~= (-8) ^ (1 / 3))
print(1 ^ math.huge, 2 ^ 64, 2 ^ 63 == math.maxinteger + 1.0)
