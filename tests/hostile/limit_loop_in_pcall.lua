-- expect: instruction limit exceeded
-- flags: --max-instructions 1000000
-- within: 30
print(pcall(function() local i = 0 while true do i = i + 1 end end))
print("pcall caught the limit")
