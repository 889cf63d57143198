-- expect: instruction limit exceeded
-- flags: --max-instructions 1000000
-- within: 30
print(pcall(table.move, {1, 2, 3}, 1, 1e12, 2, {}))
