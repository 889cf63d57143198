-- @traceback
local M = {}
function M.field_fn(x) return x.missing.value end
function M:method() return M.field_fn({}) end
function global_fn() return M:method() end
local ok, err = pcall(global_fn)
print(ok, err)
global_fn()
