-- expect: timeout
-- flags: --timeout 1
-- within: 20
print(pcall(task.wait, 100))
