-- expect: instruction limit exceeded
-- flags: --max-instructions 1000000
-- within: 30
-- Each error leaves the dispatch loop; the count goes on all the same.
while true do pcall(error, "again") end
