local list
print("inserting")
table.insert(list, "item")
