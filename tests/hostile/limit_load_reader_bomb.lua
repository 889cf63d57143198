-- expect: not enough memory
-- flags: --max-memory 64
-- within: 60
-- load() assembling a chunk from a reader that never ends.
local big = ("x"):rep(2^20)
print(load(function() return big end))
print("escaped")
