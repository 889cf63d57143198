-- expect: option 'generational' is not allowed in the sandbox
collectgarbage("generational")
