-- expect: stack overflow
-- flags: --max-instructions 100000000
-- within: 60
local function cmp(a, b) table.sort({3, 2, 1}, cmp) return a < b end
table.sort({3, 2, 1}, cmp)
