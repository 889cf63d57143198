-- expect: instruction limit exceeded
-- flags: --max-instructions 1000000
-- within: 30
while true do end
