-- expect: option 'stop' is not allowed in the sandbox
-- stop the collector (memory grows unchecked)
collectgarbage("stop")
