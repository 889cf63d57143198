local mi = math.mininteger
print(mi, mi // -1, mi % -1, -mi, mi * -1, mi - 1)
print(math.abs(mi), math.abs(mi + 1))
print(mi // 2, mi // -2, mi % 3, mi % -3)
print(string.format("%d %x", mi, mi))
print(math.ult(mi, 1), math.ult(1, mi), math.ult(-1, 0))
print(mi == -9223372036854775808, math.type(-9223372036854775808))
