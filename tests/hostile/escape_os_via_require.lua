-- expect: attempt to call a nil value (field 'execute')
-- require gives the same pruned table
require("os").execute("touch pwned")
