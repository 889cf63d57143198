-- expect: instruction limit exceeded
-- flags: --max-instructions 1000000
-- within: 30
-- Neither xpcall nor its message handler sees the limit error.
print(xpcall(function() while true do end end, function(m) print("handler saw", m) return m end))
