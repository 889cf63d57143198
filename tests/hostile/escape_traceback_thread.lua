-- expect: only Lua text
-- tracebacks of threads and of errors are plain text
local co = coroutine.create(function() coroutine.yield() end)
coroutine.resume(co)
local text = debug.traceback(co) .. debug.traceback("x", 1) .. debug.traceback(co, "m", 0)
assert(type(text) == "string" and not text:find("%.py"), text)
error("only Lua text", 0)
