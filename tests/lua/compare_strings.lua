print("a" < "b", "b" < "a", "" < "a", "a" < "", "Z" < "a", "abc" < "abd")
print("abc" < "abcd", "abcd" < "abc", "a\0b" < "a\0c", "a\0" > "a")
print("10" < "9", "10" <= "10", "b" >= "a", "\255" > "\1")
print("A" == "A", "a" ~= "A", "abc" <= "abd")
local words = {"pear", "Apple", "banana", "apple", "Banana", "10", "9", ""}
table.sort(words)
print(table.concat(words, ","))
